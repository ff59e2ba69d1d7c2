//! A small JSON parser that remembers where every value came from.
//!
//! serde_json cannot tell us the position of a value inside a document, and
//! the tutor must point at the exact statement and token a learner wrote, so
//! policies are read with this parser. It accepts exactly RFC 8259 JSON, caps
//! nesting depth (a hostile file cannot overflow the stack) and reports the
//! byte offset of the first problem.

use crate::core::diag::Located;
use std::borrow::Cow;

/// A byte range in the parsed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A JSON value with its span. Strings without escapes borrow from the
/// parsed text, so reading a policy allocates little.
#[derive(Debug, Clone, PartialEq)]
pub struct Json<'a> {
    /// The value.
    pub kind: JsonKind<'a>,
    /// Where it is in the text.
    pub span: Span,
}

/// The JSON value types. Numbers keep their text, as IAM treats them as
/// strings.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonKind<'a> {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(&'a str),
    /// A string, unescaped.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object, members in document order.
    Object(Vec<Member<'a>>),
}

/// One `"name": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    /// The member name, unescaped.
    pub name: Cow<'a, str>,
    /// Where the name (with its quotes) is.
    pub name_span: Span,
    /// The value.
    pub value: Json<'a>,
}

/// Deepest nesting accepted; real policies nest four levels.
pub const MAX_DEPTH: usize = 64;

impl JsonKind<'_> {
    /// A word for the type, for error messages ("a string", "an array").
    pub fn describe(&self) -> &'static str {
        match self {
            JsonKind::Null => "null",
            JsonKind::Bool(_) => "a boolean",
            JsonKind::Number(_) => "a number",
            JsonKind::String(_) => "a string",
            JsonKind::Array(_) => "an array",
            JsonKind::Object(_) => "an object",
        }
    }
}

/// Parses a complete JSON document.
pub fn parse(text: &str) -> Result<Json<'_>, Located> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: 0,
    };
    p.skip_ws();
    if p.pos >= p.s.len() {
        return Err(p.error("the policy is empty: expected a JSON object starting with {"));
    }
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos < p.s.len() {
        return Err(p.error("unexpected text after the end of the JSON document"));
    }
    Ok(value)
}

