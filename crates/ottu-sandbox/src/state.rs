//! `AppState`: what every handler shares (config, store, clock, fault switches, pending late
//! commits, webhook client).

use std::sync::{Arc, Mutex};

use crate::auth::CredentialCache;
use crate::clock::Clock;
use crate::config::{GatewayConfig, SandboxConfig};
use crate::faults::Faults;
use crate::late_commit::LateCommits;
use crate::store::Store;
use crate::throttle::Throttles;
use crate::webhook::WebhookClient;

/// Shared handler state; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub config: Arc<SandboxConfig>,
    pub store: Store,
    pub clock: Clock,
    /// Absolute base of every URL the sandbox returns, without a trailing slash.
    pub public_base: Arc<str>,
    pub faults: Arc<Mutex<Faults>>,
    /// Creates validated under the `late_commit` fault, stored when due (`late_commit`).
    pub late_commits: Arc<LateCommits>,
    pub webhooks: WebhookClient,
    pub credentials: CredentialCache,
    /// Request counters of Ottu's limits (`throttle`).
    pub throttles: Arc<Mutex<Throttles>>,
    /// Report download tokens handed out by the Reports API's list (`reports`).
    pub download_tokens: Arc<Mutex<crate::reports::DownloadTokens>>,
    /// The address the sandbox listens on (loopback): control routes accept only requests
    /// addressed to it (`Host`, `Origin`).
    pub listen_addr: std::net::SocketAddr,
}

impl AppState {
    /// The configured gateway with this pg_code.
    pub fn gateway(&self, pg_code: &str) -> Option<&GatewayConfig> {
        self.config
            .merchant
            .gateways
            .iter()
            .find(|g| g.pg_code == pg_code)
    }

    /// `<public base><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.public_base)
    }
}
