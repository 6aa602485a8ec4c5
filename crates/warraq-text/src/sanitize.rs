//! The HTML sanitiser for article bodies.
//!
//! Every body is passed through [`sanitize_body`] before it is stored and again
//! before it is rendered, so a body that slipped into the database by another
//! road (an old import, a manual SQL fix) still cannot reach a page unsafe.

use std::collections::HashSet;
use std::sync::OnceLock;

use ammonia::{Builder, UrlRelative};

/// Tags a news body may use: text structure, quotations, figures, tables.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "del",
    "div",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
];

/// Attributes allowed on every tag: direction and language matter in mixed
/// Arabic/English text, so they are kept everywhere.
const GENERIC_ATTRIBUTES: &[&str] = &["dir", "lang", "title"];

const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("img", &["src", "alt", "width", "height", "loading"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("ol", &["start", "reversed"]),
    ("td", &["colspan", "rowspan"]),
    ("th", &["colspan", "rowspan", "scope"]),
    ("time", &["datetime"]),
];

/// Elements removed together with everything inside them. `noscript` is here
/// because tracking pixels hide in it (the `fbpx` of the reference page).
const CLEAN_CONTENT_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object",
];

fn builder() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = Builder::default();
        b.tags(TAGS.iter().copied().collect::<HashSet<_>>())
            .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect::<HashSet<_>>())
            .tag_attributes(
                TAG_ATTRIBUTES
                    .iter()
                    .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect::<HashSet<_>>()))
                    .collect(),
            )
            .clean_content_tags(CLEAN_CONTENT_TAGS.iter().copied().collect::<HashSet<_>>())
            .url_schemes(
                ["http", "https", "mailto", "tel"]
                    .into_iter()
                    .collect::<HashSet<_>>(),
            )
            .url_relative(UrlRelative::PassThrough)
            .link_rel(Some("noopener noreferrer"))
            .strip_comments(true);
        b
    })
}

/// Returns `html` with everything a news body may not hold removed: scripts,
/// event handlers, `javascript:` URLs, styles, unknown tags (their text kept).
pub fn sanitize_body(html: &str) -> String {
    builder().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_direction_and_language() {
        let out = sanitize_body(r#"<p dir="ltr" lang="en">Hello <span lang="ar">مرحبا</span></p>"#);
        assert_eq!(
            out,
            r#"<p dir="ltr" lang="en">Hello <span lang="ar">مرحبا</span></p>"#
        );
    }

    #[test]
    fn removes_scripts_handlers_and_javascript_urls() {
        let out = sanitize_body(
            r#"<p onclick="x()">نص<script>alert(1)</script></p><a href="javascript:alert(1)">رابط</a>"#,
        );
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(out.contains("نص") && out.contains("رابط"), "{out}");
    }

    #[test]
    fn drops_noscript_tracking_pixels_whole() {
        let out = sanitize_body(
            r#"<noscript><img src="https://t.example/tr?id=1&ev=PageView"/>fbpx</noscript><p>خبر</p>"#,
        );
        assert_eq!(out, "<p>خبر</p>");
    }

    #[test]
    fn is_idempotent_on_typical_body() {
        let once = sanitize_body(
            r#"<p>“نص” <a href="https://example.org/x?a=1&b=2">رابط</a></p><blockquote>اقتباس</blockquote>"#,
        );
        assert_eq!(sanitize_body(&once), once);
    }
}
