//! The app driven by keys, without a terminal: what a learner would see
//! change, and what ends up in their progress.

use crate::tui_common;

use keyshake::core::progress::{FileStore, MemStore, Position, Progress, ProgressStore};
use keyshake::tui::keymap::ScreenId;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers, MouseEvent, MouseEventKind,
};
use tui_common::{SharedStore, app, app_with, keys, screen_text};

fn shared() -> (SharedStore, Box<SharedStore>) {
    let s = SharedStore::default();
    (s.clone(), Box::new(s))
}

/// The checkpoint `id` of the built-in course.
fn checkpoint(id: &str) -> keyshake::core::content::Question {
    crate::builtin_pack()
        .lessons
        .iter()
        .flat_map(|l| &l.sections)
        .flat_map(|s| &s.checkpoints)
        .find(|q| q.id == id)
        .cloned()
        .unwrap_or_else(|| panic!("checkpoint {id}"))
}

/// The key (1-based position shown) of checkpoint `id`'s file choice
/// `choice`, in the shuffled order of the app's learner.
fn key_of(a: &keyshake::tui::app::App, id: &str, choice: usize) -> String {
    let q = checkpoint(id);
    let seed = a
        .progress()
        .seed
        .unwrap_or_else(|| panic!("a learner seed"));
    let order = keyshake::core::quiz::checkpoint_order(seed, &q);
    let pos = order
        .iter()
        .position(|c| *c == choice)
        .unwrap_or_else(|| panic!("choice {choice}"));
    (pos + 1).to_string()
}

/// The file index of a right and of a wrong choice of checkpoint `id`.
fn right_and_wrong(id: &str) -> (usize, usize) {
    let q = checkpoint(id);
    let right = q.answer[0];
    let wrong = (0..q.choices.len())
        .find(|c| !q.answer.contains(c))
        .unwrap_or_else(|| panic!("{id} has a wrong choice"));
    (right, wrong)
}

fn saved(s: &SharedStore) -> Progress {
    s.0.borrow().progress.clone()
}

#[test]
fn q_on_home_quits_and_ctrl_c_quits_from_a_lesson() {
    let mut a = app(80, 24);
    keys(&mut a, "q");
    assert!(a.quit);
    let mut a = app(80, 24);
    keys(&mut a, "<ret>");
    assert_eq!(a.screen(), ScreenId::Lesson);
    keys(&mut a, "<c-c>");
    assert!(a.quit);
}

#[test]
fn key_releases_are_ignored() {
    let mut a = app(80, 24);
    let release = KeyEvent {
        code: KeyCode::Enter,
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Release,
        state: KeyEventState::NONE,
    };
    assert!(!a.handle(Event::Key(release)));
    assert_eq!(a.screen(), ScreenId::Home);
}

#[test]
fn opening_a_section_saves_the_place_and_esc_saves_the_scroll() {
    let (store, boxed) = shared();
    let mut a = app_with(80, 24, true, boxed);
    keys(&mut a, "<sel:lesson:handshake><ret>");
    let p = saved(&store);
    assert!(p.section_seen("handshake", "two-halves"));
    assert_eq!(
        p.last.as_ref().map(|l| l.lesson.as_str()),
        Some("handshake")
    );
    keys(&mut a, "jjjjj<esc>");
    assert_eq!(a.screen(), ScreenId::Home);
    let last = saved(&store).last.unwrap_or_default();
    assert_eq!(
        (last.section.as_deref(), last.scroll),
        (Some("two-halves"), 5)
    );
}

#[test]
fn quitting_inside_a_lesson_saves_the_place_and_continue_resumes_there() {
    let (store, boxed) = shared();
    let mut a = app_with(80, 24, true, boxed);
    keys(&mut a, "<sel:lesson:handshake><ret>njjj<c-c>");
    let last = saved(&store).last.unwrap_or_default();
    assert_eq!(
        last,
        Position {
            lesson: "handshake".into(),
            section: Some("key-policy-half".into()),
            scroll: 3
        }
    );
    // A new session on the same progress: Enter continues there.
    let mut b = app_with(80, 24, true, Box::new(store.clone()));
    assert!(
        screen_text(&b, 80, 24).contains("Continue where you left off: 4. The two-sided handshake")
    );
    keys(&mut b, "<ret>");
    let l = b
        .find::<keyshake::tui::screens::lesson::LessonScreen>()
        .unwrap_or_else(|| panic!("no lesson open"));
    assert_eq!(
        (l.lesson_id(), l.section_index(), l.scroll()),
        ("handshake", 1, 3)
    );
}

