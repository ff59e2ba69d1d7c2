//! The policy lab screen driven by keys: verdicts that change as the
//! learner types, errors that keep the text and grey the verdicts, hints,
//! reset, and the work kept in progress.

use crate::tui_common;

use keyshake::core::progress::Progress;
use keyshake::tui::app::App;
use keyshake::tui::keymap::ScreenId;
use keyshake::tui::screens::lab::Focus;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use tui_common::{SharedStore, app, app_with, find, keys, pack, screen_text, terminal};

/// Keys that open lab `n` (1-based in the course) from the home screen:
/// its row, by the lab's id, then Enter.
fn open_lab(n: usize) -> String {
    format!("<sel:lab:{}><ret>", pack().labs[n - 1].id)
}

fn ctrl(a: &mut App, c: char) {
    a.handle(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

fn fkey(a: &mut App, n: u8) {
    a.handle(Event::Key(KeyEvent::new(KeyCode::F(n), KeyModifiers::NONE)));
}

fn paste(a: &mut App, text: &str) {
    a.handle(Event::Paste(text.to_string()));
}

/// Lab 1's solution text of editable policy `i` (0: the IAM policy, 1:
/// the bucket policy).
fn solution(i: usize) -> String {
    pack().labs[0].editable[i].solution.clone()
}

fn saved(s: &SharedStore) -> Progress {
    s.0.borrow().progress.clone()
}

fn shared() -> (SharedStore, Box<SharedStore>) {
    let s = SharedStore::default();
    (s.clone(), Box::new(s))
}

fn text(a: &App, tab: usize) -> String {
    a.find::<keyshake::tui::screens::lab::LabScreen>()
        .unwrap_or_else(|| panic!("no lab open"))
        .text(tab)
}

/// Replaces the text of the current tab (Ctrl-A, then a paste).
fn replace(a: &mut App, with: &str) {
    ctrl(a, 'a');
    paste(a, with);
}

/// Lab 1 with both policies replaced by the solution.
fn solve_lab_1(a: &mut App) {
    replace(a, &solution(0));
    keys(a, "<tab>");
    replace(a, &solution(1));
}

#[test]
fn home_lists_the_labs_and_enter_opens_one_in_the_editor() {
    let mut a = app(80, 24);
    keys(&mut a, &open_lab(1));
    assert_eq!(a.screen(), ScreenId::LabEditor);
    let s = screen_text(&a, 80, 24);
    assert!(s.contains("Lab 1 · The worked example"), "{s}");
    assert!(s.contains("1 DENY ✗ ○ not met"), "{s}");
    keys(&mut a, "<esc><esc>");
    assert_eq!(a.screen(), ScreenId::Home);
    let s = screen_text(&a, 80, 24);
    assert!(s.contains("Policy labs"), "{s}");
    assert!(s.contains("not started"), "{s}");
    assert!(!s.contains("not built yet — coming in a later version\n   Policy"));
}

#[test]
fn pasting_the_solution_turns_deny_into_allow_and_records_the_solve() {
    let (store, boxed) = shared();
    let mut a = app_with(120, 40, true, boxed);
    keys(&mut a, &open_lab(1));
    assert!(screen_text(&a, 120, 40).contains("▶ DENY ✗  must be allowed  ○ not met"));
    solve_lab_1(&mut a);
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("ALLOW ✓  must be allowed  ● met"), "{s}");
    assert!(s.contains("● solved"), "{s}");
    assert!(s.contains("Solved: why it works"), "{s}");
    // Recorded and saved at once, not only on leaving.
    let p = saved(&store);
    let lab = p.labs.get("worked-example").cloned().unwrap_or_default();
    assert_eq!(lab.solved_at, Some(tui_common::NOW));
    assert_eq!(lab.policies.len(), 2);
}

#[test]
fn typed_keys_re_evaluate_and_invalid_json_keeps_the_text_and_greys_the_verdicts() {
    let mut a = app(120, 40);
    keys(&mut a, &open_lab(1));
    let iam = solution(0);
    // Everything but the closing brace: the text does not parse.
    let cut = iam.trim_end().trim_end_matches('}').to_string();
    replace(&mut a, &cut);
    keys(&mut a, "<tab>");
    replace(&mut a, &solution(1));
    let lab = a
        .find::<keyshake::tui::screens::lab::LabScreen>()
        .unwrap_or_else(|| panic!("no lab"));
    assert!(lab.stale());
    let err = &lab.errors()[0];
    let s = screen_text(&a, 120, 40);
    assert!(
        s.contains(&format!("Tab 1, line {}, column", err.line)),
        "{s}"
    );
    assert!(s.contains("(stale)"), "{s}");
    // The last good verdicts stay, greyed out.
    let t = terminal(&a, 120, 40);
    let (x, y) = find(&t, "DENY ✗  must be allowed").unwrap_or_else(|| panic!("no verdict"));
    assert_eq!(t.backend().buffer()[(x, y)].fg, Color::DarkGray);
    // The learner's text is kept exactly.
    assert_eq!(text(&a, 0), cut);
    // Typing the brace (back on tab 1, at the end) fixes it: ALLOW.
    keys(&mut a, "<btab>");
    ctrl(&mut a, 'e');
    keys(&mut a, "}");
    let lab = a
        .find::<keyshake::tui::screens::lab::LabScreen>()
        .unwrap_or_else(|| panic!("no lab"));
    assert!(!lab.stale(), "{:?}", lab.errors());
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("ALLOW ✓  must be allowed  ● met"), "{s}");
    let t = terminal(&a, 120, 40);
    let (x, y) = find(&t, "ALLOW ✓").unwrap_or_else(|| panic!("no verdict"));
    assert_eq!(t.backend().buffer()[(x, y)].fg, Color::Green);
}

