//! keyshake: a terminal tutor for sharing AWS KMS-encrypted data across
//! account boundaries.
//!
//! The crate is split in layers:
//! - [`core`]: the domain (policy parsing and evaluation, scenarios, content,
//!   progress). It has no terminal or command-line dependency and builds
//!   with `--no-default-features`.
//! - `cli` (feature `cli`, on by default): the command-line arguments and the
//!   commands that print to writers (`keyshake eval`, `pack`, `quiz --plain`).
//! - `tui` (feature `tui`, on by default): the ratatui front end, a thin layer
//!   that renders core state and turns keys into actions.
#![warn(missing_docs)]
// Nothing a user or a file controls may panic outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

#[cfg(feature = "cli")]
pub mod cli;
pub mod core;
#[cfg(feature = "tui")]
pub mod tui;
