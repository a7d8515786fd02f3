//! [`Client`], [`ClientBuilder`], [`Auth`] and [`Secret`]; the one place that talks HTTP.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use url::{Host, Url};

use crate::attachment::Attachments;
use crate::checkout::Checkout;
use crate::error::{Error, Result, truncate};
use crate::inquiry::Inquiry;
use crate::operations::Operations;
use crate::payment_methods::PaymentMethods;
use crate::retry::RetryPolicy;

/// A credential (API key, password, token) that never shows up in `Debug` or `Display`.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The secret itself. Call only where it must be used (a header, the OS keychain).
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

/// How the client authenticates (CHECKOUT_API.md §2).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Auth {
    /// `Authorization: Api-Key <key>`: the merchant's private API key (all permissions).
    ApiKey(Secret),
    /// `Authorization: Basic base64(username:password)`: a dashboard user; permissions apply.
    Basic {
        /// The user name (not secret).
        username: String,
        /// The password.
        password: Secret,
    },
    /// `Authorization: Bearer <token>`: an SSO JWT obtained elsewhere.
    Bearer(Secret),
}

impl Auth {
    /// API-key authentication.
    pub fn api_key(key: impl Into<Secret>) -> Self {
        Auth::ApiKey(key.into())
    }

    /// Basic authentication.
    pub fn basic(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Auth::Basic {
            username: username.into(),
            password: password.into(),
        }
    }

    /// Bearer-token authentication.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Auth::Bearer(token.into())
    }

    /// Short name of the scheme (`api_key`, `basic`, `bearer`), safe to log.
    pub fn kind(&self) -> &'static str {
        match self {
            Auth::ApiKey(_) => "api_key",
            Auth::Basic { .. } => "basic",
            Auth::Bearer(_) => "bearer",
        }
    }

    fn header_value(&self) -> Result<HeaderValue> {
        let (text, what) = match self {
            Auth::ApiKey(key) => {
                check_token(key.expose_secret(), "api key")?;
                (format!("Api-Key {}", key.expose_secret()), "api key")
            }
            Auth::Basic { username, password } => {
                if username.is_empty() {
                    return Err(Error::config("username is empty"));
                }
                if username.contains(':') {
                    return Err(Error::config("username must not contain ':'"));
                }
                let pair = format!("{username}:{}", password.expose_secret());
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                (format!("Basic {encoded}"), "password")
            }
            Auth::Bearer(token) => {
                check_token(token.expose_secret(), "bearer token")?;
                (format!("Bearer {}", token.expose_secret()), "bearer token")
            }
        };
        let mut value = HeaderValue::from_str(&text).map_err(|_| {
            Error::config(format!(
                "the {what} contains characters not allowed in a header"
            ))
        })?;
        value.set_sensitive(true);
        Ok(value)
    }
}

fn check_token(value: &str, what: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::config(format!("the {what} is empty")));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::config(format!(
            "the {what} contains spaces or control characters"
        )));
    }
    Ok(())
}

/// Builds a [`Client`]. Required: a base URL and credentials.
///
/// ```
/// # fn main() -> Result<(), ottu_checkout::Error> {
/// use std::time::Duration;
/// let client = ottu_checkout::Client::builder()
///     .base_url("https://merchant.ottu.net")
///     .api_key("abcd1234.0123456789abcdef0123456789abcdef")
///     .timeout(Duration::from_secs(20))
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "https://merchant.ottu.net/");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: Option<String>,
    auth: Option<Auth>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// Defaults: 30 s per request, 10 s to connect, [`RetryPolicy::default`].
    pub fn new() -> Self {
        Self {
            base_url: None,
            auth: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            user_agent: concat!("ottu-checkout/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }

    /// The merchant's Ottu host, e.g. `https://merchant.ottu.net`, `https://sandbox.ottu.net`,
    /// or a local sandbox `http://127.0.0.1:8080`. `http://` is accepted only for loopback hosts.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Self {
        self.base_url = Some(url.as_ref().to_owned());
        self
    }

    /// Sets the credentials.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// `Authorization: Api-Key <key>`.
    pub fn api_key(self, key: impl Into<Secret>) -> Self {
        self.auth(Auth::api_key(key))
    }

    /// `Authorization: Basic …`.
    pub fn basic_auth(self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.auth(Auth::basic(username, password))
    }

    /// `Authorization: Bearer <token>`.
    pub fn bearer_token(self, token: impl Into<Secret>) -> Self {
        self.auth(Auth::bearer(token))
    }

    /// Whole-request timeout (connect, send, and read the full answer).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Timeout for establishing a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Retry policy for idempotent calls (never used for create).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client> {
        let raw = self
            .base_url
            .ok_or_else(|| Error::config("base_url is not set"))?;
        let base_url = parse_base_url(&raw)?;
        let auth = self
            .auth
            .ok_or_else(|| Error::config("credentials are not set"))?;
        let auth_header = auth.header_value()?;
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::config("timeouts must be greater than zero"));
        }
        if self.retry.max_attempts == 0 {
            return Err(Error::config("retry policy needs at least one attempt"));
        }
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .use_rustls_tls()
            .default_headers(headers)
            .user_agent(self.user_agent)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_keepalive(Duration::from_secs(60))
            .tcp_nodelay(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::config(format!("cannot start the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth_kind: auth.kind(),
                auth_header,
                timeout: self.timeout,
                connect_timeout: self.connect_timeout,
                retry: self.retry,
            }),
        })
    }
}

