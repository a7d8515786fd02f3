//! Local checks run before a request is sent, reporting under the server's own field names
//! (nested with dots, e.g. `notifications.sms`, `billing_address.city`).

use crate::error::FieldErrors;
use crate::money::{Amount, CurrencyCode};

use super::types::{
    Address, Agreement, AgreementType, COUNTRY_CODES, CardAcceptanceCriteria, NotificationEvent,
    Notifications, ShippingAddress,
};

/// Extensions Ottu accepts for attachments.
pub const ATTACHMENT_EXTENSIONS: &[&str] = &[
    "pdf", "jpeg", "png", "doc", "docx", "jpg", "xls", "xlsx", "txt",
];

/// The server's message when sms notifications lack a phone (CHECKOUT_API.md §10).
pub const SMS_NEEDS_PHONE: &str = "To use sms notifications provide the `customer_phone` field.";
/// The same rule for email (text by analogy with the sms message).
pub const EMAIL_NEEDS_EMAIL: &str =
    "To use email notifications provide the `customer_email` field.";
/// The same rule for WhatsApp.
pub const WHATSAPP_NEEDS_PHONE: &str =
    "To use whatsapp notifications provide the `customer_phone` field.";

pub(crate) fn join(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_owned()
    } else {
        format!("{prefix}.{field}")
    }
}

pub(crate) fn max_len(errors: &mut FieldErrors, field: &str, value: &str, max: usize) {
    let count = value.chars().count();
    if count > max {
        errors.add(
            field,
            format!("Ensure this field has no more than {max} characters (it has {count})."),
        );
    }
}

pub(crate) fn opt_max_len(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
    max: usize,
) {
    if let Some(v) = value {
        max_len(errors, field, v, max);
    }
}

pub(crate) fn required_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        errors.add(field, "This field is required.");
    } else {
        max_len(errors, field, value, max);
    }
}

/// A pragmatic email check: one `@`, something on both sides, a dot in the domain, no spaces.
pub(crate) fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

pub(crate) fn email(errors: &mut FieldErrors, field: &str, value: &Option<String>) {
    if let Some(v) = value {
        if !is_email(v) {
            errors.add(field, "Enter a valid email address.");
        }
        max_len(errors, field, v, 128);
    }
}

/// `YYYY-MM-DD` with a real month and day.
pub(crate) fn is_date(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |s: &str| s.parse::<u32>().ok();
    let (Some(y), Some(m), Some(d)) = (num(&value[..4]), num(&value[5..7]), num(&value[8..]))
    else {
        return false;
    };
    if !value[..4].bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

pub(crate) fn date(errors: &mut FieldErrors, field: &str, value: &Option<String>) {
    if value.as_deref().is_some_and(|v| !is_date(v)) {
        errors.add(
            field,
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        );
    }
}

/// Django's duration syntax (what the server parses): `[D [day[s], ]][[HH:]MM:]SS[.ffffff]`
/// (`"01:00:00"`, `"1 00:00:00"`, `"2 days, 01:30:00"`, `"3600"`), or ISO 8601 `P…`.
pub(crate) fn is_duration(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return false;
    }
    if let Some(rest) = v.strip_prefix('P') {
        return !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || "DTHMSW.".contains(c));
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let clock = match v.split_once(' ') {
        Some((days, rest)) => {
            if !digits(days) {
                return false;
            }
            let rest = rest.trim_start();
            rest.strip_prefix("days, ")
                .or_else(|| rest.strip_prefix("day, "))
                .unwrap_or(rest)
        }
        None => v,
    };
    let (clock, fraction) = match clock.split_once('.') {
        Some((c, f)) => (c, Some(f)),
        None => (clock, None),
    };
    if fraction.is_some_and(|f| !digits(f) || f.len() > 6) {
        return false;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    (1..=3).contains(&parts.len()) && parts.iter().all(|p| digits(p))
}

/// `due_datetime`: ISO 8601 (`2026-12-31T12:00:00Z`, `2026-12-31 12:00`) or the documented
/// `DD/MM/YYYY hh:mm[:ss]` (CHECKOUT_API.md §8.3).
pub(crate) fn is_due_datetime(value: &str) -> bool {
    let v = value.trim();
    let clock_ok = |clock: &str| {
        let clock = clock.trim_end_matches('Z');
        let clock = clock.split(['+', '.']).next().unwrap_or_default();
        let parts: Vec<&str> = clock.split(':').collect();
        (2..=3).contains(&parts.len())
            && parts.iter().enumerate().all(|(i, p)| {
                p.len() == 2
                    && p.parse::<u32>()
                        .is_ok_and(|n| if i == 0 { n < 24 } else { n < 60 })
            })
    };
    if let Some((date, clock)) = v.split_once(['T', ' ']) {
        if is_date(date) {
            return clock_ok(clock);
        }
        let d: Vec<&str> = date.split('/').collect();
        if d.len() == 3 && d[0].len() == 2 && d[1].len() == 2 {
            return is_date(&format!("{}-{}-{}", d[2], d[1], d[0])) && clock_ok(clock);
        }
        return false;
    }
    is_date(v)
}

pub(crate) fn due_datetime(errors: &mut FieldErrors, value: &Option<String>) {
    if value.as_deref().is_some_and(|v| !is_due_datetime(v)) {
        errors.add(
            "due_datetime",
            "Datetime has wrong format. Use YYYY-MM-DDThh:mm[:ss][Z] or DD/MM/YYYY hh:mm[:ss].",
        );
    }
}

pub(crate) fn url(errors: &mut FieldErrors, field: &str, value: &Option<String>) {
    if let Some(v) = value {
        match url::Url::parse(v) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
            _ => errors.add(field, "Enter a valid URL."),
        }
        max_len(errors, field, v, 2000);
    }
}

