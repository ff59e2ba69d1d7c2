//! Fuzz harnesses, kept as ignored tests that run N iterations (default
//! 300; `KEYSHAKE_FUZZ_N` sets it, `KEYSHAKE_FUZZ_SEED` the seed):
//!
//! ```text
//! KEYSHAKE_FUZZ_N=20000 cargo test --release --test it -- --ignored fuzz --nocapture
//! ```
//!
//! Each mutates real files (the test scenarios, the course's labs and
//! scenarios, or the whole course as a pack) and asserts that loading and
//! evaluating never panics and never takes more than a couple of seconds.
//! Every failing input is written to a temporary folder and named.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One case may take this long (debug builds are slow; release far less).
const SLOW: Duration = Duration::from_secs(5);

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// splitmix64: small, seedable, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that reach the parsers' and the engine's corners.
const TOKENS: &[&[u8]] = &[
    b"*",
    b"?",
    b"\"",
    b"'''",
    b"{",
    b"}",
    b"[",
    b"]",
    b"[[",
    b"]]",
    b",",
    b":",
    b"=",
    b"\\",
    b"\\u001b",
    b"\\u",
    b"\n",
    b"\r\n",
    b"\t",
    b"\x00",
    b"\xff",
    b"\xc2\x9b",
    b"\xe2\x80\xae",
    b"${aws:username}",
    b"IfExists",
    b"ForAnyValue:",
    b"ForAllValues:",
    b"StringLike",
    b"NumericGreaterThan",
    b"DateLessThan",
    b"IpAddress",
    b"ArnLike",
    b"Null",
    b"Bool",
    b"\"1e999\"",
    b"\"NaN\"",
    b"\"0x10\"",
    b"\"::/129\"",
    b"\"10.0.0.0/33\"",
    b"\"2024-02-30T25:61:00Z\"",
    b"NotPrincipal",
    b"NotAction",
    b"NotResource",
    b"\"Principal\": \"*\"",
    b"alias/",
    b"arn:aws:kms:*:*:key/*",
    b"arn:aws:iam::111122223333:role/",
    b"expect = \"deny\"",
    b"expect_reason = \"nope\"",
    b"answer = [42]",
    b"pick = 0",
    b"id = \"dup\"",
    b"```json\n",
    b"@diagram nope\n",
    b"> [!NOTE]\n",
    b"| a | b |\n",
    b"[[x|y]]",
    b"**`",
    b"#",
];

/// 1 to 4 edits: byte flips, cuts, inserted tokens, copied runs, a
/// truncation.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..=rng.below(3) {
        if b.is_empty() {
            b.push(b'x');
        }
        let i = rng.below(b.len());
        match rng.below(10) {
            0 | 1 => b[i] = rng.next() as u8,
            2 | 3 => {
                let end = (i + 1 + rng.below(24)).min(b.len());
                b.drain(i..end);
            }
            4..=6 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                b.splice(i..i, t.iter().copied());
            }
            7 | 8 => {
                let j = rng.below(b.len());
                let end = (j + 1 + rng.below(200)).min(b.len());
                let run = b[j..end].to_vec();
                b.splice(i..i, run);
            }
            _ => b.truncate(i),
        }
    }
    b
}

/// Where failing cases of harness `name` are kept (made only when one is).
fn keep_dir(name: &str) -> PathBuf {
    let seed = env_u64("KEYSHAKE_FUZZ_SEED", 1);
    std::env::temp_dir().join(format!(
        "keyshake-fuzz-{name}-seed{seed}-{}",
        std::process::id()
    ))
}

fn files(dirs: &[&str]) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(root.join(d)).ok())
        .flat_map(|rd| rd.filter_map(Result::ok).map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    out.sort();
    out
}

/// What went wrong in a run.
#[derive(Default)]
struct Tally {
    ran: u64,
    loaded: u64,
    rejected: u64,
    panics: Vec<PathBuf>,
    slow: Vec<(PathBuf, Duration)>,
}

impl Tally {
    /// Writes a failing case to `dir` (created on the first one).
    fn keep(&mut self, dir: &Path, n: u64, bytes: &[u8]) -> PathBuf {
        let _ = std::fs::create_dir_all(dir);
        let path = dir.join(format!("case-{n}.toml"));
        let _ = std::fs::write(&path, bytes);
        path
    }

