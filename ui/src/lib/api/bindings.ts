// Generated from the Rust types of pos-core (crates/pos-core/src/dto.rs and the modules it
// re-exports) by `UPDATE_BINDINGS=1 cargo test -p pos-core --test ui_bindings`.
// Do not edit: change the Rust types and run that command; `make test` fails while this
// file is stale.

/**
 * Every problem pos-core can report. The JSON name is the stable code.
 */
export type ProblemCode = "fix_fields" | "server_refused" | "server_refused_fields" | "server_field_refused" | "server_busy" | "unauthorized" | "forbidden" | "network" | "server_timeout" | "server_failed" | "ambiguous" | "server_answer_unreadable" | "locked" | "store_failed" | "file_failed" | "internal" | "connection_settings_unusable" | "config_invalid" | "home_dir_missing" | "keychain_failed" | "sale_not_found" | "staff_not_found" | "transaction_not_found" | "server_not_found" | "reference_not_found" | "currency_invalid" | "amount_empty" | "amount_zero" | "amount_no_decimals" | "amount_too_many_decimals" | "amount_too_large" | "amount_not_a_number" | "amount_misplaced_grouping" | "amount_over_remaining" | "name_too_long" | "phone_not_digits" | "phone_local_length" | "phone_wrong_length" | "phone_kuwait_length" | "phone_needed_to_notify" | "email_invalid" | "email_too_long" | "email_needed_to_notify" | "order_no_too_long" | "order_no_bad_character" | "order_no_may_exist" | "order_no_used" | "order_no_busy" | "note_too_long" | "expiry_out_of_range" | "due_date_past" | "date_format" | "date_range_reversed" | "attachment_missing" | "attachment_name_too_long" | "attachment_type" | "attachment_unreadable" | "attachment_not_a_file" | "attachment_too_large" | "attachment_refused" | "attachment_choose_again" | "pg_codes_empty" | "pg_code_invalid" | "notify_unsupported" | "try_again" | "sale_has_link" | "sale_replaced" | "sale_changed" | "sale_busy" | "sale_may_be_paid" | "sale_not_editable" | "sale_not_cancelable" | "sale_not_expirable" | "cancel_too_late" | "expire_too_late" | "not_checked_yet" | "no_payment_link" | "no_link_yet" | "share_unavailable" | "share_needs_phone" | "share_needs_email" | "intent_id_invalid" | "intent_id_other_sale" | "refund_needs_paid" | "capture_needs_authorized" | "void_needs_authorized" | "no_transaction" | "nothing_left" | "role_may_not" | "role_may_not_owner_only" | "needs_approval" | "approver_may_not" | "wrong_pin" | "pin_format" | "pin_needed" | "pin_taken" | "pin_blocked" | "staff_name_invalid" | "owner_needed_first" | "owner_needed" | "role_needed" | "cannot_remove_self" | "owner_pin_first" | "no_open_shift" | "shift_already_open" | "shift_closed" | "shift_not_found" | "shift_still_open" | "tendered_short" | "cash_reason_empty" | "cash_cart_currency" | "bill_not_found" | "bill_link_live" | "bill_part_too_big" | "bill_part_has_cart" | "bill_paid" | "shop_name_empty" | "too_long" | "default_expiry_out_of_range" | "lock_after_out_of_range" | "phone_demo_no_address" | "profile_name_empty" | "base_url_empty" | "base_url_invalid" | "base_url_no_host" | "base_url_not_https" | "base_url_scheme" | "base_url_credentials" | "base_url_host_only" | "username_needed" | "api_key_needed" | "password_needed" | "currency_needed" | "currency_unknown" | "gateway_code_invalid" | "secret_reenter" | "demo_needs_no_key" | "demo_not_deletable" | "profile_unknown" | "profile_no_secret" | "secret_not_in_keychain" | "profile_unusable" | "recorded" | "create_not_sent" | "create_unclear" | "link_not_saved" | "canceled_before_link" | "nothing_created" | "till_stopped_while_creating" | "late_link_canceled_replaced" | "lost_link_canceled" | "never_made_link" | "never_made_link_replaced" | "no_link_watching" | "no_link_watching_replaced" | "link_may_be_paid_confirming" | "link_may_be_paid" | "settle_unreachable" | "other_transaction" | "first_link_turned_out" | "link_unconfirmed" | "link_confirming" | "operation_queued" | "operation_rejected" | "operation_answer_lost" | "edit_nothing" | "env_no_pin" | "env_no_secret" | "secret_not_given" | "update_endpoint_not_url" | "update_endpoint_not_https" | "update_endpoint_no_host" | "update_endpoint_has_credentials" | "update_endpoint_missing" | "update_open_sales" | "update_version_changed" | "update_no_longer_offered" | "update_signature_refused" | "update_unreachable" | "update_unusable" | "update_install_failed" | "field_required" | "catalog_code_has_space" | "price_invalid" | "vat_rate_invalid" | "catalog_version_needed" | "catalog_item_changed" | "catalog_item_not_found" | "catalog_code_taken" | "csv_header_unreadable" | "csv_unknown_column" | "csv_column_missing" | "csv_too_many_rows" | "csv_row_unreadable" | "csv_flag_invalid" | "csv_duplicate_in_file" | "cart_empty" | "cart_too_many_lines" | "cart_quantity_invalid" | "cart_price_invalid" | "cart_line_unnamed" | "cart_discount_invalid" | "cart_line_discount_too_large" | "cart_discount_too_large" | "cart_total_not_positive" | "cart_total_too_large" | "number_invalid" | "catalog_item_archived" | "catalog_item_other_currency" | "cart_amount_mismatch" | "invoice_option_unsupported" | "invoice_gateway_authorize" | "invoice_amount_fixed" | "vat_number_invalid" | "customer_window_unknown_sale" | "print_failed" | "receipt_not_paid" | "receipt_vat_number_missing" | "reconcile_date_invalid" | "reconcile_range_backwards" | "reconcile_range_too_long" | "reconcile_throttled" | "reconcile_report_unreadable" | "till_id_invalid" | "cash_gateway_unknown";

/**
 * One problem: a code, its parameters and the English sentence (for the CLI and logs).
 *
 * Stored as its JSON; a plain text where a problem is expected (written by an earlier version,
 * which kept only English words) reads as [`ProblemCode::Recorded`] with the text as `detail`.
 */
