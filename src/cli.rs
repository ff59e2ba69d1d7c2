//! The command line: the arguments (shared by the binary and by the
//! generated completions and man page), the commands that print to
//! writers, and the one error type they fail with.
//!
//! Every command has the same shape, `fn(args, &mut Context, out, err) ->
//! Result<u8, CliError>`: `Ok` carries the exit status of a command that did
//! its job (0 yes, 1 no), `Err` a failure whose message the binary prints
//! once, in `try_main`. Exit statuses mean the same for every command (see
//! [`exit`]).
// A `pub` here is the library's API (tests and the binary use it); one no
// path can reach is a mistake. (Core still has two, in `progress::store`.)
#![warn(unreachable_pub)]

pub mod class;
pub mod drill;
pub mod envelope;
pub mod eval;
mod help;
pub mod lab;
pub mod lint;
pub mod mastery;
pub mod pack;
pub mod profiles;
pub mod progress;
pub mod quiz;
pub mod review;

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::core::content::Pack;
use crate::core::diag::Diagnostic;

/// The exit statuses, the same for every command.
pub mod exit {
    /// Done: every expectation held, the request was allowed, the file was
    /// written.
    pub const OK: u8 = 0;
    /// Ran, and the answer is no: an expectation failed, a call was denied,
    /// problems were found, the learner declined, or an output could not
    /// be written.
    pub const FAILED: u8 = 1;
    /// Could not start: bad arguments, or a file, content pack, scenario,
    /// data folder or progress file that cannot be read or is invalid
    /// (file:line:column is printed).
    pub const USAGE: u8 = 2;
}

/// A command that could not do its job: what to print on standard error
/// (already complete, one or more lines) and the exit status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CliError {
    /// The exit status (see [`exit`]).
    pub code: u8,
    /// The text for standard error, without the final newline.
    pub message: String,
}

impl CliError {
    /// A failure with exit status `code`, printed as `keyshake: MESSAGE`.
    pub fn new(code: u8, message: impl std::fmt::Display) -> Self {
        CliError {
            code,
            message: format!("keyshake: {message}"),
        }
    }

    /// Exit 2: bad arguments or unusable input.
    pub fn usage(message: impl std::fmt::Display) -> Self {
        CliError::new(exit::USAGE, message)
    }

    /// Exit 1: the command ran but could not finish (an output that
    /// cannot be written).
    pub fn failed(message: impl std::fmt::Display) -> Self {
        CliError::new(exit::FAILED, message)
    }

    /// Exit 2: the data folder or the progress file cannot be used. The
    /// same status from every command that reads progress.
    pub fn data(message: impl std::fmt::Display) -> Self {
        CliError::usage(message)
    }

    /// Exit 2: the content pack does not load; one line per diagnostic,
    /// as a compiler prints them.
    pub fn diagnostics(diags: &[Diagnostic]) -> Self {
        let lines: Vec<String> = diags.iter().map(ToString::to_string).collect();
        CliError {
            code: exit::USAGE,
            message: lines.join("\n"),
        }
    }
}

impl From<std::io::Error> for CliError {
    /// Reading the terminal or writing the output failed mid-command.
    fn from(e: std::io::Error) -> Self {
        CliError::failed(e)
    }
}

/// What the process gives every command besides its own arguments: the
/// global options, the one clock, standard input and what the terminal is.
/// Built once by the binary; tests build their own.
pub struct Context<'a> {
    /// `--content`: the pack folder (`None`: the built-in pack).
    pub content: Option<&'a Path>,
    /// `--data-dir` (already resolved to the profile's folder).
    pub data_dir: Option<&'a Path>,
    /// `--profile` (`None`: the default profile).
    pub profile: Option<&'a str>,
    /// The one clock: time since the Unix epoch.
    pub clock: &'a dyn Fn() -> Duration,
    /// Standard input, for prompts and the plain quiz.
    pub input: &'a mut dyn BufRead,
    /// Whether standard input is a terminal (else the quiz echoes answers).
    pub stdin_is_terminal: bool,
    /// Whether standard output is a terminal (colour, wrapping).
    pub stdout_is_terminal: bool,
    /// The terminal's width in columns, when standard output is one.
    pub columns: Option<u16>,
    /// The `NO_COLOR` environment variable.
    pub no_color: Option<OsString>,
}

