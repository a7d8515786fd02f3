//! `CommandError`: the one error shape every command returns to the UI.
//!
//! The UI branches on `code` and shows `message` (plain words, says what to do next);
//! `fields` maps form field names (`SaleDraft` / `ProfileInput` JSON names) to their errors.
//! The type lives in pos-core (`pos_core::dto`), next to the other DTOs, so the UI's
//! TypeScript bindings are generated from it too; `From<pos_core::Error>` comes with it.

pub use pos_core::dto::{CommandError, ErrorCode};
