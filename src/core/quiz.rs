//! The quiz: building a quiz from the question bank for a mode, taking it
//! ([`Session`]), scoring it ([`ExamReport`]), scheduling reviews with FSRS
//! ([`schedule`]) and what is kept in the progress file ([`QuizProgress`]).
//!
//! Modes:
//! - [`Mode::Practice`]: questions of the chosen objectives, one at a time,
//!   each checked at once.
//! - [`Mode::Exam`]: N questions (default 20) spread over the objectives,
//!   under a timer (default 30 minutes), answers changeable and flaggable
//!   until submitted, scored against a pass mark (default 72%).
//! - [`Mode::Review`]: the cards due today: bank questions and missed
//!   checkpoints (with an exam date, also a share of the questions never
//!   answered, so each is seen once before the exam).
//! - [`Mode::Cram`]: review ahead: the cards due soonest, answered without
//!   moving the schedule.
//! - [`Mode::Missed`]: the questions whose latest answer was wrong, the
//!   most recent first.
//!
//! Questions and choices are shuffled with the `rand` generator the caller
//! passes in; [`build_seeded`] uses a [`StdRng`] seeded from a number, so
//! the same seed, bank and progress give the same quiz. (`StdRng`'s stream
//! is fixed for a given `rand` release, which `Cargo.lock` pins: everyone
//! running one keyshake build gets the same quiz from one seed.)

pub mod attempts;
pub mod controls;
pub mod labels;
pub mod past;
pub mod record;
pub mod report;
mod review;
pub mod scenario_view;
pub mod schedule;
pub mod session;

use std::collections::{BTreeMap, HashSet};

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::core::content::{Pack, Question, QuestionKind};

pub use record::{AnswerRecord, ExamRecord, QuizProgress, QuizSummary, Tally};
pub use report::{ExamReport, ObjectiveLine, ReviewEntry};
pub use schedule::{Card, date_of_day, day_of_date};
pub use session::{
    AnswerError, Answered, Cell, End, Given, Item, Response, Session, Submission, TimerEvent,
};

/// How a quiz is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// One question at a time, checked at once.
    Practice,
    /// Timed, checked at the end.
    Exam,
    /// Questions due for spaced-repetition review today.
    Review,
    /// Questions answered wrong most recently.
    Missed,
    /// Review ahead: the cards due soonest, without changing the schedule.
    Cram,
}

impl Mode {
    /// Every mode.
    pub const ALL: [Mode; 5] = [
        Mode::Practice,
        Mode::Exam,
        Mode::Review,
        Mode::Missed,
        Mode::Cram,
    ];

    /// The word used on the command line and in the progress file.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Practice => "practice",
            Mode::Exam => "exam",
            Mode::Review => "review",
            Mode::Missed => "missed",
            Mode::Cram => record::CRAM_MODE,
        }
    }

    /// The mode's title as front ends show it ("Practice").
    pub fn title(self) -> &'static str {
        match self {
            Mode::Practice => "Practice",
            Mode::Exam => "Exam",
            Mode::Review => "Review",
            Mode::Missed => "Missed",
            Mode::Cram => "Cram",
        }
    }

    /// What the mode is, in one line starting in lower case ("timed,
    /// checked at the end, ...").
    pub fn blurb(self) -> &'static str {
        match self {
            Mode::Practice => "one question at a time, checked at once, with the explanation",
            Mode::Exam => "timed, checked at the end, with a score report",
            Mode::Review => "the questions due today on your review schedule",
            Mode::Missed => "the questions you got wrong last time, until you get them right",
            Mode::Cram => "review ahead: the cards due soonest, without changing your schedule",
        }
    }

    /// Reads a mode's name.
    pub fn from_name(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == name)
    }

    /// How many questions the mode asks when no count is given (`None`:
    /// every eligible question).
    pub fn default_count(self) -> Option<usize> {
        match self {
            Mode::Practice | Mode::Cram => Some(10),
            Mode::Exam => Some(20),
            Mode::Review | Mode::Missed => None,
        }
    }
}