export type Problem = {
/**
 * The stable code; the UI translates it.
 */
code: ProblemCode,
/**
 * Values of the code's `{name}` placeholders.
 */
params: Record<string, string>,
/**
 * The English sentence.
 */
message: string, };

/**
 * Where a sale stands: the server's states plus three local ones.
 *
 * - `sending`: written to the local ledger, the create request is in flight.
 * - `unknown`: the request may have reached the server and the answer was lost; the core
 *   reconciles it (it never creates a second payment link by itself).
 * - `rejected`: the server refused it (validation); nothing exists server-side.
 */
export type SaleState = "sending" | "unknown" | "rejected" | "created" | "pending" | "attempted" | "authorized" | "paid" | "failed" | "canceled" | "expired" | "invalided" | "refunded" | "cod";

/**
 * How a sale is paid: an Ottu payment link (or invoice), cash at the till, or a bill split
 * between cash and links.
 */
export type PaymentMethod = "link" | "cash" | "split";

/**
 * The language of the customer-facing texts (payment page, share messages).
 */
export type Language = "en" | "ar";

/**
 * How the till is settling a sale, and what staff may do about it (see `docs/architecture.md`,
 * "Settling a lost create").
 */
export type Settlement = {
/**
 * Until when the till keeps looking for the sale's order number on the server, in case a
 * create whose answer was lost lands late (RFC 3339, UTC); `null` when not looking.
 */
watch_until: string | null,
/**
 * When the till asks Ottu about the sale again by itself (RFC 3339, UTC); `null` when it
 * will not.
 */
next_check_at: string | null,
/**
 * "Check now" asks Ottu about the sale right away.
 */
can_check: boolean,
/**
 * "Make a new link" is safe: no link of this sale can be paid (none exists, or it was
 * cancelled), so a fresh one with a new order number never makes two live links.
 */
can_replace: boolean,
/**
 * The sale made to replace this one.
 */
replaced_by: string | null,
/**
 * The sale this one replaces.
 */
replaces: string | null,
/**
 * A transaction with this order number differs from the sale in amount or currency: it
 * was not adopted, and staff must look at it (the `problem` says what differs).
 */
mismatch: boolean, };

/**
 * A staff member as recorded on a sale or an operation: id and name at the time.
 */
export type StaffRef = {
/**
 * Staff id.
 */
id: string,
/**
 * Their name when they did it.
 */
name: string, };

/**
 * A post-payment operation (Ottu's external operations).
 */
export type OperationKind = "refund" | "capture" | "void";

/**
 * Where an operation stands.
 */
export type OperationState = "sending" | "unknown" | "done" | "queued" | "rejected" | "refused";

/**
 * A refund, capture or void of a sale, as the till's ledger holds it.
 */
export type SaleOperation = {
/**
 * Local id: the intent the staff member started (a double click or a retry reuses it).
 */
id: string,
/**
 * The sale.
 */
sale_id: string,
/**
 * What it is.
 */
kind: OperationKind,
/**
 * The amount asked for, in the currency's decimals (`null`: the whole remaining amount).
 */
amount: string | null,
/**
 * The sale's currency.
 */
currency_code: string,
/**
 * Where it stands.
 */
state: OperationState,
/**
 * The amount Ottu says it operated on.
 */
result_amount: string | null,
/**
 * Ottu's reference of the child transaction.
 */
reference_number: string | null,
/**
 * Why it was refused, rejected or is being checked, as a problem code.
 */
problem: Problem | null,
/**
 * RFC 3339, UTC.
 */
created_at: string,
/**
 * RFC 3339, UTC.
 */
updated_at: string,
/**
 * Who asked for it.
 */
created_by: StaffRef | null,
/**
 * Who approved it (a manager, for a cashier's refund).
 */
approved_by: StaffRef | null, };

/**
 * A discount as typed: `kind` `amount` (in the sale's currency, in the shelf's basis) or
 * `percent` (0–100).
 */
export type CartDiscount = { "kind": "amount", "value": string } | { "kind": "percent", "value": string };

/**
 * One line: a catalog item (`item_id`; its SKU, name, price and VAT are the catalog's unless
 * given) or a custom amount (no `item_id`: `unit_price` required, VAT 0 unless given).
 */
export type CartLineInput = {
/**
 * The catalog item.
 */
item_id?: string,
/**
 * Decimal string above 0, at most 3 decimals (default 1).
 */
quantity?: string,
/**
 * A custom line's price (or a price override), in the shelf's basis.
 */
unit_price?: string,
/**
 * A custom line's name (default "Custom amount").
 */
name?: string,
/**
 * A custom line's VAT rate.
 */
vat_rate?: number,
/**
 * The line's discount.
 */
discount?: CartDiscount, };

/**
 * A cart as the UI sends it.
 */
export type CartInput = {
/**
 * The sale's currency (catalog items must be priced in it).
 */
currency_code: string,
/**
 * The lines.
 */
lines: Array<CartLineInput>,
/**
 * The whole-sale discount.
 */
discount?: CartDiscount, };

/**
 * Ottu's values for one line, and the shelf's.
 */
export type CartLineTotals = {
/**
 * The catalog item, `null` for a custom amount.
 */
item_id: string | null,
/**
 * Sent as the invoice line's `sku`.
 */
sku: string,
/**
 * The line's name.
 */
description: string,
/**
 * Decimal string.
 */
quantity: string,
/**
 * VAT in percent.
 */
vat_rate: number,
/**
 * The shelf price per unit (in the shop's basis).
 */
shelf_unit_price: string,
/**
 * The line's own discount (shelf basis).
 */
line_discount: string,
/**
 * Its share of the whole-sale discount (shelf basis).
 */
sale_discount_share: string,
/**
 * What the shelf says the line costs after its discounts.
 */
shelf_total: string,
/**
 * Sent to Ottu: pre-tax `unit_price`.
 */
unit_price_excl_tax: string,
/**
 * Sent to Ottu: pre-tax `discount_amount` ("0.000": none sent).
 */
discount_excl_tax: string,
/**
 * Ottu's `total_excl_tax`.
 */
total_excl_tax: string,
/**
 * Ottu's `tax_amount`.
 */
tax_amount: string,
/**
 * Ottu's `total_incl_tax`.
 */
total_incl_tax: string, };

/**
 * VAT of one rate.
 */
