//! JSON text → validated [`Policy`], with errors a learner can act on.

use super::condition::{Operator, check_value};
use super::document::{ActionSpec, Condition, Effect, Policy, PolicyKind, ResourceSpec, Statement};
use super::json::{self, Json, JsonKind, Member, Span};
use super::principal::{PrincipalEntry, PrincipalSpec, parse_aws_principal};
use super::resource::ResourcePattern;
use crate::core::diag::{Located, suggest};

/// The largest key policy AWS accepts, in bytes.
pub const MAX_KEY_POLICY_BYTES: usize = 32 * 1024;

/// The most values one condition key may list. AWS bounds them only through
/// the policy size limits (at most a few thousand values fit in 32 KB);
/// the cap keeps a generated scenario from making evaluation crawl.
pub const MAX_CONDITION_VALUES: usize = 1_000;

/// The largest bucket policy S3 accepts, in bytes ("Bucket policies are
/// limited to 20 KB in size": Amazon S3 User Guide, "Bucket policies for
/// Amazon S3").
pub const MAX_BUCKET_POLICY_BYTES: usize = 20 * 1024;
/// The longest identity policy, in characters other than whitespace: an
/// IAM role's inline policies may hold 10,240 in all (IAM User Guide, "IAM
/// and AWS STS quotas"; a managed policy holds 6,144, a user's inline
/// policies 2,048). A scenario does not say which kind it models, so the
/// largest applies.
pub const MAX_IDENTITY_POLICY_CHARS: usize = 10_240;
/// The longest permissions boundary: a boundary is a managed policy, 6,144
/// characters other than whitespace (same page).
pub const MAX_BOUNDARY_CHARS: usize = 6_144;
/// The longest SCP or RCP, 5,120 characters (AWS Organizations User Guide,
/// "Quotas and service limits for AWS Organizations").
pub const MAX_ORG_POLICY_CHARS: usize = 5_120;

/// Why `text` is larger than AWS accepts for a policy of `kind`, if it is.
/// IAM and Organizations count characters other than whitespace; KMS and
/// S3 count bytes.
pub fn too_big(text: &str, kind: PolicyKind) -> Option<String> {
    let (limit, size, unit) = match kind {
        PolicyKind::KeyPolicy => (MAX_KEY_POLICY_BYTES, text.len(), "bytes (32 KB)"),
        PolicyKind::BucketPolicy => (MAX_BUCKET_POLICY_BYTES, text.len(), "bytes (20 KB)"),
        PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Scp | PolicyKind::Rcp => {
            let limit = match kind {
                PolicyKind::Identity => MAX_IDENTITY_POLICY_CHARS,
                PolicyKind::Boundary => MAX_BOUNDARY_CHARS,
                _ => MAX_ORG_POLICY_CHARS,
            };
            // Cheap first: a text no longer than the limit fits.
            if text.len() <= limit {
                return None;
            }
            let chars = text.chars().filter(|c| !c.is_whitespace()).count();
            (limit, chars, "characters other than whitespace")
        }
    };
    (size > limit).then(|| {
        format!(
            "{} of {size} {} is too big: AWS accepts at most {limit} {unit}",
            capitalise_first(kind.article_name()),
            unit.split(" (").next().unwrap_or(unit)
        )
    })
}

fn capitalise_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

const TOP_LEVEL: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

/// Parses and validates a policy document of the given kind. Returns every
/// problem found (a JSON syntax error stops at the first).
pub fn parse(text: &str, kind: PolicyKind) -> Result<Policy, Vec<Located>> {
    if let Some(message) = too_big(text, kind) {
        return Err(vec![Located { offset: 0, message }]);
    }
    let doc = json::parse(text).map_err(|e| {
        vec![Located {
            offset: e.offset,
            message: format!("invalid JSON: {}", e.message),
        }]
    })?;
    let mut errors = Vec::new();
    let mut policy = document(&doc, kind, &mut errors);
    if errors.is_empty() {
        policy.text = text.into();
        Ok(policy)
    } else {
        Err(errors)
    }
}

fn err(errors: &mut Vec<Located>, at: Span, message: impl Into<String>) {
    errors.push(Located {
        offset: at.start,
        message: message.into(),
    });
}

