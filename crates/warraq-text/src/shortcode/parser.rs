//! The scanner behind [`parse`](super::parse): WordPress's shortcode regex
//! (`get_shortcode_regex()`) and the `do_shortcode()` loop around it, without
//! a regex engine.
//!
//! The regex, per registered name, is
//!
//! ```text
//! \[ (\[?) (name) (?![\w-]) ( [^\]/]* (?: /(?!\]) [^\]/]* )*? )
//!    (?: (/) \] | \] (?: ( [^\[]*+ (?: \[(?!/name\]) [^\[]*+ )*+ ) \[/name\] )? ) (\]?)
//! ```
//!
//! Read as a procedure, at an opening bracket: an optional second `[`; the
//! longest registered name, not followed by `[A-Za-z0-9_-]`; the attribute
//! text, which runs to the first `]` (a `/` right before that `]` makes the
//! tag self-closing); then, unless self-closing, the content up to the
//! *first* `[/name]` after the tag, if there is one (otherwise the tag is
//! self-closing after all); then an optional `]`. `[[…]]` with both extra
//! brackets is an escape. Every step is deterministic, so the scanner only
//! needs sorted lists of bracket positions and a binary search per step,
//! which keeps it linear-logarithmic on any input.
//!
//! `do_shortcode()` only puts names in the regex that occur right after some
//! `[` in the content as a whole run of name bytes, and it runs again on each
//! shortcode's content (the callback calls it), with names recomputed from
//! that content. [`Scope`] carries that.

use std::collections::{HashMap, HashSet};

use super::atts::{is_name_byte, parse_attributes, Attributes};
use super::html::{self, ElementKind};
use super::{Node, Shortcode};

/// Deepest nesting of enclosing shortcodes kept as a tree. Each level needs a
/// different name (content ends at the first closing tag of its own name), so
/// only a document with more than this many distinct names nested inside each
/// other reaches it; deeper tags are then read as self-closing and their
/// closing tags as stray. Bounding the depth bounds recursion everywhere.
pub(crate) const MAX_DEPTH: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Registered names only, exactly as WordPress.
    WordPress,
    /// Registered names plus unknown shortcodes and stray closing tags.
    WithUnknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum EventKind {
    Unknown,
    Stray,
    Unclosed,
}

/// Something `problems()` reports, at a byte offset of the input.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub kind: EventKind,
    pub name: String,
    pub offset: usize,
}

/// Bytes allowed in a shortcode name, `[^<>&/\[\]\x00-\x20=]`: WordPress
/// refuses to register a name with any other, and finds candidate names in
/// content as maximal runs of these after a `[`.
fn is_tag_byte(b: u8) -> bool {
    !matches!(b, b'<' | b'>' | b'&' | b'/' | b'[' | b']' | b'=' | 0..=0x20)
}

/// What an unregistered name must look like to be an unknown shortcode:
/// ASCII, a letter first, then letters, digits, `_` or `-`.
pub(crate) fn unknown_shape(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty() && b[0].is_ascii_alphabetic() && b.iter().all(|&c| is_name_byte(c))
}

/// Registered names found after a `[`, with the positions of those brackets.
#[derive(Default)]
struct Names<'s> {
    /// Every `[`, as `do_shortcode()` sees the content it was given.
    all: HashMap<&'s str, Vec<usize>>,
    /// Only brackets outside HTML elements: what a nested `do_shortcode()`
    /// on a shortcode's content sees, since the outer call has hidden the
    /// others by then.
    live: HashMap<&'s str, Vec<usize>>,
    lens: HashSet<usize>,
    max_len: usize,
}

/// Which names the regex holds at one level: registered names that occur in
/// `lo..hi` of the root they were collected from.
#[derive(Clone, Copy)]
struct Scope<'a, 's> {
    names: &'a Names<'s>,
    live: bool,
    lo: usize,
    hi: usize,
}

