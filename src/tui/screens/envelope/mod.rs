//! The envelope-encryption walkthrough screen: draws the steps of
//! [`Walkthrough`] (the model, with its KMS calls, lives in
//! `core::kms::walkthrough`) and turns keys into its steps.
//!
//! Every byte shown is real; nothing runs between key presses.

mod steps;

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Ctx, EventResult, Screen, hint_bar, render_scrolled};
use crate::core::content::diagram::DiagramId;
use crate::core::kms::walkthrough::{
    Inputs, Moved, Walkthrough, bytes, lab_number, read_sample, sanitize,
};
pub use crate::core::kms::walkthrough::{
    KEY_ALIAS, LAB_ID, MAX_FILE, READER, SAMPLE_LEN, STEPS, Stage, WALKTHROUGH_ID, WRITER,
    sample_report,
};
use crate::tui::action::{Action, Change};
use crate::tui::keymap::ScreenId;
use crate::tui::widgets::diagram::diagram_boxes;

/// The walkthrough screen.
pub struct EnvelopeScreen {
    model: Walkthrough,
    seed: Option<u64>,
    /// In the chooser: the file row (and its path field) is selected.
    file_row: bool,
    path: String,
    /// Why the chosen file cannot be used.
    error: Option<String>,
    /// A one-line message (why → did not move on).
    note: Option<String>,
    scroll: u16,
    max_scroll: Cell<usize>,
    /// The finish was saved to progress (in this visit or before).
    recorded: bool,
}

/// What the model's steps read, from the screen's context.
fn inputs<'a>(ctx: &Ctx<'a>) -> Inputs<'a> {
    Inputs {
        pack: ctx.pack,
        progress: ctx.progress,
        ascii: ctx.ascii,
    }
}

impl EnvelopeScreen {
    /// The walkthrough at its sample chooser. `seed` fixes the random
    /// bytes (tests); `None` takes them from the operating system.
    pub fn new(seed: Option<u64>) -> Self {
        EnvelopeScreen {
            model: Walkthrough::new(seed),
            seed,
            file_row: false,
            path: String::new(),
            error: None,
            note: None,
            scroll: 0,
            max_scroll: Cell::new(0),
            recorded: false,
        }
    }

    /// The model on screen (for tests).
    pub fn model(&self) -> &Walkthrough {
        &self.model
    }

    /// Finished: the decrypt as account B gave back the sample.
    pub fn finished(&self) -> bool {
        self.model.finished()
    }

    /// The progress change for a finish not saved yet.
    fn unrecorded(&self) -> Option<Change> {
        (self.finished() && !self.recorded).then(|| Change::WalkthroughDone {
            id: WALKTHROUGH_ID.to_string(),
        })
    }

    /// The current step.
    pub fn stage(&self) -> Stage {
        self.model.stage()
    }

    /// The recovered plaintext matched the sample in the last decrypt.
    pub fn decrypted_matches(&self) -> Option<bool> {
        self.model.decrypted_matches()
    }

    /// Reads the chosen sample (the learner's file, or the generated
    /// report) into a new run; `false` with the error on screen if the
    /// file cannot be used.
    fn start(&mut self) -> bool {
        let (name, sample) = if self.file_row {
            match read_sample(&self.path) {
                Ok(s) => s,
                Err(e) => {
                    self.error = Some(e);
                    return false;
                }
            }
        } else {
            (
                "quarterly-report.csv (generated)".to_string(),
                sample_report(),
            )
        };
        self.error = None;
        self.model.start(name, sample);
        true
    }

    /// Shows what a step of the model did.
    fn moved(&mut self, moved: Moved) -> EventResult {
        match moved {
            Moved::Nothing => EventResult::Ignored,
            Moved::Asked | Moved::On => {
                self.scroll = 0;
                EventResult::Changed
            }
            Moved::Stayed(why) => {
                self.note = Some(why);
                EventResult::Changed
            }
        }
    }

