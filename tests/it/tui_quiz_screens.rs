//! Snapshots of the quiz screens at 80x24 and 120x40, with seed 7 and the
//! fixed clock: the setup, a question, practice feedback, an exam with a
//! flag and the grid, and the score report.

use crate::tui_common;

use tui_common::{app, keys, terminal};

/// Draws the app after `macro_` (seed 7) at both sizes and snapshots each.
fn snap(name: &str, macro_: &str) {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut a = keyshake::tui::app::App::new(keyshake::tui::app::Setup {
            quiz_seed: Some(7),
            ..tui_common::setup(
                w,
                h,
                true,
                Box::new(keyshake::core::progress::MemStore::default()),
            )
        });
        keys(&mut a, macro_);
        let t = terminal(&a, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), t.backend());
    }
}

/// Home rows from the bottom: Missed, Review, Exam, Practice.
const PRACTICE: &str = "<sel:quiz:practice><ret>";
const EXAM: &str = "<sel:quiz:exam><ret>";

#[test]
fn quiz_setup_practice() {
    snap("quiz_setup_practice", &format!("{PRACTICE}jj<ret>"));
}

#[test]
fn quiz_setup_exam() {
    snap("quiz_setup_exam", EXAM);
}

#[test]
fn quiz_question() {
    snap("quiz_question", &format!("{PRACTICE}s"));
}

#[test]
fn quiz_feedback() {
    snap("quiz_feedback", &format!("{PRACTICE}sa"));
}

#[test]
fn quiz_exam_flagged() {
    snap("quiz_exam_flagged", &format!("{EXAM}sanbf"));
}

#[test]
fn quiz_exam_grid() {
    snap("quiz_exam_grid", &format!("{EXAM}sanbfnr"));
}

#[test]
fn quiz_report() {
    snap("quiz_report", &format!("{EXAM}sanbfnss"));
}

#[test]
fn quiz_report_answers() {
    snap("quiz_report_answers", &format!("{EXAM}sanbfnss<pgdn>"));
}

/// An exam with 100 seconds left: the timer in the warning colour and the
/// warning line under the grid.
#[test]
fn quiz_exam_warning() {
    use keyshake::core::quiz::{self, Mode, QuizProgress, Settings};
    use keyshake::tui::action::Action;
    let pack = tui_common::pack();
    let mut settings = Settings::new(Mode::Exam);
    settings.count = Some(5);
    settings.exam_minutes = 1;
    for (w, h) in [(80, 24), (120, 40)] {
        // Built at the clock's now with one minute: 1:00 left, under two.
        let session = quiz::build_seeded(
            &pack,
            &QuizProgress::default(),
            &settings,
            tui_common::NOW,
            7,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut a = app(w, h);
        a.update(Action::StartQuiz(Box::new(session)));
        keys(&mut a, "n");
        let t = terminal(&a, w, h);
        insta::assert_snapshot!(format!("quiz_exam_warning_{w}x{h}"), t.backend());
        let (x, y) = tui_common::find(&t, "1:00 left").unwrap_or_else(|| panic!("no timer"));
        assert_eq!(
            t.backend().buffer()[(x, y)].fg,
            ratatui::style::Color::Yellow
        );
    }
}

/// The text on screen, row by row.
fn screen_text(t: &ratatui::Terminal<ratatui::backend::TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// A student on a shared machine sees whose progress and which pack this
/// is, on the course map and the quiz setup; the setup shows the seed and
/// never offers more questions than the bank holds.
#[test]
fn home_and_quiz_setup_say_who_is_in_and_the_setup_fits_the_bank() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("kms-class");
    keyshake::cli::pack::new(&dir).expect("pack new");
    let pack = keyshake::core::content::Pack::load_dir(&dir).expect("loads");
    let bank = pack.questions.len();
    assert!(bank < 20, "the template's bank is small: {bank}");
    let mut a = keyshake::tui::app::App::new(keyshake::tui::app::Setup {
        pack,
        pack_label: format!("kms-class 0.1.0 ({})", dir.display()),
        quiz_seed: Some(2026),
        profile: Some("student-a".to_string()),
        ..tui_common::setup(
            100,
            30,
            false,
            Box::new(keyshake::core::progress::MemStore::default()),
        )
    });
    let home = screen_text(&terminal(&a, 100, 30));
    let top = home.lines().next().unwrap_or("");
    assert!(
        top.contains("profile student-a · pack kms-class 0.1.0"),
        "{home}"
    );
    a.open_quiz_setup(&keyshake::core::quiz::Settings::new(
        keyshake::core::quiz::Mode::Exam,
    ));
    let setup = screen_text(&terminal(&a, 100, 30));
    assert!(
        setup
            .lines()
            .next()
            .is_some_and(|l| l.contains("profile student-a · pack kms-class 0.1.0")),
        "{setup}"
    );
    let offered = format!("Questions     ◀ {bank} ▶  of {bank} in the bank");
    assert!(setup.contains(&offered), "{setup}");
    assert!(setup.contains("Seed 2026"), "{setup}");
    // A step up stays at the bank's size; a step down goes below it.
    keys(&mut a, "<down><right>");
    assert!(screen_text(&terminal(&a, 100, 30)).contains(&offered));
    keys(&mut a, "<left>");
    let fewer = screen_text(&terminal(&a, 100, 30));
    assert!(
        !fewer.contains(&offered) && fewer.contains("Questions     ◀ "),
        "{fewer}"
    );
}