/// The default exam length in questions.
pub const DEFAULT_EXAM_QUESTIONS: usize = 20;
/// The default exam time in minutes.
pub const DEFAULT_EXAM_MINUTES: u64 = 30;
/// The default pass mark in percent.
pub const DEFAULT_PASS_MARK: u32 = 72;
/// The longest exam in minutes (a day): a longer time is refused, so no
/// timer arithmetic can overflow.
pub const MAX_EXAM_MINUTES: u64 = 24 * 60;
/// How many recent quizzes a new practice or exam draw avoids: questions
/// asked in them come only after every other eligible question.
pub const RECENT_QUIZZES: usize = 3;
/// The stem every policy question ends with. One stem for all of them, so
/// the wording never hints at the verdict.
pub const POLICY_STEM: &str = "What does AWS decide for this request?";

/// What quiz to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The mode.
    pub mode: Mode,
    /// How many questions (default: [`Mode::default_count`]).
    pub count: Option<usize>,
    /// Only questions tagged with one of these objective ids (empty: all).
    pub objectives: Vec<String>,
    /// Exam time in minutes.
    pub exam_minutes: u64,
    /// Exam pass mark in percent (1 to 100).
    pub pass_mark: u32,
    /// Exam controls given on the command line (the pack's `[exam]`
    /// table adds its own; the stricter wins).
    pub controls: controls::ExamControls,
}

impl Settings {
    /// Default settings for `mode`.
    pub fn new(mode: Mode) -> Settings {
        Settings {
            mode,
            count: None,
            objectives: Vec::new(),
            exam_minutes: DEFAULT_EXAM_MINUTES,
            pass_mark: DEFAULT_PASS_MARK,
            controls: controls::ExamControls::default(),
        }
    }
}

/// Why no quiz could be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// An objective id that the pack does not have.
    #[error("unknown objective {id:?}; the objectives are: {}", known.join(", "))]
    UnknownObjective {
        /// The id given.
        id: String,
        /// The pack's objective ids.
        known: Vec<String>,
    },
    /// `--count 0`.
    #[error("the number of questions must be at least 1")]
    ZeroCount,
    /// A pass mark outside 1..=100.
    #[error("the pass mark must be between 1 and 100 percent (got {0})")]
    PassMark(u32),
    /// An exam of zero minutes.
    #[error("the exam time must be at least 1 minute")]
    ZeroMinutes,
    /// An exam longer than [`MAX_EXAM_MINUTES`].
    #[error("the exam time must be at most {MAX_EXAM_MINUTES} minutes (got {0})")]
    TooManyMinutes(u64),
    /// No question matches the objectives.
    #[error("no question in the bank matches those objectives")]
    NoQuestions,
    /// Review mode with nothing due.
    #[error("{}", nothing_due(*.next_due_day, *.learned))]
    NothingDue {
        /// The next UTC day a question is due, if any is scheduled.
        next_due_day: Option<u64>,
        /// Questions answered at least once.
        learned: usize,
    },
    /// Missed mode with nothing missed.
    #[error(
        "no missed questions: every question you answered was right the last time (practice some more first)"
    )]
    NothingMissed,
    /// The exam's attempt limit for this seed is reached.
    #[error("{0}")]
    NoAttemptsLeft(String),
}

/// What to do instead when nothing is due, on the command line.
pub const INSTEAD: &str = "review ahead with cram (keyshake quiz --mode cram: nothing on your schedule moves) or take a drill (keyshake drill)";

fn nothing_due(next: Option<u64>, learned: usize) -> String {
    if learned == 0 {
        next_review_text(next, learned)
    } else {
        format!("{}. Or {INSTEAD}", next_review_text(next, learned))
    }
}

/// When the next review is, for a review quiz with nothing due (both
/// front ends add what to do instead).
pub fn next_review_text(next: Option<u64>, learned: usize) -> String {
    match next {
        _ if learned == 0 => {
            "nothing to review yet: questions join the review schedule once you answer them in practice or an exam".to_string()
        }
        Some(day) => format!(
            "nothing is due for review today; the next review is on {} (UTC)",
            date_of_day(day)
        ),
        None => "nothing is due for review today".to_string(),
    }
}

/// A quiz seed for when the learner gave none, from the clock's reading
/// `since_epoch`: its sub-second part, kept below 1,000,000 so the printed
/// seed is short enough to type back with `--seed`. The core reads no clock
/// itself, so both front ends pass their one reading in.
pub fn fresh_seed(since_epoch: std::time::Duration) -> u64 {
    u64::from(since_epoch.subsec_nanos()) % 1_000_000
}

