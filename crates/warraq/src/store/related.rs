//! Related articles as computed by the search index (see
//! `search/related.rs`): stored per article, read as they are when a page
//! is rendered, recomputed when the article changes.

use sqlx::Row;

use super::Store;

impl Store {
    /// The related articles stored for `id`, most related first; `None`
    /// when none were computed yet.
    pub async fn related_ids(&self, id: i64) -> anyhow::Result<Option<Vec<i64>>> {
        let row = sqlx::query("SELECT related_ids FROM article_related WHERE article_id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let ids: String = row.try_get("related_ids")?;
        Ok(Some(
            ids.split(',').filter_map(|i| i.parse().ok()).collect(),
        ))
    }

    /// Stores the related articles of several articles at once. Not a
    /// change of content: pages pick them up as they are rendered again.
    pub async fn set_related(&self, lists: &[(i64, Vec<i64>)]) -> anyhow::Result<()> {
        let now = jiff::Timestamp::now().as_second();
        let mut tx = self.pool.begin().await?;
        for (id, related) in lists {
            let ids = related
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            sqlx::query(
                "INSERT INTO article_related (article_id, related_ids, computed_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (article_id) DO UPDATE SET related_ids = excluded.related_ids, \
                 computed_at = excluded.computed_at",
            )
            .bind(*id)
            .bind(ids)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Up to `limit` published articles with no related articles stored
    /// yet, newest first: what a backfill works through.
    pub async fn without_related(&self, limit: u32) -> anyhow::Result<Vec<i64>> {
        let rows = sqlx::query(&format!(
            "SELECT a.id FROM articles a WHERE a.status = 'published' AND a.published_at <= $1 \
             AND NOT EXISTS (SELECT 1 FROM article_related r WHERE r.article_id = a.id) \
             ORDER BY a.published_at DESC, a.id DESC LIMIT {limit}"
        ))
        .bind(jiff::Timestamp::now().as_second())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }
}
