//! Edits of a policy's JSON text that keep everything the learner wrote
//! outside the changed value: a fix shows as a diff of a line or two, not a
//! reformatted document.

use crate::core::policy::json::{self, Json, JsonKind, Member, Span};

/// A JSON string literal.
pub(crate) fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// `"a"` for one value, `["a", "b"]` for several.
pub(crate) fn values_json(values: &[String]) -> String {
    match values {
        [one] => quote(one),
        many => format!(
            "[{}]",
            many.iter().map(|v| quote(v)).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn splice(text: &str, span: Span, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..span.start]);
    out.push_str(with);
    out.push_str(&text[span.end..]);
    out
}

/// The whitespace that starts the line holding byte `at`.
fn indent_at(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    let n = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..n]
}

fn member<'j, 'a>(obj: &'j Json<'a>, name: &str) -> Option<&'j Member<'a>> {
    match &obj.kind {
        JsonKind::Object(ms) => ms.iter().find(|m| m.name == name),
        _ => None,
    }
}

/// Renames member `from` of the object at `path` in statement `index` to
/// `to`, keeping its value; `None` when the object has no `from` or
/// already has a `to`.
pub(crate) fn rename_member(
    text: &str,
    index: usize,
    path: &[&str],
    from: &str,
    to: &str,
) -> Option<String> {
    edit_value(text, index, path, |t, obj| {
        if member(obj, to).is_some() {
            return None;
        }
        let m = member(obj, from)?;
        Some(splice(t, m.name_span, &quote(to)))
    })
}

/// The value of member `name` of an object.
pub(crate) fn member_value<'j, 'a>(obj: &'j Json<'a>, name: &str) -> Option<&'j Json<'a>> {
    member(obj, name).map(|m| &m.value)
}

/// True for a JSON object.
pub(crate) fn is_object(node: &Json) -> bool {
    matches!(node.kind, JsonKind::Object(_))
}

thread_local! {
    /// The last policy text whose statements were found on this thread,
    /// and each statement's span and nesting depth: the fix search edits
    /// the same policy for candidate after candidate.
    static LAST: std::cell::RefCell<(String, Vec<(Span, usize)>)> =
        const { std::cell::RefCell::new((String::new(), Vec::new())) };
}

/// Calls `f` with statement `index` of the policy `text`. A statement of
/// the last text seen is read alone; otherwise the whole text is parsed.
fn with_statement<R>(text: &str, index: usize, f: impl FnOnce(&Json) -> Option<R>) -> Option<R> {
    let known = LAST.with_borrow(|(last, spans)| {
        if last == text {
            spans.get(index).copied()
        } else {
            None
        }
    });
    if let Some((span, depth)) = known
        && let Some(node) = json::parse_span(text, span, depth)
    {
        return f(&node);
    }
    let root = json::parse(text).ok()?;
    let st = member(&root, "Statement")?;
    // The root is at depth 0, `Statement` at 1, its items at 2.
    let spans: Vec<(Span, usize)> = match &st.value.kind {
        JsonKind::Array(items) => items.iter().map(|i| (i.span, 2)).collect(),
        JsonKind::Object(_) => vec![(st.value.span, 1)],
        _ => Vec::new(),
    };
    LAST.with_borrow_mut(|(last, kept)| {
        last.clear();
        last.push_str(text);
        *kept = spans;
    });
    let node = match &st.value.kind {
        JsonKind::Array(items) => items.get(index)?,
        JsonKind::Object(_) if index == 0 => &st.value,
        _ => return None,
    };
    f(node)
}

/// A path to a value inside a statement: member names, outermost first.
pub(crate) fn edit_value(
    text: &str,
    index: usize,
    path: &[&str],
    f: impl FnOnce(&str, &Json) -> Option<String>,
) -> Option<String> {
    with_statement(text, index, |st| {
        let mut node = st;
        for name in path {
            node = &member(node, name)?.value;
        }
        f(text, node)
    })
}