    fn forward(&mut self, ctx: &Ctx) -> EventResult {
        self.note = None;
        if self.model.stage() == Stage::Choose && !self.start() {
            return EventResult::Changed;
        }
        let moved = self.model.forward(&inputs(ctx));
        self.moved(moved)
    }

    fn back(&mut self) -> EventResult {
        self.note = None;
        let moved = self.model.back();
        self.moved(moved)
    }

    fn restart(&mut self) -> EventResult {
        *self = EnvelopeScreen {
            path: std::mem::take(&mut self.path),
            file_row: self.file_row,
            ..EnvelopeScreen::new(self.seed)
        };
        EventResult::Changed
    }

    fn body(&self, ctx: &Ctx, width: usize) -> Vec<Line<'static>> {
        let mut o = steps::Out {
            lines: Vec::new(),
            width,
            ctx,
        };
        match (self.model.run(), self.model.stage()) {
            (Some(run), Stage::Encrypt) => steps::encrypt(&mut o, run),
            (Some(run), Stage::DataKey) => steps::data_key(&mut o, run),
            (Some(run), Stage::Local) => steps::local(&mut o, run),
            (Some(run), Stage::Discard) => steps::discard(&mut o, run),
            (Some(run), Stage::Store) => steps::store(&mut o, run),
            (Some(run), Stage::Decrypt) => steps::decrypt(&mut o, run),
            _ => self.chooser(&mut o),
        }
        o.lines
    }

    fn chooser(&self, o: &mut steps::Out) {
        let ctx = o.ctx;
        let t = ctx.theme;
        o.para(
            "Envelope encryption with real bytes: a toy KMS on this machine, real AES-256-GCM, \
             and the policy engine deciding every KMS call, as in the labs.",
            t.text,
        );
        o.blank();
        o.line(Line::styled("What should be encrypted?", t.strong));
        let radio = |on: bool| {
            if on { ctx.sym("(•)", "(*)") } else { "( )" }
        };
        let marker = |on: bool| if on { ctx.sym("▶ ", "> ") } else { "  " };
        let gen_style = if self.file_row { t.text } else { t.selected };
        o.line(Line::from(vec![
            Span::raw(marker(!self.file_row)),
            Span::styled(
                format!(
                    "{} A generated quarterly sales report (CSV, {})",
                    radio(!self.file_row),
                    bytes(SAMPLE_LEN)
                ),
                gen_style,
            ),
        ]));
        let file_style = if self.file_row { t.selected } else { t.text };
        let cursor = if self.file_row { "_" } else { "" };
        let shown = if self.path.is_empty() && !self.file_row {
            "(choose this row, then type a path)".to_string()
        } else {
            format!(
                "{}{cursor}",
                super::ascii_text(&sanitize(&self.path), ctx.ascii)
            )
        };
        o.line(Line::from(vec![
            Span::raw(marker(self.file_row)),
            Span::styled(
                format!("{} A file of yours: ", radio(self.file_row)),
                file_style,
            ),
            Span::styled(shown, if self.file_row { t.code } else { t.dim }),
        ]));
        if let Some(e) = &self.error {
            o.line(Line::styled(
                format!(
                    "  {} {}",
                    ctx.sym("✗", "x"),
                    super::ascii_text(&sanitize(e), ctx.ascii)
                ),
                t.warn,
            ));
        }
        o.blank();
        o.para(
            &format!(
                "Who is who: account A (111122223333) owns the KMS key {KEY_ALIAS}; its role \
                 report-writer encrypts. Account B (444455556666) has the role report-reader, \
                 which must decrypt. The key policy and B's IAM policy are lab {}'s, as you last \
                 saved them (e edits them).",
                lab_number(ctx.pack)
            ),
            t.text,
        );
        o.blank();
        o.para(
            "The steps: try Encrypt on the whole sample; GenerateDataKey; encrypt locally; \
             discard the plaintext key; store the encrypted key beside the ciphertext; decrypt \
             as account B's role.",
            t.dim,
        );
        o.blank();
        o.para(
            &format!(
                "Press {} or Enter to start. Files up to 64 MB are read into memory and never \
                 changed.",
                ctx.sym("→", "Right")
            ),
            t.dim,
        );
    }
}

