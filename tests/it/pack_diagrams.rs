//! Diagrams from the pack: the built-in handshake with the names a pack
//! gives in pack.toml, and a pack's own diagram from diagrams/NAME.toml,
//! drawn by the lesson widget.

use std::path::{Path, PathBuf};

use keyshake::core::content::{BlockKind, DiagramId, Pack};
use keyshake::tui::theme::Theme;
use keyshake::tui::widgets::markup::lesson_lines;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::Paragraph;

fn pack_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/packs")
        .join(name)
}

fn own_diagram_pack() -> Pack {
    Pack::load_dir(&pack_dir("own-diagram")).unwrap_or_else(|d| panic!("{d:?}"))
}

#[test]
fn a_packs_own_diagram_and_names_are_drawn_in_its_lesson() {
    let pack = own_diagram_pack();
    let lesson = pack.lesson("x-direct").expect("the pack's lesson");
    let blocks = &lesson.sections[0].blocks;
    let ids: Vec<String> = blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Diagram(id) => Some(id.name().to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(ids, ["direct-decrypt", "handshake"]);
    let own = DiagramId::new("direct-decrypt");
    let step = |id: &DiagramId| usize::from(*id == own);
    let rendered = lesson_lines(blocks, &pack, 100, &Theme::new(false), &step, false);
    let height = u16::try_from(rendered.lines.len()).expect("fits");
    let mut terminal = Terminal::new(TestBackend::new(100, height)).expect("terminal");
    terminal
        .draw(|f| f.render_widget(Paragraph::new(rendered.lines.clone()), f.area()))
        .expect("draw");
    insta::assert_snapshot!("own_diagram_step_2_and_named_handshake", terminal.backend());
    let text = format!("{}", terminal.backend());
    for shown in [
        "A role decrypts with another account's key",
        "Step 2 of 3",
        "Its own account allows it",
        "report-builder",
        "Apps's IAM policy",
        "Data's key policy",
        "The role report-builder in account Apps calls s3:PutObject",
    ] {
        assert!(text.contains(shown), "{shown:?} not shown:\n{text}");
    }
    for hidden in ["Lambda role", "account B", "444455556666"] {
        assert!(!text.contains(hidden), "{hidden:?} still shown:\n{text}");
    }
}

#[test]
fn the_builtin_pack_keeps_its_own_names_and_the_pack_check_passes() {
    let builtin = crate::builtin_pack();
    let handshake = builtin.diagram(&DiagramId::HANDSHAKE).expect("built in");
    assert_eq!(handshake.nodes[0].label, "Lambda role");
    let (out, code) = keyshake::cli::pack::check(Some(&pack_dir("own-diagram")), true);
    assert_eq!(code, 0, "{out}");
    let pack = own_diagram_pack();
    let own = pack
        .diagram(&DiagramId::new("direct-decrypt"))
        .expect("loaded");
    assert_eq!(own.nodes.len(), 4);
    assert_eq!(own.arrows, [(2, 3)], "the arrow no step walks");
    assert_eq!(own.steps.len(), 3);
}

#[test]
fn arrows_step_through_a_packs_own_diagram_in_the_tutor() {
    use crate::tui_common::{keys, screen_text, setup};
    use keyshake::core::progress::MemStore;
    use keyshake::tui::app::App;
    use keyshake::tui::screens::home::Row;
    use keyshake::tui::screens::lesson::LessonScreen;

    let mut s = setup(100, 40, false, Box::new(MemStore::default()));
    s.pack = own_diagram_pack();
    let lesson = s.pack.lessons.iter().position(|l| l.id == "x-direct");
    let mut a = App::new(s);
    assert!(a.select(Row::Lesson(lesson.expect("on the map"))));
    keys(&mut a, "<ret><tab><right><right>");
    let own = DiagramId::new("direct-decrypt");
    let step = |a: &App| a.find::<LessonScreen>().map(|l| l.step(&own));
    assert_eq!(step(&a), Some(2));
    let text = screen_text(&a, 100, 40);
    assert!(text.contains("Step 3 of 3"), "{text}");
    assert!(text.contains("The key's account allows it"), "{text}");
    keys(&mut a, "<right>");
    assert_eq!(step(&a), Some(2), "the last step stays");
    assert!(screen_text(&a, 100, 40).contains("Last step of the diagram"));
}
