//! The lesson body markup: a small, line-based subset of Markdown.
//!
//! [`parse`] turns a section's `body` string into [`Block`]s. It never fails:
//! problems come back as [`MarkupError`]s next to whatever could be parsed, so
//! the loader can report every one of them at once. Term links are returned
//! with their positions so the loader can check them against the glossary.

use super::diagram::DiagramId;

/// One block of a lesson body, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// 1-based line in the content file where the block starts.
    pub line: usize,
    /// What the block is.
    pub kind: BlockKind,
}

/// The kinds of block the markup knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    /// `## text` (level 2) or `### text` (level 3); levels 1 to 6 parse.
    Heading {
        /// Number of `#` signs.
        level: u8,
        /// The heading's text.
        text: Vec<Inline>,
    },
    /// Lines of one paragraph, joined with spaces (the TUI re-wraps them).
    Paragraph(Vec<Inline>),
    /// `- item` or `1. item` lines.
    List {
        /// `true` for `1.` lists.
        ordered: bool,
        /// One inline run per item (continuation lines joined).
        items: Vec<Vec<Inline>>,
    },
    /// `> [!IMPORTANT]` followed by `> text` lines.
    Callout {
        /// The label; always shown as a word.
        kind: CalloutKind,
        /// The callout's content, parsed as markup itself.
        body: Vec<Block>,
    },
    /// `| a | b |` rows; the second row is the `|---|---|` separator.
    Table {
        /// Header cells.
        header: Vec<Vec<Inline>>,
        /// Body rows, each with as many cells as the header.
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A fenced code block.
    Code {
        /// The fence's language (`json`, `text`, ...); `text` when none.
        lang: String,
        /// The lines, verbatim.
        lines: Vec<String>,
    },
    /// A ```` ```define ```` block: a definition–example pair.
    Define {
        /// The word being defined.
        term: Vec<Inline>,
        /// What it means.
        means: Vec<Inline>,
        /// A concrete example of it.
        example: Vec<Inline>,
    },
    /// `@diagram NAME`: a step-through diagram.
    Diagram(DiagramId),
}

/// The label of a callout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CalloutKind {
    /// `[!IMPORTANT]`
    Important,
    /// `[!TIP]`
    Tip,
    /// `[!WARNING]`
    Warning,
    /// `[!NOTE]`
    Note,
}

impl CalloutKind {
    /// Parses the word between `[!` and `]` (case-insensitive).
    pub fn from_label(label: &str) -> Option<Self> {
        match label.to_ascii_uppercase().as_str() {
            "IMPORTANT" => Some(CalloutKind::Important),
            "TIP" => Some(CalloutKind::Tip),
            "WARNING" => Some(CalloutKind::Warning),
            "NOTE" => Some(CalloutKind::Note),
            _ => None,
        }
    }

    /// The word shown on screen ("Important", "Tip", ...), so the meaning
    /// survives without colour.
    pub fn label(self) -> &'static str {
        match self {
            CalloutKind::Important => "Important",
            CalloutKind::Tip => "Tip",
            CalloutKind::Warning => "Warning",
            CalloutKind::Note => "Note",
        }
    }
}

/// A run of styled text inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// `*emphasis*`
    Emph(String),
    /// `**strong**`
    Strong(String),
    /// `` `code` ``
    Code(String),
    /// `[[term-id]]` or `[[term-id|shown text]]`: a glossary link. Without
    /// explicit text the loader fills in the glossary term's name.
    TermLink {
        /// The glossary id.
        id: String,
        /// The text to show.
        text: String,
    },
}

impl Inline {
    /// The text this inline shows, without styling.
    pub fn text(&self) -> &str {
        match self {
            Inline::Text(t) | Inline::Emph(t) | Inline::Strong(t) | Inline::Code(t) => t,
            Inline::TermLink { text, .. } => text,
        }
    }
}

/// The plain text of a run of inlines (used for search and for tests).
pub fn plain_text(inlines: &[Inline]) -> String {
    inlines.iter().map(Inline::text).collect()
}

/// A problem in a body, at a 1-based line and column of the content file.
///
/// Unlike [`crate::core::diag::Located`] it is already placed in the file:
/// the markup parser walks a body line by line from the body's first line
/// in the file, so it never has a byte offset to give.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct MarkupError {
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// A `[[term]]` link found in a body, for the loader's glossary check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// The glossary id the link names.
    pub id: String,
    /// Whether the link carried its own text (`[[id|text]]`).
    pub has_text: bool,
    /// 1-based file line of the `[[`.
    pub line: usize,
    /// 1-based column of the `[[`.
    pub column: usize,
}

/// Everything [`parse`] found in one body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedBody {
    /// The blocks, in order.
    pub blocks: Vec<Block>,
    /// Every term link, in order.
    pub links: Vec<LinkRef>,
    /// Every problem, in order.
    pub errors: Vec<MarkupError>,
}

