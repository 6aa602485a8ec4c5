//! What admins manage: the newsroom's accounts and the audit log.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Form;
use minijinja::{context, Value};
use serde::Deserialize;

use super::{done, fail, flash, paging, private, render, when, with_status, Admin, Answer};
use crate::model::{Role, User};
use crate::service::people::{add_user, is_last_admin, Byline, UserInput};
use crate::web::auth::Staff;
use crate::web::{AppState, Failure};

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

async fn users_page(
    app: &AppState,
    staff: &Staff,
    message: (Option<String>, Option<String>),
    status: StatusCode,
) -> Answer {
    let fail = fail(app, staff);
    let lang = staff.user.lang;
    let theme = &app.admin_theme;
    let authors = app
        .store
        .all_authors(lang)
        .await
        .map_err(|e| fail(e.into()))?;
    let slug_of = |id: Option<i64>| {
        id.and_then(|id| authors.iter().find(|a| a.id == id))
            .map(|a| a.slug.clone())
    };
    let users: Vec<Value> = app
        .store
        .users()
        .await
        .map_err(|e| fail(e.into()))?
        .iter()
        .map(|u| {
            context! {
                id => u.id,
                email => u.email,
                name => u.name,
                role => u.role.as_str(),
                role_label => theme.text(lang, &format!("role_{}", u.role)),
                disabled => u.disabled,
                totp => u.totp,
                author => slug_of(u.author_id),
            }
        })
        .collect();
    let roles: Vec<Value> = Role::ALL
        .iter()
        .map(|r| context! { value => r.as_str(), label => theme.text(lang, &format!("role_{r}")) })
        .collect();
    let authors: Vec<Value> = authors
        .iter()
        .map(|a| context! { slug => a.slug, name => a.name })
        .collect();
    let html = render(
        app,
        Some(staff),
        lang,
        "users.html",
        ("users", "users"),
        context! { users => users, roles => roles, authors => authors, flash => message.0, error => message.1 },
    )
    .map_err(&fail)?;
    Ok(private(with_status(status, html)))
}

pub async fn users(
    State(app): State<AppState>,
    Admin(staff): Admin,
    Query(q): Query<Done>,
) -> Answer {
    let message = flash(&app, staff.user.lang, q.done.as_deref());
    users_page(&app, &staff, (message, None), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct NewUserForm {
    email: String,
    name: String,
    role: String,
    password: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    author: String,
}

pub async fn add(
    State(app): State<AppState>,
    Admin(staff): Admin,
    Form(form): Form<NewUserForm>,
) -> Answer {
    let refuse = |message: String| {
        users_page(
            &app,
            &staff,
            (None, Some(message)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Ok(role) = form.role.parse::<Role>() else {
        return refuse(format!("role: {:?}", form.role)).await;
    };
    let input = UserInput {
        email: &form.email,
        name: &form.name,
        role,
        lang: form.lang.parse().unwrap_or(staff.user.lang),
        password: &form.password,
        byline: match form.author.as_str() {
            "" => Byline::None,
            "new" => Byline::New,
            slug => Byline::Existing(slug.to_string()),
        },
    };
    match add_user(&app.store, input, &staff.actor()).await {
        Ok(_) => Ok(done("/admin/users", "user_added")),
        Err((field, message)) => {
            let label = app.admin_theme.text(staff.user.lang, &field);
            refuse(format!("{label}: {message}")).await
        }
    }
}

#[derive(Deserialize)]
pub struct ChangeForm {
    action: String,
    #[serde(default)]
    role: String,
}

pub async fn change(
    State(app): State<AppState>,
    Admin(staff): Admin,
    Path(id): Path<i64>,
    Form(form): Form<ChangeForm>,
) -> Answer {
    let fail = fail(&app, &staff);
    let internal = |e: anyhow::Error| fail(e.into());
    let user: User = app
        .store
        .user(id)
        .await
        .map_err(internal)?
        .ok_or_else(|| fail(Failure::NotFound))?;
    let by = staff.actor();
    let last_admin = is_last_admin(&app.store, &user).await.map_err(internal)?;
    let refuse_last = || {
        users_page(
            &app,
            &staff,
            (
                None,
                Some(app.admin_theme.text(staff.user.lang, "last_admin")),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    match form.action.as_str() {
        "role" => {
            let role: Role = form
                .role
                .parse()
                .map_err(|e: String| fail(Failure::BadRequest(e)))?;
            if role != Role::Admin && last_admin {
                return refuse_last().await;
            }
            app.store
                .set_role(&user, role, &by)
                .await
                .map_err(internal)?;
        }
        "disable" => {
            if last_admin {
                return refuse_last().await;
            }
            app.store
                .set_disabled(&user, true, &by)
                .await
                .map_err(internal)?;
        }
        "enable" => app
            .store
            .set_disabled(&user, false, &by)
            .await
            .map_err(internal)?,
        "reset_totp" => app
            .store
            .set_totp(&user, None, &by)
            .await
            .map_err(internal)?,
        other => {
            return Err(fail(Failure::BadRequest(format!(
                "unknown action {other:?}"
            ))))
        }
    }
    Ok(done("/admin/users", "user_updated"))
}

#[derive(Deserialize)]
pub struct PageParam {
    page: Option<u32>,
}

const AUDIT_PAGE: u32 = 50;

pub async fn audit(
    State(app): State<AppState>,
    Admin(staff): Admin,
    Query(p): Query<PageParam>,
) -> Answer {
    let fail = fail(&app, &staff);
    let lang = staff.user.lang;
    let page = p.page.unwrap_or(1).max(1);
    let log = app
        .store
        .audit_log(page, AUDIT_PAGE)
        .await
        .map_err(|e| fail(e.into()))?;
    let pages = log.pages();
    let entries: Vec<Value> = log
        .items
        .iter()
        .map(|e| {
            context! {
                at => when(&app, e.at),
                actor => e.actor,
                address => e.address,
                action => e.action,
                action_label => app.admin_theme.text(lang, &format!("audit_{}", e.action)),
                target => e.target,
                detail => e.detail,
            }
        })
        .collect();
    let link = |n: u32| format!("/admin/audit?page={n}");
    let html = render(
        &app,
        Some(&staff),
        lang,
        "audit.html",
        ("audit", "audit"),
        context! {
            entries => entries,
            ..paging(page, pages, link)
        },
    )
    .map_err(&fail)?;
    Ok(private(with_status(StatusCode::OK, html)))
}
