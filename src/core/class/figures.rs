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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::progress::export::{GoalResult, PackRef, PracticeResult};

    fn answer(q: &str, correct: bool, chosen: &[usize]) -> AnswerResult {
        AnswerResult {
            question: q.into(),
            chosen: chosen.to_vec(),
            verdict: None,
            reason: None,
            correct,
            unanswered: false,
            at: 0,
            seconds: 0,
        }
    }

    fn exam(attempt: usize, seed: u64, answers: Vec<AnswerResult>, abandoned: bool) -> ExamResult {
        let right = u32::try_from(answers.iter().filter(|a| a.correct).count()).unwrap_or(0);
        ExamResult {
            attempt,
            started_at: attempt as u64 * 100,
            submitted_at: attempt as u64 * 100 + 60,
            seed: Some(seed),
            right,
            total: 2,
            percent: right * 50,
            pass_mark: 50,
            passed: right >= 1 && !abandoned,
            objectives: [("o".to_string(), Score { right, total: 2 })].into(),
            minutes: Some(30),
            auto_submitted: false,
            abandoned,
            answers,
        }
    }

    fn lab(status: &str, goals: &[(&str, bool)]) -> LabResult {
        LabResult {
            id: "l".into(),
            title: "Lab".into(),
            status: status.into(),
            hints_used: 0,
            solution_shown: false,
            guided: false,
            started_at: None,
            solved_at: None,
            seconds_to_solve: None,
            goals: goals
                .iter()
                .map(|(g, met)| GoalResult {
                    goal: (*g).into(),
                    met: *met,
                })
                .collect(),
            policies_invalid: false,
        }
    }

    fn student(profile: &str, exams: Vec<ExamResult>, lab: LabResult) -> Report {
        Report {
            schema: 2,
            profile: profile.into(),
            pack: PackRef {
                name: "p".into(),
                version: "1".into(),
                hash: String::new(),
            },
            made_with: None,
            exported_at: 0,
            lessons: Vec::new(),
            labs: vec![lab],
            exams,
            practice: PracticeResult {
                right: 0,
                total: 0,
                objectives: BTreeMap::new(),
            },
            checkpoints: Vec::new(),
            questions: Vec::new(),
        }
    }

    /// Three students; the class exam (seed 7) has questions q1 and q2.
    /// - ann: a practice exam with seed 3, then seed 7 both right, then a
    ///   retake of seed 7 (not counted).
    /// - ben: seed 7 abandoned, then submitted with q1 wrong (choice 2)
    ///   and q2 right.
    /// - cat: only an abandoned seed-7 exam (shown, not counted).
    fn class() -> Vec<Report> {
        vec![
            student(
                "ann",
                vec![
                    exam(1, 3, vec![answer("x", false, &[0])], false),
                    exam(
                        2,
                        7,
                        vec![answer("q1", true, &[1]), answer("q2", true, &[0])],
                        false,
                    ),
                    exam(
                        3,
                        7,
                        vec![answer("q1", false, &[0]), answer("q2", false, &[1])],
                        false,
                    ),
                ],
                lab(
                    "solved",
                    &[("reader decrypts", true), ("intern stays out", true)],
                ),
            ),
            student(
                "ben",
                vec![
                    exam(1, 7, vec![answer("q1", true, &[1])], true),
                    exam(
                        2,
                        7,
                        vec![answer("q1", false, &[2]), answer("q2", true, &[0])],
                        false,
                    ),
                ],
                lab(
                    "in_progress",
                    &[("reader decrypts", true), ("intern stays out", false)],
                ),
            ),
            student(
                "cat",
                vec![exam(1, 7, vec![answer("q1", false, &[2])], true)],
                lab(
                    "not_started",
                    &[("reader decrypts", false), ("intern stays out", true)],
                ),
            ),
        ]
    }

    #[test]
    fn the_class_exam_is_each_students_first_submitted_attempt_with_the_seed() {
        let f = Figures::new(&class(), None, None);
        assert_eq!(f.seed, Some(7), "the seed most students share");
        let picked: Vec<(usize, bool)> = f
            .rows
            .iter()
            .map(|r| {
                r.exam
                    .as_ref()
                    .map_or((0, false), |e| (e.attempt, e.abandoned))
            })
            .collect();
        assert_eq!(picked, vec![(2, false), (2, false), (1, true)]);
        assert_eq!(
            f.rows.iter().map(|r| r.attempts).collect::<Vec<_>>(),
            vec![2, 2, 1]
        );
        // Another seed picks other exams.
        let f3 = Figures::new(&class(), Some(3), None);
        assert_eq!(f3.rows[0].exam.as_ref().map(|e| e.attempt), Some(1));
        assert!(f3.rows[1].exam.is_none());
    }

    #[test]
    fn facility_and_wrong_answers_count_submitted_class_exams_only() {
        let f = Figures::new(&class(), Some(7), None);
        let q: Vec<(&str, Score, Option<f64>)> = f
            .questions
            .iter()
            .map(|q| (q.id.as_str(), q.score, q.facility()))
            .collect();
        // ann and ben submitted: q1 1 of 2 right, q2 2 of 2.
        assert_eq!(
            q,
            vec![
                ("q1", Score { right: 1, total: 2 }, Some(0.5)),
                ("q2", Score { right: 2, total: 2 }, Some(1.0)),
            ]
        );
        assert_eq!(f.questions[0].wrong, vec![("c".to_string(), 1)]);
        assert!(f.questions[1].wrong.is_empty());
        let missed: Vec<&str> = f.most_missed().iter().map(|q| q.id.as_str()).collect();
        assert_eq!(missed, vec!["q1"], "a question nobody missed is not listed");
        assert_eq!(
            f.objectives,
            vec![("o".to_string(), Score { right: 3, total: 4 })]
        );
    }

    #[test]
    fn labs_say_which_goal_fails_for_whom_among_students_who_started() {
        let f = Figures::new(&class(), Some(7), None);
        let l = &f.labs[0];
        assert_eq!((l.solved, l.in_progress, l.not_started), (1, 1, 1));
        assert_eq!(
            l.failing,
            vec![("intern stays out".to_string(), vec!["ben".to_string()])]
        );
    }
}
