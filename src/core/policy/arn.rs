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
    /// Splits `text` into its parts; `None` if it is not an ARN.
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        let rest = text.strip_prefix("arn:")?;
        // Four colons after "arn:" split the five parts; found by a byte scan
        // (this runs for every KMS request).
        let bytes = rest.as_bytes();
        let mut cuts = [0usize; 4];
        let mut n = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if b == b':' {
                cuts[n] = i;
                n += 1;
                if n == 4 {
                    break;
                }
            }
        }
        if n < 4 {
            return None;
        }
        let partition = &rest[..cuts[0]];
        let service = &rest[cuts[0] + 1..cuts[1]];
        let region = &rest[cuts[1] + 1..cuts[2]];
        let account = &rest[cuts[2] + 1..cuts[3]];
        let resource = &rest[cuts[3] + 1..];
        if partition.is_empty() || service.is_empty() {
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
        assert!(is_account_id("444455556666"));
        assert!(!is_account_id("44445555666"));
    }
}
