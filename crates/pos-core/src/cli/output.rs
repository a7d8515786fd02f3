//! What the CLI prints: plain text for people, the DTOs as JSON for scripts.
//!
//! Results go to stdout. Errors go to stderr as `error[<problem code>]: <message>` plus one
//! `  <field>[<problem code>]: <message>` line per field, or, with `--json`, to stdout as
//! `{"code","problem","message","fields"}` so a script reads one stream. The CLI speaks English;
//! the problem codes are stable, so scripts branch on them, never on the words.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::connection::ConnectionCheck;
use crate::dto::{History, Sale};
use crate::error::Error;
use crate::gateways::Gateway;
use crate::profiles::Profile;

use super::exit_code_for;

/// Prints in the chosen format.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Printer {
    json: bool,
}

/// The `CommandError` shape of docs/architecture.md.
#[derive(Serialize)]
struct ErrorJson<'a> {
    code: &'a str,
    problem: crate::problem::Problem,
    message: String,
    fields: crate::error::FieldErrors,
}

type PrintResult = Result<(), Error>;

impl Printer {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// Prints the error and returns its exit code.
    pub fn error(&self, error: &Error) -> u8 {
        let fields = error.field_errors();
        if self.json {
            let problem = error.problem();
            let body = ErrorJson {
                code: error.code().as_str(),
                message: problem.message.clone(),
                problem,
                fields,
            };
            let _ = print_json(&body);
        } else {
            let mut stderr = std::io::stderr().lock();
            let problem = error.problem();
            let _ = writeln!(stderr, "error[{}]: {}", problem.code, problem.message);
            for (field, problems) in &fields {
                for problem in problems {
                    let _ = writeln!(stderr, "  {field}[{}]: {}", problem.code, problem.message);
                }
            }
        }
        exit_code_for(error)
    }

    /// A new sale: the link first, then the QR code, then the details.
    pub fn sale_created(&self, sale: &Sale) -> PrintResult {
        if self.json {
            return print_json(sale);
        }
        let mut text = String::new();
        match &sale.link {
            Some(link) => {
                text.push_str(link);
                text.push('\n');
                text.push_str(&crate::qr::terminal(link)?);
                if !text.ends_with('\n') {
                    text.push('\n');
                }
            }
            None => text.push_str("(no link yet)\n"),
        }
        text.push_str(&summary_line(sale));
        text.push('\n');
        if let Some(problem) = &sale.problem {
            text.push_str(&format!("note: {problem}\n"));
        }
        write_stdout(&text)
    }

    /// One sale, as a few lines.
    pub fn sale(&self, sale: &Sale) -> PrintResult {
        if self.json {
            return print_json(sale);
        }
        let mut text = summary_line(sale);
        text.push('\n');
        if let Some(link) = &sale.link {
            text.push_str(&format!("link: {link}\n"));
        }
        if let Some(session_id) = &sale.session_id {
            text.push_str(&format!("session_id: {session_id}\n"));
        }
        if let Some(expires_at) = &sale.expires_at {
            text.push_str(&format!("expires: {expires_at}\n"));
        }
        if let Some(paid_at) = &sale.paid_at {
            text.push_str(&format!("paid: {paid_at}\n"));
        }
        if let Some(problem) = &sale.problem {
            text.push_str(&format!("note: {problem}\n"));
        }
        write_stdout(&text)
    }

    /// A line per observed state while waiting (`--json`: one JSON sale per line).
    pub fn state_change(&self, sale: &Sale) -> PrintResult {
        if self.json {
            let line = serde_json::to_string(sale)
                .map_err(|e| Error::Internal(format!("cannot encode the sale: {e}")))?;
            return write_stdout(&format!("{line}\n"));
        }
        write_stdout(&format!(
            "{}  {}\n",
            crate::store::now_utc(),
            summary_line(sale)
        ))
    }

    /// A remark on stderr (never mixed into JSON output).
    pub fn note(&self, text: &str) {
        eprintln!("{text}");
    }

