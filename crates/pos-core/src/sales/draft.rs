//! Checking what staff typed before anything is written or sent.
//!
//! Every problem is collected (not just the first) and keyed by the `SaleDraft` field name, so the
//! UI can mark each field at once. The limits are the API's (digest §4.1): names 64 characters,
//! phone 16, email 128, order number 128; amounts carry at most the currency's decimals and are
//! greater than zero.
//!
//! Over 400 lines on purpose: one rule per `SaleDraft` field, each with its message, read
//! top to bottom as the form is; split by field, the limits would be scattered (tests are in
//! `draft/tests.rs`).

use std::path::PathBuf;

use ottu_checkout::{Amount, CurrencyCode, OrderNo, PgCode};
use rand::Rng;

use crate::dto::{Language, Notify, SaleDraft, SaleEdit};
use crate::error::{Error, FieldErrors, Result, push_field_error};
use crate::problem;
use crate::problem::Problem;

/// Country code given to phone numbers typed without one (Kuwait).
pub const DEFAULT_COUNTRY_CODE: &str = "965";
/// `customer_first_name` limit; the whole name goes there.
pub const MAX_NAME_CHARS: usize = 64;
/// `customer_phone` limit (E.164: `+` and at most 15 digits).
pub const MAX_PHONE_CHARS: usize = 16;
/// `customer_email` limit.
pub const MAX_EMAIL_CHARS: usize = 128;
/// `order_no` limit.
pub const MAX_ORDER_NO_CHARS: usize = 128;
/// Local note limit (the note never leaves the device).
pub const MAX_NOTE_CHARS: usize = 500;
/// Longest link lifetime offered: 30 days.
pub const MAX_EXPIRY_MINUTES: u32 = 30 * 24 * 60;
/// Attachment size limit (digest §11).
pub const MAX_ATTACHMENT_BYTES: u64 = ottu_checkout::attachment::MAX_ATTACHMENT_BYTES as u64;
/// Attachment file name limit (digest §11).
pub const MAX_ATTACHMENT_NAME_CHARS: usize = 100;
/// Attachment extensions the API accepts.
pub const ATTACHMENT_EXTENSIONS: [&str; 9] = [
    "pdf", "jpeg", "png", "doc", "docx", "jpg", "xls", "xlsx", "txt",
];

/// A draft that passed every local check, in the client's types.
#[derive(Debug, Clone)]
pub struct ValidDraft {
    /// Normalised to the currency's decimals.
    pub amount: Amount,
    /// The currency.
    pub currency: CurrencyCode,
    /// Trimmed, non-empty.
    pub customer_name: Option<String>,
    /// E.164.
    pub customer_phone: Option<String>,
    /// Trimmed.
    pub customer_email: Option<String>,
    /// `None` when blank: the engine generates one.
    pub order_no: Option<OrderNo>,
    /// Trimmed, non-empty.
    pub note: Option<String>,
    /// Link lifetime.
    pub expires_in_minutes: Option<u32>,
    /// Informational due date.
    pub due_date: Option<time::Date>,
    /// Ottu-side notifications (only channels that were asked for).
    pub notify: Notify,
    /// A readable file with an accepted extension and size.
    pub attachment: Option<PathBuf>,
    /// Page and message language.
    pub language: Language,
    /// At least one gateway.
    pub pg_codes: Vec<PgCode>,
}

