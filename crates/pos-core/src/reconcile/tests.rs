use ottu_checkout::CurrencyCode;
use ottu_checkout::reports::parse_report;

use super::*;

fn sale(order_no: &str, amount: &str, state: &str, day: &str) -> TillSale {
    TillSale {
        order_no: order_no.to_owned(),
        session_id: None,
        amount: Amount::parse(amount, &CurrencyCode::KWD).unwrap(),
        currency_code: "KWD".to_owned(),
        state: state.to_owned(),
        day: day.to_owned(),
    }
}

fn rows(csv: &str) -> Vec<ReportRecord> {
    parse_report(csv.as_bytes()).unwrap().records
}

#[test]
fn every_kind_of_difference_is_found_and_other_tills_are_only_counted() {
    let ours = vec![
        sale("POS-T1-20261202-AAAAAA", "1.000", "paid", "2026-12-02"),
        sale("POS-T1-20261202-BBBBBB", "2.000", "paid", "2026-12-02"),
        sale("CASH-T1-20261202-CCCCCC", "3.000", "cod", "2026-12-02"),
        sale("POS-T1-20261202-DDDDDD", "4.000", "pending", "2026-12-02"),
        // Old number without a till id: still matched by its order number.
        sale("POS-20261201-EEEEEE", "5.000", "paid", "2026-12-02"),
        // Outside the range: neither compared nor missing.
        sale("POS-T1-20261130-FFFFFF", "6.000", "paid", "2026-11-30"),
    ];
    let ottu = rows(
        "order_no,amount,currency_code,state,created_at\n\
         POS-T1-20261202-AAAAAA,1.000,KWD,paid,2026-12-02 08:00:00\n\
         POS-T1-20261202-BBBBBB,2.500,KWD,paid,2026-12-02 08:01:00\n\
         POS-T1-20261202-DDDDDD,4.000,KWD,paid,2026-12-02 08:03:00\n\
         POS-20261201-EEEEEE,5.000,KWD,paid,2026-12-02 08:04:00\n\
         POS-T1-20261202-GGGGGG,7.000,KWD,paid,2026-12-02 09:00:00\n\
         POS-T2-20261202-HHHHHH,8.000,KWD,paid,2026-12-02 09:00:00\n\
         POS-20261202-IIIIII,9.000,KWD,paid,2026-12-02 09:00:00\n\
         POS-T1-20261203-JJJJJJ,9.000,KWD,paid,2026-12-03 00:00:01\n",
    );
    let result = compare("2026-12-01", "2026-12-02", "T1", &ours, &ottu);
    type Seen<'a> = (DifferenceKind, &'a str, Option<&'a str>, Option<&'a str>);
    let kinds: Vec<Seen<'_>> = result
        .differences
        .iter()
        .map(|d| {
            (
                d.kind,
                d.order_no.as_deref().unwrap(),
                d.ours.as_deref(),
                d.ottu.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                DifferenceKind::MissingAtOttu,
                "CASH-T1-20261202-CCCCCC",
                Some("3.000"),
                None
            ),
            (
                DifferenceKind::AmountDiffers,
                "POS-T1-20261202-BBBBBB",
                Some("2.000"),
                Some("2.500")
            ),
            (
                DifferenceKind::StateDiffers,
                "POS-T1-20261202-DDDDDD",
                Some("pending"),
                Some("paid")
            ),
            (
                DifferenceKind::MissingHere,
                "POS-T1-20261202-GGGGGG",
                None,
                Some("7.000")
            ),
        ]
    );
    assert_eq!(result.compared, 5);
    assert_eq!(result.matched, 2);
    assert_eq!(
        result.other_tills, 2,
        "T2's sale and an old number of no sale here"
    );
}

#[test]
fn a_sale_found_by_session_id_is_matched_without_an_order_number() {
    let mut ours = sale("POS-T1-20261202-AAAAAA", "1.000", "paid", "2026-12-02");
    ours.session_id = Some("abc".to_owned());
    let ottu = rows("session_id,amount,state,created_at\nabc,1.000,paid,2026-12-02 10:00:00\n");
    let result = compare("2026-12-02", "2026-12-02", "T1", &[ours], &ottu);
    assert!(result.differences.is_empty(), "{:?}", result.differences);
    assert_eq!(result.matched, 1);
}
