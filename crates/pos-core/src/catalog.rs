//! The shop's catalog: items with English and Arabic names, a price, SKU and barcode, VAT rate,
//! category, favourite and archived flags, kept in the history file (`catalog_items`, SQL in
//! `store/catalog.rs`).
//!
//! - One catalog for the shop, whichever Ottu connection is active: items are goods on the
//!   shelf, not merchant data. Each item's price is in its own `currency_code` (normally the
//!   shop's one currency), with that currency's decimals.
//! - SKU and barcode are each unique, and neither may equal another item's SKU or barcode, so a
//!   scanned code ([`Catalog::lookup`]) finds at most one item.
//! - Changes are compare-and-set on the item's `version`, like sales: a save from a stale
//!   screen is refused with a plain "changed meanwhile" message instead of overwriting.
//! - Who may do what is the till's ([`crate::staff::Action::ManageCatalog`] for add, edit,
//!   archive and import; any signed-in role reads and searches).
//! - Search folds case, Latin accents and Arabic diacritics ([`fold`]); a code is matched
//!   exactly.
//! - CSV import and export (`csv` crate) are in [`csv_io`]; an import is all or nothing.

pub mod csv_io;
pub mod fold;

use ottu_checkout::{Amount, AmountError, CurrencyCode};
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldErrors, Result};
use crate::problem;
use crate::problem::Problem;
use crate::store::Store;

/// The VAT rates an item may carry, in percent (the Gulf's rates: none, 5 %, 10 %, 15 %).
pub const VAT_RATES: [u8; 4] = [0, 5, 10, 15];
/// Longest SKU, barcode, name or category (Ottu's item `sku` and `description` limit).
pub const MAX_TEXT_CHARS: usize = 255;
/// Most items a search answers when the query says nothing.
pub const DEFAULT_SEARCH_LIMIT: u32 = 200;

/// An item of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CatalogItem {
    /// Local id (`item_…`).
    pub id: String,
    /// The shop's code for the item; unique; sent to Ottu as the invoice line's `sku`.
    pub sku: String,
    /// The code printed on the item (EAN/UPC…), unique when set.
    pub barcode: Option<String>,
    /// Name in English.
    pub name_en: String,
    /// Name in Arabic.
    pub name_ar: Option<String>,
    /// Shelf price per unit, a decimal string with the currency's decimals; with or without
    /// VAT as the shop's `prices_include_tax` setting says.
    pub price: String,
    /// The price's currency.
    pub currency_code: String,
    /// VAT in percent: 0, 5, 10 or 15.
    pub vat_rate: u8,
    /// Free-text group shown as a tab (`null`: none).
    pub category: Option<String>,
    /// Shown on the quick-pick grid.
    pub favourite: bool,
    /// Hidden from sale and search (kept for old sales' receipts and re-use).
    pub archived: bool,
    /// Bumped by every change; sent back with an edit (compare-and-set).
    pub version: u32,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// RFC 3339 UTC.
    pub updated_at: String,
}

/// A new item (no `id`) or a change to one (`id` and the `version` read).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CatalogItemInput {
    /// The item to change; absent to add one.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub id: Option<String>,
    /// The `version` the change was made over (required with `id`).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub version: Option<u32>,
    /// See [`CatalogItem::sku`].
    pub sku: String,
    /// See [`CatalogItem::barcode`].
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub barcode: Option<String>,
    /// See [`CatalogItem::name_en`].
    pub name_en: String,
    /// See [`CatalogItem::name_ar`].
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub name_ar: Option<String>,
    /// See [`CatalogItem::price`].
    pub price: String,
    /// See [`CatalogItem::currency_code`].
    pub currency_code: String,
    /// See [`CatalogItem::vat_rate`].
    pub vat_rate: u8,
    /// See [`CatalogItem::category`].
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub category: Option<String>,
    /// See [`CatalogItem::favourite`].
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub favourite: Option<bool>,
}

