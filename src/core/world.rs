//! The world of a scenario: accounts, keys, buckets, objects, principals.
