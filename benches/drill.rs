//! Drill generation speed (issue #17: "generating and verifying one drill
//! at level 3 within 1 ms"): `cargo bench --bench drill`.
//!
//! - generate/level_3: one drill from a seed at level 3 — names drawn, the
//!   misconception planted, both worlds written as scenario TOML, loaded
//!   and evaluated, probes and decoys checked, the wrong edits of the edit
//!   question checked by the engine (the fix search included). Seeds run
//!   through 0..64 so every kind of misconception is in the average.
//! - generate/level_1: the same at level 1.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use keyshake::core::drill::{Options, generate};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    for level in [3u8, 1] {
        let options = Options {
            level,
            ..Options::default()
        };
        let mut seed = 0u64;
        group.bench_function(format!("level_{level}"), |b| {
            b.iter(|| {
                seed = (seed + 1) % 64;
                black_box(generate(black_box(seed), &options).ok())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
