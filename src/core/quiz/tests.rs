use super::*;
use crate::core::content::{Objective, PolicyAnswer};
use crate::core::quiz::schedule::DAY;
use crate::core::world::{Reason, Verdict};

const T0: u64 = 1_800_000_000;

fn q(id: &str, kind: QuestionKind, objective: &str, answer: &[usize]) -> Question {
    let choices: Vec<String> = match kind {
        QuestionKind::TrueFalse => vec!["True".into(), "False".into()],
        QuestionKind::Policy => vec![],
        _ => (0..5).map(|i| format!("{id} choice {i}")).collect(),
    };
    Question {
        id: id.into(),
        kind,
        prompt: format!("prompt of {id}"),
        choices,
        answer: answer.to_vec(),
        pick: if kind == QuestionKind::Multiple {
            answer.len()
        } else {
            1
        },
        explanation: String::new(),
        objectives: vec![objective.into()],
        difficulty: 1,
        source: None,
        scenario: None,
        ask_reason: false,
        policy: None,
        path: String::new(),
        line: 1,
    }
}

fn policy(id: &str, verdict: Verdict, reason: Reason, ask_reason: bool) -> Question {
    let mut question = q(id, QuestionKind::Policy, "handshake", &[]);
    question.ask_reason = ask_reason;
    question.policy = Some(PolicyAnswer {
        verdict,
        reason,
        explanation: String::new(),
    });
    question
}

fn pack() -> Pack {
    let mut questions = Vec::new();
    for (i, o) in ["handshake", "aliases", "envelope"].iter().enumerate() {
        for n in 0..6 {
            let id = format!("{o}-{n}");
            questions.push(match n % 3 {
                0 => q(&id, QuestionKind::Single, o, &[(n + i) % 5]),
                1 => q(&id, QuestionKind::Multiple, o, &[1, 3]),
                _ => q(&id, QuestionKind::TrueFalse, o, &[1]),
            });
        }
    }
    questions.push(policy("pol-allow", Verdict::Allow, Reason::Allowed, true));
    questions.push(policy(
        "pol-deny",
        Verdict::Deny,
        Reason::ImplicitDeny,
        true,
    ));
    questions.push(policy(
        "pol-deny-simple",
        Verdict::Deny,
        Reason::ExplicitDeny,
        false,
    ));
    Pack {
        objectives: ["handshake", "aliases", "envelope"]
            .iter()
            .map(|o| Objective {
                id: (*o).into(),
                title: format!("Title of {o}"),
            })
            .collect(),
        questions,
        ..Pack::default()
    }
}

fn must<T, E: std::fmt::Debug>(r: Result<T, E>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{e:?}"),
    }
}

fn ids(s: &Session) -> Vec<String> {
    s.items().iter().map(|i| i.question.id.clone()).collect()
}

fn settings(mode: Mode, count: Option<usize>) -> Settings {
    Settings {
        count,
        ..Settings::new(mode)
    }
}

#[test]
fn the_same_seed_builds_the_same_quiz_and_another_seed_does_not() {
    let p = pack();
    let progress = QuizProgress::default();
    let s = settings(Mode::Practice, Some(8));
    let a = must(build_seeded(&p, &progress, &s, T0, 7));
    let b = must(build_seeded(&p, &progress, &s, T0 + 999, 7));
    let c = must(build_seeded(&p, &progress, &s, T0, 8));
    assert_eq!(a.items(), b.items());
    assert_ne!(a.items(), c.items());
    assert_eq!(a.seed(), Some(7));
    assert_eq!(a.len(), 8);
}

#[test]
fn shuffled_choices_keep_the_right_answers() {
    let p = pack();
    let mut moved = 0;
    for seed in 0..20 {
        let s = must(build_seeded(
            &p,
            &QuizProgress::default(),
            &settings(Mode::Practice, None),
            T0,
            seed,
        ));
        for item in s.items() {
            let question = &item.question;
            let mut order = item.order.clone();
            order.sort_unstable();
            assert_eq!(order, (0..question.choices.len()).collect::<Vec<_>>());
            if question.kind == QuestionKind::Policy {
                continue;
            }
            let right = item.right_shown();
            // The text shown at the right positions is the text of the
            // file's answers.
            let shown = item.choices();
            let mut right_texts: Vec<&str> = right.iter().map(|&i| shown[i]).collect();
            let mut file_texts: Vec<&str> = question
                .answer
                .iter()
                .map(|&i| question.choices[i].as_str())
                .collect();
            right_texts.sort_unstable();
            file_texts.sort_unstable();
            assert_eq!(right_texts, file_texts, "{}", question.id);
            assert!(item.grade(&Response::Choices(right.clone())));
            if right != question.answer {
                moved += 1;
            }
            if question.kind == QuestionKind::TrueFalse {
                assert_eq!(shown, vec!["True", "False"]);
            }
        }
    }
    assert!(moved > 50, "choices were hardly shuffled ({moved})");
}

