//! Every screen drawn into a TestBackend at 80x24 and 120x40, checked with
//! insta snapshots (text), plus the colours that carry meaning.

use crate::tui_common;

use ratatui::style::Color;
use tui_common::{app, find, keys, terminal};

/// Draws the app after `macro_` at both sizes and snapshots each.
fn snap(name: &str, macro_: &str) {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut a = app(w, h);
        keys(&mut a, macro_);
        let t = terminal(&a, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), t.backend());
    }
}

#[test]
fn home() {
    snap("home", "");
}

/// The course map scrolled to its labs, the last one selected (this
/// snapshot was once Lab 12's editor, reached by counting rows).
#[test]
fn home_labs_list() {
    let last = tui_common::pack().labs.last().map(|l| l.id.clone());
    let last = last.unwrap_or_else(|| panic!("the course has labs"));
    snap("home_labs", &format!("<sel:lab:{last}>"));
}

#[test]
fn lesson_start() {
    // Continue on a fresh start opens the first section of lesson 1.
    snap("lesson_start", "<ret>");
}

#[test]
fn lesson_handshake_diagram_step_two() {
    // Lesson 4, Tab focuses the diagram, → twice.
    snap(
        "lesson_handshake_diagram",
        "<sel:lesson:handshake><ret><tab-to:diagram><right><right>",
    );
}

#[test]
fn lesson_envelope_diagram() {
    snap(
        "lesson_envelope_diagram",
        "<sel:lesson:envelope><ret>n<tab-to:diagram><right>",
    );
}

/// The envelope diagram's last step: the way back draws its arrows
/// pointing back, and no "→ next" is offered.
#[test]
fn lesson_envelope_diagram_last_step() {
    snap(
        "lesson_envelope_diagram_last",
        "<sel:lesson:envelope><ret>n<tab-to:diagram><right><right><right><right><right><right>",
    );
}

/// Without colour, the current hop is named in words ("now: ...").
#[test]
fn lesson_envelope_diagram_unwrap_step_in_ascii() {
    let mut a = tui_common::ascii_app(80, 24);
    keys(
        &mut a,
        "<sel:lesson:envelope><ret>n<tab-to:diagram><right><right><right><right><right>",
    );
    let t = terminal(&a, 80, 24);
    assert!(
        find(
            &t,
            "now: Encrypted data key -> KMS key, and back -> Data key"
        )
        .is_some(),
        "{}",
        tui_common::screen_text(&a, 80, 24)
    );
    insta::assert_snapshot!("lesson_envelope_diagram_unwrap_ascii_80x24", t.backend());
}

#[test]
fn lesson_checkpoint_wrong_answer() {
    snap(
        "lesson_checkpoint_wrong",
        "<sel:lesson:handshake><ret>G1<ret>",
    );
}

#[test]
fn glossary_search() {
    snap("glossary_search", "/grant");
}

#[test]
fn glossary_definition() {
    snap("glossary_definition", "/alias<ret>");
}

#[test]
fn help_on_lesson() {
    snap("help_lesson", "<ret>?");
}

#[test]
fn too_small() {
    let a = app(60, 20);
    let t = terminal(&a, 60, 20);
    insta::assert_snapshot!("too_small_60x20", t.backend());
}

#[test]
fn completed_lesson_shows_a_green_tick_and_a_full_bar() {
    let mut a = app(80, 24);
    // Lesson 1: read each section to the end and answer its checkpoints.
    keys(&mut a, "<ret>");
    for _ in 0..10 {
        keys(&mut a, "G");
        for _ in 0..4 {
            keys(&mut a, "1<ret>");
        }
        keys(&mut a, "n");
        if a.find::<keyshake::tui::screens::lesson::LessonScreen>()
            .is_some_and(|l| l.lesson_id() != "welcome")
        {
            break;
        }
    }
    keys(&mut a, "<esc>");
    let t = terminal(&a, 80, 24);
    let (x, y) = find(&t, "✓").unwrap_or_else(|| panic!("no tick on\n{}", t.backend()));
    let buf = t.backend().buffer();
    assert_eq!(buf[(x, y)].fg, Color::Green);
    assert!(find(&t, "100%").is_some(), "{}", t.backend());
    assert_eq!(y, find(&t, " 1. Welcome").map(|p| p.1).unwrap_or(0));
}

#[test]
fn right_answer_is_green_and_wrong_answer_red() {
    let mut a = app(120, 40);
    keys(&mut a, "<sel:lesson:handshake><ret>G1<ret>");
    let t = terminal(&a, 120, 40);
    let (x, y) = find(&t, "✗ Not quite").unwrap_or_else(|| panic!("{}", t.backend()));
    assert_eq!(t.backend().buffer()[(x, y)].fg, Color::Red);
    // The right choice is marked with a green tick.
    let (x, y) = find(&t, "✓ (").unwrap_or_else(|| panic!("{}", t.backend()));
    assert_eq!(t.backend().buffer()[(x, y)].fg, Color::Green);
}

