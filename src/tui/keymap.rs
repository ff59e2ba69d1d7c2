//! Keys to actions, per screen, and the key lists the help overlay and the
//! hint bar show, from one table per screen: each [`Binding`] names its
//! keys as shown, what they do, its hint-bar text, and the keys it maps.
//! [`Keymap::map`] reads the same table, and a test checks that every key
//! a binding shows is one it maps and every key it maps is shown.

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
    /// The mastery picture (bars, forecast, what to study next).
    Mastery,
    /// A sandbox's question about its file (a change on disk, a
    /// read-only file, edits kept from an earlier session).
    SandboxDialog,
    /// A generated drill.
    Drill,
}

/// Which key presses a binding takes. Only [`Key::Ctrl`], [`Key::Shifted`]
/// and [`Key::Any`] take presses with Ctrl held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// This key, without Ctrl (Shift is part of a letter: `G`).
    Code(KeyCode),
    /// Ctrl and this letter.
    Ctrl(char),
    /// A character in this range, without Ctrl (`a-f`, `1-9`).
    Range(char, char),
    /// An arrow with Shift held (the editor's selection).
    Shifted,
    /// Any other character, without Ctrl, typed into a field (`type`).
    Letter,
    /// Any other character, without Ctrl, that answers the question on
    /// screen with a no (`other letters`).
    OtherLetter,
    /// Any other key (the editor takes it).
    Any,
}

impl Key {
    /// Tried after every specific key of the screen and the global keys.
    fn catch_all(self) -> bool {
        matches!(self, Key::Letter | Key::OtherLetter | Key::Any)
    }

    fn takes(self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        match self {
            Key::Code(code) => !ctrl && key.code == code,
            Key::Ctrl(c) => ctrl && key.code == KeyCode::Char(c),
            Key::Range(a, b) => {
                !ctrl && matches!(key.code, KeyCode::Char(c) if (a..=b).contains(&c))
            }
            Key::Shifted => {
                shift
                    && matches!(
                        key.code,
                        KeyCode::Left | KeyCode::Right | KeyCode::Up | KeyCode::Down
                    )
            }
            Key::Letter | Key::OtherLetter => !ctrl && matches!(key.code, KeyCode::Char(_)),
            Key::Any => true,
        }
    }

    /// The key as the help overlay names it (`↑`, `PgDn`, `Ctrl-S`, `a-f`).
    pub fn name(self) -> String {
        match self {
            Key::Code(code) => match code {
                KeyCode::Up => "↑".into(),
                KeyCode::Down => "↓".into(),
                KeyCode::Left => "←".into(),
                KeyCode::Right => "→".into(),
                KeyCode::Enter => "Enter".into(),
                KeyCode::Esc => "Esc".into(),
                KeyCode::Tab => "Tab".into(),
                KeyCode::BackTab => "Shift-Tab".into(),
                KeyCode::PageUp => "PgUp".into(),
                KeyCode::PageDown => "PgDn".into(),
                KeyCode::Home => "Home".into(),
                KeyCode::End => "End".into(),
                KeyCode::Backspace => "Backspace".into(),
                KeyCode::F(n) => format!("F{n}"),
                KeyCode::Char(' ') => "Space".into(),
                KeyCode::Char(c) => c.to_string(),
                other => format!("{other:?}"),
            },
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Range(a, b) => format!("{a}-{b}"),
            Key::Shifted => "Shift-arrows".into(),
            Key::Letter | Key::Any => "type".into(),
            Key::OtherLetter => "other letters".into(),
        }
    }
}

/// What a key of a binding does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Do {
    /// This action.
    Act(Action),
    /// [`Action::Choose`] the character's place in its [`Key::Range`].
    Choose,
    /// [`Action::Type`] the character.
    Type,
    /// [`Action::Edit`]: the key goes to the policy editor.
    Edit,
}

/// One line of a screen's keys: shown in the help overlay (and, when `bar`
/// is not empty, in the hint bar), and the keys it maps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The keys as shown, e.g. `j/↓`: exactly the keys of `map`.
    pub keys: &'static str,
    /// What they do, for the help overlay.
    pub help: &'static str,
    /// The short form for the one-line hint bar (its first word names
    /// keys of this binding); empty when only the help overlay lists it.
    pub bar: &'static str,
    /// The keys and what each does.
    pub map: &'static [(Key, Do)],
}

/// The keys of one screen (or one state of it): its bindings in the order
/// the help overlay and the hint bar list them, in layers that screens
/// share.
#[derive(Debug)]
pub struct Keymap {
    /// The screen's name in the help overlay's title.
    pub title: &'static str,
    /// The bindings, layer after layer.
    pub layers: &'static [&'static [Binding]],
}

