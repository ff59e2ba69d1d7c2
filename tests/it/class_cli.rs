//! `keyshake class`, `keyshake profiles` and the export's safety warnings,
//! run as an instructor would: four students take the same seeded exam
//! through `keyshake quiz --plain` (real binary, answers on stdin) in one
//! data folder, then the class report and the gradebook exports are
//! checked against figures worked out by hand.
//!
//! The script, per question of the 4-question exam (seed 2026):
//!
//! | student | q1 | q2 | q3 | q4 | score |
//! | --- | --- | --- | --- | --- | --- |
//! | student-a | right | right | right | right | 4/4 100% |
//! | student-b | right | right | right | wrong | 3/4 75% |
//! | student-c | right | wrong | wrong | wrong | 1/4 25% |
//! | student-d | wrong | right | (none) | (none) | 1/4 25% |
//!
//! So the facility indexes are q1 3/4 = 0.75, q2 3/4 = 0.75, q3 2/4 =
//! 0.50, q4 1/4 = 0.25; q4's wrong answers are one answer given twice and
//! one "(no answer)"; the most missed are q4, q3, q1.

use std::path::Path;

use keyshake::core::quiz::{Item, Mode, QuizProgress, Response, Settings, build_seeded};
use keyshake::core::world::Verdict;

const SEED: u64 = 2026;

fn must<T, E: std::fmt::Debug>(r: Result<T, E>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{e:?}"),
    }
}

fn keyshake(data: &Path, args: &[&str], input: &str) -> (String, String, i32) {
    crate::cli_common::run_text(data, args, input)
}

fn items() -> Vec<Item> {
    let settings = Settings {
        count: Some(4),
        ..Settings::new(Mode::Exam)
    };
    let s = must(build_seeded(
        &crate::builtin_pack(),
        &QuizProgress::default(),
        &settings,
        0,
        SEED,
    ));
    s.items().to_vec()
}

