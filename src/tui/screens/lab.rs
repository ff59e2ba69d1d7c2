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
    /// Solved was reported in this visit (or before it).
    solved_sent: bool,
    confirm_reset: bool,
    note: Option<String>,
    /// On a small terminal, the task, hints and explanation fill the body.
    notes: bool,
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

fn editor(text: &str, ctx: &Ctx) -> TextArea<'static> {
    // split, not lines: a final newline stays, so the text round-trips
    // exactly (the learner's text is never rewritten).
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
        .collect();
    let mut ta = TextArea::new(lines);
    ta.set_line_number_style(ctx.theme.dim);
    ta.set_cursor_line_style(Style::default());
    ta.set_tab_length(2);
    ta.set_placeholder_text("(empty: this policy is left out)");
    ta.set_placeholder_style(ctx.theme.dim);
    ta
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

    /// A sandbox on the scenario file at `path`, read as `lab`
    /// ([`Lab::sandbox`]); Ctrl-S writes the policies back into the file.
    /// The screen names the file as `lab.path` (as the learner typed it).
    pub fn sandbox(lab: Lab, path: PathBuf, ctx: &Ctx) -> Self {
        let texts: Vec<String> = lab.editable.iter().map(|e| e.start.clone()).collect();
        let file = SandboxFile {
            path,
            discarded: false,
        };
        Self::build(Rc::new(lab), &texts, false, Some(file), ctx)
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
            solved_sent: solved_before,
            confirm_reset: false,
            note: None,
            notes: false,
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

    fn work(&self) -> Change {
        Change::LabWork {
            lab: self.lab_id.clone(),
            policies: self.bench.work(),
        }
    }

    /// The text of the current tab changed: re-lint, re-check, and record
    /// a first solve at once (saving the texts with it).
    fn changed(&mut self) -> EventResult {
        self.unsaved = true;
        self.note = None;
        self.bench.set_text(self.tab, self.text(self.tab));
        if self.file.is_some() {
            // A sandbox's file is its store: nothing goes to progress.
            self.unsaved = false;
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

    fn edit_key(&mut self, key: crossterm::event::KeyEvent) -> EventResult {
        use crossterm::event::{KeyCode, KeyModifiers};
        let Some(ed) = self.editors.get_mut(self.tab) else {
            return EventResult::Ignored;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let changed = match key.code {
            KeyCode::Char('z') if ctrl => ed.undo(),
            KeyCode::Char('y') if ctrl => ed.redo(),
            KeyCode::Char('a') if ctrl => {
                ed.select_all();
                return EventResult::Changed;
            }
            // Ctrl-C copies a selection; with nothing selected it quits,
            // as it does everywhere else.
            KeyCode::Char('c') if ctrl => {
                if !ed.is_selecting() {
                    return EventResult::Emit(vec![Action::Quit]);
                }
                ed.copy();
                self.clipboard = ed.yank_text();
                ed.cancel_selection();
                self.note = Some(format!(
                    "Copied {} (also offered to the terminal's clipboard): Ctrl-V pastes, in any tab.",
                    amount(&self.clipboard)
                ));
                return EventResult::Emit(vec![Action::Clipboard(self.clipboard.clone())]);
            }
            KeyCode::Char('x') if ctrl => {
                if !ed.is_selecting() {
                    self.note = Some(
                        "Nothing is selected: select with Shift and the arrows (Ctrl-A: all), then Ctrl-X cuts."
                            .into(),
                    );
                    return EventResult::Changed;
                }
                let cut = ed.cut();
                self.clipboard = ed.yank_text();
                self.note = Some(format!(
                    "Cut {} (also offered to the terminal's clipboard): Ctrl-V pastes, in any tab.",
                    amount(&self.clipboard)
                ));
                cut
            }
            KeyCode::Char('v') if ctrl => {
                if self.clipboard.is_empty() {
                    self.note = Some(
                        "Nothing copied yet: Ctrl-C copies a selection. Text from outside pastes with your terminal's paste."
                            .into(),
                    );
                    return EventResult::Changed;
                }
                ed.set_yank_text(self.clipboard.clone());
                ed.paste()
            }
            KeyCode::Enter if key.modifiers.is_empty() => {
                // Keep the line's indent, one level more after { or [.
                let (row, col) = {
                    let c = ed.cursor();
                    (c.0, c.1)
                };
                let line = ed.lines().get(row).cloned().unwrap_or_default();
                let indent: String = line.chars().take_while(|c| *c == ' ').collect();
                let before: String = line.chars().take(col).collect();
                let opens = matches!(before.trim_end().chars().last(), Some('{' | '['));
                ed.insert_newline();
                let extra = if opens { "  " } else { "" };
                ed.insert_str(format!("{indent}{extra}"));
                true
            }
            KeyCode::Char(close @ ('}' | ']')) if !ctrl => {
                // A closing bracket first on its line goes back one level.
                let (row, col) = {
                    let c = ed.cursor();
                    (c.0, c.1)
                };
                let line = ed.lines().get(row).cloned().unwrap_or_default();
                let before: String = line.chars().take(col).collect();
                if col >= 2 && before.chars().all(|c| c == ' ') {
                    ed.delete_char();
                    ed.delete_char();
                }
                ed.insert_char(close);
                true
            }
            _ => {
                let before = ed.lines().to_vec();
                let moved = ed.input(key);
                if !moved {
                    return EventResult::Ignored;
                }
                // `input` reports cursor moves too; re-check only if the
                // text changed.
                if ed.lines() == before.as_slice() {
                    return EventResult::Changed;
                }
                true
            }
        };
        if changed {
            let note = self.note.take();
            let out = self.changed();
            // A copy or cut says so even though the text changed.
            if note.is_some() {
                self.note = note;
            }
            if key.code == KeyCode::Char('x') && ctrl {
                let copy = Action::Clipboard(self.clipboard.clone());
                return match out {
                    EventResult::Emit(mut more) => {
                        more.push(copy);
                        EventResult::Emit(more)
                    }
                    _ => EventResult::Emit(vec![copy]),
                };
            }
            out
        } else {
            EventResult::Changed
        }
    }

    fn paste(&mut self, text: &str, ctx: &Ctx) -> EventResult {
        if self.focus != Focus::Editor {
            self.focus = Focus::Editor;
            self.set_cursor_styles(ctx);
        }
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let Some(ed) = self.editors.get_mut(self.tab) else {
            return EventResult::Ignored;
        };
        if ed.insert_str(text) {
            self.changed()
        } else {
            EventResult::Changed
        }
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
                self.note = Some(
                    "No statement of an editable policy decided this request: nothing matched, so it is denied by default."
                        .into(),
                );
            }
        }
        EventResult::Changed
    }

    fn reset(&mut self, ctx: &Ctx) -> EventResult {
        let lab = self.lab();
        self.editors = self.bench.reset().iter().map(|t| editor(t, ctx)).collect();
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

/// "12 characters" / "3 lines".
fn amount(text: &str) -> String {
    let lines = text.lines().count();
    if lines > 1 {
        format!("{lines} lines")
    } else {
        let n = text.chars().count();
        format!("{n} character{}", if n == 1 { "" } else { "s" })
    }
}

fn verdict_span(v: Verdict, ctx: &Ctx, stale: bool) -> Span<'static> {
    let (word, sym, style) = match v {
        Verdict::Allow => ("ALLOW", ctx.sym("✓", "ok"), ctx.theme.allow),
        Verdict::Deny => ("DENY", ctx.sym("✗", "x"), ctx.theme.deny),
    };
    Span::styled(
        format!("{word} {sym}"),
        if stale { ctx.theme.dim } else { style },
    )
}

/// Writes `line` at row `y` of `area` if it is inside.
fn put(area: Rect, y: &mut u16, line: Line<'static>, buf: &mut Buffer) {
    if *y < area.y + area.height {
        line.render(Rect::new(area.x, *y, area.width, 1), buf);
        *y += 1;
    }
}

impl LabScreen {
    fn title_line(&self, ctx: &Ctx) -> Line<'static> {
        let t = ctx.theme;
        let lab = self.lab();
        // A sandbox is told by its file alone; a lab by its place in the
        // course.
        let number = ctx.pack.labs.iter().position(|l| l.id == self.lab_id);
        let head = match number {
            Some(i) if !self.is_sandbox() => format!(" Lab {}", i + 1),
            _ => " Sandbox".to_string(),
        };
        let mut spans = vec![
            Span::styled(head, t.heading),
            Span::styled(
                format!(" {} {}", ctx.sym("·", "-"), ctx.text(&lab.title)),
                t.strong,
            ),
        ];
        if self.is_sandbox() {
            let changed = self.unsaved_edits().len();
            if changed > 0 {
                spans.push(Span::styled(
                    format!("  {} unsaved", ctx.sym("●", "*")),
                    t.warn,
                ));
            }
            if let Some((_, status)) = self.good()
                && lab.has_expectations()
            {
                let judged = lab.goals.iter().filter(|g| g.expect.is_some()).count();
                let met = lab
                    .goals
                    .iter()
                    .zip(&status.goals)
                    .filter(|(g, st)| g.expect.is_some() && st.met)
                    .count();
                let style = if self.stale() {
                    t.dim
                } else if met == judged {
                    t.ok
                } else {
                    t.text
                };
                let mark = if met == judged {
                    format!("{} ", ctx.sym("✓", "[x]"))
                } else {
                    String::new()
                };
                spans.push(Span::styled(
                    format!("  {mark}{met}/{judged} expectations met"),
                    style,
                ));
            }
            if self.stale() {
                spans.push(Span::styled(" (stale)", t.dim));
            }
            return Line::from(spans);
        }
        if let Some((_, status)) = self.good() {
            let stale = self.stale();
            let text = if self.solved() {
                format!("  {} solved", ctx.sym("✓", "[x]"))
            } else {
                format!("  {}/{} goals met", status.met_count(), status.goals.len())
            };
            let style = if stale {
                t.dim
            } else if self.solved() {
                t.ok
            } else {
                t.text
            };
            spans.push(Span::styled(text, style));
            if stale {
                spans.push(Span::styled(" (stale)", t.dim));
            }
        }
        Line::from(spans)
    }

    fn tabs_line(&self, width: u16, ctx: &Ctx) -> Line<'static> {
        let t = ctx.theme;
        let lab = self.lab();
        let n = lab.editable.len().max(1);
        let each = (usize::from(width).saturating_sub(1) / n).saturating_sub(3);
        let mark = |i: usize| {
            let name = lab.editable[i].policy.to_string();
            if self.bench.errors().iter().any(|d| d.path == name) {
                ctx.sym("✗", "!")
            } else {
                ""
            }
        };
        // Too many tabs for their labels (a sandbox on a big scenario):
        // the others by number, the current one with its whole label.
        let compact = each < 14;
        let others: usize = (0..lab.editable.len())
            .filter(|i| *i != self.tab)
            .map(|i| format!("{}{}", i + 1, mark(i)).chars().count() + 1)
            .sum();
        let room = usize::from(width).saturating_sub(others + 4);
        let mut spans = vec![Span::raw(" ")];
        for (i, e) in lab.editable.iter().enumerate() {
            let mark = mark(i);
            let label = if compact && i != self.tab {
                format!("{}{mark}", i + 1)
            } else {
                super::home::truncate(
                    &ctx.text(&format!("{} {}{mark}", i + 1, e.label)),
                    if compact { room.max(4) } else { each.max(4) },
                    ctx.ascii,
                )
            };
            let style = if i == self.tab {
                if self.focus == Focus::Editor {
                    t.selected.add_modifier(Modifier::BOLD)
                } else {
                    t.strong
                }
            } else {
                t.dim
            };
            let (l, r) = if i == self.tab {
                ("[", "]")
            } else if compact {
                ("", "")
            } else {
                (" ", " ")
            };
            spans.push(Span::styled(format!("{l}{label}{r}"), style));
            spans.push(Span::raw(" "));
        }
        Line::from(spans)
    }

    /// The editor box with line numbers, JSON colours, the error's line
    /// and the deciding statement marked in the gutter.
    fn render_editor(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.theme;
        let lab = self.lab();
        let Some(ed) = self.editors.get(self.tab) else {
            return;
        };
        let title = if self.focus == Focus::Editor {
            " Policy (editing) "
        } else {
            " Policy (Tab to edit) "
        };
        let block = frame(ctx).title(Span::styled(title, t.heading));
        let inner = block.inner(area);
        block.render(area, buf);
        ed.render(inner, buf);
        let (top, left) = ed.scroll_offset();
        let (top, left) = (usize::from(top), usize::from(left));
        let gutter = ed.line_number_width();
        let lines = ed.lines();
        // JSON colours over the text the widget drew.
        if t.color {
            for r in 0..inner.height {
                let Some(line) = lines.get(top + usize::from(r)) else {
                    break;
                };
                let y = inner.y + r;
                let mut x = inner.x + gutter;
                let mut col = 0usize;
                for span in json_spans(line, t) {
                    for ch in span.content.chars() {
                        let w = u16::try_from(ch.width().unwrap_or(0)).unwrap_or(1);
                        if col >= left {
                            if x >= inner.x + inner.width {
                                break;
                            }
                            if let Some(cell) = buf.cell_mut((x, y)) {
                                cell.set_style(span.style);
                            }
                            x += w;
                        }
                        col += 1;
                    }
                }
            }
        }
        let mark = |line: usize, sym: &str, style: Style, whole: Style, buf: &mut Buffer| {
            if line == 0 || line <= top {
                return;
            }
            let r = line - 1 - top;
            let Ok(r) = u16::try_from(r) else {
                return;
            };
            if r >= inner.height {
                return;
            }
            let y = inner.y + r;
            buf.set_string(inner.x, y, sym, style);
            for x in inner.x + gutter..inner.x + inner.width {
                if let Some(cell) = buf.cell_mut((x, y)) {
                    cell.set_style(whole);
                }
            }
        };
        // The deciding statement of the selected request.
        if !self.stale()
            && let Some((tab, (first, last))) = self.deciding()
            && tab == self.tab
        {
            let met = self
                .bench
                .results()
                .1
                .goals
                .get(self.selected)
                .map(|g| g.outcome.verdict);
            let style = if met == Some(Verdict::Deny) {
                t.deny
            } else {
                t.allow
            };
            for l in first..=last {
                mark(
                    l,
                    ctx.sym("▌", ">"),
                    style,
                    Style::default().add_modifier(Modifier::BOLD),
                    buf,
                );
            }
        }
        // The error of this tab: a mark in the gutter, the line underlined.
        let name = lab
            .editable
            .get(self.tab)
            .map(|e| e.policy.to_string())
            .unwrap_or_default();
        for d in self.bench.errors().iter().filter(|d| d.path == name) {
            mark(
                d.line,
                ctx.sym("✗", "!"),
                t.deny,
                Style::default().add_modifier(Modifier::UNDERLINED),
                buf,
            );
        }
    }

    fn lint_lines(&self, width: usize, max: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let findings = self.bench.findings(self.tab);
        if findings.is_empty() {
            return vec![Line::styled(" No lint findings on this policy.", t.dim)];
        }
        let mut out = Vec::new();
        for f in findings {
            let style = match f.severity {
                crate::core::policy::lint::LintSeverity::Error => t.deny,
                crate::core::policy::lint::LintSeverity::SecurityWarning
                | crate::core::policy::lint::LintSeverity::Warning => t.warn,
                crate::core::policy::lint::LintSeverity::Suggestion => t.strong,
            };
            let lead = [
                Span::raw(" "),
                Span::styled(f.severity.label().to_string(), style),
                Span::styled(format!(" line {}: ", f.line), t.dim),
            ];
            let rest = [Span::raw("   ")];
            out.extend(wrap(&[(ctx.text(&f.message), t.text)], width, &lead, &rest));
        }
        if out.len() > max {
            out.truncate(max.saturating_sub(1));
            out.push(Line::styled(
                format!(
                    " {} {} finding(s) in all",
                    ctx.sym("…", "..."),
                    findings.len()
                ),
                t.dim,
            ));
        }
        out
    }

    fn goal_lines(&self, width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let lab = self.lab();
        let stale = self.stale();
        let Some((_, status)) = self.good() else {
            return vec![Line::styled(" No verdicts yet: fix the error.", t.dim)];
        };
        let mut out = Vec::new();
        for (i, (goal, st)) in lab.goals.iter().zip(&status.goals).enumerate() {
            let sel = i == self.selected;
            let marker = if sel { ctx.sym("▶ ", "> ") } else { "  " };
            let expect = match goal.expect {
                Some(Verdict::Allow) => "must be allowed",
                Some(Verdict::Deny) => "must stay denied",
                None => "no expect set",
            };
            let (met, met_style) = if goal.expect.is_none() {
                (String::new(), t.dim)
            } else if st.met {
                (format!("met {}", ctx.sym("✓", "ok")), t.ok)
            } else {
                (format!("not met {}", ctx.sym("✗", "x")), t.deny)
            };
            let dim = |s: Style| if stale { t.dim } else { s };
            let head = vec![
                Span::styled(format!(" {marker}"), if sel { t.selected } else { t.text }),
                verdict_span(st.outcome.verdict, ctx, stale),
                Span::styled(format!("  {expect}  "), dim(t.text)),
                Span::styled(met, dim(met_style)),
            ];
            out.push(Line::from(head));
            let text =
                super::home::truncate(&ctx.text(&goal.text), width.saturating_sub(5), ctx.ascii);
            out.push(Line::styled(format!("     {text}"), dim(t.dim)));
        }
        out
    }

    fn flow_lines(&self, width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let lab = self.lab();
        let stale = self.stale();
        let Some((world, status)) = self.good() else {
            return Vec::new();
        };
        let (Some(goal), Some(st)) = (
            lab.goals.get(self.selected),
            status.goals.get(self.selected),
        ) else {
            return Vec::new();
        };
        let Some(request) = world.requests.get(goal.request) else {
            return Vec::new();
        };
        let dim = |s: Style| if stale { t.dim } else { s };
        let fit = |text: String, room: usize| super::home::truncate(&text, room, ctx.ascii);
        let mut out = vec![
            Line::from(vec![
                Span::styled(" Caller ", dim(t.strong)),
                Span::styled(
                    fit(
                        format!(
                            "{} in account {}",
                            short_arn(&request.caller.arn),
                            request.caller.account
                        ),
                        width.saturating_sub(8),
                    ),
                    dim(t.text),
                ),
            ]),
            Line::from(vec![
                Span::styled(format!("   {} ", ctx.sym("→", "->")), t.dim),
                Span::styled(
                    fit(
                        format!("{} on {}", request.action, short_arn(&request.resource)),
                        width.saturating_sub(5),
                    ),
                    dim(t.text),
                ),
            ]),
        ];
        for hop in self.bench.hops(&st.outcome) {
            let indent = "  ".repeat(hop.depth + 1);
            let arrow = ctx.sym("↓ ", "v ");
            let mut spans = vec![Span::styled(format!("{indent}{arrow}"), t.dim)];
            let (word, style) = match (hop.state, hop.verdict) {
                (Some(s), _) => (
                    s.word().to_string(),
                    match s {
                        HopState::Allowed => t.allow,
                        HopState::Denied => t.deny,
                        HopState::NoMatch => t.warn,
                        HopState::NotConsulted => t.dim,
                    },
                ),
                (None, Some(Verdict::Allow)) => ("ALLOW".to_string(), t.allow),
                (None, Some(Verdict::Deny)) => ("DENY".to_string(), t.deny),
                (None, None) => (String::new(), t.text),
            };
            let room = width
                .saturating_sub(indent.len() + 3 + word.chars().count() + 2)
                .max(8);
            spans.push(Span::styled(
                super::home::truncate(&ctx.text(&hop.label), room, ctx.ascii),
                dim(t.text),
            ));
            spans.push(Span::styled(format!("  {word}"), dim(style)));
            out.push(Line::from(spans));
        }
        let sentence = ctx.text(&st.outcome.explain(world, &request.caller));
        let lead = [
            Span::raw(" "),
            verdict_span(st.outcome.verdict, ctx, stale),
            Span::raw(" "),
        ];
        let rest = [Span::raw("   ")];
        out.extend(wrap(&[(sentence, dim(t.emph))], width, &lead, &rest));
        if !stale && let Some((tab, (first, last))) = self.deciding() {
            out.push(Line::styled(
                format!(
                    "   Deciding: tab {}, lines {first}-{last} (F3 jumps)",
                    tab + 1
                ),
                t.dim,
            ));
        }
        if stale {
            out.push(Line::styled(
                "   (stale: these are the verdicts of the last text that parsed)",
                t.dim,
            ));
        }
        out
    }

    /// The story and revealed hints, or the explanation once solved.
    fn notes_lines(&self, width: u16, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let lab = self.lab();
        let body = |blocks: &[crate::core::content::Block]| {
            lesson_lines(blocks, ctx.pack, width, t, &|_| 0, ctx.ascii).lines
        };
        let mut out = Vec::new();
        if self.solved() && !self.is_sandbox() {
            out.push(Line::styled(
                format!(" {} Solved: why it works", ctx.sym("✓", "[x]")),
                t.ok.add_modifier(Modifier::BOLD),
            ));
            out.extend(body(&lab.explanation));
            out.push(Line::raw(""));
        }
        let shown = self.hints_shown(ctx);
        for (i, h) in lab.hints.iter().take(shown).enumerate() {
            out.push(Line::styled(
                format!(" Hint {} of {}", i + 1, lab.hints.len()),
                t.warn,
            ));
            out.extend(body(h));
        }
        if shown < lab.hints.len() && !self.solved() && !self.is_sandbox() {
            let key = if self.focus == Focus::Editor {
                "F2"
            } else {
                "h"
            };
            out.push(Line::styled(
                format!(
                    " {} of {} hints shown: {key} reveals the next.",
                    shown,
                    lab.hints.len()
                ),
                t.dim,
            ));
        }
        let heading = if self.is_sandbox() {
            " About this sandbox"
        } else {
            " The task"
        };
        out.push(Line::styled(heading, t.heading));
        out.extend(body(&lab.story));
        out
    }

    fn status_line(&self, ctx: &Ctx) -> Line<'static> {
        let t = ctx.theme;
        let lab = self.lab();
        if let Some(leave) = self.leaving {
            let path = &lab.path;
            let then = match leave {
                Leave::Quit => "quitting",
                Leave::Close => "leaving",
            };
            // The keys first: a long path is what gets cut on a narrow
            // terminal.
            return Line::styled(
                format!(" Save before {then}? y = save, n = discard changes, Esc = stay ({path})"),
                t.warn,
            );
        }
        if self.confirm_reset {
            let text = match self.file {
                Some(_) => format!(
                    " Put every policy back to the text saved in {}? y = yes, any other key = no",
                    lab.path
                ),
                None => " Reset every policy of this lab to its starting text? y = yes, any other key = no"
                    .to_string(),
            };
            return Line::styled(text, t.warn);
        }
        // A note answers the key just pressed; the next edit clears it and
        // the error (also marked in the gutter and the tab) shows again.
        if let Some(n) = &self.note {
            return Line::styled(format!(" {}", ctx.text(n)), t.warn);
        }
        if let Some(d) = self.bench.errors().first() {
            let tab = lab
                .editable
                .iter()
                .position(|e| e.policy.to_string() == d.path)
                .map_or(0, |i| i + 1);
            return Line::styled(
                format!(
                    " {} Tab {tab}, line {}, column {}: {} (verdicts stale)",
                    ctx.sym("✗", "!"),
                    d.line,
                    d.column,
                    ctx.text(&d.message)
                ),
                t.deny,
            );
        }
        if self.is_sandbox() {
            let path = &lab.path;
            let n = self.unsaved_edits().len();
            if n > 0 {
                let what = if n == 1 { "policy" } else { "policies" };
                return Line::styled(
                    format!(" {n} {what} changed since saved: Ctrl-S writes to {path}."),
                    t.text,
                );
            }
            return Line::styled(
                format!(" Every change is re-checked as you type; Ctrl-S saves to {path}."),
                t.dim,
            );
        }
        if self.solved() {
            return Line::styled(
                format!(
                    " {} Every goal is met: the lab is solved and saved.",
                    ctx.sym("✓", "[x]")
                ),
                t.ok,
            );
        }
        Line::styled(" Every change is re-checked as you type.", t.dim)
    }

    fn render_side(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx, with_notes: bool) {
        let t = ctx.theme;
        let w = usize::from(area.width);
        let mut y = area.y;
        let title = if self.focus == Focus::Goals {
            " Requests (j/k select) "
        } else {
            " Requests "
        };
        let goals = self.goal_lines(w.saturating_sub(2), ctx);
        let flow = self.flow_lines(w.saturating_sub(2), ctx);
        let gh = u16::try_from(goals.len() + 2).unwrap_or(u16::MAX);
        let gh = gh.min(area.height);
        let block = frame(ctx).title(Span::styled(title, t.heading));
        let inner = block.inner(Rect::new(area.x, y, area.width, gh));
        block.render(Rect::new(area.x, y, area.width, gh), buf);
        let mut iy = inner.y;
        for l in goals {
            put(inner, &mut iy, l, buf);
        }
        y += gh;
        let left = area.y + area.height - y;
        // Leave the notes (hints, explanation) some rows when they matter.
        let notes_matter = self.solved() || self.hints_shown(ctx) > 0;
        let cap = if with_notes && notes_matter && left > 12 {
            left - 6
        } else {
            left
        };
        let fh = u16::try_from(flow.len() + 2).unwrap_or(u16::MAX).min(cap);
        if fh >= 3 {
            let block = frame(ctx).title(Span::styled(
                " Handshake of the selected request ",
                t.heading,
            ));
            let r = Rect::new(area.x, y, area.width, fh);
            let inner = block.inner(r);
            block.render(r, buf);
            let mut iy = inner.y;
            for l in flow {
                put(inner, &mut iy, l, buf);
            }
            y += fh;
        }
        let left = area.y + area.height - y;
        if with_notes && left >= 3 {
            let r = Rect::new(area.x, y, area.width, left);
            let title = if self.is_sandbox() {
                " About "
            } else if self.solved() {
                " Explanation "
            } else {
                " Hints and task "
            };
            let block = frame(ctx).title(Span::styled(title, t.heading));
            let inner = block.inner(r);
            block.render(r, buf);
            let mut iy = inner.y;
            for l in self.notes_lines(inner.width, ctx) {
                put(inner, &mut iy, l, buf);
            }
        }
    }

    /// Every goal's verdict in as few lines as fit `width`, for the
    /// compact editor view.
    fn goal_strip(&self, width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let stale = self.stale();
        let Some((_, status)) = self.good() else {
            return vec![Line::styled(" Goals: no verdicts yet", t.dim)];
        };
        let mut lines = Vec::new();
        let label = if self.is_sandbox() {
            " Requests:"
        } else {
            " Goals:"
        };
        let mut spans = vec![Span::styled(label, t.strong)];
        let mut used = 7;
        for (i, (goal, st)) in self.lab.goals.iter().zip(&status.goals).enumerate() {
            let sel = if i == self.selected {
                t.selected
            } else {
                t.text
            };
            let met = match (goal.expect, st.met) {
                (None, _) => "",
                (Some(_), true) => " met",
                (Some(_), false) => " not met",
            };
            let item = vec![
                Span::raw(" "),
                Span::styled(format!("{}", i + 1), sel),
                Span::raw(" "),
                verdict_span(st.outcome.verdict, ctx, stale),
                Span::styled(
                    met,
                    if stale {
                        t.dim
                    } else if st.met {
                        t.ok
                    } else {
                        t.deny
                    },
                ),
                Span::styled(format!(" {}", ctx.sym("·", "-")), t.dim),
            ];
            let w: usize = item.iter().map(Span::width).sum();
            if used + w > width && spans.len() > 1 {
                spans.pop();
                lines.push(Line::from(std::mem::take(&mut spans)));
                spans.push(Span::raw("       "));
                used = 7;
            }
            used += w;
            spans.extend(item);
        }
        spans.pop();
        if stale {
            spans.push(Span::styled(" (stale)", t.dim));
        }
        lines.push(Line::from(spans));
        lines
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
            return EventResult::Changed;
        }
        // Anything else brings the panels back.
        self.notes = false;
        match action {
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
                    "A sandbox has no hints: F3 (or Enter on the requests) jumps to the statement that decided."
                        .into(),
                );
                EventResult::Changed
            }
            Action::Hint => {
                let shown = self.hints_shown(ctx);
                if shown >= lab.hints.len() {
                    self.note = Some(format!(
                        "All {} hints are shown (below the goals).",
                        lab.hints.len()
                    ));
                    return EventResult::Changed;
                }
                self.note = Some(format!(
                    "Hint {} of {} is shown.",
                    shown + 1,
                    lab.hints.len()
                ));
                EventResult::Emit(vec![Action::Save(Change::LabHint {
                    lab: self.lab_id.clone(),
                    available: u32::try_from(lab.hints.len()).unwrap_or(u32::MAX),
                })])
            }
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

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let bottom = area.y + area.height;
        self.title_line(ctx)
            .render(Rect::new(area.x, area.y, area.width, 1), buf);
        self.tabs_line(area.width, ctx)
            .render(Rect::new(area.x, area.y + 1, area.width, 1), buf);
        self.status_line(ctx).render(
            Rect::new(area.x, bottom.saturating_sub(2), area.width, 1),
            buf,
        );
        hint_bar(self.keymap(), area, buf, ctx);
        let body = Rect::new(
            area.x,
            area.y + 2,
            area.width,
            area.height.saturating_sub(4),
        );
        if Self::wide(area) {
            let left_w = body.width * 11 / 20;
            let lint = self.lint_lines(usize::from(left_w.saturating_sub(2)), 5, ctx);
            let lint_h = u16::try_from(lint.len() + 2).unwrap_or(7).min(7);
            let ed = Rect::new(body.x, body.y, left_w, body.height.saturating_sub(lint_h));
            self.render_editor(ed, buf, ctx);
            let lr = Rect::new(body.x, ed.y + ed.height, left_w, lint_h);
            let block = frame(ctx).title(Span::styled(" Lint ", ctx.theme.heading));
            let inner = block.inner(lr);
            block.render(lr, buf);
            let mut y = inner.y;
            for l in lint {
                put(inner, &mut y, l, buf);
            }
            let side = Rect::new(body.x + left_w, body.y, body.width - left_w, body.height);
            self.render_side(side, buf, ctx, true);
        } else if self.notes {
            let title = if self.is_sandbox() {
                " About this sandbox "
            } else if self.solved() {
                " Explanation, hints and task "
            } else {
                " Task and hints "
            };
            let block = frame(ctx).title(Span::styled(title, ctx.theme.heading));
            let inner = block.inner(body);
            block.render(body, buf);
            let mut y = inner.y;
            for l in self.notes_lines(inner.width, ctx) {
                put(inner, &mut y, l, buf);
            }
        } else if self.focus == Focus::Editor && !self.confirm_reset {
            let lint = self.lint_lines(usize::from(body.width), 2, ctx);
            let lint_h = u16::try_from(lint.len()).unwrap_or(2).min(2);
            let strip = self.goal_strip(usize::from(body.width), ctx);
            let strip_h = u16::try_from(strip.len()).unwrap_or(1);
            let ed_h = body.height.saturating_sub(strip_h + lint_h);
            self.render_editor(Rect::new(body.x, body.y, body.width, ed_h), buf, ctx);
            let mut y = body.y + ed_h;
            for l in strip {
                put(Rect::new(body.x, y, body.width, 1), &mut y, l, buf);
            }
            for l in lint {
                put(Rect::new(body.x, y, body.width, lint_h), &mut y, l, buf);
            }
        } else {
            self.render_side(body, buf, ctx, true);
        }
    }
}
