//! The CSV export: one row per item (lesson, lab, exam, exam answer,
//! checkpoint, question, practice), every row naming the profile and the
//! pack. Times are ISO 8601 in UTC.

use super::detail::answer_text;
use super::{AnswerResult, ItemResult, Report, Score, percent};
use crate::core::text::neutralise;

/// The header row.
const HEADER: &str = "profile,pack,pack_version,kind,id,title,status,right,total,percent,hints_used,started_at,finished_at,seconds,first_try_right,seed,minutes,auto_submitted,answer,solution_shown,guided\n";

/// The cells after `status`: right, total, percent, hints, started,
/// finished, seconds, first try, seed, minutes, auto-submitted, answer,
/// and for labs whether the solution was shown and the guided setting.
#[derive(Default)]
struct Cells {
    right: String,
    total: String,
    percent: String,
    hints: String,
    started: String,
    finished: String,
    seconds: String,
    first: String,
    seed: String,
    minutes: String,
    auto: String,
    answer: String,
    /// Labs: the verified fix (the last hint) was shown.
    solution: String,
    /// Labs: worked with the guided setting (sentences shown at once).
    guided: String,
}

impl Cells {
    fn score(s: Score) -> Cells {
        Cells {
            right: s.right.to_string(),
            total: s.total.to_string(),
            percent: percent(s.right as usize, s.total as usize),
            ..Cells::default()
        }
    }

    fn list(self) -> [String; 14] {
        [
            self.right,
            self.total,
            self.percent,
            self.hints,
            self.started,
            self.finished,
            self.seconds,
            self.first,
            self.seed,
            self.minutes,
            self.auto,
            field(&self.answer),
            self.solution,
            self.guided,
        ]
    }
}

pub(super) fn render(r: &Report) -> String {
    let mut out = String::from(HEADER);
    let opt = |v: Option<u64>| v.map(iso8601).unwrap_or_default();
    let mut row = |kind: &str, id: &str, title: &str, status: &str, cells: Cells| {
        let mut line = vec![
            field(&r.profile),
            field(&r.pack.name),
            field(&r.pack.version),
            field(kind),
            field(id),
            field(title),
            field(status),
        ];
        line.extend(cells.list());
        out.push_str(&line.join(","));
        out.push('\n');
    };
    for l in &r.lessons {
        row(
            "lesson",
            &l.id,
            &l.title,
            &l.status,
            Cells {
                right: l.checkpoints_right.to_string(),
                total: l.checkpoints_total.to_string(),
                percent: percent(l.sections_completed, l.sections_total),
                finished: opt(l.completed_at),
                first: l.checkpoints_first_try.to_string(),
                ..Cells::default()
            },
        );
    }
    for l in &r.labs {
        let goals = l.goals_met();
        let failing: Vec<&str> = l
            .goals
            .iter()
            .filter(|g| !g.met)
            .map(|g| g.goal.as_str())
            .collect();
        row(
            "lab",
            &l.id,
            &l.title,
            &l.status,
            Cells {
                right: goals.right.to_string(),
                total: goals.total.to_string(),
                hints: l.hints_used.to_string(),
                started: opt(l.started_at),
                finished: opt(l.solved_at),
                seconds: l
                    .seconds_to_solve
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                answer: if failing.is_empty() {
                    String::new()
                } else {
                    format!("not met: {}", failing.join("; "))
                },
                solution: l.solution_shown.to_string(),
                guided: l.guided.to_string(),
                ..Cells::default()
            },
        );
    }
    for e in &r.exams {
        let id = format!("exam-{}", e.attempt);
        let status = if e.abandoned {
            "abandoned"
        } else if e.passed {
            "passed"
        } else {
            "failed"
        };
        row(
            "exam",
            &id,
            "Timed exam",
            status,
            Cells {
                started: iso8601(e.started_at),
                finished: iso8601(e.submitted_at),
                seconds: e.submitted_at.saturating_sub(e.started_at).to_string(),
                seed: e.seed.map(|s| s.to_string()).unwrap_or_default(),
                minutes: e.minutes.map(|m| m.to_string()).unwrap_or_default(),
                auto: e.auto_submitted.to_string(),
                percent: e.percent.to_string(),
                ..Cells::score(Score {
                    right: e.right,
                    total: e.total,
                })
            },
        );
        for (o, s) in &e.objectives {
            row(
                "exam-objective",
                &format!("{id}/{o}"),
                o,
                "",
                Cells::score(*s),
            );
        }
        for a in &e.answers {
            let (status, cells) = answer_cells(a);
            row(
                "exam-answer",
                &format!("{id}/{}", a.question),
                &a.question,
                status,
                cells,
            );
        }
    }
    for (kind, items) in [("checkpoint", &r.checkpoints), ("question", &r.questions)] {
        for item in items {
            let (status, cells) = item_cells(item);
            row(kind, &item.id, &item.id, status, cells);
        }
    }
    let p = &r.practice;
    row(
        "practice",
        "practice",
        "Quiz answers outside exams",
        "",
        Cells::score(Score {
            right: p.right,
            total: p.total,
        }),
    );
    for (o, s) in &p.objectives {
        row(
            "practice-objective",
            &format!("practice/{o}"),
            o,
            "",
            Cells::score(*s),
        );
    }
    out
}

