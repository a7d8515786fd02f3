//! Refund, capture and void: ledger first, one `Tracking-Key` per staff intent.
//!
//! 1. The intent's id comes from the caller (the dialog makes one when it opens). An intent seen
//!    before is never a second operation: a settled one is answered as it is, one in flight is
//!    waited for, one whose answer was lost is sent again **with the same key**.
//! 2. The amount is checked in the currency's decimals against what remains: for a refund the
//!    sale's amount less every refund that is done, queued or may be in flight.
//! 3. The row is written `sending` under a claim, then sent with `Tracking-Key: pos-<intent>`.
//!    Ottu answers `success` → `done`, `queued`, `rejected`; a definite refusal (`400`, `403`,
//!    `409`) → `refused`; no usable answer → `unknown`, sent again with the same key by
//!    [`Sales::settle_due`] (Ottu answers the first operation's status, never runs it twice).
//!
//! Who may ask (roles, a manager's approval) is the till's check; this module records who did.

use ottu_checkout::{CurrencyCode, Error as ApiError, SessionId};
use rust_decimal::Decimal;

use super::Sales;
use super::draft::check_amount;
use super::schedule::settle_delay;
use crate::dto::{OperationKind, OperationState, Sale, SaleOperation, SaleState, StaffRef};
use crate::error::{Error, Result};
use crate::problem;
use crate::problem::{Problem, ProblemCode};
use crate::store::{OperationRecord, now_utc};

/// Who asked for an operation and who approved it.
#[derive(Debug, Clone, Default)]
pub struct OperationBy {
    /// The staff member asking.
    pub by: Option<StaffRef>,
    /// The manager approving (a cashier's refund).
    pub approved_by: Option<StaffRef>,
}

