//! The HTML side of `do_shortcode()`: `wp_html_split()` and
//! `wp_kses_attr_parse()`, as far as shortcode expansion depends on them.
//!
//! Before its main pass, WordPress splits the content into text and HTML
//! "elements" (comments, CDATA sections and tags). Square brackets inside an
//! element are hidden from the main pass, so a shortcode can neither start nor
//! end inside a tag or a comment. Shortcodes inside a tag's attributes are
//! expanded separately, one attribute at a time; those inside comments and
//! CDATA, or inside tags that do not parse as `<name attr…>`, never are.

use super::atts::is_space;

/// What kind of element `wp_html_split()` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ElementKind {
    /// `<!-- … -->`, or everything to the end after an unclosed `<!--`.
    Comment,
    /// `<![CDATA[ … ]]>`, or everything to the end when unclosed.
    Cdata,
    /// `<` up to the next `>`, or to the end when there is none.
    Tag,
}

/// Byte ranges of the elements of `src`, in order, as `wp_html_split()` finds
/// them: every `<` starts one, even a `<` that is plainly text.
pub(crate) fn elements(src: &str) -> Vec<(usize, usize, ElementKind)> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(off) = src[pos..].find('<') {
        let start = pos + off;
        let rest = &src[start + 1..];
        let (end, kind) = if rest.starts_with("!--") {
            let end = src[start + 2..]
                .find("-->")
                .map_or(b.len(), |p| start + 2 + p + 3);
            (end, ElementKind::Comment)
        } else if rest.starts_with("![CDATA[") {
            let end = src[start + 9..]
                .find("]]>")
                .map_or(b.len(), |p| start + 9 + p + 3);
            (end, ElementKind::Cdata)
        } else {
            let end = rest.find('>').map_or(b.len(), |p| start + 1 + p + 1);
            (end, ElementKind::Tag)
        };
        out.push((start, end, kind));
        pos = end;
    }
    out
}

/// `wp_kses_attr_parse()`: the byte ranges (relative to `element`) of the
/// element's attributes, each with its trailing whitespace, or `None` where
/// WordPress returns `false` (closing tags, anything that is not
/// `<name attr…>`, attribute lists that do not tokenise).
pub(crate) fn attribute_ranges(element: &str) -> Option<Vec<(usize, usize)>> {
    let b = element.as_bytes();
    // %^(<\s*)(/\s*)?([a-zA-Z0-9]+\s*)([^>]*)(>?)$%
    if b.first() != Some(&b'<') {
        return None;
    }
    let mut i = skip_space(b, 1);
    if i < b.len() && b[i] == b'/' {
        return None;
    }
    let name_start = i;
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    if i == name_start {
        return None;
    }
    i = skip_space(b, i);
    let mut end = b.len();
    if end > i && b[end - 1] == b'>' {
        end -= 1;
    }
    if b[i..end].contains(&b'>') {
        return None;
    }
    // %\s*/\s*$%: a closing XHTML slash, with the whitespace around it.
    let mut attr_end = end;
    let trimmed = {
        let mut t = end;
        while t > i && is_space(b[t - 1]) {
            t -= 1;
        }
        t
    };
    if trimmed > i && b[trimmed - 1] == b'/' {
        attr_end = trimmed - 1;
        while attr_end > i && is_space(b[attr_end - 1]) {
            attr_end -= 1;
        }
    }
    let tokens = hair_tokens(&b[i..attr_end])?;
    Some(tokens.into_iter().map(|(s, e)| (s + i, e + i)).collect())
}

