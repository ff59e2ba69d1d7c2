//! The teaching text of the step-through diagrams.
//!
//! The TUI draws the boxes and arrows; this module says what the boxes are
//! and, for each press of →, which box or hop lights up and what is checked
//! or happens there. Facts follow AWS's KMS, IAM and S3 documentation
//! (the rules the engine applies are in docs/evaluation.md).

use std::borrow::Cow;

/// A diagram's name, as written after `@diagram`: a built-in one
/// (`handshake`, `envelope`) or one the pack defines in `diagrams/NAME.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DiagramId(Cow<'static, str>);

impl DiagramId {
    /// The cross-account permission flow (`@diagram handshake`).
    pub const HANDSHAKE: DiagramId = DiagramId(Cow::Borrowed("handshake"));
    /// Envelope encryption (`@diagram envelope`).
    pub const ENVELOPE: DiagramId = DiagramId(Cow::Borrowed("envelope"));
    /// The built-in diagrams, in the order they are taught.
    pub const ALL: [DiagramId; 2] = [DiagramId::HANDSHAKE, DiagramId::ENVELOPE];

    /// The diagram called `name` (a pack's own or a built-in one).
    pub fn new(name: &str) -> Self {
        match DiagramId::builtin(name) {
            Some(id) => id,
            None => DiagramId(Cow::Owned(name.to_string())),
        }
    }

    /// The name used after `@diagram`.
    pub fn name(&self) -> &str {
        &self.0
    }

    /// The built-in diagram called `name`, if there is one.
    pub fn builtin(name: &str) -> Option<Self> {
        DiagramId::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Whether this is one of the built-in diagrams.
    pub fn is_builtin(&self) -> bool {
        DiagramId::builtin(self.name()).is_some()
    }
}

/// The names the built-in handshake diagram shows, from `[names]` in
/// `pack.toml` (the defaults are the course's own example).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramNames {
    /// A short name for the account that owns the key (`A`).
    pub key_account: String,
    /// A short name for the account whose role calls (`B`).
    pub caller_account: String,
    /// The calling account's 12-digit id (`444455556666`).
    pub caller_account_id: String,
    /// The role that makes the request (`Lambda role`).
    pub role: String,
    /// The S3 action the role calls (`s3:GetObject`).
    pub action: String,
}

impl Default for DiagramNames {
    fn default() -> Self {
        DiagramNames {
            key_account: "A".to_string(),
            caller_account: "B".to_string(),
            caller_account_id: "444455556666".to_string(),
            role: "Lambda role".to_string(),
            action: "s3:GetObject".to_string(),
        }
    }
}

/// Longest box label and box detail line (they must fit a box at 80
/// columns).
pub const MAX_LABEL: usize = 18;
/// See [`MAX_LABEL`].
pub const MAX_DETAIL: usize = 26;

/// A diagram: its boxes and the steps that walk through them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    /// Which diagram this is.
    pub id: DiagramId,
    /// A title for the frame around it.
    pub title: String,
    /// A line under the title about how to read it (possibly empty).
    pub note: String,
    /// The boxes, in drawing order.
    pub nodes: Vec<Node>,
    /// Arrows drawn between neighbouring boxes besides those a step walks
    /// (from, to: indexes into [`Diagram::nodes`]).
    pub arrows: Vec<(usize, usize)>,
    /// The steps, in the order → visits them.
    pub steps: Vec<Step>,
}

/// One box of a diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The text in the box (short: it must fit a box at 80 columns).
    pub label: String,
    /// A second line under the label (where it lives), possibly empty.
    pub detail: String,
}

/// What a step highlights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// One box (index into [`Diagram::nodes`]).
    Node(usize),
    /// The arrow from one box to another (indexes into [`Diagram::nodes`]).
    Hop {
        /// The box the arrow leaves.
        from: usize,
        /// The box the arrow reaches.
        to: usize,
    },
}

