//! GIFT questions into the pack's question TOML (`questions/NAME.toml`).

use std::collections::HashSet;

use serde::Serialize;

use super::{ExKind, GiftItem, GiftRead};
use crate::core::content::valid_id;

/// The question file written by an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The TOML text of the question file.
    pub toml: String,
    /// The ids given to the questions, in file order.
    pub ids: Vec<String>,
    /// One line per item that was skipped or changed: (GIFT line, what).
    pub notes: Vec<(usize, String)>,
}

/// Which objective an imported question is tagged with.
pub struct Objectives<'a> {
    /// `--objective`: every question gets it.
    pub given: Option<&'a str>,
    /// The pack's objective ids (a `$CATEGORY:` whose last part is one of
    /// them tags its questions; a pack with one objective tags all).
    pub known: &'a [String],
}

impl Objectives<'_> {
    fn for_item(&self, item: &GiftItem) -> Option<String> {
        if let Some(g) = self.given {
            return Some(g.to_string());
        }
        let from_category = item
            .category
            .as_deref()
            .and_then(|c| c.rsplit('/').next())
            .map(str::trim)
            .filter(|c| self.known.iter().any(|k| k == c));
        if let Some(c) = from_category {
            return Some(c.to_string());
        }
        match self.known {
            [only] => Some(only.clone()),
            _ => None,
        }
    }
}

#[derive(Serialize)]
struct Bank {
    questions: Vec<Row>,
}

#[derive(Serialize)]
struct Row {
    id: String,
    kind: &'static str,
    prompt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    choices: Option<Vec<String>>,
    answer: Vec<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pick: Option<usize>,
    explanation: String,
    objectives: Vec<String>,
    difficulty: u8,
}

/// The items of `read` as a question file. Ids come from the GIFT titles
/// (else the first words of the question), made valid and unique against
/// `taken` (the pack's ids). `source` names the GIFT file in the header.
pub fn import(
    read: &GiftRead,
    objectives: &Objectives<'_>,
    taken: &HashSet<String>,
    source: &str,
) -> Imported {
    let mut used = taken.clone();
    let mut rows = Vec::new();
    let mut ids = Vec::new();
    let mut notes: Vec<(usize, String)> = read
        .skipped
        .iter()
        .map(|s| (s.line, format!("skipped: {}", s.why)))
        .collect();
    for item in &read.items {
        let Some(objective) = objectives.for_item(item) else {
            notes.push((
                item.line,
                "skipped: no objective (give --objective ID, or a $CATEGORY: naming one)"
                    .to_string(),
            ));
            continue;
        };
        let base = match item.title.as_deref() {
            Some(t) if valid_id(t) => t.to_string(),
            Some(t) => slug(t),
            None => slug(&item.stem),
        };
        let id = unique(&base, &mut used);
        for n in &item.notes {
            notes.push((item.line, format!("{id}: {n}")));
        }
        let mut explanation = item.feedback.clone();
        if explanation.trim().is_empty() {
            let right: Vec<&str> = item
                .answer
                .iter()
                .filter_map(|&i| item.choices.get(i).map(String::as_str))
                .collect();
            explanation = format!("The right answer: {}.", right.join("; "));
            notes.push((
                item.line,
                format!("{id}: no feedback in the file; the explanation only names the answer"),
            ));
        }
        let (kind, choices, pick) = match item.kind {
            ExKind::Single => ("single", Some(item.choices.clone()), None),
            ExKind::Multiple => (
                "multiple",
                Some(item.choices.clone()),
                Some(item.answer.len()),
            ),
            ExKind::TrueFalse => ("truefalse", None, None),
        };
        ids.push(id.clone());
        rows.push(Row {
            id,
            kind,
            prompt: item.stem.clone(),
            choices,
            answer: item.answer.clone(),
            pick,
            explanation,
            objectives: vec![objective],
            difficulty: 1,
        });
    }
    notes.sort_by_key(|(line, _)| *line);
    let body = toml::to_string(&Bank { questions: rows }).unwrap_or_default();
    let toml = format!(
        "# Imported from {} by `keyshake pack import-questions`.\n\
         # Every question has difficulty 1: set 1 (recall) to 3 (multi-step) as fits.\n\n{body}",
        one_line(source)
    );
    Imported { toml, ids, notes }
}

/// `text` on one line (a file name with a line break must not end the
/// comment it is quoted in).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// A content id from a title or question: lowercase ASCII letters and
/// digits, other runs become `-`, at most six words and 48 characters.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut words = 0;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if out.ends_with('-') || out.is_empty() {
                words += 1;
                if words > 6 {
                    break;
                }
            }
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if valid_id(&out) {
        out
    } else {
        "imported".to_string()
    }
}

/// `base`, or `base-2`, `base-3`, ... if taken; the result is taken too.
fn unique(base: &str, used: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_valid_ids_and_unique() {
        assert_eq!(slug("Q:1 — Who's buried?"), "q-1-who-s-buried");
        assert_eq!(slug("¿¡!"), "imported");
        assert_eq!(
            slug("one two three four five six seven"),
            "one-two-three-four-five-six"
        );
        let mut used: HashSet<String> = ["a".to_string()].into();
        assert_eq!(unique("a", &mut used), "a-2");
        assert_eq!(unique("a", &mut used), "a-3");
    }
}
