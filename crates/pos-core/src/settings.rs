//! App-wide preferences ([`Settings`]) and the on-disk config file that holds them together with
//! the merchant profiles ([`ConfigFile`]).
//!
//! The file is `<config_dir>/config.toml`. It never holds a secret: API keys and passwords live
//! in the OS keychain (`secrets`), the file only records whether one was saved. Writes are atomic
//! (a temp file in the same directory, fsync, rename) so a crash mid-save leaves the previous
//! file intact, never a half-written one.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::dto::Language;
use crate::error::FieldErrors;
use crate::problem;
use crate::profiles::{DEMO_PROFILE_ID, StoredProfile};

/// Name of the config file inside the config dir.
pub const CONFIG_FILE_NAME: &str = "config.toml";

/// Longest accepted shop name (it appears in share messages and on the customer display).
pub const MAX_SHOP_NAME_CHARS: usize = 80;
/// Longest accepted default link lifetime: 30 days.
pub const MAX_EXPIRY_MINUTES: u32 = 30 * 24 * 60;

/// Colour scheme of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follow the OS.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// The day a week starts on, for every week view and date picker.
///
/// Sunday by default: it is the first working day in Kuwait, Saudi Arabia, Qatar, Bahrain and
/// Oman (weekend Friday and Saturday), so a shop's week of sales reads as its working week.
/// Saturday is the traditional first day of Arabic calendars (CLDR's for most Gulf locales);
/// Monday suits the UAE's working week since 2022.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum WeekStart {
    /// Saturday.
    Saturday,
    /// Sunday.
    #[default]
    Sunday,
    /// Monday.
    Monday,
}

/// How amounts name their currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CurrencyDisplay {
    /// The ISO code (`12.500 KWD`) in both languages: what Ottu, receipts and bank statements
    /// print, and never ambiguous.
    #[default]
    Code,
    /// The Arabic symbol (`12.500 د.ك`, `ر.س`, `د.إ`, `ر.ق`, `د.ب`, `ر.ع.`) where the currency
    /// has one; other currencies keep their code.
    ArabicSymbol,
}

/// App-wide preferences (docs/architecture.md `Settings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Settings {
    /// UI language and the default language of new sales.
    pub language: Language,
    /// Show digits as Arabic-Indic numerals (٠١٢…): amounts, dates, times, counts, the QR
    /// screen and the customer window. Links, phone numbers, references and the CSV stay ASCII.
    pub arabic_numerals: bool,
    /// First day of the week in date pickers.
    #[serde(default)]
    pub week_start: WeekStart,
    /// Currency code or Arabic symbol beside amounts.
    #[serde(default)]
    pub currency_display: CurrencyDisplay,
    /// Shown in share messages and on the customer display.
    pub shop_name: String,
    /// Colour scheme.
    pub theme: Theme,
    /// Lifetime of a new payment link unless the sale says otherwise.
    pub default_expiry_minutes: u32,
    /// Minutes without use after which the till locks (once an owner PIN exists); 0 never.
    #[serde(default = "default_lock_after")]
    pub lock_after_minutes: u32,
    /// Demo mode only, off by default: serve the demo's payment pages (hosted checkout, short
    /// links, QR images) on this computer's local-network address, so a phone on the same Wi-Fi
    /// can scan the QR and pay with a test card. The till's API and the sandbox's control
    /// routes stay on this computer.
    #[serde(default)]
    pub phone_demo: bool,
    /// The shop's VAT registration number, printed on receipts and in the Saudi tax-invoice QR
    /// (`zatca`); absent or empty: none. Digits only, at most 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub vat_number: Option<String>,
    /// Whether catalog and custom-line prices include VAT (absent: they do, as Gulf shelf
    /// prices usually are). See `cart` for how each is sent to Ottu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub prices_include_tax: Option<bool>,
}

impl Settings {
    /// [`Settings::prices_include_tax`] with its default.
    pub fn prices_include_tax(&self) -> bool {
        self.prices_include_tax.unwrap_or(true)
    }
}

