//! `keyshake class report` as text for the terminal (with text bar
//! charts) or as Markdown.

use std::fmt::Write as _;

use super::figures::{Figures, LabFigure, QuestionFigure, Row};
use super::roster::Roster;
use crate::core::progress::export::{ExamResult, LabResult, Score};
use crate::core::text::neutralise;

/// The width of a text bar, in characters.
const BAR: usize = 20;

/// What the report's header says about the class.
#[derive(Debug, Clone, Default)]
pub struct Heading {
    /// `NAME VERSION` of the pack the results belong to.
    pub pack: String,
    /// Warnings to print at the top (different packs, missing roster
    /// entries).
    pub warnings: Vec<String>,
}

/// `filled` of `BAR` characters as `#`, the rest `.`: `share` is 0 to 1.
pub fn bar(share: f64) -> String {
    let share = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    };
    // Rounded to the nearest character; BAR is small, so this is exact.
    let filled = (share * BAR as f64).round() as usize;
    format!(
        "{}{}",
        "#".repeat(filled),
        ".".repeat(BAR - filled.min(BAR))
    )
}

/// The facility index with two decimals (`0.75`), `-` when nobody was
/// asked.
pub fn facility_text(q: &QuestionFigure) -> String {
    q.facility()
        .map_or_else(|| "-".to_string(), |f| format!("{f:.2}"))
}

fn score(s: Score) -> String {
    format!("{}/{}", s.right, s.total)
}

fn share(s: Score) -> f64 {
    if s.total == 0 {
        0.0
    } else {
        f64::from(s.right) / f64::from(s.total)
    }
}

/// `passed`, `failed`, `abandoned`, with `, time ran out` when the timer
/// submitted it; `no exam` without one.
pub fn exam_result(e: Option<&ExamResult>) -> String {
    match e {
        None => "no exam".to_string(),
        Some(e) if e.abandoned => "abandoned".to_string(),
        Some(e) => {
            let r = if e.passed { "passed" } else { "failed" };
            if e.auto_submitted {
                format!("{r}, time ran out")
            } else {
                r.to_string()
            }
        }
    }
}

/// A lab's cell: `solved, 1 hint, goals 3/3`.
pub fn lab_cell(l: &LabResult) -> String {
    let status = l.status.replace('_', " ");
    if l.status == "not_started" {
        return status;
    }
    let hints = match l.hints_used {
        1 => "1 hint".to_string(),
        n => format!("{n} hints"),
    };
    let mut s = format!("{status}, {hints}, goals {}", score(l.goals_met()));
    if l.solution_shown {
        s.push_str(", solution shown");
    }
    s
}

fn exam_score(e: Option<&ExamResult>) -> String {
    e.map_or_else(
        || "-".to_string(),
        |e| format!("{}/{} {}%", e.right, e.total, e.percent),
    )
}

fn minutes_used(e: Option<&ExamResult>) -> String {
    e.map_or_else(
        || "-".to_string(),
        |e| {
            let used = e.submitted_at.saturating_sub(e.started_at);
            match e.minutes {
                Some(m) => format!("{}:{:02} of {m}", used / 60, used % 60),
                None => format!("{}:{:02}", used / 60, used % 60),
            }
        },
    )
}

/// The labs at least one student started (the others would be columns
/// of "not started" only).
fn active_labs(f: &Figures) -> Vec<&LabFigure> {
    f.labs
        .iter()
        .filter(|l| l.solved + l.in_progress > 0)
        .collect()
}

/// The students table's header and cells, shared by both formats.
fn table(f: &Figures, roster: Option<&Roster>) -> (Vec<String>, Vec<Vec<String>>) {
    let mut head = vec!["student".to_string()];
    if roster.is_some() {
        head.push("name".into());
    }
    head.extend(["exam", "result", "time", "attempts"].map(String::from));
    head.extend(f.objectives.iter().map(|(o, _)| o.clone()));
    head.push("labs solved".into());
    let active = active_labs(f);
    head.extend(active.iter().map(|l| format!("lab {}", l.id)));
    head.push("checkpoints first try".into());
    let rows = f
        .rows
        .iter()
        .map(|r: &Row| {
            let e = r.exam.as_ref();
            let mut cells = vec![r.profile.clone()];
            if let Some(roster) = roster {
                cells.push(
                    roster
                        .get(&r.profile)
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                );
            }
            cells.push(exam_score(e));
            cells.push(exam_result(e));
            cells.push(minutes_used(e));
            cells.push(r.attempts.to_string());
            for (o, _) in &f.objectives {
                cells.push(
                    e.and_then(|e| e.objectives.get(o))
                        .map_or_else(|| "-".to_string(), |s| score(*s)),
                );
            }
            let solved = r.labs.iter().filter(|l| l.status == "solved").count();
            cells.push(format!("{solved}/{}", r.labs.len()));
            for lab in &active {
                cells.push(
                    r.labs
                        .iter()
                        .find(|l| l.id == lab.id)
                        .map_or_else(|| "-".to_string(), lab_cell),
                );
            }
            cells.push(score(r.checkpoints));
            cells
        })
        .collect();
    (head, rows)
}

