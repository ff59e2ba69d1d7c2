//! The mastery screen: a bar per objective and per drilled misconception
//! (from first attempts, recent ones weighing more), the FSRS retention
//! forecast as a sparkline, and "what to study next", which Enter opens.
//! Every bar has its number beside it, so colour carries no meaning alone.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Sparkline, Widget};

use super::{Ctx, EventResult, Screen, hint_bar};
use crate::core::mastery::{Bar, FORECAST_DAYS, MASTERED, Mastery, Target};
use crate::core::progress::change::Change;
use crate::core::quiz::schedule::RETENTION_RANGE;
use crate::core::quiz::{Mode, Settings, date_of_day};
use crate::tui::action::Action;
use crate::tui::keymap::ScreenId;
use crate::tui::widgets::text::{bar, truncate};

/// The width of a bar.
const BAR_W: usize = 20;

/// The mastery screen.
#[derive(Debug, Default)]
pub struct MasteryScreen {
    scroll: usize,
    /// Said after Enter when the target is a drill (taken from the
    /// command line).
    note: Option<String>,
}

impl MasteryScreen {
    /// The screen, scrolled to the top.
    pub fn new() -> Self {
        MasteryScreen::default()
    }

    /// The figures shown.
    pub fn figures(ctx: &Ctx) -> Mastery {
        Mastery::new(
            ctx.pack,
            ctx.progress,
            &crate::core::drill::mastery_catalog(),
            ctx.now,
        )
    }

    fn open_next(&mut self, ctx: &Ctx) -> EventResult {
        let Some(next) = Self::figures(ctx).next else {
            return EventResult::Ignored;
        };
        let action = match next.target {
            Target::Lesson(id) => {
                let Some(lesson) = ctx.pack.lesson(&id) else {
                    return EventResult::Ignored;
                };
                let entry = ctx.progress.lesson_entry(lesson);
                Action::OpenLesson {
                    lesson: entry.lesson,
                    section: entry.section,
                    scroll: entry.scroll,
                }
            }
            Target::Lab(id) => Action::OpenLab(id),
            Target::Practice(objective) => {
                let mut s = Settings::new(Mode::Practice);
                s.objectives = vec![objective];
                Action::QuizWith(Box::new(s))
            }
            Target::Drill { misconception, .. } => Action::DrillOn { misconception },
        };
        EventResult::Emit(vec![action])
    }

    /// Moves the desired retention by `step` hundredths, refusing to leave
    /// 0.70–0.97 with a note.
    fn change_retention(&mut self, step: i32, ctx: &Ctx) -> EventResult {
        let now = (ctx.progress.quiz.desired_retention() * 100.0).round() as i32;
        let wanted = now + step;
        let (lo, hi) = (*RETENTION_RANGE.start(), *RETENTION_RANGE.end());
        match u32::try_from(wanted)
            .ok()
            .filter(|w| RETENTION_RANGE.contains(w))
        {
            Some(r) => {
                self.note = None;
                EventResult::Emit(vec![Action::Save(Change::ReviewSettings {
                    retention: Some(r),
                    exam_day: ctx.progress.quiz.exam_day,
                })])
            }
            None => {
                self.note = Some(format!(
                    "The desired retention stays between 0.{lo} and 0.{hi}: below, reviews come too late; above, they multiply for little gain."
                ));
                EventResult::Changed
            }
        }
    }

    /// The review settings line.
    fn settings_line(ctx: &Ctx) -> String {
        let q = &ctx.progress.quiz;
        let exam = q
            .exam_day
            .map_or("none".to_string(), |d| format!("{} (UTC)", date_of_day(d)));
        format!(
            "Desired retention {:.2} ({} change) {} exam date {exam} (keyshake progress settings)",
            q.desired_retention(),
            ctx.sym("←/→", "Left/Right"),
            ctx.sym("·", "-"),
        )
    }

    /// The scrolling part: the bars.
    fn bar_lines(m: &Mastery, w: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let id_w = m
            .objectives
            .iter()
            .chain(&m.misconceptions)
            .map(|b| b.id.chars().count())
            .max()
            .unwrap_or(0)
            .min(w / 3);
        let row = |b: &Bar| {
            let mut spans = vec![Span::styled(
                format!("  {:<id_w$} ", truncate(&b.id, id_w, ctx.ascii)),
                t.text,
            )];
            let pct = b.score.unwrap_or(0);
            let (full, empty) = bar(pct, BAR_W, ctx.ascii);
            let style = match b.score {
                Some(s) if s >= MASTERED => t.ok,
                Some(_) => t.warn,
                None => t.dim,
            };
            spans.push(Span::styled(full, style));
            spans.push(Span::styled(empty, t.dim));
            let (score, counts) = match b.score {
                Some(s) => (format!(" {s:>3}%"), format!("  {}/{}", b.right, b.attempts)),
                None => ("   --".to_string(), "  no attempts".to_string()),
            };
            spans.push(Span::styled(score, t.strong));
            spans.push(Span::styled(counts, t.dim));
            let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
            let mark = match b.score {
                Some(s) if s >= MASTERED => ctx.sym(" ✓", " ok"),
                _ => "",
            };
            spans.push(Span::styled(mark, t.ok));
            let room = w.saturating_sub(used + mark.len() + 2);
            // A title cut to a word or two says nothing: show it only where
            // most of it fits (the id already names the row).
            let fits = room >= 24 || b.title.chars().count() <= room;
            if fits && b.title != b.id {
                spans.push(Span::styled(
                    format!("  {}", truncate(&b.title, room, ctx.ascii)),
                    t.dim,
                ));
            }
            Line::from(spans)
        };
        let mut lines = vec![Line::styled(
            "By objective (first attempts; an attempt counts half after 30 days)",
            t.heading,
        )];
        lines.extend(m.objectives.iter().map(row));
        if !m.misconceptions.is_empty() {
            lines.push(Line::raw(""));
            lines.push(Line::styled("By misconception (drills)", t.heading));
            lines.extend(m.misconceptions.iter().map(row));
        }
        lines
    }