/// Checks a draft; `default_language` and `default_pg_codes` fill what the draft leaves out.
pub fn validate(
    draft: &SaleDraft,
    default_language: Language,
    default_pg_codes: &[String],
) -> Result<ValidDraft> {
    let mut errors = FieldErrors::new();
    let mut add = |field: &str, problem: Problem| push_field_error(&mut errors, field, problem);

    let currency = match CurrencyCode::parse(&draft.currency_code) {
        Ok(c) => Some(c),
        Err(_) => {
            add("currency_code", problem!(CurrencyInvalid));
            None
        }
    };
    let amount = currency.and_then(|currency| match check_amount(&draft.amount, &currency) {
        Ok(a) => Some(a),
        Err(problem) => {
            add("amount", problem);
            None
        }
    });

    let customer_name = clean(draft.customer_name.as_deref());
    if let Some(name) = &customer_name
        && name.chars().count() > MAX_NAME_CHARS
    {
        add("customer_name", problem!(NameTooLong, max = MAX_NAME_CHARS));
    }

    let customer_phone = match clean(draft.customer_phone.as_deref()) {
        Some(raw) => match normalize_phone(&raw) {
            Ok(p) => Some(p),
            Err(problem) => {
                add("customer_phone", problem);
                None
            }
        },
        None => None,
    };

    let customer_email = match clean(draft.customer_email.as_deref()) {
        Some(raw) => match check_email(&raw) {
            Ok(()) => Some(raw),
            Err(problem) => {
                add("customer_email", problem);
                None
            }
        },
        None => None,
    };

    let order_no = match clean(draft.order_no.as_deref()) {
        Some(raw) if raw.chars().count() > MAX_ORDER_NO_CHARS => {
            add(
                "order_no",
                problem!(OrderNoTooLong, max = MAX_ORDER_NO_CHARS),
            );
            None
        }
        Some(raw) => match OrderNo::parse(raw) {
            Ok(o) => Some(o),
            Err(_) => {
                add("order_no", problem!(OrderNoBadCharacter));
                None
            }
        },
        None => None,
    };

    let note = clean(draft.note.as_deref());
    if let Some(note) = &note
        && note.chars().count() > MAX_NOTE_CHARS
    {
        add("note", problem!(NoteTooLong, max = MAX_NOTE_CHARS));
    }

    if let Some(minutes) = draft.expires_in_minutes
        && !(1..=MAX_EXPIRY_MINUTES).contains(&minutes)
    {
        add("expires_in_minutes", problem!(ExpiryOutOfRange));
    }

    let due_date = match clean(draft.due_date.as_deref()) {
        Some(raw) => match crate::clock::parse_day(&raw) {
            Some(d) if d < crate::clock::today() => {
                add("due_date", problem!(DueDatePast));
                None
            }
            Some(d) => Some(d),
            None => {
                add("due_date", problem!(DateFormat));
                None
            }
        },
        None => None,
    };

    let notify = draft.notify.unwrap_or_default();
    if (notify.sms || notify.whatsapp)
        && customer_phone.is_none()
        && draft_blank(&draft.customer_phone)
    {
        add("customer_phone", problem!(PhoneNeededToNotify));
    }
    if notify.email && customer_email.is_none() && draft_blank(&draft.customer_email) {
        add("customer_email", problem!(EmailNeededToNotify));
    }

    let attachment = match clean(draft.attachment_path.as_deref()) {
        Some(raw) => match check_attachment(&raw) {
            Ok(p) => Some(p),
            Err(problem) => {
                add("attachment_path", problem);
                None
            }
        },
        None => None,
    };

    let codes: Vec<String> = match &draft.pg_codes {
        Some(codes) if !codes.is_empty() => codes.clone(),
        _ => default_pg_codes.to_vec(),
    };
    let mut pg_codes = Vec::new();
    if codes.is_empty() {
        add("pg_codes", problem!(PgCodesEmpty));
    }
    for code in codes {
        match PgCode::parse(code.trim()) {
            Ok(c) if !pg_codes.contains(&c) => pg_codes.push(c),
            Ok(_) => {}
            Err(_) => add(
                "pg_codes",
                problem!(PgCodeInvalid, code = format!("{code:?}")),
            ),
        }
    }

    match (amount, currency) {
        (Some(amount), Some(currency)) if errors.is_empty() => Ok(ValidDraft {
            amount,
            currency,
            customer_name,
            customer_phone,
            customer_email,
            order_no,
            note,
            expires_in_minutes: draft.expires_in_minutes,
            due_date,
            notify,
            attachment,
            language: draft.language.unwrap_or(default_language),
            pg_codes,
        }),
        _ => Err(Error::invalid_fields(errors)),
    }
}

