//! Question exchange: `pack export-questions` (GIFT, QTI 2.1) and
//! `pack import-questions` (GIFT), run as an instructor would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use keyshake::core::content::exchange::{self, ExKind, ExQuestion, gift, read_gift};
use keyshake::core::content::{Pack, QuestionKind};
use proptest::prelude::*;

pub(crate) fn keyshake(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .args(args)
        .env_remove("KEYSHAKE_CONTENT")
        .env_remove("KEYSHAKE_PROFILE")
        .output()
        .expect("run keyshake")
}

pub(crate) fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

pub(crate) fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A fresh `pack new` folder (one objective, `two-sided-access`).
fn new_pack(root: &Path) -> PathBuf {
    let dir = root.join("class");
    keyshake::cli::pack::new(&dir).expect("pack new");
    dir
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exchange/hand-written.gift")
}

#[test]
fn the_builtin_bank_survives_gift_export_and_import_unchanged() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = new_pack(tmp.path());
    let file = tmp.path().join("bank.gift");
    let out = keyshake(&[
        os("pack"),
        os("export-questions"),
        os("--format"),
        os("gift"),
        os("-o"),
        file.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let builtin = crate::builtin_pack();
    assert!(
        text(&out.stdout).starts_with(&format!("exported {} questions", builtin.questions.len())),
        "{}",
        text(&out.stdout)
    );
    let out = keyshake(&[
        os("pack"),
        os("import-questions"),
        file.as_os_str(),
        os("-o"),
        dir.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "", "nothing skipped or changed");
    let pack = Pack::load_dir(&dir).expect("the imported bank loads");
    let imported: Vec<_> = pack
        .questions
        .iter()
        .filter(|q| q.path.ends_with("bank.toml"))
        .collect();
    assert_eq!(imported.len(), builtin.questions.len());
    let (exported, _) = exchange::from_pack(&builtin);
    for ((orig, ex), back) in builtin.questions.iter().zip(&exported).zip(&imported) {
        assert_eq!(back.id, orig.id);
        assert_eq!(back.prompt, gift::stem_text(ex), "{}", orig.id);
        assert_eq!(back.choices, ex.choices, "{}", orig.id);
        assert_eq!(back.answer, ex.answer, "{}", orig.id);
        assert_eq!(back.explanation, ex.feedback, "{}", orig.id);
        let kind = match orig.kind {
            QuestionKind::Policy => QuestionKind::Single,
            k => k,
        };
        assert_eq!(back.kind, kind, "{}", orig.id);
        assert_eq!(back.pick, orig.pick, "{}", orig.id);
        if orig.kind != QuestionKind::Policy {
            assert_eq!(back.choices.len(), orig.choices.len());
            assert_eq!(back.answer, orig.answer, "{}", orig.id);
        }
    }
}

#[test]
fn a_policy_question_exports_the_world_and_the_quiz_answers_only() {
    let pack = crate::builtin_pack();
    let (exported, notes) = exchange::from_pack(&pack);
    assert!(notes.is_empty(), "{notes:?}");
    let mut policy = 0;
    for (q, ex) in pack.questions.iter().zip(&exported) {
        if q.kind != QuestionKind::Policy {
            assert!(ex.code.is_empty());
            continue;
        }
        policy += 1;
        let name = q
            .scenario
            .as_deref()
            .expect("policy questions name a scenario");
        let file = &pack.scenarios[name];
        // The title is the question's id (Moodle shows it to teachers,
        // not to students); the text, code block and choices must not
        // show the scenario's file, name or expectations.
        let para = gift::question(ex);
        assert!(
            !para.contains(file.path.as_str()),
            "the file leaks in {}",
            q.id
        );
        let shown = format!(
            "{}\n{}\n{}",
            gift::stem_text(ex),
            ex.choices.join("\n"),
            ex.feedback
        );
        for hidden in ["expect", name] {
            assert!(
                !gift::stem_text(ex).contains(hidden),
                "{hidden:?} leaks in {}",
                q.id
            );
        }
        assert!(!shown.contains(&format!("{name}.toml")), "{}", q.id);
        for comment in file.text.lines().filter_map(|l| l.trim().strip_prefix('#')) {
            let comment = comment.trim();
            if comment.len() > 12 {
                assert!(
                    !ex.code.iter().any(|l| l.contains(comment)),
                    "comment {comment:?} leaks in {}",
                    q.id
                );
            }
        }
        assert_eq!(ex.choices, exchange::policy_choices());
        assert_eq!(ex.choices.len(), 6, "ALLOW and five DENY reasons");
        let p = q.policy.as_ref().expect("the engine answered");
        let right = &ex.choices[ex.answer[0]];
        match p.verdict {
            keyshake::core::world::Verdict::Allow => assert_eq!(right, "ALLOW"),
            keyshake::core::world::Verdict::Deny => assert!(
                right.starts_with("DENY, ")
                    && right.contains(
                        &p.reason
                            .code()
                            .replace('_', " ")
                            .replace("cross account", "cross-account")
                    ),
                "{right} for {:?}",
                p.reason
            ),
        }
    }
    assert!(policy > 0);
}

#[test]
fn a_hand_written_gift_file_imports_and_reports_what_it_skips() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = new_pack(tmp.path());
    let file = fixture();
    let out = keyshake(&[
        os("pack"),
        os("import-questions"),
        file.as_os_str(),
        os("-o"),
        dir.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = file.display().to_string();
    let err = text(&out.stderr).replace(&shown, "FILE");
    assert_eq!(
        err,
        "FILE:24: skipped: a short-answer question (only = answers) is not supported\n\
         FILE:26: skipped: a numerical question is not supported\n\
         FILE:28: partial: partial credit is not kept: nearly right counted as wrong\n\
         FILE:28: partial: no feedback in the file; the explanation only names the answer\n\
         FILE:30: skipped: no answer block { }: a description is not a question\n\
         FILE:32: missing-word: no feedback in the file; the explanation only names the answer\n"
    );
    assert!(
        text(&out.stdout).starts_with("imported 6 questions into "),
        "{}",
        text(&out.stdout)
    );
    let pack = Pack::load_dir(&dir).expect("the imported file loads");
    let got: Vec<_> = pack
        .questions
        .iter()
        .filter(|q| q.path.ends_with("hand-written.toml"))
        .collect();
    let ids: Vec<&str> = got.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "both-halves",
            "key-arn-1",
            "account-b-can-use-a-s",
            "tf-true",
            "partial",
            "missing-word"
        ]
    );
    let both = got[0];
    assert_eq!(both.kind, QuestionKind::Multiple);
    assert_eq!((both.answer.clone(), both.pick), (vec![0, 1], 2));
    assert_eq!(
        both.explanation,
        "Cross-account use needs both halves of the handshake.\n\n\
         The key policy in the key's account: It must trust the other account.\n\n\
         An IAM policy in the caller's account: It must name the key ARN.\n\n\
         A bucket policy: Not for a direct KMS call."
    );
    assert_eq!(both.objectives, ["two-sided-access"], "from $CATEGORY");
    let escaped = got[1];
    assert_eq!(
        escaped.prompt,
        "An IAM policy names a key by { key ARN } or by alias *ARN*?"
    );
    assert_eq!(escaped.choices, ["key ARN", "alias ARN"]);
    assert_eq!(escaped.answer, [0]);
    let (f, t) = (got[2], got[3]);
    assert_eq!(
        (f.kind, f.answer.as_slice()),
        (QuestionKind::TrueFalse, &[1][..])
    );
    assert_eq!(
        f.explanation,
        "Wrong: the key policy must trust B.\n\nRight."
    );
    assert_eq!(
        (t.answer.as_slice(), t.explanation.as_str()),
        (&[0][..], "Bare names are local.")
    );
    assert_eq!(got[4].answer, [0]);
    assert_eq!(got[5].prompt, "KMS keys are _____ resources.");
    assert_eq!(got[5].answer, [1]);

    // A second import of the same file refuses to overwrite it.
    let again = keyshake(&[
        os("pack"),
        os("import-questions"),
        file.as_os_str(),
        os("-o"),
        dir.as_os_str(),
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already exists; nothing was written"));
}

#[test]
fn an_unknown_objective_or_an_empty_file_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = new_pack(tmp.path());
    let out = keyshake(&[
        os("pack"),
        os("import-questions"),
        fixture().as_os_str(),
        os("--objective"),
        os("two-sided"),
        os("-o"),
        dir.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--objective \"two-sided\" is not an objective of the pack; its objectives: two-sided-access"),
        "{}",
        text(&out.stderr)
    );
    let empty = tmp.path().join("empty.gift");
    std::fs::write(&empty, "// nothing here\n\nWho? {=no one}\n").expect("write");
    let out = keyshake(&[
        os("pack"),
        os("import-questions"),
        empty.as_os_str(),
        os("-o"),
        dir.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(":3: skipped: a short-answer question"));
    assert!(text(&out.stderr).contains("no question imported; nothing written"));
    assert!(!dir.join("questions/empty.toml").exists());
}

pub(crate) fn any_text() -> impl Strategy<Value = String> {
    // GIFT's special characters, backslashes, line breaks, markup and
    // ordinary words, in any order.
    proptest::collection::vec(
        prop_oneof![
            Just("~".to_string()),
            Just("=".to_string()),
            Just("#".to_string()),
            Just("{".to_string()),
            Just("}".to_string()),
            Just(":".to_string()),
            Just("::".to_string()),
            Just("####".to_string()),
            Just("\\".to_string()),
            Just("\\n".to_string()),
            Just("\n".to_string()),
            Just("%50%".to_string()),
            Just("[html]".to_string()),
            Just("->".to_string()),
            "[a-zA-Z0-9 ]{1,8}",
        ],
        1..8,
    )
    .prop_map(|parts| parts.concat())
    .prop_filter("not blank at either end", |s| {
        s.trim() == s && !s.is_empty()
    })
}

proptest! {
    #[test]
    fn any_choice_question_reads_back_from_its_gift_paragraph(
        stem in any_text(),
        choices in proptest::collection::vec(any_text(), 2..5),
        feedback in any_text(),
        several in any::<bool>(),
    ) {
        let answer = if several { vec![0, 1] } else { vec![1] };
        let q = ExQuestion {
            id: "q".to_string(),
            kind: if several { ExKind::Multiple } else { ExKind::Single },
            stem,
            code: Vec::new(),
            choices,
            answer,
            feedback,
            objectives: Vec::new(),
        };
        let read = read_gift(&gift::question(&q));
        prop_assert!(read.skipped.is_empty(), "{:?}", read.skipped);
        prop_assert_eq!(read.items.len(), 1);
        let back = &read.items[0];
        prop_assert_eq!(&back.stem, &q.stem);
        prop_assert_eq!(&back.choices, &q.choices);
        prop_assert_eq!(&back.answer, &q.answer);
        prop_assert_eq!(&back.feedback, &q.feedback);
        prop_assert_eq!(back.kind, q.kind);
    }

    #[test]
    fn any_text_reads_as_questions_or_reported_items_in_line_order(
        parts in proptest::collection::vec(
            prop_oneof![
                any_text(),
                Just("\n\n".to_string()),
                Just("{".to_string()),
                Just("}".to_string()),
                Just("// c\n".to_string()),
                Just("$CATEGORY: x\n".to_string()),
                Just("{T}".to_string()),
                Just("{=a ~b}".to_string()),
            ],
            0..30,
        )
    ) {
        let text = parts.concat();
        let read = read_gift(&text);
        let lines = text.lines().count();
        let mut at: Vec<usize> = read
            .items
            .iter()
            .map(|i| i.line)
            .chain(read.skipped.iter().map(|s| s.line))
            .collect();
        prop_assert!(at.iter().all(|&l| l >= 1 && l <= lines), "{at:?} of {lines}");
        let n = at.len();
        at.sort_unstable();
        at.dedup();
        prop_assert_eq!(at.len(), n, "two items start on one line");
        for item in &read.items {
            prop_assert!(!item.answer.is_empty());
            prop_assert!(item.answer.iter().all(|&a| a < item.choices.len()));
        }
    }
}
