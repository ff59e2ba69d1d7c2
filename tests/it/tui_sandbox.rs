//! `keyshake lab FILE`: a scenario file in the lab editor with every
//! policy editable. Ctrl-S writes the policies into the file (and nothing
//! else of it), leaving with unsaved changes asks first, copy and paste
//! work across tabs, and requests without `expect` are shown unjudged.

use crate::tui_common;

use std::path::{Path, PathBuf};

use keyshake::core::content::Lab;
use keyshake::core::eval::evaluate;
use keyshake::core::world::{Verdict, load_str};
use keyshake::tui::app::App;
use keyshake::tui::keymap::ScreenId;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_common::{app, keys, screen_text, terminal};

/// A small scenario (tests/fixtures/sandbox-exercise.toml): account A's
/// key trusts account B, B's role has an IAM policy that does not mention
/// KMS yet, and three requests (one without `expect`). Its comments must
/// survive every save.
const SCENARIO: &str = include_str!("../fixtures/sandbox-exercise.toml");

/// The IAM policy that completes the handshake.
const IAM_FIX: &str = include_str!("../fixtures/sandbox-iam-fix.json");

/// The file in a fresh folder, and the app showing it as a sandbox. The
/// screen names it `exercise.toml` (as if typed in its folder), so the
/// snapshots do not depend on where the temporary folder is.
fn open(w: u16, h: u16) -> (tempfile::TempDir, PathBuf, App) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("exercise.toml");
    std::fs::write(&path, SCENARIO).unwrap_or_else(|e| panic!("{e}"));
    let lab = Lab::sandbox("exercise.toml", SCENARIO).unwrap_or_else(|d| panic!("{d:?}"));
    let mut a = app(w, h);
    a.open_sandbox(lab, path.clone());
    (dir, path, a)
}

fn ctrl(a: &mut App, c: char) {
    a.handle(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

fn shift(a: &mut App, code: KeyCode) {
    a.handle(Event::Key(KeyEvent::new(code, KeyModifiers::SHIFT)));
}

fn file(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"))
}

fn text(a: &App, tab: usize) -> String {
    a.find::<keyshake::tui::screens::lab::LabScreen>()
        .unwrap_or_else(|| panic!("no lab open"))
        .text(tab)
}

/// Replaces the text of the current tab (Ctrl-A, then a paste).
fn replace(a: &mut App, with: &str) {
    ctrl(a, 'a');
    a.handle(Event::Paste(with.to_string()));
}

#[test]
fn every_policy_of_the_file_gets_a_tab_and_requests_without_expect_are_not_judged() {
    let (_dir, _path, a) = open(120, 40);
    assert_eq!(a.screen(), ScreenId::LabEditor);
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("Sandbox · Finish the handshake"), "{s}");
    assert!(s.contains("1/2 expectations met"), "{s}");
    assert!(s.contains("[1 Key policy · alias/shared"), "{s}");
    assert!(s.contains("2 IAM policy · role/reader"), "{s}");
    assert!(s.contains("DENY ✗  must be allowed  ○ not met"), "{s}");
    assert!(s.contains("DENY ✗  must stay denied  ● met"), "{s}");
    // The DescribeKey request has no expect: its verdict, no judgement.
    assert!(s.contains("no expect set"), "{s}");
    assert!(s.contains("kms:DescribeKey on arn:aws:kms"), "{s}");
    assert!(s.contains("Ctrl-S saves to exercise.toml"), "{s}");
    assert!(!s.contains("hint"), "a sandbox has no hints:\n{s}");
}

#[test]
fn ctrl_s_writes_only_the_changed_policy_and_the_file_then_grades_as_expected() {
    let (_dir, path, mut a) = open(120, 40);
    keys(&mut a, "<tab>");
    replace(&mut a, IAM_FIX);
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("● unsaved"), "{s}");
    assert!(s.contains("● 2/2 expectations met"), "{s}");
    assert!(s.contains("1 policy changed since saved"), "{s}");
    assert_eq!(file(&path), SCENARIO, "nothing is written before Ctrl-S");
    ctrl(&mut a, 's');
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("Saved 1 policy to exercise.toml."), "{s}");
    assert!(!s.contains("● unsaved"), "{s}");
    let saved = file(&path);
    // The comments, the key policy and the requests are as they were.
    assert!(saved.starts_with("# Classroom exercise 3: finish the handshake.\n"));
    assert!(saved.contains("# The shared key, in account A.\n"));
    let before: Vec<&str> = SCENARIO.split("[[principals]]").collect();
    let after: Vec<&str> = saved.split("[[principals]]").collect();
    assert_eq!(before[0], after[0], "everything before the principal");
    assert!(after[1].contains(IAM_FIX));
    assert!(saved.ends_with(SCENARIO.split("[[requests]]").nth(3).unwrap_or("?")));
    // And the engine reads the new policy from it.
    let world = load_str("exercise.toml", &saved).unwrap_or_else(|d| panic!("{d:?}"));
    let verdicts: Vec<Verdict> = world
        .requests
        .iter()
        .map(|r| evaluate(&world, r).verdict)
        .collect();
    assert_eq!(verdicts[..2], [Verdict::Allow, Verdict::Deny]);
}

