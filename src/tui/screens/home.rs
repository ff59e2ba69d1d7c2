//! The course map: continue where you left off, every lesson with its
//! progress, the overall progress, and where content and progress live.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Ctx, EventResult, Screen, hint_bar};
use crate::core::progress::LabState;
use crate::core::quiz::{Mode, QuizSummary};
use crate::tui::action::Action;
use crate::tui::keymap::ScreenId;
use crate::tui::widgets::text::{bar, capitalise, truncate};
use crate::tui::widgets::wrap::wrap;

/// The width of a lesson's progress bar.
const BAR_W: usize = 10;

/// A row of the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// Continue where you left off.
    Continue,
    /// A lesson (index into the pack's lessons).
    Lesson(usize),
    /// A policy lab (index into the pack's labs).
    Lab(usize),
    /// The envelope-encryption walkthrough (shown when the course has
    /// its lab).
    Walkthrough,
    /// A quiz mode.
    Quiz(Mode),
    /// The mastery picture (its top line on the map).
    Mastery,
    /// Generated drills.
    Drill,
}

/// The home screen.
#[derive(Debug, Default)]
pub struct HomeScreen {
    selected: usize,
    /// Said after Enter on a placeholder.
    note: Option<String>,
}

impl HomeScreen {
    /// A home screen with "Continue" selected.
    pub fn new() -> Self {
        HomeScreen::default()
    }

    /// The rows, top to bottom.
    pub fn rows(ctx: &Ctx) -> Vec<Row> {
        let mut rows = vec![Row::Continue];
        rows.extend((0..ctx.pack.lessons.len()).map(Row::Lesson));
        rows.extend((0..ctx.pack.labs.len()).map(Row::Lab));
        if ctx.pack.lab(super::envelope::LAB_ID).is_some() {
            rows.push(Row::Walkthrough);
        }
        // Cram is picked in the quiz setup (and offered when nothing is
        // due), not a row of its own.
        rows.extend(
            Mode::ALL
                .into_iter()
                .filter(|m| *m != Mode::Cram)
                .map(Row::Quiz),
        );
        rows.push(Row::Drill);
        rows.push(Row::Mastery);
        rows
    }

    /// Puts the cursor on `row`; `false` if the map has no such row.
    pub fn select(&mut self, row: Row, ctx: &Ctx) -> bool {
        match Self::rows(ctx).iter().position(|r| *r == row) {
            Some(i) => {
                self.selected = i;
                self.note = None;
                true
            }
            None => false,
        }
    }

    /// The row under the cursor.
    pub fn selected(&self, ctx: &Ctx) -> Row {
        Self::rows(ctx)
            .get(self.selected)
            .copied()
            .unwrap_or(Row::Continue)
    }

    fn open(&mut self, ctx: &Ctx) -> EventResult {
        match self.selected(ctx) {
            Row::Continue => {
                let target = ctx.progress.resume_point(ctx.pack);
                match (target, ctx.pack.lessons.first()) {
                    (Some(p), _) => EventResult::Emit(vec![Action::OpenLesson {
                        lesson: p.lesson,
                        section: p.section,
                        scroll: p.scroll,
                    }]),
                    (None, Some(first)) => EventResult::Emit(vec![Action::OpenLesson {
                        lesson: first.id.clone(),
                        section: None,
                        scroll: 0,
                    }]),
                    (None, None) => EventResult::Ignored,
                }
            }
            Row::Lesson(i) => {
                let Some(lesson) = ctx.pack.lessons.get(i) else {
                    return EventResult::Ignored;
                };
                let entry = ctx.progress.lesson_entry(lesson);
                EventResult::Emit(vec![Action::OpenLesson {
                    lesson: entry.lesson,
                    section: entry.section,
                    scroll: entry.scroll,
                }])
            }
            Row::Lab(i) => match ctx.pack.labs.get(i) {
                Some(lab) => EventResult::Emit(vec![Action::OpenLab(lab.id.clone())]),
                None => EventResult::Ignored,
            },
            Row::Walkthrough => EventResult::Emit(vec![Action::Walkthrough]),
            Row::Quiz(mode) => EventResult::Emit(vec![Action::QuizSetup(mode)]),
            Row::Mastery => EventResult::Emit(vec![Action::Mastery]),
            Row::Drill => EventResult::Emit(vec![Action::Drill]),
        }
    }

