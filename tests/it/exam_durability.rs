//! The plain exam keeps its answers whatever ends it: each answer is in
//! progress.json as soon as it is given, SIGTERM and SIGHUP keep them as
//! `q` does, and a line that is not UTF-8 is asked again. The real binary,
//! its stdin a pipe the test writes to.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// A plain exam running in the background: its stdin, and its stdout line
/// by line.
struct Exam {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    seen: String,
}

impl Exam {
    fn start(data: &Path, args: &[&str]) -> Exam {
        let mut child = Command::new(env!("CARGO_BIN_EXE_keyshake"))
            .args(["--data-dir", data.to_str().expect("utf-8 path")])
            .args(["quiz", "--plain", "--mode", "exam", "--seed", "4"])
            .args(args)
            .env_remove("KEYSHAKE_PROFILE")
            .env_remove("KEYSHAKE_CONTENT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run keyshake");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            // Prompts end without a newline: split on them too.
            let mut reader = BufReader::new(stdout);
            let mut buf = Vec::new();
            while reader.read_until(b' ', &mut buf).is_ok_and(|n| n > 0) {
                let _ = tx.send(String::from_utf8_lossy(&buf).into_owned());
                buf.clear();
            }
        });
        Exam {
            child,
            stdin,
            lines,
            seen: String::new(),
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("write stdin");
        self.stdin.flush().expect("flush");
    }

    /// Reads output until `needle` has appeared `times` times in all.
    fn wait_for(&mut self, needle: &str, times: usize) {
        while self.seen.matches(needle).count() < times {
            match self.lines.recv_timeout(Duration::from_secs(60)) {
                Ok(chunk) => self.seen.push_str(&chunk),
                Err(_) => panic!("never saw {needle:?} x{times}:\n{}", self.seen),
            }
        }
    }

    fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "kill {sig} failed");
    }

    /// After a signal: waits for the process to end by itself (stdin
    /// still open, as a terminal's would be), then collects what it said.
    fn finish_after_signal(mut self) -> (Option<i32>, String) {
        for _ in 0..600 {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.finish()
    }

    fn finish(self) -> (Option<i32>, String) {
        drop(self.stdin);
        let out = self.child.wait_with_output().expect("wait");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

fn quiz(data: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(data.join("progress.json")).expect("progress.json");
    let p: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    p["quiz"].clone()
}

fn exam_answers(data: &Path) -> usize {
    quiz(data)["answers"]
        .as_array()
        .map_or(0, |a| a.iter().filter(|r| r["mode"] == "exam").count())
}

impl Exam {
    /// Waits for prompt number `n` (1-based, counting every "Answer ("
    /// prompt shown) and answers it: allow for a policy question (no
    /// reason is asked), else the first choice.
    fn answer_prompt(&mut self, n: usize) {
        self.wait_for("Answer (", n);
        let tail = |s: &str| s.rsplit("Answer (").next().unwrap_or("").to_string();
        while !tail(&self.seen).contains("): ") {
            let before = self.seen.matches("): ").count();
            self.wait_for("): ", before + 1);
        }
        if tail(&self.seen).starts_with("allow or deny") {
            self.send(b"allow\n");
        } else {
            self.send(b"1\n");
        }
    }
}

/// Answers the first two questions, waiting for the third to be shown.
fn answer_two(exam: &mut Exam) {
    exam.answer_prompt(1);
    exam.answer_prompt(2);
    exam.wait_for("Question 3 of", 1);
}

#[test]
fn answers_are_in_progress_as_they_are_given() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut exam = Exam::start(dir.path(), &["--count", "5"]);
    answer_two(&mut exam);
    // The exam is still running: its answers are already saved.
    let open = quiz(dir.path())["open_exams"].clone();
    let answers = open[0]["answers"].as_array().map_or(0, Vec::len);
    assert_eq!(answers, 2, "{open}");
    assert_eq!(quiz(dir.path())["exam_attempts"]["4"], 1);
    exam.send(b"q\n");
    let (code, _) = exam.finish();
    assert_eq!(code, Some(0));
    assert_eq!(exam_answers(dir.path()), 2);
    assert!(
        quiz(dir.path())["open_exams"].is_null(),
        "the draft is gone"
    );
}

fn a_signal_keeps_the_answers(sig: &str, number: i32) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut exam = Exam::start(dir.path(), &["--count", "5"]);
    answer_two(&mut exam);
    exam.signal(sig);
    let (code, err) = exam.finish_after_signal();
    assert_eq!(code, Some(128 + number), "{err}");
    assert!(err.contains("2 exam answer(s) are kept"), "{err}");
    assert_eq!(exam_answers(dir.path()), 2);
    assert!(quiz(dir.path())["open_exams"].is_null());
    // The next exam does not count them again.
    let mut again = Exam::start(dir.path(), &["--count", "5"]);
    again.wait_for("Answer (", 1);
    again.send(b"q\n");
    let _ = again.finish();
    assert_eq!(exam_answers(dir.path()), 2);
}

#[test]
fn sigterm_keeps_the_plain_exams_answers() {
    a_signal_keeps_the_answers("-TERM", 15);
}

#[test]
fn sighup_keeps_the_plain_exams_answers() {
    a_signal_keeps_the_answers("-HUP", 1);
}

#[test]
fn a_line_that_is_not_utf8_is_asked_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut exam = Exam::start(dir.path(), &["--count", "5"]);
    exam.wait_for("Answer (", 1);
    exam.send(b"\xff\xfe\n");
    exam.wait_for("not readable text (not UTF-8)", 1);
    // Asked again, the same question: a normal answer goes on.
    exam.answer_prompt(2);
    assert!(!exam.seen.contains("Question 2 of"), "{}", exam.seen);
    exam.wait_for("Question 2 of", 1);
    exam.send(b"q\n");
    let (code, _) = exam.finish();
    assert_eq!(code, Some(0));
    assert_eq!(exam_answers(dir.path()), 1);
}

/// A draft a killed process left (its time long up) is kept in the
/// history when the next exam starts; one still running is left alone.
#[test]
fn a_killed_exams_draft_is_kept_at_the_next_start_once_its_time_is_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let answer = |q: &str, started: u64| {
        serde_json::json!({"question": q, "at": started + 5, "mode": "exam",
            "correct": true, "quiz_started": started})
    };
    let progress = serde_json::json!({
        "version": 1,
        "quiz": {"open_exams": [
            {"started_at": 1000, "ends_at": 2800, "answers": [answer("a", 1000), answer("b", 1000)]},
            {"started_at": 4_000_000_000u64, "ends_at": 4_000_001_800u64, "answers": [answer("c", 4_000_000_000)]}
        ]}
    });
    std::fs::write(dir.path().join("progress.json"), progress.to_string()).expect("write");
    let mut exam = Exam::start(dir.path(), &["--count", "5"]);
    exam.wait_for("Answer (", 1);
    exam.send(b"q\n");
    let (code, err) = exam.finish();
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        exam_answers(dir.path()),
        2,
        "the expired draft's two answers"
    );
    let open = quiz(dir.path())["open_exams"].clone();
    assert_eq!(open.as_array().map(Vec::len), Some(1), "{open}");
    assert_eq!(open[0]["started_at"], 4_000_000_000u64);
}
