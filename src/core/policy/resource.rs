//! Resource ARN patterns (evaluation.md §2 "Resource").
//!
//! The first five colon-separated fields of an ARN match field by field, and
//! a wildcard inside one of them does not cross a colon, except that a `*`
//! which ends a field may run on into the following fields (AWS: it "can
//! expand to match beyond the colon boundaries"). The resource part, after
//! the fifth colon, matches as a whole.

use super::wildcard;

/// A compiled `Resource` / `NotResource` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourcePattern {
    /// `"*"`: everything.
    Any,
    /// An ARN without wildcards: compared as a string.
    Exact(String),
    /// An ARN with wildcards. `literal_prefix` is the length of its first
    /// five fields (with their colons) when they hold no wildcard, the usual
    /// case (`arn:aws:s3:::bucket/*`): then only the resource part needs
    /// wildcard matching.
    Wild {
        /// The pattern.
        pattern: String,
        /// Bytes of literal `arn:...:account:` prefix, if any.
        literal_prefix: Option<usize>,
    },
}

impl ResourcePattern {
    /// Compiles a value already checked to be `*` or an ARN.
    pub fn new(text: &str) -> Self {
        if text == "*" {
            ResourcePattern::Any
        } else if wildcard::has_wildcard(text) {
            let literal_prefix = text
                .match_indices(':')
                .nth(4)
                .map(|(i, _)| i + 1)
                .filter(|&end| !wildcard::has_wildcard(&text[..end]));
            ResourcePattern::Wild {
                pattern: text.to_string(),
                literal_prefix,
            }
        } else {
            ResourcePattern::Exact(text.to_string())
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        match self {
            ResourcePattern::Any => "*",
            ResourcePattern::Exact(s) | ResourcePattern::Wild { pattern: s, .. } => s,
        }
    }

    /// True if `arn` (case-sensitive) matches.
    pub fn matches(&self, arn: &str) -> bool {
        match self {
            ResourcePattern::Any => true,
            ResourcePattern::Exact(s) => s == arn,
            ResourcePattern::Wild {
                pattern,
                literal_prefix: Some(n),
            } => {
                arn.len() >= *n
                    && arn.as_bytes()[..*n] == pattern.as_bytes()[..*n]
                    && wildcard::matches(&pattern[*n..], &arn[*n..], false)
            }
            ResourcePattern::Wild { pattern, .. } => arn_glob(pattern, arn),
        }
    }
}

/// Matches an ARN pattern with the field rules above.
pub fn arn_glob(pattern: &str, arn: &str) -> bool {
    // Fast path, no allocation: field by field. A `*` that ends a field may
    // also run on into later fields; only if the field-by-field match fails
    // and such a star exists do we need the general matcher.
    if fields_match(pattern, arn) {
        return true;
    }
    if !has_expanding_star(pattern) {
        return false;
    }
    general_glob(pattern, arn)
}

/// Splits at the first five colons: five fields and the resource part.
fn fields(text: &str) -> impl Iterator<Item = &str> {
    text.splitn(6, ':')
}

fn fields_match(pattern: &str, arn: &str) -> bool {
    let (mut p, mut t) = (fields(pattern), fields(arn));
    loop {
        match (p.next(), t.next()) {
            (None, None) => return true,
            (Some(pf), Some(tf)) => {
                if !wildcard::matches(pf, tf, false) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

fn has_expanding_star(pattern: &str) -> bool {
    fields(pattern).take(5).any(|f| f.ends_with('*'))
}

/// The general matcher: dynamic programming over characters.
fn general_glob(pattern: &str, arn: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = arn.chars().collect();
    // For each pattern position: how a `*`/`?` there may match.
    // field[i] = number of colons before position i in the pattern.
    let mut field = Vec::with_capacity(p.len());
    let mut colons = 0usize;
    for &c in &p {
        field.push(colons);
        if c == ':' {
            colons += 1;
        }
    }
    // Dynamic programming over (pattern prefix, text prefix): linear memory,
    // O(len(p) * len(t)) time, no exponential backtracking on hostile input.
    let n = t.len();
    let mut prev = vec![false; n + 1];
    prev[0] = true;
    for (i, &pc) in p.iter().enumerate() {
        let in_resource = field[i] >= 5;
        let mut cur = vec![false; n + 1];
        match pc {
            '*' => {
                let ends_field = matches!(p.get(i + 1), None | Some(':'));
                let crosses = in_resource || ends_field;
                // cur[j] = prev[k] for some k <= j where t[k..j] is allowed.
                let mut reach = false;
                for j in 0..=n {
                    if prev[j] {
                        reach = true;
                    }
                    cur[j] = reach;
                    if j < n && !crosses && t[j] == ':' {
                        reach = false;
                    }
                }
            }
            '?' => {
                for j in 0..n {
                    if prev[j] && (in_resource || t[j] != ':') {
                        cur[j + 1] = true;
                    }
                }
            }
            c => {
                for j in 0..n {
                    if prev[j] && t[j] == c {
                        cur[j + 1] = true;
                    }
                }
            }
        }
        prev = cur;
    }
    prev[n]
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    #[test]
    fn trailing_star_of_a_field_expands_beyond_colons() {
        assert!(arn_glob("arn:aws:kms:us-east-1:*", KEY));
        assert!(arn_glob("arn:aws:kms:*:key/*", KEY));
        assert!(arn_glob("arn:aws:kms:*:111122223333:key/*", KEY));
        assert!(arn_glob("arn:aws:kms:*:*:*", KEY));
    }

    #[test]
    fn inner_wildcards_stay_within_their_field() {
        assert!(arn_glob("arn:aws:kms:us-*-1:111122223333:key/*", KEY));
        assert!(!arn_glob("arn:aws:kms:us-*1:key/*", KEY));
        assert!(!arn_glob("arn:aws:kms:us-east-?:111122223333:alias/*", KEY));
        assert!(arn_glob("arn:aws:kms:us-east-?:111122223333:key/*", KEY));
    }

    #[test]
    fn resource_part_matches_as_a_whole_and_case_sensitively() {
        assert!(arn_glob(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/a/b.csv"
        ));
        assert!(arn_glob("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a:b"));
        assert!(!arn_glob("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
        assert!(!arn_glob("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x"));
        assert!(ResourcePattern::new("*").matches("anything"));
        assert!(ResourcePattern::new(KEY).matches(KEY));
        assert!(!ResourcePattern::new(KEY).matches("arn:aws:kms:us-east-1:111122223333:alias/x"));
    }
}
