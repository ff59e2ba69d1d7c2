//! Questions: the bank (`questions/*.toml`) and lesson checkpoints, each
//! checked by its kind's rules and converted.

use std::collections::HashSet;

use toml::Spanned;

use super::raw::{RawBank, RawQuestion};
use super::{Loader, check_id, did_you_mean, parse_file};
use crate::core::content::{Question, QuestionKind};
use crate::core::diag::Diagnostic;
use crate::core::world::sink::DiagSink;

impl Loader<'_> {
    /// The question bank: every question also needs objectives and a
    /// difficulty.
    pub(super) fn load_bank(&mut self) {
        let files = self.files;
        for i in self.kinds.questions.clone() {
            let Some(f) = files.get(i) else { continue };
            let cx = DiagSink::new(&f.display, &f.text);
            let Some(raw) = parse_file::<RawBank>(&cx, &mut self.out) else {
                continue;
            };
            for q in raw.questions {
                self.question_ids.add("question", &q.id, &cx, &mut self.out);
                self.check_objectives(&q.objectives, &cx);
                if q.kind.get_ref() == "policy" {
                    let (line, column) = cx.locate(q.explanation.span().start);
                    self.explanation_at
                        .insert(q.id.get_ref().clone(), (f.display.clone(), line, column));
                }
                if q.objectives.is_empty() {
                    self.out.push(cx.diag_error(
                        q.id.span().start,
                        format!("question {:?} has no objectives", q.id.get_ref()),
                    ));
                }
                let mut qx = QuestionCx {
                    cx: &cx,
                    checkpoint: false,
                    file: i,
                    out: &mut self.out,
                    pending_scenarios: &mut self.pending_scenarios,
                };
                if let Some(q) = qx.question(q) {
                    self.pack.questions.push(q);
                }
            }
        }
    }
}

/// The kind a question with an unknown `kind` looks like: a policy
/// question if it names a scenario, multiple if it has `pick`, true/false
/// without choices, else single.
fn guess_kind(q: &RawQuestion, checkpoint: bool) -> QuestionKind {
    if q.scenario.is_some() && !checkpoint {
        QuestionKind::Policy
    } else if q.pick.is_some() {
        QuestionKind::Multiple
    } else if q.choices.is_none() {
        QuestionKind::TrueFalse
    } else {
        QuestionKind::Single
    }
}

/// What checking one question needs: its file, whether it is a lesson
/// checkpoint, and where its problems and scenario references go.
pub(super) struct QuestionCx<'a, 'f> {
    /// The question's file.
    pub(super) cx: &'a DiagSink<'f>,
    /// A lesson checkpoint (no policy kind, difficulty optional).
    pub(super) checkpoint: bool,
    /// The file's index, for scenario references checked later.
    pub(super) file: usize,
    /// Problems found.
    pub(super) out: &'a mut Vec<Diagnostic>,
    /// Scenario names of policy questions, checked once every file is read.
    pub(super) pending_scenarios: &'a mut Vec<(usize, Spanned<String>)>,
}

impl QuestionCx<'_, '_> {
    fn error(&mut self, offset: usize, message: impl Into<String>) {
        let d = self.cx.diag_error(offset, message);
        self.out.push(d);
    }

