//! [`Till`]: the facade the desktop shell and the CLI use.
//!
//! It owns the config file (settings and profiles), the secret store, the embedded demo sandbox,
//! connection tests and gateway lists, and a [`Sales`] engine for the active profile. Its async
//! methods mirror the Tauri commands of docs/architecture.md one-to-one (`app_state`,
//! `gateways`, `create_sale`, ... `test_connection`, `subscribe`); this file is that list, each
//! command a line or two. The work is in the submodules, one concern each:
//!
//! - `settings`: [`TillDirs`], [`TillOptions`], `config.toml` as the till holds it, saving
//!   settings.
//! - `profiles`: the app state, adding, changing, switching and deleting profiles, their
//!   secrets in the keychain, "test connection".
//! - `staff`: who is signed in (PIN unlock, lock, idle lock), staff accounts, and
//!   [`Till::authorize`], the role check every command below makes first.
//! - `catalog`: the shop's catalog (search, scan, changes, CSV) and pricing a cart.
//! - `shifts`: shifts, the drawer's cash, cash sales, X and Z reports.
//! - `receipt`: a paid sale's receipt.
//! - `dashboard`: today at a glance and the week against last week, scoped by role.
//! - `engine`: the sales engine's lifecycle, the demo sandbox and the checkout client, and
//!   filling a new sale's defaults.
//!
//! # Lifecycle
//!
//! [`Till::open`] only reads `config.toml`; nothing talks to the network or starts a server.
//! The sales engine is built on first use for the active profile (for the demo that starts the
//! embedded sandbox, see `demo`) and rebuilt when the active profile or its credentials change.
//! All profiles share one history file, `<data_dir>/history.sqlite3`; each sale row carries its
//! profile id. [`Till::shutdown`] stops the engine and the demo sandbox.
//!
//! # Secrets
//!
//! A merchant's API key or password goes from [`ProfileInput::secret`] straight into the
//! [`SecretStore`] under `(service, "profile:<id>")` and is only read back to build the HTTP
//! client. `config.toml` records just `secret_configured`.

mod bills;
mod cash_ottu;
pub use cash_ottu::{OttuCashSetup, OttuCashSetupInput};
mod catalog;
mod dashboard;
mod engine;
mod profiles;
mod receipt;
mod reconcile;
mod settings;
mod shifts;
mod staff;

use std::path::Path;
use std::sync::{Arc, Mutex as StdMutex};

use serde::{Deserialize, Serialize};
use tokio::sync::{Mutex, broadcast};

use crate::connection::ConnectionCheck;
use crate::demo::Demo;
use crate::dto::{History, HistoryQuery, Sale, SaleDraft, SaleEdit, ShareLinks};
use crate::error::{Error, Result};
use crate::gateways::{Gateway, GatewayCache};
use crate::problem::{Problem, ProblemCode};
use crate::profiles::{Profile, ProfileInput};
use crate::sales::Sales;
use crate::secrets::SecretStore;
use crate::settings::{ConfigFile, Currency, Settings};
use crate::updates::UpdateSettings;

use self::engine::Engine;
use self::profiles::unknown_profile;
use self::settings::config_error;
pub use self::settings::{HISTORY_FILE_NAME, TillDirs, TillOptions, app_identifier};
pub use self::staff::Actor;
use crate::staff::Action;

/// Everything the UI needs to draw its chrome (docs/architecture.md `AppState`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AppState {
    /// The active profile.
    pub profile: Profile,
    /// Every profile, the demo first.
    pub profiles: Vec<Profile>,
    /// App-wide preferences.
    pub settings: Settings,
    /// Currencies the new-sale form offers.
    pub currencies: Vec<Currency>,
    /// This build's version.
    pub version: String,
    /// Who is signed in (the first owner while no PIN exists); `null` when the till is locked.
    pub staff: Option<crate::staff::StaffMember>,
    /// Whether the till locks (some staff member has a PIN): the UI shows the lock screen when
    /// this is true and `staff` is `null`.
    pub lock_required: bool,
    /// Where phones on the local network reach the demo's payment pages, while the phone demo
    /// serves them (`http://<address>:<port>`).
    pub phone_demo_url: Option<String>,
}

