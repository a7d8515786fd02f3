// Generated from pos-core's list of IPC commands (crates/pos-core/src/ipc.rs) by
// `UPDATE_BINDINGS=1 cargo test -p pos-core --test ui_bindings`.
// Do not edit: change the list and run that command; `make test` fails while this file is
// stale. Every UI backend implements `CommandMethods`, so `npm run check` fails on one
// that misses or misnames a command or an argument.

import type { AppState, Bill, CartInput, CartTotals, CashEntryInput, CashSale, CashSaleInput, CatalogImport, CatalogItem, CatalogItemInput, CatalogQuery, ConnectionCheck, CsvExport, Dashboard, DiagnosticsSummary, Gateway, History, HistoryQuery, Language, OperationInput, OttuCashSetup, OttuCashSetupInput, Paper, PickedFile, Profile, ProfileInput, Receipt, Reconciliation, ReportKind, Sale, SaleDraft, SaleEdit, Settings, ShareChannel, ShareLinks, Shift, ShiftReport, StaffInput, StaffMember, UpdateOffer, UpdateSettings } from './bindings';

/** Every IPC command the shell registers, one method each (the UI's backends implement it). */
export interface CommandMethods {
  /** `ui_ready`: The UI's home screen is painted: record the start-up time, prepare the till. */
  uiReady(): Promise<void>;
  /** `show_customer_display`: Open (or re-target) the customer-facing window on sale `id`. */
  showCustomerDisplay(id: string): Promise<void>;
  /** `app_state`: The active profile, all profiles, settings and currencies. */
  appState(): Promise<AppState>;
  /** `gateways`: The gateways (pg_codes) the active profile may use for `currency`. */
  gateways(currency: string): Promise<Array<Gateway>>;
  /** `create_sale`: Validate the draft, record it, create the payment request. */
  createSale(draft: SaleDraft): Promise<Sale>;
  /** `get_sale`: One sale with its QR; it becomes the sale on screen. */
  getSale(id: string): Promise<Sale>;
  /** `edit_sale`: Change the amount or customer details of an unpaid sale (same link). */
  editSale(id: string, edit: SaleEdit): Promise<Sale>;
  /** `cancel_sale`: Cancel an unpaid sale's link. */
  cancelSale(id: string): Promise<Sale>;
  /** `check_sale`: "Check now": ask Ottu about the sale right away (settles a lost create, re-checks a failed or expired one for a late payment). */
  checkSale(id: string): Promise<Sale>;
  /** `replace_sale`: "Make a new link": a fresh sale with the same details and a new order number, for a sale none of whose links can be paid; answers the new sale. */
  replaceSale(id: string): Promise<Sale>;
  /** `operate_sale`: Refund, capture or void a sale (one operation per intent id); answers the sale with its operations. */
  operateSale(input: OperationInput): Promise<Sale>;
  /** `share_links`: WhatsApp, SMS and email links with the message in the sale's language. */
  shareLinks(id: string): Promise<ShareLinks>;
  /** `history`: Sales matching the query, and today's paid totals. */
  history(query: HistoryQuery): Promise<History>;
  /** `export_csv`: Ask where to save (the shell's own save dialog), then write the matching sales there as CSV; `null` when the cashier cancels. The page never names a path. */
  exportCsv(query: HistoryQuery): Promise<CsvExport | null>;
  /** `pick_attachment`: The shell's own open dialog for a file to attach: a one-time token for it (sent as the draft's `attachment_path`) and its name; `null` when cancelled. */
  pickAttachment(): Promise<PickedFile | null>;
  /** `open_share`: Open sale `id`'s WhatsApp, SMS or email link with the system (built by pos-core). */
  openShare(id: string, channel: ShareChannel): Promise<void>;
  /** `save_settings`: Language, shop name, theme, defaults. */
  saveSettings(settings: Settings): Promise<AppState>;
  /** `save_profile`: Add or change a profile; its secret goes to the keychain. */
  saveProfile(profile: ProfileInput): Promise<Profile>;
  /** `use_profile`: Switch the active profile. */
  useProfile(id: string): Promise<AppState>;
  /** `delete_profile`: Remove a merchant profile and its keychain entry. */
  deleteProfile(id: string): Promise<AppState>;
  /** `test_connection`: Tell apart bad host, bad credentials, missing permission, no network. */
  testConnection(profile: ProfileInput): Promise<ConnectionCheck>;
  /** `unlock`: Sign in the staff member whose PIN this is (switches staff). */
  unlock(pin: string): Promise<AppState>;
  /** `lock`: Lock the till now. */
  lock(): Promise<AppState>;
  /** `staff_list`: Every staff member (owner only). */
  staffList(): Promise<Array<StaffMember>>;
  /** `save_staff`: Add or change a staff member (owner only); the PIN is hashed, never returned. */
  saveStaff(staff: StaffInput): Promise<StaffMember>;
  /** `delete_staff`: Remove a staff member (owner only). */
  deleteStaff(id: string): Promise<Array<StaffMember>>;
  /** `save_diagnostics`: Ask where to save (the shell's own save dialog), then write the redacted diagnostics zip there (manager or owner); `null` when cancelled. */
  saveDiagnostics(): Promise<DiagnosticsSummary | null>;
  /** `update_settings`: Where updates come from (owner only). */
  updateSettings(): Promise<UpdateSettings>;
  /** `save_update_settings`: Set or clear the update address (owner only; `https://` only). */
  saveUpdateSettings(updates: UpdateSettings): Promise<UpdateSettings>;
  /** `check_update`: Ask the update address whether a newer version is offered (owner only); `null` when this is the newest. */
  checkUpdate(): Promise<UpdateOffer | null>;
  /** `install_update`: Download `version`, check its signature, install it and restart (owner only, never while a sale can still be paid). */
  installUpdate(version: string): Promise<void>;
  /** `catalog_search`: Catalog items by name (English or Arabic, case and diacritics folded) or exact SKU/barcode; any signed-in role. */
  catalogSearch(query: CatalogQuery): Promise<Array<CatalogItem>>;
  /** `catalog_lookup`: The item a scanned barcode (or typed SKU) names; `null` if none. */
  catalogLookup(code: string): Promise<CatalogItem | null>;
  /** `save_catalog_item`: Add or change a catalog item (manager, owner); a change carries the version read. */
  saveCatalogItem(item: CatalogItemInput): Promise<CatalogItem>;
  /** `archive_catalog_item`: Archive (or restore) a catalog item (manager, owner), over the version read. */
  archiveCatalogItem(id: string, version: number, archived: boolean): Promise<CatalogItem>;
  /** `price_cart`: Price a cart as Ottu's Invoice API will: lines, discounts, VAT per rate, total. */
  priceCart(cart: CartInput): Promise<CartTotals>;
  /** `current_shift`: The active profile's open shift; `null` when none is open. */
  currentShift(): Promise<Shift | null>;
  /** `open_shift`: Open a shift with the cash in the drawer (one open shift per profile). */
  openShift(openingFloat: string): Promise<Shift>;
  /** `record_cash`: Put cash into (any role) or take it out of (manager, owner) the open shift's drawer. */
  recordCash(input: CashEntryInput): Promise<Shift>;
  /** `cash_sale`: A sale paid in cash in the open shift: checks the cash given, answers the change. */
  cashSale(input: CashSaleInput): Promise<CashSale>;
  /** `shift_report`: The open shift's X report (`shift_id` `null`), or a closed shift's stored Z report. */
  shiftReport(shiftId: string | null, kind: ReportKind): Promise<ShiftReport>;
  /** `close_shift`: Close the open shift with the counted cash; answers its Z report. */
  closeShift(countedCash: string): Promise<ShiftReport>;
  /** `sale_receipt`: Paid sale `id`'s receipt, its items named in `language` (any signed-in role). */
  saleReceipt(id: string, language: Language): Promise<Receipt>;
  /** `print_page`: Print the window's page on `paper` through the system's print dialog (the page's print CSS chooses what shows); answers once the dialog is closed. */
  printPage(paper: Paper): Promise<void>;
  /** `print_page_to_pdf`: Ask where to save (the shell's own save dialog, offering `file_name`.pdf), then print the window's page on `paper` to that PDF file with no print dialog; answers the path, `null` when cancelled. */
  printPageToPdf(paper: Paper, fileName: string): Promise<string | null>;
  /** `shifts`: The active profile's latest shifts, newest first (manager, owner). */
  shifts(limit: number): Promise<Array<Shift>>;
  /** `export_report_csv`: Ask where to save (the shell's own save dialog), then write the report `shift_report` answers for the same arguments there as CSV; `null` when cancelled. */
  exportReportCsv(shiftId: string | null, kind: ReportKind): Promise<CsvExport | null>;
  /** `open_bill`: Open a split bill of `amount` in the shop's currency. */
  openBill(amount: string): Promise<Bill>;
  /** `bill`: A split bill with its parts and what is left to pay. */
  bill(id: string): Promise<Bill>;
  /** `bill_link_part`: A payment link for part of bill `id` (none while another part's link is live); answers the part, a sale like any other. */
  billLinkPart(id: string, amount: string): Promise<Sale>;
  /** `bill_cash_part`: Part of bill `id` paid in cash into the open shift; answers the change. */
  billCashPart(id: string, input: CashSaleInput): Promise<CashSale>;
  /** `ottu_cash_setup`: The active profile's gateway marked as Ottu's cash method, and this till's id. */
  ottuCashSetup(): Promise<OttuCashSetup>;
  /** `set_ottu_cash_setup`: Mark a gateway as Ottu's cash method (or none) and set the till id (owner only). */
  setOttuCashSetup(input: OttuCashSetupInput): Promise<OttuCashSetup>;
  /** `retry_cash_at_ottu`: Finish recording at Ottu the cash sales still waiting; answers how many still wait. */
  retryCashAtOttu(): Promise<number>;
  /** `reconcile`: Compare this till's sales from `from` to `to` (UTC days) with Ottu's report files (manager, owner); answers every difference. */
  reconcile(from: string, to: string): Promise<Reconciliation>;
  /** `dashboard`: Today at a glance and this week against last: the whole shop for managers and owners, a cashier's own sales for a cashier. */
  dashboard(): Promise<Dashboard>;
  /** `import_catalog_csv`: Import catalog items from a CSV file the manager chooses in the shell's open dialog (manager, owner): every row or none, with the problems by row; `null` when the dialog was cancelled. */
  importCatalogCsv(): Promise<CatalogImport | null>;
  /** `export_catalog_csv`: Write the whole catalog to a CSV file chosen in the shell's save dialog (manager, owner); `null` when cancelled. */
  exportCatalogCsv(): Promise<CsvExport | null>;
}

