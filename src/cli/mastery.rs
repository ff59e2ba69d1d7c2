//! The mastery figures as `keyshake progress` prints them: the same
//! numbers as the TUI's mastery screen, in plain text (no colour; every bar
//! has its number).

use std::fmt::Write as _;

use crate::core::mastery::{Bar, FORECAST_DAYS, Mastery};

/// Width of a text bar in characters.
const BAR_W: usize = 10;

/// `[######----]`, filled in proportion to `score` (empty for none).
fn text_bar(score: Option<u32>) -> String {
    let filled = score.map_or(0, |s| (s.min(100) as usize * BAR_W + 50) / 100);
    format!("[{}{}]", "#".repeat(filled), "-".repeat(BAR_W - filled))
}

fn bar_line(out: &mut String, b: &Bar, id_w: usize) {
    let score = b.score.map_or(" -- ".to_string(), |s| format!("{s:>3}%"));
    let counts = if b.attempts == 0 {
        "no attempts yet".to_string()
    } else {
        format!("{} of {} right at the first attempt", b.right, b.attempts)
    };
    let _ = writeln!(
        out,
        "  {:<id_w$}  {} {score}  {counts}",
        b.id,
        text_bar(b.score)
    );
}

/// The mastery lines.
pub fn mastery_text(m: &Mastery) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}.", m.score_line());
    if m.overall.attempts == 0 {
        if let Some(n) = &m.next {
            let _ = writeln!(out, "Study next: {}.", n.label);
        }
        return out;
    }
    let id_w = m
        .objectives
        .iter()
        .chain(&m.misconceptions)
        .map(|b| b.id.chars().count())
        .max()
        .unwrap_or(0);
    out.push_str("By objective (first attempts; an attempt counts half after 30 days):\n");
    for b in &m.objectives {
        bar_line(&mut out, b, id_w);
    }
    if !m.misconceptions.is_empty() {
        out.push_str("By misconception (drills):\n");
        for b in &m.misconceptions {
            bar_line(&mut out, b, id_w);
        }
    }
    if let (Some(first), Some(week), Some(last)) =
        (m.forecast.first(), m.forecast.get(7), m.forecast.last())
    {
        let _ = writeln!(
            out,
            "Retention forecast without review (FSRS): {first}% today, {week}% in 7 days, {last}% in {} days.",
            FORECAST_DAYS - 1
        );
    }
    if let Some(n) = &m.next {
        let _ = writeln!(
            out,
            "Study next: {} (weakest objective: {}).",
            n.label, n.objective
        );
    }
    out
}
