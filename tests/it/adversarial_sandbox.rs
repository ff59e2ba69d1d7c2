//! The sandbox's dialogs on screen (findings 2, 3, 6): a save that meets a
//! change made on disk asks "reload, overwrite or save elsewhere?", a
//! read-only file offers to save elsewhere, a deleted file is created
//! again, and edits kept by an earlier session are offered back on open.

use std::path::{Path, PathBuf};

use keyshake::core::content::sandbox::{Baseline, unsaved_files};
use keyshake::core::content::{Lab, PolicyRef};
use keyshake::tui::app::App;
use keyshake::tui::screens::lab::LabScreen;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use crate::tui_common::{app, keys, screen_text};

const SCENARIO: &str = "tests/scenarios/action-wildcards.toml";
const MARK: &str = "Enable IAM User Permissions";

fn original() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SCENARIO);
    std::fs::read_to_string(path).expect("read the scenario")
}

fn open(dir: &Path, text: &str) -> (PathBuf, App) {
    let path = dir.join("s.toml");
    std::fs::write(&path, text).expect("write");
    let lab = Lab::sandbox("s.toml", text).unwrap_or_else(|d| panic!("{d:?}"));
    let mut a = app(120, 40);
    a.open_sandbox(lab, path.clone());
    (path, a)
}

fn key(a: &mut App, code: KeyCode, mods: KeyModifiers) {
    a.handle(Event::Key(KeyEvent::new(code, mods)));
}

fn ctrl_s(a: &mut App) {
    key(a, KeyCode::Char('s'), KeyModifiers::CONTROL);
}

/// The current tab's text in the editor now.
fn mine(a: &App) -> String {
    let lab = a.find::<LabScreen>().expect("the sandbox");
    lab.text(lab.tab())
}

/// The current tab's policy in the scenario file at `path`, as the
/// editor shows it.
fn on_disk(a: &App, path: &Path) -> String {
    let tab = a.find::<LabScreen>().expect("the sandbox").tab();
    on_disk_tab(a, path, tab)
}

fn on_disk_tab(a: &App, path: &Path, tab: usize) -> String {
    let refs: Vec<PolicyRef> = a
        .find::<LabScreen>()
        .expect("the sandbox")
        .workbench()
        .lab()
        .editable
        .iter()
        .map(|e| e.policy.clone())
        .collect();
    let b = Baseline::open(path, &refs).expect("the file reads");
    b.policy(&refs[tab]).unwrap_or_default().to_string()
}

/// The learner types a space into tab 1; a colleague changes the same
/// policy on disk meanwhile.
fn conflicted(dir: &Path) -> (PathBuf, App, String) {
    let (path, mut a) = open(dir, &original());
    keys(&mut a, "<tab> ");
    let theirs = original().replace(MARK, "OTHER-EDITOR-CHANGE");
    std::fs::write(&path, &theirs).expect("colleague saves");
    ctrl_s(&mut a);
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("changed on disk"), "{s}");
    for choice in ["reload", "overwrite", "save elsewhere", "keep editing"] {
        assert!(s.contains(choice), "no {choice:?} in the dialog:\n{s}");
    }
    assert_eq!(std::fs::read_to_string(&path).expect("read"), theirs);
    (path, a, theirs)
}

#[test]
fn a_conflict_overwritten_on_request_writes_my_policy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, mut a, _) = conflicted(dir.path());
    keys(&mut a, "o");
    assert_eq!(on_disk(&a, &path), mine(&a));
    assert!(!screen_text(&a, 120, 40).contains("● unsaved"));
}

#[test]
fn a_conflict_saved_elsewhere_leaves_the_file_and_writes_a_new_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, mut a, theirs) = conflicted(dir.path());
    keys(&mut a, "s");
    let copy = dir.path().join("s.mine.toml");
    assert_eq!(on_disk(&a, &copy), mine(&a));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), theirs);
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("s.mine.toml"), "{s}");
}

#[test]
fn a_conflict_reloaded_takes_theirs_and_keeps_mine_in_a_recovery_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, mut a, _) = conflicted(dir.path());
    let my_text = mine(&a);
    let my_tab = a.find::<LabScreen>().expect("the sandbox").tab();
    keys(&mut a, "r");
    let first = a.find::<LabScreen>().expect("the sandbox").text(0);
    assert!(first.contains("OTHER-EDITOR-CHANGE"), "{first}");
    assert!(!screen_text(&a, 120, 40).contains("● unsaved"));
    let kept = unsaved_files(&path);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(on_disk_tab(&a, &kept[0], my_tab), my_text);
}

#[test]
fn a_conflict_dismissed_writes_nothing_and_keeps_the_edit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, mut a, theirs) = conflicted(dir.path());
    keys(&mut a, "<esc>");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), theirs);
    assert!(screen_text(&a, 120, 40).contains("● unsaved"));
}

#[test]
#[cfg(unix)]
fn a_read_only_file_says_so_and_saves_elsewhere() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, mut a) = open(dir.path(), &original());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    keys(&mut a, "<tab> ");
    ctrl_s(&mut a);
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("read-only"), "{s}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), original());
    keys(&mut a, "s");
    assert_eq!(on_disk(&a, &dir.path().join("s.mine.toml")), mine(&a));
}

#[test]
fn a_deleted_file_is_created_again_on_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, mut a) = open(dir.path(), &original());
    keys(&mut a, "<tab> ");
    std::fs::remove_file(&path).expect("rm");
    ctrl_s(&mut a);
    assert_eq!(on_disk(&a, &path), mine(&a));
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("created again"), "{s}");
}

#[test]
fn edits_kept_by_an_earlier_session_are_offered_back_on_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.toml");
    let kept_text = original().replace(MARK, "KEPT-FROM-LAST-TIME");
    std::fs::write(dir.path().join("s.unsaved.toml"), &kept_text).expect("write");
    let (_, mut a) = open(dir.path(), &original());
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("s.unsaved.toml"), "{s}");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    let first = a.find::<LabScreen>().expect("the sandbox").text(0);
    assert!(first.contains("KEPT-FROM-LAST-TIME"), "{first}");
    // Restored, not saved: the file is as it was until Ctrl-S.
    assert_eq!(std::fs::read_to_string(&path).expect("read"), original());
    assert!(screen_text(&a, 120, 40).contains("● unsaved"));

    // Declined: the file as it is, and the recovery file stays.
    let (_, mut b) = open(dir.path(), &original());
    key(&mut b, KeyCode::Esc, KeyModifiers::NONE);
    let first = b.find::<LabScreen>().expect("the sandbox").text(0);
    assert!(!first.contains("KEPT-FROM-LAST-TIME"));
    assert!(dir.path().join("s.unsaved.toml").exists());
}
