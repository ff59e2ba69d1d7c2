//! Writing QTI 2.1: one `assessmentItem` per question (a `choiceInteraction`
//! scored by the standard `match_correct` template) and the IMS content
//! package manifest that lists them (the IMS QTI 2.1 and Content Packaging
//! 1.1 layouts).

use std::fmt::Write as _;

use super::{ExKind, ExQuestion};

const QTI_NS: &str = "http://www.imsglobal.org/xsd/imsqti_v2p1";
const QTI_XSD: &str = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd";
const CP_NS: &str = "http://www.imsglobal.org/xsd/imscp_v1p1";
const MATCH_CORRECT: &str = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct";

/// `text` safe in XML text and attribute values. Characters XML 1.0 cannot
/// hold (most control characters) are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {}
            c => out.push(c),
        }
    }
    out
}

/// The item's identifier: an XML name (`q-` and the question id).
pub fn identifier(q: &ExQuestion) -> String {
    format!("q-{}", q.id)
}

/// The item's file inside the package.
pub fn item_href(q: &ExQuestion) -> String {
    format!("items/{}.xml", identifier(q))
}

/// The choice identifier of choice `i`.
fn choice_id(i: usize) -> String {
    format!("C{}", i + 1)
}

/// One question as a QTI 2.1 assessmentItem document.
pub fn item(q: &ExQuestion) -> String {
    let mut x = String::new();
    let cardinality = if q.kind == ExKind::Multiple {
        "multiple"
    } else {
        "single"
    };
    let _ = writeln!(x, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        x,
        r#"<assessmentItem xmlns="{QTI_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{QTI_NS} {QTI_XSD}" identifier="{}" title="{}" adaptive="false" timeDependent="false">"#,
        escape(&identifier(q)),
        escape(&q.id)
    );
    let _ = writeln!(
        x,
        r#"  <responseDeclaration identifier="RESPONSE" cardinality="{cardinality}" baseType="identifier">"#
    );
    x.push_str("    <correctResponse>\n");
    for &a in &q.answer {
        let _ = writeln!(x, "      <value>{}</value>", choice_id(a));
    }
    x.push_str("    </correctResponse>\n  </responseDeclaration>\n");
    x.push_str(
        "  <outcomeDeclaration identifier=\"SCORE\" cardinality=\"single\" baseType=\"float\">\n    <defaultValue><value>0</value></defaultValue>\n  </outcomeDeclaration>\n",
    );
    x.push_str("  <itemBody>\n");
    for para in q.stem.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let _ = writeln!(x, "    <p>{}</p>", inline_xml(para.trim()));
    }
    if !q.code.is_empty() {
        let _ = writeln!(x, "    <pre>{}</pre>", escape(&q.code.join("\n")));
    }
    let max = if q.kind == ExKind::Multiple {
        q.answer.len()
    } else {
        1
    };
    let _ = writeln!(
        x,
        r#"    <choiceInteraction responseIdentifier="RESPONSE" shuffle="{}" maxChoices="{max}">"#,
        // True/false and a policy question's answers (ALLOW, then the
        // reasons for DENY) keep their order, as the quiz shows them.
        q.kind != ExKind::TrueFalse && q.code.is_empty()
    );
    for (i, c) in q.choices.iter().enumerate() {
        let _ = writeln!(
            x,
            r#"      <simpleChoice identifier="{}">{}</simpleChoice>"#,
            choice_id(i),
            inline_xml(c)
        );
    }
    x.push_str("    </choiceInteraction>\n  </itemBody>\n");
    let _ = writeln!(x, r#"  <responseProcessing template="{MATCH_CORRECT}"/>"#);
    x.push_str("</assessmentItem>\n");
    x
}

/// The pack's inline markup as QTI's XHTML inline elements.
fn inline_xml(text: &str) -> String {
    let (inlines, _) = crate::core::content::markup::parse_inline(text);
    inlines
        .iter()
        .map(|i| {
            use crate::core::content::Inline;
            match i {
                Inline::Text(t) => escape(t),
                Inline::Emph(t) => format!("<em>{}</em>", escape(t)),
                Inline::Strong(t) => format!("<strong>{}</strong>", escape(t)),
                Inline::Code(t) => format!("<code>{}</code>", escape(t)),
                Inline::TermLink { text, .. } => escape(text),
            }
        })
        .collect()
}

/// The package manifest listing every item. `title` names the package.
pub fn manifest(questions: &[ExQuestion], title: &str) -> String {
    let mut x = String::new();
    let _ = writeln!(x, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        x,
        r#"<manifest xmlns="{CP_NS}" identifier="keyshake-questions">"#
    );
    let _ = writeln!(
        x,
        "  <metadata>\n    <schema>QTIv2.1 Package</schema>\n    <schemaversion>1.0.0</schemaversion>\n  </metadata>"
    );
    let _ = writeln!(x, "  <!-- {} -->", escape(title).replace("--", "- -"));
    x.push_str("  <organizations/>\n  <resources>\n");
    for q in questions {
        let href = escape(&item_href(q));
        let _ = writeln!(
            x,
            r#"    <resource identifier="res-{}" type="imsqti_item_xmlv2p1" href="{href}">"#,
            escape(&q.id)
        );
        let _ = writeln!(x, r#"      <file href="{href}"/>"#);
        x.push_str("    </resource>\n");
    }
    x.push_str("  </resources>\n</manifest>\n");
    x
}

/// Every file of the package: (path inside it, text), manifest first.
pub fn package(questions: &[ExQuestion], title: &str) -> Vec<(String, String)> {
    let mut files = vec![("imsmanifest.xml".to_string(), manifest(questions, title))];
    files.extend(questions.iter().map(|q| (item_href(q), item(q))));
    files
}
