//! Integration tests of the sandbox over real HTTP (one binary).

mod helpers;

mod checkout;
mod faults;
mod payer;
mod router;
