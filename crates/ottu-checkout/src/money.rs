//! Money: [`CurrencyCode`] (ISO 4217 with its minor units) and [`Amount`] (a decimal string).
//!
//! Ottu sends and receives amounts as decimal strings in major units whose number of decimals is
//! the currency's ISO 4217 minor unit: `"12.500"` KWD, `"12.50"` USD, `"12"` JPY. Nothing here
//! ever goes through a float; arithmetic uses [`rust_decimal::Decimal`].
//!
//! `ISO_4217` below is the workspace's one table of currencies and their minor units: pos-core
//! reads decimals through [`CurrencyCode`] and keeps none of its own. It is written out rather
//! than taken from a crate because the choice of codes is the point: active currencies only. The
//! `iso_currency` crate (0.7), compared code by code, has the same minor units for every code
//! here but also lists funds, precious metals and withdrawn codes (`CUC`, `HRK`, `SLL`, `ZWL`),
//! which a payment request must not accept, and already lacks `ANG`, still in use.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// ISO 4217 alphabetic codes in use, with their minor units (number of decimals).
///
/// Sorted by code so lookups can binary-search.
#[rustfmt::skip]
const ISO_4217: &[(&str, u8)] = &[
    ("AED", 2), ("AFN", 2), ("ALL", 2), ("AMD", 2), ("ANG", 2), ("AOA", 2), ("ARS", 2),
    ("AUD", 2), ("AWG", 2), ("AZN", 2), ("BAM", 2), ("BBD", 2), ("BDT", 2), ("BGN", 2),
    ("BHD", 3), ("BIF", 0), ("BMD", 2), ("BND", 2), ("BOB", 2), ("BRL", 2), ("BSD", 2),
    ("BTN", 2), ("BWP", 2), ("BYN", 2), ("BZD", 2), ("CAD", 2), ("CDF", 2), ("CHF", 2),
    ("CLF", 4), ("CLP", 0), ("CNY", 2), ("COP", 2), ("CRC", 2), ("CUP", 2), ("CVE", 2),
    ("CZK", 2), ("DJF", 0), ("DKK", 2), ("DOP", 2), ("DZD", 2), ("EGP", 2), ("ERN", 2),
    ("ETB", 2), ("EUR", 2), ("FJD", 2), ("FKP", 2), ("GBP", 2), ("GEL", 2), ("GHS", 2),
    ("GIP", 2), ("GMD", 2), ("GNF", 0), ("GTQ", 2), ("GYD", 2), ("HKD", 2), ("HNL", 2),
    ("HTG", 2), ("HUF", 2), ("IDR", 2), ("ILS", 2), ("INR", 2), ("IQD", 3), ("IRR", 2),
    ("ISK", 0), ("JMD", 2), ("JOD", 3), ("JPY", 0), ("KES", 2), ("KGS", 2), ("KHR", 2),
    ("KMF", 0), ("KPW", 2), ("KRW", 0), ("KWD", 3), ("KYD", 2), ("KZT", 2), ("LAK", 2),
    ("LBP", 2), ("LKR", 2), ("LRD", 2), ("LSL", 2), ("LYD", 3), ("MAD", 2), ("MDL", 2),
    ("MGA", 2), ("MKD", 2), ("MMK", 2), ("MNT", 2), ("MOP", 2), ("MRU", 2), ("MUR", 2),
    ("MVR", 2), ("MWK", 2), ("MXN", 2), ("MYR", 2), ("MZN", 2), ("NAD", 2), ("NGN", 2),
    ("NIO", 2), ("NOK", 2), ("NPR", 2), ("NZD", 2), ("OMR", 3), ("PAB", 2), ("PEN", 2),
    ("PGK", 2), ("PHP", 2), ("PKR", 2), ("PLN", 2), ("PYG", 0), ("QAR", 2), ("RON", 2),
    ("RSD", 2), ("RUB", 2), ("RWF", 0), ("SAR", 2), ("SBD", 2), ("SCR", 2), ("SDG", 2),
    ("SEK", 2), ("SGD", 2), ("SHP", 2), ("SLE", 2), ("SOS", 2), ("SRD", 2), ("SSP", 2),
    ("STN", 2), ("SYP", 2), ("SZL", 2), ("THB", 2), ("TJS", 2), ("TMT", 2), ("TND", 3),
    ("TOP", 2), ("TRY", 2), ("TTD", 2), ("TWD", 2), ("TZS", 2), ("UAH", 2), ("UGX", 0),
    ("USD", 2), ("UYI", 0), ("UYU", 2), ("UYW", 4), ("UZS", 2), ("VES", 2), ("VND", 0),
    ("VUV", 0), ("WST", 2), ("XAF", 0), ("XCD", 2), ("XOF", 0), ("XPF", 0), ("YER", 2),
    ("ZAR", 2), ("ZMW", 2), ("ZWG", 2),
];

