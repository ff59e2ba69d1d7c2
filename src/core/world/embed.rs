//! Where the characters of a TOML string value sit in its file.
//!
//! Policies are JSON documents embedded in TOML strings. A JSON error found
//! at byte 120 of the policy must be reported at the TOML file's line and
//! column, so we re-read the raw string literal and record, for each run of
//! characters copied unchanged, where it starts in the value and in the file.

/// Maps byte offsets inside a string value to byte offsets in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embedding {
    /// (offset in the value, offset in the file), sorted, one per run.
    runs: Vec<(usize, usize)>,
    /// The literal could not be re-read: every offset maps to its start.
    coarse: bool,
}

impl Embedding {
    /// The value *is* the file (the lab editor, a standalone policy file).
    pub fn identity() -> Self {
        Embedding {
            runs: vec![(0, 0)],
            coarse: false,
        }
    }

    /// The file offset of byte `offset` of the value.
    pub fn to_file(&self, offset: usize) -> usize {
        let i = match self.runs.binary_search_by_key(&offset, |r| r.0) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let (v, f) = self.runs.get(i).copied().unwrap_or((0, 0));
        if self.coarse {
            return f;
        }
        f + offset.saturating_sub(v)
    }

    /// Builds the map for the TOML string literal at `span` of `file`, whose
    /// decoded value is `value`. If the literal cannot be re-read to exactly
    /// `value` (an escape we do not model), every offset maps to the start of
    /// the literal: positions are then coarse but never wrong by more than
    /// the string.
    pub fn from_toml(file: &str, span: std::ops::Range<usize>, value: &str) -> Self {
        let fallback = Embedding {
            runs: vec![(0, span.start)],
            coarse: true,
        };
        let Some(raw) = file.get(span.clone()) else {
            return fallback;
        };
        match decode(raw, span.start) {
            Some((decoded, runs)) if decoded == value => Embedding {
                runs,
                coarse: false,
            },
            _ => fallback,
        }
    }
}

/// Re-reads a TOML string literal (with its delimiters) starting at file
/// offset `base`; returns the decoded text and its runs.
fn decode(raw: &str, base: usize) -> Option<(String, Vec<(usize, usize)>)> {
    let (delim, literal) = if raw.starts_with("'''") {
        ("'''", true)
    } else if raw.starts_with("\"\"\"") {
        ("\"\"\"", false)
    } else if raw.starts_with('\'') {
        ("'", true)
    } else if raw.starts_with('"') {
        ("\"", false)
    } else {
        return None;
    };
    let inner_end = raw.len().checked_sub(delim.len())?;
    let mut start = delim.len();
    if delim.len() == 3 {
        // A newline right after the opening delimiter is trimmed.
        if raw[start..].starts_with("\r\n") {
            start += 2;
        } else if raw[start..].starts_with('\n') {
            start += 1;
        }
    }
    let inner = raw.get(start..inner_end)?;
    let mut out = String::with_capacity(inner.len());
    let mut runs = vec![(0, base + start)];
    if literal {
        out.push_str(inner);
        return Some((out, runs));
    }
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < inner.len() {
        if bytes[i] != b'\\' {
            let next = inner[i..].find('\\').map_or(inner.len(), |n| i + n);
            out.push_str(&inner[i..next]);
            i = next;
            continue;
        }
        let esc = *bytes.get(i + 1)?;
        let mut consumed = 2;
        match esc {
            b'b' => out.push('\u{8}'),
            b't' => out.push('\t'),
            b'n' => out.push('\n'),
            b'f' => out.push('\u{c}'),
            b'r' => out.push('\r'),
            b'e' => out.push('\u{1b}'),
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'x' | b'u' | b'U' => {
                let n = match esc {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let hex = inner.get(i + 2..i + 2 + n)?;
                out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
                consumed += n;
            }
            b' ' | b'\t' | b'\r' | b'\n' => {
                // Line-ending backslash: skip all whitespace and newlines.
                let rest = &inner[i + 1..];
                let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
                consumed = 1 + skipped;
            }
            _ => return None,
        }
        i += consumed;
        runs.push((out.len(), base + start + i));
    }
    Some((out, runs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(file: &str, value: &str, probe: &str) {
        let start = file.find(['\'', '"']).expect("a literal");
        let emb = Embedding::from_toml(file, start..file.len(), value);
        let at = value.find(probe).expect("probe in value");
        let f = emb.to_file(at);
        assert_eq!(&file[f..f + probe.len()], probe, "in {file:?}");
    }

    #[test]
    fn maps_literal_and_basic_strings() {
        check("p = '''\n{\"a\": 1}\n'''", "{\"a\": 1}\n", "1}");
        check("p = '{\"a\": 1}'", "{\"a\": 1}", "1}");
        check("p = \"{\\\"a\\\": 1}\"", "{\"a\": 1}", "1}");
        check("p = \"\"\"\n{\"a\":\\n 1}\"\"\"", "{\"a\":\n 1}", "1}");
        check("p = \"x\\u00e9 y\"", "xé y", "y");
    }

    #[test]
    fn unknown_shapes_fall_back_to_the_literal_start() {
        let emb = Embedding::from_toml("p = 'abc'", 4..9, "something else");
        assert_eq!(emb.to_file(2), 4);
    }
}