/// What to list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CatalogQuery {
    /// Part of either name (folded), or a whole SKU or barcode.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub text: Option<String>,
    /// Only this category.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub category: Option<String>,
    /// Only favourites.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub favourites: Option<bool>,
    /// Archived items too (the catalog editor); a sale screen leaves it out.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub include_archived: Option<bool>,
    /// Most rows (default 200).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub limit: Option<u32>,
}

/// One problem with one field of an item: the form shows the problem, an import report adds
/// the row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemProblem {
    /// The field (`sku`, `price`, … or, in an import, the CSV column).
    pub field: String,
    /// What is wrong with it.
    pub problem: Problem,
}

impl ItemProblem {
    fn new(field: &str, problem: Problem) -> ItemProblem {
        ItemProblem {
            field: field.to_owned(),
            problem,
        }
    }
}

/// An input that passed [`validate`]: trimmed, the price normalised to its currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidItem {
    /// Trimmed SKU.
    pub sku: String,
    /// Trimmed barcode, `None` when blank.
    pub barcode: Option<String>,
    /// Trimmed.
    pub name_en: String,
    /// Trimmed, `None` when blank.
    pub name_ar: Option<String>,
    /// Normalised to the currency's decimals.
    pub price: Amount,
    /// Upper-case ISO 4217.
    pub currency: CurrencyCode,
    /// One of [`VAT_RATES`].
    pub vat_rate: u8,
    /// Trimmed, `None` when blank.
    pub category: Option<String>,
    /// Quick-pick.
    pub favourite: bool,
}

