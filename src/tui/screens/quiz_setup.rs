//! The quiz setup: pick a mode, the objectives to practise, or the exam's
//! length, time and pass mark, with the learner's quiz figures beside each
//! (due today, best exam, last exam score per objective).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Ctx, EventResult, Screen, hint_bar};
use crate::core::quiz::{self, Mode, Settings};
use crate::tui::action::Action;
use crate::tui::keymap::ScreenId;
use crate::tui::widgets::text::truncate;

/// One row of the setup form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The mode.
    Mode,
    /// How many questions (practice and exam).
    Count,
    /// Exam minutes.
    Minutes,
    /// Exam pass mark.
    PassMark,
    /// An objective to practise (index into the pack's objectives).
    Objective(usize),
    /// Start the quiz.
    Start,
}

/// The quiz setup screen.
#[derive(Debug)]
pub struct QuizSetupScreen {
    mode: Mode,
    count: usize,
    practice_count: usize,
    minutes: u64,
    pass_mark: u32,
    /// Objectives picked for practice (indexes; empty: all).
    picked: Vec<usize>,
    selected: usize,
    seed: Option<u64>,
    /// The command line's exam controls (the pack's apply too).
    controls: quiz::controls::ExamControls,
    /// Why the quiz could not start (nothing due, nothing missed).
    message: Option<String>,
}

impl QuizSetupScreen {
    /// A setup with `mode` chosen and the default settings; `seed` fixes
    /// the shuffle (`--seed`).
    pub fn new(mode: Mode, seed: Option<u64>) -> Self {
        QuizSetupScreen {
            mode,
            count: quiz::DEFAULT_EXAM_QUESTIONS,
            practice_count: Mode::Practice.default_count().unwrap_or(10),
            minutes: quiz::DEFAULT_EXAM_MINUTES,
            pass_mark: quiz::DEFAULT_PASS_MARK,
            picked: Vec::new(),
            selected: 0,
            seed,
            controls: quiz::controls::ExamControls::default(),
            message: None,
        }
    }

    /// A setup filled in from `settings` (the command line's), whose
    /// objective ids are looked up in `objectives` (unknown ones dropped).
    pub fn with_settings(
        settings: &Settings,
        seed: Option<u64>,
        objectives: &[crate::core::content::Objective],
    ) -> Self {
        let mut s = QuizSetupScreen::new(settings.mode, seed);
        match settings.mode {
            Mode::Exam => s.count = settings.count.unwrap_or(s.count),
            _ => s.practice_count = settings.count.unwrap_or(s.practice_count),
        }
        s.minutes = settings.exam_minutes;
        s.pass_mark = settings.pass_mark;
        s.controls = settings.controls.clone();
        s.picked = objectives
            .iter()
            .enumerate()
            .filter(|(_, o)| settings.objectives.contains(&o.id))
            .map(|(i, _)| i)
            .collect();
        s
    }

    /// The mode chosen.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The rows for the mode chosen, top to bottom.
    pub fn fields(&self, ctx: &Ctx) -> Vec<Field> {
        let mut f = vec![Field::Mode];
        match self.mode {
            Mode::Practice => {
                f.push(Field::Count);
                f.extend((0..ctx.pack.objectives.len()).map(Field::Objective));
            }
            Mode::Exam => f.extend([Field::Count, Field::Minutes, Field::PassMark]),
            Mode::Review | Mode::Missed | Mode::Cram => {}
        }
        f.push(Field::Start);
        f
    }

    /// The settings the form describes.
    pub fn settings(&self, ctx: &Ctx) -> Settings {
        let mut s = Settings::new(self.mode);
        s.controls = self.controls.clone();
        match self.mode {
            Mode::Practice => {
                s.count = Some(self.practice_count.min(bank(ctx)));
                s.objectives = self
                    .picked
                    .iter()
                    .filter_map(|&i| ctx.pack.objectives.get(i).map(|o| o.id.clone()))
                    .collect();
            }
            Mode::Exam => {
                s.count = Some(self.count.min(bank(ctx)));
                s.exam_minutes = self.minutes;
                s.pass_mark = self.pass_mark;
            }
            Mode::Review | Mode::Missed | Mode::Cram => {}
        }
        s
    }

