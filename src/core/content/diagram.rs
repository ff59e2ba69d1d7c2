//! The teaching text of the step-through diagrams.
//!
//! The TUI draws the boxes and arrows; this module says what the boxes are
//! and, for each press of →, which box or hop lights up and what is checked
//! or happens there. Facts follow AWS's KMS, IAM and S3 documentation
//! (the rules the engine applies are in docs/evaluation.md).

/// The diagrams a lesson can embed with `@diagram NAME`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DiagramId {
    /// The cross-account permission flow (`@diagram handshake`).
    Handshake,
    /// Envelope encryption (`@diagram envelope`).
    Envelope,
}

impl DiagramId {
    /// Every diagram, in the order they are taught.
    pub const ALL: [DiagramId; 2] = [DiagramId::Handshake, DiagramId::Envelope];

    /// The name used after `@diagram`.
    pub fn name(self) -> &'static str {
        match self {
            DiagramId::Handshake => "handshake",
            DiagramId::Envelope => "envelope",
        }
    }

    /// The diagram called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        DiagramId::ALL.into_iter().find(|d| d.name() == name)
    }

    /// The diagram's boxes and steps.
    pub fn diagram(self) -> &'static Diagram {
        match self {
            DiagramId::Handshake => &HANDSHAKE,
            DiagramId::Envelope => &ENVELOPE,
        }
    }
}

/// A diagram: its boxes and the steps that walk through them.
#[derive(Debug, PartialEq, Eq)]
pub struct Diagram {
    /// Which diagram this is.
    pub id: DiagramId,
    /// A title for the frame around it.
    pub title: &'static str,
    /// A line under the title about how to read it (possibly empty).
    pub note: &'static str,
    /// The boxes, in drawing order.
    pub nodes: &'static [Node],
    /// The steps, in the order → visits them.
    pub steps: &'static [Step],
}

/// One box of a diagram.
#[derive(Debug, PartialEq, Eq)]
pub struct Node {
    /// The text in the box (short: it must fit a box at 80 columns).
    pub label: &'static str,
    /// A second line under the label (where it lives), possibly empty.
    pub detail: &'static str,
}

/// What a step highlights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// One box (index into [`Diagram::nodes`]).
    Node(usize),
    /// The arrow from one box to another (indexes into [`Diagram::nodes`]).
    /// A hop from a later box to an earlier one runs against the drawing
    /// order: the arrows between them are drawn pointing back.
    Hop {
        /// The box the arrow leaves.
        from: usize,
        /// The box the arrow reaches.
        to: usize,
    },
}

/// One press of →: what lights up and what it means.
#[derive(Debug, PartialEq, Eq)]
pub struct Step {
    /// A short name for the step, shown as its heading.
    pub label: &'static str,
    /// The box or arrow to highlight.
    pub focus: Focus,
    /// A box the step's result goes back to (a reply), lit as well.
    pub reply: Option<usize>,
    /// One or two sentences: what is checked or what happens here.
    pub text: &'static str,
}

