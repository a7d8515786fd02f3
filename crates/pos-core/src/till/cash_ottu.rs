//! Cash sales at Ottu, and the profile settings behind them (owner only): which of the
//! profile's gateways is Ottu's cash method, and this till's id (its order-number prefix).
//!
//! With a cash gateway marked, a cash sale is recorded at Ottu after it is stored here: a
//! payment request on that gateway with the sale's order number, then Ottu's cash
//! acknowledgement of it (state `cod`). Each step is journaled on the sale's record
//! (`store/cash_ottu.rs`) before its request leaves, under the link sales' no-duplicate rules:
//! a create whose answer was lost (`create_unknown`) is never sent again until Ottu's status
//! query by the order number says no such transaction exists, and only after the late-commit
//! horizon. When Ottu cannot be reached the sale stays recorded here and its record waits
//! (`to_create`, `to_acknowledge`); [`Till::retry_cash_at_ottu`] resumes every waiting record
//! (run before each reconciliation and after each cash sale). Without a marked gateway the
//! record says `local_only`.

use ottu_checkout::checkout::{CheckoutType, CreateCheckoutSession, PaymentState};
use ottu_checkout::{Amount, Client, CurrencyCode, OrderNo, PgCode, SessionId};
use serde::{Deserialize, Serialize};

use super::Till;
use crate::dto::Sale;
use crate::error::{Error, Result};
use crate::problem;
use crate::staff::Action;
use crate::store::{CashOttuRecord, CashOttuStatus, OttuCashSettings, Store, now_utc};

/// How long after its first create a lost one may still be committed at Ottu: the status
/// query's "no such transaction" is trusted only after it (Ottu answers no status query in a
/// transaction's first 10 minutes).
const LATE_COMMIT_HORIZON_SECONDS: i64 = 10 * 60 + 30;

/// The profile's Ottu cash settings as the UI and the CLI see and send them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OttuCashSetup {
    /// The gateway marked as Ottu's cash method; `null`: cash sales stay local only.
    pub cash_pg_code: Option<String>,
    /// This till's id, as in its order numbers (`POS-<TILL>-…`).
    pub till_id: String,
    /// Whether `till_id` was set (else derived from the profile's id).
    pub till_id_set: bool,
}

/// What the owner sends to change them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OttuCashSetupInput {
    /// A gateway of the profile, or `null`/blank to keep cash sales local only.
    pub cash_pg_code: Option<String>,
    /// 1 to 8 letters or digits, or `null`/blank for the default.
    pub till_id: Option<String>,
}

impl Till {
    /// `ottu_cash_setup`: the active profile's cash gateway and till id.
    pub async fn ottu_cash_setup(&self) -> Result<OttuCashSetup> {
        self.authorize(Action::CreateSale)?;
        let sales = self.sales().await?;
        let stored = sales.store().ottu_cash_settings(sales.profile_id())?;
        Ok(OttuCashSetup {
            cash_pg_code: stored.cash_pg_code,
            till_id: sales.till_id()?,
            till_id_set: stored.till_id.is_some(),
        })
    }

