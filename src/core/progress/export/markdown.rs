//! The Markdown export: tables for reading.

use std::fmt::Write as _;

use super::{ExamResult, LabResult, Report};
use crate::core::text::neutralise;

pub(super) fn render(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Results: {}\n\nPack: {} {} · export schema {}\n",
        cell(&r.profile),
        cell(&r.pack.name),
        cell(&r.pack.version),
        r.schema
    );
    out.push_str("## Lessons\n\n| lesson | status | sections | checkpoints right | right first try |\n| --- | --- | --- | --- | --- |\n");
    for l in &r.lessons {
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
        "\n## Labs\n\n| lab | status | hints used | time to solve | goals met | not met |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for l in &r.labs {
        let _ = writeln!(
            out,
            "| {} | {} | {}{}{} | {} | {}/{} | {} |",
            cell(&l.title),
            l.status.replace('_', " "),
            l.hints_used,
            if l.solution_shown {
                " (solution shown)"
            } else {
                ""
            },
            if l.guided { " (guided)" } else { "" },
            l.seconds_to_solve.map_or_else(|| "-".to_string(), duration),
            l.goals_met().right,
            l.goals_met().total,
            failing(l)
        );
    }
    out.push_str("\n## Exams\n\n");
    if r.exams.is_empty() {
        out.push_str("No exam taken.\n");
    } else {
        out.push_str(
            "| attempt | seed | minutes | score | result | by objective |\n| --- | --- | --- | --- | --- | --- |\n",
        );
        for e in &r.exams {
            let by: Vec<String> = e
                .objectives
                .iter()
                .map(|(o, s)| format!("{} {}/{}", cell(o), s.right, s.total))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {}/{} ({}%) | {} (pass mark {}%) | {} |",
                e.attempt,
                e.seed.map_or_else(|| "-".to_string(), |s| s.to_string()),
                e.minutes.map_or_else(|| "-".to_string(), |m| m.to_string()),
                e.right,
                e.total,
                e.percent,
                exam_result(e),
                e.pass_mark,
                by.join(", ")
            );
        }
    }
    let p = &r.practice;
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
fn exam_result(e: &ExamResult) -> &'static str {
    match (e.abandoned, e.passed, e.auto_submitted) {
        (true, _, _) => "abandoned",
        (false, true, false) => "passed",
        (false, true, true) => "passed, time ran out",
        (false, false, false) => "failed",
        (false, false, true) => "failed, time ran out",
    }
}

/// The goals a lab's saved policies do not meet, or `-`.
fn failing(l: &LabResult) -> String {
    if l.policies_invalid {
        return "the saved policies do not parse".to_string();
    }
    let not: Vec<String> = l
        .goals
        .iter()
        .filter(|g| !g.met)
        .map(|g| cell(&g.goal))
        .collect();
    if not.is_empty() {
        "-".to_string()
    } else {
        not.join("; ")
    }
}

fn duration(seconds: u64) -> String {
    if seconds < 60 {
        format!("{seconds} s")
    } else {
        format!("{} min {} s", seconds / 60, seconds % 60)
    }
}

/// Text for a Markdown table cell (a `|` would start a new cell), with
/// control characters and bidi overrides made visible.
pub(crate) fn cell(text: &str) -> String {
    neutralise(text)
        .replace('|', "\\|")
        .replace(['\n', '\t'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_pipes_and_neutralise_escapes() {
        assert_eq!(cell("a|b"), "a\\|b");
        let out = cell("\u{1b}]52;c;x\u{7}\u{202e}");
        assert!(!out.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{out:?}");
    }
}
