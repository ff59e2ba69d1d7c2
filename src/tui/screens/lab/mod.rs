//! The policy lab: edit the lab's policies in one tab each, and watch every
//! goal's verdict, the handshake of the selected request and the deciding
//! statement change as you type.
//!
//! The learner's text is never rewritten: a text that does not parse keeps
//! the last good verdicts on screen, greyed out as stale, and marks the
//! error's line in the gutter and the status line.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use ratatui_textarea::{CursorMove, TextArea};
use std::path::PathBuf;
use std::rc::Rc;

use unicode_width::UnicodeWidthChar;

mod checking;
mod editor;
mod editor_format;
mod editor_history;
mod feedback;
mod render;

use super::{Ctx, EventResult, Screen, frame, hint_bar};
use crate::core::content::{Lab, PolicyRef};
use crate::core::diag::Diagnostic;
use crate::core::eval::handshake::{HopState, short_arn};
use crate::core::lab::Workbench;
use crate::core::world::{Verdict, World};
use crate::tui::action::{Action, Change};
use crate::tui::keymap::ScreenId;
use crate::tui::widgets::markup::{json_spans, lesson_lines};
use crate::tui::widgets::wrap::wrap;
use editor::editor;

/// Below this width or height the editor and the goals take turns.
const WIDE: (u16, u16) = (110, 30);

/// Which panel has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The editor, on the current tab.
    Editor,
    /// The goals (requests) panel.
    Goals,
}

/// A sandbox's file: where it is and the texts it holds (as opened, or
/// as last saved), to tell unsaved changes and to save only those.
#[derive(Debug)]
struct SandboxFile {
    path: PathBuf,
    /// The file as opened, to refuse a save over someone else's change.
    disk: Option<crate::core::content::sandbox::Baseline>,
    /// The learner chose to leave without saving.
    discarded: bool,
}

/// Where the learner is going once the save question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leave {
    /// Quit the tutor (Ctrl-Q, Ctrl-C).
    Quit,
    /// Close the sandbox (Esc, q).
    Close,
}

/// How long without a key before a course lab's edits are saved.
pub const AUTOSAVE_IDLE: std::time::Duration = std::time::Duration::from_secs(1);

/// The policy lab screen: a lab of the pack, or a sandbox on any scenario
/// file (`keyshake lab FILE`).
pub struct LabScreen {
    lab: Rc<Lab>,
    lab_id: String,
    /// Set for a sandbox.
    file: Option<SandboxFile>,
    /// What Ctrl-C / Ctrl-X took, for Ctrl-V in any tab.
    clipboard: String,
    /// Asking whether to save the sandbox before leaving.
    leaving: Option<Leave>,
    editors: Vec<TextArea<'static>>,
    tab: usize,
    focus: Focus,
    selected: usize,
    /// The texts, their verdicts, errors and lint, and (a sandbox) what
    /// its file holds.
    bench: Workbench,
    /// Edits not saved to progress yet.
    unsaved: bool,
    /// When the text last changed: a course lab's edits are saved after
    /// [`AUTOSAVE_IDLE`] without one, so a SIGKILL or power loss loses at
    /// most that much typing.
    edited_at: Option<std::time::Instant>,
    /// Tabs whose text changed but is not re-checked yet (see
    /// [`LabScreen::changed`]).
    unchecked: Vec<usize>,
    /// Goal checks, on the key path or off it when they are slow.
    checking: checking::Checking,
    /// Solved was reported in this visit (or before it).
    solved_sent: bool,
    confirm_reset: bool,
    note: Option<String>,
    /// On a small terminal, the task, hints and explanation fill the body.
    notes: bool,
    /// A sandbox: every tab's text from before the last fix applied.
    before_fix: Option<Vec<String>>,
    /// Undo histories and the Ctrl-C quit question of the editor.
    edit: editor::EditState,
    /// Lines of the task, hints and explanation scrolled past (F6 view).
    notes_top: u16,
    /// The most the last frame of the notes could scroll.
    notes_max: std::cell::Cell<u16>,
    /// Where the last frame drew the editor's text (for a mouse click).
    editor_at: std::cell::Cell<Rect>,
}

