//! Wire types of the checkout resource: the session the server returns ([`CheckoutSession`]),
//! its nested objects, and the enums shared by requests and responses.
//!
//! Every enum that mirrors a server value has an `Unknown` catch-all, so a value added on the
//! server later never breaks deserialisation; sending `Unknown` is refused by the local checks.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::de;
use crate::ids::{OrderNo, PgCode, SessionId};
use crate::money::{Amount, CurrencyCode};

macro_rules! server_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this client does not know yet (sent as `"unknown"`, refused by local checks).
            Unknown,
        }

        impl $name {
            /// Every known value (not `Unknown`).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire value (`snake_case`).
            pub fn as_str(&self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Unknown => "unknown",
                }
            }

            /// Reads a wire value; anything unrecognised is `Unknown`.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    $( $text => $name::$variant, )+
                    _ => $name::Unknown,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = std::borrow::Cow::<'de, str>::deserialize(d)?;
                Ok(Self::from_wire(&raw))
            }
        }
    };
}
pub(crate) use server_enum;

server_enum!(
    /// `type`: which plugin the transaction belongs to (decides the permissions needed).
    CheckoutType {
        /// `e_commerce`.
        ECommerce => "e_commerce",
        /// `payment_request`: the POS case.
        PaymentRequest => "payment_request",
    }
);

server_enum!(
    /// `payment_type` (default `one_off`).
    PaymentType {
        /// `one_off`: a single payment.
        OneOff => "one_off",
        /// `auto_debit`: saves the card for merchant-initiated charges under an `agreement`.
        AutoDebit => "auto_debit",
        /// `save_card`: tokenise a card, amount must be zero.
        SaveCard => "save_card",
    }
);

server_enum!(
    /// `state` of a checkout transaction (CHECKOUT_API.md §7).
    PaymentState {
        /// Made, link not opened yet.
        Created => "created",
        /// Link opened or payment started at a gateway.
        Pending => "pending",
        /// An attempt failed or was canceled; the payer may retry.
        Attempted => "attempted",
        /// Funds held, not captured.
        Authorized => "authorized",
        /// Funds collected.
        Paid => "paid",
        /// Definitive failure.
        Failed => "failed",
        /// Canceled by staff or the operations API.
        Canceled => "canceled",
        /// Expired (or canceled by the payer, single-attempt gateways).
        Expired => "expired",
        /// Made unpayable by a configuration change.
        Invalided => "invalided",
        /// Refunded.
        Refunded => "refunded",
        /// Cash on delivery acknowledged.
        Cod => "cod",
    }
);

impl PaymentState {
    /// Whether the payer can still pay (`created`, `pending`, `attempted`).
    pub fn is_open(&self) -> bool {
        matches!(self, Self::Created | Self::Pending | Self::Attempted)
    }

    /// Whether money was collected or held (`paid`, `authorized`, `cod`).
    pub fn is_settled(&self) -> bool {
        matches!(self, Self::Paid | Self::Authorized | Self::Cod)
    }
}

server_enum!(
    /// `language` of the payment page and notifications (default `en`).
    Language {
        /// English.
        En => "en",
        /// Arabic.
        Ar => "ar",
    }
);

server_enum!(
    /// Events a notification channel can be subscribed to. WhatsApp accepts only the first six.
    NotificationEvent {
        /// `created`.
        Created => "created",
        /// `paid`.
        Paid => "paid",
        /// `canceled`.
        Canceled => "canceled",
        /// `failed`.
        Failed => "failed",
        /// `expired`.
        Expired => "expired",
        /// `authorized`.
        Authorized => "authorized",
        /// `voided` (email/sms only).
        Voided => "voided",
        /// `refunded` (email/sms only).
        Refunded => "refunded",
        /// `captured` (email/sms only).
        Captured => "captured",
    }
);