    /// `set_ottu_cash_setup` (owner only): marks one of the profile's gateways as Ottu's cash
    /// method (or none) and sets the till id. Errors name `cash_pg_code` or `till_id`.
    pub async fn set_ottu_cash_setup(&self, input: OttuCashSetupInput) -> Result<OttuCashSetup> {
        self.authorize(Action::ManageConnections)?;
        let till_id = match input
            .till_id
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            None => None,
            Some(text) => Some(
                crate::sales::draft::check_till_id(text)
                    .ok_or_else(|| Error::invalid_field("till_id", problem!(TillIdInvalid)))?,
            ),
        };
        let (profile_id, sales, client) = self.engine().await?;
        let cash_pg_code = match input
            .cash_pg_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            None => None,
            Some(code) => {
                let offered = gateway_codes(&client).await?;
                if !offered.iter().any(|c| c == code) {
                    return Err(Error::invalid_field(
                        "cash_pg_code",
                        problem!(CashGatewayUnknown, code = code),
                    ));
                }
                Some(code.to_owned())
            }
        };
        sales.store().set_ottu_cash_settings(
            &profile_id,
            &OttuCashSettings {
                cash_pg_code,
                till_id,
            },
        )?;
        self.ottu_cash_setup().await
    }

    /// Records cash sale `sale` at Ottu when the profile marks a cash gateway (else marks it
    /// local only). Never fails the cash sale: what cannot be done now waits for
    /// [`Till::retry_cash_at_ottu`].
    pub(super) async fn record_cash_sale_at_ottu(&self, sale: &Sale) {
        let Ok((profile_id, sales, client)) = self.engine().await else {
            return;
        };
        let store = sales.store();
        let settings = match store.ottu_cash_settings(&profile_id) {
            Ok(settings) => settings,
            Err(e) => {
                tracing::warn!(error = %e, "cash sale: settings unreadable");
                return;
            }
        };
        let mut record = CashOttuRecord {
            sale_id: sale.id.clone(),
            profile_id,
            status: match settings.cash_pg_code {
                Some(_) => CashOttuStatus::ToCreate,
                None => CashOttuStatus::LocalOnly,
            },
            pg_code: settings.cash_pg_code,
            session_id: None,
            attempts: 0,
            first_sent_at: None,
            last_problem: None,
            updated_at: now_utc(),
        };
        if let Err(e) = store.put_cash_ottu_record(&record) {
            tracing::warn!(error = %e, "cash sale: its Ottu record could not be stored");
            return;
        }
        if record.status.is_pending() {
            advance(store, &client, sale, &mut record).await;
        }
    }

    /// `retry_cash_at_ottu`: resumes every cash sale of the active profile whose record at
    /// Ottu is unfinished; answers how many are still unfinished.
    pub async fn retry_cash_at_ottu(&self) -> Result<u32> {
        self.authorize(Action::CreateSale)?;
        let (profile_id, sales, client) = self.engine().await?;
        let store = sales.store();
        let mut left = 0;
        for mut record in store.pending_cash_ottu_records(&profile_id)? {
            let Ok(sale) = sales.get(&record.sale_id).await else {
                continue;
            };
            advance(store, &client, &sale, &mut record).await;
            if record.status.is_pending() {
                left += 1;
            }
        }
        Ok(left)
    }
}

/// The pg_codes the connection offers for payment requests.
async fn gateway_codes(client: &Client) -> Result<Vec<String>> {
    use ottu_checkout::payment_methods::PaymentMethodsQuery;
    let query = PaymentMethodsQuery::new(CheckoutType::PaymentRequest);
    let methods = client.payment_methods().list(&query).await?;
    Ok(methods
        .payment_methods
        .into_iter()
        .map(|m| m.code.as_str().to_owned())
        .collect())
}

fn save(store: &Store, record: &mut CashOttuRecord, status: CashOttuStatus, problem: Option<&str>) {
    record.status = status;
    record.last_problem = problem.map(str::to_owned);
    record.updated_at = now_utc();
    if let Err(e) = store.put_cash_ottu_record(record) {
        tracing::warn!(error = %e, sale = %record.sale_id, "cash sale: Ottu record not saved");
    }
}

fn seconds_since(rfc3339: Option<&str>) -> i64 {
    rfc3339
        .and_then(crate::clock::parse_instant)
        .map_or(i64::MAX, |t| {
            (time::OffsetDateTime::now_utc() - t).whole_seconds()
        })
}

/// Moves `record` as far as Ottu lets it now (create, find a lost create, acknowledge).
async fn advance(store: &Store, client: &Client, sale: &Sale, record: &mut CashOttuRecord) {
    // At most one create, one status query and one acknowledgement per call.
    for _ in 0..3 {
        match record.status {
            CashOttuStatus::ToCreate => create(store, client, sale, record).await,
            CashOttuStatus::CreateUnknown => find_lost_create(store, client, sale, record).await,
            CashOttuStatus::ToAcknowledge => acknowledge(store, client, record).await,
            _ => return,
        }
        if matches!(
            record.status,
            CashOttuStatus::Acknowledged | CashOttuStatus::Refused
        ) || record.last_problem.is_some()
        {
            return;
        }
    }
}