impl EnvelopeScreen {
    /// What a key does; [`Screen::on_action`] adds the save of a finish.
    fn act(&mut self, action: Action, ctx: &Ctx) -> EventResult {
        if self.model.stage() == Stage::Choose {
            match action {
                Action::Up | Action::Back if self.file_row => {
                    self.file_row = false;
                    self.error = None;
                    return EventResult::Changed;
                }
                Action::Down if !self.file_row => {
                    self.file_row = true;
                    return EventResult::Changed;
                }
                Action::Type(c) if self.file_row => {
                    self.path.push(c);
                    self.error = None;
                    return EventResult::Changed;
                }
                Action::Paste(text) if self.file_row => {
                    // A pasted path: its first line, without the newline a
                    // copy from a terminal often brings.
                    self.path
                        .push_str(text.lines().next().unwrap_or_default().trim_end());
                    self.error = None;
                    return EventResult::Changed;
                }
                Action::Erase if self.file_row => {
                    self.path.pop();
                    self.error = None;
                    return EventResult::Changed;
                }
                Action::Enter | Action::StepForward => return self.forward(ctx),
                Action::Back => return EventResult::Emit(vec![Action::Close]),
                Action::Up | Action::Down => return EventResult::Ignored,
                _ => {}
            }
        }
        match action {
            Action::StepForward | Action::Enter => self.forward(ctx),
            Action::StepBack => self.back(),
            Action::Reset => self.restart(),
            // The policies this walkthrough runs under are its lab's.
            Action::EditPolicies => EventResult::Emit(vec![Action::OpenLab(LAB_ID.to_string())]),
            Action::Back => EventResult::Emit(vec![Action::Close]),
            Action::Up | Action::ScrollUp(_) | Action::PageUp => {
                let by = match action {
                    Action::ScrollUp(n) => n,
                    Action::PageUp => 10,
                    _ => 1,
                };
                let before = self.scroll;
                self.scroll = self.scroll.saturating_sub(by);
                if before == self.scroll {
                    EventResult::Ignored
                } else {
                    EventResult::Changed
                }
            }
            Action::Down | Action::ScrollDown(_) | Action::PageDown => {
                let by = match action {
                    Action::ScrollDown(n) => n,
                    Action::PageDown => 10,
                    _ => 1,
                };
                let max = u16::try_from(self.max_scroll.get()).unwrap_or(u16::MAX);
                let before = self.scroll;
                self.scroll = self.scroll.saturating_add(by).min(max);
                if before == self.scroll {
                    EventResult::Ignored
                } else {
                    EventResult::Changed
                }
            }
            _ => EventResult::Ignored,
        }
    }
}

impl Screen for EnvelopeScreen {
    fn id(&self) -> ScreenId {
        if self.model.stage() == Stage::Choose && self.file_row {
            ScreenId::EnvelopeFile
        } else {
            ScreenId::Envelope
        }
    }

