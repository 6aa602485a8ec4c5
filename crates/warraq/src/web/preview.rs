//! `GET /preview/{id}?expires=…&sig=…`: an article not yet public, as the
//! site will show it, to whoever has a link the back office signed. Never
//! cached, never indexed; a changed or expired link is refused.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::{AppState, Failure};
use crate::service::PreviewRefused;

pub fn routes() -> Router<AppState> {
    Router::new().route("/preview/{id}", get(preview))
}

#[derive(Deserialize)]
struct Signature {
    expires: Option<String>,
    sig: Option<String>,
}

async fn preview(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<Signature>,
) -> Result<Response, Failure> {
    let text = |key: &str| app.theme.text(crate::model::Lang::Ar, key);
    let tampered = || Failure::Forbidden(text("preview_tampered"));
    let id: i64 = id.parse().map_err(|_| tampered())?;
    let expires: i64 = q
        .expires
        .as_deref()
        .and_then(|e| e.parse().ok())
        .ok_or_else(tampered)?;
    let sig = q.sig.as_deref().ok_or_else(tampered)?;
    let article = match app.previewed(id, expires, sig).await? {
        Ok(a) => a.article,
        Err(PreviewRefused::Tampered) => return Err(tampered()),
        Err(PreviewRefused::Expired) => return Err(Failure::Forbidden(text("preview_expired"))),
        Err(PreviewRefused::Gone) => return Err(Failure::NotFound),
    };
    let html = super::site::article_page(&app, &article, true).await?;
    let mut response = Html(html).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-robots-tag",
        HeaderValue::from_static("noindex, nofollow"),
    );
    // The link must not travel on to other sites in a Referer header.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(response)
}
