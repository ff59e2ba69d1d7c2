//! The course map's Drills entry: a generated drill taken with keys in a
//! TestBackend, each answer checked against the engine's (worked out from
//! the library with the same seed), the finished drill saved to progress.

use crate::tui_common;

use keyshake::core::drill::{self, Answer, Options};
use keyshake::core::progress::ProgressStore;
use keyshake::core::quiz::labels::DENY_REASONS;
use keyshake::core::world::Verdict;
use keyshake::tui::app::App;
use keyshake::tui::keymap::ScreenId;
use keyshake::tui::screens::drill::DrillScreen;
use tui_common::{SharedStore, keys, screen_text};

fn drill_app(store: SharedStore, seed: u64) -> App {
    let mut setup = tui_common::setup(100, 40, false, Box::new(store));
    setup.quiz_seed = Some(seed);
    App::new(setup)
}

/// The keys that answer `d` right.
fn right_keys(d: &drill::Drill) -> Vec<String> {
    d.questions
        .iter()
        .map(|q| match &q.answer {
            Answer::Verdict(Verdict::Allow, _) => "a".to_string(),
            Answer::Verdict(_, r) => {
                let n = DENY_REASONS.iter().position(|x| x == r).unwrap_or(0) + 1;
                format!("b{n}")
            }
            Answer::Choice(i) => char::from(b'a' + u8::try_from(*i).unwrap_or(0)).to_string(),
        })
        .collect()
}

#[test]
fn a_drill_from_the_course_map_is_answered_checked_and_saved() {
    // An even and an odd seed: one working world, one broken one.
    for seed in [300, 301] {
        let store = SharedStore::default();
        let mut app = drill_app(store.clone(), seed);
        keys(&mut app, "<sel:drill><ret>");
        assert_eq!(app.screen(), ScreenId::Drill);
        let d = drill::generate(
            seed,
            &Options {
                level: 1,
                ..Options::default()
            },
        )
        .expect("drill");
        let first = screen_text(&app, 100, 40);
        assert!(
            first.contains("[[accounts]]") && first.contains("title ="),
            "{first}"
        );
        assert!(first.contains("a) ALLOW"), "{first}");
        insta::assert_snapshot!(format!("drill_start_{seed}"), first);
        for k in right_keys(&d) {
            keys(&mut app, &k);
            let shown = screen_text(&app, 100, 40);
            assert!(shown.contains("Right."), "seed {seed}, keys {k}:\n{shown}");
            keys(&mut app, "<ret>");
        }
        // The drill is saved once, right, under its misconception.
        let saved = store.0.borrow_mut().load(0).expect("load").progress;
        let answers = &saved.quiz.answers;
        assert_eq!(answers.len(), 1, "seed {seed}");
        assert_eq!(answers[0].question, d.progress_id());
        assert!(answers[0].correct);
        assert_eq!(answers[0].mode, "drill");
        // The next drill is on screen; q goes back to the map.
        assert_eq!(app.screen(), ScreenId::Drill);
        keys(&mut app, "q");
        assert_eq!(app.screen(), ScreenId::Home);
    }
}

#[test]
fn a_wrong_verdict_is_marked_and_kept() {
    let store = SharedStore::default();
    let mut app = drill_app(store.clone(), 301);
    keys(&mut app, "<sel:drill><ret>");
    let d = drill::generate(
        301,
        &Options {
            level: 1,
            ..Options::default()
        },
    )
    .expect("drill");
    let wrong = match d.questions[0].answer {
        Answer::Verdict(Verdict::Allow, _) => "b2",
        _ => "a",
    };
    keys(&mut app, wrong);
    let shown = screen_text(&app, 100, 40);
    assert!(shown.contains("Not quite."), "{shown}");
    keys(&mut app, "q");
    let saved = store.0.borrow_mut().load(0).expect("load").progress;
    assert_eq!(saved.quiz.answers.len(), 1);
    assert!(!saved.quiz.answers[0].correct);
    // The missed misconception comes back first, in a new world, even
    // from another seed.
    let mut app = drill_app(store.clone(), 9_000);
    keys(&mut app, "<sel:drill><ret>");
    let screen = app.find::<DrillScreen>().expect("drill screen");
    let back = screen.drill().expect("a drill");
    assert_eq!(back.misconception.id, d.misconception.id);
    assert_eq!(back.seed, 9_000);
}

#[test]
fn f_opens_a_denied_drill_in_the_lab_editor_with_its_probes_as_goals_and_keeps_nothing() {
    let o = Options {
        level: 1,
        ..Options::default()
    };
    let seed = (0..200)
        .find(|s| {
            drill::generate(*s, &o).is_ok_and(|d| d.lab_scenario().is_some() && d.probes.len() >= 2)
        })
        .expect("a denied drill with a policy defect");
    let d = drill::generate(seed, &o).expect("drill");
    let store = SharedStore::default();
    let mut app = drill_app(store.clone(), seed);
    keys(&mut app, "<sel:drill><ret>f");
    assert!(matches!(app.screen(), ScreenId::Lab | ScreenId::LabEditor));
    let text = screen_text(&app, 120, 40);
    // The drill's request is a goal, and so is each probe (must stay denied).
    assert!(text.contains(&d.world.request.name), "{text}");
    assert!(text.contains(&d.probes[0].name), "{text}");
    keys(&mut app, "<esc>");
    keys(&mut app, "<esc>");
    let saved = store.0.borrow_mut().load(0).expect("load").progress;
    assert!(
        saved.labs.is_empty(),
        "a drill's lab keeps nothing in progress"
    );
    // One goal for the request and one per probe; the drill's working
    // world meets them all, its broken one not.
    let text = d.lab_scenario().expect("lab");
    let lab = keyshake::core::content::Lab::sandbox("d.toml", &text).expect("lab loads");
    assert_eq!(lab.goals.len(), 1 + d.probes.len());
    let met = |scenario: &str| {
        let w = keyshake::core::world::load_str("d.toml", scenario).expect("loads");
        w.requests
            .iter()
            .all(|r| r.judge(&keyshake::core::eval::evaluate(&w, r)) == Some(true))
    };
    assert!(!met(&text));
    let working = text.replacen(&d.world.toml(None), &d.pair.toml(None), 1);
    assert_ne!(working, text);
    assert!(met(&working));
}
