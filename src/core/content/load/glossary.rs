//! `objectives.toml` and `glossary.toml`, and the references to them.

use toml::Spanned;

use super::raw::{RawGlossary, RawObjectives};
use super::{Loader, Seen, check_id, did_you_mean, parse_file};
use crate::core::content::{GlossaryTerm, Objective};
use crate::core::diag::Severity;
use crate::core::world::sink::DiagSink;

impl Loader<'_> {
    /// The objectives. Other files' objective ids are checked against them
    /// only when objectives.toml has no error (else a reference to an
    /// objective it lost would be reported too).
    pub(super) fn load_objectives(&mut self) {
        let files = self.files;
        let mut ids = Seen::new();
        for &i in &self.kinds.objectives {
            let Some(f) = files.get(i) else { continue };
            let cx = DiagSink::new(&f.display, &f.text);
            let Some(raw) = parse_file::<RawObjectives>(&cx, &mut self.out) else {
                continue;
            };
            for o in raw.objectives {
                check_id("objective", &o.id, &cx, &mut self.out);
                ids.add("objective", &o.id, &cx, &mut self.out);
                let (line, column) = cx.locate(o.id.span().start);
                self.pack.places.insert(
                    format!("objective:{}", o.id.get_ref()),
                    (f.display.clone(), line, column),
                );
                self.pack.objectives.push(Objective {
                    id: o.id.into_inner(),
                    title: o.title,
                });
            }
        }
        if !self.kinds.objectives.is_empty() && !self.file_has_errors(&self.kinds.objectives) {
            self.objectives = Some(self.pack.objectives.iter().map(|o| o.id.clone()).collect());
        }
    }

    /// The glossary; its `see` lesson ids are checked once lessons loaded.
    pub(super) fn load_glossary(&mut self) {
        let files = self.files;
        let mut ids = Seen::new();
        for &i in &self.kinds.glossary {
            let Some(f) = files.get(i) else { continue };
            let cx = DiagSink::new(&f.display, &f.text);
            let Some(raw) = parse_file::<RawGlossary>(&cx, &mut self.out) else {
                continue;
            };
            for t in raw.terms {
                check_id("glossary term", &t.id, &cx, &mut self.out);
                ids.add("glossary term", &t.id, &cx, &mut self.out);
                self.pending_see
                    .extend(t.see.iter().map(|s| (i, s.clone())));
                self.pack.glossary.push(GlossaryTerm {
                    id: t.id.into_inner(),
                    term: t.term,
                    definition: t.definition,
                    see: t.see.into_iter().map(Spanned::into_inner).collect(),
                    aliases: t.aliases,
                    proper: t.proper,
                });
            }
        }
    }

    /// Reports objective ids of `cx`'s file that objectives.toml lacks.
    pub(super) fn check_objectives(&mut self, ids: &[Spanned<String>], cx: &DiagSink<'_>) {
        let Some(known) = &self.objectives else {
            return;
        };
        for id in ids {
            if !known.contains(id.get_ref()) {
                self.out.push(
                    cx.diag_error(
                        id.span().start,
                        format!("unknown objective id {:?}", id.get_ref()),
                    )
                    .with_hint(did_you_mean(
                        id.get_ref(),
                        known.iter().map(String::as_str),
                        "objective ids are listed in objectives.toml",
                    )),
                );
            }
        }
    }

    /// Glossary `see` entries that name no lesson (a warning), checked only
    /// when every lesson file gave its lesson: a lesson file that did not
    /// load means its id is unknown, so the check would be noise.
    pub(super) fn check_see(&mut self) {
        let files = self.files;
        if self.pack.lessons.len() < self.kinds.lessons.len() {
            return;
        }
        for (i, see) in &self.pending_see {
            let Some(f) = files.get(*i) else { continue };
            if self.pack.lesson(see.get_ref()).is_none() {
                self.out.push(DiagSink::new(&f.display, &f.text).diag(
                    see.span().start,
                    Severity::Warning,
                    format!("`see` names {:?}, which is not a lesson id", see.get_ref()),
                ));
            }
        }
    }
}
