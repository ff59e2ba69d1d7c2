//! Evaluation of one request against a world, with a trace and a sentence
//! that explains the decision (`docs/evaluation.md`).

pub mod context;
pub mod decide;
mod explain;
mod explain_org;
mod org;
pub mod outcome;
pub mod resolve;

pub use decide::evaluate;
pub use outcome::{Missing, Outcome, OwnerRef, PolicyOutcome, PolicySource, TraceEntry, Why};
