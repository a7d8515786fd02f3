//! Validation of the checkout create/update schema (digest §4), DRF style: every problem of a
//! request is collected into one 400 body; nested objects report nested errors.
//!
//! The output is the normalised map of echoed (`rw`) fields, merged over the stored ones for
//! PUT and PATCH, plus the write-only flags of this request.

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::config::GatewayConfig;
use crate::duration::{format_duration, parse_duration};
use crate::error::{ApiError, FieldErrors};
use crate::model::{Plugin, Txn};
use crate::money::{Amount, currency_decimals, parse_number};
use crate::payload::python_type_name;

/// Which operation is being validated.
#[derive(Debug, Clone, Copy)]
pub enum Mode<'a> {
    Create,
    /// Full update: the four required fields must be sent again.
    Put(&'a Txn),
    /// Partial update: every field optional.
    Patch(&'a Txn),
}

/// What validation needs from the merchant config.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub gateways: &'a [GatewayConfig],
    pub default_expiration_seconds: i64,
    pub user_count: usize,
}

/// Write-only flags of one request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    pub generate_qr_code: bool,
    pub shortify_checkout_url: bool,
    pub shortify_attachment_url: bool,
    pub include_sdk_setup_preload: bool,
    pub preload_checkout_page: bool,
}

/// A valid request.
#[derive(Debug, Clone)]
pub struct Validated {
    /// Echoed fields, normalised (amount padded, durations and dates re-rendered).
    pub fields: Map<String, Value>,
    pub plugin: Plugin,
    pub flags: Flags,
    pub expiration_seconds: i64,
    /// Set when this request sent `attachment_upload_url` (existence is checked by the caller).
    pub new_attachment_upload_url: Option<String>,
}

const REQUIRED: &str = "This field is required.";
const MAX_AMOUNT_INTEGER_DIGITS: u32 = 13;
const ALLOWED_ATTACHMENT_EXTENSIONS: &[&str] = &[
    "pdf", "jpeg", "png", "doc", "docx", "jpg", "xls", "xlsx", "txt",
];
const NOTIFICATION_EVENTS: &[&str] = &[
    "created",
    "paid",
    "canceled",
    "failed",
    "expired",
    "authorized",
    "voided",
    "refunded",
    "captured",
];
const WHATSAPP_EVENTS: &[&str] = &[
    "created",
    "paid",
    "canceled",
    "failed",
    "expired",
    "authorized",
];
const FREQUENCIES: &[&str] = &[
    "irregular",
    "daily",
    "weekly",
    "semi_monthly",
    "monthly",
    "quarterly",
    "semi_annually",
    "yearly",
    "other",
];
const AGREEMENT_TYPES: &[&str] = &[
    "event_based",
    "installment",
    "recurring",
    "unscheduled",
    "other",
];

/// ISO 3166-1 alpha-2 codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// One object being validated: its input, normalised output and errors.
struct Obj<'a> {
    input: &'a Map<String, Value>,
    out: Map<String, Value>,
    errors: FieldErrors,
    partial: bool,
}

/// The input value of a key, with `null` on an optional field meaning "unset".
enum Input<'a> {
    Absent,
    Null,
    Present(&'a Value),
}

impl<'a> Obj<'a> {
    fn new(input: &'a Map<String, Value>, out: Map<String, Value>, partial: bool) -> Self {
        Self {
            input,
            out,
            errors: FieldErrors::default(),
            partial,
        }
    }

