use super::*;
use crate::core::content::Objective;
use crate::core::quiz::schedule::DAY;

fn answer(id: &str, at: u64, correct: bool) -> AnswerRecord {
    AnswerRecord {
        question: id.into(),
        at,
        mode: "practice".into(),
        correct,
        ..AnswerRecord::default()
    }
}

#[test]
fn missed_lists_latest_wrong_first_until_answered_right() {
    let mut q = QuizProgress::default();
    q.record_answer(answer("a", 10, false));
    q.record_answer(answer("b", 20, false));
    q.record_answer(answer("c", 30, true));
    q.record_answer(answer("d", 40, false));
    assert_eq!(q.missed(), vec!["d", "b", "a"]);
    q.record_answer(answer("b", 50, true));
    q.record_answer(answer("c", 60, false));
    assert_eq!(q.missed(), vec!["c", "d", "a"]);
}

#[test]
fn due_counts_only_cards_due_by_today() {
    let mut q = QuizProgress::default();
    let day0 = 1_000 * DAY;
    q.record_answer(answer("right", day0, true)); // due day 1002
    q.record_answer(answer("wrong", day0, false)); // due day 1001
    q.record_answer(answer("twice", day0 - 2 * DAY, true)); // due 1000
    q.record_answer(answer("twice", day0, true)); // due 1011
    assert!(q.due(day0).is_empty());
    assert_eq!(q.due(day0 + DAY), vec!["wrong"]);
    assert_eq!(q.next_due_day(day0), Some(1_001));
    assert_eq!(q.due(day0 + 2 * DAY), vec!["right", "wrong"]);
    assert_eq!(q.due(day0 + 11 * DAY).len(), 3);
}

#[test]
fn a_cram_answer_moves_no_card() {
    let mut q = QuizProgress::default();
    q.record_answer(answer("a", 10 * DAY, true));
    let before = q.schedule.clone();
    q.record_answer(AnswerRecord {
        mode: CRAM_MODE.into(),
        ..answer("a", 11 * DAY, false)
    });
    assert_eq!(q.schedule, before);
    assert_eq!(q.answers.len(), 2);
}

#[test]
fn a_missed_checkpoint_joins_the_schedule_a_right_one_does_not() {
    let mut q = QuizProgress::default();
    q.schedule_checkpoint("c-right", true, 5 * DAY);
    q.schedule_checkpoint("c-wrong", false, 5 * DAY);
    assert_eq!(
        q.schedule.keys().collect::<Vec<_>>(),
        vec!["checkpoint:c-wrong"]
    );
    q.schedule_checkpoint("c-wrong", true, 6 * DAY);
    assert_eq!(q.schedule["checkpoint:c-wrong"].repetitions, 2);
}

#[test]
fn home_shows_due_best_exam_and_last_score_per_objective() {
    let pack = Pack {
        objectives: vec![
            Objective {
                id: "handshake".into(),
                title: "Handshake".into(),
            },
            Objective {
                id: "aliases".into(),
                title: "Aliases".into(),
            },
        ],
        ..Pack::default()
    };
    let mut q = QuizProgress::default();
    let exam = |at, percent, handshake: Option<Tally>| {
        let mut e = ExamRecord {
            at,
            percent,
            ..ExamRecord::default()
        };
        if let Some(t) = handshake {
            e.objectives.insert("handshake".into(), t);
        }
        e
    };
    q.record_exam(exam(100, 60, Some(Tally { right: 1, total: 4 })));
    q.record_exam(exam(200, 85, None));
    q.record_exam(exam(300, 85, Some(Tally { right: 3, total: 3 })));
    q.record_exam(exam(400, 40, None));
    let home = q.summary(&pack, 500);
    assert_eq!(home.best_exam, Some((85, 200)));
    assert_eq!(home.exams_taken, 4);
    assert_eq!(
        home.last_by_objective,
        vec![
            (
                "handshake".to_string(),
                "Handshake".to_string(),
                Some(Tally { right: 3, total: 3 })
            ),
            ("aliases".to_string(), "Aliases".to_string(), None),
        ]
    );
    // Answers to questions not in the pack are kept but not counted.
    q.record_answer(answer("gone", 0, false));
    assert_eq!(q.summary(&pack, 10 * DAY).due_today, 0);
    assert_eq!(q.due(10 * DAY), vec!["gone"]);
}

#[test]
fn tally_percent_rounds_to_nearest() {
    assert_eq!(Tally { right: 2, total: 3 }.percent(), 67);
    assert_eq!(Tally { right: 1, total: 3 }.percent(), 33);
    assert_eq!(Tally { right: 1, total: 8 }.percent(), 13);
    assert_eq!(Tally { right: 0, total: 0 }.percent(), 0);
}

#[test]
fn a_long_history_is_compacted_keeping_every_first_answer_and_the_latest() {
    let mut quiz = QuizProgress::default();
    for i in 0..(MAX_ANSWERS as u64 + 1) {
        quiz.record_answer(AnswerRecord {
            question: format!("q{}", i % 50),
            at: i,
            correct: i % 2 == 0,
            ..AnswerRecord::default()
        });
    }
    assert!(
        quiz.answers.len() <= KEEP_ANSWERS + 50,
        "{}",
        quiz.answers.len()
    );
    for q in 0..50 {
        let first = quiz.answers.iter().find(|a| a.question == format!("q{q}"));
        assert_eq!(first.map(|a| a.at), Some(q), "first answer of q{q} kept");
    }
    assert_eq!(quiz.answers.last().map(|a| a.at), Some(MAX_ANSWERS as u64));
    let mut times: Vec<u64> = quiz.answers.iter().map(|a| a.at).collect();
    let sorted = times.clone();
    times.sort_unstable();
    assert_eq!(times, sorted, "order kept");
}
