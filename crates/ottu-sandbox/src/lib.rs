//! ottu-sandbox (work in progress).
