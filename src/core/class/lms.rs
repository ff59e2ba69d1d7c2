//! `keyshake class export`: the gradebook as CSV, one row per student,
//! for a spreadsheet, Canvas or Moodle. Every cell goes through the
//! export's CSV field guard (quoting, formula and escape neutralising).
//!
//! Points: the class exam counts its right answers (out of its
//! questions); a lab counts the goals its saved policies meet (out of its
//! goals), 0 when the lab was never started.

use super::figures::{Figures, Row};
use super::roster::{Person, Roster};
use crate::core::progress::export::{LabResult, Score, field, iso8601};

/// The exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Every figure, one row per student.
    Gradebook,
    /// Canvas's gradebook import: `Student, ID, SIS User ID, SIS Login
    /// ID, Section`, one column per assignment, a `Points Possible` row.
    Canvas,
    /// Moodle's CSV grade import: an identifier column, one column per
    /// grade item (percent), and a feedback column.
    Moodle(MoodleId),
}

/// The column Moodle matches users by ("Map from" on its import page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoodleId {
    /// `Email address` (the roster's email).
    Email,
    /// `Username` (the roster's login).
    Username,
    /// `ID number` (the roster's SIS id).
    IdNumber,
}

/// The exam item's column name.
fn exam_item(f: &Figures) -> String {
    match f.seed {
        Some(s) => format!("keyshake exam (seed {s})"),
        None => "keyshake exam".to_string(),
    }
}

/// A lab's points: goals met by a started lab.
fn lab_points(l: Option<&LabResult>) -> Score {
    match l {
        Some(l) if l.status != "not_started" => l.goals_met(),
        Some(l) => Score {
            right: 0,
            total: l.goals_met().total,
        },
        None => Score { right: 0, total: 0 },
    }
}

fn line(cells: &[String]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| field(c)).collect();
    cells.join(",") + "\n"
}

/// The export in `layout`; the roster (if any) gives each profile's LMS
/// identity. Profiles not in the roster keep their profile name as the
/// student's name and empty ids.
pub fn export(f: &Figures, layout: Layout, roster: Option<&Roster>) -> String {
    let person = |r: &Row| -> Person {
        roster
            .and_then(|ro| ro.get(&r.profile))
            .cloned()
            .unwrap_or_else(|| Person {
                profile: r.profile.clone(),
                name: r.profile.clone(),
                ..Person::default()
            })
    };
    // The gradebook leaves ids empty for a profile the roster lacks; the
    // LMS layouts need a name in the Student column, so use the profile.
    let listed = |r: &Row| -> Person {
        roster
            .and_then(|ro| ro.get(&r.profile))
            .cloned()
            .unwrap_or_default()
    };
    match layout {
        Layout::Gradebook => gradebook(f, &listed),
        Layout::Canvas => canvas(f, &person),
        Layout::Moodle(id) => moodle(f, id, &person),
    }
}