    fn keymap(&self) -> &'static crate::tui::keymap::Keymap {
        match self.id() {
            ScreenId::Envelope if self.model.stage() == Stage::Choose => {
                &crate::tui::keymap::ENVELOPE_CHOOSE
            }
            id => crate::tui::keymap::keymap(id),
        }
    }

    fn on_action(&mut self, action: Action, ctx: &Ctx) -> EventResult {
        let out = self.act(action, ctx);
        // A finish is saved with whatever the key did (the decrypt may also
        // succeed on coming back from the lab, which emits nothing).
        let Some(done) = self.unrecorded() else {
            return out;
        };
        self.recorded = true;
        let mut emit = vec![Action::Save(done)];
        if let EventResult::Emit(more) = out {
            emit.extend(more);
        }
        EventResult::Emit(emit)
    }

    fn position(&self, _ctx: &Ctx) -> Option<Change> {
        self.unrecorded()
    }

    /// Back from the lab (or help): if the learner's saved policies
    /// changed since KMS was last asked, the step on screen asks again
    /// (a step that succeeded before the decrypt is history and stays).
    fn uncovered(&mut self, ctx: &Ctx) -> Vec<Action> {
        if self.model.ask_again(&inputs(ctx)) {
            self.note = None;
            self.scroll = 0;
        }
        match self.unrecorded() {
            Some(done) => {
                self.recorded = true;
                vec![Action::Save(done)]
            }
            None => Vec::new(),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.theme;
        let bottom = area.y + area.height;
        let dot = ctx.sym("·", "-");
        let step = if self.model.stage() == Stage::Choose {
            format!(" {dot} ")
        } else {
            format!(
                " {dot} Step {} of {STEPS} {dot} ",
                self.model.stage().index()
            )
        };
        Line::from(vec![
            Span::styled(" Envelope walkthrough", t.heading),
            Span::styled(step, t.dim),
            Span::styled(self.model.stage().title(), t.strong),
        ])
        .render(Rect::new(area.x, area.y, area.width, 1), buf);
        Line::styled(
            " Teaching keyring (in memory, gone when you leave): never for real secrets",
            t.dim,
        )
        .render(Rect::new(area.x, area.y + 1, area.width, 1), buf);

        let width = area.width.saturating_sub(2);
        let mut top = area.y + 3;
        // The note line and the hint bar take the last two rows.
        let end = bottom.saturating_sub(2);
        let mut body = self.body(ctx, usize::from(width));
        if self.model.stage() != Stage::Choose {
            // Every pack holds the built-in diagrams.
            let diagram = ctx
                .pack
                .diagram(&DiagramId::ENVELOPE)
                .map(|d| diagram_boxes(d, self.model.diagram_step(), width, t, ctx.ascii))
                .unwrap_or_default();
            let tall = area.height >= 34;
            if tall {
                // The diagram stays put above the step on a tall terminal.
                let height = u16::try_from(diagram.len()).unwrap_or(u16::MAX);
                for (i, l) in diagram.into_iter().enumerate() {
                    let row = top + u16::try_from(i).unwrap_or(0);
                    if row < end {
                        l.render(Rect::new(area.x + 1, row, width, 1), buf);
                    }
                }
                if self.model.diagram_step().is_none() {
                    let row = top + height;
                    if row < end {
                        Line::styled(
                            format!(
                                "{} Not in the diagram: Encrypt sends the data itself to KMS",
                                ctx.sym("▶", "*")
                            ),
                            t.strong,
                        )
                        .render(Rect::new(area.x + 1, row, width, 1), buf);
                    }
                }
                top = (top + height + 2).min(end);
            } else {
                // Small terminal: the diagram follows the step (scroll down).
                body.push(Line::default());
                body.extend(diagram);
            }
        }
        let height = end.saturating_sub(top);
        let (_, max) = render_scrolled(
            body,
            Rect::new(area.x, top, area.width, height),
            self.scroll,
            buf,
        );
        self.max_scroll.set(max);
        let more = if max > usize::from(self.scroll) {
            format!(
                " {} more below (j/{})",
                ctx.sym("↓", "v"),
                ctx.sym("↓", "Down")
            )
        } else {
            String::new()
        };
        let note = match &self.note {
            Some(n) => Line::styled(format!(" {n}{more}"), t.warn),
            None => Line::styled(more, t.dim),
        };
        note.render(
            Rect::new(area.x, bottom.saturating_sub(2), area.width, 1),
            buf,
        );
        hint_bar(self.keymap(), area, buf, ctx);
    }
}
