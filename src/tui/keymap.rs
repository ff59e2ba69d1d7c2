//! Keys to actions, per screen, and the key lists the help overlay and the
//! hint bar show. Both come from this file so they cannot drift apart (a
//! test checks every listed key maps to an action).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use super::action::Action;

/// Which screen a key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenId {
    /// The course map.
    Home,
    /// The lesson reader.
    Lesson,
    /// The glossary search.
    Glossary,
    /// The help overlay.
    Help,
    /// A policy lab, with the goals panel focused.
    Lab,
    /// A policy lab, with the policy editor focused (keys go to the
    /// editor unless they are the lab's global keys).
    LabEditor,
    /// The quiz setup (mode, objectives, exam settings).
    QuizSetup,
    /// A quiz being taken.
    Quiz,
    /// An exam's score report.
    QuizReport,
    /// The envelope-encryption walkthrough (its steps, or its sample
    /// chooser with the generated report picked).
    Envelope,
    /// The walkthrough's sample chooser with the file path field focused
    /// (letters are typed into the path).
    EnvelopeFile,
}

/// A key (or keys) and what it does, for the help overlay and hint bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    /// The keys as shown, e.g. `j/↓`.
    pub keys: &'static str,
    /// What they do.
    pub what: &'static str,
    /// The short form for the one-line hint bar; empty when the key is
    /// only listed in the help overlay.
    pub bar: &'static str,
}

const fn hint(keys: &'static str, what: &'static str, bar: &'static str) -> Hint {
    Hint { keys, what, bar }
}

/// The keys of the home screen.
pub const HOME_HINTS: &[Hint] = &[
    hint("↑/↓ j/k", "move", "j/k move"),
    hint("g/G", "first / last entry", ""),
    hint("Enter", "open", "Enter open"),
    hint("/", "glossary", "/ glossary"),
    hint("?", "help", "? help"),
    hint("q Esc", "quit", "q quit"),
    hint("Ctrl-C", "quit from anywhere", ""),
];

/// The keys of the lesson reader.
pub const LESSON_HINTS: &[Hint] = &[
    hint("↑/↓ j/k", "scroll (mouse wheel too)", "j/k scroll"),
    hint("PgUp/PgDn Space", "page up / down", ""),
    hint("g/G", "top / bottom of the section", ""),
    hint("n/p ]/[", "next / previous section", "n/p section"),
    hint("→/← l/h", "diagram step forward / back", "←/→ diagram"),
    hint(
        "Tab/Shift-Tab",
        "focus next / previous diagram or checkpoint",
        "",
    ),
    hint(
        "1-9 a-f",
        "choose an answer (toggle for several)",
        "1-9 choose",
    ),
    hint("Enter", "submit the answer", "Enter submit"),
    hint("/", "glossary", ""),
    hint("w", "open the envelope walkthrough (real bytes)", ""),
    hint("?", "help", "? help"),
    hint("Esc q", "back to the course map", "q back"),
];

/// The keys of the glossary search.
pub const GLOSSARY_HINTS: &[Hint] = &[
    hint("type", "filter the terms", "type to filter"),
    hint("↑/↓", "select", "↑/↓ select"),
    hint("PgUp/PgDn", "page through the list", ""),
    hint("Enter", "show the whole definition", "Enter definition"),
    hint("Backspace", "delete a character", ""),
    hint("Esc", "close (or back to the list)", "Esc close"),
];

/// The keys of a policy lab with the goals panel focused.
pub const LAB_HINTS: &[Hint] = &[
    hint("↑/↓ j/k", "select a request", "j/k request"),
    hint(
        "Tab/Shift-Tab",
        "to the editor / switch policy tab",
        "Tab editor",
    ),
    hint("Enter F3", "jump to the deciding statement", "Enter jump"),
    hint("h F2", "reveal the next hint", "h hint"),
    hint(
        "r F5",
        "reset to the starting policies (asks first)",
        "r reset",
    ),
    hint(
        "t F6",
        "show / hide the task and hints (small terminals)",
        "t task",
    ),
    hint("y", "answer yes to the reset question", ""),
    hint("? F1", "help", "? help"),
    hint("Esc q", "back to the course map (saves)", "q back"),
];

