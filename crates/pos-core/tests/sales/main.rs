//! The sales engine against the real sandbox (`spawn_sandbox()`), and the till against its demo
//! sandbox for the UI contract (`contract`): one test binary.

mod helpers;

mod actions;
mod bills;
mod cart_invoice;
mod cart_sale;
mod contract;
mod create;
mod history;
mod old_open_sales;
mod operations;
mod recovery;
mod tracker;
