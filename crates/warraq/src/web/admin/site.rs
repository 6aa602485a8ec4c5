//! The site around the articles in the back office, for editors and
//! admins: static pages, sections, byline profiles and the redirects
//! manager. What the forms send goes through the same saves as the API
//! (`service/site.rs`).

use std::future::Future;

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use minijinja::{context, Value};
use serde::Deserialize;

use super::{done, error_page, flash, paging, private, render, when, with_status, Signed};
use crate::model::{Lang, RedirectTarget, Status};
use crate::service::site::{AuthorInput, PageInput, ProfileInput, RedirectInput, SectionInput};
use crate::service::{EditError, FieldError};
use crate::store::StaffPage;
use crate::web::auth::Staff;
use crate::web::{AppState, Failure};

// A new page or section is posted to the list's path, a change to the
// item's: one handler serves both, with the id when the path has one.
pub use save_page as create_page;
pub use save_section as add_section;

/// An editor or admin: who may change the site around the articles.
pub struct Manager(pub Staff);

impl FromRequestParts<AppState> for Manager {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        let Signed(staff) = Signed::from_request_parts(parts, app).await?;
        if !staff.user.role.manages_site() {
            return Err(error_page(
                app,
                Some(&staff),
                Failure::Forbidden(app.admin_theme.text(staff.user.lang, "forbidden_text")),
            ));
        }
        Ok(Manager(staff))
    }
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

type Fields = Vec<(String, String)>;

fn one(fields: &Fields, name: &str) -> Option<String> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

// ---------------------------------------------------------------------
// What the screens here share: how one is shown, how a form is saved
// ---------------------------------------------------------------------

/// What the screens here make: a page, or what went wrong with it.
type Screen = Result<Response, Failure>;

/// Makes a handler's screen; what went wrong is the back office's error
/// page.
async fn screen(app: &AppState, staff: &Staff, made: impl Future<Output = Screen>) -> Response {
    made.await
        .unwrap_or_else(|failure| error_page(app, Some(staff), failure))
}

/// What a screen shows above itself: the message a redirect after a save
/// asked for (`?done=`), or, answering 422, the errors of a form that was
/// refused and is shown again with what was sent.
enum Notice {
    Flash(Option<String>),
    Errors(Vec<Value>),
}

impl Notice {
    /// The message `?done=` asks for, if it is one of the back office's.
    fn done(app: &AppState, staff: &Staff, asked: Option<&str>) -> Notice {
        Notice::Flash(flash(app, staff.user.lang, asked))
    }
}

/// Renders `template` with `extra` and the notice, as its navigation
/// entry `nav` under the title `title` (a locale key).
fn show(
    app: &AppState,
    staff: &Staff,
    template: &str,
    (title, nav): (&str, &str),
    notice: Notice,
    extra: Value,
) -> Screen {
    let (status, flash, errors) = match notice {
        Notice::Flash(flash) => (StatusCode::OK, flash, Vec::new()),
        Notice::Errors(errors) => (StatusCode::UNPROCESSABLE_ENTITY, None, errors),
    };
    let extra = context! { errors => errors, flash => flash, ..extra };
    let html = render(
        app,
        Some(staff),
        staff.user.lang,
        template,
        (title, nav),
        extra,
    )?;
    Ok(private(with_status(status, html)))
}

/// The id in a screen's path: anything but a number is a page that is
/// not there.
fn id_in(id: &str) -> Result<i64, Failure> {
    id.parse().map_err(|_| Failure::NotFound)
}

/// A form's save: `save` runs unless the form itself had `errors` (a
/// number that is none); then back to the screen `saved` names, or, when
/// the save's fields were refused, the form `again` with everything that
/// was wrong.
async fn save_form<T, Again>(
    app: &AppState,
    staff: &Staff,
    mut errors: Vec<Value>,
    save: impl Future<Output = Result<T, EditError>>,
    saved: impl FnOnce(T) -> Response,
    again: impl FnOnce(Notice) -> Again,
) -> Screen
where
    Again: Future<Output = Screen>,
{
    let result = if errors.is_empty() {
        save.await
    } else {
        Err(EditError::Invalid(Vec::new()))
    };
    match result {
        Ok(row) => Ok(saved(row)),
        Err(e) => {
            errors.extend(refused(app, staff, e)?);
            again(Notice::Errors(errors)).await
        }
    }
}