    fn take(&mut self, key: &str, required: bool) -> Option<&'a Value> {
        match self.input_of(key) {
            Input::Absent => {
                if required && !self.partial && !self.out.contains_key(key) {
                    self.errors.add(key, REQUIRED);
                }
                None
            }
            Input::Null => {
                if required {
                    self.errors.add(key, "This field may not be null.");
                } else {
                    self.out.remove(key);
                }
                None
            }
            Input::Present(v) => Some(v),
        }
    }

    fn input_of(&self, key: &str) -> Input<'a> {
        match self.input.get(key) {
            None => Input::Absent,
            Some(Value::Null) => Input::Null,
            Some(v) => Input::Present(v),
        }
    }

    fn text(&mut self, key: &str, value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => {
                self.errors.add(key, "Not a valid string.");
                None
            }
        }
    }

    /// A string with a length limit. Blank is allowed only on optional fields.
    fn string(&mut self, key: &str, max: usize, required: bool) -> Option<String> {
        let value = self.take(key, required)?;
        let text = self.text(key, value)?;
        if text.is_empty() && required {
            self.errors.add(key, "This field may not be blank.");
            return None;
        }
        if text.chars().count() > max {
            self.errors.add(
                key,
                format!("Ensure this field has no more than {max} characters."),
            );
            return None;
        }
        self.out.insert(key.to_owned(), Value::String(text.clone()));
        Some(text)
    }

    fn choice(&mut self, key: &str, choices: &[&str], required: bool) -> Option<String> {
        let value = self.take(key, required)?;
        let text = self.text(key, value)?;
        if !choices.contains(&text.as_str()) {
            self.errors
                .add(key, format!("\"{text}\" is not a valid choice."));
            return None;
        }
        self.out.insert(key.to_owned(), Value::String(text.clone()));
        Some(text)
    }

    fn email(&mut self, key: &str, max: usize, required: bool) {
        let Some(text) = self.string(key, max, required) else {
            return;
        };
        if !text.is_empty() && !is_email(&text) {
            self.out.remove(key);
            self.errors.add(key, "Enter a valid email address.");
        }
    }

    fn url(&mut self, key: &str, max: usize) {
        let Some(text) = self.string(key, max, false) else {
            return;
        };
        if !text.is_empty() && !is_url(&text) {
            self.out.remove(key);
            self.errors.add(key, "Enter a valid URL.");
        }
    }

    fn date(&mut self, key: &str, required: bool) {
        let Some(value) = self.take(key, required) else {
            return;
        };
        let Some(text) = self.text(key, value) else {
            return;
        };
        if parse_date(&text).is_some() {
            self.out.insert(key.to_owned(), Value::String(text));
        } else {
            self.errors.add(
                key,
                "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
            );
        }
    }

    fn integer(&mut self, key: &str, min: i64, max: i64, required: bool) -> Option<i64> {
        let value = self.take(key, required)?;
        let Some(n) = as_integer(value) else {
            self.errors.add(key, "A valid integer is required.");
            return None;
        };
        if n < min {
            self.errors.add(
                key,
                format!("Ensure this value is greater than or equal to {min}."),
            );
            return None;
        }
        if n > max {
            self.errors.add(
                key,
                format!("Ensure this value is less than or equal to {max}."),
            );
            return None;
        }
        self.out.insert(key.to_owned(), Value::from(n));
        Some(n)
    }

    /// A boolean flag; returns it without echoing it.
    fn flag(&mut self, key: &str) -> bool {
        let Some(value) = self.take(key, false) else {
            return false;
        };
        match as_bool(value) {
            Some(b) => b,
            None => {
                self.errors.add(key, "Must be a valid boolean.");
                false
            }
        }
    }

    fn boolean(&mut self, key: &str, required: bool) {
        let Some(value) = self.take(key, required) else {
            return;
        };
        match as_bool(value) {
            Some(b) => {
                self.out.insert(key.to_owned(), Value::Bool(b));
            }
            None => self.errors.add(key, "Must be a valid boolean."),
        }
    }

    fn decimal(&mut self, key: &str, required: bool) {
        let Some(value) = self.take(key, required) else {
            return;
        };
        let text = match value {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            _ => {
                self.errors.add(key, "A valid number is required.");
                return;
            }
        };
        match parse_number(&text) {
            Some(d) if d.integer_digits() > MAX_AMOUNT_INTEGER_DIGITS => self.errors.add(
                key,
                format!("Ensure that there are no more than {MAX_AMOUNT_INTEGER_DIGITS} digits before the decimal point."),
            ),
            Some(_) => {
                self.out.insert(key.to_owned(), Value::String(text));
            }
            None => self.errors.add(key, "A valid number is required."),
        }
    }

    /// A free-form JSON object.
    fn any_object(&mut self, key: &str) {
        let Some(value) = self.take(key, false) else {
            return;
        };
        if value.is_object() {
            self.out.insert(key.to_owned(), value.clone());
        } else {
            self.errors.add(key, not_a_dict(value));
        }
    }

    /// A nested object validated by `inner`; `merge` keeps stored sub-fields (PATCH).
    fn object(&mut self, key: &str, required: bool, inner: impl FnOnce(&mut Obj<'_>)) {
        let Some(value) = self.take(key, required) else {
            return;
        };
        let Value::Object(map) = value else {
            let mut e = FieldErrors::default();
            e.add("non_field_errors", not_a_dict(value));
            self.errors.nested(key, e);
            return;
        };
        let mut nested = Obj::new(map, Map::new(), false);
        inner(&mut nested);
        if nested.errors.is_empty() {
            self.out.insert(key.to_owned(), Value::Object(nested.out));
        } else {
            self.errors.nested(key, nested.errors);
        }
    }

    fn choice_list(&mut self, key: &str, choices: &[&str]) {
        let Some(value) = self.take(key, false) else {
            return;
        };
        let Value::Array(items) = value else {
            self.errors.add(
                key,
                format!(
                    "Expected a list of items but got type \"{}\".",
                    python_type_name(value)
                ),
            );
            return;
        };
        let mut ok = Vec::new();
        let mut bad = false;
        for item in items {
            match item.as_str() {
                Some(s) if choices.contains(&s) => ok.push(Value::String(s.to_owned())),
                _ => {
                    let shown = item
                        .as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| item.to_string());
                    self.errors
                        .add(key, format!("\"{shown}\" is not a valid choice."));
                    bad = true;
                }
            }
        }
        if !bad {
            self.out.insert(key.to_owned(), Value::Array(ok));
        }
    }
}

