//! `keyshake progress export`: one student's results for the instructor,
//! as JSON, CSV or Markdown (the JSON schema is in docs/export-schema.md).
//!
//! Every format carries the profile and the pack's name, version and
//! content hash, so the files of a whole class can be merged and still be
//! told apart. The JSON is also what `keyshake class` reads back
//! ([`Report::parse`]), of this schema or the one before.

mod csv;
mod detail;
mod markdown;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Progress;
use crate::core::content::Pack;

pub use csv::{field, iso8601};
pub use detail::answer_text;
pub(crate) use markdown::cell;

/// The version of the export's layout (`schema` in the JSON).
pub const EXPORT_SCHEMA: u32 = 2;

/// The oldest `schema` [`Report::parse`] still reads.
pub const OLDEST_SCHEMA: u32 = 1;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON document.
    Json,
    /// One row per item, for spreadsheets.
    Csv,
    /// Tables for reading.
    Markdown,
}

/// One student's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// [`EXPORT_SCHEMA`].
    pub schema: u32,
    /// The profile (`default` without `--profile`).
    pub profile: String,
    /// The pack the results were read with.
    pub pack: PackRef,
    /// The pack the progress file names (the one it was first saved
    /// with), when it names one; schema 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_with: Option<PackRef>,
    /// When the export was made (unix seconds).
    pub exported_at: u64,
    /// Every lesson of the pack, in course order.
    pub lessons: Vec<LessonResult>,
    /// Every lab of the pack, in order.
    pub labs: Vec<LabResult>,
    /// Every timed exam taken, oldest first, abandoned ones included
    /// (schema 1: submitted exams only).
    pub exams: Vec<ExamResult>,
    /// All quiz answers outside exams (practice, review, missed).
    pub practice: PracticeResult,
    /// Every checkpoint answered, in course order, with the first and the
    /// last answer; schema 2.
    #[serde(default)]
    pub checkpoints: Vec<ItemResult>,
    /// Every bank question answered (in any mode), in bank order, with the
    /// first and the last answer; schema 2.
    #[serde(default)]
    pub questions: Vec<ItemResult>,
}

/// A pack's name, version and content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackRef {
    /// From `pack.toml` (`keyshake` for the built-in pack).
    pub name: String,
    /// From `pack.toml`.
    pub version: String,
    /// The content hash (schema 2; empty when unknown).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hash: String,
}

impl PackRef {
    /// `NAME VERSION (content HASH)`, as warnings name a pack.
    pub fn describe(&self) -> String {
        super::describe_pack(&self.name, &self.version, &self.hash)
    }

    /// Whether `other` names the same pack (hashes compared when both are
    /// known).
    pub fn same_as(&self, other: &PackRef) -> bool {
        self.name == other.name
            && self.version == other.version
            && (self.hash.is_empty() || other.hash.is_empty() || self.hash == other.hash)
    }
}

/// One lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonResult {
    /// Lesson id.
    pub id: String,
    /// Lesson title.
    pub title: String,
    /// `completed`, `in_progress` or `not_started`.
    pub status: String,
    /// Sections completed.
    pub sections_completed: usize,
    /// Sections in the lesson.
    pub sections_total: usize,
    /// Checkpoints whose latest answer was right.
    pub checkpoints_right: usize,
    /// Checkpoints whose first answer was right (a retry never raises it).
    #[serde(default)]
    pub checkpoints_first_try: usize,
    /// Checkpoints in the lesson.
    pub checkpoints_total: usize,
    /// When the lesson was completed (unix seconds).
    pub completed_at: Option<u64>,
}

/// One lab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabResult {
    /// Lab id.
    pub id: String,
    /// Lab title.
    pub title: String,
    /// `solved`, `in_progress` or `not_started`.
    pub status: String,
    /// Hints revealed (the lab's own, then the sentence, the near miss
    /// and the fix).
    pub hints_used: u32,
    /// The verified fix, the last hint level, was shown.
    #[serde(default)]
    pub solution_shown: bool,
    /// Worked on with the guided setting (sentences shown at once).
    #[serde(default)]
    pub guided: bool,
    /// First opened (unix seconds).
    pub started_at: Option<u64>,
    /// First solved (unix seconds).
    pub solved_at: Option<u64>,
    /// `solved_at - started_at`, when both are known.
    pub seconds_to_solve: Option<u64>,
    /// Each goal of the lab judged against the learner's saved policies
    /// (the starting policies when none were saved), in goal order;
    /// schema 2.
    #[serde(default)]
    pub goals: Vec<GoalResult>,
    /// The saved policies do not parse, so no goal could be judged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub policies_invalid: bool,
}

impl LabResult {
    /// Goals met, out of the goals judged.
    pub fn goals_met(&self) -> Score {
        let met = self.goals.iter().filter(|g| g.met).count();
        Score {
            right: u32::try_from(met).unwrap_or(u32::MAX),
            total: u32::try_from(self.goals.len()).unwrap_or(u32::MAX),
        }
    }
}

/// One lab goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalResult {
    /// What the goal says (the request's `name`).
    pub goal: String,
    /// Whether the learner's policies meet it.
    pub met: bool,
}

