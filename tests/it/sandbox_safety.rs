//! Saving a sandbox never loses someone's work (adversarial audit findings
//! 2, 3, 6, 15 and 16), through the core API the lab screen calls, on the
//! project's own `tests/scenarios/action-wildcards.toml`; and a temp file a
//! killed keyshake left never blocks a later save (finding 7).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use keyshake::core::content::sandbox::{
    Baseline, SandboxError, editor_text, keep_unsaved, unsaved_files,
};
use keyshake::core::content::{Lab, PolicyRef};

const SCENARIO: &str = "tests/scenarios/action-wildcards.toml";

fn original() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SCENARIO);
    std::fs::read_to_string(path).expect("read the scenario")
}

/// A copy of the scenario at `dir/name` (with `text`), opened as the lab
/// screen opens it: the lab, and the baseline.
fn open(dir: &Path, name: &str, text: &str) -> (PathBuf, Lab, Baseline) {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    let lab = Lab::sandbox(name, text).unwrap_or_else(|d| panic!("{d:?}"));
    let refs: Vec<PolicyRef> = lab.editable.iter().map(|e| e.policy.clone()).collect();
    let base = Baseline::open(&path, &refs).expect("baseline");
    (path, lab, base)
}

/// The learner's edit: one space more at the end of policy `i`.
fn edit(lab: &Lab, i: usize) -> Vec<(PolicyRef, String)> {
    let e = &lab.editable[i];
    vec![(e.policy.clone(), format!("{} ", editor_text(&e.start)))]
}

#[test]
fn finding_2_a_colleagues_edit_to_the_same_policy_is_not_overwritten() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, lab, mut base) = open(dir.path(), "a.toml", &original());
    let theirs = original().replace(
        "\"Sid\": \"Enable IAM User Permissions\"",
        "\"Sid\": \"OTHER-EDITOR-CHANGE\"",
    );
    assert_ne!(theirs, original(), "the scenario has that Sid");
    std::fs::write(&path, &theirs).expect("colleague saves");
    let e = base.save(&edit(&lab, 0)).expect_err("a conflict");
    let SandboxError::Conflict(c) = &e else {
        panic!("{e}")
    };
    assert_eq!(c.policies, vec![lab.editable[0].policy.clone()], "{e}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), theirs);
    // Saving elsewhere keeps both.
    let mine = dir.path().join("mine.toml");
    base.save_as(&mine, &edit(&lab, 1)).expect("save as");
    assert!(
        std::fs::read_to_string(&mine)
            .expect("read")
            .contains("OTHER-EDITOR-CHANGE")
    );
}

#[cfg(unix)]
#[test]
fn finding_3_mode_hard_links_symlinks_and_read_only_survive_a_save() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("real")).expect("mkdir");
    let (real, lab, _) = open(dir.path(), "real/s.toml", &original());
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let hard = dir.path().join("hard.toml");
    std::fs::hard_link(&real, &hard).expect("link");
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink("real/s.toml", &link).expect("symlink");
    let refs: Vec<PolicyRef> = lab.editable.iter().map(|e| e.policy.clone()).collect();
    let mut base = Baseline::open(&link, &refs).expect("open the link");
    base.save(&edit(&lab, 0)).expect("save");
    let meta = std::fs::metadata(&real).expect("meta");
    assert_eq!(meta.mode() & 0o777, 0o600, "a private file stays private");
    assert_eq!(meta.nlink(), 2, "the hard link is kept");
    assert_eq!(
        std::fs::read(&hard).expect("read"),
        std::fs::read(&real).expect("read")
    );
    assert_ne!(std::fs::read_to_string(&real).expect("read"), original());
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink()
    );

    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = std::fs::read(&real).expect("read");
    let e = base.save(&edit(&lab, 1)).expect_err("read-only");
    assert!(e.to_string().contains("read-only"), "{e}");
    assert_eq!(std::fs::read(&real).expect("read"), before);
}

#[test]
fn finding_6_a_deleted_file_is_saved_again_and_recovery_files_are_never_overwritten() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, lab, mut base) = open(dir.path(), "del.toml", &original());
    std::fs::remove_file(&path).expect("git checkout removed it");
    let first = base
        .keep_unsaved(&edit(&lab, 0))
        .expect("kept without the file");
    let saved = base.save(&edit(&lab, 0)).expect("saved");
    assert!(saved.recreated);
    assert!(Lab::sandbox("del.toml", &std::fs::read_to_string(&path).expect("read")).is_ok());
    // Killed twice: two recovery files, the first one intact.
    let first_text = std::fs::read_to_string(&first).expect("read");
    let second = keep_unsaved(&path, &edit(&lab, 1)).expect("kept");
    assert_ne!(first, second);
    assert_eq!(std::fs::read_to_string(&first).expect("read"), first_text);
    assert_eq!(unsaved_files(&path), vec![first, second]);
}

