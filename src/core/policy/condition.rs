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

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::net::IpAddr;

use super::wildcard;

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

/// The operator proper, without its `IfExists` suffix or set qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BaseOperator {
    /// Exact, case-sensitive string match.
    StringEquals,
    /// Negated `StringEquals`.
    StringNotEquals,
    /// Exact string match ignoring case.
    StringEqualsIgnoreCase,
    /// Negated `StringEqualsIgnoreCase`.
    StringNotEqualsIgnoreCase,
    /// Case-sensitive match with `*` and `?` wildcards.
    StringLike,
    /// Negated `StringLike`.
    StringNotLike,
    /// Numbers are equal.
    NumericEquals,
    /// Negated `NumericEquals`.
    NumericNotEquals,
    /// Request value < policy value.
    NumericLessThan,
    /// Request value <= policy value.
    NumericLessThanEquals,
    /// Request value > policy value.
    NumericGreaterThan,
    /// Request value >= policy value.
    NumericGreaterThanEquals,
    /// Same instant.
    DateEquals,
    /// Negated `DateEquals`.
    DateNotEquals,
    /// Request instant before the policy instant.
    DateLessThan,
    /// Request instant at or before the policy instant.
    DateLessThanEquals,
    /// Request instant after the policy instant.
    DateGreaterThan,
    /// Request instant at or after the policy instant.
    DateGreaterThanEquals,
    /// `true` / `false` match.
    Bool,
    /// Base64 value match.
    BinaryEquals,
    /// Request address inside the policy's CIDR range.
    IpAddress,
    /// Negated `IpAddress`.
    NotIpAddress,
    /// ARN match, part by part, with wildcards (identical to `ArnLike`).
    ArnEquals,
    /// ARN match, part by part, with wildcards.
    ArnLike,
    /// Negated `ArnEquals` (identical to `ArnNotLike`).
    ArnNotEquals,
    /// Negated `ArnLike`.
    ArnNotLike,
    /// Presence test: `"true"` = key absent, `"false"` = key present.
    Null,
}

impl BaseOperator {
    /// Every base operator, in the order AWS's documentation lists them.
    pub const ALL: [BaseOperator; 27] = [
        BaseOperator::StringEquals,
        BaseOperator::StringNotEquals,
        BaseOperator::StringEqualsIgnoreCase,
        BaseOperator::StringNotEqualsIgnoreCase,
        BaseOperator::StringLike,
        BaseOperator::StringNotLike,
        BaseOperator::NumericEquals,
        BaseOperator::NumericNotEquals,
        BaseOperator::NumericLessThan,
        BaseOperator::NumericLessThanEquals,
        BaseOperator::NumericGreaterThan,
        BaseOperator::NumericGreaterThanEquals,
        BaseOperator::DateEquals,
        BaseOperator::DateNotEquals,
        BaseOperator::DateLessThan,
        BaseOperator::DateLessThanEquals,
        BaseOperator::DateGreaterThan,
        BaseOperator::DateGreaterThanEquals,
        BaseOperator::Bool,
        BaseOperator::BinaryEquals,
        BaseOperator::IpAddress,
        BaseOperator::NotIpAddress,
        BaseOperator::ArnEquals,
        BaseOperator::ArnLike,
        BaseOperator::ArnNotEquals,
        BaseOperator::ArnNotLike,
        BaseOperator::Null,
    ];

    /// The name as written in a policy.
    pub fn name(self) -> &'static str {
        use BaseOperator::*;
        match self {
            StringEquals => "StringEquals",
            StringNotEquals => "StringNotEquals",
            StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            StringLike => "StringLike",
            StringNotLike => "StringNotLike",
            NumericEquals => "NumericEquals",
            NumericNotEquals => "NumericNotEquals",
            NumericLessThan => "NumericLessThan",
            NumericLessThanEquals => "NumericLessThanEquals",
            NumericGreaterThan => "NumericGreaterThan",
            NumericGreaterThanEquals => "NumericGreaterThanEquals",
            DateEquals => "DateEquals",
            DateNotEquals => "DateNotEquals",
            DateLessThan => "DateLessThan",
            DateLessThanEquals => "DateLessThanEquals",
            DateGreaterThan => "DateGreaterThan",
            DateGreaterThanEquals => "DateGreaterThanEquals",
            Bool => "Bool",
            BinaryEquals => "BinaryEquals",
            IpAddress => "IpAddress",
            NotIpAddress => "NotIpAddress",
            ArnEquals => "ArnEquals",
            ArnLike => "ArnLike",
            ArnNotEquals => "ArnNotEquals",
            ArnNotLike => "ArnNotLike",
            Null => "Null",
        }
    }

    /// True for the negated operators, whose listed values the request must
    /// match none of (AWS: "evaluated using a logical NOR").
    pub fn is_negated(self) -> bool {
        use BaseOperator::*;
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | NotIpAddress
                | ArnNotEquals
                | ArnNotLike
        )
    }

    fn from_name(name: &str) -> Option<BaseOperator> {
        BaseOperator::ALL.into_iter().find(|b| b.name() == name)
    }
}

/// The set qualifier of an operator on a multivalued key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// At least one request value must satisfy the operator.
    ForAnyValue,
    /// Every request value must satisfy the operator (true for none).
    ForAllValues,
}

impl SetQualifier {
    /// The prefix as written in a policy, without the colon.
    pub fn name(self) -> &'static str {
        match self {
            SetQualifier::ForAnyValue => "ForAnyValue",
            SetQualifier::ForAllValues => "ForAllValues",
        }
    }
}

