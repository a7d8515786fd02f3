//! "Save diagnostics": one zip a shop can send the vendor, with nothing in it that it must not
//! send.
//!
//! Contents: `versions.txt` (app, OS, architecture), `config.toml` (settings, profiles without
//! secrets, staff without PIN hashes), `sales.json` (the last 50 sales: states, amounts, times,
//! settling and problems; no customer details) and `logs/` (every file of the app's log folder).
//!
//! Everything written passes through [`Redactor`]: the merchants' saved API keys and passwords
//! (read from the keychain only to be searched for), `Authorization` header values, anything
//! after `api_key`/`password`/`secret`/`pin`, argon2 hashes, e-mail addresses and phone
//! numbers are replaced by `[redacted …]`. The tests plant each kind and look for it in the zip.

use std::io::{Read, Write};
use std::path::Path;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::dto::Sale;
use crate::error::{Error, Result};

/// How many recent sales go into the bundle.
pub const RECENT_SALES: usize = 50;

/// The largest log file taken whole; larger ones contribute their last this many bytes.
pub const LOG_TAIL_BYTES: u64 = 2 * 1024 * 1024;

/// What a saved bundle holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DiagnosticsSummary {
    /// The zip's path.
    pub path: String,
    /// Files in it.
    pub files: Vec<String>,
}

/// Replaces secrets and personal data in text.
#[derive(Debug)]
pub struct Redactor {
    known: Vec<String>,
    patterns: Vec<(Regex, &'static str)>,
}

impl Redactor {
    /// A redactor that also removes each of `known_secrets` wherever it appears.
    pub fn new(known_secrets: Vec<String>) -> Redactor {
        let pattern = |re: &str| Regex::new(re).expect("a valid pattern");
        Redactor {
            known: known_secrets
                .into_iter()
                .filter(|s| s.trim().len() >= 4)
                .collect(),
            patterns: vec![
                (
                    pattern(
                        r"(?i)(authorization\s*[:=]\s*)(api-key|basic|bearer|token)?\s*[^\s,;]+",
                    ),
                    "${1}[redacted credential]",
                ),
                (
                    pattern(
                        r#"(?i)((?:api[_-]?key|password|passwd|secret|pin|pin_hash|token)"?\s*[:=]\s*"?)[^\s",;}]+"#,
                    ),
                    "${1}[redacted]",
                ),
                (pattern(r"\$argon2[a-z]*\$[^\s\x22']+"), "[redacted hash]"),
                (
                    pattern(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
                    "[redacted email]",
                ),
                // International numbers as typed or stored (`+965 5000 0000`, `+96550000000`).
                (pattern(r"\+\d[\d ()-]{6,}\d"), "[redacted phone]"),
                // Bare runs of 8-15 digits standing alone (not inside an order number or a
                // date, which touch letters or dashes).
                (
                    pattern(r"(^|[^\w-])\d{8,15}([^\w-]|$)"),
                    "${1}[redacted phone]${2}",
                ),
            ],
        }
    }

    /// `text` with every known secret and every pattern replaced.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.known {
            out = out.replace(secret.as_str(), "[redacted secret]");
        }
        for (pattern, replacement) in &self.patterns {
            out = pattern.replace_all(&out, *replacement).into_owned();
        }
        out
    }
}

/// A sale as the bundle shows it: what happened and when, not who the customer was.
#[derive(Debug, Serialize)]
struct SaleTrace<'a> {
    id: &'a str,
    order_no: &'a str,
    state: &'a str,
    amount: &'a str,
    currency_code: &'a str,
    created_at: &'a str,
    updated_at: &'a str,
    paid_at: Option<&'a str>,
    has_session: bool,
    problem: Option<&'a str>,
    settlement: &'a crate::dto::Settlement,
    operations: Vec<(&'a str, &'a str)>,
}

