//! Exam controls, run with the real binary: the attempt limit per seed,
//! answers hidden in the score report until the instructor allows them,
//! and the instructor's answer key matching the students' draw.

use std::path::Path;
use std::process::Output;

fn keyshake(data: &Path, args: &[&str], stdin: &str) -> Output {
    crate::cli_common::run(data, args, stdin)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const EXAM: &[&str] = &["quiz", "--plain", "--mode", "exam", "--count", "4"];

fn exam(data: &Path, extra: &[&str], stdin: &str) -> Output {
    let args: Vec<&str> = EXAM.iter().chain(extra).copied().collect();
    keyshake(data, &args, stdin)
}

/// The key's question ids in order and the typed answers.
fn key(data: &Path, seed: &str, content: Option<&Path>) -> (Vec<String>, Vec<String>) {
    let mut args = vec![
        "quiz",
        "--mode",
        "exam",
        "--count",
        "4",
        "--seed",
        seed,
        "--print-key",
    ];
    let dir;
    if let Some(c) = content {
        dir = c.to_str().expect("utf-8").to_string();
        args.extend(["--content", dir.as_str()]);
    }
    let out = keyshake(data, &args, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let ids = printed
        .lines()
        .filter_map(|l| {
            let (n, rest) = l.split_once(". ")?;
            n.parse::<usize>().ok()?;
            rest.split(' ').next().map(str::to_string)
        })
        .collect();
    let typed = printed
        .lines()
        .filter_map(|l| l.split("(typed in --plain: ").nth(1))
        .map(|t| t.trim_end_matches(')').to_string())
        .collect();
    (ids, typed)
}

fn last_exam(data: &Path) -> serde_json::Value {
    let p: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data.join("progress.json")).expect("progress.json"),
    )
    .expect("JSON");
    p["quiz"]["exams"]
        .as_array()
        .and_then(|a| a.last().cloned())
        .expect("an exam was recorded")
}

#[test]
fn the_answer_key_is_the_students_draw_and_answering_it_scores_full_marks() {
    let instructor = tempfile::tempdir().expect("temp dir");
    let (ids, typed) = key(instructor.path(), "2026", None);
    assert_eq!(ids.len(), 4);
    assert_eq!(typed.len(), 4);
    // The key does not count as an attempt nor write progress.
    assert!(!instructor.path().join("progress.json").exists());

    let student = tempfile::tempdir().expect("temp dir");
    // The student practised first: the exam draw does not change.
    let out = keyshake(
        student.path(),
        &["quiz", "--plain", "--count", "5", "--seed", "1"],
        "a\nb\na\nallow\na\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let answers = typed.join("\n") + "\ns\n";
    let out = exam(student.path(), &["--seed", "2026"], &answers);
    let report = text(&out.stdout);
    assert!(out.status.success(), "{report}");
    let record = last_exam(student.path());
    let asked: Vec<String> = record["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .filter_map(|q| q.as_str().map(str::to_string))
        .collect();
    assert_eq!(asked, ids, "the key's order is the exam's");
    assert_eq!(record["score"]["right"], 4, "{report}");
}

#[test]
fn the_attempt_limit_refuses_the_next_attempt_with_that_seed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let limit = ["--seed", "5", "--attempts", "2"];
    for n in 1..=2 {
        let out = exam(dir.path(), &limit, "q\n");
        assert_eq!(
            out.status.code(),
            Some(0),
            "attempt {n}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stdout).contains("This exam allows 2 attempts with seed 5"),
            "{}",
            text(&out.stdout)
        );
    }
    let out = exam(dir.path(), &limit, "q\n");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("no attempts left: the exam with seed 5 allows 2 attempts"),
        "{err}"
    );
    assert!(!text(&out.stdout).contains("Question 1"), "not started");
    // Another seed is another exam.
    let out = exam(dir.path(), &["--seed", "6", "--attempts", "2"], "q\n");
    assert_eq!(out.status.code(), Some(0));
}