fn unknown_element(errors: &mut Vec<Located>, m: &Member, known: &[&str], place: &str) {
    let mut message = format!("unknown {place} element \"{}\"", m.name);
    if let Some(s) = suggest(&m.name, known.iter().copied()) {
        message.push_str(&format!(" (did you mean \"{s}\"?)"));
    } else {
        message.push_str(&format!(" (expected one of {})", known.join(", ")));
    }
    err(errors, m.name_span, message);
}

fn document(doc: &Json, kind: PolicyKind, errors: &mut Vec<Located>) -> Policy {
    let mut policy = Policy {
        kind,
        version: None,
        id: None,
        statements: Vec::new(),
        text: "".into(),
    };
    let JsonKind::Object(members) = &doc.kind else {
        err(
            errors,
            doc.span,
            format!(
                "a policy must be a JSON object ({{ \"Version\": ..., \"Statement\": [...] }}), found {}",
                doc.kind.describe()
            ),
        );
        return policy;
    };
    let mut statement_seen = false;
    for m in members {
        match m.name.as_ref() {
            "Version" => match &m.value.kind {
                JsonKind::String(v) if v == "2012-10-17" || v == "2008-10-17" => {
                    policy.version = Some(v.to_string());
                }
                other => err(
                    errors,
                    m.value.span,
                    format!(
                        "Version must be \"2012-10-17\" (or the older \"2008-10-17\"), found {}",
                        show(other)
                    ),
                ),
            },
            "Id" => match &m.value.kind {
                JsonKind::String(v) => policy.id = Some(v.to_string()),
                other => err(
                    errors,
                    m.value.span,
                    format!("Id must be a string, found {}", other.describe()),
                ),
            },
            "Statement" => {
                statement_seen = true;
                let items: Vec<&Json> = match &m.value.kind {
                    JsonKind::Array(items) => items.iter().collect(),
                    JsonKind::Object(_) => vec![&m.value],
                    other => {
                        err(
                            errors,
                            m.value.span,
                            format!(
                                "Statement must be an object or an array of objects, found {}",
                                other.describe()
                            ),
                        );
                        Vec::new()
                    }
                };
                for (index, item) in items.into_iter().enumerate() {
                    if let Some(s) = statement(item, index, kind, errors) {
                        policy.statements.push(s);
                    }
                }
            }
            _ => unknown_element(errors, m, TOP_LEVEL, "policy"),
        }
    }
    if !statement_seen {
        err(errors, doc.span, "the policy has no \"Statement\" element");
    }
    if kind == PolicyKind::Rcp {
        super::rcp::check_document(doc, errors);
    }
    policy
}

/// Shows a JSON value in a message: strings quoted, others by type.
fn show(kind: &JsonKind) -> String {
    match kind {
        JsonKind::String(s) => format!("\"{s}\""),
        other => other.describe().to_string(),
    }
}

/// A string or an array of strings, as most elements accept.
fn strings<'a>(value: &'a Json, element: &str, errors: &mut Vec<Located>) -> Vec<(&'a str, Span)> {
    match &value.kind {
        JsonKind::String(s) => vec![(s.as_ref(), value.span)],
        JsonKind::Array(items) => {
            if items.is_empty() {
                err(
                    errors,
                    value.span,
                    format!("{element} must not be an empty array"),
                );
            }
            items
                .iter()
                .filter_map(|item| match &item.kind {
                    JsonKind::String(s) => Some((s.as_ref(), item.span)),
                    other => {
                        err(
                            errors,
                            item.span,
                            format!(
                                "each {element} value must be a string, found {}",
                                other.describe()
                            ),
                        );
                        None
                    }
                })
                .collect()
        }
        other => {
            err(
                errors,
                value.span,
                format!(
                    "{element} must be a string or an array of strings, found {}",
                    other.describe()
                ),
            );
            Vec::new()
        }
    }
}

fn statement(
    item: &Json,
    index: usize,
    kind: PolicyKind,
    errors: &mut Vec<Located>,
) -> Option<Statement> {
    let JsonKind::Object(members) = &item.kind else {
        err(
            errors,
            item.span,
            format!(
                "each statement must be a JSON object, found {}",
                item.kind.describe()
            ),
        );
        return None;
    };
    let before = errors.len();
    let get = |name: &str| members.iter().find(|m| m.name == name);
    for m in members {
        if !STATEMENT.contains(&m.name.as_ref()) {
            unknown_element(errors, m, STATEMENT, "statement");
        }
    }
    let sid = sid_of(members, errors);
    let effect = effect_of(item, members, errors);
    let actions = actions_of(item, members, errors);
    let resources = resources_of(item, members, kind, errors);
    let principal = principal_of(item, members, kind, errors);
    if kind == PolicyKind::Rcp {
        super::rcp::check_statement(members, errors);
    }
    let conditions = match get("Condition") {
        None => Vec::new(),
        Some(m) => conditions(&m.value, errors),
    };
    if errors.len() > before {
        return None;
    }
    Some(Statement {
        index,
        sid,
        effect,
        actions,
        resources,
        principal,
        conditions,
        span: item.span,
        lines: None,
    })
}

