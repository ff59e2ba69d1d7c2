//! Content-quality advice for pack authors: what a pack does not need in
//! order to load but learners would miss (`keyshake pack check` prints it
//! after the loader's own [`Pack::warnings`]).

use super::Pack;
use crate::core::diag::{Diagnostic, Severity};

/// A quiz over one objective varies only with at least this many questions.
const MIN_QUESTIONS_PER_OBJECTIVE: usize = 3;

impl Pack {
    /// Warnings that go beyond what the pack needs to load: a lesson without
    /// checkpoints, an objective with fewer than three bank questions.
    /// `objectives` is the path shown for warnings about objectives.
    pub fn advice(&self, objectives: &str) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for lesson in &self.lessons {
            if lesson.checkpoint_count() == 0 {
                out.push(self.warning_at(
                    &format!("lesson:{}", lesson.id),
                    &lesson.path,
                    format!(
                        "lesson {:?} has no checkpoints; learners cannot check what they read",
                        lesson.id
                    ),
                ));
            }
        }
        for o in &self.objectives {
            let n = self
                .questions
                .iter()
                .filter(|q| q.objectives.contains(&o.id))
                .count();
            if n < MIN_QUESTIONS_PER_OBJECTIVE {
                out.push(self.warning_at(
                    &format!("objective:{}", o.id),
                    objectives,
                    format!(
                        "objective {:?} has {n} bank question{}; a quiz needs at least {MIN_QUESTIONS_PER_OBJECTIVE} to vary",
                        o.id,
                        if n == 1 { "" } else { "s" }
                    ),
                ));
            }
        }
        out
    }

    /// A warning at the place the loader recorded for `place`, else at the
    /// top of `path`.
    fn warning_at(&self, place: &str, path: &str, message: String) -> Diagnostic {
        let (path, line, column) = self
            .places
            .get(place)
            .cloned()
            .unwrap_or_else(|| (path.to_string(), 1, 1));
        Diagnostic {
            path,
            line,
            column,
            severity: Severity::Warning,
            message,
            hint: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lesson_without_checkpoints_and_a_thin_objective_get_advice() {
        let mut pack = Pack::builtin().expect("built-in pack");
        assert!(
            pack.advice("o.toml").is_empty(),
            "the built-in course is clean"
        );
        pack.lessons[0]
            .sections
            .iter_mut()
            .for_each(|s| s.checkpoints.clear());
        let id = pack.objectives[0].id.clone();
        pack.questions.retain(|q| !q.objectives.contains(&id));
        let advice: Vec<String> = pack
            .advice("o.toml")
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(advice.len(), 2, "{advice:?}");
        assert!(advice[0].contains("has no checkpoints"), "{advice:?}");
        assert!(
            advice[1].starts_with("content/objectives.toml:")
                && !advice[1].contains(":1:1:")
                && advice[1].contains("0 bank questions"),
            "{advice:?}"
        );
    }
}