    fn continue_text(ctx: &Ctx) -> String {
        let fresh = ctx.progress.last.is_none() && ctx.progress.lessons.is_empty();
        match ctx.progress.resume_point(ctx.pack) {
            Some(p) => {
                let Some(lesson) = ctx.pack.lesson(&p.lesson) else {
                    return "Continue where you left off".into();
                };
                let section = p
                    .section
                    .as_deref()
                    .and_then(|s| lesson.section(s))
                    .map(|s| format!(" {} {}", ctx.sym("›", ">"), s.title))
                    .unwrap_or_default();
                let lead = if fresh {
                    "Start the course"
                } else {
                    "Continue where you left off"
                };
                format!("{lead}: {}. {}{section}", lesson.order, lesson.title)
            }
            None => "Course complete: Enter starts again from lesson 1".into(),
        }
    }
}

/// "solved ✓", "in progress" or "not started", as the home screen shows
/// a lab.
pub fn lab_state(ctx: &Ctx, id: &str) -> (String, ratatui::style::Style) {
    match ctx.progress.lab_status(id) {
        LabState::Solved => (format!("solved {}", ctx.sym("✓", "(done)")), ctx.theme.ok),
        LabState::InProgress => ("in progress".into(), ctx.theme.warn),
        LabState::NotStarted => ("not started".into(), ctx.theme.dim),
    }
}

/// A quiz row: its name and its figure (due count, best exam, ...).
fn quiz_row(mode: Mode, home: &QuizSummary, ctx: &Ctx) -> (String, String) {
    let dash = ctx.sym("—", "-");
    match mode {
        Mode::Practice => {
            let t = home.first_try;
            let figure = if t.total == 0 {
                "by objective, checked at once".to_string()
            } else {
                format!(
                    "first try {} of {} right ({}%)",
                    t.right,
                    t.total,
                    t.percent()
                )
            };
            (mode.title().into(), format!(" {dash} {figure}"))
        }
        Mode::Exam => {
            let best = match home.best_exam {
                Some((p, _)) => format!("best {p}% of {} taken", home.exams_taken),
                None => "timed, none taken yet".into(),
            };
            (mode.title().into(), format!(" {dash} {best}"))
        }
        Mode::Review => (
            mode.title().into(),
            format!(" {dash} {} due today", home.due_today),
        ),
        Mode::Missed => (
            mode.title().into(),
            format!(" {dash} {} to retry", home.missed),
        ),
        Mode::Cram => (
            mode.title().into(),
            format!(" {dash} review ahead, schedule unchanged"),
        ),
    }
}

/// The line under the list for a quiz row: the mode, and for the exam
/// the last score per objective.
fn quiz_detail(mode: Mode, home: &QuizSummary, ctx: &Ctx) -> String {
    if mode == Mode::Exam && home.exams_taken > 0 {
        let scores: Vec<String> = home
            .last_by_objective
            .iter()
            .filter_map(|(id, _, t)| t.map(|t| format!("{id} {}%", t.percent())))
            .collect();
        return format!(
            "Last exam by objective: {}",
            scores.join(ctx.sym(" · ", ", "))
        );
    }
    capitalise(mode.blurb()) + "."
}

/// Columns of the first-try score on a lesson row (" 1st 12/14").
const FIRST_TRY_W: usize = 10;

/// Whether lesson rows show the first-try column: once any checkpoint was
/// answered.
fn first_try_shown(summary: &crate::core::progress::Summary) -> bool {
    summary.lessons.iter().any(|l| l.checkpoints_answered > 0)
}

