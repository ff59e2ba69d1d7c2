//! The loader on small packs: every rule and message position.

use super::*;
use crate::core::content::QuestionKind;
use crate::core::content::markup::{BlockKind, Inline};
use scenarios::control_escapes;

const OBJECTIVES: &str = "[[objectives]]\nid = \"handshake\"\ntitle = \"Two halves\"\n";
const GLOSSARY: &str = "[[terms]]\nid = \"key-policy\"\nterm = \"Key policy\"\ndefinition = \"The policy on a key.\"\n";

fn file(rel: &str, text: &str) -> SourceFile {
    SourceFile {
        rel: rel.to_string(),
        display: format!("content/{rel}"),
        text: text.to_string(),
    }
}

fn pack_with(extra: &[(&str, &str)]) -> Result<Pack, Vec<Diagnostic>> {
    let mut files = vec![
        file("objectives.toml", OBJECTIVES),
        file("glossary.toml", GLOSSARY),
    ];
    files.extend(extra.iter().map(|(r, t)| file(r, t)));
    load("content/", files, Vec::new())
}

fn messages(r: Result<Pack, Vec<Diagnostic>>) -> Vec<String> {
    match r {
        Ok(p) => panic!(
            "expected errors, got a pack with {} lessons",
            p.lessons.len()
        ),
        Err(d) => d.iter().map(ToString::to_string).collect(),
    }
}

const LESSON: &str = r#"id = "handshake"
order = 4
title = "The handshake"
objectives = ["handshake"]
summary = "Both sides."

[[sections]]
id = "two-halves"
title = "Two halves"
body = '''
## Rule

Both a [[key-policy]] and an IAM policy.
'''

[[sections.checkpoints]]
id = "cp-one"
kind = "single"
prompt = "Which?"
choices = ["A", "B"]
answer = [1]
explanation = "Because."
"#;

#[test]
fn control_escapes_are_found_and_plain_backslashes_are_not() {
    let found = control_escapes(r#"a \u001b b \\u001b c \U0000009b d \x07 \e \u00e9 \n"#);
    let chars: Vec<char> = found.iter().map(|(_, c)| *c).collect();
    assert_eq!(chars, ['\u{1b}', '\u{9b}', '\u{7}', '\u{1b}']);
    assert_eq!(found.first().map(|f| f.0), Some(2));
}

#[test]
fn loads_a_lesson_with_lines_and_filled_links() {
    let pack = match pack_with(&[("lessons/04-handshake.toml", LESSON)]) {
        Ok(p) => p,
        Err(d) => panic!("{d:?}"),
    };
    let lesson = &pack.lessons[0];
    assert_eq!(lesson.id, "handshake");
    let section = &lesson.sections[0];
    assert_eq!(section.blocks[0].line, 11);
    assert_eq!(section.blocks[1].line, 13);
    assert_eq!(
        section.blocks[1].kind,
        BlockKind::Paragraph(vec![
            Inline::Text("Both a ".into()),
            Inline::TermLink {
                id: "key-policy".into(),
                text: "key policy".into()
            },
            Inline::Text(" and an IAM policy.".into()),
        ])
    );
    let cp = &section.checkpoints[0];
    assert_eq!((cp.line, cp.pick, cp.difficulty), (17, 1, 1));
    assert!(cp.is_correct(&[1]));
    assert_eq!(
        pack.question("cp-one").map(|q| q.kind),
        Some(QuestionKind::Single)
    );
}

#[test]
fn toml_syntax_error_has_line_and_column() {
    let m = messages(pack_with(&[(
        "lessons/x.toml",
        "id = \"x\"\norder = = 3\n",
    )]));
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("content/lessons/x.toml:2:9: error:"),
        "{m:?}"
    );
}

#[test]
fn unknown_field_is_reported_at_the_key() {
    let text = LESSON.replace("summary =", "sumary =");
    let m = messages(pack_with(&[("lessons/x.toml", &text)]));
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("content/lessons/x.toml:5:1: error: unknown field `sumary`"),
        "{m:?}"
    );
}

