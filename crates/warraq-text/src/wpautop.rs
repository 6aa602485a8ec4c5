//! WordPress's `wpautop()` and `shortcode_unautop()`, ported to Rust.
//!
//! Posts written in WordPress's "classic" editor are stored without `<p>`:
//! the editor leaves blank lines for paragraphs and single newlines for line
//! breaks, and WordPress adds the markup on every page view through
//! `wpautop()` (then `shortcode_unautop()`, so that a shortcode standing on
//! its own line is not shut inside a paragraph). Importing those bodies means
//! adding the same markup once, the same way, or the imported articles would
//! not look like the originals: every quirk of the original counts, so this
//! is a step-by-step port rather than a rewrite.
//!
//! The algorithm, its comments' reasoning and the test cases in
//! `tests/wpautop.rs` come from WordPress (`wp-includes/formatting.php`:
//! `wpautop`, `_autop_newline_preservation_helper`,
//! `wp_replace_in_html_tags`, `wp_html_split`, `get_html_split_regex`,
//! `shortcode_unautop`, `wp_spaces_regexp`), copyright WordPress
//! contributors, licensed GPL-2.0-or-later; warraq is AGPL-3.0-or-later,
//! which that licence allows. The port follows the current WordPress
//! version, where `<math>` is no longer a block and keeps its newlines like
//! `<svg>` does.
//!
//! WordPress runs each step as a PCRE regex on bytes without the `u` flag.
//! warraq-text has no regex dependency, and several of those regexes use
//! look-behind, back-references or possessive loops anyway, so each step is
//! written out as a scan that finds the same matches. What PCRE's semantics
//! imply, and the scans keep:
//!
//! - `\s` is ASCII white space only (space, tab, LF, VT, FF, CR), never
//!   U+00A0 or other Unicode spaces, which Arabic text does contain;
//! - `.` is any byte but LF, and `$` also matches before a final LF;
//! - the only case-insensitive step (`<p><blockquote`) folds ASCII only;
//! - matches are found left to right and never overlap.
//!
//! One difference is deliberate: on pathological input (tens of thousands
//! of unclosed `<p><li` or `<p>[name`), PCRE hits its backtracking or JIT
//! stack limit, `preg_replace()` returns `null` and WordPress prints an
//! empty post. The port has no such limit and gives what the patterns
//! describe, in linear time where PCRE's own optimisations make it so.
//!
//! Every pattern starts and ends on an ASCII byte (`<`, `>`, `[`, `]`,
//! white space), so the scans only ever cut the text between characters:
//! multi-byte UTF-8 passes through untouched.

/// The block-level tags of WordPress's `$allblocks`, in its order.
///
/// The order matters only where one name is a prefix of another (`col`,
/// `colgroup`); the scans below accept a name only when what follows it
/// also fits, which is what PCRE's backtracking over the alternation does.
const ALLBLOCKS: &[&str] = &[
    "table",
    "thead",
    "tfoot",
    "caption",
    "col",
    "colgroup",
    "tbody",
    "tr",
    "td",
    "th",
    "div",
    "dl",
    "dd",
    "dt",
    "ul",
    "ol",
    "li",
    "pre",
    "form",
    "map",
    "area",
    "blockquote",
    "address",
    "style",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "fieldset",
    "legend",
    "section",
    "article",
    "aside",
    "hgroup",
    "header",
    "footer",
    "nav",
    "figure",
    "figcaption",
    "details",
    "menu",
    "summary",
];

/// The tags before which a `<br />` is dropped in the last clean-up.
/// WordPress keeps this shorter list apart from `$allblocks` on purpose: a
/// break before, say, `</blockquote>` is kept.
const BR_BEFORE: &[&str] = &[
    "p", "li", "div", "dl", "dd", "dt", "th", "pre", "td", "ul", "ol",
];

/// Elements whose newlines mean something (code, styles, drawings,
/// formulas), so they must not become `<br />`.
const PRESERVE_NEWLINES: &[&str] = &["script", "style", "svg", "math"];

/// What marks a newline inside a tag or comment while paragraphs are made,
/// so that a tag split over lines is not cut into paragraphs.
const NEWLINE_IN_TAG: &str = " <!-- wpnl --> ";

/// What marks a newline inside `<script>`, `<style>`, `<svg>` or `<math>`
/// while line breaks are added.
const PRESERVED_NEWLINE: &str = "<WPPreserveNewline />";

