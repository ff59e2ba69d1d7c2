//! The integration suite: one test binary with a module per area, as ripgrep
//! (`tests/tests.rs`) and helix (`tests/integration.rs`) do, so the crate and
//! its dependencies are linked once.

mod adversarial;
mod adversarial_sandbox;
mod class_cli;
mod classroom_cli;
mod cli_common;
mod cli_envelope;
mod cli_eval;
mod content_links;
mod content_pack;
mod course_patterns;
mod docs;
mod drill;
mod e2e_tutor;
mod envelope_safety;
mod errors;
mod exam_controls;
mod exam_durability;
mod fuzz;
mod kms;
mod lab_grade;
mod labs;
mod layout;
mod lint;
mod mastery;
mod organizations;
mod pack_authoring;
mod pack_diagrams;
mod pack_kit;
mod pathological;
mod progress_store;
mod properties;
mod qti_export;
mod question_bank;
mod question_exchange;
mod quiz_plain;
mod quiz_terminal;
mod review_schedule;
mod sandbox;
mod sandbox_safety;
mod scenarios;
mod tui_app;
mod tui_common;
mod tui_drill;
mod tui_editor;
mod tui_envelope;
mod tui_lab;
mod tui_links;
mod tui_quiz;
mod tui_quiz_screens;
mod tui_quiz_view;
mod tui_sandbox;
mod tui_screens;
mod untrusted_text;
mod whynot;

use std::sync::LazyLock;

use keyshake::core::content::Pack;

/// The built-in course, parsed once for the whole binary (each parse runs the
/// engine over every policy question and lab solution). A problem in it fails
/// every test that asks for it, with the full list of diagnostics.
pub fn builtin_pack() -> Pack {
    static PACK: LazyLock<Result<Pack, String>> = LazyLock::new(|| {
        Pack::builtin().map_err(|diags| {
            let list: Vec<String> = diags.iter().map(ToString::to_string).collect();
            format!(
                "the built-in pack has {} problem(s):\n{}",
                diags.len(),
                list.join("\n")
            )
        })
    });
    match &*PACK {
        Ok(pack) => pack.clone(),
        Err(message) => panic!("{message}"),
    }
}