impl Context<'_> {
    /// The clock's reading in whole Unix seconds.
    pub fn unix_seconds(&self) -> u64 {
        (self.clock)().as_secs()
    }
}

/// Loads the course (`dir`, or the built-in pack); when it does not load,
/// every diagnostic becomes the error (exit 2).
pub fn load_pack(dir: Option<&Path>) -> Result<Pack, CliError> {
    Pack::load(dir).map_err(|diags| CliError::diagnostics(&diags))
}

/// Reads a scenario file named on the command line (`eval`, `lint`): a
/// regular file only, so a FIFO or a device is refused by name instead of
/// hanging or reading without end, and never more than the engine's size
/// limit. The error is the reason, for a diagnostic naming the file.
pub(crate) fn read_scenario_file(path: &Path) -> Result<Vec<u8>, String> {
    use crate::core::fs::{FsError, read_regular};
    use crate::core::world::load::MAX_FILE_BYTES;
    match read_regular(path, MAX_FILE_BYTES as u64) {
        Ok(bytes) => Ok(bytes),
        Err(FsError::TooLarge { .. }) => Err(format!(
            "the file holds more than {0} MB; policy and scenario files are limited to {0} MB",
            MAX_FILE_BYTES / (1024 * 1024)
        )),
        Err(e) => Err(format!("cannot read the file: {}", e.reason())),
    }
}

/// Writes generated text to `out`. A closed pipe (`keyshake eval ... |
/// head`) is not a failure: the reader has what it wanted.
pub(crate) fn emit(out: &mut dyn Write, text: &[u8]) {
    let _ = out.write_all(text);
}

