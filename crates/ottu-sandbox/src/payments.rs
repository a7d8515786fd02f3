//! What the endpoints do, independent of HTTP details: create, load with lazy expiry,
//! update, the payer's actions, the internal operations and the external ones (refund,
//! capture, void: child transactions). Every change is one atomic store write.

use crate::auth::{Action, Principal};
use crate::config::DuplicateOrderNo;
use crate::error::{ApiError, FieldErrors};
use crate::ids;
use crate::model::{
    Attempt, AttemptResult, Child, ChildState, ChildTotals, Invoice, Links, Operation, State, Txn,
};
use crate::money::Amount;
use crate::payload::{Payload, UploadedFile};
use crate::state::AppState;
use crate::store::{ExternalOutcome, InsertOutcome, InvoiceInsert};
use crate::validation::{self, Context, Flags, Mode, Validated, ValidatedInvoice};

/// Largest attachment, as Ottu documents (2.5 MB).
pub const MAX_ATTACHMENT_BYTES: usize = 2_621_440;
/// Extensions an attachment may have (upload and `attachment_upload_url`).
pub const ALLOWED_EXTENSIONS: &[&str] = &[
    "pdf", "jpeg", "png", "doc", "docx", "jpg", "xls", "xlsx", "txt",
];

fn context(state: &AppState) -> Context<'_> {
    let merchant = &state.config.merchant;
    Context {
        gateways: &merchant.gateways,
        default_expiration_seconds: crate::duration::parse_duration(&merchant.default_expiration)
            .unwrap_or(86_400),
        user_count: merchant.users.len(),
    }
}

/// Checks the plugin and `Can use <pg_code>` permissions for a create or update.
fn check_gateways(
    state: &AppState,
    principal: &Principal,
    codes: &[String],
) -> Result<(), ApiError> {
    for code in codes {
        if let Some(gateway) = state.gateway(code)
            && !principal.may_use(gateway)
        {
            return Err(ApiError::permission_denied());
        }
    }
    Ok(())
}

/// Validates an attachment upload (extension, name length, size) and stores it; returns its
/// relative `file_url`.
pub async fn store_file(
    state: &AppState,
    file: &UploadedFile,
    field: &str,
) -> Result<String, ApiError> {
    let name = file.basename().to_owned();
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let mut errors = FieldErrors::default();
    if name.is_empty() {
        errors.add(field, "The submitted file is empty.");
    } else if !ALLOWED_EXTENSIONS.contains(&ext.as_str()) {
        errors.add(
            field,
            format!(
                "File extension '{ext}' is not allowed. Allowed extensions are: {}.",
                ALLOWED_EXTENSIONS.join(", ")
            ),
        );
    } else if name.chars().count() > 100 {
        errors.add(field, "Ensure this filename has at most 100 characters.");
    } else if file.data.is_empty() {
        errors.add(field, "The submitted file is empty.");
    } else if file.data.len() > MAX_ATTACHMENT_BYTES {
        errors.add(field, "The file is larger than the 2.5 MB limit.");
    }
    errors.into_result()?;
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(&name);
    let safe_stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    let file_url = format!(
        "payment_transactions/attachments/{safe_stem}_{}.{ext}",
        ids::random_alphanumeric(7)
    );
    state
        .store
        .put_attachment(
            file_url.clone(),
            name,
            file.content_type.clone(),
            file.data.clone(),
            state.clock.now_unix(),
        )
        .await?;
    Ok(file_url)
}

async fn check_upload_url(
    state: &AppState,
    validated: &Validated,
) -> Result<Option<String>, ApiError> {
    let Some(url) = &validated.new_attachment_upload_url else {
        return Ok(None);
    };
    // Accept both the relative `file_url` and its absolute media URL.
    let relative = url
        .strip_prefix(&format!("{}/media/", state.public_base))
        .unwrap_or(url)
        .trim_start_matches('/')
        .to_owned();
    if state.store.attachment_exists(relative.clone()).await? {
        Ok(Some(relative))
    } else {
        Err(ApiError::field(
            "attachment_upload_url",
            format!("No uploaded file found at `{url}`."),
        ))
    }
}

/// `POST /b/checkout/v1/pymt-txn/`: validates, checks permissions, stores durably.
pub async fn create(
    state: &AppState,
    principal: &Principal,
    payload: &Payload,
) -> Result<(Txn, Flags), ApiError> {
    let (txn, flags) = prepare_create(state, principal, payload).await?;
    insert_created(state, &txn).await?;
    Ok((txn, flags))
}

