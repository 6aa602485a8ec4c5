//! Between the store, search and view counts on one side and the web on the
//! other: what an article page or an API answer shows, gathered here so that
//! rendering is pure; and the followers that keep everything this process
//! derives from the database in step with the change log.

mod editing;
mod follow;
mod media;
pub mod people;
pub mod site;
mod workflow;

pub use editing::{ArticleInput, CoverInput, EditError, FieldError, Saved};
pub use workflow::{Preview, PreviewRefused, LOCK_LIFE_SECS};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::model::{Article, Lang, Section};
use crate::render::{BodyData, Theme, Views};
use crate::search::SearchIndex;
use crate::stats::{MostReadQuery, Stats, Window};
use crate::store::Store;

/// The newsroom as one process serves it: the store, what is derived from
/// it (search, counts), the theme and the site's settings.
pub struct Newsroom {
    pub store: Store,
    pub theme: Theme,
    pub views: Views,
    pub config: Config,
    pub stats: Stats,
    pub search: SearchIndex,
    /// Articles in the API's shape: see [`Newsroom::article_json`].
    json_cache: quick_cache::sync::Cache<i64, Arc<CachedJson>, JsonWeight>,
    /// The most-read widget per language, stamped (version, generation, size).
    widgets: PerLanguage<(u64, u64, usize), Vec<Article>>,
    /// Sections per language, stamped with the version.
    navigation: PerLanguage<u64, Vec<Section>>,
    follow: follow::Progress,
}

/// Something kept per language, with the stamp it is valid for.
struct PerLanguage<Stamp, T>(Mutex<HashMap<Lang, (Stamp, Arc<T>)>>);

impl<Stamp: PartialEq, T> PerLanguage<Stamp, T> {
    fn new() -> Self {
        PerLanguage(Mutex::new(HashMap::new()))
    }

    /// What is kept for `lang` if it was made at `stamp`, else what `make`
    /// gives, kept.
    async fn get_or_make<F, Fut>(&self, lang: Lang, stamp: Stamp, make: F) -> anyhow::Result<Arc<T>>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = anyhow::Result<T>>,
    {
        if let Some((at, kept)) = self.0.lock().unwrap_or_else(|e| e.into_inner()).get(&lang) {
            if *at == stamp {
                return Ok(kept.clone());
            }
        }
        let made = Arc::new(make().await?);
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(lang, (stamp, made.clone()));
        Ok(made)
    }
}

struct CachedJson {
    version: u64,
    made: Instant,
    weight: u64,
    json: serde_json::Value,
}

#[derive(Clone)]
struct JsonWeight;

impl quick_cache::Weighter<i64, Arc<CachedJson>> for JsonWeight {
    fn weight(&self, _: &i64, entry: &Arc<CachedJson>) -> u64 {
        entry.weight
    }
}

/// What an article page needs beyond the article: its related articles and
/// its stored body with the "read also" block placed.
pub struct Prepared {
    pub related: Vec<Article>,
    /// The related articles not already linked from the body: the cards.
    pub cards: Vec<Article>,
    pub body: String,
}

impl Newsroom {
    pub async fn new(store: Store, config: Config) -> anyhow::Result<Newsroom> {
        // Everything below loads afresh: follow the log from its end.
        store.start_at_head().await?;
        let stats = Stats::new(store.clone(), config.stats.clone()).await?;
        let search_dir = crate::search::index_dir(config.search.dir.as_deref(), &store);
        let search = SearchIndex::open(store.clone(), &search_dir, config.search.stemming).await?;
        let theme = Theme::load(config.theme_dir.as_deref())?;
        let views = Views::new(&config)?;
        let json_bytes = config.page_cache_mb * 1024 * 1024 * 3 / 16;
        Ok(Newsroom {
            follow: follow::Progress::new(store.version()),
            store,
            theme,
            views,
            json_cache: quick_cache::sync::Cache::with_weighter(
                (json_bytes / 8_000).max(16) as usize,
                json_bytes,
                JsonWeight,
            ),
            widgets: PerLanguage::new(),
            navigation: PerLanguage::new(),
            config,
            stats,
            search,
        })
    }

