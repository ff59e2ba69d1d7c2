//! The envelope-encryption walkthrough driven by keys: Encrypt refused
//! over 4,096 bytes, GenerateDataKey, the local encryption, and Decrypt as
//! account B's role, which flips from DENY to ALLOW once the walkthrough's
//! lab is solved (through progress), recovering the sample byte for byte.

use crate::tui_common;

use keyshake::core::progress::{MemStore, ProgressStore};
use keyshake::tui::app::{App, Setup};
use keyshake::tui::keymap::ScreenId;
use keyshake::tui::screens::envelope::{LAB_ID, SAMPLE_LEN, Stage, sample_report};
use keyshake::tui::theme::Theme;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Color;
use tui_common::{NOW, SharedStore, app_with, find, keys, pack, screen_text, terminal};

/// The seed that makes every key, nonce and ciphertext on screen the same
/// each run.
const SEED: u64 = 2026;

/// Keys that open the walkthrough from the course map (the row after the
/// last lab).
fn open_walkthrough() -> String {
    "<sel:walkthrough><ret>".to_string()
}

/// The walkthrough open on a `w`x`h` terminal, progress in `store`.
fn walkthrough(w: u16, h: u16, store: Box<dyn ProgressStore>) -> App {
    let mut a = App::new(Setup {
        envelope_seed: Some(SEED),
        profile: None,
        ..tui_common::setup(w, h, true, store)
    });
    keys(&mut a, &open_walkthrough());
    assert_eq!(a.screen(), ScreenId::Envelope);
    a
}

fn stage(a: &App) -> Stage {
    a.find::<keyshake::tui::screens::envelope::EnvelopeScreen>()
        .unwrap_or_else(|| panic!("the walkthrough is not open"))
        .stage()
}

/// Progress in which the walkthrough's lab holds its reference solution.
fn solved_store() -> MemStore {
    let lab = pack()
        .lab(LAB_ID)
        .cloned()
        .unwrap_or_else(|| panic!("no lab {LAB_ID}"));
    let texts: Vec<(String, String)> = lab
        .solution()
        .into_iter()
        .map(|(r, t)| (r.to_string(), t))
        .collect();
    let mut store = MemStore::default();
    store.progress.save_lab_work(LAB_ID, &texts, NOW);
    store
}

#[test]
fn the_course_map_lists_the_walkthrough_after_the_labs() {
    let mut a = app_with(120, 40, true, Box::new(MemStore::default()));
    let p = pack();
    keys(&mut a, &"j".repeat(1 + p.lessons.len() + p.labs.len()));
    let s = screen_text(&a, 120, 40);
    assert!(
        s.contains("▶ Walkthrough: envelope encryption, hands on"),
        "{s}"
    );
    assert!(s.contains("13. Envelope across accounts"), "{s}");
    assert!(
        s.lines()
            .any(|l| l.contains("Walkthrough:") && l.contains("not done")),
        "{s}"
    );
    assert!(s.contains("then decrypt it as account B."), "{s}");
}

#[test]
fn snapshots_of_each_step_at_80x24_and_120x40() {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let mut a = walkthrough(w, h, Box::new(MemStore::default()));
        keys(&mut a, "<ret>");
        assert_eq!(stage(&a), Stage::Encrypt);
        insta::assert_snapshot!(
            format!("envelope_refused_encrypt_{w}x{h}"),
            terminal(&a, w, h).backend()
        );
        keys(&mut a, "l");
        assert_eq!(stage(&a), Stage::DataKey);
        insta::assert_snapshot!(
            format!("envelope_data_key_{w}x{h}"),
            terminal(&a, w, h).backend()
        );
        keys(&mut a, "llll");
        assert_eq!(stage(&a), Stage::Decrypt);
        insta::assert_snapshot!(
            format!("envelope_denied_decrypt_{w}x{h}"),
            terminal(&a, w, h).backend()
        );

        let mut a = walkthrough(w, h, Box::new(solved_store()));
        keys(&mut a, "<ret>lllll");
        assert_eq!(stage(&a), Stage::Decrypt);
        insta::assert_snapshot!(
            format!("envelope_allowed_decrypt_{w}x{h}"),
            terminal(&a, w, h).backend()
        );
    }
}