/// keyshake: learn to share KMS-encrypted data across AWS accounts.
///
/// With no command, opens the tutor in the terminal.
#[derive(Debug, Parser)]
#[command(
    name = "keyshake",
    version,
    about,
    long_about = None,
    disable_help_subcommand = true
)]
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
    /// Grade students' exported labs against the pack's labs: only the
    /// editable policies are taken from each FILE; the goals, requests and
    /// the rest of the world come from the pack, and any change to them is
    /// reported as tampering (path and line) without changing the score.
    /// One point per goal met, one for the security review (no error or
    /// security warning, no over-broad grant). See docs/grading.md.
    ///
    /// Exit status: 0 every file solved, 1 one is not, 2 a file cannot be
    /// read or is not valid TOML.
    Grade {
        /// The lab id (default: the one the file's export header names,
        /// or the pack's only lab).
        #[arg(long, value_name = "ID")]
        lab: Option<String>,
        /// Print GitHub Classroom's autograding result (JSON) instead of text.
        #[arg(long)]
        json: bool,
        /// The students' exported files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

/// `keyshake pack` actions.
#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Write an example pack (one of each kind of content) into DIR, a new
    /// or empty folder, named after DIR; it passes `keyshake pack check DIR`
    /// as written.
    New {
        /// The folder to create; its name becomes the pack's name.
        dir: PathBuf,
    },
    /// Check a pack and print every problem of every file with
    /// file:line:column, errors and warnings together, in one run.
    ///
    /// Exit status: 0 clean, 1 problems found (or warnings with --strict),
    /// 2 the folder cannot be read.
    Check {
        /// The pack folder (default: the built-in pack).
        dir: Option<PathBuf>,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// text, json (one document) or github (annotations for GitHub Actions).
        #[arg(long, value_enum, default_value_t = pack::CheckFormat::Text)]
        format: pack::CheckFormat,
    },
    /// Add a lesson, question, lab or scenario skeleton named ID to a pack;
    /// the pack still passes `keyshake pack check` afterwards.
    Add {
        /// What to add.
        #[arg(value_enum)]
        kind: pack::AddKind,
        /// Its id (lowercase letters, digits and '-').
        id: String,
        /// The pack folder (default: the current folder).
        #[arg(long, value_name = "DIR")]
        pack: Option<PathBuf>,
    },
    /// Write the built-in course into DIR (a new or empty folder) as a pack
    /// to start from; it passes `keyshake pack check --strict DIR`.
    ExportBuiltin {
        /// The folder to create.
        dir: PathBuf,
    },
    /// Write the question bank as Moodle GIFT or a QTI 2.1 package.
    ///
    /// The bank of --content (or the built-in pack). Policy questions become
    /// choice questions: ALLOW, or DENY with a reason, under the scenario.
    ExportQuestions {
        /// gift: one text file; qti: a .zip (Canvas) or a folder.
        #[arg(long, value_enum)]
        format: pack::QuestionFormat,
        /// Where to write (GIFT: default standard output; QTI: required).
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Read a GIFT file's choice and true/false questions into the pack.
    ///
    /// Writes DIR/questions/NAME.toml. Other GIFT items are listed with
    /// their line and skipped. Exit status: 0 written, 1 nothing to import,
    /// 2 the file or pack cannot be read.
    ImportQuestions {
        /// The GIFT file.
        file: PathBuf,
        /// The objective every question gets (default: the one named by a
        /// `$CATEGORY:` line, or the pack's only objective).
        #[arg(long, value_name = "ID")]
        objective: Option<String>,
        /// The pack folder to write into (default: --content).
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
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
    /// Print a command's help (`keyshake help pack check`) or a reference
    /// page: `keyshake help scenario` is the scenario file format, every
    /// field with examples; `keyshake help content` is the pack authoring
    /// guide.
    Help {
        /// A command (and subcommand), `scenario` or `content`.
        #[arg(value_name = "COMMAND|TOPIC")]
        words: Vec<String>,
    },
    /// Content packs for instructors: scaffold one, or check one before class.
    Pack {
        /// What to do.
        #[command(subcommand)]
        action: PackCommand,
    },
    /// Policy labs: open any scenario file as a sandbox, list the labs with
    /// the learner's status, export the learner's work as a scenario file,
    /// or grade students' exports against the pack's goals (`lab grade`),
    /// which is how an instructor collects and grades lab work.
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
        #[arg(long, conflicts_with = "fix")]
        json: bool,
        /// Print each denied request's verified fix as a unified diff of the
        /// policy text.
        #[arg(long)]
        fix: bool,
    },
    /// Lint every policy of scenario or lab files (or bare policies with
    /// --kind) against AWS's catalog of actions, resources and keys.
    ///
    /// Exit status: 0 when no finding is an error or a security warning,
    /// 1 when one is, 2 when a file cannot be read or is invalid.
    Lint(lint::LintArgs),
    /// A whole class's results, for the instructor: `class report` (one row
    /// per student, question difficulty, labs) or `class export` (a
    /// gradebook CSV, or Canvas or Moodle import files), over the data
    /// folder's profiles or exported JSON files.
    Class {
        /// report or export.
        #[command(subcommand)]
        action: class::ClassCommand,
    },
    /// List the profiles of the data folder with their last use and the
    /// pack their progress was made with.
    Profiles,
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
    Quiz(QuizArgs),
    /// Engine-generated drills: a small world built to show one
    /// misconception, then questions about it (is it allowed and why, which
    /// policy must change, which edit works without letting anyone else
    /// in). Every answer is decided by the policy engine and saved to your
    /// progress; a misconception you missed comes back first.
    Drill(drill::DrillArgs),
}

/// `keyshake quiz` options.
#[derive(Debug, Clone, clap::Args)]
pub struct QuizArgs {
    /// Line mode over stdin/stdout (for screen readers, pipes and scripts).
    #[arg(long)]
    pub plain: bool,
    /// How the quiz is taken (each mode's line says what it is).
    #[arg(long, value_enum, default_value_t = QuizMode::Practice)]
    pub mode: QuizMode,
    /// Shuffle with this seed: the same seed gives the same quiz.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// How many questions (default: 10 in practice, 20 in an exam, all
    /// that are due or missed in review and missed modes).
    #[arg(long, value_name = "N")]
    pub count: Option<usize>,
    /// Only questions of this objective (repeat for several).
    #[arg(long = "objective", value_name = "ID")]
    pub objectives: Vec<String>,
    /// Exam time in minutes.
    #[arg(long, value_name = "MIN", default_value_t = crate::core::quiz::DEFAULT_EXAM_MINUTES)]
    pub minutes: u64,
    /// Exam pass mark in percent.
    #[arg(long, value_name = "PERCENT", default_value_t = crate::core::quiz::DEFAULT_PASS_MARK)]
    pub pass_mark: u32,
    /// Exam control: how many times this profile may start the exam with
    /// the same seed (pack.toml's `[exam] attempts` also applies; the lower
    /// limit wins).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub attempts: Option<u32>,
    /// Exam control: the score report shows the score but not the answers
    /// and explanations.
    #[arg(long)]
    pub hide_review: bool,
    /// Exam control: hide the answers and explanations until this time
    /// (ISO 8601, such as 2026-12-03T09:00:00Z; UTC without an offset).
    #[arg(long, value_name = "TIME", value_parser = review_time)]
    pub review_after: Option<u64>,
    /// For the instructor: print the exam's questions in order with their
    /// right answers (the same draw a student gets with this --seed and
    /// pack) instead of running it. Needs --mode exam.
    #[arg(long)]
    pub print_key: bool,
    /// Print your last submitted exam again: the score, and every answer
    /// with the right one and why, once the exam controls allow it.
    #[arg(long, conflicts_with = "print_key")]
    pub last_exam: bool,
}

/// `--review-after`'s value as unix seconds.
fn review_time(text: &str) -> Result<u64, String> {
    crate::core::quiz::controls::parse_time(text)
}

impl QuizArgs {
    /// The quiz these options ask for.
    pub fn settings(&self) -> crate::core::quiz::Settings {
        crate::core::quiz::Settings {
            mode: self.mode.into(),
            count: self.count,
            objectives: self.objectives.clone(),
            exam_minutes: self.minutes,
            pass_mark: self.pass_mark,
            controls: crate::core::quiz::controls::ExamControls {
                attempts: self.attempts,
                seed: None,
                hide_review: self.hide_review,
                review_after: self.review_after,
            },
        }
    }
}

/// `keyshake quiz --mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QuizMode {
    /// Practice (its help is [`Mode::blurb`](crate::core::quiz::Mode::blurb)).
    #[value(help = crate::core::quiz::Mode::Practice.blurb())]
    Practice,
    /// Exam.
    #[value(help = crate::core::quiz::Mode::Exam.blurb())]
    Exam,
    /// Review.
    #[value(help = crate::core::quiz::Mode::Review.blurb())]
    Review,
    /// Missed.
    #[value(help = crate::core::quiz::Mode::Missed.blurb())]
    Missed,
    /// Cram.
    #[value(help = crate::core::quiz::Mode::Cram.blurb())]
    Cram,
}

