use proptest::prelude::*;

use super::*;

fn shift(float: &str) -> ShiftRecord {
    ShiftRecord {
        id: "shift-1".into(),
        profile_id: "demo".into(),
        currency_code: "KWD".into(),
        opening_float: float.into(),
        opened_at: "2026-12-03T08:00:00.000Z".into(),
        opened_by: None,
        closed_at: None,
        closed_by: None,
        counted_cash: None,
        expected_cash: None,
        variance: None,
        z_report_json: None,
        version: 1,
    }
}

/// Fils as a KWD string, written independently of `money`.
fn kwd(fils: i128) -> String {
    let sign = if fils < 0 { "-" } else { "" };
    format!("{sign}{}.{:03}", fils.abs() / 1000, fils.abs() % 1000)
}

const STATES: [&str; 5] = ["paid", "refunded", "failed", "created", "canceled"];
const LINKS: [(&str, &[&str]); 3] = [
    ("cash", &[]),
    ("link", &["knet"]),
    ("link", &["knet", "cc"]),
];

fn sale(
    i: usize,
    method: usize,
    state: usize,
    fils: i128,
    staff: usize,
    hour: u32,
) -> ShiftSaleRow {
    let (method, codes) = LINKS[method];
    ShiftSaleRow {
        id: format!("sale-{i}"),
        state: STATES[state].into(),
        amount: kwd(fils),
        currency_code: "KWD".into(),
        method: method.into(),
        pg_codes: codes.iter().map(|c| c.to_string()).collect(),
        created_at: format!("2026-12-03T{hour:02}:15:00.000Z"),
        created_by: (staff > 0).then(|| StaffRef {
            id: format!("staff-{staff}"),
            name: format!("Staff {staff}"),
        }),
        cart: None,
    }
}

const RATES: [u8; 3] = [0, 5, 15];

/// One cart line for the report: its VAT rate (index into `RATES`), its own discount and its
/// share of the sale's discount, its taxable amount and its tax (fils).
type LineSpec = (usize, i128, i128, i128, i128);

/// A cart carrying `lines`; only what the report reads is meaningful (the rest is zero).
fn cart(lines: &[LineSpec]) -> crate::cart::CartTotals {
    let mut vat: BTreeMap<u8, (i128, i128)> = BTreeMap::new();
    for &(rate, _, _, taxable, tax) in lines {
        let at = vat.entry(RATES[rate]).or_default();
        at.0 += taxable;
        at.1 += tax;
    }
    crate::cart::CartTotals {
        currency_code: "KWD".into(),
        prices_include_tax: false,
        lines: lines
            .iter()
            .enumerate()
            .map(
                |(i, &(rate, own, share, taxable, tax))| crate::cart::CartLineTotals {
                    item_id: None,
                    sku: format!("SKU{i}"),
                    description: format!("line {i}"),
                    quantity: "1".into(),
                    vat_rate: RATES[rate],
                    shelf_unit_price: kwd(taxable),
                    line_discount: kwd(own),
                    sale_discount_share: kwd(share),
                    shelf_total: kwd(taxable),
                    unit_price_excl_tax: kwd(taxable),
                    discount_excl_tax: kwd(0),
                    total_excl_tax: kwd(taxable),
                    tax_amount: kwd(tax),
                    total_incl_tax: kwd(taxable + tax),
                },
            )
            .collect(),
        sale_discount: kwd(lines.iter().map(|l| l.2).sum()),
        shelf_total: kwd(0),
        total_excl_tax: kwd(0),
        tax_amount: kwd(0),
        vat: vat
            .into_iter()
            .map(|(rate, (taxable, tax))| crate::cart::VatTotal {
                rate,
                taxable: kwd(taxable),
                tax: kwd(tax),
            })
            .collect(),
        total: kwd(0),
        matches_shelf: true,
    }
}

