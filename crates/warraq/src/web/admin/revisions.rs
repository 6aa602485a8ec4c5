//! An article's revisions: the list, one revision against the one before
//! it as a word-level diff, and restoring it; and the same diff for a save
//! refused because someone saved meanwhile.

use axum::extract::{Path, State};
use minijinja::{context, Value};
use serde_json::Value as Json;

use super::{done, fail, staff_page, when, when_in_text, Answer, Signed};
use crate::model::{Lang, Stage, Status};
use crate::render::diff::{changed, word_diff};
use crate::store::{RevisionInfo, StaffArticle};
use crate::web::auth::Staff;
use crate::web::{AppState, Failure};

/// The fields of a revision as the diff shows them, each as text: lists
/// joined, the body as its words (markup changes that change no word are
/// not what an editor reads a diff for), the status in words and the time
/// as the back office writes times (to the minute, in the newsroom's zone).
fn field_texts(app: &AppState, lang: Lang, content: &Json) -> Vec<(&'static str, String)> {
    let text = |key: &str| content[key].as_str().unwrap_or_default().to_string();
    let list = |key: &str| {
        content[key]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(Json::as_str)
                    .collect::<Vec<_>>()
                    .join("، ")
            })
            .unwrap_or_default()
    };
    let cover = |key: &str| {
        content["cover"][key]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    vec![
        ("headline", text("headline")),
        ("standfirst", text("standfirst")),
        ("body_html", warraq_text::clean_text(&text("body_html"))),
        ("sections", list("sections")),
        ("authors", list("authors")),
        ("tags", list("tags")),
        ("slug", text("slug")),
        ("cover_url", cover("url")),
        ("cover_alt", cover("alt")),
        ("cover_caption", cover("caption")),
        (
            "status",
            status_words(app, lang, &text("status"), &text("publish_at")),
        ),
        (
            "publish_at",
            text("publish_at")
                .parse()
                .map(|t| when(app, t))
                .unwrap_or_default(),
        ),
    ]
}

/// A stored status in the user's words, scheduled when published ahead.
fn status_words(app: &AppState, lang: Lang, status: &str, publish_at: &str) -> String {
    let Ok(stored) = status.parse::<Status>() else {
        return status.to_string();
    };
    let at = publish_at
        .parse()
        .unwrap_or_else(|_| jiff::Timestamp::now());
    let stage = Stage::of(stored, at, jiff::Timestamp::now());
    app.admin_theme
        .text(lang, &format!("status_{}", stage.as_str()))
}

/// The fields that differ between two revisions' contents, each with its
/// label and word-level pieces.
fn field_changes(app: &AppState, lang: Lang, old: &Json, new: &Json) -> Vec<Value> {
    field_texts(app, lang, old)
        .into_iter()
        .zip(field_texts(app, lang, new))
        .filter_map(|((field, before), (_, after))| {
            let pieces = word_diff(&before, &after);
            changed(&pieces).then(|| {
                context! {
                    field => field,
                    label => app.admin_theme.text(lang, &format!("field_{field}")),
                    pieces => pieces,
                }
            })
        })
        .collect()
}

async fn content(app: &AppState, id: i64, n: i64) -> anyhow::Result<Json> {
    Ok(match app.store.revision_content(id, n).await? {
        Some(text) => serde_json::from_str(&text)?,
        None => Json::Null,
    })
}

/// What changed in article `id` from revision `from` (what the user's
/// form started from) to `to` (the stored one).
pub(super) async fn changes_between(
    app: &AppState,
    staff: &Staff,
    id: i64,
    from: i64,
    to: i64,
) -> anyhow::Result<Vec<Value>> {
    let (old, new) = (content(app, id, from).await?, content(app, id, to).await?);
    Ok(field_changes(app, staff.user.lang, &old, &new))
}

fn number(text: &str) -> Result<i64, Failure> {
    text.parse().map_err(|_| Failure::NotFound)
}

/// Article `id` as `staff` may see it, its revisions (newest first), and
/// the part of it the revision screens show.
async fn article_and_revisions(
    app: &AppState,
    staff: &Staff,
    id: i64,
) -> Result<(StaffArticle, Vec<RevisionInfo>, Value), Failure> {
    let article = app.staff_article(&staff.user, id).await?;
    let revisions = app.revisions(&staff.user, id).await?;
    let shown = context! {
        id => id,
        headline => article.article.headline,
        lang => article.article.lang.code(),
    };
    Ok((article, revisions, shown))
}

pub async fn list(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Path(id): Path<String>,
) -> Answer {
    let fail = fail(&app, &staff);
    let id = number(&id).map_err(&fail)?;
    let (article, revisions, shown) = article_and_revisions(&app, &staff, id)
        .await
        .map_err(&fail)?;
    let rows: Vec<Value> = revisions
        .iter()
        .map(|r| {
            context! {
                revision => r.revision,
                at => when(&app, r.at),
                actor => r.name,
                headline => r.headline,
                url => format!("/admin/articles/{id}/revisions/{}", r.revision),
                current => r.revision == article.revision,
            }
        })
        .collect();
    Ok(staff_page(
        &app,
        &staff,
        "revisions.html",
        ("revisions", ""),
        context! { article => shown, revisions => rows },
    ))
}

pub async fn show(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Path((id, n)): Path<(String, String)>,
) -> Answer {
    let fail = fail(&app, &staff);
    let (id, n) = (number(&id).map_err(&fail)?, number(&n).map_err(&fail)?);
    let (article, revisions, shown) = article_and_revisions(&app, &staff, id)
        .await
        .map_err(&fail)?;
    let Some(this) = revisions.iter().find(|r| r.revision == n) else {
        return Err(fail(Failure::NotFound));
    };
    // Against the revision before it (revisions are numbered with gaps
    // when an article was imported or changed outside the editor).
    let before = revisions
        .iter()
        .find(|r| r.revision < n)
        .map(|r| r.revision);
    let new = content(&app, id, n).await.map_err(|e| fail(e.into()))?;
    let old = match before {
        Some(b) => content(&app, id, b).await.map_err(|e| fail(e.into()))?,
        None => Json::Null,
    };
    let own = article.is_own(staff.user.id, staff.user.author_id);
    let may_restore = n != article.revision && staff.user.role.may_edit(own, article.stage());
    Ok(staff_page(
        &app,
        &staff,
        "revision.html",
        ("revision", ""),
        context! {
            article => shown,
            revision => context! { n => n, at => when_in_text(&app, this.at), actor => this.name, before => before },
            changes => field_changes(&app, staff.user.lang, &old, &new),
            may_restore => may_restore,
        },
    ))
}

pub async fn restore(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Path((id, n)): Path<(String, String)>,
) -> Answer {
    let fail = fail(&app, &staff);
    let (id, n) = (number(&id).map_err(&fail)?, number(&n).map_err(&fail)?);
    app.restore_revision(&staff.user, &staff.actor(), id, n)
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(done(&format!("/admin/articles/{id}"), "restored"))
}
