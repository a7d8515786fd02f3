//! What went wrong, as a stable code with parameters ([`Problem`]), so every window can say it in
//! its own language.
//!
//! Every error and every field error pos-core produces is one [`ProblemCode`] plus named string
//! parameters (`{field}`, `{max}`, `{currency}`, ...). The English sentence (`Problem::message`) is
//! rendered here from the code's template, for the CLI and the logs; the UI translates the code
//! itself (`ui/src/lib/i18n/problems-*.ts`). The list of codes and their parameters is exported to
//! the UI (`ui/src/lib/api/problem-codes.ts`, by the `ui_bindings` test) and a UI test fails when
//! a code has no English or Arabic text or their placeholders differ.
//!
//! Two parameters are never part of a translation: `server_text` (the payment server's own
//! words, shown beneath a translated summary and marked as the server's) and `detail` (a
//! technical cause, e.g. an OS error, shown the same way).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Parameters the UI shows beneath the translated sentence instead of inside it.
pub const UNTRANSLATED_PARAMS: [&str; 2] = ["server_text", "detail"];

macro_rules! problem_codes {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal => $english:literal, )+) => {
        /// Every problem pos-core can report. The JSON name is the stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum ProblemCode {
            $( $(#[$doc])* $variant, )+
        }

        impl ProblemCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ProblemCode] = &[ $( ProblemCode::$variant, )+ ];

            /// The JSON name (`amount_too_many_decimals`).
            pub fn as_str(self) -> &'static str {
                match self { $( ProblemCode::$variant => $name, )+ }
            }

            /// The English template: `{name}` marks a parameter.
            pub fn english(self) -> &'static str {
                match self { $( ProblemCode::$variant => $english, )+ }
            }
        }
    };
}