/// principal in B → B's IAM policy → Amazon S3 (A's bucket policy) → A's
/// key policy → KMS, then S3 returns the object. Sources: IAM User
/// Guide, "Cross-account policy evaluation logic"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>);
/// KMS Developer Guide, "Allowing users in other accounts to use a KMS key"
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html>).
static HANDSHAKE: Diagram = Diagram {
    id: DiagramId::Handshake,
    title: "Cross-account decrypt: both halves of the handshake",
    note: "Boxes in teaching order: AWS evaluates both accounts' policies for each check, in no order; an explicit Deny anywhere wins.",
    nodes: &[
        Node {
            label: "Lambda role",
            detail: "account B",
        },
        Node {
            label: "B's IAM policy",
            detail: "account B",
        },
        Node {
            label: "Amazon S3",
            detail: "checks A's bucket policy",
        },
        Node {
            label: "A's key policy",
            detail: "KMS checks it",
        },
        Node {
            label: "AWS KMS",
            detail: "key in account A",
        },
    ],
    steps: &[
        Step {
            label: "The request",
            focus: Focus::Node(0),
            reply: None,
            text: "A Lambda role in account B calls s3:GetObject on an object in account A's bucket. \
                   The object is encrypted with SSE-KMS under a customer managed key in account A, \
                   so reading it also needs kms:Decrypt on that key.",
        },
        Step {
            label: "B's half: the IAM policy",
            focus: Focus::Hop { from: 0, to: 1 },
            reply: None,
            text: "Account B must allow its own role: the role's IAM policy must allow s3:GetObject on \
                   the object and kms:Decrypt on the key's full ARN in account A. \
                   A policy in account A that trusts account B gives the role nothing until B delegates it here.",
        },
        Step {
            label: "S3 checks A's bucket policy",
            focus: Focus::Hop { from: 1, to: 2 },
            reply: None,
            text: "S3 decides s3:GetObject first, before it asks KMS for anything: A's bucket policy \
                   must allow the role or account B, and the role's IAM policy must allow it too. \
                   Cross-account access needs BOTH halves to allow, and an explicit Deny anywhere wins.",
        },
        Step {
            label: "A's half: the key policy",
            focus: Focus::Hop { from: 2, to: 3 },
            reply: None,
            text: "S3, not the role, then calls kms:Decrypt on the role's behalf: kms:ViaService is \
                   s3.<region>.amazonaws.com and the encryption context aws:s3:arn names the object \
                   (the bucket, with S3 Bucket Keys). A's key policy must allow kms:Decrypt to account B \
                   (arn:aws:iam::444455556666:root) or to the role itself.",
        },
        Step {
            label: "KMS decrypts the data key",
            focus: Focus::Hop { from: 3, to: 4 },
            reply: None,
            text: "KMS allows the call only when A's key policy and B's IAM policy both allow it, and \
                   returns the plaintext data key to S3. CloudTrail records the call in both accounts.",
        },
        Step {
            label: "S3 returns the object",
            focus: Focus::Node(2),
            reply: Some(0),
            text: "With both checks passed, S3 decrypts the object with the data key and returns it to \
                   the role. Had either account's policy failed to allow, or denied, the read would fail.",
        },
    ],
};