/// The one JSON value that covers exactly `span` of `text`, parsed alone
/// at nesting `depth`, as a parse of the whole document found it there
/// (an edit reads one statement again, not its whole policy); `None` if
/// no value covers exactly that span.
pub fn parse_span(text: &str, span: Span, depth: usize) -> Option<Json<'_>> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: span.start,
    };
    let value = p.value(depth).ok()?;
    (value.span.start == span.start && value.span.end == span.end).then_some(value)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, message: impl Into<String>) -> Located {
        Located {
            offset: self.pos,
            message: message.into(),
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn found(&self) -> String {
        match self.text.get(self.pos..).and_then(|r| r.chars().next()) {
            None => "the end of the text".to_string(),
            Some(c) => format!("{c:?}"),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json<'a>, Located> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!(
                "JSON nested more than {MAX_DEPTH} levels deep; a policy never needs that"
            )));
        }
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => JsonKind::String(self.string()?),
            Some(b't') => self.literal("true", JsonKind::Bool(true))?,
            Some(b'f') => self.literal("false", JsonKind::Bool(false))?,
            Some(b'n') => self.literal("null", JsonKind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b'\'') => {
                return Err(self.error("JSON strings use double quotes (\"), not single quotes"));
            }
            _ => {
                return Err(self.error(format!("expected a JSON value, found {}", self.found())));
            }
        };
        Ok(Json {
            kind,
            span: Span {
                start,
                end: self.pos,
            },
        })
    }

    fn literal(&mut self, word: &str, kind: JsonKind<'a>) -> Result<JsonKind<'a>, Located> {
        if self.s[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(kind)
        } else {
            Err(self.error(format!("expected a JSON value, found {}", self.found())))
        }
    }

    fn number(&mut self) -> Result<JsonKind<'a>, Located> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("a number needs a digit here")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("a number needs a digit after the decimal point"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("a number needs a digit in its exponent"));
            }
            self.digits();
        }
        Ok(JsonKind::Number(&self.text[start..self.pos]))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<Cow<'a, str>, Located> {
        let open = self.pos;
        self.pos += 1; // opening quote
        let mut out: Option<String> = None;
        loop {
            let run_start = self.pos;
            let run = self.s[self.pos..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(self.s.len() - self.pos);
            self.pos += run;
            match self.peek() {
                Some(b'"') => {
                    let text = &self.text[run_start..self.pos];
                    self.pos += 1;
                    return Ok(match out {
                        None => Cow::Borrowed(text),
                        Some(mut owned) => {
                            owned.push_str(text);
                            Cow::Owned(owned)
                        }
                    });
                }
                Some(b'\\') => {
                    let owned = out.get_or_insert_with(String::new);
                    owned.push_str(&self.text[run_start..self.pos]);
                    self.pos += 1;
                    self.escape(owned)?;
                }
                Some(b'\n') => {
                    return Err(Located {
                        offset: open,
                        message:
                            "this string is not closed before the end of the line (missing \")"
                                .to_string(),
                    });
                }
                Some(_) => {
                    return Err(
                        self.error("control characters must be escaped inside a JSON string")
                    );
                }
                None => {
                    return Err(Located {
                        offset: open,
                        message: "this string is never closed (missing \")".to_string(),
                    });
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), Located> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let hi = self.hex4()?;
                let c = if (0xD800..0xDC00).contains(&hi) {
                    if !self.s[self.pos..].starts_with(b"\\u") {
                        return Err(self.error("a \\u surrogate pair is incomplete"));
                    }
                    self.pos += 2;
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(self.error("a \\u surrogate pair is invalid"));
                    }
                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                } else {
                    char::from_u32(hi)
                };
                match c {
                    Some(c) => out.push(c),
                    None => return Err(self.error("this \\u escape is not a valid character")),
                }
                return Ok(());
            }
            _ => {
                return Err(self.error(format!(
                    "unknown escape \\{} in a JSON string",
                    self.found().trim_matches('\'')
                )));
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, Located> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("\\u must be followed by four hex digits"))?;
        let v = u32::from_str_radix(digits, 16).map_err(|_| self.error("bad \\u escape"))?;
        self.pos += 4;
        Ok(v)
    }

    fn array(&mut self, depth: usize) -> Result<JsonKind<'a>, Located> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(JsonKind::Array(items));
        }
        loop {
            self.skip_ws();
            if self.peek() == Some(b']') {
                return Err(self.error("trailing comma before ]: remove the last comma"));
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(JsonKind::Array(items));
                }
                None => return Err(self.error("this array is never closed (missing ])")),
                _ => {
                    return Err(self.error(format!(
                        "expected , or ] after an array item, found {} (a missing comma?)",
                        self.found()
                    )));
                }
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonKind<'a>, Located> {
        self.pos += 1;
        let mut members: Vec<Member> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(JsonKind::Object(members));
        }
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') => {
                    return Err(self.error("trailing comma before }: remove the last comma"));
                }
                None => return Err(self.error("this object is never closed (missing })")),
                _ => {
                    return Err(self.error(format!(
                        "expected a member name in double quotes, found {}",
                        self.found()
                    )));
                }
            }
            let name_start = self.pos;
            let name = self.string()?;
            let name_span = Span {
                start: name_start,
                end: self.pos,
            };
            if members.iter().any(|m| m.name == name) {
                return Err(Located {
                    offset: name_start,
                    message: format!("\"{name}\" appears twice in the same object"),
                });
            }
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error(format!(
                    "expected : after the member name \"{name}\", found {}",
                    self.found()
                )));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            members.push(Member {
                name,
                name_span,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JsonKind::Object(members));
                }
                None => return Err(self.error("this object is never closed (missing })")),
                _ => {
                    return Err(self.error(format!(
                        "expected , or }} after a member, found {} (a missing comma?)",
                        self.found()
                    )));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (usize, String) {
        let e = parse(text).expect_err("should fail");
        (e.offset, e.message)
    }

    #[test]
    fn a_value_read_alone_at_its_span_is_the_one_the_whole_parse_found() {
        let text = "{\"Statement\": [ {\"Sid\": \"a\\u00e9\", \"Action\": [\"kms:Decrypt\"]},\n  {\"Effect\": \"Deny\"} ]}";
        let root = parse(text).expect("valid");
        let JsonKind::Object(members) = &root.kind else {
            panic!("an object");
        };
        let JsonKind::Array(items) = &members[0].value.kind else {
            panic!("an array");
        };
        for item in items {
            assert_eq!(parse_span(text, item.span, 2).as_ref(), Some(item));
        }
        // A span that no value covers exactly is refused.
        let cut = Span {
            start: items[0].span.start,
            end: items[0].span.end - 1,
        };
        assert!(parse_span(text, cut, 2).is_none());
        assert!(parse_span(text, Span { start: 1, end: 4 }, 2).is_none());
    }

    #[test]
    fn parses_values_with_spans() {
        let text = r#" {"a": [1, -2.5e3, true, null], "b\n": "x\u00e9\ud83d\ude00"} "#;
        let v = parse(text).expect("valid");
        assert_eq!(
            v.span,
            Span {
                start: 1,
                end: text.len() - 1
            }
        );
        let JsonKind::Object(members) = &v.kind else {
            panic!("object expected")
        };
        assert_eq!(members[0].name, "a");
        assert_eq!(
            &text[members[0].name_span.start..members[0].name_span.end],
            "\"a\""
        );
        let JsonKind::Array(items) = &members[0].value.kind else {
            panic!("array expected")
        };
        assert_eq!(items[1].kind, JsonKind::Number("-2.5e3"));
        assert_eq!(&text[items[1].span.start..items[1].span.end], "-2.5e3");
        assert_eq!(members[1].name, "b\n");
        assert_eq!(members[1].value.kind, JsonKind::String("xé😀".into()));
    }

    #[test]
    fn reports_offsets_of_mistakes() {
        assert_eq!(err("{\"a\": 1 \"b\": 2}").0, 8);
        assert!(err("{\"a\": 1 \"b\": 2}").1.contains("missing comma"));
        assert_eq!(err("[1, 2,]").0, 6);
        assert_eq!(err("{'a': 1}").0, 1);
        assert_eq!(
            err("").1,
            "the policy is empty: expected a JSON object starting with {"
        );
        assert_eq!(err("{\"a\": \"x").0, 6);
        assert_eq!(err("{\"a\":1} x").0, 8);
        assert!(err("{\"a\":1, \"a\":2}").1.contains("appears twice"));
        assert_eq!(err("[tru]").0, 1);
        assert_eq!(err("[01]").0, 2);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(err(&deep).1.contains("nested more than"));
    }
}
