//! The Tauri commands the UI invokes, one per row of the contract table in
//! docs/architecture.md, plus the shell's own `ui_ready` and `show_customer_display`.
//!
//! Their names, argument names and types come from pos-core's list (`pos_core::ipc`): the shell
//! registers the listed commands (src/lib.rs), pos-core's `ipc_commands` test checks these
//! signatures against the list, and the UI's wrappers are generated from it. A new command is
//! added to that list first.
//!
//! Every command is thin: the till (`pos_core::Till`) does the work, `CommandError` carries
//! its failure to the UI as `{ code, message, fields }`.

use pos_core::dto::CatalogImport;
use pos_core::dto::Dashboard;
use pos_core::dto::{
    AppState, CartInput, CartTotals, CatalogItem, CatalogItemInput, CatalogQuery, ConnectionCheck,
    CsvExport, Gateway, History, HistoryQuery, OperationInput, PickedFile, Profile, ProfileInput,
    Sale, SaleDraft, SaleEdit, Settings, ShareChannel, ShareLinks, StaffInput, StaffMember,
};
use pos_core::dto::{Bill, DiagnosticsSummary, UpdateOffer, UpdateSettings};
use pos_core::dto::{CashEntryInput, CashSale, CashSaleInput, ReportKind, Shift, ShiftReport};
use pos_core::dto::{Language, Paper, Receipt};
use pos_core::dto::{OttuCashSetup, OttuCashSetupInput, Reconciliation};
use tauri::Manager;
use tauri::{AppHandle, Runtime, State, WebviewWindow};
use tauri_plugin_opener::OpenerExt;

use crate::files::{self, PickedFiles};
use crate::state::TillState;

use crate::error::{CommandError, ErrorCode};
use crate::{customer_display, print, startup, updates};

type CommandResult<T> = Result<T, CommandError>;

/// Called once by the UI after the first interactive paint of the home screen. Records the
/// start-up time, then prepares the till in the background (demo sandbox, history, settling
/// sales a crash left open) so the first sale is as quick as the rest without delaying the
/// first paint.
#[tauri::command]
pub fn ui_ready(state: State<'_, TillState>) {
    startup::report_ready();
    let Ok(till) = state.till() else {
        return;
    };
    let till = till.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(error) = till.prepare().await {
            log::warn!("could not prepare the till ahead of the first sale: {error}");
        }
    });
}

/// Opens (or re-targets) the customer-facing window showing sale `id`.
#[tauri::command]
pub fn show_customer_display<R: Runtime>(app: AppHandle<R>, id: String) -> CommandResult<()> {
    customer_display::show(&app, &id)
}

// Each command takes the till, calls the one pos-core method of the same name and converts the
// error; anything more belongs in pos-core.

/// `app_state`: the active profile, all profiles, settings and currencies.
#[tauri::command]
pub async fn app_state(state: State<'_, TillState>) -> CommandResult<AppState> {
    Ok(state.till()?.app_state().await?)
}

/// `gateways`: the pg_codes the active profile may use for `currency`.
#[tauri::command]
pub async fn gateways(
    state: State<'_, TillState>,
    currency: String,
) -> CommandResult<Vec<Gateway>> {
    Ok(state.till()?.gateways(&currency).await?)
}

/// `create_sale`: validate the draft, record it, create the payment request. The draft's
/// `attachment_path` is a token from `pick_attachment`, swapped here for the file the cashier
/// chose in the shell's dialog; a path (or an unknown token) from the page is refused.
#[tauri::command]
pub async fn create_sale(
    state: State<'_, TillState>,
    picked: State<'_, PickedFiles>,
    draft: SaleDraft,
) -> CommandResult<Sale> {
    let mut draft = draft;
    if let Some(token) = draft
        .attachment_path
        .take()
        .filter(|t| !t.trim().is_empty())
    {
        let path = picked.take(&token).ok_or_else(|| {
            pos_core::Error::invalid_field(
                "attachment_path",
                pos_core::problem!(AttachmentChooseAgain),
            )
        })?;
        draft.attachment_path = Some(path.to_string_lossy().into_owned());
    }
    Ok(state.till()?.create_sale(draft).await?)
}