/// The keys of a policy lab with the editor focused.
pub const LAB_EDITOR_HINTS: &[Hint] = &[
    hint("type", "edit the policy; every change is re-checked", ""),
    hint(
        "Tab/Shift-Tab",
        "next / previous policy tab, then the goals",
        "Tab switch",
    ),
    hint("Esc", "leave the editor (to the goals panel)", "Esc goals"),
    hint("F2", "reveal the next hint", "F2 hint"),
    hint("F3", "jump to the deciding statement", "F3 jump"),
    hint("F4", "select the next request", ""),
    hint(
        "F5",
        "reset to the starting policies (asks first)",
        "F5 reset",
    ),
    hint(
        "F6",
        "show / hide the task and hints (small terminals)",
        "F6 task",
    ),
    hint("Ctrl-Z/Ctrl-Y", "undo / redo", "^Z undo"),
    hint("Shift-arrows", "select text", ""),
    hint("Ctrl-A", "select all (then type or paste to replace)", ""),
    hint(
        "Ctrl-C/Ctrl-X/Ctrl-V",
        "copy / cut / paste a selection, across tabs; a copy also goes to the terminal's clipboard (Ctrl-C with nothing selected quits)",
        "",
    ),
    hint("Ctrl-S", "save now (leaving the lab saves too)", ""),
    hint("F1", "help", "F1 help"),
    hint("Ctrl-Q", "quit (saves)", ""),
];

/// The keys of a sandbox (`keyshake lab FILE`) with the requests focused.
pub const SANDBOX_HINTS: &[Hint] = &[
    hint("↑/↓ j/k", "select a request", "j/k request"),
    hint(
        "Tab/Shift-Tab",
        "to the editor / switch policy tab",
        "Tab editor",
    ),
    hint("Enter F3", "jump to the deciding statement", "Enter jump"),
    hint("Ctrl-S", "save the policies into the file", "^S save"),
    hint(
        "r F5",
        "put the policies back as last saved (asks first)",
        "r revert",
    ),
    hint("t F6", "show / hide the notes (small terminals)", ""),
    hint("y / n", "answer the question on screen", ""),
    hint("? F1", "help", "? help"),
    hint("Esc q", "leave (asks to save unsaved changes)", "q quit"),
];

/// The keys of a sandbox with the editor focused.
pub const SANDBOX_EDITOR_HINTS: &[Hint] = &[
    hint("type", "edit the policy; every change is re-checked", ""),
    hint(
        "Tab/Shift-Tab",
        "next / previous policy tab, then the requests",
        "Tab switch",
    ),
    hint("Esc", "leave the editor (to the requests)", "Esc requests"),
    hint("Ctrl-S", "save the policies into the file", "^S save"),
    hint("F3", "jump to the deciding statement", "F3 jump"),
    hint("F4", "select the next request", ""),
    hint("F5", "put the policies back as last saved (asks first)", ""),
    hint("F6", "show / hide the notes (small terminals)", ""),
    hint("Ctrl-Z/Ctrl-Y", "undo / redo", "^Z undo"),
    hint("Shift-arrows", "select text", ""),
    hint("Ctrl-A", "select all (then type or paste to replace)", ""),
    hint(
        "Ctrl-C/Ctrl-X/Ctrl-V",
        "copy / cut / paste a selection, across tabs; a copy also goes to the terminal's clipboard (Ctrl-C with nothing selected quits)",
        "",
    ),
    hint("F1", "help", "F1 help"),
    hint("Ctrl-Q", "quit (asks to save unsaved changes)", ""),
];

/// The keys of the help overlay.
pub const HELP_HINTS: &[Hint] = &[hint("Esc q ?", "close help", "Esc close")];

/// The keys of the quiz setup.
pub const QUIZ_SETUP_HINTS: &[Hint] = &[
    hint("↑/↓ j/k", "move", "j/k move"),
    hint("←/→ h/l", "change the value", "←/→ change"),
    hint("Enter Space", "pick an objective, or start", "Enter pick"),
    hint("s", "start the quiz", "s start"),
    hint("?", "help", "? help"),
    hint("Esc q", "back to the course map", "q back"),
];

