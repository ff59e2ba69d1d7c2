//! An exam's score report: the score against the pass mark with PASS or
//! FAIL in words, the score per objective, and every answer with the right
//! one and the explanation, scrollable (unless the exam controls hide the
//! answers until later).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Ctx, EventResult, Screen, hint_bar};
use crate::core::quiz::clock_text;
use crate::core::quiz::{ExamReport, Session};
use crate::tui::action::Action;
use crate::tui::keymap::ScreenId;
use crate::tui::widgets::question::{describe, source_lines, text_lines};
use crate::tui::widgets::text::bar;

/// The score report screen.
#[derive(Debug)]
pub struct QuizReportScreen {
    session: Session,
    report: Option<ExamReport>,
    scroll: u16,
    page: u16,
}

impl QuizReportScreen {
    /// The report of a submitted exam.
    pub fn new(session: Session) -> Self {
        let report = session.submission().map(|s| s.report);
        QuizReportScreen {
            session,
            report,
            scroll: 0,
            page: 10,
        }
    }

    /// The report shown.
    pub fn report(&self) -> Option<&ExamReport> {
        self.report.as_ref()
    }

    fn lines(&self, ctx: &Ctx, width: usize) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let Some(r) = &self.report else {
            return vec![Line::styled("This exam was not submitted.", t.dim)];
        };
        let mut out = Vec::new();
        let (word, style) = if r.passed {
            ("PASS", t.allow)
        } else {
            ("FAIL", t.deny)
        };
        out.push(Line::from(vec![
            Span::styled(
                format!(
                    "Score: {} of {} right ({}%). Pass mark {}%: ",
                    r.score.right,
                    r.score.total,
                    r.percent(),
                    r.pass_mark
                ),
                t.strong,
            ),
            Span::styled(word, style.patch(t.strong)),
        ]));
        let how = if r.auto_submitted {
            "the time ran out and the exam was submitted automatically"
        } else {
            "submitted"
        };
        let mut facts = format!("Time used: {} ({how}).", clock_text(r.seconds));
        if r.unanswered > 0 {
            facts.push_str(&format!(" Unanswered: {}.", r.unanswered));
        }
        out.push(Line::styled(facts, t.text));
        if let Some(seed) = self.session.seed() {
            let count = if self.session.len() == crate::core::quiz::DEFAULT_EXAM_QUESTIONS {
                String::new()
            } else {
                format!(" --count {}", self.session.len())
            };
            out.extend(text_lines(
                ctx,
                &format!(
                    "Seed {seed}: `keyshake quiz --mode exam --seed {seed}{count}` gives the same exam again."
                ),
                t.dim,
                width,
                "",
                "",
            ));
        }
        self.objective_lines(r, ctx, width, &mut out);
        match self.session.review_hidden(ctx.now) {
            // The exam controls keep the answers for later; the score stays.
            Some(why) => {
                out.push(Line::raw(""));
                out.extend(text_lines(ctx, &why, t.strong, width, "", ""));
            }
            None => self.answer_lines(r, ctx, width, &mut out),
        }
        out
    }

    /// The score per objective, as bars.
    fn objective_lines(
        &self,
        r: &ExamReport,
        ctx: &Ctx,
        width: usize,
        out: &mut Vec<Line<'static>>,
    ) {
        let t = ctx.theme;
        out.push(Line::raw(""));
        out.push(Line::styled("By objective", t.heading));
        let name_w = width.saturating_sub(26).min(70);
        for o in &r.objectives {
            let pct = o.tally.percent();
            let (full, empty) = bar(pct, 10, ctx.ascii);
            let ok = pct >= r.pass_mark;
            out.push(Line::from(vec![
                Span::styled(
                    format!(
                        "{:>5} {:>4}% ",
                        format!("{}/{}", o.tally.right, o.tally.total),
                        pct
                    ),
                    t.text,
                ),
                Span::styled(full, if ok { t.ok } else { t.deny }),
                Span::styled(empty, t.dim),
                Span::styled(
                    format!(
                        " {}",
                        crate::tui::widgets::text::truncate(&o.title, name_w, ctx.ascii)
                    ),
                    t.text,
                ),
            ]));
        }
    }

    /// Every question with the learner's answer, the right one when it
    /// differs, and why.
    fn answer_lines(&self, r: &ExamReport, ctx: &Ctx, width: usize, out: &mut Vec<Line<'static>>) {
        let t = ctx.theme;
        out.push(Line::raw(""));
        out.push(Line::styled("Your answers", t.heading));
        for e in &r.entries {
            let Some(item) = self.session.items().get(e.index) else {
                continue;
            };
            out.push(Line::raw(""));
            let (mark, style, word) = if e.correct {
                (ctx.sym("✓", "+"), t.allow, "right")
            } else {
                (ctx.sym("✗", "x"), t.deny, "wrong")
            };
            let mut head = vec![
                Span::styled(format!("{}. ", e.index + 1), t.strong),
                Span::styled(format!("{mark} {word}"), style),
            ];
            if e.flagged {
                head.push(Span::styled(
                    format!("  {} flagged", ctx.sym("⚑", "!")),
                    t.warn,
                ));
            }
            head.push(Span::styled(format!("  {}", item.question.id), t.dim));
            out.push(Line::from(head));
            out.extend(text_lines(
                ctx,
                &item.question.prompt,
                t.text,
                width,
                "   ",
                "   ",
            ));
            let given = e
                .given
                .as_ref()
                .map_or("(no answer)".to_string(), |g| describe(item, g));
            out.extend(text_lines(
                ctx,
                &given,
                t.text,
                width,
                "   Your answer: ",
                "     ",
            ));
            if !e.correct {
                out.extend(text_lines(
                    ctx,
                    &describe(item, &e.right),
                    t.text,
                    width,
                    "   Right answer: ",
                    "     ",
                ));
            }
            out.extend(text_lines(
                ctx,
                &item.question.explanation,
                t.text,
                width,
                "   Why: ",
                "   ",
            ));
            if let Some(src) = &item.question.source {
                out.extend(source_lines(ctx, "   ", src, width));
            }
        }
    }
}

