//! `keyshake drill` as a learner and a script run it: the real binary, its
//! JSON, its line mode, the saved progress, and the emitted worlds graded
//! by `keyshake eval`. The right answers come from the library with the
//! same seed, which also proves the binary asks the drill the seed names.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use keyshake::core::drill::{self, Answer, Options};
use keyshake::core::quiz::labels::DENY_REASONS;
use keyshake::core::world::Verdict;
use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keyshake"));
    c.env_remove("NO_COLOR");
    c.env_remove("KEYSHAKE_DATA_DIR");
    c
}

fn run(args: &[&str], data: &Path, input: &str) -> Output {
    let mut child = bin()
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("keyshake runs");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    child.wait_with_output().expect("keyshake ends")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The lines a learner types to answer drill `d` right (or wrong).
fn lines_for(d: &drill::Drill, right: bool) -> String {
    let mut s = String::new();
    for q in &d.questions {
        match &q.answer {
            Answer::Verdict(Verdict::Allow, _) if right => s.push_str("allow\n"),
            Answer::Verdict(Verdict::Allow, _) => s.push_str("deny 1\n"),
            Answer::Verdict(_, r) if right => {
                let n = DENY_REASONS.iter().position(|x| x == r).unwrap_or(0) + 1;
                s.push_str(&format!("deny {n}\n"));
            }
            Answer::Verdict(..) => s.push_str("allow\n"),
            Answer::Choice(i) => {
                let pick = if right {
                    *i
                } else {
                    (*i + 1) % q.choices.len()
                };
                s.push_str(&format!("{}\n", pick + 1));
            }
        }
    }
    s
}

fn progress(data: &Path) -> Value {
    let raw = std::fs::read_to_string(data.join("progress.json")).expect("progress saved");
    serde_json::from_str(&raw).expect("progress is JSON")
}

#[test]
fn json_is_the_same_for_one_seed_and_its_worlds_pass_eval() {
    let data = tempfile::tempdir().expect("temp dir");
    let args = [
        "drill", "--json", "--seed", "4242", "--count", "4", "--level", "3",
    ];
    let a = run(&args, data.path(), "");
    let b = run(&args, data.path(), "");
    assert_eq!(a.status.code(), Some(0), "{}", text(&a.stderr));
    assert_eq!(a.stdout, b.stdout, "same seed, same bytes");
    let doc: Value = serde_json::from_slice(&a.stdout).expect("JSON");
    let drills = doc["drills"].as_array().expect("drills");
    assert_eq!(drills.len(), 4);
    for (i, d) in drills.iter().enumerate() {
        let lib = drill::generate(
            4242 + i as u64,
            &Options {
                level: 3,
                ..Options::default()
            },
        )
        .expect("drill");
        assert_eq!(d["misconception"], lib.misconception.id);
        assert_eq!(d["decision"], lib.verdict.code());
        for key in ["world", "questions", "probes", "objective", "reason"] {
            assert!(!d[key].is_null(), "{key}");
        }
        let file = data.path().join(format!("drill{i}.toml"));
        std::fs::write(&file, d["world"].as_str().expect("world")).expect("write");
        let eval = bin().arg("eval").arg(&file).output().expect("eval runs");
        assert_eq!(eval.status.code(), Some(0), "{}", text(&eval.stdout));
        let want = if d["decision"] == "allow" {
            "ALLOW"
        } else {
            "DENY"
        };
        assert!(text(&eval.stdout).contains(want));
    }
}

#[test]
fn a_drill_taken_in_plain_mode_is_checked_and_saved() {
    let data = tempfile::tempdir().expect("temp dir");
    let o = Options {
        level: 1,
        ..Options::default()
    };
    let first = drill::generate(300, &o).expect("drill");
    let second = drill::generate(301, &o).expect("drill");
    let input = format!("{}{}", lines_for(&first, true), lines_for(&second, false));
    let out = run(
        &["drill", "--plain", "--seed", "300", "--count", "2"],
        data.path(),
        &input,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(
        t.contains("Drill 1 of 2") && t.contains("Drill 2 of 2"),
        "{t}"
    );
    assert!(t.contains("[[requests]]"), "the world is shown");
    assert!(
        !t.contains("expect ="),
        "the world shown does not give the answer"
    );
    let rights = t.matches("Right.").count();
    assert_eq!(rights, first.questions.len(), "{t}");
    assert!(t.contains("Drills answered: 2; all right: 1."), "{t}");
    assert!(t.contains(first.misconception.lesson));
    // Both answers are in progress under drill:<id>, first attempts kept.
    let saved = progress(data.path());
    let answers = saved["quiz"]["answers"].as_array().expect("answers");
    let ids: Vec<&str> = answers
        .iter()
        .filter_map(|a| a["question"].as_str())
        .collect();
    assert_eq!(ids, [first.progress_id(), second.progress_id()]);
    assert_eq!(answers[0]["correct"], true);
    assert_eq!(answers[1]["correct"], false);
    assert_eq!(answers[0]["mode"], "drill");
    assert!(saved["quiz"]["schedule"][first.progress_id()].is_object());

    // Without a seed, the missed misconception comes back first.
    let again = run(
        &["drill", "--plain", "--count", "1"],
        data.path(),
        "allow\n",
    );
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    let saved = progress(data.path());
    let answers = saved["quiz"]["answers"].as_array().expect("answers");
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[2]["question"], second.progress_id());
}

#[test]
fn bad_options_are_refused_with_exit_2() {
    let data = tempfile::tempdir().expect("temp dir");
    let out = run(
        &["drill", "--json", "--objective", "nonsense"],
        data.path(),
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    let e = text(&out.stderr);
    assert!(e.contains("nonsense") && e.contains("handshake"), "{e}");
    let out = run(&["drill", "--json", "--level", "4"], data.path(), "");
    assert_eq!(out.status.code(), Some(2));
    for count in ["0", "10001"] {
        let out = run(&["drill", "--json", "--count", count], data.path(), "");
        assert_eq!(out.status.code(), Some(2), "--count {count}");
        assert!(text(&out.stderr).contains("between 1 and 10000"));
    }
}
