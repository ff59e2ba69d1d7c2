//! `*` and `?` wildcard matching, as IAM uses in actions, resources and
//! `...Like` conditions.

/// True if `text` matches `pattern`, where `*` matches any run of characters
/// (including none) and `?` exactly one character. With `ignore_case`, ASCII
/// letters compare case-insensitively (IAM action names are ASCII).
///
/// Runs in time linear in `text` for each `?`-free piece of the pattern
/// (and `text.len() × piece.len() / 64` for pieces that contain `?`), so a
/// large pattern against a large value cannot hang evaluation.
pub fn matches(pattern: &str, text: &str, ignore_case: bool) -> bool {
    // Small inputs: the greedy matcher needs no allocation and its worst
    // case (text × pattern) is bounded by the product checked here.
    if pattern.is_ascii() && text.is_ascii() && pattern.len().saturating_mul(text.len()) <= SMALL {
        return greedy(pattern.as_bytes(), text.as_bytes(), |a, b| {
            if ignore_case {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            }
        });
    }
    let fold = |c: char| fold_char(c, ignore_case);
    let p: Vec<Tok> = pattern
        .chars()
        .map(|c| match c {
            '*' => Tok::Star,
            '?' => Tok::Any,
            c => Tok::Lit(fold(c)),
        })
        .collect();
    let t: Vec<char> = text.chars().map(fold).collect();
    segmented(&p, &t)
}

/// Inputs with `pattern.len() * text.len()` up to this use the greedy
/// matcher directly (the common case: actions, ARNs, short conditions).
const SMALL: usize = 1 << 14;

/// True if `pattern` contains a wildcard character.
pub fn has_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// One pattern character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Star,
    Any,
    Lit(char),
}

