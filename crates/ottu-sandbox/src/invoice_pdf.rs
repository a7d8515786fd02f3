//! The invoice PDF served at `invoice_pdf_url`: plain text on A4 pages (the invoice's number,
//! dates, customer, one line per item, the totals), in the standard Courier font (monospaced, so the columns line up).
//!
//! Written with `pdf-writer` (typst's PDF writer): small, maintained, four small dependencies,
//! no fonts or images to bundle, and it takes care of the file structure (object numbers, the
//! cross-reference table, string escaping) that a hand-written PDF would get wrong. Text is
//! reduced to printable ASCII (other characters become `?`) because the standard fonts carry
//! no Arabic glyphs; the sandbox's PDF is for tests and demos, not for customers.

use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str};

use crate::model::{Invoice, Txn};

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const LINE: f32 = 12.0;
const LINES_PER_PAGE: usize = 60;

fn ascii(text: &str) -> String {
    text.chars()
        .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
        .collect()
}

fn cut(text: &str, width: usize) -> String {
    let text = ascii(text);
    if text.chars().count() <= width {
        text
    } else {
        let mut s: String = text.chars().take(width.saturating_sub(3)).collect();
        s.push_str("...");
        s
    }
}

/// The text lines of the invoice.
pub fn lines(txn: &Txn, invoice: &Invoice) -> Vec<String> {
    let c = &txn.checkout;
    let currency = c.currency_code.code();
    let mut out = vec![
        format!("INVOICE {}", ascii(&invoice.invoice_number)),
        String::new(),
    ];
    if let Some(company) = &invoice.company_name {
        out.push(format!("From: {}", ascii(company)));
    }
    let customer: Vec<&str> = [&c.customer_first_name, &c.customer_last_name]
        .into_iter()
        .filter_map(|s| s.as_deref())
        .filter(|s| !s.is_empty())
        .collect();
    if !customer.is_empty() {
        out.push(format!("Bill to: {}", ascii(&customer.join(" "))));
    }
    if let Some(email) = c.customer_email.as_deref().filter(|s| !s.is_empty()) {
        out.push(format!("Email: {}", ascii(email)));
    }
    out.push(format!("Due date: {}", invoice.due_date));
    out.push(format!("Currency: {currency}"));
    out.push(String::new());
    out.push(format!(
        "{:<14} {:<30} {:>10} {:>12} {:>8} {:>14}",
        "SKU", "Description", "Qty", "Unit price", "Tax %", "Total"
    ));
    for item in &invoice.items {
        out.push(format!(
            "{:<14} {:<30} {:>10} {:>12} {:>8} {:>14}",
            cut(&item.sku, 14),
            cut(&item.description, 30),
            item.quantity.to_string(),
            item.unit_price.to_string(),
            item.tax_rate.map(|r| r.to_string()).unwrap_or_default(),
            item.total_incl_tax.to_string(),
        ));
        if let Some(discount) = item.discount_amount {
            out.push(format!("{:<14} discount {discount}", ""));
        }
    }
    out.push(String::new());
    let mut total = |label: &str, value: String| out.push(format!("{label:>76} {value:>14}"));
    total("Subtotal", invoice.subtotal.to_string());
    if let Some(d) = invoice.discount_amount {
        total("Discount", d.to_string());
    }
    total("Total excl. tax", invoice.total_excl_tax.to_string());
    total("Tax", invoice.tax_amount.to_string());
    if let Some(s) = invoice.shipping_incl_tax {
        total("Shipping incl. tax", s.to_string());
    }
    total("Total", format!("{} {currency}", invoice.total_incl_tax));
    out
}

/// The PDF file.
pub fn render(txn: &Txn, invoice: &Invoice) -> Vec<u8> {
    let lines = lines(txn, invoice);
    let pages: Vec<&[String]> = lines.chunks(LINES_PER_PAGE).collect();
    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let font_id = Ref::new(3);
    let font = Name(b"F1");
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(4 + 2 * i as i32))
        .collect();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids(page_ids.iter().copied())
        .count(pages.len() as i32);
    pdf.type1_font(font_id).base_font(Name(b"Courier"));
    for (page_lines, page_id) in pages.iter().zip(&page_ids) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree_id);
        page.contents(content_id);
        page.resources().fonts().pair(font, font_id);
        drop(page);
        let mut content = Content::new();
        content.begin_text();
        content.set_font(font, 8.0);
        content.set_leading(LINE);
        content.next_line(MARGIN, PAGE_HEIGHT - MARGIN);
        for line in page_lines.iter() {
            content.show(Str(line.as_bytes()));
            content.next_line_using_leading();
        }
        content.end_text();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}
