//! Fault injection for the create endpoint (`POST /_sandbox/faults`), so clients can be
//! tested against "the request may have reached the server" cases.

use serde::{Deserialize, Serialize};

/// What to do to the next create requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Store the transaction, then close the connection without any response.
    DropAfterCommit,
    /// Store the transaction, answer normally after `delay_ms`.
    Delay,
    /// Store nothing, answer 500.
    #[serde(rename = "status_500")]
    Status500,
    /// Store the transaction, then answer 503.
    #[serde(rename = "status_503_after_commit")]
    Status503AfterCommit,
    /// Store the transaction, then answer 201 with a body that is not valid JSON.
    MalformedAfterCommit,
}

impl FaultKind {
    /// Whether the fault applies after the transaction is committed.
    pub fn after_commit(self) -> bool {
        !matches!(self, FaultKind::Status500)
    }
}

/// An armed fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ArmedFault {
    pub kind: FaultKind,
    pub remaining: u32,
    pub delay_ms: u64,
}

/// The fault switchboard (one armed fault at a time).
#[derive(Debug, Default)]
pub struct Faults {
    armed: Option<ArmedFault>,
}

impl Faults {
    /// Arms `kind` for the next `times` creates (replacing any armed fault).
    pub fn arm(&mut self, kind: FaultKind, times: u32, delay_ms: u64) {
        self.armed = (times > 0).then_some(ArmedFault {
            kind,
            remaining: times,
            delay_ms,
        });
    }

    /// Disarms.
    pub fn clear(&mut self) {
        self.armed = None;
    }

    /// The armed fault, if any.
    pub fn armed(&self) -> Option<ArmedFault> {
        self.armed
    }

    /// Uses one occurrence of the armed fault if it matches `when_after_commit`.
    pub fn take(&mut self, when_after_commit: bool) -> Option<ArmedFault> {
        let armed = self.armed?;
        if armed.kind.after_commit() != when_after_commit {
            return None;
        }
        if armed.remaining <= 1 {
            self.armed = None;
        } else {
            self.armed = Some(ArmedFault {
                remaining: armed.remaining - 1,
                ..armed
            });
        }
        Some(armed)
    }
}
