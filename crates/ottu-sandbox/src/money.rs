//! Money: the currencies the sandbox knows (ISO 4217 minor units), the API's decimal syntax, and
//! [`Amount`], an amount already scaled to its currency. Arithmetic, scaling and formatting are
//! `rust_decimal`'s; nothing goes through a float.
//!
//! Hand-written on purpose: [`parse_number`], the lexical check of what the API accepts as a
//! number. `rust_decimal`'s parser is wider (it takes `1_000`, rounds past 28 digits) while
//! the API refuses the first and counts integer digits and decimals for its error texts.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// ISO 4217 currencies the sandbox accepts, with their number of decimals.
///
/// The client crate (`ottu-checkout`) keeps its own, longer table on purpose: this one is the
/// server's behaviour (a currency missing here is a 400 on `currency_code`, as on a merchant
/// whose gateways do not offer it), and the contract tests catch a client that sends what the
/// server refuses only while the two tables are written independently.
const CURRENCIES: &[(&str, u32)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BND", 2),
    ("BOB", 2),
    ("BRL", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CRC", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GNF", 0),
    ("HKD", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KMF", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("KZT", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("NGN", 2),
    ("NOK", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SYP", 2),
    ("THB", 2),
    ("TND", 3),
    ("TRY", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("UYU", 2),
    ("UZS", 2),
    ("VND", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("YER", 2),
    ("ZAR", 2),
];

/// Number of decimals of an ISO 4217 code (upper case), if known.
pub fn currency_decimals(code: &str) -> Option<u32> {
    Currency::parse(code).map(Currency::decimals)
}

/// A currency the sandbox knows: its code and number of decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    code: &'static str,
    decimals: u32,
}

impl Currency {
    /// The currency with this upper-case ISO 4217 code, if the sandbox knows it.
    pub fn parse(code: &str) -> Option<Self> {
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|&(code, decimals)| Self { code, decimals })
    }

    /// The ISO 4217 code.
    pub fn code(self) -> &'static str {
        self.code
    }

    /// Number of decimals (minor unit exponent).
    pub fn decimals(self) -> u32 {
        self.decimals
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Self::parse(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown currency {code:?}")))
    }
}

/// A number as the API writes it: `12`, `12.5`, `-0.250`, `+3`, `.5`, `5.`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    negative: bool,
    /// Integer digits without leading zeros.
    integer: String,
    /// Fraction digits as written.
    fraction: String,
}

/// Parses an optional sign, digits, an optional point and digits, at most 30 significant
/// digits (surrounding white space ignored). `None` for anything else (`1e5`, `1_000`, `.`).
pub fn parse_number(text: &str) -> Option<Number> {
    let text = text.trim();
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int_part) || !digits(frac_part) {
        return None;
    }
    let integer = int_part.trim_start_matches('0');
    if integer.len() + frac_part.len() > 30 {
        return None;
    }
    Some(Number {
        negative,
        integer: integer.to_owned(),
        fraction: frac_part.to_owned(),
    })
}

impl Number {
    /// Digits before the decimal point (leading zeros excluded).
    pub fn integer_digits(&self) -> u32 {
        self.integer.len() as u32
    }

    /// Digits after the decimal point, as written.
    pub fn scale(&self) -> u32 {
        self.fraction.len() as u32
    }

    /// The value with exactly `decimals` decimals, or `None` when it needs more than that.
    /// Trailing zeros do not count: `1.2300` fits 2 decimals.
    pub fn to_decimals(&self, decimals: u32) -> Option<Decimal> {
        let significant = self.fraction.trim_end_matches('0');
        if significant.len() > decimals as usize {
            return None;
        }
        self.with_fraction(significant, decimals)
    }

    /// The value cut (towards zero) to `decimals` decimals.
    pub fn truncated(&self, decimals: u32) -> Option<Decimal> {
        let cut: String = self.fraction.chars().take(decimals as usize).collect();
        self.with_fraction(&cut, decimals)
    }

