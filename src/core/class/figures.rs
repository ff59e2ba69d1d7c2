//! The class figures: one row per student with the class exam, and the
//! item analysis of that exam (facility index and wrong answers per
//! question, per-objective scores), and where each lab stands.

use std::collections::BTreeMap;

use crate::core::content::{Pack, QuestionKind};
use crate::core::progress::export::{
    AnswerResult, ExamResult, LabResult, Report, Score, answer_text,
};

/// Everything `keyshake class report` shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// The class exam's seed (`None`: each student's latest exam).
    pub seed: Option<u64>,
    /// One row per student, in profile order.
    pub rows: Vec<Row>,
    /// Per question of the class exam, in the order asked.
    pub questions: Vec<QuestionFigure>,
    /// Per objective, over the class exams taken.
    pub objectives: Vec<(String, Score)>,
    /// Per lab, in pack order (of the first student's export).
    pub labs: Vec<LabFigure>,
}

/// One student.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The profile.
    pub profile: String,
    /// The class exam as this student took it (the first submitted
    /// attempt with the seed; an abandoned one when none was submitted).
    pub exam: Option<ExamResult>,
    /// Attempts at the class exam (submitted and abandoned).
    pub attempts: usize,
    /// Each lab, in the order of [`Figures::labs`].
    pub labs: Vec<LabResult>,
    /// Checkpoints right at the first try, out of all the pack's.
    pub checkpoints: Score,
}

/// One question of the class exam.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionFigure {
    /// The question id.
    pub id: String,
    /// Students who answered it right, out of those whose submitted exam
    /// asked it (unanswered counts as wrong).
    pub score: Score,
    /// Each wrong answer given, with how many gave it, the most common
    /// first (ties in answer order): `b (the choice's text)`, `allow`,
    /// `(no answer)`.
    pub wrong: Vec<(String, u32)>,
}

impl QuestionFigure {
    /// The facility index: the share of students right, 0 to 1 (`None`
    /// when nobody was asked).
    pub fn facility(&self) -> Option<f64> {
        (self.score.total > 0).then(|| f64::from(self.score.right) / f64::from(self.score.total))
    }
}

/// One lab across the class.
#[derive(Debug, Clone, PartialEq)]
pub struct LabFigure {
    /// Lab id.
    pub id: String,
    /// Lab title.
    pub title: String,
    /// Students who solved it, are working on it, have not started.
    pub solved: u32,
    /// See `solved`.
    pub in_progress: u32,
    /// See `solved`.
    pub not_started: u32,
    /// Each goal not met by a student who started the lab, with those
    /// students' profiles.
    pub failing: Vec<(String, Vec<String>)>,
}

/// How many of the most missed questions the report lists.
pub const MOST_MISSED: usize = 3;

impl Figures {
    /// The figures of `students` for the exam with `seed` (`None`: the
    /// seed most students' exams share, else each one's latest exam).
    /// `pack` gives choice texts and answer keys when it has the question.
    pub fn new(students: &[Report], seed: Option<u64>, pack: Option<&Pack>) -> Figures {
        let seed = seed.or_else(|| common_seed(students));
        let mut rows: Vec<Row> = students
            .iter()
            .map(|s| {
                let mine: Vec<&ExamResult> = s
                    .exams
                    .iter()
                    .filter(|e| seed.is_none() || e.seed == seed)
                    .collect();
                let exam = if seed.is_some() {
                    mine.iter()
                        .find(|e| !e.abandoned)
                        .or_else(|| mine.first())
                        .map(|e| (*e).clone())
                } else {
                    mine.iter()
                        .rev()
                        .find(|e| !e.abandoned)
                        .map(|e| (*e).clone())
                };
                let first = s
                    .lessons
                    .iter()
                    .map(|l| l.checkpoints_first_try)
                    .sum::<usize>();
                let total = s.lessons.iter().map(|l| l.checkpoints_total).sum::<usize>();
                Row {
                    profile: s.profile.clone(),
                    exam,
                    attempts: if seed.is_some() {
                        mine.len()
                    } else {
                        s.exams.len()
                    },
                    labs: s.labs.clone(),
                    checkpoints: Score {
                        right: u32::try_from(first).unwrap_or(u32::MAX),
                        total: u32::try_from(total).unwrap_or(u32::MAX),
                    },
                }
            })
            .collect();
        rows.sort_by(|a, b| a.profile.cmp(&b.profile));
        let taken: Vec<&ExamResult> = rows
            .iter()
            .filter_map(|r| r.exam.as_ref())
            .filter(|e| !e.abandoned)
            .collect();
        Figures {
            seed,
            questions: questions(&taken, pack),
            objectives: objectives(&taken),
            labs: labs(&rows),
            rows,
        }
    }

