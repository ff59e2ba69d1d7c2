//! A quiz being taken: one question at a time. Practice, review and missed
//! questions are checked at once (✓/✗, the explanation and the source);
//! an exam keeps answers until it is submitted, lets the learner move back
//! and forth, flag questions and see the review grid, and shows its timer,
//! which is the only thing in the tutor that ticks.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub use crate::core::quiz::clock_text;
use crate::core::quiz::ranges;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Ctx, EventResult, Screen, hint_bar};
use crate::core::content::QuestionKind;
use crate::core::quiz::labels::{DENY_REASONS, reason_label};
use crate::core::quiz::{Answered, Item, Mode, Response, Session, TimerEvent};
use crate::core::world::Verdict;
use crate::tui::action::{Action, Change};
use crate::tui::keymap::ScreenId;
use crate::tui::widgets::question::{describe, runs_of, source_lines, text_lines};
use crate::tui::widgets::text::capitalise;
use crate::tui::widgets::wrap::wrap;

/// What the learner must confirm with the same key again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Confirm {
    Submit,
    Stop,
}

/// The quiz screen.
#[derive(Debug)]
pub struct QuizScreen {
    session: Session,
    /// Choices toggled on a "choose two" question, not yet submitted.
    picked: Vec<usize>,
    /// A DENY waiting for its reason.
    deny_pending: bool,
    /// Practice modes: the answer to the question on screen was checked
    /// (right or not).
    feedback: Option<bool>,
    /// The scenario file is shown.
    scenario: bool,
    /// The review grid is shown (exam), with its cursor.
    grid: Option<usize>,
    /// The two-minute warning was given.
    warned: bool,
    /// A one-off message (unanswered questions, stop confirmation).
    message: Option<String>,
    confirm: Option<Confirm>,
    scroll: u16,
    /// Lines of the body area at the last layout (for paging).
    page: u16,
}

impl QuizScreen {
    /// Shows the first question of `session`.
    pub fn new(session: Session) -> Self {
        QuizScreen {
            session,
            picked: Vec::new(),
            deny_pending: false,
            feedback: None,
            scenario: false,
            grid: None,
            warned: false,
            message: None,
            confirm: None,
            scroll: 0,
            page: 10,
        }
    }

    /// The quiz being taken.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Whether the two-minute warning is showing.
    pub fn warned(&self) -> bool {
        self.warned
    }

    fn exam(&self) -> bool {
        self.session.mode() == Mode::Exam
    }

    /// A practice session whose last answer was seen: the summary shows.
    fn done(&self) -> bool {
        self.session.end().is_some() && !self.exam() && self.feedback.is_none()
    }

    fn reset_question(&mut self) {
        self.picked.clear();
        self.deny_pending = false;
        self.feedback = None;
        self.scenario = false;
        self.scroll = 0;
    }

    /// Ends a submitted (or timed-out) exam: save every answer and the
    /// result, then show the report.
    fn finish_exam(&mut self) -> EventResult {
        let Some(sub) = self.session.submission() else {
            return EventResult::Emit(vec![Action::Close]);
        };
        EventResult::Emit(vec![
            Action::Save(Change::QuizAnswers(sub.answers)),
            Action::Save(Change::QuizExam(Box::new(sub.exam))),
            Action::QuizReport(Box::new(self.session.clone())),
        ])
    }

    fn timer(&mut self, now: u64) -> Option<EventResult> {
        match self.session.check_timer(now) {
            Some(TimerEvent::Warning { .. }) => {
                self.warned = true;
                None
            }
            Some(TimerEvent::TimeUp) => Some(self.finish_exam()),
            None => None,
        }
    }

    /// Gives `response` for the question on screen.
    fn answer(&mut self, response: Response, now: u64) -> EventResult {
        match self.session.answer(response, now) {
            Ok(Answered::Checked { correct, record }) => {
                self.feedback = Some(correct);
                self.deny_pending = false;
                EventResult::Emit(vec![Action::Save(Change::QuizAnswers(vec![*record]))])
            }
            Ok(Answered::Kept) => {
                self.deny_pending = false;
                // Saved as given: a crash or a kill loses no exam answer.
                EventResult::Emit(vec![Action::Save(Change::ExamDraft(Box::new(
                    self.session.draft(now),
                )))])
            }
            Err(crate::core::quiz::AnswerError::TimeUp) => self.finish_exam(),
            Err(e) => {
                self.message = Some(capitalise(&e.to_string()) + ".");
                EventResult::Changed
            }
        }
    }