/// A pack made with `pack new`, with `exam` as its `[exam]` table.
fn pack_with_exam(exam: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = dir.path().join("class");
    let out = keyshake(dir.path(), &["pack", "new", pack.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let toml = pack.join("pack.toml");
    let mut text_now = std::fs::read_to_string(&toml).expect("pack.toml");
    text_now.push_str(&format!("\n[exam]\n{exam}\n"));
    std::fs::write(&toml, text_now).expect("write pack.toml");
    dir
}

#[test]
fn the_packs_exam_table_sets_seed_and_attempts() {
    let dir = pack_with_exam("seed = 31\nattempts = 1");
    let pack = dir.path().join("class");
    let content = ["--content", pack.to_str().unwrap()];
    let data = dir.path().join("data");
    let args: Vec<&str> = content
        .iter()
        .copied()
        .chain(["quiz", "--plain", "--mode", "exam", "--count", "2"])
        .collect();
    let first = keyshake(&data, &args, "s\ns\n");
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert_eq!(last_exam(&data)["seed"], 31, "the pack's seed");
    let second = keyshake(&data, &args, "s\ns\n");
    assert_eq!(second.status.code(), Some(1));
    assert!(text(&second.stderr).contains("seed 31 allows 1 attempt"));
    // A zero limit is an error pack check names.
    let bad = pack_with_exam("attempts = 0");
    let out = keyshake(
        bad.path(),
        &["pack", "check", bad.path().join("class").to_str().unwrap()],
        "",
    );
    assert_ne!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("pack.toml:") && text(&out.stdout).contains("attempts"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn review_after_hides_answers_and_explanations_but_not_the_score() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, typed) = key(dir.path(), "8", None);
    let answers = typed.join("\n") + "\ns\n";
    // Far in the future: hidden.
    let out = exam(
        dir.path(),
        &["--seed", "8", "--review-after", "2999-01-01T00:00:00Z"],
        &answers,
    );
    let hidden = text(&out.stdout);
    assert!(out.status.success(), "{hidden}");
    assert!(hidden.contains("Score: 4 of 4 right (100%)"), "{hidden}");
    assert!(
        hidden.contains("Answers and explanations are hidden until 2999-01-01 00:00 (UTC)."),
        "{hidden}"
    );
    assert!(!hidden.contains("Your answers:"), "{hidden}");
    assert!(!hidden.contains("Why:"), "{hidden}");
    // Later, the same controls still hide them in --last-exam; without
    // them (the instructor allows it) every answer is there.
    let later = keyshake(
        dir.path(),
        &[
            "quiz",
            "--last-exam",
            "--review-after",
            "2999-01-01T00:00:00Z",
        ],
        "",
    );
    let later = text(&later.stdout);
    assert!(later.contains("Score: 4 of 4 right (100%)"), "{later}");
    assert!(
        later.contains("hidden until 2999-01-01") && !later.contains("Why:"),
        "{later}"
    );
    let allowed = text(&keyshake(dir.path(), &["quiz", "--last-exam"], "").stdout);
    assert_eq!(allowed.matches("[right]").count(), 4, "{allowed}");
    assert_eq!(allowed.matches("Why:").count(), 4, "{allowed}");
    // Passed: shown.
    let out = exam(
        dir.path(),
        &["--seed", "8", "--review-after", "2001-01-01T00:00:00Z"],
        &answers,
    );
    let shown = text(&out.stdout);
    assert!(
        shown.contains("Your answers:") && shown.contains("Why:"),
        "{shown}"
    );
    // The flag hides them with no date.
    let out = exam(dir.path(), &["--seed", "8", "--hide-review"], &answers);
    let flagged = text(&out.stdout);
    assert!(
        flagged.contains("hidden until your instructor allows them") && !flagged.contains("Why:"),
        "{flagged}"
    );
}
