//! Properties of generated drills over thousands of seeds.

use super::*;
use crate::core::world::load_str;

fn opts(level: u8) -> Options {
    Options {
        level,
        ..Options::default()
    }
}

#[test]
fn every_misconception_builds_at_every_level() {
    let mut failures = Vec::new();
    for m in CATALOG.iter() {
        for level in LEVELS {
            let o = Options {
                level,
                misconception: Some(m.id.to_string()),
                ..Options::default()
            };
            for seed in 0..6 {
                if let Err(e) = generate(seed, &o) {
                    failures.push(e.to_string());
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Seeds 0..N at `level`: each drill, or the failure.
fn many(level: u8, n: u64) -> Vec<Drill> {
    (0..n)
        .map(|seed| generate(seed, &opts(level)).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

#[test]
fn thousands_of_seeds_are_decided_by_the_engine_and_their_defect() {
    for level in LEVELS {
        for d in many(level, 700) {
            // The stated answer is the engine's verdict on the emitted file.
            let world =
                load_str("drill.toml", &d.toml).unwrap_or_else(|e| panic!("{e:?}\n{}", d.toml));
            let r = &world.requests[0];
            let o = crate::core::eval::evaluate(&world, r);
            assert_eq!(r.judge(&o), Some(true), "seed {}", d.seed);
            assert_eq!(
                d.questions[0].answer,
                Answer::Verdict(o.verdict, o.reason),
                "seed {}",
                d.seed
            );
            assert_eq!(d.verdict == Verdict::Allow, shows_allowed(d.seed));
            if d.verdict == Verdict::Deny {
                assert_eq!(d.reason, d.misconception.reason);
            }
        }
    }
}