impl Keymap {
    /// Every binding, in order.
    pub fn bindings(&self) -> impl Iterator<Item = &'static Binding> + use<> {
        let layers: &'static [&'static [Binding]] = self.layers;
        layers.iter().flat_map(|l| l.iter())
    }

    /// The action for a key press, if any: the screen's specific keys
    /// first, then the keys that work everywhere ([`GLOBAL`]), then the
    /// screen's catch-all (letters typed into a field, the editor).
    /// Callers pass key *presses* only.
    pub fn map(&self, key: KeyEvent) -> Option<Action> {
        let specific = |catch_all: bool| {
            self.bindings()
                .flat_map(|b| b.map.iter())
                .find(|(k, _)| k.catch_all() == catch_all && k.takes(key))
        };
        let global = || {
            GLOBAL
                .bindings()
                .flat_map(|b| b.map.iter())
                .find(|(k, _)| k.takes(key))
        };
        let (k, does) = specific(false).or_else(global).or_else(|| specific(true))?;
        Some(match does {
            Do::Act(a) => a.clone(),
            Do::Choose => match (k, key.code) {
                (Key::Range(a, _), KeyCode::Char(c)) => Action::Choose(c as usize - *a as usize),
                _ => return None,
            },
            Do::Type => match key.code {
                KeyCode::Char(c) => Action::Type(c),
                _ => return None,
            },
            Do::Edit => Action::Edit(key),
        })
    }
}

const fn b(
    keys: &'static str,
    help: &'static str,
    bar: &'static str,
    map: &'static [(Key, Do)],
) -> Binding {
    Binding {
        keys,
        help,
        bar,
        map,
    }
}

use Do::{Act, Choose, Edit, Type};
use Key::{Code, Ctrl, Range};
use KeyCode::{
    BackTab, Backspace, Down, End, Enter, Esc, F, Home, Left, PageDown, PageUp, Right, Tab, Up,
};

const fn c(ch: char) -> Key {
    Code(KeyCode::Char(ch))
}

/// Keys that work on every screen the screen's own table does not take
/// them on (the editor takes Ctrl-C to copy).
pub const GLOBAL: Keymap = Keymap {
    title: "every screen",
    layers: &[&[
        b(
            "Ctrl-C Ctrl-Q",
            "quit from anywhere",
            "",
            &[
                (Ctrl('c'), Act(Action::Quit)),
                (Ctrl('q'), Act(Action::Quit)),
            ],
        ),
        b(
            "F10",
            "mouse off / on (off: your terminal selects and copies text)",
            "",
            &[(Code(F(10)), Act(Action::ToggleMouse))],
        ),
        b(
            "Ctrl-Z",
            "suspend to the shell (fg comes back; in the editor Ctrl-Z undoes)",
            "",
            &[(Ctrl('z'), Act(Action::Suspend))],
        ),
    ]],
};

const HELP: Binding = b("?", "help", "? help", &[(c('?'), Act(Action::Help))]);
const GLOSSARY: Binding = b("/", "glossary", "", &[(c('/'), Act(Action::Glossary))]);
const MOVE: &[(Key, Do)] = &[
    (Code(Up), Act(Action::Up)),
    (c('k'), Act(Action::Up)),
    (Code(Down), Act(Action::Down)),
    (c('j'), Act(Action::Down)),
];
const PAGE: &[(Key, Do)] = &[
    (Code(PageUp), Act(Action::PageUp)),
    (Code(PageDown), Act(Action::PageDown)),
    (c(' '), Act(Action::PageDown)),
];
const ENDS: &[(Key, Do)] = &[
    (c('g'), Act(Action::Top)),
    (Code(Home), Act(Action::Top)),
    (c('G'), Act(Action::Bottom)),
    (Code(End), Act(Action::Bottom)),
];
const BACK: &[(Key, Do)] = &[(Code(Esc), Act(Action::Back)), (c('q'), Act(Action::Back))];

/// The course map.
pub const HOME: Keymap = Keymap {
    title: "course map",
    layers: &[&[
        b("↑/↓ j/k", "move", "j/k move", MOVE),
        b("PgUp/PgDn Space", "page up / down", "", PAGE),
        b("g/G Home/End", "first / last entry", "", ENDS),
        b(
            "Enter",
            "open",
            "Enter open",
            &[(Code(Enter), Act(Action::Enter))],
        ),
        b(
            "/",
            "glossary",
            "/ glossary",
            &[(c('/'), Act(Action::Glossary))],
        ),
        HELP,
        b("q Esc", "quit", "q quit", BACK),
        b(
            "Ctrl-C",
            "quit from anywhere",
            "",
            &[(Ctrl('c'), Act(Action::Quit))],
        ),
    ]],
};

