//! Engine-generated drills: a small world built to show one misconception
//! from a catalog, then questions about it, every answer decided by the
//! policy engine.
//!
//! A drill is *correct by construction*: [`generate`] plants the defect of
//! a misconception in a working world, and [`verify`] checks with the
//! engine that the working world allows the request (and denies every
//! least-privilege probe), that the broken world denies it for the
//! catalog's reason, that restoring the planted policy alone flips the
//! verdict, and that decoy statements decide nothing. Generation retries
//! with fresh names until every check and the question builder succeed.
//!
//! Half the drills show the working world ("is it allowed?" — yes): seeds
//! come in pairs (2k, 2k+1), one of each pair allowed and the other denied,
//! so any 100 consecutive seeds hold 49 to 51 allowed drills. The stream of
//! random numbers is this module's own ([`rng`]), so one seed gives the
//! same drill on every machine.

pub mod build;
pub mod catalog;
pub mod edits;
pub mod json;
pub mod names;
pub mod questions;
pub mod rng;
pub mod spec;
pub mod verify;

pub use catalog::{CATALOG, Misconception, Place};
pub use questions::{Answer, Kind, Question};

use self::rng::{Rng, mix};
use crate::core::world::{Reason, Verdict};

/// The levels: 1 two accounts and no decoys, 2 a third account and decoy
/// statements, 3 more decoys and a second key.
pub const LEVELS: [u8; 3] = [1, 2, 3];

/// Lab ids of drills start with this (no course lab id has a colon).
pub const LAB_PREFIX: &str = "drill:";

/// How many fresh sets of names generation tries before it gives up.
const ATTEMPTS: u64 = 24;

/// What to generate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// 1, 2 or 3 (0 is taken as 1).
    pub level: u8,
    /// Only misconceptions of this objective.
    pub objective: Option<String>,
    /// Only this misconception (by id).
    pub misconception: Option<String>,
}

/// Why no drill could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrillError {
    /// No misconception of that objective or id.
    #[error("no drill matches {0}")]
    NoMatch(String),
    /// The level is not 1, 2 or 3.
    #[error("level {0} does not exist: give 1, 2 or 3")]
    Level(u8),
    /// Every attempt failed a check (a defect in the catalog).
    #[error("no valid drill for {id} with seed {seed}: {why}")]
    Unverified {
        /// The misconception.
        id: &'static str,
        /// The seed.
        seed: u64,
        /// The last check that failed.
        why: String,
    },
}

/// One generated drill.
#[derive(Debug, Clone)]
pub struct Drill {
    /// The seed it was made from.
    pub seed: u64,
    /// Its level.
    pub level: u8,
    /// The misconception it shows.
    pub misconception: &'static Misconception,
    /// The world shown (working or broken).
    pub world: spec::Spec,
    /// The scenario file of that world, with the engine's verdict as its
    /// expectation (`keyshake eval` passes it).
    pub toml: String,
    /// The engine's verdict on the request.
    pub verdict: Verdict,
    /// Its reason.
    pub reason: Reason,
    /// The engine's one-sentence explanation.
    pub explanation: String,
    /// Where the defect is (for a denied drill).
    pub place: Option<Place>,
    /// The working world's policy text for the planted slot (for the fix
    /// question), with its label.
    pub solution: Option<(String, String)>,
    /// The questions, the verdict first.
    pub questions: Vec<Question>,
    /// The least-privilege probes: requests that must stay denied.
    pub probes: Vec<spec::RequestSpec>,
    /// The other world of the pair: the broken one for an allowed drill,
    /// the working one for a denied drill.
    pub pair: spec::Spec,
    /// The edits of the edit question, in the order shown (empty when
    /// there is none).
    pub edits: Vec<edits::Edit>,
}

impl Drill {
    /// The id of the in-memory lab made from this drill (`drill:SEED`);
    /// the app keeps nothing of such a lab in progress.
    pub fn lab_id(&self) -> String {
        format!("{LAB_PREFIX}{}", self.seed)
    }

    /// For a denied drill whose defect is in a policy: the world as a lab
    /// scenario, the drill's request expected allowed and every probe
    /// expected denied (the least-privilege goals).
    pub fn lab_scenario(&self) -> Option<String> {
        if !matches!(self.place, Some(Place::Policy { .. })) {
            return None;
        }
        let mut text = self.world.toml(Some(("allow", "allowed")));
        for p in &self.probes {
            spec::request(&mut text, p, None);
            text.push_str("expect = \"deny\"\n");
        }
        Some(text)
    }

    /// The key progress records this drill's answers under.
    pub fn progress_id(&self) -> String {
        progress_id(self.misconception.id)
    }
}

/// `drill:<misconception-id>`.
pub fn progress_id(id: &str) -> String {
    format!("drill:{id}")
}

