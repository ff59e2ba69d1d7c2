//! Which cards a review ([`Mode::Review`](super::Mode::Review)) or cram
//! ([`Mode::Cram`](super::Mode::Cram)) quiz asks: bank questions and missed
//! checkpoints, each under its schedule key (a checkpoint is asked as
//! `checkpoint:<id>`, so its answer moves its own card). Drill cards are
//! counted by the summary but asked by the drill command.

use super::record::{QuizProgress, checkpoint_key};
use super::schedule::{Card, day_of};
use crate::core::content::{Pack, Question};

/// Every card the quiz can ask, with its card: the bank questions in
/// `bank` and the checkpoints of lessons about `objectives` (all lessons
/// when empty), under their schedule keys.
fn scheduled<'a>(
    pack: &'a Pack,
    progress: &'a QuizProgress,
    objectives: &[String],
    bank: &[&'a Question],
) -> Vec<(Question, &'a Card)> {
    let mut out: Vec<(Question, &Card)> = bank
        .iter()
        .filter_map(|q| progress.schedule.get(&q.id).map(|c| ((*q).clone(), c)))
        .collect();
    for lesson in &pack.lessons {
        let about =
            objectives.is_empty() || lesson.objectives.iter().any(|o| objectives.contains(o));
        if !about {
            continue;
        }
        for c in lesson.sections.iter().flat_map(|s| &s.checkpoints) {
            let key = checkpoint_key(&c.id);
            if let Some(card) = progress.schedule.get(&key) {
                let mut q = c.clone();
                q.id = key;
                if q.objectives.is_empty() {
                    q.objectives = lesson.objectives.clone();
                }
                out.push((q, card));
            }
        }
    }
    out
}

/// The questions due at `now`; with an exam date still ahead, also the
/// share of never-answered bank questions that spreads them evenly over
/// the days left (so each is seen at least once before the exam).
pub(super) fn due_pool(
    pack: &Pack,
    progress: &QuizProgress,
    objectives: &[String],
    bank: Vec<&Question>,
    now: u64,
) -> Vec<Question> {
    let today = day_of(now);
    let mut out: Vec<Question> = scheduled(pack, progress, objectives, &bank)
        .into_iter()
        .filter(|(_, c)| c.is_due(today))
        .map(|(q, _)| q)
        .collect();
    if let Some(exam) = progress.exam_day.filter(|e| *e > today) {
        let unseen: Vec<&Question> = bank
            .into_iter()
            .filter(|q| !progress.schedule.contains_key(&q.id))
            .collect();
        let days_left = usize::try_from(exam - today).unwrap_or(usize::MAX);
        let share = unseen.len().div_ceil(days_left);
        out.extend(unseen.into_iter().take(share).cloned());
    }
    out
}

/// Review ahead: the cards not due at `now`, the soonest due first (ties
/// by key), to answer without moving them.
pub(super) fn ahead_pool(
    pack: &Pack,
    progress: &QuizProgress,
    objectives: &[String],
    bank: Vec<&Question>,
    now: u64,
) -> Vec<Question> {
    let today = day_of(now);
    let mut ahead: Vec<(Question, &Card)> = scheduled(pack, progress, objectives, &bank)
        .into_iter()
        .filter(|(_, c)| !c.is_due(today))
        .collect();
    ahead.sort_by(|a, b| a.1.due_day.cmp(&b.1.due_day).then(a.0.id.cmp(&b.0.id)));
    ahead.into_iter().map(|(q, _)| q).collect()
}