impl Sales {
    /// Runs (or resumes) the refund, capture or void `intent_id` of sale `sale_id`; answers the
    /// sale with its operations.
    pub async fn operate(
        &self,
        intent_id: &str,
        sale_id: &str,
        kind: OperationKind,
        amount: Option<&str>,
        who: OperationBy,
    ) -> Result<Sale> {
        let inner = &self.inner;
        let intent_id = intent_id.trim();
        if intent_id.is_empty()
            || intent_id.len() > 64
            || !intent_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(Error::invalid_field("intent_id", problem!(IntentIdInvalid)));
        }
        if let Some(existing) = inner.store.get_operation(intent_id)? {
            if existing.op.sale_id != sale_id {
                return Err(Error::invalid_field(
                    "intent_id",
                    problem!(IntentIdOtherSale),
                ));
            }
            return self.resume(existing).await;
        }
        let sale = inner.load(sale_id)?.sale;
        let currency = CurrencyCode::parse(&sale.currency_code)
            .map_err(|e| Error::Internal(format!("stored currency is not usable: {e}")))?;
        let needed = match kind {
            OperationKind::Refund => SaleState::Paid,
            OperationKind::Capture | OperationKind::Void => SaleState::Authorized,
        };
        if sale.state != needed {
            let code = match kind {
                OperationKind::Refund => ProblemCode::RefundNeedsPaid,
                OperationKind::Capture => ProblemCode::CaptureNeedsAuthorized,
                OperationKind::Void => ProblemCode::VoidNeedsAuthorized,
            };
            return Err(Error::WrongState(Problem::new(
                code,
                [("state", sale.state)],
            )));
        }
        let session_id = sale
            .session_id
            .clone()
            .ok_or_else(|| Error::WrongState(problem!(NoTransaction)))?;
        let remaining = self.remaining(&sale, kind)?;
        let amount = match (kind, amount.map(str::trim).filter(|a| !a.is_empty())) {
            (OperationKind::Void, _) | (_, None) => None,
            (_, Some(text)) => {
                let amount =
                    check_amount(text, &currency).map_err(|m| Error::invalid_field("amount", m))?;
                let value: Decimal = amount.as_str().parse().unwrap_or(Decimal::MAX);
                if value > remaining {
                    return Err(Error::invalid_field(
                        "amount",
                        problem!(
                            AmountOverRemaining,
                            max = format_in(remaining, &sale.amount),
                            currency = sale.currency_code,
                            operation = past_tense(kind)
                        ),
                    ));
                }
                Some(amount.as_str().to_owned())
            }
        };
        if remaining <= Decimal::ZERO {
            return Err(Error::WrongState(problem!(
                NothingLeft,
                operation = past_tense(kind)
            )));
        }
        let now = now_utc();
        let mut record = OperationRecord {
            op: SaleOperation {
                id: intent_id.to_owned(),
                sale_id: sale_id.to_owned(),
                kind,
                amount,
                currency_code: sale.currency_code.clone(),
                state: OperationState::Sending,
                result_amount: None,
                reference_number: None,
                problem: None,
                created_at: now.clone(),
                updated_at: now,
                created_by: who.by,
                approved_by: who.approved_by,
            },
            profile_id: inner.profile_id.clone(),
            tracking_key: format!("pos-{intent_id}"),
            version: 0,
            claim: Some(inner.new_claim()),
            next_check_at: None,
            checks: 0,
        };
        if !inner.store.insert_operation(&mut record)? {
            // A double click raced us to the insert: follow the first one.
            let existing = inner
                .store
                .get_operation(intent_id)?
                .ok_or_else(|| Error::Internal("operation vanished".into()))?;
            return self.resume(existing).await;
        }
        self.send_operation(record, &session_id).await
    }

    /// Picks up an intent seen before: answered as it is if settled, waited for if another task
    /// is sending it, sent again with its key if its answer was lost.
    async fn resume(&self, mut record: OperationRecord) -> Result<Sale> {
        let inner = &self.inner;
        let deadline = tokio::time::Instant::now() + inner.options.claim_lease;
        loop {
            let settled = !matches!(
                record.op.state,
                OperationState::Sending | OperationState::Unknown
            );
            let busy = record
                .claim
                .as_ref()
                .is_some_and(|c| c.holds_at(&inner.wall_now()));
            if settled || (busy && tokio::time::Instant::now() >= deadline) {
                return self.get(&record.op.sale_id).await;
            }
            if !busy {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
            record = inner
                .store
                .get_operation(&record.op.id)?
                .ok_or_else(|| Error::Internal("operation vanished".into()))?;
        }
        // Claim it, then send again with the same key.
        record.claim = Some(inner.new_claim());
        record.op.updated_at = now_utc();
        if !inner.store.update_operation(&mut record)? {
            return self.get(&record.op.sale_id).await;
        }
        let sale = inner.load(&record.op.sale_id)?.sale;
        let session_id = sale
            .session_id
            .clone()
            .ok_or_else(|| Error::WrongState(problem!(NoTransaction)))?;
        self.send_operation(record, &session_id).await
    }

    async fn send_operation(&self, mut record: OperationRecord, session_id: &str) -> Result<Sale> {
        let inner = &self.inner;
        let session_id = SessionId::parse(session_id)
            .map_err(|e| Error::Internal(format!("stored session id is not usable: {e}")))?;
        let currency = CurrencyCode::parse(&record.op.currency_code)
            .map_err(|e| Error::Internal(format!("stored currency is not usable: {e}")))?;
        let amount = record
            .op
            .amount
            .as_deref()
            .map(|a| ottu_checkout::Amount::parse(a, &currency))
            .transpose()
            .map_err(|e| Error::Internal(format!("stored amount is not usable: {e}")))?;
        let key = record.tracking_key.clone();
        let operations = inner.client.operations();
        let answer = match record.op.kind {
            OperationKind::Refund => operations.refund(session_id, amount, Some(&key)).await,
            OperationKind::Capture => operations.capture(session_id, amount, Some(&key)).await,
            OperationKind::Void => operations.void(session_id, Some(&key)).await,
        };
        let clock = &inner.options.clock;
        record.claim = None;
        record.op.updated_at = now_utc();
        let mut failure = None;
        match answer {
            Ok(done) => {
                use ottu_checkout::operations::OperationResult;
                record.op.state = match done.result {
                    Some(OperationResult::Queued) => OperationState::Queued,
                    Some(OperationResult::Rejected) | Some(OperationResult::Failed) => {
                        OperationState::Rejected
                    }
                    _ => OperationState::Done,
                };
                record.op.result_amount = done
                    .txn
                    .as_ref()
                    .and_then(|t| t.amount.as_ref())
                    .or(done.amount.as_ref())
                    .map(|a| a.as_str().to_owned());
                record.op.reference_number = done.reference_number;
                record.op.problem = match record.op.state {
                    OperationState::Queued => Some(problem!(OperationQueued)),
                    OperationState::Rejected => Some(problem!(OperationRejected)),
                    _ => None,
                };
                record.next_check_at = None;
            }
            Err(
                error @ (ApiError::Validation { .. }
                | ApiError::Forbidden { .. }
                | ApiError::Api { .. }),
            ) => {
                let error = Error::from(error);
                record.op.state = OperationState::Refused;
                record.op.problem = Some(error.problem());
                record.next_check_at = None;
                failure = Some(error);
            }
            Err(error) => {
                let error = Error::from(error);
                record.op.state = OperationState::Unknown;
                record.op.problem = Some(problem!(OperationAnswerLost, detail = error));
                record.next_check_at = Some(clock.after(settle_delay(record.checks)));
                record.checks += 1;
            }
        }
        // The row is ours (claimed); a lost race means another task already recorded an answer.
        for _ in 0..3 {
            if inner.store.update_operation(&mut record)? {
                break;
            }
            match inner.store.get_operation(&record.op.id)? {
                Some(fresh) => {
                    let answer = record.op.clone();
                    record = OperationRecord {
                        op: answer,
                        ..fresh
                    };
                }
                None => break,
            }
        }
        let sale = self.get(&record.op.sale_id).await?;
        let _ = inner.events.send(sale.clone());
        match failure {
            Some(error) => Err(error),
            None => Ok(sale),
        }
    }

    /// Sends again every operation whose answer was lost (or whose sender died), with its key.
    pub(crate) async fn resend_operations(&self) -> Result<usize> {
        let inner = &self.inner;
        let now = inner.options.clock.now_utc();
        let wall = inner.wall_now();
        let mut done = 0;
        for record in inner.store.operations_to_resend(&inner.profile_id, &now)? {
            if record.claim.as_ref().is_some_and(|c| c.holds_at(&wall)) {
                continue;
            }
            if let Err(error) = self.resume(record).await {
                tracing::debug!(%error, "resending an operation failed");
            }
            done += 1;
        }
        Ok(done)
    }

    /// What may still be refunded (or captured) of `sale`, by its stored operations.
    fn remaining(&self, sale: &Sale, kind: OperationKind) -> Result<Decimal> {
        let operations: Vec<SaleOperation> = self
            .inner
            .store
            .operations_of(&sale.id)?
            .into_iter()
            .map(|r| r.op)
            .collect();
        remaining_after(sale, &operations, kind)
    }

    /// The sale's operations and what remains refundable, for single-sale answers (one read of
    /// the operations for all of it).
    pub(crate) fn with_operations(&self, mut sale: Sale) -> Result<Sale> {
        sale.operations = self
            .inner
            .store
            .operations_of(&sale.id)?
            .into_iter()
            .map(|r| r.op)
            .collect();
        let refundable = remaining_after(&sale, &sale.operations, OperationKind::Refund)?;
        let capturable = remaining_after(&sale, &sale.operations, OperationKind::Capture)?;
        sale.refundable_amount =
            (sale.state == SaleState::Paid).then(|| format_in(refundable, &sale.amount));
        sale.offered_operations = match sale.state {
            // A sale without an Ottu transaction (a cash sale) has nothing Ottu could refund.
            SaleState::Paid if refundable > Decimal::ZERO && sale.session_id.is_some() => {
                vec![OperationKind::Refund]
            }
            SaleState::Authorized if capturable > Decimal::ZERO => {
                let captured = sale
                    .operations
                    .iter()
                    .any(|o| o.kind == OperationKind::Capture && o.state.takes_amount());
                if captured {
                    vec![OperationKind::Capture]
                } else {
                    vec![OperationKind::Capture, OperationKind::Void]
                }
            }
            _ => Vec::new(),
        };
        Ok(sale)
    }

    /// The gateways (`pg_codes`) the sale's request named.
    pub fn pg_codes_of(&self, id: &str) -> Result<Vec<String>> {
        let record = self.inner.load(id)?;
        Ok(record.request["pg_codes"]
            .as_array()
            .map(|codes| {
                codes
                    .iter()
                    .filter_map(|c| c.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }
}

/// What may still be refunded (or, for capture and void, captured) of `sale` after
/// `operations`: every refund (or capture) that is done, queued or may be in flight counts, and
/// a void leaves nothing.
fn remaining_after(
    sale: &Sale,
    operations: &[SaleOperation],
    kind: OperationKind,
) -> Result<Decimal> {
    let total: Decimal = sale.amount.parse().map_err(|_| {
        Error::Internal(format!("stored amount {:?} is not a decimal", sale.amount))
    })?;
    let counted = match kind {
        OperationKind::Refund => OperationKind::Refund,
        OperationKind::Capture | OperationKind::Void => OperationKind::Capture,
    };
    let mut taken = Decimal::ZERO;
    for op in operations {
        if op.kind != counted && !(kind != OperationKind::Refund && op.kind == OperationKind::Void)
        {
            continue;
        }
        if !op.state.takes_amount() {
            continue;
        }
        if op.kind == OperationKind::Void {
            return Ok(Decimal::ZERO);
        }
        let amount = op
            .result_amount
            .as_deref()
            .or(op.amount.as_deref())
            .and_then(|a| a.parse::<Decimal>().ok())
            // A whole-amount operation whose answer is not in yet takes everything.
            .unwrap_or(total);
        taken += amount;
    }
    Ok((total - taken).max(Decimal::ZERO))
}

/// `value` with as many decimals as `like` has (the currency's).
fn format_in(value: Decimal, like: &str) -> String {
    let decimals = like.split_once('.').map_or(0, |(_, d)| d.len()) as u32;
    let mut value = value.round_dp(decimals);
    value.rescale(decimals);
    value.to_string()
}

fn past_tense(kind: OperationKind) -> &'static str {
    match kind {
        OperationKind::Refund => "refunded",
        OperationKind::Capture => "captured",
        OperationKind::Void => "voided",
    }
}
