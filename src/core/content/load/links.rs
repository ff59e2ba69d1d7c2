//! Filling in the text of bare `[[term]]` links so it reads as part of the
//! sentence around it.
//!
//! A glossary title is written as a heading ("Cross-account access"). Put
//! into the middle of a sentence as is, it shows a capital the sentence
//! never had ("every Cross-account access request"), so a bare link keeps
//! the title's case only where a sentence starts; elsewhere each ordinary
//! capitalised word is lowercased. Words that must keep their capitals stay
//! as written: acronyms (every letter a capital: "KMS", "S3", "ARN"), words
//! with inner capitals ("GenerateDataKey", "kms:ViaService"), and every word
//! of a term the glossary marks `proper = true` ("S3 Bucket Key").
//! `[[term|shown text]]` always shows the author's own words.

use std::collections::HashMap;

use super::{Loader, did_you_mean};
use crate::core::content::GlossaryTerm;
use crate::core::content::markup::{self, Block, BlockKind, Inline};
use crate::core::diag::{Diagnostic, Severity};

/// The glossary's titles by id, as links need them.
struct TermTitles<'a> {
    by_id: HashMap<&'a str, &'a GlossaryTerm>,
}

impl<'a> TermTitles<'a> {
    /// Indexes `glossary` by id.
    fn new(glossary: &'a [GlossaryTerm]) -> Self {
        TermTitles {
            by_id: glossary.iter().map(|t| (t.id.as_str(), t)).collect(),
        }
    }

    /// The text a bare link to `id` shows, `None` for an unknown id.
    fn shown(&self, id: &str, sentence_start: bool) -> Option<String> {
        let term = self.by_id.get(id)?;
        Some(if sentence_start || term.proper {
            term.term.clone()
        } else {
            mid_sentence(&term.term)
        })
    }
}

