//! Glossary links read as part of their sentence: a bare `[[term]]` in the
//! middle of a sentence never brings the glossary title's heading capital
//! with it ("every Cross-account access request"), while acronyms and
//! proper names keep theirs.

use keyshake::core::content::{Block, BlockKind, GlossaryTerm, Inline};

/// Every run of inlines (paragraph, list item, cell, ...) in `blocks`.
fn runs<'a>(blocks: &'a [Block], out: &mut Vec<&'a [Inline]>) {
    for block in blocks {
        match &block.kind {
            BlockKind::Heading { text, .. } | BlockKind::Paragraph(text) => out.push(text),
            BlockKind::List { items, .. } => out.extend(items.iter().map(Vec::as_slice)),
            BlockKind::Callout { body, .. } => runs(body, out),
            BlockKind::Table { header, rows } => {
                out.extend(
                    header
                        .iter()
                        .chain(rows.iter().flatten())
                        .map(Vec::as_slice),
                );
            }
            BlockKind::Define {
                term,
                means,
                example,
            } => out.extend([term.as_slice(), means, example]),
            BlockKind::Code { .. } | BlockKind::Diagram(_) => {}
        }
    }
}

/// A capital that is there only because the word opened a heading: the
/// word's first letter is a capital and none of its other letters is.
fn heading_capital(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    word.chars().next().is_some_and(char::is_uppercase)
        && letters.len() > 1
        && letters[1..].iter().all(|c| c.is_lowercase())
}

/// Whether a sentence is under way after `before` (not at its start).
fn mid_sentence(before: &str) -> bool {
    let t = before
        .trim_end()
        .trim_end_matches(['"', '\'', ')', '*', '_']);
    !(t.is_empty() || t.ends_with(['.', '!', '?']))
}

/// The links in `run` that show a glossary title mid-sentence with a
/// capital the sentence did not have: (shown text, sentence so far).
fn offending(run: &[Inline], glossary: &[GlossaryTerm]) -> Vec<(String, String)> {
    let mut before = String::new();
    let mut bad = Vec::new();
    for inline in run {
        if let Inline::TermLink { id, text } = inline
            && let Some(term) = glossary.iter().find(|t| &t.id == id)
            && text.eq_ignore_ascii_case(&term.term)
            && !term.proper
            && mid_sentence(&before)
            && text.split(' ').any(heading_capital)
        {
            bad.push((text.clone(), before.clone()));
        }
        before.push_str(inline.text());
    }
    bad
}

#[test]
fn no_glossary_title_lands_mid_sentence_with_a_heading_capital() {
    let pack = crate::builtin_pack();
    let mut all: Vec<(&str, &[Inline])> = Vec::new();
    for lesson in &pack.lessons {
        let mut r = Vec::new();
        for section in &lesson.sections {
            runs(&section.blocks, &mut r);
        }
        all.extend(r.into_iter().map(|run| (lesson.id.as_str(), run)));
    }
    for lab in &pack.labs {
        let mut r = Vec::new();
        runs(&lab.story, &mut r);
        runs(&lab.explanation, &mut r);
        for hint in &lab.hints {
            runs(hint, &mut r);
        }
        all.extend(r.into_iter().map(|run| (lab.id.as_str(), run)));
    }
    let mut links = 0;
    let mut problems = Vec::new();
    for (place, run) in &all {
        links += run
            .iter()
            .filter(|i| matches!(i, Inline::TermLink { .. }))
            .count();
        for (text, before) in offending(run, &pack.glossary) {
            problems.push(format!("{place}: …{before}[{text}]"));
        }
    }
    assert!(links > 20, "the course links the glossary ({links} links)");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn bare_links_lower_a_heading_capital_but_keep_acronyms_sentence_starts_and_own_text() {
    let pack = crate::builtin_pack();
    let shown = |id: &str| pack.term(id).map(|t| t.term.clone());
    // Sanity: the glossary titles this test relies on.
    assert_eq!(
        shown("cross-account").as_deref(),
        Some("Cross-account access")
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let lesson = "id = \"l\"\norder = 1\ntitle = \"L\"\nobjectives = [\"o\"]\nsummary = \"s\"\n\
        [[sections]]\nid = \"s\"\ntitle = \"S\"\nbody = \"\"\"\n\
        [[cross-account]] is two-sided. Every [[cross-account]] request, an [[aws-managed-key]], \
        a [[bucket-key]] and [[cross-account|cross-account calls]].\n\"\"\"\n";
    let glossary = "[[terms]]\nid = \"cross-account\"\nterm = \"Cross-account access\"\ndefinition = \"d\"\n\
        [[terms]]\nid = \"aws-managed-key\"\nterm = \"AWS managed key\"\ndefinition = \"d\"\n\
        [[terms]]\nid = \"bucket-key\"\nterm = \"S3 Bucket Key\"\ndefinition = \"d\"\nproper = true\n";
    std::fs::write(dir.path().join("glossary.toml"), glossary).expect("write");
    let objectives = "[[objectives]]\nid = \"o\"\ntitle = \"O\"\n";
    std::fs::write(dir.path().join("objectives.toml"), objectives).expect("write");
    std::fs::create_dir_all(dir.path().join("lessons")).expect("mkdir");
    std::fs::write(dir.path().join("lessons/l.toml"), lesson).expect("write");
    let pack = keyshake::core::content::Pack::load_dir(dir.path()).unwrap_or_else(|d| {
        panic!(
            "{}",
            d.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let body = keyshake::core::content::markup::plain_text(
        match &pack.lessons[0].sections[0].blocks[0].kind {
            BlockKind::Paragraph(p) => p,
            other => panic!("{other:?}"),
        },
    );
    assert_eq!(
        body,
        "Cross-account access is two-sided. Every cross-account access request, an AWS managed key, \
         a S3 Bucket Key and cross-account calls."
    );
}