#[test]
fn multiple_answer_questions_are_all_or_nothing_and_need_pick_choices() {
    let p = pack();
    let item = Item {
        question: p.questions[1].clone(), // multiple, answer [1, 3]
        order: vec![4, 3, 2, 1, 0],
    };
    assert_eq!(item.right_shown(), vec![1, 3]);
    assert!(item.grade(&Response::Choices(vec![3, 1])));
    assert!(!item.grade(&Response::Choices(vec![1, 2])));
    assert_eq!(
        item.validate(&Response::Choices(vec![1])),
        Err(AnswerError::PickCount {
            expected: 2,
            given: 1
        })
    );
    assert_eq!(
        item.validate(&Response::Choices(vec![1, 7])),
        Err(AnswerError::NoSuchChoice {
            given: 7,
            choices: 5
        })
    );
}

#[test]
fn policy_answers_need_the_engine_verdict_and_reason_when_asked() {
    let p = pack();
    let item = |id: &str| Item {
        question: p
            .questions
            .iter()
            .find(|q| q.id == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id}")),
        order: vec![],
    };
    let deny = |reason| Response::Policy {
        verdict: Verdict::Deny,
        reason,
    };
    let allow = Response::Policy {
        verdict: Verdict::Allow,
        reason: None,
    };
    let d = item("pol-deny");
    assert_eq!(d.validate(&deny(None)), Err(AnswerError::ReasonNeeded));
    assert!(d.grade(&deny(Some(Reason::ImplicitDeny))));
    assert!(!d.grade(&deny(Some(Reason::ExplicitDeny))));
    assert!(!d.grade(&allow));
    assert_eq!(d.right_response(), deny(Some(Reason::ImplicitDeny)));
    let a = item("pol-allow");
    assert!(a.grade(&allow));
    assert_eq!(a.validate(&allow), Ok(()));
    // Every DENY asks why, whatever the file's ask_reason says: a reason
    // prompt on some questions only would give their verdict away.
    let simple = item("pol-deny-simple");
    assert!(simple.asks_reason() && a.asks_reason());
    assert_eq!(simple.validate(&deny(None)), Err(AnswerError::ReasonNeeded));
    assert!(simple.grade(&deny(Some(Reason::ExplicitDeny))));
    assert!(!a.grade(&deny(Some(Reason::ImplicitDeny))));
    assert_eq!(
        simple.validate(&Response::Choices(vec![0])),
        Err(AnswerError::AllowOrDeny)
    );
}

#[test]
fn practice_checks_each_answer_once_and_records_file_indexes() {
    let p = pack();
    let mut s = must(build_seeded(
        &p,
        &QuizProgress::default(),
        &Settings {
            objectives: vec!["aliases".into()],
            ..settings(Mode::Practice, Some(3))
        },
        T0,
        3,
    ));
    assert!(
        s.items()
            .iter()
            .all(|i| i.question.objectives == ["aliases"])
    );
    let right = s.items()[0].right_response();
    let answered = must(s.answer(right.clone(), T0 + 12));
    let Answered::Checked { correct, record } = answered else {
        panic!("practice answers are checked at once")
    };
    assert!(correct);
    assert_eq!(record.seconds, 12);
    assert_eq!(record.mode, "practice");
    let mut file_answer = s.items()[0].question.answer.clone();
    file_answer.sort_unstable();
    assert_eq!(record.chosen, file_answer);
    assert_eq!(s.answer(right, T0 + 13), Err(AnswerError::AlreadyAnswered));
    assert!(!s.prev(T0 + 14), "practice does not go back");
    assert!(s.next(T0 + 20));
    let wrong = match s.items()[1].right_response() {
        Response::Choices(r) => {
            let w: Vec<usize> = (0..5).filter(|i| !r.contains(i)).take(r.len()).collect();
            Response::Choices(w)
        }
        other => other,
    };
    let Answered::Checked { correct, record } = must(s.answer(wrong, T0 + 50)) else {
        panic!("checked")
    };
    assert!(!correct);
    assert_eq!(record.seconds, 30);
    assert_eq!(s.tally(), Tally { right: 1, total: 2 });
}

