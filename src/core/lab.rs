//! A policy lab being worked on, without a terminal: the learner's texts,
//! what they were last saved as (a sandbox's file), the verdicts of the
//! last texts that parsed, the parse errors and lint findings, re-checked
//! on every change. The TUI's lab screen draws a [`Workbench`] and feeds it
//! the editor's texts.

mod breadth;
mod feedback;
mod grade;
mod why;
mod workbench;

pub use breadth::{OverBroad, over_broad};
pub use feedback::{ContextEntry, goal_sentence, request_context};
pub use grade::{GoalGrade, Grade, grade};
pub use why::{NearView, NoTabFix, TabFix};
pub use workbench::{Blocker, CheckJob, CheckResult, Workbench};
