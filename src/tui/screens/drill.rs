//! A generated drill (`src/core/drill`): its world as a scenario file
//! above, the question below. ALLOW/DENY and then the reason for a
//! verdict question, a letter for the others; each answer is checked at
//! once against the engine's, and a finished drill is saved to progress
//! under `drill:<misconception-id>`. `n` starts the next drill.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Ctx, EventResult, Screen};
use crate::core::drill::{self, Answer, Drill, Kind, Options};
use crate::core::progress::change::Change;
use crate::core::quiz::AnswerRecord;
use crate::core::quiz::labels::{DENY_REASONS, letter, reason_label};
use crate::core::world::{Reason, Verdict};
use crate::tui::action::Action;
use crate::tui::keymap::ScreenId;
use crate::tui::widgets::wrap::wrap;

/// Where the learner is in the question on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for an answer.
    Asking,
    /// DENY chosen; waiting for the reason.
    Reason,
    /// Answered: right or not.
    Shown(bool),
}

/// The drill screen.
pub struct DrillScreen {
    options: Options,
    /// Misconceptions to bring back first (missed or due), one per drill.
    review: std::collections::VecDeque<&'static str>,
    seed: u64,
    drill: Option<Drill>,
    /// Why no drill could be made.
    problem: Option<String>,
    question: usize,
    phase: Phase,
    given: Option<Answer>,
    all_right: bool,
    verdict: Option<(Verdict, Option<Reason>)>,
    chosen: Vec<usize>,
    saved: bool,
    scroll: u16,
    started: Option<u64>,
}

impl DrillScreen {
    /// The drill for `seed` at `level`.
    pub fn new(seed: u64, level: u8) -> Self {
        Self::with_options(
            seed,
            Options {
                level,
                ..Options::default()
            },
        )
    }

    /// The drill for `seed` with `options` (level, objective).
    pub fn with_options(seed: u64, options: Options) -> Self {
        let mut s = DrillScreen {
            options,
            review: std::collections::VecDeque::new(),
            seed,
            drill: None,
            problem: None,
            question: 0,
            phase: Phase::Asking,
            given: None,
            all_right: true,
            verdict: None,
            chosen: Vec::new(),
            saved: false,
            scroll: 0,
            started: None,
        };
        s.load();
        s
    }

    /// As [`Self::with_options`], but the first drills bring back the
    /// misconceptions in `review`, one each.
    pub fn reviewing(seed: u64, options: Options, review: Vec<&'static str>) -> Self {
        let mut s = Self::with_options(seed, options);
        if !review.is_empty() {
            s.review = review.into();
            s.load();
        }
        s
    }

    fn load(&mut self) {
        let mut options = self.options.clone();
        if let Some(id) = self.review.pop_front() {
            options.misconception = Some(id.to_string());
        }
        match drill::generate(self.seed, &options) {
            Ok(d) => {
                self.drill = Some(d);
                self.problem = None;
            }
            Err(e) => {
                self.drill = None;
                self.problem = Some(e.to_string());
            }
        }
        self.question = 0;
        self.phase = Phase::Asking;
        self.given = None;
        self.all_right = true;
        self.verdict = None;
        self.chosen.clear();
        self.saved = false;
        self.scroll = 0;
    }

    /// The drill on screen.
    pub fn drill(&self) -> Option<&Drill> {
        self.drill.as_ref()
    }

    fn finished(&self) -> bool {
        self.drill
            .as_ref()
            .is_some_and(|d| self.question + 1 >= d.questions.len())
            && matches!(self.phase, Phase::Shown(_))
    }

    fn answer(&mut self, given: Answer) {
        let Some(d) = &self.drill else { return };
        let Some(q) = d.questions.get(self.question) else {
            return;
        };
        let ok = q.check(&given);
        self.all_right &= ok;
        match &given {
            Answer::Verdict(v, r) => {
                self.verdict = Some((*v, (*v == Verdict::Deny).then_some(*r)));
            }
            Answer::Choice(c) => self.chosen.push(*c),
        }
        self.given = Some(given);
        self.phase = Phase::Shown(ok);
    }