#[test]
fn no_color_draws_no_colour_but_keeps_the_words_and_symbols() {
    let store = Box::new(keyshake::core::progress::MemStore::default());
    let mut a = tui_common::app_with(120, 40, false, store);
    keys(&mut a, "<sel:lesson:handshake><ret>G1<ret>");
    let t = terminal(&a, 120, 40);
    let buf = t.backend().buffer();
    for cell in buf.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
    }
    assert!(find(&t, "✗ Not quite").is_some());
    assert!(find(&t, "✓ (").is_some());
}

/// The two screens shown in the README: a learner three lessons in, and
/// the handshake diagram at its third step. 100x30, as a terminal shows.
fn readme_screens() -> Vec<(&'static str, String)> {
    use keyshake::core::progress::{MemStore, Progress};
    let pack = tui_common::pack();
    let mut p = Progress::default();
    for lesson in pack.lessons.iter().take(3) {
        for s in &lesson.sections {
            p.complete_section(&pack, &lesson.id, &s.id, tui_common::NOW);
        }
    }
    if let Some(first) = pack.lesson("handshake").and_then(|l| l.sections.first()) {
        p.complete_section(&pack, "handshake", &first.id, tui_common::NOW);
    }
    p.set_position("handshake", Some("key-policy-half"), 0);
    let store = || {
        Box::new(MemStore {
            progress: p.clone(),
        })
    };
    let home = tui_common::app_with(100, 30, true, store());
    let mut lesson = tui_common::app_with(100, 30, true, store());
    keys(&mut lesson, "<ret>p<tab-to:diagram><right><right>");
    vec![
        ("home", tui_common::screen_text(&home, 100, 30)),
        (
            "lesson-handshake",
            tui_common::screen_text(&lesson, 100, 30),
        ),
    ]
}

fn asset_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("assets/{name}.txt"))
}

fn readme_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")
}

/// The README with the block after `<!-- screen: NAME -->` set to `text`.
fn readme_with(readme: &str, name: &str, text: &str) -> String {
    let open = format!("<!-- screen: {name} -->\n");
    let Some(start) = readme.find(&open).map(|i| i + open.len()) else {
        panic!("README.md has no {open:?} marker");
    };
    let Some(len) = readme[start..].find("<!-- /screen -->") else {
        panic!("README.md: {name} block not closed");
    };
    format!(
        "{}```text\n{}\n```\n{}",
        &readme[..start],
        text.trim_end_matches('\n'),
        &readme[start + len..]
    )
}

/// Regenerates `assets/*.txt` and the README's copies of them:
/// `cargo test --test it tui_screens -- --ignored`.
#[test]
#[ignore = "writes assets/ and README.md; run on purpose"]
fn write_readme_screens() {
    let mut readme = std::fs::read_to_string(readme_path()).unwrap_or_else(|e| panic!("{e}"));
    for (name, text) in readme_screens() {
        std::fs::write(asset_path(name), &text).unwrap_or_else(|e| panic!("{name}: {e}"));
        readme = readme_with(&readme, name, &text);
    }
    std::fs::write(readme_path(), readme).unwrap_or_else(|e| panic!("{e}"));
}

/// The README's screens (and assets/) are what the app draws today.
#[test]
fn readme_screens_are_current() {
    let readme = std::fs::read_to_string(readme_path()).unwrap_or_default();
    for (name, text) in readme_screens() {
        let saved = std::fs::read_to_string(asset_path(name)).unwrap_or_default();
        let fix = "regenerate with `cargo test --test it tui_screens -- --ignored`";
        assert!(saved == text, "assets/{name}.txt is stale; {fix}");
        assert!(
            readme_with(&readme, name, &text) == readme,
            "README.md's {name} screen is stale; {fix}"
        );
    }
}

#[test]
fn the_selected_row_is_reversed_and_marked() {
    for color in [true, false] {
        let store = Box::new(keyshake::core::progress::MemStore::default());
        let mut a = tui_common::app_with(80, 24, color, store);
        keys(&mut a, "jj");
        let t = terminal(&a, 80, 24);
        let (x, y) = find(&t, "▶").unwrap_or_else(|| panic!("{}", t.backend()));
        assert_eq!(Some(y), find(&t, " 2. Three kinds").map(|p| p.1));
        let cell = &t.backend().buffer()[(x + 3, y)];
        assert!(cell.modifier.contains(ratatui::style::Modifier::REVERSED));
    }
}

/// Lab 23 shows its RCP as a tab of its own, next to the key policy.
#[test]
fn lab_with_an_rcp_tab() {
    snap("lab_rcp_tabs", "<sel:lab:rcp-partner-door><ret>");
}