/// The keys of a quiz being taken.
pub const QUIZ_HINTS: &[Hint] = &[
    hint(
        "a-e 1-9",
        "answer (toggle for \"choose two\"); a ALLOW, b DENY",
        "a-e answer",
    ),
    hint("Enter", "submit a choice / next question", "Enter next"),
    hint("n/p →/←", "next / previous question (exam)", "n/p move"),
    hint("f", "flag the question for review (exam)", "f flag"),
    hint(
        "r",
        "review grid: answered, unanswered, flagged (exam)",
        "r grid",
    ),
    hint("s", "submit the exam", "s submit"),
    hint("v", "show the scenario of a policy question", ""),
    hint("↑/↓ j/k PgUp/PgDn", "scroll", ""),
    hint("/", "glossary", ""),
    hint("?", "help", "? help"),
    hint("Esc q", "stop the quiz (answers so far are kept)", "q stop"),
];

/// The hint bar of a practice, review or missed quiz (no exam keys).
pub const QUIZ_PRACTICE_HINTS: &[Hint] = &[
    hint("a-e 1-9", "answer", "a-e answer"),
    hint("Enter", "submit a choice / next question", "Enter next"),
    hint("v", "show the scenario of a policy question", "v scenario"),
    hint("↑/↓ j/k", "scroll", "j/k scroll"),
    hint("?", "help", "? help"),
    hint("Esc q", "stop the quiz (answers so far are kept)", "q stop"),
];

/// The keys of an exam's score report.
pub const QUIZ_REPORT_HINTS: &[Hint] = &[
    hint("↑/↓ j/k", "scroll", "j/k scroll"),
    hint("PgUp/PgDn Space", "page up / down", "PgDn page"),
    hint("g/G", "top / bottom", ""),
    hint("?", "help", "? help"),
    hint("Esc q Enter", "back to the course map", "q back"),
];

/// The hints of a screen.
pub fn hints(screen: ScreenId) -> &'static [Hint] {
    match screen {
        ScreenId::Home => HOME_HINTS,
        ScreenId::Lesson => LESSON_HINTS,
        ScreenId::Glossary => GLOSSARY_HINTS,
        ScreenId::Help => HELP_HINTS,
        ScreenId::Lab => LAB_HINTS,
        ScreenId::LabEditor => LAB_EDITOR_HINTS,
        ScreenId::QuizSetup => QUIZ_SETUP_HINTS,
        ScreenId::Quiz => QUIZ_HINTS,
        ScreenId::QuizReport => QUIZ_REPORT_HINTS,
        ScreenId::Envelope => ENVELOPE_HINTS,
        ScreenId::EnvelopeFile => ENVELOPE_FILE_HINTS,
    }
}

/// The keys of the envelope-encryption walkthrough.
pub const ENVELOPE_HINTS: &[Hint] = &[
    hint("→/l Enter", "next step (it runs the step)", "→ next"),
    hint("←/h", "previous step (shows what it did)", "← back"),
    hint("↑/↓ j/k", "choose the sample; scroll a step", "j/k scroll"),
    hint("PgUp/PgDn", "page up / down", ""),
    hint(
        "e",
        "edit the key policy and B's IAM policy (opens their lab)",
        "e edit policies",
    ),
    hint("r", "start again with another sample", "r restart"),
    hint("/", "glossary", ""),
    hint("?", "help", "? help"),
    hint("Esc q", "back to the course map", "q back"),
];

/// The hint bar of the walkthrough's sample chooser (the generated report
/// picked); the same keys as [`ENVELOPE_HINTS`].
pub const ENVELOPE_CHOOSE_HINTS: &[Hint] = &[
    hint("↑/↓ j/k", "choose the sample", "j/k choose"),
    hint("Enter →/l", "start with it", "Enter start"),
    hint(
        "e",
        "edit the key policy and B's IAM policy (opens their lab)",
        "e edit policies",
    ),
    hint("?", "help", "? help"),
    hint("Esc q", "back to the course map", "q back"),
];

/// The keys of the walkthrough's file path field.
pub const ENVELOPE_FILE_HINTS: &[Hint] = &[
    hint("type", "the path of a file to encrypt (~ is your home)", ""),
    hint("Enter", "start with this file", "Enter start"),
    hint("Backspace", "delete a character", ""),
    hint("↑ Esc", "back to the generated report", "Esc back"),
];

