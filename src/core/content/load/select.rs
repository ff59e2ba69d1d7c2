//! `pick` and `hide` in the `pack.toml` of an `extend` pack: which of the
//! built-in lessons and labs the course keeps. `pick` keeps only the named
//! ones, `hide` drops the named ones; the pack's own files always stay.
//! A lesson or lab is named by its id or by the number its file name
//! starts with: `lesson-04` (or `lesson-4`) is `lessons/04-….toml`,
//! `lab-03` is `labs/03-….toml`.

use toml::Spanned;

use super::did_you_mean;
use crate::core::content::Pack;
use crate::core::diag::Diagnostic;
use crate::core::world::sink::DiagSink;

/// Where a built-in file's diagnostics point (the built-in pack's root).
const BUILTIN_ROOT: &str = "content/";

/// The built-in lessons and labs an extend pack keeps, as `pack.toml`
/// names them (each id with its place, for errors).
#[derive(Debug, Default)]
pub(in crate::core::content) struct Selection {
    pick: Vec<(String, Diagnostic)>,
    hide: Vec<(String, Diagnostic)>,
}

impl Selection {
    /// Reads `pick` and `hide`; outside `extend` mode they are an error.
    pub(super) fn new(
        cx: &DiagSink<'_>,
        pick: &[Spanned<String>],
        hide: &[Spanned<String>],
        extend: bool,
        out: &mut Vec<Diagnostic>,
    ) -> Selection {
        let place = |s: &Spanned<String>| (s.get_ref().clone(), cx.diag_error(s.span().start, ""));
        if !extend {
            if let Some(first) = pick.first().or(hide.first()) {
                out.push(
                    cx.diag_error(
                        first.span().start,
                        "`pick` and `hide` choose built-in lessons and labs: they need mode = \"extend\"",
                    ),
                );
            }
            return Selection::default();
        }
        Selection {
            pick: pick.iter().map(place).collect(),
            hide: hide.iter().map(place).collect(),
        }
    }

    /// Keeps the chosen built-in lessons and labs (glossary `see` entries
    /// naming a dropped lesson go too); an id that is no built-in lesson or
    /// lab is an error at its place in `pack.toml`.
    pub(in crate::core::content) fn apply(&self, pack: &mut Pack, out: &mut Vec<Diagnostic>) {
        if self.pick.is_empty() && self.hide.is_empty() {
            return;
        }
        // Every built-in lesson and lab with the names it answers to.
        let names = |kind: &str, id: &str, path: &str| -> Vec<String> {
            let file = path.rsplit('/').next().unwrap_or("");
            let digits: String = file.chars().take_while(char::is_ascii_digit).collect();
            let mut names = vec![id.to_string()];
            if let Ok(n) = digits.parse::<u32>() {
                names.push(format!("{kind}-{n:02}"));
                names.push(format!("{kind}-{n}"));
            }
            names
        };
        let builtin: Vec<Vec<String>> = pack
            .lessons
            .iter()
            .filter(|l| l.path.starts_with(BUILTIN_ROOT))
            .map(|l| names("lesson", &l.id, &l.path))
            .chain(
                pack.labs
                    .iter()
                    .filter(|l| l.path.starts_with(BUILTIN_ROOT))
                    .map(|l| names("lab", &l.id, &l.path)),
            )
            .collect();
        for (id, at) in self.pick.iter().chain(&self.hide) {
            if !builtin.iter().flatten().any(|n| n == id) {
                out.push(
                    Diagnostic {
                        message: format!("{id:?} is not a built-in lesson or lab"),
                        ..at.clone()
                    }
                    .with_hint(did_you_mean(
                        id,
                        builtin.iter().flatten().map(String::as_str),
                        "name a lesson or lab by its id or as lesson-NN / lab-NN (the number its file name starts with); `keyshake pack export-builtin DIR` writes them out",
                    )),
                );
            }
        }
        let named = |list: &[(String, Diagnostic)], names: &[String]| {
            list.iter().any(|(n, _)| names.contains(n))
        };
        let keep = |kind: &str, id: &str, path: &str| {
            if !path.starts_with(BUILTIN_ROOT) {
                return true;
            }
            let names = names(kind, id, path);
            (self.pick.is_empty() || named(&self.pick, &names)) && !named(&self.hide, &names)
        };
        pack.lessons.retain(|l| keep("lesson", &l.id, &l.path));
        pack.labs.retain(|l| keep("lab", &l.id, &l.path));
        let lessons: Vec<String> = pack.lessons.iter().map(|l| l.id.clone()).collect();
        for term in &mut pack.glossary {
            term.see.retain(|s| lessons.contains(s));
        }
    }
}
