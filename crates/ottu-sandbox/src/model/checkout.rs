//! [`Checkout`]: what the merchant asked for, the echoed (read-write) fields of Ottu's checkout
//! schema, with its nested objects. Serialised, it is the start of every checkout body and the
//! `fields` column of the store.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::{
    AgreementType, AmountVariability, Frequency, Language, NotificationEvent, PaymentType, Plugin,
};
use crate::money::{Amount, Currency};

/// A postal address (`billing_address`, and the base of `shipping_address`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Address {
    pub line1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    pub city: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

/// `shipping_address`: an address with the recipient's name and contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShippingAddress {
    #[serde(flatten)]
    pub address: Address,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
}

/// `agreement.seller`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seller {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_code: Option<String>,
}

/// `agreement.extra_params`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementExtraParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_processing_day: Option<i64>,
}

/// `agreement` (auto-debit). Which fields are required depends on `type` (validation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    #[serde(rename = "type")]
    pub kind: AgreementType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_variability: Option<AmountVariability>,
    /// `YYYY-MM-DD`, echoed as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// `YYYY-MM-DD`, echoed as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<String>,
    /// A decimal in the API's syntax, echoed as sent (no currency scaling, as Ottu).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_amount_per_cycle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle_interval_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_cycles: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Frequency>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller: Option<Seller>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_params: Option<AgreementExtraParams>,
}

/// `card_acceptance_criteria`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardAcceptanceCriteria {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_expiry_time: Option<i64>,
}

/// `notifications`: the events each channel sends to the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notifications {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Vec<NotificationEvent>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms: Option<Vec<NotificationEvent>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whatsapp: Option<Vec<NotificationEvent>>,
}

/// `loyalty`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Loyalty {
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Free-form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
}

/// `expiration_time`: a duration in seconds, on the wire as Django's `[DD] [HH:[MM:]]ss`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpirationTime(pub i64);

impl Serialize for ExpirationTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&crate::duration::format_duration(self.0))
    }
}

impl<'de> Deserialize<'de> for ExpirationTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        crate::duration::parse_duration(&text)
            .map(Self)
            .ok_or_else(|| serde::de::Error::custom(format!("expiration_time {text:?}")))
    }
}

/// `due_datetime`: a Unix time, on the wire as `DD/MM/YYYY HH:MM:SS` (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueDateTime(pub i64);

impl Serialize for DueDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&crate::validation::dates::format_due_datetime(self.0))
    }
}

impl<'de> Deserialize<'de> for DueDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        crate::validation::dates::parse_due_datetime(&text)
            .map(Self)
            .ok_or_else(|| serde::de::Error::custom(format!("due_datetime {text:?}")))
    }
}

/// `null` kept apart from absent (`loyalty: null` is echoed).
mod nullable {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

/// What the merchant asked for: the echoed (read-write) fields of the checkout schema, validated
/// and normalised (amount in the currency's decimals, durations and dates re-rendered). Absent
/// optional fields are `None`; a blank optional string is `Some("")` and is echoed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkout {
    #[serde(rename = "type")]
    pub plugin: Plugin,
    pub amount: Amount,
    pub currency_code: Currency,
    /// Distinct, in the order sent.
    pub pg_codes: Vec<String>,
    /// `None` only when a PATCH unset it; read as `one_off`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_type: Option<PaymentType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_phone_2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_last_name: Option<String>,
    /// `YYYY-MM-DD`, echoed as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_birthdate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<ShippingAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Agreement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_acceptance_criteria: Option<CardAcceptanceCriteria>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<Notifications>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_recipients: Option<Vec<String>>,
    /// `None` only when a PATCH unset it; read as `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// `None` only when a PATCH unset it (the deadline stays).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<ExpirationTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_datetime: Option<DueDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_upload_url: Option<String>,
    /// Free-form merchant data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator_id: Option<i64>,
    /// `Some(None)`: sent as `null`, echoed as `null`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub loyalty: Option<Option<Loyalty>>,
}

impl Checkout {
    /// `payment_type`, `one_off` when unset.
    pub fn payment_type(&self) -> PaymentType {
        self.payment_type.unwrap_or(PaymentType::OneOff)
    }

    /// `language`, `en` when unset.
    pub fn language(&self) -> Language {
        self.language.unwrap_or(Language::En)
    }

    /// `order_no` unless blank.
    pub fn order_no(&self) -> Option<&str> {
        self.order_no.as_deref().filter(|s| !s.is_empty())
    }

    /// `redirect_url` unless blank.
    pub fn redirect_url(&self) -> Option<&str> {
        self.redirect_url.as_deref().filter(|s| !s.is_empty())
    }

    /// `webhook_url` unless blank.
    pub fn webhook_url(&self) -> Option<&str> {
        self.webhook_url.as_deref().filter(|s| !s.is_empty())
    }

    /// The echoed fields as a JSON object (the start of every checkout body).
    pub fn to_json(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }
}