/// The action for a key press on `screen`, if any. Callers pass key
/// *presses* only.
pub fn map(screen: ScreenId, key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    // In the editor Ctrl-C copies a selection (the lab quits when nothing
    // is selected).
    let quits = match key.code {
        KeyCode::Char('q') => true,
        KeyCode::Char('c') => screen != ScreenId::LabEditor,
        _ => false,
    };
    if ctrl && quits {
        return Some(Action::Quit);
    }
    if ctrl
        && key.code == KeyCode::Char('s')
        && matches!(screen, ScreenId::Lab | ScreenId::LabEditor)
    {
        return Some(Action::Write);
    }
    match screen {
        ScreenId::LabEditor => Some(lab_editor(key)),
        ScreenId::Lab => lab(key, ctrl),
        ScreenId::Glossary => glossary(key, ctrl),
        ScreenId::Help => match key.code {
            KeyCode::Esc | KeyCode::Char('q' | '?') | KeyCode::Enter => Some(Action::Back),
            _ => None,
        },
        ScreenId::QuizSetup | ScreenId::Quiz | ScreenId::QuizReport => quiz(screen, key, ctrl),
        ScreenId::Envelope => envelope(key, ctrl),
        ScreenId::EnvelopeFile => match key.code {
            KeyCode::Esc | KeyCode::Up => Some(Action::Back),
            KeyCode::Enter => Some(Action::Enter),
            KeyCode::Backspace => Some(Action::Erase),
            KeyCode::Char(c) if !ctrl => Some(Action::Type(c)),
            _ => None,
        },
        ScreenId::Home | ScreenId::Lesson => {
            if ctrl {
                return None;
            }
            let common = match key.code {
                KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
                KeyCode::Char('?') => Some(Action::Help),
                KeyCode::Char('/') => Some(Action::Glossary),
                KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
                KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
                KeyCode::PageUp => Some(Action::PageUp),
                KeyCode::PageDown | KeyCode::Char(' ') => Some(Action::PageDown),
                KeyCode::Home | KeyCode::Char('g') => Some(Action::Top),
                KeyCode::End | KeyCode::Char('G') => Some(Action::Bottom),
                KeyCode::Enter => Some(Action::Enter),
                _ => None,
            };
            if common.is_some() || screen == ScreenId::Home {
                return common;
            }
            match key.code {
                KeyCode::Char('n' | ']') => Some(Action::NextSection),
                KeyCode::Char('p' | '[') => Some(Action::PrevSection),
                KeyCode::Right | KeyCode::Char('l') => Some(Action::StepForward),
                KeyCode::Left | KeyCode::Char('h') => Some(Action::StepBack),
                KeyCode::Tab => Some(Action::FocusNext),
                KeyCode::BackTab => Some(Action::FocusPrev),
                KeyCode::Char('w') => Some(Action::Walkthrough),
                KeyCode::Char(c @ 'a'..='f') => Some(Action::Choose(c as usize - 'a' as usize)),
                KeyCode::Char(c @ '1'..='9') => Some(Action::Choose(c as usize - '1' as usize)),
                _ => None,
            }
        }
    }
}

/// The editor takes Emacs-style Ctrl bindings, so the lab's own keys are
/// F-keys, Esc and Tab, checked here before anything reaches the editor.
fn lab_editor(key: KeyEvent) -> Action {
    match key.code {
        KeyCode::Esc => Action::Back,
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrev,
        KeyCode::F(1) => Action::Help,
        KeyCode::F(2) => Action::Hint,
        KeyCode::F(3) => Action::Jump,
        KeyCode::F(4) => Action::Down,
        KeyCode::F(5) => Action::Reset,
        KeyCode::F(6) => Action::ToggleNotes,
        _ => Action::Edit(key),
    }
}

fn lab(key: KeyEvent, ctrl: bool) -> Option<Action> {
    if ctrl {
        return None;
    }
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
        KeyCode::Char('?') | KeyCode::F(1) => Some(Action::Help),
        KeyCode::Tab => Some(Action::FocusNext),
        KeyCode::BackTab => Some(Action::FocusPrev),
        KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
        KeyCode::Down | KeyCode::Char('j') | KeyCode::F(4) => Some(Action::Down),
        KeyCode::Enter | KeyCode::F(3) => Some(Action::Jump),
        KeyCode::Char('h') | KeyCode::F(2) => Some(Action::Hint),
        KeyCode::Char('r') | KeyCode::F(5) => Some(Action::Reset),
        KeyCode::Char('y') => Some(Action::Confirm),
        KeyCode::Char('t') | KeyCode::F(6) => Some(Action::ToggleNotes),
        // Any other letter answers "no" to the reset question.
        KeyCode::Char(c) => Some(Action::Type(c)),
        _ => None,
    }
}