impl std::fmt::Debug for LabScreen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LabScreen")
            .field("lab", &self.lab_id)
            .field("tab", &self.tab)
            .field("focus", &self.focus)
            .finish_non_exhaustive()
    }
}

impl LabScreen {
    /// Opens lab `id` with the learner's saved texts (or the starting
    /// ones), evaluated. `None` if the pack has no such lab.
    pub fn open(id: &str, ctx: &Ctx) -> Option<Self> {
        let lab = ctx.pack.lab(id)?;
        let saved = ctx.progress.saved_edits(lab);
        let texts: Vec<String> = lab
            .editable
            .iter()
            .map(|e| {
                saved
                    .iter()
                    .rev()
                    .find(|(r, _)| *r == e.policy)
                    .map_or_else(|| e.start.clone(), |(_, t)| t.clone())
            })
            .collect();
        let solved_before = ctx
            .progress
            .labs
            .get(id)
            .is_some_and(|p| p.solved_at.is_some());
        Some(Self::build(
            Rc::new(lab.clone()),
            &texts,
            solved_before,
            None,
            ctx,
        ))
    }

    /// A lab held in memory only (a drill's world): its starting texts,
    /// graded by its goals like a course lab, saved nowhere (the app drops
    /// progress changes of `drill:` labs).
    pub fn in_memory(lab: Lab, ctx: &Ctx) -> Self {
        let texts: Vec<String> = lab.editable.iter().map(|e| e.start.clone()).collect();
        Self::build(Rc::new(lab), &texts, false, None, ctx)
    }

    /// A sandbox on the scenario file at `path`, read as `lab`
    /// ([`Lab::sandbox`]); Ctrl-S writes the policies back into the file.
    /// The screen names the file as `lab.path` (as the learner typed it).
    pub fn sandbox(lab: Lab, path: PathBuf, ctx: &Ctx) -> Self {
        use crate::core::content::sandbox;
        // The editor's text has `\n` line ends, also for a CRLF file, so
        // an untouched CRLF file does not look modified.
        let texts: Vec<String> = lab
            .editable
            .iter()
            .map(|e| sandbox::editor_text(&e.start))
            .collect();
        let refs: Vec<PolicyRef> = lab.editable.iter().map(|e| e.policy.clone()).collect();
        let file = SandboxFile {
            disk: sandbox::Baseline::open(&path, &refs).ok(),
            path,
            discarded: false,
        };
        Self::build(Rc::new(lab), &texts, false, Some(file), ctx)
    }

    /// A sandbox's record of its file as opened, through which a save is
    /// checked against changes made on disk meanwhile (`None` for a course
    /// lab, or when the file could not be read again).
    pub fn disk_mut(&mut self) -> Option<&mut crate::core::content::sandbox::Baseline> {
        self.file.as_mut().and_then(|f| f.disk.as_mut())
    }

    fn build(
        lab: Rc<Lab>,
        texts: &[String],
        solved_before: bool,
        file: Option<SandboxFile>,
        ctx: &Ctx,
    ) -> Self {
        let bench = Workbench::new(Rc::clone(&lab), texts.to_vec(), file.is_some());
        let mut screen = LabScreen {
            lab_id: lab.id.clone(),
            lab,
            file,
            clipboard: String::new(),
            leaving: None,
            editors: texts.iter().map(|t| editor(t, ctx)).collect(),
            tab: 0,
            focus: Focus::Editor,
            selected: 0,
            bench,
            unsaved: false,
            edited_at: None,
            unchecked: Vec::new(),
            checking: checking::Checking::default(),
            solved_sent: solved_before,
            confirm_reset: false,
            note: None,
            notes: false,
            before_fix: None,
            edit: editor::EditState::default(),
            notes_top: 0,
            notes_max: std::cell::Cell::new(0),
            editor_at: std::cell::Cell::new(Rect::default()),
        };
        screen.set_cursor_styles(ctx);
        screen
    }

    fn lab(&self) -> Rc<Lab> {
        Rc::clone(&self.lab)
    }

    /// The lab's id.
    pub fn lab_id(&self) -> &str {
        &self.lab_id
    }

    /// The text of tab `i`.
    pub fn text(&self, i: usize) -> String {
        self.editors
            .get(i)
            .map(|e| e.lines().join("\n"))
            .unwrap_or_default()
    }

