//! The `/` glossary search: type to filter, ↑/↓ to pick, Enter for the
//! whole definition.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::{Ctx, EventResult, Screen, frame, hint_bar, inline_spans};
use crate::tui::action::Action;
use crate::tui::keymap::ScreenId;
use crate::tui::widgets::text::centered;

/// The glossary overlay.
#[derive(Debug, Default)]
pub struct GlossaryScreen {
    query: String,
    selected: usize,
    /// Showing one definition in full.
    detail: bool,
    /// Opened from a link: Esc goes straight back to where it was.
    followed: bool,
}

impl GlossaryScreen {
    /// An empty search (every term listed).
    pub fn new() -> Self {
        GlossaryScreen::default()
    }

    /// The glossary open at `id`'s whole definition (a followed link);
    /// Esc goes back to the list, with the term selected. `None` for a
    /// term the pack does not define.
    pub fn showing(id: &str, pack: &crate::core::content::Pack) -> Option<Self> {
        let selected = pack
            .search_glossary("")
            .into_iter()
            .position(|t| t.id == id)?;
        Some(GlossaryScreen {
            query: String::new(),
            selected,
            detail: true,
            followed: true,
        })
    }

    /// The search text.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Ids of the matching terms, best first.
    pub fn matches<'p>(&self, ctx: &Ctx<'p>) -> Vec<&'p str> {
        ctx.pack
            .search_glossary(&self.query)
            .into_iter()
            .map(|t| t.id.as_str())
            .collect()
    }

    fn definition(&self, id: &str, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let Some(term) = ctx.pack.term(id) else {
            return Vec::new();
        };
        let mut lines = vec![
            Line::styled(term.term.clone(), t.heading),
            Line::from(inline_spans(&ctx.pack.styled(&term.definition), t)),
        ];
        if !term.aliases.is_empty() {
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled("Also called: ", t.dim),
                Span::styled(term.aliases.join(", "), t.text),
            ]));
        }
        let taught: Vec<String> = term
            .see
            .iter()
            .filter_map(|l| ctx.pack.lesson(l))
            .map(|l| format!("{}. {}", l.order, l.title))
            .collect();
        if !taught.is_empty() {
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled("Taught in: ", t.dim),
                Span::styled(taught.join("; "), t.text),
            ]));
        }
        lines
    }
}

impl Screen for GlossaryScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Glossary
    }

    fn is_overlay(&self) -> bool {
        true
    }

    fn on_action(&mut self, action: Action, ctx: &Ctx) -> EventResult {
        let count = self.matches(ctx).len();
        match action {
            Action::Back if self.detail && !self.followed => self.detail = false,
            Action::Back => return EventResult::Emit(vec![Action::Close]),
            Action::Type(c) => {
                self.query.push(c);
                self.selected = 0;
                self.detail = false;
            }
            Action::Erase => {
                if self.query.pop().is_none() {
                    return EventResult::Ignored;
                }
                self.selected = 0;
                self.detail = false;
            }
            Action::Up | Action::ScrollUp(_) => self.selected = self.selected.saturating_sub(1),
            Action::Down | Action::ScrollDown(_) => {
                self.selected = (self.selected + 1).min(count.saturating_sub(1));
            }
            Action::PageUp => self.selected = self.selected.saturating_sub(10),
            Action::PageDown => self.selected = (self.selected + 10).min(count.saturating_sub(1)),
            Action::Enter if count > 0 => self.detail = true,
            _ => return EventResult::Ignored,
        }
        EventResult::Changed
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.theme;
        let rect = centered(
            area,
            area.width.saturating_sub(4).min(100),
            area.height.saturating_sub(2),
        );
        // The whole screen is cleared: half-covered words of the screen
        // underneath would read as cut ones.
        Clear.render(area, buf);
        let block = frame(ctx).title(Span::styled(" Glossary ", t.heading));
        let inner = block.inner(rect);
        block.render(rect, buf);
        if inner.height < 4 || inner.width < 20 {
            return;
        }
        let matches = self.matches(ctx);
        let cursor = if ctx.ascii { "_" } else { "▏" };
        Line::from(vec![
            Span::styled(" Search: ", t.strong),
            Span::styled(self.query.clone(), t.text),
            Span::styled(cursor, t.dim),
            Span::styled(
                format!("   {} of {} terms", matches.len(), ctx.pack.glossary.len()),
                t.dim,
            ),
        ])
        .render(Rect::new(inner.x, inner.y, inner.width, 1), buf);
        let body = Rect::new(inner.x, inner.y + 2, inner.width, inner.height - 3);
        hint_bar(self.keymap(), inner, buf, ctx);
        if matches.is_empty() {
            Paragraph::new(Line::styled(
                format!(
                    " No term matches \"{}\". Backspace to widen the search.",
                    self.query
                ),
                t.dim,
            ))
            .render(body, buf);
            return;
        }
        let selected = self.selected.min(matches.len() - 1);
        let wrap = Wrap { trim: true };
        if self.detail {
            let mut lines = self.definition(matches[selected], ctx);
            lines.push(Line::raw(""));
            lines.push(Line::styled("Esc: back to the list", t.dim));
            let r = Rect::new(
                body.x + 1,
                body.y,
                body.width.saturating_sub(2),
                body.height,
            );
            Paragraph::new(lines).wrap(wrap).render(r, buf);
            return;
        }
        let list_w = (body.width / 3).clamp(18, 34);
        let rows = usize::from(body.height);
        let first = selected.saturating_sub(rows.saturating_sub(1));
        for (row, id) in matches.iter().enumerate().skip(first).take(rows) {
            let Some(term) = ctx.pack.term(id) else {
                continue;
            };
            let sel = row == selected;
            let marker = if sel { ctx.sym("▶ ", "> ") } else { "  " };
            let style = if sel { t.selected } else { t.text };
            let y = body.y + u16::try_from(row - first).unwrap_or(0);
            Line::from(vec![
                Span::styled(marker, style),
                Span::styled(
                    crate::tui::widgets::text::truncate(
                        &term.term,
                        usize::from(list_w) - 2,
                        ctx.ascii,
                    ),
                    style,
                ),
            ])
            .render(Rect::new(body.x, y, list_w, 1), buf);
        }
        let r = Rect::new(
            body.x + list_w + 2,
            body.y,
            body.width.saturating_sub(list_w + 3),
            body.height,
        );
        Paragraph::new(self.definition(matches[selected], ctx))
            .wrap(wrap)
            .render(r, buf);
    }
}