impl Scope<'_, '_> {
    fn holds(&self, name: &str) -> bool {
        let map = if self.live {
            &self.names.live
        } else {
            &self.names.all
        };
        map.get(name).is_some_and(|at| {
            let i = at.partition_point(|&p| p < self.lo);
            at.get(i).is_some_and(|&p| p < self.hi)
        })
    }
}

/// One string the scanner runs over: the input, or a piece of an HTML tag
/// that WordPress scans on its own.
struct Root<'s> {
    src: &'s str,
    /// Where `src` starts in the input, for problem offsets.
    base: usize,
    /// A piece of a tag, scanned without looking for HTML in it. The content
    /// of a shortcode found in it gets a [`Parser::fresh`] pass of its own,
    /// as the callback's `do_shortcode()` would.
    raw: bool,
    /// Brackets inside HTML elements, which the main pass does not see.
    /// Empty when there are none.
    inert: Vec<bool>,
    opens: Vec<usize>,
    closes: Vec<usize>,
    names: Names<'s>,
    /// Positions of `[/name]` (both brackets visible), by name.
    closers: HashMap<&'s str, Vec<usize>>,
}

impl<'s> Root<'s> {
    fn is_inert(&self, i: usize) -> bool {
        self.inert.get(i).copied().unwrap_or(false)
    }

    fn has_open_between(&self, lo: usize, hi: usize) -> bool {
        let i = self.opens.partition_point(|&p| p <= lo);
        self.opens.get(i).is_some_and(|&p| p < hi)
    }

    fn closer_after(&self, name: &str, from: usize, hi: usize) -> Option<usize> {
        let at = self.closers.get(name)?;
        let c = *at.get(at.partition_point(|&p| p < from))?;
        (c + name.len() + 3 <= hi).then_some(c)
    }

    fn run_end(&self, from: usize, hi: usize) -> usize {
        let b = self.src.as_bytes();
        let mut e = from;
        while e < hi && is_tag_byte(b[e]) {
            e += 1;
        }
        e
    }
}

/// Sub-trees parsed from inside HTML tags, spliced into the text that holds
/// them.
#[derive(Default)]
struct Segments {
    ranges: Vec<(usize, usize)>,
    nodes: Vec<Option<Vec<Node>>>,
    /// What parsing each piece found, reported only if the piece ends up in
    /// the tree (not swallowed by another shortcode's attribute text).
    events: Vec<Vec<Event>>,
}

/// Builds a node list, merging adjacent text.
#[derive(Default)]
struct Sink {
    nodes: Vec<Node>,
}

impl Sink {
    fn text(&mut self, t: &str) {
        if t.is_empty() {
            return;
        }
        if let Some(Node::Text(last)) = self.nodes.last_mut() {
            last.push_str(t);
        } else {
            self.nodes.push(Node::Text(t.to_string()));
        }
    }

    fn push(&mut self, node: Node) {
        match node {
            Node::Text(t) => self.text(&t),
            other => self.nodes.push(other),
        }
    }
}

enum Found {
    /// `[[…]]`: the text between the outer brackets, as it stands.
    Escaped { lo: usize, hi: usize },
    /// A closing tag that closes nothing (unknown mode only).
    Stray { lo: usize, hi: usize },
    Tag {
        extra_open: bool,
        extra_close: bool,
        name: (usize, usize),
        known: bool,
        attrs: Attributes,
        content: Option<(usize, usize)>,
    },
}

struct Match {
    end: usize,
    found: Found,
}

pub(crate) struct Parser<'r> {
    registered: &'r dyn Fn(&str) -> bool,
    mode: Mode,
    cache: HashMap<String, bool>,
    pub events: Vec<Event>,
}

impl<'r> Parser<'r> {
    pub fn new(registered: &'r dyn Fn(&str) -> bool, mode: Mode) -> Self {
        Parser {
            registered,
            mode,
            cache: HashMap::new(),
            events: Vec::new(),
        }
    }

    pub fn parse(&mut self, input: &str) -> Vec<Node> {
        self.fresh(input, 0, 0)
    }