/// The first half of a create: validates, checks permissions, stores an uploaded attachment
/// and builds the new transaction (stored by [`insert_created`], or later by a late commit).
pub async fn prepare_create(
    state: &AppState,
    principal: &Principal,
    payload: &Payload,
) -> Result<(Txn, Flags), ApiError> {
    if !principal.may_on_any_plugin(Action::Add) {
        return Err(ApiError::permission_denied());
    }
    let validated = validation::validate_checkout(&payload.fields, Mode::Create, context(state))?;
    if !principal.may(Action::Add, validated.checkout.plugin) {
        return Err(ApiError::permission_denied());
    }
    check_gateways(state, principal, &validated.checkout.pg_codes)?;
    let mut attachment = check_upload_url(state, &validated).await?;
    if let Some(file) = payload.files.iter().find(|f| f.field == "attachment") {
        attachment = Some(store_file(state, file, "attachment").await?);
    }
    let flags = validated.flags;
    let txn = new_txn(state, principal, validated, attachment, None);
    Ok((txn, flags))
}

/// A new `created` transaction from a validated create.
fn new_txn(
    state: &AppState,
    principal: &Principal,
    validated: Validated,
    attachment: Option<String>,
    invoice: Option<Box<Invoice>>,
) -> Txn {
    let now = state.clock.now_unix();
    let flags = validated.flags;
    Txn {
        session_id: ids::new_session_id(),
        reference_number: ids::new_reference_number(),
        short_code: ids::new_short_code(),
        state: State::Created,
        checkout: validated.checkout,
        links: Links {
            qr: flags.generate_qr_code,
            short: flags.shortify_checkout_url,
            attachment_short: flags.shortify_attachment_url && attachment.is_some(),
            attachment_file_url: attachment,
        },
        attempt: None,
        attempts: 0,
        initiator_user: principal.user().map(|u| u.username.clone()),
        created_at: now,
        updated_at: now,
        expires_at: now.saturating_add(validated.expiration_seconds),
        paid_at: None,
        deleted: false,
        invoice,
    }
}

/// The first half of `POST /b/invoice/v1/invoice/`: validates (items, totals, checkout fields),
/// checks the permissions (the plugin's add permission and `Can add Invoice`, then `Can use` for
/// each gateway), stores an uploaded attachment and builds the transaction with its invoice
/// (stored by [`insert_invoice`], or later by a late commit).
pub async fn prepare_invoice(
    state: &AppState,
    principal: &Principal,
    payload: &Payload,
) -> Result<(Txn, Flags), ApiError> {
    if !principal.may_on_any_plugin(Action::Add) || !principal.may_add_invoice() {
        return Err(ApiError::permission_denied());
    }
    let ValidatedInvoice { checkout, invoice } =
        validation::validate_invoice(&payload.fields, context(state))?;
    if !principal.may(Action::Add, checkout.checkout.plugin) {
        return Err(ApiError::permission_denied());
    }
    check_gateways(state, principal, &checkout.checkout.pg_codes)?;
    let mut attachment = check_upload_url(state, &checkout).await?;
    if let Some(file) = payload.files.iter().find(|f| f.field == "attachment") {
        attachment = Some(store_file(state, file, "attachment").await?);
    }
    let flags = checkout.flags;
    let txn = new_txn(
        state,
        principal,
        checkout,
        attachment,
        Some(Box::new(invoice)),
    );
    Ok((txn, flags))
}

/// The second half of an invoice create: stores `txn` with its invoice (400 on a duplicate
/// invoice number, or on a refused duplicate `order_no`); returns it as stored.
pub async fn insert_invoice(state: &AppState, txn: Txn) -> Result<Txn, ApiError> {
    match state
        .store
        .insert_invoice_txn(txn, rejects_duplicate_order_no(state))
        .await?
    {
        InvoiceInsert::Inserted(txn) => Ok(*txn),
        InvoiceInsert::DuplicateInvoiceNumber => Err(ApiError::field(
            "invoice_number",
            "invoice with this invoice number already exists.",
        )),
        InvoiceInsert::DuplicateOrderNo => Err(ApiError::field(
            "order_no",
            "payment transaction with this order no already exists.",
        )),
    }
}

