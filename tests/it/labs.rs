//! Every built-in policy lab must be a real exercise: it loads, its starting
//! state fails a goal, its reference solution (run through the policy
//! engine) meets every goal, it teaches (hints, explanation) and it guards
//! least privilege (a goal that must stay denied). Its exported scenario is
//! graded by `keyshake eval` exactly as the lab screen grades it.

use keyshake::cli::eval::{Style, run};
use keyshake::core::content::{Lab, Pack, PolicyRef};
use keyshake::core::policy::lint::lint;
use keyshake::core::world::Verdict;

fn labs() -> Vec<Lab> {
    crate::builtin_pack().labs
}

/// Writes `text` to a temporary file and runs `keyshake eval` on it.
fn eval_exit(text: &str) -> (u8, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("export.toml");
    std::fs::write(&path, text).expect("write export");
    let (out, err, code) = run(&[&path], false, Style { color: false });
    (code, format!("{out}{err}"))
}

#[test]
fn there_are_at_least_ten_labs_with_distinct_ids() {
    let labs = labs();
    assert!(labs.len() >= 10, "only {} labs", labs.len());
    let mut ids: Vec<&str> = labs.iter().map(|l| l.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), labs.len());
}

#[test]
fn every_lab_starts_broken_and_its_solution_meets_every_goal() {
    for lab in labs() {
        let start = lab.check(lab.world());
        assert!(
            !start.solved(),
            "{}: the starting state already meets every goal",
            lab.id
        );
        let solved = lab
            .with_policies(&lab.solution())
            .unwrap_or_else(|d| panic!("{}: solution does not parse: {d:?}", lab.id));
        let status = lab.check(&solved);
        for (goal, st) in lab.goals.iter().zip(&status.goals) {
            assert!(
                st.met,
                "{}: the solution misses goal {:?} ({:?})",
                lab.id, goal.text, st.outcome.reason
            );
        }
        assert!(lab.solved(&solved));
        assert_eq!(status.goals.len(), lab.goals.len());
    }
}

#[test]
fn every_lab_teaches_and_guards_least_privilege() {
    for lab in labs() {
        assert!(lab.hints.len() >= 2, "{}: fewer than two hints", lab.id);
        assert!(lab.hints.iter().all(|h| !h.is_empty()), "{}", lab.id);
        assert!(!lab.explanation.is_empty(), "{}: no explanation", lab.id);
        assert!(!lab.story.is_empty(), "{}: no story", lab.id);
        assert!(!lab.objectives.is_empty(), "{}", lab.id);
        assert!(!lab.title.is_empty(), "{}", lab.id);
        assert!(
            lab.goals.iter().any(|g| g.expect == Some(Verdict::Deny)),
            "{}: no goal that must stay denied",
            lab.id
        );
        assert!(
            lab.goals.iter().any(|g| g.expect == Some(Verdict::Allow)),
            "{}: no goal that must be allowed",
            lab.id
        );
        assert!(lab.goals.iter().all(|g| !g.text.trim().is_empty()));
        for e in &lab.editable {
            assert!(!e.label.is_empty());
            assert_ne!(
                e.start, e.solution,
                "{}: {} is editable but the solution leaves it unchanged",
                lab.id, e.policy
            );
        }
    }
}

#[test]
fn exported_scenarios_are_graded_by_keyshake_eval() {
    for lab in labs() {
        let start: Vec<(PolicyRef, String)> = lab
            .editable
            .iter()
            .map(|e| (e.policy.clone(), e.start.clone()))
            .collect();
        let (code, out) = eval_exit(&lab.export_scenario(&start));
        assert_eq!(code, 1, "{}: the start should fail a goal:\n{out}", lab.id);
        let (code, out) = eval_exit(&lab.export_scenario(&lab.solution()));
        assert_eq!(code, 0, "{}: the solution should pass:\n{out}", lab.id);
        assert!(!out.contains("[lab]"));
    }
}

#[test]
fn a_lab_file_is_graded_by_keyshake_eval_as_it_stands() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/labs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("content/labs")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    for f in files {
        let (_, err, code) = run(&[&f], false, Style { color: false });
        assert_eq!(code, 1, "{}: {err}", f.display());
    }
}

