//! A policy lab being worked on, without a terminal: the learner's texts,
//! what they were last saved as (a sandbox's file), the verdicts of the
//! last texts that parsed, the parse errors and lint findings, re-checked
//! on every change. The TUI's lab screen draws a [`Workbench`] and feeds it
//! the editor's texts.

mod workbench;

pub use workbench::Workbench;
