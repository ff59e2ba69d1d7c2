//! Can a Resource pattern of a policy name any resource of a type?
//!
//! The catalog gives each resource type as an ARN shape with placeholders
//! (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`); a policy gives a
//! pattern with `*` and `?` (and policy variables such as `${aws:username}`,
//! which can be any text). The two can name a common ARN when the regular
//! languages they describe intersect; both are small, so a walk over pairs
//! of positions decides it exactly.

#[derive(Clone, Copy)]
enum Pat {
    Lit(u8),
    One,
    Star,
}

#[derive(Clone, Copy)]
enum Shape {
    Lit(u8),
    /// A placeholder: any run of characters, with or without `/` and `:`
    /// (see [`field`]).
    Field {
        slash: bool,
        colon: bool,
    },
}

/// How far a catalog placeholder may reach.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Fields {
    /// The services whose names keyshake knows (kms, s3, iam, sts): a key
    /// ID or bucket name holds no `/`, no name holds `:`.
    Strict,
    /// Every other service: names may hold `/`, and `:` (log group
    /// `/aws/lambda/x:*`, a Lambda function with its version `:1`).
    Loose,
}

impl Fields {
    /// How the ARNs of the service with this prefix are matched.
    pub(super) fn of(prefix: &str) -> Fields {
        if matches!(prefix, "kms" | "s3" | "iam" | "sts") {
            Fields::Strict
        } else {
            Fields::Loose
        }
    }
}

/// Policy patterns longer than this are assumed to match (never a false
/// alarm, and the walk stays small).
const MAX: usize = 2048;

fn pattern(text: &str) -> Vec<Pat> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$'
            && b.get(i + 1) == Some(&b'{')
            && let Some(end) = text[i..].find('}')
        {
            out.push(Pat::Star);
            i += end + 1;
            continue;
        }
        out.push(match b[i] {
            b'*' => Pat::Star,
            b'?' => Pat::One,
            c => Pat::Lit(c),
        });
        i += 1;
    }
    out
}

fn shape(template: &str, fields: Fields) -> Vec<Shape> {
    let b = template.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    // Colons so far: from the fifth on, the resource part.
    let mut colons = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$'
            && b.get(i + 1) == Some(&b'{')
            && let Some(end) = template[i..].find('}')
        {
            out.push(field(&template[i + 2..i + end], colons >= 5, fields));
            i += end + 1;
            continue;
        }
        colons += usize::from(b[i] == b':');
        out.push(Shape::Lit(b[i]));
        i += 1;
    }
    out
}

/// What placeholder `name` may hold. Partition, region and account never
/// hold `/` or `:`. In the resource part, a strict field holds `/` only
/// for paths and object names; a loose one holds `/` always, and `:` when
/// it is a name, path or ARN (a log group `/aws/x:*`, a function `app:1`)
/// rather than an ID (`i-0abc`).
fn field(name: &str, resource_part: bool, fields: Fields) -> Shape {
    if !resource_part {
        return Shape::Field {
            slash: false,
            colon: false,
        };
    }
    match fields {
        Fields::Strict => Shape::Field {
            slash: name.ends_with("Path") || name == "ObjectName" || name == "Key",
            colon: false,
        },
        Fields::Loose => Shape::Field {
            slash: true,
            colon: name.contains("Name") || name.contains("Path") || name.ends_with("Arn"),
        },
    }
}