    /// The questions most often missed: the lowest facility first (ties
    /// in exam order), only those some student got wrong, at most
    /// [`MOST_MISSED`].
    pub fn most_missed(&self) -> Vec<&QuestionFigure> {
        let mut missed: Vec<&QuestionFigure> = self
            .questions
            .iter()
            .filter(|q| q.score.right < q.score.total)
            .collect();
        // right/total ascending, compared without rounding.
        missed.sort_by(|a, b| {
            (u64::from(a.score.right) * u64::from(b.score.total))
                .cmp(&(u64::from(b.score.right) * u64::from(a.score.total)))
        });
        missed.truncate(MOST_MISSED);
        missed
    }
}

/// The seed shared by the most students' exams (ties: the larger count
/// of exams, then the smaller seed); `None` when no exam has a seed.
fn common_seed(students: &[Report]) -> Option<u64> {
    let mut by_seed: BTreeMap<u64, (usize, usize)> = BTreeMap::new();
    for s in students {
        let mut seen = Vec::new();
        for seed in s.exams.iter().filter_map(|e| e.seed) {
            let entry = by_seed.entry(seed).or_default();
            entry.1 += 1;
            if !seen.contains(&seed) {
                seen.push(seed);
                entry.0 += 1;
            }
        }
    }
    by_seed
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(seed, _)| seed)
}

fn questions(taken: &[&ExamResult], pack: Option<&Pack>) -> Vec<QuestionFigure> {
    let mut order: Vec<&str> = Vec::new();
    for e in taken {
        for a in &e.answers {
            if !order.contains(&a.question.as_str()) {
                order.push(&a.question);
            }
        }
    }
    order
        .into_iter()
        .map(|id| {
            let answers: Vec<&AnswerResult> = taken
                .iter()
                .filter_map(|e| e.answers.iter().find(|a| a.question == id))
                .collect();
            let mut wrong: Vec<(String, u32)> = Vec::new();
            for a in answers.iter().filter(|a| !a.correct) {
                let label = label(a, pack);
                match wrong.iter_mut().find(|(l, _)| *l == label) {
                    Some((_, n)) => *n += 1,
                    None => wrong.push((label, 1)),
                }
            }
            wrong.sort_by_key(|w| std::cmp::Reverse(w.1));
            QuestionFigure {
                id: id.to_string(),
                score: Score {
                    right: u32::try_from(answers.iter().filter(|a| a.correct).count())
                        .unwrap_or(u32::MAX),
                    total: u32::try_from(answers.len()).unwrap_or(u32::MAX),
                },
                wrong,
            }
        })
        .collect()
}

/// A wrong answer as the report names it: the choice letters in the
/// question file's order with the choice text when the pack has the
/// question (`b (kms:Decrypt only)`), `deny/explicit_deny`, or
/// `(no answer)`.
fn label(a: &AnswerResult, pack: Option<&Pack>) -> String {
    if a.unanswered {
        return "(no answer)".to_string();
    }
    let text = answer_text(a);
    let Some(q) = pack.and_then(|p| p.question(&a.question)) else {
        return text;
    };
    if q.kind == QuestionKind::Policy || a.chosen.is_empty() {
        return text;
    }
    let names: Vec<&str> = a
        .chosen
        .iter()
        .filter_map(|i| q.choices.get(*i).map(String::as_str))
        .collect();
    format!("{text} ({})", names.join(" + "))
}

fn objectives(taken: &[&ExamResult]) -> Vec<(String, Score)> {
    let mut by: BTreeMap<String, Score> = BTreeMap::new();
    for e in taken {
        for (o, s) in &e.objectives {
            let t = by.entry(o.clone()).or_insert(Score { right: 0, total: 0 });
            t.right = t.right.saturating_add(s.right);
            t.total = t.total.saturating_add(s.total);
        }
    }
    by.into_iter().collect()
}

fn labs(rows: &[Row]) -> Vec<LabFigure> {
    let mut out: Vec<LabFigure> = Vec::new();
    for row in rows {
        for l in &row.labs {
            let at = match out.iter().position(|f| f.id == l.id) {
                Some(at) => at,
                None => {
                    out.push(LabFigure {
                        id: l.id.clone(),
                        title: l.title.clone(),
                        solved: 0,
                        in_progress: 0,
                        not_started: 0,
                        failing: Vec::new(),
                    });
                    out.len() - 1
                }
            };
            let f = &mut out[at];
            match l.status.as_str() {
                "solved" => f.solved += 1,
                "in_progress" => f.in_progress += 1,
                _ => {
                    f.not_started += 1;
                    continue;
                }
            }
            for g in l.goals.iter().filter(|g| !g.met) {
                match f.failing.iter_mut().find(|(goal, _)| *goal == g.goal) {
                    Some((_, who)) => who.push(row.profile.clone()),
                    None => f.failing.push((g.goal.clone(), vec![row.profile.clone()])),
                }
            }
        }
    }
    out
}
