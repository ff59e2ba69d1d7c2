//! Diagnostics a user can act on: a file, a line, a column and a sentence.

use std::fmt;

/// How bad a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The input cannot be used.
    Error,
    /// The input works but probably not as meant.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A problem found in a file, located by 1-based line and column.
///
/// Printed as `content/labs/s3.toml:12:7: error: unknown field "Efect"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user named it (or a pseudo path such as `<editor>`).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in words a learner understands.
    pub message: String,
    /// What to do about it, when we can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a byte offset of `text`.
    pub fn error_at(path: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        Located::new(offset, message).diagnostic(path, text, &LineIndex::new(text))
    }

    /// An error about a whole file (line 1, column 1).
    pub fn file_error(path: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_string(),
            line: 1,
            column: 1,
            severity: Severity::Error,
            message: message.into(),
            hint: None,
        }
    }

    /// The same diagnostic with a hint attached.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The path, message and hint quote files a user did not write (a
/// student's lab work, a downloaded pack), so they are neutralised here and
/// every printer of a diagnostic shows escape sequences as inert text.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::core::text::neutralise;
        write!(
            f,
            "{}:{}:{}: {}: {}",
            neutralise(&self.path),
            self.line,
            self.column,
            self.severity,
            neutralise(&self.message)
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {}", neutralise(hint))?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// An error at a byte offset of a text: what the policy JSON reader and the
/// policy validator report. The offset counts in the text that was parsed;
/// [`Located::diagnostic`] turns it into a line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Located {
    /// Byte offset of the offending place in the text.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl Located {
    /// An error at `offset`.
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        Located {
            offset,
            message: message.into(),
        }
    }

    /// The error as a diagnostic of file `path`, whose text `text` is
    /// indexed by `index`.
    pub fn diagnostic(&self, path: &str, text: &str, index: &LineIndex) -> Diagnostic {
        let (line, column) = index.locate(text, self.offset);
        Diagnostic {
            path: path.to_string(),
            line,
            column,
            severity: Severity::Error,
            message: self.message.clone(),
            hint: None,
        }
    }
}

/// Maps byte offsets of a text to 1-based (line, column) pairs.
///
/// Built once per text in linear time; each lookup is a binary search plus
/// a count of at most [`CHECKPOINT`] bytes, so a file with thousands of
/// diagnostics on one long line is still located in linear time overall.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Byte offsets (at character boundaries) and the character column
    /// there: every line start, and a point every [`CHECKPOINT`] bytes
    /// within long lines.
    marks: Vec<(usize, usize)>,
}

/// The most bytes a lookup counts characters over.
const CHECKPOINT: usize = 256;

/// Pushes a mark at the first character boundary at least [`CHECKPOINT`]
/// bytes after the previous mark, over `bytes[from..to]` (one line).
fn long_line_marks(bytes: &[u8], from: usize, to: usize, marks: &mut Vec<(usize, usize)>) {
    let (mut column, mut last) = (0usize, from);
    for (i, &b) in bytes.iter().enumerate().take(to).skip(from) {
        if b & 0xc0 == 0x80 {
            continue; // inside a character
        }
        if i - last >= CHECKPOINT && i != from {
            marks.push((i, column));
            last = i;
        }
        column += 1;
    }
}