/// Whether `resource` (a policy's Resource entry) can name an ARN of the
/// shape `template` (a catalog resource type's ARN).
pub(super) fn can_match(resource: &str, template: &str, fields: Fields) -> bool {
    if resource.len() > MAX {
        return true;
    }
    let p = pattern(resource);
    let t = shape(template, fields);
    let w = t.len() + 1;
    let mut seen = vec![false; (p.len() + 1) * w];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        let cell = i * w + j;
        if seen[cell] {
            continue;
        }
        seen[cell] = true;
        if i == p.len() && j == t.len() {
            return true;
        }
        let pi = p.get(i).copied();
        let tj = t.get(j).copied();
        // A placeholder may end here, or take the pattern's next character.
        if let Some(Shape::Field { slash, colon }) = tj {
            stack.push((i, j + 1));
            match pi {
                Some(Pat::Lit(c)) if (colon || c != b':') && (slash || c != b'/') => {
                    stack.push((i + 1, j));
                }
                Some(Pat::One | Pat::Star) => stack.push((i + 1, j)),
                _ => {}
            }
        }
        // A star may end here, or take the shape's next literal.
        if let Some(Pat::Star) = pi {
            stack.push((i + 1, j));
            if let Some(Shape::Lit(_)) = tj {
                stack.push((i, j + 1));
            }
        }
        match (pi, tj) {
            (Some(Pat::Lit(a)), Some(Shape::Lit(b))) if a == b => stack.push((i + 1, j + 1)),
            (Some(Pat::One), Some(Shape::Lit(_))) => stack.push((i + 1, j + 1)),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{Fields, can_match as can_match_as};

    fn can_match(resource: &str, template: &str) -> bool {
        can_match_as(resource, template, Fields::Strict)
    }

    fn loosely(resource: &str, template: &str) -> bool {
        can_match_as(resource, template, Fields::Loose)
    }

    const KEY: &str = "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}";
    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";
    const ROLE: &str = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";

    #[test]
    fn matches_by_shape() {
        assert!(can_match(
            "arn:aws:kms:us-east-1:111122223333:key/1234-abcd",
            KEY
        ));
        assert!(can_match("arn:aws:kms:*:111122223333:key/*", KEY));
        assert!(can_match("*", KEY));
        assert!(can_match("arn:aws:kms:*", KEY));
        assert!(!can_match(
            "arn:aws:kms:us-east-1:111122223333:alias/finance",
            KEY
        ));
        assert!(!can_match("alias/finance", KEY));
        assert!(can_match("arn:aws:s3:::bucket/*", OBJECT));
        assert!(can_match("arn:aws:s3:::bucket/a/b/c.txt", OBJECT));
        assert!(can_match(
            "arn:aws:s3:::bucket/home/${aws:username}/*",
            OBJECT
        ));
        assert!(!can_match("arn:aws:s3:::bucket", OBJECT));
        assert!(can_match("arn:aws:s3:::bucket", BUCKET));
        assert!(!can_match("arn:aws:s3:::bucket/*", BUCKET));
        assert!(can_match("arn:aws:s3:::bucket*", BUCKET));
        assert!(can_match("arn:aws:s3:::bucket*", OBJECT));
        assert!(!can_match("arn:aws:s3:::bucket/*", KEY));
        assert!(can_match(
            "arn:aws:iam::111122223333:role/path/to/app",
            ROLE
        ));
    }

    #[test]
    fn other_services_names_may_hold_slashes_and_colons() {
        const LOG_GROUP: &str =
            "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}";
        const FUNCTION: &str =
            "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}";
        const INSTANCE: &str = "arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}";
        assert!(loosely(
            "arn:aws:logs:*:*:log-group:/aws/lambda/app:*",
            LOG_GROUP
        ));
        assert!(!can_match(
            "arn:aws:logs:*:*:log-group:/aws/lambda/app:*",
            LOG_GROUP
        ));
        assert!(loosely(
            "arn:aws:lambda:us-east-1:111122223333:function:app:1",
            FUNCTION
        ));
        assert!(loosely("arn:aws:ec2:*:*:instance/*", INSTANCE));
        assert!(!loosely("arn:aws:s3:::bucket", INSTANCE));
        assert!(!loosely("arn:aws:ec2:*:*:volume/*", INSTANCE));
        assert!(!loosely(
            "arn:aws:lambda:us-east-1:111122223333:layer:x",
            FUNCTION
        ));
    }
}
