//! Reading a content file past its first schema error, so `pack check`
//! reports every problem of a file in one run.
//!
//! The file is parsed once into a TOML tree with positions. When the
//! structs refuse it (an unknown field, a wrong type, a missing field),
//! the error is reported, the entry it points at is taken out of the tree
//! (or, for a missing field, the table that lacks it), and the rest is read
//! again. A table that already lost an entry is not reported again as
//! missing that field: the first message names the real cause.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, Deserializer};

use crate::core::diag::{Diagnostic, Severity};
use crate::core::world::sink::DiagSink;

/// More schema errors than this in one file stop the file's reading (each
/// one re-reads the file).
const MAX_ROUNDS: usize = 64;

/// Parses `text` into `T`, passing every schema error it can find to
/// `report`; `None` when the text is not TOML (reported too) or its
/// remains still do not fit `T`.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    mut report: impl FnMut(&toml::de::Error),
) -> Option<T> {
    // The usual case, a plain file that fits: read by the quick reader.
    if let Some(v) = super::quick_toml::from_str::<T>(text) {
        return Some(v);
    }
    // Any other file that fits: one parse, no copy of the tree.
    if let Ok(v) = toml::from_str::<T>(text) {
        return Some(v);
    }
    let mut root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => {
            report(&e);
            return None;
        }
    };
    // Tables that lost an entry: their "missing field" is a consequence.
    let mut trimmed: Vec<Range<usize>> = Vec::new();
    // What was reported: an entry cut in two steps (an array of tables
    // element, then its key) is reported once.
    let mut reported: Vec<(Range<usize>, String)> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let e = match T::deserialize(Deserializer::from(root.clone())) {
            Ok(v) => return Some(v),
            Err(e) => e,
        };
        let at = e.span().unwrap_or(0..0);
        let missing = e.message().starts_with("missing field");
        let span = root.span();
        let cut = if missing {
            // Reported at the table that lacks the field.
            (span != at)
                .then(|| remove_table(root.get_mut(), &at))
                .flatten()
        } else {
            remove_at(root.get_mut(), span, at.start)
        };
        let seen = (at.clone(), e.message().to_string());
        let consequence = missing && trimmed.contains(&at);
        if !consequence && !reported.contains(&seen) {
            report(&e);
            reported.push(seen);
        }
        match cut {
            Some(c) => trimmed.push(c.table),
            None => return None,
        }
    }
    None
}

/// [`parse`] for a content file: each error becomes a diagnostic at its
/// position.
pub fn parse_file<T: DeserializeOwned>(cx: &DiagSink<'_>, out: &mut Vec<Diagnostic>) -> Option<T> {
    parse(cx.text(), |e| {
        let offset = e.span().map_or(0, |s| s.start);
        out.push(cx.diag(offset, Severity::Error, e.message().trim().to_string()));
    })
}

/// What [`remove_at`] took out: the span of the table it was taken from.
struct Cut {
    table: Range<usize>,
}

/// Takes the innermost entry holding byte `at` out of `table` (whose span
/// is `span`): a key with its value, or an element of an array of tables
/// when `at` is on the element but on none of its entries. `None` when
/// `at` is on the table itself (nothing smaller can go).
fn remove_at(table: &mut DeTable<'_>, span: Range<usize>, at: usize) -> Option<Cut> {
    let key = table
        .iter()
        .find(|(k, v)| contains(&k.span(), at) || holds(v, at))
        .map(|(k, _)| k.get_ref().clone());
    let key = key?;
    let value = table.get_mut(key.as_ref())?;
    let value_span = value.span();
    match value.get_mut() {
        DeValue::Table(inner) => {
            if let Some(cut) = remove_at(inner, value_span, at) {
                return Some(cut);
            }
        }
        DeValue::Array(items) => {
            if let Some(i) = items
                .iter()
                .position(|it| matches!(it.get_ref(), DeValue::Table(_)) && holds(it, at))
                && let Some(item) = items.get_mut(i)
            {
                let item_span = item.span();
                if let DeValue::Table(inner) = item.get_mut()
                    && let Some(cut) = remove_at(inner, item_span.clone(), at)
                {
                    return Some(cut);
                }
                *items = items
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, it)| it.clone())
                    .collect();
                return Some(Cut { table: item_span });
            }
        }
        _ => {}
    }
    table.remove(key.as_ref());
    Some(Cut { table: span })
}

/// Takes the table whose span is `target` out of `table` (an entry or an
/// element of an array of tables).
fn remove_table(table: &mut DeTable<'_>, target: &Range<usize>) -> Option<Cut> {
    let key = table
        .iter()
        .find(|(_, v)| holds(v, target.start))
        .map(|(k, _)| k.get_ref().clone())?;
    let value = table.get_mut(key.as_ref())?;
    let whole = value.span() == *target;
    match value.get_mut() {
        DeValue::Table(_) if whole => {
            table.remove(key.as_ref());
            Some(Cut {
                table: target.clone(),
            })
        }
        DeValue::Table(inner) => remove_table(inner, target),
        DeValue::Array(items) => {
            if let Some(i) = items.iter().position(|it| it.span() == *target) {
                *items = items
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, it)| it.clone())
                    .collect();
                return Some(Cut {
                    table: target.clone(),
                });
            }
            let item = items.iter_mut().find(|it| holds(it, target.start))?;
            match item.get_mut() {
                DeValue::Table(inner) => remove_table(inner, target),
                _ => None,
            }
        }
        _ => None,
    }
}

