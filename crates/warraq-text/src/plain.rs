//! HTML → clean text: what search, feeds, meta descriptions and the `.txt`
//! view of an article are made of.
//!
//! The body is sanitised first (then its shortcodes stripped), so hidden elements (`script`, `style`,
//! `noscript`, `template`) are gone with their content and what is left is
//! well-formed markup that a small scanner can walk: tags are dropped, block
//! elements become paragraph breaks, entities are decoded and runs of
//! whitespace collapse to one space.

use crate::sanitize::sanitize_body;
use crate::shortcode;

/// The WordPress shortcodes warraq renders. Clean text removes these and
/// every unknown shortcode; renderers for them live in the application.
pub const KNOWN_SHORTCODES: &[&str] = &[
    "audio",
    "caption",
    "crp",
    "embed",
    "gallery",
    "tptn_list",
    "tptn_views",
    "video",
    "wp_caption",
];

pub fn is_known_shortcode(name: &str) -> bool {
    KNOWN_SHORTCODES.contains(&name)
}

/// Elements that end a paragraph of clean text.
const BLOCK_TAGS: &[&str] = &[
    "blockquote",
    "br",
    "caption",
    "div",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// Plain paragraphs separated by one blank line; no markup, no hidden text,
/// no shortcode (enclosing ones leave their content: a caption's words stay).
pub fn clean_text(html: &str) -> String {
    // Sanitised first, as bodies are stored and rendered: a stray `<` is
    // then escaped text and cannot hide a shortcode inside a would-be tag.
    let safe = shortcode::strip(&sanitize_body(html), &is_known_shortcode);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut rest = safe.as_str();
    while let Some(lt) = rest.find('<') {
        push_text(&mut current, &rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            // Sanitised output never has a bare '<'; treat it as text anyway.
            push_text(&mut current, &rest[lt..]);
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        if BLOCK_TAGS.contains(&tag_name(tag)) {
            end_paragraph(&mut paragraphs, &mut current);
        }
        rest = &rest[lt + gt + 1..];
    }
    push_text(&mut current, rest);
    end_paragraph(&mut paragraphs, &mut current);
    paragraphs.join("\n\n")
}

fn tag_name(tag: &str) -> &str {
    let tag = tag.trim_start_matches('/');
    let end = tag
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(tag.len());
    &tag[..end]
}

/// Appends decoded text, collapsing whitespace (including no-break spaces,
/// which newsroom editors paste in by the thousand) to single spaces.
fn push_text(current: &mut String, raw: &str) {
    for c in decode_entities(raw).chars() {
        if c.is_whitespace() {
            if !current.is_empty() && !current.ends_with(' ') {
                current.push(' ');
            }
        } else {
            current.push(c);
        }
    }
}

fn end_paragraph(paragraphs: &mut Vec<String>, current: &mut String) {
    let text = current.trim();
    if !text.is_empty() {
        paragraphs.push(defuse_tags(text));
    }
    current.clear();
}

/// A `<` the writer typed (or left next to a removed element) followed by a
/// letter, `/`, `!` or `?` reads as the start of a tag to any program that
/// takes clean text for HTML; a space after it keeps the words and the
/// promise that clean text holds nothing that looks like markup.
fn defuse_tags(text: &str) -> String {
    if !text.contains('<') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 4);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '<'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'))
        {
            out.push(' ');
        }
    }
    out
}

/// Decodes the entities an HTML serialiser writes: the five XML ones,
/// `&nbsp;`, and numeric references. Anything else is left as written.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        match after.find(';').filter(|&semi| semi <= 10) {
            Some(semi) => match decode_entity(&after[1..semi]) {
                Some(c) => {
                    out.push(c);
                    rest = &after[semi + 1..];
                }
                None => {
                    out.push('&');
                    rest = &after[1..];
                }
            },
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character of an entity's name (`amp`, `#1575`, `#x627`): the XML
/// five, `nbsp` and numeric references.
fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_entities() {
        let text = clean_text("<p>“السلام” &amp; الأمن</p><p>سطر<br>ثانٍ</p>");
        assert_eq!(text, "“السلام” & الأمن\n\nسطر\n\nثانٍ");
    }

    #[test]
    fn hidden_elements_leave_no_text() {
        let text = clean_text(
            "<noscript>fbpx</noscript><script>var a=1;</script><style>p{}</style><p>خبر عاجل</p>",
        );
        assert_eq!(text, "خبر عاجل");
    }

    #[test]
    fn inline_markup_keeps_words_together() {
        let text =
            clean_text("<p>قال <strong>الوزير</strong> إنّ ٢٠٢٤ <em>كان</em>  صعباً؛ لماذا؟</p>");
        assert_eq!(text, "قال الوزير إنّ ٢٠٢٤ كان صعباً؛ لماذا؟");
    }

    #[test]
    fn shortcodes_leave_their_words_only() {
        let text = clean_text(
            r#"<p>[vc_row][vc_column_text]أول فقرة[/vc_column_text][/vc_row]</p>[caption id="a1" width="300"]<img src="x.jpg"> صورة من حمص[/caption]<p>[tptn_list limit="5"]قال “[sic]” [1]</p>"#,
        );
        assert_eq!(text, "أول فقرة\n\nصورة من حمص\n\nقال “[sic]” [1]");
    }

    #[test]
    fn escaped_markup_in_text_stays_text() {
        let text = clean_text("<p>a &lt;b&gt; c, 3 &lt; 5</p>");
        assert_eq!(text, "a < b> c, 3 < 5");
    }
}
