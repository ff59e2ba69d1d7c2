use super::*;
use crate::core::content::Objective;
use crate::core::quiz::AnswerRecord;
use crate::core::quiz::schedule::DAY;

const TODAY: u64 = 20_000;

fn pack() -> Pack {
    Pack {
        objectives: ["handshake", "aliases"]
            .into_iter()
            .map(|id| Objective {
                id: id.into(),
                title: format!("About {id}"),
            })
            .collect(),
        ..Pack::default()
    }
}

fn catalog() -> Vec<MisconceptionInfo> {
    vec![
        MisconceptionInfo {
            id: "key-policy-half".into(),
            title: "Key-policy half missing".into(),
            objective: "handshake".into(),
        },
        MisconceptionInfo {
            id: "alias-arn-in-iam".into(),
            title: "Alias ARN in an IAM Resource".into(),
            objective: "aliases".into(),
        },
    ]
}

fn drill(progress: &mut Progress, id: &str, day: u64, correct: bool) {
    progress.quiz.record_answer(AnswerRecord {
        question: format!("drill:{id}"),
        at: day * DAY,
        mode: "drill".into(),
        correct,
        ..AnswerRecord::default()
    });
}

#[test]
fn an_attempt_counts_half_after_30_days() {
    assert_eq!(weight(TODAY, TODAY), 1.0);
    assert!((weight(TODAY, TODAY - 30) - 0.5).abs() < 1e-12);
    assert!((weight(TODAY, TODAY - 60) - 0.25).abs() < 1e-12);
    // A day in the future (a clock set back) counts as today.
    assert_eq!(weight(TODAY, TODAY + 5), 1.0);
}

#[test]
fn drills_score_their_misconception_and_its_objective_first_attempts_only() {
    let mut p = Progress::default();
    drill(&mut p, "key-policy-half", TODAY, true);
    drill(&mut p, "key-policy-half", TODAY, false); // a retry: not counted
    drill(&mut p, "alias-arn-in-iam", TODAY - 30, false);
    drill(&mut p, "not-in-catalog", TODAY, true);
    let m = Mastery::new(&pack(), &p, &catalog(), TODAY * DAY);
    let scores: Vec<(&str, Option<u32>, u32)> = m
        .misconceptions
        .iter()
        .map(|b| (b.id.as_str(), b.score, b.attempts))
        .collect();
    assert_eq!(
        scores,
        vec![
            ("key-policy-half", Some(100), 1),
            ("alias-arn-in-iam", Some(0), 1),
            ("not-in-catalog", Some(100), 1),
        ]
    );
    assert_eq!(m.objectives[0].score, Some(100));
    assert_eq!(m.objectives[1].score, Some(0));
    // Overall: right today (1 + 1) over 1 + 1 + 0.5 → 80%.
    assert_eq!(m.overall.score, Some(80));
    assert_eq!(m.overall.attempts, 3);
    assert_eq!(
        m.next.as_ref().map(|n| &n.target),
        Some(&Target::Drill {
            misconception: "alias-arn-in-iam".into(),
            objective: "aliases".into()
        })
    );
    assert_eq!(
        m.top_line(),
        "Mastery: 80% over 3 first attempts, 1 of 2 objectives at 80% or more; next: drill: Alias ARN in an IAM Resource"
    );
}

#[test]
fn nothing_answered_has_no_scores_and_no_forecast() {
    let m = Mastery::new(&pack(), &Progress::default(), &[], TODAY * DAY);
    assert!(
        m.objectives
            .iter()
            .all(|b| b.score.is_none() && b.attempts == 0)
    );
    assert!(m.forecast.is_empty());
    assert_eq!(
        m.next.map(|n| n.target),
        Some(Target::Practice("handshake".into()))
    );
}

#[test]
fn the_forecast_starts_near_full_recall_and_falls_day_by_day() {
    let mut p = Progress::default();
    drill(&mut p, "key-policy-half", TODAY, true);
    drill(&mut p, "alias-arn-in-iam", TODAY, false);
    let f = Mastery::new(&pack(), &p, &catalog(), TODAY * DAY).forecast;
    assert_eq!(f.len(), FORECAST_DAYS);
    assert_eq!(f[0], 100);
    assert!(f.windows(2).all(|w| w[1] <= w[0]), "{f:?}");
    assert!(f[FORECAST_DAYS - 1] < 70, "{f:?}");
}
