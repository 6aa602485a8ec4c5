//! Who is asking: a member of staff with a session cookie (the back
//! office) or a Bearer token (scripts, partners, the editor's API calls),
//! and the CSRF check every state-changing request made with a session
//! must pass.

use std::net::SocketAddr;

use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{AppState, Failure};
use crate::auth::{digest, same_secret};
use crate::model::{Actor, User};
pub use crate::stats::SESSION_COOKIE;
use crate::store::{Session, SessionLife};

/// The cookie that carries the sign-in form's CSRF token before there is
/// a session.
pub const LOGIN_COOKIE: &str = "warraq_login";
/// The largest body a member of staff may send (an article with its HTML).
pub const STAFF_BODY_LIMIT: usize = 4 * 1024 * 1024;

/// The largest body of an upload: the file at the media library's limit,
/// with room for the form's other fields.
pub fn upload_body_limit(app: &AppState) -> usize {
    app.config.media.max_upload_bytes() + 1024 * 1024
}

/// A signed-in member of staff and how they came in.
#[derive(Clone)]
pub struct Staff {
    pub user: User,
    /// `None` when the request came with a token.
    pub session: Option<Session>,
    pub address: String,
}

impl Staff {
    pub fn actor(&self) -> Actor {
        Actor::of(&self.user, &self.address)
    }

    pub fn csrf(&self) -> &str {
        self.session.as_ref().map_or("", |s| s.csrf.as_str())
    }
}

/// The peer's address, as the audit log and the sign-in throttle see it.
pub fn address_of(req_extensions: &axum::http::Extensions) -> String {
    req_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The peer's address, as an extractor.
pub struct Peer(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Peer(address_of(&parts.extensions)))
    }
}

/// The value of cookie `name` in a request's headers.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly and SameSite=Lax always, Secure when
/// the site is served over https. `max_age` zero removes the cookie.
pub fn set_cookie(
    app: &AppState,
    name: &str,
    value: &str,
    path: &str,
    max_age: Option<i64>,
) -> String {
    let mut c = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax");
    if app.config.base_url.starts_with("https://") {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    c
}

pub fn session_life(app: &AppState) -> SessionLife {
    SessionLife {
        idle_seconds: app.config.admin.session_idle_minutes * 60,
        absolute_seconds: app.config.admin.session_max_hours * 3600,
    }
}

/// The session a request's cookie names, pending or not.
pub async fn session_of(app: &AppState, headers: &HeaderMap) -> Result<Option<Session>, Failure> {
    match cookie(headers, SESSION_COOKIE) {
        Some(id) if !id.is_empty() => Ok(app.store.session(&digest(id), session_life(app)).await?),
        _ => Ok(None),
    }
}

/// The member of staff making the request, if any: a Bearer token is
/// checked first (and a wrong one is an error, not a visitor); then a
/// session that passed its second factor.
pub async fn staff_of(
    app: &AppState,
    headers: &HeaderMap,
    address: String,
) -> Result<Option<Staff>, Failure> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Failure::Unauthorized("Authorization must be \"Bearer TOKEN\"".into())
            })?;
        let user = app
            .store
            .user_by_token(&digest(token))
            .await?
            .ok_or_else(|| {
                Failure::Unauthorized("the token is unknown, revoked, or its user disabled".into())
            })?;
        return Ok(Some(Staff {
            user,
            session: None,
            address,
        }));
    }
    Ok(session_of(app, headers)
        .await?
        .filter(|s| !s.pending)
        .map(|s| Staff {
            user: s.user.clone(),
            session: Some(s),
            address,
        }))
}

/// Like [`staff_of`], but 401 without credentials.
pub async fn require_staff(
    app: &AppState,
    headers: &HeaderMap,
    address: String,
) -> Result<Staff, Failure> {
    staff_of(app, headers, address)
        .await?
        .ok_or_else(|| Failure::Unauthorized("sign in, or send a Bearer token".into()))
}

/// A member of staff, for an API handler: 401 without credentials.
pub struct ApiStaff(pub Staff);

impl axum::extract::FromRequestParts<AppState> for ApiStaff {
    type Rejection = Failure;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        app: &AppState,
    ) -> Result<Self, Failure> {
        let address = address_of(&parts.extensions);
        require_staff(app, &parts.headers, address)
            .await
            .map(ApiStaff)
    }
}

fn unsafe_method(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses a state-changing request made with a session (or to the
/// sign-in form) unless it carries the session's CSRF token, as the form
/// field `csrf` (of a urlencoded or a multipart form) or the header
/// `X-CSRF-Token`. Requests with a Bearer token need none: a browser never
/// adds one by itself. The body is read here (up to [`STAFF_BODY_LIMIT`],
/// or [`upload_body_limit`] for a multipart form) and handed on untouched.
pub async fn csrf_guard(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let staff_path = path.starts_with("/admin/") || path == "/admin" || path.starts_with("/api/");
    if !unsafe_method(req.method())
        || !staff_path
        || req.headers().contains_key(header::AUTHORIZATION)
    {
        return next.run(req).await;
    }
    // The sign-in form has no session yet (or one it replaces): its token
    // is in its own cookie.
    let session = match session_of(&app, req.headers()).await {
        Ok(s) => s,
        Err(f) => return f.into_response(),
    };
    let expected = if path == "/admin/login" {
        cookie(req.headers(), LOGIN_COOKIE).map(str::to_string)
    } else if let Some(s) = &session {
        Some(s.csrf.clone())
    } else {
        // No session: nothing a forged request could act as; the handler
        // answers 401.
        return next.run(req).await;
    };
    let refuse = |failure: Failure| -> Response {
        if path.starts_with("/api/") {
            failure.json()
        } else {
            super::admin::refusal(&app, session.as_ref().map(|s| s.user.lang), failure)
        }
    };
    let (parts, body) = req.into_parts();
    let limit = if is_multipart(&parts.headers) {
        upload_body_limit(&app)
    } else {
        STAFF_BODY_LIMIT
    };
    let bytes = match to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => {
            return refuse(Failure::TooLarge(format!(
                "the request body is larger than {} MB",
                limit / (1024 * 1024)
            )))
        }
    };
    let mut given = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| form_field(&parts.headers, &bytes, "csrf"));
    if given.is_none() && is_multipart(&parts.headers) {
        given = multipart_field(&parts, &bytes, "csrf").await;
    }
    let ok =
        matches!((&expected, &given), (Some(e), Some(g)) if !e.is_empty() && same_secret(e, g));
    if !ok {
        return refuse(Failure::Forbidden(
            "the request lacks this session's CSRF token (reload the page and try again)".into(),
        ));
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"))
}

/// Field `name` of a multipart body (an upload form), read up to that
/// field only: the back office's forms put their token first (and
/// scripts send the header), so a file after it is never parsed here.
async fn multipart_field(
    parts: &axum::http::request::Parts,
    body: &axum::body::Bytes,
    name: &str,
) -> Option<String> {
    use axum::extract::FromRequest;
    let mut req = Request::new(Body::from(body.clone()));
    *req.headers_mut() = parts.headers.clone();
    let mut form = axum::extract::Multipart::from_request(req, &())
        .await
        .ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

/// Field `name` of a form-encoded body.
fn form_field(headers: &HeaderMap, body: &[u8], name: &str) -> Option<String> {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return None;
    }
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}
