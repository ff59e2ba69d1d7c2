//! The lesson reader: one section at a time, pre-wrapped to the width,
//! scrolled by lines; diagrams stepped in place; checkpoints answered at the
//! end of the section.

use std::collections::BTreeMap;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Ctx, EventResult, Screen, hint_bar};
use crate::core::content::diagram::DiagramId;
use crate::core::content::{Inline, Lesson, Question, QuestionKind, Section};
use crate::tui::action::{Action, Change};
use crate::tui::keymap::ScreenId;
use crate::tui::widgets::diagram::diagram_lines;
use crate::tui::widgets::markup::{LinkPiece, lesson_lines};
use crate::tui::widgets::wrap::wrap;

/// Rows above the body: lesson line, section line, rule.
const TOP: u16 = 3;
/// Rows below the body: status line, hint bar.
const BOTTOM: u16 = 2;
/// Widest text column; longer lines are hard to read.
const MAX_TEXT: u16 = 100;

/// What →/← or a/b/c act on when several things are on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The n-th diagram of the section.
    Diagram(usize),
    /// The n-th checkpoint of the section.
    Checkpoint(usize),
    /// The n-th glossary link of the section (Enter opens its term).
    Link(usize),
}

/// The learner's answer to one checkpoint, being chosen or submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    /// Chosen choices as 0-based indexes in the file's order (identity,
    /// not the shuffled position shown).
    pub chosen: Vec<usize>,
    /// `Some(correct)` once submitted (and until the choice changes).
    pub submitted: Option<bool>,
}

/// A span of body lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span2 {
    first: usize,
    len: usize,
}

/// The lesson screen.
#[derive(Debug)]
pub struct LessonScreen {
    lesson: usize,
    lesson_id: String,
    section: usize,
    scroll: usize,
    /// Current step of each diagram (kept across sections of the visit).
    steps: BTreeMap<DiagramId, usize>,
    focus: Option<Focus>,
    answers: Vec<Answer>,
    /// Per checkpoint: the file index of the choice shown at each position
    /// (shuffled with the learner's seed).
    orders: Vec<Vec<usize>>,
    /// The section's end was on screen at some point.
    reached_end: bool,
    /// A `Completed` change was emitted for this section.
    completion_sent: bool,
    /// A one-off message for the status line.
    note: Option<String>,
    /// The note is good news (drawn as such), not a warning.
    note_ok: bool,
    /// The verdict of the answer just given (and whether it was right):
    /// shown like a note, but a notice (a save that failed) comes first.
    verdict_note: Option<(String, bool)>,
    area: Rect,
    lines: Vec<Line<'static>>,
    diagrams: Vec<(DiagramId, Span2)>,
    /// The section's code blocks as written, and their lines on screen.
    code: Vec<(String, std::ops::Range<usize>)>,
    /// Where each glossary link was laid out.
    links: Vec<LinkPiece>,
    checkpoints: Vec<Span2>,
}

impl LessonScreen {
    /// Opens lesson `lesson` at `section` (its first when `None` or
    /// unknown) and `scroll`, laid out for a terminal of size `area`.
    /// Returns the screen and the changes to save (the visit, and the
    /// completion if the section is already done by being on screen).
    pub fn open(
        lesson: &str,
        section: Option<&str>,
        scroll: u32,
        area: Rect,
        ctx: &Ctx,
    ) -> Option<(Self, Vec<Action>)> {
        let li = ctx.pack.lessons.iter().position(|l| l.id == lesson)?;
        let l = &ctx.pack.lessons[li];
        let si = section
            .and_then(|s| l.sections.iter().position(|x| x.id == s))
            .unwrap_or(0);
        let mut screen = LessonScreen {
            lesson: li,
            lesson_id: l.id.clone(),
            section: si,
            scroll: 0,
            steps: BTreeMap::new(),
            focus: None,
            answers: Vec::new(),
            orders: Vec::new(),
            reached_end: false,
            completion_sent: false,
            note: None,
            note_ok: false,
            verdict_note: None,
            area,
            lines: Vec::new(),
            diagrams: Vec::new(),
            code: Vec::new(),
            links: Vec::new(),
            checkpoints: Vec::new(),
        };
        let mut emit = screen.enter_section(si, ctx);
        screen.scroll = usize::try_from(scroll)
            .unwrap_or(0)
            .min(screen.max_scroll());
        if let Some(Action::Save(Change::Visit { scroll: s, .. })) = emit.first_mut() {
            *s = u32::try_from(screen.scroll).unwrap_or(0);
        }
        emit.extend(screen.after_move(ctx));
        Some((screen, emit))
    }

