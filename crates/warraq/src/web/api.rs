//! The public, read-only JSON API: `/api/v1/…`.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::auth::{require_staff, staff_of, Peer};
use super::openapi::{ArticleList, ErrorBody, MostRead, SearchResults, StaffArticle};
use super::{api_staff, AppState, Failure};
use crate::model::Lang;
use crate::render::whatsapp_digest;
use crate::stats::{MostReadQuery, SectionRef, Window};
use crate::store::{ArticleFilter, ArticleQuery};

const MAX_LIMIT: u32 = 100;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/articles", get(articles))
        .route("/api/v1/articles/{id}", get(article))
        .route("/api/v1/articles/{id}/related", get(related))
        .route("/api/v1/search", get(search))
}

/// Answers that change with every flush of view counts: never cached.
pub fn live_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/most-read", get(most_read))
        .route("/api/v1/articles/{id}/views", get(views))
        .route("/api/v1/digest", get(digest))
}

/// Query parameters arrive as text so that a wrong one gets an error naming
/// it, not a generic deserialisation failure.
#[derive(Deserialize)]
pub(super) struct ListParams {
    lang: Option<String>,
    section: Option<String>,
    page: Option<String>,
    limit: Option<String>,
    /// Staff only: articles in this status, public or not.
    status: Option<String>,
}

pub(super) fn number(
    name: &str,
    value: Option<&str>,
    default: u32,
    max: u32,
) -> Result<u32, Failure> {
    match value {
        None | Some("") => Ok(default),
        Some(v) => match v.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(Failure::BadRequest(format!(
                "{name} must be a whole number from 1 to {max}, not {v:?}"
            ))),
        },
    }
}

fn lang_param(value: Option<&str>) -> Result<Option<Lang>, Failure> {
    match value {
        None | Some("") => Ok(None),
        Some(code) => code
            .parse::<Lang>()
            .map(Some)
            .map_err(|e| Failure::BadRequest(format!("lang: {e}"))),
    }
}

/// The window of a most-read list, and which articles it ranks.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct MostReadParams {
    /// `24h` (default), `7d`, `30d`, `all`, or `custom` with `days`/`hours`.
    window: Option<String>,
    /// Days of a custom window.
    days: Option<String>,
    /// Hours of a custom window.
    hours: Option<String>,
    /// `ar` or `en`.
    lang: Option<String>,
    /// Section slug.
    section: Option<String>,
    /// How many, 1–100.
    limit: Option<String>,
}

impl MostReadParams {
    fn query(&self, default_limit: u32) -> Result<MostReadQuery, Failure> {
        let whole = |name: &str, v: &Option<String>| -> Result<Option<i64>, Failure> {
            v.as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| {
                    v.parse::<i64>().map_err(|_| {
                        Failure::BadRequest(format!("{name} must be a whole number, not {v:?}"))
                    })
                })
                .transpose()
        };
        let window = Window::parse(
            self.window.as_deref().unwrap_or("24h"),
            whole("days", &self.days)?,
            whole("hours", &self.hours)?,
        )
        .map_err(Failure::BadRequest)?;
        let mut q = MostReadQuery::new(
            window,
            number("limit", self.limit.as_deref(), default_limit, MAX_LIMIT)? as usize,
        );
        q.lang = lang_param(self.lang.as_deref())?;
        if let Some(section) = self.section.as_deref().filter(|s| !s.is_empty()) {
            q.sections = vec![SectionRef::Slug(section.to_string())];
        }
        Ok(q)
    }
}

#[utoipa::path(get, path = "/api/v1/most-read", tag = "reading",
    params(MostReadParams),
    responses(
        (status = 200, description = "The most read articles of the window, each with its `views`.", body = MostRead),
        (status = 400, description = "A parameter is wrong; the message names it.", body = ErrorBody),
    ))]
