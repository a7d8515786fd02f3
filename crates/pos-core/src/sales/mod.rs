//! The sales engine for one merchant connection: [`Sales`].
//!
//! Built from a history file, an `ottu_checkout::Client` and the profile id. It validates drafts,
//! creates payment links through the local ledger (see the crate docs, "Ledger and recovery"),
//! tracks open sales until they settle, edits/cancels/expires them, and answers history queries.
//!
//! # Layout
//!
//! - `draft`: local checks of a [`SaleDraft`] / [`SaleEdit`], phone and email rules, order numbers.
//! - `create`: the create flow (ledger first, then the request) and the deliberate retry.
//! - `recovery`: reconciliation of `sending`/`unknown` sales by `order_no`, orphan cancelling.
//! - `actions`: refresh, edit (PATCH), cancel and expire; applying a server answer to a sale.
//! - `tracker`: the polling task behind [`Sales::subscribe`] and [`Sales::watch`].

mod actions;
mod create;
pub mod draft;
mod recovery;
mod tracker;

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, broadcast, watch};

pub use recovery::OrderLookup;

use crate::dto::{History, HistoryQuery, Language, Sale, SaleState, ShareLinks};
use crate::error::{Error, Result};
use crate::history;
use crate::qr;
use crate::share;
use crate::store::{SaleRecord, Store};

/// How a [`Sales`] engine behaves for its profile.
#[derive(Debug, Clone)]
pub struct SalesOptions {
    /// Shown in share messages.
    pub shop_name: String,
    /// Language of a sale whose draft names none.
    pub default_language: Language,
    /// Gateways of a sale whose draft names none.
    pub default_pg_codes: Vec<String>,
    /// Whether the connection may ask Ottu to send SMS/email/WhatsApp notifications.
    pub notifications_allowed: bool,
    /// Poll interval of the sale on screen (see [`Sales::watch`]).
    pub focus_poll_interval: Duration,
    /// Poll interval of the other open sales.
    pub background_poll_interval: Duration,
    /// How a sale whose create outcome is unknown is looked up on the server.
    pub order_lookup: OrderLookup,
}

impl Default for SalesOptions {
    fn default() -> Self {
        SalesOptions {
            shop_name: String::new(),
            default_language: Language::En,
            default_pg_codes: Vec::new(),
            notifications_allowed: true,
            focus_poll_interval: Duration::from_millis(500),
            background_poll_interval: Duration::from_secs(5),
            order_lookup: OrderLookup::Inquiry,
        }
    }
}

/// How many state updates a slow subscriber may fall behind before it misses some.
const EVENT_BUFFER: usize = 256;

/// The sales engine. Cheap to clone; all clones share one history, tracker and event stream.
#[derive(Debug, Clone)]
pub struct Sales {
    inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) client: ottu_checkout::Client,
    pub(crate) profile_id: String,
    pub(crate) options: SalesOptions,
    pub(crate) events: broadcast::Sender<Sale>,
    /// The sale on screen, polled fast.
    pub(crate) focus: watch::Sender<Option<String>>,
    /// Wakes the tracker when a sale becomes open or the focus changes.
    pub(crate) wake: Arc<Notify>,
    /// Sales whose create request is on the wire right now (never reconciled meanwhile).
    in_flight: Mutex<HashSet<String>>,
    /// Plain HTTP for order-number lookups.
    pub(crate) http: reqwest::Client,
    /// Serialises read-modify-write of sales so each change is stored and emitted once.
    pub(crate) write_lock: tokio::sync::Mutex<()>,
    tracker: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Ok(mut slot) = self.tracker.lock()
            && let Some(task) = slot.take()
        {
            task.abort();
        }
    }
}

