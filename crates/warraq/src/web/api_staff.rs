//! The write side of the JSON API, and what staff read through it: with
//! `Authorization: Bearer TOKEN` (or a back-office session and its CSRF
//! token), the same saves and permissions as the back office.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::auth::{ApiStaff, Staff};
use super::openapi::{AuditLog, ErrorBody, RevisionList, StaffArticle};
use super::{AppState, Failure};
use crate::model::{Lang, Stage};
use crate::service::ArticleInput;
use crate::store::StaffQuery;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/articles", post(create))
        .route("/api/v1/articles/{id}", patch(update).delete(delete))
        .route("/api/v1/articles/{id}/revisions", get(revisions))
        .route("/api/v1/articles/{id}/revisions/{n}/restore", post(restore))
        .route("/api/v1/articles/{id}/preview", post(preview))
        .route("/api/v1/audit", get(audit))
}

fn body(input: Result<Json<ArticleInput>, JsonRejection>) -> Result<ArticleInput, Failure> {
    input
        .map(|Json(i)| i)
        .map_err(|e| Failure::BadRequest(e.body_text()))
}

fn article_id(id: &str) -> Result<i64, Failure> {
    id.parse().map_err(|_| Failure::NotFound)
}

#[utoipa::path(post, path = "/api/v1/articles", tag = "writing",
    request_body = ArticleInput,
    responses(
        (status = 201, description = "Created: the article as `GET` gives it, with `status`, `revision` and `warnings`.", body = StaffArticle),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "The caller's role may not do this (publish, schedule…).", body = ErrorBody),
        (status = 422, description = "Fields failed validation; `error.fields` names each.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn create(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    input: Result<Json<ArticleInput>, JsonRejection>,
) -> Result<Response, Failure> {
    let saved = app
        .save_article(&staff.user, &staff.actor(), None, body(input)?)
        .await?;
    let json = app.staff_json(&saved.article, &saved.warnings).await?;
    Ok((StatusCode::CREATED, Json(json)).into_response())
}

#[utoipa::path(patch, path = "/api/v1/articles/{id}", tag = "writing",
    params(("id" = i64, Path, description = "Article id")),
    request_body(content = ArticleInput, description = "Any subset of the fields; `revision` makes the save fail with 409 if someone saved since."),
    responses(
        (status = 200, description = "Saved.", body = StaffArticle),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "The caller's role may not do this.", body = ErrorBody),
        (status = 404, description = "No such article (for this caller).", body = ErrorBody),
        (status = 409, description = "Saved by someone else since `revision`; `error.revision` is the stored one.", body = ErrorBody),
        (status = 422, description = "Fields failed validation; `error.fields` names each.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn update(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    input: Result<Json<ArticleInput>, JsonRejection>,
) -> Result<Response, Failure> {
    let id = article_id(&id)?;
    let saved = app
        .save_article(&staff.user, &staff.actor(), Some(id), body(input)?)
        .await?;
    Ok(Json(app.staff_json(&saved.article, &saved.warnings).await?).into_response())
}

#[utoipa::path(delete, path = "/api/v1/articles/{id}", tag = "writing",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "Unpublished and moved to the trash.", body = StaffArticle),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "The caller's role may not do this.", body = ErrorBody),
        (status = 404, description = "No such article (for this caller).", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn delete(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let saved = app
        .trash_article(&staff.user, &staff.actor(), article_id(&id)?)
        .await?;
    Ok(Json(app.staff_json(&saved.article, &[]).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/articles/{id}/revisions", tag = "writing",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "Every save of the article, newest first: who, when, its headline then.", body = RevisionList),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 404, description = "No such article (for this caller).", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn revisions(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let list = app.revisions(&staff.user, article_id(&id)?).await?;
    Ok(Json(json!({ "revisions": list })).into_response())
}

#[utoipa::path(post, path = "/api/v1/articles/{id}/revisions/{n}/restore", tag = "writing",
    params(
        ("id" = i64, Path, description = "Article id"),
        ("n" = i64, Path, description = "The revision to restore"),
    ),
    responses(
        (status = 200, description = "Its fields saved again as a new revision (status and time unchanged).", body = StaffArticle),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "The caller's role may not change this article.", body = ErrorBody),
        (status = 404, description = "No such article or revision (for this caller).", body = ErrorBody),
        (status = 422, description = "The revision no longer validates (a section since removed…).", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn restore(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, Failure> {
    let n: i64 = n.parse().map_err(|_| Failure::NotFound)?;
    let saved = app
        .restore_revision(&staff.user, &staff.actor(), article_id(&id)?, n)
        .await?;
    Ok(Json(app.staff_json(&saved.article, &saved.warnings).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/articles/{id}/preview", tag = "writing",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 201, description = "A link that shows the saved article as the site will, to anyone who has it, until `expires_at` (`[admin] preview_hours`).", body = crate::service::Preview),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 404, description = "No such article (for this caller).", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn preview(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let link = app.preview_link(&staff.user, article_id(&id)?).await?;
    Ok((StatusCode::CREATED, Json(link)).into_response())
}

/// `GET /api/v1/articles/{id}` with credentials: what this user may see,
/// public or not.
pub async fn article(app: &AppState, staff: &Staff, id: &str) -> Result<Response, Failure> {
    let a = app.staff_article(&staff.user, article_id(id)?).await?;
    Ok(Json(app.staff_json(&a, &[]).await?).into_response())
}

/// `GET /api/v1/articles?status=…` with credentials.
pub async fn articles(
    app: &AppState,
    staff: &Staff,
    status: &str,
    lang: Option<Lang>,
    page: u32,
    per_page: u32,
) -> Result<Response, Failure> {
    let stage: Stage = status
        .parse()
        .map_err(|e: String| Failure::BadRequest(format!("status: {e}")))?;
    let list = app
        .staff_articles(
            &staff.user,
            StaffQuery {
                stage: Some(stage),
                lang,
                page,
                per_page,
                ..StaffQuery::default()
            },
        )
        .await?;
    let mut articles = Vec::with_capacity(list.items.len());
    for a in &list.items {
        articles.push(app.staff_json(a, &[]).await?);
    }
    Ok(
        Json(json!({ "articles": articles, "page": list.page, "total": list.total }))
            .into_response(),
    )
}

#[derive(Deserialize)]
pub(super) struct AuditParams {
    page: Option<String>,
    limit: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "people",
    params(
        ("page" = Option<u32>, Query, description = "1-based"),
        ("limit" = Option<u32>, Query, description = "1–500, default 50"),
    ),
    responses(
        (status = 200, description = "The audit log, newest first.", body = AuditLog),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "Only admins read the audit log.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn audit(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Query(p): Query<AuditParams>,
) -> Result<Response, Failure> {
    if !staff.user.role.reads_audit() {
        return Err(Failure::Forbidden("only admins read the audit log".into()));
    }
    let page = super::api::number("page", p.page.as_deref(), 1, u32::MAX)?;
    let limit = super::api::number("limit", p.limit.as_deref(), 50, 500)?;
    let log = app.store.audit_log(page, limit).await?;
    Ok(Json(json!({ "entries": log.items, "page": log.page, "total": log.total })).into_response())
}
