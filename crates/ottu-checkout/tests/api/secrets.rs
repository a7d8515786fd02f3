//! Credentials never show up in `Debug`/`Display` of the client or of any error.

use std::time::Duration;

use ottu_checkout::{Auth, Client, SessionId};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{SESSION_ID, fixture_json, spawn_with};

const KEY: &str = "SeCrEt42.TOPSECRETVALUE0123456789abcdef";
const PASSWORD: &str = "hunter2-TOPSECRETVALUE";

fn assert_hidden(text: &str) {
    assert!(!text.contains("TOPSECRETVALUE"), "secret leaked: {text}");
}

#[tokio::test]
async fn client_debug_hides_every_kind_of_secret() {
    for auth in [
        Auth::api_key(KEY),
        Auth::basic("cashier", PASSWORD),
        Auth::bearer(KEY),
    ] {
        assert_hidden(&format!("{auth:?}"));
        let client = Client::builder()
            .base_url("https://merchant.ottu.net")
            .auth(auth)
            .build()
            .unwrap();
        assert_hidden(&format!("{client:?}"));
    }
}

#[tokio::test]
async fn errors_never_contain_the_secret() {
    let api = spawn_with(Auth::api_key(KEY), Duration::from_millis(300)).await;
    Mock::given(method("GET"))
        .and(path(format!("/b/checkout/v1/pymt-txn/{SESSION_ID}/")))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(fixture_json("error_401_invalid.json")),
        )
        .mount(&api.server)
        .await;
    let sid = SessionId::parse(SESSION_ID).unwrap();
    let err = api.client.checkout().retrieve(&sid).await.unwrap_err();
    assert_hidden(&format!("{err} {err:?}"));

    // Transport failure: a closed port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .basic_auth("cashier", PASSWORD)
        .retry_policy(ottu_checkout::RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.checkout().retrieve(&sid).await.unwrap_err();
    assert_hidden(&format!("{err} {err:?}"));

    // Configuration errors about the credential do not echo it.
    let err = Client::builder()
        .base_url("https://merchant.ottu.net")
        .api_key(format!("{KEY}\n"))
        .build()
        .unwrap_err();
    assert_hidden(&format!("{err} {err:?}"));
}

fn assert_send<T: Send>(_: &T) {}

#[test]
fn client_and_call_futures_are_send_and_sync() {
    fn assert_sync<T: Send + Sync>() {}
    assert_sync::<Client>();
    assert_sync::<ottu_checkout::Error>();
    let client = Client::new("https://merchant.ottu.net", Auth::api_key(KEY)).unwrap();
    let sid = SessionId::parse(SESSION_ID).unwrap();
    let request = crate::create::pos_request();
    // Built, never polled: only the types are checked.
    assert_send(&client.checkout().create(&request));
    assert_send(&client.checkout().retrieve(&sid));
    assert_send(&client.operations().cancel(sid.clone()));
    assert_send(&client.inquiry().status(sid));
}
