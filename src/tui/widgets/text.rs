//! Small text and layout helpers every screen uses: cutting text to a
//! number of terminal columns, progress bars, a centred rectangle, and a
//! capital first letter.

use ratatui::layout::Rect;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` cut to `width` terminal columns, with an ellipsis (`~` in ASCII)
/// when cut. The cut falls between words, never inside a word or a number
/// (only a single word wider than everything is cut inside). Columns, not
/// characters: a wide character (CJK, most emoji) takes two.
pub fn truncate(text: &str, width: usize, ascii: bool) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let room = width.saturating_sub(1);
    let mut used = 0;
    let mut s = String::new();
    let mut next = None;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            next = Some(c);
            break;
        }
        used += w;
        s.push(c);
    }
    // Inside a word: go back to the last space, if the line has one.
    let mid_word = next.is_some_and(|c| !c.is_whitespace())
        && s.chars().last().is_some_and(|c| !c.is_whitespace());
    if mid_word {
        let space = s.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        // A long path or ARN may end after one of its separators rather
        // than lose the whole of it (its parts stay whole).
        let word = &s[space..];
        // (`key/3b8e1f42-6c0a-…` says more than dropping the key).
        let sep = word
            .char_indices()
            .rfind(|(_, c)| matches!(c, '/' | ':' | '-'))
            .map(|(i, c)| space + i + c.len_utf8());
        match sep {
            Some(at) if word.chars().count() > 12 && at >= space + 8 => s.truncate(at),
            _ if space > 0 => s.truncate(space),
            // One token wider than everything: cut it where it must be.
            _ => {}
        }
    }
    // No dangling opener or separator before the ellipsis.
    let kept = s
        .trim_end_matches(|c: char| c.is_whitespace() || "([{,;:·-–—".contains(c))
        .len();
    if kept > 0 {
        s.truncate(kept);
    }
    s.push_str(if ascii { "~" } else { "…" });
    s
}

/// The mark of a goal (or a whole lab) passing or failing. It never
/// shares a glyph with a verdict (ALLOW ✓ / DENY ✗, ASCII `ok` / `x`):
/// "met" and "allowed" are different questions.
pub fn pass_mark(pass: bool, ascii: bool) -> &'static str {
    match (pass, ascii) {
        (true, false) => "●",
        (false, false) => "○",
        (true, true) => "(+)",
        (false, true) => "(-)",
    }
}

/// A progress bar `width` cells wide, as (filled, empty) parts. Below 100%
/// it never looks full.
pub fn bar(percent: u32, width: usize, ascii: bool) -> (String, String) {
    let full = (usize::try_from(percent).unwrap_or(100) * width)
        .div_ceil(100)
        .min(width);
    let full = if percent < 100 && full == width {
        width.saturating_sub(1)
    } else {
        full
    };
    let (f, e) = if ascii { ("#", "-") } else { ("█", "░") };
    (f.repeat(full), e.repeat(width - full))
}

/// A `w`×`h` rectangle centred in `area` (clipped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// `s` with its first letter in capitals.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_cuts_between_words_never_inside_one() {
        let title =
            "Lab 13 · Envelope across accounts: let B unwrap the data key  4/4 goals met (stale)";
        for width in 10..title.len() {
            let cut = truncate(title, width, false);
            assert!(cut.width() <= width, "{width}: {cut}");
            let kept = cut.trim_end_matches('…');
            // What is kept ends where a word of the title ends.
            let at = title.get(kept.len()..).unwrap_or("");
            assert!(
                at.is_empty() || !at.starts_with(char::is_alphanumeric),
                "{width}: {cut:?} cuts a word"
            );
        }
        assert_eq!(
            truncate("Time used: 3:00 (the time ran out", 22, false),
            "Time used: 3:00 (the…"
        );
        assert_eq!(truncate("100% done", 7, false), "100%…");
    }

    #[test]
    fn a_long_arn_keeps_its_whole_leading_parts() {
        let text = "kms:Decrypt on key/3b8e1f42-6c0a-4d59-9e27-a41f5c8d2b60";
        assert_eq!(
            truncate(text, 40, false),
            "kms:Decrypt on key/3b8e1f42-6c0a-4d59…"
        );
        // Too little of the ARN would be left: the cut falls between words.
        assert_eq!(truncate(text, 22, false), "kms:Decrypt on…");
    }

    #[test]
    fn truncate_counts_terminal_columns() {
        assert_eq!(truncate("short", 10, false), "short");
        assert_eq!(truncate("abcdefgh", 5, false), "abcd…");
        assert_eq!(truncate("abcdefgh", 5, true), "abcd~");
        // Each of these takes two columns: four fit in 9 with the ellipsis.
        let wide = "鍵鍵鍵鍵鍵鍵";
        let cut = truncate(wide, 9, false);
        assert_eq!(cut, "鍵鍵鍵鍵…");
        assert!(cut.width() <= 9);
        assert_eq!(truncate(wide, 12, false), wide);
    }

    #[test]
    fn a_bar_is_full_only_at_100_percent() {
        assert_eq!(bar(100, 4, true), ("####".into(), String::new()));
        assert_eq!(bar(99, 4, true), ("###".into(), "-".into()));
        assert_eq!(bar(0, 3, false), (String::new(), "░░░".into()));
    }

    #[test]
    fn capitalise_and_centre() {
        assert_eq!(capitalise("épée"), "Épée");
        assert_eq!(capitalise(""), "");
        assert_eq!(
            centered(Rect::new(0, 0, 10, 10), 4, 20),
            Rect::new(3, 0, 4, 10)
        );
    }
}
