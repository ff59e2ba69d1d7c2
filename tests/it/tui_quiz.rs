//! The full-screen quiz driven by keys with a clock the test moves (no
//! real waiting): practice feedback and recording, exams with flags, the
//! grid, the two-minute warning, auto-submit and the score report.

use crate::tui_common;

use std::cell::Cell;

use keyshake::core::content::QuestionKind;
use keyshake::core::progress::{MemStore, Progress, ProgressStore};
use keyshake::core::quiz::{self, Mode, Settings};
use keyshake::tui::action::Action;
use keyshake::tui::app::{App, Setup};
use keyshake::tui::keymap::ScreenId;
use keyshake::tui::theme::Theme;
use ratatui::layout::Rect;
use tui_common::{NOW, SharedStore, keys, pack, screen_text};

thread_local! {
    // Each test runs on its own thread, so each has its own clock.
    static CLOCK: Cell<u64> = const { Cell::new(NOW) };
}

fn clock() -> u64 {
    CLOCK.with(Cell::get)
}

fn set_clock(t: u64) {
    CLOCK.with(|c| c.set(t));
}

fn quiz_app(store: Box<dyn ProgressStore>) -> App {
    quiz_app_ascii(store, false)
}

fn quiz_app_ascii(store: Box<dyn ProgressStore>, ascii: bool) -> App {
    set_clock(NOW);
    App::new(Setup {
        pack: pack(),
        pack_label: "built-in".into(),
        store,
        progress_path: "/tmp/progress.json".into(),
        theme: Theme::new(true),
        ascii,
        area: Rect::new(0, 0, 80, 24),
        clock,
        quiz_seed: Some(7),
        envelope_seed: None,
        profile: None,
    })
}

fn shared() -> (SharedStore, App) {
    let s = SharedStore::default();
    let a = quiz_app(Box::new(s.clone()));
    (s, a)
}

fn saved(s: &SharedStore) -> Progress {
    s.0.borrow().progress.clone()
}

/// The course map's quiz rows, by mode.
const EXAM: &str = "<sel:quiz:exam>";
const PRACTICE: &str = "<sel:quiz:practice>";

fn session(a: &App) -> quiz::Session {
    match a.find::<keyshake::tui::screens::quiz::QuizScreen>() {
        Some(q) => q.session().clone(),
        None => panic!("no quiz open; screen {:?}", a.screen()),
    }
}

/// The key that answers the question on screen right (single choice,
/// true/false, or a policy question without a reason).
fn right_key(a: &App) -> String {
    let s = session(a);
    let item = s.current_item().unwrap_or_else(|| panic!("no question"));
    match item.question.kind {
        QuestionKind::Policy => {
            let p = item
                .question
                .policy
                .as_ref()
                .unwrap_or_else(|| panic!("policy"));
            match p.verdict {
                keyshake::core::world::Verdict::Allow => "a".into(),
                keyshake::core::world::Verdict::Deny if item.question.ask_reason => {
                    let i = keyshake::core::quiz::labels::DENY_REASONS
                        .iter()
                        .position(|r| *r == p.reason)
                        .unwrap_or(0);
                    format!("b{}", char::from(b'a' + u8::try_from(i).unwrap_or(0)))
                }
                keyshake::core::world::Verdict::Deny => "b".into(),
            }
        }
        _ => item
            .right_shown()
            .iter()
            .map(|&i| char::from(b'a' + u8::try_from(i).unwrap_or(0)))
            .collect(),
    }
}

fn answer_right(a: &mut App) {
    let k = right_key(a);
    keys(a, &k);
}