/// Replaces `node` with `with`.
pub(crate) fn replace(text: &str, node: &Json, with: &str) -> String {
    splice(text, node.span, with)
}

/// Adds `item` (JSON text) to a string-or-array value: a string becomes a
/// two-item array, an array gets one more item in its own layout.
pub(crate) fn append_item(text: &str, node: &Json, item: &str) -> Option<String> {
    match &node.kind {
        JsonKind::String(_) | JsonKind::Number(_) | JsonKind::Bool(_) => {
            let old = &text[node.span.start..node.span.end];
            Some(splice(text, node.span, &format!("[{old}, {item}]")))
        }
        JsonKind::Array(items) => match items.last() {
            None => Some(splice(text, node.span, &format!("[{item}]"))),
            Some(last) => {
                let multiline = text[node.span.start..items[0].span.start].contains('\n');
                let with = if multiline {
                    format!(",\n{}{item}", indent_at(text, last.span.start))
                } else {
                    format!(", {item}")
                };
                let at = Span {
                    start: last.span.end,
                    end: last.span.end,
                };
                Some(splice(text, at, &with))
            }
        },
        _ => None,
    }
}

/// Replaces item `i` of a string-or-array value (a string is item 0).
pub(crate) fn replace_item(text: &str, node: &Json, i: usize, item: &str) -> Option<String> {
    match &node.kind {
        JsonKind::Array(items) => Some(splice(text, items.get(i)?.span, item)),
        JsonKind::String(_) if i == 0 => Some(splice(text, node.span, item)),
        _ => None,
    }
}

/// Keeps only the items `keep` says yes to; `None` if none would be left.
pub(crate) fn retain_items(text: &str, node: &Json, keep: impl Fn(&str) -> bool) -> Option<String> {
    let items: Vec<&Json> = match &node.kind {
        JsonKind::Array(items) => items.iter().collect(),
        _ => vec![node],
    };
    let kept: Vec<&str> = items
        .iter()
        .filter(|j| match &j.kind {
            JsonKind::String(s) => keep(s),
            _ => true,
        })
        .map(|j| &text[j.span.start..j.span.end])
        .collect();
    if kept.is_empty() {
        return None;
    }
    let with = if kept.len() == 1 {
        kept[0].to_string()
    } else {
        format!("[{}]", kept.join(", "))
    };
    Some(splice(text, node.span, &with))
}

