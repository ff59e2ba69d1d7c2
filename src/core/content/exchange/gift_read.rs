//! Reading Moodle GIFT: multiple choice (one or several right answers, with
//! weights and per-answer feedback), true/false and missing-word items.
//! Other kinds (short answer, numerical, matching, essay, description) are
//! reported with their line and skipped, never dropped silently.

use super::ExKind;

/// One question read from a GIFT file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GiftItem {
    /// 1-based line where the question starts.
    pub line: usize,
    /// Its `::title::`, if it has one.
    pub title: Option<String>,
    /// The last `$CATEGORY:` before it.
    pub category: Option<String>,
    /// How it is answered.
    pub kind: ExKind,
    /// The question text (format marker removed; HTML turned into text).
    pub stem: String,
    /// The choices in file order (`True`, `False` for true/false).
    pub choices: Vec<String>,
    /// 0-based indexes of the right choices.
    pub answer: Vec<usize>,
    /// General feedback, then each choice's own feedback.
    pub feedback: String,
    /// Things that did not carry over exactly (partial credit).
    pub notes: Vec<String>,
}

/// An item that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// 1-based line where the item starts.
    pub line: usize,
    /// Why it was skipped.
    pub why: String,
}

/// Everything read from a GIFT file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GiftRead {
    /// The questions, in file order.
    pub items: Vec<GiftItem>,
    /// The items skipped, in file order.
    pub skipped: Vec<Skipped>,
}

/// A character of the item and whether a backslash escaped it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tok {
    c: char,
    escaped: bool,
}

const SPECIAL: [char; 7] = ['\\', '~', '=', '#', '{', '}', ':'];

fn tokens(text: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek().copied() {
                Some(n) if SPECIAL.contains(&n) => {
                    chars.next();
                    out.push(Tok {
                        c: n,
                        escaped: true,
                    });
                    continue;
                }
                Some('n') => {
                    chars.next();
                    out.push(Tok {
                        c: '\n',
                        escaped: true,
                    });
                    continue;
                }
                _ => {}
            }
            out.push(Tok { c, escaped: true });
            continue;
        }
        out.push(Tok { c, escaped: false });
    }
    out
}

fn text_of(toks: &[Tok]) -> String {
    toks.iter().map(|t| t.c).collect()
}

/// The first unescaped occurrence of `pat` at or after `from`.
fn find(toks: &[Tok], from: usize, pat: &str) -> Option<usize> {
    let pat: Vec<char> = pat.chars().collect();
    (from..toks.len()).find(|&i| {
        pat.iter()
            .enumerate()
            .all(|(k, p)| toks.get(i + k).is_some_and(|t| !t.escaped && t.c == *p))
    })
}

fn trim(toks: &[Tok]) -> &[Tok] {
    let start = toks
        .iter()
        .position(|t| !t.c.is_whitespace())
        .unwrap_or(toks.len());
    let end = toks
        .iter()
        .rposition(|t| !t.c.is_whitespace())
        .map_or(start, |e| e + 1);
    toks.get(start..end.max(start)).unwrap_or(&[])
}

/// Reads a GIFT file. Questions are separated by blank lines; `//` lines
/// are comments.
pub fn read_gift(text: &str) -> GiftRead {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut read = GiftRead::default();
    let mut category: Option<String> = None;
    let mut item: Vec<&str> = Vec::new();
    let mut start = 0;
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed.is_empty() {
            if !item.is_empty() {
                one_item(&mut read, &mut category, start, &item);
                item.clear();
            }
            continue;
        }
        if item.is_empty() {
            start = i + 1;
        }
        item.push(line);
    }
    if !item.is_empty() {
        one_item(&mut read, &mut category, start, &item);
    }
    read
}

fn one_item(read: &mut GiftRead, category: &mut Option<String>, line: usize, lines: &[&str]) {
    let mut lines = lines;
    let mut line = line;
    while let Some(first) = lines.first() {
        let Some(rest) = first.trim().strip_prefix("$CATEGORY:") else {
            break;
        };
        *category = Some(rest.trim().to_string());
        lines = lines.get(1..).unwrap_or(&[]);
        line += 1;
    }
    if lines.is_empty() {
        return;
    }
    let text = lines.join("\n");
    match parse_item(&text) {
        Ok(mut item) => {
            item.line = line;
            item.category.clone_from(category);
            read.items.push(item);
        }
        Err(why) => read.skipped.push(Skipped { line, why }),
    }
}

/// One answer of a choice block.
struct Answer {
    right_mark: bool,
    weight: Option<f64>,
    text: String,
    feedback: String,
}

