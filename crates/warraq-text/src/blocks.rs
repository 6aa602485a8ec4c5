//! WordPress block-editor markup (Gutenberg) into plain semantic HTML.
//!
//! Since WordPress 5.0 a post's `post_content` is a sequence of blocks
//! delimited by HTML comments:
//!
//! ```text
//! <!-- wp:heading {"level":3} --><h3 class="wp-block-heading">عنوان</h3><!-- /wp:heading -->
//! <!-- wp:image {"id":767} --><figure class="wp-block-image">…</figure><!-- /wp:image -->
//! <!-- wp:latest-posts /-->
//! ```
//!
//! warraq converts them once, at import time: [`parse`] reads the delimiters
//! the way WordPress does, and [`render`] turns each block into the HTML a
//! news body needs (paragraphs, headings, lists, quotes, figures, tables)
//! without the editor's classes, styles and wrappers, resolving attachment
//! ids to their new URLs through a callback. Video pages become `[embed]`,
//! `[video]` and `[audio]` shortcodes so that the shortcode renderer, which
//! knows which players are allowed, deals with them. No `<!--` of any kind
//! survives [`render`].
//!
//! ```
//! use warraq_text::blocks::{render, MediaRef};
//!
//! let body = "<!-- wp:paragraph {\"className\":\"lead\"} -->\n\
//!             <p class=\"lead\" dir=\"rtl\">خبر <strong>عاجل</strong></p>\n\
//!             <!-- /wp:paragraph -->\n\n<!-- wp:separator -->\n<hr class=\"x\"/>\n<!-- /wp:separator -->\n\n\
//!             <!-- wp:acme/poll {\"id\":3} /-->";
//! let out = render(body, &|_| None::<MediaRef>);
//! assert_eq!(out.html, "<p dir=\"rtl\">خبر <strong>عاجل</strong></p>\n<hr>");
//! assert_eq!(out.unknown, ["acme/poll"]);
//! ```
//!
//! # Parsing, as WordPress does it
//!
//! [`parse`] follows `WP_Block_Parser` (`wp-includes/class-wp-block-parser.php`),
//! whose single regular expression defines what a delimiter is:
//! `<!--`, whitespace, an optional `/`, `wp:`, a name `[a-z][a-z0-9_-]*`
//! optionally preceded by a namespace `[a-z][a-z0-9_-]*/` (none means
//! `core/`), whitespace, optionally a JSON object followed by whitespace, an
//! optional `/` and `-->`. The JSON ends at the first `}` followed by
//! whitespace, an optional `/` and `-->`. Anything else, `<!--wp:x-->` or
//! `<!-- wp:Para -->` included, is not a delimiter but ordinary HTML.
//! A closer closes the innermost open block whatever its name, a closer's
//! attributes are ignored, and attributes that are not valid JSON leave the
//! block without attributes.
//!
//! Where WordPress's best-effort recovery would leak delimiters into the
//! page, this parser differs, on purpose:
//!
//! * a closer with no open block is dropped and parsing goes on (WordPress
//!   gives up and returns the rest of the document as raw HTML);
//! * blocks still open at the end are closed there, each inside its parent
//!   (WordPress does that for one open block, but with several it repeats
//!   the inner ones' content inside the outer ones, delimiters and all);
//! * nesting deeper than [`MAX_DEPTH`] is flattened: deeper delimiters are
//!   dropped and their content joins the deepest block, so hostile input
//!   cannot exhaust the stack.

use std::ops::Range;

use serde_json::{Map, Value};

/// A parsed block: `<!-- wp:name {attrs} -->inner<!-- /wp:name -->`.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Always namespaced: `core/paragraph`, `jetpack/slideshow`.
    pub name: String,
    /// The delimiter's JSON object; empty when absent or invalid.
    pub attrs: Map<String, Value>,
    /// The saved HTML and the inner blocks, in document order.
    pub inner: Vec<Node>,
}

/// A piece of content: HTML outside any inner block, or a block.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Html(String),
    Block(Block),
}

/// What the importer knows about an attachment id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaRef {
    /// Where the file lives now; plain text (escaped here).
    pub url: String,
    /// Plain text, used when the saved `<img>` has no `alt`.
    pub alt: String,
    /// HTML (an attachment's excerpt), used when the saved figure has no
    /// caption.
    pub caption: String,
}

/// The result of [`render`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Names of blocks rendered as their saved HTML because warraq has no
    /// rendering for them, each once, in order of first appearance.
    pub unknown: Vec<String>,
}

/// Nesting beyond this is flattened by [`parse`]; real content stays far below.
pub const MAX_DEPTH: usize = 100;

/// The blocks [`render`] converts; every other name is listed in
/// [`Rendered::unknown`].
pub const HANDLED: &[&str] = &[
    "core/paragraph",
    "core/heading",
    "core/list",
    "core/list-item",
    "core/quote",
    "core/pullquote",
    "core/image",
    "core/gallery",
    "core/embed",
    "core-embed/*",
    "core/video",
    "core/audio",
    "core/file",
    "core/separator",
    "core/table",
    "core/preformatted",
    "core/code",
    "core/verse",
    "core/spacer",
    "core/html",
    "core/freeform",
    "core/shortcode",
    "core/more",
    "core/nextpage",
    "core/group",
    "core/columns",
    "core/column",
    "core/cover",
    "core/media-text",
    "core/buttons",
    "core/button",
    "core/details",
    "core/footnotes",
];

/// Whether `content` was saved by the block editor, by WordPress's own test
/// (`has_blocks()`).
pub fn has_blocks(content: &str) -> bool {
    content.contains("<!-- wp:")
}

// ---------------------------------------------------------------------------
// Delimiters

enum Kind {
    Opener,
    Closer,
    Void,
}

struct Token {
    kind: Kind,
    name: String,
    attrs: Map<String, Value>,
    start: usize,
    end: usize,
}

/// PCRE's `\s` without Unicode mode, which is what PHP's regex uses.
fn is_pcre_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r')
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_pcre_space(b[i]) {
        i += 1;
    }
    i
}