    /// One `do_shortcode()` call on `src`, which starts at `base` in the
    /// input: names from all of `src`, HTML elements hidden, and the pieces
    /// of tags that hold shortcodes scanned on their own.
    fn fresh(&mut self, src: &str, base: usize, depth: usize) -> Vec<Node> {
        if !src.contains('[') {
            let mut out = Sink::default();
            out.text(src);
            return out.nodes;
        }
        let (root, ranges) = self.root(src, base, true);
        let top = Scope {
            names: &root.names,
            live: false,
            lo: 0,
            hi: src.len(),
        };
        // `do_shortcodes_in_html_tags()`: pieces of tags are scanned on
        // their own, with the names of the whole content.
        let mut segments = Segments::default();
        for &(s, e) in &ranges {
            let before = self.events.len();
            let (piece, _) = self.root(&src[s..e], base + s, false);
            let nodes = self.level(&piece, &mut Segments::default(), 0, e - s, depth, top);
            segments.nodes.push(Some(nodes));
            segments.events.push(self.events.split_off(before));
        }
        segments.ranges = ranges;
        self.level(&root, &mut segments, 0, src.len(), depth, top)
    }

    fn is_registered(&mut self, name: &str) -> bool {
        if let Some(&known) = self.cache.get(name) {
            return known;
        }
        let known = (self.registered)(name);
        self.cache.insert(name.to_string(), known);
        known
    }

