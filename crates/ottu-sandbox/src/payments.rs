//! What the endpoints do, independent of HTTP details: create, load with lazy expiry,
//! update, the payer's actions and the internal operations. Every change is one atomic store
//! write.

use crate::auth::{Action, Principal};
use crate::config::DuplicateOrderNo;
use crate::error::{ApiError, FieldErrors};
use crate::ids;
use crate::model::{Attempt, AttemptResult, Links, Operation, State, Txn};
use crate::payload::{Payload, UploadedFile};
use crate::state::AppState;
use crate::store::InsertOutcome;
use crate::validation::{self, Context, Flags, Mode, Validated};

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
    let now = state.clock.now_unix();
    let flags = validated.flags;
    let txn = Txn {
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
    };
    Ok((txn, flags))
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
            let (next, result) = match action {
                PayerAction::Pay | PayerAction::LateSuccess => {
                    (State::Paid, AttemptResult::Success)
                }
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
            if next == State::Paid {
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
