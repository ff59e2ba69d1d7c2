//! Every screen at every common size: no word or number is cut in half,
//! and every lab's task, hints and explanation can be read to the end.
//!
//! "Cut in half" is judged against the words the tutor can show at all:
//! every run of letters and digits on screen must be a word that occurs
//! somewhere in the course or the program's own text. A clipped editor
//! line is allowed only next to its continuation mark (`›`, `‹`).

use crate::tui_common::{app, keys, pack, terminal};

use keyshake::tui::app::App;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashSet;
use std::path::Path;

const SIZES: [(u16, u16); 4] = [(80, 24), (100, 30), (120, 40), (200, 50)];

fn tokens(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_alphanumeric() {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Every word of the course files and of the program's source text.
fn vocabulary() -> HashSet<String> {
    fn walk(dir: &Path, words: &mut HashSet<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, words);
            } else if let Ok(text) = std::fs::read_to_string(&p) {
                let chars: Vec<char> = text.chars().collect();
                for (a, b) in tokens(&text) {
                    let w: String = chars[a..b].iter().collect();
                    words.insert(w.to_lowercase());
                }
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut words = HashSet::new();
    for dir in ["src", "content", "tests/scenarios", "tests/fixtures"] {
        walk(&root.join(dir), &mut words);
    }
    words
}

/// The words on screen that are no word at all: a word or number cut.
fn cut_words(a: &App, w: u16, h: u16, vocab: &HashSet<String>) -> Vec<String> {
    cut_words_in(a, w, h, vocab, false)
}

/// As [`cut_words`]; `data`: hex and numbers made up at run time pass.
fn cut_words_in(a: &App, w: u16, h: u16, vocab: &HashSet<String>, data: bool) -> Vec<String> {
    let t = terminal(a, w, h);
    let buf = t.backend().buffer();
    let mut bad = Vec::new();
    for y in 0..h {
        let row: Vec<String> = (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect();
        let line: String = row.concat();
        let chars: Vec<char> = line.chars().collect();
        for (s, e) in tokens(&line) {
            let word: String = chars[s..e].iter().collect();
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            // Single letters and short plain numbers (counts, times,
            // percentages) are made up as the tutor runs.
            if word.chars().count() < 2 || (letters == 0 && word.len() < 5) {
                continue;
            }
            // Bytes, seeds and timers the walkthrough and the quiz make
            // up as they run.
            if data && word.chars().all(|c| c.is_ascii_hexdigit()) {
                continue;
            }
            let marked = chars.get(e) == Some(&'›') || s > 0 && chars.get(s - 1) == Some(&'‹');
            if !marked && !vocab.contains(&word.to_lowercase()) {
                bad.push(format!(
                    "{w}x{h} row {y}: {word:?} in {:?}",
                    line.trim_end()
                ));
            }
        }
    }
    bad
}

fn press(a: &mut App, code: KeyCode, mods: KeyModifiers) {
    a.handle(Event::Key(KeyEvent::new(code, mods)));
}

/// Draws the screen, then pages down through it to its end, checking
/// every page (at most `pages`).
fn check_pages(
    a: &mut App,
    (w, h): (u16, u16),
    vocab: &HashSet<String>,
    (pages, data): (usize, bool),
    bad: &mut Vec<String>,
) {
    let mut last = String::new();
    for _ in 0..pages {
        bad.extend(cut_words_in(a, w, h, vocab, data));
        let now = format!("{:?}", terminal(a, w, h).backend().buffer());
        if now == last {
            break;
        }
        last = now;
        press(a, KeyCode::PageDown, KeyModifiers::NONE);
    }
}

fn report(bad: Vec<String>) {
    let mut bad = bad;
    bad.sort();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} words cut mid-word, first ones:\n{}",
        bad.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn home_glossary_help_and_every_lesson_section_cut_no_word() {
    let vocab = vocabulary();
    let p = pack();
    let mut bad = Vec::new();
    for (w, h) in SIZES {
        let mut a = app(w, h);
        check_pages(&mut a, (w, h), &vocab, (6, false), &mut bad);
        keys(&mut a, "?");
        bad.extend(cut_words(&a, w, h, &vocab));
        keys(&mut a, "<esc>/");
        bad.extend(cut_words(&a, w, h, &vocab));
        keys(&mut a, "<ret>");
        bad.extend(cut_words(&a, w, h, &vocab));
        for lesson in &p.lessons {
            let mut a = app(w, h);
            keys(&mut a, &format!("<sel:lesson:{}><ret>", lesson.id));
            for _ in 0..lesson.sections.len() {
                check_pages(&mut a, (w, h), &vocab, (40, false), &mut bad);
                keys(&mut a, "n");
            }
        }
    }
    report(bad);
}

#[test]
fn every_lab_start_and_solved_cuts_no_word_and_its_notes_scroll_to_the_end() {
    let vocab = vocabulary();
    let p = pack();
    let mut bad = Vec::new();
    for (w, h) in SIZES {
        for lab in &p.labs {
            let mut a = app(w, h);
            keys(&mut a, &format!("<sel:lab:{}><ret>", lab.id));
            bad.extend(cut_words(&a, w, h, &vocab));
            press(&mut a, KeyCode::F(1), KeyModifiers::NONE);
            bad.extend(cut_words(&a, w, h, &vocab));
            keys(&mut a, "<esc>");
            for solved in [false, true] {
                if solved {
                    for (i, e) in lab.editable.iter().enumerate() {
                        if i > 0 {
                            keys(&mut a, "<tab>");
                        }
                        press(&mut a, KeyCode::Char('a'), KeyModifiers::CONTROL);
                        a.handle(Event::Paste(e.solution.clone()));
                    }
                    while a.screen() != keyshake::tui::keymap::ScreenId::LabEditor {
                        keys(&mut a, "<tab>");
                    }
                    bad.extend(cut_words(&a, w, h, &vocab));
                }
                // F6: the notes in full, paged to their end.
                press(&mut a, KeyCode::F(6), KeyModifiers::NONE);
                let mut reached = false;
                for _ in 0..60 {
                    bad.extend(cut_words(&a, w, h, &vocab));
                    let t = terminal(&a, w, h);
                    let buf = t.backend().buffer();
                    let bottom: String = (0..w)
                        .map(|x| buf[(x, h - 3)].symbol().to_string())
                        .collect();
                    if !bottom.contains("more (") {
                        reached = true;
                        break;
                    }
                    press(&mut a, KeyCode::PageDown, KeyModifiers::NONE);
                }
                assert!(
                    reached,
                    "lab {} ({solved}) at {w}x{h}: the notes never end",
                    lab.id
                );
                press(&mut a, KeyCode::F(6), KeyModifiers::NONE);
            }
        }
    }
    report(bad);
}

#[test]
fn walkthrough_and_quiz_screens_cut_no_word() {
    let vocab = vocabulary();
    let mut bad = Vec::new();
    for (w, h) in SIZES {
        let mut a = app(w, h);
        keys(&mut a, "<sel:walkthrough><ret>");
        for _ in 0..10 {
            bad.extend(cut_words_in(&a, w, h, &vocab, true));
            keys(&mut a, "l");
        }
        for macro_ in [
            "<sel:quiz:practice><ret>",
            "<sel:quiz:practice><ret>s",
            "<sel:quiz:practice><ret>sa",
            "<sel:quiz:exam><ret>",
            "<sel:quiz:exam><ret>sanbfnr",
            "<sel:quiz:exam><ret>sanbfnss",
        ] {
            let mut a = app(w, h);
            keys(&mut a, macro_);
            check_pages(&mut a, (w, h), &vocab, (10, true), &mut bad);
        }
    }
    report(bad);
}

/// The sandbox (`keyshake lab FILE`) and the overlays over it (its help,
/// the quit question) and over the course screens (help in the lab, the
/// quiz and the walkthrough) cut no word either.
#[test]
fn sandbox_and_every_overlay_cut_no_word() {
    let vocab = vocabulary();
    let scenario = include_str!("../fixtures/sandbox-exercise.toml");
    let mut bad = Vec::new();
    for (w, h) in SIZES {
        let lab = keyshake::core::content::Lab::sandbox("exercise.toml", scenario)
            .unwrap_or_else(|d| panic!("{d:?}"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("exercise.toml");
        std::fs::write(&path, scenario).unwrap_or_else(|e| panic!("{e}"));
        let mut a = app(w, h);
        a.open_sandbox(lab, path);
        bad.extend(cut_words(&a, w, h, &vocab));
        // Every request of the file, selected in turn.
        for _ in 0..4 {
            keys(&mut a, "<tab>");
            bad.extend(cut_words(&a, w, h, &vocab));
        }
        press(&mut a, KeyCode::F(1), KeyModifiers::NONE);
        check_pages(&mut a, (w, h), &vocab, (10, false), &mut bad);
        keys(&mut a, "<esc>");
        // An unsaved edit, then quitting: the question over the screen.
        press(&mut a, KeyCode::Char('x'), KeyModifiers::NONE);
        press(&mut a, KeyCode::Char('q'), KeyModifiers::CONTROL);
        bad.extend(cut_words(&a, w, h, &vocab));
        let first_lab = format!("<sel:lab:{}><ret>", pack().labs[0].id);
        for macro_ in [
            first_lab.as_str(),
            "<sel:quiz:practice><ret>",
            "<sel:walkthrough><ret>",
        ] {
            let mut a = app(w, h);
            keys(&mut a, macro_);
            press(&mut a, KeyCode::F(1), KeyModifiers::NONE);
            check_pages(&mut a, (w, h), &vocab, (10, false), &mut bad);
            keys(&mut a, "?");
            check_pages(&mut a, (w, h), &vocab, (10, false), &mut bad);
        }
    }
    report(bad);
}
