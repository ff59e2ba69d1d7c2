//! Makes text from an untrusted pack inert on a terminal.
//!
//! A pack is data only, yet its strings end up on the learner's screen. An
//! ESC, CSI or other control character could move the cursor, retitle the
//! window or write to the clipboard (OSC 52), so every string a pack
//! supplies is passed through [`neutralise`] when it loads. Each control
//! character becomes one visible character, so columns in diagnostics and
//! the layout of the text stay as they were.

use super::markup::{Block, BlockKind, Inline};
use super::{Pack, Question};

/// Whether `c` would be interpreted by a terminal rather than shown: C0
/// controls other than newline and tab, DEL, and the C1 controls.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `text` with every unsafe character replaced by a visible stand-in: the
/// Unicode "control picture" for C0 controls and DEL (ESC shows as `␛`),
/// U+FFFD for the rest.
pub fn neutralise(text: &str) -> String {
    if !text.chars().any(is_unsafe) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if !is_unsafe(c) {
                c
            } else if (c as u32) < 0x20 {
                char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}')
            } else if c == '\u{7f}' {
                '\u{2421}'
            } else {
                '\u{FFFD}'
            }
        })
        .collect()
}

fn fix(s: &mut String) {
    if s.chars().any(is_unsafe) {
        *s = neutralise(s);
    }
}

fn fix_inlines(inlines: &mut [Inline]) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Emph(t) | Inline::Strong(t) | Inline::Code(t) => fix(t),
            Inline::TermLink { id, text } => {
                fix(id);
                fix(text);
            }
        }
    }
}

/// Neutralises every string inside parsed markup blocks.
pub(super) fn fix_blocks(blocks: &mut [Block]) {
    for block in blocks {
        match &mut block.kind {
            BlockKind::Heading { text, .. } => fix_inlines(text),
            BlockKind::Paragraph(text) => fix_inlines(text),
            BlockKind::List { items, .. } => {
                for item in items {
                    fix_inlines(item);
                }
            }
            BlockKind::Callout { body, .. } => fix_blocks(body),
            BlockKind::Table { header, rows } => {
                for cell in header {
                    fix_inlines(cell);
                }
                for cell in rows.iter_mut().flatten() {
                    fix_inlines(cell);
                }
            }
            BlockKind::Code { lang, lines } => {
                fix(lang);
                for l in lines {
                    fix(l);
                }
            }
            BlockKind::Define {
                term,
                means,
                example,
            } => {
                fix_inlines(term);
                fix_inlines(means);
                fix_inlines(example);
            }
            BlockKind::Diagram(_) => {}
        }
    }
}

fn fix_question(q: &mut Question) {
    fix(&mut q.prompt);
    for c in &mut q.choices {
        fix(c);
    }
    fix(&mut q.explanation);
    if let Some(s) = &mut q.source {
        fix(s);
    }
    if let Some(p) = &mut q.policy {
        fix(&mut p.explanation);
    }
}

/// Neutralises every string of `pack` that can reach the screen.
pub(super) fn fix_pack(pack: &mut Pack) {
    fix(&mut pack.info.name);
    fix(&mut pack.info.version);
    fix(&mut pack.info.author);
    fix(&mut pack.info.description);
    for o in &mut pack.objectives {
        fix(&mut o.title);
    }
    for t in &mut pack.glossary {
        fix(&mut t.term);
        fix(&mut t.definition);
        for a in &mut t.aliases {
            fix(a);
        }
    }
    for l in &mut pack.lessons {
        fix(&mut l.title);
        fix(&mut l.summary);
        for s in &mut l.sections {
            fix(&mut s.title);
            fix_blocks(&mut s.blocks);
            for q in &mut s.checkpoints {
                fix_question(q);
            }
        }
    }
    for q in &mut pack.questions {
        fix_question(q);
    }
    for d in &mut pack.diagrams {
        fix(&mut d.title);
        for n in &mut d.nodes {
            fix(&mut n.label);
            fix(&mut n.detail);
        }
        for s in &mut d.steps {
            fix(&mut s.label);
            fix(&mut s.text);
        }
    }
    for lab in &mut pack.labs {
        fix(&mut lab.title);
        fix_blocks(&mut lab.story);
        fix_blocks(&mut lab.explanation);
        for h in &mut lab.hints {
            fix_blocks(h);
        }
        for e in &mut lab.editable {
            fix(&mut e.label);
            fix(&mut e.start);
            fix(&mut e.solution);
        }
        for g in &mut lab.goals {
            fix(&mut g.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_and_keep_their_count() {
        let bad = "a\u{1b}]52;c;eA==\u{7}b\u{9b}2J\u{7f}\tc\nd";
        let good = neutralise(bad);
        assert!(!good.chars().any(is_unsafe), "{good:?}");
        assert_eq!(good.chars().count(), bad.chars().count());
        assert!(good.starts_with("a\u{241b}]52"));
        assert!(good.contains("\tc\nd"));
        assert_eq!(neutralise("plain `code`"), "plain `code`");
    }
}