/// `get_sale`: one sale with its QR; it becomes the sale on screen, tracked closely.
#[tauri::command]
pub async fn get_sale(state: State<'_, TillState>, id: String) -> CommandResult<Sale> {
    let till = state.till()?;
    till.watch_sale(Some(&id)).await?;
    Ok(till.get_sale(&id).await?)
}

/// `edit_sale`: change the amount or customer details of an unpaid sale (same link).
#[tauri::command]
pub async fn edit_sale(
    state: State<'_, TillState>,
    id: String,
    edit: SaleEdit,
) -> CommandResult<Sale> {
    Ok(state.till()?.edit_sale(&id, edit).await?)
}

/// `cancel_sale`: cancel an unpaid sale's link.
#[tauri::command]
pub async fn cancel_sale(state: State<'_, TillState>, id: String) -> CommandResult<Sale> {
    Ok(state.till()?.cancel_sale(&id).await?)
}

/// `check_sale`: ask Ottu about the sale right away.
#[tauri::command]
pub async fn check_sale(state: State<'_, TillState>, id: String) -> CommandResult<Sale> {
    Ok(state.till()?.check_sale(&id).await?)
}

/// `replace_sale`: a fresh sale with the same details and a new order number.
#[tauri::command]
pub async fn replace_sale(state: State<'_, TillState>, id: String) -> CommandResult<Sale> {
    Ok(state.till()?.replace_sale(&id).await?)
}

/// `operate_sale`: refund, capture or void a sale.
#[tauri::command]
pub async fn operate_sale(
    state: State<'_, TillState>,
    input: OperationInput,
) -> CommandResult<Sale> {
    Ok(state.till()?.operate_sale(input).await?)
}

/// `share_links`: WhatsApp, SMS and email links with the message in the sale's language.
#[tauri::command]
pub async fn share_links(state: State<'_, TillState>, id: String) -> CommandResult<ShareLinks> {
    Ok(state.till()?.share_links(&id).await?)
}

/// `history`: sales matching the query, and today's paid totals.
#[tauri::command]
pub async fn history(state: State<'_, TillState>, query: HistoryQuery) -> CommandResult<History> {
    Ok(state.till()?.history(query).await?)
}

/// `export_csv`: asks where to save in the shell's save dialog (after the role check, so a
/// cashier gets no dialog), then writes the matching sales there; `None` when cancelled.
#[tauri::command]
pub async fn export_csv<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, TillState>,
    query: HistoryQuery,
) -> CommandResult<Option<CsvExport>> {
    let till = state.till()?;
    till.authorize(pos_core::staff::Action::Export)?;
    let day = pos_core::clock::format_day(pos_core::clock::today());
    let Some(path) = files::save_csv(&app, format!("ottu-sales-{day}.csv")).await? else {
        return Ok(None);
    };
    let path = path.to_string_lossy().into_owned();
    let rows = till.export_csv(query, &path).await?;
    Ok(Some(CsvExport { path, rows }))
}

/// `pick_attachment`: the shell's open dialog; a one-time token for the chosen file.
#[tauri::command]
pub async fn pick_attachment<R: Runtime>(
    app: AppHandle<R>,
    picked: State<'_, PickedFiles>,
) -> CommandResult<Option<PickedFile>> {
    let Some(path) = files::pick_attachment(&app).await? else {
        return Ok(None);
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let token = picked.keep(path)?;
    Ok(Some(PickedFile { token, name }))
}

/// `open_share`: opens the sale's WhatsApp, SMS or email link (built by pos-core) with the
/// system, so the page needs no permission to open such links itself.
#[tauri::command]
pub async fn open_share<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, TillState>,
    id: String,
    channel: ShareChannel,
) -> CommandResult<()> {
    let link = state.till()?.share_link(&id, channel).await?;
    app.opener().open_url(link, None::<&str>).map_err(|error| {
        CommandError::new(
            ErrorCode::Internal,
            pos_core::problem!(
                Internal,
                detail = format!("the system could not open the link: {error}")
            ),
        )
    })
}

