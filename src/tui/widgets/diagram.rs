//! The step-through diagrams (handshake, envelope encryption) drawn with
//! box-drawing characters, or ASCII when the terminal cannot show them.
//!
//! Boxes flow left to right and wrap to the next row when the width runs
//! out. An arrow joins two neighbouring boxes when one of the diagram's
//! steps is a hop between them; the current step's box or arrow is drawn
//! highlighted *and* marked with `▶`/`*`, and a "now:" line names the hop
//! in words, so it reads without colour too. A hop back to an earlier box
//! draws the arrows it runs along pointing back.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::wrap::wrap;
use crate::core::content::diagram::{Diagram, Focus};
use crate::tui::theme::Theme;

/// Characters for boxes and arrows.
struct Glyphs {
    tl: &'static str,
    tr: &'static str,
    bl: &'static str,
    br: &'static str,
    h: &'static str,
    v: &'static str,
    right: &'static str,
    left: &'static str,
    marker: &'static str,
}

const UNICODE: Glyphs = Glyphs {
    tl: "┌",
    tr: "┐",
    bl: "└",
    br: "┘",
    h: "─",
    v: "│",
    right: "─▶",
    left: "◀─",
    marker: "▶",
};

const ASCII: Glyphs = Glyphs {
    tl: "+",
    tr: "+",
    bl: "+",
    br: "+",
    h: "-",
    v: "|",
    right: "->",
    left: "<-",
    marker: "*",
};

/// Width of the gap between two boxes on a row: " ─▶ ".
const GAP: usize = 4;

/// The diagram `d` at step `step` (clamped), laid out in `width` columns,
/// followed by the step's heading and explanation.
pub fn diagram_lines(
    d: &Diagram,
    step: usize,
    width: u16,
    theme: &Theme,
    ascii: bool,
) -> Vec<Line<'static>> {
    draw(d, Some(step), width, theme, ascii, true)
}

/// The boxes of diagram `d` with step `step` lit (none lit for `None`),
/// followed only by one line naming the lit step ("▶ In the diagram:
/// ..."): for a screen that explains the step in its own words.
pub fn diagram_boxes(
    d: &Diagram,
    step: Option<usize>,
    width: u16,
    theme: &Theme,
    ascii: bool,
) -> Vec<Line<'static>> {
    draw(d, step, width, theme, ascii, false)
}

fn draw(
    d: &Diagram,
    step: Option<usize>,
    width: u16,
    theme: &Theme,
    ascii: bool,
    with_text: bool,
) -> Vec<Line<'static>> {
    let width = usize::from(width).max(20);
    let step_index = step.map_or(0, |s| s.min(d.steps.len().saturating_sub(1)));
    let current = step.and_then(|_| d.steps.get(step_index));
    let scene = Scene {
        g: if ascii { &ASCII } else { &UNICODE },
        d,
        focus: current.map(|s| s.focus),
        // A screen explaining the step in its own words (the envelope
        // walkthrough, where a Decrypt may be refused) lights no reply.
        reply: current.and_then(|s| s.reply).filter(|_| with_text),
        step_index,
        theme,
    };
    let rows = scene.rows(width);
    let mut out: Vec<Line<'static>> = Vec::new();
    out.push(Line::from(Span::styled(d.title.clone(), theme.heading)));
    if !d.note.is_empty() {
        out.extend(wrap(&[(d.note.clone(), theme.dim)], width, &[], &[]));
    }
    for ri in 0..rows.len() {
        scene.row_lines(&rows, ri, &mut out);
    }
    let g = scene.g;
    // The step: "Step 2 of 5 · B's half: the IAM policy", then its text.
    if let Some(s) = current
        && !with_text
    {
        out.push(Line::from(vec![
            Span::styled(format!("{} In the diagram: ", g.marker), theme.strong),
            Span::styled(s.label.to_string(), theme.strong),
        ]));
        return out;
    }
    if let Some(s) = current {
        out.push(Line::default());
        out.push(Line::from(vec![
            Span::styled(
                format!(
                    "{} Step {} of {} {} ",
                    g.marker,
                    step_index + 1,
                    d.steps.len(),
                    if ascii { "-" } else { "·" }
                ),
                theme.strong,
            ),
            Span::styled(s.label.to_string(), theme.strong),
        ]));
        out.extend(wrap(
            &[(now_words(d, s, ascii), theme.strong)],
            width,
            &[Span::raw("  ")],
            &[Span::raw("    ")],
        ));
        let text = vec![(
            s.text.split_whitespace().collect::<Vec<_>>().join(" "),
            theme.text,
        )];
        out.extend(wrap(&text, width, &[Span::raw("  ")], &[Span::raw("  ")]));
        let last = step_index + 1 >= d.steps.len();
        let nav = match (ascii, last) {
            (true, false) => "<- back   -> next",
            (true, true) => "<- back   (last step)",
            (false, false) => "← back   → next",
            (false, true) => "← back   (last step)",
        };
        out.push(Line::from(Span::styled(format!("  {nav}"), theme.dim)));
    }
    out
}