#[test]
fn the_refused_encrypt_names_the_limit_and_the_data_key_step_shows_both_copies() {
    let mut a = walkthrough(120, 40, Box::new(MemStore::default()));
    keys(&mut a, "<ret>");
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("Sample size         10,240 bytes"), "{s}");
    assert!(s.contains("4,096 bytes of plaintext"), "{s}");
    assert!(s.contains("REFUSED ✗"), "{s}");
    assert!(
        s.contains("ValidationException: plaintext is 10240 bytes"),
        "{s}"
    );
    keys(&mut a, "l");
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("ALLOW ✓ kms:GenerateDataKey"), "{s}");
    assert!(s.contains("Plaintext data key  32 bytes:"), "{s}");
    assert!(s.contains("Encrypted data key  145 bytes: 4b534331"), "{s}");
    // The diagram lights the GenerateDataKey step.
    assert!(s.contains("In the diagram: Ask KMS for a data key"), "{s}");
    // Colour carries the verdict too, and the word is there without it.
    let t = terminal(&a, 120, 40);
    let (x, y) = find(&t, "ALLOW ✓").unwrap_or_else(|| panic!("no ALLOW"));
    assert_eq!(t.backend().buffer()[(x, y)].fg, Color::Green);
    // Step 3 encrypts locally: sample + 16-byte tag.
    keys(&mut a, "l");
    let s = screen_text(&a, 120, 40);
    assert!(
        s.contains("10,256 bytes = 10,240 of data + 16-byte tag"),
        "{s}"
    );
    // Step 4 drops the key; going back shows it wiped.
    keys(&mut a, "lhh");
    assert_eq!(stage(&a), Stage::DataKey);
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("wiped at step 4"), "{s}");
    // The envelope's layout adds up.
    keys(&mut a, "lll");
    let s = screen_text(&a, 120, 40);
    let total = 8 + 4 + 2 + 4 + 145 + 12 + SAMPLE_LEN + 16;
    assert!(
        s.contains(&format!(
            "10,{}  in all: {} bytes more",
            total - 10_000,
            total - SAMPLE_LEN
        )),
        "{s}"
    );
}

#[test]
fn decrypt_flips_from_deny_to_allow_once_the_lab_is_solved_and_returns_the_sample() {
    let shared = SharedStore::default();
    let mut a = walkthrough(120, 40, Box::new(shared.clone()));
    keys(&mut a, "<ret>lllll");
    assert_eq!(stage(&a), Stage::Decrypt);
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("DENY ✗ kms:Decrypt"), "{s}");
    assert!(
        s.contains("Neither half of the cross-account handshake"),
        "{s}"
    );
    let t = terminal(&a, 120, 40);
    let (x, y) = find(&t, "DENY ✗").unwrap_or_else(|| panic!("no DENY"));
    assert_eq!(t.backend().buffer()[(x, y)].fg, Color::Red);
    assert_eq!(
        a.find::<keyshake::tui::screens::envelope::EnvelopeScreen>()
            .and_then(|e| e.decrypted_matches()),
        None
    );
    // → on a denied decrypt asks again and stays denied.
    keys(&mut a, "l");
    assert!(screen_text(&a, 120, 40).contains("DENY ✗ kms:Decrypt"));

    // e opens the lab over the walkthrough; solve it there.
    keys(&mut a, "e");
    assert_eq!(a.screen(), ScreenId::LabEditor);
    let lab = pack()
        .lab(LAB_ID)
        .cloned()
        .unwrap_or_else(|| panic!("no lab"));
    for (i, (_, text)) in lab.solution().into_iter().enumerate() {
        if i > 0 {
            keys(&mut a, "<tab>");
        }
        a.handle(Event::Key(KeyEvent::new(
            KeyCode::Char('a'),
            KeyModifiers::CONTROL,
        )));
        a.handle(Event::Paste(text));
    }
    keys(&mut a, "<esc><esc>");
    assert_eq!(a.screen(), ScreenId::Envelope);
    assert!(
        shared
            .0
            .borrow()
            .progress
            .labs
            .get(LAB_ID)
            .is_some_and(|l| l.solved_at.is_some())
    );
    // Back on the decrypt step, KMS was asked again with the saved policies.
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("ALLOW ✓ kms:Decrypt"), "{s}");
    assert!(s.contains("yes ✓ every byte equals the sample"), "{s}");
    assert!(
        s.contains("First line          Quarterly sales report, Q3 2026"),
        "{s}"
    );
    assert!(
        s.contains("In the diagram: Decrypt the data locally"),
        "{s}"
    );
    assert_eq!(
        a.find::<keyshake::tui::screens::envelope::EnvelopeScreen>()
            .and_then(|e| e.decrypted_matches()),
        Some(true)
    );
    // Finished: saved at once (before any other key), and the course map
    // says so.
    let done = shared
        .0
        .borrow()
        .progress
        .walkthroughs
        .get("envelope")
        .copied();
    assert_eq!(done, Some(tui_common::NOW));
    keys(&mut a, "<esc>");
    assert_eq!(a.screen(), ScreenId::Home);
    let s = screen_text(&a, 120, 40);
    assert!(
        s.lines()
            .any(|l| l.contains("Walkthrough:") && l.contains("done ✓")),
        "{s}"
    );
}