impl Screen for QuizReportScreen {
    fn id(&self) -> ScreenId {
        ScreenId::QuizReport
    }

    fn on_action(&mut self, action: Action, _ctx: &Ctx) -> EventResult {
        let before = self.scroll;
        let page = self.page.saturating_sub(1).max(1);
        match action {
            Action::Back => return EventResult::Emit(vec![Action::Close]),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1),
            Action::ScrollUp(n) => self.scroll = self.scroll.saturating_sub(n),
            Action::ScrollDown(n) => self.scroll = self.scroll.saturating_add(n),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll = self.scroll.saturating_add(page),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = u16::MAX,
            _ => return EventResult::Ignored,
        }
        if before == self.scroll {
            EventResult::Ignored
        } else {
            EventResult::Changed
        }
    }

    fn resize(&mut self, area: Rect, _ctx: &Ctx) {
        self.page = area.height.saturating_sub(3).max(1);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.theme;
        let bottom = area.y + area.height;
        Line::from(vec![
            Span::styled(" Score report ", t.heading),
            Span::styled(
                format!(
                    " {} exam of {} questions",
                    ctx.sym("·", "-"),
                    self.session.len()
                ),
                t.dim,
            ),
        ])
        .render(Rect::new(area.x, area.y, area.width, 1), buf);
        let top = area.y + 2;
        let height = bottom.saturating_sub(1).saturating_sub(top);
        let lines = self.lines(ctx, usize::from(area.width.saturating_sub(2)));
        let (scroll, max_scroll) = super::render_scrolled(
            lines,
            Rect::new(area.x, top, area.width, height),
            self.scroll,
            buf,
        );
        // No scroll percentage in the header (it read as a score): a plain
        // "more below" mark while the report goes on below the screen.
        if scroll < max_scroll {
            let text = ctx.sym("↓ more", "v more");
            Span::styled(text, t.dim).render(
                Rect::new(area.x + area.width.saturating_sub(8), area.y, 7, 1),
                buf,
            );
        }
        hint_bar(self.keymap(), area, buf, ctx);
    }
}