/// `wp_kses_hair_parse()`: splits an attribute list into tokens, or `None`
/// when the whole list is not a sequence of
/// `(name | [shortcode]) (\s*=\s*("…" | '…' | bare(\s|$)) | (\s|$)) \s*`.
fn hair_tokens(b: &[u8]) -> Option<Vec<(usize, usize)>> {
    let n = b.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let start = i;
        // Attribute name, or a shortcode in the name position.
        if b[i].is_ascii_alphabetic() || b[i] == b'_' {
            i += 1;
            while i < n
                && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'-' | b'_' | b':' | b'.'))
            {
                i += 1;
            }
        } else if b[i] == b'[' {
            let mut j = i + 1;
            if j < n && b[j] == b'[' {
                j += 1;
            }
            let mut k = j;
            while k < n && b[k] != b'[' && b[k] != b']' {
                k += 1;
            }
            if k == j || k >= n || b[k] != b']' {
                return None;
            }
            i = k + 1;
            if i < n && b[i] == b']' {
                i += 1;
            }
        } else {
            return None;
        }
        // A value, or a required space (or the end) after a bare name.
        let eq = skip_space(b, i);
        let mut valued = None;
        if eq < n && b[eq] == b'=' {
            let v = skip_space(b, eq + 1);
            if v < n && (b[v] == b'"' || b[v] == b'\'') {
                valued = b[v + 1..]
                    .iter()
                    .position(|&c| c == b[v])
                    .map(|p| v + 1 + p + 1);
            } else {
                let mut e = v;
                while e < n && !is_space(b[e]) && b[e] != b'"' && b[e] != b'\'' {
                    e += 1;
                }
                if e > v && (e == n || is_space(b[e])) {
                    valued = Some(e);
                }
            }
        }
        match valued {
            Some(end) => i = end,
            None if i == n || is_space(b[i]) => {}
            None => return None,
        }
        i = skip_space(b, i);
        out.push((start, i));
    }
    Some(out)
}

/// `%^<\s*\[\[?[^\[\]]+\]%`: "some plugins are doing things like
/// `[name] <[email]>`" — WordPress expands shortcodes in such an element
/// even though it is not a tag.
pub(crate) fn starts_with_bracketed_name(element: &str) -> bool {
    let b = element.as_bytes();
    if b.first() != Some(&b'<') {
        return false;
    }
    let mut i = skip_space(b, 1);
    if i >= b.len() || b[i] != b'[' {
        return false;
    }
    i += 1;
    if i < b.len() && b[i] == b'[' {
        i += 1;
    }
    let start = i;
    while i < b.len() && b[i] != b'[' && b[i] != b']' {
        i += 1;
    }
    i > start && i < b.len() && b[i] == b']'
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(element: &str) -> Option<Vec<&str>> {
        attribute_ranges(element).map(|r| r.into_iter().map(|(s, e)| &element[s..e]).collect())
    }

    #[test]
    fn splits_like_wp_html_split() {
        let src = "a <!-- [x] --> b <![CDATA[ ]] ]]> c <p class=x> d < e";
        let kinds: Vec<_> = elements(src)
            .into_iter()
            .map(|(s, e, k)| (&src[s..e], k))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("<!-- [x] -->", ElementKind::Comment),
                ("<![CDATA[ ]] ]]>", ElementKind::Cdata),
                ("<p class=x>", ElementKind::Tag),
                ("< e", ElementKind::Tag),
            ]
        );
        assert_eq!(elements("<!-->x")[0].1, 5);
    }

    #[test]
    fn attribute_tokens_like_kses() {
        assert_eq!(
            tokens(r##"<a title="hello" href="#" id="my_id" >"##),
            Some(vec![
                r#"title="hello" "#,
                r##"href="#" "##,
                r#"id="my_id" "#
            ])
        );
        assert_eq!(
            tokens(
                r#"<a [shortcode attr="value"] href="http://www.google.com/"title="moo"disabled>"#
            ),
            Some(vec![
                r#"[shortcode attr="value"] "#,
                r#"href="http://www.google.com/""#,
                r#"title="moo""#,
                "disabled"
            ])
        );
        assert_eq!(tokens("<a>"), Some(vec![]));
        assert_eq!(tokens("<a%%&&**>"), None);
        assert_eq!(tokens(r#"<a abcd=abcd"abcd">"#), None);
        assert_eq!(tokens("</a>"), None);
        assert_eq!(tokens("<img src=x.jpg />"), Some(vec!["src=x.jpg"]));
        assert!(starts_with_bracketed_name("<[[gallery]]>"));
        assert!(!starts_with_bracketed_name("<div [gallery]>"));
    }
}