/// The form field a save's error belongs to (`profiles.ar.name` →
/// `name_ar`), and its message in the user's language: worded for that
/// field if the locale has it, else for its code, else as the save said.
fn form_error(app: &AppState, lang: Lang, e: &FieldError) -> Value {
    let parts: Vec<&str> = e.field.split('.').collect();
    let field = match parts[..] {
        ["names", l] => format!("name_{l}"),
        ["profiles", l, what] => format!("{what}_{l}"),
        ["profiles", l] => format!("name_{l}"),
        _ => e.field.clone(),
    };
    let t = |key: &str| {
        let text = app.admin_theme.text(lang, key);
        (text != key).then_some(text)
    };
    let message = t(&format!("site_err_{}_{}", parts[0], e.code))
        .or_else(|| t(&format!("site_invalid_{}", e.code)))
        .unwrap_or_else(|| e.message.clone());
    let label = t(&format!("site_field_{field}")).unwrap_or_else(|| field.clone());
    context! { field => field, label => label, message => message }
}

/// A refused save's errors as the forms show them; any other failure
/// for the error page.
fn refused(app: &AppState, staff: &Staff, e: EditError) -> Result<Vec<Value>, Failure> {
    match e {
        EditError::Invalid(errors) => Ok(errors
            .iter()
            .map(|e| form_error(app, staff.user.lang, e))
            .collect()),
        other => Err(Failure::from(other)),
    }
}

/// A whole number the form sent, or the error to show for it.
fn number_field(
    app: &AppState,
    staff: &Staff,
    fields: &Fields,
    name: &str,
    errors: &mut Vec<Value>,
) -> Option<i64> {
    let text = one(fields, name).unwrap_or_default();
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse() {
        Ok(n) => Some(n),
        Err(_) => {
            let e = FieldError {
                field: name.to_string(),
                code: "invalid",
                message: format!("{text:?} is not a whole number"),
            };
            errors.push(form_error(app, staff.user.lang, &e));
            None
        }
    }
}

fn langs(app: &AppState, lang: Lang) -> Vec<Value> {
    Lang::ALL
        .iter()
        .map(|l| context! { code => l.code(), label => app.admin_theme.text(lang, &format!("lang_{l}")) })
        .collect()
}

fn status_label(app: &AppState, lang: Lang, status: Status) -> String {
    app.admin_theme
        .text(lang, &format!("status_{}", status.as_str()))
}

// ---------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------

fn page_row(app: &AppState, lang: Lang, p: &StaffPage) -> Value {
    let page = &p.page;
    context! {
        id => page.id,
        title => page.title,
        lang => page.lang.code(),
        path => page.path,
        depth => page.path.matches('/').count(),
        url => crate::web::pages::page_url(page),
        public => page.visible(jiff::Timestamp::now()),
        status => page.status.as_str(),
        status_label => status_label(app, lang, page.status),
        when => when(app, page.updated_at),
        edit_url => format!("/admin/pages/{}", page.id),
    }
}

pub async fn pages(
    State(app): State<AppState>,
    Manager(staff): Manager,
    Query(q): Query<Done>,
) -> Response {
    screen(&app, &staff, async {
        let pages = app.store.staff_pages(None).await?;
        let rows: Vec<Value> = pages
            .iter()
            .map(|p| page_row(&app, staff.user.lang, p))
            .collect();
        let notice = Notice::done(&app, &staff, q.done.as_deref());
        let list = context! { pages => rows };
        show(
            &app,
            &staff,
            "pages.html",
            ("site_pages", "pages"),
            notice,
            list,
        )
    })
    .await
}