fn gradebook(f: &Figures, person: &dyn Fn(&Row) -> Person) -> String {
    let mut head: Vec<String> = [
        "profile",
        "name",
        "id",
        "sis_id",
        "login",
        "email",
        "section",
        "exam_seed",
        "exam_attempt",
        "exam_right",
        "exam_total",
        "exam_percent",
        "exam_result",
        "exam_started",
        "exam_finished",
        "exam_minutes",
        "exam_auto_submitted",
        "exam_attempts",
    ]
    .map(String::from)
    .to_vec();
    for (o, _) in &f.objectives {
        head.push(format!("objective {o}"));
    }
    for l in &f.labs {
        for what in [
            "status",
            "hints",
            "goals_met",
            "goals_total",
            "goals_not_met",
        ] {
            head.push(format!("lab {} {what}", l.id));
        }
    }
    head.extend(["checkpoints_first_try", "checkpoints_total"].map(String::from));
    let mut out = line(&head);
    for r in &f.rows {
        let p = person(r);
        let e = r.exam.as_ref();
        let num = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
        let mut cells = vec![
            r.profile.clone(),
            p.name,
            p.id,
            p.sis_id,
            p.login,
            p.email,
            p.section,
            e.and_then(|e| e.seed)
                .map(|s| s.to_string())
                .unwrap_or_default(),
            e.map(|e| e.attempt.to_string()).unwrap_or_default(),
            num(e.map(|e| e.right)),
            num(e.map(|e| e.total)),
            num(e.map(|e| e.percent)),
            super::render::exam_result(e),
            e.map(|e| iso8601(e.started_at)).unwrap_or_default(),
            e.map(|e| iso8601(e.submitted_at)).unwrap_or_default(),
            e.and_then(|e| e.minutes)
                .map(|m| m.to_string())
                .unwrap_or_default(),
            e.map(|e| e.auto_submitted.to_string()).unwrap_or_default(),
            r.attempts.to_string(),
        ];
        for (o, _) in &f.objectives {
            cells.push(
                e.and_then(|e| e.objectives.get(o))
                    .map(|s| format!("{}/{}", s.right, s.total))
                    .unwrap_or_default(),
            );
        }
        for lab in &f.labs {
            let l = r.labs.iter().find(|l| l.id == lab.id);
            // A lab not started scores 0, and its starting policies'
            // failures are the exercise, not the student's.
            let started = l.filter(|l| l.status != "not_started");
            let goals = l.map(|l| lab_points(Some(l)));
            cells.push(l.map(|l| l.status.clone()).unwrap_or_default());
            cells.push(l.map(|l| l.hints_used.to_string()).unwrap_or_default());
            cells.push(num(goals.map(|g| g.right)));
            cells.push(num(goals.map(|g| g.total)));
            cells.push(
                started
                    .map(|l| {
                        l.goals
                            .iter()
                            .filter(|g| !g.met)
                            .map(|g| g.goal.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .unwrap_or_default(),
            );
        }
        cells.push(r.checkpoints.right.to_string());
        cells.push(r.checkpoints.total.to_string());
        out.push_str(&line(&cells));
    }
    out
}

fn canvas(f: &Figures, person: &dyn Fn(&Row) -> Person) -> String {
    let mut head: Vec<String> = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
        .map(String::from)
        .to_vec();
    head.push(exam_item(f));
    head.extend(f.labs.iter().map(|l| format!("keyshake lab: {}", l.title)));
    let mut out = line(&head);
    let exam_total = f
        .rows
        .iter()
        .filter_map(|r| r.exam.as_ref().map(|e| e.total))
        .max()
        .unwrap_or(0);
    let mut possible = vec![
        "Points Possible".to_string(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ];
    possible.push(exam_total.to_string());
    for lab in &f.labs {
        let total = f
            .rows
            .iter()
            .map(|r| lab_points(r.labs.iter().find(|l| l.id == lab.id)).total)
            .max()
            .unwrap_or(0);
        possible.push(total.to_string());
    }
    out.push_str(&line(&possible));
    for r in &f.rows {
        let p = person(r);
        let mut cells = vec![p.name, p.id, p.sis_id, p.login, p.section];
        cells.push(
            r.exam
                .as_ref()
                .map(|e| e.right.to_string())
                .unwrap_or_default(),
        );
        for lab in &f.labs {
            cells.push(
                lab_points(r.labs.iter().find(|l| l.id == lab.id))
                    .right
                    .to_string(),
            );
        }
        out.push_str(&line(&cells));
    }
    out
}

fn moodle(f: &Figures, id: MoodleId, person: &dyn Fn(&Row) -> Person) -> String {
    let id_head = match id {
        MoodleId::Email => "Email address",
        MoodleId::Username => "Username",
        MoodleId::IdNumber => "ID number",
    };
    let mut head = vec![id_head.to_string(), exam_item(f)];
    head.extend(f.labs.iter().map(|l| format!("keyshake lab: {}", l.title)));
    head.push("Feedback".to_string());
    let mut out = line(&head);
    for r in &f.rows {
        let p = person(r);
        let who = match id {
            MoodleId::Email => p.email,
            MoodleId::Username => p.login,
            MoodleId::IdNumber => p.sis_id,
        };
        let mut cells = vec![who];
        cells.push(
            r.exam
                .as_ref()
                .map(|e| e.percent.to_string())
                .unwrap_or_default(),
        );
        let mut feedback = Vec::new();
        match &r.exam {
            Some(e) => feedback.push(format!(
                "exam {}/{} ({}%), {}",
                e.right,
                e.total,
                e.percent,
                super::render::exam_result(Some(e))
            )),
            None => feedback.push("no exam".to_string()),
        }
        for lab in &f.labs {
            let l = r.labs.iter().find(|l| l.id == lab.id);
            let points = lab_points(l);
            cells.push(percent(points));
            if let Some(l) = l {
                feedback.push(format!("{}: {}", l.id, super::render::lab_cell(l)));
            }
        }
        cells.push(feedback.join("; "));
        out.push_str(&line(&cells));
    }
    out
}

/// Points as a whole percent, rounded half up (empty without points).
fn percent(s: Score) -> String {
    if s.total == 0 {
        return String::new();
    }
    let (r, t) = (u64::from(s.right), u64::from(s.total));
    ((r * 200 + t) / (2 * t)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::progress::export::GoalResult;

    fn lab(status: &str, met: &[bool]) -> LabResult {
        LabResult {
            id: "l".into(),
            title: "L".into(),
            status: status.into(),
            hints_used: 0,
            solution_shown: false,
            guided: false,
            started_at: None,
            solved_at: None,
            seconds_to_solve: None,
            goals: met
                .iter()
                .map(|m| GoalResult {
                    goal: "g".into(),
                    met: *m,
                })
                .collect(),
            policies_invalid: false,
        }
    }

    #[test]
    fn a_lab_scores_its_goals_met_and_nothing_before_it_is_started() {
        let s = |l: &LabResult| {
            let p = lab_points(Some(l));
            (p.right, p.total)
        };
        assert_eq!(s(&lab("solved", &[true, true, true])), (3, 3));
        assert_eq!(s(&lab("in_progress", &[true, false, true])), (2, 3));
        // The starting state may already meet a goal ("stays out"): no points.
        assert_eq!(s(&lab("not_started", &[false, true, true])), (0, 3));
        assert_eq!(percent(Score { right: 2, total: 3 }), "67");
        assert_eq!(percent(Score { right: 1, total: 8 }), "13");
        assert_eq!(percent(Score { right: 0, total: 0 }), "");
    }
}
