//! AWS policy documents: parsing with source positions, and matching of
//! actions, resources, principals and conditions.

pub mod wildcard;