/// Parses `body`, whose first line is line `first_line` (1-based) of its file.
pub fn parse(body: &str, first_line: usize) -> ParsedBody {
    let lines: Vec<SrcLine<'_>> = body
        .split('\n')
        .enumerate()
        .map(|(i, text)| SrcLine {
            line: first_line + i,
            column: 1,
            text: text.strip_suffix('\r').unwrap_or(text),
        })
        .collect();
    let mut out = ParsedBody::default();
    out.blocks = parse_lines(&lines, &mut out.links, &mut out.errors);
    out
}

/// Parses the inline styles of a single text such as a question's prompt,
/// a choice or an explanation (lines are joined with spaces). Links are
/// located as if `text` started at line 1, column 1.
pub fn parse_inline(text: &str) -> (Vec<Inline>, Vec<LinkRef>) {
    let lines: Vec<SrcLine<'_>> = text
        .split('\n')
        .enumerate()
        .map(|(i, t)| SrcLine {
            line: 1 + i,
            column: 1,
            text: t.trim_start(),
        })
        .collect();
    let mut links = Vec::new();
    let inlines = inlines(&lines, &mut links);
    (inlines, links)
}

/// One source line (or the part of it left after a prefix was stripped).
#[derive(Debug, Clone, Copy)]
struct SrcLine<'a> {
    line: usize,
    /// 1-based column of `text`'s first character in the file.
    column: usize,
    text: &'a str,
}

impl<'a> SrcLine<'a> {
    /// The line without its first `n` bytes (which must be ASCII).
    fn skip(self, n: usize) -> SrcLine<'a> {
        let n = n.min(self.text.len());
        SrcLine {
            line: self.line,
            column: self.column + self.text.get(..n).map_or(0, |s| s.chars().count()),
            text: self.text.get(n..).unwrap_or(""),
        }
    }

    /// The line with leading spaces removed.
    fn trim_start(self) -> SrcLine<'a> {
        let n = self.text.len() - self.text.trim_start().len();
        self.skip(n)
    }

    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    fn error(&self, message: impl Into<String>) -> MarkupError {
        MarkupError {
            line: self.line,
            column: self.column,
            message: message.into(),
        }
    }
}

/// An open paragraph or list being collected line by line.
enum Open<'a> {
    None,
    Paragraph(Vec<SrcLine<'a>>),
    List {
        line: usize,
        ordered: bool,
        items: Vec<Vec<SrcLine<'a>>>,
    },
}

fn parse_lines(
    lines: &[SrcLine<'_>],
    links: &mut Vec<LinkRef>,
    errors: &mut Vec<MarkupError>,
) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open = Open::None;
    let mut i = 0;
    while let Some(&src) = lines.get(i) {
        i += 1;
        let text = src.text;
        if src.is_blank() {
            close(&mut open, &mut blocks, links);
            continue;
        }
        // A list item continues while lines are indented by two or more spaces.
        let is_fence = text.trim_start().starts_with("```");
        if let Open::List { items, .. } = &mut open
            && text.starts_with("  ")
            && !is_fence
            && let Some(item) = items.last_mut()
        {
            item.push(src.trim_start());
            continue;
        }
        // A fence may be indented (say, under a list item); it still opens
        // a code block rather than showing backticks as text.
        if let Some(rest) = text.trim_start().strip_prefix("```") {
            close(&mut open, &mut blocks, links);
            match fence(src, rest, lines, &mut i, links, errors) {
                Fence::Block(b) => blocks.push(b),
                Fence::Dropped => {}
                Fence::Unclosed => break,
            }
            continue;
        }
        if let Some(level) = heading_level(text) {
            close(&mut open, &mut blocks, links);
            let rest = src.skip(level + 1).trim_start();
            blocks.push(Block {
                line: src.line,
                kind: BlockKind::Heading {
                    level: u8::try_from(level).unwrap_or(6),
                    text: inlines(&[rest], links),
                },
            });
            continue;
        }
        if text.starts_with('>') {
            close(&mut open, &mut blocks, links);
            let mut quoted = vec![strip_quote(src)];
            while let Some(l) = lines.get(i) {
                if !l.text.starts_with('>') {
                    break;
                }
                quoted.push(strip_quote(*l));
                i += 1;
            }
            if let Some(block) = parse_callout(src, &quoted, links, errors) {
                blocks.push(block);
            }
            continue;
        }
        if text.starts_with('|') {
            close(&mut open, &mut blocks, links);
            let mut rows = vec![src];
            while let Some(l) = lines.get(i) {
                if !l.text.starts_with('|') {
                    break;
                }
                rows.push(*l);
                i += 1;
            }
            if let Some(kind) = parse_table(&rows, links, errors) {
                blocks.push(Block {
                    line: src.line,
                    kind,
                });
            }
            continue;
        }
        if let Some(rest) = text.strip_prefix("@diagram") {
            close(&mut open, &mut blocks, links);
            match diagram(src, rest) {
                Ok(b) => blocks.push(b),
                Err(e) => errors.push(e),
            }
            continue;
        }
        if let Some((ordered, marker)) = list_marker(text) {
            let item = src.skip(marker).trim_start();
            match &mut open {
                Open::List {
                    ordered: o, items, ..
                } if *o == ordered => items.push(vec![item]),
                _ => {
                    close(&mut open, &mut blocks, links);
                    open = Open::List {
                        line: src.line,
                        ordered,
                        items: vec![vec![item]],
                    };
                }
            }
            continue;
        }
        match &mut open {
            Open::Paragraph(ls) => ls.push(src.trim_start()),
            _ => {
                close(&mut open, &mut blocks, links);
                open = Open::Paragraph(vec![src.trim_start()]);
            }
        }
    }
    close(&mut open, &mut blocks, links);
    blocks
}

