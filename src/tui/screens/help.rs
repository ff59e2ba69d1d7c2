//! The `?` overlay: every key of the screen underneath, with what it does.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::{Ctx, EventResult, Screen, frame, key_names};
use crate::tui::action::Action;
use crate::tui::keymap::{Keymap, ScreenId};
use crate::tui::widgets::text::centered;

/// The help overlay for one screen's keys.
#[derive(Debug)]
pub struct HelpScreen {
    title: &'static str,
    keys: &'static Keymap,
}

impl HelpScreen {
    /// Help for the keys `keys` of a screen (titled by the keymap).
    pub fn new(keys: &'static Keymap) -> Self {
        HelpScreen {
            title: keys.title,
            keys,
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
        let mut lines: Vec<Line> = self
            .keys
            .bindings()
            .map(|h| {
                Line::from(vec![
                    Span::styled(
                        format!(" {:<key_w$}  ", key_names(h.keys, ctx.ascii)),
                        t.strong,
                    ),
                    Span::styled(h.help, t.text),
                ])
            })
            .collect();
        lines.push(Line::raw(""));
        lines.push(Line::styled(" Ctrl-C quits from any screen.", t.dim));
        lines.push(Line::styled(" Esc, q or ? closes this help.", t.dim));
        let w = u16::try_from(key_w + what_w + 6)
            .unwrap_or(u16::MAX)
            .max(40);
        let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
        let rect = centered(area, w, h);
        Clear.render(rect, buf);
        Paragraph::new(lines)
            .block(frame(ctx).title(Span::styled(format!(" Keys: {} ", self.title), t.heading)))
            .render(rect, buf);
    }
}
