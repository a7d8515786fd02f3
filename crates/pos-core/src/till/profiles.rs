//! Profiles and connections: the app state the UI draws, adding, changing, switching and deleting
//! profiles, their secrets in the keychain, and "test connection".
//!
//! A merchant's API key or password goes from [`ProfileInput::secret`] straight into the
//! [`SecretStore`](crate::secrets::SecretStore) under `(service, "profile:<id>")` and is only read
//! back to build the HTTP client. `config.toml` records just `secret_configured`. The keychain
//! calls block, so they run off the async threads.

use crate::connection::{CheckKind, ConnectionCheck, ConnectionTarget};
use crate::error::{Error, FieldErrors, Result};
use crate::problem;
use crate::profiles::{
    DEMO_PROFILE_ID, Profile, ProfileInput, ProfileKind, StoredProfile, new_profile_id,
    normalize_currency,
};
use crate::secrets::{Secret, SecretError, SecretKey};
use crate::settings::{ConfigFile, push_field_error, supported_currencies};

use super::{AppState, Till};

impl Till {
    pub(super) async fn current_app_state(&self) -> Result<AppState> {
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
            staff: self.current_staff(),
            lock_required: self.lock_required(),
            phone_demo_url: match self.inner.demo.lock().await.as_ref() {
                Some(demo) => demo.phone_url(),
                None => None,
            },
        })
    }

    pub(super) fn active_profile_id(&self, config: &ConfigFile) -> String {
        self.inner
            .options
            .profile_override
            .clone()
            .unwrap_or_else(|| config.active_profile.clone())
    }

    pub(super) fn stored_profile(&self, id: &str) -> Result<StoredProfile> {
        self.config()
            .profile(id)
            .cloned()
            .ok_or_else(|| unknown_profile(id))
    }

    fn existing_profile(&self, input: &ProfileInput) -> Result<Option<StoredProfile>> {
        input
            .id
            .as_deref()
            .map(|id| self.stored_profile(id))
            .transpose()
    }

    pub(super) async fn store_profile(&self, input: ProfileInput) -> Result<Profile> {
        let existing = self.existing_profile(&input)?;
        if let Some(existing) = existing.as_ref().filter(|p| p.is_demo()) {
            let updated = demo_profile_edited(existing.clone(), input)?;
            let saved = updated.clone();
            self.update_config(move |config| {
                if let Some(slot) = config.profiles.iter_mut().find(|p| p.id == saved.id) {
                    *slot = saved;
                }
                Ok(())
            })?;
            return Ok(updated.to_profile(&self.demo_base_url().await));
        }
        if !self.lock_required() {
            return Err(Error::NotConfigured(problem!(OwnerPinFirst)));
        }
        let valid = validate_keeping_secret_to_its_host(&input, existing.as_ref())?;

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

    pub(super) async fn activate_profile(&self, id: &str) -> Result<AppState> {
        let profile = self.stored_profile(id)?;
        if !profile.is_demo() && !profile.secret_configured {
            return Err(Error::NotConfigured(problem!(
                ProfileNoSecret,
                id = format!("{id:?}")
            )));
        }
        self.update_config(|config| {
            config.active_profile = id.to_owned();
            Ok(())
        })?;
        self.drop_engine_unless(id).await;
        self.current_app_state().await
    }

    pub(super) async fn remove_profile(&self, id: &str) -> Result<AppState> {
        let profile = self.stored_profile(id)?;
        if profile.is_demo() {
            return Err(Error::invalid_field("id", problem!(DemoNotDeletable)));
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
        self.current_app_state().await
    }

    pub(super) async fn check_connection(&self, input: ProfileInput) -> Result<ConnectionCheck> {
        let existing = self.existing_profile(&input)?;
        let target = match existing.as_ref() {
            Some(profile) if profile.is_demo() => {
                let currency = parse_currency("default_currency", &input.default_currency)?;
                let demo = self.demo_target().await?;
                ConnectionTarget { currency, ..demo }
            }
            _ => {
                let valid = validate_keeping_secret_to_its_host(&input, existing.as_ref())?;
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

    // ----- secrets (blocking keychain calls run off the async threads) -----

    async fn set_secret(&self, profile_id: &str, secret: Secret) -> Result<()> {
        let store = self.inner.secrets.clone();
        let key = SecretKey::for_profile(&self.inner.options.keychain_service, profile_id);
        run_blocking(move || store.set(&key, &secret)).await
    }

    pub(super) async fn get_secret(&self, profile_id: &str) -> Result<Secret> {
        let store = self.inner.secrets.clone();
        let key = SecretKey::for_profile(&self.inner.options.keychain_service, profile_id);
        run_blocking(move || store.get(&key)).await?.ok_or_else(|| {
            Error::NotConfigured(problem!(
                SecretNotInKeychain,
                id = format!("{profile_id:?}")
            ))
        })
    }

    async fn delete_secret(&self, profile_id: &str) -> Result<()> {
        let store = self.inner.secrets.clone();
        let key = SecretKey::for_profile(&self.inner.options.keychain_service, profile_id);
        run_blocking(move || store.delete(&key)).await
    }
}

/// The demo profile after an edit: only its name, default currency and gateways change (its host
/// and key belong to the embedded sandbox).
/// Validates a merchant profile being saved or tested. A stored secret is only ever sent to the
/// host, sign-in type and user name it was saved for: changing any of them needs the secret typed
/// again (else a typed host would receive the merchant's key, which can refund).
fn validate_keeping_secret_to_its_host(
    input: &ProfileInput,
    existing: Option<&StoredProfile>,
) -> Result<crate::profiles::ValidProfileInput> {
    let stored = existing.filter(|p| p.secret_configured);
    let valid = input
        .validate(stored.is_some())
        .map_err(Error::invalid_fields)?;
    if let Some(stored) = stored
        && valid.secret.is_none()
        && (valid.base_url != stored.base_url
            || valid.auth != stored.auth
            || valid.username != stored.username)
    {
        return Err(Error::invalid_field(
            "secret",
            problem!(SecretReenter, host = stored.base_url),
        ));
    }
    Ok(valid)
}

fn demo_profile_edited(existing: StoredProfile, input: ProfileInput) -> Result<StoredProfile> {
    if input.secret.is_some() {
        return Err(Error::invalid_field("secret", problem!(DemoNeedsNoKey)));
    }
    let mut fields = FieldErrors::new();
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        push_field_error(&mut fields, "name", problem!(ProfileNameEmpty));
    }
    let currency = match normalize_currency(&input.default_currency) {
        Ok(code) => code,
        Err(message) => {
            push_field_error(&mut fields, "default_currency", message);
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
    Ok(updated)
}

pub(super) fn parse_currency(field: &str, code: &str) -> Result<ottu_checkout::CurrencyCode> {
    ottu_checkout::CurrencyCode::parse(code.trim()).map_err(|_| {
        Error::invalid_field(field, problem!(CurrencyUnknown, code = format!("{code:?}")))
    })
}

pub(super) fn unknown_profile(id: &str) -> Error {
    Error::invalid_field("id", problem!(ProfileUnknown, id = format!("{id:?}")))
}

async fn run_blocking<T: Send + 'static>(
    call: impl FnOnce() -> std::result::Result<T, SecretError> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(call)
        .await
        .map_err(|error| Error::Internal(format!("keychain task failed: {error}")))?
        .map_err(|error| Error::NotConfigured(problem!(KeychainFailed, detail = error)))
}