    fn with_fraction(&self, fraction: &str, decimals: u32) -> Option<Decimal> {
        let sign = if self.negative { "-" } else { "" };
        let integer = if self.integer.is_empty() {
            "0"
        } else {
            &self.integer
        };
        let mut value = Decimal::from_str_exact(&format!("{sign}{integer}.{fraction}0"))
            .or_else(|_| Decimal::from_str_exact(&format!("{sign}{integer}")))
            .ok()?;
        if value.is_zero() {
            value = Decimal::ZERO;
        }
        value.rescale(decimals);
        Some(value)
    }
}

/// An amount in a currency's decimals (`12.500` KWD, `12.50` USD, `12` JPY): the money type of
/// the stored transaction. Serialised as that decimal string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount(Decimal);

impl Amount {
    /// `value` with `decimals` decimals (a value needing more is rounded, which callers avoid).
    pub fn new(mut value: Decimal, decimals: u32) -> Self {
        if value.is_zero() {
            value = Decimal::ZERO;
        }
        value.rescale(decimals);
        Self(value)
    }

    /// Zero with `decimals` decimals.
    pub fn zero(decimals: u32) -> Self {
        Self::new(Decimal::ZERO, decimals)
    }

    /// The smallest positive amount with `decimals` decimals (`0.001` for KWD).
    pub fn smallest(decimals: u32) -> Self {
        Self(Decimal::new(1, decimals))
    }

    /// The value.
    pub fn value(self) -> Decimal {
        self.0
    }

    /// The same amount with `decimals` decimals.
    pub fn rescaled(self, decimals: u32) -> Self {
        Self::new(self.0, decimals)
    }

    /// The sum, in the larger of the two scales; `None` on overflow.
    pub fn checked_add(self, other: Amount) -> Option<Self> {
        self.0.checked_add(other.0).map(Self)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Decimal::from_str(&text)
            .map(Self)
            .map_err(|e| serde::de::Error::custom(format!("amount {text:?}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_decimals(text: &str, decimals: u32) -> String {
        parse_number(text)
            .unwrap()
            .to_decimals(decimals)
            .unwrap()
            .to_string()
    }

    #[test]
    fn kwd_amounts_are_padded_to_three_decimals() {
        assert_eq!(in_decimals("12.34", 3), "12.340");
        assert_eq!(in_decimals("20", 2), "20.00");
        assert_eq!(in_decimals("20", 0), "20");
    }

    #[test]
    fn too_many_decimals_do_not_convert() {
        assert_eq!(parse_number("1.2345").unwrap().to_decimals(3), None);
        assert_eq!(
            parse_number("1.2300").unwrap().to_decimals(2),
            Some(Decimal::new(123, 2))
        );
    }

    #[test]
    fn non_numbers_do_not_parse() {
        for bad in ["", ".", "-", "1e5", "1.2.3", "abc", "١٢", "NaN", "1 000"] {
            assert_eq!(parse_number(bad), None, "{bad:?}");
        }
        assert_eq!(
            parse_number(".5").unwrap().to_decimals(1),
            Some(Decimal::new(5, 1))
        );
    }

    #[test]
    fn what_rust_decimal_would_take_but_the_api_refuses_does_not_parse() {
        for bad in ["1_000", "1e5", " 1 ", "0x10"] {
            assert_eq!(parse_number(bad).is_some(), bad == " 1 ", "{bad:?}");
        }
    }

    #[test]
    fn thirty_digits_parse_and_count_beyond_what_rust_decimal_holds() {
        let n = parse_number("123456789012345678901234567890").unwrap();
        assert_eq!(n.integer_digits(), 30);
        assert!(parse_number("1234567890123456789012345678901").is_none());
        let tiny = parse_number("0.000000000000000000000000000001").unwrap();
        assert_eq!(tiny.to_decimals(3), None);
        assert_eq!(tiny.truncated(3).unwrap().to_string(), "0.000");
    }

    #[test]
    fn negative_zero_is_plain_zero() {
        assert_eq!(in_decimals("-0", 3), "0.000");
        assert_eq!(Amount::smallest(3).to_string(), "0.001");
        assert_eq!(Amount::smallest(0).to_string(), "1");
    }

    #[test]
    fn currency_exponents_follow_iso_4217() {
        assert_eq!(currency_decimals("KWD"), Some(3));
        assert_eq!(currency_decimals("USD"), Some(2));
        assert_eq!(currency_decimals("JPY"), Some(0));
        assert_eq!(currency_decimals("kwd"), None);
    }
}
