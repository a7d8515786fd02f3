//! The hosted pages' HTML: the checkout form with the transaction's gateways and the test
//! cards, and the one-message status pages. Plain server-rendered HTML, English and Arabic.
//!
//! `escape` is hand-written: five characters, not worth a dependency.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::{CARD_DECLINED, CARD_FAILED, CARD_SUCCESS};
use crate::model::{Invoice, State as TxnState, Txn};
use crate::render;
use crate::state::AppState;

pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn page(title: &str, lang: &str, body: &str) -> String {
    let dir = if lang == "ar" { "rtl" } else { "ltr" };
    format!(
        "<!doctype html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1d2733}}\
         .amount{{font-size:2.2rem;font-weight:700}} .box{{border:1px solid #d5dbe3;border-radius:.6rem;padding:1rem;margin:1rem 0}}\
         label{{display:block;margin:.4rem 0}} input[type=text]{{width:100%;padding:.5rem;font-size:1rem}}\
         button{{padding:.6rem 1.2rem;font-size:1rem;margin:.3rem .3rem 0 0}} .note{{color:#5b6775;font-size:.9rem}} .error{{color:#b00020}}</style>\
         </head><body><p class=\"note\">Ottu sandbox: test payments only, no money moves.</p>{body}</body></html>",
        title = escape(title),
    )
}

pub(super) fn status_page(status: StatusCode, title: &str, message: &str) -> Response {
    (
        status,
        Html(page(
            title,
            "en",
            &format!("<h1>{}</h1><p>{}</p>", escape(title), escape(message)),
        )),
    )
        .into_response()
}

pub(super) fn checkout_form(
    state: &AppState,
    txn: &Txn,
    selected: Option<&str>,
    error: Option<&str>,
) -> String {
    let c = &txn.checkout;
    let lang = c.language().as_str();
    let ar = lang == "ar";
    let amount = c.amount.to_string();
    let currency = c.currency_code.code();
    let customer = [
        c.customer_first_name.as_deref(),
        c.customer_last_name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let mut html = format!(
        "<h1>{}</h1><div class=\"box\"><div class=\"amount\" data-testid=\"amount\">{} {}</div>",
        escape(&state.config.merchant.name),
        escape(&amount),
        escape(currency)
    );
    if !customer.is_empty() {
        html.push_str(&format!(
            "<p>{} {}</p>",
            if ar { "العميل:" } else { "Customer:" },
            escape(&customer)
        ));
    }
    if let Some(order_no) = txn.order_no() {
        html.push_str(&format!("<p class=\"note\">Order {}</p>", escape(order_no)));
    }
    if let Some(file_url) = &txn.links.attachment_file_url {
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(&render::media_url(state, file_url)),
            if ar { "المرفق" } else { "Attachment" }
        ));
    }
    html.push_str("</div>");
    if let Some(invoice) = &txn.invoice {
        html.push_str(&invoice_table(state, txn, invoice, ar));
    }
    if let Some(error) = error {
        html.push_str(&format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            escape(error)
        ));
    }
    html.push_str(&format!(
        "<form method=\"post\" action=\"/b/checkout/redirect/pay/\"><input type=\"hidden\" name=\"session_id\" value=\"{}\"><div class=\"box\">",
        escape(&txn.session_id)
    ));
    let codes = txn.pg_codes();
    for (i, code) in codes.iter().enumerate() {
        let name = state
            .gateway(code)
            .map(|g| g.name.clone())
            .unwrap_or_else(|| code.clone());
        let checked = selected.map_or(i == 0, |s| s == code);
        html.push_str(&format!(
            "<label><input type=\"radio\" name=\"pg_code\" value=\"{}\"{}> {}</label>",
            escape(code),
            if checked { " checked" } else { "" },
            escape(&name)
        ));
    }
    html.push_str(&format!(
        "<label>{} <input type=\"text\" name=\"card_number\" inputmode=\"numeric\" autocomplete=\"off\" value=\"{CARD_SUCCESS}\"></label>\
         <p class=\"note\">Test cards: {CARD_SUCCESS} pays, {CARD_DECLINED} is declined, {CARD_FAILED} fails.</p></div>\
         <button type=\"submit\" name=\"action\" value=\"pay\">{}</button>\
         <button type=\"submit\" name=\"action\" value=\"cancel\">{}</button></form>",
        if ar { "رقم البطاقة" } else { "Card number" },
        if ar { "ادفع" } else { "Pay" },
        if ar { "إلغاء" } else { "Cancel" },
    ));
    page(&format!("Pay {amount} {currency}"), lang, &html)
}

/// An invoice's items and totals, with the link to its PDF.
fn invoice_table(state: &AppState, txn: &Txn, invoice: &Invoice, ar: bool) -> String {
    let mut html = format!(
        "<div class=\"box\" data-testid=\"invoice\"><p>{} {}</p><table><thead><tr><th>SKU</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        if ar { "فاتورة" } else { "Invoice" },
        escape(&invoice.invoice_number),
        if ar { "الوصف" } else { "Description" },
        if ar { "الكمية" } else { "Quantity" },
        if ar {
            "سعر الوحدة"
        } else {
            "Unit price"
        },
        if ar { "المجموع" } else { "Total" },
    );
    for item in &invoice.items {
        html.push_str(&format!(
            "<tr data-testid=\"invoice-item\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&item.sku),
            escape(&item.description),
            escape(&item.quantity.to_string()),
            escape(&item.unit_price.to_string()),
            escape(&item.total_incl_tax.to_string()),
        ));
    }
    html.push_str(&format!(
        "</tbody></table><p>{} {}</p><p>{} {}</p><p><a href=\"{}\">{}</a></p></div>",
        if ar { "الضريبة:" } else { "Tax:" },
        escape(&invoice.tax_amount.to_string()),
        if ar { "الإجمالي:" } else { "Total:" },
        escape(&invoice.total_incl_tax.to_string()),
        escape(&render::invoice_pdf_url(state, &txn.session_id)),
        if ar {
            "تنزيل الفاتورة (PDF)"
        } else {
            "Download the invoice (PDF)"
        },
    ));
    html
}

pub(super) fn closed_message(state: TxnState) -> (&'static str, &'static str) {
    match state {
        TxnState::Paid | TxnState::Authorized => (
            "Already paid",
            "This payment has been completed. Thank you.",
        ),
        TxnState::Expired => (
            "Link expired",
            "This payment link has expired. Ask the shop for a new one.",
        ),
        TxnState::Canceled => (
            "Link canceled",
            "This payment link was canceled by the shop.",
        ),
        TxnState::Failed => (
            "Payment failed",
            "This payment failed and cannot be retried. Ask the shop for a new link.",
        ),
        _ => ("Not payable", "This payment link cannot be paid."),
    }
}