#[test]
fn a_file_of_the_learners_own_is_read_and_errors_stay_on_one_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut a = walkthrough(100, 30, Box::new(solved_store()));
    let s = screen_text(&a, 100, 30);
    assert!(
        s.contains("j/k choose  Enter start  e edit policies"),
        "{s}"
    );
    // Down to the file row: letters now type into the path (q too).
    keys(&mut a, "j");
    assert_eq!(a.screen(), ScreenId::EnvelopeFile);
    let s = screen_text(&a, 100, 30);
    assert!(s.contains("Enter start  Esc back"), "{s}");
    let missing = dir.path().join("q.txt");
    keys(&mut a, &missing.display().to_string());
    keys(&mut a, "<ret>");
    assert_eq!(stage(&a), Stage::Choose);
    let s = screen_text(&a, 100, 30);
    assert!(s.contains("q.txt: no such file"), "{s}");

    // A small file fits Encrypt; envelope encryption still goes on.
    let small = dir.path().join("note.txt");
    std::fs::write(&small, "db password rotation notes\nline two\n")
        .unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..missing.display().to_string().chars().count() {
        keys(&mut a, "<bs>");
    }
    // Pasted, as a path copied from a terminal (with its newline).
    a.handle(Event::Paste(format!("{}\n", small.display())));
    keys(&mut a, "<ret>");
    assert_eq!(stage(&a), Stage::Encrypt);
    let s = screen_text(&a, 100, 30);
    assert!(s.contains("ALLOW ✓ kms:Encrypt"), "{s}");
    assert!(s.contains("The sample fits"), "{s}");
    keys(&mut a, "lllll");
    let s = screen_text(&a, 100, 30);
    assert!(s.contains("ALLOW ✓ kms:Decrypt"), "{s}");
    assert!(s.contains("db password rotation notes"), "{s}");
    assert_eq!(
        a.find::<keyshake::tui::screens::envelope::EnvelopeScreen>()
            .and_then(|e| e.decrypted_matches()),
        Some(true)
    );
    // r starts again at the chooser, the path kept.
    keys(&mut a, "r");
    assert_eq!(stage(&a), Stage::Choose);
    assert!(screen_text(&a, 100, 30).contains("note.txt"));
    // Esc leaves the path field, then the walkthrough.
    keys(&mut a, "<esc><esc>");
    assert_eq!(a.screen(), ScreenId::Home);
}

#[test]
fn ascii_and_no_color_draw_every_step_without_symbols_or_colours() {
    let mut a = App::new(Setup {
        pack: pack(),
        pack_label: "built-in".into(),
        store: Box::new(MemStore::default()),
        progress_path: "/tmp/progress.json".into(),
        theme: Theme::new(false),
        ascii: true,
        area: Rect::new(0, 0, 80, 24),
        clock: || NOW,
        quiz_seed: None,
        envelope_seed: Some(SEED),
        profile: None,
    });
    keys(&mut a, &open_walkthrough());
    for step in 0..8 {
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            a.resize(Rect::new(0, 0, w, h));
            let t = terminal(&a, w, h);
            let buf = t.backend().buffer();
            let text: String = buf.content().iter().map(|c| c.symbol()).collect();
            assert!(text.is_ascii(), "step {step} at {w}x{h}:\n{}", t.backend());
            assert!(
                buf.content()
                    .iter()
                    .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
                "step {step} has colour"
            );
        }
        keys(&mut a, "l");
    }
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("DENY x kms:Decrypt"), "{s}");
}

#[test]
fn small_terminals_scroll_to_the_diagram_and_never_panic() {
    let mut a = walkthrough(80, 24, Box::new(solved_store()));
    keys(&mut a, "<ret>");
    for _ in 0..6 {
        let s = screen_text(&a, 80, 24);
        assert!(s.contains("more below"), "{s}");
        keys(&mut a, "<pgdn><pgdn><pgdn>");
        let s = screen_text(&a, 80, 24);
        assert!(
            s.contains("Envelope encryption"),
            "the diagram follows:\n{s}"
        );
        for (w, h) in [(80u16, 24u16), (40, 12), (1, 1)] {
            let _ = terminal(&a, w, h);
        }
        keys(&mut a, "l");
    }
}

