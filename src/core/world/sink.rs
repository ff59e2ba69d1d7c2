//! [`DiagSink`]: the one diagnostics collector for a TOML source file, used
//! by the scenario loader, the lab parser and the content-pack loader.
//!
//! Every loader reports problems at byte offsets of the file it reads; the
//! sink turns them into file:line:column [`Diagnostic`]s and keeps them in
//! order, so a loader can report every problem instead of the first.

use serde::de::DeserializeOwned;

use crate::core::diag::{Diagnostic, LineIndex, Severity};

/// Collects diagnostics against one file, converting byte offsets of its
/// text to 1-based lines and columns.
#[derive(Debug)]
pub struct DiagSink<'a> {
    path: &'a str,
    text: &'a str,
    index: LineIndex,
    diags: Vec<Diagnostic>,
}

impl<'a> DiagSink<'a> {
    /// A sink for the file shown as `path` whose contents are `text`.
    pub fn new(path: &'a str, text: &'a str) -> Self {
        DiagSink {
            path,
            text,
            index: LineIndex::new(text),
            diags: Vec::new(),
        }
    }

    /// The file's path, as messages show it.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The file's text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The 1-based (line, column) of byte `offset`.
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        self.index.locate(self.text, offset)
    }

    /// The 1-based line of byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.index.line_of(offset)
    }

    /// A diagnostic at byte `offset`, not yet recorded (to add a hint, then
    /// [`push`](Self::push) it).
    pub fn diag(
        &self,
        offset: usize,
        severity: Severity,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.at_line_col(self.locate(offset), severity, message)
    }

    /// A diagnostic at a known (line, column), not yet recorded.
    pub fn at_line_col(
        &self,
        (line, column): (usize, usize),
        severity: Severity,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            path: self.path.to_string(),
            line,
            column,
            severity,
            message: message.into(),
            hint: None,
        }
    }

    /// An error at byte `offset`, not yet recorded (for a loader that
    /// gathers diagnostics of many files in one list).
    pub fn diag_error(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        self.diag(offset, Severity::Error, message)
    }

    /// Records an error at byte `offset`.
    pub fn error(&mut self, offset: usize, message: impl Into<String>) {
        let d = self.diag(offset, Severity::Error, message);
        self.diags.push(d);
    }

    /// Records an error at the start of 1-based `line`.
    pub fn error_line(&mut self, line: usize, message: impl Into<String>) {
        let d = self.at_line_col((line, 1), Severity::Error, message);
        self.diags.push(d);
    }

    /// Records a diagnostic built elsewhere.
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// How many diagnostics were recorded so far.
    pub fn len(&self) -> usize {
        self.diags.len()
    }

    /// Whether nothing was recorded yet.
    pub fn is_empty(&self) -> bool {
        self.diags.is_empty()
    }

    /// The diagnostics recorded, in order.
    pub fn finish(self) -> Vec<Diagnostic> {
        self.diags
    }

    /// The file line where a TOML string's content starts: after `'''` or
    /// `"""` and the newline directly after it (which TOML trims), so a
    /// body's line numbers match the file's.
    pub fn first_line(&self, string_start: usize) -> usize {
        let text = self.text;
        let mut offset = string_start;
        if text
            .get(offset..)
            .is_some_and(|r| r.starts_with("'''") || r.starts_with("\"\"\""))
        {
            offset += 3;
            let after = text.get(offset..).unwrap_or("");
            if after.starts_with("\r\n") {
                offset += 2;
            } else if after.starts_with('\n') {
                offset += 1;
            }
        }
        self.locate(offset).0
    }

    /// Parses the whole file as `T`, or records the TOML error at its
    /// position and returns `None`. `describe` turns the toml crate's
    /// message into the one shown.
    pub fn parse_toml<T: DeserializeOwned>(
        &mut self,
        describe: impl FnOnce(&toml::de::Error) -> String,
    ) -> Option<T> {
        match toml::from_str::<T>(self.text) {
            Ok(v) => Some(v),
            Err(e) => {
                let offset = e.span().map_or(0, |s| s.start);
                let message = describe(&e);
                self.error(offset, message);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns_and_bodies_start_after_the_quotes() {
        let text = "a = 1\nbody = '''\nfirst\n'''\n";
        let mut sink = DiagSink::new("f.toml", text);
        sink.error(text.find("1").expect("offset"), "bad");
        let body = text.find("'''").expect("body");
        assert_eq!(sink.first_line(body), 3);
        let d = sink.finish();
        assert_eq!(d[0].to_string(), "f.toml:1:5: error: bad");
    }

    #[test]
    fn a_toml_error_is_recorded_at_its_position() {
        let mut sink = DiagSink::new("f.toml", "a = 1\nb = \n");
        let v: Option<toml::Table> = sink.parse_toml(|e| e.message().trim().to_string());
        assert!(v.is_none());
        let d = sink.finish();
        assert_eq!((d[0].line, d[0].severity), (2, Severity::Error));
    }
}