    fn choose(&mut self, n: usize, now: u64) -> EventResult {
        if self.feedback.is_some() {
            return EventResult::Ignored;
        }
        let Some(item) = self.session.current_item() else {
            return EventResult::Ignored;
        };
        let kind = item.question.kind;
        let ask_reason = item.asks_reason();
        let count = item.order.len();
        match kind {
            QuestionKind::Policy if self.deny_pending => match DENY_REASONS.get(n) {
                Some(r) => self.answer(
                    Response::Policy {
                        verdict: Verdict::Deny,
                        reason: Some(*r),
                    },
                    now,
                ),
                None => EventResult::Ignored,
            },
            QuestionKind::Policy => match n {
                0 => self.answer(
                    Response::Policy {
                        verdict: Verdict::Allow,
                        reason: None,
                    },
                    now,
                ),
                1 if ask_reason => {
                    self.deny_pending = true;
                    EventResult::Changed
                }
                1 => self.answer(
                    Response::Policy {
                        verdict: Verdict::Deny,
                        reason: None,
                    },
                    now,
                ),
                _ => EventResult::Ignored,
            },
            _ if n >= count => EventResult::Ignored,
            QuestionKind::Multiple => {
                if self.exam() && self.picked.is_empty() {
                    // Start from the answer kept so far.
                    if let Some(Response::Choices(c)) = self
                        .session
                        .given(self.session.current())
                        .map(|g| &g.response)
                    {
                        self.picked = c.clone();
                    }
                }
                if let Some(p) = self.picked.iter().position(|&x| x == n) {
                    self.picked.remove(p);
                } else {
                    self.picked.push(n);
                    self.picked.sort_unstable();
                }
                if self.exam() {
                    // The answer counts only with the right number picked.
                    let pick = item.question.pick;
                    if self.picked.len() == pick {
                        return self.answer(Response::Choices(self.picked.clone()), now);
                    }
                    self.session.clear_answer();
                }
                EventResult::Changed
            }
            _ => self.answer(Response::Choices(vec![n]), now),
        }
    }

    fn enter(&mut self, now: u64) -> EventResult {
        if let Some(cursor) = self.grid {
            self.grid = None;
            if cursor != self.session.current() && self.session.go_to(cursor, now) {
                self.reset_question();
            }
            return EventResult::Changed;
        }
        if self.feedback.is_some() {
            if self.session.next(now) {
                self.reset_question();
            } else {
                // The last answer ended the session; the summary shows.
                self.feedback = None;
            }
            return EventResult::Changed;
        }
        if self.session.end().is_some() && !self.exam() {
            return EventResult::Emit(vec![Action::Close]);
        }
        let Some(item) = self.session.current_item() else {
            return EventResult::Ignored;
        };
        if item.question.kind == QuestionKind::Multiple && !self.exam() {
            let pick = item.question.pick;
            if self.picked.len() != pick {
                self.message = Some(format!("Choose {pick}, then press Enter."));
                return EventResult::Changed;
            }
            return self.answer(Response::Choices(self.picked.clone()), now);
        }
        if self.exam() {
            return self.step(true, now);
        }
        EventResult::Ignored
    }

    /// Exam: the next or previous question; past the last one, the grid.
    fn step(&mut self, forward: bool, now: u64) -> EventResult {
        if !self.exam() {
            return if forward && self.feedback.is_some() {
                self.enter(now)
            } else {
                EventResult::Ignored
            };
        }
        if let Some(c) = self.grid.as_mut() {
            let last = self.session.len().saturating_sub(1);
            *c = if forward {
                (*c + 1).min(last)
            } else {
                c.saturating_sub(1)
            };
            return EventResult::Changed;
        }
        let moved = if forward {
            self.session.next(now)
        } else {
            self.session.prev(now)
        };
        if moved {
            self.reset_question();
        } else if forward {
            self.grid = Some(self.session.current());
            self.message = Some("That was the last question: s submits.".into());
        }
        EventResult::Changed
    }