/// Whether creates refuse an `order_no` already in use (`DuplicateOrderNo::Reject`).
pub fn rejects_duplicate_order_no(state: &AppState) -> bool {
    state.config.duplicate_order_no == DuplicateOrderNo::Reject
}

/// The second half of a create: stores `txn` durably (400 on a refused duplicate `order_no`).
pub async fn insert_created(state: &AppState, txn: &Txn) -> Result<(), ApiError> {
    let reject = rejects_duplicate_order_no(state);
    match state.store.insert_txn(txn.clone(), reject).await? {
        InsertOutcome::Inserted => Ok(()),
        InsertOutcome::DuplicateOrderNo => Err(ApiError::field(
            "order_no",
            "payment transaction with this order no already exists.",
        )),
    }
}

/// Loads a visible transaction, applying lazy expiry. 404 for unknown or deleted ones.
pub async fn load(state: &AppState, session_id: &str) -> Result<Txn, ApiError> {
    if !ids::is_session_id_shaped(session_id) {
        return Err(ApiError::not_found());
    }
    let Some(mut txn) = state.store.txn(session_id.to_owned()).await? else {
        return Err(ApiError::not_found());
    };
    if txn.deleted {
        return Err(ApiError::not_found());
    }
    let now = state.clock.now_unix();
    if txn.state.is_open() && now >= txn.expires_at {
        txn = state
            .store
            .modify_txn(session_id.to_owned(), move |t| {
                let changed = t.expire_if_due(now);
                (changed, t.clone())
            })
            .await?
            .ok_or_else(ApiError::not_found)?;
    }
    Ok(txn)
}

/// `GET` permission: view (or add/change) on the transaction's plugin.
pub fn check_view(principal: &Principal, txn: &Txn) -> Result<(), ApiError> {
    if principal.may(Action::View, txn.plugin()) {
        Ok(())
    } else {
        Err(ApiError::permission_denied())
    }
}

/// `PUT` (`full = true`) and `PATCH`.
pub async fn update(
    state: &AppState,
    principal: &Principal,
    session_id: &str,
    payload: &Payload,
    full: bool,
) -> Result<(Txn, Flags), ApiError> {
    let current = load(state, session_id).await?;
    if !principal.may(Action::Change, current.plugin()) {
        return Err(ApiError::permission_denied());
    }
    if current.invoice.is_some() {
        // invoices.mdx: "Invoices are immutable — the API does not support PATCH".
        return Err(ApiError::bad_request(
            "Invoices cannot be changed. Create a new invoice instead.",
        ));
    }
    let stored_codes = current.pg_codes().to_vec();
    if full {
        // PUT is refused without permission on the pg_codes already stored (digest §2.1).
        check_gateways(state, principal, &stored_codes)?;
    }
    let mode = if full {
        Mode::Put(&current)
    } else {
        Mode::Patch(&current)
    };
    let validated = validation::validate_checkout(&payload.fields, mode, context(state))?;
    if validated.checkout.pg_codes != stored_codes {
        // Changing pg_codes needs `Can use` for the new ones.
        check_gateways(state, principal, &validated.checkout.pg_codes)?;
    }
    if !current.state.is_open() {
        return Err(ApiError::bad_request(format!(
            "This payment transaction can no longer be updated: it is {}.",
            current.state.as_str()
        )));
    }
    let mut attachment = check_upload_url(state, &validated).await?;
    if let Some(file) = payload.files.iter().find(|f| f.field == "attachment") {
        attachment = Some(store_file(state, file, "attachment").await?);
    }
    let flags = validated.flags;
    let now = state.clock.now_unix();
    let expected_state = current.state;
    let updated = state
        .store
        .modify_txn(session_id.to_owned(), move |t| {
            if t.state != expected_state || t.deleted {
                return (false, Err(t.state));
            }
            t.checkout = validated.checkout;
            t.expires_at = t.created_at.saturating_add(validated.expiration_seconds);
            t.links.qr |= flags.generate_qr_code;
            t.links.short |= flags.shortify_checkout_url;
            if attachment.is_some() {
                t.links.attachment_file_url = attachment;
            }
            t.links.attachment_short |=
                flags.shortify_attachment_url && t.links.attachment_file_url.is_some();
            t.updated_at = now;
            t.expire_if_due(now);
            (true, Ok(t.clone()))
        })
        .await?
        .ok_or_else(ApiError::not_found)?;
    match updated {
        Ok(txn) => Ok((txn, flags)),
        Err(state_now) => Err(ApiError::bad_request(format!(
            "This payment transaction changed while it was being updated; it is now {}.",
            state_now.as_str()
        ))),
    }
}