    /// The tab shown.
    pub fn tab(&self) -> usize {
        self.tab
    }

    /// Which panel has the keys.
    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// The editor's cursor (row, column), 0-based.
    pub fn cursor(&self) -> (usize, usize) {
        self.editors.get(self.tab).map_or((0, 0), |e| {
            let c = e.cursor();
            (c.0, c.1)
        })
    }

    /// The verdicts shown are from older texts (the current ones do not
    /// parse).
    pub fn stale(&self) -> bool {
        self.bench.stale()
    }

    /// The problems of the current texts.
    pub fn errors(&self) -> &[Diagnostic] {
        self.bench.errors()
    }

    /// The texts being worked on and what the engine says about them.
    pub fn workbench(&self) -> &Workbench {
        &self.bench
    }

    /// The results of the last texts that parsed (always there: a lab
    /// starts from texts that parse).
    fn good(&self) -> Option<(&World, &crate::core::content::LabStatus)> {
        Some(self.bench.results())
    }

    /// Every goal met, with texts that parse.
    pub fn solved(&self) -> bool {
        self.bench.solved()
    }

    /// A sandbox (`keyshake lab FILE`), not a lab of the pack.
    pub fn is_sandbox(&self) -> bool {
        self.file.is_some()
    }

    /// The tabs whose text differs from what the sandbox's file holds
    /// (none for a lab of the pack), as (policy, text).
    pub fn unsaved_edits(&self) -> Vec<(PolicyRef, String)> {
        self.bench.unsaved_edits()
    }

    /// The sandbox's file, if this is one.
    pub fn sandbox_path(&self) -> Option<&std::path::Path> {
        self.file.as_ref().map(|f| f.path.as_path())
    }

    /// Asks the app to write the changed policies into the sandbox's
    /// file, then do `then`; with nothing changed, says so and does
    /// `then` at once.
    fn write_file(&mut self, then: Option<Action>) -> EventResult {
        let edits = self.unsaved_edits();
        let Some(file) = self.file.as_ref() else {
            return EventResult::Ignored;
        };
        if edits.is_empty() {
            let shown = &self.lab.path;
            self.note = Some(format!("No changes to save: {shown} holds these policies."));
            return match then {
                Some(go) => EventResult::Emit(vec![go]),
                None => EventResult::Changed,
            };
        }
        EventResult::Emit(vec![Action::SaveSandbox {
            path: file.path.clone(),
            edits,
            then: then.map(Box::new),
        }])
    }

    /// Shows `note` on the status line (what the app did for a sandbox
    /// dialog's answer).
    pub fn tell(&mut self, note: String) {
        self.note = Some(note);
    }

    /// Puts `edits` (policy, text) into the editors, as if typed: the
    /// restored edits of an earlier session. Policies this file does not
    /// have are skipped; returns how many were put in.
    pub fn restore(&mut self, edits: &[(PolicyRef, String)], ctx: &Ctx) -> usize {
        let mut n = 0;
        for (i, e) in self.lab.editable.clone().iter().enumerate() {
            if let Some((_, text)) = edits.iter().find(|(r, _)| *r == e.policy)
                && let Some(ed) = self.editors.get_mut(i)
            {
                *ed = editor(text, ctx);
                self.bench.set_text(i, self.text(i));
                n += 1;
            }
        }
        self.set_cursor_styles(ctx);
        n
    }

    /// The app wrote `edits` into the sandbox's file (or could not, and
    /// says why): the saved texts become the baseline, and the status line
    /// says what happened.
    pub fn saved(&mut self, edits: &[(PolicyRef, String)], result: Result<(), String>) {
        let shown = self.lab.path.clone();
        if self.file.is_none() {
            return;
        }
        if let Err(e) = result {
            self.note = Some(format!("Not saved, your text is kept: {e}"));
            return;
        }
        self.bench.saved(edits);
        let n = edits.len();
        let what = if n == 1 { "policy" } else { "policies" };
        let check = if !self.bench.stale() {
            String::new()
        } else {
            " (it has a JSON error: keyshake eval will report it)".to_string()
        };
        self.note = Some(format!("Saved {n} {what} to {shown}{check}."));
    }

