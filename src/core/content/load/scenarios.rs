//! Scenario files of a pack (and the scenario part of lab files): their
//! text is checked for control characters, policy questions' references to
//! them are resolved, and the engine answers every policy question.

use std::collections::HashMap;

use super::{Loader, SourceFile};
use crate::core::content::{Pack, PolicyAnswer, ScenarioFile, valid_id};
use crate::core::diag::{Diagnostic, Severity};
use crate::core::world::Verdict;
use crate::core::world::sink::DiagSink;

/// Escapes (`\u001b`, `\U0000009b`, `\x1b`, `\e`) that decode to a
/// terminal control character, as (byte offset, character). TOML basic
/// strings and the JSON policies inside a scenario both use them; a `\\`
/// pair is a plain backslash and is skipped.
pub(super) fn control_escapes(text: &str) -> Vec<(usize, char)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) != Some(&b'\\') {
            i += 1;
            continue;
        }
        let digits = match bytes.get(i + 1) {
            Some(b'\\') => {
                i += 2;
                continue;
            }
            Some(b'u') => 4,
            Some(b'U') => 8,
            Some(b'x') => 2,
            Some(b'e') => {
                found.push((i, '\u{1b}'));
                i += 2;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        let decoded = text
            .get(i + 2..i + 2 + digits)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        if let Some(c) = decoded
            && crate::core::content::safe::is_unsafe(c)
            && c != '\n'
            && c != '\t'
        {
            found.push((i, c));
        }
        i += 2;
    }
    found
}

/// Reports control characters written as escapes in the scenario part of
/// a scenario or lab file. Unlike teaching text (shown with the control
/// replaced), scenario data is evaluated and echoed in explanations, so it
/// must be printable. Lines of a `[lab]` table are skipped: its texts are
/// neutralised like every other text.
pub(super) fn check_scenario_text(file: &SourceFile, out: &mut Vec<Diagnostic>) {
    let cx = DiagSink::new(&file.display, &file.text);
    let mut in_lab = false;
    let mut skip = Vec::new();
    let mut offset = 0;
    for line in file.text.split_inclusive('\n') {
        if line.starts_with('[') {
            in_lab = line.starts_with("[lab]") || line.starts_with("[lab.");
        }
        if in_lab {
            skip.push(offset..offset + line.len());
        }
        offset += line.len();
    }
    for (at, c) in control_escapes(&file.text) {
        if skip.iter().any(|r| r.contains(&at)) {
            continue;
        }
        out.push(
            cx.diag_error(
                at,
                format!(
                    "U+{:04X} is a terminal control character; scenario data (ARNs, names, policies) must be printable text",
                    c as u32
                ),
            )
            .with_hint("remove the escape: a pack must not be able to control the learner's terminal"),
        );
    }
}

/// Evaluates the scenario of every policy question with the policy engine:
/// the scenario must hold exactly one request with `expect` and
/// `expect_reason`, and the engine must agree with them. The engine's
/// answer is stored in [`Question::policy`].
pub(super) fn check_policy_questions(
    pack: &mut Pack,
    explanation_at: &HashMap<String, (String, usize, usize)>,
    out: &mut Vec<Diagnostic>,
) {
    let mut worlds: HashMap<String, Option<crate::core::world::World>> = HashMap::new();
    for q in &mut pack.questions {
        let Some(name) = q.scenario.clone() else {
            continue;
        };
        let Some(file) = pack.scenarios.get(&name) else {
            continue; // reported as "scenario not found"
        };
        let world =
            worlds.entry(name.clone()).or_insert_with(|| {
                match crate::core::world::load_str(&file.path, &file.text) {
                    Ok(w) => Some(w),
                    Err(diags) => {
                        out.extend(diags);
                        None
                    }
                }
            });
        let Some(world) = world else { continue };
        let [request] = world.requests.as_slice() else {
            out.push(Diagnostic::file_error(
                &file.path,
                format!(
                    "the scenario of policy question {:?} must hold exactly one [[requests]] entry, found {}",
                    q.id,
                    world.requests.len()
                ),
            ));
            continue;
        };
        let at = |message: String| Diagnostic {
            path: file.path.clone(),
            line: request.line,
            column: 1,
            severity: Severity::Error,
            message,
            hint: None,
        };
        let (Some(expect), Some(expect_reason)) = (request.expect, request.expect_reason) else {
            out.push(at(format!(
                "the request of policy question {:?} needs both `expect` and `expect_reason`",
                q.id
            )));
            continue;
        };
        let outcome = crate::core::eval::evaluate(world, request);
        if outcome.verdict != expect || outcome.reason != expect_reason {
            out.push(at(format!(
                "the policy engine decides {} ({}) but the scenario expects {} ({}): {}",
                outcome.verdict.code(),
                outcome.reason.code(),
                expect.code(),
                expect_reason.code(),
                outcome.explain(world, &request.caller)
            )));
            continue;
        }
        if let Some(d) = explanation_disagrees(q, &outcome, explanation_at) {
            out.push(d);
        }
        q.policy = Some(PolicyAnswer {
            verdict: outcome.verdict,
            reason: outcome.reason,
            explanation: outcome.explain(world, &request.caller),
        });
    }
}

