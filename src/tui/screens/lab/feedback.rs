//! The lab's feedback beyond the verdicts: the request's context, the
//! explaining sentence, the near misses and the verified fix, and what
//! keeps a lab with every goal met from counting as solved.
//!
//! A course lab is an exercise: after the lab's own hints come three more
//! hint levels, each recorded as a hint used (the sentence, then the near
//! miss with its values, then the fix as a diff, recorded as "solution
//! shown"). The guided setting shows the sentence at once. A sandbox is a
//! tool: everything is visible, and one key applies the fix.

use super::*;
use crate::core::lab::{Blocker, NearView};

/// The hint levels after a course lab's own hints: the sentence, the near
/// miss, the fix.
pub(super) const EXTRA_LEVELS: usize = 3;

impl LabScreen {
    /// Hint levels revealed: the lab's hints first, then the extra levels.
    pub(super) fn levels_shown(&self, ctx: &Ctx) -> usize {
        ctx.progress
            .labs
            .get(&self.lab_id)
            .map_or(0, |p| usize::try_from(p.hints_used).unwrap_or(0))
            .min(self.lab.hints.len() + EXTRA_LEVELS)
    }

    /// Extra level `k` (1: sentence, 2: near miss, 3: fix) is visible.
    fn level_open(&self, k: usize, ctx: &Ctx) -> bool {
        self.is_sandbox() || self.levels_shown(ctx) >= self.lab.hints.len() + k
    }

    /// The explaining sentence is on screen without asking.
    pub(super) fn shows_sentence(&self, ctx: &Ctx) -> bool {
        ctx.progress.guided || self.level_open(1, ctx)
    }

    /// The near misses (panel and gutter) are on screen.
    pub(super) fn shows_near(&self, ctx: &Ctx) -> bool {
        self.level_open(2, ctx)
    }

    fn shows_fix(&self, ctx: &Ctx) -> bool {
        self.level_open(3, ctx)
    }

    /// `h` / F2: the next hint level, saved as a hint used; the last one
    /// (the fix) is also saved as "solution shown".
    pub(super) fn hint(&mut self, ctx: &Ctx) -> EventResult {
        let own = self.lab.hints.len();
        let total = own + EXTRA_LEVELS;
        let shown = self.levels_shown(ctx);
        if shown >= total {
            self.note = Some(format!(
                "All {total} hint levels are shown: the lab's {own} hints, the sentence, the near miss and the fix."
            ));
            return EventResult::Changed;
        }
        let next = shown + 1;
        self.note = Some(match next.checked_sub(own) {
            None | Some(0) => format!("Hint {next} of {own} is shown (below the goals)."),
            Some(1) => format!(
                "Hint level {next} of {total}: the sentence explaining the selected request is shown."
            ),
            Some(2) => format!("Hint level {next} of {total}: the near miss (≈ in the gutter)."),
            Some(_) => format!("Hint level {next} of {total}: the fix, saved as solution shown."),
        });
        let mut emit = vec![Action::Save(Change::LabHint {
            lab: self.lab_id.clone(),
            available: u32::try_from(total).unwrap_or(u32::MAX),
        })];
        if next == total {
            emit.push(Action::Save(Change::LabSolutionShown {
                lab: self.lab_id.clone(),
            }));
        }
        EventResult::Emit(emit)
    }

    /// `g`: the guided setting on or off, kept in progress.
    pub(super) fn toggle_guided(&mut self, ctx: &Ctx) -> EventResult {
        if self.is_sandbox() {
            self.note = Some("A sandbox always shows everything.".into());
            return EventResult::Changed;
        }
        let on = !ctx.progress.guided;
        self.note = Some(if on {
            "Guided setting on: each verdict's sentence is shown at once (your results say so)."
                .into()
        } else {
            "Guided setting off: the sentence is a hint level again.".into()
        });
        EventResult::Emit(vec![Action::Save(Change::Guided(on))])
    }

