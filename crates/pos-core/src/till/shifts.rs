//! Shifts and cash at the till: open with a float, cash in and out, cash sales, X and Z
//! reports, close with the count. Rules in [`crate::shifts`], SQL in `store/shifts.rs`, reports
//! in [`crate::reports`].
//!
//! Who may (the rule table in `staff.rs`): every role runs a shift (opens it, puts cash in,
//! takes cash sales, reads its X report, closes it when they opened it); taking cash out and
//! closing someone else's shift is for a manager or the owner.

use ottu_checkout::CurrencyCode;

use super::Till;
use crate::dto::{Language, PaymentMethod, Sale, SaleState};
use crate::error::{Error, Result};
use crate::reports::{ReportInput, ReportKind, ShiftReport};
use crate::sales::Sales;
use crate::shifts::{
    CashEntryInput, CashEntryKind, CashSale, CashSaleInput, Shift, check_cash, check_cash_sale,
    check_reason, new_id,
};
use crate::staff::Action;
use crate::store::{CashEntryRecord, SaleRecord, ShiftRecord, Store, now_utc};

/// How often a close is recomputed when sales or entries keep arriving meanwhile.
const CLOSE_TRIES: usize = 8;

impl Till {
    /// `current_shift`: the active profile's open shift, if any (any signed-in role).
    pub async fn current_shift(&self) -> Result<Option<Shift>> {
        self.authorize(Action::CreateSale)?;
        let sales = self.sales().await?;
        let store = sales.store();
        match store.open_shift_of(sales.profile_id())? {
            Some(record) => Ok(Some(shift_view(store, record)?)),
            None => Ok(None),
        }
    }

    /// `open_shift`: opens a shift with `opening_float` cash in the drawer, in the profile's
    /// default currency. Refused when one is open already (also by another process).
    pub async fn open_shift(&self, opening_float: &str) -> Result<Shift> {
        let actor = self.authorize(Action::RunShift)?;
        let sales = self.sales().await?;
        let currency = self.shift_currency(&sales)?;
        let float = check_cash("opening_float", opening_float, &currency)?;
        let record = ShiftRecord {
            id: new_id("shift"),
            profile_id: sales.profile_id().to_owned(),
            currency_code: currency.as_str().to_owned(),
            opening_float: float.as_str().to_owned(),
            opened_at: now_utc(),
            opened_by: Some(actor.into()),
            closed_at: None,
            closed_by: None,
            counted_cash: None,
            expected_cash: None,
            variance: None,
            z_report_json: None,
            version: 1,
        };
        sales.store().open_shift(&record)?;
        shift_view(sales.store(), record)
    }

    /// `record_cash`: cash put into (any role) or taken out of (manager, owner) the drawer of
    /// the open shift, with a reason.
    pub async fn record_cash(&self, input: CashEntryInput) -> Result<Shift> {
        let actor = self.authorize(match input.kind {
            CashEntryKind::In => Action::RunShift,
            CashEntryKind::Out => Action::CashOut,
        })?;
        let sales = self.sales().await?;
        let store = sales.store();
        let shift = open_shift_or_refuse(store, sales.profile_id())?;
        let currency = currency_of(&shift)?;
        let amount = check_cash("amount", &input.amount, &currency);
        let reason = check_reason(&input.reason);
        let (amount, reason) = merge_field_errors(amount, reason)?;
        if amount.is_zero() {
            return Err(Error::invalid_field("amount", crate::problem!(AmountZero)));
        }
        store.add_cash_entry(&CashEntryRecord {
            id: new_id("cash"),
            shift_id: shift.id.clone(),
            kind: input.kind.as_str().to_owned(),
            amount: amount.as_str().to_owned(),
            reason,
            created_at: now_utc(),
            created_by: Some(actor.into()),
        })?;
        let shift = store
            .get_shift(&shift.id)?
            .ok_or_else(|| shift_not_found(&shift.id))?;
        shift_view(store, shift)
    }

    /// `cash_sale`: a sale paid in cash now, in the open shift's currency: checks the cash
    /// handed over covers it and answers the change. It is stored in the history like a link
    /// sale (method `cash`, state `paid` at once, order number `CASH-<TILL>-…`). When the
    /// profile marks a gateway as Ottu's cash method, the sale is then recorded at Ottu too
    /// (`till/cash_ottu.rs`); otherwise it stays local only.
    pub async fn cash_sale(&self, input: CashSaleInput) -> Result<CashSale> {
        self.record_cash_sale(input, None).await
    }