impl HomeScreen {
    /// Row `i` of the list as one line (`None` for a row the course does
    /// not have).
    fn row_line(
        &self,
        row: Row,
        i: usize,
        summary: &crate::core::progress::Summary,
        home: &QuizSummary,
        (name_w, w): (usize, usize),
        ctx: &Ctx,
    ) -> Option<Vec<Span<'static>>> {
        let t = ctx.theme;
        let bar_w = BAR_W;
        let sel = i == self.selected;
        let marker = if sel { ctx.sym("▶ ", "> ") } else { "  " };
        let base = if sel { t.selected } else { t.text };
        let mut spans = vec![Span::raw(" "), Span::styled(marker, base)];
        match row {
            Row::Continue => {
                spans.push(Span::styled(
                    truncate(&Self::continue_text(ctx), w.saturating_sub(4), ctx.ascii),
                    base.patch(t.strong),
                ));
            }
            Row::Lesson(li) => {
                let (Some(lesson), Some(ls)) = (ctx.pack.lessons.get(li), summary.lessons.get(li))
                else {
                    return None;
                };
                let name = truncate(
                    &format!("{:>2}. {}", lesson.order, lesson.title),
                    name_w,
                    ctx.ascii,
                );
                spans.push(Span::styled(format!("{name:<name_w$}"), base));
                let pct = ls.percent();
                let (full, empty) = bar(pct, bar_w, ctx.ascii);
                spans.push(Span::raw(" "));
                spans.push(Span::styled(full, t.ok));
                spans.push(Span::styled(empty, t.dim));
                spans.push(Span::styled(format!(" {pct:>3}%"), t.text));
                // The first-try score: checkpoints right at the first
                // answer, out of those answered (a retry never raises it).
                if !first_try_shown(summary) {
                    // A new learner's map keeps its full title width.
                } else if ls.checkpoints_answered > 0 {
                    spans.push(Span::styled(
                        format!(
                            " 1st {:>5}",
                            format!("{}/{}", ls.checkpoints_first_right, ls.checkpoints_answered)
                        ),
                        t.dim,
                    ));
                } else {
                    spans.push(Span::raw(" ".repeat(FIRST_TRY_W)));
                }
                if pct == 100 {
                    spans.push(Span::styled(format!(" {}", ctx.sym("✓", "done")), t.ok));
                }
            }
            Row::Lab(li) => {
                let lab = ctx.pack.labs.get(li)?;
                let name = truncate(&format!("{:>2}. {}", li + 1, lab.title), name_w, ctx.ascii);
                spans.push(Span::styled(format!("{name:<name_w$}"), base));
                let (word, style) = lab_state(ctx, &lab.id);
                spans.push(Span::styled(format!(" {word}"), style));
            }
            Row::Walkthrough => {
                let name = truncate(
                    "Walkthrough: envelope encryption, hands on",
                    name_w,
                    ctx.ascii,
                );
                spans.push(Span::styled(format!("{name:<name_w$}"), base));
                let id = super::envelope::WALKTHROUGH_ID;
                let (word, style) = if ctx.progress.walkthroughs.contains_key(id) {
                    (format!("done {}", ctx.sym("✓", "(done)")), ctx.theme.ok)
                } else {
                    ("not done".to_string(), ctx.theme.dim)
                };
                spans.push(Span::styled(format!(" {word}"), style));
            }
            Row::Quiz(mode) => {
                let (name, figure) = quiz_row(mode, home, ctx);
                spans.push(Span::styled(name, base));
                spans.push(Span::styled(figure, t.dim));
            }
            Row::Mastery => {
                let line = super::mastery::MasteryScreen::figures(ctx).top_line();
                spans.push(Span::styled(
                    truncate(&line, w.saturating_sub(4), ctx.ascii),
                    base,
                ));
            }
            Row::Drill => {
                spans.push(Span::styled("Drills", base));
                spans.push(Span::styled(
                    format!(
                        " {} generated worlds, checked by the engine",
                        ctx.sym("—", "-")
                    ),
                    t.dim,
                ));
            }
        }
        Some(spans)
    }

    /// The line under the list: a note, or what the selected row is.
    fn detail_line(&self, home: &QuizSummary, w: usize, ctx: &Ctx) -> Line<'static> {
        let t = ctx.theme;
        match (&self.note, self.selected(ctx)) {
            (Some(note), _) => Line::styled(note.clone(), t.warn),
            (None, Row::Lesson(i)) => ctx
                .pack
                .lessons
                .get(i)
                .map(|l| Line::styled(truncate(&l.summary, w.saturating_sub(2), ctx.ascii), t.emph))
                .unwrap_or_default(),
            (None, Row::Lab(i)) => ctx
                .pack
                .labs
                .get(i)
                .map(|l| {
                    Line::styled(
                        truncate(
                            &format!(
                                "Edit the policies until every goal is met ({} goals).",
                                l.goals.len()
                            ),
                            w.saturating_sub(2),
                            ctx.ascii,
                        ),
                        t.emph,
                    )
                })
                .unwrap_or_default(),
            (None, Row::Quiz(mode)) => Line::styled(
                truncate(
                    &quiz_detail(mode, home, ctx),
                    w.saturating_sub(2),
                    ctx.ascii,
                ),
                t.emph,
            ),
            (None, Row::Walkthrough) => Line::styled(
                truncate(
                    "Encrypt a 10 KB report or a file of yours step by step, then decrypt it as account B.",
                    w.saturating_sub(2),
                    ctx.ascii,
                ),
                t.emph,
            ),
            (None, Row::Drill) => Line::styled(
                truncate(
                    "A small generated world with one planted misconception: is it allowed, what must change?",
                    w.saturating_sub(2),
                    ctx.ascii,
                ),
                t.emph,
            ),
            (None, Row::Continue) => Line::styled("Press Enter to continue.", t.dim),
            (None, Row::Mastery) => Line::styled(
                truncate(
                    "A bar per objective, the retention forecast, and what to study next.",
                    w.saturating_sub(2),
                    ctx.ascii,
                ),
                t.emph,
            ),
        }
    }
}