/** Tauri's `invoke`, as the wrappers use it. */
export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

/** The commands over `invoke`: the names and argument names the shell registers. */
export function invokeCommands(invoke: Invoke): CommandMethods {
  return {
    uiReady: async () => {
      await invoke<null>('ui_ready');
    },
    showCustomerDisplay: async (id) => {
      await invoke<null>('show_customer_display', { id });
    },
    appState: () => invoke<AppState>('app_state'),
    gateways: (currency) => invoke<Array<Gateway>>('gateways', { currency }),
    createSale: (draft) => invoke<Sale>('create_sale', { draft }),
    getSale: (id) => invoke<Sale>('get_sale', { id }),
    editSale: (id, edit) => invoke<Sale>('edit_sale', { id, edit }),
    cancelSale: (id) => invoke<Sale>('cancel_sale', { id }),
    checkSale: (id) => invoke<Sale>('check_sale', { id }),
    replaceSale: (id) => invoke<Sale>('replace_sale', { id }),
    operateSale: (input) => invoke<Sale>('operate_sale', { input }),
    shareLinks: (id) => invoke<ShareLinks>('share_links', { id }),
    history: (query) => invoke<History>('history', { query }),
    exportCsv: (query) => invoke<CsvExport | null>('export_csv', { query }),
    pickAttachment: () => invoke<PickedFile | null>('pick_attachment'),
    openShare: async (id, channel) => {
      await invoke<null>('open_share', { id, channel });
    },
    saveSettings: (settings) => invoke<AppState>('save_settings', { settings }),
    saveProfile: (profile) => invoke<Profile>('save_profile', { profile }),
    useProfile: (id) => invoke<AppState>('use_profile', { id }),
    deleteProfile: (id) => invoke<AppState>('delete_profile', { id }),
    testConnection: (profile) => invoke<ConnectionCheck>('test_connection', { profile }),
    unlock: (pin) => invoke<AppState>('unlock', { pin }),
    lock: () => invoke<AppState>('lock'),
    staffList: () => invoke<Array<StaffMember>>('staff_list'),
    saveStaff: (staff) => invoke<StaffMember>('save_staff', { staff }),
    deleteStaff: (id) => invoke<Array<StaffMember>>('delete_staff', { id }),
    saveDiagnostics: () => invoke<DiagnosticsSummary | null>('save_diagnostics'),
    updateSettings: () => invoke<UpdateSettings>('update_settings'),
    saveUpdateSettings: (updates) => invoke<UpdateSettings>('save_update_settings', { updates }),
    checkUpdate: () => invoke<UpdateOffer | null>('check_update'),
    installUpdate: async (version) => {
      await invoke<null>('install_update', { version });
    },
    catalogSearch: (query) => invoke<Array<CatalogItem>>('catalog_search', { query }),
    catalogLookup: (code) => invoke<CatalogItem | null>('catalog_lookup', { code }),
    saveCatalogItem: (item) => invoke<CatalogItem>('save_catalog_item', { item }),
    archiveCatalogItem: (id, version, archived) => invoke<CatalogItem>('archive_catalog_item', { id, version, archived }),
    priceCart: (cart) => invoke<CartTotals>('price_cart', { cart }),
    currentShift: () => invoke<Shift | null>('current_shift'),
    openShift: (openingFloat) => invoke<Shift>('open_shift', { openingFloat }),
    recordCash: (input) => invoke<Shift>('record_cash', { input }),
    cashSale: (input) => invoke<CashSale>('cash_sale', { input }),
    shiftReport: (shiftId, kind) => invoke<ShiftReport>('shift_report', { shiftId, kind }),
    closeShift: (countedCash) => invoke<ShiftReport>('close_shift', { countedCash }),
    saleReceipt: (id, language) => invoke<Receipt>('sale_receipt', { id, language }),
    printPage: async (paper) => {
      await invoke<null>('print_page', { paper });
    },
    printPageToPdf: (paper, fileName) => invoke<string | null>('print_page_to_pdf', { paper, fileName }),
    shifts: (limit) => invoke<Array<Shift>>('shifts', { limit }),
    exportReportCsv: (shiftId, kind) => invoke<CsvExport | null>('export_report_csv', { shiftId, kind }),
    openBill: (amount) => invoke<Bill>('open_bill', { amount }),
    bill: (id) => invoke<Bill>('bill', { id }),
    billLinkPart: (id, amount) => invoke<Sale>('bill_link_part', { id, amount }),
    billCashPart: (id, input) => invoke<CashSale>('bill_cash_part', { id, input }),
    ottuCashSetup: () => invoke<OttuCashSetup>('ottu_cash_setup'),
    setOttuCashSetup: (input) => invoke<OttuCashSetup>('set_ottu_cash_setup', { input }),
    retryCashAtOttu: () => invoke<number>('retry_cash_at_ottu'),
    reconcile: (from, to) => invoke<Reconciliation>('reconcile', { from, to }),
    dashboard: () => invoke<Dashboard>('dashboard'),
    importCatalogCsv: () => invoke<CatalogImport | null>('import_catalog_csv'),
    exportCatalogCsv: () => invoke<CsvExport | null>('export_catalog_csv'),
  };
}