/// plaintext → data key → ciphertext; data key → KMS key → encrypted data
/// key; stored together; and the way back. Source: KMS Developer Guide,
/// "Data keys" (<https://docs.aws.amazon.com/kms/latest/developerguide/data-keys.html>).
static ENVELOPE: Diagram = Diagram {
    id: DiagramId::Envelope,
    title: "Envelope encryption",
    note: "",
    nodes: &[
        Node {
            label: "Plaintext data",
            detail: "any size",
        },
        Node {
            label: "Data key",
            detail: "plaintext, in memory",
        },
        Node {
            label: "Ciphertext",
            detail: "your data, encrypted",
        },
        Node {
            label: "KMS key",
            detail: "never leaves KMS",
        },
        Node {
            label: "Encrypted data key",
            detail: "safe to store",
        },
        Node {
            label: "Stored together",
            detail: "ciphertext + encrypted key",
        },
    ],
    steps: &[
        Step {
            label: "Ask KMS for a data key",
            focus: Focus::Node(3),
            reply: Some(1),
            text: "Your code calls GenerateDataKey and names a KMS key. \
                   KMS returns one fresh data key twice: once in plaintext and once encrypted under \
                   the KMS key, which itself never leaves KMS unencrypted.",
        },
        Step {
            label: "Encrypt the data locally",
            focus: Focus::Hop { from: 0, to: 1 },
            reply: None,
            text: "Your code encrypts the data outside KMS with the plaintext data key (for example \
                   AES-GCM). This is how data of any size is protected: KMS Encrypt itself accepts at \
                   most 4,096 bytes.",
        },
        Step {
            label: "Ciphertext out, plaintext key gone",
            focus: Focus::Hop { from: 1, to: 2 },
            reply: None,
            text: "The result is the ciphertext of your data. \
                   Erase the plaintext data key from memory as soon as you are done with it.",
        },
        Step {
            label: "The data key is wrapped by the KMS key",
            focus: Focus::Hop { from: 3, to: 4 },
            reply: None,
            text: "The encrypted copy of the data key is the one you keep. \
                   Only KMS, using the KMS key, can turn it back into the plaintext data key.",
        },
        Step {
            label: "Store them together",
            focus: Focus::Hop { from: 4, to: 5 },
            reply: None,
            text: "Store the encrypted data key next to the ciphertext, for example in the file's \
                   header or the object's metadata. KMS keeps no copy of data keys, so losing the \
                   encrypted data key loses the data.",
        },
        Step {
            label: "Decrypt: unwrap the data key",
            focus: Focus::Hop { from: 4, to: 3 },
            reply: Some(1),
            text: "To read the data, send the encrypted data key to KMS Decrypt. \
                   KMS checks that the caller is allowed kms:Decrypt on the KMS key and sends the \
                   plaintext data key back.",
        },
        Step {
            label: "Decrypt the data locally",
            focus: Focus::Hop { from: 2, to: 0 },
            reply: None,
            text: "Your code decrypts the ciphertext with the plaintext data key, then erases the key \
                   again. The data itself never went to KMS.",
        },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for id in DiagramId::ALL {
            assert_eq!(DiagramId::from_name(id.name()), Some(id));
            assert_eq!(id.diagram().id, id);
        }
        assert_eq!(DiagramId::from_name("Handshake"), None);
    }

    #[test]
    fn every_focus_names_an_existing_box() {
        for id in DiagramId::ALL {
            let d = id.diagram();
            assert!(d.steps.len() >= 5, "{} has too few steps", id.name());
            for step in d.steps {
                assert!(step.reply.is_none_or(|r| r < d.nodes.len()));
                let ok = match step.focus {
                    Focus::Node(n) => n < d.nodes.len(),
                    Focus::Hop { from, to } => {
                        from < d.nodes.len() && to < d.nodes.len() && from != to
                    }
                };
                assert!(
                    ok,
                    "{}: step {:?} points outside the diagram",
                    id.name(),
                    step.label
                );
            }
        }
    }

    #[test]
    fn text_is_short_enough_for_a_small_terminal() {
        // The step text is shown in a panel under the diagram at 80x24: keep
        // it to a handful of wrapped lines.
        for id in DiagramId::ALL {
            let d = id.diagram();
            for node in d.nodes {
                assert!(
                    node.label.chars().count() <= 18,
                    "box label too long: {}",
                    node.label
                );
                assert!(
                    node.detail.chars().count() <= 26,
                    "detail too long: {}",
                    node.detail
                );
            }
            for step in d.steps {
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
        let text: String = DiagramId::Handshake
            .diagram()
            .steps
            .iter()
            .map(|s| s.text)
            .collect::<Vec<_>>()
            .join(" ");
        for needle in [
            "kms:ViaService",
            "aws:s3:arn",
            "BOTH halves",
            "bucket policy",
            "both accounts",
        ] {
            assert!(
                text.contains(needle),
                "handshake steps do not mention {needle}"
            );
        }
    }

    #[test]
    fn envelope_covers_the_4kb_limit_and_the_way_back() {
        let steps = DiagramId::Envelope.diagram().steps;
        let text: String = steps.iter().map(|s| s.text).collect::<Vec<_>>().join(" ");
        assert!(text.contains("4,096 bytes"));
        assert!(text.contains("GenerateDataKey"));
        assert!(steps.iter().any(|s| s.label.starts_with("Decrypt")));
    }
}