#[test]
fn a_stray_character_marks_the_error_line_in_the_gutter_and_undo_fixes_it() {
    let mut a = app(80, 24);
    keys(&mut a, &open_lab(1));
    let before = text(&a, 0);
    // The cursor starts on line 1: "x{" is not JSON.
    keys(&mut a, "x");
    let s = screen_text(&a, 80, 24);
    assert!(s.contains("✗ 1 x{"), "{s}");
    assert!(s.contains("Tab 1, line 1, column 1"), "{s}");
    assert!(s.contains("(stale)"), "{s}");
    ctrl(&mut a, 'z');
    assert_eq!(text(&a, 0), before);
    assert!(
        !a.find::<keyshake::tui::screens::lab::LabScreen>()
            .is_some_and(|l| l.stale())
    );
    ctrl(&mut a, 'y');
    assert_eq!(text(&a, 0), format!("x{before}"));
}

#[test]
fn enter_keeps_the_indent_and_adds_one_after_a_brace() {
    let mut a = app(80, 24);
    keys(&mut a, &open_lab(1));
    // Line 1 is "{": at its end, Enter opens an indented line.
    ctrl(&mut a, 'e');
    keys(&mut a, "<ret>");
    let lines: Vec<String> = text(&a, 0).lines().map(str::to_string).collect();
    assert_eq!(lines[1], "  ");
    // Line 3 is `  "Version": ...,`: Enter keeps its two spaces.
    keys(&mut a, "<down><end><ret>");
    let lines: Vec<String> = text(&a, 0).lines().map(str::to_string).collect();
    assert_eq!(lines[3], "  ");
}

#[test]
fn hints_are_revealed_one_at_a_time_and_saved() {
    let (store, boxed) = shared();
    let mut a = app_with(120, 40, true, boxed);
    keys(&mut a, &open_lab(1));
    assert!(screen_text(&a, 120, 40).contains("0 of 3 hints, then 3 levels"));
    fkey(&mut a, 2);
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("Hint 1 of 3"), "{s}");
    assert!(!s.contains("Hint 2 of 3"), "{s}");
    assert_eq!(saved(&store).labs["worked-example"].hints_used, 1);
    // From the goals panel, h reveals the next.
    keys(&mut a, "<esc>h");
    assert!(screen_text(&a, 120, 40).contains("Hint 2 of 3"));
    assert_eq!(saved(&store).labs["worked-example"].hints_used, 2);
}