/// The lesson reader.
pub const LESSON: Keymap = Keymap {
    title: "lesson",
    layers: &[&[
        b("↑/↓ j/k", "scroll (mouse wheel too)", "j/k scroll", MOVE),
        b("PgUp/PgDn Space", "page up / down", "", PAGE),
        b("g/G Home/End", "top / bottom of the section", "", ENDS),
        b(
            "n/p ]/[",
            "next / previous section",
            "n/p section",
            &[
                (c('n'), Act(Action::NextSection)),
                (c('p'), Act(Action::PrevSection)),
                (c(']'), Act(Action::NextSection)),
                (c('['), Act(Action::PrevSection)),
            ],
        ),
        b(
            "→/← l/h",
            "diagram step forward / back",
            "←/→ diagram",
            &[
                (Code(Right), Act(Action::StepForward)),
                (Code(Left), Act(Action::StepBack)),
                (c('l'), Act(Action::StepForward)),
                (c('h'), Act(Action::StepBack)),
            ],
        ),
        b(
            "Tab/Shift-Tab",
            "focus next / previous diagram, glossary link or checkpoint",
            "",
            &[
                (Code(Tab), Act(Action::FocusNext)),
                (Code(BackTab), Act(Action::FocusPrev)),
            ],
        ),
        b(
            "1-9 a-f",
            "choose an answer (toggle for several)",
            "1-9 choose",
            &[(Range('1', '9'), Choose), (Range('a', 'f'), Choose)],
        ),
        b(
            "Enter",
            "submit the answer, or open the focused glossary link (a click opens one too)",
            "Enter submit",
            &[(Code(Enter), Act(Action::Enter))],
        ),
        b(
            "r",
            "answer a checkpoint again (first try kept)",
            "",
            &[(c('r'), Act(Action::Reset))],
        ),
        GLOSSARY,
        b(
            "y",
            "copy the code block in view to the terminal's clipboard (whole, as written)",
            "",
            &[(c('y'), Act(Action::CopyCode))],
        ),
        b(
            "w",
            "open the envelope walkthrough (real bytes)",
            "",
            &[(c('w'), Act(Action::Walkthrough))],
        ),
        HELP,
        b("Esc q", "back to the course map", "q back", BACK),
    ]],
};

/// The glossary search.
pub const GLOSSARY_SEARCH: Keymap = Keymap {
    title: "glossary",
    layers: &[&[
        b(
            "type",
            "filter the terms",
            "type to filter",
            &[(Key::Letter, Type)],
        ),
        b(
            "↑/↓",
            "select",
            "↑/↓ select",
            &[(Code(Up), Act(Action::Up)), (Code(Down), Act(Action::Down))],
        ),
        b(
            "Ctrl-P/Ctrl-N",
            "select (hands stay on the keys)",
            "",
            &[(Ctrl('p'), Act(Action::Up)), (Ctrl('n'), Act(Action::Down))],
        ),
        b(
            "PgUp/PgDn",
            "page through the list",
            "",
            &[
                (Code(PageUp), Act(Action::PageUp)),
                (Code(PageDown), Act(Action::PageDown)),
            ],
        ),
        b(
            "Enter",
            "show the whole definition",
            "Enter definition",
            &[(Code(Enter), Act(Action::Enter))],
        ),
        b(
            "Backspace",
            "delete a character",
            "",
            &[(Code(Backspace), Act(Action::Erase))],
        ),
        b(
            "Esc",
            "close (or back to the list)",
            "Esc close",
            &[(Code(Esc), Act(Action::Back))],
        ),
    ]],
};

/// The help overlay.
pub const HELP_OVERLAY: Keymap = Keymap {
    title: "help",
    layers: &[&[
        b(
            "Esc q ? Enter",
            "close help",
            "Esc close",
            &[
                (Code(Esc), Act(Action::Back)),
                (c('q'), Act(Action::Back)),
                (c('?'), Act(Action::Back)),
                (Code(Enter), Act(Action::Back)),
            ],
        ),
        b("↑/↓ j/k", "scroll a long help", "", MOVE),
        b("PgUp/PgDn Space", "page up / down", "", PAGE),
    ]],
};

/// Keep editing: the sandbox dialogs' way out.
const DIALOG_CANCEL: Binding = b(
    "Esc",
    "keep editing; nothing is written",
    "Esc keep editing",
    &[(Code(Esc), Act(Action::Back))],
);

/// The sandbox dialogs' "save elsewhere".
const SAVE_ELSEWHERE: Binding = b(
    "s",
    "save your version to a new file beside it",
    "s save elsewhere",
    &[(c('s'), Act(Action::SaveElsewhere))],
);

/// A sandbox save met a change made on disk since the file was opened.
pub const SANDBOX_CONFLICT: Keymap = Keymap {
    title: "file changed on disk",
    layers: &[&[
        b(
            "r",
            "reload the file from disk (your edits go to a recovery file)",
            "r reload",
            &[(c('r'), Act(Action::Reload))],
        ),
        b(
            "o",
            "overwrite: your policies into the file as it is now",
            "o overwrite",
            &[(c('o'), Act(Action::Overwrite))],
        ),
        SAVE_ELSEWHERE,
        DIALOG_CANCEL,
    ]],
};

/// A sandbox's file may not be written.
pub const SANDBOX_READ_ONLY: Keymap = Keymap {
    title: "read-only file",
    layers: &[&[SAVE_ELSEWHERE, DIALOG_CANCEL]],
};

/// Edits kept from an earlier session, found on opening a sandbox.
pub const SANDBOX_RESTORE: Keymap = Keymap {
    title: "restore unsaved edits",
    layers: &[&[
        b(
            "Enter",
            "restore the kept edits into the editor",
            "Enter restore",
            &[(Code(Enter), Act(Action::Confirm))],
        ),
        b(
            "Esc",
            "open the file as it is (the recovery file stays)",
            "Esc open as it is",
            &[(Code(Esc), Act(Action::Back))],
        ),
    ]],
};