fn trimmed(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Checks an item's fields; every problem is reported, not just the first.
pub fn validate(input: &CatalogItemInput) -> std::result::Result<ValidItem, Vec<ItemProblem>> {
    let mut problems = Vec::new();
    let mut text = |field: &str, value: Option<&str>, required: bool| -> Option<String> {
        let value = trimmed(value);
        match &value {
            None if required => {
                problems.push(ItemProblem::new(field, problem!(FieldRequired)));
            }
            Some(v) if v.chars().count() > MAX_TEXT_CHARS => problems.push(ItemProblem::new(
                field,
                problem!(TooLong, max = MAX_TEXT_CHARS),
            )),
            Some(v)
                if (field == "sku" || field == "barcode") && v.chars().any(char::is_whitespace) =>
            {
                problems.push(ItemProblem::new(field, problem!(CatalogCodeHasSpace)));
            }
            _ => {}
        }
        value
    };
    let sku = text("sku", Some(&input.sku), true);
    let barcode = text("barcode", input.barcode.as_deref(), false);
    let name_en = text("name_en", Some(&input.name_en), true);
    let name_ar = text("name_ar", input.name_ar.as_deref(), false);
    let category = text("category", input.category.as_deref(), false);
    let currency = match CurrencyCode::parse(input.currency_code.trim()) {
        Ok(c) => Some(c),
        Err(_) => {
            problems.push(ItemProblem::new("currency_code", problem!(CurrencyInvalid)));
            None
        }
    };
    let price = currency
        .as_ref()
        .and_then(|c| match Amount::parse(input.price.trim(), c) {
            Ok(p) => Some(p),
            Err(AmountError::TooManyDecimals { allowed, .. }) => {
                problems.push(ItemProblem::new(
                    "price",
                    crate::sales::draft::too_many_decimals(c, allowed),
                ));
                None
            }
            Err(_) => {
                problems.push(ItemProblem::new("price", problem!(PriceInvalid)));
                None
            }
        });
    if !VAT_RATES.contains(&input.vat_rate) {
        problems.push(ItemProblem::new("vat_rate", problem!(VatRateInvalid)));
    }
    match (sku, name_en, price, currency) {
        (Some(sku), Some(name_en), Some(price), Some(currency)) if problems.is_empty() => {
            Ok(ValidItem {
                sku,
                barcode,
                name_en,
                name_ar,
                price,
                currency,
                vat_rate: input.vat_rate,
                category,
                favourite: input.favourite.unwrap_or(false),
            })
        }
        _ => Err(problems),
    }
}

/// The problems as `invalid_input` field errors (for a form).
pub fn problems_error(problems: Vec<ItemProblem>) -> Error {
    let mut fields = FieldErrors::new();
    for p in problems {
        fields.entry(p.field).or_default().push(p.problem);
    }
    Error::invalid_fields(fields)
}

/// A new item id.
pub fn new_item_id() -> String {
    use rand::Rng;
    format!("item_{:016x}", rand::thread_rng().r#gen::<u64>())
}

impl ValidItem {
    /// The stored item with `id`, `version` and times.
    pub fn into_item(
        self,
        id: String,
        version: u32,
        created_at: String,
        updated_at: String,
    ) -> CatalogItem {
        CatalogItem {
            id,
            sku: self.sku,
            barcode: self.barcode,
            name_en: self.name_en,
            name_ar: self.name_ar,
            price: self.price.as_str().to_owned(),
            currency_code: self.currency.as_str().to_owned(),
            vat_rate: self.vat_rate,
            category: self.category,
            favourite: self.favourite,
            archived: false,
            version,
            created_at,
            updated_at,
        }
    }
}

/// The catalog over a history file.
#[derive(Debug, Clone, Copy)]
pub struct Catalog<'s> {
    store: &'s Store,
}

/// The item changed since it was read (`item` names it: its id, or its SKU in an import).
pub(crate) fn stale(item: &str) -> Error {
    Error::WrongState(problem!(CatalogItemChanged, item = item))
}

impl<'s> Catalog<'s> {
    /// The catalog in `store`.
    pub fn new(store: &'s Store) -> Catalog<'s> {
        Catalog { store }
    }

    /// Adds an item (no `id`) or changes one (`id` + `version`, compare-and-set).
    pub fn save(&self, input: &CatalogItemInput) -> Result<CatalogItem> {
        let valid = validate(input).map_err(problems_error)?;
        let now = crate::store::now_utc();
        match &input.id {
            None => {
                let item = valid.into_item(new_item_id(), 1, now.clone(), now);
                self.store.catalog_insert(&item)?;
                Ok(item)
            }
            Some(id) => {
                let Some(version) = input.version else {
                    return Err(Error::invalid_field(
                        "version",
                        problem!(CatalogVersionNeeded),
                    ));
                };
                let current = self.get(id)?;
                if current.version != version {
                    return Err(stale(id));
                }
                let mut item = valid.into_item(id.clone(), version + 1, current.created_at, now);
                item.archived = current.archived;
                if !self.store.catalog_update(&item, version)? {
                    return Err(stale(id));
                }
                Ok(item)
            }
        }
    }

    /// Archives (`true`) or restores an item, over `version`.
    pub fn set_archived(&self, id: &str, version: u32, archived: bool) -> Result<CatalogItem> {
        let mut item = self.get(id)?;
        if item.version != version {
            return Err(stale(id));
        }
        item.archived = archived;
        item.version = version + 1;
        item.updated_at = crate::store::now_utc();
        if !self.store.catalog_update(&item, version)? {
            return Err(stale(id));
        }
        Ok(item)
    }

    /// One item by id.
    pub fn get(&self, id: &str) -> Result<CatalogItem> {
        self.store
            .catalog_get(id)?
            .ok_or_else(|| Error::NotFound(problem!(CatalogItemNotFound, id = id)))
    }

    /// The item whose barcode, or else SKU, is exactly `code` (archived ones included: the
    /// caller decides whether to sell one).
    pub fn lookup(&self, code: &str) -> Result<Option<CatalogItem>> {
        let code = code.trim();
        if code.is_empty() {
            return Ok(None);
        }
        self.store.catalog_by_code(code)
    }

    /// Items matching `query`: exact SKU/barcode hits first, then names containing the folded
    /// text, favourites first, then by English name.
    pub fn search(&self, query: &CatalogQuery) -> Result<Vec<CatalogItem>> {
        self.store.catalog_search(query)
    }

    /// Every item, archived too, by SKU (the export).
    pub fn all(&self) -> Result<Vec<CatalogItem>> {
        self.store.catalog_all()
    }
}

#[cfg(test)]
mod tests;
