//! Text from files a student controls reaches the instructor's terminal
//! inert: diagnostics quoting a scenario's values, and `progress export`
//! of a `progress.json` with escape sequences in its objective names.

use std::process::{Command, Output};

const RAW: [char; 5] = ['\u{1b}', '\u{7}', '\u{9b}', '\u{9d}', '\u{202e}'];

fn keyshake(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("runs")
}

fn assert_inert(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(!text.contains(RAW), "{what} prints raw controls: {text:?}");
}

#[test]
fn diagnostics_quoting_a_scenario_show_escapes_as_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("escapes.toml");
    std::fs::write(
        &file,
        r#"[[buckets]]
name = "bucket-one"
account = "\u001b]52;c;cHduZWQ=\u0007\u001b[2J\u009b1m\u202e"
region = "us-east-1"
[[requests]]
principal = "arn:aws:iam::111122223333:role/x"
action = "s3:GetObject"
resource = "arn:aws:s3:::bucket-one/k"
"#,
    )
    .expect("write");
    let path = file.to_string_lossy().into_owned();
    for args in [
        vec!["lab", path.as_str()],
        vec!["eval", path.as_str()],
        vec!["eval", "--json", path.as_str()],
    ] {
        let out = keyshake(dir.path(), &args);
        assert!(!out.status.success(), "{args:?}");
        assert_inert(&format!("{args:?} stderr"), &out.stderr);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("^[]52;c;cHduZWQ=^G^[[2J<U+009B>1m<U+202E>"),
            "{err}"
        );
    }
}

#[test]
fn progress_export_neutralises_student_text_and_defuses_formulas() {
    let dir = tempfile::tempdir().expect("temp dir");
    let progress = r#"{"version":1,"quiz":{"exams":[{"started_at":1,"at":2,"questions":[],"score":{"right":1,"total":1},"percent":100,"pass_mark":72,"passed":true,"objectives":{"\u001b]52;c;cHduZWQ=\u0007\u001b[2J\u202e":{"right":1,"total":1},"\t=cmd|' /C calc'!A0":{"right":0,"total":1}}}]}}"#;
    std::fs::write(dir.path().join("progress.json"), progress).expect("write");
    for format in ["csv", "markdown", "json"] {
        let out = keyshake(dir.path(), &["progress", "export", "--format", format]);
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if format != "json" {
            assert_inert(format, &out.stdout);
        }
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        if format == "csv" {
            let line = text
                .lines()
                .find(|l| l.contains("calc"))
                .expect("the objective row");
            assert!(line.contains(",'\t=cmd|' /C calc'!A0,"), "{line}");
        }
    }
}
