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
    /// A placeholder: any run of characters, which may hold `/` only for
    /// paths and object names (a bucket or key ID has none).
    Field {
        slash: bool,
    },
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

fn shape(template: &str) -> Vec<Shape> {
    let b = template.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$'
            && b.get(i + 1) == Some(&b'{')
            && let Some(end) = template[i..].find('}')
        {
            let name = &template[i + 2..i + end];
            let slash = name.ends_with("Path") || name == "ObjectName" || name == "Key";
            out.push(Shape::Field { slash });
            i += end + 1;
            continue;
        }
        out.push(Shape::Lit(b[i]));
        i += 1;
    }
    out
}

/// Whether `resource` (a policy's Resource entry) can name an ARN of the
/// shape `template` (a catalog resource type's ARN).
pub(super) fn can_match(resource: &str, template: &str) -> bool {
    if resource.len() > MAX {
        return true;
    }
    let p = pattern(resource);
    let t = shape(template);
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
        if let Some(Shape::Field { slash }) = tj {
            stack.push((i, j + 1));
            match pi {
                Some(Pat::Lit(c)) if c != b':' && (slash || c != b'/') => stack.push((i + 1, j)),
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
    use super::can_match;

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
}
