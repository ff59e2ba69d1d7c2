//! Bad input never panics and always gets a message with the TOML file's
//! line and column. Each file under tests/bad/ starts with
//! `# expect-error: LINE:COLUMN: words the message must contain`.

use std::path::Path;

use keyshake::core::world::load;

fn expectation(text: &str) -> Option<(usize, usize, String)> {
    let rest = text.lines().next()?.strip_prefix("# expect-error:")?.trim();
    let mut parts = rest.splitn(3, ':');
    let line = parts.next()?.trim().parse().ok()?;
    let column = parts.next()?.trim().parse().ok()?;
    let words = parts.next()?.trim().to_string();
    Some((line, column, words))
}

#[test]
fn each_bad_file_is_reported_at_its_line_and_column() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/bad exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    entries.sort();
    let mut failures = Vec::new();
    for path in entries {
        let bytes = std::fs::read(&path).expect("readable");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let result = load(&name, &bytes);
        let Ok(text) = std::str::from_utf8(&bytes) else {
            // Invalid UTF-8 cannot carry the header line; it must still fail cleanly.
            assert!(result.is_err(), "{name}: invalid UTF-8 must be refused");
            checked += 1;
            continue;
        };
        let Some((line, column, words)) = expectation(text) else {
            assert!(
                result.is_err(),
                "{name}: a file without a header must still be invalid"
            );
            checked += 1;
            continue;
        };
        match result {
            Ok(_) => failures.push(format!(
                "{name}: loaded, but should fail at {line}:{column} with {words:?}"
            )),
            Err(diags) => {
                let hit = diags
                    .iter()
                    .any(|d| d.line == line && d.column == column && d.message.contains(&words));
                if !hit {
                    failures.push(format!(
                        "{name}: wanted {line}:{column} containing {words:?}; got:\n    {}",
                        diags
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("\n    ")
                    ));
                }
            }
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        checked >= 15,
        "expected at least 15 bad files, found {checked}"
    );
}

#[test]
fn empty_and_non_utf8_input_are_clear_errors() {
    let e = load("empty.toml", b"").expect_err("empty is invalid");
    assert_eq!(
        e[0].to_string().lines().next(),
        Some(
            "empty.toml:1:1: error: the scenario has no [[requests]]: there is nothing to evaluate"
        )
    );
    let e = load("bin.toml", b"title = \"ok\"\n\xff\xfe").expect_err("binary is invalid");
    assert_eq!(e[0].line, 2);
    assert!(e[0].message.contains("not valid UTF-8"));
}

#[test]
fn huge_input_is_refused_without_parsing() {
    let big = vec![b'#'; 50 * 1024 * 1024];
    let e = load("big.toml", &big).expect_err("too big");
    assert!(e[0].message.contains("limited to 8 MB"));
}

#[test]
fn deeply_nested_policy_json_is_an_error_not_a_crash() {
    let text = format!(
        "[[principals]]\narn = \"arn:aws:iam::111122223333:role/r\"\npolicies = ['''{}''']\n[[requests]]\nprincipal = \"arn:aws:iam::111122223333:role/r\"\naction = \"s3:ListBucket\"\nresource = \"*\"\n",
        "[".repeat(5_000)
    );
    let e = keyshake::core::world::load_str("deep.toml", &text).expect_err("too deep");
    assert!(e[0].message.contains("nested more than"), "{}", e[0]);
    assert_eq!(e[0].line, 3);
}
