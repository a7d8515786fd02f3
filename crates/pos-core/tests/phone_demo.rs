//! The phone demo, end to end: a phone on the shop's Wi-Fi scans the demo's QR, opens the hosted
//! page, pays with a test card, and the till turns Paid.
//!
//! The Wi-Fi is a network namespace this test makes itself: a veth pair with addresses of its
//! own (10.231.<n>.1 on this side, .2 in the namespace). "The phone" is this same test binary,
//! run inside the namespace (`phone_pays_the_link`), an HTTP client following the link. No
//! traffic goes to the machine's own network addresses or anywhere off this machine.
//!
//! Creating a namespace needs root: `make test` runs this as its own step (`phone demo`); a
//! plain `cargo test` skips it as ignored, and run without root it fails saying so.

use std::net::IpAddr;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pos_core::dto::{SaleDraft, SaleState};
use pos_core::secrets::MemorySecretStore;
use pos_core::{Till, TillDirs, TillOptions};

/// A namespace and veth pair, removed on drop (also when the test fails).
struct Wifi {
    namespace: String,
    host_link: String,
    till_address: IpAddr,
}

impl Wifi {
    fn new() -> Wifi {
        let n = std::process::id() % 200 + 20;
        let wifi = Wifi {
            namespace: format!("ottu-phone-{}", std::process::id()),
            host_link: format!("ottuph{n}a"),
            till_address: format!("10.231.{n}.1").parse().unwrap(),
        };
        let peer = format!("ottuph{n}b");
        let steps: Vec<Vec<String>> = vec![
            vec!["netns".into(), "add".into(), wifi.namespace.clone()],
            vec![
                "link".into(),
                "add".into(),
                wifi.host_link.clone(),
                "type".into(),
                "veth".into(),
                "peer".into(),
                "name".into(),
                peer.clone(),
            ],
            vec![
                "link".into(),
                "set".into(),
                peer.clone(),
                "netns".into(),
                wifi.namespace.clone(),
            ],
            vec![
                "addr".into(),
                "add".into(),
                format!("{}/24", wifi.till_address),
                "dev".into(),
                wifi.host_link.clone(),
            ],
            vec![
                "link".into(),
                "set".into(),
                wifi.host_link.clone(),
                "up".into(),
            ],
        ];
        for step in steps {
            ip(&step);
        }
        let inside = |args: &[String]| {
            let mut all = vec![
                "netns".into(),
                "exec".into(),
                wifi.namespace.clone(),
                "ip".into(),
            ];
            all.extend_from_slice(args);
            ip(&all);
        };
        inside(&[
            "addr".into(),
            "add".into(),
            format!("10.231.{n}.2/24"),
            "dev".into(),
            peer.clone(),
        ]);
        inside(&["link".into(), "set".into(), peer, "up".into()]);
        inside(&["link".into(), "set".into(), "lo".into(), "up".into()]);
        wifi
    }
}

impl Drop for Wifi {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["link", "del", &self.host_link])
            .status();
        let _ = Command::new("ip")
            .args(["netns", "del", &self.namespace])
            .status();
    }
}

fn ip(args: &[String]) {
    let output = Command::new("ip")
        .args(args)
        .output()
        .expect("`ip` (iproute2) runs");
    assert!(
        output.status.success(),
        "ip {}: {} (the phone demo test needs root and iproute2)",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs root for a network namespace: `make test` runs it (step `phone demo`)"]
async fn a_phone_on_the_wifi_pays_the_demo_qr_and_the_till_turns_paid() {
    let wifi = Wifi::new();
    let root = tempfile::tempdir().unwrap();
    let till = Till::open_with(
        TillDirs {
            config_dir: root.path().join("config"),
            data_dir: root.path().join("data"),
        },
        Arc::new(MemorySecretStore::new()),
        TillOptions {
            phone_demo_address: Some(wifi.till_address),
            ..TillOptions::default()
        },
    )
    .unwrap();
    let mut settings = till.app_state().await.unwrap().settings;
    assert!(!settings.phone_demo, "off by default");
    settings.phone_demo = true;
    till.save_settings(settings).await.unwrap();

    let sale = till
        .create_sale(SaleDraft {
            amount: "2.750".into(),
            currency_code: "KWD".into(),
            ..SaleDraft::default()
        })
        .await
        .unwrap();
    let link = sale.link.clone().unwrap();
    let phone_base = format!("http://{}:", wifi.till_address);
    assert!(
        link.starts_with(&phone_base),
        "the QR names the Wi-Fi address: {link}"
    );
    let state = till.app_state().await.unwrap();
    assert!(state.phone_demo_url.unwrap().starts_with(&phone_base));

    // The phone, inside the namespace: short link → hosted page → test card.
    let phone = Command::new("ip")
        .args(["netns", "exec", &wifi.namespace])
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", "phone_pays_the_link", "--ignored", "--nocapture"])
        .env("PHONE_LINK", &link)
        .output()
        .unwrap();
    assert!(
        phone.status.success(),
        "the phone could not pay:\n{}\n{}",
        String::from_utf8_lossy(&phone.stdout),
        String::from_utf8_lossy(&phone.stderr)
    );

    // The till sees it paid.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let now = till.check_sale(&sale.id).await.unwrap();
        if now.state == SaleState::Paid {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still {} after the phone paid",
            now.state
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Turning it off serves the pages on loopback only again.
    let mut settings = till.app_state().await.unwrap().settings;
    settings.phone_demo = false;
    till.save_settings(settings).await.unwrap();
    let again = till
        .create_sale(SaleDraft {
            amount: "1".into(),
            currency_code: "KWD".into(),
            ..SaleDraft::default()
        })
        .await
        .unwrap();
    assert!(again.link.unwrap().starts_with("http://127.0.0.1:"));
    till.shutdown().await;
    drop(wifi);
}

/// "The phone": run by the test above inside the namespace, never on its own.
#[tokio::test]
#[ignore = "the phone half of the phone demo test; run inside its namespace"]
async fn phone_pays_the_link() {
    let link = std::env::var("PHONE_LINK").expect("PHONE_LINK names the scanned link");
    let client = reqwest::Client::new();
    let page = client.get(&link).send().await.expect("the link answers");
    let final_url = page.url().clone();
    assert!(page.status().is_success(), "{}", page.status());
    let html = page.text().await.unwrap();
    assert!(html.contains("2.750"), "the hosted page shows the amount");
    let session_id = final_url
        .query_pairs()
        .find(|(k, _)| k == "session_id")
        .map(|(_, v)| v.into_owned())
        .expect("the checkout page names its session");
    let origin = format!(
        "{}://{}:{}",
        final_url.scheme(),
        final_url.host_str().unwrap(),
        final_url.port().unwrap()
    );
    let paid = client
        .post(format!("{origin}/b/checkout/redirect/pay"))
        .form(&[
            ("session_id", session_id.as_str()),
            ("card_number", "4111 1111 1111 1111"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        paid.status().is_success() || paid.status().is_redirection(),
        "{}",
        paid.status()
    );
    // The till's API and the sandbox's control routes are not reachable from the Wi-Fi.
    for path in ["/_sandbox/clock", "/b/checkout/v1/pymt-txn/"] {
        let status = client
            .get(format!("{origin}{path}"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 404, "{path}");
    }
}
