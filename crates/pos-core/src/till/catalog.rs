//! The catalog and cart commands: search and scan for any signed-in role, changes for managers
//! and owners (`Action::ManageCatalog`), and pricing a cart with the shop's VAT basis.
//!
//! The catalog lives in the history file; the till opens it on first use with its own
//! connection (the sales engine, and so the demo sandbox, need not start for it). SQLite work
//! runs on tokio's blocking pool.

use std::path::PathBuf;
use std::sync::Arc;

use super::Till;
use super::settings::HISTORY_FILE_NAME;
use crate::cart::{CartInput, CartTotals};
use crate::catalog::csv_io::CatalogImport;
use crate::catalog::{Catalog, CatalogItem, CatalogItemInput, CatalogQuery};
use crate::error::{Error, Result};
use crate::staff::Action;
use crate::store::Store;

async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(call)
        .await
        .map_err(|e| Error::Internal(format!("catalog task failed: {e}")))?
}

impl Till {
    /// The history file's store for the catalog, opened once.
    async fn catalog_store(&self) -> Result<Arc<Store>> {
        if let Some(store) = self
            .inner
            .catalog
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
        {
            return Ok(store);
        }
        let path = self.inner.dirs.data_dir.join(HISTORY_FILE_NAME);
        let store = Arc::new(blocking(move || Store::open(&path)).await?);
        let mut slot = self.inner.catalog.lock().unwrap_or_else(|p| p.into_inner());
        Ok(slot.get_or_insert(store).clone())
    }

    pub(super) async fn with_catalog<T: Send + 'static>(
        &self,
        call: impl FnOnce(Catalog<'_>) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let store = self.catalog_store().await?;
        blocking(move || call(Catalog::new(&store))).await
    }

    /// `catalog_search`: items by name (either language) or exact code.
    pub async fn catalog_search(&self, query: CatalogQuery) -> Result<Vec<CatalogItem>> {
        self.authorize(Action::CreateSale)?;
        self.with_catalog(move |c| c.search(&query)).await
    }

    /// `catalog_lookup`: the item a scanned barcode (or typed SKU) names, `null` if none.
    pub async fn catalog_lookup(&self, code: String) -> Result<Option<CatalogItem>> {
        self.authorize(Action::CreateSale)?;
        self.with_catalog(move |c| c.lookup(&code)).await
    }

    /// `save_catalog_item`: adds or changes an item (compare-and-set on `version`).
    pub async fn save_catalog_item(&self, item: CatalogItemInput) -> Result<CatalogItem> {
        self.authorize(Action::ManageCatalog)?;
        self.with_catalog(move |c| c.save(&item)).await
    }

    /// `archive_catalog_item`: archives (or, `archived: false`, restores) an item.
    pub async fn archive_catalog_item(
        &self,
        id: String,
        version: u32,
        archived: bool,
    ) -> Result<CatalogItem> {
        self.authorize(Action::ManageCatalog)?;
        self.with_catalog(move |c| c.set_archived(&id, version, archived))
            .await
    }

    /// Imports a CSV file (all rows or none; the report names every problem).
    pub async fn import_catalog_csv(&self, path: PathBuf) -> Result<CatalogImport> {
        self.authorize(Action::ManageCatalog)?;
        self.with_catalog(move |c| {
            let file = std::fs::File::open(&path).map_err(|source| Error::Io {
                context: format!("could not open {}", path.display()),
                source,
            })?;
            c.import_csv(std::io::BufReader::new(file))
        })
        .await
    }

    /// Writes the catalog to a CSV file; answers the number of items.
    pub async fn export_catalog_csv(&self, path: PathBuf) -> Result<usize> {
        self.authorize(Action::ManageCatalog)?;
        self.with_catalog(move |c| {
            let file = std::fs::File::create(&path).map_err(|source| Error::Io {
                context: format!("could not write {}", path.display()),
                source,
            })?;
            c.export_csv(std::io::BufWriter::new(file))
        })
        .await
    }

    /// `price_cart`: the cart's lines, VAT and total as Ottu will compute them, with the
    /// shop's tax-inclusive or tax-exclusive prices.
    pub async fn price_cart(&self, cart: CartInput) -> Result<CartTotals> {
        self.authorize(Action::CreateSale)?;
        let inclusive = self.config().settings.prices_include_tax();
        self.with_catalog(move |c| {
            let resolved = cart.resolve(inclusive, |id| c.get(id))?;
            let priced = resolved.price().map_err(Error::invalid_fields)?;
            Ok(CartTotals::new(&resolved, &priced))
        })
        .await
    }
}