/// The lab's and the sandbox's request list: move, to the editor, jump.
const REQUESTS: &[Binding] = &[
    b(
        "↑/↓ j/k F4",
        "select a request",
        "j/k request",
        &[
            (Code(Up), Act(Action::Up)),
            (c('k'), Act(Action::Up)),
            (Code(Down), Act(Action::Down)),
            (c('j'), Act(Action::Down)),
            (Code(F(4)), Act(Action::Down)),
        ],
    ),
    b(
        "Tab/Shift-Tab",
        "to the editor / switch policy tab",
        "Tab editor",
        &[
            (Code(Tab), Act(Action::FocusNext)),
            (Code(BackTab), Act(Action::FocusPrev)),
        ],
    ),
    b(
        "Enter F3",
        "jump to the deciding statement",
        "Enter jump",
        &[
            (Code(Enter), Act(Action::Jump)),
            (Code(F(3)), Act(Action::Jump)),
        ],
    ),
];

/// Yes, no, and any other letter, for the question on screen (reset the
/// lab; save before leaving the sandbox).
const ANSWER: &[Binding] = &[
    b(
        "y n/N",
        "answer yes / no to the question on screen",
        "",
        &[
            (c('y'), Act(Action::Confirm)),
            (c('n'), Act(Action::Decline)),
            (c('N'), Act(Action::Decline)),
        ],
    ),
    b(
        "other letters",
        "keep things as they are (when asked)",
        "",
        &[(Key::OtherLetter, Type)],
    ),
];

/// A policy lab with the goals panel focused.
pub const LAB: Keymap = Keymap {
    title: "policy lab",
    layers: &[
        REQUESTS,
        &[
            b(
                "h F2",
                "reveal the next hint",
                "h hint",
                &[(c('h'), Act(Action::Hint)), (Code(F(2)), Act(Action::Hint))],
            ),
            b(
                "r F5",
                "reset to the starting policies (asks first)",
                "r reset",
                &[
                    (c('r'), Act(Action::Reset)),
                    (Code(F(5)), Act(Action::Reset)),
                ],
            ),
            b(
                "t F6",
                "show / hide the task, hints and explanation in full (↑/↓ PgUp/PgDn scroll them)",
                "t task",
                &[
                    (c('t'), Act(Action::ToggleNotes)),
                    (Code(F(6)), Act(Action::ToggleNotes)),
                ],
            ),
            b(
                "g",
                "guided setting on / off: explain each verdict at once (kept in your progress)",
                "",
                &[(c('g'), Act(Action::ToggleGuided))],
            ),
            b(
                "Ctrl-S",
                "save now (leaving the lab saves too)",
                "",
                &[(Ctrl('s'), Act(Action::Write))],
            ),
        ],
        ANSWER,
        &[
            b(
                "? F1",
                "help",
                "? help",
                &[(c('?'), Act(Action::Help)), (Code(F(1)), Act(Action::Help))],
            ),
            b("Esc q", "back to the course map (saves)", "q back", BACK),
        ],
    ],
};

/// A sandbox (`keyshake lab FILE`) with the requests focused.
pub const SANDBOX: Keymap = Keymap {
    title: "sandbox",
    layers: &[
        REQUESTS,
        &[
            b(
                "Ctrl-S",
                "save the policies into the file",
                "^S save",
                &[(Ctrl('s'), Act(Action::Write))],
            ),
            b(
                "r F5",
                "put the policies back as last saved (asks first)",
                "r revert",
                &[
                    (c('r'), Act(Action::Reset)),
                    (Code(F(5)), Act(Action::Reset)),
                ],
            ),
            b(
                "t F6",
                "show / hide the notes in full (↑/↓ PgUp/PgDn scroll them)",
                "",
                &[
                    (c('t'), Act(Action::ToggleNotes)),
                    (Code(F(6)), Act(Action::ToggleNotes)),
                ],
            ),
            b(
                "f F9",
                "apply the engine's fix for the selected request",
                "f fix",
                &[
                    (c('f'), Act(Action::ApplyFix)),
                    (Code(F(9)), Act(Action::ApplyFix)),
                ],
            ),
            b(
                "u F8",
                "undo the last fix applied",
                "",
                &[
                    (c('u'), Act(Action::UndoFix)),
                    (Code(F(8)), Act(Action::UndoFix)),
                ],
            ),
        ],
        ANSWER,
        &[
            b(
                "? F1",
                "help",
                "? help",
                &[(c('?'), Act(Action::Help)), (Code(F(1)), Act(Action::Help))],
            ),
            b(
                "Esc q",
                "leave (asks to save unsaved changes)",
                "q quit",
                BACK,
            ),
        ],
    ],
};

/// Text editing, the same in a lab and a sandbox.
const EDITING: &[Binding] = &[
    b(
        "Ctrl-Z/Ctrl-Y",
        "undo / redo",
        "^Z undo",
        &[(Ctrl('z'), Edit), (Ctrl('y'), Edit)],
    ),
    b("Shift-arrows", "select text", "", &[(Key::Shifted, Edit)]),
    b(
        "Ctrl-A",
        "select all (then type or paste to replace)",
        "",
        &[(Ctrl('a'), Edit)],
    ),
    b(
        "Ctrl-C/Ctrl-X/Ctrl-V",
        "copy / cut / paste a selection, across tabs; a copy also goes to the terminal's clipboard (with nothing selected, Ctrl-C twice quits)",
        "",
        &[(Ctrl('c'), Edit), (Ctrl('x'), Edit), (Ctrl('v'), Edit)],
    ),
    b(
        "F7",
        "format the policy (valid JSON only; Ctrl-Z undoes it)",
        "",
        &[(Code(F(7)), Edit)],
    ),
    b("F1", "help", "F1 help", &[(Code(F(1)), Act(Action::Help))]),
    b(
        "type",
        "edit the policy; every change is re-checked",
        "",
        &[(Key::Any, Edit)],
    ),
];

