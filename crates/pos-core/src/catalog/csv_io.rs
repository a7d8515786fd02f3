//! The catalog as CSV (`csv` crate): export, and import with a per-row report.
//!
//! Columns (a header row first, in any order; unknown columns are refused so a typo is not
//! silently dropped): `sku`, `barcode`, `name_en`, `name_ar`, `price`, `currency_code`,
//! `vat_rate`, `category`, `favourite`, `archived`. `sku`, `name_en`, `price` and
//! `currency_code` are required; a missing `vat_rate` column means 0; flags are `true`/`false`,
//! `yes`/`no` or `1`/`0`, empty meaning no.
//!
//! **An import is all or nothing.** Every row is checked first and every problem reported (row
//! number as a spreadsheet shows it, the header being row 1; the column; a stable code); if
//! there is any, nothing is written. Otherwise a row whose SKU exists changes that item, a new
//! SKU adds one, all in one transaction. Half an import would leave the shop not knowing which
//! prices are current, and a fixed file can simply be imported again: the same file twice
//! changes nothing the second time (it only bumps versions of rows it rewrites).
//!
//! Export writes every item, archived ones too, by SKU; a cell a spreadsheet would run as a
//! formula gets a leading `'` (as the history export), which import takes off again.

use std::collections::HashMap;
use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

use super::{Catalog, CatalogItemInput, ItemProblem, validate};
use crate::error::{Error, Result};
use crate::problem;
use crate::problem::Problem;
use crate::store::CatalogWrite;

/// The columns, in the order export writes them.
pub const COLUMNS: [&str; 10] = [
    "sku",
    "barcode",
    "name_en",
    "name_ar",
    "price",
    "currency_code",
    "vat_rate",
    "category",
    "favourite",
    "archived",
];
const REQUIRED: [&str; 4] = ["sku", "name_en", "price", "currency_code"];
/// Most data rows one import takes.
pub const MAX_ROWS: usize = 20_000;

/// One problem of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RowProblem {
    /// The row as a spreadsheet numbers it (header = 1). A JSON number (never near 2^53: an
    /// import takes at most `MAX_ROWS` rows).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub row: u64,
    /// The column.
    pub field: String,
    /// What is wrong there.
    pub problem: Problem,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CatalogImport {
    /// Whether the file was written (no problems); `false`: nothing changed.
    pub applied: bool,
    /// Items added.
    pub added: u32,
    /// Items changed.
    pub updated: u32,
    /// Every problem found, by row.
    pub problems: Vec<RowProblem>,
}

fn problem(row: u64, p: ItemProblem) -> RowProblem {
    RowProblem {
        row,
        field: p.field,
        problem: p.problem,
    }
}

fn flag(value: &str) -> Option<bool> {
    match value.trim().to_lowercase().as_str() {
        "" | "false" | "no" | "0" => Some(false),
        "true" | "yes" | "1" => Some(true),
        _ => None,
    }
}

/// Takes off the `'` export puts before a formula-like cell.
fn unguard(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => value,
    }
}