#[test]
fn reset_asks_first_and_only_y_resets() {
    let (store, boxed) = shared();
    let mut a = app_with(80, 24, true, boxed);
    keys(&mut a, &open_lab(1));
    let start = text(&a, 0);
    keys(&mut a, "abc");
    assert_eq!(text(&a, 0), format!("abc{start}"));
    fkey(&mut a, 5);
    assert!(screen_text(&a, 80, 24).contains("Reset every policy of this lab"));
    // Any other key says no and keeps the text.
    keys(&mut a, "n");
    assert_eq!(text(&a, 0), format!("abc{start}"));
    assert!(!screen_text(&a, 80, 24).contains("Reset every policy"));
    fkey(&mut a, 5);
    keys(&mut a, "y");
    assert_eq!(text(&a, 0), start);
    assert!(screen_text(&a, 80, 24).contains("Back to the starting policies."));
    assert!(
        saved(&store)
            .labs
            .get("worked-example")
            .is_none_or(|l| l.policies.is_empty())
    );
}

#[test]
fn edits_are_saved_on_leaving_and_restored_on_reopening() {
    let (store, boxed) = shared();
    let mut a = app_with(80, 24, true, boxed);
    keys(&mut a, &open_lab(1));
    keys(&mut a, "<tab>");
    replace(&mut a, "{}");
    // Not saved on every key (debounced to leaving or solving).
    assert!(!saved(&store).labs.contains_key("worked-example"));
    keys(&mut a, "<esc><esc>");
    let p = saved(&store);
    let lab = &p.labs["worked-example"];
    assert_eq!(
        lab.policies
            .get("bucket:finance-reports-111122223333")
            .map(String::as_str),
        Some("{}")
    );
    assert!(screen_text(&a, 80, 24).contains("in progress"));
    // A new session on the same progress opens the lab with that text.
    let mut b = app_with(80, 24, true, Box::new(store.clone()));
    keys(&mut b, &open_lab(1));
    assert_eq!(text(&b, 1), "{}");
}

#[test]
fn quitting_from_the_editor_saves_the_work() {
    let (store, boxed) = shared();
    let mut a = app_with(80, 24, true, boxed);
    keys(&mut a, &open_lab(1));
    keys(&mut a, "z");
    ctrl(&mut a, 'q');
    assert!(a.quit);
    let p = saved(&store);
    let t = &p.labs["worked-example"].policies["identity:arn:aws:iam::444455556666:role/report-reader#1"];
    assert!(t.starts_with("z{"), "{t}");
}

#[test]
fn a_solved_lab_shows_solved_on_home() {
    let (store, boxed) = shared();
    let mut a = app_with(80, 24, true, boxed);
    keys(&mut a, &open_lab(1));
    solve_lab_1(&mut a);
    keys(&mut a, "<esc><esc>");
    assert!(screen_text(&a, 80, 24).contains("solved ✓"));
    let _ = store;
}

#[test]
fn jump_moves_the_cursor_to_the_deciding_statement() {
    let mut a = app(120, 40);
    keys(&mut a, &open_lab(1));
    solve_lab_1(&mut a);
    // Goal 1 is allowed by the bucket policy's statement (tab 2).
    keys(&mut a, "<esc>");
    assert_eq!(
        a.find::<keyshake::tui::screens::lab::LabScreen>()
            .map(|l| l.focus()),
        Some(Focus::Goals)
    );
    keys(&mut a, "<ret>");
    let lab = a
        .find::<keyshake::tui::screens::lab::LabScreen>()
        .unwrap_or_else(|| panic!("no lab"));
    assert_eq!(lab.focus(), Focus::Editor);
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("The deciding statement starts at line"), "{s}");
    let line: usize = s
        .split("starts at line ")
        .nth(1)
        .and_then(|r| r.split('.').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{s}"));
    assert_eq!(lab.cursor().0 + 1, line);
    let tab_text = text(&a, lab.tab());
    let at = tab_text.lines().nth(line - 1).unwrap_or_default();
    assert!(at.contains('{'), "{at}");
    // The statement is marked in the gutter.
    assert!(s.contains("▌"), "{s}");
}

