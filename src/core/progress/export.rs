//! `keyshake progress export`: one student's results for the instructor,
//! as JSON, CSV or Markdown (the JSON schema is in docs/export-schema.md).
//!
//! Every format carries the profile and the pack's name and version, so the
//! files of a whole class can be merged and still be told apart.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::Progress;
use crate::core::content::Pack;
use crate::core::text::neutralise;

/// The version of the export's layout (`schema` in the JSON).
pub const EXPORT_SCHEMA: u32 = 1;

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// [`EXPORT_SCHEMA`].
    pub schema: u32,
    /// The profile (`default` without `--profile`).
    pub profile: String,
    /// The pack the results belong to.
    pub pack: PackRef,
    /// When the export was made (unix seconds).
    pub exported_at: u64,
    /// Every lesson of the pack, in course order.
    pub lessons: Vec<LessonResult>,
    /// Every lab of the pack, in order.
    pub labs: Vec<LabResult>,
    /// Every timed exam taken, oldest first.
    pub exams: Vec<ExamResult>,
    /// All quiz answers outside exams (practice, review, missed).
    pub practice: PracticeResult,
}

/// The pack's name and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackRef {
    /// From `pack.toml` (`keyshake` for the built-in pack).
    pub name: String,
    /// From `pack.toml`.
    pub version: String,
}

/// One lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LessonResult {
    /// Lesson id.
    pub id: String,
    /// Lesson title.
    pub title: String,
    /// `completed`, `in_progress` or `not_started`.
    pub status: &'static str,
    /// Sections completed.
    pub sections_completed: usize,
    /// Sections in the lesson.
    pub sections_total: usize,
    /// Checkpoints whose latest answer was right.
    pub checkpoints_right: usize,
    /// Checkpoints whose first answer was right (a retry never raises it).
    pub checkpoints_first_try: usize,
    /// Checkpoints in the lesson.
    pub checkpoints_total: usize,
    /// When the lesson was completed (unix seconds).
    pub completed_at: Option<u64>,
}

/// One lab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabResult {
    /// Lab id.
    pub id: String,
    /// Lab title.
    pub title: String,
    /// `solved`, `in_progress` or `not_started`.
    pub status: &'static str,
    /// Hints revealed (the lab's own, then the sentence, the near miss
    /// and the fix).
    pub hints_used: u32,
    /// The verified fix, the last hint level, was shown.
    pub solution_shown: bool,
    /// Worked on with the guided setting (sentences shown at once).
    pub guided: bool,
    /// First opened (unix seconds).
    pub started_at: Option<u64>,
    /// First solved (unix seconds).
    pub solved_at: Option<u64>,
    /// `solved_at - started_at`, when both are known.
    pub seconds_to_solve: Option<u64>,
}

/// One timed exam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExamResult {
    /// 1 for the first exam taken, and so on.
    pub attempt: usize,
    /// Started (unix seconds).
    pub started_at: u64,
    /// Submitted (unix seconds).
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
}

/// Right out of total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Right answers.
    pub right: u32,
    /// Questions.
    pub total: u32,
}

/// Quiz answers given outside exams.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PracticeResult {
    /// Right answers.
    pub right: u32,
    /// Answers given.
    pub total: u32,
    /// Per objective id (of the questions answered).
    pub objectives: BTreeMap<String, Score>,
}

