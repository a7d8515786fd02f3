use super::csv_io::CatalogImport;
use super::*;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("history.sqlite3")).unwrap();
    (dir, store)
}

fn input(sku: &str, name: &str, price: &str) -> CatalogItemInput {
    CatalogItemInput {
        sku: sku.into(),
        name_en: name.into(),
        price: price.into(),
        currency_code: "KWD".into(),
        vat_rate: 0,
        ..CatalogItemInput::default()
    }
}

#[test]
fn add_edit_archive_with_compare_and_set() {
    let (_dir, store) = store();
    let catalog = Catalog::new(&store);
    let tea = catalog
        .save(&CatalogItemInput {
            name_ar: Some("شاي".into()),
            barcode: Some("6281000000011".into()),
            vat_rate: 5,
            ..input("TEA-1", "  Karak tea ", "0.25")
        })
        .unwrap();
    assert_eq!(
        (tea.price.as_str(), tea.name_en.as_str(), tea.version),
        ("0.250", "Karak tea", 1)
    );

    let mut change = input("TEA-1", "Karak tea large", "0.350");
    change.id = Some(tea.id.clone());
    change.version = Some(1);
    let changed = catalog.save(&change).unwrap();
    assert_eq!((changed.version, changed.price.as_str()), (2, "0.350"));
    assert_eq!(changed.created_at, tea.created_at);

    // The same change again, over the version it read before: refused, nothing written.
    let err = catalog.save(&change).unwrap_err();
    assert!(err.to_string().contains("changed meanwhile"), "{err}");
    assert_eq!(catalog.get(&tea.id).unwrap().version, 2);

    let archived = catalog.set_archived(&tea.id, 2, true).unwrap();
    assert!(archived.archived);
    assert!(catalog.set_archived(&tea.id, 2, false).is_err());
    // Archived items leave the sale screen's search, stay in the editor's and in lookups.
    assert!(
        catalog
            .search(&CatalogQuery {
                text: Some("karak".into()),
                ..Default::default()
            })
            .unwrap()
            .is_empty()
    );
    let all = CatalogQuery {
        text: Some("karak".into()),
        include_archived: Some(true),
        ..Default::default()
    };
    assert_eq!(catalog.search(&all).unwrap().len(), 1);
    assert!(catalog.lookup("TEA-1").unwrap().unwrap().archived);
    // An edit keeps the archived flag.
    let mut rename = input("TEA-1", "Karak", "0.350");
    rename.id = Some(tea.id);
    rename.version = Some(3);
    assert!(catalog.save(&rename).unwrap().archived);
}

#[test]
fn every_bad_field_is_named() {
    let (_dir, store) = store();
    let catalog = Catalog::new(&store);
    let bad = CatalogItemInput {
        sku: " ".into(),
        name_en: "".into(),
        price: "1.2345".into(),
        currency_code: "KWD".into(),
        vat_rate: 7,
        barcode: Some("12 34".into()),
        ..CatalogItemInput::default()
    };
    let Err(Error::InvalidInput { fields, .. }) = catalog.save(&bad) else {
        panic!("accepted")
    };
    let keys: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(keys, ["barcode", "name_en", "price", "sku", "vat_rate"]);
    let problems = validate(&CatalogItemInput {
        price: "-1".into(),
        ..input("A", "A", "")
    })
    .unwrap_err();
    assert_eq!(problems[0].problem.code.as_str(), "price_invalid");
    let problems = validate(&CatalogItemInput {
        currency_code: "XXQ".into(),
        ..input("A", "A", "1")
    })
    .unwrap_err();
    assert_eq!(problems[0].problem.code.as_str(), "currency_invalid");
    // Each currency's own decimals: SAR has 2, JPY none.
    assert!(
        validate(&CatalogItemInput {
            currency_code: "SAR".into(),
            ..input("A", "A", "1.25")
        })
        .is_ok()
    );
    assert_eq!(
        validate(&CatalogItemInput {
            currency_code: "SAR".into(),
            ..input("A", "A", "1.255")
        })
        .unwrap_err()[0]
            .problem
            .code
            .as_str(),
        "amount_too_many_decimals"
    );
}

