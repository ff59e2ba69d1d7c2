//! The lab's policy editor as a learner drives it: every cursor move is
//! drawn, arrows collapse a selection, one undo per action, F7 formats,
//! and Ctrl-C never quits on the first press.

use crate::tui_common::{app, keys, pack, screen_text};

use keyshake::tui::app::App;
use keyshake::tui::screens::lab::LabScreen;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

fn open_lab(a: &mut App, n: usize) {
    keys(a, &format!("<sel:lab:{}><ret>", pack().labs[n - 1].id));
}

fn press(a: &mut App, code: KeyCode, mods: KeyModifiers) -> bool {
    a.handle(Event::Key(KeyEvent::new(code, mods)))
}

fn ctrl(a: &mut App, c: char) -> bool {
    press(a, KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn lab(a: &App) -> &LabScreen {
    a.find::<LabScreen>()
        .unwrap_or_else(|| panic!("no lab open"))
}

#[test]
fn every_cursor_move_asks_for_a_redraw_and_lands_where_drawn() {
    let mut a = app(80, 24);
    open_lab(&mut a, 3);
    for code in [
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::End,
        KeyCode::Up,
        KeyCode::Home,
        KeyCode::Right,
        KeyCode::Left,
        KeyCode::PageDown,
        KeyCode::PageUp,
    ] {
        let before = lab(&a).cursor();
        let redraw = press(&mut a, code, KeyModifiers::NONE);
        assert!(
            redraw || lab(&a).cursor() == before,
            "{code:?} moved the cursor without a redraw"
        );
    }
    // Down twice then End: the cursor is at the end of the third line.
    keys(&mut a, "<pgup><home><down><down><end>");
    let (row, col) = lab(&a).cursor();
    let line = lab(&a).text(0).lines().nth(row).unwrap_or("").to_string();
    assert_eq!((row, col), (2, line.chars().count()));
    keys(&mut a, "X");
    let after = lab(&a).text(0).lines().nth(2).unwrap_or("").to_string();
    assert_eq!(after, format!("{line}X"), "typed where the cursor was");
}

#[test]
fn an_arrow_collapses_a_selection_and_undo_restores_a_replaced_one_in_one_step() {
    let mut a = app(80, 24);
    open_lab(&mut a, 3);
    let start = lab(&a).text(0);
    ctrl(&mut a, 'a');
    keys(&mut a, "<right>W");
    assert_eq!(
        lab(&a).text(0),
        format!("{start}W"),
        "Right collapsed, W appended"
    );
    ctrl(&mut a, 'z');
    assert_eq!(lab(&a).text(0), start);
    // Typing over a selection, then one undo.
    ctrl(&mut a, 'a');
    keys(&mut a, "W");
    assert_eq!(lab(&a).text(0), "W");
    ctrl(&mut a, 'z');
    assert_eq!(
        lab(&a).text(0),
        start,
        "one undo brings the whole policy back"
    );
    // Enter with its indent is one step too.
    keys(&mut a, "<down><end><ret>");
    ctrl(&mut a, 'z');
    assert_eq!(lab(&a).text(0), start);
    ctrl(&mut a, 'y');
    assert_ne!(lab(&a).text(0), start, "redo");
}

#[test]
fn f7_formats_valid_json_and_refuses_invalid_json() {
    let mut a = app(100, 30);
    open_lab(&mut a, 3);
    ctrl(&mut a, 'a');
    a.handle(Event::Paste(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}"#
            .into(),
    ));
    press(&mut a, KeyCode::F(7), KeyModifiers::NONE);
    let text = lab(&a).text(0);
    assert!(
        text.starts_with("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n"),
        "{text}"
    );
    assert!(screen_text(&a, 100, 30).contains("Formatted the policy"));
    ctrl(&mut a, 'z');
    assert!(lab(&a).text(0).starts_with("{\"Version\""), "one undo");
    keys(&mut a, "<end>,");
    let broken = lab(&a).text(0);
    press(&mut a, KeyCode::F(7), KeyModifiers::NONE);
    assert_eq!(lab(&a).text(0), broken, "invalid JSON is never rewritten");
    assert!(screen_text(&a, 100, 30).contains("Not formatted"));
}

#[test]
fn ctrl_c_without_a_selection_asks_before_quitting() {
    let mut a = app(80, 24);
    open_lab(&mut a, 2);
    ctrl(&mut a, 'c');
    assert!(!a.quit, "one Ctrl-C never quits from the editor");
    assert!(screen_text(&a, 80, 24).contains("Ctrl-C again"));
    keys(&mut a, "<down>");
    ctrl(&mut a, 'c');
    assert!(!a.quit, "another key in between asks again");
    ctrl(&mut a, 'c');
    assert!(a.quit);
}

#[test]
fn the_editor_help_wraps_every_line_inside_its_box() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut a = app(w, h);
        open_lab(&mut a, 2);
        press(&mut a, KeyCode::F(1), KeyModifiers::NONE);
        let s = screen_text(&a, w, h);
        // The longest entry is whole, over two lines.
        assert!(s.contains("copy / cut / paste"), "{s}");
        assert!(
            s.contains("twice quits)"),
            "the end of the entry is shown: {s}"
        );
    }
}

