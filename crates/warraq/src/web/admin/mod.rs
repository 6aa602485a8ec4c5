//! The back office at `/admin/`: sign-in, the dashboard, articles, people,
//! the audit log and account settings. Plain HTML forms, rendered from the
//! embedded admin theme in the user's language; every POST carries the
//! session's CSRF token (see [`super::auth::csrf_guard`]).

mod account;
mod articles;
mod login;
pub(super) mod media;
mod people;
mod revisions;
mod site;
mod workflow;

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use minijinja::{context, Value};

use super::auth::{address_of, session_of, Staff};
use super::{AppState, Failure};
use crate::model::{Lang, Role};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(|| async { Redirect::permanent("/admin/") }))
        .route("/admin/", get(articles::dashboard))
        .route("/admin/login", get(login::form).post(login::sign_in))
        .route("/admin/login/totp", get(login::totp_form).post(login::totp))
        .route("/admin/logout", post(login::sign_out))
        .route("/admin/logout-everywhere", post(login::sign_out_everywhere))
        .route("/admin/articles/new", get(articles::new))
        .route(
            "/admin/articles",
            get(articles::list).post(articles::create),
        )
        .route("/admin/articles/{id}/revisions", get(revisions::list))
        .route("/admin/articles/{id}/revisions/{n}", get(revisions::show))
        .route(
            "/admin/articles/{id}/revisions/{n}/restore",
            post(revisions::restore),
        )
        .route("/admin/articles/{id}/lock", post(workflow::keep_lock))
        .route("/admin/articles/{id}/take-over", post(workflow::take_over))
        .route("/admin/articles/{id}/release", post(workflow::release))
        .route("/admin/articles/{id}/autosave", post(workflow::autosave))
        .route(
            "/admin/articles/{id}/autosave/discard",
            post(workflow::discard),
        )
        .route("/admin/articles/{id}/preview", post(workflow::preview))
        .route(
            "/admin/articles/{id}",
            get(articles::edit).post(articles::save),
        )
        .route("/admin/users", get(people::users).post(people::add))
        .route("/admin/users/{id}", post(people::change))
        .route("/admin/audit", get(people::audit))
        .route("/admin/pages", get(site::pages).post(site::create_page))
        .route("/admin/pages/new", get(site::new_page))
        .route(
            "/admin/pages/{id}",
            get(site::edit_page).post(site::save_page),
        )
        .route(
            "/admin/sections",
            get(site::sections).post(site::add_section),
        )
        .route("/admin/sections/{id}", post(site::save_section))
        .route("/admin/authors", get(site::authors))
        .route(
            "/admin/authors/{id}",
            get(site::edit_author).post(site::save_author),
        )
        .route(
            "/admin/redirects",
            get(site::redirects).post(site::add_redirect),
        )
        .route("/admin/redirects/remove", post(site::remove_redirect))
        .route("/admin/account", get(account::page))
        .route("/admin/account/password", post(account::password))
        .route("/admin/account/lang", post(account::lang))
        .route("/admin/account/totp", post(account::totp_start))
        .route("/admin/account/totp/confirm", post(account::totp_confirm))
        .route("/admin/account/tokens", post(account::token_create))
        .route("/admin/account/tokens/revoke", post(account::token_revoke))
        .route("/admin/static/{*path}", get(static_file))
}

/// A signed-in member of staff, for a back-office page. Without a session
/// the browser is sent to the sign-in form; an admin or editor who must
/// set up a second factor and has not is sent to their account page.
pub struct Signed(pub Staff);

/// The same, for the pages that setting up the second factor needs.
pub struct Enrolling(pub Staff);

/// An admin.
pub struct Admin(pub Staff);

async fn signed(parts: &mut Parts, app: &AppState) -> Result<Staff, Response> {
    let session = session_of(app, &parts.headers)
        .await
        .map_err(IntoResponse::into_response)?;
    match session {
        Some(s) if !s.pending => Ok(Staff {
            user: s.user.clone(),
            session: Some(s),
            address: address_of(&parts.extensions),
        }),
        _ => Err(Redirect::to("/admin/login").into_response()),
    }
}

/// Whether the config makes `role` set up a second factor first.
fn must_enrol(app: &AppState, staff: &Staff) -> bool {
    app.config.admin.require_second_factor
        && matches!(staff.user.role, Role::Admin | Role::Editor)
        && !staff.user.totp
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        let staff = signed(parts, app).await?;
        if must_enrol(app, &staff) {
            return Err(Redirect::to("/admin/account").into_response());
        }
        Ok(Signed(staff))
    }
}

impl FromRequestParts<AppState> for Enrolling {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        Ok(Enrolling(signed(parts, app).await?))
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        let Signed(staff) = Signed::from_request_parts(parts, app).await?;
        if !staff.user.role.manages_users() {
            return Err(error_page(
                app,
                Some(&staff),
                Failure::Forbidden(app.admin_theme.text(staff.user.lang, "forbidden")),
            ));
        }
        Ok(Admin(staff))
    }
}

/// Messages a redirect may ask a page to show (`?done=saved`): only
/// these, so a link cannot make the back office say anything else.
const FLASHES: &[&str] = &[
    "saved",
    "created",
    "deleted",
    "sent_back",
    "restored",
    "taken_over",
    "discarded",
    "password_changed",
    "lang_changed",
    "user_added",
    "user_updated",
    "token_revoked",
    "totp_enabled_msg",
    "page_created",
    "section_added",
    "redirect_added",
    "redirect_removed",
];

fn flash(app: &AppState, lang: Lang, done: Option<&str>) -> Option<String> {
    done.filter(|d| FLASHES.contains(d))
        .map(|d| app.admin_theme.text(lang, d))
}

