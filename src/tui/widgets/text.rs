//! Small text and layout helpers every screen uses: cutting text to a
//! number of terminal columns, progress bars, a centred rectangle, and a
//! capital first letter.

use ratatui::layout::Rect;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` cut to `width` terminal columns, with an ellipsis (`~` in ASCII)
/// when cut. Columns, not characters: a wide character (CJK, most emoji)
/// takes two.
pub fn truncate(text: &str, width: usize, ascii: bool) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let room = width.saturating_sub(1);
    let mut used = 0;
    let mut s = String::new();
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        s.push(c);
    }
    s.push_str(if ascii { "~" } else { "…" });
    s
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