fn parse_base_url(raw: &str) -> Result<Url> {
    let url = Url::parse(raw.trim())
        .map_err(|e| Error::config(format!("base_url {raw:?} is not a URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(
            "base_url must not contain credentials; use the auth settings",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config("base_url must not have a query or fragment"));
    }
    let host = url
        .host()
        .ok_or_else(|| Error::config("base_url has no host"))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(Error::config(format!(
                "base_url uses plain http to {host}; only https is allowed except for loopback hosts"
            )));
        }
        other => {
            return Err(Error::config(format!(
                "base_url scheme {other:?} is not http(s)"
            )));
        }
    }
    // Keep any path prefix and make joining `b/checkout/…` onto it well defined.
    let mut url = url;
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}

/// An async client for one merchant's Ottu instance. Cheap to clone (one shared connection pool).
///
/// Resource handlers: [`Client::checkout`], [`Client::operations`],
/// [`Client::payment_methods`], [`Client::attachments`], [`Client::inquiry`].
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    auth_kind: &'static str,
    auth_header: HeaderValue,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth_kind)
            .field("timeout", &self.inner.timeout)
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// What goes in a request body.
#[derive(Debug, Clone)]
pub(crate) enum Payload {
    /// No body (GET).
    Empty,
    /// A JSON document, already serialised.
    Json(Vec<u8>),
    /// `multipart/form-data`: text fields plus at most one file.
    Multipart {
        fields: Vec<(String, String)>,
        file: Option<FilePart>,
    },
}

/// A file inside a multipart body.
#[derive(Debug, Clone)]
pub(crate) struct FilePart {
    pub(crate) field: &'static str,
    pub(crate) file_name: String,
    pub(crate) mime: &'static str,
    /// Shared so retries and clones do not copy the file.
    pub(crate) bytes: Arc<[u8]>,
}

/// A raw answer: status, `Retry-After`, body.
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Vec<u8>,
}

impl Client {
    /// A [`ClientBuilder`] with defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// Shortcut for `Client::builder().base_url(base_url).auth(auth).build()`.
    pub fn new(base_url: impl AsRef<str>, auth: Auth) -> Result<Self> {
        Self::builder().base_url(base_url).auth(auth).build()
    }

