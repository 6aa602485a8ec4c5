//! The media library's records: one row per image, uploaded or imported,
//! with the smaller copies made of it (see [`crate::media`]).

use sqlx::any::AnyRow;
use sqlx::Row;

use super::read::{dimension, Page};
use super::{now, timestamp, Store};
use crate::model::Rendition;

/// A media record.
#[derive(Clone, Debug, serde::Serialize)]
pub struct MediaItem {
    pub id: i64,
    /// Where it is served from: under `/media/` when warraq holds the file.
    pub url: String,
    /// Its path in the media directory, when warraq holds the file.
    pub file: Option<String>,
    pub title: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    /// Unknown for what an import brought without its file.
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub mime: Option<String>,
    /// Smaller copies, narrowest first.
    pub sizes: Vec<Rendition>,
    pub uploaded_by: Option<i64>,
    pub created_at: jiff::Timestamp,
}

/// What a new record holds.
#[derive(Clone, Debug, Default)]
pub struct NewMedia {
    pub url: String,
    pub file: String,
    pub title: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub width: u32,
    pub height: u32,
    pub mime: String,
    pub sizes: Vec<Rendition>,
    pub uploaded_by: Option<i64>,
}

/// The words a newsroom describes an image with; `None` keeps the stored one.
#[derive(Clone, Debug, Default)]
pub struct MediaText {
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

const MEDIA_COLUMNS: &str = "id, url, file, title, alt, caption, credit, width, height, mime, \
     sizes, uploaded_by, created_at";

fn media_of_row(row: &AnyRow) -> anyhow::Result<MediaItem> {
    Ok(MediaItem {
        id: row.try_get("id")?,
        url: row.try_get("url")?,
        file: row.try_get("file")?,
        title: row.try_get("title")?,
        alt: row.try_get("alt")?,
        caption: row.try_get("caption")?,
        credit: row.try_get("credit")?,
        width: dimension(row, "width")?,
        height: dimension(row, "height")?,
        mime: row.try_get("mime")?,
        sizes: serde_json::from_str(&row.try_get::<String, _>("sizes")?)
            .map_err(|e| anyhow::anyhow!("column sizes: {e}"))?,
        uploaded_by: row.try_get("uploaded_by")?,
        created_at: timestamp(row.try_get("created_at")?)?,
    })
}

impl Store {
    pub async fn insert_media(&self, m: &NewMedia) -> anyhow::Result<MediaItem> {
        let row = sqlx::query(&format!(
            "INSERT INTO media (url, file, title, alt, caption, credit, width, height, mime, \
             sizes, uploaded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING {MEDIA_COLUMNS}"
        ))
        .bind(&m.url)
        .bind(&m.file)
        .bind(m.title.trim())
        .bind(m.alt.trim())
        .bind(m.caption.trim())
        .bind(m.credit.trim())
        .bind(i64::from(m.width))
        .bind(i64::from(m.height))
        .bind(&m.mime)
        .bind(serde_json::to_string(&m.sizes)?)
        .bind(m.uploaded_by)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        media_of_row(&row)
    }

    pub async fn media(&self, id: i64) -> anyhow::Result<Option<MediaItem>> {
        let row = sqlx::query(&format!("SELECT {MEDIA_COLUMNS} FROM media WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(media_of_row).transpose()
    }

    /// The newest record served at `url`, if any: how a cover chosen by
    /// its address finds its size and copies.
    pub async fn media_at(&self, url: &str) -> anyhow::Result<Option<MediaItem>> {
        let row = sqlx::query(&format!(
            "SELECT {MEDIA_COLUMNS} FROM media WHERE url = $1 ORDER BY id DESC LIMIT 1"
        ))
        .bind(url)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(media_of_row).transpose()
    }

    /// A page of the library, newest first; `q` (when not empty) keeps
    /// those whose title, alt text or caption contain it.
    pub async fn media_list(
        &self,
        q: &str,
        page: u32,
        per_page: u32,
    ) -> anyhow::Result<Page<MediaItem>> {
        let per_page = per_page.max(1);
        let page = page.max(1);
        let offset = (page as u64 - 1) * per_page as u64;
        let q = q.trim();
        // LIKE's wildcards in what was typed are only characters.
        let pattern = format!("%{}%", super::escape_like(q));
        let condition = if q.is_empty() {
            "1 = 1"
        } else {
            "(LOWER(title) LIKE LOWER($1) ESCAPE '\\' OR LOWER(alt) LIKE LOWER($1) ESCAPE '\\' \
             OR LOWER(caption) LIKE LOWER($1) ESCAPE '\\')"
        };
        let count = format!("SELECT COUNT(*) AS n FROM media WHERE {condition}");
        let list = format!(
            "SELECT {MEDIA_COLUMNS} FROM media WHERE {condition} \
             ORDER BY created_at DESC, id DESC LIMIT {per_page} OFFSET {offset}"
        );
        let binds: &[String] = if q.is_empty() {
            &[]
        } else {
            std::slice::from_ref(&pattern)
        };
        let total: i64 = bind_text(&count, binds)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let rows = bind_text(&list, binds).fetch_all(&self.pool).await?;
        Ok(Page {
            items: rows
                .iter()
                .map(media_of_row)
                .collect::<anyhow::Result<_>>()?,
            page,
            per_page,
            total: total as u64,
        })
    }

    /// Changes the words of record `id`; `None` when there is none.
    pub async fn update_media(
        &self,
        id: i64,
        text: &MediaText,
    ) -> anyhow::Result<Option<MediaItem>> {
        let row = sqlx::query(&format!(
            "UPDATE media SET alt = COALESCE($1, alt), caption = COALESCE($2, caption), \
             credit = COALESCE($3, credit) WHERE id = $4 RETURNING {MEDIA_COLUMNS}"
        ))
        .bind(text.alt.as_deref().map(str::trim))
        .bind(text.caption.as_deref().map(str::trim))
        .bind(text.credit.as_deref().map(str::trim))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(media_of_row).transpose()
    }
}

fn bind_text<'q>(
    sql: &'q str,
    values: &'q [String],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    values
        .iter()
        .fold(sqlx::query(sql), |q, v| q.bind(v.as_str()))
}
