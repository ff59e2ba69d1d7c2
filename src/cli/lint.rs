//! `keyshake lint FILE... [--json]` and `keyshake lint --kind KIND
//! POLICY.json`: the lint findings of every policy, as a compiler prints
//! them or as JSON.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use crate::core::policy::PolicyKind;
use crate::core::policy::lint::file::{FileLint, lint_file};

/// Arguments of `keyshake lint`.
#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    /// Scenario or lab files (TOML), or with --kind bare policy files (JSON).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The files are bare policies of this kind.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The policy kinds `--kind` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// A KMS key policy.
    Key,
    /// An IAM identity policy.
    Identity,
    /// An S3 bucket policy.
    Bucket,
    /// A permissions boundary.
    Boundary,
    /// A service control policy.
    Scp,
    /// A resource control policy.
    Rcp,
}

impl From<KindArg> for PolicyKind {
    fn from(k: KindArg) -> PolicyKind {
        match k {
            KindArg::Key => PolicyKind::KeyPolicy,
            KindArg::Identity => PolicyKind::Identity,
            KindArg::Bucket => PolicyKind::BucketPolicy,
            KindArg::Boundary => PolicyKind::Boundary,
            KindArg::Scp => PolicyKind::Scp,
            KindArg::Rcp => PolicyKind::Rcp,
        }
    }
}

/// Runs the command: (stdout, stderr, exit code). Exit 0 when no finding is
/// an error or a security warning, 1 when one is, 2 when a file is invalid.
pub fn run(args: &LintArgs) -> (String, String, u8) {
    let kind = args.kind.map(PolicyKind::from);
    let reports: Vec<FileLint> = args
        .files
        .iter()
        .map(|path| {
            let shown = path.display().to_string();
            match read(path) {
                Ok(bytes) => lint_file(&shown, &bytes, kind),
                Err(message) => FileLint {
                    file: shown.clone(),
                    errors: vec![crate::core::diag::Diagnostic::file_error(&shown, message)],
                    ..FileLint::default()
                },
            }
        })
        .collect();
    let code = if reports.iter().any(|r| !r.errors.is_empty()) {
        2
    } else {
        u8::from(reports.iter().any(FileLint::fails))
    };
    let mut err = String::new();
    for d in reports.iter().flat_map(|r| &r.errors) {
        let _ = writeln!(err, "{d}");
    }
    let out = if args.json {
        to_json(&reports)
    } else {
        to_text(&reports)
    };
    (out, err, code)
}

/// Reads a regular file within the scenario size limit.
fn read(path: &std::path::Path) -> Result<Vec<u8>, String> {
    crate::cli::read_scenario_file(path)
}

/// `FILE:LINE:COLUMN: SEVERITY [code] message`, one finding a line.
pub fn to_text(reports: &[FileLint]) -> String {
    let mut out = String::new();
    for r in reports {
        for p in &r.findings {
            let f = &p.finding;
            let _ = write!(
                out,
                "{}:{}:{}: {} [{}] {}",
                r.file,
                p.line,
                p.column,
                f.severity.code(),
                f.code,
                f.message
            );
            if let Some(s) = &f.suggestion {
                let _ = write!(out, " (did you mean {s}?)");
            }
            let _ = writeln!(out);
        }
    }
    crate::core::content::safe::neutralise(&out)
}

/// The JSON document of why-not.md's lint section.
pub fn to_json(reports: &[FileLint]) -> String {
    let files: Vec<Value> = reports
        .iter()
        .map(|r| {
            let findings: Vec<Value> = r
                .findings
                .iter()
                .map(|p| {
                    let f = &p.finding;
                    json!({
                        "line": p.line,
                        "column": p.column,
                        "severity": f.severity.code(),
                        "code": f.code,
                        "policy": p.policy,
                        "statement": f.statement_name,
                        "message": f.message,
                        "suggestion": f.suggestion,
                    })
                })
                .collect();
            json!({ "file": r.file, "findings": findings })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&json!({ "files": files })).unwrap_or_default();
    s.push('\n');
    s
}
