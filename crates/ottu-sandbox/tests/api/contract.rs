//! Contract tests: the real `ottu-checkout` client against the sandbox, the way an
//! integrator would run their CI on it.

use std::time::Duration;

use ottu_checkout::checkout::{
    CheckoutType, CreateCheckoutSession, PaymentState, UpdateCheckoutSession,
};
use ottu_checkout::payment_methods::PaymentMethodsQuery;
use ottu_checkout::{Amount, CurrencyCode, Error, OrderNo, PgCode};

use crate::helpers::{TEST_WEBHOOK_KEY, spawn_sandbox, spawn_sandbox_with, webhook_receiver};

fn request(amount: &str, order_no: &str) -> CreateCheckoutSession {
    let kwd = CurrencyCode::KWD;
    let mut request = CreateCheckoutSession::new(
        CheckoutType::PaymentRequest,
        Amount::parse(amount, &kwd).unwrap(),
        kwd,
        vec![
            PgCode::parse("knet").unwrap(),
            PgCode::parse("credit-card").unwrap(),
        ],
    );
    request.order_no = Some(OrderNo::parse(order_no).unwrap());
    request.generate_qr_code = true;
    request.shortify_checkout_url = true;
    request
}

#[tokio::test]
async fn the_client_creates_retrieves_and_sees_the_payment_with_a_verified_webhook() {
    let sandbox = spawn_sandbox().await;
    let receiver = webhook_receiver(200, Duration::ZERO).await;
    let client = sandbox.client();
    let mut create = request("12.5", "CT-1");
    create.webhook_url = Some(receiver.url.parse().unwrap());
    let session = client.checkout().create(&create).await.expect("create");
    assert_eq!(session.state, Some(PaymentState::Created));
    assert_eq!(
        session.amount.as_ref().map(|a| a.to_string()),
        Some("12.500".to_owned())
    );
    assert!(
        session
            .share_url()
            .unwrap()
            .starts_with(&format!("{}/b/", sandbox.base_url()))
    );

    let fetched = client
        .checkout()
        .retrieve(&session.session_id)
        .await
        .expect("retrieve");
    assert_eq!(fetched.session_id, session.session_id);

    sandbox.pay(session.session_id.as_str(), Some("knet")).await;
    let paid = client
        .checkout()
        .retrieve(&session.session_id)
        .await
        .expect("retrieve after pay");
    assert_eq!(paid.state, Some(PaymentState::Paid));

    let bodies = receiver.bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 1);
    ottu_checkout::webhook::verify_signature(&bodies[0], TEST_WEBHOOK_KEY)
        .expect("the webhook signature verifies");
}

#[tokio::test]
async fn the_client_patches_the_amount_and_cancels_the_link() {
    let sandbox = spawn_sandbox().await;
    let client = sandbox.client();
    let session = client
        .checkout()
        .create(&request("5", "CT-2"))
        .await
        .unwrap();
    let update = UpdateCheckoutSession {
        amount: Some(Amount::parse("7.25", &CurrencyCode::KWD).unwrap()),
        ..Default::default()
    };
    let updated = client
        .checkout()
        .update(&session.session_id, &update)
        .await
        .expect("patch");
    assert_eq!(
        updated.amount.map(|a| a.to_string()),
        Some("7.250".to_owned())
    );
    client
        .operations()
        .cancel(session.session_id.clone())
        .await
        .expect("cancel");
    let canceled = client
        .checkout()
        .retrieve(&session.session_id)
        .await
        .unwrap();
    assert_eq!(canceled.state, Some(PaymentState::Canceled));
}

#[tokio::test]
async fn the_client_lists_the_gateways_for_kwd() {
    let sandbox = spawn_sandbox().await;
    let list = sandbox
        .client()
        .payment_methods()
        .list(&PaymentMethodsQuery::new(CheckoutType::PaymentRequest))
        .await
        .expect("payment methods");
    let codes: Vec<String> = list
        .payment_methods
        .iter()
        .map(|g| g.code.to_string())
        .collect();
    assert!(codes.contains(&"knet".to_owned()), "{codes:?}");
}

