//! A serde serializer that writes serde_json's pretty layout (two spaces a
//! level, `"key": value`) byte for byte, for the few shapes the `--json`
//! document has: structs, sequences, pairs, strings, integers, booleans
//! and `null`. It exists for speed: strings are escaped a word at a time
//! (serde_json tests every byte against a table), which was the largest
//! single cost of writing the document.

use std::fmt;

use serde::ser::{self, Impossible, Serialize};

/// Writes into `out`, starting `depth` levels into a document.
pub(super) struct Pretty<'o> {
    out: &'o mut Vec<u8>,
    depth: usize,
}

impl<'o> Pretty<'o> {
    pub(super) fn at(out: &'o mut Vec<u8>, depth: usize) -> Self {
        Pretty { out, depth }
    }

    fn newline(&mut self, comma: bool) {
        const SPACES: &[u8; 64] = &[b' '; 64];
        self.out
            .extend_from_slice(if comma { b",\n" } else { b"\n" });
        let mut n = self.depth * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            self.out.extend_from_slice(&SPACES[..k]);
            n -= k;
        }
    }

    fn open(&mut self, b: u8) -> Compound<'_, 'o> {
        self.depth += 1;
        self.out.push(b);
        Compound {
            to: self,
            first: true,
        }
    }
}

/// A shape the document never has (a float, a map, an enum variant).
#[derive(Debug)]
pub(super) struct Unsupported(String);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Unsupported(msg.to_string())
    }
}

fn unsupported<T>(what: &str) -> Result<T, Unsupported> {
    Err(Unsupported(format!("the --json writer has no {what}")))
}

/// Escapes `s` as serde_json does: `"`, `\` and the C0 controls (`\n`,
/// `\t`, `\r`, `\b`, `\f` by name, the rest as `\u00xx`); everything else,
/// DEL and non-ASCII included, as it is.
pub(super) fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // `run` starts the bytes not yet copied; `i` is where to look next.
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let found = match bytes.get(i..i + 8) {
            // A word at a time: straight to its first byte to escape.
            Some(word) => match escape_mask(word) {
                0 => {
                    i += 8;
                    continue;
                }
                mask => i + (mask.trailing_zeros() / 8) as usize,
            },
            None => i,
        };
        i = found + 1;
        let Some(&b) = bytes.get(found) else { break };
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\t' => b"\\t",
            b'\r' => b"\\r",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => &[],
            _ => continue,
        };
        out.extend_from_slice(&bytes[run..found]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]);
        } else {
            out.extend_from_slice(escape);
        }
        run = i;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

/// The high bit of each of the eight bytes that is `"`, `\` or below
/// 0x20. Each test works on the low seven bits of every byte, so no sum
/// carries into the next byte, and bytes at or above 0x80 never need
/// escaping.
fn escape_mask(word: &[u8]) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut b = [0u8; 8];
    b.copy_from_slice(word);
    let x = u64::from_le_bytes(b);
    let low = x & !HIGH;
    let control = !(low + 0x60 * ONES) & HIGH;
    let equal = |c: u64| !((low ^ (c * ONES)) + 0x7f * ONES) & HIGH;
    (control | equal(u64::from(b'"')) | equal(u64::from(b'\\'))) & !x
}

fn write_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// An open object or array: whether it has no element yet.
pub(super) struct Compound<'p, 'o> {
    to: &'p mut Pretty<'o>,
    first: bool,
}

impl Compound<'_, '_> {
    fn element(&mut self) {
        let comma = !self.first;
        self.first = false;
        self.to.newline(comma);
    }

    fn close(self, b: u8) {
        self.to.depth -= 1;
        if !self.first {
            self.to.newline(false);
        }
        self.to.out.push(b);
    }
}

impl<'p, 'o> ser::Serializer for &'p mut Pretty<'o> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'p, 'o>;
    type SerializeTuple = Compound<'p, 'o>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Compound<'p, 'o>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        if v < 0 {
            self.out.push(b'-');
        }
        write_u64(self.out, v.unsigned_abs());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        write_u64(self.out, v);
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Unsupported> {
        unsupported("floats")
    }
    fn serialize_f64(self, _: f64) -> Result<(), Unsupported> {
        unsupported("floats")
    }
    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unsupported> {
        unsupported("bytes")
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        self.serialize_unit()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        unsupported("enum variants")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'p, 'o>, Unsupported> {
        Ok(self.open(b'['))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'p, 'o>, Unsupported> {
        Ok(self.open(b'['))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        unsupported("tuple structs")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        unsupported("enum variants")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        unsupported("maps")
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'p, 'o>, Unsupported> {
        Ok(self.open(b'{'))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        unsupported("enum variants")
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.element();
        value.serialize(&mut *self.to)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close(b']');
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Unsupported> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.element();
        // The keys are the document's own names: nothing to escape.
        let out = &mut *self.to.out;
        out.push(b'"');
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\": ");
        value.serialize(&mut *self.to)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(serde::Serialize)]
    struct Shape<'a> {
        text: &'a str,
        n: Option<usize>,
        flag: bool,
        pair: Option<[usize; 2]>,
        list: Vec<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<i64>,
        nested: Vec<Inner>,
        empty: Vec<Inner>,
    }

    #[derive(serde::Serialize)]
    struct Inner {
        value: i64,
    }

    fn ours<T: Serialize>(v: &T, depth: usize) -> String {
        let mut out = Vec::new();
        v.serialize(&mut Pretty::at(&mut out, depth))
            .expect("serialisable");
        String::from_utf8(out).expect("utf8")
    }

    proptest! {
        #[test]
        fn the_layout_and_escapes_are_serde_jsons(
            text in proptest::collection::vec(any::<char>(), 0..40)
                .prop_map(|v| v.into_iter().collect::<String>()),
            ascii in "[\"\\\\\\x00-\\x1f a-z\\x7f]{0,40}",
            n in proptest::option::of(any::<usize>()),
            value in any::<i64>(),
            flag in any::<bool>(),
            skipped in proptest::option::of(any::<i64>()),
            items in 0usize..3,
        ) {
            let list: Vec<&str> = [text.as_str(), ascii.as_str()].into_iter().take(items).collect();
            let shape = Shape {
                text: &text,
                n,
                flag,
                pair: n.map(|n| [n, 7]),
                list,
                skipped,
                nested: (0..items as i64).map(|i| Inner { value: value.wrapping_add(i) }).collect(),
                empty: Vec::new(),
            };
            let want = serde_json::to_string_pretty(&shape).expect("json");
            prop_assert_eq!(ours(&shape, 0), want);
            prop_assert_eq!(ours(&ascii, 0), serde_json::to_string(&ascii).expect("json"));
        }
    }

    #[test]
    fn a_value_nested_deeper_is_indented_from_its_depth() {
        let v = Inner { value: -3 };
        assert_eq!(ours(&v, 2), "{\n      \"value\": -3\n    }");
        assert_eq!(ours(&Vec::<Inner>::new(), 2), "[]");
    }
}