#[test]
fn markup_errors_point_into_the_file() {
    let text = LESSON.replace("## Rule", "> [!DANGER]\n> careful");
    let m = messages(pack_with(&[("lessons/x.toml", &text)]));
    assert_eq!(
        m,
        vec![
            "content/lessons/x.toml:11:5: error: unknown callout label \"DANGER\"; use IMPORTANT, TIP, WARNING or NOTE"
        ]
    );
    let text = LESSON.replace("## Rule", "```json\n{");
    let m = messages(pack_with(&[("lessons/x.toml", &text)]));
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].starts_with("content/lessons/x.toml:11:1: error: unclosed code fence"));
    let text = LESSON.replace("## Rule", "@diagram venn");
    let m = messages(pack_with(&[("lessons/x.toml", &text)]));
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].starts_with("content/lessons/x.toml:11:10: error: unknown diagram \"venn\""));
}

#[test]
fn a_structural_error_does_not_hide_markup_errors() {
    let text = LESSON
        .replace("summary = \"Both sides.\"\n", "")
        .replace("## Rule", "@diagram venn")
        .replace("[[key-policy]]", "[[key-polcy]]")
        .replace("answer = [1]", "answer = [5]");
    let m = messages(pack_with(&[("lessons/x.toml", &text)]));
    assert_eq!(m.len(), 4, "{m:?}");
    // The checkpoints of a lesson that does not load are checked too.
    assert!(
        m.iter()
            .any(|l| l.contains("error: answer index 5 is out of range")),
        "{m:?}"
    );
    assert!(
        m[0].starts_with("content/lessons/x.toml:1:1: error: missing field `summary`"),
        "{m:?}"
    );
    assert!(
        m[1].starts_with("content/lessons/x.toml:10:10: error: unknown diagram"),
        "{m:?}"
    );
    assert!(
        m[2].starts_with("content/lessons/x.toml:12:8: error: [[key-polcy]]"),
        "{m:?}"
    );
}

#[test]
fn unknown_term_and_objective_and_every_problem_at_once() {
    let text = LESSON
        .replace("[[key-policy]]", "[[key-polcy]]")
        .replace(
            "objectives = [\"handshake\"]",
            "objectives = [\"handshak\"]",
        )
        .replace("answer = [1]", "answer = [2]");
    let m = messages(pack_with(&[("lessons/x.toml", &text)]));
    assert_eq!(
        m,
        vec![
            "content/lessons/x.toml:4:15: error: unknown objective id \"handshak\"\n  hint: did you mean \"handshake\"?",
            "content/lessons/x.toml:13:8: error: [[key-polcy]] is not a glossary term\n  hint: did you mean \"key-policy\"?",
            "content/lessons/x.toml:21:10: error: answer index 2 is out of range: there are 2 choices (indexes 0 to 1)",
        ]
    );
}

#[test]
fn duplicate_ids_name_the_first_place() {
    let second = LESSON
        .replace("id = \"two-halves\"", "id = \"other\"")
        .replace("order = 4", "order = 5");
    let m = messages(pack_with(&[
        ("lessons/a.toml", LESSON),
        ("lessons/b.toml", &second),
    ]));
    assert_eq!(
        m,
        vec![
            "content/lessons/b.toml:1:6: error: duplicate lesson id \"handshake\" (first defined at content/lessons/a.toml:1:6)",
            "content/lessons/b.toml:17:6: error: duplicate question id \"cp-one\" (first defined at content/lessons/a.toml:17:6)",
        ]
    );
    let twice = format!(
        "{LESSON}\n[[sections]]\nid = \"two-halves\"\ntitle = \"Again\"\nbody = \"text\"\n"
    );
    let m = messages(pack_with(&[("lessons/a.toml", &twice)]));
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].contains("duplicate section id \"two-halves\""),
        "{m:?}"
    );
    let glossary = format!("{GLOSSARY}{GLOSSARY}");
    let m = messages(load(
        "content/",
        vec![
            file("objectives.toml", OBJECTIVES),
            file("glossary.toml", &glossary),
        ],
        Vec::new(),
    ));
    assert_eq!(
        m,
        vec![
            "content/glossary.toml:6:6: error: duplicate glossary term id \"key-policy\" (first defined at content/glossary.toml:2:6)"
        ]
    );
}

const BANK: &str = r#"[[questions]]
id = "q-tf"
kind = "truefalse"
objectives = ["handshake"]
difficulty = 1
prompt = "True?"
choices = ["Yes", "No"]
answer = [0]
explanation = "x"

