//! What a learner has done: sections seen and completed, where they were,
//! and how they answered checkpoints.
//!
//! [`Progress`] is the data, with small mutation methods that the TUI calls
//! inside [`FileStore::update`] (so two processes never lose each other's
//! changes). Everything is keyed by content ids; entries whose ids are no
//! longer in the course are kept untouched, and so are fields this version
//! does not know (a newer keyshake may have written them).
//!
//! Growing the schema: a later feature (quiz answers and scheduling, lab
//! state, exam results) adds a top-level field with `#[serde(default)]`;
//! older files load with the default and older keyshake versions keep the
//! field untouched through [`Progress::extra`], so no version bump is needed.
//! Bump [`SCHEMA_VERSION`] only when an existing field changes meaning, and
//! add a step to [`upgrade`].
//!
//! Every [`FileStore::update`] locks, re-reads and fsyncs, so callers save
//! at moments that matter (a section completed, a checkpoint answered,
//! leaving a lesson) rather than on every scroll step.

pub mod change;
pub mod export;
mod salvage;
pub(crate) mod store;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::core::content::{Lab, Pack, PolicyRef};
use crate::core::quiz::QuizProgress;

pub use store::{
    FileStore, Loaded, MAX_PROFILE_LEN, MemStore, ProgressStore, StoreError, StoreWarning,
    check_profile, data_dir, profile_dir,
};

/// The envelope walkthrough's id in [`Progress::walkthroughs`].
pub const ENVELOPE_WALKTHROUGH: &str = "envelope";

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole progress file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Schema version of the file (see [`SCHEMA_VERSION`]).
    pub version: u32,
    /// Per lesson id.
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
    /// Where the learner was last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Position>,
    /// The latest answer to each checkpoint, by checkpoint id.
    #[serde(default)]
    pub checkpoints: BTreeMap<String, CheckpointRecord>,
    /// Quiz answers, review schedule and exam results (see
    /// [`crate::core::quiz::record`]); left out of the file while empty.
    #[serde(default, skip_serializing_if = "QuizProgress::is_empty")]
    pub quiz: QuizProgress,
    /// Work in the policy labs, by lab id; left out of the file while empty.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labs: BTreeMap<String, LabProgress>,
    /// Walkthroughs finished (the envelope walkthrough's id is
    /// `envelope`), with when they were first finished (Unix seconds).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub walkthroughs: BTreeMap<String, u64>,
    /// The learner's own seed for shuffling checkpoint choices (see
    /// [`crate::core::quiz::checkpoint_order`]): kept so the order stays the
    /// same across restarts, and differs from one learner to the next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The learner's "guided" setting: a course lab shows the sentence
    /// that explains each verdict at once, rather than as a hint level.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub guided: bool,
    /// The pack this progress was first saved with (absent in files
    /// written before it was kept): exports warn when a different pack is
    /// used to read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<PackStamp>,
    /// Top-level fields this version does not know (kept as they are).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Which pack a progress file belongs to: its name, version and content
/// hash, and when it was first used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackStamp {
    /// From `pack.toml` (`keyshake` for the built-in pack).
    pub name: String,
    /// From `pack.toml`.
    #[serde(default)]
    pub version: String,
    /// The pack's content hash (see [`crate::core::content::PackInfo::hash`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hash: String,
    /// When progress was first saved with it (unix seconds).
    #[serde(default)]
    pub first_used: u64,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PackStamp {
    /// The stamp of `pack`, first used at `now`.
    pub fn of(pack: &Pack, now: u64) -> PackStamp {
        PackStamp {
            name: pack.info.name.clone(),
            version: pack.info.version.clone(),
            hash: pack.info.hash.clone(),
            first_used: now,
            extra: Map::new(),
        }
    }

    /// Whether `pack` is the pack this stamp names: the same name and
    /// version, and the same content when both hashes are known.
    pub fn matches(&self, pack: &Pack) -> bool {
        self.name == pack.info.name
            && self.version == pack.info.version
            && (self.hash.is_empty() || pack.info.hash.is_empty() || self.hash == pack.info.hash)
    }

    /// `NAME VERSION (HASH)`, for warnings that name two packs.
    pub fn describe(&self) -> String {
        describe_pack(&self.name, &self.version, &self.hash)
    }
}