/// "now: Lambda role → B's IAM policy": the current step in words, so it
/// reads without colour.
fn now_words(d: &Diagram, s: &crate::core::content::diagram::Step, ascii: bool) -> String {
    let arrow = if ascii { "->" } else { "→" };
    let name = |i: usize| d.nodes.get(i).map_or("", |n| n.label.as_str());
    let mut out = match s.focus {
        Focus::Node(n) => format!("now: {}", name(n)),
        Focus::Hop { from, to } => format!("now: {} {arrow} {}", name(from), name(to)),
    };
    if let Some(r) = s.reply {
        out.push_str(&format!(", and back {arrow} {}", name(r)));
    }
    out
}

/// One diagram at one step: what drawing its rows needs.
struct Scene<'a> {
    g: &'static Glyphs,
    d: &'a Diagram,
    /// What the current step points at.
    focus: Option<Focus>,
    /// The box the current step's result goes back to.
    reply: Option<usize>,
    step_index: usize,
    theme: &'a Theme,
}

/// Whether a step with focus `f` touches box `i`.
fn touches(f: Focus, i: usize) -> bool {
    match f {
        Focus::Node(n) => n == i,
        Focus::Hop { from, to } => from == i || to == i,
    }
}

impl Scene<'_> {
    /// Whether some step is a hop between neighbours `a` and `b`, or the
    /// diagram draws an arrow between them.
    fn linked(&self, a: usize, b: usize) -> bool {
        let joins = |from: usize, to: usize| (from == a && to == b) || (from == b && to == a);
        self.d
            .steps
            .iter()
            .any(|s| matches!(s.focus, Focus::Hop { from, to } if joins(from, to)))
            || self.d.arrows.iter().any(|&(from, to)| joins(from, to))
    }

    /// Whether the arrow between neighbours `prev` and `i` points back to
    /// `prev`: the current step walks it that way, or nothing walks or
    /// draws it forwards.
    fn backwards(&self, prev: usize, i: usize) -> bool {
        if let Some(back) = on_hop(self.focus, prev, i) {
            return back;
        }
        !self
            .d
            .steps
            .iter()
            .any(|s| s.focus == Focus::Hop { from: prev, to: i })
            && !self.d.arrows.contains(&(prev, i))
    }

    fn box_width(&self, i: usize) -> usize {
        let n = &self.d.nodes[i];
        n.label.width().max(n.detail.width()) + 4
    }

    /// A box a step before the current one touched.
    fn visited(&self, i: usize) -> bool {
        self.d.steps[..self.step_index]
            .iter()
            .any(|s| touches(s.focus, i) || s.reply == Some(i))
    }

    /// The boxes flowed into rows that fit `width`.
    fn rows(&self, width: usize) -> Vec<Vec<usize>> {
        let mut rows: Vec<Vec<usize>> = vec![Vec::new()];
        let mut used = 0;
        for i in 0..self.d.nodes.len() {
            let w = self.box_width(i);
            let row = rows.last().map_or(0, Vec::len);
            let needed = if row == 0 { w } else { GAP + w };
            if row > 0 && used + needed + 3 > width {
                rows.push(Vec::new());
                used = 0;
            }
            let first = rows.last().is_some_and(Vec::is_empty);
            used += if first { w + 3 } else { GAP + w };
            if let Some(r) = rows.last_mut() {
                r.push(i);
            }
        }
        rows
    }

    /// The lines of row `ri` of `rows`: the boxes with the arrows between
    /// them, and the connector into the next row.
    fn row_lines(&self, rows: &[Vec<usize>], ri: usize, out: &mut Vec<Line<'static>>) {
        let (g, focus, theme) = (self.g, self.focus, self.theme);
        let linked = |a: usize, b: usize| self.linked(a, b);
        let row = &rows[ri];
        // Rows after the first are indented by 3 for the connector.
        let indent = if ri == 0 { 0 } else { 3 };
        let continues = rows
            .get(ri + 1)
            .and_then(|next| next.first())
            .zip(row.last())
            .is_some_and(|(&n, &l)| linked(l, n));
        let came_in = ri > 0
            && rows[ri - 1]
                .last()
                .zip(row.first())
                .is_some_and(|(&l, &n)| linked(l, n));
        let mut top = Vec::new();
        let mut mid = Vec::new();
        let mut det = Vec::new();
        let mut bot = Vec::new();
        if indent > 0 {
            top.push(Span::styled(
                if came_in {
                    format!("{}  ", g.v)
                } else {
                    "   ".to_string()
                },
                theme.border,
            ));
            let into = if came_in {
                focus_style_for_hop(
                    focus,
                    rows[ri - 1].last().copied(),
                    row.first().copied(),
                    theme,
                )
            } else {
                theme.border
            };
            let back = rows[ri - 1]
                .last()
                .zip(row.first())
                .and_then(|(&l, &n)| on_hop(focus, l, n))
                .unwrap_or(false);
            mid.push(Span::styled(
                if came_in && back {
                    format!("{}{}{}", g.bl, g.h, g.h)
                } else if came_in {
                    format!("{}{}", g.bl, g.right)
                } else {
                    "   ".to_string()
                },
                into,
            ));
            det.push(Span::raw("   "));
            bot.push(Span::raw("   "));
        }
        for (pos, &i) in row.iter().enumerate() {
            if pos > 0 {
                let prev = row[pos - 1];
                let (arrow, style) = if linked(prev, i) {
                    let glyph = if self.backwards(prev, i) {
                        g.left
                    } else {
                        g.right
                    };
                    (
                        format!(" {glyph} "),
                        focus_style_for_hop(focus, Some(prev), Some(i), theme),
                    )
                } else {
                    ("    ".to_string(), theme.border)
                };
                top.push(Span::raw("    "));
                mid.push(Span::styled(arrow, style));
                det.push(Span::raw("    "));
                bot.push(Span::raw("    "));
            }
            self.push_node(i, [&mut top, &mut mid, &mut det, &mut bot]);
        }
        if continues {
            let out_style = focus_style_for_hop(
                focus,
                row.last().copied(),
                rows[ri + 1].first().copied(),
                theme,
            );
            let back = row
                .last()
                .zip(rows[ri + 1].first())
                .and_then(|(&l, &n)| on_hop(focus, l, n))
                .unwrap_or(false);
            let head = if back {
                g.left.to_string()
            } else {
                g.h.repeat(2)
            };
            mid.push(Span::styled(format!("{head}{}", g.tr), out_style));
            det.push(Span::styled(format!("  {}", g.v), out_style));
            bot.push(Span::styled(format!("  {}", g.v), out_style));
        }
        let line_width: usize = mid.iter().map(Span::width).sum();
        out.push(Line::from(top));
        out.push(Line::from(mid));
        out.push(Line::from(det));
        out.push(Line::from(bot));
        if continues {
            // ┌──────────────┘ joining the end of this row to the next row.
            let out_style = focus_style_for_hop(
                focus,
                row.last().copied(),
                rows[ri + 1].first().copied(),
                theme,
            );
            let span = line_width.saturating_sub(2);
            out.push(Line::from(Span::styled(
                format!("{}{}{}", g.tl, g.h.repeat(span.saturating_sub(1)), g.br),
                out_style,
            )));
        }
    }
    /// Box `i`'s top, label, detail and bottom, onto the row's four lines.
    fn push_node(&self, i: usize, lines: [&mut Vec<Span<'static>>; 4]) {
        let (g, d, focus, theme) = (self.g, self.d, self.focus, self.theme);
        let [top, mid, det, bot] = lines;
        let n = &d.nodes[i];
        let w = self.box_width(i);
        let active = focus.is_some_and(|f| touches(f, i)) || self.reply == Some(i);
        let style = if active {
            theme.hop_active
        } else if self.visited(i) {
            theme.hop_done
        } else {
            theme.hop_pending
        };
        let marker = if active { g.marker } else { " " };
        let inner = w - 2;
        top.push(Span::styled(
            format!("{}{}{}", g.tl, g.h.repeat(inner), g.tr),
            style,
        ));
        mid.push(Span::styled(format!("{}{}", g.v, marker), style));
        mid.push(Span::styled(pad(&n.label, inner - 1), style));
        mid.push(Span::styled(g.v.to_string(), style));
        det.push(Span::styled(format!("{} ", g.v), style));
        det.push(Span::styled(pad(&n.detail, inner - 1), style));
        det.push(Span::styled(g.v.to_string(), style));
        bot.push(Span::styled(
            format!("{}{}{}", g.bl, g.h.repeat(inner), g.br),
            style,
        ));
    }
}

