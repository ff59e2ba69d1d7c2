//! The adversarial audit's reproductions, each asserting the fixed
//! behaviour: special files are refused by name without blocking, in
//! every command that reads a file (findings 10, 11).

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Longest a refusal may take; a hang is killed after it.
const LIMIT: Duration = Duration::from_secs(10);

/// Runs keyshake with `args` and a temporary data folder; panics if it
/// has not ended within [`LIMIT`] (a hang), after killing it.
fn run(data: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("KEYSHAKE_CONTENT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let start = Instant::now();
    while child.try_wait().expect("waits").is_none() {
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("keyshake {args:?} still running after {LIMIT:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn fifo(dir: &Path, name: &str) -> Option<PathBuf> {
    let path = dir.join(name);
    let made = Command::new("mkfifo").arg(&path).status().ok()?;
    made.success().then_some(path)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Finding 10: `pack new`, then a FIFO among the lessons: `pack check`
/// reports it by name and ends, as does `--content` with any command.
#[test]
fn finding_10_a_fifo_in_a_pack_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = dir.path().join("p");
    let pack_s = pack.to_string_lossy().into_owned();
    let made = run(dir.path(), &["pack", "new", &pack_s]);
    assert!(made.status.success(), "{}", stderr(&made));
    let Some(_) = fifo(&pack.join("lessons"), "02-x.toml") else {
        return; // no mkfifo here
    };
    let checked = run(dir.path(), &["pack", "check", &pack_s]);
    assert!(!checked.status.success(), "{}", stderr(&checked));
    let all = format!(
        "{}{}",
        stderr(&checked),
        String::from_utf8_lossy(&checked.stdout)
    );
    assert!(all.contains("02-x.toml") && all.contains("FIFO"), "{all}");
    let quiz = run(dir.path(), &["--content", &pack_s, "quiz", "--plain"]);
    assert!(!quiz.status.success(), "{}", stderr(&quiz));
    assert!(stderr(&quiz).contains("FIFO"), "{}", stderr(&quiz));
}

/// Finding 11: the commands that take a file refuse a FIFO and a device
/// by name, at once, instead of blocking or reading without end.
#[test]
fn finding_11_eval_lint_and_lab_refuse_fifos_and_devices() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut specials = vec!["/dev/zero".to_string(), "/dev/null".to_string()];
    if let Some(p) = fifo(dir.path(), "pipe.toml") {
        specials.push(p.to_string_lossy().into_owned());
    }
    for special in &specials {
        for cmd in [
            vec!["eval", special.as_str()],
            vec!["eval", "--json", special.as_str()],
            vec!["lint", special.as_str()],
            vec!["lab", special.as_str()],
        ] {
            let out = run(dir.path(), &cmd);
            assert!(!out.status.success(), "{cmd:?} succeeded");
            let err = stderr(&out);
            assert!(
                err.contains(special.as_str()) && (err.contains("device") || err.contains("FIFO")),
                "{cmd:?}: {err}"
            );
        }
    }
}

/// Finding 11, the walkthrough's "a file of yours": a FIFO, a terminal,
/// standard input and /dev/zero are refused by name, without blocking.
#[test]
fn finding_11_the_walkthrough_refuses_special_files_without_blocking() {
    use keyshake::core::kms::walkthrough::read_sample;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut specials = vec!["/dev/zero".to_string(), "/dev/tty".to_string()];
    specials.push("/dev/stdin".to_string());
    if let Some(p) = fifo(dir.path(), "pipe") {
        specials.push(p.to_string_lossy().into_owned());
    }
    let start = Instant::now();
    for special in &specials {
        let Err(e) = read_sample(special) else {
            panic!("{special} was read as a sample");
        };
        // /dev/tty without a controlling terminal: no such device, said.
        assert!(e.starts_with(special.as_str()), "{e}");
    }
    assert!(start.elapsed() < LIMIT);
    let Err(e) = read_sample("/dev/zero") else {
        panic!("read")
    };
    assert!(e.contains("character device"), "{e}");
    let real = dir.path().join("plain.txt");
    std::fs::write(&real, "hello").expect("write");
    let (name, data) = read_sample(&real.to_string_lossy()).expect("a regular file reads");
    assert_eq!(
        (name.as_str(), data.as_slice()),
        ("plain.txt", &b"hello"[..])
    );
}

/// A FIFO where progress.json should be never hangs a command that shows
/// progress: it is moved aside like any unreadable file.
#[test]
fn a_fifo_as_progress_json_does_not_hang() {
    let dir = tempfile::tempdir().expect("temp dir");
    if fifo(dir.path(), "progress.json").is_none() {
        return;
    }
    let out = run(dir.path(), &["progress"]);
    let err = stderr(&out);
    assert!(err.contains("FIFO"), "{err}");
}

/// Finding 17: a course lab's edits are saved after a second without keys
/// (an idle deadline, not a ticker), so a SIGKILL loses at most that
/// second; nothing is due before an edit or after the save.
#[test]
fn finding_17_lab_edits_are_autosaved_after_a_second_idle() {
    use crate::tui_common::{SharedStore, app_with, keys, pack};
    let store = SharedStore::default();
    let mut app = app_with(120, 40, false, Box::new(store.clone()));
    let lab = pack().labs[0].id.clone();
    keys(&mut app, &format!("<sel:lab:{lab}><ret>"));
    assert_eq!(app.deadline(), None, "an untouched lab needs no tick");
    app.handle(crossterm::event::Event::Paste("AUTOSAVED".into()));
    let due = app.deadline().expect("an edit sets the idle deadline");
    let wait = due.saturating_duration_since(Instant::now());
    assert!(wait <= Duration::from_secs(1), "{wait:?}");
    let work = |s: &SharedStore| {
        s.0.borrow()
            .progress
            .labs
            .get(&lab)
            .map(|l| l.policies.clone())
            .unwrap_or_default()
    };
    // Ticking early saves nothing.
    app.tick();
    assert!(work(&store).is_empty(), "saved before the second passed");
    std::thread::sleep(wait + Duration::from_millis(20));
    app.tick();
    let saved = work(&store);
    assert!(
        saved.values().any(|t| t.contains("AUTOSAVED")),
        "the edit was not autosaved: {saved:?}"
    );
    assert_eq!(app.deadline(), None, "saved: nothing more is due");
}

/// Finding 18: `hints_used` at u32::MAX in progress.json and a huge
/// `--minutes` stepped up saturate instead of wrapping (or panicking in a
/// debug build). Finding 19: an absurd exam percentage is never shown
/// above 100.
#[test]
fn finding_18_19_absurd_counts_saturate_and_are_shown_within_range() {
    use keyshake::core::progress::Progress;
    let mut p = Progress::default();
    let lab = crate::builtin_pack().labs[0].id.clone();
    p.labs.entry(lab.clone()).or_default().hints_used = u32::MAX;
    p.reveal_hint(&lab, u32::MAX, 1);
    assert_eq!(p.labs[&lab].hints_used, u32::MAX);

    let dir = tempfile::tempdir().expect("temp dir");
    let exam = r#"{"version":1,"quiz":{"exams":[{"started_at":1,"at":2,"questions":[],"score":{"right":1,"total":1},"percent":4294967295,"pass_mark":72,"passed":true,"objectives":{}}]}}"#;
    std::fs::write(dir.path().join("progress.json"), exam).expect("write");
    let out = run(dir.path(), &["progress"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(!shown.contains("4294967295"), "{shown}");
    // The impossible exam is dropped by name, not shown, and the file is
    // copied aside first.
    let warned = String::from_utf8_lossy(&out.stderr);
    assert!(warned.contains("quiz.exams[0]"), "{warned}");
    assert!(
        shown.contains("Exams: none") || !shown.contains("best"),
        "{shown}"
    );
}

/// Finding 9 (d): keys queued behind a slow evaluation are all read (the
/// re-check runs once for the burst, not once per key), and an action
/// queued right after an edit (Ctrl-S) sees the edit: nothing is saved
/// stale, and the verdicts after the burst are those of its last text.
#[test]
fn finding_9_a_burst_of_keys_is_checked_once_and_nothing_is_stale() {
    use crate::tui_common::{SharedStore, app_with, keys, pack};
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use keyshake::tui::screens::lab::LabScreen;
    let store = SharedStore::default();
    let mut app = app_with(120, 40, false, Box::new(store.clone()));
    let lab = pack().labs[0].clone();
    keys(&mut app, &format!("<sel:lab:{}><ret>", lab.id));
    let ctrl = |c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    // Tab 1 replaced by its solution, then a broken edit, then fixed
    // again, all queued; then Ctrl-S, queued too.
    app.handle_queued(ctrl('a'));
    app.handle_queued(Event::Paste(lab.editable[0].solution.clone()));
    app.handle_queued(Event::Key(KeyEvent::new(
        KeyCode::Char('x'),
        KeyModifiers::NONE,
    )));
    app.handle_queued(Event::Key(KeyEvent::new(
        KeyCode::Backspace,
        KeyModifiers::NONE,
    )));
    app.handle_queued(ctrl('s'));
    app.settle();
    let screen = app.find::<LabScreen>().expect("the lab");
    assert!(
        !screen.stale(),
        "the last text parses: {:?}",
        screen.errors()
    );
    let saved = store.0.borrow().progress.labs[&lab.id].policies.clone();
    let text = screen.text(0);
    assert!(
        saved.values().any(|t| *t == text),
        "Ctrl-S saved a stale text: {saved:?}"
    );
    // A queued Ctrl-Q among the keys is read and quits.
    app.handle_queued(Event::Key(KeyEvent::new(
        KeyCode::Char('y'),
        KeyModifiers::NONE,
    )));
    app.handle_queued(ctrl('q'));
    assert!(app.quit, "Ctrl-Q queued behind an edit was not read");
}