/// One press of →: what lights up and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// A short name for the step, shown as its heading.
    pub label: String,
    /// The box or arrow to highlight.
    pub focus: Focus,
    /// The box the step's result goes back to, lit with the focus (KMS
    /// returning the plaintext data key to the caller), if any.
    pub reply: Option<usize>,
    /// One or two sentences: what is checked or what happens here.
    pub text: String,
}

fn node(label: &str, detail: &str) -> Node {
    Node {
        label: label.to_string(),
        detail: detail.to_string(),
    }
}

fn step(label: &str, focus: Focus, text: String) -> Step {
    Step {
        label: label.to_string(),
        focus,
        reply: None,
        text,
    }
}

impl Step {
    /// The same step, with its result going back to box `to`.
    fn back_to(self, to: usize) -> Step {
        Step {
            reply: Some(to),
            ..self
        }
    }
}

/// The S3 box's second line: "checks A's bucket policy", shortened for a
/// long account name so that it fits a box at 80 columns.
fn bucket_detail(a: &str) -> String {
    let long = format!("checks {a}'s bucket policy");
    if long.chars().count() <= MAX_DETAIL {
        long
    } else {
        format!("{a}'s bucket policy")
    }
}

/// The built-in diagrams with `names` filled in.
pub fn builtins(names: &DiagramNames) -> Vec<Diagram> {
    vec![handshake(names), envelope()]
}

/// principal in B → B's IAM policy → Amazon S3 (A's bucket policy) → A's
/// key policy → KMS, then S3 returns the object. Sources: IAM User Guide,
/// "Cross-account policy evaluation logic"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>);
/// KMS Developer Guide, "Allowing users in other accounts to use a KMS key"
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html>).
fn handshake(n: &DiagramNames) -> Diagram {
    let (a, b, role, action) = (
        n.key_account.as_str(),
        n.caller_account.as_str(),
        n.role.as_str(),
        n.action.as_str(),
    );
    let who = if n.role == DiagramNames::default().role {
        format!("A {role}")
    } else {
        format!("The role {role}")
    };
    let b_id = &n.caller_account_id;
    Diagram {
        id: DiagramId::HANDSHAKE,
        title: "Cross-account decrypt: both halves of the handshake".to_string(),
        note: "Boxes in teaching order: AWS evaluates both accounts' policies for each check, in no order; an explicit Deny anywhere wins.".to_string(),
        nodes: vec![
            node(role, &format!("account {b}")),
            node(&format!("{b}'s IAM policy"), &format!("account {b}")),
            node("Amazon S3", &bucket_detail(a)),
            node(&format!("{a}'s key policy"), "KMS checks it"),
            node("AWS KMS", &format!("key in account {a}")),
        ],
        arrows: Vec::new(),
        steps: vec![
            step(
                "The request",
                Focus::Node(0),
                format!(
                    "{who} in account {b} calls {action} on an object in account {a}'s bucket. \
                     The object is encrypted with SSE-KMS under a customer managed key in account {a}, \
                     so reading it also needs kms:Decrypt on that key."
                ),
            ),
            step(
                &format!("{b}'s half: the IAM policy"),
                Focus::Hop { from: 0, to: 1 },
                format!(
                    "Account {b} must allow its own role: the role's IAM policy must allow {action} on \
                     the object and kms:Decrypt on the key's full ARN in account {a}. \
                     A policy in account {a} that trusts account {b} gives the role nothing until {b} delegates it here."
                ),
            ),
            step(
                &format!("S3 checks {a}'s bucket policy"),
                Focus::Hop { from: 1, to: 2 },
                format!(
                    "S3 decides {action} first, before it asks KMS for anything: {a}'s bucket policy \
                     must allow the role or account {b}, and the role's IAM policy must allow it too. \
                     Cross-account access needs BOTH halves to allow, and an explicit Deny anywhere wins."
                ),
            ),
            step(
                &format!("{a}'s half: the key policy"),
                Focus::Hop { from: 2, to: 3 },
                format!(
                    "S3, not the role, then calls kms:Decrypt on the role's behalf: kms:ViaService is \
                     s3.<region>.amazonaws.com and the encryption context aws:s3:arn names the object \
                     (the bucket, with S3 Bucket Keys). {a}'s key policy must allow kms:Decrypt to account {b} \
                     (arn:aws:iam::{b_id}:root) or to the role itself."
                ),
            ),
            step(
                "KMS decrypts the data key",
                Focus::Hop { from: 3, to: 4 },
                format!(
                    "KMS allows the call only when {a}'s key policy and {b}'s IAM policy both allow it, and \
                     returns the plaintext data key to S3. CloudTrail records the call in both accounts."
                ),
            ),
            step(
                "S3 returns the object",
                Focus::Node(2),
                "With both checks passed, S3 decrypts the object with the data key and returns it to \
                 the role. Had either account's policy failed to allow, or denied, the read would fail."
                    .to_string(),
            )
            .back_to(0),
        ],
    }
}

