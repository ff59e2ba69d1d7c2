//! `diagrams/NAME.toml`: a pack's own step-through diagrams (boxes, arrows
//! and steps), and `[names]` in `pack.toml`, the names the built-in
//! handshake diagram shows.

use serde::Deserialize;
use toml::Spanned;

use super::{Loader, Seen, did_you_mean, parse_file};
use crate::core::content::diagram::{
    Diagram, DiagramId, DiagramNames, Focus, MAX_DETAIL, MAX_LABEL, Node, Step,
};
use crate::core::content::valid_id;
use crate::core::diag::{Diagnostic, Severity};
use crate::core::world::sink::DiagSink;

/// Step texts longer than this many words crowd an 80x24 terminal.
const MAX_STEP_WORDS: usize = 60;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDiagram {
    title: Spanned<String>,
    #[serde(default)]
    boxes: Vec<RawBox>,
    #[serde(default)]
    arrows: Vec<RawArrow>,
    #[serde(default)]
    steps: Vec<RawStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBox {
    id: Spanned<String>,
    label: Spanned<String>,
    #[serde(default)]
    detail: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArrow {
    from: Spanned<String>,
    to: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    label: Spanned<String>,
    #[serde(rename = "box")]
    at: Option<Spanned<String>>,
    from: Option<Spanned<String>>,
    to: Option<Spanned<String>>,
    text: Spanned<String>,
}

/// `[names]` in `pack.toml`, as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNames {
    key_account: Option<Spanned<String>>,
    caller_account: Option<Spanned<String>>,
    caller_account_id: Option<Spanned<String>>,
    role: Option<Spanned<String>>,
    action: Option<Spanned<String>>,
}

/// The names a pack gives the handshake diagram, checked so they fit its
/// boxes; a problem is reported and the default kept.
pub(super) fn names(
    cx: &DiagSink<'_>,
    raw: Option<RawNames>,
    out: &mut Vec<Diagnostic>,
) -> DiagramNames {
    let mut names = DiagramNames::default();
    let Some(raw) = raw else { return names };
    // "NAME's IAM policy" must fit a box label.
    let short = MAX_LABEL - "'s IAM policy".len();
    let mut take = |field: Option<Spanned<String>>,
                    slot: &mut String,
                    ok: &dyn Fn(&str) -> Result<(), String>| {
        if let Some(v) = field {
            match ok(v.get_ref()) {
                Ok(()) => slot.clone_from(v.get_ref()),
                Err(why) => out.push(cx.diag_error(v.span().start, why)),
            }
        }
    };
    let account = |s: &str| -> Result<(), String> {
        let n = s.chars().count();
        if n == 0 || n > short || s.chars().any(char::is_control) {
            Err(format!(
                "an account's short name has 1 to {short} characters (it is shown as \"{s}'s IAM policy\" in a box)"
            ))
        } else {
            Ok(())
        }
    };
    take(raw.key_account, &mut names.key_account, &account);
    take(raw.caller_account, &mut names.caller_account, &account);
    take(
        raw.caller_account_id,
        &mut names.caller_account_id,
        &|s: &str| {
            if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
                Ok(())
            } else {
                Err(format!(
                    "caller_account_id must be a 12-digit AWS account id, not {s:?}"
                ))
            }
        },
    );
    take(raw.role, &mut names.role, &|s: &str| {
        let n = s.chars().count();
        if n == 0 || n > MAX_LABEL || s.chars().any(char::is_control) {
            Err(format!(
                "the role's name has 1 to {MAX_LABEL} characters (it is a box label)"
            ))
        } else {
            Ok(())
        }
    });
    take(raw.action, &mut names.action, &|s: &str| {
        let ok = s.split_once(':').is_some_and(|(svc, act)| {
            !svc.is_empty()
                && svc
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !act.is_empty()
                && act.bytes().all(|b| b.is_ascii_alphanumeric())
        });
        if ok {
            Ok(())
        } else {
            Err(format!(
                "action must be one action such as \"s3:GetObject\", not {s:?}"
            ))
        }
    });
    names
}

impl Loader<'_> {
    /// Every `diagrams/NAME.toml`: checked, then kept by name for
    /// `@diagram NAME` in lessons.
    pub(super) fn load_diagrams(&mut self) {
        let files = self.files;
        for i in self.kinds.diagrams.clone() {
            let Some(f) = files.get(i) else { continue };
            let cx = DiagSink::new(&f.display, &f.text);
            let name = f
                .rel
                .strip_prefix("diagrams/")
                .and_then(|n| n.strip_suffix(".toml"))
                .unwrap_or_default();
            if !valid_id(name) {
                self.out.push(Diagnostic::file_error(
                    &f.display,
                    format!("diagram file name {name:?} is not a valid id (lowercase letters, digits and '-')"),
                ));
                continue;
            }
            if DiagramId::builtin(name).is_some() {
                self.out.push(Diagnostic::file_error(
                    &f.display,
                    format!(
                        "{name:?} is a built-in diagram; give the pack's own diagram another name"
                    ),
                ));
                continue;
            }
            let Some(raw) = parse_file::<RawDiagram>(&cx, &mut self.out) else {
                // Still known, so lessons that use it are not reported too.
                self.diagram_names.push(name.to_string());
                continue;
            };
            self.diagram_names.push(name.to_string());
            if let Some(d) = diagram(&cx, name, raw, &mut self.out) {
                self.pack.diagrams.push(d);
            }
        }
    }
}