fn default_lock_after() -> u32 {
    5
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            language: Language::En,
            arabic_numerals: false,
            week_start: WeekStart::default(),
            currency_display: CurrencyDisplay::default(),
            shop_name: "Demo Shop".to_owned(),
            theme: Theme::System,
            default_expiry_minutes: 24 * 60,
            lock_after_minutes: default_lock_after(),
            phone_demo: false,
            vat_number: None,
            prices_include_tax: None,
        }
    }
}

/// A currency the new-sale form offers (docs/architecture.md `Currency`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Currency {
    /// ISO 4217 code.
    pub code: String,
    /// Digits after the decimal point (KWD 3, USD 2, JPY 0).
    pub decimals: u32,
}

/// Currencies offered in the new-sale form: the GCC's and the region's first, then the common
/// foreign ones. Any other ISO 4217 code is still accepted when typed.
pub const OFFERED_CURRENCIES: &[&str] = &[
    "KWD", "BHD", "OMR", "SAR", "AED", "QAR", "JOD", "EGP", "IQD", "USD", "EUR", "GBP",
];

/// [`OFFERED_CURRENCIES`] with their decimals.
pub fn supported_currencies() -> Vec<Currency> {
    OFFERED_CURRENCIES
        .iter()
        .filter_map(|code| ottu_checkout::CurrencyCode::parse(code).ok())
        .map(|currency| Currency {
            code: currency.as_str().to_owned(),
            decimals: currency.minor_units(),
        })
        .collect()
}

pub(crate) use crate::error::push_field_error;

impl Settings {
    /// Trims the shop name and checks every field; the error names each bad field.
    pub fn normalized(mut self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.shop_name = self.shop_name.trim().to_owned();
        if self.shop_name.is_empty() {
            push_field_error(&mut errors, "shop_name", problem!(ShopNameEmpty));
        } else if self.shop_name.chars().count() > MAX_SHOP_NAME_CHARS {
            push_field_error(
                &mut errors,
                "shop_name",
                problem!(TooLong, max = MAX_SHOP_NAME_CHARS),
            );
        }
        if !(1..=MAX_EXPIRY_MINUTES).contains(&self.default_expiry_minutes) {
            push_field_error(
                &mut errors,
                "default_expiry_minutes",
                problem!(DefaultExpiryOutOfRange, max = MAX_EXPIRY_MINUTES),
            );
        }
        self.vat_number = self
            .vat_number
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned);
        if let Some(v) = &self.vat_number
            && (v.len() > 20 || !v.chars().all(|c| c.is_ascii_digit()))
        {
            push_field_error(&mut errors, "vat_number", problem!(VatNumberInvalid));
        }
        if self.lock_after_minutes > 24 * 60 {
            push_field_error(
                &mut errors,
                "lock_after_minutes",
                problem!(LockAfterOutOfRange),
            );
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }
}

/// Everything in `config.toml`: settings, profiles and which profile is active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigFile {
    /// Id of the profile sales are made with.
    pub active_profile: String,
    /// App-wide preferences.
    pub settings: Settings,
    /// The demo profile first, then merchant profiles in the order they were added.
    #[serde(default)]
    pub profiles: Vec<StoredProfile>,
    /// Staff accounts; a till always has at least its first owner.
    #[serde(default = "first_staff")]
    pub staff: Vec<crate::staff::StoredStaff>,
    /// Wrong-PIN backoff.
    #[serde(default)]
    pub pin_guard: crate::staff::PinGuard,
    /// Where updates come from (none until the owner sets it).
    #[serde(default)]
    pub updates: crate::updates::UpdateSettings,
}

fn first_staff() -> Vec<crate::staff::StoredStaff> {
    vec![crate::staff::StoredStaff::first_owner()]
}

impl Default for ConfigFile {
    /// First run: only the demo profile, and it is active.
    fn default() -> Self {
        Self {
            active_profile: DEMO_PROFILE_ID.to_owned(),
            settings: Settings::default(),
            profiles: vec![StoredProfile::demo()],
            staff: first_staff(),
            pin_guard: Default::default(),
            updates: Default::default(),
        }
    }
}

/// Why the config file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ConfigFileError {
    /// Reading, writing or renaming failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done ("read", "write", "create the directory").
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file exists but is not a config file this version understands.
    #[error("{path} is not a valid config file ({message}); fix or remove it")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What the parser said (never contains secrets: the file holds none).
        message: String,
    },
}

