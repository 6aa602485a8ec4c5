//! A WordPress body → a warraq body: Gutenberg blocks rendered to plain
//! HTML, classic bodies given WordPress's paragraphs, page-builder wrappers
//! unwrapped, and the shortcodes left for the text pipeline counted.

use std::collections::BTreeMap;

use warraq_text::blocks::{self, MediaRef};
use warraq_text::{is_known_shortcode, shortcode, wpautop};

pub struct Body {
    pub html: String,
    pub unknown_blocks: Vec<String>,
    pub unknown_shortcodes: BTreeMap<String, u64>,
}

/// Shortcode prefixes of page builders: layout only, their content is the
/// article (WPBakery's `[vc_row]`, Divi's `[et_pb_section]`, …).
const PAGE_BUILDERS: &[&str] = &["vc_", "et_pb_", "fusion_", "av_", "tatsu_", "cs_"];

pub fn body_of(content: &str, media: &dyn Fn(i64) -> Option<MediaRef>) -> Body {
    let (html, unknown_blocks) = if blocks::has_blocks(content) {
        // The block editor saves paragraphs itself; WordPress runs no
        // wpautop over block content either.
        let rendered = blocks::render(content, media);
        (rendered.html, rendered.unknown)
    } else {
        let html = wpautop::wpautop(content, true);
        (wpautop::shortcode_unautop(&html), Vec::new())
    };
    let html = unwrap_page_builders(&html);
    let mut unknown_shortcodes = BTreeMap::new();
    for p in shortcode::problems(&html, &is_known_shortcode) {
        if p.kind == shortcode::ProblemKind::UnknownShortcode {
            *unknown_shortcodes.entry(p.name).or_default() += p.count as u64;
        }
    }
    Body {
        html,
        unknown_blocks,
        unknown_shortcodes,
    }
}

/// Removes the opening and closing tags of page-builder shortcodes, keeping
/// what they wrap. A paragraph left holding only such tags goes too.
fn unwrap_page_builders(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let name_start = after.strip_prefix('/').unwrap_or(after);
        let is_builder = PAGE_BUILDERS.iter().any(|p| name_start.starts_with(p));
        match (is_builder, after.find(']')) {
            (true, Some(close)) if !after[..close].contains('[') => {
                out.push_str(&rest[..open]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace("<p></p>", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_builders_are_unwrapped() {
        let body = body_of(
            "[vc_row][vc_column width=\"1/2\"][vc_column_text]\n\nنص الخبر\n\n[/vc_column_text][/vc_column][/vc_row]",
            &|_| None,
        );
        assert!(body.html.contains("<p>نص الخبر</p>"), "{}", body.html);
        assert!(!body.html.contains("vc_"), "{}", body.html);
        assert!(body.unknown_shortcodes.is_empty());
    }

    #[test]
    fn unknown_shortcodes_are_counted() {
        let body = body_of("[mystery_box]أ[/mystery_box]\n\n[mystery_box]", &|_| None);
        assert_eq!(body.unknown_shortcodes.get("mystery_box"), Some(&2));
    }
}
