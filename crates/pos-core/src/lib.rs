//! pos-core (work in progress).
