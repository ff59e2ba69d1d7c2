//! The mastery picture from a fixture progress on the built-in course: the
//! figures (core), the screen at 80x24 and 120x40 (TestBackend snapshots,
//! colour and NO_COLOR/ASCII), Enter opening what to study next, and the
//! same figures in `keyshake progress`.

use keyshake::core::content::Pack;
use keyshake::core::mastery::{Mastery, Target};
use keyshake::core::progress::{LabProgress, MemStore, Progress};
use keyshake::core::quiz::AnswerRecord;
use keyshake::core::quiz::schedule::DAY;
use keyshake::tui::app::{App, Setup};
use keyshake::tui::keymap::ScreenId;

use crate::tui_common::{self, NOW, keys, screen_text, terminal};

/// Bank questions tagged with exactly `objective`.
fn only(pack: &Pack, objective: &str) -> Vec<String> {
    pack.questions
        .iter()
        .filter(|q| q.objectives == [objective])
        .map(|q| q.id.clone())
        .collect()
}

fn answer(id: &str, at: u64, correct: bool) -> AnswerRecord {
    AnswerRecord {
        question: id.into(),
        at,
        mode: "practice".into(),
        correct,
        ..AnswerRecord::default()
    }
}

/// key-policy: right, right, wrong today and right 30 days ago; aliases:
/// two wrong today (and a later right retry, not counted); the first
/// lesson's first two checkpoints (handshake) right and wrong 30 days
/// ago; the key-policy-half lab (handshake) solved today.
pub fn fixture(pack: &Pack) -> Progress {
    let mut p = Progress::default();
    let kp = only(pack, "key-policy");
    let al = only(pack, "aliases");
    p.quiz.record_answer(answer(&kp[3], NOW - 30 * DAY, true));
    for (id, ok) in [(&kp[0], true), (&kp[1], true), (&kp[2], false)] {
        p.quiz.record_answer(answer(id, NOW, ok));
    }
    p.quiz.record_answer(answer(&al[0], NOW, false));
    p.quiz.record_answer(answer(&al[1], NOW, false));
    p.quiz.record_answer(answer(&al[1], NOW + 60, true));
    let lesson = &pack.lessons[0];
    let cps: Vec<&str> = lesson
        .sections
        .iter()
        .flat_map(|s| &s.checkpoints)
        .map(|c| c.id.as_str())
        .collect();
    p.record_checkpoint(cps[0], &[0], true, NOW - 30 * DAY);
    p.record_checkpoint(cps[1], &[0], false, NOW - 30 * DAY);
    p.labs.insert(
        "key-policy-half".into(),
        LabProgress {
            started: Some(NOW - 600),
            solved_at: Some(NOW),
            ..LabProgress::default()
        },
    );
    p
}

fn score(m: &Mastery, id: &str) -> Option<u32> {
    m.objectives
        .iter()
        .find(|b| b.id == id)
        .and_then(|b| b.score)
}

#[test]
fn figures_from_a_fixture_progress() {
    let pack = tui_common::pack();
    assert_eq!(pack.lessons[0].objectives, ["handshake"]);
    let m = Mastery::new(&pack, &fixture(&pack), &[], NOW);
    // (1 + 1 + 0.5) / (1 + 1 + 1 + 0.5) = 71.4%.
    assert_eq!(score(&m, "key-policy"), Some(71));
    assert_eq!(score(&m, "aliases"), Some(0));
    // Checkpoints 0.5 right of 1 and the lab 1 of 1: 1.5 / 2 = 75%.
    assert_eq!(score(&m, "handshake"), Some(75));
    assert_eq!(score(&m, "rotation"), None);
    let attempts: u32 = m.overall.attempts;
    assert_eq!(attempts, 9);
    // Overall: right 0.5 + 1 + 1 (bank) + 0.5 (checkpoint) + 1 (lab) = 4
    // of 7.5 weighted attempts = 53.3%.
    assert_eq!(m.overall.score, Some(53));
    // The weakest: key-types has no attempt (0), before aliases (0) in
    // pack order; its lesson is not done.
    let next = m.next.clone().map(|n| (n.objective, n.target));
    assert_eq!(
        next,
        Some((
            "key-types".into(),
            Target::Lesson(pack.lessons[1].id.clone())
        ))
    );
    assert_eq!(m.forecast.len(), 30);
    assert!(m.forecast.windows(2).all(|w| w[1] <= w[0]));
}

