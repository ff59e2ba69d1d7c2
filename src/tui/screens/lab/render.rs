//! Drawing the lab: title, tabs, the editor with its gutter, lint, goals,
//! the handshake flow, notes, the status line and the side panel.

use super::*;
use crate::tui::widgets::scroll::scroll_panel;
use crate::tui::widgets::text::pass_mark;

/// "12 characters" / "3 lines".
pub(super) fn amount(text: &str) -> String {
    let lines = text.lines().count();
    if lines > 1 {
        format!("{lines} lines")
    } else {
        let n = text.chars().count();
        format!("{n} character{}", if n == 1 { "" } else { "s" })
    }
}

pub(super) fn verdict_span(v: Verdict, ctx: &Ctx, stale: bool) -> Span<'static> {
    let (word, sym, style) = match v {
        Verdict::Allow => ("ALLOW", ctx.sym("✓", "ok"), ctx.theme.allow),
        Verdict::Deny => ("DENY", ctx.sym("✗", "x"), ctx.theme.deny),
    };
    Span::styled(
        format!("{word} {sym}"),
        if stale { ctx.theme.dim } else { style },
    )
}

/// Writes `line` at row `y` of `area` if it is inside.
pub(super) fn put(area: Rect, y: &mut u16, line: Line<'static>, buf: &mut Buffer) {
    if *y < area.y + area.height {
        line.render(Rect::new(area.x, *y, area.width, 1), buf);
        *y += 1;
    }
}

