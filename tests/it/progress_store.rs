//! The progress file as a learner would notice it: it survives restarts,
//! a broken file is moved aside with a warning, nothing unknown is thrown
//! away, two keyshake processes never lose each other's updates, and a
//! reset keeps a backup.

use std::fs;
use std::path::Path;

use keyshake::cli::progress::{reset, show, summary_text};
use keyshake::core::content::Pack;
use keyshake::core::progress::{
    FileStore, Progress, ProgressStore, SCHEMA_VERSION, StoreError, StoreWarning, data_dir,
};
use serde_json::Value;

fn must<T, E: std::fmt::Debug>(r: Result<T, E>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{e:?}"),
    }
}

fn read_json(path: &Path) -> Value {
    must(serde_json::from_slice(&must(fs::read(path))))
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = must(fs::read_dir(dir))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A two-lesson pack written to disk, independent of the built-in content.
fn small_pack() -> Pack {
    let dir = must(tempfile::tempdir());
    let root = dir.path();
    must(fs::create_dir_all(root.join("lessons")));
    must(fs::write(
        root.join("objectives.toml"),
        "[[objectives]]\nid = \"handshake\"\ntitle = \"Both halves\"\n",
    ));
    must(fs::write(
        root.join("glossary.toml"),
        "[[terms]]\nid = \"key-policy\"\nterm = \"Key policy\"\ndefinition = \"The policy on a key.\"\n",
    ));
    let lesson = |id: &str, order: u32, cp: &str| {
        format!(
            "id = \"{id}\"\norder = {order}\ntitle = \"Lesson {id}\"\nobjectives = [\"handshake\"]\nsummary = \"s\"\n\n\
             [[sections]]\nid = \"one\"\ntitle = \"One\"\nbody = \"Text.\"\n\n\
             [[sections.checkpoints]]\nid = \"{cp}\"\nkind = \"truefalse\"\nprompt = \"True?\"\nanswer = [0]\nexplanation = \"Yes.\"\n\n\
             [[sections]]\nid = \"two\"\ntitle = \"Two\"\nbody = \"More text.\"\n"
        )
    };
    must(fs::write(
        root.join("lessons/01-a.toml"),
        lesson("alpha", 1, "cp-alpha"),
    ));
    must(fs::write(
        root.join("lessons/02-b.toml"),
        lesson("beta", 2, "cp-beta"),
    ));
    match Pack::load_dir(root) {
        Ok(p) => p,
        Err(d) => panic!("{d:?}"),
    }
}

#[test]
fn progress_survives_a_restart() {
    let dir = must(tempfile::tempdir());
    let pack = small_pack();
    let mut store = FileStore::new(dir.path());
    must(store.update(100, &mut |p| {
        p.mark_seen("alpha", Some("one"), 100);
        p.complete_section(&pack, "alpha", "one", 110);
        p.record_checkpoint("cp-alpha", &[1], false, 120);
        p.record_checkpoint("cp-alpha", &[0], true, 130);
        p.set_position("alpha", Some("two"), 17);
    }));
    let saved = must(store.load(200)).progress;

    // A new process: a new store on the same folder.
    let loaded = must(FileStore::new(dir.path()).load(300));
    assert!(loaded.warnings.is_empty());
    assert_eq!(loaded.progress, saved);
    let p = &loaded.progress;
    assert!(p.section_completed("alpha", "one"));
    assert!(!p.section_completed("alpha", "two"));
    let last = p.last.clone().unwrap_or_default();
    assert_eq!(
        (last.lesson.as_str(), last.section.as_deref(), last.scroll),
        ("alpha", Some("two"), 17)
    );
    let cp = p.checkpoint("cp-alpha").cloned().unwrap_or_default();
    assert_eq!(
        (cp.chosen, cp.correct, cp.at, cp.attempts),
        (vec![0], true, 130, 2)
    );

    // Human-readable: pretty JSON with the schema version on top.
    let text = must(fs::read_to_string(store.path()));
    assert!(text.starts_with("{\n  \"version\": 1,"), "{text}");
    // Only the progress file and the lock file are left behind.
    assert_eq!(names(dir.path()), vec!["progress.json", "progress.lock"]);
}

#[test]
fn completing_every_section_completes_the_lesson() {
    let dir = must(tempfile::tempdir());
    let pack = small_pack();
    let mut store = FileStore::new(dir.path());
    let p = must(store.update(5, &mut |p| p.complete_section(&pack, "beta", "one", 5))).progress;
    assert_eq!(p.lessons.get("beta").and_then(|l| l.completed_at), None);
    let p = must(store.update(9, &mut |p| p.complete_section(&pack, "beta", "two", 9))).progress;
    assert_eq!(p.lessons.get("beta").and_then(|l| l.completed_at), Some(9));
    let s = p.summary(&pack);
    assert_eq!(
        (s.sections_completed(), s.sections_total(), s.percent()),
        (2, 4, 50)
    );
}

#[test]
fn a_corrupt_file_is_moved_aside_with_a_warning() {
    let dir = must(tempfile::tempdir());
    let path = dir.path().join("progress.json");
    must(fs::write(
        &path,
        "{\"version\": 1, \"lessons\": {\"alpha\": ",
    ));
    let mut store = FileStore::new(dir.path());
    let loaded = must(store.load(1_700_000_000));
    assert_eq!(loaded.progress, Progress::default());
    let moved = dir.path().join("progress.1700000000.corrupt");
    match loaded.warnings.as_slice() {
        [StoreWarning::Corrupt { moved_to, .. }] => assert_eq!(moved_to, &moved),
        other => panic!("expected one corrupt warning, got {other:?}"),
    }
    let message = loaded.warnings[0].to_string();
    assert!(message.contains("progress.1700000000.corrupt"), "{message}");
    assert!(message.contains("fresh one"), "{message}");
    // The broken file is kept, byte for byte, not wiped.
    assert_eq!(
        must(fs::read_to_string(&moved)),
        "{\"version\": 1, \"lessons\": {\"alpha\": "
    );
    // Saving works again afterwards.
    must(store.update(1_700_000_001, &mut |p| p.mark_seen("alpha", None, 1)));
    assert_eq!(read_json(&path)["version"], Value::from(SCHEMA_VERSION));
}

#[test]
fn a_wrongly_typed_part_costs_that_part_only_and_the_file_is_copied_first() {
    let dir = must(tempfile::tempdir());
    let text = r#"{"version": 1,
        "checkpoints": [1, 2],
        "labs": {"lab-01": {"hints_used": 2, "solved_at": 9},
                 "lab-02": {"hints_used": "three", "started": 50}},
        "walkthroughs": {"envelope": 5}}"#;
    must(fs::write(dir.path().join("progress.json"), text));
    let loaded = must(FileStore::new(dir.path()).load(42));
    let p = &loaded.progress;
    assert_eq!(p.labs["lab-01"].hints_used, 2);
    assert_eq!(p.labs["lab-01"].solved_at, Some(9));
    assert_eq!(p.labs["lab-02"].started, Some(50));
    assert_eq!(p.walkthroughs["envelope"], 5);
    match loaded.warnings.as_slice() {
        [StoreWarning::Partial { dropped, copy, .. }] => {
            assert_eq!(dropped, &["checkpoints", "labs.lab-02.hints_used"]);
            assert_eq!(must(fs::read_to_string(copy)), text);
        }
        other => panic!("expected one partial warning, got {other:?}"),
    }
    let message = loaded.warnings[0].to_string();
    assert!(message.contains("labs.lab-02.hints_used"), "{message}");
    // Reading the same damaged file again keeps one copy, not two.
    must(FileStore::new(dir.path()).load(43));
    let copies = names(dir.path())
        .into_iter()
        .filter(|n| n.ends_with(".corrupt"))
        .count();
    assert_eq!(copies, 1);
}

