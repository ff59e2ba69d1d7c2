//! AWS policy documents: parsing with source positions, and matching of
//! actions, resources, principals and conditions.
//!
//! - [`json`]: a JSON reader that keeps byte positions.
//! - [`parse`](mod@parse): JSON → validated [`Policy`], with learner-facing errors.
//! - [`document`]: the model and statement-level matching.
//! - [`principal`], [`resource`], [`condition`], [`wildcard`]: the matching
//!   rules of each element.

pub mod arn;
pub mod catalog;
pub mod condition;
pub mod document;
pub mod iam_name;
pub mod json;
pub mod lint;
pub mod parse;
pub mod principal;
mod rcp;
pub mod resource;
pub mod wildcard;

pub use crate::core::diag::Located;
pub use document::{Effect, Policy, PolicyKind, Statement};
pub use parse::parse;
