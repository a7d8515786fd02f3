//! The typed model of what the sandbox stores and serves, independent of HTTP and SQL: the
//! transaction ([`Txn`]) with the checkout the merchant asked for ([`Checkout`], in
//! `checkout.rs`), the payer's last [`Attempt`], the [`Operation`]s and their state machine,
//! and the enums of Ottu's wire names. Validation builds a [`Checkout`] once; `render` turns
//! the model into Ottu's shapes. The serde derives here are the wire and storage names of these
//! types (the echoed checkout fields are stored as the same JSON they are served as).
//! Gateways are the merchant's configuration: [`crate::config::GatewayConfig`].

mod checkout;
pub mod invoice;

use serde::{Deserialize, Serialize};

pub use checkout::{
    Address, Agreement, AgreementExtraParams, CardAcceptanceCriteria, Checkout, DueDateTime,
    ExpirationTime, Loyalty, Notifications, Seller, ShippingAddress,
};
pub use invoice::{Invoice, InvoiceItem};

/// An enum with fixed wire names: `as_str`, `parse`, `NAMES` (in declaration order) and serde
/// by those names.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every wire name, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The wire name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            /// Parses a wire name.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

wire_enum! {
    /// A parent transaction's `state` (Ottu's enum).
    State {
        Created = "created",
        Pending = "pending",
        Attempted = "attempted",
        Authorized = "authorized",
        Paid = "paid",
        Failed = "failed",
        Canceled = "canceled",
        Expired = "expired",
        Invalided = "invalided",
        Refunded = "refunded",
        Cod = "cod",
    }
}

impl State {
    /// States in which the payer can still pay and the merchant can still edit.
    pub fn is_open(self) -> bool {
        matches!(self, State::Created | State::Pending | State::Attempted)
    }

    /// Paid, authorized or cash on delivery: money was promised, so `delete` only hides it.
    pub fn is_settled(self) -> bool {
        matches!(self, State::Paid | State::Authorized | State::Cod)
    }

    /// The cash acknowledgement (`POST /b/pbl/v2/payment/cash/`). Ottu documents the endpoint
    /// but not the state it leaves; chosen here: a transaction the payer could still pay
    /// (`created`, `pending`, `attempted`) becomes `cod` ("cash on delivery acknowledged" in
    /// Ottu's state list); every other state refuses it and is returned as `Err`, `cod`
    /// included (a second acknowledgement is refused, not repeated).
    ///
    /// | From | Cash acknowledgement |
    /// |---|---|
    /// | `created`, `pending`, `attempted` | `cod` |
    /// | `cod`, `paid`, `authorized`, `failed`, `canceled`, `expired`, `invalided`, `refunded` | refused |
    pub fn acknowledge_cash(self) -> Result<State, State> {
        if self.is_open() {
            Ok(State::Cod)
        } else {
            Err(self)
        }
    }
}

wire_enum! {
    /// Which plugin (`type`) a transaction belongs to; decides the permissions needed.
    Plugin {
        ECommerce = "e_commerce",
        PaymentRequest = "payment_request",
    }
}

wire_enum! {
    /// `payment_type`.
    PaymentType {
        OneOff = "one_off",
        AutoDebit = "auto_debit",
        SaveCard = "save_card",
    }
}

wire_enum! {
    /// `language` of the checkout page and notifications.
    Language {
        En = "en",
        Ar = "ar",
    }
}

wire_enum! {
    /// `agreement.type`.
    AgreementType {
        EventBased = "event_based",
        Installment = "installment",
        Recurring = "recurring",
        Unscheduled = "unscheduled",
        Other = "other",
    }
}

wire_enum! {
    /// `agreement.frequency`.
    Frequency {
        Irregular = "irregular",
        Daily = "daily",
        Weekly = "weekly",
        SemiMonthly = "semi_monthly",
        Monthly = "monthly",
        Quarterly = "quarterly",
        SemiAnnually = "semi_annually",
        Yearly = "yearly",
        Other = "other",
    }
}

wire_enum! {
    /// `agreement.amount_variability`.
    AmountVariability {
        Fixed = "fixed",
        Variable = "variable",
    }
}

