//! Identifiers the sandbox hands out: `session_id` (40 lower-case hex, like Ottu's SHA1-style
//! ids), `reference_number` (`sandbox` + 6 upper-case alphanumerics) and short-link codes.

use rand::Rng as _;
use rand::distributions::Alphanumeric;

/// A new 40-character lower-case hex `session_id`.
pub fn new_session_id() -> String {
    let bytes: [u8; 20] = rand::thread_rng().r#gen();
    hex::encode(bytes)
}

/// A new `reference_number` such as `sandboxQ4K7ZB`.
pub fn new_reference_number() -> String {
    const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::thread_rng();
    let tail: String = (0..6)
        .map(|_| UPPER[rng.gen_range(0..UPPER.len())] as char)
        .collect();
    format!("sandbox{tail}")
}

/// A new short-link code for `/b/<code>`.
pub fn new_short_code() -> String {
    random_alphanumeric(8)
}

/// `len` random ASCII letters and digits.
pub fn random_alphanumeric(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// Whether `text` looks like a session id the sandbox could have issued (path pattern `^[-\w]+$`).
pub fn is_session_id_shaped(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 128
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_forty_lower_case_hex_characters() {
        let id = new_session_id();
        assert_eq!(id.len(), 40);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        assert_ne!(id, new_session_id());
    }

    #[test]
    fn reference_numbers_start_with_sandbox() {
        let r = new_reference_number();
        assert!(r.starts_with("sandbox") && r.len() == 13, "{r}");
    }
}
