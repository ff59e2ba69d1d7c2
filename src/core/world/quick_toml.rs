//! A fast reader for the plain TOML that scenario files are written in:
//! `key = value` lines, `[[name]]` headers, strings, integers, booleans,
//! arrays and one-line inline tables. It reads such a file about four
//! times faster than the `toml` crate, which was the largest single cost
//! of `keyshake eval` over many files.
//!
//! It is only a first try. On anything else (a `[table]` header, a dotted
//! key, a float or date, an escape it does not know, a duplicate key, a
//! carriage return, a type the structs refuse) it gives up, and
//! [`super::recover::parse`] reads the file with the `toml` crate, which
//! also gives the error messages. What it does read, it reads as the
//! `toml` crate does, spans included: `tests/it` and the property tests
//! below compare the two on every file of the repository and on generated
//! documents.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

/// `text` read into `T`, or `None` if this reader cannot or may not.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let root = Reader::new(text).document()?;
    T::deserialize(De(&root)).ok()
}

/// A value and the bytes it was read from (with its quotes or brackets;
/// for a `[[name]]` table, its header).
#[derive(Debug)]
struct Node<'a> {
    value: Value<'a>,
    span: Range<usize>,
}

#[derive(Debug)]
enum Value<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Bool(bool),
    Array(Vec<Node<'a>>),
    Table(Vec<(Cow<'a, str>, Node<'a>)>),
}

/// "Not read here": the `toml` crate reads the file instead.
type Got<T> = Option<T>;

struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            text,
            b: text.as_bytes(),
            at: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.at).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.at += usize::from(hit);
        hit
    }

    fn spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// A comment, if one starts here, up to (not through) its newline.
    fn comment(&mut self) -> Got<()> {
        if self.eat(b'#') {
            let rest = self.b.get(self.at..)?;
            let len = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            let body = rest.get(..len)?;
            if body.iter().any(|&c| (c < 0x20 && c != b'\t') || c == 0x7f) {
                return None;
            }
            self.at += len;
        }
        Some(())
    }

    /// Spaces, a comment and the end of the line (or of the text).
    fn end_of_line(&mut self) -> Got<()> {
        self.spaces();
        self.comment()?;
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.at += 1;
                Some(())
            }
            Some(_) => None,
        }
    }

    /// Blank lines, comments and newlines between values of an array.
    fn gaps(&mut self) -> Got<()> {
        loop {
            self.spaces();
            self.comment()?;
            if !self.eat(b'\n') {
                return Some(());
            }
        }
    }

    fn document(mut self) -> Got<Node<'a>> {
        if self.text.contains('\r') {
            return None;
        }
        let mut root: Vec<(Cow<'a, str>, Node<'a>)> = Vec::new();
        // The `[[name]]` being filled: its index in `root`.
        let mut current: Option<usize> = None;
        let mut headed: Vec<usize> = Vec::new();
        loop {
            self.gaps()?;
            match self.peek() {
                None => break,
                Some(b'[') => current = Some(self.header(&mut root, &mut headed)?),
                Some(_) => {
                    let table = match current {
                        None => &mut root,
                        Some(i) => last_table(root.get_mut(i)?)?,
                    };
                    let (key, node) = self.key_value()?;
                    insert(table, key, node)?;
                    self.end_of_line()?;
                }
            }
        }
        Some(Node {
            value: Value::Table(root),
            span: 0..self.text.len(),
        })
    }

    /// A `[[name]]` header: a new table at the end of array `name`;
    /// `headed` lists the entries of `root` that headers made (only those
    /// grow: `name = [...]` before `[[name]]` is the toml crate's error).
    fn header(
        &mut self,
        root: &mut Vec<(Cow<'a, str>, Node<'a>)>,
        headed: &mut Vec<usize>,
    ) -> Got<usize> {
        let start = self.at;
        if !(self.eat(b'[') && self.eat(b'[')) {
            return None;
        }
        self.spaces();
        let name = self.bare_key()?;
        self.spaces();
        if !(self.eat(b']') && self.eat(b']')) {
            return None;
        }
        let span = start..self.at;
        self.end_of_line()?;
        let table = Node {
            value: Value::Table(Vec::new()),
            span: span.clone(),
        };
        let at = match root.iter().position(|(k, _)| *k == name) {
            Some(i) if headed.contains(&i) => i,
            Some(_) => return None,
            None => {
                let array = Value::Array(Vec::new());
                root.push((name, Node { value: array, span }));
                headed.push(root.len() - 1);
                root.len() - 1
            }
        };
        match root.get_mut(at).map(|(_, n)| &mut n.value) {
            Some(Value::Array(items)) => items.push(table),
            _ => return None,
        }
        Some(at)
    }

    fn bare_key(&mut self) -> Got<Cow<'a, str>> {
        let start = self.at;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        {
            self.at += 1;
        }
        (self.at > start).then(|| Cow::Borrowed(&self.text[start..self.at]))
    }

    fn key(&mut self) -> Got<Cow<'a, str>> {
        let key = match self.peek()? {
            b'"' => self.basic_string()?,
            b'\'' => self.literal_string()?,
            _ => self.bare_key()?,
        };
        self.spaces();
        // A dotted key is left to the toml crate.
        (self.peek() != Some(b'.')).then_some(key)
    }

    fn key_value(&mut self) -> Got<(Cow<'a, str>, Node<'a>)> {
        let key = self.key()?;
        if !self.eat(b'=') {
            return None;
        }
        self.spaces();
        Some((key, self.value()?))
    }

    fn value(&mut self) -> Got<Node<'a>> {
        let start = self.at;
        let value = match self.peek()? {
            b'"' if self.b.get(start..start + 3) == Some(b"\"\"\"") => {
                Value::Str(self.ml_basic_string()?)
            }
            b'"' => Value::Str(self.basic_string()?),
            b'\'' if self.b.get(start..start + 3) == Some(b"'''") => {
                Value::Str(self.ml_literal_string()?)
            }
            b'\'' => Value::Str(self.literal_string()?),
            b'[' => Value::Array(self.array()?),
            b'{' => Value::Table(self.inline_table()?),
            b't' | b'f' => Value::Bool(self.boolean()?),
            _ => Value::Int(self.integer()?),
        };
        Some(Node {
            value,
            span: start..self.at,
        })
    }

    fn boolean(&mut self) -> Got<bool> {
        for (word, v) in [("true", true), ("false", false)] {
            if self.text[self.at..].starts_with(word) {
                self.at += word.len();
                return self.delimited().then_some(v);
            }
        }
        None
    }

    /// Whether a scalar ends here (not a float, a date or a bare word).
    fn delimited(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(b' ' | b'\t' | b'\n' | b'#' | b',' | b']' | b'}')
        )
    }

    fn integer(&mut self) -> Got<i64> {
        let start = self.at;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.at += 1;
        }
        let digits = self.at;
        while matches!(self.peek(), Some(c) if c.is_ascii_digit()) {
            self.at += 1;
        }
        let n = self.at - digits;
        // No leading zero, no `_`, `0x`, `.5` or date: those are the
        // toml crate's.
        if n == 0 || (n > 1 && self.b.get(digits) == Some(&b'0')) || !self.delimited() {
            return None;
        }
        self.text[start..self.at].parse().ok()
    }

    fn array(&mut self) -> Got<Vec<Node<'a>>> {
        self.eat(b'[');
        let mut items = Vec::new();
        loop {
            self.gaps()?;
            if self.eat(b']') {
                return Some(items);
            }
            items.push(self.value()?);
            self.gaps()?;
            if !self.eat(b',') {
                self.gaps()?;
                return self.eat(b']').then_some(items);
            }
        }
    }

    /// `{ key = value, ... }` on one line, without a trailing comma.
    fn inline_table(&mut self) -> Got<Vec<(Cow<'a, str>, Node<'a>)>> {
        self.eat(b'{');
        let mut entries = Vec::new();
        self.spaces();
        if self.eat(b'}') {
            return Some(entries);
        }
        loop {
            self.spaces();
            let (key, node) = self.key_value()?;
            insert(&mut entries, key, node)?;
            self.spaces();
            if self.eat(b'}') {
                return Some(entries);
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn literal_string(&mut self) -> Got<Cow<'a, str>> {
        self.eat(b'\'');
        let start = self.at;
        while let Some(c) = self.peek() {
            match c {
                b'\'' => {
                    self.at += 1;
                    return Some(Cow::Borrowed(&self.text[start..self.at - 1]));
                }
                c if (c < 0x20 && c != b'\t') || c == 0x7f => return None,
                _ => self.at += 1,
            }
        }
        None
    }

    fn ml_literal_string(&mut self) -> Got<Cow<'a, str>> {
        self.at += 3;
        self.eat(b'\n');
        let start = self.at;
        let rest = self.b.get(start..)?;
        let end = start + memchr::memmem::find(rest, b"'''")?;
        // `''''` ends with a quote in the string: the toml crate's.
        if self.b.get(end + 3) == Some(&b'\'') {
            return None;
        }
        let body = &self.text[start..end];
        if body
            .bytes()
            .any(|c| (c < 0x20 && c != b'\t' && c != b'\n') || c == 0x7f)
        {
            return None;
        }
        self.at = end + 3;
        Some(Cow::Borrowed(body))
    }

    fn basic_string(&mut self) -> Got<Cow<'a, str>> {
        self.eat(b'"');
        self.basic_body(false)
    }

    fn ml_basic_string(&mut self) -> Got<Cow<'a, str>> {
        self.at += 3;
        self.eat(b'\n');
        let s = self.basic_body(true)?;
        // `""""` ends with a quote in the string: the toml crate's.
        (self.peek() != Some(b'"')).then_some(s)
    }

    /// A basic string's characters up to its closing quote (`"""` when
    /// `multiline`), escapes decoded.
    fn basic_body(&mut self, multiline: bool) -> Got<Cow<'a, str>> {
        let mut owned: Option<String> = None;
        let mut run = self.at;
        loop {
            // Straight to the next quote, backslash or control character.
            let rest = self.b.get(self.at..)?;
            let n = rest
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20 || c == 0x7f)?;
            self.at += n;
            match rest.get(n)? {
                b'"' if !multiline || rest.get(n..n + 3) == Some(b"\"\"\"") => {
                    let tail = &self.text[run..self.at];
                    self.at += if multiline { 3 } else { 1 };
                    return Some(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..self.at]);
                    s.push(self.escape()?);
                    run = self.at;
                }
                b'"' | b'\t' => self.at += 1,
                b'\n' if multiline => self.at += 1,
                _ => return None,
            }
        }
    }

    /// One escape (the backslash is at `at`); TOML 1.1's `\e` and `\x`,
    /// and a line-ending backslash, are the toml crate's.
    fn escape(&mut self) -> Got<char> {
        let c = *self.b.get(self.at + 1)?;
        self.at += 2;
        let simple = match c {
            b'b' => '\u{8}',
            b't' => '\t',
            b'n' => '\n',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'"' => '"',
            b'\\' => '\\',
            b'u' => return self.hex(4),
            b'U' => return self.hex(8),
            _ => return None,
        };
        Some(simple)
    }

    fn hex(&mut self, digits: usize) -> Got<char> {
        let text = self.text.get(self.at..self.at + digits)?;
        if !text.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.at += digits;
        char::from_u32(u32::from_str_radix(text, 16).ok()?)
    }
}