impl LabScreen {
    pub(super) fn title_line(&self, ctx: &Ctx) -> Line<'static> {
        let t = ctx.theme;
        let lab = self.lab();
        // A sandbox is told by its file alone; a lab by its place in the
        // course.
        let number = ctx.pack.labs.iter().position(|l| l.id == self.lab_id);
        let head = match number {
            Some(i) if !self.is_sandbox() => format!(" Lab {}", i + 1),
            _ => " Sandbox".to_string(),
        };
        let mut spans = vec![
            Span::styled(head, t.heading),
            Span::styled(
                format!(" {} {}", ctx.sym("·", "-"), ctx.text(&lab.title)),
                t.strong,
            ),
        ];
        if self.is_sandbox() {
            let changed = self.unsaved_edits().len();
            if changed > 0 {
                spans.push(Span::styled(
                    format!("  {} unsaved", ctx.sym("●", "*")),
                    t.warn,
                ));
            }
            if let Some((_, status)) = self.good()
                && lab.has_expectations()
            {
                let judged = lab.goals.iter().filter(|g| g.expect.is_some()).count();
                let met = lab
                    .goals
                    .iter()
                    .zip(&status.goals)
                    .filter(|(g, st)| g.expect.is_some() && st.met)
                    .count();
                let style = if self.stale() {
                    t.dim
                } else if met == judged {
                    t.ok
                } else {
                    t.text
                };
                let mark = if met == judged {
                    format!("{} ", pass_mark(true, ctx.ascii))
                } else {
                    String::new()
                };
                spans.push(Span::styled(
                    format!("  {mark}{met}/{judged} expectations met"),
                    style,
                ));
            }
            if self.stale() {
                spans.push(Span::styled(" (stale)", t.dim));
            }
            if self.evaluating() {
                spans.push(Span::styled(
                    ctx.sym(" · still evaluating…", " - still evaluating..."),
                    t.warn,
                ));
            }
            return Line::from(spans);
        }
        if let Some((_, status)) = self.good() {
            let stale = self.stale();
            let text = if self.solved() {
                format!("  {} solved", pass_mark(true, ctx.ascii))
            } else if status.solved() && !stale {
                format!(
                    "  {}/{} goals met, not solved: see below",
                    status.met_count(),
                    status.goals.len()
                )
            } else {
                format!("  {}/{} goals met", status.met_count(), status.goals.len())
            };
            let style = if stale {
                t.dim
            } else if self.solved() {
                t.ok
            } else {
                t.text
            };
            spans.push(Span::styled(text, style));
            if stale {
                spans.push(Span::styled(" (stale)", t.dim));
            }
        }
        if self.evaluating() {
            spans.push(Span::styled(
                ctx.sym(" · still evaluating…", " - still evaluating..."),
                t.warn,
            ));
        }
        Line::from(spans)
    }

    pub(super) fn tabs_line(&self, width: u16, ctx: &Ctx) -> Line<'static> {
        let t = ctx.theme;
        let lab = self.lab();
        let n = lab.editable.len().max(1);
        let each = (usize::from(width).saturating_sub(1) / n).saturating_sub(3);
        let mark = |i: usize| {
            let name = lab.editable[i].policy.to_string();
            if self.bench.errors().iter().any(|d| d.path == name) {
                ctx.sym("✗", "!")
            } else {
                ""
            }
        };
        // Too many tabs for their labels (a sandbox on a big scenario):
        // the others by number, the current one with its whole label.
        let compact = each < 14;
        let others: usize = (0..lab.editable.len())
            .filter(|i| *i != self.tab)
            .map(|i| format!("{}{}", i + 1, mark(i)).chars().count() + 1)
            .sum();
        let room = usize::from(width).saturating_sub(others + 4);
        let mut spans = vec![Span::raw(" ")];
        for (i, e) in lab.editable.iter().enumerate() {
            let mark = mark(i);
            let label = if compact && i != self.tab {
                format!("{}{mark}", i + 1)
            } else {
                crate::tui::widgets::text::truncate(
                    &ctx.text(&format!("{} {}{mark}", i + 1, e.label)),
                    if compact { room.max(4) } else { each.max(4) },
                    ctx.ascii,
                )
            };
            let style = if i == self.tab {
                if self.focus == Focus::Editor {
                    t.selected.add_modifier(Modifier::BOLD)
                } else {
                    t.strong
                }
            } else {
                t.dim
            };
            let (l, r) = if i == self.tab {
                ("[", "]")
            } else if compact {
                ("", "")
            } else {
                (" ", " ")
            };
            spans.push(Span::styled(format!("{l}{label}{r}"), style));
            spans.push(Span::raw(" "));
        }
        Line::from(spans)
    }

    /// The editor box with line numbers, JSON colours, the error's line
    /// and the deciding statement marked in the gutter.
    pub(super) fn render_editor(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.theme;
        let lab = self.lab();
        let Some(ed) = self.editors.get(self.tab) else {
            return;
        };
        let title = if self.focus == Focus::Editor {
            " Policy (editing) "
        } else {
            " Policy (Tab to edit) "
        };
        let block = frame(ctx).title(Span::styled(title, t.heading));
        let inner = block.inner(area);
        block.render(area, buf);
        ed.render(inner, buf);
        let (top, left) = ed.scroll_offset();
        let (top, left) = (usize::from(top), usize::from(left));
        let gutter = ed.line_number_width();
        let lines = ed.lines();
        // JSON colours over the text the widget drew.
        if t.color {
            for r in 0..inner.height {
                let Some(line) = lines.get(top + usize::from(r)) else {
                    break;
                };
                let y = inner.y + r;
                let mut x = inner.x + gutter;
                let mut col = 0usize;
                for span in json_spans(line, t) {
                    for ch in span.content.chars() {
                        let w = u16::try_from(ch.width().unwrap_or(0)).unwrap_or(1);
                        if col >= left {
                            if x >= inner.x + inner.width {
                                break;
                            }
                            if let Some(cell) = buf.cell_mut((x, y)) {
                                cell.set_style(span.style);
                            }
                            x += w;
                        }
                        col += 1;
                    }
                }
            }
        }
        let mark = |line: usize, sym: &str, style: Style, whole: Style, buf: &mut Buffer| {
            if line == 0 || line <= top {
                return;
            }
            let r = line - 1 - top;
            let Ok(r) = u16::try_from(r) else {
                return;
            };
            if r >= inner.height {
                return;
            }
            let y = inner.y + r;
            buf.set_string(inner.x, y, sym, style);
            for x in inner.x + gutter..inner.x + inner.width {
                if let Some(cell) = buf.cell_mut((x, y)) {
                    cell.set_style(whole);
                }
            }
        };
        self.editor_at.set(inner);
        editor::continuation_marks(ed, inner, buf, ctx);
        // The deciding statement of the selected request.
        if !self.stale()
            && let Some((tab, (first, last))) = self.deciding()
            && tab == self.tab
        {
            let met = self
                .bench
                .results()
                .1
                .goals
                .get(self.selected)
                .map(|g| g.outcome.verdict);
            let style = if met == Some(Verdict::Deny) {
                t.deny
            } else {
                t.allow
            };
            for l in first..=last {
                mark(
                    l,
                    ctx.sym("▌", ">"),
                    style,
                    Style::default().add_modifier(Modifier::BOLD),
                    buf,
                );
            }
        }
        // The statements that almost matched the selected request.
        for (first, last) in self.near_marks(self.tab, ctx) {
            for l in first..=last {
                mark(l, ctx.sym("≈", "~"), t.warn, Style::default(), buf);
            }
        }
        // The error of this tab: a mark in the gutter, the line underlined.
        let name = lab
            .editable
            .get(self.tab)
            .map(|e| e.policy.to_string())
            .unwrap_or_default();
        for d in self.bench.errors().iter().filter(|d| d.path == name) {
            mark(
                d.line,
                ctx.sym("✗", "!"),
                t.deny,
                Style::default().add_modifier(Modifier::UNDERLINED),
                buf,
            );
        }
    }

    pub(super) fn lint_lines(&self, width: usize, max: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let findings = self.bench.findings(self.tab);
        if findings.is_empty() {
            return vec![Line::styled(" No lint findings on this policy.", t.dim)];
        }
        let mut out = Vec::new();
        for f in findings {
            let style = match f.severity {
                crate::core::policy::lint::LintSeverity::Error => t.deny,
                crate::core::policy::lint::LintSeverity::SecurityWarning
                | crate::core::policy::lint::LintSeverity::Warning => t.warn,
                crate::core::policy::lint::LintSeverity::Suggestion => t.strong,
            };
            let lead = [
                Span::raw(" "),
                Span::styled(f.severity.label().to_string(), style),
                Span::styled(format!(" line {}: ", f.line), t.dim),
            ];
            let rest = [Span::raw("   ")];
            out.extend(wrap(&[(ctx.text(&f.message), t.text)], width, &lead, &rest));
        }
        if out.len() > max {
            out.truncate(max.saturating_sub(1));
            out.push(Line::styled(
                format!(
                    " {} {} finding(s) in all",
                    ctx.sym("…", "..."),
                    findings.len()
                ),
                t.dim,
            ));
        }
        out
    }

    pub(super) fn goal_lines(&self, width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let lab = self.lab();
        let stale = self.stale();
        let Some((_, status)) = self.good() else {
            return vec![Line::styled(" No verdicts yet: fix the error.", t.dim)];
        };
        let mut out = Vec::new();
        for (i, (goal, st)) in lab.goals.iter().zip(&status.goals).enumerate() {
            let sel = i == self.selected;
            let marker = if sel { ctx.sym("▶ ", "> ") } else { "  " };
            let expect = match goal.expect {
                Some(Verdict::Allow) => "must be allowed",
                Some(Verdict::Deny) => "must stay denied",
                None => "no expect set",
            };
            let (met, met_style) = if goal.expect.is_none() {
                (String::new(), t.dim)
            } else if st.met {
                (format!("{} met", pass_mark(true, ctx.ascii)), t.ok)
            } else {
                (format!("{} not met", pass_mark(false, ctx.ascii)), t.deny)
            };
            let dim = |s: Style| if stale { t.dim } else { s };
            let head = vec![
                Span::styled(format!(" {marker}"), if sel { t.selected } else { t.text }),
                verdict_span(st.outcome.verdict, ctx, stale),
                Span::styled(format!("  {expect}  "), dim(t.text)),
                Span::styled(met, dim(met_style)),
            ];
            out.push(Line::from(head));
            let text = crate::tui::widgets::text::truncate(
                &ctx.text(&goal.text),
                width.saturating_sub(5),
                ctx.ascii,
            );
            out.push(Line::styled(format!("     {text}"), dim(t.dim)));
        }
        out
    }

    pub(super) fn flow_lines(&self, width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let lab = self.lab();
        let stale = self.stale();
        let Some((world, status)) = self.good() else {
            return Vec::new();
        };
        let (Some(goal), Some(st)) = (
            lab.goals.get(self.selected),
            status.goals.get(self.selected),
        ) else {
            return Vec::new();
        };
        let Some(request) = world.requests.get(goal.request) else {
            return Vec::new();
        };
        let dim = |s: Style| if stale { t.dim } else { s };
        let fit =
            |text: String, room: usize| crate::tui::widgets::text::truncate(&text, room, ctx.ascii);
        let mut out = vec![
            Line::from(vec![
                Span::styled(" Caller ", dim(t.strong)),
                Span::styled(
                    fit(
                        format!(
                            "{} in account {}",
                            short_arn(&request.caller.arn),
                            request.caller.account
                        ),
                        width.saturating_sub(8),
                    ),
                    dim(t.text),
                ),
            ]),
            Line::from(vec![
                Span::styled(format!("   {} ", ctx.sym("→", "->")), t.dim),
                Span::styled(
                    fit(
                        format!("{} on {}", request.action, short_arn(&request.resource)),
                        width.saturating_sub(5),
                    ),
                    dim(t.text),
                ),
            ]),
        ];
        for hop in self.bench.hops(&st.outcome) {
            let indent = "  ".repeat(hop.depth + 1);
            let arrow = ctx.sym("↓ ", "v ");
            let mut spans = vec![Span::styled(format!("{indent}{arrow}"), t.dim)];
            let (word, style) = match (hop.state, hop.verdict) {
                (Some(s), _) => (
                    s.word().to_string(),
                    match s {
                        HopState::Allowed => t.allow,
                        HopState::Denied => t.deny,
                        HopState::NoMatch => t.warn,
                        HopState::NotConsulted => t.dim,
                    },
                ),
                (None, Some(Verdict::Allow)) => ("ALLOW".to_string(), t.allow),
                (None, Some(Verdict::Deny)) => ("DENY".to_string(), t.deny),
                (None, None) => (String::new(), t.text),
            };
            let room = width
                .saturating_sub(indent.len() + 3 + word.chars().count() + 2)
                .max(8);
            spans.push(Span::styled(
                crate::tui::widgets::text::truncate(&ctx.text(&hop.label), room, ctx.ascii),
                dim(t.text),
            ));
            spans.push(Span::styled(format!("  {word}"), dim(style)));
            out.push(Line::from(spans));
        }
        out.extend(self.why_lines(width, ctx));
        if !stale && let Some((tab, (first, last))) = self.deciding() {
            out.push(Line::styled(
                format!(
                    "   Deciding: tab {}, lines {first}-{last} (F3 jumps)",
                    tab + 1
                ),
                t.dim,
            ));
        }
        if stale {
            out.push(Line::styled(
                "   (stale: these are the verdicts of the last text that parsed)",
                t.dim,
            ));
        }
        out
    }

    /// The story and revealed hints, or the explanation once solved.
    pub(super) fn notes_lines(&self, width: u16, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let lab = self.lab();
        let body = |blocks: &[crate::core::content::Block]| {
            lesson_lines(blocks, ctx.pack, width, t, &|_| 0, ctx.ascii).lines
        };
        let mut out = Vec::new();
        if self.solved() && !self.is_sandbox() {
            out.push(Line::styled(
                format!(" {} Solved: why it works", pass_mark(true, ctx.ascii)),
                t.ok.add_modifier(Modifier::BOLD),
            ));
            out.extend(body(&lab.explanation));
            out.push(Line::raw(""));
        }
        let shown = self.hints_shown(ctx);
        for (i, h) in lab.hints.iter().take(shown).enumerate() {
            out.push(Line::styled(
                format!(" Hint {} of {}", i + 1, lab.hints.len()),
                t.warn,
            ));
            out.extend(body(h));
        }
        let levels = self.levels_shown(ctx);
        let total = lab.hints.len() + feedback::EXTRA_LEVELS;
        if levels < total && !self.solved() && !self.is_sandbox() {
            let key = if self.focus == Focus::Editor {
                "F2"
            } else {
                "h"
            };
            let then = if shown < lab.hints.len() {
                format!(
                    "{shown} of {} hints, then 3 levels (sentence, near miss, fix)",
                    lab.hints.len()
                )
            } else {
                format!("{levels} of {total} hint levels shown")
            };
            out.push(Line::styled(
                format!(" {then}: {key} reveals the next."),
                t.dim,
            ));
        }
        let heading = if self.is_sandbox() {
            " About this sandbox"
        } else {
            " The task"
        };
        out.push(Line::styled(heading, t.heading));
        out.extend(body(&lab.story));
        out
    }

    pub(super) fn status_line(&self, ctx: &Ctx) -> Line<'static> {
        let t = ctx.theme;
        let lab = self.lab();
        if let Some(leave) = self.leaving {
            let path = &lab.path;
            let then = match leave {
                Leave::Quit => "quitting",
                Leave::Close => "leaving",
            };
            // The keys first: a long path is what gets cut on a narrow
            // terminal.
            return Line::styled(
                format!(" Save before {then}? y = save, n = discard changes, Esc = stay ({path})"),
                t.warn,
            );
        }
        if self.confirm_reset {
            let text = match self.file {
                Some(_) => format!(
                    " Put every policy back to the text saved in {}? y = yes, any other key = no",
                    lab.path
                ),
                None => " Reset every policy of this lab to its starting text? y = yes, any other key = no"
                    .to_string(),
            };
            return Line::styled(text, t.warn);
        }
        // A note answers the key just pressed; the next edit clears it and
        // the error (also marked in the gutter and the tab) shows again.
        if let Some(n) = &self.note {
            return Line::styled(format!(" {}", ctx.text(n)), t.warn);
        }
        if let Some(d) = self.bench.errors().first() {
            let tab = lab
                .editable
                .iter()
                .position(|e| e.policy.to_string() == d.path)
                .map_or(0, |i| i + 1);
            return Line::styled(
                format!(
                    " {} Tab {tab}, line {}, column {}: {} (verdicts stale)",
                    ctx.sym("✗", "!"),
                    d.line,
                    d.column,
                    ctx.text(&d.message)
                ),
                t.deny,
            );
        }
        if self.is_sandbox() {
            let path = &lab.path;
            let n = self.unsaved_edits().len();
            if n > 0 {
                let what = if n == 1 { "policy" } else { "policies" };
                return Line::styled(
                    format!(" {n} {what} changed since saved: Ctrl-S writes to {path}."),
                    t.text,
                );
            }
            return Line::styled(
                format!(" Every change is re-checked as you type; Ctrl-S saves to {path}."),
                t.dim,
            );
        }
        if self.solved() {
            let p = ctx.progress.labs.get(&self.lab_id);
            let mut how = Vec::new();
            if ctx.progress.guided || p.is_some_and(|p| p.guided) {
                how.push("guided");
            }
            if p.is_some_and(|p| p.solution_shown) {
                how.push("solution shown");
            }
            let how = if how.is_empty() {
                String::new()
            } else {
                format!(" ({})", how.join(", "))
            };
            return Line::styled(
                format!(
                    " {} Every goal is met and no finding is open: the lab is solved and saved{how}.",
                    pass_mark(true, ctx.ascii)
                ),
                t.ok,
            );
        }
        if let Some(line) = self.blocked_line(ctx) {
            return line;
        }
        Line::styled(" Every change is re-checked as you type.", t.dim)
    }

    pub(super) fn render_side(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx, with_notes: bool) {
        let t = ctx.theme;
        let w = usize::from(area.width);
        let mut y = area.y;
        let title = if self.focus == Focus::Goals {
            " Requests (j/k select) "
        } else {
            " Requests "
        };
        let goals = self.goal_lines(w.saturating_sub(2), ctx);
        let flow = self.flow_lines(w.saturating_sub(2), ctx);
        let gh = u16::try_from(goals.len() + 2).unwrap_or(u16::MAX);
        let gh = gh.min(area.height);
        let block = frame(ctx).title(Span::styled(title, t.heading));
        let inner = block.inner(Rect::new(area.x, y, area.width, gh));
        block.render(Rect::new(area.x, y, area.width, gh), buf);
        let mut iy = inner.y;
        for l in goals {
            put(inner, &mut iy, l, buf);
        }
        y += gh;
        let left = area.y + area.height - y;
        // Leave the notes (hints, explanation) some rows when they matter.
        // Once a level after the lab's hints is shown, it is in the handshake
        // panel, which then keeps the room.
        let extra_shown = self.levels_shown(ctx) > self.lab.hints.len();
        let notes_matter =
            !self.is_sandbox() && (self.solved() || (self.hints_shown(ctx) > 0 && !extra_shown));
        let cap = if with_notes && notes_matter && left >= 10 {
            left - 6
        } else {
            left
        };
        let fh = u16::try_from(flow.len() + 2).unwrap_or(u16::MAX).min(cap);
        if fh >= 3 {
            let block = frame(ctx).title(Span::styled(
                " Handshake of the selected request ",
                t.heading,
            ));
            let r = Rect::new(area.x, y, area.width, fh);
            let inner = block.inner(r);
            block.render(r, buf);
            let mut iy = inner.y;
            for l in flow {
                put(inner, &mut iy, l, buf);
            }
            y += fh;
        }
        let left = area.y + area.height - y;
        if with_notes && left >= 3 {
            let r = Rect::new(area.x, y, area.width, left);
            let title = if self.is_sandbox() {
                " About "
            } else if self.solved() {
                " Explanation "
            } else {
                " Hints and task "
            };
            // Cut here, the notes say so: F6 (t on the requests) shows them
            // whole, scrolling.
            let block = frame(ctx)
                .title(Span::styled(title, t.heading))
                .padding(ratatui::widgets::Padding::horizontal(1));
            let width = block.inner(r).width;
            let keys = if self.focus == Focus::Editor {
                "F6: all"
            } else {
                "t: all"
            };
            scroll_panel(
                self.notes_lines(width, ctx),
                block,
                r,
                buf,
                0,
                &std::cell::Cell::new(0),
                keys,
                (ctx.ascii, t.dim),
            );
        }
    }

    /// Every goal's verdict in as few lines as fit `width`, for the
    /// compact editor view.
    pub(super) fn goal_strip(&self, width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let stale = self.stale();
        let Some((_, status)) = self.good() else {
            return vec![Line::styled(" Goals: no verdicts yet", t.dim)];
        };
        let mut lines = Vec::new();
        let label = if self.is_sandbox() {
            " Requests:"
        } else {
            " Goals:"
        };
        let mut spans = vec![Span::styled(label, t.strong)];
        let mut used = 7;
        for (i, (goal, st)) in self.lab.goals.iter().zip(&status.goals).enumerate() {
            let sel = if i == self.selected {
                t.selected
            } else {
                t.text
            };
            let met = match (goal.expect, st.met) {
                (None, _) => String::new(),
                (Some(_), true) => format!(" {} met", pass_mark(true, ctx.ascii)),
                (Some(_), false) => format!(" {} not met", pass_mark(false, ctx.ascii)),
            };
            let item = vec![
                Span::raw(" "),
                Span::styled(format!("{}", i + 1), sel),
                Span::raw(" "),
                verdict_span(st.outcome.verdict, ctx, stale),
                Span::styled(
                    met,
                    if stale {
                        t.dim
                    } else if st.met {
                        t.ok
                    } else {
                        t.deny
                    },
                ),
                Span::styled(format!(" {}", ctx.sym("·", "-")), t.dim),
            ];
            let w: usize = item.iter().map(Span::width).sum();
            if used + w > width && spans.len() > 1 {
                spans.pop();
                lines.push(Line::from(std::mem::take(&mut spans)));
                spans.push(Span::raw("       "));
                used = 7;
            }
            used += w;
            spans.extend(item);
        }
        spans.pop();
        if stale {
            spans.push(Span::styled(" (stale)", t.dim));
        }
        lines.push(Line::from(spans));
        lines
    }
}

