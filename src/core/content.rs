//! The course: objectives, glossary, lessons with their checkpoints, and the
//! quiz question bank, loaded from TOML files (see CONTENT.md).
//!
//! [`Pack::builtin`] gives the pack compiled into the binary and
//! [`Pack::load_dir`] loads one from a folder. Both check every
//! cross-reference and return *every* problem as a [`Diagnostic`].

mod advice;
pub mod diagram;
pub mod exchange;
pub mod lab;
mod load;
pub mod markup;
mod open;
pub mod safe;
pub mod sandbox;

use std::collections::BTreeMap;

use crate::core::diag::Diagnostic;

pub use diagram::DiagramId;
pub use lab::{
    Editable, ExportHeader, Goal, GoalStatus, Lab, LabStatus, PolicyRef, Submission, Tamper,
    read_header,
};
pub use load::{MAX_FILE_BYTES, MAX_PACK_BYTES, MAX_PACK_FILES};
pub use markup::{Block, BlockKind, CalloutKind, Inline};

/// Whether `id` is a valid content id: lowercase ASCII letters, digits and
/// `-`, not empty. Lessons, sections, questions, glossary terms, objectives,
/// labs and scenario names all use this rule.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A learning objective everything is tagged with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objective {
    /// Stable id, e.g. `handshake`.
    pub id: String,
    /// What the learner will be able to do.
    pub title: String,
}

/// One glossary entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossaryTerm {
    /// Stable id, used by `[[id]]` links.
    pub id: String,
    /// The term as shown.
    pub term: String,
    /// Its definition.
    pub definition: String,
    /// Ids of lessons where the term is taught.
    pub see: Vec<String>,
    /// Other words that find this term in a search.
    pub aliases: Vec<String>,
    /// A proper name ("S3 Bucket Key"): a bare `[[id]]` link shows it as
    /// written even mid-sentence (other titles are lowercased there).
    pub proper: bool,
}

/// One lesson of the course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    /// Stable id.
    pub id: String,
    /// Position on the course map (lessons are sorted by it).
    pub order: u32,
    /// Title.
    pub title: String,
    /// Objective ids this lesson teaches.
    pub objectives: Vec<String>,
    /// One line for the course map.
    pub summary: String,
    /// The sections, in file order.
    pub sections: Vec<Section>,
    /// Where the lesson came from, as shown in diagnostics.
    pub path: String,
}

impl Lesson {
    /// The section with this id.
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// How many checkpoints the lesson's sections hold.
    pub fn checkpoint_count(&self) -> usize {
        self.sections.iter().map(|s| s.checkpoints.len()).sum()
    }
}

/// A section of a lesson: a body and the checkpoints answered after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Stable id, unique within its lesson.
    pub id: String,
    /// Title.
    pub title: String,
    /// The parsed body.
    pub blocks: Vec<Block>,
    /// Questions answered in place at the end of the section.
    pub checkpoints: Vec<Question>,
}

/// The kinds of question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuestionKind {
    /// Exactly one choice is right.
    Single,
    /// Several choices are right; the learner picks [`Question::pick`] of them.
    Multiple,
    /// True or false; [`Question::choices`] is `["True", "False"]`.
    TrueFalse,
    /// ALLOW or DENY for a scenario evaluated by the policy engine.
    Policy,
}

impl QuestionKind {
    /// The word used in the files.
    pub fn name(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::TrueFalse => "truefalse",
            QuestionKind::Policy => "policy",
        }
    }
}

/// A question: a lesson checkpoint or a quiz bank question (one type, so
/// the TUI renders and scores both the same way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Stable id, unique across the pack.
    pub id: String,
    /// Kind of question.
    pub kind: QuestionKind,
    /// The question.
    pub prompt: String,
    /// The choices; for true/false `["True", "False"]`; empty for policy.
    pub choices: Vec<String>,
    /// 0-based indexes of the correct choices (empty for policy questions,
    /// whose answer comes from the policy engine).
    pub answer: Vec<usize>,
    /// How many choices the learner picks (1 except for `multiple`).
    pub pick: usize,
    /// Why the answer is right and the others are wrong.
    pub explanation: String,
    /// Objective ids (for checkpoints: empty unless given; the lesson's
    /// objectives apply).
    pub objectives: Vec<String>,
    /// 1 (recall) to 3 (multi-step scenario); checkpoints default to 1.
    pub difficulty: u8,
    /// A documentation link backing the answer.
    pub source: Option<String>,
    /// Policy questions: the scenario name under `content/scenarios/`.
    pub scenario: Option<String>,
    /// Policy questions: also ask which reason code applies.
    pub ask_reason: bool,
    /// Policy questions: the answer the policy engine computed from the
    /// scenario (checked against the scenario's `expect` at load time).
    pub policy: Option<PolicyAnswer>,
    /// The file the question came from, as shown in diagnostics.
    pub path: String,
    /// 1-based line of its `id`.
    pub line: usize,
}

