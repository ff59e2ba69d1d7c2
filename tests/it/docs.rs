//! The user docs hold what they say: every example of the scenario format
//! runs with the exit status it states, `keyshake help scenario` prints that
//! page, CONTENT.md's examples make a pack that loads, and no relative link
//! in README, CONTENT.md or docs/ points at a missing file.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The fenced blocks of `lang` in a Markdown text.
fn fenced(text: &str, lang: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let fence = line.trim_start().starts_with("```");
        match &mut current {
            Some(block) if fence => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None if fence && line.trim_start().trim_start_matches('`') == lang => {
                current = Some(String::new());
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn every_scenario_format_example_runs_with_the_exit_status_it_states() {
    let doc = read("docs/scenario-format.md");
    let blocks = fenced(&doc, "toml");
    assert!(blocks.len() >= 8, "only {} examples", blocks.len());
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut exits = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let first = block.lines().next().unwrap_or("");
        let code: i32 = first
            .strip_prefix("# keyshake eval: exit ")
            .and_then(|c| c.trim().parse().ok())
            .unwrap_or_else(|| {
                panic!("example {i} does not open with `# keyshake eval: exit N`:\n{block}")
            });
        let file = tmp.path().join(format!("example-{i}.toml"));
        std::fs::write(&file, block).expect("write");
        let out = Command::new(env!("CARGO_BIN_EXE_keyshake"))
            .arg("eval")
            .arg(&file)
            .env("NO_COLOR", "1")
            .output()
            .expect("run keyshake eval");
        assert_eq!(
            out.status.code(),
            Some(code),
            "example {i}:\n{block}\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        exits.push(code);
    }
    for code in [0, 1, 2] {
        assert!(exits.contains(&code), "no example exits {code}");
    }
    // Every reason code and principal form has an example that uses it.
    let all = blocks.concat();
    for reason in [
        "allowed",
        "explicit_deny",
        "implicit_deny",
        "not_found",
        "not_cross_account",
        "insecure_transport",
    ] {
        assert!(
            all.contains(&format!("expect_reason = \"{reason}\"")),
            "no example of {reason}"
        );
    }
    for form in [
        ":role/",
        ":assumed-role/",
        ":user/",
        ":root\"",
        ".amazonaws.com\"",
    ] {
        assert!(
            all.lines()
                .any(|l| l.starts_with("principal = ") && l.contains(form)),
            "no request with a {form} principal"
        );
    }
    for table in [
        "[[keys]]",
        "[[buckets]]",
        "[[objects]]",
        "[[principals]]",
        "[[accounts]]",
        "[[requests]]",
    ] {
        assert!(all.contains(table), "no example of {table}");
    }
    for field in [
        "managed_by =",
        "service =",
        "aliases =",
        "default_encryption =",
        "bucket_key =",
        "permissions_boundary =",
        "scps =",
        "rcps =",
        "ou_path =",
        "management =",
        "context =",
    ] {
        assert!(all.contains(field), "no example of {field}");
    }
}

#[test]
fn help_scenario_and_help_content_print_their_pages() {
    let out = Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .args(["help", "scenario"])
        .output()
        .expect("run keyshake help");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        read("docs/scenario-format.md")
    );
    // Other words still give a command's help, or a usage error.
    let out = Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .args(["help", "pack", "check"])
        .output()
        .expect("run keyshake help");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--format"));
    let out = Command::new(env!("CARGO_BIN_EXE_keyshake"))
        .args(["help", "scenery"])
        .output()
        .expect("run keyshake help");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("scenario"));
}

#[test]
fn help_why_not_prints_its_page_and_help_lint_stays_the_command_help() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_keyshake"))
            .args(args)
            .output()
            .expect("run keyshake help")
    };
    let out = run(&["help", "why-not"]);
    assert_eq!(out.status.code(), Some(0));
    let page = read("docs/why-not.md");
    assert_eq!(String::from_utf8_lossy(&out.stdout), page);
    let out = run(&["help", "lint"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--kind"));
    // Every reason the engine can give for having no fix is explained.
    for code in [
        "explicit_deny",
        "not_cross_account",
        "aws_managed_key",
        "insecure_transport",
        "not_found",
        "budget",
        "unfixable",
    ] {
        assert!(page.contains(&format!("| `{code}` |")), "{code}");
    }
}

#[test]
fn content_md_examples_parse_and_make_a_pack_that_loads() {
    let text = read("CONTENT.md");
    let blocks = fenced(&text, "toml");
    assert!(blocks.len() >= 7, "{} toml examples", blocks.len());
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("from-content-md");
    let mut written = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let table: toml::Table = toml::from_str(block)
            .unwrap_or_else(|e| panic!("CONTENT.md toml example {i} does not parse: {e}\n{block}"));
        // A lab's policies are elided (`[ ... ]`), and `[names]` is a table
        // of pack.toml shown alone: TOML is all they must be.
        let parse_only = table.contains_key("lab")
            || (table.contains_key("names") && !table.contains_key("name"));
        let rel = if parse_only {
            None
        } else if table.contains_key("boxes") {
            Some(format!("diagrams/example-{i}.toml"))
        } else if table.contains_key("pick") {
            Some("extend/pack.toml".to_string())
        } else if table.contains_key("mode") {
            Some("pack.toml".to_string())
        } else if table.contains_key("objectives") && table.contains_key("order") {
            Some(format!("lessons/{i:02}-example.toml"))
        } else if table.contains_key("objectives") {
            Some("objectives.toml".to_string())
        } else if table.contains_key("terms") {
            Some("glossary.toml".to_string())
        } else if table.contains_key("questions") {
            Some(format!("questions/example-{i}.toml"))
        } else if table.contains_key("requests") {
            Some("scenarios/hs-no-key-policy-half.toml".to_string())
        } else {
            panic!("CONTENT.md toml example {i} is of no known kind:\n{block}");
        };
        if let Some(rel) = rel {
            let path = dir.join(&rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, block).expect("write");
            written.push(rel);
        }
    }
    for needed in [
        "pack.toml",
        "objectives.toml",
        "glossary.toml",
        "extend/pack.toml",
    ] {
        assert!(written.iter().any(|w| w == needed), "no {needed} example");
    }
    let check = |d: &Path| {
        let (out, code) = keyshake::cli::pack::check(Some(d), false);
        assert_eq!(code, 0, "CONTENT.md's examples as a pack:\n{out}");
    };
    // The extend example stands alone: the built-in course plus its choice.
    check(&dir.join("extend"));
    std::fs::remove_dir_all(dir.join("extend")).expect("rm");
    check(&dir);
}

#[test]
fn every_relative_link_in_the_user_docs_names_a_file_that_exists() {
    let mut pages = vec![root().join("README.md"), root().join("CONTENT.md")];
    let docs = std::fs::read_dir(root().join("docs")).expect("docs/");
    pages.extend(
        docs.filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "md")),
    );
    let mut checked = 0;
    for page in &pages {
        let text = std::fs::read_to_string(page).expect("read");
        let base = page.parent().expect("folder");
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let Some(end) = rest.find(')') else { continue };
            let target = rest[..end].trim();
            let target = target.split_whitespace().next().unwrap_or("");
            if target.is_empty()
                || target.starts_with('#')
                || target.contains("://")
                || target.starts_with("mailto:")
            {
                continue;
            }
            let file = target.split('#').next().unwrap_or(target);
            assert!(
                base.join(file).exists(),
                "{} links to {target}, which the repository does not have",
                page.display()
            );
            checked += 1;
        }
        assert!(
            !text.contains("shared/spec/") && !text.contains("/work/shared"),
            "{} points at the project's private spec folder",
            page.display()
        );
    }
    assert!(checked >= 5, "only {checked} links checked");
}