    /// Related articles of each of `articles`, in the same language: the
    /// editor's pins first, then the similar fresh ones computed in the
    /// background (see `search/related.rs`), as cards, as many as the
    /// article shows (in its body only, or with the cards after it too).
    /// One query for any number of articles.
    pub async fn related_all(
        &self,
        articles: &[Article],
        with_cards: bool,
    ) -> anyhow::Result<Vec<Vec<Article>>> {
        let ids: Vec<i64> = articles.iter().map(|a| a.id).collect();
        let limit = articles
            .iter()
            .map(|a| self.related_shown(a, with_cards))
            .max()
            .unwrap_or(0);
        let mut lists = self.store.related_cards_of(&ids, limit).await?;
        Ok(articles
            .iter()
            .map(|a| {
                let mut list = lists.remove(&a.id).unwrap_or_default();
                list.retain(|r| r.lang == a.lang);
                list
            })
            .collect())
    }

    /// How many related articles `article` shows: its "read also" links
    /// (and the cards), or as many as are kept when its body lists them
    /// (`[crp]`).
    fn related_shown(&self, article: &Article, with_cards: bool) -> usize {
        if article.body_html.contains("[crp") {
            crate::search::related::KEPT
        } else if with_cards {
            self.config.related.read_also_links + self.config.related.cards
        } else {
            self.config.related.read_also_links
        }
    }

    pub async fn related(&self, article: &Article) -> anyhow::Result<Vec<Article>> {
        Ok(self
            .related_all(std::slice::from_ref(article), true)
            .await?
            .pop()
            .unwrap_or_default())
    }

    pub async fn prepare(&self, article: &Article) -> anyhow::Result<Prepared> {
        let related = self.related(article).await?;
        Ok(self.place_read_also(article, related))
    }

    /// The "read also" links placed in the body, the rest as cards.
    fn place_read_also(&self, article: &Article, related: Vec<Article>) -> Prepared {
        let links = if article.read_also {
            self.config.related.read_also_links
        } else {
            0
        };
        let (linked, rest) = related.split_at(links.min(related.len()));
        let body = if linked.is_empty() {
            article.body_html.clone()
        } else {
            let links: Vec<(String, String)> = linked
                .iter()
                .map(|a| (self.views.urls.article(a), a.headline.clone()))
                .collect();
            let block =
                crate::render::read_also_html(&self.theme.text(article.lang, "read_also"), &links);
            crate::render::insert_after_paragraph(
                &article.body_html,
                &block,
                self.config.related.after_paragraph,
            )
        };
        let cards = rest
            .iter()
            .take(self.config.related.cards)
            .cloned()
            .collect();
        Prepared {
            related,
            cards,
            body,
        }
    }

    /// An article's body as readers get it: "read also" in place, shortcodes
    /// rendered with the lists and counts they show, sanitised.
    pub async fn body(&self, article: &Article, prepared: &Prepared) -> anyhow::Result<String> {
        let needs = crate::render::body_needs(&prepared.body, article);
        let mut data = BodyData::default();
        for (key, query) in needs.lists {
            let list = match query {
                Some(q) => self.stats.top(&q).await?,
                None => Vec::new(),
            };
            data.lists.insert(key, list);
        }
        for id in needs.counts {
            let counts = self.stats.article_views(id);
            data.counts.insert(id, (counts[0].1, counts[3].1));
        }
        Ok(crate::render::render_body(&crate::render::BodyContext {
            article,
            body: &prepared.body,
            related: &prepared.related,
            views: &self.views,
            theme: &self.theme,
            digits: self.config.digits,
            data: &data,
        }))
    }

