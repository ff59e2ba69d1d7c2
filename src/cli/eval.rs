//! `keyshake eval FILE... [--json]`: evaluate scenario files and explain
//! every decision (`docs/scenario-format.md`).
//!
//! The functions return text instead of printing, so the scenario tests run
//! exactly this code path.

use std::fmt::Write as _;
use std::path::Path;

use crate::core::diag::Diagnostic;
use crate::core::eval::evaluate;
use crate::core::eval::fix::{Base, fixes_with};
use crate::core::eval::{FixResult, Outcome};
use crate::core::policy::principal::Caller;
use crate::core::world::{Request, Verdict, World, load};

/// One evaluated request.
#[derive(Debug, Clone)]
pub struct RequestResult {
    /// The request as written.
    pub request: Request,
    /// What the engine decided.
    pub outcome: Outcome,
    /// The outcome's sentence.
    pub explanation: String,
    /// For a denied request: the verified fixes, or why there are none.
    pub fix: FixResult,
}

impl RequestResult {
    /// `Some(true)` if every expectation given holds, `None` if none given.
    pub fn passed(&self) -> Option<bool> {
        self.request.judge(&self.outcome)
    }
}

/// One file: its results, or why it could not be used.
#[derive(Debug, Clone)]
pub struct FileResult {
    /// The path as given.
    pub file: String,
    /// The scenario's title.
    pub title: Option<String>,
    /// The evaluated requests (empty when invalid).
    pub results: Vec<RequestResult>,
    /// Problems that made the file unusable.
    pub errors: Vec<Diagnostic>,
    /// The world read from the file (labels and lines come from it).
    pub world: Option<World>,
}

/// Evaluates every request of a loaded world.
pub fn evaluate_world(world: &World) -> Vec<RequestResult> {
    let outcomes: Vec<Outcome> = world.requests.iter().map(|r| evaluate(world, r)).collect();
    // The file's own decisions, shared by the fix searches of its requests.
    let base = Base::new(world, &outcomes);
    let mut scratch: Option<World> = None;
    let fixes: Vec<FixResult> = world
        .requests
        .iter()
        .zip(&outcomes)
        .map(|(r, o)| match o.verdict {
            Verdict::Allow => FixResult::default(),
            Verdict::Deny => {
                let scratch = scratch.get_or_insert_with(|| world.clone());
                fixes_with(&base, scratch, r, o)
            }
        })
        .collect();
    world
        .requests
        .iter()
        .zip(outcomes)
        .zip(fixes)
        .map(|((r, outcome), fix)| RequestResult {
            explanation: outcome.explain(world, &r.caller),
            fix,
            request: r.clone(),
            outcome,
        })
        .collect()
}

/// Reads and evaluates one file.
pub fn evaluate_file(path: &Path) -> FileResult {
    let file = path.display().to_string();
    let bytes = match crate::cli::read_scenario_file(path) {
        Ok(b) => b,
        Err(e) => {
            return FileResult {
                errors: vec![Diagnostic::file_error(&file, e)],
                file,
                title: None,
                results: Vec::new(),
                world: None,
            };
        }
    };
    match load(&file, &bytes) {
        Ok(world) => FileResult {
            results: evaluate_world(&world),
            title: world.title.clone(),
            file,
            errors: Vec::new(),
            world: Some(world),
        },
        Err(errors) => FileResult {
            file,
            title: None,
            results: Vec::new(),
            errors,
            world: None,
        },
    }
}

/// The exit status of a run: 2 if a file is invalid, 1 if an expectation
/// failed, else 0.
pub fn exit_code(files: &[FileResult]) -> u8 {
    if files.iter().any(|f| !f.errors.is_empty()) {
        2
    } else if files
        .iter()
        .flat_map(|f| &f.results)
        .any(|r| r.passed() == Some(false))
    {
        1
    } else {
        0
    }
}

mod json;
pub use json::to_json;