fn app_at(w: u16, h: u16, ascii: bool) -> App {
    let pack = tui_common::pack();
    let store = MemStore {
        progress: fixture(&pack),
    };
    let mut setup: Setup = tui_common::setup(w, h, !ascii, Box::new(store));
    setup.ascii = ascii;
    let mut app = App::new(setup);
    keys(&mut app, "<sel:mastery><ret>");
    assert_eq!(app.screen(), ScreenId::Mastery);
    app
}

#[test]
fn mastery_screen_snapshots() {
    for (w, h) in [(80, 24), (120, 40)] {
        let app = app_at(w, h, false);
        insta::assert_snapshot!(format!("mastery_{w}x{h}"), terminal(&app, w, h).backend());
    }
    insta::assert_snapshot!(
        "mastery_ascii_80x24",
        screen_text(&app_at(80, 24, true), 80, 24)
    );
}

#[test]
fn every_bar_has_its_number_without_colour() {
    let text = screen_text(&app_at(120, 40, true), 120, 40);
    for needle in [
        "key-policy",
        " 71%",
        "aliases",
        "  0%",
        "handshake",
        " 75%",
        "Study next: lesson 2.",
    ] {
        assert!(text.contains(needle), "{needle}:\n{text}");
    }
    assert!(text.is_ascii(), "{text}");
}

#[test]
fn enter_opens_what_to_study_next_and_esc_goes_back() {
    let mut app = app_at(80, 24, false);
    keys(&mut app, "<ret>");
    assert_eq!(app.screen(), ScreenId::Lesson);
    let mut app = app_at(80, 24, false);
    keys(&mut app, "<esc>");
    assert_eq!(app.screen(), ScreenId::Home);
}

#[test]
fn the_course_map_shows_the_top_line() {
    let pack = tui_common::pack();
    let top = Mastery::new(&pack, &fixture(&pack), &[], NOW).top_line();
    let store = MemStore {
        progress: fixture(&pack),
    };
    let mut app = App::new(tui_common::setup(120, 60, true, Box::new(store)));
    keys(&mut app, "<sel:mastery>");
    let text = screen_text(&app, 120, 60);
    assert!(text.contains(&top), "{top}\n{text}");
}

#[test]
fn arrows_set_the_desired_retention_within_0_70_to_0_97() {
    let pack = tui_common::pack();
    let store = tui_common::SharedStore::default();
    store.0.borrow_mut().progress = fixture(&pack);
    let mut app = App::new(tui_common::setup(100, 30, false, Box::new(store.clone())));
    keys(&mut app, "<sel:mastery><ret>");
    assert!(screen_text(&app, 100, 30).contains("Desired retention 0.90"));
    keys(&mut app, "<left><left>");
    let saved = store.0.borrow().progress.quiz.retention;
    assert!(saved.is_some_and(|r| (r - 0.88).abs() < 1e-6), "{saved:?}");
    assert!(screen_text(&app, 100, 30).contains("Desired retention 0.88"));
    keys(&mut app, &"l".repeat(20));
    let text = screen_text(&app, 100, 30);
    assert!(text.contains("Desired retention 0.97"), "{text}");
    assert!(text.contains("stays between 0.70 and 0.97"), "{text}");
    let saved = store.0.borrow().progress.quiz.retention;
    assert!(saved.is_some_and(|r| (r - 0.97).abs() < 1e-6), "{saved:?}");
}

/// With every lesson and lab of the weakest objective done, "study next"
/// is a drill on its weakest misconception, and Enter opens that drill.
#[test]
fn enter_opens_a_drill_when_a_drill_is_what_to_study_next() {
    let mut setup: Setup = tui_common::setup(100, 30, true, Box::new(MemStore::default()));
    setup.pack.lessons.clear();
    setup.pack.labs.clear();
    let m = keyshake::core::drill::CATALOG[0];
    let mut progress = keyshake::core::progress::Progress::default();
    progress
        .quiz
        .record_answer(answer(&format!("drill:{}", m.id), NOW - 3_600, false));
    setup.store = Box::new(MemStore { progress });
    let mut app = App::new(setup);
    keys(&mut app, "<sel:mastery><ret>");
    assert_eq!(app.screen(), ScreenId::Mastery);
    let text = screen_text(&app, 100, 30);
    assert!(text.contains("Study next: drill"), "{text}");
    keys(&mut app, "<ret>");
    assert_eq!(app.screen(), ScreenId::Drill);
    let text = screen_text(&app, 100, 30);
    assert!(text.contains("Question 1 of"), "{text}");
}
