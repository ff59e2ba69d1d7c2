//! Running the real binary from a test: one data folder, arguments, and
//! what is typed on stdin; the environment a learner's shell might set
//! (`KEYSHAKE_CONTENT`, `KEYSHAKE_PROFILE`) is cleared so that it cannot
//! change what a test sees.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `keyshake ARGS` on data folder `data` with `stdin` typed in.
pub fn run(data: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .args(args)
        .env("KEYSHAKE_DATA_DIR", data)
        .env_remove("KEYSHAKE_CONTENT")
        .env_remove("KEYSHAKE_PROFILE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run keyshake: {e}"));
    if let Some(mut input) = child.stdin.take() {
        // A command that ends before reading everything closes the pipe.
        let _ = input.write_all(stdin.as_bytes());
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("wait for keyshake: {e}"))
}

/// [`run`], as (stdout, stderr, exit status; -1 when killed by a signal).
pub fn run_text(data: &Path, args: &[&str], stdin: &str) -> (String, String, i32) {
    let out = run(data, args, stdin);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}