/// The table that the last `[[name]]` of array `entry` opened.
fn last_table<'t, 'a>(
    entry: &'t mut (Cow<'a, str>, Node<'a>),
) -> Got<&'t mut Vec<(Cow<'a, str>, Node<'a>)>> {
    match &mut entry.1.value {
        Value::Array(items) => match items.last_mut().map(|n| &mut n.value) {
            Some(Value::Table(t)) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

/// Adds `key`; a key given twice is the toml crate's error.
fn insert<'a>(
    table: &mut Vec<(Cow<'a, str>, Node<'a>)>,
    key: Cow<'a, str>,
    node: Node<'a>,
) -> Got<()> {
    if table.iter().any(|(k, _)| *k == key) {
        return None;
    }
    table.push((key, node));
    Some(())
}

/// Why the structs refused what was read (never shown: the toml crate
/// reads the file again and says why).
#[derive(Debug)]
struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("refused")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Refused
    }
}

#[derive(Clone, Copy)]
struct De<'n, 'a>(&'n Node<'a>);

impl<'de> IntoDeserializer<'de, Refused> for De<'_, '_> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for De<'_, '_> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match &self.0.value {
            Value::Str(s) => visitor.visit_str(s),
            Value::Int(n) => visitor.visit_i64(*n),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Array(items) => visitor.visit_seq(Items(items.iter())),
            Value::Table(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Refused> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refused> {
        if serde_spanned::de::is_spanned(name) {
            let span = self.0.span.clone();
            return visitor.visit_map(serde_spanned::de::SpannedDeserializer::new(self, span));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Refused> {
        Err(Refused)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map
        identifier ignored_any
    }
}

struct Items<'n, 'a>(std::slice::Iter<'n, Node<'a>>);

impl<'de> de::SeqAccess<'de> for Items<'_, '_> {
    type Error = Refused;
    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Refused> {
        self.0.next().map(|n| seed.deserialize(De(n))).transpose()
    }
}

struct Entries<'n, 'a> {
    entries: std::slice::Iter<'n, (Cow<'a, str>, Node<'a>)>,
    value: Option<&'n Node<'a>>,
}

impl<'de> de::MapAccess<'de> for Entries<'_, '_> {
    type Error = Refused;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Refused> {
        let Some((k, v)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(v);
        let key: de::value::StrDeserializer<'_, Refused> = k.as_ref().into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Refused> {
        let node = self.value.take().ok_or(Refused)?;
        seed.deserialize(De(node))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Deserialize;
    use toml::Spanned;

    /// Every value of a document with its span, at every depth.
    #[derive(Debug, PartialEq)]
    enum Tree {
        Str(String),
        Int(i64),
        Bool(bool),
        Array(Vec<Spanned<Tree>>),
        Table(BTreeMap<String, Spanned<Tree>>),
    }

    impl<'de> Deserialize<'de> for Tree {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(TreeVisitor)
        }
    }

    struct TreeVisitor;

    impl<'de> serde::de::Visitor<'de> for TreeVisitor {
        type Value = Tree;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a TOML value")
        }
        fn visit_str<E>(self, v: &str) -> Result<Tree, E> {
            Ok(Tree::Str(v.to_string()))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Tree, E> {
            Ok(Tree::Int(v))
        }
        fn visit_bool<E>(self, v: bool) -> Result<Tree, E> {
            Ok(Tree::Bool(v))
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Tree, A::Error> {
            let mut items = Vec::new();
            while let Some(x) = a.next_element()? {
                items.push(x);
            }
            Ok(Tree::Array(items))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Tree, A::Error> {
            let mut entries = BTreeMap::new();
            while let Some((k, v)) = a.next_entry()? {
                entries.insert(k, v);
            }
            Ok(Tree::Table(entries))
        }
    }

    /// `Some(agrees)` when the quick reader reads `text`, `None` when it
    /// leaves it to the toml crate.
    fn agrees(text: &str) -> Option<Result<(), String>> {
        let quick: Tree = super::from_str(text)?;
        Some(match toml::from_str::<Tree>(text) {
            Ok(slow) if slow == quick => Ok(()),
            Ok(slow) => Err(format!("quick {quick:?}\ntoml {slow:?}")),
            Err(e) => Err(format!("the toml crate refuses it: {e}")),
        })
    }

    fn toml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                toml_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_file_of_the_repository_reads_as_the_toml_crate_reads_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["tests", "content", "docs", "assets"] {
            toml_files(&root.join(dir), &mut files);
        }
        let (mut read, mut scenarios, mut read_scenarios) = (0, 0, 0);
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let scenario = path.to_string_lossy().contains("tests/scenarios/");
            scenarios += usize::from(scenario);
            if let Some(r) = agrees(&text) {
                assert_eq!(r, Ok(()), "{}", path.display());
                read += 1;
                read_scenarios += usize::from(scenario);
            }
        }
        assert!(files.len() > 250, "{} files", files.len());
        assert!(
            read > 150,
            "the quick reader read {read} of {} files",
            files.len()
        );
        // The engine's own scenarios are the plain TOML it is for.
        assert_eq!(read_scenarios, scenarios);
    }

    #[test]
    fn what_it_leaves_to_the_toml_crate() {
        for text in [
            "[lab]\na = 1\n",
            "a.b = 1\n",
            "a = 1.5\n",
            "a = 1979-05-27\n",
            "a = 0x1f\n",
            "a = 1_000\n",
            "a = \"\\e\"\n",
            "a = \"\\x41\"\n",
            "a = 'x'\r\n",
            "a = 1\na = 2\n",
            "a = []\n[[a]]\n",
            "a = { b = 1, }\n",
            "a = { b = 1,\n c = 2 }\n",
            "a = '''x''''\n",
            "a = \"\"\"x\"\"\"\"\n",
            "a = \"\"\"x \\\n y\"\"\"\n",
            "a = \"tab\u{1}\"\n",
            "# comment \u{7f}\na = 1\n",
            "a = 01\n",
            "a = 1 b = 2\n",
        ] {
            assert!(super::from_str::<Tree>(text).is_none(), "{text:?}");
        }
    }

    /// A piece of a basic string: with `exotic`, also escapes and
    /// characters the quick reader leaves to the toml crate (or that no
    /// reader accepts).
    fn basic_char(exotic: bool) -> BoxedStrategy<String> {
        let plain = prop_oneof![
            6 => "[a-zA-Z0-9 :/*.,#=\\[\\]{}'-]",
            1 => Just("\\\"".to_string()),
            1 => Just("\\\\".to_string()),
            1 => Just("\\n".to_string()),
            1 => Just("\\t".to_string()),
            1 => Just("\\u00e9".to_string()),
            1 => Just("\\U0001F600".to_string()),
            1 => Just("é→".to_string()),
            1 => Just("\t".to_string()),
        ];
        if !exotic {
            return plain.boxed();
        }
        prop_oneof![
            4 => plain,
            1 => prop_oneof![
                Just("\\e"), Just("\\x41"), Just("\\q"), Just("\\ud800"), Just("\u{1}"),
                Just("\""), Just("\u{7f}"),
            ]
            .prop_map(str::to_string),
        ]
        .boxed()
    }

    fn scalar(exotic: bool) -> BoxedStrategy<String> {
        let plain = prop_oneof![
            proptest::collection::vec(basic_char(exotic), 0..6)
                .prop_map(|v| format!("\"{}\"", v.concat())),
            "[a-z \"\\\\:]{0,8}".prop_map(|s| format!("'{s}'")),
            "(\n)?[a-z\n'\"\\\\]{0,12}".prop_map(|s| format!("'''{s}'''")),
            proptest::collection::vec(
                prop_oneof![basic_char(exotic), Just("\n".to_string())],
                0..6
            )
            .prop_map(|v| format!("\"\"\"{}\"\"\"", v.concat())),
            "[+-]?(0|[1-9][0-9]{0,17})",
            prop_oneof![Just("true"), Just("false")].prop_map(str::to_string),
        ];
        if !exotic {
            return plain.boxed();
        }
        prop_oneof![
            4 => plain,
            1 => "[+-]?(0[0-9]|[0-9]_[0-9]|0x1f|1\\.5|1e3|99999999999999999999|trueish|1979-05-27|inf)",
        ]
        .boxed()
    }

    fn value(depth: u32, exotic: bool) -> BoxedStrategy<String> {
        if depth == 0 {
            return scalar(exotic);
        }
        let gap = prop_oneof![
            Just(""),
            Just(" "),
            Just("\n"),
            Just(" # note\n  "),
            Just("\t")
        ];
        prop_oneof![
            3 => scalar(exotic),
            1 => (
                proptest::collection::vec((value(depth - 1, exotic), gap.clone()), 0..4),
                gap,
                any::<bool>(),
            )
                .prop_map(|(items, g, trailing)| {
                    let body: Vec<String> =
                        items.into_iter().map(|(v, g)| format!("{g}{v}")).collect();
                    let comma = if trailing && !body.is_empty() { "," } else { "" };
                    format!("[{}{comma}{g}]", body.join(","))
                }),
            1 => proptest::collection::vec((key(exotic), value(depth - 1, exotic)), 0..3)
                .prop_map(|kv| {
                    let body: Vec<String> =
                        kv.into_iter().map(|(k, v)| format!("{k} = {v}")).collect();
                    format!("{{ {} }}", body.join(", "))
                }),
        ]
        .boxed()
    }

    fn key(exotic: bool) -> BoxedStrategy<String> {
        let plain = prop_oneof![
            3 => "[a-c]{1,2}",
            1 => "\"[a-c:.é ]{0,3}\"",
            1 => "'[a-c:.]{1,3}'",
        ];
        if !exotic {
            return plain.boxed();
        }
        prop_oneof![4 => plain, 1 => Just("a.b".to_string())].boxed()
    }

    fn line(exotic: bool) -> BoxedStrategy<String> {
        let tail = if exotic {
            prop_oneof![Just(""), Just("  # c"), Just(" #\u{7f}"), Just(" x")].boxed()
        } else {
            prop_oneof![Just(""), Just("  # c"), Just("\t#")].boxed()
        };
        let headers = if exotic {
            prop_oneof![Just("[[r]]"), Just("[[ s ]]"), Just("[t]"), Just("[[r.x]]")].boxed()
        } else {
            prop_oneof![Just("[[r]]"), Just("[[s]]"), Just("[[ r ]]")].boxed()
        };
        let blank = if exotic {
            prop_oneof![Just(""), Just("# comment"), Just("\r")].boxed()
        } else {
            prop_oneof![Just(""), Just("# comment"), Just("  ")].boxed()
        };
        prop_oneof![
            6 => (key(exotic), value(2, exotic), tail)
                .prop_map(|(k, v, tail)| format!("{k} = {v}{tail}")),
            2 => headers.prop_map(str::to_string),
            1 => blank.prop_map(str::to_string),
        ]
        .boxed()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1500))]
        #[test]
        fn a_document_it_reads_is_read_as_the_toml_crate_reads_it(
            plain in proptest::collection::vec(line(false), 0..10),
            exotic in proptest::collection::vec(line(true), 0..10),
        ) {
            // Mostly plain documents (read here unless a key repeats), and
            // documents with something the quick reader leaves alone.
            for text in [plain.join("\n"), exotic.join("\n")] {
                if let Some(r) = agrees(&text) {
                    prop_assert_eq!(r, Ok(()), "{}", text);
                }
            }
        }
    }
}