fn quiz(screen: ScreenId, key: KeyEvent, ctrl: bool) -> Option<Action> {
    if ctrl {
        return None;
    }
    let common = match key.code {
        KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
        KeyCode::Char('?') => Some(Action::Help),
        KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
        KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
        KeyCode::PageUp => Some(Action::PageUp),
        KeyCode::PageDown => Some(Action::PageDown),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    match screen {
        ScreenId::QuizSetup => match key.code {
            KeyCode::Left | KeyCode::Char('h') => Some(Action::StepBack),
            KeyCode::Right | KeyCode::Char('l') => Some(Action::StepForward),
            KeyCode::Enter | KeyCode::Char(' ') => Some(Action::Enter),
            KeyCode::Char('s') => Some(Action::Submit),
            _ => None,
        },
        ScreenId::QuizReport => match key.code {
            KeyCode::Char(' ') => Some(Action::PageDown),
            KeyCode::Home | KeyCode::Char('g') => Some(Action::Top),
            KeyCode::End | KeyCode::Char('G') => Some(Action::Bottom),
            KeyCode::Enter => Some(Action::Back),
            _ => None,
        },
        _ => match key.code {
            KeyCode::Enter => Some(Action::Enter),
            KeyCode::Char(' ') => Some(Action::PageDown),
            KeyCode::Right | KeyCode::Char('n') => Some(Action::NextSection),
            KeyCode::Left | KeyCode::Char('p') => Some(Action::PrevSection),
            KeyCode::Char('f') => Some(Action::Flag),
            KeyCode::Char('r') => Some(Action::Grid),
            KeyCode::Char('s') => Some(Action::Submit),
            KeyCode::Char('v') => Some(Action::View),
            KeyCode::Char('/') => Some(Action::Glossary),
            KeyCode::Char(c @ 'a'..='e') => Some(Action::Choose(c as usize - 'a' as usize)),
            KeyCode::Char(c @ '1'..='9') => Some(Action::Choose(c as usize - '1' as usize)),
            _ => None,
        },
    }
}

fn envelope(key: KeyEvent, ctrl: bool) -> Option<Action> {
    if ctrl {
        return None;
    }
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
        KeyCode::Char('?') => Some(Action::Help),
        KeyCode::Char('/') => Some(Action::Glossary),
        KeyCode::Right | KeyCode::Char('l') | KeyCode::Enter => Some(Action::StepForward),
        KeyCode::Left | KeyCode::Char('h') => Some(Action::StepBack),
        KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
        KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
        KeyCode::PageUp => Some(Action::PageUp),
        KeyCode::PageDown | KeyCode::Char(' ') => Some(Action::PageDown),
        KeyCode::Char('e') => Some(Action::OpenLab(
            crate::tui::screens::envelope::LAB_ID.to_string(),
        )),
        KeyCode::Char('r') => Some(Action::Reset),
        _ => None,
    }
}

fn glossary(key: KeyEvent, ctrl: bool) -> Option<Action> {
    match key.code {
        KeyCode::Esc => Some(Action::Back),
        KeyCode::Up => Some(Action::Up),
        KeyCode::Down => Some(Action::Down),
        KeyCode::PageUp => Some(Action::PageUp),
        KeyCode::PageDown => Some(Action::PageDown),
        KeyCode::Enter => Some(Action::Enter),
        KeyCode::Backspace => Some(Action::Erase),
        // Ctrl-P/Ctrl-N move too, for people whose hands stay on the keys.
        KeyCode::Char('p') if ctrl => Some(Action::Up),
        KeyCode::Char('n') if ctrl => Some(Action::Down),
        KeyCode::Char(c) if !ctrl => Some(Action::Type(c)),
        _ => None,
    }
}

