//! An account's place in an AWS Organization (evaluation.md §6): its
//! organization ID, its path of organizational units, and whether it is the
//! management account. The formats follow AWS Organizations' API reference
//! (`Organization.Id`: `o-` and 10 to 32 lowercase letters or digits; a
//! path such as `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`, as the IAM User
//! Guide shows for `aws:PrincipalOrgPaths`).

use toml::Spanned;

use super::sink::DiagSink;

/// True for an organization ID: `o-` then lowercase letters or digits.
/// AWS issues 10 to 32 of them; shorter ones are accepted so that a
/// teaching scenario may abbreviate, but never other characters.
pub fn is_org_id(s: &str) -> bool {
    s.strip_prefix("o-").is_some_and(|rest| {
        (1..=32).contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// Whether `path` is `ORG/r-ROOT/` followed by any number of `ou-…/`
/// segments, starting with the account's own organization `org`.
fn path_ok(path: &str, org: &str) -> bool {
    let Some(rest) = path.strip_suffix('/') else {
        return false;
    };
    let mut parts = rest.split('/');
    let label_ok = |p: &str, prefix: &str| {
        p.strip_prefix(prefix).is_some_and(|id| {
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
    };
    parts.next() == Some(org)
        && parts.next().is_some_and(|root| label_ok(root, "r-"))
        && parts.all(|ou| label_ok(ou, "ou-"))
}

/// An account's `org` and `ou_path`, checked (errors are recorded at the
/// value's position and the value is dropped).
pub(super) fn membership(
    cx: &mut DiagSink<'_>,
    org: Option<&Spanned<String>>,
    ou_path: Option<&Spanned<String>>,
) -> (Option<String>, Option<String>) {
    let org_id = match org {
        Some(o) if is_org_id(o.get_ref()) => Some(o.get_ref().clone()),
        Some(o) => {
            cx.error(
                o.span().start,
                format!(
                    "org \"{}\" is not an organization ID: write o- followed by lowercase letters or digits, such as o-a1b2c3d4e5",
                    o.get_ref()
                ),
            );
            None
        }
        None => None,
    };
    let path = match (ou_path, org) {
        (None, _) => None,
        // The path starts with the organization ID: it names the
        // organization when `org` is left out.
        (Some(p), None) => match p.get_ref().split('/').next() {
            Some(o) if is_org_id(o) && path_ok(p.get_ref(), o) => {
                return (Some(o.to_string()), Some(p.get_ref().clone()));
            }
            _ => {
                cx.error(
                    p.span().start,
                    format!(
                        "ou_path \"{}\" must be a path in an organization, ending with /: o-ORG/r-ROOT/ou-…/ (for example o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/)",
                        p.get_ref()
                    ),
                );
                None
            }
        },
        (Some(p), Some(o)) if path_ok(p.get_ref(), o.get_ref()) => Some(p.get_ref().clone()),
        (Some(p), Some(o)) => {
            cx.error(
                p.span().start,
                format!(
                    "ou_path \"{}\" must be the path from the account's organization, ending with /: {}/r-ROOT/ou-…/ (for example {}/r-ab12/ou-ab12-11111111/)",
                    p.get_ref(),
                    o.get_ref(),
                    o.get_ref()
                ),
            );
            None
        }
    };
    (org_id, path)
}