    /// Ctrl-C / Ctrl-Q or Esc on a sandbox with unsaved changes must ask
    /// first.
    pub fn guards_quit(&self) -> bool {
        self.file.as_ref().is_some_and(|f| !f.discarded) && !self.unsaved_edits().is_empty()
    }

    /// The answer to "save before leaving?".
    fn answer_leaving(&mut self, leave: Leave, action: &Action) -> EventResult {
        let go = match leave {
            Leave::Quit => Action::Quit,
            Leave::Close => Action::Close,
        };
        match action {
            Action::Confirm => self.write_file(Some(go)),
            Action::Decline => {
                if let Some(f) = self.file.as_mut() {
                    f.discarded = true;
                }
                EventResult::Emit(vec![go])
            }
            _ => {
                self.note = Some("Still here; nothing was saved or lost.".into());
                EventResult::Changed
            }
        }
    }

    fn set_cursor_styles(&mut self, ctx: &Ctx) {
        for (i, e) in self.editors.iter_mut().enumerate() {
            if self.focus == Focus::Editor && i == self.tab {
                e.set_cursor_style(ctx.theme.selected);
            } else {
                e.set_cursor_style(Style::default());
            }
        }
    }

    /// The idle deadline passed: saves the edits to progress, quietly.
    fn autosave(&mut self) -> EventResult {
        let due = self
            .deadline()
            .is_some_and(|t| t <= std::time::Instant::now());
        if !due {
            return EventResult::Ignored;
        }
        self.unsaved = false;
        EventResult::Emit(vec![Action::Save(self.work())])
    }

    fn work(&self) -> Change {
        Change::LabWork {
            lab: self.lab_id.clone(),
            policies: self.bench.work(),
        }
    }

    /// The text of the current tab changed. Re-linting and re-checking
    /// wait for [`Screen::settle`], which the app calls once the keys
    /// already queued are handled: a burst of keys (typing during a slow
    /// evaluation, a paste then keys) costs one evaluation, not one each.
    fn changed(&mut self) -> EventResult {
        self.unsaved = true;
        self.edited_at = Some(std::time::Instant::now());
        self.note = None;
        if !self.unchecked.contains(&self.tab) {
            self.unchecked.push(self.tab);
        }
        if self.file.is_some() {
            // A sandbox's file is its store: nothing goes to progress.
            self.unsaved = false;
        }
        EventResult::Changed
    }

    /// Re-lints and re-checks the tabs changed since the last settle, and
    /// records a first solve at once (saving the texts with it).
    fn check_changed(&mut self) -> EventResult {
        if self.unchecked.is_empty() {
            return EventResult::Ignored;
        }
        for tab in std::mem::take(&mut self.unchecked) {
            self.bench.set_text_unchecked(tab, self.text(tab));
        }
        if self.checking.slow() {
            self.checking.start(self.bench.job());
            return EventResult::Changed;
        }
        let started = std::time::Instant::now();
        self.bench.check_now();
        self.checking.took(started.elapsed());
        self.after_check()
    }

    /// A check running off the key path is still going.
    pub fn evaluating(&self) -> bool {
        self.checking.busy()
    }

    /// Sets how long a check may take on the key path before the next one
    /// runs off it (tests use zero).
    pub fn set_check_budget(&mut self, budget: std::time::Duration) {
        self.checking.set_budget(budget);
    }

    /// Takes the result of a check that ran off the key path.
    fn take_check(&mut self) -> EventResult {
        match self.checking.poll() {
            Some(result) => {
                self.bench.apply(result);
                self.after_check()
            }
            None => EventResult::Ignored,
        }
    }

    /// After a check: a course lab solved for the first time is saved.
    fn after_check(&mut self) -> EventResult {
        if self.file.is_some() {
            return EventResult::Changed;
        }
        if self.solved() && !self.solved_sent {
            self.solved_sent = true;
            self.unsaved = false;
            return EventResult::Emit(vec![
                Action::Save(self.work()),
                Action::Save(Change::LabSolved {
                    lab: self.lab_id.clone(),
                }),
            ]);
        }
        EventResult::Changed
    }