/// A condition operator such as `StringEquals`,
/// `ForAnyValue:StringLikeIfExists`, `Null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    /// The operator proper.
    pub base: BaseOperator,
    /// The `IfExists` suffix: true when the key is missing.
    pub if_exists: bool,
    /// The `ForAnyValue:` / `ForAllValues:` prefix.
    pub set: Option<SetQualifier>,
}

impl Operator {
    /// The plain operator: no `IfExists`, no set qualifier.
    pub fn new(base: BaseOperator) -> Operator {
        Operator {
            base,
            if_exists: false,
            set: None,
        }
    }

    /// Parses an operator name as written in a policy (case-sensitive, as
    /// AWS is). The error is a sentence for a learner, with the closest
    /// known name when there is one:
    /// `unknown condition operator "StringEqual" (did you mean "StringEquals"?)`.
    /// `NullIfExists` is refused (AWS: `IfExists` goes on every operator
    /// except `Null`).
    pub fn parse(name: &str) -> Result<Operator, String> {
        if name.trim().is_empty() {
            return Err(
                "a condition operator name is empty (expected a name such as \"StringEquals\")"
                    .to_string(),
            );
        }
        let (set, rest) = match name.split_once(':') {
            Some(("ForAnyValue", rest)) => (Some(SetQualifier::ForAnyValue), rest),
            Some(("ForAllValues", rest)) => (Some(SetQualifier::ForAllValues), rest),
            Some(_) => return Err(unknown_operator(name)),
            None => (None, name),
        };
        let (base_name, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (rest, false),
        };
        let Some(base) = BaseOperator::from_name(base_name) else {
            return Err(unknown_operator(name));
        };
        if base == BaseOperator::Null && if_exists {
            return Err(format!(
                "\"{name}\" is not a condition operator: IfExists can be added to every operator \
                 except Null, because Null already tests whether the key exists (write \"Null\")"
            ));
        }
        Ok(Operator {
            base,
            if_exists,
            set,
        })
    }

    /// True for the negated operators (`StringNotEquals`, `NotIpAddress`, ...).
    pub fn is_negated(&self) -> bool {
        self.base.is_negated()
    }

