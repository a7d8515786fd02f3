//! History search, filters, today's totals and the CSV export.

use pos_core::dto::{HistoryQuery, SaleDraft, SaleState};

use crate::helpers::{draft, env};

#[tokio::test]
async fn history_searches_filters_and_totals_paid_sales_per_currency() {
    let env = env().await;
    let a = env
        .sales
        .create(SaleDraft {
            customer_name: Some("سارة الأحمد".into()),
            customer_phone: Some("99990001".into()),
            ..draft("0.100")
        })
        .await
        .unwrap();
    let b = env
        .sales
        .create(SaleDraft {
            customer_name: Some("Omar".into()),
            customer_email: Some("Omar@Example.com".into()),
            ..draft("0.200")
        })
        .await
        .unwrap();
    let c = env
        .sales
        .create(SaleDraft {
            currency_code: "USD".into(),
            pg_codes: Some(vec!["credit-card".into()]),
            ..draft("19.99")
        })
        .await
        .unwrap();
    env.sales.create(draft("5")).await.unwrap();
    for sale in [&a, &b, &c] {
        env.sandbox
            .pay(sale.session_id.as_deref().unwrap(), None)
            .await;
        env.sales.refresh(&sale.id).await.unwrap();
    }

    let all = env.sales.history(HistoryQuery::default()).await.unwrap();
    assert_eq!(all.sales.len(), 4);
    let kwd = all
        .today_paid
        .iter()
        .find(|t| t.currency_code == "KWD")
        .unwrap();
    assert_eq!((kwd.amount.as_str(), kwd.count), ("0.300", 2));
    let usd = all
        .today_paid
        .iter()
        .find(|t| t.currency_code == "USD")
        .unwrap();
    assert_eq!((usd.amount.as_str(), usd.count), ("19.99", 1));

    let find = |text: &str| HistoryQuery {
        text: Some(text.into()),
        ..Default::default()
    };
    let by_arabic = env.sales.history(find("الأحمد")).await.unwrap();
    assert_eq!(by_arabic.sales.len(), 1);
    assert_eq!(by_arabic.sales[0].id, a.id);
    assert_eq!(
        env.sales.history(find("omar@example")).await.unwrap().sales[0].id,
        b.id
    );
    assert_eq!(
        env.sales.history(find("9999 0001")).await.unwrap().sales[0].id,
        a.id
    );
    assert_eq!(
        env.sales
            .history(find(&c.order_no.to_lowercase()))
            .await
            .unwrap()
            .sales[0]
            .id,
        c.id
    );

    let open = env
        .sales
        .history(HistoryQuery {
            state: Some(SaleState::Created),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(open.sales.len(), 1);
    let today = pos_core::clock::today();
    let dated = |from: time::Date| HistoryQuery {
        from: Some(pos_core::clock::format_day(from)),
        to: Some(pos_core::clock::format_day(from)),
        ..Default::default()
    };
    assert_eq!(
        env.sales.history(dated(today)).await.unwrap().sales.len(),
        4
    );
    let yesterday = today.previous_day().unwrap();
    assert!(
        env.sales
            .history(dated(yesterday))
            .await
            .unwrap()
            .sales
            .is_empty()
    );
}

#[tokio::test]
async fn csv_export_writes_every_matching_sale_with_arabic_intact() {
    let env = env().await;
    env.sales
        .create(SaleDraft {
            customer_name: Some("سارة, \"VIP\"".into()),
            ..draft("12.5")
        })
        .await
        .unwrap();
    env.sales.create(draft("1")).await.unwrap();
    let path = env.dir.path().join("export.csv");
    let rows = env
        .sales
        .export_csv_to_path(&HistoryQuery::default(), &path)
        .await
        .unwrap();
    assert_eq!(rows, 2);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(text.matches("\r\n").count(), 3);
    assert!(text.contains("\"سارة, \"\"VIP\"\"\""));
    assert!(text.contains(",12.500,KWD,"));
}