fn not_a_dict(value: &Value) -> String {
    format!(
        "Invalid data. Expected a dictionary, but got {}.",
        python_type_name(value)
    )
}

fn as_integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "t" | "yes" | "y" | "on" | "1" => Some(true),
            "false" | "f" | "no" | "n" | "off" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A pragmatic email check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains('@')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// An absolute http(s) URL with a host and no whitespace.
pub fn is_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host_name = host.split(':').next().unwrap_or("");
    !host_name.is_empty()
        && host_name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-' || c == '[' || c == ']')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn parse_date(text: &str) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    if text.len() != 10 {
        return None;
    }
    time::Date::parse(text, format).ok()
}

/// Accepts ISO 8601 (`2026-11-22T10:00[:00][Z|+03:00]`) and `DD/MM/YYYY HH:MM[:SS]`;
/// returns the UTC Unix time.
fn parse_due_datetime(text: &str) -> Option<i64> {
    use time::macros::format_description as fd;
    if let Ok(t) = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
    {
        return Some(t.unix_timestamp());
    }
    let naive_formats: [&[time::format_description::BorrowedFormatItem<'_>]; 6] = [
        fd!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
        fd!("[year]-[month]-[day]T[hour]:[minute]"),
        fd!("[year]-[month]-[day] [hour]:[minute]:[second]"),
        fd!("[year]-[month]-[day] [hour]:[minute]"),
        fd!("[day]/[month]/[year] [hour]:[minute]:[second]"),
        fd!("[day]/[month]/[year] [hour]:[minute]"),
    ];
    naive_formats
        .iter()
        .find_map(|f| time::PrimitiveDateTime::parse(text, f).ok())
        .map(|t| t.assume_utc().unix_timestamp())
}

fn format_due_datetime(unix: i64) -> String {
    let t =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(time::macros::format_description!(
        "[day]/[month]/[year] [hour]:[minute]:[second]"
    ))
    .unwrap_or_default()
}

fn address(obj: &mut Obj<'_>) {
    obj.string("line1", 128, true);
    obj.string("line2", 128, false);
    obj.string("city", 40, true);
    obj.string("state", 40, false);
    obj.string("postal_code", 12, false);
    if let Some(country) = obj.string("country", 2, true) {
        if !COUNTRIES.split(' ').any(|c| c == country) {
            obj.out.remove("country");
            obj.errors
                .add("country", format!("\"{country}\" is not a valid choice."));
        }
    }
}

fn shipping_address(obj: &mut Obj<'_>) {
    address(obj);
    obj.string("first_name", 64, true);
    obj.string("last_name", 64, true);
    obj.email("email", 128, true);
    obj.string("phone", 16, true);
}

fn agreement(obj: &mut Obj<'_>) {
    let kind = obj
        .choice("type", AGREEMENT_TYPES, false)
        .unwrap_or_else(|| "recurring".to_owned());
    let needs: &[&str] = match kind.as_str() {
        "recurring" => &[
            "id",
            "amount_variability",
            "cycle_interval_days",
            "expiry_date",
            "frequency",
            "total_cycles",
        ],
        "installment" => &[
            "id",
            "amount_variability",
            "cycle_interval_days",
            "expiry_date",
            "frequency",
            "total_cycles",
            "seller",
        ],
        _ => &["id", "frequency"],
    };
    let need = |k: &str| needs.contains(&k);
    obj.string("id", 128, need("id"));
    obj.choice(
        "amount_variability",
        &["fixed", "variable"],
        need("amount_variability"),
    );
    obj.date("start_date", false);
    obj.date("expiry_date", need("expiry_date"));
    obj.decimal("max_amount_per_cycle", false);
    obj.integer("cycle_interval_days", 1, 366, need("cycle_interval_days"));
    obj.integer("total_cycles", 1, 999, need("total_cycles"));
    obj.choice("frequency", FREQUENCIES, need("frequency"));
    obj.object("seller", need("seller"), |seller| {
        seller.string("name", 128, false);
        seller.string("short_name", 64, false);
        seller.string("category_code", 64, false);
    });
    obj.object("extra_params", false, |extra| {
        extra.integer("payment_processing_day", 1, 31, false);
    });
    if !obj.out.contains_key("type") && obj.errors.is_empty() {
        obj.out.insert("type".to_owned(), Value::String(kind));
    }
}

fn notifications(obj: &mut Obj<'_>) {
    obj.choice_list("email", NOTIFICATION_EVENTS);
    obj.choice_list("sms", NOTIFICATION_EVENTS);
    obj.choice_list("whatsapp", WHATSAPP_EVENTS);
}

fn branding_options(obj: &mut Obj<'_>) {
    let Some(value) = obj.take("payment_methods", false) else {
        return;
    };
    let Value::Object(methods) = value else {
        obj.errors.add("payment_methods", not_a_dict(value));
        return;
    };
    let mut errors = FieldErrors::default();
    let mut out = Map::new();
    for (code, entry) in methods {
        let Value::Object(entry_map) = entry else {
            errors.add(code, not_a_dict(entry));
            continue;
        };
        let mut item = Obj::new(entry_map, Map::new(), false);
        item.string("text", 255, true);
        if let Some(color) = item.string("color", 7, true) {
            if !is_hex_color(&color) {
                item.out.remove("color");
                item.errors.add("color", "Enter a valid value.");
            }
        }
        item.integer("font_weight", 1, 1000, false);
        if item.errors.is_empty() {
            out.insert(code.clone(), Value::Object(item.out));
        } else {
            errors.nested(code, item.errors);
        }
    }
    if errors.is_empty() {
        obj.out
            .insert("payment_methods".to_owned(), Value::Object(out));
    } else {
        obj.errors.nested("payment_methods", errors);
    }
}

fn is_hex_color(text: &str) -> bool {
    let Some(hex) = text.strip_prefix('#') else {
        return false;
    };
    (hex.len() == 6 || hex.len() == 3) && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Validates a create, PUT or PATCH body.
pub fn validate_checkout(
    input: &Map<String, Value>,
    mode: Mode<'_>,
    ctx: Context<'_>,
) -> Result<Validated, ApiError> {
    let stored = match mode {
        Mode::Create => None,
        Mode::Put(t) | Mode::Patch(t) => Some(t),
    };
    let partial = matches!(mode, Mode::Patch(_));
    let mut obj = Obj::new(
        input,
        stored.map(|t| t.fields.clone()).unwrap_or_default(),
        partial,
    );
    if matches!(mode, Mode::Put(_)) {
        // A full update must restate the required fields.
        for key in ["type", "amount", "currency_code", "pg_codes"] {
            if matches!(obj.input_of(key), Input::Absent) {
                obj.errors.add(key, REQUIRED);
            }
        }
    }

    let kind = obj.choice("type", &["e_commerce", "payment_request"], true);
    obj.decimal("amount", true);
    obj.string("currency_code", 3, true);
    pg_codes(&mut obj, ctx.gateways);
    let payment_type = obj.choice(
        "payment_type",
        &["one_off", "auto_debit", "save_card"],
        false,
    );
    if let Some(stored) = stored {
        for (key, new) in [("type", &kind), ("payment_type", &payment_type)] {
            if let Some(new) = new {
                if stored.field_str(key) != Some(new.as_str()) {
                    obj.out.insert(
                        key.to_owned(),
                        stored.fields.get(key).cloned().unwrap_or(Value::Null),
                    );
                    obj.errors.add(
                        key,
                        "This field cannot be changed once the transaction exists.",
                    );
                }
            }
        }
    }
    obj.string("order_no", 128, false);
    obj.string("customer_id", 64, false);
    obj.email("customer_email", 128, false);
    obj.string("customer_phone", 16, false);
    obj.string("customer_phone_2", 16, false);
    obj.string("customer_first_name", 64, false);
    obj.string("customer_last_name", 64, false);
    obj.date("customer_birthdate", false);
    obj.object("billing_address", false, address);
    obj.object("shipping_address", false, shipping_address);
    obj.object("agreement", false, agreement);
    obj.object("card_acceptance_criteria", false, |c| {
        c.integer("min_expiry_time", 1, 365, false);
    });
    obj.object("notifications", false, notifications);
    email_recipients(&mut obj);
    obj.choice("language", &["en", "ar"], false);
    let expiration_seconds = expiration_time(&mut obj, stored, ctx.default_expiration_seconds);
    due_datetime(&mut obj);
    obj.url("redirect_url", 2000);
    obj.url("webhook_url", 2000);
    let flags = Flags {
        generate_qr_code: obj.flag("generate_qr_code"),
        shortify_checkout_url: obj.flag("shortify_checkout_url"),
        shortify_attachment_url: obj.flag("shortify_attachment_url"),
        include_sdk_setup_preload: obj.flag("include_sdk_setup_preload"),
        preload_checkout_page: obj.flag("preload_checkout_page"),
    };
    let new_attachment_upload_url = attachment_upload_url(&mut obj);
    obj.any_object("extra");
    obj.string("product_type", 128, false);
    obj.string("vendor_name", 64, false);
    initiator_id(&mut obj, ctx.user_count);
    if let Some(value) = obj.take("unit_code", false) {
        if let Some(text) = obj.text("unit_code", value) {
            if text.len() > 50
                || !text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                obj.errors.add("unit_code", "Enter a valid \"slug\" consisting of letters, numbers, underscores or hyphens.");
            }
        }
    }
    match obj.input_of("loyalty") {
        Input::Null => {
            obj.out.insert("loyalty".to_owned(), Value::Null);
        }
        _ => obj.object("loyalty", false, |l| {
            l.boolean("enabled", true);
            l.string("reference", 128, false);
            l.any_object("metadata");
        }),
    }
    let mut branding = Obj::new(input, Map::new(), true);
    branding.object("branding_options", false, branding_options);
    obj.errors.0.extend(branding.errors.0);
    if matches!(obj.input_of("payment_instrument"), Input::Present(_)) {
        obj.errors.add(
            "payment_instrument",
            "One-step checkout with payment_instrument is not available in the sandbox.",
        );
    }
    if matches!(mode, Mode::Create) {
        obj.out
            .entry("payment_type")
            .or_insert_with(|| Value::String("one_off".to_owned()));
        obj.out
            .entry("language")
            .or_insert_with(|| Value::String("en".to_owned()));
    }

    cross_field_rules(&mut obj, ctx);

    let plugin = obj
        .out
        .get("type")
        .and_then(Value::as_str)
        .and_then(Plugin::parse);
    let Obj { out, errors, .. } = obj;
    errors.into_result()?;
    Ok(Validated {
        fields: out,
        plugin: plugin.expect("a valid request has a type"),
        flags,
        expiration_seconds,
        new_attachment_upload_url,
    })
}

fn pg_codes(obj: &mut Obj<'_>, gateways: &[GatewayConfig]) {
    let Some(value) = obj.take("pg_codes", true) else {
        return;
    };
    let Value::Array(items) = value else {
        obj.errors.add(
            "pg_codes",
            format!(
                "Expected a list of items but got type \"{}\".",
                python_type_name(value)
            ),
        );
        return;
    };
    if items.is_empty() {
        obj.errors.add("pg_codes", "This list may not be empty.");
        return;
    }
    let mut codes = Vec::new();
    for item in items {
        match item.as_str() {
            Some(code) if gateways.iter().any(|g| g.pg_code == code) => {
                if !codes.contains(&Value::String(code.to_owned())) {
                    codes.push(Value::String(code.to_owned()));
                }
            }
            Some(code) => obj.errors.add(
                "pg_codes",
                format!("Object with code={code} does not exist."),
            ),
            None => obj.errors.add("pg_codes", "Invalid value."),
        }
    }
    if !obj.errors.has("pg_codes") {
        obj.out.insert("pg_codes".to_owned(), Value::Array(codes));
    }
}

fn email_recipients(obj: &mut Obj<'_>) {
    let Some(value) = obj.take("email_recipients", false) else {
        return;
    };
    let Value::Array(items) = value else {
        obj.errors.add(
            "email_recipients",
            format!(
                "Expected a list of items but got type \"{}\".",
                python_type_name(value)
            ),
        );
        return;
    };
    let mut errors = FieldErrors::default();
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.as_str().map(str::trim) {
            Some(e) if is_email(e) && e.len() <= 128 => out.push(Value::String(e.to_owned())),
            _ => errors.add(&i.to_string(), "Enter a valid email address."),
        }
    }
    if errors.is_empty() {
        obj.out
            .insert("email_recipients".to_owned(), Value::Array(out));
    } else {
        obj.errors.nested("email_recipients", errors);
    }
}

