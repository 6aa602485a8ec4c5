//! A member of staff's own settings: password, language, second factor,
//! API tokens.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Form;
use minijinja::{context, Value};
use serde::Deserialize;

use super::{
    done, fail, flash, must_enrol, private, render, when, with_status, Answer, Enrolling, Signed,
};
use crate::auth::{digest, hash_password, otpauth_uri, recovery_codes, verify_password, Totp};
use crate::model::Lang;
use crate::service::people::create_token;
use crate::web::auth::Staff;
use crate::web::{AppState, Failure};

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// What the account page shows besides the settings themselves: a secret
/// being set up, codes or a token shown once, a message.
#[derive(Default)]
struct Once {
    totp_setup: Option<Value>,
    recovery_codes: Option<Vec<String>>,
    new_token: Option<String>,
    flash: Option<String>,
    error: Option<String>,
    /// Set up because the config required it: stay on the enrolment page,
    /// which leads on to the dashboard.
    enrolled: bool,
}

async fn account_page(app: &AppState, staff: &Staff, once: Once, status: StatusCode) -> Answer {
    let user = &staff.user;
    let fail = fail(app, staff);
    let tokens: Vec<Value> = app
        .store
        .tokens(user.id)
        .await
        .map_err(|e| fail(e.into()))?
        .into_iter()
        .map(|t| {
            context! {
                name => t.name,
                created => when(app, t.created_at),
                last_used => t.last_used_at.map(|at| when(app, at)),
            }
        })
        .collect();
    let recovery_left = if user.totp {
        Some(
            app.store
                .recovery_codes_left(user.id)
                .await
                .map_err(|e| fail(e.into()))?,
        )
    } else {
        None
    };
    let enrol = must_enrol(app, staff);
    let template = if enrol || once.enrolled {
        "enrol.html"
    } else {
        "account.html"
    };
    let html = render(
        app,
        Some(staff),
        user.lang,
        template,
        ("account", "account"),
        context! {
            totp_enabled => user.totp,
            recovery_left => recovery_left,
            must_enrol => enrol,
            tokens => tokens,
            totp_setup => once.totp_setup,
            recovery_codes => once.recovery_codes,
            new_token => once.new_token,
            flash => once.flash,
            error => once.error,
        },
    )
    .map_err(&fail)?;
    Ok(private(with_status(status, html)))
}

pub async fn page(
    State(app): State<AppState>,
    Enrolling(staff): Enrolling,
    Query(q): Query<Done>,
) -> Answer {
    let once = Once {
        flash: flash(&app, staff.user.lang, q.done.as_deref()),
        ..Once::default()
    };
    account_page(&app, &staff, once, StatusCode::OK).await
}