    /// The forecast's caption line.
    fn forecast_caption(m: &Mastery) -> String {
        match (m.forecast.first(), m.forecast.get(7), m.forecast.last()) {
            (Some(a), Some(b), Some(c)) => format!(
                "Retention forecast without review (FSRS): {a}% today, {b}% in 7 days, {c}% in {} days",
                FORECAST_DAYS - 1
            ),
            _ => "Retention forecast: no review cards yet (answer a quiz question to start one)"
                .to_string(),
        }
    }
}

impl Screen for MasteryScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Mastery
    }

    fn on_action(&mut self, action: Action, ctx: &Ctx) -> EventResult {
        let before = self.scroll;
        match action {
            Action::Up | Action::ScrollUp(_) => self.scroll = self.scroll.saturating_sub(1),
            Action::Down | Action::ScrollDown(_) => self.scroll = self.scroll.saturating_add(1),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(10),
            Action::PageDown => self.scroll = self.scroll.saturating_add(10),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = usize::MAX / 2,
            Action::Enter => return self.open_next(ctx),
            Action::StepForward => return self.change_retention(1, ctx),
            Action::StepBack => return self.change_retention(-1, ctx),
            Action::Back => return EventResult::Emit(vec![Action::Close]),
            _ => return EventResult::Ignored,
        }
        if before == self.scroll {
            EventResult::Ignored
        } else {
            EventResult::Changed
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.theme;
        let w = usize::from(area.width).saturating_sub(1);
        let m = Self::figures(ctx);
        let line_at = |y: u16, line: Line<'static>, buf: &mut Buffer| {
            if y < area.y + area.height {
                line.render(
                    Rect::new(area.x + 1, y, area.width.saturating_sub(1), 1),
                    buf,
                );
            }
        };
        line_at(
            area.y,
            Line::from(vec![
                Span::styled("Mastery ", t.heading),
                Span::styled(
                    format!(
                        "{} what you know, from your first attempts",
                        ctx.sym("·", "-")
                    ),
                    t.dim,
                ),
            ]),
            buf,
        );
        line_at(
            area.y + 1,
            Line::styled(truncate(&m.score_line(), w, ctx.ascii), t.text),
            buf,
        );
        // Bottom block: forecast (caption + sparkline), study next, note,
        // hint bar.
        let spark = !ctx.ascii && !m.forecast.is_empty();
        let bottom_h: u16 = 5 + u16::from(spark) + u16::from(self.note.is_some());
        let list_top = area.y + 3;
        let list_h = usize::from((area.y + area.height).saturating_sub(list_top + bottom_h));
        let lines = Self::bar_lines(&m, w, ctx);
        let max_scroll = lines.len().saturating_sub(list_h);
        let scroll = self.scroll.min(max_scroll);
        let shown = lines.len().min(list_h);
        for (i, line) in lines.into_iter().skip(scroll).take(list_h).enumerate() {
            line_at(list_top + i as u16, line, buf);
        }
        // The forecast follows the list, or sits above the hint bar when
        // the list fills the screen.
        let mut y = (list_top + shown as u16).min((area.y + area.height).saturating_sub(bottom_h));
        if max_scroll > scroll {
            line_at(
                y.saturating_sub(1),
                Line::styled(format!("  {} more (j/k)", ctx.sym("↓", "v")), t.dim),
                buf,
            );
        }
        y += 1;
        line_at(
            y,
            Line::styled(truncate(&Self::forecast_caption(&m), w, ctx.ascii), t.text),
            buf,
        );
        y += 1;
        if spark {
            let data: Vec<u64> = m.forecast.iter().map(|&p| u64::from(p)).collect();
            let width = (FORECAST_DAYS as u16).min(area.width.saturating_sub(2));
            // The label first, then the sparkline over its leading blanks.
            line_at(
                y,
                Line::styled(
                    format!(
                        "{:w$} today {} {} days",
                        "",
                        ctx.sym("→", "->"),
                        FORECAST_DAYS - 1,
                        w = usize::from(width) + 1
                    ),
                    t.dim,
                ),
                buf,
            );
            Sparkline::default()
                .data(&data)
                .max(100)
                .style(t.ok)
                .render(Rect::new(area.x + 2, y, width, 1), buf);
            y += 1;
        }
        let next = match &m.next {
            Some(n) => format!("Study next: {} (Enter opens it)", n.label),
            None => format!("Every objective is at {MASTERED}% or more: keep reviewing"),
        };
        line_at(y, Line::styled(truncate(&next, w, ctx.ascii), t.emph), buf);
        y += 1;
        line_at(
            y,
            Line::styled(truncate(&Self::settings_line(ctx), w, ctx.ascii), t.dim),
            buf,
        );
        y += 1;
        if let Some(note) = &self.note {
            line_at(y, Line::styled(truncate(note, w, ctx.ascii), t.warn), buf);
        }
        hint_bar(self.keymap(), area, buf, ctx);
    }
}
