//! Ready-to-open links that send a sale's payment link to the customer.
//!
//! - WhatsApp: `https://wa.me/<digits>?text=…`. wa.me wants the international number as digits
//!   only (no `+`, no spaces); without a phone, `https://wa.me/?text=…` lets staff pick a chat.
//! - SMS: `sms:+96599999999?&body=…`. iOS reads the body after `&`, Android after `?`; the
//!   `?&body=` form is the one both accept, so it is the only one produced.
//! - Email: `mailto:<address>?subject=…&body=…` (RFC 6068), line breaks as `%0D%0A`.
//!
//! Every query value is percent-encoded byte by byte (UTF-8, by the `percent-encoding` crate),
//! leaving only RFC 3986's unreserved characters as they are. Spaces become `%20`, never `+`:
//! mail and SMS apps show a `+` literally.
//! The message is in the sale's language (English or Arabic) and carries the amount with its
//! currency, the shop name and the link. For a sale already paid (`paid`, `refunded`) it is a
//! receipt's message instead: the same link is then the customer's copy of the Ottu invoice or
//! payment, not a request to pay.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::dto::{Language, Sale, SaleState, ShareLinks};

/// Builds the share links for a sale. `None` when the sale has no link yet.
pub fn share_links(sale: &Sale, shop_name: &str) -> Option<ShareLinks> {
    let link = sale.link.as_deref()?;
    let paid = matches!(sale.state, SaleState::Paid | SaleState::Refunded);
    let text = if paid {
        receipt_message(
            sale.language,
            shop_name,
            &sale.amount,
            &sale.currency_code,
            link,
        )
    } else {
        message(
            sale.language,
            shop_name,
            &sale.amount,
            &sale.currency_code,
            sale.customer_name.as_deref(),
            link,
        )
    };
    let whatsapp = Some(match sale.customer_phone.as_deref().map(digits) {
        Some(d) if !d.is_empty() => format!("https://wa.me/{d}?text={}", encode(&text)),
        _ => format!("https://wa.me/?text={}", encode(&text)),
    });
    let sms = sale
        .customer_phone
        .as_deref()
        .filter(|p| !digits(p).is_empty())
        .map(|phone| format!("sms:+{}?&body={}", digits(phone), encode(&text)));
    let email = sale
        .customer_email
        .as_deref()
        .filter(|e| !e.is_empty())
        .map(|address| {
            format!(
                "mailto:{}?subject={}&body={}",
                encode_address(address),
                encode(&subject(sale.language, shop_name, paid)),
                encode(&text.replace('\n', "\r\n"))
            )
        });
    Some(ShareLinks {
        text,
        whatsapp,
        sms,
        email,
    })
}

/// The short message: greeting, amount with currency, shop, link.
pub fn message(
    language: Language,
    shop_name: &str,
    amount: &str,
    currency_code: &str,
    customer_name: Option<&str>,
    link: &str,
) -> String {
    let shop = shop_name.trim();
    let name = customer_name.map(str::trim).filter(|n| !n.is_empty());
    match language {
        Language::En => {
            let greeting = match name {
                Some(n) => format!("Hello {n},\n"),
                None => String::new(),
            };
            let from = if shop.is_empty() {
                String::new()
            } else {
                format!(" from {shop}")
            };
            format!("{greeting}Payment request{from}: {amount} {currency_code}.\nPay here: {link}")
        }
        Language::Ar => {
            let greeting = match name {
                Some(n) => format!("مرحباً {n}،\n"),
                None => String::new(),
            };
            let from = if shop.is_empty() {
                String::new()
            } else {
                format!(" من {shop}")
            };
            format!("{greeting}طلب دفع{from}: {amount} {currency_code}.\nادفع هنا: {link}")
        }
    }
}

/// A paid sale's message: the receipt's total, shop and link.
pub fn receipt_message(
    language: Language,
    shop_name: &str,
    amount: &str,
    currency_code: &str,
    link: &str,
) -> String {
    let shop = shop_name.trim();
    match (language, shop.is_empty()) {
        (Language::En, true) => format!("Receipt: {amount} {currency_code} paid.\n{link}"),
        (Language::En, false) => {
            format!("Receipt from {shop}: {amount} {currency_code} paid.\n{link}")
        }
        (Language::Ar, true) => format!("إيصال: تم دفع {amount} {currency_code}.\n{link}"),
        (Language::Ar, false) => {
            format!("إيصال من {shop}: تم دفع {amount} {currency_code}.\n{link}")
        }
    }
}

fn subject(language: Language, shop_name: &str, paid: bool) -> String {
    let shop = shop_name.trim();
    if paid {
        return match (language, shop.is_empty()) {
            (Language::En, true) => "Receipt".to_owned(),
            (Language::En, false) => format!("Receipt from {shop}"),
            (Language::Ar, true) => "إيصال".to_owned(),
            (Language::Ar, false) => format!("إيصال من {shop}"),
        };
    }
    match (language, shop.is_empty()) {
        (Language::En, true) => "Payment request".to_owned(),
        (Language::En, false) => format!("Payment request from {shop}"),
        (Language::Ar, true) => "طلب دفع".to_owned(),
        (Language::Ar, false) => format!("طلب دفع من {shop}"),
    }
}

