//! Staff, roles and PINs: who may do what at the till.
//!
//! - [`Role`]: **owner**, **manager**, **cashier**; [`Role::may`] is the one rule table
//!   ([`Action`]). The till checks it in pos-core on every command, so the UI and the CLI only
//!   mirror it.
//! - PINs are 4–6 digits (ASCII or Arabic-Indic), stored only as argon2id hashes (PHC strings,
//!   random salt) in `config.toml`; [`hash_pin`] and [`verify_pin`] use the `argon2` crate.
//! - [`PinGuard`]: repeated wrong PINs back off (30 s after the 3rd, doubling, at most 15 min),
//!   kept in `config.toml` so restarting the app or the CLI does not reset it.
//!
//! What roles protect, and what they cannot: they hold for everyone using the app and the CLI.
//! Anyone with the computer's user account can read the files (the history, the config) and the
//! keychain; roles are not encryption.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::problem;

/// A staff member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including staff, Ottu connections and credentials.
    Owner,
    /// A cashier's rights, plus refunds, voids, captures, exports and shop settings.
    Manager,
    /// Creates, shares, edits and cancels unpaid sales.
    Cashier,
}

/// Something staff do that a role may or may not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Create a sale, make a new link, retry, check a sale.
    CreateSale,
    /// Share a sale's link, show it to the customer.
    ShareSale,
    /// Change the amount or customer of an unpaid sale.
    EditSale,
    /// Cancel or expire an unpaid sale.
    CancelSale,
    /// Refund a paid sale (a cashier may with a manager's approval).
    Refund,
    /// Void an authorised payment.
    Void,
    /// Capture an authorised payment.
    Capture,
    /// Export the history as CSV.
    Export,
    /// Change the shop's settings (language, shop name, defaults).
    ChangeSettings,
    /// Add, change, archive, import or export catalog items.
    ManageCatalog,
    /// Add, change or remove staff.
    ManageStaff,
    /// Add, change, switch, test or remove Ottu connections and their credentials.
    ManageConnections,
    /// Set where updates come from, check for one and install it (the app is replaced).
    InstallUpdate,
    /// Open a shift, put cash in, take cash sales, see the X report, close one's own shift.
    RunShift,
    /// Take cash out of the drawer (paying a supplier, a bank drop).
    CashOut,
    /// Close a shift someone else opened.
    CloseAnyShift,
    /// Compare the till's sales with Ottu's reports.
    Reconcile,
    /// See the dashboard of one's own sales.
    SeeOwnTotals,
    /// See every staff member's sales on the dashboard.
    SeeShopTotals,
}

impl Role {
    /// Every role, highest first.
    pub const ALL: [Role; 3] = [Role::Owner, Role::Manager, Role::Cashier];

    /// The rule table.
    pub fn may(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Owner => true,
            Role::Manager => !matches!(action, ManageStaff | ManageConnections | InstallUpdate),
            Role::Cashier => matches!(
                action,
                CreateSale | ShareSale | EditSale | CancelSale | RunShift | SeeOwnTotals
            ),
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Cashier => "cashier",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Action {
    /// Plain words for "you may not …" messages.
    pub fn describe(self) -> &'static str {
        match self {
            Action::CreateSale => "create sales",
            Action::Reconcile => "reconcile with Ottu's reports",
            Action::ShareSale => "share sales",
            Action::EditSale => "change sales",
            Action::CancelSale => "cancel sales",
            Action::Refund => "refund payments",
            Action::Void => "void payments",
            Action::Capture => "capture payments",
            Action::Export => "export the history",
            Action::ChangeSettings => "change the shop's settings",
            Action::ManageCatalog => "change the catalog",
            Action::ManageStaff => "manage staff",
            Action::ManageConnections => "manage Ottu connections",
            Action::InstallUpdate => "update the app",
            Action::RunShift => "run a shift",
            Action::CashOut => "take cash out of the drawer",
            Action::CloseAnyShift => "close another staff member's shift",
            Action::SeeOwnTotals => "see their own sales' totals",
            Action::SeeShopTotals => "see the whole shop's sales",
        }
    }
}

/// A staff member as `config.toml` stores them.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredStaff {
    /// Stable id (`staff-<n>`).
    pub id: String,
    /// Name shown on sales and in history.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// argon2id PHC string of the PIN; `None` for the first-run owner until a PIN is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_hash: Option<String>,
}

impl std::fmt::Debug for StoredStaff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The hash is not a secret in the keychain sense, but it has no business in logs.
        f.debug_struct("StoredStaff")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("role", &self.role)
            .field("has_pin", &self.pin_hash.is_some())
            .finish()
    }
}

impl StoredStaff {
    /// The owner every till starts with: no PIN, so a fresh till opens straight to the keypad.
    pub fn first_owner() -> StoredStaff {
        StoredStaff {
            id: "staff-1".into(),
            name: "Owner".into(),
            role: Role::Owner,
            pin_hash: None,
        }
    }

    /// What the UI sees.
    pub fn member(&self) -> StaffMember {
        StaffMember {
            id: self.id.clone(),
            name: self.name.clone(),
            role: self.role,
            has_pin: self.pin_hash.is_some(),
        }
    }
}

/// A staff member as the UI sees them (no hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StaffMember {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Whether a PIN is set.
    pub has_pin: bool,
}

/// Adding or changing a staff member.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StaffInput {
    /// Empty to add a new member.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub id: Option<String>,
    /// Name, 1–40 characters.
    pub name: String,
    /// Role.
    pub role: Option<Role>,
    /// A new PIN (4–6 digits); empty keeps the current one. Never sent back.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub pin: Option<String>,
}

