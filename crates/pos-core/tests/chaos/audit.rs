//! After settling: the server (through the sandbox's control routes) against the history (the
//! SQLite file every engine and CLI process of the run wrote).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rust_decimal::Decimal;
use serde_json::Value;

const LIVE: [&str; 3] = ["created", "pending", "attempted"];

/// One row of the history, as the audit needs it.
#[derive(Debug, Clone)]
pub struct Local {
    pub id: String,
    pub order_no: String,
    pub session_id: Option<String>,
    pub state: String,
    pub amount: String,
    pub currency: String,
    pub replaced_by: Option<String>,
    pub replaces: Option<String>,
    pub send_attempts: i64,
    pub next_check_at: Option<String>,
}

pub fn read_history(path: &Path) -> Vec<Local> {
    let conn = rusqlite::Connection::open(path).expect("history opens");
    let mut stmt = conn
        .prepare(
            "SELECT id, order_no, session_id, state, amount, currency_code, replaced_by, replaces,
                    send_attempts, next_check_at FROM sales",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok(Local {
            id: r.get(0)?,
            order_no: r.get(1)?,
            session_id: r.get(2)?,
            state: r.get(3)?,
            amount: r.get(4)?,
            currency: r.get(5)?,
            replaced_by: r.get(6)?,
            replaces: r.get(7)?,
            send_attempts: r.get(8)?,
            next_check_at: r.get(9)?,
        })
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// What the audit found; every list must be empty.
#[derive(Debug, Default)]
pub struct Findings {
    pub server_txns: usize,
    /// Server transactions whose order number the history does not have.
    pub lost: Vec<String>,
    /// Order numbers the server has more than one transaction for, or sent more than once.
    pub duplicated: Vec<String>,
    /// Order numbers (or chains of replaced sales) with more than one live link, and replaced
    /// sales with a live link of their own.
    pub two_live: Vec<String>,
    /// Sales `rejected` although the server has a transaction with their order number.
    pub wrongly_rejected: Vec<String>,
    /// Sales whose stored session is not the server's transaction for their order number.
    pub wrong_session: Vec<String>,
    /// Paid totals per currency: (server, history).
    pub paid: BTreeMap<String, (Decimal, Decimal)>,
    pub paid_disagree: bool,
    /// History sales per state.
    pub states: BTreeMap<String, usize>,
}

impl Findings {
    pub fn clean(&self) -> bool {
        self.lost.is_empty()
            && self.duplicated.is_empty()
            && self.two_live.is_empty()
            && self.wrongly_rejected.is_empty()
            && self.wrong_session.is_empty()
            && !self.paid_disagree
    }
}

pub fn audit(server: &[Value], local: &[Local]) -> Findings {
    let mut findings = Findings {
        server_txns: server.len(),
        ..Findings::default()
    };
    let mut by_order: HashMap<&str, Vec<&Value>> = HashMap::new();
    for txn in server {
        by_order
            .entry(txn["order_no"].as_str().unwrap_or(""))
            .or_default()
            .push(txn);
    }
    let local_by_order: HashMap<&str, &Local> =
        local.iter().map(|l| (l.order_no.as_str(), l)).collect();
    let local_by_id: HashMap<&str, &Local> = local.iter().map(|l| (l.id.as_str(), l)).collect();
    let live = |order_no: &str| {
        by_order.get(order_no).map_or(0, |txns| {
            txns.iter()
                .filter(|t| {
                    !t["deleted"].as_bool().unwrap_or(false)
                        && LIVE.contains(&t["state"].as_str().unwrap_or(""))
                })
                .count()
        })
    };

    for (order_no, txns) in &by_order {
        if !local_by_order.contains_key(order_no) {
            findings.lost.push((*order_no).to_owned());
        }
        if txns.len() > 1 {
            findings.duplicated.push((*order_no).to_owned());
        }
        if live(order_no) > 1 {
            findings
                .two_live
                .push(format!("{order_no}: {} live", live(order_no)));
        }
    }
    for sale in local {
        *findings.states.entry(sale.state.clone()).or_default() += 1;
        if sale.send_attempts > 1 {
            findings.duplicated.push(format!(
                "{} sent {} times",
                sale.order_no, sale.send_attempts
            ));
        }
        let txns = by_order.get(sale.order_no.as_str());
        if sale.state == "rejected" && txns.is_some() {
            findings.wrongly_rejected.push(sale.order_no.clone());
        }
        if let (Some(session), Some(txns)) = (&sale.session_id, txns)
            && !txns
                .iter()
                .any(|t| t["session_id"].as_str() == Some(session))
        {
            findings.wrong_session.push(sale.order_no.clone());
        }
        if sale.replaced_by.is_some() && live(&sale.order_no) > 0 {
            findings.two_live.push(format!(
                "{} was replaced but has a live link",
                sale.order_no
            ));
        }
        // A chain of replacements is one sale for the customer: one live link at most.
        if sale.replaces.is_some() && sale.replaced_by.is_none() {
            let mut total = live(&sale.order_no);
            let mut at = sale.replaces.as_deref();
            while let Some(id) = at.and_then(|id| local_by_id.get(id)) {
                total += live(&id.order_no);
                at = id.replaces.as_deref();
            }
            if total > 1 {
                findings
                    .two_live
                    .push(format!("chain ending {}: {total} live", sale.order_no));
            }
        }
    }

    let amount = |text: &str| text.parse::<Decimal>().expect("a decimal amount");
    for txn in server {
        if txn["state"] == "paid" && !txn["deleted"].as_bool().unwrap_or(false) {
            let currency = txn["currency_code"].as_str().unwrap_or("?").to_owned();
            findings.paid.entry(currency).or_default().0 += amount(txn["amount"].as_str().unwrap());
        }
    }
    for sale in local.iter().filter(|s| s.state == "paid") {
        findings.paid.entry(sale.currency.clone()).or_default().1 += amount(&sale.amount);
    }
    findings.paid_disagree = findings.paid.values().any(|(s, l)| s != l);
    findings
}