fn expiration_time(obj: &mut Obj<'_>, stored: Option<&Txn>, default_seconds: i64) -> i64 {
    let previous = stored
        .map(|t| t.expires_at - t.created_at)
        .unwrap_or(default_seconds);
    let fallback = |obj: &mut Obj<'_>| {
        if stored.is_none() {
            obj.out.insert(
                "expiration_time".to_owned(),
                Value::String(format_duration(default_seconds)),
            );
        }
        previous
    };
    let Some(value) = obj.take("expiration_time", false) else {
        return fallback(obj);
    };
    let Some(text) = obj.text("expiration_time", value) else {
        return previous;
    };
    match parse_duration(&text) {
        Some(seconds) if seconds > 0 && seconds <= 3650 * 86_400 => {
            obj.out.insert(
                "expiration_time".to_owned(),
                Value::String(format_duration(seconds)),
            );
            seconds
        }
        Some(seconds) if seconds <= 0 => {
            obj.errors.add(
                "expiration_time",
                "Ensure this value is greater than 0 seconds.",
            );
            previous
        }
        Some(_) => {
            obj.errors
                .add("expiration_time", "Ensure this value is at most 3650 days.");
            previous
        }
        None => {
            obj.errors.add(
                "expiration_time",
                "Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu].",
            );
            previous
        }
    }
}