#[test]
fn codes_are_unique_across_sku_and_barcode() {
    let (_dir, store) = store();
    let catalog = Catalog::new(&store);
    catalog
        .save(&CatalogItemInput {
            barcode: Some("111".into()),
            ..input("A", "Apple", "1")
        })
        .unwrap();
    for clash in [
        input("A", "Again", "1"),
        CatalogItemInput {
            barcode: Some("111".into()),
            ..input("B", "Banana", "1")
        },
        input("111", "Sku equal to a barcode", "1"),
        CatalogItemInput {
            barcode: Some("A".into()),
            ..input("C", "Barcode equal to a SKU", "1")
        },
    ] {
        let err = catalog.save(&clash).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    }
    assert_eq!(catalog.all().unwrap().len(), 1);
}

#[test]
fn search_by_either_name_folded_and_by_exact_code() {
    let (_dir, store) = store();
    let catalog = Catalog::new(&store);
    let coffee = catalog
        .save(&CatalogItemInput {
            name_ar: Some("قَهْوَة عربية".into()),
            barcode: Some("6281234567890".into()),
            category: Some("Drinks".into()),
            ..input("COF", "Café Latte", "1.5")
        })
        .unwrap();
    catalog
        .save(&CatalogItemInput {
            favourite: Some(true),
            ..input("DATE", "Dates box", "3")
        })
        .unwrap();
    let find = |text: &str| -> Vec<String> {
        catalog
            .search(&CatalogQuery {
                text: Some(text.into()),
                ..Default::default()
            })
            .unwrap()
            .into_iter()
            .map(|i| i.sku)
            .collect()
    };
    assert_eq!(find("cafe"), ["COF"]);
    assert_eq!(find("LATTÉ"), ["COF"]);
    assert_eq!(find("قهوة"), ["COF"]);
    assert_eq!(find("عربيه"), ["COF"]);
    assert_eq!(find("6281234567890"), ["COF"]);
    // A code matches whole, not in part; a `%` is a character, not a wildcard.
    assert!(find("628123").is_empty());
    assert!(find("%").is_empty());
    assert_eq!(find("date"), ["DATE"]);
    // No text: favourites first.
    let all = catalog.search(&CatalogQuery::default()).unwrap();
    assert_eq!(
        all.iter().map(|i| i.sku.as_str()).collect::<Vec<_>>(),
        ["DATE", "COF"]
    );
    let drinks = catalog
        .search(&CatalogQuery {
            category: Some("Drinks".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(drinks.len(), 1);
    let favourites = catalog
        .search(&CatalogQuery {
            favourites: Some(true),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(favourites[0].sku, "DATE");
    assert_eq!(
        catalog.lookup(" 6281234567890 ").unwrap().unwrap().id,
        coffee.id
    );
    assert_eq!(catalog.lookup("COF").unwrap().unwrap().id, coffee.id);
    assert!(catalog.lookup("nope").unwrap().is_none());
}

fn import(catalog: &Catalog<'_>, text: &str) -> CatalogImport {
    catalog.import_csv(text.as_bytes()).unwrap()
}

#[test]
fn import_reports_every_row_problem_and_writes_nothing() {
    let (_dir, store) = store();
    let catalog = Catalog::new(&store);
    let report = import(
        &catalog,
        "sku,name_en,price,currency_code,vat_rate,favourite\n\
         A,Apple,1.000,KWD,5,yes\n\
         B,,1.0001,KWD,7,maybe\n\
         A,Again,2,KWD,0,\n",
    );
    assert!(!report.applied);
    let found: Vec<(u64, &str, &str)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.field.as_str(), p.problem.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (3, "favourite", "csv_flag_invalid"),
            (3, "name_en", "field_required"),
            (3, "price", "amount_too_many_decimals"),
            (3, "vat_rate", "vat_rate_invalid"),
            (4, "sku", "csv_duplicate_in_file"),
        ]
    );
    assert!(catalog.all().unwrap().is_empty(), "all or nothing");

    let header = import(&catalog, "sku,name,price\nA,Apple,1\n");
    let found: Vec<(u64, &str, &str)> = header
        .problems
        .iter()
        .map(|p| (p.row, p.field.as_str(), p.problem.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (1, "name", "csv_unknown_column"),
            (1, "name_en", "csv_column_missing"),
            (1, "currency_code", "csv_column_missing")
        ]
    );
    let ragged = import(&catalog, "sku,name_en,price,currency_code\nA,Apple,1\n");
    assert_eq!(
        (
            ragged.problems[0].row,
            ragged.problems[0].problem.code.as_str()
        ),
        (2, "csv_row_unreadable")
    );
}

#[test]
fn import_adds_and_updates_by_sku_and_export_round_trips() {
    let (_dir, store) = store();
    let catalog = Catalog::new(&store);
    let existing = catalog.save(&input("A", "Apple", "1")).unwrap();
    let report = import(
        &catalog,
        "\u{feff}sku,barcode,name_en,name_ar,price,currency_code,vat_rate,category,favourite,archived\n\
         A,111,Apple,تفاح,1.250,kwd,15,Fruit,true,false\n\
         B,,\"Bread, brown\",خبز,0.1,KWD,0,,no,true\n\
         F,,'=SUM(1),,2,KWD,5%,,,\n",
    );
    assert_eq!(report.problems, []);
    assert_eq!((report.applied, report.added, report.updated), (true, 2, 1));
    let apple = catalog.get(&existing.id).unwrap();
    assert_eq!(
        (apple.price.as_str(), apple.vat_rate, apple.version),
        ("1.250", 15, 2)
    );
    assert_eq!(apple.barcode.as_deref(), Some("111"));
    assert!(catalog.lookup("B").unwrap().unwrap().archived);
    assert_eq!(catalog.lookup("F").unwrap().unwrap().name_en, "=SUM(1)");

    let mut out = Vec::new();
    assert_eq!(catalog.export_csv(&mut out).unwrap(), 3);
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with(
        "sku,barcode,name_en,name_ar,price,currency_code,vat_rate,category,favourite,archived\n"
    ));
    assert!(text.contains("\"Bread, brown\""), "{text}");
    assert!(
        text.contains(",'=SUM(1),"),
        "a formula is neutralised: {text}"
    );

    // Into a fresh file: the same items.
    let (_dir2, other) = self::store();
    let copy = Catalog::new(&other);
    let report = copy.import_csv(text.as_bytes()).unwrap();
    assert_eq!(
        (report.applied, report.added),
        (true, 3),
        "{:?}",
        report.problems
    );
    let strip = |items: Vec<CatalogItem>| -> Vec<_> {
        items
            .into_iter()
            .map(|i| {
                (
                    i.sku,
                    i.barcode,
                    i.name_en,
                    i.name_ar,
                    i.price,
                    i.vat_rate,
                    i.category,
                    i.favourite,
                    i.archived,
                )
            })
            .collect()
    };
    assert_eq!(strip(copy.all().unwrap()), strip(catalog.all().unwrap()));
}

#[test]
fn an_import_clashing_with_another_items_code_is_rolled_back() {
    let (_dir, store) = store();
    let catalog = Catalog::new(&store);
    catalog
        .save(&CatalogItemInput {
            barcode: Some("999".into()),
            ..input("A", "Apple", "1")
        })
        .unwrap();
    let report = import(
        &catalog,
        "sku,name_en,price,currency_code\nN,New,1,KWD\n999,Clash,1,KWD\n",
    );
    assert!(!report.applied);
    assert_eq!(
        (
            report.problems[0].row,
            report.problems[0].problem.code.as_str()
        ),
        (3, "catalog_code_taken")
    );
    assert_eq!(catalog.all().unwrap().len(), 1, "row 2 was rolled back too");
}

#[test]
fn the_catalog_survives_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let id = {
        let store = Store::open(&path).unwrap();
        Catalog::new(&store)
            .save(&input("A", "Apple", "1"))
            .unwrap()
            .id
    };
    let store = Store::open(&path).unwrap();
    assert_eq!(Catalog::new(&store).get(&id).unwrap().price, "1.000");
}
