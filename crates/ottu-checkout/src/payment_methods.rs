//! The gateway list: `POST /b/pbl/v2/payment-methods/` (fills the pg_code picker).
//!
//! A read-only query, retried like the other idempotent calls.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::checkout::types::{CheckoutType, GatewayOperation, server_enum};
use crate::client::{Client, Payload};
use crate::de;
use crate::error::{Error, FieldErrors, Result};
use crate::ids::PgCode;
use crate::money::CurrencyCode;

const PAYMENT_METHODS_PATH: &str = "b/pbl/v2/payment-methods/";

server_enum!(
    /// `type` filter: sandbox or production gateways.
    GatewayEnvironment {
        /// `sandbox`.
        Sandbox => "sandbox",
        /// `production`.
        Production => "production",
    }
);

/// Filters for the gateway list. `plugin` is required.
///
/// ```
/// use ottu_checkout::CurrencyCode;
/// use ottu_checkout::checkout::CheckoutType;
/// use ottu_checkout::payment_methods::PaymentMethodsQuery;
///
/// let query = PaymentMethodsQuery::new(CheckoutType::PaymentRequest).currency(CurrencyCode::KWD);
/// assert_eq!(
///     serde_json::to_string(&query).unwrap(),
///     r#"{"plugin":"payment_request","currencies":["KWD"]}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentMethodsQuery {
    /// `plugin` (required).
    pub plugin: CheckoutType,
    /// `currencies`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub currencies: Vec<CurrencyCode>,
    /// `customer_id` (≤64): also returns the codes this customer used before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// `operation`: `purchase` or `authorize`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<GatewayOperation>,
    /// `tokenizable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokenizable: Option<bool>,
    /// `auto_debit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_debit: Option<bool>,
    /// `pg_names`, e.g. `["kpay", "mpgs"]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pg_names: Vec<String>,
    /// `type`: sandbox or production.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub environment: Option<GatewayEnvironment>,
    /// `tags`, e.g. `["pos"]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// `payment_services`, e.g. `["apple_pay"]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payment_services: Vec<String>,
}

impl PaymentMethodsQuery {
    /// A query for one plugin with no other filter.
    pub fn new(plugin: CheckoutType) -> Self {
        Self {
            plugin,
            currencies: Vec::new(),
            customer_id: None,
            operation: None,
            tokenizable: None,
            auto_debit: None,
            pg_names: Vec::new(),
            environment: None,
            tags: Vec::new(),
            payment_services: Vec::new(),
        }
    }

    /// Adds a currency filter.
    pub fn currency(mut self, currency: CurrencyCode) -> Self {
        self.currencies.push(currency);
        self
    }

    fn validate(&self) -> Result<()> {
        let mut e = FieldErrors::new();
        if self.plugin == CheckoutType::Unknown {
            e.add("plugin", "\"unknown\" is not a valid choice.");
        }
        if self
            .customer_id
            .as_deref()
            .is_some_and(|c| c.chars().count() > 64)
        {
            e.add(
                "customer_id",
                "Ensure this field has no more than 64 characters.",
            );
        }
        if e.is_empty() {
            Ok(())
        } else {
            Err(Error::local(e))
        }
    }
}

/// A wallet/payment service a gateway offers (`payment_services[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentService {
    /// Code, e.g. `apple_pay`.
    #[serde(default, deserialize_with = "de::string")]
    pub code: String,
    /// Name.
    #[serde(default, deserialize_with = "de::opt")]
    pub name: Option<String>,
    /// Arabic name.
    #[serde(default, deserialize_with = "de::opt")]
    pub name_ar: Option<String>,
}

/// One gateway the merchant (or this user) can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Gateway {
    /// The `pg_code` to pass in `pg_codes`.
    pub code: PgCode,
    /// Display name.
    #[serde(default, deserialize_with = "de::opt")]
    pub name: Option<String>,
    /// Whether it is a sandbox gateway.
    #[serde(default, deserialize_with = "de::opt")]
    pub is_sandbox: Option<bool>,
    /// Logo URL.
    #[serde(default, deserialize_with = "de::opt")]
    pub logo: Option<String>,
    /// Wallets, e.g. `["ApplePay", "GooglePay"]`.
    #[serde(default, deserialize_with = "de::list")]
    pub wallets: Vec<serde_json::Value>,
    /// Payment services.
    #[serde(default, deserialize_with = "de::list")]
    pub payment_services: Vec<PaymentService>,
    /// Default currency.
    #[serde(default, deserialize_with = "de::opt")]
    pub default_currency: Option<String>,
    /// Accepted currencies.
    #[serde(default, deserialize_with = "de::list")]
    pub accepted_currencies: Vec<String>,
    /// `purchase` or `authorize`.
    #[serde(default, deserialize_with = "de::opt")]
    pub operation: Option<GatewayOperation>,
    /// Post-payment operations supported, e.g. `["refund", "void"]`.
    #[serde(default, deserialize_with = "de::list")]
    pub operations: Vec<String>,
    /// Whether cards can be saved.
    #[serde(default, deserialize_with = "de::opt")]
    pub is_tokenizable: Option<bool>,
    /// Whether auto-debit is enabled.
    #[serde(default, deserialize_with = "de::opt")]
    pub auto_debit_enabled: Option<bool>,
    /// Tags, e.g. `["pos"]`.
    #[serde(default, deserialize_with = "de::list")]
    pub tags: Vec<String>,
}

impl Gateway {
    /// Whether the gateway accepts `currency` (an empty list is read as "any").
    pub fn accepts(&self, currency: &CurrencyCode) -> bool {
        self.accepted_currencies.is_empty()
            || self
                .accepted_currencies
                .iter()
                .any(|c| c.eq_ignore_ascii_case(currency.as_str()))
    }
}

/// The answer: the gateways and the codes this customer paid with before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentMethodList {
    /// Codes the `customer_id` used before.
    #[serde(default, deserialize_with = "de::list")]
    pub customer_payment_methods: Vec<String>,
    /// The gateways.
    #[serde(default, deserialize_with = "de::list")]
    pub payment_methods: Vec<Gateway>,
}

/// Handler for the gateway list; get one with [`Client::payment_methods`].
#[derive(Debug, Clone, Copy)]
pub struct PaymentMethods<'c> {
    client: &'c Client,
}

impl<'c> PaymentMethods<'c> {
    pub(crate) fn new(client: &'c Client) -> Self {
        Self { client }
    }

    /// Lists the gateways matching `query`.
    pub async fn list(&self, query: &PaymentMethodsQuery) -> Result<PaymentMethodList> {
        query.validate()?;
        let body = serde_json::to_vec(query)
            .map_err(|e| Error::config(format!("cannot serialise the request: {e}")))?;
        self.client
            .send_idempotent(
                Method::POST,
                PAYMENT_METHODS_PATH,
                &Payload::Json(body),
                &[],
            )
            .await
    }
}
