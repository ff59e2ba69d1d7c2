//! Reading the learner's lines: answers, exam commands and deny reasons.

use std::io::Write;

use super::{Io, Plain, capitalise};
use crate::core::content::QuestionKind;
use crate::core::quiz::labels::{DENY_REASONS, letter, reason_label};
use crate::core::quiz::{Item, Response};
use crate::core::world::{Reason, Verdict};

/// A line read, or the end of the input.
pub(super) enum Line {
    Text(String),
    End,
}

impl Plain<'_> {
    /// Reads until a valid answer, a command or the end.
    pub(super) fn read_response(&mut self, item: &Item, exam: bool) -> Io<Input> {
        let q = &item.question;
        let n = item.order.len();
        loop {
            let prompt = match q.kind {
                QuestionKind::Policy => "Answer (allow or deny): ".to_string(),
                _ => format!(
                    "Answer ({}-{} or 1-{n}): ",
                    letter(0),
                    letter(n.saturating_sub(1))
                ),
            };
            let line = match self.read(&prompt)? {
                Line::End => return Ok(Input::Stop),
                Line::Text(t) => t,
            };
            let t = line.trim().to_ascii_lowercase();
            if t == "q" || t == "quit" {
                return Ok(Input::Stop);
            }
            if t.is_empty() {
                continue;
            }
            if exam && let Some(c) = parse_command(&t) {
                return Ok(Input::Command(c));
            }
            if q.kind == QuestionKind::Policy {
                if t == "v" || t == "view" {
                    self.show_scenario(item)?;
                    continue;
                }
                match self.read_policy(item, &t)? {
                    Some(input) => return Ok(input),
                    None => continue,
                }
            }
            match parse_choices(&t, n) {
                Some(shown) => {
                    let r = Response::Choices(shown);
                    match item.validate(&r) {
                        Ok(()) => return Ok(Input::Response(r)),
                        Err(e) => writeln!(self.out, "{}.", capitalise(&e.to_string()))?,
                    }
                }
                None => {
                    let more = if q.kind == QuestionKind::Multiple {
                        format!(", {} of them (a,c or 1 3)", q.pick)
                    } else {
                        String::new()
                    };
                    writeln!(
                        self.out,
                        "Please answer with a letter {}-{} or a number 1-{n}{more}; q stops.",
                        letter(0),
                        letter(n.saturating_sub(1))
                    )?;
                }
            }
        }
    }

    /// Parses a policy answer, asking for the reason when needed. `None`:
    /// not understood (a message was printed; ask again).
    pub(super) fn read_policy(&mut self, item: &Item, first: &str) -> Io<Option<Input>> {
        let mut words = first.split_whitespace();
        let verdict = match words.next() {
            Some("allow" | "a" | "allowed") => Verdict::Allow,
            Some("deny" | "d" | "denied") => Verdict::Deny,
            _ => {
                writeln!(self.out, "Please answer allow or deny; q stops.")?;
                return Ok(None);
            }
        };
        let rest: Vec<&str> = words.collect();
        if verdict == Verdict::Allow || !item.asks_reason() {
            return Ok(Some(Input::Response(Response::Policy {
                verdict,
                reason: None,
            })));
        }
        let mut reason_text = rest.join(" ");
        loop {
            if reason_text.is_empty() {
                writeln!(self.out, "Why is it denied?")?;
                for (i, r) in DENY_REASONS.iter().enumerate() {
                    writeln!(self.out, "  {}) {}", i + 1, reason_label(*r))?;
                }
                reason_text = match self.read(&format!("Reason (1-{}): ", DENY_REASONS.len()))? {
                    Line::End => return Ok(Some(Input::Stop)),
                    Line::Text(t) => t.trim().to_ascii_lowercase(),
                };
                if reason_text == "q" {
                    return Ok(Some(Input::Stop));
                }
            }
            if let Some(reason) = parse_reason(&reason_text) {
                return Ok(Some(Input::Response(Response::Policy {
                    verdict,
                    reason: Some(reason),
                })));
            }
            writeln!(
                self.out,
                "Please give the reason's number 1-{} (or its name, such as implicit_deny).",
                DENY_REASONS.len()
            )?;
            reason_text.clear();
        }
    }

    /// Prints the scenario's world (never its file: see
    /// [`crate::core::quiz::scenario_view`]).
    pub(super) fn show_scenario(&mut self, item: &Item) -> Io<()> {
        match crate::core::quiz::scenario_view::question_view(self.pack, &item.question) {
            Ok(lines) => {
                writeln!(self.out, "--- scenario ---")?;
                for l in lines {
                    writeln!(self.out, "{l}")?;
                }
                writeln!(self.out, "--- end of scenario ---")
            }
            Err(e) => writeln!(self.out, "{}.", capitalized(&e.to_string())),
        }
    }

    /// Prompts and reads one line. A line that is not valid UTF-8 is a
    /// bad answer: the learner is told and asked again (it never ends the
    /// quiz, so an exam's answers are not lost to a stray byte).
    pub(super) fn read(&mut self, prompt: &str) -> Io<Line> {
        loop {
            write!(self.out, "{prompt}")?;
            self.out.flush()?;
            let mut bytes = Vec::new();
            if self.input.read_until(b'\n', &mut bytes)? == 0 {
                writeln!(self.out)?;
                return Ok(Line::End);
            }
            let Ok(line) = String::from_utf8(bytes) else {
                if !self.options.echo {
                    self.out.at_line_start();
                }
                writeln!(
                    self.out,
                    "\nThat line is not readable text (not UTF-8); please type your answer again."
                )?;
                continue;
            };
            if self.options.echo {
                writeln!(self.out, "{}", line.trim_end())?;
            } else {
                // The terminal echoed the line and its Enter.
                self.out.at_line_start();
            }
            return Ok(Line::Text(line));
        }
    }
}

