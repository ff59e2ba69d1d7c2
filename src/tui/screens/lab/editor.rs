//! The policy editor of the lab: its text areas, and the keys and pastes
//! that edit them (copy, cut and paste across tabs, undo).

use super::render::amount;
use super::*;

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

impl LabScreen {
    pub(super) fn edit_key(&mut self, key: crossterm::event::KeyEvent) -> EventResult {
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

    pub(super) fn paste(&mut self, text: &str, ctx: &Ctx) -> EventResult {
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
}