    /// The base URL every path is joined to (always ends in `/`).
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The retry policy for idempotent calls.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// Checkout sessions: create, retrieve, update (`/b/checkout/v1/pymt-txn/`).
    pub fn checkout(&self) -> Checkout<'_> {
        Checkout::new(self)
    }

    /// Invoices (`/b/invoice/v1/invoice/`).
    pub fn invoices(&self) -> crate::invoice::Invoices<'_> {
        crate::invoice::Invoices { client: self }
    }

    /// Cancel and expire (`/b/pbl/v2/operation/`).
    pub fn operations(&self) -> Operations<'_> {
        Operations::new(self)
    }

    /// The gateway list (`/b/pbl/v2/payment-methods/`).
    pub fn payment_methods(&self) -> PaymentMethods<'_> {
        PaymentMethods::new(self)
    }

    /// Payment status query by `session_id` or `order_no` (`/b/pbl/v2/inquiry/`).
    pub fn inquiry(&self) -> Inquiry<'_> {
        Inquiry::new(self)
    }

    /// Cash acknowledgement (`/b/pbl/v2/payment/cash/`).
    pub fn cash(&self) -> crate::cash::Cash<'_> {
        crate::cash::Cash::new(self)
    }

    /// Reports API (`/b/api/v1/reports/files/`).
    pub fn reports(&self) -> crate::reports::Reports<'_> {
        crate::reports::Reports::new(self)
    }

    /// Attachment upload (`/b/checkout/v1/upload-attachment/`).
    pub fn attachments(&self) -> Attachments<'_> {
        Attachments::new(self)
    }

    /// Full URL of an API path such as `b/checkout/v1/pymt-txn/`.
    pub(crate) fn url(&self, path: &str) -> Result<Url> {
        self.inner
            .base_url
            .join(path.trim_start_matches('/'))
            .map_err(|e| Error::config(format!("cannot build a URL for {path}: {e}")))
    }

    /// Sends one request and reads the whole answer. No retries, no status mapping.
    pub(crate) async fn send_raw(
        &self,
        method: Method,
        path: &str,
        payload: &Payload,
        extra_headers: &[(&'static str, String)],
    ) -> Result<RawResponse> {
        let url = self.url(path)?;
        let mut request = self
            .inner
            .http
            .request(method.clone(), url)
            .header(header::AUTHORIZATION, self.inner.auth_header.clone());
        for (name, value) in extra_headers {
            request = request.header(*name, value);
        }
        request = match payload {
            Payload::Empty => request,
            Payload::Json(bytes) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Payload::Multipart { fields, file } => {
                let mut form = reqwest::multipart::Form::new();
                for (name, value) in fields {
                    form = form.text(name.clone(), value.clone());
                }
                if let Some(file) = file {
                    let part = reqwest::multipart::Part::bytes(file.bytes.to_vec())
                        .file_name(file.file_name.clone())
                        .mime_str(file.mime)
                        .map_err(|e| Error::config(format!("bad content type: {e}")))?;
                    form = form.part(file.field, part);
                }
                request.multipart(form)
            }
        };
        let started = std::time::Instant::now();
        let response = request.send().await.map_err(map_reqwest_error)?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = read_capped(response, status.as_u16()).await?;
        tracing::debug!(
            %method, path, status = status.as_u16(), elapsed_ms = started.elapsed().as_millis() as u64,
            "ottu request"
        );
        Ok(RawResponse {
            status,
            retry_after,
            body,
        })
    }

    /// Sends once and maps the answer: 2xx → `T`, otherwise the matching [`Error`].
    pub(crate) async fn send_once<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        payload: &Payload,
        extra_headers: &[(&'static str, String)],
    ) -> Result<T> {
        let raw = self.send_raw(method, path, payload, extra_headers).await?;
        decode_response(raw)
    }

    /// Sends a request that must not be repeated blindly (create, inquiry) and repeats it only
    /// after a `429`: the server refused it before acting on it. Waits as
    /// [`RetryPolicy::backoff_after`] says (a `Retry-After` longer than `max_backoff` is not
    /// waited for); with `need_retry_after`, a 429 without a wait is not repeated.
    pub(crate) async fn send_retrying_refusals<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        payload: &Payload,
        need_retry_after: bool,
    ) -> Result<T> {
        let policy = self.inner.retry;
        let mut attempt = 1;
        loop {
            match self.send_once(method.clone(), path, payload, &[]).await {
                Err(error @ Error::RateLimited { .. }) => {
                    let wait = policy
                        .backoff_after(attempt, &error)
                        .filter(|_| !need_retry_after || error.retry_after().is_some());
                    match wait {
                        Some(wait) => {
                            tracing::debug!(%method, path, attempt, ?wait, "429: waiting");
                            tokio::time::sleep(wait).await;
                            attempt += 1;
                        }
                        None => return Err(error),
                    }
                }
                other => return other,
            }
        }
    }

    /// Sends with the client's [`RetryPolicy`] (only for idempotent calls).
    pub(crate) async fn send_idempotent<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        payload: &Payload,
        extra_headers: &[(&'static str, String)],
    ) -> Result<T> {
        let policy = self.inner.retry;
        let mut attempt = 1;
        loop {
            match self
                .send_once(method.clone(), path, payload, extra_headers)
                .await
            {
                Ok(value) => return Ok(value),
                Err(error) => match policy.backoff_after(attempt, &error) {
                    Some(wait) => {
                        tracing::debug!(%method, path, attempt, ?wait, error = %error, "retrying");
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                    }
                    None => return Err(error),
                },
            }
        }
    }
}

/// Maps a finished answer: success bodies are decoded (naming the JSON path on mismatch),
/// error statuses become their [`Error`] variant.
pub(crate) fn decode_response<T: DeserializeOwned>(raw: RawResponse) -> Result<T> {
    let status = raw.status.as_u16();
    if !raw.status.is_success() {
        let text = String::from_utf8_lossy(&raw.body);
        return Err(Error::from_status(status, &text, raw.retry_after));
    }
    decode_json(status, &raw.body)
}

pub(crate) fn decode_json<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T> {
    let snippet = || truncate(&String::from_utf8_lossy(body), 300).to_owned();
    let mut de = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| Error::Decode {
        status,
        path: e.path().to_string(),
        message: e.inner().to_string(),
        body_snippet: snippet(),
    })?;
    de.end().map_err(|e| Error::Decode {
        status,
        path: ".".to_owned(),
        message: e.to_string(),
        body_snippet: snippet(),
    })?;
    Ok(value)
}

fn map_reqwest_error(error: reqwest::Error) -> Error {
    if error.is_timeout() {
        return Error::Timeout;
    }
    let connect = error.is_connect();
    let error = error.without_url();
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    // hyper reports a timeout deep in the chain on some paths.
    if message.contains("timed out") {
        return Error::Timeout;
    }
    Error::Transport { message, connect }
}

/// The largest answer the client reads. Ottu's largest (a payment-methods list, a checkout
/// object with its SDK payload) are tens of kilobytes; a misbehaving or hostile host must not be
/// able to make the till buffer without end.
pub const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// Reads the body chunk by chunk, refusing it once it passes [`MAX_RESPONSE_BYTES`].
async fn read_capped(mut response: reqwest::Response, status: u16) -> Result<Vec<u8>> {
    let too_big = |body: &[u8]| Error::Decode {
        status,
        path: ".".into(),
        message: format!(
            "the answer is larger than {} MiB",
            MAX_RESPONSE_BYTES / (1024 * 1024)
        ),
        body_snippet: String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
    };
    if response
        .content_length()
        .is_some_and(|length| length > MAX_RESPONSE_BYTES as u64)
    {
        return Err(too_big(&[]));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(map_reqwest_error)? {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(too_big(&body));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(url: &str) -> Result<Client> {
        Client::builder().base_url(url).api_key("k.secret").build()
    }

    #[test]
    fn https_and_loopback_http_are_accepted() {
        assert!(build("https://merchant.ottu.net").is_ok());
        assert!(build("http://127.0.0.1:8080").is_ok());
        assert!(build("http://localhost:1234/").is_ok());
        assert!(build("http://[::1]:9000").is_ok());
    }

    #[test]
    fn plain_http_to_other_hosts_and_odd_urls_are_refused() {
        for bad in [
            "http://merchant.ottu.net",
            "http://10.0.0.5",
            "ftp://127.0.0.1",
            "merchant.ottu.net",
            "https://user:pw@merchant.ottu.net",
            "https://merchant.ottu.net/?x=1",
        ] {
            assert!(matches!(build(bad), Err(Error::Config { .. })), "{bad}");
        }
    }

    #[test]
    fn base_url_path_prefix_is_kept() {
        let c = build("https://h.example/prefix").unwrap();
        assert_eq!(
            c.url("/b/checkout/v1/pymt-txn/").unwrap().as_str(),
            "https://h.example/prefix/b/checkout/v1/pymt-txn/"
        );
    }

    #[test]
    fn auth_headers_have_the_documented_shapes() {
        let v = Auth::api_key("abc.def").header_value().unwrap();
        assert_eq!(v.to_str().unwrap(), "Api-Key abc.def");
        assert!(v.is_sensitive());
        let v = Auth::basic("alice", "s3cret").header_value().unwrap();
        assert_eq!(v.to_str().unwrap(), "Basic YWxpY2U6czNjcmV0");
        let v = Auth::bearer("eyJ.x.y").header_value().unwrap();
        assert_eq!(v.to_str().unwrap(), "Bearer eyJ.x.y");
    }

    #[test]
    fn bad_credentials_fail_at_build_without_echoing_them() {
        let err = Client::builder()
            .base_url("https://h.example")
            .api_key("has space-SECRETVALUE")
            .build()
            .unwrap_err();
        assert!(!format!("{err} {err:?}").contains("SECRETVALUE"));
        assert!(build("https://h.example").is_ok());
        assert!(
            Client::builder()
                .base_url("https://h.example")
                .build()
                .is_err()
        );
    }

    #[test]
    fn debug_never_shows_secrets() {
        let client = Client::builder()
            .base_url("https://h.example")
            .basic_auth("alice", "TOPSECRETPW")
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(shown.contains("basic"));
        assert!(!shown.contains("TOPSECRETPW"));
        let secret = Secret::new("TOPSECRETPW");
        assert!(!format!("{secret:?} {secret}").contains("TOPSECRETPW"));
        let auth = Auth::bearer("TOPSECRETPW");
        assert!(!format!("{auth:?}").contains("TOPSECRETPW"));
    }
}
