//! The dashboard through the till: real demo engine, real history file, real roles.

use crate::dashboard::DashboardScope;
use crate::error::Error;
use crate::settings::WeekStart;
use crate::shifts::CashSaleInput;
use crate::till::test_support::till;

fn cash(amount: &str) -> CashSaleInput {
    CashSaleInput {
        amount: amount.into(),
        tendered: amount.into(),
        note: None,
        cart: None,
    }
}

#[tokio::test]
async fn a_cashier_sees_their_own_sales_and_a_manager_the_shops() {
    let (till, _root) = till();
    till.lock();
    let locked = till.dashboard().await;
    assert!(matches!(locked, Err(Error::Locked)), "{locked:?}");

    till.unlock("1111").unwrap();
    till.open_shift("0").await.unwrap();
    till.cash_sale(cash("5")).await.unwrap();
    till.cash_sale(cash("1.250")).await.unwrap();
    till.unlock("2222").unwrap();
    till.cash_sale(cash("2.500")).await.unwrap();

    let shop = till.dashboard().await.unwrap();
    assert_eq!(shop.scope, DashboardScope::Shop);
    assert_eq!(shop.week_start, WeekStart::Sunday);
    let kwd = &shop.currencies[0];
    assert_eq!(kwd.currency_code, "KWD");
    assert_eq!((kwd.paid_count, kwd.paid_total.as_str()), (3, "8.750"));
    assert_eq!(kwd.average_sale, "2.917");
    assert_eq!(kwd.by_method.len(), 1);
    assert_eq!(
        (
            kwd.by_method[0].method.as_str(),
            kwd.by_method[0].total.as_str()
        ),
        ("cash", "8.750")
    );
    let today = shop
        .this_week_days
        .iter()
        .position(|d| *d == shop.today)
        .unwrap();
    assert_eq!(kwd.this_week[today].total, "8.750");
    let hours: u32 = kwd.by_hour.iter().map(|t| t.count).sum();
    assert_eq!(hours, 3);

    till.unlock("1111").unwrap();
    let own = till.dashboard().await.unwrap();
    assert_eq!(own.scope, DashboardScope::Own);
    let kwd = &own.currencies[0];
    assert_eq!((kwd.paid_count, kwd.paid_total.as_str()), (2, "6.250"));
    assert_eq!(kwd.average_sale, "3.125");
}

#[tokio::test]
async fn the_week_follows_the_shops_week_start_setting() {
    let (till, _root) = till();
    till.unlock("1234").unwrap();
    let mut settings = till.app_state().await.unwrap().settings;
    settings.week_start = WeekStart::Monday;
    till.save_settings(settings).await.unwrap();
    let dashboard = till.dashboard().await.unwrap();
    assert_eq!(dashboard.week_start, WeekStart::Monday);
    let first = crate::clock::parse_day(&dashboard.this_week_days[0]).unwrap();
    assert_eq!(first.weekday(), time::Weekday::Monday);
    assert!(dashboard.currencies.is_empty());
}
