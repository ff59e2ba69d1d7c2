//! `lessons/*.toml`: lessons, their sections' bodies and checkpoints.

use toml::Spanned;

use super::question::QuestionCx;
use super::raw::{LenientLesson, RawLesson, RawQuestion, RawSection};
use super::{Loader, PendingLinks, Seen, check_id, parse_file};
use crate::core::content::lab::markup_field_with;
use crate::core::content::{Lesson, Section};
use crate::core::diag::{Diagnostic, Severity};
use crate::core::world::sink::DiagSink;

impl Loader<'_> {
    /// Every lesson file, then the lessons sorted by `order` (and id).
    pub(super) fn load_lessons(&mut self) {
        let files = self.files;
        let mut lesson_ids = Seen::new();
        for i in self.kinds.lessons.clone() {
            let Some(f) = files.get(i) else { continue };
            let cx = DiagSink::new(&f.display, &f.text);
            let Some(raw) = parse_file::<RawLesson>(&cx, &mut self.out) else {
                self.check_lenient_bodies(&cx, i);
                continue;
            };
            check_id("lesson", &raw.id, &cx, &mut self.out);
            lesson_ids.add("lesson", &raw.id, &cx, &mut self.out);
            for (key, at) in [
                ("lesson", raw.id.span()),
                ("lesson-order", raw.order.span()),
            ] {
                let (line, column) = cx.locate(at.start);
                self.pack.places.insert(
                    format!("{key}:{}", raw.id.get_ref()),
                    (f.display.clone(), line, column),
                );
            }
            self.check_objectives(&raw.objectives, &cx);
            let mut section_ids = Seen::new();
            let mut sections = Vec::new();
            for s in raw.sections {
                check_id("section", &s.id, &cx, &mut self.out);
                section_ids.add("section", &s.id, &cx, &mut self.out);
                sections.push(self.section(s, &cx, i));
            }
            if sections.is_empty() {
                self.out
                    .push(cx.diag_error(raw.id.span().start, "this lesson has no [[sections]]"));
            }
            self.pack.lessons.push(Lesson {
                id: raw.id.into_inner(),
                order: raw.order.into_inner(),
                title: raw.title,
                objectives: raw
                    .objectives
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect(),
                summary: raw.summary,
                sections,
                path: f.display.clone(),
            });
        }
        self.pack
            .lessons
            .sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
    }

    /// The file's structure is wrong somewhere; still check every body and
    /// checkpoint it has, so one missing field does not hide the rest (the
    /// schema errors inside them were reported by the first reading).
    fn check_lenient_bodies(&mut self, cx: &DiagSink<'_>, file: usize) {
        let Some(lenient) = crate::core::world::recover::parse::<LenientLesson>(cx.text(), |_| {})
        else {
            return;
        };
        for section in lenient.sections {
            if let Some(body) = &section.body {
                self.body(body, cx, file);
            }
            for q in section.checkpoints {
                let _ = self.checkpoint(q, cx, file);
            }
        }
    }

    /// A section body, parsed; its links wait for the glossary.
    fn body(
        &mut self,
        body: &Spanned<String>,
        cx: &DiagSink<'_>,
        file: usize,
    ) -> Vec<crate::core::content::Block> {
        let mut sink = DiagSink::new(cx.path(), cx.text());
        let mut links = Vec::new();
        let blocks = markup_field_with(&mut sink, body, &mut links, &self.diagram_names);
        self.out.extend(sink.finish());
        self.pending_links.push(PendingLinks { file, links });
        blocks
    }

    /// One checkpoint, checked as a question.
    fn checkpoint(
        &mut self,
        q: RawQuestion,
        cx: &DiagSink<'_>,
        file: usize,
    ) -> Option<crate::core::content::Question> {
        self.question_ids.add("question", &q.id, cx, &mut self.out);
        self.check_objectives(&q.objectives, cx);
        let mut qx = QuestionCx {
            cx,
            checkpoint: true,
            file,
            out: &mut self.out,
            pending_scenarios: &mut self.pending_scenarios,
        };
        qx.question(q)
    }

    /// One section: its body parsed, its checkpoints checked.
    fn section(&mut self, s: RawSection, cx: &DiagSink<'_>, file: usize) -> Section {
        let blocks = self.body(&s.body, cx, file);
        let checkpoints = s
            .checkpoints
            .into_iter()
            .filter_map(|q| self.checkpoint(q, cx, file))
            .collect::<Vec<_>>();
        Section {
            id: s.id.into_inner(),
            title: s.title,
            blocks,
            checkpoints,
        }
    }

    /// Two lessons with the same `order` (a warning: the map order is then
    /// by id, which the author may not mean).
    pub(super) fn check_lesson_order(&mut self) {
        for pair in self.pack.lessons.windows(2) {
            if let [a, b] = pair
                && a.order == b.order
            {
                let (path, line, column) = self
                    .pack
                    .places
                    .get(&format!("lesson-order:{}", b.id))
                    .cloned()
                    .unwrap_or_else(|| (b.path.clone(), 1, 1));
                self.out.push(Diagnostic {
                    path,
                    line,
                    column,
                    severity: Severity::Warning,
                    message: format!(
                        "lessons {:?} and {:?} have the same order {}",
                        a.id, b.id, a.order
                    ),
                    hint: None,
                });
            }
        }
    }
}