#[test]
fn a_checkpoint_answer_is_saved_at_once_with_feedback() {
    let (store, boxed) = shared();
    let mut a = app_with(80, 24, true, boxed);
    let (right, _) = right_and_wrong("handshake-both-halves");
    let k = key_of(&a, "handshake-both-halves", right);
    keys(&mut a, &format!("<sel:lesson:handshake><ret>G{k}"));
    // Chosen but not submitted: nothing recorded yet.
    assert!(saved(&store).checkpoint("handshake-both-halves").is_none());
    keys(&mut a, "<ret>");
    let r = saved(&store)
        .checkpoint("handshake-both-halves")
        .cloned()
        .unwrap_or_else(|| panic!("not saved"));
    // Kept by the choice's identity (its index in the file), not by the
    // position it was shown at.
    assert_eq!(
        (r.chosen.clone(), r.correct, r.attempts),
        (vec![right], true, 1)
    );
    assert!(r.first_try_right());
    assert!(screen_text(&a, 80, 24).contains("✓ Correct."));
}

#[test]
fn a_wrong_first_answer_stays_wrong_and_the_next_digit_answers_the_next_checkpoint() {
    let (store, boxed) = shared();
    let mut a = app_with(120, 40, true, boxed);
    let (right1, wrong1) = right_and_wrong("handshake-both-halves");
    let (right2, _) = right_and_wrong("handshake-iam-alone");
    let w1 = key_of(&a, "handshake-both-halves", wrong1);
    keys(&mut a, &format!("<sel:lesson:handshake><ret>G{w1}<ret>"));
    // Any digit now goes to checkpoint 2 (focus moved there), never back
    // to checkpoint 1.
    let r2 = key_of(&a, "handshake-iam-alone", right2);
    keys(&mut a, &format!("{r2}<ret>"));
    let p = saved(&store);
    let first = p
        .checkpoint("handshake-both-halves")
        .cloned()
        .unwrap_or_default();
    assert_eq!((first.correct, first.attempts), (false, 1));
    assert_eq!(
        p.checkpoint("handshake-iam-alone").map(|r| r.correct),
        Some(true)
    );
    // Digits on an answered checkpoint change nothing.
    let r1 = key_of(&a, "handshake-both-halves", right1);
    keys(&mut a, &format!("<tab-to:checkpoint>{r1}<ret>"));
    assert_eq!(
        saved(&store)
            .checkpoint("handshake-both-halves")
            .map(|r| r.attempts),
        Some(1)
    );
    // r retries: the latest answer becomes right, the first stays wrong.
    keys(&mut a, &format!("r{r1}<ret>"));
    let r = saved(&store)
        .checkpoint("handshake-both-halves")
        .cloned()
        .unwrap_or_default();
    assert_eq!((r.correct, r.attempts), (true, 2));
    assert!(
        !r.first_try_right(),
        "picking the revealed answer is no first try"
    );
    let summary = saved(&store).summary(&crate::builtin_pack());
    let hs = summary
        .lessons
        .iter()
        .find(|l| l.id == "handshake")
        .unwrap_or_else(|| panic!("handshake"));
    assert_eq!((hs.checkpoints_right, hs.checkpoints_first_right), (2, 1));
}

#[test]
fn a_section_completes_only_when_read_to_the_end_and_every_checkpoint_is_answered() {
    let (store, boxed) = shared();
    let mut a = app_with(80, 24, true, boxed);
    keys(&mut a, "<sel:lesson:handshake><ret>");
    // Answering without having reached the end does not complete it: the
    // checkpoints are not on screen, so the keys do nothing.
    keys(&mut a, "1<ret>");
    assert!(!saved(&store).section_completed("handshake", "two-halves"));
    keys(&mut a, "G1<ret>");
    assert!(!saved(&store).section_completed("handshake", "two-halves"));
    keys(&mut a, "G1<ret>");
    assert!(saved(&store).section_completed("handshake", "two-halves"));
    let text = screen_text(&a, 80, 24);
    assert!(text.contains("✓ completed"), "{text}");
    assert!(
        text.contains("✓ Section completed. n: next section."),
        "{text}"
    );
}