/// `save_settings`: language, shop name, theme, defaults.
#[tauri::command]
pub async fn save_settings(
    state: State<'_, TillState>,
    settings: Settings,
) -> CommandResult<AppState> {
    Ok(state.till()?.save_settings(settings).await?)
}

/// `save_profile`: add or change a merchant profile; its secret goes to the keychain.
#[tauri::command]
pub async fn save_profile(
    state: State<'_, TillState>,
    profile: ProfileInput,
) -> CommandResult<Profile> {
    Ok(state.till()?.save_profile(profile).await?)
}

/// `use_profile`: switch the active profile.
#[tauri::command]
pub async fn use_profile(state: State<'_, TillState>, id: String) -> CommandResult<AppState> {
    Ok(state.till()?.use_profile(&id).await?)
}

/// `delete_profile`: remove a merchant profile and its keychain entry.
#[tauri::command]
pub async fn delete_profile(state: State<'_, TillState>, id: String) -> CommandResult<AppState> {
    Ok(state.till()?.delete_profile(&id).await?)
}

/// `test_connection`: tells apart bad host, bad credentials, missing permission, no network.
#[tauri::command]
pub async fn test_connection(
    state: State<'_, TillState>,
    profile: ProfileInput,
) -> CommandResult<ConnectionCheck> {
    Ok(state.till()?.test_connection(profile).await?)
}

/// `unlock`: sign in the staff member whose PIN this is.
#[tauri::command]
pub async fn unlock(state: State<'_, TillState>, pin: String) -> CommandResult<AppState> {
    Ok(state.till()?.unlock_with_pin(&pin).await?)
}

/// `lock`: lock the till now.
#[tauri::command]
pub async fn lock(state: State<'_, TillState>) -> CommandResult<AppState> {
    Ok(state.till()?.lock_now().await?)
}

/// `staff_list`: every staff member (owner only).
#[tauri::command]
pub async fn staff_list(state: State<'_, TillState>) -> CommandResult<Vec<StaffMember>> {
    Ok(state.till()?.staff()?)
}

/// `save_staff`: add or change a staff member (owner only).
#[tauri::command]
pub async fn save_staff(
    state: State<'_, TillState>,
    staff: StaffInput,
) -> CommandResult<StaffMember> {
    Ok(state.till()?.save_staff(staff)?)
}

/// `delete_staff`: remove a staff member (owner only).
#[tauri::command]
pub async fn delete_staff(
    state: State<'_, TillState>,
    id: String,
) -> CommandResult<Vec<StaffMember>> {
    Ok(state.till()?.delete_staff(&id)?)
}

/// `save_diagnostics`: asks where to save in the shell's save dialog (after the role check),
/// then writes the redacted zip there with the app's log folder; `None` when cancelled.
#[tauri::command]
pub async fn save_diagnostics<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, TillState>,
) -> CommandResult<Option<DiagnosticsSummary>> {
    let till = state.till()?;
    till.authorize(pos_core::staff::Action::Export)?;
    let day = pos_core::clock::format_day(pos_core::clock::today());
    let Some(path) = files::save_zip(&app, format!("ottu-pos-diagnostics-{day}.zip")).await? else {
        return Ok(None);
    };
    let log_dir = app.path().app_log_dir().ok();
    Ok(Some(
        till.save_diagnostics(&path, log_dir.as_deref()).await?,
    ))
}

/// `update_settings`: where updates come from (owner only).
#[tauri::command]
pub async fn update_settings(state: State<'_, TillState>) -> CommandResult<UpdateSettings> {
    Ok(state.till()?.update_settings()?)
}