/// The verdict (and reason code, if it follows: `DENY, implicit_deny.`)
/// an explanation states: its opening word, or else the one ALLOW or DENY
/// written in capitals in its first sentence.
pub(super) fn stated_verdict(text: &str) -> Option<(Verdict, Option<String>)> {
    let word = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
        match w.to_lowercase().as_str() {
            "allow" | "allowed" | "allows" => Some(Verdict::Allow),
            "deny" | "denied" | "denies" => Some(Verdict::Deny),
            _ => None,
        }
    };
    let mut words = text.split_whitespace();
    if let Some(v) = words.next().and_then(word) {
        let reason = words
            .next()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_'))
            .filter(|w| w.contains('_') && w.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .map(str::to_string);
        return Some((v, reason));
    }
    let first = text.split(['.', '\n']).next().unwrap_or("");
    let mut found: Vec<Verdict> = first
        .split_whitespace()
        .filter(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            bare.len() > 1 && bare.chars().all(|c| c.is_ascii_uppercase())
        })
        .filter_map(word)
        .collect();
    found.dedup();
    match found.as_slice() {
        [v] => Some((*v, None)),
        _ => None,
    }
}

/// An error when a policy question's explanation states another verdict
/// (or reason code) than the engine decides: the learner reads it right
/// after answering.
fn explanation_disagrees(
    q: &crate::core::content::Question,
    outcome: &crate::core::eval::Outcome,
    explanation_at: &HashMap<String, (String, usize, usize)>,
) -> Option<Diagnostic> {
    let (stated, reason) = stated_verdict(&q.explanation)?;
    let engine = format!(
        "{}, {}",
        outcome.verdict.code().to_uppercase(),
        outcome.reason.code()
    );
    let message = if stated != outcome.verdict {
        format!(
            "the explanation of policy question {:?} says {} but the policy engine decides {engine}",
            q.id,
            stated.code().to_uppercase()
        )
    } else if let Some(r) = reason.filter(|r| r != outcome.reason.code()) {
        format!(
            "the explanation of policy question {:?} gives the reason {r} but the policy engine decides {engine}",
            q.id
        )
    } else {
        return None;
    };
    let (path, line, column) = explanation_at
        .get(&q.id)
        .cloned()
        .unwrap_or_else(|| (q.path.clone(), q.line, 1));
    Some(
        Diagnostic {
            path,
            line,
            column,
            severity: Severity::Error,
            message,
            hint: None,
        }
        .with_hint(if outcome.verdict == Verdict::Allow {
            "open the explanation with the engine's verdict: ALLOW.".to_string()
        } else {
            format!("open the explanation with the engine's verdict: {engine}.")
        }),
    )
}