    /// Checks one question and converts it; `None` (with diagnostics) if it
    /// cannot be used.
    pub(super) fn question(&mut self, q: RawQuestion) -> Option<Question> {
        let before = self.out.len();
        let id = q.id.get_ref().clone();
        check_id("question", &q.id, self.cx, self.out);
        // An unknown kind is reported; the other fields are still checked
        // as the kind they look like, so one run shows every problem.
        let kind = self
            .kind(&q)
            .unwrap_or_else(|| guess_kind(&q, self.checkpoint));
        let id_at = q.id.span().start;
        let (line, _) = self.cx.locate(id_at);
        let mut choices: Vec<String> = q
            .choices
            .as_ref()
            .map(|c| c.get_ref().clone())
            .unwrap_or_default();
        let answer: Vec<usize> = q
            .answer
            .as_ref()
            .map(|a| a.get_ref().clone())
            .unwrap_or_default();
        let mut pick = 1;
        if kind == QuestionKind::Policy {
            self.policy_fields(&q, &id);
        } else {
            choices = self.choice_fields(&q, kind, &id, choices);
            self.answer_fields(&q, &id, &answer, choices.len());
            pick = self.pick_field(&q, kind, &id, &answer);
        }
        let difficulty = self.difficulty(&q, &id);
        if q.prompt.trim().is_empty() {
            self.error(id_at, format!("question {id:?} has an empty prompt"));
        }
        if q.explanation.get_ref().trim().is_empty() {
            self.error(id_at, format!("question {id:?} has an empty explanation"));
        }
        if self.out.len() > before {
            return None;
        }
        Some(Question {
            id,
            kind,
            prompt: q.prompt,
            choices,
            answer,
            pick,
            explanation: q.explanation.into_inner(),
            objectives: q.objectives.into_iter().map(Spanned::into_inner).collect(),
            difficulty,
            source: q.source,
            scenario: q.scenario.map(Spanned::into_inner),
            policy: None,
            ask_reason: q.ask_reason.is_some_and(|a| *a.get_ref()),
            path: self.cx.path().to_string(),
            line,
        })
    }

    /// The question's kind; `None` (reported) for an unknown kind or a
    /// policy question used as a checkpoint.
    fn kind(&mut self, q: &RawQuestion) -> Option<QuestionKind> {
        let at = q.kind.span().start;
        match q.kind.get_ref().as_str() {
            "single" => Some(QuestionKind::Single),
            "multiple" => Some(QuestionKind::Multiple),
            "truefalse" => Some(QuestionKind::TrueFalse),
            "policy" if !self.checkpoint => Some(QuestionKind::Policy),
            "policy" => {
                self.error(
                    at,
                    "a checkpoint cannot be a policy question; use single, multiple or truefalse",
                );
                None
            }
            other => {
                let kinds = ["single", "multiple", "truefalse", "policy"];
                let allowed = if self.checkpoint {
                    &kinds[..3]
                } else {
                    &kinds[..]
                };
                let mut d = self.cx.diag_error(
                    at,
                    format!(
                        "unknown question kind {other:?}; use single, multiple, truefalse{}",
                        if self.checkpoint { "" } else { " or policy" }
                    ),
                );
                let hint = did_you_mean(other, allowed.iter().copied(), "");
                if !hint.is_empty() {
                    d = d.with_hint(hint);
                }
                self.out.push(d);
                None
            }
        }
    }

    /// A policy question: a scenario, and no choices or answer (the engine
    /// computes it).
    fn policy_fields(&mut self, q: &RawQuestion, id: &str) {
        if let Some(c) = &q.choices {
            self.error(
                c.span().start,
                "policy questions have no choices: the learner answers ALLOW or DENY",
            );
        }
        if let Some(a) = &q.answer {
            self.error(
                a.span().start,
                "policy questions have no `answer`: the policy engine computes it from the scenario",
            );
        }
        match &q.scenario {
            Some(s) => self.pending_scenarios.push((self.file, s.clone())),
            None => self.error(
                q.id.span().start,
                format!("policy question {id:?} needs `scenario`"),
            ),
        }
    }

