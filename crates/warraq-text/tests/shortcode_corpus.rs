//! Replays the fuzzing seeds in `fuzz/corpus/shortcodes/` on stable, with the
//! same checks as the fuzz target (`fuzz/fuzz_targets/shortcodes.rs`), so CI
//! covers them without nightly or cargo-fuzz.

use std::path::Path;

use warraq_text::shortcode::{expand, parse, parse_with_unknown, problems, strip, Document, Node};

const REGISTERED: &[&str] = &[
    "caption", "gallery", "embed", "a", "b", "foo", "foo-bar", "صورة",
];

#[test]
fn fuzz_seeds_hold_the_invariants() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/shortcodes");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz/corpus/shortcodes") {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        check(&String::from_utf8_lossy(&data));
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} seeds in {}", dir.display());
}

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
        assert_eq!(expanded, stripped, "{input:?}");
        assert_eq!(stripped, text_of(&unknown), "{input:?}");
        assert!(is_subsequence(&stripped, input), "{input:?}");
        for problem in problems(input, registered) {
            assert!(problem.count > 0 && problem.first_offset < input.len());
        }
        serde_json::to_string(&Document { nodes: unknown }).unwrap();
    }
    let plain = parse(input, &none);
    assert_eq!(plain.is_empty(), input.is_empty());
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