#[test]
fn quitting_with_unsaved_changes_asks_and_esc_stays_n_discards() {
    let (_dir, path, mut a) = open(120, 40);
    keys(&mut a, "<tab>");
    replace(&mut a, IAM_FIX);
    ctrl(&mut a, 'q');
    assert!(!a.quit);
    let s = screen_text(&a, 120, 40);
    assert!(
        s.contains(
            "Save before quitting? y = save, n = discard changes, Esc = stay (exercise.toml)"
        ),
        "{s}"
    );
    keys(&mut a, "<esc>");
    assert!(!a.quit);
    assert!(screen_text(&a, 120, 40).contains("Still here; nothing was saved or lost."));
    assert_eq!(
        text(&a, 1),
        IAM_FIX.trim_end_matches('\n').to_string() + "\n"
    );
    ctrl(&mut a, 'q');
    keys(&mut a, "n");
    assert!(a.quit);
    assert_eq!(file(&path), SCENARIO);
}

#[test]
fn answering_y_saves_then_leaves_and_a_saved_sandbox_leaves_without_asking() {
    let (_dir, path, mut a) = open(120, 40);
    keys(&mut a, "<tab>");
    replace(&mut a, IAM_FIX);
    // Esc to the requests, then q: the same question, then "leave".
    keys(&mut a, "<esc>q");
    assert!(!a.quit);
    assert!(screen_text(&a, 120, 40).contains("Save before leaving? y = save"));
    keys(&mut a, "y");
    assert!(a.quit, "the sandbox is the only screen: leaving it quits");
    assert!(file(&path).contains(IAM_FIX));

    let (_dir, _path, mut b) = open(120, 40);
    ctrl(&mut b, 'q');
    assert!(b.quit, "nothing changed: no question");
}

#[test]
fn undoing_back_to_the_saved_text_is_not_an_unsaved_change() {
    let (_dir, _path, mut a) = open(120, 40);
    keys(&mut a, "<tab>x");
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("● unsaved  1/2 expectations met (stale)"), "{s}");
    ctrl(&mut a, 'z');
    assert!(!screen_text(&a, 120, 40).contains("● unsaved"));
    ctrl(&mut a, 'c');
    assert!(!a.quit, "one Ctrl-C with nothing selected only asks");
    ctrl(&mut a, 'c');
    assert!(
        a.quit,
        "a second Ctrl-C with nothing selected and nothing unsaved quits"
    );
}

#[test]
fn revert_asks_then_puts_back_what_the_file_holds() {
    let (_dir, _path, mut a) = open(120, 40);
    keys(&mut a, "<tab>");
    replace(&mut a, IAM_FIX);
    ctrl(&mut a, 's');
    replace(&mut a, "{}");
    keys(&mut a, "<esc>r");
    assert!(
        screen_text(&a, 120, 40)
            .contains("Put every policy back to the text saved in exercise.toml?")
    );
    keys(&mut a, "y");
    assert_eq!(text(&a, 1), IAM_FIX, "back to the last save, not the start");
}