    fn field(&self, ctx: &Ctx) -> Field {
        self.fields(ctx)
            .get(self.selected)
            .copied()
            .unwrap_or(Field::Start)
    }

    /// Changes the value under the cursor by one step (`up`: larger).
    fn adjust(&mut self, ctx: &Ctx, up: bool) -> bool {
        let step = |v: u64, by: u64, lo: u64, hi: u64| {
            if up {
                v.saturating_add(by).min(hi)
            } else {
                v.saturating_sub(by).max(lo)
            }
        };
        // Steps of 5 from 5 up to the bank's size; one at a time in a bank
        // of fewer than 5.
        let bank = bank(ctx) as u64;
        let (by, lo) = if bank < 5 { (1, 1) } else { (5, 5) };
        match self.field(ctx) {
            Field::Mode => {
                let i = Mode::ALL.iter().position(|m| *m == self.mode).unwrap_or(0);
                let n = Mode::ALL.len();
                let next = if up { (i + 1) % n } else { (i + n - 1) % n };
                self.mode = Mode::ALL.get(next).copied().unwrap_or(Mode::Practice);
            }
            Field::Count if self.mode == Mode::Exam => {
                let now = self.count.min(bank as usize) as u64;
                self.count = usize::try_from(step(now, by, lo, bank)).unwrap_or(20);
            }
            Field::Count => {
                let now = self.practice_count.min(bank as usize) as u64;
                self.practice_count = usize::try_from(step(now, by, lo, bank)).unwrap_or(10);
            }
            Field::Minutes => self.minutes = step(self.minutes, 5, 5, 180),
            Field::PassMark => {
                self.pass_mark = u32::try_from(step(u64::from(self.pass_mark), 1, 1, 100))
                    .unwrap_or(quiz::DEFAULT_PASS_MARK);
            }
            Field::Objective(_) | Field::Start => return false,
        }
        true
    }

    fn start(&mut self, ctx: &Ctx) -> EventResult {
        let settings = self.settings(ctx);
        // A fresh shuffle each time; the seed is shown with the exam, so
        // it is kept short enough to type back into `--seed`.
        let pack_seed = (self.mode == Mode::Exam)
            .then_some(ctx.pack.info.exam.seed)
            .flatten();
        let seed = self
            .seed
            .or(pack_seed)
            .unwrap_or_else(|| rand::random_range(0..1_000_000));
        match quiz::build_seeded(ctx.pack, &ctx.progress.quiz, &settings, ctx.now, seed) {
            Ok(session) => {
                self.message = None;
                EventResult::Emit(vec![Action::StartQuiz(Box::new(session))])
            }
            Err(quiz::BuildError::NothingDue {
                next_due_day,
                learned,
            }) if learned > 0 => {
                let text = quiz::next_review_text(next_due_day, learned);
                self.message = Some(format!(
                    "{}{}. Press c to review ahead (cram: nothing on your schedule moves), or take a drill (keyshake drill).",
                    text.chars()
                        .next()
                        .map(|c| c.to_uppercase().to_string())
                        .unwrap_or_default(),
                    text.chars().skip(1).collect::<String>()
                ));
                EventResult::Changed
            }
            Err(e) => {
                let text = e.to_string();
                let mut c = text.chars();
                self.message = Some(match c.next() {
                    Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
                    None => text,
                });
                EventResult::Changed
            }
        }
    }
}

/// The most questions a quiz can ask: the bank's size (at least 1).
fn bank(ctx: &Ctx) -> usize {
    ctx.pack.questions.len().max(1)
}