export type VatTotal = {
/**
 * Percent.
 */
rate: number,
/**
 * Σ lines' `total_excl_tax` at this rate.
 */
taxable: string,
/**
 * Σ lines' `tax_amount` at this rate.
 */
tax: string, };

/**
 * A priced cart: what the cashier sees before creating the sale.
 */
export type CartTotals = {
/**
 * The sale's currency.
 */
currency_code: string,
/**
 * Whether the shelf prices included VAT.
 */
prices_include_tax: boolean,
/**
 * Per line.
 */
lines: Array<CartLineTotals>,
/**
 * The whole-sale discount (shelf basis).
 */
sale_discount: string,
/**
 * Σ lines' shelf totals.
 */
shelf_total: string,
/**
 * Ottu's `total_excl_tax`.
 */
total_excl_tax: string,
/**
 * Ottu's `tax_amount` (Σ of the lines').
 */
tax_amount: string,
/**
 * Per VAT rate, rates in use only, ascending.
 */
vat: Array<VatTotal>,
/**
 * Ottu's `amount`: what the customer pays.
 */
total: string,
/**
 * Tax-inclusive prices: whether `total` equals `shelf_total` (otherwise the UI shows both:
 * Ottu's total is what gets charged). Tax-exclusive prices: always `true`.
 */
matches_shelf: boolean, };

/**
 * One sale as the UI shows it.
 */
export type Sale = {
/**
 * Local id (stable across restarts).
 */
id: string,
/**
 * The merchant reference sent to Ottu; unique per profile.
 */
order_no: string,
/**
 * Ottu's id, once the server has confirmed the transaction.
 */
session_id: string | null,
/**
 * Where the sale stands.
 */
state: SaleState,
/**
 * How it is paid (set when it is written; a cash sale never has a link).
 */
method: PaymentMethod,
/**
 * The split bill this sale is a part of; `null` for a sale of its own.
 */
bill_id: string | null,
/**
 * Decimal string with the currency's decimals, e.g. `"12.500"`.
 */
amount: string,
/**
 * ISO 4217 code.
 */
currency_code: string,
/**
 * Customer's name as typed.
 */
customer_name: string | null,
/**
 * Customer's phone in E.164 (`+96599999999`).
 */
customer_phone: string | null,
/**
 * Customer's email.
 */
customer_email: string | null,
/**
 * Staff note (kept locally).
 */
note: string | null,
/**
 * Language of the payment page and the share messages.
 */
language: Language,
/**
 * Ottu's checkout page.
 */
checkout_url: string | null,
/**
 * Ottu's short link, when the instance has one.
 */
short_url: string | null,
/**
 * `short_url ?? checkout_url`: what is shared and encoded in the QR.
 */
link: string | null,
/**
 * SVG markup of the QR code, rendered locally from `link`.
 *
 * Filled for single-sale results (create, get, edit, cancel, updates from `subscribe`);
 * left `null` in history lists so a long list stays light (open the sale to get it).
 */
qr_svg: string | null,
/**
 * When the link stops accepting payments (RFC 3339, UTC).
 */
expires_at: string | null,
/**
 * RFC 3339, UTC.
 */
created_at: string,
/**
 * RFC 3339, UTC.
 */
updated_at: string,
/**
 * When the tracker first saw the sale paid (RFC 3339, UTC).
 */
paid_at: string | null,
/**
 * The merchant profile the sale belongs to.
 */
profile_id: string,
/**
 * What the till notes about the sale when the state is `unknown` or `rejected` (or an
 * action failed), as a problem code the UI translates.
 */
problem: Problem | null,
/**
 * How the till is settling the sale, and what staff may do about it.
 */
settlement: Settlement,
/**
 * The staff member who made the sale (till staff, not an Ottu user); `null` for sales made
 * before staff existed or by a script with no staff.
 */
created_by: StaffRef | null,
/**
 * Refunds, captures and voids of the sale, oldest first. Filled for single-sale results
 * (`get_sale`, an operation's answer); empty in history lists.
 */
operations: Array<SaleOperation>,
/**
 * What may still be refunded (paid sales; `null` otherwise), in the currency's decimals.
 */
refundable_amount: string | null,
/**
 * The operations the sale's state, what remains and its gateways allow now (whether the
 * signed-in staff member may is the role table's, checked when asked). Filled with
 * `operations`.
 */
offered_operations: Array<OperationKind>,
/**
 * An itemised sale (made from a cart, as an Ottu invoice): its priced lines, VAT per rate
 * and total as sent, kept for the receipt. Absent for a payment request.
 */
cart?: CartTotals, };

/**
 * Which Ottu-side notifications to request (sent by Ottu when the link is created).
 */
export type Notify = {
/**
 * SMS to `customer_phone`.
 */
sms: boolean,
/**
 * Email to `customer_email`.
 */
email: boolean,
/**
 * WhatsApp to `customer_phone`.
 */
whatsapp: boolean, };

/**
 * What the staff typed for a new sale.
 */
export type SaleDraft = {
/**
 * Decimal string; at most the currency's decimals, greater than zero.
 */
amount: string,
/**
 * ISO 4217 code.
 */
currency_code: string,
/**
 * Shown on the payment page, at most 64 characters.
 */
customer_name?: string,
/**
 * E.164, or a local number that gets `+965`.
 */
customer_phone?: string,
/**
 * At most 128 characters.
 */
customer_email?: string,
/**
 * Merchant reference; generated (`POS-YYYYMMDD-XXXXXX`) when blank.
 */
order_no?: string,
/**
 * Kept locally only.
 */
note?: string,
/**
 * Link lifetime; the server's default (24 h) when absent.
 */
expires_in_minutes?: number,
/**
 * Informational due date, `YYYY-MM-DD`.
 */
due_date?: string,
/**
 * Ottu-side notifications.
 */
notify?: Notify,
/**
 * A file to attach (pdf, png, jpg, jpeg, doc, docx, xls, xlsx, txt; at most 2.5 MB). Over
 * IPC the page sends the token `pick_attachment` answered, never a path: the shell swaps it
 * for the file the cashier chose in its own dialog (the CLI passes a path).
 */
attachment_path?: string,
/**
 * Defaults to the engine's default language.
 */
language?: Language,
/**
 * Defaults to the profile's gateways.
 */
pg_codes?: Array<string>,
/**
 * Sell these lines as an Ottu invoice (itemised, with VAT) instead of a payment request:
 * `amount` and `currency_code` are then the cart's (the priced total; a typed amount must
 * equal it), and only purchase gateways may be chosen.
 */
cart?: CartInput, };