/// plaintext → data key → ciphertext; data key → KMS key → encrypted data
/// key; stored together; and the way back. Source: KMS Developer Guide,
/// "Data keys" (<https://docs.aws.amazon.com/kms/latest/developerguide/data-keys.html>).
fn envelope() -> Diagram {
    let s = |label: &str, focus: Focus, text: &str| step(label, focus, text.to_string());
    Diagram {
        id: DiagramId::ENVELOPE,
        title: "Envelope encryption".to_string(),
        note: String::new(),
        nodes: vec![
            node("Plaintext data", "any size"),
            node("Data key", "plaintext, in memory"),
            node("Ciphertext", "your data, encrypted"),
            node("KMS key", "never leaves KMS"),
            node("Encrypted data key", "safe to store"),
            node("Stored together", "ciphertext + encrypted key"),
        ],
        arrows: Vec::new(),
        steps: vec![
            s(
                "Ask KMS for a data key",
                Focus::Node(3),
                "Your code calls GenerateDataKey and names a KMS key. \
                 KMS returns one fresh data key twice: once in plaintext and once encrypted under \
                 the KMS key, which itself never leaves KMS unencrypted.",
            )
            .back_to(1),
            s(
                "Encrypt the data locally",
                Focus::Hop { from: 0, to: 1 },
                "Your code encrypts the data outside KMS with the plaintext data key (for example \
                 AES-GCM). This is how data of any size is protected: KMS Encrypt itself accepts at \
                 most 4,096 bytes.",
            ),
            s(
                "Ciphertext out, plaintext key gone",
                Focus::Hop { from: 1, to: 2 },
                "The result is the ciphertext of your data. \
                 Erase the plaintext data key from memory as soon as you are done with it.",
            ),
            s(
                "The data key is wrapped by the KMS key",
                Focus::Hop { from: 3, to: 4 },
                "The encrypted copy of the data key is the one you keep. \
                 Only KMS, using the KMS key, can turn it back into the plaintext data key.",
            ),
            s(
                "Store them together",
                Focus::Hop { from: 4, to: 5 },
                "Store the encrypted data key next to the ciphertext, for example in the file's \
                 header or the object's metadata. KMS keeps no copy of data keys, so losing the \
                 encrypted data key loses the data.",
            ),
            s(
                "Decrypt: unwrap the data key",
                Focus::Hop { from: 4, to: 3 },
                "To read the data, send the encrypted data key to KMS Decrypt. \
                 KMS checks that the caller is allowed kms:Decrypt on the KMS key and sends the \
                 plaintext data key back.",
            )
            .back_to(1),
            s(
                "Decrypt the data locally",
                Focus::Hop { from: 2, to: 0 },
                "Your code decrypts the ciphertext with the plaintext data key, then erases the key \
                 again. The data itself never went to KMS.",
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<Diagram> {
        builtins(&DiagramNames::default())
    }

    #[test]
    fn names_round_trip() {
        for (id, d) in DiagramId::ALL.into_iter().zip(all()) {
            assert_eq!(DiagramId::builtin(id.name()), Some(id.clone()));
            assert_eq!(DiagramId::new(id.name()), id);
            assert_eq!(d.id, id);
        }
        assert_eq!(DiagramId::builtin("Handshake"), None);
        assert!(!DiagramId::new("s3-flow").is_builtin());
    }

    #[test]
    fn every_focus_names_an_existing_box() {
        for d in all() {
            assert!(d.steps.len() >= 5, "{} has too few steps", d.id.name());
            for step in &d.steps {
                let ok = match step.focus {
                    Focus::Node(n) => n < d.nodes.len(),
                    Focus::Hop { from, to } => {
                        from < d.nodes.len() && to < d.nodes.len() && from != to
                    }
                };
                assert!(
                    ok,
                    "{}: step {:?} points outside the diagram",
                    d.id.name(),
                    step.label
                );
            }
        }
    }

    #[test]
    fn text_is_short_enough_for_a_small_terminal() {
        // The step text is shown in a panel under the diagram at 80x24: keep
        // it to a handful of wrapped lines.
        for d in all() {
            for node in &d.nodes {
                assert!(
                    node.label.chars().count() <= MAX_LABEL,
                    "box label too long: {}",
                    node.label
                );
                assert!(
                    node.detail.chars().count() <= MAX_DETAIL,
                    "detail too long: {}",
                    node.detail
                );
            }
            for step in &d.steps {
                let words = step.text.split_whitespace().count();
                assert!(words <= 60, "{:?} has {words} words", step.label);
                assert!(
                    !step.text.contains("  "),
                    "{:?} has a double space",
                    step.label
                );
            }
        }
    }

    #[test]
    fn handshake_teaches_both_halves_and_the_s3_details() {
        let text: String = all()[0]
            .steps
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        for needle in [
            "kms:ViaService",
            "aws:s3:arn",
            "BOTH halves",
            "bucket policy",
            "both accounts",
            "A Lambda role in account B calls s3:GetObject",
            "arn:aws:iam::444455556666:root",
        ] {
            assert!(
                text.contains(needle),
                "handshake steps do not mention {needle}"
            );
        }
    }

    #[test]
    fn every_reply_names_an_existing_box_and_only_the_handshake_has_a_note() {
        for d in all() {
            assert!(d.steps.len() >= 5, "{:?} has too few steps", d.id);
            for step in &d.steps {
                assert!(step.reply.is_none_or(|r| r < d.nodes.len()));
            }
        }
        let d = all();
        assert!(d[0].note.contains("teaching order"));
        assert!(d[1].note.is_empty());
    }

    #[test]
    fn the_handshake_shows_the_packs_names() {
        let names = DiagramNames {
            key_account: "Data".to_string(),
            caller_account: "Ops".to_string(),
            caller_account_id: "210987654321".to_string(),
            role: "report-builder".to_string(),
            action: "s3:PutObject".to_string(),
        };
        let d = &builtins(&names)[0];
        let labels: Vec<&str> = d.nodes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "report-builder",
                "Ops's IAM policy",
                "Amazon S3",
                "Data's key policy",
                "AWS KMS"
            ]
        );
        let text: String = d.steps.iter().map(|s| s.text.as_str()).collect();
        assert!(text.starts_with("The role report-builder in account Ops calls s3:PutObject"));
        assert!(text.contains("arn:aws:iam::210987654321:root"));
        for default in ["account A", "account B", "444455556666", "s3:GetObject"] {
            assert!(!text.contains(default), "{default} is still shown");
        }
    }

    #[test]
    fn envelope_covers_the_4kb_limit_and_the_way_back() {
        let d = &all()[1];
        let text: String = d
            .steps
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains("4,096 bytes"));
        assert!(text.contains("GenerateDataKey"));
        assert!(d.steps.iter().any(|s| s.label.starts_with("Decrypt")));
    }
}