impl NotificationEvent {
    /// Whether WhatsApp accepts this event.
    pub fn whatsapp_allowed(&self) -> bool {
        matches!(
            self,
            Self::Created
                | Self::Paid
                | Self::Canceled
                | Self::Failed
                | Self::Expired
                | Self::Authorized
        )
    }
}

server_enum!(
    /// `operation` the gateway performs: collect now or only authorise.
    GatewayOperation {
        /// `purchase`.
        Purchase => "purchase",
        /// `authorize`.
        Authorize => "authorize",
    }
);

server_enum!(
    /// `agreement.amount_variability`.
    AmountVariability {
        /// Same amount each cycle.
        Fixed => "fixed",
        /// Amount may vary up to `max_amount_per_cycle`.
        Variable => "variable",
    }
);

server_enum!(
    /// `agreement.frequency`.
    AgreementFrequency {
        /// `irregular`.
        Irregular => "irregular",
        /// `daily`.
        Daily => "daily",
        /// `weekly`.
        Weekly => "weekly",
        /// `semi_monthly`.
        SemiMonthly => "semi_monthly",
        /// `monthly`.
        Monthly => "monthly",
        /// `quarterly`.
        Quarterly => "quarterly",
        /// `semi_annually`.
        SemiAnnually => "semi_annually",
        /// `yearly`.
        Yearly => "yearly",
        /// `other`.
        Other => "other",
    }
);

server_enum!(
    /// `agreement.type` (default `recurring`).
    AgreementType {
        /// `event_based`.
        EventBased => "event_based",
        /// `installment`.
        Installment => "installment",
        /// `recurring`.
        Recurring => "recurring",
        /// `unscheduled`.
        Unscheduled => "unscheduled",
        /// `other`.
        Other => "other",
    }
);

/// ISO 3166-1 alpha-2 codes the API accepts for `country` (the seed schema's enum).
pub const COUNTRY_CODES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// `billing_address`: `line1`, `city` and `country` are required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Street line (≤128, required).
    #[serde(default, deserialize_with = "de::string")]
    pub line1: String,
    /// Second line (≤128).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub line2: Option<String>,
    /// City (≤40, required).
    #[serde(default, deserialize_with = "de::string")]
    pub city: String,
    /// State or region (≤40).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub state: Option<String>,
    /// ISO 3166-1 alpha-2 country code, e.g. `KW` (required, see [`COUNTRY_CODES`]).
    #[serde(default, deserialize_with = "de::string")]
    pub country: String,
    /// Postal code (≤12).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub postal_code: Option<String>,
}

/// `shipping_address`: an [`Address`] plus the recipient (all of `first_name`, `last_name`,
/// `email`, `phone` are required).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingAddress {
    /// Recipient first name (≤64, required).
    #[serde(default, deserialize_with = "de::string")]
    pub first_name: String,
    /// Recipient last name (≤64, required).
    #[serde(default, deserialize_with = "de::string")]
    pub last_name: String,
    /// Recipient email (≤128, required).
    #[serde(default, deserialize_with = "de::string")]
    pub email: String,
    /// Recipient phone (≤16, required).
    #[serde(default, deserialize_with = "de::string")]
    pub phone: String,
    /// The address itself.
    #[serde(flatten)]
    pub address: Address,
}

/// `agreement.seller`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementSeller {
    /// Seller name (≤128).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub name: Option<String>,
    /// Short name (≤64).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub short_name: Option<String>,
    /// Merchant category code, 4 digits (≤64).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub category_code: Option<String>,
}

/// `agreement.extra_params` (seed spec only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementExtraParams {
    /// Day of the month the charge is made (1..31).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub payment_processing_day: Option<u8>,
}

