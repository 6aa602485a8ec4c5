//! The public, read-only JSON API: `/api/v1/…`.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::auth::{require_staff, staff_of, Peer};
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
struct ListParams {
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

#[derive(Deserialize)]
struct MostReadParams {
    window: Option<String>,
    days: Option<String>,
    hours: Option<String>,
    lang: Option<String>,
    section: Option<String>,
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

async fn most_read(
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

async fn views(State(app): State<AppState>, Path(id): Path<String>) -> Result<Response, Failure> {
    let id = published(&app, &id).await?.id;
    let counts: serde_json::Map<String, serde_json::Value> = app
        .stats
        .article_views(id)
        .into_iter()
        .map(|(window, views)| (window.name().to_string(), json!(views)))
        .collect();
    Ok(Json(counts).into_response())
}

async fn digest(
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

async fn articles(
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

async fn search(
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

async fn related(State(app): State<AppState>, Path(id): Path<String>) -> Result<Response, Failure> {
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

async fn article(
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
