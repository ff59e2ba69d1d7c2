//! A lesson section's blocks, laid out as terminal lines for a width:
//! paragraphs re-wrapped, lists, callout boxes with their label word,
//! tables with wrapped cells, JSON with syntax colouring, definition–example
//! pairs, and the step-through diagrams in place.

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::diagram::diagram_lines;
use super::wrap::wrap;
use crate::core::content::Pack;
use crate::core::content::diagram::DiagramId;
use crate::core::content::markup::{Block, BlockKind, CalloutKind, Inline};
use crate::tui::theme::Theme;

/// A laid-out section body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The lines, already wrapped to the width.
    pub lines: Vec<Line<'static>>,
    /// Each diagram and the index of its first line in `lines`.
    pub diagrams: Vec<(DiagramId, usize)>,
    /// Each code block as written (unwrapped, for copying) and the range
    /// of its lines in `lines`.
    pub code: Vec<(String, std::ops::Range<usize>)>,
    /// Every piece of every glossary link on screen, in reading order (a
    /// link wrapped over two lines has two pieces with the same `link`).
    pub links: Vec<LinkPiece>,
}

/// Where one glossary link, or the part of it on one line, was laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkPiece {
    /// The link's number in the section, from 0, in reading order.
    pub link: usize,
    /// The glossary term it opens.
    pub term: String,
    /// The line in [`Rendered::lines`].
    pub line: usize,
    /// The first column within the line.
    pub x: u16,
    /// Its width in columns.
    pub width: u16,
}

/// Links are tagged through wrapping by an underline colour that nothing
/// else uses (the red channel 0xfe, the link's number in the other two);
/// [`find_links`] reads the tags and removes them.
fn link_tag(n: usize) -> Color {
    Color::Rgb(0xfe, ((n >> 8) & 0xff) as u8, (n & 0xff) as u8)
}

fn tag_number(c: Option<Color>) -> Option<usize> {
    match c {
        Some(Color::Rgb(0xfe, hi, lo)) => Some(usize::from(hi) << 8 | usize::from(lo)),
        _ => None,
    }
}

/// Finds the tagged link spans in `out.lines`, records where they are, and
/// clears the tags.
fn find_links(out: &mut Rendered, terms: &[String]) {
    for (y, line) in out.lines.iter_mut().enumerate() {
        let mut x = 0usize;
        for span in &mut line.spans {
            let w = span.content.width();
            if let Some(n) = tag_number(span.style.underline_color) {
                span.style.underline_color = None;
                if let Some(term) = terms.get(n) {
                    out.links.push(LinkPiece {
                        link: n,
                        term: term.clone(),
                        line: y,
                        x: u16::try_from(x).unwrap_or(u16::MAX),
                        width: u16::try_from(w).unwrap_or(u16::MAX),
                    });
                }
            }
            x += w;
        }
    }
    // Reading order: the order in which they were written.
    out.links.sort_by_key(|p| (p.link, p.line, p.x));
}

/// Lays out `blocks` in `width` columns. `diagram_step` gives the current
/// step of each diagram; `ascii` draws boxes with ASCII characters.
pub fn lesson_lines(
    blocks: &[Block],
    pack: &Pack,
    width: u16,
    theme: &Theme,
    diagram_step: &dyn Fn(&DiagramId) -> usize,
    ascii: bool,
) -> Rendered {
    let mut out = Rendered::default();
    let cx = Cx {
        pack,
        theme,
        ascii,
        diagram_step,
        terms: std::cell::RefCell::new(Vec::new()),
    };
    cx.blocks(blocks, usize::from(width).max(20), &mut out);
    find_links(&mut out, &cx.terms.borrow());
    // No trailing blank line.
    while out.lines.last().is_some_and(|l| l.width() == 0) {
        out.lines.pop();
    }
    out
}

struct Cx<'a> {
    pack: &'a Pack,
    theme: &'a Theme,
    ascii: bool,
    diagram_step: &'a dyn Fn(&DiagramId) -> usize,
    /// The term of each link laid out so far, by its number.
    terms: std::cell::RefCell<Vec<String>>,
}