#[test]
fn the_reference_solutions_are_lint_clean() {
    for lab in labs() {
        for e in &lab.editable {
            if e.solution.trim().is_empty() {
                continue;
            }
            let findings = lint(&e.solution, e.policy.kind());
            assert!(
                findings.is_empty(),
                "{}: solution of {} has lint findings: {findings:?}",
                lab.id,
                e.policy
            );
        }
    }
}

#[test]
fn editing_shows_errors_in_the_edited_text_and_keeps_the_rest() {
    let labs = labs();
    let lab = labs.first().expect("a lab");
    let target = lab.editable.first().expect("an editable policy");
    let broken = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    { \"Efect\": \"Allow\" }\n  ]\n}\n";
    let diags = lab
        .with_policies(&[(target.policy.clone(), broken.to_string())])
        .expect_err("a typo must be reported");
    assert_eq!(diags[0].path, target.policy.to_string());
    assert_eq!((diags[0].line, diags[0].column), (4, 7), "{diags:?}");

    let outsider = PolicyRef::Bucket("not-in-this-lab".into());
    let diags = lab
        .with_policies(&[(outsider, "{}".into())])
        .expect_err("a policy that is not editable");
    assert!(diags[0].message.contains("not editable"), "{diags:?}");

    // Editing with the start texts gives the start verdicts.
    let start: Vec<(PolicyRef, String)> = lab
        .editable
        .iter()
        .map(|e| (e.policy.clone(), e.start.clone()))
        .collect();
    let world = lab.with_policies(&start).expect("start texts parse");
    assert_eq!(lab.check(&world), lab.check(lab.world()));
}

#[test]
fn policy_refs_round_trip_and_find_their_trace_source() {
    for lab in labs() {
        for e in &lab.editable {
            let again = PolicyRef::parse(&e.policy.to_string()).expect("round trip");
            assert_eq!(again, e.policy);
            if !e.start.is_empty() {
                assert!(
                    e.policy.source(lab.world()).is_some(),
                    "{}: {}",
                    lab.id,
                    e.policy
                );
            }
        }
    }
}

fn lab(id: &str) -> Lab {
    labs()
        .into_iter()
        .find(|l| l.id == id)
        .unwrap_or_else(|| panic!("no lab {id}"))
}

/// The goals that the reference solution with `from` replaced by `to` (in
/// editable policy `which`) fails.
fn failed_goals(lab: &Lab, which: usize, from: &str, to: &str) -> Vec<String> {
    let mut edits = lab.solution();
    let (_, text) = &mut edits[which];
    assert!(
        text.contains(from),
        "{}: {from:?} not in the solution",
        lab.id
    );
    *text = text.replace(from, to);
    let world = lab
        .with_policies(&edits)
        .unwrap_or_else(|d| panic!("{}: {d:?}", lab.id));
    let status = lab.check(&world);
    lab.goals
        .iter()
        .zip(&status.goals)
        .filter(|(_, s)| !s.met)
        .map(|(g, _)| g.text.clone())
        .collect()
}

#[test]
fn an_object_arn_condition_fails_once_bucket_keys_are_on() {
    let lab = lab("via-service-and-context");
    let failed = failed_goals(
        &lab,
        0,
        "\"StringEquals\": {\n          \"kms:ViaService\": \"s3.us-east-1.amazonaws.com\",\n          \"kms:EncryptionContext:aws:s3:arn\": \"arn:aws:s3:::clinical-data-111122223333\"\n        }",
        "\"StringEquals\": { \"kms:ViaService\": \"s3.us-east-1.amazonaws.com\" },\n        \"StringLike\": { \"kms:EncryptionContext:aws:s3:arn\": \"arn:aws:s3:::clinical-data-111122223333/*\" }",
    );
    assert_eq!(failed, vec!["research-app reads clinical data through S3"]);
    // Without the ViaService test, the direct call gets through.
    let failed = failed_goals(
        &lab,
        0,
        "\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\",",
        "",
    );
    assert_eq!(
        failed,
        vec!["research-app cannot call kms:Decrypt directly, even passing S3's encryption context"]
    );
}

#[test]
fn trusting_the_whole_account_lets_the_other_role_in() {
    let lab = lab("iam-half");
    let failed = failed_goals(
        &lab,
        0,
        "arn:aws:iam::444455556666:role/invoice-loader",
        "arn:aws:iam::444455556666:root",
    );
    assert_eq!(failed, vec!["analyst in account B stays out"]);
}

#[test]
fn an_allow_on_secure_transport_true_does_not_block_http_in_the_same_account() {
    let lab = lab("enforce-tls");
    let mut edits = lab.solution();
    edits[0].1 = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "StorefrontReadOverTLS",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::444455556666:role/storefront" },
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::product-catalog-111122223333/*",
      "Condition": { "Bool": { "aws:SecureTransport": "true" } }
    }
  ]
}"#
    .to_string();
    let world = lab.with_policies(&edits).expect("valid");
    let status = lab.check(&world);
    let failed: Vec<&str> = lab
        .goals
        .iter()
        .zip(&status.goals)
        .filter(|(_, s)| !s.met)
        .map(|(g, _)| g.text.as_str())
        .collect();
    assert_eq!(
        failed,
        vec![
            "catalog-app is refused over plain HTTP, by an explicit Deny",
            "storefront is refused over plain HTTP, by an explicit Deny"
        ]
    );
}

#[test]
fn resource_star_in_the_iam_policy_reaches_the_other_key() {
    let lab = lab("key-policy-half");
    let failed = failed_goals(
        &lab,
        0,
        "\"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/3b8e1f42-6c0a-4d59-9e27-a41f5c8d2b60\"",
        "\"Resource\": \"*\"",
    );
    assert_eq!(failed, vec!["etl-job cannot decrypt with B's backup key"]);
    let findings = lint(
        &lab.solution()[0].1.replace(
            "\"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/3b8e1f42-6c0a-4d59-9e27-a41f5c8d2b60\"",
            "\"Resource\": \"*\"",
        ),
        lab.editable[0].policy.kind(),
    );
    assert_eq!(
        findings.iter().map(|f| f.code).collect::<Vec<_>>(),
        vec!["kms-decrypt-all-keys"]
    );
}

#[test]
fn dropping_the_named_administrator_loses_control_of_the_key() {
    let lab = lab("no-iam-delegation");
    let solution = &lab.solution()[0].1;
    let start = solution.find("    {\n      \"Sid\": \"KeyAdministration\"");
    let start = start.expect("admin statement");
    let trimmed = format!(
        "{}  ]\n}}\n",
        solution[..start]
            .trim_end()
            .trim_end_matches(',')
            .to_string()
            + "\n"
    );
    let world = lab
        .with_policies(&[(lab.editable[0].policy.clone(), trimmed)])
        .expect("valid");
    let status = lab.check(&world);
    let failed: Vec<&str> = lab
        .goals
        .iter()
        .zip(&status.goals)
        .filter(|(_, s)| !s.met)
        .map(|(g, _)| g.text.as_str())
        .collect();
    assert_eq!(failed, vec!["key-admin can still change the key policy"]);
}

#[test]
fn the_alias_arn_in_the_start_policy_is_linted() {
    let lab = lab("alias-trap");
    let findings = lint(&lab.editable[0].start, lab.editable[0].policy.kind());
    assert_eq!(
        findings
            .iter()
            .map(|f| (f.code, f.line))
            .collect::<Vec<_>>(),
        vec![("alias-in-resource", 8)]
    );
}

#[test]
fn the_deciding_statement_leads_to_its_editor_tab() {
    let lab = lab("enforce-tls");
    let status = lab.check(lab.world());
    // The storefront's TLS read is denied by the bucket policy's Deny.
    let entry = status.goals[0]
        .outcome
        .deciding_deny()
        .expect("an explicit deny");
    let editable = lab
        .editable_at(lab.world(), entry.source)
        .expect("the bucket policy is editable");
    assert_eq!(
        editable.policy,
        PolicyRef::Bucket("product-catalog-111122223333".into())
    );
    assert_eq!(
        editable.label,
        "Bucket policy · product-catalog-111122223333 · Account A (111122223333)"
    );
    assert_eq!(
        entry.statement_label(lab.world()).as_deref(),
        Some("DenyWithoutTLS")
    );
    // Lines count in the editor's text, from 1.
    let world = lab
        .with_policies(&[(editable.policy.clone(), editable.start.clone())])
        .expect("valid");
    let status = lab.check(&world);
    let entry = status.goals[0].outcome.deciding_deny().expect("deny");
    assert_eq!(entry.lines(&world), Some((11, 21)));
}

#[test]
fn a_broken_lab_in_a_content_folder_is_reported_with_positions() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let dir = tempfile::tempdir().expect("temp dir");
    for sub in ["", "lessons", "questions", "scenarios", "labs"] {
        std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
        for entry in std::fs::read_dir(root.join(sub)).expect("read") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                let to = dir.path().join(sub).join(path.file_name().expect("name"));
                std::fs::copy(&path, to).expect("copy");
            }
        }
    }
    let first = std::fs::read_to_string(root.join("labs/01-worked-example.toml")).expect("lab 1");
    let broken = first
        .replace(
            "objectives = [\"handshake\", \"s3-sse-kms\"]",
            "objectives = [\"handshak\"]",
        )
        .replace(
            "must read those reports.",
            "must read those reports ([[no-such-term]]).",
        );
    std::fs::write(dir.path().join("labs/99-copy.toml"), &broken).expect("write");
    let line = |needle: &str| {
        broken
            .lines()
            .position(|l| l.contains(needle))
            .expect("line")
            + 1
    };
    let diags = Pack::load_dir(dir.path()).expect_err("broken lab");
    let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
    let path = dir.path().join("labs/99-copy.toml").display().to_string();
    let has = |prefix: String| shown.iter().any(|d| d.starts_with(&prefix));
    assert!(
        has(format!(
            "{path}:{}:6: error: duplicate lab id \"worked-example\"",
            line("id = \"worked-example\"")
        )),
        "{shown:#?}"
    );
    assert!(
        has(format!(
            "{path}:{}:15: error: unknown objective id \"handshak\"",
            line("objectives =")
        )),
        "{shown:#?}"
    );
    assert!(
        has(format!("{path}:{}:", line("no-such-term"))),
        "{shown:#?}"
    );
    assert!(
        shown
            .iter()
            .any(|d| d.contains("[[no-such-term]] is not a glossary term"))
    );
}

#[test]
fn the_engine_ignores_the_lab_table_but_not_other_unknown_tables() {
    use keyshake::core::world::load_str;
    let scenario = "[[requests]]\nprincipal = \"arn:aws:iam::444455556666:role/x\"\naction = \"kms:Decrypt\"\nresource = \"arn:aws:kms:us-east-1:111122223333:key/k\"\n";
    let with_lab = format!("[lab]\nid = \"anything\"\n\n{scenario}");
    assert!(load_str("lab.toml", &with_lab).is_ok());
    let typo = format!("[labs]\nid = \"anything\"\n\n{scenario}");
    let err = load_str("lab.toml", &typo).expect_err("unknown table");
    assert_eq!((err[0].line, err[0].column), (1, 2), "{err:?}");
    assert!(err[0].message.contains("unknown field `labs`"), "{err:?}");
}

/// The lab screen shows the editable policies only, so a sentence that
/// names statement lines must mean lines of those texts, never of the lab
/// file (a hidden policy's statement is named by its Sid or number alone).
#[test]
fn sentences_name_only_lines_the_learner_can_see() {
    for lab in labs() {
        let longest = lab
            .editable
            .iter()
            .flat_map(|e| [e.start.lines().count(), e.solution.lines().count()])
            .max()
            .unwrap_or(0);
        for edits in [Vec::new(), lab.solution()] {
            let world = lab
                .with_policies(&edits)
                .unwrap_or_else(|d| panic!("{}: {d:?}", lab.id));
            for (goal, status) in lab.goals.iter().zip(lab.check(&world).goals) {
                let caller = &world.requests[goal.request].caller;
                let sentence = status.outcome.explain(&world, caller);
                for part in sentence.split("lines ").skip(1) {
                    let last: usize = part
                        .split(|c: char| !c.is_ascii_digit())
                        .filter(|n| !n.is_empty())
                        .nth(1)
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0);
                    assert!(
                        last <= longest,
                        "{}: {:?} points past the editable texts ({longest} lines): {sentence}",
                        lab.id,
                        goal.text
                    );
                }
            }
        }
    }
}

/// Widens one statement in place.
type StatementEdit<'a> = dyn Fn(&mut serde_json::Map<String, serde_json::Value>) + 'a;

/// Over-broad variants of a solution policy text: for each Allow statement
/// of it, one variant each with a wildcard principal, the whole account
/// instead of a named role or user, the service's every action (`kms:*`,
/// `s3:*`) and `Resource "*"` (not in key policies, where `"*"` means the
/// key itself). Variants equal to the text are left out. (name, text).
fn over_broad(text: &str, kind: keyshake::core::policy::PolicyKind) -> Vec<(String, String)> {
    use keyshake::core::policy::PolicyKind;
    use serde_json::{Value, json};
    let Ok(doc) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let statements = match doc.get("Statement") {
        Some(Value::Array(s)) => s.len(),
        Some(Value::Object(_)) => 1,
        _ => 0,
    };
    let mut out = Vec::new();
    for n in 0..statements {
        let edits: [(&str, &StatementEdit<'_>); 4] = [
            ("Principal \"*\"", &|st| {
                if st.contains_key("Principal") {
                    st.insert("Principal".into(), json!("*"));
                }
            }),
            ("the whole account", &|st| {
                let Some(Value::Object(p)) = st.get_mut("Principal") else {
                    return;
                };
                let Some(aws) = p.get_mut("AWS") else {
                    return;
                };
                let root = |v: &Value| match v.as_str().and_then(|a| a.split(':').nth(4)) {
                    Some(acct) if acct.len() == 12 => json!(format!("arn:aws:iam::{acct}:root")),
                    _ => v.clone(),
                };
                let wider = match &*aws {
                    Value::Array(a) => Value::Array(a.iter().map(root).collect()),
                    v => root(v),
                };
                *aws = wider;
            }),
            ("every action of the service", &|st| {
                let actions: Vec<String> = match st.get("Action") {
                    Some(Value::String(a)) => vec![a.clone()],
                    Some(Value::Array(a)) => a
                        .iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect(),
                    _ => return,
                };
                let mut services: Vec<String> = actions
                    .iter()
                    .filter_map(|a| a.split(':').next().map(|s| format!("{s}:*")))
                    .collect();
                services.dedup();
                let wide = if services.len() == 1 {
                    json!(services[0])
                } else {
                    json!(services)
                };
                st.insert("Action".into(), wide);
            }),
            ("Resource \"*\"", &|st| {
                if kind != PolicyKind::KeyPolicy && st.contains_key("Resource") {
                    st.insert("Resource".into(), json!("*"));
                }
            }),
        ];
        for (name, edit) in edits {
            let mut changed = doc.clone();
            let st = match changed.get_mut("Statement") {
                Some(Value::Array(s)) => s.get_mut(n),
                Some(v @ Value::Object(_)) => Some(v),
                _ => None,
            };
            let Some(Value::Object(st)) = st else {
                continue;
            };
            if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
                continue;
            }
            edit(st);
            if changed != doc {
                let text = serde_json::to_string_pretty(&changed).expect("JSON prints");
                out.push((format!("statement {} with {name}", n + 1), text));
            }
        }
    }
    out
}

#[test]
fn no_over_broad_solution_solves_a_lab() {
    use keyshake::core::lab::Workbench;
    use std::rc::Rc;
    let mut tried = 0;
    let mut solved = Vec::new();
    for lab in labs() {
        let lab = Rc::new(lab);
        let solution: Vec<String> = lab.editable.iter().map(|e| e.solution.clone()).collect();
        let bench = Workbench::new(Rc::clone(&lab), solution.clone(), false);
        assert!(
            bench.solved(),
            "{}: the solution itself: {:?}",
            lab.id,
            bench.blockers()
        );
        for (tab, e) in lab.editable.iter().enumerate() {
            if e.policy.kind() == keyshake::core::policy::PolicyKind::Scp {
                continue; // An SCP's Allow only filters: widening it grants nothing.
            }
            for (what, text) in over_broad(&e.solution, e.policy.kind()) {
                tried += 1;
                let mut texts = solution.clone();
                texts[tab] = text;
                let bench = Workbench::new(Rc::clone(&lab), texts, false);
                if bench.solved() {
                    solved.push(format!("{}: {} {what}", lab.id, e.label));
                }
            }
        }
    }
    assert!(tried > 50, "only {tried} over-broad variants");
    assert!(
        solved.is_empty(),
        "over-broad solutions solve labs:\n{}",
        solved.join("\n")
    );
}

/// A Workbench on `id` with tab `tab` replaced by `text` (others solved).
fn bench_with(id: &str, tab: usize, text: &str) -> keyshake::core::lab::Workbench {
    use std::rc::Rc;
    let lab = Rc::new(lab(id));
    let mut texts: Vec<String> = lab.editable.iter().map(|e| e.solution.clone()).collect();
    texts[tab] = text.to_string();
    keyshake::core::lab::Workbench::new(lab, texts, false)
}

fn blockers_text(bench: &keyshake::core::lab::Workbench) -> String {
    bench
        .blockers()
        .iter()
        .map(|b| b.describe(bench.lab()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_reported_insecure_solutions_fail_and_say_why() {
    // Lab 1: s3:* on "*" to all of account B.
    let wide = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:*","Resource":"*"}]}"#;
    let bench = bench_with("worked-example", 1, wide);
    assert!(!bench.solved());
    let why = blockers_text(&bench);
    assert!(why.contains("auditor"), "{why}");
    assert!(why.contains("every s3 action"), "{why}");
    // Lab 7: a world-readable bucket.
    let public = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::product-catalog-111122223333/*"},{"Sid":"DenyWithoutTLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::product-catalog-111122223333","arn:aws:s3:::product-catalog-111122223333/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
    let bench = bench_with("enforce-tls", 0, public);
    assert!(!bench.solved());
    let why = blockers_text(&bench);
    assert!(why.contains("security warning [public-principal]"), "{why}");
    // Lab 8: its starting kms:* to account B draws a finding.
    let start = lab("least-privilege-decrypt").editable[0].start.clone();
    let bench = bench_with("least-privilege-decrypt", 0, &start);
    assert!(
        bench
            .findings(0)
            .iter()
            .any(|f| f.code == "cross-account-full-access"),
        "{:?}",
        bench.findings(0)
    );
    // Lab 9: naming payroll-app directly instead of enabling IAM policies.
    let direct = r#"{"Version":"2012-10-17","Statement":[{"Sid":"KeyAdministration","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/key-admin"},"Action":["kms:Create*","kms:Describe*","kms:Enable*","kms:List*","kms:Put*","kms:Update*","kms:Revoke*","kms:Disable*","kms:Get*","kms:Delete*","kms:TagResource","kms:UntagResource","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion"],"Resource":"*"},{"Sid":"PayrollApp","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/payroll-app"},"Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*"}]}"#;
    let bench = bench_with("no-iam-delegation", 0, direct);
    assert!(!bench.solved());
    let why = blockers_text(&bench);
    assert!(why.contains("payslip-viewer"), "{why}");
}

#[test]
fn the_whole_account_is_offered_only_when_the_other_goals_still_hold_with_it() {
    use keyshake::core::lab::Workbench;
    use std::rc::Rc;
    // Lab 3: the key policy must name invoice-loader, and the analyst of
    // the same account must stay out, so "or the account" is no advice.
    let lab = Rc::new(lab("iam-half"));
    let start: Vec<String> = lab.editable.iter().map(|e| e.start.clone()).collect();
    let bench = Workbench::new(Rc::clone(&lab), start, false);
    let (world, status) = bench.results();
    let request = &world.requests[lab.goals[0].request];
    let engine = status.goals[0].outcome.explain(world, &request.caller);
    assert!(
        engine.contains("(or the account, arn:aws:iam::444455556666:root)"),
        "the engine offers the account form: {engine}"
    );
    let lab_says = bench.sentence(0);
    assert!(!lab_says.contains(":root"), "{lab_says}");
    assert!(lab_says.contains("role/invoice-loader"), "{lab_says}");
}

#[test]
fn an_rcp_is_a_lab_tab_that_the_engine_evaluates_and_the_export_keeps() {
    let lab = lab("rcp-partner-door");
    let rcp = PolicyRef::parse("rcp:111122223333#1").expect("an RCP reference");
    let tab = lab
        .editable
        .iter()
        .position(|e| e.policy == rcp)
        .expect("the RCP is one of the lab's tabs");
    assert_eq!(
        lab.editable[tab].label,
        "RCP 1 · Account A (key owner) (111122223333)"
    );
    // The stranger is kept out by the RCP's Deny, which leads to its tab,
    // with lines counted in the tab's own text.
    let stranger = lab
        .goals
        .iter()
        .position(|g| g.text.contains("stranger"))
        .expect("a goal for the stranger's account");
    let world = lab.with_policies(&lab.solution()).expect("valid");
    let status = lab.check(&world);
    let entry = status.goals[stranger]
        .outcome
        .deciding_deny()
        .expect("the RCP denies the stranger");
    let shown = lab
        .editable_at(&world, entry.source)
        .expect("an editor tab");
    assert_eq!(shown.policy, rcp);
    assert_eq!(entry.lines(&world), Some((4, 14)));
    // Emptying the RCP's condition on the organization, with a careless
    // "Principal": "*" in the key policy, lets the stranger in.
    let mut edits = lab.solution();
    edits[tab].1 = edits[tab].1.replace(
        "\"StringNotEqualsIfExists\": { \"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\" },",
        "",
    );
    edits[tab].1 = edits[tab].1.replace("999988887777", "777766665555");
    let key = 1 - tab;
    edits[key].1 = edits[key].1.replace(
        "\"Principal\": { \"AWS\": \"arn:aws:iam::444455556666:root\" }",
        "\"Principal\": \"*\"",
    );
    let world = lab.with_policies(&edits).expect("still valid");
    let status = lab.check(&world);
    assert!(!status.goals[stranger].met, "the stranger got in");
    // The export writes the edited RCP back under the account's rcps.
    let exported = lab.export_scenario(&edits);
    let table: toml::Table = exported.parse().expect("TOML");
    let accounts = table["accounts"].as_array().expect("accounts");
    let a = accounts
        .iter()
        .find(|a| a["id"].as_str() == Some("111122223333"))
        .expect("account A");
    let rcps = a["rcps"].as_array().expect("rcps");
    assert_eq!(rcps.len(), 1);
    assert!(rcps[0].as_str().is_some_and(|t| t.contains("777766665555")));
    let (code, out) = eval_exit(&exported);
    assert_eq!(code, 1, "the weakened RCP fails a goal:\n{out}");
}

/// Organization condition keys come from the world's `org` membership
/// (evaluation.md §6), never from a request's hand-set context, in labs and
/// in the quiz's scenarios: set by hand, they would teach a key that holds
/// whatever the request says.
#[test]
fn no_lab_sets_organization_keys_by_hand() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut files = Vec::new();
    for dir in ["labs", "scenarios"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("content folder") {
            files.push(entry.expect("entry").path());
        }
    }
    let mut checked = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        let table: toml::Table = text.parse().expect("TOML");
        let requests = table.get("requests").and_then(toml::Value::as_array);
        for r in requests.into_iter().flatten() {
            let Some(context) = r.get("context").and_then(toml::Value::as_table) else {
                continue;
            };
            for key in [
                "aws:PrincipalOrgID",
                "aws:PrincipalOrgPaths",
                "aws:ResourceOrgID",
            ] {
                assert!(
                    !context.keys().any(|k| k.eq_ignore_ascii_case(key)),
                    "{}: request {:?} sets {key} by hand; give the account an org instead",
                    path.display(),
                    r.get("name")
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 20);
    // The organization labs still depend on the membership.
    for id in [
        "org-wide-read",
        "perimeter-with-partner",
        "rcp-partner-door",
    ] {
        assert!(
            lab(id).world().accounts.iter().any(|a| a.org.is_some()),
            "{id} has no organization"
        );
    }
}

/// The lab's lint panel speaks about an RCP tab too: an Allow is both the
/// engine's error and an `rcp-allow` finding at the same line and column.
#[test]
fn an_allow_in_the_rcp_tab_is_an_error_and_an_rcp_allow_finding() {
    let lab = lab("rcp-partner-door");
    let tab = lab
        .editable
        .iter()
        .position(|e| matches!(e.policy, PolicyRef::Rcp { .. }))
        .expect("an RCP tab");
    let text = lab.editable[tab].solution.replace("\"Deny\"", "\"Allow\"");
    let bench = bench_with("rcp-partner-door", tab, &text);
    let f = bench
        .findings(tab)
        .iter()
        .find(|f| f.code == "rcp-allow")
        .expect("an rcp-allow finding");
    assert_eq!((f.line, f.column), (6, 17));
    assert!(
        bench
            .errors()
            .iter()
            .any(|d| d.line == 6 && d.column == 17 && d.message.contains("can only deny")),
        "{:?}",
        bench.errors()
    );
    // The solution's RCP has no RCP finding.
    let clean = bench_with("rcp-partner-door", tab, &lab.editable[tab].solution);
    assert!(
        clean
            .findings(tab)
            .iter()
            .all(|f| !f.code.starts_with("rcp-"))
    );
}
