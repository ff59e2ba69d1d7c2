//! Checking a policy's condition values when the policy is parsed, so a
//! value no request could ever match is an error with a reason.

use super::value::arn::check_arn_pattern;
use super::value::cidr::parse_cidr;
use super::value::date::parse_instant;
use super::value::{is_base64, parse_bool, parse_number};
use super::{BaseOperator, Operator};

/// Validates a policy value for an operator at parse time (e.g. a Numeric
/// operator with "abc", a bad CIDR, a bad date, Bool with "yes", Null with
/// anything but true/false). The error is a sentence for a learner.
pub fn check_value(op: &Operator, value: &str) -> Result<(), String> {
    use BaseOperator::*;
    let name = op.name();
    match op.base {
        StringEquals
        | StringNotEquals
        | StringEqualsIgnoreCase
        | StringNotEqualsIgnoreCase
        | StringLike
        | StringNotLike => Ok(()),
        NumericEquals
        | NumericNotEquals
        | NumericLessThan
        | NumericLessThanEquals
        | NumericGreaterThan
        | NumericGreaterThanEquals => match parse_number(value) {
            Some(_) => Ok(()),
            None => Err(format!(
                "{name} compares numbers, but \"{value}\" is not a number \
                 (write an integer such as \"10\" or a decimal such as \"2.5\")"
            )),
        },
        DateEquals
        | DateNotEquals
        | DateLessThan
        | DateLessThanEquals
        | DateGreaterThan
        | DateGreaterThanEquals => match parse_instant(value) {
            Ok(_) => Ok(()),
            Err(reason) => Err(format!(
                "{name} compares dates, but \"{value}\" is not a date: {reason} \
                 (write \"2026-01-31\", \"2026-01-31T12:00:00Z\", \"2026-01-31T12:00:00+02:00\" \
                 or epoch seconds such as \"1769860800\"; wildcards are not allowed)"
            )),
        },
        Bool => match parse_bool(value) {
            Some(_) => Ok(()),
            None => Err(format!(
                "{name} takes \"true\" or \"false\", found \"{value}\""
            )),
        },
        Null => match parse_bool(value) {
            Some(_) => Ok(()),
            None => Err(format!(
                "{name} takes \"true\" (the key must be absent from the request) or \"false\" \
                 (the key must be present), found \"{value}\""
            )),
        },
        BinaryEquals => {
            if is_base64(value) {
                Ok(())
            } else {
                Err(format!(
                    "{name} compares base64-encoded binary values, but \"{value}\" is not base64 \
                     (letters, digits, '+' and '/', padded with '=' to a multiple of 4 characters)"
                ))
            }
        }
        IpAddress | NotIpAddress => match parse_cidr(value) {
            Ok(_) => Ok(()),
            Err(reason) => Err(format!(
                "{name} takes an IP address or CIDR range such as \"203.0.113.0/24\" or \
                 \"2001:DB8:1234:5678::/64\", but \"{value}\" is not one: {reason}"
            )),
        },
        ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => check_arn_pattern(&name, value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::policy::condition::test_support::*;

    // ---- check_value for the string family ----

    #[test]
    fn string_operators_accept_any_value() {
        for name in [
            "StringEquals",
            "StringNotLike",
            "ForAnyValue:StringLikeIfExists",
            "StringEqualsIgnoreCase",
        ] {
            for value in ["", "*", "alias/finance", "é?🙂"] {
                assert_eq!(check_value(&op(name), value), Ok(()), "{name} {value}");
            }
        }
    }

    #[test]
    fn check_value_errors_name_the_operator_as_written() {
        let e = check_err("ForAllValues:NumericEqualsIfExists", "ten");
        assert!(
            e.starts_with("ForAllValues:NumericEqualsIfExists compares numbers"),
            "{e}"
        );
    }
}
