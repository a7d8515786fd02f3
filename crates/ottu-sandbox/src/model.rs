//! The stored transaction and its state machine, independent of HTTP and SQL.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A parent transaction's `state` (Ottu's enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Created,
    Pending,
    Attempted,
    Authorized,
    Paid,
    Failed,
    Canceled,
    Expired,
    Invalided,
    Refunded,
    Cod,
}

impl State {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Created => "created",
            State::Pending => "pending",
            State::Attempted => "attempted",
            State::Authorized => "authorized",
            State::Paid => "paid",
            State::Failed => "failed",
            State::Canceled => "canceled",
            State::Expired => "expired",
            State::Invalided => "invalided",
            State::Refunded => "refunded",
            State::Cod => "cod",
        }
    }

    /// Parses a wire name.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "created" => State::Created,
            "pending" => State::Pending,
            "attempted" => State::Attempted,
            "authorized" => State::Authorized,
            "paid" => State::Paid,
            "failed" => State::Failed,
            "canceled" => State::Canceled,
            "expired" => State::Expired,
            "invalided" => State::Invalided,
            "refunded" => State::Refunded,
            "cod" => State::Cod,
            _ => return None,
        })
    }

    /// States in which the payer can still pay and the merchant can still edit.
    pub fn is_open(self) -> bool {
        matches!(self, State::Created | State::Pending | State::Attempted)
    }
}

/// Which plugin (`type`) a transaction belongs to; decides the permissions needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plugin {
    PaymentRequest,
    ECommerce,
}

impl Plugin {
    /// The wire name (`type`).
    pub fn as_str(self) -> &'static str {
        match self {
            Plugin::PaymentRequest => "payment_request",
            Plugin::ECommerce => "e_commerce",
        }
    }

    /// Parses a wire name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "payment_request" => Some(Plugin::PaymentRequest),
            "e_commerce" => Some(Plugin::ECommerce),
            _ => None,
        }
    }
}

/// Outputs and bookkeeping kept beside the echoed fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Outputs {
    /// `generate_qr_code` was asked for at least once.
    #[serde(default)]
    pub qr: bool,
    /// `shortify_checkout_url` was asked for at least once.
    #[serde(default)]
    pub short: bool,
    /// Relative media path of the attached file.
    #[serde(default)]
    pub attachment_file_url: Option<String>,
    /// `shortify_attachment_url` was asked for.
    #[serde(default)]
    pub attachment_short: bool,
    /// The pg_code of the gateway the payer used last.
    #[serde(default)]
    pub settled_pg_code: Option<String>,
    /// Result of the payer's last attempt (`success`, `failed`, `canceled`, `error`).
    #[serde(default)]
    pub last_result: Option<String>,
    /// Number of payment attempts.
    #[serde(default)]
    pub attempts: u32,
    /// Last four digits of the card used last.
    #[serde(default)]
    pub card_last4: Option<String>,
    /// Id of the Basic user that created it (absent for API keys).
    #[serde(default)]
    pub initiator_user: Option<String>,
}

/// One stored payment transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Txn {
    pub session_id: String,
    pub order_no: Option<String>,
    pub reference_number: String,
    pub short_code: String,
    pub plugin: Plugin,
    pub state: State,
    /// The echoed request fields, already validated and normalised.
    pub fields: Map<String, Value>,
    pub outputs: Outputs,
    pub created_at: i64,
    pub updated_at: i64,
    pub expires_at: i64,
    pub paid_at: Option<i64>,
    /// Soft-deleted (`delete` operation on a paid/authorized/cod transaction).
    pub deleted: bool,
}

impl Txn {
    /// A string field of the echoed request data.
    pub fn field_str(&self, key: &str) -> Option<&str> {
        self.fields.get(key).and_then(Value::as_str)
    }

    /// The transaction's pg_codes.
    pub fn pg_codes(&self) -> Vec<String> {
        self.fields
            .get("pg_codes")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Applies lazy expiry: an open transaction past `expires_at` becomes `expired`.
    /// Returns whether the state changed.
    pub fn expire_if_due(&mut self, now: i64) -> bool {
        if self.state.is_open() && now >= self.expires_at {
            self.state = State::Expired;
            self.updated_at = now;
            true
        } else {
            false
        }
    }
}