/// One diagram file checked and converted; `None` (reported) if it has
/// errors.
fn diagram(
    cx: &DiagSink<'_>,
    name: &str,
    raw: RawDiagram,
    out: &mut Vec<Diagnostic>,
) -> Option<Diagram> {
    let before = out.iter().filter(|d| d.severity == Severity::Error).count();
    let err = |out: &mut Vec<Diagnostic>, at: usize, m: String| out.push(cx.diag_error(at, m));
    if raw.title.get_ref().trim().is_empty() {
        err(
            out,
            raw.title.span().start,
            "the diagram's title is empty".to_string(),
        );
    }
    if raw.boxes.is_empty() {
        err(
            out,
            raw.title.span().start,
            "the diagram has no [[boxes]]".to_string(),
        );
    }
    if raw.steps.is_empty() {
        err(
            out,
            raw.title.span().start,
            "the diagram has no [[steps]]".to_string(),
        );
    }
    let mut seen = Seen::new();
    let mut nodes = Vec::new();
    for b in &raw.boxes {
        if !valid_id(b.id.get_ref()) {
            err(
                out,
                b.id.span().start,
                format!(
                    "box id {:?} is not a valid id (lowercase letters, digits and '-')",
                    b.id.get_ref()
                ),
            );
        }
        seen.add("box", &b.id, cx, out);
        let label = b.label.get_ref();
        let n = label.chars().count();
        if n == 0 || n > MAX_LABEL {
            err(
                out,
                b.label.span().start,
                format!("a box label has 1 to {MAX_LABEL} characters; this one has {n}"),
            );
        }
        let detail = b
            .detail
            .as_ref()
            .map(|d| d.get_ref().clone())
            .unwrap_or_default();
        if let Some(d) = &b.detail
            && d.get_ref().chars().count() > MAX_DETAIL
        {
            err(
                out,
                d.span().start,
                format!("a box's detail line has at most {MAX_DETAIL} characters"),
            );
        }
        nodes.push(Node {
            label: label.clone(),
            detail,
        });
    }
    let ids: Vec<&str> = raw.boxes.iter().map(|b| b.id.get_ref().as_str()).collect();
    let find = |out: &mut Vec<Diagnostic>, r: &Spanned<String>| -> Option<usize> {
        let at = ids.iter().position(|i| i == r.get_ref());
        if at.is_none() {
            let mut d = cx.diag_error(
                r.span().start,
                format!("no box {:?} in this diagram", r.get_ref()),
            );
            let hint = did_you_mean(r.get_ref(), ids.iter().copied(), "");
            if !hint.is_empty() {
                d = d.with_hint(hint);
            }
            out.push(d);
        }
        at
    };
    let mut arrows = Vec::new();
    for a in &raw.arrows {
        let (Some(from), Some(to)) = (find(out, &a.from), find(out, &a.to)) else {
            continue;
        };
        if from.abs_diff(to) != 1 {
            err(
                out,
                a.from.span().start,
                format!(
                    "an arrow joins two boxes listed next to each other; {:?} and {:?} are not",
                    a.from.get_ref(),
                    a.to.get_ref()
                ),
            );
        }
        arrows.push((from, to));
    }
    let mut steps = Vec::new();
    for s in &raw.steps {
        let at = s.label.span().start;
        let focus = match (&s.at, &s.from, &s.to) {
            (Some(b), None, None) => find(out, b).map(Focus::Node),
            (None, Some(f), Some(t)) => match (find(out, f), find(out, t)) {
                (Some(from), Some(to)) if from == to => {
                    err(
                        out,
                        f.span().start,
                        "a step's `from` and `to` are the same box".to_string(),
                    );
                    None
                }
                (Some(from), Some(to)) => Some(Focus::Hop { from, to }),
                _ => None,
            },
            _ => {
                err(
                    out,
                    at,
                    "a step lights either one `box` or the arrow `from` one box `to` another"
                        .to_string(),
                );
                None
            }
        };
        if s.label.get_ref().trim().is_empty() {
            err(out, at, "the step's label is empty".to_string());
        }
        let words = s.text.get_ref().split_whitespace().count();
        if words == 0 {
            err(
                out,
                s.text.span().start,
                "the step's text is empty".to_string(),
            );
        } else if words > MAX_STEP_WORDS {
            out.push(cx.diag(s.text.span().start, Severity::Warning, format!(
                "the step's text has {words} words; more than {MAX_STEP_WORDS} crowd a small terminal"
            )));
        }
        if let Some(focus) = focus {
            steps.push(Step {
                label: s.label.get_ref().clone(),
                focus,
                reply: None,
                text: s
                    .text
                    .get_ref()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            });
        }
    }
    let after = out.iter().filter(|d| d.severity == Severity::Error).count();
    (after == before).then(|| Diagram {
        id: DiagramId::new(name),
        title: raw.title.into_inner(),
        note: String::new(),
        nodes,
        arrows,
        steps,
    })
}
