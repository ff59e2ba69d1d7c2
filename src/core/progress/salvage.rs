//! Reading what can be read of a progress file with a few bad entries.
//!
//! One wrongly typed field (a hand edit, a bit flip, a file from a buggy
//! build) must not wipe a learner's whole view. When the file as a whole
//! does not fit [`Progress`], each part is tried on its own: the parts that
//! fit are kept, the ones that do not are dropped and named, and the store
//! keeps a copy of the original file so that nothing is lost.

use serde_json::{Map, Value};

use crate::core::progress::Progress;

/// A struct-like object has at most this many keys; above it, an object is
/// a map of entries (lessons, labs, checkpoints) and is salvaged entry by
/// entry only.
const STRUCT_KEYS: usize = 32;

/// The progress that could be read, and the JSON paths of the parts
/// dropped (`labs.lab-02.hints_used`, `quiz.answers[17]`).
pub fn salvage(doc: Map<String, Value>) -> Option<(Progress, Vec<String>)> {
    let mut dropped = Vec::new();
    let mut kept = Map::new();
    for (key, value) in doc {
        let path = vec![Step::Key(key.clone())];
        if let Some(v) = salvage_node(&path, value, &mut dropped) {
            kept.insert(key, v);
        }
    }
    kept.entry("version")
        .or_insert(Value::from(crate::core::progress::SCHEMA_VERSION));
    let progress = serde_json::from_value(Value::Object(kept)).ok()?;
    Some((progress, dropped))
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn shown(path: &[Step]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Key(k) if s.is_empty() => s.push_str(k),
            Step::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Whether `value`, placed alone at `path` in an otherwise empty file,
/// reads as progress.
fn fits(path: &[Step], value: &Value) -> bool {
    let mut doc = value.clone();
    for step in path.iter().rev() {
        doc = match step {
            Step::Key(k) => {
                let mut m = Map::new();
                m.insert(k.clone(), doc);
                Value::Object(m)
            }
            Step::Index(_) => Value::Array(vec![doc]),
        };
    }
    if let Value::Object(m) = &mut doc {
        m.entry("version")
            .or_insert(Value::from(crate::core::progress::SCHEMA_VERSION));
    }
    serde_json::from_value::<Progress>(doc).is_ok()
}

fn salvage_node(path: &[Step], value: Value, dropped: &mut Vec<String>) -> Option<Value> {
    if fits(path, &value) {
        return Some(value);
    }
    match value {
        Value::Array(items) => {
            let mut kept = Vec::with_capacity(items.len());
            let mut lost = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                let mut p = path.to_vec();
                p.push(Step::Index(i));
                if let Some(v) = salvage_node(&p, item, &mut lost) {
                    kept.push(v);
                }
            }
            let rebuilt = Value::Array(kept);
            if fits(path, &rebuilt) {
                dropped.extend(lost);
                Some(rebuilt)
            } else {
                dropped.push(shown(path));
                None
            }
        }
        Value::Object(map) => salvage_object(path, map, dropped),
        _ => {
            dropped.push(shown(path));
            None
        }
    }
}

fn salvage_object(
    path: &[Step],
    map: Map<String, Value>,
    dropped: &mut Vec<String>,
) -> Option<Value> {
    // A map of entries, or a record whose bad part lies deeper: keep each
    // part that reads on its own.
    let mut kept = Map::new();
    let mut lost = Vec::new();
    for (key, child) in &map {
        let mut p = path.to_vec();
        p.push(Step::Key(key.clone()));
        if let Some(v) = salvage_node(&p, child.clone(), &mut lost) {
            kept.insert(key.clone(), v);
        }
    }
    let rebuilt = Value::Object(kept);
    if fits(path, &rebuilt) {
        dropped.extend(lost);
        return Some(rebuilt);
    }
    // A record with required fields, one of them bad: drop that field.
    if map.len() <= STRUCT_KEYS {
        for key in map.keys() {
            let mut without = map.clone();
            without.remove(key);
            let candidate = Value::Object(without);
            if fits(path, &candidate) {
                let mut p = path.to_vec();
                p.push(Step::Key(key.clone()));
                dropped.push(shown(&p));
                return Some(candidate);
            }
        }
    }
    dropped.push(shown(path));
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!("tests pass objects"),
        }
    }

    #[test]
    fn a_bad_field_in_one_lab_costs_only_that_field() {
        let d = doc(json!({
            "version": 3,
            "labs": {
                "lab-01": { "hints_used": 2, "solved_at": 100 },
                "lab-02": { "hints_used": "three", "started": 50 }
            },
            "walkthroughs": { "envelope": 4 }
        }));
        let (p, dropped) = salvage(d).expect("salvaged");
        assert_eq!(dropped, vec!["labs.lab-02.hints_used".to_string()]);
        assert_eq!(p.labs["lab-01"].hints_used, 2);
        assert_eq!(p.labs["lab-02"].started, Some(50));
        assert_eq!(p.walkthroughs["envelope"], 4);
    }

    #[test]
    fn a_broken_answer_is_dropped_and_the_others_kept() {
        let good = json!({"question": "q1", "at": 5, "mode": "practice", "correct": true});
        let d = doc(json!({
            "quiz": { "answers": [good.clone(), {"question": 7}, good] }
        }));
        let (p, dropped) = salvage(d).expect("salvaged");
        assert_eq!(p.quiz.answers.len(), 2);
        assert_eq!(dropped.len(), 1, "{dropped:?}");
        assert!(dropped[0].starts_with("quiz.answers[1]"), "{dropped:?}");
    }
}