    fn check(&self, what: &str, started: Instant) {
        eprintln!(
            "{what}: {} cases in {:.1?} ({} loaded, {} rejected), {} panics, {} over {SLOW:?}",
            self.ran,
            started.elapsed(),
            self.loaded,
            self.rejected,
            self.panics.len(),
            self.slow.len()
        );
        assert!(
            self.panics.is_empty(),
            "{what} panicked on {:?}",
            self.panics
        );
        assert!(self.slow.is_empty(), "{what} was slow on {:?}", self.slow);
    }
}

/// Mutated scenario files through the loader, the engine and the
/// explanations, as `keyshake eval` runs them.
#[test]
#[ignore = "fuzz: run with --ignored fuzz"]
fn fuzz_eval_scenarios() {
    let seeds = files(&["tests/scenarios", "content/labs", "content/scenarios"]);
    let texts: Vec<Vec<u8>> = seeds.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    assert!(!texts.is_empty());
    let n = env_u64("KEYSHAKE_FUZZ_N", 300);
    let mut rng = Rng(env_u64("KEYSHAKE_FUZZ_SEED", 1));
    let keep = keep_dir("eval");
    let mut t = Tally::default();
    let started = Instant::now();
    for i in 0..n {
        let pick = rng.below(texts.len());
        let bytes = mutate(&mut rng, &texts[pick]);
        let at = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| {
            match keyshake::core::world::load("case.toml", &bytes) {
                Ok(world) => {
                    for r in keyshake::cli::eval::evaluate_world(&world) {
                        let _ = r.explanation.len();
                    }
                    true
                }
                Err(diags) => {
                    for d in diags {
                        let _ = d.to_string();
                    }
                    false
                }
            }
        }));
        t.ran += 1;
        match result {
            Ok(true) => t.loaded += 1,
            Ok(false) => t.rejected += 1,
            Err(_) => {
                let p = t.keep(&keep, i, &bytes);
                t.panics.push(p);
            }
        }
        if at.elapsed() > SLOW {
            let p = t.keep(&keep, i, &bytes);
            t.slow.push((p, at.elapsed()));
        }
    }
    t.check("fuzz_eval_scenarios", started);
}

/// The whole course copied as a pack, one file mutated per case, loaded
/// as `pack check` and `--content` load it.
#[test]
#[ignore = "fuzz: run with --ignored fuzz"]
fn fuzz_pack_loading() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let pack = tempfile::tempdir().expect("temp dir");
    copy_tree(&root, pack.path());
    std::fs::write(
        pack.path().join("pack.toml"),
        "name = \"fuzz\"\nversion = \"1\"\n",
    )
    .expect("pack.toml");
    if let Err(d) = keyshake::core::content::Pack::load_dir(pack.path()) {
        panic!("the unmutated course does not load as a pack: {d:?}");
    }
    let targets = walk(pack.path());
    let originals: Vec<Vec<u8>> = targets
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    let n = env_u64("KEYSHAKE_FUZZ_N", 300) / 10 + 1;
    let mut rng = Rng(env_u64("KEYSHAKE_FUZZ_SEED", 1));
    let keep = keep_dir("pack");
    let mut t = Tally::default();
    let started = Instant::now();
    for i in 0..n {
        let k = rng.below(targets.len());
        let bytes = mutate(&mut rng, &originals[k]);
        std::fs::write(&targets[k], &bytes).expect("write");
        let at = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(
            || match keyshake::core::content::Pack::load_dir(pack.path()) {
                Ok(_) => true,
                Err(diags) => {
                    for d in diags {
                        let _ = d.to_string();
                    }
                    false
                }
            },
        ));
        std::fs::write(&targets[k], &originals[k]).expect("restore");
        t.ran += 1;
        match result {
            Ok(true) => t.loaded += 1,
            Ok(false) => t.rejected += 1,
            Err(_) => {
                let p = t.keep(&keep, i, &bytes);
                t.panics.push(p);
            }
        }
        if at.elapsed() > SLOW * 4 {
            let p = t.keep(&keep, i, &bytes);
            t.slow.push((p, at.elapsed()));
        }
    }
    t.check("fuzz_pack_loading", started);
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
    out.sort();
    out
}
