//! The media library in the JSON API: upload (multipart), list, read and
//! describe images. Staff only, like the rest of the write API; every role
//! that writes may upload.

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::auth::{ApiStaff, Staff};
use super::openapi::ErrorBody;
use super::{AppState, Failure};
use crate::media::{self, MediaError, Upload};
use crate::model::User;
use crate::service::FieldError;
use crate::store::{MediaItem, MediaText};

/// Images in one page of the library.
pub const PER_PAGE: u32 = 30;

/// `upload_limit`: the largest body an upload may have (the routes of the
/// rest of the API keep the staff limit).
pub fn routes(upload_limit: usize) -> Router<AppState> {
    let uploads = Router::new()
        .route("/api/v1/media", get(list_media).post(upload_media))
        .layer(DefaultBodyLimit::max(upload_limit));
    Router::new()
        .route("/api/v1/media/{id}", get(media_item).patch(update_media))
        .merge(uploads)
}

/// A media-library image as the API gives it.
#[derive(Serialize, ToSchema)]
pub struct MediaDoc {
    id: i64,
    /// Where the image is served, as a path on the site (`/media/…`): what
    /// an article's `cover.url` takes.
    url: String,
    width: Option<u32>,
    height: Option<u32>,
    /// `image/jpeg`, `image/png`, `image/webp` or `image/gif`.
    mime: Option<String>,
    /// Smaller copies for `srcset`, narrowest first, each in WebP and in
    /// the image's own format.
    sizes: Vec<SizeDoc>,
    /// The uploaded file's name, without its extension.
    title: String,
    alt: String,
    caption: String,
    credit: String,
    uploaded_by: Option<i64>,
    /// RFC 3339.
    created_at: String,
}

/// A smaller copy of an image.
#[derive(Serialize, ToSchema)]
pub struct SizeDoc {
    width: u32,
    url: String,
    #[serde(rename = "type")]
    r#type: String,
}

#[derive(Serialize, ToSchema)]
pub struct MediaList {
    media: Vec<MediaDoc>,
    page: u32,
    total: u64,
}

/// The form of an upload.
#[derive(Serialize, ToSchema)]
pub struct UploadForm {
    /// A JPEG, PNG, WebP or GIF (told by its bytes, not its name). Served
    /// only as re-encoded: no EXIF, GPS or other metadata survives.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// What the image shows, for readers who cannot see it; needed before
    /// an article with it as cover is published.
    alt: Option<String>,
    caption: Option<String>,
    /// Whom to credit (photographer, agency).
    credit: Option<String>,
}

/// What a change of an image's words may carry; absent fields stay.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MediaPatch {
    alt: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
}

/// `item` in the API's shape.
pub fn media_json(item: &MediaItem) -> serde_json::Value {
    json!({
        "id": item.id,
        "url": item.url,
        "width": item.width,
        "height": item.height,
        "mime": item.mime,
        "sizes": item.sizes,
        "title": item.title,
        "alt": item.alt,
        "caption": item.caption,
        "credit": item.credit,
        "uploaded_by": item.uploaded_by,
        "created_at": item.created_at.to_string(),
    })
}

impl From<MediaError> for Failure {
    fn from(e: MediaError) -> Self {
        let field = |code: &'static str, message: String| {
            Failure::Invalid(vec![FieldError {
                field: "file".into(),
                code,
                message,
            }])
        };
        match e {
            MediaError::TooLarge { .. } => Failure::TooLarge(e.to_string()),
            MediaError::NotAnImage(_) => Failure::Unsupported(e.to_string()),
            MediaError::TooManyPixels(m) => field("too_many_pixels", m),
            MediaError::Damaged(m) => field("damaged", m),
            MediaError::Internal(e) => Failure::from(e),
        }
    }
}

/// An upload form's fields: the file (its name and bytes) and the rest.
pub struct UploadFields {
    pub file: Option<(String, Vec<u8>)>,
    pub text: Vec<(String, String)>,
}

impl UploadFields {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.text
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The upload they make, for `user`; `None` without a file.
    pub fn into_upload(self, user: &User) -> Option<Upload> {
        let text = |name| self.get(name).unwrap_or_default().to_string();
        let (alt, caption, credit) = (text("alt"), text("caption"), text("credit"));
        self.file.map(|(filename, bytes)| Upload {
            bytes,
            filename,
            alt,
            caption,
            credit,
            uploaded_by: Some(user.id),
        })
    }
}

