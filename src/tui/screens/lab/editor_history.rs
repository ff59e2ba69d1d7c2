//! Undo and redo for the lab editor, one step per learner action.
//!
//! The text area's own history records its primitive edits, so typing over
//! a selection (a delete, then an insert) or Enter with its indent took two
//! undos, the first showing a half-done state. Here each key or paste is
//! one snapshot of the text and the cursor taken before it.

use ratatui_textarea::{CursorMove, TextArea};

/// At most this many steps back per tab.
const DEPTH: usize = 200;

/// The text and cursor before one action.
#[derive(Debug, Clone, PartialEq)]
struct Snap {
    lines: Vec<String>,
    cursor: (usize, usize),
}

impl Snap {
    fn of(ed: &TextArea<'_>) -> Self {
        let c = ed.cursor();
        Snap {
            lines: ed.lines().to_vec(),
            cursor: (c.0, c.1),
        }
    }

    /// Puts this text and cursor into `ed`.
    fn restore(self, ed: &mut TextArea<'_>) {
        ed.select_all();
        ed.insert_str(self.lines.join("\n"));
        ed.cancel_selection();
        let row = u16::try_from(self.cursor.0).unwrap_or(u16::MAX);
        let col = u16::try_from(self.cursor.1).unwrap_or(u16::MAX);
        ed.move_cursor(CursorMove::Jump(row, col));
    }
}

/// One tab's undo and redo stacks.
#[derive(Debug, Default)]
pub(super) struct History {
    past: Vec<Snap>,
    future: Vec<Snap>,
    /// Taken by [`History::before`], kept by [`History::after`] if the
    /// text changed.
    pending: Option<Snap>,
}

impl History {
    /// Call before an action that may change the text.
    pub(super) fn before(&mut self, ed: &TextArea<'_>) {
        self.pending = Some(Snap::of(ed));
    }

    /// Call after it: records one undo step if the text changed.
    pub(super) fn after(&mut self, ed: &TextArea<'_>) -> bool {
        let Some(snap) = self.pending.take() else {
            return false;
        };
        if snap.lines.as_slice() == ed.lines() {
            return false;
        }
        self.past.push(snap);
        if self.past.len() > DEPTH {
            self.past.remove(0);
        }
        self.future.clear();
        true
    }

    /// Goes one action back; false when there is nothing to undo.
    pub(super) fn undo(&mut self, ed: &mut TextArea<'_>) -> bool {
        let Some(snap) = self.past.pop() else {
            return false;
        };
        self.future.push(Snap::of(ed));
        snap.restore(ed);
        true
    }

    /// Goes one undone action forward again.
    pub(super) fn redo(&mut self, ed: &mut TextArea<'_>) -> bool {
        let Some(snap) = self.future.pop() else {
            return false;
        };
        self.past.push(Snap::of(ed));
        snap.restore(ed);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_over_a_selection_is_one_undo_step() {
        let mut ed = TextArea::new(vec!["{".into(), "  \"a\": 1".into(), "}".into()]);
        let mut h = History::default();
        ed.select_all();
        h.before(&ed);
        ed.insert_char('W');
        assert!(h.after(&ed));
        assert_eq!(ed.lines(), ["W"]);
        assert!(h.undo(&mut ed));
        assert_eq!(ed.lines(), ["{", "  \"a\": 1", "}"]);
        assert!(!h.undo(&mut ed), "one step restored it all");
        assert!(h.redo(&mut ed));
        assert_eq!(ed.lines(), ["W"]);
    }

    #[test]
    fn a_move_is_not_an_undo_step() {
        let mut ed = TextArea::new(vec!["ab".into()]);
        let mut h = History::default();
        h.before(&ed);
        ed.move_cursor(CursorMove::End);
        assert!(!h.after(&ed));
        assert!(!h.undo(&mut ed));
    }
}
