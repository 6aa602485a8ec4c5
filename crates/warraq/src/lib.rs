//! warraq: a news publishing engine for Arabic-first digital newsrooms.
//!
//! Data flows one way: in (demo, and later the back office, API and WXR
//! import) → [`store`] → out ([`render`], [`web`]). The binary in `main.rs`
//! is a thin command line over these modules; integration tests in `tests/`
//! drive the same functions.

pub mod auth;
pub mod config;
#[cfg(feature = "gen")]
pub mod corpus;
pub mod demo;
pub mod import;
pub mod media;
pub mod model;
pub mod render;
pub mod search;
pub mod service;
pub mod stats;
pub mod store;
pub mod web;

use anyhow::Context;

use config::Config;
use store::Store;

/// Loads the embedded demo newsroom into `store`, which must be empty:
/// a newsroom's own content is never mixed with demo articles. Returns the
/// number of articles and the shortcode warnings of their bodies, as
/// `slug: warning` lines.
pub async fn load_demo(store: &Store, config: &Config) -> anyhow::Result<(usize, Vec<String>)> {
    anyhow::ensure!(
        store.is_empty().await?,
        "the database already holds articles, authors or sections; --demo loads only into an \
         empty database (start without --demo, or point --database at a new file)"
    );
    let tz = jiff::tz::TimeZone::get(&config.time_zone)?;
    let mut demo = demo::demo(jiff::Timestamp::now(), &tz).context("reading the embedded demo")?;
    let media_dir = config
        .media_dir
        .clone()
        .unwrap_or_else(|| store.default_media_dir());
    demo::add_covers(store, &media_dir, &config.media, &mut demo.articles)
        .await
        .context("drawing the demo's cover images")?;
    let warnings = demo
        .articles
        .iter()
        .flat_map(|a| {
            render::shortcode_warnings(&a.body_html)
                .into_iter()
                .map(move |w| format!("{}: {w}", a.slug))
        })
        .collect();
    let ids = store
        .load_newsroom(&demo.sections, &demo.authors, &demo.articles, || {})
        .await
        .context("storing the demo newsroom")?;
    Ok((ids.len(), warnings))
}

#[cfg(feature = "gen")]
/// Fills a database with `n` generated articles (see [`corpus`]) for scale
/// tests. An empty database first gets the demo newsroom's sections and
/// authors. `progress(done)` after each batch.
pub async fn generate(
    store: &Store,
    lang: model::Lang,
    n: usize,
    seed: u64,
    mut progress: impl FnMut(usize),
) -> anyhow::Result<usize> {
    let demo = demo::demo(jiff::Timestamp::now(), &jiff::tz::TimeZone::UTC)?;
    if store.is_empty().await? {
        store
            .load_newsroom(&demo.sections, &demo.authors, &[], || {})
            .await?;
    }
    let authors = demo.authors.iter().map(|a| a.slug.clone()).collect();
    let sections = demo.sections.iter().map(|s| s.slug.clone()).collect();
    // Slugs are unique within one run; a seed-specific prefix keeps runs apart.
    let prefix = format!("g{seed}-");
    let mut generated =
        corpus::Generator::new(lang, seed, authors, sections, jiff::Timestamp::now()).take(n);
    let mut done = 0;
    loop {
        let batch: Vec<model::NewArticle> = generated
            .by_ref()
            .take(1000)
            .map(|mut a| {
                a.slug = format!("{prefix}{}", a.slug);
                a
            })
            .collect();
        if batch.is_empty() {
            break;
        }
        store.create_articles(&batch).await?;
        done += batch.len();
        progress(done);
    }
    Ok(done)
}