impl Report {
    /// The results of `progress` in `pack` for `profile` (`None`: default).
    pub fn new(progress: &Progress, pack: &Pack, profile: Option<&str>, now: u64) -> Report {
        let summary = progress.summary(pack);
        let lessons = summary
            .lessons
            .iter()
            .map(|s| {
                let completed_at = progress.lessons.get(&s.id).and_then(|l| l.completed_at);
                let status = if s.sections_total > 0 && s.sections_completed == s.sections_total {
                    "completed"
                } else if s.sections_completed > 0
                    || s.checkpoints_answered > 0
                    || progress.lessons.contains_key(&s.id)
                {
                    "in_progress"
                } else {
                    "not_started"
                };
                LessonResult {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    status,
                    sections_completed: s.sections_completed,
                    sections_total: s.sections_total,
                    checkpoints_right: s.checkpoints_right,
                    checkpoints_first_try: s.checkpoints_first_right,
                    checkpoints_total: s.checkpoints_total,
                    completed_at,
                }
            })
            .collect();
        let labs = pack
            .labs
            .iter()
            .map(|lab| {
                let p = progress.labs.get(&lab.id);
                let started_at = p.and_then(|p| p.started);
                let solved_at = p.and_then(|p| p.solved_at);
                LabResult {
                    id: lab.id.clone(),
                    title: lab.title.clone(),
                    status: match (p, solved_at) {
                        (_, Some(_)) => "solved",
                        (Some(_), None) => "in_progress",
                        (None, None) => "not_started",
                    },
                    hints_used: p.map_or(0, |p| p.hints_used),
                    solution_shown: p.is_some_and(|p| p.solution_shown),
                    guided: p.is_some_and(|p| p.guided),
                    started_at,
                    solved_at,
                    seconds_to_solve: match (started_at, solved_at) {
                        (Some(a), Some(b)) => Some(b.saturating_sub(a)),
                        _ => None,
                    },
                }
            })
            .collect();
        let exams = progress
            .quiz
            .exams
            .iter()
            .enumerate()
            .map(|(i, e)| ExamResult {
                attempt: i + 1,
                started_at: e.started_at,
                submitted_at: e.at,
                seed: e.seed,
                right: e.score.right,
                total: e.score.total,
                percent: e.percent.min(100),
                pass_mark: e.pass_mark,
                passed: e.passed,
                objectives: e
                    .objectives
                    .iter()
                    .map(|(k, t)| {
                        (
                            k.clone(),
                            Score {
                                right: t.right,
                                total: t.total,
                            },
                        )
                    })
                    .collect(),
            })
            .collect();
        let mut practice = PracticeResult {
            right: 0,
            total: 0,
            objectives: BTreeMap::new(),
        };
        for a in progress.quiz.answers.iter().filter(|a| a.mode != "exam") {
            practice.total += 1;
            practice.right += u32::from(a.correct);
            for o in pack
                .question(&a.question)
                .map(|q| q.objectives.as_slice())
                .unwrap_or_default()
            {
                let s = practice
                    .objectives
                    .entry(o.clone())
                    .or_insert(Score { right: 0, total: 0 });
                s.total += 1;
                s.right += u32::from(a.correct);
            }
        }
        Report {
            schema: EXPORT_SCHEMA,
            profile: profile.unwrap_or("default").to_string(),
            pack: PackRef {
                name: pack.info.name.clone(),
                version: pack.info.version.clone(),
            },
            exported_at: now,
            lessons,
            labs,
            exams,
            practice,
        }
    }