/// The page form: the page as stored, or as just sent back with what was
/// wrong with it.
async fn page_form(
    app: &AppState,
    staff: &Staff,
    stored: Option<&StaffPage>,
    sent: Option<&Fields>,
    notice: Notice,
) -> Screen {
    let lang = staff.user.lang;
    let page = stored.map(|p| &p.page);
    let parent = match stored {
        Some(p) => app.page_parent(p).await?,
        None => None,
    };
    let pick = |name: &str, stored: Option<String>| -> String {
        sent.and_then(|f| one(f, name))
            .or(stored)
            .unwrap_or_default()
    };
    let form = context! {
        id => page.map(|p| p.id),
        lang => pick("lang", page.map(|p| p.lang.code().to_string())),
        title => pick("title", page.map(|p| p.title.clone())),
        slug => pick("slug", page.map(|p| p.path.rsplit('/').next().unwrap_or(&p.path).to_string())),
        parent_id => pick("parent_id", parent.map(|id| id.to_string())),
        status => pick("status", page.map(|p| p.status.as_str().to_string())),
        position => pick("position", stored.map(|p| p.position.to_string())),
        seo_title => pick("seo_title", page.map(|p| p.seo_title.clone())),
        meta_description => pick("meta_description", page.map(|p| p.meta_description.clone())),
        body_html => pick("body_html", page.map(|p| p.body_html.clone())),
        path => page.map(|p| p.path.clone()),
        url => page.filter(|p| p.visible(jiff::Timestamp::now())).map(crate::web::pages::page_url),
    };
    // Any page may be a parent but the page itself and those under it.
    let all = app.store.staff_pages(None).await?;
    let parents: Vec<Value> = all
        .iter()
        .filter(|p| {
            page.is_none_or(|me| {
                me.id != p.page.id
                    && !(me.lang == p.page.lang
                        && p.page.path.starts_with(&format!("{}/", me.path)))
            })
        })
        .map(|p| page_row(app, lang, p))
        .collect();
    let statuses: Vec<Value> = [
        Status::Draft,
        Status::Review,
        Status::Published,
        Status::Private,
    ]
    .iter()
    .map(|s| context! { value => s.as_str(), label => status_label(app, lang, *s) })
    .collect();
    let title = if stored.is_some() {
        "site_edit_page"
    } else {
        "site_new_page"
    };
    let extra = context! {
        page => form,
        parents => parents,
        statuses => statuses,
        langs => langs(app, lang),
    };
    show(app, staff, "page.html", (title, "pages"), notice, extra)
}

pub async fn new_page(State(app): State<AppState>, Manager(staff): Manager) -> Response {
    let form = page_form(&app, &staff, None, None, Notice::Flash(None));
    screen(&app, &staff, form).await
}

pub async fn edit_page(
    State(app): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<String>,
    Query(q): Query<Done>,
) -> Response {
    screen(&app, &staff, async {
        let page = app.store.staff_page(id_in(&id)?).await?;
        let page = page.ok_or(Failure::NotFound)?;
        let notice = Notice::done(&app, &staff, q.done.as_deref());
        page_form(&app, &staff, Some(&page), None, notice).await
    })
    .await
}

/// The page form sent: for a new page (`POST /admin/pages`, no id in the
/// path) or for page `id`.
pub async fn save_page(
    State(app): State<AppState>,
    Manager(staff): Manager,
    id: Option<Path<String>>,
    Form(fields): Form<Fields>,
) -> Response {
    screen(&app, &staff, async {
        let id = id.map(|Path(id)| id_in(&id)).transpose()?;
        let stored = match id {
            Some(id) => Some(app.store.staff_page(id).await?.ok_or(Failure::NotFound)?),
            None => None,
        };
        let mut errors = Vec::new();
        let parent_id = number_field(&app, &staff, &fields, "parent_id", &mut errors);
        let position = number_field(&app, &staff, &fields, "position", &mut errors);
        let input = PageInput {
            lang: one(&fields, "lang"),
            title: one(&fields, "title"),
            slug: one(&fields, "slug"),
            body_html: one(&fields, "body_html"),
            status: one(&fields, "status"),
            parent_id: Some(parent_id),
            seo_title: one(&fields, "seo_title"),
            meta_description: one(&fields, "meta_description"),
            position: Some(position.unwrap_or(0)),
        };
        let what = id.map_or("page_created", |_| "saved");
        let actor = staff.actor();
        save_form(
            &app,
            &staff,
            errors,
            app.save_page(&staff.user, &actor, id, input),
            |page| done(&format!("/admin/pages/{}", page.page.id), what),
            |notice| page_form(&app, &staff, stored.as_ref(), Some(&fields), notice),
        )
        .await
    })
    .await
}

// ---------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------