#[test]
fn every_single_type_mutation_keeps_the_rest_of_the_file() {
    let text = r#"{"version": 1,
        "lessons": {"alpha": {"first_seen": 1, "sections": {"s1": {"seen": true}}}},
        "checkpoints": {"alpha.c1": {"chosen": [1], "correct": true, "at": 3}},
        "labs": {"lab-01": {"hints_used": 2}},
        "walkthroughs": {"envelope": 5}}"#;
    let base: Value = must(serde_json::from_str(text));
    let leaves = [
        vec!["lessons", "alpha", "first_seen"],
        vec!["lessons", "alpha", "sections", "s1", "seen"],
        vec!["checkpoints", "alpha.c1", "correct"],
        vec!["checkpoints", "alpha.c1", "at"],
        vec!["labs", "lab-01", "hints_used"],
        vec!["walkthroughs", "envelope"],
    ];
    for leaf in &leaves {
        let mut doc = base.clone();
        let mut at = &mut doc;
        for step in leaf {
            at = &mut at[*step];
        }
        *at = Value::from("not this type");
        let dir = must(tempfile::tempdir());
        must(fs::write(dir.path().join("progress.json"), doc.to_string()));
        let loaded = must(FileStore::new(dir.path()).load(7));
        let p = &loaded.progress;
        // Every other top-level part is still there.
        for (top, present) in [
            ("lessons", !p.lessons.is_empty()),
            ("checkpoints", !p.checkpoints.is_empty()),
            ("labs", !p.labs.is_empty()),
            ("walkthroughs", !p.walkthroughs.is_empty()),
        ] {
            assert!(present || top == leaf[0], "{leaf:?} lost {top}");
        }
        assert!(
            matches!(loaded.warnings.as_slice(), [StoreWarning::Partial { .. }]),
            "{leaf:?}: {:?}",
            loaded.warnings
        );
    }
}

