//! keyshake: a terminal tutor for sharing AWS KMS-encrypted data across
//! account boundaries.
//!
//! The crate is split in two layers:
//! - [`core`]: the domain (policy parsing and evaluation, scenarios, content,
//!   progress). It has no terminal dependency and builds with
//!   `--no-default-features`.
//! - `tui` (feature `tui`, on by default): the ratatui front end, a thin layer
//!   that renders core state and turns keys into actions.
#![forbid(unsafe_code)]

pub mod cli;
pub mod core;
#[cfg(feature = "tui")]
pub mod tui;
