//! Styles for every meaning the tutor shows. With colour off (`NO_COLOR`)
//! the theme sets no colours at all, only modifiers, and every meaning is
//! also carried by a word or a symbol where it is drawn.

use ratatui::style::{Color, Modifier, Style};

/// The styles of the tutor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// True when colours are used.
    pub color: bool,
    /// Body text.
    pub text: Style,
    /// Secondary text: hints, captions, stale results.
    pub dim: Style,
    /// Section and block headings.
    pub heading: Style,
    /// `*emphasis*`.
    pub emph: Style,
    /// `**strong**`.
    pub strong: Style,
    /// `` `code` `` and code blocks.
    pub code: Style,
    /// Glossary links.
    pub link: Style,
    /// The selected row of a list.
    pub selected: Style,
    /// ALLOW, correct answers.
    pub allow: Style,
    /// DENY, wrong answers.
    pub deny: Style,
    /// Warnings.
    pub warn: Style,
    /// Done, complete.
    pub ok: Style,
    /// `> [!IMPORTANT]` callouts.
    pub callout_important: Style,
    /// `> [!TIP]` callouts.
    pub callout_tip: Style,
    /// `> [!WARNING]` callouts.
    pub callout_warning: Style,
    /// `> [!NOTE]` callouts.
    pub callout_note: Style,
    /// JSON member names.
    pub json_key: Style,
    /// JSON string values.
    pub json_string: Style,
    /// JSON numbers, booleans and null.
    pub json_number: Style,
    /// JSON punctuation.
    pub json_punct: Style,
    /// Borders of boxes and tables.
    pub border: Style,
    /// The box or arrow of the current diagram step.
    pub hop_active: Style,
    /// Boxes already visited by the step-through.
    pub hop_done: Style,
    /// Boxes not reached yet.
    pub hop_pending: Style,
}

impl Theme {
    /// The colour theme, or the monochrome one when `color` is false.
    pub fn new(color: bool) -> Self {
        let plain = Style::default();
        let bold = plain.add_modifier(Modifier::BOLD);
        let italic = plain.add_modifier(Modifier::ITALIC);
        let underline = plain.add_modifier(Modifier::UNDERLINED);
        let reversed = plain.add_modifier(Modifier::REVERSED);
        let dim = plain.add_modifier(Modifier::DIM);
        if !color {
            return Theme {
                color,
                text: plain,
                dim,
                heading: bold.add_modifier(Modifier::UNDERLINED),
                emph: italic,
                strong: bold,
                code: plain,
                link: underline,
                selected: reversed,
                allow: bold,
                deny: bold,
                warn: bold,
                ok: plain,
                callout_important: bold,
                callout_tip: bold,
                callout_warning: bold,
                callout_note: bold,
                json_key: plain,
                json_string: plain,
                json_number: plain,
                json_punct: plain,
                border: plain,
                hop_active: reversed.add_modifier(Modifier::BOLD),
                hop_done: bold,
                hop_pending: dim,
            };
        }
        Theme {
            color,
            text: plain,
            dim: plain.fg(Color::DarkGray),
            heading: bold.fg(Color::Cyan),
            emph: italic,
            strong: bold,
            code: plain.fg(Color::Yellow),
            link: underline.fg(Color::Cyan),
            selected: reversed,
            allow: bold.fg(Color::Green),
            deny: bold.fg(Color::Red),
            warn: bold.fg(Color::Yellow),
            ok: plain.fg(Color::Green),
            callout_important: bold.fg(Color::Magenta),
            callout_tip: bold.fg(Color::Green),
            callout_warning: bold.fg(Color::Red),
            callout_note: bold.fg(Color::Blue),
            json_key: plain.fg(Color::Cyan),
            json_string: plain.fg(Color::Green),
            json_number: plain.fg(Color::Magenta),
            json_punct: plain.fg(Color::DarkGray),
            border: plain.fg(Color::DarkGray),
            hop_active: bold.fg(Color::Black).bg(Color::Yellow),
            hop_done: plain.fg(Color::Green),
            hop_pending: plain.fg(Color::DarkGray),
        }
    }

    /// The theme for this process: colour unless `NO_COLOR` is set to a
    /// non-empty value (no-color.org).
    pub fn from_env() -> Self {
        Theme::new(std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monochrome_sets_no_colour_anywhere() {
        let t = Theme::new(false);
        for s in [
            t.text,
            t.dim,
            t.heading,
            t.emph,
            t.strong,
            t.code,
            t.link,
            t.selected,
            t.allow,
            t.deny,
            t.warn,
            t.ok,
            t.callout_important,
            t.callout_tip,
            t.callout_warning,
            t.callout_note,
            t.json_key,
            t.json_string,
            t.json_number,
            t.json_punct,
            t.border,
            t.hop_active,
            t.hop_done,
            t.hop_pending,
        ] {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
    }

    #[test]
    fn allow_is_green_and_deny_red_in_colour() {
        let t = Theme::new(true);
        assert_eq!(t.allow.fg, Some(Color::Green));
        assert_eq!(t.deny.fg, Some(Color::Red));
    }
}