/// Colour only on a terminal, and never when `NO_COLOR` is set to a
/// non-empty value (no-color.org).
pub fn color_wanted(stdout_is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    stdout_is_terminal && no_color.is_none_or(|v| v.is_empty())
}

/// ANSI styles, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Emit colour escape sequences.
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn verdict(self, v: Verdict) -> String {
        match v {
            Verdict::Allow => self.paint("1;32", "ALLOW ✓"),
            Verdict::Deny => self.paint("1;31", "DENY ✗"),
        }
    }
    fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }
    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
}

fn trace_lines(
    out: &mut String,
    o: &Outcome,
    world: &World,
    caller: &Caller,
    indent: &str,
    style: Style,
) {
    for (i, t) in o.trace.iter().enumerate() {
        let outcome = match t.outcome.code() {
            "allow" => style.paint("32", "allow   "),
            "deny" => style.paint("31", "deny    "),
            _ => style.dim("no match"),
        };
        let mut line = format!("{indent}{outcome}  {}", t.label(world));
        if let Some(s) = t.statement_label(world) {
            let _ = write!(line, ": statement {s}");
            match t.lines(world) {
                Some((a, b)) if a == b => {
                    let _ = write!(line, " (line {a})");
                }
                Some((a, b)) => {
                    let _ = write!(line, " (lines {a}-{b})");
                }
                None => {}
            }
        }
        out.push_str(&line);
        out.push('\n');
        if let Some(m) = crate::core::eval::near::preferred(o.near_misses(i)) {
            nearest_line(out, o, t, m, world, caller, indent, style);
        }
    }
}

/// `nearest: statement "AllowB" (lines 14-25): kms:CallerAccount is ...`.
#[allow(clippy::too_many_arguments)]
fn nearest_line(
    out: &mut String,
    o: &Outcome,
    t: &crate::core::eval::TraceEntry,
    m: &crate::core::eval::NearMiss,
    world: &World,
    caller: &Caller,
    indent: &str,
    style: Style,
) {
    let Some(s) = t
        .source
        .policy(world)
        .and_then(|p| p.statements.get(m.statement))
    else {
        return;
    };
    let seen = crate::core::eval::near::Seen {
        action: &o.action,
        resource: o.resolved.as_deref().unwrap_or(&o.resource),
        caller,
    };
    let mut line = format!(
        "{indent}  {} statement {}",
        style.dim("nearest:"),
        s.label()
    );
    match s.lines {
        Some((a, b)) if a == b => {
            let _ = write!(line, " (line {a})");
        }
        Some((a, b)) => {
            let _ = write!(line, " (lines {a}-{b})");
        }
        None => {}
    }
    let details: Vec<String> = m.failed.iter().map(|f| f.detail(s, seen)).collect();
    let _ = writeln!(out, "{line}: {}", details.join("; "));
}

/// The human report of one file.
pub fn human(f: &FileResult, style: Style) -> String {
    let mut out = String::new();
    let _ = write!(out, "{}", style.bold(&f.file));
    if let Some(t) = &f.title {
        let _ = write!(out, " — {t}");
    }
    out.push('\n');
    for d in &f.errors {
        let _ = writeln!(out, "  {d}");
    }
    let Some(world) = &f.world else {
        return out;
    };
    for (i, r) in f.results.iter().enumerate() {
        let o = &r.outcome;
        let name = r
            .request
            .name
            .clone()
            .unwrap_or_else(|| format!("request {}", i + 1));
        let _ = writeln!(
            out,
            "\n  {}  {}",
            style.verdict(o.verdict),
            style.bold(&name)
        );
        let _ = writeln!(
            out,
            "    {} {} on {}",
            r.request.caller.arn, r.request.action, r.request.resource
        );
        let _ = writeln!(out, "    reason: {} — {}", o.reason.code(), r.explanation);
        if !o.trace.is_empty() {
            let _ = writeln!(out, "    trace:");
            trace_lines(&mut out, o, world, &r.request.caller, "      ", style);
        }
        for imp in &o.implied {
            let _ = writeln!(
                out,
                "    implied {} on {}: {} ({})",
                imp.action,
                imp.resolved.as_deref().unwrap_or(&imp.resource),
                style.verdict(imp.verdict),
                imp.reason.code()
            );
            trace_lines(&mut out, imp, world, &r.request.caller, "      ", style);
        }
        match r.passed() {
            None => {}
            Some(true) => {
                let _ = writeln!(out, "    expected: {}", style.paint("32", "held ✓"));
            }
            Some(false) => {
                let want = format!(
                    "{}{}",
                    r.request.expect.map_or("", Verdict::code),
                    r.request
                        .expect_reason
                        .map_or(String::new(), |x| format!(" ({})", x.code()))
                );
                let _ = writeln!(
                    out,
                    "    expected: {} — wanted {want}, got {} ({})",
                    style.paint("1;31", "FAILED ✗"),
                    o.verdict.code(),
                    o.reason.code()
                );
            }
        }
    }
    out
}