/// Turns blank lines into paragraphs and, when `br` is set, the newlines
/// left inside them into `<br />`, exactly as WordPress's `wpautop()` does.
///
/// Text that already has its blocks marked up keeps them: block-level tags
/// are never wrapped in `<p>`, `<pre>` content is put back byte for byte,
/// and newlines inside tags, comments, `<script>`, `<style>`, `<svg>` and
/// `<math>` survive as newlines. Text that is only white space gives the
/// empty string. The result normally ends with a newline, as WordPress's
/// does.
pub fn wpautop(text: &str, br: bool) -> String {
    if php_trim(text).is_empty() {
        return String::new();
    }

    // Just to make things a little easier, pad the end.
    let mut text = format!("{text}\n");

    // Pre tags shouldn't be touched by autop: swap them for placeholders
    // and bring them back at the very end.
    let mut pre_tags: Vec<(String, String)> = Vec::new();
    if text.contains("<pre") {
        let mut parts: Vec<&str> = text.split("</pre>").collect();
        let last = parts.pop().unwrap_or("");
        let mut rebuilt = String::with_capacity(text.len());
        for part in parts {
            match part.find("<pre") {
                // Malformed HTML: WordPress keeps the text but loses this
                // `</pre>`, and so does the port.
                None => rebuilt.push_str(part),
                Some(start) => {
                    let name = format!("<pre wp-pre-tag-{}></pre>", pre_tags.len());
                    pre_tags.push((name.clone(), format!("{}</pre>", &part[start..])));
                    rebuilt.push_str(&part[..start]);
                    rebuilt.push_str(&name);
                }
            }
        }
        rebuilt.push_str(last);
        text = rebuilt;
    }

    // Change multiple <br>s into two line breaks, which will turn into
    // paragraphs: `<br\s*/?>\s*<br\s*/?>`.
    text = replace_all(&text, |b, i| {
        let first = tag_end_ws_slash(b, i, b"<br")?;
        let second = tag_end_ws_slash(b, ws_end(b, first), b"<br")?;
        Some((second, "\n\n".into()))
    });

    // Add a double line break above block-level opening tags:
    // `(<allblocks[\s/>])`.
    text = replace_all(&text, |b, i| {
        if b[i] != b'<' {
            return None;
        }
        let end = ALLBLOCKS.iter().find_map(|name| {
            let after = i + 1 + name.len();
            (starts_with_at(b, i + 1, name.as_bytes())
                && b.get(after)
                    .is_some_and(|&c| is_ws(c) || c == b'/' || c == b'>'))
            .then_some(after + 1)
        })?;
        Some((end, format!("\n\n{}", slice(b, i, end))))
    });

    // Add a double line break below block-level closing tags:
    // `(</allblocks>)`.
    text = replace_all(&text, |b, i| {
        if !starts_with_at(b, i, b"</") {
            return None;
        }
        let end = ALLBLOCKS.iter().find_map(|name| {
            let after = i + 2 + name.len();
            (starts_with_at(b, i + 2, name.as_bytes()) && b.get(after) == Some(&b'>'))
                .then_some(after + 1)
        })?;
        Some((end, format!("{}\n\n", slice(b, i, end))))
    });

    // Add a double line break after hr tags, which are self closing:
    // `(<hr\s*?/?>)`.
    text = replace_all(&text, |b, i| {
        let end = tag_end_ws_slash(b, i, b"<hr")?;
        Some((end, format!("{}\n\n", slice(b, i, end))))
    });

    // Standardize newline characters to "\n".
    text = text.replace("\r\n", "\n").replace('\r', "\n");

    // Find newlines in all elements and add placeholders.
    text = replace_in_html_tags(&text, "\n", NEWLINE_IN_TAG);

    // Collapse line breaks before and after <option> elements so they don't
    // get autop'd.
    if text.contains("<option") {
        text = replace_all_after_ws(&text, |b, r| {
            starts_with_at(b, r, b"<option").then(|| (r + 7, "<option".into()))
        });
        text = replace_all(&text, |b, i| {
            starts_with_at(b, i, b"</option>").then(|| (ws_end(b, i + 9), "</option>".into()))
        });
    }

    // Collapse line breaks inside <object> elements, before <param> and
    // <embed> elements, so they don't get autop'd.
    if text.contains("</object>") {
        // `(<object[^>]*>)\s*`
        let mut gt = Next::new(b">");
        text = replace_all(&text, |b, i| {
            if !starts_with_at(b, i, b"<object") {
                return None;
            }
            let close = gt.find(b, i + 7)?;
            Some((ws_end(b, close + 1), slice(b, i, close + 1).into()))
        });
        // `\s*</object>`
        text = replace_all_after_ws(&text, |b, r| {
            starts_with_at(b, r, b"</object>").then(|| (r + 9, "</object>".into()))
        });
        // `\s*(</?(?:param|embed)[^>]*>)\s*`
        let mut gt = Next::new(b">");
        text = replace_all_after_ws(&text, |b, r| {
            let close = tag_named(b, r, true, &["param", "embed"], &mut gt)?;
            Some((ws_end(b, close + 1), slice(b, r, close + 1).into()))
        });
    }

    // Collapse line breaks inside <audio> and <video> elements, before and
    // after <source> and <track> elements. The `[`/`]` forms are the
    // `[audio]` and `[video]` shortcodes, which hold the same children.
    if text.contains("<source") || text.contains("<track") {
        // `([<\[](?:audio|video)[^>\]]*[>\]])\s*`
        let (mut gt, mut bracket) = (Next::new(b">"), Next::new(b"]"));
        text = replace_all(&text, |b, i| {
            if !matches!(b[i], b'<' | b'[') || !starts_with_any(b, i + 1, &["audio", "video"]) {
                return None;
            }
            let close = match (gt.find(b, i + 6), bracket.find(b, i + 6)) {
                (Some(x), Some(y)) => x.min(y),
                (x, y) => x.or(y)?,
            };
            Some((ws_end(b, close + 1), slice(b, i, close + 1).into()))
        });
        // `\s*([<\[]/(?:audio|video)[>\]])`
        text = replace_all_after_ws(&text, |b, r| {
            let ok = matches!(b.get(r), Some(b'<' | b'['))
                && b.get(r + 1) == Some(&b'/')
                && starts_with_any(b, r + 2, &["audio", "video"])
                && matches!(b.get(r + 7), Some(b'>' | b']'));
            ok.then(|| (r + 8, slice(b, r, r + 8).into()))
        });
        // `\s*(<(?:source|track)[^>]*>)\s*`
        let mut gt = Next::new(b">");
        text = replace_all_after_ws(&text, |b, r| {
            let close = tag_named(b, r, false, &["source", "track"], &mut gt)?;
            Some((ws_end(b, close + 1), slice(b, r, close + 1).into()))
        });
    }

    // Collapse line breaks before and after <figcaption> elements.
    if text.contains("<figcaption") {
        // `\s*(<figcaption[^>]*>)`
        let mut gt = Next::new(b">");
        text = replace_all_after_ws(&text, |b, r| {
            let close = tag_named(b, r, false, &["figcaption"], &mut gt)?;
            Some((close + 1, slice(b, r, close + 1).into()))
        });
        // `</figcaption>\s*`
        text = replace_all(&text, |b, i| {
            starts_with_at(b, i, b"</figcaption>")
                .then(|| (ws_end(b, i + 13), "</figcaption>".into()))
        });
    }

    // Remove more than two contiguous line breaks: `\n\n+`.
    text = replace_all(&text, |b, i| {
        if !starts_with_at(b, i, b"\n\n") {
            return None;
        }
        let end = (i + 2..b.len()).find(|&k| b[k] != b'\n').unwrap_or(b.len());
        Some((end, "\n\n".into()))
    });

    // Split up the contents into an array of strings, separated by double
    // line breaks, and rebuild the content wrapping every bit with a <p>.
    let mut rebuilt = String::with_capacity(text.len() + 64);
    for paragraph in split_paragraphs(&text) {
        rebuilt.push_str("<p>");
        rebuilt.push_str(paragraph.trim_matches('\n'));
        rebuilt.push_str("</p>\n");
    }
    text = rebuilt;

    // Under certain strange conditions it could create a P of entirely
    // whitespace: `<p>\s*</p>`.
    text = replace_all(&text, |b, i| {
        if !starts_with_at(b, i, b"<p>") {
            return None;
        }
        let r = ws_end(b, i + 3);
        starts_with_at(b, r, b"</p>").then(|| (r + 4, String::new()))
    });

    // Add a closing <p> inside <div>, <address>, or <form> tag if missing:
    // `<p>([^<]+)</(div|address|form)>`.
    text = replace_all(&text, |b, i| {
        if !starts_with_at(b, i, b"<p>") {
            return None;
        }
        let lt = find_byte(b, i + 3, b'<')?;
        if lt == i + 3 || !starts_with_at(b, lt, b"</") {
            return None;
        }
        let name = ["div", "address", "form"]
            .into_iter()
            .find(|name| starts_with_at(b, lt + 2, name.as_bytes()))?;
        let end = lt + 2 + name.len();
        (b.get(end) == Some(&b'>'))
            .then(|| (end + 1, format!("<p>{}</p></{name}>", slice(b, i + 3, lt))))
    });

    // If an opening or closing block element tag is wrapped in a <p>,
    // unwrap it: `<p>\s*(</?allblocks[^>]*>)\s*</p>`.
    let mut gt = Next::new(b">");
    text = replace_all(&text, |b, i| {
        if !starts_with_at(b, i, b"<p>") {
            return None;
        }
        let start = ws_end(b, i + 3);
        let close = tag_named(b, start, true, ALLBLOCKS, &mut gt)?;
        let r = ws_end(b, close + 1);
        starts_with_at(b, r, b"</p>").then(|| (r + 4, slice(b, start, close + 1).into()))
    });

    // In some cases <li> may get wrapped in <p>, fix them:
    // `<p>(<li.+?)</p>`.
    let (mut newline, mut end_p) = (Next::new(b"\n"), Next::new(b"</p>"));
    text = replace_all(&text, |b, i| {
        if !starts_with_at(b, i, b"<p><li") {
            return None;
        }
        let line_end = newline.find(b, i + 6).unwrap_or(b.len());
        let close = end_p.find(b, i + 7).filter(|&close| close < line_end)?;
        Some((close + 4, slice(b, i + 3, close).into()))
    });

    // If a <blockquote> is wrapped with a <p>, move it inside the
    // <blockquote>: `<p><blockquote([^>]*)>` (case-insensitive).
    let mut gt = Next::new(b">");
    text = replace_all(&text, |b, i| {
        let head = b"<p><blockquote";
        if !b
            .get(i..i + head.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(head))
        {
            return None;
        }
        let close = gt.find(b, i + head.len())?;
        Some((
            close + 1,
            format!("<blockquote{}><p>", slice(b, i + head.len(), close)),
        ))
    });
    text = text.replace("</blockquote></p>", "</p></blockquote>");

    // If an opening or closing block element tag is preceded by an opening
    // <p> tag, remove it: `<p>\s*(</?allblocks[^>]*>)`.
    let mut gt = Next::new(b">");
    text = replace_all(&text, |b, i| {
        if !starts_with_at(b, i, b"<p>") {
            return None;
        }
        let start = ws_end(b, i + 3);
        let close = tag_named(b, start, true, ALLBLOCKS, &mut gt)?;
        Some((close + 1, slice(b, start, close + 1).into()))
    });

    // If an opening or closing block element tag is followed by a closing
    // <p> tag, remove it: `(</?allblocks[^>]*>)\s*</p>`.
    let mut gt = Next::new(b">");
    text = replace_all(&text, |b, i| {
        let close = tag_named(b, i, true, ALLBLOCKS, &mut gt)?;
        let r = ws_end(b, close + 1);
        starts_with_at(b, r, b"</p>").then(|| (r + 4, slice(b, i, close + 1).into()))
    });

    // Optionally insert line breaks.
    if br {
        // Replace newlines that shouldn't be touched with a placeholder:
        // `<(script|style|svg|math).*?<\/\1>` with `s`.
        let mut closings: Vec<Next> = PRESERVE_NEWLINES
            .iter()
            .map(|name| Next::new(format!("</{name}>").as_bytes()))
            .collect();
        text = replace_all(&text, |b, i| {
            if b[i] != b'<' {
                return None;
            }
            let k = PRESERVE_NEWLINES
                .iter()
                .position(|name| starts_with_at(b, i + 1, name.as_bytes()))?;
            let closing = &mut closings[k];
            let at = closing.find(b, i + 1 + PRESERVE_NEWLINES[k].len())?;
            let end = at + closing.needle.len();
            Some((end, slice(b, i, end).replace('\n', PRESERVED_NEWLINE)))
        });

        // Normalize <br>.
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />");

        // Replace any new line characters that aren't preceded by a <br />
        // with a <br />.
        text = break_lines(&text);

        // Replace newline placeholders with newlines.
        text = text.replace(PRESERVED_NEWLINE, "\n");
    }

    // If a <br /> tag is after an opening or closing block tag, remove it:
    // `(</?allblocks[^>]*>)\s*<br />`.
    let mut gt = Next::new(b">");
    text = replace_all(&text, |b, i| {
        let close = tag_named(b, i, true, ALLBLOCKS, &mut gt)?;
        let r = ws_end(b, close + 1);
        starts_with_at(b, r, b"<br />").then(|| (r + 6, slice(b, i, close + 1).into()))
    });

    // If a <br /> tag is before a subset of opening or closing block tags,
    // remove it: `<br />(\s*</?(?:p|li|div|…)[^>]*>)`.
    let mut gt = Next::new(b">");
    text = replace_all(&text, |b, i| {
        if !starts_with_at(b, i, b"<br />") {
            return None;
        }
        let close = tag_named(b, ws_end(b, i + 6), true, BR_BEFORE, &mut gt)?;
        Some((close + 1, slice(b, i + 6, close + 1).into()))
    });

    // `\n</p>$`, where PCRE's `$` also matches before a final newline.
    if let Some(head) = text.strip_suffix("\n</p>\n") {
        text = format!("{head}</p>\n");
    } else if let Some(head) = text.strip_suffix("\n</p>") {
        text = format!("{head}</p>");
    }

    // Replace placeholder <pre> tags with their original content.
    if !pre_tags.is_empty() {
        text = restore_pre_tags(&text, &pre_tags);
    }

    // Restore newlines in all elements.
    if text.contains("<!-- wpnl -->") {
        text = text
            .replace(NEWLINE_IN_TAG, "\n")
            .replace("<!-- wpnl -->", "\n");
    }

    text
}

