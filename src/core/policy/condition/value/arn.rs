//! ARN patterns, as the `Arn*` operators match them part by part (the
//! splitting itself is `policy::arn`'s).

use crate::core::policy::arn::{Arn, split_parts};
use crate::core::policy::wildcard;

/// The six parts of a request value that is an ARN: `arn:`, then a
/// partition and a service that are not empty.
pub(crate) fn request_arn(value: &str) -> Option<[&str; 6]> {
    Arn::parse(value).map(|a| a.parts())
}

/// ArnEquals/ArnLike: both values split into six parts, each part matched
/// on its own with `*`/`?` (so a `*` never crosses a colon, except inside
/// the sixth part, which is matched whole). A lone `*` matches any ARN. A
/// request value that is not an ARN (`arn:partition:service:...`) never
/// matches.
pub(crate) fn arn_matches(pattern: &str, value: &str) -> bool {
    let Some(value) = request_arn(value) else {
        return false;
    };
    if pattern == "*" {
        return true;
    }
    let Some(pattern) = split_parts(pattern) else {
        return false;
    };
    pattern
        .iter()
        .zip(value.iter())
        .all(|(p, v)| wildcard::matches(p, v, false))
}

pub(crate) fn check_arn_pattern(name: &str, value: &str) -> Result<(), String> {
    if value == "*" {
        return Ok(());
    }
    let Some(parts) = split_parts(value) else {
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
    use crate::core::policy::condition::test_support::*;

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
}