/// A payer action on the hosted page or through `/_sandbox/sessions/{id}/...`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayerAction {
    /// Opens the link: `created` → `pending`.
    Open,
    /// Pays successfully: → `paid`.
    Pay,
    /// The gateway declines the card: → `attempted` (another try is allowed).
    Decline,
    /// The gateway fails for good: → `failed`.
    Fail,
    /// The payer cancels on the gateway page: → `attempted`.
    Cancel,
    /// A gateway success that arrives late (Ottu's auto inquiry): `failed` or `expired` →
    /// `paid` (digest §7.2, payment-states.md:57-58). Control route only.
    LateSuccess,
}

/// Why a payer action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayerRefusal {
    /// The transaction is no longer payable (paid, expired, canceled...).
    NotPayable(State),
    /// The gateway is not one of the transaction's pg_codes.
    UnknownGateway(String),
    /// A late success needs a `failed` or `expired` transaction.
    NotLate(State),
}

/// Applies a payer action atomically. `Ok(None)` when the session does not exist.
pub async fn payer_action(
    state: &AppState,
    session_id: &str,
    action: PayerAction,
    pg_code: Option<String>,
    card_number: Option<String>,
) -> Result<Option<Result<Txn, PayerRefusal>>, ApiError> {
    if !ids::is_session_id_shaped(session_id) {
        return Ok(None);
    }
    let now = state.clock.now_unix();
    // A success on a gateway whose MID authorizes gives `authorized` (digest §7.2).
    let authorizing: Vec<String> = state
        .config
        .merchant
        .gateways
        .iter()
        .filter(|g| g.authorizes())
        .map(|g| g.pg_code.clone())
        .collect();
    let result = state
        .store
        .modify_txn(session_id.to_owned(), move |t| {
            if t.deleted {
                return (false, None);
            }
            let expired = t.expire_if_due(now);
            let late = action == PayerAction::LateSuccess;
            if late && !matches!(t.state, State::Failed | State::Expired) {
                return (expired, Some(Err(PayerRefusal::NotLate(t.state))));
            }
            if !late && !t.state.is_open() {
                return (expired, Some(Err(PayerRefusal::NotPayable(t.state))));
            }
            if action == PayerAction::Open {
                if t.state == State::Created {
                    t.state = State::Pending;
                    t.updated_at = now;
                    return (true, Some(Ok(t.clone())));
                }
                return (expired, Some(Ok(t.clone())));
            }
            let codes = t.pg_codes();
            let code = match pg_code {
                Some(code) if codes.contains(&code) => code,
                Some(code) => return (expired, Some(Err(PayerRefusal::UnknownGateway(code)))),
                // A late success comes from the gateway last tried, if any.
                None => t
                    .settled_pg_code()
                    .filter(|_| late)
                    .map(str::to_owned)
                    .or_else(|| codes.first().cloned())
                    .unwrap_or_default(),
            };
            let card_last4 = card_number
                .as_deref()
                .map(|c| c.chars().filter(char::is_ascii_digit).collect::<String>())
                .filter(|c| c.len() >= 4)
                .map(|c| c[c.len() - 4..].to_owned());
            let success = if authorizing.contains(&code) {
                State::Authorized
            } else {
                State::Paid
            };
            let (next, result) = match action {
                PayerAction::Pay | PayerAction::LateSuccess => (success, AttemptResult::Success),
                PayerAction::Decline => (State::Attempted, AttemptResult::Failed),
                PayerAction::Fail => (State::Failed, AttemptResult::Failed),
                PayerAction::Cancel => (State::Attempted, AttemptResult::Canceled),
                PayerAction::Open => unreachable!("handled above"),
            };
            t.attempts += 1;
            t.attempt = Some(Attempt {
                pg_code: code,
                result,
                card_last4,
            });
            t.state = next;
            if matches!(next, State::Paid | State::Authorized) {
                t.paid_at = Some(now);
            }
            t.updated_at = now;
            (true, Some(Ok(t.clone())))
        })
        .await?;
    Ok(result.flatten())
}

