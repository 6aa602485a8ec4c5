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

#[derive(Clone, Debug)]
pub enum Failure {
    NotFound,
    BadRequest(String),
    Internal(String),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Internal(format!("{e:#}"))
    }
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::NotFound => StatusCode::NOT_FOUND,
            Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
            Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
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
        let message = match failure {
            Failure::NotFound => "not found".to_string(),
            Failure::BadRequest(m) => m,
            Failure::Internal(_) => "internal error".to_string(),
        };
        return (status, Json(serde_json::json!({ "error": message }))).into_response();
    }
    let lang = lang_of_path(&path);
    let (heading, message) = match &failure {
        Failure::NotFound => ("not_found_title", "not_found_text".to_string()),
        Failure::BadRequest(m) => ("not_found_title", m.clone()),
        Failure::Internal(_) => ("error_title", "error_text".to_string()),
    };
    let t = |key: &str| app.theme.text(lang, key);
    let message = if matches!(failure, Failure::BadRequest(_)) {
        message
    } else {
        t(&message)
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
