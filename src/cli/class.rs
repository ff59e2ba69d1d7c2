//! `keyshake class report` and `keyshake class export`: a whole class's
//! results, from the data folder's profiles or from exported JSON files.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{CliError, Context, exit};
use crate::core::class::figures::Figures;
use crate::core::class::lms::{Layout, MoodleId};
use crate::core::class::render::{self, Heading};
use crate::core::class::roster::Roster;
use crate::core::class::{MAX_FILE_BYTES, from_data_dir, from_files};
use crate::core::content::Pack;
use crate::core::progress::data_dir;
use crate::core::progress::export::Report;

/// What the class commands read, and where they write.
#[derive(Debug, Clone, clap::Args)]
pub struct Source {
    /// JSON files from `keyshake progress export` (schema 1 or 2), one per
    /// student; without any, every profile of the data folder.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The class exam: each student's first submitted exam with this seed
    /// (default: the seed most students' exams share).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Only the data folder's profiles matching this pattern (`*` any
    /// characters, `?` one), e.g. 'student-*'.
    #[arg(long, value_name = "PATTERN", conflicts_with = "files")]
    pub profiles: Option<String>,
    /// A CSV mapping each profile to its LMS user: a `profile` column and
    /// any of name, id, sis_id, login, email, section.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// Where to write (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `keyshake class` actions.
#[derive(Debug, Subcommand)]
pub enum ClassCommand {
    /// One row per student with the class exam, per-objective scores and
    /// each lab's status; per-question difficulty (facility index) with
    /// the wrong answers given; the questions most often missed; the lab
    /// goals not met and by whom.
    Report {
        /// Where to read and write.
        #[command(flatten)]
        source: Source,
        /// text (aligned tables and text bar charts) or markdown.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Plain text (the text format; bars drawn with # and .).
        #[arg(long)]
        plain: bool,
    },
    /// The gradebook, one row per student: csv (every figure), canvas
    /// (Canvas's gradebook import) or moodle (Moodle's CSV grade import).
    Export {
        /// Where to read and write.
        #[command(flatten)]
        source: Source,
        /// csv, canvas or moodle.
        #[arg(long, value_enum, default_value_t = GradebookFormat::Csv)]
        format: GradebookFormat,
        /// The column Moodle identifies users by.
        #[arg(long, value_enum, default_value_t = MoodleColumn::Email)]
        moodle_id: MoodleColumn,
    },
}

/// `keyshake class report --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Aligned tables and text bar charts.
    Text,
    /// Markdown tables.
    Markdown,
}

/// `keyshake class export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GradebookFormat {
    /// Every figure, one row per student.
    Csv,
    /// Canvas gradebook import.
    Canvas,
    /// Moodle grade import.
    Moodle,
}

/// `keyshake class export --moodle-id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MoodleColumn {
    /// `Email address`, from the roster's email.
    Email,
    /// `Username`, from the roster's login.
    Username,
    /// `ID number`, from the roster's sis_id.
    Idnumber,
}

/// Draws the class exam's charts for a terminal (the binary passes the
/// TUI's bar charts; this layer draws no charts itself).
pub type Charts<'a> = &'a dyn Fn(&Figures) -> String;

