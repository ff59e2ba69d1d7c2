//! `keyshake progress settings` (desired retention, exam date) and the
//! one-time notice about the move from SM-2 to FSRS, which every command
//! that reads the quiz record prints once.

use std::io::Write;

use super::{CliError, exit};
use crate::core::progress::{FileStore, Progress, ProgressStore};
use crate::core::quiz::schedule::{RETENTION_RANGE, day_of};
use crate::core::quiz::{QuizProgress, date_of_day, day_of_date};

/// What `progress settings` was asked to change.
#[derive(Debug, Clone, Copy, Default)]
pub struct Wanted<'a> {
    /// `--retention`, as typed.
    pub retention: Option<&'a str>,
    /// `--exam-date`, as typed.
    pub exam_date: Option<&'a str>,
    /// `--no-exam-date`.
    pub no_exam_date: bool,
}

/// Reads a desired retention as typed (`0.85`, or `85%`) into hundredths,
/// refusing values outside 0.70–0.97 with a message.
pub fn parse_retention(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let (lo, hi) = (*RETENTION_RANGE.start(), *RETENTION_RANGE.end());
    let refuse = || {
        format!(
            "the desired retention must be a number from 0.{lo} to 0.{hi} (got {:?}): below it reviews come too late, above it they multiply for little gain",
            crate::core::content::safe::neutralise(t)
        )
    };
    let value: f64 = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map_err(|_| refuse())? / 100.0,
        None => t.parse().map_err(|_| refuse())?,
    };
    let hundredths = (value * 100.0).round();
    if !value.is_finite() || (value * 100.0 - hundredths).abs() > 1e-6 {
        return Err(refuse());
    }
    let h = hundredths as i64;
    u32::try_from(h)
        .ok()
        .filter(|h| RETENTION_RANGE.contains(h))
        .ok_or_else(refuse)
}

/// Runs `keyshake progress settings`: changes what was asked (all or
/// nothing), then prints the settings in force.
pub fn settings(
    store: &mut FileStore,
    wanted: Wanted<'_>,
    now: u64,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    let retention = wanted
        .retention
        .map(parse_retention)
        .transpose()
        .map_err(|e| CliError::usage(format!("keyshake progress settings: {e}")))?;
    let exam_day = match wanted.exam_date {
        Some(text) => {
            let day = day_of_date(text).ok_or_else(|| {
                CliError::usage(format!(
                    "keyshake progress settings: the exam date must be a real date written YYYY-MM-DD (got {:?})",
                    crate::core::content::safe::neutralise(text)
                ))
            })?;
            if day < day_of(now) {
                return Err(CliError::usage(format!(
                    "keyshake progress settings: the exam date {} is in the past",
                    date_of_day(day)
                )));
            }
            Some(Some(day))
        }
        None if wanted.no_exam_date => Some(None),
        None => None,
    };
    let progress = if retention.is_some() || exam_day.is_some() {
        let mut change = |p: &mut Progress| {
            if let Some(r) = retention {
                p.quiz.retention = Some(r as f32 / 100.0);
            }
            if let Some(e) = exam_day {
                p.quiz.exam_day = e;
            }
        };
        store
            .update(now, &mut change)
            .map_err(CliError::data)?
            .progress
    } else {
        store.load(now).map_err(CliError::data)?.progress
    };
    write!(out, "{}", settings_text(&progress.quiz, now))?;
    Ok(exit::OK)
}

/// The review settings and the next review, as `progress` prints them.
pub fn settings_text(q: &QuizProgress, now: u64) -> String {
    let exam = match q.exam_day {
        Some(day) if day >= day_of(now) => format!(
            "{} (UTC), in {} days: every card comes up before it",
            date_of_day(day),
            day - day_of(now)
        ),
        Some(day) => format!("{} (past)", date_of_day(day)),
        None => "none".to_string(),
    };
    let next = match (q.due(now).len(), q.next_due_day(now)) {
        (0, Some(day)) => format!("next review on {} (UTC)", date_of_day(day)),
        (0, None) => "nothing scheduled yet".to_string(),
        (n, _) => format!("{n} due today"),
    };
    format!(
        "Review (FSRS-6): desired retention {:.2}, exam date {exam}; {next}.\n",
        q.desired_retention()
    )
}

/// Prints the one-time notice about the move to FSRS, if it was not shown
/// yet, and records that it was (a folder that cannot be written shows it
/// again next time).
pub fn notice_once(
    store: &mut dyn ProgressStore,
    quiz: &QuizProgress,
    now: u64,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if let Some(text) = quiz.pending_notice() {
        writeln!(out, "{text}")?;
        let mut seen = |p: &mut Progress| {
            if let Some(m) = p.quiz.migration.as_mut() {
                m.noticed = true;
            }
        };
        // Saving the mark is best effort: the notice is only a courtesy.
        let _ = store.update(now, &mut seen);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_is_refused_outside_0_70_to_0_97() {
        assert_eq!(parse_retention("0.9"), Ok(90));
        assert_eq!(parse_retention("0.70"), Ok(70));
        assert_eq!(parse_retention(" 0.97 "), Ok(97));
        assert_eq!(parse_retention("85%"), Ok(85));
        for bad in [
            "0.69", "0.98", "1", "0", "-0.8", "nan", "inf", "0.855", "", "x",
        ] {
            let e = parse_retention(bad).expect_err(bad);
            assert!(e.contains("0.70 to 0.97"), "{bad}: {e}");
        }
    }
}