/// Largest number of integer digits accepted in an amount (the API's `^-?\d{0,13}(?:\.\d{0,3})?$`).
pub const MAX_INTEGER_DIGITS: usize = 13;

/// Why a currency code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CurrencyError {
    /// Not three ASCII letters.
    #[error("currency_code must be three letters (ISO 4217), got {0:?}")]
    Malformed(String),
    /// Three letters, but not an ISO 4217 code this client knows.
    #[error("currency_code {0:?} is not an ISO 4217 currency")]
    Unknown(String),
}

/// An ISO 4217 currency code together with its minor units (decimals).
///
/// Parsing upper-cases the input and refuses codes outside ISO 4217, because without the minor
/// units no amount in that currency can be checked.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CurrencyCode {
    code: [u8; 3],
    minor_units: u8,
}

impl CurrencyCode {
    /// Kuwaiti dinar (3 decimals).
    pub const KWD: Self = Self::known(*b"KWD", 3);
    /// Bahraini dinar (3 decimals).
    pub const BHD: Self = Self::known(*b"BHD", 3);
    /// Omani rial (3 decimals).
    pub const OMR: Self = Self::known(*b"OMR", 3);
    /// Saudi riyal (2 decimals).
    pub const SAR: Self = Self::known(*b"SAR", 2);
    /// UAE dirham (2 decimals).
    pub const AED: Self = Self::known(*b"AED", 2);
    /// Qatari riyal (2 decimals).
    pub const QAR: Self = Self::known(*b"QAR", 2);
    /// Jordanian dinar (3 decimals).
    pub const JOD: Self = Self::known(*b"JOD", 3);
    /// Egyptian pound (2 decimals).
    pub const EGP: Self = Self::known(*b"EGP", 2);
    /// US dollar (2 decimals).
    pub const USD: Self = Self::known(*b"USD", 2);
    /// Euro (2 decimals).
    pub const EUR: Self = Self::known(*b"EUR", 2);
    /// Pound sterling (2 decimals).
    pub const GBP: Self = Self::known(*b"GBP", 2);
    /// Japanese yen (0 decimals).
    pub const JPY: Self = Self::known(*b"JPY", 0);

    const fn known(code: [u8; 3], minor_units: u8) -> Self {
        Self { code, minor_units }
    }

    /// Parses a code such as `"KWD"` (case-insensitive, surrounding whitespace ignored).
    pub fn parse(code: &str) -> Result<Self, CurrencyError> {
        let trimmed = code.trim();
        if trimmed.len() != 3 || !trimmed.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(CurrencyError::Malformed(code.to_owned()));
        }
        let upper = trimmed.to_ascii_uppercase();
        match ISO_4217.binary_search_by(|(c, _)| c.cmp(&upper.as_str())) {
            Ok(i) => {
                let b = upper.as_bytes();
                Ok(Self {
                    code: [b[0], b[1], b[2]],
                    minor_units: ISO_4217[i].1,
                })
            }
            Err(_) => Err(CurrencyError::Unknown(upper)),
        }
    }

    /// The three-letter code, e.g. `"KWD"`.
    pub fn as_str(&self) -> &str {
        // Only ever built from ASCII letters.
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// Number of decimals amounts in this currency carry (ISO 4217 minor units).
    pub fn minor_units(&self) -> u32 {
        u32::from(self.minor_units)
    }

    /// Every currency this client knows, with its minor units, sorted by code.
    pub fn all() -> impl Iterator<Item = CurrencyCode> {
        ISO_4217.iter().map(|(code, units)| {
            let b = code.as_bytes();
            Self::known([b[0], b[1], b[2]], *units)
        })
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CurrencyCode({}/{})", self.as_str(), self.minor_units)
    }
}