/// `NAME VERSION (HASH)`: how a warning names a pack.
pub fn describe_pack(name: &str, version: &str, hash: &str) -> String {
    let mut s = format!("{name} {version}");
    if !hash.is_empty() {
        s.push_str(&format!(" (content {hash})"));
    }
    s
}

impl Progress {
    /// Records `pack` as this progress's pack, the first time only.
    pub fn stamp_pack(&mut self, pack: &Pack, now: u64) {
        if self.pack.is_none() {
            self.pack = Some(PackStamp::of(pack, now));
        }
    }

    /// A warning when this progress was made with another pack than
    /// `pack` (naming both), `None` when they match or nothing was kept.
    pub fn pack_mismatch(&self, pack: &Pack) -> Option<String> {
        let stamp = self.pack.as_ref()?;
        (!stamp.matches(pack)).then(|| {
            format!(
                "this progress was made with pack {}, but the pack in use is {}; lessons, labs and objectives of the other pack are not counted",
                stamp.describe(),
                describe_pack(&pack.info.name, &pack.info.version, &pack.info.hash)
            )
        })
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            version: SCHEMA_VERSION,
            lessons: BTreeMap::new(),
            last: None,
            checkpoints: BTreeMap::new(),
            quiz: QuizProgress::default(),
            labs: BTreeMap::new(),
            walkthroughs: BTreeMap::new(),
            seed: None,
            guided: false,
            pack: None,
            extra: Map::new(),
        }
    }
}

/// The most hint levels a lab can have; a file claiming more was not
/// written by keyshake, and that part is dropped when it is read.
pub const MAX_HINT_LEVELS: u32 = 1000;

fn hint_count<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let value = u32::deserialize(d)?;
    if value > MAX_HINT_LEVELS {
        return Err(serde::de::Error::custom(format!(
            "{value} hints is more than any lab has"
        )));
    }
    Ok(value)
}

/// A learner's work in one policy lab.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LabProgress {
    /// When the lab was first opened (unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<u64>,
    /// When every goal was first met (unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solved_at: Option<u64>,
    /// How many hints were revealed.
    #[serde(default, deserialize_with = "hint_count")]
    pub hints_used: u32,
    /// The last hint level, the verified fix, was shown: the learner saw
    /// a solution.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub solution_shown: bool,
    /// Worked on with the guided setting on (the verdicts' sentences were
    /// shown without being asked for).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub guided: bool,
    /// The learner's current text of each edited policy, by the policy's
    /// name in the lab (`key:ARN`, `identity:ARN#1`, `bucket:NAME`, ...).
    #[serde(default)]
    pub policies: BTreeMap<String, String>,
    /// Fields this version does not know (kept as they are).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where a learner stands in one lab, as the course map and
/// `keyshake lab list` both show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabState {
    /// Never opened for work: no edit, hint or solve recorded.
    NotStarted,
    /// Worked on (an edit saved or a hint revealed) but not yet solved.
    InProgress,
    /// Every goal was met at least once.
    Solved,
}

impl LabProgress {
    /// The lab's state. "In progress" means the learner did something in
    /// it (every such action records `started`), so a lab where only a hint
    /// was revealed counts, and a reset lab stays in progress.
    pub fn status(&self) -> LabState {
        if self.solved_at.is_some() {
            LabState::Solved
        } else if self.started.is_some() || !self.policies.is_empty() {
            LabState::InProgress
        } else {
            LabState::NotStarted
        }
    }
}

impl Progress {
    /// Saves the learner's current policy texts for a lab (the editor calls
    /// this on every change that matters, so reopening shows their work).
    pub fn save_lab_work(&mut self, lab: &str, policies: &[(String, String)], now: u64) {
        let guided = self.guided;
        let entry = self.labs.entry(lab.to_string()).or_default();
        entry.started.get_or_insert(now);
        entry.guided |= guided;
        for (name, text) in policies {
            entry.policies.insert(name.clone(), text.clone());
        }
    }

