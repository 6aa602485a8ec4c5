//! The dashboard and the article form. The form is plain HTML for now
//! (the rich editor comes with the next part); what it sends goes through
//! the same [`crate::service`] save as the write API.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Form;
use minijinja::{context, Value};
use serde::Deserialize;

use super::{done, fail, flash, private, render, when, with_status, Answer, Signed};
use crate::model::{Lang, Stage};
use crate::service::{ArticleInput, CoverInput, EditError, FieldError};
use crate::store::{StaffArticle, StaffQuery};
use crate::web::auth::Staff;
use crate::web::{AppState, Failure};

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

const DASHBOARD_ITEMS: u32 = 10;

pub async fn dashboard(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Query(q): Query<Done>,
) -> Answer {
    let fail = fail(&app, &staff);
    let mut lists = Vec::new();
    for stage in [
        Stage::Draft,
        Stage::Review,
        Stage::Scheduled,
        Stage::Published,
    ] {
        let query = StaffQuery {
            stage: Some(stage),
            page: 1,
            per_page: DASHBOARD_ITEMS,
            ..StaffQuery::default()
        };
        let page = app
            .staff_articles(&staff.user, query)
            .await
            .map_err(|e| fail(e.into()))?;
        lists.push(
            page.items
                .iter()
                .map(|a| row(&app, &staff, a))
                .collect::<Vec<_>>(),
        );
    }
    let [drafts, review, scheduled, published] =
        <[Vec<Value>; 4]>::try_from(lists).expect("four lists");
    let html = render(
        &app,
        Some(&staff),
        staff.user.lang,
        "dashboard.html",
        ("dashboard", "dashboard"),
        context! {
            drafts => drafts, review => review, scheduled => scheduled, published => published,
            flash => flash(&app, staff.user.lang, q.done.as_deref()),
        },
    )
    .map_err(&fail)?;
    Ok(private(with_status(StatusCode::OK, html)))
}

fn status_label(app: &AppState, lang: Lang, stage: Stage) -> String {
    app.admin_theme
        .text(lang, &format!("status_{}", stage.as_str()))
}

fn public_url(app: &AppState, a: &StaffArticle) -> String {
    match a.stage() {
        Stage::Published => app.views.urls.article(&a.article),
        _ => String::new(),
    }
}

fn row(app: &AppState, staff: &Staff, a: &StaffArticle) -> Value {
    let stage = a.stage();
    context! {
        id => a.article.id,
        headline => a.article.headline,
        lang => a.article.lang.code(),
        status => stage.as_str(),
        status_label => status_label(app, staff.user.lang, stage),
        when => when(app, a.article.published_at),
        edit_url => format!("/admin/articles/{}", a.article.id),
        public_url => public_url(app, a),
    }
}

/// The actions `staff` may take on an article at `from` (new: `None`).
fn actions(staff: &Staff, article: Option<&StaffArticle>) -> Vec<&'static str> {
    let role = staff.user.role;
    let own = article.is_none_or(|a| a.is_own(staff.user.id, staff.user.author_id));
    let from = article.map_or(Stage::Draft, StaffArticle::stage);
    if !role.may_edit(own, from) {
        return Vec::new();
    }
    let mut out = vec!["save"];
    for (action, to) in [
        ("submit", Stage::Review),
        ("publish", Stage::Published),
        ("schedule", Stage::Scheduled),
        ("unpublish", Stage::Unpublished),
        ("delete", Stage::Trash),
    ] {
        let pointless = to == from
            || (to == Stage::Unpublished && !matches!(from, Stage::Published | Stage::Scheduled))
            || (to == Stage::Trash && article.is_none());
        if !pointless && role.may_move(own, from, to) {
            out.push(action);
        }
    }
    out
}