#[test]
fn home_lists_the_quiz_modes_with_the_due_count_and_opens_the_setup() {
    let mut store = MemStore::default();
    store.progress.quiz.record_answer(quiz::AnswerRecord {
        question: pack().questions[0].id.clone(),
        at: NOW - 3 * 86_400,
        mode: "practice".into(),
        correct: false,
        ..Default::default()
    });
    let mut a = quiz_app(Box::new(store));
    // The last row is the mastery picture, then Drills; the quiz modes are
    // above them.
    keys(&mut a, "G");
    let text = screen_text(&a, 80, 24);
    for row in ["Practice", "Exam", "Review", "Missed", "Mastery:"] {
        assert!(text.contains(row), "{row}:\n{text}");
    }
    assert!(text.contains("1 due today"), "{text}");
    assert!(text.contains("1 to retry"), "{text}");
    // The bank's first-try score: the one answer was wrong.
    assert!(text.contains("first try 0 of 1 right (0%)"), "{text}");
    assert!(!text.contains("Quiz — not built"), "{text}");
    keys(&mut a, "kkk<ret>");
    assert_eq!(a.screen(), ScreenId::QuizSetup);
    let text = screen_text(&a, 80, 24);
    assert!(text.contains("Due for review today: 1"), "{text}");
    assert!(text.contains("(1 due today)"), "{text}");
    keys(&mut a, "q");
    assert_eq!(a.screen(), ScreenId::Home);
}

#[test]
fn practice_checks_each_answer_at_once_and_records_it() {
    let (store, mut a) = shared();
    keys(&mut a, &format!("{PRACTICE}<ret>s"));
    assert_eq!(a.screen(), ScreenId::Quiz);
    assert_eq!(session(&a).mode(), Mode::Practice);
    assert_eq!(a.deadline(), None, "practice must not tick");
    // Answer until a single-choice question comes, wrongly.
    let mut guard = 0;
    while session(&a)
        .current_item()
        .is_some_and(|i| i.question.kind != QuestionKind::Single)
    {
        let k = right_key(&a);
        set_clock(clock() + 5);
        keys(&mut a, &format!("{k}<ret>"));
        guard += 1;
        assert!(guard < 20, "no single-choice question in the practice");
    }
    let before = saved(&store).quiz.answers.len();
    let s = session(&a);
    let item = s.current_item().unwrap_or_else(|| panic!("question"));
    let wrong = (0..item.order.len())
        .find(|i| !item.right_shown().contains(i))
        .unwrap_or(0);
    set_clock(clock() + 12);
    keys(
        &mut a,
        &char::from(b'a' + u8::try_from(wrong).unwrap_or(0)).to_string(),
    );
    let text = screen_text(&a, 80, 24);
    assert!(text.contains("✗ Not right."), "{text}");
    assert!(text.contains("The answer:"), "{text}");
    assert!(text.contains("Why:"), "{text}");
    let p = saved(&store);
    assert_eq!(p.quiz.answers.len(), before + 1);
    let last = p.quiz.answers.last().unwrap_or_else(|| panic!("answer"));
    assert_eq!(last.question, item.question.id);
    assert!(!last.correct);
    assert_eq!(last.mode, "practice");
    assert_eq!(last.seconds, 12);
    assert!(p.quiz.schedule.contains_key(&item.question.id));
    // Enter moves on to the next question.
    let index = session(&a).current();
    let last = index + 1 == session(&a).len();
    keys(&mut a, "<ret>");
    if !last {
        assert_eq!(session(&a).current(), index + 1);
    }
    assert!(!screen_text(&a, 80, 24).contains("Not right"));
}

#[test]
fn a_right_answer_gets_a_tick_and_the_source() {
    let (_store, mut a) = shared();
    keys(&mut a, &format!("{PRACTICE}<ret>s"));
    let k = right_key(&a);
    keys(&mut a, &k);
    if session(&a).given(0).is_none() {
        keys(&mut a, "<ret>");
    }
    let text = screen_text(&a, 120, 40);
    assert!(text.contains("✓ Right."), "{text}");
    assert!(
        text.contains("Source: https://docs.aws.amazon.com"),
        "{text}"
    );
}

