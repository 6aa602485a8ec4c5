//! Between the store, search and view counts on one side and the web on the
//! other: what an article page or an API answer shows, gathered here so that
//! rendering is pure; and the followers that keep everything this process
//! derives from the database in step with the change log.

mod follow;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::model::Article;
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
    follow: follow::Progress,
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
            config,
            stats,
            search,
        })
    }

    /// Related articles: the editor's pins first, then the similar fresh
    /// ones computed in the background (see `search/related.rs`).
    pub async fn related(&self, article: &Article) -> anyhow::Result<Vec<Article>> {
        let mut ids = self.store.related_pins(article.id).await?;
        for id in self
            .store
            .related_ids(article.id)
            .await?
            .unwrap_or_default()
        {
            if !ids.contains(&id) && id != article.id {
                ids.push(id);
            }
        }
        let mut related = self.store.articles_by_ids(&ids).await?;
        related.retain(|a| a.lang == article.lang);
        Ok(related)
    }

    pub async fn prepare(&self, article: &Article) -> anyhow::Result<Prepared> {
        let related = self.related(article).await?;
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
        Ok(Prepared {
            related,
            cards,
            body,
        })
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

    /// The most-read widget's articles: the last 24 hours in `lang`.
    pub async fn most_read(
        &self,
        lang: crate::model::Lang,
        limit: usize,
        except: Option<i64>,
    ) -> anyhow::Result<Vec<Article>> {
        let mut q = MostReadQuery::new(Window::Day, limit);
        q.lang = Some(lang);
        q.exclude_articles = except.into_iter().collect();
        Ok(self
            .stats
            .top(&q)
            .await?
            .into_iter()
            .map(|(a, _)| a)
            .collect())
    }

    /// A published article in the API's shape, by id.
    pub async fn article_json_by_id(&self, id: i64) -> anyhow::Result<Option<serde_json::Value>> {
        if let Some(json) = self.cached_json(id) {
            return Ok(Some(json));
        }
        match self.store.article_by_id(id).await? {
            Some(article) => Ok(Some(self.article_json(&article).await?)),
            None => Ok(None),
        }
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
        let version = self.store.version();
        if let Some(json) = self.cached_json(article.id) {
            return Ok(json);
        }
        let prepared = self.prepare(article).await?;
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
        Ok(json)
    }
}
