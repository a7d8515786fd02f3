//! Engine lifecycle: the sales engine of the active profile, built on first use and rebuilt when
//! the active profile or its credentials change, the embedded demo sandbox it may need, and the
//! checkout client it talks through.
//!
//! All profiles share one history file, `<data_dir>/history.sqlite3`; each sale row carries its
//! profile id. Updates from the engine's tracker are forwarded to the till's own channel, so a
//! subscriber keeps receiving them across profile switches.

use tokio::sync::broadcast;

use crate::connection::ConnectionTarget;
use crate::demo::Demo;
use crate::dto::{Sale, SaleDraft};
use crate::error::{Error, Result};
use crate::gateways::Gateway;
use crate::profiles::{AuthKind, StoredProfile};
use crate::sales::{OrderLookup, Sales, SalesOptions};

use super::Till;
use super::profiles::parse_currency;
use super::settings::HISTORY_FILE_NAME;

/// The sales engine of one profile, plus the task forwarding its updates to the till's channel.
pub(super) struct Engine {
    profile_id: String,
    sales: Sales,
    client: ottu_checkout::Client,
    forward: tokio::task::JoinHandle<()>,
}

impl Till {
    /// The demo's URL if known (running, or from an earlier run), without starting it.
    pub(super) async fn demo_base_url(&self) -> String {
        if let Some(demo) = self.inner.demo.lock().await.as_ref() {
            return demo.base_url().to_owned();
        }
        Demo::known_base_url(&self.inner.dirs.data_dir).unwrap_or_default()
    }

    /// Where the demo serves its payment pages for phones, when the setting is on.
    fn phone_demo_address(&self) -> Result<Option<std::net::IpAddr>> {
        if !self.config().settings.phone_demo {
            return Ok(None);
        }
        match self.inner.options.phone_demo_address {
            Some(address) => Ok(Some(address)),
            None => local_ip_address::local_ip().map(Some).map_err(|error| {
                Error::NotConfigured(crate::problem!(PhoneDemoNoAddress, detail = error))
            }),
        }
    }

    /// Stops the demo sandbox and the engine on it, so the next use starts them with the
    /// current settings.
    pub(super) async fn restart_demo(&self) {
        let mut engine = self.inner.engine.lock().await;
        if let Some(old) = engine.take() {
            stop_engine(old).await;
        }
        drop(engine);
        if let Some(demo) = self.inner.demo.lock().await.take() {
            demo.shutdown().await;
        }
    }

    /// The demo sandbox as a connection target, started if it is not running.
    pub(super) async fn demo_target(&self) -> Result<ConnectionTarget> {
        let mut demo = self.inner.demo.lock().await;
        if demo.is_none() {
            let phone = self.phone_demo_address()?;
            *demo = Some(Demo::start_with(&self.inner.dirs.data_dir, phone).await?);
        }
        let demo = demo.as_ref().expect("started above");
        Ok(ConnectionTarget {
            base_url: demo.base_url().to_owned(),
            auth: AuthKind::ApiKey,
            username: None,
            secret: demo.api_key().clone(),
            currency: ottu_checkout::CurrencyCode::KWD,
        })
    }

    /// The checkout client of a profile and how its engine finds a sale by `order_no`.
    async fn client_for(
        &self,
        profile: &StoredProfile,
    ) -> Result<(ottu_checkout::Client, OrderLookup)> {
        let target = if profile.is_demo() {
            self.demo_target().await?
        } else {
            ConnectionTarget {
                base_url: profile.base_url.clone(),
                auth: profile.auth,
                username: profile.username.clone(),
                secret: self.get_secret(&profile.id).await?,
                currency: ottu_checkout::CurrencyCode::KWD,
            }
        };
        let auth = match target.auth {
            AuthKind::ApiKey => ottu_checkout::Auth::api_key(target.secret.expose()),
            AuthKind::Basic => ottu_checkout::Auth::basic(
                target.username.clone().unwrap_or_default(),
                target.secret.expose(),
            ),
        };
        let mut builder = ottu_checkout::Client::builder()
            .base_url(&target.base_url)
            .auth(auth);
        if let Some(timeout) = self.inner.options.request_timeout {
            builder = builder.timeout(timeout);
        }
        let client = builder.build().map_err(|error| {
            Error::NotConfigured(crate::problem!(
                ProfileUnusable,
                id = format!("{:?}", profile.id),
                detail = error
            ))
        })?;
        // The embedded sandbox plays Ottu's rules, the status query's throttle included.
        Ok((client, OrderLookup::Inquiry))
    }

