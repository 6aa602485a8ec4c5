//! Micro-benchmarks of `warraq-text` on a 20 KB Arabic article body.
//!
//! `cargo bench -p warraq-text --bench text`; see `bench/text/README.md`.
//!
//! The input, `body-ar-20k.html`, is four Arabic demo articles as a
//! WordPress page-builder export: `<p>` paragraphs inside
//! `[vc_row][vc_column][vc_column_text]` wrappers, with `[caption]`,
//! `[gallery]`, `[tptn_list]` and the literal text `“[sic]”`
//! (regenerate it with `bench/text/make-fixture.py`).
//!
//! Throughput is in decimal MB/s of the input each function reads: the
//! 20 KB body for all but `analyze`, which reads the clean text of it.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use warraq_text::analysis::{analyze, AnalyzerOptions, Lang};
use warraq_text::shortcode::{self, Node, Shortcode};
use warraq_text::{clean_text, is_known_shortcode, sanitize_body, sanitize_rendered};

const BODY: &str = include_str!("body-ar-20k.html");

/// A stand-in for the application's renderers: a small string per known
/// shortcode, built from its attributes and content, so `expand` does the
/// allocation and copying it does in production without the database.
fn render(sc: &Shortcode, content: Option<&str>) -> String {
    match sc.name.as_str() {
        "caption" | "wp_caption" => format!(
            "<figure class=\"{}\">{}</figure>",
            sc.attr("align").unwrap_or(""),
            content.unwrap_or("")
        ),
        "gallery" => format!(
            "<div class=\"gallery\" data-ids=\"{}\"></div>",
            sc.attr("ids").unwrap_or("")
        ),
        "tptn_list" | "crp" => "<ul class=\"related\"></ul>".to_string(),
        _ => content.unwrap_or("").to_string(),
    }
}

/// Checks once that the fixture is what the benchmarks claim to measure.
fn check_fixture(nodes: &[Node]) {
    fn count(nodes: &[Node], known: &mut usize, unknown: &mut usize) {
        for node in nodes {
            if let Node::Shortcode(sc) = node {
                if sc.known {
                    *known += 1;
                } else {
                    *unknown += 1;
                }
                if let Some(content) = &sc.content {
                    count(content, known, unknown);
                }
            }
        }
    }
    let (mut known, mut unknown) = (0, 0);
    count(nodes, &mut known, &mut unknown);
    assert!(BODY.len() > 19_000, "fixture is {} bytes", BODY.len());
    assert!(
        known >= 8 && unknown >= 30,
        "{known} known, {unknown} unknown"
    );
    let text = clean_text(BODY);
    assert!(text.contains("[sic]") && !text.contains("[vc_"), "{text}");
}

fn benches(c: &mut Criterion) {
    let nodes = shortcode::parse_with_unknown(BODY, &is_known_shortcode);
    check_fixture(&nodes);
    let clean = clean_text(BODY);
    let opts = AnalyzerOptions::default();
    eprintln!(
        "input: {} bytes of HTML; clean text: {} bytes",
        BODY.len(),
        clean.len()
    );

    let mut g = c.benchmark_group("text");
    g.throughput(Throughput::BytesDecimal(BODY.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| shortcode::parse_with_unknown(black_box(BODY), &is_known_shortcode))
    });
    g.bench_function("parse_wordpress", |b| {
        b.iter(|| shortcode::parse(black_box(BODY), &is_known_shortcode))
    });
    g.bench_function("expand", |b| {
        b.iter(|| shortcode::expand(black_box(&nodes), &mut render))
    });
    g.bench_function("strip", |b| {
        b.iter(|| shortcode::strip(black_box(BODY), &is_known_shortcode))
    });
    g.bench_function("clean_text", |b| b.iter(|| clean_text(black_box(BODY))));
    g.bench_function("sanitize_body", |b| {
        b.iter(|| sanitize_body(black_box(BODY)))
    });
    // What the article renderer does per body: parse, expand, sanitise.
    g.bench_function("render_pipeline", |b| {
        b.iter(|| {
            let nodes = shortcode::parse_with_unknown(black_box(BODY), &is_known_shortcode);
            sanitize_rendered(&shortcode::expand(&nodes, &mut render))
        })
    });
    g.throughput(Throughput::BytesDecimal(clean.len() as u64));
    g.bench_function("analyze", |b| {
        b.iter(|| analyze(black_box(&clean), Lang::Ar, &opts))
    });
    g.finish();
}

criterion_group! {
    name = text;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    targets = benches
}
criterion_main!(text);