pub(super) async fn most_read(
    State(app): State<AppState>,
    Query(p): Query<MostReadParams>,
) -> Result<Response, Failure> {
    let q = p.query(10)?;
    // Ids and views from memory; the articles from the JSON cache, so a
    // list re-ranked by a flush costs no database query in steady state.
    let ranked = app.stats.most_read(&q);
    let ids: Vec<i64> = ranked.iter().map(|r| r.0).collect();
    let views: std::collections::HashMap<i64, u64> = ranked.into_iter().collect();
    let mut articles = app.articles_json_by_ids(&ids).await?;
    for json in &mut articles {
        let id = json["id"].as_i64().unwrap_or_default();
        json["views"] = json!(views.get(&id).copied().unwrap_or(0));
    }
    Ok(Json(json!({ "window": q.window.name(), "articles": articles })).into_response())
}

#[utoipa::path(get, path = "/api/v1/articles/{id}/views", tag = "reading",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "Views of a published article in each window (`24h`, `7d`, `30d`, `all`).", body = std::collections::HashMap<String, u64>),
        (status = 404, description = "No such published article.", body = ErrorBody),
    ))]
pub(super) async fn views(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let id = published(&app, &id).await?.id;
    let counts: serde_json::Map<String, serde_json::Value> = app
        .stats
        .article_views(id)
        .into_iter()
        .map(|(window, views)| (window.name().to_string(), json!(views)))
        .collect();
    Ok(Json(counts).into_response())
}

#[utoipa::path(get, path = "/api/v1/digest", tag = "reading",
    params(MostReadParams),
    responses(
        (status = 200, description = "The top stories as a WhatsApp message (plain text).", body = String, content_type = "text/plain"),
        (status = 400, description = "A parameter is wrong; the message names it.", body = ErrorBody),
    ))]
pub(super) async fn digest(
    State(app): State<AppState>,
    Query(p): Query<MostReadParams>,
) -> Result<Response, Failure> {
    let mut q = p.query(5)?;
    let lang = q.lang.unwrap_or(Lang::Ar);
    q.lang = Some(lang);
    let articles: Vec<_> = app
        .stats
        .top(&q)
        .await?
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    let text = whatsapp_digest(app.config.digest_greeting(lang), &articles, &app.views.urls);
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/articles", tag = "articles",
    params(
        ("lang" = Option<String>, Query, description = "`ar` or `en`"),
        ("section" = Option<String>, Query, description = "Section slug"),
        ("page" = Option<u32>, Query, description = "1-based"),
        ("limit" = Option<u32>, Query, description = "1–100, default 20"),
        ("status" = Option<String>, Query, description = "Staff only (needs credentials): draft, review, scheduled, published, unpublished, private or trash; lists what the caller may see."),
    ),
    responses(
        (status = 200, description = "Published articles, newest first (or, with `status`, the caller's view).", body = ArticleList),
        (status = 400, description = "A parameter is wrong; the message names it.", body = ErrorBody),
        (status = 401, description = "`status` without credentials.", body = ErrorBody),
    ),
    security((), ("bearer" = [])))]
pub(super) async fn articles(
    State(app): State<AppState>,
    headers: HeaderMap,
    Peer(peer): Peer,
    Query(p): Query<ListParams>,
) -> Result<Response, Failure> {
    let lang = lang_param(p.lang.as_deref())?;
    let page = number("page", p.page.as_deref(), 1, u32::MAX)?;
    let per_page = number("limit", p.limit.as_deref(), 20, MAX_LIMIT)?;
    if let Some(status) = p.status.as_deref().filter(|s| !s.is_empty()) {
        let staff = require_staff(&app, &headers, peer).await?;
        return api_staff::articles(&app, &staff, status, lang, page, per_page).await;
    }
    let filter = match p.section.as_deref() {
        None | Some("") => ArticleFilter::All,
        Some(slug) => {
            let section = app
                .store
                .section(lang.unwrap_or(Lang::Ar), slug)
                .await?
                .ok_or_else(|| Failure::BadRequest(format!("section: no section {slug:?}")))?;
            ArticleFilter::Section(section.id)
        }
    };
    let list = app
        .store
        .list_articles(&ArticleQuery {
            lang,
            filter,
            page,
            per_page,
        })
        .await?;
    let articles = app.articles_json(&list.items).await?;
    Ok(
        Json(json!({ "articles": articles, "page": list.page, "total": list.total }))
            .into_response(),
    )
}