#[test]
fn unknown_objective_and_bad_settings_are_refused() {
    let p = pack();
    let progress = QuizProgress::default();
    let err = build_seeded(
        &p,
        &progress,
        &Settings {
            objectives: vec!["alias".into()],
            ..settings(Mode::Practice, None)
        },
        T0,
        1,
    );
    assert_eq!(
        err.err().map(|e| e.to_string()).as_deref(),
        Some("unknown objective \"alias\"; the objectives are: handshake, aliases, envelope")
    );
    assert_eq!(
        build_seeded(&p, &progress, &settings(Mode::Exam, Some(0)), T0, 1).err(),
        Some(BuildError::ZeroCount)
    );
    let bad_mark = Settings {
        pass_mark: 0,
        ..settings(Mode::Exam, None)
    };
    assert_eq!(
        build_seeded(&p, &progress, &bad_mark, T0, 1).err(),
        Some(BuildError::PassMark(0))
    );
}

#[test]
fn exam_spreads_questions_over_objectives() {
    let p = pack();
    let s = must(build_seeded(
        &p,
        &QuizProgress::default(),
        &settings(Mode::Exam, Some(9)),
        T0,
        11,
    ));
    assert_eq!(s.len(), 9);
    for o in ["handshake", "aliases", "envelope"] {
        let n = s
            .items()
            .iter()
            .filter(|i| i.question.objectives[0] == o)
            .count();
        assert_eq!(n, 3, "{o}: {:?}", ids(&s));
    }
    // Default length 20, and a bank of 21 gives 20 distinct questions.
    let s = must(build_seeded(
        &p,
        &QuizProgress::default(),
        &settings(Mode::Exam, None),
        T0,
        11,
    ));
    let mut distinct = ids(&s);
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 20);
}

fn exam(minutes: u64, count: usize) -> Session {
    must(build_seeded(
        &pack(),
        &QuizProgress::default(),
        &Settings {
            exam_minutes: minutes,
            ..settings(Mode::Exam, Some(count))
        },
        T0,
        5,
    ))
}

#[test]
fn exam_timer_warns_at_two_minutes_and_submits_at_zero() {
    let mut s = exam(30, 4);
    assert_eq!(s.remaining(T0), Some(1800));
    assert_eq!(s.check_timer(T0 + 1000), None);
    let right = s.items()[0].right_response();
    assert_eq!(must(s.answer(right, T0 + 1000)), Answered::Kept);
    assert_eq!(s.check_timer(T0 + 1679), None, "2:01 left: no warning yet");
    assert_eq!(
        s.check_timer(T0 + 1680),
        Some(TimerEvent::Warning { remaining: 120 })
    );
    assert_eq!(s.check_timer(T0 + 1700), None, "the warning comes once");
    assert_eq!(s.remaining(T0 + 1700), Some(100));
    // An answer after the deadline is refused and the exam is submitted.
    let late = s.items()[0].right_response();
    assert!(s.next(T0 + 1750));
    assert_eq!(s.answer(late, T0 + 1800), Err(AnswerError::TimeUp));
    assert_eq!(s.end(), Some(End::TimeUp { at: T0 + 1800 }));
    let sub = s.submission().unwrap_or_else(|| panic!("submitted"));
    assert!(sub.report.auto_submitted);
    assert_eq!(sub.report.score, Tally { right: 1, total: 4 });
    assert_eq!(sub.report.unanswered, 3);
    assert_eq!(sub.report.seconds, 1800);
    // The three unanswered questions are recorded wrong, so they go into
    // Missed.
    assert_eq!(sub.answers.len(), 4);
    assert_eq!(
        sub.answers[0].seconds, 1750,
        "time on question 1 until leaving it"
    );
    assert_eq!(sub.answers.iter().filter(|a| a.unanswered).count(), 3);
    assert!(
        sub.answers
            .iter()
            .filter(|a| a.unanswered)
            .all(|a| !a.correct)
    );
    let mut progress = QuizProgress::default();
    for a in &sub.answers {
        progress.record_answer(a.clone());
    }
    let missed = progress.missed();
    for a in sub.answers.iter().filter(|a| a.unanswered) {
        assert!(
            missed.contains(&a.question.as_str()),
            "{} is missed",
            a.question
        );
    }
    assert!(sub.exam.auto_submitted);
    assert_eq!(sub.exam.seed, Some(5));
}

