//! Signing in and out. A password, then (when set up) a one-time code or
//! a recovery code; each step gets a new session id. Failures are counted
//! per account and per address in the database (so every node throttles
//! alike), and the answer never tells an unknown e-mail from a wrong
//! password.

use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::context;
use serde::Deserialize;

use super::{private, render, with_status, Enrolling, Signed};
use crate::auth::{digest, normalize_recovery_code, random_token, verify_password, Totp};
use crate::model::{normalize_email, Actor, AuditAction, Lang, User};
use crate::web::auth::{
    cookie, session_life, session_of, set_cookie, Peer, LOGIN_COOKIE, SESSION_COOKIE,
};
use crate::web::{AppState, Failure};

#[derive(Deserialize)]
pub struct LangParam {
    lang: Option<String>,
}

#[derive(Deserialize)]
pub struct SignIn {
    email: String,
    password: String,
}

#[derive(Deserialize)]
pub struct Code {
    code: String,
}

fn lang_of(p: &LangParam) -> Lang {
    p.lang
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or(Lang::Ar)
}

/// The sign-in form, with a fresh CSRF token in its own cookie (there is
/// no session yet to hold one).
pub async fn form(State(app): State<AppState>, Query(p): Query<LangParam>) -> Response {
    login_page(&app, lang_of(&p), "", None, StatusCode::OK, None)
}

fn login_page(
    app: &AppState,
    lang: Lang,
    email: &str,
    error: Option<String>,
    status: StatusCode,
    retry_after: Option<i64>,
) -> Response {
    let csrf = random_token(24);
    let page = render(
        app,
        None,
        lang,
        "login.html",
        ("sign_in", ""),
        context! { csrf => csrf, email => email, error => error },
    );
    let mut response = match page {
        Ok(html) => with_status(status, html),
        Err(f) => return f.into_response(),
    };
    let headers = response.headers_mut();
    if let Ok(v) = set_cookie(app, LOGIN_COOKIE, &csrf, "/admin", Some(3600)).parse() {
        headers.insert(header::SET_COOKIE, v);
    }
    if let Some(seconds) = retry_after {
        headers.insert(header::RETRY_AFTER, seconds.into());
    }
    private(response)
}

fn throttle_keys(kind: &str, who: &str, address: &str) -> Vec<String> {
    vec![format!("{kind}:{who}"), format!("addr:{address}")]
}

pub async fn sign_in(
    State(app): State<AppState>,
    headers: HeaderMap,
    Peer(address): Peer,
    form: Result<Form<SignIn>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(f)) => f,
        Err(_) => {
            return Failure::BadRequest("the form needs email and password".into()).into_response()
        }
    };
    let t = |k: &str| app.admin_theme.text(Lang::Ar, k);
    let email = normalize_email(&form.email).unwrap_or_else(|_| form.email.trim().to_lowercase());
    let keys = throttle_keys("email", &email, &address);
    let wait = match app.store.sign_in_wait(&keys).await {
        Ok(w) => w,
        Err(e) => return Failure::from(e).into_response(),
    };
    if wait > 0 {
        let message = t("login_throttled").replace("{seconds}", &wait.to_string());
        return login_page(
            &app,
            Lang::Ar,
            &email,
            Some(message),
            StatusCode::TOO_MANY_REQUESTS,
            Some(wait),
        );
    }
    let credentials = match app.store.credentials(&email).await {
        Ok(c) => c,
        Err(e) => return Failure::from(e).into_response(),
    };
    let hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let password = form.password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, hash.as_deref()))
        .await
        .unwrap_or(false);
    let user = credentials.filter(|c| matches && !c.user.disabled);
    let Some(credentials) = user else {
        let actor = Actor {
            user_id: None,
            name: email.clone(),
            address: address.clone(),
        };
        if let Err(e) = app.store.sign_in_failed(&keys, &actor).await {
            return Failure::from(e).into_response();
        }
        return login_page(
            &app,
            Lang::Ar,
            &email,
            Some(t("login_failed")),
            StatusCode::UNAUTHORIZED,
            None,
        );
    };
    if let Err(e) = app.store.sign_in_succeeded(&keys).await {
        return Failure::from(e).into_response();
    }
    let pending = credentials.totp_secret.is_some();
    let next = if pending {
        "/admin/login/totp"
    } else {
        "/admin/"
    };
    start_session(
        &app,
        &headers,
        &credentials.user,
        &address,
        pending,
        next,
        "password",
    )
    .await
}

