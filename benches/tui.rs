//! Tutor speed (issue 3, "Speed"): `cargo bench --bench tui`.
//!
//! - redraw/scroll_key_120x40: one `j` in the handshake lesson and the
//!   frame drawn into a 120x40 TestBackend (what a key press costs).
//! - redraw/diagram_step_120x40: one → on the handshake diagram (the
//!   section is laid out again) and the frame drawn.
//! - lab/edit_key_reevaluate_120x40: one key typed into the policy editor
//!   of the largest lab (most goals, then most policy text): every goal
//!   re-evaluated (with near misses) and the frame drawn (target ≤ 2 ms).
//! - lab/edit_key_all_levels_120x40: the same with every hint level shown
//!   and a failing goal selected: near misses, the fix searched and checked
//!   against every goal, and the frame drawn (target ≤ 2 ms).
//! - lab/type_policy_120x40: the largest lab's first reference policy typed
//!   key by key (Enter for newlines, the editor indents), again and again
//!   until 2,000 characters are typed, each key re-evaluated and drawn;
//!   divide the time by the characters printed at the start for the cost
//!   of one key while typing (most states in between are invalid JSON).
//! - lab/sandbox_edit_key_17_tabs_120x40: one key in `keyshake lab FILE` on
//!   the test scenario with the most policies (17 tabs, 16 requests).
//! - lab/edit_key_950kb_one_line_policy_120x40: one key in lab 1's editor
//!   holding a valid minified 950 KB policy on one line (12,000 statements,
//!   one lint finding each; adversarial finding 9): re-linted, every goal
//!   re-evaluated and the frame drawn (target ≤ 1 s; it took 6-9 s).
//! - envelope/walkthrough_10kib_120x40: the envelope walkthrough from its
//!   sample chooser to the decrypt as account B, the generated 10 KiB
//!   report, every step's frame drawn (6 keys).
//! - envelope/walkthrough_16mib_file_120x40: the same with a 16 MiB file
//!   named in the chooser (read, Encrypt refused, GenerateDataKey, local
//!   AES-256-GCM, store, decrypt): what the learner waits for in all.
//! - start/builtin_pack_first_frame: parse the built-in course, build the
//!   app and draw the home screen at 120x40 (start-up minus the terminal).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use keyshake::core::content::Pack;
use keyshake::core::progress::MemStore;
use keyshake::tui::app::{App, Setup};
use keyshake::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

fn app(pack: Pack) -> App {
    App::new(Setup {
        pack,
        pack_label: "built-in".into(),
        store: Box::new(MemStore::default()),
        progress_path: "memory".into(),
        theme: Theme::new(true),
        ascii: false,
        area: Rect::new(0, 0, 120, 40),
        clock: || 0,
        quiz_seed: None,
        // The walkthrough's bytes are the same every run.
        envelope_seed: Some(7),
        profile: None,
    })
}

