//! Patterns that let a learner answer without knowing the material, checked
//! over the whole built-in course (lesson checkpoints and the quiz bank).
//! Each test fails when a pattern comes back: a lopsided true/false split,
//! a correct option that is usually the longest (or the shortest), right
//! answers piled up in one authored position, policy questions whose
//! wording or verdict split gives the answer away, and bank questions that
//! repeat a checkpoint's prompt. Display order may be shuffled elsewhere,
//! but authored order still reaches packs and exports, so it is checked
//! as written.

use std::collections::BTreeMap;

use keyshake::core::content::{Pack, Question, QuestionKind};
use keyshake::core::world::Verdict;

/// The lesson checkpoints of the built-in course.
fn checkpoints(pack: &Pack) -> Vec<&Question> {
    pack.lessons
        .iter()
        .flat_map(|l| &l.sections)
        .flat_map(|s| &s.checkpoints)
        .collect()
}

/// The course's choice questions in three groups: checkpoints, bank, and
/// both together (a pattern may hide in one group and cancel in the sum).
fn groups(pack: &Pack) -> Vec<(&'static str, Vec<&Question>)> {
    let cps = checkpoints(pack);
    let bank: Vec<&Question> = pack.questions.iter().collect();
    let all: Vec<&Question> = cps.iter().chain(&bank).copied().collect();
    vec![("checkpoints", cps), ("bank", bank), ("whole course", all)]
}

fn single<'a>(qs: &[&'a Question]) -> Vec<&'a Question> {
    qs.iter()
        .copied()
        .filter(|q| q.kind == QuestionKind::Single && q.answer.len() == 1)
        .collect()
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Whether the correct choice is strictly longer (`longer`) or strictly
/// shorter (`!longer`) than every other choice.
fn answer_is_extreme(q: &Question, longer: bool) -> bool {
    let right = q.answer[0];
    let len = chars(&q.choices[right]);
    q.choices
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != right)
        .all(|(_, c)| {
            if longer {
                len > chars(c)
            } else {
                len < chars(c)
            }
        })
}

#[test]
fn true_and_false_are_each_at_most_65_percent_of_truefalse_items() {
    let pack = crate::builtin_pack();
    for (name, qs) in groups(&pack) {
        let tf: Vec<&&Question> = qs
            .iter()
            .filter(|q| q.kind == QuestionKind::TrueFalse)
            .collect();
        if tf.len() < 6 {
            continue;
        }
        let trues = tf.iter().filter(|q| q.answer == [0]).count();
        let falses = tf.len() - trues;
        for (side, n) in [("True", trues), ("False", falses)] {
            assert!(
                n * 100 <= tf.len() * 65,
                "{name}: {n} of {} true/false items are {side}; \"always {side}\" would score {}%",
                tf.len(),
                n * 100 / tf.len()
            );
        }
    }
}

/// For single-choice items, how often the right option is strictly the
/// longest (or the shortest) must stay within 1.5 times what chance gives
/// (the sum of 1/n over the items).
fn check_extreme(longer: bool) {
    let pack = crate::builtin_pack();
    let word = if longer { "longest" } else { "shortest" };
    for (name, qs) in groups(&pack) {
        let items = single(&qs);
        if items.len() < 8 {
            continue;
        }
        let chance: f64 = items.iter().map(|q| 1.0 / q.choices.len() as f64).sum();
        let hits: Vec<&str> = items
            .iter()
            .filter(|q| answer_is_extreme(q, longer))
            .map(|q| q.id.as_str())
            .collect();
        assert!(
            hits.len() as f64 <= 1.5 * chance,
            "{name}: the right option is the {word} in {} of {} single-choice items \
             (chance: {chance:.1}); rewrite the options of some of: {}",
            hits.len(),
            items.len(),
            hits.join(", ")
        );
    }
}

#[test]
fn the_right_option_is_not_usually_the_longest() {
    check_extreme(true);
}

#[test]
fn the_right_option_is_not_usually_the_shortest() {
    check_extreme(false);
}