#[test]
fn multiple_answer_toggles_then_enter_checks_all_or_nothing() {
    let pack = pack();
    let q = pack
        .questions
        .iter()
        .find(|q| q.kind == QuestionKind::Multiple)
        .unwrap_or_else(|| panic!("a choose-two question"));
    let mut settings = Settings::new(Mode::Practice);
    settings.objectives = q.objectives.clone();
    let (store, mut a) = shared();
    // A session of just that question.
    let item = quiz::Item {
        question: q.clone(),
        order: (0..q.choices.len()).collect(),
    };
    let s = quiz::Session::new(
        Mode::Practice,
        vec![item],
        pack.objectives.clone(),
        (0, 72),
        Some(1),
        NOW,
    );
    a.update(Action::StartQuiz(Box::new(s)));
    let right: Vec<usize> = q.answer.clone();
    let first = char::from(b'a' + u8::try_from(right[0]).unwrap_or(0));
    keys(&mut a, &format!("{first}<ret>"));
    let text = screen_text(&a, 80, 24);
    assert!(
        text.contains(&format!("Choose {}, then press Enter.", q.pick)),
        "{text}"
    );
    assert!(saved(&store).quiz.answers.is_empty());
    // Toggle a choice on and off again: it does not count.
    let wrong = (0..q.choices.len())
        .find(|i| !right.contains(i))
        .unwrap_or(0);
    let w = char::from(b'a' + u8::try_from(wrong).unwrap_or(0));
    keys(&mut a, &format!("{w}{w}"));
    for r in &right[1..] {
        keys(
            &mut a,
            &char::from(b'a' + u8::try_from(*r).unwrap_or(0)).to_string(),
        );
    }
    keys(&mut a, "<ret>");
    let text = screen_text(&a, 120, 40);
    assert!(text.contains("✓ Right."), "{text}");
    assert_eq!(saved(&store).quiz.answers.len(), 1);
    // The only question: Enter shows the summary, Enter again goes back.
    keys(&mut a, "<ret>");
    let text = screen_text(&a, 80, 24);
    assert!(text.contains("Done: 1 of 1 right (100%)."), "{text}");
    keys(&mut a, "<ret>");
    assert_eq!(a.screen(), ScreenId::Home);
}

#[test]
fn policy_question_asks_allow_or_deny_then_why_and_v_shows_the_scenario() {
    let pack = pack();
    let q = pack
        .questions
        .iter()
        .find(|q| {
            q.kind == QuestionKind::Policy
                && q.ask_reason
                && q.policy
                    .as_ref()
                    .is_some_and(|p| p.verdict == keyshake::core::world::Verdict::Deny)
        })
        .unwrap_or_else(|| panic!("a policy question that asks why"));
    let (store, mut a) = shared();
    let item = quiz::Item {
        question: q.clone(),
        order: Vec::new(),
    };
    let s = quiz::Session::new(
        Mode::Practice,
        vec![item],
        pack.objectives.clone(),
        (0, 72),
        Some(1),
        NOW,
    );
    a.update(Action::StartQuiz(Box::new(s)));
    let text = screen_text(&a, 120, 40);
    assert!(text.contains("a) ALLOW"), "{text}");
    assert!(text.contains("b) DENY"), "{text}");
    keys(&mut a, "v");
    let text = screen_text(&a, 120, 40);
    assert!(
        text.contains("--- end of scenario ---") || text.contains("↓ more"),
        "{text}"
    );
    assert!(text.contains("---"), "{text}");
    keys(&mut a, "vb");
    let text = screen_text(&a, 120, 40);
    assert!(text.contains("Why is it denied?"), "{text}");
    // Esc goes back to ALLOW / DENY without stopping; b asks again.
    keys(&mut a, "<esc>");
    assert_eq!(a.screen(), ScreenId::Quiz);
    assert!(!screen_text(&a, 120, 40).contains("Why is it denied?"));
    keys(&mut a, "b");
    assert!(
        saved(&store).quiz.answers.is_empty(),
        "DENY alone is not an answer yet"
    );
    let k = right_key(&a);
    keys(&mut a, &k[1..]);
    let text = screen_text(&a, 120, 40);
    assert!(text.contains("✓ Right."), "{text}");
    let p = saved(&store);
    let rec = p.quiz.answers.last().unwrap_or_else(|| panic!("saved"));
    assert_eq!(rec.verdict.as_deref(), Some("deny"));
    assert!(rec.reason.is_some());
}

fn start_exam(a: &mut App) {
    keys(a, &format!("{EXAM}<ret>"));
    assert_eq!(a.screen(), ScreenId::QuizSetup);
    keys(a, "s");
    assert_eq!(a.screen(), ScreenId::Quiz);
    assert_eq!(session(a).mode(), Mode::Exam);
    assert_eq!(session(a).len(), 20);
}

