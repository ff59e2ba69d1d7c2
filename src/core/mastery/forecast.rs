//! The retention forecast: the expected share of review cards the learner
//! would recall on each of the coming days if they did not review, from
//! each card's FSRS memory state (its retrievability on that day).

use crate::core::quiz::QuizProgress;

/// Days the forecast covers, today included.
pub const FORECAST_DAYS: usize = 30;

/// Expected recall in percent (rounded) for today and each following day,
/// averaged over the cards that have a memory state; empty without one.
pub fn forecast(quiz: &QuizProgress, today: u64) -> Vec<u32> {
    let cards: Vec<_> = quiz
        .schedule
        .values()
        .filter(|c| c.memory().is_some())
        .collect();
    if cards.is_empty() {
        return Vec::new();
    }
    (0..FORECAST_DAYS as u64)
        .map(|d| {
            let sum: f64 = cards
                .iter()
                .filter_map(|c| c.retrievability(today + d))
                .map(f64::from)
                .sum();
            (sum / cards.len() as f64 * 100.0).round().clamp(0.0, 100.0) as u32
        })
        .collect()
}