/// Takes the `<p>…</p>` away from a shortcode that stands alone in its
/// paragraph, as WordPress's `shortcode_unautop()` does after `wpautop()`.
///
/// A shortcode on its own line usually stands for a block (a gallery, a
/// captioned image, an embed), and a block inside `<p>` is invalid HTML.
/// WordPress only unwraps shortcodes that a plugin has registered; an import
/// cannot know which plugins the old site ran, so any name made of ASCII
/// letters, digits, `_` and `-` counts. The paragraph may hold spaces, tabs,
/// newlines, U+00A0 and `&nbsp;` around the shortcode; an enclosing
/// shortcode (`[caption]…[/caption]`) is unwrapped with its content, even
/// when that content spans paragraphs.
pub fn shortcode_unautop(text: &str) -> String {
    let mut bracket = Next::new(b"]");
    let mut closings: Vec<Next> = Vec::new();
    replace_all(text, |b, i| {
        if !starts_with_at(b, i, b"<p>") {
            return None;
        }
        let start = wp_spaces_end(b, i + 3);
        if b.get(start) != Some(&b'[') {
            return None;
        }
        let name_start = start + 1;
        let name_end = (name_start..b.len())
            .find(|&k| !is_shortcode_name_byte(b[k]))
            .unwrap_or(b.len());
        if name_end == name_start {
            return None;
        }
        let name = &b[name_start..name_end];

        // The opening tag runs to its first `]`; `/]` makes it self-closing.
        let bracket = bracket.find(b, name_end)?;
        // (A name never holds `/`, so the byte before is inside the tag.)
        let self_closing = b[bracket - 1] == b'/';
        let after_open = bracket + 1;

        // Each way the shortcode may end, in the order PCRE tries them: an
        // enclosing shortcode with its content first, then the opening tag
        // alone.
        let mut ends = Vec::with_capacity(2);
        if !self_closing {
            let mut needle = Vec::with_capacity(name.len() + 3);
            needle.extend_from_slice(b"[/");
            needle.extend_from_slice(name);
            needle.push(b']');
            let k = match closings.iter().position(|c| c.needle == needle) {
                Some(k) => k,
                None => {
                    closings.push(Next::new(&needle));
                    closings.len() - 1
                }
            };
            if let Some(at) = closings[k].find(b, after_open) {
                ends.push(at + needle.len());
            }
        }
        ends.push(after_open);

        ends.into_iter().find_map(|end| {
            let r = wp_spaces_end(b, end);
            starts_with_at(b, r, b"</p>").then(|| (r + 4, slice(b, start, end).into()))
        })
    })
}

