//! `pack export-questions --format qti`: every item is well-formed XML with
//! the right response declaration, and the package is a ZIP or a folder.

use keyshake::core::content::exchange::{self, ExKind, ExQuestion, qti};
use proptest::prelude::*;
use quick_xml::Reader;
use quick_xml::events::Event;

use crate::question_exchange::{any_text, keyshake, os, text};

/// What one QTI item says: its response cardinality, the correct choice
/// identifiers, and each simpleChoice's identifier and text.
#[derive(Debug, Default)]
struct Item {
    cardinality: String,
    correct: Vec<String>,
    choices: Vec<(String, String)>,
    max_choices: String,
    shuffle: String,
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
        "choiceInteraction" => {
            item.max_choices = attr(e, "maxChoices");
            item.shuffle = attr(e, "shuffle");
        }
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
        let fixed = ex.kind == ExKind::TrueFalse || !ex.code.is_empty();
        assert_eq!(item.shuffle, (!fixed).to_string(), "{}", ex.id);
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

proptest! {
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