    /// The lesson shown.
    pub fn lesson<'p>(&self, ctx: &Ctx<'p>) -> &'p Lesson {
        &ctx.pack.lessons[self.lesson]
    }

    /// The section shown.
    pub fn section<'p>(&self, ctx: &Ctx<'p>) -> &'p Section {
        &self.lesson(ctx).sections[self.section]
    }

    /// The id of the lesson shown.
    pub fn lesson_id(&self) -> &str {
        &self.lesson_id
    }

    /// The section's index in its lesson.
    pub fn section_index(&self) -> usize {
        self.section
    }

    /// First body line on screen.
    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// What Tab has focused: a diagram, a glossary link or a checkpoint.
    pub fn focus(&self) -> Option<Focus> {
        self.focus
    }

    /// The current step of a diagram.
    pub fn step(&self, id: &DiagramId) -> usize {
        self.steps.get(id).copied().unwrap_or(0)
    }

    /// The answers of the section's checkpoints.
    pub fn answers(&self) -> &[Answer] {
        &self.answers
    }

    /// The laid-out body of the section (for tests and benches).
    pub fn body_lines(&self) -> &[Line<'static>] {
        &self.lines
    }

    fn body_rect(&self) -> Rect {
        let a = self.area;
        let h = a.height.saturating_sub(TOP + BOTTOM);
        let w = a.width.saturating_sub(4).min(MAX_TEXT);
        // Centred: on a wide terminal the text column sits in the middle.
        Rect::new(a.x + (a.width - w) / 2, a.y + TOP, w, h)
    }

    /// `y`: the first code block with a line in view goes to the
    /// terminal's clipboard whole (wrapping marks are not in it).
    fn copy_code(&mut self) -> EventResult {
        let view = self.scroll..self.scroll + self.body_height();
        let Some((text, _)) = self
            .code
            .iter()
            .find(|(_, lines)| lines.start < view.end && view.start < lines.end)
        else {
            self.note = Some("No code block in view: scroll to one, then y copies it.".into());
            return EventResult::Changed;
        };
        let n = text.lines().count();
        self.note = Some(format!(
            "Copied the code block ({n} line{}) to the terminal's clipboard.",
            if n == 1 { "" } else { "s" }
        ));
        self.note_ok = true;
        EventResult::Emit(vec![Action::Clipboard(text.clone())])
    }

    fn body_height(&self) -> usize {
        usize::from(self.body_rect().height).max(1)
    }

    fn max_scroll(&self) -> usize {
        self.lines.len().saturating_sub(self.body_height())
    }

    fn visible(&self, s: Span2) -> bool {
        s.first < self.scroll + self.body_height() && s.first + s.len > self.scroll
    }

    /// Switches to section `si`: fresh answers (from saved ones), layout.
    fn enter_section(&mut self, si: usize, ctx: &Ctx) -> Vec<Action> {
        self.section = si;
        self.scroll = 0;
        self.focus = None;
        self.reached_end = false;
        self.completion_sent = false;
        let section = self.section(ctx);
        let seed = ctx.progress.seed.unwrap_or(0);
        self.orders = section
            .checkpoints
            .iter()
            .map(|q| crate::core::quiz::checkpoint_order(seed, q))
            .collect();
        self.answers = section
            .checkpoints
            .iter()
            .map(|q| match ctx.progress.checkpoint(&q.id) {
                Some(r) => Answer {
                    chosen: r.chosen.clone(),
                    submitted: Some(r.correct),
                },
                None => Answer::default(),
            })
            .collect();
        self.relayout(ctx);
        vec![Action::Save(Change::Visit {
            lesson: self.lesson(ctx).id.clone(),
            section: section.id.clone(),
            scroll: 0,
        })]
    }

    /// Lays the section out again (width, diagram step or answers changed).
    fn relayout(&mut self, ctx: &Ctx) {
        let width = self.body_rect().width.max(20);
        let section = self.section(ctx);
        let steps = &self.steps;
        let step = |id: &DiagramId| steps.get(id).copied().unwrap_or(0);
        let rendered = lesson_lines(
            &section.blocks,
            ctx.pack,
            width,
            ctx.theme,
            &step,
            ctx.ascii,
        );
        self.diagrams = rendered
            .diagrams
            .iter()
            .map(|(id, first)| {
                let len = ctx.pack.diagram(id).map_or(0, |d| {
                    diagram_lines(d, step(id), width, ctx.theme, ctx.ascii).len()
                });
                (id.clone(), Span2 { first: *first, len })
            })
            .collect();
        self.code = rendered.code;
        self.links = rendered.links;
        self.lines = rendered.lines;
        self.checkpoints.clear();
        let total = section.checkpoints.len();
        for (i, q) in section.checkpoints.iter().enumerate() {
            self.lines.push(Line::default());
            let first = self.lines.len();
            let answer = self.answers.get(i).cloned().unwrap_or_default();
            let focused = self.focus == Some(Focus::Checkpoint(i));
            let order = self.orders.get(i).cloned().unwrap_or_default();
            let view = CheckpointView {
                answer: &answer,
                order: &order,
                index: i,
                total,
                focused,
            };
            let lines = checkpoint_lines(q, &view, usize::from(width), ctx);
            self.checkpoints.push(Span2 {
                first,
                len: lines.len(),
            });
            self.lines.extend(lines);
        }
        self.lines.push(Line::default());
        let end = if self.section + 1 < self.lesson(ctx).sections.len() {
            "End of section. n: next section."
        } else {
            "End of the lesson. n: next lesson, Esc: course map."
        };
        self.lines.push(Line::styled(end, ctx.theme.dim));
        self.scroll = self.scroll.min(self.max_scroll());
    }

    /// After any move: notice the end of the section, and complete it when
    /// it was read to the end and every checkpoint is answered.
    fn after_move(&mut self, ctx: &Ctx) -> Vec<Action> {
        if self.scroll + self.body_height() >= self.lines.len() {
            self.reached_end = true;
        }
        let lesson = self.lesson(ctx);
        let section = self.section(ctx);
        if self.reached_end
            && !self.completion_sent
            && self.answers.iter().all(|a| a.submitted.is_some())
            && !ctx.progress.section_completed(&lesson.id, &section.id)
        {
            self.completion_sent = true;
            let next = if self.section + 1 < lesson.sections.len() {
                "n: next section"
            } else {
                "n: next lesson"
            };
            self.note = Some(format!(
                "{} Section completed. {next}.",
                ctx.sym("✓", "[done]")
            ));
            self.note_ok = true;
            return vec![Action::Save(Change::Completed {
                lesson: lesson.id.clone(),
                section: section.id.clone(),
            })];
        }
        Vec::new()
    }

    fn scroll_to(&mut self, line: usize) {
        self.scroll = line.min(self.max_scroll());
    }

    /// Makes a span visible, moving as little as possible.
    fn reveal(&mut self, s: Span2) {
        let h = self.body_height();
        if s.first < self.scroll || s.len > h {
            self.scroll_to(s.first);
        } else if s.first + s.len > self.scroll + h {
            self.scroll_to(s.first + s.len - h);
        }
    }

    /// The diagram →/← act on: the focused one if on screen, else the
    /// first one on screen.
    fn diagram_target(&self) -> Option<usize> {
        if let Some(Focus::Diagram(i)) = self.focus
            && self.diagrams.get(i).is_some_and(|(_, s)| self.visible(*s))
        {
            return Some(i);
        }
        self.diagrams.iter().position(|(_, s)| self.visible(*s))
    }

    /// The checkpoint 1/2/3, Enter and r act on: the one focused (Tab, or
    /// moved to after an answer) if on screen, else the first unanswered
    /// one on screen, else the first one on screen.
    fn checkpoint_target(&self) -> Option<usize> {
        if let Some(Focus::Checkpoint(i)) = self.focus
            && self.checkpoints.get(i).is_some_and(|s| self.visible(*s))
        {
            return Some(i);
        }
        let on_screen = |i: &usize| self.visible(self.checkpoints[*i]);
        (0..self.checkpoints.len())
            .filter(on_screen)
            .find(|i| self.answers.get(*i).is_some_and(|a| a.submitted.is_none()))
            .or_else(|| (0..self.checkpoints.len()).find(on_screen))
    }

    /// After checkpoint `i` was answered: focus the next unanswered one
    /// (after it, then from the top) and scroll it into view; with none
    /// left, keep `i` in view.
    fn focus_next_unanswered(&mut self, i: usize, ctx: &Ctx) {
        let n = self.answers.len();
        let next = (1..n)
            .map(|k| (i + k) % n)
            .find(|j| self.answers[*j].submitted.is_none());
        self.focus = next.map(Focus::Checkpoint);
        self.relayout(ctx);
        // Show the answered one's feedback, then move as little as needed
        // to bring the next one into view (it lands at the bottom, keeping
        // as much feedback above it as fits).
        if let Some(s) = self.checkpoints.get(i).copied() {
            self.reveal(s);
        }
        if let Some(s) = next.and_then(|j| self.checkpoints.get(j).copied()) {
            self.reveal(s);
        }
    }

    /// `r`: opens the targeted answered checkpoint for another answer. The
    /// first answer stays in progress (the first-try score never changes).
    fn retry(&mut self, ctx: &Ctx) -> EventResult {
        let Some(i) = self.checkpoint_target() else {
            return EventResult::Ignored;
        };
        if self.answers[i].submitted.is_none() {
            self.note = Some(format!("Checkpoint {} is not answered yet.", i + 1));
            return EventResult::Changed;
        }
        self.answers[i] = Answer::default();
        self.focus = Some(Focus::Checkpoint(i));
        self.relayout(ctx);
        if let Some(s) = self.checkpoints.get(i).copied() {
            self.reveal(s);
        }
        self.note = Some(format!(
            "Checkpoint {}: answer again. Your first answer still counts as your first try.",
            i + 1
        ));
        EventResult::Changed
    }

    fn step_diagram(&mut self, forward: bool, ctx: &Ctx) -> EventResult {
        let Some(i) = self.diagram_target() else {
            self.note = Some("No diagram on screen: scroll to one to step through it.".into());
            return EventResult::Changed;
        };
        let id = self.diagrams[i].0.clone();
        let last = ctx
            .pack
            .diagram(&id)
            .map_or(0, |d| d.steps.len().saturating_sub(1));
        let step = self.step(&id);
        let next = if forward {
            (step + 1).min(last)
        } else {
            step.saturating_sub(1)
        };
        if next == step {
            self.note = Some(if forward {
                "Last step of the diagram (← goes back).".into()
            } else {
                "First step of the diagram (→ goes on).".into()
            });
            return EventResult::Changed;
        }
        self.steps.insert(id, next);
        self.focus = Some(Focus::Diagram(i));
        self.relayout(ctx);
        // Keep the whole diagram and its explanation in view if it fits;
        // if not, its bottom: the step's explanation is what just changed.
        if let Some((_, s)) = self.diagrams.get(i) {
            let s = *s;
            if s.len > self.body_height() {
                self.scroll_to(s.first + s.len - self.body_height());
            } else {
                self.reveal(s);
            }
        }
        EventResult::Changed
    }

    fn choose(&mut self, n: usize, ctx: &Ctx) -> EventResult {
        let Some(i) = self.checkpoint_target() else {
            self.note = Some("No question on screen: the checkpoints are at the end (G).".into());
            return EventResult::Changed;
        };
        let q = &self.section(ctx).checkpoints[i];
        // n is the position shown; the answer keeps the choice's identity.
        let Some(n) = self.orders.get(i).and_then(|o| o.get(n)).copied() else {
            return EventResult::Ignored;
        };
        if self.answers[i].submitted.is_some() {
            self.note = Some(format!(
                "Checkpoint {} is answered (r: try it again).",
                i + 1
            ));
            return EventResult::Changed;
        }
        let a = &mut self.answers[i];
        if q.kind == QuestionKind::Multiple {
            if let Some(pos) = a.chosen.iter().position(|c| *c == n) {
                a.chosen.remove(pos);
            } else {
                a.chosen.push(n);
                a.chosen.sort_unstable();
            }
        } else {
            a.chosen = vec![n];
        }
        a.submitted = None;
        self.relayout(ctx);
        if let Some(s) = self.checkpoints.get(i).copied() {
            self.reveal(s);
        }
        EventResult::Changed
    }

    fn submit(&mut self, ctx: &Ctx) -> EventResult {
        let Some(i) = self.checkpoint_target() else {
            return EventResult::Ignored;
        };
        let q = &self.section(ctx).checkpoints[i];
        let a = &self.answers[i];
        if a.submitted.is_some() {
            return EventResult::Ignored;
        }
        if a.chosen.len() != q.pick.max(1) {
            self.note = Some(if q.pick > 1 {
                format!(
                    "Choose {} answers, then Enter ({} chosen).",
                    q.pick,
                    a.chosen.len()
                )
            } else {
                "Choose an answer first (a, b, c... or 1, 2, 3...).".into()
            });
            return EventResult::Changed;
        }
        let correct = q.is_correct(&a.chosen);
        let chosen = a.chosen.clone();
        self.answers[i].submitted = Some(correct);
        // The next number answers the next question, never this one again.
        self.focus_next_unanswered(i, ctx);
        let right: Vec<String> = self.orders[i]
            .iter()
            .enumerate()
            .filter(|(_, ci)| q.answer.contains(ci))
            .map(|(pos, _)| (pos + 1).to_string())
            .collect();
        let verdict = if correct {
            format!("Checkpoint {}: correct.", i + 1)
        } else {
            format!(
                "Checkpoint {}: not quite, the answer is {}.",
                i + 1,
                right.join(" and ")
            )
        };
        let next = match self.focus {
            Some(Focus::Checkpoint(j)) => format!(" Next: checkpoint {}.", j + 1),
            _ => String::new(),
        };
        self.verdict_note = Some((format!("{verdict}{next}"), correct));
        let mut emit = vec![Action::Save(Change::Answered {
            id: q.id.clone(),
            chosen,
            correct,
            seed: ctx.progress.seed,
        })];
        emit.extend(self.after_move(ctx));
        EventResult::Emit(emit)
    }

    /// Everything Tab can focus, in reading order, with its first line.
    fn focusables(&self) -> Vec<(usize, Focus)> {
        let mut all: Vec<(usize, Focus)> = self
            .diagrams
            .iter()
            .enumerate()
            .map(|(i, (_, s))| (s.first, Focus::Diagram(i)))
            .collect();
        let mut seen = std::collections::HashSet::new();
        for piece in &self.links {
            if seen.insert(piece.link) {
                all.push((piece.line, Focus::Link(piece.link)));
            }
        }
        all.extend(
            self.checkpoints
                .iter()
                .enumerate()
                .map(|(i, s)| (s.first, Focus::Checkpoint(i))),
        );
        all.sort_by_key(|(line, f)| (*line, matches!(f, Focus::Checkpoint(_))));
        all
    }

    fn cycle_focus(&mut self, forward: bool, ctx: &Ctx) -> EventResult {
        let all = self.focusables();
        let n = all.len();
        if n == 0 {
            return EventResult::Ignored;
        }
        let cur = self
            .focus
            .and_then(|f| all.iter().position(|(_, g)| *g == f));
        let next = match (cur, forward) {
            (None, true) => all
                .iter()
                .position(|(line, _)| *line >= self.scroll)
                .unwrap_or(0),
            (None, false) => n - 1,
            (Some(c), true) => (c + 1) % n,
            (Some(c), false) => (c + n - 1) % n,
        };
        let (line, focus) = all[next];
        self.focus = Some(focus);
        self.relayout(ctx);
        let span = match focus {
            Focus::Diagram(i) => self.diagrams[i].1,
            Focus::Checkpoint(i) => self.checkpoints[i],
            Focus::Link(_) => Span2 {
                first: line,
                len: 1,
            },
        };
        self.reveal(span);
        EventResult::Changed
    }

    /// The focused link's term, if a link is focused and on screen.
    fn focused_link(&self) -> Option<&LinkPiece> {
        let Some(Focus::Link(k)) = self.focus else {
            return None;
        };
        self.links.iter().find(|p| {
            p.link == k
                && self.visible(Span2 {
                    first: p.line,
                    len: 1,
                })
        })
    }

    /// A click on a glossary link opens its term.
    fn click(&mut self, x: u16, y: u16) -> EventResult {
        let body = self.body_rect();
        if y < body.y || y >= body.y + body.height || x < body.x {
            return EventResult::Ignored;
        }
        let line = self.scroll + usize::from(y - body.y);
        let col = x - body.x;
        match self
            .links
            .iter()
            .find(|p| p.line == line && col >= p.x && col < p.x.saturating_add(p.width))
        {
            Some(p) => {
                self.focus = Some(Focus::Link(p.link));
                EventResult::Emit(vec![Action::GlossaryTerm(p.term.clone())])
            }
            None => EventResult::Ignored,
        }
    }

    fn goto_section(&mut self, forward: bool, ctx: &Ctx) -> EventResult {
        let count = self.lesson(ctx).sections.len();
        if forward && self.section + 1 >= count {
            // Past the last section: the next lesson, if any.
            return match ctx.pack.lessons.get(self.lesson + 1) {
                Some(next) => EventResult::Emit(vec![
                    self.save_position(ctx),
                    Action::OpenLesson {
                        lesson: next.id.clone(),
                        section: None,
                        scroll: 0,
                    },
                ]),
                None => {
                    self.note = Some("This is the last lesson of the course.".into());
                    EventResult::Changed
                }
            };
        }
        if !forward && self.section == 0 {
            self.note = Some("This is the first section of the lesson.".into());
            return EventResult::Changed;
        }
        let si = if forward {
            self.section + 1
        } else {
            self.section - 1
        };
        let mut emit = self.enter_section(si, ctx);
        emit.extend(self.after_move(ctx));
        EventResult::Emit(emit)
    }

    fn save_position(&self, ctx: &Ctx) -> Action {
        Action::Save(Change::Position {
            lesson: self.lesson(ctx).id.clone(),
            section: self.section(ctx).id.clone(),
            scroll: u32::try_from(self.scroll).unwrap_or(u32::MAX),
        })
    }

    fn status(&self, ctx: &Ctx) -> Line<'static> {
        let t = ctx.theme;
        if let Some(note) = &self.note {
            return Line::styled(note.clone(), if self.note_ok { t.ok } else { t.warn });
        }
        if let Some(notice) = ctx.notices.last() {
            return Line::styled(format!("{} {notice}", ctx.sym("⚠", "!")), t.warn);
        }
        if let Some((text, right)) = &self.verdict_note {
            return Line::styled(text.clone(), if *right { t.ok } else { t.warn });
        }
        let mut spans = Vec::new();
        if let Some(i) = self.diagram_target() {
            let id = &self.diagrams[i].0;
            let count = ctx.pack.diagram(id).map_or(0, |d| d.steps.len());
            spans.push(Span::styled(super::key_names("←/→ ", ctx.ascii), t.strong));
            spans.push(Span::styled(
                format!("step {} of {count}  ", self.step(id) + 1),
                t.text,
            ));
        }
        if let Some(p) = self.focused_link() {
            let title = ctx
                .pack
                .term(&p.term)
                .map_or(p.term.as_str(), |t| t.term.as_str());
            spans.push(Span::styled("Enter ", t.strong));
            spans.push(Span::styled(
                format!("opens \u{201c}{title}\u{201d} in the glossary  "),
                t.text,
            ));
        }
        if let Some(i) = self.checkpoint_target() {
            let q = &self.section(ctx).checkpoints[i];
            spans.push(Span::styled(format!("1-{} ", q.choices.len()), t.strong));
            spans.push(Span::styled(
                format!("answer checkpoint {}  ", i + 1),
                t.text,
            ));
        }
        let h = self.body_height();
        let total = self.lines.len();
        let where_ = if total <= h {
            "all on screen".to_string()
        } else if self.scroll >= self.max_scroll() {
            format!("end {} {total} lines", ctx.sym("·", "-"))
        } else {
            format!(
                "{}% {} {} more lines {}",
                (self.scroll + h) * 100 / total,
                ctx.sym("·", "-"),
                total - self.scroll - h,
                ctx.sym("↓", "v")
            )
        };
        spans.push(Span::styled(where_, t.dim));
        Line::from(spans)
    }
}

