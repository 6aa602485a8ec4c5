//! Property tests for `warraq_text::shortcode`: nothing panics, nothing is
//! invented, and no shortcode bracket survives expansion or stripping.

use proptest::prelude::*;
use warraq_text::shortcode::{
    expand, parse, parse_with_unknown, problems, strip, Document, Node, Shortcode,
};

const REGISTERED: &[&str] = &["caption", "gallery", "a", "b", "صورة", "contact-form-7"];
const UNKNOWN: &[&str] = &[
    "vc_row",
    "vc_column",
    "vc_column_text",
    "rev_slider",
    "ad-slot",
];

fn registered(name: &str) -> bool {
    REGISTERED.contains(&name)
}

/// Pieces that make the scanner work: brackets, slashes, quotes, equals
/// signs, names (registered, unknown, neither), Arabic letters, HTML.
const FRAGMENTS: &[&str] = &[
    "[",
    "]",
    "[[",
    "]]",
    "/",
    "/]",
    "[/",
    "\"",
    "'",
    "=",
    " ",
    " ",
    "\n",
    "\u{a0}",
    "\u{200b}",
    "<",
    ">",
    "<!--",
    "-->",
    "<p>",
    "<a href=\"",
    "\\",
    "a",
    "b",
    "caption",
    "gallery",
    "vc_row",
    "vc_column",
    "x",
    "sic",
    "1",
    "-",
    "_",
    "ن",
    "ص",
    "و",
    "رة",
    "صورة",
    "كلمة",
    "٣",
    "x=\"1\"",
    "y='2'",
    "z=3",
    "[a]",
    "[/a]",
    "[b ",
    "[/b]",
    "[caption id=\"1\"]",
    "[/caption]",
    "[vc_row]",
    "[/vc_row]",
    "[[a]]",
];

fn fragments() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80).prop_map(|v| v.concat())
}

fn render(sc: &Shortcode, content: Option<&str>) -> String {
    format!("{{{}:{}}}", sc.name, content.unwrap_or(""))
}

/// Runs every entry point; none may panic.
fn exercise(input: &str) {
    for reg in [
        &registered as &dyn Fn(&str) -> bool,
        &|_: &str| true,
        &|_: &str| false,
    ] {
        let wp = parse(input, reg);
        let all = parse_with_unknown(input, reg);
        expand(&wp, &mut render);
        expand(&all, &mut render);
        strip(input, reg);
        problems(input, reg);
        serde_json::to_string(&Document { nodes: all }).unwrap();
    }
}

