//! `keyshake quiz --plain` as a class would script it: answers piped in,
//! the transcript and the saved progress checked. The expected answers are
//! worked out from the library with the same seed, which also proves that
//! `--seed` reproduces the quiz the binary asks.

use std::cell::Cell;
use std::io::{BufRead, Read};
use std::path::Path;
use std::rc::Rc;

use keyshake::cli::quiz::{Options, run};
use keyshake::core::content::Pack;
use keyshake::core::progress::{MemStore, ProgressStore};
use keyshake::core::quiz::labels::DENY_REASONS;
use keyshake::core::quiz::{Item, Mode, QuizProgress, Response, Session, Settings, build_seeded};
use keyshake::core::world::Verdict;
use serde_json::Value;

fn must<T, E: std::fmt::Debug>(r: Result<T, E>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{e:?}"),
    }
}

fn pack() -> Pack {
    crate::builtin_pack()
}

fn session(mode: Mode, count: usize, seed: u64, progress: &QuizProgress) -> Session {
    let settings = Settings {
        count: Some(count),
        ..Settings::new(mode)
    };
    must(build_seeded(&pack(), progress, &settings, 0, seed))
}

/// The line a learner types for `response`.
fn line_for(response: &Response) -> String {
    match response {
        Response::Choices(shown) => shown
            .iter()
            .map(|&i| char::from(b'a' + u8::try_from(i).unwrap_or(0)).to_string())
            .collect::<Vec<_>>()
            .join(","),
        Response::Policy { verdict, reason } => match (verdict, reason) {
            (Verdict::Allow, _) => "allow".to_string(),
            (Verdict::Deny, None) => "deny".to_string(),
            (Verdict::Deny, Some(r)) => {
                let n = DENY_REASONS.iter().position(|x| x == r).unwrap_or(0) + 1;
                format!("deny {n}")
            }
        },
    }
}

/// A wrong answer of the right shape.
fn wrong_line(item: &Item) -> String {
    match item.right_response() {
        Response::Choices(right) => {
            let wrong: Vec<usize> = (0..item.order.len())
                .filter(|i| !right.contains(i))
                .take(right.len())
                .collect();
            line_for(&Response::Choices(wrong))
        }
        Response::Policy { verdict, .. } => match verdict {
            Verdict::Allow => "deny 1".to_string(),
            Verdict::Deny => "allow".to_string(),
        },
    }
}

fn keyshake(data: &Path, args: &[&str], input: &str) -> (String, String, i32) {
    crate::cli_common::run_text(data, args, input)
}

fn progress_json(data: &Path) -> Value {
    must(serde_json::from_slice(&must(std::fs::read(
        data.join("progress.json"),
    ))))
}

