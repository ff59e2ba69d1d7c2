//! HTML question text (GIFT's `[html]` format) as plain text.

/// HTML as plain text: `<br>` and block ends become line breaks, other
/// tags go, the common entities are decoded.
pub(super) fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open..).unwrap_or_default();
        let Some(close) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = after.get(1..close).unwrap_or_default().to_ascii_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or_default();
        if matches!(name, "br" | "p" | "div" | "pre" | "li")
            && (name == "br" || tag.starts_with('/'))
        {
            out.push('\n');
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    decode_entities(out.trim())
}

fn decode_entities(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let after = rest.get(amp..).unwrap_or_default();
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| entity(after.get(1..e).unwrap_or_default()));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = after.get(e + 1..).unwrap_or_default();
            }
            _ => {
                out.push('&');
                rest = after.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let num = name.strip_prefix('#')?;
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(n)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_go_and_entities_are_decoded() {
        assert_eq!(
            html_text("<p>a <b>b</b></p><p>c&lt;&#62;&#x41;&amp;x</p>"),
            "a b\nc<>A&x"
        );
        assert_eq!(html_text("1<br/>2 &unknown; & 3"), "1\n2 &unknown; & 3");
        assert_eq!(html_text("a < b"), "a < b");
    }
}
