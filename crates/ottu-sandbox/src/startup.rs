//! Starting and stopping the server: `Sandbox::start(config)` binds 127.0.0.1 (and, when
//! `payer_listen` is set, a second address serving only the payer's pages), opens the store,
//! and serves connections until `SandboxHandle::shutdown()`.
//!
//! Connections are served with hyper-util directly (rather than `axum::serve`) so a handler
//! can close its own connection without answering: the `drop_after_commit` fault needs that.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use tower::ServiceExt as _;

use crate::auth::CredentialCache;
use crate::clock::Clock;
use crate::config::SandboxConfig;
use crate::faults::Faults;
use crate::state::AppState;
use crate::store::Store;
use crate::webhook::WebhookClient;

/// Lets a handler close the connection its request came on, without a response.
#[derive(Debug, Clone)]
pub struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    /// Closes the connection as soon as the handler yields.
    pub fn kill(&self) {
        self.0.notify_one();
    }
}

/// Failure to start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The port could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    /// The payer pages' address could not be bound.
    #[error("cannot serve the payment pages on {addr}: {source}")]
    BindPayer {
        addr: SocketAddr,
        source: std::io::Error,
    },
    /// The database could not be opened.
    #[error("cannot open the sandbox database: {0}")]
    Store(#[from] crate::store::StoreError),
}

/// The sandbox server; see [`Sandbox::start`].
#[derive(Debug)]
pub struct Sandbox;

/// A running sandbox. Dropping it without `shutdown()` stops accepting connections too.
#[derive(Debug)]
pub struct SandboxHandle {
    base_url: String,
    addr: SocketAddr,
    payer_addr: Option<SocketAddr>,
    state: AppState,
    stop: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Builds the state and router on an already bound listener (no task spawned).
    pub async fn build(
        config: SandboxConfig,
        listener: &TcpListener,
    ) -> Result<AppState, StartError> {
        Self::build_with_payer(config, listener, None).await
    }

    /// [`Sandbox::build`], with the payer pages' bound address (it becomes the base of
    /// returned URLs unless `public_base_url` is set).
    pub async fn build_with_payer(
        config: SandboxConfig,
        listener: &TcpListener,
        payer_addr: Option<SocketAddr>,
    ) -> Result<AppState, StartError> {
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            port: config.port,
            source,
        })?;
        let store = {
            let path = config.db_path.clone();
            let readers = config.read_connections;
            let durability = config.durability;
            tokio::task::spawn_blocking(move || Store::open(&path, readers, durability))
                .await
                .map_err(|e| crate::store::StoreError(e.to_string()))??
        };
        let clock = Clock::with_offset(store.clock_offset().await?);
        let mut throttles = crate::throttle::Throttles::default();
        throttles.restore_inquiries(store.inquiry_calls().await?);
        let public_base = config
            .public_base_url
            .clone()
            .or_else(|| config.merchant.public_base_url.clone())
            .map(|u| u.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("http://{}", payer_addr.unwrap_or(addr)));
        Ok(AppState {
            webhooks: WebhookClient::new(config.webhooks),
            config: Arc::new(config),
            store,
            clock,
            public_base: public_base.into(),
            faults: Arc::new(Mutex::new(Faults::default())),
            late_commits: Arc::default(),
            credentials: CredentialCache::default(),
            throttles: Arc::new(Mutex::new(throttles)),
            download_tokens: Arc::default(),
            listen_addr: addr,
        })
    }

    /// Binds `127.0.0.1:<config.port>`, opens the database and serves in a background task
    /// (with the late-commit ticker beside it).
    pub async fn start(config: SandboxConfig) -> Result<SandboxHandle, StartError> {
        let port = config.port;
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|source| StartError::Bind { port, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { port, source })?;
        let payer =
            match config.payer_listen {
                Some(wanted) => Some(TcpListener::bind(wanted).await.map_err(|source| {
                    StartError::BindPayer {
                        addr: wanted,
                        source,
                    }
                })?),
                None => None,
            };
        let payer_addr = match &payer {
            Some(listener) => Some(
                listener
                    .local_addr()
                    .map_err(|source| StartError::Bind { port, source })?,
            ),
            None => None,
        };
        let state = Self::build_with_payer(config, &listener, payer_addr).await?;
        let (stop, stopped) = watch::channel(false);
        let router = crate::routes::router(state.clone());
        crate::late_commit::spawn_ticker(state.clone(), stopped.clone());
        let payer_server = payer.map(|listener| {
            tokio::spawn(run_until_stopped(
                listener,
                crate::routes::payer_router(state.clone()),
                stopped.clone(),
            ))
        });
        let server = tokio::spawn(async move {
            run_until_stopped(listener, router, stopped).await;
            if let Some(payer) = payer_server {
                let _ = payer.await;
            }
        });
        Ok(SandboxHandle {
            base_url: format!("http://{addr}"),
            addr,
            payer_addr,
            state,
            stop,
            server: Some(server),
        })
    }
}

/// Accepts connections until `stopped` turns true, then lets open connections finish
/// their current request (graceful shutdown).
pub async fn run_until_stopped(
    listener: TcpListener,
    router: axum::Router,
    mut stopped: watch::Receiver<bool>,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let builder = Builder::new(TokioExecutor::new());
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => break,
        };
        let (stream, _) = match accepted {
            Ok(conn) => conn,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let kill = ConnectionKill(Arc::new(Notify::new()));
        let router = router.clone();
        let kill_for_requests = kill.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(kill_for_requests.clone());
                router.clone().oneshot(request.map(axum::body::Body::new))
            },
        );
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            tokio::select! {
                _ = connection => {}
                // Dropping the connection future closes the socket without a response.
                _ = kill.0.notified() => {}
            }
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(std::time::Duration::from_secs(5)) => {
            tracing::warn!("connections still open after 5 s; closing them");
        }
    }
}

impl SandboxHandle {
    /// `http://127.0.0.1:<port>` (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Where the payer's pages are served for the local network, when configured.
    pub fn payer_addr(&self) -> Option<SocketAddr> {
        self.payer_addr
    }

    /// The public base used in returned URLs (differs from `base_url` when configured).
    pub fn public_base_url(&self) -> &str {
        &self.state.public_base
    }

    /// The store, for assertions in tests and the benchmark's row count.
    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// The shared state (router tests build routers from it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Stops accepting, lets in-flight requests finish, and waits for the server task.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