fn key(app: &mut App, code: KeyCode) -> bool {
    app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// A valid identity policy of about 950 KB on one line.
fn one_line_policy(n: usize) -> String {
    let st: Vec<String> = (0..n)
        .map(|i| {
            format!(r#"{{"Sid":"S{i}","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}}"#)
        })
        .collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        st.join(",")
    )
}

fn pack() -> Pack {
    Pack::builtin().unwrap_or_else(|d| panic!("{d:?}"))
}

/// One key in the lab editor on screen, alternately a space before the
/// first `{` and Backspace: both keep the JSON valid, so every key
/// re-evaluates every goal; the frame is drawn each time.
fn edit_key(c: &mut Criterion, name: &str, lab: &mut App, term: &mut Terminal<TestBackend>) {
    let mut space = true;
    c.bench_function(name, |b| {
        b.iter(|| {
            let code = if space {
                KeyCode::Char(' ')
            } else {
                KeyCode::Backspace
            };
            space = !space;
            assert!(key(lab, code));
            term.draw(|f| lab.render(f))
                .unwrap_or_else(|e| panic!("{e}"));
        });
    });
    assert!(
        lab.find::<keyshake::tui::screens::lab::LabScreen>()
            .is_some_and(|l| !l.stale())
    );
}

fn bench(c: &mut Criterion) {
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap_or_else(|e| panic!("{e}"));
    // Lesson 4, scrolled to the diagram.
    let mut a = app(pack());
    for code in [KeyCode::Down; 4] {
        key(&mut a, code);
    }
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Tab);
    let mut down = true;
    c.bench_function("redraw/scroll_key_120x40", |b| {
        b.iter(|| {
            // Alternate down and up so the scroll never hits an end.
            let code = if down {
                KeyCode::Char('j')
            } else {
                KeyCode::Char('k')
            };
            down = !down;
            assert!(key(&mut a, code));
            term.draw(|f| a.render(f)).unwrap_or_else(|e| panic!("{e}"));
        });
    });
    let mut forward = true;
    c.bench_function("redraw/diagram_step_120x40", |b| {
        b.iter(|| {
            let code = if forward {
                KeyCode::Right
            } else {
                KeyCode::Left
            };
            forward = !forward;
            assert!(key(&mut a, code));
            term.draw(|f| a.render(f)).unwrap_or_else(|e| panic!("{e}"));
        });
    });
    // The largest lab: most goals, then the most editable text.
    let p = pack();
    let largest = p
        .labs
        .iter()
        .max_by_key(|l| {
            (
                l.goals.len(),
                l.editable.iter().map(|e| e.start.len()).sum::<usize>(),
            )
        })
        .map(|l| l.id.clone())
        .unwrap_or_default();
    let mut lab = app(p);
    assert!(lab.update(keyshake::tui::action::Action::OpenLab(largest)));
    edit_key(c, "lab/edit_key_reevaluate_120x40", &mut lab, &mut term);
    // The same lab with every hint level shown and its first failing goal
    // selected: each key also finds the near misses, searches and verifies
    // the fix against every goal, and draws them.
    let mut all = app(pack());
    assert!(
        all.update(keyshake::tui::action::Action::OpenLab(
            lab.find::<keyshake::tui::screens::lab::LabScreen>()
                .map(|l| l.lab_id().to_string())
                .unwrap_or_default()
        ))
    );
    let (levels, failing) = all
        .find::<keyshake::tui::screens::lab::LabScreen>()
        .map(|l| {
            let bench = l.workbench();
            let failing = bench.results().1.goals.iter().position(|g| !g.met);
            (bench.lab().hints.len() + 3, failing.unwrap_or(0))
        })
        .unwrap_or_default();
    key(&mut all, KeyCode::Esc);
    for _ in 0..levels {
        key(&mut all, KeyCode::Char('h'));
    }
    for _ in 0..failing {
        key(&mut all, KeyCode::Char('j'));
    }
    key(&mut all, KeyCode::Tab);
    edit_key(c, "lab/edit_key_all_levels_120x40", &mut all, &mut term);

    // Typing a whole policy, key by key.
    let p = pack();
    let typed: Vec<KeyCode> = lab
        .find::<keyshake::tui::screens::lab::LabScreen>()
        .and_then(|l| p.lab(l.lab_id()))
        .and_then(|l| l.editable.first())
        .map(|e| {
            e.solution
                .lines()
                .flat_map(|line| {
                    line.trim_start()
                        .chars()
                        .map(KeyCode::Char)
                        .chain(std::iter::once(KeyCode::Enter))
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(!typed.is_empty());
    let rounds = 2000_usize.div_ceil(typed.len());
    eprintln!(
        "lab/type_policy_120x40 types {} keys per iteration",
        rounds * typed.len()
    );
    let mut group = c.benchmark_group("lab");
    group.sample_size(10);
    group.bench_function("type_policy_120x40", |b| {
        b.iter(|| {
            for _ in 0..rounds {
                lab.handle(Event::Key(KeyEvent::new(
                    KeyCode::Char('a'),
                    KeyModifiers::CONTROL,
                )));
                key(&mut lab, KeyCode::Backspace);
                for code in &typed {
                    key(&mut lab, *code);
                    term.draw(|f| lab.render(f))
                        .unwrap_or_else(|e| panic!("{e}"));
                }
            }
        });
    });
    group.finish();
    // The sandbox on the test scenario with the most policies (17 tabs,
    // 16 requests): one key, every request re-evaluated, frame drawn.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios/resource-wildcards.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let sandbox = keyshake::core::content::Lab::sandbox("resource-wildcards.toml", &text)
        .unwrap_or_else(|d| panic!("{d:?}"));
    let mut sb = app(pack());
    sb.open_sandbox(sandbox, path);
    edit_key(c, "lab/sandbox_edit_key_17_tabs_120x40", &mut sb, &mut term);
    // Lab 1's first policy replaced by a 950 KB policy on one line.
    let mut big = app(pack());
    let first = pack().labs[0].id.clone();
    assert!(big.update(keyshake::tui::action::Action::OpenLab(first)));
    big.handle(Event::Key(KeyEvent::new(
        KeyCode::Char('a'),
        KeyModifiers::CONTROL,
    )));
    big.handle(Event::Paste(one_line_policy(12_000)));
    key(&mut big, KeyCode::Home);
    let mut group = c.benchmark_group("lab");
    group.sample_size(10);
    let mut space = true;
    group.bench_function("edit_key_950kb_one_line_policy_120x40", |b| {
        b.iter(|| {
            let code = if space {
                KeyCode::Char(' ')
            } else {
                KeyCode::Backspace
            };
            space = !space;
            assert!(key(&mut big, code));
            term.draw(|f| big.render(f))
                .unwrap_or_else(|e| panic!("{e}"));
        });
    });
    group.finish();
    // The envelope walkthrough, every step; lab 13 solved so the decrypt
    // as account B is allowed and really decrypts.
    let walk = |term: &mut Terminal<TestBackend>, file: Option<&str>| {
        let p = pack();
        let lab = p
            .lab("envelope-cross-account")
            .cloned()
            .unwrap_or_else(|| panic!("no lab 13"));
        let mut a = app(p);
        let work: Vec<(String, String)> = lab
            .solution()
            .into_iter()
            .map(|(r, t)| (r.to_string(), t))
            .collect();
        a.update(keyshake::tui::action::Action::Save(
            keyshake::tui::action::Change::LabWork {
                lab: lab.id.clone(),
                policies: work,
            },
        ));
        a.update(keyshake::tui::action::Action::Walkthrough);
        if let Some(path) = file {
            key(&mut a, KeyCode::Down);
            a.handle(Event::Paste(path.to_string()));
        }
        for code in [
            KeyCode::Enter,
            KeyCode::Right,
            KeyCode::Right,
            KeyCode::Right,
            KeyCode::Right,
            KeyCode::Right,
        ] {
            key(&mut a, code);
            term.draw(|f| a.render(f)).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(
            a.find::<keyshake::tui::screens::envelope::EnvelopeScreen>()
                .and_then(|e| e.decrypted_matches()),
            Some(true),
            "the walkthrough reached a good decrypt"
        );
    };
    c.bench_function("envelope/walkthrough_10kib_120x40", |b| {
        b.iter(|| walk(&mut term, None));
    });
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let big = dir.path().join("big.bin");
    let data: Vec<u8> = (0..16 * 1024 * 1024_u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&big, &data).unwrap_or_else(|e| panic!("{e}"));
    let big = big.display().to_string();
    let mut group = c.benchmark_group("envelope");
    group.sample_size(10);
    group.bench_function("walkthrough_16mib_file_120x40", |b| {
        b.iter(|| walk(&mut term, Some(&big)));
    });
    group.finish();
    c.bench_function("start/builtin_pack_first_frame", |b| {
        b.iter(|| {
            let a = app(pack());
            term.draw(|f| a.render(f)).unwrap_or_else(|e| panic!("{e}"));
            black_box(&a);
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