#[test]
fn a_section_without_checkpoints_completes_when_its_end_is_seen() {
    // Every built-in section has checkpoints; take them out of lesson 1's
    // first section.
    let mut pack = tui_common::pack();
    pack.lessons[0].sections[0].checkpoints.clear();
    let lesson = pack.lessons[0].id.clone();
    let section = pack.lessons[0].sections[0].id.clone();
    let (store, boxed) = shared();
    let mut a = keyshake::tui::app::App::new(keyshake::tui::app::Setup {
        pack,
        pack_label: "test".into(),
        store: boxed,
        progress_path: "mem".into(),
        theme: keyshake::tui::theme::Theme::new(true),
        ascii: false,
        area: ratatui::layout::Rect::new(0, 0, 80, 24),
        clock: || 1,
        quiz_seed: None,
        envelope_seed: None,
        profile: None,
    });
    keys(&mut a, "<ret>");
    assert!(!saved(&store).section_completed(&lesson, &section));
    keys(&mut a, "G");
    assert!(saved(&store).section_completed(&lesson, &section));
}

#[test]
fn multiple_answer_questions_toggle_and_need_the_right_count() {
    let (store, boxed) = shared();
    let mut a = app_with(80, 24, true, boxed);
    let id = "aliases-which-has-account";
    // Lesson 5, first section ends with a "choose two" question.
    let q = checkpoint(id);
    let (x, y) = (q.answer[0], q.answer[1]);
    let (kx, ky) = (key_of(&a, id, x), key_of(&a, id, y));
    keys(&mut a, &format!("<sel:lesson:aliases><ret>G{kx}<ret>"));
    assert!(saved(&store).checkpoint(id).is_none());
    assert!(screen_text(&a, 80, 24).contains("Choose 2 answers"));
    keys(&mut a, &format!("{ky}{ky}"));
    let l = a
        .find::<keyshake::tui::screens::lesson::LessonScreen>()
        .unwrap_or_else(|| panic!("no lesson"));
    assert_eq!(l.answers()[0].chosen, vec![x]);
    keys(&mut a, &format!("{ky}<ret>"));
    let r = saved(&store).checkpoint(id).cloned();
    let mut both = vec![x, y];
    both.sort_unstable();
    assert_eq!(r.map(|r| r.chosen), Some(both));
}

#[test]
fn arrows_step_the_diagram_on_screen_and_back() {
    let mut a = app(100, 30);
    keys(&mut a, "<sel:lesson:handshake><ret>");
    // The diagram is not on screen yet.
    keys(&mut a, "<right>");
    assert!(screen_text(&a, 100, 30).contains("No diagram on screen"));
    keys(&mut a, "<tab-to:diagram><right><right><right>");
    let step = |a: &keyshake::tui::app::App| {
        a.find::<keyshake::tui::screens::lesson::LessonScreen>()
            .map(|l| l.step(&keyshake::core::content::DiagramId::HANDSHAKE))
    };
    assert_eq!(step(&a), Some(3));
    keys(&mut a, "h");
    assert_eq!(step(&a), Some(2));
    assert!(screen_text(&a, 100, 30).contains("Step 3 of 6"));
    // Step state survives moving to another section and back.
    keys(&mut a, "np<tab-to:diagram><right>");
    assert_eq!(step(&a), Some(3));
}

#[test]
fn n_past_the_last_section_opens_the_next_lesson() {
    let mut a = app(80, 24);
    keys(&mut a, "<ret>nnn");
    assert_eq!(
        a.find::<keyshake::tui::screens::lesson::LessonScreen>()
            .map(|l| l.lesson_id()),
        Some("key-types")
    );
}

#[test]
fn mouse_wheel_scrolls_the_lesson() {
    let mut a = app(80, 24);
    keys(&mut a, "<ret>");
    let wheel = |kind| {
        Event::Mouse(MouseEvent {
            kind,
            column: 10,
            row: 10,
            modifiers: KeyModifiers::NONE,
        })
    };
    assert!(a.handle(wheel(MouseEventKind::ScrollDown)));
    assert_eq!(
        a.find::<keyshake::tui::screens::lesson::LessonScreen>()
            .map(|l| l.scroll()),
        Some(3)
    );
    a.handle(wheel(MouseEventKind::ScrollUp));
    assert_eq!(
        a.find::<keyshake::tui::screens::lesson::LessonScreen>()
            .map(|l| l.scroll()),
        Some(0)
    );
}