/// The report as text for a terminal: aligned tables and `#` bars; with
/// `charts` (drawn by the terminal front end), those take the place of the
/// exam scores' bars.
pub fn text(f: &Figures, h: &Heading, roster: Option<&Roster>, charts: Option<&str>) -> String {
    let t = |s: &str| neutralise(s).into_owned();
    let mut out = String::new();
    for w in &h.warnings {
        let _ = writeln!(out, "warning: {}", t(w));
    }
    let seed = f.seed.map_or_else(
        || "each student's latest exam".to_string(),
        |s| format!("exam seed {s}"),
    );
    let _ = writeln!(
        out,
        "Class report: {} students · pack {} · {seed}\n",
        f.rows.len(),
        t(&h.pack)
    );
    let (head, rows) = table(f, roster);
    out.push_str(&aligned(&head, &rows));
    match charts {
        Some(c) if !c.is_empty() => {
            out.push('\n');
            out.push_str(c);
        }
        _ => exam_bars(f, &mut out),
    }
    if !f.questions.is_empty() {
        out.push_str("\nQuestions (facility index: the share of students right)\n");
        let width = f
            .questions
            .iter()
            .map(|q| q.id.chars().count())
            .max()
            .unwrap_or(0);
        for (i, q) in f.questions.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {:>2}. {:<width$}  {}  {}  {} right",
                i + 1,
                t(&q.id),
                bar(q.facility().unwrap_or(0.0)),
                facility_text(q),
                score(q.score)
            );
            for (answer, n) in &q.wrong {
                let _ = writeln!(out, "      wrong: {} ×{n}", t(answer));
            }
        }
        let missed = f.most_missed();
        if !missed.is_empty() {
            out.push_str("\nMost missed\n");
            let width = missed
                .iter()
                .map(|q| q.id.chars().count())
                .max()
                .unwrap_or(0);
            for q in missed {
                let _ = writeln!(
                    out,
                    "  {:<width$}  facility {} ({} right)",
                    t(&q.id),
                    facility_text(q),
                    score(q.score)
                );
            }
        }
    }
    if !f.objectives.is_empty() {
        out.push_str("\nObjectives (class exam, all students)\n");
        let width = f
            .objectives
            .iter()
            .map(|(o, _)| o.chars().count())
            .max()
            .unwrap_or(0);
        for (o, s) in &f.objectives {
            let _ = writeln!(
                out,
                "  {:<width$}  {}  {:>4}%  {}",
                t(o),
                bar(share(*s)),
                (share(*s) * 100.0).round(),
                score(*s)
            );
        }
    }
    if !f.labs.is_empty() {
        out.push_str("\nLabs (solved / in progress / not started)\n");
        let active = active_labs(f);
        let width = active
            .iter()
            .map(|l| l.title.chars().count())
            .max()
            .unwrap_or(0);
        for lab in &active {
            let _ = writeln!(
                out,
                "  {:<width$}  {} / {} / {}",
                t(&lab.title),
                lab.solved,
                lab.in_progress,
                lab.not_started
            );
            for (goal, who) in &lab.failing {
                let _ = writeln!(out, "    not met: {}: {}", t(goal), t(&who.join(", ")));
            }
        }
        let idle = f.labs.len() - active.len();
        if idle > 0 {
            let _ = writeln!(
                out,
                "  {idle} of {} labs not started by anyone",
                f.labs.len()
            );
        }
    }
    out
}