#[test]
fn unknown_ids_and_unknown_fields_are_kept_on_save() {
    let dir = must(tempfile::tempdir());
    let path = dir.path().join("progress.json");
    let original = serde_json::json!({
        "version": 1,
        "quiz": {"deck": ["q1", "q2"], "due": {"q1": 1234}},
        "lessons": {
            "lesson-that-was-removed": {
                "sections": {"gone": {"seen": true, "completed": true}}
            },
            "alpha": {
                "first_seen": 10,
                "bookmark": "kept",
                "sections": {"one": {"seen": true, "completed": false, "highlight": [3, 4]}}
            }
        },
        "checkpoints": {
            "checkpoint-renamed-away": {"chosen": [2], "correct": true, "at": 5, "attempts": 1, "confidence": "high"}
        }
    });
    must(fs::write(&path, must(serde_json::to_vec_pretty(&original))));
    let pack = small_pack();
    let mut store = FileStore::new(dir.path());
    let p = must(store.update(50, &mut |p| {
        p.complete_section(&pack, "alpha", "one", 50);
    }))
    .progress;
    assert_eq!(p.summary(&pack).unknown_entries, 2);

    let saved = read_json(&path);
    assert_eq!(saved["quiz"], original["quiz"]);
    assert_eq!(
        saved["lessons"]["lesson-that-was-removed"],
        original["lessons"]["lesson-that-was-removed"]
    );
    assert_eq!(saved["lessons"]["alpha"]["bookmark"], Value::from("kept"));
    assert_eq!(
        saved["lessons"]["alpha"]["sections"]["one"]["highlight"],
        serde_json::json!([3, 4])
    );
    assert_eq!(
        saved["lessons"]["alpha"]["sections"]["one"]["completed"],
        Value::from(true)
    );
    assert_eq!(
        saved["checkpoints"]["checkpoint-renamed-away"],
        original["checkpoints"]["checkpoint-renamed-away"]
    );
}

#[test]
fn a_v0_file_is_upgraded_and_saved_as_the_current_schema() {
    let dir = must(tempfile::tempdir());
    let path = dir.path().join("progress.json");
    must(fs::write(
        &path,
        r#"{"completed": ["alpha/one", "beta/two"], "last_lesson": "beta"}"#,
    ));
    let mut store = FileStore::new(dir.path());
    let loaded = must(store.load(1));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let p = &loaded.progress;
    assert!(p.section_completed("alpha", "one"));
    assert!(p.section_completed("beta", "two"));
    assert_eq!(p.last.as_ref().map(|l| l.lesson.as_str()), Some("beta"));
    must(store.update(2, &mut |p| p.set_position("alpha", None, 0)));
    let saved = read_json(&path);
    assert_eq!(saved["version"], Value::from(SCHEMA_VERSION));
    assert!(saved.get("completed").is_none());
    assert_eq!(
        saved["lessons"]["beta"]["sections"]["two"]["completed"],
        Value::from(true)
    );
}

#[test]
fn a_file_from_a_newer_keyshake_is_shown_but_never_overwritten() {
    let dir = must(tempfile::tempdir());
    let path = dir.path().join("progress.json");
    let text = r#"{"version": 99, "lessons": {}, "checkpoints": {}, "future": true}"#;
    must(fs::write(&path, text));
    let mut store = FileStore::new(dir.path());
    let loaded = must(store.load(1));
    assert!(matches!(
        loaded.warnings.as_slice(),
        [StoreWarning::NewerVersion { found: 99, .. }]
    ));
    let err = store.update(2, &mut |p| p.mark_seen("alpha", None, 2));
    assert!(matches!(
        err,
        Err(StoreError::NewerVersion { found: 99, .. })
    ));
    assert_eq!(must(fs::read_to_string(&path)), text);
}