fn digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// Everything but RFC 3986's unreserved characters (letters, digits, `-._~`).
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode(value: &str) -> String {
    utf8_percent_encode(value, RESERVED).to_string()
}

/// An address in a `mailto:` may keep `@` as is.
fn encode_address(address: &str) -> String {
    const ADDRESS: &AsciiSet = &RESERVED.remove(b'@');
    utf8_percent_encode(address, ADDRESS).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sale(language: Language) -> Sale {
        Sale {
            id: "s1".into(),
            order_no: "POS-1".into(),
            session_id: Some("abc".into()),
            state: SaleState::Created,
            method: crate::dto::PaymentMethod::Link,
            bill_id: None,
            amount: "12.500".into(),
            currency_code: "KWD".into(),
            customer_name: Some("Sara".into()),
            customer_phone: Some("+96599999999".into()),
            customer_email: Some("sara+shop@example.com".into()),
            note: None,
            language,
            checkout_url: Some(
                "http://127.0.0.1:1/b/checkout/redirect/start/?session_id=abc".into(),
            ),
            short_url: Some("http://127.0.0.1:1/b/Xy12".into()),
            link: Some("http://127.0.0.1:1/b/Xy12".into()),
            qr_svg: None,
            expires_at: None,
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-01T00:00:00Z".into(),
            paid_at: None,
            profile_id: "demo".into(),
            problem: None,
            settlement: Default::default(),
            created_by: None,
            operations: Vec::new(),
            refundable_amount: None,
            offered_operations: Vec::new(),
            cart: None,
        }
    }

    fn decode(value: &str) -> String {
        percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .unwrap()
            .into_owned()
    }

    #[test]
    fn a_paid_sale_shares_a_receipt_not_a_payment_request() {
        for (state, language, text, subject) in [
            (
                SaleState::Paid,
                Language::En,
                "Receipt from Blue Cafe: 12.500 KWD paid.\nhttp://127.0.0.1:1/b/Xy12",
                "Receipt from Blue Cafe",
            ),
            (
                SaleState::Refunded,
                Language::Ar,
                "إيصال من Blue Cafe: تم دفع 12.500 KWD.\nhttp://127.0.0.1:1/b/Xy12",
                "إيصال من Blue Cafe",
            ),
        ] {
            let mut paid = sale(language);
            paid.state = state;
            let links = share_links(&paid, "Blue Cafe").unwrap();
            assert_eq!(links.text, text);
            let email = links.email.unwrap();
            let subject_value = email.split("subject=").nth(1).unwrap();
            assert_eq!(decode(subject_value.split('&').next().unwrap()), subject);
            let wa = links.whatsapp.unwrap();
            assert_eq!(decode(wa.split("text=").nth(1).unwrap()), text);
        }
    }

    #[test]
    fn english_links_carry_amount_shop_and_link() {
        let links = share_links(&sale(Language::En), "Blue Cafe").unwrap();
        assert_eq!(
            links.text,
            "Hello Sara,\nPayment request from Blue Cafe: 12.500 KWD.\nPay here: http://127.0.0.1:1/b/Xy12"
        );
        let wa = links.whatsapp.unwrap();
        assert!(wa.starts_with("https://wa.me/96599999999?text="), "{wa}");
        assert_eq!(decode(wa.split("text=").nth(1).unwrap()), links.text);
        assert!(!wa.contains(' ') && !wa.contains('+'));
        let sms = links.sms.unwrap();
        assert!(sms.starts_with("sms:+96599999999?&body="), "{sms}");
        assert_eq!(decode(sms.split("body=").nth(1).unwrap()), links.text);
        let email = links.email.unwrap();
        assert!(email.starts_with("mailto:sara%2Bshop@example.com?subject=Payment%20request%20from%20Blue%20Cafe&body="), "{email}");
        assert!(email.contains("%0D%0A"));
    }

    #[test]
    fn arabic_message_keeps_arabic_text_and_encodes_it_as_utf8() {
        let links = share_links(&sale(Language::Ar), "مقهى الأزرق").unwrap();
        assert!(links.text.contains("طلب دفع من مقهى الأزرق: 12.500 KWD"));
        assert!(links.text.contains("ادفع هنا: http://127.0.0.1:1/b/Xy12"));
        let wa = links.whatsapp.unwrap();
        assert!(wa.is_ascii());
        assert_eq!(decode(wa.split("text=").nth(1).unwrap()), links.text);
        // "ط" is U+0637: D8 B7 in UTF-8.
        assert!(wa.contains("%D8%B7"));
    }

    #[test]
    fn without_contact_details_only_whatsapp_chooser_is_offered() {
        let mut s = sale(Language::En);
        s.customer_phone = None;
        s.customer_email = None;
        s.customer_name = None;
        let links = share_links(&s, "").unwrap();
        assert_eq!(
            links.text,
            "Payment request: 12.500 KWD.\nPay here: http://127.0.0.1:1/b/Xy12"
        );
        assert!(links.whatsapp.unwrap().starts_with("https://wa.me/?text="));
        assert!(links.sms.is_none() && links.email.is_none());
    }

    #[test]
    fn no_link_means_nothing_to_share() {
        let mut s = sale(Language::En);
        s.link = None;
        assert!(share_links(&s, "Shop").is_none());
    }
}