/// One `#` bar per student's class exam score.
fn exam_bars(f: &Figures, out: &mut String) {
    let t = |s: &str| neutralise(s).into_owned();
    out.push_str("\nExam scores\n");
    let width = f
        .rows
        .iter()
        .map(|r| r.profile.chars().count())
        .max()
        .unwrap_or(0);
    for r in &f.rows {
        let line = match &r.exam {
            Some(e) => format!(
                "{}  {:>4}%  {}",
                bar(f64::from(e.percent.min(100)) / 100.0),
                e.percent,
                exam_result(Some(e))
            ),
            None => "no exam".to_string(),
        };
        let _ = writeln!(out, "  {:<width$}  {line}", t(&r.profile));
    }
}

/// Columns padded to their widest cell, two spaces apart.
fn aligned(head: &[String], rows: &[Vec<String>]) -> String {
    let clean = |s: &str| neutralise(s).into_owned();
    let mut widths: Vec<usize> = head.iter().map(|h| clean(h).chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(clean(c).chars().count());
            }
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::from(" ");
        for (i, c) in cells.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            let _ = write!(s, " {:<w$} ", clean(c));
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(head);
    for r in rows {
        out.push_str(&line(r));
    }
    out
}

/// The report as Markdown.
pub fn markdown(f: &Figures, h: &Heading, roster: Option<&Roster>) -> String {
    use crate::core::progress::export::cell;
    let mut out = String::new();
    let seed = f.seed.map_or_else(
        || "each student's latest exam".to_string(),
        |s| format!("exam seed {s}"),
    );
    let _ = writeln!(
        out,
        "# Class report\n\n{} students · pack {} · {seed}\n",
        f.rows.len(),
        cell(&h.pack)
    );
    for w in &h.warnings {
        let _ = writeln!(out, "> warning: {}\n", cell(w));
    }
    let (head, rows) = table(f, roster);
    let md_row = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    out.push_str("## Students\n\n");
    out.push_str(&md_row(&head));
    out.push_str(&md_row(&vec!["---".to_string(); head.len()]));
    for r in &rows {
        out.push_str(&md_row(r));
    }
    if !f.questions.is_empty() {
        out.push_str("\n## Questions\n\nFacility index: the share of students who answered right.\n\n| # | question | facility | right | wrong answers |\n| --- | --- | --- | --- | --- |\n");
        for (i, q) in f.questions.iter().enumerate() {
            let wrong: Vec<String> = q
                .wrong
                .iter()
                .map(|(a, n)| format!("{} ×{n}", cell(a)))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                i + 1,
                cell(&q.id),
                facility_text(q),
                score(q.score),
                if wrong.is_empty() {
                    "-".to_string()
                } else {
                    wrong.join("; ")
                }
            );
        }
        let missed = f.most_missed();
        if !missed.is_empty() {
            out.push_str("\n### Most missed\n\n");
            for q in missed {
                let _ = writeln!(
                    out,
                    "1. {} (facility {}, {} right)",
                    cell(&q.id),
                    facility_text(q),
                    score(q.score)
                );
            }
        }
    }
    if !f.objectives.is_empty() {
        out.push_str("\n## Objectives\n\n| objective | right | percent |\n| --- | --- | --- |\n");
        for (o, s) in &f.objectives {
            let _ = writeln!(
                out,
                "| {} | {} | {}% |",
                cell(o),
                score(*s),
                (share(*s) * 100.0).round()
            );
        }
    }
    if !f.labs.is_empty() {
        out.push_str("\n## Labs\n\n| lab | solved | in progress | not started | goals not met (who) |\n| --- | --- | --- | --- | --- |\n");
        for lab in active_labs(f) {
            let failing: Vec<String> = lab
                .failing
                .iter()
                .map(|(g, who)| format!("{}: {}", cell(g), cell(&who.join(", "))))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&lab.title),
                lab.solved,
                lab.in_progress,
                lab.not_started,
                if failing.is_empty() {
                    "-".to_string()
                } else {
                    failing.join("; ")
                }
            );
        }
        let idle = f.labs.len() - active_labs(f).len();
        if idle > 0 {
            let _ = writeln!(
                out,
                "\n{idle} of {} labs not started by anyone.",
                f.labs.len()
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_proportion_and_never_overflow() {
        assert_eq!(bar(0.75), format!("{}{}", "#".repeat(15), ".".repeat(5)));
        assert_eq!(bar(0.0), ".".repeat(BAR));
        assert_eq!(bar(1.0), "#".repeat(BAR));
        assert_eq!(bar(7.0), "#".repeat(BAR));
        assert_eq!(bar(f64::NAN), ".".repeat(BAR));
    }
}
