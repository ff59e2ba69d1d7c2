//! Lints every policy of a scenario or lab file (or one bare policy file),
//! at the file's line and column: what `keyshake lint` and `keyshake pack
//! check` report.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{Finding, LintContext, lint_with};
use crate::core::content::lab::PolicyRef;
use crate::core::diag::{Diagnostic, LineIndex};
use crate::core::policy::{PolicyKind, parse};
use crate::core::world::embed::Embedding;
use crate::core::world::load::{MAX_FILE_BYTES, load_str};

/// One finding placed in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column (characters) in the file.
    pub column: usize,
    /// The policy, named as the trace names it ("key policy of ARN").
    pub policy: String,
    /// The finding (its own line and column are inside the policy text).
    pub finding: Finding,
}

/// The lint of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileLint {
    /// The file, as given.
    pub file: String,
    /// Findings in file order.
    pub findings: Vec<Placed>,
    /// Why the file is invalid (it cannot be read, is not a scenario, or a
    /// policy does not parse); lint findings are then those of the
    /// policies that did parse.
    pub errors: Vec<Diagnostic>,
}

impl FileLint {
    /// Some finding is an error or a security warning.
    pub fn fails(&self) -> bool {
        self.findings.iter().any(|f| f.finding.severity.fails())
    }
}

#[derive(Deserialize)]
struct RawFile {
    #[serde(default)]
    keys: Vec<RawKey>,
    #[serde(default)]
    buckets: Vec<RawBucket>,
    #[serde(default)]
    principals: Vec<RawPrincipal>,
    #[serde(default)]
    accounts: Vec<RawAccount>,
    lab: Option<RawLab>,
}

