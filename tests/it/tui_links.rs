//! Glossary links in a lesson can be followed: Tab reaches each one in
//! reading order (marked reversed, no colour needed), Enter opens its
//! term's definition, Esc comes back to the same place, and a click on a
//! link opens it too.

use crate::builtin_pack;
use crate::tui_common::{app, keys, screen_text, terminal};

use keyshake::core::content::{BlockKind, Inline};
use keyshake::tui::keymap::ScreenId;
use ratatui::crossterm::event::KeyModifiers;
use ratatui::crossterm::event::{Event, MouseButton, MouseEvent, MouseEventKind};

/// The first lesson section with a glossary link in a paragraph: lesson
/// id, section index, and the link's term title.
fn section_with_a_link() -> (String, usize, String) {
    let pack = builtin_pack();
    for l in &pack.lessons {
        for (si, s) in l.sections.iter().enumerate() {
            for b in &s.blocks {
                if let BlockKind::Paragraph(inlines) = &b.kind
                    && let Some(Inline::TermLink { id, .. }) = inlines
                        .iter()
                        .find(|i| matches!(i, Inline::TermLink { .. }))
                {
                    let title = pack.term(id).map(|t| t.term.clone()).unwrap_or_default();
                    return (l.id.clone(), si, title);
                }
            }
        }
    }
    panic!("the course has a glossary link in a paragraph");
}

fn open_section(w: u16, h: u16) -> (keyshake::tui::app::App, String) {
    let (lesson, si, title) = section_with_a_link();
    let mut a = app(w, h);
    keys(&mut a, &format!("<sel:lesson:{lesson}><ret>"));
    for _ in 0..si {
        keys(&mut a, "n");
    }
    (a, title)
}

#[test]
fn tab_reaches_a_link_and_enter_opens_its_term_and_esc_comes_back() {
    let (mut a, _) = open_section(100, 30);
    let before = screen_text(&a, 100, 30);
    let mut opened = None;
    for _ in 0..40 {
        keys(&mut a, "<tab>");
        let shown = screen_text(&a, 100, 30);
        if shown.contains("in the glossary") {
            keys(&mut a, "<ret>");
            opened = Some(shown);
            break;
        }
    }
    let status = opened.expect("Tab reaches a glossary link");
    assert_eq!(a.screen(), ScreenId::Glossary);
    let title = status
        .split('\u{201c}')
        .nth(1)
        .and_then(|t| t.split('\u{201d}').next())
        .expect("the status names the term")
        .to_string();
    let detail = screen_text(&a, 100, 30);
    assert!(detail.contains(&title), "{detail}");
    keys(&mut a, "<esc>");
    assert_eq!(a.screen(), ScreenId::Lesson);
    // Back at the same place (the focus mark aside).
    let after = screen_text(&a, 100, 30);
    assert_eq!(
        before.lines().nth(1),
        after.lines().nth(1),
        "same section after coming back"
    );
}

#[test]
fn the_focused_link_is_reversed_and_nothing_else_is() {
    let (mut a, _) = open_section(120, 40);
    for _ in 0..40 {
        keys(&mut a, "<tab>");
        if screen_text(&a, 120, 40).contains("in the glossary") {
            break;
        }
    }
    let t = terminal(&a, 120, 40);
    let buf = t.backend().buffer();
    let reversed: String = buf
        .content()
        .iter()
        .filter(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED))
        .map(|c| c.symbol())
        .collect();
    assert!(!reversed.trim().is_empty(), "a link is marked");
    // The marked cells are exactly one link's words (wrapped or not).
    let (lesson, si, _) = section_with_a_link();
    let pack = builtin_pack();
    let section = &pack
        .lessons
        .iter()
        .find(|l| l.id == lesson)
        .expect("lesson")
        .sections[si];
    let squash = |t: &str| t.split_whitespace().collect::<String>();
    let texts: Vec<String> = link_texts(&section.blocks)
        .iter()
        .map(|t| squash(t))
        .collect();
    assert!(
        texts.contains(&squash(&reversed)),
        "{reversed:?} is not one of the links {texts:?}"
    );
}

/// The shown text of every glossary link in `blocks`.
fn link_texts(blocks: &[keyshake::core::content::Block]) -> Vec<String> {
    fn inl(v: &[Inline], out: &mut Vec<String>) {
        for i in v {
            if let Inline::TermLink { text, .. } = i {
                out.push(text.clone());
            }
        }
    }
    let mut out = Vec::new();
    for b in blocks {
        match &b.kind {
            BlockKind::Paragraph(v) | BlockKind::Heading { text: v, .. } => inl(v, &mut out),
            BlockKind::List { items, .. } => items.iter().for_each(|v| inl(v, &mut out)),
            BlockKind::Callout { body, .. } => out.extend(link_texts(body)),
            BlockKind::Table { header, rows } => {
                header.iter().for_each(|v| inl(v, &mut out));
                rows.iter().flatten().for_each(|v| inl(v, &mut out));
            }
            BlockKind::Define {
                term,
                means,
                example,
            } => {
                inl(term, &mut out);
                inl(means, &mut out);
                inl(example, &mut out);
            }
            _ => {}
        }
    }
    out
}

#[test]
fn a_click_on_a_link_opens_its_term() {
    let (mut a, _) = open_section(100, 30);
    // Find the first link's cells by tabbing to it, then click there.
    let mut at = None;
    for _ in 0..40 {
        keys(&mut a, "<tab>");
        let t = terminal(&a, 100, 30);
        let buf = t.backend().buffer();
        at = (0..30u16).find_map(|y| {
            (0..100u16)
                .find(|x| {
                    buf[(*x, y)]
                        .modifier
                        .contains(ratatui::style::Modifier::REVERSED)
                })
                .map(|x| (x, y))
        });
        if at.is_some() && screen_text(&a, 100, 30).contains("in the glossary") {
            break;
        }
    }
    let (x, y) = at.expect("a link on screen");
    keys(&mut a, "<esc>");
    let (mut a, _) = open_section(100, 30);
    // The same layout without focus: the click alone opens it.
    for _ in 0..40 {
        keys(&mut a, "<tab>");
        if screen_text(&a, 100, 30).contains("in the glossary") {
            break;
        }
    }
    a.handle(Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(a.screen(), ScreenId::Glossary);
}