/// What every back-office page shows: who is signed in, the navigation,
/// the strings of their language.
fn page_context(
    app: &AppState,
    staff: Option<&Staff>,
    lang: Lang,
    title: &str,
    nav: &str,
) -> Value {
    let theme = &app.admin_theme;
    let user = staff.map(|s| {
        let u = &s.user;
        context! {
            id => u.id,
            email => u.email,
            name => u.name,
            role => u.role.as_str(),
            role_label => theme.text(lang, &format!("role_{}", u.role)),
            lang => u.lang.code(),
        }
    });
    context! {
        lang => lang.code(),
        dir => lang.dir(),
        t => theme.locale(lang),
        title => title,
        csrf => staff.map_or("", |s| s.csrf()),
        user => user,
        nav => nav,
        site_name => app.config.site(lang).name,
        is_admin => staff.is_some_and(|s| s.user.role.manages_users()),
        manages_site => staff.is_some_and(|s| s.user.role.manages_site()),
    }
}

/// Renders `template` with the page context and `extra`.
fn render(
    app: &AppState,
    staff: Option<&Staff>,
    lang: Lang,
    template: &str,
    (title, nav): (&str, &str),
    extra: Value,
) -> Result<Html<String>, Failure> {
    let ctx = page_context(app, staff, lang, &app.admin_theme.text(lang, title), nav);
    let html = app
        .admin_theme
        .render(template, context! { ..extra, ..ctx })?;
    Ok(Html(html))
}

/// `template` as the page a signed-in member of staff asked for (200, in
/// their language), or the error page when it cannot be rendered.
fn staff_page(
    app: &AppState,
    staff: &Staff,
    template: &str,
    title_nav: (&str, &str),
    extra: Value,
) -> Response {
    match render(
        app,
        Some(staff),
        staff.user.lang,
        template,
        title_nav,
        extra,
    ) {
        Ok(html) => private(with_status(StatusCode::OK, html)),
        Err(f) => error_page(app, Some(staff), f),
    }
}

/// A page with a status other than 200, and no caching by anyone: the
/// back office is private.
fn with_status(status: StatusCode, html: Html<String>) -> Response {
    (status, html).into_response()
}

/// The back office's own error page (403, 404) in the user's language.
fn error_page(app: &AppState, staff: Option<&Staff>, failure: Failure) -> Response {
    let lang = staff.map_or(Lang::Ar, |s| s.user.lang);
    error_page_in(app, staff, lang, failure)
}

/// A request refused before any handler (a missing CSRF token, a body too
/// large), as the back office's error page in `lang` (Arabic when nobody
/// is signed in).
pub fn refusal(app: &AppState, lang: Option<Lang>, failure: Failure) -> Response {
    let lang = lang.unwrap_or(Lang::Ar);
    let failure = match failure {
        Failure::Forbidden(_) => Failure::Forbidden(app.admin_theme.text(lang, "csrf_failed")),
        other => other,
    };
    error_page_in(app, None, lang, failure)
}

fn error_page_in(app: &AppState, staff: Option<&Staff>, lang: Lang, failure: Failure) -> Response {
    let t = |k: &str| app.admin_theme.text(lang, k);
    let (status, heading, message) = match &failure {
        Failure::NotFound => (StatusCode::NOT_FOUND, t("not_found"), t("not_found_text")),
        Failure::Forbidden(m) => (StatusCode::FORBIDDEN, t("forbidden"), m.clone()),
        Failure::Internal(detail) => {
            tracing::error!("back office: {detail}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                t("error_title"),
                t("error_text"),
            )
        }
        other => (StatusCode::BAD_REQUEST, t("error_title"), other.message()),
    };
    match render(
        app,
        staff,
        lang,
        "error.html",
        ("error_title", ""),
        context! { heading => heading, message => message },
    ) {
        Ok(html) => private(with_status(status, html)),
        Err(_) => (status, message).into_response(),
    }
}

/// The answer of a back-office handler: a page, or an error page.
type Answer = Result<Response, Response>;

/// Turns a failure inside a handler into the back office's error page.
fn fail<'a>(app: &'a AppState, staff: &Staff) -> impl Fn(Failure) -> Response + 'a {
    let staff = staff.clone();
    move |f| error_page(app, Some(&staff), f)
}

/// After a successful POST: back to a page, which shows `done`.
fn done(to: &str, done: &str) -> Response {
    let sep = if to.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{to}{sep}done={done}")).into_response()
}

/// What a paged list's template needs (see the `pager` macro): the page,
/// how many there are, and links to the pages either side made by `link`.
fn paging(page: u32, pages: u32, link: impl Fn(u32) -> String) -> Value {
    context! {
        page => page,
        pages => pages,
        prev_url => if page > 1 { link(page - 1) } else { String::new() },
        next_url => if page < pages { link(page + 1) } else { String::new() },
    }
}

/// A time as the back office shows it: in the newsroom's zone, to the
/// minute.
fn when(app: &AppState, at: jiff::Timestamp) -> String {
    at.to_zoned(app.views.dates.time_zone().clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// The same, for a sentence: isolated (U+2066…U+2069), so that the
/// digits keep their own order inside Arabic text.
fn when_in_text(app: &AppState, at: jiff::Timestamp) -> String {
    format!("\u{2066}{}\u{2069}", when(app, at))
}

/// Responses of the back office are nobody's to keep.
pub fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn static_file(State(app): State<AppState>, Path(path): Path<String>) -> Response {
    match app.admin_theme.static_file(&path) {
        Some(file) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(file.content_type),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
            ],
            file.bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