    /// The report in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => {
                let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
                s.push('\n');
                s
            }
            Format::Csv => self.csv(),
            Format::Markdown => self.markdown(),
        }
    }

    fn csv(&self) -> String {
        let mut out = String::from(
            "profile,pack,pack_version,kind,id,title,status,right,total,percent,hints_used,started_at,finished_at,seconds,first_try_right\n",
        );
        let opt = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
        let mut row =
            |kind: &str, id: &str, title: &str, status: &str, nums: [String; 7], first: String| {
                let mut cells = vec![
                    field(&self.profile),
                    field(&self.pack.name),
                    field(&self.pack.version),
                    field(kind),
                    field(id),
                    field(title),
                    field(status),
                ];
                cells.extend(nums);
                cells.push(first);
                out.push_str(&cells.join(","));
                out.push('\n');
            };
        for l in &self.lessons {
            row(
                "lesson",
                &l.id,
                &l.title,
                l.status,
                [
                    l.checkpoints_right.to_string(),
                    l.checkpoints_total.to_string(),
                    percent(l.sections_completed, l.sections_total),
                    String::new(),
                    String::new(),
                    opt(l.completed_at),
                    String::new(),
                ],
                l.checkpoints_first_try.to_string(),
            );
        }
        for l in &self.labs {
            row(
                "lab",
                &l.id,
                &l.title,
                l.status,
                [
                    String::new(),
                    String::new(),
                    String::new(),
                    l.hints_used.to_string(),
                    opt(l.started_at),
                    opt(l.solved_at),
                    opt(l.seconds_to_solve),
                ],
                String::new(),
            );
        }
        for e in &self.exams {
            let id = format!("exam-{}", e.attempt);
            let status = if e.passed { "passed" } else { "failed" };
            row(
                "exam",
                &id,
                "Timed exam",
                status,
                [
                    e.right.to_string(),
                    e.total.to_string(),
                    e.percent.to_string(),
                    String::new(),
                    e.started_at.to_string(),
                    e.submitted_at.to_string(),
                    e.submitted_at.saturating_sub(e.started_at).to_string(),
                ],
                String::new(),
            );
            for (o, s) in &e.objectives {
                row(
                    "exam-objective",
                    &format!("{id}/{o}"),
                    o,
                    "",
                    score_cells(*s),
                    String::new(),
                );
            }
        }
        let p = &self.practice;
        row(
            "practice",
            "practice",
            "Quiz answers outside exams",
            "",
            score_cells(Score {
                right: p.right,
                total: p.total,
            }),
            String::new(),
        );
        for (o, s) in &p.objectives {
            row(
                "practice-objective",
                &format!("practice/{o}"),
                o,
                "",
                score_cells(*s),
                String::new(),
            );
        }
        out
    }

    fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Results: {}\n\nPack: {} {} · export schema {}\n",
            cell(&self.profile),
            cell(&self.pack.name),
            cell(&self.pack.version),
            self.schema
        );
        out.push_str("## Lessons\n\n| lesson | status | sections | checkpoints right | right first try |\n| --- | --- | --- | --- | --- |\n");
        for l in &self.lessons {
            let _ = writeln!(
                out,
                "| {} | {} | {}/{} | {}/{} | {}/{} |",
                cell(&l.title),
                l.status.replace('_', " "),
                l.sections_completed,
                l.sections_total,
                l.checkpoints_right,
                l.checkpoints_total,
                l.checkpoints_first_try,
                l.checkpoints_total
            );
        }
        out.push_str(
            "\n## Labs\n\n| lab | status | hints used | time to solve |\n| --- | --- | --- | --- |\n",
        );
        for l in &self.labs {
            let _ = writeln!(
                out,
                "| {} | {} | {}{}{} | {} |",
                cell(&l.title),
                l.status.replace('_', " "),
                l.hints_used,
                if l.solution_shown {
                    " (solution shown)"
                } else {
                    ""
                },
                if l.guided { " (guided)" } else { "" },
                l.seconds_to_solve.map_or_else(|| "-".to_string(), duration)
            );
        }
        out.push_str("\n## Exams\n\n");
        if self.exams.is_empty() {
            out.push_str("No exam taken.\n");
        } else {
            out.push_str(
                "| attempt | score | result | by objective |\n| --- | --- | --- | --- |\n",
            );
            for e in &self.exams {
                let by: Vec<String> = e
                    .objectives
                    .iter()
                    .map(|(o, s)| format!("{} {}/{}", cell(o), s.right, s.total))
                    .collect();
                let _ = writeln!(
                    out,
                    "| {} | {}/{} ({}%) | {} (pass mark {}%) | {} |",
                    e.attempt,
                    e.right,
                    e.total,
                    e.percent,
                    if e.passed { "passed" } else { "failed" },
                    e.pass_mark,
                    by.join(", ")
                );
            }
        }
        let p = &self.practice;
        let _ = writeln!(
            out,
            "\n## Practice\n\n{} of {} answers right.",
            p.right, p.total
        );
        for (o, s) in &p.objectives {
            let _ = writeln!(out, "- {}: {}/{}", cell(o), s.right, s.total);
        }
        out
    }
}

fn score_cells(s: Score) -> [String; 7] {
    [
        s.right.to_string(),
        s.total.to_string(),
        percent(s.right as usize, s.total as usize),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ]
}

/// `part` of `whole` in percent, rounded to the nearest integer as the
/// score report rounds (empty when `whole` is 0).
fn percent(part: usize, whole: usize) -> String {
    (part.saturating_mul(200).saturating_add(whole))
        .checked_div(whole.saturating_mul(2))
        .map(|p| p.to_string())
        .unwrap_or_default()
}

fn duration(seconds: u64) -> String {
    if seconds < 60 {
        format!("{seconds} s")
    } else {
        format!("{} min {} s", seconds / 60, seconds % 60)
    }
}

/// A CSV field (RFC 4180): quoted when it holds a comma, quote or line
/// break. A leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'`
/// so a spreadsheet does not run a student's or pack author's text as a
/// formula; control characters and bidi overrides are made visible
/// ([`neutralise`]), so `cat` on the file cannot drive the terminal.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{}", neutralise(text))
    } else {
        neutralise(text).into_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Text for a Markdown table cell (a `|` would start a new cell), with
/// control characters and bidi overrides made visible.
fn cell(text: &str) -> String {
    neutralise(text)
        .replace('|', "\\|")
        .replace(['\n', '\t'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(cell("a|b"), "a\\|b");
        for lead in ["+1", "-1", "@SUM(A1)", "\t=cmd|' /C calc'!A0", "\r=1"] {
            assert!(
                field(lead).trim_start_matches('"').starts_with('\''),
                "{lead:?}"
            );
        }
    }

    #[test]
    fn escape_sequences_from_progress_are_inert_in_csv_and_markdown() {
        let hostile = "\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J\u{9b}1m\u{202e}";
        for out in [field(hostile), cell(hostile)] {
            assert!(
                !out.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}']),
                "{out:?}"
            );
            assert!(out.contains("^[]52;c;"), "{out:?}");
        }
    }
}