/// The statement's `Sid`, if it has a string one.
fn sid_of(members: &[Member], errors: &mut Vec<Located>) -> Option<String> {
    let get = |name: &str| members.iter().find(|m| m.name == name);
    match get("Sid") {
        None => None,
        Some(m) => match &m.value.kind {
            JsonKind::String(s) => Some(s.to_string()),
            other => {
                err(
                    errors,
                    m.value.span,
                    format!("Sid must be a string, found {}", other.describe()),
                );
                None
            }
        },
    }
}

/// The statement's `Effect` (Allow when missing or wrong, after an error).
fn effect_of(item: &Json, members: &[Member], errors: &mut Vec<Located>) -> Effect {
    let get = |name: &str| members.iter().find(|m| m.name == name);
    match get("Effect") {
        None => {
            err(
                errors,
                item.span,
                "this statement has no \"Effect\": add \"Effect\": \"Allow\" or \"Deny\"",
            );
            Effect::Allow
        }
        Some(m) => match &m.value.kind {
            JsonKind::String(s) if s == "Allow" => Effect::Allow,
            JsonKind::String(s) if s == "Deny" => Effect::Deny,
            other => {
                err(
                    errors,
                    m.value.span,
                    format!(
                        "Effect must be \"Allow\" or \"Deny\", found {}",
                        show(other)
                    ),
                );
                Effect::Allow
            }
        },
    }
}

/// The statement's `Action` or `NotAction`, lowercased.
fn actions_of(item: &Json, members: &[Member], errors: &mut Vec<Located>) -> ActionSpec {
    let get = |name: &str| members.iter().find(|m| m.name == name);
    match one_of(get("Action"), get("NotAction"), errors) {
        Pair::Both => ActionSpec {
            negated: false,
            patterns: Vec::new(),
            written: Vec::new(),
        },
        Pair::Neither => {
            err(
                errors,
                item.span,
                "this statement has no \"Action\" (or \"NotAction\"): say which actions it covers",
            );
            ActionSpec {
                negated: false,
                patterns: Vec::new(),
                written: Vec::new(),
            }
        }
        Pair::One(m, negated) => {
            let written: Vec<String> = strings(&m.value, &m.name, errors)
                .into_iter()
                .filter_map(|(s, span)| match check_action(s) {
                    Ok(()) => Some(s.to_string()),
                    Err(msg) => {
                        err(errors, span, msg);
                        None
                    }
                })
                .collect();
            let patterns = written.iter().map(|s| s.to_ascii_lowercase()).collect();
            ActionSpec {
                negated,
                patterns,
                written,
            }
        }
    }
}

/// The statement's `Resource` or `NotResource` (none in a key policy
/// statement without one, which then never applies).
fn resources_of(
    item: &Json,
    members: &[Member],
    kind: PolicyKind,
    errors: &mut Vec<Located>,
) -> Option<ResourceSpec> {
    let get = |name: &str| members.iter().find(|m| m.name == name);
    match one_of(get("Resource"), get("NotResource"), errors) {
        Pair::Both => None,
        Pair::Neither => {
            if kind != PolicyKind::KeyPolicy {
                err(
                    errors,
                    item.span,
                    format!(
                        "this statement has no \"Resource\": {} must say which resources it covers (\"*\" for all)",
                        kind.article_name()
                    ),
                );
            }
            None
        }
        Pair::One(m, negated) => {
            let patterns = strings(&m.value, &m.name, errors)
                .into_iter()
                .filter_map(|(s, span)| match check_resource(s) {
                    Ok(()) => Some(ResourcePattern::new(s)),
                    Err(msg) => {
                        err(errors, span, msg);
                        None
                    }
                })
                .collect();
            Some(ResourceSpec { negated, patterns })
        }
    }
}