/// One timed exam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamResult {
    /// 1 for the first exam taken, and so on (abandoned ones counted).
    pub attempt: usize,
    /// Started (unix seconds).
    pub started_at: u64,
    /// Submitted, or left for an abandoned exam (unix seconds).
    pub submitted_at: u64,
    /// The seed, when known (the same seed gives the same exam).
    pub seed: Option<u64>,
    /// Right answers.
    pub right: u32,
    /// Questions asked.
    pub total: u32,
    /// Score in percent, rounded down.
    pub percent: u32,
    /// The pass mark in percent.
    pub pass_mark: u32,
    /// Whether the score reached the pass mark.
    pub passed: bool,
    /// Per objective id: right and total.
    pub objectives: BTreeMap<String, Score>,
    /// The time allowed in minutes, when known; schema 2.
    #[serde(default)]
    pub minutes: Option<u64>,
    /// The timer ran out and submitted it; schema 2.
    #[serde(default)]
    pub auto_submitted: bool,
    /// Left with `q` before it was submitted; schema 2.
    #[serde(default)]
    pub abandoned: bool,
    /// Every question in the order asked, with the answer given; schema 2.
    #[serde(default)]
    pub answers: Vec<AnswerResult>,
}

/// One answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerResult {
    /// The question (or checkpoint) id.
    pub question: String,
    /// Choice questions: the chosen choices, 0-based, in the file's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chosen: Vec<usize>,
    /// Policy questions: `allow` or `deny`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    /// Policy questions that ask why: the reason code given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Whether it was right.
    pub correct: bool,
    /// Not answered (an exam question left open).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unanswered: bool,
    /// When it was given (unix seconds; for an exam, when submitted).
    pub at: u64,
    /// Seconds spent on it, when known.
    #[serde(default)]
    pub seconds: u64,
}

/// A checkpoint or bank question: how often it was answered, the first
/// answer and the last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    /// The checkpoint or question id.
    pub id: String,
    /// How many times it was answered.
    pub attempts: u32,
    /// The first answer (absent when an older file did not keep it).
    pub first: Option<AnswerResult>,
    /// The latest answer.
    pub last: AnswerResult,
}

/// Right out of total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// Right answers.
    pub right: u32,
    /// Questions.
    pub total: u32,
}

/// Quiz answers given outside exams.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeResult {
    /// Right answers.
    pub right: u32,
    /// Answers given.
    pub total: u32,
    /// Per objective id (of the questions answered).
    pub objectives: BTreeMap<String, Score>,
}

/// Why an exported JSON file cannot be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not JSON, or not the export's shape.
    #[error("{line}:{column}: error: {message}")]
    Invalid {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A `schema` this version does not read.
    #[error(
        "1:1: error: export schema {0} is not one this keyshake reads ({OLDEST_SCHEMA} to {EXPORT_SCHEMA})"
    )]
    Schema(u64),
}

impl Report {
    /// The results of `progress` in `pack` for `profile` (`None`: default).
    pub fn new(progress: &Progress, pack: &Pack, profile: Option<&str>, now: u64) -> Report {
        Report {
            schema: EXPORT_SCHEMA,
            profile: profile.unwrap_or("default").to_string(),
            pack: PackRef {
                name: pack.info.name.clone(),
                version: pack.info.version.clone(),
                hash: pack.info.hash.clone(),
            },
            made_with: progress.pack.as_ref().map(|s| PackRef {
                name: s.name.clone(),
                version: s.version.clone(),
                hash: s.hash.clone(),
            }),
            exported_at: now,
            lessons: detail::lessons(progress, pack),
            labs: detail::labs(progress, pack),
            exams: detail::exams(progress),
            practice: detail::practice(progress, pack),
            checkpoints: detail::checkpoints(progress, pack),
            questions: detail::questions(progress, pack),
        }
    }

    /// Reads an exported JSON document of schema [`OLDEST_SCHEMA`] to
    /// [`EXPORT_SCHEMA`] (fields a schema lacks take their defaults).
    pub fn parse(text: &str) -> Result<Report, ParseError> {
        let invalid = |e: serde_json::Error| ParseError::Invalid {
            line: e.line(),
            column: e.column(),
            message: e
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_string(),
        };
        let value: serde_json::Value = serde_json::from_str(text).map_err(invalid)?;
        let schema = value.get("schema").and_then(serde_json::Value::as_u64);
        match schema {
            Some(s) if (u64::from(OLDEST_SCHEMA)..=u64::from(EXPORT_SCHEMA)).contains(&s) => {}
            Some(s) => return Err(ParseError::Schema(s)),
            None => {
                return Err(ParseError::Invalid {
                    line: 1,
                    column: 1,
                    message: "no `schema` number: this is not a keyshake results export".into(),
                });
            }
        }
        // Errors with positions: parse the text again as the type.
        serde_json::from_str(text).map_err(invalid)
    }

    /// A warning when the progress was made with another pack than the one
    /// the report was read with (naming both).
    pub fn pack_warning(&self) -> Option<String> {
        let made = self.made_with.as_ref()?;
        (!made.same_as(&self.pack)).then(|| {
            format!(
                "profile {}: the progress was made with pack {}, but it was read with pack {}",
                self.profile,
                made.describe(),
                self.pack.describe()
            )
        })
    }

    /// The report in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => {
                let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
                s.push('\n');
                s
            }
            Format::Csv => csv::render(self),
            Format::Markdown => markdown::render(self),
        }
    }
}

/// `part` of `whole` in percent, rounded to the nearest integer as the
/// score report rounds (empty when `whole` is 0).
fn percent(part: usize, whole: usize) -> String {
    (part.saturating_mul(200).saturating_add(whole))
        .checked_div(whole.saturating_mul(2))
        .map(|p| p.to_string())
        .unwrap_or_default()
}
