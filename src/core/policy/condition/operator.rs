//! Condition operator names: the base operators, the set qualifiers and the
//! `IfExists` suffix, parsing them, and suggestions for misspelt names.

use std::fmt;

/// Declares [`BaseOperator`] from one list, so that its variants, its
/// `ALL` table and its names cannot disagree: a new operator is added in
/// one place (its policy name is its variant name, as in AWS's docs).
macro_rules! base_operators {
    ($($(#[doc = $doc:literal])+ $name:ident,)+) => {
        /// The operator proper, without its `IfExists` suffix or set qualifier.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum BaseOperator {
            $($(#[doc = $doc])+ $name,)+
        }

        impl BaseOperator {
            /// Every base operator, in the order AWS's documentation lists them.
            pub const ALL: [BaseOperator; [$(stringify!($name)),+].len()] =
                [$(BaseOperator::$name),+];

            /// The name as written in a policy.
            pub fn name(self) -> &'static str {
                match self {
                    $(BaseOperator::$name => stringify!($name),)+
                }
            }
        }
    };
}

base_operators! {
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

    /// True for the `Date*` operators, whose values are instants.
    pub fn is_date(self) -> bool {
        use BaseOperator::*;
        matches!(
            self,
            DateEquals
                | DateNotEquals
                | DateLessThan
                | DateLessThanEquals
                | DateGreaterThan
                | DateGreaterThanEquals
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
pub(crate) fn all_operator_names() -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::policy::condition::test_support::*;

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
}