wire_enum! {
    /// An event in `notifications` (WhatsApp takes the first six only).
    NotificationEvent {
        Created = "created",
        Paid = "paid",
        Canceled = "canceled",
        Failed = "failed",
        Expired = "expired",
        Authorized = "authorized",
        Voided = "voided",
        Refunded = "refunded",
        Captured = "captured",
    }
}

wire_enum! {
    /// Result of a payer's attempt, as webhooks report it.
    AttemptResult {
        Success = "success",
        Failed = "failed",
        Canceled = "canceled",
    }
}

wire_enum! {
    /// An operation of `POST /b/pbl/v2/operation/`.
    Operation {
        Delete = "delete",
        Cancel = "cancel",
        Expire = "expire",
        Refund = "refund",
        Capture = "capture",
        Void = "void",
    }
}

impl Operation {
    /// The past participle used in answers (`canceled`).
    pub fn past_tense(self) -> &'static str {
        match self {
            Operation::Cancel => "canceled",
            Operation::Expire => "expired",
            Operation::Delete => "deleted",
            Operation::Refund => "refunded",
            Operation::Capture => "captured",
            Operation::Void => "voided",
        }
    }

    /// Whether it acts on Ottu's record only (`cancel`, `expire`, `delete`); the others
    /// (`refund`, `capture`, `void`) are external: they go to the gateway and make a child
    /// transaction ([`Child`]).
    pub fn is_internal(self) -> bool {
        matches!(
            self,
            Operation::Cancel | Operation::Expire | Operation::Delete
        )
    }

    /// The internal state machine (digest §15): the state after this operation, or `Err` with
    /// the current state when it does not allow it. `Delete` never changes the state.
    pub fn next_state(self, current: State) -> Result<State, State> {
        match self {
            Operation::Cancel if current.is_open() || current == State::Cod => Ok(State::Canceled),
            Operation::Expire if current.is_open() => Ok(State::Expired),
            Operation::Delete => Ok(current),
            _ => Err(current),
        }
    }
}

wire_enum! {
    /// A child transaction's `state` (Ottu's `ChildPayment.state`).
    ChildState {
        /// A capture.
        Paid = "paid",
        Refunded = "refunded",
        /// A refund the gateway has not answered yet (gateways with `queue_refunds`).
        RefundQueued = "refund_queued",
        RefundRejected = "refund_rejected",
        Voided = "voided",
    }
}

impl ChildState {
    /// `result` of the operation in this state: `success`, `queued` or `rejected`.
    pub fn result(self) -> &'static str {
        match self {
            ChildState::RefundQueued => "queued",
            ChildState::RefundRejected => "rejected",
            _ => "success",
        }
    }
}

/// A child transaction: one refund, capture or void of a parent [`Txn`], with its own
/// `session_id` and `reference_number`.
#[derive(Debug, Clone, PartialEq)]
pub struct Child {
    pub session_id: String,
    pub parent_session_id: String,
    pub operation: Operation,
    pub state: ChildState,
    /// In the parent's currency decimals.
    pub amount: crate::money::Amount,
    pub reference_number: String,
    /// The gateway that performed it (the parent's settled gateway).
    pub pg_code: String,
    /// The `Tracking-Key` it was made with, if any.
    pub tracking_key: Option<String>,
    /// The `amount` the request named (normalised), `None` for "the full/remaining amount":
    /// a replay with the same key must ask for the same thing.
    pub requested_amount: Option<String>,
    /// Username of the Basic user that asked for it (absent for API keys).
    pub initiator_user: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Totals of a parent's children, in its currency decimals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChildTotals {
    /// Captures (child `paid`).
    pub captured: crate::money::Amount,
    /// Refunds done (`refunded`).
    pub refunded: crate::money::Amount,
    /// Refunds still queued (`refund_queued`): reserved, not refundable again.
    pub refund_queued: crate::money::Amount,
    /// Voids (`voided`).
    pub voided: crate::money::Amount,
}

