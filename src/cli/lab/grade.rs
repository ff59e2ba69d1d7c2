//! `keyshake lab grade [--lab ID] [--json] FILE...`: grades students'
//! exported labs against the pack's labs (points per goal), reports
//! tampering, and prints GitHub Classroom's autograding result format with
//! `--json` (docs/grading.md).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cli::exit;
use crate::core::content::{Lab, Pack, read_header};
use crate::core::lab::{Grade, grade};

/// One file's grade, or why it could not be graded.
struct Graded {
    file: String,
    result: Result<Grade, String>,
}

/// Grades every file of `files` against the lab `lab_id` (else the lab
/// each file's header names, else the pack's only lab). Returns (stdout,
/// stderr, exit status): 0 every file solved, 1 one is not, 2 one cannot
/// be read or graded.
pub fn run(
    pack: &Pack,
    files: &[PathBuf],
    lab_id: Option<&str>,
    json: bool,
) -> (String, String, u8) {
    let graded: Vec<Graded> = files
        .iter()
        .map(|path| Graded {
            file: path.display().to_string(),
            result: grade_file(pack, path, lab_id),
        })
        .collect();
    let code = if graded.iter().any(|g| g.result.is_err()) {
        exit::USAGE
    } else if graded
        .iter()
        .all(|g| g.result.as_ref().is_ok_and(Grade::solved))
    {
        exit::OK
    } else {
        exit::FAILED
    };
    let mut err = String::new();
    for g in &graded {
        if let Err(e) = &g.result {
            let _ = writeln!(err, "{e}");
        }
    }
    let out = if json {
        json_doc(&graded)
    } else {
        let label = format!("{} {}", pack.info.name, pack.info.version);
        graded
            .iter()
            .filter_map(|g| human(g, &label))
            .collect::<Vec<_>>()
            .join("\n")
    };
    (out, err, code)
}

fn grade_file(pack: &Pack, path: &Path, lab_id: Option<&str>) -> Result<Grade, String> {
    let shown = path.display().to_string();
    let bytes = crate::cli::read_scenario_file(path).map_err(|e| format!("{shown}: error: {e}"))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("{shown}: error: the file is not UTF-8 text"))?;
    if let Err(e) = toml::from_str::<toml::Table>(&text) {
        let offset = e.span().map_or(0, |s| s.start);
        let d = crate::core::diag::Diagnostic::error_at(&shown, &text, offset, e.message().trim());
        return Err(d.to_string());
    }
    let lab = pick_lab(pack, &text, lab_id).map_err(|e| format!("{shown}: error: {e}"))?;
    let submission = lab.read_submission(&shown, &text).map_err(|diags| {
        let lines: Vec<String> = diags.iter().map(ToString::to_string).collect();
        lines.join("\n")
    })?;
    Ok(grade(lab, submission))
}

/// The lab to grade against: `--lab`, else the file's header, else the
/// pack's only lab.
fn pick_lab<'p>(pack: &'p Pack, text: &str, lab_id: Option<&str>) -> Result<&'p Lab, String> {
    let header = read_header(text);
    let named = lab_id.map(str::to_string).or_else(|| {
        header
            .iter()
            .find(|(k, _)| k == "lab")
            .map(|(_, v)| v.clone())
    });
    let known = || {
        let ids: Vec<&str> = pack.labs.iter().map(|l| l.id.as_str()).collect();
        ids.join(", ")
    };
    match named {
        Some(id) => pack
            .lab(&id)
            .ok_or_else(|| format!("the pack has no lab {id:?}; its labs are: {}", known())),
        None if pack.labs.len() == 1 => pack.labs.first().ok_or_else(String::new),
        None => Err(format!(
            "the file does not say which lab it is (no `# keyshake-export: lab` line); add --lab ID, one of: {}",
            known()
        )),
    }
}

