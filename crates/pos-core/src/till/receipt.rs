//! `sale_receipt`: a paid sale's receipt, for any signed-in role (as reading the history).

use super::Till;
use crate::dto::Language;
use crate::error::Result;
use crate::receipt::{Receipt, ReceiptContext};
use crate::staff::Action;

impl Till {
    /// `sale_receipt`: the receipt of paid sale `id` in `language`, with the shop's name and
    /// VAT number from the settings and the catalog's Arabic names.
    pub async fn sale_receipt(&self, id: &str, language: Language) -> Result<Receipt> {
        // Any role reads a receipt, but only with the till unlocked (as the history).
        self.authorize(Action::CreateSale)?;
        let sale = self.sales().await?.get(id).await?;
        let item_ids: Vec<String> = match (&sale.cart, language) {
            (Some(cart), Language::Ar) => cart
                .lines
                .iter()
                .filter_map(|l| l.item_id.clone())
                .collect(),
            _ => Vec::new(),
        };
        let arabic_names = if item_ids.is_empty() {
            Vec::new()
        } else {
            self.with_catalog(move |catalog| {
                Ok(item_ids
                    .into_iter()
                    // An item deleted since keeps its English name on the receipt.
                    .filter_map(|id| catalog.get(&id).ok())
                    .filter_map(|item| item.name_ar.map(|name| (item.id, name)))
                    .collect())
            })
            .await?
        };
        let settings = self.config().settings;
        crate::receipt::build(
            &sale,
            ReceiptContext {
                language,
                shop_name: &settings.shop_name,
                vat_number: settings.vat_number.as_deref(),
            },
            |item_id| {
                arabic_names
                    .iter()
                    .find(|(id, _)| id == item_id)
                    .map(|(_, name)| name.clone())
            },
        )
    }
}

#[cfg(test)]
mod tests;
