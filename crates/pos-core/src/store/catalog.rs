//! SQL of the shop's catalog (`catalog_items`, migration 5). See `catalog.rs` for the rules.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Store;
use crate::catalog::fold::fold;
use crate::catalog::{CatalogItem, CatalogQuery, DEFAULT_SEARCH_LIMIT};
use crate::error::{Error, Result};

const COLUMNS: &str = "id, sku, barcode, name_en, name_ar, price, currency_code, vat_rate, \
    category, favourite, archived, version, created_at, updated_at";

/// One write of an import: a new item, or a change over the version read.
#[derive(Debug, Clone)]
pub enum CatalogWrite {
    /// Insert.
    Add(CatalogItem),
    /// Update if the stored version is still `.1`.
    Change(CatalogItem, u32),
}

fn item_from_row(row: &Row<'_>) -> rusqlite::Result<CatalogItem> {
    Ok(CatalogItem {
        id: row.get(0)?,
        sku: row.get(1)?,
        barcode: row.get(2)?,
        name_en: row.get(3)?,
        name_ar: row.get(4)?,
        price: row.get(5)?,
        currency_code: row.get(6)?,
        vat_rate: row.get(7)?,
        category: row.get(8)?,
        favourite: row.get(9)?,
        archived: row.get(10)?,
        version: row.get(11)?,
        created_at: row.get(12)?,
        updated_at: row.get(13)?,
    })
}