/// Builds a quiz for `settings` from the bank of `pack`, the learner's
/// `progress` (review and missed modes) and the generator `rng`, starting
/// at `now` (unix seconds).
pub fn build(
    pack: &Pack,
    progress: &QuizProgress,
    settings: &Settings,
    now: u64,
    rng: &mut impl rand::Rng,
) -> Result<Session, BuildError> {
    build_inner(pack, progress, settings, now, rng, None)
}

/// [`build`] with a [`StdRng`] seeded from `seed`; the session remembers
/// the seed (exam results store it, so a class can retake the same exam).
pub fn build_seeded(
    pack: &Pack,
    progress: &QuizProgress,
    settings: &Settings,
    now: u64,
    seed: u64,
) -> Result<Session, BuildError> {
    let mut rng = StdRng::seed_from_u64(seed);
    build_inner(pack, progress, settings, now, &mut rng, Some(seed))
}

fn build_inner(
    pack: &Pack,
    progress: &QuizProgress,
    settings: &Settings,
    now: u64,
    rng: &mut impl rand::Rng,
    seed: Option<u64>,
) -> Result<Session, BuildError> {
    for id in &settings.objectives {
        if pack.objective(id).is_none() {
            return Err(BuildError::UnknownObjective {
                id: id.clone(),
                known: pack.objectives.iter().map(|o| o.id.clone()).collect(),
            });
        }
    }
    if settings.count == Some(0) {
        return Err(BuildError::ZeroCount);
    }
    if settings.mode == Mode::Exam {
        if !(1..=100).contains(&settings.pass_mark) {
            return Err(BuildError::PassMark(settings.pass_mark));
        }
        if settings.exam_minutes == 0 {
            return Err(BuildError::ZeroMinutes);
        }
        if settings.exam_minutes > MAX_EXAM_MINUTES {
            return Err(BuildError::TooManyMinutes(settings.exam_minutes));
        }
    }
    let controls = settings.controls.merged(&pack.info.exam);
    if settings.mode == Mode::Exam
        && let Some(seed) = seed
    {
        controls
            .allows_attempt(seed, progress.attempts(seed))
            .map_err(BuildError::NoAttemptsLeft)?;
    }
    let pool: Vec<&Question> = pack
        .questions
        .iter()
        .filter(|q| {
            settings.objectives.is_empty()
                || q.objectives.iter().any(|o| settings.objectives.contains(o))
        })
        .collect();
    if pool.is_empty() {
        return Err(BuildError::NoQuestions);
    }
    let count = settings.count.or(settings.mode.default_count());
    let chosen: Vec<Question> = match settings.mode {
        Mode::Practice | Mode::Exam => {
            // A seeded exam is the same draw for everyone (and for the
            // instructor's answer key), whatever each one practised.
            let recent = if settings.mode == Mode::Exam && seed.is_some() {
                Default::default()
            } else {
                progress.recent_questions(RECENT_QUIZZES)
            };
            let n = count.unwrap_or(DEFAULT_EXAM_QUESTIONS);
            spread(pool, n, &settings.objectives, &recent, rng)
                .into_iter()
                .cloned()
                .collect()
        }
        Mode::Review => {
            let mut pool = review::due_pool(pack, progress, &settings.objectives, pool, now);
            if pool.is_empty() {
                return Err(BuildError::NothingDue {
                    next_due_day: progress.next_due_day(now),
                    learned: progress.schedule.len(),
                });
            }
            pool.shuffle(rng);
            pool.truncate(count.unwrap_or(usize::MAX));
            pool
        }
        Mode::Cram => {
            let pool = review::ahead_pool(pack, progress, &settings.objectives, pool, now);
            if pool.is_empty() {
                return Err(BuildError::NothingDue {
                    next_due_day: None,
                    learned: 0,
                });
            }
            let mut pool: Vec<Question> =
                pool.into_iter().take(count.unwrap_or(usize::MAX)).collect();
            pool.shuffle(rng);
            pool
        }
        Mode::Missed => {
            let mut missed: Vec<&Question> = progress
                .missed()
                .into_iter()
                .filter_map(|id| pool.iter().find(|q| q.id == id).copied())
                .collect();
            if missed.is_empty() {
                return Err(BuildError::NothingMissed);
            }
            missed.truncate(count.unwrap_or(usize::MAX));
            missed.shuffle(rng);
            missed.into_iter().cloned().collect()
        }
    };
    let items = chosen
        .into_iter()
        .map(|q| {
            let mut order: Vec<usize> = (0..q.choices.len()).collect();
            // True/false keeps "True, False"; policy questions have no choices.
            if matches!(q.kind, QuestionKind::Single | QuestionKind::Multiple) {
                order.shuffle(rng);
            }
            Item { question: q, order }
        })
        .collect();
    let mut session = Session::new(
        settings.mode,
        items,
        pack.objectives.clone(),
        (settings.exam_minutes.saturating_mul(60), settings.pass_mark),
        seed,
        now,
    );
    if settings.mode == Mode::Exam {
        session.controls = controls;
    }
    Ok(session)
}

