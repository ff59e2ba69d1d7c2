//! `keyshake progress`, `progress export` and `progress reset`, written
//! against readers and writers so they are tested without a terminal.
//! Each returns its exit status: 0 done, 1 declined; a progress file that
//! cannot be read or written is a [`CliError`].

use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::path::Path;

use super::{CliError, Context, ExportFormat, ProgressCommand, exit};
use crate::core::content::Pack;
use crate::core::mastery::Mastery;
use crate::core::progress::export::{Format, Report};
use crate::core::progress::{FileStore, Progress, ProgressStore, Summary, data_dir};
use crate::core::quiz::{QuizSummary, date_of_day, schedule::day_of};

/// Runs `keyshake progress [ACTION]` in the data folder of `ctx`.
pub fn run(
    action: Option<&ProgressCommand>,
    ctx: &mut Context<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, CliError> {
    let dir = data_dir(ctx.data_dir).map_err(CliError::data)?;
    let mut store = FileStore::new(dir);
    let now = ctx.unix_seconds();
    // A mistyped --profile: warn, and read nothing rather than create it.
    if !matches!(action, Some(ProgressCommand::Reset { .. })) && super::profiles::missing(ctx, err)?
    {
        let pack = super::load_pack(ctx.content)?;
        return match action {
            Some(ProgressCommand::Export { format, output }) => {
                let text = Report::new(&Progress::default(), &pack, ctx.profile, now)
                    .render((*format).into());
                write_export(&text, output.as_deref(), out, err)
            }
            _ => {
                writeln!(out, "No progress saved yet.\n")?;
                write!(out, "{}", summary_text(&Progress::default().summary(&pack)))?;
                Ok(exit::OK)
            }
        };
    }
    match action {
        Some(ProgressCommand::Reset { yes }) => reset(&mut store, *yes, now, ctx.input, out, err),
        Some(ProgressCommand::Settings {
            retention,
            exam_date,
            no_exam_date,
        }) => {
            let wanted = super::review::Wanted {
                retention: retention.as_deref(),
                exam_date: exam_date.as_deref(),
                no_exam_date: *no_exam_date,
            };
            super::review::settings(&mut store, wanted, now, out)
        }
        Some(ProgressCommand::Export { format, output }) => {
            let pack = super::load_pack(ctx.content)?;
            let target = Export {
                profile: ctx.profile,
                format: (*format).into(),
                output: output.as_deref(),
            };
            export(&mut store, &pack, &target, now, out, err)
        }
        None => {
            let pack = super::load_pack(ctx.content)?;
            show(&mut store, &pack, now, out, err)
        }
    }
}

/// Prints the progress summary of `store` for the course `pack`.
/// `now` is unix seconds (names a corrupt file if one is moved aside).
pub fn show(
    store: &mut FileStore,
    pack: &Pack,
    now: u64,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, CliError> {
    let existed = store.path().exists();
    let loaded = store.load(now).map_err(CliError::data)?;
    for w in &loaded.warnings {
        writeln!(err, "warning: {w}")?;
    }
    if let Some(w) = loaded.progress.pack_mismatch(pack) {
        writeln!(err, "warning: {w}")?;
    }
    writeln!(out, "Progress file: {}", store.path().display())?;
    if !existed {
        writeln!(out, "No progress saved yet.")?;
    }
    super::review::notice_once(store, &loaded.progress.quiz, now, out)?;
    writeln!(out)?;
    write!(out, "{}", summary_text(&loaded.progress.summary(pack)))?;
    let catalog = crate::core::drill::mastery_catalog();
    let mastery = Mastery::new(pack, &loaded.progress, &catalog, now);
    writeln!(out)?;
    write!(out, "{}", super::mastery::mastery_text(&mastery))?;
    if !loaded.progress.quiz.is_empty() {
        writeln!(out)?;
        write!(
            out,
            "{}",
            quiz_text(&loaded.progress.quiz.summary(pack, now))
        )?;
        write!(
            out,
            "{}",
            super::review::settings_text(&loaded.progress.quiz, now)
        )?;
    }
    Ok(exit::OK)
}

/// Where `keyshake progress export` writes, and how.
#[derive(Debug, Clone, Copy)]
pub struct Export<'a> {
    /// The profile named in the report; `None` for the default profile.
    pub profile: Option<&'a str>,
    /// JSON, CSV or Markdown.
    pub format: Format,
    /// The file to write; `None` for standard output.
    pub output: Option<&'a Path>,
}

/// Writes the results in `store` for `pack` as `target` says.
pub fn export(
    store: &mut FileStore,
    pack: &Pack,
    target: &Export<'_>,
    now: u64,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, CliError> {
    let loaded = store.load(now).map_err(CliError::data)?;
    for w in &loaded.warnings {
        writeln!(err, "warning: {w}")?;
    }
    if let Some(w) = loaded.progress.pack_mismatch(pack) {
        writeln!(err, "warning: {w}")?;
    }
    let text = Report::new(&loaded.progress, pack, target.profile, now).render(target.format);
    write_export(&text, target.output, out, err)
}

/// Writes `text` to `output` (saying so on `err`), or to `out`.
pub(crate) fn write_export(
    text: &str,
    output: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, CliError> {
    match output {
        None => out.write_all(text.as_bytes())?,
        Some(path) => {
            std::fs::write(path, text)
                .map_err(|e| CliError::failed(format!("{}: {e}", path.display())))?;
            writeln!(err, "wrote {}", path.display())?;
        }
    }
    Ok(exit::OK)
}

/// Erases the progress in `store`, keeping a backup whose path it prints.
/// Unless `yes`, asks on `out` and reads the answer from `input` (`y` or
/// `yes`, any case, confirms; anything else exits 1). `now` (unix seconds)
/// names the backup.
pub fn reset(
    store: &mut FileStore,
    yes: bool,
    now: u64,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    _err: &mut dyn Write,
) -> Result<u8, CliError> {
    if !yes {
        write!(
            out,
            "Reset all progress in {}? A backup copy is kept. [y/N] ",
            store.path().display()
        )?;
        out.flush()?;
        let mut answer = String::new();
        input.read_line(&mut answer)?;
        let answer = answer.trim().to_ascii_lowercase();
        if answer != "y" && answer != "yes" {
            writeln!(out, "Nothing was changed.")?;
            return Ok(exit::FAILED);
        }
    }
    match store.reset(now).map_err(CliError::data)? {
        Some(backup) => writeln!(
            out,
            "Progress reset. The old progress is kept in {}",
            backup.display()
        )?,
        None => writeln!(
            out,
            "Progress reset (there was no saved progress to back up)."
        )?,
    }
    Ok(exit::OK)
}

/// The table `keyshake progress` prints: per lesson the sections
/// completed, the checkpoints answered, and how many of those answers are
/// right; then the totals.
pub fn summary_text(s: &Summary) -> String {
    let width = s
        .lessons
        .iter()
        .map(|l| l.title.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let row = |title: &str, sections: &str, answered: &str, right: &str, first: &str| {
        format!("{title:<width$}  {sections:>8}  {answered:>8}  {right:>5}  {first:>9}\n")
    };
    let mut out = row("Lesson", "Sections", "Answered", "Right", "First try");
    for l in &s.lessons {
        let (answered, right, first) = if l.checkpoints_total == 0 {
            ("-".to_string(), "-".to_string(), "-".to_string())
        } else if l.checkpoints_answered == 0 {
            (
                format!("0/{}", l.checkpoints_total),
                "-".to_string(),
                "-".to_string(),
            )
        } else {
            (
                format!("{}/{}", l.checkpoints_answered, l.checkpoints_total),
                format!("{}/{}", l.checkpoints_right, l.checkpoints_answered),
                format!("{}/{}", l.checkpoints_first_right, l.checkpoints_answered),
            )
        };
        out.push_str(&row(
            &l.title,
            &format!("{}/{}", l.sections_completed, l.sections_total),
            &answered,
            &right,
            &first,
        ));
    }
    let answered: usize = s.lessons.iter().map(|l| l.checkpoints_answered).sum();
    let right: usize = s.lessons.iter().map(|l| l.checkpoints_right).sum();
    let first: usize = s.lessons.iter().map(|l| l.checkpoints_first_right).sum();
    let total: usize = s.lessons.iter().map(|l| l.checkpoints_total).sum();
    let _ = writeln!(
        out,
        "\nOverall: {}% ({} of {} sections completed)\nCheckpoints: {answered} of {total} answered, {right} right, {first} right at the first try",
        s.percent(),
        s.sections_completed(),
        s.sections_total()
    );
    if s.labs_total > 0 {
        let mut help = Vec::new();
        if s.labs_guided > 0 {
            help.push(format!("{} with the guided setting", s.labs_guided));
        }
        if s.labs_solution_shown > 0 {
            help.push(format!("{} with the solution shown", s.labs_solution_shown));
        }
        let help = if help.is_empty() {
            String::new()
        } else {
            format!(" ({})", help.join(", "))
        };
        let _ = writeln!(
            out,
            "Policy labs: {} of {} solved{help}",
            s.labs_solved, s.labs_total
        );
        if s.guided {
            out.push_str("Guided setting: on (labs explain each verdict at once)\n");
        }
    }
    if s.walkthrough_done {
        out.push_str("Envelope walkthrough: done\n");
    }
    if s.unknown_entries > 0 {
        let (entries, verb) = if s.unknown_entries == 1 {
            ("entry", "is")
        } else {
            ("entries", "are")
        };
        let _ = writeln!(
            out,
            "{} saved {entries} for content no longer in the course {verb} kept as is.",
            s.unknown_entries
        );
    }
    out
}

/// The lines `keyshake progress` prints about the quiz.
pub fn quiz_text(q: &QuizSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Quiz: {} questions answered ({} right at the first try), {} due for review today, {} missed (wrong last time).",
        q.learned, q.first_try.right, q.due_today, q.missed
    );
    let also: Vec<String> = [
        (q.checkpoints_due, "missed checkpoint"),
        (q.drills_due, "drilled misconception"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}{}", if n == 1 { "" } else { "s" }))
    .collect();
    if !also.is_empty() {
        let _ = writeln!(out, "Also due for review today: {}.", also.join(", "));
    }
    match q.best_exam {
        Some((percent, at)) => {
            let _ = writeln!(
                out,
                "Exams: {} taken, best {percent}% on {}.",
                q.exams_taken,
                date_of_day(day_of(at))
            );
        }
        None => out.push_str("Exams: none taken yet.\n"),
    }
    if q.exams_taken > 0 {
        out.push_str("Latest exam score per objective:\n");
        for (_, title, tally) in &q.last_by_objective {
            let _ = match tally {
                Some(t) => writeln!(
                    out,
                    "  {:>5} {:>4}%  {title}",
                    format!("{}/{}", t.right, t.total),
                    t.percent()
                ),
                None => writeln!(out, "  {:>5} {:>5}  {title}", "-", ""),
            };
        }
    }
    out
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Json => Format::Json,
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Markdown => Format::Markdown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::content::Objective;
    use crate::core::quiz::{ExamRecord, QuizProgress, Tally};

    const DAY: u64 = 86_400;

    #[test]
    fn quiz_lines_name_the_best_exam_and_every_objective() {
        let pack = Pack {
            objectives: vec![
                Objective {
                    id: "handshake".into(),
                    title: "Handshake".into(),
                },
                Objective {
                    id: "aliases".into(),
                    title: "Aliases".into(),
                },
            ],
            ..Pack::default()
        };
        let mut q = QuizProgress::default();
        assert_eq!(
            quiz_text(&q.summary(&pack, 0)),
            "Quiz: 0 questions answered (0 right at the first try), 0 due for review today, 0 missed (wrong last time).\nExams: none taken yet.\n"
        );
        let mut e = ExamRecord {
            at: 20_000 * DAY,
            percent: 75,
            ..ExamRecord::default()
        };
        e.objectives
            .insert("handshake".into(), Tally { right: 3, total: 4 });
        q.record_exam(e);
        assert_eq!(
            quiz_text(&q.summary(&pack, 0)),
            concat!(
                "Quiz: 0 questions answered (0 right at the first try), 0 due for review today, 0 missed (wrong last time).\n",
                "Exams: 1 taken, best 75% on 2024-10-04.\n",
                "Latest exam score per objective:\n",
                "    3/4   75%  Handshake\n",
                "      -        Aliases\n",
            )
        );
    }
}