fn due_datetime(obj: &mut Obj<'_>) {
    let Some(value) = obj.take("due_datetime", false) else {
        return;
    };
    let Some(text) = obj.text("due_datetime", value) else {
        return;
    };
    match parse_due_datetime(&text) {
        Some(unix) => {
            obj.out.insert("due_datetime".to_owned(), Value::String(format_due_datetime(unix)));
        }
        None => obj.errors.add(
            "due_datetime",
            "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z], DD/MM/YYYY hh:mm[:ss].",
        ),
    }
}

fn attachment_upload_url(obj: &mut Obj<'_>) -> Option<String> {
    let text = obj.string("attachment_upload_url", 255, false)?;
    let lower = text.to_ascii_lowercase();
    let allowed = ALLOWED_ATTACHMENT_EXTENSIONS
        .iter()
        .any(|ext| lower.ends_with(ext));
    if !allowed {
        obj.out.remove("attachment_upload_url");
        obj.errors
            .add("attachment_upload_url", "Enter a valid value.");
        return None;
    }
    (!text.is_empty()).then_some(text)
}

fn initiator_id(obj: &mut Obj<'_>, user_count: usize) {
    let Some(value) = obj.take("initiator_id", false) else {
        return;
    };
    let id = match value {
        Value::Number(_) | Value::String(_) => as_integer(value),
        _ => None,
    };
    match id {
        Some(id) if id >= 1 && (id as usize) <= user_count => {
            obj.out.insert("initiator_id".to_owned(), Value::from(id));
        }
        Some(id) => obj.errors.add(
            "initiator_id",
            format!("Invalid pk \"{id}\" - object does not exist."),
        ),
        None => obj.errors.add(
            "initiator_id",
            format!(
                "Incorrect type. Expected pk value, received {}.",
                python_type_name(value)
            ),
        ),
    }
}

