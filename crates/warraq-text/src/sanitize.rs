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
    "aside",
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

/// What shortcode renderers add to a body: players for audio and video, and
/// iframes — whose `src` must be on [`EMBED_HOSTS`].
const MEDIA_TAGS: &[&str] = &["audio", "video", "source", "iframe"];

const MEDIA_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("audio", &["src", "controls", "preload"]),
    (
        "video",
        &["src", "controls", "preload", "poster", "width", "height"],
    ),
    ("source", &["src", "type"]),
    (
        "iframe",
        &[
            "src",
            "width",
            "height",
            "allowfullscreen",
            "loading",
            "referrerpolicy",
        ],
    ),
];

/// Where `[embed]` may point an iframe: players that need no third-party
/// script in the page. Everything else is rendered as a link.
pub const EMBED_HOSTS: &[&str] = &[
    "https://www.youtube-nocookie.com/embed/",
    "https://player.vimeo.com/video/",
];

fn news_builder(media: bool) -> Builder<'static> {
    let mut tags: HashSet<&str> = TAGS.iter().copied().collect();
    let mut tag_attributes: std::collections::HashMap<&str, HashSet<&str>> = TAG_ATTRIBUTES
        .iter()
        .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect::<HashSet<_>>()))
        .collect();
    let mut clean_content: HashSet<&str> = CLEAN_CONTENT_TAGS.iter().copied().collect();
    let mut generic: HashSet<&str> = GENERIC_ATTRIBUTES.iter().copied().collect();
    if media {
        tags.extend(MEDIA_TAGS);
        clean_content.remove("iframe");
        for (tag, attrs) in MEDIA_ATTRIBUTES {
            tag_attributes.insert(tag, attrs.iter().copied().collect());
        }
        // Renderers mark up what they make (`wp-caption`, `tptn_title`) and
        // choose a link's `rel` and `target` themselves; stored links already
        // carry the `rel` the storing sanitiser gave them.
        generic.insert("class");
        tag_attributes
            .entry("a")
            .or_default()
            .extend(["rel", "target"]);
    }
    let mut b = Builder::default();
    b.tags(tags)
        .generic_attributes(generic)
        .tag_attributes(tag_attributes)
        .clean_content_tags(clean_content)
        .url_schemes(
            ["http", "https", "mailto", "tel"]
                .into_iter()
                .collect::<HashSet<_>>(),
        )
        .url_relative(UrlRelative::PassThrough)
        .link_rel((!media).then_some("noopener noreferrer"))
        .strip_comments(true);
    if media {
        b.attribute_filter(|tag, attr, value| {
            if tag == "iframe" && attr == "src" && !EMBED_HOSTS.iter().any(|h| value.starts_with(h))
            {
                return None;
            }
            Some(value.into())
        });
    }
    b
}

/// Returns `html` with everything a news body may not hold removed: scripts,
/// event handlers, `javascript:` URLs, styles, iframes, unknown tags (their
/// text kept). This is what is stored.
pub fn sanitize_body(html: &str) -> String {
    static STORED: OnceLock<Builder<'static>> = OnceLock::new();
    STORED
        .get_or_init(|| news_builder(false))
        .clean(html)
        .to_string()
}

/// The sanitiser for a body after its shortcodes were rendered: the same
/// rules, plus the audio and video players and the allow-listed iframes that
/// renderers produce. What readers get has always passed through here.
pub fn sanitize_rendered(html: &str) -> String {
    static RENDERED: OnceLock<Builder<'static>> = OnceLock::new();
    RENDERED
        .get_or_init(|| news_builder(true))
        .clean(html)
        .to_string()
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
    fn iframes_only_from_allowed_players_and_only_after_rendering() {
        let yt = r#"<iframe src="https://www.youtube-nocookie.com/embed/abc" width="560" height="315"></iframe>"#;
        assert_eq!(sanitize_body(yt), "");
        assert!(
            sanitize_rendered(yt).contains(r#"src="https://www.youtube-nocookie.com/embed/abc""#)
        );
        let evil = r#"<iframe src="https://evil.example/x" onload="alert(1)"></iframe>"#;
        let out = sanitize_rendered(evil);
        assert!(!out.contains("evil") && !out.contains("onload"), "{out}");
        let link = sanitize_rendered(
            r#"<a href="/x" target="_blank" rel="noopener nofollow" class="tptn_link" onclick="y()">x</a>"#,
        );
        assert_eq!(
            link,
            r#"<a href="/x" target="_blank" rel="noopener nofollow" class="tptn_link">x</a>"#
        );
        let audio = r#"<audio controls src="/a.mp3" onplay="x()"></audio>"#;
        assert_eq!(
            sanitize_rendered(audio),
            r#"<audio controls="" src="/a.mp3"></audio>"#
        );
    }

    #[test]
    fn is_idempotent_on_typical_body() {
        let once = sanitize_body(
            r#"<p>“نص” <a href="https://example.org/x?a=1&b=2">رابط</a></p><blockquote>اقتباس</blockquote>"#,
        );
        assert_eq!(sanitize_body(&once), once);
    }
}