impl ConfigFile {
    /// Path of the config file inside `config_dir`.
    pub fn path_in(config_dir: &Path) -> PathBuf {
        config_dir.join(CONFIG_FILE_NAME)
    }

    /// Reads `<config_dir>/config.toml`, or the first-run defaults when there is none.
    ///
    /// A file without the demo profile gets it back (the demo is always available).
    pub fn load(config_dir: &Path) -> Result<Self, ConfigFileError> {
        let path = Self::path_in(config_dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self::default());
            }
            Err(source) => {
                return Err(ConfigFileError::Io {
                    action: "read",
                    path,
                    source,
                });
            }
        };
        let mut file: ConfigFile =
            toml::from_str(&text).map_err(|error| ConfigFileError::Invalid {
                path: path.clone(),
                message: error.message().to_owned(),
            })?;
        if !file.profiles.iter().any(|p| p.id == DEMO_PROFILE_ID) {
            file.profiles.insert(0, StoredProfile::demo());
        }
        if !file.profiles.iter().any(|p| p.id == file.active_profile) {
            file.active_profile = DEMO_PROFILE_ID.to_owned();
        }
        Ok(file)
    }

    /// Writes the file atomically (temp file + fsync + rename), creating `config_dir` if needed.
    pub fn save(&self, config_dir: &Path) -> Result<(), ConfigFileError> {
        let text = toml::to_string_pretty(self).map_err(|error| ConfigFileError::Invalid {
            path: Self::path_in(config_dir),
            message: error.to_string(),
        })?;
        write_atomically(&Self::path_in(config_dir), text.as_bytes())
    }

    /// The stored profile with this id.
    pub fn profile(&self, id: &str) -> Option<&StoredProfile> {
        self.profiles.iter().find(|p| p.id == id)
    }
}