[[questions]]
id = "q-multi"
kind = "multiple"
objectives = ["handshake"]
difficulty = 2
prompt = "Pick two"
choices = ["a", "b", "c"]
answer = [0, 2]
explanation = "x"

[[questions]]
id = "q-pick"
kind = "multiple"
objectives = ["handshake"]
difficulty = 2
prompt = "Pick two"
choices = ["a", "b", "c"]
answer = [0, 2]
pick = 3
explanation = "x"

[[questions]]
id = "q-policy"
kind = "policy"
objectives = ["handshake"]
difficulty = 3
prompt = "Allowed?"
scenario = "hs-missing"
explanation = "x"
"#;

#[test]
fn question_bank_rules() {
    let m = messages(pack_with(&[("questions/bank.toml", BANK)]));
    assert_eq!(
        m,
        vec![
            "content/questions/bank.toml:7:11: error: truefalse questions take no `choices` (they are always True and False)",
            "content/questions/bank.toml:12:6: error: multiple-answer question \"q-multi\" needs `pick`\n  hint: pick = 2 (the number of answers)",
            "content/questions/bank.toml:29:8: error: pick = 3 but `answer` lists 2 choices",
            "content/questions/bank.toml:38:12: error: scenario \"hs-missing\" not found\n  hint: policy questions name a file scenarios/hs-missing.toml",
        ]
    );
}

/// A cross-account Decrypt where only B's IAM half allows.
const SCENARIO: &str = r#"title = "IAM half only"

[[keys]]
arn = "arn:aws:kms:us-east-1:111122223333:key/c41d8e90-3b2a-4f7c-a1d5-6e0f9b3c2a84"
policy = '''
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
 "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}
'''

[[principals]]
arn = "arn:aws:iam::444455556666:role/worker"
policies = ['''
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
 "Resource": "arn:aws:kms:us-east-1:111122223333:key/c41d8e90-3b2a-4f7c-a1d5-6e0f9b3c2a84"}]}
''']

[[requests]]
principal = "arn:aws:iam::444455556666:role/worker"
action = "kms:Decrypt"
resource = "arn:aws:kms:us-east-1:111122223333:key/c41d8e90-3b2a-4f7c-a1d5-6e0f9b3c2a84"
expect = "deny"
expect_reason = "implicit_deny"
"#;

#[test]
fn policy_question_is_answered_by_the_engine() {
    let bank = BANK.split("\n\n").last().unwrap_or("");
    let pack = pack_with(&[
        ("questions/bank.toml", bank),
        ("scenarios/hs-missing.toml", SCENARIO),
    ]);
    let pack = match pack {
        Ok(p) => p,
        Err(d) => panic!("{d:?}"),
    };
    let q = &pack.questions[0];
    assert_eq!(q.kind, QuestionKind::Policy);
    assert_eq!(q.scenario.as_deref(), Some("hs-missing"));
    let answer = q
        .policy
        .clone()
        .unwrap_or_else(|| panic!("no engine answer"));
    assert_eq!(answer.verdict, crate::core::world::Verdict::Deny);
    assert_eq!(answer.reason, crate::core::world::Reason::ImplicitDeny);
    assert!(!answer.explanation.is_empty());
}

#[test]
fn policy_question_whose_expectation_the_engine_rejects_is_an_error() {
    let bank = BANK.split("\n\n").last().unwrap_or("");
    let wrong = SCENARIO
        .replace("expect = \"deny\"", "expect = \"allow\"")
        .replace("\"implicit_deny\"", "\"allowed\"");
    let m = messages(pack_with(&[
        ("questions/bank.toml", bank),
        ("scenarios/hs-missing.toml", &wrong),
    ]));
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
            m[0].starts_with(
                "content/scenarios/hs-missing.toml:18:1: error: the policy engine decides deny (implicit_deny) but the scenario expects allow (allowed)"
            ),
            "{m:?}"
        );
    let two = format!(
        "{SCENARIO}\n[[requests]]\nprincipal = \"arn:aws:iam::444455556666:role/worker\"\naction = \"kms:Encrypt\"\nresource = \"arn:aws:kms:us-east-1:111122223333:key/c41d8e90-3b2a-4f7c-a1d5-6e0f9b3c2a84\"\n"
    );
    let m = messages(pack_with(&[
        ("questions/bank.toml", bank),
        ("scenarios/hs-missing.toml", &two),
    ]));
    assert_eq!(
        m,
        vec![
            "content/scenarios/hs-missing.toml:1:1: error: the scenario of policy question \"q-policy\" must hold exactly one [[requests]] entry, found 2"
        ]
    );
}

