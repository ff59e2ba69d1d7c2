//! The parts of a statement the lint reads, with their spans.

use crate::core::policy::json::{Json, JsonKind, Span};
use crate::core::policy::wildcard;

/// One operator–key pair of a Condition block.
pub(super) struct Cond<'a> {
    /// The operator as written (`ForAnyValue:StringLikeIfExists`).
    pub op: &'a str,
    pub key: &'a str,
    pub key_span: Span,
    /// The values as text (`true`, `"true"` and `1` alike).
    pub values: Vec<String>,
}

impl Cond<'_> {
    /// The operator without `ForAnyValue:`/`ForAllValues:` and `IfExists`.
    pub fn base_op(&self) -> &str {
        let op = self.op.split_once(':').map_or(self.op, |(_, o)| o);
        op.strip_suffix("IfExists").unwrap_or(op)
    }

    /// Whether the operator ends in `IfExists` (an absent key passes).
    pub fn if_exists(&self) -> bool {
        self.op.ends_with("IfExists")
    }
}

/// The parts of a statement the lint looks at.
pub(super) struct Stmt<'a> {
    pub allow: bool,
    pub sid: Option<&'a str>,
    /// Action (or NotAction) strings as written, with spans.
    pub actions: Vec<(&'a str, Span)>,
    pub not_action: bool,
    /// Resource (or NotResource) strings with their spans; `None` when
    /// the statement has neither element.
    pub resources: Option<Vec<(&'a str, Span)>>,
    pub not_resource: bool,
    /// AWS principal strings with spans (`"*"` as a bare Principal counts).
    pub principals: Vec<(&'a str, Span)>,
    pub not_principal: bool,
    /// The Effect value's span, when there is one.
    pub effect_span: Option<Span>,
    /// The Principal (or NotPrincipal) value's span and whether it is the
    /// bare string `"*"`.
    pub principal_value: Option<(Span, bool)>,
    pub conditions: Vec<Cond<'a>>,
    pub span: Span,
}

pub(super) fn str_list<'a>(value: &'a Json<'_>) -> Vec<(&'a str, Span)> {
    match &value.kind {
        JsonKind::String(s) => vec![(s.as_ref(), value.span)],
        JsonKind::Array(items) => items
            .iter()
            .filter_map(|i| match &i.kind {
                JsonKind::String(s) => Some((s.as_ref(), i.span)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn scalar_text(value: &Json<'_>) -> Option<String> {
    match &value.kind {
        JsonKind::String(s) => Some(s.to_string()),
        JsonKind::Bool(b) => Some(b.to_string()),
        JsonKind::Number(n) => Some((*n).to_string()),
        _ => None,
    }
}

fn conditions<'a>(value: &'a Json<'_>) -> Vec<Cond<'a>> {
    let JsonKind::Object(ops) = &value.kind else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for op in ops {
        let JsonKind::Object(keys) = &op.value.kind else {
            continue;
        };
        for k in keys {
            let values = match &k.value.kind {
                JsonKind::Array(items) => items.iter().filter_map(scalar_text).collect(),
                _ => scalar_text(&k.value).into_iter().collect(),
            };
            out.push(Cond {
                op: op.name.as_ref(),
                key: k.name.as_ref(),
                key_span: k.name_span,
                values,
            });
        }
    }
    out
}

impl<'a> Stmt<'a> {
    pub fn read(s: &'a Json<'_>) -> Stmt<'a> {
        let mut st = Stmt {
            allow: false,
            sid: None,
            actions: Vec::new(),
            not_action: false,
            resources: None,
            not_resource: false,
            principals: Vec::new(),
            not_principal: false,
            effect_span: None,
            principal_value: None,
            conditions: Vec::new(),
            span: s.span,
        };
        let JsonKind::Object(members) = &s.kind else {
            return st;
        };
        for m in members {
            match m.name.as_ref() {
                "Sid" => {
                    if let JsonKind::String(sid) = &m.value.kind {
                        st.sid = Some(sid.as_ref());
                    }
                }
                "Effect" => {
                    st.allow = matches!(&m.value.kind, JsonKind::String(e) if e == "Allow");
                    st.effect_span = Some(m.value.span);
                }
                "Action" | "NotAction" => {
                    st.not_action = m.name == "NotAction";
                    st.actions = str_list(&m.value);
                }
                "Resource" | "NotResource" => {
                    st.not_resource = m.name == "NotResource";
                    st.resources = Some(str_list(&m.value));
                }
                "Principal" | "NotPrincipal" => {
                    st.not_principal = m.name == "NotPrincipal";
                    let star = matches!(&m.value.kind, JsonKind::String(p) if p == "*");
                    st.principal_value = Some((m.value.span, star));
                    match &m.value.kind {
                        JsonKind::String(p) => st.principals.push((p.as_ref(), m.value.span)),
                        JsonKind::Object(kinds) => {
                            for k in kinds.iter().filter(|k| k.name == "AWS") {
                                st.principals.extend(str_list(&k.value));
                            }
                        }
                        _ => {}
                    }
                }
                "Condition" => st.conditions = conditions(&m.value),
                _ => {}
            }
        }
        st
    }

    pub fn has_condition(&self) -> bool {
        !self.conditions.is_empty()
    }

    /// Whether the statement's actions cover `action`, ignoring case.
    pub fn covers(&self, action: &str) -> bool {
        let any = self
            .actions
            .iter()
            .any(|(p, _)| *p == "*" || wildcard::matches(p, action, true));
        any != self.not_action
    }

    /// An Action (not NotAction) naming `*` or `service:*`.
    pub fn grants_all_of(&self, service: &str) -> bool {
        !self.not_action
            && self.actions.iter().any(|(p, _)| {
                *p == "*"
                    || p.split_once(':').is_some_and(|(s, a)| {
                        s.eq_ignore_ascii_case(service) && a.chars().all(|c| c == '*')
                    })
            })
    }

    /// An Allow that lets some AWS principal change the key policy.
    pub fn can_put_key_policy(&self) -> bool {
        self.allow
            && !self.not_principal
            && !self.principals.is_empty()
            && self.resources.is_some()
            && self.covers("kms:putkeypolicy")
    }

    /// The statement names KMS actions other than the alias operations.
    pub fn has_key_actions(&self) -> bool {
        if self.not_action {
            return false;
        }
        self.actions.iter().any(|(a, _)| {
            let a = a.to_ascii_lowercase();
            (a == "*" || a.starts_with("kms:"))
                && !matches!(
                    a.as_str(),
                    "kms:createalias" | "kms:deletealias" | "kms:updatealias" | "kms:listaliases"
                )
        })
    }

    /// The account of each named AWS principal (an account ID or an ARN
    /// in an account); `*` and service principals have none.
    pub fn principal_accounts(&self) -> Vec<(&'a str, Span)> {
        self.principals
            .iter()
            .filter_map(|(p, span)| principal_account(p).map(|a| (a, *span)))
            .collect()
    }
}

/// `111122223333` or `arn:aws:iam::111122223333:role/x` → the account.
pub(super) fn principal_account(p: &str) -> Option<&str> {
    let account = if p.starts_with("arn:") {
        p.split(':').nth(4)?
    } else {
        p
    };
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}
