//! Split bills at the till: open one in the shop's currency, read it, add a cash part (a cash
//! sale of the open shift) or a link part (a payment link). Rules in [`crate::bills`].
//!
//! Who may: any signed-in role that sells opens bills and adds link parts; a cash part is a
//! cash sale, so it needs `RunShift` and an open shift, as [`Till::cash_sale`] does.

use super::Till;
use crate::bills::Bill;
use crate::dto::{Sale, SaleDraft};
use crate::error::Result;
use crate::shifts::{CashSale, CashSaleInput};
use crate::staff::Action;

impl Till {
    /// `open_bill`: a bill of `amount` in the profile's currency.
    pub async fn open_bill(&self, amount: &str) -> Result<Bill> {
        let actor = self.authorize(Action::CreateSale)?;
        let sales = self.sales().await?;
        let currency = self.shift_currency(&sales)?;
        sales.open_bill(amount, &currency, Some(&actor.into()))
    }

    /// `bill`: bill `id` with its parts and what is left to pay.
    pub async fn bill(&self, id: &str) -> Result<Bill> {
        self.authorize(Action::CreateSale)?;
        self.sales().await?.bill(id)
    }

    /// `bill_link_part`: a payment link for part of bill `id` (none while another is live).
    pub async fn bill_link_part(&self, id: &str, amount: &str) -> Result<Sale> {
        let actor = self.authorize(Action::CreateSale)?;
        let bill = self.sales().await?.bill(id)?;
        let draft = SaleDraft {
            amount: amount.to_owned(),
            currency_code: bill.currency_code,
            ..SaleDraft::default()
        };
        // The shop's defaults (gateways, link lifetime, language), as for any link.
        self.create_part_with_defaults(draft, &actor, Some(id))
            .await
    }

    /// `bill_cash_part`: part of bill `id` paid in cash into the open shift.
    pub async fn bill_cash_part(&self, id: &str, input: CashSaleInput) -> Result<CashSale> {
        self.record_cash_sale(input, Some(id)).await
    }
}

#[cfg(test)]
mod tests;