/// `y` in a lesson copies the code block in view, whole and as written:
/// no wrapping mark, no indent, every line of it.
#[test]
fn y_copies_a_lessons_code_block_whole() {
    use keyshake::core::content::BlockKind;
    let p = pack();
    let (li, si, expected) = p
        .lessons
        .iter()
        .enumerate()
        .find_map(|(li, l)| {
            l.sections.iter().enumerate().find_map(|(si, s)| {
                s.blocks.iter().find_map(|b| match &b.kind {
                    BlockKind::Code { lines, .. } => Some((li, si, lines.join("\n"))),
                    _ => None,
                })
            })
        })
        .unwrap_or_else(|| panic!("the course has no code block"));
    let mut a = app(80, 24);
    keys(&mut a, &format!("<sel:lesson:{}><ret>", p.lessons[li].id));
    for _ in 0..si {
        keys(&mut a, "n");
    }
    let mut copied = None;
    for _ in 0..60 {
        keys(&mut a, "y");
        copied = a.take_clipboard();
        if copied.is_some() {
            break;
        }
        keys(&mut a, "<down>");
    }
    assert_eq!(copied.as_deref(), Some(expected.as_str()));
    assert!(screen_text(&a, 80, 24).contains("Copied the code block"));
}

/// A left click in the editor puts the cursor on the clicked character.
#[test]
fn a_click_in_the_editor_moves_the_cursor_there() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut a = app(120, 40);
    open_lab(&mut a, 1);
    let t = crate::tui_common::terminal(&a, 120, 40);
    let (x, y) =
        crate::tui_common::find(&t, "\"Statement\"").unwrap_or_else(|| panic!("no Statement"));
    let redraw = a.handle(Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x + 1,
        row: y,
        modifiers: KeyModifiers::NONE,
    }));
    assert!(redraw);
    let (row, col) = lab(&a).cursor();
    let line = lab(&a).text(0).lines().nth(row).unwrap_or("").to_string();
    assert!(line.contains("\"Statement\""), "{line}");
    assert_eq!(line.chars().nth(col), Some('S'), "on the clicked character");
}

/// F10 turns mouse capture off and on from any screen, the editor
/// included, so the terminal's own text selection works.
#[test]
fn f10_turns_mouse_capture_off_and_on_everywhere() {
    let mut a = app(80, 24);
    assert!(a.mouse());
    press(&mut a, KeyCode::F(10), KeyModifiers::NONE);
    assert_eq!(a.take_mouse(), Some(false));
    assert_eq!(a.take_mouse(), None, "told once");
    open_lab(&mut a, 1);
    let before = lab(&a).text(0);
    press(&mut a, KeyCode::F(10), KeyModifiers::NONE);
    assert_eq!(a.take_mouse(), Some(true));
    assert_eq!(lab(&a).text(0), before, "F10 is not typed into the policy");
}
