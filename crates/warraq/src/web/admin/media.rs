//! The media library page: every image with its words, an upload form
//! (a plain multipart form: the CSRF guard reads its `csrf` field), and
//! the form that changes an image's alt text, caption and credit.

use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Value};
use serde::Deserialize;

use super::{done, fail, private, render, when, with_status, Answer, Signed};
use crate::media::{self, MediaError};
use crate::store::{MediaItem, MediaText};
use crate::web::api_media::{may_change, read_upload, PER_PAGE};
use crate::web::auth::Staff;
use crate::web::{AppState, Failure};

/// `upload_limit`: the largest body the upload form may send.
pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route(
            "/admin/media",
            get(library)
                .post(upload)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/admin/media/{id}", post(describe))
}

/// What a redirect back to the library may ask it to say.
const DONE: &[&str] = &["media_uploaded", "media_saved"];

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<u32>,
    done: Option<String>,
}

/// What the page shows besides the library.
#[derive(Default)]
struct Notice {
    flash: Option<String>,
    error: Option<String>,
}

/// The copy a grid shows: the narrowest that is at least 320 pixels wide
/// in the image's own format (every browser shows those), else the image.
fn thumbnail(item: &MediaItem) -> String {
    let own = item.mime.as_deref().unwrap_or_default();
    item.sizes
        .iter()
        .find(|s| s.mime == own && s.width >= 320)
        .map_or_else(|| item.url.clone(), |s| s.url.clone())
}

fn card(app: &AppState, staff: &Staff, item: &MediaItem) -> Value {
    context! {
        id => item.id,
        url => item.url,
        thumb => thumbnail(item),
        width => item.width,
        height => item.height,
        title => item.title,
        alt => item.alt,
        caption => item.caption,
        credit => item.credit,
        when => when(app, item.created_at),
        may_edit => may_change(staff, item),
    }
}

async fn page(
    app: &AppState,
    staff: &Staff,
    q: &ListQuery,
    notice: Notice,
    status: StatusCode,
) -> Answer {
    let fail = fail(app, staff);
    let text = q.q.as_deref().unwrap_or_default().trim().to_string();
    let found = app
        .store
        .media_list(&text, q.page.unwrap_or(1), PER_PAGE)
        .await
        .map_err(|e| fail(e.into()))?;
    let items: Vec<Value> = found.items.iter().map(|i| card(app, staff, i)).collect();
    let query = |page: u32| {
        let mut pairs = vec![("page", page.to_string())];
        if !text.is_empty() {
            pairs.insert(0, ("q", text.clone()));
        }
        format!(
            "/admin/media?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    };
    let pages = found.pages();
    let html = render(
        app,
        Some(staff),
        staff.user.lang,
        "media.html",
        ("media_library", "media"),
        context! {
            items => items,
            q => text,
            total => found.total,
            page => found.page,
            pages => pages,
            prev_url => (found.page > 1).then(|| query(found.page - 1)),
            next_url => (found.page < pages).then(|| query(found.page + 1)),
            max_upload_mb => app.config.media.max_upload_mb,
            flash => notice.flash,
            error => notice.error,
        },
    )
    .map_err(&fail)?;
    Ok(private(with_status(status, html)))
}

pub async fn library(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Query(q): Query<ListQuery>,
) -> Answer {
    let flash = q
        .done
        .as_deref()
        .filter(|d| DONE.contains(d))
        .map(|d| app.admin_theme.text(staff.user.lang, d));
    let notice = Notice { flash, error: None };
    page(&app, &staff, &q, notice, StatusCode::OK).await
}

pub async fn upload(
    State(app): State<AppState>,
    Signed(staff): Signed,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Answer {
    let lang = staff.user.lang;
    let t = |key: &str| app.admin_theme.text(lang, key);
    // Refused: the library again, saying why (in the user's language,
    // with the numbers the check gave).
    let first_page = ListQuery::default();
    let refused = |key: &str, detail: String, status: StatusCode| {
        let error = Some(format!("{}{}{detail}", t(key), t("label_sep")));
        page(
            &app,
            &staff,
            &first_page,
            Notice { flash: None, error },
            status,
        )
    };
    let max = app.config.media.max_upload_bytes();
    let fields = match form {
        Ok(mut form) => read_upload(&mut form, max).await,
        Err(e) => Err(Failure::BadRequest(e.body_text())),
    };
    let upload = match fields.map(|f| f.into_upload(&staff.user)) {
        Ok(Some(upload)) if !upload.bytes.is_empty() => upload,
        Ok(_) => {
            return refused("media_no_file", String::new(), StatusCode::BAD_REQUEST).await;
        }
        Err(Failure::TooLarge(m)) => {
            return refused("media_refused", m, StatusCode::PAYLOAD_TOO_LARGE).await;
        }
        Err(f) => return Err(fail(&app, &staff)(f)),
    };
    match media::upload(&app.store, &app.media_dir, &app.config.media, upload).await {
        Ok(_) => Ok(done("/admin/media", "media_uploaded")),
        Err(MediaError::Internal(e)) => Err(fail(&app, &staff)(e.into())),
        Err(e) => {
            let status = match e {
                MediaError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                MediaError::NotAnImage(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            refused("media_refused", e.to_string(), status).await
        }
    }
}

pub async fn describe(
    State(app): State<AppState>,
    Signed(staff): Signed,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Answer {
    let fail = fail(&app, &staff);
    let id: i64 = id.parse().map_err(|_| fail(Failure::NotFound))?;
    let item = app
        .store
        .media(id)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(|| fail(Failure::NotFound))?;
    if !may_change(&staff, &item) {
        let message = app.admin_theme.text(staff.user.lang, "forbidden");
        return Err(fail(Failure::Forbidden(message)));
    }
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let text = MediaText {
        alt: one("alt"),
        caption: one("caption"),
        credit: one("credit"),
    };
    app.store
        .update_media(id, &text)
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(done("/admin/media", "media_saved"))
}