    /// The name as AWS writes it (for traces), e.g. `ForAllValues:StringLikeIfExists`.
    pub fn name(&self) -> String {
        let mut out = String::new();
        if let Some(set) = self.set {
            out.push_str(set.name());
            out.push(':');
        }
        out.push_str(self.base.name());
        if self.if_exists {
            out.push_str("IfExists");
        }
        out
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Every name `Operator::parse` accepts, plain names first so that a
/// suggestion prefers the simplest spelling.
fn all_operator_names() -> Vec<String> {
    let mut names = Vec::new();
    for set in [
        None,
        Some(SetQualifier::ForAnyValue),
        Some(SetQualifier::ForAllValues),
    ] {
        for if_exists in [false, true] {
            for base in BaseOperator::ALL {
                if base == BaseOperator::Null && if_exists {
                    continue;
                }
                names.push(
                    Operator {
                        base,
                        if_exists,
                        set,
                    }
                    .name(),
                );
            }
        }
    }
    names
}

fn unknown_operator(name: &str) -> String {
    let mut message = format!("unknown condition operator \"{name}\"");
    if let Some(best) = closest_operator(name) {
        message.push_str(&format!(" (did you mean \"{best}\"?"));
        if best.eq_ignore_ascii_case(name) {
            message.push_str(" operator names are case-sensitive");
        }
        message.push(')');
    }
    message
}

/// The known operator name nearest to `name` (ignoring case, so
/// `stringequals` finds `StringEquals`), if it is a plausible typo.
fn closest_operator(name: &str) -> Option<String> {
    let names = all_operator_names();
    crate::core::diag::suggest(name, names.iter().map(String::as_str)).map(str::to_string)
}

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

/// `true` / `false`, in any case.
fn parse_bool(value: &str) -> Option<bool> {
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// An integer or decimal: optional sign, digits, optional fraction. No
/// exponent, no `inf`/`NaN`, no spaces.
fn parse_number(value: &str) -> Option<f64> {
    let body = value.strip_prefix(['+', '-']).unwrap_or(value);
    let (whole, fraction) = match body.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (body, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    value.parse::<f64>().ok()
}

const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// Reads a date as nanoseconds since 1970-01-01T00:00:00Z. Accepts epoch
/// seconds (`1769860800`, `1769860800.5`, digits only: a bare `2026` is
/// epoch seconds too) and the W3C profile of ISO 8601: `YYYY-MM`,
/// `YYYY-MM-DD`, `YYYY-MM-DDThh:mm`, `...:ss`, `...:ss.fff`, each time
/// followed by `Z`, `+hh:mm`, `-hh:mm`, `+hhmm`, `+hh` or nothing (UTC).
fn parse_instant(value: &str) -> Result<i128, String> {
    if value.is_empty() {
        return Err("the value is empty".to_string());
    }
    if !value.is_ascii() {
        return Err("it contains characters that never appear in a date".to_string());
    }
    let unsigned = value.strip_prefix('-').unwrap_or(value);
    if unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return parse_epoch(value);
    }
    let b = value.as_bytes();
    let digits = |at: usize, len: usize| -> Option<i64> {
        let part = b.get(at..at + len)?;
        if part.iter().all(u8::is_ascii_digit) {
            part.iter()
                .try_fold(0i64, |acc, d| Some(acc * 10 + i64::from(d - b'0')))
        } else {
            None
        }
    };
    let expect = |at: usize, wanted: &[u8]| b.get(at).is_some_and(|c| wanted.contains(c));

    let year = digits(0, 4).ok_or("a date starts with a four-digit year (YYYY-MM-DD)")?;
    if !expect(4, b"-") {
        return Err("a date is written YYYY-MM-DD".to_string());
    }
    let month = digits(5, 2).ok_or("the month needs two digits (YYYY-MM-DD)")?;
    if !(1..=12).contains(&month) {
        return Err(format!("there is no month {month:02}"));
    }
    let mut day = 1;
    let mut seconds_of_day = 0i64;
    let mut nanos = 0i128;
    let mut offset_seconds = 0i64;
    if b.len() > 7 {
        if !expect(7, b"-") {
            return Err("a date is written YYYY-MM-DD".to_string());
        }
        day = digits(8, 2).ok_or("the day needs two digits (YYYY-MM-DD)")?;
        let last = days_in_month(year, month);
        if day < 1 || day > last {
            return Err(format!("{year:04}-{month:02} has no day {day:02}"));
        }
    }
    if b.len() > 10 {
        if !expect(10, b"Tt") {
            return Err("the time follows the date after a 'T' (2026-01-31T12:00:00Z)".to_string());
        }
        let hour = digits(11, 2).ok_or("the hour needs two digits (Thh:mm)")?;
        if !expect(13, b":") {
            return Err("a time is written hh:mm or hh:mm:ss".to_string());
        }
        let minute = digits(14, 2).ok_or("the minutes need two digits (Thh:mm)")?;
        if hour > 23 || minute > 59 {
            return Err(format!("{hour:02}:{minute:02} is not a time of day"));
        }
        let mut at = 16;
        let mut second = 0;
        if expect(at, b":") {
            second = digits(at + 1, 2).ok_or("the seconds need two digits (hh:mm:ss)")?;
            if second > 59 {
                return Err(format!("there is no second {second:02}"));
            }
            at += 3;
            if expect(at, b".") {
                at += 1;
                let start = at;
                while b.get(at).is_some_and(u8::is_ascii_digit) {
                    at += 1;
                }
                if at == start {
                    return Err("a decimal point in the seconds needs digits after it".to_string());
                }
                // Nanosecond precision: further digits are dropped.
                let mut scale = NANOS_PER_SECOND;
                for d in b.get(start..at).unwrap_or_default() {
                    scale /= 10;
                    nanos += i128::from(d - b'0') * scale;
                }
            }
        }
        seconds_of_day = hour * 3600 + minute * 60 + second;
        offset_seconds = parse_offset(b.get(at..).unwrap_or_default())?;
    }
    let days = days_from_civil(year, month, day);
    let seconds =
        i128::from(days) * 86_400 + i128::from(seconds_of_day) - i128::from(offset_seconds);
    Ok(seconds * NANOS_PER_SECOND + nanos)
}

/// The time-zone designator after a time: empty (UTC), `Z`, or a signed
/// `hh:mm` / `hhmm` / `hh`. Returns seconds east of UTC.
fn parse_offset(zone: &[u8]) -> Result<i64, String> {
    let bad = || "the time zone must be Z or an offset such as +02:00 or -05:00".to_string();
    let (sign, rest) = match zone {
        [] | [b'Z' | b'z'] => return Ok(0),
        [b'+', rest @ ..] => (1, rest),
        [b'-', rest @ ..] => (-1, rest),
        _ => return Err(bad()),
    };
    let two = |s: &[u8]| -> Option<i64> {
        match s {
            [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
                Some(i64::from(a - b'0') * 10 + i64::from(b - b'0'))
            }
            _ => None,
        }
    };
    let (hours, minutes) = match rest {
        [h1, h2] => (two(&[*h1, *h2]), Some(0)),
        [h1, h2, m1, m2] => (two(&[*h1, *h2]), two(&[*m1, *m2])),
        [h1, h2, b':', m1, m2] => (two(&[*h1, *h2]), two(&[*m1, *m2])),
        _ => (None, None),
    };
    match (hours, minutes) {
        (Some(h), Some(m)) if h <= 23 && m <= 59 => Ok(sign * (h * 3600 + m * 60)),
        _ => Err(bad()),
    }
}

/// Epoch seconds, optionally negative and with a fraction.
fn parse_epoch(value: &str) -> Result<i128, String> {
    let (negative, unsigned) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (unsigned, ""),
    };
    if whole.is_empty() || fraction.contains('.') || unsigned.ends_with('.') {
        return Err("epoch seconds are written as digits, such as 1769860800".to_string());
    }
    if whole.len() > 15 {
        return Err("that many epoch seconds is far beyond any date".to_string());
    }
    let mut seconds: i128 = 0;
    for d in whole.bytes() {
        seconds = seconds * 10 + i128::from(d - b'0');
    }
    let mut nanos: i128 = 0;
    let mut scale = NANOS_PER_SECOND;
    for d in fraction.bytes().take(9) {
        scale /= 10;
        nanos += i128::from(d - b'0') * scale;
    }
    let total = seconds * NANOS_PER_SECOND + nanos;
    Ok(if negative { -total } else { total })
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date. Counting years from
/// March puts the leap day last, so each 400-year era has a fixed shape of
/// 146,097 days.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    // Months counted from March (0) to February (11).
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719,468 days separate 0000-03-01 from 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

/// An address or CIDR range; a bare address is /32 (IPv4) or /128 (IPv6).
fn parse_cidr(value: &str) -> Result<(IpAddr, u8), String> {
    let (address, prefix) = match value.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (value, None),
    };
    let address: IpAddr = address
        .parse()
        .map_err(|_| format!("\"{address}\" is not an IPv4 or IPv6 address"))?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        None => max,
        Some(p) => {
            let bits = if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse::<u8>().ok()
            } else {
                None
            };
            match bits {
                Some(bits) if bits <= max => bits,
                _ => {
                    return Err(format!(
                        "the prefix length after '/' must be a number from 0 to {max}"
                    ));
                }
            }
        }
    };
    Ok((address, prefix))
}