/// The statement's `Principal` or `NotPrincipal`: required in resource
/// policies, refused elsewhere.
fn principal_of(
    item: &Json,
    members: &[Member],
    kind: PolicyKind,
    errors: &mut Vec<Located>,
) -> Option<PrincipalSpec> {
    let get = |name: &str| members.iter().find(|m| m.name == name);
    let (p, n) = (get("Principal"), get("NotPrincipal"));
    if !kind.is_resource_policy() {
        if let Some(m) = p.or(n) {
            err(
                errors,
                m.name_span,
                format!(
                    "{} is not allowed in {}: it applies to the identity it is attached to (Principal belongs in key and bucket policies)",
                    m.name,
                    kind.article_name()
                ),
            );
        }
        None
    } else {
        match one_of(p, n, errors) {
            Pair::Both => None,
            Pair::Neither => {
                err(
                    errors,
                    item.span,
                    format!(
                        "this statement has no \"Principal\": {} must say whom it applies to",
                        kind.article_name()
                    ),
                );
                None
            }
            Pair::One(m, negated) => Some(PrincipalSpec {
                negated,
                entries: principal_entries(&m.value, errors),
            }),
        }
    }
}

/// Which of an element and its `Not` form a statement has.
enum Pair<'j, 'a> {
    /// Neither.
    Neither,
    /// Both (already reported as an error).
    Both,
    /// One of them; `true` for the `Not` form.
    One(&'j Member<'a>, bool),
}

/// `X` or `NotX`, never both: the second one written is reported.
fn one_of<'j, 'a>(
    plain: Option<&'j Member<'a>>,
    not: Option<&'j Member<'a>>,
    errors: &mut Vec<Located>,
) -> Pair<'j, 'a> {
    match (plain, not) {
        (Some(a), Some(n)) => {
            let second = if a.name_span.start > n.name_span.start {
                a
            } else {
                n
            };
            err(
                errors,
                second.name_span,
                format!("a statement takes {} or {}, not both", a.name, n.name),
            );
            Pair::Both
        }
        (Some(m), None) => Pair::One(m, false),
        (None, Some(m)) => Pair::One(m, true),
        (None, None) => Pair::Neither,
    }
}

/// `*`, or `service:Name` with wildcards allowed in the name.
fn check_action(s: &str) -> Result<(), String> {
    if s == "*" {
        return Ok(());
    }
    let ok = match s.split_once(':') {
        Some((service, name)) => {
            !service.is_empty()
                && service
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'*' || b == b'?')
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "action \"{s}\" is not of the form service:Action (for example \"kms:Decrypt\" or \"s3:GetObject\")"
        ))
    }
}

/// `*` or an ARN (at least `arn:partition:service:region:account`).
fn check_resource(s: &str) -> Result<(), String> {
    // At least `arn:partition:service`; the rest may be a trailing `*` that
    // runs on across the remaining fields (`arn:aws:kms:*`).
    if s == "*" || (s.starts_with("arn:") && s.matches(':').count() >= 2) {
        return Ok(());
    }
    let hint = if s.starts_with("alias/") {
        " (an alias name is not a resource: use the key ARN, or a condition on kms:ResourceAliases / kms:RequestAlias)"
    } else if s.len() == 36 && s.matches('-').count() == 4 {
        " (a bare key ID is not a resource: use the key ARN arn:aws:kms:REGION:ACCOUNT:key/ID)"
    } else {
        " (write \"*\" or an ARN such as arn:aws:kms:us-east-1:111122223333:key/ID)"
    };
    Err(format!("resource \"{s}\" is not an ARN{hint}"))
}

fn principal_entries(value: &Json, errors: &mut Vec<Located>) -> Vec<PrincipalEntry> {
    let members = match &value.kind {
        JsonKind::String(s) if s == "*" => return vec![PrincipalEntry::Everyone],
        JsonKind::Object(members) => members,
        other => {
            err(
                errors,
                value.span,
                format!(
                    "Principal must be \"*\" or an object such as {{\"AWS\": \"arn:aws:iam::444455556666:root\"}}, found {}",
                    show(other)
                ),
            );
            return Vec::new();
        }
    };
    let mut entries = Vec::new();
    for m in members {
        let values = strings(&m.value, &format!("Principal {}", m.name), errors);
        for (s, span) in values {
            let entry = match m.name.as_ref() {
                "AWS" => parse_aws_principal(s),
                "Service" => Ok(PrincipalEntry::Service(s.to_string())),
                "Federated" | "CanonicalUser" => Ok(PrincipalEntry::Other(s.to_string())),
                _ => {
                    let mut message = format!("unknown principal type \"{}\"", m.name);
                    if let Some(sug) =
                        suggest(&m.name, ["AWS", "Service", "Federated", "CanonicalUser"])
                    {
                        message.push_str(&format!(" (did you mean \"{sug}\"?)"));
                    }
                    err(errors, m.name_span, message);
                    break;
                }
            };
            match entry {
                Ok(e) => entries.push(e),
                Err(msg) => err(errors, span, msg),
            }
        }
    }
    entries
}