/// Both names folded, one per line.
fn search_text(item: &CatalogItem) -> String {
    [Some(item.name_en.as_str()), item.name_ar.as_deref()]
        .into_iter()
        .flatten()
        .map(fold)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Refuses a code of `item` that another item uses as SKU or barcode.
fn check_codes(conn: &Connection, item: &CatalogItem) -> Result<()> {
    let codes = [("sku", Some(&item.sku)), ("barcode", item.barcode.as_ref())];
    for (field, code) in codes {
        let Some(code) = code else { continue };
        let other: Option<String> = conn
            .query_row(
                "SELECT sku FROM catalog_items WHERE (sku = ?1 OR barcode = ?1) AND id != ?2",
                params![code, item.id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(other) = other {
            return Err(Error::invalid_field(
                field,
                crate::problem!(CatalogCodeTaken, code = code, other = other),
            ));
        }
    }
    Ok(())
}

fn insert(conn: &Connection, item: &CatalogItem) -> Result<()> {
    check_codes(conn, item)?;
    conn.execute(
        &format!("INSERT INTO catalog_items ({COLUMNS}, search_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"),
        params![
            item.id, item.sku, item.barcode, item.name_en, item.name_ar, item.price,
            item.currency_code, item.vat_rate, item.category, item.favourite, item.archived,
            item.version, item.created_at, item.updated_at, search_text(item)
        ],
    )?;
    Ok(())
}

/// `false` when the stored version is not `expected` (nothing written).
fn update(conn: &Connection, item: &CatalogItem, expected: u32) -> Result<bool> {
    check_codes(conn, item)?;
    let changed = conn.execute(
        "UPDATE catalog_items SET sku = ?2, barcode = ?3, name_en = ?4, name_ar = ?5, price = ?6,
         currency_code = ?7, vat_rate = ?8, category = ?9, favourite = ?10, archived = ?11,
         version = ?12, updated_at = ?13, search_text = ?14 WHERE id = ?1 AND version = ?15",
        params![
            item.id,
            item.sku,
            item.barcode,
            item.name_en,
            item.name_ar,
            item.price,
            item.currency_code,
            item.vat_rate,
            item.category,
            item.favourite,
            item.archived,
            item.version,
            item.updated_at,
            search_text(item),
            expected
        ],
    )?;
    Ok(changed == 1)
}

impl Store {
    /// Writes a new item; a code another item uses is refused on its field.
    pub fn catalog_insert(&self, item: &CatalogItem) -> Result<()> {
        let mut conn = self.conn();
        // IMMEDIATE: the code check and the write see the same table, even across processes.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        insert(&tx, item)?;
        tx.commit()?;
        Ok(())
    }

    /// Compare-and-set: rewrites the item only if its version is still `expected`.
    #[must_use = "a stale item was not written"]
    pub fn catalog_update(&self, item: &CatalogItem, expected: u32) -> Result<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let written = update(&tx, item, expected)?;
        tx.commit()?;
        Ok(written)
    }

    /// Applies every write or none: the first failure (a code taken, a stale version) rolls all
    /// back and is returned with its index in `writes`.
    pub fn catalog_apply(
        &self,
        writes: &[CatalogWrite],
    ) -> std::result::Result<(), (usize, Error)> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| (0, e.into()))?;
        for (index, write) in writes.iter().enumerate() {
            let outcome = match write {
                CatalogWrite::Add(item) => insert(&tx, item),
                CatalogWrite::Change(item, expected) => match update(&tx, item, *expected) {
                    Ok(true) => Ok(()),
                    Ok(false) => Err(crate::catalog::stale(&item.sku)),
                    Err(e) => Err(e),
                },
            };
            outcome.map_err(|e| (index, e))?;
        }
        tx.commit().map_err(|e| (writes.len(), e.into()))?;
        Ok(())
    }

    /// One item by id.
    pub fn catalog_get(&self, id: &str) -> Result<Option<CatalogItem>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM catalog_items WHERE id = ?1"),
                [id],
                item_from_row,
            )
            .optional()?)
    }

    /// The item with this SKU.
    pub fn catalog_by_sku(&self, sku: &str) -> Result<Option<CatalogItem>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM catalog_items WHERE sku = ?1"),
                [sku],
                item_from_row,
            )
            .optional()?)
    }

    /// The item whose barcode is `code`, or else whose SKU is.
    pub fn catalog_by_code(&self, code: &str) -> Result<Option<CatalogItem>> {
        Ok(self
            .conn()
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM catalog_items WHERE barcode = ?1 OR sku = ?1
                     ORDER BY barcode = ?1 DESC LIMIT 1"
                ),
                [code],
                item_from_row,
            )
            .optional()?)
    }

    /// Items matching `query` (see `Catalog::search`).
    pub fn catalog_search(&self, query: &CatalogQuery) -> Result<Vec<CatalogItem>> {
        let mut sql = format!("SELECT {COLUMNS} FROM catalog_items WHERE 1 = 1");
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        let mut order = String::new();
        if let Some(text) = query
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            values.push(text.to_owned().into());
            let exact = values.len();
            values.push(fold(text).into());
            let folded = values.len();
            // `search_text` is folded (lower case) when written and the text is folded here, so
            // a plain substring test answers the same as a case-insensitive LIKE '%…%', at a
            // fraction of its cost per row (no pattern matching, no escaping).
            sql.push_str(&format!(
                " AND (sku = ?{exact} OR barcode = ?{exact} OR instr(search_text, ?{folded}) > 0)"
            ));
            order = format!("(sku = ?{exact} OR barcode = ?{exact}) DESC, ");
        }
        if let Some(category) = &query.category {
            values.push(category.clone().into());
            sql.push_str(&format!(" AND category = ?{}", values.len()));
        }
        if query.favourites == Some(true) {
            sql.push_str(" AND favourite = 1");
        }
        if query.include_archived != Some(true) {
            sql.push_str(" AND archived = 0");
        }
        let limit = query.limit.unwrap_or(DEFAULT_SEARCH_LIMIT).min(5_000);
        sql.push_str(&format!(
            " ORDER BY {order}favourite DESC, name_en COLLATE NOCASE, sku LIMIT {limit}"
        ));
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), item_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every item, by SKU.
    pub fn catalog_all(&self) -> Result<Vec<CatalogItem>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare(&format!("SELECT {COLUMNS} FROM catalog_items ORDER BY sku"))?;
        let rows = stmt.query_map([], item_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