/// Applies an internal operation (`cancel`, `expire`, or the soft `delete` of a settled
/// transaction); `Err(state)` when the current state does not allow it.
pub async fn operate(
    state: &AppState,
    session_id: &str,
    operation: Operation,
) -> Result<Option<Result<(), State>>, ApiError> {
    let now = state.clock.now_unix();
    let outcome = state
        .store
        .modify_txn(session_id.to_owned(), move |t| {
            let expired = t.expire_if_due(now);
            match operation.next_state(t.state) {
                Ok(next) => {
                    t.state = next;
                    // Hard deletes are done by the caller; this marks the soft ones.
                    t.deleted |= operation == Operation::Delete;
                    t.updated_at = now;
                    (true, Ok(()))
                }
                Err(current) => (expired, Err(current)),
            }
        })
        .await?;
    Ok(outcome)
}

/// Why an external operation was refused (400 `{"detail", "operation", "result": "failed"}`).
#[derive(Debug, Clone, PartialEq)]
pub enum ExternalRefusal {
    /// The parent's state does not allow it.
    WrongState(State),
    /// The gateway that settled the payment does not support it (or there is none).
    NotSupported(Option<String>),
    /// The amount is more than what is left (refundable or capturable); `remaining` is it.
    Exceeds { remaining: Amount },
    /// A void after a capture, or a capture or void after a void.
    Voided,
    /// A void after a capture.
    Captured,
}

impl ExternalRefusal {
    /// The `detail` text.
    pub fn detail(&self, operation: Operation, currency: &str) -> String {
        let op = operation.as_str();
        match self {
            ExternalRefusal::WrongState(s) => format!(
                "A payment transaction in the {} state cannot be {}.",
                s.as_str(),
                operation.past_tense()
            ),
            ExternalRefusal::NotSupported(Some(pg)) => {
                format!("The {op} operation is not supported by the payment gateway {pg}.")
            }
            ExternalRefusal::NotSupported(None) => {
                format!("The {op} operation is not supported: no payment gateway settled it.")
            }
            ExternalRefusal::Exceeds { remaining } => {
                let what = if operation == Operation::Capture {
                    "capturable"
                } else {
                    "refundable"
                };
                format!("The amount exceeds the remaining {what} amount of {remaining} {currency}.")
            }
            ExternalRefusal::Voided => {
                "The authorization has been voided; it cannot be captured or voided.".to_owned()
            }
            ExternalRefusal::Captured => {
                "An authorization cannot be voided after a capture.".to_owned()
            }
        }
    }
}

/// What an external operation request asks for, validated.
#[derive(Debug, Clone)]
pub struct ExternalRequest {
    pub operation: Operation,
    /// In the parent's currency decimals; `None`: the full (remaining) amount. Ignored by void.
    pub amount: Option<Amount>,
    pub tracking_key: Option<String>,
    /// Username of the Basic user asking.
    pub initiator_user: Option<String>,
}

/// How an external operation ended, when it was not refused.
#[derive(Debug, Clone)]
pub enum ExternalDone {
    /// A new child transaction.
    Created(Child),
    /// The `Tracking-Key` named an earlier operation on this transaction: that child, as it
    /// is now.
    Replayed(Child),
}

/// Why an external operation was not done.
#[derive(Debug, Clone)]
pub enum ExternalFailure {
    Refused(ExternalRefusal),
    /// The `Tracking-Key` was used for another transaction, operation or amount.
    KeyConflict(Child),
    NotFound,
}

/// The state a new child of `operation` gets on `gateway`.
fn child_state(operation: Operation, queue_refunds: bool) -> ChildState {
    match operation {
        Operation::Refund if queue_refunds => ChildState::RefundQueued,
        Operation::Refund => ChildState::Refunded,
        Operation::Capture => ChildState::Paid,
        _ => ChildState::Voided,
    }
}

