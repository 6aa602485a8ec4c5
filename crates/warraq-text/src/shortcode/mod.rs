//! WordPress shortcodes: parse, expand, strip and lint them.
//!
//! Newsrooms that leave WordPress bring thousands of article bodies full of
//! `[caption]`, `[gallery]`, `[embed]` and page-builder wrappers such as
//! `[vc_row][vc_column][vc_column_text]…[/vc_column_text][/vc_column][/vc_row]`.
//! This module reads them the way WordPress does — the same regex
//! (`get_shortcode_regex()`), the same attribute parser
//! (`shortcode_parse_atts()`), the same handling of HTML around them
//! (`do_shortcodes_in_html_tags()`) — but into a tree instead of straight into
//! output, so that warraq can render the shortcodes it knows, unwrap the ones
//! it does not, and report both.
//!
//! ```
//! use warraq_text::shortcode::{expand, parse_with_unknown, problems, strip};
//!
//! let registered = |name: &str| name == "caption";
//! let body = "[vc_row][caption align=\"alignright\"]صورة من حمص[/caption][/vc_row]";
//! let nodes = parse_with_unknown(body, &registered);
//! let html = expand(&nodes, &mut |sc, content| {
//!     let class = sc.attr("align").unwrap_or("");
//!     format!("<figure class=\"{class}\">{}</figure>", content.unwrap_or(""))
//! });
//! assert_eq!(html, "<figure class=\"alignright\">صورة من حمص</figure>");
//! assert_eq!(strip(body, &registered), "صورة من حمص");
//! assert_eq!(problems(body, &registered)[0].name, "vc_row");
//! ```
//!
//! # Syntax, as WordPress reads it
//!
//! * `[name]`, `[name /]`, `[name attrs]…[/name]`. Content ends at the
//!   **first** `[/name]` after the tag, so `[a][a]x[/a][/a]` is `a` holding
//!   `[a]x` (the inner `a` is self-closing) followed by a stray `[/a]`. A tag
//!   with no closing tag later on is self-closing.
//! * `[[name]]` and `[[name]…[/name]]` are escapes: they stand for the text
//!   between the outer brackets, unparsed. `[[name]` alone is a `[` followed
//!   by the shortcode.
//! * Names are case-sensitive and match as whole words: the name may not be
//!   followed by a letter, digit, `_` or `-`, so `[foo-bar]` is never `[foo]`.
//!   Only names for which the `registered` predicate returns true are
//!   shortcodes, and (like `do_shortcode()`) only those that also occur in the
//!   text as a complete name after some `[`: `[foo.bar]` is the shortcode
//!   `foo` with the attribute `.bar` only when `[foo` followed by a space,
//!   `]`, `/`, … occurs somewhere too.
//! * The attribute text runs to the first `]` (a `/` just before it makes the
//!   tag self-closing, which is why `[x url=http://a/]` loses the final `/`).
//!   It is parsed by [`parse_attributes`]: `a="x"`, `a='x'`, `a=x`, `"x"`,
//!   `'x'` and `x`; names lower-cased; U+00A0 and U+200B count as spaces; PHP
//!   `stripcslashes()` on values; a value with an unclosed `<` is emptied.
//! * Square brackets inside HTML comments, CDATA and tags are invisible to
//!   the main pass; shortcodes inside a tag's attributes are read one
//!   attribute at a time (`<a href="[url]">`), those inside comments never.
//!
//! # Unknown shortcodes
//!
//! A migrated body uses shortcodes of plugins warraq does not have. In the
//! unknown-aware mode ([`parse_with_unknown`], and [`expand`], [`strip`],
//! [`problems`] on its output) an unregistered name is an *unknown
//! shortcode* when its name is ASCII (`[A-Za-z][A-Za-z0-9_-]*`) and the tag
//! has a `name=value` attribute, a matching closing tag, or a `_` or `-` in
//! its name. So `[vc_row]`, `[slider alias="home"]` and `[note]…[/note]` are
//! unknown shortcodes, while `“[sic]”`, `[1]`, `[…]`, `[عاجل]` and
//! `[the minister]` stay text. An unknown tag's attribute text may not contain
//! a `[` (that would let it swallow the article up to some later `]`). A
//! closing tag that closes nothing, `[/vc_row]` alone, is a
//! [`Node::StrayClosing`] when its name is registered or shortcode-shaped.
//!
//! Unknown self-closing shortcodes and stray closing tags render as nothing;
//! unknown enclosing ones render as their content, so a body wrapped in
//! page-builder tags keeps every word.
//!
//! # Where this differs from WordPress, on purpose
//!
//! * The output is a tree. A renderer gets each shortcode's content already
//!   expanded; WordPress hands callbacks the raw content and most of them call
//!   `do_shortcode()` on it, which is the same thing. Shortcode output is never
//!   scanned again.
//! * Self-closing and empty enclosing tags are told apart (`content: None`
//!   and `Some(vec![])`). WordPress passes `''` for both: its regex always
//!   reports the content group, matched or not.
//! * When several registered names could match at one place (`foo` and
//!   `foo.bar` at `[foo.bar]`), the longest wins; WordPress takes whichever
//!   was registered first.
//! * Shortcodes inside a tag attribute that is itself inside another
//!   shortcode's attributes are left as text in that attribute value.
//!   Shortcodes inside quoted HTML attributes are always expanded; WordPress
//!   runs their output through KSES and keeps the shortcode unexpanded when
//!   KSES rejects it (an attribute it does not allow, a bad URL). Here the
//!   body sanitiser runs after expansion instead.
//! * Text is kept byte for byte: WordPress rewrites the entities `&#91;` and
//!   `&#93;` to `&#091;` and `&#093;` on the way through.
//! * A name that WordPress would take as an integer array key (`[x 1="a"]`)
//!   lands among the positional values, as in WordPress, but positional
//!   values are listed in order without their integer keys.
//! * Nesting deeper than 100 enclosing levels (100 distinct names inside
//!   each other) is read flat beyond that depth.
//!
//! Nothing here panics on any input. The scanner works from sorted lists of
//! bracket positions with binary searches, so the work grows as n log n in
//! the length of the input (a megabyte of `[` takes milliseconds), not with
//! the square of it as a naive scan for closing tags would.

