//! Classroom commands run as a student would: profiles keep progress apart.

use std::path::Path;
use std::process::Output;

fn keyshake(data: &Path, args: &[&str], stdin: &str) -> Output {
    crate::cli_common::run(data, args, stdin)
}

#[test]
fn profiles_keep_each_students_quiz_answers_apart() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path();
    let quiz = ["quiz", "--plain", "--seed", "7", "--count", "1"];
    let ana = keyshake(data, &[&["--profile", "ana"][..], &quiz].concat(), "a\n");
    assert!(
        ana.status.success(),
        "{}",
        String::from_utf8_lossy(&ana.stderr)
    );
    assert!(data.join("profiles/ana/progress.json").is_file());
    assert!(
        !data.join("progress.json").exists(),
        "default profile untouched"
    );

    // Without --profile nothing changed: the default progress is empty.
    let shared = keyshake(data, &["progress"], "");
    let ana_view = keyshake(data, &["--profile", "ana", "progress"], "");
    assert_ne!(shared.stdout, ana_view.stdout);

    // A name that could leave the profiles folder is refused.
    let bad = keyshake(data, &["--profile", "../ana", "progress"], "");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("use letters, digits, '-' and '_' only"));
}

/// A learner who read the example pack's lesson, solved its lab with one
/// hint, practised two questions and took one exam.
fn scripted_learner() -> (
    keyshake::core::content::Pack,
    keyshake::core::progress::Progress,
) {
    use keyshake::core::progress::Progress;
    use keyshake::core::quiz::{AnswerRecord, ExamRecord, Tally};
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("my-class");
    keyshake::cli::pack::new(&dir).expect("pack new");
    let pack = keyshake::core::content::Pack::load_dir(&dir).expect("loads");
    let t0 = 1_800_000_000;
    let mut p = Progress::default();
    p.mark_seen("both-sides", Some("two-policies"), t0);
    p.record_checkpoint("both-sides-who-decides", &[1], true, t0 + 60);
    p.complete_section(&pack, "both-sides", "two-policies", t0 + 90);
    p.save_lab_work("trust-one-role", &[], t0 + 100);
    p.reveal_hint("trust-one-role", 2, t0 + 200);
    p.mark_lab_solved("trust-one-role", t0 + 425);
    for (q, correct, at) in [("ts-single", true, 500), ("ts-policy", false, 530)] {
        p.quiz.answers.push(AnswerRecord {
            question: q.to_string(),
            at: t0 + at,
            mode: "practice".to_string(),
            correct,
            ..AnswerRecord::default()
        });
    }
    p.quiz.exams.push(ExamRecord {
        started_at: t0 + 600,
        at: t0 + 1500,
        seed: Some(42),
        questions: vec![
            "ts-single".into(),
            "ts-multiple".into(),
            "ts-truefalse".into(),
        ],
        score: Tally { right: 2, total: 3 },
        percent: 66,
        pass_mark: 70,
        passed: false,
        objectives: [("two-sided-access".to_string(), Tally { right: 2, total: 3 })].into(),
        ..ExamRecord::default()
    });
    (pack, p)
}

#[test]
fn a_scripted_learners_results_export_in_three_formats() {
    use keyshake::core::progress::export::{Format, Report};
    let (pack, progress) = scripted_learner();
    let report = Report::new(&progress, &pack, Some("ana"), 1_800_002_000);
    assert_eq!(report.labs[0].seconds_to_solve, Some(325));
    insta::assert_snapshot!("export_json", report.render(Format::Json));
    insta::assert_snapshot!("export_csv", report.render(Format::Csv));
    insta::assert_snapshot!("export_markdown", report.render(Format::Markdown));
    // Every CSV row has as many cells as the header.
    let csv = report.render(Format::Csv);
    let width = csv.lines().next().map_or(0, |h| h.split(',').count());
    for line in csv.lines() {
        assert_eq!(line.split(',').count(), width, "{line}");
    }
}

#[test]
fn progress_export_writes_the_profiles_results_to_a_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path();
    let quiz = [
        "--profile",
        "ana",
        "quiz",
        "--plain",
        "--seed",
        "7",
        "--count",
        "1",
    ];
    assert!(keyshake(data, &quiz, "a\n").status.success());
    let file = data.join("ana.csv");
    let file_arg = file.display().to_string();
    let out = keyshake(
        data,
        &[
            "--profile",
            "ana",
            "progress",
            "export",
            "--format",
            "csv",
            "-o",
            &file_arg,
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(&file).expect("written");
    assert!(csv.starts_with("profile,pack,pack_version,kind,id,title,status,"));
    assert!(csv.contains("\nana,keyshake,"), "{csv}");
    assert!(
        csv.contains(",practice,practice,Quiz answers outside exams,,"),
        "{csv}"
    );
    let json = keyshake(data, &["progress", "export"], "");
    let text = String::from_utf8_lossy(&json.stdout);
    assert!(text.contains("\"profile\": \"default\""), "{text}");
    assert!(text.contains("\"total\": 0"), "{text}");
}

/// The tutor, started in a terminal with a pack and a profile, names both
/// on the home screen (the pack by its name and version from pack.toml).
#[test]
fn the_home_screen_names_the_pack_and_the_profiles_progress_file() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    let tmp = tempfile::tempdir().expect("tempdir");
    let pack_dir = tmp.path().join("my-class");
    keyshake::cli::pack::new(&pack_dir).expect("pack new");
    let size = PtySize {
        rows: 30,
        cols: 160,
        pixel_width: 0,
        pixel_height: 0,
    };
    let pair = native_pty_system().openpty(size).expect("openpty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_keyshake"));
    cmd.args(["--content", &pack_dir.display().to_string()]);
    cmd.args(["--profile", "ana"]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("KEYSHAKE_DATA_DIR", tmp.path());
    cmd.env_remove("KEYSHAKE_CONTENT");
    cmd.env_remove("KEYSHAKE_PROFILE");
    let mut child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    let rows = std::num::NonZeroU16::new(30).expect("rows");
    let cols = std::num::NonZeroU16::new(160).expect("cols");
    let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
    let sink = Arc::clone(&parser);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut p) = sink.lock() {
                p.process(&buf[..n]);
            }
        }
    });
    let screen = || {
        parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    };
    let start = Instant::now();
    let want = "Content: my-class 0.1.0 (";
    while !screen().contains(want) {
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("waited for {want:?}; screen:\n{}", screen());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let shown = screen();
    let _ = child.kill();
    let _ = child.wait();
    assert!(shown.contains("Both sides must agree"), "{shown}");
    let flat: String = shown.split_whitespace().collect();
    assert!(flat.contains("profiles/ana/progress.json"), "{shown}");
}
