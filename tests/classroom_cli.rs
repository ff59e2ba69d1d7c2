//! Classroom commands run as a student would: profiles keep progress apart.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn keyshake(data: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .args(args)
        .env("KEYSHAKE_DATA_DIR", data)
        .env_remove("KEYSHAKE_PROFILE")
        .env_remove("KEYSHAKE_CONTENT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run keyshake");
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    child.wait_with_output().expect("wait")
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