/// `agreement`: the terms under which a saved card is charged later (`auto_debit` only).
///
/// For `type` `recurring` (the default) the API requires `id`, `amount_variability`,
/// `cycle_interval_days`, `expiry_date`, `frequency` and `total_cycles`; `installment` also
/// needs `seller`; `unscheduled` needs `id`, `frequency` and `type`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    /// Agreement id (≤128).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub id: Option<String>,
    /// Fixed or variable amount.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub amount_variability: Option<AmountVariability>,
    /// First charge date, `YYYY-MM-DD`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub start_date: Option<String>,
    /// Last charge date, `YYYY-MM-DD`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub expiry_date: Option<String>,
    /// Cap per cycle (decimal string).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub max_amount_per_cycle: Option<Amount>,
    /// Days between charges (1..366).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub cycle_interval_days: Option<u16>,
    /// Number of charges (1..999).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub total_cycles: Option<u16>,
    /// How often.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub frequency: Option<AgreementFrequency>,
    /// Kind of agreement (default `recurring`).
    #[serde(
        default,
        rename = "type",
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub agreement_type: Option<AgreementType>,
    /// The seller (required for installments).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub seller: Option<AgreementSeller>,
    /// Extra parameters.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub extra_params: Option<AgreementExtraParams>,
}

/// `card_acceptance_criteria`: limits on the cards accepted (direct payments).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardAcceptanceCriteria {
    /// Minimum days a card must still be valid (1..365; 30 by default for `auto_debit`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub min_expiry_time: Option<u16>,
}

/// `notifications`: which events Ottu itself notifies the customer about, per channel.
///
/// `sms` and `whatsapp` need `customer_phone`; `email` needs `customer_email`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    /// Email events.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::list"
    )]
    pub email: Vec<NotificationEvent>,
    /// SMS events.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::list"
    )]
    pub sms: Vec<NotificationEvent>,
    /// WhatsApp events (no `voided`, `refunded`, `captured`).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::list"
    )]
    pub whatsapp: Vec<NotificationEvent>,
}

impl Notifications {
    /// Whether no channel has any event.
    pub fn is_empty(&self) -> bool {
        self.email.is_empty() && self.sms.is_empty() && self.whatsapp.is_empty()
    }
}

/// Icon URLs of a gateway in several formats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Icons {
    /// SVG icon.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub svg: Option<String>,
    /// WebP icon.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub webp: Option<String>,
    /// Label (`pg_icons` only).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub label: Option<String>,
}

/// One entry of a session's `payment_methods`: a gateway the payer can choose, with fees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentMethod {
    /// The `pg_code`.
    pub code: PgCode,
    /// Display name.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub name: Option<String>,
    /// Gateway family name (seed spec), e.g. `"Ottu PG"`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub pg: Option<String>,
    /// Plugin type; some servers send other values such as `sandbox` (kept as `Unknown`).
    #[serde(
        default,
        rename = "type",
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub method_type: Option<CheckoutType>,
    /// Amount including the fee.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub amount: Option<Amount>,
    /// Currency of `amount`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub currency_code: Option<CurrencyCode>,
    /// The fee.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub fee: Option<Amount>,
    /// Fee explanation.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub fee_description: Option<String>,
    /// SVG icon URL.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub icon: Option<String>,
    /// Icons by format.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub icons: Option<Icons>,
    /// Gateway icons by format, with a label.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub pg_icons: Option<Icons>,
    /// Payment flow (default `redirect`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub flow: Option<String>,
    /// Direct link to the gateway page.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub redirect_url: Option<String>,
    /// Branding sent at creation, if any.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt"
    )]
    pub branding_options: Option<Value>,
}

/// `sdk_setup_preload_payload`: the object handed unchanged to Ottu's Checkout SDK.
///
/// The commonly used keys are typed; `raw` keeps the whole object for passing it on.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct SdkSetupPreloadPayload {
    /// `session_id`.
    pub session_id: Option<String>,
    /// `amount`.
    pub amount: Option<String>,
    /// `currency_code`.
    pub currency_code: Option<String>,
    /// `state`.
    pub state: Option<PaymentState>,
    /// `type`.
    pub checkout_type: Option<CheckoutType>,
    /// `payment_type`.
    pub payment_type: Option<PaymentType>,
    /// Expiry *date-time* (unlike the session's duration).
    pub expiration_time: Option<String>,
    /// Merchant-cancel endpoint.
    pub cancel_url: Option<String>,
    /// Whether the payer may edit the amount.
    pub is_amount_editable: Option<bool>,
    /// The whole object as received.
    pub raw: Map<String, Value>,
}

