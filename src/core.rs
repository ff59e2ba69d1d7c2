//! The domain: everything keyshake knows, with no terminal in sight.

pub mod class;
pub mod content;
pub mod diag;
pub mod drill;
pub mod eval;
pub mod fs;
pub mod kms;
pub mod lab;
pub mod mastery;
pub mod par;
pub mod policy;
pub mod progress;
pub mod quiz;
pub mod text;
pub mod world;
