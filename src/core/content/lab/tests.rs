//! Lab parsing, editing and export, on a small lab file.

use super::*;
use crate::core::world::load_str;

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/k-1";
const ROLE: &str = "arn:aws:iam::444455556666:role/app";

/// A small valid lab: the role in B needs the IAM half.
fn base() -> String {
    format!(
        r#"title = "Tiny lab"

[lab]
id = "tiny"
objectives = ["handshake"]
editable = ["identity:{ROLE}"]
story = '''
The role needs the IAM half.
'''
hints = ["Look at the IAM policy.", "Allow kms:Decrypt on the key ARN."]
explanation = '''
Both halves are needed.
'''

[lab.solution]
"identity:{ROLE}#1" = '''
{{
  "Version": "2012-10-17",
  "Statement": [
    {{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "{KEY}" }}
  ]
}}
'''

[[keys]]
arn = "{KEY}"
policy = '''
{{
  "Version": "2012-10-17",
  "Statement": [
    {{ "Effect": "Allow", "Principal": {{ "AWS": "arn:aws:iam::111122223333:root" }}, "Action": "kms:*", "Resource": "*" }},
    {{ "Effect": "Allow", "Principal": {{ "AWS": "arn:aws:iam::444455556666:root" }}, "Action": "kms:Decrypt", "Resource": "*" }}
  ]
}}
'''

[[principals]]
arn = "{ROLE}"

[[requests]]
name = "app decrypts"
principal = "{ROLE}"
action = "kms:Decrypt"
resource = "{KEY}"
expect = "allow"

[[requests]]
name = "app cannot encrypt"
principal = "{ROLE}"
action = "kms:Encrypt"
resource = "{KEY}"
expect = "deny"
"#
    )
}

fn errors(text: &str) -> Vec<String> {
    match Lab::parse("labs/tiny.toml", text) {
        Ok(_) => vec![],
        Err(d) => d.iter().map(ToString::to_string).collect(),
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i + 1)
}

#[test]
fn a_valid_lab_loads_with_its_parts() {
    let lab = Lab::parse("labs/tiny.toml", &base()).expect("valid");
    assert_eq!(lab.id, "tiny");
    assert_eq!(lab.title, "Tiny lab");
    assert_eq!(lab.hints.len(), 2);
    assert_eq!(lab.goals.len(), 2);
    assert_eq!(lab.goals[1].expect, Some(Verdict::Deny));
    assert_eq!(lab.goals[0].text, "app decrypts");
    let e = &lab.editable[0];
    assert_eq!(e.start, "", "the role starts with no policy");
    assert_eq!(e.policy.to_string(), format!("identity:{ROLE}#1"));
    assert_eq!(e.label, "IAM policy · role/app · account 444455556666");
    let status = lab.check(lab.world());
    assert_eq!((status.met_count(), status.solved()), (1, false));
}

#[test]
fn unknown_lab_field_is_reported_at_its_key() {
    let text = base().replace("hints = [", "hint = 1\nhints = [");
    let line = line_of(&text, "hint = 1");
    let e = errors(&text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with(&format!(
            "labs/tiny.toml:{line}:1: error: invalid lab: unknown field `hint`"
        )),
        "{e:?}"
    );
}

#[test]
fn a_solution_for_a_policy_that_is_not_editable_is_an_error() {
    let text = base().replace(
        "[[keys]]",
        &format!("\"key:{KEY}\" = '''{{}}'''\n\n[[keys]]"),
    );
    let line = line_of(&text, "'''{}'''");
    let e = errors(&text);
    assert_eq!(
        e,
        vec![format!(
            "labs/tiny.toml:{line}:{}: error: [lab.solution] gives \"key:{KEY}\", which is not in editable",
            KEY.len() + 10
        )]
    );
}

#[test]
fn an_editable_policy_needs_a_solution_and_must_exist() {
    let text = base().replace(
        &format!("editable = [\"identity:{ROLE}\"]"),
        &format!("editable = [\"identity:{ROLE}\", \"bucket:nope\", \"identity:{ROLE}#3\"]"),
    );
    let line = line_of(&text, "editable =");
    let e = errors(&text).join("\n");
    assert!(e.contains(&format!("labs/tiny.toml:{line}:")), "{e}");
    assert!(
        e.contains("editable policy bucket:nope has no entry in [lab.solution]"),
        "{e}"
    );
    assert!(e.contains("no bucket nope in [[buckets]]"), "{e}");
    assert!(
        e.contains("has 0 identity policies; a lab may add one (#1) but not #3"),
        "{e}"
    );
}

#[test]
fn a_solution_json_error_points_into_the_lab_file() {
    let text = base().replace(
        "\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"arn",
        "\"Efect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"arn",
    );
    let line = line_of(&text, "\"Efect\"");
    let e = errors(&text);
    assert_eq!(e.len(), 2, "the typo, and the missing Effect: {e:?}");
    assert!(
        e[0].starts_with(&format!(
            "labs/tiny.toml:{line}:7: error: solution of identity:{ROLE}#1: unknown statement element \"Efect\""
        )),
        "{e:?}"
    );
}