/// The checked parts of an edit; `Some(None)` clears a customer field.
#[derive(Debug, Clone, Default)]
pub struct ValidEdit {
    /// New amount in the sale's currency.
    pub amount: Option<Amount>,
    /// New name (`Some(None)` clears it).
    pub customer_name: Option<Option<String>>,
    /// New phone, E.164.
    pub customer_phone: Option<Option<String>>,
    /// New email.
    pub customer_email: Option<Option<String>>,
}

impl ValidEdit {
    /// Nothing to change.
    pub fn is_empty(&self) -> bool {
        self.amount.is_none()
            && self.customer_name.is_none()
            && self.customer_phone.is_none()
            && self.customer_email.is_none()
    }
}

/// Checks an edit of a sale in `currency`.
pub fn validate_edit(edit: &SaleEdit, currency: &CurrencyCode) -> Result<ValidEdit> {
    let mut errors = FieldErrors::new();
    let mut out = ValidEdit::default();
    if let Some(raw) = &edit.amount {
        match check_amount(raw, currency) {
            Ok(a) => out.amount = Some(a),
            Err(m) => push_field_error(&mut errors, "amount", m),
        }
    }
    if let Some(raw) = &edit.customer_name {
        let name = clean(Some(raw));
        if name
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NAME_CHARS)
        {
            push_field_error(
                &mut errors,
                "customer_name",
                problem!(NameTooLong, max = MAX_NAME_CHARS),
            );
        }
        out.customer_name = Some(name);
    }
    if let Some(raw) = &edit.customer_phone {
        match clean(Some(raw)) {
            Some(raw) => match normalize_phone(&raw) {
                Ok(p) => out.customer_phone = Some(Some(p)),
                Err(m) => push_field_error(&mut errors, "customer_phone", m),
            },
            None => out.customer_phone = Some(None),
        }
    }
    if let Some(raw) = &edit.customer_email {
        match clean(Some(raw)) {
            Some(raw) => match check_email(&raw) {
                Ok(()) => out.customer_email = Some(Some(raw)),
                Err(m) => push_field_error(&mut errors, "customer_email", m),
            },
            None => out.customer_email = Some(None),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::invalid_fields(errors))
    }
}

fn clean(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

fn draft_blank(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(|v| v.trim().is_empty())
}

/// An amount in `currency`, normalised to its decimals, greater than zero. Typed text (the CLI's
/// `--amount`) is read by [`typed_amount`]'s rule, so `1,500` and `١٬٥٠٠` are fifteen hundred.
pub fn check_amount(raw: &str, currency: &CurrencyCode) -> Result<Amount, Problem> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(problem!(AmountEmpty));
    }
    let text = typed_amount(text)?;
    match Amount::parse(&text, currency) {
        Ok(a) if a.is_zero() => Err(problem!(AmountZero)),
        Ok(a) => Ok(a),
        Err(ottu_checkout::AmountError::TooManyDecimals { allowed, .. }) => {
            Err(too_many_decimals(currency, allowed))
        }
        Err(ottu_checkout::AmountError::TooLarge(_)) => Err(problem!(AmountTooLarge)),
        Err(_) => Err(problem!(AmountNotANumber)),
    }
}

/// `{currency} amounts have at most {n} decimals, e.g. 12.50` (or none, for `allowed` 0).
pub fn too_many_decimals(currency: &CurrencyCode, allowed: u32) -> Problem {
    match allowed {
        0 => problem!(AmountNoDecimals, currency = currency),
        n => problem!(
            AmountTooManyDecimals,
            currency = currency,
            decimals = n,
            example = format!("12.{}", "5".to_owned() + &"0".repeat(n as usize - 1))
        ),
    }
}

