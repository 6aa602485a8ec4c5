//! The OpenAPI 3 document of the JSON API, at `/api/openapi.json`: made
//! from the handlers' `#[utoipa::path]` annotations, with the shapes of
//! what they answer described here (the handlers build their JSON with
//! `serde_json`, so these types exist for the document; a test compares
//! them with real answers).

use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use super::{api, api_media, api_site, api_staff, pages, AppState};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "warraq",
        description = "The JSON API of a warraq newsroom: public reads, and, with \
            `Authorization: Bearer TOKEN` (`warraq token create`), the writes and reads \
            of staff, with the same permissions as the back office. Errors are \
            `{\"error\": {\"code\", \"message\"}}` with a stable code."
    ),
    paths(
        api::articles,
        api::article,
        api::related,
        api::search,
        api::most_read,
        api::views,
        api::digest,
        pages::list,
        api_staff::create,
        api_staff::update,
        api_staff::delete,
        api_staff::revisions,
        api_staff::restore,
        api_staff::preview,
        api_staff::audit,
        api_site::create_page,
        api_site::staff_page,
        api_site::update_page,
        api_site::list_sections,
        api_site::create_section,
        api_site::update_section,
        api_site::list_authors,
        api_site::update_author,
        api_site::list_redirects,
        api_site::add_redirect,
        api_site::remove_redirect,
        api_media::upload_media,
        api_media::list_media,
        api_media::media_item,
        api_media::update_media,
        document,
    ),
    components(schemas(crate::service::ArticleInput, crate::service::CoverInput)),
    modifiers(&BearerAuth),
    tags(
        (name = "articles", description = "Articles, public and (with credentials) not"),
        (name = "reading", description = "Search, most read, the digest, pages"),
        (name = "writing", description = "Creating and changing articles"),
        (name = "people", description = "The audit log"),
        (name = "site", description = "Static pages, sections, byline profiles and redirects"),
        (name = "media", description = "The media library: uploads, their smaller copies and their words"),
        (name = "meta", description = "This document"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(document))
}

/// The document itself.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "This OpenAPI 3 document.", content_type = "application/json")))]
pub(super) async fn document() -> Response {
    Json(spec()).into_response()
}

pub fn spec() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// An error answer.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
struct ErrorDetail {
    /// Stable: not_found, bad_request, unauthorized, forbidden, conflict,
    /// invalid, too_many_requests, too_large, unsupported_media_type,
    /// internal.
    code: String,
    message: String,
    /// With `invalid`: each field that failed.
    fields: Option<Vec<crate::service::FieldError>>,
    /// With `conflict`: the stored revision.
    revision: Option<i64>,
}

#[derive(Serialize, ToSchema)]
struct Byline {
    slug: String,
    name: String,
    role: String,
}

#[derive(Serialize, ToSchema)]
struct Named {
    slug: String,
    name: String,
}

#[derive(Serialize, ToSchema)]
struct CoverDoc {
    url: String,
    alt: String,
    caption: String,
    /// Known when the cover is an image of the media library.
    width: Option<u32>,
    height: Option<u32>,
    /// Its smaller copies (`{"width", "url", "type"}`), for `srcset`.
    sizes: Vec<super::api_media::SizeDoc>,
}

/// An article as the API gives it.
#[derive(Serialize, ToSchema)]
pub struct Article {
    id: i64,
    /// Its page on the site.
    url: String,
    /// `ar` or `en`.
    lang: String,
    headline: String,
    standfirst: String,
    /// Sanitised HTML, shortcodes rendered.
    body_html: String,
    authors: Vec<Byline>,
    sections: Vec<Named>,
    tags: Vec<Named>,
    cover: Option<CoverDoc>,
    /// RFC 3339, in the newsroom's time zone.
    published_at: String,
    updated_at: String,
    /// With the most-read list: views in its window.
    views: Option<u64>,
}