/// Puts each `<pre>` back in place of its placeholder.
///
/// PHP's `str_replace()` with arrays replaces one placeholder after the
/// other over the whole text, which takes time in proportion to the text
/// times the number of `<pre>` elements. One pass that replaces them all at
/// once gives the same text unless a `<pre>`'s content itself holds
/// placeholder text (`wp-pre-tag-`): only then could one replacement feed a
/// later one. That case keeps PHP's order.
fn restore_pre_tags(text: &str, pre_tags: &[(String, String)]) -> String {
    if pre_tags
        .iter()
        .any(|(_, original)| original.contains("wp-pre-tag-"))
    {
        let mut text = text.to_string();
        for (name, original) in pre_tags {
            text = text.replace(name.as_str(), original);
        }
        return text;
    }
    const HEAD: &str = "<pre wp-pre-tag-";
    let mut out =
        String::with_capacity(text.len() + pre_tags.iter().map(|t| t.1.len()).sum::<usize>());
    let mut copied = 0;
    let mut from = 0;
    while let Some(k) = text[from..].find(HEAD) {
        let at = from + k;
        let digits_at = at + HEAD.len();
        let digits_end = text[digits_at..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(text.len(), |d| digits_at + d);
        // The placeholder's number picks the entry; the whole name must
        // still match (so `-01` or a missing `></pre>` is plain text).
        let original = text[digits_at..digits_end]
            .parse::<usize>()
            .ok()
            .and_then(|n| pre_tags.get(n))
            .filter(|(name, _)| text[at..].starts_with(name.as_str()));
        match original {
            Some((name, original)) => {
                out.push_str(&text[copied..at]);
                out.push_str(original);
                copied = at + name.len();
                from = copied;
            }
            None => from = at + 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// PHP's `trim()` with its default characters: the ASCII spaces and NUL.
fn php_trim(text: &str) -> &str {
    text.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\0' | '\x0B'))
}

/// PCRE's `\s` without the `u` flag: ASCII white space only, so that
/// U+00A0 and the other Unicode spaces stay text, as they do in WordPress.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// `\w` and `-`: what may follow a shortcode's name without ending it.
fn is_shortcode_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Where a run of `\s` that starts at `i` ends.
fn ws_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_ws(b[i]) {
        i += 1;
    }
    i
}

/// Where a run of `wp_spaces_regexp()` (`[\r\n\t ]|\xC2\xA0|&nbsp;`, its
/// unfiltered default) that starts at `i` ends.
fn wp_spaces_end(b: &[u8], mut i: usize) -> usize {
    loop {
        match b.get(i) {
            Some(b'\r' | b'\n' | b'\t' | b' ') => i += 1,
            Some(0xC2) if b.get(i + 1) == Some(&0xA0) => i += 2,
            Some(b'&') if starts_with_at(b, i, b"&nbsp;") => i += 6,
            _ => return i,
        }
    }
}

fn starts_with_at(b: &[u8], i: usize, needle: &[u8]) -> bool {
    b.get(i..).is_some_and(|rest| rest.starts_with(needle))
}

fn starts_with_any(b: &[u8], i: usize, names: &[&str]) -> bool {
    names
        .iter()
        .any(|name| starts_with_at(b, i, name.as_bytes()))
}

fn find_byte(b: &[u8], from: usize, c: u8) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&x| x == c)
        .map(|k| from + k)
}

fn find_bytes(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = b.get(from..)?;
    if needle.is_empty() || rest.len() < needle.len() {
        return None;
    }
    rest.windows(needle.len())
        .position(|w| w == needle)
        .map(|k| from + k)
}

/// Where `needle` next occurs, for a scan that asks at growing positions.
///
/// A pattern such as `<p[^>]*>` is tried at every `<p` of the text; when
/// the text has no `>` after some point, each try would search to the end
/// again, and a body made of many unclosed tags would take quadratic time.
/// PCRE avoids that by remembering where its required byte was (or that it
/// was not); this does the same for one pass over one text.
struct Next {
    needle: Vec<u8>,
    /// The position last asked about, and the first occurrence at or
    /// after it; `None` before the first question.
    last: Option<(usize, Option<usize>)>,
}

impl Next {
    fn new(needle: &[u8]) -> Self {
        Next {
            needle: needle.to_vec(),
            last: None,
        }
    }

    fn find(&mut self, b: &[u8], from: usize) -> Option<usize> {
        if let Some((asked, found)) = self.last {
            if from >= asked {
                match found {
                    None => return None,
                    Some(at) if at >= from => return Some(at),
                    Some(_) => {}
                }
            }
        }
        let found = find_bytes(b, from, &self.needle);
        self.last = Some((from, found));
        found
    }
}

/// The text between two byte offsets that the scans found. Both always sit
/// next to an ASCII byte, so they are character boundaries; the check is
/// there so that a mistake shows as a panic in tests, not as broken UTF-8.
fn slice(b: &[u8], from: usize, to: usize) -> &str {
    std::str::from_utf8(&b[from..to]).expect("wpautop cut inside a character")
}

/// `<br\s*/?>` or `<hr\s*?/?>` (the laziness finds the same match): the end
/// of a tag named by `head` that holds nothing but spaces and a slash.
fn tag_end_ws_slash(b: &[u8], i: usize, head: &[u8]) -> Option<usize> {
    if !starts_with_at(b, i, head) {
        return None;
    }
    let mut k = ws_end(b, i + head.len());
    if b.get(k) == Some(&b'/') {
        k += 1;
    }
    (b.get(k) == Some(&b'>')).then_some(k + 1)
}

/// `<(?:names)[^>]*>`, or `</?(?:names)[^>]*>` when `closing_too`: where
/// the tag's `>` is. The name need not end there (`<p` also fits `<param`),
/// as in WordPress.
fn tag_named(
    b: &[u8],
    i: usize,
    closing_too: bool,
    names: &[&str],
    gt: &mut Next,
) -> Option<usize> {
    if b.get(i) != Some(&b'<') {
        return None;
    }
    let mut name_at = i + 1;
    if closing_too && b.get(name_at) == Some(&b'/') && starts_with_any(b, name_at + 1, names) {
        name_at += 1;
    }
    let name = names
        .iter()
        .find(|name| starts_with_at(b, name_at, name.as_bytes()))?;
    gt.find(b, name_at + name.len())
}

/// One PCRE-style global replacement: `at` is asked whether a match starts
/// at each byte, left to right, and answers with where it ends and what
/// replaces it; the scan goes on after the match, so matches never overlap.
/// A match must not be empty, and must start and end next to ASCII bytes.
fn replace_all<F>(text: &str, mut at: F) -> String
where
    F: FnMut(&[u8], usize) -> Option<(usize, String)>,
{
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        match at(b, i) {
            Some((end, with)) => {
                debug_assert!(end > i);
                out.push_str(&text[copied..i]);
                out.push_str(&with);
                copied = end;
                i = end;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The same for patterns that start with `\s*` followed by a tag: `at` is
/// asked about the tag only, at the end of the white space, and a match
/// takes the white space before it too. Going over each run once (not once
/// per byte of it) keeps long runs of spaces from costing quadratic time.
fn replace_all_after_ws<F>(text: &str, mut at: F) -> String
where
    F: FnMut(&[u8], usize) -> Option<(usize, String)>,
{
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        let r = ws_end(b, i);
        match at(b, r) {
            Some((end, with)) => {
                out.push_str(&text[copied..i]);
                out.push_str(&with);
                copied = end;
                i = end;
            }
            None => i = if r > i { r } else { i + 1 },
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// `preg_split('/\n\s*\n/', $text, -1, PREG_SPLIT_NO_EMPTY)`: the pieces
/// between blank lines, where a blank line may hold spaces and tabs.
fn split_paragraphs(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\n' {
            let run_end = ws_end(b, i + 1);
            if let Some(last_nl) = (i + 1..run_end).rev().find(|&k| b[k] == b'\n') {
                pieces.push(&text[start..i]);
                start = last_nl + 1;
                i = last_nl + 1;
                continue;
            }
        }
        i += 1;
    }
    pieces.push(&text[start..]);
    pieces.retain(|piece| !piece.is_empty());
    pieces
}

/// `(?<!<br />)\s*\n` → `<br />\n`: every run of white space that ends a
/// line becomes one break, unless the line already ends with `<br />`.
///
/// PCRE checks the look-behind where each attempt starts, so white space
/// after a `<br />` still makes a second break from its second byte on
/// (`<br /> \n` keeps its space and gains a break, as in WordPress).
fn break_lines(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if !is_ws(b[i]) {
            i += 1;
            continue;
        }
        let run_end = ws_end(b, i);
        let Some(last_nl) = (i..run_end).rev().find(|&k| b[k] == b'\n') else {
            // No newline in this run: no attempt inside it can match.
            i = run_end;
            continue;
        };
        if b[..i].ends_with(b"<br />") {
            i += 1;
            continue;
        }
        out.push_str(&text[copied..i]);
        out.push_str("<br />\n");
        copied = last_nl + 1;
        i = last_nl + 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// Where the element that starts with the `<` at `i` ends, by
/// `get_html_split_regex()`: a comment runs to its first `-->` and a CDATA
/// section to its first `]]>` (or to the end of the text if there is
/// none), and any other element to its first `>` (or the end).
fn html_element_end(b: &[u8], i: usize) -> usize {
    if starts_with_at(b, i + 1, b"!--") {
        find_bytes(b, i + 2, b"-->").map_or(b.len(), |k| k + 3)
    } else if starts_with_at(b, i + 1, b"![CDATA[") {
        find_bytes(b, i + 9, b"]]>").map_or(b.len(), |k| k + 3)
    } else {
        find_byte(b, i + 1, b'>').map_or(b.len(), |k| k + 1)
    }
}

/// `wp_html_split()`: text and elements in turn, always starting and ending
/// with text (which may be empty), as `preg_split()` with
/// `PREG_SPLIT_DELIM_CAPTURE` gives them.
fn html_split(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' {
            let end = html_element_end(b, i);
            parts.push(&text[start..i]);
            parts.push(&text[i..end]);
            start = end;
            i = end;
        } else {
            i += 1;
        }
    }
    parts.push(&text[start..]);
    parts
}

/// `wp_replace_in_html_tags()` with one pair: replaces `needle` inside
/// elements and comments only, never in the text between them.
fn replace_in_html_tags(text: &str, needle: &str, replacement: &str) -> String {
    let parts = html_split(text);
    let mut out = String::with_capacity(text.len());
    for (k, part) in parts.iter().enumerate() {
        if k % 2 == 1 {
            out.push_str(&part.replace(needle, replacement));
        } else {
            out.push_str(part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WordPress's `Functions_WpHtmlSplit_Test::data_basic_features`.
    #[test]
    fn wp_html_split_basic_features() {
        assert_eq!(html_split("abcd efgh"), ["abcd efgh"]);
        assert_eq!(html_split("abcd <html> efgh"), ["abcd ", "<html>", " efgh"]);
        assert_eq!(
            html_split("abcd <!-- <html> --> efgh"),
            ["abcd ", "<!-- <html> -->", " efgh"]
        );
        assert_eq!(
            html_split("abcd <![CDATA[ <html> ]]> efgh"),
            ["abcd ", "<![CDATA[ <html> ]]>", " efgh"]
        );
    }

    /// WordPress's `Functions_WpReplaceInHtmlTags_Test`.
    #[test]
    fn wp_replace_in_html_tags_cases() {
        let cases = [
            ("Hello \n World", "Hello \n World"),
            ("<Hello \n World>", "<Hello   World>"),
            ("<!-- Hello \n World -->", "<!-- Hello   World -->"),
            ("<!-- Hello <\n> World -->", "<!-- Hello < > World -->"),
        ];
        for (input, output) in cases {
            assert_eq!(replace_in_html_tags(input, "\n", " "), output, "{input:?}");
        }
    }

    #[test]
    fn html_split_edges() {
        // Every `<` starts an element, even unclosed; an open comment runs
        // to the end.
        assert_eq!(html_split("a<b"), ["a", "<b", ""]);
        assert_eq!(html_split("<a><b>"), ["", "<a>", "", "<b>", ""]);
        assert_eq!(html_split("x<!-- y"), ["x", "<!-- y", ""]);
        assert_eq!(html_split("<!-->z"), ["", "<!-->", "z"]);
        assert_eq!(html_split("<![CDATA[]]>"), ["", "<![CDATA[]]>", ""]);
    }

    #[test]
    fn break_lines_follows_the_look_behind() {
        assert_eq!(break_lines("a\nb"), "a<br />\nb");
        assert_eq!(break_lines("a  \t\nb"), "a<br />\nb");
        assert_eq!(break_lines("a<br />\nb"), "a<br />\nb");
        assert_eq!(break_lines("a<br /> \nb"), "a<br /> <br />\nb");
        assert_eq!(break_lines("a\u{a0}\nb"), "a\u{a0}<br />\nb");
    }

    #[test]
    fn paragraphs_split_on_blank_lines_with_spaces() {
        assert_eq!(split_paragraphs("a\n \t\nb\n\n"), ["a", "b"]);
        assert_eq!(split_paragraphs("\n\na"), ["a"]);
        assert_eq!(split_paragraphs("a\nb"), ["a\nb"]);
    }
}