/// Picks `count` questions spread over the objectives picked (all of the
/// pack's when none were): each question is grouped under the first of its
/// objectives that was picked, each group shuffled, then questions are taken
/// one per group in turn (groups in a shuffled order), and the result
/// shuffled. So a 20-question exam over 8 objectives asks 2 or 3 about each.
/// Questions in `recent` (asked in the last few quizzes) are drawn only once
/// no other question is left, so a retake asks new questions where the bank
/// has enough of them.
fn spread<'q>(
    pool: Vec<&'q Question>,
    count: usize,
    picked_objectives: &[String],
    recent: &HashSet<&str>,
    rng: &mut impl rand::Rng,
) -> Vec<&'q Question> {
    let (fresh, old): (Vec<&Question>, Vec<&Question>) = pool
        .into_iter()
        .partition(|q| !recent.contains(q.id.as_str()));
    let mut picked = round_robin(fresh, count, picked_objectives, rng);
    if picked.len() < count {
        let more = round_robin(old, count - picked.len(), picked_objectives, rng);
        picked.extend(more);
    }
    picked.shuffle(rng);
    picked
}

/// Up to `count` questions of `pool`, one per objective group in turn.
fn round_robin<'q>(
    pool: Vec<&'q Question>,
    count: usize,
    picked_objectives: &[String],
    rng: &mut impl rand::Rng,
) -> Vec<&'q Question> {
    let mut groups: BTreeMap<&str, Vec<&Question>> = BTreeMap::new();
    for q in pool {
        let key = q
            .objectives
            .iter()
            .find(|o| picked_objectives.is_empty() || picked_objectives.contains(o))
            .map_or("", String::as_str);
        groups.entry(key).or_default().push(q);
    }
    let mut groups: Vec<Vec<&Question>> = groups.into_values().collect();
    for g in &mut groups {
        g.shuffle(rng);
    }
    groups.shuffle(rng);
    let mut picked = Vec::new();
    let mut round = 0;
    while picked.len() < count {
        let mut any = false;
        for g in &groups {
            if let Some(q) = g.get(round) {
                any = true;
                if picked.len() < count {
                    picked.push(*q);
                }
            }
        }
        if !any {
            break;
        }
        round += 1;
    }
    picked
}

/// The order a checkpoint's choices are shown in for the learner whose
/// seed is `seed`: position `i` on screen shows choice `order[i]` of the
/// file. Single- and multiple-choice checkpoints are shuffled as the bank's
/// questions are; true/false keeps "True, False". The order depends only on
/// the seed and the checkpoint's id and choices, so it is the same after a
/// restart, and answers are kept as file indexes, never as positions.
pub fn checkpoint_order(seed: u64, q: &Question) -> Vec<usize> {
    let mut order: Vec<usize> = (0..q.choices.len()).collect();
    if matches!(q.kind, QuestionKind::Single | QuestionKind::Multiple) {
        let mut rng = StdRng::seed_from_u64(seed ^ fnv1a(q.id.as_bytes()));
        order.shuffle(&mut rng);
    }
    order
}

/// A seed for a learner who has none yet, from the clock's reading (unix
/// seconds): mixed so that nearby times give unrelated orders.
pub fn learner_seed(now: u64) -> u64 {
    fnv1a(&now.to_le_bytes())
}

/// FNV-1a: a small stable hash (std's hasher may change between releases,
/// which would reshuffle every learner's checkpoints).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests;

/// A duration as `m:ss` (or `h:mm:ss`), as the exam timer shows it.
pub fn clock_text(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Sorted question numbers as ranges: `1, 2, 3, 5, 7, 8` → `1-3, 5, 7-8`.
pub fn ranges(nums: &[usize]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while let Some(&start) = nums.get(i) {
        let mut end = start;
        while nums.get(i + 1) == Some(&(end + 1)) {
            end += 1;
            i += 1;
        }
        parts.push(if end == start {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(", ")
}
