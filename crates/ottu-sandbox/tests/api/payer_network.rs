//! The payer's pages on a second address (`SandboxConfig::payer_listen`), as a phone on the
//! shop's Wi-Fi reaches them: returned links use it, it serves the hosted checkout, short links
//! and QR images, and nothing else: no Ottu API, no control routes, no docs. 127.0.0.2 stands in
//! for the local-network address (loopback: tests never send traffic off this machine).

use ottu_sandbox::test_support::spawn_sandbox_with;
use serde_json::json;

#[tokio::test]
async fn the_payer_address_serves_the_payment_pages_and_nothing_else() {
    let sandbox = spawn_sandbox_with(|config| {
        config.payer_listen = Some("127.0.0.2:0".parse().unwrap());
    })
    .await;
    let payer = sandbox.handle().payer_addr().expect("bound");
    let payer_base = format!("http://{payer}");
    let created = sandbox
        .create_payment_request(
            "3.500",
            json!({"shortify_checkout_url": true, "generate_qr_code": true}),
        )
        .await;
    let short = created["checkout_short_url"].as_str().unwrap();
    let checkout = created["checkout_url"].as_str().unwrap();
    assert!(short.starts_with(&payer_base), "{short}");
    assert!(checkout.starts_with(&payer_base), "{checkout}");
    assert!(
        created["qr_code_url"]
            .as_str()
            .unwrap()
            .starts_with(&payer_base)
    );

    // The phone follows the short link to the hosted page and pays with the test card.
    let phone = reqwest::Client::new();
    let page = phone.get(short).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("3.500"), "the hosted page shows the amount");
    let sid = created["session_id"].as_str().unwrap();
    let paid = phone
        .post(format!("{payer_base}/b/checkout/redirect/pay"))
        .form(&[("session_id", sid), ("card_number", "4111 1111 1111 1111")])
        .send()
        .await
        .unwrap();
    assert!(paid.status().is_success() || paid.status().is_redirection());
    assert_eq!(sandbox.session(sid).await["state"], "paid");
    let qr = phone
        .get(created["qr_code_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(qr.status(), 200);

    // Ottu's API, the control routes and the docs are not there.
    for (method, path) in [
        ("POST", "/b/checkout/v1/pymt-txn/"),
        ("GET", &format!("/b/checkout/v1/pymt-txn/{sid}/") as &str),
        ("POST", "/b/pbl/v2/operation/"),
        ("GET", "/_sandbox/clock"),
        ("POST", "/_sandbox/clock/advance"),
        ("GET", "/openapi.json"),
    ] {
        let response = phone
            .request(method.parse().unwrap(), format!("{payer_base}{path}"))
            .header("Authorization", sandbox.api_key_header())
            .json(&json!({"seconds": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method} {path}");
    }
    // The loopback address still has them.
    let clock = reqwest::get(format!("{}/_sandbox/clock", sandbox.base_url()))
        .await
        .unwrap();
    assert_eq!(clock.status(), 200);
}