/// The `--fix` report of one file: each denied request's fixes as unified
/// diffs of the policy text, with the line numbers of the file.
pub fn fix_report(f: &FileResult) -> String {
    let mut out = String::new();
    let Some(world) = &f.world else {
        return out;
    };
    for (i, r) in f.results.iter().enumerate() {
        if r.outcome.verdict != Verdict::Deny {
            continue;
        }
        let name = r
            .request
            .name
            .clone()
            .unwrap_or_else(|| format!("request {}", i + 1));
        let _ = writeln!(out, "# {}: {name} ({})", f.file, r.outcome.reason.code());
        if let Some(n) = &r.fix.no_fix {
            let _ = writeln!(out, "# no fix ({}): {}\n", n.code.code(), n.message);
            continue;
        }
        for fix in &r.fix.fixes {
            let _ = writeln!(out, "# {}", fix.summary);
            let first = fix.source.policy(world).map_or(1, first_line);
            let label = format!("{} ({})", f.file, fix.policy);
            out.push_str(&crate::core::eval::fix::unified_diff(
                &fix.before,
                &fix.document,
                &label,
                first,
            ));
        }
        if !r.fix.also_allows.is_empty() {
            let _ = writeln!(out, "# also allows: {}", r.fix.also_allows.join(", "));
        }
        out.push('\n');
    }
    out
}

/// The file line of a policy text's first line, from its first statement.
fn first_line(p: &crate::core::policy::Policy) -> usize {
    p.statements
        .first()
        .and_then(|s| {
            let (line, _) = s.lines?;
            let before = p.text.get(..s.span.start)?.matches('\n').count();
            line.checked_sub(before)
        })
        .unwrap_or(1)
}

/// `keyshake eval FILE...` on the writers: colour only when `ctx` says
/// standard output is a terminal and `NO_COLOR` is unset. Exit 0 when every
/// expectation holds, 1 when one does not, 2 when a file is invalid (its
/// diagnostics go to `err`).
pub fn command(
    files: &[std::path::PathBuf],
    mode: Mode,
    ctx: &super::Context<'_>,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> Result<u8, super::CliError> {
    let color = color_wanted(ctx.stdout_is_terminal, ctx.no_color.as_deref());
    let (problems, code) = if mode == Mode::Json {
        let paths: Vec<&Path> = files.iter().map(AsRef::as_ref).collect();
        run_json(&paths, out)
    } else {
        let (text, problems, code) = run_mode(files, mode, Style { color });
        super::emit(out, text.as_bytes());
        (problems, code)
    };
    super::emit(err, problems.as_bytes());
    Ok(code)
}