    fn choose(&mut self, i: usize) -> EventResult {
        let Some(d) = &self.drill else {
            return EventResult::Ignored;
        };
        let Some(q) = d.questions.get(self.question) else {
            return EventResult::Ignored;
        };
        match (self.phase, q.kind) {
            (Phase::Asking, Kind::Verdict) if i == 0 => {
                self.answer(Answer::Verdict(Verdict::Allow, Reason::Allowed))
            }
            (Phase::Asking, Kind::Verdict) if i == 1 => self.phase = Phase::Reason,
            (Phase::Reason, _) if i < DENY_REASONS.len() => {
                self.answer(Answer::Verdict(Verdict::Deny, DENY_REASONS[i]))
            }
            (Phase::Asking, _) if i < q.choices.len() && q.kind != Kind::Verdict => {
                self.answer(Answer::Choice(i))
            }
            _ => return EventResult::Ignored,
        }
        EventResult::Changed
    }

    /// The record of the drill so far, once (`None` before any answer or
    /// once saved).
    fn record(&mut self, now: u64) -> Option<Action> {
        let d = self.drill.as_ref()?;
        if self.saved || self.verdict.is_none() {
            return None;
        }
        self.saved = true;
        let mut extra = serde_json::Map::new();
        extra.insert("drill_seed".into(), d.seed.into());
        extra.insert("drill_level".into(), d.level.into());
        Some(Action::Save(Change::QuizAnswers(vec![AnswerRecord {
            question: d.progress_id(),
            at: now,
            mode: "drill".into(),
            chosen: self.chosen.clone(),
            verdict: self.verdict.map(|(v, _)| v.code().to_string()),
            reason: self
                .verdict
                .and_then(|(_, r)| r)
                .map(|r| r.code().to_string()),
            correct: self.all_right,
            quiz_started: Some(*self.started.get_or_insert(now)),
            unanswered: false,
            seconds: 0,
            extra,
        }])))
    }

    fn next(&mut self, ctx: &Ctx) -> EventResult {
        let Some(d) = &self.drill else {
            return EventResult::Ignored;
        };
        if !matches!(self.phase, Phase::Shown(_)) {
            return EventResult::Ignored;
        }
        if self.question + 1 < d.questions.len() {
            self.question += 1;
            self.phase = Phase::Asking;
            self.given = None;
            return EventResult::Changed;
        }
        let save = self.record(ctx.now);
        self.seed = self.seed.wrapping_add(1);
        self.load();
        match save {
            Some(a) => EventResult::Emit(vec![a]),
            None => EventResult::Changed,
        }
    }

    fn question_lines(&self, ctx: &Ctx, width: usize) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let mut out = Vec::new();
        let Some(d) = &self.drill else {
            return vec![Line::styled(
                self.problem.clone().unwrap_or_default(),
                t.warn,
            )];
        };
        let Some(q) = d.questions.get(self.question) else {
            return out;
        };
        let para = |out: &mut Vec<Line<'static>>, text: &str, style, lead: &str| {
            out.extend(wrap(
                &[(ctx.text(text), style)],
                width,
                &[Span::styled(lead.to_string(), t.strong)],
                &[Span::raw(" ".repeat(lead.chars().count()))],
            ));
        };
        let head = format!("Question {} of {}: ", self.question + 1, d.questions.len());
        para(&mut out, &q.stem, t.emph, &head);
        match (q.kind, self.phase) {
            (Kind::Verdict, Phase::Asking) => {
                out.push(Line::styled("  a) ALLOW    b) DENY", t.strong));
            }
            (Kind::Verdict, Phase::Reason) => {
                out.push(Line::styled("  DENY. Why?", t.strong));
                for (i, r) in DENY_REASONS.iter().enumerate() {
                    para(&mut out, reason_label(*r), t.dim, &format!("  {}) ", i + 1));
                }
            }
            (Kind::Verdict, Phase::Shown(_)) => {}
            _ => {
                for (i, c) in q.choices.iter().enumerate() {
                    let mark = match (self.phase, &self.given, &q.answer) {
                        (Phase::Shown(_), _, Answer::Choice(r)) if *r == i => t.ok,
                        (Phase::Shown(_), Some(Answer::Choice(g)), _) if *g == i => t.warn,
                        _ => t.dim,
                    };
                    para(&mut out, c, mark, &format!("  {}) ", letter(i)));
                }
            }
        }
        if let Phase::Shown(ok) = self.phase {
            let (word, style) = if ok {
                (ctx.sym("✓ Right.", "Right."), t.ok)
            } else {
                (ctx.sym("✗ Not quite.", "Not quite."), t.warn)
            };
            let body = match (&q.answer, &self.given) {
                (Answer::Verdict(v, r), _) => {
                    let what = if *v == Verdict::Allow {
                        "ALLOW".to_string()
                    } else {
                        format!("DENY ({})", reason_label(*r))
                    };
                    if d.questions.len() == 1 {
                        format!("The engine says {what}. {}", d.explanation)
                    } else {
                        format!("The engine says {what}.")
                    }
                }
                (Answer::Choice(r), Some(Answer::Choice(g))) => {
                    let mut s = q.feedback.get(*g).cloned().unwrap_or_default();
                    if g != r {
                        s.push_str(&format!(
                            " The answer is {}): {}",
                            letter(*r),
                            q.feedback.get(*r).cloned().unwrap_or_default()
                        ));
                    }
                    s
                }
                _ => String::new(),
            };
            out.extend(wrap(
                &[(ctx.text(&body), t.emph)],
                width,
                &[Span::styled(format!("{word} "), style)],
                &[Span::raw("  ")],
            ));
            if self.finished() {
                if d.questions.len() > 1 {
                    para(&mut out, &d.explanation, t.emph, "The engine: ");
                }
                para(
                    &mut out,
                    d.misconception.lesson,
                    t.strong,
                    "What this drill shows: ",
                );
                out.push(Line::styled("Enter or n: the next drill.", t.dim));
            } else {
                out.push(Line::styled("Enter or n: the next question.", t.dim));
            }
        }
        out
    }
}

