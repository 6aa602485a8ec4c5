//! The site around the articles through the JSON API: static pages,
//! sections, byline profiles and redirects, for editors and admins, with
//! the same saves as the back office (see `service/site.rs`).

use std::collections::BTreeMap;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::auth::{ApiStaff, Staff};
use super::openapi::ErrorBody;
use super::{AppState, Failure};
use crate::model::{Lang, RedirectTarget};
use crate::service::site::{AuthorInput, PageInput, RedirectInput, SectionInput};
use crate::store::{AuthorRow, RedirectRow, SectionRow, StaffPage};

pub fn routes() -> Router<AppState> {
    Router::new()
        // One method a line: the OpenAPI test reads each route's line.
        .route("/api/v1/pages", post(create_page))
        .route("/api/v1/pages/{id}", get(staff_page))
        .route("/api/v1/pages/{id}", patch(update_page))
        .route("/api/v1/sections", get(list_sections))
        .route("/api/v1/sections", post(create_section))
        .route("/api/v1/sections/{id}", patch(update_section))
        .route("/api/v1/authors", get(list_authors))
        .route("/api/v1/authors/{id}", patch(update_author))
        .route("/api/v1/redirects", get(list_redirects))
        .route("/api/v1/redirects", post(add_redirect))
        .route("/api/v1/redirects", delete(remove_redirect))
}

fn body<T>(input: Result<Json<T>, JsonRejection>) -> Result<T, Failure> {
    input
        .map(|Json(i)| i)
        .map_err(|e| Failure::BadRequest(e.body_text()))
}

fn id_of(id: &str) -> Result<i64, Failure> {
    id.parse().map_err(|_| Failure::NotFound)
}

/// Reads of what only editors and admins change are theirs too.
fn manager(staff: &Staff) -> Result<(), Failure> {
    if staff.user.role.manages_site() {
        Ok(())
    } else {
        Err(Failure::Forbidden(format!(
            "the {} role may not manage pages, sections, bylines or redirects",
            staff.user.role
        )))
    }
}

/// A page as staff see it.
#[derive(Serialize, ToSchema)]
pub struct PageDetail {
    id: i64,
    lang: String,
    /// Its place in the tree: `about/team`.
    path: String,
    slug: String,
    parent_id: Option<i64>,
    /// Where it is (or will be) served.
    url: String,
    title: String,
    /// As stored: sanitised.
    body_html: String,
    /// draft, review, published or private.
    status: String,
    seo_title: String,
    meta_description: String,
    position: i64,
    published_at: String,
    updated_at: String,
}

async fn page_json(app: &AppState, p: &StaffPage) -> Result<Value, Failure> {
    let page = &p.page;
    Ok(json!({
        "id": page.id,
        "lang": page.lang,
        "path": page.path,
        "slug": page.path.rsplit('/').next().unwrap_or(&page.path),
        "parent_id": app.page_parent(p).await?,
        "url": super::pages::page_url(page),
        "title": page.title,
        "body_html": page.body_html,
        "status": page.status.as_str(),
        "seo_title": page.seo_title,
        "meta_description": page.meta_description,
        "position": p.position,
        "published_at": page.published_at.to_string(),
        "updated_at": page.updated_at.to_string(),
    }))
}

#[utoipa::path(post, path = "/api/v1/pages", tag = "site",
    request_body = PageInput,
    responses(
        (status = 201, description = "Created.", body = PageDetail),
        (status = 400, description = "The body is not JSON of this shape (unknown fields included).", body = ErrorBody),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "Only editors and admins write pages.", body = ErrorBody),
        (status = 422, description = "Fields failed validation; `error.fields` names each.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn create_page(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    input: Result<Json<PageInput>, JsonRejection>,
) -> Result<Response, Failure> {
    let page = app
        .save_page(&staff.user, &staff.actor(), None, body(input)?)
        .await?;
    Ok((StatusCode::CREATED, Json(page_json(&app, &page).await?)).into_response())
}

#[utoipa::path(get, path = "/api/v1/pages/{id}", tag = "site",
    params(("id" = i64, Path, description = "Page id")),
    responses(
        (status = 200, description = "The page, in whatever status.", body = PageDetail),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "Only editors and admins read pages that are not public.", body = ErrorBody),
        (status = 404, description = "No such page.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn staff_page(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    manager(&staff)?;
    let page = app
        .store
        .staff_page(id_of(&id)?)
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(page_json(&app, &page).await?).into_response())
}

