//! Basic-auth password hashes in Django's `pbkdf2_sha256$<iterations>$<salt>$<base64>` format,
//! so a config can hold a hash taken from a real Django user table.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Deserializer};
use sha2::Sha256;

/// A parsed password hash. Its `Debug` never shows the hash.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash {
    iterations: u32,
    salt: String,
    hash: Vec<u8>,
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(pbkdf2_sha256, redacted)")
    }
}

/// Iterations used by [`PasswordHash::new`]; Django's current default is higher, but the
/// sandbox hashes test passwords and favours quick tests.
pub const DEFAULT_ITERATIONS: u32 = 10_000;

impl PasswordHash {
    /// Hashes `password` with a random salt.
    pub fn new(password: &str) -> Self {
        let salt = crate::ids::random_alphanumeric(22);
        let hash = pbkdf2_sha256(password.as_bytes(), salt.as_bytes(), DEFAULT_ITERATIONS);
        Self {
            iterations: DEFAULT_ITERATIONS,
            salt,
            hash,
        }
    }

    /// Parses `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`.
    pub fn parse(encoded: &str) -> Option<Self> {
        let mut parts = encoded.split('$');
        if parts.next()? != "pbkdf2_sha256" {
            return None;
        }
        let iterations: u32 = parts.next()?.parse().ok().filter(|n| *n > 0)?;
        let salt = parts.next()?.to_owned();
        let hash = BASE64.decode(parts.next()?).ok()?;
        if parts.next().is_some() || hash.len() != 32 {
            return None;
        }
        Some(Self {
            iterations,
            salt,
            hash,
        })
    }

    /// The encoded form, for config files.
    pub fn encode(&self) -> String {
        format!(
            "pbkdf2_sha256${}${}${}",
            self.iterations,
            self.salt,
            BASE64.encode(&self.hash)
        )
    }

    /// Whether `password` matches, compared in constant time.
    pub fn verify(&self, password: &str) -> bool {
        let candidate = pbkdf2_sha256(password.as_bytes(), self.salt.as_bytes(), self.iterations);
        constant_time_eq(&candidate, &self.hash)
    }
}

impl<'de> Deserialize<'de> for PasswordHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(
                "password_hash must look like pbkdf2_sha256$<iterations>$<salt>$<base64>",
            )
        })
    }
}

/// PBKDF2-HMAC-SHA256 with a 32-byte output (Django's `pbkdf2_sha256`).
fn pbkdf2_sha256(password: &[u8], salt: &[u8], iterations: u32) -> Vec<u8> {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut out);
    out.to_vec()
}

/// Compares two byte strings in constant time (for equal lengths).
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq as _;
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pbkdf2_matches_the_rfc_7914_test_vector() {
        let out = pbkdf2_sha256(b"passwd", b"salt", 1);
        assert_eq!(
            hex::encode(out),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
    }

    #[test]
    fn a_hash_verifies_its_own_password_only() {
        let hash = PasswordHash::new("s3cret");
        assert!(hash.verify("s3cret"));
        assert!(!hash.verify("s3cret "));
        let again = PasswordHash::parse(&hash.encode()).unwrap();
        assert!(again.verify("s3cret"));
    }

    #[test]
    fn debug_output_never_shows_the_hash() {
        let hash = PasswordHash::new("s3cret");
        assert!(!format!("{hash:?}").contains(&hash.salt));
    }
}