impl LabScreen {
    /// Draws the whole lab screen into `area`.
    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let bottom = area.y + area.height;
        self.title_line(ctx)
            .render(Rect::new(area.x, area.y, area.width, 1), buf);
        self.tabs_line(area.width, ctx)
            .render(Rect::new(area.x, area.y + 1, area.width, 1), buf);
        self.status_line(ctx).render(
            Rect::new(area.x, bottom.saturating_sub(2), area.width, 1),
            buf,
        );
        hint_bar(self.keymap(), area, buf, ctx);
        let body = Rect::new(
            area.x,
            area.y + 2,
            area.width,
            area.height.saturating_sub(4),
        );
        if self.notes {
            // F6 / t: the task, hints and explanation fill the body at
            // every size, and scroll.
            let title = if self.is_sandbox() {
                " About this sandbox "
            } else if self.solved() {
                " Explanation, hints and task "
            } else {
                " Task and hints "
            };
            let block = frame(ctx)
                .title(Span::styled(title, ctx.theme.heading))
                .padding(ratatui::widgets::Padding::horizontal(1));
            let width = block.inner(body).width;
            scroll_panel(
                self.notes_lines(width, ctx),
                block,
                body,
                buf,
                self.notes_top,
                &self.notes_max,
                "j/PgDn",
                (ctx.ascii, ctx.theme.dim),
            );
        } else if Self::wide(area) {
            let left_w = body.width * 11 / 20;
            let lint = self.lint_lines(usize::from(left_w.saturating_sub(2)), 5, ctx);
            let lint_h = u16::try_from(lint.len() + 2).unwrap_or(7).min(7);
            let ed = Rect::new(body.x, body.y, left_w, body.height.saturating_sub(lint_h));
            self.render_editor(ed, buf, ctx);
            let lr = Rect::new(body.x, ed.y + ed.height, left_w, lint_h);
            let block = frame(ctx).title(Span::styled(" Lint ", ctx.theme.heading));
            let inner = block.inner(lr);
            block.render(lr, buf);
            let mut y = inner.y;
            for l in lint {
                put(inner, &mut y, l, buf);
            }
            let side = Rect::new(body.x + left_w, body.y, body.width - left_w, body.height);
            self.render_side(side, buf, ctx, true);
        } else if self.focus == Focus::Editor && !self.confirm_reset {
            let lint = self.lint_lines(usize::from(body.width), 2, ctx);
            let lint_h = u16::try_from(lint.len()).unwrap_or(2).min(2);
            let strip = self.goal_strip(usize::from(body.width), ctx);
            let strip_h = u16::try_from(strip.len()).unwrap_or(1);
            let ed_h = body.height.saturating_sub(strip_h + lint_h);
            self.render_editor(Rect::new(body.x, body.y, body.width, ed_h), buf, ctx);
            let mut y = body.y + ed_h;
            for l in strip {
                put(Rect::new(body.x, y, body.width, 1), &mut y, l, buf);
            }
            for l in lint {
                put(Rect::new(body.x, y, body.width, lint_h), &mut y, l, buf);
            }
        } else {
            self.render_side(body, buf, ctx, true);
        }
    }
}
