//! Search at scale: generates a synthetic Arabic corpus (100,000 articles by
//! default), indexes it, and times a fixed set of queries.
//!
//! `cargo bench -p warraq --bench search` (SEARCH_BENCH_ARTICLES=N to change
//! the size). Targets (DESIGN.md): indexing ≥ 2,000 articles/s, query p50
//! under 5 ms and p99 under 20 ms.

use std::time::Instant;

use warraq::model::Lang;
use warraq::search::{SearchIndex, SearchQuery, Stemming};
use warraq::store::Store;

/// Reader queries over the corpus's topics: one to four words, with and
/// without ال and hamza, digits in both forms.
const QUERIES: &[&str] = &[
    "المياه",
    "أزمة المياه",
    "ازمه المياه في عمان",
    "الانتخابات البلدية",
    "انتخابات",
    "أسعار الخبز",
    "الأسعار",
    "الطاقة الشمسية",
    "الكهرباء",
    "انقطاع الكهرباء",
    "اللاجئين",
    "عودة اللاجئين",
    "التعليم",
    "المدارس الحكومية",
    "الصحة",
    "المستشفى",
    "الإيجارات",
    "السكن في بيروت",
    "النقل العام",
    "حرية الصحافة",
    "الصحفيين",
    "العقود العامة",
    "الفساد",
    "الموازنة",
    "الزراعة",
    "الجفاف",
    "القمح",
    "الرواتب",
    "البطالة",
    "الشباب",
    "المرأة",
    "السينما",
    "المهرجان",
    "الذاكرة",
    "التراث",
    "دمشق",
    "حلب",
    "القاهرة",
    "2021",
    "٢٠٢٢",
    "وزارة المالية",
    "المجلس البلدي",
    "مياه الشرب في الزرقاء",
    "الطاقة المتجددة والأسعار",
    "تقرير ديوان المحاسبة",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(str::to_string)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("SEARCH_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let dir = std::env::temp_dir().join(format!("warraq-bench-search-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let store = Store::connect(&format!("sqlite://{}", dir.join("bench.db").display())).await?;
        store.migrate().await?;

        let started = Instant::now();
        warraq::generate(&store, Lang::Ar, n, 7, |_| {}).await?;
        println!("generated and stored {n} Arabic articles in {:.1} s", started.elapsed().as_secs_f64());

        let started = Instant::now();
        // Opening an empty index over a full store builds it.
        let index = SearchIndex::open(store.clone(), &dir.join("search"), Stemming::Light).await?;
        let secs = started.elapsed().as_secs_f64();
        println!("indexed {n} articles in {secs:.1} s: {:.0} articles/s (target >= 2000)", n as f64 / secs);

        let mut latencies = Vec::new();
        let mut total_hits = 0;
        for round in 0..6 {
            for q in QUERIES {
                let query = SearchQuery { text: q.to_string(), lang: Some(Lang::Ar), page: 1, per_page: 10, ..Default::default() };
                let t = Instant::now();
                let results = index.search(&query).await?;
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                // The first round warms the caches; it is not counted.
                if round > 0 {
                    latencies.push(ms);
                    total_hits += results.map_or(0, |r| r.total);
                }
            }
        }
        latencies.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{} queries (10 hits with snippets each): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (targets < 5 ms, < 20 ms); {:.0} matches per query on average",
            latencies.len(),
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.99),
            latencies.last().copied().unwrap_or(0.0),
            total_hits as f64 / latencies.len() as f64
        );
        println!("resident memory of this process: {:.0} MiB", rss_mib());
        store.close().await;
        std::fs::remove_dir_all(&dir)?;
        anyhow::Ok(())
    })
}
