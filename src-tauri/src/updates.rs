//! Signed self-updates through `tauri-plugin-updater`, driven only by the shell's own commands.
//!
//! pos-core decides who and when (`Till::update_endpoint`, `Till::ready_to_install_update`: the
//! owner, an `https://` address from the settings, no sale that can still be paid); this module
//! does the transfer:
//!
//! 1. [`check`] fetches the manifest (Tauri's updater JSON: version, notes, per-platform `url`
//!    and `signature`) from the settings' address. Plain HTTP is refused by pos-core, here (for
//!    the manifest and the artifact it names, in every build) and by the plugin in release
//!    builds (`dangerousInsecureTransportProtocol` is never set); TLS is checked against the
//!    system's trusted certificates.
//! 2. [`download`] fetches the artifact and checks its minisign signature against the public
//!    key built into the app (`plugins.updater.pubkey` in tauri.conf.json) and the version the
//!    signature is bound to (`requireSignedVersion`), so an old signed release cannot be
//!    offered under a new number. A bad signature is refused before anything is written.
//! 3. [`install`] hands the verified bytes to the plugin's installer: on Linux a `.deb` goes to
//!    `dpkg -i` through `pkexec` (the system's password prompt), an `.rpm` to `rpm -U`, an
//!    AppImage is replaced in place; Windows runs the NSIS/MSI installer; macOS swaps the
//!    `.app`. The shell then restarts the app.
//!
//! The page has no updater permission (capabilities/default.json): it cannot call the plugin's
//! own `check`/`install` commands around pos-core's rules.

use std::time::Duration;

use pos_core::dto::UpdateOffer;
use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

use crate::error::{CommandError, ErrorCode};

/// How long the manifest and the download may take each.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The update the address at `endpoint` offers, if it is newer than this build.
pub async fn check<R: Runtime>(
    app: &AppHandle<R>,
    endpoint: &str,
) -> Result<Option<Update>, CommandError> {
    let url: url::Url = endpoint.parse().map_err(|_| {
        CommandError::new(
            ErrorCode::InvalidInput,
            pos_core::problem!(UpdateEndpointNotUrl),
        )
    })?;
    // The plugin refuses plain HTTP only in release builds; the app refuses it in every build,
    // for the manifest and for the artifact it points to.
    if url.scheme() != "https" {
        return Err(refused(
            tauri_plugin_updater::Error::InsecureTransportProtocol,
        ));
    }
    let updater = app
        .updater_builder()
        .endpoints(vec![url])
        .map_err(refused)?
        .timeout(TIMEOUT)
        .build()
        .map_err(refused)?;
    let update = updater.check().await.map_err(refused)?;
    if let Some(update) = &update
        && update.download_url.scheme() != "https"
    {
        return Err(refused(
            tauri_plugin_updater::Error::InsecureTransportProtocol,
        ));
    }
    Ok(update)
}

/// What the owner is shown before confirming.
pub fn offer(update: &Update) -> UpdateOffer {
    UpdateOffer {
        version: update.version.clone(),
        current_version: update.current_version.clone(),
        notes: update.body.clone().unwrap_or_default(),
        date: update.date.and_then(|date| {
            date.format(&time::format_description::well_known::Rfc3339)
                .ok()
        }),
    }
}

/// The update's artifact, once its signature matched the app's public key.
pub async fn download(update: &Update) -> Result<Vec<u8>, CommandError> {
    update.download(|_, _| {}, || {}).await.map_err(refused)
}

/// Installs verified bytes (from [`download`]) with the platform's installer.
pub async fn install(update: Update, bytes: Vec<u8>) -> Result<(), CommandError> {
    tauri::async_runtime::spawn_blocking(move || update.install(bytes))
        .await
        .map_err(|error| internal(format!("the installer did not finish: {error}")))?
        .map_err(refused)
}

/// The plugin's error in the owner's words: what failed and that nothing changed.
pub fn refused(error: tauri_plugin_updater::Error) -> CommandError {
    use tauri_plugin_updater::Error as E;
    let (code, problem) = match &error {
        E::Minisign(_)
        | E::Base64(_)
        | E::SignatureUtf8(_)
        | E::SignedVersionMismatch { .. }
        | E::MissingSignedVersion => (
            ErrorCode::InvalidInput,
            pos_core::problem!(UpdateSignatureRefused),
        ),
        E::InsecureTransportProtocol => (
            ErrorCode::InvalidInput,
            pos_core::problem!(UpdateEndpointNotHttps),
        ),
        E::Reqwest(_) | E::Network(_) => (
            ErrorCode::Network,
            pos_core::problem!(UpdateUnreachable, detail = error.to_string()),
        ),
        E::ReleaseNotFound
        | E::TargetNotFound(_)
        | E::TargetsNotFound(_)
        | E::Serialization(_)
        | E::UrlParse(_)
        | E::Semver(_) => (
            ErrorCode::InvalidInput,
            pos_core::problem!(UpdateUnusable, detail = error.to_string()),
        ),
        E::AuthenticationFailed | E::DebInstallFailed | E::PackageInstallFailed => (
            ErrorCode::Internal,
            pos_core::problem!(UpdateInstallFailed, detail = error.to_string()),
        ),
        _ => (
            ErrorCode::Internal,
            pos_core::problem!(UpdateInstallFailed, detail = error.to_string()),
        ),
    };
    log::warn!("update: {}", problem.message);
    CommandError::new(code, problem)
}

fn internal(message: String) -> CommandError {
    CommandError::new(
        ErrorCode::Internal,
        pos_core::problem!(Internal, detail = message),
    )
}
