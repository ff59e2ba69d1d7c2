//! Untrusted text made inert before it reaches a terminal, a spreadsheet or
//! a Markdown viewer.
//!
//! A scenario file, a pack or a `progress.json` is written by whoever sent
//! it (a student handing in lab work, a downloaded pack). Its strings end up
//! in diagnostics, `eval` reports and exports that an instructor reads in a
//! terminal, where an escape sequence could set the clipboard (OSC 52),
//! retitle the window, clear the screen or hide text, and a bidi override
//! could make `gnp.exe` read as `exe.png`. [`neutralise`] turns every such
//! character into visible, harmless text; [`NeutralWriter`] does the same
//! to a whole output stream.
//!
//! The CLI is meant to wrap its stdout and stderr writers in one
//! [`NeutralWriter`] each, so that every printer is covered in one place;
//! [`crate::core::diag::Diagnostic`]'s `Display` already neutralises its
//! own fields.

use std::borrow::Cow;
use std::io::{self, Write};

/// Whether `c` must not reach a terminal as it is: C0 controls other than
/// `\n` and `\t` (ESC, BEL, CR, ...), DEL, C1 controls (U+0080–U+009F, which
/// some terminals obey as CSI/OSC even in UTF-8), and the bidirectional
/// overrides, embeddings, isolates and marks that reorder what is shown.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}'
        | '\u{b}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// Appends the visible form of `c`: caret notation for C0 controls and DEL
/// (`ESC` → `^[`, `BEL` → `^G`, `DEL` → `^?`), `<U+` and the code point in hex `>` for the rest (U+202E → `<U+202E>`).
fn push_visible(out: &mut String, c: char) {
    let code = u32::from(c);
    if code < 0x20 {
        out.push('^');
        out.push(char::from(b'@' + code as u8));
    } else if code == 0x7f {
        out.push_str("^?");
    } else {
        out.push_str(&format!("<U+{code:04X}>"));
    }
}