const F3_JUMP: Binding = b(
    "F3",
    "jump to the deciding statement",
    "F3 jump",
    &[(Code(F(3)), Act(Action::Jump))],
);
const F4_NEXT: Binding = b(
    "F4",
    "select the next request",
    "",
    &[(Code(F(4)), Act(Action::Down))],
);
const TAB_SWITCH: &[(Key, Do)] = &[
    (Code(Tab), Act(Action::FocusNext)),
    (Code(BackTab), Act(Action::FocusPrev)),
];

/// A policy lab with the editor focused. The editor takes Emacs-style
/// Ctrl keys, so the lab's own keys are F-keys, Esc and Tab.
pub const LAB_EDITOR: Keymap = Keymap {
    title: "policy lab editor",
    layers: &[
        &[
            b(
                "Tab/Shift-Tab",
                "next / previous policy tab, then the goals",
                "Tab switch",
                TAB_SWITCH,
            ),
            b(
                "Esc",
                "leave the editor (to the goals panel)",
                "Esc goals",
                &[(Code(Esc), Act(Action::Back))],
            ),
            b(
                "F2",
                "reveal the next hint",
                "F2 hint",
                &[(Code(F(2)), Act(Action::Hint))],
            ),
            F3_JUMP,
            F4_NEXT,
            b(
                "F5",
                "reset to the starting policies (asks first)",
                "F5 reset",
                &[(Code(F(5)), Act(Action::Reset))],
            ),
            b(
                "F6",
                "show / hide the task, hints and explanation in full (↑/↓ PgUp/PgDn scroll them)",
                "F6 task",
                &[(Code(F(6)), Act(Action::ToggleNotes))],
            ),
            b(
                "Ctrl-S",
                "save now (leaving the lab saves too)",
                "",
                &[(Ctrl('s'), Act(Action::Write))],
            ),
            b(
                "Ctrl-Q",
                "quit (saves)",
                "",
                &[(Ctrl('q'), Act(Action::Quit))],
            ),
        ],
        EDITING,
    ],
};

/// A sandbox with the editor focused.
pub const SANDBOX_EDITOR: Keymap = Keymap {
    title: "sandbox editor",
    layers: &[
        &[
            b(
                "Tab/Shift-Tab",
                "next / previous policy tab, then the requests",
                "Tab switch",
                TAB_SWITCH,
            ),
            b(
                "Esc",
                "leave the editor (to the requests)",
                "Esc requests",
                &[(Code(Esc), Act(Action::Back))],
            ),
            b(
                "Ctrl-S",
                "save the policies into the file",
                "^S save",
                &[(Ctrl('s'), Act(Action::Write))],
            ),
            F3_JUMP,
            F4_NEXT,
            b(
                "F5",
                "put the policies back as last saved (asks first)",
                "",
                &[(Code(F(5)), Act(Action::Reset))],
            ),
            b(
                "F9",
                "apply the engine's fix for the selected request",
                "F9 fix",
                &[(Code(F(9)), Act(Action::ApplyFix))],
            ),
            b(
                "F8",
                "undo the last fix applied",
                "",
                &[(Code(F(8)), Act(Action::UndoFix))],
            ),
            b(
                "F6",
                "show / hide the notes in full (↑/↓ PgUp/PgDn scroll them)",
                "",
                &[(Code(F(6)), Act(Action::ToggleNotes))],
            ),
            b(
                "Ctrl-Q",
                "quit (asks to save unsaved changes)",
                "",
                &[(Ctrl('q'), Act(Action::Quit))],
            ),
        ],
        EDITING,
    ],
};

/// The quiz setup.
pub const QUIZ_SETUP: Keymap = Keymap {
    title: "quiz setup",
    layers: &[&[
        b("↑/↓ j/k", "move", "j/k move", MOVE),
        b(
            "PgUp/PgDn",
            "page up / down",
            "",
            &[
                (Code(PageUp), Act(Action::PageUp)),
                (Code(PageDown), Act(Action::PageDown)),
            ],
        ),
        b(
            "←/→ h/l",
            "change the value",
            "←/→ change",
            &[
                (Code(Left), Act(Action::StepBack)),
                (Code(Right), Act(Action::StepForward)),
                (c('h'), Act(Action::StepBack)),
                (c('l'), Act(Action::StepForward)),
            ],
        ),
        b(
            "Enter Space",
            "pick an objective, or start",
            "Enter pick",
            &[
                (Code(Enter), Act(Action::Enter)),
                (c(' '), Act(Action::Enter)),
            ],
        ),
        b(
            "s",
            "start the quiz",
            "s start",
            &[(c('s'), Act(Action::Submit))],
        ),
        b(
            "c",
            "review ahead (cram): the cards due soonest, schedule unchanged",
            "",
            &[(c('c'), Act(Action::Cram))],
        ),
        HELP,
        b("Esc q", "back to the course map", "q back", BACK),
    ]],
};