struct Inner {
    dirs: TillDirs,
    options: TillOptions,
    secrets: Arc<dyn SecretStore>,
    config: StdMutex<ConfigFile>,
    /// The demo sandbox, once started.
    demo: Mutex<Option<Demo>>,
    engine: Mutex<Option<Engine>>,
    gateways: GatewayCache,
    events: broadcast::Sender<Sale>,
    /// Who is signed in (this process only).
    session: StdMutex<Option<staff::Session>>,
    /// The history file opened for the catalog (`catalog`), on first use.
    catalog: StdMutex<Option<Arc<crate::store::Store>>>,
}

/// The facade over settings, profiles, secrets, the demo and the sales engine.
///
/// Cheap to clone (shared state); `Send + Sync`, so the shell can keep it in managed state.
#[derive(Clone)]
pub struct Till {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Till {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Till")
            .field("dirs", &self.inner.dirs)
            .field("secrets", &self.inner.secrets)
            .finish_non_exhaustive()
    }
}

impl Till {
    /// Opens the till over `dirs` with default options. Reads `config.toml` (first run: the
    /// demo profile, active); starts nothing.
    pub fn open(dirs: TillDirs, secrets: Arc<dyn SecretStore>) -> Result<Till> {
        Self::open_with(dirs, secrets, TillOptions::default())
    }

    /// [`Till::open`] with explicit options.
    pub fn open_with(
        dirs: TillDirs,
        secrets: Arc<dyn SecretStore>,
        options: TillOptions,
    ) -> Result<Till> {
        let config = ConfigFile::load(&dirs.config_dir).map_err(config_error)?;
        if let Some(id) = &options.profile_override
            && config.profile(id).is_none()
        {
            return Err(unknown_profile(id));
        }
        let (events, _) = broadcast::channel(64);
        Ok(Till {
            inner: Arc::new(Inner {
                gateways: GatewayCache::new(&dirs.data_dir, options.gateway_ttl),
                dirs,
                options,
                secrets,
                config: StdMutex::new(config),
                demo: Mutex::new(None),
                engine: Mutex::new(None),
                events,
                session: StdMutex::new(None),
                catalog: StdMutex::new(None),
            }),
        })
    }

    /// The directories this till uses.
    pub fn dirs(&self) -> &TillDirs {
        &self.inner.dirs
    }

    // ----- commands -----

    /// `app_state`: active profile, all profiles, settings, currencies, version.
    pub async fn app_state(&self) -> Result<AppState> {
        self.current_app_state().await
    }

    /// Builds the active profile's sales engine ahead of the first sale: starts the demo sandbox
    /// (in demo mode), opens the history and settles sales a crash left unsettled. The desktop
    /// app calls it once its home screen is painted, so the cashier's first Enter is as quick as
    /// every later one and a sale cut off by a crash is back in history without waiting for a
    /// new sale. Every other method builds the engine on first use anyway; this only moves that
    /// work earlier.
    pub async fn prepare(&self) -> Result<()> {
        self.engine().await.map(|_| ())
    }

    /// `gateways`: the gateways the active profile may use for `currency` (cached).
    pub async fn gateways(&self, currency: &str) -> Result<Vec<Gateway>> {
        self.gateways_for(currency).await
    }

    /// Forgets the active profile's cached gateway lists (the next `gateways` asks the server).
    pub async fn refresh_gateways(&self) -> Result<()> {
        let id = self.active_profile_id(&self.config());
        self.inner.gateways.clear_profile(&id);
        Ok(())
    }

    /// `create_sale`. Fills what the draft leaves out from the settings (language, link
    /// lifetime) and the profile (gateways for the currency).
    pub async fn create_sale(&self, draft: SaleDraft) -> Result<Sale> {
        let actor = self.authorize(Action::CreateSale)?;
        self.create_with_defaults(draft, &actor).await
    }

    /// Marks the sale on screen (polled about twice a second) or none; other open sales are
    /// polled every few seconds.
    pub async fn watch_sale(&self, id: Option<&str>) -> Result<()> {
        self.sales().await?.watch(id);
        Ok(())
    }

