//! The FSRS review schedule as a learner notices it through the real
//! binary: an SM-2 progress file from an older version moves over keeping
//! every due date and says so once; the review settings refuse values out
//! of bounds; review with nothing due says when the next one is and offers
//! cram or a drill; cram moves nothing.

use std::path::Path;

use serde_json::Value;

fn must<T, E: std::fmt::Debug>(r: Result<T, E>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{e:?}"),
    }
}

fn keyshake(data: &Path, args: &[&str], input: &str) -> (String, String, i32) {
    crate::cli_common::run_text(data, args, input)
}

fn saved(data: &Path) -> Value {
    must(serde_json::from_slice(&must(std::fs::read(
        data.join("progress.json"),
    ))))
}

fn with_sm2_file() -> tempfile::TempDir {
    let data = must(tempfile::tempdir());
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/progress-sm2.json");
    must(std::fs::copy(fixture, data.path().join("progress.json")));
    data
}

#[test]
fn an_sm2_file_moves_to_fsrs_keeping_due_dates_and_says_so_once() {
    let data = with_sm2_file();
    let (out, err, code) = keyshake(data.path(), &["progress"], "");
    assert_eq!(code, 0, "{err}");
    let notice = "Your review schedule now uses FSRS instead of SM-2: 3 cards moved over, each keeping its due date";
    assert!(out.contains(notice), "{out}");
    let file = saved(data.path());
    let schedule = &file["quiz"]["schedule"];
    for (id, due) in [
        ("aliases-bob", 20_718),
        ("handshake-alice", 20_724),
        ("envelope-carol", 20_760),
    ] {
        let card = &schedule[id];
        assert_eq!(card["due_day"].as_u64(), Some(due), "{id}: {card}");
        assert!(card.get("ease_milli").is_none(), "{id}: {card}");
        assert!(card.get("interval_days").is_none(), "{id}: {card}");
    }
    // A 40-day SM-2 interval becomes a stability of about 40 days.
    let s = schedule["envelope-carol"]["stability"]
        .as_f64()
        .unwrap_or(0.0);
    assert!((s - 40.0).abs() < 0.5, "{s}");
    assert_eq!(schedule["envelope-carol"]["note"], "kept");
    assert_eq!(schedule["envelope-carol"]["lapses"], 1);
    assert_eq!(file["quiz"]["migration"]["noticed"], true);
    // Said once: the next run is quiet.
    let (again, _, _) = keyshake(data.path(), &["progress"], "");
    assert!(!again.contains("SM-2"), "{again}");
}

#[test]
fn retention_outside_0_70_to_0_97_is_refused_and_nothing_changes() {
    let data = must(tempfile::tempdir());
    for bad in ["0.5", "0.98", "ninety"] {
        let (_, err, code) = keyshake(
            data.path(),
            &["progress", "settings", "--retention", bad],
            "",
        );
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(err.contains("from 0.70 to 0.97"), "{err}");
    }
    assert!(!data.path().join("progress.json").exists());
    let (out, err, code) = keyshake(
        data.path(),
        &[
            "progress",
            "settings",
            "--retention",
            "0.85",
            "--exam-date",
            "2099-06-30",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("desired retention 0.85, exam date 2099-06-30"),
        "{out}"
    );
    let quiz = &saved(data.path())["quiz"];
    assert!((quiz["retention"].as_f64().unwrap_or(0.0) - 0.85).abs() < 1e-6);
    let (_, err, code) = keyshake(
        data.path(),
        &["progress", "settings", "--exam-date", "2099-02-30"],
        "",
    );
    assert_eq!(code, 2);
    assert!(err.contains("real date written YYYY-MM-DD"), "{err}");
    let (out, _, _) = keyshake(data.path(), &["progress", "settings", "--no-exam-date"], "");
    assert!(
        out.contains("desired retention 0.85, exam date none"),
        "{out}"
    );
}

#[test]
fn review_with_nothing_due_names_the_next_day_and_offers_cram_or_a_drill() {
    // One practice answer today: its card falls due in a day or two.
    let fresh = must(tempfile::tempdir());
    let (_, _, code) = keyshake(
        fresh.path(),
        &["quiz", "--plain", "--count", "1", "--seed", "3"],
        "a\nq\n",
    );
    assert_eq!(code, 0);
    let (out, err, code) = keyshake(fresh.path(), &["quiz", "--plain", "--mode", "review"], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Nothing is due for review today; the next review is on "),
        "{out}"
    );
    assert!(out.contains("keyshake quiz --mode cram"), "{out}");
    assert!(out.contains("keyshake drill"), "{out}");
    assert!(
        !out.contains("drilled misconception"),
        "no drill is due: {out}"
    );
    // Cram asks it ahead and leaves the schedule as it was.
    let before = saved(fresh.path())["quiz"]["schedule"].clone();
    let (out, err, code) = keyshake(
        fresh.path(),
        &["quiz", "--plain", "--mode", "cram"],
        "a\nq\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Cram, 1 question"), "{out}");
    let after = saved(fresh.path());
    assert_eq!(after["quiz"]["schedule"], before);
    assert_eq!(after["quiz"]["answers"].as_array().map(Vec::len), Some(2));
}

