//! Serving pages from the page cache, with `ETag`/`Last-Modified`
//! revalidation and gzip for clients that accept it.
//!
//! A hot article page is a hash-map lookup and a copy of shared bytes: no
//! database query, no template. The first request after any write renders
//! afresh (see [`PageCache`]).

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::page_cache::{cache_key, CachedPage, PageCache};
use super::AppState;

/// Rendered pages are a few tens of kilobytes; anything larger is not cached.
const MAX_CACHED_BODY: usize = 4 * 1024 * 1024;

/// Pages: fresh until the content changes (or their lifetime ends).
pub async fn page_cache(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let version = app.store.version();
    serve_cached(&app.cache, version, req, next).await
}

/// Answers built on view counts (most read, digest): fresh until the content
/// changes or the next flush re-ranks the lists, so under any load a list is
/// computed at most once per flush and otherwise read from memory.
pub async fn live_cache(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let version = app.store.version().wrapping_mul(1 << 32) ^ app.stats.generation();
    serve_cached(&app.live_cache, version, req, next).await
}

async fn serve_cached(cache: &PageCache, version: u64, req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return next.run(req).await;
    }
    // What staff see through the API depends on who they are.
    let staff = req.headers().contains_key(header::AUTHORIZATION)
        || (req.uri().path().starts_with("/api/")
            && super::auth::cookie(req.headers(), super::auth::SESSION_COOKIE).is_some());
    if staff {
        return next.run(req).await;
    }
    let key = cache_key(req.uri().path(), req.uri().query());
    let headers = req.headers().clone();
    if let Some(page) = cache.get(&key, version) {
        return respond(&page, &headers);
    }

    let response = next.run(req).await;
    if response.status() != StatusCode::OK
        || response
            .extensions()
            .get::<super::pages::Uncached>()
            .is_some()
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Some(content_type) = parts.headers.get(header::CONTENT_TYPE).cloned() else {
        return Response::from_parts(parts, body);
    };
    let bytes = match to_bytes(body, MAX_CACHED_BODY).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(%key, "page body: {e}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let page = Arc::new(CachedPage::new(version, content_type, bytes));
    cache.insert(key, page.clone());
    respond(&page, &headers)
}

fn respond(page: &CachedPage, request: &HeaderMap) -> Response {
    let etag = HeaderValue::from_str(&page.etag).expect("hex etag");
    let last_modified = HeaderValue::from_str(&page.last_modified).expect("ascii date");
    let not_modified = match request.get(header::IF_NONE_MATCH) {
        Some(tags) => tags
            .to_str()
            .map(|tags| {
                tags.split(',')
                    .any(|t| t.trim() == page.etag || t.trim() == "*")
            })
            .unwrap_or(false),
        None => request.get(header::IF_MODIFIED_SINCE) == Some(&last_modified),
    };
    let mut builder = Response::builder()
        .header(header::ETAG, etag)
        .header(header::LAST_MODIFIED, last_modified)
        .header(header::CACHE_CONTROL, "public, max-age=60")
        .header(header::VARY, "Accept-Encoding");
    if not_modified {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .expect("valid response");
    }
    builder = builder.header(header::CONTENT_TYPE, page.content_type.clone());
    let gzip = if accepts_gzip(request) {
        page.gzip()
    } else {
        None
    };
    let body = match gzip {
        Some(gzip) => {
            builder = builder.header(header::CONTENT_ENCODING, "gzip");
            gzip.clone()
        }
        None => page.body.clone(),
    };
    builder.body(Body::from(body)).expect("valid response")
}

fn accepts_gzip(request: &HeaderMap) -> bool {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            name.eq_ignore_ascii_case("gzip") && !refused
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    #[test]
    fn gzip_negotiation() {
        assert!(accepts_gzip(&with("gzip, deflate, br")));
        assert!(accepts_gzip(&with("br;q=1.0, GZIP;q=0.5")));
        assert!(!accepts_gzip(&with("gzip;q=0")));
        assert!(!accepts_gzip(&with("br")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