    /// `get_sale`: the sale as stored locally (kept current by the tracker).
    pub async fn get_sale(&self, id: &str) -> Result<Sale> {
        let sale = self.sales().await?.get(id).await?;
        self.offer_per_gateway(sale).await
    }

    /// The sale after asking the server for its current state.
    pub async fn refresh_sale(&self, id: &str) -> Result<Sale> {
        self.sales().await?.refresh(id).await
    }

    /// A sale by its local id, Ottu `session_id` or `order_no` (the CLI accepts any of them).
    pub async fn find_sale(&self, reference: &str) -> Result<Sale> {
        find_sale_in(&self.sales().await?, reference.trim()).await
    }

    /// `edit_sale`.
    pub async fn edit_sale(&self, id: &str, edit: SaleEdit) -> Result<Sale> {
        self.authorize(Action::EditSale)?;
        self.sales().await?.edit(id, edit).await
    }

    /// `cancel_sale`.
    pub async fn cancel_sale(&self, id: &str) -> Result<Sale> {
        self.authorize(Action::CancelSale)?;
        self.sales().await?.cancel(id).await
    }

    /// `check_sale`: asks Ottu about the sale right away.
    pub async fn check_sale(&self, id: &str) -> Result<Sale> {
        self.authorize(Action::CreateSale)?;
        let sale = self.sales().await?.check(id).await?;
        self.offer_per_gateway(sale).await
    }

    /// `replace_sale`: a new link for a sale none of whose links can be paid.
    pub async fn replace_sale(&self, id: &str) -> Result<Sale> {
        let actor = self.authorize(Action::CreateSale)?;
        self.sales()
            .await?
            .replace_as(id, Some(&actor.into()))
            .await
    }

    /// `operate_sale`: a refund, capture or void. A manager or the owner may; a cashier may
    /// refund with a manager's PIN (`approver_pin`). The intent id makes a retry or a double
    /// click the same operation.
    pub async fn operate_sale(&self, input: crate::dto::OperationInput) -> Result<Sale> {
        use crate::dto::OperationKind;
        let action = match input.kind {
            OperationKind::Refund => Action::Refund,
            OperationKind::Capture => Action::Capture,
            OperationKind::Void => Action::Void,
        };
        let who = match self.authorize(action) {
            Ok(actor) => crate::sales::OperationBy {
                by: Some(actor.into()),
                approved_by: None,
            },
            Err(Error::NotAllowed(problem)) => {
                let by = self.authorize(Action::CreateSale)?;
                match input
                    .approver_pin
                    .as_deref()
                    .filter(|p| !p.trim().is_empty())
                {
                    Some(pin) if action == Action::Refund => crate::sales::OperationBy {
                        by: Some(by.into()),
                        approved_by: Some(self.approve(action, pin)?.into()),
                    },
                    _ if action == Action::Refund => {
                        return Err(Error::NotAllowed(crate::problem::Problem::new(
                            crate::problem::ProblemCode::NeedsApproval,
                            problem.params,
                        )));
                    }
                    _ => return Err(Error::NotAllowed(problem)),
                }
            }
            Err(error) => return Err(error),
        };
        let sale = self
            .sales()
            .await?
            .operate(
                &input.intent_id,
                &input.sale_id,
                input.kind,
                input.amount.as_deref(),
                who,
            )
            .await?;
        self.offer_per_gateway(sale).await
    }

    /// Keeps only the operations one of the sale's gateways lists in Ottu's payment-methods
    /// answer (cached). When the list cannot be had (offline), the state's offer stands and Ottu
    /// refuses what its gateway does not support.
    async fn offer_per_gateway(&self, mut sale: Sale) -> Result<Sale> {
        if sale.offered_operations.is_empty() {
            return Ok(sale);
        }
        let Ok(gateways) = self.gateways_for(&sale.currency_code).await else {
            return Ok(sale);
        };
        let codes = self.sales().await?.pg_codes_of(&sale.id)?;
        let supported: Vec<&str> = gateways
            .iter()
            .filter(|g| codes.contains(&g.code))
            .flat_map(|g| g.operations.iter().map(String::as_str))
            .collect();
        if !codes.is_empty() && gateways.iter().any(|g| codes.contains(&g.code)) {
            sale.offered_operations
                .retain(|kind| supported.contains(&kind.as_str()));
        }
        Ok(sale)
    }

