//! Fault injection for the create endpoint (`POST /_sandbox/faults`), so clients can be
//! tested against "the request may have reached the server" cases.
//!
//! Two modes, one at a time: one armed fault for the next `times` creates, or a random mode
//! for chaos runs where every create draws a fault (or none) from a seeded RNG. Faults apply
//! in one of three phases of a create (see [`Phase`]); the injected ones are counted per kind.
//! Apart from those, [`ReportPlant`]s change the report files generated after they are
//! planted (a left-out transaction, another amount or state).

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// Largest `delay_ms` of a late commit (120 s on the sandbox clock). A late commit always lands
/// within this long after its request, so a client that waits longer than this (on the
/// sandbox clock) before concluding "never created" is always right.
pub const LATE_COMMIT_MAX_MS: u64 = 120_000;
/// `delay_ms` of a late commit armed without one.
pub const LATE_COMMIT_DEFAULT_MS: u64 = 5_000;
/// `delay_ms` of the `delay` fault in random mode when none is given.
pub const RANDOM_DELAY_DEFAULT_MS: u64 = 1_000;
/// Largest `delay_ms` of the `delay` fault (real time, the answer is held back that long).
pub const DELAY_MAX_MS: u64 = 1_000_000;

/// What to do to a create request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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
    /// Validate, close the connection without any response, and store the transaction only
    /// `delay_ms` later on the sandbox clock (`crate::late_commit`).
    LateCommit,
}

impl FaultKind {
    /// Every kind, in wire order (the order random mode walks its rates in).
    pub const ALL: [FaultKind; 6] = [
        FaultKind::DropAfterCommit,
        FaultKind::Delay,
        FaultKind::Status500,
        FaultKind::Status503AfterCommit,
        FaultKind::MalformedAfterCommit,
        FaultKind::LateCommit,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::DropAfterCommit => "drop_after_commit",
            FaultKind::Delay => "delay",
            FaultKind::Status500 => "status_500",
            FaultKind::Status503AfterCommit => "status_503_after_commit",
            FaultKind::MalformedAfterCommit => "malformed_after_commit",
            FaultKind::LateCommit => "late_commit",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// When in a create the fault applies.
    pub fn phase(self) -> Phase {
        match self {
            FaultKind::Status500 => Phase::BeforeValidation,
            FaultKind::LateCommit => Phase::AfterValidation,
            _ => Phase::AfterCommit,
        }
    }

    /// Whether the fault applies after the transaction is committed.
    pub fn after_commit(self) -> bool {
        self.phase() == Phase::AfterCommit
    }
}

/// When in a create a fault applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Before anything is validated or stored (`status_500`): any create request.
    BeforeValidation,
    /// After validation, instead of the insert (`late_commit`): valid creates only.
    AfterValidation,
    /// After the insert is committed (the others): creates that were stored.
    AfterCommit,
}

/// An armed fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ArmedFault {
    pub kind: FaultKind,
    pub remaining: u32,
    pub delay_ms: u64,
}

/// The random mode's settings, as given (and shown by `GET /_sandbox/faults`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RandomSettings {
    pub seed: u64,
    /// Probability of each kind per create; kinds not given are 0. Sum at most 1.
    pub rates: BTreeMap<FaultKind, f64>,
    /// `delay_ms` of the `delay` fault.
    pub delay_ms: u64,
    /// Inclusive range the late commit's `delay_ms` is drawn from, uniformly.
    pub late_commit_ms: [u64; 2],
}

#[derive(Debug)]
struct RandomMode {
    settings: RandomSettings,
    rng: StdRng,
    draws: u64,
}

/// The fault one create request got: its kind and `delay_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Planned {
    pub kind: FaultKind,
    pub delay_ms: u64,
}

/// What [`Faults::begin`] decided for one create request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draw {
    /// Random mode: this request's fault (or none), fixed at its start.
    Random(Option<Planned>),
    /// Armed mode (or nothing armed): each phase takes the armed fault if it matches.
    Armed,
}

