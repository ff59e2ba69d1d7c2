//! Evaluating one condition: the request's values against the policy's,
//! per operator family, set qualifier and `IfExists`.

use std::borrow::Cow;
use std::collections::HashSet;
use std::net::IpAddr;

use super::value::arn::{arn_matches, request_arn};
use super::value::cidr::{ip_in_network, parse_cidr};
use super::value::date::parse_instant;
use super::value::{parse_bool, parse_number};
use super::{BaseOperator, ContextValue, Operator, SetQualifier};
use crate::core::policy::wildcard;

/// One value of the request, as the operators see it.
#[derive(Debug, Clone, Copy)]
enum Scalar<'a> {
    Str(&'a str),
    Bool(bool),
    Num(f64),
}

impl Scalar<'_> {
    /// The text a string operator compares: a Bool as `true`/`false`, a
    /// Number as its decimal form (`42`, `2.5`).
    fn text(&self) -> Cow<'_, str> {
        match self {
            Scalar::Str(s) => Cow::Borrowed(s),
            Scalar::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Scalar::Num(n) => Cow::Owned(n.to_string()),
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Scalar::Str(s) => parse_number(s),
            Scalar::Num(n) => Some(*n),
            Scalar::Bool(_) => None,
        }
    }

    fn instant(&self) -> Option<i128> {
        match self {
            Scalar::Str(s) => parse_instant(s).ok(),
            // A number is epoch seconds, as `aws:EpochTime` is.
            Scalar::Num(n) if n.is_finite() && n.abs() < 1e15 => Some((*n * 1e9).round() as i128),
            Scalar::Num(_) | Scalar::Bool(_) => None,
        }
    }

    fn boolean(&self) -> Option<bool> {
        match self {
            Scalar::Str(s) => parse_bool(s),
            Scalar::Bool(b) => Some(*b),
            Scalar::Num(_) => None,
        }
    }
}

/// The request's values for the key, or `None` when the key counts as
/// missing. An empty list is missing. With a set qualifier an empty string
/// is an empty set too (AWS: "If the key values in the request resolve to
/// an empty data set (for example, an empty string)").
fn request_elements(
    request: Option<&ContextValue>,
    set_qualified: bool,
) -> Option<Vec<Scalar<'_>>> {
    match request? {
        ContextValue::List(items) if items.is_empty() => None,
        ContextValue::List(items) => Some(items.iter().map(|s| Scalar::Str(s)).collect()),
        ContextValue::String(s) if s.is_empty() && set_qualified => None,
        ContextValue::String(s) => Some(vec![Scalar::Str(s)]),
        ContextValue::Bool(b) => Some(vec![Scalar::Bool(*b)]),
        ContextValue::Number(n) => Some(vec![Scalar::Num(*n)]),
    }
}

/// Checks one policy values list for one condition key against the
/// request's value for that key (`None` when the request has no such key).
/// `policy_values` are the values written in the policy, already turned
/// into strings (JSON true/false/numbers become "true"/"false"/"42").
///
/// A policy value the operator cannot read (a Numeric operator with "abc")
/// matches nothing; `check_value` reports it at parse time. A request
/// value the operator cannot read (a Date operator with "soon", an Arn
/// operator with a string that is not an ARN) fails the test for that
/// value, for positive and negated operators alike.
pub fn holds(op: &Operator, policy_values: &[String], request: Option<&ContextValue>) -> bool {
    let is_null = op.base == BaseOperator::Null;
    // For Null an empty string is no value either (as AWS's policy simulator
    // treats it), so `Null: true` holds for it.
    let Some(elements) = request_elements(request, op.set.is_some() || is_null) else {
        if is_null && op.set.is_none() {
            return policy_values.iter().any(|v| parse_bool(v) == Some(true));
        }
        if op.if_exists && !is_null {
            return true;
        }
        return match op.set {
            Some(SetQualifier::ForAllValues) => true,
            Some(SetQualifier::ForAnyValue) => false,
            None => op.is_negated(),
        };
    };
    let negated = op.is_negated();
    // The per-value test: a positive operator needs the value to match some
    // policy value, a negated one needs it to match none.
    // A value the operator cannot read at all fails either way (AWS's policy
    // simulator fails `ArnNotLike` for a value that is not an ARN).
    let lookup = Lookup::new(op.base, policy_values, elements.len());
    let satisfied = |element: &Scalar<'_>| {
        readable(op.base, element) && {
            let any = lookup.any_matches(op.base, policy_values, element);
            any != negated
        }
    };
    match op.set {
        Some(SetQualifier::ForAllValues) => elements.iter().all(satisfied),
        Some(SetQualifier::ForAnyValue) => elements.iter().any(satisfied),
        // A list without a set qualifier: a positive operator holds when any
        // value matches, a negated one when no value matches any policy value.
        None if negated => elements.iter().all(satisfied),
        None => elements.iter().any(satisfied),
    }
}

