//! Decimal amounts as text and integers, never floats; ISO 4217 minor-unit exponents.

/// ISO 4217 currencies the sandbox knows, with their number of decimals.
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
    CURRENCIES.iter().find(|(c, _)| *c == code).map(|(_, d)| *d)
}

/// A parsed decimal: `units / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub units: i128,
    pub scale: u32,
    /// Digits before the decimal point (leading zeros excluded).
    pub integer_digits: u32,
}

/// Parses `12`, `12.5`, `-0.250`, `.5`; at most 30 digits. `None` for anything else.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let text = text.trim();
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let significant_int = int_part.trim_start_matches('0');
    if significant_int.len() + frac_part.len() > 30 {
        return None;
    }
    let mut units: i128 = 0;
    for b in significant_int.bytes().chain(frac_part.bytes()) {
        units = units * 10 + i128::from(b - b'0');
    }
    Some(Decimal {
        units: if negative { -units } else { units },
        scale: frac_part.len() as u32,
        integer_digits: significant_int.len() as u32,
    })
}

impl Decimal {
    /// The value in minor units of a currency with `decimals` decimals, or `None` when it
    /// needs more decimals than that. Trailing zeros do not count: `1.2300` fits 2 decimals.
    pub fn to_minor(self, decimals: u32) -> Option<i128> {
        if self.scale > decimals {
            let factor = 10i128.checked_pow(self.scale - decimals)?;
            (self.units % factor == 0).then(|| self.units / factor)
        } else {
            self.units
                .checked_mul(10i128.checked_pow(decimals - self.scale)?)
        }
    }
}

/// Renders minor units with the currency's decimals: `12500, 3` → `"12.500"`.
pub fn format_minor(minor: i128, decimals: u32) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if decimals == 0 {
        return format!("{sign}{abs}");
    }
    let factor = 10u128.pow(decimals);
    format!(
        "{sign}{}.{:0width$}",
        abs / factor,
        abs % factor,
        width = decimals as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwd_amounts_are_padded_to_three_decimals() {
        let d = parse_decimal("12.34").unwrap();
        assert_eq!(format_minor(d.to_minor(3).unwrap(), 3), "12.340");
        assert_eq!(
            format_minor(parse_decimal("20").unwrap().to_minor(2).unwrap(), 2),
            "20.00"
        );
        assert_eq!(
            format_minor(parse_decimal("20").unwrap().to_minor(0).unwrap(), 0),
            "20"
        );
    }

    #[test]
    fn too_many_decimals_do_not_convert() {
        assert_eq!(parse_decimal("1.2345").unwrap().to_minor(3), None);
        assert_eq!(parse_decimal("1.2300").unwrap().to_minor(2), Some(123));
    }

    #[test]
    fn non_numbers_do_not_parse() {
        for bad in ["", ".", "-", "1e5", "1.2.3", "abc", "١٢", "NaN", "1 000"] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
        assert_eq!(parse_decimal(".5").unwrap().units, 5);
    }

    #[test]
    fn currency_exponents_follow_iso_4217() {
        assert_eq!(currency_decimals("KWD"), Some(3));
        assert_eq!(currency_decimals("USD"), Some(2));
        assert_eq!(currency_decimals("JPY"), Some(0));
        assert_eq!(currency_decimals("kwd"), None);
    }
}
