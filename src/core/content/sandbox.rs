//! Saving a sandbox (`keyshake lab FILE`) back into its scenario file.
//!
//! Only the policy strings the learner changed are rewritten, in place:
//! every other byte of the file (comments, layout, the order of tables,
//! the requests) stays as it was. A policy the file did not have yet (a
//! bucket policy, a first identity policy) is added beside the bucket's
//! `name` or the principal's `arn`. The result is read back before it is
//! written, and nothing is written unless every changed policy reads back
//! as the text in the editor.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::lab::{EMPTY_IDENTITY, PolicyRef};

#[derive(Deserialize)]
struct SpanFile {
    #[serde(default)]
    keys: Vec<SpanKey>,
    #[serde(default)]
    buckets: Vec<SpanBucket>,
    #[serde(default)]
    principals: Vec<SpanPrincipal>,
    #[serde(default)]
    accounts: Vec<SpanAccount>,
}

#[derive(Deserialize)]
struct SpanKey {
    arn: Spanned<String>,
    policy: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct SpanBucket {
    name: Spanned<String>,
    policy: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct SpanPrincipal {
    arn: Spanned<String>,
    policies: Option<Spanned<Vec<Spanned<String>>>>,
    permissions_boundary: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct SpanAccount {
    id: Spanned<String>,
    scps: Option<Spanned<Vec<Spanned<String>>>>,
}

/// One splice of the file: `range` becomes `with`.
struct Splice {
    range: Range<usize>,
    with: String,
}

fn read(text: &str) -> Result<SpanFile, String> {
    toml::from_str(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let (line, column) = crate::core::diag::LineIndex::new(text).locate(text, at);
        format!(
            "the file no longer reads as a scenario (line {line}, column {column}: {})",
            e.message().trim()
        )
    })
}

/// The value the file holds for `r`, if it has one.
fn current(file: &SpanFile, r: &PolicyRef) -> Option<String> {
    match r {
        PolicyRef::Key(arn) => file
            .keys
            .iter()
            .find(|k| k.arn.get_ref() == arn)?
            .policy
            .as_ref()
            .map(|p| p.get_ref().clone()),
        PolicyRef::Bucket(name) => file
            .buckets
            .iter()
            .find(|b| b.name.get_ref() == name)?
            .policy
            .as_ref()
            .map(|p| p.get_ref().clone()),
        PolicyRef::Boundary(arn) => file
            .principals
            .iter()
            .find(|p| p.arn.get_ref() == arn)?
            .permissions_boundary
            .as_ref()
            .map(|p| p.get_ref().clone()),
        PolicyRef::Identity { principal, index } => file
            .principals
            .iter()
            .find(|p| p.arn.get_ref() == principal)?
            .policies
            .as_ref()?
            .get_ref()
            .get(*index)
            .map(|p| p.get_ref().clone()),
        PolicyRef::Scp { account, index } => file
            .accounts
            .iter()
            .find(|a| a.id.get_ref() == account)?
            .scps
            .as_ref()?
            .get_ref()
            .get(*index)
            .map(|p| p.get_ref().clone()),
    }
}

/// What the file should hold for `r` after saving `text`, given what it
/// holds now (`None`: the policy is left out).
fn wanted(r: &PolicyRef, text: &str, now: Option<&str>) -> Option<String> {
    if !text.trim().is_empty() {
        return Some(text.to_string());
    }
    match r {
        // An emptied identity policy keeps its slot, so later policies
        // keep their numbers (as the lab export does); a slot the file
        // never had stays out.
        PolicyRef::Identity { .. } => now.map(|_| EMPTY_IDENTITY.to_string()),
        PolicyRef::Bucket(_) | PolicyRef::Boundary(_) => None,
        // Key policies and SCPs cannot be empty; the text is written as
        // it is and `keyshake eval` reports it.
        PolicyRef::Key(_) | PolicyRef::Scp { .. } => Some(text.to_string()),
    }
}

/// `file` with the policies of `changes` set to their texts. Fails, with
/// a sentence, when the file does not read as TOML or a policy cannot be
/// placed; nothing is lost then (the caller keeps the texts).
pub fn rewrite(file: &str, changes: &[(PolicyRef, String)]) -> Result<String, String> {
    let parsed = read(file)?;
    let mut splices = Vec::new();
    let mut wants = Vec::new();
    for (r, text) in changes {
        let now = current(&parsed, r);
        let want = wanted(r, text, now.as_deref());
        if now != want {
            splices.push(splice(file, &parsed, r, want.as_deref())?);
        }
        wants.push((r, want));
    }
    splices.sort_by_key(|s| std::cmp::Reverse(s.range.start));
    let mut out = file.to_string();
    for s in splices {
        out.replace_range(s.range, &s.with);
    }
    // Read it back: every changed policy must now say what the editor says.
    let check = read(&out).map_err(|e| format!("saving would break the file: {e}"))?;
    for (r, want) in wants {
        if current(&check, r) != want {
            return Err(format!(
                "{r} could not be written into this file's layout; nothing was saved"
            ));
        }
    }
    Ok(out)
}

/// Reads `path`, sets the policies of `changes`, and writes it back
/// atomically (a crash leaves the old file or the new one, never half).
pub fn save(path: &Path, changes: &[(PolicyRef, String)]) -> Result<(), String> {
    save_as(path, path, changes)
}

/// Like [`save`], but writes the result to `to` and leaves `from` as it
/// is (how unsaved edits are kept when the tutor is killed).
pub fn save_as(from: &Path, to: &Path, changes: &[(PolicyRef, String)]) -> Result<(), String> {
    let shown = from.display();
    let file = std::fs::read_to_string(from).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let out = rewrite(&file, changes).map_err(|e| format!("{shown}: {e}"))?;
    if out == file && from == to {
        return Ok(());
    }
    crate::core::fs::write_atomic(to, |f| {
        use std::io::Write;
        f.write_all(out.as_bytes())
    })
    .map_err(|e| format!("cannot write {}: {e}", to.display()))
}

/// Where a sandbox's unsaved edits are kept when the tutor is ended by a
/// signal: `NAME.unsaved.toml` beside `NAME.toml`.
pub fn recovery_path(path: &Path) -> std::path::PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(|| "sandbox".into(), |s| s.to_string_lossy().into_owned());
    path.with_file_name(format!("{stem}.unsaved.toml"))
}

fn splice(
    file: &str,
    parsed: &SpanFile,
    r: &PolicyRef,
    want: Option<&str>,
) -> Result<Splice, String> {
    let missing = || format!("{r} is no longer in the file");
    match r {
        PolicyRef::Key(arn) => {
            let k = parsed
                .keys
                .iter()
                .find(|k| k.arn.get_ref() == arn)
                .ok_or_else(missing)?;
            Ok(value(file, "policy", &k.arn, k.policy.as_ref(), want))
        }
        PolicyRef::Bucket(name) => {
            let b = parsed
                .buckets
                .iter()
                .find(|b| b.name.get_ref() == name)
                .ok_or_else(missing)?;
            Ok(value(file, "policy", &b.name, b.policy.as_ref(), want))
        }
        PolicyRef::Boundary(arn) => {
            let p = parsed
                .principals
                .iter()
                .find(|p| p.arn.get_ref() == arn)
                .ok_or_else(missing)?;
            Ok(value(
                file,
                "permissions_boundary",
                &p.arn,
                p.permissions_boundary.as_ref(),
                want,
            ))
        }
        PolicyRef::Identity { principal, index } => {
            let p = parsed
                .principals
                .iter()
                .find(|p| p.arn.get_ref() == principal)
                .ok_or_else(missing)?;
            item(file, "policies", &p.arn, p.policies.as_ref(), *index, want).ok_or_else(missing)
        }
        PolicyRef::Scp { account, index } => {
            let a = parsed
                .accounts
                .iter()
                .find(|a| a.id.get_ref() == account)
                .ok_or_else(missing)?;
            item(file, "scps", &a.id, a.scps.as_ref(), *index, want).ok_or_else(missing)
        }
    }
}

/// A single string value `key` of the table whose identifying value is
/// `anchor`: replaced, removed (`want` is `None`) or added.
fn value(
    file: &str,
    key: &str,
    anchor: &Spanned<String>,
    present: Option<&Spanned<String>>,
    want: Option<&str>,
) -> Splice {
    match (present, want) {
        (Some(v), Some(text)) => Splice {
            range: v.span(),
            with: multi_line(text),
        },
        (Some(v), None) => remove(file, key, v.span()),
        (None, Some(text)) => add(file, anchor.span().end, key, text, false),
        (None, None) => Splice {
            range: 0..0,
            with: String::new(),
        },
    }
}

/// Item `index` of the string array `key` (an item one past the end is
/// appended; the array is created if the table has none).
fn item(
    file: &str,
    key: &str,
    anchor: &Spanned<String>,
    list: Option<&Spanned<Vec<Spanned<String>>>>,
    index: usize,
    want: Option<&str>,
) -> Option<Splice> {
    let text = want.unwrap_or("");
    let Some(list) = list else {
        return (index == 0).then(|| add(file, anchor.span().end, key, text, true));
    };
    let items = list.get_ref();
    if let Some(v) = items.get(index) {
        return Some(Splice {
            range: v.span(),
            with: multi_line(text),
        });
    }
    if index != items.len() {
        return None;
    }
    Some(match items.last() {
        Some(last) => Splice {
            range: last.span().end..last.span().end,
            with: format!(", {}", multi_line(text)),
        },
        // `key = []`: the brackets are the array's span.
        None => Splice {
            range: list.span(),
            with: format!("[{}]", multi_line(text)),
        },
    })
}

/// Adds `key = text` to the table whose identifying value ends at `at`:
/// on a line of its own in a `[[table]]`, or after a comma in an inline
/// table (which must stay on one line).
fn add(file: &str, at: usize, key: &str, text: &str, array: bool) -> Splice {
    let line_end = file[at..].find('\n').map_or(file.len(), |i| at + i);
    let rest = file[at..line_end].trim();
    let own_line = rest.is_empty() || rest.starts_with('#');
    let (open, close) = if array { ("[", "]") } else { ("", "") };
    if own_line {
        Splice {
            range: line_end..line_end,
            with: format!("\n{key} = {open}{}{close}", multi_line(text)),
        }
    } else {
        Splice {
            range: at..at,
            with: format!(", {key} = {open}{}{close}", one_line(text)),
        }
    }
}

/// Removes `key = <value at span>`, with its line when nothing else is on
/// it, or with the comma before it in an inline table.
fn remove(file: &str, key: &str, span: Range<usize>) -> Splice {
    let before = &file[..span.start];
    let Some(eq) = before.rfind('=') else {
        return Splice {
            range: span,
            with: "''".into(),
        };
    };
    let key_start = before[..eq].trim_end().len().saturating_sub(key.len());
    let line_start = file[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = file[span.end..]
        .find('\n')
        .map_or(file.len(), |i| span.end + i);
    if file[line_start..key_start].trim().is_empty() && file[span.end..line_end].trim().is_empty() {
        // The whole line, and its newline.
        let end = (line_end + 1).min(file.len());
        return Splice {
            range: line_start..end,
            with: String::new(),
        };
    }
    let head = file[..key_start].trim_end();
    let start = if head.ends_with(',') {
        head.len() - 1
    } else {
        key_start
    };
    Splice {
        range: start..span.end,
        with: String::new(),
    }
}

/// A TOML multi-line string holding `text` exactly: a literal string
/// (`'''`, what the scenario format asks for) when it can be one, else a
/// basic string with escapes.
pub fn multi_line(text: &str) -> String {
    let literal_ok = !text.contains("'''")
        && !text.ends_with('\'')
        && text
            .chars()
            .all(|c| c == '\n' || c == '\t' || !c.is_control());
    if literal_ok {
        return format!("'''\n{text}'''");
    }
    let mut out = String::from("\"\"\"\n");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push_str("\"\"\"");
    out
}

/// A TOML basic string on one line.
fn one_line(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::content::Lab;

    const FILE: &str = r#"# A comment the instructor wrote.
title = "Sandbox test"

[[keys]]
arn = "arn:aws:kms:us-east-1:111122223333:key/k-1"   # the shared key
policy = '''
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
      "Action": "kms:*",
      "Resource": "*"
    }
  ]
}
'''

[[buckets]]
name = "data"
account = "111122223333"
region = "us-east-1"

[[principals]]
arn = "arn:aws:iam::444455556666:role/app"

# Requests below.
[[requests]]
name = "app decrypts"
principal = "arn:aws:iam::444455556666:role/app"
action = "kms:Decrypt"
resource = "arn:aws:kms:us-east-1:111122223333:key/k-1"
expect = "allow"
"#;

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/k-1";
    const ROLE: &str = "arn:aws:iam::444455556666:role/app";

    fn key_policy(principal: &str) -> String {
        format!(
            "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Effect\": \"Allow\",\n      \"Principal\": {{ \"AWS\": \"{principal}\" }},\n      \"Action\": \"kms:*\",\n      \"Resource\": \"*\"\n    }}\n  ]\n}}\n"
        )
    }

    const ALLOW_DECRYPT: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"kms:Decrypt\",\n      \"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/k-1\"\n    }\n  ]\n}\n";

    #[test]
    fn nothing_changed_writes_the_same_bytes() {
        let lab = Lab::sandbox("s.toml", FILE).unwrap_or_else(|d| panic!("{d:?}"));
        let same: Vec<_> = lab
            .editable
            .iter()
            .map(|e| (e.policy.clone(), e.start.clone()))
            .collect();
        assert_eq!(rewrite(FILE, &same).as_deref(), Ok(FILE));
    }

    #[test]
    fn a_changed_policy_is_replaced_in_place_and_the_rest_kept() {
        let both = key_policy("arn:aws:iam::444455556666:root");
        let out = rewrite(FILE, &[(PolicyRef::Key(KEY.into()), both.clone())])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(out.starts_with("# A comment the instructor wrote.\n"));
        assert!(out.contains("# the shared key\npolicy = '''\n{"));
        assert!(out.contains("# Requests below."));
        let lab = Lab::sandbox("s.toml", &out).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(lab.editable[0].start, both);
    }

    #[test]
    fn missing_policies_are_added_and_the_file_then_grades_as_allowed() {
        let bucket = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}";
        let out = rewrite(
            FILE,
            &[
                (
                    PolicyRef::Key(KEY.into()),
                    key_policy("arn:aws:iam::444455556666:root"),
                ),
                (
                    PolicyRef::Identity {
                        principal: ROLE.into(),
                        index: 0,
                    },
                    ALLOW_DECRYPT.into(),
                ),
                (PolicyRef::Bucket("data".into()), bucket.into()),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(out.contains("name = \"data\"\npolicy = '''\n{"), "{out}");
        assert!(
            out.contains("role/app\"\npolicies = ['''\n{"),
            "a first identity policy goes under the arn:\n{out}"
        );
        let world =
            crate::core::world::load_str("s.toml", &out).unwrap_or_else(|d| panic!("{d:?}"));
        let r = &world.requests[0];
        assert_eq!(
            crate::core::eval::evaluate(&world, r).verdict,
            crate::core::world::Verdict::Allow
        );
    }

    #[test]
    fn an_emptied_bucket_policy_is_removed_with_its_line() {
        let added = rewrite(
            FILE,
            &[(PolicyRef::Bucket("data".into()), ALLOW_DECRYPT.into())],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(added, FILE);
        let removed = rewrite(&added, &[(PolicyRef::Bucket("data".into()), "  \n".into())])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(removed, FILE);
    }

    #[test]
    fn inline_tables_get_a_one_line_value() {
        let file = "buckets = [{ name = \"data\", account = \"111122223333\", region = \"us-east-1\" }]\n\n[[requests]]\nprincipal = \"arn:aws:iam::111122223333:role/x\"\naction = \"s3:GetObject\"\nresource = \"arn:aws:s3:::data/a\"\n";
        let out = rewrite(
            file,
            &[(PolicyRef::Bucket("data".into()), ALLOW_DECRYPT.into())],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.starts_with("buckets = [{ name = \"data\", policy = \"{\\n"),
            "{out}"
        );
        let removed = rewrite(&out, &[(PolicyRef::Bucket("data".into()), String::new())])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(removed, file);
    }

    #[test]
    fn texts_a_literal_string_cannot_hold_are_escaped_and_read_back_exactly() {
        for text in [
            "{ \"Sid\": \"it's\" }'",
            "{ \"Sid\": \"a'''b\" }",
            "{ \"Sid\": \"back\\\\slash \\\"q\\\"\" }\u{7}",
            "\n\nstarts with blank lines",
        ] {
            let encoded = multi_line(text);
            let doc = format!("v = {encoded}\n");
            let table: toml::Table = toml::from_str(&doc).unwrap_or_else(|e| panic!("{e}\n{doc}"));
            assert_eq!(table["v"].as_str(), Some(text), "{doc}");
            let doc = format!("v = {}\n", one_line(text));
            let table: toml::Table = toml::from_str(&doc).unwrap_or_else(|e| panic!("{e}\n{doc}"));
            assert_eq!(table["v"].as_str(), Some(text), "{doc}");
        }
    }

    #[test]
    fn a_file_that_no_longer_parses_is_refused_with_its_position() {
        let broken = FILE.replace("title = \"Sandbox test\"", "title = ");
        let e = rewrite(&broken, &[(PolicyRef::Key(KEY.into()), "{}".into())])
            .expect_err("broken TOML");
        assert!(e.contains("line 2, column"), "{e}");
    }

    #[test]
    fn save_writes_the_file_atomically() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("s.toml");
        std::fs::write(&path, FILE).unwrap_or_else(|e| panic!("{e}"));
        save(
            &path,
            &[(
                PolicyRef::Identity {
                    principal: ROLE.into(),
                    index: 0,
                },
                ALLOW_DECRYPT.into(),
            )],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains("policies = ['''"));
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .filter(|e| e.file_name() != "s.toml")
            .collect();
        assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
        let e = save(&dir.path().join("gone.toml"), &[]).expect_err("missing file");
        assert!(e.starts_with("cannot read"), "{e}");
        // A copy elsewhere leaves the file alone.
        let copy = recovery_path(&path);
        assert_eq!(copy, dir.path().join("s.unsaved.toml"));
        save_as(
            &path,
            &copy,
            &[(PolicyRef::Bucket("data".into()), ALLOW_DECRYPT.into())],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap_or_default(),
            text,
            "the original is untouched"
        );
        assert!(
            std::fs::read_to_string(&copy)
                .unwrap_or_default()
                .contains("name = \"data\"\npolicy = '''")
        );
    }
}
