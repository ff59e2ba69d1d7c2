//! Word wrapping of styled text to a width, for text the tutor lays out
//! itself (lesson bodies, table cells, diagram captions).

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// Wraps styled runs to `width` columns. Every output line starts with
/// `first_prefix` (the first) or `rest_prefix` (the others), which count
/// towards the width. Words glued together by punctuation wrap as one;
/// a token longer than a line is cut after a separator (`/`, `:`, `-`).
pub fn wrap(
    runs: &[(String, Style)],
    width: usize,
    first_prefix: &[Span<'static>],
    rest_prefix: &[Span<'static>],
) -> Vec<Line<'static>> {
    let prefix_width = |p: &[Span<'static>]| p.iter().map(Span::width).sum::<usize>();
    let mut lines = Vec::new();
    let mut current: Vec<Span<'static>> = first_prefix.to_vec();
    let mut used = prefix_width(first_prefix);
    let mut limit = width.max(used + 1);
    let mut line_has_word = false;
    // Words with their style; a space between words is re-created on output.
    let mut words: Vec<(String, Style, bool)> = Vec::new(); // (word, style, space_before)
    let mut pending_space = false;
    for (text, style) in runs {
        let mut word = String::new();
        for ch in text.chars() {
            if ch.is_whitespace() {
                if !word.is_empty() {
                    words.push((std::mem::take(&mut word), *style, pending_space));
                }
                pending_space = true;
                continue;
            }
            // A word that starts right after the previous run, with no space
            // ("`kms:Decrypt`," → code, then ","), is glued to it on output.
            word.push(ch);
        }
        if !word.is_empty() {
            words.push((word, *style, pending_space));
            pending_space = false;
        }
    }
    let flush = |lines: &mut Vec<Line<'static>>, current: &mut Vec<Span<'static>>| {
        lines.push(Line::from(std::mem::take(current)));
    };
    // Words glued to the one before (no space between, as in "(" then
    // `kms:ViaService` then ")") break as one: no punctuation is left
    // alone at a line's start or end.
    let mut groups: Vec<(bool, Vec<(String, Style)>)> = Vec::new();
    for (word, style, space_before) in words {
        match groups.last_mut() {
            Some((_, g)) if !space_before => g.push((word, style)),
            _ => groups.push((space_before, vec![(word, style)])),
        }
    }
    for (space_before, group) in groups {
        let w: usize = group.iter().map(|(word, _)| word.width()).sum();
        let space = usize::from(space_before && line_has_word);
        if line_has_word && used + space + w > limit {
            flush(&mut lines, &mut current);
            current = rest_prefix.to_vec();
            used = prefix_width(rest_prefix);
            limit = width.max(used + 1);
            line_has_word = false;
        }
        if space_before && line_has_word {
            current.push(Span::raw(" "));
            used += 1;
        }
        for (word, style) in group {
            // A token wider than a whole line: cut it after a separator
            // (`/`, `:`, `-`, ...) where one fits, never inside a name.
            let mut rest = word.as_str();
            while used + rest.width() > limit && !rest.is_empty() {
                let room = limit.saturating_sub(used).max(1);
                let cut = token_cut(rest, room);
                if cut == 0 && line_has_word {
                    // Nothing fits after what the line holds: next line.
                    flush(&mut lines, &mut current);
                    current = rest_prefix.to_vec();
                    used = prefix_width(rest_prefix);
                    limit = width.max(used + 1);
                    line_has_word = false;
                    continue;
                }
                let cut = if cut == 0 {
                    rest.chars().next().map_or(rest.len(), char::len_utf8)
                } else {
                    cut
                };
                current.push(Span::styled(rest[..cut].to_string(), style));
                flush(&mut lines, &mut current);
                current = rest_prefix.to_vec();
                used = prefix_width(rest_prefix);
                limit = width.max(used + 1);
                line_has_word = false;
                rest = &rest[cut..];
            }
            if !rest.is_empty() {
                used += rest.width();
                current.push(Span::styled(rest.to_string(), style));
                line_has_word = true;
            }
        }
    }
    if line_has_word || lines.is_empty() {
        flush(&mut lines, &mut current);
    }
    lines
}

/// Where to cut `token` so its first part fits `room` columns: after the
/// last separator that fits, else after as many characters as fit (0 when
/// not even one does).
pub fn token_cut(token: &str, room: usize) -> usize {
    let mut fit = 0;
    let mut after_sep = 0;
    let mut cw = 0;
    for (i, ch) in token.char_indices() {
        let chw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if cw + chw > room {
            break;
        }
        cw += chw;
        fit = i + ch.len_utf8();
        if matches!(
            ch,
            '/' | ':' | '-' | '.' | '_' | ',' | '=' | '&' | '?' | '#'
        ) {
            after_sep = fit;
        }
    }
    if after_sep > 0 { after_sep } else { fit }
}

/// The text of laid-out lines, joined with newlines and without styles
/// (for tests and for reading a screen back).
pub fn plain(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn wraps_at_word_boundaries_with_prefixes() {
        let runs = vec![("one two three four five".to_string(), Style::default())];
        let lines = wrap(&runs, 10, &[Span::raw("- ")], &[Span::raw("  ")]);
        assert_eq!(
            text(&lines),
            vec!["- one two", "  three", "  four", "  five"]
        );
    }

    #[test]
    fn keeps_styles_and_joins_adjacent_runs_without_space() {
        let bold = Style::default().add_modifier(ratatui::style::Modifier::BOLD);
        let runs = vec![
            ("use ".to_string(), Style::default()),
            ("kms:Decrypt".to_string(), bold),
            (", then".to_string(), Style::default()),
        ];
        let lines = wrap(&runs, 40, &[], &[]);
        assert_eq!(text(&lines), vec!["use kms:Decrypt, then"]);
        assert_eq!(lines[0].spans[2].style, bold);
    }

    #[test]
    fn cuts_words_longer_than_the_line() {
        let runs = vec![(
            "arn:aws:kms:us-east-1:111122223333:key/abc".to_string(),
            Style::default(),
        )];
        let lines = wrap(&runs, 12, &[], &[]);
        assert!(lines.iter().all(|l| l.width() <= 12));
        assert_eq!(
            text(&lines).concat(),
            "arn:aws:kms:us-east-1:111122223333:key/abc"
        );
        // Cut after separators only: no piece splits a name or a number.
        assert_eq!(
            text(&lines),
            vec!["arn:aws:kms:", "us-east-1:", "111122223333", ":key/abc"]
        );
    }

    #[test]
    fn punctuation_glued_to_code_never_starts_or_ends_a_line() {
        let code = Style::default().add_modifier(ratatui::style::Modifier::BOLD);
        let runs = vec![
            ("and its own service (".to_string(), Style::default()),
            ("kms:ViaService".to_string(), code),
            ("). Next".to_string(), Style::default()),
        ];
        for width in 18..40 {
            let lines = text(&wrap(&runs, width, &[], &[]));
            for l in &lines {
                assert!(!l.ends_with('('), "{width}: {lines:?}");
                assert!(!l.starts_with(')'), "{width}: {lines:?}");
            }
        }
        let runs = vec![
            ("the KMS key ".to_string(), Style::default()),
            ("aws/s3".to_string(), code),
            (", which is SSE-KMS".to_string(), Style::default()),
        ];
        for width in 10..30 {
            let lines = text(&wrap(&runs, width, &[], &[]));
            assert!(
                lines.iter().all(|l| !l.starts_with(',')),
                "{width}: {lines:?}"
            );
        }
    }
}
