//! Shifts through the till's own commands: the real demo engine and history file, real roles.

use crate::dto::{HistoryQuery, PaymentMethod, SaleDraft, SaleState};
use crate::error::Error;
use crate::problem::ProblemCode;
use crate::reports::ReportKind;
use crate::shifts::{CashEntryInput, CashEntryKind, CashSaleInput};
use crate::till::test_support::till;

fn cash(amount: &str, tendered: &str) -> CashSaleInput {
    CashSaleInput {
        amount: amount.into(),
        tendered: tendered.into(),
        note: None,
        cart: None,
    }
}

fn entry(kind: CashEntryKind, amount: &str, reason: &str) -> CashEntryInput {
    CashEntryInput {
        kind,
        amount: amount.into(),
        reason: reason.into(),
    }
}

fn code<T: std::fmt::Debug>(result: crate::error::Result<T>) -> ProblemCode {
    result.unwrap_err().problem().code
}

#[tokio::test]
async fn a_cashiers_day_from_float_to_z_report() {
    let (till, _root) = till();
    till.unlock("1111").unwrap();

    assert_eq!(
        code(till.cash_sale(cash("1", "1")).await),
        ProblemCode::NoOpenShift
    );
    assert!(till.current_shift().await.unwrap().is_none());
    let shift = till.open_shift("50").await.unwrap();
    assert_eq!(
        (shift.opening_float.as_str(), shift.currency_code.as_str()),
        ("50.000", "KWD")
    );
    assert_eq!(
        code(till.open_shift("10").await),
        ProblemCode::ShiftAlreadyOpen
    );

    let sold = till.cash_sale(cash("12.345", "20")).await.unwrap();
    assert_eq!(sold.change, "7.655");
    assert_eq!(sold.sale.state, SaleState::Paid);
    assert!(sold.sale.order_no.starts_with("CASH-"));
    assert!(sold.sale.session_id.is_none());
    // Nothing Ottu could refund, and a refund is refused before anything is sent.
    let stored = till.get_sale(&sold.sale.id).await.unwrap();
    assert!(stored.offered_operations.is_empty());
    let short = till.cash_sale(cash("12.345", "12")).await.unwrap_err();
    assert_eq!(
        short.field_errors()["tendered"][0].code,
        ProblemCode::TenderedShort
    );
    // The cash sale is in the same history as link sales.
    let link = till
        .create_sale(SaleDraft {
            amount: "2.500".into(),
            currency_code: "KWD".into(),
            ..SaleDraft::default()
        })
        .await
        .unwrap();
    let history = till.history(HistoryQuery::default()).await.unwrap();
    let ids: Vec<&str> = history.sales.iter().map(|s| s.id.as_str()).collect();
    assert!(ids.contains(&sold.sale.id.as_str()) && ids.contains(&link.id.as_str()));
    // Each says how it is paid, and the history filters on it.
    assert_eq!(
        (sold.sale.method, link.method),
        (PaymentMethod::Cash, PaymentMethod::Link)
    );
    for (method, only) in [
        (PaymentMethod::Cash, &sold.sale.id),
        (PaymentMethod::Link, &link.id),
    ] {
        let found = till
            .history(HistoryQuery {
                method: Some(method),
                ..HistoryQuery::default()
            })
            .await
            .unwrap();
        let found: Vec<(&str, PaymentMethod)> = found
            .sales
            .iter()
            .map(|s| (s.id.as_str(), s.method))
            .collect();
        assert_eq!(found, [(only.as_str(), method)]);
    }
    let none = till
        .history(HistoryQuery {
            method: Some(PaymentMethod::Split),
            ..HistoryQuery::default()
        })
        .await
        .unwrap();
    assert!(none.sales.is_empty());

    till.record_cash(entry(CashEntryKind::In, "10", "coins for change"))
        .await
        .unwrap();
    let blank = till
        .record_cash(entry(CashEntryKind::In, "abc", " "))
        .await
        .unwrap_err()
        .field_errors();
    assert!(blank.contains_key("amount") && blank.contains_key("reason"));
    assert!(matches!(
        till.record_cash(entry(CashEntryKind::Out, "5", "bank"))
            .await,
        Err(Error::NotAllowed(_))
    ));

    let x = till.shift_report(None, ReportKind::X).await.unwrap();
    assert_eq!(x.cash.expected, "72.345");
    assert_eq!(x.not_taken_count, 1, "the unpaid link");
    assert_eq!(x.by_method.len(), 1);
    assert_eq!(
        (x.by_method[0].method.as_str(), x.by_method[0].count),
        ("cash", 1)
    );
    assert_eq!(
        code(till.shift_report(None, ReportKind::Z).await),
        ProblemCode::NoOpenShift
    );
    assert_eq!(
        code(till.shift_report(Some(&shift.id), ReportKind::Z).await),
        ProblemCode::ShiftStillOpen
    );

    // A manager takes cash to the bank.
    till.unlock("2222").unwrap();
    let after = till
        .record_cash(entry(CashEntryKind::Out, "5", "bank"))
        .await
        .unwrap();
    assert_eq!(after.cash_entries.len(), 2);
    let refund = till
        .operate_sale(crate::dto::OperationInput {
            intent_id: "intent-cash-refund-1".into(),
            sale_id: sold.sale.id.clone(),
            kind: crate::dto::OperationKind::Refund,
            amount: None,
            approver_pin: None,
        })
        .await;
    assert_eq!(code(refund), ProblemCode::NoTransaction);

    // The cashier counts 67.000 of the 67.345 expected.
    till.unlock("1111").unwrap();
    let z = till.close_shift("67").await.unwrap();
    assert_eq!(z.kind, ReportKind::Z);
    assert_eq!(z.cash.expected, "67.345");
    assert_eq!(z.cash.counted.as_deref(), Some("67.000"));
    assert_eq!(z.cash.variance.as_deref(), Some("-0.345"));
    assert_eq!(
        till.shift_report(Some(&shift.id), ReportKind::Z)
            .await
            .unwrap(),
        z
    );
    assert_eq!(till.shift_report(None, ReportKind::Z).await.unwrap(), z);
    assert_eq!(
        code(till.shift_report(Some(&shift.id), ReportKind::X).await),
        ProblemCode::ShiftClosed
    );
    assert_eq!(
        code(till.cash_sale(cash("1", "1")).await),
        ProblemCode::NoOpenShift
    );
    assert!(
        crate::reports::to_csv(&z)
            .unwrap()
            .contains("cash,variance,,KWD,,-0.345")
    );

    till.unlock("2222").unwrap();
    let shifts = till.shifts(10).await.unwrap();
    assert_eq!(shifts[0].variance.as_deref(), Some("-0.345"));
    assert_eq!(shifts[0].closed_by.as_ref().unwrap().name, "Ali");
    till.shutdown().await;
}

