use super::*;

#[test]
fn generated_keys_have_the_ottu_shape_and_differ() {
    let a = generate_api_key();
    let b = generate_api_key();
    assert_ne!(a, b);
    let (prefix, rest) = a.split_once('.').unwrap();
    assert_eq!((prefix.len(), rest.len()), (8, 32));
    assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '.'));
}

#[test]
fn picked_ports_come_from_the_stable_range_when_free() {
    let port = pick_free_port();
    assert!(STABLE_PORT_RANGE.contains(&port), "{port}");
    assert!(port_is_free(port));
}

async fn gateway_count(demo: &Demo) -> usize {
    let query = ottu_checkout::payment_methods::PaymentMethodsQuery::new(
        ottu_checkout::checkout::CheckoutType::PaymentRequest,
    );
    demo.client()
        .unwrap()
        .payment_methods()
        .list(&query)
        .await
        .expect("the demo answers with its own key")
        .payment_methods
        .len()
}

#[tokio::test]
async fn the_demo_keeps_its_port_and_key_across_restarts() {
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::start(data.path()).await.unwrap();
    assert!(demo.serves_here());
    let url = demo.base_url().to_owned();
    let key = demo.api_key().expose().to_owned();
    assert!(gateway_count(&demo).await > 0);
    assert_eq!(Demo::known_base_url(data.path()), Some(url.clone()));
    demo.shutdown().await;

    let again = Demo::start(data.path()).await.unwrap();
    assert_eq!(
        again.base_url(),
        url,
        "links handed out earlier keep working"
    );
    assert_eq!(again.api_key().expose(), key);
    assert!(gateway_count(&again).await > 0);
    again.shutdown().await;
}

#[tokio::test]
async fn a_second_till_joins_the_demo_another_one_serves() {
    let data = tempfile::tempdir().unwrap();
    let first = Demo::start(data.path()).await.unwrap();
    let second = Demo::start(data.path()).await.unwrap();
    assert!(first.serves_here());
    assert!(
        !second.serves_here(),
        "only one process serves the SQLite file"
    );
    assert_eq!(first.base_url(), second.base_url());
    assert!(gateway_count(&second).await > 0);
    second.shutdown().await;
    assert!(
        gateway_count(&first).await > 0,
        "letting go does not stop the server"
    );
    first.shutdown().await;
}

#[tokio::test]
async fn a_port_taken_by_another_program_moves_the_demo() {
    let data = tempfile::tempdir().unwrap();
    let stranger = TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = stranger.local_addr().unwrap().port();
    let dir = Demo::dir_in(data.path());
    write_state(
        &dir,
        &DemoState {
            port: taken,
            api_key: generate_api_key(),
        },
    )
    .unwrap();
    // The stranger accepts connections but never speaks HTTP; it is not our demo.
    let demo = Demo::start(data.path()).await.unwrap();
    assert_ne!(demo.base_url(), loopback_url(taken));
    assert!(demo.serves_here());
    assert_eq!(
        read_state(&dir).unwrap().unwrap().port.to_string(),
        demo.base_url().rsplit(':').next().unwrap(),
        "the new port is saved for the next run"
    );
    demo.shutdown().await;
    drop(stranger);
}

#[tokio::test]
async fn another_sandbox_with_a_different_key_is_not_joined() {
    let data = tempfile::tempdir().unwrap();
    let other = ottu_sandbox::spawn_sandbox().await;
    let port: u16 = other
        .base_url()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    write_state(
        &Demo::dir_in(data.path()),
        &DemoState {
            port,
            api_key: generate_api_key(),
        },
    )
    .unwrap();
    let demo = Demo::start(data.path()).await.unwrap();
    assert_ne!(demo.base_url(), other.base_url());
    demo.shutdown().await;
}

#[test]
fn a_port_in_use_is_not_free() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    assert!(!port_is_free(listener.local_addr().unwrap().port()));
}
