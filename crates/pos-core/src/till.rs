//! [`Till`]: the facade the desktop shell and the CLI use.
//!
//! It owns the config file (settings and profiles), the secret store, the embedded demo sandbox,
//! connection tests and gateway lists, and a [`Sales`] engine for the active profile. Its async
//! methods mirror the Tauri commands of docs/architecture.md one-to-one (`app_state`,
//! `gateways`, `create_sale`, ... `test_connection`, `subscribe`).
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

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::{Mutex, broadcast};

use crate::connection::{CheckKind, ConnectionCheck, ConnectionTarget, DEFAULT_CHECK_TIMEOUT};
use crate::demo::Demo;
use crate::dto::{History, HistoryQuery, Sale, SaleDraft, SaleEdit, ShareLinks};
use crate::error::{Error, Result};
use crate::gateways::{DEFAULT_TTL, Gateway, GatewayCache};
use crate::profiles::{
    AuthKind, DEMO_PROFILE_ID, Profile, ProfileInput, ProfileKind, StoredProfile, new_profile_id,
};
use crate::sales::{OrderLookup, Sales, SalesOptions};
use crate::secrets::{Secret, SecretError, SecretKey, SecretStore, default_service_name};
use crate::settings::{ConfigFile, ConfigFileError, Currency, Settings, supported_currencies};

/// Name of the shared history database inside the data dir.
pub const HISTORY_FILE_NAME: &str = "history.sqlite3";

/// Application identifier: the folder name under the platform's config and data dirs (the same
/// folder the desktop shell uses). Debug builds use their own folder so development never mixes
/// with real sales.
pub fn app_identifier() -> &'static str {
    if cfg!(debug_assertions) {
        "net.ottu.pos.dev"
    } else {
        "net.ottu.pos"
    }
}

/// Where the till keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TillDirs {
    /// `config.toml` (settings, profiles; no secrets).
    pub config_dir: PathBuf,
    /// History database, gateway cache, the demo sandbox's data.
    pub data_dir: PathBuf,
}

impl TillDirs {
    /// The platform's app dirs: `$XDG_CONFIG_HOME/<id>` and `$XDG_DATA_HOME/<id>` on Linux,
    /// `~/Library/Application Support/<id>` on macOS, `%APPDATA%\<id>` on Windows, where `<id>`
    /// is [`app_identifier`].
    pub fn platform_default() -> Result<TillDirs> {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let env_dir = |name: &str| {
            std::env::var_os(name)
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        };
        let (config_base, data_base) = if cfg!(target_os = "windows") {
            let appdata = env_dir("APPDATA");
            (appdata.clone(), appdata)
        } else if cfg!(target_os = "macos") {
            let support = home.map(|h| h.join("Library").join("Application Support"));
            (support.clone(), support)
        } else {
            (
                env_dir("XDG_CONFIG_HOME").or_else(|| home.as_ref().map(|h| h.join(".config"))),
                env_dir("XDG_DATA_HOME")
                    .or_else(|| home.as_ref().map(|h| h.join(".local").join("share"))),
            )
        };
        match (config_base, data_base) {
            (Some(config), Some(data)) => Ok(TillDirs {
                config_dir: config.join(app_identifier()),
                data_dir: data.join(app_identifier()),
            }),
            _ => Err(Error::NotConfigured(
                "cannot find the home directory; pass --config-dir and --data-dir".to_owned(),
            )),
        }
    }
}

/// Knobs with sensible defaults.
#[derive(Debug, Clone)]
pub struct TillOptions {
    /// Keychain service name ([`default_service_name`]: `ottu-pos` / `ottu-pos-dev`).
    pub keychain_service: String,
    /// Use this profile instead of the saved active one, without saving the choice (the CLI's
    /// `--profile`).
    pub profile_override: Option<String>,
    /// How long "test connection" waits.
    pub connection_timeout: Duration,
    /// How long a gateway list is trusted.
    pub gateway_ttl: Duration,
}

impl Default for TillOptions {
    fn default() -> Self {
        Self {
            keychain_service: default_service_name().to_owned(),
            profile_override: None,
            connection_timeout: DEFAULT_CHECK_TIMEOUT,
            gateway_ttl: DEFAULT_TTL,
        }
    }
}

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
}