#[derive(Deserialize)]
struct RawKey {
    arn: String,
    policy: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct RawBucket {
    name: String,
    account: String,
    policy: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct RawPrincipal {
    arn: String,
    #[serde(default)]
    policies: Vec<Spanned<String>>,
    permissions_boundary: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct RawAccount {
    id: String,
    #[serde(default)]
    scps: Vec<Spanned<String>>,
    #[serde(default)]
    rcps: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
struct RawLab {
    #[serde(default)]
    solution: BTreeMap<String, Spanned<String>>,
}

/// A policy string of the file to lint.
struct Source<'a> {
    name: String,
    kind: PolicyKind,
    owner: Option<String>,
    text: &'a Spanned<String>,
}

fn account_of(arn: &str) -> Option<String> {
    arn.split(':')
        .nth(4)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
}

fn sources(raw: &RawFile) -> Vec<Source<'_>> {
    let mut out = Vec::new();
    for k in &raw.keys {
        if let Some(text) = &k.policy {
            let (name, owner) = (format!("key policy of {}", k.arn), account_of(&k.arn));
            out.push(Source {
                name,
                kind: PolicyKind::KeyPolicy,
                owner,
                text,
            });
        }
    }
    for b in &raw.buckets {
        if let Some(text) = &b.policy {
            let (name, owner) = (
                format!("bucket policy of {}", b.name),
                Some(b.account.clone()),
            );
            out.push(Source {
                name,
                kind: PolicyKind::BucketPolicy,
                owner,
                text,
            });
        }
    }
    for p in &raw.principals {
        for (i, text) in p.policies.iter().enumerate() {
            let name = format!("identity policy #{} of {}", i + 1, p.arn);
            out.push(Source {
                name,
                kind: PolicyKind::Identity,
                owner: None,
                text,
            });
        }
        if let Some(text) = &p.permissions_boundary {
            let name = format!("permissions boundary of {}", p.arn);
            out.push(Source {
                name,
                kind: PolicyKind::Boundary,
                owner: None,
                text,
            });
        }
    }
    for a in &raw.accounts {
        for (i, text) in a.scps.iter().enumerate() {
            let name = format!("SCP #{} of account {}", i + 1, a.id);
            out.push(Source {
                name,
                kind: PolicyKind::Scp,
                owner: None,
                text,
            });
        }
        for (i, text) in a.rcps.iter().enumerate() {
            let name = format!("RCP #{} of account {}", i + 1, a.id);
            out.push(Source {
                name,
                kind: PolicyKind::Rcp,
                owner: Some(a.id.clone()),
                text,
            });
        }
    }
    for (written, text) in raw.lab.iter().flat_map(|l| &l.solution) {
        let Ok(r) = PolicyRef::parse(written) else {
            continue;
        };
        let owner = match &r {
            PolicyRef::Key(arn) => account_of(arn),
            PolicyRef::Bucket(name) => raw
                .buckets
                .iter()
                .find(|b| b.name == *name)
                .map(|b| b.account.clone()),
            _ => None,
        };
        let name = format!("solution for {written}");
        out.push(Source {
            name,
            kind: r.kind(),
            owner,
            text,
        });
    }
    out
}

/// Reads the bytes as UTF-8 text worth linting, or says why not.
fn text_of<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::file_error(
            path,
            format!(
                "the file is {} bytes; policy and scenario files are limited to {} MB",
                bytes.len(),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Diagnostic::file_error(
            path,
            format!("the file is not valid UTF-8 (at byte {})", e.valid_up_to()),
        )
        .with_hint("save the file as UTF-8 text")
    })?;
    if text.trim().is_empty() {
        return Err(Diagnostic::file_error(
            path,
            "the file is empty: there is no policy to lint",
        ));
    }
    Ok(text)
}

/// Lints a file: a scenario or lab (TOML) when `kind` is `None`, else a
/// bare policy JSON of that kind.
pub fn lint_file(path: &str, bytes: &[u8], kind: Option<PolicyKind>) -> FileLint {
    let mut out = FileLint {
        file: path.to_string(),
        ..FileLint::default()
    };
    let text = match text_of(path, bytes) {
        Ok(t) => t,
        Err(d) => {
            out.errors.push(d);
            return out;
        }
    };
    match kind {
        Some(kind) => bare(&mut out, text, kind),
        None if text.trim_start().starts_with('{') => out.errors.push(
            Diagnostic::file_error(
                path,
                "this looks like a bare policy (JSON), not a scenario or lab file",
            )
            .with_hint(
                "say which kind it is: keyshake lint --kind key|identity|bucket|boundary|scp|rcp FILE",
            ),
        ),
        None => scenario(&mut out, text),
    }
    out
}

fn bare(out: &mut FileLint, text: &str, kind: PolicyKind) {
    let name = format!("{} in {}", kind_name(kind), out.file);
    let parsed = parse(text, kind);
    let findings = lint_with(text, kind, &LintContext::default());
    if let Err(errors) = parsed {
        // Some refusals are also lint findings with a code: what AWS
        // refuses in an RCP (rcp-allow, rcp-principal) and an alias name
        // as a key operation's Resource (alias-in-resource). Those are
        // reported once, as findings; the other parse errors stay errors.
        let coded: Vec<Finding> = findings
            .into_iter()
            .filter(|f| f.code.starts_with("rcp-") || f.code == "alias-in-resource")
            .collect();
        for e in errors {
            if !coded.iter().any(|f| f.offset == e.offset) {
                out.errors
                    .push(Diagnostic::error_at(&out.file, text, e.offset, e.message));
            }
        }
        for f in coded {
            out.findings.push(Placed {
                line: f.line,
                column: f.column,
                policy: name.clone(),
                finding: f,
            });
        }
        return;
    }
    for f in findings {
        out.findings.push(Placed {
            line: f.line,
            column: f.column,
            policy: name.clone(),
            finding: f,
        });
    }
}

fn kind_name(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "identity policy",
        PolicyKind::Boundary => "permissions boundary",
        PolicyKind::Scp => "SCP",
        PolicyKind::KeyPolicy => "key policy",
        PolicyKind::BucketPolicy => "bucket policy",
        PolicyKind::Rcp => "RCP",
    }
}