    /// The most-read widget's articles: the last 24 hours in `lang`,
    /// without `except` (the article the reader is on). Kept until the
    /// next flush or change: every page of a language shows the same list.
    pub async fn most_read(
        &self,
        lang: Lang,
        limit: usize,
        except: Option<i64>,
    ) -> anyhow::Result<Vec<Article>> {
        let stamp = (self.store.version(), self.stats.generation(), limit);
        let list = self
            .widgets
            .get_or_make(lang, stamp, || async {
                // One more than shown, for the page that is itself on the list.
                let mut q = MostReadQuery::new(Window::Day, limit + 1);
                q.lang = Some(lang);
                let top = self.stats.top(&q).await?;
                Ok(top.into_iter().map(|(a, _)| a).collect())
            })
            .await?;
        Ok(list
            .iter()
            .filter(|a| Some(a.id) != except)
            .take(limit)
            .cloned()
            .collect())
    }

    /// Sections in their editorial order, named in `lang`: the navigation
    /// of every page, read once per change.
    pub async fn sections(&self, lang: Lang) -> anyhow::Result<Arc<Vec<Section>>> {
        self.navigation
            .get_or_make(lang, self.store.version(), || self.store.sections(lang))
            .await
    }

    /// Published articles in the API's shape, by id, in order; unknown or
    /// unpublished ids are left out. Cached ones cost no query.
    pub async fn articles_json_by_ids(
        &self,
        ids: &[i64],
    ) -> anyhow::Result<Vec<serde_json::Value>> {
        let mut found: HashMap<i64, serde_json::Value> = ids
            .iter()
            .filter_map(|&id| Some((id, self.cached_json(id)?)))
            .collect();
        let missing: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !found.contains_key(id))
            .collect();
        let articles = self.store.articles_by_ids(&missing).await?;
        found.extend(self.render_json(&articles).await?);
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    fn cached_json(&self, id: i64) -> Option<serde_json::Value> {
        let max_age = Duration::from_secs(self.config.page_cache_seconds);
        let entry = self.json_cache.get(&id)?;
        (entry.version == self.store.version() && entry.made.elapsed() < max_age)
            .then(|| entry.json.clone())
    }

    /// The article in the API's shape, with its rendered body. Kept like a
    /// page (until a change, or `page_cache_seconds`): lists such as most
    /// read change every second, the articles in them far less often.
    pub async fn article_json(&self, article: &Article) -> anyhow::Result<serde_json::Value> {
        let mut one = self.articles_json(std::slice::from_ref(article)).await?;
        Ok(one.pop().unwrap_or_default())
    }

    /// Articles in the API's shape, in order: those not cached are prepared
    /// together (their related articles in one go), so a page of a hundred
    /// costs a handful of queries.
    pub async fn articles_json(
        &self,
        articles: &[Article],
    ) -> anyhow::Result<Vec<serde_json::Value>> {
        let mut out: Vec<Option<serde_json::Value>> =
            articles.iter().map(|a| self.cached_json(a.id)).collect();
        let missing: Vec<Article> = articles
            .iter()
            .zip(&out)
            .filter(|(_, cached)| cached.is_none())
            .map(|(a, _)| a.clone())
            .collect();
        let mut made = self.render_json(&missing).await?;
        for (slot, a) in out.iter_mut().zip(articles) {
            if slot.is_none() {
                *slot = made.remove(&a.id);
            }
        }
        Ok(out.into_iter().flatten().collect())
    }

    /// Renders `articles` in the API's shape and keeps them in the cache.
    async fn render_json(
        &self,
        articles: &[Article],
    ) -> anyhow::Result<HashMap<i64, serde_json::Value>> {
        let version = self.store.version();
        let mut made = HashMap::with_capacity(articles.len());
        for (article, related) in articles
            .iter()
            .zip(self.related_all(articles, false).await?)
        {
            let prepared = self.place_read_also(article, related);
            let body = self.body(article, &prepared).await?;
            let json = crate::render::article_json(article, &self.views, &body);
            let weight =
                (2 * body.len() + article.headline.len() + article.standfirst.len() + 2048) as u64;
            self.json_cache.insert(
                article.id,
                Arc::new(CachedJson {
                    version,
                    made: Instant::now(),
                    weight,
                    json: json.clone(),
                }),
            );
            made.insert(article.id, json);
        }
        Ok(made)
    }
}
