//! The words both front ends use for quiz answers: the reasons a learner may
//! give for a DENY, how each is offered, an answer in words, and choice
//! letters. The plain quiz and the full-screen quiz share them.

use crate::core::quiz::{Item, Response};
use crate::core::world::{Reason, Verdict};

/// The reasons a learner can give for a DENY, in the order offered.
pub const DENY_REASONS: [Reason; 5] = [
    Reason::ExplicitDeny,
    Reason::ImplicitDeny,
    Reason::NotFound,
    Reason::NotCrossAccount,
    Reason::InsecureTransport,
];

/// How a reason is offered to the learner.
pub fn reason_label(reason: Reason) -> &'static str {
    match reason {
        Reason::Allowed => "allowed",
        Reason::ExplicitDeny => "explicit deny: a Deny statement (or SCP) matches the request",
        Reason::ImplicitDeny => {
            "implicit deny: a required Allow is missing (the key policy half or the IAM half)"
        }
        Reason::NotFound => "not found: the key or alias cannot be resolved from the caller's side",
        Reason::NotCrossAccount => {
            "not cross-account: this operation cannot be used on another account's key"
        }
        Reason::InsecureTransport => "insecure transport: S3 refuses SSE-KMS requests without TLS",
    }
}

/// An answer in words: the letters and texts of the choices (each shown
/// through `text`), or the verdict and reason. Shared by plain mode and the
/// full-screen quiz.
pub fn describe_with(item: &Item, response: &Response, text: &dyn Fn(&str) -> String) -> String {
    match response {
        Response::Choices(shown) => {
            let mut shown = shown.clone();
            shown.sort_unstable();
            shown.dedup();
            let choices = item.choices();
            shown
                .iter()
                .map(|&i| {
                    let t = choices.get(i).map_or(String::new(), |c| text(c));
                    format!("{}) {t}", letter(i))
                })
                .collect::<Vec<_>>()
                .join("; ")
        }
        Response::Policy { verdict, reason } => {
            let v = match verdict {
                Verdict::Allow => "ALLOW",
                Verdict::Deny => "DENY",
            };
            match reason {
                Some(r) if *verdict == Verdict::Deny => format!("{v}, {}", reason_label(*r)),
                _ => v.to_string(),
            }
        }
    }
}

/// `a` for 0, `b` for 1, ...
pub fn letter(i: usize) -> char {
    u8::try_from(i)
        .ok()
        .and_then(|i| b'a'.checked_add(i))
        .map_or('?', char::from)
}