#[test]
fn a_late_check_submits_at_the_deadline_not_later() {
    let mut s = exam(1, 2);
    assert_eq!(s.check_timer(T0 + 5000), Some(TimerEvent::TimeUp));
    assert_eq!(s.check_timer(T0 + 5001), None);
    let sub = s.submit(T0 + 6000).unwrap_or_else(|| panic!("submitted"));
    assert_eq!(sub.exam.at, T0 + 60);
    assert!(!sub.report.passed);
}

#[test]
fn exam_answers_change_flags_and_grid_then_report_per_objective() {
    let mut s = exam(30, 6);
    let n = s.len();
    let wrong = |item: &Item| match item.right_response() {
        Response::Choices(r) => Response::Choices(
            (0..item.order.len())
                .filter(|i| !r.contains(i))
                .take(r.len())
                .collect(),
        ),
        Response::Policy { verdict, .. } => Response::Policy {
            verdict: if verdict == Verdict::Allow {
                Verdict::Deny
            } else {
                Verdict::Allow
            },
            reason: Some(Reason::ExplicitDeny),
        },
    };
    // Answer all but the last wrong, flagging question 2.
    for i in 0..n - 1 {
        let w = wrong(&s.items()[i]);
        must(s.answer(w, T0 + 10 * i as u64));
        if i == 1 {
            s.toggle_flag(1);
        }
        assert!(s.next(T0 + 10 * i as u64 + 5));
    }
    let grid = s.grid();
    assert_eq!(grid.iter().filter(|c| c.answered).count(), n - 1);
    assert_eq!(
        grid.iter()
            .filter(|c| c.flagged)
            .map(|c| c.index)
            .collect::<Vec<_>>(),
        vec![1]
    );
    assert!(grid[n - 1].current && !grid[n - 1].answered);
    // Go back to the flagged question and change the answer to the right one.
    assert!(s.go_to(1, T0 + 100));
    let right = s.items()[1].right_response();
    must(s.answer(right, T0 + 110));
    s.toggle_flag(1);
    assert!(!s.is_flagged(1));
    // Clearing an answer makes it unanswered again.
    assert!(s.go_to(0, T0 + 120));
    s.clear_answer();
    assert_eq!(s.unanswered(), 2);
    let sub = s.submit(T0 + 200).unwrap_or_else(|| panic!("submitted"));
    let r = &sub.report;
    assert_eq!(r.score, Tally { right: 1, total: 6 });
    assert_eq!(
        (r.percent(), r.passed, r.auto_submitted),
        (17, false, false)
    );
    assert_eq!(r.entries.len(), 6);
    assert!(r.entries[1].correct && r.entries[0].given.is_none());
    let total: u32 = r.objectives.iter().map(|o| o.tally.total).sum();
    assert_eq!(total, 6, "each question has one objective here");
    let right_line = r
        .objectives
        .iter()
        .find(|o| o.tally.right == 1)
        .map(|o| o.id.clone());
    assert_eq!(
        right_line.as_deref(),
        s.items()[1].question.objectives.first().map(String::as_str)
    );
    assert_eq!(
        sub.answers.iter().filter(|a| !a.unanswered).count(),
        4,
        "the cleared and the last are recorded as unanswered"
    );
    assert_eq!(sub.answers.len(), 6, "every question asked has a record");
    assert_eq!(sub.exam.questions, ids(&s));
    // Question 2 was shown from T0+5 to T0+15 and from T0+100 to T0+120.
    let q2 = sub
        .answers
        .iter()
        .find(|a| a.question == s.items()[1].question.id)
        .map(|a| a.seconds);
    assert_eq!(q2, Some(30));
    // After submission nothing changes.
    assert_eq!(
        s.answer(Response::Choices(vec![0]), T0 + 300),
        Err(AnswerError::Over)
    );
}