fn verdict(a: &AnswerResult) -> &'static str {
    if a.unanswered {
        "unanswered"
    } else if a.correct {
        "right"
    } else {
        "wrong"
    }
}

fn answer_cells(a: &AnswerResult) -> (&'static str, Cells) {
    (
        verdict(a),
        Cells {
            right: u32::from(a.correct).to_string(),
            total: "1".to_string(),
            finished: iso8601(a.at),
            seconds: a.seconds.to_string(),
            answer: answer_text(a),
            ..Cells::default()
        },
    )
}

/// A checkpoint or question: the latest answer's verdict, the first
/// answer's time and the last one's, and both answers.
fn item_cells(item: &ItemResult) -> (&'static str, Cells) {
    let first = item.first.as_ref();
    let answer = match first {
        Some(f) if item.attempts > 1 => {
            format!("first {}; last {}", answer_text(f), answer_text(&item.last))
        }
        _ => answer_text(&item.last),
    };
    (
        verdict(&item.last),
        Cells {
            right: u32::from(item.last.correct).to_string(),
            total: item.attempts.to_string(),
            started: first.map(|f| iso8601(f.at)).unwrap_or_default(),
            finished: iso8601(item.last.at),
            first: first
                .map(|f| u32::from(f.correct).to_string())
                .unwrap_or_default(),
            answer,
            ..Cells::default()
        },
    )
}

/// Unix seconds as ISO 8601 in UTC: `2027-01-15T08:00:00Z`.
pub fn iso8601(seconds: u64) -> String {
    let day = seconds / 86_400;
    let rest = seconds % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        crate::core::quiz::date_of_day(day),
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// A CSV field (RFC 4180): quoted when it holds a comma, quote or line
/// break. A leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'`
/// so a spreadsheet does not run a student's or pack author's text as a
/// formula; control characters and bidi overrides are made visible
/// ([`neutralise`]), so `cat` on the file cannot drive the terminal.
pub fn field(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        for lead in ["+1", "-1", "@SUM(A1)", "\t=cmd|' /C calc'!A0", "\r=1"] {
            assert!(
                field(lead).trim_start_matches('"').starts_with('\''),
                "{lead:?}"
            );
        }
    }

    #[test]
    fn times_are_iso_8601_utc() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_800_000_000), "2027-01-15T08:00:00Z");
        assert_eq!(iso8601(951_782_400 + 86_399), "2000-02-29T23:59:59Z");
    }

    #[test]
    fn escape_sequences_from_progress_are_inert_in_csv() {
        let hostile = "\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J\u{9b}1m\u{202e}";
        let out = field(hostile);
        assert!(
            !out.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}']),
            "{out:?}"
        );
        assert!(out.contains("^[]52;c;"), "{out:?}");
    }
}
