//! The policy editor of the lab: its text areas, and the keys and pastes
//! that edit them (copy, cut and paste across tabs, undo).

use super::editor_format::format_policy;
use super::editor_history::History;
use super::render::amount;
use super::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A text area holding `text` exactly.
pub(super) fn editor(text: &str, ctx: &Ctx) -> TextArea<'static> {
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

/// The editor's own state beside its text areas: one undo history per
/// tab, and whether a first Ctrl-C asked to press it again to quit.
#[derive(Debug, Default)]
pub(super) struct EditState {
    history: Vec<History>,
    quit_armed: bool,
}

/// How far a key scrolls a panel of text: arrows and j/k a line, PgUp/PgDn
/// and Space a page, the wheel its lines; `None` for any other action.
pub(super) fn scroll_by(action: &Action) -> Option<i16> {
    let key = |code: KeyCode| match code {
        KeyCode::Up | KeyCode::Char('k') => Some(-1),
        KeyCode::Down | KeyCode::Char('j') => Some(1),
        KeyCode::PageUp => Some(-10),
        KeyCode::PageDown | KeyCode::Char(' ') => Some(10),
        _ => None,
    };
    match action {
        Action::Up => Some(-1),
        Action::Down => Some(1),
        Action::PageUp => Some(-10),
        Action::PageDown => Some(10),
        Action::ScrollUp(n) => Some(-i16::try_from(*n).unwrap_or(3)),
        Action::ScrollDown(n) => Some(i16::try_from(*n).unwrap_or(3)),
        Action::Edit(k) if k.modifiers.is_empty() => key(k.code),
        _ => None,
    }
}

/// Movement keys: they change what is drawn (the cursor, the view), never
/// the text.
fn is_move(code: KeyCode) -> bool {
    matches!(
        code,
        KeyCode::Left
            | KeyCode::Right
            | KeyCode::Up
            | KeyCode::Down
            | KeyCode::Home
            | KeyCode::End
            | KeyCode::PageUp
            | KeyCode::PageDown
    )
}

/// An unshifted arrow with a selection collapses it, as editors do: Left
/// to its start, Right to its end (and the key is used up), any other
/// move from where the cursor is.
fn collapse(ed: &mut TextArea<'static>, key: KeyEvent) -> bool {
    if !ed.is_selecting() || key.modifiers.contains(KeyModifiers::SHIFT) || !is_move(key.code) {
        return false;
    }
    let range = ed.selection_range();
    ed.cancel_selection();
    let to = match (key.code, range) {
        (KeyCode::Left, Some((start, _))) => start,
        (KeyCode::Right, Some((_, end))) => end,
        _ => return false,
    };
    let row = u16::try_from(to.0).unwrap_or(u16::MAX);
    let col = u16::try_from(to.1).unwrap_or(u16::MAX);
    ed.move_cursor(CursorMove::Jump(row, col));
    true
}

/// Enter keeps the line's indent, one level more after `{` or `[`; a
/// closing bracket first on its line goes back one level. `None` for any
/// other key.
fn smart_key(ed: &mut TextArea<'static>, key: KeyEvent) -> Option<()> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let (row, col) = {
        let c = ed.cursor();
        (c.0, c.1)
    };
    let line = ed.lines().get(row).cloned().unwrap_or_default();
    let before: String = line.chars().take(col).collect();
    match key.code {
        KeyCode::Enter if key.modifiers.is_empty() => {
            let indent: String = line.chars().take_while(|c| *c == ' ').collect();
            let opens = matches!(before.trim_end().chars().last(), Some('{' | '['));
            ed.insert_newline();
            let extra = if opens { "  " } else { "" };
            ed.insert_str(format!("{indent}{extra}"));
        }
        KeyCode::Char(close @ ('}' | ']')) if !ctrl => {
            if !ed.is_selecting() && col >= 2 && before.chars().all(|c| c == ' ') {
                ed.delete_char();
                ed.delete_char();
            }
            ed.insert_char(close);
        }
        _ => return None,
    }
    Some(())
}

