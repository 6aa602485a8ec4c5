//! The dashboard and the article form. The form is plain HTML for now
//! (the rich editor comes with the next part); what it sends goes through
//! the same [`crate::service`] save as the write API.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Form;
use minijinja::{context, Value};
use serde::Deserialize;

use super::{
    done, fail, flash, paging, private, render, staff_page, when, when_in_text, with_status,
    Answer, Signed,
};
use crate::model::{Lang, Stage};
use crate::service::{ArticleInput, CoverInput, EditError, FieldError};
use crate::store::{Locking, StaffArticle, StaffQuery};
use crate::web::auth::Staff;
use crate::web::{AppState, Failure};

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
    /// `restore`: show the user's autosaved copy in the form.
    autosave: Option<String>,
}

const DASHBOARD_ITEMS: u32 = 10;
const LIST_PAGE: u32 = 30;

/// The filters of the article list, as typed in its form (an empty field
/// is no filter; a value that is not one is no filter either, and says so
/// by not being selected).
#[derive(Deserialize, Default)]
pub struct ListParams {
    status: Option<String>,
    section: Option<String>,
    author: Option<String>,
    lang: Option<String>,
    q: Option<String>,
    page: Option<String>,
}

/// All articles `staff` may see, filtered, searched and paged.
pub async fn list(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Query(p): Query<ListParams>,
) -> Answer {
    let fail = fail(&app, &staff);
    let internal = |e: anyhow::Error| fail(e.into());
    let lang = staff.user.lang;
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let stage: Option<Stage> = given(&p.status).and_then(|s| s.parse().ok());
    let edition: Option<Lang> = given(&p.lang).and_then(|l| l.parse().ok());
    let page = given(&p.page)
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1);
    let query = StaffQuery {
        stage,
        lang: edition,
        section: given(&p.section),
        author: given(&p.author),
        text: given(&p.q),
        page,
        per_page: LIST_PAGE,
        ..StaffQuery::default()
    };
    let found = app
        .staff_articles(&staff.user, query.clone())
        .await
        .map_err(internal)?;
    let rows: Vec<Value> = found.items.iter().map(|a| row(&app, &staff, a)).collect();
    let sections = app
        .store
        .sections(edition.unwrap_or(lang))
        .await
        .map_err(internal)?;
    let authors = app
        .store
        .all_authors(edition.unwrap_or(lang))
        .await
        .map_err(internal)?;
    let pages = found.pages();
    // Links to the pages before and after keep every filter.
    let link = |n: u32| {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [
            ("status", query.stage.map(|s| s.as_str().to_string())),
            ("section", query.section.clone()),
            ("author", query.author.clone()),
            ("lang", query.lang.map(|l| l.code().to_string())),
            ("q", query.text.clone()),
        ] {
            if let Some(v) = v {
                pairs.push((k, v));
            }
        }
        pairs.push(("page", n.to_string()));
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("/admin/articles?{query}")
    };
    let stages: Vec<Value> = Stage::ALL
        .iter()
        .map(|&st| context! { code => st.as_str(), label => status_label(&app, lang, st) })
        .collect();
    Ok(staff_page(
        &app,
        &staff,
        "articles.html",
        ("articles", "articles"),
        context! {
            rows => rows,
            total => found.total,
            stages => stages,
            all_sections => sections.iter().map(|s| context! { slug => s.slug, name => s.name }).collect::<Vec<_>>(),
            all_authors => authors.iter().map(|a| context! { slug => a.slug, name => a.name }).collect::<Vec<_>>(),
            langs => Lang::ALL.iter().map(|l| context! { code => l.code(), label => app.admin_theme.text(lang, &format!("lang_{l}")) }).collect::<Vec<_>>(),
            chosen => context! {
                status => query.stage.map(Stage::as_str),
                section => query.section,
                author => query.author,
                lang => query.lang.map(Lang::code),
                q => query.text,
            },
            ..paging(page, pages, link)
        },
    ))
}

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
    let (overdue, _) = app.overdue().await.map_err(|e| fail(e.into()))?;
    Ok(staff_page(
        &app,
        &staff,
        "dashboard.html",
        ("dashboard", "dashboard"),
        context! {
            drafts => drafts, review => review, scheduled => scheduled, published => published,
            overdue => overdue,
            flash => flash(&app, staff.user.lang, q.done.as_deref()),
        },
    ))
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
        note => a.review_note,
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
    // An editor's answer to a submitted article: back to its writer, with a note.
    if from == Stage::Review && role.edits_others() && role.may_move(own, from, Stage::Draft) {
        out.push("send_back");
    }
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
    pins: &[i64],
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
        read_also => sent.and_then(|s| s.read_also).or(stored.map(|s| s.read_also)).unwrap_or(true),
        related => sent.and_then(|s| s.related.clone()).unwrap_or_else(|| pins.to_vec())
            .iter().map(i64::to_string).collect::<Vec<_>>().join("، "),
        note => a.map(|s| s.review_note.clone()).unwrap_or_default(),
        translation_id => sent.and_then(|s| s.translation_id).unwrap_or(stored.and_then(|s| s.translation_id)),
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
    /// What others saved since the form was opened (a refused stale save).
    meanwhile: Vec<Value>,
    /// The form shows the user's autosaved copy, not the stored article.
    from_autosave: bool,
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
    let id = article.map(|a| a.article.id);
    let actions = actions(staff, article);
    // Opening an article to change it takes its lock, unless someone else
    // holds it: then the page says who, and taking over is a button.
    let locked_by = match id {
        Some(id) if !actions.is_empty() => match app.lock_article(&staff.user, id, false).await {
            Ok(Locking::Held) => None,
            Ok(Locking::Taken(lock)) => Some(context! {
                name => lock.name,
                since => when_in_text(app, lock.taken_at),
            }),
            Err(e) => return Err(fail(e.into())),
        },
        _ => None,
    };
    let pins = match id {
        Some(id) => app.store.related_pins(id).await.map_err(internal)?,
        None => Vec::new(),
    };
    let autosaved = if shown.from_autosave || actions.is_empty() {
        None
    } else {
        app.autosaved(&staff.user, id, article)
            .await
            .map_err(internal)?
            .map(|c| when_in_text(app, c.saved_at))
    };
    let base = match id {
        Some(id) => format!("/admin/articles/{id}"),
        None => "/admin/articles/new".into(),
    };
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
            article => form_article(app, staff, article, sent, byline, &pins),
            all_sections => sections,
            all_authors => authors,
            langs => langs,
            actions => actions,
            errors => shown.errors.iter().map(|e| form_error(app, lang, e)).collect::<Vec<_>>(),
            warnings => shown.warnings,
            flash => shown.flash,
            meanwhile => shown.meanwhile,
            locked_by => locked_by,
            autosaved => autosaved,
            from_autosave => shown.from_autosave,
            base_url => base,
            lock_life => crate::service::LOCK_LIFE_SECS,
        },
    )
    .map_err(&fail)?;
    Ok(private(with_status(status, html)))
}