    pub fn history(&self, history: &History) -> PrintResult {
        if self.json {
            return print_json(history);
        }
        let mut text = String::new();
        for sale in &history.sales {
            text.push_str(&format!(
                "{}  {:<24}  {:<10}  {:>14} {}  {}\n",
                crate::history::local_time(&sale.created_at),
                sale.order_no,
                sale.state.as_str(),
                sale.amount,
                sale.currency_code,
                sale.customer_name
                    .as_deref()
                    .or(sale.customer_phone.as_deref())
                    .unwrap_or(""),
            ));
        }
        if history.sales.is_empty() {
            text.push_str("no sales\n");
        }
        for total in &history.today_paid {
            text.push_str(&format!(
                "paid today: {} {} ({} sale{})\n",
                total.amount,
                total.currency_code,
                total.count,
                if total.count == 1 { "" } else { "s" }
            ));
        }
        write_stdout(&text)
    }

    pub fn exported(&self, rows: usize, path: &Path) -> PrintResult {
        if self.json {
            return print_json(&serde_json::json!({"rows": rows, "path": path}));
        }
        write_stdout(&format!("{rows} sales written to {}\n", path.display()))
    }

    /// `settle`: how many automatic checks ran and how many sales are still being settled.
    pub fn settled(&self, checked: usize, unsettled: usize) -> PrintResult {
        if self.json {
            return print_json(&serde_json::json!({"checked": checked, "unsettled": unsettled}));
        }
        write_stdout(&format!(
            "{checked} checks run; {unsettled} sales still being settled\n"
        ))
    }

    pub fn gateways(&self, gateways: &[Gateway]) -> PrintResult {
        if self.json {
            return print_json(&gateways);
        }
        let text: String = gateways
            .iter()
            .map(|g| format!("{:<20}  {}\n", g.code, g.name))
            .collect();
        write_stdout(&text)
    }

    pub fn profiles(&self, profiles: &[Profile], active_id: &str) -> PrintResult {
        if self.json {
            return print_json(&profiles);
        }
        let text: String = profiles
            .iter()
            .map(|p| {
                format!(
                    "{} {:<20}  {:<8}  {:<30}  {}{}\n",
                    if p.id == active_id { "*" } else { " " },
                    p.id,
                    match p.kind {
                        crate::profiles::ProfileKind::Demo => "demo",
                        crate::profiles::ProfileKind::Merchant => "merchant",
                    },
                    if p.base_url.is_empty() {
                        "(embedded sandbox)"
                    } else {
                        &p.base_url
                    },
                    p.name,
                    if p.secret_configured {
                        ""
                    } else {
                        "  (no secret saved)"
                    },
                )
            })
            .collect();
        write_stdout(&text)
    }

    pub fn profile(&self, profile: &Profile) -> PrintResult {
        if self.json {
            return print_json(profile);
        }
        write_stdout(&format!(
            "{}: {} ({}), default currency {}\n",
            profile.id, profile.name, profile.base_url, profile.default_currency
        ))
    }

