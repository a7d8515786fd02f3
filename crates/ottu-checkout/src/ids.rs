//! Identifier newtypes: [`SessionId`], [`PgCode`] and [`OrderNo`].
//!
//! Each one is parsed once (so a bad value is caught before a request is sent), then travels as a
//! plain string on the wire. Deserialising from a server response applies the same checks, so a
//! value that got through is always usable in a path or a request body.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// The value was empty (or only whitespace).
    #[error("{kind} must not be empty")]
    Empty {
        /// Which identifier (`session_id`, `pg_code`, `order_no`).
        kind: &'static str,
    },
    /// The value is longer than the API accepts.
    #[error("{kind} is longer than {max} characters")]
    TooLong {
        /// Which identifier.
        kind: &'static str,
        /// The API's limit.
        max: usize,
    },
    /// The value contains a character the API does not accept there.
    #[error("{kind} contains a character that is not allowed: {found:?}")]
    BadCharacter {
        /// Which identifier.
        kind: &'static str,
        /// The first offending character.
        found: char,
    },
}

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident, $kind:literal, $check:expr) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The JSON field name this identifier travels under.
            pub const FIELD: &'static str = $kind;

            /// Parses and checks a value.
            pub fn parse(value: impl Into<String>) -> Result<Self, IdError> {
                let value: String = value.into();
                let check: fn(&str) -> Result<(), IdError> = $check;
                if value.trim().is_empty() {
                    return Err(IdError::Empty { kind: $kind });
                }
                check(&value)?;
                Ok(Self(value))
            }

            /// The identifier as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Gives back the owned string.
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::parse(s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(deserializer)?;
                Self::parse(raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

fn check_max(kind: &'static str, value: &str, max: usize) -> Result<(), IdError> {
    if value.chars().count() > max {
        return Err(IdError::TooLong { kind, max });
    }
    Ok(())
}

/// Path-safe: the spec's `^[-\w]+$` (letters, digits, `_`, `-`).
fn check_slug(kind: &'static str, value: &str) -> Result<(), IdError> {
    match value
        .chars()
        .find(|c| !(c.is_alphanumeric() || *c == '_' || *c == '-'))
    {
        Some(found) => Err(IdError::BadCharacter { kind, found }),
        None => Ok(()),
    }
}

string_id!(
    /// The id Ottu gives a checkout transaction (a 40-character hex string in practice).
    ///
    /// Accepted: 1 to 128 characters from `[-A-Za-z0-9_]` (the path pattern `^[-\w]+$`), so it
    /// can always be placed in `/b/checkout/v1/pymt-txn/{session_id}/`.
    SessionId,
    "session_id",
    |v| {
        check_max("session_id", v, 128)?;
        check_slug("session_id", v)
    }
);

string_id!(
    /// A payment gateway code (`pg_code`), e.g. `knet`, `credit-card`, `mpgs`.
    ///
    /// Accepted: 1 to 128 characters from `[-A-Za-z0-9_]` (the spec's code slug).
    PgCode,
    "pg_codes",
    |v| {
        check_max("pg_codes", v, 128)?;
        check_slug("pg_codes", v)
    }
);

string_id!(
    /// The merchant's own reference for a transaction (`order_no`), at most 128 characters.
    ///
    /// MPGS gateways accept only 37; that limit is the gateway's, so it is not enforced here.
    OrderNo,
    "order_no",
    |v| {
        check_max("order_no", v, 128)?;
        match v.chars().find(|c| c.is_control()) {
            Some(found) => Err(IdError::BadCharacter {
                kind: "order_no",
                found,
            }),
            None => Ok(()),
        }
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_id_accepts_a_forty_char_hex_string() {
        let id = SessionId::parse("3f1c0e5b8a9d4c2e7f6a1b0c9d8e7f6a5b4c3d2e").unwrap();
        assert_eq!(id.as_str().len(), 40);
        assert_eq!(id.to_string(), "3f1c0e5b8a9d4c2e7f6a1b0c9d8e7f6a5b4c3d2e");
    }

    #[test]
    fn session_id_rejects_path_characters() {
        assert_eq!(
            SessionId::parse("abc/../def"),
            Err(IdError::BadCharacter {
                kind: "session_id",
                found: '/'
            })
        );
        assert!(SessionId::parse("a?b").is_err());
        assert!(SessionId::parse("").is_err());
        assert!(SessionId::parse("x".repeat(129)).is_err());
    }

    #[test]
    fn pg_code_accepts_dashes_and_rejects_spaces() {
        assert!(PgCode::parse("credit-card").is_ok());
        assert!(PgCode::parse("apple_pay").is_ok());
        assert!(PgCode::parse("credit card").is_err());
    }

    #[test]
    fn order_no_allows_free_text_up_to_128_chars() {
        assert!(OrderNo::parse("POS-0001 / table 4").is_ok());
        assert!(OrderNo::parse("x".repeat(128)).is_ok());
        assert_eq!(
            OrderNo::parse("x".repeat(129)),
            Err(IdError::TooLong {
                kind: "order_no",
                max: 128
            })
        );
        assert!(OrderNo::parse("a\nb").is_err());
        assert!(OrderNo::parse("   ").is_err());
    }

    #[test]
    fn ids_deserialize_with_the_same_checks() {
        let ok: SessionId = serde_json::from_str("\"abc-123\"").unwrap();
        assert_eq!(ok.as_ref(), "abc-123");
        assert!(serde_json::from_str::<SessionId>("\"a b\"").is_err());
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"abc-123\"");
    }
}