/// The one decimal-separator rule for typed amounts, the UI's too (`ui/src/lib/format/money.ts`,
/// `amountChar` and `plainAmount`):
/// - ASCII, Arabic-Indic (`٠`-`٩`) and Eastern Arabic-Indic (`۰`-`۹`) digits are digits;
/// - `.` and `٫` (U+066B ARABIC DECIMAL SEPARATOR) are the decimal point;
/// - `,` and `٬` (U+066C ARABIC THOUSANDS SEPARATOR) group thousands, in the whole part only,
///   every three digits, the first group 1-3 digits without a leading zero (`12,345,678`).
///
/// A separator anywhere else (`1,50`, `12,5`, `1.500,00`) is refused, not guessed: whoever typed
/// `12,5` most likely meant 12.5, the rule reads 125, and either reading could charge ten or a
/// thousand times the price. Returns the plain ASCII decimal (`"1500"`, `"1.500"`); the
/// currency's decimals are [`Amount::parse`]'s to check.
pub fn typed_amount(text: &str) -> Result<String, Problem> {
    let mut plain = String::with_capacity(text.len());
    for c in text.chars() {
        plain.push(match c {
            '0'..='9' | '.' | ',' => c,
            '\u{660}'..='\u{669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
            '\u{6f0}'..='\u{6f9}' => char::from(b'0' + (c as u32 - 0x6f0) as u8),
            '\u{66b}' => '.',
            '\u{66c}' => ',',
            _ => return Err(problem!(AmountNotANumber)),
        });
    }
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    if frac.contains('.') {
        return Err(problem!(AmountNotANumber));
    }
    if frac.contains(',') {
        return Err(problem!(AmountMisplacedGrouping));
    }
    if int.contains(',') {
        let mut groups = int.split(',');
        let first = groups.next().unwrap_or_default();
        let well_grouped = (1..=3).contains(&first.len())
            && !first.starts_with('0')
            && groups.all(|g| g.len() == 3);
        if !well_grouped {
            return Err(problem!(AmountMisplacedGrouping));
        }
    }
    Ok(plain.replace(',', ""))
}

/// Normalises a phone number to E.164: separators dropped, `00` read as `+`, and a number typed
/// without a country code gets `+965`.
pub fn normalize_phone(raw: &str) -> Result<String, Problem> {
    let mut text: String = raw
        .trim()
        .chars()
        .filter(|c| {
            // Separators, and the invisible bidi marks Arabic apps put around numbers.
            !matches!(
                c,
                ' ' | '-' | '(' | ')' | '.' | '\u{a0}' | '\u{200e}' | '\u{200f}' | '\u{2066}'
                    ..='\u{2069}'
            )
        })
        .map(|c| match c {
            // Arabic-Indic and extended digits typed on an Arabic keyboard.
            '\u{660}'..='\u{669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
            '\u{6f0}'..='\u{6f9}' => char::from(b'0' + (c as u32 - 0x6f0) as u8),
            other => other,
        })
        .collect();
    if let Some(rest) = text.strip_prefix("00") {
        text = format!("+{rest}");
    }
    let (international, digits) = match text.strip_prefix('+') {
        Some(rest) => (true, rest.to_owned()),
        None => (false, text.clone()),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(problem!(PhoneNotDigits));
    }
    let full = if international {
        digits
    } else if digits.len() == 11 && digits.starts_with(DEFAULT_COUNTRY_CODE) {
        // Typed with the country code but without the `+`.
        digits
    } else {
        if !(7..=8).contains(&digits.len()) {
            return Err(problem!(PhoneLocalLength));
        }
        format!("{DEFAULT_COUNTRY_CODE}{digits}")
    };
    if full.starts_with('0') || !(8..=15).contains(&full.len()) {
        return Err(problem!(PhoneWrongLength));
    }
    if full.starts_with(DEFAULT_COUNTRY_CODE) && full.len() != 11 {
        return Err(problem!(PhoneKuwaitLength));
    }
    Ok(format!("+{full}"))
}