/// Whether `name` ends in an accepted attachment extension (case-insensitive).
pub fn has_attachment_extension(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ATTACHMENT_EXTENSIONS
        .iter()
        .any(|ext| lower.ends_with(&format!(".{ext}")))
}

pub(crate) fn attachment_upload_url(errors: &mut FieldErrors, value: &Option<String>) {
    if let Some(v) = value {
        let lower = v.to_ascii_lowercase();
        if !ATTACHMENT_EXTENSIONS.iter().any(|ext| lower.ends_with(ext)) {
            errors.add(
                "attachment_upload_url",
                format!(
                    "The file must have one of these extensions: {}.",
                    ATTACHMENT_EXTENSIONS.join(", ")
                ),
            );
        }
    }
}

pub(crate) fn amount_fits(
    errors: &mut FieldErrors,
    field: &str,
    amount: &Amount,
    currency: Option<&CurrencyCode>,
) {
    match currency {
        Some(c) => {
            if let Err(e) = amount.for_currency(c) {
                errors.add(field, e.to_string());
            }
        }
        None => {
            if amount.decimals() > 3 {
                errors.add(
                    field,
                    "Ensure that there are no more than 3 decimal places.",
                );
            }
        }
    }
}

pub(crate) fn unknown_enum(errors: &mut FieldErrors, field: &str, is_unknown: bool) {
    if is_unknown {
        errors.add(field, "\"unknown\" is not a valid choice.");
    }
}

impl Address {
    pub(crate) fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        required_text(errors, &join(prefix, "line1"), &self.line1, 128);
        opt_max_len(errors, &join(prefix, "line2"), &self.line2, 128);
        required_text(errors, &join(prefix, "city"), &self.city, 40);
        opt_max_len(errors, &join(prefix, "state"), &self.state, 40);
        opt_max_len(errors, &join(prefix, "postal_code"), &self.postal_code, 12);
        let field = join(prefix, "country");
        if self.country.is_empty() {
            errors.add(&field, "This field is required.");
        } else if !COUNTRY_CODES.contains(&self.country.as_str()) {
            errors.add(
                &field,
                format!("\"{}\" is not a valid choice.", self.country),
            );
        }
    }
}

impl ShippingAddress {
    pub(crate) fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        required_text(errors, &join(prefix, "first_name"), &self.first_name, 64);
        required_text(errors, &join(prefix, "last_name"), &self.last_name, 64);
        required_text(errors, &join(prefix, "phone"), &self.phone, 16);
        let email_field = join(prefix, "email");
        if self.email.trim().is_empty() {
            errors.add(&email_field, "This field is required.");
        } else {
            email(errors, &email_field, &Some(self.email.clone()));
        }
        self.address.check(prefix, errors);
    }
}