    pub(super) async fn sales(&self) -> Result<Sales> {
        Ok(self.engine().await?.1)
    }

    /// The engine of the active profile, built on first use.
    pub(super) async fn engine(&self) -> Result<(String, Sales, ottu_checkout::Client)> {
        let active_id = self.active_profile_id(&self.config());
        let mut engine = self.inner.engine.lock().await;
        if let Some(current) = engine.as_ref()
            && current.profile_id == active_id
        {
            return Ok((
                current.profile_id.clone(),
                current.sales.clone(),
                current.client.clone(),
            ));
        }
        if let Some(old) = engine.take() {
            stop_engine(old).await;
        }
        let profile = self.stored_profile(&active_id)?;
        let (client, order_lookup) = self.client_for(&profile).await?;
        let settings = self.config().settings;
        let options = SalesOptions {
            prices_include_tax: settings.prices_include_tax(),
            shop_name: settings.shop_name,
            default_language: settings.language,
            default_pg_codes: profile.default_pg_codes.clone(),
            order_lookup,
            clock: self.inner.options.engine_clock.clone(),
            claim_lease: self
                .inner
                .options
                .claim_lease
                .unwrap_or(SalesOptions::default().claim_lease),
            ..SalesOptions::default()
        };
        let sales = Sales::open(
            self.inner.dirs.data_dir.join(HISTORY_FILE_NAME),
            client.clone(),
            profile.id.clone(),
            options,
        )
        .await?;
        let mut updates = sales.subscribe();
        let events = self.inner.events.clone();
        let forward = tokio::spawn(async move {
            loop {
                match updates.recv().await {
                    Ok(sale) => {
                        // No subscriber is not an error: the UI may not be listening yet.
                        let _ = events.send(sale);
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        // Sales a crash left `sending`/`unknown` are settled by the engine's tracker as soon as
        // their claims lapse (`Sales::settle_due`); a failure leaves them with a problem.
        *engine = Some(Engine {
            profile_id: profile.id.clone(),
            sales: sales.clone(),
            client: client.clone(),
            forward,
        });
        Ok((profile.id, sales, client))
    }

    /// The gateways the active profile may use for `currency` (cached).
    pub(super) async fn gateways_for(&self, currency: &str) -> Result<Vec<Gateway>> {
        let currency = parse_currency("currency", currency)?;
        let (profile_id, _, client) = self.engine().await?;
        self.inner
            .gateways
            .get_or_fetch(&profile_id, &currency, &client)
            .await
    }

    /// Creates a sale, filling what the draft leaves out from the settings (language, link
    /// lifetime) and the profile (gateways for the currency); it becomes the sale on screen.
    pub(super) async fn create_with_defaults(
        &self,
        draft: SaleDraft,
        by: &super::Actor,
    ) -> Result<Sale> {
        self.create_part_with_defaults(draft, by, None).await
    }

    /// [`Till::create_with_defaults`] for a link part of split bill `bill` when given (the
    /// engine checks it against the bill, `sales/bills.rs`).
    pub(super) async fn create_part_with_defaults(
        &self,
        mut draft: SaleDraft,
        by: &super::Actor,
        bill: Option<&str>,
    ) -> Result<Sale> {
        let settings = self.config().settings;
        if draft.language.is_none() {
            draft.language = Some(settings.language);
        }
        // An itemised sale is an invoice: no link lifetime, its currency is the cart's, and
        // only purchase gateways take it.
        let cart_currency = draft.cart.as_ref().map(|cart| cart.currency_code.clone());
        if draft.expires_in_minutes.is_none() && cart_currency.is_none() {
            draft.expires_in_minutes = Some(settings.default_expiry_minutes);
        }
        let (profile_id, sales, client) = self.engine().await?;
        let chosen = draft.pg_codes.clone().filter(|codes| !codes.is_empty());
        if chosen.is_none() || cart_currency.is_some() {
            let currency_text = cart_currency.as_deref().unwrap_or(&draft.currency_code);
            // An unknown currency is reported by the engine's own validation, naming the field.
            if let Ok(currency) = parse_currency("currency_code", currency_text) {
                let profile = self.stored_profile(&profile_id)?;
                let mut available = self
                    .inner
                    .gateways
                    .get_or_fetch(&profile_id, &currency, &client)
                    .await?;
                if cart_currency.is_some() {
                    if let Some(code) = chosen.iter().flatten().find(|code| {
                        available
                            .iter()
                            .any(|g| &g.code == *code && !g.takes_invoices)
                    }) {
                        return Err(Error::invalid_field(
                            "pg_codes",
                            crate::problem!(InvoiceGatewayAuthorize, code = code),
                        ));
                    }
                    available.retain(|g| g.takes_invoices);
                }
                if chosen.is_none() {
                    // A link is paid online: the gateway the owner marked as Ottu's cash method
                    // is the drawer's, never offered to a customer paying by link.
                    if let Some(cash) = sales.store().ottu_cash_settings(&profile_id)?.cash_pg_code
                    {
                        available.retain(|g| g.code != cash);
                    }
                    draft.pg_codes = Some(choose_pg_codes(&profile.default_pg_codes, &available));
                }
            }
        }
        sales.set_prices_include_tax(settings.prices_include_tax());
        let sale = match bill {
            Some(bill) => sales.add_link_part(bill, draft, Some(&by.into())).await?,
            None => sales.create_as(draft, Some(&by.into())).await?,
        };
        // The new sale is the one on screen: the tracker polls it fast.
        sales.watch(Some(&sale.id));
        Ok(sale)
    }

    /// Runs every automatic check that is due now ([`Sales::settle_due`]); answers how many
    /// sales were checked.
    pub async fn settle_due(&self) -> Result<usize> {
        self.sales().await?.settle_due().await
    }

    /// How many sales of the active profile are still being settled by the till on its own:
    /// `sending`, or `unknown` with an automatic check scheduled (an `unknown` sale that waits
    /// for staff, such as a mismatch, is not counted).
    pub async fn unsettled(&self) -> Result<usize> {
        let sales = self.sales().await?;
        let mut count = 0;
        for state in [
            crate::dto::SaleState::Sending,
            crate::dto::SaleState::Unknown,
        ] {
            let history = sales
                .history(crate::dto::HistoryQuery {
                    state: Some(state),
                    limit: Some(u32::MAX),
                    ..Default::default()
                })
                .await?;
            count += history
                .sales
                .iter()
                .filter(|s| {
                    s.state == crate::dto::SaleState::Sending
                        || s.settlement.next_check_at.is_some()
                })
                .count();
        }
        Ok(count)
    }

    pub(super) async fn drop_engine_if(&self, profile_id: &str) {
        let mut engine = self.inner.engine.lock().await;
        if engine.as_ref().is_some_and(|e| e.profile_id == profile_id)
            && let Some(old) = engine.take()
        {
            stop_engine(old).await;
        }
    }

    pub(super) async fn drop_engine_unless(&self, profile_id: &str) {
        let mut engine = self.inner.engine.lock().await;
        if engine.as_ref().is_some_and(|e| e.profile_id != profile_id)
            && let Some(old) = engine.take()
        {
            stop_engine(old).await;
        }
    }

    /// Stops the engine and the demo sandbox (waits for in-flight requests).
    pub(super) async fn stop_all(&self) {
        if let Some(engine) = self.inner.engine.lock().await.take() {
            stop_engine(engine).await;
        }
        if let Some(demo) = self.inner.demo.lock().await.take() {
            demo.shutdown().await;
        }
    }
}

/// Stops forwarding; the engine's tracker stops when its last handle is dropped.
async fn stop_engine(engine: Engine) {
    engine.forward.abort();
    let _ = engine.forward.await;
    drop(engine.sales);
}

/// The gateways for a new sale: the profile's defaults that the server offers for the currency,
/// or every offered gateway when none of the defaults applies.
pub(super) fn choose_pg_codes(defaults: &[String], available: &[Gateway]) -> Vec<String> {
    let preferred: Vec<String> = defaults
        .iter()
        .filter(|code| available.iter().any(|g| &g.code == *code))
        .cloned()
        .collect();
    if preferred.is_empty() {
        available.iter().map(|g| g.code.clone()).collect()
    } else {
        preferred
    }
}
