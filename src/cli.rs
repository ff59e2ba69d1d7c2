//! Command-line arguments, shared by the binary and by generated completions.

pub mod envelope;
pub mod eval;
pub mod lab;
pub mod lint;
pub mod pack;
pub mod quiz;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// keyshake: learn to share KMS-encrypted data across AWS accounts.
///
/// With no command, opens the tutor in the terminal.
#[derive(Debug, Parser)]
#[command(name = "keyshake", version, about, long_about = None)]
pub struct Cli {
    /// Load the course from this folder instead of the built-in pack.
    #[arg(long, global = true, env = "KEYSHAKE_CONTENT", value_name = "DIR")]
    pub content: Option<PathBuf>,

    /// Keep progress in this folder instead of the default data folder.
    #[arg(long, global = true, env = "KEYSHAKE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Keep this student's progress apart from others' in the same data
    /// folder (letters, digits, '-' and '_', at most 64).
    #[arg(long, global = true, env = "KEYSHAKE_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,

    /// Draw with ASCII only (no box-drawing characters or symbols), for
    /// terminals or fonts that cannot show them.
    #[arg(long, global = true, env = "KEYSHAKE_ASCII")]
    pub ascii: bool,

    /// What to do; without one, the tutor opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `keyshake lab` actions.
#[derive(Debug, Subcommand)]
pub enum LabCommand {
    /// List the labs: solved, in progress or not started, and hints used.
    List,
    /// Write the learner's current policies of a lab as a scenario file.
    Export {
        /// The lab id (see `keyshake lab list`).
        lab: String,
        /// Where to write it (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// `keyshake pack` actions.
#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Write an example pack (one of each kind of content) into DIR, a new
    /// or empty folder; it passes `keyshake pack check DIR` as written.
    New {
        /// The folder to create.
        dir: PathBuf,
    },
    /// Check a pack and print every problem with file:line:column.
    ///
    /// Exit status: 0 clean, 1 problems found (or warnings with --strict),
    /// 2 the folder cannot be read.
    Check {
        /// The pack folder (default: the built-in pack).
        dir: Option<PathBuf>,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
    },
}

/// `keyshake envelope` actions.
#[derive(Debug, Subcommand)]
pub enum EnvelopeCommand {
    /// Ask KMS for a data key, encrypt IN locally, write the envelope to OUT.
    Encrypt {
        /// The KMS key: key ARN, alias ARN, or (in the caller's own
        /// account) key ID or alias name.
        #[arg(long, value_name = "KEY")]
        key: String,
        /// Who calls KMS: a role, user, session or root ARN.
        #[arg(long = "as", value_name = "PRINCIPAL")]
        principal: String,
        /// Encryption context entries, bound to the data (repeatable).
        #[arg(long = "context", value_name = "NAME=VALUE")]
        context: Vec<String>,
        /// The file to encrypt.
        input: PathBuf,
        /// Where to write the envelope.
        output: PathBuf,
    },
    /// Ask KMS to decrypt the data key of the envelope IN, write the data to OUT.
    Decrypt {
        /// Who calls KMS.
        #[arg(long = "as", value_name = "PRINCIPAL")]
        principal: String,
        /// The envelope file.
        input: PathBuf,
        /// Where to write the data.
        output: PathBuf,
    },
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    ///
    /// For bash: `keyshake completions bash > ~/.local/share/bash-completion/completions/keyshake`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on stdout: `keyshake man > keyshake.1`.
    Man,
    /// Content packs for instructors: scaffold one, or check one before class.
    Pack {
        /// What to do.
        #[command(subcommand)]
        action: PackCommand,
    },
    /// Policy labs: open any scenario file as a sandbox, list the labs with
    /// the learner's status, or export the learner's work as a scenario that
    /// `keyshake eval` grades (exit 0 when every goal is met), which is how
    /// an instructor collects lab work.
    ///
    /// `keyshake lab FILE` opens the scenario FILE in the lab editor with
    /// every policy editable; Ctrl-S writes the policies back into FILE
    /// (only the policy strings change: comments and layout are kept).
    /// Exit status: 0 done, 1 no terminal, 2 FILE cannot be read or is not
    /// a valid scenario (file:line:column is printed).
    #[command(args_conflicts_with_subcommands = true)]
    Lab {
        /// What to do.
        #[command(subcommand)]
        action: Option<LabCommand>,
        /// A scenario file to open as a sandbox.
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Envelope encryption with a teaching KMS whose every call is decided
    /// by the policy engine (real AES-256-GCM; never for real secrets).
    ///
    /// Exit status: 0 done, 1 denied or not decryptable, 2 bad arguments,
    /// scenario or files.
    Envelope {
        /// The scenario whose keys, principals and policies the KMS uses.
        #[arg(long, value_name = "FILE")]
        scenario: PathBuf,
        /// What to do.
        #[command(subcommand)]
        action: EnvelopeCommand,
    },
    /// Evaluate the requests of scenario files and explain each decision.
    ///
    /// Exit status: 0 when every expectation holds, 1 when one does not,
    /// 2 when a file cannot be read or is invalid.
    Eval {
        /// Scenario files (TOML).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Lint every policy of scenario or lab files (or bare policies with
    /// --kind) against AWS's catalog of actions, resources and keys.
    ///
    /// Exit status: 0 when no finding is an error or a security warning,
    /// 1 when one is, 2 when a file cannot be read or is invalid.
    Lint(lint::LintArgs),
    /// Show how far you are in the course, or start over.
    ///
    /// Without a subcommand, prints per lesson the sections completed and
    /// the checkpoints answered right, and the overall percentage.
    Progress {
        /// `reset` to start over.
        #[command(subcommand)]
        action: Option<ProgressCommand>,
    },
    /// Drill the question bank: practice, a timed exam, spaced-repetition
    /// review, or the questions you missed.
    ///
    /// With --plain (or when standard input is not a terminal) the quiz runs
    /// line by line over stdin/stdout: answer with a letter or number (a or
    /// 1; a,c or 1 3 for two), allow or deny for policy questions, q to stop.
    /// Every answer is saved to your progress.
    Quiz {
        /// Line mode over stdin/stdout (for screen readers, pipes and scripts).
        #[arg(long)]
        plain: bool,
        /// practice (checked at once), exam (timed, scored at the end),
        /// review (questions due today), missed (wrong last time).
        #[arg(long, value_enum, default_value_t = QuizMode::Practice)]
        mode: QuizMode,
        /// Shuffle with this seed: the same seed gives the same quiz.
        #[arg(long, value_name = "N")]
        seed: Option<u64>,
        /// How many questions (default: 10 in practice, 20 in an exam, all
        /// that are due or missed in review and missed modes).
        #[arg(long, value_name = "N")]
        count: Option<usize>,
        /// Only questions of this objective (repeat for several).
        #[arg(long = "objective", value_name = "ID")]
        objectives: Vec<String>,
        /// Exam time in minutes.
        #[arg(long, value_name = "MIN", default_value_t = crate::core::quiz::DEFAULT_EXAM_MINUTES)]
        minutes: u64,
        /// Exam pass mark in percent.
        #[arg(long, value_name = "PERCENT", default_value_t = crate::core::quiz::DEFAULT_PASS_MARK)]
        pass_mark: u32,
    },
}

/// `keyshake quiz --mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QuizMode {
    /// One question at a time, checked at once.
    Practice,
    /// Timed; scored against the pass mark when submitted.
    Exam,
    /// The questions due for spaced-repetition review today.
    Review,
    /// The questions whose latest answer was wrong.
    Missed,
}

impl From<QuizMode> for crate::core::quiz::Mode {
    fn from(m: QuizMode) -> Self {
        use crate::core::quiz::Mode;
        match m {
            QuizMode::Practice => Mode::Practice,
            QuizMode::Exam => Mode::Exam,
            QuizMode::Review => Mode::Review,
            QuizMode::Missed => Mode::Missed,
        }
    }
}

/// What `keyshake progress` can do besides printing the summary.
#[derive(Debug, Subcommand)]
pub enum ProgressCommand {
    /// Erase all progress. Asks first (unless --yes) and keeps a backup copy,
    /// whose path it prints.
    Reset {
        /// Do not ask for confirmation.
        #[arg(long, short)]
        yes: bool,
    },
    /// Write this student's results for the instructor: lessons, labs
    /// (hints, time), exams (score per objective) and practice answers,
    /// with the pack and the profile. Schema: docs/export-schema.md.
    Export {
        /// json (one document), csv (one row per item), markdown (tables).
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Where to write it (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// `keyshake progress export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON document.
    Json,
    /// One row per item, for a spreadsheet.
    Csv,
    /// Tables for reading.
    Markdown,
}

impl From<ExportFormat> for crate::core::progress::export::Format {
    fn from(f: ExportFormat) -> Self {
        use crate::core::progress::export::Format;
        match f {
            ExportFormat::Json => Format::Json,
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Markdown => Format::Markdown,
        }
    }
}

/// The completion script for `shell`. Built in memory, so a closed pipe
/// (`keyshake completions bash | head`) cannot make the generator panic.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "keyshake", &mut out);
    out
}

/// The man page (roff).
pub fn man() -> Vec<u8> {
    let mut out = Vec::new();
    // Rendering into memory cannot fail.
    let _ = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_and_man_page_name_every_subcommand() {
        let bash = String::from_utf8(completions(clap_complete::Shell::Bash)).unwrap_or_default();
        let fish = String::from_utf8(completions(clap_complete::Shell::Fish)).unwrap_or_default();
        let man = String::from_utf8(man()).unwrap_or_default();
        for sub in ["eval", "envelope", "progress", "completions", "man", "pack"] {
            assert!(bash.contains(sub), "bash completion lacks {sub}");
            assert!(fish.contains(sub), "fish completion lacks {sub}");
            assert!(man.contains(sub), "man page lacks {sub}");
        }
        assert!(man.contains(".TH keyshake 1"));
    }
}