/// The PIN as ASCII digits, or a field error on `field`: 4–6 digits, Arabic-Indic accepted.
pub fn normalize_pin(field: &str, pin: &str) -> Result<String> {
    let mut digits = String::new();
    for c in pin.trim().chars() {
        let d = match c {
            '0'..='9' => c,
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            _ => return Err(Error::invalid_field(field, problem!(PinFormat))),
        };
        digits.push(d);
    }
    if !(4..=6).contains(&digits.len()) {
        return Err(Error::invalid_field(field, problem!(PinFormat)));
    }
    Ok(digits)
}

/// An argon2id hash of `pin` (already normalised), with a random salt.
pub fn hash_pin(pin: &str) -> Result<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Internal(format!("could not hash the PIN: {e}")))
}

/// Whether `pin` (already normalised) matches the stored hash.
pub fn verify_pin(hash: &str, pin: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Wrong-PIN backoff, kept in `config.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PinGuard {
    /// Wrong PINs in a row.
    #[serde(default)]
    pub failures: u32,
    /// No PIN is checked before this instant (RFC 3339 UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_until: Option<String>,
}

/// Wrong PINs allowed before the first wait.
pub const FREE_PIN_TRIES: u32 = 3;

impl PinGuard {
    /// How long to wait after `failures` wrong PINs in a row: none for the first
    /// [`FREE_PIN_TRIES`], then 30 s, doubling, at most 15 minutes.
    pub fn wait_after(failures: u32) -> std::time::Duration {
        if failures < FREE_PIN_TRIES {
            return std::time::Duration::ZERO;
        }
        let doublings = (failures - FREE_PIN_TRIES).min(10);
        std::time::Duration::from_secs((30u64 << doublings).min(15 * 60))
    }

    /// Records a wrong PIN at `now`.
    pub fn failed(&mut self, now: time::OffsetDateTime) {
        self.failures += 1;
        let wait = Self::wait_after(self.failures);
        self.blocked_until = (!wait.is_zero()).then(|| crate::clock::format_utc(now + wait));
    }

    /// The error to answer while blocked at `now`, if blocked.
    pub fn check(&self, now: &str) -> Result<()> {
        match &self.blocked_until {
            Some(until) if until.as_str() > now => Err(Error::invalid_field(
                "pin",
                problem!(
                    PinBlocked,
                    time = crate::clock::parse_instant(until)
                        .map(|t| crate::clock::Zone::local().to_local(t))
                        .and_then(|t| t
                            .format(time::macros::format_description!(
                                "[hour]:[minute]:[second]"
                            ))
                            .ok())
                        .unwrap_or_else(|| until.clone())
                ),
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_table_is_what_the_shop_expects() {
        use Action::*;
        let all = [
            CreateSale,
            ShareSale,
            EditSale,
            CancelSale,
            Refund,
            Void,
            Capture,
            Export,
            ChangeSettings,
            ManageStaff,
            ManageConnections,
            RunShift,
            CashOut,
            CloseAnyShift,
        ];
        for action in all {
            assert!(Role::Owner.may(action), "{action:?}");
        }
        for action in [CreateSale, ShareSale, EditSale, CancelSale, RunShift] {
            assert!(Role::Cashier.may(action));
            assert!(Role::Manager.may(action));
        }
        for action in [
            Refund,
            Void,
            Capture,
            Export,
            ChangeSettings,
            CashOut,
            CloseAnyShift,
        ] {
            assert!(!Role::Cashier.may(action), "{action:?}");
            assert!(Role::Manager.may(action), "{action:?}");
        }
        for action in [ManageStaff, ManageConnections] {
            assert!(!Role::Cashier.may(action));
            assert!(!Role::Manager.may(action));
        }
    }

    #[test]
    fn pins_are_four_to_six_digits_in_either_script() {
        assert_eq!(normalize_pin("pin", "1234").unwrap(), "1234");
        assert_eq!(normalize_pin("pin", "١٢٣٤٥٦").unwrap(), "123456");
        assert_eq!(normalize_pin("pin", "۱۲۳۴").unwrap(), "1234");
        for bad in ["123", "1234567", "12a4", "", "12 34"] {
            let error = normalize_pin("pin", bad).unwrap_err();
            assert!(error.field_errors().contains_key("pin"), "{bad}");
        }
    }

    #[test]
    fn a_pin_hash_is_salted_and_verifies_only_its_pin() {
        let a = hash_pin("1234").unwrap();
        let b = hash_pin("1234").unwrap();
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(!a.contains("1234"));
        assert!(verify_pin(&a, "1234"));
        assert!(!verify_pin(&a, "4321"));
        assert!(!verify_pin("not a hash", "1234"));
    }

    #[test]
    fn wrong_pins_back_off_after_three() {
        assert!(PinGuard::wait_after(2).is_zero());
        assert_eq!(PinGuard::wait_after(3).as_secs(), 30);
        assert_eq!(PinGuard::wait_after(4).as_secs(), 60);
        assert_eq!(PinGuard::wait_after(40).as_secs(), 900);
        let now = time::OffsetDateTime::now_utc();
        let mut guard = PinGuard::default();
        for _ in 0..3 {
            guard.failed(now);
        }
        let now_text = crate::clock::format_utc(now);
        assert!(guard.check(&now_text).is_err());
        let later = crate::clock::format_utc(now + std::time::Duration::from_secs(31));
        assert!(guard.check(&later).is_ok());
    }

    #[test]
    fn debug_output_never_shows_the_hash() {
        let staff = StoredStaff {
            pin_hash: Some(hash_pin("1234").unwrap()),
            ..StoredStaff::first_owner()
        };
        let shown = format!("{staff:?}");
        assert!(!shown.contains("argon2"), "{shown}");
    }
}
