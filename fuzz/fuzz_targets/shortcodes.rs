//! Fuzzes `warraq_text::shortcode`: every entry point on every input, under
//! three registries, checking what must always hold.
//!
//! Run (nightly): `cargo +nightly fuzz run shortcodes /tmp/shortcodes-corpus fuzz/corpus/shortcodes`
//! from the workspace root, so new inputs go to the scratch folder and the
//! seeds in `fuzz/corpus/shortcodes/` stay as they are. The seeds are also
//! replayed on stable by `crates/warraq-text/tests/shortcode_corpus.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use warraq_text::shortcode::{expand, parse, parse_with_unknown, problems, strip, Document, Node};

const REGISTERED: &[&str] = &[
    "caption", "gallery", "embed", "a", "b", "foo", "foo-bar", "صورة",
];

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    check(&input);
});

fn check(input: &str) {
    let some = |name: &str| REGISTERED.contains(&name);
    let all = |_: &str| true;
    let none = |_: &str| false;
    for registered in [&some as &dyn Fn(&str) -> bool, &all, &none] {
        let wordpress = parse(input, registered);
        let unknown = parse_with_unknown(input, registered);
        expand(&wordpress, &mut |sc, content| {
            format!("<{}>{}", sc.name, content.unwrap_or(""))
        });
        let expanded = expand(&unknown, &mut |_, content| {
            content.unwrap_or("").to_string()
        });
        let stripped = strip(input, registered);
        assert_eq!(expanded, stripped);
        assert_eq!(stripped, text_of(&unknown));
        assert!(is_subsequence(&stripped, input));
        for problem in problems(input, registered) {
            assert!(problem.count > 0 && problem.first_offset < input.len());
        }
        serde_json::to_string(&Document { nodes: unknown }).unwrap();
    }
    let plain = parse(input, &none);
    assert!(plain.is_empty() == input.is_empty());
    assert!(plain.len() <= 1);
}

fn text_of(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Shortcode(sc) => {
                out.push_str(&text_of(sc.content.as_deref().unwrap_or_default()))
            }
            Node::StrayClosing(_) => {}
        }
    }
    out
}

fn is_subsequence(small: &str, big: &str) -> bool {
    let mut big = big.chars();
    small.chars().all(|c| big.any(|b| b == c))
}