const QUIZ_SCROLL: &[(Key, Do)] = &[
    (Code(Up), Act(Action::Up)),
    (c('k'), Act(Action::Up)),
    (Code(Down), Act(Action::Down)),
    (c('j'), Act(Action::Down)),
    (Code(PageUp), Act(Action::PageUp)),
    (Code(PageDown), Act(Action::PageDown)),
    (c(' '), Act(Action::PageDown)),
];
const QUIZ_STOP: Binding = b(
    "Esc q",
    "stop the quiz (answers so far are kept)",
    "q stop",
    BACK,
);
const QUIZ_ENTER: Binding = b(
    "Enter",
    "submit a choice / next question",
    "Enter next",
    &[(Code(Enter), Act(Action::Enter))],
);
const ANSWER_KEYS: &[(Key, Do)] = &[(Range('a', 'e'), Choose), (Range('1', '9'), Choose)];

/// An exam being taken.
pub const EXAM: Keymap = Keymap {
    title: "quiz",
    layers: &[&[
        b(
            "a-e 1-9",
            "answer (toggle for \"choose two\"); a ALLOW, b DENY",
            "a-e answer",
            ANSWER_KEYS,
        ),
        QUIZ_ENTER,
        b(
            "n/p →/←",
            "next / previous question",
            "n/p move",
            &[
                (c('n'), Act(Action::NextSection)),
                (c('p'), Act(Action::PrevSection)),
                (Code(Right), Act(Action::NextSection)),
                (Code(Left), Act(Action::PrevSection)),
            ],
        ),
        b(
            "f",
            "flag the question for review",
            "f flag",
            &[(c('f'), Act(Action::Flag))],
        ),
        b(
            "r",
            "review grid: answered, unanswered, flagged",
            "r grid",
            &[(c('r'), Act(Action::Grid))],
        ),
        b(
            "s",
            "submit the exam",
            "s submit",
            &[(c('s'), Act(Action::Submit))],
        ),
        b(
            "v",
            "show the scenario of a policy question",
            "",
            &[(c('v'), Act(Action::View))],
        ),
        b("↑/↓ j/k PgUp/PgDn Space", "scroll", "", QUIZ_SCROLL),
        GLOSSARY,
        HELP,
        QUIZ_STOP,
    ]],
};

/// A practice, review or missed quiz (no exam keys).
pub const PRACTICE: Keymap = Keymap {
    title: "quiz",
    layers: &[&[
        b(
            "a-e 1-9",
            "answer (toggle for \"choose two\"); a ALLOW, b DENY",
            "a-e answer",
            ANSWER_KEYS,
        ),
        QUIZ_ENTER,
        b(
            "n →",
            "next question (after the answer is shown)",
            "",
            &[
                (c('n'), Act(Action::NextSection)),
                (Code(Right), Act(Action::NextSection)),
            ],
        ),
        b(
            "v",
            "show the scenario of a policy question",
            "v scenario",
            &[(c('v'), Act(Action::View))],
        ),
        b(
            "↑/↓ j/k PgUp/PgDn Space",
            "scroll",
            "j/k scroll",
            QUIZ_SCROLL,
        ),
        GLOSSARY,
        HELP,
        QUIZ_STOP,
    ]],
};

/// A generated drill.
pub const DRILL: Keymap = Keymap {
    title: "drill",
    layers: &[&[
        b(
            "a-e 1-9",
            "answer: a ALLOW, b DENY, then the reason 1-5; a-e for a choice",
            "a-e answer",
            ANSWER_KEYS,
        ),
        b(
            "Enter n",
            "next question, then the next drill (after the answer is shown)",
            "Enter next",
            &[
                (Code(Enter), Act(Action::Enter)),
                (c('n'), Act(Action::NextSection)),
            ],
        ),
        b(
            "f",
            "fix it yourself: a denied drill's world in the lab editor, graded by the engine",
            "f fix it",
            &[(c('f'), Act(Action::EditPolicies))],
        ),
        b(
            "↑/↓ j/k PgUp/PgDn Space",
            "scroll the world",
            "j/k scroll",
            QUIZ_SCROLL,
        ),
        GLOSSARY,
        HELP,
        b(
            "Esc q",
            "back to the course map (answers so far are kept)",
            "q back",
            BACK,
        ),
    ]],
};

/// An exam's score report.
pub const QUIZ_REPORT: Keymap = Keymap {
    title: "score report",
    layers: &[&[
        b("↑/↓ j/k", "scroll", "j/k scroll", MOVE),
        b("PgUp/PgDn Space", "page up / down", "PgDn page", PAGE),
        b("g/G Home/End", "top / bottom", "", ENDS),
        HELP,
        b(
            "Esc q Enter",
            "back to the course map",
            "q back",
            &[
                (Code(Esc), Act(Action::Back)),
                (c('q'), Act(Action::Back)),
                (Code(Enter), Act(Action::Back)),
            ],
        ),
    ]],
};