/**
 * A change to an unpaid sale (sent as a PATCH, same `session_id` and link). Absent or blank
 * fields stay as they are: Ottu keeps a customer detail once set.
 */
export type SaleEdit = {
/**
 * New amount (same currency).
 */
amount?: string,
/**
 * New customer name.
 */
customer_name?: string,
/**
 * New customer phone.
 */
customer_phone?: string,
/**
 * New customer email.
 */
customer_email?: string, };

/**
 * Ready-to-open links that share a sale's payment link.
 */
export type ShareLinks = {
/**
 * The message itself (for "copy").
 */
text: string,
/**
 * `https://wa.me/<digits>?text=…` (or `https://wa.me/?text=…` without a phone).
 */
whatsapp: string | null,
/**
 * `sms:+965…?&body=…`; `None` without a phone.
 */
sms: string | null,
/**
 * `mailto:…?subject=…&body=…`; `None` without an email.
 */
email: string | null, };

/**
 * A channel to share a sale's link on (`open_share`).
 */
export type ShareChannel = "whatsapp" | "sms" | "email";

/**
 * What the CSV export wrote (`export_csv`): where, and how many sales.
 */
export type CsvExport = {
/**
 * The file the cashier chose in the shell's save dialog.
 */
path: string,
/**
 * Rows written (sales, or catalog items).
 */
rows: number, };

/**
 * A file the cashier chose in the shell's open dialog (`pick_attachment`). The page never sees
 * or sends a path: it sends `token` as the draft's `attachment_path`, and the shell swaps it
 * for the path it chose (once).
 */
export type PickedFile = {
/**
 * One-time token for the chosen file.
 */
token: string,
/**
 * The file's name, to show.
 */
name: string, };

/**
 * What a saved bundle holds.
 */
export type DiagnosticsSummary = {
/**
 * The zip's path.
 */
path: string,
/**
 * Files in it.
 */
files: Array<string>, };

/**
 * Where the app looks for updates (`[updates]` in `config.toml`).
 */
export type UpdateSettings = {
/**
 * The update manifest's `https://` address (Tauri's updater JSON); `null`: no updates.
 */
endpoint?: string, };

/**
 * An update the endpoint offers, as the owner sees it before confirming.
 */
export type UpdateOffer = {
/**
 * The version offered.
 */
version: string,
/**
 * The version running now.
 */
current_version: string,
/**
 * What's new, as the release wrote it (plain text).
 */
notes: string,
/**
 * When it was published (RFC 3339), if the manifest says.
 */
date?: string, };

/**
 * Filters for the history screen and the CSV export.
 */
export type HistoryQuery = {
/**
 * Matches customer name, phone, email or order number (case-insensitive).
 */
text?: string,
/**
 * Only this state.
 */
state?: SaleState,
/**
 * First day, `YYYY-MM-DD` in local time (inclusive).
 */
from?: string,
/**
 * Last day, `YYYY-MM-DD` in local time (inclusive).
 */
to?: string,
/**
 * At most this many sales, newest first (default 200).
 */
limit?: number,
/**
 * Only sales made by this staff member (staff id).
 */
staff_id?: string,
/**
 * Only sales paid this way.
 */
method?: PaymentMethod, };

/**
 * A sum of money per currency.
 */
export type Total = {
/**
 * ISO 4217 code.
 */
currency_code: string,
/**
 * Decimal string with the currency's decimals.
 */
amount: string,
/**
 * How many sales make up the sum.
 */
count: number, };

/**
 * A page of history.
 */
export type History = {
/**
 * Newest first.
 */
sales: Array<Sale>,
/**
 * Today's (local date) paid sales of the profile, one entry per currency.
 */
today_paid: Array<Total>, };

/**
 * One gateway in the pg_code picker (docs/architecture.md `Gateway`).
 */
export type Gateway = {
/**
 * The pg_code sent with a sale, e.g. `knet`.
 */
code: string,
/**
 * Display name, e.g. `KNET` (the code when the server sends none).
 */
name: string,
/**
 * Logo URL, when the server sends one.
 */
icon_url: string | null,
/**
 * Post-payment operations the gateway supports (`refund`, `capture`, `void`), from the
 * payment-methods answer; cached with the list, as Ottu advises.
 */
operations: Array<string>,
/**
 * Whether itemised sales (Ottu's Invoice API) may use it: a purchase gateway. The Invoice
 * API refuses gateways set up for authorize-then-capture. A gateway whose mode the server
 * does not say counts as purchase, Ottu's default.
 */
takes_invoices: boolean, };

/**
 * A currency the new-sale form offers (docs/architecture.md `Currency`).
 */
export type Currency = {
/**
 * ISO 4217 code.
 */
code: string,
/**
 * Digits after the decimal point (KWD 3, USD 2, JPY 0).
 */
decimals: number, };

/**
 * Colour scheme of the window.
 */
export type Theme = "system" | "light" | "dark";

/**
 * The day a week starts on, for every week view and date picker.
 *
 * Sunday by default: it is the first working day in Kuwait, Saudi Arabia, Qatar, Bahrain and
 * Oman (weekend Friday and Saturday), so a shop's week of sales reads as its working week.
 * Saturday is the traditional first day of Arabic calendars (CLDR's for most Gulf locales);
 * Monday suits the UAE's working week since 2022.
 */
export type WeekStart = "saturday" | "sunday" | "monday";

/**
 * How amounts name their currency.
 */
export type CurrencyDisplay = "code" | "arabic_symbol";

/**
 * App-wide preferences (docs/architecture.md `Settings`).
 */
