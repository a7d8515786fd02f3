//! Create: `POST /b/checkout/v1/pymt-txn/` with [`CreateCheckoutSession`] (also the body of the
//! full update, PUT).
//!
//! Create is **not idempotent** and is never retried: if the answer is lost the transaction may
//! exist, and the error is [`Error::Ambiguous`] carrying the `order_no` that was sent.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::attachment::AttachmentFile;
use crate::client::{FilePart, Payload};
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{OrderNo, PgCode};
use crate::money::{Amount, CurrencyCode};

use super::types::{
    Address, Agreement, CardAcceptanceCriteria, CheckoutSession, CheckoutType, Language,
    Notifications, PaymentType, ShippingAddress,
};
use super::validate::{self as check, attachment_upload_url};
use super::{Checkout, PYMT_TXN_PATH};

fn is_false(value: &bool) -> bool {
    !*value
}

/// The body of a create (and of a full update, PUT): every field of the create schema.
///
/// Start from [`CreateCheckoutSession::new`] with the four required fields and set the rest
/// directly; `None`, empty lists and `false` flags are left out of the JSON.
///
/// ```
/// use ottu_checkout::{Amount, CurrencyCode, PgCode};
/// use ottu_checkout::checkout::{CheckoutType, CreateCheckoutSession};
///
/// let kwd = CurrencyCode::KWD;
/// let mut request = CreateCheckoutSession::new(
///     CheckoutType::PaymentRequest,
///     Amount::parse("12.5", &kwd).unwrap(),
///     kwd,
///     vec![PgCode::parse("knet").unwrap()],
/// );
/// request.generate_qr_code = true;
/// request.shortify_checkout_url = true;
/// let json = serde_json::to_value(&request).unwrap();
/// assert_eq!(json["amount"], "12.500");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateCheckoutSession {
    /// `type` (required): `payment_request` for a POS link.
    #[serde(rename = "type")]
    pub checkout_type: CheckoutType,
    /// `amount` (required), with the currency's decimals; `0` only for `save_card`.
    pub amount: Amount,
    /// `currency_code` (required).
    pub currency_code: CurrencyCode,
    /// `pg_codes` (required, at least one).
    pub pg_codes: Vec<PgCode>,
    /// `payment_type` (default `one_off`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_type: Option<PaymentType>,
    /// `order_no` (≤128): set a unique one so a lost answer can be reconciled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_no: Option<OrderNo>,
    /// `customer_id` (≤64): required for `auto_debit` and `save_card`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// `customer_email` (≤128): required for email notifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<String>,
    /// `customer_phone` (≤16): required for sms/WhatsApp notifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_phone: Option<String>,
    /// `customer_phone_2` (≤16).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_phone_2: Option<String>,
    /// `customer_first_name` (≤64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_first_name: Option<String>,
    /// `customer_last_name` (≤64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_last_name: Option<String>,
    /// `customer_birthdate`, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_birthdate: Option<String>,
    /// `billing_address`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_address: Option<Address>,
    /// `shipping_address`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<ShippingAddress>,
    /// `agreement`: only with `auto_debit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Agreement>,
    /// `card_acceptance_criteria`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_acceptance_criteria: Option<CardAcceptanceCriteria>,
    /// `notifications`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<Notifications>,
    /// `email_recipients`: internal CC list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_recipients: Vec<String>,
    /// `language` (default `en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// `expiration_time`: a duration, `DD HH:MM:SS` or `HH:MM:SS` (default 24 h).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<String>,
    /// `due_datetime`: informational due date (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_datetime: Option<String>,
    /// `redirect_url` (≤2000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// `webhook_url` (≤2000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// `generate_qr_code`: ask for `qr_code_url`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub generate_qr_code: bool,
    /// `shortify_checkout_url`: ask for `checkout_short_url`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub shortify_checkout_url: bool,
    /// `shortify_attachment_url`: ask for `attachment_short_url`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub shortify_attachment_url: bool,
    /// `include_sdk_setup_preload`: ask for `sdk_setup_preload_payload`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub include_sdk_setup_preload: bool,
    /// `preload_checkout_page` (create only; ignored on updates).
    #[serde(default, skip_serializing_if = "is_false")]
    pub preload_checkout_page: bool,
    /// `attachment_upload_url`: a `file_url` from the upload endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_upload_url: Option<String>,
    /// `extra`: free key/value data echoed back (and appended to `redirect_url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<Map<String, Value>>,
    /// `product_type` (≤128).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    /// `vendor_name` (≤64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_name: Option<String>,
    /// `initiator_id`: an existing active user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator_id: Option<i64>,
    /// `unit_code`: business unit slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_code: Option<String>,
}