fn problem(app: &AppState, lang: Lang, key: &str) -> Once {
    Once {
        error: Some(app.admin_theme.text(lang, key)),
        ..Once::default()
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

pub async fn password(
    State(app): State<AppState>,
    Enrolling(staff): Enrolling,
    Form(form): Form<PasswordForm>,
) -> Answer {
    let lang = staff.user.lang;
    let fail = fail(&app, &staff);
    let credentials = app
        .store
        .credentials(&staff.user.email)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(|| fail(Failure::NotFound))?;
    let current = form.current.clone();
    let hash = credentials.password_hash.clone();
    let matches = tokio::task::spawn_blocking(move || verify_password(&current, Some(&hash)))
        .await
        .unwrap_or(false);
    let refuse = |key| {
        account_page(
            &app,
            &staff,
            problem(&app, lang, key),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    if !matches {
        return refuse("password_wrong").await;
    }
    if form.new != form.confirm {
        return refuse("password_mismatch").await;
    }
    let new = form.new.clone();
    let Ok(Ok(hash)) = tokio::task::spawn_blocking(move || hash_password(&new)).await else {
        return refuse("password_short").await;
    };
    let keep = staff.session.as_ref().map(|s| s.id_hash.as_str());
    app.store
        .set_password(&staff.user, &hash, keep, &staff.actor())
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(done("/admin/account", "password_changed"))
}

#[derive(Deserialize)]
pub struct LangForm {
    lang: String,
}

pub async fn lang(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Form(form): Form<LangForm>,
) -> Answer {
    let fail = fail(&app, &staff);
    let lang: Lang = form
        .lang
        .parse()
        .map_err(|e: String| fail(Failure::BadRequest(e)))?;
    app.store
        .set_user_lang(&staff.user, lang, &staff.actor())
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(done("/admin/account", "lang_changed"))
}

/// Starts setting up the second factor: a new secret, shown as a QR code
/// and as text, kept only in the form until confirmed.
pub async fn totp_start(State(app): State<AppState>, Enrolling(staff): Enrolling) -> Answer {
    let secret = Totp::generate();
    let once = Once {
        totp_setup: Some(setup(&app, &staff, &secret)),
        ..Once::default()
    };
    account_page(&app, &staff, once, StatusCode::OK).await
}

fn setup(app: &AppState, staff: &Staff, secret: &Totp) -> Value {
    let issuer = &app.config.site(staff.user.lang).name;
    let uri = otpauth_uri(issuer, &staff.user.email, secret);
    context! {
        secret => secret.to_base32(),
        qr_svg => Value::from_safe_string(qr_svg(&uri)),
        uri => uri,
    }
}

/// The `otpauth://` link as a QR code, in SVG made here (no image is
/// fetched from anywhere: the secret never leaves the page).
fn qr_svg(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    code: String,
    secret: String,
}

/// Turns the second factor on once a code from the new secret is right;
/// shows the recovery codes, once.
pub async fn totp_confirm(
    State(app): State<AppState>,
    Enrolling(mut staff): Enrolling,
    Form(form): Form<ConfirmForm>,
) -> Answer {
    let lang = staff.user.lang;
    let fail = fail(&app, &staff);
    let Some(secret) = Totp::from_base32(&form.secret) else {
        return Err(fail(Failure::BadRequest("the secret is not base32".into())));
    };
    let now = jiff::Timestamp::now().as_second();
    let Some(step) = secret.verify(&form.code, now, 0) else {
        let once = Once {
            totp_setup: Some(setup(&app, &staff, &secret)),
            ..problem(&app, lang, "totp_wrong")
        };
        return account_page(&app, &staff, once, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let codes = recovery_codes();
    let digests: Vec<String> = codes.iter().map(|c| digest(c)).collect();
    app.store
        .set_totp(
            &staff.user,
            Some((&secret.to_base32(), &digests)),
            &staff.actor(),
        )
        .await
        .map_err(|e| fail(e.into()))?;
    // The code just typed is used: it cannot sign anyone in again.
    app.store
        .use_totp_step(staff.user.id, step)
        .await
        .map_err(|e| fail(e.into()))?;
    let enrolled = must_enrol(&app, &staff);
    staff.user.totp = true;
    let once = Once {
        enrolled,
        recovery_codes: Some(codes),
        flash: Some(app.admin_theme.text(lang, "totp_enabled_msg")),
        ..Once::default()
    };
    account_page(&app, &staff, once, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
}

pub async fn token_create(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Form(form): Form<TokenForm>,
) -> Answer {
    let once = match create_token(&app.store, &staff.user, &form.name, &staff.actor()).await {
        Ok(token) => Once {
            new_token: Some(token),
            flash: Some(app.admin_theme.text(staff.user.lang, "token_created")),
            ..Once::default()
        },
        Err(e) => Once {
            error: Some(format!("{e:#}")),
            ..Once::default()
        },
    };
    let status = if once.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    account_page(&app, &staff, once, status).await
}

pub async fn token_revoke(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Form(form): Form<TokenForm>,
) -> Answer {
    let fail = fail(&app, &staff);
    let revoked = app
        .store
        .revoke_token(&staff.user, &form.name, &staff.actor())
        .await
        .map_err(|e| fail(e.into()))?;
    if !revoked {
        return Err(fail(Failure::NotFound));
    }
    Ok(done("/admin/account", "token_revoked"))
}
