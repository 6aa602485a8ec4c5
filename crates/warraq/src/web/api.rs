//! The public, read-only JSON API: `/api/v1/…`.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::{AppState, Failure};
use crate::model::Lang;
use crate::render::article_json;
use crate::store::{ArticleFilter, ArticleQuery};

const MAX_LIMIT: u32 = 100;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/articles", get(articles))
        .route("/api/v1/articles/{id}", get(article))
}

/// Query parameters arrive as text so that a wrong one gets an error naming
/// it, not a generic deserialisation failure.
#[derive(Deserialize)]
struct ListParams {
    lang: Option<String>,
    section: Option<String>,
    page: Option<String>,
    limit: Option<String>,
}

fn number(name: &str, value: Option<&str>, default: u32, max: u32) -> Result<u32, Failure> {
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

async fn articles(
    State(app): State<AppState>,
    Query(p): Query<ListParams>,
) -> Result<Response, Failure> {
    let lang = match p.lang.as_deref() {
        None | Some("") => None,
        Some(code) => Some(
            code.parse::<Lang>()
                .map_err(|e| Failure::BadRequest(format!("lang: {e}")))?,
        ),
    };
    let page = number("page", p.page.as_deref(), 1, u32::MAX)?;
    let per_page = number("limit", p.limit.as_deref(), 20, MAX_LIMIT)?;
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
    let articles: Vec<_> = list
        .items
        .iter()
        .map(|a| article_json(a, &app.views))
        .collect();
    Ok(
        Json(json!({ "articles": articles, "page": list.page, "total": list.total }))
            .into_response(),
    )
}

async fn article(State(app): State<AppState>, Path(id): Path<String>) -> Result<Response, Failure> {
    let id: i64 = id.parse().map_err(|_| Failure::NotFound)?;
    let a = app
        .store
        .article_by_id(id)
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(article_json(&a, &app.views)).into_response())
}