impl QuizSetupScreen {
    /// Field `f` of the form, drawn in `base` (its label, value or title).
    fn field_spans(
        &self,
        f: &Field,
        base: ratatui::style::Style,
        home: &crate::core::quiz::QuizSummary,
        w: usize,
        ctx: &Ctx,
    ) -> Vec<Span<'static>> {
        let t = ctx.theme;
        let mut out = Vec::new();
        let (l, r) = (ctx.sym("◀", "<"), ctx.sym("▶", ">"));
        let value = |label: &str, v: String| format!("{label:<14}{l} {v} {r}");
        match f {
            Field::Mode => {
                out.push(Span::styled(
                    value("Mode", Mode::title(self.mode).to_string()),
                    base,
                ));
                out.push(Span::styled(
                    truncate(
                        &format!("  {}", Mode::blurb(self.mode)),
                        w.saturating_sub(32),
                        ctx.ascii,
                    ),
                    t.dim,
                ));
            }
            Field::Count => {
                let n = if self.mode == Mode::Exam {
                    self.count
                } else {
                    self.practice_count
                };
                let n = n.min(bank(ctx));
                out.push(Span::styled(value("Questions", n.to_string()), base));
                out.push(Span::styled(
                    format!("  of {} in the bank", ctx.pack.questions.len()),
                    t.dim,
                ));
            }
            Field::Minutes => {
                out.push(Span::styled(
                    value("Minutes", self.minutes.to_string()),
                    base,
                ));
            }
            Field::PassMark => {
                out.push(Span::styled(
                    value("Pass mark", format!("{}%", self.pass_mark)),
                    base,
                ));
            }
            Field::Objective(oi) => {
                let on = self.picked.contains(oi);
                let mark = if on { "[x] " } else { "[ ] " };
                let title = ctx
                    .pack
                    .objectives
                    .get(*oi)
                    .map_or(String::new(), |o| o.title.clone());
                let last = home
                    .last_by_objective
                    .get(*oi)
                    .and_then(|(_, _, t)| *t)
                    .map_or("-".to_string(), |t| {
                        format!("{}/{} {:>3}%", t.right, t.total, t.percent())
                    });
                let name_w = w.saturating_sub(4 + 4 + 14);
                out.push(Span::styled(mark, base));
                out.push(Span::styled(
                    format!("{:<name_w$}", truncate(&title, name_w, ctx.ascii)),
                    base,
                ));
                out.push(Span::styled(format!("{last:>12}"), t.dim));
            }
            Field::Start => {
                out.push(Span::styled("Start", base.patch(t.strong)));
                let what = match self.mode {
                    Mode::Practice if self.picked.is_empty() => "  (every objective)".to_string(),
                    Mode::Practice if self.picked.len() == 1 => "  (1 objective picked)".into(),
                    Mode::Practice => format!("  ({} objectives picked)", self.picked.len()),
                    Mode::Review => format!("  ({} due today)", home.due_today),
                    Mode::Missed => format!("  ({} to retry)", home.missed),
                    Mode::Cram => "  (the 10 due soonest)".into(),
                    Mode::Exam => String::new(),
                };
                out.push(Span::styled(what, t.dim));
            }
        }
        out
    }
}

impl Screen for QuizSetupScreen {
    fn id(&self) -> ScreenId {
        ScreenId::QuizSetup
    }

