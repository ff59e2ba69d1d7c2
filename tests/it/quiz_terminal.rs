//! `keyshake quiz` on a real terminal (a pseudo-terminal): without
//! `--plain` it opens the full-screen quiz at its setup; with
//! `--plain` it runs, wrapping text to the terminal's width.

#![cfg(unix)]

use std::io::{Read, Write};
use std::sync::mpsc::channel;
use std::time::Duration;

use portable_pty::{CommandBuilder, NativePtySystem, PtySize, PtySystem};

fn must<T, E: std::fmt::Debug>(r: Result<T, E>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{e:?}"),
    }
}

/// Runs keyshake in an 80×24 terminal, typing `input`; returns the screen
/// text and the exit code.
fn on_terminal(args: &[&str], input: &str) -> (String, u32) {
    let data = must(tempfile::tempdir());
    let pair = must(NativePtySystem::default().openpty(PtySize {
        rows: 24,
        cols: 80,
        pixel_width: 0,
        pixel_height: 0,
    }));
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_keyshake"));
    cmd.args(args);
    cmd.env("KEYSHAKE_DATA_DIR", data.path());
    cmd.env("TERM", "xterm-256color");
    let mut child = must(pair.slave.spawn_command(cmd));
    drop(pair.slave);
    let mut reader = must(pair.master.try_clone_reader());
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        // On Linux the read fails with EIO once the child is gone.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
        }
        let _ = tx.send(all);
    });
    let mut writer = must(pair.master.take_writer());
    must(writer.write_all(input.as_bytes()));
    must(writer.flush());
    let status = must(child.wait());
    drop(writer);
    drop(pair.master);
    let out = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_default();
    (
        String::from_utf8_lossy(&out).replace("\r\n", "\n"),
        status.exit_code(),
    )
}

#[test]
fn without_plain_on_a_terminal_it_opens_the_full_screen_quiz_setup() {
    // q leaves the setup for the course map, and q there quits.
    let (out, code) = on_terminal(&["quiz", "--mode", "exam", "--seed", "7"], "qq");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("keyshake quiz"), "{out}");
    // The exam's settings: mode, and the default pass mark (the screen
    // is drawn word by word, so words are checked one at a time).
    assert!(out.contains("Exam ▶"), "{out}");
    assert!(out.contains("72%"), "{out}");
    assert!(out.contains("Seed"), "{out}");
}

#[test]
fn plain_mode_on_a_terminal_wraps_to_its_width_and_stops_on_q() {
    let (out, code) = on_terminal(&["quiz", "--plain", "--seed", "7", "--count", "2"], "q\n");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Question 1 of 2"), "{out}");
    assert!(
        out.contains("Stopped after 0 of 2 questions: 0 right."),
        "{out}"
    );
    let widest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest <= 80, "a line of {widest} columns:\n{out}");
}