#[test]
fn no_authored_position_holds_the_answer_too_often() {
    let pack = crate::builtin_pack();
    for (name, qs) in groups(&pack) {
        let mut by_n: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for q in single(&qs) {
            by_n.entry(q.choices.len()).or_default().push(q.answer[0]);
        }
        for (n, answers) in by_n {
            if answers.len() < 8 || n < 3 {
                continue;
            }
            // 40% for four choices: 1.6 times the 1/n a uniform spread gives.
            let limit = 1.6 / n as f64;
            for pos in 0..n {
                let count = answers.iter().filter(|&&a| a == pos).count();
                assert!(
                    count as f64 <= limit * answers.len() as f64,
                    "{name}: choice {} is right in {count} of {} {n}-choice items \
                     (limit {:.0}%)",
                    pos + 1,
                    answers.len(),
                    limit * 100.0
                );
            }
        }
    }
}

/// The last sentence of a prompt: the stem that asks the question.
fn stem(prompt: &str) -> &str {
    let p = prompt.trim();
    let body = p.strip_suffix(['?', '.']).unwrap_or(p);
    match body.rfind(". ") {
        Some(i) => p[i + 2..].trim(),
        None => p,
    }
}

#[test]
fn every_policy_question_ends_with_the_same_neutral_stem() {
    let pack = crate::builtin_pack();
    let policy: Vec<&Question> = pack
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Policy)
        .collect();
    assert!(policy.len() >= 10, "only {} policy questions", policy.len());
    let first = stem(&policy[0].prompt);
    for q in &policy {
        assert_eq!(
            stem(&q.prompt),
            first,
            "{} ({}:{}) asks its question differently from {}",
            q.id,
            q.path,
            q.line,
            policy[0].id
        );
        assert_eq!(
            q.ask_reason, policy[0].ask_reason,
            "{}: ask_reason differs from the other policy questions",
            q.id
        );
    }
    let lower = first.to_lowercase();
    for word in ["allow", "deny", "denied", "why", "fail", "succeed"] {
        assert!(
            !lower.contains(word),
            "the policy stem {first:?} leans towards a verdict ({word:?})"
        );
    }
}

#[test]
fn allow_and_deny_are_each_40_to_60_percent_of_policy_questions() {
    let pack = crate::builtin_pack();
    let verdicts: Vec<Verdict> = pack
        .questions
        .iter()
        .filter_map(|q| q.policy.as_ref().map(|p| p.verdict))
        .collect();
    let total = verdicts.len();
    assert!(total >= 10, "only {total} policy questions");
    let allows = verdicts.iter().filter(|v| **v == Verdict::Allow).count();
    for (side, n) in [("ALLOW", allows), ("DENY", total - allows)] {
        assert!(
            (40..=60).contains(&(n * 100 / total)),
            "{n} of {total} policy questions are {side}: always answering it would score {}%",
            n * 100 / total
        );
    }
}

/// Lower case, every run of non-alphanumerics collapsed to one space.
fn normalised(s: &str) -> String {
    let mut out = String::new();
    for word in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}

/// A question's prompt and options, normalised, as one text.
fn whole(q: &Question) -> String {
    let mut text = q.prompt.clone();
    for c in &q.choices {
        text.push(' ');
        text.push_str(c);
    }
    normalised(&text)
}

