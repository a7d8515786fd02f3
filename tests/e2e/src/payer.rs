//! The customer's side of a payment, played through the demo sandbox's control routes
//! (`POST <sandbox>/_sandbox/sessions/{session_id}/pay`, docs/architecture.md).

use anyhow::{Context, Result, bail, ensure};

/// A short link the app showed, split into the sandbox base URL and its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortLink {
    /// `http://127.0.0.1:<port>`: the sandbox that issued the link.
    pub base: String,
    /// The path, e.g. `/b/Ab12Cd`.
    pub path: String,
}

impl ShortLink {
    /// Splits `link` into base and path; fails unless it is an http(s) URL with a path.
    pub fn parse(link: &str) -> Result<Self> {
        let link = link.trim();
        let rest = link
            .strip_prefix("http://")
            .or_else(|| link.strip_prefix("https://"))
            .with_context(|| format!("{link:?} is not an http(s) link"))?;
        let slash = rest
            .find('/')
            .with_context(|| format!("{link:?} has no path"))?;
        let scheme_len = link.len() - rest.len();
        Ok(Self {
            base: link[..scheme_len + slash].to_owned(),
            path: rest[slash..].to_owned(),
        })
    }

    /// True when the link points at this machine (the embedded demo sandbox).
    pub fn is_loopback(&self) -> bool {
        let host = self.base.split("://").nth(1).unwrap_or_default();
        host.starts_with("127.0.0.1:") || host.starts_with("localhost:")
    }
}

fn client() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

/// Follows one redirect of the short `link` and reads the `session_id` of the checkout page it
/// points at: the same way a customer's phone gets from the QR code to the payment page.
pub async fn session_id_behind(link: &str) -> Result<String> {
    let response = client()?.get(link).send().await?;
    ensure!(
        response.status().is_redirection(),
        "short link {link} answered {} instead of a redirect",
        response.status()
    );
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .with_context(|| format!("short link {link} redirect has no Location"))?;
    session_id_in(location).with_context(|| format!("no session_id in {location}"))
}

fn session_id_in(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (name == "session_id" && !value.is_empty()).then(|| value.to_owned())
    })
}

/// Pays session `session_id` on the sandbox at `base` as the customer would.
pub async fn pay(base: &str, session_id: &str) -> Result<()> {
    let url = format!("{base}/_sandbox/sessions/{session_id}/pay");
    let response = client()?
        .post(&url)
        .json(&serde_json::json!({}))
        .send()
        .await?;
    if !response.status().is_success() {
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        bail!("POST {url} answered {status}: {body}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_link_splits_into_sandbox_base_and_path() {
        let link = ShortLink::parse("http://127.0.0.1:41234/b/Ab12Cd").unwrap();
        assert_eq!(link.base, "http://127.0.0.1:41234");
        assert_eq!(link.path, "/b/Ab12Cd");
        assert!(link.is_loopback());
        assert!(
            !ShortLink::parse("https://pay.example.com/b/x")
                .unwrap()
                .is_loopback()
        );
        assert!(ShortLink::parse("ftp://x/y").is_err());
        assert!(ShortLink::parse("http://host-without-path").is_err());
    }

    #[test]
    fn the_session_id_comes_from_the_checkout_url_query() {
        let url = "http://127.0.0.1:1/b/checkout/redirect/start/?session_id=abc123&pg_code=knet";
        assert_eq!(session_id_in(url).as_deref(), Some("abc123"));
        assert_eq!(session_id_in("http://x/start/?pg_code=knet"), None);
        assert_eq!(session_id_in("http://x/start/?session_id="), None);
    }
}