impl From<QuizMode> for crate::core::quiz::Mode {
    fn from(m: QuizMode) -> Self {
        use crate::core::quiz::Mode;
        match m {
            QuizMode::Practice => Mode::Practice,
            QuizMode::Exam => Mode::Exam,
            QuizMode::Review => Mode::Review,
            QuizMode::Missed => Mode::Missed,
            QuizMode::Cram => Mode::Cram,
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
    /// Show or change the review settings: the desired retention (the
    /// chance of recall at which a card falls due) and an exam date (review
    /// then brings every card up before it). See docs/review.md.
    Settings {
        /// Desired retention, 0.70 to 0.97 (default 0.90).
        #[arg(long, value_name = "R")]
        retention: Option<String>,
        /// The exam's date, YYYY-MM-DD (UTC).
        #[arg(long, value_name = "DATE", conflicts_with = "no_exam_date")]
        exam_date: Option<String>,
        /// Forget the exam date.
        #[arg(long)]
        no_exam_date: bool,
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

/// Runs one command that prints to writers (everything but the full-screen
/// tutor, which the binary opens itself). Returns its exit status.
pub fn run(
    command: &Command,
    ctx: &mut Context<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, CliError> {
    match command {
        Command::Completions { shell } => {
            emit(out, &completions(*shell));
            Ok(exit::OK)
        }
        Command::Man => {
            emit(out, &man());
            Ok(exit::OK)
        }
        Command::Help { words } => {
            let text = help::help(words).map_err(CliError::usage)?;
            emit(out, text.as_bytes());
            Ok(exit::OK)
        }
        Command::Eval { files, json, fix } => {
            let mode = match (*json, *fix) {
                (true, _) => eval::Mode::Json,
                (false, true) => eval::Mode::Fix,
                (false, false) => eval::Mode::Human,
            };
            eval::command(files, mode, ctx, out, err)
        }
        Command::Lint(args) => {
            let (text, problems, code) = lint::run(args);
            emit(out, text.as_bytes());
            emit(err, problems.as_bytes());
            Ok(code)
        }
        Command::Pack { action } => pack::command(action, ctx, out, err),
        Command::Envelope { scenario, action } => {
            let (text, problems, code) = envelope::run(scenario, action, ctx.data_dir);
            emit(out, text.as_bytes());
            if code == exit::OK {
                return Ok(code);
            }
            Err(CliError {
                code,
                message: problems.trim_end_matches('\n').to_string(),
            })
        }
        Command::Lab {
            action: Some(action),
            ..
        } => lab::command(action, ctx, out, err),
        Command::Lab { file: Some(_), .. } => Err(CliError::usage(
            "keyshake lab FILE opens the terminal tutor, which this build does not have",
        )),
        Command::Lab { .. } => Err(CliError {
            code: exit::USAGE,
            message: "keyshake lab: give a scenario FILE to open as a sandbox, or a command (list, export, grade); see keyshake lab --help".into(),
        }),
        Command::Progress { action } => progress::run(action.as_ref(), ctx, out, err),
        Command::Quiz(args) if args.print_key => quiz::key::command(args, ctx, out),
        Command::Quiz(args) if args.last_exam => quiz::last::command(args, ctx, out),
        Command::Class { action } => class::command(action, ctx, out, err),
        Command::Profiles => profiles::command(ctx, out),
        Command::Quiz(args) => quiz::command(args.settings(), args.seed, ctx, out, err),
        Command::Drill(args) => drill::command(args, ctx, out, err),
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

    /// Whether `word` occurs in `text` on its own: not inside a longer
    /// word, so "man" is not found in "subcommand" or "__fish_man".
    fn has_word(text: &str, word: &str) -> bool {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|w| w == word)
    }

    #[test]
    fn whole_words_only() {
        assert!(has_word("keyshake\\-man(1)", "man"));
        assert!(!has_word("the given subcommand(s)", "man"));
        assert!(!has_word("__fish_seen_subcommand_from", "man"));
    }

    #[test]
    fn completions_and_man_page_name_every_subcommand() {
        let subcommands: Vec<String> = <Cli as clap::CommandFactory>::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        for expected in ["lab", "quiz", "man", "eval"] {
            assert!(
                subcommands.iter().any(|s| s == expected),
                "{expected} missing from {subcommands:?}"
            );
        }
        let outputs = [
            ("bash completion", completions(clap_complete::Shell::Bash)),
            ("fish completion", completions(clap_complete::Shell::Fish)),
            ("zsh completion", completions(clap_complete::Shell::Zsh)),
            ("man page", man()),
        ];
        for (what, bytes) in &outputs {
            let text = String::from_utf8_lossy(bytes);
            for sub in &subcommands {
                assert!(has_word(&text, sub), "{what} lacks the subcommand {sub}");
            }
        }
        assert!(String::from_utf8_lossy(&man()).contains(".TH keyshake 1"));
    }

    /// Runs `args` (after `keyshake`) the way the binary does, with no
    /// terminal, on `data` as the data folder: (exit status, stdout, stderr).
    fn keyshake(args: &[&str], data: &Path) -> (u8, String, String) {
        let cli = Cli::try_parse_from(std::iter::once("keyshake").chain(args.iter().copied()))
            .expect("valid arguments");
        let command = cli.command.expect("a command");
        let mut input: &[u8] = b"";
        let mut ctx = Context {
            content: None,
            data_dir: Some(data),
            profile: None,
            clock: &|| Duration::new(1_800_000_000, 123_456_789),
            input: &mut input,
            stdin_is_terminal: false,
            stdout_is_terminal: false,
            columns: None,
            no_color: None,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = match run(&command, &mut ctx, &mut out, &mut err) {
            Ok(code) => code,
            Err(e) => {
                err.extend_from_slice(e.message.as_bytes());
                e.code
            }
        };
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
        (code, text(out), text(err))
    }

    #[test]
    fn an_unusable_data_folder_exits_2_from_every_command_that_reads_progress() {
        let dir = tempfile::tempdir().expect("temp dir");
        // A file where the data folder should be.
        let data = dir.path().join("not-a-folder");
        std::fs::write(&data, "x").expect("write");
        for args in [
            &["progress"][..],
            &["progress", "export"],
            &["lab", "list"],
            &["quiz", "--plain"],
        ] {
            let (code, _, err) = keyshake(args, &data);
            assert_eq!(code, exit::USAGE, "keyshake {args:?}: {err}");
            assert!(err.starts_with("keyshake"), "keyshake {args:?}: {err}");
        }
    }

    #[test]
    fn bad_arguments_exit_2_and_a_declined_reset_exits_1() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (code, _, err) = keyshake(&["lab"], dir.path());
        assert_eq!(code, exit::USAGE, "{err}");
        assert!(err.contains("keyshake lab --help"), "{err}");
        let (code, _, err) = keyshake(&["lab", "export", "no-such-lab"], dir.path());
        assert_eq!(code, exit::USAGE, "{err}");
        assert!(err.contains("no lab with id \"no-such-lab\""), "{err}");
        let (code, _, err) = keyshake(&["quiz", "--plain", "--objective", "nope"], dir.path());
        assert_eq!(code, exit::USAGE, "{err}");
        // No answer on stdin: nothing is erased.
        let (code, out, _) = keyshake(&["progress", "reset"], dir.path());
        assert_eq!(code, exit::FAILED);
        assert!(out.contains("Nothing was changed."), "{out}");
        let (code, out, _) = keyshake(&["lab", "list"], dir.path());
        assert_eq!(code, exit::OK);
        assert!(out.contains("not started"), "{out}");
    }

    #[test]
    fn a_quiz_without_seed_prints_one_from_the_clock_that_repeats_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (code, drawn, err) = keyshake(&["quiz", "--plain"], dir.path());
        assert_eq!(code, exit::OK, "{err}");
        // The clock's sub-second part, below a million so it is easy to type.
        assert!(drawn.contains("add --seed 456789."), "{drawn}");
        let again = tempfile::tempdir().expect("temp dir");
        let (_, given, _) = keyshake(&["quiz", "--plain", "--seed", "456789"], again.path());
        let first_question = |t: &str| {
            t.split("Question 1 of")
                .nth(1)
                .map(|q| q.lines().take(3).collect::<Vec<_>>().join("\n"))
        };
        assert!(first_question(&drawn).is_some(), "{drawn}");
        assert_eq!(first_question(&drawn), first_question(&given));
        assert!(!given.contains("add --seed"), "{given}");
    }
}