impl CreateCheckoutSession {
    /// A request with the four required fields and nothing else.
    pub fn new(
        checkout_type: CheckoutType,
        amount: Amount,
        currency_code: CurrencyCode,
        pg_codes: Vec<PgCode>,
    ) -> Self {
        Self {
            checkout_type,
            amount,
            currency_code,
            pg_codes,
            payment_type: None,
            order_no: None,
            customer_id: None,
            customer_email: None,
            customer_phone: None,
            customer_phone_2: None,
            customer_first_name: None,
            customer_last_name: None,
            customer_birthdate: None,
            billing_address: None,
            shipping_address: None,
            agreement: None,
            card_acceptance_criteria: None,
            notifications: None,
            email_recipients: Vec::new(),
            language: None,
            expiration_time: None,
            due_datetime: None,
            redirect_url: None,
            webhook_url: None,
            generate_qr_code: false,
            shortify_checkout_url: false,
            shortify_attachment_url: false,
            include_sdk_setup_preload: false,
            preload_checkout_page: false,
            attachment_upload_url: None,
            extra: None,
            product_type: None,
            vendor_name: None,
            initiator_id: None,
            unit_code: None,
        }
    }

    /// Runs every local check; on failure the error is [`Error::Validation`] with
    /// `status: None`, naming fields as the server would.
    pub fn validate(&self) -> Result<()> {
        let errors = self.field_errors();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::local(errors))
        }
    }

    /// The local checks' findings (empty when the request looks valid).
    pub fn field_errors(&self) -> FieldErrors {
        let mut e = FieldErrors::new();
        let payment_type = self.payment_type.unwrap_or(PaymentType::OneOff);
        check::unknown_enum(&mut e, "type", self.checkout_type == CheckoutType::Unknown);
        check::unknown_enum(&mut e, "payment_type", payment_type == PaymentType::Unknown);
        check::unknown_enum(&mut e, "language", self.language == Some(Language::Unknown));

        check::amount_fits(&mut e, "amount", &self.amount, Some(&self.currency_code));
        match payment_type {
            PaymentType::SaveCard if !self.amount.is_zero() => {
                e.add("amount", "Amount must be 0 when payment_type is save_card.");
            }
            PaymentType::SaveCard => {}
            _ if self.amount.is_zero() => {
                e.add("amount", "Ensure this value is greater than 0.");
            }
            _ => {}
        }
        if self.pg_codes.is_empty() {
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
        for (i, address) in self.email_recipients.iter().enumerate() {
            if !check::is_email(address) {
                e.add(
                    &format!("email_recipients.{i}"),
                    "Enter a valid email address.",
                );
            }
        }
        if let Some(d) = &self.expiration_time
            && !check::is_duration(d)
        {
            e.add(
                    "expiration_time",
                    "Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu].",
                );
        }
        check::due_datetime(&mut e, &self.due_datetime);
        attachment_upload_url(&mut e, &self.attachment_upload_url);
        if self
            .unit_code
            .as_deref()
            .is_some_and(|u| u.trim().is_empty())
        {
            e.add("unit_code", "This field may not be blank.");
        }

        if let Some(a) = &self.billing_address {
            a.check("billing_address", &mut e);
        }
        if let Some(a) = &self.shipping_address {
            a.check("shipping_address", &mut e);
        }
        if let Some(c) = &self.card_acceptance_criteria {
            c.check(&mut e);
        }
        let has_phone = self
            .customer_phone
            .as_deref()
            .is_some_and(|p| !p.trim().is_empty());
        let has_email = self
            .customer_email
            .as_deref()
            .is_some_and(|p| !p.trim().is_empty());
        if let Some(n) = &self.notifications {
            n.check(Some((has_phone, has_email)), &mut e);
        }

        match payment_type {
            PaymentType::AutoDebit => {
                if self.customer_id.is_none() {
                    e.add(
                        "customer_id",
                        "This field is required when payment_type is auto_debit.",
                    );
                }
                match &self.agreement {
                    None => e.add(
                        "agreement",
                        "This field is required when payment_type is auto_debit.",
                    ),
                    Some(a) => a.check(Some(&self.currency_code), &mut e),
                }
            }
            PaymentType::SaveCard => {
                if self.customer_id.is_none() {
                    e.add(
                        "customer_id",
                        "This field is required when payment_type is save_card.",
                    );
                }
                if self.agreement.is_some() {
                    e.add("agreement", "Only allowed when payment_type is auto_debit.");
                }
            }
            _ => {
                if self.agreement.is_some() {
                    e.add("agreement", "Only allowed when payment_type is auto_debit.");
                }
            }
        }
        e
    }

    /// Form fields for a multipart body, or field errors for nested values multipart cannot
    /// carry (send those with JSON and `attachment_upload_url` instead).
    pub(crate) fn multipart_fields(&self) -> Result<Vec<(String, String)>> {
        let Value::Object(map) = serde_json::to_value(self)
            .map_err(|e| Error::config(format!("cannot serialise the request: {e}")))?
        else {
            return Err(Error::config("request did not serialise to an object"));
        };
        let mut fields = Vec::new();
        let mut errors = FieldErrors::new();
        for (key, value) in map {
            match value {
                Value::String(s) => fields.push((key, s)),
                Value::Bool(b) => fields.push((key, b.to_string())),
                Value::Number(n) => fields.push((key, n.to_string())),
                Value::Array(items) if items.iter().all(Value::is_string) => {
                    for item in items {
                        if let Value::String(s) = item {
                            fields.push((key.clone(), s));
                        }
                    }
                }
                Value::Null => {}
                _ => errors.add(
                    &key,
                    "Nested values cannot be sent together with a file; upload the file first and use attachment_upload_url.",
                ),
            }
        }
        if errors.is_empty() {
            Ok(fields)
        } else {
            Err(Error::local(errors))
        }
    }
}

