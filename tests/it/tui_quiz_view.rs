//! The exam's scenario view (`v`) shows the world only: for every policy
//! question of the built-in bank, full-screen and `--plain`, the view holds
//! the request and no comment, no `expect`/`expect_reason`, no file name
//! and no scenario or question id (ids and file names often name the
//! answer).

use keyshake::cli::quiz::{Options, run};
use keyshake::core::content::{Pack, Question, QuestionKind};
use keyshake::core::progress::MemStore;
use keyshake::core::quiz::{Item, Mode, Session, Settings};
use keyshake::tui::action::Action;

use crate::tui_common;

fn policy_questions(pack: &Pack) -> Vec<Question> {
    pack.questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Policy)
        .cloned()
        .collect()
}

/// What no view may show for `q`: its id, its scenario's name and file,
/// `expect`, and a TOML comment line.
fn assert_neutral(q: &Question, text: &str, how: &str) {
    let scenario = q.scenario.clone().unwrap_or_default();
    assert!(!scenario.is_empty(), "{} has a scenario", q.id);
    for word in [
        q.id.as_str(),
        scenario.as_str(),
        ".toml",
        "expect",
        "[[requests]]",
    ] {
        assert!(
            !text.to_lowercase().contains(&word.to_lowercase()),
            "{how} view of {} shows {word:?}:\n{text}",
            q.id
        );
    }
    for line in text.lines() {
        let line = line.trim_start_matches([' ', '│']);
        assert!(
            !line.starts_with('#'),
            "{how} view of {} shows a comment: {line}",
            q.id
        );
    }
    assert!(text.contains("Request"), "{how} view of {}:\n{text}", q.id);
    assert!(
        text.contains("Caller: arn:aws:"),
        "{how} view of {}:\n{text}",
        q.id
    );
}

#[test]
fn every_policy_questions_full_screen_view_shows_the_world_only() {
    let pack = tui_common::pack();
    let questions = policy_questions(&pack);
    assert!(questions.len() >= 20, "the bank has its policy questions");
    let (w, h) = (160, 400);
    for q in questions {
        let item = Item {
            question: q.clone(),
            order: Vec::new(),
        };
        let session = Session::new(
            Mode::Exam,
            vec![item],
            pack.objectives.clone(),
            (30 * 60, 72),
            Some(1),
            tui_common::NOW,
        );
        let mut a = tui_common::app(w, h);
        a.update(Action::StartQuiz(Box::new(session)));
        // The question itself names no file or scenario either.
        let before = tui_common::screen_text(&a, w, h);
        let scenario = q.scenario.clone().unwrap_or_default();
        assert!(!before.contains(&scenario), "{before}");
        assert!(!before.contains(".toml"), "{before}");
        tui_common::keys(&mut a, "v");
        let text = tui_common::screen_text(&a, w, h);
        assert!(text.contains("--- end of scenario ---"), "{text}");
        assert_neutral(&q, &text, "full-screen");
    }
}

#[test]
fn every_policy_questions_plain_view_shows_the_world_only() {
    let full = tui_common::pack();
    for q in policy_questions(&full) {
        let mut pack = full.clone();
        pack.questions.retain(|x| x.id == q.id);
        let options = Options {
            settings: Settings {
                count: Some(1),
                ..Settings::new(Mode::Exam)
            },
            seed: 1,
            seed_given: true,
            width: None,
            echo: true,
        };
        let mut store = MemStore::default();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(
            &pack,
            &mut store,
            &options,
            &mut "v\nq\n".as_bytes(),
            &mut out,
            &mut err,
            &mut || 1_800_000_000,
        );
        let out = String::from_utf8_lossy(&out).into_owned();
        assert!(code.is_ok(), "{out}");
        let view = out
            .split("--- scenario ---")
            .nth(1)
            .and_then(|rest| rest.split("--- end of scenario ---").next())
            .unwrap_or_else(|| panic!("no scenario view for {}:\n{out}", q.id));
        assert_neutral(&q, view, "plain");
        // And nothing else the plain quiz printed names the scenario.
        let scenario = q.scenario.clone().unwrap_or_default();
        assert!(!out.contains(&scenario), "{out}");
    }
}
