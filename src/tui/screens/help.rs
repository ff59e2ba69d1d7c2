//! The `?` overlay: every key of the screen underneath, with what it does.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::{Ctx, EventResult, Screen, frame, key_names};
use crate::tui::action::Action;
use crate::tui::keymap::{Keymap, ScreenId};
use crate::tui::widgets::text::centered;
use crate::tui::widgets::wrap::wrap;

/// The help overlay for one screen's keys.
#[derive(Debug)]
pub struct HelpScreen {
    title: &'static str,
    keys: &'static Keymap,
    /// Lines scrolled past, when the help is taller than the screen.
    scroll: u16,
    /// The most lines the last frame could scroll past.
    max_scroll: std::cell::Cell<u16>,
}

impl HelpScreen {
    /// Help for the keys `keys` of a screen (titled by the keymap).
    pub fn new(keys: &'static Keymap) -> Self {
        HelpScreen {
            title: keys.title,
            keys,
            scroll: 0,
            max_scroll: std::cell::Cell::new(0),
        }
    }
}

impl Screen for HelpScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Help
    }

    fn on_action(&mut self, action: Action, _ctx: &Ctx) -> EventResult {
        match action {
            Action::Back => EventResult::Emit(vec![Action::Close]),
            Action::Up | Action::ScrollUp(_) | Action::PageUp => {
                let by = if let Action::ScrollUp(n) = action {
                    n
                } else if action == Action::PageUp {
                    10
                } else {
                    1
                };
                self.scroll = self.scroll.saturating_sub(by);
                EventResult::Changed
            }
            Action::Down | Action::ScrollDown(_) | Action::PageDown => {
                let by = if let Action::ScrollDown(n) = action {
                    n
                } else if action == Action::PageDown {
                    10
                } else {
                    1
                };
                self.scroll = self.scroll.saturating_add(by).min(self.max_scroll.get());
                EventResult::Changed
            }
            _ => EventResult::Ignored,
        }
    }

    fn is_overlay(&self) -> bool {
        true
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.theme;
        let key_w = self
            .keys
            .bindings()
            .map(|h| key_names(h.keys, ctx.ascii).chars().count())
            .max()
            .unwrap_or(0);
        let what_w = self
            .keys
            .bindings()
            .map(|h| h.help.chars().count())
            .max()
            .unwrap_or(0);
        // As wide as the longest entry, but never wider than the screen:
        // a long entry wraps under its own description, never cut.
        let w = u16::try_from(key_w + what_w + 6)
            .unwrap_or(u16::MAX)
            .max(40)
            .min(area.width);
        let text_w = usize::from(w.saturating_sub(3));
        let indent = " ".repeat(key_w + 3);
        let mut lines: Vec<Line> = Vec::new();
        for h in self.keys.bindings() {
            let keys = format!(" {:<key_w$}  ", key_names(h.keys, ctx.ascii));
            lines.extend(wrap(
                &[(h.help.to_string(), t.text)],
                text_w,
                &[Span::styled(keys, t.strong)],
                &[Span::raw(indent.clone())],
            ));
        }
        lines.push(Line::raw(""));
        for note in [
            "Ctrl-Q quits from any screen; Ctrl-C does too, except in a policy editor, where it copies (press it twice to quit).",
            "F10 turns the mouse off, so your terminal can select and copy text (F10 again, or KEYSHAKE_NO_MOUSE=1 to start that way).",
            "Esc, q or ? closes this help.",
        ] {
            lines.extend(wrap(
                &[(note.to_string(), t.dim)],
                text_w,
                &[Span::raw(" ")],
                &[Span::raw(" ")],
            ));
        }
        let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
        let rect = centered(area, w, h);
        let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
        let room = rect.height.saturating_sub(2);
        let max = total.saturating_sub(room);
        self.max_scroll.set(max);
        let top = self.scroll.min(max);
        let mut block =
            frame(ctx).title(Span::styled(format!(" Keys: {} ", self.title), t.heading));
        if top < max {
            block = block.title_bottom(Span::styled(
                format!(" {} more (j/PgDn) ", ctx.sym("↓", "v")),
                t.dim,
            ));
        }
        // The whole screen is cleared: half-covered words of the screen
        // underneath would read as cut ones.
        Clear.render(area, buf);
        Paragraph::new(lines)
            .block(block)
            .scroll((top, 0))
            .render(rect, buf);
    }
}