/// What [`checkpoint_lines`] draws of one checkpoint.
struct CheckpointView<'a> {
    answer: &'a Answer,
    /// The file index of the choice at each position shown.
    order: &'a [usize],
    index: usize,
    total: usize,
    focused: bool,
}

/// The lines of one checkpoint: a rule with its number, the prompt, the
/// choices with their numbers (in the learner's shuffled order), then a
/// hint or the feedback.
fn checkpoint_lines(
    q: &Question,
    view: &CheckpointView,
    width: usize,
    ctx: &Ctx,
) -> Vec<Line<'static>> {
    let CheckpointView {
        answer: a,
        order,
        index,
        total,
        focused,
    } = *view;
    let t = ctx.theme;
    let mut out = Vec::new();
    let status = match a.submitted {
        Some(true) => format!(" {} answered right ", ctx.sym("✓", "[ok]")),
        Some(false) => format!(" {} answered wrong ", ctx.sym("✗", "[x]")),
        None => String::new(),
    };
    let marker = if focused { ctx.sym("▶ ", "> ") } else { "" };
    let title = format!("{marker}Checkpoint {} of {total}", index + 1);
    let rule = ctx.sym("─", "-");
    let used = 5 + title.chars().count() + status.chars().count();
    let status_style = match a.submitted {
        Some(true) => t.allow,
        Some(false) => t.deny,
        None => t.dim,
    };
    out.push(Line::from(vec![
        Span::styled(rule.repeat(3), t.border),
        Span::styled(format!(" {title} "), t.heading),
        Span::styled(status, status_style),
        Span::styled(rule.repeat(width.saturating_sub(used).max(1)), t.border),
    ]));
    out.extend(wrap(
        &runs(&ctx.pack.styled(&q.prompt), t.strong, ctx),
        width,
        &[],
        &[],
    ));
    if q.kind == QuestionKind::Multiple {
        out.push(Line::styled(format!("Choose {}.", q.pick), t.dim));
    }
    out.push(Line::default());
    if q.kind == QuestionKind::Policy {
        out.push(Line::styled(
            "This question is answered against a policy scenario, which the lesson reader cannot do yet.",
            t.dim,
        ));
        return out;
    }
    for (pos, &ci) in order.iter().enumerate() {
        let Some(choice) = q.choices.get(ci) else {
            continue;
        };
        // Numbers, as the hint says; the letters a-f choose too.
        let number = pos + 1;
        let picked = a.chosen.contains(&ci);
        let boxed = match (q.kind == QuestionKind::Multiple, picked) {
            (true, true) => "[x]",
            (true, false) => "[ ]",
            (false, true) => ctx.sym("(•)", "(*)"),
            (false, false) => "( )",
        };
        let (mark, mark_style) = match a.submitted {
            Some(_) if q.answer.contains(&ci) => (ctx.sym("✓", "+"), t.allow),
            Some(_) if picked => (ctx.sym("✗", "x"), t.deny),
            _ => (" ", t.text),
        };
        let lead = vec![
            Span::styled(format!("{mark} "), mark_style),
            Span::styled(format!("{boxed} "), if picked { t.strong } else { t.dim }),
            Span::styled(format!("{number}) "), t.strong),
        ];
        let rest = vec![Span::raw("        ")];
        let base = if picked { t.strong } else { t.text };
        out.extend(wrap(
            &runs(&ctx.pack.styled(choice), base, ctx),
            width,
            &lead,
            &rest,
        ));
    }
    out.push(Line::default());
    match a.submitted {
        None => {
            let n = q.choices.len();
            let how = if q.kind == QuestionKind::Multiple {
                format!("Press 1-{n} to toggle your {} choices, then Enter.", q.pick)
            } else {
                format!("Press 1-{n} to choose, then Enter.")
            };
            out.extend(wrap(&[(how, t.dim)], width, &[], &[]));
        }
        Some(correct) => {
            let verdict = if correct {
                Span::styled(format!("{} Correct. ", ctx.sym("✓", "[ok]")), t.allow)
            } else {
                let right: Vec<String> = order
                    .iter()
                    .enumerate()
                    .filter(|(_, ci)| q.answer.contains(ci))
                    .map(|(pos, _)| (pos + 1).to_string())
                    .collect();
                Span::styled(
                    format!(
                        "{} Not quite: the answer is {}. ",
                        ctx.sym("✗", "[x]"),
                        right.join(" and ")
                    ),
                    t.deny,
                )
            };
            out.extend(wrap(
                &runs(&ctx.pack.styled(&q.explanation), t.text, ctx),
                width,
                &[verdict],
                &[],
            ));
            out.extend(wrap(
                &[(
                    "r: answer it again (Tab picks it when another is on screen). Your first answer stays your first try.".to_string(),
                    t.dim,
                )],
                width,
                &[],
                &[],
            ));
        }
    }
    out
}