#[test]
fn a_solution_that_misses_a_goal_names_the_goal_at_its_request() {
    let text = base().replace(
        "\"Action\": \"kms:Decrypt\", \"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/k-1\" }",
        "\"Action\": \"kms:*\", \"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/k-1\" }",
    );
    let e = errors(&text);
    // kms:* in IAM does not help Encrypt: the key policy never allows it.
    assert!(e.is_empty(), "{e:?}");
    let text = base().replace(
        "resource = \"arn:aws:kms:us-east-1:111122223333:key/k-1\"\nexpect = \"deny\"",
        "resource = \"arn:aws:kms:us-east-1:111122223333:key/k-1\"\nexpect = \"deny\"\n\n[[requests]]\nname = \"app describes the key\"\nprincipal = \"arn:aws:iam::444455556666:role/app\"\naction = \"kms:DescribeKey\"\nresource = \"arn:aws:kms:us-east-1:111122223333:key/k-1\"\nexpect = \"allow\"",
    );
    let line = line_of(&text, "name = \"app describes the key\"") + 1;
    let e = errors(&text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with(&format!("labs/tiny.toml:{line}:1: error: the reference solution does not meet goal \"app describes the key\": the engine decides deny (implicit_deny) but the goal expects allow")),
        "{e:?}"
    );
}

#[test]
fn goals_need_a_name_an_expectation_and_one_must_stay_denied() {
    let text = base()
        .replace("name = \"app decrypts\"\n", "")
        .replace("expect = \"deny\"", "");
    let e = errors(&text).join("\n");
    assert!(e.contains("give it a name = \"...\""), "{e}");
    assert!(e.contains("give it expect = \"allow\" or \"deny\""), "{e}");
    assert!(e.contains("at least one goal that must stay denied"), "{e}");
}

#[test]
fn a_lab_already_solved_at_the_start_or_with_one_hint_is_refused() {
    let solved_start = base().replace(
        &format!("[[principals]]\narn = \"{ROLE}\"\n"),
        &format!(
            "[[principals]]\narn = \"{ROLE}\"\npolicies = ['''{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}}]}}''']\n"
        ),
    );
    let e = errors(&solved_start).join("\n");
    assert!(
        e.contains("the starting state already meets every goal"),
        "{e}"
    );
    let one_hint = base().replace(", \"Allow kms:Decrypt on the key ARN.\"", "");
    let e = errors(&one_hint).join("\n");
    assert!(e.contains("at least two hints"), "{e}");
}

#[test]
fn a_missing_lab_table_and_a_scenario_error_are_both_reported() {
    let text = base();
    let start = text.find("[lab]").unwrap_or(0);
    let end = text.find("[[keys]]").unwrap_or(0);
    let plain = format!("{}{}", &text[..start], &text[end..]);
    let e = errors(&plain);
    assert_eq!(e, vec!["labs/tiny.toml:1:1: error: a lab file needs a [lab] table\n  hint: add [lab] with id, objectives, story, editable, hints, explanation and [lab.solution]".to_string()]);
    let bad = text.replace("action = \"kms:Encrypt\"", "action = \"kms:*\"");
    let line = line_of(&bad, "action = \"kms:*\"");
    let e = errors(&bad);
    assert!(
        e[0].starts_with(&format!(
            "labs/tiny.toml:{line}:10: error: action \"kms:*\""
        )),
        "{e:?}"
    );
}

#[test]
fn edits_are_applied_checked_and_exported() {
    let lab = Lab::parse("labs/tiny.toml", &base()).expect("valid");
    let r = lab.editable[0].policy.clone();
    let world = lab.with_policies(&lab.solution()).expect("solution parses");
    assert!(lab.solved(&world));
    // An emptied identity policy allows nothing.
    let world = lab
        .with_policies(&[(r.clone(), "  \n".into())])
        .expect("empty is fine");
    assert!(!lab.solved(&world));
    // A key policy may not be emptied, and is not editable here anyway.
    let d = lab
        .with_policies(&[(PolicyRef::Key(KEY.into()), String::new())])
        .expect_err("not editable");
    assert_eq!(d[0].path, format!("key:{KEY}"));
    // The export drops [lab] and carries the learner's text.
    let out = lab.export_scenario(&lab.solution());
    assert!(!out.contains("[lab"), "{out}");
    let world = load_str("export.toml", &out).expect("export loads");
    assert_eq!(world.principals[0].policies.len(), 1);
    let empty = lab.export_scenario(&[(r, String::new())]);
    let world = load_str("export.toml", &empty).expect("export loads");
    assert!(world.principals[0].policies.is_empty());
}