#[test]
fn exam_ticks_only_while_it_runs_warns_at_two_minutes_and_submits_at_zero() {
    let (store, mut a) = shared();
    assert_eq!(a.deadline(), None, "the course map must not tick");
    start_exam(&mut a);
    let d = a
        .deadline()
        .unwrap_or_else(|| panic!("a running exam ticks"));
    assert!(d <= std::time::Instant::now() + std::time::Duration::from_secs(1));
    answer_right(&mut a);
    let text = screen_text(&a, 80, 24);
    assert!(text.contains("30:00 left"), "{text}");
    assert!(!text.contains("Right"), "no feedback in an exam:\n{text}");
    // 27:59 later: 2:01 left, no warning yet.
    set_clock(NOW + 30 * 60 - 121);
    a.tick();
    assert!(
        a.find::<keyshake::tui::screens::quiz::QuizScreen>()
            .is_some_and(|q| !q.warned())
    );
    assert!(screen_text(&a, 80, 24).contains("2:01 left"));
    set_clock(NOW + 30 * 60 - 120);
    a.tick();
    assert!(
        a.find::<keyshake::tui::screens::quiz::QuizScreen>()
            .is_some_and(|q| q.warned())
    );
    let text = screen_text(&a, 80, 24);
    assert!(
        text.contains("2:00 left: the exam is submitted automatically"),
        "{text}"
    );
    assert!(saved(&store).quiz.exams.is_empty());
    // Time runs out: submitted without a key, the report shows.
    set_clock(NOW + 30 * 60 + 3);
    a.tick();
    assert_eq!(a.screen(), ScreenId::QuizReport);
    assert_eq!(a.deadline(), None, "the report does not tick");
    let text = screen_text(&a, 80, 24);
    assert!(
        text.contains("Score: 1 of 20 right (5%). Pass mark 72%: FAIL"),
        "{text}"
    );
    assert!(text.contains("the time ran out"), "{text}");
    let p = saved(&store);
    assert_eq!(p.quiz.exams.len(), 1);
    let exam = &p.quiz.exams[0];
    assert!(exam.auto_submitted);
    assert_eq!(exam.at, NOW + 30 * 60);
    assert_eq!(exam.seed, Some(7));
    assert_eq!(p.quiz.answers.iter().filter(|a| !a.unanswered).count(), 1);
    assert!(p.quiz.answers.iter().all(|a| a.mode == "exam"));
    keys(&mut a, "q");
    assert_eq!(a.screen(), ScreenId::Home);
    let text = screen_text(&a, 80, 24);
    keys(&mut a, EXAM);
    assert!(
        screen_text(&a, 80, 24).contains("best 5% of 1 taken"),
        "{text}"
    );
}

#[test]
fn exam_moves_back_and_forth_flags_shows_the_grid_and_submits_after_confirming() {
    let (store, mut a) = shared();
    start_exam(&mut a);
    // Answer 1 and 2 right, flag 2, skip 3, come back to 2.
    answer_right(&mut a);
    assert_eq!(session(&a).current(), 0, "an exam answer stays on screen");
    keys(&mut a, "n");
    answer_right(&mut a);
    keys(&mut a, "f");
    assert!(screen_text(&a, 80, 24).contains("⚑ flagged"));
    keys(&mut a, "nn");
    assert_eq!(session(&a).current(), 3);
    keys(&mut a, "pp");
    assert_eq!(session(&a).current(), 1);
    assert!(session(&a).is_flagged(1));
    let text = screen_text(&a, 80, 24);
    assert!(
        text.contains("Question 2 of 20  ⚑ flagged  2 answered"),
        "{text}"
    );
    keys(&mut a, "r");
    let text = screen_text(&a, 80, 24);
    assert!(text.contains("Review grid"), "{text}");
    assert!(text.contains("Answered: 1-2"), "{text}");
    assert!(text.contains("Unanswered: 3-20"), "{text}");
    assert!(text.contains("Flagged: 2"), "{text}");
    // Grid cursor to question 5, Enter opens it.
    keys(&mut a, "nnn<ret>");
    assert_eq!(session(&a).current(), 4);
    // Submitting with questions unanswered asks first.
    keys(&mut a, "s");
    assert_eq!(a.screen(), ScreenId::Quiz);
    assert!(screen_text(&a, 80, 24).contains("18 questions are unanswered"));
    set_clock(NOW + 600);
    keys(&mut a, "s");
    assert_eq!(a.screen(), ScreenId::QuizReport);
    let text = screen_text(&a, 120, 40);
    assert!(
        text.contains("Score: 2 of 20 right (10%). Pass mark 72%: FAIL"),
        "{text}"
    );
    assert!(text.contains("Time used: 10:00 (submitted)"), "{text}");
    assert!(text.contains("By objective"), "{text}");
    assert!(text.contains("2. ✓ right  ⚑ flagged"), "{text}");
    let p = saved(&store);
    assert_eq!(p.quiz.exams.len(), 1);
    assert!(!p.quiz.exams[0].auto_submitted);
    assert_eq!(p.quiz.answers.iter().filter(|a| !a.unanswered).count(), 2);
    assert_eq!(p.quiz.answers.len(), 20, "the unanswered go into Missed");
    // The report scrolls to every answer.
    keys(&mut a, "G");
    let text = screen_text(&a, 120, 40);
    assert!(text.contains("20. ✗ wrong"), "{text}");
    assert!(text.contains("Your answer: (no answer)"), "{text}");
}