#[test]
fn scripted_practice_run_is_scored_and_recorded() {
    let data = must(tempfile::tempdir());
    let expected = session(Mode::Practice, 5, 7, &QuizProgress::default());
    assert_eq!(expected.len(), 5);
    // Four right, the last one wrong, with a typo first on question 2.
    let mut script = String::new();
    for (i, item) in expected.items().iter().enumerate() {
        if i == 1 {
            script.push_str("zz\n");
        }
        let line = if i == 4 {
            wrong_line(item)
        } else {
            line_for(&item.right_response())
        };
        script.push_str(&line);
        script.push('\n');
    }
    let (out, err, code) = keyshake(
        data.path(),
        &["quiz", "--plain", "--seed", "7", "--count", "5"],
        &script,
    );
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    assert!(
        out.contains("keyshake quiz: Practice, 5 questions: one question at a time"),
        "{out}"
    );
    assert!(
        !out.contains("--seed 7"),
        "the seed was given, no need to print it"
    );
    for n in 1..=5 {
        assert!(out.contains(&format!("Question {n} of 5")), "{out}");
    }
    assert_eq!(out.matches("\nRight.").count(), 4, "{out}");
    assert_eq!(out.matches("Not right. The answer: ").count(), 1, "{out}");
    // The typo gets the re-ask that fits question 2's kind (choices or a
    // policy verdict), whichever the seed drew from the bank.
    assert!(
        out.contains("Please answer with a letter a-")
            || out.contains("Please answer allow or deny"),
        "{out}"
    );
    assert!(out.contains("Done: 4 of 5 right (80%)."), "{out}");
    assert!(out.contains("Missed (wrong last time): 1."), "{out}");
    // Each asked question's explanation was shown after the answer.
    let first = &expected.items()[0].question;
    let first_words: String = first
        .explanation
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        out.contains(&format!("Why: {}", first_words.replace('`', ""))),
        "{out}"
    );

    let saved = progress_json(data.path());
    let answers = saved["quiz"]["answers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let ids: Vec<&str> = answers
        .iter()
        .filter_map(|a| a["question"].as_str())
        .collect();
    let expected_ids: Vec<&str> = expected
        .items()
        .iter()
        .map(|i| i.question.id.as_str())
        .collect();
    assert_eq!(ids, expected_ids);
    let correct: Vec<bool> = answers
        .iter()
        .filter_map(|a| a["correct"].as_bool())
        .collect();
    assert_eq!(correct, vec![true, true, true, true, false]);
    for (a, item) in answers.iter().zip(expected.items()).take(4) {
        assert_eq!(a["mode"], "practice");
        if item.question.policy.is_none() {
            // Chosen indexes are stored in the file's order, not the shuffled one.
            let mut right = item.question.answer.clone();
            right.sort_unstable();
            let chosen: Vec<usize> = a["chosen"]
                .as_array()
                .map(|v| {
                    v.iter()
                        .filter_map(|x| x.as_u64())
                        .map(|x| x as usize)
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(chosen, right, "{}", item.question.id);
        } else {
            assert!(a["verdict"].is_string(), "{a}");
        }
        assert!(a["at"].as_u64().is_some_and(|t| t > 1_700_000_000));
    }
    let schedule = saved["quiz"]["schedule"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    assert_eq!(schedule.len(), 5);
    let missed_id = expected_ids[4];
    // FSRS-6's first "Again": stability 0.212 days, due the next day.
    let stability = schedule[missed_id]["stability"].as_f64().unwrap_or(0.0);
    assert!((stability - 0.212).abs() < 1e-3, "{stability}");
    assert_eq!(
        schedule[missed_id]["due_day"].as_u64(),
        schedule[missed_id]["last_day"].as_u64().map(|d| d + 1)
    );
    assert!(schedule[missed_id].get("ease_milli").is_none());

    // `keyshake progress` sums it up.
    let (out, _, code) = keyshake(data.path(), &["progress"], "");
    assert_eq!(code, 0);
    assert!(
        out.contains("Quiz: 5 questions answered (4 right at the first try), 0 due for review today, 1 missed (wrong last time).\nExams: none taken yet.\n"),
        "{out}"
    );

    // Missed mode asks exactly that question; a right answer clears it.
    let missed_item = &expected.items()[4];
    let again = session(
        Mode::Missed,
        5,
        3,
        &must(serde_json::from_value::<QuizProgress>(
            saved["quiz"].clone(),
        )),
    );
    let line = line_for(&again.items()[0].right_response());
    let (out, _, code) = keyshake(
        data.path(),
        &["quiz", "--plain", "--mode", "missed", "--seed", "3"],
        &format!("{line}\n"),
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("keyshake quiz: Missed, 1 question: the questions you got wrong"),
        "{out}"
    );
    assert_eq!(again.items()[0].question.id, missed_item.question.id);
    assert!(out.contains("Done: 1 of 1 right (100%)."), "{out}");
    let (out, _, code) = keyshake(data.path(), &["quiz", "--plain", "--mode", "missed"], "");
    assert_eq!(code, 0);
    assert!(out.starts_with("No missed questions"), "{out}");
    // Nothing is due on the day of answering.
    let (out, _, _) = keyshake(data.path(), &["quiz", "--mode", "review"], "");
    assert!(
        out.starts_with("Nothing is due for review today; the next review is on "),
        "{out}"
    );
}

#[test]
fn q_stops_and_keeps_the_answers_so_far() {
    let data = must(tempfile::tempdir());
    let expected = session(Mode::Practice, 5, 7, &QuizProgress::default());
    let first = line_for(&expected.items()[0].right_response());
    // No --plain: stdin is a pipe, so line mode is used anyway.
    let (out, _, code) = keyshake(
        data.path(),
        &["quiz", "--seed", "7", "--count", "5"],
        &format!("{first}\nq\n"),
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Stopped after 1 of 5 questions: 1 right. Your answers are kept."),
        "{out}"
    );
    let saved = progress_json(data.path());
    assert_eq!(saved["quiz"]["answers"].as_array().map(Vec::len), Some(1));
}

#[test]
fn bad_objective_is_a_usage_error() {
    let data = must(tempfile::tempdir());
    let (out, err, code) = keyshake(
        data.path(),
        &["quiz", "--plain", "--objective", "handshakes"],
        "",
    );
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("unknown objective \"handshakes\"; the objectives are: handshake,"),
        "{err}"
    );
    assert!(!data.path().join("progress.json").exists());
}

#[test]
fn scripted_exam_flags_revisits_submits_and_reports() {
    let data = must(tempfile::tempdir());
    let expected = session(Mode::Exam, 4, 7, &QuizProgress::default());
    let items = expected.items();
    let right = |i: usize| line_for(&items[i].right_response());
    let script = [
        right(0),
        "f".to_string(),       // flag question 2
        wrong_line(&items[1]), // and answer it wrong for now
        "n".to_string(),       // skip question 3
        right(3),              // last: the grid is shown
        "g 2".to_string(),     // back to the flagged question
        right(1),              // fix it
        "s".to_string(),       // one unanswered: asks again
        "s".to_string(),
    ]
    .join("\n");
    let (out, err, code) = keyshake(
        data.path(),
        &[
            "quiz", "--plain", "--mode", "exam", "--seed", "7", "--count", "4",
        ],
        &format!("{script}\n"),
    );
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("keyshake quiz: Exam, 4 questions, 30 minutes, pass mark 72%: timed"),
        "{out}"
    );
    assert!(out.contains("Question 2 is flagged for review."), "{out}");
    assert!(out.contains("Question 2 of 4 (flagged), "), "{out}");
    assert!(
        out.contains("Answered: 1-2, 4\n  Unanswered: 3\n  Flagged: 2\n"),
        "{out}"
    );
    assert!(out.contains("Your answer so far: "), "{out}");
    assert!(
        out.contains("1 question is unanswered and will count as wrong. Type s again to submit."),
        "{out}"
    );
    assert!(
        out.contains("Score: 3 of 4 right (75%). Pass mark 72%: PASS."),
        "{out}"
    );
    assert!(out.contains("By objective:"), "{out}");
    assert!(out.contains("3. [wrong] "), "{out}");
    assert!(out.contains("2. [right, flagged] "), "{out}");
    assert!(out.contains("Your answer: (no answer)"), "{out}");
    assert!(!out.contains("Not right."), "no feedback before submission");

    let saved = progress_json(data.path());
    let exams = saved["quiz"]["exams"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(exams.len(), 1);
    let exam = &exams[0];
    assert_eq!(exam["seed"], 7);
    assert_eq!(exam["percent"], 75);
    assert_eq!(exam["passed"], true);
    assert_eq!(exam["score"]["right"], 3);
    let asked: Vec<&str> = exam["questions"]
        .as_array()
        .map(|v| v.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let expected_ids: Vec<&str> = items.iter().map(|i| i.question.id.as_str()).collect();
    assert_eq!(asked, expected_ids);
    let answers = saved["quiz"]["answers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    // The final answers, and the unanswered questions as wrong (Missed).
    let given: Vec<&Value> = answers.iter().filter(|a| a["unanswered"] != true).collect();
    assert_eq!(given.len(), 3, "the final answers only");
    assert!(
        given
            .iter()
            .all(|a| a["mode"] == "exam" && a["correct"] == true)
    );
    assert!(
        answers
            .iter()
            .filter(|a| a["unanswered"] == true)
            .all(|a| a["correct"] == false)
    );
}

/// Lines whose reading moves a shared clock on by `step` seconds each.
struct TimedLines {
    lines: Vec<Vec<u8>>,
    pos: usize,
    now: Rc<Cell<u64>>,
    step: u64,
}

impl Read for TimedLines {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let avail = self.fill_buf()?;
            let n = avail.len().min(buf.len());
            buf[..n].copy_from_slice(&avail[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for TimedLines {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        Ok(self.lines.first().map_or(&[][..], |l| &l[self.pos..]))
    }
    fn consume(&mut self, amt: usize) {
        self.pos += amt;
        if self.lines.first().is_some_and(|l| self.pos >= l.len()) {
            self.lines.remove(0);
            self.pos = 0;
            self.now.set(self.now.get() + self.step);
        }
    }
}

#[test]
fn exam_timer_warns_and_submits_on_an_injected_clock() {
    let pack = pack();
    let start = 1_800_000_000;
    let now = Rc::new(Cell::new(start));
    let expected = must(build_seeded(
        &pack,
        &QuizProgress::default(),
        &Settings {
            count: Some(5),
            exam_minutes: 3,
            ..Settings::new(Mode::Exam)
        },
        start,
        9,
    ));
    // Every answer takes 50 s: 130 s left after the first (no warning), 80 s
    // after the second (warning), and the fourth comes after the deadline.
    let lines = expected
        .items()
        .iter()
        .map(|i| format!("{}\n", line_for(&i.right_response())).into_bytes())
        .collect();
    let mut input = TimedLines {
        lines,
        pos: 0,
        now: Rc::clone(&now),
        step: 50,
    };
    let mut store = MemStore::default();
    let options = Options {
        settings: Settings {
            count: Some(5),
            exam_minutes: 3,
            ..Settings::new(Mode::Exam)
        },
        seed: 9,
        seed_given: true,
        width: None,
        echo: true,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let clock_now = Rc::clone(&now);
    let code = run(
        &pack,
        &mut store,
        &options,
        &mut input,
        &mut out,
        &mut err,
        &mut || clock_now.get(),
    );
    let out = String::from_utf8_lossy(&out);
    assert_eq!(code, Ok(0), "{out}");
    assert!(out.contains("Question 1 of 5, 3:00 left"), "{out}");
    assert!(out.contains("Question 2 of 5, 2:10 left"), "{out}");
    let warning = out
        .find("Warning: 1:20 left.")
        .unwrap_or_else(|| panic!("no warning:\n{out}"));
    assert!(warning > out.find("Question 2 of 5").unwrap_or(usize::MAX));
    assert_eq!(out.matches("Warning:").count(), 1);
    assert!(
        out.contains(
            "Time is up: that answer came too late, and the exam was submitted automatically."
        ),
        "{out}"
    );
    assert!(
        out.contains("Score: 3 of 5 right (60%). Pass mark 72%: FAIL."),
        "{out}"
    );
    assert!(out.contains("Time used: 3:00 (time ran out)."), "{out}");
    let saved = must(store.load(0)).progress.quiz;
    assert_eq!(saved.exams.len(), 1);
    assert!(saved.exams[0].auto_submitted);
    assert_eq!(saved.exams[0].at, start + 180);
    assert_eq!(saved.answers.iter().filter(|a| !a.unanswered).count(), 3);
    assert_eq!(saved.answers.len(), 5, "the two unanswered go into Missed");
    assert_eq!(
        saved
            .answers
            .iter()
            .filter(|a| !a.unanswered)
            .map(|a| a.seconds)
            .collect::<Vec<_>>(),
        vec![50, 50, 50]
    );
}

#[test]
fn stopping_an_exam_keeps_the_answers_without_a_score() {
    let data = must(tempfile::tempdir());
    let expected = session(Mode::Exam, 3, 11, &QuizProgress::default());
    let first = line_for(&expected.items()[0].right_response());
    let (out, _, code) = keyshake(
        data.path(),
        &[
            "quiz", "--plain", "--mode", "exam", "--seed", "11", "--count", "3",
        ],
        &format!("{first}\nq\n"),
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Stopped. Your 1 answer is kept in your history; no exam score was recorded"),
        "{out}"
    );
    assert!(!out.contains("Score report"), "{out}");
    let saved = progress_json(data.path());
    assert_eq!(saved["quiz"]["answers"].as_array().map(Vec::len), Some(1));
    assert_eq!(saved["quiz"]["answers"][0]["mode"], "exam");
    assert!(saved["quiz"].get("exams").is_none(), "{saved}");
}

#[test]
fn a_progress_file_from_a_newer_keyshake_is_left_alone() {
    let data = must(tempfile::tempdir());
    let newer = r#"{"version": 99, "quiz": {"answers": []}, "future": true}"#;
    must(std::fs::write(data.path().join("progress.json"), newer));
    let expected = session(Mode::Practice, 1, 7, &QuizProgress::default());
    let line = line_for(&expected.items()[0].right_response());
    let (out, err, code) = keyshake(
        data.path(),
        &["quiz", "--plain", "--seed", "7", "--count", "1"],
        &format!("{line}\n"),
    );
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("Right."), "{out}");
    assert!(err.contains("comes from a newer keyshake"), "{err}");
    assert!(
        err.contains("warning: your answers cannot be saved"),
        "{err}"
    );
    assert_eq!(
        must(std::fs::read_to_string(data.path().join("progress.json"))),
        newer
    );
}

#[test]
fn policy_questions_show_the_scenario_and_ask_why_on_deny() {
    let mut pack = pack();
    pack.questions.retain(|q| {
        q.ask_reason
            && q.policy
                .as_ref()
                .is_some_and(|p| p.verdict == Verdict::Deny)
    });
    let settings = Settings {
        count: Some(1),
        ..Settings::new(Mode::Practice)
    };
    let expected = must(build_seeded(
        &pack,
        &QuizProgress::default(),
        &settings,
        0,
        1,
    ));
    let item = &expected.items()[0];
    let Response::Policy {
        reason: Some(reason),
        ..
    } = item.right_response()
    else {
        panic!("a deny with a reason")
    };
    let n = DENY_REASONS.iter().position(|r| *r == reason).unwrap_or(0) + 1;
    // View the scenario, answer deny, give an unknown reason, then the right one.
    let script = format!("v\ndeny\n9\n{n}\n");
    let mut store = MemStore::default();
    let options = Options {
        settings,
        seed: 1,
        seed_given: false,
        width: None,
        echo: true,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(
        &pack,
        &mut store,
        &options,
        &mut script.as_bytes(),
        &mut out,
        &mut err,
        &mut || 1_800_000_000,
    );
    let out = String::from_utf8_lossy(&out);
    assert_eq!(code, Ok(0), "{out}");
    assert!(
        out.contains("To take this same quiz again, add --seed 1."),
        "{out}"
    );
    // The world is shown, never the file: no name, no TOML, no expectation.
    let scenario = item.question.scenario.clone().unwrap_or_default();
    assert!(out.contains("--- scenario ---\n"), "{out}");
    assert!(out.contains("\nRequest\n  Caller: arn:aws:"), "{out}");
    assert!(!out.contains(&scenario), "the file name is hidden:\n{out}");
    assert!(!out.contains("[[requests]]"), "{out}");
    assert!(!out.contains("expect"), "{out}");
    assert!(
        out.contains("Why is it denied?\n  1) explicit deny"),
        "{out}"
    );
    assert!(out.contains("Please give the reason's number 1-5"), "{out}");
    assert!(out.contains("\nRight.\n"), "{out}");
    assert!(out.contains("Policy engine: "), "{out}");
    let saved = must(store.load(0)).progress.quiz;
    assert_eq!(saved.answers.len(), 1);
    assert_eq!(saved.answers[0].verdict.as_deref(), Some("deny"));
    assert_eq!(saved.answers[0].reason.as_deref(), Some(reason.code()));
    assert!(saved.answers[0].correct);
}

#[test]
fn an_invalid_utf8_line_is_asked_again_and_the_exam_goes_on() {
    let pack = pack();
    let settings = Settings {
        count: Some(2),
        ..Settings::new(Mode::Exam)
    };
    let expected = must(build_seeded(
        &pack,
        &QuizProgress::default(),
        &settings,
        0,
        3,
    ));
    let mut script: Vec<u8> = b"\xff\xfe not text\n".to_vec();
    for item in expected.items() {
        let answer = match item.right_response() {
            Response::Choices(c) => c
                .iter()
                .map(|i| (i + 1).to_string())
                .collect::<Vec<_>>()
                .join(" "),
            Response::Policy { verdict, reason } => match reason {
                Some(r) => format!(
                    "deny {}",
                    DENY_REASONS.iter().position(|x| *x == r).unwrap_or(0) + 1
                ),
                None => verdict.code().to_string(),
            },
        };
        script.extend_from_slice(answer.as_bytes());
        script.push(b'\n');
    }
    script.extend_from_slice(b"s\ny\n");
    let mut store = MemStore::default();
    let options = Options {
        settings,
        seed: 3,
        seed_given: true,
        width: None,
        echo: true,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(
        &pack,
        &mut store,
        &options,
        &mut script.as_slice(),
        &mut out,
        &mut err,
        &mut || 1_800_000_000,
    );
    let out = String::from_utf8_lossy(&out).into_owned();
    assert!(code.is_ok(), "{out}");
    assert!(out.contains("not readable text (not UTF-8)"), "{out}");
    let saved = must(store.load(0)).progress.quiz;
    assert_eq!(saved.exams.len(), 1, "the exam was submitted:\n{out}");
    assert_eq!(saved.exams[0].score.right, 2, "{out}");
}

#[test]
fn an_exam_time_that_would_overflow_is_refused_with_a_message() {
    let pack = pack();
    let options = Options {
        settings: Settings {
            exam_minutes: u64::MAX,
            ..Settings::new(Mode::Exam)
        },
        seed: 1,
        seed_given: true,
        width: None,
        echo: true,
    };
    let mut store = MemStore::default();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let result = run(
        &pack,
        &mut store,
        &options,
        &mut "".as_bytes(),
        &mut out,
        &mut err,
        &mut || 1_800_000_000,
    );
    let message = result.err().map(|e| e.message).unwrap_or_default();
    assert!(message.contains("at most 1440 minutes"), "{message}");
}