#[utoipa::path(get, path = "/api/v1/search", tag = "reading",
    params(
        ("q" = String, Query, description = "Words to search for, Arabic or English"),
        ("lang" = Option<String>, Query, description = "`ar` or `en`"),
        ("page" = Option<u32>, Query, description = "1–1000"),
        ("limit" = Option<u32>, Query, description = "1–100, default 10"),
    ),
    responses(
        (status = 200, description = "Hits with highlighted snippets.", body = SearchResults),
        (status = 400, description = "A parameter is wrong; the message names it.", body = ErrorBody),
    ))]
pub(super) async fn search(
    State(app): State<AppState>,
    Query(p): Query<super::site::SearchParams>,
) -> Result<Response, Failure> {
    let lang = lang_param(p.lang.as_deref())?;
    let limit = number("limit", p.limit.as_deref(), 10, MAX_LIMIT)? as usize;
    if let Some(page) = p.page.as_deref() {
        number("page", Some(page), 1, 1000)?;
    }
    let q = p.query(&app, lang, limit);
    if q.text.is_empty() {
        return Err(Failure::BadRequest(
            "q: give one or more words to search for".into(),
        ));
    }
    let results = app.search.search(&q).await?;
    let (hits, total) = match results {
        Some(r) => (r.hits, r.total),
        None => (Vec::new(), 0),
    };
    let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
    let articles: std::collections::HashMap<i64, crate::model::Article> = app
        .store
        .cards_by_ids(&ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let hits: Vec<_> = hits
        .iter()
        .filter_map(|h| {
            let a = articles.get(&h.id)?;
            Some(json!({
                "id": h.id,
                "url": app.views.urls.article(a),
                "headline": a.headline,
                "snippet": h.snippet,
                "score": h.score,
            }))
        })
        .collect();
    Ok(Json(json!({ "hits": hits, "total": total, "page": q.page })).into_response())
}

#[utoipa::path(get, path = "/api/v1/articles/{id}/related", tag = "articles",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "Related articles, best first.", body = ArticleList),
        (status = 404, description = "No such published article.", body = ErrorBody),
    ))]
pub(super) async fn related(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let a = published(&app, &id).await?;
    let ids: Vec<i64> = app
        .related(&a)
        .await?
        .iter()
        .take(app.config.related.cards.max(1))
        .map(|r| r.id)
        .collect();
    let articles = app.articles_json_by_ids(&ids).await?;
    Ok(Json(json!({ "articles": articles })).into_response())
}

/// The published article a path's `{id}` names, or 404.
async fn published(app: &AppState, id: &str) -> Result<crate::model::Article, Failure> {
    let id: i64 = id.parse().map_err(|_| Failure::NotFound)?;
    app.store.article_by_id(id).await?.ok_or(Failure::NotFound)
}

#[utoipa::path(get, path = "/api/v1/articles/{id}", tag = "articles",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "The article; with credentials also one that is not public but the caller may see, with `status`, `revision` and `warnings`.", body = StaffArticle),
        (status = 401, description = "Credentials that do not work.", body = ErrorBody),
        (status = 404, description = "No such article (for this caller).", body = ErrorBody),
    ),
    security((), ("bearer" = [])))]
pub(super) async fn article(
    State(app): State<AppState>,
    headers: HeaderMap,
    Peer(peer): Peer,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    if let Some(staff) = staff_of(&app, &headers, peer).await? {
        return api_staff::article(&app, &staff, &id).await;
    }
    let a = published(&app, &id).await?;
    Ok(Json(app.article_json(&a).await?).into_response())
}