fn scenario(out: &mut FileLint, text: &str) {
    if let Err(diags) = load_str(&out.file, text) {
        out.errors.extend(diags);
        return;
    }
    let raw: RawFile = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            out.errors.push(Diagnostic::error_at(
                &out.file,
                text,
                at,
                e.message().trim(),
            ));
            return;
        }
    };
    let index = LineIndex::new(text);
    for src in sources(&raw) {
        let value = src.text.get_ref();
        if value.trim().is_empty() {
            continue;
        }
        let emb = Embedding::from_toml(text, src.text.span(), value);
        if let Err(errors) = parse(value, src.kind) {
            for e in errors {
                let d = Diagnostic::error_at(
                    &out.file,
                    text,
                    emb.to_file(e.offset),
                    format!("{}: {}", src.name, e.message),
                );
                out.errors.push(d);
            }
            continue;
        }
        let context = LintContext {
            owner_account: src.owner.clone(),
        };
        for f in lint_with(value, src.kind, &context) {
            let (line, column) = index.locate(text, emb.to_file(f.offset));
            out.findings.push(Placed {
                line,
                column,
                policy: src.name.clone(),
                finding: f,
            });
        }
    }
    out.findings.sort_by_key(|f| (f.line, f.column));
}

/// What `keyshake pack check` says about a pack's policies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackLint {
    /// Errors in a lab's reference solution: the author must fix them
    /// (they count as the pack's warnings, so `--strict` fails).
    pub warnings: Vec<Diagnostic>,
    /// Every finding, one `FILE:LINE:COLUMN: SEVERITY [code] message`
    /// line each: lab starting states often carry a mistake on purpose.
    pub notes: Vec<String>,
}

/// Lints the policies of a pack: each lab's starting and solution
/// policies, and each scenario file.
pub fn pack_lint(pack: &crate::core::content::Pack) -> PackLint {
    let mut out = PackLint::default();
    let mut reports: Vec<FileLint> = pack
        .scenarios
        .values()
        .map(|s| lint_file(&s.path, s.text.as_bytes(), None))
        .collect();
    for lab in &pack.labs {
        let limit = crate::core::content::MAX_FILE_BYTES;
        let from_disk = crate::core::fs::read_regular(std::path::Path::new(&lab.path), limit)
            .ok()
            .map(|bytes| lint_file(&lab.path, &bytes, None))
            .filter(|r| r.errors.is_empty());
        reports.push(from_disk.unwrap_or_else(|| lab_texts(lab)));
    }
    for r in &reports {
        for p in &r.findings {
            let f = &p.finding;
            out.notes.push(format!(
                "{}:{}:{}: {} [{}] {} ({})",
                r.file,
                p.line,
                p.column,
                f.severity.code(),
                f.code,
                f.message,
                p.policy
            ));
            if p.policy.starts_with("solution for ") && f.severity == super::LintSeverity::Error {
                out.warnings.push(Diagnostic {
                    path: r.file.clone(),
                    line: p.line,
                    column: p.column,
                    severity: crate::core::diag::Severity::Warning,
                    message: format!("{}: lint [{}] {}", p.policy, f.code, f.message),
                    hint: f.suggestion.as_ref().map(|s| format!("did you mean {s}?")),
                });
            }
        }
    }
    out
}

/// A lab whose file cannot be read again (the built-in pack): its texts,
/// with positions inside each policy.
fn lab_texts(lab: &crate::core::content::lab::Lab) -> FileLint {
    let mut out = FileLint {
        file: lab.path.clone(),
        ..FileLint::default()
    };
    for e in &lab.editable {
        let kind = e.policy.kind();
        for (what, text) in [("start of", &e.start), ("solution for", &e.solution)] {
            let policy = format!("{what} {}", e.policy);
            for f in super::lint(text, kind) {
                out.findings.push(Placed {
                    line: f.line,
                    column: f.column,
                    policy: policy.clone(),
                    finding: f,
                });
            }
        }
    }
    out
}
