//! The parts of a [`Report`](super::Report), each read from the progress
//! file and the pack.

use std::collections::BTreeMap;

use super::{
    AnswerResult, ExamResult, GoalResult, ItemResult, LabResult, LessonResult, PracticeResult,
    Score,
};
use crate::core::content::Pack;
use crate::core::progress::{CheckpointRecord, Progress};
use crate::core::quiz::{AnswerRecord, ExamRecord};

pub(super) fn lessons(progress: &Progress, pack: &Pack) -> Vec<LessonResult> {
    progress
        .summary(pack)
        .lessons
        .iter()
        .map(|s| {
            let completed_at = progress.lessons.get(&s.id).and_then(|l| l.completed_at);
            let status = if s.sections_total > 0 && s.sections_completed == s.sections_total {
                "completed"
            } else if s.sections_completed > 0
                || s.checkpoints_answered > 0
                || progress.lessons.contains_key(&s.id)
            {
                "in_progress"
            } else {
                "not_started"
            };
            LessonResult {
                id: s.id.clone(),
                title: s.title.clone(),
                status: status.to_string(),
                sections_completed: s.sections_completed,
                sections_total: s.sections_total,
                checkpoints_right: s.checkpoints_right,
                checkpoints_first_try: s.checkpoints_first_right,
                checkpoints_total: s.checkpoints_total,
                completed_at,
            }
        })
        .collect()
}

pub(super) fn labs(progress: &Progress, pack: &Pack) -> Vec<LabResult> {
    pack.labs
        .iter()
        .map(|lab| {
            let p = progress.labs.get(&lab.id);
            let started_at = p.and_then(|p| p.started);
            let solved_at = p.and_then(|p| p.solved_at);
            let (goals, policies_invalid) = match lab.with_policies(&progress.saved_edits(lab)) {
                Ok(world) => {
                    let status = lab.check(&world);
                    let goals = lab
                        .goals
                        .iter()
                        .zip(&status.goals)
                        .map(|(g, s)| GoalResult {
                            goal: g.text.clone(),
                            met: s.met,
                        })
                        .collect();
                    (goals, false)
                }
                Err(_) => (Vec::new(), true),
            };
            LabResult {
                id: lab.id.clone(),
                title: lab.title.clone(),
                status: match (p, solved_at) {
                    (_, Some(_)) => "solved",
                    (Some(_), None) => "in_progress",
                    (None, None) => "not_started",
                }
                .to_string(),
                hints_used: p.map_or(0, |p| p.hints_used),
                solution_shown: p.is_some_and(|p| p.solution_shown),
                guided: p.is_some_and(|p| p.guided),
                started_at,
                solved_at,
                seconds_to_solve: match (started_at, solved_at) {
                    (Some(a), Some(b)) => Some(b.saturating_sub(a)),
                    _ => None,
                },
                goals,
                policies_invalid,
            }
        })
        .collect()
}

/// Submitted and abandoned exams, oldest first, each with its answers.
pub(super) fn exams(progress: &Progress) -> Vec<ExamResult> {
    let quiz = &progress.quiz;
    let mut all: Vec<&ExamRecord> = quiz.exams.iter().chain(&quiz.abandoned).collect();
    all.sort_by_key(|e| (e.started_at, e.at));
    all.into_iter()
        .enumerate()
        .map(|(i, e)| ExamResult {
            attempt: i + 1,
            started_at: e.started_at,
            submitted_at: e.at,
            seed: e.seed,
            right: e.score.right,
            total: e.score.total,
            percent: e.percent.min(100),
            pass_mark: e.pass_mark,
            passed: e.passed && !e.abandoned,
            objectives: e
                .objectives
                .iter()
                .map(|(k, t)| {
                    (
                        k.clone(),
                        Score {
                            right: t.right,
                            total: t.total,
                        },
                    )
                })
                .collect(),
            minutes: e.minutes,
            auto_submitted: e.auto_submitted,
            abandoned: e.abandoned,
            answers: exam_answers(&quiz.answers, e),
        })
        .collect()
}

/// The answers of exam `e` in the order asked: an exam's answers carry
/// its start time (older files: they were saved at its submission time).
/// A question with no answer saved (left open in an abandoned exam) is
/// listed as unanswered.
fn exam_answers(answers: &[AnswerRecord], e: &ExamRecord) -> Vec<AnswerResult> {
    let mine: Vec<&AnswerRecord> = answers
        .iter()
        .filter(|a| a.mode == "exam")
        .filter(|a| match a.quiz_started {
            Some(started) => started == e.started_at,
            None => a.at == e.at,
        })
        .collect();
    e.questions
        .iter()
        .map(|q| match mine.iter().rev().find(|a| a.question == *q) {
            Some(a) => answer(a),
            None => AnswerResult {
                question: q.clone(),
                chosen: Vec::new(),
                verdict: None,
                reason: None,
                correct: false,
                unanswered: true,
                at: e.at,
                seconds: 0,
            },
        })
        .collect()
}

