//! Split bills at the engine: opening one, reading it with its parts, and its link parts
//! (rules in [`crate::bills`]; cash parts are cash sales, `till/bills.rs`).

use ottu_checkout::CurrencyCode;

use super::Sales;
use super::draft::check_amount;
use crate::bills::{Bill, BillRecord, BillState, summarize};
use crate::dto::{Sale, SaleDraft, StaffRef};
use crate::error::{Error, Result};
use crate::problem;
use crate::shifts::{decimal, new_id};
use crate::store::now_utc;

impl Sales {
    /// Opens a bill of `amount` in `currency` (errors name `amount`).
    pub fn open_bill(
        &self,
        amount: &str,
        currency: &CurrencyCode,
        by: Option<&StaffRef>,
    ) -> Result<Bill> {
        let amount = check_amount(amount, currency)
            .map_err(|problem| Error::invalid_field("amount", problem))?;
        let record = BillRecord {
            id: new_id("bill"),
            profile_id: self.profile_id().to_owned(),
            amount: amount.as_str().to_owned(),
            currency_code: currency.as_str().to_owned(),
            created_at: now_utc(),
            created_by: by.cloned(),
        };
        self.inner.store.insert_bill(&record)?;
        Ok(summarize(record, Vec::new(), currency.minor_units()))
    }

    /// Bill `id` with its parts and running remainder.
    pub fn bill(&self, id: &str) -> Result<Bill> {
        let record = self
            .inner
            .store
            .get_bill(self.profile_id(), id)?
            .ok_or_else(|| Error::NotFound(problem!(BillNotFound, id = id)))?;
        let parts = self.inner.store.bill_parts(id)?;
        let decimals = CurrencyCode::parse(&record.currency_code)
            .map(|c| c.minor_units())
            .unwrap_or(3);
        Ok(summarize(record, parts, decimals))
    }

    /// A link part for bill `id` of `draft`'s amount, in the bill's currency (the draft's other
    /// details, such as its gateways, as given): refused while another link part is live
    /// (`bill_link_live`), when the bill is paid (`bill_paid`), or above what is left
    /// (`bill_part_too_big` on `amount`). Otherwise created as any sale is (journaled, sent
    /// once, settled when its answer is lost); the history's unique index refuses a second live
    /// link part written by another process at the same moment.
    pub async fn add_link_part(
        &self,
        id: &str,
        mut draft: SaleDraft,
        by: Option<&StaffRef>,
    ) -> Result<Sale> {
        let bill = self.bill(id)?;
        let currency = CurrencyCode::parse(&bill.currency_code)
            .map_err(|e| Error::Internal(format!("bill currency: {e}")))?;
        if bill.state == BillState::Paid {
            return Err(Error::WrongState(problem!(BillPaid)));
        }
        if bill.live_link.is_some() {
            return Err(Error::WrongState(problem!(BillLinkLive)));
        }
        if draft.cart.is_some() {
            // A part is an amount of the bill, never its own list of items.
            return Err(Error::invalid_field("cart", problem!(BillPartHasCart)));
        }
        let part = check_amount(&draft.amount, &currency)
            .map_err(|problem| Error::invalid_field("amount", problem))?;
        if decimal(part.as_str()) > decimal(&bill.available) {
            return Err(Error::invalid_field(
                "amount",
                problem!(
                    BillPartTooBig,
                    remaining = bill.available,
                    currency = bill.currency_code
                ),
            ));
        }
        draft.amount = part.as_str().to_owned();
        draft.currency_code = bill.currency_code;
        self.create_part(draft, by, Some(id)).await
    }
}
