//! Unified diffs of policy texts, for showing a fix as the edit it is.

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// Beyond this many differing lines (after the common start and end are
/// set aside) the diff shows the whole middle as replaced instead of
/// searching for the shortest edit.
const MAX_MIDDLE: usize = 2_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Keep,
    Del,
    Add,
}

/// A unified diff of `before` and `after` headed `--- a/LABEL` /
/// `+++ b/LABEL`; line numbers start at `first_line`. Empty when equal.
pub(crate) fn unified(before: &str, after: &str, label: &str, first_line: usize) -> String {
    if before == after {
        return String::new();
    }
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let ops = script(&a, &b);
    let mut out = format!("--- a/{label}\n+++ b/{label}\n");
    // Walk the script, grouping changes whose contexts overlap into hunks.
    let changes: Vec<usize> = (0..ops.len()).filter(|&i| ops[i].0 != Op::Keep).collect();
    let mut i = 0;
    while i < changes.len() {
        let start = changes[i].saturating_sub(CONTEXT);
        let mut end = changes[i];
        while i + 1 < changes.len() && changes[i + 1] <= end + 2 * CONTEXT + 1 {
            i += 1;
            end = changes[i];
        }
        let end = (end + CONTEXT + 1).min(ops.len());
        hunk(&mut out, &ops[start..end], &a, &b, first_line);
        i += 1;
    }
    out
}

fn hunk(out: &mut String, ops: &[(Op, usize, usize)], a: &[&str], b: &[&str], first: usize) {
    let (_, a0, b0) = ops[0];
    let dels = ops.iter().filter(|o| o.0 != Op::Add).count();
    let adds = ops.iter().filter(|o| o.0 != Op::Del).count();
    out.push_str(&format!(
        "@@ -{},{dels} +{},{adds} @@\n",
        a0 + first,
        b0 + first
    ));
    for &(op, ai, bi) in ops {
        let (mark, line) = match op {
            Op::Keep => (' ', a.get(ai)),
            Op::Del => ('-', a.get(ai)),
            Op::Add => ('+', b.get(bi)),
        };
        out.push(mark);
        out.push_str(line.copied().unwrap_or(""));
        out.push('\n');
    }
}

/// The edit script: (op, index in a, index in b) per line, where the
/// indexes are the positions reached so far (for hunk headers).
fn script(a: &[&str], b: &[&str]) -> Vec<(Op, usize, usize)> {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut ops: Vec<(Op, usize, usize)> = (0..pre).map(|i| (Op::Keep, i, i)).collect();
    for (op, i, j) in middle(am, bm) {
        ops.push((op, pre + i, pre + j));
    }
    let (ae, be) = (a.len() - suf, b.len() - suf);
    ops.extend((0..suf).map(|k| (Op::Keep, ae + k, be + k)));
    ops
}

/// A shortest edit of the differing middle (longest common subsequence).
fn middle(a: &[&str], b: &[&str]) -> Vec<(Op, usize, usize)> {
    if a.len() > MAX_MIDDLE || b.len() > MAX_MIDDLE {
        let mut ops: Vec<_> = (0..a.len()).map(|i| (Op::Del, i, 0)).collect();
        ops.extend((0..b.len()).map(|j| (Op::Add, a.len(), j)));
        return ops;
    }
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: common subsequence length of a[i..] and b[j..].
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if a[i] == b[j] {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((Op::Keep, i, j));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
            ops.push((Op::Del, i, j));
            i += 1;
        } else {
            ops.push((Op::Add, i, j));
            j += 1;
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn one_changed_line_is_one_hunk_with_context() {
        let a = "1\n2\n3\n4\n5\n6\n7\n8\n";
        let b = "1\n2\n3\n4\nfive\n6\n7\n8\n";
        let d = unified(a, b, "p.json", 10);
        assert_eq!(
            d,
            "--- a/p.json\n+++ b/p.json\n@@ -11,7 +11,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("a\n", "a\n", "x", 1), "");
    }

    #[test]
    fn an_added_line_at_the_end_is_shown() {
        let d = unified("a\nb\n", "a\nb\nc\n", "x", 1);
        assert!(d.ends_with(" a\n b\n+c\n"), "{d}");
    }
}
