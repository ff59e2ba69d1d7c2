//! Question text the quiz and its score report both draw: paragraphs
//! with markup, a question's source link, an answer in words.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::wrap::wrap;
use crate::core::quiz::{Item, Response};
use crate::tui::screens::{Ctx, inline_spans};

/// Text with markup as styled runs (`code`, *emphasis*, glossary terms).
pub fn runs_of(ctx: &Ctx, text: &str, base: Style) -> Vec<(String, Style)> {
    inline_spans(&ctx.pack.styled(text), ctx.theme)
        .into_iter()
        .map(|s| (s.content.into_owned(), base.patch(s.style)))
        .collect()
}

/// Text with markup, each paragraph wrapped; the first line starts with
/// `lead`, the others with `indent`.
pub fn text_lines(
    ctx: &Ctx,
    text: &str,
    base: Style,
    width: usize,
    lead: &str,
    indent: &str,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (i, para) in text.split('\n').enumerate() {
        let first = if i == 0 { lead } else { indent };
        if para.trim().is_empty() {
            out.push(Line::raw(""));
            continue;
        }
        let runs = runs_of(ctx, para, base);
        out.extend(wrap(
            &runs,
            width,
            &[Span::styled(first.to_string(), ctx.theme.strong)],
            &[Span::raw(indent.to_string())],
        ));
    }
    out
}

/// `Source: URL`; a URL too long for the line goes on lines of its own,
/// cut after a `/`, `-` or `.` (never inside a word), so all of it can be
/// read.
pub fn source_lines(ctx: &Ctx, indent: &str, url: &str, width: usize) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let head = format!("{indent}Source: ");
    if head.chars().count() + url.chars().count() <= width {
        return vec![Line::from(vec![
            Span::styled(head, t.strong),
            Span::styled(url.to_string(), t.link),
        ])];
    }
    let mut out = vec![Line::styled(head.trim_end().to_string(), t.strong)];
    let room = width.saturating_sub(indent.chars().count()).max(10);
    let mut rest = url;
    while !rest.is_empty() {
        let cut = crate::tui::widgets::wrap::token_cut(rest, room).max(1);
        let cut = rest
            .char_indices()
            .map(|(i, _)| i)
            .find(|&i| i >= cut)
            .unwrap_or(rest.len());
        out.push(Line::from(vec![
            Span::raw(indent.to_string()),
            Span::styled(rest[..cut].to_string(), t.link),
        ]));
        rest = &rest[cut..];
    }
    out
}

/// An answer in words: the letters and texts of the choices, or the
/// verdict and reason.
pub fn describe(item: &Item, response: &Response) -> String {
    crate::core::quiz::labels::describe_with(item, response, &|c| c.to_string())
}
