//! The real binary in a pseudo-terminal (100x30, TERM=xterm-256color, a
//! temporary KEYSHAKE_DATA_DIR), read back through a vt100 screen model.
//! Waits are generous polls: nothing here asserts on speed.

#![cfg(unix)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const WAIT: Duration = Duration::from_secs(20);
const ROWS: u16 = 30;
const COLS: u16 = 100;

struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote (for sequences the screen model does
    /// not keep, such as OSC 52).
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    // Kept open so the child keeps its terminal until it exits.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

fn rows_cols() -> (std::num::NonZeroU16, std::num::NonZeroU16) {
    match (
        std::num::NonZeroU16::new(ROWS),
        std::num::NonZeroU16::new(COLS),
    ) {
        (Some(r), Some(c)) => (r, c),
        _ => panic!("zero size"),
    }
}

impl Tui {
    fn start(data_dir: &Path, extra_env: &[(&str, &str)]) -> Tui {
        Tui::start_args(data_dir, extra_env, &[])
    }

    fn start_args(data_dir: &Path, extra_env: &[(&str, &str)], args: &[&str]) -> Tui {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap_or_else(|e| panic!("openpty: {e}"));
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_keyshake"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("KEYSHAKE_DATA_DIR", data_dir);
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("KEYSHAKE_CONTENT");
        cmd.env_remove("KEYSHAKE_ASCII");
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let child = pair
            .slave
            .spawn_command(cmd)
            .unwrap_or_else(|e| panic!("spawn: {e}"));
        drop(pair.slave);
        let (rows, cols) = rows_cols();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let mut reader = pair
            .master
            .try_clone_reader()
            .unwrap_or_else(|e| panic!("reader: {e}"));
        let sink = Arc::clone(&parser);
        let raw = Arc::new(Mutex::new(Vec::new()));
        let raw_sink = Arc::clone(&raw);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut p) = sink.lock() {
                    p.process(&buf[..n]);
                }
                if let Ok(mut r) = raw_sink.lock() {
                    r.extend_from_slice(&buf[..n]);
                }
            }
        });
        let writer = pair
            .master
            .take_writer()
            .unwrap_or_else(|e| panic!("writer: {e}"));
        Tui {
            parser,
            raw,
            writer,
            child,
            _master: pair.master,
        }
    }

    fn screen(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Waits until the program has written `bytes` (anywhere in its output).
    fn wait_for_bytes(&self, bytes: &[u8]) {
        let start = Instant::now();
        loop {
            let found = self
                .raw
                .lock()
                .is_ok_and(|r| r.windows(bytes.len()).any(|w| w == bytes));
            if found {
                return;
            }
            if start.elapsed() > WAIT {
                panic!("waited {WAIT:?} for {bytes:?}; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn alternate_screen(&self) -> bool {
        self.parser
            .lock()
            .map(|p| p.screen().alternate_screen())
            .unwrap_or(true)
    }

    fn mouse_captured(&self) -> bool {
        self.parser
            .lock()
            .map(|p| p.screen().mouse_protocol_mode() != vt100::MouseProtocolMode::None)
            .unwrap_or(true)
    }

    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            if start.elapsed() > WAIT {
                panic!("waited {WAIT:?} for {needle:?}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&mut self, keys: &str) {
        // One key at a time, as a person types, so each is read on its own.
        for c in keys.chars() {
            let mut b = [0u8; 4];
            self.send_raw(c.encode_utf8(&mut b).as_bytes());
        }
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        self.writer
            .write_all(bytes)
            .and_then(|()| self.writer.flush())
            .unwrap_or_else(|e| panic!("write: {e}"));
        std::thread::sleep(Duration::from_millis(30));
    }

    fn resize(&self, rows: u16, cols: u16) {
        if let Ok(mut p) = self.parser.lock()
            && let (Some(r), Some(c)) = (
                std::num::NonZeroU16::new(rows),
                std::num::NonZeroU16::new(cols),
            )
        {
            p.set_size(r, c);
        }
        self._master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap_or_else(|e| panic!("resize: {e}"));
    }

    fn pid(&self) -> u32 {
        self.child.process_id().unwrap_or_else(|| panic!("no pid"))
    }

    /// Waits for the process to end; returns its exit code.
    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the reader thread take the last output.
                std::thread::sleep(Duration::from_millis(200));
                return status.exit_code();
            }
            if start.elapsed() > WAIT {
                let _ = self.child.kill();
                panic!("did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn signal(pid: u32, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(ok, "kill {sig} {pid} failed");
}

fn progress(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("progress.json"))
        .unwrap_or_else(|e| panic!("progress.json: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("progress.json is not JSON: {e}\n{text}"))
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

const RIGHT: &str = "\x1b[C";

/// The learner seed the PTY tests write into a fresh progress file.
const LEARNER_SEED: u64 = 7;

/// Seeds a fresh progress file in `dir` with [`LEARNER_SEED`] and returns
/// the key that answers checkpoint `id` right in that learner's shuffled
/// order.
fn seeded_right_key(dir: &Path, id: &str) -> String {
    std::fs::write(
        dir.join("progress.json"),
        format!("{{\"version\": 1, \"seed\": {LEARNER_SEED}}}"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    checkpoint_key(id, true)
}

/// The key of a right (or a wrong) choice of checkpoint `id` as the
/// learner with [`LEARNER_SEED`] sees the choices.
fn checkpoint_key(id: &str, right: bool) -> String {
    let pack = crate::builtin_pack();
    let q = pack
        .lessons
        .iter()
        .flat_map(|l| &l.sections)
        .flat_map(|s| &s.checkpoints)
        .find(|q| q.id == id)
        .unwrap_or_else(|| panic!("checkpoint {id}"));
    let order = keyshake::core::quiz::checkpoint_order(LEARNER_SEED, q);
    let pos = order
        .iter()
        .position(|ci| q.answer.contains(ci) == right)
        .unwrap_or_else(|| panic!("{id} has such a choice"));
    (pos + 1).to_string()
}

#[test]
fn a_digit_after_a_wrong_answer_answers_the_next_checkpoint_and_the_first_stays_wrong() {
    let dir = temp();
    let _ = seeded_right_key(dir.path(), "handshake-both-halves");
    let wrong1 = checkpoint_key("handshake-both-halves", false);
    let right2 = checkpoint_key("handshake-iam-alone", true);
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Start the course");
    t.send("jjjj\r");
    t.wait_for("Two halves, both required");
    t.send(&format!("G{wrong1}\r"));
    t.wait_for("Next: checkpoint 2");
    // The next digit goes to checkpoint 2, not back to checkpoint 1.
    t.send(&format!("{right2}\r"));
    t.wait_for("Section completed");
    t.send("q");
    t.wait_for("Continue where you left off");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    let p = progress(dir.path());
    let first = &p["checkpoints"]["handshake-both-halves"];
    assert_eq!(first["correct"], false, "{p}");
    assert_eq!(first["attempts"], 1, "{p}");
    assert_eq!(first["first"]["correct"], false, "{p}");
    assert_eq!(
        p["checkpoints"]["handshake-iam-alone"]["correct"], true,
        "{p}"
    );
}

#[test]
fn learn_step_answer_quit_and_resume_at_the_same_place() {
    let dir = temp();
    let right = seeded_right_key(dir.path(), "handshake-both-halves");
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Start the course");
    assert!(t.alternate_screen());
    // Lesson 4 (four rows down), the handshake diagram, two steps.
    t.send("jjjj\r");
    t.wait_for("Two halves, both required");
    // Tab goes through the glossary links and the diagram in reading
    // order: on until the diagram is on screen.
    for _ in 0..30 {
        t.send("\t");
        std::thread::sleep(Duration::from_millis(100));
        if t.screen().contains("step 1 of 6") {
            break;
        }
    }
    t.send_raw(RIGHT.as_bytes());
    t.send_raw(RIGHT.as_bytes());
    t.wait_for("Step 3 of 6");
    t.wait_for("S3 checks A's bucket policy");
    // The first checkpoint, answered right in this learner's order.
    t.send(&format!("G{right}\r"));
    t.wait_for("Correct.");
    t.send("q");
    t.wait_for("Continue where you left off: 4. The two-sided handshake");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    assert!(!t.alternate_screen(), "alternate screen left on quit");
    assert!(!t.mouse_captured(), "mouse capture turned off on quit");

    let p = progress(dir.path());
    assert_eq!(p["last"]["lesson"], "handshake");
    assert_eq!(p["last"]["section"], "two-halves");
    let scroll = p["last"]["scroll"].as_u64().unwrap_or(0);
    assert!(scroll > 0, "scroll position saved: {p}");
    assert_eq!(p["checkpoints"]["handshake-both-halves"]["correct"], true);
    assert_eq!(
        p["lessons"]["handshake"]["sections"]["two-halves"]["seen"],
        true
    );

    // Start again: Continue opens the same section at the same place, with
    // the answer shown.
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Continue where you left off: 4. The two-sided handshake › Two halves");
    t.send("\r");
    t.wait_for("Two halves, both required");
    t.wait_for("Correct.");
    t.send("q");
    t.wait_for("Continue where you left off");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(
        progress(dir.path())["last"]["scroll"].as_u64(),
        Some(scroll)
    );
}

#[test]
fn sigkill_mid_session_leaves_a_valid_progress_file() {
    let dir = temp();
    let right = seeded_right_key(dir.path(), "handshake-both-halves");
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Start the course");
    t.send(&format!("jjjj\rG{right}\r"));
    t.wait_for("Correct.");
    // Keep it busy saving: answer again and again, then kill it.
    t.send("1\r2\r1\r");
    signal(t.pid(), "-KILL");
    t.wait_exit();
    let p = progress(dir.path());
    assert_eq!(p["version"], 1);
    assert!(
        p["checkpoints"]["handshake-both-halves"]["attempts"]
            .as_u64()
            .unwrap_or(0)
            >= 1
    );
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| {
                    n != "progress.json" && n != "progress.lock" && !n.starts_with(".progress")
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(leftovers.is_empty(), "unexpected files: {leftovers:?}");
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .unwrap_or_else(|e| panic!("/proc/{pid}/stat: {e}"));
    // Fields after the command name (which may hold spaces) start after ')'.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    // rest[0] is field 3 (state); utime is field 14, stime 15.
    let n = |i: usize| {
        f.get(i - 3)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    n(14) + n(15)
}

/// Asserts the tutor burns no CPU for 2 s while nothing happens (a tick
/// is 10 ms; a timer-driven loop would burn several).
#[cfg(target_os = "linux")]
fn assert_idle(t: &Tui, what: &str) {
    std::thread::sleep(Duration::from_millis(300));
    let before = cpu_ticks(t.pid());
    std::thread::sleep(Duration::from_secs(2));
    let after = cpu_ticks(t.pid());
    assert!(after - before <= 1, "CPU ticks {what}: {}", after - before);
}

#[test]
#[cfg(target_os = "linux")]
fn idle_uses_no_cpu() {
    let dir = temp();
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Start the course");
    assert_idle(&t, "while idle");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn sigterm_restores_the_terminal_and_exits_143() {
    let dir = temp();
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Start the course");
    assert!(t.mouse_captured());
    signal(t.pid(), "-TERM");
    assert_eq!(t.wait_exit(), 143);
    assert!(!t.alternate_screen());
    assert!(!t.mouse_captured());
}

/// Scroll positions are saved on leaving a lesson, not on every step; a
/// SIGTERM (a closed window, a shutdown) saves it too.
#[test]
fn sigterm_in_a_lesson_saves_the_reading_position() {
    let dir = temp();
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Start the course");
    t.send("jjjj\r");
    t.wait_for("Two halves, both required");
    t.wait_for("Half one, in account A");
    t.send("jjjjjjjjjj");
    // Scrolled once the first bullet has left the screen.
    let start = Instant::now();
    while t.screen().contains("Half one, in account A") {
        assert!(start.elapsed() < WAIT, "did not scroll:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    signal(t.pid(), "-TERM");
    assert_eq!(t.wait_exit(), 143);
    let p = progress(dir.path());
    assert_eq!(p["last"]["lesson"], "handshake", "{p}");
    assert!(p["last"]["scroll"].as_u64().unwrap_or(0) > 0, "{p}");
}

#[test]
fn ctrl_c_quits_cleanly() {
    let dir = temp();
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Start the course");
    t.send("\r");
    t.wait_for("Section 1 of");
    t.send_raw(&[3]);
    assert_eq!(t.wait_exit(), 0);
    assert!(!t.alternate_screen());
    // Quitting from inside a lesson saved the place.
    assert_eq!(progress(dir.path())["last"]["lesson"], "welcome");
}

#[test]
#[cfg(debug_assertions)]
fn a_panic_restores_the_terminal_before_the_message() {
    let dir = temp();
    let mut t = Tui::start(dir.path(), &[("KEYSHAKE_TEST_PANIC", "1")]);
    let code = t.wait_exit();
    assert_eq!(code, 101);
    assert!(!t.alternate_screen());
    assert!(!t.mouse_captured());
    let s = t.screen();
    assert!(s.contains("panicking on purpose"), "{s}");
}

#[test]
fn no_color_draws_without_colour() {
    let dir = temp();
    let mut t = Tui::start(dir.path(), &[("NO_COLOR", "1")]);
    t.wait_for("Start the course");
    let coloured = t
        .parser
        .lock()
        .map(|p| {
            let s = p.screen();
            (0..ROWS).any(|r| {
                (0..COLS).any(|c| {
                    s.cell(r, c).is_some_and(|cell| {
                        cell.fgcolor() != vt100::Color::Default
                            || cell.bgcolor() != vt100::Color::Default
                    })
                })
            })
        })
        .unwrap_or(true);
    assert!(!coloured, "a coloured cell under NO_COLOR");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn without_a_terminal_it_says_so_instead_of_garbling_a_pipe() {
    let dir = temp();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .env("KEYSHAKE_DATA_DIR", dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the tutor needs a terminal"), "{err}");
}

#[test]
fn a_small_window_gets_a_message_and_the_layout_comes_back() {
    let dir = temp();
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Start the course");
    t.resize(20, 60);
    t.wait_for("terminal too small (need 80x24, have 60x20)");
    t.resize(24, 80);
    t.wait_for("Start the course");
    t.wait_for("checkpoints answered");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

/// Sends `text` as one bracketed paste (the terminal wraps a paste in
/// ESC [200~ ... ESC [201~ when the program asked for it).
fn paste(t: &mut Tui, text: &str) {
    let mut bytes = b"\x1b[200~".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    bytes.extend_from_slice(b"\x1b[201~");
    t.send_raw(&bytes);
}

#[test]
fn lab_one_solved_by_pasting_is_recorded_and_kept_after_a_restart() {
    let pack = crate::builtin_pack();
    let lab = &pack.labs[0];
    // Home: Continue, the lessons, then the labs.
    let to_lab_1 = format!("{}\r", "j".repeat(1 + pack.lessons.len()));
    let dir = temp();
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Start the course");
    t.send(&to_lab_1);
    t.wait_for("Lab 1 ·");
    t.wait_for("1 DENY ✗ ○ not met");
    assert!(t.parser.lock().is_ok_and(|p| p.screen().bracketed_paste()));
    // Tab 1, the IAM policy: Ctrl-A selects all, the paste replaces it.
    t.send_raw(b"\x01");
    paste(&mut t, &lab.editable[0].solution);
    t.wait_for("ReadReports");
    // Tab 2, the bucket policy, the same way.
    t.send("\t");
    t.send_raw(b"\x01");
    paste(&mut t, &lab.editable[1].solution);
    t.wait_for("1 ALLOW ✓ ● met");
    t.wait_for("● solved");
    // Recorded at once, before leaving.
    let p = progress(dir.path());
    assert!(p["labs"]["worked-example"]["solved_at"].is_u64(), "{p}");
    // Ctrl-Q quits from the editor.
    t.send_raw(b"\x11");
    assert_eq!(t.wait_exit(), 0);
    assert!(!t.alternate_screen());
    assert!(
        !t.parser.lock().is_ok_and(|p| p.screen().bracketed_paste()),
        "bracketed paste turned off on quit"
    );

    // Start again: the lab says solved and the solution is in the editor.
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("solved ✓");
    t.send(&to_lab_1);
    t.wait_for("Lab 1 ·");
    t.wait_for("ReadReports");
    t.wait_for("1 ALLOW ✓ ● met");
    t.send_raw(b"\x11");
    assert_eq!(t.wait_exit(), 0);
    let p = progress(dir.path());
    let saved = p["labs"]["worked-example"]["policies"]
        ["identity:arn:aws:iam::444455556666:role/report-reader#1"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(saved, lab.editable[0].solution);
}

/// The keys that answer `item` right in the full-screen quiz.
fn right_keys(item: &keyshake::core::quiz::Item) -> String {
    use keyshake::core::content::QuestionKind;
    use keyshake::core::world::Verdict;
    let letter = |i: usize| char::from(b'a' + u8::try_from(i).unwrap_or(25));
    match (&item.question.policy, item.question.kind) {
        (Some(p), QuestionKind::Policy) => match p.verdict {
            Verdict::Allow => "a".into(),
            Verdict::Deny if item.question.ask_reason => {
                let i = keyshake::core::quiz::labels::DENY_REASONS
                    .iter()
                    .position(|r| *r == p.reason)
                    .unwrap_or(0);
                format!("b{}", letter(i))
            }
            Verdict::Deny => "b".into(),
        },
        _ => item.right_shown().into_iter().map(letter).collect(),
    }
}

#[test]
fn a_seeded_exam_with_a_flag_revisited_is_submitted_and_scored() {
    use keyshake::core::quiz::{self, Mode, QuizProgress, Settings};
    // The same exam the binary builds from seed 7 (the order does not
    // depend on the clock), so the test knows the right answers.
    let pack = crate::builtin_pack();
    let mut settings = Settings::new(Mode::Exam);
    settings.count = Some(5);
    let exam = quiz::build_seeded(&pack, &QuizProgress::default(), &settings, 0, 7)
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = temp();
    let mut t = Tui::start_args(
        dir.path(),
        &[],
        &["quiz", "--mode", "exam", "--count", "5", "--seed", "7"],
    );
    t.wait_for("Seed 7");
    t.send("s");
    t.wait_for("Question 1 of 5");
    // The timer starts at 30:00; on a loaded machine it may already have
    // ticked by the time the screen is read.
    let first = t.wait_for(" left");
    assert!(
        first.contains("30:00 left") || first.contains(" 29:"),
        "the exam starts with a 30-minute timer:\n{first}"
    );
    for (i, item) in exam.items().iter().enumerate() {
        t.wait_for(&format!("Question {} of 5", i + 1));
        t.send(&right_keys(item));
        if i == 1 {
            t.send("f");
            t.wait_for("⚑ flagged");
        }
        t.send("n");
    }
    // Past the last question the review grid shows.
    let grid = t.wait_for("Review grid");
    assert!(grid.contains("Answered: 1-5"), "{grid}");
    assert!(grid.contains("Flagged: 2"), "{grid}");
    // Back to question 2 through the grid: the answer is kept; unflag it.
    t.send("ppp\r");
    let q2 = t.wait_for("Question 2 of 5");
    assert!(q2.contains("⚑ flagged"), "{q2}");
    assert!(q2.contains("5 answered"), "{q2}");
    t.send("f");
    let start = Instant::now();
    while t.screen().contains("⚑ flagged") {
        assert!(start.elapsed() < WAIT, "still flagged:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    t.send("s");
    let report = t.wait_for("Score report");
    assert!(
        report.contains("Score: 5 of 5 right (100%). Pass mark 72%: PASS"),
        "{report}"
    );
    assert!(report.contains("By objective"), "{report}");
    let p = progress(dir.path());
    let exams = p["quiz"]["exams"].as_array().cloned().unwrap_or_default();
    assert_eq!(exams.len(), 1, "{p}");
    assert_eq!(exams[0]["percent"], 100);
    assert_eq!(exams[0]["seed"], 7);
    assert_eq!(exams[0]["passed"], true);
    let answers = p["quiz"]["answers"].as_array().cloned().unwrap_or_default();
    assert_eq!(answers.len(), 5);
    assert!(
        answers
            .iter()
            .all(|a| a["mode"] == "exam" && a["correct"] == true)
    );
    // The report does not tick: no CPU while it sits there.
    #[cfg(target_os = "linux")]
    assert_idle(&t, "on the report");
    t.send("q");
    // Home lists the labs first; G brings the quiz rows into view.
    t.wait_for("Policy labs");
    t.send("G");
    t.wait_for("Exam — best 100% of 1 taken");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

/// The sandbox exercise (tests/fixtures) copied into `dir`.
fn sandbox_file(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("exercise.toml");
    std::fs::write(&path, include_str!("../fixtures/sandbox-exercise.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    path
}

fn eval_exit(path: &Path) -> Option<i32> {
    std::process::Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .arg("eval")
        .arg(path)
        .output()
        .map(|o| o.status.code())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn sandbox_fix_save_quit_and_the_file_grades_as_passing() {
    let dir = temp();
    let file = sandbox_file(dir.path());
    assert_eq!(eval_exit(&file), Some(1), "the exercise starts failing");
    let shown = file.display().to_string();
    let mut t = Tui::start_args(dir.path(), &[], &["lab", &shown]);
    t.wait_for("Sandbox · Finish the handshake");
    t.wait_for("1/2 expectations met");
    // Tab 2 is the role's IAM policy: select all, paste the fix.
    t.send("\t");
    t.send_raw(b"\x01");
    paste(&mut t, include_str!("../fixtures/sandbox-iam-fix.json"));
    t.wait_for("2/2 expectations met");
    t.wait_for("unsaved");
    // Ctrl-S saves; Ctrl-Q then quits without a question.
    t.send_raw(b"\x13");
    t.wait_for("Saved 1 policy");
    t.send_raw(b"\x11");
    assert_eq!(t.wait_exit(), 0);
    assert!(!t.alternate_screen());
    let saved = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(saved.starts_with("# Classroom exercise 3"), "{saved}");
    assert_eq!(eval_exit(&file), Some(0), "every expectation holds now");
}

/// Ctrl-C on a selection copies it inside the editor and also offers it to
/// the terminal's clipboard as an OSC 52 sequence.
#[test]
fn copying_in_the_editor_reaches_the_terminal_clipboard() {
    let dir = temp();
    let file = sandbox_file(dir.path());
    let shown = file.display().to_string();
    let mut t = Tui::start_args(dir.path(), &[], &["lab", &shown]);
    t.wait_for("Sandbox ·");
    // Shift-Down twice selects the first two lines of the key policy.
    t.send_raw(b"\x1b[1;2B");
    t.send_raw(b"\x1b[1;2B");
    t.send_raw(b"\x03");
    t.wait_for("Copied 2 lines");
    // base64 of "{\n  \"Version\": \"2012-10-17\",\n".
    t.wait_for_bytes(b"\x1b]52;c;ewogICJWZXJzaW9uIjogIjIwMTItMTAtMTciLAo=\x07");
    t.send_raw(b"\x11");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn sandbox_killed_with_unsaved_edits_keeps_them_beside_the_file() {
    let dir = temp();
    let file = sandbox_file(dir.path());
    let shown = file.display().to_string();
    let mut t = Tui::start_args(dir.path(), &[], &["lab", &shown]);
    t.wait_for("Sandbox ·");
    t.send("\t");
    t.send_raw(b"\x01");
    paste(&mut t, include_str!("../fixtures/sandbox-iam-fix.json"));
    t.wait_for("2/2 expectations met");
    signal(t.pid(), "-TERM");
    assert_eq!(t.wait_exit(), 143);
    assert!(!t.alternate_screen());
    let s = t.screen();
    assert!(s.contains("exercise.unsaved.toml"), "{s}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap_or_default(),
        include_str!("../fixtures/sandbox-exercise.toml"),
        "the file itself is untouched"
    );
    assert_eq!(
        eval_exit(&dir.path().join("exercise.unsaved.toml")),
        Some(0)
    );
}

#[test]
fn lab_file_errors_print_file_line_and_column_without_a_terminal() {
    let dir = temp();
    let bad = dir.path().join("bad.toml");
    let text = include_str!("../fixtures/sandbox-exercise.toml").replacen(
        "\"Effect\": \"Allow\"",
        "\"Effect\": \"Allw\"",
        1,
    );
    std::fs::write(&bad, text).unwrap_or_else(|e| panic!("{e}"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .args(["lab", &bad.display().to_string()])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:18:"), "{err}");
    assert!(err.contains("Allw"), "{err}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .args([
            "lab",
            &dir.path().join("missing.toml").display().to_string(),
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}

#[test]
fn the_envelope_walkthrough_refuses_encrypt_denies_b_then_decrypts_once_the_lab_is_fixed() {
    let pack = crate::builtin_pack();
    let lab = pack
        .lab("envelope-cross-account")
        .cloned()
        .unwrap_or_else(|| panic!("no envelope lab"));
    // Home: Continue, the lessons, the labs, then the walkthrough.
    let to_walkthrough = format!("{}\r", "j".repeat(1 + pack.lessons.len() + pack.labs.len()));
    let dir = temp();
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Start the course");
    t.send(&to_walkthrough);
    t.wait_for("Choose what to encrypt");
    t.wait_for("Teaching keyring");
    // Enter starts with the generated report: Encrypt is refused.
    t.send("\r");
    t.wait_for("Step 1 of 6");
    let s = t.wait_for("4,096 bytes of plaintext");
    assert!(s.contains("REFUSED ✗"), "{s}");
    assert!(s.contains("10,240 bytes"), "{s}");
    // Five steps on: account B's role is denied.
    t.send("l");
    t.wait_for("ALLOW ✓ kms:GenerateDataKey");
    t.send("llll");
    t.wait_for("Step 6 of 6");
    t.wait_for("DENY ✗ kms:Decrypt");
    // Nothing runs while the learner reads.
    #[cfg(target_os = "linux")]
    assert_idle(&t, "while idle");
    // e opens the lab; paste both halves, leave, and KMS is asked again.
    t.send("e");
    t.wait_for("Lab 13 ·");
    for (i, e) in lab.editable.iter().enumerate() {
        if i > 0 {
            t.send("\t");
        }
        t.send_raw(b"\x01");
        paste(&mut t, &e.solution);
    }
    t.wait_for("● solved");
    t.send_raw(b"\x1b");
    std::thread::sleep(Duration::from_millis(100));
    t.send_raw(b"\x1b");
    t.wait_for("ALLOW ✓ kms:Decrypt");
    t.wait_for("yes ✓ every byte equals the sample");
    t.send("q");
    t.wait_for("Walkthrough: envelope encryption, hands on");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    assert!(!t.alternate_screen());
}

/// SIGTERM in the middle of an exam keeps the answers given so far, as
/// stopping with q does (and records no exam score).
#[test]
fn sigterm_mid_exam_keeps_the_answers_given() {
    use keyshake::core::content::QuestionKind;
    use keyshake::core::quiz::{Mode, QuizProgress, Response, Settings, build_seeded};
    let dir = temp();
    let pack = crate::builtin_pack();
    let settings = Settings {
        count: Some(3),
        ..Settings::new(Mode::Exam)
    };
    let session = build_seeded(&pack, &QuizProgress::default(), &settings, 0, 7)
        .unwrap_or_else(|e| panic!("{e}"));
    let item = &session.items()[0];
    let letter = |i: usize| char::from(b'a' + u8::try_from(i).unwrap_or(0)).to_string();
    let answer = match (item.question.kind, item.right_response()) {
        (QuestionKind::Multiple, Response::Choices(c)) => {
            c.iter().map(|i| letter(*i)).collect::<String>() + "\r"
        }
        (_, Response::Choices(c)) => letter(c.first().copied().unwrap_or(0)),
        (_, Response::Policy { .. }) => "a".to_string(),
    };
    let mut t = Tui::start_args(
        dir.path(),
        &[],
        &["quiz", "--mode", "exam", "--count", "3", "--seed", "7"],
    );
    t.wait_for("Start");
    t.send("s");
    t.wait_for("Question 1 of 3");
    t.send(&answer);
    t.wait_for("1 answered");
    signal(t.pid(), "-TERM");
    t.wait_exit();
    let p = progress(dir.path());
    let answers = p["quiz"]["answers"].as_array().cloned().unwrap_or_default();
    assert_eq!(answers.len(), 1, "{p}");
    assert_eq!(answers[0]["question"], item.question.id.as_str(), "{p}");
    assert_eq!(answers[0]["mode"], "exam", "{p}");
    assert!(
        p["quiz"]["exams"].is_null(),
        "no score without submitting: {p}"
    );
    // The instructor still sees the exam, as abandoned.
    let left = &p["quiz"]["abandoned"][0];
    assert_eq!(left["abandoned"], true, "{p}");
    assert_eq!(left["seed"], 7, "{p}");
    assert_eq!(left["questions"].as_array().map(Vec::len), Some(3), "{p}");
}

/// The lab's explaining sentence is a hint level: hidden until the
/// learner has asked for every hint of the lab and then one more, and that
/// request is saved as a hint used.
#[test]
fn a_labs_sentence_stays_hidden_until_asked_for_and_counts_as_a_hint() {
    use std::rc::Rc;
    let pack = crate::builtin_pack();
    let n = 2;
    let lab = pack.labs[n - 1].clone();
    let hints = lab.hints.len();
    let start: Vec<String> = lab.editable.iter().map(|e| e.start.clone()).collect();
    let bench = keyshake::core::lab::Workbench::new(Rc::new(lab.clone()), start, false);
    // The sentence's first words (a wrapped line holds at least these).
    let sentence = bench.sentence(0);
    let words: Vec<&str> = sentence.split(' ').take(3).collect();
    let opening = words.join(" ");
    let to_lab = format!("{}\r", "j".repeat(n + pack.lessons.len()));
    let dir = temp();
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Start the course");
    t.send(&to_lab);
    t.wait_for(&format!("Lab {n} ·"));
    // Esc: the requests and the handshake panel.
    t.send("\x1b");
    let s = t.wait_for("a hint level");
    assert!(
        !s.contains(&opening),
        "the sentence shows before any hint:\n{s}"
    );
    for i in 1..=hints {
        t.send("h");
        t.wait_for(&format!("Hint {i} of {hints} is shown"));
    }
    assert!(!t.screen().contains(&opening), "{}", t.screen());
    t.send("h");
    t.wait_for("the sentence explaining the selected request is shown");
    t.wait_for(&opening);
    let p = progress(dir.path());
    assert_eq!(
        p["labs"][lab.id.as_str()]["hints_used"].as_u64(),
        Some(u64::try_from(hints + 1).unwrap_or(0)),
        "{p}"
    );
    assert!(
        p["labs"][lab.id.as_str()]["solution_shown"].is_null(),
        "{p}"
    );
    t.send("q");
    t.wait_for("Start the course");
    t.send_raw(b"\x11");
    assert_eq!(t.wait_exit(), 0);
}

/// In a sandbox one key applies the engine's fix for the selected
/// request; saved, the file then passes `keyshake eval`.
#[test]
fn sandbox_applies_the_fix_with_one_key_and_the_saved_file_passes_eval() {
    let dir = temp();
    let file = sandbox_file(dir.path());
    assert_eq!(eval_exit(&file), Some(1), "the exercise starts failing");
    let shown = file.display().to_string();
    let mut t = Tui::start_args(dir.path(), &[], &["lab", &shown]);
    t.wait_for("1/2 expectations met");
    // F9 in the editor applies the fix for the selected (first) request.
    t.send_raw(b"\x1b[20~");
    t.wait_for("Fix applied");
    t.wait_for("2/2 expectations met");
    // F8 undoes it, F9 applies it again.
    t.send_raw(b"\x1b[19~");
    t.wait_for("1/2 expectations met");
    t.send_raw(b"\x1b[20~");
    t.wait_for("2/2 expectations met");
    t.send_raw(b"\x13");
    t.wait_for("Saved 1 policy");
    t.send_raw(b"\x11");
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(eval_exit(&file), Some(0), "every expectation holds now");
}

fn cursor_hidden(t: &Tui) -> bool {
    t.parser
        .lock()
        .map(|p| p.screen().hide_cursor())
        .unwrap_or(true)
}

/// Every signal that ends the tutor leaves the terminal as it found it:
/// main screen, no mouse capture, and a visible cursor; the exit status
/// is 128 + the signal's number.
#[test]
fn every_ending_signal_restores_the_terminal_and_the_cursor() {
    let cases = [
        ("-TERM", 15),
        ("-HUP", 1),
        ("-INT", 2),
        ("-QUIT", 3),
        ("-USR1", 10),
        ("-USR2", 12),
        ("-ALRM", 14),
        ("-PIPE", 13),
    ];
    for (sig, number) in cases {
        let dir = temp();
        let mut t = Tui::start(dir.path(), &[]);
        t.wait_for("Start the course");
        // The frame's last bytes hide the cursor; the text may show first.
        let start = Instant::now();
        while !(cursor_hidden(&t) && t.alternate_screen() && t.mouse_captured()) {
            assert!(
                start.elapsed() < WAIT,
                "{sig}: the tutor's modes never came up"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        signal(t.pid(), sig);
        assert_eq!(t.wait_exit(), 128 + number, "{sig}");
        assert!(
            !t.alternate_screen(),
            "{sig}: still on the alternate screen"
        );
        assert!(!t.mouse_captured(), "{sig}: mouse still captured");
        assert!(!cursor_hidden(&t), "{sig}: cursor still hidden");
    }
}

/// SIGTERM in a lesson keeps the place, and the cursor comes back too.
#[test]
fn sighup_in_a_lesson_saves_the_place_and_shows_the_cursor() {
    let dir = temp();
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Start the course");
    t.send("\r");
    t.wait_for("Section 1 of");
    signal(t.pid(), "-HUP");
    assert_eq!(t.wait_exit(), 129);
    assert!(!cursor_hidden(&t));
    assert_eq!(progress(dir.path())["last"]["lesson"], "welcome");
}

/// The state letter of a process (`T`: stopped), from /proc.
#[cfg(target_os = "linux")]
fn state(pid: u32) -> char {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit_once(')').map(|(_, r)| r.trim_start().to_string()))
        .and_then(|r| r.chars().next())
        .unwrap_or('?')
}

/// Ctrl-Z's signal hands the terminal back in its normal state, and
/// SIGCONT takes it again and redraws the whole screen.
#[test]
#[cfg(target_os = "linux")]
fn sigtstp_suspends_cleanly_and_sigcont_redraws() {
    let dir = temp();
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Start the course");
    signal(t.pid(), "-TSTP");
    let start = Instant::now();
    while state(t.pid()) != 'T' {
        assert!(start.elapsed() < WAIT, "never stopped");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    assert!(!t.alternate_screen(), "suspended on the alternate screen");
    assert!(!t.mouse_captured(), "suspended with mouse capture");
    assert!(!cursor_hidden(&t), "suspended with a hidden cursor");
    // The shell writes over the main screen meanwhile.
    if let Ok(mut p) = t.parser.lock() {
        p.process(b"\x1b[2J\x1b[Hshell prompt$ ");
    }
    signal(t.pid(), "-CONT");
    t.wait_for("Start the course");
    let start = Instant::now();
    while !(t.alternate_screen() && t.mouse_captured() && cursor_hidden(&t)) {
        assert!(
            start.elapsed() < WAIT,
            "the tutor's modes did not come back"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Raw mode is back: one key is read without Enter.
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

/// Processes whose command line holds `needle`.
#[cfg(target_os = "linux")]
fn processes_with(needle: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(needle))
        })
        .collect()
}

/// Started under `setsid -w` (as `su -c` does), the tutor gets no SIGHUP
/// when its window closes: the hang-up on its terminal ends it, saving
/// the lesson's place, instead of a spin at 100 % CPU.
#[test]
#[cfg(target_os = "linux")]
fn terminal_loss_without_sighup_saves_and_exits() {
    let dir = temp();
    let data = dir.path().join("data-for-setsid");
    let shown = data.display().to_string();
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap_or_else(|e| panic!("openpty: {e}"));
    let mut cmd = CommandBuilder::new("setsid");
    cmd.args(["-w", env!("CARGO_BIN_EXE_keyshake"), "--data-dir", &shown]);
    cmd.env("TERM", "xterm-256color");
    let mut child = pair
        .slave
        .spawn_command(cmd)
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    drop(pair.slave);
    let mut reader = pair
        .master
        .try_clone_reader()
        .unwrap_or_else(|e| panic!("reader: {e}"));
    let mut writer = pair
        .master
        .take_writer()
        .unwrap_or_else(|e| panic!("writer: {e}"));
    let (rows, cols) = rows_cols();
    let seen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
    let sink = Arc::clone(&seen);
    // The reader holds a copy of the master: it lets go of it when told
    // (after the next output), so that the terminal can really close.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    let reading = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || stopping.load(std::sync::atomic::Ordering::SeqCst) {
                break;
            }
            if let Ok(mut p) = sink.lock() {
                p.process(&buf[..n]);
            }
        }
    });
    let screen = || {
        seen.lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    };
    let wait_for = |needle: &str| {
        let start = Instant::now();
        while !screen().contains(needle) {
            assert!(start.elapsed() < WAIT, "no {needle:?}:\n{}", screen());
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for("Start the course");
    let _ = writer.write_all(b"\r");
    let _ = writer.flush();
    wait_for("Section 1 of");
    let tutors = processes_with(&shown);
    assert!(!tutors.is_empty(), "the tutor is not running");
    // setsid's own process has the pty as its controlling terminal and
    // may end on SIGHUP; the tutor's session has no controlling terminal.
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let _ = writer.write_all(b"j");
    let _ = writer.flush();
    let _ = reading.join();
    drop(writer);
    drop(pair.master);
    let start = Instant::now();
    while !processes_with(&shown).is_empty() {
        let spinning: Vec<(u32, char)> = tutors.iter().map(|p| (*p, state(*p))).collect();
        assert!(
            start.elapsed() < WAIT,
            "the tutor outlived its terminal: {spinning:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.wait();
    assert_eq!(progress(&data)["last"]["lesson"], "welcome");
}

/// A lab's edit is on disk a second after the last key, so a SIGKILL
/// (OOM, power loss) right after loses nothing typed before that second.
#[test]
fn lab_edits_survive_sigkill_after_a_second_idle() {
    let pack = crate::builtin_pack();
    let lab = &pack.labs[0];
    let to_lab_1 = format!("{}\r", "j".repeat(1 + pack.lessons.len()));
    let dir = temp();
    let mut t = Tui::start(dir.path(), &[]);
    t.wait_for("Start the course");
    t.send(&to_lab_1);
    t.wait_for("Lab 1 ·");
    t.send_raw(b"\x01");
    paste(&mut t, "{ \"AUTOSAVED-BEFORE-KILL\": 1 }");
    t.wait_for("AUTOSAVED-BEFORE-KILL");
    std::thread::sleep(Duration::from_millis(1600));
    signal(t.pid(), "-KILL");
    t.wait_exit();
    let p = progress(dir.path());
    let work = p["labs"][lab.id.as_str()]["policies"].to_string();
    assert!(work.contains("AUTOSAVED-BEFORE-KILL"), "{p}");
}

/// `keyshake drill` on a terminal opens the full-screen drill: a wrong
/// first answer is marked, saved under its misconception as a first
/// try, and that misconception's review card is due on a later day.
#[test]
fn a_drill_in_the_full_screen_tutor_is_saved_and_its_misconception_comes_back_later() {
    use keyshake::core::drill::{self, Answer, Options};
    use keyshake::core::world::Verdict;
    let dir = temp();
    let d = drill::generate(
        77,
        &Options {
            level: 1,
            ..Options::default()
        },
    )
    .expect("drill 77");
    let mut t = Tui::start_args(dir.path(), &[], &["drill", "--seed", "77", "--count", "1"]);
    t.wait_for("Question 1 of");
    // A wrong first answer: the other verdict (or another choice).
    let wrong = match &d.questions[0].answer {
        Answer::Verdict(Verdict::Allow, _) => "b1".to_string(),
        Answer::Verdict(..) => "a".to_string(),
        Answer::Choice(i) => {
            char::from(b'a' + u8::try_from((*i + 1) % d.questions[0].choices.len()).unwrap_or(0))
                .to_string()
        }
    };
    t.send(&wrong);
    t.wait_for("Not quite.");
    // q leaves the drill (to the course map, where q quits).
    t.send("q");
    std::thread::sleep(Duration::from_millis(500));
    if t.screen().contains("Start the course") {
        t.send("q");
    }
    assert_eq!(t.wait_exit(), 0);
    let p = progress(dir.path());
    let id = format!("drill:{}", d.misconception.id);
    let answers = p["quiz"]["answers"].as_array().cloned().unwrap_or_default();
    let first = answers
        .iter()
        .find(|a| a["question"] == id.as_str())
        .unwrap_or_else(|| panic!("no answer for {id}: {p}"));
    assert_eq!(first["correct"], false, "{first}");
    assert_eq!(first["mode"], "drill", "{first}");
    // Its card is scheduled, for a later day than the answer's.
    let card = &p["quiz"]["schedule"][&id];
    assert!(!card.is_null(), "no review card for {id}: {p}");
    let answered_day = first["at"].as_u64().unwrap_or(0) / 86_400;
    let due = card["due_day"].as_u64().unwrap_or(0);
    assert!(
        due > answered_day,
        "due day {due} is not after {answered_day}: {card}"
    );
}
