//! The classroom kit: `pack new`, `pack check`, broken packs, and packs that
//! try to escape their folder or the terminal.

use std::path::{Path, PathBuf};

use keyshake::cli::pack;
use keyshake::core::content::{Pack, PackMode, safe};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::Paragraph;

fn packs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packs")
}

/// `pack check` output with the pack folder's path removed.
fn check(dir: &Path, strict: bool) -> (String, u8) {
    let (out, code) = pack::check(Some(dir), strict);
    let prefix = dir.join("").display().to_string();
    (out.replace(&prefix, ""), code)
}

#[test]
fn pack_new_writes_a_pack_that_passes_check_strictly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("my-class");
    let files = pack::new(&dir).expect("pack new");
    assert_eq!(files.len(), pack::TEMPLATE.len());
    let (out, code) = check(&dir, true);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "pack my-class 0.1.0: 1 objective, 1 glossary term, 1 lesson (1 checkpoint), 4 questions, 1 lab: ok"
        ),
        "{out}"
    );
    let loaded = Pack::load_dir(&dir).expect("loads");
    assert_eq!(loaded.info.mode, PackMode::Replace);
    assert_eq!(loaded.info.author, "Your name");
    let kinds: Vec<&str> = loaded.questions.iter().map(|q| q.kind.name()).collect();
    assert_eq!(kinds, ["single", "multiple", "truefalse", "policy"]);
    assert!(loaded.questions[3].policy.is_some(), "engine answered");
    // A second `pack new` into the same folder refuses to overwrite.
    let err = pack::new(&dir).expect_err("not empty");
    assert!(err.contains("is not empty"), "{err}");
}

#[test]
fn the_builtin_pack_checks_clean_and_a_missing_folder_is_unreadable() {
    let (out, code) = pack::check(None, false);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("pack keyshake "), "{out}");
    let (out, code) = pack::check(Some(Path::new("/no/such/pack/folder")), false);
    assert_eq!(code, 2);
    assert!(out.contains("not a folder"), "{out}");
}

#[test]
fn every_broken_pack_reports_its_error_at_the_expected_place() {
    let mut seen = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(packs())
        .expect("tests/packs")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expect.txt").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        let expect = std::fs::read_to_string(dir.join("expect.txt")).expect("expect.txt");
        let (out, code) = check(&dir, false);
        assert_eq!(code, 1, "{}: {out}", dir.display());
        for line in expect.lines().filter(|l| !l.is_empty()) {
            assert!(
                out.lines().any(|o| o.starts_with(line)),
                "{}: expected a line starting with\n  {line}\ngot:\n{out}",
                dir.display()
            );
        }
        seen += 1;
    }
    assert!(seen >= 11, "only {seen} broken packs found");
}

#[test]
fn an_extend_pack_adds_to_the_builtin_pack() {
    let builtin = crate::builtin_pack();
    let pack = Pack::load_dir(&packs().join("escape-sequences")).expect("loads");
    assert_eq!(pack.info.mode, PackMode::Extend);
    assert_eq!(pack.lessons.len(), builtin.lessons.len() + 1);
    assert_eq!(pack.questions.len(), builtin.questions.len() + 1);
    assert_eq!(pack.labs.len(), builtin.labs.len() + 1);
}

#[test]
fn escape_sequences_in_a_pack_are_inert_text() {
    let pack = Pack::load_dir(&packs().join("escape-sequences")).expect("loads");
    let lesson = pack.lesson("x-escapes").expect("lesson");
    let q = pack.question("x-escape-prompt").expect("question");
    let cp = pack.question("x-escape-checkpoint").expect("checkpoint");
    let texts = [
        pack.info.name.as_str(),
        lesson.title.as_str(),
        lesson.summary.as_str(),
        q.prompt.as_str(),
        q.choices[0].as_str(),
        q.explanation.as_str(),
        cp.prompt.as_str(),
    ];
    for t in texts {
        assert!(!t.chars().any(safe::is_unsafe), "{t:?}");
    }
    let lab = pack.lab("x-escape-lab").expect("lab");
    let lab_text: String = lab
        .story
        .iter()
        .chain(lab.hints.iter().flatten())
        .map(|b| format!("{b:?}"))
        .collect();
    assert!(lab_text.contains("Story \u{241b}[2J here."), "{lab_text}");
    assert!(lab_text.contains("Hint \u{241b}[31m red"), "{lab_text}");
    assert!(!lab_text.contains('\u{1b}'));
    // The escape shows as a visible symbol, so the author can see the problem.
    assert!(q.prompt.contains("\u{241b}]52;c;"), "{}", q.prompt);
    assert_eq!(pack.info.name, "escape\u{241b}]0;pwned\u{2407}-sequences");

    // Drawn with the lesson widgets, no cell holds a control character.
    let theme = keyshake::tui::theme::Theme::new(false);
    let blocks = &lesson.sections[0].blocks;
    let rendered =
        keyshake::tui::widgets::markup::lesson_lines(blocks, &pack, 60, &theme, &|_| 0, false);
    let mut lines = rendered.lines;
    lines.push(ratatui::text::Line::from(q.prompt.clone()));
    let mut terminal = Terminal::new(TestBackend::new(60, 8)).expect("terminal");
    terminal
        .draw(|f| f.render_widget(Paragraph::new(lines), f.area()))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for cell in buffer.content() {
        let sym = cell.symbol();
        assert!(!sym.contains('\u{1b}'), "ESC in a cell");
        assert!(!sym.chars().any(safe::is_unsafe), "control in cell {sym:?}");
        text.push_str(sym);
    }
    assert!(text.contains("move the cursor \u{241b}[10;10H"), "{text}");
}