/// `keyshake eval --json`: each file is evaluated and its part of the
/// document written on one core, and the part is printed to `out` as soon
/// as the files before it are; returns (stderr, exit code).
fn run_json(paths: &[&Path], out: &mut dyn std::io::Write) -> (String, u8) {
    let mut stderr = String::new();
    let (mut invalid, mut failed) = (false, false);
    let mut doc = json::Document::new(out);
    crate::core::par::for_each_in_order(
        paths,
        |p| {
            let f = evaluate_file(p);
            let errors = error_lines(&f);
            // The file's world and results are freed here, on the core
            // that made them, so the next file reuses their memory.
            (
                json::file_part(&f),
                errors,
                exit_code(std::slice::from_ref(&f)),
            )
        },
        |(part, errors, code)| {
            doc.part(&part);
            stderr.push_str(&errors);
            invalid |= code == 2;
            failed |= code == 1;
        },
    );
    doc.end();
    (stderr, if invalid { 2 } else { u8::from(failed) })
}

/// A file's problems as stderr shows them, a line each.
fn error_lines(f: &FileResult) -> String {
    let mut out = String::new();
    for d in &f.errors {
        let _ = writeln!(out, "{d}");
    }
    out
}

/// What `keyshake eval` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The human report.
    Human,
    /// One JSON document (`--json`).
    Json,
    /// Each denied request's fix as a unified diff (`--fix`).
    Fix,
}

/// Runs `keyshake eval`: returns (stdout, stderr, exit code).
pub fn run(paths: &[impl AsRef<Path>], as_json: bool, style: Style) -> (String, String, u8) {
    let mode = if as_json { Mode::Json } else { Mode::Human };
    run_mode(paths, mode, style)
}

/// Runs `keyshake eval` in `mode`: returns (stdout, stderr, exit code).
pub fn run_mode(paths: &[impl AsRef<Path>], mode: Mode, style: Style) -> (String, String, u8) {
    let paths: Vec<&Path> = paths.iter().map(AsRef::as_ref).collect();
    if mode == Mode::Json {
        let mut out = Vec::new();
        let (stderr, code) = run_json(&paths, &mut out);
        return (String::from_utf8(out).unwrap_or_default(), stderr, code);
    }
    let files = crate::core::par::map(&paths, |p| evaluate_file(p));
    let stderr: String = files.iter().map(error_lines).collect();
    let code = exit_code(&files);
    let stdout = if mode == Mode::Fix {
        files
            .iter()
            .filter(|f| f.errors.is_empty())
            .map(fix_report)
            .collect()
    } else {
        let mut s = String::new();
        for f in files.iter().filter(|f| f.errors.is_empty()) {
            s.push_str(&human(f, style));
            s.push('\n');
        }
        let total: usize = files.iter().map(|f| f.results.len()).sum();
        let checked = files
            .iter()
            .flat_map(|f| &f.results)
            .filter(|r| r.passed().is_some())
            .count();
        let failed = files
            .iter()
            .flat_map(|f| &f.results)
            .filter(|r| r.passed() == Some(false))
            .count();
        let invalid = files.iter().filter(|f| !f.errors.is_empty()).count();
        let _ = writeln!(
            s,
            "{total} requests in {} files: {} expectations held, {failed} failed{}",
            files.len() - invalid,
            checked - failed,
            if invalid > 0 {
                format!(", {invalid} invalid files (see stderr)")
            } else {
                String::new()
            }
        );
        s
    };
    (stdout, stderr, code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        use std::ffi::OsStr;
        assert!(color_wanted(true, None));
        assert!(color_wanted(true, Some(OsStr::new(""))));
        assert!(!color_wanted(true, Some(OsStr::new("1"))));
        assert!(!color_wanted(false, None));
    }

    #[test]
    fn verdicts_carry_a_word_and_a_symbol_with_or_without_colour() {
        let plain = Style { color: false };
        let coloured = Style { color: true };
        assert_eq!(plain.verdict(Verdict::Allow), "ALLOW ✓");
        assert_eq!(plain.verdict(Verdict::Deny), "DENY ✗");
        assert_eq!(coloured.verdict(Verdict::Allow), "\x1b[1;32mALLOW ✓\x1b[0m");
        assert_eq!(coloured.verdict(Verdict::Deny), "\x1b[1;31mDENY ✗\x1b[0m");
    }
}