/// The sales engine of one profile, plus the task forwarding its updates to the till's channel.
struct Engine {
    profile_id: String,
    sales: Sales,
    client: ottu_checkout::Client,
    forward: tokio::task::JoinHandle<()>,
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
        let config = self.config();
        let demo_url = self.demo_base_url().await;
        let active_id = self.active_profile_id(&config);
        let profiles: Vec<Profile> = config
            .profiles
            .iter()
            .map(|p| p.to_profile(&demo_url))
            .collect();
        let profile = profiles
            .iter()
            .find(|p| p.id == active_id)
            .cloned()
            .ok_or_else(|| unknown_profile(&active_id))?;
        Ok(AppState {
            profile,
            profiles,
            settings: config.settings,
            currencies: supported_currencies(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        })
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
        let currency = parse_currency("currency", currency)?;
        let (profile_id, _, client) = self.engine().await?;
        self.inner
            .gateways
            .get_or_fetch(&profile_id, &currency, &client)
            .await
    }

    /// Forgets the active profile's cached gateway lists (the next `gateways` asks the server).
    pub async fn refresh_gateways(&self) -> Result<()> {
        let id = self.active_profile_id(&self.config());
        self.inner.gateways.clear_profile(&id);
        Ok(())
    }

    /// `create_sale`. Fills what the draft leaves out from the settings (language, link
    /// lifetime) and the profile (gateways for the currency).
    pub async fn create_sale(&self, mut draft: SaleDraft) -> Result<Sale> {
        let settings = self.config().settings;
        if draft.language.is_none() {
            draft.language = Some(settings.language);
        }
        if draft.expires_in_minutes.is_none() {
            draft.expires_in_minutes = Some(settings.default_expiry_minutes);
        }
        let (profile_id, sales, client) = self.engine().await?;
        if draft.pg_codes.as_ref().is_none_or(Vec::is_empty) {
            // An unknown currency is reported by the engine's own validation, naming the field.
            if let Ok(currency) = parse_currency("currency_code", &draft.currency_code) {
                let profile = self.stored_profile(&profile_id)?;
                let available = self
                    .inner
                    .gateways
                    .get_or_fetch(&profile_id, &currency, &client)
                    .await?;
                draft.pg_codes = Some(choose_pg_codes(&profile.default_pg_codes, &available));
            }
        }
        let sale = sales.create(draft).await?;
        // The new sale is the one on screen: the tracker polls it fast.
        sales.watch(Some(&sale.id));
        Ok(sale)
    }

    /// Marks the sale on screen (polled about twice a second) or none; other open sales are
    /// polled every few seconds.
    pub async fn watch_sale(&self, id: Option<&str>) -> Result<()> {
        self.sales().await?.watch(id);
        Ok(())
    }

    /// `get_sale`: the sale as stored locally (kept current by the tracker).
    pub async fn get_sale(&self, id: &str) -> Result<Sale> {
        self.sales().await?.get(id).await
    }

    /// The sale after asking the server for its current state.
    pub async fn refresh_sale(&self, id: &str) -> Result<Sale> {
        self.sales().await?.refresh(id).await
    }