    fn on_action(&mut self, action: Action, ctx: &Ctx) -> EventResult {
        let last = self.fields(ctx).len().saturating_sub(1);
        match action {
            Action::Up | Action::ScrollUp(_) => self.selected = self.selected.saturating_sub(1),
            Action::Down | Action::ScrollDown(_) => self.selected = (self.selected + 1).min(last),
            Action::PageUp | Action::Top => self.selected = 0,
            Action::PageDown | Action::Bottom => self.selected = last,
            Action::StepBack | Action::StepForward => {
                if !self.adjust(ctx, action == Action::StepForward) {
                    return EventResult::Ignored;
                }
                let last = self.fields(ctx).len().saturating_sub(1);
                self.selected = self.selected.min(last);
            }
            Action::Enter => match self.field(ctx) {
                Field::Objective(i) => {
                    if let Some(p) = self.picked.iter().position(|&x| x == i) {
                        self.picked.remove(p);
                    } else {
                        self.picked.push(i);
                        self.picked.sort_unstable();
                    }
                }
                Field::Start => return self.start(ctx),
                _ => {
                    self.adjust(ctx, true);
                }
            },
            Action::Submit => return self.start(ctx),
            Action::Cram => {
                self.mode = Mode::Cram;
                self.selected = 0;
                return self.start(ctx);
            }
            Action::Back => return EventResult::Emit(vec![Action::Close]),
            _ => return EventResult::Ignored,
        }
        self.message = None;
        EventResult::Changed
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.theme;
        let w = usize::from(area.width);
        let bottom = area.y + area.height;
        let mut y = area.y;
        let mut put = |line: Line<'static>, buf: &mut Buffer| {
            if y < bottom.saturating_sub(1) {
                line.render(Rect::new(area.x, y, area.width, 1), buf);
                y += 1;
            }
        };
        let home = ctx.progress.quiz.summary(ctx.pack, ctx.now);
        put(
            Line::from(vec![
                Span::styled(" keyshake quiz ", t.heading),
                Span::styled(
                    truncate(
                        &format!("{} {} ", ctx.sym("·", "-"), ctx.who()),
                        w.saturating_sub(16),
                        ctx.ascii,
                    ),
                    t.strong,
                ),
                Span::styled(
                    format!(
                        "{} {} questions",
                        ctx.sym("·", "-"),
                        ctx.pack.questions.len()
                    ),
                    t.dim,
                ),
            ]),
            buf,
        );
        let best = home
            .best_exam
            .map_or("none yet".to_string(), |(p, _)| format!("{p}%"));
        put(
            Line::styled(
                format!(
                    " Due for review today: {} {sep} Missed: {} {sep} Exams taken: {} {sep} Best exam: {best}",
                    home.due_today,
                    home.missed,
                    home.exams_taken,
                    sep = ctx.sym("·", "-"),
                ),
                t.text,
            ),
            buf,
        );
        put(Line::raw(""), buf);
        let fields = self.fields(ctx);
        let room = usize::from(bottom.saturating_sub(area.y + 3 + 4)).max(3);
        let first = self.selected.saturating_sub(room.saturating_sub(1));
        for (i, f) in fields.iter().enumerate().skip(first).take(room) {
            let sel = i == self.selected;
            let base = if sel { t.selected } else { t.text };
            let marker = if sel { ctx.sym("▶ ", "> ") } else { "  " };
            let mut spans = vec![Span::raw(" "), Span::styled(marker, base)];
            spans.extend(self.field_spans(f, base, &home, w, ctx));
            put(Line::from(spans), buf);
            if *f == Field::Count && self.mode == Mode::Practice {
                put(
                    Line::styled(
                        "   Objectives (none picked: all)          last exam score",
                        t.dim,
                    ),
                    buf,
                );
            }
        }
        if self.mode == Mode::Exam && home.exams_taken > 0 {
            put(Line::raw(""), buf);
            put(Line::styled("   Last exam score per objective", t.dim), buf);
            for (_, title, tally) in &home.last_by_objective {
                let score = tally.map_or("-".to_string(), |t| {
                    format!("{}/{} {:>3}%", t.right, t.total, t.percent())
                });
                let name_w = w.saturating_sub(20).min(60);
                put(
                    Line::styled(
                        format!(
                            "   {:<name_w$} {score:>10}",
                            truncate(title, name_w, ctx.ascii)
                        ),
                        t.text,
                    ),
                    buf,
                );
            }
        }
        let footer = bottom.saturating_sub(2);
        let seed = match self.seed {
            Some(seed) => format!(" Seed {seed}: the same seed gives the same quiz."),
            None => {
                " Seed: a new one each start (the exam shows it; --seed N fixes it).".to_string()
            }
        };
        Line::styled(truncate(&seed, w, ctx.ascii), t.dim)
            .render(Rect::new(area.x, footer, area.width, 1), buf);
        let footer = footer.saturating_sub(1);
        if let Some(m) = &self.message {
            // Wrapped and drawn upwards from the footer line.
            let lines = crate::tui::widgets::wrap::wrap(
                &[(m.clone(), t.warn)],
                w.saturating_sub(2),
                &[],
                &[],
            );
            let top = footer.saturating_sub(u16::try_from(lines.len()).unwrap_or(1) - 1);
            for (i, l) in lines.into_iter().enumerate() {
                let row = top + u16::try_from(i).unwrap_or(0);
                l.render(
                    Rect::new(area.x + 1, row, area.width.saturating_sub(2), 1),
                    buf,
                );
            }
        }
        hint_bar(self.keymap(), area, buf, ctx);
    }
}