    fn submit(&mut self, now: u64) -> EventResult {
        if !self.exam() {
            return EventResult::Ignored;
        }
        let open = self.session.unanswered();
        if open > 0 && self.confirm != Some(Confirm::Submit) {
            let what = if open == 1 {
                "1 question is".to_string()
            } else {
                format!("{open} questions are")
            };
            self.message = Some(format!(
                "{what} unanswered and will count as wrong. Press s again to submit."
            ));
            self.confirm = Some(Confirm::Submit);
            return EventResult::Changed;
        }
        self.session.submit(now);
        self.finish_exam()
    }

    fn stop(&mut self, now: u64) -> EventResult {
        if self.grid.is_some() {
            self.grid = None;
            return EventResult::Changed;
        }
        if self.scenario {
            self.scenario = false;
            return EventResult::Changed;
        }
        if self.deny_pending {
            // Back to ALLOW / DENY (a would pick the first reason).
            self.deny_pending = false;
            return EventResult::Changed;
        }
        if self.exam() && self.confirm != Some(Confirm::Stop) {
            self.message = Some(
                "Stop? Answers are kept but no score is recorded. Press q again to stop.".into(),
            );
            self.confirm = Some(Confirm::Stop);
            return EventResult::Changed;
        }
        let started_at = self.session.started_at();
        let exam = self.exam();
        let kept = self.session.stop(now);
        let mut out = Vec::new();
        // An exam is kept as abandoned, for the instructor's export; its
        // answers go to the history and its draft goes, in one save.
        match self.session.abandoned() {
            Some(exam) => out.push(Action::Save(Change::QuizAbandoned {
                answers: kept,
                exam: Box::new(exam),
            })),
            None if exam => out.push(Action::Save(Change::ExamKept {
                started_at,
                answers: kept,
            })),
            None if !kept.is_empty() => out.push(Action::Save(Change::QuizAnswers(kept))),
            None => {}
        }
        out.push(Action::Close);
        EventResult::Emit(out)
    }

    fn scroll_by(&mut self, down: bool, n: u16) -> EventResult {
        let before = self.scroll;
        self.scroll = if down {
            self.scroll.saturating_add(n)
        } else {
            self.scroll.saturating_sub(n)
        };
        if before == self.scroll {
            EventResult::Ignored
        } else {
            EventResult::Changed
        }
    }