    /// Records that every goal of a lab is met (the first time counts).
    pub fn mark_lab_solved(&mut self, lab: &str, now: u64) {
        let guided = self.guided;
        let entry = self.labs.entry(lab.to_string()).or_default();
        entry.started.get_or_insert(now);
        entry.guided |= guided && entry.solved_at.is_none();
        entry.solved_at.get_or_insert(now);
    }

    /// A walkthrough was finished (the first time is kept).
    pub fn complete_walkthrough(&mut self, id: &str, now: u64) {
        self.walkthroughs.entry(id.to_string()).or_insert(now);
    }

    /// The state of lab `id` (not started when nothing was recorded).
    pub fn lab_status(&self, id: &str) -> LabState {
        self.labs
            .get(id)
            .map_or(LabState::NotStarted, LabProgress::status)
    }

    /// Reveals one more hint of a lab; returns how many are now shown.
    pub fn reveal_hint(&mut self, lab: &str, available: u32, now: u64) -> u32 {
        let entry = self.labs.entry(lab.to_string()).or_default();
        entry.started.get_or_insert(now);
        entry.hints_used = entry.hints_used.saturating_add(1).min(available);
        entry.hints_used
    }

    /// The lab's verified fix (its last hint level) was shown.
    pub fn show_solution(&mut self, lab: &str, now: u64) {
        let entry = self.labs.entry(lab.to_string()).or_default();
        entry.started.get_or_insert(now);
        entry.solution_shown = true;
    }

    /// Forgets a lab's edited policies (back to the starting state); keeps
    /// when it was solved and the hints used, which happened.
    pub fn reset_lab(&mut self, lab: &str) {
        if let Some(entry) = self.labs.get_mut(lab) {
            entry.policies.clear();
        }
    }
}

/// Progress in one lesson.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LessonProgress {
    /// When the lesson was first opened (unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<u64>,
    /// When the last of its sections was completed (unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<u64>,
    /// Per section id.
    #[serde(default)]
    pub sections: BTreeMap<String, SectionProgress>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Progress in one section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SectionProgress {
    /// The section was shown.
    #[serde(default)]
    pub seen: bool,
    /// The learner finished it (read to the end / answered its checkpoints).
    #[serde(default)]
    pub completed: bool,
    /// When it was completed (unix seconds); absent for upgraded records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<u64>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A place in the course to continue from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Lesson id.
    pub lesson: String,
    /// Section id, if the learner was inside one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Scroll offset in lines.
    #[serde(default)]
    pub scroll: u32,
}

/// The latest answer to one checkpoint, and the first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckpointRecord {
    /// The chosen choices as 0-based indexes in the file's order (the
    /// choice's identity, not the shuffled position it was shown at).
    pub chosen: Vec<usize>,
    /// Whether that answer was right.
    pub correct: bool,
    /// When it was given (unix seconds).
    pub at: u64,
    /// How many times the checkpoint was answered.
    #[serde(default)]
    pub attempts: u32,
    /// The first answer ever given; a retry never changes it, so a wrong
    /// first answer stays wrong in the first-try score even after the
    /// learner picks the answer that was revealed. Files written before it
    /// was kept have none: see [`CheckpointRecord::first_try_right`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<FirstAnswer>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The first answer to a checkpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstAnswer {
    /// The chosen choices as 0-based indexes in the file's order.
    pub chosen: Vec<usize>,
    /// Whether it was right.
    pub correct: bool,
    /// When it was given (unix seconds).
    pub at: u64,
}

impl CheckpointRecord {
    /// Whether the first answer was right. A record from an older file
    /// without a first answer counts only when it was answered once (then
    /// the latest answer is the first); after several attempts the first is
    /// unknown and is not counted as right, so no score is inflated.
    pub fn first_try_right(&self) -> bool {
        match &self.first {
            Some(f) => f.correct,
            None => self.attempts <= 1 && self.correct,
        }
    }
}