impl AsRef<str> for CurrencyCode {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl FromStr for CurrencyCode {
    type Err = CurrencyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for CurrencyCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CurrencyCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Why an amount was refused. Messages name the `amount` field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AmountError {
    /// Empty string.
    #[error("amount is empty")]
    Empty,
    /// Not a plain decimal number (`12`, `12.5`, `0.250`); signs, exponents, commas and spaces
    /// are refused.
    #[error("amount {0:?} is not a decimal number like 12.500")]
    Malformed(String),
    /// More decimals than the currency has.
    #[error("amount {amount:?} has more than {allowed} decimals allowed for {currency}")]
    TooManyDecimals {
        /// The input.
        amount: String,
        /// The currency's minor units.
        allowed: u32,
        /// The currency.
        currency: String,
    },
    /// More than [`MAX_INTEGER_DIGITS`] integer digits.
    #[error("amount {0:?} is too large")]
    TooLarge(String),
    /// Arithmetic on amounts of different currencies, or the result did not fit.
    #[error("amount arithmetic overflowed")]
    Overflow,
}

/// A non-negative decimal amount in major units, kept as the exact string the API uses.
///
/// * [`Amount::parse`] checks a string against a currency and normalises it to that currency's
///   decimals (`"12.5"` KWD → `"12.500"`, `"7"` USD → `"7.00"`).
/// * Amounts read from a server response are only checked for being decimal numbers: the
///   server's formatting is kept as it was sent.
/// * Equality, ordering and hashing are numeric: `"12.5" == "12.500"`.
#[derive(Clone)]
pub struct Amount {
    text: String,
    value: Decimal,
}

impl Amount {
    /// Parses `text` as an amount in `currency`, normalised to the currency's decimals.
    pub fn parse(text: &str, currency: &CurrencyCode) -> Result<Self, AmountError> {
        let (value, decimals) = parse_decimal(text)?;
        let allowed = currency.minor_units();
        if decimals > allowed {
            return Err(AmountError::TooManyDecimals {
                amount: text.to_owned(),
                allowed,
                currency: currency.to_string(),
            });
        }
        Ok(Self::from_decimal_scaled(value, allowed))
    }

    /// Zero in `currency`: `"0.000"` KWD, `"0.00"` USD, `"0"` JPY.
    pub fn zero(currency: &CurrencyCode) -> Self {
        Self::from_decimal_scaled(Decimal::ZERO, currency.minor_units())
    }

    /// Builds an amount from integer minor units (`12500` fils → `"12.500"` KWD).
    pub fn from_minor_units(minor: u64, currency: &CurrencyCode) -> Result<Self, AmountError> {
        let value = Decimal::try_from_i128_with_scale(i128::from(minor), currency.minor_units())
            .map_err(|_| AmountError::Overflow)?;
        let amount = Self::from_decimal_scaled(value, currency.minor_units());
        if integer_digits(&amount.text) > MAX_INTEGER_DIGITS {
            return Err(AmountError::TooLarge(amount.text));
        }
        Ok(amount)
    }

    /// Reads a server-sent decimal string without a currency check, keeping its text.
    pub fn parse_unchecked(text: &str) -> Result<Self, AmountError> {
        let (value, _) = parse_decimal(text)?;
        Ok(Self {
            text: text.to_owned(),
            value,
        })
    }