/// The mastery screen.
pub const MASTERY: Keymap = Keymap {
    title: "mastery",
    layers: &[&[
        b("↑/↓ j/k", "scroll the bars", "j/k scroll", MOVE),
        b("PgUp/PgDn Space", "page up / down", "", PAGE),
        b("g/G Home/End", "top / bottom", "", ENDS),
        b(
            "Enter",
            "open what to study next (lesson, lab or practice)",
            "Enter study next",
            &[(Code(Enter), Act(Action::Enter))],
        ),
        b(
            "←/→ h/l",
            "desired retention down / up (0.70 to 0.97)",
            "←/→ retention",
            &[
                (Code(Left), Act(Action::StepBack)),
                (Code(Right), Act(Action::StepForward)),
                (c('h'), Act(Action::StepBack)),
                (c('l'), Act(Action::StepForward)),
            ],
        ),
        HELP,
        b("Esc q", "back to the course map", "q back", BACK),
    ]],
};

const ENVELOPE_EDIT: &[Binding] = &[b(
    "e",
    "edit the key policy and B's IAM policy (opens their lab)",
    "e edit policies",
    &[(c('e'), Act(Action::EditPolicies))],
)];
const ENVELOPE_TAIL: &[Binding] = &[
    GLOSSARY,
    HELP,
    b("Esc q", "back to the course map", "q back", BACK),
];
const ENVELOPE_BACK: &[(Key, Do)] = &[
    (Code(Left), Act(Action::StepBack)),
    (c('h'), Act(Action::StepBack)),
];
const ENVELOPE_NEXT: &[(Key, Do)] = &[
    (Code(Right), Act(Action::StepForward)),
    (c('l'), Act(Action::StepForward)),
    (Code(Enter), Act(Action::StepForward)),
];
const ENVELOPE_PAGE: Binding = b("PgUp/PgDn Space", "page up / down", "", PAGE);
const RESTART: &[(Key, Do)] = &[(c('r'), Act(Action::Reset))];

/// The envelope-encryption walkthrough's steps.
pub const ENVELOPE: Keymap = Keymap {
    title: "envelope walkthrough",
    layers: &[
        &[
            b(
                "→/l Enter",
                "next step (it runs the step)",
                "→ next",
                ENVELOPE_NEXT,
            ),
            b(
                "←/h",
                "previous step (shows what it did)",
                "← back",
                ENVELOPE_BACK,
            ),
            b(
                "↑/↓ j/k",
                "choose the sample; scroll a step",
                "j/k scroll",
                MOVE,
            ),
            ENVELOPE_PAGE,
        ],
        ENVELOPE_EDIT,
        &[b(
            "r",
            "start again with another sample",
            "r restart",
            RESTART,
        )],
        ENVELOPE_TAIL,
    ],
};

/// The walkthrough's sample chooser (the generated report picked): the
/// keys of [`ENVELOPE`], told as choosing and starting.
pub const ENVELOPE_CHOOSE: Keymap = Keymap {
    title: "envelope walkthrough",
    layers: &[
        &[
            b("↑/↓ j/k", "choose the sample", "j/k choose", MOVE),
            b("Enter →/l", "start with it", "Enter start", ENVELOPE_NEXT),
            b(
                "←/h",
                "back (nothing before the first step)",
                "",
                ENVELOPE_BACK,
            ),
            ENVELOPE_PAGE,
        ],
        ENVELOPE_EDIT,
        &[b("r", "choose again", "", RESTART)],
        ENVELOPE_TAIL,
    ],
};

/// The walkthrough's file path field.
pub const ENVELOPE_FILE: Keymap = Keymap {
    title: "envelope walkthrough: file path",
    layers: &[&[
        b(
            "type",
            "the path of a file to encrypt (~ is your home)",
            "",
            &[(Key::Letter, Type)],
        ),
        b(
            "Enter",
            "start with this file",
            "Enter start",
            &[(Code(Enter), Act(Action::Enter))],
        ),
        b(
            "Backspace",
            "delete a character",
            "",
            &[(Code(Backspace), Act(Action::Erase))],
        ),
        b(
            "↑ Esc",
            "back to the generated report",
            "Esc back",
            &[
                (Code(Up), Act(Action::Back)),
                (Code(Esc), Act(Action::Back)),
            ],
        ),
    ]],
};

/// The keys of a screen in its usual state (a screen in another state,
/// such as a sandbox or a practice quiz, names its own [`Keymap`]).
pub fn keymap(screen: ScreenId) -> &'static Keymap {
    match screen {
        ScreenId::Home => &HOME,
        ScreenId::Lesson => &LESSON,
        ScreenId::Glossary => &GLOSSARY_SEARCH,
        ScreenId::Help => &HELP_OVERLAY,
        ScreenId::Lab => &LAB,
        ScreenId::LabEditor => &LAB_EDITOR,
        ScreenId::QuizSetup => &QUIZ_SETUP,
        ScreenId::Quiz => &EXAM,
        ScreenId::QuizReport => &QUIZ_REPORT,
        ScreenId::Mastery => &MASTERY,
        ScreenId::Envelope => &ENVELOPE,
        ScreenId::EnvelopeFile => &ENVELOPE_FILE,
        ScreenId::SandboxDialog => &SANDBOX_CONFLICT,
        ScreenId::Drill => &DRILL,
    }
}

