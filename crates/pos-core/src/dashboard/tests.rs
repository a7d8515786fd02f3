use time::macros::date;

use super::*;

fn sale(amount: &str, code: &str, method: &str, codes: &[&str], at: &str) -> DashboardSale {
    DashboardSale {
        amount: amount.into(),
        currency_code: code.into(),
        method: method.into(),
        pg_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        state: "paid".into(),
        created_at: at.into(),
    }
}

fn kuwait() -> Zone {
    Zone::from_posix_rule("<+03>-3").unwrap()
}

fn context(zone: &Zone, week_start: WeekStart) -> DashboardContext<'_> {
    DashboardContext {
        zone,
        // A Thursday.
        today: date!(2026 - 12 - 03),
        week_start,
        scope: DashboardScope::Shop,
        generated_at: "2026-12-03T12:00:00.000Z",
    }
}

#[test]
fn the_week_starts_on_the_shops_day() {
    let thursday = date!(2026 - 12 - 03);
    assert_eq!(
        week_start_on_or_before(thursday, WeekStart::Sunday),
        date!(2026 - 11 - 29)
    );
    assert_eq!(
        week_start_on_or_before(thursday, WeekStart::Monday),
        date!(2026 - 11 - 30)
    );
    assert_eq!(
        week_start_on_or_before(thursday, WeekStart::Saturday),
        date!(2026 - 11 - 28)
    );
    // The start day itself begins its own week.
    let sunday = date!(2026 - 11 - 29);
    assert_eq!(week_start_on_or_before(sunday, WeekStart::Sunday), sunday);
    assert_eq!(
        window(sunday, WeekStart::Sunday),
        (date!(2026 - 11 - 22), date!(2026 - 12 - 06))
    );
}

#[test]
fn a_sale_lands_on_its_local_hour_day_and_method() {
    let zone = kuwait();
    let sales = [
        // 23:30 UTC on the 2nd is 02:30 on the 3rd in Kuwait: today, hour 2.
        sale(
            "12.500",
            "KWD",
            "link",
            &["knet", "credit-card"],
            "2026-12-02T23:30:00.000Z",
        ),
        sale("2.250", "KWD", "cash", &[], "2026-12-03T10:05:00.000Z"),
        // 20:59 UTC on the 2nd is 23:59 on the 2nd: yesterday, not today.
        sale(
            "7.000",
            "KWD",
            "link",
            &["knet"],
            "2026-12-02T20:59:00.000Z",
        ),
        // Last week's Sunday.
        sale("100", "SAR", "link", &["mada"], "2026-11-22T09:00:00.000Z"),
    ];
    let refunds = [DashboardRefund {
        amount: "1.000".into(),
        currency_code: "KWD".into(),
        created_at: "2026-12-03T11:00:00.000Z".into(),
    }];
    let dashboard = compute(context(&zone, WeekStart::Sunday), &sales, &refunds);
    assert_eq!(dashboard.today, "2026-12-03");
    assert_eq!(dashboard.this_week_days[0], "2026-11-29");
    assert_eq!(dashboard.this_week_days[6], "2026-12-05");
    assert_eq!(dashboard.last_week_days[0], "2026-11-22");
    let codes: Vec<_> = dashboard
        .currencies
        .iter()
        .map(|c| c.currency_code.as_str())
        .collect();
    assert_eq!(codes, ["KWD", "SAR"]);
    let kwd = &dashboard.currencies[0];
    assert_eq!((kwd.paid_count, kwd.paid_total.as_str()), (2, "14.750"));
    assert_eq!((kwd.refund_count, kwd.refund_total.as_str()), (1, "1.000"));
    assert_eq!(kwd.net_total, "13.750");
    // 14.750 / 2 = 7.375.
    assert_eq!(kwd.average_sale, "7.375");
    assert_eq!(kwd.by_hour.len(), 24);
    assert_eq!(
        (kwd.by_hour[2].count, kwd.by_hour[2].total.as_str()),
        (1, "12.500")
    );
    assert_eq!(
        (kwd.by_hour[13].count, kwd.by_hour[13].total.as_str()),
        (1, "2.250")
    );
    assert_eq!(kwd.by_hour[23].total, "0.000");
    let methods: Vec<_> = kwd
        .by_method
        .iter()
        .map(|m| (m.method.as_str(), m.gateway.as_deref(), m.total.as_str()))
        .collect();
    assert_eq!(
        methods,
        [
            ("cash", None, "2.250"),
            ("link", Some("knet+credit-card"), "12.500")
        ]
    );
    // Wednesday the 2nd is day 3 of the week from Sunday, Thursday day 4.
    assert_eq!(kwd.this_week[3].total, "7.000");
    assert_eq!(kwd.this_week[4].total, "14.750");
    assert_eq!(kwd.this_week[5].total, "0.000");
    let sar = &dashboard.currencies[1];
    assert_eq!(sar.paid_count, 0);
    assert_eq!(sar.average_sale, "0.00");
    assert_eq!(
        (sar.last_week[0].count, sar.last_week[0].total.as_str()),
        (1, "100.00")
    );
}

#[test]
fn the_average_rounds_half_away_from_zero_to_the_currencys_decimals() {
    let zone = kuwait();
    let at = "2026-12-03T09:00:00.000Z";
    let sales = [
        sale("0.001", "KWD", "cash", &[], at),
        sale("0.002", "KWD", "cash", &[], at),
        sale("1", "JPY", "cash", &[], at),
        sale("2", "JPY", "cash", &[], at),
    ];
    let dashboard = compute(context(&zone, WeekStart::Monday), &sales, &[]);
    // 0.0015 → 0.002; 1.5 → 2.
    assert_eq!(dashboard.currencies[0].currency_code, "JPY");
    assert_eq!(dashboard.currencies[0].average_sale, "2");
    assert_eq!(dashboard.currencies[1].average_sale, "0.002");
}

#[test]
fn sales_not_taken_and_rows_outside_the_window_are_left_out() {
    let zone = kuwait();
    let mut pending = sale(
        "5.000",
        "KWD",
        "link",
        &["knet"],
        "2026-12-03T09:00:00.000Z",
    );
    pending.state = "pending".into();
    let mut refunded = sale(
        "3.000",
        "KWD",
        "link",
        &["knet"],
        "2026-12-03T09:00:00.000Z",
    );
    refunded.state = "refunded".into();
    let old = sale("9.000", "KWD", "cash", &[], "2026-11-01T09:00:00.000Z");
    let dashboard = compute(
        context(&zone, WeekStart::Sunday),
        &[pending, refunded, old],
        &[],
    );
    let kwd = &dashboard.currencies[0];
    assert_eq!((kwd.paid_count, kwd.paid_total.as_str()), (1, "3.000"));
    assert!(kwd.last_week.iter().all(|t| t.count == 0));
}