#[test]
fn two_writers_at_once_lose_nothing() {
    let dir = must(tempfile::tempdir());
    let path = dir.path().to_path_buf();
    let writers: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|name| {
            let path = path.clone();
            std::thread::spawn(move || {
                // Each thread has its own store, as a second process would.
                let mut store = FileStore::new(&path);
                for i in 0..200u64 {
                    must(store.update(i, &mut |p| {
                        p.record_checkpoint(&format!("{name}-{i}"), &[0], true, i);
                        p.mark_seen(name, Some(&format!("s{i}")), i);
                    }));
                }
            })
        })
        .collect();
    for w in writers {
        if w.join().is_err() {
            panic!("a writer thread panicked");
        }
    }
    let p = must(FileStore::new(&path).load(0)).progress;
    assert_eq!(p.checkpoints.len(), 400);
    for name in ["a", "b"] {
        assert_eq!(p.lessons.get(name).map(|l| l.sections.len()), Some(200));
    }
    assert_eq!(names(&path), vec!["progress.json", "progress.lock"]);
}

#[test]
fn reset_asks_first_and_keeps_a_backup() {
    let dir = must(tempfile::tempdir());
    let pack = small_pack();
    let mut store = FileStore::new(dir.path());
    must(store.update(1, &mut |p| p.complete_section(&pack, "alpha", "one", 1)));
    let before = must(fs::read_to_string(store.path()));

    // Declined: nothing changes.
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = reset(
        &mut store,
        false,
        777,
        &mut "n\n".as_bytes(),
        &mut out,
        &mut err,
    );
    let out_text = String::from_utf8_lossy(&out).into_owned();
    assert_eq!(code, Ok(1));
    assert!(out_text.contains("[y/N]"), "{out_text}");
    assert!(out_text.contains("Nothing was changed."), "{out_text}");
    assert_eq!(must(fs::read_to_string(store.path())), before);

    // Confirmed with "yes".
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = reset(
        &mut store,
        false,
        777,
        &mut "YES\n".as_bytes(),
        &mut out,
        &mut err,
    );
    let out_text = String::from_utf8_lossy(&out).into_owned();
    assert_eq!(code, Ok(0), "{}", String::from_utf8_lossy(&err));
    let backup = dir.path().join("progress.777.bak");
    assert!(
        out_text.contains(&backup.display().to_string()),
        "{out_text}"
    );
    assert_eq!(must(fs::read_to_string(&backup)), before);
    let fresh = must(store.load(778)).progress;
    assert_eq!(fresh, Progress::default());

    // --yes: no question; a second backup in the same second gets its own name.
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = reset(
        &mut store,
        true,
        777,
        &mut "".as_bytes(),
        &mut out,
        &mut err,
    );
    let out_text = String::from_utf8_lossy(&out).into_owned();
    assert_eq!(code, Ok(0));
    assert!(!out_text.contains("[y/N]"), "{out_text}");
    assert!(dir.path().join("progress.777-2.bak").exists());
}

#[test]
fn the_summary_counts_sections_and_checkpoints_per_lesson() {
    let dir = must(tempfile::tempdir());
    let pack = small_pack();
    let mut store = FileStore::new(dir.path());
    must(store.update(1, &mut |p| {
        p.complete_section(&pack, "alpha", "one", 1);
        p.complete_section(&pack, "alpha", "two", 1);
        p.record_checkpoint("cp-alpha", &[1], false, 1);
        p.record_checkpoint("cp-beta", &[0], true, 1);
        p.record_checkpoint("cp-no-longer-exists", &[0], true, 1);
    }));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = show(&mut store, &pack, 2, &mut out, &mut err);
    assert_eq!(code, Ok(0));
    let text = String::from_utf8_lossy(&out).into_owned();
    let expected = format!(
        "Progress file: {}\n\n\
         Lesson        Sections  Answered  Right  First try\n\
         Lesson alpha       2/2       1/1    0/1        0/1\n\
         Lesson beta        0/2       1/1    1/1        1/1\n\
         \n\
         Overall: 50% (2 of 4 sections completed)\n\
         Checkpoints: 2 of 2 answered, 1 right, 1 right at the first try\n\
         1 saved entry for content no longer in the course is kept as is.\n\
         \n\
         Mastery: 50% over 2 first attempts, 0 of 1 objectives at 80% or more.\n\
         By objective (first attempts; an attempt counts half after 30 days):\n\
         \x20 handshake  [#####-----]  50%  1 of 2 right at the first attempt\n\
         Retention forecast without review (FSRS): 100% today, 58% in 7 days, 47% in 29 days.\n\
         Study next: lesson 2. Lesson beta (weakest objective: handshake).\n\
         \n\
         Quiz: 0 questions answered (0 right at the first try), 0 due for review today, 0 missed (wrong last time).\n\
         Exams: none taken yet.\n\
         Review (FSRS-6): desired retention 0.90, exam date none; next review on 1970-01-02 (UTC).\n",
        store.path().display()
    );
    assert_eq!(text, expected);
    // The missed checkpoint is on the review schedule: due the next day.
    let (mut out, mut err) = (Vec::new(), Vec::new());
    must(show(&mut store, &pack, 86_400, &mut out, &mut err));
    let text = String::from_utf8_lossy(&out).into_owned();
    assert!(
        text.contains("Also due for review today: 1 missed checkpoint."),
        "{text}"
    );
}