export type Settings = {
/**
 * UI language and the default language of new sales.
 */
language: Language,
/**
 * Show digits as Arabic-Indic numerals (٠١٢…): amounts, dates, times, counts, the QR
 * screen and the customer window. Links, phone numbers, references and the CSV stay ASCII.
 */
arabic_numerals: boolean,
/**
 * First day of the week in date pickers.
 */
week_start: WeekStart,
/**
 * Currency code or Arabic symbol beside amounts.
 */
currency_display: CurrencyDisplay,
/**
 * Shown in share messages and on the customer display.
 */
shop_name: string,
/**
 * Colour scheme.
 */
theme: Theme,
/**
 * Lifetime of a new payment link unless the sale says otherwise.
 */
default_expiry_minutes: number,
/**
 * Minutes without use after which the till locks (once an owner PIN exists); 0 never.
 */
lock_after_minutes: number,
/**
 * Demo mode only, off by default: serve the demo's payment pages (hosted checkout, short
 * links, QR images) on this computer's local-network address, so a phone on the same Wi-Fi
 * can scan the QR and pay with a test card. The till's API and the sandbox's control
 * routes stay on this computer.
 */
phone_demo: boolean,
/**
 * The shop's VAT registration number, printed on receipts and in the Saudi tax-invoice QR
 * (`zatca`); absent or empty: none. Digits only, at most 20.
 */
vat_number?: string,
/**
 * Whether catalog and custom-line prices include VAT (absent: they do, as Gulf shelf
 * prices usually are). See `cart` for how each is sent to Ottu.
 */
prices_include_tax?: boolean, };

/**
 * Demo (embedded sandbox) or a real merchant.
 */
export type ProfileKind = "demo" | "merchant";

/**
 * How requests authenticate (docs: CHECKOUT_API.md §2).
 */
export type AuthKind = "api_key" | "basic";

/**
 * A profile as the UI sees it (docs/architecture.md `Profile`).
 */
export type Profile = {
/**
 * Slug, e.g. `demo`, `al-noor-cafe`.
 */
id: string,
/**
 * Display name.
 */
name: string,
/**
 * Demo or merchant.
 */
kind: ProfileKind,
/**
 * The Ottu host (`https://merchant.ottu.net`); for the demo, the embedded sandbox's
 * loopback URL.
 */
base_url: string,
/**
 * API key or Basic.
 */
auth: AuthKind,
/**
 * Basic auth user name.
 */
username: string | null,
/**
 * Whether an API key or password is saved in the keychain (the value itself never leaves it).
 */
secret_configured: boolean,
/**
 * ISO 4217 code preselected for new sales.
 */
default_currency: string,
/**
 * Gateways used for new sales; empty means every gateway the payment-methods call offers.
 */
default_pg_codes: Array<string>, };

/**
 * What the UI sends to add (`id` absent) or change (`id` present) a profile.
 */
export type ProfileInput = {
/**
 * Absent for a new profile.
 */
id?: string,
/**
 * Display name.
 */
name: string,
/**
 * The merchant's Ottu host, e.g. `https://merchant.ottu.net`.
 */
base_url: string,
/**
 * API key or Basic.
 */
auth: AuthKind,
/**
 * Required for Basic auth.
 */
username?: string,
/**
 * API key or password; stored in the OS keychain, never returned. Absent when editing keeps
 * the saved one.
 */
secret?: string,
/**
 * ISO 4217 code.
 */
default_currency: string,
/**
 * Gateway codes (`knet`, `credit-card`...); may be empty.
 */
default_pg_codes: Array<string>, };

/**
 * What a connection test found (docs/architecture.md `ConnectionCheck.kind`).
 */
export type CheckKind = "ok" | "bad_host" | "bad_credentials" | "missing_permission" | "no_network";

/**
 * Result of "test connection" (docs/architecture.md `ConnectionCheck`).
 */
export type ConnectionCheck = {
/**
 * `kind == ok`.
 */
ok: boolean,
/**
 * Which problem, if any.
 */
kind: CheckKind,
/**
 * Plain words: what was found and what to do.
 */
message: string,
/**
 * A user-name-and-password connection that works: whether its user may create invoices
 * (Ottu's "Can add Invoice", needed for itemised sales). Absent otherwise (an API key holds
 * every permission).
 */
can_invoice?: boolean, };

/**
 * A staff member's role.
 */
export type Role = "owner" | "manager" | "cashier";

/**
 * A staff member as the UI sees them (no hash).
 */
export type StaffMember = {
/**
 * Stable id.
 */
id: string,
/**
 * Name.
 */
name: string,
/**
 * Role.
 */
role: Role,
/**
 * Whether a PIN is set.
 */
has_pin: boolean, };

/**
 * Adding or changing a staff member.
 */
export type StaffInput = {
/**
 * Empty to add a new member.
 */
id?: string,
/**
 * Name, 1–40 characters.
 */
name: string,
/**
 * Role.
 */
role: Role | null,
/**
 * A new PIN (4–6 digits); empty keeps the current one. Never sent back.
 */
pin?: string, };

/**
 * Staff asking for a refund, capture or void.
 */
export type OperationInput = {
/**
 * A new id per intent (the dialog makes one when it opens); sending the same one again
 * (a double click, a retry) never makes a second operation.
 */
intent_id: string,
/**
 * The sale.
 */
sale_id: string,
/**
 * What to do.
 */
kind: OperationKind,
/**
 * Amount; blank for the whole remaining amount (always whole for a void).
 */
amount?: string,
/**
 * A manager's PIN approving a cashier's refund.
 */
approver_pin?: string, };

/**
 * An item of the catalog.
 */
export type CatalogItem = {
/**
 * Local id (`item_…`).
 */
id: string,
/**
 * The shop's code for the item; unique; sent to Ottu as the invoice line's `sku`.
 */
sku: string,
/**
 * The code printed on the item (EAN/UPC…), unique when set.
 */
barcode: string | null,
/**
 * Name in English.
 */
name_en: string,
/**
 * Name in Arabic.
 */
name_ar: string | null,
/**
 * Shelf price per unit, a decimal string with the currency's decimals; with or without
 * VAT as the shop's `prices_include_tax` setting says.
 */
price: string,
/**
 * The price's currency.
 */
currency_code: string,
/**
 * VAT in percent: 0, 5, 10 or 15.
 */
vat_rate: number,
/**
 * Free-text group shown as a tab (`null`: none).
 */
category: string | null,
/**
 * Shown on the quick-pick grid.
 */
favourite: boolean,
/**
 * Hidden from sale and search (kept for old sales' receipts and re-use).
 */
archived: boolean,
/**
 * Bumped by every change; sent back with an edit (compare-and-set).
 */
version: number,
/**
 * RFC 3339 UTC.
 */
created_at: string,
/**
 * RFC 3339 UTC.
 */
updated_at: string, };

/**
 * A new item (no `id`) or a change to one (`id` and the `version` read).
 */
