//! Exam controls an instructor sets in `pack.toml` (`[exam]`) or on the
//! command line: an attempt limit per seed, a default seed, and hiding
//! the answers and explanations of the score report (the score stays)
//! until a date or for good. Both front ends build exams through
//! [`super::build_seeded`], which applies them. A local, trust-based tool:
//! see docs/grading.md for what this does not prevent.

/// The exam controls. The default controls nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExamControls {
    /// How many exams one profile may start with the same seed.
    pub attempts: Option<u32>,
    /// The seed an exam uses when none is given.
    pub seed: Option<u64>,
    /// Hide the answers and explanations until the instructor allows them
    /// (takes this off).
    pub hide_review: bool,
    /// Hide them until this time (unix seconds).
    pub review_after: Option<u64>,
}

impl ExamControls {
    /// The stricter of `self` and `other` in each control: the lower
    /// attempt limit, hidden if either hides, the later review time;
    /// `self`'s seed first.
    pub fn merged(&self, other: &ExamControls) -> ExamControls {
        let min = |a: Option<u32>, b: Option<u32>| match (a, b) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
        ExamControls {
            attempts: min(self.attempts, other.attempts),
            seed: self.seed.or(other.seed),
            hide_review: self.hide_review || other.hide_review,
            review_after: self.review_after.max(other.review_after),
        }
    }

    /// Why the answers and explanations are not shown at `now`, or `None`
    /// when they are.
    pub fn review_hidden(&self, now: u64) -> Option<String> {
        if self.hide_review {
            return Some(
                "Answers and explanations are hidden until your instructor allows them.".into(),
            );
        }
        match self.review_after {
            Some(at) if now < at => Some(format!(
                "Answers and explanations are hidden until {} (UTC).",
                iso_minutes(at)
            )),
            _ => None,
        }
    }

    /// Whether one more exam with `seed` may start, given `taken` started
    /// already: `Err` says why not.
    pub fn allows_attempt(&self, seed: u64, taken: u32) -> Result<(), String> {
        match self.attempts {
            Some(limit) if taken >= limit => Err(format!(
                "no attempts left: the exam with seed {seed} allows {limit} attempt{} and this profile has started it {taken} time{}",
                if limit == 1 { "" } else { "s" },
                if taken == 1 { "" } else { "s" },
            )),
            _ => Ok(()),
        }
    }
}

/// `YYYY-MM-DD hh:mm` of a unix time, UTC.
fn iso_minutes(unix: u64) -> String {
    let s = unix % 86_400;
    format!(
        "{} {:02}:{:02}",
        super::date_of_day(unix / 86_400),
        s / 3600,
        s / 60 % 60
    )
}

/// Reads a `review_after` time: ISO 8601 (`2026-12-03T09:00:00Z`, a date,
/// or with an offset) or epoch seconds, as unix seconds.
pub fn parse_time(text: &str) -> Result<u64, String> {
    let nanos = crate::core::policy::condition::parse_instant(text.trim())?;
    u64::try_from(nanos / 1_000_000_000).map_err(|_| "the time is before 1970".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stricter_control_wins_and_review_waits_for_its_time() {
        let pack = ExamControls {
            attempts: Some(2),
            seed: Some(9),
            review_after: Some(1_000),
            ..ExamControls::default()
        };
        let cli = ExamControls {
            attempts: Some(1),
            review_after: Some(500),
            ..ExamControls::default()
        };
        let m = cli.merged(&pack);
        assert_eq!(
            (m.attempts, m.seed, m.review_after, m.hide_review),
            (Some(1), Some(9), Some(1_000), false)
        );
        assert!(
            m.review_hidden(999)
                .is_some_and(|t| t.contains("1970-01-01 00:16"))
        );
        assert_eq!(m.review_hidden(1_000), None);
        let hidden = ExamControls {
            hide_review: true,
            ..m
        };
        assert!(hidden.review_hidden(u64::MAX).is_some());
        assert!(hidden.allows_attempt(9, 0).is_ok());
        let e = hidden.allows_attempt(9, 1).unwrap_err();
        assert!(
            e.contains("allows 1 attempt and this profile has started it 1 time"),
            "{e}"
        );
        assert!(ExamControls::default().allows_attempt(9, 1_000).is_ok());
    }

    #[test]
    fn times_read_iso_8601_and_epoch_seconds() {
        assert_eq!(parse_time("2026-12-03T09:00:00Z"), Ok(1_796_288_400));
        assert_eq!(parse_time("2026-12-03T10:00:00+01:00"), Ok(1_796_288_400));
        assert_eq!(parse_time("1796288400"), Ok(1_796_288_400));
        assert!(parse_time("tomorrow").is_err());
    }
}
