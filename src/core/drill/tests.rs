//! Properties of generated drills over thousands of seeds: the stated
//! answer is the engine's verdict on the emitted scenario, the planted
//! defect alone turns the verdict, wrong edits are wrong by the engine,
//! allowed and denied drills are balanced, and a seed gives one drill.

use super::edits::Effect;
use super::verify::Judged;
use super::*;
use crate::core::eval::evaluate;
use crate::core::world::load_str;

fn opts(level: u8) -> Options {
    Options {
        level,
        ..Options::default()
    }
}

fn gen_all(level: u8, seeds: std::ops::Range<u64>) -> Vec<Drill> {
    seeds
        .map(|seed| generate(seed, &opts(level)).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

#[test]
fn every_misconception_builds_at_every_level() {
    assert!(CATALOG.len() >= 20);
    let mut failures = Vec::new();
    for m in CATALOG.iter() {
        for level in LEVELS {
            let o = Options {
                level,
                misconception: Some(m.id.to_string()),
                ..Options::default()
            };
            for seed in 0..6 {
                match generate(seed, &o) {
                    Ok(d) => assert_eq!(d.misconception.id, m.id),
                    Err(e) => failures.push(e.to_string()),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Every check a drill must pass, by the engine, from its own output.
fn check(d: &Drill) {
    let seed = d.seed;
    // The emitted file is a scenario whose expectation holds.
    let world = load_str("drill.toml", &d.toml).unwrap_or_else(|e| panic!("{e:?}\n{}", d.toml));
    let r = &world.requests[0];
    let o = evaluate(&world, r);
    assert_eq!(r.judge(&o), Some(true), "seed {seed}");
    // The stated answer is the engine's verdict.
    assert_eq!(
        d.questions[0].answer,
        Answer::Verdict(o.verdict, o.reason),
        "seed {seed}"
    );
    assert_eq!(
        d.verdict == Verdict::Allow,
        shows_allowed(seed),
        "seed {seed}"
    );
    // The other world of the pair has the other verdict: the planted
    // defect turns it.
    let pair = load_str("pair.toml", &d.pair.toml(None)).expect("pair loads");
    let p = evaluate(&pair, &pair.requests[0]);
    assert_ne!(
        p.verdict, o.verdict,
        "seed {seed}: the defect does not decide"
    );
    let (working, broken) = if d.verdict == Verdict::Allow {
        (&d.world, &d.pair)
    } else {
        (&d.pair, &d.world)
    };
    let denied = if d.verdict == Verdict::Deny {
        o.reason
    } else {
        p.reason
    };
    assert_eq!(denied, d.misconception.reason, "seed {seed}");
    // The two worlds differ only where the defect is planted.
    if let Some(Place::Policy { slot, .. }) = &d.place {
        let mut restored = broken.clone();
        if let (Some(to), Some(from)) = (restored.doc_mut(*slot), working.doc(*slot)) {
            *to = from.clone();
        }
        assert_eq!(
            &restored, working,
            "seed {seed}: more than the planted policy differs"
        );
    }
    // Names never give the answer away.
    let shown = d.world.toml(None).to_ascii_lowercase();
    for word in ["missing", "wrong", "trap", "broken", "defect"] {
        assert!(!shown.contains(word), "seed {seed}: '{word}' in the world");
        for q in &d.questions {
            assert!(
                !q.stem.to_ascii_lowercase().contains(word),
                "seed {seed}: '{word}' in a stem"
            );
        }
    }
    // The edit question: exactly one edit works, each other one fails or
    // lets a probe in, as the engine says when the edit is applied.
    if let Some(q) = d.questions.iter().find(|q| q.kind == Kind::Edit) {
        assert_eq!(d.edits.len(), 4, "seed {seed}");
        let Answer::Choice(right) = q.answer else {
            panic!("seed {seed}: edit answer")
        };
        let judged = Judged::load(&d.world).expect("world loads");
        for (i, e) in d.edits.iter().enumerate() {
            let w = judged
                .with_doc(&judged.world, e.slot, &e.doc)
                .expect("edit loads");
            let main = judged.main(&w);
            let leaks = judged.probes_allowed(&w);
            let works = main.verdict == Verdict::Allow && leaks.is_empty();
            assert_eq!(works, i == right, "seed {seed}: edit {i} {:?}", e.effect);
            match &e.effect {
                Effect::Works => assert!(works),
                Effect::Fails(_) => assert_eq!(main.verdict, Verdict::Deny),
                Effect::OverGrants(_) => assert!(!leaks.is_empty()),
            }
        }
    }
    // The policy question names the planted policy (or no policy).
    if let Some(q) = d.questions.iter().find(|q| q.kind == Kind::Policy) {
        let Answer::Choice(i) = q.answer else {
            panic!("policy answer")
        };
        let want = match &d.place {
            Some(Place::Policy { slot, .. }) => d.world.label(*slot),
            _ => questions::NO_POLICY.to_string(),
        };
        assert_eq!(q.choices[i], want, "seed {seed}");
        assert_eq!(
            q.choices.last().map(String::as_str),
            Some(questions::NO_POLICY)
        );
    }
}

#[test]
fn two_thousand_seeds_at_level_one_are_correct_and_balanced() {
    let drills = gen_all(1, 0..2000);
    for d in &drills {
        check(d);
    }
    balanced(&drills);
}

#[test]
fn higher_levels_are_correct_and_balanced() {
    for level in [2, 3] {
        let drills = gen_all(level, 5000..5600);
        for d in &drills {
            check(d);
            assert_eq!(d.level, level);
        }
        balanced(&drills);
        // Level 2 and up names a third account and plants decoys.
        assert!(drills.iter().all(|d| d.world.accounts.len() >= 2));
        assert!(drills.iter().any(|d| !d.world.decoys.is_empty()));
    }
}

/// Allowed drills make 40 to 60 of every 100 consecutive seeds, and every
/// misconception is drawn.
fn balanced(drills: &[Drill]) {
    for w in drills.windows(100) {
        let allowed = w.iter().filter(|d| d.verdict == Verdict::Allow).count();
        assert!(
            (40..=60).contains(&allowed),
            "{allowed} allowed from seed {}",
            w[0].seed
        );
    }
    for m in CATALOG.iter() {
        assert!(
            drills.iter().any(|d| d.misconception.id == m.id),
            "{} never drawn",
            m.id
        );
    }
}

#[test]
fn one_seed_gives_one_drill() {
    for seed in [0, 1, 77, 4_000_000_000, u64::MAX] {
        for level in LEVELS {
            let a = json::to_json(&generate(seed, &opts(level)).expect("drill")).to_string();
            let b = json::to_json(&generate(seed, &opts(level)).expect("drill")).to_string();
            assert_eq!(a, b);
        }
    }
    let a = json::to_json(&generate(10, &opts(1)).expect("drill")).to_string();
    let b = json::to_json(&generate(11, &opts(1)).expect("drill")).to_string();
    assert_ne!(a, b);
}

#[test]
fn an_objective_or_a_misconception_narrows_the_draw() {
    let o = Options {
        level: 1,
        objective: Some("aliases".into()),
        misconception: None,
    };
    for seed in 0..40 {
        assert_eq!(
            generate(seed, &o).expect("drill").misconception.objective,
            "aliases"
        );
    }
    let none = Options {
        objective: Some("no-such-objective".into()),
        ..Options::default()
    };
    assert!(matches!(generate(0, &none), Err(DrillError::NoMatch(_))));
    assert!(matches!(generate(0, &opts(4)), Err(DrillError::Level(4))));
    // Every objective named by the catalog exists in the course.
    let pack = crate::core::content::Pack::builtin().expect("pack");
    for m in CATALOG.iter() {
        assert!(pack.objective(m.objective).is_some(), "{}", m.objective);
    }
}

#[test]
fn a_denied_drill_asks_which_statement_and_its_answer_is_the_planted_one() {
    let mut asked = 0;
    for d in gen_all(2, 0..400) {
        let Some(Place::Policy { sid, added, .. }) = &d.place else {
            assert!(d.questions.iter().all(|q| q.kind != Kind::Statement));
            continue;
        };
        let Some(q) = d.questions.iter().find(|q| q.kind == Kind::Statement) else {
            continue;
        };
        asked += 1;
        let Answer::Choice(i) = q.answer else {
            panic!("a choice question");
        };
        let right = &q.choices[i];
        if *added {
            assert_eq!(right, questions::NEW_STATEMENT, "seed {}", d.seed);
        } else {
            assert_eq!(right, &format!("Statement {sid}"), "seed {}", d.seed);
        }
        assert_eq!(
            q.choices.last().map(String::as_str),
            Some(questions::NEW_STATEMENT)
        );
        for word in ["missing", "wrong", "trap"] {
            assert!(!q.stem.to_lowercase().contains(word), "{}", q.stem);
        }
    }
    assert!(asked >= 100, "only {asked} drills asked which statement");
}
