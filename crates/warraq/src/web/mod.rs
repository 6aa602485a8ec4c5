//! The HTTP face of warraq: axum routers for the public site and the API,
//! sharing one [`App`].

mod api;
mod beacon;
mod cached;
mod failure;
mod site;

use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{middleware, Router};
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::config::Config;
use crate::model::Lang;
use crate::render::{PageCache, Theme, Views};
use crate::stats::Stats;
use crate::store::Store;

pub use failure::Failure;

/// Everything a request may need, built once at start-up.
pub struct App {
    pub store: Store,
    pub theme: Theme,
    pub views: Views,
    pub config: Config,
    pub cache: PageCache,
    /// Answers that follow the view counts; see [`cached::live_cache`].
    pub live_cache: PageCache,
    pub stats: Stats,
    pub search: crate::search::SearchIndex,
    /// Articles in the API's shape: see [`App::article_json`].
    json_cache: std::sync::Mutex<JsonCache>,
}

type JsonCache = std::collections::HashMap<i64, (u64, std::time::Instant, serde_json::Value)>;

impl App {
    pub async fn new(store: Store, config: Config) -> anyhow::Result<App> {
        let stats = Stats::new(store.clone(), config.stats.clone()).await?;
        let search_dir = crate::search::index_dir(config.search.dir.as_deref(), &store);
        let search =
            crate::search::SearchIndex::open(store.clone(), &search_dir, config.search.stemming)
                .await?;
        let theme = Theme::load(config.theme_dir.as_deref())?;
        let views = Views::new(&config)?;
        Ok(App {
            store,
            theme,
            views,
            cache: PageCache::new(20_000, Duration::from_secs(config.page_cache_seconds)),
            live_cache: PageCache::new(1_000, Duration::from_secs(config.page_cache_seconds)),
            config,
            stats,
            search,
            json_cache: Default::default(),
        })
    }
}

/// What an article page needs beyond the article: its related articles and
/// its stored body with the "read also" block placed.
pub struct Prepared {
    pub related: Vec<crate::model::Article>,
    /// The related articles not already linked from the body: the cards.
    pub cards: Vec<crate::model::Article>,
    pub body: String,
}

impl App {
    /// Related articles: the editor's pins first, then the most similar
    /// fresh ones from the search index.
    pub async fn related(
        &self,
        article: &crate::model::Article,
    ) -> anyhow::Result<Vec<crate::model::Article>> {
        let mut ids = self.store.related_pins(article.id).await?;
        for id in self.search.related(article, 12).await? {
            if !ids.contains(&id) && id != article.id {
                ids.push(id);
            }
        }
        let mut related = self.store.articles_by_ids(&ids).await?;
        related.retain(|a| a.lang == article.lang);
        Ok(related)
    }

    pub async fn prepare(&self, article: &crate::model::Article) -> anyhow::Result<Prepared> {
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
    /// rendered, sanitised.
    pub async fn body(
        &self,
        article: &crate::model::Article,
        prepared: &Prepared,
    ) -> anyhow::Result<String> {
        crate::render::render_body(&crate::render::BodyContext {
            article,
            body: &prepared.body,
            related: &prepared.related,
            views: &self.views,
            theme: &self.theme,
            stats: &self.stats,
            digits: self.config.digits,
        })
        .await
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
        let cache = self.json_cache.lock().unwrap_or_else(|e| e.into_inner());
        let (version, at, json) = cache.get(&id)?;
        (*version == self.store.version() && at.elapsed() < max_age).then(|| json.clone())
    }

    /// The article in the API's shape, with its rendered body. Kept like a
    /// page (until a write, or `page_cache_seconds`): lists such as most read
    /// change every second, the articles in them far less often.
    pub async fn article_json(
        &self,
        article: &crate::model::Article,
    ) -> anyhow::Result<serde_json::Value> {
        let version = self.store.version();
        if let Some(json) = self.cached_json(article.id) {
            return Ok(json);
        }
        let prepared = self.prepare(article).await?;
        let json = crate::render::article_json(
            article,
            &self.views,
            &self.body(article, &prepared).await?,
        );
        let mut cache = self.json_cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= 10_000 {
            cache.clear();
        }
        cache.insert(
            article.id,
            (version, std::time::Instant::now(), json.clone()),
        );
        Ok(json)
    }
}

pub type AppState = Arc<App>;

pub fn router(app: AppState) -> Router {
    let live = api::live_routes()
        .layer(middleware::from_fn_with_state(
            app.clone(),
            failure::render_failures,
        ))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            cached::live_cache,
        ));
    let pages = site::routes()
        .merge(api::routes())
        .layer(middleware::from_fn_with_state(
            app.clone(),
            failure::render_failures,
        ))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            cached::page_cache,
        ));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/static/{*path}", get(static_file))
        .merge(beacon::routes())
        .merge(live)
        .merge(pages)
        .layer(RequestBodyLimitLayer::new(64 * 1024))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .with_state(app)
}

/// Serves until `shutdown` resolves, then finishes the requests in flight
/// and flushes the buffered view counts.
pub async fn serve(
    listener: TcpListener,
    app: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (stop_stats, stats_stopped) = tokio::sync::oneshot::channel::<()>();
    let stats_app = app.clone();
    let counting = tokio::spawn(async move {
        stats_app
            .stats
            .run(async {
                let _ = stats_stopped.await;
            })
            .await
    });
    // The search index follows writes on its own too, so searches rarely
    // wait for it.
    let search_app = app.clone();
    let indexing = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            if let Err(e) = search_app.search.catch_up().await {
                tracing::warn!("search index: {e:#}");
            }
        }
    });
    let served = axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    indexing.abort();
    let _ = stop_stats.send(());
    counting.await?;
    Ok(served?)
}

async fn healthz(axum::extract::State(app): axum::extract::State<AppState>) -> Response {
    match app.store.is_empty().await {
        Ok(_) => "ok\n".into_response(),
        Err(e) => {
            tracing::error!("health check: {e:#}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

async fn static_file(
    axum::extract::State(app): axum::extract::State<AppState>,
    axum::extract::Path(path): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    let Some(file) = app.theme.static_file(&path) else {
        return Failure::NotFound.into_response();
    };
    let etag = HeaderValue::from_str(&file.etag).expect("hex etag");
    if headers.get(header::IF_NONE_MATCH) == Some(&etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(file.content_type),
            ),
            (header::ETAG, etag),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        file.bytes,
    )
        .into_response()
}

/// The edition a path belongs to: English under `/en/`, Arabic elsewhere.
pub fn lang_of_path(path: &str) -> Lang {
    if path == "/en" || path.starts_with("/en/") {
        Lang::En
    } else {
        Lang::Ar
    }
}
