//! The screens of the tutor. Each owns its local state (selection, scroll,
//! answers being chosen), turns actions into changes of that state, and
//! emits the actions that concern the whole app (open a lesson, save
//! progress). None of them touches the progress store.

pub mod drill;
pub mod envelope;
pub mod glossary;
pub mod help;
pub mod home;
pub mod lab;
pub mod lesson;
pub mod mastery;
pub mod quiz;
pub mod quiz_report;
pub mod quiz_setup;
pub mod sandbox_dialog;

use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::action::Action;
use super::keymap::{self, Keymap, ScreenId};
use super::theme::Theme;
use crate::core::content::Pack;
use crate::core::progress::Progress;

/// What a screen reads from the app to render and to decide.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The course.
    pub pack: &'a Pack,
    /// The learner's progress as last saved (or applied).
    pub progress: &'a Progress,
    /// Styles.
    pub theme: &'a Theme,
    /// Draw with ASCII only (no box-drawing characters or symbols).
    pub ascii: bool,
    /// What the learner must be told: a progress file moved aside, a
    /// save that failed. Newest last.
    pub notices: &'a [String],
    /// Where the course comes from ("built-in" or a folder).
    pub pack_label: &'a str,
    /// Where progress is kept.
    pub progress_path: &'a str,
    /// The learner's profile (`--profile`); `None`: the default one.
    pub profile: Option<&'a str>,
    /// Unix seconds now, from the app's clock (tests drive it).
    pub now: u64,
}

impl Ctx<'_> {
    /// Who is in and on which course, for the top of the home screen and
    /// the quiz setup: `profile ana · pack kms-class 2026.1`.
    pub fn who(&self) -> String {
        let sep = self.sym("·", "-");
        let profile = self.profile.unwrap_or("default");
        let pack = if self.pack_label == "built-in" {
            "built-in course".to_string()
        } else {
            format!("pack {} {}", self.pack.info.name, self.pack.info.version)
        };
        self.text(&format!("profile {profile} {sep} {pack}"))
    }

    /// `unicode` normally, `ascii` when the terminal cannot show it.
    pub fn sym(&self, unicode: &'static str, ascii: &'static str) -> &'static str {
        if self.ascii { ascii } else { unicode }
    }

    /// Text from the engine or a file as is, or with ASCII dashes and
    /// quotes (and `?` for anything else outside ASCII) when the terminal
    /// shows ASCII only.
    pub fn text(&self, text: &str) -> String {
        ascii_text(text, self.ascii)
    }
}

/// See [`Ctx::text`].
pub fn ascii_text(text: &str, ascii: bool) -> String {
    if !ascii {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c {
            '–' | '—' | '‐' => '-',
            '‘' | '’' => '\'',
            '“' | '”' => '"',
            '·' => '-',
            '→' => '>',
            '…' => '~',
            c if c.is_ascii() => c,
            _ => '?',
        })
        .collect()
}

/// What handling an action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventResult {
    /// Nothing: the action does not apply here.
    Ignored,
    /// The screen's state changed; draw again.
    Changed,
    /// The screen wants the app to do these (in order); draw again.
    Emit(Vec<Action>),
}

/// A screen as [`Any`](std::any::Any), so the app can find a screen by
/// its type ([`crate::tui::app::App::find`]) without one accessor per type.
pub trait AsAny {
    /// This screen, to downcast.
    fn as_any(&self) -> &dyn std::any::Any;
    /// This screen, to downcast mutably.
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any;
}

impl<T: std::any::Any> AsAny for T {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// One screen of the tutor.
pub trait Screen: AsAny {
    /// Which screen this is (picks the keymap and hints).
    fn id(&self) -> ScreenId;

    /// Handles an action meant for this screen (the app maps keys to
    /// actions through this screen's [`Screen::keymap`]).
    fn on_action(&mut self, action: Action, ctx: &Ctx) -> EventResult;

    /// The screen above this one closed, so this one is on top again
    /// (the learner may have changed progress meanwhile, e.g. in a lab);
    /// returns actions for the app, as [`Screen::on_action`] emits them.
    fn uncovered(&mut self, _ctx: &Ctx) -> Vec<Action> {
        Vec::new()
    }

    /// The terminal was resized (the whole area is given); reflow.
    fn resize(&mut self, _area: Rect, _ctx: &Ctx) {}

    /// Draws the screen into `area`.
    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx);