/// What a code fence gave.
enum Fence {
    /// A code or definition block.
    Block(Block),
    /// A definition block with errors (reported), so no block.
    Dropped,
    /// No closing fence (reported): the rest of the body is not parsed.
    Unclosed,
}

/// The fenced block opened by `src` (whose text after the backticks is
/// `rest`); `i` is the next line and moves past the closing fence.
fn fence(
    src: SrcLine<'_>,
    rest: &str,
    lines: &[SrcLine<'_>],
    i: &mut usize,
    links: &mut Vec<LinkRef>,
    errors: &mut Vec<MarkupError>,
) -> Fence {
    let text = src.text;
    let indent = text.len() - text.trim_start().len();
    let lang = rest.trim();
    let start = *i;
    let mut end = None;
    while let Some(l) = lines.get(*i) {
        *i += 1;
        if l.text.trim() == "```" {
            end = Some(*i - 1);
            break;
        }
    }
    let Some(end) = end else {
        errors.push(src.error(format!(
            "unclosed code fence: the ```{lang} opened here has no closing ```"
        )));
        return Fence::Unclosed;
    };
    let inner = lines.get(start..end).unwrap_or(&[]);
    if lang == "define" {
        return match parse_define(src, inner, links, errors) {
            Some(kind) => Fence::Block(Block {
                line: src.line,
                kind,
            }),
            None => Fence::Dropped,
        };
    }
    Fence::Block(Block {
        line: src.line,
        kind: BlockKind::Code {
            lang: if lang.is_empty() { "text" } else { lang }.to_string(),
            lines: inner
                .iter()
                .map(|l| strip_indent(l.text, indent).to_string())
                .collect(),
        },
    })
}

/// The `@diagram NAME` line `src` (`rest` follows `@diagram`).
fn diagram(src: SrcLine<'_>, rest: &str) -> Result<Block, MarkupError> {
    let name = rest.trim();
    match DiagramId::from_name(name) {
        Some(id) => Ok(Block {
            line: src.line,
            kind: BlockKind::Diagram(id),
        }),
        None => Err(src
            .skip(src.text.len() - rest.trim_start().len())
            .error(format!(
                "unknown diagram {name:?}; known diagrams: {}",
                DiagramId::ALL.map(DiagramId::name).join(", ")
            ))),
    }
}

/// Ends the open paragraph or list, if any, and emits its block.
fn close(open: &mut Open<'_>, blocks: &mut Vec<Block>, links: &mut Vec<LinkRef>) {
    match std::mem::replace(open, Open::None) {
        Open::None => {}
        Open::Paragraph(lines) => {
            if let Some(first) = lines.first() {
                blocks.push(Block {
                    line: first.line,
                    kind: BlockKind::Paragraph(inlines(&lines, links)),
                });
            }
        }
        Open::List {
            line,
            ordered,
            items,
        } => blocks.push(Block {
            line,
            kind: BlockKind::List {
                ordered,
                items: items.iter().map(|item| inlines(item, links)).collect(),
            },
        }),
    }
}

/// `line` without up to `n` leading spaces (a fenced block's own indent).
fn strip_indent(line: &str, n: usize) -> &str {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    line.get(spaces.min(n)..).unwrap_or(line)
}

/// `Some(n)` when the line is `#`×n followed by a space (n in 1..=6).
fn heading_level(text: &str) -> Option<usize> {
    let n = text.chars().take_while(|&c| c == '#').count();
    ((1..=6).contains(&n) && text.get(n..).is_some_and(|r| r.starts_with(' '))).then_some(n)
}

/// `Some((ordered, marker_len))` for `- ` and `12. ` items.
fn list_marker(text: &str) -> Option<(bool, usize)> {
    if text.starts_with("- ") {
        return Some((false, 2));
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && text.get(digits..).is_some_and(|r| r.starts_with(". ")) {
        return Some((true, digits + 2));
    }
    None
}

/// Removes `>` and one following space.
fn strip_quote(src: SrcLine<'_>) -> SrcLine<'_> {
    let s = src.skip(1);
    if s.text.starts_with(' ') {
        s.skip(1)
    } else {
        s
    }
}

fn parse_callout(
    open: SrcLine<'_>,
    quoted: &[SrcLine<'_>],
    links: &mut Vec<LinkRef>,
    errors: &mut Vec<MarkupError>,
) -> Option<Block> {
    let first = quoted.first()?;
    let Some(after) = first.text.strip_prefix("[!") else {
        errors.push(first.error(
            "a `>` block must start with a callout label: > [!IMPORTANT], > [!TIP], > [!WARNING] or > [!NOTE]",
        ));
        return None;
    };
    let Some(close_at) = after.find(']') else {
        errors.push(first.error("callout label is missing its closing `]`"));
        return None;
    };
    let label = after.get(..close_at).unwrap_or("");
    let Some(kind) = CalloutKind::from_label(label) else {
        errors.push(first.skip(2).error(format!(
            "unknown callout label {label:?}; use IMPORTANT, TIP, WARNING or NOTE"
        )));
        return None;
    };
    // Text after the label on the same line counts as the first body line.
    let rest = first.skip(2 + close_at + 1).trim_start();
    let mut inner: Vec<SrcLine<'_>> = Vec::new();
    if !rest.is_blank() {
        inner.push(rest);
    }
    inner.extend(quoted.iter().skip(1).copied());
    let body = parse_lines(&inner, links, errors);
    if body.is_empty() {
        errors.push(open.error(format!(
            "the {} callout is empty; add `> text` lines after the label",
            kind.label()
        )));
    }
    Some(Block {
        line: open.line,
        kind: BlockKind::Callout { kind, body },
    })
}

/// Splits a table row into its cells (`\|` escapes a bar inside a cell).
fn split_row<'a>(row: SrcLine<'a>) -> Vec<SrcLine<'a>> {
    let text = row.text.trim_end();
    let inner_start = 1; // after the leading '|'
    let inner_end = if text.len() > 1 && text.ends_with('|') && !text.ends_with("\\|") {
        text.len() - 1
    } else {
        text.len()
    };
    let mut cells = Vec::new();
    let mut start = inner_start;
    let bytes = text.as_bytes();
    let mut k = inner_start;
    while k < inner_end {
        if bytes.get(k) == Some(&b'\\') && bytes.get(k + 1) == Some(&b'|') {
            k += 2;
            continue;
        }
        if bytes.get(k) == Some(&b'|') {
            cells.push((start, k));
            start = k + 1;
        }
        k += 1;
    }
    cells.push((start, inner_end.max(start)));
    cells
        .into_iter()
        .map(|(s, e)| {
            let cell = SrcLine {
                line: row.line,
                column: row.column + text.get(..s).map_or(0, |p| p.chars().count()),
                text: text.get(s..e).unwrap_or(""),
            };
            cell.trim_start()
        })
        .collect()
}

fn is_separator(cells: &[SrcLine<'_>]) -> bool {
    cells.iter().all(|c| {
        let t = c.text.trim();
        t.contains('-') && t.chars().all(|ch| ch == '-' || ch == ':')
    })
}

fn parse_table(
    rows: &[SrcLine<'_>],
    links: &mut Vec<LinkRef>,
    errors: &mut Vec<MarkupError>,
) -> Option<BlockKind> {
    let first = rows.first()?;
    let header_cells = split_row(*first);
    let Some(sep) = rows.get(1).map(|r| split_row(*r)) else {
        errors
            .push(first.error("a table needs a separator row such as |---|---| after its header"));
        return None;
    };
    if !is_separator(&sep) {
        errors.push(
            rows.get(1)
                .map_or(*first, |r| *r)
                .error("the second row of a table must be the separator, such as |---|---|"),
        );
        return None;
    }
    let width = header_cells.len();
    let mut ok = true;
    if sep.len() != width {
        ok = false;
        errors.push(rows.get(1).map_or(*first, |r| *r).error(format!(
            "the separator row has {} cells but the header has {width}",
            sep.len()
        )));
    }
    let cell_inlines = |cells: Vec<SrcLine<'_>>, links: &mut Vec<LinkRef>| -> Vec<Vec<Inline>> {
        cells
            .into_iter()
            .map(|c| {
                let trimmed = SrcLine {
                    text: c.text.trim_end(),
                    ..c
                };
                let unescaped = trimmed.text.replace("\\|", "|");
                let mut v = inlines(&[trimmed], links);
                if unescaped != trimmed.text {
                    v = unescape_bars(v);
                }
                v
            })
            .collect()
    };
    let header = cell_inlines(header_cells, links);
    let mut body = Vec::new();
    for row in rows.iter().skip(2) {
        let cells = split_row(*row);
        if cells.len() != width {
            ok = false;
            errors.push(row.error(format!(
                "this table row has {} cells but the header has {width}",
                cells.len()
            )));
            continue;
        }
        body.push(cell_inlines(cells, links));
    }
    ok.then_some(BlockKind::Table { header, rows: body })
}

fn unescape_bars(v: Vec<Inline>) -> Vec<Inline> {
    v.into_iter()
        .map(|i| match i {
            Inline::Text(t) => Inline::Text(t.replace("\\|", "|")),
            Inline::Emph(t) => Inline::Emph(t.replace("\\|", "|")),
            Inline::Strong(t) => Inline::Strong(t.replace("\\|", "|")),
            Inline::Code(t) => Inline::Code(t.replace("\\|", "|")),
            other => other,
        })
        .collect()
}

fn parse_define(
    open: SrcLine<'_>,
    inner: &[SrcLine<'_>],
    links: &mut Vec<LinkRef>,
    errors: &mut Vec<MarkupError>,
) -> Option<BlockKind> {
    let mut fields: [Vec<SrcLine<'_>>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut current: Option<usize> = None;
    let mut ok = true;
    for l in inner {
        let l = &l.trim_start();
        if l.is_blank() {
            continue;
        }
        let key = ["term:", "means:", "example:"]
            .iter()
            .position(|k| l.text.starts_with(k));
        match key {
            Some(k) => {
                let klen = ["term:", "means:", "example:"]
                    .get(k)
                    .map_or(0, |s| s.len());
                if fields.get(k).is_some_and(|f| !f.is_empty()) {
                    ok = false;
                    errors.push(l.error("this define block already has this field"));
                }
                if let Some(f) = fields.get_mut(k) {
                    f.clear();
                    f.push(l.skip(klen).trim_start());
                }
                current = Some(k);
            }
            None => match current {
                // An indented or plain line continues the previous field.
                Some(k) => {
                    if let Some(f) = fields.get_mut(k) {
                        f.push(l.trim_start());
                    }
                }
                None => {
                    ok = false;
                    errors.push(l.error(
                        "a define block holds `term: ...`, `means: ...` and `example: ...` lines",
                    ));
                }
            },
        }
    }
    for (k, name) in ["term", "means", "example"].iter().enumerate() {
        if fields
            .get(k)
            .is_none_or(|f| f.iter().all(SrcLine::is_blank))
        {
            ok = false;
            errors.push(open.error(format!("this define block has no `{name}:` line")));
        }
    }
    if !ok {
        return None;
    }
    let [term, means, example] = fields;
    Some(BlockKind::Define {
        term: inlines(&term, links),
        means: inlines(&means, links),
        example: inlines(&example, links),
    })
}

/// Parses the inline styles of `lines`, joined with single spaces.
/// The text of bold or italic words as shown: a style holds plain text,
/// so the marks of code (`` `kms:Decrypt` ``), of a glossary link
/// (`[[id|words]]` shows "words") and of a nested style inside it are
/// dropped rather than shown raw.
fn inner_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("[[")
            && let Some(end) = after.find("]]")
        {
            let inner = after.get(..end).unwrap_or("");
            out.push_str(
                inner
                    .split_once('|')
                    .map_or(inner, |(_, shown)| shown)
                    .trim(),
            );
            rest = after.get(end + 2..).unwrap_or("");
            continue;
        }
        if let Some(after) = rest.strip_prefix('`')
            && let Some(end) = after.find('`')
            && end > 0
        {
            out.push_str(after.get(..end).unwrap_or(""));
            rest = after.get(end + 1..).unwrap_or("");
            continue;
        }
        if c != '*' {
            out.push(c);
        }
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    out
}

fn inlines(lines: &[SrcLine<'_>], links: &mut Vec<LinkRef>) -> Vec<Inline> {
    // Join the lines, remembering where each one starts so a link's position
    // can be mapped back to its file line and column.
    let mut joined = String::new();
    let mut segs: Vec<(usize, SrcLine<'_>)> = Vec::new();
    for l in lines {
        let t = l.text.trim_end();
        if t.is_empty() {
            continue;
        }
        if !joined.is_empty() {
            joined.push(' ');
        }
        segs.push((joined.len(), *l));
        joined.push_str(t);
    }
    let locate = |offset: usize| -> (usize, usize) {
        let seg = segs
            .iter()
            .rev()
            .find(|(start, _)| *start <= offset)
            .or(segs.first());
        match seg {
            Some((start, l)) => {
                let chars = joined.get(*start..offset).map_or(0, |s| s.chars().count());
                (l.line, l.column + chars)
            }
            None => (0, 0),
        }
    };

    let mut out: Vec<Inline> = Vec::new();
    let mut text = String::new();
    let mut rest = joined.as_str();
    let mut offset = 0;
    while let Some(c) = rest.chars().next() {
        let mut styled: Option<(Inline, usize)> = None;
        if let Some(after) = rest.strip_prefix("[[")
            && let Some(end) = after.find("]]")
        {
            let inner = after.get(..end).unwrap_or("");
            let (id, shown) = match inner.split_once('|') {
                Some((id, shown)) => (id.trim(), Some(shown.trim())),
                None => (inner.trim(), None),
            };
            if !id.is_empty() && id.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-') {
                let (line, column) = locate(offset);
                links.push(LinkRef {
                    id: id.to_string(),
                    has_text: shown.is_some(),
                    line,
                    column,
                });
                styled = Some((
                    Inline::TermLink {
                        id: id.to_string(),
                        text: shown.unwrap_or(id).to_string(),
                    },
                    2 + end + 2,
                ));
            }
        } else if let Some(after) = rest.strip_prefix('`')
            && let Some(end) = after.find('`')
            && end > 0
        {
            styled = Some((
                Inline::Code(after.get(..end).unwrap_or("").to_string()),
                end + 2,
            ));
        } else if let Some(after) = rest.strip_prefix("**")
            && let Some(end) = find_closing(after, "**")
        {
            styled = Some((
                Inline::Strong(inner_text(after.get(..end).unwrap_or(""))),
                end + 4,
            ));
        } else if let Some(after) = rest.strip_prefix('*')
            && !after.starts_with('*')
            && let Some(end) = find_closing(after, "*")
        {
            styled = Some((
                Inline::Emph(inner_text(after.get(..end).unwrap_or(""))),
                end + 2,
            ));
        }
        match styled {
            Some((inline, len)) => {
                if !text.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut text)));
                }
                out.push(inline);
                rest = rest.get(len..).unwrap_or("");
                offset += len;
            }
            None => {
                text.push(c);
                rest = rest.get(c.len_utf8()..).unwrap_or("");
                offset += c.len_utf8();
            }
        }
    }
    if !text.is_empty() {
        out.push(Inline::Text(text));
    }
    out
}

/// The end of an emphasis run opened just before `after`: the text must not
/// start or end with a space (so `kms:* and s3:*` stays plain text).
fn find_closing(after: &str, marker: &str) -> Option<usize> {
    if after.starts_with(char::is_whitespace) || after.starts_with(marker) {
        return None;
    }
    let mut from = 0;
    while let Some(pos) = after.get(from..).and_then(|s| s.find(marker)) {
        let end = from + pos;
        let before = after.get(..end).and_then(|s| s.chars().last());
        if before.is_some_and(|b| !b.is_whitespace()) {
            return Some(end);
        }
        from = end + marker.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }

    fn ok(body: &str) -> Vec<Block> {
        let parsed = parse(body, 10);
        assert!(
            parsed.errors.is_empty(),
            "unexpected errors: {:?}",
            parsed.errors
        );
        parsed.blocks
    }

    fn kinds(body: &str) -> Vec<BlockKind> {
        ok(body).into_iter().map(|b| b.kind).collect()
    }

    fn errors(body: &str) -> Vec<(usize, usize, String)> {
        parse(body, 1)
            .errors
            .into_iter()
            .map(|e| (e.line, e.column, e.message))
            .collect()
    }

    #[test]
    fn paragraph_lines_are_joined_and_blank_lines_split() {
        let blocks = ok("One line\nand its continuation.\n\nSecond paragraph.");
        assert_eq!(blocks.len(), 2);
        assert_eq!(
            blocks[0],
            Block {
                line: 10,
                kind: BlockKind::Paragraph(vec![t("One line and its continuation.")])
            }
        );
        assert_eq!(blocks[1].line, 13);
    }

    #[test]
    fn code_links_and_stars_inside_bold_or_italics_leave_no_raw_marks() {
        let (inl, _) = parse_inline(
            "**Use `kms:Decrypt` with the [[key-arn|key ARN]]** and *a `b` [[grant]]*",
        );
        assert_eq!(
            inl,
            vec![
                Inline::Strong("Use kms:Decrypt with the key ARN".into()),
                Inline::Text(" and ".into()),
                Inline::Emph("a b grant".into()),
            ]
        );
    }

    #[test]
    fn inline_styles() {
        let k = kinds("Plain *emph* and **strong** with `kms:Decrypt` and [[key-policy]].");
        assert_eq!(
            k,
            vec![BlockKind::Paragraph(vec![
                t("Plain "),
                Inline::Emph("emph".into()),
                t(" and "),
                Inline::Strong("strong".into()),
                t(" with "),
                Inline::Code("kms:Decrypt".into()),
                t(" and "),
                Inline::TermLink {
                    id: "key-policy".into(),
                    text: "key-policy".into()
                },
                t("."),
            ])]
        );
    }

    #[test]
    fn lone_stars_and_backticks_stay_text() {
        let k = kinds("Actions kms:* and s3:* are broad; a ` alone is text.");
        assert_eq!(
            k,
            vec![BlockKind::Paragraph(vec![t(
                "Actions kms:* and s3:* are broad; a ` alone is text."
            )])]
        );
    }

    #[test]
    fn emphasis_may_span_joined_lines() {
        let k = kinds("a *two\nline* phrase");
        assert_eq!(
            k,
            vec![BlockKind::Paragraph(vec![
                t("a "),
                Inline::Emph("two line".into()),
                t(" phrase")
            ])]
        );
    }

    #[test]
    fn term_link_with_text_and_positions() {
        let parsed = parse("First line\n  see [[key-policy|key policies]] here", 5);
        assert_eq!(
            parsed.links,
            vec![LinkRef {
                id: "key-policy".into(),
                has_text: true,
                line: 6,
                column: 7
            }]
        );
        assert_eq!(
            parsed.blocks[0].kind,
            BlockKind::Paragraph(vec![
                t("First line see "),
                Inline::TermLink {
                    id: "key-policy".into(),
                    text: "key policies".into()
                },
                t(" here")
            ])
        );
    }

    #[test]
    fn headings() {
        let k = kinds("## Two halves\n### The `key` policy\n#not a heading");
        assert_eq!(
            k,
            vec![
                BlockKind::Heading {
                    level: 2,
                    text: vec![t("Two halves")]
                },
                BlockKind::Heading {
                    level: 3,
                    text: vec![t("The "), Inline::Code("key".into()), t(" policy")]
                },
                BlockKind::Paragraph(vec![t("#not a heading")]),
            ]
        );
    }

    #[test]
    fn lists_with_continuations() {
        let k = kinds("- first\n  continued\n- second\n\n1. one\n2. two");
        assert_eq!(
            k,
            vec![
                BlockKind::List {
                    ordered: false,
                    items: vec![vec![t("first continued")], vec![t("second")]]
                },
                BlockKind::List {
                    ordered: true,
                    items: vec![vec![t("one")], vec![t("two")]]
                },
            ]
        );
    }

    #[test]
    fn list_then_paragraph_without_blank_line() {
        let k = kinds("- item\nNot indented: a paragraph.");
        assert_eq!(k.len(), 2);
        assert!(matches!(k[1], BlockKind::Paragraph(_)));
    }

    #[test]
    fn callouts_hold_blocks() {
        let blocks =
            ok("Intro.\n> [!WARNING]\n> Both halves are needed.\n>\n> - a list inside\nAfter.");
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[1].line, 11);
        assert_eq!(
            blocks[1].kind,
            BlockKind::Callout {
                kind: CalloutKind::Warning,
                body: vec![
                    Block {
                        line: 12,
                        kind: BlockKind::Paragraph(vec![t("Both halves are needed.")])
                    },
                    Block {
                        line: 14,
                        kind: BlockKind::List {
                            ordered: false,
                            items: vec![vec![t("a list inside")]]
                        }
                    },
                ]
            }
        );
        for (label, kind) in [
            ("IMPORTANT", CalloutKind::Important),
            ("TIP", CalloutKind::Tip),
            ("NOTE", CalloutKind::Note),
        ] {
            let k = kinds(&format!("> [!{label}]\n> text"));
            assert!(matches!(&k[0], BlockKind::Callout { kind: got, .. } if *got == kind));
        }
    }

    #[test]
    fn callout_errors() {
        assert_eq!(
            errors("text\n> [!DANGER]\n> boom"),
            vec![(
                2,
                5,
                "unknown callout label \"DANGER\"; use IMPORTANT, TIP, WARNING or NOTE".into()
            )]
        );
        let e = errors("> just a quote");
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].0, e[0].1), (1, 3));
        let e = errors("> [!TIP]");
        assert_eq!(e.len(), 1);
        assert!(e[0].2.contains("empty"), "{e:?}");
    }

    #[test]
    fn tables() {
        let k = kinds(
            "| Key | Shareable |\n|---|:---:|\n| customer managed | **yes** |\n| `aws/s3` | no \\| never |",
        );
        assert_eq!(
            k,
            vec![BlockKind::Table {
                header: vec![vec![t("Key")], vec![t("Shareable")]],
                rows: vec![
                    vec![
                        vec![t("customer managed")],
                        vec![Inline::Strong("yes".into())]
                    ],
                    vec![vec![Inline::Code("aws/s3".into())], vec![t("no | never")]],
                ]
            }]
        );
    }

    #[test]
    fn table_errors() {
        let e = errors("| a | b |\n| c | d |");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].0, 2);
        let e = errors("| a | b |\n|---|---|\n| only one |");
        assert_eq!(
            e,
            vec![(
                3,
                1,
                "this table row has 1 cells but the header has 2".into()
            )]
        );
    }

    #[test]
    fn code_blocks_keep_lines_verbatim() {
        let k = kinds("```json\n{\n  \"Effect\": \"Allow\"\n}\n```\n```\nplain *not emph*\n```");
        assert_eq!(
            k,
            vec![
                BlockKind::Code {
                    lang: "json".into(),
                    lines: vec!["{".into(), "  \"Effect\": \"Allow\"".into(), "}".into()]
                },
                BlockKind::Code {
                    lang: "text".into(),
                    lines: vec!["plain *not emph*".into()]
                },
            ]
        );
    }

    #[test]
    fn an_indented_fence_still_opens_a_code_block() {
        let k = kinds("- item\n  ```json\n  {}\n  ```");
        assert_eq!(
            k,
            vec![
                BlockKind::List {
                    ordered: false,
                    items: vec![vec![t("item")]]
                },
                BlockKind::Code {
                    lang: "json".into(),
                    lines: vec!["{}".into()]
                },
            ]
        );
    }

    #[test]
    fn unclosed_fence_is_reported_at_its_opening_line() {
        let e = errors("Intro\n\n```json\n{\n");
        assert_eq!(
            e,
            vec![(
                3,
                1,
                "unclosed code fence: the ```json opened here has no closing ```".into()
            )]
        );
    }

    #[test]
    fn define_blocks() {
        let k = kinds(
            "```define\nterm: Key policy\nmeans: The resource policy on one key,\n  the root of authority.\nexample: A's key trusts `arn:aws:iam::222222222222:root`.\n```",
        );
        assert_eq!(
            k,
            vec![BlockKind::Define {
                term: vec![t("Key policy")],
                means: vec![t("The resource policy on one key, the root of authority.")],
                example: vec![
                    t("A's key trusts "),
                    Inline::Code("arn:aws:iam::222222222222:root".into()),
                    t(".")
                ],
            }]
        );
    }

    #[test]
    fn define_errors() {
        let e = errors("```define\nterm: X\nmeans: Y\n```");
        assert_eq!(
            e,
            vec![(1, 1, "this define block has no `example:` line".into())]
        );
        let e = errors("```define\nstray\nterm: X\nmeans: Y\nexample: Z\n```");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].0, 2);
    }

    #[test]
    fn diagrams() {
        assert_eq!(
            kinds("@diagram handshake\n@diagram envelope"),
            vec![
                BlockKind::Diagram(DiagramId::Handshake),
                BlockKind::Diagram(DiagramId::Envelope)
            ]
        );
        assert_eq!(
            errors("\n@diagram flowchart"),
            vec![(
                2,
                10,
                "unknown diagram \"flowchart\"; known diagrams: handshake, envelope".into()
            )]
        );
    }

    #[test]
    fn every_error_is_reported() {
        let e = errors("> [!X]\n> a\n\n@diagram nope\n\n```\nopen");
        assert_eq!(e.len(), 3, "{e:?}");
        assert_eq!(e.iter().map(|e| e.0).collect::<Vec<_>>(), vec![1, 4, 6]);
    }

    #[test]
    fn single_texts_get_inline_styles() {
        let (inlines, links) = parse_inline("Which *one*?\nSee [[grant|grants]].");
        assert_eq!(
            inlines,
            vec![
                t("Which "),
                Inline::Emph("one".into()),
                t("? See "),
                Inline::TermLink {
                    id: "grant".into(),
                    text: "grants".into()
                },
                t(".")
            ]
        );
        assert_eq!((links[0].line, links[0].column), (2, 5));
    }

    proptest::proptest! {
        /// Whatever an author types, the parser returns (never panics), and
        /// every block and error points at a line of the body.
        #[test]
        fn any_body_parses_without_panicking(
            lines in proptest::collection::vec(
                proptest::string::string_regex(
                    "[ >|#`*\\[\\]!@a-z0-9.:-]{0,24}|```[a-z]{0,6}|> \\[![A-Z]{1,9}\\]|@diagram [a-z]{0,9}|\\| [a-z]{1,3} \\| [a-z]{1,3} \\|"
                ).unwrap_or_else(|e| panic!("{e}")),
                0..30,
            )
        ) {
            let body = lines.join("\n");
            let parsed = parse(&body, 7);
            let last = 7 + lines.len().max(1) - 1;
            fn check(blocks: &[Block], last: usize) {
                for b in blocks {
                    assert!((7..=last).contains(&b.line), "block line {} outside 7..={last}", b.line);
                    if let BlockKind::Callout { body, .. } = &b.kind {
                        check(body, last);
                    }
                }
            }
            check(&parsed.blocks, last);
            for e in &parsed.errors {
                proptest::prop_assert!((7..=last).contains(&e.line));
                proptest::prop_assert!(e.column >= 1);
            }
        }
    }

    #[test]
    fn windows_line_endings() {
        let k = kinds("## Title\r\nText\r\n");
        assert_eq!(
            k,
            vec![
                BlockKind::Heading {
                    level: 2,
                    text: vec![t("Title")]
                },
                BlockKind::Paragraph(vec![t("Text")])
            ]
        );
    }
}