mod atts;
mod html;
mod parser;

use std::collections::HashMap;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

pub use atts::{parse_attributes, Attributes};

use parser::{EventKind, Mode, Parser};

/// A piece of a parsed body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Literal text, including everything that is not a shortcode and the
    /// inside of escaped `[[…]]` shortcodes.
    Text(String),
    /// A shortcode, known or unknown.
    Shortcode(Shortcode),
    /// A closing tag `[/name]` with no opening tag, in the unknown-aware mode
    /// only. Renders as nothing.
    StrayClosing(String),
}

/// One shortcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    /// The name as written (names are case-sensitive).
    pub name: String,
    /// Named attributes in order of first appearance, names lower-cased. A
    /// name given twice keeps its first place and its last value.
    pub attrs: Vec<(String, String)>,
    /// Attributes without a name, in order.
    pub positional: Vec<String>,
    /// `None` for a self-closing tag; the parsed content for an enclosing one
    /// (empty for `[a][/a]`).
    pub content: Option<Vec<Node>>,
    /// Whether the name is registered. Unknown shortcodes only come out of
    /// the unknown-aware mode.
    pub known: bool,
}

impl Shortcode {
    /// The value of a named attribute (`name` in lower case).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A parsed body, for serialisation:
/// `{"nodes":[{"type":"text","text":"…"},{"type":"shortcode","name":"…",
/// "attrs":{"name":"value"},"positional":["…"],"content":null|[…]}]}`.
/// Stray closing tags serialise as `{"type":"stray_closing","name":"…"}`.
/// Whether a shortcode is known is not part of the JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    pub nodes: Vec<Node>,
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Text(text) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", "text")?;
                map.serialize_entry("text", text)?;
                map.end()
            }
            Node::Shortcode(sc) => {
                let mut map = serializer.serialize_map(Some(5))?;
                map.serialize_entry("type", "shortcode")?;
                map.serialize_entry("name", &sc.name)?;
                map.serialize_entry("attrs", &AttrMap(&sc.attrs))?;
                map.serialize_entry("positional", &sc.positional)?;
                map.serialize_entry("content", &sc.content)?;
                map.end()
            }
            Node::StrayClosing(name) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", "stray_closing")?;
                map.serialize_entry("name", name)?;
                map.end()
            }
        }
    }
}