fn answer(a: &AnswerRecord) -> AnswerResult {
    AnswerResult {
        question: a.question.clone(),
        chosen: a.chosen.clone(),
        verdict: a.verdict.clone(),
        reason: a.reason.clone(),
        correct: a.correct,
        unanswered: a.unanswered,
        at: a.at,
        seconds: a.seconds,
    }
}

pub(super) fn practice(progress: &Progress, pack: &Pack) -> PracticeResult {
    let mut practice = PracticeResult {
        right: 0,
        total: 0,
        objectives: BTreeMap::new(),
    };
    for a in progress.quiz.answers.iter().filter(|a| a.mode != "exam") {
        practice.total += 1;
        practice.right += u32::from(a.correct);
        for o in pack
            .question(&a.question)
            .map(|q| q.objectives.as_slice())
            .unwrap_or_default()
        {
            let s = practice
                .objectives
                .entry(o.clone())
                .or_insert(Score { right: 0, total: 0 });
            s.total += 1;
            s.right += u32::from(a.correct);
        }
    }
    practice
}

/// Checkpoints answered, in course order (ids no longer in the pack
/// after them, by id).
pub(super) fn checkpoints(progress: &Progress, pack: &Pack) -> Vec<ItemResult> {
    let in_course: Vec<&str> = pack
        .lessons
        .iter()
        .flat_map(|l| &l.sections)
        .flat_map(|s| &s.checkpoints)
        .map(|q| q.id.as_str())
        .collect();
    let mut ids: Vec<&str> = in_course
        .iter()
        .copied()
        .filter(|id| progress.checkpoints.contains_key(*id))
        .collect();
    ids.extend(
        progress
            .checkpoints
            .keys()
            .map(String::as_str)
            .filter(|id| !in_course.contains(id) && pack.question(id).is_none()),
    );
    ids.into_iter()
        .filter_map(|id| {
            let r = progress.checkpoints.get(id)?;
            Some(checkpoint(id, r))
        })
        .collect()
}

fn checkpoint(id: &str, r: &CheckpointRecord) -> ItemResult {
    let mk = |chosen: &[usize], correct: bool, at: u64| AnswerResult {
        question: id.to_string(),
        chosen: chosen.to_vec(),
        verdict: None,
        reason: None,
        correct,
        unanswered: false,
        at,
        seconds: 0,
    };
    let first = match &r.first {
        Some(f) => Some(mk(&f.chosen, f.correct, f.at)),
        None if r.attempts <= 1 => Some(mk(&r.chosen, r.correct, r.at)),
        None => None,
    };
    ItemResult {
        id: id.to_string(),
        attempts: r.attempts.max(1),
        first,
        last: mk(&r.chosen, r.correct, r.at),
    }
}

/// Bank questions answered in any mode, in bank order (ids no longer in
/// the bank after them, in the order first answered).
pub(super) fn questions(progress: &Progress, pack: &Pack) -> Vec<ItemResult> {
    let mut order: Vec<&str> = pack.questions.iter().map(|q| q.id.as_str()).collect();
    for a in &progress.quiz.answers {
        if !order.contains(&a.question.as_str()) {
            order.push(&a.question);
        }
    }
    order
        .into_iter()
        .filter_map(|id| {
            let mut mine = progress
                .quiz
                .answers
                .iter()
                .filter(|a| a.question == id && !a.unanswered);
            let first = mine.next()?;
            let (count, last) = mine.fold((1u32, first), |(n, _), a| (n.saturating_add(1), a));
            Some(ItemResult {
                id: id.to_string(),
                attempts: count,
                first: Some(answer(first)),
                last: answer(last),
            })
        })
        .collect()
}

/// An answer as text: choice letters in the file's order (`a`, `b,d`),
/// or the verdict and reason of a policy question (`deny/implicit_deny`);
/// empty when unanswered.
pub fn answer_text(a: &AnswerResult) -> String {
    if a.unanswered {
        return String::new();
    }
    if let Some(v) = &a.verdict {
        return match &a.reason {
            Some(r) => format!("{v}/{r}"),
            None => v.clone(),
        };
    }
    a.chosen
        .iter()
        .map(|i| choice_letter(*i))
        .collect::<Vec<_>>()
        .join(",")
}

/// `a` for choice 0, `b` for 1 ... `z`, then `27` and on.
pub(crate) fn choice_letter(i: usize) -> String {
    match u8::try_from(i) {
        Ok(n) if n < 26 => char::from(b'a' + n).to_string(),
        _ => (i + 1).to_string(),
    }
}
