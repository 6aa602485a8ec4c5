//! Failures of page handlers, and the error pages readers see for them.
//!
//! Handlers return [`Failure`]; it travels up as a bare status with the
//! failure attached, and [`render_failures`] turns it into an error page in
//! the language of the path, or a JSON error under `/api/`.

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use minijinja::context;

use super::{lang_of_path, pages, site, AppState};
use crate::service::{EditError, FieldError};

#[derive(Clone, Debug)]
pub enum Failure {
    NotFound,
    BadRequest(String),
    /// No credentials, or credentials that no longer work.
    Unauthorized(String),
    /// Signed in, but not allowed.
    Forbidden(String),
    /// Saved by someone else meanwhile: the stored revision.
    Conflict(String, i64),
    /// Fields that failed validation.
    Invalid(Vec<FieldError>),
    /// Too many attempts: retry after this many seconds.
    TooMany(String, i64),
    /// A body (an upload) over its limit.
    TooLarge(String),
    /// A body of a kind the route does not take (an upload that is not an
    /// image).
    Unsupported(String),
    Internal(String),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Internal(format!("{e:#}"))
    }
}

impl From<EditError> for Failure {
    fn from(e: EditError) -> Self {
        match e {
            EditError::NotFound => Failure::NotFound,
            EditError::Forbidden(m) => Failure::Forbidden(m),
            EditError::Conflict { current } => Failure::Conflict(
                format!("the article was saved meanwhile: it is at revision {current}"),
                current,
            ),
            EditError::Invalid(fields) => Failure::Invalid(fields),
            EditError::Internal(e) => Failure::from(e),
        }
    }
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::NotFound => StatusCode::NOT_FOUND,
            Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
            Failure::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Failure::Forbidden(_) => StatusCode::FORBIDDEN,
            Failure::Conflict(..) => StatusCode::CONFLICT,
            Failure::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Failure::TooMany(..) => StatusCode::TOO_MANY_REQUESTS,
            Failure::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Failure::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code API clients branch on.
    fn code(&self) -> &'static str {
        match self {
            Failure::NotFound => "not_found",
            Failure::BadRequest(_) => "bad_request",
            Failure::Unauthorized(_) => "unauthorized",
            Failure::Forbidden(_) => "forbidden",
            Failure::Conflict(..) => "conflict",
            Failure::Invalid(_) => "invalid",
            Failure::TooMany(..) => "too_many_requests",
            Failure::TooLarge(_) => "too_large",
            Failure::Unsupported(_) => "unsupported_media_type",
            Failure::Internal(_) => "internal",
        }
    }

    pub(super) fn message(&self) -> String {
        match self {
            Failure::NotFound => "not found".into(),
            Failure::BadRequest(m)
            | Failure::Unauthorized(m)
            | Failure::Forbidden(m)
            | Failure::Conflict(m, _)
            | Failure::TooMany(m, _)
            | Failure::TooLarge(m)
            | Failure::Unsupported(m) => m.clone(),
            Failure::Invalid(fields) => fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; "),
            Failure::Internal(_) => "internal error".into(),
        }
    }

    /// `{"error": {"code", "message", …}}`, with the failing fields or the
    /// current revision when there are.
    pub fn json(&self) -> Response {
        let mut error = serde_json::json!({ "code": self.code(), "message": self.message() });
        match self {
            Failure::Invalid(fields) => error["fields"] = serde_json::json!(fields),
            Failure::Conflict(_, current) => error["revision"] = serde_json::json!(current),
            _ => {}
        }
        let mut response =
            (self.status(), Json(serde_json::json!({ "error": error }))).into_response();
        self.add_headers(&mut response);
        response
    }

    fn add_headers(&self, response: &mut Response) {
        match self {
            Failure::TooMany(_, seconds) => {
                response.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from(*seconds),
                );
            }
            Failure::Unauthorized(_) => {
                response.headers_mut().insert(
                    axum::http::header::WWW_AUTHENTICATE,
                    axum::http::HeaderValue::from_static("Bearer"),
                );
            }
            _ => {}
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}

pub async fn render_failures(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let readable = matches!(*req.method(), Method::GET | Method::HEAD);
    let response = next.run(req).await;
    let Some(failure) = response.extensions().get::<Failure>().cloned() else {
        return response;
    };
    // Old URLs of an imported site live on as redirects, asked only when
    // nothing else answers.
    if readable && matches!(failure, Failure::NotFound) && !path.starts_with("/api/") {
        if let Some(redirect) = pages::redirect_for(&app, &path, query.as_deref()).await {
            return redirect;
        }
    }
    let status = failure.status();
    if let Failure::Internal(detail) = &failure {
        tracing::error!(%path, "{detail}");
    }
    if path.starts_with("/api/") {
        return failure.json();
    }
    let lang = lang_of_path(&path);
    let t = |key: &str| app.theme.text(lang, key);
    let (heading, message) = match &failure {
        Failure::NotFound => ("not_found_title", t("not_found_text")),
        Failure::Internal(_) => ("error_title", t("error_text")),
        other => ("not_found_title", other.message()),
    };
    let page = site::base_context(&app, lang, &path, &t(heading), &message, None).await;
    let html = page.and_then(|ctx| {
        app.theme.render(
            "error.html",
            context! { heading => t(heading), message => message, ..ctx },
        )
    });
    match html {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!("rendering the error page: {e:#}");
            (status, "error\n").into_response()
        }
    }
}