    /// Indexes `src`. With `html`, also finds its HTML elements, hides their
    /// brackets and returns the ranges inside tags to scan separately.
    fn root<'s>(
        &mut self,
        src: &'s str,
        base: usize,
        html: bool,
    ) -> (Root<'s>, Vec<(usize, usize)>) {
        let b = src.as_bytes();
        let n = b.len();
        let mut inert = Vec::new();
        let mut pieces = Vec::new();
        if html && src.contains('<') {
            inert = vec![false; n];
            for (s, e, kind) in html::elements(src) {
                let element = &src[s..e];
                let mut opens = false;
                let mut closes = false;
                for (i, &c) in b[s..e].iter().enumerate() {
                    if c == b'[' || c == b']' {
                        inert[s + i] = true;
                        opens |= c == b'[';
                        closes |= c == b']';
                    }
                }
                if !(opens && closes) || kind != ElementKind::Tag {
                    continue;
                }
                match html::attribute_ranges(element) {
                    Some(attributes) => {
                        for (ts, te) in attributes {
                            let attribute = &element[ts..te];
                            if attribute.contains('[') && attribute.contains(']') {
                                pieces.push((s + ts, s + te));
                            }
                        }
                    }
                    None if html::starts_with_bracketed_name(element) => pieces.push((s, e)),
                    None => {}
                }
            }
        }
        let visible = |i: usize| inert.get(i).is_none_or(|&hidden| !hidden);
        let mut opens = Vec::new();
        let mut closes = Vec::new();
        let mut names = Names::default();
        let mut closers: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, &c) in b.iter().enumerate() {
            match c {
                b']' if visible(i) => closes.push(i),
                b'[' => {
                    let mut e = i + 1;
                    while e < n && is_tag_byte(b[e]) {
                        e += 1;
                    }
                    if e > i + 1 && self.is_registered(&src[i + 1..e]) {
                        let name = &src[i + 1..e];
                        names.all.entry(name).or_default().push(i);
                        if visible(i) {
                            names.live.entry(name).or_default().push(i);
                        }
                        names.lens.insert(name.len());
                        names.max_len = names.max_len.max(name.len());
                    }
                    if visible(i) {
                        opens.push(i);
                        if b.get(i + 1) == Some(&b'/') {
                            let mut e = i + 2;
                            while e < n && is_tag_byte(b[e]) {
                                e += 1;
                            }
                            if e > i + 2 && e < n && b[e] == b']' && visible(e) {
                                closers.entry(&src[i + 2..e]).or_default().push(i);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let root = Root {
            src,
            base,
            raw: !html,
            inert,
            opens,
            closes,
            names,
            closers,
        };
        (root, pieces)
    }

    /// One `do_shortcode()` pass over `lo..hi` of `root`.
    fn level(
        &mut self,
        root: &Root,
        segments: &mut Segments,
        lo: usize,
        hi: usize,
        depth: usize,
        scope: Scope,
    ) -> Vec<Node> {
        let mut out = Sink::default();
        let mut text_from = lo;
        let mut i = root.opens.partition_point(|&p| p < lo);
        while let Some(&p) = root.opens.get(i) {
            if p >= hi {
                break;
            }
            match self.match_at(root, p, hi, depth, scope) {
                None => i += 1,
                Some(m) => {
                    emit_text(root, segments, &mut out, &mut self.events, text_from, p);
                    let end = m.end;
                    self.emit(root, segments, &mut out, p, m.found, depth);
                    text_from = end;
                    i = root.opens.partition_point(|&q| q < end);
                }
            }
        }
        emit_text(root, segments, &mut out, &mut self.events, text_from, hi);
        out.nodes
    }

    fn emit(
        &mut self,
        root: &Root,
        segments: &mut Segments,
        out: &mut Sink,
        at: usize,
        found: Found,
        depth: usize,
    ) {
        match found {
            Found::Escaped { lo, hi } => emit_text(root, segments, out, &mut self.events, lo, hi),
            Found::Stray { lo, hi } => {
                let name = root.src[lo..hi].to_string();
                self.event(EventKind::Stray, &name, root.base + at);
                out.push(Node::StrayClosing(name));
            }
            Found::Tag {
                extra_open,
                extra_close,
                name,
                known,
                attrs,
                content,
            } => {
                let name = root.src[name.0..name.1].to_string();
                if !known {
                    self.event(EventKind::Unknown, &name, root.base + at);
                }
                if extra_open {
                    out.text("[");
                }
                let content = content.map(|(lo, hi)| {
                    if root.raw {
                        return self.fresh(&root.src[lo..hi], root.base + lo, depth + 1);
                    }
                    let scope = Scope {
                        names: &root.names,
                        live: true,
                        lo,
                        hi,
                    };
                    self.level(root, segments, lo, hi, depth + 1, scope)
                });
                out.push(Node::Shortcode(Shortcode {
                    name,
                    attrs: attrs.named,
                    positional: attrs.positional,
                    content,
                    known,
                }));
                if extra_close {
                    out.text("]");
                }
            }
        }
    }

    fn event(&mut self, kind: EventKind, name: &str, offset: usize) {
        self.events.push(Event {
            kind,
            name: name.to_string(),
            offset,
        });
    }

    /// The regex, anchored at the `[` at `p`.
    fn match_at(
        &mut self,
        root: &Root,
        p: usize,
        hi: usize,
        depth: usize,
        scope: Scope,
    ) -> Option<Match> {
        let b = root.src.as_bytes();
        let extra_open = p + 1 < hi && b[p + 1] == b'[' && !root.is_inert(p + 1);
        let name_start = if extra_open { p + 2 } else { p + 1 };
        let run_end = root.run_end(name_start.min(hi), hi);
        let (name_end, known) = match known_name_end(root, name_start, run_end, scope) {
            Some(end) => (end, true),
            None if self.mode == Mode::WithUnknown
                && run_end > name_start
                && unknown_shape(&root.src[name_start..run_end])
                && !self.is_registered(&root.src[name_start..run_end]) =>
            {
                (run_end, false)
            }
            None => return self.stray_at(root, p, hi),
        };
        let name = &root.src[name_start..name_end];

        // The attribute text runs to the first visible `]`.
        let q = match root
            .closes
            .get(root.closes.partition_point(|&c| c < name_end))
        {
            Some(&q) if q < hi => q,
            _ => {
                self.unclosed(root, p, name_start, name_end, hi, known);
                return None;
            }
        };
        if root.has_open_between(name_end, q) {
            self.unclosed(root, p, name_start, name_end, hi, known);
            if !known {
                // An unknown tag never swallows a `[`: that would take the
                // text up to some later `]` for its attributes.
                return None;
            }
        }
        let self_closing = q > name_end && b[q - 1] == b'/';
        let attrs = parse_attributes(&root.src[name_end..if self_closing { q - 1 } else { q }]);
        let mut end = q + 1;
        let mut content = None;
        if !self_closing && depth < MAX_DEPTH {
            if let Some(c) = root.closer_after(name, q + 1, hi) {
                content = Some((q + 1, c));
                end = c + name.len() + 3;
            }
        }
        let extra_close = end < hi && b[end] == b']' && !root.is_inert(end);
        if extra_close {
            end += 1;
        }
        if !known && attrs.named.is_empty() && content.is_none() && !name.contains(['_', '-']) {
            return None;
        }
        let found = if extra_open && extra_close {
            Found::Escaped {
                lo: p + 1,
                hi: end - 1,
            }
        } else {
            Found::Tag {
                extra_open,
                extra_close,
                name: (name_start, name_end),
                known,
                attrs,
                content,
            }
        };
        Some(Match { end, found })
    }

    /// `[/name]` that closes nothing, for a registered or shortcode-shaped
    /// name. WordPress leaves it as text; the unknown mode takes it out.
    fn stray_at(&mut self, root: &Root, p: usize, hi: usize) -> Option<Match> {
        let b = root.src.as_bytes();
        if self.mode != Mode::WithUnknown || p + 1 >= hi || b[p + 1] != b'/' {
            return None;
        }
        let lo = p + 2;
        let end = root.run_end(lo, hi);
        if end == lo || end >= hi || b[end] != b']' || root.is_inert(end) {
            return None;
        }
        let name = &root.src[lo..end];
        if !(unknown_shape(name) || self.is_registered(name)) {
            return None;
        }
        Some(Match {
            end: end + 1,
            found: Found::Stray { lo, hi: end },
        })
    }

    /// Records a tag that opens but does not close before the next `[`.
    fn unclosed(
        &mut self,
        root: &Root,
        p: usize,
        name_start: usize,
        name_end: usize,
        hi: usize,
        known: bool,
    ) {
        let name = &root.src[name_start..name_end];
        let looks_like_one = known || name.contains(['_', '-']) || {
            let i = root.opens.partition_point(|&o| o <= name_end);
            let stop = root.opens.get(i).map_or(hi, |&o| o.min(hi));
            !parse_attributes(&root.src[name_end..stop]).named.is_empty()
        };
        if looks_like_one {
            self.event(EventKind::Unclosed, name, root.base + p);
        }
    }
}

/// The end of the longest name in `scope` that starts at `start`, lies within
/// the run of name bytes `start..run_end` and is not followed by `[\w-]`.
fn known_name_end(root: &Root, start: usize, run_end: usize, scope: Scope) -> Option<usize> {
    let names = scope.names;
    let b = root.src.as_bytes();
    let longest = (run_end.saturating_sub(start)).min(names.max_len);
    (1..=longest).rev().find_map(|len| {
        let end = start + len;
        let whole_word = end == run_end || !is_name_byte(b[end]);
        let fits = whole_word && names.lens.contains(&len) && root.src.is_char_boundary(end);
        (fits && scope.holds(&root.src[start..end])).then_some(end)
    })
}

/// Text of `lo..hi`, with the sub-trees of any tag pieces inside it.
fn emit_text(
    root: &Root,
    segments: &mut Segments,
    out: &mut Sink,
    events: &mut Vec<Event>,
    lo: usize,
    hi: usize,
) {
    let mut from = lo;
    let mut i = segments.ranges.partition_point(|r| r.0 < lo);
    while let Some(&(s, e)) = segments.ranges.get(i) {
        if e > hi {
            break;
        }
        out.text(&root.src[from..s]);
        for node in segments.nodes[i].take().unwrap_or_default() {
            out.push(node);
        }
        if let Some(found) = segments.events.get_mut(i) {
            events.append(found);
        }
        from = e;
        i += 1;
    }
    out.text(&root.src[from..hi]);
}
