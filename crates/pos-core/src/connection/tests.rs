use super::*;

#[test]
fn transport_texts_split_into_bad_host_and_no_network() {
    let refused = ottu_checkout::Error::Transport {
        message: "error sending request: client error (Connect): tcp connect error: \
                      Connection refused (os error 111)"
            .to_owned(),
        connect: true,
    };
    let unreachable = ottu_checkout::Error::Transport {
        message: "client error (Connect): tcp connect error: Network is unreachable (os \
                      error 101)"
            .to_owned(),
        connect: true,
    };
    let dns_offline = ottu_checkout::Error::Transport {
        message: "dns error: failed to lookup address information: Temporary failure in \
                      name resolution"
            .to_owned(),
        connect: true,
    };
    let dns_unknown = ottu_checkout::Error::Transport {
        message: "dns error: failed to lookup address information: Name or service not known"
            .to_owned(),
        connect: true,
    };
    let kind = |e| classify_error("https://x.ottu.net", AuthKind::ApiKey, &e).kind;
    assert_eq!(kind(refused), CheckKind::BadHost);
    assert_eq!(kind(unreachable), CheckKind::NoNetwork);
    assert_eq!(kind(dns_offline), CheckKind::NoNetwork);
    assert_eq!(kind(dns_unknown), CheckKind::BadHost);
    assert_eq!(kind(ottu_checkout::Error::Timeout), CheckKind::NoNetwork);
}

// ----- against real servers -----

use ottu_sandbox::test_support::{TEST_API_KEY, TEST_PASSWORD};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const QUICK: Duration = Duration::from_millis(700);

fn api_key_target(base_url: &str, key: &str) -> ConnectionTarget {
    ConnectionTarget {
        base_url: base_url.to_owned(),
        auth: AuthKind::ApiKey,
        username: None,
        secret: Secret::new(key),
        currency: CurrencyCode::KWD,
    }
}

fn basic_target(base_url: &str, username: &str) -> ConnectionTarget {
    ConnectionTarget {
        auth: AuthKind::Basic,
        username: Some(username.to_owned()),
        secret: Secret::new(TEST_PASSWORD),
        ..api_key_target(base_url, "")
    }
}

#[tokio::test]
async fn a_good_api_key_connects_and_lists_the_gateways() {
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let check = check_connection(
        &api_key_target(sandbox.base_url(), TEST_API_KEY),
        DEFAULT_CHECK_TIMEOUT,
    )
    .await;
    assert_eq!(check.kind, CheckKind::Ok, "{}", check.message);
    assert!(check.ok);
    assert!(check.message.contains("KNET"), "{}", check.message);
}

#[tokio::test]
async fn a_wrong_api_key_is_bad_credentials_and_is_not_echoed() {
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let check = check_connection(
        &api_key_target(sandbox.base_url(), "wrong123.notthekeyatall00000000000000"),
        DEFAULT_CHECK_TIMEOUT,
    )
    .await;
    assert_eq!(check.kind, CheckKind::BadCredentials, "{}", check.message);
    assert!(!check.message.contains("wrong123"), "{}", check.message);
}

#[tokio::test]
async fn a_wrong_password_is_bad_credentials() {
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let mut target = basic_target(sandbox.base_url(), "cashier");
    target.secret = Secret::new("not-the-password");
    let check = check_connection(&target, DEFAULT_CHECK_TIMEOUT).await;
    assert_eq!(check.kind, CheckKind::BadCredentials, "{}", check.message);
    assert!(check.message.contains("password"), "{}", check.message);
}

#[tokio::test]
async fn a_basic_user_with_a_gateway_permission_connects() {
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let check = check_connection(
        &basic_target(sandbox.base_url(), "cashier"),
        DEFAULT_CHECK_TIMEOUT,
    )
    .await;
    assert_eq!(check.kind, CheckKind::Ok, "{}", check.message);
}

#[tokio::test]
async fn a_basic_users_invoice_permission_is_checked_without_creating_one() {
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let invoicer = check_connection(
        &basic_target(sandbox.base_url(), "invoicer"),
        DEFAULT_CHECK_TIMEOUT,
    )
    .await;
    assert_eq!(
        (invoicer.kind, invoicer.can_invoice),
        (CheckKind::Ok, Some(true)),
        "{}",
        invoicer.message
    );
    let cashier = check_connection(
        &basic_target(sandbox.base_url(), "cashier"),
        DEFAULT_CHECK_TIMEOUT,
    )
    .await;
    assert_eq!(
        (cashier.kind, cashier.can_invoice),
        (CheckKind::Ok, Some(false))
    );
    assert!(
        cashier.message.contains("Can add Invoice"),
        "{}",
        cashier.message
    );
    let key = check_connection(
        &api_key_target(sandbox.base_url(), TEST_API_KEY),
        DEFAULT_CHECK_TIMEOUT,
    )
    .await;
    assert_eq!((key.kind, key.can_invoice), (CheckKind::Ok, None));
}

#[tokio::test]
async fn a_user_without_gateway_permissions_is_missing_permission() {
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    for user in ["nogateway", "viewer"] {
        let check = check_connection(
            &basic_target(sandbox.base_url(), user),
            DEFAULT_CHECK_TIMEOUT,
        )
        .await;
        assert_eq!(
            check.kind,
            CheckKind::MissingPermission,
            "{user}: {}",
            check.message
        );
        assert!(check.message.contains("Can use"), "{}", check.message);
    }
}

#[tokio::test]
async fn a_closed_port_is_a_bad_host() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let check = check_connection(
        &api_key_target(&format!("http://127.0.0.1:{port}"), TEST_API_KEY),
        QUICK,
    )
    .await;
    assert_eq!(check.kind, CheckKind::BadHost, "{}", check.message);
}

/// A web server that is not Ottu: answers every request with `status` and an HTML page.
async fn plain_web_server(status: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                let body = "<html><body>It works!</body></html>";
                let response = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    url
}

#[tokio::test]
async fn a_web_server_that_is_not_ottu_is_a_bad_host() {
    for status in ["404 Not Found", "200 OK"] {
        let url = plain_web_server(status).await;
        let check = check_connection(&api_key_target(&url, TEST_API_KEY), QUICK).await;
        assert_eq!(
            check.kind,
            CheckKind::BadHost,
            "{status}: {}",
            check.message
        );
        assert!(
            check.message.contains("not like an Ottu server"),
            "{}",
            check.message
        );
    }
}

#[tokio::test]
async fn a_server_that_never_answers_is_no_network() {
    // Accepts connections and then stays silent, like a dropped route would.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let _silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let started = std::time::Instant::now();
    let check = check_connection(&api_key_target(&url, TEST_API_KEY), QUICK).await;
    assert_eq!(check.kind, CheckKind::NoNetwork, "{}", check.message);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the timeout applies"
    );
}

#[test]
fn the_check_json_uses_the_contract_names() {
    let check = ConnectionCheck::new(CheckKind::MissingPermission, "x");
    assert_eq!(
        serde_json::to_value(check).unwrap(),
        serde_json::json!({"ok": false, "kind": "missing_permission", "message": "x"})
    );
}
