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
//! - `invoice`: itemised sales, a cart created as an Ottu invoice through the same flow (the
//!   request either body, rebuilt from the stored lines), and pricing a draft's cart.
//! - `settle`: settling sales whose create answer was lost (cancel by `order_no`, the late-commit
//!   horizon, the status query), "Check now", "Make a new link", re-checks of closed sales.
//! - `schedule`: when the engine asks Ottu by itself (horizon, backoffs, poll intervals).
//! - `actions`: refresh, edit (PATCH; an itemised sale: cancel and recreate), cancel and expire;
//!   applying a server answer to a sale.
//! - `operations`: refund, capture and void, ledger first with one `Tracking-Key` per intent.
//! - `tracker`: the polling task behind [`Sales::subscribe`] and [`Sales::watch`].
//!
//! Every write is a compare-and-set on the sale's `version` (`Inner::mutate`), and a request
//! about a sale is sent under a claim stored on its row, so any number of engines and processes
//! on one history file never act on a sale another is sending or settling.

mod actions;
mod bills;
mod create;
pub mod draft;
mod invoice;
mod operations;
pub mod schedule;
mod settle;
mod tracker;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, broadcast, watch};

pub use operations::OperationBy;
pub use settle::OrderLookup;

use crate::clock::Clock;

use crate::dto::{History, HistoryQuery, Language, Sale, SaleState, ShareLinks};
use crate::error::{Error, Result};
use crate::history;
use crate::qr;
use crate::share;
use crate::store::{Claim, SaleRecord, Store, now_utc};

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
    /// Whether the status query may be used to confirm a lost create that refused its cancel.
    pub order_lookup: OrderLookup,
    /// The clock of settling and re-checks (the wall clock; tests shift it).
    pub clock: Clock,
    /// How long a claim on a sale outlives a process that died holding it: longer than the
    /// client's whole request (its timeout plus retries).
    pub claim_lease: Duration,
    /// Whether catalog shelf prices include VAT (`settings.prices_include_tax`), for itemised
    /// sales.
    pub prices_include_tax: bool,
    /// How many old open sales (made over two hours ago) the tracker polls per batch.
    pub old_poll_batch: u32,
    /// How long the tracker waits between two batches of old open sales.
    pub old_poll_every: Duration,
}