/// Writes `bytes` to `path` so that readers see either the old or the new content, never a mix.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ConfigFileError> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir).map_err(|source| ConfigFileError::Io {
        action: "create the directory",
        path: dir.to_owned(),
        source,
    })?;
    let io_error = |source| ConfigFileError::Io {
        action: "write",
        path: path.to_owned(),
        source,
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io_error)?;
    temp.write_all(bytes).map_err(io_error)?;
    temp.as_file().sync_all().map_err(io_error)?;
    temp.persist(path).map_err(|error| io_error(error.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_run_defaults_to_the_active_demo_profile() {
        let dir = tempfile::tempdir().unwrap();
        let file = ConfigFile::load(dir.path()).unwrap();
        assert_eq!(file.active_profile, DEMO_PROFILE_ID);
        assert_eq!(file.profiles.len(), 1);
        assert_eq!(file.profiles[0].default_currency, "KWD");
        assert_eq!(file.settings.shop_name, "Demo Shop");
        assert!(
            !ConfigFile::path_in(dir.path()).exists(),
            "loading must not write"
        );
    }

    #[test]
    #[cfg(unix)]
    fn the_config_file_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        ConfigFile::default().save(dir.path()).unwrap();
        let mode = std::fs::metadata(ConfigFile::path_in(dir.path()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }

    #[test]
    fn save_then_load_round_trips_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = ConfigFile::default();
        file.settings.shop_name = "Souq Al-Mubarakiya".to_owned();
        file.settings.language = Language::Ar;
        file.save(dir.path()).unwrap();
        file.save(dir.path()).unwrap();
        assert_eq!(ConfigFile::load(dir.path()).unwrap(), file);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from(CONFIG_FILE_NAME)]);
    }

    #[test]
    fn a_corrupt_file_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(ConfigFile::path_in(dir.path()), "active_profile = [").unwrap();
        let error = ConfigFile::load(dir.path()).unwrap_err().to_string();
        assert!(error.contains(CONFIG_FILE_NAME), "{error}");
    }

    #[test]
    fn a_file_missing_the_demo_profile_gets_it_back() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            ConfigFile::path_in(dir.path()),
            "active_profile = \"gone\"\n[settings]\nlanguage = \"en\"\narabic_numerals = false\n\
             shop_name = \"X\"\ntheme = \"dark\"\ndefault_expiry_minutes = 60\n",
        )
        .unwrap();
        let file = ConfigFile::load(dir.path()).unwrap();
        assert_eq!(file.active_profile, DEMO_PROFILE_ID);
        assert_eq!(file.settings.theme, Theme::Dark);
        assert!(file.profile(DEMO_PROFILE_ID).is_some());
        // A file from before the Gulf conventions reads with their defaults.
        assert_eq!(file.settings.week_start, WeekStart::Sunday);
        assert_eq!(file.settings.currency_display, CurrencyDisplay::Code);
    }

    #[test]
    fn gulf_conventions_are_read_and_an_unknown_value_is_refused() {
        let json = serde_json::json!({"language": "ar", "arabic_numerals": true,
            "week_start": "saturday", "currency_display": "arabic_symbol",
            "shop_name": "متجر", "theme": "system", "default_expiry_minutes": 60});
        let settings: Settings = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(settings.week_start, WeekStart::Saturday);
        assert_eq!(settings.currency_display, CurrencyDisplay::ArabicSymbol);
        assert_eq!(settings.clone().normalized().unwrap(), settings);
        for (field, bad) in [("week_start", "friday"), ("currency_display", "symbol")] {
            let mut json = json.clone();
            json[field] = serde_json::json!(bad);
            let error = serde_json::from_value::<Settings>(json)
                .unwrap_err()
                .to_string();
            assert!(error.contains(bad), "{field}: {error}");
        }
    }

    #[test]
    fn settings_validation_names_each_bad_field() {
        let settings = Settings {
            shop_name: "   ".to_owned(),
            default_expiry_minutes: 0,
            ..Settings::default()
        };
        let errors = settings.normalized().unwrap_err();
        assert_eq!(
            errors["shop_name"][0].code,
            crate::problem::ProblemCode::ShopNameEmpty
        );
        assert_eq!(
            errors["default_expiry_minutes"][0].params["max"],
            MAX_EXPIRY_MINUTES.to_string()
        );
        let long = Settings {
            shop_name: "x".repeat(MAX_SHOP_NAME_CHARS + 1),
            lock_after_minutes: 24 * 60 + 1,
            ..Settings::default()
        };
        let errors = long.normalized().unwrap_err();
        assert_eq!(
            errors["shop_name"][0].code,
            crate::problem::ProblemCode::TooLong
        );
        assert_eq!(
            errors["lock_after_minutes"][0].code,
            crate::problem::ProblemCode::LockAfterOutOfRange
        );
        let ok = Settings {
            shop_name: "  Café  ".to_owned(),
            ..Settings::default()
        }
        .normalized()
        .unwrap();
        assert_eq!(ok.shop_name, "Café");
    }

    #[test]
    fn the_vat_number_is_digits_and_blank_means_none() {
        let with = |v: &str| Settings {
            vat_number: Some(v.to_owned()),
            ..Settings::default()
        };
        assert!(
            with("30012345600003x")
                .normalized()
                .unwrap_err()
                .contains_key("vat_number")
        );
        assert!(with(&"1".repeat(21)).normalized().is_err());
        assert_eq!(with("  ").normalized().unwrap().vat_number, None);
        assert_eq!(
            with(" 300123456700003 ")
                .normalized()
                .unwrap()
                .vat_number
                .as_deref(),
            Some("300123456700003")
        );
        assert!(Settings::default().prices_include_tax());
    }

    #[test]
    fn offered_currencies_carry_their_decimals() {
        let currencies = supported_currencies();
        assert_eq!(currencies.len(), OFFERED_CURRENCIES.len());
        let decimals = |code: &str| currencies.iter().find(|c| c.code == code).unwrap().decimals;
        assert_eq!(decimals("KWD"), 3);
        assert_eq!(decimals("SAR"), 2);
    }

    #[test]
    fn settings_json_uses_the_contract_names() {
        let json = serde_json::to_value(Settings::default()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"language": "en", "arabic_numerals": false,
                "week_start": "sunday", "currency_display": "code",
                "shop_name": "Demo Shop", "theme": "system", "default_expiry_minutes": 1440,
                "lock_after_minutes": 5, "phone_demo": false})
        );
    }
}