    pub fn check(&self, check: &ConnectionCheck) -> PrintResult {
        if self.json {
            return print_json(check);
        }
        let kind = serde_json::to_value(check.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        write_stdout(&format!("{kind}: {}\n", check.message))
    }

    /// A shift with its cash entries, or that none is open.
    pub fn shift(&self, shift: Option<&crate::shifts::Shift>) -> PrintResult {
        if self.json {
            return print_json(&shift);
        }
        let Some(shift) = shift else {
            return write_stdout("no shift is open\n");
        };
        let mut text = format!(
            "shift {}\nopened {} by {} with {} {}\n",
            shift.id,
            shift.opened_at,
            shift.opened_by.as_ref().map_or("-", |s| s.name.as_str()),
            shift.opening_float,
            shift.currency_code
        );
        for entry in &shift.cash_entries {
            text.push_str(&format!(
                "cash {} {} {}  {}\n",
                entry.kind.as_str(),
                entry.amount,
                shift.currency_code,
                entry.reason
            ));
        }
        if let Some(closed_at) = &shift.closed_at {
            text.push_str(&format!(
                "closed {closed_at}: counted {} expected {} variance {}\n",
                shift.counted_cash.as_deref().unwrap_or("-"),
                shift.expected_cash.as_deref().unwrap_or("-"),
                shift.variance.as_deref().unwrap_or("-"),
            ));
        }
        write_stdout(&text)
    }

    /// A cash sale: the change first.
    pub fn cash_sale(&self, sold: &crate::shifts::CashSale) -> PrintResult {
        if self.json {
            return print_json(sold);
        }
        write_stdout(&format!(
            "change: {} {}\n{}\n",
            sold.change,
            sold.sale.currency_code,
            summary_line(&sold.sale)
        ))
    }

    /// A reconciliation: the counts, then one line per difference.
    pub fn reconciliation(&self, result: &crate::reconcile::Reconciliation) -> PrintResult {
        if self.json {
            return print_json(result);
        }
        let mut text = format!(
            "till {} {}..{}: {} sales compared, {} matched, {} of other tills, {} report files\n",
            result.till_id,
            result.from,
            result.to,
            result.compared,
            result.matched,
            result.other_tills,
            result.report_files
        );
        if result.cash_pending > 0 || result.cash_local_only > 0 {
            text.push_str(&format!(
                "cash sales: {} waiting for Ottu, {} local only\n",
                result.cash_pending, result.cash_local_only
            ));
        }
        for d in &result.differences {
            let kind = serde_json::to_value(d.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            text.push_str(&format!(
                "{kind}  order {}  here {}  ottu {}\n",
                d.order_no.as_deref().unwrap_or("-"),
                d.ours.as_deref().unwrap_or("-"),
                d.ottu.as_deref().unwrap_or("-"),
            ));
        }
        if result.differences.is_empty() {
            text.push_str("no differences\n");
        }
        write_stdout(&text)
    }

    /// An X or Z report: JSON, CSV, or the CSV rows as text.
    pub fn report(&self, report: &crate::reports::ShiftReport, csv: bool) -> PrintResult {
        if self.json && !csv {
            return print_json(report);
        }
        write_stdout(&crate::reports::to_csv(report)?)
    }

    /// A receipt: JSON, or its plain text.
    pub fn receipt(&self, receipt: &crate::receipt::Receipt) -> PrintResult {
        if self.json {
            return print_json(receipt);
        }
        write_stdout(&receipt.plain_text())
    }

    /// The dashboard: per currency, today's figures, the hours and methods with sales, and the
    /// two weeks day by day.
    pub fn dashboard(&self, dashboard: &crate::dashboard::Dashboard) -> PrintResult {
        if self.json {
            return print_json(dashboard);
        }
        let scope = match dashboard.scope {
            crate::dashboard::DashboardScope::Shop => "the shop",
            crate::dashboard::DashboardScope::Own => "your sales",
        };
        let mut text = format!("Dashboard {} ({scope})\n", dashboard.today);
        if dashboard.currencies.is_empty() {
            text.push_str("No sales this week or last.\n");
        }
        for line in &dashboard.currencies {
            let code = &line.currency_code;
            text.push_str(&format!(
                "{code}: paid {} {code} ({} sales), refunds {} {code} ({}), net {} {code}, \
                 average sale {} {code}\n",
                line.paid_total,
                line.paid_count,
                line.refund_total,
                line.refund_count,
                line.net_total,
                line.average_sale
            ));
            for (hour, tally) in line.by_hour.iter().enumerate() {
                if tally.count > 0 {
                    text.push_str(&format!(
                        "  {hour:02}:00  {} {code} ({})\n",
                        tally.total, tally.count
                    ));
                }
            }
            for method in &line.by_method {
                let name = match &method.gateway {
                    Some(gateway) => format!("{} {gateway}", method.method),
                    None => method.method.clone(),
                };
                text.push_str(&format!(
                    "  {name}  {} {code} ({})\n",
                    method.total, method.count
                ));
            }
            for (day, (this, last)) in line.this_week.iter().zip(&line.last_week).enumerate() {
                text.push_str(&format!(
                    "  {}  {} {code} ({})   last week {}  {} {code} ({})\n",
                    dashboard.this_week_days[day],
                    this.total,
                    this.count,
                    dashboard.last_week_days[day],
                    last.total,
                    last.count
                ));
            }
        }
        write_stdout(&text)
    }
}

fn summary_line(sale: &Sale) -> String {
    let mut line = format!(
        "{} {}  {}  order {}  id {}",
        sale.amount, sale.currency_code, sale.state, sale.order_no, sale.id
    );
    if let Some(name) = &sale.customer_name {
        line.push_str(&format!("  {name}"));
    }
    line
}

fn print_json<T: Serialize + ?Sized>(value: &T) -> PrintResult {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Internal(format!("cannot encode the output: {e}")))?;
    write_stdout(&format!("{text}\n"))
}

fn write_stdout(text: &str) -> PrintResult {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|source| Error::Io {
            context: "cannot write to stdout".to_owned(),
            source,
        })
}