/// End of `[a-z][a-z0-9_-]*` starting at `i`.
fn name_end(b: &[u8], i: usize) -> Option<usize> {
    if !b.get(i).is_some_and(u8::is_ascii_lowercase) {
        return None;
    }
    let mut j = i + 1;
    while j < b.len() && matches!(b[j], b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-') {
        j += 1;
    }
    Some(j)
}

struct Lexer<'a> {
    doc: &'a str,
    /// The last search for the end of an attribute object: where it started
    /// and what it found. The end does not depend on where the object
    /// starts, so later delimiters reuse it and a document full of
    /// unterminated `{` stays linear.
    attrs_end: Option<(usize, Option<usize>)>,
}

impl<'a> Lexer<'a> {
    fn new(doc: &'a str) -> Self {
        Lexer {
            doc,
            attrs_end: None,
        }
    }

    fn next(&mut self, from: usize) -> Option<Token> {
        let b = self.doc.as_bytes();
        let mut at = from;
        while let Some(p) = find(b, b"<!--", at) {
            if let Some(token) = self.delimiter_at(p) {
                return Some(token);
            }
            at = p + 1;
        }
        None
    }

    /// The delimiter starting at `p` (which holds `<!--`), if it is one.
    fn delimiter_at(&mut self, p: usize) -> Option<Token> {
        let b = self.doc.as_bytes();
        let mut i = skip_spaces(b, p + 4);
        if i == p + 4 {
            return None;
        }
        let closer = b.get(i) == Some(&b'/');
        if closer {
            i += 1;
        }
        if !b[i..].starts_with(b"wp:") {
            return None;
        }
        i += 3;
        let first = name_end(b, i)?;
        let (name, after) = if b.get(first) == Some(&b'/') {
            let second = name_end(b, first + 1)?;
            (self.doc[i..second].to_string(), second)
        } else {
            (format!("core/{}", &self.doc[i..first]), first)
        };
        i = skip_spaces(b, after);
        if i == after {
            return None;
        }
        let mut attrs = Map::new();
        if b.get(i) == Some(&b'{') {
            let close = self.attrs_close(i + 1)?;
            if !closer {
                attrs = serde_json::from_str(&self.doc[i..=close]).unwrap_or_default();
            }
            i = skip_spaces(b, close + 1);
        }
        let void = b.get(i) == Some(&b'/');
        if void {
            i += 1;
        }
        if !b[i..].starts_with(b"-->") {
            return None;
        }
        // WordPress tests "void" before "closer", so `<!-- /wp:x /-->` is a
        // void block.
        let kind = match (void, closer) {
            (true, _) => Kind::Void,
            (false, true) => Kind::Closer,
            (false, false) => Kind::Opener,
        };
        Some(Token {
            kind,
            name,
            attrs,
            start: p,
            end: i + 3,
        })
    }

    /// The first `}` at or after `from` that is followed by whitespace, an
    /// optional `/` and `-->`: where WordPress's possessive attribute pattern
    /// stops.
    fn attrs_close(&mut self, from: usize) -> Option<usize> {
        if let Some((searched, found)) = self.attrs_end {
            if searched <= from {
                match found {
                    None => return None,
                    Some(f) if f >= from => return Some(f),
                    Some(_) => {}
                }
            }
        }
        let b = self.doc.as_bytes();
        let mut found = None;
        let mut j = from;
        while let Some(k) = find(b, b"}", j) {
            let s = skip_spaces(b, k + 1);
            if s > k + 1 {
                let s = if b.get(s) == Some(&b'/') { s + 1 } else { s };
                if b[s..].starts_with(b"-->") {
                    found = Some(k);
                    break;
                }
            }
            j = k + 1;
        }
        self.attrs_end = Some((from, found));
        found
    }
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from >= hay.len() || needle.is_empty() {
        return None;
    }
    let first = needle[0];
    let mut i = from;
    while let Some(rel) = hay[i..].iter().position(|&c| c == first) {
        let p = i + rel;
        if hay[p..].starts_with(needle) {
            return Some(p);
        }
        i = p + 1;
    }
    None
}

// ---------------------------------------------------------------------------
// Parser

struct Frame {
    block: Block,
    /// Where the frame's not yet collected HTML starts.
    prev: usize,
}

/// Appends HTML, to the previous node when that is HTML too: the pieces on
/// either side of a dropped delimiter make one piece.
fn push_html(nodes: &mut Vec<Node>, html: &str) {
    if html.is_empty() {
        return;
    }
    match nodes.last_mut() {
        Some(Node::Html(last)) => last.push_str(html),
        _ => nodes.push(Node::Html(html.to_string())),
    }
}

/// The blocks and the HTML between them, as `parse_blocks()` reads them
/// (with the recovery differences described in the module documentation).
pub fn parse(content: &str) -> Vec<Node> {
    let mut lexer = Lexer::new(content);
    let mut output = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    // Openers ignored because of MAX_DEPTH that are still open: their
    // closers must be ignored too.
    let mut flattened = 0usize;
    let mut offset = 0;
    while let Some(token) = lexer.next(offset) {
        let Token {
            kind,
            name,
            attrs,
            start,
            end,
        } = token;
        let block = Block {
            name,
            attrs,
            inner: Vec::new(),
        };
        let depth = stack.len();
        match (kind, stack.last_mut()) {
            (Kind::Void, None) => {
                push_html(&mut output, &content[offset..start]);
                output.push(Node::Block(block));
            }
            (Kind::Void, Some(top)) => {
                push_html(&mut top.block.inner, &content[top.prev..start]);
                top.block.inner.push(Node::Block(block));
                top.prev = end;
            }
            (Kind::Opener, Some(top)) if depth >= MAX_DEPTH => {
                push_html(&mut top.block.inner, &content[top.prev..start]);
                top.prev = end;
                flattened += 1;
            }
            (Kind::Opener, top) => {
                // The parent's HTML before this block is collected now; the
                // parent's next HTML starts after this block's closer.
                match top {
                    None => push_html(&mut output, &content[offset..start]),
                    Some(top) => push_html(&mut top.block.inner, &content[top.prev..start]),
                }
                stack.push(Frame { block, prev: end });
            }
            (Kind::Closer, None) => {
                push_html(&mut output, &content[offset..start]);
            }
            (Kind::Closer, Some(top)) if flattened > 0 => {
                push_html(&mut top.block.inner, &content[top.prev..start]);
                top.prev = end;
                flattened -= 1;
            }
            (Kind::Closer, Some(top)) => {
                push_html(&mut top.block.inner, &content[top.prev..start]);
                if let Some(frame) = stack.pop() {
                    match stack.last_mut() {
                        Some(parent) => {
                            parent.block.inner.push(Node::Block(frame.block));
                            parent.prev = end;
                        }
                        None => output.push(Node::Block(frame.block)),
                    }
                }
            }
        }
        offset = end;
    }
    match stack.pop() {
        None => push_html(&mut output, &content[offset..]),
        Some(mut frame) => {
            push_html(&mut frame.block.inner, &content[frame.prev..]);
            let mut done = frame.block;
            while let Some(mut parent) = stack.pop() {
                parent.block.inner.push(Node::Block(done));
                done = parent.block;
            }
            output.push(Node::Block(done));
        }
    }
    output
}