#[test]
fn the_summary_before_any_progress_says_so() {
    let dir = must(tempfile::tempdir());
    let pack = small_pack();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = show(
        &mut FileStore::new(dir.path().join("new")),
        &pack,
        2,
        &mut out,
        &mut err,
    );
    assert_eq!(code, Ok(0));
    let text = String::from_utf8_lossy(&out).into_owned();
    assert!(text.contains("No progress saved yet."), "{text}");
    assert!(
        text.contains("Overall: 0% (0 of 4 sections completed)"),
        "{text}"
    );
}

#[test]
fn data_dir_override_wins() {
    let dir = Path::new("/tmp/some/where");
    assert_eq!(must(data_dir(Some(dir))), dir);
}

#[cfg(feature = "tui")]
#[test]
fn keyshake_progress_reset_in_the_real_binary() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let dir = must(tempfile::tempdir());
    must(fs::write(
        dir.path().join("progress.json"),
        r#"{"version": 1, "lessons": {}, "checkpoints": {"x": {"chosen": [0], "correct": true, "at": 1}}}"#,
    ));
    let mut child = must(
        Command::new(env!("CARGO_BIN_EXE_keyshake"))
            .args(["progress", "reset"])
            .env("KEYSHAKE_DATA_DIR", dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn(),
    );
    if let Some(mut stdin) = child.stdin.take() {
        must(stdin.write_all(b"y\n"));
    }
    let output = must(child.wait_with_output());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("Progress reset. The old progress is kept in"),
        "{stdout}"
    );
    let backups: Vec<String> = names(dir.path())
        .into_iter()
        .filter(|n| n.ends_with(".bak"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert!(stdout.contains(&backups[0]), "{stdout}");
}

/// Run only as a child of `two_processes_lose_nothing`: 200 updates from
/// this process, into the folder and under the name given by environment
/// variables.
#[test]
#[ignore = "helper: started as a child process by two_processes_lose_nothing"]
fn child_writer() {
    let (Ok(dir), Ok(name)) = (
        std::env::var("KEYSHAKE_TEST_CHILD_DIR"),
        std::env::var("KEYSHAKE_TEST_CHILD_NAME"),
    ) else {
        panic!("child_writer needs KEYSHAKE_TEST_CHILD_DIR and KEYSHAKE_TEST_CHILD_NAME");
    };
    let mut store = FileStore::new(dir);
    for i in 0..200u64 {
        must(store.update(i, &mut |p| {
            p.record_checkpoint(&format!("{name}-{i}"), &[1], false, i);
        }));
    }
}

#[test]
fn two_processes_lose_nothing() {
    use std::process::Command;

    let dir = must(tempfile::tempdir());
    let exe = must(std::env::current_exe());
    let children: Vec<_> = ["p1", "p2"]
        .into_iter()
        .map(|name| {
            must(
                Command::new(&exe)
                    .args([
                        "--exact",
                        "progress_store::child_writer",
                        "--ignored",
                        "--test-threads=1",
                    ])
                    .env("KEYSHAKE_TEST_CHILD_DIR", dir.path())
                    .env("KEYSHAKE_TEST_CHILD_NAME", name)
                    .stdout(std::process::Stdio::null())
                    .spawn(),
            )
        })
        .collect();
    for mut child in children {
        let status = must(child.wait());
        assert!(status.success(), "a writer process failed: {status}");
    }
    let p = must(FileStore::new(dir.path()).load(0)).progress;
    assert_eq!(p.checkpoints.len(), 400);
    assert!(p.checkpoints.contains_key("p1-199") && p.checkpoints.contains_key("p2-0"));
}

#[test]
fn continue_goes_to_the_saved_place_or_the_first_unfinished_section() {
    let pack = small_pack();
    let mut p = Progress::default();
    let at = |lesson: &str, section: &str, scroll: u32| {
        Some(keyshake::core::progress::Position {
            lesson: lesson.into(),
            section: Some(section.into()),
            scroll,
        })
    };
    // Nothing saved: the very first section.
    assert_eq!(p.resume_point(&pack), at("alpha", "one", 0));
    // Work done but no position: the first section not completed.
    p.complete_section(&pack, "alpha", "one", 1);
    p.complete_section(&pack, "alpha", "two", 1);
    assert_eq!(p.resume_point(&pack), at("beta", "one", 0));
    // A saved position wins, scroll included.
    p.set_position("alpha", Some("two"), 40);
    assert_eq!(p.resume_point(&pack), at("alpha", "two", 40));
    // The section was removed from the course: the lesson's start.
    p.set_position("alpha", Some("renamed-away"), 40);
    assert_eq!(p.resume_point(&pack), at("alpha", "one", 0));
    // The lesson was removed: back to the first unfinished section.
    p.set_position("gone", Some("x"), 3);
    assert_eq!(p.resume_point(&pack), at("beta", "one", 0));
    // Everything complete and no usable position: nothing to continue.
    p.complete_section(&pack, "beta", "one", 2);
    p.complete_section(&pack, "beta", "two", 2);
    assert_eq!(p.resume_point(&pack), None);
}

#[test]
fn the_summary_counts_solved_labs_and_the_finished_walkthrough() {
    let pack = crate::builtin_pack();
    let mut p = keyshake::core::progress::Progress::default();
    let text = summary_text(&p.summary(&pack));
    assert!(
        text.contains(&format!("Policy labs: 0 of {} solved\n", pack.labs.len())),
        "{text}"
    );
    assert!(!text.contains("walkthrough"), "{text}");
    p.mark_lab_solved(&pack.labs[0].id, 5);
    p.mark_lab_solved("a-lab-no-longer-in-the-course", 5);
    p.complete_walkthrough(keyshake::core::progress::ENVELOPE_WALKTHROUGH, 6);
    p.complete_walkthrough(keyshake::core::progress::ENVELOPE_WALKTHROUGH, 9);
    assert_eq!(
        p.walkthroughs.get("envelope"),
        Some(&6),
        "the first finish is kept"
    );
    let text = summary_text(&p.summary(&pack));
    assert!(
        text.contains(&format!("Policy labs: 1 of {} solved\n", pack.labs.len())),
        "{text}"
    );
    assert!(text.contains("Envelope walkthrough: done\n"), "{text}");
}

#[test]
fn absurd_values_are_dropped_by_name_not_shown() {
    let dir = must(tempfile::tempdir());
    let text = r#"{"version": 1,
        "labs": {"lab-01": {"hints_used": 4294967295, "started": 3}},
        "quiz": {"exams": [
            {"started_at": 1, "at": 2, "score": {"right": 4294967295, "total": 1},
             "percent": 100, "pass_mark": 70, "passed": true},
            {"started_at": 1, "at": 2, "score": {"right": 1, "total": 2},
             "percent": 4294967295, "pass_mark": 70, "passed": false},
            {"started_at": 3, "at": 4, "score": {"right": 3, "total": 4},
             "percent": 75, "pass_mark": 70, "passed": true}]}}"#;
    must(fs::write(dir.path().join("progress.json"), text));
    let loaded = must(FileStore::new(dir.path()).load(9));
    let p = &loaded.progress;
    assert_eq!(p.labs["lab-01"].hints_used, 0);
    assert_eq!(p.labs["lab-01"].started, Some(3));
    assert_eq!(p.quiz.exams.len(), 1);
    assert_eq!(p.quiz.exams[0].percent, 75);
    match loaded.warnings.as_slice() {
        [StoreWarning::Partial { dropped, .. }] => assert_eq!(
            dropped,
            &["labs.lab-01.hints_used", "quiz.exams[0]", "quiz.exams[1]"]
        ),
        other => panic!("expected one partial warning, got {other:?}"),
    }
}