    fn move_focus(&mut self, forward: bool, ctx: &Ctx) {
        // The stops: each editor tab, then the goals panel.
        let stops = self.editors.len() + 1;
        let at = match self.focus {
            Focus::Editor => self.tab,
            Focus::Goals => self.editors.len(),
        };
        let next = if forward {
            (at + 1) % stops
        } else {
            (at + stops - 1) % stops
        };
        if next == self.editors.len() {
            self.focus = Focus::Goals;
        } else {
            self.focus = Focus::Editor;
            self.tab = next;
        }
        self.set_cursor_styles(ctx);
    }

    /// The trace entry that decided the selected request, if a statement
    /// of an editable policy did.
    fn deciding(&self) -> Option<(usize, (usize, usize))> {
        self.bench.deciding(self.selected)
    }

    fn jump(&mut self, ctx: &Ctx) -> EventResult {
        if self.stale() {
            self.note = Some("Fix the error first: the verdicts are stale.".into());
            return EventResult::Changed;
        }
        match self.deciding() {
            Some((tab, (first, _))) => {
                self.tab = tab;
                self.focus = Focus::Editor;
                if let Some(ed) = self.editors.get_mut(tab) {
                    let row = u16::try_from(first.saturating_sub(1)).unwrap_or(u16::MAX);
                    ed.move_cursor(CursorMove::Jump(row, 0));
                }
                self.set_cursor_styles(ctx);
                self.note = Some(format!("The deciding statement starts at line {first}."));
            }
            None => {
                let near = self.shows_near(ctx).then(|| self.bench.near(self.selected));
                let nearest = near
                    .iter()
                    .flatten()
                    .find_map(|n| Some((n.tab?, n.lines?.0, n.statement.clone())));
                match nearest {
                    Some((tab, first, statement)) => {
                        self.tab = tab;
                        self.focus = Focus::Editor;
                        if let Some(ed) = self.editors.get_mut(tab) {
                            let row = u16::try_from(first.saturating_sub(1)).unwrap_or(u16::MAX);
                            ed.move_cursor(CursorMove::Jump(row, 0));
                        }
                        self.set_cursor_styles(ctx);
                        self.note = Some(format!(
                            "No statement matched; the nearest, {statement}, starts at line {first}."
                        ));
                    }
                    None => {
                        self.note = Some(
                            "No statement of an editable policy decided this request: nothing matched, so it is denied by default."
                                .into(),
                        );
                    }
                }
            }
        }
        EventResult::Changed
    }

    fn reset(&mut self, ctx: &Ctx) -> EventResult {
        let lab = self.lab();
        self.editors = self.bench.reset().iter().map(|t| editor(t, ctx)).collect();
        self.edit = editor::EditState::default();
        self.set_cursor_styles(ctx);
        self.unsaved = false;
        if self.file.is_some() {
            self.note = Some(format!("Back to the policies saved in {}.", lab.path));
            return EventResult::Changed;
        }
        self.note = Some("Back to the starting policies.".into());
        EventResult::Emit(vec![Action::Save(Change::LabReset {
            lab: self.lab_id.clone(),
        })])
    }

    fn hints_shown(&self, ctx: &Ctx) -> usize {
        ctx.progress
            .labs
            .get(&self.lab_id)
            .map_or(0, |p| usize::try_from(p.hints_used).unwrap_or(0))
            .min(self.lab.hints.len())
    }

    fn wide(area: Rect) -> bool {
        area.width >= WIDE.0 && area.height >= WIDE.1
    }
}

impl Screen for LabScreen {
    fn id(&self) -> ScreenId {
        match self.focus {
            Focus::Editor if !self.confirm_reset && self.leaving.is_none() => ScreenId::LabEditor,
            _ => ScreenId::Lab,
        }
    }