    /// A choice question's choices (True and False for truefalse); policy
    /// fields are refused.
    fn choice_fields(
        &mut self,
        q: &RawQuestion,
        kind: QuestionKind,
        id: &str,
        choices: Vec<String>,
    ) -> Vec<String> {
        if let Some(s) = &q.scenario {
            self.error(
                s.span().start,
                "`scenario` is only for kind = \"policy\" questions",
            );
        }
        if let Some(a) = &q.ask_reason {
            self.error(
                a.span().start,
                "`ask_reason` is only for kind = \"policy\" questions",
            );
        }
        if kind == QuestionKind::TrueFalse {
            if let Some(c) = &q.choices {
                self.error(
                    c.span().start,
                    "truefalse questions take no `choices` (they are always True and False)",
                );
            }
            return vec!["True".to_string(), "False".to_string()];
        }
        let mut seen = HashSet::new();
        for c in &choices {
            if !seen.insert(c.trim()) {
                self.error(
                    q.choices
                        .as_ref()
                        .map_or(q.id.span().start, |c| c.span().start),
                    format!("question {id:?} lists the choice {:?} twice", c.trim()),
                );
            }
        }
        if choices.len() < 2 {
            self.error(
                q.choices
                    .as_ref()
                    .map_or(q.id.span().start, |c| c.span().start),
                format!("question {id:?} needs at least two choices"),
            );
        }
        choices
    }

    /// `answer`: present, in range, no index twice.
    fn answer_fields(&mut self, q: &RawQuestion, id: &str, answer: &[usize], choices: usize) {
        let answer_at = q
            .answer
            .as_ref()
            .map_or(q.id.span().start, |a| a.span().start);
        if q.answer.is_none() {
            self.error(
                q.id.span().start,
                format!("question {id:?} has no `answer`"),
            );
        }
        for &a in answer {
            if a >= choices {
                self.error(
                    answer_at,
                    format!(
                        "answer index {a} is out of range: there are {choices} choices (indexes 0 to {})",
                        choices.saturating_sub(1)
                    ),
                );
            }
        }
        let distinct: HashSet<usize> = answer.iter().copied().collect();
        if distinct.len() != answer.len() {
            self.error(answer_at, "`answer` lists the same index twice");
        }
    }

    /// `pick` for a multiple-answer question (it must equal the number of
    /// answers); other kinds have exactly one answer and no `pick`.
    fn pick_field(
        &mut self,
        q: &RawQuestion,
        kind: QuestionKind,
        id: &str,
        answer: &[usize],
    ) -> usize {
        let answer_at = q
            .answer
            .as_ref()
            .map_or(q.id.span().start, |a| a.span().start);
        if kind == QuestionKind::Multiple {
            let Some(p) = &q.pick else {
                let d = self
                    .cx
                    .diag_error(
                        q.id.span().start,
                        format!("multiple-answer question {id:?} needs `pick`"),
                    )
                    .with_hint(format!("pick = {} (the number of answers)", answer.len()));
                self.out.push(d);
                return 1;
            };
            let pick = *p.get_ref();
            if pick != answer.len() {
                self.error(
                    p.span().start,
                    format!("pick = {pick} but `answer` lists {} choices", answer.len()),
                );
            }
            return pick;
        }
        if let Some(p) = &q.pick {
            self.error(
                p.span().start,
                "`pick` is only for kind = \"multiple\" questions",
            );
        }
        if q.answer.is_some() && answer.len() != 1 {
            self.error(
                answer_at,
                format!(
                    "a {} question has exactly one answer, found {}",
                    kind.name(),
                    answer.len()
                ),
            );
        }
        1
    }

    /// 1 to 3; a bank question must give it, a checkpoint defaults to 1.
    fn difficulty(&mut self, q: &RawQuestion, id: &str) -> u8 {
        match &q.difficulty {
            Some(d) if !(1..=3).contains(d.get_ref()) => {
                self.error(
                    d.span().start,
                    format!("difficulty must be 1, 2 or 3, not {}", d.get_ref()),
                );
                1
            }
            Some(d) => *d.get_ref(),
            None if self.checkpoint => 1,
            None => {
                self.error(
                    q.id.span().start,
                    format!("question {id:?} needs `difficulty` (1 to 3)"),
                );
                1
            }
        }
    }
}