/// The character a comparison sees: with `ignore_case`, its lowercase form
/// when that is one character (the multi-character lowercase forms, such
/// as that of `İ`, only ever equal themselves).
fn fold_char(c: char, ignore_case: bool) -> char {
    if !ignore_case {
        return c;
    }
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Greedy matcher with single-star backtracking, for small inputs.
fn greedy(p: &[u8], t: &[u8], eq: impl Fn(&u8, &u8) -> bool) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == b'?' || eq(c, &t[ti]) => {
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
    p[pi..].iter().all(|c| *c == b'*')
}

/// Matches by pieces: the pattern split at its stars is a head that must
/// start the text, a tail that must end it, and middle pieces found in
/// order, each at its leftmost place after the previous one (taking the
/// leftmost place never loses a match, since every later piece then has
/// the most room).
fn segmented(p: &[Tok], t: &[char]) -> bool {
    let mut pieces = p.split(|c| *c == Tok::Star);
    let head = pieces.next().unwrap_or_default();
    let rest: Vec<&[Tok]> = pieces.collect();
    let Some((tail, middle)) = rest.split_last() else {
        // No star: the pattern must cover the text exactly.
        return head.len() == t.len() && fits(head, t);
    };
    if head.len() + tail.len() > t.len() || !fits(head, &t[..head.len()]) {
        return false;
    }
    let end = t.len() - tail.len();
    if !fits(tail, &t[end..]) {
        return false;
    }
    let mut at = head.len();
    for piece in middle.iter().filter(|piece| !piece.is_empty()) {
        match find(piece, &t[at..end]) {
            Some(i) => at += i + piece.len(),
            None => return false,
        }
    }
    true
}

/// True if `piece` (no stars) matches `t`, of the same length, position by
/// position.
fn fits(piece: &[Tok], t: &[char]) -> bool {
    piece.iter().zip(t).all(|(p, c)| match p {
        Tok::Lit(l) => l == c,
        _ => true,
    })
}

/// The leftmost place where `piece` (no stars, not empty) matches in `t`.
fn find(piece: &[Tok], t: &[char]) -> Option<usize> {
    if piece.len() > t.len() {
        return None;
    }
    if piece.contains(&Tok::Any) {
        return shift_and(piece, t);
    }
    let lits: Vec<char> = piece
        .iter()
        .map(|p| match p {
            Tok::Lit(c) => *c,
            _ => '\0',
        })
        .collect();
    kmp(&lits, t)
}

/// Knuth-Morris-Pratt: the leftmost occurrence of `needle` in `hay`, in
/// `O(hay + needle)`.
fn kmp(needle: &[char], hay: &[char]) -> Option<usize> {
    let mut fail = vec![0usize; needle.len()];
    let mut k = 0;
    for i in 1..needle.len() {
        while k > 0 && needle[i] != needle[k] {
            k = fail[k - 1];
        }
        if needle[i] == needle[k] {
            k += 1;
        }
        fail[i] = k;
    }
    let mut k = 0;
    for (i, c) in hay.iter().enumerate() {
        while k > 0 && *c != needle[k] {
            k = fail[k - 1];
        }
        if *c == needle[k] {
            k += 1;
        }
        if k == needle.len() {
            return Some(i + 1 - k);
        }
    }
    None
}

/// Shift-And over a bit set of piece positions (a `?` position accepts any
/// character): the leftmost match in `O(hay × piece / 64)`.
fn shift_and(piece: &[Tok], hay: &[char]) -> Option<usize> {
    let words = piece.len().div_ceil(64);
    let mut any = vec![0u64; words];
    let mut masks: std::collections::HashMap<char, Vec<u64>> = std::collections::HashMap::new();
    for (i, p) in piece.iter().enumerate() {
        if let Tok::Lit(c) = p {
            masks.entry(*c).or_insert_with(|| vec![0; words])[i / 64] |= 1 << (i % 64);
        } else {
            any[i / 64] |= 1 << (i % 64);
        }
    }
    for mask in masks.values_mut() {
        mask.iter_mut().zip(&any).for_each(|(m, a)| *m |= a);
    }
    let last = piece.len() - 1;
    let mut state = vec![0u64; words];
    for (i, c) in hay.iter().enumerate() {
        let mask = masks.get(c).unwrap_or(&any);
        let mut carry = 1u64;
        for (s, m) in state.iter_mut().zip(mask) {
            let next = *s >> 63;
            *s = ((*s << 1) | carry) & m;
            carry = next;
        }
        if state[last / 64] & (1 << (last % 64)) != 0 {
            return Some(i + 1 - piece.len());
        }
    }
    None
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

    /// The piece-by-piece matcher (used for large inputs) against the
    /// greedy one on every short pattern over a small alphabet.
    #[test]
    fn large_input_matcher_agrees_with_the_greedy_one() {
        let alphabet = ['a', 'b', '*', '?'];
        let texts = [
            "", "a", "b", "ab", "ba", "aab", "abab", "bbaab", "aaaaab", "abba",
        ];
        let mut patterns = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for p in &patterns {
                for c in alphabet {
                    next.push(format!("{p}{c}"));
                }
            }
            patterns.extend(next.clone());
            patterns.dedup();
            patterns.retain(|p| p.len() <= 5);
            patterns.sort();
            patterns.dedup();
        }
        for p in &patterns {
            let toks: Vec<super::Tok> = p
                .chars()
                .map(|c| match c {
                    '*' => super::Tok::Star,
                    '?' => super::Tok::Any,
                    c => super::Tok::Lit(c),
                })
                .collect();
            for t in texts {
                let chars: Vec<char> = t.chars().collect();
                assert_eq!(
                    super::segmented(&toks, &chars),
                    super::greedy(p.as_bytes(), t.as_bytes(), |a, b| a == b),
                    "pattern {p:?} text {t:?}"
                );
            }
        }
    }

    #[test]
    fn a_long_pattern_against_a_long_value_is_decided_quickly() {
        let start = std::time::Instant::now();
        let text = "a".repeat(330_000);
        let pattern = format!("*{}b", "a".repeat(165_000));
        assert!(!matches(&pattern, &text, false));
        let pattern = format!("*{}", "a".repeat(165_000));
        assert!(matches(&pattern, &text, false));
        let pattern = format!("*{}?a*", "a".repeat(1_000));
        assert!(matches(&pattern, &text, true));
        let many = format!("{}b", "*a".repeat(2_000));
        assert!(!matches(&many, &text, false));
        assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
    }
}
