//! Self-updates as the till sees them: where updates come from, who may install one, and when.
//!
//! The shell does the transfer (tauri-plugin-updater: the manifest, the download, the minisign
//! signature check against the public key built into the app, the installer). What is decided
//! here, so it holds whatever the page asks:
//!
//! - the update address is off until the owner sets one ([`UpdateSettings`], `[updates]` in
//!   `config.toml`), also in demo mode, and it must be `https://` (plain HTTP is refused in every
//!   build, so a network in the middle cannot even offer a manifest);
//! - only the owner sets it, checks and installs ([`crate::staff::Action::InstallUpdate`]);
//! - nothing is installed while a sale can still be paid (`Till::ready_to_install_update`): the
//!   install restarts the app, and a customer's payment would land while no till watches it.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::problem::ProblemCode;

/// Where the app looks for updates (`[updates]` in `config.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UpdateSettings {
    /// The update manifest's `https://` address (Tauri's updater JSON); `null`: no updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub endpoint: Option<String>,
}

impl UpdateSettings {
    /// Trims the address (empty means off) and checks it: `https://`, a host, no user name or
    /// password in it. The error names the field `endpoint`.
    pub fn normalized(self) -> Result<UpdateSettings> {
        let Some(text) = self
            .endpoint
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty())
        else {
            return Ok(UpdateSettings { endpoint: None });
        };
        let bad = |code: ProblemCode| Error::invalid_field("endpoint", code);
        let url = url::Url::parse(&text).map_err(|_| bad(ProblemCode::UpdateEndpointNotUrl))?;
        if url.scheme() != "https" {
            return Err(bad(ProblemCode::UpdateEndpointNotHttps));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(bad(ProblemCode::UpdateEndpointNoHost));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad(ProblemCode::UpdateEndpointHasCredentials));
        }
        Ok(UpdateSettings {
            endpoint: Some(url.to_string()),
        })
    }
}

/// An update the endpoint offers, as the owner sees it before confirming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UpdateOffer {
    /// The version offered.
    pub version: String,
    /// The version running now.
    pub current_version: String,
    /// What's new, as the release wrote it (plain text).
    pub notes: String,
    /// When it was published (RFC 3339), if the manifest says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub date: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(text: &str) -> Result<Option<String>> {
        UpdateSettings {
            endpoint: Some(text.to_owned()),
        }
        .normalized()
        .map(|s| s.endpoint)
    }

    #[test]
    fn an_https_address_is_kept_and_blank_means_off() {
        assert_eq!(
            endpoint(" https://updates.example.com/pos/latest.json ").unwrap(),
            Some("https://updates.example.com/pos/latest.json".to_owned())
        );
        assert_eq!(endpoint("   ").unwrap(), None);
        assert_eq!(
            UpdateSettings::default().normalized().unwrap().endpoint,
            None
        );
    }

    #[test]
    fn plain_http_and_odd_addresses_are_refused_naming_the_field() {
        for (text, code) in [
            (
                "http://updates.example.com/latest.json",
                ProblemCode::UpdateEndpointNotHttps,
            ),
            (
                "http://127.0.0.1:8443/latest.json",
                ProblemCode::UpdateEndpointNotHttps,
            ),
            ("file:///etc/passwd", ProblemCode::UpdateEndpointNotHttps),
            (
                "updates.example.com/latest.json",
                ProblemCode::UpdateEndpointNotUrl,
            ),
            (
                "https://owner:secret@updates.example.com/",
                ProblemCode::UpdateEndpointHasCredentials,
            ),
        ] {
            let error = endpoint(text).unwrap_err();
            let Error::InvalidInput { fields, .. } = &error else {
                panic!("{text}: {error:?}");
            };
            let problems = fields.get("endpoint").expect("names endpoint");
            assert_eq!(
                problems.iter().map(|p| p.code).collect::<Vec<_>>(),
                [code],
                "{text}"
            );
        }
    }
}