/// Reads a multipart upload form; a file over `max_bytes` is refused as
/// soon as it is seen to be.
pub async fn read_upload(form: &mut Multipart, max_bytes: usize) -> Result<UploadFields, Failure> {
    let too_large = || {
        Failure::from(MediaError::TooLarge {
            size: max_bytes + 1,
            limit: max_bytes,
        })
    };
    let broken = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            Failure::BadRequest(format!(
                "the multipart form cannot be read: {}",
                e.body_text()
            ))
        }
    };
    let mut fields = UploadFields {
        file: None,
        text: Vec::new(),
    };
    while let Some(mut field) = form.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let filename = field.file_name().unwrap_or_default().to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(broken)? {
                if bytes.len() + chunk.len() > max_bytes {
                    return Err(too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            fields.file = Some((filename, bytes));
        } else {
            let value = field.text().await.map_err(broken)?;
            fields.text.push((name, value));
        }
    }
    Ok(fields)
}

/// Whether `staff` may change the words of `item`: editors any image,
/// others those they uploaded.
pub fn may_change(staff: &Staff, item: &MediaItem) -> bool {
    staff.user.role.edits_others() || item.uploaded_by == Some(staff.user.id)
}

fn media_id(id: &str) -> Result<i64, Failure> {
    id.parse().map_err(|_| Failure::NotFound)
}

#[utoipa::path(post, path = "/api/v1/media", tag = "media",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Taken: the image as re-encoded (upright, without metadata) and its smaller copies.", body = MediaDoc),
        (status = 400, description = "No `file` field, or a body that is not a multipart form.", body = ErrorBody),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 413, description = "The file is over the media library's size limit (`media.max_upload_mb`).", body = ErrorBody),
        (status = 415, description = "Not a JPEG, PNG, WebP or GIF; the message says what the file seems to be.", body = ErrorBody),
        (status = 422, description = "An image with more pixels than allowed (a decompression bomb), or one that cannot be decoded.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn upload_media(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Failure> {
    let mut form = form.map_err(|e| Failure::BadRequest(e.body_text()))?;
    let fields = read_upload(&mut form, app.config.media.max_upload_bytes()).await?;
    let upload = fields
        .into_upload(&staff.user)
        .ok_or_else(|| Failure::BadRequest("the form has no \"file\" field".into()))?;
    let item = media::upload(&app.store, &app.media_dir, &app.config.media, upload).await?;
    Ok((StatusCode::CREATED, Json(media_json(&item))).into_response())
}

#[derive(Deserialize)]
pub(super) struct ListParams {
    q: Option<String>,
    page: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/media", tag = "media",
    params(
        ("q" = Option<String>, Query, description = "Only images whose title, alt text or caption contain this"),
        ("page" = Option<u32>, Query, description = "1-based; 30 images a page"),
    ),
    responses(
        (status = 200, description = "The library, newest first.", body = MediaList),
        (status = 400, description = "A page that is not a number.", body = ErrorBody),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn list_media(
    State(app): State<AppState>,
    ApiStaff(_): ApiStaff,
    Query(p): Query<ListParams>,
) -> Result<Response, Failure> {
    let page = super::api::number("page", p.page.as_deref(), 1, 100_000)?;
    let found = app
        .store
        .media_list(p.q.as_deref().unwrap_or_default(), page, PER_PAGE)
        .await?;
    let media: Vec<_> = found.items.iter().map(media_json).collect();
    Ok(Json(json!({ "media": media, "page": found.page, "total": found.total })).into_response())
}

#[utoipa::path(get, path = "/api/v1/media/{id}", tag = "media",
    params(("id" = i64, Path, description = "Image id")),
    responses(
        (status = 200, description = "The image.", body = MediaDoc),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 404, description = "No such image.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn media_item(
    State(app): State<AppState>,
    ApiStaff(_): ApiStaff,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let item = app
        .store
        .media(media_id(&id)?)
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(media_json(&item)).into_response())
}

#[utoipa::path(patch, path = "/api/v1/media/{id}", tag = "media",
    params(("id" = i64, Path, description = "Image id")),
    request_body = MediaPatch,
    responses(
        (status = 200, description = "Changed.", body = MediaDoc),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No credentials, or credentials that do not work.", body = ErrorBody),
        (status = 403, description = "Only editors change the words of others' images.", body = ErrorBody),
        (status = 404, description = "No such image.", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub(super) async fn update_media(
    State(app): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    body: Result<Json<MediaPatch>, JsonRejection>,
) -> Result<Response, Failure> {
    let Json(patch) = body.map_err(|e| Failure::BadRequest(e.body_text()))?;
    let id = media_id(&id)?;
    let item = app.store.media(id).await?.ok_or(Failure::NotFound)?;
    if !may_change(&staff, &item) {
        return Err(Failure::Forbidden(
            "only editors change the words of images others uploaded".into(),
        ));
    }
    let text = MediaText {
        alt: patch.alt,
        caption: patch.caption,
        credit: patch.credit,
    };
    let item = app
        .store
        .update_media(id, &text)
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(media_json(&item)).into_response())
}