/// Every keymap, for the tests.
pub const ALL: &[&Keymap] = &[
    &GLOBAL,
    &HOME,
    &LESSON,
    &GLOSSARY_SEARCH,
    &HELP_OVERLAY,
    &LAB,
    &SANDBOX,
    &LAB_EDITOR,
    &SANDBOX_EDITOR,
    &QUIZ_SETUP,
    &EXAM,
    &PRACTICE,
    &QUIZ_REPORT,
    &MASTERY,
    &DRILL,
    &ENVELOPE,
    &ENVELOPE_CHOOSE,
    &ENVELOPE_FILE,
    &SANDBOX_CONFLICT,
    &SANDBOX_READ_ONLY,
    &SANDBOX_RESTORE,
];

/// The action for a key press on `screen` in its usual state.
pub fn map(screen: ScreenId, key: KeyEvent) -> Option<Action> {
    keymap(screen).map(key)
}

/// The action for a mouse event: the wheel scrolls three lines; a left
/// click says where (the lab's editor puts its cursor there).
pub fn mouse(event: MouseEvent) -> Option<Action> {
    match event.kind {
        MouseEventKind::ScrollUp => Some(Action::ScrollUp(3)),
        MouseEventKind::ScrollDown => Some(Action::ScrollDown(3)),
        MouseEventKind::Down(crossterm::event::MouseButton::Left) => {
            Some(Action::Click(event.column, event.row))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    /// The key names a binding shows: `↑/↓ j/k` is `↑ ↓ j k`; `/` alone
    /// is the slash key.
    fn shown(keys: &str) -> Vec<String> {
        let mut out = Vec::new();
        for word in keys.split_whitespace() {
            if word == "/" || !word.contains('/') {
                out.push(word.to_string());
            } else {
                out.extend(word.split('/').filter(|w| !w.is_empty()).map(String::from));
            }
        }
        let joined = out.join(" ");
        if joined == "other letters" {
            return vec![joined];
        }
        out
    }

    /// A press that `k` takes, to try it through the keymap.
    fn press(k: Key) -> KeyEvent {
        match k {
            Key::Code(code) => key(code),
            Key::Ctrl(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
            Key::Range(_, b) => key(KeyCode::Char(b)),
            Key::Shifted => KeyEvent::new(KeyCode::Left, KeyModifiers::SHIFT),
            Key::Letter | Key::OtherLetter => key(KeyCode::Char('\u{e9}')),
            Key::Any => key(KeyCode::Insert),
        }
    }

    /// Generated from the tables: every key a binding shows is one it
    /// maps, every key it maps is one it shows (a hint without a key, or
    /// a key without a hint, fails), and each key, pressed on its screen,
    /// does what its binding says (no binding shadows another).
    #[test]
    fn every_shown_key_is_bound_and_every_bound_key_is_shown() {
        for km in ALL {
            for b in km.bindings() {
                let mut named: Vec<String> = b.map.iter().map(|(k, _)| k.name()).collect();
                named.sort();
                named.dedup();
                let mut listed = shown(b.keys);
                listed.sort();
                listed.dedup();
                assert_eq!(listed, named, "{}: {:?}", km.title, b.keys);
                if let Some(word) = b.bar.split_whitespace().next() {
                    let parts: Vec<&str> = if word == "/" {
                        vec!["/"]
                    } else {
                        word.split('/').collect()
                    };
                    for k in parts {
                        let k = k.replace('^', "Ctrl-");
                        assert!(
                            named.contains(&k),
                            "{}: bar {:?} names {k}",
                            km.title,
                            b.bar
                        );
                    }
                }
                for (k, does) in b.map {
                    let ev = press(*k);
                    let got = km.map(ev);
                    let want = match does {
                        Do::Act(a) => Some(a.clone()),
                        Do::Choose => match (k, ev.code) {
                            (Key::Range(a, _), KeyCode::Char(c)) => {
                                Some(Action::Choose(c as usize - *a as usize))
                            }
                            _ => None,
                        },
                        Do::Type => match ev.code {
                            KeyCode::Char(c) => Some(Action::Type(c)),
                            _ => None,
                        },
                        Do::Edit => Some(Action::Edit(ev)),
                    };
                    assert_eq!(got, want, "{}: {:?} {k:?}", km.title, b.keys);
                }
            }
        }
    }

    /// The hint bar names only keys, and every screen's bar has its help.
    #[test]
    fn every_screen_shows_how_to_get_help_and_leave() {
        for km in ALL.iter().filter(|k| k.title != "every screen") {
            let bar: Vec<_> = km.bindings().filter(|b| !b.bar.is_empty()).collect();
            assert!(!bar.is_empty(), "{}", km.title);
            let keys: Vec<_> = km.bindings().flat_map(|b| b.map.iter()).collect();
            assert!(
                keys.iter().any(|(_, d)| *d == Do::Act(Action::Back)),
                "{} has no way back",
                km.title
            );
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
