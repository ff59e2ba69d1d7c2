//! The world of a scenario: accounts, keys, buckets, objects, principals and
//! the requests to evaluate, read from the scenario TOML format
//! (`docs/scenario-format.md`).

pub mod embed;
pub mod load;
pub mod model;
pub mod org;
pub mod policy_ref;
mod quick_toml;
pub mod recover;
pub mod sink;

pub use load::{load, load_str};
pub use model::{
    Account, Bucket, Encryption, Key, Manager, Object, Principal, Reason, Request, Sse, Verdict,
    World,
};