impl Cx<'_> {
    fn runs(&self, inlines: &[Inline], base: Style) -> Vec<(String, Style)> {
        let _ = self.pack;
        inlines
            .iter()
            .map(|i| match i {
                Inline::Text(t) => (t.clone(), base),
                Inline::Emph(t) => (t.clone(), base.patch(self.theme.emph)),
                Inline::Strong(t) => (t.clone(), base.patch(self.theme.strong)),
                Inline::Code(t) => (t.clone(), base.patch(self.theme.code)),
                Inline::TermLink { id, text } => {
                    let mut terms = self.terms.borrow_mut();
                    let tag = link_tag(terms.len());
                    terms.push(id.clone());
                    (
                        text.clone(),
                        base.patch(self.theme.link).underline_color(tag),
                    )
                }
            })
            .collect()
    }

    fn blocks(&self, blocks: &[Block], width: usize, out: &mut Rendered) {
        for b in blocks {
            self.block(b, width, out);
        }
    }

    fn block(&self, block: &Block, width: usize, out: &mut Rendered) {
        let t = self.theme;
        match &block.kind {
            BlockKind::Heading { level, text } => {
                let style = if *level <= 2 { t.heading } else { t.strong };
                out.lines
                    .extend(wrap(&self.runs(text, style), width, &[], &[]));
                out.lines.push(Line::default());
            }
            BlockKind::Paragraph(text) => {
                out.lines
                    .extend(wrap(&self.runs(text, t.text), width, &[], &[]));
                out.lines.push(Line::default());
            }
            BlockKind::List { ordered, items } => {
                for (n, item) in items.iter().enumerate() {
                    let bullet = if *ordered {
                        format!("{}. ", n + 1)
                    } else if self.ascii {
                        "- ".to_string()
                    } else {
                        "• ".to_string()
                    };
                    let indent = " ".repeat(bullet.width());
                    out.lines.extend(wrap(
                        &self.runs(item, t.text),
                        width,
                        &[Span::styled(bullet, t.strong)],
                        &[Span::raw(indent)],
                    ));
                }
                out.lines.push(Line::default());
            }
            BlockKind::Callout { kind, body } => self.callout(*kind, body, width, out),
            BlockKind::Table { header, rows } => {
                self.table(header, rows, width, out);
                out.lines.push(Line::default());
            }
            BlockKind::Code { lang, lines } => {
                let first = out.lines.len();
                for line in lines {
                    let spans = if lang == "json" {
                        json_spans(line, t)
                    } else {
                        vec![Span::styled(line.clone(), t.code)]
                    };
                    for l in hard_wrap(spans, width.saturating_sub(2), self.ascii) {
                        let mut with_indent = vec![Span::raw("  ")];
                        with_indent.extend(l.spans);
                        out.lines.push(Line::from(with_indent));
                    }
                }
                out.code.push((lines.join("\n"), first..out.lines.len()));
                out.lines.push(Line::default());
            }
            BlockKind::Define {
                term,
                means,
                example,
            } => {
                let mark = if self.ascii { "> " } else { "▸ " };
                out.lines.extend(wrap(
                    &self.runs(term, t.strong),
                    width,
                    &[Span::styled(mark, t.strong)],
                    &[Span::raw("  ")],
                ));
                out.lines.extend(wrap(
                    &self.runs(means, t.text),
                    width,
                    &[Span::raw("  "), Span::styled("means: ", t.dim)],
                    &[Span::raw("         ")],
                ));
                out.lines.extend(wrap(
                    &self.runs(example, t.text),
                    width,
                    &[Span::raw("  "), Span::styled("example: ", t.dim)],
                    &[Span::raw("           ")],
                ));
                out.lines.push(Line::default());
            }
            BlockKind::Diagram(id) => {
                // The loader checks every name, so a pack's diagram is there.
                if let Some(d) = self.pack.diagram(id) {
                    let first = out.lines.len();
                    out.diagrams.push((id.clone(), first));
                    out.lines.extend(diagram_lines(
                        d,
                        (self.diagram_step)(id),
                        width as u16,
                        t,
                        self.ascii,
                    ));
                    out.lines.push(Line::default());
                }
            }
        }
    }

    fn callout(&self, kind: CalloutKind, body: &[Block], width: usize, out: &mut Rendered) {
        let t = self.theme;
        let style = match kind {
            CalloutKind::Important => t.callout_important,
            CalloutKind::Tip => t.callout_tip,
            CalloutKind::Warning => t.callout_warning,
            CalloutKind::Note => t.callout_note,
        };
        let (tl, h, v, bl, tr, br) = if self.ascii {
            ("+", "-", "|", "+", "+", "+")
        } else {
            ("┌", "─", "│", "└", "┐", "┘")
        };
        // A closed box: every side drawn, the text one column in from each.
        let width = width.max(12);
        let label = kind.label().to_uppercase();
        let rule = width.saturating_sub(label.width() + 5);
        out.lines.push(Line::from(vec![
            Span::styled(format!("{tl}{h} "), style),
            Span::styled(label, style),
            Span::styled(format!(" {}{tr}", h.repeat(rule)), style),
        ]));
        let mut inner = Rendered::default();
        let text_w = width.saturating_sub(4);
        self.blocks(body, text_w, &mut inner);
        while inner.lines.last().is_some_and(|l| l.width() == 0) {
            inner.lines.pop();
        }
        let offset = out.lines.len();
        for (id, line) in inner.diagrams {
            out.diagrams.push((id, line + offset));
        }
        for (text, lines) in inner.code {
            out.code
                .push((text, lines.start + offset..lines.end + offset));
        }
        for l in inner.lines {
            let pad = text_w.saturating_sub(l.width());
            let mut spans = vec![Span::styled(format!("{v} "), style)];
            spans.extend(l.spans);
            spans.push(Span::raw(" ".repeat(pad)));
            spans.push(Span::styled(format!(" {v}"), style));
            out.lines.push(Line::from(spans));
        }
        out.lines.push(Line::from(Span::styled(
            format!("{bl}{}{br}", h.repeat(width.saturating_sub(2))),
            style,
        )));
        out.lines.push(Line::default());
    }

    fn table(
        &self,
        header: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        width: usize,
        out: &mut Rendered,
    ) {
        let t = self.theme;
        let cols = header.len().max(1);
        let (v, h, cross) = if self.ascii {
            ("|", "-", "+")
        } else {
            ("│", "─", "┼")
        };
        // Natural widths, then shrink the widest columns until the table fits.
        let natural = |c: usize| {
            std::iter::once(header.get(c))
                .chain(rows.iter().map(|r| r.get(c)))
                .flatten()
                .map(|cell| cell.iter().map(|i| i.text().width()).sum::<usize>())
                .max()
                .unwrap_or(0)
                .max(3)
        };
        let mut widths: Vec<usize> = (0..cols).map(natural).collect();
        let available = width.saturating_sub(3 * (cols - 1)).max(cols * 6);
        while widths.iter().sum::<usize>() > available {
            let Some((i, _)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else {
                break;
            };
            if widths[i] <= 6 {
                break;
            }
            widths[i] -= 1;
        }
        let render_row = |cells: &[Vec<Inline>], style: Style, out: &mut Rendered| {
            let wrapped: Vec<Vec<Line<'static>>> = (0..cols)
                .map(|c| {
                    let cell = cells.get(c).map(Vec::as_slice).unwrap_or(&[]);
                    wrap(&self.runs(cell, style), widths[c], &[], &[])
                })
                .collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            for row in 0..height {
                let mut spans = Vec::new();
                for (c, lines) in wrapped.iter().enumerate() {
                    if c > 0 {
                        spans.push(Span::styled(format!(" {v} "), t.border));
                    }
                    let line = lines.get(row).cloned().unwrap_or_default();
                    let pad = widths[c].saturating_sub(line.width());
                    spans.extend(line.spans);
                    if c + 1 < cols {
                        spans.push(Span::raw(" ".repeat(pad)));
                    }
                }
                out.lines.push(Line::from(spans));
            }
        };
        render_row(header, t.strong, out);
        let rule: Vec<String> = widths.iter().map(|w| h.repeat(*w)).collect();
        out.lines.push(Line::from(Span::styled(
            rule.join(&format!("{h}{cross}{h}")),
            t.border,
        )));
        for r in rows {
            render_row(r, t.text, out);
        }
    }
}

