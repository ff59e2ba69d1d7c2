//! A student's exported lab read back for grading: only the editable
//! policies are taken from the file; every other part (goals, `expect`,
//! requests, the rest of the world) comes from the pack's lab, and any
//! difference there is reported as tampering, by path and line.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::export::{HEADER_PREFIX, put_text};
use super::{Lab, PolicyRef};
use crate::core::diag::{Diagnostic, LineIndex};

/// One part of the student's file that differs from the pack's lab
/// outside the editable policies. It changes nothing in the grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tamper {
    /// Where, as a TOML path: `requests[2].expect`, `keys[0].arn`.
    pub path: String,
    /// 1-based line in the student's file (the nearest part that exists).
    pub line: usize,
    /// What differs: "changed", "added" or "removed".
    pub change: &'static str,
}

/// A student's file read against a lab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// The student's text of every editable policy, in the lab's order
    /// (empty: the policy was removed).
    pub edits: Vec<(PolicyRef, String)>,
    /// Differences outside the editable policies, in file order.
    pub tampering: Vec<Tamper>,
    /// The `# keyshake-export:` header fields, as written (not trusted).
    pub header: Vec<(String, String)>,
}

impl Submission {
    /// The header field `name`, if the file has it.
    pub fn header_field(&self, name: &str) -> Option<&str> {
        self.header
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The `# keyshake-export: NAME = "VALUE"` lines of an exported file.
pub fn read_header(text: &str) -> Vec<(String, String)> {
    text.lines()
        .take_while(|l| l.trim_start().starts_with('#') || l.trim().is_empty())
        .filter_map(|l| l.trim_start().strip_prefix(HEADER_PREFIX))
        .filter_map(|rest| {
            let (name, value) = rest.split_once('=')?;
            let value: toml::Value = toml::from_str(&format!("v = {}", value.trim()))
                .ok()
                .and_then(|t: toml::Table| t.get("v").cloned())?;
            Some((name.trim().to_string(), value.as_str()?.to_string()))
        })
        .collect()
}

impl Lab {
    /// Reads the student's file `text` (shown as `path`) against this lab.
    /// Errors (the file is not TOML) are at file:line:column.
    pub fn read_submission(&self, path: &str, text: &str) -> Result<Submission, Vec<Diagnostic>> {
        let located = |e: toml::de::Error| {
            let offset = e.span().map_or(0, |s| s.start);
            vec![Diagnostic::error_at(path, text, offset, e.message().trim())]
        };
        let student: toml::Table = toml::from_str(text).map_err(located)?;
        let spanned = DeTable::parse(text).map_err(located)?;
        let edits: Vec<(PolicyRef, String)> = self
            .editable
            .iter()
            .map(|e| (e.policy.clone(), get_text(&student, &e.policy)))
            .collect();
        // What the file should be: the lab without `[lab]`, with the
        // student's texts in place (as `keyshake lab export` writes it).
        let mut expected = self.table.clone();
        expected.remove("lab");
        for (r, t) in &edits {
            put_text(&mut expected, r, t);
        }
        let mut diffs = Vec::new();
        diff_table_at(&expected, &student, &mut Vec::new(), &mut diffs);
        let index = LineIndex::new(text);
        let mut tampering: Vec<Tamper> = diffs
            .into_iter()
            .map(|(steps, change)| {
                let offset = locate(spanned.get_ref(), &steps);
                Tamper {
                    path: path_text(&steps),
                    line: index.line_of(offset),
                    change,
                }
            })
            .collect();
        tampering.sort_by(|a, b| (a.line, &a.path).cmp(&(b.line, &b.path)));
        Ok(Submission {
            edits,
            tampering,
            header: read_header(text),
        })
    }
}

/// One step of a TOML path: a key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

fn path_text(steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        match s {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

type Diffs = Vec<(Vec<Step>, &'static str)>;

fn diff_table_at(expected: &toml::Table, got: &toml::Table, at: &mut Vec<Step>, out: &mut Diffs) {
    for (k, want) in expected {
        at.push(Step::Key(k.clone()));
        match got.get(k) {
            None => out.push((at.clone(), "removed")),
            Some(have) => diff_values(want, have, at, out),
        }
        at.pop();
    }
    for k in got.keys().filter(|k| !expected.contains_key(*k)) {
        at.push(Step::Key(k.clone()));
        out.push((at.clone(), "added"));
        at.pop();
    }
}

fn diff_values(want: &toml::Value, have: &toml::Value, at: &mut Vec<Step>, out: &mut Diffs) {
    match (want, have) {
        (toml::Value::Table(w), toml::Value::Table(h)) => diff_table_at(w, h, at, out),
        (toml::Value::Array(w), toml::Value::Array(h)) => {
            for (i, item) in w.iter().enumerate() {
                at.push(Step::Index(i));
                match h.get(i) {
                    None => out.push((at.clone(), "removed")),
                    Some(other) => diff_values(item, other, at, out),
                }
                at.pop();
            }
            for i in w.len()..h.len() {
                at.push(Step::Index(i));
                out.push((at.clone(), "added"));
                at.pop();
            }
        }
        (w, h) if w == h => {}
        _ => out.push((at.clone(), "changed")),
    }
}

/// The byte offset of the deepest part of `steps` that exists in the
/// student's file (0: the top).
fn locate(table: &DeTable<'_>, steps: &[Step]) -> usize {
    let mut offset = 0;
    let mut here: Option<&DeValue<'_>> = None;
    let mut top = Some(table);
    for s in steps {
        let next: Option<&Spanned<DeValue<'_>>> = match (s, top, here) {
            (Step::Key(k), Some(t), _) => t
                .iter()
                .find(|(name, _)| name.get_ref().as_ref() == k.as_str())
                .map(|(name, v)| {
                    offset = name.span().start;
                    v
                }),
            (Step::Index(i), _, Some(DeValue::Array(items))) => items.get(*i),
            _ => None,
        };
        let Some(v) = next else { break };
        if matches!(s, Step::Index(_)) || !matches!(v.get_ref(), DeValue::Table(_)) {
            offset = v.span().start;
        }
        here = Some(v.get_ref());
        top = match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    offset
}

/// The text of `r` in the student's table (empty when it is absent),
/// read from where [`put_text`] writes it.
fn get_text(table: &toml::Table, r: &PolicyRef) -> String {
    let entry = |list: &str, field: &str, name: &str| -> Option<toml::Table> {
        table
            .get(list)?
            .as_array()?
            .iter()
            .filter_map(toml::Value::as_table)
            .find(|t| t.get(field).and_then(toml::Value::as_str) == Some(name))
            .cloned()
    };
    let string = |t: Option<&toml::Value>| t.and_then(toml::Value::as_str).map(str::to_string);
    let nth = |t: &toml::Table, list: &str, i: usize| {
        string(
            t.get(list)
                .and_then(toml::Value::as_array)
                .and_then(|a| a.get(i)),
        )
    };
    let text = match r {
        PolicyRef::Key(arn) => entry("keys", "arn", arn).and_then(|t| string(t.get("policy"))),
        PolicyRef::Bucket(name) => {
            entry("buckets", "name", name).and_then(|t| string(t.get("policy")))
        }
        PolicyRef::Boundary(arn) => {
            entry("principals", "arn", arn).and_then(|t| string(t.get("permissions_boundary")))
        }
        PolicyRef::Identity { principal, index } => {
            entry("principals", "arn", principal).and_then(|t| nth(&t, "policies", *index))
        }
        PolicyRef::Scp { account, index } => {
            entry("accounts", "id", account).and_then(|t| nth(&t, "scps", *index))
        }
        PolicyRef::Rcp { account, index } => {
            entry("accounts", "id", account).and_then(|t| nth(&t, "rcps", *index))
        }
    };
    text.unwrap_or_default()
}