impl Question {
    /// Whether `chosen` (0-based indexes, any order) is exactly the right
    /// set. Always `false` for policy questions.
    pub fn is_correct(&self, chosen: &[usize]) -> bool {
        if self.kind == QuestionKind::Policy {
            return false;
        }
        let mut a = chosen.to_vec();
        a.sort_unstable();
        a.dedup();
        let mut b = self.answer.clone();
        b.sort_unstable();
        a == b
    }
}

/// The policy engine's answer to a policy question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyAnswer {
    /// ALLOW or DENY.
    pub verdict: crate::core::world::Verdict,
    /// The reason code (asked when [`Question::ask_reason`] is set); the
    /// choices are [`crate::core::world::Reason::ALL`].
    pub reason: crate::core::world::Reason,
    /// The engine's one-sentence explanation of the decision.
    pub explanation: String,
}

/// A scenario file shipped with the pack (used by policy questions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioFile {
    /// Where it came from, as shown in diagnostics.
    pub path: String,
    /// Its TOML text (the format `keyshake eval` reads).
    pub text: String,
}

/// How a pack on disk relates to the built-in pack (`mode` in `pack.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PackMode {
    /// The folder is the whole course (the default).
    #[default]
    Replace,
    /// The built-in pack plus this folder's files; an id defined in both
    /// is an error.
    Extend,
}

/// What `pack.toml` says about a pack.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PackInfo {
    /// The pack's name, shown on the home screen and in exports.
    pub name: String,
    /// Its version, as the author writes it (e.g. `2026.1`).
    pub version: String,
    /// Who wrote it.
    pub author: String,
    /// One or two sentences about it.
    pub description: String,
    /// Replace or extend the built-in pack.
    pub mode: PackMode,
    /// The `[exam]` table: attempt limit, default seed, review hiding.
    pub exam: crate::core::quiz::controls::ExamControls,
    /// The names the built-in handshake diagram shows (`[names]`).
    pub names: diagram::DiagramNames,
    /// A fingerprint of every file the pack was loaded from
    /// ([`fingerprint`]): two packs with the same name and version but
    /// different text have different hashes.
    pub hash: String,
}

/// A fingerprint of a pack's files (`fnv1a64:` and 16 hex digits), over
/// each file's path and text in path order, so the same folder gives the
/// same hash on every machine. It tells packs apart; it is no security
/// measure.
fn fingerprint(files: &[load::SourceFile]) -> String {
    let mut sorted: Vec<&load::SourceFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for f in sorted {
        eat(f.rel.as_bytes());
        eat(&[0]);
        eat(&(f.text.len() as u64).to_le_bytes());
        eat(f.text.as_bytes());
    }
    format!("fnv1a64:{h:016x}")
}

/// The file at the root of a pack folder that describes the pack.
pub const PACK_FILE: &str = "pack.toml";

/// A whole course.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pack {
    /// Name, version and author (from `pack.toml`; the built-in pack is
    /// `keyshake` with the program's version).
    pub info: PackInfo,
    /// Learning objectives, in file order.
    pub objectives: Vec<Objective>,
    /// Glossary terms, in file order.
    pub glossary: Vec<GlossaryTerm>,
    /// Lessons, sorted by `order`.
    pub lessons: Vec<Lesson>,
    /// The quiz bank, in file order (files sorted by name).
    pub questions: Vec<Question>,
    /// Scenario files by name (file stem).
    pub scenarios: BTreeMap<String, ScenarioFile>,
    /// Policy labs, sorted by file name (`labs/NN-name.toml`).
    pub labs: Vec<Lab>,
    /// The step-through diagrams: the built-in ones (with the pack's
    /// names), then the pack's own (`diagrams/NAME.toml`, by name).
    pub diagrams: Vec<diagram::Diagram>,
    /// Where the loader found each objective and lesson, for messages that
    /// point at a line: `objective:ID`, `lesson:ID` and `lesson-order:ID`
    /// → (path, line, column).
    pub places: BTreeMap<String, (String, usize, usize)>,
    /// Problems that do not stop the pack from working (for example a
    /// glossary `see` naming a lesson that does not exist yet).
    pub warnings: Vec<Diagnostic>,
}

/// The built-in pack's files as loader input.
fn builtin_source() -> Vec<load::SourceFile> {
    builtin_files::FILES
        .iter()
        .map(|(rel, text)| load::SourceFile {
            rel: (*rel).to_string(),
            display: format!("content/{rel}"),
            text: (*text).to_string(),
        })
        .collect()
}

/// The built-in pack's files as (path relative to `content/`, text), for
/// `keyshake pack export-builtin`.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    builtin_files::FILES
}

/// What the built-in pack says about itself.
fn builtin_info() -> PackInfo {
    PackInfo {
        name: "keyshake".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        author: "the keyshake authors".to_string(),
        description: "Cross-account AWS KMS: the two-sided handshake, key types, S3 SSE-KMS, aliases and envelope encryption.".to_string(),
        mode: PackMode::Replace,
        exam: Default::default(),
        names: diagram::DiagramNames::default(),
        hash: String::new(),
    }
}

/// Files of the built-in pack: (path relative to `content/`, text).
mod builtin_files {
    include!(concat!(env!("OUT_DIR"), "/builtin_content.rs"));
}

