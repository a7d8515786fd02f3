//! The checkout resource, `/b/checkout/v1/pymt-txn/`: [`Checkout`] handler with one file per
//! operation ([`create`], [`retrieve`], [`update`]) and the wire types in [`types`].

pub mod create;
pub mod retrieve;
pub mod types;
pub mod update;
pub mod validate;

pub use create::CreateCheckoutSession;
pub use types::{
    Address, Agreement, AgreementExtraParams, AgreementFrequency, AgreementSeller, AgreementType,
    AmountVariability, COUNTRY_CODES, CardAcceptanceCriteria, CheckoutSession, CheckoutType,
    GatewayOperation, Icons, Language, NotificationEvent, Notifications, PaymentMethod,
    PaymentState, PaymentType, SdkSetupPreloadPayload, ShippingAddress,
};
pub use update::UpdateCheckoutSession;

use crate::client::Client;
use crate::ids::SessionId;

/// Path of the collection (create).
pub(crate) const PYMT_TXN_PATH: &str = "b/checkout/v1/pymt-txn/";

/// Path of one transaction, with the trailing slash the API documents.
pub(crate) fn session_path(session_id: &SessionId) -> String {
    // SessionId only holds `[-A-Za-z0-9_]`, so it needs no escaping.
    format!("{PYMT_TXN_PATH}{session_id}/")
}

/// Handler for checkout transactions; get one with [`Client::checkout`].
#[derive(Debug, Clone, Copy)]
pub struct Checkout<'c> {
    pub(crate) client: &'c Client,
}

impl<'c> Checkout<'c> {
    pub(crate) fn new(client: &'c Client) -> Self {
        Self { client }
    }
}
