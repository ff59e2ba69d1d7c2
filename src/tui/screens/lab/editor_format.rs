//! "Format policy": re-indents a policy's JSON two spaces a level.
//!
//! The formatter works on the tokens, not on a parsed value, so nothing but
//! the white space changes: the keys keep their order, a duplicated key
//! stays (the engine reports it), numbers and strings keep their spelling.
//! A short array of plain values stays on one line, as the course writes
//! `"Action": ["kms:Decrypt", "kms:DescribeKey"]`.

/// An array of scalars printed on one line at most this wide (its
/// indentation included); wider, it takes a line per item.
const ONE_LINE: usize = 72;

/// One lexical piece of the JSON text.
#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Open(char),
    Close(char),
    Comma,
    Colon,
    /// A string (with its quotes) or a bare literal, exactly as written.
    Atom(&'a str),
}

/// The policy `text` pretty-printed, or why not: a text that is not valid
/// JSON is refused (with serde's message), never rewritten.
pub(super) fn format_policy(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("the policy is empty".into());
    }
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Err(format!("it is not valid JSON yet ({e})"));
    }
    let toks = tokens(text);
    let mut out = String::new();
    let mut i = 0;
    value(&toks, &mut i, 0, &mut out);
    out.push('\n');
    Ok(out)
}

/// Splits valid JSON into tokens (white space dropped).
fn tokens(text: &str) -> Vec<Tok<'_>> {
    let bytes = text.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'{' | b'[' => toks.push(Tok::Open(b as char)),
            b'}' | b']' => toks.push(Tok::Close(b as char)),
            b',' => toks.push(Tok::Comma),
            b':' => toks.push(Tok::Colon),
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    // An escape takes the next byte with it (\" or \\).
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let end = (i + 1).min(bytes.len());
                toks.push(Tok::Atom(&text[start..end]));
            }
            b if b.is_ascii_whitespace() => {}
            _ => {
                let start = i;
                while i + 1 < bytes.len()
                    && !matches!(bytes[i + 1], b',' | b':' | b'}' | b']' | b'{' | b'[')
                    && !bytes[i + 1].is_ascii_whitespace()
                {
                    i += 1;
                }
                toks.push(Tok::Atom(&text[start..=i]));
            }
        }
        i += 1;
    }
    toks
}

fn indent(out: &mut String, level: usize) {
    out.push('\n');
    out.extend(std::iter::repeat_n("  ", level));
}

/// Column where the text pushed last on `out` ends.
fn column(out: &str) -> usize {
    out.rsplit('\n').next().map_or(0, |l| l.chars().count())
}

/// Writes the value starting at `toks[*i]`, leaving `*i` after it.
fn value(toks: &[Tok<'_>], i: &mut usize, level: usize, out: &mut String) {
    match toks.get(*i) {
        Some(Tok::Open(open)) => {
            let close = if *open == '{' { '}' } else { ']' };
            if let Some(flat) = flat_array(toks, *i)
                && column(out) + flat.0.chars().count() <= ONE_LINE
            {
                out.push_str(&flat.0);
                *i = flat.1;
                return;
            }
            out.push(*open);
            *i += 1;
            if toks.get(*i) == Some(&Tok::Close(close)) {
                out.push(close);
                *i += 1;
                return;
            }
            loop {
                indent(out, level + 1);
                if *open == '{' {
                    if let Some(Tok::Atom(key)) = toks.get(*i) {
                        out.push_str(key);
                        out.push_str(": ");
                    }
                    *i += 2; // the key and its colon
                }
                value(toks, i, level + 1, out);
                if toks.get(*i) == Some(&Tok::Comma) {
                    out.push(',');
                    *i += 1;
                } else {
                    break;
                }
            }
            indent(out, level);
            out.push(close);
            *i += 1;
        }
        Some(Tok::Atom(a)) => {
            out.push_str(a);
            *i += 1;
        }
        _ => *i += 1,
    }
}

/// An array of scalars at `start` written on one line, and the index after
/// it; `None` for an object or an array holding a container.
fn flat_array(toks: &[Tok<'_>], start: usize) -> Option<(String, usize)> {
    if toks.get(start) != Some(&Tok::Open('[')) {
        return None;
    }
    let mut s = String::from("[");
    let mut i = start + 1;
    loop {
        match toks.get(i)? {
            Tok::Close(']') => return Some((s + "]", i + 1)),
            Tok::Atom(a) => s.push_str(a),
            Tok::Comma => s.push_str(", "),
            _ => return None,
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::format_policy;

    #[test]
    fn reindents_keeping_order_and_spelling() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A \"q\" b","Effect":"Allow",
            "Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*","Condition":{}}],"N":1.50}"#;
        let out = format_policy(text).expect("valid");
        let expected = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "A \"q\" b",
      "Effect": "Allow",
      "Action": ["kms:Decrypt", "kms:DescribeKey"],
      "Resource": "*",
      "Condition": {}
    }
  ],
  "N": 1.50
}
"#;
        assert_eq!(out, expected);
        // Formatting twice changes nothing, and the result is still JSON.
        assert_eq!(format_policy(&out).expect("valid"), out);
        serde_json::from_str::<serde_json::Value>(&out).expect("still JSON");
    }

    #[test]
    fn duplicate_keys_stay_and_long_arrays_break() {
        let actions: Vec<String> = (0..12).map(|n| format!("\"kms:Action{n}\"")).collect();
        let text = format!(
            r#"{{"Effect":"Allow","Effect":"Deny","Action":[{}]}}"#,
            actions.join(",")
        );
        let out = format_policy(&text).expect("valid");
        assert_eq!(out.matches("\"Effect\"").count(), 2, "{out}");
        assert!(out.contains("\n    \"kms:Action0\",\n"), "{out}");
        assert!(out.lines().all(|l| l.chars().count() <= 72), "{out}");
    }

    #[test]
    fn invalid_json_is_refused() {
        let err = format_policy(r#"{"Version": "2012-10-17" "Statement": []}"#).unwrap_err();
        assert!(err.contains("not valid JSON"), "{err}");
        assert!(format_policy("  ").is_err());
    }
}