export type CatalogItemInput = {
/**
 * The item to change; absent to add one.
 */
id?: string,
/**
 * The `version` the change was made over (required with `id`).
 */
version?: number,
/**
 * See [`CatalogItem::sku`].
 */
sku: string,
/**
 * See [`CatalogItem::barcode`].
 */
barcode?: string,
/**
 * See [`CatalogItem::name_en`].
 */
name_en: string,
/**
 * See [`CatalogItem::name_ar`].
 */
name_ar?: string,
/**
 * See [`CatalogItem::price`].
 */
price: string,
/**
 * See [`CatalogItem::currency_code`].
 */
currency_code: string,
/**
 * See [`CatalogItem::vat_rate`].
 */
vat_rate: number,
/**
 * See [`CatalogItem::category`].
 */
category?: string,
/**
 * See [`CatalogItem::favourite`].
 */
favourite?: boolean, };

/**
 * What to list.
 */
export type CatalogQuery = {
/**
 * Part of either name (folded), or a whole SKU or barcode.
 */
text?: string,
/**
 * Only this category.
 */
category?: string,
/**
 * Only favourites.
 */
favourites?: boolean,
/**
 * Archived items too (the catalog editor); a sale screen leaves it out.
 */
include_archived?: boolean,
/**
 * Most rows (default 200).
 */
limit?: number, };

/**
 * One problem with one field of an item: the form shows the problem, an import report adds
 * the row.
 */
export type ItemProblem = {
/**
 * The field (`sku`, `price`, … or, in an import, the CSV column).
 */
field: string,
/**
 * What is wrong with it.
 */
problem: Problem, };

/**
 * One problem of an import.
 */
export type RowProblem = {
/**
 * The row as a spreadsheet numbers it (header = 1). A JSON number (never near 2^53: an
 * import takes at most `MAX_ROWS` rows).
 */
row: number,
/**
 * The column.
 */
field: string,
/**
 * What is wrong there.
 */
problem: Problem, };

/**
 * What an import did.
 */
export type CatalogImport = {
/**
 * Whether the file was written (no problems); `false`: nothing changed.
 */
applied: boolean,
/**
 * Items added.
 */
added: number,
/**
 * Items changed.
 */
updated: number,
/**
 * Every problem found, by row.
 */
problems: Array<RowProblem>, };

/**
 * Everything the UI needs to draw its chrome (docs/architecture.md `AppState`).
 */
export type AppState = {
/**
 * The active profile.
 */
profile: Profile,
/**
 * Every profile, the demo first.
 */
profiles: Array<Profile>,
/**
 * App-wide preferences.
 */
settings: Settings,
/**
 * Currencies the new-sale form offers.
 */
currencies: Array<Currency>,
/**
 * This build's version.
 */
version: string,
/**
 * Who is signed in (the first owner while no PIN exists); `null` when the till is locked.
 */
staff: StaffMember | null,
/**
 * Whether the till locks (some staff member has a PIN): the UI shows the lock screen when
 * this is true and `staff` is `null`.
 */
lock_required: boolean,
/**
 * Where phones on the local network reach the demo's payment pages, while the phone demo
 * serves them (`http://<address>:<port>`).
 */
phone_demo_url: string | null, };

/**
 * Which way cash moved.
 */
export type CashEntryKind = "in" | "out";

/**
 * Cash put into or taken out of the drawer.
 */
export type CashEntry = {
/**
 * Local id.
 */
id: string,
/**
 * In or out.
 */
kind: CashEntryKind,
/**
 * Positive, in the shift's currency.
 */
amount: string,
/**
 * Why.
 */
reason: string,
/**
 * When (RFC 3339 UTC).
 */
created_at: string,
/**
 * Who.
 */
created_by: StaffRef | null, };

/**
 * A shift as the UI and the CLI see it.
 */
export type Shift = {
/**
 * Local id.
 */
id: string,
/**
 * The drawer's currency.
 */
currency_code: string,
/**
 * Cash in the drawer at opening.
 */
opening_float: string,
/**
 * When it opened (RFC 3339 UTC).
 */
opened_at: string,
/**
 * Who opened it.
 */
opened_by: StaffRef | null,
/**
 * When it closed; `null` while open.
 */
closed_at: string | null,
/**
 * Who closed it.
 */
closed_by: StaffRef | null,
/**
 * Cash counted at close.
 */
counted_cash: string | null,
/**
 * Cash the drawer should have held at close.
 */
expected_cash: string | null,
/**
 * Counted − expected (negative: missing).
 */
variance: string | null,
/**
 * Cash put in or taken out, oldest first.
 */
cash_entries: Array<CashEntry>, };

/**
 * A cash entry to record.
 */
export type CashEntryInput = {
/**
 * In or out.
 */
kind: CashEntryKind,
/**
 * As typed.
 */
amount: string,
/**
 * Why (required).
 */
reason: string, };

/**
 * A cash sale to record.
 */
export type CashSaleInput = {
/**
 * The price, as typed, in the shift's currency.
 */
amount: string,
/**
 * The cash the customer handed over, as typed.
 */
tendered: string,
/**
 * Optional note.
 */
note: string | null,
/**
 * The cart it pays, for an itemised sale: priced by the till, its total is the amount (a
 * typed amount must equal it) and its lines give the reports' discounts and VAT.
 */
cart?: CartInput, };

/**
 * A recorded cash sale.
 */
export type CashSale = {
/**
 * The sale in the history (state `paid`, no link, no Ottu transaction).
 */
sale: Sale,
/**
 * The cash handed over.
 */
tendered: string,
/**
 * The change to give back.
 */
change: string,
/**
 * The shift it belongs to.
 */
shift_id: string, };

/**
 * Which report.
 */
export type ReportKind = "x" | "z";

/**
 * Count and total of one method.
 */
export type MethodTotal = {
/**
 * `cash` or `link`.
 */
method: string,
/**
 * For links: the Ottu pg code(s) offered.
 */
gateway: string | null,
/**
 * Currency.
 */
currency_code: string,
/**
 * How many.
 */
count: number,
/**
 * Sum.
 */
total: string, };

/**
 * Count and total of one staff member.
 */
export type StaffTotal = {
/**
 * Who (`null`: sales made before staff existed).
 */
staff: StaffRef | null,
/**
 * Currency.
 */
currency_code: string,
/**
 * How many.
 */
count: number,
/**
 * Sum.
 */
total: string, };

/**
 * Count and total of one hour.
 */