/// `title` as it reads inside a sentence: ordinary capitalised words
/// lowercased, acronyms and words with inner capitals kept.
pub fn mid_sentence(title: &str) -> String {
    title
        .split(' ')
        .map(|word| {
            if is_ordinary_capitalised(word) {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|c| c.to_lowercase().chain(chars).collect())
                    .unwrap_or_default()
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word that starts with a capital and has no other capital letter
/// ("Grant", "Cross-account"), so a capital mid-sentence is only there
/// because the title was a heading. "KMS", "S3" and "ReEncrypt" are not.
fn is_ordinary_capitalised(word: &str) -> bool {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else {
        return false;
    };
    let starts_word = word.starts_with(first);
    let rest: Vec<char> = letters.collect();
    starts_word && first.is_uppercase() && !rest.is_empty() && rest.iter().all(|c| c.is_lowercase())
}

/// Whether the text before a point ends a sentence (or there is none), so
/// what follows starts one.
pub fn ends_sentence(before: &str) -> bool {
    let trimmed = before
        .trim_end()
        .trim_end_matches(['"', '\'', ')', '*', '_']);
    trimmed.is_empty() || trimmed.ends_with(['.', '!', '?'])
}

/// Fills in the text of every bare link in `blocks`.
fn fill_link_text(blocks: &mut [Block], terms: &TermTitles<'_>) {
    for block in blocks {
        match &mut block.kind {
            BlockKind::Heading { text, .. } => fill(text, terms),
            BlockKind::Paragraph(text) => fill(text, terms),
            BlockKind::List { items, .. } => items.iter_mut().for_each(|i| fill(i, terms)),
            BlockKind::Callout { body, .. } => fill_link_text(body, terms),
            BlockKind::Table { header, rows } => header
                .iter_mut()
                .chain(rows.iter_mut().flatten())
                .for_each(|cell| fill(cell, terms)),
            BlockKind::Define {
                term,
                means,
                example,
            } => {
                fill(term, terms);
                fill(means, terms);
                fill(example, terms);
            }
            BlockKind::Code { .. } | BlockKind::Diagram(_) => {}
        }
    }
}

/// One run of inlines: a paragraph, a list item, a cell. A bare link is one
/// whose text is still its id (the parser's placeholder).
fn fill(inlines: &mut [Inline], terms: &TermTitles<'_>) {
    let mut before = String::new();
    for inline in inlines {
        if let Inline::TermLink { id, text } = inline
            && text == id
            && let Some(shown) = terms.shown(id, ends_sentence(&before))
        {
            *text = shown;
        }
        before.push_str(inline.text());
    }
}

impl Loader<'_> {
    /// Every term link names a glossary term: those in bodies (at the
    /// link) and those in question texts (at the question's id). Skipped
    /// without a glossary file (its absence is reported once).
    pub(super) fn check_links(&mut self) {
        if self.kinds.glossary.is_empty() || self.file_has_errors(&self.kinds.glossary) {
            // A glossary that did not load whole would make every link to
            // a term it lost look wrong: its own errors are the message.
            return;
        }
        let unknown = |id: &str| !self.pack.glossary.iter().any(|t| t.id == id);
        let hint = |id: &str| {
            did_you_mean(
                id,
                self.pack.glossary.iter().map(|t| t.id.as_str()),
                "add it to glossary.toml or fix the id",
            )
        };
        let mut found = Vec::new();
        let questions = self
            .pack
            .lessons
            .iter()
            .flat_map(|l| l.sections.iter())
            .flat_map(|s| s.checkpoints.iter())
            .chain(self.pack.questions.iter());
        for q in questions {
            let texts = std::iter::once(&q.prompt)
                .chain(q.choices.iter())
                .chain(std::iter::once(&q.explanation));
            for link in texts.flat_map(|t| markup::parse_inline(t).1) {
                if unknown(&link.id) {
                    found.push(Diagnostic {
                        path: q.path.clone(),
                        line: q.line,
                        column: 1,
                        severity: Severity::Error,
                        message: format!(
                            "question {:?}: [[{}]] is not a glossary term",
                            q.id, link.id
                        ),
                        hint: Some(hint(&link.id)),
                    });
                }
            }
        }
        for pending in &self.pending_links {
            let Some(f) = self.files.get(pending.file) else {
                continue;
            };
            for link in pending.links.iter().filter(|l| unknown(&l.id)) {
                found.push(Diagnostic {
                    path: f.display.clone(),
                    line: link.line,
                    column: link.column,
                    severity: Severity::Error,
                    message: format!("[[{}]] is not a glossary term", link.id),
                    hint: Some(hint(&link.id)),
                });
            }
        }
        self.out.extend(found);
    }

    /// Fills in the text of every bare link in lessons and labs.
    pub(super) fn fill_links(&mut self) {
        let glossary = self.pack.glossary.clone();
        let titles = TermTitles::new(&glossary);
        for lesson in &mut self.pack.lessons {
            for section in &mut lesson.sections {
                fill_link_text(&mut section.blocks, &titles);
            }
        }
        for lab in &mut self.pack.labs {
            fill_link_text(&mut lab.story, &titles);
            fill_link_text(&mut lab.explanation, &titles);
            for hint in &mut lab.hints {
                fill_link_text(hint, &titles);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_capitals_are_lowered_and_acronyms_and_inner_capitals_kept() {
        assert_eq!(mid_sentence("Cross-account access"), "cross-account access");
        assert_eq!(mid_sentence("Grant"), "grant");
        assert_eq!(mid_sentence("AWS managed key"), "AWS managed key");
        assert_eq!(mid_sentence("KMS key"), "KMS key");
        assert_eq!(mid_sentence("Key ARN"), "key ARN");
        assert_eq!(mid_sentence("S3 Object Ownership"), "S3 object ownership");
        assert_eq!(mid_sentence("GenerateDataKey"), "GenerateDataKey");
        assert_eq!(mid_sentence("kms:ViaService"), "kms:ViaService");
        assert_eq!(
            mid_sentence("Service control policy (SCP)"),
            "service control policy (SCP)"
        );
        assert_eq!(
            mid_sentence("Account principal (:root)"),
            "account principal (:root)"
        );
    }

    #[test]
    fn a_sentence_starts_at_the_beginning_and_after_a_full_stop() {
        assert!(ends_sentence(""));
        assert!(ends_sentence("It failed. "));
        assert!(ends_sentence("Why? "));
        assert!(ends_sentence("(see below.) "));
        assert!(!ends_sentence("every "));
        assert!(!ends_sentence("A is, e.g, "));
        assert!(!ends_sentence("the key: "));
    }

    fn term(id: &str, title: &str, proper: bool) -> GlossaryTerm {
        GlossaryTerm {
            id: id.into(),
            term: title.into(),
            definition: String::new(),
            see: Vec::new(),
            aliases: Vec::new(),
            proper,
        }
    }

    #[test]
    fn bare_links_follow_the_sentence_and_proper_names_and_own_text_stay() {
        let glossary = [
            term("grant", "Grant", false),
            term("bk", "S3 Bucket Key", true),
        ];
        let terms = TermTitles::new(&glossary);
        let link = |id: &str, text: &str| Inline::TermLink {
            id: id.into(),
            text: text.into(),
        };
        let mut run = vec![
            link("grant", "grant"),
            Inline::Text(" is another way; a ".into()),
            link("grant", "grant"),
            Inline::Text(" or an ".into()),
            link("bk", "bk"),
            Inline::Text(". ".into()),
            link("grant", "grant"),
            Inline::Text(" and ".into()),
            link("grant", "Grants"),
        ];
        fill(&mut run, &terms);
        let shown: Vec<&str> = run.iter().map(Inline::text).collect();
        assert_eq!(
            shown,
            [
                "Grant",
                " is another way; a ",
                "grant",
                " or an ",
                "S3 Bucket Key",
                ". ",
                "Grant",
                " and ",
                "Grants"
            ]
        );
    }
}