#[test]
fn glossary_filters_as_you_type_and_esc_closes() {
    let mut a = app(80, 24);
    keys(&mut a, "/envelope");
    let text = screen_text(&a, 80, 24);
    assert!(text.contains("Search: envelope"), "{text}");
    assert!(text.contains("Envelope encryption"), "{text}");
    keys(&mut a, "<ret>");
    assert!(screen_text(&a, 80, 24).contains("Esc: back to the list"));
    keys(&mut a, "<esc>");
    assert_eq!(a.screen(), ScreenId::Glossary);
    keys(&mut a, "<esc>");
    assert_eq!(a.screen(), ScreenId::Home);
    // q is typed in the search, not a quit.
    keys(&mut a, "/q");
    assert!(!a.quit);
    assert!(screen_text(&a, 80, 24).contains("Search: q"));
}

#[test]
fn help_lists_the_keys_of_the_screen_underneath() {
    let mut a = app(80, 24);
    keys(&mut a, "?");
    let home_help = screen_text(&a, 80, 24);
    assert!(home_help.contains("Keys: course map"), "{home_help}");
    keys(&mut a, "<esc><ret>?");
    let text = screen_text(&a, 80, 24);
    assert!(text.contains("Keys: lesson"));
    assert!(text.contains("diagram step forward / back"));
    keys(&mut a, "?");
    assert_eq!(a.screen(), ScreenId::Lesson);
}

#[test]
fn the_lab_and_quiz_rows_open_their_screens() {
    let mut a = app(80, 24);
    // The last row is the mastery picture, Drills above it, under the four
    // quiz modes.
    keys(&mut a, "Gk<ret>");
    assert_eq!(a.screen(), ScreenId::Drill);
    keys(&mut a, "<esc>");
    assert_eq!(a.screen(), ScreenId::Home);
    // Practice is five above the end.
    keys(&mut a, "Gkkkkk<ret>");
    assert_eq!(a.screen(), ScreenId::QuizSetup);
    keys(&mut a, "<esc>");
    assert_eq!(a.screen(), ScreenId::Home);
    // The row above the quiz is the envelope walkthrough.
    keys(&mut a, "Gkkkkkk<ret>");
    assert_eq!(a.screen(), ScreenId::Envelope);
    keys(&mut a, "<esc>");
    assert_eq!(a.screen(), ScreenId::Home);
    // Above it, the last lab: Enter opens it.
    keys(&mut a, "Gkkkkkkk<ret>");
    assert_eq!(a.screen(), ScreenId::LabEditor);
    let last = tui_common::pack().labs.len();
    assert!(screen_text(&a, 80, 24).contains(&format!("Lab {last} ·")));
}

#[test]
fn a_corrupt_progress_file_is_reported_on_the_home_screen() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("progress.json"), "{ not json")
        .unwrap_or_else(|e| panic!("{e}"));
    let a = app_with(100, 30, true, Box::new(FileStore::new(dir.path())));
    let text = screen_text(&a, 100, 30);
    assert!(text.contains("could not be read"), "{text}");
    assert!(text.contains(".corrupt"), "{text}");
    assert_eq!(a.notices().len(), 1);
}

#[test]
fn resizing_reflows_and_a_small_terminal_gets_a_message() {
    let mut a = app(120, 40);
    keys(&mut a, "<ret>");
    a.handle(Event::Resize(70, 20));
    let text = screen_text(&a, 70, 20);
    assert!(
        text.contains("terminal too small (need 80x24, have 70x20)"),
        "{text}"
    );
    // Keys other than quit do nothing while too small.
    keys(&mut a, "j");
    assert_eq!(
        a.find::<keyshake::tui::screens::lesson::LessonScreen>()
            .map(|l| l.scroll()),
        Some(0)
    );
    a.handle(Event::Resize(80, 24));
    let text = screen_text(&a, 80, 24);
    assert!(text.contains("The problem"), "{text}");
    let widest = a
        .find::<keyshake::tui::screens::lesson::LessonScreen>()
        .map(|l| l.body_lines().iter().map(|l| l.width()).max().unwrap_or(0))
        .unwrap_or(0);
    assert!(
        widest <= 76,
        "lines wider than the 80-column body: {widest}"
    );
}