export type HourTotal = {
/**
 * The UTC hour, `2026-12-03T14`.
 */
hour: string,
/**
 * Currency.
 */
currency_code: string,
/**
 * How many.
 */
count: number,
/**
 * Sum.
 */
total: string, };

/**
 * The drawer's cash, in the shift's currency.
 */
export type CashSummary = {
/**
 * At opening.
 */
opening_float: string,
/**
 * Cash sales taken.
 */
cash_sales: string,
/**
 * Cash refunded.
 */
cash_refunds: string,
/**
 * Cash put in.
 */
cash_in: string,
/**
 * Cash taken out.
 */
cash_out: string,
/**
 * What the drawer should hold.
 */
expected: string,
/**
 * What was counted (Z only).
 */
counted: string | null,
/**
 * Counted − expected (Z only; negative: missing).
 */
variance: string | null, };

/**
 * The discounts of one currency.
 */
export type DiscountTotal = {
/**
 * Currency.
 */
currency_code: string,
/**
 * Sales with a discount.
 */
count: number,
/**
 * Sum of the discounts.
 */
total: string, };

/**
 * VAT at one rate in one currency.
 */
export type VatRateTotal = {
/**
 * Percent.
 */
rate: number,
/**
 * Currency.
 */
currency_code: string,
/**
 * Sales with lines at this rate.
 */
count: number,
/**
 * Σ taxable (excluding tax).
 */
taxable: string,
/**
 * Σ tax.
 */
tax: string, };

/**
 * A shift's report.
 */
export type ShiftReport = {
/**
 * X or Z.
 */
kind: ReportKind,
/**
 * The shift.
 */
shift_id: string,
/**
 * The drawer's currency.
 */
currency_code: string,
/**
 * When the shift opened.
 */
opened_at: string,
/**
 * Who opened it.
 */
opened_by: StaffRef | null,
/**
 * When it closed (Z only).
 */
closed_at: string | null,
/**
 * Who closed it (Z only).
 */
closed_by: StaffRef | null,
/**
 * When this report was computed.
 */
generated_at: string,
/**
 * Taken sales per method and currency.
 */
by_method: Array<MethodTotal>,
/**
 * Refunds done during the shift per method and currency.
 */
refunds: Array<MethodTotal>,
/**
 * Taken sales per staff member and currency.
 */
by_staff: Array<StaffTotal>,
/**
 * Taken sales per UTC hour and currency.
 */
hourly: Array<HourTotal>,
/**
 * Sales of the shift not (or not yet) paid.
 */
not_taken_count: number,
/**
 * The drawer.
 */
cash: CashSummary,
/**
 * Discounts given on taken itemised sales, per currency. Absent from Z reports stored
 * before discounts were reported: read as none.
 */
discounts: Array<DiscountTotal>,
/**
 * VAT of taken itemised sales per rate and currency (same default).
 */
vat: Array<VatRateTotal>, };

/**
 * A paper to print on.
 */
export type Paper = "roll80mm" | "a4";

/**
 * One line of a receipt.
 */
export type ReceiptLine = {
/**
 * The item's name in the receipt's language.
 */
name: string,
/**
 * Decimal string.
 */
quantity: string,
/**
 * The shelf price per unit.
 */
unit_price: string,
/**
 * The line's own discount ("0.000": none).
 */
line_discount: string,
/**
 * Quantity × unit price − the line's discount (before the whole-sale discount).
 */
amount: string,
/**
 * VAT in percent.
 */
vat_rate: number, };

/**
 * A refund shown on a receipt.
 */
export type ReceiptRefund = {
/**
 * How much was refunded.
 */
amount: string,
/**
 * When (RFC 3339, UTC).
 */
at: string,
/**
 * When, on the shop's clock.
 */
at_local: string,
/**
 * Ottu's reference of the refund.
 */
reference: string | null, };

/**
 * The Saudi simplified tax invoice's QR.
 */
export type TaxInvoiceQr = {
/**
 * What the QR encodes: the five TLV fields in base64.
 */
payload: string,
/**
 * The QR as SVG markup, rendered locally.
 */
svg: string, };

/**
 * A paid sale's receipt. Amounts are decimal strings in the currency's decimals.
 */
export type Receipt = {
/**
 * The sale's local id.
 */
sale_id: string,
/**
 * The language of the lines' names.
 */
language: Language,
/**
 * The shop's name from the settings.
 */
shop_name: string,
/**
 * The shop's VAT registration number, when set.
 */
vat_number: string | null,
/**
 * The sale's currency (ISO 4217).
 */
currency_code: string,
/**
 * What was sold.
 */
lines: Array<ReceiptLine>,
/**
 * The whole-sale discount ("0.000": none).
 */
sale_discount: string,
/**
 * The total before VAT.
 */
subtotal: string,
/**
 * VAT per rate, rates in use only, ascending (empty for a sale without VAT).
 */
vat: Array<VatTotal>,
/**
 * All the VAT.
 */
vat_total: string,
/**
 * What the customer paid, VAT included.
 */
total: string,
/**
 * Whether the shop's prices include VAT (lines then show VAT-inclusive prices).
 */
prices_include_tax: boolean,
/**
 * Refunds done, oldest first.
 */
refunds: Array<ReceiptRefund>,
/**
 * The total minus the refunds (equals `total` when nothing was refunded).
 */
net_total: string,
/**
 * Ottu's reference of the payment (its `session_id`).
 */
ottu_reference: string | null,
/**
 * The merchant order number sent to Ottu.
 */
order_no: string,
/**
 * The Ottu invoice's (or payment request's) link, to share.
 */
invoice_link: string | null,
/**
 * Who sold it.
 */
staff: StaffRef | null,
/**
 * When it was paid (RFC 3339, UTC).
 */
paid_at: string,
/**
 * When it was paid on the shop's clock, `YYYY-MM-DD HH:MM:SS`.
 */
paid_at_local: string,
/**
 * The Saudi simplified tax invoice's QR (SAR sales with a VAT number).
 */
tax_qr: TaxInvoiceQr | null,
/**
 * Why a SAR sale's receipt has no tax QR.
 */
tax_qr_problem: Problem | null, };

/**
 * Where a bill stands.
 */
export type BillState = "open" | "paid";

/**
 * A split bill as the UI and the CLI see it.
 */