/// Writes the bundle to `path`: `config_text` is `config.toml` as stored, `sales` the recent
/// sales (newest first), `log_dir` the app's log folder (missing is fine).
pub fn write_bundle(
    path: &Path,
    redactor: &Redactor,
    config_text: &str,
    sales: &[Sale],
    log_dir: Option<&Path>,
) -> Result<DiagnosticsSummary> {
    let io = |context: &str| {
        let context = context.to_owned();
        move |source: std::io::Error| Error::Io {
            context: context.clone(),
            source,
        }
    };
    let file = std::fs::File::create(path).map_err(io("could not create the diagnostics file"))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut files = Vec::new();
    let mut add = |name: &str, text: &str| -> Result<()> {
        zip.start_file(name, options)
            .map_err(|e| Error::Internal(format!("zip: {e}")))?;
        zip.write_all(redactor.redact(text).as_bytes())
            .map_err(io("could not write the diagnostics file"))?;
        files.push(name.to_owned());
        Ok(())
    };

    add(
        "versions.txt",
        &format!(
            "ottu-pos {}\nos: {}\narch: {}\nfamily: {}\n",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            std::env::consts::ARCH,
            std::env::consts::FAMILY
        ),
    )?;
    add("config.toml", config_text)?;
    let traces: Vec<SaleTrace<'_>> = sales
        .iter()
        .take(RECENT_SALES)
        .map(|s| SaleTrace {
            id: &s.id,
            order_no: &s.order_no,
            state: s.state.as_str(),
            amount: &s.amount,
            currency_code: &s.currency_code,
            created_at: &s.created_at,
            updated_at: &s.updated_at,
            paid_at: s.paid_at.as_deref(),
            has_session: s.session_id.is_some(),
            problem: s.problem.as_ref().map(|p| p.message.as_str()),
            settlement: &s.settlement,
            operations: s
                .operations
                .iter()
                .map(|o| (o.kind.as_str(), o.state.as_str()))
                .collect(),
        })
        .collect();
    add(
        "sales.json",
        &serde_json::to_string_pretty(&traces)
            .map_err(|e| Error::Internal(format!("sales trace: {e}")))?,
    )?;
    if let Some(dir) = log_dir
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        let mut logs: Vec<_> = entries.flatten().filter(|e| e.path().is_file()).collect();
        logs.sort_by_key(|e| e.file_name());
        for entry in logs {
            let name = format!("logs/{}", entry.file_name().to_string_lossy());
            add(&name, &read_tail(&entry.path())?)?;
        }
    }
    zip.finish()
        .map_err(|e| Error::Internal(format!("zip: {e}")))?;
    Ok(DiagnosticsSummary {
        path: path.display().to_string(),
        files,
    })
}

/// A log file's text, its last [`LOG_TAIL_BYTES`] when larger (lossy UTF-8).
fn read_tail(path: &Path) -> Result<String> {
    use std::io::Seek;
    let mut file = std::fs::File::open(path).map_err(|source| Error::Io {
        context: format!("could not read {}", path.display()),
        source,
    })?;
    let length = file.metadata().map(|m| m.len()).unwrap_or(0);
    if length > LOG_TAIL_BYTES {
        let _ = file.seek(std::io::SeekFrom::Start(length - LOG_TAIL_BYTES));
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(|source| Error::Io {
        context: format!("could not read {}", path.display()),
        source,
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_secret_and_personal_data_is_removed() {
        let redactor = Redactor::new(vec!["live_Kx9zQ2SECRETKEY".into()]);
        let planted = [
            (
                "a saved key",
                "calling with live_Kx9zQ2SECRETKEY now",
                "live_Kx9zQ2SECRETKEY",
            ),
            (
                "an auth header",
                "Authorization: Api-Key abc123def456",
                "abc123def456",
            ),
            (
                "basic auth",
                "authorization=Basic dXNlcjpwYXNz",
                "dXNlcjpwYXNz",
            ),
            (
                "a password field",
                r#"{"password": "hunter22"}"#,
                "hunter22",
            ),
            ("a pin", "pin=4321 entered", "4321"),
            (
                "a pin hash",
                "pin_hash = \"$argon2id$v=19$m=19456$salt$hash\"",
                "$argon2id$",
            ),
            (
                "an email",
                "receipt to sara@example.com sent",
                "sara@example.com",
            ),
            ("a phone", "sms to +965 5000 0000 queued", "5000 0000"),
            ("a bare phone", "phone 96550000000", "96550000000"),
        ];
        for (what, text, secret) in planted {
            let out = redactor.redact(text);
            assert!(!out.contains(secret), "{what} survived: {out}");
            assert!(out.contains("[redacted"), "{what}: {out}");
        }
        // What helps the vendor stays.
        let kept = redactor.redact("sale POS-20261203-ABCDEF 12.500 KWD state paid");
        assert_eq!(kept, "sale POS-20261203-ABCDEF 12.500 KWD state paid");
    }
}