    fn from_decimal_scaled(mut value: Decimal, decimals: u32) -> Self {
        value.rescale(decimals);
        Self {
            text: value.to_string(),
            value,
        }
    }

    /// The decimal string as it travels on the wire.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The exact numeric value.
    pub fn to_decimal(&self) -> Decimal {
        self.value
    }

    /// Whether the amount is zero (`"0"`, `"0.000"`).
    pub fn is_zero(&self) -> bool {
        self.value.is_zero()
    }

    /// Number of decimals in the text form.
    pub fn decimals(&self) -> u32 {
        self.text.split_once('.').map_or(0, |(_, f)| f.len() as u32)
    }

    /// Checks that this amount fits `currency` (no more decimals than it has) and returns it
    /// normalised to that currency's decimals.
    pub fn for_currency(&self, currency: &CurrencyCode) -> Result<Self, AmountError> {
        Self::parse(&self.text, currency)
    }

    /// `self + other`, normalised to `currency`'s decimals.
    pub fn checked_add(
        &self,
        other: &Amount,
        currency: &CurrencyCode,
    ) -> Result<Self, AmountError> {
        let sum = self
            .value
            .checked_add(other.value)
            .ok_or(AmountError::Overflow)?;
        Self::parse(&sum.normalize().to_string(), currency)
    }

    /// `self - other` if the result is not negative, normalised to `currency`'s decimals.
    pub fn checked_sub(&self, other: &Amount, currency: &CurrencyCode) -> Option<Self> {
        let diff = self.value.checked_sub(other.value)?;
        if diff.is_sign_negative() && !diff.is_zero() {
            return None;
        }
        Self::parse(&diff.normalize().to_string(), currency).ok()
    }

    /// Sum of `amounts` in `currency` (zero for none).
    pub fn sum<'a>(
        amounts: impl IntoIterator<Item = &'a Amount>,
        currency: &CurrencyCode,
    ) -> Result<Self, AmountError> {
        amounts
            .into_iter()
            .try_fold(Self::zero(currency), |acc, a| acc.checked_add(a, currency))
    }
}

/// Splits and checks a plain decimal: digits, optionally `.` and digits.
fn parse_decimal(text: &str) -> Result<(Decimal, u32), AmountError> {
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    let malformed = || AmountError::Malformed(text.to_owned());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || frac.is_some_and(|f| f.is_empty() || !all_digits(f)) {
        return Err(malformed());
    }
    if int.is_empty() && frac.is_none() {
        return Err(malformed());
    }
    if int.trim_start_matches('0').len() > MAX_INTEGER_DIGITS {
        return Err(AmountError::TooLarge(text.to_owned()));
    }
    let decimals = frac.map_or(0, |f| f.len() as u32);
    if decimals > 18 {
        return Err(malformed());
    }
    let normalised = if int.is_empty() {
        format!("0{text}")
    } else {
        text.to_owned()
    };
    let value = Decimal::from_str(&normalised).map_err(|_| malformed())?;
    Ok((value, decimals))
}

fn integer_digits(text: &str) -> usize {
    text.split('.').next().unwrap_or("").len()
}

impl PartialEq for Amount {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for Amount {}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Amount {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl Hash for Amount {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.normalize().hash(state);
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({:?})", self.text)
    }
}

impl AsRef<str> for Amount {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse_unchecked(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(code: &str) -> CurrencyCode {
        CurrencyCode::parse(code).unwrap()
    }

    #[test]
    fn currency_table_is_sorted_and_unique() {
        for pair in ISO_4217.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} !< {}", pair[0].0, pair[1].0);
        }
    }

    #[test]
    fn three_decimal_currencies_have_three_minor_units() {
        for code in ["KWD", "BHD", "OMR", "JOD", "TND", "LYD", "IQD"] {
            assert_eq!(cur(code).minor_units(), 3, "{code}");
        }
    }