    /// A sale by its local id, Ottu `session_id` or `order_no` (the CLI accepts any of them).
    pub async fn find_sale(&self, reference: &str) -> Result<Sale> {
        let reference = reference.trim();
        let sales = self.sales().await?;
        match sales.get(reference).await {
            Ok(sale) => return Ok(sale),
            Err(Error::NotFound { .. }) => {}
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
            .find(|sale| {
                sale.order_no == reference || sale.session_id.as_deref() == Some(reference)
            })
            .ok_or_else(|| Error::NotFound {
                what: format!("a sale with id, session_id or order_no {reference:?}"),
            })
    }

    /// `edit_sale`.
    pub async fn edit_sale(&self, id: &str, edit: SaleEdit) -> Result<Sale> {
        self.sales().await?.edit(id, edit).await
    }

    /// `cancel_sale`.
    pub async fn cancel_sale(&self, id: &str) -> Result<Sale> {
        self.sales().await?.cancel(id).await
    }

    /// `share_links`: messages signed with the shop name from the settings.
    pub async fn share_links(&self, id: &str) -> Result<ShareLinks> {
        let shop_name = self.config().settings.shop_name;
        self.sales().await?.share_links(id, &shop_name).await
    }

    /// `history`.
    pub async fn history(&self, query: HistoryQuery) -> Result<History> {
        self.sales().await?.history(query).await
    }

    /// `export_csv`: writes the matching sales to `path`; returns the number of rows.
    pub async fn export_csv(&self, query: HistoryQuery, path: &str) -> Result<usize> {
        self.sales()
            .await?
            .export_csv_to_path(&query, Path::new(path))
            .await
    }

    /// `save_settings`.
    pub async fn save_settings(&self, settings: Settings) -> Result<AppState> {
        let settings = settings.normalized().map_err(Error::invalid_fields)?;
        self.update_config(|config| {
            config.settings = settings;
            Ok(())
        })?;
        self.app_state().await
    }

    /// `save_profile`: adds (no `id`) or changes a profile. The secret, when given, goes to the
    /// keychain; the result never contains it.
    pub async fn save_profile(&self, input: ProfileInput) -> Result<Profile> {
        let existing = match &input.id {
            Some(id) => Some(self.stored_profile(id)?),
            None => None,
        };
        if let Some(existing) = existing.as_ref().filter(|p| p.is_demo()) {
            return self.save_demo_profile(existing.clone(), input).await;
        }
        let valid = input
            .validate(existing.as_ref().is_some_and(|p| p.secret_configured))
            .map_err(Error::invalid_fields)?;

        let id = match &existing {
            Some(existing) => existing.id.clone(),
            None => {
                let config = self.config();
                new_profile_id(&valid.name, config.profiles.iter().map(|p| p.id.as_str()))
            }
        };
        if let Some(secret) = &valid.secret {
            self.set_secret(&id, secret.clone()).await?;
        }
        let stored = StoredProfile {
            id: id.clone(),
            name: valid.name,
            kind: ProfileKind::Merchant,
            base_url: valid.base_url,
            auth: valid.auth,
            username: valid.username,
            secret_configured: valid.secret.is_some()
                || existing.as_ref().is_some_and(|p| p.secret_configured),
            default_currency: valid.default_currency,
            default_pg_codes: valid.default_pg_codes,
        };
        let saved = stored.clone();
        self.update_config(move |config| {
            match config.profiles.iter_mut().find(|p| p.id == saved.id) {
                Some(slot) => *slot = saved,
                None => config.profiles.push(saved),
            }
            Ok(())
        })?;
        // New host or credentials: old gateway lists and a running engine are stale.
        self.inner.gateways.clear_profile(&id);
        self.drop_engine_if(&id).await;
        Ok(stored.to_profile(""))
    }

    /// `use_profile`: makes `id` the active profile.
    pub async fn use_profile(&self, id: &str) -> Result<AppState> {
        let profile = self.stored_profile(id)?;
        if !profile.is_demo() && !profile.secret_configured {
            return Err(Error::NotConfigured(format!(
                "profile {id:?} has no API key or password saved; add it in settings first"
            )));
        }
        self.update_config(|config| {
            config.active_profile = id.to_owned();
            Ok(())
        })?;
        self.drop_engine_unless(id).await;
        self.app_state().await
    }

    /// `delete_profile`: removes a merchant profile and its keychain entry. The demo cannot be
    /// deleted; deleting the active profile makes the demo active. Its past sales stay in the
    /// history file.
    pub async fn delete_profile(&self, id: &str) -> Result<AppState> {
        let profile = self.stored_profile(id)?;
        if profile.is_demo() {
            return Err(Error::invalid_field(
                "id",
                "the demo profile is built in and cannot be deleted",
            ));
        }
        self.delete_secret(id).await?;
        self.update_config(|config| {
            config.profiles.retain(|p| p.id != id);
            if config.active_profile == id {
                config.active_profile = DEMO_PROFILE_ID.to_owned();
            }
            Ok(())
        })?;
        self.inner.gateways.clear_profile(id);
        self.drop_engine_if(id).await;
        self.app_state().await
    }

    /// `test_connection`: checks host, credentials and permissions of a profile being edited.
    ///
    /// Without a `secret`, the one saved for `id` is used. Input errors (a malformed URL, a
    /// missing user name) are returned as `invalid_input`, like `save_profile` would.
    pub async fn test_connection(&self, input: ProfileInput) -> Result<ConnectionCheck> {
        let existing = match &input.id {
            Some(id) => Some(self.stored_profile(id)?),
            None => None,
        };
        let target = match existing.as_ref() {
            Some(profile) if profile.is_demo() => {
                let currency = parse_currency("default_currency", &input.default_currency)?;
                let demo = self.demo_target().await?;
                ConnectionTarget { currency, ..demo }
            }
            _ => {
                let valid = input
                    .validate(existing.as_ref().is_some_and(|p| p.secret_configured))
                    .map_err(Error::invalid_fields)?;
                let secret = match valid.secret {
                    Some(secret) => secret,
                    None => {
                        let id = existing.as_ref().map(|p| p.id.clone()).unwrap_or_default();
                        self.get_secret(&id).await?
                    }
                };
                ConnectionTarget {
                    base_url: valid.base_url,
                    auth: valid.auth,
                    username: valid.username,
                    secret,
                    currency: parse_currency("default_currency", &valid.default_currency)?,
                }
            }
        };
        let check =
            crate::connection::check_connection(&target, self.inner.options.connection_timeout)
                .await;
        if check.kind != CheckKind::Ok
            && let Some(profile) = &existing
        {
            // Whatever was cached for this profile may be why it looked fine before.
            self.inner.gateways.clear_profile(&profile.id);
        }
        Ok(check)
    }

    /// `subscribe`: every change to a sale of the active profile (forwarded from the engine's
    /// tracker, across profile switches).
    pub fn subscribe(&self) -> broadcast::Receiver<Sale> {
        self.inner.events.subscribe()
    }

    /// Stops the sales engine and the demo sandbox (waits for in-flight requests).
    pub async fn shutdown(&self) {
        if let Some(engine) = self.inner.engine.lock().await.take() {
            stop_engine(engine).await;
        }
        if let Some(demo) = self.inner.demo.lock().await.take() {
            demo.shutdown().await;
        }
    }

    // ----- profiles and config -----

    fn config(&self) -> ConfigFile {
        self.inner
            .config
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Applies `change` to a copy, saves it atomically, then swaps it in: a failed save leaves
    /// both the file and memory as they were.
    fn update_config(&self, change: impl FnOnce(&mut ConfigFile) -> Result<()>) -> Result<()> {
        let mut guard = self
            .inner
            .config
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut next = guard.clone();
        change(&mut next)?;
        next.save(&self.inner.dirs.config_dir)
            .map_err(config_error)?;
        *guard = next;
        Ok(())
    }

    fn active_profile_id(&self, config: &ConfigFile) -> String {
        self.inner
            .options
            .profile_override
            .clone()
            .unwrap_or_else(|| config.active_profile.clone())
    }

    fn stored_profile(&self, id: &str) -> Result<StoredProfile> {
        self.config()
            .profile(id)
            .cloned()
            .ok_or_else(|| unknown_profile(id))
    }

    async fn save_demo_profile(
        &self,
        existing: StoredProfile,
        input: ProfileInput,
    ) -> Result<Profile> {
        if input.secret.is_some() {
            return Err(Error::invalid_field(
                "secret",
                "the demo profile needs no API key",
            ));
        }
        let mut fields = crate::error::FieldErrors::new();
        let name = input.name.trim().to_owned();
        if name.is_empty() {
            crate::settings::push_field_error(&mut fields, "name", "enter a name");
        }
        let currency = match crate::profiles::normalize_currency(&input.default_currency) {
            Ok(code) => code,
            Err(message) => {
                crate::settings::push_field_error(&mut fields, "default_currency", message);
                String::new()
            }
        };
        if !fields.is_empty() {
            return Err(Error::invalid_fields(fields));
        }
        let mut updated = existing;
        updated.name = name;
        updated.default_currency = currency;
        updated.default_pg_codes = input
            .default_pg_codes
            .iter()
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty())
            .collect();
        let saved = updated.clone();
        self.update_config(move |config| {
            if let Some(slot) = config.profiles.iter_mut().find(|p| p.id == saved.id) {
                *slot = saved;
            }
            Ok(())
        })?;
        Ok(updated.to_profile(&self.demo_base_url().await))
    }

    // ----- secrets (blocking keychain calls run off the async threads) -----

    async fn set_secret(&self, profile_id: &str, secret: Secret) -> Result<()> {
        let store = self.inner.secrets.clone();
        let key = SecretKey::for_profile(&self.inner.options.keychain_service, profile_id);
        run_blocking(move || store.set(&key, &secret)).await
    }

    async fn get_secret(&self, profile_id: &str) -> Result<Secret> {
        let store = self.inner.secrets.clone();
        let key = SecretKey::for_profile(&self.inner.options.keychain_service, profile_id);
        run_blocking(move || store.get(&key)).await?.ok_or_else(|| {
            Error::NotConfigured(format!(
                "the API key or password of profile {profile_id:?} is not in the keychain; \
                     save the profile again with its secret"
            ))
        })
    }

    async fn delete_secret(&self, profile_id: &str) -> Result<()> {
        let store = self.inner.secrets.clone();
        let key = SecretKey::for_profile(&self.inner.options.keychain_service, profile_id);
        run_blocking(move || store.delete(&key)).await
    }

    // ----- demo and engine -----

    /// The demo's URL if known (running, or from an earlier run), without starting it.
    async fn demo_base_url(&self) -> String {
        if let Some(demo) = self.inner.demo.lock().await.as_ref() {
            return demo.base_url().to_owned();
        }
        Demo::known_base_url(&self.inner.dirs.data_dir).unwrap_or_default()
    }

    async fn demo_target(&self) -> Result<ConnectionTarget> {
        let mut demo = self.inner.demo.lock().await;
        if demo.is_none() {
            *demo = Some(Demo::start(&self.inner.dirs.data_dir).await?);
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
        let client = ottu_checkout::Client::builder()
            .base_url(&target.base_url)
            .auth(auth)
            .build()
            .map_err(|error| {
                Error::NotConfigured(format!(
                    "profile {:?} cannot be used ({error}); fix it in settings",
                    profile.id
                ))
            })?;
        let lookup = if profile.is_demo() {
            OrderLookup::SandboxControl
        } else {
            OrderLookup::Inquiry
        };
        Ok((client, lookup))
    }

    async fn sales(&self) -> Result<Sales> {
        Ok(self.engine().await?.1)
    }

    /// The engine of the active profile, built on first use.
    async fn engine(&self) -> Result<(String, Sales, ottu_checkout::Client)> {
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
            shop_name: settings.shop_name,
            default_language: settings.language,
            default_pg_codes: profile.default_pg_codes.clone(),
            order_lookup,
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
        // Sales a crash left `sending`/`unknown` are settled in the background; a failure leaves
        // them as they were, with a problem the history shows.
        let reconciling = sales.clone();
        tokio::spawn(async move {
            if let Err(error) = reconciling.reconcile_pending().await {
                tracing::warn!(%error, "could not reconcile unsettled sales");
            }
        });
        *engine = Some(Engine {
            profile_id: profile.id.clone(),
            sales: sales.clone(),
            client: client.clone(),
            forward,
        });
        Ok((profile.id, sales, client))
    }

    async fn drop_engine_if(&self, profile_id: &str) {
        let mut engine = self.inner.engine.lock().await;
        if engine.as_ref().is_some_and(|e| e.profile_id == profile_id)
            && let Some(old) = engine.take()
        {
            stop_engine(old).await;
        }
    }

    async fn drop_engine_unless(&self, profile_id: &str) {
        let mut engine = self.inner.engine.lock().await;
        if engine.as_ref().is_some_and(|e| e.profile_id != profile_id)
            && let Some(old) = engine.take()
        {
            stop_engine(old).await;
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
fn choose_pg_codes(defaults: &[String], available: &[Gateway]) -> Vec<String> {
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

fn parse_currency(field: &str, code: &str) -> Result<ottu_checkout::CurrencyCode> {
    ottu_checkout::CurrencyCode::parse(code.trim())
        .map_err(|error| Error::invalid_field(field, error.to_string()))
}

fn unknown_profile(id: &str) -> Error {
    Error::invalid_field("id", format!("there is no profile {id:?}"))
}

fn config_error(error: ConfigFileError) -> Error {
    match error {
        ConfigFileError::Io {
            action,
            path,
            source,
        } => Error::Io {
            context: format!("cannot {action} {}", path.display()),
            source,
        },
        invalid @ ConfigFileError::Invalid { .. } => Error::NotConfigured(invalid.to_string()),
    }
}

async fn run_blocking<T: Send + 'static>(
    call: impl FnOnce() -> std::result::Result<T, SecretError> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(call)
        .await
        .map_err(|error| Error::Internal(format!("keychain task failed: {error}")))?
        .map_err(|error| Error::NotConfigured(error.to_string()))
}

#[cfg(test)]
mod tests;