/// `save_update_settings`: set or clear the update address (owner only, `https://` only).
#[tauri::command]
pub async fn save_update_settings(
    state: State<'_, TillState>,
    updates: UpdateSettings,
) -> CommandResult<UpdateSettings> {
    Ok(state.till()?.save_update_settings(updates)?)
}

/// `check_update`: asks the update address for a newer version (owner only).
#[tauri::command]
pub async fn check_update<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, TillState>,
) -> CommandResult<Option<UpdateOffer>> {
    let endpoint = state.till()?.update_endpoint()?;
    Ok(updates::check(&app, &endpoint)
        .await?
        .as_ref()
        .map(updates::offer))
}

/// `install_update`: the owner confirmed `version`. Checks the rules again (owner, no sale that
/// can still be paid), downloads and verifies the signature, installs, restarts. The address
/// must still offer the version the owner saw.
#[tauri::command]
pub async fn install_update<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, TillState>,
    version: String,
) -> CommandResult<()> {
    let till = state.till()?;
    till.ready_to_install_update().await?;
    let endpoint = till.update_endpoint()?;
    let update = match updates::check(&app, &endpoint).await? {
        Some(update) if update.version == version => update,
        Some(update) => {
            return Err(CommandError::new(
                ErrorCode::InvalidInput,
                pos_core::problem!(
                    UpdateVersionChanged,
                    offered = update.version,
                    version = version
                ),
            ));
        }
        None => {
            return Err(CommandError::new(
                ErrorCode::InvalidInput,
                pos_core::problem!(UpdateNoLongerOffered, version = version),
            ));
        }
    };
    let bytes = updates::download(&update).await?;
    // The download took a while: a sale may have been started meanwhile.
    till.ready_to_install_update().await?;
    log::info!(
        "update: installing {version} over {}",
        update.current_version
    );
    updates::install(update, bytes).await?;
    log::info!("update: {version} installed; restarting");
    till.shutdown().await;
    app.restart()
}

/// `catalog_search`: items by name or exact code (any signed-in role).
#[tauri::command]
pub async fn catalog_search(
    state: State<'_, TillState>,
    query: CatalogQuery,
) -> CommandResult<Vec<CatalogItem>> {
    Ok(state.till()?.catalog_search(query).await?)
}

/// `catalog_lookup`: the item a scanned barcode or typed SKU names.
#[tauri::command]
pub async fn catalog_lookup(
    state: State<'_, TillState>,
    code: String,
) -> CommandResult<Option<CatalogItem>> {
    Ok(state.till()?.catalog_lookup(code).await?)
}

/// `save_catalog_item`: add or change an item (manager, owner).
#[tauri::command]
pub async fn save_catalog_item(
    state: State<'_, TillState>,
    item: CatalogItemInput,
) -> CommandResult<CatalogItem> {
    Ok(state.till()?.save_catalog_item(item).await?)
}

/// `archive_catalog_item`: archive or restore an item (manager, owner).
#[tauri::command]
pub async fn archive_catalog_item(
    state: State<'_, TillState>,
    id: String,
    version: u32,
    archived: bool,
) -> CommandResult<CatalogItem> {
    Ok(state
        .till()?
        .archive_catalog_item(id, version, archived)
        .await?)
}

/// `price_cart`: the cart's totals as Ottu's Invoice API computes them.
#[tauri::command]
pub async fn price_cart(state: State<'_, TillState>, cart: CartInput) -> CommandResult<CartTotals> {
    Ok(state.till()?.price_cart(cart).await?)
}

/// `current_shift`: the active profile's open shift, if any.
#[tauri::command]
pub async fn current_shift(state: State<'_, TillState>) -> CommandResult<Option<Shift>> {
    Ok(state.till()?.current_shift().await?)
}

/// `open_shift`: opens a shift with the cash in the drawer.
#[tauri::command]
pub async fn open_shift(
    state: State<'_, TillState>,
    opening_float: String,
) -> CommandResult<Shift> {
    Ok(state.till()?.open_shift(&opening_float).await?)
}

