//! Everything that can happen in the tutor, as data: the keymap turns keys
//! into these, screens handle the ones about themselves and emit the rest,
//! and only [`crate::tui::app::App::update`] changes shared state.

/// One thing the learner asked for, or a change a screen wants made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Leave the tutor.
    Quit,
    /// Go back: the screen decides what that means (a lesson saves the
    /// place and closes, the home screen quits).
    Back,
    /// Close the top screen (emitted by screens).
    Close,
    /// Show the keys of the current screen.
    Help,
    /// Open the glossary search.
    Glossary,
    /// Open the glossary at one term's definition (a followed link).
    GlossaryTerm(String),
    /// Open a lesson at a place.
    OpenLesson {
        /// Lesson id.
        lesson: String,
        /// Section id (the lesson's first section when `None`).
        section: Option<String>,
        /// Scroll offset in lines.
        scroll: u32,
    },
    /// Move up one line or one row.
    Up,
    /// Move down one line or one row.
    Down,
    /// Scroll up by `n` lines (mouse wheel).
    ScrollUp(u16),
    /// Scroll down by `n` lines (mouse wheel).
    ScrollDown(u16),
    /// Up one page.
    PageUp,
    /// Down one page.
    PageDown,
    /// To the top.
    Top,
    /// To the bottom.
    Bottom,
    /// Open the selection, or submit an answer.
    Enter,
    /// The next section of the lesson.
    NextSection,
    /// The previous section of the lesson.
    PrevSection,
    /// The next step of the diagram on screen.
    StepForward,
    /// The previous step of the diagram on screen.
    StepBack,
    /// Move the focus to the next diagram or checkpoint.
    FocusNext,
    /// Move the focus to the previous diagram or checkpoint.
    FocusPrev,
    /// Choose (or, for multiple-answer questions, toggle) choice `n`, 0-based.
    Choose(usize),
    /// A character typed into a search field.
    Type(char),
    /// Delete the last character of a search field.
    Erase,
    /// Save a change to the learner's progress.
    Save(Change),
    /// Open a policy lab by id.
    OpenLab(String),
    /// Open the envelope-encryption walkthrough.
    Walkthrough,
    /// A key for the policy editor (everything the lab's global keys do
    /// not take).
    Edit(crossterm::event::KeyEvent),
    /// Text pasted in one piece (bracketed paste).
    Paste(String),
    /// Reveal the next hint.
    Hint,
    /// Jump to the statement that decided the selected request.
    Jump,
    /// Ask to reset the lab to its starting policies.
    Reset,
    /// Save now (Ctrl-S): a sandbox into its file, a lab to progress.
    Write,
    /// Write a sandbox's changed policies into its scenario file (emitted
    /// by the sandbox; [`crate::tui::app::App::update`] writes and tells
    /// the sandbox how it went), then, if that worked, do `then`.
    SaveSandbox {
        /// The scenario file.
        path: std::path::PathBuf,
        /// The changed policies and their new texts.
        edits: Vec<(crate::core::content::PolicyRef, String)>,
        /// What to do once saved (leave, quit).
        then: Option<Box<Action>>,
    },
    /// Answer yes to the question on screen.
    Confirm,
    /// Answer no to the question on screen.
    Decline,
    /// Edit the policies the screen is about (the walkthrough opens its
    /// lab): an intent, which the screen turns into what it means.
    EditPolicies,
    /// Show or hide the task, hints and explanation (small terminals).
    ToggleNotes,
    /// Turn the learner's guided setting on or off (a lab explains each
    /// verdict at once).
    ToggleGuided,
    /// A sandbox: apply the engine's fix for the selected request.
    ApplyFix,
    /// A sandbox: put back the texts from before the last fix applied.
    UndoFix,
    /// Open a generated drill (the course map's Quiz entry).
    Drill,
    /// Open drills on one misconception ("study next" on the mastery
    /// screen).
    DrillOn {
        /// The misconception id.
        misconception: String,
    },
    /// Open a drill's world in the lab editor, in memory: `text` is the
    /// scenario with the drill's goals, `id` the lab id (`drill:SEED`).
    DrillLab {
        /// The lab id.
        id: String,
        /// The scenario text.
        text: String,
    },
    /// Open the quiz setup with this mode chosen.
    QuizSetup(crate::core::quiz::Mode),
    /// Open the quiz setup filled in with these settings.
    QuizWith(Box<crate::core::quiz::Settings>),
    /// Open the mastery screen.
    Mastery,
    /// Review ahead: start a cram quiz.
    Cram,
    /// Take this quiz (emitted by the quiz setup).
    StartQuiz(Box<crate::core::quiz::Session>),
    /// Show the score report of this submitted exam (emitted by the quiz).
    QuizReport(Box<crate::core::quiz::Session>),
    /// Flag or unflag the exam question on screen.
    Flag,
    /// Show or hide the exam's review grid.
    Grid,
    /// Submit the exam, or start the quiz being set up.
    Submit,
    /// Show or hide a policy question's scenario file.
    View,
    /// A second passed while an exam runs (the timer).
    Tick,
    /// Turn mouse capture off (the terminal selects and copies text) or
    /// back on (wheel and clicks reach the tutor).
    ToggleMouse,
    /// Stop the tutor as a shell's Ctrl-Z would (`fg` brings it back):
    /// the terminal is handed back first.
    Suspend,
    /// A left click at this screen cell (column, row).
    Click(u16, u16),
    /// Copy the lesson's code block in view (to the terminal's clipboard).
    CopyCode,
    /// The sandbox dialog's "reload" (take the file as it is on disk).
    Reload,
    /// The sandbox dialog's "overwrite" (my policies win).
    Overwrite,
    /// The sandbox dialog's "save elsewhere" (a new file beside it).
    SaveElsewhere,
    /// The learner's answer to a sandbox dialog, for
    /// [`crate::tui::app::App::update`] to carry out, then `then` (what
    /// the failed save was for: leave, quit) once a save succeeded.
    Resolve(Resolve, Option<Box<Action>>),
    /// Text copied in the editor: also offered to the terminal's clipboard
    /// (OSC 52), so it can be pasted outside the tutor.
    Clipboard(String),
}

pub use crate::core::progress::change::Change;

/// How the learner answered a sandbox dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolve {
    /// Keep the edits in a recovery file, then open the file as it is on
    /// disk now.
    Reload,
    /// Write the edits into the file as it is now.
    Overwrite,
    /// Write the edits to a new file beside it.
    SaveElsewhere,
    /// Put the newest recovery file's policies into the editor.
    Restore,
}