impl Default for SalesOptions {
    fn default() -> Self {
        SalesOptions {
            shop_name: String::new(),
            default_language: Language::En,
            default_pg_codes: Vec::new(),
            notifications_allowed: true,
            focus_poll_interval: Duration::from_millis(500),
            background_poll_interval: Duration::from_secs(15),
            order_lookup: OrderLookup::Inquiry,
            clock: Clock::system(),
            claim_lease: Duration::from_secs(90),
            prices_include_tax: true,
            old_poll_batch: 25,
            old_poll_every: Duration::from_secs(60),
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
    /// This engine's name on the claims it stores (process id and a random token).
    pub(crate) owner: String,
    /// Numbers this engine's claims.
    claims_taken: std::sync::atomic::AtomicU64,
    /// Serialises this engine's own read-modify-writes (other writers are caught by the
    /// compare-and-set), so each change is stored and emitted once.
    pub(crate) write_lock: tokio::sync::Mutex<()>,
    tracker: Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// `options.prices_include_tax`, as the shop's settings say now (they change while the
    /// engine runs).
    pub(crate) prices_include_tax: std::sync::atomic::AtomicBool,
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
    /// Sales left `sending`/`unknown` by a crash are settled by the tracker once their claims
    /// lapse (see [`Sales::settle_due`]).
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
        let wake = Arc::new(Notify::new());
        let inner = Arc::new(Inner {
            prices_include_tax: std::sync::atomic::AtomicBool::new(options.prices_include_tax),
            store,
            client,
            profile_id: profile_id.into(),
            options,
            events,
            focus,
            wake: wake.clone(),
            owner: format!("{}-{:08x}", std::process::id(), rand::random::<u32>()),
            claims_taken: std::sync::atomic::AtomicU64::new(0),
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

    /// Follows a change of `settings.prices_include_tax` for the next itemised sale.
    pub fn set_prices_include_tax(&self, include: bool) {
        self.inner
            .prices_include_tax
            .store(include, std::sync::atomic::Ordering::Relaxed);
    }

    /// The engine's options.
    pub fn options(&self) -> &SalesOptions {
        &self.inner.options
    }

    /// The history file (shifts and the drawer's cash live in it too, see `store/shifts.rs`).
    pub(crate) fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Writes a cash sale into shift `shift_id` (see [`Store::insert_cash_sale`]) and tells
    /// subscribers, like any other new sale.
    pub(crate) async fn record_cash_sale(
        &self,
        mut record: SaleRecord,
        shift_id: &str,
        tendered: &str,
        change: &str,
    ) -> Result<Sale> {
        let _guard = self.inner.write_lock.lock().await;
        self.inner
            .store
            .insert_cash_sale(&mut record, shift_id, tendered, change)?;
        Ok(self.inner.emit(&record))
    }

    /// One sale, with its QR code and its refunds, captures and voids.
    pub async fn get(&self, id: &str) -> Result<Sale> {
        let record = self.inner.load(id)?;
        self.with_operations(with_qr(record.sale))
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
        share::share_links(&record.sale, shop)
            .ok_or_else(|| Error::WrongState(crate::problem!(NoLinkYet)))
    }

    /// How many of this profile's sales a customer may still pay, or whose create is still
    /// being settled (`sending`, `unknown`, and every [`SaleState::is_open`] state).
    pub fn open_sales(&self) -> Result<usize> {
        let states: Vec<SaleState> = SaleState::ALL
            .into_iter()
            .filter(|s| s.is_open() || matches!(s, SaleState::Sending | SaleState::Unknown))
            .collect();
        self.inner
            .store
            .count_in_states(&self.inner.profile_id, &states)
    }

    /// A page of history (newest first) plus today's paid totals per currency.
    pub async fn history(&self, query: HistoryQuery) -> Result<History> {
        let filter = history::filter_for(&query, history::DEFAULT_LIMIT)?;
        let sales = self.inner.store.list(&self.inner.profile_id, &filter)?;
        let (from, until) = history::today_range();
        let paid = self
            .inner
            .store
            .paid_totals(&self.inner.profile_id, &from, &until)?;
        let refunded = self
            .inner
            .store
            .refunded_amounts(&self.inner.profile_id, &from, &until)?;
        Ok(History {
            sales,
            today_paid: history::net_of(paid, &refunded)?,
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
            _ => Err(Error::NotFound(crate::problem!(SaleNotFound, id = id))),
        }
    }

    /// The wall-clock time claims are compared with (RFC 3339 UTC).
    pub(crate) fn wall_now(&self) -> String {
        now_utc()
    }

    /// A new claim (unique to the task that takes it) lasting the configured lease.
    pub(crate) fn new_claim(&self) -> Claim {
        let n = self
            .claims_taken
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Claim {
            owner: format!("{}-{n}", self.owner),
            until: crate::clock::format_utc(
                time::OffsetDateTime::now_utc() + self.options.claim_lease,
            ),
        }
    }

    /// Read-modify-write of one sale as a compare-and-set: `change` gets the stored record and
    /// answers whether to write it; a write that lost a race with another writer is retried on
    /// the fresh record, so `change` always decides on what is stored. Emits what was written.
    pub(crate) async fn mutate(
        &self,
        id: &str,
        mut change: impl FnMut(&mut SaleRecord) -> Result<bool>,
    ) -> Result<Sale> {
        let _guard = self.write_lock.lock().await;
        for _ in 0..CAS_TRIES {
            let mut record = self.load(id)?;
            if !change(&mut record)? {
                return Ok(with_qr(record.sale));
            }
            record.refresh_flags();
            if self.store.update(&mut record)? {
                return Ok(self.emit(&record));
            }
        }
        Err(Error::WrongState(crate::problem!(SaleBusy, id = id)))
    }

    /// Tells subscribers about a written record; wakes the tracker for open sales.
    pub(crate) fn emit(&self, record: &SaleRecord) -> Sale {
        let sale = with_qr(record.sale.clone());
        // No subscriber is not an error.
        let _ = self.events.send(sale.clone());
        if record.sale.state.is_open() || record.sale.settlement.next_check_at.is_some() {
            self.wake.notify_one();
        }
        sale
    }
}

/// How often a compare-and-set is retried before giving up (each retry means another writer
/// changed the sale in between; more than a few in a row means something is looping).
const CAS_TRIES: usize = 8;

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