/// Ends the session the browser had (if any) and starts a new one, so a
/// session id planted before sign-in is worth nothing after it.
async fn start_session(
    app: &AppState,
    headers: &HeaderMap,
    user: &User,
    address: &str,
    pending: bool,
    next: &str,
    how: &str,
) -> Response {
    if let Some(old) = cookie(headers, SESSION_COOKIE) {
        if let Err(e) = app.store.end_session(&digest(old)).await {
            return Failure::from(e).into_response();
        }
    }
    let id = random_token(32);
    let csrf = random_token(24);
    if let Err(e) = app
        .store
        .create_session(user.id, &digest(&id), &csrf, pending, session_life(app))
        .await
    {
        return Failure::from(e).into_response();
    }
    if !pending {
        let actor = Actor::of(user, address);
        if let Err(e) = app
            .store
            .audit(&actor, AuditAction::SignIn, &user.email, how)
            .await
        {
            return Failure::from(e).into_response();
        }
    }
    let mut response = Redirect::to(next).into_response();
    let cookie = set_cookie(app, SESSION_COOKIE, &id, "/", None);
    if let Ok(v) = cookie.parse() {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    if let Ok(v) = set_cookie(app, LOGIN_COOKIE, "", "/admin", Some(0)).parse() {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    private(response)
}

/// The second step: the form for the code.
pub async fn totp_form(State(app): State<AppState>, headers: HeaderMap) -> Response {
    match session_of(&app, &headers).await {
        Ok(Some(s)) if s.pending => totp_page(&app, s.user.lang, &s.csrf, None, StatusCode::OK),
        Ok(_) => Redirect::to("/admin/login").into_response(),
        Err(f) => f.into_response(),
    }
}

fn totp_page(
    app: &AppState,
    lang: Lang,
    csrf: &str,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    match render(
        app,
        None,
        lang,
        "totp.html",
        ("totp_title", ""),
        context! { csrf => csrf, error => error },
    ) {
        Ok(html) => private(with_status(status, html)),
        Err(f) => f.into_response(),
    }
}

pub async fn totp(
    State(app): State<AppState>,
    headers: HeaderMap,
    Peer(address): Peer,
    form: Result<Form<Code>, FormRejection>,
) -> Response {
    let session = match session_of(&app, &headers).await {
        Ok(Some(s)) if s.pending => s,
        Ok(_) => return Redirect::to("/admin/login").into_response(),
        Err(f) => return f.into_response(),
    };
    let Ok(Form(form)) = form else {
        return Failure::BadRequest("the form needs a code".into()).into_response();
    };
    let user = session.user.clone();
    let lang = user.lang;
    let t = |k: &str| app.admin_theme.text(lang, k);
    let keys = throttle_keys("totp", &user.id.to_string(), &address);
    let wait = app.store.sign_in_wait(&keys).await.unwrap_or(0);
    if wait > 0 {
        let message = t("login_throttled").replace("{seconds}", &wait.to_string());
        let mut r = totp_page(
            &app,
            lang,
            &session.csrf,
            Some(message),
            StatusCode::TOO_MANY_REQUESTS,
        );
        r.headers_mut().insert(header::RETRY_AFTER, wait.into());
        return r;
    }
    let how = match check_second_factor(&app, &user, &form.code).await {
        Ok(Some(how)) => how,
        Ok(None) => {
            let actor = Actor::of(&user, &address);
            if let Err(e) = app.store.sign_in_failed(&keys, &actor).await {
                return Failure::from(e).into_response();
            }
            return totp_page(
                &app,
                lang,
                &session.csrf,
                Some(t("totp_wrong")),
                StatusCode::UNAUTHORIZED,
            );
        }
        Err(e) => return Failure::from(e).into_response(),
    };
    let _ = app.store.sign_in_succeeded(&keys).await;
    start_session(&app, &headers, &user, &address, false, "/admin/", how).await
}

/// "totp" or "recovery code" when `code` is a valid second factor of
/// `user`, used up by this call; None otherwise.
async fn check_second_factor(
    app: &AppState,
    user: &User,
    code: &str,
) -> anyhow::Result<Option<&'static str>> {
    let Some(credentials) = app.store.credentials(&user.email).await? else {
        return Ok(None);
    };
    let Some(secret) = credentials
        .totp_secret
        .as_deref()
        .and_then(Totp::from_base32)
    else {
        return Ok(None);
    };
    let now = jiff::Timestamp::now().as_second();
    if let Some(step) = secret.verify(code, now, credentials.totp_last_step) {
        return Ok(app
            .store
            .use_totp_step(user.id, step)
            .await?
            .then_some("totp"));
    }
    let recovery = normalize_recovery_code(code);
    if recovery.len() == 11
        && app
            .store
            .use_recovery_code(user.id, &digest(&recovery))
            .await?
    {
        return Ok(Some("recovery code"));
    }
    Ok(None)
}

pub async fn sign_out(State(app): State<AppState>, Enrolling(staff): Enrolling) -> Response {
    if let Some(s) = &staff.session {
        if let Err(e) = app.store.end_session(&s.id_hash).await {
            return Failure::from(e).into_response();
        }
        let _ = app
            .store
            .audit(&staff.actor(), AuditAction::SignOut, &staff.user.email, "")
            .await;
    }
    signed_out(&app)
}

pub async fn sign_out_everywhere(State(app): State<AppState>, Signed(staff): Signed) -> Response {
    if let Err(e) = app.store.end_sessions_of(&staff.user, &staff.actor()).await {
        return Failure::from(e).into_response();
    }
    signed_out(&app)
}

fn signed_out(app: &AppState) -> Response {
    let mut response = Redirect::to("/admin/login").into_response();
    if let Ok(v) = set_cookie(app, SESSION_COOKIE, "", "/", Some(0)).parse() {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    private(response)
}
