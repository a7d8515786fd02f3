//! The QR code of a Saudi simplified tax invoice (ZATCA e-invoicing, phase 1): five TLV fields,
//! base64-encoded (`base64` crate).
//!
//! Each field is one tag byte, one length byte (the value's UTF-8 length) and the value:
//! 1 seller's name, 2 VAT registration number, 3 the invoice's time (ISO 8601), 4 the total
//! with VAT, 5 the VAT. ZATCA's format has one length byte, so a value is at most 255 bytes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The five fields of the QR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimplifiedInvoice<'a> {
    /// The shop's name as registered.
    pub seller_name: &'a str,
    /// The shop's VAT number (Saudi: 15 digits).
    pub vat_number: &'a str,
    /// When the sale was made, ISO 8601 (`2026-12-03T21:00:00Z`).
    pub timestamp: &'a str,
    /// The total including VAT, a decimal string (`11.50`).
    pub total_with_vat: &'a str,
    /// The VAT, a decimal string.
    pub vat_total: &'a str,
}

/// A value longer than ZATCA's one-byte length allows (the field's tag).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("field {0} of the tax-invoice QR is longer than 255 bytes")]
pub struct TooLong(pub u8);

impl SimplifiedInvoice<'_> {
    /// The TLV bytes.
    pub fn tlv(&self) -> Result<Vec<u8>, TooLong> {
        let fields = [
            self.seller_name,
            self.vat_number,
            self.timestamp,
            self.total_with_vat,
            self.vat_total,
        ];
        let mut out = Vec::new();
        for (tag, value) in (1u8..).zip(fields) {
            let len = u8::try_from(value.len()).map_err(|_| TooLong(tag))?;
            out.push(tag);
            out.push(len);
            out.extend_from_slice(value.as_bytes());
        }
        Ok(out)
    }

    /// The text the QR encodes: the TLV bytes in standard base64.
    pub fn qr_payload(&self) -> Result<String, TooLong> {
        Ok(STANDARD.encode(self.tlv()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected payloads computed separately with Python's `base64` over hand-built TLV bytes
    // (`bytes([tag, len(v)]) + v.encode()`); the first is also ZATCA's published example.
    #[test]
    fn known_vectors() {
        let zatca = SimplifiedInvoice {
            seller_name: "Bobs Records",
            vat_number: "310122393500003",
            timestamp: "2022-04-25T15:30:00Z",
            total_with_vat: "1000.00",
            vat_total: "150.00",
        };
        assert_eq!(
            zatca.qr_payload().unwrap(),
            "AQxCb2JzIFJlY29yZHMCDzMxMDEyMjM5MzUwMDAwMwMUMjAyMi0wNC0yNVQxNTozMDowMFoEBzEwMDAuMDAFBjE1MC4wMA=="
        );
        // An Arabic name: the length is in bytes, not characters.
        let arabic = SimplifiedInvoice {
            seller_name: "متجر التمور",
            vat_number: "300000000000003",
            timestamp: "2026-12-03T21:00:00Z",
            total_with_vat: "11.50",
            vat_total: "1.50",
        };
        assert_eq!(
            arabic.qr_payload().unwrap(),
            "ARXZhdiq2KzYsSDYp9mE2KrZhdmI2LECDzMwMDAwMDAwMDAwMDAwMwMUMjAyNi0xMi0wM1QyMTowMDowMFoEBTExLjUwBQQxLjUw"
        );
        assert_eq!(arabic.tlv().unwrap()[1], 21);
    }

    #[test]
    fn a_value_over_255_bytes_is_refused_by_tag() {
        let long = "x".repeat(256);
        let invoice = SimplifiedInvoice {
            seller_name: "Shop",
            vat_number: "300000000000003",
            timestamp: &long,
            total_with_vat: "1.00",
            vat_total: "0.00",
        };
        assert_eq!(invoice.qr_payload(), Err(TooLong(3)));
    }
}