/// Attributes as a JSON object, in order.
struct AttrMap<'a>(&'a [(String, String)]);

impl Serialize for AttrMap<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// Parses `input` exactly as WordPress's `do_shortcode()` would find its
/// shortcodes: only names for which `registered` returns true are shortcodes
/// (all with `known: true`), everything else is text.
pub fn parse(input: &str, registered: &dyn Fn(&str) -> bool) -> Vec<Node> {
    Parser::new(registered, Mode::WordPress).parse(input)
}

/// Parses `input` like [`parse`], and also recognises unknown shortcodes
/// (`known: false`) and stray closing tags, by the rules in the
/// [module documentation](self).
pub fn parse_with_unknown(input: &str, registered: &dyn Fn(&str) -> bool) -> Vec<Node> {
    Parser::new(registered, Mode::WithUnknown).parse(input)
}

/// Turns a parsed body back into text. `render` is called for every known
/// shortcode, innermost first, with the shortcode and its content already
/// expanded (`None` for a self-closing tag); its return value replaces the
/// shortcode. Unknown self-closing shortcodes and stray closing tags become
/// nothing, unknown enclosing shortcodes become their expanded content.
pub fn expand(
    nodes: &[Node],
    render: &mut dyn FnMut(&Shortcode, Option<&str>) -> String,
) -> String {
    let mut out = String::new();
    expand_into(nodes, render, &mut out);
    out
}

fn expand_into(
    nodes: &[Node],
    render: &mut dyn FnMut(&Shortcode, Option<&str>) -> String,
    out: &mut String,
) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::StrayClosing(_) => {}
            Node::Shortcode(sc) => {
                let content = sc.content.as_ref().map(|nodes| expand(nodes, render));
                if sc.known {
                    out.push_str(&render(sc, content.as_deref()));
                } else if let Some(content) = content {
                    out.push_str(&content);
                }
            }
        }
    }
}

/// `input` with every known and unknown shortcode and every stray closing tag
/// removed; enclosing shortcodes leave their content. For clean text. Unlike
/// WordPress's `strip_shortcodes()`, which drops the content of enclosing
/// shortcodes too (and leaves shortcodes inside HTML tags alone), no word of
/// the body is lost and no shortcode is left.
pub fn strip(input: &str, registered: &dyn Fn(&str) -> bool) -> String {
    let nodes = parse_with_unknown(input, registered);
    expand(&nodes, &mut |_, content| {
        content.unwrap_or_default().to_string()
    })
}

/// What is wrong with the shortcodes of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A shortcode whose name is not registered: it will be unwrapped.
    UnknownShortcode,
    /// A closing tag that closes nothing, such as `[/vc_row]` alone.
    StrayClosingTag,
    /// An opening bracket with a shortcode name that has no `]` before the
    /// next `[` or the end, such as `[vc_row css=".x"` followed by the article:
    /// an unknown one stays text, a registered one takes everything up to
    /// the next `]` as its attributes, as in WordPress.
    UnclosedTag,
}

/// One kind of problem with one name, counted over the whole body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    pub name: String,
    pub count: usize,
    /// Byte offset in the input of the first occurrence.
    pub first_offset: usize,
}

/// The unknown shortcodes, stray closing tags and unclosed tags of `input`,
/// one entry per kind and name, in order of first occurrence.
pub fn problems(input: &str, registered: &dyn Fn(&str) -> bool) -> Vec<Problem> {
    let mut parser = Parser::new(registered, Mode::WithUnknown);
    parser.parse(input);
    let mut found: Vec<Problem> = Vec::new();
    let mut index: HashMap<(ProblemKind, String), usize> = HashMap::new();
    let mut events = parser.events;
    events.sort_by_key(|e| e.offset);
    for event in events {
        let kind = match event.kind {
            EventKind::Unknown => ProblemKind::UnknownShortcode,
            EventKind::Stray => ProblemKind::StrayClosingTag,
            EventKind::Unclosed => ProblemKind::UnclosedTag,
        };
        match index.get(&(kind, event.name.clone())) {
            Some(&i) => found[i].count += 1,
            None => {
                index.insert((kind, event.name.clone()), found.len());
                found.push(Problem {
                    kind,
                    name: event.name,
                    count: 1,
                    first_offset: event.offset,
                });
            }
        }
    }
    found
}