#[test]
fn a_worked_example() {
    let shift = shift("50.000");
    let sales = vec![
        sale(1, 0, 0, 12_500, 1, 9),
        sale(2, 0, 0, 7_250, 2, 9),
        sale(3, 1, 0, 20_000, 1, 10),
        sale(4, 1, 2, 99_000, 1, 10),
        sale(5, 2, 1, 5_000, 2, 11),
    ];
    let entries = vec![
        CashEntryRecord {
            id: "e1".into(),
            shift_id: "shift-1".into(),
            kind: "in".into(),
            amount: "10.000".into(),
            reason: "change".into(),
            created_at: "2026-12-03T09:00:00.000Z".into(),
            created_by: None,
        },
        CashEntryRecord {
            id: "e2".into(),
            shift_id: "shift-1".into(),
            kind: "out".into(),
            amount: "3.000".into(),
            reason: "milk".into(),
            created_at: "2026-12-03T09:30:00.000Z".into(),
            created_by: None,
        },
    ];
    let refunds = vec![ShiftRefundRow {
        sale_id: "sale-5".into(),
        amount: "5.000".into(),
        currency_code: "KWD".into(),
        method: "link".into(),
        pg_codes: vec!["knet".into(), "cc".into()],
        created_at: "2026-12-03T11:30:00.000Z".into(),
    }];
    let report = compute(ReportInput {
        kind: ReportKind::Z,
        shift: &shift,
        sales: &sales,
        refunds: &refunds,
        entries: &entries,
        counted_cash: Some("76.000"),
        generated_at: "2026-12-03T12:00:00.000Z",
    });
    // 50 + 12.5 + 7.25 + 10 − 3 = 76.75; counted 76: 0.75 missing.
    assert_eq!(report.cash.expected, "76.750");
    assert_eq!(report.cash.variance.as_deref(), Some("-0.750"));
    assert_eq!(report.cash.cash_sales, "19.750");
    assert_eq!(report.not_taken_count, 1);
    let methods: Vec<_> = report
        .by_method
        .iter()
        .map(|m| {
            (
                m.method.as_str(),
                m.gateway.as_deref(),
                m.count,
                m.total.as_str(),
            )
        })
        .collect();
    assert_eq!(
        methods,
        [
            ("cash", None, 2, "19.750"),
            ("link", Some("knet"), 1, "20.000"),
            ("link", Some("knet+cc"), 1, "5.000"),
        ]
    );
    assert_eq!(report.refunds.len(), 1);
    assert_eq!(report.refunds[0].total, "5.000");
    let hours: Vec<_> = report
        .hourly
        .iter()
        .map(|h| (h.hour.as_str(), h.count))
        .collect();
    assert_eq!(
        hours,
        [
            ("2026-12-03T09", 2),
            ("2026-12-03T10", 1),
            ("2026-12-03T11", 1)
        ]
    );
    let csv = to_csv(&report).unwrap();
    assert!(csv.contains("cash,variance,,KWD,,-0.750"), "{csv}");
    assert!(csv.contains("method,link,knet+cc,KWD,1,5.000"), "{csv}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert!(reader.records().all(|r| r.unwrap().len() == 6));
}

#[test]
fn discounts_and_vat_by_rate_come_from_taken_itemised_sales() {
    let shift = shift("0.000");
    let with_lines = |i, state, lines: &[LineSpec]| ShiftSaleRow {
        cart: Some(cart(lines)),
        ..sale(i, 1, state, 10_000, 1, 9)
    };
    let sales = vec![
        // Paid: 0.500 off the first line, 0.250 of the sale's discount on the second.
        with_lines(1, 0, &[(1, 500, 0, 4_000, 200), (2, 0, 250, 2_000, 300)]),
        // Paid, no discount, a second sale at 5 %.
        with_lines(2, 0, &[(1, 0, 0, 1_000, 50)]),
        // Failed: neither its discount nor its VAT counts.
        with_lines(3, 2, &[(1, 9_000, 0, 9_000, 450)]),
        // By amount: no lines.
        sale(4, 0, 0, 3_000, 1, 9),
    ];
    let report = compute(ReportInput {
        kind: ReportKind::X,
        shift: &shift,
        sales: &sales,
        refunds: &[],
        entries: &[],
        counted_cash: None,
        generated_at: "2026-12-03T12:00:00.000Z",
    });
    assert_eq!(
        report.discounts,
        [DiscountTotal {
            currency_code: "KWD".into(),
            count: 1,
            total: "0.750".into(),
        }]
    );
    let vat: Vec<_> = report
        .vat
        .iter()
        .map(|v| (v.rate, v.count, v.taxable.as_str(), v.tax.as_str()))
        .collect();
    assert_eq!(vat, [(5, 2, "5.000", "0.250"), (15, 1, "2.000", "0.300")]);
    let csv = to_csv(&report).unwrap();
    assert!(csv.contains("discount,,,KWD,1,0.750"), "{csv}");
    assert!(csv.contains("vat,5,5.000,KWD,2,0.250"), "{csv}");
    assert!(csv.contains("vat,15,2.000,KWD,1,0.300"), "{csv}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn totals_match_an_independent_sum(
        float in 0i128..10_000_000,
        sales in prop::collection::vec(
            (0usize..3, 0usize..5, 1i128..100_000_000, 0usize..4, 0u32..24),
            0..40,
        ),
        entries in prop::collection::vec((any::<bool>(), 1i128..10_000_000), 0..10),
        refunds in prop::collection::vec((0usize..3, 1i128..1_000_000), 0..5),
        counted in 0i128..200_000_000,
        carts in prop::collection::vec(
            prop::option::of(prop::collection::vec(
                (0usize..3, 0i128..5_000, 0i128..5_000, 0i128..1_000_000, 0i128..150_000),
                1..5,
            )),
            40,
        ),
    ) {
        let shift = shift(&kwd(float));
        let rows: Vec<_> = sales
            .iter()
            .enumerate()
            .map(|(i, &(m, s, f, st, h))| ShiftSaleRow {
                cart: carts[i].as_deref().map(cart),
                ..sale(i, m, s, f, st, h)
            })
            .collect();
        let entry_rows: Vec<_> = entries
            .iter()
            .enumerate()
            .map(|(i, &(is_in, fils))| CashEntryRecord {
                id: format!("e{i}"),
                shift_id: "shift-1".into(),
                kind: if is_in { "in" } else { "out" }.into(),
                amount: kwd(fils),
                reason: "r".into(),
                created_at: "2026-12-03T09:00:00.000Z".into(),
                created_by: None,
            })
            .collect();
        let refund_rows: Vec<_> = refunds
            .iter()
            .map(|&(m, fils)| ShiftRefundRow {
                sale_id: "x".into(),
                amount: kwd(fils),
                currency_code: "KWD".into(),
                method: LINKS[m].0.into(),
                pg_codes: LINKS[m].1.iter().map(|c| c.to_string()).collect(),
                created_at: "2026-12-03T10:00:00.000Z".into(),
            })
            .collect();
        let report = compute(ReportInput {
            kind: ReportKind::Z,
            shift: &shift,
            sales: &rows,
            refunds: &refund_rows,
            entries: &entry_rows,
            counted_cash: Some(&kwd(counted)),
            generated_at: "2026-12-03T23:00:00.000Z",
        });

        let taken = |s: usize| s < 2;
        let cash_sales: i128 = sales.iter().filter(|x| x.0 == 0 && taken(x.1)).map(|x| x.2).sum();
        let all_taken: i128 = sales.iter().filter(|x| taken(x.1)).map(|x| x.2).sum();
        let taken_count = sales.iter().filter(|x| taken(x.1)).count() as u32;
        let cash_refunds: i128 = refunds.iter().filter(|r| r.0 == 0).map(|r| r.1).sum();
        let ins: i128 = entries.iter().filter(|e| e.0).map(|e| e.1).sum();
        let outs: i128 = entries.iter().filter(|e| !e.0).map(|e| e.1).sum();
        let expected = float + cash_sales - cash_refunds + ins - outs;

        prop_assert_eq!(&report.cash.cash_sales, &kwd(cash_sales));
        prop_assert_eq!(&report.cash.expected, &kwd(expected));
        prop_assert_eq!(report.cash.variance, Some(kwd(counted - expected)));
        prop_assert_eq!(report.not_taken_count as usize, sales.len() - taken_count as usize);

        let fils = |text: &str| -> i128 { text.replace('.', "").parse().unwrap() };
        for (lines_count, lines_total) in [
            (
                report.by_method.iter().map(|l| l.count).sum::<u32>(),
                report.by_method.iter().map(|l| fils(&l.total)).sum::<i128>(),
            ),
            (
                report.by_staff.iter().map(|l| l.count).sum::<u32>(),
                report.by_staff.iter().map(|l| fils(&l.total)).sum::<i128>(),
            ),
            (
                report.hourly.iter().map(|l| l.count).sum::<u32>(),
                report.hourly.iter().map(|l| fils(&l.total)).sum::<i128>(),
            ),
        ] {
            prop_assert_eq!(lines_count, taken_count);
            prop_assert_eq!(lines_total, all_taken);
        }
        let refunded: i128 = report.refunds.iter().map(|l| fils(&l.total)).sum();
        prop_assert_eq!(refunded, refunds.iter().map(|r| r.1).sum::<i128>());

        // Discounts and VAT: only taken sales with lines, summed here from the generated lines.
        let taken_lines: Vec<&Vec<LineSpec>> = sales
            .iter()
            .zip(&carts)
            .filter(|(s, _)| taken(s.1))
            .filter_map(|(_, c)| c.as_ref())
            .collect();
        let discounted: Vec<i128> = taken_lines
            .iter()
            .map(|lines| lines.iter().map(|l| l.1 + l.2).sum::<i128>())
            .filter(|d| *d > 0)
            .collect();
        let discount_lines: Vec<_> = report
            .discounts
            .iter()
            .map(|d| (d.currency_code.as_str(), d.count as usize, fils(&d.total)))
            .collect();
        if discounted.is_empty() {
            prop_assert!(discount_lines.is_empty());
        } else {
            prop_assert_eq!(
                discount_lines,
                vec![("KWD", discounted.len(), discounted.iter().sum::<i128>())]
            );
        }
        for (i, rate) in RATES.iter().enumerate() {
            let at: Vec<&LineSpec> = taken_lines
                .iter()
                .flat_map(|lines| lines.iter().filter(|l| l.0 == i))
                .collect();
            let sales_at = taken_lines.iter().filter(|lines| lines.iter().any(|l| l.0 == i)).count();
            let line = report.vat.iter().find(|v| v.rate == *rate);
            match line {
                None => prop_assert_eq!(sales_at, 0),
                Some(line) => {
                    prop_assert_eq!(line.count as usize, sales_at);
                    prop_assert_eq!(fils(&line.taxable), at.iter().map(|l| l.3).sum::<i128>());
                    prop_assert_eq!(fils(&line.tax), at.iter().map(|l| l.4).sum::<i128>());
                }
            }
        }
    }
}