async fn create(store: &Store, client: &Client, sale: &Sale, record: &mut CashOttuRecord) {
    let request = match cash_request(sale, record.pg_code.as_deref()) {
        Ok(request) => request,
        Err(problem) => return save(store, record, CashOttuStatus::Refused, Some(&problem)),
    };
    // Journaled before the request leaves: a crash now leaves `create_unknown`, never a blind
    // second create.
    record.attempts += 1;
    record.first_sent_at.get_or_insert_with(now_utc);
    save(store, record, CashOttuStatus::CreateUnknown, None);
    match client.checkout().create(&request).await {
        Ok(session) => {
            record.session_id = Some(session.session_id.as_str().to_owned());
            save(store, record, CashOttuStatus::ToAcknowledge, None);
        }
        Err(e) if !e.may_have_been_applied() && e.is_retryable() => {
            save(store, record, CashOttuStatus::ToCreate, Some("network"));
        }
        Err(e) if e.may_have_been_applied() => {
            save(
                store,
                record,
                CashOttuStatus::CreateUnknown,
                Some("ambiguous"),
            );
        }
        Err(e) => {
            let problem = Error::from(e).code().as_str();
            save(store, record, CashOttuStatus::Refused, Some(problem));
        }
    }
}

/// A create whose answer was lost: Ottu's status query by order number finds it, or (after
/// the late-commit horizon) says it does not exist, and only then is it created again.
async fn find_lost_create(
    store: &Store,
    client: &Client,
    sale: &Sale,
    record: &mut CashOttuRecord,
) {
    let Ok(order_no) = OrderNo::parse(sale.order_no.clone()) else {
        return save(
            store,
            record,
            CashOttuStatus::Refused,
            Some("invalid_input"),
        );
    };
    match client.inquiry().status(order_no).await {
        Ok(status) => {
            record.session_id = status.session_id.map(|s| s.as_str().to_owned());
            let next = if status.state == Some(PaymentState::Cod) {
                CashOttuStatus::Acknowledged
            } else {
                CashOttuStatus::ToAcknowledge
            };
            save(store, record, next, None);
        }
        Err(ottu_checkout::Error::NotFound { .. })
            if seconds_since(record.first_sent_at.as_deref()) > LATE_COMMIT_HORIZON_SECONDS =>
        {
            save(store, record, CashOttuStatus::ToCreate, None);
        }
        Err(_) => save(
            store,
            record,
            CashOttuStatus::CreateUnknown,
            Some("waiting"),
        ),
    }
}

async fn acknowledge(store: &Store, client: &Client, record: &mut CashOttuRecord) {
    let Some(session_id) = record
        .session_id
        .clone()
        .and_then(|s| SessionId::parse(s).ok())
    else {
        return save(
            store,
            record,
            CashOttuStatus::Refused,
            Some("invalid_input"),
        );
    };
    record.attempts += 1;
    match client.cash().acknowledge(&session_id).await {
        Ok(_) => save(store, record, CashOttuStatus::Acknowledged, None),
        Err(e) if e.status() == Some(400) => {
            // Refused: perhaps an earlier acknowledgement whose answer was lost. Ottu's own
            // record decides.
            match client.checkout().retrieve(&session_id).await {
                Ok(session) if session.state == Some(PaymentState::Cod) => {
                    save(store, record, CashOttuStatus::Acknowledged, None)
                }
                Ok(_) => save(store, record, CashOttuStatus::Refused, Some("api_rejected")),
                Err(_) => save(
                    store,
                    record,
                    CashOttuStatus::ToAcknowledge,
                    Some("network"),
                ),
            }
        }
        Err(e) if e.is_retryable() || e.may_have_been_applied() => save(
            store,
            record,
            CashOttuStatus::ToAcknowledge,
            Some("network"),
        ),
        Err(e) => {
            let problem = Error::from(e).code().as_str();
            save(store, record, CashOttuStatus::Refused, Some(problem));
        }
    }
}

/// The payment request recording cash sale `sale` on gateway `pg_code`.
fn cash_request(
    sale: &Sale,
    pg_code: Option<&str>,
) -> std::result::Result<CreateCheckoutSession, String> {
    let currency = CurrencyCode::parse(&sale.currency_code).map_err(|e| e.to_string())?;
    let amount = Amount::parse(&sale.amount, &currency).map_err(|e| e.to_string())?;
    let pg_code = PgCode::parse(pg_code.unwrap_or_default()).map_err(|e| e.to_string())?;
    let mut request = CreateCheckoutSession::new(
        CheckoutType::PaymentRequest,
        amount,
        currency,
        vec![pg_code],
    );
    request.order_no = Some(OrderNo::parse(sale.order_no.clone()).map_err(|e| e.to_string())?);
    Ok(request)
}
