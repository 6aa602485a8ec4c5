//! Related articles as computed by the search index (see
//! `search/related.rs`): stored per article, read as they are when a page
//! is rendered, recomputed when the article changes. The editor's pins
//! (`article_related_pins`) come first.

use std::collections::HashMap;

use sqlx::Row;

use super::read::{article_of_row, article_sql, visible, CARD_COLUMNS};
use super::{bind_ids, now, placeholders, Backend, Store};
use crate::model::Article;

/// Pins, then computed lists, for the articles in `{list}`, ranked per
/// article: what [`Store::related_cards_of`] joins cards to.
const RANKED: &str = "SELECT article_id, related_id, \
     ROW_NUMBER() OVER (PARTITION BY article_id ORDER BY source, position) AS rank FROM ( \
     SELECT article_id, related_id, 0 AS source, position FROM article_related_pins WHERE article_id IN ({list}) \
     UNION ALL \
     SELECT article_id, related_id, 1, position FROM article_related WHERE article_id IN ({list})) r";

/// The statement behind [`Store::related_cards_of`], for `n` ids.
pub(super) fn related_cards_sql(backend: Backend, n: usize) -> String {
    let ranked = RANKED.replace("{list}", &placeholders(1, n));
    article_sql(
        backend,
        CARD_COLUMNS,
        &format!("JOIN ({ranked}) rel ON rel.related_id = a.id"),
        &format!("rel.rank <= ${}", n + 1),
        "rel.article_id AS owner",
        "ORDER BY rel.article_id, rel.rank",
    )
}

impl Store {
    /// The first `limit` related articles of each of `ids`, as cards (no
    /// body), most related first; published ones only, each once. One
    /// statement for any number of articles.
    pub async fn related_cards_of(
        &self,
        ids: &[i64],
        limit: usize,
    ) -> anyhow::Result<HashMap<i64, Vec<Article>>> {
        let mut related: HashMap<i64, Vec<Article>> = HashMap::new();
        if ids.is_empty() || limit == 0 {
            return Ok(related);
        }
        let sql = related_cards_sql(self.backend, ids.len());
        let rows = bind_ids(&sql, ids)
            .bind(limit as i64)
            .fetch_all(&self.pool)
            .await?;
        let now = now();
        for row in &rows {
            let owner: i64 = row.try_get("owner")?;
            let card = article_of_row(row)?;
            let list = related.entry(owner).or_default();
            if visible(&card, now) && card.id != owner && !list.iter().any(|c| c.id == card.id) {
                list.push(card);
            }
        }
        Ok(related)
    }

    /// Stores the related articles of several articles at once. Not a
    /// change of content: pages pick them up as they are rendered again.
    pub async fn set_related(&self, lists: &[(i64, Vec<i64>)]) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        for (id, related) in lists {
            sqlx::query("DELETE FROM article_related WHERE article_id = $1")
                .bind(*id)
                .execute(&mut *tx)
                .await?;
            if related.is_empty() {
                continue;
            }
            let values = (0..related.len())
                .map(|i| format!("($1, {i}, ${})", i + 2))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO article_related (article_id, position, related_id) VALUES {values}"
            );
            related
                .iter()
                .fold(sqlx::query(&sql).bind(*id), |q, r| q.bind(*r))
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
        .bind(now())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }
}
