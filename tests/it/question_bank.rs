//! The question bank as a learner relies on it: every question can be
//! answered right, "choose two" says two, every objective can be drilled,
//! and every policy question's answer is what the policy engine decides.
//! (The loader already refuses broken files; these checks run on the
//! built-in bank so a content change that slips past the loader fails here.
//! Objective coverage by lessons is in content_pack.rs.)

use std::collections::HashMap;

use keyshake::core::content::{Pack, QuestionKind};
use keyshake::core::eval::evaluate;
use keyshake::core::world::{Verdict, load_str};

fn builtin() -> Pack {
    crate::builtin_pack()
}

#[test]
fn ids_are_unique_across_bank_questions_and_checkpoints() {
    let pack = builtin();
    let mut seen: HashMap<&str, String> = HashMap::new();
    let mut dups = Vec::new();
    let checkpoints = pack
        .lessons
        .iter()
        .flat_map(|l| &l.sections)
        .flat_map(|s| &s.checkpoints);
    for q in checkpoints.chain(&pack.questions) {
        let here = format!("{}:{}", q.path, q.line);
        if let Some(first) = seen.insert(q.id.as_str(), here.clone()) {
            dups.push(format!("{:?} at {here} and {first}", q.id));
        }
    }
    assert!(dups.is_empty(), "duplicate ids: {}", dups.join("; "));
    assert!(
        pack.questions.len() >= 60,
        "{} questions",
        pack.questions.len()
    );
}

#[test]
fn every_choice_question_has_its_answers_among_its_choices() {
    let pack = builtin();
    let mut problems = Vec::new();
    for q in &pack.questions {
        if q.kind == QuestionKind::Policy {
            continue;
        }
        let where_ = format!("{}:{} {}", q.path, q.line, q.id);
        if q.answer.is_empty() || q.answer.iter().any(|&i| i >= q.choices.len()) {
            problems.push(format!(
                "{where_}: answer {:?} of {} choices",
                q.answer,
                q.choices.len()
            ));
        }
        let expected = match q.kind {
            QuestionKind::Multiple => q.pick,
            _ => 1,
        };
        if q.answer.len() != expected {
            problems.push(format!(
                "{where_}: {} answers, pick {}",
                q.answer.len(),
                q.pick
            ));
        }
        if q.kind == QuestionKind::TrueFalse && q.choices != ["True", "False"] {
            problems.push(format!("{where_}: true/false choices {:?}", q.choices));
        }
        let mut distinct = q.choices.clone();
        distinct.sort();
        distinct.dedup();
        if distinct.len() != q.choices.len() {
            problems.push(format!("{where_}: two choices read the same"));
        }
        if !q.is_correct(&q.answer) {
            problems.push(format!("{where_}: its own answer is scored wrong"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn multiple_answer_questions_say_how_many_to_pick() {
    let pack = builtin();
    let words = ["zero", "one", "two", "three", "four"];
    let mut problems = Vec::new();
    for q in pack
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Multiple)
    {
        let word = words.get(q.pick).copied().unwrap_or("?");
        let says = q.prompt.to_lowercase().contains(&format!("choose {word}"))
            || q.prompt.contains(&format!("choose {}", q.pick));
        if q.pick < 2 || !says {
            problems.push(format!(
                "{}:{} {}: pick = {} but the prompt does not say \"Choose {word}\"",
                q.path, q.line, q.id, q.pick
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_objective_has_at_least_five_questions() {
    let pack = builtin();
    let mut thin = Vec::new();
    for o in &pack.objectives {
        let n = pack
            .questions
            .iter()
            .filter(|q| q.objectives.contains(&o.id))
            .count();
        if n < 5 {
            thin.push(format!("{} has {n}", o.id));
        }
    }
    assert!(
        thin.is_empty(),
        "objectives with fewer than 5 questions: {}",
        thin.join(", ")
    );
}

#[test]
fn every_policy_question_agrees_with_the_engine() {
    let pack = builtin();
    let mut problems = Vec::new();
    let mut count = 0;
    for q in pack
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Policy)
    {
        count += 1;
        let where_ = format!("{}:{} {}", q.path, q.line, q.id);
        let Some(file) = q.scenario.as_ref().and_then(|s| pack.scenarios.get(s)) else {
            problems.push(format!("{where_}: no scenario"));
            continue;
        };
        let world = match load_str(&file.path, &file.text) {
            Ok(w) => w,
            Err(d) => {
                problems.push(format!("{where_}: {d:?}"));
                continue;
            }
        };
        let [request] = world.requests.as_slice() else {
            problems.push(format!("{where_}: not exactly one request"));
            continue;
        };
        // Evaluated here again, independently of the loader.
        let outcome = evaluate(&world, request);
        let Some(answer) = &q.policy else {
            problems.push(format!("{where_}: no engine answer stored"));
            continue;
        };
        if (answer.verdict, answer.reason) != (outcome.verdict, outcome.reason)
            || request.expect != Some(outcome.verdict)
            || request.expect_reason != Some(outcome.reason)
        {
            problems.push(format!(
                "{where_}: engine says {} ({}), question says {} ({}), scenario expects {:?} ({:?})",
                outcome.verdict.code(),
                outcome.reason.code(),
                answer.verdict.code(),
                answer.reason.code(),
                request.expect,
                request.expect_reason
            ));
        }
        // The explanation the learner reads states the same answer.
        let stated = match outcome.verdict {
            Verdict::Allow => "ALLOW.".to_string(),
            Verdict::Deny => format!("DENY, {}.", outcome.reason.code()),
        };
        if !q.explanation.starts_with(&stated) {
            problems.push(format!(
                "{where_}: the explanation should open with {stated:?}"
            ));
        }
    }
    assert!(count >= 10, "only {count} policy questions");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_policy_question_ends_with_the_one_neutral_stem() {
    let pack = builtin();
    let stem = keyshake::core::quiz::POLICY_STEM;
    let odd: Vec<&str> = pack
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Policy)
        .filter(|q| !q.prompt.trim_end().ends_with(stem))
        .map(|q| q.id.as_str())
        .collect();
    assert!(odd.is_empty(), "policy questions without {stem:?}: {odd:?}");
}