problem_codes! {
    // Summaries of an error as a whole.
    /// Some fields are wrong; `fields` lists them.
    FixFields = "fix_fields" => "please fix: {fields}",
    /// The payment server refused the request in its own words.
    ServerRefused = "server_refused" => "the payment server refused it: {server_text}",
    /// The payment server refused some fields.
    ServerRefusedFields = "server_refused_fields" => "the payment server refused it: {fields}",
    /// The payment server refused one field, in its own words.
    ServerFieldRefused = "server_field_refused" => "{server_text}",
    /// The payment server is rate limiting.
    ServerBusy = "server_busy" => "the payment server is busy: wait a minute and try again",
    /// Wrong credentials.
    Unauthorized = "unauthorized" => "the payment server refused the credentials: check the api key or username and password in settings",
    /// The credentials lack a permission.
    Forbidden = "forbidden" => "this account is not allowed to do that on the payment server: {server_text}",
    /// Nothing reached the server.
    Network = "network" => "could not reach the payment server: {detail}; check the connection and try again",
    /// The server did not answer in time.
    ServerTimeout = "server_timeout" => "could not reach the payment server: it did not answer in time; check the connection and try again",
    /// The server failed with a 5xx status.
    ServerFailed = "server_failed" => "could not reach the payment server: it failed (status {status}); check the connection and try again",
    /// The answer to a create was lost.
    Ambiguous = "ambiguous" => "the payment server did not answer clearly ({detail}); the sale is kept and will be checked before anything is sent again",
    /// The server's answer could not be read.
    ServerAnswerUnreadable = "server_answer_unreadable" => "the payment server sent an answer that could not be read: {detail}",
    /// The till is locked.
    Locked = "locked" => "the till is locked: enter a staff PIN",
    /// The local history failed.
    StoreFailed = "store_failed" => "the local sales history could not be read or written: {detail}",
    /// A local file failed.
    FileFailed = "file_failed" => "a local file could not be read or written: {detail}",
    /// A bug or an unexpected answer.
    Internal = "internal" => "internal error: {detail}",
    /// The connection settings cannot be used.
    ConnectionSettingsUnusable = "connection_settings_unusable" => "the connection settings are not usable: {detail}; fix them in settings",
    /// The config file is damaged.
    ConfigInvalid = "config_invalid" => "the settings file cannot be read: {detail}",
    /// No home directory.
    HomeDirMissing = "home_dir_missing" => "cannot find the home directory; pass --config-dir and --data-dir",
    /// The keychain failed.
    KeychainFailed = "keychain_failed" => "the keychain could not be used: {detail}",

    // Not found.
    /// A sale id is unknown.
    SaleNotFound = "sale_not_found" => "sale {id} was not found",
    /// A staff id is unknown.
    StaffNotFound = "staff_not_found" => "staff member {id} was not found",
    /// The server has no such transaction.
    TransactionNotFound = "transaction_not_found" => "the transaction on the payment server was not found",
    /// The server says something is missing.
    ServerNotFound = "server_not_found" => "the payment server found nothing: {server_text}",
    /// No sale has this id, session id or order number.
    ReferenceNotFound = "reference_not_found" => "a sale with id, session_id or order_no {reference} was not found",

    // A new sale's fields.
    /// No usable currency.
    CurrencyInvalid = "currency_invalid" => "choose a currency (a three-letter code such as KWD)",
    /// Empty amount.
    AmountEmpty = "amount_empty" => "enter the amount",
    /// Zero amount.
    AmountZero = "amount_zero" => "the amount must be greater than zero",
    /// A zero-decimal currency got decimals.
    AmountNoDecimals = "amount_no_decimals" => "{currency} amounts have no decimals",
    /// More decimals than the currency has.
    AmountTooManyDecimals = "amount_too_many_decimals" => "{currency} amounts have at most {decimals} decimals, e.g. {example}",
    /// Too large.
    AmountTooLarge = "amount_too_large" => "the amount is too large",
    /// Not a number.
    AmountNotANumber = "amount_not_a_number" => "enter the amount as a number like 12.500",
    /// A comma in the wrong place.
    AmountMisplacedGrouping = "amount_misplaced_grouping" => "a comma separates thousands (1,500); use . for decimals (1.5)",
    /// More than allowed of the sale's remainder.
    AmountOverRemaining = "amount_over_remaining" => "at most {max} {currency} can be {operation}",
    /// Name too long.
    NameTooLong = "name_too_long" => "the name is too long: at most {max} characters",
    /// Phone with other characters.
    PhoneNotDigits = "phone_not_digits" => "enter the phone as digits, e.g. +96599999999 or 99999999",
    /// Local number of the wrong length.
    PhoneLocalLength = "phone_local_length" => "a local number has 7 or 8 digits; add the country code (e.g. +966...) for other countries",
    /// International number of the wrong length.
    PhoneWrongLength = "phone_wrong_length" => "the phone number has the wrong number of digits",
    /// Kuwaiti number of the wrong length.
    PhoneKuwaitLength = "phone_kuwait_length" => "a Kuwaiti number has 8 digits after +965",
    /// Phone needed for SMS / WhatsApp.
    PhoneNeededToNotify = "phone_needed_to_notify" => "enter the customer's phone to send the link by sms or whatsapp",
    /// Bad email.
    EmailInvalid = "email_invalid" => "enter a valid email address, e.g. name@example.com",
    /// Email too long.
    EmailTooLong = "email_too_long" => "the email is too long: at most {max} characters",
    /// Email needed for email notifications.
    EmailNeededToNotify = "email_needed_to_notify" => "enter the customer's email to send the link by email",
    /// Order number too long.
    OrderNoTooLong = "order_no_too_long" => "the order number is too long: at most {max} characters",
    /// Order number with a bad character.
    OrderNoBadCharacter = "order_no_bad_character" => "the order number has a character that is not allowed",
    /// Order number of a sale that may exist.
    OrderNoMayExist = "order_no_may_exist" => "a sale with this order number may already exist on the payment server: open it from history and let the till check it",
    /// Order number of another sale.
    OrderNoUsed = "order_no_used" => "this order number is already used by another sale: leave it blank or pick another",
    /// Order number being used right now.
    OrderNoBusy = "order_no_busy" => "another till is using this order number right now: pick another",
    /// Note too long.
    NoteTooLong = "note_too_long" => "the note is too long: at most {max} characters",
    /// Link lifetime out of range.
    ExpiryOutOfRange = "expiry_out_of_range" => "the link must stay open between 1 minute and 30 days",
    /// Due date in the past.
    DueDatePast = "due_date_past" => "the due date is in the past",
    /// A date in the wrong format.
    DateFormat = "date_format" => "enter the date as YYYY-MM-DD",
    /// A date range ending before it starts.
    DateRangeReversed = "date_range_reversed" => "the end date is before the start date",
    /// No file chosen.
    AttachmentMissing = "attachment_missing" => "choose a file to attach",
    /// File name too long.
    AttachmentNameTooLong = "attachment_name_too_long" => "the file name is too long: at most {max} characters",
    /// File type not accepted.
    AttachmentType = "attachment_type" => "this file type cannot be attached; use one of: {types}",
    /// File unreadable.
    AttachmentUnreadable = "attachment_unreadable" => "the file cannot be read",
    /// A folder instead of a file.
    AttachmentNotAFile = "attachment_not_a_file" => "choose a file, not a folder",
    /// File too big.
    AttachmentTooLarge = "attachment_too_large" => "the file is larger than 2.5 MB",
    /// The server refused the file.
    AttachmentRefused = "attachment_refused" => "the attachment was refused",
    /// The file must be chosen again (the window only holds a token).
    AttachmentChooseAgain = "attachment_choose_again" => "choose the file to attach again",
    /// No payment method.
    PgCodesEmpty = "pg_codes_empty" => "choose at least one payment method",
    /// A bad payment method code.
    PgCodeInvalid = "pg_code_invalid" => "{code} is not a payment method code",
    /// The connection cannot notify.
    NotifyUnsupported = "notify_unsupported" => "this connection does not send notifications from Ottu: share the link instead",

    // A sale's state.
    /// A transient clash.
    TryAgain = "try_again" => "try again",
    /// Retry of a sale that has a link.
    SaleHasLink = "sale_has_link" => "this sale already has a payment link ({link}): nothing to retry",
    /// The sale was replaced.
    SaleReplaced = "sale_replaced" => "this sale was replaced by a new one: open that one",
    /// The sale changed while working on it.
    SaleChanged = "sale_changed" => "this sale changed meanwhile: open it again",
    /// Another writer kept changing it.
    SaleBusy = "sale_busy" => "sale {id} kept changing under another writer; try again",
    /// A link may still be paid.
    SaleMayBePaid = "sale_may_be_paid" => "a link of this sale may still be paid ({state}): wait until the till has made sure",
    /// Only open sales can be edited.
    SaleNotEditable = "sale_not_editable" => "only an unpaid, open sale can be changed; this one is {state}",
    /// Only open sales can be canceled.
    SaleNotCancelable = "sale_not_cancelable" => "only an unpaid, open sale can be canceled; this one is {state}",
    /// Only open sales can be expired.
    SaleNotExpirable = "sale_not_expirable" => "only an unpaid, open sale can be expired; this one is {state}",
    /// The cancel came too late.
    CancelTooLate = "cancel_too_late" => "the sale could not be canceled: it is now {state}",
    /// The expire came too late.
    ExpireTooLate = "expire_too_late" => "the sale could not be expired: it is now {state}",
    /// The server could not be checked yet.
    NotCheckedYet = "not_checked_yet" => "the payment server could not be checked yet: try again in a moment",
    /// No link on the server.
    NoPaymentLink = "no_payment_link" => "this sale has no payment link on the server",
    /// Nothing to share yet.
    NoLinkYet = "no_link_yet" => "this sale has no payment link yet: check its state first",
    /// This channel cannot share it.
    ShareUnavailable = "share_unavailable" => "this sale cannot be shared by {channel}",
    /// SMS sharing needs the customer's phone.
    ShareNeedsPhone = "share_needs_phone" => "this sale cannot be shared by an SMS: the sale has no phone number",
    /// Email sharing needs the customer's email.
    ShareNeedsEmail = "share_needs_email" => "this sale cannot be shared by an email: the sale has no email address",

    // Refunds, captures, voids.
    /// A bad operation id.
    IntentIdInvalid = "intent_id_invalid" => "an operation needs an id of letters, digits, - or _ (at most 64)",
    /// The id belongs elsewhere.
    IntentIdOtherSale = "intent_id_other_sale" => "this id belongs to another sale's operation",
    /// Only paid sales are refunded.
    RefundNeedsPaid = "refund_needs_paid" => "only a paid sale can be refunded; this one is {state}",
    /// Only authorized sales are captured.
    CaptureNeedsAuthorized = "capture_needs_authorized" => "only an authorized sale can be captured; this one is {state}",
    /// Only authorized sales are voided.
    VoidNeedsAuthorized = "void_needs_authorized" => "only an authorized sale can be voided; this one is {state}",
    /// No transaction on the server.
    NoTransaction = "no_transaction" => "this sale has no transaction on Ottu",
    /// Nothing left.
    NothingLeft = "nothing_left" => "nothing is left to be {operation} on this sale",

    // Staff and roles.
    /// A role may not do an action; a manager or the owner may.
    RoleMayNot = "role_may_not" => "a {role} may not {action}: ask a manager or the owner",
    /// A role may not do an action; only the owner may.
    RoleMayNotOwnerOnly = "role_may_not_owner_only" => "a {role} may not {action}: ask the owner",
    /// A cashier's refund without approval.
    NeedsApproval = "needs_approval" => "a {role} may not {action}: ask a manager or the owner (or a manager enters their PIN to approve)",
    /// The approver's role is not enough.
    ApproverMayNot = "approver_may_not" => "a {role} may not approve that",
    /// Wrong PIN.
    WrongPin = "wrong_pin" => "wrong PIN",
    /// PIN format.
    PinFormat = "pin_format" => "the PIN is 4 to 6 digits",
    /// PIN missing.
    PinNeeded = "pin_needed" => "set a PIN of 4 to 6 digits",
    /// PIN used by someone else.
    PinTaken = "pin_taken" => "another staff member has this PIN: choose another",
    /// Too many wrong PINs.
    PinBlocked = "pin_blocked" => "too many wrong PINs: try again after {time}",
    /// Staff name length.
    StaffNameInvalid = "staff_name_invalid" => "enter a name of 1 to 40 characters",
    /// The last owner would go.
    OwnerNeededFirst = "owner_needed_first" => "the till needs an owner: make someone else owner first",
    /// The till needs an owner.
    OwnerNeeded = "owner_needed" => "the till needs an owner",
    /// No role chosen.
    RoleNeeded = "role_needed" => "choose a role",
    /// Removing oneself.
    CannotRemoveSelf = "cannot_remove_self" => "you cannot remove yourself",
    /// A real connection needs an owner PIN.
    OwnerPinFirst = "owner_pin_first" => "set an owner PIN first (Staff): a real Ottu connection can refund, so the till must lock",

    // Shifts and cash.
    /// A cash sale or cash entry needs an open shift.
    NoOpenShift = "no_open_shift" => "no shift is open: open a shift with the cash in the drawer first",
    /// A second open shift.
    ShiftAlreadyOpen = "shift_already_open" => "a shift is already open on this till: close it first",
    /// A write to a closed shift.
    ShiftClosed = "shift_closed" => "this shift is closed",
    /// An unknown shift id.
    ShiftNotFound = "shift_not_found" => "there is no shift {id}",
    /// A Z report of a shift still open.
    ShiftStillOpen = "shift_still_open" => "the shift is still open: its Z report is made when it closes (an X report shows it so far)",
    /// Less cash given than the amount.
    TenderedShort = "tendered_short" => "the cash given must be at least {amount} {currency}",
    /// No reason for a cash entry.
    CashReasonEmpty = "cash_reason_empty" => "say why the cash goes in or out",
    /// A cash sale's cart in another currency than the drawer's.
    CashCartCurrency = "cash_cart_currency" => "cash is taken in the drawer's currency, {currency}: price the cart in it",

    // Split bills.
    /// An unknown bill id.
    BillNotFound = "bill_not_found" => "there is no bill {id}",
    /// A second live link part.
    BillLinkLive = "bill_link_live" => "this bill already has a link waiting to be paid: wait until it is paid, or cancel it, before making another",
    /// A part above what the bill has left.
    BillPartTooBig = "bill_part_too_big" => "at most {remaining} {currency} is left to pay on this bill",
    /// A cart sent as a bill's part.
    BillPartHasCart = "bill_part_has_cart" => "a part of a bill is an amount, not a cart",
    /// A part for a paid bill.
    BillPaid = "bill_paid" => "this bill is paid in full",

    // Shop settings.
    /// Empty shop name.
    ShopNameEmpty = "shop_name_empty" => "enter the shop's name",
    /// Too long a text.
    TooLong = "too_long" => "use at most {max} characters",
    /// Default link lifetime out of range.
    DefaultExpiryOutOfRange = "default_expiry_out_of_range" => "choose between 1 minute and {max} minutes (30 days)",
    /// Lock time out of range.
    LockAfterOutOfRange = "lock_after_out_of_range" => "choose at most 1440 minutes (a day), or 0 to lock only on demand",
    /// The phone demo has no local address.
    PhoneDemoNoAddress = "phone_demo_no_address" => "this computer has no local-network address for the phone demo ({detail}): connect it to the shop's Wi-Fi or turn the phone demo off",

    // Ottu connections (profiles).
    /// Empty connection name.
    ProfileNameEmpty = "profile_name_empty" => "enter a name for this connection",
    /// Empty host.
    BaseUrlEmpty = "base_url_empty" => "enter the Ottu host, e.g. https://merchant.ottu.net",
    /// Not an address.
    BaseUrlInvalid = "base_url_invalid" => "{value} is not a valid address",
    /// No host.
    BaseUrlNoHost = "base_url_no_host" => "{value} has no host name",
    /// Plain http.
    BaseUrlNotHttps = "base_url_not_https" => "use https:// (plain http is only allowed for a local sandbox)",
    /// Another scheme.
    BaseUrlScheme = "base_url_scheme" => "use https://, not {scheme}://",
    /// Credentials in the address.
    BaseUrlCredentials = "base_url_credentials" => "do not put credentials in the address; use the user name and secret fields",
    /// A path in the address.
    BaseUrlHostOnly = "base_url_host_only" => "enter only the host, e.g. {example}",
    /// No user name for Basic.
    UsernameNeeded = "username_needed" => "enter the Ottu dashboard user name for Basic authentication",
    /// No API key.
    ApiKeyNeeded = "api_key_needed" => "enter the API key",
    /// No password.
    PasswordNeeded = "password_needed" => "enter the password",
    /// Empty currency.
    CurrencyNeeded = "currency_needed" => "choose a currency",
    /// Not an ISO 4217 code.
    CurrencyUnknown = "currency_unknown" => "{code} is not a currency code",
    /// A bad gateway code.
    GatewayCodeInvalid = "gateway_code_invalid" => "{code} is not a gateway code (letters, digits, '-' and '_')",
    /// The key must be typed again after the host changed.
    SecretReenter = "secret_reenter" => "the host, sign-in type or user name changed: enter the secret again (the saved one is only sent to {host})",
    /// The demo needs no key.
    DemoNeedsNoKey = "demo_needs_no_key" => "the demo profile needs no API key",
    /// The demo cannot be deleted.
    DemoNotDeletable = "demo_not_deletable" => "the demo profile is built in and cannot be deleted",
    /// An unknown profile.
    ProfileUnknown = "profile_unknown" => "there is no profile {id}",
    /// A profile without its secret.
    ProfileNoSecret = "profile_no_secret" => "profile {id} has no API key or password saved; add it in settings first",
    /// The secret is not in the keychain.
    SecretNotInKeychain = "secret_not_in_keychain" => "the API key or password of profile {id} is not in the keychain; save the profile again with its secret",
    /// A profile that cannot be used.
    ProfileUnusable = "profile_unusable" => "profile {id} cannot be used ({detail}); fix it in settings",

    // What a sale or an operation notes about itself while the till settles it.
    /// A problem recorded by an earlier version, in its English words.
    Recorded = "recorded" => "{detail}",
    /// A create that reached nobody.
    CreateNotSent = "create_not_sent" => "could not reach the payment server, so nothing was created: check the connection and retry",
    /// A create whose answer was lost.
    CreateUnclear = "create_unclear" => "the payment server did not answer clearly ({detail}); the link may exist and is being checked, do not create it again",
    /// A link made but not written to the history.
    LinkNotSaved = "link_not_saved" => "the link was created but could not be saved to the history ({detail}); it is shown here and will be checked with Ottu again",
    /// Canceled before Ottu answered the create.
    CanceledBeforeLink = "canceled_before_link" => "cancelled before Ottu had a link; the till still watches for a late one and cancels it",
    /// Canceled or expired while nothing existed on the server.
    NothingCreated = "nothing_created" => "nothing had been created on the payment server",
    /// The till stopped mid-create.
    TillStoppedWhileCreating = "till_stopped_while_creating" => "the till stopped while creating this link; it is being checked with Ottu, do not create it again",
    /// A late link of a replaced sale, cancelled.
    LateLinkCanceledReplaced = "late_link_canceled_replaced" => "a late link of this sale turned up on Ottu after it was replaced; the till cancelled it, so it cannot be paid",
    /// A lost create's link, cancelled.
    LostLinkCanceled = "lost_link_canceled" => "Ottu had made the link, but its answer was lost; the till cancelled it, so it cannot be paid. Make a new link for the customer",
    /// Ottu never made the link.
    NeverMadeLink = "never_made_link" => "Ottu never made a link for this sale (checked until {time}), so nothing can be paid: make a new link if the customer still wants to pay",
    /// Ottu never made the link of a replaced sale.
    NeverMadeLinkReplaced = "never_made_link_replaced" => "Ottu never made a link for this sale (checked until {time}), so nothing can be paid; it was replaced by a new sale",
    /// No link yet; watching for a late one.
    NoLinkWatching = "no_link_watching" => "Ottu has no link for this sale (yet). Until {time} the till keeps checking and cancels a late one, so it can never be paid: you can make a new link now",
    /// No link yet on a replaced sale; watching for a late one.
    NoLinkWatchingReplaced = "no_link_watching_replaced" => "Ottu has no link for this sale (yet). Until {time} the till keeps checking and cancels a late one, so it can never be paid",
    /// A link that can no longer be cancelled; the status query comes later.
    LinkMayBePaidConfirming = "link_may_be_paid_confirming" => "Ottu has a link for this sale that can no longer be cancelled: the customer may have paid it. The till confirms with Ottu at {time} (Ottu answers that question 10 minutes after a link is made). Do not make a new link",
    /// A link that can no longer be cancelled; check the dashboard.
    LinkMayBePaid = "link_may_be_paid" => "Ottu has a link for this sale that can no longer be cancelled: the customer may have paid it. Check it on the Ottu dashboard; do not make a new link",
    /// Settling could not reach Ottu.
    SettleUnreachable = "settle_unreachable" => "could not reach Ottu to settle this sale ({detail}); the till tries again at {time}. Do not make a new link yet",
    /// Ottu has another transaction with this order number.
    OtherTransaction = "other_transaction" => "Ottu has a transaction with this sale's order number ({session}), but {detail}: it was not taken into this sale. Check it on the Ottu dashboard",
    /// The replaced sale's first link was paid after all.
    FirstLinkTurnedOut = "first_link_turned_out" => "this sale's first link turned out to be {state} after it was replaced: check the new sale (cancel its link, or refund one of the two)",
    /// Not cancellable and unconfirmed: the dashboard decides.
    LinkUnconfirmed = "link_unconfirmed" => "Ottu has a link for this sale that could not be cancelled, and its status could not be confirmed ({detail}): check it on the Ottu dashboard; do not make a new link",
    /// Not cancellable; confirming.
    LinkConfirming = "link_confirming" => "Ottu has a link for this sale that could not be cancelled; confirming its status ({detail}). The till asks again at {time}. Do not make a new link",
    /// An operation queued by Ottu.
    OperationQueued = "operation_queued" => "Ottu queued it: the gateway settles it later",
    /// An operation the gateway rejected.
    OperationRejected = "operation_rejected" => "the gateway rejected it",
    /// An operation whose answer was lost.
    OperationAnswerLost = "operation_answer_lost" => "Ottu's answer was lost ({detail}); the till asks again with the same key, so it happens at most once",

    // The command line.
    /// `edit` with nothing to change.
    EditNothing = "edit_nothing" => "say what to change: --amount, --name, --phone or --email",
    /// An environment variable without a PIN.
    EnvNoPin = "env_no_pin" => "the environment variable {var} holds no PIN",
    /// An environment variable without a secret.
    EnvNoSecret = "env_no_secret" => "the environment variable {var} holds no secret",
    /// No secret given.
    SecretNotGiven = "secret_not_given" => "no secret given; pass --secret-env VAR or type it on stdin",

    // Updates of the app.
    /// The update address is not a full address.
    UpdateEndpointNotUrl = "update_endpoint_not_url" => "enter the full address, starting with https://",
    /// The update address is not https.
    UpdateEndpointNotHttps = "update_endpoint_not_https" => "updates come only over https:// (plain http could be changed on the way)",
    /// The update address has no host.
    UpdateEndpointNoHost = "update_endpoint_no_host" => "the address has no host name",
    /// The update address carries a user name or password.
    UpdateEndpointHasCredentials = "update_endpoint_has_credentials" => "leave the user name and password out of the address",
    /// No update address is set.
    UpdateEndpointMissing = "update_endpoint_missing" => "no update address is set: the owner sets one in Settings → Updates",
    /// Sales can still be paid, so the app cannot restart into an update.
    UpdateOpenSales = "update_open_sales" => "{count} sale(s) can still be paid: finish or cancel them, then update (updating restarts the app)",

    /// The update address offers another version than the owner saw.
    UpdateVersionChanged = "update_version_changed" => "the update address now offers {offered} instead of {version}: check again",
    /// The update address no longer offers the version the owner saw.
    UpdateNoLongerOffered = "update_no_longer_offered" => "the update address no longer offers {version}: check again",
    /// The update's signature does not match the app's key.
    UpdateSignatureRefused = "update_signature_refused" => "the update's signature does not match this app's signing key: it was refused and nothing was changed",
    /// The update address could not be reached.
    UpdateUnreachable = "update_unreachable" => "the update address could not be reached: {detail}; nothing was changed",
    /// The update address answered with nothing usable.
    UpdateUnusable = "update_unusable" => "the update address does not offer a usable update: {detail}",
    /// The system did not install the update.
    UpdateInstallFailed = "update_install_failed" => "the system did not install the update ({detail}): the app stays on this version",
    // The catalog.
    /// A required field is blank.
    FieldRequired = "field_required" => "this field is required",
    /// A SKU or barcode with a space.
    CatalogCodeHasSpace = "catalog_code_has_space" => "a code has no spaces",
    /// A price that is not a plain number.
    PriceInvalid = "price_invalid" => "enter a price like 1.250 (0 or more, no sign or thousands separator)",
    /// A VAT rate that is not offered.
    VatRateInvalid = "vat_rate_invalid" => "VAT is 0, 5, 10 or 15 %",
    /// A change without the version it was made over.
    CatalogVersionNeeded = "catalog_version_needed" => "send the version of the item that was changed",
    /// The item changed since it was read.
    CatalogItemChanged = "catalog_item_changed" => "item {item} was changed meanwhile (on this or another till): reload it and make the change again",
    /// An unknown item id.
    CatalogItemNotFound = "catalog_item_not_found" => "catalog item {id} was not found",
    /// A SKU or barcode another item has.
    CatalogCodeTaken = "catalog_code_taken" => "{code} is already the SKU or barcode of item {other}",
    /// The CSV header cannot be read.
    CsvHeaderUnreadable = "csv_header_unreadable" => "the header row cannot be read: {detail}",
    /// A CSV column the catalog does not have.
    CsvUnknownColumn = "csv_unknown_column" => "unknown column; the columns are {columns}",
    /// A required CSV column is missing.
    CsvColumnMissing = "csv_column_missing" => "this column is required",
    /// Too many CSV rows.
    CsvTooManyRows = "csv_too_many_rows" => "at most {max} items per file",
    /// A CSV row cannot be read.
    CsvRowUnreadable = "csv_row_unreadable" => "this row cannot be read: {detail}",
    /// A yes/no cell with another value.
    CsvFlagInvalid = "csv_flag_invalid" => "write true or false (or yes/no, 1/0)",
    /// A SKU or barcode twice in one file.
    CsvDuplicateInFile = "csv_duplicate_in_file" => "{code} is also used on row {row}",

    // Carts.
    /// A cart without lines.
    CartEmpty = "cart_empty" => "add at least one item",
    /// Too many lines.
    CartTooManyLines = "cart_too_many_lines" => "at most {max} lines in one sale",
    /// A quantity out of range.
    CartQuantityInvalid = "cart_quantity_invalid" => "a quantity above 0 with at most 3 decimals",
    /// A unit price out of range.
    CartPriceInvalid = "cart_price_invalid" => "a price of 0 or more with at most {decimals} decimals",
    /// A line without a name or code.
    CartLineUnnamed = "cart_line_unnamed" => "the line needs a name and a code",
    /// A discount out of range.
    CartDiscountInvalid = "cart_discount_invalid" => "an amount with at most {decimals} decimals, or 0–100 %",
    /// A line discount above the line.
    CartLineDiscountTooLarge = "cart_line_discount_too_large" => "the discount is larger than the line",
    /// A sale discount above the sale.
    CartDiscountTooLarge = "cart_discount_too_large" => "the discount is larger than the sale",
    /// A total of zero.
    CartTotalNotPositive = "cart_total_not_positive" => "the sale's total must be above 0",
    /// A total too large to compute.
    CartTotalTooLarge = "cart_total_too_large" => "the sale's total is too large",
    /// Not a plain number.
    NumberInvalid = "number_invalid" => "enter a number like 1.5",
    /// An archived item in a cart.
    CatalogItemArchived = "catalog_item_archived" => "{item} is archived",
    /// An item priced in another currency than the cart.
    CatalogItemOtherCurrency = "catalog_item_other_currency" => "{item} is priced in {item_currency}, not {currency}",
    /// A typed amount that is not the cart's total.
    CartAmountMismatch = "cart_amount_mismatch" => "the cart's total is {total} {currency}: leave the amount blank or enter the total",
    /// A payment-request option an invoice does not carry.
    InvoiceOptionUnsupported = "invoice_option_unsupported" => "an itemised sale cannot have this: share its link from the till instead",
    /// A gateway set up for authorize, which the Invoice API refuses.
    InvoiceGatewayAuthorize = "invoice_gateway_authorize" => "{code} takes payments as authorize-then-capture, which itemised sales cannot use: choose a purchase gateway",
    /// An itemised sale's edit that would change its lines' total.
    InvoiceAmountFixed = "invoice_amount_fixed" => "an itemised sale's amount is its lines' total: change the cart and make a new sale instead",
    /// A bad VAT registration number.
    VatNumberInvalid = "vat_number_invalid" => "the VAT number is digits only, at most 20 (Saudi Arabia: 15 digits)",

    // The desktop shell.
    /// The customer window was opened for an unknown sale.
    CustomerWindowUnknownSale = "customer_window_unknown_sale" => "use the id of an existing sale",
    /// Printing (to a printer or a PDF file) failed; `detail` is the system's reason.
    PrintFailed = "print_failed" => "printing failed: {detail}",

    // Receipts.
    /// A receipt was asked for a sale that was not paid.
    ReceiptNotPaid = "receipt_not_paid" => "only a paid sale has a receipt; this one is {state}",
    /// A SAR sale's receipt has no VAT number for the Saudi tax-invoice QR.
    ReceiptVatNumberMissing = "receipt_vat_number_missing" => "set the shop's VAT number (Settings, VAT number) to print the Saudi tax-invoice QR",

    // Reconciliation with Ottu's reports, and cash sales at Ottu.
    /// A date that is not `YYYY-MM-DD`.
    ReconcileDateInvalid = "reconcile_date_invalid" => "enter a date like 2026-12-03",
    /// `to` before `from`.
    ReconcileRangeBackwards = "reconcile_range_backwards" => "the last day must not be before the first",
    /// A range longer than the download limit allows at once.
    ReconcileRangeTooLong = "reconcile_range_too_long" => "choose at most {max} days at a time",
    /// Ottu's report download limit is used up.
    ReconcileThrottled = "reconcile_throttled" => "Ottu allows only a few report downloads an hour: try again in {minutes} minutes",
    /// A report file that cannot be read at all.
    ReconcileReportUnreadable = "reconcile_report_unreadable" => "one of Ottu's report files cannot be read: {detail}",
    /// A till id that cannot be part of an order number.
    TillIdInvalid = "till_id_invalid" => "use 1 to 8 letters or digits (A-Z, 0-9)",
    /// A cash gateway the connection does not offer.
    CashGatewayUnknown = "cash_gateway_unknown" => "{code} is not one of this connection's gateways",
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ProblemCode {
    /// The parameters of the code's template, in order of first use.
    pub fn params(self) -> Vec<&'static str> {
        let mut names = Vec::new();
        let mut rest = self.english();
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('}') else { break };
            let name = &after[..end];
            if !names.contains(&name) {
                names.push(name);
            }
            rest = &after[end + 1..];
        }
        names
    }
}

