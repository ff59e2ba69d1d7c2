//! The mastery screen's cost (issue 17): `cargo bench --bench mastery`.
//!
//! - mastery/draw_120x40_5000_answers: the mastery screen drawn into a
//!   120x40 TestBackend from progress holding 5,000 quiz answers (spread
//!   over the bank and 120 days, each moving its FSRS card), every
//!   checkpoint answered and every lab touched: the figures computed and
//!   the frame drawn (target ≤ 5 ms; measured 1.4 ms).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use keyshake::core::content::Pack;
use keyshake::core::progress::{LabProgress, MemStore, Progress};
use keyshake::core::quiz::AnswerRecord;
use keyshake::tui::app::{App, Setup};
use keyshake::tui::screens::home::Row;
use keyshake::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

const NOW: u64 = 1_800_000_000;
const DAY: u64 = 86_400;

fn progress(pack: &Pack) -> Progress {
    let mut p = Progress::default();
    let n = pack.questions.len().max(1);
    for i in 0..5_000u64 {
        let q = &pack.questions[(i as usize * 7) % n];
        p.quiz.record_answer(AnswerRecord {
            question: q.id.clone(),
            at: NOW - 120 * DAY + i * (120 * DAY / 5_000),
            mode: "practice".into(),
            correct: i % 3 != 0,
            ..AnswerRecord::default()
        });
    }
    let cps: Vec<String> = pack
        .lessons
        .iter()
        .flat_map(|l| &l.sections)
        .flat_map(|s| &s.checkpoints)
        .map(|c| c.id.clone())
        .collect();
    for (i, id) in cps.iter().enumerate() {
        p.record_checkpoint(id, &[0], i % 4 != 0, NOW - (i as u64 % 60) * DAY);
    }
    for (i, lab) in pack.labs.iter().enumerate() {
        p.labs.insert(
            lab.id.clone(),
            LabProgress {
                started: Some(NOW - 10 * DAY),
                solved_at: (i % 2 == 0).then_some(NOW - DAY),
                solution_shown: i % 5 == 0,
                ..LabProgress::default()
            },
        );
    }
    p
}

fn bench(c: &mut Criterion) {
    let pack = match Pack::load(None) {
        Ok(p) => p,
        Err(e) => panic!("the built-in course does not load: {e:?}"),
    };
    let store = MemStore {
        progress: progress(&pack),
    };
    let mut app = App::new(Setup {
        pack,
        pack_label: "built-in".into(),
        profile: None,
        store: Box::new(store),
        progress_path: "memory".into(),
        theme: Theme::new(true),
        ascii: false,
        area: Rect::new(0, 0, 120, 40),
        clock: || NOW,
        quiz_seed: None,
        envelope_seed: None,
    });
    assert!(app.select(Row::Mastery));
    app.handle(Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    assert_eq!(app.screen(), keyshake::tui::keymap::ScreenId::Mastery);
    let mut t = match Terminal::new(TestBackend::new(120, 40)) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    c.bench_function("mastery/draw_120x40_5000_answers", |b| {
        b.iter(|| {
            if let Err(e) = t.draw(|f| app.render(f)) {
                panic!("{e}");
            }
            black_box(t.backend().buffer().area);
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