impl Catalog<'_> {
    /// Imports a CSV file (see the module): all rows or none.
    pub fn import_csv(&self, input: impl Read) -> Result<CatalogImport> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .trim(csv::Trim::None)
            .from_reader(input);
        let mut report = CatalogImport::default();
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                report.problems.push(RowProblem {
                    row: 1,
                    field: String::new(),
                    problem: problem!(CsvHeaderUnreadable, detail = e),
                });
                return Ok(report);
            }
        };
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (i, name) in headers.iter().enumerate() {
            let name = name.trim().trim_start_matches('\u{feff}');
            match COLUMNS.iter().find(|c| **c == name) {
                Some(c) => {
                    index.insert(c, i);
                }
                None => report.problems.push(RowProblem {
                    row: 1,
                    field: name.to_owned(),
                    problem: problem!(CsvUnknownColumn, columns = COLUMNS.join(", ")),
                }),
            }
        }
        for required in REQUIRED {
            if !index.contains_key(required) {
                report.problems.push(RowProblem {
                    row: 1,
                    field: required.to_owned(),
                    problem: problem!(CsvColumnMissing),
                });
            }
        }
        if !report.problems.is_empty() {
            return Ok(report);
        }
        let mut writes = Vec::new();
        let mut rows_of_writes = Vec::new();
        let mut seen: HashMap<String, (u64, &'static str)> = HashMap::new();
        let now = crate::store::now_utc();
        for (n, record) in reader.records().enumerate() {
            let row = n as u64 + 2;
            if n >= MAX_ROWS {
                report.problems.push(RowProblem {
                    row,
                    field: String::new(),
                    problem: problem!(CsvTooManyRows, max = MAX_ROWS),
                });
                break;
            }
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let row = e.position().map_or(row, |p| p.line());
                    report.problems.push(RowProblem {
                        row,
                        field: String::new(),
                        problem: problem!(CsvRowUnreadable, detail = e),
                    });
                    continue;
                }
            };
            let row = record.position().map_or(row, |p| p.line());
            let cell = |name: &str| -> String {
                index
                    .get(name)
                    .and_then(|i| record.get(*i))
                    .map(|v| unguard(v).to_owned())
                    .unwrap_or_default()
            };
            let opt = |name: &str| Some(cell(name)).filter(|v| !v.trim().is_empty());
            let mut row_problems = Vec::new();
            let vat = cell("vat_rate");
            let vat_rate = if vat.trim().is_empty() {
                0
            } else {
                // Not a small whole number: reported as an invalid rate below.
                vat.trim()
                    .trim_end_matches('%')
                    .trim()
                    .parse::<u8>()
                    .unwrap_or(u8::MAX)
            };
            let mut flags = [false; 2];
            for (slot, name) in flags.iter_mut().zip(["favourite", "archived"]) {
                match flag(&cell(name)) {
                    Some(v) => *slot = v,
                    None => row_problems.push(ItemProblem::new(name, problem!(CsvFlagInvalid))),
                }
            }
            let input = CatalogItemInput {
                id: None,
                version: None,
                sku: cell("sku"),
                barcode: opt("barcode"),
                name_en: cell("name_en"),
                name_ar: opt("name_ar"),
                price: cell("price"),
                currency_code: cell("currency_code").trim().to_uppercase(),
                vat_rate,
                category: opt("category"),
                favourite: Some(flags[0]),
            };
            let valid = match validate(&input) {
                Ok(v) if row_problems.is_empty() => Some(v),
                Ok(_) => None,
                Err(found) => {
                    row_problems.extend(found);
                    None
                }
            };
            report
                .problems
                .extend(row_problems.into_iter().map(|p| problem(row, p)));
            let Some(valid) = valid else { continue };
            // Codes must be unique within the file too (the store checks them against the
            // items not in it).
            let mut clash = false;
            for (field, code) in [
                ("sku", Some(&valid.sku)),
                ("barcode", valid.barcode.as_ref()),
            ] {
                let Some(code) = code else { continue };
                if let Some((first, _)) = seen.get(code.as_str()) {
                    clash = true;
                    report.problems.push(RowProblem {
                        row,
                        field: field.to_owned(),
                        problem: problem!(CsvDuplicateInFile, code = code, row = first),
                    });
                } else {
                    seen.insert(code.clone(), (row, field));
                }
            }
            if clash {
                continue;
            }
            let existing = self.store.catalog_by_sku(&valid.sku)?;
            let archived = flags[1];
            let write = match existing {
                Some(current) => {
                    let version = current.version;
                    let mut item =
                        valid.into_item(current.id, version + 1, current.created_at, now.clone());
                    item.archived = archived;
                    CatalogWrite::Change(item, version)
                }
                None => {
                    let mut item =
                        valid.into_item(super::new_item_id(), 1, now.clone(), now.clone());
                    item.archived = archived;
                    CatalogWrite::Add(item)
                }
            };
            writes.push(write);
            rows_of_writes.push(row);
        }
        if !report.problems.is_empty() {
            return Ok(report);
        }
        match self.store.catalog_apply(&writes) {
            Ok(()) => {
                report.applied = true;
                for w in &writes {
                    match w {
                        CatalogWrite::Add(_) => report.added += 1,
                        CatalogWrite::Change(..) => report.updated += 1,
                    }
                }
            }
            Err((i, e)) => {
                let row = rows_of_writes.get(i).copied().unwrap_or(1);
                let field = match &e {
                    Error::InvalidInput { fields, .. } => {
                        fields.keys().next().cloned().unwrap_or_default()
                    }
                    Error::WrongState(_) => "sku".to_owned(),
                    _ => return Err(e),
                };
                report.problems.push(RowProblem {
                    row,
                    field,
                    problem: e.problem(),
                });
            }
        }
        Ok(report)
    }

    /// Writes every item as CSV; answers the number of items.
    pub fn export_csv(&self, out: impl Write) -> Result<usize> {
        let items = self.all()?;
        let io = |e: csv::Error| Error::Internal(format!("catalog CSV: {e}"));
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(COLUMNS).map_err(io)?;
        for item in &items {
            let vat = item.vat_rate.to_string();
            let bool_text = |b: bool| if b { "true" } else { "false" };
            let row = [
                item.sku.as_str(),
                item.barcode.as_deref().unwrap_or(""),
                item.name_en.as_str(),
                item.name_ar.as_deref().unwrap_or(""),
                item.price.as_str(),
                item.currency_code.as_str(),
                vat.as_str(),
                item.category.as_deref().unwrap_or(""),
                bool_text(item.favourite),
                bool_text(item.archived),
            ];
            csv.write_record(row.iter().map(|c| crate::history::formula_safe(c)))
                .map_err(io)?;
        }
        csv.flush()
            .map_err(|e| Error::Internal(format!("catalog CSV: {e}")))?;
        Ok(items.len())
    }
}