#[test]
fn bank_questions_do_not_repeat_a_checkpoint_or_each_other() {
    let pack = crate::builtin_pack();
    let cps = checkpoints(&pack);
    let mut problems = Vec::new();
    for (i, q) in pack.questions.iter().enumerate() {
        let mine = normalised(&q.prompt);
        for c in &cps {
            let theirs = normalised(&c.prompt);
            // The same prompt, or an item (prompt and options together) so
            // close to a checkpoint that the learner meets it again, by
            // character-bigram similarity; shared short frames such as
            // "Which TWO statements are true?" alone do not reach it.
            let score = strsim::sorensen_dice(&whole(q), &whole(c));
            if mine == theirs || score >= 0.7 {
                problems.push(format!("{} repeats checkpoint {} ({score:.2})", q.id, c.id));
            }
        }
        for other in &pack.questions[i + 1..] {
            if mine == normalised(&other.prompt) {
                problems.push(format!("{} and {} ask the same", q.id, other.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Whether `text` points at an option by its number ("choice 3",
/// "Choices 1 and 2"), which is wrong once options are shown in another
/// order.
fn names_an_option_by_number(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["choice ", "choices "].iter().any(|word| {
        lower
            .match_indices(word)
            .any(|(i, w)| lower[i + w.len()..].starts_with(|c: char| c.is_ascii_digit()))
    })
}

#[test]
fn explanations_name_options_by_content_not_by_number() {
    let pack = crate::builtin_pack();
    let cps = checkpoints(&pack);
    let offenders: Vec<String> = cps
        .iter()
        .copied()
        .chain(&pack.questions)
        .filter(|q| names_an_option_by_number(&q.explanation))
        .map(|q| format!("{} ({}:{})", q.id, q.path, q.line))
        .collect();
    assert!(
        offenders.is_empty(),
        "explanations that point at an option by its number: {}",
        offenders.join(", ")
    );
    assert!(names_an_option_by_number("wrong (choice 3)."));
    assert!(!names_an_option_by_number("the choice between two keys"));
}

// Size and balance: a course too small or lopsided lets a learner pass by
// knowing a few topics well. These are the built-in course's targets.

#[test]
fn the_bank_and_the_labs_are_big_enough_and_policy_answers_come_from_the_engine() {
    let pack = crate::builtin_pack();
    let policy = pack
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Policy)
        .count();
    assert!(
        pack.questions.len() >= 220,
        "the bank holds {} questions; the course needs at least 220",
        pack.questions.len()
    );
    assert!(
        policy >= 60,
        "{policy} policy questions are checked by the engine; the course needs at least 60"
    );
    assert!(
        pack.labs.len() >= 21,
        "{} labs; the course needs at least 21",
        pack.labs.len()
    );
}

/// Bank questions per objective (a question tagged with two objectives
/// counts for both) and how many of them are at difficulty 3.
fn per_objective(pack: &Pack) -> BTreeMap<&str, (usize, usize)> {
    let mut counts: BTreeMap<&str, (usize, usize)> = pack
        .objectives
        .iter()
        .map(|o| (o.id.as_str(), (0, 0)))
        .collect();
    for q in &pack.questions {
        for o in &q.objectives {
            if let Some((all, hard)) = counts.get_mut(o.as_str()) {
                *all += 1;
                if q.difficulty == 3 {
                    *hard += 1;
                }
            }
        }
    }
    counts
}

#[test]
fn every_objective_has_twenty_questions_a_quarter_of_them_multi_step() {
    let pack = crate::builtin_pack();
    let problems: Vec<String> = per_objective(&pack)
        .into_iter()
        .filter(|(_, (all, hard))| *all < 20 || hard * 4 < *all)
        .map(|(id, (all, hard))| format!("{id}: {all} questions, {hard} at difficulty 3"))
        .collect();
    assert!(
        problems.is_empty(),
        "objectives below 20 questions or under a quarter at difficulty 3:\n{}",
        problems.join("\n")
    );
}

#[test]
fn no_objective_has_more_than_twice_the_questions_of_the_smallest() {
    let pack = crate::builtin_pack();
    let counts = per_objective(&pack);
    let (small_id, small) = counts
        .iter()
        .map(|(id, (all, _))| (*id, *all))
        .min_by_key(|(_, all)| *all)
        .expect("the course has objectives");
    for (id, (all, _)) in &counts {
        assert!(
            *all <= 2 * small,
            "{id} has {all} questions, more than twice the {small} of {small_id}"
        );
    }
}

#[test]
fn every_lesson_section_ends_with_a_checkpoint() {
    let pack = crate::builtin_pack();
    let bare: Vec<String> = pack
        .lessons
        .iter()
        .flat_map(|l| l.sections.iter().map(move |s| (l, s)))
        .filter(|(_, s)| s.checkpoints.is_empty())
        .map(|(l, s)| format!("{} › {}", l.id, s.id))
        .collect();
    assert!(
        bare.is_empty(),
        "sections without a checkpoint: {}",
        bare.join(", ")
    );
}

#[test]
fn no_two_policy_questions_share_a_scenario() {
    let pack = crate::builtin_pack();
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for q in pack
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Policy)
    {
        let scenario = q
            .scenario
            .as_deref()
            .expect("a policy question names its scenario");
        if let Some(first) = seen.insert(scenario, &q.id) {
            panic!(
                "{} and {} ask about the same scenario {scenario}",
                first, q.id
            );
        }
    }
}
