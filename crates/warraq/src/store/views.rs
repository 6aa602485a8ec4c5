//! View counts: batched increments, roll-ups, and loading them back.

use std::collections::HashMap;

use sqlx::Row;

use super::{parse_column, Store};
use crate::model::Lang;

/// What most-read lists need to know of a published article.
#[derive(Clone, Debug)]
pub struct ArticleMeta {
    pub id: i64,
    pub lang: Lang,
    pub published_at: i64,
    pub section_ids: Vec<i64>,
    pub section_slugs: Vec<String>,
}

/// Rows of view history: (article, hour, views).
pub type Buckets = Vec<(i64, i64, u64)>;

impl Store {
    /// Adds `(article, hour, views)` increments in one transaction.
    pub async fn add_views(&self, increments: &[(i64, i64, u64)]) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        let mut totals: HashMap<i64, u64> = HashMap::new();
        for &(article, hour, views) in increments {
            sqlx::query(
                "INSERT INTO hits_hourly (article_id, hour, views) VALUES ($1, $2, $3) \
                 ON CONFLICT (article_id, hour) DO UPDATE SET views = hits_hourly.views + excluded.views",
            )
            .bind(article)
            .bind(hour)
            .bind(views as i64)
            .execute(&mut *tx)
            .await?;
            *totals.entry(article).or_default() += views;
        }
        for (article, views) in totals {
            sqlx::query(
                "INSERT INTO article_views (article_id, views) VALUES ($1, $2) \
                 ON CONFLICT (article_id) DO UPDATE SET views = article_views.views + excluded.views",
            )
            .bind(article)
            .bind(views as i64)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Moves hourly buckets before `before_hour` into daily buckets. The rows
    /// are deleted first and summed from what the delete returned, so two
    /// nodes rolling up at once cannot count a bucket twice.
    pub async fn roll_up_views(&self, before_hour: i64) -> anyhow::Result<usize> {
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(
            "DELETE FROM hits_hourly WHERE hour < $1 RETURNING article_id, hour, views",
        )
        .bind(before_hour)
        .fetch_all(&mut *tx)
        .await?;
        let mut days: HashMap<(i64, i64), i64> = HashMap::new();
        for row in &rows {
            let hour: i64 = row.try_get("hour")?;
            *days
                .entry((row.try_get("article_id")?, hour.div_euclid(24)))
                .or_default() += row.try_get::<i64, _>("views")?;
        }
        for ((article, day), views) in days {
            sqlx::query(
                "INSERT INTO hits_daily (article_id, day, views) VALUES ($1, $2, $3) \
                 ON CONFLICT (article_id, day) DO UPDATE SET views = hits_daily.views + excluded.views",
            )
            .bind(article)
            .bind(day)
            .bind(views)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }

    /// View history since `since_hour` (daily buckets as their first hour)
    /// and all-time totals.
    pub async fn load_views(&self, since_hour: i64) -> anyhow::Result<(Buckets, Vec<(i64, u64)>)> {
        let rows = sqlx::query(
            "SELECT article_id, hour, views FROM hits_hourly WHERE hour >= $1 \
             UNION ALL SELECT article_id, day * 24 AS hour, views FROM hits_daily WHERE day * 24 >= $1",
        )
        .bind(since_hour)
        .fetch_all(&self.pool)
        .await?;
        let buckets = rows
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("article_id")?,
                    r.try_get("hour")?,
                    r.try_get::<i64, _>("views")? as u64,
                ))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let totals = sqlx::query("SELECT article_id, views FROM article_views")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("article_id")?,
                    r.try_get::<i64, _>("views")? as u64,
                ))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok((buckets, totals))
    }

    /// Every article published by now, with what most-read filters need.
    pub async fn published_meta(&self) -> anyhow::Result<Vec<ArticleMeta>> {
        self.meta_where("", &[]).await
    }

    /// The same for the published ones among `ids`: what a change to those
    /// articles makes a most-read index reload.
    pub async fn published_meta_of(&self, ids: &[i64]) -> anyhow::Result<Vec<ArticleMeta>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut metas = Vec::new();
        for chunk in ids.chunks(500) {
            let list = super::placeholders(2, chunk.len());
            metas.extend(
                self.meta_where(&format!("AND a.id IN ({list})"), chunk)
                    .await?,
            );
        }
        Ok(metas)
    }

    /// Metadata of published, due articles matching `condition` (bound from
    /// `$2` on with `ids`).
    async fn meta_where(&self, condition: &str, ids: &[i64]) -> anyhow::Result<Vec<ArticleMeta>> {
        let now = jiff::Timestamp::now().as_second();
        let sql = format!(
            "SELECT a.id, a.lang, a.published_at FROM articles a \
             WHERE a.status = 'published' AND a.published_at <= $1 {condition} ORDER BY a.id"
        );
        let rows = ids
            .iter()
            .fold(sqlx::query(&sql).bind(now), |q, id| q.bind(*id))
            .fetch_all(&self.pool)
            .await?;
        let mut metas = Vec::with_capacity(rows.len());
        let mut index = HashMap::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            index.insert(id, metas.len());
            metas.push(ArticleMeta {
                id,
                lang: parse_column(row, "lang")?,
                published_at: row.try_get("published_at")?,
                section_ids: Vec::new(),
                section_slugs: Vec::new(),
            });
        }
        let section_condition = condition.replace("a.id", "x.article_id");
        let sections = ids
            .iter()
            .fold(
                sqlx::query(&format!(
                    "SELECT x.article_id, s.id, s.slug FROM article_sections x \
                     JOIN sections s ON s.id = x.section_id \
                     WHERE x.published_at <= $1 {section_condition} ORDER BY x.article_id, x.position"
                ))
                .bind(now),
                |q, id| q.bind(*id),
            )
            .fetch_all(&self.pool)
            .await?;
        for row in &sections {
            if let Some(&i) = index.get(&row.try_get::<i64, _>("article_id")?) {
                metas[i].section_ids.push(row.try_get("id")?);
                metas[i].section_slugs.push(row.try_get("slug")?);
            }
        }
        Ok(metas)
    }
}
