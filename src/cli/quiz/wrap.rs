//! The plain quiz's output: long lines wrapped at the terminal's width,
//! measured in columns (so accented and wide characters count right).

use std::io::Write;

/// The output, with each finished line wrapped at `width` (continuation
/// lines keep the line's indent, and list items `a) ...` hang under their
/// text). A prompt written without a newline goes out as is on `flush`,
/// and the rest of its line (the echoed answer) is not wrapped.
pub(super) struct WrapOut<'a> {
    inner: &'a mut dyn Write,
    width: Option<usize>,
    line: String,
    raw_col: bool,
}

impl<'a> WrapOut<'a> {
    /// Wraps what is written to `inner` at `width` columns (`None`: never).
    pub(super) fn new(inner: &'a mut dyn Write, width: Option<usize>) -> Self {
        WrapOut {
            inner,
            width,
            line: String::new(),
            raw_col: false,
        }
    }

    /// The terminal echoed the learner's line and its Enter: the next
    /// line starts at the left edge again.
    pub(super) fn at_line_start(&mut self) {
        self.raw_col = false;
    }

    fn emit_line(&mut self) -> std::io::Result<()> {
        let line = std::mem::take(&mut self.line);
        match self.width {
            Some(width) if !self.raw_col => {
                let lead = line.len() - line.trim_start().len();
                let rest = &line[lead..];
                let marker = rest
                    .split_once(") ")
                    .filter(|(m, _)| {
                        !m.is_empty()
                            && m.len() <= 2
                            && m.chars().all(|c| c.is_ascii_alphanumeric())
                    })
                    .map_or(0, |(m, _)| m.len() + 2);
                let indent = " ".repeat(lead + marker);
                for l in wrap(&line, width, &indent) {
                    writeln!(self.inner, "{l}")?;
                }
            }
            _ => writeln!(self.inner, "{line}")?,
        }
        self.raw_col = false;
        Ok(())
    }
}

impl Write for WrapOut<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let mut parts = text.split('\n').peekable();
        while let Some(part) = parts.next() {
            self.line.push_str(part);
            if parts.peek().is_some() {
                self.emit_line()?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.line.is_empty() {
            let partial = std::mem::take(&mut self.line);
            write!(self.inner, "{partial}")?;
            self.raw_col = true;
        }
        self.inner.flush()
    }
}

/// Greedy word wrap at single spaces (so leading spaces and aligned
/// columns survive); lines after the first start with `indent`. A word
/// longer than `width` stays whole on its own line.
fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let options = textwrap::Options::new(width)
        .subsequent_indent(indent)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
    textwrap::wrap(text, options)
        .into_iter()
        .map(|line| line.trim_end().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_wraps_lines_hangs_list_items_and_leaves_prompts_alone() {
        let mut sink = Vec::new();
        {
            let mut w = WrapOut::new(&mut sink, Some(12));
            let r = (|| -> std::io::Result<()> {
                writeln!(w, "one two three four")?;
                writeln!(w, "b) alpha beta gamma")?;
                write!(w, "Answer (a-d): ")?;
                w.flush()?;
                writeln!(w, "a,c")?;
                writeln!(w, "  indented words here")?;
                w.flush()
            })();
            assert!(r.is_ok());
        }
        assert_eq!(
            String::from_utf8_lossy(&sink),
            "one two\nthree four\nb) alpha\n   beta\n   gamma\nAnswer (a-d): a,c\n  indented\n  words here\n"
        );
    }

    #[test]
    fn wrapping_keeps_words_and_indents() {
        assert_eq!(
            wrap("a) one two three four", 10, "   "),
            vec!["a) one two", "   three", "   four"]
        );
        assert_eq!(wrap("", 10, ""), vec![""]);
        assert_eq!(wrap("   Why: a b", 8, "   "), vec!["   Why:", "   a b"]);
        assert_eq!(wrap("  1/2   50%  x", 40, ""), vec!["  1/2   50%  x"]);
    }

    #[test]
    fn wrapping_counts_columns_not_bytes_or_chars() {
        // "é" is two bytes, one column; "日本" is two chars, four columns.
        assert_eq!(wrap("café au lait", 7, ""), vec!["café au", "lait"]);
        assert_eq!(wrap("日本 ab", 6, ""), vec!["日本", "ab"]);
    }
}
