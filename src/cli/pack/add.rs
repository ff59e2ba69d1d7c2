//! `keyshake pack add lesson|question|lab|scenario ID`: a skeleton that the
//! pack's check passes as written, tied to the pack's first objective and
//! numbered after what the pack already holds.

use std::path::{Path, PathBuf};

use crate::core::content::{PACK_FILE, Pack, valid_id};

/// What `pack add` can add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AddKind {
    /// A lesson with one section and one checkpoint (`lessons/NN-ID.toml`).
    Lesson,
    /// A bank question (`questions/ID.toml`).
    Question,
    /// A policy lab (`labs/NN-ID.toml`).
    Lab,
    /// A scenario file for `keyshake eval` or a policy question (`scenarios/ID.toml`).
    Scenario,
}

const LESSON: &str = include_str!("skeletons/lesson.toml");
const QUESTION: &str = include_str!("skeletons/question.toml");
const LAB: &str = include_str!("skeletons/lab.toml");
const SCENARIO: &str = include_str!("skeletons/scenario.toml");

/// Writes the skeleton of `kind` named `id` into the pack at `dir`;
/// returns the file written.
pub fn add(dir: &Path, kind: AddKind, id: &str) -> Result<PathBuf, String> {
    if !valid_id(id) {
        return Err(format!(
            "{id:?} is not a valid id: use lowercase letters, digits and '-'"
        ));
    }
    if !dir.join(PACK_FILE).is_file() && !dir.join("objectives.toml").is_file() {
        return Err(format!(
            "{} is not a pack folder (it has no pack.toml or objectives.toml); run this inside a pack or give --pack DIR",
            dir.display()
        ));
    }
    let (pack, _) = Pack::check(Some(dir));
    let objective = pack
        .objectives
        .first()
        .map(|o| o.id.clone())
        .ok_or("the pack has no objective yet; add one to objectives.toml first")?;
    let taken = match kind {
        AddKind::Lesson => {
            pack.lesson(id).is_some() || pack.question(&format!("{id}-check")).is_some()
        }
        AddKind::Question => pack.question(id).is_some(),
        AddKind::Lab => pack.lab(id).is_some(),
        AddKind::Scenario => pack.scenarios.contains_key(id),
    };
    if taken {
        return Err(format!(
            "the pack already has a {} with the id {id:?}",
            name(kind)
        ));
    }
    let (rel, template, order) = match kind {
        AddKind::Lesson => {
            let order = pack.lessons.iter().map(|l| l.order).max().unwrap_or(0) + 1;
            (format!("lessons/{order:02}-{id}.toml"), LESSON, order)
        }
        AddKind::Question => (format!("questions/{id}.toml"), QUESTION, 0),
        AddKind::Lab => {
            let n = count_toml(&dir.join("labs")) + 1;
            (format!("labs/{n:02}-{id}.toml"), LAB, 0)
        }
        AddKind::Scenario => (format!("scenarios/{id}.toml"), SCENARIO, 0),
    };
    let path = dir.join(&rel);
    if path.exists() {
        return Err(format!("{} already exists", path.display()));
    }
    let text = template
        .replace("{id}", id)
        .replace("{objective}", &objective)
        .replace("{order}", &order.to_string())
        .replace("{title}", &title(id));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

fn name(kind: AddKind) -> &'static str {
    match kind {
        AddKind::Lesson => "lesson",
        AddKind::Question => "question",
        AddKind::Lab => "lab",
        AddKind::Scenario => "scenario",
    }
}

/// `trust-one-role` → `Trust one role`.
fn title(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// How many `.toml` files a folder holds (0 if it does not exist).
fn count_toml(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
            .count()
    })
}
