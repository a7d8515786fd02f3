//! Demo mode: the embedded `ottu-sandbox`, started on demand, so the app works with no Ottu
//! account at all.
//!
//! # One demo per data dir, shared by every process
//!
//! The desktop app and each `ottu-pos` CLI invocation are separate processes, yet they must see
//! the same demo sales (a `request` in one process, `status` in the next) and the payment links
//! they print must keep working. So the demo keeps everything under `<data_dir>/demo/`:
//!
//! - `ottu-sandbox.sqlite3`: the sandbox's database (its state survives restarts);
//! - `demo.json`: the demo merchant's API key (random, generated on first run) and the loopback
//!   port the sandbox serves on.
//!
//! The port is picked once, at random from [`STABLE_PORT_RANGE`] (below Linux's ephemeral range so
//! outgoing connections do not grab it by chance), and then reused, because every link the demo
//! ever handed out (`http://127.0.0.1:<port>/b/...`) names it. On start:
//!
//! 1. the port is free → this process binds it and serves the sandbox until [`Demo::shutdown`];
//! 2. the port is taken and the server there accepts *our* API key on the payment-methods call →
//!    another process (the desktop app, a CLI waiting with `status --wait`) already serves this
//!    demo; this process uses it over HTTP and serves nothing itself. Only one process ever
//!    writes the SQLite file;
//! 3. the port is taken by something else → a new port is picked and saved (older links stop
//!    working, which is the price of a port someone else took).
//!
//! Two processes racing for a free port both try to bind; the loser falls into case 2. A process
//! that merely uses another's sandbox loses it when that process exits; the next call then fails
//! with a network error and reopening the till starts a fresh server on the same port.
//!
//! The demo API key is not a real secret (it opens only this local sandbox), but it is kept in
//! a [`Secret`] so it stays out of logs all the same.

use std::net::{Ipv4Addr, SocketAddrV4, TcpListener};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::secrets::Secret;
use crate::settings::write_atomically;

/// Ports the demo picks from on first run: below Linux's ephemeral range (32768–60999) and
/// Windows' (49152–65535), above most well-known services.
pub const STABLE_PORT_RANGE: RangeInclusive<u16> = 20_000..=29_999;

/// Name of the demo's own directory inside the app data dir.
pub const DEMO_DIR_NAME: &str = "demo";
const STATE_FILE_NAME: &str = "demo.json";

/// How long to wait for another process's sandbox to answer before deciding the port belongs to
/// something else (it may have bound the port a moment ago and still be starting).
const PEER_PROBE_BUDGET: Duration = Duration::from_secs(3);

/// What `demo.json` holds.
#[derive(Clone, Serialize, Deserialize)]
struct DemoState {
    port: u16,
    api_key: String,
}

/// A running (or borrowed) demo sandbox.
pub struct Demo {
    dir: PathBuf,
    base_url: String,
    api_key: Secret,
    /// `Some` when this process serves the sandbox; `None` when another process does.
    handle: Option<ottu_sandbox::SandboxHandle>,
}

impl std::fmt::Debug for Demo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Demo")
            .field("dir", &self.dir)
            .field("base_url", &self.base_url)
            .field("serving_here", &self.handle.is_some())
            .finish_non_exhaustive()
    }
}

impl Demo {
    /// The demo's directory inside the app data dir.
    pub fn dir_in(data_dir: &Path) -> PathBuf {
        data_dir.join(DEMO_DIR_NAME)
    }

    /// The base URL the demo serves (or will serve) on, from `demo.json`, without starting
    /// anything. `None` before the first start.
    pub fn known_base_url(data_dir: &Path) -> Option<String> {
        read_state(&Self::dir_in(data_dir))
            .ok()
            .flatten()
            .map(|state| loopback_url(state.port))
    }

    /// Starts the demo sandbox for `data_dir`, or joins the one another process already serves
    /// (see the module docs).
    pub async fn start(data_dir: &Path) -> Result<Demo> {
        Self::start_with(data_dir, None).await
    }