/// `record_cash`: cash into or out of the open shift's drawer.
#[tauri::command]
pub async fn record_cash(
    state: State<'_, TillState>,
    input: CashEntryInput,
) -> CommandResult<Shift> {
    Ok(state.till()?.record_cash(input).await?)
}

/// `cash_sale`: a sale paid in cash in the open shift; answers the change.
#[tauri::command]
pub async fn cash_sale(
    state: State<'_, TillState>,
    input: CashSaleInput,
) -> CommandResult<CashSale> {
    Ok(state.till()?.cash_sale(input).await?)
}

/// `shift_report`: the open shift's X report, or a closed shift's stored Z report.
#[tauri::command]
pub async fn shift_report(
    state: State<'_, TillState>,
    shift_id: Option<String>,
    kind: ReportKind,
) -> CommandResult<ShiftReport> {
    Ok(state
        .till()?
        .shift_report(shift_id.as_deref(), kind)
        .await?)
}

/// `close_shift`: closes the open shift with the counted cash; answers its Z report.
#[tauri::command]
pub async fn close_shift(
    state: State<'_, TillState>,
    counted_cash: String,
) -> CommandResult<ShiftReport> {
    Ok(state.till()?.close_shift(&counted_cash).await?)
}

/// `sale_receipt`: a paid sale's receipt, its items named in `language`.
#[tauri::command]
pub async fn sale_receipt(
    state: State<'_, TillState>,
    id: String,
    language: Language,
) -> CommandResult<Receipt> {
    Ok(state.till()?.sale_receipt(&id, language).await?)
}

/// `print_page`: prints the calling window's page on `paper` through the system print dialog.
/// Any signed-in role prints (the page shows only what that role may read).
#[tauri::command]
pub async fn print_page<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, TillState>,
    paper: Paper,
) -> CommandResult<()> {
    state
        .till()?
        .authorize(pos_core::staff::Action::CreateSale)?;
    print::print(&window, paper).await?;
    Ok(())
}

/// `print_page_to_pdf`: asks where to save in the shell's save dialog, offering
/// `file_name`.pdf, then prints the calling window's page on `paper` to that file with no print
/// dialog; answers the path, `None` when cancelled.
#[tauri::command]
pub async fn print_page_to_pdf<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: State<'_, TillState>,
    paper: Paper,
    file_name: String,
) -> CommandResult<Option<String>> {
    state
        .till()?
        .authorize(pos_core::staff::Action::CreateSale)?;
    let Some(path) = files::save_pdf(&app, files::pdf_file_name(&file_name)).await? else {
        return Ok(None);
    };
    print::print_to_pdf(&window, paper, &path).await?;
    Ok(Some(path.to_string_lossy().into_owned()))
}

/// `shifts`: the active profile's latest shifts, newest first (manager, owner).
#[tauri::command]
pub async fn shifts(state: State<'_, TillState>, limit: u32) -> CommandResult<Vec<Shift>> {
    Ok(state.till()?.shifts(limit).await?)
}

/// `export_report_csv`: the save dialog, then the X or Z report written there as CSV.
#[tauri::command]
pub async fn export_report_csv<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, TillState>,
    shift_id: Option<String>,
    kind: ReportKind,
) -> CommandResult<Option<CsvExport>> {
    let till = state.till()?;
    // Refused before the dialog opens: a report the role may not read is never offered.
    till.authorize(pos_core::staff::Action::RunShift)?;
    let letter = match kind {
        ReportKind::X => "x",
        ReportKind::Z => "z",
    };
    let day = pos_core::clock::format_day(pos_core::clock::today());
    let Some(path) = files::save_csv(&app, format!("ottu-{letter}-report-{day}.csv")).await? else {
        return Ok(None);
    };
    let rows = till
        .export_report_csv(shift_id.as_deref(), kind, &path)
        .await?;
    Ok(Some(CsvExport {
        path: path.to_string_lossy().into_owned(),
        rows,
    }))
}