/// Where the first character of [`is_unsafe`] starts in UTF-8 `bytes`,
/// found a word and else a byte at a time (the output of `eval --json` passes through here, so
/// it must not decode every character): ASCII controls and DEL, C1 as
/// `C2 80..9F`, U+061C as `D8 9C`, and the bidi marks as `E2 80 8E/8F`,
/// `E2 80 AA..AE` and `E2 81 A6..A9`.
fn first_unsafe(bytes: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < bytes.len() {
        // Printable ASCII, newlines and tabs, the bulk of every report,
        // are skipped 32 and else 8 bytes at once (the four words of a
        // block are tested together, with one branch).
        if let Some(block) = bytes.get(i..i + 32)
            && block.chunks_exact(8).fold(HIGH, |m, w| m & plain_lanes(w)) == HIGH
        {
            i += 32;
            continue;
        }
        if let Some(word) = bytes.get(i..i + 8)
            && plain_ascii(word)
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        if (0x20..0x7f).contains(&b) {
            i += 1;
            continue;
        }
        let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
        let bad = match b {
            b'\n' | b'\t' => false,
            0x00..=0x1f | 0x7f => true,
            0xc2 => (0x80..=0x9f).contains(&next(1)),
            0xd8 => next(1) == 0x9c,
            0xe2 => match next(1) {
                0x80 => matches!(next(2), 0x8e | 0x8f | 0xaa..=0xae),
                0x81 => (0xa6..=0xa9).contains(&next(2)),
                _ => false,
            },
            _ => false,
        };
        if bad {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Whether all eight bytes are printable ASCII (0x20..=0x7E), a newline
/// or a tab, tested on the word at once. Each test works on the low seven
/// bits of every byte, so no sum carries into the next byte.
fn plain_ascii(word: &[u8]) -> bool {
    plain_lanes(word) == HIGH
}

const HIGH: u64 = 0x8080_8080_8080_8080;

/// [`plain_ascii`] as a mask: the high bit of each plain byte.
fn plain_lanes(word: &[u8]) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut b = [0u8; 8];
    b.copy_from_slice(word);
    let x = u64::from_le_bytes(b);
    let low = x & !HIGH;
    // High bit set: the byte's low bits are at least 0x20.
    let printable = (low + 0x60 * ONES) & HIGH;
    // High bit set: the low bits are 0x7F (DEL).
    let del = (low + ONES) & HIGH;
    // High bit set: the low bits are exactly `c` (only a zero lane of
    // `low ^ c` stays below 0x80 once 0x7F is added).
    let equal = |c: u64| !((low ^ (c * ONES)) + 0x7f * ONES) & HIGH;
    let kept = (printable & !del) | equal(0x0a) | equal(0x09);
    // A byte at or above 0x80 is never plain.
    kept & !x
}

/// `text` with every character of [`is_unsafe`] replaced by a visible,
/// inert form (`ESC` → `^[`, U+202E → `<U+202E>`); borrowed when nothing
/// needed changing. Newlines and tabs are kept.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    let Some(first) = first_unsafe(text.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    let mut at = Some(first);
    // Copy the safe stretches whole and decode only the unsafe characters.
    while let Some(i) = at {
        out.push_str(&rest[..i]);
        let mut chars = rest[i..].chars();
        if let Some(c) = chars.next() {
            push_visible(&mut out, c);
        }
        rest = chars.as_str();
        at = first_unsafe(rest.as_bytes());
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The SGR parameters [`NeutralWriter::with_colour`] lets through: reset,
/// bold, dim, normal intensity, the eight basic foreground colours and the
/// default foreground.
pub const SAFE_SGR: [u8; 13] = [0, 1, 2, 22, 30, 31, 32, 33, 34, 35, 36, 37, 39];

/// The length of the allow-listed SGR sequence `text` starts with, or 0.
fn safe_sgr_len(text: &str) -> usize {
    let Some(body) = text.strip_prefix("\u{1b}[") else {
        return 0;
    };
    let Some(end) = body.find('m') else {
        return 0;
    };
    let params = &body[..end];
    let safe = params.len() <= 16
        && params
            .split(';')
            .all(|p| p.is_empty() || p.parse::<u8>().is_ok_and(|n| SAFE_SGR.contains(&n)));
    if safe { 2 + end + 1 } else { 0 }
}

/// A writer that passes everything through [`neutralise`] on its way to
/// `W`. Bytes are decoded as UTF-8 across `write` calls (a character split
/// between two writes is kept until it is whole); bytes that are not UTF-8
/// become U+FFFD, so a raw 8-bit C1 byte (0x9B) cannot reach the terminal
/// either.
///
/// This is the one place CLI output should go through: wrap stdout and
/// stderr once, and every printer is covered.
///
/// [`NeutralWriter::with_colour`] lets the product's own colour through:
/// an SGR sequence (`ESC [ params m`) whose every parameter is one of
/// [`SAFE_SGR`] (bold, dim, the basic foreground colours, reset). Those
/// cannot move the cursor, write the clipboard, retitle the window or hide
/// text; anything else, or any escape at all without colour, is shown.
#[derive(Debug)]
pub struct NeutralWriter<W: Write> {
    inner: Option<W>,
    /// Whether the allow-listed colour sequences pass (a colour terminal).
    colour: bool,
    /// The start of a UTF-8 sequence the last write ended in (at most 3
    /// bytes).
    pending: Vec<u8>,
}

impl<W: Write> NeutralWriter<W> {
    /// Wraps `inner`; no escape sequence passes.
    pub fn new(inner: W) -> Self {
        Self::with_colour(inner, false)
    }

    /// Wraps `inner`; with `colour`, the colour sequences of [`SAFE_SGR`]
    /// pass as they are (for a terminal that shows colour).
    pub fn with_colour(inner: W, colour: bool) -> Self {
        NeutralWriter {
            inner: Some(inner),
            colour,
            pending: Vec::new(),
        }
    }

    /// Writes what is still pending (an incomplete character, as U+FFFD)
    /// and returns the inner writer.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.finish()?;
        self.inner
            .take()
            .ok_or_else(|| io::Error::other("writer already taken"))
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.pending.clear();
        match &mut self.inner {
            Some(w) => w.write_all("\u{fffd}".as_bytes()),
            None => Ok(()),
        }
    }

    fn emit(&mut self, text: &str) -> io::Result<()> {
        let Some(w) = &mut self.inner else {
            return Ok(());
        };
        if !self.colour {
            return w.write_all(neutralise(text).as_bytes());
        }
        let mut rest = text;
        while let Some(at) = rest.find('\u{1b}') {
            w.write_all(neutralise(&rest[..at]).as_bytes())?;
            let after = &rest[at..];
            let len = safe_sgr_len(after);
            if len > 0 {
                w.write_all(&after.as_bytes()[..len])?;
                rest = &after[len..];
            } else {
                w.write_all(b"^[")?;
                rest = &after[1..];
            }
        }
        w.write_all(neutralise(rest).as_bytes())
    }
}

impl<W: Write> Write for NeutralWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Only a character cut by the last write is carried over; without
        // one, `buf` is read where it is.
        let carried;
        let mut rest = if self.pending.is_empty() {
            buf
        } else {
            let mut bytes = std::mem::take(&mut self.pending);
            bytes.extend_from_slice(buf);
            carried = bytes;
            carried.as_slice()
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    self.emit(text)?;
                    break;
                }
                Err(e) => {
                    let (good, after) = rest.split_at(e.valid_up_to());
                    // `good` is valid UTF-8 by construction.
                    self.emit(std::str::from_utf8(good).unwrap_or_default())?;
                    match e.error_len() {
                        Some(n) => {
                            self.emit("\u{fffd}")?;
                            rest = &after[n..];
                        }
                        None => {
                            // A character cut by the end of this write.
                            self.pending = after.to_vec();
                            break;
                        }
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl<W: Write> Drop for NeutralWriter<W> {
    fn drop(&mut self) {
        let _ = self.finish();
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn only_the_products_colours_pass_and_only_on_a_colour_terminal() {
        let text = "\u{1b}[1;32mALLOW\u{1b}[0m \u{1b}]52;c;aGk=\u{7} \u{1b}[8mhidden\u{1b}[2J";
        let mut coloured = NeutralWriter::with_colour(Vec::new(), true);
        coloured.write_all(text.as_bytes()).expect("write");
        let shown = String::from_utf8(coloured.into_inner().expect("inner")).expect("utf8");
        assert_eq!(
            shown,
            "\u{1b}[1;32mALLOW\u{1b}[0m ^[]52;c;aGk=^G ^[[8mhidden^[[2J"
        );
        let mut plain = NeutralWriter::new(Vec::new());
        plain.write_all(b"\x1b[1;32mALLOW").expect("write");
        let shown = String::from_utf8(plain.into_inner().expect("inner")).expect("utf8");
        assert_eq!(shown, "^[[1;32mALLOW");
    }

    #[test]
    fn escapes_and_controls_become_visible() {
        assert_eq!(neutralise("plain\ttext\n"), "plain\ttext\n");
        assert!(matches!(neutralise("ok"), Cow::Borrowed(_)));
        assert_eq!(
            neutralise("\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J"),
            "^[]52;c;cHduZWQ=^G^[[2J"
        );
        assert_eq!(neutralise("a\rb\u{7f}\u{0}"), "a^Mb^?^@");
        assert_eq!(neutralise("\u{9b}31m\u{9d}0;x"), "<U+009B>31m<U+009D>0;x");
        assert_eq!(
            neutralise("my-class\u{202e}gnp.exe\u{2066}"),
            "my-class<U+202E>gnp.exe<U+2066>"
        );
        assert_eq!(neutralise("ünï € 👩‍👩‍👧"), "ünï € 👩‍👩‍👧");
    }

    #[test]
    fn the_writer_keeps_characters_split_across_writes() {
        let mut out = Vec::new();
        {
            let mut w = NeutralWriter::new(&mut out);
            let text = "é\u{202e}x\u{1b}[1m€".as_bytes();
            for b in text {
                w.write_all(&[*b]).expect("write");
            }
            w.write_all(b"\xc2\x9b bad \xff end \xe2\x82")
                .expect("write");
        }
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "é<U+202E>x^[[1m€<U+009B> bad \u{fffd} end \u{fffd}"
        );
    }

    fn forbidden(c: char) -> bool {
        let code = u32::from(c);
        (code < 0x20 && c != '\n' && c != '\t')
            || (0x7f..=0x9f).contains(&code)
            || (0x202a..=0x202e).contains(&code)
            || (0x2066..=0x2069).contains(&code)
            || matches!(code, 0x200e | 0x200f | 0x61c)
    }

    #[test]
    fn the_byte_scan_agrees_with_is_unsafe_on_every_character() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10_ffff_u32).filter_map(char::from_u32) {
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(
                first_unsafe(bytes).is_some(),
                is_unsafe(c),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    #[test]
    fn a_word_is_plain_exactly_when_each_of_its_bytes_is() {
        let plain = |b: u8| (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\t';
        // Every byte value in every lane, beside plain and unplain
        // neighbours (a carry or borrow between lanes would show here).
        for fill in [b'a', b'\n', 0x00, 0x7f, 0x80, 0xff, 0x1f, 0x20] {
            for lane in 0..8 {
                for b in 0..=255u8 {
                    let mut word = [fill; 8];
                    word[lane] = b;
                    assert_eq!(
                        plain_ascii(&word),
                        word.iter().all(|&w| plain(w)),
                        "{word:02x?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_word_at_a_time_scan_finds_a_character_at_every_position() {
        let chars = (0..0x800u32)
            .chain(0x2000..0x2070)
            .chain([0x61c, 0xfeff, 0x1_f600])
            .filter_map(char::from_u32);
        for c in chars {
            for k in 0..17 {
                let text = format!("{}{c}{}", "a".repeat(k), "b".repeat(9));
                let want = if is_unsafe(c) { Some(k) } else { None };
                assert_eq!(
                    first_unsafe(text.as_bytes()),
                    want,
                    "U+{:04X} after {k}",
                    u32::from(c)
                );
            }
        }
    }

    proptest! {
        #[test]
        fn no_output_contains_a_control_or_bidi_character(
            text in proptest::collection::vec(
                prop_oneof![
                    any::<char>(),
                    (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap_or('x')),
                    (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap_or('x')),
                    (0x202au32..0x202f).prop_map(|c| char::from_u32(c).unwrap_or('x')),
                    (0x2066u32..0x206a).prop_map(|c| char::from_u32(c).unwrap_or('x')),
                    prop_oneof![Just('\u{200e}'), Just('\u{200f}'), Just('\u{61c}'), Just('\u{2019}'), Just('\u{620}')],
                ],
                0..64,
            ).prop_map(|v| v.into_iter().collect::<String>()),
            cut in any::<usize>(),
        ) {
            let out = neutralise(&text);
            prop_assert!(!out.chars().any(forbidden), "{out:?}");
            // The stretch-by-stretch copy gives what a character-by-character
            // pass would.
            let mut slow = String::new();
            for c in text.chars() {
                if is_unsafe(c) {
                    push_visible(&mut slow, c);
                } else {
                    slow.push(c);
                }
            }
            prop_assert_eq!(&slow, &*out);
            let bytes = text.as_bytes();
            let cut = if bytes.is_empty() { 0 } else { cut % bytes.len() };
            let mut written = Vec::new();
            {
                let mut w = NeutralWriter::new(&mut written);
                w.write_all(&bytes[..cut]).expect("write");
                w.write_all(&bytes[cut..]).expect("write");
            }
            prop_assert_eq!(String::from_utf8(written).expect("utf8"), out.into_owned());
        }
    }
}