/// Runs `keyshake class ACTION`.
pub fn command(
    action: &ClassCommand,
    ctx: &mut Context<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, CliError> {
    run(action, ctx, out, err, None)
}

/// `keyshake class report` on a terminal: as [`command`], with the exam
/// scores drawn by `charts` instead of the text bars.
pub fn command_with_charts(
    action: &ClassCommand,
    ctx: &mut Context<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    charts: Charts<'_>,
) -> Result<u8, CliError> {
    run(action, ctx, out, err, Some(charts))
}

fn run(
    action: &ClassCommand,
    ctx: &mut Context<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    charts: Option<Charts<'_>>,
) -> Result<u8, CliError> {
    if ctx.profile.is_some() {
        return Err(CliError::usage(
            "keyshake class reads every profile; leave out --profile (use --profiles PATTERN to pick some)",
        ));
    }
    let source = match action {
        ClassCommand::Report { source, .. } | ClassCommand::Export { source, .. } => source,
    };
    let pack = super::load_pack(ctx.content)?;
    let (students, mut warnings) = students(source, &pack, ctx)?;
    if students.is_empty() {
        return Err(CliError::usage(match source.files.is_empty() {
            true => format!(
                "no profiles{} in {}; name exported JSON files, or check --data-dir",
                source
                    .profiles
                    .as_deref()
                    .map(|p| format!(" matching {p:?}"))
                    .unwrap_or_default(),
                data_dir(ctx.data_dir).map_err(CliError::data)?.display()
            ),
            false => "no results in the files given".to_string(),
        }));
    }
    let roster = match &source.roster {
        Some(path) => Some(read_roster(path)?),
        None => None,
    };
    if let (Some(r), Some(path)) = (&roster, &source.roster) {
        for s in &students {
            if r.get(&s.profile).is_none() {
                warnings.push(format!(
                    "profile {} is not in the roster {}; its row has no LMS ids",
                    s.profile,
                    path.display()
                ));
            }
        }
    }
    let figures = Figures::new(&students, source.seed, Some(&pack));
    if let Some(seed) = source.seed
        && figures.rows.iter().all(|r| r.exam.is_none())
    {
        warnings.push(format!("no student took an exam with seed {seed}"));
    }
    let heading = Heading {
        pack: format!("{} {}", pack.info.name, pack.info.version),
        warnings: Vec::new(),
    };
    let text = match action {
        ClassCommand::Report { format, plain, .. } => {
            let heading = Heading {
                warnings: warnings.clone(),
                ..heading
            };
            match (format, plain) {
                (ReportFormat::Markdown, false) => {
                    render::markdown(&figures, &heading, roster.as_ref())
                }
                _ => {
                    let drawn = charts.map(|c| c(&figures));
                    render::text(&figures, &heading, roster.as_ref(), drawn.as_deref())
                }
            }
        }
        ClassCommand::Export {
            format, moodle_id, ..
        } => {
            if roster.is_none() && *format != GradebookFormat::Csv {
                warnings.push(
                    "no --roster: the rows carry profile names only, which an LMS cannot match to its users".to_string(),
                );
            }
            let layout = match format {
                GradebookFormat::Csv => Layout::Gradebook,
                GradebookFormat::Canvas => Layout::Canvas,
                GradebookFormat::Moodle => Layout::Moodle(match moodle_id {
                    MoodleColumn::Email => MoodleId::Email,
                    MoodleColumn::Username => MoodleId::Username,
                    MoodleColumn::Idnumber => MoodleId::IdNumber,
                }),
            };
            crate::core::class::lms::export(&figures, layout, roster.as_ref())
        }
    };
    // The report prints its warnings at its top; both also go to stderr,
    // where a redirected output does not hide them.
    for w in &warnings {
        writeln!(err, "warning: {w}")?;
    }
    super::progress::write_export(&text, source.output.as_deref(), out, err)?;
    Ok(exit::OK)
}

fn students(
    source: &Source,
    pack: &Pack,
    ctx: &Context<'_>,
) -> Result<(Vec<Report>, Vec<String>), CliError> {
    if source.files.is_empty() {
        let data = data_dir(ctx.data_dir).map_err(CliError::data)?;
        from_data_dir(&data, source.profiles.as_deref(), pack, ctx.unix_seconds())
            .map_err(CliError::data)
    } else {
        from_files(&source.files, pack).map_err(|e| CliError {
            code: exit::USAGE,
            message: e,
        })
    }
}

fn read_roster(path: &Path) -> Result<Roster, CliError> {
    let text =
        crate::core::fs::read_regular_string(path, MAX_FILE_BYTES).map_err(|e| CliError {
            code: exit::USAGE,
            message: format!("{}: error: {}", path.display(), e.reason()),
        })?;
    Roster::parse(&text).map_err(|e| CliError {
        code: exit::USAGE,
        message: format!(
            "{}:{}:{}: error: {}",
            path.display(),
            e.line,
            e.column,
            e.message
        ),
    })
}