/// Cuts a line of spans into lines of at most `width` columns; continuation
/// lines start with `↪`. A cut falls after a space or a separator (`/`,
/// `:`, `-`, `,` ...), so no name, number or key ID is split inside; only
/// a token wider than a whole line is cut where it must be.
fn hard_wrap(spans: Vec<Span<'static>>, width: usize, ascii: bool) -> Vec<Line<'static>> {
    use unicode_width::UnicodeWidthChar;
    let width = width.max(8);
    let total: usize = spans.iter().map(Span::width).sum();
    if total <= width {
        return vec![Line::from(spans)];
    }
    let mark = if ascii { "> " } else { "↪ " };
    let cells: Vec<(char, Style)> = spans
        .iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
        .collect();
    let breaks_after = |c: char| c.is_whitespace() || "/:-,.;_=&?#".contains(c);
    let mut lines = Vec::new();
    let mut pos = 0;
    while pos < cells.len() {
        let room = if lines.is_empty() { width } else { width - 2 };
        let mut end = pos;
        let mut used = 0;
        while end < cells.len() {
            let cw = cells[end].0.width().unwrap_or(0);
            if used + cw > room {
                break;
            }
            used += cw;
            end += 1;
        }
        if end < cells.len()
            && let Some(k) = (pos + 1..=end)
                .rev()
                .find(|&k| breaks_after(cells[k - 1].0))
        {
            end = k;
        }
        let end = end.max(pos + 1);
        let mut line: Vec<Span<'static>> = Vec::new();
        for (c, style) in &cells[pos..end] {
            match line.last_mut() {
                Some(last) if last.style == *style => last.content.to_mut().push(*c),
                _ => line.push(Span::styled(c.to_string(), *style)),
            }
        }
        if !lines.is_empty() {
            line.insert(0, Span::raw(mark));
        }
        lines.push(Line::from(line));
        pos = end;
    }
    lines
}

/// Colours one line of JSON: member names, strings, numbers/literals and
/// punctuation. Works line by line, as code blocks are stored.
pub fn json_spans(line: &str, t: &Theme) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut chars = line.char_indices().peekable();
    let mut plain_start = 0;
    let flush = |spans: &mut Vec<Span<'static>>, from: usize, to: usize| {
        if to > from {
            spans.push(Span::styled(line[from..to].to_string(), t.text));
        }
    };
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                flush(&mut spans, plain_start, i);
                let mut end = line.len();
                let mut escaped = false;
                for (j, d) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == '"' {
                        end = j + 1;
                        break;
                    }
                }
                let is_key = line[end..].trim_start().starts_with(':');
                let style = if is_key { t.json_key } else { t.json_string };
                spans.push(Span::styled(line[i..end].to_string(), style));
                plain_start = end;
            }
            '{' | '}' | '[' | ']' | ':' | ',' => {
                flush(&mut spans, plain_start, i);
                spans.push(Span::styled(c.to_string(), t.json_punct));
                plain_start = i + c.len_utf8();
            }
            c if c.is_ascii_digit() || c == '-' || c.is_ascii_alphabetic() => {
                flush(&mut spans, plain_start, i);
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_ascii_alphanumeric() || d == '.' || d == '-' || d == '+' {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                spans.push(Span::styled(line[i..end].to_string(), t.json_number));
                plain_start = end;
            }
            _ => {}
        }
    }
    flush(&mut spans, plain_start, line.len());
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::tui::widgets::wrap::plain as text;

    #[test]
    fn json_keys_strings_and_numbers_get_their_styles() {
        let t = Theme::new(true);
        let spans = json_spans(r#"  "Effect": "Allow", "Max": 32, "On": true"#, &t);
        let find = |s: &str| spans.iter().find(|x| x.content == s).map(|x| x.style);
        assert_eq!(find("\"Effect\""), Some(t.json_key));
        assert_eq!(find("\"Allow\""), Some(t.json_string));
        assert_eq!(find("32"), Some(t.json_number));
        assert_eq!(find("true"), Some(t.json_number));
        assert_eq!(find(":"), Some(t.json_punct));
        let joined: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(joined, r#"  "Effect": "Allow", "Max": 32, "On": true"#);
    }

    #[test]
    fn every_built_in_section_fits_80_columns() {
        let pack = Pack::builtin().expect("the built-in pack loads");
        let t = Theme::new(false);
        let mut sections = 0;
        for lesson in &pack.lessons {
            for section in &lesson.sections {
                for (width, ascii) in [(76u16, false), (116, false), (76, true)] {
                    let r = lesson_lines(&section.blocks, &pack, width, &t, &|_| 0, ascii);
                    assert!(
                        !r.lines.is_empty(),
                        "{}/{} renders nothing",
                        lesson.id,
                        section.id
                    );
                    for l in &r.lines {
                        assert!(
                            l.width() <= usize::from(width),
                            "{}/{} at {width}: {:?}",
                            lesson.id,
                            section.id,
                            text(std::slice::from_ref(l))
                        );
                    }
                }
                sections += 1;
            }
        }
        assert!(sections >= 30, "the course has {sections} sections");
    }

    #[test]
    fn callouts_keep_their_label_word_and_diagrams_are_located() {
        let pack = Pack::builtin().expect("the built-in pack loads");
        let t = Theme::new(false);
        let mut labels = 0;
        let mut diagrams = 0;
        for lesson in &pack.lessons {
            for section in &lesson.sections {
                let r = lesson_lines(&section.blocks, &pack, 76, &t, &|_| 0, false);
                let all = text(&r.lines);
                labels += ["IMPORTANT", "TIP", "WARNING", "NOTE"]
                    .iter()
                    .filter(|w| all.contains(&format!("─ {w} ─")))
                    .count();
                for (id, line) in &r.diagrams {
                    diagrams += 1;
                    let first = text(&r.lines[*line..=*line]);
                    assert_eq!(
                        first,
                        pack.diagram(id).expect("the pack has it").title,
                        "a diagram's recorded line is its title"
                    );
                }
            }
        }
        assert!(labels > 10, "found {labels} callout labels");
        assert!(diagrams >= 3, "found {diagrams} diagrams");
    }
}
