//! Amazon Resource Names: `arn:partition:service:region:account:resource`.

/// The six parts of an ARN. The resource part is everything after the fifth
/// colon and may itself contain colons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: &'a str,
    /// `kms`, `s3`, `iam`, `sts`, ...
    pub service: &'a str,
    /// Empty for global services (IAM, S3 buckets).
    pub region: &'a str,
    /// Twelve digits, or empty (S3 buckets).
    pub account: &'a str,
    /// `key/1234...`, `alias/finance`, `role/lambda-exec`, `bucket/key`.
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Splits `text` into its parts; `None` if it is not an ARN (`arn:`,
    /// then a partition and a service that are not empty).
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        let [arn, partition, service, region, account, resource] = split_parts(text)?;
        if arn != "arn" || partition.is_empty() || service.is_empty() {
            return None;
        }
        Some(Arn {
            partition,
            service,
            region,
            account,
            resource,
        })
    }

    /// The six parts in order, `"arn"` first.
    pub fn parts(&self) -> [&'a str; 6] {
        [
            "arn",
            self.partition,
            self.service,
            self.region,
            self.account,
            self.resource,
        ]
    }
}

/// Splits any text at its first five colons into six parts (the sixth is
/// everything after the fifth colon, colons included), as ARNs and ARN
/// patterns such as `arn:aws:*:*:*:*` are read; `None` with fewer colons.
pub fn split_parts(text: &str) -> Option<[&str; 6]> {
    // The first five colons, found in one pass over the bytes (ARNs are
    // short, and a search per part costs more than the part).
    let mut cuts = [0usize; 5];
    let mut found = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b':' {
            cuts[found] = i;
            found += 1;
            if found == cuts.len() {
                break;
            }
        }
    }
    if found < cuts.len() {
        return None;
    }
    let [a, b, c, d, e] = cuts;
    // Each cut is at an ASCII colon, so every slice is on a boundary.
    Some([
        text.get(..a)?,
        text.get(a + 1..b)?,
        text.get(b + 1..c)?,
        text.get(c + 1..d)?,
        text.get(d + 1..e)?,
        text.get(e + 1..)?,
    ])
}

/// True if `text` is a twelve-digit AWS account ID.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_arns() {
        let a = Arn::parse("arn:aws:kms:us-east-1:111122223333:key/abc").expect("arn");
        assert_eq!(
            (a.service, a.region, a.account, a.resource),
            ("kms", "us-east-1", "111122223333", "key/abc")
        );
        let b = Arn::parse("arn:aws:s3:::bucket/a:b").expect("arn");
        assert_eq!((b.account, b.resource), ("", "bucket/a:b"));
        assert!(Arn::parse("alias/finance").is_none());
        assert!(Arn::parse("arn:aws:kms:us-east-1").is_none());
        assert_eq!(a.parts()[0..3], ["arn", "aws", "kms"]);
        assert_eq!(
            split_parts("arn:aws:*:*:*:*/x:y"),
            Some(["arn", "aws", "*", "*", "*", "*/x:y"])
        );
        assert!(split_parts("arn:aws:kms:us-east-1:111122223333").is_none());
        assert!(Arn::parse("arn::kms:r:a:k").is_none());
        assert!(Arn::parse("urn:aws:kms:r:a:k").is_none());
        assert!(is_account_id("444455556666"));
        assert!(!is_account_id("44445555666"));
    }

    proptest::proptest! {
        #[test]
        fn splitting_is_splitn_at_the_first_five_colons(text in "[a:é*/]{0,16}") {
            let mut parts = text.splitn(6, ':');
            let want: Option<[&str; 6]> = (|| {
                Some([parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?])
            })();
            proptest::prop_assert_eq!(split_parts(&text), want);
        }
    }
}