impl Progress {
    /// The learner's saved edits of `lab` (names the lab no longer has are
    /// skipped: the content may have changed since).
    pub fn saved_edits(&self, lab: &Lab) -> Vec<(PolicyRef, String)> {
        self.labs
            .get(&lab.id)
            .map(|p| {
                p.policies
                    .iter()
                    .filter_map(|(name, text)| {
                        let r = PolicyRef::parse(name).ok()?;
                        lab.editable(&r).map(|_| (r, text.clone()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Progress {
    /// Records that a lesson (and, if given, a section of it) was shown.
    pub fn mark_seen(&mut self, lesson: &str, section: Option<&str>, now: u64) {
        let l = self.lessons.entry(lesson.to_string()).or_default();
        l.first_seen.get_or_insert(now);
        if let Some(section) = section {
            l.sections.entry(section.to_string()).or_default().seen = true;
        }
    }

    /// Records that a section was completed. When `pack` says every section
    /// of the lesson is now complete, the lesson is marked complete too.
    pub fn complete_section(&mut self, pack: &Pack, lesson: &str, section: &str, now: u64) {
        self.mark_seen(lesson, Some(section), now);
        let l = self.lessons.entry(lesson.to_string()).or_default();
        let s = l.sections.entry(section.to_string()).or_default();
        if !s.completed {
            s.completed = true;
            s.completed_at = Some(now);
        }
        if let Some(content) = pack.lesson(lesson)
            && content
                .sections
                .iter()
                .all(|cs| l.sections.get(&cs.id).is_some_and(|p| p.completed))
        {
            l.completed_at.get_or_insert(now);
        }
    }

    /// Remembers where the learner is.
    pub fn set_position(&mut self, lesson: &str, section: Option<&str>, scroll: u32) {
        self.last = Some(Position {
            lesson: lesson.to_string(),
            section: section.map(str::to_string),
            scroll,
        });
    }

    /// Records an answer to a checkpoint (the latest answer replaces the
    /// previous one; the attempt count goes up; the first answer is kept
    /// once and never replaced).
    pub fn record_checkpoint(&mut self, id: &str, chosen: &[usize], correct: bool, now: u64) {
        let r = self.checkpoints.entry(id.to_string()).or_default();
        if r.first.is_none() {
            // An older record answered once: its latest answer is the first.
            r.first = Some(if r.attempts == 1 {
                FirstAnswer {
                    chosen: r.chosen.clone(),
                    correct: r.correct,
                    at: r.at,
                }
            } else {
                FirstAnswer {
                    chosen: chosen.to_vec(),
                    correct: correct && r.attempts == 0,
                    at: now,
                }
            });
        }
        r.chosen = chosen.to_vec();
        r.correct = correct;
        r.at = now;
        r.attempts = r.attempts.saturating_add(1);
        self.quiz.schedule_checkpoint(id, correct, now);
    }

    /// Whether a section is complete.
    pub fn section_completed(&self, lesson: &str, section: &str) -> bool {
        self.lessons
            .get(lesson)
            .and_then(|l| l.sections.get(section))
            .is_some_and(|s| s.completed)
    }

    /// Whether a section was shown.
    pub fn section_seen(&self, lesson: &str, section: &str) -> bool {
        self.lessons
            .get(lesson)
            .and_then(|l| l.sections.get(section))
            .is_some_and(|s| s.seen)
    }

    /// The latest answer to a checkpoint.
    pub fn checkpoint(&self, id: &str) -> Option<&CheckpointRecord> {
        self.checkpoints.get(id)
    }

    /// Where "Continue where you left off" goes: the saved position if its
    /// lesson is still in the course (its section too, else the lesson's
    /// start); otherwise the first section not yet completed; `None` when
    /// the whole course is complete (or empty) and nothing was saved.
    pub fn resume_point(&self, pack: &Pack) -> Option<Position> {
        if let Some(last) = &self.last
            && let Some(lesson) = pack.lesson(&last.lesson)
        {
            let section_known = last
                .section
                .as_deref()
                .is_some_and(|s| lesson.section(s).is_some());
            return Some(if section_known {
                last.clone()
            } else {
                Position {
                    lesson: lesson.id.clone(),
                    section: lesson.sections.first().map(|s| s.id.clone()),
                    scroll: 0,
                }
            });
        }
        pack.lessons.iter().find_map(|l| {
            l.sections
                .iter()
                .find(|s| !self.section_completed(&l.id, &s.id))
                .map(|s| Position {
                    lesson: l.id.clone(),
                    section: Some(s.id.clone()),
                    scroll: 0,
                })
        })
    }

    /// Where opening `lesson` from the course map goes: its first section
    /// not completed yet, or the lesson's start (no section) when every
    /// section is complete.
    pub fn lesson_entry(&self, lesson: &crate::core::content::Lesson) -> Position {
        Position {
            lesson: lesson.id.clone(),
            section: lesson
                .sections
                .iter()
                .find(|s| !self.section_completed(&lesson.id, &s.id))
                .map(|s| s.id.clone()),
            scroll: 0,
        }
    }

    /// Counts for the course map and `keyshake progress`.
    pub fn summary(&self, pack: &Pack) -> Summary {
        let mut lessons = Vec::new();
        let mut known_lessons = std::collections::HashSet::new();
        let mut known_checkpoints = std::collections::HashSet::new();
        for lesson in &pack.lessons {
            known_lessons.insert(lesson.id.as_str());
            let mut s = LessonSummary {
                id: lesson.id.clone(),
                title: lesson.title.clone(),
                sections_total: lesson.sections.len(),
                ..LessonSummary::default()
            };
            for section in &lesson.sections {
                if self.section_completed(&lesson.id, &section.id) {
                    s.sections_completed += 1;
                }
                for cp in &section.checkpoints {
                    known_checkpoints.insert(cp.id.as_str());
                    s.checkpoints_total += 1;
                    if let Some(r) = self.checkpoints.get(&cp.id) {
                        s.checkpoints_answered += 1;
                        if r.correct {
                            s.checkpoints_right += 1;
                        }
                        if r.first_try_right() {
                            s.checkpoints_first_right += 1;
                        }
                    }
                }
            }
            lessons.push(s);
        }
        let unknown_entries = self
            .lessons
            .keys()
            .filter(|k| !known_lessons.contains(k.as_str()))
            .count()
            + self
                .checkpoints
                .keys()
                .filter(|k| !known_checkpoints.contains(k.as_str()) && pack.question(k).is_none())
                .count();
        Summary {
            lessons,
            labs_solved: pack
                .labs
                .iter()
                .filter(|l| self.labs.get(&l.id).is_some_and(|p| p.solved_at.is_some()))
                .count(),
            labs_total: pack.labs.len(),
            labs_guided: pack
                .labs
                .iter()
                .filter(|l| {
                    self.labs
                        .get(&l.id)
                        .is_some_and(|p| p.solved_at.is_some() && p.guided)
                })
                .count(),
            labs_solution_shown: pack
                .labs
                .iter()
                .filter(|l| self.labs.get(&l.id).is_some_and(|p| p.solution_shown))
                .count(),
            guided: self.guided,
            walkthrough_done: self.walkthroughs.contains_key(ENVELOPE_WALKTHROUGH),
            unknown_entries,
        }
    }
}

/// Progress counts for the whole course.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// One entry per lesson of the pack, in course order.
    pub lessons: Vec<LessonSummary>,
    /// Policy labs of the pack solved.
    pub labs_solved: usize,
    /// Policy labs in the pack.
    pub labs_total: usize,
    /// Labs solved with the guided setting on.
    pub labs_guided: usize,
    /// Labs whose verified fix (the last hint level) was shown.
    pub labs_solution_shown: usize,
    /// The guided setting is on.
    pub guided: bool,
    /// The envelope walkthrough was finished.
    pub walkthrough_done: bool,
    /// Entries in the file for lessons or checkpoints no longer in the
    /// course (kept, not counted).
    pub unknown_entries: usize,
}

/// Progress counts for one lesson.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LessonSummary {
    /// Lesson id.
    pub id: String,
    /// Lesson title.
    pub title: String,
    /// Sections completed.
    pub sections_completed: usize,
    /// Sections in the lesson.
    pub sections_total: usize,
    /// Checkpoints whose latest answer is right.
    pub checkpoints_right: usize,
    /// Checkpoints whose first answer was right (retries do not count).
    pub checkpoints_first_right: usize,
    /// Checkpoints answered at least once.
    pub checkpoints_answered: usize,
    /// Checkpoints in the lesson.
    pub checkpoints_total: usize,
}

impl LessonSummary {
    /// Completed share of the lesson's sections, 0 to 100.
    pub fn percent(&self) -> u32 {
        percent(self.sections_completed, self.sections_total)
    }
}

impl Summary {
    /// Sections completed across the course.
    pub fn sections_completed(&self) -> usize {
        self.lessons.iter().map(|l| l.sections_completed).sum()
    }

    /// Sections in the course.
    pub fn sections_total(&self) -> usize {
        self.lessons.iter().map(|l| l.sections_total).sum()
    }

    /// Completed share of all sections, 0 to 100 (rounded down, so 100
    /// means really everything).
    pub fn percent(&self) -> u32 {
        percent(self.sections_completed(), self.sections_total())
    }
}

fn percent(done: usize, total: usize) -> u32 {
    if total == 0 {
        return 0;
    }
    u32::try_from(done.saturating_mul(100) / total).unwrap_or(100)
}

/// Why an older progress document could not be brought up to date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpgradeError {
    /// `version` is not a whole number (as written in the file).
    #[error("`version` is {0}, not a whole number")]
    BadVersion(String),
    /// No upgrade step is known from this version.
    #[error("no upgrade from schema version {0}")]
    NoUpgrade(u32),
    /// A v0 (prototype) document whose fields do not have the v0 shape.
    #[error("{0}")]
    BadV0(String),
}

/// Brings a parsed progress document of any older schema up to
/// [`SCHEMA_VERSION`]. Returns the version it was found at (a version
/// newer than this build's is returned unchanged).
///
/// v0 (the prototype, no `version` field): `{"completed": ["lesson/section",
/// ...], "last_lesson": "id"}`.
pub fn upgrade(mut doc: Map<String, Value>) -> Result<(Map<String, Value>, u32), UpgradeError> {
    let found = match doc.get("version") {
        None => 0,
        Some(v) => v
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| UpgradeError::BadVersion(v.to_string()))?,
    };
    let mut version = found;
    while version < SCHEMA_VERSION {
        match version {
            0 => doc = upgrade_v0(doc).map_err(UpgradeError::BadV0)?,
            _ => return Err(UpgradeError::NoUpgrade(version)),
        }
        version += 1;
    }
    Ok((doc, found))
}

fn upgrade_v0(mut doc: Map<String, Value>) -> Result<Map<String, Value>, String> {
    let mut lessons = Map::new();
    if let Some(completed) = doc.remove("completed") {
        let list = completed.as_array().ok_or("v0 `completed` is not a list")?;
        for item in list {
            let item = item.as_str().ok_or("v0 `completed` holds a non-string")?;
            let Some((lesson, section)) = item.split_once('/') else {
                return Err(format!("v0 entry {item:?} is not lesson/section"));
            };
            let entry = lessons
                .entry(lesson.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(l) = entry {
                let sections = l
                    .entry("sections".to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(s) = sections {
                    s.insert(
                        section.to_string(),
                        serde_json::json!({"seen": true, "completed": true}),
                    );
                }
            }
        }
    }
    if let Some(last) = doc.remove("last_lesson") {
        let lesson = last.as_str().ok_or("v0 `last_lesson` is not a string")?;
        doc.insert("last".to_string(), serde_json::json!({ "lesson": lesson }));
    }
    doc.insert("lessons".to_string(), Value::Object(lessons));
    doc.insert("version".to_string(), Value::from(1));
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v0_upgrades_to_current_schema() {
        let v0: Value = serde_json::json!({
            "completed": ["handshake/two-halves", "handshake/key-policy-half", "old-lesson/x"],
            "last_lesson": "handshake",
            "theme": "dark"
        });
        let Value::Object(doc) = v0 else {
            panic!("not an object")
        };
        let (doc, found) = match upgrade(doc) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(found, 0);
        let p: Progress = match serde_json::from_value(Value::Object(doc)) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(p.version, SCHEMA_VERSION);
        assert!(p.section_completed("handshake", "two-halves"));
        assert!(p.section_completed("handshake", "key-policy-half"));
        assert!(p.section_completed("old-lesson", "x"));
        assert_eq!(
            p.last.as_ref().map(|l| l.lesson.as_str()),
            Some("handshake")
        );
        assert_eq!(p.extra.get("theme"), Some(&Value::from("dark")));
    }

    #[test]
    fn broken_v0_is_an_error_not_a_panic() {
        let Value::Object(doc) = serde_json::json!({"completed": "nope"}) else {
            panic!("not an object")
        };
        assert!(upgrade(doc).is_err());
        let Value::Object(doc) = serde_json::json!({"version": "one"}) else {
            panic!("not an object")
        };
        assert_eq!(
            upgrade(doc).err().map(|e| e.to_string()).as_deref(),
            Some("`version` is \"one\", not a whole number")
        );
    }

    #[test]
    fn a_checkpoint_keeps_its_first_answer_through_retries() {
        let mut p = Progress::default();
        p.record_checkpoint("cp", &[2], false, 100);
        p.record_checkpoint("cp", &[1], true, 200);
        p.record_checkpoint("cp", &[1], true, 300);
        let r = p.checkpoint("cp").cloned().unwrap_or_default();
        assert_eq!(
            (r.chosen.clone(), r.correct, r.attempts),
            (vec![1], true, 3)
        );
        let first = r.first.clone().unwrap_or_default();
        assert_eq!(
            (first.chosen, first.correct, first.at),
            (vec![2], false, 100)
        );
        assert!(
            !r.first_try_right(),
            "picking the revealed answer is no first try"
        );
        // The first answer survives a save and a load.
        let text = serde_json::to_string(&p).unwrap_or_default();
        let back: Progress = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back.checkpoint("cp"), Some(&r));
        // A record from an older file (no `first`) counts only when it was
        // answered once; a retry then keeps that one answer as the first.
        let mut old = Progress::default();
        old.checkpoints.insert(
            "once".into(),
            CheckpointRecord {
                chosen: vec![0],
                correct: true,
                at: 5,
                attempts: 1,
                ..CheckpointRecord::default()
            },
        );
        old.checkpoints.insert(
            "twice".into(),
            CheckpointRecord {
                chosen: vec![0],
                correct: true,
                at: 5,
                attempts: 2,
                ..CheckpointRecord::default()
            },
        );
        assert!(
            old.checkpoint("once")
                .is_some_and(CheckpointRecord::first_try_right)
        );
        assert!(
            !old.checkpoint("twice")
                .is_some_and(CheckpointRecord::first_try_right)
        );
        old.record_checkpoint("once", &[3], false, 9);
        assert!(
            old.checkpoint("once")
                .is_some_and(CheckpointRecord::first_try_right)
        );
    }

    #[test]
    fn checkpoint_answers_keep_the_latest_and_count_attempts() {
        let mut p = Progress::default();
        p.record_checkpoint("cp", &[0], false, 100);
        p.record_checkpoint("cp", &[1], true, 200);
        let r = p.checkpoint("cp").cloned().unwrap_or_default();
        assert_eq!(
            (r.chosen, r.correct, r.at, r.attempts),
            (vec![1], true, 200, 2)
        );
    }

    proptest::proptest! {
        /// Any sequence of changes survives a save and reload unchanged.
        #[test]
        fn progress_round_trips_through_json(
            ops in proptest::collection::vec(
                (0u8..6, "[a-c]{1,2}", "[x-z]{1,2}", proptest::collection::vec(0usize..5, 0..3), 0u64..1_000_000_000),
                0..40,
            )
        ) {
            let mut p = Progress::default();
            let pack = Pack::default();
            for (op, lesson, section, chosen, now) in &ops {
                match op {
                    0 => p.mark_seen(lesson, Some(section), *now),
                    1 => p.complete_section(&pack, lesson, section, *now),
                    2 => p.set_position(lesson, Some(section), u32::try_from(*now % 500).unwrap_or(0)),
                    3 => p.record_checkpoint(section, chosen, chosen.len() == 1, *now),
                    4 => p.quiz.record_answer(crate::core::quiz::AnswerRecord {
                        question: section.clone(),
                        at: *now,
                        mode: lesson.clone(),
                        chosen: chosen.clone(),
                        verdict: (chosen.len() == 2).then(|| "deny".to_string()),
                        correct: chosen.len() == 1,
                        seconds: *now % 300,
                        ..Default::default()
                    }),
                    _ => {
                        let mut exam = crate::core::quiz::ExamRecord {
                            at: *now,
                            seed: (chosen.len() == 1).then_some(*now),
                            questions: vec![section.clone()],
                            percent: u32::try_from(*now % 101).unwrap_or(0),
                            ..Default::default()
                        };
                        exam.objectives.insert(lesson.clone(), crate::core::quiz::Tally {
                            right: u32::try_from(chosen.len()).unwrap_or(0),
                            total: 3,
                        });
                        p.quiz.record_exam(exam);
                    }
                }
            }
            let text = serde_json::to_string_pretty(&p).unwrap_or_else(|e| panic!("{e}"));
            let back: Progress = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
            proptest::prop_assert_eq!(back, p);
        }
    }

    #[test]
    fn the_first_pack_saved_with_is_kept_and_another_pack_is_named_in_a_warning() {
        let mut a = Pack::default();
        a.info.name = "kms-class".into();
        a.info.version = "2026.1".into();
        a.info.hash = "fnv1a64:1".into();
        let mut p = Progress::default();
        assert_eq!(p.pack_mismatch(&a), None, "nothing recorded: no warning");
        change::Change::Guided(true).apply(&mut p, &a, 50);
        let mut b = a.clone();
        b.info.name = "keyshake".into();
        b.info.version = "0.1.0".into();
        change::Change::Guided(false).apply(&mut p, &b, 60);
        let stamp = p.pack.clone().unwrap_or_default();
        assert_eq!((stamp.name.as_str(), stamp.first_used), ("kms-class", 50));
        assert_eq!(p.pack_mismatch(&a), None);
        let w = p.pack_mismatch(&b).unwrap_or_default();
        assert!(
            w.contains("kms-class 2026.1 (content fnv1a64:1)") && w.contains("keyshake 0.1.0"),
            "{w}"
        );
        // Same name and version, other content: told apart by the hash.
        let mut edited = a.clone();
        edited.info.hash = "fnv1a64:2".into();
        assert!(p.pack_mismatch(&edited).is_some());
        // Survives a save and a load.
        let text = serde_json::to_string(&p).unwrap_or_default();
        let back: Progress = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back.pack, p.pack);
    }

    #[test]
    fn percent_rounds_down() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(2, 3), 66);
        assert_eq!(percent(3, 3), 100);
    }

    #[test]
    fn a_lab_is_in_progress_after_any_recorded_work_including_only_a_hint() {
        let mut p = Progress::default();
        assert_eq!(p.lab_status("l"), LabState::NotStarted);
        p.reveal_hint("l", 3, 10);
        assert_eq!(p.lab_status("l"), LabState::InProgress);
        p.save_lab_work("m", &[("key:k".into(), "{}".into())], 11);
        p.reset_lab("m");
        assert_eq!(p.lab_status("m"), LabState::InProgress);
        p.mark_lab_solved("m", 12);
        assert_eq!(p.lab_status("m"), LabState::Solved);
    }

    #[test]
    fn a_lesson_opens_at_its_first_uncompleted_section() {
        let pack = Pack::builtin().expect("built-in pack");
        let lesson = pack
            .lessons
            .iter()
            .find(|l| l.sections.len() >= 2)
            .expect("a lesson with two sections");
        let mut p = Progress::default();
        assert_eq!(
            p.lesson_entry(lesson).section.as_deref(),
            Some(lesson.sections[0].id.as_str())
        );
        p.complete_section(&pack, &lesson.id, &lesson.sections[0].id, 5);
        assert_eq!(
            p.lesson_entry(lesson).section.as_deref(),
            Some(lesson.sections[1].id.as_str())
        );
        for s in &lesson.sections {
            p.complete_section(&pack, &lesson.id, &s.id, 6);
        }
        assert_eq!(p.lesson_entry(lesson).section, None);
    }
}
