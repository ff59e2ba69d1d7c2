//! Every scenario under tests/scenarios/ is evaluated through the same code
//! path as `keyshake eval`; each request must carry expectations, and every
//! expectation must hold. The human report of each file is snapshotted, so
//! a change in any decision, trace or explanation shows up in review.

use std::path::Path;

use keyshake::cli::eval::{FileResult, Style, evaluate_file, human};

fn relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn check(path: &Path) -> FileResult {
    let mut f = evaluate_file(path);
    f.file = relative(path);
    assert!(
        f.errors.is_empty(),
        "{} is invalid:\n{}",
        f.file,
        f.errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(!f.results.is_empty(), "{} has no requests", f.file);
    for (i, r) in f.results.iter().enumerate() {
        let name = r
            .request
            .name
            .clone()
            .unwrap_or_else(|| format!("#{}", i + 1));
        assert!(
            r.request.expect.is_some() && r.request.expect_reason.is_some(),
            "{}: request {name} needs both expect and expect_reason",
            f.file
        );
        assert_eq!(
            r.passed(),
            Some(true),
            "{}: request {name}: expected {:?}/{:?}, got {:?}/{:?}: {}",
            f.file,
            r.request.expect,
            r.request.expect_reason,
            r.outcome.verdict,
            r.outcome.reason,
            r.explanation
        );
    }
    f
}

#[test]
fn every_scenario_meets_its_expectations() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests"),
        "scenarios/*.toml",
        |path| {
            let f = check(path);
            insta::assert_snapshot!(human(&f, Style { color: false }));
        }
    );
}

#[test]
fn worked_example_as_printed_is_denied_and_says_why() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios/worked-example-as-printed.toml");
    let f = check(&path);
    let get = f
        .results
        .iter()
        .find(|r| r.request.action == "s3:GetObject")
        .expect("the worked example reads the object");
    assert_eq!(get.outcome.verdict.code(), "deny");
    assert!(
        get.explanation.contains("s3:GetObject"),
        "the sentence names the missing permission: {}",
        get.explanation
    );
}