#[test]
fn stopping_an_exam_asks_first_keeps_the_answers_and_records_no_score() {
    let (store, mut a) = shared();
    start_exam(&mut a);
    answer_right(&mut a);
    keys(&mut a, "q");
    assert_eq!(a.screen(), ScreenId::Quiz);
    assert!(screen_text(&a, 80, 24).contains("Press q again to stop"));
    keys(&mut a, "q");
    assert_eq!(a.screen(), ScreenId::Home);
    let p = saved(&store);
    assert!(p.quiz.exams.is_empty());
    assert_eq!(p.quiz.answers.len(), 1);
    assert_eq!(a.deadline(), None);
    // The instructor's export sees it as abandoned, with its one answer.
    assert_eq!(p.quiz.abandoned.len(), 1);
    let left = &p.quiz.abandoned[0];
    assert!(left.abandoned && !left.passed);
    assert_eq!(left.score.right, 1);
    assert_eq!(left.questions.len(), 20);
    assert_eq!(left.minutes, Some(30));
}

#[test]
fn review_with_nothing_due_says_so_in_the_setup() {
    let (_store, mut a) = shared();
    keys(&mut a, "<sel:quiz:review><ret>s");
    assert_eq!(a.screen(), ScreenId::QuizSetup);
    let text = screen_text(&a, 80, 24);
    assert!(text.contains("Nothing to review yet"), "{text}");
    // The whole message is on screen, wrapped.
    assert!(text.contains("exam."), "{text}");
}

#[test]
fn the_same_seed_gives_the_same_exam() {
    let (_s1, mut a) = shared();
    start_exam(&mut a);
    let (_s2, mut b) = shared();
    start_exam(&mut b);
    let ids = |a: &App| -> Vec<String> {
        session(a)
            .items()
            .iter()
            .map(|i| i.question.id.clone())
            .collect()
    };
    assert_eq!(ids(&a), ids(&b));
}

#[test]
fn time_up_under_the_help_overlay_still_submits_and_shows_the_report() {
    let (store, mut a) = shared();
    start_exam(&mut a);
    keys(&mut a, "?");
    assert_eq!(a.screen(), ScreenId::Help);
    assert!(
        a.deadline().is_some(),
        "the exam under help keeps its timer"
    );
    set_clock(NOW + 30 * 60);
    a.tick();
    assert_eq!(a.screen(), ScreenId::QuizReport);
    assert_eq!(saved(&store).quiz.exams.len(), 1);
    keys(&mut a, "q");
    assert_eq!(a.screen(), ScreenId::Home);
}