#[utoipa::path(patch, path = "/api/v1/pages/{id}", tag = "site",
    params(("id" = i64, Path, description = "Page id")),
    request_body(content = PageInput, description = "Any subset of the fields. A new slug or parent moves the pages under it too; each that was public leaves a 301 at its old URL."),
    responses(
        (status = 200, description = "Saved.", body = PageDetail),
        (status = 400, description = "The body is not JSON of this shape (unknown fields included).", body = ErrorBody),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "Only editors and admins write pages.", body = ErrorBody),
        (status = 404, description = "No such page.", body = ErrorBody),
        (status = 422, description = "Fields failed validation (a taken path, a parent that would make a cycle…).", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn update_page(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    input: Result<Json<PageInput>, JsonRejection>,
) -> Result<Response, Failure> {
    let id = id_of(&id)?;
    let page = app
        .save_page(&staff.user, &staff.actor(), Some(id), body(input)?)
        .await?;
    Ok(Json(page_json(&app, &page).await?).into_response())
}

/// A section with its names.
#[derive(Serialize, ToSchema)]
pub struct SectionDetail {
    id: i64,
    slug: String,
    /// Its place in the navigation, smallest first.
    position: i64,
    parent_id: Option<i64>,
    /// Its name per language.
    names: BTreeMap<String, String>,
    /// Its page in each edition.
    urls: BTreeMap<String, String>,
}

#[derive(Serialize, ToSchema)]
pub struct SectionList {
    sections: Vec<SectionDetail>,
}

fn section_json(app: &AppState, s: &SectionRow) -> Value {
    let names: BTreeMap<&str, &str> = s
        .names
        .iter()
        .map(|(l, n)| (l.code(), n.as_str()))
        .collect();
    let urls: BTreeMap<&str, String> = Lang::ALL
        .iter()
        .map(|&l| (l.code(), app.views.urls.section(l, &s.slug)))
        .collect();
    json!({
        "id": s.id,
        "slug": s.slug,
        "position": s.position,
        "parent_id": s.parent_id,
        "names": names,
        "urls": urls,
    })
}

#[utoipa::path(get, path = "/api/v1/sections", tag = "site",
    responses(
        (status = 200, description = "Every section, in the navigation's order.", body = SectionList),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn list_sections(
    State(app): State<AppState>,
    ApiStaff(_): ApiStaff,
) -> Result<Response, Failure> {
    let sections: Vec<Value> = app
        .store
        .section_rows()
        .await?
        .iter()
        .map(|s| section_json(&app, s))
        .collect();
    Ok(Json(json!({ "sections": sections })).into_response())
}

#[utoipa::path(post, path = "/api/v1/sections", tag = "site",
    request_body = SectionInput,
    responses(
        (status = 201, description = "Created, last in the navigation unless `position` says otherwise.", body = SectionDetail),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "Only editors and admins change sections.", body = ErrorBody),
        (status = 422, description = "Fields failed validation; `error.fields` names each.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn create_section(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    input: Result<Json<SectionInput>, JsonRejection>,
) -> Result<Response, Failure> {
    let s = app
        .save_section(&staff.user, &staff.actor(), None, body(input)?)
        .await?;
    Ok((StatusCode::CREATED, Json(section_json(&app, &s))).into_response())
}

#[utoipa::path(patch, path = "/api/v1/sections/{id}", tag = "site",
    params(("id" = i64, Path, description = "Section id")),
    request_body(content = SectionInput, description = "Any subset of the fields: rename (`names`), reorder (`position`), move (`parent_id`). A new slug leaves 301s from the old section pages."),
    responses(
        (status = 200, description = "Saved.", body = SectionDetail),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "Only editors and admins change sections.", body = ErrorBody),
        (status = 404, description = "No such section.", body = ErrorBody),
        (status = 422, description = "Fields failed validation; `error.fields` names each.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn update_section(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    input: Result<Json<SectionInput>, JsonRejection>,
) -> Result<Response, Failure> {
    let id = id_of(&id)?;
    let s = app
        .save_section(&staff.user, &staff.actor(), Some(id), body(input)?)
        .await?;
    Ok(Json(section_json(&app, &s)).into_response())
}

/// One language's face of a byline.
#[derive(Serialize, ToSchema)]
struct ProfileDetail {
    name: String,
    role: String,
    bio: String,
}

/// A byline profile.
#[derive(Serialize, ToSchema)]
pub struct AuthorDetail {
    id: i64,
    slug: String,
    /// Empty when it has none.
    photo_url: String,
    /// Its face per language.
    profiles: BTreeMap<String, ProfileDetail>,
    /// Its page in each edition.
    urls: BTreeMap<String, String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuthorList {
    authors: Vec<AuthorDetail>,
}

fn author_json(app: &AppState, a: &AuthorRow) -> Value {
    let profiles: BTreeMap<&str, Value> = a
        .profiles
        .iter()
        .map(|p| {
            (
                p.lang.code(),
                json!({ "name": p.name, "role": p.role, "bio": p.bio }),
            )
        })
        .collect();
    let urls: BTreeMap<&str, String> = Lang::ALL
        .iter()
        .map(|&l| (l.code(), app.views.urls.author(l, &a.slug)))
        .collect();
    json!({
        "id": a.id,
        "slug": a.slug,
        "photo_url": a.photo_url,
        "profiles": profiles,
        "urls": urls,
    })
}

#[utoipa::path(get, path = "/api/v1/authors", tag = "site",
    responses(
        (status = 200, description = "Every byline profile, by slug.", body = AuthorList),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn list_authors(
    State(app): State<AppState>,
    ApiStaff(_): ApiStaff,
) -> Result<Response, Failure> {
    let authors: Vec<Value> = app
        .store
        .author_rows()
        .await?
        .iter()
        .map(|a| author_json(&app, a))
        .collect();
    Ok(Json(json!({ "authors": authors })).into_response())
}

#[utoipa::path(patch, path = "/api/v1/authors/{id}", tag = "site",
    params(("id" = i64, Path, description = "Author id")),
    request_body(content = AuthorInput, description = "Any subset of the fields; `profiles` replaces the languages it names. A new slug leaves 301s from the old author pages."),
    responses(
        (status = 200, description = "Saved.", body = AuthorDetail),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "Only editors and admins change bylines.", body = ErrorBody),
        (status = 404, description = "No such author.", body = ErrorBody),
        (status = 422, description = "Fields failed validation; `error.fields` names each.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn update_author(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    input: Result<Json<AuthorInput>, JsonRejection>,
) -> Result<Response, Failure> {
    let id = id_of(&id)?;
    let a = app
        .save_author(&staff.user, &staff.actor(), id, body(input)?)
        .await?;
    Ok(Json(author_json(&app, &a)).into_response())
}

/// One redirect: from `source` to an article, a page or a location.
#[derive(Serialize, ToSchema)]
pub struct RedirectDetail {
    /// The old path, decoded, without its trailing slash (or `/?p=ID`).
    source: String,
    article_id: Option<i64>,
    page_id: Option<i64>,
    location: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RedirectList {
    redirects: Vec<RedirectDetail>,
    page: u32,
    total: u64,
}

fn redirect_json(r: &RedirectRow) -> Value {
    let (article, page, location) = match &r.target {
        RedirectTarget::Article(id) => (Some(*id), None, None),
        RedirectTarget::Page(id) => (None, Some(*id), None),
        RedirectTarget::Location(l) => (None, None, Some(l.as_str())),
    };
    json!({ "source": r.source, "article_id": article, "page_id": page, "location": location })
}

#[derive(Serialize, ToSchema)]
pub struct RemovedRedirect {
    /// The source as it was stored.
    removed: String,
}

#[derive(Deserialize)]
pub(super) struct RedirectQuery {
    q: Option<String>,
    page: Option<String>,
    limit: Option<String>,
    source: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/redirects", tag = "site",
    params(
        ("q" = Option<String>, Query, description = "Only those whose source or location contains this"),
        ("page" = Option<u32>, Query, description = "1-based"),
        ("limit" = Option<u32>, Query, description = "1–500, default 50"),
    ),
    responses(
        (status = 200, description = "The redirects, by source.", body = RedirectList),
        (status = 400, description = "A parameter is wrong; the message names it.", body = ErrorBody),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "Only editors and admins manage redirects.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn list_redirects(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Query(q): Query<RedirectQuery>,
) -> Result<Response, Failure> {
    manager(&staff)?;
    let page = super::api::number("page", q.page.as_deref(), 1, u32::MAX)?;
    let limit = super::api::number("limit", q.limit.as_deref(), 50, 500)?;
    let list = app
        .store
        .redirects_page(q.q.as_deref().unwrap_or("").trim(), page, limit)
        .await?;
    let redirects: Vec<Value> = list.items.iter().map(redirect_json).collect();
    Ok(
        Json(json!({ "redirects": redirects, "page": list.page, "total": list.total }))
            .into_response(),
    )
}

#[utoipa::path(post, path = "/api/v1/redirects", tag = "site",
    request_body = RedirectInput,
    responses(
        (status = 201, description = "Added: the source now answers 301.", body = RedirectDetail),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "Only editors and admins manage redirects.", body = ErrorBody),
        (status = 422, description = "A source that is not a free path on this site, or a location that is not a path or URL or that loops back.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn add_redirect(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    input: Result<Json<RedirectInput>, JsonRejection>,
) -> Result<Response, Failure> {
    let r = app
        .add_redirect(&staff.user, &staff.actor(), body(input)?)
        .await?;
    Ok((StatusCode::CREATED, Json(redirect_json(&r))).into_response())
}

#[utoipa::path(delete, path = "/api/v1/redirects", tag = "site",
    params(("source" = String, Query, description = "The source of the redirect to remove")),
    responses(
        (status = 200, description = "Removed: the source no longer redirects.", body = RemovedRedirect),
        (status = 400, description = "No `source` given.", body = ErrorBody),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "Only editors and admins manage redirects.", body = ErrorBody),
        (status = 404, description = "No redirect from there.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn remove_redirect(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Query(q): Query<RedirectQuery>,
) -> Result<Response, Failure> {
    let source = q.source.ok_or_else(|| {
        Failure::BadRequest("give the redirect's source: ?source=/old-path".into())
    })?;
    let removed = app
        .remove_redirect(&staff.user, &staff.actor(), &source)
        .await?;
    Ok(Json(json!({ "removed": removed })).into_response())
}