/// An article as staff see it: the public shape and its workflow.
#[derive(Serialize, ToSchema)]
pub struct StaffArticle {
    #[serde(flatten)]
    article: Article,
    /// draft, review, scheduled, published, unpublished, private or trash.
    status: Option<String>,
    /// Grows by one with every save; send it back to refuse overwriting
    /// someone else's save.
    revision: Option<i64>,
    /// What the text pipeline noticed (unknown shortcodes…).
    warnings: Option<Vec<String>>,
    /// The other language's edition of the same story.
    translation_id: Option<i64>,
    /// Whether the "read also" block goes inside the body.
    read_also: Option<bool>,
    /// Related articles an editor pinned, in order.
    related: Option<Vec<i64>>,
    /// Why an editor sent it back to its writer (empty: not sent back).
    note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ArticleList {
    articles: Vec<StaffArticle>,
    page: Option<u32>,
    total: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct MostRead {
    window: String,
    articles: Vec<Article>,
}

#[derive(Serialize, ToSchema)]
struct Hit {
    id: i64,
    url: String,
    headline: String,
    /// HTML with `<mark>` around the matched words.
    snippet: String,
    score: f32,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResults {
    hits: Vec<Hit>,
    total: u64,
    page: u32,
}

#[derive(Serialize, ToSchema)]
struct PageDoc {
    id: i64,
    lang: String,
    path: String,
    url: String,
    title: String,
    updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct PageList {
    pages: Vec<PageDoc>,
}

#[derive(Serialize, ToSchema)]
struct Revision {
    /// Its number: the article's `revision` after that save.
    revision: i64,
    at: String,
    user_id: Option<i64>,
    /// The e-mail of who saved, or `cli:USER`.
    actor: String,
    headline: String,
}

#[derive(Serialize, ToSchema)]
pub struct RevisionList {
    revisions: Vec<Revision>,
}

#[derive(Serialize, ToSchema)]
struct AuditEntry {
    id: i64,
    at: String,
    user_id: Option<i64>,
    /// The e-mail of who acted, or `cli:USER`.
    actor: String,
    address: String,
    /// sign_in, sign_in_failed, publish, role_change, token_create…
    action: String,
    target: String,
    detail: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditLog {
    entries: Vec<AuditEntry>,
    page: u32,
    total: u64,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    /// `(method, path)` of every `/api/` route the routers register, read
    /// from their source: a route added without a `#[utoipa::path]` fails
    /// here.
    fn routed() -> BTreeSet<(String, String)> {
        let sources = [
            include_str!("api.rs"),
            include_str!("api_staff.rs"),
            include_str!("api_site.rs"),
            include_str!("api_media.rs"),
            include_str!("pages.rs"),
            include_str!("openapi.rs"),
        ];
        let mut out = BTreeSet::new();
        for source in sources {
            for (at, _) in source.match_indices(".route(\"/api/") {
                let rest = &source[at + ".route(\"".len()..];
                let line = rest.lines().next().unwrap_or_default();
                let (path, handlers) = line.split_once('"').expect("a quoted path");
                for method in ["get", "post", "patch", "put", "delete"] {
                    let called = handlers.contains(&format!(" {method}("))
                        || handlers.contains(&format!(".{method}("));
                    if called {
                        out.insert((method.to_string(), path.to_string()));
                    }
                }
            }
        }
        out
    }

    fn document() -> Value {
        serde_json::to_value(super::spec()).unwrap()
    }

    #[test]
    fn every_api_route_is_documented_and_nothing_else() {
        let doc = document();
        let documented: BTreeSet<(String, String)> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, ops)| {
                ops.as_object()
                    .unwrap()
                    .keys()
                    .map(move |m| (m.clone(), path.clone()))
            })
            .collect();
        let routed = routed();
        assert!(routed.len() >= 13, "found only {routed:?}");
        assert_eq!(routed, documented);
    }

    /// The parts of OpenAPI 3.1 that tools trip over: the version, every
    /// operation with an id and responses, every path parameter declared,
    /// every `$ref` pointing at a schema that exists.
    #[test]
    fn the_document_is_well_formed() {
        let doc = document();
        assert_eq!(doc["openapi"], "3.1.0");
        assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let mut ids = BTreeSet::new();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for (method, op) in ops.as_object().unwrap() {
                let id = op["operationId"].as_str().expect("operationId");
                assert!(ids.insert(id.to_string()), "operationId {id} twice");
                let responses = op["responses"].as_object().expect("responses");
                assert!(
                    responses.keys().any(|s| s.starts_with('2')),
                    "{method} {path}"
                );
                for segment in path.split('/').filter(|s| s.starts_with('{')) {
                    let name = segment.trim_matches(['{', '}']);
                    let declared = op["parameters"].as_array().is_some_and(|ps| {
                        ps.iter().any(|p| p["name"] == name && p["in"] == "path")
                    });
                    assert!(declared, "{method} {path}: path parameter {name}");
                }
            }
        }
        let text = doc.to_string();
        for reference in text.split("\"$ref\":\"").skip(1) {
            let target = reference.split('"').next().unwrap();
            let name = target
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("unexpected $ref {target}"));
            assert!(schemas.contains_key(name), "$ref to missing schema {name}");
        }
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    }

    /// The described input is the accepted input: every property of
    /// ArticleInput is a field the write API takes.
    #[test]
    fn article_input_schema_matches_what_is_accepted() {
        let doc = document();
        let props = doc["components"]["schemas"]["ArticleInput"]["properties"]
            .as_object()
            .unwrap();
        for name in props.keys() {
            let body = format!("{{\"{name}\": null}}");
            let parsed = serde_json::from_str::<crate::service::ArticleInput>(&body);
            assert!(
                parsed
                    .as_ref()
                    .err()
                    .is_none_or(|e| !e.to_string().contains("unknown field")),
                "{name}: {parsed:?}"
            );
        }
        assert!(props.len() >= 12);
    }
}