#[test]
fn compact_layout_toggles_between_editor_and_requests() {
    let mut a = app(80, 24);
    keys(&mut a, &open_lab(1));
    let s = screen_text(&a, 80, 24);
    assert!(
        s.contains("Policy (editing)") && !s.contains("Handshake of"),
        "{s}"
    );
    keys(&mut a, "<esc>");
    let s = screen_text(&a, 80, 24);
    assert!(s.contains("Handshake of the selected request"), "{s}");
    assert!(s.contains("no match"), "{s}");
}

#[test]
fn without_colour_the_words_carry_the_verdicts() {
    let mut a = app_with(
        80,
        24,
        false,
        Box::new(keyshake::core::progress::MemStore::default()),
    );
    keys(&mut a, &open_lab(1));
    keys(&mut a, "<esc>");
    let t = terminal(&a, 80, 24);
    let buf = t.backend().buffer();
    for cell in buf.content() {
        assert_eq!(cell.fg, Color::Reset);
    }
    let s = screen_text(&a, 80, 24);
    assert!(s.contains("DENY ✗  must be allowed  ○ not met"), "{s}");
}

/// The lab at both sizes, failing (the start) and solved.
#[test]
fn snapshots() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut a = app(w, h);
        keys(&mut a, &open_lab(1));
        insta::assert_snapshot!(format!("lab_failing_{w}x{h}"), terminal(&a, w, h).backend());
        keys(&mut a, "<esc>");
        insta::assert_snapshot!(
            format!("lab_failing_requests_{w}x{h}"),
            terminal(&a, w, h).backend()
        );
        keys(&mut a, "<tab>");
        solve_lab_1(&mut a);
        insta::assert_snapshot!(format!("lab_solved_{w}x{h}"), terminal(&a, w, h).backend());
        keys(&mut a, "<esc>");
        insta::assert_snapshot!(
            format!("lab_solved_requests_{w}x{h}"),
            terminal(&a, w, h).backend()
        );
    }
}

#[test]
fn lint_findings_show_beside_the_editor_with_severity_and_line() {
    let mut a = app(120, 40);
    keys(&mut a, &open_lab(1));
    assert!(screen_text(&a, 120, 40).contains("No lint findings on this policy."));
    let no_version = solution(0).replace("\"Version\": \"2012-10-17\",", "");
    replace(&mut a, &no_version);
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("│ warning line 1: "), "{s}");
    // At 80x24 the finding is under the editor.
    let mut b = app(80, 24);
    keys(&mut b, &open_lab(1));
    replace(&mut b, &no_version);
    assert!(screen_text(&b, 80, 24).contains(" warning line 1: "));
}

#[test]
fn the_editor_colours_json_like_the_lessons_do() {
    let mut a = app(120, 40);
    keys(&mut a, &open_lab(1));
    let t = terminal(&a, 120, 40);
    let (x, y) = find(&t, "\"Version\"").unwrap_or_else(|| panic!("no Version"));
    let buf = t.backend().buffer();
    // The member name in the key colour, its string value in another.
    assert_eq!(buf[(x + 1, y)].fg, Color::Cyan);
    let (vx, vy) = find(&t, "\"2012-10-17\"").unwrap_or_else(|| panic!("no value"));
    assert_eq!(buf[(vx + 1, vy)].fg, Color::Green);
}