/// One problem: a code, its parameters and the English sentence (for the CLI and logs).
///
/// Stored as its JSON; a plain text where a problem is expected (written by an earlier version,
/// which kept only English words) reads as [`ProblemCode::Recorded`] with the text as `detail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredProblem")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Problem {
    /// The stable code; the UI translates it.
    pub code: ProblemCode,
    /// Values of the code's `{name}` placeholders.
    // A serialised map never holds an absent value (see `CommandError.fields`).
    #[cfg_attr(feature = "ts", ts(type = "Record<string, string>"))]
    pub params: BTreeMap<String, String>,
    /// The English sentence.
    pub message: String,
}

impl Problem {
    /// A problem with its parameters; the English message is rendered from the template.
    pub fn new<K: Into<String>, V: ToString>(
        code: ProblemCode,
        params: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let params: BTreeMap<String, String> = params
            .into_iter()
            .map(|(k, v)| (k.into(), v.to_string()))
            .collect();
        debug_assert_eq!(
            params.keys().map(String::as_str).collect::<Vec<_>>(),
            {
                let mut wanted = code.params();
                wanted.sort_unstable();
                wanted
            },
            "parameters of {code}"
        );
        let mut message = code.english().to_owned();
        for (name, value) in &params {
            message = message.replace(&format!("{{{name}}}"), value);
        }
        Self {
            code,
            params,
            message,
        }
    }