impl Sales {
    /// Opens the history at `store_path` and starts the status tracker (needs a Tokio runtime).
    ///
    /// Sales left `sending`/`unknown` by a crash are not touched here; call
    /// [`Sales::reconcile_pending`] once the app is up.
    pub async fn open(
        store_path: impl AsRef<Path>,
        client: ottu_checkout::Client,
        profile_id: impl Into<String>,
        options: SalesOptions,
    ) -> Result<Sales> {
        let path = store_path.as_ref().to_owned();
        let store = tokio::task::spawn_blocking(move || Store::open(&path))
            .await
            .map_err(|e| Error::Internal(format!("opening the history failed: {e}")))??;
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let (focus, focus_rx) = watch::channel(None);
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| Error::Internal(format!("could not set up http: {e}")))?;
        let wake = Arc::new(Notify::new());
        let inner = Arc::new(Inner {
            store,
            client,
            profile_id: profile_id.into(),
            options,
            events,
            focus,
            wake: wake.clone(),
            in_flight: Mutex::new(HashSet::new()),
            http,
            write_lock: tokio::sync::Mutex::new(()),
            tracker: Mutex::new(None),
        });
        let task = tokio::spawn(tracker::run(Arc::downgrade(&inner), wake, focus_rx));
        if let Ok(mut slot) = inner.tracker.lock() {
            *slot = Some(task);
        }
        Ok(Sales { inner })
    }

    /// The profile this engine serves.
    pub fn profile_id(&self) -> &str {
        &self.inner.profile_id
    }

    /// The engine's options.
    pub fn options(&self) -> &SalesOptions {
        &self.inner.options
    }

    /// One sale, with its QR code.
    pub async fn get(&self, id: &str) -> Result<Sale> {
        let record = self.inner.load(id)?;
        Ok(with_qr(record.sale))
    }

    /// Every state change of any sale of this engine (created, pending, paid, ...), each once.
    pub fn subscribe(&self) -> broadcast::Receiver<Sale> {
        self.inner.events.subscribe()
    }

    /// Marks the sale on screen (polled every `focus_poll_interval`); `None` when no sale is
    /// shown. Other open sales are polled every `background_poll_interval`.
    pub fn watch(&self, id: Option<&str>) {
        self.inner.focus.send_replace(id.map(str::to_owned));
        self.inner.wake.notify_one();
    }

    /// Share links for a sale; `shop_name` overrides the engine's when not empty.
    pub async fn share_links(&self, id: &str, shop_name: &str) -> Result<ShareLinks> {
        let record = self.inner.load(id)?;
        let shop = if shop_name.trim().is_empty() {
            self.inner.options.shop_name.as_str()
        } else {
            shop_name
        };
        share::share_links(&record.sale, shop).ok_or_else(|| Error::WrongState {
            message: "this sale has no payment link yet: check its state first".into(),
        })
    }

    /// A page of history (newest first) plus today's paid totals per currency.
    pub async fn history(&self, query: HistoryQuery) -> Result<History> {
        let filter = history::filter_for(&query, history::DEFAULT_LIMIT)?;
        let sales = self.inner.store.list(&self.inner.profile_id, &filter)?;
        let (from, until) = history::today_range();
        let paid = self
            .inner
            .store
            .paid_amounts(&self.inner.profile_id, &from, &until)?;
        Ok(History {
            sales,
            today_paid: history::totals(&paid)?,
        })
    }

    /// Writes the sales matching `query` (all of them unless it names a limit) as CSV.
    pub async fn export_csv(
        &self,
        query: &HistoryQuery,
        out: impl std::io::Write,
    ) -> Result<usize> {
        let filter = history::filter_for(query, u32::MAX)?;
        let sales = self.inner.store.list(&self.inner.profile_id, &filter)?;
        history::write_csv(&sales, out)
    }

    /// [`Sales::export_csv`] into a new file at `path` (replaced if it exists).
    pub async fn export_csv_to_path(
        &self,
        query: &HistoryQuery,
        path: impl AsRef<Path>,
    ) -> Result<usize> {
        let path = path.as_ref();
        let file = std::fs::File::create(path).map_err(|source| Error::Io {
            context: format!("could not create {}", path.display()),
            source,
        })?;
        self.export_csv(query, std::io::BufWriter::new(file)).await
    }
}

impl Inner {
    pub(crate) fn load(&self, id: &str) -> Result<SaleRecord> {
        match self.store.get(id)? {
            Some(record) if record.sale.profile_id == self.profile_id => Ok(record),
            _ => Err(Error::NotFound {
                what: format!("sale {id}"),
            }),
        }
    }

    pub(crate) fn mark_in_flight(&self, id: &str, flying: bool) {
        let mut set = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        if flying {
            set.insert(id.to_owned());
        } else {
            set.remove(id);
        }
    }

    pub(crate) fn is_in_flight(&self, id: &str) -> bool {
        self.in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(id)
    }

    /// Stores `record` and tells subscribers. Call with `write_lock` held.
    pub(crate) fn save_and_emit(&self, record: &SaleRecord) -> Result<Sale> {
        self.store.update(record)?;
        let sale = with_qr(record.sale.clone());
        // No subscriber is not an error.
        let _ = self.events.send(sale.clone());
        if record.sale.state.is_open() {
            self.wake.notify_one();
        }
        Ok(sale)
    }
}

/// Adds the locally rendered QR code of the sale's link.
pub(crate) fn with_qr(mut sale: Sale) -> Sale {
    sale.link = sale.short_url.clone().or_else(|| sale.checkout_url.clone());
    sale.qr_svg = sale.link.as_deref().and_then(|link| qr::svg(link).ok());
    sale
}

/// Whether staff may still change the sale on the server.
pub(crate) fn is_editable(state: SaleState) -> bool {
    state.is_open()
}