fn letters(shown: &[usize]) -> String {
    shown
        .iter()
        .map(|&i| char::from(b'a' + u8::try_from(i).unwrap_or(0)).to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn right_line(item: &Item) -> String {
    match item.right_response() {
        Response::Choices(shown) => letters(&shown),
        Response::Policy { verdict, reason } => match (verdict, reason) {
            (Verdict::Allow, _) => "allow".into(),
            (Verdict::Deny, None) => "deny".into(),
            (Verdict::Deny, Some(r)) => {
                let labels = keyshake::core::quiz::labels::DENY_REASONS;
                let n = labels.iter().position(|x| *x == r).unwrap_or(0) + 1;
                format!("deny {n}")
            }
        },
    }
}

/// The wrong answer every student who misses `item` gives, and how the
/// report names it (letters in the question file's order, with the
/// choices' text).
fn wrong(item: &Item) -> (String, String) {
    match item.right_response() {
        Response::Choices(right) => {
            let shown: Vec<usize> = (0..item.order.len())
                .filter(|i| !right.contains(i))
                .take(right.len())
                .collect();
            let mut original: Vec<usize> = shown.iter().map(|&s| item.order[s]).collect();
            original.sort_unstable();
            let names: Vec<&str> = original
                .iter()
                .map(|&i| item.question.choices[i].as_str())
                .collect();
            let label = format!("{} ({})", letters(&original), names.join(" + "));
            (letters(&shown), label)
        }
        Response::Policy { verdict, .. } => match verdict {
            Verdict::Allow if item.question.ask_reason => {
                let first = keyshake::core::quiz::labels::DENY_REASONS[0];
                ("deny 1".into(), format!("deny/{}", first.code()))
            }
            Verdict::Allow => ("deny".into(), "deny".into()),
            Verdict::Deny => ("allow".into(), "allow".into()),
        },
    }
}

/// Takes the class exam as the table in the module comment says.
fn class(data: &Path) -> Vec<Item> {
    let items = items();
    assert_eq!(items.len(), 4);
    let r = |i: usize| right_line(&items[i]);
    let w = |i: usize| wrong(&items[i]).0;
    let scripts = [
        ("student-a", vec![r(0), r(1), r(2), r(3)]),
        ("student-b", vec![r(0), r(1), r(2), w(3)]),
        ("student-c", vec![r(0), w(1), w(2), w(3)]),
        // Two answers, then submit with two unanswered ("s" twice).
        ("student-d", vec![w(0), r(1), "s".into(), "s".into()]),
    ];
    for (profile, lines) in scripts {
        let mut input = lines.join("\n");
        input.push_str("\ns\n");
        let (out, err, code) = keyshake(
            data,
            &[
                "--profile",
                profile,
                "quiz",
                "--plain",
                "--mode",
                "exam",
                "--seed",
                "2026",
                "--count",
                "4",
            ],
            &input,
        );
        assert_eq!(code, 0, "{profile}: {out}\n{err}");
        assert!(out.contains("Score report"), "{profile}: {out}");
    }
    items
}

#[test]
fn a_class_of_four_gives_hand_computed_item_analysis_and_gradebooks() {
    let tmp = must(tempfile::tempdir());
    let data = tmp.path();
    let items = class(data);
    let id = |i: usize| items[i].question.id.clone();

    // The terminal report: bars and facility per question.
    let (text, err, code) = keyshake(data, &["class", "report", "--seed", "2026", "--plain"], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains("Class report: 4 students · pack keyshake"),
        "{text}"
    );
    assert!(text.contains("exam seed 2026"), "{text}");
    for (i, facility, right) in [
        (0, "0.75", "3/4"),
        (1, "0.75", "3/4"),
        (2, "0.50", "2/4"),
        (3, "0.25", "1/4"),
    ] {
        let line = text
            .lines()
            .find(|l| {
                l.trim_start()
                    .starts_with(&format!("{}. {} ", i + 1, id(i)))
            })
            .unwrap_or_else(|| panic!("no line for question {}: {text}", i + 1));
        assert!(
            line.contains(&format!("{facility}  {right} right")),
            "{line}"
        );
    }
    let q4_bar = format!("{}{}", "#".repeat(5), ".".repeat(15));
    assert!(text.contains(&q4_bar), "a 0.25 bar: {text}");
    let missed: Vec<&str> = text
        .split("Most missed\n")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(missed.len(), 3, "{text}");
    for (line, q) in missed.iter().zip([3, 2, 0]) {
        assert!(line.trim_start().starts_with(&id(q)), "{line} vs {}", id(q));
    }

    // Markdown: the wrong answers with their counts.
    let (md, _, code) = keyshake(
        data,
        &["class", "report", "--seed", "2026", "--format", "markdown"],
        "",
    );
    assert_eq!(code, 0);
    let (_, q4_label) = wrong(&items[3]);
    let q4_row = format!(
        "| 4 | {} | 0.25 | 1/4 | {} ×2; (no answer) ×1 |",
        id(3),
        q4_label.replace('|', "\\|")
    );
    assert!(md.contains(&q4_row), "{q4_row}\n{md}");
    let (_, q1_label) = wrong(&items[0]);
    let q1_row = format!(
        "| 1 | {} | 0.75 | 3/4 | {} ×1 |",
        id(0),
        q1_label.replace('|', "\\|")
    );
    assert!(md.contains(&q1_row), "{q1_row}\n{md}");
    assert!(md.contains("| student-d | 1/4 25% | failed |"), "{md}");

    // The gradebook: one row per student.
    let (csv, _, code) = keyshake(data, &["class", "export", "--format", "csv"], "");
    assert_eq!(code, 0);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(
        lines[0].starts_with("profile,name,id,sis_id,login,email,section,exam_seed,exam_attempt,exam_right,exam_total,exam_percent,exam_result,exam_started,exam_finished,exam_minutes,"),
        "{}",
        lines[0]
    );
    let cells = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
    let header = cells(lines[0]);
    for (row, (profile, right, percent, result)) in lines[1..].iter().zip([
        ("student-a", "4", "100", "passed"),
        ("student-b", "3", "75", "passed"),
        ("student-c", "1", "25", "failed"),
        ("student-d", "1", "25", "failed"),
    ]) {
        let c = cells(row);
        assert_eq!(
            (
                c[0].as_str(),
                c[7].as_str(),
                c[8].as_str(),
                c[9].as_str(),
                c[10].as_str(),
                c[11].as_str(),
                c[12].as_str()
            ),
            (profile, "2026", "1", right, "4", percent, result),
            "{row}"
        );
        assert!(
            c[13].ends_with('Z') && c[13].contains('T'),
            "ISO time: {row}"
        );
        assert_eq!(c[15], "30", "minutes allowed: {row}");
        assert_eq!(c[1], "", "no roster, no name: {row}");
        // The first lab, not started: status, 0 hints, 0 goals met.
        let at = header
            .iter()
            .position(|h| h.starts_with("lab ") && h.ends_with(" status"))
            .unwrap_or(0);
        assert_eq!(
            (c[at].as_str(), c[at + 1].as_str(), c[at + 2].as_str()),
            ("not_started", "0", "0"),
            "{row}"
        );
    }

    // Canvas and Moodle, with a roster (student-d is not in it).
    let roster = data.join("roster.csv");
    must(std::fs::write(
        &roster,
        "profile,name,id,sis_id,login,email,section\n\
         student-a,\"Lovelace, Ada\",1201,S001,alovelace,ada@example.edu,Mon\n\
         student-b,Bo Li,1202,S002,boli,bo@example.edu,Mon\n\
         student-c,=cmd(),1203,S003,cc,cc@example.edu,Tue\n",
    ));
    let roster_arg = roster.to_string_lossy().into_owned();
    let (canvas, err, code) = keyshake(
        data,
        &[
            "class",
            "export",
            "--format",
            "canvas",
            "--roster",
            &roster_arg,
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("profile student-d is not in the roster"),
        "{err}"
    );
    let c: Vec<&str> = canvas.lines().collect();
    assert!(
        c[0].starts_with("Student,ID,SIS User ID,SIS Login ID,Section,keyshake exam (seed 2026),"),
        "{}",
        c[0]
    );
    assert!(c[1].starts_with("Points Possible,,,,,4,"), "{}", c[1]);
    // Labs not started score 0.
    assert!(
        c[2].starts_with("\"Lovelace, Ada\",1201,S001,alovelace,Mon,4,0,"),
        "{}",
        c[2]
    );
    assert!(c[3].starts_with("Bo Li,1202,S002,boli,Mon,3,"), "{}", c[3]);
    assert!(c[4].starts_with("'=cmd(),1203,"), "formula guard: {}", c[4]);
    assert!(c[5].starts_with("student-d,,,,,1,"), "{}", c[5]);
    assert_eq!(c.len(), 6);
    let (moodle, _, code) = keyshake(
        data,
        &[
            "class",
            "export",
            "--format",
            "moodle",
            "--roster",
            &roster_arg,
        ],
        "",
    );
    assert_eq!(code, 0);
    let m: Vec<&str> = moodle.lines().collect();
    assert!(
        m[0].starts_with("Email address,keyshake exam (seed 2026),"),
        "{}",
        m[0]
    );
    assert!(m[0].ends_with(",Feedback"), "{}", m[0]);
    assert!(m[1].starts_with("ada@example.edu,100,"), "{}", m[1]);
    assert!(m[1].contains("exam 4/4 (100%), passed"), "{}", m[1]);
    assert!(m[2].starts_with("bo@example.edu,75,"), "{}", m[2]);
    let (by_id, _, _) = keyshake(
        data,
        &[
            "class",
            "export",
            "--format",
            "moodle",
            "--moodle-id",
            "idnumber",
            "--roster",
            &roster_arg,
        ],
        "",
    );
    assert!(
        by_id
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("S001,100,")),
        "{by_id}"
    );

    // The same class from exported JSON files gives the same figures.
    let results = data.join("results");
    must(std::fs::create_dir(&results));
    let mut files = Vec::new();
    for p in ["student-a", "student-b", "student-c", "student-d"] {
        let file = results.join(format!("{p}.json"));
        let f = file.to_string_lossy().into_owned();
        let (_, err, code) = keyshake(data, &["--profile", p, "progress", "export", "-o", &f], "");
        assert_eq!(code, 0, "{err}");
        files.push(f);
    }
    let mut args = vec!["class", "report", "--format", "markdown", "--seed", "2026"];
    args.extend(files.iter().map(String::as_str));
    let (from_files, err, code) = keyshake(tmp.path(), &args, "");
    assert_eq!(code, 0, "{err}");
    assert!(from_files.contains(&q4_row), "{from_files}");
    assert!(from_files.contains(&q1_row), "{from_files}");
}

#[test]
fn profiles_list_last_use_and_pack_and_a_mistyped_profile_creates_nothing() {
    let tmp = must(tempfile::tempdir());
    let data = tmp.path();
    class(data);
    let (out, _, code) = keyshake(data, &["profiles"], "");
    assert_eq!(code, 0);
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("student-")).collect();
    assert_eq!(rows.len(), 4, "{out}");
    for r in rows {
        assert!(r.contains("keyshake 0.1.0 (content fnv1a64:"), "{r}");
        assert!(
            r.contains('T') && r.contains('Z'),
            "last use as ISO 8601: {r}"
        );
    }

    let (out, err, code) = keyshake(
        data,
        &[
            "--profile",
            "studnet-a",
            "progress",
            "export",
            "--format",
            "csv",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("there is no profile \"studnet-a\""), "{err}");
    assert!(err.contains("Did you mean --profile student-a?"), "{err}");
    assert!(out.starts_with("profile,"), "{out}");
    assert!(!data.join("profiles/studnet-a").exists(), "nothing created");
    // A quiz records work, so it starts the profile, but says so first.
    let (_, err, code) = keyshake(
        data,
        &["--profile", "student-aa", "quiz", "--plain", "--count", "1"],
        "q\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("note: profile \"student-aa\" is new") && err.contains("student-a?"),
        "{err}"
    );
    let (_, err, _) = keyshake(data, &["--profile", "Student-A", "lab", "list"], "");
    assert!(err.contains("Did you mean --profile student-a?"), "{err}");
    assert!(!data.join("profiles/Student-A").exists());
}

#[test]
fn reading_with_another_pack_warns_naming_both_packs() {
    let tmp = must(tempfile::tempdir());
    let data = tmp.path();
    class(data);
    let other = data.join("my-class");
    let (_, err, code) = keyshake(data, &["pack", "new", &other.to_string_lossy()], "");
    assert_eq!(code, 0, "{err}");
    let content = other.to_string_lossy().into_owned();
    for args in [
        vec!["--content", &content, "class", "report"],
        vec![
            "--content",
            &content,
            "--profile",
            "student-a",
            "progress",
            "export",
        ],
    ] {
        let (_, err, code) = keyshake(data, &args, "");
        assert_eq!(code, 0, "{err}");
        assert!(
            err.contains("made with pack keyshake 0.1.0") && err.contains("my-class 0.1.0"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn an_exam_left_with_q_is_exported_as_abandoned_with_its_answers() {
    let tmp = must(tempfile::tempdir());
    let data = tmp.path();
    let items = items();
    let input = format!("{}\nq\n", right_line(&items[0]));
    let (out, err, code) = keyshake(
        data,
        &[
            "quiz", "--plain", "--mode", "exam", "--seed", "2026", "--count", "4",
        ],
        &input,
    );
    assert_eq!(code, 0, "{out}{err}");
    let (json, _, _) = keyshake(data, &["progress", "export"], "");
    let v: serde_json::Value = must(serde_json::from_str(&json));
    assert_eq!(v["schema"], 2);
    let exam = &v["exams"][0];
    assert_eq!(exam["abandoned"], true, "{json}");
    assert_eq!(exam["passed"], false);
    assert_eq!(exam["seed"], 2026);
    assert_eq!(exam["minutes"], 30);
    assert_eq!(exam["right"], 1);
    assert_eq!(
        exam["answers"][0]["question"],
        items[0].question.id.as_str()
    );
    assert_eq!(exam["answers"][0]["correct"], true);
    assert_eq!(exam["answers"][1]["unanswered"], true);
    // The student's own summary still counts no exam.
    let (summary, _, _) = keyshake(data, &["progress"], "");
    assert!(summary.contains("Exams: none taken yet."), "{summary}");
    // And a class report shows the exam as abandoned.
    let (csv, _, _) = keyshake(data, &["progress", "export", "--format", "csv"], "");
    assert!(
        csv.contains(",exam,exam-1,Timed exam,abandoned,1,4,"),
        "{csv}"
    );
}

#[test]
fn a_schema_1_export_still_reads() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/class/export-v1.json"
    );
    let text = must(std::fs::read_to_string(path));
    let r = must(keyshake::core::progress::export::Report::parse(&text));
    assert_eq!((r.schema, r.profile.as_str()), (1, "ana"));
    assert_eq!(r.exams[0].seed, Some(42));
    assert!(r.exams[0].answers.is_empty() && !r.exams[0].abandoned);
    assert!(r.checkpoints.is_empty());
    // And through the command: a report over it, with the pack it names.
    let tmp = must(tempfile::tempdir());
    let pack = tmp.path().join("my-class");
    let pack_arg = pack.to_string_lossy().into_owned();
    keyshake(tmp.path(), &["pack", "new", &pack_arg], "");
    let (out, err, code) = keyshake(
        tmp.path(),
        &["--content", &pack_arg, "class", "report", path],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ana"), "{out}");
    assert!(out.contains("exam seed 42"), "{out}");
    // A newer schema is refused with its position.
    let newer = tmp.path().join("newer.json");
    must(std::fs::write(
        &newer,
        text.replacen("\"schema\": 1", "\"schema\": 9", 1),
    ));
    let (_, err, code) = keyshake(
        tmp.path(),
        &["class", "report", &newer.to_string_lossy()],
        "",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("newer.json:1:1: error: export schema 9"),
        "{err}"
    );
}

#[test]
fn on_a_terminal_the_class_exam_is_drawn_as_ratatui_bar_charts() {
    use keyshake::core::class::figures::Figures;
    use keyshake::tui::widgets::class_chart::charts;
    let tmp = must(tempfile::tempdir());
    let data = tmp.path();
    class(data);
    let pack = crate::builtin_pack();
    let (reports, warnings) = must(keyshake::core::class::from_data_dir(data, None, &pack, 0));
    assert!(warnings.is_empty(), "{warnings:?}");
    let f = Figures::new(&reports, Some(SEED), Some(&pack));
    let drawn = charts(&f, 80, false);
    insta::assert_snapshot!("class_charts", drawn);
    // The bars are in proportion: student-b's 75% bar is three quarters of
    // student-a's 100%.
    let len = |who: &str| {
        drawn
            .lines()
            .find(|l| l.contains(who))
            .map_or(0, |l| l.chars().filter(|c| *c == '█').count())
    };
    assert!(len("student-a") > 0);
    let (a, b) = (len("student-a"), len("student-b"));
    assert!((4 * b).abs_diff(3 * a) <= 4, "{a} {b}: {drawn}");
    // ASCII terminals get # bars and + - | borders.
    let ascii = charts(&f, 80, true);
    assert!(ascii.contains('#') && ascii.starts_with('+'), "{ascii}");
    assert!(!ascii.contains('█') && !ascii.contains('╭'), "{ascii}");
    // No exam taken: nothing to draw (the text report says "no exam").
    let none = Figures::new(&reports, Some(1), Some(&pack));
    assert_eq!(charts(&none, 80, false), "");
}