/// The strings of a string-or-array value.
pub(crate) fn strings<'j>(node: &'j Json) -> Vec<&'j str> {
    match &node.kind {
        JsonKind::String(s) => vec![s.as_ref()],
        JsonKind::Array(items) => items
            .iter()
            .filter_map(|j| match &j.kind {
                JsonKind::String(s) => Some(s.as_ref()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Adds `"name": value` to an object, after its last member.
pub(crate) fn add_member(text: &str, obj: &Json, name: &str, value: &str) -> Option<String> {
    let JsonKind::Object(ms) = &obj.kind else {
        return None;
    };
    match ms.last() {
        None => Some(splice(
            text,
            obj.span,
            &format!("{{ {}: {value} }}", quote(name)),
        )),
        Some(last) => {
            let multiline = text[obj.span.start..last.name_span.start].contains('\n');
            let with = if multiline {
                format!(
                    ",\n{}{}: {value}",
                    indent_at(text, last.name_span.start),
                    quote(name)
                )
            } else {
                format!(", {}: {value}", quote(name))
            };
            let at = Span {
                start: last.value.span.end,
                end: last.value.span.end,
            };
            Some(splice(text, at, &with))
        }
    }
}

/// Adds `member` to statement `index` (for a missing element).
pub(crate) fn add_statement_member(
    text: &str,
    index: usize,
    name: &str,
    value: &str,
) -> Option<String> {
    with_statement(text, index, |st| add_member(text, st, name, value))
}

/// The members of a new statement, as (name, JSON value) pairs.
pub(crate) type Members = Vec<(&'static str, String)>;

fn render_statement(members: &Members, indent: &str, unit: &str) -> String {
    let mut out = format!("{indent}{{\n");
    for (i, (name, value)) in members.iter().enumerate() {
        let comma = if i + 1 < members.len() { "," } else { "" };
        out.push_str(&format!("{indent}{unit}{}: {value}{comma}\n", quote(name)));
    }
    out.push_str(indent);
    out.push('}');
    out
}

/// A whole new policy holding one statement.
pub(crate) fn new_policy(members: &Members) -> String {
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}\n",
        render_statement(members, "    ", "  ")
    )
}

/// Appends a statement to the policy's `Statement` list, in the layout of
/// the statements already there.
pub(crate) fn add_statement(text: &str, members: &Members) -> Option<String> {
    let root = json::parse(text).ok()?;
    let Some(st) = member(&root, "Statement") else {
        return add_member(text, &root, "Statement", &format!("[{}]", inline(members)));
    };
    match &st.value.kind {
        JsonKind::Array(items) => match items.last() {
            None => Some(splice(
                text,
                st.value.span,
                &format!("[{}]", inline(members)),
            )),
            Some(last) => {
                let indent = indent_at(text, last.span.start);
                let unit = unit_of(text, last).unwrap_or("  ");
                let body = render_statement(members, indent, unit);
                let at = Span {
                    start: last.span.end,
                    end: last.span.end,
                };
                Some(splice(text, at, &format!(",\n{body}")))
            }
        },
        JsonKind::Object(_) => {
            let old = &text[st.value.span.start..st.value.span.end];
            Some(splice(
                text,
                st.value.span,
                &format!("[{old}, {}]", inline(members)),
            ))
        }
        _ => None,
    }
}

/// The indentation step inside a statement: its first member's indent
/// less the statement's own.
fn unit_of<'t>(text: &'t str, st: &Json) -> Option<&'t str> {
    let JsonKind::Object(ms) = &st.kind else {
        return None;
    };
    let first = ms.first()?;
    if !text[st.span.start..first.name_span.start].contains('\n') {
        return None;
    }
    let outer = indent_at(text, st.span.start).len();
    let inner = indent_at(text, first.name_span.start);
    inner.get(outer..).filter(|u| !u.is_empty())
}

fn inline(members: &Members) -> String {
    let body: Vec<String> = members
        .iter()
        .map(|(n, v)| format!("{}: {v}", quote(n)))
        .collect();
    format!("{{ {} }}", body.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appending_keeps_the_layout_of_the_list() {
        let text = "{\"Statement\": [{\"Action\": [\n  \"a\",\n  \"b\"\n]}]}";
        let out = edit_value(text, 0, &["Action"], |t, n| append_item(t, n, "\"c\""));
        assert_eq!(
            out.as_deref(),
            Some("{\"Statement\": [{\"Action\": [\n  \"a\",\n  \"b\",\n  \"c\"\n]}]}")
        );
        let text = "{\"Statement\": {\"Action\": \"a\"}}";
        let out = edit_value(text, 0, &["Action"], |t, n| append_item(t, n, "\"c\""));
        assert_eq!(
            out.as_deref(),
            Some("{\"Statement\": {\"Action\": [\"a\", \"c\"]}}")
        );
    }

    #[test]
    fn a_new_statement_follows_the_indentation_of_the_last() {
        let text = "{\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\"\n    }\n  ]\n}";
        let members: Members = vec![("Effect", quote("Allow"))];
        let out = add_statement(text, &members).unwrap_or_default();
        assert!(
            out.contains("    },\n    {\n      \"Effect\": \"Allow\"\n    }\n  ]"),
            "{out}"
        );
    }

    #[test]
    fn retaining_nothing_is_refused() {
        let text = "{\"Statement\": [{\"NotAction\": \"kms:decrypt\"}]}";
        let out = edit_value(text, 0, &["NotAction"], |t, n| {
            retain_items(t, n, |_| false)
        });
        assert_eq!(out, None);
    }
}