#[test]
fn right_is_green_wrong_is_red_and_pass_fail_are_coloured() {
    use ratatui::style::Color;
    let (_store, mut a) = shared();
    keys(&mut a, &format!("{PRACTICE}<ret>s"));
    // Find a single-choice question and answer it wrongly.
    while session(&a)
        .current_item()
        .is_some_and(|i| i.question.kind != QuestionKind::Single)
    {
        answer_right(&mut a);
        keys(&mut a, "<ret>");
    }
    let s = session(&a);
    let item = s.current_item().unwrap_or_else(|| panic!("question"));
    let wrong = (0..item.order.len())
        .find(|i| !item.right_shown().contains(i))
        .unwrap_or(0);
    keys(
        &mut a,
        &char::from(b'a' + u8::try_from(wrong).unwrap_or(0)).to_string(),
    );
    let t = tui_common::terminal(&a, 80, 24);
    let (x, y) = tui_common::find(&t, "✗ Not right").unwrap_or_else(|| panic!("no ✗"));
    assert_eq!(t.backend().buffer()[(x, y)].fg, Color::Red);
    // The right choice is marked with a green tick.
    let (x, y) = tui_common::find(&t, "✓ ").unwrap_or_else(|| panic!("no ✓"));
    assert_eq!(t.backend().buffer()[(x, y)].fg, Color::Green);
    // An exam failed: FAIL in red.
    let (_store, mut b) = shared();
    start_exam(&mut b);
    keys(&mut b, "ss");
    let t = tui_common::terminal(&b, 80, 24);
    let (x, y) = tui_common::find(&t, "FAIL").unwrap_or_else(|| panic!("no FAIL"));
    assert_eq!(t.backend().buffer()[(x, y)].fg, Color::Red);
}

#[test]
fn ascii_mode_draws_the_quiz_with_ascii_only() {
    let mut a = quiz_app_ascii(Box::new(MemStore::default()), true);
    let non_ascii = |t: &str| t.chars().filter(|c| !c.is_ascii()).collect::<String>();
    keys(&mut a, &format!("{EXAM}<ret>"));
    let text = screen_text(&a, 80, 24);
    assert_eq!(non_ascii(&text), "", "{text}");
    keys(&mut a, "s");
    answer_right(&mut a);
    keys(&mut a, "f");
    let text = screen_text(&a, 80, 24);
    assert_eq!(non_ascii(&text), "", "{text}");
    assert!(text.contains("! flagged"), "{text}");
    keys(&mut a, "r");
    let text = screen_text(&a, 80, 24);
    assert_eq!(non_ascii(&text), "", "{text}");
    keys(&mut a, "<esc>ss");
    let text = screen_text(&a, 80, 24);
    assert!(text.contains("FAIL"), "{text}");
    assert_eq!(non_ascii(&text), "", "{text}");
}

/// The quiz app on a pack whose `[exam]` table is `controls`.
fn controlled(controls: keyshake::core::quiz::controls::ExamControls) -> (SharedStore, App) {
    let store = SharedStore::default();
    let mut p = pack();
    p.info.exam = controls;
    set_clock(NOW);
    let a = App::new(Setup {
        pack: p,
        pack_label: "built-in".into(),
        profile: None,
        store: Box::new(store.clone()),
        progress_path: "/tmp/progress.json".into(),
        theme: Theme::new(true),
        ascii: false,
        area: Rect::new(0, 0, 80, 24),
        clock,
        quiz_seed: Some(7),
        envelope_seed: None,
    });
    (store, a)
}

#[test]
fn the_full_screen_exam_saves_answers_as_given_hides_the_review_and_limits_attempts() {
    let (store, mut a) = controlled(keyshake::core::quiz::controls::ExamControls {
        attempts: Some(1),
        hide_review: true,
        ..Default::default()
    });
    start_exam(&mut a);
    answer_right(&mut a);
    // Saved before the exam ends: the draft holds the answer.
    let p = saved(&store);
    assert_eq!(p.quiz.open_exams.len(), 1);
    assert_eq!(p.quiz.open_exams[0].answers.len(), 1);
    assert_eq!(p.quiz.attempts(7), 1);
    keys(&mut a, "ss");
    assert_eq!(a.screen(), ScreenId::QuizReport);
    let text = screen_text(&a, 120, 40);
    assert!(text.contains("Score: 1 of 20 right"), "{text}");
    assert!(
        text.contains("Answers and explanations are hidden until your instructor allows them"),
        "{text}"
    );
    assert!(!text.contains("Your answers"), "{text}");
    let p = saved(&store);
    assert!(p.quiz.open_exams.is_empty(), "submitted: no draft left");
    assert_eq!(p.quiz.exams.len(), 1);
    // The second attempt with seed 7 is refused in the setup.
    keys(&mut a, "q");
    keys(&mut a, &format!("{EXAM}<ret>"));
    keys(&mut a, "s");
    assert_eq!(a.screen(), ScreenId::QuizSetup);
    let text = screen_text(&a, 100, 30);
    assert!(text.contains("No attempts left"), "{text}");
}