impl Serialize for SdkSetupPreloadPayload {
    /// Serialises the object as received.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(s)
    }
}

impl<'de> Deserialize<'de> for SdkSetupPreloadPayload {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Map::<String, Value>::deserialize(d)?;
        let text = |key: &str| match raw.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        Ok(Self {
            session_id: text("session_id"),
            amount: text("amount"),
            currency_code: text("currency_code"),
            state: text("state").map(|s| PaymentState::from_wire(&s)),
            checkout_type: text("type").map(|s| CheckoutType::from_wire(&s)),
            payment_type: text("payment_type").map(|s| PaymentType::from_wire(&s)),
            expiration_time: text("expiration_time"),
            cancel_url: text("cancel_url"),
            is_amount_editable: raw.get("is_amount_editable").and_then(Value::as_bool),
            raw,
        })
    }
}

/// A checkout transaction as the server returns it (create 201, retrieve/update 200).
///
/// Only `session_id` is required; every other key may be absent, `null` or `""` (→ `None` or
/// empty), and unknown keys are ignored. `qr_code_url`, `checkout_short_url` and
/// `attachment_short_url` come back only when the matching flag was set in *this* request, so
/// keep them from the create response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CheckoutSession {
    /// The transaction id.
    pub session_id: SessionId,
    /// Current state.
    #[serde(default, deserialize_with = "de::opt")]
    pub state: Option<PaymentState>,
    /// Plugin.
    #[serde(default, rename = "type", deserialize_with = "de::opt")]
    pub checkout_type: Option<CheckoutType>,
    /// Amount, formatted by the server with the currency's decimals.
    #[serde(default, deserialize_with = "de::opt")]
    pub amount: Option<Amount>,
    /// Currency.
    #[serde(default, deserialize_with = "de::opt")]
    pub currency_code: Option<CurrencyCode>,
    /// Gateways offered.
    #[serde(default, deserialize_with = "de::list")]
    pub pg_codes: Vec<PgCode>,
    /// Payment type.
    #[serde(default, deserialize_with = "de::opt")]
    pub payment_type: Option<PaymentType>,
    /// Merchant reference.
    #[serde(default, deserialize_with = "de::opt")]
    pub order_no: Option<OrderNo>,
    /// Customer id.
    #[serde(default, deserialize_with = "de::opt")]
    pub customer_id: Option<String>,
    /// Customer email.
    #[serde(default, deserialize_with = "de::opt")]
    pub customer_email: Option<String>,
    /// Customer phone.
    #[serde(default, deserialize_with = "de::opt")]
    pub customer_phone: Option<String>,
    /// Second phone.
    #[serde(default, deserialize_with = "de::opt")]
    pub customer_phone_2: Option<String>,
    /// First name.
    #[serde(default, deserialize_with = "de::opt")]
    pub customer_first_name: Option<String>,
    /// Last name.
    #[serde(default, deserialize_with = "de::opt")]
    pub customer_last_name: Option<String>,
    /// Birth date, `YYYY-MM-DD`.
    #[serde(default, deserialize_with = "de::opt")]
    pub customer_birthdate: Option<String>,
    /// Billing address.
    #[serde(default, deserialize_with = "de::opt")]
    pub billing_address: Option<Address>,
    /// Shipping address.
    #[serde(default, deserialize_with = "de::opt")]
    pub shipping_address: Option<ShippingAddress>,
    /// Agreement (auto-debit).
    #[serde(default, deserialize_with = "de::opt")]
    pub agreement: Option<Agreement>,
    /// Card acceptance criteria.
    #[serde(default, deserialize_with = "de::opt")]
    pub card_acceptance_criteria: Option<CardAcceptanceCriteria>,
    /// Notification subscriptions.
    #[serde(default, deserialize_with = "de::opt")]
    pub notifications: Option<Notifications>,
    /// Internal CC list.
    #[serde(default, deserialize_with = "de::list")]
    pub email_recipients: Vec<String>,
    /// Page language.
    #[serde(default, deserialize_with = "de::opt")]
    pub language: Option<Language>,
    /// Time to live as a duration string (`"1 00:00:00"`, `"00:50:00"`).
    #[serde(default, deserialize_with = "de::opt")]
    pub expiration_time: Option<String>,
    /// Informational due date.
    #[serde(default, deserialize_with = "de::opt")]
    pub due_datetime: Option<String>,
    /// Where the payer goes after paying.
    #[serde(default, deserialize_with = "de::opt")]
    pub redirect_url: Option<String>,
    /// Where payment results are posted.
    #[serde(default, deserialize_with = "de::opt")]
    pub webhook_url: Option<String>,
    /// Payment page link: `https://<host>/b/checkout/redirect/start/?session_id=…`.
    #[serde(default, deserialize_with = "de::opt")]
    pub checkout_url: Option<String>,
    /// Front-end checkout page URL.
    #[serde(default, deserialize_with = "de::opt")]
    pub checkout_page_url: Option<String>,
    /// Short link (when `shortify_checkout_url` was set).
    #[serde(default, deserialize_with = "de::opt")]
    pub checkout_short_url: Option<String>,
    /// QR image URL (when `generate_qr_code` was set).
    #[serde(default, deserialize_with = "de::opt")]
    pub qr_code_url: Option<String>,
    /// Attachment (absolute media URL).
    #[serde(default, deserialize_with = "de::opt")]
    pub attachment: Option<String>,
    /// The uploaded file's `file_url` used for the attachment.
    #[serde(default, deserialize_with = "de::opt")]
    pub attachment_upload_url: Option<String>,
    /// Short attachment link (when `shortify_attachment_url` was set).
    #[serde(default, deserialize_with = "de::opt")]
    pub attachment_short_url: Option<String>,
    /// Free key/value data.
    #[serde(default, deserialize_with = "de::opt")]
    pub extra: Option<Map<String, Value>>,
    /// Product type.
    #[serde(default, deserialize_with = "de::opt")]
    pub product_type: Option<String>,
    /// Vendor name.
    #[serde(default, deserialize_with = "de::opt")]
    pub vendor_name: Option<String>,
    /// User the transaction was made for.
    #[serde(default, deserialize_with = "de::opt")]
    pub initiator_id: Option<i64>,
    /// `purchase` or `authorize`.
    #[serde(default, deserialize_with = "de::opt")]
    pub operation: Option<GatewayOperation>,
    /// The gateway the payment went through.
    #[serde(default, deserialize_with = "de::opt")]
    pub settled_pg_code: Option<String>,
    /// Gateways with amounts and fees (a single object is read as a list of one).
    #[serde(default, deserialize_with = "de::one_or_many")]
    pub payment_methods: Vec<PaymentMethod>,
    /// Checkout SDK payload (when `include_sdk_setup_preload` was set).
    #[serde(default, deserialize_with = "de::opt_object")]
    pub sdk_setup_preload_payload: Option<SdkSetupPreloadPayload>,
    /// Billing summary (current spec).
    #[serde(default, deserialize_with = "de::opt")]
    pub billing: Option<Value>,
    /// Loyalty settings (current spec).
    #[serde(default, deserialize_with = "de::opt")]
    pub loyalty: Option<Value>,
}

impl CheckoutSession {
    /// The link to share: `checkout_short_url`, else `checkout_url`.
    pub fn share_url(&self) -> Option<&str> {
        self.checkout_short_url
            .as_deref()
            .or(self.checkout_url.as_deref())
    }
}