export type Bill = {
/**
 * Local id (`bill-…`).
 */
id: string,
/**
 * The total to pay.
 */
amount: string,
/**
 * Its currency (the profile's default currency, the drawer's).
 */
currency_code: string,
/**
 * Open or paid.
 */
state: BillState,
/**
 * Σ of the paid parts.
 */
paid: string,
/**
 * What is still to pay: the total less the paid parts (never below zero).
 */
remaining: string,
/**
 * What a new part may be at most: the remainder less a live link's amount (zero while a
 * link is live, since no second one may start).
 */
available: string,
/**
 * The live link part, if one is waiting to be paid.
 */
live_link: string | null,
/**
 * Every part, oldest first.
 */
parts: Array<Sale>,
/**
 * When it was opened (RFC 3339 UTC).
 */
created_at: string,
/**
 * Who opened it.
 */
created_by: StaffRef | null, };

/**
 * The profile's Ottu cash settings as the UI and the CLI see and send them.
 */
export type OttuCashSetup = {
/**
 * The gateway marked as Ottu's cash method; `null`: cash sales stay local only.
 */
cash_pg_code: string | null,
/**
 * This till's id, as in its order numbers (`POS-<TILL>-…`).
 */
till_id: string,
/**
 * Whether `till_id` was set (else derived from the profile's id).
 */
till_id_set: boolean, };

/**
 * What the owner sends to change them.
 */
export type OttuCashSetupInput = {
/**
 * A gateway of the profile, or `null`/blank to keep cash sales local only.
 */
cash_pg_code: string | null,
/**
 * 1 to 8 letters or digits, or `null`/blank for the default.
 */
till_id: string | null, };

/**
 * What kind of difference.
 */
export type DifferenceKind = "missing_here" | "missing_at_ottu" | "amount_differs" | "state_differs";

/**
 * One difference between the till and Ottu.
 */
export type Difference = {
/**
 * What differs.
 */
kind: DifferenceKind,
/**
 * The order number, when either side has one.
 */
order_no: string | null,
/**
 * Ottu's transaction, when either side knows it.
 */
session_id: string | null,
/**
 * The currency of the amounts.
 */
currency_code: string | null,
/**
 * The till's value (amount or state; the amount for a missing-at-Ottu sale).
 */
ours: string | null,
/**
 * Ottu's value (amount or state; the amount for a missing-here transaction).
 */
ottu: string | null, };

/**
 * The outcome of a reconciliation.
 */
export type Reconciliation = {
/**
 * First day, `YYYY-MM-DD` (UTC).
 */
from: string,
/**
 * Last day, inclusive.
 */
to: string,
/**
 * This till's id, as in its order numbers.
 */
till_id: string,
/**
 * The till's sales compared.
 */
compared: number,
/**
 * Of those, found at Ottu with the same amount and state.
 */
matched: number,
/**
 * Rows of Ottu's reports in the range that belong to other tills.
 */
other_tills: number,
/**
 * Cash sales whose record at Ottu is still to be made (retried later).
 */
cash_pending: number,
/**
 * Cash sales kept here only (no gateway marked as Ottu's cash method).
 */
cash_local_only: number,
/**
 * Report files read.
 */
report_files: number,
/**
 * Report rows that could not be read (skipped, see the log).
 */
unreadable_rows: number,
/**
 * Every difference, by order number.
 */
differences: Array<Difference>, };

/**
 * Whose sales the dashboard adds up.
 */
export type DashboardScope = "shop" | "own";

/**
 * A count and a sum.
 */
export type Tally = {
/**
 * How many.
 */
count: number,
/**
 * Sum, with the currency's decimals.
 */
total: string, };

/**
 * The figures of one currency.
 */
export type CurrencyDashboard = {
/**
 * ISO 4217 code.
 */
currency_code: string,
/**
 * Taken sales made today.
 */
paid_count: number,
/**
 * Their sum.
 */
paid_total: string,
/**
 * Refunds done today.
 */
refund_count: number,
/**
 * Their sum.
 */
refund_total: string,
/**
 * Paid − refunds.
 */
net_total: string,
/**
 * Mean taken sale today (zero when none).
 */
average_sale: string,
/**
 * 24 slots, index = local hour.
 */
by_hour: Array<Tally>,
/**
 * Today's taken sales per method and gateway.
 */
by_method: Array<MethodTotal>,
/**
 * 7 slots, index = day of this week.
 */
this_week: Array<Tally>,
/**
 * 7 slots, index = day of last week.
 */
last_week: Array<Tally>, };

/**
 * Today at a glance, and this week against last week.
 */
export type Dashboard = {
/**
 * Today, local (`YYYY-MM-DD`).
 */
today: string,
/**
 * Whose sales.
 */
scope: DashboardScope,
/**
 * The shop's first day of the week (settings).
 */
week_start: WeekStart,
/**
 * The 7 days of this week, local (`YYYY-MM-DD`), from its first day.
 */
this_week_days: Array<string>,
/**
 * The 7 days of last week.
 */
last_week_days: Array<string>,
/**
 * One entry per currency with a taken sale or a refund in the two weeks, by code.
 */
currencies: Array<CurrencyDashboard>,
/**
 * When it was computed (RFC 3339, UTC).
 */
generated_at: string, };

/**
 * What kind of failure a command hit; the UI picks its reaction from this, never from text.
 *
 * The names are the strings of pos-core's `Error::code()`.
 */
export type ErrorCode = "invalid_input" | "api_rejected" | "unauthorized" | "forbidden" | "not_found" | "network" | "ambiguous" | "not_configured" | "locked" | "not_allowed" | "internal";

/**
 * The error every desktop command returns to the UI: `{ code, message, fields, sale_id }`.
 *
 * Defined in pos-core rather than in the shell so its TypeScript type is generated with the
 * others.
 */
export type CommandError = {
/**
 * The kind of failure.
 */
code: ErrorCode,
/**
 * What went wrong as a code with parameters; the UI translates it. Boxed: it keeps
 * `Result<_, CommandError>` small.
 */
problem: Problem,
/**
 * The problem's English sentence (for the CLI and logs; the UI shows `problem` translated).
 */
message: string,
/**
 * Field name (`SaleDraft` / `SaleEdit` / `ProfileInput` JSON names) to its problems;
 * empty when the error is not about a field.
 */
fields: Record<string, Array<Problem>>,
/**
 * The sale the failure left behind, when there is one: an `ambiguous` create keeps its sale
 * (`unknown`) and the till settles it, so the UI opens that sale instead of offering to
 * send the draft again. `null` otherwise.
 */
sale_id: string | null, };