#[test]
fn five_goals_fit_the_compact_editor_view() {
    let (n, lab) = pack()
        .labs
        .iter()
        .enumerate()
        .max_by_key(|(_, l)| l.goals.len())
        .map(|(i, l)| (i + 1, l.clone()))
        .unwrap_or_else(|| panic!("no labs"));
    assert!(lab.goals.len() >= 5);
    let mut a = app(80, 24);
    keys(&mut a, &open_lab(n));
    let s = screen_text(&a, 80, 24);
    for i in 1..=lab.goals.len() {
        let shown = [" ALLOW ✓", " DENY ✗"]
            .iter()
            .any(|v| s.contains(&format!(" {i}{v}")));
        assert!(shown, "goal {i} missing:\n{s}");
    }
}

#[test]
fn typing_the_iam_solution_key_by_key_turns_deny_into_allow() {
    let mut a = app(80, 24);
    keys(&mut a, &open_lab(1));
    keys(&mut a, "<tab>");
    replace(&mut a, &solution(1));
    keys(&mut a, "<btab>");
    ctrl(&mut a, 'a');
    keys(&mut a, "<bs>");
    assert!(screen_text(&a, 80, 24).contains("1 DENY ✗ ○ not met"));
    // As a person types: no leading spaces, Enter indents.
    let iam = solution(0);
    let typed: Vec<&str> = iam.lines().map(str::trim_start).collect();
    keys(&mut a, &typed.join("<ret>"));
    let lab = a
        .find::<keyshake::tui::screens::lab::LabScreen>()
        .unwrap_or_else(|| panic!("no lab"));
    assert!(!lab.stale(), "{:?}\n{}", lab.errors(), text(&a, 0));
    assert!(lab.solved());
    let s = screen_text(&a, 80, 24);
    assert!(s.contains("1 ALLOW ✓ ● met"), "{s}");
    // Enter indented the statement's members by four spaces, and closing
    // brackets went back a level.
    assert!(text(&a, 0).ends_with("\n  ]\n}"), "{}", text(&a, 0));
    assert!(
        text(&a, 0).contains("\n      \"Sid\": \"DecryptReportsKey\""),
        "{}",
        text(&a, 0)
    );
}

#[test]
fn on_a_small_terminal_f6_shows_the_task_and_hints_and_any_key_goes_back() {
    let mut a = app(80, 24);
    keys(&mut a, &open_lab(1));
    fkey(&mut a, 2);
    let s = screen_text(&a, 80, 24);
    assert!(!s.contains("Hint 1 of 3\n"), "{s}");
    fkey(&mut a, 6);
    let s = screen_text(&a, 80, 24);
    assert!(s.contains("Task and hints"), "{s}");
    assert!(s.contains("Hint 1 of 3"), "{s}");
    assert!(s.contains("The task"), "{s}");
    keys(&mut a, "<esc>");
    let s = screen_text(&a, 80, 24);
    assert!(s.contains("Handshake of the selected request"), "{s}");
    keys(&mut a, "t");
    assert!(screen_text(&a, 80, 24).contains("Task and hints"));
}

#[test]
fn f1_in_the_editor_lists_the_lab_keys_and_esc_closes_it() {
    let mut a = app(80, 24);
    keys(&mut a, &open_lab(1));
    fkey(&mut a, 1);
    assert_eq!(a.screen(), ScreenId::Help);
    let s = screen_text(&a, 80, 24);
    assert!(s.contains("Keys: policy lab editor"), "{s}");
    assert!(s.contains("jump to the deciding statement"), "{s}");
    keys(&mut a, "<esc>");
    assert_eq!(a.screen(), ScreenId::LabEditor);
    // The editor did not get the keys meant for the help, and the
    // starting text is exactly the lab's, final newline included.
    assert_eq!(text(&a, 0), pack().labs[0].editable[0].start);
}