    #[test]
    fn zero_decimal_and_two_decimal_currencies() {
        assert_eq!(cur("JPY").minor_units(), 0);
        assert_eq!(cur("KRW").minor_units(), 0);
        for code in ["USD", "EUR", "GBP", "EGP", "SAR", "AED", "QAR"] {
            assert_eq!(cur(code).minor_units(), 2, "{code}");
        }
    }

    #[test]
    fn currency_parse_is_case_insensitive_and_rejects_non_iso_codes() {
        assert_eq!(cur("kwd"), CurrencyCode::KWD);
        assert_eq!(CurrencyCode::KWD.as_str(), "KWD");
        assert!(matches!(
            CurrencyCode::parse("KW"),
            Err(CurrencyError::Malformed(_))
        ));
        assert!(matches!(
            CurrencyCode::parse("K1D"),
            Err(CurrencyError::Malformed(_))
        ));
        assert_eq!(
            CurrencyCode::parse("ABC"),
            Err(CurrencyError::Unknown("ABC".into()))
        );
    }

    #[test]
    fn constants_match_the_table() {
        for c in [
            CurrencyCode::KWD,
            CurrencyCode::BHD,
            CurrencyCode::OMR,
            CurrencyCode::SAR,
            CurrencyCode::AED,
            CurrencyCode::QAR,
            CurrencyCode::JOD,
            CurrencyCode::EGP,
            CurrencyCode::USD,
            CurrencyCode::EUR,
            CurrencyCode::GBP,
            CurrencyCode::JPY,
        ] {
            assert_eq!(cur(c.as_str()), c);
        }
    }

    #[test]
    fn amount_is_padded_to_the_currency_decimals() {
        assert_eq!(
            Amount::parse("12.5", &CurrencyCode::KWD).unwrap().as_str(),
            "12.500"
        );
        assert_eq!(
            Amount::parse("12.34", &CurrencyCode::KWD).unwrap().as_str(),
            "12.340"
        );
        assert_eq!(
            Amount::parse("7", &CurrencyCode::USD).unwrap().as_str(),
            "7.00"
        );
        assert_eq!(
            Amount::parse("20", &CurrencyCode::JPY).unwrap().as_str(),
            "20"
        );
        assert_eq!(
            Amount::parse(".5", &CurrencyCode::USD).unwrap().as_str(),
            "0.50"
        );
        assert_eq!(
            Amount::parse("007.1", &CurrencyCode::USD).unwrap().as_str(),
            "7.10"
        );
    }

    #[test]
    fn amount_with_too_many_decimals_is_refused() {
        assert_eq!(
            Amount::parse("1.2345", &CurrencyCode::KWD),
            Err(AmountError::TooManyDecimals {
                amount: "1.2345".into(),
                allowed: 3,
                currency: "KWD".into()
            })
        );
        assert!(Amount::parse("1.005", &CurrencyCode::USD).is_err());
        assert!(Amount::parse("1.5", &CurrencyCode::JPY).is_err());
    }

    #[test]
    fn amount_rejects_anything_but_a_plain_decimal() {
        for bad in [
            "-1", "+1", "1e3", "1,5", " 1", "1.", ".", "abc", "1.2.3", "NaN", "١٢",
        ] {
            assert!(
                matches!(
                    Amount::parse(bad, &CurrencyCode::KWD),
                    Err(AmountError::Malformed(_))
                ),
                "{bad:?}"
            );
        }
        assert_eq!(
            Amount::parse("", &CurrencyCode::KWD),
            Err(AmountError::Empty)
        );
        assert!(matches!(
            Amount::parse("12345678901234", &CurrencyCode::KWD),
            Err(AmountError::TooLarge(_))
        ));
        assert!(Amount::parse("1234567890123.999", &CurrencyCode::KWD).is_ok());
    }