impl Screen for HomeScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Home
    }

    fn on_action(&mut self, action: Action, ctx: &Ctx) -> EventResult {
        let last = Self::rows(ctx).len().saturating_sub(1);
        let before = self.selected;
        match action {
            Action::Up | Action::ScrollUp(_) => self.selected = self.selected.saturating_sub(1),
            Action::Down | Action::ScrollDown(_) => self.selected = (self.selected + 1).min(last),
            Action::Top | Action::PageUp => self.selected = 0,
            Action::Bottom | Action::PageDown => self.selected = last,
            Action::Enter => return self.open(ctx),
            Action::Back => return EventResult::Emit(vec![Action::Quit]),
            _ => return EventResult::Ignored,
        }
        if before == self.selected {
            EventResult::Ignored
        } else {
            self.note = None;
            EventResult::Changed
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.theme;
        let w = area.width as usize;
        let mut y = area.y;
        let bottom = area.y + area.height;
        let put = |y: &mut u16, line: Line<'static>, buf: &mut Buffer| {
            if *y < bottom.saturating_sub(1) {
                line.render(Rect::new(area.x, *y, area.width, 1), buf);
                *y += 1;
            }
        };
        self.render_header(area, buf, ctx, &mut y);
        let summary = ctx.progress.summary(ctx.pack);
        let home = ctx.progress.quiz.summary(ctx.pack, ctx.now);
        let rows = Self::rows(ctx);
        // Rows left for the list: keep 5 lines for the footer.
        let room = usize::from(bottom.saturating_sub(y + 1 + 6)).max(3);
        // A list that does not fit gives a row to its "↓ more" line.
        let room = if rows.len() > room { room - 1 } else { room };
        let first = self.selected.saturating_sub(room.saturating_sub(1));
        let mut shown = first;
        // Entries out of view are announced, above and below the list.
        let more = |n: usize, up: bool| {
            let arrow = match (up, ctx.ascii) {
                (true, false) => "↑",
                (true, true) => "^",
                (false, false) => "↓",
                (false, true) => "v",
            };
            Line::styled(format!("   {arrow} {n} more"), t.dim)
        };
        if first > 0 {
            put(&mut y, more(first, true), buf);
        } else {
            put(&mut y, Line::raw(""), buf);
        }
        let bar_w = BAR_W;
        // Bars stay near their titles on a wide terminal.
        let first_w = if first_try_shown(&summary) {
            FIRST_TRY_W
        } else {
            0
        };
        let name_w = w.min(100).saturating_sub(4 + bar_w + 6 + first_w + 3);
        for (i, row) in rows.iter().enumerate().skip(first).take(room) {
            let Some(spans) = self.row_line(*row, i, &summary, &home, (name_w, w), ctx) else {
                continue;
            };
            if *row == Row::Quiz(Mode::Practice) {
                put(&mut y, Line::styled("   Quiz", t.heading), buf);
            }
            let before = y;
            put(&mut y, Line::from(spans), buf);
            if y > before {
                shown = i + 1;
            }
            if *row == Row::Continue {
                put(&mut y, Line::styled("   Course", t.heading), buf);
            }
            // The labs get their own heading after the last lesson.
            if matches!(row, Row::Lesson(_)) && matches!(rows.get(i + 1), Some(Row::Lab(_))) {
                put(&mut y, Line::styled("   Policy labs", t.heading), buf);
            }
        }

        let below = rows.len().saturating_sub(shown);
        if below > 0 {
            put(&mut y, more(below, false), buf);
        }

        // The hint bar at the bottom; overall progress, the selected
        // entry's summary and where things live right under the list
        // (drawn upwards from the third line below it).
        hint_bar(self.keymap(), area, buf, ctx);
        self.render_footer(area, y, (&summary, &home), buf, ctx);
    }
}

