//! Evaluation of one request against a world, with a trace and a sentence
//! that explains the decision (`docs/evaluation.md`).

pub mod context;
pub mod decide;
mod diff;
mod edit;
mod explain;
mod explain_org;
pub mod fix;
pub mod handshake;
pub mod near;
mod org;
pub mod outcome;
pub mod resolve;

pub use decide::evaluate;
pub use fix::{Fix, FixResult, NoFix, NoFixCode, fixes};
pub use near::{Failed, NearMiss, near_misses};
pub use outcome::{Missing, Outcome, OwnerRef, PolicyOutcome, PolicySource, TraceEntry, Why};