#[test]
fn the_generated_sample_is_the_report_the_screen_describes() {
    let s = sample_report();
    assert_eq!(s.len(), SAMPLE_LEN);
    let text = String::from_utf8(s).unwrap_or_default();
    assert_eq!(
        text.lines().nth(1),
        Some("region,month,product,units,revenue_usd")
    );
}

#[test]
fn w_in_the_envelope_lesson_opens_the_walkthrough_and_esc_returns_to_the_lesson() {
    let mut a = app_with(100, 30, true, Box::new(MemStore::default()));
    let p = pack();
    let lesson = p
        .lessons
        .iter()
        .position(|l| l.id == "envelope")
        .unwrap_or_else(|| panic!("no envelope lesson"));
    keys(
        &mut a,
        &format!("<sel:lesson:{}><ret>n", p.lessons[lesson].id),
    );
    assert_eq!(a.screen(), ScreenId::Lesson);
    // The tip sits above the section's checkpoints.
    keys(&mut a, &format!("G{}", "k".repeat(12)));
    let s = screen_text(&a, 100, 30);
    assert!(s.contains("w for the envelope walkthrough"), "{s}");
    keys(&mut a, "w");
    assert_eq!(a.screen(), ScreenId::Envelope);
    keys(&mut a, "<esc>");
    assert_eq!(a.screen(), ScreenId::Lesson);
}

/// Progress whose saved key policy for the walkthrough's lab is `text`.
fn store_with_key_policy(text: &str) -> SharedStore {
    let lab = pack()
        .lab(LAB_ID)
        .cloned()
        .unwrap_or_else(|| panic!("no lab {LAB_ID}"));
    let key = lab.editable[0].policy.to_string();
    assert!(key.starts_with("key:"), "{key}");
    let store = SharedStore::default();
    store
        .0
        .borrow_mut()
        .progress
        .save_lab_work(LAB_ID, &[(key, text.to_string())], NOW);
    store
}

#[test]
fn a_key_policy_that_locks_out_account_a_stops_the_walkthrough_at_generate_data_key() {
    // The learner's saved key policy names only B's reader: A's own role
    // loses kms:GenerateDataKey, because the key policy no longer enables
    // A's IAM policies.
    let store = store_with_key_policy(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::444455556666:role/report-reader"},
            "Action": "kms:Decrypt", "Resource": "*"}]}"#,
    );
    let mut a = walkthrough(120, 40, Box::new(store.clone()));
    keys(&mut a, "<ret>l");
    assert_eq!(stage(&a), Stage::DataKey);
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("DENY ✗ kms:GenerateDataKey"), "{s}");
    assert!(s.contains("Press e to fix the key policy"), "{s}");
    // → asks again and stays: nothing to encrypt with.
    keys(&mut a, "l");
    assert_eq!(stage(&a), Stage::DataKey);
    assert!(screen_text(&a, 120, 40).contains("KMS still refuses"));
    // The lab's reference key policy, saved while the walkthrough waits
    // under the lab, is used as soon as the lab closes.
    keys(&mut a, "e");
    assert_eq!(a.screen(), ScreenId::LabEditor);
    let lab = pack()
        .lab(LAB_ID)
        .cloned()
        .unwrap_or_else(|| panic!("no lab"));
    a.handle(Event::Key(KeyEvent::new(
        KeyCode::Char('a'),
        KeyModifiers::CONTROL,
    )));
    a.handle(Event::Paste(lab.editable[0].solution.clone()));
    keys(&mut a, "<esc><esc>");
    assert_eq!(a.screen(), ScreenId::Envelope);
    let s = screen_text(&a, 120, 40);
    assert!(s.contains("ALLOW ✓ kms:GenerateDataKey"), "{s}");
    keys(&mut a, "l");
    assert_eq!(stage(&a), Stage::Local);
}

#[test]
fn saved_policies_that_do_not_parse_are_named_instead_of_asking_kms() {
    let store = store_with_key_policy("{ \"Version\": ");
    let mut a = walkthrough(80, 24, Box::new(store));
    keys(&mut a, "<ret>l");
    let s = screen_text(&a, 80, 24);
    assert!(s.contains("NOT ASKED ✗"), "{s}");
    assert!(s.contains("do not parse"), "{s}");
    assert_eq!(stage(&a), Stage::DataKey);
}