    /// A problem without parameters.
    pub fn of(code: ProblemCode) -> Self {
        Self::new::<&str, &str>(code, [])
    }
}

/// A problem as JSON, or the plain English text an earlier version stored.
#[derive(Deserialize)]
#[serde(untagged)]
enum StoredProblem {
    Coded {
        code: ProblemCode,
        #[serde(default)]
        params: BTreeMap<String, String>,
        #[serde(default)]
        message: String,
    },
    Text(String),
}

impl From<StoredProblem> for Problem {
    fn from(stored: StoredProblem) -> Self {
        match stored {
            StoredProblem::Coded {
                code,
                params,
                message,
            } => Problem {
                code,
                params,
                message,
            },
            StoredProblem::Text(text) => Problem::recorded(&text),
        }
    }
}

impl Problem {
    /// English words kept from an earlier version (or a JSON problem, read back).
    pub fn recorded(text: &str) -> Self {
        Problem::new(ProblemCode::Recorded, [("detail", text)])
    }

    /// How a problem is kept in the history's text columns: its JSON.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| self.message.clone())
    }

    /// A problem read from a text column: JSON, or an earlier version's English words.
    pub fn from_stored(text: &str) -> Self {
        serde_json::from_str(text).unwrap_or_else(|_| Problem::recorded(text))
    }

    /// Whether the English message contains `text` (for tests and logs that look for words).
    pub fn contains(&self, text: &str) -> bool {
        self.message.contains(text)
    }
}