#[test]
fn the_tutor_offers_cram_when_nothing_is_due_and_c_starts_it() {
    use crate::tui_common::{NOW, keys, pack, screen_text, setup};
    use keyshake::core::progress::MemStore;
    use keyshake::tui::app::App;
    use keyshake::tui::keymap::ScreenId;
    let mut store = MemStore::default();
    store
        .progress
        .quiz
        .record_answer(keyshake::core::quiz::AnswerRecord {
            question: pack().questions[0].id.clone(),
            at: NOW,
            mode: "practice".into(),
            correct: true,
            ..Default::default()
        });
    let mut app = App::new(setup(100, 30, false, Box::new(store)));
    keys(&mut app, "<sel:quiz:review><ret>s");
    let text = screen_text(&app, 100, 30);
    assert!(text.contains("the next review is on"), "{text}");
    assert!(text.contains("Press c to review ahead"), "{text}");
    keys(&mut app, "c");
    assert_eq!(app.screen(), ScreenId::Quiz);
    assert!(screen_text(&app, 100, 30).contains("Cram"));
}

#[test]
fn the_tutor_tells_of_the_move_to_fsrs_once() {
    use crate::tui_common::{SharedStore, setup};
    use keyshake::tui::app::App;
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/progress-sm2.json");
    let store = SharedStore::default();
    {
        let dir = must(tempfile::tempdir());
        let mut file = keyshake::core::progress::FileStore::new(dir.path());
        must(std::fs::copy(&fixture, file.path()));
        let loaded = must(keyshake::core::progress::ProgressStore::load(&mut file, 0));
        store.0.borrow_mut().progress = loaded.progress;
    }
    let first = App::new(setup(100, 30, false, Box::new(store.clone())));
    assert!(first.notices().iter().any(|n| n.contains("now uses FSRS")));
    let second = App::new(setup(100, 30, false, Box::new(store)));
    assert!(!second.notices().iter().any(|n| n.contains("FSRS")));
}

#[test]
fn a_missed_checkpoint_comes_back_in_review_under_its_own_card() {
    use keyshake::core::progress::Progress;
    use keyshake::core::quiz::{self, Mode, Settings, schedule::DAY};
    let pack = crate::builtin_pack();
    let lesson = &pack.lessons[0];
    let cp = lesson
        .sections
        .iter()
        .flat_map(|s| &s.checkpoints)
        .map(|c| c.id.clone())
        .next()
        .unwrap_or_default();
    let now = 1_800_000_000;
    let mut p = Progress::default();
    p.record_checkpoint(&cp, &[9], false, now);
    let key = format!("checkpoint:{cp}");
    assert!(p.quiz.schedule.contains_key(&key));
    let review = |p: &Progress, at: u64| {
        quiz::build_seeded(&pack, &p.quiz, &Settings::new(Mode::Review), at, 1)
    };
    assert!(review(&p, now).is_err(), "not due the same day");
    let s = must(review(&p, now + DAY));
    let asked: Vec<&str> = s.items().iter().map(|i| i.question.id.as_str()).collect();
    assert_eq!(asked, vec![key.as_str()]);
    // It is asked about the lesson's objectives, with the checkpoint's text.
    let item = &s.items()[0];
    assert_eq!(item.question.objectives, lesson.objectives);
    assert!(!item.question.prompt.is_empty());
    // Answering it (right) moves that card, not a bank question's.
    p.quiz.record_answer(keyshake::core::quiz::AnswerRecord {
        question: key.clone(),
        at: now + DAY,
        mode: "review".into(),
        correct: true,
        ..Default::default()
    });
    assert_eq!(p.quiz.schedule[&key].repetitions, 2);
    assert!(review(&p, now + 2 * DAY).is_err());
}

#[test]
fn review_with_only_drills_due_points_to_the_drill_command() {
    let data = must(tempfile::tempdir());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let day = now / 86_400;
    // Two drill answers (as the drill command records them) due yesterday.
    let file = serde_json::json!({
        "version": 1,
        "quiz": {
            "answers": [
                {"question": "drill:alias-arn-in-iam", "at": (day - 3) * 86_400, "mode": "drill", "correct": false},
                {"question": "drill:key-policy-half", "at": (day - 3) * 86_400, "mode": "drill", "correct": false}
            ],
            "schedule": {
                "drill:alias-arn-in-iam": {"stability": 0.212, "difficulty": 6.4133, "repetitions": 1, "due_day": day - 1, "last_day": day - 3},
                "drill:key-policy-half": {"stability": 0.212, "difficulty": 6.4133, "repetitions": 1, "due_day": day - 1, "last_day": day - 3}
            }
        }
    });
    must(std::fs::write(
        data.path().join("progress.json"),
        file.to_string(),
    ));
    let (out, err, code) = keyshake(data.path(), &["quiz", "--plain", "--mode", "review"], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("2 drilled misconceptions are due: keyshake drill asks about them."),
        "{out}"
    );
    let (out, _, _) = keyshake(data.path(), &["progress"], "");
    assert!(
        out.contains("Also due for review today: 2 drilled misconceptions."),
        "{out}"
    );
    assert!(
        out.contains("alias-arn-in-iam"),
        "the mastery bars list each misconception: {out}"
    );
}