    /// "Save diagnostics": writes the redacted bundle (see [`crate::diagnostics`]) to `path`,
    /// with the app's logs from `log_dir` (the shell knows where they are). Manager or owner.
    pub async fn save_diagnostics(
        &self,
        path: &Path,
        log_dir: Option<&Path>,
    ) -> Result<crate::diagnostics::DiagnosticsSummary> {
        self.authorize(Action::Export)?;
        let config = self.config();
        let mut known = Vec::new();
        for profile in config.profiles.iter().filter(|p| p.secret_configured) {
            if let Ok(secret) = self.get_secret(&profile.id).await {
                known.push(secret.expose().to_owned());
            }
        }
        let config_text = std::fs::read_to_string(crate::settings::ConfigFile::path_in(
            &self.inner.dirs.config_dir,
        ))
        .unwrap_or_default();
        let sales = match self.sales().await {
            Ok(sales) => {
                sales
                    .history(HistoryQuery {
                        limit: Some(crate::diagnostics::RECENT_SALES as u32),
                        ..HistoryQuery::default()
                    })
                    .await?
                    .sales
            }
            Err(_) => Vec::new(),
        };
        let redactor = crate::diagnostics::Redactor::new(known);
        let path = path.to_owned();
        let log_dir = log_dir.map(Path::to_owned);
        tokio::task::spawn_blocking(move || {
            crate::diagnostics::write_bundle(
                &path,
                &redactor,
                &config_text,
                &sales,
                log_dir.as_deref(),
            )
        })
        .await
        .map_err(|e| Error::Internal(format!("diagnostics: {e}")))?
    }

    /// `update_settings`: where updates come from (owner only).
    pub fn update_settings(&self) -> Result<UpdateSettings> {
        self.authorize(Action::InstallUpdate)?;
        Ok(self.config().updates)
    }

    /// `save_update_settings`: set or clear the update address (owner only; `https://` only).
    pub fn save_update_settings(&self, updates: UpdateSettings) -> Result<UpdateSettings> {
        self.authorize(Action::InstallUpdate)?;
        let updates = updates.normalized()?;
        self.update_config(|config| {
            config.updates = updates.clone();
            Ok(())
        })?;
        Ok(updates)
    }

    /// The address to check for updates (owner only); an error saying where to set it when
    /// none is set.
    pub fn update_endpoint(&self) -> Result<String> {
        self.authorize(Action::InstallUpdate)?;
        self.config()
            .updates
            .endpoint
            .ok_or_else(|| Error::NotConfigured(ProblemCode::UpdateEndpointMissing.into()))
    }

    /// Whether an update may be installed now: the owner asks, an update address is set, and
    /// no sale can still be paid (the install restarts the app). The shell asks right before
    /// it installs.
    pub async fn ready_to_install_update(&self) -> Result<()> {
        self.update_endpoint()?;
        let open = self.sales().await?.open_sales()?;
        if open > 0 {
            return Err(Error::WrongState(Problem::new(
                ProblemCode::UpdateOpenSales,
                [("count", open)],
            )));
        }
        Ok(())
    }

    /// `share_links`: messages signed with the shop name from the settings.
    pub async fn share_links(&self, id: &str) -> Result<ShareLinks> {
        self.authorize(Action::ShareSale)?;
        let shop_name = self.config().settings.shop_name;
        self.sales().await?.share_links(id, &shop_name).await
    }

