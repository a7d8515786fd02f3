//! `POST /b/pbl/v2/payment-methods/`: the gateway list.

use ottu_checkout::checkout::{CheckoutType, GatewayOperation};
use ottu_checkout::payment_methods::PaymentMethodsQuery;
use ottu_checkout::{CurrencyCode, Error};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{api_key_header, fixture_json, spawn};

const PM_PATH: &str = "/b/pbl/v2/payment-methods/";

fn query() -> PaymentMethodsQuery {
    PaymentMethodsQuery::new(CheckoutType::PaymentRequest).currency(CurrencyCode::KWD)
}

#[tokio::test]
async fn lists_gateways_for_a_currency() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(PM_PATH))
        .and(header("authorization", api_key_header().as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(fixture_json("payment_methods_request.json")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture_json("payment_methods_response.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;

    let list = api.client.payment_methods().list(&query()).await.unwrap();

    assert_eq!(list.payment_methods.len(), 2);
    let cc = &list.payment_methods[1];
    assert_eq!(cc.code.as_str(), "credit-card");
    assert_eq!(cc.operation, Some(GatewayOperation::Purchase));
    assert_eq!(cc.payment_services[0].name_ar.as_deref(), Some("أبل باي"));
    assert!(cc.accepts(&CurrencyCode::BHD));
    assert!(!list.payment_methods[0].accepts(&CurrencyCode::USD));
}

#[tokio::test]
async fn field_error_and_forbidden() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(PM_PATH))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(fixture_json("payment_methods_error_400.json")),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&api.server)
        .await;
    Mock::given(method("POST"))
        .and(path(PM_PATH))
        .respond_with(ResponseTemplate::new(403).set_body_json(fixture_json("error_403.json")))
        .mount(&api.server)
        .await;

    let err = api
        .client
        .payment_methods()
        .list(&query())
        .await
        .unwrap_err();
    assert_eq!(
        err.field_errors().unwrap().messages("plugin"),
        vec!["This field is required."]
    );
    let err = api
        .client
        .payment_methods()
        .list(&query())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }));
}

#[tokio::test]
async fn is_retried_after_a_5xx() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(PM_PATH))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&api.server)
        .await;
    Mock::given(method("POST"))
        .and(path(PM_PATH))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture_json("payment_methods_response.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    assert_eq!(
        api.client
            .payment_methods()
            .list(&query())
            .await
            .unwrap()
            .payment_methods
            .len(),
        2
    );
}
