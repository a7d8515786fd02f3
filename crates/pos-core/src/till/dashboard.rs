//! `dashboard`: today at a glance, scoped by role (see [`crate::dashboard`]).

use super::Till;
use crate::clock::{Zone, today};
use crate::dashboard::{Dashboard, DashboardContext, DashboardScope, compute, window};
use crate::error::Result;
use crate::history::local_midnight_utc;
use crate::staff::Action;
use crate::store::now_utc;

impl Till {
    /// `dashboard`: managers and owners get the whole shop's figures, a cashier only those of
    /// the sales they made (and refunds of them); decided here, whatever the window asks.
    pub async fn dashboard(&self) -> Result<Dashboard> {
        let actor = self.authorize(Action::SeeOwnTotals)?;
        let scope = if actor.role.may(Action::SeeShopTotals) {
            DashboardScope::Shop
        } else {
            DashboardScope::Own
        };
        let staff_id = (scope == DashboardScope::Own).then_some(actor.id.as_str());
        let week_start = self.config().settings.week_start;
        let today = today();
        let (first, end) = window(today, week_start);
        let tomorrow = today.next_day().unwrap_or(today);
        let sales = self.sales().await?;
        let store = sales.store();
        let profile = sales.profile_id();
        let rows = store.dashboard_sales(
            profile,
            &local_midnight_utc(first),
            &local_midnight_utc(end),
            staff_id,
        )?;
        let refunds = store.dashboard_refunds(
            profile,
            &local_midnight_utc(today),
            &local_midnight_utc(tomorrow),
            staff_id,
        )?;
        Ok(compute(
            DashboardContext {
                zone: Zone::local(),
                today,
                week_start,
                scope,
                generated_at: &now_utc(),
            },
            &rows,
            &refunds,
        ))
    }
}

#[cfg(test)]
mod tests;