impl ChildTotals {
    /// Sums `children` with `decimals` decimals.
    pub fn of(children: &[Child], decimals: u32) -> Self {
        use rust_decimal::Decimal;
        let sum = |state: ChildState| {
            let total: Decimal = children
                .iter()
                .filter(|c| c.state == state)
                .map(|c| c.amount.value())
                .sum();
            crate::money::Amount::new(total, decimals)
        };
        Self {
            captured: sum(ChildState::Paid),
            refunded: sum(ChildState::Refunded),
            refund_queued: sum(ChildState::RefundQueued),
            voided: sum(ChildState::Voided),
        }
    }
}

/// The payer's last attempt on a gateway.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// The gateway used (`settled_pg_code`).
    pub pg_code: String,
    pub result: AttemptResult,
    /// Last four digits of the card, when one was given.
    pub card_last4: Option<String>,
}

/// Links asked for once and returned by every later read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Links {
    /// `generate_qr_code` was asked for at least once.
    pub qr: bool,
    /// `shortify_checkout_url` was asked for at least once.
    pub short: bool,
    /// Relative media path of the attached file.
    pub attachment_file_url: Option<String>,
    /// `shortify_attachment_url` was asked for (with an attachment).
    pub attachment_short: bool,
}

/// One stored payment transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Txn {
    pub session_id: String,
    pub reference_number: String,
    pub short_code: String,
    pub state: State,
    pub checkout: Checkout,
    pub links: Links,
    /// The last payment attempt, if any.
    pub attempt: Option<Attempt>,
    /// Number of payment attempts.
    pub attempts: u32,
    /// Username of the Basic user that created it (absent for API keys).
    pub initiator_user: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub expires_at: i64,
    pub paid_at: Option<i64>,
    /// Soft-deleted (`delete` operation on a paid/authorized/cod transaction).
    pub deleted: bool,
    /// Set when the Invoice API created it (invoices cannot be updated).
    pub invoice: Option<Box<Invoice>>,
}

impl Txn {
    /// The plugin (`type`).
    pub fn plugin(&self) -> Plugin {
        self.checkout.plugin
    }

    /// `order_no` unless blank.
    pub fn order_no(&self) -> Option<&str> {
        self.checkout.order_no()
    }

    /// The transaction's pg_codes.
    pub fn pg_codes(&self) -> &[String] {
        &self.checkout.pg_codes
    }

    /// The pg_code of the gateway the payer used last.
    pub fn settled_pg_code(&self) -> Option<&str> {
        self.attempt.as_ref().map(|a| a.pg_code.as_str())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_and_expire_follow_the_state_table() {
        for open in [State::Created, State::Pending, State::Attempted] {
            assert_eq!(Operation::Cancel.next_state(open), Ok(State::Canceled));
            assert_eq!(Operation::Expire.next_state(open), Ok(State::Expired));
        }
        assert_eq!(
            Operation::Cancel.next_state(State::Cod),
            Ok(State::Canceled)
        );
        assert_eq!(Operation::Expire.next_state(State::Cod), Err(State::Cod));
        for closed in [State::Paid, State::Failed, State::Canceled, State::Expired] {
            assert_eq!(Operation::Cancel.next_state(closed), Err(closed));
            assert_eq!(Operation::Delete.next_state(closed), Ok(closed));
        }
        assert_eq!(Operation::Refund.next_state(State::Paid), Err(State::Paid));
    }

    #[test]
    fn cash_acknowledgement_follows_its_state_table() {
        for open in [State::Created, State::Pending, State::Attempted] {
            assert_eq!(open.acknowledge_cash(), Ok(State::Cod));
        }
        for closed in [
            State::Cod,
            State::Paid,
            State::Authorized,
            State::Failed,
            State::Canceled,
            State::Expired,
            State::Invalided,
            State::Refunded,
        ] {
            assert_eq!(closed.acknowledge_cash(), Err(closed));
        }
    }

    #[test]
    fn wire_names_round_trip() {
        for name in State::NAMES {
            assert_eq!(State::parse(name).map(State::as_str), Some(*name));
        }
        assert_eq!(
            serde_json::to_value(Frequency::SemiMonthly).unwrap(),
            "semi_monthly"
        );
        assert_eq!(Plugin::parse("pos"), None);
    }
}