#[test]
fn pass_mark_is_compared_exactly() {
    let mut s = must(build_seeded(
        &pack(),
        &QuizProgress::default(),
        &Settings {
            pass_mark: 75,
            ..settings(Mode::Exam, Some(4))
        },
        T0,
        2,
    ));
    for i in 0..3 {
        let r = s.items()[i].right_response();
        must(s.answer(r, T0 + 1));
        s.next(T0 + 1);
    }
    let sub = s.submit(T0 + 2).unwrap_or_else(|| panic!("submitted"));
    assert_eq!((sub.report.percent(), sub.report.passed), (75, true));
    assert_eq!(sub.exam.pass_mark, 75);
}

#[test]
fn review_asks_only_the_questions_due_today() {
    let p = pack();
    let mut progress = QuizProgress::default();
    let answer = |id: &str, at: u64, correct: bool| AnswerRecord {
        question: id.into(),
        at,
        correct,
        ..AnswerRecord::default()
    };
    let review = |progress: &QuizProgress, now: u64| {
        build_seeded(&p, progress, &settings(Mode::Review, None), now, 1)
    };
    assert!(matches!(
        review(&progress, T0),
        Err(BuildError::NothingDue { learned: 0, .. })
    ));
    // FSRS-6 defaults: a first right answer is due in 2 days (S = 2.3065),
    // a wrong one the next day, a second right answer 2 days after the
    // first in 11 days (S = 10.96).
    progress.record_answer(answer("handshake-0", T0, true));
    progress.record_answer(answer("aliases-1", T0, false));
    progress.record_answer(answer("envelope-2", T0 - 2 * DAY, true));
    progress.record_answer(answer("envelope-2", T0, true));
    progress.record_answer(answer("no-longer-in-bank", T0, false));
    let err = review(&progress, T0).err();
    assert_eq!(
        err.map(|e| e.to_string()).as_deref(),
        Some(
            "nothing is due for review today; the next review is on 2027-01-16 (UTC). Or review ahead with cram (keyshake quiz --mode cram: nothing on your schedule moves) or take a drill (keyshake drill)"
        )
    );
    assert_eq!(ids(&must(review(&progress, T0 + DAY))), vec!["aliases-1"]);
    let mut asked = ids(&must(review(&progress, T0 + 2 * DAY)));
    asked.sort();
    assert_eq!(asked, vec!["aliases-1", "handshake-0"]);
    let later = must(review(&progress, T0 + 11 * DAY));
    assert_eq!(later.len(), 3);
    assert_eq!(progress.summary(&p, T0 + 2 * DAY).due_today, 2);
}

#[test]
fn missed_asks_the_latest_wrong_until_answered_right() {
    let p = pack();
    let mut progress = QuizProgress::default();
    let answer = |id: &str, at: u64, correct: bool| AnswerRecord {
        question: id.into(),
        at,
        correct,
        ..AnswerRecord::default()
    };
    assert_eq!(
        build_seeded(&p, &progress, &settings(Mode::Missed, None), T0, 1).err(),
        Some(BuildError::NothingMissed)
    );
    progress.record_answer(answer("handshake-0", T0, false));
    progress.record_answer(answer("aliases-0", T0 + 1, false));
    progress.record_answer(answer("envelope-0", T0 + 2, false));
    progress.record_answer(answer("handshake-0", T0 + 3, true));
    let s = must(build_seeded(
        &p,
        &progress,
        &settings(Mode::Missed, Some(1)),
        T0,
        1,
    ));
    assert_eq!(ids(&s), vec!["envelope-0"], "the most recent wrong first");
    let s = must(build_seeded(
        &p,
        &progress,
        &settings(Mode::Missed, None),
        T0,
        1,
    ));
    let mut asked = ids(&s);
    asked.sort();
    assert_eq!(asked, vec!["aliases-0", "envelope-0"]);
}

#[test]
fn stopping_an_exam_keeps_its_answers_but_makes_no_result() {
    let mut s = exam(30, 3);
    let r = s.items()[0].right_response();
    must(s.answer(r, T0 + 30));
    let kept = s.stop(T0 + 40);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].seconds, 40);
    assert_eq!(s.submission(), None);
    assert_eq!(s.submit(T0 + 50), None);
    // What the instructor sees: the exam, abandoned, with the one answer.
    let left = s
        .abandoned()
        .unwrap_or_else(|| panic!("an abandoned record"));
    assert!(left.abandoned && !left.passed && !left.auto_submitted);
    assert_eq!((left.score.right, left.score.total), (1, 3));
    assert_eq!(
        (left.started_at, left.at, left.minutes),
        (T0, T0 + 40, Some(30))
    );
    assert_eq!(left.questions, ids(&s));
}

