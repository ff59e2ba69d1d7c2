//! `keyshake eval` as a user runs it: the real binary, its output and its
//! exit codes (scenario-format.md "Exit codes").

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keyshake"));
    c.env_remove("NO_COLOR");
    c
}

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios")
        .join(name)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write temp scenario");
    p
}

const SCENARIO: &str = r#"
title = "tiny"
[[keys]]
arn = "arn:aws:kms:us-east-1:111122223333:key/k1"
policy = '''
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Enable IAM policies",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "kms:*",
      "Resource": "*"
    }
  ]
}
'''
[[principals]]
arn = "arn:aws:iam::444455556666:role/app"
policies = ['''{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}''']

[[requests]]
name = "B decrypts"
principal = "arn:aws:iam::444455556666:role/app"
action = "kms:Decrypt"
resource = "arn:aws:kms:us-east-1:111122223333:key/k1"
expect = "EXPECT"
"#;

#[test]
fn exit_0_when_expectations_hold_1_when_not_2_when_invalid() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = write(dir.path(), "good.toml", &SCENARIO.replace("EXPECT", "deny"));
    let bad_expect = write(
        dir.path(),
        "wrong.toml",
        &SCENARIO.replace("EXPECT", "allow"),
    );
    let invalid = write(
        dir.path(),
        "invalid.toml",
        &SCENARIO.replace("EXPECT", "deny").replace(
            "\"Effect\": \"Allow\", \"Action\"",
            "\"Effect\": \"allow\", \"Action\"",
        ),
    );

    let out = bin().arg("eval").arg(&good).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("DENY ✗"), "{text}");
    assert!(text.contains("key policy of arn:aws:kms:us-east-1:111122223333:key/k1 in account 111122223333 does not allow role app or account 444455556666"), "{text}");
    assert!(
        !text.contains("\x1b["),
        "no colour when stdout is not a terminal"
    );

    let out = bin().arg("eval").arg(&bad_expect).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAILED ✗"));

    let out = bin()
        .arg("eval")
        .arg(&good)
        .arg(&invalid)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid.toml:21:67: error: identity policy 1 of arn:aws:iam::444455556666:role/app: Effect must be \"Allow\" or \"Deny\", found \"allow\""),
        "{err}"
    );

    let out = bin()
        .arg("eval")
        .arg(dir.path().join("missing.toml"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the file"));
}

#[test]
fn json_output_has_the_contract_keys() {
    let out = bin()
        .args(["eval", "--json"])
        .arg(scenario("handshake-both-halves.toml"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let file = &v["files"][0];
    assert!(
        file["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("handshake-both-halves.toml"))
    );
    let results = file["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        for key in [
            "name",
            "principal",
            "action",
            "resource",
            "decision",
            "reason",
            "expected",
            "passed",
            "trace",
            "implied",
        ] {
            assert!(r.get(key).is_some(), "missing {key} in {r}");
        }
        assert!(matches!(r["decision"].as_str(), Some("allow" | "deny")));
        for t in r["trace"].as_array().expect("trace") {
            assert!(matches!(
                t["kind"].as_str(),
                Some("identity" | "boundary" | "scp" | "key_policy" | "bucket_policy")
            ));
            assert!(matches!(
                t["outcome"].as_str(),
                Some("allow" | "deny" | "no_match")
            ));
        }
    }
}

#[test]
fn help_and_version_work() {
    let out = bin().arg("--help").output().expect("runs");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("eval"));
    let out = bin().arg("--version").output().expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("keyshake "));
}

/// The document is written in parts (one per file, on its own core, at its
/// depth) and joined; it must be exactly serde_json's pretty layout of
/// itself, with a final newline, and list the files in the order given.
#[test]
fn json_output_is_one_pretty_document_in_the_order_of_the_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    // A file that cannot be read, in the middle, keeps its place.
    paths.insert(paths.len() / 2, dir.join("no-such-file.toml"));
    let out = bin()
        .args(["eval", "--json"])
        .args(&paths)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let pretty = serde_json::to_string_pretty(&v).expect("serialises");
    assert!(
        text == format!("{pretty}\n"),
        "the layout differs from serde_json's pretty printer"
    );
    let files: Vec<&str> = v["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["file"].as_str())
        .collect();
    let given: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(files, given);
    // The empty run is a document too.
    let none = keyshake::cli::eval::to_json(&[]);
    assert_eq!(none, "{\n  \"files\": []\n}\n");
}