fn cross_field_rules(obj: &mut Obj<'_>, ctx: Context<'_>) {
    let currency = obj
        .out
        .get("currency_code")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let decimals = match &currency {
        Some(code) if !obj.errors.has("currency_code") => match currency_decimals(code) {
            Some(d) => Some(d),
            None => {
                obj.errors.add(
                    "currency_code",
                    format!("\"{code}\" is not a valid choice."),
                );
                None
            }
        },
        _ => None,
    };
    let payment_type = obj
        .out
        .get("payment_type")
        .and_then(Value::as_str)
        .unwrap_or("one_off")
        .to_owned();
    let plugin = obj
        .out
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_owned);

    // Amount: fits the currency's decimals, positive (zero for save_card).
    if let (Some(d), Some(text)) = (
        decimals,
        obj.out
            .get("amount")
            .and_then(Value::as_str)
            .map(str::to_owned),
    ) {
        if !obj.errors.has("amount") {
            let save_card = payment_type == "save_card";
            match parse_number(&text).and_then(|v| v.to_decimals(d)) {
                None => obj.errors.add(
                    "amount",
                    format!("Ensure that there are no more than {d} decimal places."),
                ),
                Some(value) if save_card && !value.is_zero() => obj
                    .errors
                    .add("amount", "The amount must be 0 for save_card payments."),
                Some(value) if !save_card && value <= Decimal::ZERO => obj.errors.add(
                    "amount",
                    format!(
                        "Ensure this value is greater than or equal to {}.",
                        Amount::smallest(d)
                    ),
                ),
                Some(value) => {
                    let amount = Amount::new(value, d).to_string();
                    obj.out.insert("amount".to_owned(), Value::String(amount));
                }
            }
        }
    }

    // Gateways: currency, plugin and tokenisation support.
    if !obj.errors.has("pg_codes") {
        let codes: Vec<String> = obj
            .out
            .get("pg_codes")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        for code in &codes {
            let Some(gateway) = ctx.gateways.iter().find(|g| &g.pg_code == code) else {
                continue;
            };
            if let (Some(currency), Some(_)) = (&currency, decimals) {
                if !gateway.currencies.iter().any(|c| c == currency) {
                    obj.errors.add(
                        "pg_codes",
                        format!("The gateway {code} does not accept {currency}."),
                    );
                }
            }
            if let Some(plugin) = &plugin {
                if !gateway.plugins.iter().any(|p| p == plugin) {
                    obj.errors.add(
                        "pg_codes",
                        format!("The gateway {code} is not available for {plugin}."),
                    );
                }
            }
            if payment_type != "one_off" && !gateway.tokenizable {
                obj.errors.add(
                    "pg_codes",
                    format!("The gateway {code} cannot save cards, which {payment_type} needs."),
                );
            }
            if gateway.family() == "mpgs" {
                if let Some(order_no) = obj.out.get("order_no").and_then(Value::as_str) {
                    if order_no.chars().count() > 37 && !obj.errors.has("order_no") {
                        obj.errors.add(
                            "order_no",
                            "Ensure this field has no more than 37 characters.",
                        );
                    }
                }
            }
        }
    }

    // payment_type rules (digest §9).
    let has = |obj: &Obj<'_>, key: &str| {
        obj.out
            .get(key)
            .is_some_and(|v| !v.is_null() && v.as_str() != Some(""))
    };
    match payment_type.as_str() {
        "auto_debit" => {
            if !has(obj, "agreement") && !obj.errors.has("agreement") {
                obj.errors.add(
                    "agreement",
                    "This field is required when payment_type is auto_debit.",
                );
            }
            if !has(obj, "customer_id") && !obj.errors.has("customer_id") {
                obj.errors.add(
                    "customer_id",
                    "This field is required when payment_type is auto_debit.",
                );
            }
            obj.out
                .entry("card_acceptance_criteria")
                .or_insert_with(|| serde_json::json!({"min_expiry_time": 30}));
        }
        "save_card" => {
            if !has(obj, "customer_id") && !obj.errors.has("customer_id") {
                obj.errors.add(
                    "customer_id",
                    "This field is required when payment_type is save_card.",
                );
            }
        }
        _ => {
            if has(obj, "agreement") && !obj.errors.has("agreement") {
                obj.errors.add(
                    "agreement",
                    "An agreement can only be sent with payment_type auto_debit.",
                );
            }
        }
    }

    // Notification channels need the customer's contact (digest §10).
    if let Some(Value::Object(channels)) = obj.out.get("notifications").cloned() {
        let mut errors = FieldErrors::default();
        let wants = |k: &str| {
            channels
                .get(k)
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
        };
        if wants("email") && !has(obj, "customer_email") {
            errors.add(
                "email",
                "To use email notifications provide the `customer_email` field.",
            );
        }
        if wants("sms") && !has(obj, "customer_phone") {
            errors.add(
                "sms",
                "To use sms notifications provide the `customer_phone` field.",
            );
        }
        if wants("whatsapp") && !has(obj, "customer_phone") {
            errors.add(
                "whatsapp",
                "To use whatsapp notifications provide the `customer_phone` field.",
            );
        }
        obj.errors.nested("notifications", errors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MerchantConfig;
    use serde_json::json;

    fn ctx(merchant: &MerchantConfig) -> Context<'_> {
        Context {
            gateways: &merchant.gateways,
            default_expiration_seconds: 86_400,
            user_count: 1,
        }
    }

    fn create(body: Value) -> Result<Validated, ApiError> {
        let merchant = MerchantConfig::demo();
        validate_checkout(body.as_object().unwrap(), Mode::Create, ctx(&merchant))
    }

    #[test]
    fn a_minimal_kwd_request_is_normalised() {
        let v = create(json!({"type": "payment_request", "amount": "12.34", "currency_code": "KWD", "pg_codes": ["knet"]})).unwrap();
        assert_eq!(v.fields["amount"], "12.340");
        assert_eq!(v.fields["expiration_time"], "1 00:00:00");
        assert_eq!(v.fields["payment_type"], "one_off");
        assert_eq!(v.plugin, Plugin::PaymentRequest);
    }

    #[test]
    fn every_missing_required_field_is_reported_at_once() {
        let err = create(json!({})).unwrap_err();
        assert_eq!(
            err.body,
            json!({"type": [REQUIRED], "amount": [REQUIRED], "currency_code": [REQUIRED], "pg_codes": [REQUIRED]})
        );
    }

    #[test]
    fn too_many_decimals_for_the_currency_are_refused() {
        let err = create(json!({"type": "payment_request", "amount": "1.2345", "currency_code": "KWD", "pg_codes": ["knet"]})).unwrap_err();
        assert_eq!(
            err.body,
            json!({"amount": ["Ensure that there are no more than 3 decimal places."]})
        );
    }

    #[test]
    fn nested_address_errors_are_nested() {
        let err = create(json!({"type": "payment_request", "amount": "1", "currency_code": "KWD", "pg_codes": ["knet"],
            "billing_address": {"line1": "x", "country": "XX"}})).unwrap_err();
        assert_eq!(
            err.body,
            json!({"billing_address": {"city": [REQUIRED], "country": ["\"XX\" is not a valid choice."]}})
        );
    }

    #[test]
    fn sms_notifications_need_a_phone() {
        let err = create(json!({"type": "payment_request", "amount": "1", "currency_code": "KWD", "pg_codes": ["knet"],
            "notifications": {"sms": ["paid"]}})).unwrap_err();
        assert_eq!(
            err.body,
            json!({"notifications": {"sms": ["To use sms notifications provide the `customer_phone` field."]}})
        );
    }

    #[test]
    fn an_unknown_gateway_and_a_long_phone_are_reported_together() {
        let err = create(json!({"type": "payment_request", "amount": "1", "currency_code": "KWD", "pg_codes": ["nope"],
            "customer_phone": "12345678901234567"})).unwrap_err();
        assert_eq!(
            err.body,
            json!({"pg_codes": ["Object with code=nope does not exist."],
            "customer_phone": ["Ensure this field has no more than 16 characters."]})
        );
    }
}