/// Wraps errors that leave the outcome of a create unknown.
pub(crate) fn ambiguous_unless_final(error: Error, order_no: Option<&OrderNo>) -> Error {
    if error.may_have_been_applied() {
        Error::Ambiguous {
            order_no: order_no.cloned(),
            source: Box::new(error),
        }
    } else {
        error
    }
}

impl Checkout<'_> {
    /// Creates a checkout transaction (`POST /b/checkout/v1/pymt-txn/`, JSON, expects 201).
    ///
    /// Runs [`CreateCheckoutSession::validate`] first. Repeated only after a `429` (refused
    /// before anything was created), within the client's [`RetryPolicy`](crate::RetryPolicy)
    /// and honouring `Retry-After`; otherwise never retried: a timeout, a dropped
    /// connection after sending, a 5xx or an unreadable 2xx body comes back as
    /// [`Error::Ambiguous`] with the `order_no` sent, because the transaction may exist.
    pub async fn create(&self, request: &CreateCheckoutSession) -> Result<CheckoutSession> {
        request.validate()?;
        let body = serde_json::to_vec(request)
            .map_err(|e| Error::config(format!("cannot serialise the request: {e}")))?;
        self.client
            .send_retrying_refusals(Method::POST, PYMT_TXN_PATH, &Payload::Json(body), false)
            .await
            .map_err(|e| ambiguous_unless_final(e, request.order_no.as_ref()))
    }

    /// Creates a transaction with a file attached (`multipart/form-data`, the file in
    /// `attachment`). Multipart cannot carry nested objects (`notifications`, addresses,
    /// `agreement`, `extra`, `card_acceptance_criteria`): those are refused locally. Same
    /// ambiguity rules as [`Checkout::create`].
    pub async fn create_with_attachment(
        &self,
        request: &CreateCheckoutSession,
        file: &AttachmentFile,
    ) -> Result<CheckoutSession> {
        request.validate()?;
        let fields = request.multipart_fields()?;
        let payload = Payload::Multipart {
            fields,
            file: Some(FilePart {
                field: "attachment",
                file_name: file.file_name().to_owned(),
                mime: file.mime_type(),
                bytes: file.shared_bytes(),
            }),
        };
        self.client
            .send_retrying_refusals(Method::POST, PYMT_TXN_PATH, &payload, false)
            .await
            .map_err(|e| ambiguous_unless_final(e, request.order_no.as_ref()))
    }
}