fn contains(span: &Range<usize>, at: usize) -> bool {
    span.start <= at && at < span.end.max(span.start + 1)
}

/// Whether `at` is on this value: on its own span or, for a table or an
/// array (whose span may cover only a header), on one of its parts.
fn holds(value: &Spanned<DeValue<'_>>, at: usize) -> bool {
    if contains(&value.span(), at) {
        return true;
    }
    match value.get_ref() {
        DeValue::Table(t) => t
            .iter()
            .any(|(k, v)| contains(&k.span(), at) || holds(v, at)),
        DeValue::Array(items) => items.iter().any(|it| holds(it, at)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawBank {
        #[serde(default)]
        questions: Vec<RawQuestion>,
    }

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct RawQuestion {
        id: String,
        kind: String,
        prompt: String,
        choices: Vec<String>,
        answer: Vec<usize>,
        explanation: String,
        objectives: Vec<String>,
        difficulty: Option<u8>,
    }

    fn messages(text: &str) -> (Vec<String>, Option<usize>) {
        let cx = DiagSink::new("q.toml", text);
        let mut out = Vec::new();
        let bank = parse_file::<RawBank>(&cx, &mut out);
        (
            out.iter()
                .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
                .collect(),
            bank.map(|b| b.questions.len()),
        )
    }

    const TWO: &str = r#"[[questions]]
id = "a"
kind = "single"
prompt = "p"
choices = ["x", "y"]
answer = [0]
explaination = "typo"
objectives = ["o"]
difficulty = 1

[[questions]]
id = "b"
kind = "single"
prompt = "p"
choices = ["x", "y"]
answer = [0]
explanation = "e"
objectives = ["o"]
difficulty = "hard"
"#;

    #[test]
    fn every_schema_error_of_a_file_is_reported_and_the_rest_is_kept() {
        let (msgs, kept) = messages(TWO);
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs[0].starts_with("7:1 unknown field `explaination`"),
            "{msgs:?}"
        );
        assert!(msgs[1].starts_with("19:14 "), "{msgs:?}");
        // The first question lost its only explanation and is dropped
        // without a second message; the second only loses `difficulty`.
        assert_eq!(kept, Some(1), "{msgs:?}");
    }

    #[test]
    fn an_unknown_array_of_tables_is_reported_once() {
        let text = format!("{TWO}\n[[questions.notes]]\ntext = \"n\"\n");
        let (msgs, _) = messages(&text);
        let notes: Vec<_> = msgs.iter().filter(|m| m.contains("`notes`")).collect();
        assert_eq!(notes.len(), 1, "{msgs:?}");
    }

    #[test]
    fn a_file_that_is_not_toml_stops_at_the_syntax_error() {
        let (msgs, kept) = messages("[[questions]]\nid = \"a\nkind = 1\n");
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert_eq!(kept, None);
    }

    #[test]
    fn a_good_file_reports_nothing() {
        let good = TWO
            .replace("explaination", "explanation")
            .replace("\"hard\"", "2");
        let (msgs, kept) = messages(&good);
        assert!(msgs.is_empty(), "{msgs:?}");
        assert_eq!(kept, Some(2));
    }

    proptest::proptest! {
        /// However many questions hold a misspelt field, each one is
        /// reported once, at its line, and every question is still read.
        #[test]
        fn each_unknown_field_is_reported_at_its_line_and_nothing_is_lost(
            typos in proptest::collection::vec(proptest::bool::ANY, 1..12)
        ) {
            let mut text = String::new();
            let mut lines = Vec::new();
            for (i, typo) in typos.iter().enumerate() {
                text.push_str(&format!(
                    "[[questions]]\nid = \"q{i}\"\nkind = \"single\"\nprompt = \"p\"\nchoices = [\"x\", \"y\"]\nanswer = [0]\n"
                ));
                if *typo {
                    lines.push(text.lines().count() + 1);
                    text.push_str("explaination = \"typo\"\n");
                }
                text.push_str("explanation = \"e\"\nobjectives = [\"o\"]\n\n");
            }
            let (msgs, kept) = messages(&text);
            let want: Vec<String> = lines
                .iter()
                .map(|l| format!("{l}:1 unknown field `explaination`"))
                .collect();
            let got: Vec<String> = msgs
                .iter()
                .map(|m| m.split(',').next().unwrap_or("").to_string())
                .collect();
            proptest::prop_assert_eq!(got, want);
            proptest::prop_assert_eq!(kept, Some(typos.len()));
        }
    }
}
