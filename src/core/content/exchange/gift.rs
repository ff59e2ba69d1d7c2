//! Writing Moodle GIFT: one question per paragraph, `::id::` as its title,
//! Markdown text, `=` right and `~` wrong choices (weights for several
//! right ones), `####` general feedback, and a `$CATEGORY:` line per
//! objective. The format is Moodle's "GIFT format" help page.

use std::fmt::Write as _;

use super::{ExKind, ExQuestion};

/// The characters GIFT gives a meaning, escaped with a backslash.
const SPECIAL: [char; 7] = ['\\', '~', '=', '#', '{', '}', ':'];

/// `text` safe inside a GIFT question or answer: special characters get a
/// backslash and a line break becomes `\n` (a blank line would end the
/// question).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if SPECIAL.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The stem and its code block as one Markdown text (the block indented
/// four spaces after a blank line, as Markdown writes code).
pub fn stem_text(q: &ExQuestion) -> String {
    if q.code.is_empty() {
        return q.stem.clone();
    }
    let mut text = q.stem.clone();
    text.push_str("\n\n");
    let block: Vec<String> = q.code.iter().map(|l| format!("    {l}")).collect();
    text.push_str(&block.join("\n"));
    text
}

/// A weight for one of `k` right choices: 100/k, written as Moodle
/// accepts it (at most five decimals).
fn weight(k: usize) -> String {
    let w = 100.0 / k.max(1) as f64;
    let s = format!("{w:.5}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The whole bank as a GIFT file. `category` prefixes each objective's
/// `$CATEGORY:` line (the pack's name).
pub fn write(questions: &[ExQuestion], category: &str, header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "// {line}");
    }
    out.push('\n');
    let mut current: Option<&str> = None;
    for q in questions {
        let objective = q.objectives.first().map(String::as_str);
        if objective.is_some() && objective != current {
            current = objective;
            let _ = writeln!(
                out,
                "$CATEGORY: {}/{}\n",
                category_part(category),
                objective.unwrap_or_default()
            );
        }
        out.push_str(&question(q));
        out.push('\n');
    }
    out
}

/// A category path part: `/` separates parts and nothing else may break
/// the line.
fn category_part(s: &str) -> String {
    s.chars()
        .map(|c| if c == '/' || c.is_control() { '-' } else { c })
        .collect()
}

/// `text` for an answer block: with a `[markdown]` format before it if it
/// starts with `[` (else `[html] tags` would read as a format).
///
/// An arrow `->` inside an answer block would make it a matching question:
/// a word joiner (invisible) is put between its two characters, and the
/// reader takes it out again.
fn marked(text: &str) -> String {
    let text = text.replace("->", ARROW_SPLIT);
    if text.starts_with('[') {
        format!("[markdown]{text}")
    } else {
        text
    }
}

/// `->` with a word joiner (U+2060) between its characters.
pub(super) const ARROW_SPLIT: &str = "-\u{2060}>";

/// One question as a GIFT paragraph (ends with a newline).
pub fn question(q: &ExQuestion) -> String {
    let mut out = format!("::{}::[markdown]{}", escape(&q.id), escape(&stem_text(q)));
    let feedback = if q.feedback.trim().is_empty() {
        String::new()
    } else {
        format!("####{}", escape(&marked(&q.feedback)))
    };
    match q.kind {
        ExKind::TrueFalse => {
            let value = if q.answer == [0] { "TRUE" } else { "FALSE" };
            let _ = writeln!(out, "{{{value}{feedback}}}");
        }
        ExKind::Single | ExKind::Multiple => {
            out.push_str("{\n");
            let several = q.kind == ExKind::Multiple || q.answer.len() > 1;
            let right = weight(q.answer.len());
            for (i, c) in q.choices.iter().enumerate() {
                let is_right = q.answer.contains(&i);
                // A choice that starts with `%` would read as a weight:
                // it always gets one written before it.
                let weighted = several || c.starts_with('%');
                let mark = match (weighted, is_right) {
                    (false, true) => "=".to_string(),
                    (false, false) => "~".to_string(),
                    (true, true) if several => format!("~%{right}%"),
                    (true, true) => "=%100%".to_string(),
                    (true, false) if several => "~%-100%".to_string(),
                    (true, false) => "~%0%".to_string(),
                };
                let _ = writeln!(out, "\t{mark}{}", escape(&marked(c)));
            }
            if !feedback.is_empty() {
                let _ = writeln!(out, "\t{feedback}");
            }
            out.push_str("}\n");
        }
    }
    out
}