    /// The body: the question, its choices, and feedback (or the grid, or
    /// the end-of-quiz summary), wrapped to `width`.
    fn body(&self, ctx: &Ctx, width: usize) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let mut out: Vec<Line<'static>> = Vec::new();
        if self.done() {
            return self.summary(ctx, width);
        }
        if let Some(cursor) = self.grid {
            return self.grid_lines(ctx, cursor);
        }
        let Some(item) = self.session.current_item() else {
            return out;
        };
        let q = &item.question;
        out.extend(text_lines(ctx, &q.prompt, t.text, width, "", ""));
        out.push(Line::raw(""));
        let index = self.session.current();
        let given = self.session.given(index).map(|g| g.response.clone());
        let checked = self.feedback.is_some();
        match q.kind {
            QuestionKind::Policy => {
                if q.scenario.is_some() {
                    // No scenario name here: a file's name can name the answer.
                    out.push(Line::styled(
                        format!(
                            "v {} the accounts, keys, policies and the request",
                            if self.scenario { "hides" } else { "shows" }
                        ),
                        t.dim,
                    ));
                }
                if self.scenario {
                    out.extend(self.scenario_lines(ctx, item));
                }
                out.push(Line::raw(""));
                let chosen = match &given {
                    Some(Response::Policy { verdict, .. }) => Some(*verdict),
                    _ if self.deny_pending => Some(Verdict::Deny),
                    _ => None,
                };
                for (i, (v, word)) in [(Verdict::Allow, "ALLOW"), (Verdict::Deny, "DENY")]
                    .into_iter()
                    .enumerate()
                {
                    let on = chosen == Some(v);
                    let style = verdict_style(ctx, v);
                    out.push(choice_line(
                        ctx,
                        i,
                        on,
                        None,
                        vec![Span::styled(word, style)],
                    ));
                }
                let reason_given = match &given {
                    Some(Response::Policy { reason, .. }) => *reason,
                    _ => None,
                };
                if item.asks_reason() && (self.deny_pending || reason_given.is_some()) {
                    out.push(Line::raw(""));
                    out.push(Line::styled(
                        if self.deny_pending {
                            "Why is it denied? (Esc: back to ALLOW / DENY)"
                        } else {
                            "Why is it denied?"
                        },
                        t.strong,
                    ));
                    for (i, r) in DENY_REASONS.iter().enumerate() {
                        let on = reason_given == Some(*r);
                        let runs = [(reason_label(*r).to_string(), t.text)];
                        out.extend(choice_wrapped(ctx, i, on, None, &runs, width));
                    }
                } else if item.asks_reason() && !checked {
                    out.push(Line::styled(
                        "If you answer DENY you will be asked why.",
                        t.dim,
                    ));
                }
            }
            _ => {
                let selected: Vec<usize> = match (&given, q.kind) {
                    (_, QuestionKind::Multiple) if !self.picked.is_empty() => self.picked.clone(),
                    (Some(Response::Choices(c)), _) => c.clone(),
                    _ => self.picked.clone(),
                };
                let right = item.right_shown();
                for (i, choice) in item.choices().iter().enumerate() {
                    let on = selected.contains(&i);
                    let runs = runs_of(ctx, choice, t.text);
                    let mark = checked.then(|| right.contains(&i));
                    out.extend(choice_wrapped(ctx, i, on, mark, &runs, width));
                }
                if q.kind == QuestionKind::Multiple && !checked {
                    out.push(Line::raw(""));
                    let how = if self.exam() {
                        "(toggle with the letters)"
                    } else {
                        "(toggle with the letters, then Enter)"
                    };
                    out.push(Line::styled(
                        format!("Choose {}: {} picked {how}", q.pick, selected.len()),
                        t.dim,
                    ));
                }
            }
        }
        if let Some(correct) = self.feedback {
            out.push(Line::raw(""));
            out.extend(feedback_lines(ctx, item, correct, given.as_ref(), width));
        }
        out
    }

    /// The scenario's world (never its file: see
    /// [`crate::core::quiz::scenario_view`]).
    fn scenario_lines(&self, ctx: &Ctx, item: &Item) -> Vec<Line<'static>> {
        let t = ctx.theme;
        match crate::core::quiz::scenario_view::question_view(ctx.pack, &item.question) {
            Ok(lines) => {
                let mut v = vec![Line::styled("--- scenario ---", t.dim)];
                v.extend(lines.into_iter().map(|l| Line::styled(l, t.code)));
                v.push(Line::styled("--- end of scenario ---", t.dim));
                v
            }
            Err(e) => vec![Line::styled(format!("Note: {e}."), t.dim)],
        }
    }

    fn grid_lines(&self, ctx: &Ctx, cursor: usize) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let cells = self.session.grid();
        let mut out = vec![
            Line::styled("Review grid", t.heading),
            Line::styled(
                format!(
                    "{} answered  {} unanswered  {} flagged  ({} move, Enter opens)",
                    ctx.sym("■", "#"),
                    ctx.sym("□", "."),
                    ctx.sym("⚑", "!"),
                    super::key_names("←/→", ctx.ascii)
                ),
                t.dim,
            ),
            Line::raw(""),
        ];
        for row in cells.chunks(10) {
            let mut spans = Vec::new();
            for c in row {
                let mark = match (c.answered, c.flagged) {
                    (_, true) => ctx.sym("⚑", "!"),
                    (true, false) => ctx.sym("■", "#"),
                    (false, false) => ctx.sym("□", "."),
                };
                let mut style = if c.flagged {
                    t.warn
                } else if c.answered {
                    t.ok
                } else {
                    t.dim
                };
                if c.index == cursor {
                    style = style.patch(t.selected);
                }
                spans.push(Span::styled(format!("{:>3}{mark}", c.index + 1), style));
                spans.push(Span::raw("  "));
            }
            out.push(Line::from(spans));
        }
        out.push(Line::raw(""));
        let list = |f: &dyn Fn(&crate::core::quiz::Cell) -> bool| {
            let nums: Vec<usize> = cells.iter().filter(|c| f(c)).map(|c| c.index + 1).collect();
            if nums.is_empty() {
                "none".to_string()
            } else {
                ranges(&nums)
            }
        };
        out.push(Line::styled(
            format!("Answered: {}", list(&|c| c.answered)),
            t.text,
        ));
        out.push(Line::styled(
            format!("Unanswered: {}", list(&|c| !c.answered)),
            t.text,
        ));
        out.push(Line::styled(
            format!("Flagged: {}", list(&|c| c.flagged)),
            t.text,
        ));
        out
    }

    fn summary(&self, ctx: &Ctx, width: usize) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let tally = self.session.tally();
        let home = ctx.progress.quiz.summary(ctx.pack, ctx.now);
        let mut out = vec![
            Line::styled(
                format!(
                    "Done: {} of {} right ({}%).",
                    tally.right,
                    tally.total,
                    tally.percent()
                ),
                t.heading,
            ),
            Line::raw(""),
        ];
        let runs = [(
            format!(
                "Due for review today: {}. Missed (wrong last time): {}. Every answer is saved to your review schedule.",
                home.due_today, home.missed
            ),
            t.text,
        )];
        out.extend(wrap(&runs, width, &[], &[]));
        out.push(Line::raw(""));
        out.push(Line::styled("Press Enter to go back.", t.dim));
        out
    }

    /// The header: mode, question number, flag, timer.
    fn header(&self, ctx: &Ctx, width: usize) -> Line<'static> {
        let t = ctx.theme;
        let mode = self.session.mode().title();
        let index = self.session.current();
        let mut left = vec![Span::styled(format!(" {mode} "), t.heading)];
        let done = self.done();
        if !done {
            left.push(Span::styled(
                format!(" Question {} of {}", index + 1, self.session.len()),
                t.strong,
            ));
        }
        if self.exam() && self.session.is_flagged(index) {
            left.push(Span::styled(
                format!("  {} flagged", ctx.sym("⚑", "!")),
                t.warn,
            ));
        }
        if self.exam() {
            left.push(Span::styled(
                format!(
                    "  {} answered",
                    self.session.len() - self.session.unanswered()
                ),
                t.dim,
            ));
        }
        let mut spans = left;
        if let Some(left_secs) = self.session.remaining(ctx.now) {
            let text = format!("{} {} left ", ctx.sym("⏱", "time"), clock_text(left_secs));
            let used: usize = spans.iter().map(Span::width).sum();
            let pad = width.saturating_sub(used + text.chars().count());
            spans.push(Span::raw(" ".repeat(pad)));
            let style = if self.warned { t.warn } else { t.strong };
            spans.push(Span::styled(text, style));
        }
        Line::from(spans)
    }
}