/// What a line of input asked for.
pub(super) enum Input {
    Response(Response),
    Command(Command),
    Stop,
}

/// An exam navigation command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Command {
    Next,
    Prev,
    Go(usize),
    Flag,
    Grid,
    Submit,
}

fn parse_command(t: &str) -> Option<Command> {
    match t {
        "n" | "next" => Some(Command::Next),
        "p" | "prev" | "previous" => Some(Command::Prev),
        "f" | "flag" => Some(Command::Flag),
        "r" | "review" | "grid" => Some(Command::Grid),
        "s" | "submit" => Some(Command::Submit),
        _ => {
            let rest = t.strip_prefix("g ").or_else(|| t.strip_prefix("go "))?;
            rest.trim().parse().ok().map(Command::Go)
        }
    }
}

/// `a`, `b,d`, `a c`, `ac`, `1`, `2 4`, `1,3` → 0-based shown positions.
/// `None` if anything is not a choice of `n`.
pub fn parse_choices(text: &str, n: usize) -> Option<Vec<usize>> {
    let mut picked = Vec::new();
    for token in text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        if let Ok(num) = token.parse::<usize>() {
            if num == 0 || num > n {
                return None;
            }
            picked.push(num - 1);
        } else if token.chars().all(|c| c.is_ascii_lowercase()) {
            for c in token.chars() {
                let i = usize::from(u8::try_from(c).ok()? - b'a');
                if i >= n {
                    return None;
                }
                picked.push(i);
            }
        } else {
            return None;
        }
    }
    (!picked.is_empty()).then_some(picked)
}

/// A reason by its number in [`DENY_REASONS`] (1-based), its code
/// (`implicit_deny`) or its first word (`implicit`).
pub fn parse_reason(text: &str) -> Option<Reason> {
    let t = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    if let Ok(n) = t.parse::<usize>() {
        return n.checked_sub(1).and_then(|i| DENY_REASONS.get(i)).copied();
    }
    DENY_REASONS
        .iter()
        .find(|r| r.code() == t || r.code().split('_').next() == Some(t.as_str()))
        .copied()
}

/// `text` with its first letter in upper case.
fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn choices_in_letters_numbers_and_lists() {
        assert_eq!(parse_choices("a", 4), Some(vec![0]));
        assert_eq!(parse_choices("3", 4), Some(vec![2]));
        assert_eq!(parse_choices("a,c", 4), Some(vec![0, 2]));
        assert_eq!(parse_choices("1 3", 4), Some(vec![0, 2]));
        assert_eq!(parse_choices("bd", 4), Some(vec![1, 3]));
        assert_eq!(parse_choices("e", 4), None);
        assert_eq!(parse_choices("0", 4), None);
        assert_eq!(parse_choices("5", 4), None);
        assert_eq!(parse_choices("a?", 4), None);
        assert_eq!(parse_choices(" , ", 4), None);
    }

    #[test]
    pub(super) fn reasons_by_number_code_or_first_word() {
        assert_eq!(parse_reason("2"), Some(Reason::ImplicitDeny));
        assert_eq!(parse_reason("implicit_deny"), Some(Reason::ImplicitDeny));
        assert_eq!(
            parse_reason("not cross account"),
            Some(Reason::NotCrossAccount)
        );
        assert_eq!(parse_reason("explicit"), Some(Reason::ExplicitDeny));
        assert_eq!(parse_reason("6"), None);
        assert_eq!(parse_reason("allowed"), None);
    }
}
