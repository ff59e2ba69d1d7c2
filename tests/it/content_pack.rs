//! The built-in course must always load cleanly: any problem in a file under
//! `content/` fails this test with the full list of diagnostics.

use keyshake::core::content::{BlockKind, DiagramId, Pack};

fn builtin() -> Pack {
    crate::builtin_pack()
}

#[test]
fn builtin_pack_loads_without_errors() {
    let pack = builtin();
    assert!(!pack.lessons.is_empty(), "the built-in pack has no lessons");
    assert!(
        !pack.glossary.is_empty(),
        "the built-in pack has no glossary"
    );
    assert!(
        !pack.objectives.is_empty(),
        "the built-in pack has no objectives"
    );
}

#[test]
fn builtin_pack_has_no_warnings() {
    let pack = builtin();
    let warnings: Vec<String> = pack.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.is_empty(),
        "the built-in pack has {} warning(s):\n{}",
        warnings.len(),
        warnings.join("\n")
    );
}

#[test]
fn builtin_lessons_are_in_order_and_have_content() {
    let pack = builtin();
    let orders: Vec<u32> = pack.lessons.iter().map(|l| l.order).collect();
    let mut sorted = orders.clone();
    sorted.sort_unstable();
    assert_eq!(orders, sorted);
    for lesson in &pack.lessons {
        for section in &lesson.sections {
            assert!(
                !section.blocks.is_empty(),
                "{}: section {:?} of lesson {:?} has an empty body",
                lesson.path,
                section.id,
                lesson.id
            );
        }
    }
}

#[test]
fn load_dir_of_the_content_folder_matches_the_builtin_pack() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let from_disk = match Pack::load_dir(&dir) {
        Ok(p) => p,
        Err(d) => panic!(
            "{}",
            d.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ),
    };
    let builtin = builtin();
    assert_eq!(from_disk.lessons.len(), builtin.lessons.len());
    assert_eq!(from_disk.glossary, builtin.glossary);
    for (a, b) in from_disk.lessons.iter().zip(&builtin.lessons) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.sections.len(), b.sections.len(), "lesson {}", a.id);
        for (sa, sb) in a.sections.iter().zip(&b.sections) {
            assert_eq!(sa.blocks, sb.blocks, "lesson {} section {}", a.id, sa.id);
            let ids = |s: &keyshake::core::content::Section| -> Vec<String> {
                s.checkpoints.iter().map(|q| q.id.clone()).collect()
            };
            assert_eq!(ids(sa), ids(sb));
        }
        // Diagnostics name built-in files content/..., folder files by path.
        assert!(b.path.starts_with("content/lessons/"), "{}", b.path);
        assert!(a.path.ends_with(b.path.trim_start_matches("content/")));
        assert_ne!(a.path, b.path);
    }
}

#[test]
fn every_objective_is_taught_by_a_lesson_and_quizzed_by_the_bank() {
    let pack = builtin();
    let mut problems = Vec::new();
    for o in &pack.objectives {
        if !pack.lessons.iter().any(|l| l.objectives.contains(&o.id)) {
            problems.push(format!("objective {:?} is taught by no lesson", o.id));
        }
        if !pack.questions.iter().any(|q| q.objectives.contains(&o.id)) {
            problems.push(format!("objective {:?} has no question in the bank", o.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn both_diagrams_are_taught_somewhere() {
    let pack = builtin();
    for id in DiagramId::ALL {
        let shown = pack.lessons.iter().flat_map(|l| &l.sections).any(|s| {
            s.blocks
                .iter()
                .any(|b| b.kind == BlockKind::Diagram(id.clone()))
        });
        assert!(shown, "no lesson shows @diagram {}", id.name());
    }
}