/// `--ascii`: every lab, failing and solved, editor and requests, at both
/// sizes, draws ASCII only (the engine's sentences carry en-dashes and
/// tab labels a middle dot; both are replaced).
#[test]
fn with_ascii_every_lab_draws_ascii_only() {
    let pack = pack();
    for (n, lab) in pack.labs.iter().enumerate() {
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let mut a = tui_common::ascii_app(w, h);
            keys(&mut a, &open_lab(n + 1));
            let check = |a: &App, state: &str| {
                let s = screen_text(a, w, h);
                assert!(s.is_ascii(), "lab {} {state} at {w}x{h}:\n{s}", lab.id);
            };
            check(&a, "failing, editor");
            for (i, e) in lab.editable.iter().enumerate() {
                if i > 0 {
                    keys(&mut a, "<tab>");
                }
                replace(&mut a, &e.solution);
            }
            check(&a, "solved, editor");
            keys(&mut a, "<esc>");
            check(&a, "solved, requests");
            for _ in 0..lab.goals.len() {
                keys(&mut a, "j");
                check(&a, "solved, each request");
            }
        }
    }
}

/// Lab 7's bucket policy with only the Allow for TLS reads: plain HTTP is
/// refused, but only because nothing allows it.
const TLS_ALLOW_ONLY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "StorefrontRead",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::444455556666:role/storefront" },
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::product-catalog-111122223333/*",
      "Condition": { "Bool": { "aws:SecureTransport": "true" } }
    }
  ]
}"#;

/// A goal that must stay denied is told what keeps it denied or lets it
/// through, never how to grant it: lab 7's "storefront is refused over
/// plain HTTP, by an explicit Deny", unmet (allowed), met (the explicit
/// Deny), and unmet for the wrong reason (denied only implicitly).
#[test]
fn must_deny_goals_get_sentences_that_fit_the_goal() {
    let (store, boxed) = shared();
    let mut a = app_with(120, 40, true, boxed);
    keys(&mut a, &open_lab(7));
    // The goals panel; g turns the guided setting on; the fourth goal.
    keys(&mut a, "<esc>g");
    assert!(
        saved(&store).guided,
        "the guided setting is kept in progress"
    );
    keys(&mut a, "jjj");
    let never = ["add a statement", "naming arn:", "add one there"];
    // The screen wraps the sentence: check it whole from the workbench.
    let sentence = |a: &App| {
        a.find::<keyshake::tui::screens::lab::LabScreen>()
            .map(|l| l.workbench().sentence(3))
            .unwrap_or_default()
    };
    let s = sentence(&a);
    assert!(
        s.starts_with("This request must stay denied, but statement StorefrontRead"),
        "{s}"
    );
    assert!(never.iter().all(|n| !s.contains(n)), "{s}");
    assert!(screen_text(&a, 120, 40).contains("lets it through"));
    insta::assert_debug_snapshot!("lab7_must_deny_allowed", terminal(&a, 120, 40).backend());
    // The solution: met, by the explicit Deny.
    keys(&mut a, "<tab>");
    replace(&mut a, &pack().labs[6].editable[0].solution);
    keys(&mut a, "<esc>");
    let s = sentence(&a);
    assert!(
        s.starts_with("This request must stay denied, and it is: denied by the explicit Deny in statement DenyWithoutTLS"),
        "{s}"
    );
    assert!(never.iter().all(|n| !s.contains(n)), "{s}");
    insta::assert_debug_snapshot!("lab7_must_deny_met", terminal(&a, 120, 40).backend());
    // Only the Allow: denied, but not by a Deny.
    keys(&mut a, "<tab>");
    replace(&mut a, TLS_ALLOW_ONLY);
    keys(&mut a, "<esc>");
    let s = sentence(&a);
    assert!(s.starts_with("This request must stay denied by an explicit Deny, and it is only denied because no policy allows it"), "{s}");
    assert!(never.iter().all(|n| !s.contains(n)), "{s}");
    insta::assert_debug_snapshot!(
        "lab7_must_deny_wrong_reason",
        terminal(&a, 120, 40).backend()
    );
}

/// In a course lab the near miss and then the fix come only as the last
/// hint levels: the near statement is marked in the gutter once its level
/// is shown, and the fix (a diff) only after every other level, saved as
/// "solution shown".
#[test]
fn the_near_miss_and_then_the_fix_come_after_every_other_hint() {
    let (store, boxed) = shared();
    let mut a = app_with(120, 40, true, boxed);
    keys(&mut a, &open_lab(2));
    let hints = pack().labs[1].hints.len();
    keys(&mut a, "<esc>");
    for _ in 0..=hints {
        assert!(!screen_text(&a, 120, 40).contains("Near miss:"));
        keys(&mut a, "h");
    }
    // The sentence is shown; the near miss is next.
    let s = screen_text(&a, 120, 40);
    assert!(!s.contains("Near miss:"), "{s}");
    assert!(!s.contains("Fix:"), "{s}");
    keys(&mut a, "h");
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("Near miss:"), "{s}");
    assert!(
        s.contains("≈"),
        "the near statement is marked in the gutter: {s}"
    );
    assert!(!s.contains("Fix:"), "{s}");
    assert!(!saved(&store).labs["key-policy-half"].solution_shown);
    insta::assert_debug_snapshot!("lab2_near_miss_marked", terminal(&a, 120, 40).backend());
    keys(&mut a, "h");
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("Fix:"), "{s}");
    assert!(s.contains("+++ "), "the fix is a diff: {s}");
    let p = saved(&store);
    assert!(p.labs["key-policy-half"].solution_shown);
    assert_eq!(
        usize::try_from(p.labs["key-policy-half"].hints_used).unwrap_or(0),
        hints + 3
    );
    insta::assert_debug_snapshot!("lab2_fix_shown", terminal(&a, 120, 40).backend());
}

/// Enter on a request that nothing matched goes to the nearest statement
/// once the near miss is shown (before that there is nothing to jump to).
#[test]
fn enter_jumps_to_the_near_statement_once_the_near_miss_is_shown() {
    let mut a = app(120, 40);
    keys(&mut a, &open_lab(2));
    keys(&mut a, "<esc><ret>");
    assert!(screen_text(&a, 120, 40).contains("nothing matched, so it is denied by default"));
    let levels = pack().labs[1].hints.len() + 2;
    for _ in 0..levels {
        keys(&mut a, "h");
    }
    keys(&mut a, "<ret>");
    let s = screen_text(&a, 120, 40);
    assert!(
        s.contains("the nearest, ListOwnBuckets, starts at line 4"),
        "{s}"
    );
    let lab = a
        .find::<keyshake::tui::screens::lab::LabScreen>()
        .unwrap_or_else(|| panic!("no lab open"));
    assert_eq!(lab.focus(), Focus::Editor);
    assert_eq!(lab.cursor().0, 3);
}

/// A check slower than its budget runs off the key path: the screen says
/// "still evaluating…" and keeps taking keys, and the verdicts (and the
/// solve) arrive when the check is done.
#[test]
fn a_slow_check_runs_off_the_key_path_and_says_still_evaluating() {
    let (store, boxed) = shared();
    let mut a = app_with(120, 40, true, boxed);
    keys(&mut a, &open_lab(1));
    a.find_mut::<keyshake::tui::screens::lab::LabScreen>()
        .unwrap_or_else(|| panic!("no lab open"))
        .set_check_budget(std::time::Duration::ZERO);
    // The first check runs on the key path and is timed; every later one
    // is over the zero budget, so it runs on a thread.
    keys(&mut a, " ");
    solve_lab_1(&mut a);
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("still evaluating"), "{s}");
    assert!(!s.contains("● solved"), "{s}");
    // Keys are still taken meanwhile: the cursor moves, the text stays.
    keys(&mut a, "<up>");
    let evaluating = |a: &App| {
        a.find::<keyshake::tui::screens::lab::LabScreen>()
            .is_some_and(|l| l.evaluating())
    };
    for _ in 0..500 {
        if !evaluating(&a) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        a.tick();
    }
    assert!(!evaluating(&a), "the check never finished");
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("● solved"), "{s}");
    assert!(!s.contains("still evaluating"), "{s}");
    let lab = saved(&store)
        .labs
        .get("worked-example")
        .cloned()
        .unwrap_or_default();
    assert_eq!(lab.solved_at, Some(tui_common::NOW));
}
