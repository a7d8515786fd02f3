//! Integration tests of the sandbox over real HTTP (one binary).

mod helpers;

mod cash;
mod checkout;
mod conformance;
mod contract;
mod faults;
mod fuzz;
mod invoice;
mod invoice_contract;
mod limits;
mod operations;
mod payer;
mod payer_network;
mod reports;
mod router;
mod settle;