/// Whether the arrow between neighbours `a` and `a + 1` lies on the current
/// hop (a hop may run along several arrows), and if so whether it runs
/// back (from a later box to an earlier one).
fn on_hop(focus: Option<Focus>, a: usize, b: usize) -> Option<bool> {
    let Some(Focus::Hop { from, to }) = focus else {
        return None;
    };
    let (lo, hi) = (from.min(to), from.max(to));
    (lo <= a.min(b) && a.max(b) <= hi).then_some(from > to)
}

/// The style of the arrow between `a` and `b`: highlighted when the current
/// hop runs along it (either way).
fn focus_style_for_hop(
    focus: Option<Focus>,
    a: Option<usize>,
    b: Option<usize>,
    theme: &Theme,
) -> Style {
    match (a, b) {
        (Some(a), Some(b)) if on_hop(focus, a, b).is_some() => theme.hop_active,
        _ => theme.border,
    }
}

fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    let left = width.saturating_sub(w) / 2;
    let right = width.saturating_sub(w + left);
    format!("{}{text}{}", " ".repeat(left), " ".repeat(right))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::core::content::diagram::{DiagramNames, builtins};
    use crate::tui::widgets::wrap::plain as text;

    fn handshake() -> Diagram {
        builtins(&DiagramNames::default()).remove(0)
    }

    #[test]
    fn every_step_of_both_diagrams_fits_80_and_120_columns() {
        for d in builtins(&DiagramNames::default()) {
            let id = &d.id;
            for step in 0..d.steps.len() {
                for (width, ascii) in [(76u16, false), (116, false), (76, true)] {
                    let lines = diagram_lines(&d, step, width, &Theme::new(false), ascii);
                    for l in &lines {
                        assert!(
                            l.width() <= usize::from(width),
                            "{id:?} step {step} at {width}: {:?}",
                            text(std::slice::from_ref(l))
                        );
                    }
                    let all = text(&lines);
                    for n in &d.nodes {
                        assert!(all.contains(&n.label), "{id:?} misses {}", n.label);
                    }
                    assert!(all.contains(&format!("Step {} of", step + 1)));
                    if ascii {
                        assert!(
                            all.is_ascii(),
                            "ASCII mode draws ASCII only: {id:?} step {step}:\n{all}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_current_box_is_marked_without_colour() {
        // Step 1 of the handshake focuses the first box: its label line
        // carries the marker, the others do not.
        let lines = diagram_lines(&handshake(), 0, 116, &Theme::new(false), false);
        let t = text(&lines);
        assert!(t.contains("│▶"), "{t}");
        assert_eq!(
            t.matches('▶').count() - t.matches("─▶").count() - t.matches("Step").count(),
            1,
            "{t}"
        );
    }

    #[test]
    fn only_the_last_step_offers_no_next_and_every_step_names_its_hop() {
        for d in builtins(&DiagramNames::default()) {
            let last = d.steps.len() - 1;
            for step in 0..=last {
                for ascii in [false, true] {
                    let t = text(&diagram_lines(&d, step, 116, &Theme::new(false), ascii));
                    let next = if ascii { "-> next" } else { "→ next" };
                    assert_eq!(
                        t.contains(next),
                        step < last,
                        "{:?} step {step}:\n{t}",
                        d.id
                    );
                    assert!(t.contains("now: "), "{:?} step {step}:\n{t}", d.id);
                }
            }
        }
    }

    #[test]
    fn a_hop_back_draws_its_arrows_pointing_back() {
        let envelope = builtins(&DiagramNames::default()).remove(1);
        // Step 7 goes from the ciphertext back to the plaintext: both
        // arrows of the first row point left.
        let t = text(&diagram_lines(&envelope, 6, 116, &Theme::new(false), true));
        assert!(t.contains("Plaintext data | <- |"), "{t}");
        assert!(t.contains("now: Ciphertext -> Plaintext data"), "{t}");
        // Step 2 goes forward.
        let t = text(&diagram_lines(&envelope, 1, 116, &Theme::new(false), true));
        assert!(t.contains("Plaintext data | -> |"), "{t}");
    }

    #[test]
    fn the_handshake_says_its_order_is_a_teaching_order_and_shows_s3_before_kms() {
        let t = text(&diagram_lines(
            &handshake(),
            2,
            116,
            &Theme::new(false),
            false,
        ));
        assert!(t.contains("teaching order"), "{t}");
        let s3 = t.find("Amazon S3").expect("an S3 box");
        let kms = t.find("AWS KMS").expect("a KMS box");
        assert!(s3 < kms, "{t}");
        assert!(t.contains("now: B's IAM policy → Amazon S3"), "{t}");
    }

    #[test]
    fn the_active_hop_is_highlighted() {
        let theme = Theme::new(true);
        let lines = diagram_lines(&handshake(), 1, 116, &theme, false);
        let arrow = lines
            .iter()
            .flat_map(|l| l.spans.iter())
            .find(|s| s.content.contains('▶') && s.style == theme.hop_active);
        assert!(
            arrow.is_some(),
            "the arrow of hop 1 is drawn in the active style"
        );
    }
}
