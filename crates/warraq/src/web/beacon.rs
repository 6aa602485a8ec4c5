//! The view-counting endpoints: `POST /hit` (the beacon), `GET /hit.gif`
//! (the no-JavaScript fallback) and `GET /metrics`.
//!
//! Rejected hits that a client could not avoid sending (bots, prefetches,
//! reloads, staff) still get the ordinary answer: a counter's verdict is
//! none of the client's business. Malformed bodies and unknown articles get
//! a 4xx that says what was wrong.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::AppState;
use crate::stats::{Hit, Rejection};

/// The smallest transparent GIF.
const PIXEL: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

/// A beacon body is `{"id": N}`; anything much larger is not one.
const MAX_BODY: usize = 256;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/hit", post(hit))
        .route("/hit.gif", get(hit_gif))
        .route("/metrics", get(metrics))
}

#[derive(Deserialize)]
struct Beacon {
    id: i64,
}

async fn hit(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    // sendBeacon with a string sends text/plain; fetch() callers send JSON.
    if content_type != "text/plain" && content_type != "application/json" {
        app.stats.reject(Rejection::BadRequest);
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "a hit is text/plain or application/json\n",
        )
            .into_response();
    }
    if body.len() > MAX_BODY {
        app.stats.reject(Rejection::BadRequest);
        return (StatusCode::PAYLOAD_TOO_LARGE, "a hit body is {\"id\": N}\n").into_response();
    }
    let beacon: Beacon = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            app.stats.reject(Rejection::BadRequest);
            return (
                StatusCode::BAD_REQUEST,
                format!("a hit body is {{\"id\": N}}: {e}\n"),
            )
                .into_response();
        }
    };
    match app.stats.hit(&hit_of(beacon.id, &headers, peer)) {
        Err(Rejection::UnknownArticle) => {
            (StatusCode::NOT_FOUND, "no published article with this id\n").into_response()
        }
        _ => StatusCode::NO_CONTENT.into_response(),
    }
}

#[derive(Deserialize)]
struct PixelQuery {
    a: Option<String>,
}

async fn hit_gif(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<PixelQuery>,
) -> Response {
    let Some(id) = q.a.as_deref().and_then(|a| a.parse::<i64>().ok()) else {
        app.stats.reject(Rejection::BadRequest);
        return (StatusCode::BAD_REQUEST, pixel_headers(), PIXEL).into_response();
    };
    let status = match app.stats.hit(&hit_of(id, &headers, peer)) {
        Err(Rejection::UnknownArticle) => StatusCode::NOT_FOUND,
        _ => StatusCode::OK,
    };
    (status, pixel_headers(), PIXEL).into_response()
}

/// What counting needs of a request, read from its headers.
fn hit_of(article: i64, headers: &HeaderMap, peer: SocketAddr) -> Hit<'_> {
    let values = |name: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
    };
    Hit {
        article,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok()),
        purposes: ["sec-purpose", "purpose", "x-purpose", "x-moz"]
            .into_iter()
            .flat_map(values)
            .collect(),
        cookies: values("cookie")
            .into_iter()
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.split('=').next())
            .map(str::trim)
            .collect(),
        peer: peer.ip(),
        forwarded_for: values("x-forwarded-for")
            .into_iter()
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse().ok())
            .collect(),
    }
}

fn pixel_headers() -> [(header::HeaderName, &'static str); 2] {
    [
        (header::CONTENT_TYPE, "image/gif"),
        (header::CACHE_CONTROL, "no-store"),
    ]
}

async fn metrics(State(app): State<AppState>) -> Result<Response, super::Failure> {
    let mut text = app.stats.metrics.render();
    // The scheduler's alarm: articles due over a minute ago that no process
    // announced. Read from the database, so any node's scrape tells.
    let (overdue, oldest) = app.overdue().await?;
    let oldest = oldest.map_or(0, |at| (jiff::Timestamp::now() - at).get_seconds().max(0));
    text.push_str(&format!(
        "# HELP warraq_scheduled_overdue Scheduled articles more than a minute past their time and not yet announced.\n\
         # TYPE warraq_scheduled_overdue gauge\nwarraq_scheduled_overdue {overdue}\n\
         # HELP warraq_scheduled_overdue_seconds How late the oldest of them is.\n\
         # TYPE warraq_scheduled_overdue_seconds gauge\nwarraq_scheduled_overdue_seconds {oldest}\n",
    ));
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn headers_become_a_plain_hit() {
        let mut h = HeaderMap::new();
        for (name, value) in [
            ("user-agent", "Mozilla/5.0 Firefox/128.0"),
            ("sec-purpose", "prefetch"),
            ("cookie", "a=1; warraq_session=xyz"),
            ("x-forwarded-for", "203.0.113.9, 10.0.0.2"),
            ("x-forwarded-for", "10.0.0.3"),
        ] {
            h.append(name, HeaderValue::from_static(value));
        }
        let hit = hit_of(7, &h, "127.0.0.1:5000".parse().unwrap());
        assert_eq!(hit.article, 7);
        assert_eq!(hit.user_agent, Some("Mozilla/5.0 Firefox/128.0"));
        assert_eq!(hit.purposes, ["prefetch"]);
        assert_eq!(hit.cookies, ["a", "warraq_session"]);
        assert_eq!(
            hit.forwarded_for,
            ["203.0.113.9", "10.0.0.2", "10.0.0.3"].map(|a| a.parse::<std::net::IpAddr>().unwrap())
        );
    }
}