impl Screen for QuizScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Quiz
    }

    /// Mid-exam, the answers given so far: what the signal watcher saves
    /// on SIGTERM or SIGHUP, exactly what `q` keeps.
    fn position(&self, ctx: &Ctx) -> Option<Change> {
        let (answers, exam) = self.session.abandon_if_stopped(ctx.now)?;
        Some(Change::QuizAbandoned {
            answers,
            exam: Box::new(exam),
        })
    }

    fn on_action(&mut self, action: Action, ctx: &Ctx) -> EventResult {
        let now = ctx.now;
        if self.exam()
            && let Some(out) = self.timer(now)
        {
            return out;
        }
        if action == Action::Tick {
            return EventResult::Changed;
        }
        let confirm = self.confirm.take();
        let keep = matches!(
            (confirm, &action),
            (Some(Confirm::Submit), Action::Submit) | (Some(Confirm::Stop), Action::Back)
        );
        if keep {
            self.confirm = confirm;
        }
        let had_message = self.message.take().is_some();
        let out = match action {
            Action::Choose(n) if self.grid.is_none() => self.choose(n, now),
            Action::Enter => self.enter(now),
            Action::NextSection => self.step(true, now),
            Action::PrevSection => self.step(false, now),
            Action::Flag if self.exam() => {
                self.session
                    .toggle_flag(self.grid.unwrap_or(self.session.current()));
                EventResult::Changed
            }
            Action::Grid if self.exam() => {
                self.grid = match self.grid {
                    Some(_) => None,
                    None => Some(self.session.current()),
                };
                EventResult::Changed
            }
            Action::Submit => self.submit(now),
            Action::View => {
                let policy = self
                    .session
                    .current_item()
                    .is_some_and(|i| i.question.kind == QuestionKind::Policy);
                if policy && self.grid.is_none() {
                    self.scenario = !self.scenario;
                    EventResult::Changed
                } else {
                    EventResult::Ignored
                }
            }
            Action::Back => self.stop(now),
            Action::Up => self.scroll_by(false, 1),
            Action::Down => self.scroll_by(true, 1),
            Action::ScrollUp(n) => self.scroll_by(false, n),
            Action::ScrollDown(n) => self.scroll_by(true, n),
            Action::PageUp => self.scroll_by(false, self.page.saturating_sub(1).max(1)),
            Action::PageDown => self.scroll_by(true, self.page.saturating_sub(1).max(1)),
            _ => EventResult::Ignored,
        };
        if out == EventResult::Ignored && had_message {
            EventResult::Changed
        } else {
            out
        }
    }

    fn resize(&mut self, area: Rect, _ctx: &Ctx) {
        self.page = area.height.saturating_sub(6).max(1);
    }

    fn keymap(&self) -> &'static crate::tui::keymap::Keymap {
        if self.exam() {
            &crate::tui::keymap::EXAM
        } else {
            &crate::tui::keymap::PRACTICE
        }
    }

    fn deadline(&self) -> Option<Instant> {
        // Only a running exam ticks: once a second, on the second.
        if !self.exam() || self.session.end().is_some() {
            return None;
        }
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let wait = Duration::from_nanos(u64::from(1_000_000_000 - nanos.min(999_999_999)));
        Some(Instant::now() + wait)
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.theme;
        let width = usize::from(area.width.saturating_sub(2));
        let bottom = area.y + area.height;
        let mut y = area.y;
        self.header(ctx, usize::from(area.width))
            .render(Rect::new(area.x, y, area.width, 1), buf);
        y += 1;
        if let Some(obj) = self.session.current_item().map(|i| {
            i.question
                .objectives
                .iter()
                .map(|o| ctx.pack.objective(o).map_or(o.clone(), |o| o.title.clone()))
                .collect::<Vec<_>>()
                .join(", ")
        }) && !self.done()
        {
            Line::styled(
                crate::tui::widgets::text::truncate(
                    &format!(" Objective: {obj}"),
                    usize::from(area.width),
                    ctx.ascii,
                ),
                t.dim,
            )
            .render(Rect::new(area.x, y, area.width, 1), buf);
            y += 1;
        }
        if self.exam() {
            // The grid strip: every question's state at a glance.
            let mut spans = vec![Span::raw(" ")];
            for c in self.session.grid() {
                let style = if c.current {
                    t.selected
                } else if c.flagged {
                    t.warn
                } else if c.answered {
                    t.ok
                } else {
                    t.dim
                };
                let mark = match (c.flagged, c.answered) {
                    (true, _) => ctx.sym("⚑", "!"),
                    (false, true) => ctx.sym("■", "#"),
                    (false, false) => ctx.sym("□", "."),
                };
                spans.push(Span::styled(mark, style));
            }
            Line::from(spans).render(Rect::new(area.x, y, area.width, 1), buf);
            y += 1;
            if self.warned {
                let left = self.session.remaining(ctx.now).unwrap_or(0);
                Line::styled(
                    format!(
                        " {} {} left: the exam is submitted automatically when the time runs out.",
                        ctx.sym("⚠", "!"),
                        clock_text(left)
                    ),
                    t.warn,
                )
                .render(Rect::new(area.x, y, area.width, 1), buf);
                y += 1;
            }
        }
        y += 1;
        // Body, scrolled; the message line and hint bar at the bottom.
        let body_bottom = bottom.saturating_sub(2);
        let height = body_bottom.saturating_sub(y);
        let lines = self.body(ctx, width);
        // The "more" mark gets a row of its own, never drawn over text.
        let over = lines.len() > usize::from(height);
        let (scroll, max_scroll) = super::render_scrolled(
            lines,
            Rect::new(
                area.x,
                y,
                area.width,
                height - u16::from(over && height > 1),
            ),
            self.scroll,
            buf,
        );
        if max_scroll > 0 {
            let more = if scroll < max_scroll {
                ctx.sym("↓ more", "v more")
            } else {
                ctx.sym("↑ top", "^ top")
            };
            let x = area.x + area.width.saturating_sub(8);
            Span::styled(more, t.dim)
                .render(Rect::new(x, body_bottom.saturating_sub(1), 7, 1), buf);
        }
        if let Some(m) = &self.message {
            Line::styled(format!(" {m}"), t.warn)
                .render(Rect::new(area.x, body_bottom, area.width, 1), buf);
        }
        hint_bar(self.keymap(), area, buf, ctx);
    }
}