/// What the form shows: the article as stored, or as just sent back.
/// `byline` is the user's own, ticked on a new article.
fn form_article(
    app: &AppState,
    staff: &Staff,
    a: Option<&StaffArticle>,
    sent: Option<&ArticleInput>,
    byline: Option<String>,
) -> Value {
    let tz = app.views.dates.time_zone().clone();
    let local = |t: jiff::Timestamp| {
        t.to_zoned(tz.clone())
            .strftime("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let stored = a.map(|s| &s.article);
    let stage = a.map(StaffArticle::stage);
    let pick = |sent: Option<&Option<String>>, stored: Option<String>| -> String {
        sent.and_then(|v| v.clone()).or(stored).unwrap_or_default()
    };
    let cover = stored.and_then(|s| s.cover.clone());
    let sent_cover = sent.and_then(|s| s.cover.clone()).flatten();
    context! {
        id => stored.map(|s| s.id),
        lang => pick(sent.map(|s| &s.lang), stored.map(|s| s.lang.code().to_string())),
        headline => pick(sent.map(|s| &s.headline), stored.map(|s| s.headline.clone())),
        standfirst => pick(sent.map(|s| &s.standfirst), stored.map(|s| s.standfirst.clone())),
        body_html => pick(sent.map(|s| &s.body_html), stored.map(|s| s.body_html.clone())),
        slug => pick(sent.map(|s| &s.slug), stored.map(|s| s.slug.clone())),
        sections => sent.and_then(|s| s.sections.clone())
            .unwrap_or_else(|| stored.map(|s| s.sections.iter().map(|x| x.slug.clone()).collect()).unwrap_or_default()),
        authors => sent.and_then(|s| s.authors.clone())
            .unwrap_or_else(|| match stored {
                Some(s) => s.authors.iter().map(|x| x.slug.clone()).collect(),
                None => byline.into_iter().collect(),
            }),
        tags => sent.and_then(|s| s.tags.clone())
            .unwrap_or_else(|| stored.map(|s| s.tags.iter().map(|x| x.name.clone()).collect()).unwrap_or_default())
            .join("، "),
        status => stage.map(Stage::as_str),
        status_label => stage.map(|st| status_label(app, staff.user.lang, st)),
        publish_at => stored
            .filter(|_| matches!(stage, Some(Stage::Scheduled | Stage::Published)))
            .map(|s| local(s.published_at))
            .unwrap_or_default(),
        revision => a.map(|s| s.revision),
        public_url => a.map(|s| public_url(app, s)).unwrap_or_default(),
        cover_url => sent_cover.as_ref().map(|c| c.url.clone()).or(cover.as_ref().map(|c| c.url.clone())).unwrap_or_default(),
        cover_alt => sent_cover.as_ref().map(|c| c.alt.clone()).or(cover.as_ref().map(|c| c.alt.clone())).unwrap_or_default(),
        cover_caption => sent_cover.as_ref().map(|c| c.caption.clone()).or(cover.as_ref().map(|c| c.caption.clone())).unwrap_or_default(),
    }
}

/// The form's field of an error of the save (`sections[2]` → `sections`,
/// `cover.url` → `cover_url`), with the message in the user's language.
fn form_error(app: &AppState, lang: Lang, e: &FieldError) -> Value {
    let field = e
        .field
        .split('[')
        .next()
        .unwrap_or(&e.field)
        .replace('.', "_");
    let key = format!("invalid_{}", e.code);
    let worded = app.admin_theme.text(lang, &key);
    let message = if worded == key {
        e.message.clone()
    } else {
        worded
    };
    context! { field => field, message => message }
}

/// What the form shows besides the article: what was sent back, and what
/// the save had to say.
#[derive(Default)]
struct Shown<'a> {
    sent: Option<&'a ArticleInput>,
    errors: Vec<FieldError>,
    warnings: Vec<String>,
    flash: Option<String>,
}

async fn form_page(
    app: &AppState,
    staff: &Staff,
    article: Option<&StaffArticle>,
    shown: Shown<'_>,
    status: StatusCode,
) -> Answer {
    let fail = fail(app, staff);
    let lang = staff.user.lang;
    let sent = shown.sent;
    let edition: Lang = article
        .map(|a| a.article.lang)
        .or_else(|| {
            sent.and_then(|s| s.lang.as_deref())
                .and_then(|l| l.parse().ok())
        })
        .unwrap_or(Lang::Ar);
    let internal = |e: anyhow::Error| fail(e.into());
    let byline = match staff.user.author_id {
        Some(id) => app.store.author_slug(id).await.map_err(internal)?,
        None => None,
    };
    let sections = app.store.sections(edition).await.map_err(internal)?;
    let authors = app.store.all_authors(edition).await.map_err(internal)?;
    let choices = |items: Vec<(&String, &String)>| -> Vec<Value> {
        items
            .into_iter()
            .map(|(slug, name)| context! { slug => slug, name => name })
            .collect()
    };
    let sections = choices(sections.iter().map(|s| (&s.slug, &s.name)).collect());
    let authors = choices(authors.iter().map(|a| (&a.slug, &a.name)).collect());
    let langs: Vec<Value> = Lang::ALL
        .iter()
        .map(|l| context! { code => l.code(), label => app.admin_theme.text(lang, &format!("lang_{l}")) })
        .collect();
    let title = if article.is_some() {
        "edit_article"
    } else {
        "new_article"
    };
    let html = render(
        app,
        Some(staff),
        lang,
        "article.html",
        (title, if article.is_some() { "" } else { "new" }),
        context! {
            article => form_article(app, staff, article, sent, byline),
            all_sections => sections,
            all_authors => authors,
            langs => langs,
            actions => actions(staff, article),
            errors => shown.errors.iter().map(|e| form_error(app, lang, e)).collect::<Vec<_>>(),
            warnings => shown.warnings,
            flash => shown.flash,
        },
    )
    .map_err(&fail)?;
    Ok(private(with_status(status, html)))
}

pub async fn new(State(app): State<AppState>, Signed(staff): Signed) -> Answer {
    form_page(&app, &staff, None, Shown::default(), StatusCode::OK).await
}

pub async fn edit(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Path(id): Path<String>,
    Query(q): Query<Done>,
) -> Answer {
    let fail = fail(&app, &staff);
    let id: i64 = id.parse().map_err(|_| fail(Failure::NotFound))?;
    let article = app
        .staff_article(&staff.user, id)
        .await
        .map_err(|e| fail(e.into()))?;
    let shown = Shown {
        flash: flash(&app, staff.user.lang, q.done.as_deref()),
        ..Shown::default()
    };
    form_page(&app, &staff, Some(&article), shown, StatusCode::OK).await
}

/// The form's fields as a save: repeated `sections` and `authors`, tags
/// separated by commas (Arabic or Latin), a local date and time.
fn input_of(app: &AppState, fields: &[(String, String)]) -> (ArticleInput, String) {
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let many = |name: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let tags = one("tags").map(|t| {
        t.split([',', '،'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    });
    let publish_at = one("publish_at").filter(|v| !v.trim().is_empty()).map(|v| {
        let tz = app.views.dates.time_zone().clone();
        v.parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|dt| dt.to_zoned(tz).ok())
            .map(|z| z.timestamp().to_string())
            .unwrap_or(v)
    });
    let cover = one("cover_url").map(|url| {
        Some(CoverInput {
            url,
            alt: one("cover_alt").unwrap_or_default(),
            caption: one("cover_caption").unwrap_or_default(),
        })
    });
    let action = one("action").unwrap_or_else(|| "save".into());
    let status = match action.as_str() {
        "submit" => Some("review"),
        "publish" => Some("published"),
        "schedule" => Some("scheduled"),
        "unpublish" => Some("unpublished"),
        _ => None,
    };
    let input = ArticleInput {
        lang: one("lang"),
        headline: one("headline"),
        standfirst: one("standfirst"),
        body_html: one("body_html"),
        sections: Some(many("sections")),
        tags,
        authors: Some(many("authors")),
        status: status.map(str::to_string),
        publish_at,
        cover,
        slug: one("slug"),
        // The form has no field for it yet: the link stays as it is.
        translation_id: None,
        revision: one("revision")
            .and_then(|r| r.parse().ok())
            .filter(|r| *r > 0),
    };
    (input, action)
}

pub async fn create(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    save_form(&app, &staff, None, &fields).await
}

pub async fn save(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let id: i64 = id
        .parse()
        .map_err(|_| fail(&app, &staff)(Failure::NotFound))?;
    save_form(&app, &staff, Some(id), &fields).await
}

async fn save_form(
    app: &AppState,
    staff: &Staff,
    id: Option<i64>,
    fields: &[(String, String)],
) -> Answer {
    let fail = fail(app, staff);
    let (input, action) = input_of(app, fields);
    let result = match (action.as_str(), id) {
        ("delete", Some(id)) => app.trash_article(&staff.user, &staff.actor(), id).await,
        _ => {
            app.save_article(&staff.user, &staff.actor(), id, input.clone())
                .await
        }
    };
    let stored = match id {
        Some(id) => app.staff_article(&staff.user, id).await.ok(),
        None => None,
    };
    // Refused: the form again, with what was sent and why not.
    let refused = |errors: Vec<FieldError>, status| {
        let shown = Shown {
            sent: Some(&input),
            errors,
            ..Shown::default()
        };
        form_page(app, staff, stored.as_ref(), shown, status)
    };
    match result {
        Ok(_) if action == "delete" => Ok(done("/admin/", "deleted")),
        Ok(saved) if !saved.warnings.is_empty() => {
            let shown = Shown {
                flash: Some(app.admin_theme.text(staff.user.lang, "saved")),
                warnings: saved.warnings.clone(),
                ..Shown::default()
            };
            form_page(app, staff, Some(&saved.article), shown, StatusCode::OK).await
        }
        Ok(saved) => {
            let what = if id.is_none() { "created" } else { "saved" };
            Ok(done(
                &format!("/admin/articles/{}", saved.article.article.id),
                what,
            ))
        }
        Err(EditError::Invalid(errors)) => refused(errors, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(EditError::Conflict { current }) => {
            let stale = FieldError {
                field: "revision".into(),
                code: "stale",
                message: format!("saved meanwhile (revision {current})"),
            };
            refused(vec![stale], StatusCode::CONFLICT).await
        }
        Err(e) => Err(fail(Failure::from(e))),
    }
}
