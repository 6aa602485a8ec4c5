//! The "read also" block: related links placed between two paragraphs of a
//! body, as a real link with the headline, so it is in the page, the feeds
//! and the clean text alike.

use super::theme::escape_html;

/// `<aside class="read-also">` with `label` and one link per `(url, headline)`.
pub fn read_also_html(label: &str, links: &[(String, String)]) -> String {
    let items: Vec<String> = links
        .iter()
        .map(|(url, headline)| {
            format!(
                "<a href=\"{}\">{}</a>",
                escape_html(url),
                escape_html(headline)
            )
        })
        .collect();
    format!(
        "<aside class=\"read-also\"><p><strong>{}</strong> {}</p></aside>",
        escape_html(label),
        items.join(" · ")
    )
}

/// `body` with `block` after paragraph `after` (1-based), or — when `after`
/// is 0 or beyond the body — after the paragraph that ends closest to 60% of
/// it. Only top-level paragraphs count: never inside a quotation or a list.
pub fn insert_after_paragraph(body: &str, block: &str, after: usize) -> String {
    let ends = paragraph_ends(body);
    let at = match ends.get(after.wrapping_sub(1)) {
        Some(&end) if after > 0 => end,
        _ => {
            let target = body.len() as f64 * 0.6;
            match ends.iter().min_by(|a, b| {
                (**a as f64 - target)
                    .abs()
                    .total_cmp(&(**b as f64 - target).abs())
            }) {
                Some(&end) => end,
                None => body.len(),
            }
        }
    };
    let mut out = String::with_capacity(body.len() + block.len() + 1);
    out.push_str(&body[..at]);
    out.push('\n');
    out.push_str(block);
    out.push_str(&body[at..]);
    out
}

/// Byte offsets just after each top-level `</p>`.
fn paragraph_ends(body: &str) -> Vec<usize> {
    const NESTING: [&str; 5] = ["blockquote", "ul", "ol", "table", "figure"];
    let mut ends = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(lt) = body[i..].find('<') {
        let start = i + lt;
        let rest = &body[start + 1..];
        let closing = rest.starts_with('/');
        let name_start = if closing { 1 } else { 0 };
        let name: String = rest[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let tag_end = rest.find('>').map_or(body.len(), |g| start + 1 + g + 1);
        if NESTING.contains(&name.as_str()) {
            if closing {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
            }
        } else if closing && name == "p" && depth == 0 {
            ends.push(tag_end);
        }
        i = tag_end.max(start + 1);
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "<p>واحد</p>\n<blockquote><p>اقتباس</p></blockquote>\n<p>اثنان</p>\n<p>ثلاثة</p>\n<p>أربعة</p>\n<p>خمسة</p>\n";

    #[test]
    fn only_top_level_paragraphs() {
        let ends = paragraph_ends(BODY);
        assert_eq!(ends.len(), 5);
        assert!(BODY[..ends[1]].ends_with("<p>اثنان</p>"));
    }

    #[test]
    fn after_a_chosen_paragraph_or_near_sixty_percent() {
        let block = "<aside>X</aside>";
        let first = insert_after_paragraph(BODY, block, 1);
        assert!(first.starts_with("<p>واحد</p>\n<aside>X</aside>"));
        let auto = insert_after_paragraph(BODY, block, 0);
        let at = auto.find(block).unwrap() as f64 / auto.len() as f64;
        assert!((0.45..0.8).contains(&at), "{at}: {auto}");
        assert!(!auto.contains("<blockquote><p>اقتباس</p>\n<aside>"));
        let beyond = insert_after_paragraph(BODY, block, 99);
        assert_eq!(beyond, auto);
        assert_eq!(
            insert_after_paragraph("نص بلا فقرات", block, 0),
            "نص بلا فقرات\n<aside>X</aside>"
        );
    }

    #[test]
    fn links_are_escaped() {
        let html = read_also_html(
            "إقرأوا أيضاً:",
            &[("/a?x=1&y=2".into(), "“عنوان” <b>".into())],
        );
        assert_eq!(html, "<aside class=\"read-also\"><p><strong>إقرأوا أيضاً:</strong> <a href=\"/a?x=1&amp;y=2\">“عنوان” &lt;b&gt;</a></p></aside>");
    }
}