impl LabScreen {
    pub(super) fn edit_key(&mut self, key: KeyEvent) -> EventResult {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let armed = std::mem::take(&mut self.edit.quit_armed);
        let n = self.editors.len();
        self.edit.history.resize_with(n, History::default);
        let (Some(ed), Some(history)) = (
            self.editors.get_mut(self.tab),
            self.edit.history.get_mut(self.tab),
        ) else {
            return EventResult::Ignored;
        };
        let changed = match key.code {
            KeyCode::Char('z') if ctrl => {
                let done = history.undo(ed);
                if !done {
                    self.note = Some("Nothing to undo.".into());
                }
                done
            }
            KeyCode::Char('y') if ctrl => {
                let done = history.redo(ed);
                if !done {
                    self.note = Some("Nothing to redo.".into());
                }
                done
            }
            KeyCode::Char('a') if ctrl => {
                ed.select_all();
                return EventResult::Changed;
            }
            // Ctrl-C copies a selection. With nothing selected it copies
            // nothing and asks for a second Ctrl-C before quitting: the
            // editor advertises it as copy, so one press never ends work.
            KeyCode::Char('c') if ctrl => {
                if !ed.is_selecting() {
                    if armed {
                        return EventResult::Emit(vec![Action::Quit]);
                    }
                    self.edit.quit_armed = true;
                    self.note = Some(
                        "Nothing selected to copy. Ctrl-C again quits; Ctrl-Q quits at once."
                            .into(),
                    );
                    return EventResult::Changed;
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
            KeyCode::F(7) => return self.format_tab(),
            _ => {
                history.before(ed);
                match self.text_key(key) {
                    Some(result) => return result,
                    None => {
                        let (Some(ed), Some(history)) = (
                            self.editors.get(self.tab),
                            self.edit.history.get_mut(self.tab),
                        ) else {
                            return EventResult::Ignored;
                        };
                        history.after(ed)
                    }
                }
            }
        };
        if changed {
            self.after_edit(key)
        } else {
            // Undo with nothing left, a move: the screen still changes.
            EventResult::Changed
        }
    }

    /// A key that may change the text (after the undo snapshot was
    /// taken). `Some` when the key's answer is already known (a refused
    /// cut or paste, a move, a key the editor does not take).
    fn text_key(&mut self, key: KeyEvent) -> Option<EventResult> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let ed = self.editors.get_mut(self.tab)?;
        if collapse(ed, key) {
            return Some(EventResult::Changed);
        }
        match key.code {
            KeyCode::Char('x') if ctrl => {
                if !ed.is_selecting() {
                    self.note = Some(
                        "Nothing is selected: select with Shift and the arrows (Ctrl-A: all), then Ctrl-X cuts."
                            .into(),
                    );
                    return Some(EventResult::Changed);
                }
                ed.cut();
                self.clipboard = ed.yank_text();
            }
            KeyCode::Char('v') if ctrl => {
                if self.clipboard.is_empty() {
                    self.note = Some(
                        "Nothing copied yet: Ctrl-C copies a selection. Text from outside pastes with your terminal's paste."
                            .into(),
                    );
                    return Some(EventResult::Changed);
                }
                ed.set_yank_text(self.clipboard.clone());
                ed.paste();
            }
            _ if smart_key(ed, key).is_some() => {}
            _ => {
                let before = ed.cursor();
                let edited = ed.input(key);
                // `input` is true only when the text changed: a move (or
                // the mouse wheel) still redraws, so the cursor is seen
                // where the next key will land.
                if !edited && ed.cursor() == before && !is_move(key.code) {
                    return Some(EventResult::Ignored);
                }
            }
        }
        None
    }

    /// The text of the current tab changed by `key`: re-check it, keeping
    /// a copy or cut's note, and offering a cut to the terminal.
    fn after_edit(&mut self, key: KeyEvent) -> EventResult {
        let note = self.note.take();
        let out = self.changed();
        if note.is_some() {
            self.note = note;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
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
    }

    /// A left click inside the editor's text puts the cursor there (and
    /// gives the editor the keys); elsewhere it does nothing.
    pub(super) fn click(&mut self, x: u16, y: u16, ctx: &Ctx) -> EventResult {
        let at = self.editor_at.get();
        let inside = x >= at.x && x < at.x + at.width && y >= at.y && y < at.y + at.height;
        let Some(ed) = self.editors.get_mut(self.tab) else {
            return EventResult::Ignored;
        };
        if !inside {
            return EventResult::Ignored;
        }
        let (top, left) = ed.scroll_offset();
        let gutter = ed.line_number_width();
        let row = usize::from(y - at.y) + usize::from(top);
        let col = usize::from((x - at.x).saturating_sub(gutter)) + usize::from(left);
        let to = ed.screen_to_data(row, col);
        ed.cancel_selection();
        let row = u16::try_from(to.0).unwrap_or(u16::MAX);
        let col = u16::try_from(to.1).unwrap_or(u16::MAX);
        ed.move_cursor(CursorMove::Jump(row, col));
        if self.focus != Focus::Editor {
            self.focus = Focus::Editor;
            self.set_cursor_styles(ctx);
        }
        EventResult::Changed
    }

    /// F7: pretty-prints the current tab's policy as one undo step, or
    /// says why not (the text must parse first).
    fn format_tab(&mut self) -> EventResult {
        let text = self.text(self.tab);
        let formatted = match format_policy(&text) {
            Ok(f) => f,
            Err(why) => {
                self.note = Some(format!(
                    "Not formatted: {why}. Fix it first; your text is unchanged."
                ));
                return EventResult::Changed;
            }
        };
        // Keep the text's own ending: a final newline stays or stays away.
        let formatted = if text.ends_with('\n') {
            formatted
        } else {
            formatted.trim_end_matches('\n').to_string()
        };
        if formatted == text {
            self.note = Some("Already formatted: nothing changed.".into());
            return EventResult::Changed;
        }
        let (Some(ed), Some(history)) = (
            self.editors.get_mut(self.tab),
            self.edit.history.get_mut(self.tab),
        ) else {
            return EventResult::Ignored;
        };
        history.before(ed);
        ed.select_all();
        ed.insert_str(&formatted);
        ed.move_cursor(CursorMove::Top);
        ed.move_cursor(CursorMove::Head);
        history.after(ed);
        let out = self.changed();
        self.note = Some("Formatted the policy (Ctrl-Z undoes it).".into());
        out
    }

    pub(super) fn paste(&mut self, text: &str, ctx: &Ctx) -> EventResult {
        if self.focus != Focus::Editor {
            self.focus = Focus::Editor;
            self.set_cursor_styles(ctx);
        }
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let n = self.editors.len();
        self.edit.history.resize_with(n, History::default);
        let (Some(ed), Some(history)) = (
            self.editors.get_mut(self.tab),
            self.edit.history.get_mut(self.tab),
        ) else {
            return EventResult::Ignored;
        };
        history.before(ed);
        ed.insert_str(text);
        if history.after(ed) {
            self.changed()
        } else {
            EventResult::Changed
        }
    }
}

/// Marks the editor's rows whose line goes on past the right edge (`›`,
/// ASCII `>`) or starts before the left one when scrolled sideways (`‹`,
/// `<`), so a clipped ARN is never taken for a whole one.
pub(super) fn continuation_marks(ed: &TextArea<'_>, inner: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let (top, left) = ed.scroll_offset();
    let (top, left) = (usize::from(top), usize::from(left));
    let gutter = ed.line_number_width();
    let text_w = usize::from(inner.width.saturating_sub(gutter));
    if text_w < 2 {
        return;
    }
    for r in 0..inner.height {
        let Some(line) = ed.lines().get(top + usize::from(r)) else {
            break;
        };
        let width: usize = line.chars().map(|c| c.width().unwrap_or(0)).sum();
        let y = inner.y + r;
        if left > 0 {
            // The text area scrolls its line numbers sideways with the
            // text; draw them back so the gutter always reads.
            let number = format!(
                " {:>w$} ",
                top + usize::from(r) + 1,
                w = usize::from(gutter.saturating_sub(2))
            );
            let style = ed.line_number_style().unwrap_or_default();
            buf.set_string(inner.x, y, number, style);
        }
        if width > left + text_w {
            let x = inner.x + inner.width - 1;
            buf.set_string(x, y, ctx.sym("›", ">"), ctx.theme.dim);
        }
        if left > 0 && width > 0 {
            buf.set_string(inner.x + gutter, y, ctx.sym("‹", "<"), ctx.theme.dim);
        }
    }
}