    fn on_action(&mut self, action: Action, ctx: &Ctx) -> EventResult {
        if action == Action::Tick {
            // Before any question on screen: a tick is no answer to one.
            if self.checking.busy() {
                return self.take_check();
            }
            return self.autosave();
        }
        if let Some(leave) = self.leaving.take() {
            return self.answer_leaving(leave, &action);
        }
        if self.confirm_reset {
            self.confirm_reset = false;
            if action == Action::Confirm {
                return self.reset(ctx);
            }
            self.note = Some("Not reset: your policies are as they were.".into());
            return EventResult::Changed;
        }
        let lab = self.lab();
        if action == Action::ToggleNotes {
            self.notes = !self.notes;
            self.notes_top = 0;
            return EventResult::Changed;
        }
        // The task, hints and explanation scroll while they are shown.
        if self.notes
            && let Some(by) = editor::scroll_by(&action)
        {
            self.notes_top = self
                .notes_top
                .saturating_add_signed(by)
                .min(self.notes_max.get());
            return EventResult::Changed;
        }
        // Anything else brings the panels back.
        self.notes = false;
        match action {
            Action::Click(x, y) => self.click(x, y, ctx),
            Action::Edit(key) if self.focus == Focus::Editor => self.edit_key(key),
            Action::Paste(text) => self.paste(&text, ctx),
            Action::FocusNext => {
                self.move_focus(true, ctx);
                EventResult::Changed
            }
            Action::FocusPrev => {
                self.move_focus(false, ctx);
                EventResult::Changed
            }
            Action::Up | Action::ScrollUp(_) if self.focus == Focus::Goals => {
                self.selected = self.selected.saturating_sub(1);
                self.note = None;
                EventResult::Changed
            }
            Action::Down | Action::ScrollDown(_) => {
                let n = lab.goals.len().max(1);
                self.selected = if self.focus == Focus::Editor {
                    (self.selected + 1) % n
                } else {
                    (self.selected + 1).min(n - 1)
                };
                self.note = None;
                EventResult::Changed
            }
            Action::Jump => self.jump(ctx),
            Action::Write => {
                if self.file.is_some() {
                    return self.write_file(None);
                }
                self.unsaved = false;
                self.note = Some("Saved to your progress (leaving the lab saves too).".into());
                EventResult::Emit(vec![Action::Save(self.work())])
            }
            Action::Quit => {
                // Only reaches a sandbox with unsaved changes.
                self.leaving = Some(Leave::Quit);
                EventResult::Changed
            }
            Action::Hint if self.file.is_some() => {
                self.note = Some(
                    "A sandbox has no hints, it shows everything: F3 (or Enter) jumps to the deciding statement, f (F9) applies the fix."
                        .into(),
                );
                EventResult::Changed
            }
            Action::Hint => self.hint(ctx),
            Action::ToggleGuided => self.toggle_guided(ctx),
            Action::ApplyFix if self.file.is_some() => self.apply_fix(),
            Action::UndoFix if self.file.is_some() => self.undo_fix(),
            Action::Reset => {
                self.confirm_reset = true;
                EventResult::Changed
            }
            Action::Back => {
                if self.focus == Focus::Editor {
                    self.focus = Focus::Goals;
                    self.set_cursor_styles(ctx);
                    return EventResult::Changed;
                }
                if self.guards_quit() {
                    self.leaving = Some(Leave::Close);
                    return EventResult::Changed;
                }
                let mut emit = Vec::new();
                if self.unsaved {
                    self.unsaved = false;
                    emit.push(Action::Save(self.work()));
                }
                emit.push(Action::Close);
                EventResult::Emit(emit)
            }
            _ => EventResult::Ignored,
        }
    }

    fn keymap(&self) -> &'static crate::tui::keymap::Keymap {
        use crate::tui::keymap;
        match (self.is_sandbox(), self.id()) {
            (true, ScreenId::LabEditor) => &keymap::SANDBOX_EDITOR,
            (true, _) => &keymap::SANDBOX,
            (false, id) => keymap::keymap(id),
        }
    }

    fn guards_quit(&self) -> bool {
        LabScreen::guards_quit(self)
    }

    fn position(&self, _ctx: &Ctx) -> Option<Change> {
        self.unsaved.then(|| self.work())
    }

    fn settle(&mut self, _ctx: &Ctx) -> EventResult {
        self.check_changed()
    }

    /// A deadline, not a ticker: only while edits wait to be saved, so
    /// an idle lab costs no CPU.
    fn deadline(&self) -> Option<std::time::Instant> {
        if let Some(at) = self.checking.deadline() {
            return Some(at);
        }
        let at = self.edited_at?;
        self.unsaved.then_some(at + AUTOSAVE_IDLE)
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        self.draw(area, buf, ctx);
    }
}