/// Parts of the course map's frame, drawn by [`HomeScreen::render`].
impl HomeScreen {
    /// The title line and any notices (a learner whose progress was moved
    /// aside must see it first); `y` moves past them.
    fn render_header(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx, y: &mut u16) {
        let t = ctx.theme;
        let w = area.width as usize;
        let bottom = area.y + area.height;
        let put = |y: &mut u16, line: Line<'static>, buf: &mut Buffer| {
            if *y < bottom.saturating_sub(1) {
                line.render(Rect::new(area.x, *y, area.width, 1), buf);
                *y += 1;
            }
        };
        // Who is in, and on which course, before the tagline (which goes
        // first when the line is short).
        let sep = ctx.sym("·", "-");
        let who = truncate(
            &format!("{sep} {} ", ctx.who()),
            w.saturating_sub(10),
            ctx.ascii,
        );
        let room = w.saturating_sub(10 + who.chars().count());
        let tagline = format!("{sep} sharing KMS-encrypted data across AWS accounts");
        let mut title = vec![
            Span::styled(" keyshake ", t.heading),
            Span::styled(who, t.strong),
        ];
        if tagline.chars().count() <= room {
            title.push(Span::styled(tagline, t.dim));
        }
        put(y, Line::from(title), buf);
        // Notices first: a learner whose progress was moved aside must see it.
        for notice in ctx.notices {
            let lead = [Span::styled(format!("{} ", ctx.sym("⚠", "!")), t.warn)];
            let rest = [Span::raw("  ")];
            let runs = [(notice.clone(), t.warn)];
            for l in wrap(&runs, w.saturating_sub(2), &lead, &rest) {
                if *y + 8 >= bottom {
                    break;
                }
                l.render(
                    Rect::new(area.x + 1, *y, area.width.saturating_sub(2), 1),
                    buf,
                );
                *y += 1;
            }
        }
    }

    /// Overall progress, the selected entry's summary and where things
    /// live, right under the list that ended at `y` (drawn upwards from the
    /// third line below it).
    fn render_footer(
        &self,
        area: Rect,
        y: u16,
        (summary, home): (&crate::core::progress::Summary, &QuizSummary),
        buf: &mut Buffer,
        ctx: &Ctx,
    ) {
        let t = ctx.theme;
        let w = area.width as usize;
        let bottom = area.y + area.height;
        let mut fy = (y + 4).min(bottom.saturating_sub(1));
        let line = |fy: &mut u16, l: Line<'static>, buf: &mut Buffer| {
            *fy = fy.saturating_sub(1);
            if *fy >= y {
                l.render(
                    Rect::new(area.x + 1, *fy, area.width.saturating_sub(2), 1),
                    buf,
                );
            }
        };
        line(
            &mut fy,
            Line::styled(
                truncate(
                    &format!(
                        "Content: {} ({} lessons) {} Progress: {}",
                        ctx.pack_label,
                        ctx.pack.lessons.len(),
                        ctx.sym("·", "-"),
                        ctx.progress_path
                    ),
                    w.saturating_sub(2),
                    ctx.ascii,
                ),
                t.dim,
            ),
            buf,
        );
        let detail = self.detail_line(home, w, ctx);
        line(&mut fy, detail, buf);
        let pct = summary.percent();
        let (full, empty) = bar(pct, 20, ctx.ascii);
        let answered: usize = summary.lessons.iter().map(|l| l.checkpoints_answered).sum();
        let total: usize = summary.lessons.iter().map(|l| l.checkpoints_total).sum();
        line(
            &mut fy,
            Line::from(vec![
                Span::styled("Overall ", t.strong),
                Span::styled(full, t.ok),
                Span::styled(empty, t.dim),
                Span::styled(
                    format!(
                        " {pct:>3}%  {}/{} sections {} {answered}/{total} checkpoints answered",
                        summary.sections_completed(),
                        summary.sections_total(),
                        ctx.sym("·", "-"),
                    ),
                    t.text,
                ),
            ]),
            buf,
        );
    }
}
