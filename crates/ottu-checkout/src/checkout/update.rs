//! Full update `PUT` and partial update `PATCH` of `/b/checkout/v1/pymt-txn/{session_id}/`.
//!
//! Both set fields to given values, so repeating one has the same effect as sending it once;
//! they are retried according to the client's [`RetryPolicy`](crate::RetryPolicy).

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::Payload;
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{OrderNo, PgCode, SessionId};
use crate::money::{Amount, CurrencyCode};

use super::create::CreateCheckoutSession;
use super::types::{
    Address, Agreement, CardAcceptanceCriteria, CheckoutSession, CheckoutType, Language,
    Notifications, PaymentType, ShippingAddress,
};
use super::validate as check;
use super::{Checkout, session_path};

/// The body of a partial update (PATCH): every field optional; only the fields set are sent.
///
/// Typical edits of an unpaid link: `amount`, `customer_*`, `pg_codes`. Cross-field rules that
/// depend on stored values (e.g. sms notifications needing a phone) are left to the server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateCheckoutSession {
    /// `type`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub checkout_type: Option<CheckoutType>,
    /// `amount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// `currency_code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<CurrencyCode>,
    /// `pg_codes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pg_codes: Option<Vec<PgCode>>,
    /// `payment_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_type: Option<PaymentType>,
    /// `order_no`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_no: Option<OrderNo>,
    /// `customer_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// `customer_email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<String>,
    /// `customer_phone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_phone: Option<String>,
    /// `customer_phone_2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_phone_2: Option<String>,
    /// `customer_first_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_first_name: Option<String>,
    /// `customer_last_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_last_name: Option<String>,
    /// `customer_birthdate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_birthdate: Option<String>,
    /// `billing_address`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_address: Option<Address>,
    /// `shipping_address`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<ShippingAddress>,
    /// `agreement`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Agreement>,
    /// `card_acceptance_criteria`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_acceptance_criteria: Option<CardAcceptanceCriteria>,
    /// `notifications`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<Notifications>,
    /// `email_recipients`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_recipients: Option<Vec<String>>,
    /// `language`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// `expiration_time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<String>,
    /// `due_datetime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_datetime: Option<String>,
    /// `redirect_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// `webhook_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// `generate_qr_code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate_qr_code: Option<bool>,
    /// `shortify_checkout_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortify_checkout_url: Option<bool>,
    /// `shortify_attachment_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortify_attachment_url: Option<bool>,
    /// `include_sdk_setup_preload`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_sdk_setup_preload: Option<bool>,
    /// `attachment_upload_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_upload_url: Option<String>,
    /// `extra`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<Map<String, Value>>,
    /// `product_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    /// `vendor_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_name: Option<String>,
    /// `initiator_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator_id: Option<i64>,
    /// `unit_code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_code: Option<String>,
}

impl UpdateCheckoutSession {
    /// Checks the fields that are set; on failure [`Error::Validation`] with `status: None`.
    pub fn validate(&self) -> Result<()> {
        let errors = self.field_errors();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::local(errors))
        }
    }

    /// The local checks' findings for the fields that are set.
    pub fn field_errors(&self) -> FieldErrors {
        let mut e = FieldErrors::new();
        check::unknown_enum(
            &mut e,
            "type",
            self.checkout_type == Some(CheckoutType::Unknown),
        );
        check::unknown_enum(
            &mut e,
            "payment_type",
            self.payment_type == Some(PaymentType::Unknown),
        );
        check::unknown_enum(&mut e, "language", self.language == Some(Language::Unknown));
        if let Some(amount) = &self.amount {
            check::amount_fits(&mut e, "amount", amount, self.currency_code.as_ref());
            let save_card = self.payment_type == Some(PaymentType::SaveCard);
            if save_card && !amount.is_zero() {
                e.add("amount", "Amount must be 0 when payment_type is save_card.");
            } else if !save_card && self.payment_type.is_some() && amount.is_zero() {
                e.add("amount", "Ensure this value is greater than 0.");
            }
        }
        if self.pg_codes.as_ref().is_some_and(Vec::is_empty) {
            e.add("pg_codes", "This list may not be empty.");
        }
        check::opt_max_len(&mut e, "customer_id", &self.customer_id, 64);
        check::email(&mut e, "customer_email", &self.customer_email);
        check::opt_max_len(&mut e, "customer_phone", &self.customer_phone, 16);
        check::opt_max_len(&mut e, "customer_phone_2", &self.customer_phone_2, 16);
        check::opt_max_len(&mut e, "customer_first_name", &self.customer_first_name, 64);
        check::opt_max_len(&mut e, "customer_last_name", &self.customer_last_name, 64);
        check::date(&mut e, "customer_birthdate", &self.customer_birthdate);
        check::opt_max_len(&mut e, "product_type", &self.product_type, 128);
        check::opt_max_len(&mut e, "vendor_name", &self.vendor_name, 64);
        check::url(&mut e, "redirect_url", &self.redirect_url);
        check::url(&mut e, "webhook_url", &self.webhook_url);
        for (i, address) in self.email_recipients.iter().flatten().enumerate() {
            if !check::is_email(address) {
                e.add(
                    &format!("email_recipients.{i}"),
                    "Enter a valid email address.",
                );
            }
        }
        if self
            .expiration_time
            .as_deref()
            .is_some_and(|d| !check::is_duration(d))
        {
            e.add(
                "expiration_time",
                "Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu].",
            );
        }
        check::due_datetime(&mut e, &self.due_datetime);
        check::attachment_upload_url(&mut e, &self.attachment_upload_url);
        if let Some(a) = &self.billing_address {
            a.check("billing_address", &mut e);
        }
        if let Some(a) = &self.shipping_address {
            a.check("shipping_address", &mut e);
        }
        if let Some(c) = &self.card_acceptance_criteria {
            c.check(&mut e);
        }
        if let Some(n) = &self.notifications {
            // Contact details may already be stored, so only the event names are checked.
            n.check(None, &mut e);
        }
        if let Some(a) = &self.agreement {
            a.check(self.currency_code.as_ref(), &mut e);
        }
        e
    }

    /// Whether nothing is set (an empty PATCH).
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

impl Checkout<'_> {
    /// Full update (`PUT`): replaces the transaction's fields with `request` (the create body;
    /// `type`, `amount`, `currency_code`, `pg_codes` required). Needs permission for the
    /// gateways already stored on the transaction.
    pub async fn replace(
        &self,
        session_id: &SessionId,
        request: &CreateCheckoutSession,
    ) -> Result<CheckoutSession> {
        request.validate()?;
        let body = serde_json::to_vec(request)
            .map_err(|e| Error::config(format!("cannot serialise the request: {e}")))?;
        self.client
            .send_idempotent(
                Method::PUT,
                &session_path(session_id),
                &Payload::Json(body),
                &[],
            )
            .await
    }

    /// Partial update (`PATCH`): changes only the fields set in `request`.
    pub async fn update(
        &self,
        session_id: &SessionId,
        request: &UpdateCheckoutSession,
    ) -> Result<CheckoutSession> {
        request.validate()?;
        let body = serde_json::to_vec(request)
            .map_err(|e| Error::config(format!("cannot serialise the request: {e}")))?;
        self.client
            .send_idempotent(
                Method::PATCH,
                &session_path(session_id),
                &Payload::Json(body),
                &[],
            )
            .await
    }
}
