//! A framed panel of lines that scrolls: the lines from an offset, and a
//! "↓ more" / "↑ more" mark in the border when some lie out of view, so
//! text that does not fit is never silently cut.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};
use std::cell::Cell;

/// Draws `lines` in `block` over `area`, from line `top` (clamped so the
/// last page is full). `max` receives the largest useful offset, for the
/// screen to clamp its scrolling. `keys` names the scroll keys in the
/// "more" mark.
#[allow(clippy::too_many_arguments)]
pub fn scroll_panel(
    lines: Vec<Line<'static>>,
    block: Block<'_>,
    area: Rect,
    buf: &mut Buffer,
    top: u16,
    max: &Cell<u16>,
    keys: &str,
    (ascii, dim): (bool, Style),
) {
    let inner = block.inner(area);
    let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let last = total.saturating_sub(inner.height);
    max.set(last);
    let top = top.min(last);
    let mut block = block;
    if top > 0 {
        let up = if ascii { "^" } else { "↑" };
        block = block.title(Line::from(Span::styled(format!(" {up} more "), dim)).right_aligned());
    }
    if top < last {
        let down = if ascii { "v" } else { "↓" };
        let below = last - top;
        block = block.title_bottom(
            Line::from(Span::styled(format!(" {down} {below} more ({keys}) "), dim))
                .right_aligned(),
        );
    }
    block.render(area, buf);
    for (i, line) in lines.into_iter().skip(usize::from(top)).enumerate() {
        let Ok(i) = u16::try_from(i) else { break };
        if i >= inner.height {
            break;
        }
        line.render(Rect::new(inner.x, inner.y + i, inner.width, 1), buf);
    }
}
