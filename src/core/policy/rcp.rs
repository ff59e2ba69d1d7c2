//! What AWS accepts in a resource control policy beyond the common grammar
//! (evaluation.md §6). AWS Organizations, "RCP syntax"
//! (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html>):
//! `Allow` is supported only in the `RCPFullAWSAccess` policy that AWS
//! attaches to every account itself, `Principal` must be `"*"`,
//! `NotPrincipal` and `NotAction` are not among its elements, and
//! `Version` must be `"2012-10-17"`. A scenario's RCPs are the ones a
//! customer writes, so they hold Deny statements for everyone, narrowed by
//! conditions.

use super::json::{Json, JsonKind, Member};
use crate::core::diag::Located;

/// Records an error for each element of one RCP statement that AWS would
/// refuse: an `Allow` effect, a `NotPrincipal`, a `Principal` other than
/// `"*"`. A missing `Principal` is reported by the common grammar.
pub(super) fn check_statement(members: &[Member], errors: &mut Vec<Located>) {
    let get = |name: &str| members.iter().find(|m| m.name == name);
    if let Some(m) = get("Effect")
        && matches!(&m.value.kind, JsonKind::String(s) if s == "Allow")
    {
        errors.push(Located {
            offset: m.value.span.start,
            message: "a resource control policy can only deny: \"Allow\" exists only in RCPFullAWSAccess, which AWS attaches itself; write \"Effect\": \"Deny\" with a condition that leaves out the callers to let through".to_string(),
        });
    }
    if let Some(m) = get("NotAction") {
        errors.push(Located {
            offset: m.name_span.start,
            message: "NotAction is not supported in a resource control policy; list the actions to deny in \"Action\"".to_string(),
        });
    }
    if let Some(m) = get("NotPrincipal") {
        errors.push(Located {
            offset: m.name_span.start,
            message: "NotPrincipal is not supported in a resource control policy; write \"Principal\": \"*\" and exempt callers with a condition (for example on aws:PrincipalOrgID or aws:PrincipalIsAWSService)".to_string(),
        });
    }
    // A string other than "*" or an array is already refused by the common
    // grammar; an object ({"AWS": ...}, {"Service": ...}) is valid there.
    if let Some(m) = get("Principal")
        && is_object(&m.value)
    {
        errors.push(Located {
            offset: m.value.span.start,
            message: "the Principal of a resource control policy must be \"*\" (it applies to every caller); narrow who is denied with a condition such as aws:PrincipalOrgID or aws:PrincipalAccount".to_string(),
        });
    }
}

/// `{"AWS": ...}` and the like: a principal AWS does not accept in an RCP,
/// where only `"*"` is.
fn is_object(value: &Json) -> bool {
    matches!(&value.kind, JsonKind::Object(_))
}

/// An RCP must say `"Version": "2012-10-17"` (the older `2008-10-17`
/// grammar is not accepted for RCPs). `doc` is the policy's top-level
/// value; a wrong Version value is reported at the value.
pub(super) fn check_document(doc: &Json, errors: &mut Vec<Located>) {
    let JsonKind::Object(members) = &doc.kind else {
        return;
    };
    match members.iter().find(|m| m.name == "Version") {
        None => errors.push(Located {
            offset: doc.span.start,
            message: "a resource control policy must give \"Version\": \"2012-10-17\"".to_string(),
        }),
        Some(m) if matches!(&m.value.kind, JsonKind::String(v) if v == "2008-10-17") => {
            errors.push(Located {
                offset: m.value.span.start,
                message: "a resource control policy must use \"Version\": \"2012-10-17\" (2008-10-17 is not accepted for RCPs)".to_string(),
            })
        }
        Some(_) => {}
    }
}