impl Agreement {
    /// Checks the fields the agreement's `type` makes mandatory plus every range and length.
    pub(crate) fn check(&self, currency: Option<&CurrencyCode>, errors: &mut FieldErrors) {
        let p = "agreement";
        let kind = self.agreement_type.unwrap_or(AgreementType::Recurring);
        unknown_enum(errors, "agreement.type", kind == AgreementType::Unknown);
        let missing = |errors: &mut FieldErrors, field: &str, present: bool| {
            if !present {
                errors.add(&join(p, field), "This field is required.");
            }
        };
        match kind {
            AgreementType::Recurring | AgreementType::Installment => {
                missing(errors, "id", self.id.is_some());
                missing(
                    errors,
                    "amount_variability",
                    self.amount_variability.is_some(),
                );
                missing(
                    errors,
                    "cycle_interval_days",
                    self.cycle_interval_days.is_some(),
                );
                missing(errors, "expiry_date", self.expiry_date.is_some());
                missing(errors, "frequency", self.frequency.is_some());
                missing(errors, "total_cycles", self.total_cycles.is_some());
                if kind == AgreementType::Installment {
                    missing(errors, "seller", self.seller.is_some());
                }
            }
            AgreementType::Unscheduled => {
                missing(errors, "id", self.id.is_some());
                missing(errors, "frequency", self.frequency.is_some());
                missing(errors, "type", self.agreement_type.is_some());
            }
            _ => {}
        }
        opt_max_len(errors, "agreement.id", &self.id, 128);
        date(errors, "agreement.start_date", &self.start_date);
        date(errors, "agreement.expiry_date", &self.expiry_date);
        if self
            .cycle_interval_days
            .is_some_and(|n| !(1..=366).contains(&n))
        {
            errors.add(
                "agreement.cycle_interval_days",
                "Ensure this value is between 1 and 366.",
            );
        }
        if self.total_cycles.is_some_and(|n| !(1..=999).contains(&n)) {
            errors.add(
                "agreement.total_cycles",
                "Ensure this value is between 1 and 999.",
            );
        }
        if let Some(a) = &self.max_amount_per_cycle {
            amount_fits(errors, "agreement.max_amount_per_cycle", a, currency);
        }
        unknown_enum(
            errors,
            "agreement.amount_variability",
            self.amount_variability == Some(super::types::AmountVariability::Unknown),
        );
        unknown_enum(
            errors,
            "agreement.frequency",
            self.frequency == Some(super::types::AgreementFrequency::Unknown),
        );
        if let Some(seller) = &self.seller {
            opt_max_len(errors, "agreement.seller.name", &seller.name, 128);
            opt_max_len(
                errors,
                "agreement.seller.short_name",
                &seller.short_name,
                64,
            );
            opt_max_len(
                errors,
                "agreement.seller.category_code",
                &seller.category_code,
                64,
            );
        }
        if self
            .extra_params
            .as_ref()
            .and_then(|e| e.payment_processing_day)
            .is_some_and(|day| !(1..=31).contains(&day))
        {
            errors.add(
                "agreement.extra_params.payment_processing_day",
                "Ensure this value is between 1 and 31.",
            );
        }
    }
}

impl CardAcceptanceCriteria {
    pub(crate) fn check(&self, errors: &mut FieldErrors) {
        if self
            .min_expiry_time
            .is_some_and(|n| !(1..=365).contains(&n))
        {
            errors.add(
                "card_acceptance_criteria.min_expiry_time",
                "Ensure this value is between 1 and 365.",
            );
        }
    }
}

impl Notifications {
    /// Event checks, and (when `contact` is given, i.e. on create) the phone/email rules.
    pub(crate) fn check(&self, contact: Option<(bool, bool)>, errors: &mut FieldErrors) {
        for (channel, events) in [
            ("email", &self.email),
            ("sms", &self.sms),
            ("whatsapp", &self.whatsapp),
        ] {
            for event in events {
                let bad = *event == NotificationEvent::Unknown
                    || (channel == "whatsapp" && !event.whatsapp_allowed());
                if bad {
                    errors.add(
                        &join("notifications", channel),
                        format!("\"{event}\" is not a valid choice."),
                    );
                }
            }
        }
        if let Some((has_phone, has_email)) = contact {
            if !self.sms.is_empty() && !has_phone {
                errors.add("notifications.sms", SMS_NEEDS_PHONE);
            }
            if !self.whatsapp.is_empty() && !has_phone {
                errors.add("notifications.whatsapp", WHATSAPP_NEEDS_PHONE);
            }
            if !self.email.is_empty() && !has_email {
                errors.add("notifications.email", EMAIL_NEEDS_EMAIL);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_durations() {
        assert!(is_date("2026-02-28"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2026-02-29"));
        assert!(!is_date("01/04/2026"));
        assert!(!is_date("2026-13-01"));
        for ok in [
            "01:00:00",
            "1 00:00:00",
            "00:50:00",
            "30:00",
            "2 12:30:15.5",
            "P1D",
            "PT15M",
        ] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in [
            "",
            "1h",
            "1 hour",
            "x 01:00:00",
            "1:2:3:4",
            "P",
            "01::00",
            "-1 00:00:00",
        ] {
            assert!(!is_duration(bad), "{bad}");
        }
        for ok in [
            "2026-12-31T12:00:00Z",
            "2026-12-31 12:00",
            "31/12/2026 09:40",
            "07/11/2023 09:40:38",
            "2026-12-31T12:00:00+03:00",
        ] {
            assert!(is_due_datetime(ok), "{ok}");
        }
        for bad in [
            "2026-12-31T25:00",
            "31/12/2026",
            "12/31/2026 10:00",
            "tomorrow",
        ] {
            assert!(!is_due_datetime(bad), "{bad}");
        }
    }

    #[test]
    fn emails_and_extensions() {
        assert!(is_email("sara@example.com"));
        assert!(!is_email("sara@example"));
        assert!(!is_email("sara example@x.com"));
        assert!(!is_email("@x.com"));
        assert!(has_attachment_extension("Invoice.PDF"));
        assert!(has_attachment_extension("a.docx"));
        assert!(!has_attachment_extension("a.zip"));
        assert!(!has_attachment_extension("pdf"));
    }
}