#[tokio::test]
async fn the_client_maps_a_missing_gateway_permission_to_forbidden() {
    let sandbox = spawn_sandbox().await;
    let err = sandbox
        .client_as("nogateway")
        .checkout()
        .create(&request("1", "CT-3"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
}

#[tokio::test]
async fn a_dropped_create_is_ambiguous_for_the_client_and_findable_by_order_no() {
    let sandbox = spawn_sandbox().await;
    sandbox.arm_fault("drop_after_commit", 1, None).await;
    let err = sandbox
        .client()
        .checkout()
        .create(&request("3", "CT-DROP"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Ambiguous { .. }), "{err:?}");
    assert_eq!(sandbox.sessions_by_order_no("CT-DROP").await.len(), 1);
}

#[tokio::test]
async fn the_clients_operation_tokenizable_and_tags_filters_are_applied() {
    use ottu_checkout::checkout::GatewayOperation;
    let sandbox = spawn_sandbox().await;
    let client = sandbox.client();
    let mut query = PaymentMethodsQuery::new(CheckoutType::ECommerce);
    query.operation = Some(GatewayOperation::Authorize);
    query.tokenizable = Some(true);
    query.tags = vec!["e_commerce".to_owned()];
    let list = client.payment_methods().list(&query).await.unwrap();
    let codes: Vec<String> = list
        .payment_methods
        .iter()
        .map(|g| g.code.to_string())
        .collect();
    assert_eq!(codes, ["mpgs-test"]);
    assert_eq!(
        list.payment_methods[0].operation,
        Some(GatewayOperation::Authorize)
    );
    query.tags = vec!["retail".to_owned()];
    let none = client.payment_methods().list(&query).await.unwrap();
    assert!(none.payment_methods.is_empty());
}

#[tokio::test]
async fn the_client_refunds_captures_and_voids_with_tracking_keys() {
    use ottu_checkout::operations::{ChildState, OperationKind, OperationResult};
    let sandbox = spawn_sandbox().await;
    let client = sandbox.client();
    let kwd = CurrencyCode::KWD;
    let session = client
        .checkout()
        .create(&request("10", "CT-OPS-1"))
        .await
        .unwrap();
    sandbox.pay(session.session_id.as_str(), Some("knet")).await;
    let three = Amount::parse("3", &kwd).unwrap();
    let refund = client
        .operations()
        .refund(
            session.session_id.clone(),
            Some(three.clone()),
            Some("ct-rf-1"),
        )
        .await
        .expect("refund");
    assert_eq!(refund.operation, Some(OperationKind::Refund));
    assert_eq!(refund.result, Some(OperationResult::Success));
    assert_eq!(refund.success, Some(true));
    assert_eq!(refund.amount, Some(three.clone()));
    let txn = refund.txn.clone().expect("the child");
    assert_eq!(txn.state, Some(ChildState::Refunded));
    assert_ne!(txn.session_id.as_ref(), Some(&session.session_id));
    let raw = serde_json::to_value(&refund).unwrap();
    ottu_checkout::webhook::verify_signature(&raw, TEST_WEBHOOK_KEY)
        .expect("the answer's signature verifies");

    // The same key replays; nothing is refunded twice.
    let replay = client
        .operations()
        .refund(
            session.session_id.clone(),
            Some(three.clone()),
            Some("ct-rf-1"),
        )
        .await
        .unwrap();
    assert_eq!(replay.txn, refund.txn);
    let over = client
        .operations()
        .refund(
            OrderNo::parse("CT-OPS-1").unwrap(),
            Some(Amount::parse("8", &kwd).unwrap()),
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            over,
            Error::Validation {
                status: Some(400),
                ..
            }
        ),
        "{over:?}"
    );
    assert!(format!("{over}").contains("7.000 KWD"), "{over}");
    let rest = client
        .operations()
        .refund(session.session_id.clone(), None, None)
        .await
        .unwrap();
    assert_eq!(rest.amount, Some(Amount::parse("7", &kwd).unwrap()));

    // Authorize gateway: capture part, then void is refused.
    let mut auth = request("10", "CT-OPS-2");
    auth.pg_codes = vec![PgCode::parse("card-auth").unwrap()];
    let auth = client.checkout().create(&auth).await.unwrap();
    sandbox
        .pay(auth.session_id.as_str(), Some("card-auth"))
        .await;
    let fetched = client.checkout().retrieve(&auth.session_id).await.unwrap();
    assert_eq!(fetched.state, Some(PaymentState::Authorized));
    let capture = client
        .operations()
        .capture(
            auth.session_id.clone(),
            Some(Amount::parse("4", &kwd).unwrap()),
            Some("ct-cap-1"),
        )
        .await
        .unwrap();
    assert_eq!(capture.txn.unwrap().state, Some(ChildState::Paid));
    let void = client
        .operations()
        .void(auth.session_id.clone(), None)
        .await
        .unwrap_err();
    assert!(matches!(void, Error::Validation { .. }), "{void:?}");

    // A Basic user without payment.refund gets 403.
    let denied = sandbox
        .client_as("cashier")
        .operations()
        .refund(session.session_id.clone(), None, None)
        .await
        .unwrap_err();
    assert!(matches!(denied, Error::Forbidden { .. }), "{denied:?}");
}

#[tokio::test]
async fn the_client_returns_queued_refunds_as_values() {
    use ottu_checkout::operations::{ChildState, OperationResult};
    let sandbox = spawn_sandbox_with(|config| {
        for g in config.merchant.gateways.iter_mut() {
            g.queue_refunds = true;
        }
    })
    .await;
    let client = sandbox.client();
    let session = client
        .checkout()
        .create(&request("10", "CT-OPS-3"))
        .await
        .unwrap();
    sandbox.pay(session.session_id.as_str(), Some("knet")).await;
    let queued = client
        .operations()
        .refund(session.session_id.clone(), None, Some("ct-q-1"))
        .await
        .expect("a queued refund is a value");
    assert_eq!(queued.result, Some(OperationResult::Queued));
    assert_eq!(queued.success, Some(false));
    let child = queued.txn.clone().unwrap();
    assert_eq!(child.state, Some(ChildState::RefundQueued));
    let (status, _) = sandbox
        .control(
            &format!("children/{}/reject", child.session_id.unwrap().as_str()),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let replay = client
        .operations()
        .refund(session.session_id.clone(), None, Some("ct-q-1"))
        .await
        .unwrap();
    assert_eq!(replay.result, Some(OperationResult::Rejected));
    assert_eq!(replay.txn.unwrap().state, Some(ChildState::RefundRejected));
}