fn conditions(value: &Json, errors: &mut Vec<Located>) -> Vec<Condition> {
    let JsonKind::Object(operators) = &value.kind else {
        err(
            errors,
            value.span,
            format!(
                "Condition must be an object such as {{\"StringEquals\": {{\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}}}, found {}",
                value.kind.describe()
            ),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for op_member in operators {
        let operator = match Operator::parse(&op_member.name) {
            Ok(op) => op,
            Err(msg) => {
                err(errors, op_member.name_span, msg);
                continue;
            }
        };
        let JsonKind::Object(keys) = &op_member.value.kind else {
            err(
                errors,
                op_member.value.span,
                format!(
                    "{} must map condition keys to values, found {}",
                    op_member.name,
                    op_member.value.kind.describe()
                ),
            );
            continue;
        };
        for key in keys {
            let raw: Vec<&Json> = match &key.value.kind {
                JsonKind::Array(items) => items.iter().collect(),
                _ => vec![&key.value],
            };
            if raw.len() > MAX_CONDITION_VALUES {
                err(
                    errors,
                    key.value.span,
                    format!(
                        "condition key \"{}\" lists {} values; at most {MAX_CONDITION_VALUES} are accepted (split the statement, or use a wildcard)",
                        key.name,
                        raw.len()
                    ),
                );
                continue;
            }
            let mut values = Vec::with_capacity(raw.len());
            for v in raw {
                let text = match &v.kind {
                    JsonKind::String(s) => s.to_string(),
                    JsonKind::Bool(b) => b.to_string(),
                    JsonKind::Number(n) => n.to_string(),
                    other => {
                        err(
                            errors,
                            v.span,
                            format!(
                                "a condition value must be a string, number or boolean, found {}",
                                other.describe()
                            ),
                        );
                        continue;
                    }
                };
                if let Err(msg) = check_value(&operator, &text) {
                    err(errors, v.span, msg);
                    continue;
                }
                values.push(text);
            }
            out.push(Condition {
                operator,
                key: key.name.to_string(),
                key_lower: key.name.to_ascii_lowercase(),
                values,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str, kind: PolicyKind) -> Vec<(usize, String)> {
        parse(text, kind)
            .expect_err("should be invalid")
            .into_iter()
            .map(|e| (e.offset, e.message))
            .collect()
    }

    const KEY_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Enable IAM policies", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
     "Action": "kms:*", "Resource": "*"},
    {"Effect": "Allow", "Principal": {"AWS": ["444455556666"]},
     "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*",
     "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}
  ]
}"#;

    #[test]
    fn parses_a_key_policy() {
        let p = parse(KEY_POLICY, PolicyKind::KeyPolicy).expect("valid");
        assert_eq!(p.statements.len(), 2);
        assert_eq!(p.statements[0].label(), "Enable IAM policies");
        assert_eq!(p.statements[1].label(), "#2");
        assert!(p.statements[1].matches_action("kms:decrypt"));
        assert!(!p.statements[1].matches_action("kms:encrypt"));
        assert_eq!(p.statements[1].conditions[0].key_lower, "kms:viaservice");
        assert_eq!(
            &KEY_POLICY[p.statements[1].span.start..p.statements[1].span.start + 1],
            "{"
        );
    }

    #[test]
    fn explains_each_mistake_where_it_is() {
        let e = errors(
            r#"{"Statement": {"Effect": "allow", "Action": "kms:Decrypt", "Resource": "*"}}"#,
            PolicyKind::Identity,
        );
        assert_eq!(
            e,
            vec![(
                25,
                "Effect must be \"Allow\" or \"Deny\", found \"allow\"".to_string()
            )]
        );
        let e = errors(
            r#"{"Statement": {"Efect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}}"#,
            PolicyKind::Identity,
        );
        assert!(
            e[0].1
                .contains("unknown statement element \"Efect\" (did you mean \"Effect\"?)")
        );
        assert_eq!(e[0].0, 15);
        let e = errors(
            r#"{"Statement": {"Effect": "Allow", "Action": "kms:Decrypt", "NotAction": "s3:*", "Resource": "*"}}"#,
            PolicyKind::Identity,
        );
        assert!(e[0].1.contains("not both"));
        let e = errors(
            r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}}"#,
            PolicyKind::Identity,
        );
        assert!(
            e[0].1
                .contains("Principal is not allowed in an identity policy")
        );
        let e = errors(
            r#"{"Statement": {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "alias/finance"}}"#,
            PolicyKind::Identity,
        );
        assert!(e[0].1.contains("is not an ARN"));
        let e = errors(
            r#"{"Statement": {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}}"#,
            PolicyKind::KeyPolicy,
        );
        assert!(e[0].1.contains("no \"Principal\""));
        let e = errors(
            r#"{"Statement": {"Effect": "Allow", "Action": "kms:Decrypt"}}"#,
            PolicyKind::BucketPolicy,
        );
        assert!(e.iter().any(|(_, m)| m.contains("no \"Resource\"")));
        let e = errors(
            r#"{"Version": "2012-10-18", "Statement": []}"#,
            PolicyKind::Identity,
        );
        assert!(e[0].1.starts_with("Version must be"));
    }

    #[test]
    fn key_policy_without_resource_is_accepted_but_never_applies() {
        let p = parse(
            r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "kms:*"}}"#,
            PolicyKind::KeyPolicy,
        )
        .expect("AWS accepts it");
        assert!(!p.statements[0].matches_resource("arn:aws:kms:us-east-1:111122223333:key/x"));
    }

    #[test]
    fn too_many_condition_values_are_refused_with_the_count() {
        let values: Vec<String> = (0..=MAX_CONDITION_VALUES)
            .map(|i| format!("\"v{i}\""))
            .collect();
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{{"StringEquals":{{"aws:PrincipalTag/team":[{}]}}}}}}]}}"#,
            values.join(",")
        );
        let errs = errors(&text, PolicyKind::Identity);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].1.contains("lists 1001 values; at most 1000"),
            "{}",
            errs[0].1
        );
        assert_eq!(&text[errs[0].0..errs[0].0 + 1], "[");
    }

    #[test]
    fn oversized_key_policy_is_refused() {
        let big = format!("{{\"Statement\": [], \"Id\": \"{}\"}}", "x".repeat(40_000));
        let message = &errors(&big, PolicyKind::KeyPolicy)[0].1;
        assert!(message.contains("at most 32768"), "{message}");
        assert!(
            message.starts_with("A key policy of 40027 bytes"),
            "{message}"
        );
    }

    #[test]
    fn every_kind_has_aws_size_limit_and_whitespace_does_not_count_for_iam() {
        let sized = |n: usize| format!("{{\"Statement\":[],\"Id\":\"{}\"}}", "x".repeat(n));
        for (kind, limit) in [
            (PolicyKind::BucketPolicy, MAX_BUCKET_POLICY_BYTES),
            (PolicyKind::Identity, MAX_IDENTITY_POLICY_CHARS),
            (PolicyKind::Boundary, MAX_BOUNDARY_CHARS),
            (PolicyKind::Scp, MAX_ORG_POLICY_CHARS),
            (PolicyKind::Rcp, MAX_ORG_POLICY_CHARS),
        ] {
            let overhead = sized(0).len();
            assert!(
                too_big(&sized(limit - overhead), kind).is_none(),
                "{kind:?}"
            );
            let over = too_big(&sized(limit - overhead + 1), kind);
            assert!(
                over.as_deref()
                    .is_some_and(|m| m.contains(&format!("at most {limit}"))),
                "{kind:?}: {over:?}"
            );
        }
        // IAM counts characters other than whitespace: indentation is free.
        let indented = format!(
            "{{\"Statement\": [],{}\"Id\": \"x\"}}",
            "\n        ".repeat(2_000)
        );
        assert!(too_big(&indented, PolicyKind::Identity).is_none());
        assert!(too_big(&indented, PolicyKind::BucketPolicy).is_none());
    }
}