    /// A sandbox's fix key: applies the engine's fix for the selected
    /// request to the tabs (the texts before are kept for [`Self::undo_fix`],
    /// and Ctrl-Z in the editor undoes it too).
    pub(super) fn apply_fix(&mut self) -> EventResult {
        if self.stale() {
            self.note = Some("Fix the error first: the verdicts are stale.".into());
            return EventResult::Changed;
        }
        match self.bench.fix(self.selected) {
            Ok(fix) => {
                let before: Vec<String> = (0..self.editors.len()).map(|i| self.text(i)).collect();
                for (tab, text, _) in &fix.edits {
                    self.replace_text(*tab, text);
                }
                self.before_fix = Some(before);
                let tabs: Vec<String> = fix
                    .edits
                    .iter()
                    .map(|(t, _, _)| (t + 1).to_string())
                    .collect();
                self.note = Some(format!(
                    "Fix applied to tab {}: {} u or F8 undoes it.",
                    tabs.join(", "),
                    sentences(&fix.summary)
                ));
            }
            Err(why) => self.note = Some(why.describe()),
        }
        EventResult::Changed
    }

    /// Puts back the texts from before the last fix.
    pub(super) fn undo_fix(&mut self) -> EventResult {
        let Some(before) = self.before_fix.take() else {
            self.note = Some("No fix to undo.".into());
            return EventResult::Changed;
        };
        for (tab, text) in before.iter().enumerate() {
            if self.text(tab) != *text {
                self.replace_text(tab, text);
            }
        }
        self.note = Some("The fix is undone: the policies are as they were.".into());
        EventResult::Changed
    }

    /// Tab `tab` now reads `text`, as an edit the editor can undo.
    fn replace_text(&mut self, tab: usize, text: &str) {
        if let Some(ed) = self.editors.get_mut(tab) {
            ed.select_all();
            ed.insert_str(text);
        }
        self.bench.set_text(tab, self.text(tab));
    }

    /// The request's context, near misses, sentence and fix, under the
    /// handshake of the selected request.
    pub(super) fn why_lines(&self, width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let (world, status) = self.bench.results();
        let (Some(goal), Some(st)) = (
            self.lab.goals.get(self.selected),
            status.goals.get(self.selected),
        ) else {
            return Vec::new();
        };
        let Some(request) = world.requests.get(goal.request) else {
            return Vec::new();
        };
        let stale = self.stale();
        let dim = |s: Style| if stale { t.dim } else { s };
        let mut out = self.context_lines(world, request, &st.outcome, width, ctx);
        // The newest level revealed first: it is what the learner asked
        // for, and a small panel cuts the end.
        if self.shows_fix(ctx) {
            out.extend(self.fix_lines(width, ctx));
        }
        if self.shows_near(ctx) {
            out.extend(self.near_lines(width, ctx));
        }
        let rest = [Span::raw("   ")];
        if self.shows_sentence(ctx) {
            let sentence = ctx.text(&self.bench.sentence(self.selected));
            let lead = [
                Span::raw(" "),
                render::verdict_span(st.outcome.verdict, ctx, stale),
                Span::raw(" "),
            ];
            out.extend(wrap(&[(sentence, dim(t.emph))], width, &lead, &rest));
        } else {
            let key = if self.focus == Focus::Editor {
                "F2"
            } else {
                "h"
            };
            out.extend(wrap(
                &[(
                    format!(
                        "The sentence explaining this verdict is a hint level: {key} reveals hints in turn (g: guided setting)."
                    ),
                    t.dim,
                )],
                width,
                &[Span::raw(" ")],
                &rest,
            ));
        }
        out
    }

