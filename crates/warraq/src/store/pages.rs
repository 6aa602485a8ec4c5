//! Reads of static pages and redirects.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{parse_column, timestamp, Store};
use crate::model::{Lang, RedirectTarget, StaticPage};

pub(super) const PAGE_COLUMNS: &str =
    "id, lang, path, title, body_html, status, seo_title, meta_description, \
     published_at, updated_at";

impl Store {
    /// The public page at `path` (`about/team`) of an edition.
    pub async fn page_at(&self, lang: Lang, path: &str) -> anyhow::Result<Option<StaticPage>> {
        let row = sqlx::query(&format!(
            "SELECT {PAGE_COLUMNS} FROM pages WHERE lang = $1 AND path = $2"
        ))
        .bind(lang.code())
        .bind(path)
        .fetch_optional(&self.pool)
        .await?;
        let page = row.as_ref().map(page_of_row).transpose()?;
        Ok(page.filter(|p| p.visible(jiff::Timestamp::now())))
    }

    pub async fn page_by_id(&self, id: i64) -> anyhow::Result<Option<StaticPage>> {
        let row = sqlx::query(&format!("SELECT {PAGE_COLUMNS} FROM pages WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let page = row.as_ref().map(page_of_row).transpose()?;
        Ok(page.filter(|p| p.visible(jiff::Timestamp::now())))
    }

    /// Every public page, of one edition or all, in their menu order.
    pub async fn pages(&self, lang: Option<Lang>) -> anyhow::Result<Vec<StaticPage>> {
        let rows = sqlx::query(&format!(
            "SELECT {PAGE_COLUMNS} FROM pages WHERE ($1 = '' OR lang = $1) \
             ORDER BY lang, position, path"
        ))
        .bind(lang.map(Lang::code).unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        let now = jiff::Timestamp::now();
        Ok(rows
            .iter()
            .map(page_of_row)
            .collect::<anyhow::Result<Vec<_>>>()?
            .into_iter()
            .filter(|p| p.visible(now))
            .collect())
    }

    /// Where the old URL stored under `key` (see
    /// [`crate::model::redirect_key`]) leads.
    pub async fn redirect(&self, key: &str) -> anyhow::Result<Option<RedirectTarget>> {
        let row =
            sqlx::query("SELECT article_id, page_id, location FROM redirects WHERE source = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else { return Ok(None) };
        let article: Option<i64> = row.try_get("article_id")?;
        let page: Option<i64> = row.try_get("page_id")?;
        let location: Option<String> = row.try_get("location")?;
        Ok(match (article, page, location) {
            (Some(id), _, _) => Some(RedirectTarget::Article(id)),
            (_, Some(id), _) => Some(RedirectTarget::Page(id)),
            (_, _, Some(l)) => Some(RedirectTarget::Location(l)),
            _ => None,
        })
    }
}

pub(super) fn page_of_row(row: &AnyRow) -> anyhow::Result<StaticPage> {
    Ok(StaticPage {
        id: row.try_get("id")?,
        lang: parse_column(row, "lang")?,
        path: row.try_get("path")?,
        title: row.try_get("title")?,
        body_html: row.try_get("body_html")?,
        status: parse_column(row, "status")?,
        seo_title: row.try_get("seo_title")?,
        meta_description: row.try_get("meta_description")?,
        published_at: timestamp(row.try_get("published_at")?)?,
        updated_at: timestamp(row.try_get("updated_at")?)?,
    })
}