fn parse_item(text: &str) -> Result<GiftItem, String> {
    let toks = tokens(text);
    let mut body = trim(&toks);
    let mut title = None;
    if find(body, 0, "::") == Some(0) {
        let end = find(body, 2, "::").ok_or("the title has no closing ::")?;
        title = Some(text_of(body.get(2..end).unwrap_or(&[])).trim().to_string());
        body = trim(body.get(end + 2..).unwrap_or(&[]));
    }
    let open = find(body, 0, "{").ok_or("no answer block { }: a description is not a question")?;
    let close = find(body, open + 1, "}").ok_or("the answer block { has no closing }")?;
    let before = text_of(body.get(..open).unwrap_or(&[]));
    let after = text_of(body.get(close + 1..).unwrap_or(&[]));
    let (format, before) = format_marker(before.trim());
    let (_, after) = format_marker(after.trim());
    let mut stem = if after.trim().is_empty() {
        before.trim().to_string()
    } else {
        format!("{} _____ {}", before.trim(), after.trim())
    };
    if format == "html" {
        stem = super::html::html_text(&stem);
    }
    if stem.trim().is_empty() {
        return Err("the question has no text".to_string());
    }
    let block = body.get(open + 1..close).unwrap_or(&[]);
    let (answers, general) = match find(block, 0, "####") {
        Some(at) => (
            block.get(..at).unwrap_or(&[]),
            format_marker(text_of(block.get(at + 4..).unwrap_or(&[])).trim())
                .1
                .replace(super::gift::ARROW_SPLIT, "->"),
        ),
        None => (block, String::new()),
    };
    let answers = trim(answers);
    let mut item = GiftItem {
        line: 0,
        title,
        category: None,
        kind: ExKind::Single,
        stem,
        choices: Vec::new(),
        answer: Vec::new(),
        feedback: general.clone(),
        notes: Vec::new(),
    };
    if let Some(value) = true_false(answers) {
        item.kind = ExKind::TrueFalse;
        item.choices = vec!["True".to_string(), "False".to_string()];
        item.answer = vec![usize::from(!value.0)];
        item.feedback = join_feedback(&general, &value.1);
        return Ok(item);
    }
    match answers.first().filter(|t| !t.escaped).map(|t| t.c) {
        None => return Err("an essay question (empty { }) is not supported".to_string()),
        Some('#') => return Err("a numerical question is not supported".to_string()),
        Some('=' | '~') => {}
        Some(_) => {
            return Err("text before the first answer: each answer starts with = or ~".to_string());
        }
    }
    let answers = split_answers(answers)?;
    if answers
        .iter()
        .any(|a| a.right_mark && a.text.contains("->"))
    {
        return Err("a matching question is not supported".to_string());
    }
    let answers: Vec<Answer> = answers
        .into_iter()
        .map(|a| Answer {
            text: a.text.replace(super::gift::ARROW_SPLIT, "->"),
            ..a
        })
        .collect();
    if answers.iter().all(|a| a.right_mark) {
        return Err("a short-answer question (only = answers) is not supported".to_string());
    }
    choices_into(&mut item, &answers, &general)?;
    Ok(item)
}

/// `{T}`, `{TRUE}`, `{F}`, `{FALSE}` (any case), with optional `#feedback`
/// parts: the value and the feedback texts.
fn true_false(answers: &[Tok]) -> Option<(bool, Vec<String>)> {
    let head_end = find(answers, 0, "#").unwrap_or(answers.len());
    let head = text_of(answers.get(..head_end).unwrap_or(&[]));
    let value = match head.trim().to_ascii_lowercase().as_str() {
        "t" | "true" => true,
        "f" | "false" => false,
        _ => return None,
    };
    let mut feedback = Vec::new();
    let mut at = head_end;
    while at < answers.len() {
        let next = find(answers, at + 1, "#").unwrap_or(answers.len());
        let part = text_of(answers.get(at + 1..next).unwrap_or(&[]));
        if !part.trim().is_empty() {
            feedback.push(part.trim().to_string());
        }
        at = next;
    }
    Some((value, feedback))
}

fn join_feedback(general: &str, parts: &[String]) -> String {
    let mut all: Vec<&str> = Vec::new();
    if !general.is_empty() {
        all.push(general);
    }
    all.extend(parts.iter().map(String::as_str));
    all.join("\n\n")
}

fn split_answers(toks: &[Tok]) -> Result<Vec<Answer>, String> {
    let starts: Vec<usize> = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.escaped && (t.c == '=' || t.c == '~'))
        .map(|(i, _)| i)
        .collect();
    let mut out = Vec::new();
    for (n, &s) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(toks.len());
        let right_mark = toks.get(s).is_some_and(|t| t.c == '=');
        let part = toks.get(s + 1..end).unwrap_or(&[]);
        let (weight, part) = weight_prefix(part)?;
        let (text, feedback) = match find(part, 0, "#") {
            Some(h) => (
                text_of(part.get(..h).unwrap_or(&[])),
                text_of(part.get(h + 1..).unwrap_or(&[])),
            ),
            None => (text_of(part), String::new()),
        };
        let (_, text) = format_marker(text.trim());
        out.push(Answer {
            right_mark,
            weight,
            text: text.trim().to_string(),
            feedback: feedback.trim().replace(super::gift::ARROW_SPLIT, "->"),
        });
    }
    if let Some(empty) = out.iter().position(|a| a.text.is_empty()) {
        return Err(format!("answer {} is empty", empty + 1));
    }
    Ok(out)
}

