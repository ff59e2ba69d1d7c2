//! Question exchange: `pack export-questions` (GIFT, QTI 2.1) and
//! `pack import-questions` (GIFT), run as an instructor would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use keyshake::core::content::exchange::{self, ExKind, ExQuestion, gift, qti, read_gift};
use keyshake::core::content::{Pack, QuestionKind};
use proptest::prelude::*;
use quick_xml::Reader;
use quick_xml::events::Event;

fn keyshake(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .args(args)
        .env_remove("KEYSHAKE_CONTENT")
        .env_remove("KEYSHAKE_PROFILE")
        .output()
        .expect("run keyshake")
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

fn text(b: &[u8]) -> String {
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

/// What one QTI item says: its response cardinality, the correct choice
/// identifiers, and each simpleChoice's identifier and text.
#[derive(Debug, Default)]
struct Item {
    cardinality: String,
    correct: Vec<String>,
    choices: Vec<(String, String)>,
    max_choices: String,
    template: String,
}

fn parse_item(xml: &str) -> Item {
    let mut reader = Reader::from_str(xml);
    let mut item = Item::default();
    let mut path: Vec<String> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                attrs(&e, &name, &mut item);
                if name == "simpleChoice" {
                    let id = attr(&e, "identifier");
                    item.choices.push((id, String::new()));
                }
                path.push(name);
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                attrs(&e, &name, &mut item);
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Text(t) => {
                let t = t.xml10_content().into_owned();
                if t.trim().is_empty() && !path.iter().any(|p| p == "simpleChoice") {
                    continue;
                }
                if path.iter().any(|p| p == "correctResponse") {
                    item.correct.push(t);
                } else if path.iter().any(|p| p == "simpleChoice")
                    && let Some(last) = item.choices.last_mut()
                {
                    last.1.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if path.iter().any(|p| p == "simpleChoice")
                    && let Some(last) = item.choices.last_mut()
                {
                    let c = match &*r.into_inner() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("unexpected entity &{other};"),
                    };
                    last.1.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    item
}

fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> String {
    e.attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.as_ref() == key)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .expect("attribute")
                .into_owned()
        })
        .unwrap_or_default()
}

fn attrs(e: &quick_xml::events::BytesStart<'_>, name: &str, item: &mut Item) {
    match name {
        "responseDeclaration" => item.cardinality = attr(e, "cardinality"),
        "choiceInteraction" => item.max_choices = attr(e, "maxChoices"),
        "responseProcessing" => item.template = attr(e, "template"),
        _ => {}
    }
}

fn strip_markup(s: &str) -> String {
    let (inlines, _) = keyshake::core::content::markup::parse_inline(s);
    keyshake::core::content::markup::plain_text(&inlines)
}

#[test]
fn every_qti_item_is_well_formed_and_declares_the_right_response() {
    let pack = crate::builtin_pack();
    let (exported, _) = exchange::from_pack(&pack);
    let files = qti::package(&exported, "keyshake test");
    assert_eq!(files.len(), exported.len() + 1);
    let (name, manifest) = &files[0];
    assert_eq!(name, "imsmanifest.xml");
    let mut reader = Reader::from_str(manifest);
    let mut hrefs = Vec::new();
    loop {
        match reader.read_event().expect("well-formed manifest") {
            Event::Empty(e) if e.name().as_ref() == "file" => hrefs.push(attr(&e, "href")),
            Event::Start(e) if e.name().as_ref() == "resource" => {
                assert_eq!(attr(&e, "type"), "imsqti_item_xmlv2p1");
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let item_names: Vec<&String> = files[1..].iter().map(|(n, _)| n).collect();
    assert_eq!(hrefs.iter().collect::<Vec<_>>(), item_names);
    for (ex, (_, xml)) in exported.iter().zip(&files[1..]) {
        let item = parse_item(xml);
        let want = if ex.kind == ExKind::Multiple {
            "multiple"
        } else {
            "single"
        };
        assert_eq!(item.cardinality, want, "{}", ex.id);
        assert!(item.template.ends_with("/rptemplates/match_correct"));
        assert_eq!(item.max_choices, ex.answer.len().to_string(), "{}", ex.id);
        let texts: Vec<String> = item.choices.iter().map(|(_, t)| t.clone()).collect();
        let plain: Vec<String> = ex.choices.iter().map(|c| strip_markup(c)).collect();
        assert_eq!(texts, plain, "{}", ex.id);
        let right: Vec<String> = item
            .correct
            .iter()
            .map(|id| {
                item.choices
                    .iter()
                    .find(|(c, _)| c == id)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_else(|| panic!("{id} is no choice of {}", ex.id))
            })
            .collect();
        let want: Vec<String> = ex.answer.iter().map(|&i| plain[i].clone()).collect();
        assert_eq!(right, want, "{}", ex.id);
    }
}

/// The stored entries of a ZIP written by keyshake: (name, bytes), each
/// checked against its CRC.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut at = 0;
    let u16_at = |i: usize| usize::from(u16::from_le_bytes([bytes[i], bytes[i + 1]]));
    let u32_at =
        |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    while bytes[at..].starts_with(b"PK\x03\x04") {
        let crc = u32_at(at + 14);
        let size = u32_at(at + 18) as usize;
        let name_len = u16_at(at + 26);
        let extra = u16_at(at + 28);
        let name =
            String::from_utf8(bytes[at + 30..at + 30 + name_len].to_vec()).expect("utf-8 name");
        let start = at + 30 + name_len + extra;
        let data = bytes[start..start + size].to_vec();
        assert_eq!(exchange::zip::crc32(&data), crc, "{name}");
        out.push((name, data));
        at = start + size;
    }
    assert!(
        bytes[at..].starts_with(b"PK\x01\x02"),
        "the central directory follows"
    );
    out
}

#[test]
fn qti_goes_to_a_zip_or_a_folder_and_needs_an_output() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let zip = tmp.path().join("bank.zip");
    let out = keyshake(&[
        os("pack"),
        os("export-questions"),
        os("--format"),
        os("qti"),
        os("-o"),
        zip.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let entries = unzip(&std::fs::read(&zip).expect("zip written"));
    let (exported, _) = exchange::from_pack(&crate::builtin_pack());
    assert_eq!(entries.len(), exported.len() + 1);
    assert_eq!(entries[0].0, "imsmanifest.xml");
    assert_eq!(entries[1].0, qti::item_href(&exported[0]));

    let folder = tmp.path().join("bank");
    let out = keyshake(&[
        os("pack"),
        os("export-questions"),
        os("--format"),
        os("qti"),
        os("-o"),
        folder.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for (name, data) in &entries {
        assert_eq!(
            &std::fs::read(folder.join(name)).expect("file"),
            data,
            "{name}"
        );
    }
    // Into the same folder again: refused, nothing overwritten.
    let again = keyshake(&[
        os("pack"),
        os("export-questions"),
        os("--format"),
        os("qti"),
        os("-o"),
        folder.as_os_str(),
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("is not empty"));

    let none = keyshake(&[
        os("pack"),
        os("export-questions"),
        os("--format"),
        os("qti"),
    ]);
    assert_eq!(none.status.code(), Some(2));
    assert!(text(&none.stderr).contains("give -o questions.zip"));
}

fn any_text() -> impl Strategy<Value = String> {
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

    #[test]
    fn qti_escaping_keeps_any_text_well_formed(s in any_text()) {
        let q = ExQuestion {
            id: "q".to_string(),
            kind: ExKind::Single,
            stem: s.clone(),
            code: vec![s.clone()],
            choices: vec![s.clone(), "<b>&".to_string()],
            answer: vec![1],
            feedback: String::new(),
            objectives: Vec::new(),
        };
        let item = parse_item(&qti::item(&q));
        prop_assert_eq!(&item.correct, &["C2".to_string()]);
        prop_assert_eq!(&item.choices[1].1, "<b>&");
    }
}