/// The action for a mouse event: the wheel scrolls three lines.
pub fn mouse(event: MouseEvent) -> Option<Action> {
    match event.kind {
        MouseEventKind::ScrollUp => Some(Action::ScrollUp(3)),
        MouseEventKind::ScrollDown => Some(Action::ScrollDown(3)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    /// Every key named in a hint list does something on its screen (the
    /// help overlay must never list a key that is dead).
    #[test]
    fn every_listed_key_maps_to_an_action() {
        let samples: &[(ScreenId, &[KeyCode])] = &[
            (
                ScreenId::Home,
                &[
                    KeyCode::Up,
                    KeyCode::Char('j'),
                    KeyCode::Char('g'),
                    KeyCode::Char('G'),
                    KeyCode::Enter,
                    KeyCode::Char('/'),
                    KeyCode::Char('?'),
                    KeyCode::Char('q'),
                    KeyCode::Esc,
                ],
            ),
            (
                ScreenId::Lesson,
                &[
                    KeyCode::Down,
                    KeyCode::Char('k'),
                    KeyCode::PageUp,
                    KeyCode::PageDown,
                    KeyCode::Char(' '),
                    KeyCode::Char('n'),
                    KeyCode::Char(']'),
                    KeyCode::Char('p'),
                    KeyCode::Char('['),
                    KeyCode::Right,
                    KeyCode::Char('l'),
                    KeyCode::Left,
                    KeyCode::Char('h'),
                    KeyCode::Tab,
                    KeyCode::BackTab,
                    KeyCode::Char('w'),
                    KeyCode::Char('a'),
                    KeyCode::Char('f'),
                    KeyCode::Char('1'),
                    KeyCode::Char('9'),
                    KeyCode::Enter,
                    KeyCode::Char('/'),
                    KeyCode::Char('?'),
                    KeyCode::Esc,
                    KeyCode::Char('q'),
                ],
            ),
            (
                ScreenId::Glossary,
                &[
                    KeyCode::Char('x'),
                    KeyCode::Up,
                    KeyCode::Down,
                    KeyCode::PageUp,
                    KeyCode::PageDown,
                    KeyCode::Enter,
                    KeyCode::Backspace,
                    KeyCode::Esc,
                ],
            ),
            (
                ScreenId::Help,
                &[KeyCode::Esc, KeyCode::Char('q'), KeyCode::Char('?')],
            ),
            (
                ScreenId::Envelope,
                &[
                    KeyCode::Right,
                    KeyCode::Char('l'),
                    KeyCode::Enter,
                    KeyCode::Left,
                    KeyCode::Char('h'),
                    KeyCode::Up,
                    KeyCode::Down,
                    KeyCode::Char('j'),
                    KeyCode::Char('k'),
                    KeyCode::PageUp,
                    KeyCode::PageDown,
                    KeyCode::Char('e'),
                    KeyCode::Char('r'),
                    KeyCode::Char('/'),
                    KeyCode::Char('?'),
                    KeyCode::Esc,
                    KeyCode::Char('q'),
                ],
            ),
            (
                ScreenId::EnvelopeFile,
                &[
                    KeyCode::Char('x'),
                    KeyCode::Char('q'),
                    KeyCode::Enter,
                    KeyCode::Backspace,
                    KeyCode::Up,
                    KeyCode::Esc,
                ],
            ),
            (
                ScreenId::Lab,
                &[
                    KeyCode::Up,
                    KeyCode::Char('j'),
                    KeyCode::Tab,
                    KeyCode::BackTab,
                    KeyCode::Enter,
                    KeyCode::F(3),
                    KeyCode::Char('h'),
                    KeyCode::F(2),
                    KeyCode::Char('r'),
                    KeyCode::F(5),
                    KeyCode::Char('y'),
                    KeyCode::Char('t'),
                    KeyCode::F(6),
                    KeyCode::Char('?'),
                    KeyCode::F(1),
                    KeyCode::Esc,
                    KeyCode::Char('q'),
                ],
            ),
            (
                ScreenId::QuizSetup,
                &[
                    KeyCode::Up,
                    KeyCode::Char('j'),
                    KeyCode::Left,
                    KeyCode::Char('l'),
                    KeyCode::Enter,
                    KeyCode::Char(' '),
                    KeyCode::Char('s'),
                    KeyCode::Char('?'),
                    KeyCode::Esc,
                    KeyCode::Char('q'),
                ],
            ),
            (
                ScreenId::Quiz,
                &[
                    KeyCode::Char('a'),
                    KeyCode::Char('e'),
                    KeyCode::Char('1'),
                    KeyCode::Char('9'),
                    KeyCode::Enter,
                    KeyCode::Char('n'),
                    KeyCode::Char('p'),
                    KeyCode::Right,
                    KeyCode::Left,
                    KeyCode::Char('f'),
                    KeyCode::Char('r'),
                    KeyCode::Char('s'),
                    KeyCode::Char('v'),
                    KeyCode::Up,
                    KeyCode::Char('k'),
                    KeyCode::PageUp,
                    KeyCode::PageDown,
                    KeyCode::Char('/'),
                    KeyCode::Char('?'),
                    KeyCode::Esc,
                    KeyCode::Char('q'),
                ],
            ),
            (
                ScreenId::QuizReport,
                &[
                    KeyCode::Down,
                    KeyCode::Char('k'),
                    KeyCode::PageUp,
                    KeyCode::PageDown,
                    KeyCode::Char(' '),
                    KeyCode::Char('g'),
                    KeyCode::Char('G'),
                    KeyCode::Char('?'),
                    KeyCode::Esc,
                    KeyCode::Char('q'),
                    KeyCode::Enter,
                ],
            ),
        ];
        for (screen, codes) in samples {
            for code in *codes {
                assert!(map(*screen, key(*code)).is_some(), "{screen:?} {code:?}");
            }
        }
    }

    #[test]
    fn letters_choose_answers_in_lessons_but_type_in_the_glossary() {
        assert_eq!(
            map(ScreenId::Lesson, key(KeyCode::Char('c'))),
            Some(Action::Choose(2))
        );
        assert_eq!(
            map(ScreenId::Lesson, key(KeyCode::Char('3'))),
            Some(Action::Choose(2))
        );
        assert_eq!(
            map(ScreenId::Glossary, key(KeyCode::Char('q'))),
            Some(Action::Type('q'))
        );
        assert_eq!(map(ScreenId::Home, key(KeyCode::Char('c'))), None);
    }

    /// In the editor, letters and Ctrl keys are text editing, but Esc,
    /// Tab and the F-keys still reach the lab.
    #[test]
    fn the_lab_editor_keeps_its_global_keys() {
        assert_eq!(
            map(ScreenId::LabEditor, key(KeyCode::Char('q'))),
            Some(Action::Edit(key(KeyCode::Char('q'))))
        );
        for (code, action) in [
            (KeyCode::Esc, Action::Back),
            (KeyCode::Tab, Action::FocusNext),
            (KeyCode::BackTab, Action::FocusPrev),
            (KeyCode::F(1), Action::Help),
            (KeyCode::F(2), Action::Hint),
            (KeyCode::F(3), Action::Jump),
            (KeyCode::F(4), Action::Down),
            (KeyCode::F(5), Action::Reset),
            (KeyCode::F(6), Action::ToggleNotes),
        ] {
            assert_eq!(map(ScreenId::LabEditor, key(code)), Some(action));
        }
        let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(map(ScreenId::LabEditor, ctrl_q), Some(Action::Quit));
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        for screen in [ScreenId::Lab, ScreenId::LabEditor] {
            assert_eq!(map(screen, ctrl('s')), Some(Action::Write));
        }
        // Copy, cut and paste are the editor's (the lab screen turns a
        // Ctrl-C with nothing selected into quit).
        for c in ['c', 'x', 'v'] {
            assert_eq!(
                map(ScreenId::LabEditor, ctrl(c)),
                Some(Action::Edit(ctrl(c)))
            );
        }
    }

    #[test]
    fn in_a_quiz_f_flags_and_letters_past_e_do_not_answer() {
        assert_eq!(
            map(ScreenId::Quiz, key(KeyCode::Char('f'))),
            Some(Action::Flag)
        );
        assert_eq!(
            map(ScreenId::Quiz, key(KeyCode::Char('e'))),
            Some(Action::Choose(4))
        );
        assert_eq!(map(ScreenId::Quiz, key(KeyCode::Char('x'))), None);
        assert_eq!(
            map(ScreenId::QuizSetup, key(KeyCode::Right)),
            Some(Action::StepForward)
        );
    }

    #[test]
    fn ctrl_c_quits_everywhere_but_in_the_editor() {
        for screen in [
            ScreenId::Home,
            ScreenId::Lesson,
            ScreenId::Glossary,
            ScreenId::Help,
            ScreenId::Lab,
            ScreenId::QuizSetup,
            ScreenId::Quiz,
            ScreenId::QuizReport,
            ScreenId::Envelope,
            ScreenId::EnvelopeFile,
        ] {
            let k = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
            assert_eq!(map(screen, k), Some(Action::Quit));
        }
    }
}