/// A difference planted in the report files generated from now on (`POST
/// /_sandbox/faults/reports`), so a reconciliation can be tested against a report that
/// disagrees with the merchant's books.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ReportPlant {
    /// The transaction with this `order_no` is left out of the report.
    Drop { order_no: String },
    /// Its `amount` column says `amount` instead.
    Amount { order_no: String, amount: String },
    /// Its `state` column says `state` instead.
    State { order_no: String, state: String },
}

impl ReportPlant {
    /// The `order_no` it changes.
    pub fn order_no(&self) -> &str {
        match self {
            ReportPlant::Drop { order_no }
            | ReportPlant::Amount { order_no, .. }
            | ReportPlant::State { order_no, .. } => order_no,
        }
    }
}

/// The fault switchboard.
#[derive(Debug, Default)]
pub struct Faults {
    armed: Option<ArmedFault>,
    random: Option<RandomMode>,
    injected: BTreeMap<FaultKind, u64>,
    /// Differences planted in the report files generated from now on.
    report_plants: Vec<ReportPlant>,
}

impl Faults {
    /// Arms `kind` for the next `times` creates (replacing either mode, counters reset).
    pub fn arm(&mut self, kind: FaultKind, times: u32, delay_ms: u64) {
        self.clear();
        self.injected.clear();
        self.armed = (times > 0).then_some(ArmedFault {
            kind,
            remaining: times,
            delay_ms,
        });
    }

    /// Starts the random mode (replacing either mode, counters reset).
    pub fn arm_random(&mut self, settings: RandomSettings) {
        self.clear();
        self.injected.clear();
        self.random = Some(RandomMode {
            rng: StdRng::seed_from_u64(settings.seed),
            settings,
            draws: 0,
        });
    }

    /// Disarms both modes; the counters stay (a chaos run stops the faults, settles, reports).
    pub fn clear(&mut self) {
        self.armed = None;
        self.random = None;
    }

    /// Disarms and forgets the counters and the report plants (`POST /_sandbox/reset`).
    pub fn reset(&mut self) {
        self.clear();
        self.injected.clear();
        self.report_plants.clear();
    }

    /// Plants a difference in the report files generated from now on.
    pub fn plant_in_reports(&mut self, plant: ReportPlant) {
        self.report_plants.push(plant);
    }

    /// The planted report differences, in the order they were planted.
    pub fn report_plants(&self) -> Vec<ReportPlant> {
        self.report_plants.clone()
    }

    /// Removes every planted report difference.
    pub fn clear_report_plants(&mut self) {
        self.report_plants.clear();
    }

    /// The armed fault, if any.
    pub fn armed(&self) -> Option<ArmedFault> {
        self.armed
    }

    /// The random mode's settings and how many creates have drawn, if it is on.
    pub fn random(&self) -> Option<(RandomSettings, u64)> {
        self.random.as_ref().map(|r| (r.settings.clone(), r.draws))
    }

    /// Faults injected per kind (every kind listed) since the last arming or reset.
    pub fn injected(&self) -> BTreeMap<FaultKind, u64> {
        FaultKind::ALL
            .into_iter()
            .map(|k| (k, self.injected.get(&k).copied().unwrap_or(0)))
            .collect()
    }

    /// Counts one injected fault.
    pub fn record(&mut self, kind: FaultKind) {
        *self.injected.entry(kind).or_default() += 1;
    }

    /// Called once at the start of every create request. In random mode this draws the
    /// request's fault (one draw per request, so a fixed seed and the same sequence of
    /// requests give the same faults).
    pub fn begin(&mut self) -> Draw {
        let Some(random) = self.random.as_mut() else {
            return Draw::Armed;
        };
        random.draws += 1;
        let u: f64 = random.rng.r#gen();
        let mut cumulative = 0.0;
        let mut chosen = None;
        for kind in FaultKind::ALL {
            cumulative += random.settings.rates.get(&kind).copied().unwrap_or(0.0);
            if u < cumulative {
                chosen = Some(kind);
                break;
            }
        }
        Draw::Random(chosen.map(|kind| {
            let delay_ms = match kind {
                FaultKind::Delay => random.settings.delay_ms,
                FaultKind::LateCommit => {
                    let [lo, hi] = random.settings.late_commit_ms;
                    random.rng.gen_range(lo..=hi)
                }
                _ => 0,
            };
            Planned { kind, delay_ms }
        }))
    }

