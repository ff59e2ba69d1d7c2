//! The first attempts the mastery figures count, from the four places the
//! learner shows what they know.

use std::collections::{HashMap, HashSet};

use super::MisconceptionInfo;
use crate::core::content::Pack;
use crate::core::progress::Progress;
use crate::core::quiz::schedule::day_of;

/// Where a first attempt comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A lesson checkpoint's first answer.
    Checkpoint,
    /// A bank question's first answer (any quiz mode).
    Bank,
    /// A drill's first answer about one misconception.
    Drill,
    /// A policy lab: solved without the solution shown is right, the
    /// solution shown is wrong; a lab in progress is not counted yet.
    Lab,
}

/// One first attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Where it comes from.
    pub source: Source,
    /// The objectives it is about.
    pub objectives: Vec<String>,
    /// The misconception it is about (drills).
    pub misconception: Option<String>,
    /// Whether it was right.
    pub correct: bool,
    /// The UTC day it was given.
    pub day: u64,
}

/// Every first attempt in `progress` about the content of `pack` (and the
/// drills, whose misconceptions `catalog` ties to objectives).
pub fn gather(pack: &Pack, progress: &Progress, catalog: &[MisconceptionInfo]) -> Vec<Evidence> {
    let mut out = Vec::new();
    for lesson in &pack.lessons {
        for c in lesson.sections.iter().flat_map(|s| &s.checkpoints) {
            let Some(r) = progress.checkpoints.get(&c.id) else {
                continue;
            };
            let at = r.first.as_ref().map_or(r.at, |f| f.at);
            let objectives = if c.objectives.is_empty() {
                lesson.objectives.clone()
            } else {
                c.objectives.clone()
            };
            out.push(Evidence {
                source: Source::Checkpoint,
                objectives,
                misconception: None,
                correct: r.first_try_right(),
                day: day_of(at),
            });
        }
    }
    let bank: HashMap<&str, &[String]> = pack
        .questions
        .iter()
        .map(|q| (q.id.as_str(), q.objectives.as_slice()))
        .collect();
    let drills: HashMap<&str, &MisconceptionInfo> =
        catalog.iter().map(|m| (m.id.as_str(), m)).collect();
    let mut seen: HashSet<&str> = HashSet::new();
    for a in &progress.quiz.answers {
        if !seen.insert(a.question.as_str()) {
            continue;
        }
        let day = day_of(a.at);
        if let Some(objectives) = bank.get(a.question.as_str()) {
            out.push(Evidence {
                source: Source::Bank,
                objectives: objectives.to_vec(),
                misconception: None,
                correct: a.correct,
                day,
            });
        } else if let Some(id) = a.question.strip_prefix("drill:") {
            let objectives = drills
                .get(id)
                .map(|m| vec![m.objective.clone()])
                .unwrap_or_default();
            out.push(Evidence {
                source: Source::Drill,
                objectives,
                misconception: Some(id.to_string()),
                correct: a.correct,
                day,
            });
        }
    }
    for lab in &pack.labs {
        let Some(p) = progress.labs.get(&lab.id) else {
            continue;
        };
        let (correct, at) = match (p.solution_shown, p.solved_at) {
            (true, _) => (false, p.solved_at.or(p.started).unwrap_or(0)),
            (false, Some(at)) => (true, at),
            (false, None) => continue,
        };
        out.push(Evidence {
            source: Source::Lab,
            objectives: lab.objectives.clone(),
            misconception: None,
            correct,
            day: day_of(at),
        });
    }
    out
}
