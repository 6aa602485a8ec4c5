//! The HTTP face of warraq: axum routers for the public site and the API,
//! sharing one [`App`].

mod admin;
mod api;
mod api_media;
mod api_site;
mod api_staff;
mod auth;
mod beacon;
mod cached;
mod failure;
mod openapi;
mod page_cache;
mod pages;
mod preview;
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
use crate::service::Newsroom;
use crate::store::Store;
use page_cache::PageCache;

pub use failure::Failure;
pub use openapi::spec as openapi_spec;

/// Everything a request may need, built once at start-up: the newsroom,
/// and the caches of rendered answers in front of it.
pub struct App {
    pub newsroom: Newsroom,
    pub cache: PageCache,
    /// Answers that follow the view counts; see [`cached::live_cache`].
    pub live_cache: PageCache,
    /// Where media files are served from (`/media/…`).
    pub media_dir: std::path::PathBuf,
    /// The back office's templates and strings.
    pub admin_theme: crate::render::Theme,
}

impl std::ops::Deref for App {
    type Target = Newsroom;
    fn deref(&self) -> &Newsroom {
        &self.newsroom
    }
}

impl App {
    pub async fn new(store: Store, config: Config) -> anyhow::Result<App> {
        let max_age = Duration::from_secs(config.page_cache_seconds);
        let bytes = config.page_cache_mb * 1024 * 1024;
        let media_dir = config
            .media_dir
            .clone()
            .unwrap_or_else(|| store.default_media_dir());
        Ok(App {
            media_dir,
            admin_theme: crate::render::Theme::admin()?,
            cache: PageCache::new(bytes * 3 / 4, max_age),
            live_cache: PageCache::new(bytes / 16, max_age),
            newsroom: Newsroom::new(store, config).await?,
        })
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
        .merge(openapi::routes())
        .merge(pages::routes())
        .layer(middleware::from_fn_with_state(
            app.clone(),
            failure::render_failures,
        ))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            cached::page_cache,
        ));
    let public = Router::new()
        .route("/healthz", get(healthz))
        .route("/static/{*path}", get(static_file))
        .merge(pages::media_routes())
        .merge(beacon::routes())
        .merge(preview::routes().layer(middleware::from_fn_with_state(
            app.clone(),
            failure::render_failures,
        )))
        .merge(live)
        .merge(pages)
        .layer(RequestBodyLimitLayer::new(64 * 1024));
    // Staff send whole articles; the CSRF guard reads their bodies first.
    let staff_api =
        api_staff::routes()
            .merge(api_site::routes())
            .layer(middleware::from_fn_with_state(
                app.clone(),
                failure::render_failures,
            ));
    let staff = admin::routes()
        .merge(staff_api)
        .layer(middleware::from_fn_with_state(
            app.clone(),
            auth::csrf_guard,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(auth::STAFF_BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(auth::STAFF_BODY_LIMIT));
    // The media library: uploads are bigger than anything else staff send,
    // so its routes are outside the staff limit and set their own.
    let upload_limit = auth::upload_body_limit(&app);
    let media = api_media::routes(upload_limit)
        .layer(middleware::from_fn_with_state(
            app.clone(),
            failure::render_failures,
        ))
        .merge(admin::media::routes(upload_limit))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            auth::csrf_guard,
        ));
    Router::new()
        .merge(public)
        .merge(staff)
        .merge(media)
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
    // Every process follows the change log: writes by others reach this
    // one's caches, search index, most-read index and related articles.
    let (stop_following, following_stopped) = tokio::sync::oneshot::channel::<()>();
    let follow_app = app.clone();
    let following = tokio::spawn(async move {
        follow_app
            .run_followers(async {
                let _ = following_stopped.await;
            })
            .await
    });
    let served = axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    let _ = stop_following.send(());
    following.await?;
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
