//! The sandbox's questions about its file (`keyshake lab FILE`): a save
//! that met a change made on disk, or a read-only file ("reload,
//! overwrite or save elsewhere?"), and, on opening, edits kept from an
//! earlier session ("restore them?"). The dialog only asks: it emits a
//! [`Resolve`] that [`crate::tui::app::App::update`] carries out.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::{Ctx, EventResult, Screen, frame, hint_bar};
use crate::tui::action::{Action, Resolve};
use crate::tui::keymap::{self, Keymap, ScreenId};
use crate::tui::widgets::wrap::wrap;

/// What the dialog asks about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// The file changed on disk since it was opened; the save did not
    /// happen. `changed` says what changed there.
    Conflict {
        /// What changed on disk, in a sentence.
        changed: String,
    },
    /// The file may not be written.
    ReadOnly {
        /// Why, in a sentence.
        why: String,
    },
    /// Edits of an earlier session are kept in this file.
    Restore {
        /// The recovery file, as shown.
        file: String,
        /// How many other recovery files there are.
        more: usize,
    },
}

/// The dialog overlay.
#[derive(Debug)]
pub struct SandboxDialog {
    question: Question,
    /// What to do after a successful save (leave, quit).
    then: Option<Box<Action>>,
}

impl SandboxDialog {
    /// Asks `question`; `then` runs once a save succeeds.
    pub fn new(question: Question, then: Option<Box<Action>>) -> Self {
        SandboxDialog { question, then }
    }

    /// The question asked.
    pub fn question(&self) -> &Question {
        &self.question
    }

    fn lines(&self) -> Vec<String> {
        match &self.question {
            Question::Conflict { changed } => vec![
                format!("Not saved: {changed}"),
                String::new(),
                "r  reload: take the file as it is on disk (your edits are kept in a recovery file beside it)".into(),
                "o  overwrite: write your policies into the file as it is now (their other changes stay)".into(),
                "s  save elsewhere: write your version to a new file beside it".into(),
                "Esc  keep editing, nothing written".into(),
            ],
            Question::ReadOnly { why } => vec![
                format!("Not saved: {why}"),
                String::new(),
                "s  save elsewhere: write your version to a new file beside it".into(),
                "Esc  keep editing, nothing written".into(),
            ],
            Question::Restore { file, more } => {
                let others = match more {
                    0 => String::new(),
                    1 => " (and 1 older one)".into(),
                    n => format!(" (and {n} older ones)"),
                };
                vec![
                    format!("Unsaved edits from an earlier session are kept in {file}{others}."),
                    String::new(),
                    "Enter  restore them into the editor (the file is unchanged until Ctrl-S)".into(),
                    "Esc  open the file as it is (the recovery file stays)".into(),
                ]
            }
        }
    }

    fn choose(&mut self, resolve: Resolve) -> EventResult {
        let then = self.then.take();
        EventResult::Emit(vec![Action::Close, Action::Resolve(resolve, then)])
    }
}

impl Screen for SandboxDialog {
    fn id(&self) -> ScreenId {
        ScreenId::SandboxDialog
    }

    fn keymap(&self) -> &'static Keymap {
        match self.question {
            Question::Conflict { .. } => &keymap::SANDBOX_CONFLICT,
            Question::ReadOnly { .. } => &keymap::SANDBOX_READ_ONLY,
            Question::Restore { .. } => &keymap::SANDBOX_RESTORE,
        }
    }

    fn on_action(&mut self, action: Action, _ctx: &Ctx) -> EventResult {
        let conflict = matches!(self.question, Question::Conflict { .. });
        let restore = matches!(self.question, Question::Restore { .. });
        match action {
            Action::Back | Action::Decline => EventResult::Emit(vec![Action::Close]),
            Action::Reload if conflict => self.choose(Resolve::Reload),
            Action::Overwrite if conflict => self.choose(Resolve::Overwrite),
            Action::SaveElsewhere if !restore => self.choose(Resolve::SaveElsewhere),
            Action::Confirm if restore => self.choose(Resolve::Restore),
            _ => EventResult::Ignored,
        }
    }

    fn is_overlay(&self) -> bool {
        true
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.theme;
        let width = area.width.saturating_sub(8).clamp(20, 90);
        let inner_w = usize::from(width.saturating_sub(4));
        let mut text: Vec<Line> = Vec::new();
        for l in self.lines() {
            // The path comes from the command line or the disk.
            let shown = crate::core::text::neutralise(&l).into_owned();
            if shown.is_empty() {
                text.push(Line::default());
                continue;
            }
            let indent = if shown.starts_with("Not saved") || shown.starts_with("Unsaved") {
                ""
            } else {
                "     "
            };
            text.extend(wrap(&[(shown, t.text)], inner_w, &[], &[Span::raw(indent)]));
        }
        let lines = u16::try_from(text.len()).unwrap_or(u16::MAX);
        let height = lines.saturating_add(2).min(area.height.saturating_sub(2));
        let para = Paragraph::new(text);
        let x = area.x + (area.width.saturating_sub(width)) / 2;
        let y = area.y + (area.height.saturating_sub(height)) / 2;
        let boxed = Rect::new(x, y, width.min(area.width), height);
        Clear.render(boxed, buf);
        let title = match self.question {
            Question::Restore { .. } => " Restore unsaved edits? ",
            _ => " The file was not saved ",
        };
        let block = frame(ctx).title(title);
        let inner = block.inner(boxed);
        block.render(boxed, buf);
        let padded = Rect::new(
            inner.x + 1,
            inner.y,
            inner.width.saturating_sub(2),
            inner.height,
        );
        para.render(padded, buf);
        hint_bar(self.keymap(), area, buf, ctx);
    }
}