impl LineIndex {
    /// Indexes the line starts of `text`: a byte scan for newlines, with
    /// characters counted only on lines long enough to need marks.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // A vectorised search for the newlines.
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|n| n + 1));
        let mut marks = Vec::with_capacity(starts.len());
        for (i, &start) in starts.iter().enumerate() {
            marks.push((start, 0));
            // The line's end: its newline, or the end of the text.
            let next = starts.get(i + 1).copied();
            let end = next.map_or(bytes.len(), |n| n - 1);
            if end - start >= CHECKPOINT {
                // Through the newline itself, which may carry a mark too.
                long_line_marks(bytes, start, next.unwrap_or(end), &mut marks);
            }
        }
        LineIndex { starts, marks }
    }

    /// 1-based line and character column of byte `offset` in `text` (the
    /// text this index was built from). Offsets past the end map to the end;
    /// an offset inside a multi-byte character maps to the one after it.
    pub fn locate(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        // The last mark at or before the offset; every line start is a
        // mark, so it lies on this line.
        let mark = match self.marks.binary_search_by_key(&offset, |m| m.0) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let (from, base) = self.marks.get(mark).copied().unwrap_or((0, 0));
        let column = text
            .get(from..)
            .map(|rest| {
                rest.char_indices()
                    .take_while(|(i, _)| from + i < offset)
                    .count()
            })
            .unwrap_or(0);
        (line + 1, base + column + 1)
    }

    /// The 1-based line of byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i.max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_lines_and_columns() {
        let text = "ab\ncdé\nf";
        let idx = LineIndex::new(text);
        assert_eq!(idx.locate(text, 0), (1, 1));
        assert_eq!(idx.locate(text, 1), (1, 2));
        assert_eq!(idx.locate(text, 3), (2, 1));
        assert_eq!(idx.locate(text, 7), (2, 4));
        assert_eq!(idx.locate(text, 8), (3, 1));
        assert_eq!(idx.locate(text, 999), (3, 2));
        assert_eq!(idx.line_of(4), 2);
    }

    #[test]
    fn columns_on_a_long_line_count_characters() {
        let text = format!("x\n{}", "aé".repeat(2_000));
        let idx = LineIndex::new(&text);
        for chars in [0usize, 1, 255, 256, 257, 1_000, 3_999, 4_000] {
            let offset = 2 + text[2..]
                .chars()
                .take(chars)
                .map(char::len_utf8)
                .sum::<usize>();
            assert_eq!(
                idx.locate(&text, offset),
                (2, chars + 1),
                "{chars} chars in"
            );
        }
    }

    mod located {
        use super::super::LineIndex;
        use proptest::prelude::*;

        proptest! {
            /// Every offset of any text (short and long lines, multi-byte
            /// characters) is located where counting characters from the
            /// start puts it.
            #[test]
            fn every_offset_is_located_as_a_count_from_the_start_would(
                parts in proptest::collection::vec(
                    prop_oneof![
                        Just("\n".to_string()),
                        "[a-zé€😀 ]{0,40}",
                        (0usize..700).prop_map(|n| "é".repeat(n / 2) + &"a".repeat(n)),
                    ],
                    0..12,
                ),
                probes in proptest::collection::vec(any::<usize>(), 1..40),
            ) {
                let text: String = parts.concat();
                let idx = LineIndex::new(&text);
                for p in probes {
                    let offset = p % (text.len() + 1);
                    let mut at = offset;
                    while !text.is_char_boundary(at) {
                        at += 1;
                    }
                    let before = &text[..at];
                    let line = before.matches('\n').count() + 1;
                    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    prop_assert_eq!(idx.locate(&text, offset), (line, column), "offset {}", offset);
                }
            }
        }
    }

    #[test]
    fn a_located_error_becomes_a_diagnostic_at_its_line_and_column() {
        let text = "{\n  \"Efect\": 1\n}";
        let e = Located::new(4, "unknown element");
        let as_error: &dyn std::error::Error = &e;
        assert_eq!(as_error.to_string(), "unknown element");
        let d = e.diagnostic("p.json", text, &LineIndex::new(text));
        assert_eq!(d.to_string(), "p.json:2:3: error: unknown element");
        assert_eq!(
            d,
            Diagnostic::error_at("p.json", text, 4, "unknown element")
        );
    }

    #[test]
    fn displays_like_a_compiler() {
        let d = Diagnostic::file_error("a.toml", "empty").with_hint("add a request");
        assert_eq!(
            d.to_string(),
            "a.toml:1:1: error: empty\n  hint: add a request"
        );
    }
}

/// The one "did you mean" rule of the product: the candidate nearest to
/// `word` by optimal-string-alignment distance (an adjacent swap such as
/// `Decrpyt` for `Decrypt` counts as one edit), ignoring case, when it is
/// near enough to be a likely typo: at most a third of the candidate's
/// length, and at least one and at most three edits. Ties go to the earlier
/// candidate. Words over 128 characters get no suggestion (the distance is
/// quadratic).
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if word.chars().count() > 128 {
        return None;
    }
    let word = word.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if let Some(distance) = near_enough(&word, candidate)
            && best.is_none_or(|(d, _)| distance < d)
        {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The edit distance from `word` (already lower case) to `candidate`
/// when it is small enough for a "did you mean": a third of the
/// candidate's length, from 1 to 3 edits.
pub fn near_enough(word: &str, candidate: &str) -> Option<usize> {
    let limit = (candidate.chars().count() / 3).clamp(1, 3);
    // Each edit changes the length by one at most: names whose lengths
    // differ by more than the limit need no distance (exact for ASCII,
    // whose lower case has the same length).
    if word.is_ascii() && candidate.is_ascii() && word.len().abs_diff(candidate.len()) > limit {
        return None;
    }
    let distance = strsim::osa_distance(word, &candidate.to_lowercase());
    (distance <= limit).then_some(distance)
}

#[cfg(test)]
mod suggest_tests {
    use super::suggest;

    #[test]
    fn suggests_close_names_only() {
        let names = ["Effect", "Action", "Resource"];
        assert_eq!(suggest("Efect", names), Some("Effect"));
        assert_eq!(suggest("resources", names), Some("Resource"));
        assert_eq!(suggest("Banana", names), None);
    }

    #[test]
    fn a_swap_of_two_letters_is_one_edit() {
        assert_eq!(
            suggest("kms:Decrpyt", ["kms:Decrypt", "kms:Encrypt"]),
            Some("kms:Decrypt")
        );
        assert_eq!(
            suggest("stringequals", ["StringEquals"]),
            Some("StringEquals")
        );
        assert_eq!(suggest("x", ["Sid"]), None);
        assert_eq!(suggest(&"a".repeat(200), ["Sid"]), None);
    }

    /// The rule without the length shortcut.
    fn by_distance_alone<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
        let word = word.to_lowercase();
        let mut best: Option<(usize, &'a str)> = None;
        for &c in candidates {
            let d = strsim::osa_distance(&word, &c.to_lowercase());
            let limit = (c.chars().count() / 3).clamp(1, 3);
            if d <= limit && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, c));
            }
        }
        best.map(|(_, c)| c)
    }

    proptest::proptest! {
        #[test]
        fn the_length_shortcut_never_changes_a_suggestion(
            word in "[abAé:*]{0,9}",
            names in proptest::collection::vec("[abBé:]{0,9}", 0..8),
        ) {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(
                suggest(&word, names.iter().copied()),
                by_distance_alone(&word, &names)
            );
        }
    }
}
