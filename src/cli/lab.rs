//! `keyshake lab list`, `keyshake lab export LAB_ID [-o FILE]` and
//! `keyshake lab grade FILE...` ([`grade`]).

pub mod grade;

use std::fmt::Write as _;

use super::{CliError, Context, LabCommand, exit};
use crate::core::content::{ExportHeader, Pack};
use crate::core::progress::{FileStore, LabState, Progress, ProgressStore, data_dir};

/// Runs `keyshake lab list|export` on the course and progress of `ctx`.
pub fn command(
    action: &LabCommand,
    ctx: &mut Context<'_>,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> Result<u8, CliError> {
    let pack = super::load_pack(ctx.content)?;
    if let LabCommand::Grade { lab, json, files } = action {
        let (text, problems, code) = grade::run(&pack, files, lab.as_deref(), *json);
        super::emit(out, text.as_bytes());
        super::emit(err, problems.as_bytes());
        return Ok(code);
    }
    let loaded = if super::profiles::missing(ctx, err)? {
        // A mistyped --profile: nothing is created.
        crate::core::progress::Loaded {
            progress: Progress::default(),
            warnings: Vec::new(),
        }
    } else {
        let mut store = FileStore::new(data_dir(ctx.data_dir).map_err(CliError::data)?);
        store.load(ctx.unix_seconds()).map_err(CliError::data)?
    };
    for w in &loaded.warnings {
        writeln!(err, "keyshake: {w}")?;
    }
    if let Some(w) = loaded.progress.pack_mismatch(&pack) {
        writeln!(err, "warning: {w}")?;
    }
    match action {
        LabCommand::List => super::emit(out, list(&pack, &loaded.progress).as_bytes()),
        LabCommand::Export { lab, output } => {
            let state = loaded.progress.lab_status(lab);
            if state == LabState::NotStarted && pack.lab(lab).is_some() {
                writeln!(
                    err,
                    "keyshake: lab {lab:?} is not started in this profile: the export is its starting state"
                )?;
            }
            let header = ExportHeader {
                profile: ctx.profile.unwrap_or("default").to_string(),
                pack: format!("{} {}", pack.info.name, pack.info.version),
                status: status_word(state).to_string(),
                exported_at: iso_time(ctx.unix_seconds()),
            };
            let text =
                export(&pack, &loaded.progress, lab, Some(&header)).map_err(CliError::usage)?;
            match output {
                None => super::emit(out, text.as_bytes()),
                Some(path) => {
                    std::fs::write(path, text)
                        .map_err(|e| CliError::failed(format!("{}: {e}", path.display())))?;
                    writeln!(
                        err,
                        "wrote {}: grade it with keyshake lab grade {}",
                        path.display(),
                        path.display()
                    )?;
                }
            }
        }
        LabCommand::Grade { .. } => {}
    }
    Ok(exit::OK)
}

/// A lab status in the export header's words.
fn status_word(state: LabState) -> &'static str {
    match state {
        LabState::Solved => "solved",
        LabState::InProgress => "in progress",
        LabState::NotStarted => "not started",
    }
}

/// Unix seconds as ISO 8601 in UTC: `2026-12-02T15:55:51Z`.
pub fn iso_time(unix: u64) -> String {
    let s = unix % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        crate::core::quiz::date_of_day(unix / 86_400),
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// One line per lab: its id, title, status and hints used.
pub fn list(pack: &Pack, progress: &Progress) -> String {
    let mut out = String::new();
    if pack.labs.is_empty() {
        out.push_str("This content pack has no labs.\n");
        return out;
    }
    let width = pack.labs.iter().map(|l| l.id.len()).max().unwrap_or(0);
    for lab in &pack.labs {
        let status = match progress.lab_status(&lab.id) {
            LabState::Solved => "solved ✓",
            LabState::InProgress => "in progress",
            LabState::NotStarted => "not started",
        };
        let hints = progress.labs.get(&lab.id).map_or(0, |p| p.hints_used);
        let _ = writeln!(
            out,
            "{:<width$}  {:<12} hints {hints}/{}  {}",
            lab.id,
            status,
            lab.hints.len(),
            lab.title
        );
    }
    out
}

/// The scenario text of the learner's work on lab `id`, or an error
/// message (unknown lab).
pub fn export(
    pack: &Pack,
    progress: &Progress,
    id: &str,
    header: Option<&ExportHeader>,
) -> Result<String, String> {
    let lab = pack.lab(id).ok_or_else(|| {
        let known: Vec<&str> = pack.labs.iter().map(|l| l.id.as_str()).collect();
        format!("no lab with id {id:?}; the labs are: {}", known.join(", "))
    })?;
    Ok(lab.export_scenario_with(&progress.saved_edits(lab), header))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::eval::evaluate_world;
    use crate::core::world::load_str;

    #[test]
    fn export_grades_the_learners_saved_work() {
        let pack = Pack::builtin().expect("built-in pack");
        let lab = pack.labs.first().expect("at least one lab");
        let mut progress = Progress::default();
        // Nothing saved: the starting state, which fails a goal.
        let start = export(&pack, &progress, &lab.id, None).expect("known lab");
        let world = load_str("start.toml", &start).expect("valid scenario");
        assert!(
            evaluate_world(&world)
                .iter()
                .any(|r| r.passed() == Some(false))
        );
        // The reference solution saved as the learner's work meets every goal.
        let saved: Vec<(String, String)> = lab
            .solution()
            .into_iter()
            .map(|(r, t)| (r.to_string(), t))
            .collect();
        progress.save_lab_work(&lab.id, &saved, 100);
        progress.mark_lab_solved(&lab.id, 120);
        let done = export(&pack, &progress, &lab.id, None).expect("known lab");
        let world = load_str("done.toml", &done).expect("valid scenario");
        assert!(
            evaluate_world(&world)
                .iter()
                .all(|r| r.passed() == Some(true))
        );
        let listing = list(&pack, &progress);
        assert!(
            listing
                .lines()
                .next()
                .is_some_and(|l| l.contains("solved ✓")),
            "{listing}"
        );
        assert!(
            export(&pack, &progress, "no-such-lab", None)
                .unwrap_err()
                .contains("the labs are")
        );
    }
}