    #[test]
    fn amount_zero_and_minor_units() {
        assert_eq!(Amount::zero(&CurrencyCode::KWD).as_str(), "0.000");
        assert!(Amount::parse("0", &CurrencyCode::KWD).unwrap().is_zero());
        assert!(
            !Amount::parse("0.001", &CurrencyCode::KWD)
                .unwrap()
                .is_zero()
        );
        assert_eq!(
            Amount::from_minor_units(12500, &CurrencyCode::KWD)
                .unwrap()
                .as_str(),
            "12.500"
        );
        assert_eq!(
            Amount::from_minor_units(1999, &CurrencyCode::USD)
                .unwrap()
                .as_str(),
            "19.99"
        );
        assert_eq!(
            Amount::from_minor_units(5, &CurrencyCode::JPY)
                .unwrap()
                .as_str(),
            "5"
        );
    }

    #[test]
    fn amount_equality_and_order_are_numeric() {
        let a = Amount::parse_unchecked("12.5").unwrap();
        let b = Amount::parse("12.5", &CurrencyCode::KWD).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "12.5");
        let c = Amount::parse("12.501", &CurrencyCode::KWD).unwrap();
        assert!(c > b);
        use std::collections::HashSet;
        let set: HashSet<Amount> = [a, b].into_iter().collect();
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn amount_sums_without_floats() {
        let kwd = CurrencyCode::KWD;
        let parts: Vec<Amount> = ["0.100", "0.200", "0.300"]
            .iter()
            .map(|s| Amount::parse(s, &kwd).unwrap())
            .collect();
        assert_eq!(Amount::sum(&parts, &kwd).unwrap().as_str(), "0.600");
        assert_eq!(Amount::sum([], &kwd).unwrap().as_str(), "0.000");
        let ten = Amount::parse("10", &kwd).unwrap();
        assert_eq!(ten.checked_sub(&parts[2], &kwd).unwrap().as_str(), "9.700");
        assert!(parts[0].checked_sub(&ten, &kwd).is_none());
    }

    #[test]
    fn amount_serializes_as_a_string_and_keeps_server_text() {
        let a = Amount::parse("1.5", &CurrencyCode::BHD).unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"1.500\"");
        let back: Amount = serde_json::from_str("\"1.5\"").unwrap();
        assert_eq!(back.as_str(), "1.5");
        assert_eq!(
            back.for_currency(&CurrencyCode::BHD).unwrap().as_str(),
            "1.500"
        );
        assert!(serde_json::from_str::<Amount>("1.5").is_err());
        assert!(serde_json::from_str::<Amount>("\"1,5\"").is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn any_currency() -> impl Strategy<Value = CurrencyCode> {
            proptest::sample::select(CurrencyCode::all().collect::<Vec<_>>())
        }

        proptest! {
            #[test]
            fn minor_units_round_trip_through_text(minor in 0u64..10_000_000_000_000, currency in any_currency()) {
                let amount = Amount::from_minor_units(minor, &currency).unwrap();
                prop_assert_eq!(amount.decimals(), currency.minor_units());
                let again = Amount::parse(amount.as_str(), &currency).unwrap();
                prop_assert_eq!(again.as_str(), amount.as_str());
                prop_assert_eq!(again.is_zero(), minor == 0);
            }

            #[test]
            fn parse_never_panics_and_normalises(text in "[0-9.]{0,20}", currency in any_currency()) {
                if let Ok(amount) = Amount::parse(&text, &currency) {
                    prop_assert_eq!(amount.decimals(), currency.minor_units());
                    prop_assert_eq!(Amount::parse_unchecked(&text).unwrap(), amount);
                }
            }

            #[test]
            fn sums_match_integer_arithmetic(parts in proptest::collection::vec(0u64..1_000_000_000, 0..20), currency in any_currency()) {
                let amounts: Vec<Amount> = parts
                    .iter()
                    .map(|m| Amount::from_minor_units(*m, &currency).unwrap())
                    .collect();
                let expected = Amount::from_minor_units(parts.iter().sum(), &currency).unwrap();
                let total = Amount::sum(&amounts, &currency).unwrap();
                prop_assert_eq!(total.as_str(), expected.as_str());
            }
        }
    }
}
