//! Search evaluation: recall@10 and MRR of warraq's search for each Arabic
//! stemming choice ([`Stemming::ALL`]) over the reader queries in
//! `bench/search-eval/queries.toml`, against the embedded demo newsroom.
//!
//! `cargo bench -p warraq --bench search_eval` (or `bench/search-eval/run.sh`);
//! see `bench/search-eval/README.md`.
//!
//! One SQLite database holds the demo; each stemming choice gets a fresh
//! index directory, built from that database when opened. Every query is run
//! in its own edition (`lang`), first page of 10.
//!
//! - recall@10 of a query: the fraction of its expected articles in the top 10;
//! - reciprocal rank: 1 / the rank of the first expected article in the top
//!   10, 0 when none is there; MRR is its mean.
//!
//! Both are averaged over the queries of a group (a language, an Arabic
//! `kind`, or all). A query with no searchable word scores 0.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use serde::Deserialize;
use warraq::config::Config;
use warraq::model::Lang;
use warraq::search::{SearchIndex, SearchQuery, Stemming};
use warraq::store::{ArticleFilter, ArticleQuery, Store};

const QUERIES: &str = include_str!("queries.toml");
/// Results looked at per query.
const K: usize = 10;
const KINDS: [&str; 5] = ["plain", "variant", "entity", "number", "mixed"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryFile {
    query: Vec<EvalQuery>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvalQuery {
    q: String,
    lang: String,
    expect: Vec<String>,
    kind: String,
    note: String,
}

/// A query of the set, checked against the demo.
struct Query {
    q: String,
    lang: Lang,
    expect: Vec<String>,
    kind: String,
    /// For a variant whose plain spelling is in the set: that query's index.
    plain: Option<usize>,
}

/// What one query gave under one stemming choice.
struct Outcome {
    recall: f64,
    rr: f64,
    /// 1-based rank of the first expected article in the top 10.
    rank: Option<usize>,
    /// Expected articles in the top 10.
    found: usize,
    /// Articles matching the query at all.
    total: usize,
    /// Slugs of the top results, best first; `None` when the query had no
    /// searchable word.
    top: Option<Vec<String>>,
}

struct Run {
    stemming: Stemming,
    outcomes: Vec<Outcome>,
    index_ms: u128,
    search_ms: u128,
}

/// A temporary directory removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir() -> anyhow::Result<TempDir> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir =
        std::env::temp_dir().join(format!("warraq-search-eval.{}.{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(TempDir(dir))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench` (and any filter): there is nothing to choose.
    let tmp = temp_dir()?;
    let store = Store::connect(&format!("sqlite://{}", tmp.0.join("eval.db").display())).await?;
    store.migrate().await?;
    warraq::load_demo(&store, &Config::default()).await?;

    let page = store
        .list_articles(&ArticleQuery {
            lang: None,
            filter: ArticleFilter::All,
            page: 1,
            per_page: 1000,
        })
        .await?;
    anyhow::ensure!(
        page.items.len() as u64 == page.total,
        "the demo has more articles than one page"
    );
    let articles = page.items;
    let slugs: HashMap<i64, String> = articles.iter().map(|a| (a.id, a.slug.clone())).collect();
    let langs: HashMap<&str, Lang> = articles.iter().map(|a| (a.slug.as_str(), a.lang)).collect();
    let queries = load_queries(&langs)?;

    let count = |lang: Lang| articles.iter().filter(|a| a.lang == lang).count();
    let count_q = |lang: Lang| queries.iter().filter(|q| q.lang == lang).count();
    println!(
        "search evaluation: {} queries ({} ar, {} en) over {} demo articles ({} ar, {} en); \
         top {K}, each query in its own edition",
        queries.len(),
        count_q(Lang::Ar),
        count_q(Lang::En),
        articles.len(),
        count(Lang::Ar),
        count(Lang::En),
    );

    let mut runs = Vec::new();
    for stemming in Stemming::ALL {
        runs.push(run(&store, &tmp.0, stemming, &queries, &slugs).await?);
    }
    store.close().await;

    print_table(&queries, &runs);
    print_consistency(&queries, &runs);
    print_differences(&queries, &runs);
    let best = print_verdict(&queries, &runs);
    print_misses(&queries, &runs[best]);
    // The configured default too, when it is not the best.
    let default = Config::default().search.stemming;
    if runs[best].stemming != default {
        if let Some(run) = runs.iter().find(|r| r.stemming == default) {
            println!();
            println!("--- {} (the default in Config) ---", default.name());
            print_misses(&queries, run);
        }
    }
    Ok(())
}

fn load_queries(langs: &HashMap<&str, Lang>) -> anyhow::Result<Vec<Query>> {
    let file: QueryFile = toml::from_str(QUERIES).context("parsing queries.toml")?;
    let mut queries = Vec::with_capacity(file.query.len());
    let mut seen = HashSet::new();
    for (i, e) in file.query.iter().enumerate() {
        let at = || format!("query {} ({:?})", i + 1, e.q);
        let lang: Lang = e
            .lang
            .parse()
            .map_err(|m: String| anyhow::anyhow!("{}: {m}", at()))?;
        anyhow::ensure!(
            KINDS.contains(&e.kind.as_str()),
            "{}: unknown kind {:?}",
            at(),
            e.kind
        );
        anyhow::ensure!(!e.expect.is_empty(), "{}: nothing expected", at());
        anyhow::ensure!(
            seen.insert((e.lang.as_str(), e.q.as_str())),
            "{}: twice in the set",
            at()
        );
        for slug in &e.expect {
            match langs.get(slug.as_str()) {
                Some(l) if *l == lang => {}
                Some(l) => anyhow::bail!("{}: {slug} is a {l} article", at()),
                None => anyhow::bail!("{}: no demo article {slug}", at()),
            }
        }
        // "plain: <the plain spelling> — what differs"
        let plain = match e.note.strip_prefix("plain:") {
            Some(rest) if e.kind == "variant" => {
                let text = rest.split(" — ").next().unwrap_or(rest).trim();
                file.query
                    .iter()
                    .position(|p| p.q == text && p.lang == e.lang)
            }
            _ => None,
        };
        if let Some(p) = plain {
            anyhow::ensure!(
                file.query[p].expect == e.expect,
                "{}: expects other articles than its plain form",
                at()
            );
        }
        queries.push(Query {
            q: e.q.clone(),
            lang,
            expect: e.expect.clone(),
            kind: e.kind.clone(),
            plain,
        });
    }
    Ok(queries)
}

async fn run(
    store: &Store,
    tmp: &Path,
    stemming: Stemming,
    queries: &[Query],
    slugs: &HashMap<i64, String>,
) -> anyhow::Result<Run> {
    let dir = tmp.join(format!("index-{}", stemming.name()));
    let started = Instant::now();
    let index = SearchIndex::open(store.clone(), &dir, stemming).await?;
    let index_ms = started.elapsed().as_millis();
    let started = Instant::now();
    let mut outcomes = Vec::with_capacity(queries.len());
    for q in queries {
        let results = index
            .search(&SearchQuery {
                text: q.q.clone(),
                lang: Some(q.lang),
                page: 1,
                per_page: K,
                ..Default::default()
            })
            .await?;
        let total = results.as_ref().map_or(0, |r| r.total);
        let top: Option<Vec<String>> = results.map(|r| {
            r.hits
                .iter()
                .take(K)
                .map(|h| {
                    slugs
                        .get(&h.id)
                        .cloned()
                        .unwrap_or_else(|| format!("#{}", h.id))
                })
                .collect()
        });
        let ranked = top.as_deref().unwrap_or_default();
        let found = q.expect.iter().filter(|s| ranked.contains(s)).count();
        let first = ranked.iter().position(|s| q.expect.contains(s));
        outcomes.push(Outcome {
            recall: found as f64 / q.expect.len() as f64,
            rr: first.map_or(0.0, |r| 1.0 / (r + 1) as f64),
            rank: first.map(|r| r + 1),
            found,
            total,
            top,
        });
    }
    let search_ms = started.elapsed().as_millis();
    drop(index);
    std::fs::remove_dir_all(&dir).ok();
    Ok(Run {
        stemming,
        outcomes,
        index_ms,
        search_ms,
    })
}

/// Mean recall@10 and MRR over the queries `keep` selects, and their number.
fn score(queries: &[Query], run: &Run, keep: impl Fn(&Query) -> bool) -> (usize, f64, f64) {
    let (mut n, mut recall, mut rr) = (0, 0.0, 0.0);
    for (q, o) in queries.iter().zip(&run.outcomes) {
        if keep(q) {
            n += 1;
            recall += o.recall;
            rr += o.rr;
        }
    }
    if n == 0 {
        return (0, 0.0, 0.0);
    }
    (n, recall / n as f64, rr / n as f64)
}

type Group = (String, Box<dyn Fn(&Query) -> bool>);

fn groups() -> Vec<Group> {
    let mut groups: Vec<Group> = vec![("ar".into(), Box::new(|q: &Query| q.lang == Lang::Ar))];
    for kind in KINDS {
        groups.push((
            format!("  ar {kind}"),
            Box::new(move |q: &Query| q.lang == Lang::Ar && q.kind == kind),
        ));
    }
    groups.push(("en".into(), Box::new(|q: &Query| q.lang == Lang::En)));
    groups.push(("all".into(), Box::new(|_: &Query| true)));
    groups
}

fn print_table(queries: &[Query], runs: &[Run]) {
    println!();
    print!("{:<14} {:>4}", "", "");
    for r in runs {
        print!("  {:^15}", r.stemming.name());
    }
    println!();
    print!("{:<14} {:>4}", "group", "n");
    for _ in runs {
        print!("  {:>7} {:>7}", "R@10", "MRR");
    }
    println!();
    for (name, keep) in groups() {
        let n = score(queries, &runs[0], &keep).0;
        print!("{name:<14} {n:>4}");
        for r in runs {
            let (_, recall, mrr) = score(queries, r, &keep);
            print!("  {recall:>7.3} {mrr:>7.3}");
        }
        println!();
    }
    print!("{:<14} {:>4}", "misses", "");
    for r in runs {
        let misses = r.outcomes.iter().filter(|o| o.rank.is_none()).count();
        print!("  {:>15}", format!("{misses} queries"));
    }
    println!();
    print!("{:<14} {:>4}", "time", "");
    for r in runs {
        print!("  {:>15}", format!("{}+{} ms", r.index_ms, r.search_ms));
    }
    println!();
    println!(
        "(misses: queries with no expected article in the top {K}; \
         time: indexing + all searches)"
    );
}

/// Variants whose top 10 differs from their plain spelling's.
fn inconsistent(queries: &[Query], run: &Run) -> Vec<(usize, usize)> {
    queries
        .iter()
        .enumerate()
        .filter_map(|(i, q)| q.plain.map(|p| (i, p)))
        .filter(|&(i, p)| run.outcomes[i].top != run.outcomes[p].top)
        .collect()
}

fn print_consistency(queries: &[Query], runs: &[Run]) {
    let pairs = queries.iter().filter(|q| q.plain.is_some()).count();
    println!();
    println!(
        "variants with the same top {K} as their plain spelling, of {pairs} pairs \
         (differing pairs: variant = plain, rank and expected found):"
    );
    for r in runs {
        let differ = inconsistent(queries, r);
        println!(
            "  {:<9} {}/{pairs}",
            r.stemming.name(),
            pairs - differ.len()
        );
        for (i, p) in differ {
            let brief = |j: usize| r.outcomes[j].brief(queries[j].expect.len());
            println!(
                "      {} ({})  =  {} ({})",
                queries[i].q,
                brief(i),
                queries[p].q,
                brief(p)
            );
        }
    }
}

/// Prints the verdict; returns the index of the best run.
fn print_verdict(queries: &[Query], runs: &[Run]) -> usize {
    let ar = |r: &Run| {
        let (_, recall, mrr) = score(queries, r, |q| q.lang == Lang::Ar);
        (mrr, recall)
    };
    let best = (0..runs.len())
        .max_by(|&a, &b| {
            let (ma, ra) = ar(&runs[a]);
            let (mb, rb) = ar(&runs[b]);
            ma.total_cmp(&mb)
                .then(ra.total_cmp(&rb))
                // On a full tie, the earlier choice in Stemming::ALL wins.
                .then(b.cmp(&a))
        })
        .expect("at least one stemming choice");
    let (mrr, recall) = ar(&runs[best]);
    let others: Vec<String> = runs
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != best)
        .map(|(_, r)| {
            let (m, rc) = ar(r);
            // On how many Arabic queries the best one does better / worse.
            let (mut rr_up, mut rr_down, mut rc_up, mut rc_down) = (0, 0, 0, 0);
            for (i, q) in queries.iter().enumerate() {
                if q.lang != Lang::Ar {
                    continue;
                }
                let (b, o) = (&runs[best].outcomes[i], &r.outcomes[i]);
                rr_up += usize::from(b.rr > o.rr);
                rr_down += usize::from(b.rr < o.rr);
                rc_up += usize::from(b.recall > o.recall);
                rc_down += usize::from(b.recall < o.recall);
            }
            format!(
                "{} by {:+.3} MRR / {:+.3} R@10 (RR better on {rr_up} queries, worse on \
                 {rr_down}; recall better on {rc_up}, worse on {rc_down})",
                r.stemming.name(),
                mrr - m,
                recall - rc
            )
        })
        .collect();
    println!();
    println!(
        "verdict: best Arabic stemming by Arabic MRR is {} (ar MRR {mrr:.3}, ar R@10 \
         {recall:.3}); ahead of {}",
        runs[best].stemming.name(),
        others.join(", ")
    );
    best
}

impl Outcome {
    /// `r2 1/2`: rank of the first expected article, expected articles found.
    fn brief(&self, expected: usize) -> String {
        let rank = self.rank.map_or("-".to_string(), |r| format!("r{r}"));
        format!("{rank} {}/{expected}", self.found)
    }
}

/// Queries on which the stemming choices do not all score the same.
fn print_differences(queries: &[Query], runs: &[Run]) {
    println!();
    println!(
        "queries scored differently by the choices (rank of the first expected article, \
         expected articles in the top {K}):"
    );
    print!("  {:<10}", "");
    for r in runs {
        print!(" {:>9}", r.stemming.name());
    }
    println!();
    let mut any = false;
    for (i, q) in queries.iter().enumerate() {
        let first = &runs[0].outcomes[i];
        if runs
            .iter()
            .all(|r| r.outcomes[i].rank == first.rank && r.outcomes[i].found == first.found)
        {
            continue;
        }
        any = true;
        print!("  {:<10}", format!("{} {}", q.lang, q.kind));
        for r in runs {
            print!(" {:>9}", r.outcomes[i].brief(q.expect.len()));
        }
        println!("  {}", q.q);
    }
    if !any {
        println!("  none");
    }
}

fn print_misses(queries: &[Query], run: &Run) {
    let name = run.stemming.name();
    let misses: Vec<usize> = (0..queries.len())
        .filter(|&i| run.outcomes[i].rank.is_none())
        .collect();
    println!();
    println!(
        "{name}: {} queries with no expected article in the top {K}{}",
        misses.len(),
        if misses.is_empty() { "." } else { ":" }
    );
    let first = |o: &Outcome| match &o.top {
        None => "no searchable word".to_string(),
        Some(top) if top.is_empty() => "no result".to_string(),
        Some(top) => format!("first {} (of {} matching)", top[0], o.total),
    };
    for i in misses {
        let (q, o) = (&queries[i], &run.outcomes[i]);
        println!(
            "  [{} {}] {}  —  expected {}  —  {}",
            q.lang,
            q.kind,
            q.q,
            q.expect.join(", "),
            first(o)
        );
    }
    let weak: Vec<usize> = (0..queries.len())
        .filter(|&i| {
            let o = &run.outcomes[i];
            o.rank.is_some_and(|r| r > 1) || (o.rank.is_some() && o.found < queries[i].expect.len())
        })
        .collect();
    println!();
    println!(
        "{name}: {} queries whose first result is not expected, or that miss an expected article{}",
        weak.len(),
        if weak.is_empty() { "." } else { ":" }
    );
    for i in weak {
        let (q, o) = (&queries[i], &run.outcomes[i]);
        let top = o.top.as_deref().unwrap_or_default();
        let missing: Vec<&str> = q
            .expect
            .iter()
            .filter(|s| !top.contains(s))
            .map(String::as_str)
            .collect();
        let mut line = format!(
            "  [{} {}] {}  —  {}  —  {}",
            q.lang,
            q.kind,
            q.q,
            o.brief(q.expect.len()),
            first(o)
        );
        if !missing.is_empty() {
            line += &format!("; not in the top {K}: {}", missing.join(", "));
        }
        println!("{line}");
    }
}