fn verdict_style(ctx: &Ctx, v: Verdict) -> Style {
    match v {
        Verdict::Allow => ctx.theme.allow,
        Verdict::Deny => ctx.theme.deny,
    }
}

fn choice_line(
    ctx: &Ctx,
    i: usize,
    on: bool,
    right: Option<bool>,
    body: Vec<Span<'static>>,
) -> Line<'static> {
    let mut spans = choice_prefix(ctx, i, on, right);
    spans.extend(body);
    Line::from(spans)
}

/// A choice's number and mark. `right` is `None` before the answer is
/// checked, then whether this choice is a right one: a right choice shows
/// ✓, the learner's wrong choice ✗, the current pick ●.
fn choice_prefix(ctx: &Ctx, i: usize, on: bool, right: Option<bool>) -> Vec<Span<'static>> {
    let t = ctx.theme;
    let (mark, mark_style) = match right {
        Some(true) => (ctx.sym("✓", "+"), t.ok),
        Some(false) if on => (ctx.sym("✗", "x"), t.deny),
        _ if on => (ctx.sym("●", "*"), t.strong),
        _ => (" ", t.strong),
    };
    let style = if on { t.selected } else { t.strong };
    vec![
        Span::styled(format!("{mark} "), mark_style),
        Span::styled(format!("{})", letter(i)), style),
        Span::raw(" "),
    ]
}