/// Misconceptions to bring back first: those whose latest drill answer was
/// wrong, then those due for review, in catalog order.
pub fn review(quiz: &crate::core::quiz::QuizProgress, now: u64) -> Vec<&'static str> {
    let due = quiz.due(now);
    let mut missed = Vec::new();
    let mut later = Vec::new();
    for m in CATALOG.iter() {
        let id = progress_id(m.id);
        match quiz.answers.iter().rev().find(|a| a.question == id) {
            Some(a) if !a.correct => missed.push(m.id),
            Some(_) if due.contains(&id.as_str()) => later.push(m.id),
            _ => {}
        }
    }
    missed.extend(later);
    missed
}

/// Whether seed `seed` shows the working world: one of each pair of seeds.
pub fn shows_allowed(seed: u64) -> bool {
    let flip = mix((seed / 2) ^ 0x5EED_D711_1500_0001) & 1;
    (seed & 1) ^ flip == 1
}

/// The misconceptions `options` allows, in catalog order.
pub fn candidates(options: &Options) -> Result<Vec<&'static Misconception>, DrillError> {
    let list: Vec<&'static Misconception> = CATALOG
        .iter()
        .filter(|m| {
            options
                .objective
                .as_deref()
                .is_none_or(|o| m.objective == o)
        })
        .filter(|m| options.misconception.as_deref().is_none_or(|id| m.id == id))
        .collect();
    if list.is_empty() {
        let what = match (&options.misconception, &options.objective) {
            (Some(id), _) => format!("the misconception {id}"),
            (None, Some(o)) => format!("the objective {o}"),
            (None, None) => "these options".to_string(),
        };
        return Err(DrillError::NoMatch(what));
    }
    Ok(list)
}

/// The drill for `seed`.
pub fn generate(seed: u64, options: &Options) -> Result<Drill, DrillError> {
    let level = options.level.max(1);
    if !LEVELS.contains(&level) {
        return Err(DrillError::Level(level));
    }
    let list = candidates(options)?;
    let m = *Rng::new(seed, 0).pick(&list);
    let allowed = shows_allowed(seed);
    let mut why = String::new();
    for attempt in 0..ATTEMPTS {
        let mut rng = Rng::new(seed, attempt + 1);
        match attempt_one(seed, level, m, allowed, &mut rng) {
            Ok(d) => return Ok(d),
            Err(e) => why = e,
        }
    }
    Err(DrillError::Unverified {
        id: m.id,
        seed,
        why,
    })
}

fn attempt_one(
    seed: u64,
    level: u8,
    m: &'static Misconception,
    allowed: bool,
    rng: &mut Rng,
) -> Result<Drill, String> {
    let names = names::Names::draw(rng);
    let planted = m.plant(rng, &names, level);
    let v = verify::verify(m, planted)?;
    let shown = if allowed { &v.fixed } else { &v.broken };
    let outcome = shown.main(&shown.world);
    let caller = &shown.world.requests[0].caller;
    let explanation = outcome.explain(&shown.world, caller);
    let (verdict, reason) = (outcome.verdict, outcome.reason);
    let mut questions = vec![questions::verdict(&shown.spec, verdict, reason)];
    let mut solution = None;
    let mut shown_edits = Vec::new();
    if !allowed {
        questions.push(questions::policy(&v.broken.spec, &v.place, rng));
        // Then which statement of it (no random draw: the world a seed
        // gives stays the same).
        questions.extend(questions::statement(&v.broken.spec, &v.place));
        if let Place::Policy { .. } = &v.place {
            let (right, wrong) = edits::edits(&v, &names).ok_or("no right edit")?;
            if wrong.len() < 3 {
                return Err(format!("only {} checked wrong edits", wrong.len()));
            }
            let (q, order) = questions::edit(&right, &wrong, rng);
            questions.push(q);
            shown_edits = order;
            solution = Some((v.fixed.spec.label(right.slot), right.doc.text()));
        }
    }
    let toml = shown.spec.toml(Some((verdict.code(), reason.code())));
    Ok(Drill {
        seed,
        level,
        misconception: m,
        world: shown.spec.clone(),
        toml,
        verdict,
        reason,
        explanation,
        place: (!allowed).then(|| v.place.clone()),
        solution,
        questions,
        probes: v.fixed.spec.probes.clone(),
        pair: if allowed {
            v.broken.spec.clone()
        } else {
            v.fixed.spec.clone()
        },
        edits: shown_edits,
    })
}

#[cfg(test)]
mod tests;

/// The catalog as the mastery figures know it: each misconception's id,
/// a title made from it, and its objective.
pub fn mastery_catalog() -> Vec<crate::core::mastery::MisconceptionInfo> {
    CATALOG
        .iter()
        .map(|m| {
            let words = m.id.replace('-', " ");
            let mut chars = words.chars();
            let title = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            crate::core::mastery::MisconceptionInfo {
                id: m.id.to_string(),
                title,
                objective: m.objective.to_string(),
            }
        })
        .collect()
}