    /// Every cash sale is recorded here: on its own ([`Till::cash_sale`]) or as a part of split
    /// bill `bill` ([`Till::bill_cash_part`]; the part is checked against what the bill has left
    /// in the transaction that writes it).
    pub(super) async fn record_cash_sale(
        &self,
        input: CashSaleInput,
        bill: Option<&str>,
    ) -> Result<CashSale> {
        let actor = self.authorize(Action::RunShift)?;
        let sales = self.sales().await?;
        let shift = open_shift_or_refuse(sales.store(), sales.profile_id())?;
        let currency = currency_of(&shift)?;
        let mut input = input;
        let cart = match input.cart.take() {
            Some(cart) => Some(self.priced_for_cash(cart, &mut input, &currency).await?),
            None => None,
        };
        let valid = check_cash_sale(&input, &currency)?;
        let note = input
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        let now = now_utc();
        let order_no = sales.unused_order_no_of("CASH")?.into_inner();
        let record = SaleRecord::new(
            Sale {
                id: new_id("sale"),
                profile_id: sales.profile_id().to_owned(),
                order_no,
                session_id: None,
                state: SaleState::Paid,
                method: PaymentMethod::Cash,
                bill_id: bill.map(str::to_owned),
                amount: valid.amount.as_str().to_owned(),
                currency_code: currency.as_str().to_owned(),
                customer_name: None,
                customer_phone: None,
                customer_email: None,
                note,
                language: Language::default(),
                checkout_url: None,
                short_url: None,
                link: None,
                qr_svg: None,
                expires_at: None,
                created_at: now.clone(),
                updated_at: now.clone(),
                paid_at: Some(now),
                problem: None,
                settlement: Default::default(),
                created_by: Some(actor.into()),
                operations: Vec::new(),
                refundable_amount: None,
                offered_operations: Vec::new(),
                cart,
            },
            serde_json::json!({ "method": "cash", "tendered": valid.tendered.as_str() }),
        );
        let sale = sales
            .record_cash_sale(
                record,
                &shift.id,
                valid.tendered.as_str(),
                valid.change.as_str(),
            )
            .await?;
        self.record_cash_sale_at_ottu(&sale).await;
        Ok(CashSale {
            sale,
            tendered: valid.tendered.as_str().to_owned(),
            change: valid.change.as_str().to_owned(),
            shift_id: shift.id,
        })
    }

    /// `shift_report`: the X report of the open shift (`shift_id` `None`, or its id), or the Z
    /// report stored with a closed shift.
    pub async fn shift_report(
        &self,
        shift_id: Option<&str>,
        kind: ReportKind,
    ) -> Result<ShiftReport> {
        self.authorize(Action::RunShift)?;
        let sales = self.sales().await?;
        let store = sales.store();
        let shift = match shift_id {
            Some(id) => store
                .get_shift(id)?
                .filter(|s| s.profile_id == sales.profile_id())
                .ok_or_else(|| shift_not_found(id))?,
            None if kind == ReportKind::X => open_shift_or_refuse(store, sales.profile_id())?,
            None => store
                .shifts(sales.profile_id(), 50)?
                .into_iter()
                .find(|s| s.closed_at.is_some())
                .ok_or_else(|| Error::WrongState(crate::problem!(NoOpenShift)))?,
        };
        match (kind, &shift.z_report_json) {
            (ReportKind::Z, Some(json)) => serde_json::from_str(json)
                .map_err(|e| Error::Internal(format!("stored Z report: {e}"))),
            (ReportKind::Z, None) => Err(Error::WrongState(crate::problem!(ShiftStillOpen))),
            (ReportKind::X, _) if shift.closed_at.is_some() => {
                Err(Error::WrongState(crate::problem!(ShiftClosed)))
            }
            (ReportKind::X, _) => report_of(store, &shift, ReportKind::X, None, &now_utc()),
        }
    }

    /// `close_shift`: counts the drawer, computes and stores the Z report with the shift, and
    /// closes it. The one who opened it may; anyone else must be a manager or the owner. The
    /// close is a compare-and-set: a sale or entry written meanwhile makes it recompute.
    pub async fn close_shift(&self, counted_cash: &str) -> Result<ShiftReport> {
        let actor = self.authorize(Action::RunShift)?;
        let sales = self.sales().await?;
        let store = sales.store();
        for _ in 0..CLOSE_TRIES {
            let mut shift = open_shift_or_refuse(store, sales.profile_id())?;
            if shift.opened_by.as_ref().map(|by| by.id.as_str()) != Some(actor.id.as_str()) {
                self.authorize(Action::CloseAnyShift)?;
            }
            let currency = currency_of(&shift)?;
            let counted = check_cash("counted_cash", counted_cash, &currency)?;
            shift.closed_at = Some(now_utc());
            shift.closed_by = Some(actor.clone().into());
            let now = shift.closed_at.clone().unwrap_or_default();
            let report = report_of(store, &shift, ReportKind::Z, Some(counted.as_str()), &now)?;
            shift.counted_cash = report.cash.counted.clone();
            shift.expected_cash = Some(report.cash.expected.clone());
            shift.variance = report.cash.variance.clone();
            shift.z_report_json = Some(
                serde_json::to_string(&report)
                    .map_err(|e| Error::Internal(format!("Z report: {e}")))?,
            );
            if store.close_shift(&mut shift)? {
                return Ok(report);
            }
        }
        Err(Error::WrongState(crate::problem!(TryAgain)))
    }