#[test]
fn links_in_question_texts_are_checked() {
    let text = LESSON.replace("prompt = \"Which?\"", "prompt = \"Which [[kms-kee]]?\"");
    let m = messages(pack_with(&[("lessons/x.toml", &text)]));
    assert_eq!(
        m,
        vec![
            "content/lessons/x.toml:17:1: error: question \"cp-one\": [[kms-kee]] is not a glossary term\n  hint: add it to glossary.toml or fix the id"
        ]
    );
    let text = LESSON.replace("prompt = \"Which?\"", "prompt = \"Which [[key-policy]]?\"");
    let pack = match pack_with(&[("lessons/x.toml", &text)]) {
        Ok(p) => p,
        Err(d) => panic!("{d:?}"),
    };
    let prompt = pack.question("cp-one").map(|q| pack.styled(&q.prompt));
    assert_eq!(
        prompt,
        Some(vec![
            Inline::Text("Which ".into()),
            Inline::TermLink {
                id: "key-policy".into(),
                text: "Key policy".into()
            },
            Inline::Text("?".into()),
        ])
    );
}

#[test]
fn unknown_question_kind_suggests_the_closest() {
    let text = LESSON.replace("kind = \"single\"", "kind = \"singel\"");
    let m = messages(pack_with(&[("lessons/x.toml", &text)]));
    assert_eq!(
        m,
        vec![
            "content/lessons/x.toml:18:8: error: unknown question kind \"singel\"; use single, multiple, truefalse\n  hint: did you mean \"single\"?"
        ]
    );
}

#[test]
fn suggestions_name_a_close_id_only() {
    let known = ["key-policy", "grant", "alias"];
    assert_eq!(
        did_you_mean("grnat", known.into_iter(), "none"),
        "did you mean \"grant\"?"
    );
    assert_eq!(did_you_mean("envelope", known.into_iter(), "none"), "none");
}

#[test]
fn lessons_are_sorted_by_order() {
    let later = LESSON
        .replace("id = \"handshake\"", "id = \"later\"")
        .replace("order = 4", "order = 9")
        .replace("cp-one", "cp-two");
    let pack = match pack_with(&[
        ("lessons/01-later.toml", &later),
        ("lessons/04-handshake.toml", LESSON),
    ]) {
        Ok(p) => p,
        Err(d) => panic!("{d:?}"),
    };
    let ids: Vec<&str> = pack.lessons.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, vec!["handshake", "later"]);
}

#[test]
fn missing_top_level_files_are_reported() {
    let m = messages(load(
        "content/",
        vec![file("lessons/a.toml", LESSON)],
        Vec::new(),
    ));
    assert_eq!(
        m,
        vec![
            "content/glossary.toml:1:1: error: the pack has no glossary.toml",
            "content/objectives.toml:1:1: error: the pack has no objectives.toml",
        ]
    );
}

#[test]
fn an_unknown_kind_does_not_hide_the_questions_other_problems() {
    let bank = r#"[[questions]]
id = "q-kind"
kind = "single-choice"
prompt = "Which account writes the key policy?"
choices = ["A", "B", "B"]
answer = [3]
explanation = "A writes it."
objectives = ["handshake"]
difficulty = 1
"#;
    let m = messages(pack_with(&[("questions/bank.toml", bank)]));
    assert_eq!(m.len(), 3, "{m:?}");
    assert!(
        m[0].starts_with("content/questions/bank.toml:3:8: error: unknown question kind"),
        "{m:?}"
    );
    assert!(m[1].starts_with("content/questions/bank.toml:5:11: error: question \"q-kind\" lists the choice \"B\" twice"), "{m:?}");
    assert!(
        m[2].starts_with("content/questions/bank.toml:6:10: error: answer index 3 is out of range"),
        "{m:?}"
    );
}