#[test]
fn finding_15_a_policy_with_a_json_error_is_not_saved_and_the_file_still_opens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, lab, mut base) = open(dir.path(), "inv.toml", &original());
    let bad = vec![(lab.editable[0].policy.clone(), "oops".to_string())];
    let e = base.save(&bad).expect_err("refused");
    let text = e.to_string();
    assert!(text.contains(&lab.editable[0].policy.to_string()), "{text}");
    assert!(text.contains("line 1, column 1"), "{text}");
    let now = std::fs::read_to_string(&path).expect("read");
    assert_eq!(now, original());
    assert!(Lab::sandbox("inv.toml", &now).is_ok());
}

#[test]
fn finding_16_a_crlf_scenario_looks_unedited_and_keeps_crlf_when_saved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let crlf = original().replace('\n', "\r\n");
    let (path, lab, mut base) = open(dir.path(), "c.toml", &crlf);
    for e in &lab.editable {
        // What the editor holds: its lines (without `\r`) joined with `\n`.
        let editor: Vec<&str> = e
            .start
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        assert!(
            !base.is_edited(&e.policy, &editor.join("\n")),
            "{}",
            e.policy
        );
    }
    let untouched: Vec<_> = lab
        .editable
        .iter()
        .map(|e| (e.policy.clone(), editor_text(&e.start)))
        .collect();
    let saved = base.save(&untouched).expect("save");
    assert!(saved.unchanged);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), crlf);
    base.save(&edit(&lab, 0)).expect("save an edit");
    let now = std::fs::read_to_string(&path).expect("read");
    assert_eq!(now.matches('\n').count(), now.matches("\r\n").count());
}

#[test]
fn finding_7_a_temp_file_left_by_a_killed_process_is_removed_by_the_next_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    // PID 4194305 is above Linux's PID limit, so never alive; the old
    // naming, which a PID-only scheme would have collided with.
    let stale = dir.path().join(".progress.json.4194305.0.tmp");
    std::fs::write(&stale, b"half").expect("write");
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["quiz", "--plain", "--count", "2", "--seed", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"a\nb\nq\n")
        .expect("answers");
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("cannot be saved"), "{err}");
    assert!(dir.path().join("progress.json").exists());
    if Path::new("/proc/self").exists() {
        assert!(!stale.exists(), "the stale temp file is cleaned up");
    }
}

/// The sandbox screen on a copy of the scenario with `text`.
fn screen(dir: &Path, text: &str) -> (PathBuf, keyshake::tui::app::App) {
    let path = dir.join("s.toml");
    std::fs::write(&path, text).expect("write");
    let lab = Lab::sandbox("s.toml", text).unwrap_or_else(|d| panic!("{d:?}"));
    let mut a = crate::tui_common::app(120, 40);
    a.open_sandbox(lab, path.clone());
    (path, a)
}

fn ctrl(a: &mut keyshake::tui::app::App, c: char) {
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    a.handle(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

#[test]
fn finding_16_on_screen_an_untouched_crlf_file_quits_without_asking() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_path, mut a) = screen(dir.path(), &original().replace('\n', "\r\n"));
    assert!(!crate::tui_common::screen_text(&a, 120, 40).contains("● unsaved"));
    ctrl(&mut a, 'q');
    assert!(a.quit, "nothing was edited: no save question");
}

#[test]
fn finding_2_on_screen_ctrl_s_over_a_colleagues_change_says_so_and_keeps_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, mut a) = screen(dir.path(), &original());
    crate::tui_common::keys(&mut a, "<tab> ");
    let theirs = original().replace("Enable IAM User Permissions", "OTHER-EDITOR-CHANGE");
    std::fs::write(&path, &theirs).expect("colleague saves");
    ctrl(&mut a, 's');
    let s = crate::tui_common::screen_text(&a, 120, 40);
    assert!(s.contains("changed on disk"), "{s}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), theirs);
    assert!(s.contains("● unsaved"), "the edit is still there: {s}");
}