    fn context_lines(
        &self,
        world: &World,
        request: &crate::core::world::Request,
        outcome: &crate::core::eval::Outcome,
        width: usize,
        ctx: &Ctx,
    ) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let entries = crate::core::lab::request_context(world, request, outcome);
        if entries.is_empty() {
            return vec![Line::styled("   Context: none sent", t.dim)];
        }
        let parts: Vec<String> = entries
            .iter()
            .map(|e| match (&e.value, e.filled) {
                (Some(v), false) => format!("{} = {v}", e.key),
                (Some(v), true) => format!("{} = {v} (filled in)", e.key),
                (None, _) => format!("{}: not in the request", e.key),
            })
            .collect();
        let text = ctx.text(&parts.join(" · "));
        wrap(
            &[(text, t.text)],
            width,
            &[Span::styled("   Context: ", t.strong)],
            &[Span::raw("     ")],
        )
    }

    fn near_lines(&self, width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let mut out = Vec::new();
        for near in self.bench.near(self.selected).iter().take(3) {
            let place = match (near.tab, near.lines) {
                (Some(tab), Some((a, b))) if a == b => format!("tab {}, line {a}", tab + 1),
                (Some(tab), Some((a, b))) => format!("tab {}, lines {a}-{b}", tab + 1),
                (Some(tab), None) => format!("tab {}", tab + 1),
                (None, _) => near.policy.clone(),
            };
            let head = format!(
                "Near miss: statement {} ({place}); {}",
                near.statement, near.change
            );
            out.extend(wrap(
                &[(ctx.text(&head), t.warn)],
                width,
                &[Span::raw("   ")],
                &[Span::raw("     ")],
            ));
            for (element, detail) in &near.failed {
                out.extend(wrap(
                    &[(ctx.text(detail), t.text)],
                    width,
                    &[Span::styled(format!("     {element}: "), t.strong)],
                    &[Span::raw("       ")],
                ));
            }
        }
        out
    }

    fn fix_lines(&self, width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        match self.bench.fix(self.selected) {
            Ok(fix) => {
                let mut out = Vec::new();
                let how = if self.is_sandbox() {
                    " (f or F9 applies it)"
                } else {
                    ""
                };
                out.extend(wrap(
                    &[(
                        ctx.text(&format!("Fix{how}: {}", sentences(&fix.summary))),
                        t.ok,
                    )],
                    width,
                    &[Span::raw("   ")],
                    &[Span::raw("     ")],
                ));
                if !self.is_sandbox() {
                    for (_, _, diff) in &fix.edits {
                        for l in diff.lines() {
                            let style = match l.chars().next() {
                                Some('+') => t.allow,
                                Some('-') => t.deny,
                                _ => t.dim,
                            };
                            let shown = crate::tui::widgets::text::truncate(
                                &ctx.text(l),
                                width.saturating_sub(3),
                                ctx.ascii,
                            );
                            out.push(Line::styled(format!("   {shown}"), style));
                        }
                    }
                }
                out
            }
            Err(crate::core::lab::NoTabFix::NotWanted) => Vec::new(),
            Err(why) => wrap(
                &[(ctx.text(&why.describe()), t.dim)],
                width,
                &[Span::raw("   ")],
                &[Span::raw("     ")],
            ),
        }
    }

    /// The near statements of the selected request in tab `tab`, as line
    /// ranges, when near misses are on screen.
    pub(super) fn near_marks(&self, tab: usize, ctx: &Ctx) -> Vec<(usize, usize)> {
        if self.stale() || !self.shows_near(ctx) {
            return Vec::new();
        }
        self.bench
            .near(self.selected)
            .iter()
            .filter(|n: &&NearView| n.tab == Some(tab))
            .filter_map(|n| n.lines)
            .collect()
    }

    /// Every goal met, yet not solved: what blocks it, for the status line.
    pub(super) fn blocked_line(&self, ctx: &Ctx) -> Option<Line<'static>> {
        if self.is_sandbox() || self.stale() || self.solved() {
            return None;
        }
        if !self.bench.results().1.solved() {
            return None;
        }
        let blockers: Vec<Blocker> = self.bench.blockers();
        let first = blockers.first()?;
        let more = match blockers.len() {
            1 => String::new(),
            n => format!(" ({} more)", n - 1),
        };
        Some(Line::styled(
            format!(
                " Every goal is met, but not solved yet: {}{more}",
                ctx.text(&first.describe(&self.lab))
            ),
            ctx.theme.warn,
        ))
    }
}

/// Edit summaries as sentences: each ends with a full stop, so two edits
/// do not run into one another.
fn sentences(summaries: &[String]) -> String {
    summaries
        .iter()
        .map(|s| {
            if s.ends_with(['.', '!', '?']) {
                s.clone()
            } else {
                format!("{s}.")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