impl Pack {
    /// A question's prompt, choice or explanation with its inline styles
    /// (`*emphasis*`, `` `code` ``, `[[term]]` links showing the glossary
    /// term), for the TUI to render like lesson text.
    pub fn styled(&self, text: &str) -> Vec<Inline> {
        let (mut inlines, _) = markup::parse_inline(text);
        for inline in &mut inlines {
            if let Inline::TermLink { id, text } = inline
                && text == id
                && let Some(term) = self.term(id)
            {
                text.clone_from(&term.term);
            }
        }
        inlines
    }

    /// The lesson with this id.
    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }

    /// The lab with this id.
    pub fn lab(&self, id: &str) -> Option<&Lab> {
        self.labs.iter().find(|l| l.id == id)
    }

    /// The glossary term with this id.
    pub fn term(&self, id: &str) -> Option<&GlossaryTerm> {
        self.glossary.iter().find(|t| t.id == id)
    }

    /// The objective with this id.
    pub fn objective(&self, id: &str) -> Option<&Objective> {
        self.objectives.iter().find(|o| o.id == id)
    }

    /// A checkpoint (in any lesson) or bank question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.lessons
            .iter()
            .flat_map(|l| l.sections.iter())
            .flat_map(|s| s.checkpoints.iter())
            .chain(self.questions.iter())
            .find(|q| q.id == id)
    }

    /// Glossary terms matching `query` (case-insensitive), best first:
    /// the term starts with the query, then the term contains it, then an
    /// alias contains it, then the definition does. Ties keep glossary
    /// order. An empty query returns every term.
    pub fn search_glossary(&self, query: &str) -> Vec<&GlossaryTerm> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return self.glossary.iter().collect();
        }
        let mut hits: Vec<(u8, usize, &GlossaryTerm)> = self
            .glossary
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                let term = t.term.to_lowercase();
                let rank = if term.starts_with(&q) {
                    0
                } else if term.contains(&q) {
                    1
                } else if t.aliases.iter().any(|a| a.to_lowercase().contains(&q)) {
                    2
                } else if t.definition.to_lowercase().contains(&q) {
                    3
                } else {
                    return None;
                };
                Some((rank, i, t))
            })
            .collect();
        hits.sort_by_key(|(rank, i, _)| (*rank, *i));
        hits.into_iter().map(|(_, _, t)| t).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packs_fingerprint_follows_its_files_not_their_order() {
        let file = |rel: &str, text: &str| load::SourceFile {
            rel: rel.into(),
            display: rel.into(),
            text: text.into(),
        };
        let one = fingerprint(&[file("a.toml", "x"), file("b.toml", "y")]);
        assert_eq!(
            one,
            fingerprint(&[file("b.toml", "y"), file("a.toml", "x")])
        );
        assert_ne!(
            one,
            fingerprint(&[file("a.toml", "x"), file("b.toml", "z")])
        );
        // Moving text from one file to the next is a change too.
        assert_ne!(
            fingerprint(&[file("a.toml", "xy"), file("b.toml", "")]),
            fingerprint(&[file("a.toml", "x"), file("b.toml", "y")])
        );
        assert!(one.starts_with("fnv1a64:") && one.len() == 24, "{one}");
        let builtin = Pack::builtin().map(|p| p.info.hash).unwrap_or_default();
        assert_eq!(builtin, fingerprint(&builtin_source()));
    }

    fn term(id: &str, term: &str, def: &str, aliases: &[&str]) -> GlossaryTerm {
        GlossaryTerm {
            id: id.into(),
            term: term.into(),
            definition: def.into(),
            see: vec![],
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            proper: false,
        }
    }

    #[test]
    fn glossary_search_ranks_prefix_then_contains_then_alias_then_definition() {
        let pack = Pack {
            glossary: vec![
                term(
                    "d",
                    "Envelope encryption",
                    "Uses a key policy indirectly.",
                    &[],
                ),
                term("c", "Grant", "Allows use.", &["KEY POLICY alternative"]),
                term("b", "Default key policy", "The policy a key gets.", &[]),
                term("a", "Key policy", "The resource policy on a key.", &[]),
            ],
            ..Pack::default()
        };
        let ids: Vec<&str> = pack
            .search_glossary("key pol")
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        assert_eq!(ids, vec!["a", "b", "c", "d"]);
        assert!(pack.search_glossary("zzz").is_empty());
        assert_eq!(pack.search_glossary("  ").len(), 4);
    }

    #[test]
    fn multiple_answers_are_scored_as_a_set() {
        let q = Question {
            id: "q".into(),
            kind: QuestionKind::Multiple,
            prompt: String::new(),
            choices: vec!["a".into(), "b".into(), "c".into()],
            answer: vec![2, 0],
            pick: 2,
            explanation: String::new(),
            objectives: vec![],
            difficulty: 1,
            source: None,
            scenario: None,
            ask_reason: false,
            policy: None,
            path: String::new(),
            line: 1,
        };
        assert!(q.is_correct(&[0, 2]));
        assert!(!q.is_correct(&[0]));
        assert!(!q.is_correct(&[0, 1, 2]));
    }
}