/// Policy values prepared for many request values: exact string operators
/// look values up in a hash set, and `...Like` operators look up the
/// patterns without wildcards there too, so a long policy list against a
/// long request list costs their sum, not their product (only wildcard
/// patterns are still tried one by one).
enum Lookup<'p> {
    /// Few pairs: try every policy value.
    Scan,
    /// `StringEquals`, `StringNotEquals`, `BinaryEquals`.
    Exact(HashSet<&'p str>),
    /// The `IgnoreCase` string operators: lowercased values.
    Folded(HashSet<String>),
    /// `StringLike`, `StringNotLike`: literal patterns, then the others.
    Like(HashSet<&'p str>, Vec<&'p str>),
}

/// Below this many (policy value, request value) pairs a plain scan is
/// cheaper than building a set.
const SCAN_PAIRS: usize = 64;

impl<'p> Lookup<'p> {
    fn new(base: BaseOperator, policy_values: &'p [String], elements: usize) -> Lookup<'p> {
        use BaseOperator::*;
        if policy_values.len().saturating_mul(elements) <= SCAN_PAIRS {
            return Lookup::Scan;
        }
        match base {
            StringEquals | StringNotEquals | BinaryEquals => {
                Lookup::Exact(policy_values.iter().map(String::as_str).collect())
            }
            StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => {
                Lookup::Folded(policy_values.iter().map(|v| v.to_lowercase()).collect())
            }
            StringLike | StringNotLike => {
                let (wild, literal): (Vec<&str>, Vec<&str>) = policy_values
                    .iter()
                    .map(String::as_str)
                    .partition(|v| wildcard::has_wildcard(v));
                Lookup::Like(literal.into_iter().collect(), wild)
            }
            _ => Lookup::Scan,
        }
    }

    /// Does the request value match any policy value under the positive
    /// form of `base`?
    fn any_matches(
        &self,
        base: BaseOperator,
        policy_values: &[String],
        value: &Scalar<'_>,
    ) -> bool {
        match self {
            Lookup::Scan => policy_values
                .iter()
                .any(|p| matches_positive(base, p, value)),
            Lookup::Exact(set) => set.contains(value.text().as_ref()),
            Lookup::Folded(set) => set.contains(&value.text().to_lowercase()),
            Lookup::Like(literal, wild) => {
                let text = value.text();
                literal.contains(text.as_ref())
                    || wild.iter().any(|p| wildcard::matches(p, &text, false))
            }
        }
    }
}

/// Can `base` read this request value at all (a number for Numeric, a date
/// for Date, an address for IpAddress, an ARN for Arn, ...)?
fn readable(base: BaseOperator, value: &Scalar<'_>) -> bool {
    use BaseOperator::*;
    match base {
        NumericEquals
        | NumericNotEquals
        | NumericLessThan
        | NumericLessThanEquals
        | NumericGreaterThan
        | NumericGreaterThanEquals => value.number().is_some_and(|n| !n.is_nan()),
        DateEquals
        | DateNotEquals
        | DateLessThan
        | DateLessThanEquals
        | DateGreaterThan
        | DateGreaterThanEquals => value.instant().is_some(),
        Bool => value.boolean().is_some(),
        IpAddress | NotIpAddress => value.text().parse::<IpAddr>().is_ok(),
        ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => request_arn(&value.text()).is_some(),
        StringEquals
        | StringNotEquals
        | StringEqualsIgnoreCase
        | StringNotEqualsIgnoreCase
        | StringLike
        | StringNotLike
        | BinaryEquals
        | Null => true,
    }
}

/// Does the request value match this one policy value under the positive
/// form of `base` (`StringEquals` for `StringNotEquals`, and so on)?
fn matches_positive(base: BaseOperator, policy: &str, value: &Scalar<'_>) -> bool {
    use BaseOperator::*;
    match base {
        StringEquals | StringNotEquals | BinaryEquals => value.text() == policy,
        StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => {
            value.text().to_lowercase() == policy.to_lowercase()
        }
        StringLike | StringNotLike => wildcard::matches(policy, &value.text(), false),
        NumericEquals
        | NumericNotEquals
        | NumericLessThan
        | NumericLessThanEquals
        | NumericGreaterThan
        | NumericGreaterThanEquals => {
            let (Some(request), Some(limit)) = (value.number(), parse_number(policy)) else {
                return false;
            };
            match base {
                NumericLessThan => request < limit,
                NumericLessThanEquals => request <= limit,
                NumericGreaterThan => request > limit,
                NumericGreaterThanEquals => request >= limit,
                _ => request == limit,
            }
        }
        DateEquals
        | DateNotEquals
        | DateLessThan
        | DateLessThanEquals
        | DateGreaterThan
        | DateGreaterThanEquals => {
            let (Some(request), Ok(limit)) = (value.instant(), parse_instant(policy)) else {
                return false;
            };
            match base {
                DateLessThan => request < limit,
                DateLessThanEquals => request <= limit,
                DateGreaterThan => request > limit,
                DateGreaterThanEquals => request >= limit,
                _ => request == limit,
            }
        }
        Bool => match (value.boolean(), parse_bool(policy)) {
            (Some(request), Some(wanted)) => request == wanted,
            _ => false,
        },
        IpAddress | NotIpAddress => {
            let (Ok(address), Ok((network, prefix))) =
                (value.text().parse::<IpAddr>(), parse_cidr(policy))
            else {
                return false;
            };
            ip_in_network(address, network, prefix)
        }
        ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => arn_matches(policy, &value.text()),
        // A value that is there is not null: only `Null: false` matches it.
        Null => parse_bool(policy) == Some(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::policy::condition::test_support::*;

    // ---- missing keys, for every operator ----

    #[test]
    fn missing_key_fails_positive_and_passes_negated_operators() {
        for base in BaseOperator::ALL {
            if base == BaseOperator::Null {
                continue;
            }
            let got = holds(&Operator::new(base), &["x".to_string()], None);
            assert_eq!(got, base.is_negated(), "{}", base.name());
        }
    }

    #[test]
    fn if_exists_is_true_for_a_missing_key_whatever_the_operator() {
        for name in all_operator_names() {
            let parsed = op(&name);
            if parsed.base == BaseOperator::Null {
                continue;
            }
            let parsed = Operator {
                if_exists: true,
                ..parsed
            };
            assert!(holds(&parsed, &["x".to_string()], None), "{name}");
            assert!(
                holds(&parsed, &["x".to_string()], Some(&list(&[]))),
                "{name}"
            );
        }
    }

    #[test]
    fn if_exists_evaluates_normally_when_the_key_is_present() {
        assert!(!eval("StringEqualsIfExists", &["a"], Some(s("b"))));
        assert!(eval("StringEqualsIfExists", &["a"], Some(s("a"))));
        assert!(!eval("StringNotEqualsIfExists", &["a"], Some(s("a"))));
        assert!(!eval(
            "NumericLessThanIfExists",
            &["5"],
            Some(ContextValue::Number(7.0))
        ));
        assert!(eval("BoolIfExists", &["false"], None));
        assert!(!eval(
            "BoolIfExists",
            &["false"],
            Some(ContextValue::Bool(true))
        ));
    }

    // ---- strings ----

    #[test]
    fn string_equals_is_exact_and_case_sensitive() {
        assert!(eval(
            "StringEquals",
            &["111122223333"],
            Some(s("111122223333"))
        ));
        assert!(!eval("StringEquals", &["Finance"], Some(s("finance"))));
        assert!(!eval("StringEquals", &["Finance"], Some(s("Finance "))));
        assert!(!eval("StringEquals", &["Finance"], None));
    }

    #[test]
    fn string_equals_treats_wildcards_literally() {
        assert!(!eval("StringEquals", &["Fin*"], Some(s("Finance"))));
        assert!(eval("StringEquals", &["Fin*"], Some(s("Fin*"))));
    }

    #[test]
    fn positive_operator_with_several_values_needs_any_one() {
        let accounts = ["111122223333", "444455556666"];
        assert!(eval("StringEquals", &accounts, Some(s("444455556666"))));
        assert!(!eval("StringEquals", &accounts, Some(s("777788889999"))));
    }

    #[test]
    fn string_not_equals_with_several_values_must_match_none() {
        let accounts = ["111122223333", "444455556666"];
        assert!(!eval("StringNotEquals", &accounts, Some(s("111122223333"))));
        assert!(!eval("StringNotEquals", &accounts, Some(s("444455556666"))));
        assert!(eval("StringNotEquals", &accounts, Some(s("777788889999"))));
        assert!(eval("StringNotEquals", &accounts, None));
        assert!(eval("StringNotEqualsIfExists", &accounts, None));
    }

    #[test]
    fn string_equals_ignore_case() {
        assert!(eval(
            "StringEqualsIgnoreCase",
            &["Finance"],
            Some(s("FINANCE"))
        ));
        assert!(eval("StringEqualsIgnoreCase", &["ÉTÉ"], Some(s("été"))));
        assert!(!eval(
            "StringEqualsIgnoreCase",
            &["Finance"],
            Some(s("Finances"))
        ));
        assert!(!eval("StringEqualsIgnoreCase", &["Finance"], None));
        assert!(eval("StringEqualsIgnoreCaseIfExists", &["Finance"], None));
    }

    #[test]
    fn string_not_equals_ignore_case_must_match_none_in_any_case() {
        let teams = ["Finance", "Audit"];
        assert!(!eval("StringNotEqualsIgnoreCase", &teams, Some(s("AUDIT"))));
        assert!(!eval(
            "StringNotEqualsIgnoreCase",
            &teams,
            Some(s("finance"))
        ));
        assert!(eval("StringNotEqualsIgnoreCase", &teams, Some(s("Sales"))));
        assert!(eval("StringNotEqualsIgnoreCase", &teams, None));
    }

    #[test]
    fn string_like_uses_star_and_question_mark() {
        let via = ["s3.*.amazonaws.com"];
        assert!(eval(
            "StringLike",
            &via,
            Some(s("s3.eu-west-1.amazonaws.com"))
        ));
        assert!(!eval(
            "StringLike",
            &via,
            Some(s("ec2.eu-west-1.amazonaws.com"))
        ));
        assert!(eval("StringLike", &["key?"], Some(s("key1"))));
        assert!(!eval("StringLike", &["key?"], Some(s("key12"))));
        assert!(!eval("StringLike", &["Home/*"], Some(s("home/alice"))));
        assert!(eval("StringLike", &[""], Some(s(""))));
        assert!(!eval("StringLike", &["*"], None));
        assert!(eval("StringLikeIfExists", &["t2.*"], None));
    }

    #[test]
    fn string_not_like_with_several_patterns_must_match_none() {
        let patterns = ["alias/prod-*", "alias/shared-?"];
        assert!(!eval("StringNotLike", &patterns, Some(s("alias/prod-db"))));
        assert!(!eval("StringNotLike", &patterns, Some(s("alias/shared-1"))));
        assert!(eval("StringNotLike", &patterns, Some(s("alias/shared-10"))));
        assert!(eval("StringNotLike", &patterns, Some(s("alias/dev"))));
        assert!(eval("StringNotLike", &patterns, None));
    }

    #[test]
    fn booleans_and_numbers_compare_as_text_for_string_operators() {
        assert!(eval(
            "StringEquals",
            &["true"],
            Some(ContextValue::Bool(true))
        ));
        assert!(!eval(
            "StringEquals",
            &["true"],
            Some(ContextValue::Bool(false))
        ));
        assert!(eval(
            "StringEquals",
            &["42"],
            Some(ContextValue::Number(42.0))
        ));
        assert!(eval(
            "StringEquals",
            &["2.5"],
            Some(ContextValue::Number(2.5))
        ));
        assert!(eval(
            "StringLike",
            &["4*"],
            Some(ContextValue::Number(42.0))
        ));
    }

    // ---- numbers ----

    #[test]
    fn numeric_equals_compares_values_not_spelling() {
        assert!(eval(
            "NumericEquals",
            &["10"],
            Some(ContextValue::Number(10.0))
        ));
        assert!(eval("NumericEquals", &["10"], Some(s("10.0"))));
        assert!(eval("NumericEquals", &["0.5"], Some(s(".5"))));
        assert!(!eval("NumericEquals", &["10"], Some(s("11"))));
        assert!(!eval("NumericEquals", &["10"], None));
        assert!(eval("NumericEqualsIfExists", &["10"], None));
    }

    #[test]
    fn numeric_not_equals_with_several_values_must_match_none() {
        assert!(!eval("NumericNotEquals", &["1", "2"], Some(s("2"))));
        assert!(!eval(
            "NumericNotEquals",
            &["1", "2"],
            Some(ContextValue::Number(1.0))
        ));
        assert!(eval("NumericNotEquals", &["1", "2"], Some(s("3"))));
        assert!(eval("NumericNotEquals", &["1", "2"], None));
    }

    #[test]
    fn numeric_less_than_and_less_than_equals() {
        let max_keys = |n: f64| Some(ContextValue::Number(n));
        assert!(eval("NumericLessThan", &["10"], max_keys(9.0)));
        assert!(!eval("NumericLessThan", &["10"], max_keys(10.0)));
        assert!(eval("NumericLessThanEquals", &["10"], max_keys(10.0)));
        assert!(!eval("NumericLessThanEquals", &["10"], max_keys(10.5)));
        assert!(!eval("NumericLessThanEquals", &["10"], None));
        assert!(eval("NumericLessThanEqualsIfExists", &["10"], None));
    }

    #[test]
    fn numeric_greater_than_and_greater_than_equals() {
        assert!(eval("NumericGreaterThan", &["3600"], Some(s("3601"))));
        assert!(!eval("NumericGreaterThan", &["3600"], Some(s("3600"))));
        assert!(eval("NumericGreaterThanEquals", &["3600"], Some(s("3600"))));
        assert!(!eval(
            "NumericGreaterThanEquals",
            &["3600"],
            Some(s("3599.9"))
        ));
        assert!(!eval("NumericGreaterThan", &["0"], None));
        assert!(eval("NumericGreaterThanIfExists", &["0"], None));
    }

    #[test]
    fn numeric_handles_negatives_and_decimals() {
        assert!(eval("NumericLessThan", &["0"], Some(s("-1.5"))));
        assert!(eval("NumericGreaterThan", &["-2"], Some(s("-1.99"))));
        assert!(eval("NumericEquals", &["+7"], Some(s("7"))));
    }

    #[test]
    fn unreadable_request_number_matches_no_policy_value() {
        assert!(!eval("NumericEquals", &["10"], Some(s("ten"))));
        assert!(!eval("NumericLessThan", &["10"], Some(s("1e1"))));
        assert!(!eval(
            "NumericGreaterThan",
            &["0"],
            Some(ContextValue::Bool(true))
        ));
        // Negated operators fail too: the value is not a number at all.
        assert!(!eval("NumericNotEquals", &["10"], Some(s("ten"))));
    }

    #[test]
    fn numeric_policy_values_must_be_integers_or_decimals() {
        for good in ["10", "-2.5", "+3", "0.25", ".5", "007"] {
            assert_eq!(check_value(&op("NumericEquals"), good), Ok(()), "{good}");
        }
        for bad in [
            "abc", "", "1e5", " 1", "0x10", "NaN", "inf", "1.2.3", "-", "1,5",
        ] {
            let e = check_err("NumericLessThanEquals", bad);
            assert!(
                e.starts_with("NumericLessThanEquals compares numbers"),
                "{e}"
            );
            assert!(e.contains(&format!("\"{bad}\" is not a number")), "{e}");
        }
    }

    // ---- Bool ----

    #[test]
    fn bool_matches_booleans_and_their_text() {
        assert!(eval("Bool", &["true"], Some(ContextValue::Bool(true))));
        assert!(eval("Bool", &["false"], Some(ContextValue::Bool(false))));
        assert!(!eval("Bool", &["false"], Some(ContextValue::Bool(true))));
        assert!(eval("Bool", &["true"], Some(s("TRUE"))));
        assert!(eval("Bool", &["False"], Some(s("false"))));
        assert!(!eval("Bool", &["true"], Some(s("yes"))));
        assert!(!eval("Bool", &["true"], Some(ContextValue::Number(1.0))));
    }

    #[test]
    fn bool_on_a_missing_key_is_false_unless_if_exists() {
        // The classic "deny unless TLS" mistake: Bool false never fires when
        // the key is absent, BoolIfExists does.
        assert!(!eval("Bool", &["false"], None));
        assert!(eval("BoolIfExists", &["false"], None));
    }

    #[test]
    fn bool_and_null_values_must_be_true_or_false() {
        assert_eq!(check_value(&op("Bool"), "TRUE"), Ok(()));
        assert_eq!(
            check_err("Bool", "yes"),
            "Bool takes \"true\" or \"false\", found \"yes\""
        );
        assert!(check_err("BoolIfExists", "1").starts_with("BoolIfExists takes"));
        assert_eq!(check_value(&op("Null"), "false"), Ok(()));
        let e = check_err("Null", "maybe");
        assert!(e.contains("\"true\" (the key must be absent"), "{e}");
        assert!(e.ends_with("found \"maybe\""), "{e}");
    }

    // ---- BinaryEquals ----

    #[test]
    fn binary_equals_compares_the_base64_text() {
        let value = "QmluYXJ5VmFsdWVJbkJhc2U2NA==";
        assert!(eval("BinaryEquals", &[value], Some(s(value))));
        assert!(!eval(
            "BinaryEquals",
            &[value],
            Some(s("QmluYXJ5VmFsdWVJbkJhc2U2NQ=="))
        ));
        assert!(!eval(
            "BinaryEquals",
            &[value],
            Some(s("qmluYXJ5VmFsdWVJbkJhc2U2NA=="))
        ));
        assert!(!eval("BinaryEquals", &[value], None));
        assert!(eval("BinaryEqualsIfExists", &[value], None));
    }

    #[test]
    fn binary_equals_values_must_be_base64() {
        for good in ["QmluYXJ5VmFsdWVJbkJhc2U2NA==", "QQ==", "QUI=", "QUJD", ""] {
            assert_eq!(check_value(&op("BinaryEquals"), good), Ok(()), "{good}");
        }
        for bad in ["abc", "ab$=", "Q===", "====", "QQ==QQ==", "héllo==", "QQ=A"] {
            let e = check_err("BinaryEquals", bad);
            assert!(e.contains("is not base64"), "{bad}: {e}");
        }
    }

    // ---- set qualifiers ----

    #[test]
    fn for_all_values_needs_every_request_value_listed() {
        let allowed = ["Department", "Project"];
        let name = "ForAllValues:StringEquals";
        assert!(eval(name, &allowed, Some(list(&["Project"]))));
        assert!(eval(name, &allowed, Some(list(&["Project", "Department"]))));
        assert!(!eval(
            name,
            &allowed,
            Some(list(&["Project", "CostCenter"]))
        ));
    }

    #[test]
    fn for_any_value_needs_one_request_value_listed() {
        let flagged = ["ID", "PostDateTime"];
        let name = "ForAnyValue:StringEquals";
        assert!(eval(
            name,
            &flagged,
            Some(list(&["UserName", "PostDateTime"]))
        ));
        assert!(!eval(name, &flagged, Some(list(&["UserName", "Message"]))));
    }

    #[test]
    fn empty_and_missing_values_under_set_qualifiers() {
        for request in [None, Some(list(&[])), Some(s(""))] {
            assert!(
                eval("ForAllValues:StringEquals", &["a"], request.clone()),
                "{request:?}"
            );
            assert!(
                !eval("ForAnyValue:StringEquals", &["a"], request.clone()),
                "{request:?}"
            );
            assert!(
                eval("ForAllValues:StringNotEquals", &["a"], request.clone()),
                "{request:?}"
            );
            assert!(
                !eval("ForAnyValue:StringNotEquals", &["a"], request.clone()),
                "{request:?}"
            );
            assert!(
                eval("ForAnyValue:StringEqualsIfExists", &["a"], request),
                "IfExists wins"
            );
        }
        // Without a qualifier an empty string is an ordinary value.
        assert!(eval("StringEquals", &[""], Some(s(""))));
    }

    #[test]
    fn for_all_values_with_a_negated_operator_follows_the_aws_table() {
        // AWS's example: Deny with ForAllValues:StringNotLike "key1*" on aws:TagKeys.
        let name = "ForAllValues:StringNotLike";
        assert!(!eval(name, &["key1*"], Some(list(&["key1:legal"]))));
        assert!(!eval(
            name,
            &["key1*"],
            Some(list(&["key1:hr", "key1:personnel"]))
        ));
        assert!(eval(name, &["key1*"], Some(list(&["key2:audit"]))));
        assert!(eval(name, &["key1*"], None));
        // Mixed: one value escapes the pattern, one does not, so not all match none.
        assert!(!eval(
            name,
            &["key1*"],
            Some(list(&["key1:hr", "key2:audit"]))
        ));
    }

    #[test]
    fn for_any_value_with_a_negated_operator_needs_one_unlisted_value() {
        let name = "ForAnyValue:StringNotEquals";
        assert!(eval(name, &["a", "b"], Some(list(&["a", "c"]))));
        assert!(!eval(name, &["a", "b"], Some(list(&["a", "b"]))));
    }

    #[test]
    fn a_single_value_under_a_set_qualifier_is_a_one_element_list() {
        assert!(eval(
            "ForAnyValue:StringEquals",
            &["s3.us-east-1.amazonaws.com"],
            Some(s("s3.us-east-1.amazonaws.com"))
        ));
        assert!(!eval("ForAllValues:StringEquals", &["x"], Some(s("y"))));
        assert!(eval(
            "ForAllValues:Bool",
            &["true"],
            Some(ContextValue::Bool(true))
        ));
        assert!(eval(
            "ForAnyValue:NumericGreaterThan",
            &["5"],
            Some(ContextValue::Number(6.0))
        ));
    }

    #[test]
    fn a_list_without_a_set_qualifier_matches_if_any_value_does() {
        let called_via = Some(list(&["athena.amazonaws.com", "s3.amazonaws.com"]));
        assert!(eval(
            "StringEquals",
            &["s3.amazonaws.com"],
            called_via.clone()
        ));
        assert!(!eval(
            "StringEquals",
            &["glue.amazonaws.com"],
            called_via.clone()
        ));
        assert!(!eval(
            "StringNotEquals",
            &["s3.amazonaws.com"],
            called_via.clone()
        ));
        assert!(eval("StringNotEquals", &["glue.amazonaws.com"], called_via));
        assert!(!eval("StringEquals", &["x"], Some(list(&[]))));
        assert!(eval("StringNotEquals", &["x"], Some(list(&[]))));
    }

    #[test]
    fn set_qualifiers_work_with_wildcards_and_numbers() {
        assert!(eval(
            "ForAllValues:StringLike",
            &["Created*"],
            Some(list(&["CreatedBy", "CreatedAt"]))
        ));
        assert!(!eval(
            "ForAllValues:StringLike",
            &["Created*"],
            Some(list(&["CreatedBy", "Owner"]))
        ));
        assert!(eval(
            "ForAnyValue:NumericLessThan",
            &["3"],
            Some(list(&["10", "2"]))
        ));
        assert!(!eval(
            "ForAllValues:NumericLessThan",
            &["3"],
            Some(list(&["10", "2"]))
        ));
        assert!(eval(
            "ForAnyValue:ArnLike",
            &["arn:aws:iam::*:role/Admin"],
            Some(list(&["arn:aws:iam::111122223333:role/Admin"]))
        ));
    }

    // ---- Null ----

    #[test]
    fn null_true_means_the_key_must_be_absent() {
        assert!(eval("Null", &["true"], None));
        assert!(!eval("Null", &["true"], Some(s("2026-01-31T00:00:00Z"))));
        assert!(eval("Null", &["true"], Some(list(&[]))));
        // An empty string is no value either.
        assert!(eval("Null", &["true"], Some(s(""))));
        assert!(!eval("Null", &["false"], Some(s(""))));
    }

    #[test]
    fn null_false_means_the_key_must_be_present() {
        assert!(eval("Null", &["false"], Some(s("x"))));
        assert!(eval("Null", &["false"], Some(ContextValue::Bool(false))));
        assert!(eval("Null", &["false"], Some(list(&["a"]))));
        assert!(!eval("Null", &["false"], None));
        assert!(!eval("Null", &["false"], Some(list(&[]))));
    }

    #[test]
    fn null_values_are_alternatives_and_junk_never_matches() {
        assert!(eval("Null", &["true", "false"], None));
        assert!(eval("Null", &["true", "false"], Some(s("x"))));
        assert!(eval("Null", &["TRUE"], None));
        assert!(!eval("Null", &["maybe"], None));
        assert!(!eval("Null", &["maybe"], Some(s("x"))));
        assert!(!eval("Null", &[], None));
    }

    #[test]
    fn set_qualified_null_tests_each_value_for_presence() {
        // Every value that is there is present, so "false" holds for all of
        // them and "true" for none; an empty or missing key is the usual
        // empty set: ForAllValues true, ForAnyValue false.
        let present = Some(list(&["a", "b"]));
        assert!(eval("ForAllValues:Null", &["false"], present.clone()));
        assert!(!eval("ForAllValues:Null", &["true"], present.clone()));
        assert!(eval("ForAnyValue:Null", &["false"], present.clone()));
        assert!(!eval("ForAnyValue:Null", &["true"], present));
        for empty in [None, Some(s("")), Some(list(&[]))] {
            assert!(
                eval("ForAllValues:Null", &["true"], empty.clone()),
                "{empty:?}"
            );
            assert!(
                eval("ForAllValues:Null", &["false"], empty.clone()),
                "{empty:?}"
            );
            assert!(
                !eval("ForAnyValue:Null", &["true"], empty.clone()),
                "{empty:?}"
            );
            assert!(!eval("ForAnyValue:Null", &["false"], empty), "empty key");
        }
        assert!(check_err("ForAnyValue:Null", "yes").starts_with("ForAnyValue:Null takes"));
    }

    // ---- odds and ends ----

    #[test]
    fn date_equals_compares_instants_not_calendar_days() {
        assert!(!eval(
            "DateEquals",
            &["2026-01-31"],
            Some(s("2026-01-31T12:00:00Z"))
        ));
        assert!(eval(
            "DateLessThan",
            &["2026-02-01"],
            Some(s("2026-01-31T23:59:59.999Z"))
        ));
    }

    #[test]
    fn not_a_number_matches_no_numeric_value() {
        let nan = Some(ContextValue::Number(f64::NAN));
        assert!(!eval("NumericEquals", &["0"], nan.clone()));
        assert!(!eval("NumericLessThan", &["0"], nan.clone()));
        assert!(!eval("NumericNotEquals", &["0"], nan.clone()));
        assert!(!eval("DateLessThan", &["2026-01-01"], nan));
    }

    #[test]
    fn a_hand_built_operator_prints_the_aws_spelling() {
        let built = Operator {
            base: BaseOperator::DateLessThan,
            if_exists: true,
            set: Some(SetQualifier::ForAllValues),
        };
        assert_eq!(built.name(), "ForAllValues:DateLessThanIfExists");
        assert_eq!(Operator::new(BaseOperator::Null).name(), "Null");
        assert!(!Operator::new(BaseOperator::Null).is_negated());
    }

    #[test]
    fn null_only_asks_whether_the_key_is_there() {
        assert!(eval("Null", &["false"], Some(ContextValue::Number(0.0))));
        assert!(!eval("Null", &["true"], Some(ContextValue::Bool(false))));
    }

    #[test]
    fn question_mark_stands_for_one_character_not_one_byte() {
        assert!(eval("StringLike", &["?t?"], Some(s("été"))));
        assert!(!eval("StringLike", &["??"], Some(s("é"))));
        assert!(eval("StringNotLike", &["??"], Some(s("é"))));
    }

    #[test]
    fn more_valid_ranges_are_accepted() {
        for good in [
            "2001:db8::1",
            "::",
            "::ffff:1.2.3.4/120",
            "0.0.0.0/0",
            "10.0.0.0/08",
        ] {
            assert_eq!(check_value(&op("IpAddress"), good), Ok(()), "{good}");
        }
    }

    // ---- robustness ----

    const ODD: &[&str] = &[
        "",
        " ",
        "*",
        "?",
        ":",
        "::::::",
        "/",
        "-",
        "+",
        ".",
        "=",
        "é",
        "🙂",
        "ß",
        "İ",
        "\u{0}",
        "\u{202e}",
        "arn:",
        "arn:aws:s3:::",
        "arn:aws:s3:::é/🙂",
        "2026",
        "2026-",
        "2026-01-31T",
        "2026-01-31T12:",
        "2026-01-31T12:00:00+",
        "2026-01-31T12:00:00.",
        "2026-01-31T12:00:00+02:0",
        "2026-02-30",
        "9999-12-31T23:59:59.999999999Z",
        "0000-01-01",
        "-1",
        "-.5",
        "1.",
        "1e308",
        "99999999999999999999999999",
        "NaN",
        "1.2.3.4/",
        "1.2.3.4/99999",
        "::ffff:1.2.3.4",
        "fe80::1%eth0",
        "[::1]",
        "0/0",
        "QQ==",
        "====",
        "true",
        "FALSE",
        "tRuE",
        "٣",
        "२०२६-०१-३१",
    ];

    fn odd_requests() -> Vec<Option<ContextValue>> {
        let mut requests = vec![
            None,
            Some(list(&[])),
            Some(list(ODD)),
            Some(ContextValue::Bool(true)),
            Some(ContextValue::Number(f64::NAN)),
            Some(ContextValue::Number(f64::INFINITY)),
            Some(ContextValue::Number(-0.0)),
            Some(ContextValue::Number(1e300)),
        ];
        requests.extend(ODD.iter().map(|v| Some(s(v))));
        requests
    }

    #[test]
    fn no_odd_input_makes_anything_panic() {
        let requests = odd_requests();
        for name in all_operator_names() {
            let parsed = op(&name);
            for value in ODD {
                let _ = check_value(&parsed, value);
                let policy = vec![value.to_string()];
                for request in &requests {
                    let got = holds(&parsed, &policy, request.as_ref());
                    if request.is_none() && parsed.if_exists {
                        assert!(got, "{name} with a missing key");
                    }
                }
            }
        }
        for value in ODD {
            let _ = Operator::parse(value);
            let _ = Operator::parse(&format!("ForAnyValue:{value}"));
            let _ = Operator::parse(&format!("{value}IfExists"));
        }
    }

    #[test]
    fn pseudo_random_strings_never_panic() {
        const ALPHABET: &[char] = &[
            'a', 'r', 'n', ':', '*', '?', '/', '.', '-', '+', 'T', 'Z', '0', '1', '2', '9', 'é',
            '🙂', '=', 'Q', 'f', ' ', 'ß',
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let operators: Vec<Operator> = all_operator_names().iter().map(|n| op(n)).collect();
        for round in 0..3000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            let parsed = operators[(next() % operators.len() as u64) as usize];
            let _ = check_value(&parsed, &text);
            if round % 25 == 0 {
                // Suggestions are the slow part; a sample is enough.
                let _ = Operator::parse(&text);
            }
            let request = ContextValue::String(text.clone());
            let policy = vec![text.clone()];
            let _ = holds(&parsed, &policy, Some(&request));
            // Every string equals itself, so StringEquals with the same text holds.
            assert!(holds(
                &Operator::new(BaseOperator::StringEquals),
                &policy,
                Some(&request)
            ));
        }
    }

    #[test]
    fn long_value_lists_give_the_same_answers_as_short_ones() {
        let policy: Vec<String> = (0..200).map(|i| format!("team-{i}")).collect();
        let mut like = policy.clone();
        like.push("ops-*".to_string());
        fn refs(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        let request = |extra: &str| {
            let mut v: Vec<String> = (500..700).map(|i| format!("team-{i}")).collect();
            v.push(extra.to_string());
            ContextValue::List(v)
        };
        let p = refs(&policy);
        let l = refs(&like);
        assert!(eval(
            "ForAnyValue:StringEquals",
            &p,
            Some(request("team-7"))
        ));
        assert!(!eval(
            "ForAnyValue:StringEquals",
            &p,
            Some(request("TEAM-7"))
        ));
        assert!(eval(
            "ForAnyValue:StringEqualsIgnoreCase",
            &p,
            Some(request("TEAM-7"))
        ));
        assert!(!eval(
            "ForAllValues:StringEquals",
            &p,
            Some(request("team-7"))
        ));
        assert!(eval(
            "ForAnyValue:StringNotEquals",
            &p,
            Some(request("team-7"))
        ));
        assert!(eval("ForAnyValue:StringLike", &l, Some(request("ops-1"))));
        assert!(eval("ForAnyValue:StringLike", &l, Some(request("team-3"))));
        assert!(!eval("ForAnyValue:StringLike", &l, Some(request("dev-1"))));
        assert!(!eval("ForAllValues:StringLike", &l, Some(request("ops-1"))));
    }
}