    /// `shifts`: the active profile's latest shifts, newest first (manager, owner: they read
    /// everyone's counts).
    pub async fn shifts(&self, limit: u32) -> Result<Vec<Shift>> {
        self.authorize(Action::CloseAnyShift)?;
        let sales = self.sales().await?;
        let store = sales.store();
        store
            .shifts(sales.profile_id(), limit.clamp(1, 500))?
            .into_iter()
            .map(|record| shift_view(store, record))
            .collect()
    }

    /// A cash sale's cart priced as a link's would be: in the shift's currency, its total the
    /// amount (a typed amount must equal it: `cart_amount_mismatch`).
    async fn priced_for_cash(
        &self,
        cart: crate::cart::CartInput,
        input: &mut CashSaleInput,
        currency: &CurrencyCode,
    ) -> Result<crate::cart::CartTotals> {
        if cart.currency_code.trim() != currency.as_str() {
            return Err(Error::invalid_field(
                "cart",
                crate::problem!(CashCartCurrency, currency = currency.as_str()),
            ));
        }
        let totals = self.price_cart(cart).await?;
        let typed = input.amount.trim();
        if typed.is_empty() {
            input.amount = totals.total.clone();
        } else if crate::shifts::decimal(typed) != crate::shifts::decimal(&totals.total)
            || !typed.chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            return Err(Error::invalid_field(
                "amount",
                crate::problem!(
                    CartAmountMismatch,
                    total = totals.total,
                    currency = currency
                ),
            ));
        }
        Ok(totals)
    }

    /// `export_report_csv`: the report [`Till::shift_report`] answers for `shift_id` and
    /// `kind`, written as CSV to `path` (replaced if it exists); answers the rows written after
    /// the header. Who may read the report may save it: it is their own shift's counts.
    pub async fn export_report_csv(
        &self,
        shift_id: Option<&str>,
        kind: ReportKind,
        path: &std::path::Path,
    ) -> Result<usize> {
        let report = self.shift_report(shift_id, kind).await?;
        let csv = crate::reports::to_csv(&report)?;
        std::fs::write(path, &csv).map_err(|source| Error::Io {
            context: format!("could not write {}", path.display()),
            source,
        })?;
        Ok(csv.lines().count().saturating_sub(1))
    }

    pub(super) fn shift_currency(&self, sales: &Sales) -> Result<CurrencyCode> {
        let profile = self.stored_profile(sales.profile_id())?;
        CurrencyCode::parse(&profile.default_currency)
            .map_err(|e| Error::Internal(format!("the profile's currency: {e}")))
    }
}

fn shift_view(store: &Store, record: ShiftRecord) -> Result<Shift> {
    let entries = store.cash_entries(&record.id)?;
    Ok(Shift::from_record(record, entries))
}

fn open_shift_or_refuse(store: &Store, profile_id: &str) -> Result<ShiftRecord> {
    store
        .open_shift_of(profile_id)?
        .ok_or_else(|| Error::WrongState(crate::problem!(NoOpenShift)))
}

fn currency_of(shift: &ShiftRecord) -> Result<CurrencyCode> {
    CurrencyCode::parse(&shift.currency_code)
        .map_err(|e| Error::Internal(format!("the shift's currency: {e}")))
}

fn shift_not_found(id: &str) -> Error {
    Error::NotFound(crate::problem!(ShiftNotFound, id = id))
}

/// Both results, or every field error of both.
fn merge_field_errors<A, B>(a: Result<A>, b: Result<B>) -> Result<(A, B)> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(a), Err(b)) => {
            let mut fields = a.field_errors();
            fields.extend(b.field_errors());
            if fields.is_empty() {
                Err(a)
            } else {
                Err(Error::invalid_fields(fields))
            }
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

fn report_of(
    store: &Store,
    shift: &ShiftRecord,
    kind: ReportKind,
    counted_cash: Option<&str>,
    now: &str,
) -> Result<ShiftReport> {
    let sales = store.shift_sales(&shift.id)?;
    let entries = store.cash_entries(&shift.id)?;
    let until = shift.closed_at.as_deref().unwrap_or(now);
    let refunds = store.refunds_between(&shift.profile_id, &shift.opened_at, until)?;
    Ok(crate::reports::compute(ReportInput {
        kind,
        shift,
        sales: &sales,
        refunds: &refunds,
        entries: &entries,
        counted_cash,
        generated_at: now,
    }))
}

#[cfg(test)]
mod tests;