#[test]
fn copy_and_paste_work_across_tabs_and_ctrl_c_twice_without_a_selection_quits() {
    let (_dir, _path, mut a) = open(120, 40);
    // Select the first two lines of the key policy and copy them.
    shift(&mut a, KeyCode::Down);
    shift(&mut a, KeyCode::Down);
    ctrl(&mut a, 'c');
    assert!(!a.quit, "with a selection, Ctrl-C copies");
    // The copy is also offered to the terminal's clipboard (OSC 52).
    assert_eq!(
        a.take_clipboard().as_deref(),
        Some("{\n  \"Version\": \"2012-10-17\",\n")
    );
    assert_eq!(a.take_clipboard(), None, "handed over once");
    assert!(screen_text(&a, 120, 40).contains(
        "Copied 2 lines (also offered to the terminal's clipboard): Ctrl-V pastes, in any tab."
    ));
    // Paste at the start of the IAM policy.
    keys(&mut a, "<tab>");
    let before = text(&a, 1);
    ctrl(&mut a, 'v');
    assert_eq!(
        text(&a, 1),
        format!("{{\n  \"Version\": \"2012-10-17\",\n{before}")
    );
    // Cut needs a selection and says so.
    ctrl(&mut a, 'x');
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("Nothing is selected"), "{s}");
    ctrl(&mut a, 'a');
    ctrl(&mut a, 'x');
    assert_eq!(text(&a, 1), "");
    assert_eq!(
        a.take_clipboard().map(|c| c.len()),
        Some(before.len() + "{\n  \"Version\": \"2012-10-17\",\n".len()),
        "a cut goes to the terminal's clipboard too"
    );
    ctrl(&mut a, 'z');
    ctrl(&mut a, 'z');
    assert_eq!(text(&a, 1), before);
    // No selection: Ctrl-C asks, a second one quits (nothing is unsaved).
    ctrl(&mut a, 'c');
    assert!(!a.quit);
    assert!(screen_text(&a, 120, 40).contains("Ctrl-C again quits"));
    ctrl(&mut a, 'c');
    assert!(a.quit);
}

#[test]
fn the_app_reports_unsaved_edits_for_the_signal_handler() {
    let (_dir, path, mut a) = open(120, 40);
    assert_eq!(a.pending().sandbox, None);
    keys(&mut a, "<tab>");
    replace(&mut a, IAM_FIX);
    let pending = a.pending();
    let (p, edits) = pending.sandbox.unwrap_or_else(|| panic!("unsaved edits"));
    assert_eq!(p, path);
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0].1, IAM_FIX);
    assert_eq!(pending.progress, None, "a sandbox never writes progress");
}

#[test]
fn in_a_lab_of_the_course_ctrl_s_saves_the_work_to_progress() {
    let mut a = app(120, 40);
    let down = 1 + tui_common::pack().lessons.len();
    keys(&mut a, &format!("{}<ret>", "j".repeat(down)));
    assert_eq!(a.screen(), ScreenId::LabEditor);
    keys(&mut a, "x");
    ctrl(&mut a, 's');
    assert!(screen_text(&a, 120, 40).contains("Saved to your progress"));
    let lab = &tui_common::pack().labs[0];
    let saved = a
        .progress()
        .labs
        .get(&lab.id)
        .unwrap_or_else(|| panic!("saved"));
    let first = lab.editable[0].policy.to_string();
    assert!(saved.policies[&first].starts_with('x'), "{saved:?}");
}

/// The sandbox at both sizes: as opened, and asking before quitting.
#[test]
fn snapshots() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (_dir, _path, mut a) = open(w, h);
        insta::assert_snapshot!(
            format!("sandbox_open_{w}x{h}"),
            terminal(&a, w, h).backend()
        );
        keys(&mut a, "<tab>");
        replace(&mut a, IAM_FIX);
        keys(&mut a, "<esc>q");
        insta::assert_snapshot!(
            format!("sandbox_unsaved_{w}x{h}"),
            terminal(&a, w, h).backend()
        );
    }
}

/// A scenario with 17 policies: the other tabs go by number so the current
/// one keeps a readable label.
#[test]
fn many_tabs_show_numbers_and_the_current_label() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/resource-wildcards.toml");
    let text = file(&path);
    let lab = Lab::sandbox("resource-wildcards.toml", &text).unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(lab.editable.len(), 17);
    let mut a = app(80, 24);
    a.open_sandbox(lab, path);
    keys(&mut a, "<tab><tab><tab><tab><tab>");
    let s = screen_text(&a, 80, 24);
    let tabs = s.lines().nth(1).unwrap_or_default();
    assert!(
        tabs.starts_with(" 1 2 3 4 5 [6 IAM policy · role/"),
        "{tabs}"
    );
    assert!(tabs.ends_with("] 7 8 9 10 11 12 13 14 15 16 17"), "{tabs}");
}

#[test]
fn f1_lists_the_sandbox_keys() {
    let (_dir, _path, mut a) = open(120, 40);
    a.handle(Event::Key(KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE)));
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("sandbox editor"), "{s}");
    assert!(s.contains("save the policies into the file"), "{s}");
    assert!(s.contains("copy / cut / paste a selection"), "{s}");
    assert!(!s.contains("reveal the next hint"), "{s}");
}