async fn sections_page(app: &AppState, staff: &Staff, notice: Notice) -> Screen {
    let sections = app.store.section_rows().await?;
    let name_in = |s: &crate::store::SectionRow, l: Lang| {
        s.names
            .iter()
            .find(|(x, _)| *x == l)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let rows: Vec<Value> = sections
        .iter()
        .map(|s| {
            context! {
                id => s.id,
                slug => s.slug,
                position => s.position,
                parent_id => s.parent_id,
                name_ar => name_in(s, Lang::Ar),
                name_en => name_in(s, Lang::En),
                url => app.views.urls.section(Lang::Ar, &s.slug),
            }
        })
        .collect();
    let list = context! { sections => rows };
    show(
        app,
        staff,
        "sections.html",
        ("site_sections", "sections"),
        notice,
        list,
    )
}

pub async fn sections(
    State(app): State<AppState>,
    Manager(staff): Manager,
    Query(q): Query<Done>,
) -> Response {
    let notice = Notice::done(&app, &staff, q.done.as_deref());
    screen(&app, &staff, sections_page(&app, &staff, notice)).await
}

/// A section's form sent: the one that adds a section (`POST
/// /admin/sections`, no id in the path) or that of section `id`.
pub async fn save_section(
    State(app): State<AppState>,
    Manager(staff): Manager,
    id: Option<Path<String>>,
    Form(fields): Form<Fields>,
) -> Response {
    screen(&app, &staff, async {
        let id = id.map(|Path(id)| id_in(&id)).transpose()?;
        let mut errors = Vec::new();
        let position = number_field(&app, &staff, &fields, "position", &mut errors);
        let names = Lang::ALL
            .iter()
            .filter_map(|l| Some((l.code().to_string(), one(&fields, &format!("name_{l}"))?)))
            .collect();
        let input = SectionInput {
            slug: one(&fields, "slug"),
            names: Some(names),
            position,
            parent_id: None,
        };
        let what = id.map_or("section_added", |_| "saved");
        let actor = staff.actor();
        save_form(
            &app,
            &staff,
            errors,
            app.save_section(&staff.user, &actor, id, input),
            |_| done("/admin/sections", what),
            |notice| sections_page(&app, &staff, notice),
        )
        .await
    })
    .await
}

// ---------------------------------------------------------------------
// Byline profiles
// ---------------------------------------------------------------------

pub async fn authors(
    State(app): State<AppState>,
    Manager(staff): Manager,
    Query(q): Query<Done>,
) -> Response {
    screen(&app, &staff, async {
        let lang = staff.user.lang;
        let authors = app.store.author_rows().await?;
        let rows: Vec<Value> = authors
            .iter()
            .map(|a| {
                let face = a
                    .profiles
                    .iter()
                    .find(|p| p.lang == lang)
                    .or(a.profiles.first());
                context! {
                    id => a.id,
                    slug => a.slug,
                    name => face.map(|p| p.name.clone()).unwrap_or_else(|| a.slug.clone()),
                    role => face.map(|p| p.role.clone()).unwrap_or_default(),
                    photo_url => a.photo_url,
                    langs => a.profiles.iter().map(|p| p.lang.code()).collect::<Vec<_>>(),
                    edit_url => format!("/admin/authors/{}", a.id),
                    url => app.views.urls.author(Lang::Ar, &a.slug),
                }
            })
            .collect();
        let notice = Notice::done(&app, &staff, q.done.as_deref());
        let list = context! { authors => rows };
        show(
            &app,
            &staff,
            "authors.html",
            ("site_authors", "authors"),
            notice,
            list,
        )
    })
    .await
}

async fn author_form(
    app: &AppState,
    staff: &Staff,
    id: i64,
    sent: Option<&Fields>,
    notice: Notice,
) -> Screen {
    let lang = staff.user.lang;
    let a = app.store.author_row(id).await?.ok_or(Failure::NotFound)?;
    let pick = |name: &str, stored: String| -> String {
        sent.and_then(|f| one(f, name)).unwrap_or(stored)
    };
    let faces: Vec<Value> = Lang::ALL
        .iter()
        .map(|&l| {
            let p = a.profiles.iter().find(|p| p.lang == l);
            let stored = |f: fn(&crate::model::AuthorProfile) -> &String| {
                p.map(f).cloned().unwrap_or_default()
            };
            context! {
                lang => l.code(),
                dir => l.dir(),
                label => app.admin_theme.text(lang, &format!("lang_{l}")),
                name => pick(&format!("name_{l}"), stored(|p| &p.name)),
                role => pick(&format!("role_{l}"), stored(|p| &p.role)),
                bio => pick(&format!("bio_{l}"), stored(|p| &p.bio)),
            }
        })
        .collect();
    let extra = context! {
        author => context! {
            id => a.id,
            slug => pick("slug", a.slug.clone()),
            photo_url => pick("photo_url", a.photo_url.clone()),
            url => app.views.urls.author(Lang::Ar, &a.slug),
        },
        faces => faces,
    };
    show(
        app,
        staff,
        "author.html",
        ("site_edit_author", "authors"),
        notice,
        extra,
    )
}

pub async fn edit_author(
    State(app): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<String>,
    Query(q): Query<Done>,
) -> Response {
    screen(&app, &staff, async {
        let notice = Notice::done(&app, &staff, q.done.as_deref());
        author_form(&app, &staff, id_in(&id)?, None, notice).await
    })
    .await
}

pub async fn save_author(
    State(app): State<AppState>,
    Manager(staff): Manager,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    screen(&app, &staff, async {
        let id = id_in(&id)?;
        // A language left blank is left out: it keeps what it has (nothing,
        // for a byline never written in it).
        let profiles = Lang::ALL
            .iter()
            .filter_map(|l| {
                let field = |what: &str| one(&fields, &format!("{what}_{l}")).unwrap_or_default();
                let p = ProfileInput {
                    name: field("name"),
                    role: field("role"),
                    bio: field("bio"),
                };
                let blank = [&p.name, &p.role, &p.bio]
                    .iter()
                    .all(|t| t.trim().is_empty());
                (!blank).then(|| (l.code().to_string(), p))
            })
            .collect();
        let input = AuthorInput {
            slug: one(&fields, "slug"),
            photo_url: one(&fields, "photo_url"),
            profiles: Some(profiles),
        };
        let actor = staff.actor();
        save_form(
            &app,
            &staff,
            Vec::new(),
            app.save_author(&staff.user, &actor, id, input),
            |_| done(&format!("/admin/authors/{id}"), "saved"),
            |notice| author_form(&app, &staff, id, Some(&fields), notice),
        )
        .await
    })
    .await
}

// ---------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------

const REDIRECTS_PAGE: u32 = 50;

#[derive(Default, Deserialize)]
pub struct RedirectsQuery {
    q: Option<String>,
    page: Option<u32>,
    done: Option<String>,
}

async fn redirects_page(
    app: &AppState,
    staff: &Staff,
    q: &RedirectsQuery,
    sent: Option<&RedirectInput>,
    notice: Notice,
) -> Screen {
    let search = q.q.as_deref().unwrap_or("").trim().to_string();
    let page = q.page.unwrap_or(1).max(1);
    let list = app
        .store
        .redirects_page(&search, page, REDIRECTS_PAGE)
        .await?;
    let rows: Vec<Value> = list
        .items
        .iter()
        .map(|r| {
            let (kind, target, link) = match &r.target {
                RedirectTarget::Article(id) => {
                    ("article", format!("#{id}"), format!("/admin/articles/{id}"))
                }
                RedirectTarget::Page(id) => {
                    ("page", format!("#{id}"), format!("/admin/pages/{id}"))
                }
                RedirectTarget::Location(l) => ("location", l.clone(), l.clone()),
            };
            context! { source => r.source, kind => kind, target => target, link => link }
        })
        .collect();
    let link = |n: u32| {
        let mut query = vec![("page", n.to_string())];
        if !search.is_empty() {
            query.push(("q", search.clone()));
        }
        let query = serde_urlencoded::to_string(&query).unwrap_or_default();
        format!("/admin/redirects?{query}")
    };
    let extra = context! {
        redirects => rows,
        total => list.total,
        q => search,
        sent => sent.map(|s| context! { source => s.source, location => s.location }),
        ..paging(page, list.pages(), link)
    };
    show(
        app,
        staff,
        "redirects.html",
        ("site_redirects", "redirects"),
        notice,
        extra,
    )
}

pub async fn redirects(
    State(app): State<AppState>,
    Manager(staff): Manager,
    Query(q): Query<RedirectsQuery>,
) -> Response {
    let notice = Notice::done(&app, &staff, q.done.as_deref());
    screen(&app, &staff, redirects_page(&app, &staff, &q, None, notice)).await
}

#[derive(Deserialize)]
pub struct RedirectForm {
    source: String,
    #[serde(default)]
    location: String,
}

pub async fn add_redirect(
    State(app): State<AppState>,
    Manager(staff): Manager,
    Form(form): Form<RedirectForm>,
) -> Response {
    let input = RedirectInput {
        source: form.source,
        location: form.location,
    };
    let actor = staff.actor();
    // Shown again, it is the list's first page.
    let q = RedirectsQuery::default();
    let saved = save_form(
        &app,
        &staff,
        Vec::new(),
        app.add_redirect(&staff.user, &actor, input.clone()),
        |_| done("/admin/redirects", "redirect_added"),
        |notice| redirects_page(&app, &staff, &q, Some(&input), notice),
    );
    screen(&app, &staff, saved).await
}

pub async fn remove_redirect(
    State(app): State<AppState>,
    Manager(staff): Manager,
    Form(form): Form<RedirectForm>,
) -> Response {
    screen(&app, &staff, async {
        app.remove_redirect(&staff.user, &staff.actor(), &form.source)
            .await?;
        Ok(done("/admin/redirects", "redirect_removed"))
    })
    .await
}
