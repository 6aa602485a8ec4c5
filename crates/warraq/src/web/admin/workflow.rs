//! What the article form's script and buttons ask for besides saving:
//! keeping the edit lock, taking it over, autosaving a copy, throwing the
//! copy away, and opening a preview link. The script's calls answer JSON;
//! the buttons' answer is a redirect.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde_json::json;

use super::articles::input_of;
use super::{done, fail, when, when_in_text, Answer, Signed};
use crate::store::Locking;
use crate::web::{AppState, Failure};

/// `new`, or an article's number.
fn article_of(id: &str) -> Result<Option<i64>, Failure> {
    match id {
        "new" => Ok(None),
        _ => id.parse().map(Some).map_err(|_| Failure::NotFound),
    }
}

fn existing(id: &str) -> Result<i64, Failure> {
    article_of(id)?.ok_or(Failure::NotFound)
}

/// The editor's heartbeat: keeps the lock, or says who took it.
pub async fn keep_lock(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let id = existing(&id)?;
    let answer = match app.lock_article(&staff.user, id, false).await? {
        Locking::Held => json!({ "held": true }),
        Locking::Taken(lock) => json!({
            "held": false,
            "by": lock.name,
            "since": when(&app, lock.taken_at),
            "message": app.admin_theme.text(staff.user.lang, "lock_lost").replace("{name}", &lock.name),
        }),
    };
    Ok(Json(answer).into_response())
}

/// "Take over": the lock moves to this user, whoever held it.
pub async fn take_over(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Path(id): Path<String>,
) -> Answer {
    let fail = fail(&app, &staff);
    let id = existing(&id).map_err(&fail)?;
    app.lock_article(&staff.user, id, true)
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(done(&format!("/admin/articles/{id}"), "taken_over"))
}

/// Leaving the form lets go of the lock at once (the script calls this
/// when the page goes away); a lock nobody lets go of expires anyway.
pub async fn release(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let id = existing(&id)?;
    app.unlock_article(&staff.user, id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

/// Keeps the form's fields as the user's autosaved copy, never as the
/// article.
pub async fn autosave(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, Failure> {
    let id = article_of(&id)?;
    let (mut input, _, _) = input_of(&app, &fields);
    // A copy is the fields; what to do with them is decided when it is saved.
    input.status = None;
    input.note = None;
    let content = serde_json::to_value(&input).map_err(anyhow::Error::from)?;
    app.autosave(&staff.user, id, &content).await?;
    let at = when(&app, jiff::Timestamp::now());
    let message = app
        .admin_theme
        .text(staff.user.lang, "autosaved_at")
        .replace("{time}", &when_in_text(&app, jiff::Timestamp::now()));
    Ok(Json(json!({ "saved_at": at, "message": message })).into_response())
}

/// Throws the autosaved copy away.
pub async fn discard(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Path(id): Path<String>,
) -> Answer {
    let fail = fail(&app, &staff);
    let id = article_of(&id).map_err(&fail)?;
    app.drop_autosave(&staff.user, id)
        .await
        .map_err(|e| fail(e.into()))?;
    let to = match id {
        Some(id) => format!("/admin/articles/{id}"),
        None => "/admin/articles/new".into(),
    };
    Ok(done(&to, "discarded"))
}

/// Opens a new preview link of the saved article.
pub async fn preview(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Path(id): Path<String>,
) -> Answer {
    let fail = fail(&app, &staff);
    let id = existing(&id).map_err(&fail)?;
    let link = app
        .preview_link(&staff.user, id)
        .await
        .map_err(|e| fail(e.into()))?;
    // The link is absolute (to be sent to someone); here it opens on this host.
    let path = link
        .url
        .find("/preview/")
        .map_or(link.url.as_str(), |at| &link.url[at..]);
    Ok(Redirect::to(path).into_response())
}
