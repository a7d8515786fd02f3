//! Desktop notifications of payments, from the shell.
//!
//! The shell forwards every sale update to the UI (`lib.rs`), so it is the one place that sees a
//! payment whichever screen is up, or when the window is hidden or minimised: a sale paid in the
//! background, or a late success found by the till's re-check of a `failed`, `expired` or
//! `unknown` sale ("Paid late"). The page shows the paid moment; it sends no notification.
//!
//! Sent through the official `tauri-plugin-notification` (on Linux it calls
//! `org.freedesktop.Notifications.Notify` on the session bus through notify-rust), which the app
//! already registers for the UI.
//!
//! The shell remembers the state it last saw of each sale since it started. A sale it first sees
//! already paid (an update replayed after a restart) is announced only when the payment is
//! recent, and as an ordinary payment: which state it came from is not known then.

use std::collections::HashMap;

use pos_core::dto::{Language, Sale, SaleState, Settings};

/// A payment older than this when the shell first sees the sale raises no notification.
const RECENT_PAYMENT_SECONDS: i64 = 10 * 60;

/// What kind of payment an update announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payment {
    /// Paid while the link was open (or first seen paid, recently).
    OnTime,
    /// Paid after the sale was seen `failed`, `expired`, `unknown` or `sending`: a late gateway
    /// success, or a lost create the till found paid.
    Late,
}

/// The state last seen of each sale, to tell a new payment from a repeated update.
#[derive(Debug, Default)]
pub struct PaymentWatch {
    last: HashMap<String, SaleState>,
}

impl PaymentWatch {
    /// Records `sale`'s state; answers the payment to announce when it just became paid.
    /// `now_unix` is the wall clock in seconds, for the recency of a sale first seen paid.
    pub fn observe(&mut self, sale: &Sale, now_unix: i64) -> Option<Payment> {
        let before = self.last.insert(sale.id.clone(), sale.state);
        if sale.state != SaleState::Paid {
            return None;
        }
        match before {
            Some(SaleState::Paid) => None,
            Some(
                SaleState::Failed | SaleState::Expired | SaleState::Unknown | SaleState::Sending,
            ) => Some(Payment::Late),
            Some(_) => Some(Payment::OnTime),
            None => {
                let paid = sale
                    .paid_at
                    .as_deref()
                    .and_then(pos_core::clock::parse_instant)?;
                let age = now_unix - paid.unix_timestamp();
                (age <= RECENT_PAYMENT_SECONDS).then_some(Payment::OnTime)
            }
        }
    }
}

/// Title and body of the notification, in the app's language (and digits):
/// "Paid late" / "4.750 KWD, order POS-20261203-ABC234".
pub fn message(sale: &Sale, payment: Payment, settings: &Settings) -> (String, String) {
    let arabic = settings.language == Language::Ar;
    let amount = if arabic && settings.arabic_numerals {
        arabic_digits(&sale.amount)
    } else {
        sale.amount.clone()
    };
    let title = match (payment, arabic) {
        (Payment::OnTime, false) => "Payment received",
        (Payment::Late, false) => "Paid late",
        (Payment::OnTime, true) => "تم استلام الدفعة",
        (Payment::Late, true) => "دُفع متأخراً",
    };
    let body = if arabic {
        format!("{amount} {}، الطلب {}", sale.currency_code, sale.order_no)
    } else {
        format!("{amount} {}, order {}", sale.currency_code, sale.order_no)
    };
    (title.to_owned(), body)
}

/// Arabic-Indic digits and the Arabic decimal separator, as the UI writes amounts.
fn arabic_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap_or(c),
            '.' => '٫',
            ',' => '٬',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sale(id: &str, state: SaleState, paid_at: Option<&str>) -> Sale {
        let mut sale: Sale = serde_json::from_value(serde_json::json!({
            "id": id, "order_no": "POS-20261203-ABC234", "session_id": "s1", "state": "created",
            "amount": "4.750", "currency_code": "KWD", "customer_name": null,
            "customer_phone": null, "customer_email": null, "note": null, "language": "en",
            "checkout_url": null, "short_url": null, "link": null, "qr_svg": null,
            "expires_at": null, "created_at": "2026-12-03T10:00:00.000Z",
            "updated_at": "2026-12-03T10:00:00.000Z", "paid_at": null, "profile_id": "demo",
            "problem": null,
            "settlement": { "watch_until": null, "next_check_at": null, "can_check": true,
                "can_replace": false, "replaced_by": null, "replaces": null, "mismatch": false }
        }))
        .expect("a sale");
        sale.state = state;
        sale.paid_at = paid_at.map(str::to_owned);
        sale
    }

    const NOW: i64 = 1_796_292_000; // 2026-12-03T10:00:00Z

    #[test]
    fn a_failed_sale_turning_paid_is_a_late_payment_announced_once() {
        let mut watch = PaymentWatch::default();
        assert_eq!(
            watch.observe(&sale("a", SaleState::Created, None), NOW),
            None
        );
        assert_eq!(
            watch.observe(&sale("a", SaleState::Failed, None), NOW),
            None
        );
        let paid = sale("a", SaleState::Paid, Some("2026-12-03T10:00:00.000Z"));
        assert_eq!(watch.observe(&paid, NOW), Some(Payment::Late));
        assert_eq!(watch.observe(&paid, NOW), None);
    }

    #[test]
    fn an_open_sale_turning_paid_is_an_ordinary_payment() {
        let mut watch = PaymentWatch::default();
        watch.observe(&sale("a", SaleState::Pending, None), NOW);
        let paid = sale("a", SaleState::Paid, Some("2026-12-03T10:00:00.000Z"));
        assert_eq!(watch.observe(&paid, NOW), Some(Payment::OnTime));
    }

    #[test]
    fn a_sale_first_seen_paid_is_announced_only_when_the_payment_is_recent() {
        let mut watch = PaymentWatch::default();
        let fresh = sale("a", SaleState::Paid, Some("2026-12-03T09:58:00.000Z"));
        assert_eq!(watch.observe(&fresh, NOW), Some(Payment::OnTime));
        let old = sale("b", SaleState::Paid, Some("2026-12-03T08:00:00.000Z"));
        assert_eq!(watch.observe(&old, NOW), None);
    }

    #[test]
    fn the_message_is_in_the_app_language() {
        let paid = sale("a", SaleState::Paid, None);
        let mut settings: Settings = serde_json::from_value(serde_json::json!({
            "language": "en", "arabic_numerals": false, "shop_name": "Shop",
            "theme": "system", "default_expiry_minutes": 60
        }))
        .expect("settings");
        assert_eq!(
            message(&paid, Payment::Late, &settings),
            (
                "Paid late".to_owned(),
                "4.750 KWD, order POS-20261203-ABC234".to_owned()
            )
        );
        settings.language = Language::Ar;
        settings.arabic_numerals = true;
        assert_eq!(
            message(&paid, Payment::Late, &settings),
            (
                "دُفع متأخراً".to_owned(),
                "٤٫٧٥٠ KWD، الطلب POS-20261203-ABC234".to_owned()
            )
        );
    }
}
