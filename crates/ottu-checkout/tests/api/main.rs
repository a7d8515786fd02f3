//! Client tests against canned HTTP answers (wiremock), with bodies from `fixtures/checkout/`.

mod attachment;
mod cash;
mod create;
mod errors;
mod helpers;
mod inquiry;
mod operations;
mod payment_methods;
mod reports;
mod retrieve;
mod round_trip;
mod schema;
mod secrets;
mod update;
mod webhook;
