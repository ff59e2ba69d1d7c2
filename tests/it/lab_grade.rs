//! `keyshake lab grade`, run as an instructor would: on a student's honest
//! export, on tampered copies, and with `--json` for GitHub Classroom.

use std::path::Path;
use std::process::{Command, Output};

use keyshake::core::progress::{FileStore, ProgressStore};

use crate::builtin_pack;

fn keyshake(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .args(args)
        .env("KEYSHAKE_DATA_DIR", data)
        .env_remove("KEYSHAKE_PROFILE")
        .env_remove("KEYSHAKE_CONTENT")
        .output()
        .expect("run keyshake")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A student (profile `ana`) who saved the reference solution of the first
/// built-in lab and solved it, then exported it: (data dir, export path,
/// lab id, goal count).
fn solved_export() -> (tempfile::TempDir, std::path::PathBuf, String, usize) {
    let pack = builtin_pack();
    let lab = pack.labs.first().expect("a lab").clone();
    let dir = tempfile::tempdir().expect("temp dir");
    let profile = dir.path().join("profiles").join("ana");
    std::fs::create_dir_all(&profile).expect("profile dir");
    let work: Vec<(String, String)> = lab
        .solution()
        .into_iter()
        .map(|(r, t)| (r.to_string(), t))
        .collect();
    FileStore::new(&profile)
        .update(100, &mut |p| {
            p.save_lab_work(&lab.id, &work, 100);
            p.mark_lab_solved(&lab.id, 120);
        })
        .expect("save progress");
    let file = dir.path().join("ana.toml");
    let out = keyshake(
        dir.path(),
        &[
            "--profile",
            "ana",
            "lab",
            "export",
            &lab.id,
            "-o",
            file.to_str().expect("utf-8 path"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    (dir, file, lab.id.clone(), lab.goals.len())
}

#[test]
fn an_honest_solved_export_gets_every_point_and_exit_0() {
    let (dir, file, lab, goals) = solved_export();
    let exported = std::fs::read_to_string(&file).expect("export");
    // The header names the lab, profile, pack, status and an ISO 8601 time.
    for field in [
        format!("# keyshake-export: lab = \"{lab}\""),
        "# keyshake-export: profile = \"ana\"".to_string(),
        "# keyshake-export: status = \"solved\"".to_string(),
    ] {
        assert!(exported.contains(&field), "{field} missing:\n{exported}");
    }
    let at = exported
        .lines()
        .find_map(|l| l.strip_prefix("# keyshake-export: exported_at = \""))
        .expect("exported_at line");
    assert_eq!(at.len(), "2026-12-02T15:55:51Z\"".len(), "{at}");
    assert!(at.as_bytes()[10] == b'T' && at.ends_with("Z\""), "{at}");

    let out = keyshake(dir.path(), &["lab", "grade", file.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    let total = goals + 1;
    assert!(
        stdout.contains(&format!("{total} of {total} points, solved")),
        "{stdout}"
    );
    assert!(!stdout.contains("tampering"), "{stdout}");
    assert!(stdout.contains("profile ana"), "{stdout}");
}

#[test]
fn an_edited_expect_is_reported_as_tampering_and_changes_no_point() {
    let (dir, _solved, lab, _) = solved_export();
    // The starting state (not started) exported, then its goals flipped so
    // that `keyshake eval` would pass it.
    let start = dir.path().join("start.toml");
    let out = keyshake(
        dir.path(),
        &["lab", "export", &lab, "-o", start.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("is not started in this profile"),
        "{}",
        text(&out.stderr)
    );
    let honest = std::fs::read_to_string(&start).expect("export");
    let tampered_text = honest
        .replace("expect = \"allow\"", "expect = \"SWAP\"")
        .replace("expect = \"deny\"", "expect = \"allow\"")
        .replace("expect = \"SWAP\"", "expect = \"deny\"")
        .replace("status = \"not started\"", "status = \"solved\"");
    assert_ne!(honest, tampered_text);
    let tampered = dir.path().join("tampered.toml");
    std::fs::write(&tampered, &tampered_text).expect("write");

    let points = |o: &Output| {
        text(&o.stdout)
            .lines()
            .next()
            .and_then(|l| l.split(": ").nth(2))
            .map(str::to_string)
    };
    let before = keyshake(dir.path(), &["lab", "grade", start.to_str().unwrap()]);
    let after = keyshake(dir.path(), &["lab", "grade", tampered.to_str().unwrap()]);
    assert_eq!(before.status.code(), Some(1));
    assert_eq!(after.status.code(), Some(1), "tampering must not pass");
    assert_eq!(points(&before), points(&after));
    let report = text(&after.stdout);
    // Each edited line is named with its path and its line in the file.
    let first_expect = tampered_text
        .lines()
        .position(|l| l.starts_with("expect = "))
        .expect("an expect line")
        + 1;
    assert!(
        report.contains(&format!(":{first_expect}: requests[0].expect changed")),
        "{report}"
    );
    // The header is shown as written, and never trusted.
    assert!(report.contains("status solved"), "{report}");
    assert!(report.contains("not solved"), "{report}");
}

#[test]
fn a_changed_world_outside_the_editable_policies_is_ignored_and_reported() {
    let (dir, file, _, goals) = solved_export();
    let honest = std::fs::read_to_string(&file).expect("export");
    // Add a request and change an account id: neither counts.
    let edited = format!(
        "{honest}\n[[requests]]\nprincipal = \"arn:aws:iam::111122223333:root\"\naction = \"kms:Decrypt\"\nresource = \"*\"\nexpect = \"allow\"\n"
    );
    let path = dir.path().join("extra.toml");
    std::fs::write(&path, edited).expect("write");
    let out = keyshake(dir.path(), &["lab", "grade", path.to_str().unwrap()]);
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{report}");
    let total = goals + 1;
    assert!(
        report.contains(&format!("{total} of {total} points")),
        "{report}"
    );
    assert!(
        report.contains(&format!("requests[{goals}] added")),
        "{report}"
    );
}

#[test]
fn json_fits_the_classroom_autograding_reporter() {
    let (dir, file, _, goals) = solved_export();
    let out = keyshake(
        dir.path(),
        &["lab", "grade", "--json", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["status"], "pass");
    let tests = doc["tests"].as_array().expect("tests");
    assert_eq!(tests.len(), goals + 1);
    assert_eq!(doc["max_score"], goals + 1);
    for t in tests {
        for key in ["name", "status", "message"] {
            assert!(t[key].is_string(), "{key} in {t}");
        }
        assert_eq!(t["status"], "pass");
        assert_eq!(t["score"], 1);
        assert_eq!(t["max_score"], 1);
    }
    let scored: u64 = tests.iter().filter_map(|t| t["score"].as_u64()).sum();
    assert_eq!(Some(scored), doc["max_score"].as_u64());
}

#[test]
fn an_unreadable_file_exits_2_and_json_says_error() {
    let (dir, file, _, _) = solved_export();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "title = \"unclosed\n").expect("write");
    let out = keyshake(dir.path(), &["lab", "grade", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("bad.toml:1:"),
        "{}",
        text(&out.stderr)
    );
    let missing = dir.path().join("missing.toml");
    let out = keyshake(
        dir.path(),
        &[
            "lab",
            "grade",
            "--json",
            file.to_str().unwrap(),
            missing.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["status"], "error");
}

/// Every built-in lab: its reference solution, exported, is graded solved
/// with no tampering; flipping any goal's `expect` in that file changes no
/// point and is reported at that request.
#[test]
fn every_labs_solution_grades_solved_and_every_flipped_goal_is_tampering() {
    use keyshake::core::lab::grade;
    let pack = builtin_pack();
    for lab in &pack.labs {
        let text = lab.export_scenario(&lab.solution());
        let sub = lab
            .read_submission("solution.toml", &text)
            .unwrap_or_else(|d| panic!("{}: {d:?}", lab.id));
        assert!(sub.tampering.is_empty(), "{}: {:?}", lab.id, sub.tampering);
        let honest = grade(lab, sub);
        assert!(honest.solved(), "{}: {honest:?}", lab.id);
        let table: toml::Table = toml::from_str(&text).expect("TOML");
        let requests = table
            .get("requests")
            .and_then(toml::Value::as_array)
            .expect("requests");
        for i in 0..requests.len() {
            let mut flipped = requests.clone();
            let r = flipped[i].as_table_mut().expect("a request table");
            let now = r.get("expect").and_then(toml::Value::as_str).unwrap_or("");
            let other = if now == "allow" { "deny" } else { "allow" };
            r.insert("expect".into(), toml::Value::String(other.into()));
            let mut t = table.clone();
            t.insert("requests".into(), toml::Value::Array(flipped));
            let edited = toml::to_string(&t).expect("TOML");
            let sub = lab.read_submission("t.toml", &edited).expect("reads");
            let paths: Vec<&str> = sub.tampering.iter().map(|t| t.path.as_str()).collect();
            assert_eq!(paths, vec![format!("requests[{i}].expect")], "{}", lab.id);
            assert_eq!(
                grade(lab, sub).points(),
                honest.points(),
                "{} goal {i}",
                lab.id
            );
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever a student writes into a request of the solved export (its
    /// principal, action, resource or name), the grade is the honest one
    /// and the change is reported at that request.
    #[test]
    fn edits_outside_the_editable_policies_never_change_the_grade(
        lab_pick in 0usize..64,
        request_pick in 0usize..64,
        field in proptest::sample::select(vec!["principal", "action", "resource", "name"]),
        value in "[ -~]{0,24}",
    ) {
        use keyshake::core::lab::grade;
        let pack = builtin_pack();
        let lab = &pack.labs[lab_pick % pack.labs.len()];
        let text = lab.export_scenario(&lab.solution());
        let honest = grade(lab, lab.read_submission("s.toml", &text).expect("reads")).points();
        let mut table: toml::Table = toml::from_str(&text).expect("TOML");
        let Some(requests) = table.get_mut("requests").and_then(toml::Value::as_array_mut) else {
            return Ok(());
        };
        let i = request_pick % requests.len();
        let Some(r) = requests[i].as_table_mut() else { return Ok(()) };
        if r.get(field).and_then(toml::Value::as_str) == Some(value.as_str()) {
            return Ok(());
        }
        r.insert(field.to_string(), toml::Value::String(value.clone()));
        let edited = toml::to_string(&table).expect("TOML");
        let sub = lab.read_submission("t.toml", &edited).expect("reads");
        let expected_path = format!("requests[{i}].{field}");
        proptest::prop_assert!(
            sub.tampering.iter().any(|t| t.path == expected_path),
            "{:?}", sub.tampering
        );
        proptest::prop_assert_eq!(grade(lab, sub).points(), honest);
    }
}
