//! What answers a path no route of the site claims: static pages at their
//! hierarchical paths, then — before any 404 — the redirects an import
//! left from every old URL. Also the media files under `/media/`, and the
//! list of pages in the API.

use std::path::{Component, Path as FsPath};

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use minijinja::{context, Value};
use percent_encoding::percent_decode_str;
use serde::Deserialize;

use super::{lang_of_path, site, AppState, Failure};
use crate::model::{redirect_key, Article, Lang, RedirectTarget, StaticPage, Status};
use crate::render::encode_segment;
use crate::service::Prepared;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/pages", get(list))
}

/// Media files are served whole from the media directory, outside the page
/// cache.
pub fn media_routes() -> Router<AppState> {
    Router::new().route("/media/{*path}", get(media_file))
}

/// A response the page cache must not keep: static pages change without a
/// change-log entry of an article.
#[derive(Clone, Copy)]
pub struct Uncached;

/// `/about/team/` (`/en/contact/`): a static page, or not found.
pub async fn fallback(State(app): State<AppState>, uri: Uri) -> Result<Response, Failure> {
    let lang = lang_of_path(uri.path());
    let rest = match lang {
        Lang::En => uri.path().strip_prefix("/en").unwrap_or(""),
        Lang::Ar => uri.path(),
    };
    let decoded = percent_decode_str(rest).decode_utf8_lossy();
    let path = decoded.trim_matches('/');
    if path.is_empty() {
        return Err(Failure::NotFound);
    }
    let page = app
        .store
        .page_at(lang, path)
        .await?
        .ok_or(Failure::NotFound)?;
    let url = page_url(&page);
    if !uri.path().ends_with('/') {
        return Ok(moved_permanently(&url));
    }
    let title = if page.seo_title.is_empty() {
        page.title.clone()
    } else {
        page.seo_title.clone()
    };
    let base = site::base_context(&app, lang, &url, &title, &page.meta_description, None).await?;
    let body = page_body(&app, &page).await?;
    let html = app.theme.render(
        "page.html",
        context! {
            static_page => context! { title => page.title, url => url },
            body_html => Value::from_safe_string(body),
            ..base
        },
    )?;
    let mut response = Html(html).into_response();
    response.extensions_mut().insert(Uncached);
    Ok(response)
}

/// A page's body as readers get it: shortcodes rendered, sanitised — the
/// article pipeline, with no related articles.
async fn page_body(app: &AppState, page: &StaticPage) -> anyhow::Result<String> {
    let article = Article {
        id: 0,
        slug: String::new(),
        lang: page.lang,
        headline: page.title.clone(),
        standfirst: String::new(),
        body_html: page.body_html.clone(),
        authors: Vec::new(),
        sections: Vec::new(),
        tags: Vec::new(),
        cover: None,
        status: Status::Published,
        published_at: page.published_at,
        updated_at: page.updated_at,
        read_also: false,
        seo: Default::default(),
        translation_id: None,
    };
    let prepared = Prepared {
        related: Vec::new(),
        cards: Vec::new(),
        body: page.body_html.clone(),
    };
    app.body(&article, &prepared).await
}

pub fn page_url(page: &StaticPage) -> String {
    let segments: Vec<String> = page.path.split('/').map(encode_segment).collect();
    format!("{}/{}/", page.lang.prefix(), segments.join("/"))
}

/// The 301 for an old URL, if an import left one: checked before a 404.
pub async fn redirect_for(app: &AppState, path: &str, query: Option<&str>) -> Option<Response> {
    let key = redirect_key(path, query);
    let target = match app.store.redirect(&key).await {
        Ok(Some(target)) => target,
        Ok(None) => return None,
        Err(e) => {
            tracing::warn!("looking up a redirect for {path}: {e:#}");
            return None;
        }
    };
    let location = match target {
        RedirectTarget::Location(l) => l,
        RedirectTarget::Article(id) => {
            let articles = app.store.cards_by_ids(&[id]).await.ok()?;
            app.views.urls.article(articles.first()?)
        }
        RedirectTarget::Page(id) => page_url(&app.store.page_by_id(id).await.ok()??),
    };
    // Never answer a URL with itself (an article no longer public there).
    if redirect_key(&location, None) == redirect_key(path, None) && query.is_none() {
        return None;
    }
    Some(moved_permanently(&location))
}

/// `301 Moved Permanently`: what search engines and old links expect of a
/// moved page (axum's permanent redirect is a 308).
pub fn moved_permanently(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, value)]).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Deserialize)]
pub(super) struct ListQuery {
    lang: Option<String>,
}

/// `GET /api/v1/pages?lang=`: every public page, in menu order.
#[utoipa::path(get, path = "/api/v1/pages", tag = "reading",
    params(("lang" = Option<String>, Query, description = "`ar` or `en`")),
    responses(
        (status = 200, description = "Every public page, in menu order.", body = super::openapi::PageList),
        (status = 400, description = "A parameter is wrong; the message names it.", body = super::openapi::ErrorBody),
    ))]
pub(super) async fn list(
    State(app): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, Failure> {
    let lang = match q.lang.as_deref() {
        None | Some("") => None,
        Some(code) => Some(code.parse::<Lang>().map_err(Failure::BadRequest)?),
    };
    let pages = app.store.pages(lang).await?;
    let pages: Vec<_> = pages
        .iter()
        .map(|p| {
            serde_json::json!({
                "id": p.id,
                "lang": p.lang,
                "path": p.path,
                "url": page_url(p),
                "title": p.title,
                "updated_at": p.updated_at.to_string(),
            })
        })
        .collect();
    let mut response = Json(serde_json::json!({ "pages": pages })).into_response();
    response.extensions_mut().insert(Uncached);
    Ok(response)
}

/// A file of the media directory. Only plain relative paths: nothing above
/// the directory can be named.
async fn media_file(State(app): State<AppState>, Path(path): Path<String>) -> Response {
    let rel = FsPath::new(&path);
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(bytes) = tokio::fs::read(app.media_dir.join(rel)).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let ext = rel
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(&ext)),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        bytes,
    )
        .into_response()
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" => "audio/ogg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "pdf" => "application/pdf",
        // Anything else (SVG included: it can carry script) is a download.
        _ => "application/octet-stream",
    }
}
