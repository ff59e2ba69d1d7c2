//! "What to study next": the weakest objective, and the place that teaches
//! or tests it best for this learner.

use super::{Bar, MASTERED, MisconceptionInfo};
use crate::core::content::Pack;
use crate::core::progress::{LabState, Progress};

/// Where to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A lesson not completed yet that teaches the objective.
    Lesson(String),
    /// A lab not solved yet about the objective.
    Lab(String),
    /// A drill on the objective's weakest misconception.
    Drill {
        /// The misconception id.
        misconception: String,
        /// Its objective.
        objective: String,
    },
    /// Practice questions on the objective.
    Practice(String),
}

/// The suggestion, with a label for both front ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Next {
    /// The weakest objective's id.
    pub objective: String,
    /// Where to go.
    pub target: Target,
    /// "Lesson 3. Key policies" and the like.
    pub label: String,
}

/// The weakest objective — the lowest score, an objective without
/// attempts counting as 0, ties in pack order — unless every objective is
/// at [`MASTERED`] or more; then where to work on it: its first lesson not
/// completed, else its first lab not solved, else a drill on its weakest
/// misconception below [`MASTERED`], else practice.
pub fn study_next(
    pack: &Pack,
    progress: &Progress,
    objectives: &[Bar],
    misconceptions: &[Bar],
    catalog: &[MisconceptionInfo],
) -> Option<Next> {
    let weakest = objectives
        .iter()
        .enumerate()
        .min_by_key(|(i, b)| (b.score.unwrap_or(0), *i))
        .map(|(_, b)| b)
        .filter(|b| b.score.is_none_or(|s| s < MASTERED))?;
    let o = weakest.id.as_str();
    let summary = progress.summary(pack);
    let lesson = pack
        .lessons
        .iter()
        .zip(&summary.lessons)
        .find(|(l, s)| l.objectives.iter().any(|x| x == o) && s.percent() < 100);
    if let Some((l, _)) = lesson {
        return Some(Next {
            objective: o.to_string(),
            target: Target::Lesson(l.id.clone()),
            label: format!("lesson {}. {}", l.order, l.title),
        });
    }
    let lab = pack.labs.iter().find(|l| {
        l.objectives.iter().any(|x| x == o) && progress.lab_status(&l.id) != LabState::Solved
    });
    if let Some(l) = lab {
        return Some(Next {
            objective: o.to_string(),
            target: Target::Lab(l.id.clone()),
            label: format!("lab: {}", l.title),
        });
    }
    let drill = misconceptions
        .iter()
        .filter(|b| b.score.is_some_and(|s| s < MASTERED))
        .filter(|b| catalog.iter().any(|m| m.id == b.id && m.objective == o))
        .min_by_key(|b| b.score);
    if let Some(b) = drill {
        return Some(Next {
            objective: o.to_string(),
            target: Target::Drill {
                misconception: b.id.clone(),
                objective: o.to_string(),
            },
            label: format!("drill: {}", b.title),
        });
    }
    Some(Next {
        objective: o.to_string(),
        target: Target::Practice(o.to_string()),
        label: format!("practice: {}", weakest.title),
    })
}