pub async fn new(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Query(q): Query<Done>,
) -> Answer {
    form_with_autosave(&app, &staff, None, q).await
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
    form_with_autosave(&app, &staff, Some(&article), q).await
}

/// The form of an article (or a new one), filled from the user's
/// autosaved copy when they asked for it.
async fn form_with_autosave(
    app: &AppState,
    staff: &Staff,
    article: Option<&StaffArticle>,
    q: Done,
) -> Answer {
    let fail = fail(app, staff);
    let id = article.map(|a| a.article.id);
    let copy = match q.autosave.as_deref() {
        Some("restore") => app
            .autosaved(&staff.user, id, article)
            .await
            .map_err(|e| fail(e.into()))?,
        _ => None,
    };
    let restored: Option<ArticleInput> = copy.and_then(|c| serde_json::from_str(&c.content).ok());
    let shown = Shown {
        flash: flash(app, staff.user.lang, q.done.as_deref()),
        from_autosave: restored.is_some(),
        sent: restored.as_ref(),
        ..Shown::default()
    };
    form_page(app, staff, article, shown, StatusCode::OK).await
}

/// The form's fields as a save: repeated `sections` and `authors`, tags
/// separated by commas (Arabic or Latin), a local date and time.
pub(super) fn input_of(
    app: &AppState,
    fields: &[(String, String)],
) -> (ArticleInput, String, Vec<FieldError>) {
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
    // Ticked boxes, or none ticked on a form that showed them (it says so
    // in `…_shown`); a post without either leaves the list as it is.
    let ticked = |name: &str| {
        let chosen = many(name);
        let shown = one(&format!("{name}_shown")).is_some();
        (shown || !chosen.is_empty()).then_some(chosen)
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
    let mut errors = Vec::new();
    // Pinned related articles: ids, as the list of articles shows them.
    let related = one("related").map(|text| {
        text.split([',', '،', ' '])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .filter_map(|t| {
                let digits = warraq_text::digits::western(t);
                let id = digits.parse::<i64>().ok();
                if id.is_none() {
                    errors.push(FieldError {
                        field: "related".into(),
                        code: "invalid",
                        message: format!("{t:?} is not an article number"),
                    });
                }
                id
            })
            .collect()
    });
    let action = one("action").unwrap_or_else(|| "save".into());
    let status = match action.as_str() {
        "send_back" => Some("draft"),
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
        sections: ticked("sections"),
        tags,
        authors: ticked("authors"),
        status: status.map(str::to_string),
        publish_at,
        cover,
        slug: one("slug"),
        // The other edition by its number; emptied, the link is undone.
        translation_id: one("translation_id").map(|t| {
            let t = warraq_text::digits::western(t.trim());
            if t.is_empty() {
                return None;
            }
            let id = t.parse::<i64>().ok();
            if id.is_none() {
                errors.push(FieldError {
                    field: "translation_id".into(),
                    code: "invalid",
                    message: format!("{t:?} is not an article number"),
                });
            }
            id
        }),
        // A checkbox sends nothing when unticked: the form says it showed one.
        read_also: one("read_also_shown").map(|_| one("read_also").is_some()),
        related,
        note: one("note").filter(|_| action == "send_back"),
        revision: one("revision")
            .and_then(|r| r.parse().ok())
            .filter(|r| *r > 0),
    };
    (input, action, errors)
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
    let internal = |e: anyhow::Error| fail(e.into());
    let (input, action, mut problems) = input_of(app, fields);
    let stored = match id {
        Some(id) => app.staff_article(&staff.user, id).await.ok(),
        None => None,
    };
    // Someone else has it open and did not let go: saving over them is
    // taking over, which is its own button.
    if let Some(id) = id {
        if let Some(lock) = app
            .locked_by_other(&staff.user, id)
            .await
            .map_err(internal)?
        {
            let text = app.admin_theme.text(staff.user.lang, "locked_save");
            problems.push(FieldError {
                field: "lock".into(),
                code: "locked",
                message: text.replace("{name}", &lock.name),
            });
        }
    }
    // Refused: the form again, with what was sent and why not.
    let refused = |errors: Vec<FieldError>, meanwhile: Vec<Value>, status| {
        let shown = Shown {
            sent: Some(&input),
            errors,
            meanwhile,
            ..Shown::default()
        };
        form_page(app, staff, stored.as_ref(), shown, status)
    };
    if !problems.is_empty() {
        let status = if problems.iter().any(|p| p.code == "locked") {
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return refused(problems, Vec::new(), status).await;
    }
    let result = match (action.as_str(), id) {
        ("delete", Some(id)) => app.trash_article(&staff.user, &staff.actor(), id).await,
        _ => {
            app.save_article(&staff.user, &staff.actor(), id, input.clone())
                .await
        }
    };
    if let Ok(saved) = &result {
        // Saved: the autosaved copy holds nothing more.
        app.drop_autosave(&staff.user, id).await.map_err(internal)?;
        if id.is_none() {
            app.drop_autosave(&staff.user, Some(saved.article.article.id))
                .await
                .map_err(internal)?;
        }
    }
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
            let what = match action.as_str() {
                _ if id.is_none() => "created",
                "send_back" => "sent_back",
                _ => "saved",
            };
            Ok(done(
                &format!("/admin/articles/{}", saved.article.article.id),
                what,
            ))
        }
        Err(EditError::Invalid(errors)) => {
            refused(errors, Vec::new(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(EditError::Conflict { current }) => {
            let stale = FieldError {
                field: "revision".into(),
                code: "stale",
                message: format!("saved meanwhile (revision {current})"),
            };
            let meanwhile = match (id, input.revision) {
                (Some(id), Some(from)) => {
                    super::revisions::changes_between(app, staff, id, from, current)
                        .await
                        .map_err(internal)?
                }
                _ => Vec::new(),
            };
            refused(vec![stale], meanwhile, StatusCode::CONFLICT).await
        }
        Err(e) => Err(fail(Failure::from(e))),
    }
}