/// `import_catalog_csv`: asks which CSV file in the shell's open dialog (after the role check,
/// so a cashier gets no dialog), then imports it, all rows or none; `None` when cancelled.
#[tauri::command]
pub async fn import_catalog_csv<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, TillState>,
) -> CommandResult<Option<CatalogImport>> {
    let till = state.till()?;
    till.authorize(pos_core::staff::Action::ManageCatalog)?;
    let Some(path) = files::open_csv(&app).await? else {
        return Ok(None);
    };
    Ok(Some(till.import_catalog_csv(path).await?))
}

/// `export_catalog_csv`: asks where to save in the shell's save dialog (after the role check),
/// then writes every item there; `None` when cancelled.
#[tauri::command]
pub async fn export_catalog_csv<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, TillState>,
) -> CommandResult<Option<CsvExport>> {
    let till = state.till()?;
    till.authorize(pos_core::staff::Action::ManageCatalog)?;
    let day = pos_core::clock::format_day(pos_core::clock::today());
    let Some(path) = files::save_csv(&app, format!("ottu-catalog-{day}.csv")).await? else {
        return Ok(None);
    };
    let rows = till.export_catalog_csv(path.clone()).await?;
    Ok(Some(CsvExport {
        path: path.to_string_lossy().into_owned(),
        rows,
    }))
}

/// `open_bill`: a split bill of `amount` in the shop's currency.
#[tauri::command]
pub async fn open_bill(state: State<'_, TillState>, amount: String) -> CommandResult<Bill> {
    Ok(state.till()?.open_bill(&amount).await?)
}

/// `bill`: a split bill with its parts and what is left.
#[tauri::command]
pub async fn bill(state: State<'_, TillState>, id: String) -> CommandResult<Bill> {
    Ok(state.till()?.bill(&id).await?)
}

/// `bill_link_part`: a payment link for part of a bill.
#[tauri::command]
pub async fn bill_link_part(
    state: State<'_, TillState>,
    id: String,
    amount: String,
) -> CommandResult<Sale> {
    Ok(state.till()?.bill_link_part(&id, &amount).await?)
}

/// `bill_cash_part`: part of a bill paid in cash into the open shift.
#[tauri::command]
pub async fn bill_cash_part(
    state: State<'_, TillState>,
    id: String,
    input: CashSaleInput,
) -> CommandResult<CashSale> {
    Ok(state.till()?.bill_cash_part(&id, input).await?)
}

/// `ottu_cash_setup`: the gateway marked as Ottu's cash method, and this till's id.
#[tauri::command]
pub async fn ottu_cash_setup(state: State<'_, TillState>) -> CommandResult<OttuCashSetup> {
    Ok(state.till()?.ottu_cash_setup().await?)
}

/// `set_ottu_cash_setup`: marks the cash gateway and sets the till id (owner only).
#[tauri::command]
pub async fn set_ottu_cash_setup(
    state: State<'_, TillState>,
    input: OttuCashSetupInput,
) -> CommandResult<OttuCashSetup> {
    Ok(state.till()?.set_ottu_cash_setup(input).await?)
}

/// `retry_cash_at_ottu`: finishes recording waiting cash sales at Ottu.
#[tauri::command]
pub async fn retry_cash_at_ottu(state: State<'_, TillState>) -> CommandResult<u32> {
    Ok(state.till()?.retry_cash_at_ottu().await?)
}

/// `reconcile`: this till's sales against Ottu's report files (manager, owner).
#[tauri::command]
pub async fn reconcile(
    state: State<'_, TillState>,
    from: String,
    to: String,
) -> CommandResult<Reconciliation> {
    Ok(state.till()?.reconcile(&from, &to).await?)
}

/// `dashboard`: today at a glance and this week against last, scoped by role in pos-core.
#[tauri::command]
pub async fn dashboard(state: State<'_, TillState>) -> CommandResult<Dashboard> {
    Ok(state.till()?.dashboard().await?)
}