#[test]
fn a_submitted_exam_records_its_minutes_and_is_not_abandoned() {
    let mut s = exam(30, 3);
    assert_eq!(s.abandoned(), None, "a running exam is not abandoned");
    let sub = s.submit(T0 + 60).unwrap_or_else(|| panic!("submitted"));
    assert_eq!(sub.exam.minutes, Some(30));
    assert!(!sub.exam.abandoned);
    assert_eq!(s.abandoned(), None);
}

#[test]
fn dates_of_days() {
    assert_eq!(date_of_day(0), "1970-01-01");
    assert_eq!(date_of_day(T0 / DAY), "2027-01-15");
    assert_eq!(date_of_day(11_016), "2000-02-29");
}

#[test]
fn answering_inside_the_last_two_minutes_keeps_the_warning_for_the_screen() {
    let mut s = exam(30, 3);
    let right = s.items()[0].right_response();
    assert_eq!(must(s.answer(right, T0 + 1750)), Answered::Kept);
    assert_eq!(
        s.check_timer(T0 + 1751),
        Some(TimerEvent::Warning { remaining: 49 })
    );
}

#[test]
fn practice_and_exam_spread_over_the_objectives_picked() {
    let p = pack();
    for mode in [Mode::Practice, Mode::Exam] {
        for seed in 0..10 {
            let s = must(build_seeded(
                &p,
                &QuizProgress::default(),
                &Settings {
                    objectives: vec!["aliases".into(), "envelope".into()],
                    ..settings(mode, Some(6))
                },
                T0,
                seed,
            ));
            for o in ["aliases", "envelope"] {
                let n = s
                    .items()
                    .iter()
                    .filter(|i| i.question.objectives.contains(&o.to_string()))
                    .count();
                assert_eq!(n, 3, "{mode:?} seed {seed} {o}: {:?}", ids(&s));
            }
        }
    }
}

/// Records `s`'s questions as answered (right) in `progress` at `at`.
fn take(progress: &mut QuizProgress, s: &Session, at: u64) {
    for item in s.items() {
        progress.record_answer(AnswerRecord {
            question: item.question.id.clone(),
            at,
            mode: s.mode().name().to_string(),
            correct: true,
            quiz_started: Some(at),
            ..AnswerRecord::default()
        });
    }
}

#[test]
fn practice_draws_avoid_the_last_quizzes_questions_and_exams_do_not() {
    let p = pack(); // 21 questions
    let mut progress = QuizProgress::default();
    let first = must(build_seeded(
        &p,
        &progress,
        &settings(Mode::Practice, Some(7)),
        T0,
        1,
    ));
    take(&mut progress, &first, T0);
    let second = must(build_seeded(
        &p,
        &progress,
        &settings(Mode::Practice, Some(7)),
        T0 + 100,
        1,
    ));
    let asked: HashSet<String> = ids(&first).into_iter().collect();
    assert!(
        ids(&second).iter().all(|id| !asked.contains(id)),
        "the same seed still asks new questions: {:?} after {:?}",
        ids(&second),
        ids(&first)
    );
    take(&mut progress, &second, T0 + 100);
    // An exam is not a draw that avoids: the same seed gives every student
    // the same questions whatever each practised (and the instructor's
    // answer key, printed from an empty history, matches it).
    let exam = must(build_seeded(
        &p,
        &progress,
        &settings(Mode::Exam, Some(10)),
        T0 + 200,
        1,
    ));
    let fresh = must(build_seeded(
        &p,
        &QuizProgress::default(),
        &settings(Mode::Exam, Some(10)),
        T0,
        1,
    ));
    assert_eq!(ids(&exam), ids(&fresh));
    // Answers of more than RECENT_QUIZZES quizzes ago are not avoided.
    assert_eq!(progress.recent_questions(1).len(), 7);
    assert_eq!(progress.recent_questions(2).len(), 14);
}