/// Inline markup as (text, style) runs for the word wrap.
fn runs(inlines: &[Inline], base: Style, ctx: &Ctx) -> Vec<(String, Style)> {
    let t = ctx.theme;
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(s) => (s.clone(), base),
            Inline::Emph(s) => (s.clone(), base.patch(t.emph)),
            Inline::Strong(s) => (s.clone(), base.patch(t.strong)),
            Inline::Code(s) => (s.clone(), base.patch(t.code)),
            Inline::TermLink { text, .. } => (text.clone(), base.patch(t.link)),
        })
        .collect()
}

impl Screen for LessonScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Lesson
    }

    fn on_action(&mut self, action: Action, ctx: &Ctx) -> EventResult {
        self.note = None;
        self.note_ok = false;
        self.verdict_note = None;
        let page = self.body_height().saturating_sub(2).max(1);
        let before = self.scroll;
        match action {
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll_to(self.scroll + 1),
            Action::ScrollUp(n) => self.scroll = self.scroll.saturating_sub(usize::from(n)),
            Action::ScrollDown(n) => self.scroll_to(self.scroll + usize::from(n)),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll_to(self.scroll + page),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll_to(self.max_scroll()),
            Action::StepForward => return self.step_diagram(true, ctx),
            Action::StepBack => return self.step_diagram(false, ctx),
            Action::FocusNext => return self.cycle_focus(true, ctx),
            Action::FocusPrev => return self.cycle_focus(false, ctx),
            Action::Choose(n) => return self.choose(n, ctx),
            Action::Enter => {
                if let Some(p) = self.focused_link() {
                    return EventResult::Emit(vec![Action::GlossaryTerm(p.term.clone())]);
                }
                return self.submit(ctx);
            }
            Action::Click(x, y) => return self.click(x, y),
            Action::Reset => return self.retry(ctx),
            Action::NextSection => return self.goto_section(true, ctx),
            Action::PrevSection => return self.goto_section(false, ctx),
            Action::Back => return EventResult::Emit(vec![self.save_position(ctx), Action::Close]),
            Action::CopyCode => return self.copy_code(),
            _ => return EventResult::Ignored,
        }
        if before == self.scroll {
            // A scroll key at the end still clears a stale note.
            return EventResult::Changed;
        }
        let emit = self.after_move(ctx);
        if emit.is_empty() {
            EventResult::Changed
        } else {
            EventResult::Emit(emit)
        }
    }

    fn resize(&mut self, area: Rect, ctx: &Ctx) {
        // Keep the same text at the top: scale the offset by the line count.
        let old_total = self.lines.len().max(1);
        let old_scroll = self.scroll;
        self.area = area;
        self.relayout(ctx);
        self.scroll = (old_scroll * self.lines.len() / old_total).min(self.max_scroll());
    }

    fn position(&self, ctx: &Ctx) -> Option<Change> {
        match self.save_position(ctx) {
            Action::Save(change) => Some(change),
            _ => None,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.theme;
        let lesson = self.lesson(ctx);
        let section = self.section(ctx);
        let w = area.width;
        let row = |y: u16| Rect::new(area.x + 1, area.y + y, w.saturating_sub(2), 1);
        let count = format!("Section {} of {}", self.section + 1, lesson.sections.len());
        let title_w = usize::from(w).saturating_sub(count.chars().count() + 4);
        let mut title = format!("{}. {}", lesson.order, lesson.title);
        if title.chars().count() > title_w {
            title = title
                .chars()
                .take(title_w.saturating_sub(1))
                .collect::<String>()
                + ctx.sym("…", "~");
        }
        let pad = usize::from(w).saturating_sub(2 + title.chars().count() + count.chars().count());
        Line::from(vec![
            Span::styled(title, t.strong),
            Span::raw(" ".repeat(pad)),
            Span::styled(count, t.dim),
        ])
        .render(row(0), buf);
        let mut sec = vec![Span::styled(section.title.clone(), t.heading)];
        if ctx.progress.section_completed(&lesson.id, &section.id) {
            sec.push(Span::styled(
                format!("  {} completed", ctx.sym("✓", "[done]")),
                t.ok,
            ));
        }
        Line::from(sec).render(row(1), buf);
        Line::styled(
            ctx.sym("─", "-").repeat(usize::from(w.saturating_sub(2))),
            t.border,
        )
        .render(row(2), buf);
        let body = self.body_rect();
        for (i, line) in self
            .lines
            .iter()
            .skip(self.scroll)
            .take(usize::from(body.height))
            .enumerate()
        {
            let y = body.y + u16::try_from(i).unwrap_or(0);
            line.render(Rect::new(body.x, y, body.width, 1), buf);
        }
        // The focused link, reversed (a mark that needs no colour).
        if let Some(Focus::Link(k)) = self.focus {
            for p in self.links.iter().filter(|p| p.link == k) {
                let Some(row) = p.line.checked_sub(self.scroll) else {
                    continue;
                };
                if row >= usize::from(body.height) {
                    continue;
                }
                let y = body.y + u16::try_from(row).unwrap_or(0);
                let w = p.width.min(body.width.saturating_sub(p.x));
                buf.set_style(
                    Rect::new(body.x + p.x, y, w, 1),
                    ratatui::style::Style::default()
                        .add_modifier(ratatui::style::Modifier::REVERSED),
                );
            }
        }
        let bottom = area.y + area.height;
        self.status(ctx).render(
            Rect::new(area.x + 1, bottom.saturating_sub(2), w.saturating_sub(2), 1),
            buf,
        );
        hint_bar(self.keymap(), area, buf, ctx);
    }
}
