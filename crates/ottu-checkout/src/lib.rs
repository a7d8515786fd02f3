//! ottu-checkout (work in progress).