/// A sane email check: one `@`, something before it, a dotted domain, no spaces, at most 128
/// characters.
pub fn check_email(email: &str) -> Result<(), Problem> {
    let bad = || Err(problem!(EmailInvalid));
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(problem!(EmailTooLong, max = MAX_EMAIL_CHARS));
    }
    let Some((local, domain)) = email.split_once('@') else {
        return bad();
    };
    if local.is_empty()
        || domain.contains('@')
        || email.chars().any(|c| c.is_whitespace() || c.is_control())
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return bad();
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return bad();
    }
    if labels.last().is_some_and(|tld| tld.chars().count() < 2) {
        return bad();
    }
    Ok(())
}

fn check_attachment(raw: &str) -> Result<PathBuf, Problem> {
    let path = PathBuf::from(raw);
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| problem!(AttachmentMissing))?;
    if name.chars().count() > MAX_ATTACHMENT_NAME_CHARS {
        return Err(problem!(
            AttachmentNameTooLong,
            max = MAX_ATTACHMENT_NAME_CHARS
        ));
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !ATTACHMENT_EXTENSIONS.contains(&extension.as_str()) {
        return Err(problem!(
            AttachmentType,
            types = ATTACHMENT_EXTENSIONS.join(", ")
        ));
    }
    let meta = std::fs::metadata(&path).map_err(|_| problem!(AttachmentUnreadable))?;
    if !meta.is_file() {
        return Err(problem!(AttachmentNotAFile));
    }
    if meta.len() > MAX_ATTACHMENT_BYTES {
        return Err(problem!(AttachmentTooLarge));
    }
    Ok(path)
}

/// A new order number of till `till_id`: `<kind>-<TILL>-YYYYMMDD-XXXXXX` (`kind` `POS` for link
/// sales, `CASH` for cash sales; local date; six characters from an alphabet without
/// look-alikes such as 0/O and 1/I). The till id lets a till tell its sales from other tills'
/// in Ottu's reports; numbers made before tills had ids (`POS-YYYYMMDD-XXXXXX`) stay valid.
pub fn generate_order_no(kind: &str, till_id: &str) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let suffix: String = (0..6)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    let today = crate::clock::today()
        .format(time::macros::format_description!("[year][month][day]"))
        .unwrap_or_default();
    format!("{kind}-{till_id}-{today}-{suffix}")
}

/// Longest till id (order numbers stay within Ottu's `order_no` limit and readable).
pub const TILL_ID_MAX: usize = 8;

/// A till id as typed: trimmed, upper-cased, 1 to [`TILL_ID_MAX`] ASCII letters or digits.
pub fn check_till_id(text: &str) -> Option<String> {
    let id = text.trim().to_ascii_uppercase();
    (!id.is_empty() && id.len() <= TILL_ID_MAX && id.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(id)
}

/// The till id used until one is set: the profile id's letters and digits, upper-cased, at
/// most [`TILL_ID_MAX`] (`demo` → `DEMO`, `al-noor-cafe` → `ALNOORCA`); `TILL` if none.
pub fn default_till_id(profile_id: &str) -> String {
    let id: String = profile_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .take(TILL_ID_MAX)
        .collect();
    if id.is_empty() { "TILL".to_owned() } else { id }
}

/// Django's duration text for `expiration_time`: `HH:MM:SS`, or `D HH:MM:SS` from a day on.
pub fn expiration_time(minutes: u32) -> String {
    let days = minutes / (24 * 60);
    let hours = (minutes / 60) % 24;
    let mins = minutes % 60;
    if days > 0 {
        format!("{days} {hours:02}:{mins:02}:00")
    } else {
        format!("{hours:02}:{mins:02}:00")
    }
}

#[cfg(test)]
mod tests;