impl Screen for DrillScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Drill
    }

    fn on_action(&mut self, action: Action, ctx: &Ctx) -> EventResult {
        match action {
            Action::Choose(i) => self.choose(i),
            Action::Enter | Action::NextSection => self.next(ctx),
            Action::EditPolicies => match self
                .drill
                .as_ref()
                .and_then(|d| Some((d.lab_id(), d.lab_scenario()?)))
            {
                Some((id, text)) => EventResult::Emit(vec![Action::DrillLab { id, text }]),
                None => EventResult::Ignored,
            },
            Action::Up => {
                self.scroll = self.scroll.saturating_sub(1);
                EventResult::Changed
            }
            Action::Down => {
                self.scroll = self.scroll.saturating_add(1);
                EventResult::Changed
            }
            Action::PageUp => {
                self.scroll = self.scroll.saturating_sub(10);
                EventResult::Changed
            }
            Action::PageDown => {
                self.scroll = self.scroll.saturating_add(10);
                EventResult::Changed
            }
            Action::Back => {
                let mut out: Vec<Action> = self.record(ctx.now).into_iter().collect();
                out.push(Action::Close);
                EventResult::Emit(out)
            }
            _ => EventResult::Ignored,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.theme;
        let level = self.options.level.max(1);
        Line::from(vec![
            Span::styled(" Drill ", t.heading),
            Span::styled(
                format!(
                    " {} level {level} {} seed {}",
                    ctx.sym("·", "-"),
                    ctx.sym("·", "-"),
                    self.seed
                ),
                t.dim,
            ),
        ])
        .render(Rect::new(area.x, area.y, area.width, 1), buf);
        let width = usize::from(area.width.saturating_sub(2)).max(10);
        let question = self.question_lines(ctx, width);
        let bottom = area.y + area.height.saturating_sub(1);
        let q_h = u16::try_from(question.len())
            .unwrap_or(u16::MAX)
            .min(area.height.saturating_sub(6));
        let q_top = bottom.saturating_sub(q_h);
        let world_top = area.y + 2;
        let world_h = q_top.saturating_sub(world_top + 1);
        if let Some(d) = &self.drill {
            let objective = ctx
                .pack
                .objective(d.misconception.objective)
                .map_or(d.misconception.objective.to_string(), |o| o.title.clone());
            Line::styled(
                crate::tui::widgets::text::truncate(
                    &format!("Objective: {objective}"),
                    width,
                    ctx.ascii,
                ),
                t.dim,
            )
            .render(
                Rect::new(area.x + 1, area.y + 1, area.width.saturating_sub(1), 1),
                buf,
            );
            let lines: Vec<Line<'static>> = d
                .world
                .toml(None)
                .lines()
                .map(|l| {
                    Line::raw(crate::tui::widgets::text::truncate(
                        &ctx.text(l),
                        width,
                        ctx.ascii,
                    ))
                })
                .collect();
            super::render_scrolled(
                lines,
                Rect::new(area.x + 1, world_top, area.width.saturating_sub(1), world_h),
                self.scroll,
                buf,
            );
        }
        super::render_scrolled(
            question,
            Rect::new(area.x + 1, q_top, area.width.saturating_sub(1), q_h),
            0,
            buf,
        );
        super::hint_bar(self.keymap(), area, buf, ctx);
    }
}