// ---------------------------------------------------------------------------
// Just enough of the HTML tokenizer to find elements in saved block HTML

/// A start or end tag found in a fragment.
struct Tag<'a> {
    start: usize,
    end: usize,
    /// Lower-cased.
    name: String,
    close: bool,
    /// The text between the name and the closing `>`.
    attrs: &'a str,
}

/// Elements that never have content, so never count towards nesting.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

fn is_html_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0C' | b'\r')
}

/// The end of the comment whose `<!--` ends just before `i`, as HTML reads
/// it (`<!-->` and `<!--->` are whole comments); an unterminated comment
/// runs to the end.
fn comment_end(b: &[u8], i: usize) -> usize {
    if b[i..].starts_with(b">") {
        return i + 1;
    }
    if b[i..].starts_with(b"->") {
        return i + 2;
    }
    let mut j = i;
    while let Some(k) = find(b, b"--", j) {
        if b[k + 2..].starts_with(b">") {
            return k + 3;
        }
        if b[k + 2..].starts_with(b"!>") {
            return k + 4;
        }
        j = k + 1;
    }
    b.len()
}

/// Walks the attributes in `b[i..]` up to the tag's `>`, calling `each`
/// with the range of every name and raw value; returns the position of the
/// `>`, or `None` when the tag never ends. With `to_end` the end of `b`
/// ends the tag, for attribute text already cut out of its tag.
fn scan_attributes(
    b: &[u8],
    mut i: usize,
    to_end: bool,
    mut each: impl FnMut(Range<usize>, Range<usize>),
) -> Option<usize> {
    let eof = |i: usize| to_end.then_some(i);
    loop {
        while i < b.len() && (is_html_space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        match b.get(i) {
            None => return eof(b.len()),
            Some(b'>') => return Some(i),
            Some(_) => {}
        }
        let name_start = i;
        i += 1;
        while i < b.len() && !is_html_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = name_start..i;
        let after_name = i;
        i = skip_html_spaces(b, i);
        if b.get(i) != Some(&b'=') {
            each(name, after_name..after_name);
            i = after_name;
            continue;
        }
        i = skip_html_spaces(b, i + 1);
        let value = match b.get(i) {
            None => return eof(b.len()),
            Some(&q @ (b'"' | b'\'')) => match b[i + 1..].iter().position(|&c| c == q) {
                Some(rel) => {
                    let v = i + 1..i + 1 + rel;
                    i = v.end + 1;
                    v
                }
                None if to_end => {
                    each(name, i + 1..b.len());
                    return Some(b.len());
                }
                None => return None,
            },
            Some(_) => {
                let s = i;
                while i < b.len() && !is_html_space(b[i]) && b[i] != b'>' {
                    i += 1;
                }
                s..i
            }
        };
        each(name, value);
    }
}

fn skip_html_spaces(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_html_space(b[i]) {
        i += 1;
    }
    i
}

/// The next start or end tag at or after `from`, skipping comments,
/// `<!DOCTYPE>`-like and `<?…>` constructs and `<` that starts no tag.
fn next_tag(html: &str, from: usize) -> Option<Tag<'_>> {
    let b = html.as_bytes();
    let mut i = from;
    loop {
        let lt = find(b, b"<", i)?;
        let rest = &b[lt + 1..];
        if rest.starts_with(b"!--") {
            i = comment_end(b, lt + 4);
            continue;
        }
        if matches!(rest.first(), Some(b'!' | b'?')) {
            i = find(b, b">", lt + 2)? + 1;
            continue;
        }
        let close = rest.first() == Some(&b'/');
        let name_start = if close { lt + 2 } else { lt + 1 };
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let mut name_end = name_start + 1;
        while name_end < b.len()
            && !is_html_space(b[name_end])
            && !matches!(b[name_end], b'/' | b'>')
        {
            name_end += 1;
        }
        let gt = scan_attributes(b, name_end, false, |_, _| {})?;
        return Some(Tag {
            start: lt,
            end: gt + 1,
            name: html[name_start..name_end].to_ascii_lowercase(),
            close,
            attrs: &html[name_end..gt],
        });
    }
}

/// The raw (still entity-encoded) value of attribute `want` in a tag's
/// attribute text; `Some("")` for an attribute without value.
fn attr<'a>(attrs: &'a str, want: &str) -> Option<&'a str> {
    let b = attrs.as_bytes();
    let mut found = None;
    scan_attributes(b, 0, true, |name, value| {
        if found.is_none() && b[name].eq_ignore_ascii_case(want.as_bytes()) {
            found = Some(value);
        }
    });
    found.map(|v| &attrs[v])
}

/// A block's content during rendering: its own saved HTML, or an inner
/// block already rendered. Tags are only looked for in the block's own HTML,
/// so whatever an inner block produced cannot confuse its parent.
enum Seg<'a> {
    Own(&'a str),
    Child(String),
}

fn concat(segs: &[Seg<'_>]) -> String {
    let mut out = String::new();
    for seg in segs {
        match seg {
            Seg::Own(h) => out.push_str(h),
            Seg::Child(h) => out.push_str(h),
        }
    }
    out
}

/// The first element named one of `names` in the block's own HTML.
struct Element<'a> {
    name: String,
    attrs: &'a str,
    inner: String,
}