/// Decides an external operation on `parent` with `children` (digest §15): the child to store
/// or why not. Refund: `paid` parents (up to the amount), or `authorized` ones up to what was
/// captured; refunds done and queued count against it. Capture: `authorized`, up to the
/// amount less earlier captures, never after a void. Void: `authorized`, the full amount, never
/// after a capture or a void.
fn decide(
    state: &AppState,
    parent: &Txn,
    children: &[Child],
    request: &ExternalRequest,
    now: i64,
) -> Result<Child, ExternalRefusal> {
    let op = request.operation;
    let d = parent.checkout.currency_code.decimals();
    let totals = ChildTotals::of(children, d);
    let amount = parent.checkout.amount.rescaled(d).value();
    let allowed = match op {
        Operation::Refund => {
            parent.state == State::Paid
                || (parent.state == State::Authorized && !totals.captured.value().is_zero())
        }
        _ => parent.state == State::Authorized,
    };
    if !allowed {
        return Err(ExternalRefusal::WrongState(parent.state));
    }
    let gateway = parent
        .settled_pg_code()
        .and_then(|code| state.gateway(code));
    let Some(gateway) = gateway.filter(|g| g.operations().iter().any(|o| o == op.as_str())) else {
        return Err(ExternalRefusal::NotSupported(
            parent.settled_pg_code().map(str::to_owned),
        ));
    };
    let remaining = match op {
        Operation::Refund => {
            let base = if parent.state == State::Paid {
                amount
            } else {
                totals.captured.value()
            };
            base - totals.refunded.value() - totals.refund_queued.value()
        }
        Operation::Capture => {
            if !totals.voided.value().is_zero() {
                return Err(ExternalRefusal::Voided);
            }
            amount - totals.captured.value()
        }
        _ => {
            if !totals.voided.value().is_zero() {
                return Err(ExternalRefusal::Voided);
            }
            if !totals.captured.value().is_zero() {
                return Err(ExternalRefusal::Captured);
            }
            amount
        }
    };
    let remaining = Amount::new(remaining.max(rust_decimal::Decimal::ZERO), d);
    let value = match request.amount.filter(|_| op != Operation::Void) {
        Some(asked) => asked.rescaled(d),
        None => remaining,
    };
    if remaining.value().is_zero() || value.value() > remaining.value() {
        return Err(ExternalRefusal::Exceeds { remaining });
    }
    Ok(Child {
        session_id: ids::new_session_id(),
        parent_session_id: parent.session_id.clone(),
        operation: op,
        state: child_state(op, gateway.queue_refunds),
        amount: value,
        reference_number: ids::new_reference_number(),
        pg_code: gateway.pg_code.clone(),
        tracking_key: request.tracking_key.clone(),
        requested_amount: request.amount.map(|a| a.to_string()),
        initiator_user: request.initiator_user.clone(),
        created_at: now,
        updated_at: now,
    })
}

/// Runs an external operation on `parent` atomically (tracking key, state, gateway, amounts
/// and the new child in one store write).
pub async fn external_operation(
    state: &AppState,
    parent: &Txn,
    request: ExternalRequest,
) -> Result<Result<ExternalDone, ExternalFailure>, ApiError> {
    let now = state.clock.now_unix();
    let op = request.operation;
    let requested = request.amount.map(|a| a.to_string());
    let same_request = move |old: &Child| old.operation == op && old.requested_amount == requested;
    let for_decision = state.clone();
    let outcome = state
        .store
        .external_operation(
            parent.session_id.clone(),
            request.tracking_key.clone(),
            same_request,
            move |txn, children| decide(&for_decision, txn, children, &request, now),
        )
        .await?;
    Ok(match outcome {
        None => Err(ExternalFailure::NotFound),
        Some(ExternalOutcome::Created(child)) => Ok(ExternalDone::Created(child)),
        Some(ExternalOutcome::Replayed(child)) => Ok(ExternalDone::Replayed(child)),
        Some(ExternalOutcome::KeyConflict(child)) => Err(ExternalFailure::KeyConflict(child)),
        Some(ExternalOutcome::Refused(why)) => Err(ExternalFailure::Refused(why)),
    })
}

/// Settles (`refunded`) or rejects (`refund_rejected`) a queued refund and sends its operation
/// webhook. `Ok(None)` for an unknown child; `Err` (inner) with the child when it is not queued.
pub async fn finish_queued_refund(
    state: &AppState,
    child_session_id: &str,
    accept: bool,
) -> Result<Option<Result<(Txn, Child), Child>>, ApiError> {
    let to = if accept {
        ChildState::Refunded
    } else {
        ChildState::RefundRejected
    };
    let moved = state
        .store
        .move_child(
            child_session_id.to_owned(),
            ChildState::RefundQueued,
            to,
            state.clock.now_unix(),
        )
        .await?;
    let Some(moved) = moved else {
        return Ok(None);
    };
    let child = match moved {
        Ok(child) => child,
        Err(child) => return Ok(Some(Err(child))),
    };
    let parent = state
        .store
        .txn(child.parent_session_id.clone())
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Some(Ok((parent, child))))
}