    /// [`Demo::start`], also serving the payment pages on `phone` (the phone demo): on the
    /// demo's own port at that address, so links handed out stay valid while the setting is on.
    pub async fn start_with(data_dir: &Path, phone: Option<std::net::IpAddr>) -> Result<Demo> {
        let dir = Self::dir_in(data_dir);
        let mut state = match read_state(&dir)? {
            Some(state) => state,
            None => {
                let state = DemoState {
                    port: pick_free_port(),
                    api_key: generate_api_key(),
                };
                write_state(&dir, &state)?;
                state
            }
        };
        // A few rounds: each either serves, joins, or moves to a new port.
        for _ in 0..5 {
            if port_is_free(state.port) {
                match serve(&dir, &state, phone).await {
                    Ok(handle) => {
                        return Ok(Demo {
                            base_url: loopback_url(state.port),
                            api_key: Secret::new(state.api_key.clone()),
                            dir,
                            handle: Some(handle),
                        });
                    }
                    Err(error) => {
                        // Lost a race for the port (or it failed for another reason): look
                        // at who is there now before giving up.
                        tracing::debug!(port = state.port, %error, "demo sandbox did not bind");
                    }
                }
            }
            if answers_as_our_demo(state.port, &state.api_key).await {
                return Ok(Demo {
                    base_url: loopback_url(state.port),
                    api_key: Secret::new(state.api_key.clone()),
                    dir,
                    handle: None,
                });
            }
            if !port_is_free(state.port) {
                tracing::info!(
                    old_port = state.port,
                    "the demo's port is used by another program; moving the demo"
                );
                state.port = pick_free_port();
                write_state(&dir, &state)?;
            }
        }
        Err(Error::Internal(format!(
            "could not start the demo sandbox in {}",
            dir.display()
        )))
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The demo merchant's API key.
    pub fn api_key(&self) -> &Secret {
        &self.api_key
    }

    /// Where phones reach the payment pages (`http://<address>:<port>`), when served.
    pub fn phone_url(&self) -> Option<String> {
        self.handle
            .as_ref()
            .and_then(|h| h.payer_addr())
            .map(|addr| format!("http://{addr}"))
    }

    /// True when this process serves the sandbox (false when it uses another process's).
    pub fn serves_here(&self) -> bool {
        self.handle.is_some()
    }

    /// A checkout client for the demo merchant.
    pub fn client(&self) -> Result<ottu_checkout::Client> {
        ottu_checkout::Client::builder()
            .base_url(&self.base_url)
            .api_key(self.api_key.expose())
            .build()
            .map_err(|error| Error::Internal(format!("demo client: {error}")))
    }

    /// Stops serving (waits for in-flight requests); a borrowed demo just lets go.
    pub async fn shutdown(self) {
        if let Some(handle) = self.handle {
            handle.shutdown().await;
        }
    }
}

fn loopback_url(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

async fn serve(
    dir: &Path,
    state: &DemoState,
    phone: Option<std::net::IpAddr>,
) -> Result<ottu_sandbox::SandboxHandle> {
    let mut config = ottu_sandbox::SandboxConfig::demo(dir);
    config.port = state.port;
    config.payer_listen = phone.map(|ip| std::net::SocketAddr::new(ip, state.port));
    config.merchant.api_keys = vec![state.api_key.clone()];
    ottu_sandbox::Sandbox::start(config)
        .await
        .map_err(|error| Error::Internal(format!("the demo sandbox did not start: {error}")))
}

/// Whether the server on `port` is this data dir's demo: it accepts our random API key.
async fn answers_as_our_demo(port: u16, api_key: &str) -> bool {
    let Ok(client) = ottu_checkout::Client::builder()
        .base_url(loopback_url(port))
        .api_key(api_key)
        .timeout(Duration::from_millis(800))
        .retry_policy(ottu_checkout::RetryPolicy::none())
        .build()
    else {
        return false;
    };
    let deadline = tokio::time::Instant::now() + PEER_PROBE_BUDGET;
    loop {
        let query = ottu_checkout::payment_methods::PaymentMethodsQuery::new(
            ottu_checkout::checkout::CheckoutType::PaymentRequest,
        );
        match client.payment_methods().list(&query).await {
            Ok(_) => return true,
            // Something answered, and it is not us (wrong key, not an Ottu API at all).
            Err(error) if error.status().is_some() => return false,
            Err(_) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(_) => return false,
        }
    }
}

fn port_is_free(port: u16) -> bool {
    TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port)).is_ok()
}

fn pick_free_port() -> u16 {
    let mut rng = rand::thread_rng();
    for _ in 0..64 {
        let port = rng.gen_range(STABLE_PORT_RANGE);
        if port_is_free(port) {
            return port;
        }
    }
    // The whole range looks busy: let the OS choose.
    TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap_or(*STABLE_PORT_RANGE.start())
}

/// `<8 chars>.<32 chars>`, the shape of Ottu's private API keys.
fn generate_api_key() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::thread_rng();
    let mut part = |len: usize| -> String {
        (0..len)
            .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
            .collect()
    };
    let prefix = part(8);
    let rest = part(32);
    format!("{prefix}.{rest}")
}

fn read_state(dir: &Path) -> Result<Option<DemoState>> {
    let path = dir.join(STATE_FILE_NAME);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|error| {
            Error::Internal(format!(
                "{} is damaged ({error}); remove it to start a fresh demo",
                path.display()
            ))
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io {
            context: format!("cannot read {}", path.display()),
            source,
        }),
    }
}

fn write_state(dir: &Path, state: &DemoState) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(state)
        .map_err(|error| Error::Internal(format!("demo state: {error}")))?;
    write_atomically(&dir.join(STATE_FILE_NAME), &bytes)
        .map_err(|error| Error::Internal(error.to_string()))
}

#[cfg(test)]
mod tests;