/// A `%50%` weight at the start of an answer.
fn weight_prefix(part: &[Tok]) -> Result<(Option<f64>, &[Tok]), String> {
    let part = trim(part);
    if part.first().is_none_or(|t| t.c != '%') {
        return Ok((None, part));
    }
    let end = (1..part.len())
        .find(|&i| part.get(i).is_some_and(|t| t.c == '%'))
        .ok_or("an answer weight %...% has no closing %")?;
    let w = text_of(part.get(1..end).unwrap_or(&[]));
    let w: f64 = w
        .trim()
        .parse()
        .map_err(|_| format!("answer weight %{w}% is not a number"))?;
    Ok((Some(w), part.get(end + 1..).unwrap_or(&[])))
}

fn choices_into(item: &mut GiftItem, answers: &[Answer], general: &str) -> Result<(), String> {
    let any_equals = answers.iter().any(|a| a.right_mark);
    let mut partial = Vec::new();
    for (i, a) in answers.iter().enumerate() {
        let right = if any_equals {
            a.right_mark && a.weight.is_none_or(|w| w > 0.0)
        } else {
            a.weight.is_some_and(|w| w > 0.0)
        };
        if right {
            item.answer.push(i);
        } else if a.weight.is_some_and(|w| w > 0.0) {
            partial.push(a.text.clone());
        }
        item.choices.push(a.text.clone());
    }
    if item.answer.is_empty() {
        return Err("no answer is marked right (= or a positive %weight%)".to_string());
    }
    if item.choices.len() < 2 {
        return Err("a choice question needs at least two answers".to_string());
    }
    if !partial.is_empty() {
        item.notes.push(format!(
            "partial credit is not kept: {} counted as wrong",
            partial.join(", ")
        ));
    }
    item.kind = if item.answer.len() == 1 {
        ExKind::Single
    } else {
        ExKind::Multiple
    };
    let per_choice: Vec<String> = answers
        .iter()
        .filter(|a| !a.feedback.is_empty())
        .map(|a| format!("{}: {}", a.text, a.feedback))
        .collect();
    item.feedback = join_feedback(general, &per_choice);
    Ok(())
}

/// Removes a leading `[markdown]`, `[html]`, `[moodle]` or `[plain]`;
/// returns the format's name (empty if none) and the rest.
fn format_marker(text: &str) -> (&'static str, &str) {
    for f in ["markdown", "html", "moodle", "plain"] {
        if let Some(rest) = text
            .strip_prefix('[')
            .and_then(|r| r.strip_prefix(f))
            .and_then(|r| r.strip_prefix(']'))
        {
            return (f, rest);
        }
    }
    ("", text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_titles_feedback_and_weights_are_read() {
        let r = read_gift(
            "// a comment\n::Q\\:1::What is 1\\=1? {\n=yes#right\n~no#wrong\n####general}\n\n\
             ::multi::[html]<p>Pick <b>two</b> &amp; go</p>{~%50%a ~%50%b ~%-100%c}\n\n\
             Grant is buried in Grant's tomb.{F#no he is not}\n",
        );
        assert!(r.skipped.is_empty(), "{:?}", r.skipped);
        let q = &r.items[0];
        assert_eq!(q.title.as_deref(), Some("Q:1"));
        assert_eq!(q.stem, "What is 1=1?");
        assert_eq!(q.choices, ["yes", "no"]);
        assert_eq!(q.answer, [0]);
        assert_eq!(q.feedback, "general\n\nyes: right\n\nno: wrong");
        assert_eq!(q.line, 2);
        let m = &r.items[1];
        assert_eq!(m.kind, ExKind::Multiple);
        assert_eq!(m.stem, "Pick two & go");
        assert_eq!(m.answer, [0, 1]);
        let tf = &r.items[2];
        assert_eq!(
            (tf.kind, tf.answer.as_slice()),
            (ExKind::TrueFalse, &[1][..])
        );
        assert_eq!(tf.feedback, "no he is not");
    }

    #[test]
    fn unsupported_items_are_skipped_with_their_line() {
        let r = read_gift(
            "Who? {=no one =nobody}\n\nWhen? {#1822:5}\n\nMatch {=a -> b =c -> d}\n\n\
             Write. {}\n\nJust text\n\nBroken {=a ~b\n",
        );
        let lines: Vec<usize> = r.skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, [1, 3, 5, 7, 9, 11]);
        assert!(r.items.is_empty());
        assert!(r.skipped[0].why.contains("short-answer"), "{:?}", r.skipped);
        assert!(r.skipped[1].why.contains("numerical"));
        assert!(r.skipped[2].why.contains("matching"));
        assert!(r.skipped[3].why.contains("essay"));
    }

    #[test]
    fn missing_word_items_keep_a_blank_and_categories_apply() {
        let r =
            read_gift("$CATEGORY: course/handshake\n\nGrant is {~buried =entombed} in the tomb.\n");
        let q = &r.items[0];
        assert_eq!(q.stem, "Grant is _____ in the tomb.");
        assert_eq!(q.category.as_deref(), Some("course/handshake"));
        assert_eq!(q.line, 3);
    }
}
