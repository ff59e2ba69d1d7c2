//! A drill as one JSON value (`keyshake drill --json`): the world as a
//! scenario file, the questions with their choices and answers, the
//! probes and the misconception id. Keys keep this order.

use serde_json::{Value, json};

use super::questions::{Answer, Question};
use super::{Drill, Place};

/// The drill as JSON.
pub fn to_json(d: &Drill) -> Value {
    let place = match &d.place {
        None => Value::Null,
        Some(Place::Policy { slot, sid, added }) => json!({
            "policy": d.world.label(*slot),
            "statement": sid,
            "change": if *added { "add" } else { "edit" },
        }),
        Some(Place::Elsewhere { fix }) => json!({ "policy": null, "fix": fix }),
    };
    json!({
        "seed": d.seed,
        "level": d.level,
        "misconception": d.misconception.id,
        "objective": d.misconception.objective,
        "lesson": d.misconception.lesson,
        "world": d.toml,
        "request": {
            "name": d.world.request.name,
            "principal": d.world.request.principal,
            "action": d.world.request.action,
            "resource": d.world.request.resource,
        },
        "decision": d.verdict.code(),
        "reason": d.reason.code(),
        "explanation": d.explanation,
        "defect": place,
        "questions": d.questions.iter().map(question).collect::<Vec<_>>(),
        "probes": d.probes.iter().map(|p| json!({
            "name": p.name,
            "principal": p.principal,
            "action": p.action,
            "resource": p.resource,
            "expect": "deny",
        })).collect::<Vec<_>>(),
        "solution": d.solution.as_ref().map(|(label, text)| json!({ "policy": label, "document": text })),
    })
}

fn question(q: &Question) -> Value {
    let answer = match &q.answer {
        Answer::Verdict(v, r) => json!({ "decision": v.code(), "reason": r.code() }),
        Answer::Choice(i) => json!(i),
    };
    json!({
        "kind": q.kind.code(),
        "stem": q.stem,
        "choices": q.choices,
        "answer": answer,
        "feedback": q.feedback,
    })
}
