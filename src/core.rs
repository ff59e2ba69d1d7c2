//! The domain: everything keyshake knows, with no terminal in sight.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod content;
pub mod diag;
pub mod eval;
pub mod kms;
pub mod lab;
pub mod policy;
pub mod progress;
pub mod quiz;
pub mod world;