fn find_element<'a>(segs: &[Seg<'a>], names: &[&str]) -> Option<Element<'a>> {
    for (si, seg) in segs.iter().enumerate() {
        let Seg::Own(html) = seg else { continue };
        let mut pos = 0;
        while let Some(tag) = next_tag(html, pos) {
            pos = tag.end;
            if tag.close || !names.contains(&tag.name.as_str()) {
                continue;
            }
            if VOID_ELEMENTS.contains(&tag.name.as_str()) {
                return Some(Element {
                    name: tag.name,
                    attrs: tag.attrs,
                    inner: String::new(),
                });
            }
            let inner = element_inner(segs, si, tag.end, &tag.name);
            return Some(Element {
                name: tag.name,
                attrs: tag.attrs,
                inner,
            });
        }
    }
    None
}

/// The content from `segs[si][from..]` up to the end tag matching an
/// already opened `name`, or up to the end when it is never closed.
fn element_inner(segs: &[Seg<'_>], si: usize, from: usize, name: &str) -> String {
    let mut out = String::new();
    let mut depth = 1usize;
    for (i, seg) in segs.iter().enumerate().skip(si) {
        let html = match seg {
            Seg::Child(h) => {
                out.push_str(h);
                continue;
            }
            Seg::Own(h) => *h,
        };
        let start = if i == si { from } else { 0 };
        let mut pos = start;
        while let Some(tag) = next_tag(html, pos) {
            pos = tag.end;
            if tag.name != name {
                continue;
            }
            if !tag.close {
                depth += 1;
                continue;
            }
            depth -= 1;
            if depth == 0 {
                out.push_str(&html[start..tag.start]);
                return out;
            }
        }
        out.push_str(&html[start..]);
    }
    out
}

/// `html` without the tags named in `names` (their content kept).
fn strip_tags(html: &str, names: &[&str]) -> String {
    let mut out = String::new();
    let mut pos = 0;
    let mut copied = 0;
    while let Some(tag) = next_tag(html, pos) {
        pos = tag.end;
        if names.contains(&tag.name.as_str()) {
            out.push_str(&html[copied..tag.start]);
            copied = tag.end;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// The text of `html`: every tag removed, entities decoded.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut pos = 0;
    while let Some(tag) = next_tag(html, pos) {
        out.push_str(&html[pos..tag.start]);
        pos = tag.end;
    }
    out.push_str(&html[pos..]);
    crate::plain::decode_entities(&strip_comments(&out))
}

/// HTML without comments, and such that no `<!--` remains even where
/// removing one comment joins the text around it into a new one.
fn strip_comments(html: &str) -> String {
    if !html.contains("<!--") {
        return html.to_string();
    }
    let b = html.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        out.push(b[i]);
        i += 1;
        if out.ends_with(b"<!--") {
            out.truncate(out.len() - 4);
            i = comment_end(b, i);
        }
    }
    // Only whole ASCII sequences were removed, so this is still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

fn is_blank(html: &str) -> bool {
    if !html.contains("<!--") {
        return html.trim().is_empty();
    }
    strip_comments(html).trim().is_empty()
}

/// Plain text as an attribute value or element content.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// A raw attribute value from saved HTML, fit to go between double quotes.
fn requote(raw: &str) -> String {
    raw.replace('"', "&quot;")
}

/// A URL fit for a shortcode: nothing that could end the shortcode, its
/// quoted attribute or its content early, and no `\` for `stripcslashes()`.
fn shortcode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        if matches!(c, '[' | ']' | '"' | '\'' | '<' | '>' | '\\')
            || c.is_whitespace()
            || c.is_control()
        {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `html` without its `<name>…</name>` elements, content and all.
fn drop_elements(html: &str, name: &str) -> String {
    let mut out = String::new();
    let mut pos = 0;
    let mut copied = 0;
    let mut depth = 0usize;
    while let Some(tag) = next_tag(html, pos) {
        pos = tag.end;
        if tag.name != name {
            continue;
        }
        if !tag.close {
            if depth == 0 {
                out.push_str(&html[copied..tag.start]);
            }
            depth += 1;
        } else if depth > 0 {
            depth -= 1;
            if depth == 0 {
                copied = tag.end;
            }
        }
    }
    if depth == 0 {
        out.push_str(&html[copied..]);
    }
    out
}

// ---------------------------------------------------------------------------
// Attributes of the block delimiter

fn attr_str<'a>(attrs: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    attrs
        .get(key)?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn value_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn attr_int(attrs: &Map<String, Value>, key: &str) -> Option<i64> {
    value_int(attrs.get(key)?)
}

fn attr_bool(attrs: &Map<String, Value>, key: &str) -> Option<bool> {
    match attrs.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        Value::String(s) => match s.as_str() {
            "true" | "1" => Some(true),
            "false" | "0" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn attr_ids(attrs: &Map<String, Value>, key: &str) -> Vec<i64> {
    match attrs.get(key) {
        Some(Value::Array(items)) => items.iter().filter_map(value_int).collect(),
        Some(Value::String(s)) => s
            .split(',')
            .filter_map(|id| id.trim().parse().ok())
            .collect(),
        _ => Vec::new(),
    }
}

/// ` dir="rtl"` when the saved tag has a valid direction, else nothing.
fn dir_of(tag_attrs: &str) -> String {
    attr(tag_attrs, "dir")
        .and_then(valid_dir)
        .map(|d| format!(" dir=\"{d}\""))
        .unwrap_or_default()
}

fn valid_dir(d: &str) -> Option<&'static str> {
    match d.trim().to_ascii_lowercase().as_str() {
        "rtl" => Some("rtl"),
        "ltr" => Some("ltr"),
        "auto" => Some("auto"),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Images

/// What a saved `<figure><a><img></a><figcaption></figcaption></figure>`
/// says; values are raw HTML.
#[derive(Default)]
struct SavedImage {
    src: Option<String>,
    alt: Option<String>,
    href: Option<String>,
    caption: Option<String>,
    id: Option<i64>,
}

fn non_empty(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

/// The attachment id an `<img>` names: `data-id`, or its `wp-image-N` class.
fn image_id(img_attrs: &str) -> Option<i64> {
    attr(img_attrs, "data-id")
        .and_then(|v| v.trim().parse().ok())
        .or_else(|| {
            attr(img_attrs, "class")?
                .split_ascii_whitespace()
                .find_map(|c| c.strip_prefix("wp-image-")?.parse().ok())
        })
}

fn saved_image(html: &str) -> SavedImage {
    let mut saved = SavedImage::default();
    let mut found_img = false;
    let mut href = None;
    let mut pos = 0;
    while let Some(tag) = next_tag(html, pos) {
        pos = tag.end;
        match (tag.name.as_str(), tag.close) {
            ("a", false) if !found_img => href = attr(tag.attrs, "href").and_then(non_empty),
            ("a", true) if !found_img => href = None,
            ("img", false) if !found_img => {
                found_img = true;
                saved.src = attr(tag.attrs, "src").and_then(non_empty).map(String::from);
                saved.alt = attr(tag.attrs, "alt").and_then(non_empty).map(String::from);
                saved.id = image_id(tag.attrs);
                saved.href = href.map(String::from);
            }
            ("figcaption", false) if saved.caption.is_none() => {
                let inner = element_inner(&[Seg::Own(html)], 0, tag.end, "figcaption");
                saved.caption = non_empty(&inner).map(String::from);
            }
            _ => {}
        }
    }
    saved
}

fn caption_html(caption: Option<&str>) -> String {
    match caption.and_then(non_empty) {
        Some(c) if !is_blank(c) => format!("<figcaption>{c}</figcaption>"),
        _ => String::new(),
    }
}

/// The image, or the caption alone when there is no image to show.
fn figure_html(src: Option<&str>, alt: &str, href: Option<&str>, caption: Option<&str>) -> String {
    let caption = caption_html(caption);
    let Some(src) = src else {
        if caption.is_empty() {
            return String::new();
        }
        return format!("<figure>{caption}</figure>");
    };
    let img = format!("<img src=\"{src}\" alt=\"{alt}\">");
    let img = match href {
        Some(href) => format!("<a href=\"{href}\">{img}</a>"),
        None => img,
    };
    format!("<figure>{img}{caption}</figure>")
}

/// A shortcode with its caption: the shortcode alone on its line so that
/// the shortcode renderer sees it, in a figure only when there is a caption.
fn with_caption(shortcode: String, caption: Option<&str>) -> String {
    let caption = caption_html(caption);
    if caption.is_empty() {
        shortcode
    } else {
        format!("<figure>\n{shortcode}\n{caption}</figure>")
    }
}

// ---------------------------------------------------------------------------
// Rendering

/// Tags that only lay blocks out; unwrapping a container drops them.
const WRAPPERS: &[&str] = &[
    "div", "section", "main", "article", "aside", "header", "footer", "nav", "span", "figure",
];

/// What a cover or media-text holds besides its inner blocks: the media,
/// which is rendered from the attributes instead.
const MEDIA_WRAPPERS: &[&str] = &[
    "div", "section", "main", "article", "aside", "header", "footer", "nav", "span", "figure",
    "img", "video", "source", "a",
];

/// Turns block markup into plain semantic HTML, resolving attachment ids
/// through `media`. Safe on any input; the result still has to pass the
/// sanitiser, which removes what unknown blocks and inline markup bring.
pub fn render(content: &str, media: &dyn Fn(i64) -> Option<MediaRef>) -> Rendered {
    let nodes = parse(content);
    let mut renderer = Renderer {
        media,
        unknown: Vec::new(),
    };
    let html = renderer.sequence(&nodes, &|h| h.to_string());
    Rendered {
        html: strip_comments(&html).trim().to_string(),
        unknown: renderer.unknown,
    }
}

struct Renderer<'m> {
    media: &'m dyn Fn(i64) -> Option<MediaRef>,
    unknown: Vec<String>,
}

impl Renderer<'_> {
    fn media(&self, id: Option<i64>) -> Option<MediaRef> {
        id.and_then(|id| (self.media)(id))
            .filter(|m| !m.url.trim().is_empty())
    }

    /// Nodes one after another, one per line; `own` prepares the HTML
    /// between blocks.
    fn sequence(&mut self, nodes: &[Node], own: &dyn Fn(&str) -> String) -> String {
        let mut parts: Vec<String> = Vec::new();
        for node in nodes {
            let part = match node {
                Node::Html(h) => own(h),
                Node::Block(b) => self.block(b),
            };
            if !is_blank(&part) {
                parts.push(part.trim().to_string());
            }
        }
        parts.join("\n")
    }

    fn segs<'b>(&mut self, b: &'b Block) -> Vec<Seg<'b>> {
        b.inner
            .iter()
            .map(|node| match node {
                // The blank lines WordPress puts between inner blocks.
                Node::Html(h) if h.contains('\n') && h.trim().is_empty() => Seg::Own("\n"),
                Node::Html(h) => Seg::Own(h),
                Node::Block(child) => Seg::Child(self.block(child)),
            })
            .collect()
    }

    fn note_unknown(&mut self, name: &str) {
        if !self.unknown.iter().any(|n| n == name) {
            self.unknown.push(name.to_string());
        }
    }

    fn block(&mut self, b: &Block) -> String {
        let out = match b.name.as_str() {
            "core/paragraph" => self.paragraph(b),
            "core/heading" => self.heading(b),
            "core/list" => self.list(b),
            "core/list-item" => self.rewrap(b, &["li"], "li"),
            "core/quote" | "core/pullquote" => self.rewrap(b, &["blockquote"], "blockquote"),
            "core/preformatted" | "core/verse" => self.rewrap(b, &["pre"], "pre"),
            "core/code" => self.code(b),
            "core/image" => self.image(b),
            "core/gallery" => self.gallery(b),
            "core/embed" => self.embed(b),
            name if name.starts_with("core-embed/") => self.embed(b),
            "core/video" => self.player(b, "video"),
            "core/audio" => self.player(b, "audio"),
            "core/file" => self.file(b),
            "core/table" => self.table(b),
            "core/separator" => "<hr>".to_string(),
            "core/spacer" | "core/more" | "core/nextpage" => String::new(),
            "core/html" | "core/freeform" | "core/shortcode" => concat(&self.segs(b)),
            "core/group" | "core/columns" | "core/column" => {
                self.sequence(&b.inner, &|h| strip_tags(h, WRAPPERS))
            }
            "core/cover" => self.cover(b),
            "core/media-text" => self.media_text(b),
            "core/buttons" => self.buttons(b),
            "core/button" => {
                let link = self.button(b);
                if link.is_empty() {
                    link
                } else {
                    format!("<p>{link}</p>")
                }
            }
            "core/details" => self.details(b),
            "core/footnotes" => {
                let segs = self.segs(b);
                match find_element(&segs, &["ol"]) {
                    Some(ol) if !is_blank(&ol.inner) => format!("<ol>{}</ol>", ol.inner.trim()),
                    _ => String::new(),
                }
            }
            name => {
                self.note_unknown(name);
                let html = concat(&self.segs(b));
                // Dynamic blocks save at most an empty wrapper.
                if shows_something(&html) {
                    html
                } else {
                    String::new()
                }
            }
        };
        out.trim().to_string()
    }

    /// The content of the saved element named one of `names`, in a bare
    /// `<tag>` (keeping only `dir`).
    fn rewrap(&mut self, b: &Block, names: &[&str], tag: &str) -> String {
        let segs = self.segs(b);
        let (dir, inner) = match find_element(&segs, names) {
            Some(el) => (dir_of(el.attrs), el.inner),
            None => (String::new(), concat(&segs)),
        };
        if is_blank(&inner) {
            return String::new();
        }
        // Preformatted text keeps its leading and trailing newlines.
        let inner = if tag == "pre" { &inner } else { inner.trim() };
        format!("<{tag}{dir}>{inner}</{tag}>")
    }

    fn paragraph(&mut self, b: &Block) -> String {
        let segs = self.segs(b);
        let (dir, inner) = match find_element(&segs, &["p"]) {
            Some(el) => (dir_of(el.attrs), el.inner),
            None => (String::new(), concat(&segs)),
        };
        if is_blank(&inner) {
            return String::new();
        }
        let dir = if dir.is_empty() {
            attr_str(&b.attrs, "direction")
                .and_then(valid_dir)
                .map(|d| format!(" dir=\"{d}\""))
                .unwrap_or_default()
        } else {
            dir
        };
        format!("<p{dir}>{}</p>", inner.trim())
    }

    fn heading(&mut self, b: &Block) -> String {
        const LEVELS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];
        let segs = self.segs(b);
        let el = find_element(&segs, LEVELS);
        let level = attr_int(&b.attrs, "level")
            .filter(|l| (1..=6).contains(l))
            .or_else(|| el.as_ref()?.name[1..].parse().ok())
            .unwrap_or(2)
            // The page's own <h1> is the headline: a body heading starts at h2.
            .max(2);
        let (dir, inner) = match el {
            Some(el) => (dir_of(el.attrs), el.inner),
            None => (String::new(), concat(&segs)),
        };
        if is_blank(&inner) {
            return String::new();
        }
        format!("<h{level}{dir}>{}</h{level}>", inner.trim())
    }

    fn list(&mut self, b: &Block) -> String {
        let segs = self.segs(b);
        let el = find_element(&segs, &["ul", "ol"]);
        let ordered = attr_bool(&b.attrs, "ordered")
            .unwrap_or_else(|| el.as_ref().is_some_and(|el| el.name == "ol"));
        let saved = |name: &str| el.as_ref().and_then(|el| attr(el.attrs, name));
        let mut open = String::from(if ordered { "<ol" } else { "<ul" });
        open.push_str(&el.as_ref().map(|el| dir_of(el.attrs)).unwrap_or_default());
        if ordered {
            let start = attr_int(&b.attrs, "start").or_else(|| saved("start")?.trim().parse().ok());
            if let Some(start) = start {
                open.push_str(&format!(" start=\"{start}\""));
            }
            let reversed =
                attr_bool(&b.attrs, "reversed").unwrap_or_else(|| saved("reversed").is_some());
            if reversed {
                open.push_str(" reversed");
            }
        }
        let inner = match el {
            Some(el) => el.inner,
            None => concat(&segs),
        };
        if is_blank(&inner) {
            return String::new();
        }
        let close = if ordered { "</ol>" } else { "</ul>" };
        format!("{open}>{}{close}", inner.trim())
    }

    fn code(&mut self, b: &Block) -> String {
        let segs = self.segs(b);
        let inner = match find_element(&segs, &["code"]).or_else(|| find_element(&segs, &["pre"])) {
            Some(el) => el.inner,
            None => concat(&segs),
        };
        if is_blank(&inner) {
            return String::new();
        }
        format!("<pre><code>{inner}</code></pre>")
    }

    /// An image figure from what was saved, with the attachment's current
    /// URL when `id` resolves, and its alt text and caption where the saved
    /// figure has none.
    fn picture(&self, id: Option<i64>, saved: &SavedImage, href: Option<&str>) -> String {
        let media = self.media(id.or(saved.id));
        let src = match &media {
            Some(m) => Some(esc(m.url.trim())),
            None => saved.src.as_deref().map(requote),
        };
        let alt = match (&saved.alt, &media) {
            (Some(alt), _) => requote(alt),
            (None, Some(m)) => esc(m.alt.trim()),
            (None, None) => String::new(),
        };
        let caption = saved
            .caption
            .as_deref()
            .filter(|c| !is_blank(c))
            .or(media.as_ref().map(|m| m.caption.as_str()));
        figure_html(src.as_deref(), &alt, href.map(requote).as_deref(), caption)
    }

    fn image(&mut self, b: &Block) -> String {
        let html = concat(&self.segs(b));
        let mut saved = saved_image(&html);
        if saved.src.is_none() {
            saved.src = attr_str(&b.attrs, "url").map(esc);
        }
        if saved.alt.is_none() {
            saved.alt = attr_str(&b.attrs, "alt").map(esc);
        }
        // Links to the file or its attachment page point into the old site;
        // only a link an editor chose is worth keeping.
        let href = match attr_str(&b.attrs, "linkDestination") {
            Some("custom") => saved.href.clone(),
            Some(_) => None,
            None => saved.href.clone().filter(|h| {
                Some(crate::plain::decode_entities(h))
                    != saved.src.as_deref().map(crate::plain::decode_entities)
            }),
        };
        self.picture(attr_int(&b.attrs, "id"), &saved, href.as_deref())
    }

    fn gallery(&mut self, b: &Block) -> String {
        let nested = b
            .inner
            .iter()
            .any(|n| matches!(n, Node::Block(c) if c.name == "core/image"));
        let segs = self.segs(b);
        let ids = attr_ids(&b.attrs, "ids");
        let (figures, caption) = if nested {
            let figures: Vec<String> = segs
                .iter()
                .filter_map(|seg| match seg {
                    Seg::Child(h) if !is_blank(h) => Some(h.clone()),
                    _ => None,
                })
                .collect();
            let caption = find_element(&segs, &["figcaption"]).map(|el| el.inner);
            (figures, caption)
        } else {
            let (items, caption) = gallery_items(&concat(&segs));
            let figures: Vec<String> = if items.is_empty() {
                ids.iter()
                    .map(|&id| self.picture(Some(id), &SavedImage::default(), None))
                    .collect()
            } else {
                // Before 5.9 the ids were in the attributes, in the order of
                // the images.
                let by_position = items.len() == ids.len();
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let id = item.id.or(by_position.then(|| ids[i]));
                        self.picture(id, item, None)
                    })
                    .collect()
            };
            (figures, caption)
        };
        let figures: Vec<String> = figures.into_iter().filter(|f| !f.is_empty()).collect();
        if figures.is_empty() {
            if !nested && !ids.is_empty() {
                // Nothing resolved: the shortcode keeps the gallery for the
                // shortcode renderer, or at least for the lint report.
                let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
                return format!("[gallery ids=\"{}\"]", ids.join(","));
            }
            return caption.map(|c| caption_html(Some(&c))).unwrap_or_default();
        }
        format!(
            "<figure>{}{}</figure>",
            figures.join("\n"),
            caption_html(caption.as_deref())
        )
    }

    fn embed(&mut self, b: &Block) -> String {
        let segs = self.segs(b);
        let first_url = |text: String| {
            text.split_whitespace()
                .find(|w| w.starts_with("http://") || w.starts_with("https://"))
                .map(String::from)
        };
        let url = attr_str(&b.attrs, "url").map(String::from).or_else(|| {
            let saved = concat(&segs);
            first_url(text_of(&drop_elements(&saved, "figcaption")))
        });
        let Some(url) = url else {
            return String::new();
        };
        let caption = find_element(&segs, &["figcaption"]).map(|el| el.inner);
        with_caption(
            format!("[embed]{}[/embed]", shortcode_url(&url)),
            caption.as_deref(),
        )
    }

    /// `core/video` and `core/audio` as the `[video]` and `[audio]`
    /// shortcodes, whose renderers build players the sanitiser accepts.
    fn player(&mut self, b: &Block, kind: &str) -> String {
        let segs = self.segs(b);
        let el = find_element(&segs, &[kind]);
        let saved = |name: &str| {
            el.as_ref()
                .and_then(|el| attr(el.attrs, name))
                .and_then(non_empty)
                .map(crate::plain::decode_entities)
        };
        let source = || {
            find_element(&segs, &["source"]).and_then(|s| {
                attr(s.attrs, "src")
                    .and_then(non_empty)
                    .map(crate::plain::decode_entities)
            })
        };
        let src = self
            .media(attr_int(&b.attrs, "id"))
            .map(|m| m.url.trim().to_string())
            .or_else(|| saved("src"))
            .or_else(source)
            .or_else(|| attr_str(&b.attrs, "src").map(String::from));
        let Some(src) = src else {
            return String::new();
        };
        let mut shortcode = format!("[{kind} src=\"{}\"", shortcode_url(&src));
        if kind == "video" {
            if let Some(poster) =
                saved("poster").or_else(|| attr_str(&b.attrs, "poster").map(String::from))
            {
                shortcode.push_str(&format!(" poster=\"{}\"", shortcode_url(&poster)));
            }
        }
        shortcode.push(']');
        let caption = find_element(&segs, &["figcaption"]).map(|el| el.inner);
        with_caption(shortcode, caption.as_deref())
    }

    fn file(&mut self, b: &Block) -> String {
        let html = concat(&self.segs(b));
        let mut link: Option<(Option<&str>, String)> = None;
        let mut pos = 0;
        while let Some(tag) = next_tag(&html, pos) {
            pos = tag.end;
            if tag.name != "a" || tag.close {
                continue;
            }
            let button =
                attr(tag.attrs, "class").is_some_and(|c| c.contains("wp-block-file__button"));
            if !button {
                let inner = element_inner(&[Seg::Own(&html)], 0, tag.end, "a");
                link = Some((attr(tag.attrs, "href").and_then(non_empty), inner));
                break;
            }
        }
        let media = self.media(attr_int(&b.attrs, "id"));
        let href = match (&media, attr_str(&b.attrs, "href"), &link) {
            (Some(m), _, _) => esc(m.url.trim()),
            (None, Some(href), _) => esc(href),
            (None, None, Some((Some(href), _))) => requote(href),
            _ => return String::new(),
        };
        let text = link
            .as_ref()
            .map(|(_, inner)| inner.trim().to_string())
            .filter(|t| !is_blank(t))
            .or_else(|| attr_str(&b.attrs, "fileName").map(esc))
            .unwrap_or_else(|| href.clone());
        format!("<p><a href=\"{href}\">{text}</a></p>")
    }

    fn table(&mut self, b: &Block) -> String {
        let segs = self.segs(b);
        let Some(table) = find_element(&segs, &["table"]) else {
            return concat(&segs);
        };
        if is_blank(&table.inner) {
            return String::new();
        }
        let table = format!("<table>{}</table>", table.inner.trim());
        let caption = caption_html(
            find_element(&segs, &["figcaption"])
                .map(|el| el.inner)
                .as_deref(),
        );
        if caption.is_empty() {
            table
        } else {
            format!("<figure>{table}{caption}</figure>")
        }
    }

    fn own_html(b: &Block) -> String {
        b.inner
            .iter()
            .filter_map(|n| match n {
                Node::Html(h) => Some(h.as_str()),
                Node::Block(_) => None,
            })
            .collect()
    }

    fn cover(&mut self, b: &Block) -> String {
        let mut parts = Vec::new();
        let image_background = attr_str(&b.attrs, "backgroundType").is_none_or(|t| t == "image");
        if let (Some(url), true) = (attr_str(&b.attrs, "url"), image_background) {
            let own = Self::own_html(b);
            let mut saved = saved_image(&own);
            saved.src = Some(esc(url));
            saved.caption = None;
            if let Some(alt) = attr_str(&b.attrs, "alt") {
                saved.alt = Some(esc(alt));
            }
            parts.push(self.picture(attr_int(&b.attrs, "id"), &saved, None));
        }
        parts.push(self.sequence(&b.inner, &|h| strip_tags(h, MEDIA_WRAPPERS)));
        join_parts(parts)
    }

    fn media_text(&mut self, b: &Block) -> String {
        let own = Self::own_html(b);
        let media = self.media(attr_int(&b.attrs, "mediaId"));
        let figure = if attr_str(&b.attrs, "mediaType") == Some("video") {
            let saved = find_element(&[Seg::Own(&own)], &["video"]).and_then(|v| {
                attr(v.attrs, "src")
                    .and_then(non_empty)
                    .map(crate::plain::decode_entities)
            });
            media
                .map(|m| m.url.trim().to_string())
                .or(saved)
                .or_else(|| attr_str(&b.attrs, "mediaUrl").map(String::from))
                .map(|src| format!("[video src=\"{}\"]", shortcode_url(&src)))
                .unwrap_or_default()
        } else {
            let mut saved = saved_image(&own);
            saved.caption = None;
            if saved.src.is_none() {
                saved.src = attr_str(&b.attrs, "mediaUrl").map(esc);
            }
            if saved.alt.is_none() {
                saved.alt = attr_str(&b.attrs, "mediaAlt").map(esc);
            }
            self.picture(attr_int(&b.attrs, "mediaId"), &saved, None)
        };
        let body = self.sequence(&b.inner, &|h| strip_tags(h, MEDIA_WRAPPERS));
        if attr_str(&b.attrs, "mediaPosition") == Some("right") {
            join_parts(vec![body, figure])
        } else {
            join_parts(vec![figure, body])
        }
    }

    fn buttons(&mut self, b: &Block) -> String {
        let mut links = Vec::new();
        for node in &b.inner {
            let Node::Block(child) = node else { continue };
            let link = if child.name == "core/button" {
                self.button(child)
            } else {
                self.block(child)
            };
            if !is_blank(&link) {
                links.push(link);
            }
        }
        if links.is_empty() {
            String::new()
        } else {
            format!("<p>{}</p>", links.join(" "))
        }
    }

    /// A button as the link it is, or its text when it links nowhere.
    fn button(&mut self, b: &Block) -> String {
        let segs = self.segs(b);
        let (href, inner) = match find_element(&segs, &["a"]) {
            Some(a) => (attr(a.attrs, "href").and_then(non_empty), a.inner),
            None => match find_element(&segs, &["button"]) {
                Some(button) => (None, button.inner),
                None => (None, strip_tags(&concat(&segs), WRAPPERS)),
            },
        };
        let text = inner.trim();
        if is_blank(text) {
            return String::new();
        }
        match href {
            Some(href) => format!("<a href=\"{}\">{text}</a>", requote(href)),
            None => text.to_string(),
        }
    }

    fn details(&mut self, b: &Block) -> String {
        let own = Self::own_html(b);
        let summary = find_element(&[Seg::Own(&own)], &["summary"])
            .map(|s| s.inner)
            .filter(|s| !is_blank(s))
            .map(|s| format!("<p><strong>{}</strong></p>", s.trim()))
            .unwrap_or_default();
        let body = self.sequence(&b.inner, &|h| {
            strip_tags(&drop_elements(h, "summary"), &["details", "div", "span"])
        });
        join_parts(vec![summary, body])
    }
}

/// Whether `html` has text or an element that shows without any.
fn shows_something(html: &str) -> bool {
    const VISIBLE: &[&str] = &[
        "img", "picture", "svg", "video", "audio", "iframe", "object", "embed", "canvas", "hr",
        "input", "select", "textarea", "button",
    ];
    if !text_of(html).trim().is_empty() {
        return true;
    }
    let mut pos = 0;
    while let Some(tag) = next_tag(html, pos) {
        if VISIBLE.contains(&tag.name.as_str()) {
            return true;
        }
        pos = tag.end;
    }
    false
}

fn join_parts(parts: Vec<String>) -> String {
    parts
        .into_iter()
        .filter(|p| !is_blank(p))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The images of a gallery saved before WordPress 5.9, which had no inner
/// blocks, and the gallery's own caption.
fn gallery_items(html: &str) -> (Vec<SavedImage>, Option<String>) {
    let mut items: Vec<SavedImage> = Vec::new();
    let mut caption = None;
    let mut pos = 0;
    while let Some(tag) = next_tag(html, pos) {
        pos = tag.end;
        if tag.close {
            continue;
        }
        match tag.name.as_str() {
            "img" => items.push(SavedImage {
                src: attr(tag.attrs, "src").and_then(non_empty).map(String::from),
                alt: attr(tag.attrs, "alt").and_then(non_empty).map(String::from),
                id: image_id(tag.attrs),
                ..SavedImage::default()
            }),
            "figcaption" => {
                let inner = element_inner(&[Seg::Own(html)], 0, tag.end, "figcaption");
                let of_gallery =
                    attr(tag.attrs, "class").is_some_and(|c| c.contains("blocks-gallery-caption"));
                match items.last_mut() {
                    Some(item) if !of_gallery && item.caption.is_none() => {
                        item.caption = non_empty(&inner).map(String::from);
                    }
                    _ => caption = non_empty(&inner).map(String::from),
                }
            }
            _ => {}
        }
    }
    (items, caption)
}