    /// The keys of this screen as it is now (what keys do, the hint bar
    /// and the help overlay all come from it).
    fn keymap(&self) -> &'static Keymap {
        keymap::keymap(self.id())
    }

    /// Drawn over the screen below it (help, glossary) rather than alone.
    fn is_overlay(&self) -> bool {
        false
    }

    /// Work deferred while keys were queued (the lab's re-check of edited
    /// policies) is done now: the app calls it before it draws and before
    /// any action that is not an edit.
    fn settle(&mut self, _ctx: &Ctx) -> EventResult {
        EventResult::Ignored
    }

    /// When the screen next needs a tick; `Some` only while something is
    /// due: a running exam's timer (once a second), a lab's autosave one
    /// second after the last edit. Otherwise the app sleeps in
    /// `event::read()` whenever it is idle.
    fn deadline(&self) -> Option<Instant> {
        None
    }

    /// Quitting must ask this screen first (a sandbox with unsaved
    /// changes): the app hands it [`Action::Quit`] instead of quitting.
    fn guards_quit(&self) -> bool {
        false
    }

    /// What to save on quit: the place in a lesson, a lab's unsaved edits.
    fn position(&self, _ctx: &Ctx) -> Option<super::action::Change> {
        None
    }
}

/// Key names as shown: arrows, or their names when drawing ASCII only.
pub fn key_names(keys: &str, ascii: bool) -> String {
    if !ascii {
        return keys.to_string();
    }
    keys.replace('↑', "Up")
        .replace('↓', "Down")
        .replace('←', "Left")
        .replace('→', "Right")
}

/// Draws the one-line key hints on the last row of `area` (a screen, or
/// an overlay's inside), one column in.
pub fn hint_bar(keys: &Keymap, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let area = Rect::new(
        area.x + 1,
        (area.y + area.height).saturating_sub(1),
        area.width.saturating_sub(1),
        1,
    );
    use ratatui::text::{Line, Span};
    use ratatui::widgets::Widget;
    let theme = ctx.theme;
    let mut spans = Vec::new();
    for h in keys.bindings().filter(|h| !h.bar.is_empty()) {
        if !spans.is_empty() {
            spans.push(Span::styled("  ", theme.dim));
        }
        let (keys, what) = h.bar.split_once(' ').unwrap_or((h.bar, ""));
        spans.push(Span::styled(key_names(keys, ctx.ascii), theme.strong));
        spans.push(Span::styled(format!(" {what}"), theme.dim));
    }
    Line::from(spans).render(area, buf);
}

/// A bordered frame, drawn with ASCII when box-drawing is off.
pub fn frame<'a>(ctx: &Ctx) -> ratatui::widgets::Block<'a> {
    use ratatui::symbols::border;
    use ratatui::widgets::{Block, Borders};
    let set = if ctx.ascii {
        border::Set {
            top_left: "+",
            top_right: "+",
            bottom_left: "+",
            bottom_right: "+",
            vertical_left: "|",
            vertical_right: "|",
            horizontal_top: "-",
            horizontal_bottom: "-",
        }
    } else {
        border::PLAIN
    };
    Block::default()
        .borders(Borders::ALL)
        .border_set(set)
        .border_style(ctx.theme.border)
}

/// Inline markup (a question, a definition) as styled spans.
pub fn inline_spans(
    inlines: &[crate::core::content::Inline],
    theme: &Theme,
) -> Vec<ratatui::text::Span<'static>> {
    use crate::core::content::Inline;
    use ratatui::text::Span;
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(s) => Span::styled(s.clone(), theme.text),
            Inline::Emph(s) => Span::styled(s.clone(), theme.emph),
            Inline::Strong(s) => Span::styled(s.clone(), theme.strong),
            Inline::Code(s) => Span::styled(s.clone(), theme.code),
            Inline::TermLink { text, .. } => Span::styled(text.clone(), theme.link),
        })
        .collect()
}

/// Draws `lines` from line `scroll` (clamped) into the rows of `area`,
/// one column in from its left edge; returns (the scroll used, the largest
/// useful scroll).
pub fn render_scrolled(
    lines: Vec<ratatui::text::Line<'static>>,
    area: Rect,
    scroll: u16,
    buf: &mut Buffer,
) -> (usize, usize) {
    use ratatui::widgets::Widget;
    let height = usize::from(area.height);
    let max_scroll = lines.len().saturating_sub(height);
    let scroll = usize::from(scroll).min(max_scroll);
    for (i, l) in lines.into_iter().skip(scroll).take(height).enumerate() {
        let row = area.y + u16::try_from(i).unwrap_or(0);
        l.render(
            Rect::new(area.x + 1, row, area.width.saturating_sub(2), 1),
            buf,
        );
    }
    (scroll, max_scroll)
}