    /// The fault for `phase` of a request that began with `draw`, counted as injected. In
    /// armed mode this uses one occurrence of the armed fault when its kind is of `phase`.
    pub fn take(&mut self, draw: Draw, phase: Phase) -> Option<Planned> {
        let planned = match draw {
            Draw::Random(planned) => planned.filter(|p| p.kind.phase() == phase)?,
            Draw::Armed => {
                let armed = self.armed?;
                if armed.kind.phase() != phase {
                    return None;
                }
                self.armed = (armed.remaining > 1).then_some(ArmedFault {
                    remaining: armed.remaining - 1,
                    ..armed
                });
                Planned {
                    kind: armed.kind,
                    delay_ms: armed.delay_ms,
                }
            }
        };
        self.record(planned.kind);
        Some(planned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(seed: u64) -> RandomSettings {
        RandomSettings {
            seed,
            rates: FaultKind::ALL.into_iter().map(|k| (k, 0.1)).collect(),
            delay_ms: 10,
            late_commit_ms: [1_000, 60_000],
        }
    }

    fn run(seed: u64, n: usize) -> Vec<Option<Planned>> {
        let mut faults = Faults::default();
        faults.arm_random(settings(seed));
        (0..n)
            .map(|_| match faults.begin() {
                Draw::Random(p) => p,
                Draw::Armed => panic!("random mode is on"),
            })
            .collect()
    }

    #[test]
    fn a_seed_gives_the_same_draws_and_another_seed_other_ones() {
        let a = run(42, 200);
        assert_eq!(a, run(42, 200));
        assert_ne!(a, run(43, 200));
        let faulted = a.iter().flatten().count();
        // 60 % expected; far outside these bounds means the rates are not applied.
        assert!((80..=160).contains(&faulted), "{faulted} faults in 200");
        for kind in FaultKind::ALL {
            assert!(
                a.iter().flatten().any(|p| p.kind == kind),
                "{kind:?} never drawn"
            );
        }
        for p in a.iter().flatten() {
            match p.kind {
                FaultKind::LateCommit => assert!((1_000..=60_000).contains(&p.delay_ms)),
                FaultKind::Delay => assert_eq!(p.delay_ms, 10),
                _ => assert_eq!(p.delay_ms, 0),
            }
        }
    }

    #[test]
    fn a_drawn_fault_applies_in_its_phase_only_and_is_counted_once() {
        let mut faults = Faults::default();
        let draw = Draw::Random(Some(Planned {
            kind: FaultKind::LateCommit,
            delay_ms: 5,
        }));
        assert_eq!(faults.take(draw, Phase::BeforeValidation), None);
        assert_eq!(faults.take(draw, Phase::AfterCommit), None);
        assert!(faults.take(draw, Phase::AfterValidation).is_some());
        assert_eq!(faults.injected()[&FaultKind::LateCommit], 1);
        assert_eq!(faults.injected()[&FaultKind::Delay], 0);
    }

    #[test]
    fn an_armed_fault_is_used_up_by_its_phase() {
        let mut faults = Faults::default();
        faults.arm(FaultKind::LateCommit, 2, 7);
        assert_eq!(faults.take(Draw::Armed, Phase::AfterCommit), None);
        assert!(faults.take(Draw::Armed, Phase::AfterValidation).is_some());
        assert_eq!(faults.armed().map(|a| a.remaining), Some(1));
        assert!(faults.take(Draw::Armed, Phase::AfterValidation).is_some());
        assert_eq!(faults.armed(), None);
        assert_eq!(faults.injected()[&FaultKind::LateCommit], 2);
        faults.clear();
        assert_eq!(
            faults.injected()[&FaultKind::LateCommit],
            2,
            "clear keeps counts"
        );
        faults.reset();
        assert_eq!(faults.injected()[&FaultKind::LateCommit], 0);
    }
}