/// Whether `small` can be had by deleting characters from `big`.
fn is_subsequence(small: &str, big: &str) -> bool {
    let mut big = big.chars();
    small.chars().all(|c| big.any(|b| b == c))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn never_panics_on_any_string(input in any::<String>()) {
        exercise(&input);
    }

    #[test]
    fn never_panics_on_bracket_soup(input in fragments()) {
        exercise(&input);
    }

    #[test]
    fn never_panics_on_bracket_bytes(input in "[\\[\\]/\"'= a_\\-<>!ن]{0,200}") {
        exercise(&input);
    }

    /// Stripping only ever deletes: the output is the input with tags taken
    /// out, so no character is invented and the rest keeps its order.
    #[test]
    fn strip_only_deletes(input in fragments()) {
        let stripped = strip(&input, &registered);
        prop_assert!(is_subsequence(&stripped, &input), "{:?} -> {:?}", input, stripped);
    }

    /// With nothing registered, WordPress finds nothing: the tree is the text.
    #[test]
    fn nothing_registered_is_all_text(input in fragments()) {
        let nodes = parse(&input, &|_| false);
        let expected = if input.is_empty() { vec![] } else { vec![Node::Text(input.clone())] };
        prop_assert_eq!(nodes, expected);
    }

    /// The text nodes of a parse, in order, are exactly what `strip` keeps.
    #[test]
    fn strip_is_the_text_of_the_tree(input in fragments()) {
        fn text_of(nodes: &[Node], out: &mut String) {
            for node in nodes {
                match node {
                    Node::Text(t) => out.push_str(t),
                    Node::Shortcode(sc) => text_of(sc.content.as_deref().unwrap_or_default(), out),
                    Node::StrayClosing(_) => {}
                }
            }
        }
        let mut text = String::new();
        text_of(&parse_with_unknown(&input, &registered), &mut text);
        prop_assert_eq!(strip(&input, &registered), text);
    }

    /// On documents written with shortcodes (no escapes, no stray brackets in
    /// the text), no `[name` or `[/name` of a registered or unknown
    /// shortcode is left after expanding or stripping.
    #[test]
    fn no_shortcode_bracket_survives(doc in document()) {
        let input = doc.iter().map(Piece::source).collect::<String>();
        let mut names = Vec::new();
        for piece in &doc {
            piece.names(&mut names);
        }
        let expanded = expand(&parse_with_unknown(&input, &registered), &mut render);
        let stripped = strip(&input, &registered);
        for out in [&expanded, &stripped] {
            for name in &names {
                prop_assert!(!out.contains(&format!("[{name}")), "{:?} -> {:?}", input, out);
                prop_assert!(!out.contains(&format!("[/{name}")), "{:?} -> {:?}", input, out);
            }
            prop_assert!(!out.contains('['), "{:?} -> {:?}", input, out);
        }
        // And every word of the text survives stripping, in order.
        let words = doc.iter().map(Piece::words).collect::<String>();
        prop_assert_eq!(stripped, words);
    }
}

#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Tag {
        name: &'static str,
        attrs: Vec<(String, String)>,
        slash: bool,
        content: Option<Vec<Piece>>,
    },
}

impl Piece {
    fn source(&self) -> String {
        match self {
            Piece::Text(t) => t.clone(),
            Piece::Tag {
                name,
                attrs,
                slash,
                content,
            } => {
                let mut s = format!("[{name}");
                for (k, v) in attrs {
                    s.push_str(&format!(" {k}=\"{v}\""));
                }
                match content {
                    None if *slash => s.push_str(" /]"),
                    None => s.push(']'),
                    Some(children) => {
                        s.push(']');
                        s.extend(children.iter().map(Piece::source));
                        s.push_str(&format!("[/{name}]"));
                    }
                }
                s
            }
        }
    }

    fn words(&self) -> String {
        match self {
            Piece::Text(t) => t.clone(),
            Piece::Tag { content, .. } => content.iter().flatten().map(Piece::words).collect(),
        }
    }

    fn names(&self, out: &mut Vec<&'static str>) {
        if let Piece::Tag { name, content, .. } = self {
            out.push(name);
            for child in content.iter().flatten() {
                child.names(out);
            }
        }
    }
}

fn document() -> impl Strategy<Value = Vec<Piece>> {
    let text = "[ a-zابتثجحخدسشصن٠-٩.،\n\"'=/:-]{0,12}".prop_map(Piece::Text);
    let name = prop::sample::select([REGISTERED, UNKNOWN].concat());
    let attrs = prop::collection::vec(("[a-z][a-z_-]{0,5}", "[a-zابت0-9 ,.:/-]{0,10}"), 0..3);
    let leaf = prop_oneof![
        3 => text,
        2 => (name.clone(), attrs.clone(), any::<bool>())
            .prop_map(|(name, attrs, slash)| Piece::Tag { name, attrs, slash, content: None }),
    ];
    let piece = leaf.prop_recursive(4, 48, 6, move |inner| {
        (
            name.clone(),
            attrs.clone(),
            prop::collection::vec(inner, 0..6),
        )
            .prop_map(|(name, attrs, children)| Piece::Tag {
                name,
                attrs,
                slash: false,
                content: Some(children),
            })
    });
    prop::collection::vec(piece, 0..8)
}