fn human(g: &Graded, pack: &str) -> Option<String> {
    let grade = g.result.as_ref().ok()?;
    let mut out = String::new();
    let verdict = if grade.solved() {
        "solved"
    } else {
        "not solved"
    };
    let _ = writeln!(
        out,
        "{}: lab {}: {} of {} points, {verdict}",
        g.file,
        grade.lab,
        grade.points(),
        grade.max_points()
    );
    if !grade.header.is_empty() {
        let fields: Vec<String> = grade
            .header
            .iter()
            .filter(|(k, _)| k != "lab")
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        let _ = writeln!(
            out,
            "  header (as written, not checked): {}",
            fields.join(", ")
        );
    }
    if let Some((_, named)) = grade.header.iter().find(|(k, _)| k == "pack")
        && named != pack
    {
        let _ = writeln!(
            out,
            "  note: the header names pack {named}; graded against pack {pack}"
        );
    }
    for (n, goal) in grade.goals.iter().enumerate() {
        let mark = if goal.met { "met ✓" } else { "NOT met ✗" };
        let _ = writeln!(
            out,
            "  goal {}: {mark} {}: {}",
            n + 1,
            goal.text,
            goal.detail
        );
    }
    for e in &grade.errors {
        let _ = writeln!(out, "  does not parse: {e}");
    }
    if grade.review_passed() {
        let _ = writeln!(out, "  security review: passed ✓");
    } else if grade.review.is_empty() {
        let _ = writeln!(
            out,
            "  security review: NOT passed ✗ (a policy does not parse)"
        );
    } else {
        let _ = writeln!(out, "  security review: NOT passed ✗");
        for r in &grade.review {
            let _ = writeln!(out, "    {r}");
        }
    }
    for t in &grade.tampering {
        let _ = writeln!(
            out,
            "  tampering: {}:{}: {} {} outside the editable policies (ignored: the pack's lab is used)",
            g.file, t.line, t.path, t.change
        );
    }
    Some(out)
}

/// GitHub Classroom's autograding runner result (version 1): one test per
/// goal and one for the review, each worth a point; tampering and the
/// header ride along under `keyshake`, which the reporter ignores.
#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    status: &'static str,
    max_score: usize,
    tests: Vec<Test>,
    keyshake: Vec<FileExtra<'a>>,
}

#[derive(Serialize)]
struct Test {
    name: String,
    status: &'static str,
    score: usize,
    max_score: usize,
    message: String,
    filename: String,
}

#[derive(Serialize)]
struct FileExtra<'a> {
    file: &'a str,
    lab: Option<&'a str>,
    points: usize,
    max_points: usize,
    solved: bool,
    tampering: Vec<TamperJson<'a>>,
    header: serde_json::Map<String, serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct TamperJson<'a> {
    path: &'a str,
    line: usize,
    change: &'static str,
}

fn json_doc(graded: &[Graded]) -> String {
    let mut tests = Vec::new();
    let mut extra = Vec::new();
    let many = graded.len() > 1;
    for g in graded {
        let prefix = if many {
            format!("{}: ", g.file)
        } else {
            String::new()
        };
        match &g.result {
            Ok(grade) => {
                for (n, goal) in grade.goals.iter().enumerate() {
                    tests.push(test(
                        format!("{prefix}goal {}: {}", n + 1, goal.text),
                        goal.met,
                        goal.detail.clone(),
                        &g.file,
                    ));
                }
                let message = if grade.review_passed() {
                    "no error or security warning, no over-broad grant".to_string()
                } else if grade.review.is_empty() {
                    "a policy does not parse".to_string()
                } else {
                    grade.review.join("; ")
                };
                tests.push(test(
                    format!("{prefix}security review"),
                    grade.review_passed(),
                    message,
                    &g.file,
                ));
                extra.push(FileExtra {
                    file: &g.file,
                    lab: Some(&grade.lab),
                    points: grade.points(),
                    max_points: grade.max_points(),
                    solved: grade.solved(),
                    tampering: grade
                        .tampering
                        .iter()
                        .map(|t| TamperJson {
                            path: &t.path,
                            line: t.line,
                            change: t.change,
                        })
                        .collect(),
                    header: grade
                        .header
                        .iter()
                        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                        .collect(),
                    error: None,
                });
            }
            Err(e) => {
                tests.push(Test {
                    name: format!("{prefix}read the file"),
                    status: "error",
                    score: 0,
                    max_score: 1,
                    message: e.clone(),
                    filename: g.file.clone(),
                });
                extra.push(FileExtra {
                    file: &g.file,
                    lab: None,
                    points: 0,
                    max_points: 1,
                    solved: false,
                    tampering: Vec::new(),
                    header: serde_json::Map::new(),
                    error: Some(e),
                });
            }
        }
    }
    let status = if tests.iter().any(|t| t.status == "error") {
        "error"
    } else if tests.iter().all(|t| t.status == "pass") {
        "pass"
    } else {
        "fail"
    };
    let doc = Doc {
        version: 1,
        status,
        max_score: tests.iter().map(|t| t.max_score).sum(),
        tests,
        keyshake: extra,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn test(name: String, passed: bool, message: String, file: &str) -> Test {
    Test {
        name,
        status: if passed { "pass" } else { "fail" },
        score: usize::from(passed),
        max_score: 1,
        message,
        filename: file.to_string(),
    }
}
