//! IAM condition operators: parsing an operator name such as
//! `ForAnyValue:StringLikeIfExists`, checking a policy value at parse time,
//! and deciding whether one key's condition holds for a request.
//!
//! The rules follow AWS's IAM documentation ("Condition operators",
//! "Conditions with multiple context keys or values", "Single-valued vs.
//! multivalued context keys"):
//!
//! - The values a policy lists for one key are alternatives (logical OR);
//!   for a negated operator (`StringNotEquals`, `NotIpAddress`, ...) the
//!   request value must match none of them (logical NOR).
//! - A key missing from the request makes a positive operator false and a
//!   negated one true; `...IfExists` makes any operator true; with
//!   `ForAllValues:` the condition is true and with `ForAnyValue:` false.
//! - `Null` tests presence only: `"true"` means the key must be absent,
//!   `"false"` that it must be present.
//!
//! Where AWS's documentation is silent, this module chooses (and its tests
//! pin down):
//!
//! - A request value the operator cannot read (not a number, date, address
//!   or ARN) fails positive and negated operators alike, as AWS's policy
//!   simulator does for `ArnNotLike` with a value that is not an ARN.
//! - An empty list is a missing key; under a set qualifier, and for `Null`,
//!   so is an empty string.
//! - A list without a set qualifier: a positive operator holds when any
//!   value matches, a negated one when no value matches.
//! - `NullIfExists` is refused (AWS forbids it). `ForAnyValue:Null` and
//!   `ForAllValues:Null` are accepted, as AWS's policy simulator accepts
//!   them: each value present passes `"false"` and fails `"true"`, and an
//!   empty or missing key gives `ForAllValues:` true, `ForAnyValue:` false.
//! - A date without a time zone is UTC; a digits-only date is epoch seconds.
//! - An IPv4-mapped IPv6 request address (`::ffff:203.0.113.7`) matches IPv4
//!   ranges; host bits in a policy range are ignored.
//! - A lone `*` as an `Arn*` value matches any ARN.
//!
//! Every function here is total: no input, however odd, makes it panic.

mod check;
mod eval;
mod operator;
pub(crate) mod value;

pub use check::check_value;
pub use eval::holds;
pub use operator::{BaseOperator, Operator, SetQualifier};
pub(crate) use value::date::parse_instant;

/// A value in the request context.
#[derive(Debug, Clone, PartialEq)]
pub enum ContextValue {
    /// A single string, such as `aws:PrincipalAccount`.
    String(String),
    /// A boolean, such as `aws:SecureTransport`.
    Bool(bool),
    /// A number, such as `s3:max-keys` or `aws:EpochTime`.
    Number(f64),
    /// The values of a multivalued key, such as `kms:EncryptionContextKeys`.
    List(Vec<String>),
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Helpers shared by the condition tests of every file.
    pub(crate) use super::operator::all_operator_names;
    pub(crate) use super::*;

    pub(crate) fn op(name: &str) -> Operator {
        match Operator::parse(name) {
            Ok(op) => op,
            Err(e) => panic!("{name} should parse: {e}"),
        }
    }

    pub(crate) fn parse_err(name: &str) -> String {
        match Operator::parse(name) {
            Ok(op) => panic!("{name} should be refused, parsed as {op:?}"),
            Err(e) => e,
        }
    }

    pub(crate) fn check_err(name: &str, value: &str) -> String {
        match check_value(&op(name), value) {
            Ok(()) => panic!("{name} should refuse {value:?}"),
            Err(e) => e,
        }
    }

    pub(crate) fn s(value: &str) -> ContextValue {
        ContextValue::String(value.to_string())
    }

    pub(crate) fn list(values: &[&str]) -> ContextValue {
        ContextValue::List(values.iter().map(|v| v.to_string()).collect())
    }

    /// Does `name` with these policy values hold for this request value?
    pub(crate) fn eval(name: &str, policy: &[&str], request: Option<ContextValue>) -> bool {
        let policy: Vec<String> = policy.iter().map(|v| v.to_string()).collect();
        holds(&op(name), &policy, request.as_ref())
    }
}