#[test]
fn a_store_that_cannot_save_keeps_going_and_says_so() {
    struct Broken(MemStore);
    impl ProgressStore for Broken {
        fn load(
            &mut self,
            now: u64,
        ) -> Result<keyshake::core::progress::Loaded, keyshake::core::progress::StoreError>
        {
            self.0.load(now)
        }
        fn update(
            &mut self,
            _now: u64,
            _change: &mut dyn FnMut(&mut Progress),
        ) -> Result<keyshake::core::progress::Loaded, keyshake::core::progress::StoreError>
        {
            Err(keyshake::core::progress::StoreError::NoDataDir)
        }
    }
    let mut a = app_with(80, 24, true, Box::new(Broken(MemStore::default())));
    keys(&mut a, "<sel:lesson:handshake><ret>G2<ret>");
    assert!(a.progress().checkpoint("handshake-both-halves").is_some());
    assert_eq!(a.notices().len(), 1, "one notice, not one per save");
    assert!(screen_text(&a, 80, 24).contains("Progress not saved"));
}

#[test]
fn every_screen_draws_at_any_size_without_panicking() {
    let states = [
        "",
        "G<ret>",
        "<sel:lesson:handshake><ret><tab-to:diagram><right>",
        "<sel:lesson:handshake><ret>G1<ret>",
        "/gr",
        "/alias<ret>",
        "<ret>?",
    ];
    for macro_ in states {
        let mut a = app(80, 24);
        keys(&mut a, macro_);
        for (w, h) in [
            (1, 1),
            (20, 5),
            (79, 24),
            (80, 23),
            (80, 24),
            (81, 25),
            (100, 30),
            (200, 60),
        ] {
            a.handle(Event::Resize(w, h));
            let text = screen_text(&a, w, h);
            assert!(!text.trim().is_empty(), "{macro_} at {w}x{h} drew nothing");
            // Scrolling and stepping after a resize stay in bounds.
            keys(&mut a, "G<pgdn>j<right>g<pgup>k");
        }
    }
}

#[test]
fn ascii_mode_draws_only_ascii() {
    let store = Box::new(MemStore::default());
    let mut a = keyshake::tui::app::App::new(keyshake::tui::app::Setup {
        pack: tui_common::pack(),
        pack_label: "built-in".into(),
        store,
        progress_path: "/tmp/progress.json".into(),
        theme: keyshake::tui::theme::Theme::new(true),
        ascii: true,
        area: ratatui::layout::Rect::new(0, 0, 100, 30),
        clock: || 1,
        quiz_seed: None,
        envelope_seed: None,
        profile: None,
    });
    let odd = |text: &str| text.chars().filter(|c| !c.is_ascii()).collect::<String>();
    // The course map and the help over it are all our own drawing.
    for macro_ in ["", "?"] {
        keys(&mut a, macro_);
        let text = screen_text(&a, 100, 30);
        assert!(odd(&text).is_empty(), "non-ASCII after {macro_:?}:\n{text}");
    }
    // In a lesson the text is the course's own (it may say "Press →");
    // the header, status line, hint bar and checkpoint marks are ours.
    keys(
        &mut a,
        "<esc><sel:lesson:handshake><ret><tab-to:diagram><right>G1<ret>",
    );
    let text = screen_text(&a, 100, 30);
    let lines: Vec<&str> = text.lines().collect();
    for row in [0, 1, 2, 28, 29] {
        assert!(odd(lines[row]).is_empty(), "row {row}: {}", lines[row]);
    }
    for line in lines
        .iter()
        .filter(|l| l.contains("Checkpoint") || l.contains(") "))
    {
        assert!(odd(line).is_empty(), "{line}");
    }
    assert!(text.contains("[x] Not quite"), "{text}");
}

#[test]
fn tab_reaches_an_off_screen_checkpoint_and_digits_then_answer_it() {
    let (store, boxed) = shared();
    let mut a = app_with(80, 24, true, boxed);
    keys(&mut a, "<sel:lesson:handshake><ret>");
    assert!(!screen_text(&a, 80, 24).contains("Checkpoint 1 of 2"));
    // The section's diagram first, then its first checkpoint, scrolled in.
    keys(&mut a, "<tab-to:diagram><tab-to:checkpoint>");
    assert!(screen_text(&a, 80, 24).contains("▶ Checkpoint 1 of 2"));
    let (right, _) = right_and_wrong("handshake-both-halves");
    let k = key_of(&a, "handshake-both-halves", right);
    keys(&mut a, &format!("{k}<ret>"));
    assert_eq!(
        saved(&store)
            .checkpoint("handshake-both-halves")
            .map(|r| (r.correct, r.attempts)),
        Some((true, 1))
    );
    assert!(saved(&store).checkpoint("handshake-iam-alone").is_none());
}