    /// `open_share`: the link that shares sale `id` on `channel` (the shell opens it with the
    /// system, so the page needs no permission to open `mailto:` or WhatsApp links).
    pub async fn share_link(&self, id: &str, channel: crate::dto::ShareChannel) -> Result<String> {
        use crate::dto::ShareChannel;
        let links = self.share_links(id).await?;
        let (link, why) = match channel {
            ShareChannel::Whatsapp => (
                links.whatsapp,
                crate::problem!(ShareUnavailable, channel = "WhatsApp"),
            ),
            ShareChannel::Sms => (links.sms, crate::problem!(ShareNeedsPhone)),
            ShareChannel::Email => (links.email, crate::problem!(ShareNeedsEmail)),
        };
        link.ok_or(Error::WrongState(why))
    }

    /// `history`.
    pub async fn history(&self, query: HistoryQuery) -> Result<History> {
        // Any role reads the history, but only with the till unlocked.
        self.authorize(Action::CreateSale)?;
        self.sales().await?.history(query).await
    }

    /// `export_csv`: writes the matching sales to `path`; returns the number of rows.
    pub async fn export_csv(&self, query: HistoryQuery, path: &str) -> Result<usize> {
        self.authorize(Action::Export)?;
        self.sales()
            .await?
            .export_csv_to_path(&query, Path::new(path))
            .await
    }

    /// `save_settings`.
    pub async fn save_settings(&self, settings: Settings) -> Result<AppState> {
        self.authorize(Action::ChangeSettings)?;
        self.store_settings(settings).await
    }

    /// `save_profile`: adds (no `id`) or changes a profile. The secret, when given, goes to the
    /// keychain; the result never contains it.
    pub async fn save_profile(&self, input: ProfileInput) -> Result<Profile> {
        self.authorize(Action::ManageConnections)?;
        self.store_profile(input).await
    }

    /// `use_profile`: makes `id` the active profile.
    pub async fn use_profile(&self, id: &str) -> Result<AppState> {
        self.authorize(Action::ManageConnections)?;
        self.activate_profile(id).await
    }

    /// `delete_profile`: removes a merchant profile and its keychain entry. The demo cannot be
    /// deleted; deleting the active profile makes the demo active. Its past sales stay in the
    /// history file.
    pub async fn delete_profile(&self, id: &str) -> Result<AppState> {
        self.authorize(Action::ManageConnections)?;
        self.remove_profile(id).await
    }

    /// `test_connection`: checks host, credentials and permissions of a profile being edited.
    ///
    /// Without a `secret`, the one saved for `id` is used. Input errors (a malformed URL, a
    /// missing user name) are returned as `invalid_input`, like `save_profile` would.
    pub async fn test_connection(&self, input: ProfileInput) -> Result<ConnectionCheck> {
        self.authorize(Action::ManageConnections)?;
        self.check_connection(input).await
    }

    /// `unlock`: signs in the staff member whose PIN this is.
    pub async fn unlock_with_pin(&self, pin: &str) -> Result<AppState> {
        self.unlock(pin)?;
        self.current_app_state().await
    }

    /// `lock`: locks the till now.
    pub async fn lock_now(&self) -> Result<AppState> {
        self.lock();
        self.current_app_state().await
    }

    /// `subscribe`: every change to a sale of the active profile (forwarded from the engine's
    /// tracker, across profile switches).
    pub fn subscribe(&self) -> broadcast::Receiver<Sale> {
        self.inner.events.subscribe()
    }

    /// Stops the sales engine and the demo sandbox (waits for in-flight requests).
    pub async fn shutdown(&self) {
        self.stop_all().await;
    }
}

/// The sale whose local id, `session_id` or `order_no` is `reference`.
async fn find_sale_in(sales: &Sales, reference: &str) -> Result<Sale> {
    match sales.get(reference).await {
        Ok(sale) => return Ok(sale),
        Err(Error::NotFound(_)) => {}
        Err(error) => return Err(error),
    }
    let history = sales
        .history(HistoryQuery {
            limit: Some(u32::MAX),
            ..HistoryQuery::default()
        })
        .await?;
    history
        .sales
        .into_iter()
        .find(|sale| sale.order_no == reference || sale.session_id.as_deref() == Some(reference))
        .ok_or_else(|| {
            Error::NotFound(crate::problem!(
                ReferenceNotFound,
                reference = format!("{reference:?}")
            ))
        })
}

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
