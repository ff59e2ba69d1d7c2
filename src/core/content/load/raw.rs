//! The content files as serde reads them (checked and converted by the
//! other loader steps). `deny_unknown_fields` makes a misspelt key an error
//! at its position.

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawObjectives {
    #[serde(default)]
    pub(super) objectives: Vec<RawObjective>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawObjective {
    pub(super) id: Spanned<String>,
    pub(super) title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGlossary {
    #[serde(default)]
    pub(super) terms: Vec<RawTerm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTerm {
    pub(super) id: Spanned<String>,
    pub(super) term: String,
    pub(super) definition: String,
    #[serde(default)]
    pub(super) see: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) aliases: Vec<String>,
    #[serde(default)]
    pub(super) proper: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLesson {
    pub(super) id: Spanned<String>,
    pub(super) order: Spanned<u32>,
    pub(super) title: String,
    pub(super) objectives: Vec<Spanned<String>>,
    pub(super) summary: String,
    #[serde(default)]
    pub(super) sections: Vec<RawSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSection {
    pub(super) id: Spanned<String>,
    pub(super) title: String,
    pub(super) body: Spanned<String>,
    #[serde(default)]
    pub(super) checkpoints: Vec<RawQuestion>,
}

/// Only the bodies and checkpoints of a lesson whose structure failed to
/// load (every other key is ignored), so they can still be checked.
#[derive(Deserialize)]
pub(super) struct LenientLesson {
    #[serde(default)]
    pub(super) sections: Vec<LenientSection>,
}

#[derive(Deserialize)]
pub(super) struct LenientSection {
    pub(super) body: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) checkpoints: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBank {
    #[serde(default)]
    pub(super) questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
    pub(super) id: Spanned<String>,
    pub(super) kind: Spanned<String>,
    pub(super) prompt: String,
    pub(super) choices: Option<Spanned<Vec<String>>>,
    pub(super) answer: Option<Spanned<Vec<usize>>>,
    pub(super) pick: Option<Spanned<usize>>,
    pub(super) explanation: Spanned<String>,
    #[serde(default)]
    pub(super) objectives: Vec<Spanned<String>>,
    pub(super) difficulty: Option<Spanned<u8>>,
    pub(super) source: Option<String>,
    pub(super) scenario: Option<Spanned<String>>,
    pub(super) ask_reason: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPackToml {
    pub(super) name: Spanned<String>,
    pub(super) version: String,
    #[serde(default)]
    pub(super) author: String,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default)]
    pub(super) mode: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) exam: Option<RawExam>,
    /// The names the built-in handshake diagram shows.
    #[serde(default)]
    pub(super) names: Option<super::diagrams::RawNames>,
    /// Extend mode: keep only these built-in lessons and labs.
    #[serde(default)]
    pub(super) pick: Vec<Spanned<String>>,
    /// Extend mode: drop these built-in lessons and labs.
    #[serde(default)]
    pub(super) hide: Vec<Spanned<String>>,
}

/// `[exam]` in pack.toml: the exam controls (docs/grading.md).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExam {
    pub(super) attempts: Option<Spanned<u32>>,
    pub(super) seed: Option<u64>,
    #[serde(default)]
    pub(super) hide_review: bool,
    /// A TOML date-time, or a string in ISO 8601.
    pub(super) review_after: Option<Spanned<toml::Value>>,
}