fn extend_pack(dir: &Path) {
    std::fs::create_dir_all(dir.join("questions")).expect("mkdir");
    std::fs::write(
        dir.join("pack.toml"),
        "name = \"t\"\nversion = \"1\"\nmode = \"extend\"\n",
    )
    .expect("write");
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_pack_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let outside = tmp.path().join("secret.toml");
    std::fs::write(&outside, "[[questions]]\n").expect("write");
    let dir = tmp.path().join("pack");
    extend_pack(&dir);
    std::os::unix::fs::symlink(&outside, dir.join("questions/leak.toml")).expect("symlink");
    std::os::unix::fs::symlink(tmp.path(), dir.join("lessons")).expect("symlink");
    let (out, code) = check(&dir, false);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("questions/leak.toml:1:1: error: symlink to ")
            && out.contains("leads out of the pack folder; refused"),
        "{out}"
    );
    assert!(out.contains("lessons:1:1: error: symlink to "), "{out}");

    // A link that stays inside the pack is fine.
    std::fs::remove_file(dir.join("questions/leak.toml")).expect("rm");
    std::fs::remove_file(dir.join("lessons")).expect("rm");
    std::fs::create_dir_all(dir.join("spare")).expect("mkdir");
    std::fs::write(dir.join("spare/notes.txt"), "not content").expect("write");
    std::os::unix::fs::symlink(dir.join("spare"), dir.join("extra")).expect("symlink");
    // A link back to the pack's own root is read once, not forever.
    std::os::unix::fs::symlink(&dir, dir.join("spare/loop")).expect("symlink");
    let (out, code) = check(&dir, false);
    assert_eq!(code, 0, "{out}");
    let builtin = crate::builtin_pack().lessons.len();
    assert_eq!(
        Pack::load_dir(&dir).map(|p| p.lessons.len()).ok(),
        Some(builtin)
    );
}

#[test]
fn an_oversized_file_is_refused_with_the_limit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("pack");
    extend_pack(&dir);
    let big = format!("# {}\n", "x".repeat(1024 * 1024));
    std::fs::write(dir.join("questions/big.toml"), big).expect("write");
    let (out, code) = check(&dir, false);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("questions/big.toml:1:1: error: file is 1048579 bytes; a pack file may hold at most 1048576 bytes (1 MiB)"),
        "{out}"
    );
}

#[test]
fn a_bad_pack_toml_is_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("pack");
    extend_pack(&dir);
    std::fs::write(
        dir.join("pack.toml"),
        "name = \"t\"\nversion = \"1\"\nmode = \"merge\"\n",
    )
    .expect("write");
    let (out, code) = check(&dir, false);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("pack.toml:3:8: error: unknown mode \"merge\""),
        "{out}"
    );
}

#[test]
fn warnings_fail_only_with_strict() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("pack");
    pack::new(&dir).expect("pack new");
    // Drop two questions: the objective keeps 2 bank questions (< 3).
    let path = dir.join("questions/two-sided.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    let cut = text
        .find("[[questions]]\nid = \"ts-truefalse\"")
        .expect("marker");
    std::fs::write(&path, &text[..cut]).expect("write");
    let (out, code) = check(&dir, false);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "objectives.toml:3:6: warning: objective \"two-sided-access\" has 2 bank questions"
        ),
        "{out}"
    );
    assert!(out.contains("1 warning (--strict would fail)"), "{out}");
    let (out, code) = check(&dir, true);
    assert_eq!(code, 1);
    assert!(
        out.contains("1 warning: failed, because --strict counts warnings"),
        "{out}"
    );
}

#[test]
fn a_pack_with_too_many_files_stops_with_the_limit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("pack");
    extend_pack(&dir);
    let notes = dir.join("notes");
    std::fs::create_dir_all(&notes).expect("mkdir");
    for i in 0..=keyshake::core::content::MAX_PACK_FILES {
        std::fs::write(notes.join(format!("{i:04}.toml")), "").expect("write");
    }
    let (out, code) = check(&dir, false);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error: the pack has more than 2000 .toml files; reading stopped here"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_name_with_an_escape_sequence_is_printed_inert() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("pack");
    extend_pack(&dir);
    std::fs::write(
        dir.join("questions/a\u{1b}[2J.toml"),
        "[[questions]]\nid = 3\n",
    )
    .expect("write");
    let (out, code) = check(&dir, false);
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(
        out.contains("questions/a\u{241b}[2J.toml:2:6: error: invalid type"),
        "{out}"
    );
}