#[tokio::test]
async fn only_a_manager_or_the_owner_closes_someone_elses_shift() {
    let (till, _root) = till();
    till.unlock("1234").unwrap();
    till.open_shift("0").await.unwrap();
    till.unlock("1111").unwrap();
    assert!(matches!(
        till.close_shift("0").await,
        Err(Error::NotAllowed(_))
    ));
    assert!(matches!(till.shifts(5).await, Err(Error::NotAllowed(_))));
    till.unlock("2222").unwrap();
    let z = till.close_shift("0").await.unwrap();
    assert_eq!(z.cash.variance.as_deref(), Some("0.000"));
    assert_eq!(z.closed_by.unwrap().name, "Mona");
    till.lock();
    assert!(matches!(till.open_shift("1").await, Err(Error::Locked)));
    till.shutdown().await;
}

#[tokio::test]
async fn a_report_is_saved_as_csv_with_its_cash_lines() {
    let (till, root) = till();
    till.unlock("1111").unwrap();
    let path = root.path().join("x.csv");
    assert_eq!(
        code(till.export_report_csv(None, ReportKind::X, &path).await),
        ProblemCode::NoOpenShift
    );
    assert!(!path.exists(), "nothing written without a report");

    till.open_shift("20").await.unwrap();
    till.cash_sale(cash("3.250", "5")).await.unwrap();
    let rows = till
        .export_report_csv(None, ReportKind::X, &path)
        .await
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(rows, text.lines().count() - 1, "rows exclude the header");
    assert!(text.starts_with("section,key,detail,currency,count,amount\n"));
    assert!(text.contains("report,X,"), "{text}");
    assert!(
        text.contains(",KWD,1,3.250"),
        "the cash sale's line: {text}"
    );
    assert!(text.contains("23.250"), "the expected drawer: {text}");

    let z = till.close_shift("23.000").await.unwrap();
    let zpath = root.path().join("z.csv");
    till.export_report_csv(Some(&z.shift_id), ReportKind::Z, &zpath)
        .await
        .unwrap();
    let ztext = std::fs::read_to_string(&zpath).unwrap();
    assert!(ztext.contains("report,Z,"), "{ztext}");
    assert!(ztext.contains("-0.250"), "the variance: {ztext}");
}

#[tokio::test]
async fn a_cash_sale_of_a_cart_keeps_its_lines_for_the_reports() {
    use crate::cart::{CartDiscount, CartInput, CartLineInput};
    let (till, _root) = till();
    till.unlock("1111").unwrap();
    till.open_shift("0").await.unwrap();
    let cart = CartInput {
        currency_code: "KWD".into(),
        lines: vec![
            CartLineInput {
                unit_price: Some("0.250".into()),
                quantity: Some("2".into()),
                vat_rate: Some(5),
                ..CartLineInput::default()
            },
            CartLineInput {
                unit_price: Some("1.050".into()),
                vat_rate: Some(15),
                ..CartLineInput::default()
            },
        ],
        discount: Some(CartDiscount::Percent("10".into())),
    };
    let totals = till.price_cart(cart.clone()).await.unwrap();
    let with_cart = |amount: &str, currency: &str| CashSaleInput {
        amount: amount.into(),
        tendered: "5".into(),
        note: None,
        cart: Some(CartInput {
            currency_code: currency.into(),
            ..cart.clone()
        }),
    };
    // A typed amount other than the cart's total, or a cart in another currency, is refused.
    assert_eq!(
        code(till.cash_sale(with_cart("1", "KWD")).await),
        ProblemCode::CartAmountMismatch
    );
    assert_eq!(
        code(till.cash_sale(with_cart("", "SAR")).await),
        ProblemCode::CashCartCurrency
    );
    let sold = till.cash_sale(with_cart("", "KWD")).await.unwrap();
    assert_eq!(sold.sale.amount, totals.total);
    assert_eq!(sold.sale.cart.as_ref(), Some(&totals));
    let x = till.shift_report(None, ReportKind::X).await.unwrap();
    assert_eq!(x.discounts.len(), 1);
    assert_eq!(x.discounts[0].total, totals.sale_discount);
    let vat: Vec<_> = x
        .vat
        .iter()
        .map(|v| (v.rate, v.taxable.clone(), v.tax.clone()))
        .collect();
    let expected: Vec<_> = totals
        .vat
        .iter()
        .map(|v| (v.rate, v.taxable.clone(), v.tax.clone()))
        .collect();
    assert_eq!(vat, expected);
    till.shutdown().await;
}
