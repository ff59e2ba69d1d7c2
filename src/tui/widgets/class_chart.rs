//! `keyshake class report` on a terminal: the class exam's scores and the
//! questions' facility index as ratatui bar charts. They are drawn once
//! into a buffer and printed as text, so the report stays in the
//! scrollback like any command's output (no full screen, no raw mode).

use ratatui::buffer::Buffer;
use ratatui::layout::{Direction, Rect};
use ratatui::symbols;
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, Block, Widget};

use crate::core::class::figures::Figures;
use crate::core::class::render::{exam_result, facility_text};
use crate::core::text::neutralise;

/// Bars drawn with `#` only, for `--ascii` terminals.
const ASCII_BARS: symbols::bar::Set<'static> = symbols::bar::Set {
    full: "#",
    seven_eighths: "#",
    three_quarters: "#",
    five_eighths: "#",
    half: "#",
    three_eighths: "#",
    one_quarter: " ",
    one_eighth: " ",
    empty: " ",
};

/// The two charts as text, `width` columns wide: one bar per student
/// (exam percent) and one per question of the class exam (facility index
/// in hundredths). Empty when no student took the exam.
pub fn charts(f: &Figures, width: u16, ascii: bool) -> String {
    let width = width.clamp(40, 160);
    let scores: Vec<Bar> = f
        .rows
        .iter()
        .filter_map(|r| {
            let e = r.exam.as_ref()?;
            Some(
                Bar::default()
                    .label(Line::from(format!(
                        "{} {:>4}% {}",
                        neutralise(&r.profile),
                        e.percent,
                        exam_result(Some(e))
                    )))
                    .value(u64::from(e.percent.min(100)))
                    .text_value(String::new()),
            )
        })
        .collect();
    if scores.is_empty() {
        return String::new();
    }
    let id_width = f
        .questions
        .iter()
        .map(|q| q.id.chars().count())
        .max()
        .unwrap_or(0);
    let questions: Vec<Bar> = f
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let hundredths = q.facility().map_or(0, |v| (v * 100.0).round() as u64);
            Bar::default()
                .label(Line::from(format!(
                    "{:>2}. {:<id_width$} {} ({}/{})",
                    i + 1,
                    neutralise(&q.id),
                    facility_text(q),
                    q.score.right,
                    q.score.total
                )))
                .value(hundredths)
                .text_value(String::new())
        })
        .collect();
    let mut out = draw("Exam scores (percent)", scores, width, ascii);
    if !questions.is_empty() {
        out.push_str(&draw(
            "Facility index (share of students right)",
            questions,
            width,
            ascii,
        ));
    }
    out
}

/// One horizontal bar chart, full scale 100, inside a titled border.
fn draw(title: &str, bars: Vec<Bar<'_>>, width: u16, ascii: bool) -> String {
    let height = u16::try_from(bars.len())
        .unwrap_or(u16::MAX - 2)
        .saturating_add(2);
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    let (border, bar_set) = if ascii {
        (symbols::border::PLAIN, ASCII_BARS)
    } else {
        (symbols::border::ROUNDED, symbols::bar::NINE_LEVELS)
    };
    let block = if ascii {
        Block::bordered()
            .border_set(symbols::border::Set {
                top_left: "+",
                top_right: "+",
                bottom_left: "+",
                bottom_right: "+",
                vertical_left: "|",
                vertical_right: "|",
                horizontal_top: "-",
                horizontal_bottom: "-",
            })
            .title(title)
    } else {
        Block::bordered().border_set(border).title(title)
    };
    BarChart::default()
        .direction(Direction::Horizontal)
        .block(block)
        .bar_width(1)
        .bar_gap(0)
        .bar_set(bar_set)
        .max(100)
        .data(ratatui::widgets::BarGroup::default().bars(&bars))
        .render(area, &mut buf);
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