#[test]
fn checkpoint_order_is_a_stable_per_learner_shuffle_that_keeps_true_false() {
    let single = q("cp-single", QuestionKind::Single, "handshake", &[1]);
    let tf = q("cp-tf", QuestionKind::TrueFalse, "handshake", &[1]);
    // The same seed gives the same order every time (a restart recomputes
    // it from the seed kept in progress).
    assert_eq!(checkpoint_order(42, &single), checkpoint_order(42, &single));
    let mut sorted = checkpoint_order(42, &single);
    sorted.sort_unstable();
    assert_eq!(sorted, vec![0, 1, 2, 3, 4], "a permutation");
    assert_eq!(checkpoint_order(42, &tf), vec![0, 1]);
    // Learners differ: over many seeds the right answer sits at every
    // position.
    let mut at = [0usize; 5];
    for seed in 0..200 {
        let learner = learner_seed(T0 + seed);
        let pos = checkpoint_order(learner, &single)
            .iter()
            .position(|c| *c == 1)
            .unwrap_or(9);
        at[pos] += 1;
    }
    assert!(at.iter().all(|n| *n > 15), "{at:?}");
}

#[test]
fn an_exam_longer_than_a_day_is_refused_without_overflow() {
    let p = pack();
    let huge = Settings {
        exam_minutes: u64::MAX,
        ..settings(Mode::Exam, Some(usize::MAX))
    };
    assert_eq!(
        build_seeded(&p, &QuizProgress::default(), &huge, T0, 1).err(),
        Some(BuildError::TooManyMinutes(u64::MAX))
    );
    let day = Settings {
        exam_minutes: MAX_EXAM_MINUTES,
        ..settings(Mode::Exam, Some(usize::MAX))
    };
    let s = must(build_seeded(
        &p,
        &QuizProgress::default(),
        &day,
        u64::MAX - 10,
        1,
    ));
    assert_eq!(s.len(), p.questions.len());
}

#[test]
fn the_first_answer_to_a_bank_question_is_its_first_try() {
    let p = pack();
    let mut progress = QuizProgress::default();
    let mut record = |id: &str, at, correct| {
        progress.record_answer(AnswerRecord {
            question: id.into(),
            at,
            mode: "practice".into(),
            correct,
            ..AnswerRecord::default()
        });
    };
    record("handshake-0", 1, false);
    record("handshake-0", 2, true);
    record("aliases-0", 3, true);
    assert_eq!(progress.first_try(&p), Tally { right: 1, total: 2 });
    assert!(!progress.first_answers()["handshake-0"].correct);
    assert!(progress.missed().is_empty(), "the latest answers are right");
}

#[test]
fn an_exam_date_brings_in_a_share_of_the_unseen_questions_each_day() {
    let p = pack();
    let mut progress = QuizProgress {
        exam_day: Some(T0 / DAY + 7),
        ..QuizProgress::default()
    };
    let review = |progress: &QuizProgress, now: u64| {
        build_seeded(&p, progress, &settings(Mode::Review, None), now, 1)
    };
    // 21 questions never answered, 7 days left: 3 a day.
    assert_eq!(must(review(&progress, T0)).len(), 3);
    progress.record_answer(AnswerRecord {
        question: "handshake-0".into(),
        at: T0,
        correct: true,
        ..AnswerRecord::default()
    });
    // 20 left over 7 days: still 3 (rounded up), none of them the answered one.
    let s = must(review(&progress, T0));
    assert_eq!(s.len(), 3);
    assert!(!ids(&s).contains(&"handshake-0".to_string()));
    // One day before the exam, every unseen question is asked.
    assert_eq!(must(review(&progress, T0 + 6 * DAY)).len(), 20 + 1);
    // After the exam date, only what is due.
    assert!(review(&progress, T0 + 8 * DAY).is_ok_and(|s| s.len() == 1));
}

#[test]
fn cram_asks_the_cards_due_soonest_first() {
    let p = pack();
    let mut progress = QuizProgress::default();
    for (id, days_ago) in [
        ("aliases-0", 0),
        ("envelope-0", 2),
        ("envelope-0", 0),
        ("handshake-1", 2),
    ] {
        progress.record_answer(AnswerRecord {
            question: id.into(),
            at: T0 - days_ago * DAY,
            correct: true,
            ..AnswerRecord::default()
        });
    }
    // aliases-0 is due in 2 days, envelope-0 in 11; handshake-1 is due
    // today, so it is not ahead.
    let mut s = settings(Mode::Cram, Some(1));
    assert_eq!(
        ids(&must(build_seeded(&p, &progress, &s, T0, 1))),
        vec!["aliases-0"]
    );
    s.count = None;
    let mut got = ids(&must(build_seeded(&p, &progress, &s, T0, 1)));
    got.sort();
    assert_eq!(got, vec!["aliases-0", "envelope-0"]);
}