impl Loader<'_> {
    /// Scenario files no policy question names (a whiteboard, a sandbox
    /// file shipped with the pack) get `keyshake eval`'s rules: the file
    /// loads, and every request with `expect` gets what it expects.
    pub(super) fn check_unused_scenarios(&mut self) {
        let used: std::collections::HashSet<&str> = self
            .pending_scenarios
            .iter()
            .map(|(_, s)| s.get_ref().as_str())
            .collect();
        for (name, file) in &self.pack.scenarios {
            if used.contains(name.as_str()) {
                continue;
            }
            let world = match crate::core::world::load_str(&file.path, &file.text) {
                Ok(w) => w,
                Err(diags) => {
                    self.out.extend(diags);
                    continue;
                }
            };
            for request in &world.requests {
                let Some(expect) = request.expect else {
                    continue;
                };
                let outcome = crate::core::eval::evaluate(&world, request);
                let reason_ok = request.expect_reason.is_none_or(|r| r == outcome.reason);
                if outcome.verdict == expect && reason_ok {
                    continue;
                }
                let expected = match request.expect_reason {
                    Some(r) => format!("{} ({})", expect.code(), r.code()),
                    None => expect.code().to_string(),
                };
                self.out.push(Diagnostic {
                    path: file.path.clone(),
                    line: request.line,
                    column: 1,
                    severity: Severity::Error,
                    message: format!(
                        "{}the policy engine decides {} ({}) but the file expects {expected}: {}",
                        request
                            .name
                            .as_ref()
                            .map_or_else(String::new, |n| format!("request {n:?}: ")),
                        outcome.verdict.code(),
                        outcome.reason.code(),
                        outcome.explain(&world, &request.caller)
                    ),
                    hint: None,
                });
            }
        }
    }

    /// Every policy question's `scenario` names a file of scenarios/ (a
    /// plain name: a pack cannot reach outside its folder).
    pub(super) fn check_scenario_refs(&mut self) {
        for (i, name) in &self.pending_scenarios {
            let Some(f) = self.files.get(*i) else {
                continue;
            };
            let cx = DiagSink::new(&f.display, &f.text);
            let at = name.span().start;
            if !valid_id(name.get_ref()) {
                self.out.push(
                    cx.diag_error(
                        at,
                        format!(
                            "scenario {:?} is not a scenario name; a pack cannot name files outside its scenarios/ folder",
                            name.get_ref()
                        ),
                    )
                    .with_hint(
                        "write the file's name without folder or extension: scenario = \"my-scenario\" for scenarios/my-scenario.toml",
                    ),
                );
            } else if !self.pack.scenarios.contains_key(name.get_ref()) {
                self.out.push(
                    cx.diag_error(at, format!("scenario {:?} not found", name.get_ref()))
                        .with_hint(format!(
                            "policy questions name a file scenarios/{}.toml",
                            name.get_ref()
                        )),
                );
            }
        }
    }

    /// Records a file of scenarios/ under its stem (a second file with the
    /// same stem is reported).
    pub(super) fn add_scenario(&mut self, f: &SourceFile, stem: &str) {
        check_scenario_text(f, &mut self.out);
        if let Some(first) = self.pack.scenarios.get(stem) {
            self.out.push(Diagnostic::file_error(
                &f.display,
                format!(
                    "duplicate scenario name {stem:?} (first defined at {})",
                    first.path
                ),
            ));
            return;
        }
        self.pack.scenarios.insert(
            stem.to_string(),
            ScenarioFile {
                path: f.display.clone(),
                text: f.text.clone(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::stated_verdict;
    use crate::core::world::Verdict;

    #[test]
    fn the_verdict_an_explanation_states_is_its_opening_word_or_a_capital_one() {
        let v = |t: &str| stated_verdict(t).map(|(v, r)| (v, r.unwrap_or_default()));
        assert_eq!(
            v("ALLOW. Both halves agree."),
            Some((Verdict::Allow, String::new()))
        );
        assert_eq!(
            v("DENY, implicit_deny. The key policy is silent."),
            Some((Verdict::Deny, "implicit_deny".to_string()))
        );
        assert_eq!(
            v("Denied: nothing allows it."),
            Some((Verdict::Deny, String::new()))
        );
        assert_eq!(
            v("**Allowed** by both."),
            Some((Verdict::Allow, String::new()))
        );
        assert_eq!(
            v("The answer is DENY because of the SCP."),
            Some((Verdict::Deny, String::new()))
        );
        // Lowercase words later on, or both verdicts, state nothing.
        assert_eq!(v("The key policy must allow the call."), None);
        assert_eq!(v("Not ALLOW but DENY here."), None);
    }
}