fn choice_wrapped(
    ctx: &Ctx,
    i: usize,
    on: bool,
    right: Option<bool>,
    runs: &[(String, Style)],
    width: usize,
) -> Vec<Line<'static>> {
    wrap(
        runs,
        width,
        &choice_prefix(ctx, i, on, right),
        &[Span::raw("     ")],
    )
}

/// ✓/✗, the right answer when wrong, why, and the source.
pub fn feedback_lines(
    ctx: &Ctx,
    item: &Item,
    correct: bool,
    given: Option<&Response>,
    width: usize,
) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let mut out = Vec::new();
    if correct {
        out.push(Line::styled(
            format!("{} Right.", ctx.sym("✓", "+")),
            t.allow,
        ));
    } else {
        out.push(Line::styled(
            format!("{} Not right.", ctx.sym("✗", "x")),
            t.deny,
        ));
        if let Some(g) = given {
            out.extend(text_lines(
                ctx,
                &describe(item, g),
                t.text,
                width,
                "Your answer: ",
                "  ",
            ));
        }
        out.extend(text_lines(
            ctx,
            &describe(item, &item.right_response()),
            t.text,
            width,
            "The answer: ",
            "  ",
        ));
    }
    let q = &item.question;
    out.extend(text_lines(ctx, &q.explanation, t.text, width, "Why: ", ""));
    if let Some(p) = &q.policy {
        out.extend(text_lines(
            ctx,
            &p.explanation,
            t.text,
            width,
            "Policy engine: ",
            "",
        ));
    }
    if let Some(src) = &q.source {
        out.extend(source_lines(ctx, "", src, width));
    }
    out
}

pub use crate::core::quiz::labels::letter;