/// Is `address` inside `network/prefix`? An IPv4-mapped IPv6 request
/// address (`::ffff:203.0.113.7`) is the same host as its IPv4 form, so it
/// is checked against IPv4 ranges; otherwise the families never mix.
fn ip_in_network(address: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V4(_)) => match a.to_ipv4_mapped() {
            Some(a) => ip_in_network(IpAddr::V4(a), network, prefix),
            None => false,
        },
        (IpAddr::V4(_), IpAddr::V6(_)) => false,
    }
}

/// Standard base64: alphabet letters, digits, `+`, `/`, length a multiple
/// of four, at most two `=` at the end.
fn is_base64(value: &str) -> bool {
    let b = value.as_bytes();
    if !b.len().is_multiple_of(4) {
        return false;
    }
    let padding = b.iter().rev().take_while(|&&c| c == b'=').count();
    padding <= 2
        && b[..b.len() - padding]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

/// Splits an ARN into its six parts; the sixth is everything after the
/// fifth colon, colons included.
fn arn_parts(value: &str) -> Option<[&str; 6]> {
    let mut parts = value.splitn(6, ':');
    Some([
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    ])
}

/// The six parts of a request value that is an ARN: `arn:`, then a
/// partition and a service that are not empty.
fn request_arn(value: &str) -> Option<[&str; 6]> {
    arn_parts(value).filter(|p| p[0] == "arn" && !p[1].is_empty() && !p[2].is_empty())
}

/// ArnEquals/ArnLike: both values split into six parts, each part matched
/// on its own with `*`/`?` (so a `*` never crosses a colon, except inside
/// the sixth part, which is matched whole). A lone `*` matches any ARN. A
/// request value that is not an ARN (`arn:partition:service:...`) never
/// matches.
fn arn_matches(pattern: &str, value: &str) -> bool {
    let Some(value) = request_arn(value) else {
        return false;
    };
    if pattern == "*" {
        return true;
    }
    let Some(pattern) = arn_parts(pattern) else {
        return false;
    };
    pattern
        .iter()
        .zip(value.iter())
        .all(|(p, v)| wildcard::matches(p, v, false))
}

fn check_arn_pattern(name: &str, value: &str) -> Result<(), String> {
    if value == "*" {
        return Ok(());
    }
    let Some(parts) = arn_parts(value) else {
        let colons = value.matches(':').count();
        return Err(format!(
            "{name} compares ARNs part by part, so \"{value}\" needs the six colon-separated \
             parts arn:partition:service:region:account:resource (it has {} part{}); \
             to match anything, write \"*\"",
            colons + 1,
            if colons == 0 { "" } else { "s" }
        ));
    };
    if !wildcard::matches(parts[0], "arn", false) {
        return Err(format!(
            "{name} compares ARNs, and an ARN starts with \"arn:\", but \"{value}\" starts with \"{}:\"",
            parts[0]
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(name: &str) -> Operator {
        match Operator::parse(name) {
            Ok(op) => op,
            Err(e) => panic!("{name} should parse: {e}"),
        }
    }

    fn parse_err(name: &str) -> String {
        match Operator::parse(name) {
            Ok(op) => panic!("{name} should be refused, parsed as {op:?}"),
            Err(e) => e,
        }
    }

    fn check_err(name: &str, value: &str) -> String {
        match check_value(&op(name), value) {
            Ok(()) => panic!("{name} should refuse {value:?}"),
            Err(e) => e,
        }
    }

    fn s(value: &str) -> ContextValue {
        ContextValue::String(value.to_string())
    }

    fn list(values: &[&str]) -> ContextValue {
        ContextValue::List(values.iter().map(|v| v.to_string()).collect())
    }

    /// Does `name` with these policy values hold for this request value?
    fn eval(name: &str, policy: &[&str], request: Option<ContextValue>) -> bool {
        let policy: Vec<String> = policy.iter().map(|v| v.to_string()).collect();
        holds(&op(name), &policy, request.as_ref())
    }

    // ---- parsing ----

    #[test]
    fn every_plain_operator_parses_and_prints_its_own_name() {
        for base in BaseOperator::ALL {
            let parsed = op(base.name());
            assert_eq!(parsed, Operator::new(base));
            assert_eq!(parsed.name(), base.name());
        }
    }

    #[test]
    fn qualifier_and_suffix_are_split_off() {
        let parsed = op("ForAnyValue:StringLikeIfExists");
        assert_eq!(parsed.base, BaseOperator::StringLike);
        assert!(parsed.if_exists);
        assert_eq!(parsed.set, Some(SetQualifier::ForAnyValue));
        assert_eq!(parsed.to_string(), "ForAnyValue:StringLikeIfExists");
        let parsed = op("ForAllValues:ArnNotEquals");
        assert_eq!(parsed.set, Some(SetQualifier::ForAllValues));
        assert!(!parsed.if_exists);
        assert!(parsed.is_negated());
    }

    #[test]
    fn every_valid_combination_round_trips() {
        let names = all_operator_names();
        // 27 plain, 26 more with IfExists (not Null), and both set prefixes on those 53.
        assert_eq!(names.len(), 27 + 26 + 2 * 53);
        for name in names {
            assert_eq!(op(&name).name(), name);
        }
    }

    #[test]
    fn unknown_operator_suggests_the_closest_name() {
        assert_eq!(
            parse_err("StringEqual"),
            "unknown condition operator \"StringEqual\" (did you mean \"StringEquals\"?)"
        );
        assert!(parse_err("NumericLessThen").contains("did you mean \"NumericLessThan\"?"));
        assert!(parse_err("IpAdress").contains("did you mean \"IpAddress\"?"));
        assert!(parse_err("BoolIfExist").contains("did you mean \"BoolIfExists\"?"));
        assert!(parse_err("ArnEqual").contains("did you mean \"ArnEquals\"?"));
    }

    #[test]
    fn operator_names_are_case_sensitive_and_the_error_says_so() {
        let e = parse_err("stringequals");
        assert!(e.contains("did you mean \"StringEquals\"?"), "{e}");
        assert!(e.contains("case-sensitive"), "{e}");
        let e = parse_err("forallvalues:stringlike");
        assert!(e.contains("\"ForAllValues:StringLike\""), "{e}");
    }

    #[test]
    fn misspelt_set_qualifier_is_refused_with_a_suggestion() {
        let e = parse_err("ForAnyValues:StringEquals");
        assert!(
            e.contains("did you mean \"ForAnyValue:StringEquals\"?"),
            "{e}"
        );
        let e = parse_err("ForSomeValues:StringEquals");
        assert!(
            e.starts_with("unknown condition operator \"ForSomeValues:StringEquals\""),
            "{e}"
        );
    }

    #[test]
    fn null_takes_no_if_exists_but_may_take_a_set_qualifier() {
        let e = parse_err("NullIfExists");
        assert!(e.contains("except Null"), "{e}");
        assert!(e.contains("write \"Null\""), "{e}");
        assert!(parse_err("ForAnyValue:NullIfExists").contains("except Null"));
        assert_eq!(op("ForAllValues:Null").base, BaseOperator::Null);
        assert_eq!(op("ForAnyValue:Null").set, Some(SetQualifier::ForAnyValue));
    }

    #[test]
    fn junk_names_are_refused_without_a_wild_guess() {
        assert_eq!(
            parse_err("Frobnicate"),
            "unknown condition operator \"Frobnicate\""
        );
        assert!(parse_err("").contains("empty"));
        assert!(parse_err("ForAnyValue:").starts_with("unknown condition operator"));
        assert!(parse_err("IfExists").starts_with("unknown condition operator"));
        assert!(parse_err("ForAnyValue:ForAllValues:StringEquals").starts_with("unknown"));
        let e = parse_err("StringEquals ");
        assert!(e.contains("did you mean \"StringEquals\"?"), "{e}");
        let long = "StringEquals".repeat(50);
        assert_eq!(
            parse_err(&long),
            format!("unknown condition operator \"{long}\"")
        );
    }

    #[test]
    fn exactly_the_eight_negated_operators_are_negated() {
        let negated: Vec<&str> = BaseOperator::ALL
            .into_iter()
            .filter(|b| b.is_negated())
            .map(BaseOperator::name)
            .collect();
        assert_eq!(
            negated,
            [
                "StringNotEquals",
                "StringNotEqualsIgnoreCase",
                "StringNotLike",
                "NumericNotEquals",
                "DateNotEquals",
                "NotIpAddress",
                "ArnNotEquals",
                "ArnNotLike"
            ]
        );
    }

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

    // ---- dates ----

    const MIDNIGHT_2026_01_31: &str = "1769817600";

    #[test]
    fn every_date_format_names_the_same_instant() {
        let same = [
            "2026-01-31",
            "2026-01-31T00:00Z",
            "2026-01-31T00:00:00Z",
            "2026-01-31T00:00:00.000Z",
            "2026-01-31t00:00:00z",
            "2026-01-31T02:00:00+02:00",
            "2026-01-30T19:00:00-05:00",
            "2026-01-31T05:30:00+0530",
            "2026-01-31T01:00:00+01",
            "2026-01-31T00:00:00",
            MIDNIGHT_2026_01_31,
        ];
        for a in same {
            for b in same {
                assert!(eval("DateEquals", &[a], Some(s(b))), "{a} vs {b}");
            }
        }
        assert!(eval(
            "DateEquals",
            &["2026-01"],
            Some(s("2026-01-01T00:00:00Z"))
        ));
    }

    #[test]
    fn offsets_move_the_instant() {
        // 12:00 at +02:00 is 10:00 UTC, so it is before 11:00 UTC.
        assert!(eval(
            "DateLessThan",
            &["2026-01-31T11:00:00Z"],
            Some(s("2026-01-31T12:00:00+02:00"))
        ));
        assert!(eval(
            "DateGreaterThan",
            &["2026-01-31T11:00:00Z"],
            Some(s("2026-01-31T08:00:00-05:00"))
        ));
        // An offset can cross midnight backwards into the previous day.
        assert!(eval(
            "DateEquals",
            &["2026-02-28T23:30:00Z"],
            Some(s("2026-03-01T01:30:00+02:00"))
        ));
    }

    #[test]
    fn fractional_seconds_count() {
        assert!(eval(
            "DateGreaterThan",
            &["2026-01-31T12:00:00Z"],
            Some(s("2026-01-31T12:00:00.5Z"))
        ));
        assert!(eval(
            "DateEquals",
            &["2026-01-31T12:00:00.5Z"],
            Some(s("2026-01-31T12:00:00.500000Z"))
        ));
        assert!(eval(
            "DateEquals",
            &["1769860800.25"],
            Some(s("2026-01-31T12:00:00.25Z"))
        ));
        assert!(!eval(
            "DateEquals",
            &["2026-01-31T12:00:00.001Z"],
            Some(s("2026-01-31T12:00:00Z"))
        ));
    }

    #[test]
    fn date_comparisons_in_both_directions() {
        let issued = Some(s("2026-06-15T09:30:00Z"));
        assert!(eval(
            "DateGreaterThan",
            &["2026-01-01T00:00:01Z"],
            issued.clone()
        ));
        assert!(!eval("DateLessThan", &["2026-01-01"], issued.clone()));
        assert!(eval(
            "DateLessThanEquals",
            &["2026-06-15T09:30:00Z"],
            issued.clone()
        ));
        assert!(eval(
            "DateGreaterThanEquals",
            &["2026-06-15T09:30:00Z"],
            issued.clone()
        ));
        assert!(!eval("DateGreaterThan", &["2026-06-15T09:30:00Z"], issued));
    }

    #[test]
    fn a_number_in_the_request_is_epoch_seconds() {
        let now = Some(ContextValue::Number(1_769_817_600.0));
        assert!(eval("DateEquals", &["2026-01-31"], now.clone()));
        assert!(eval("DateLessThan", &["2026-02-01"], now.clone()));
        assert!(!eval("DateGreaterThan", &["2026-01-31T00:00:01Z"], now));
        assert!(!eval(
            "DateEquals",
            &["2026-01-31"],
            Some(ContextValue::Bool(true))
        ));
    }

    #[test]
    fn date_not_equals_with_several_values_must_match_none() {
        let days = ["2026-01-01", "2026-12-25"];
        assert!(!eval(
            "DateNotEquals",
            &days,
            Some(s("2026-12-25T00:00:00Z"))
        ));
        assert!(eval("DateNotEquals", &days, Some(s("2026-12-24"))));
        assert!(eval("DateNotEquals", &days, None));
    }

    #[test]
    fn date_missing_key_and_if_exists() {
        assert!(!eval("DateLessThan", &["2030-01-01"], None));
        assert!(eval("DateLessThanIfExists", &["2030-01-01"], None));
        assert!(!eval(
            "DateLessThan",
            &["2030-01-01"],
            Some(s("next tuesday"))
        ));
        assert!(!eval(
            "DateNotEquals",
            &["2030-01-01"],
            Some(s("next tuesday"))
        ));
    }

    #[test]
    fn calendar_arithmetic_is_right_at_the_edges() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 1, 31), 20_484);
        assert_eq!(days_from_civil(1600, 1, 1), -135_140);
        assert_eq!(
            parse_instant("2024-02-29"),
            Ok(1_709_164_800 * NANOS_PER_SECOND)
        );
        assert_eq!(
            parse_instant("2024-03-01"),
            Ok(1_709_251_200 * NANOS_PER_SECOND)
        );
        for leap in ["2024-02-29", "2000-02-29", "1600-02-29"] {
            assert!(check_value(&op("DateEquals"), leap).is_ok(), "{leap}");
        }
        for not_leap in ["2026-02-29", "1900-02-29", "2100-02-29"] {
            assert!(
                check_err("DateEquals", not_leap).contains("has no day 29"),
                "{not_leap}"
            );
        }
        assert_eq!(parse_instant("-86400"), Ok(-86_400 * NANOS_PER_SECOND));
    }

    #[test]
    fn bad_dates_are_explained() {
        let cases = [
            ("2026-13-01", "there is no month 13"),
            ("2026-04-31", "2026-04 has no day 31"),
            ("31/01/2026", "four-digit year"),
            ("2026-01-31T25:00:00Z", "is not a time of day"),
            ("2026-01-31T12:00:61Z", "there is no second 61"),
            ("2026-01-31 12:00:00Z", "after a 'T'"),
            ("2026-01-31T12:00:00+2", "time zone"),
            ("2026-01-31T12:00:00+02:60", "time zone"),
            ("2026-01-31T12:00:00.Z", "needs digits"),
            ("2026-01-3", "two digits"),
            ("*", "four-digit year"),
            ("", "empty"),
            ("2026-01-31T12:00:00Zoo", "time zone"),
            ("1.2.3", "epoch seconds"),
            ("9999999999999999999", "beyond any date"),
            ("２０２６-01-31", "never appear in a date"),
        ];
        for (value, reason) in cases {
            let e = check_err("DateGreaterThanIfExists", value);
            assert!(
                e.starts_with("DateGreaterThanIfExists compares dates"),
                "{e}"
            );
            assert!(e.contains(reason), "{value}: {e}");
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

    // ---- IP addresses ----

    #[test]
    fn ipv4_cidr_ranges() {
        let office = ["203.0.113.0/24"];
        assert!(eval("IpAddress", &office, Some(s("203.0.113.0"))));
        assert!(eval("IpAddress", &office, Some(s("203.0.113.255"))));
        assert!(!eval("IpAddress", &office, Some(s("203.0.114.0"))));
        assert!(!eval("IpAddress", &office, Some(s("203.0.112.255"))));
        assert!(!eval("IpAddress", &office, None));
        assert!(eval("IpAddressIfExists", &office, None));
    }

    #[test]
    fn bare_address_is_a_single_host_and_prefix_edges_work() {
        assert!(eval(
            "IpAddress",
            &["198.51.100.7"],
            Some(s("198.51.100.7"))
        ));
        assert!(!eval(
            "IpAddress",
            &["198.51.100.7"],
            Some(s("198.51.100.8"))
        ));
        assert!(eval("IpAddress", &["0.0.0.0/0"], Some(s("8.8.8.8"))));
        assert!(eval(
            "IpAddress",
            &["198.51.100.7/32"],
            Some(s("198.51.100.7"))
        ));
        assert!(eval(
            "IpAddress",
            &["10.0.0.0/8"],
            Some(s("10.255.255.255"))
        ));
        assert!(!eval("IpAddress", &["10.0.0.0/8"], Some(s("11.0.0.0"))));
        // Host bits in the policy's range are ignored: this is 203.0.113.0/24.
        assert!(eval(
            "IpAddress",
            &["203.0.113.77/24"],
            Some(s("203.0.113.1"))
        ));
    }

    #[test]
    fn ipv6_cidr_ranges() {
        let range = ["2001:DB8:1234:5678::/64"];
        assert!(eval(
            "IpAddress",
            &range,
            Some(s("2001:db8:1234:5678:abcd::1"))
        ));
        assert!(eval(
            "IpAddress",
            &range,
            Some(s("2001:db8:1234:5678:ffff:ffff:ffff:ffff"))
        ));
        assert!(!eval("IpAddress", &range, Some(s("2001:db8:1234:5679::1"))));
        assert!(eval(
            "IpAddress",
            &["2001:db8::1"],
            Some(s("2001:0db8:0:0:0:0:0:1"))
        ));
        assert!(!eval("IpAddress", &["2001:db8::1"], Some(s("2001:db8::2"))));
        assert!(eval("IpAddress", &["::/0"], Some(s("::1"))));
    }

    #[test]
    fn ipv4_and_ipv6_ranges_do_not_mix_except_for_mapped_addresses() {
        assert!(!eval("IpAddress", &["0.0.0.0/0"], Some(s("2001:db8::1"))));
        assert!(!eval("IpAddress", &["::/0"], Some(s("203.0.113.9"))));
        assert!(!eval(
            "IpAddress",
            &["2001:db8::/32"],
            Some(s("203.0.113.9"))
        ));
        assert!(eval(
            "IpAddress",
            &["203.0.113.0/24"],
            Some(s("::ffff:203.0.113.9"))
        ));
        assert!(!eval(
            "IpAddress",
            &["203.0.113.0/24"],
            Some(s("::ffff:203.0.114.9"))
        ));
    }

    #[test]
    fn not_ip_address_with_several_ranges_must_match_none() {
        let ranges = ["203.0.113.0/24", "2001:DB8:1234:5678::/64"];
        assert!(!eval("NotIpAddress", &ranges, Some(s("203.0.113.10"))));
        assert!(!eval(
            "NotIpAddress",
            &ranges,
            Some(s("2001:db8:1234:5678::10"))
        ));
        assert!(eval("NotIpAddress", &ranges, Some(s("198.51.100.1"))));
        assert!(eval("NotIpAddress", &ranges, None));
        assert!(eval("NotIpAddressIfExists", &ranges, None));
    }

    #[test]
    fn a_request_value_that_is_no_address_matches_no_range() {
        assert!(!eval("IpAddress", &["0.0.0.0/0"], Some(s("vpce-1a2b3c4d"))));
        assert!(!eval(
            "IpAddress",
            &["0.0.0.0/0"],
            Some(s("203.0.113.0/24"))
        ));
        assert!(!eval(
            "NotIpAddress",
            &["203.0.113.0/24"],
            Some(s("not-an-ip"))
        ));
        assert!(!eval(
            "NotIpAddress",
            &["203.0.113.0/24"],
            Some(ContextValue::Bool(true))
        ));
    }

    #[test]
    fn bad_ranges_are_explained() {
        let cases = [
            ("203.0.113.0/33", "from 0 to 32"),
            ("2001:db8::/129", "from 0 to 128"),
            ("10.0.0.1/", "from 0 to 32"),
            ("10.0.0.1/abc", "from 0 to 32"),
            ("10.0.0.1/-1", "from 0 to 32"),
            (
                "203.0.113/24",
                "\"203.0.113\" is not an IPv4 or IPv6 address",
            ),
            ("256.0.0.1", "is not an IPv4 or IPv6 address"),
            ("", "is not an IPv4 or IPv6 address"),
            ("*", "is not an IPv4 or IPv6 address"),
        ];
        for (value, reason) in cases {
            let e = check_err("NotIpAddress", value);
            assert!(
                e.starts_with("NotIpAddress takes an IP address or CIDR range"),
                "{e}"
            );
            assert!(e.contains(reason), "{value}: {e}");
        }
        assert_eq!(
            check_value(&op("IpAddress"), "2001:DB8:1234:5678::/64"),
            Ok(())
        );
        assert_eq!(check_value(&op("IpAddress"), "203.0.113.0/24"), Ok(()));
    }

    // ---- ARNs ----

    const KEY_ARN: &str =
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    #[test]
    fn arn_equals_and_arn_like_behave_identically() {
        let patterns = [
            (KEY_ARN, true),
            ("arn:aws:kms:us-east-1:111122223333:key/*", true),
            ("arn:aws:kms:*:111122223333:key/*", true),
            ("arn:aws:kms:us-east-?:111122223333:*", true),
            ("arn:aws:kms:us-east-1:444455556666:key/*", false),
            ("arn:aws:kms:us-east-1:111122223333:alias/*", false),
            ("arn:aws:s3:::*", false),
        ];
        for name in ["ArnEquals", "ArnLike"] {
            for (pattern, expected) in patterns {
                assert_eq!(
                    eval(name, &[pattern], Some(s(KEY_ARN))),
                    expected,
                    "{name} {pattern}"
                );
            }
        }
    }

    #[test]
    fn a_star_in_one_arn_part_does_not_swallow_the_next() {
        // AWS's own example: StringLike matches, ArnLike does not.
        let pattern = ["arn:aws:someservice:*:111122223333:finance/*"];
        let value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assert!(eval("StringLike", &pattern, Some(s(value))));
        assert!(!eval("ArnLike", &pattern, Some(s(value))));
        // A star in the account part covers one account, not the resource too.
        assert!(!eval(
            "ArnLike",
            &["arn:aws:kms:us-east-1:*"],
            Some(s(KEY_ARN))
        ));
        assert!(eval(
            "ArnLike",
            &["arn:aws:kms:us-east-1:*:*"],
            Some(s(KEY_ARN))
        ));
    }

    #[test]
    fn the_resource_part_keeps_its_colons() {
        let stream = "arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:web-1";
        assert!(eval(
            "ArnLike",
            &["arn:aws:logs:us-east-1:111122223333:log-group:app:*"],
            Some(s(stream))
        ));
        assert!(eval("ArnLike", &["arn:aws:logs:*:*:*"], Some(s(stream))));
        assert!(!eval(
            "ArnLike",
            &["arn:aws:logs:us-east-1:111122223333:log-group:other:*"],
            Some(s(stream))
        ));
        assert!(eval(
            "ArnEquals",
            &["arn:aws:s3:::bucket/*"],
            Some(s("arn:aws:s3:::bucket/a/b.csv"))
        ));
    }

    #[test]
    fn arns_compare_case_sensitively() {
        assert!(!eval(
            "ArnEquals",
            &["arn:aws:iam::111122223333:role/Admin"],
            Some(s("arn:aws:iam::111122223333:role/admin"))
        ));
        assert!(!eval(
            "ArnLike",
            &["ARN:aws:iam::*:role/*"],
            Some(s("arn:aws:iam::111122223333:role/admin"))
        ));
    }

    #[test]
    fn a_request_value_that_is_not_an_arn_never_matches() {
        for value in [
            "111122223333",
            "arn:aws:kms",
            "alias/finance",
            "aws:kms:us-east-1:1:key/x:y",
            "arn::kms:r:a:key/x",
            "",
        ] {
            assert!(!eval("ArnLike", &["*"], Some(s(value))), "{value}");
            assert!(
                !eval("ArnLike", &["arn:*:*:*:*:*"], Some(s(value))),
                "{value}"
            );
            // AWS's policy simulator fails the negated operator too.
            assert!(
                !eval("ArnNotLike", &["arn:*:*:*:*:*"], Some(s(value))),
                "{value}"
            );
        }
        assert!(eval("ArnLike", &["*"], Some(s(KEY_ARN))));
    }

    #[test]
    fn arn_not_operators_with_several_values_must_match_none() {
        let sources = [
            "arn:aws:s3:::finance-*",
            "arn:aws:sns:us-east-1:111122223333:alerts",
        ];
        for name in ["ArnNotEquals", "ArnNotLike"] {
            assert!(
                !eval(name, &sources, Some(s("arn:aws:s3:::finance-reports"))),
                "{name}"
            );
            assert!(
                !eval(
                    name,
                    &sources,
                    Some(s("arn:aws:sns:us-east-1:111122223333:alerts"))
                ),
                "{name}"
            );
            assert!(
                eval(name, &sources, Some(s("arn:aws:s3:::hr-reports"))),
                "{name}"
            );
            assert!(eval(name, &sources, None), "{name}");
        }
        assert!(!eval("ArnLike", &sources, None));
        assert!(eval("ArnLikeIfExists", &sources, None));
    }

    #[test]
    fn arn_policy_values_need_six_parts() {
        let e = check_err("ArnLike", "arn:aws:iam::*");
        assert!(e.contains("six colon-separated parts"), "{e}");
        assert!(e.contains("(it has 5 parts)"), "{e}");
        assert!(check_err("ArnEquals", "alias/finance").contains("(it has 1 part)"));
        let e = check_err("ArnNotLike", "urn:aws:s3:::bucket");
        assert!(e.contains("starts with \"arn:\""), "{e}");
        for good in ["*", KEY_ARN, "arn:aws:s3:::bucket/*", "arn:*:iam::*:role/*"] {
            assert_eq!(check_value(&op("ArnLike"), good), Ok(()), "{good}");
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