/// A problem equals its English message (`problem == "wrong PIN"`).
impl PartialEq<&str> for Problem {
    fn eq(&self, other: &&str) -> bool {
        self.message == *other
    }
}

impl From<ProblemCode> for Problem {
    fn from(code: ProblemCode) -> Self {
        Problem::of(code)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// `problem!(AmountTooManyDecimals, currency = c, decimals = 3, example = "12.500")`.
#[macro_export]
macro_rules! problem {
    ($code:ident) => {
        $crate::problem::Problem::of($crate::problem::ProblemCode::$code)
    };
    ($code:ident, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::problem::Problem::new(
            $crate::problem::ProblemCode::$code,
            [$((stringify!($name), ($value).to_string())),+],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_match_their_json() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ProblemCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert!(
                code.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_')
            );
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::json!(code.as_str())
            );
        }
    }

    #[test]
    fn stored_problems_read_back_and_old_english_text_is_kept() {
        let problem = problem!(PinBlocked, time = "14:05:00");
        assert_eq!(Problem::from_stored(&problem.to_stored()), problem);
        let old = Problem::from_stored("the gateway rejected it");
        assert_eq!(old.code, ProblemCode::Recorded);
        assert_eq!(old.message, "the gateway rejected it");
        let fields: BTreeMap<String, Vec<Problem>> =
            serde_json::from_str(r#"{"amount": ["enter the amount"]}"#).unwrap();
        assert_eq!(fields["amount"][0].params["detail"], "enter the amount");
    }

    #[test]
    fn messages_fill_every_placeholder() {
        let problem = problem!(
            AmountTooManyDecimals,
            currency = "KWD",
            decimals = 3,
            example = "12.500"
        );
        assert_eq!(
            problem.message,
            "KWD amounts have at most 3 decimals, e.g. 12.500"
        );
        assert_eq!(problem.params["decimals"], "3");
        for code in ProblemCode::ALL {
            let params: Vec<(&str, &str)> = code.params().into_iter().map(|p| (p, "x")).collect();
            let message = Problem::new(*code, params).message;
            assert!(!message.contains('{'), "{code}: {message}");
        }
    }
}
