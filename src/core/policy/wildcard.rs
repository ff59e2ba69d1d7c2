//! `*` and `?` wildcard matching, as IAM uses in actions, resources and
//! `...Like` conditions.

/// True if `text` matches `pattern`, where `*` matches any run of characters
/// (including none) and `?` exactly one character. With `ignore_case`, ASCII
/// letters compare case-insensitively (IAM action names are ASCII).
pub fn matches(pattern: &str, text: &str, ignore_case: bool) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        glob(pattern.as_bytes(), text.as_bytes(), |a, b| {
            if ignore_case {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            }
        })
    } else {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        glob(&p, &t, |a: &char, b: &char| {
            if ignore_case {
                a.to_lowercase().eq(b.to_lowercase())
            } else {
                a == b
            }
        })
    }
}

/// True if `pattern` contains a wildcard character.
pub fn has_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

trait Wild {
    fn is_star(&self) -> bool;
    fn is_any(&self) -> bool;
}

impl Wild for u8 {
    fn is_star(&self) -> bool {
        *self == b'*'
    }
    fn is_any(&self) -> bool {
        *self == b'?'
    }
}

impl Wild for char {
    fn is_star(&self) -> bool {
        *self == '*'
    }
    fn is_any(&self) -> bool {
        *self == '?'
    }
}

/// Linear-time greedy matcher with single-star backtracking: the classic
/// algorithm, which never needs more than one backtrack point for `*`/`?`.
fn glob<T: Wild>(p: &[T], t: &[T], eq: impl Fn(&T, &T) -> bool) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(c) if c.is_star() => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if c.is_any() || eq(c, &t[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(Wild::is_star)
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn stars_and_question_marks() {
        assert!(matches("*", "", false));
        assert!(matches("kms:*", "kms:Decrypt", false));
        assert!(matches("kms:Re*", "kms:ReEncryptFrom", false));
        assert!(matches(
            "kms:GenerateDataKey*",
            "kms:GenerateDataKey",
            false
        ));
        assert!(matches("s3:Get?bject", "s3:GetObject", false));
        assert!(!matches("s3:Get?bject", "s3:Getbject", false));
        assert!(matches("a*b*c", "axxbyyc", false));
        assert!(!matches("a*b*c", "axxbyy", false));
        assert!(matches("*.csv", "reports/q1.csv", false));
        assert!(!matches("KMS:decrypt", "kms:Decrypt", false));
        assert!(matches("KMS:decrypt", "kms:Decrypt", true));
        assert!(matches("é*", "été", false));
        assert!(matches("?t?", "été", false));
    }
}
