//! Writes. Each public method is one transaction: an editor's save, or a
//! whole demo newsroom, is stored entirely or not at all, together with its
//! entries in the change log; the method returns once this process has
//! read its own write back from the log, so its caches are already stale.

use anyhow::Context;
use sqlx::{AnyConnection, Row};

use super::changes::{log_changes, ChangeKind};
use super::Store;
use crate::model::{slugify, NewArticle, NewAuthor, NewSection, Status};

impl Store {
    /// Stores sections, authors and articles together, in one transaction.
    /// Returns the ids of the articles, in order.
    pub async fn load_newsroom(
        &self,
        sections: &[NewSection],
        authors: &[NewAuthor],
        articles: &[NewArticle],
        mut progress: impl FnMut(),
    ) -> anyhow::Result<Vec<i64>> {
        let mut tx = self.pool.begin().await?;
        for (position, section) in sections.iter().enumerate() {
            insert_section(&mut tx, section, position as i64).await?;
        }
        for author in authors {
            insert_author(&mut tx, author).await?;
        }
        let mut ids = Vec::with_capacity(articles.len());
        for article in articles {
            ids.push(insert_article(&mut tx, article).await?);
            progress();
        }
        self.commit_changes(tx, &ids, ChangeKind::Created).await?;
        Ok(ids)
    }

    /// Stores articles whose authors and sections exist, in one transaction.
    pub async fn create_articles(&self, articles: &[NewArticle]) -> anyhow::Result<Vec<i64>> {
        let mut tx = self.pool.begin().await?;
        let mut ids = Vec::with_capacity(articles.len());
        for article in articles {
            ids.push(insert_article(&mut tx, article).await?);
        }
        self.commit_changes(tx, &ids, ChangeKind::Created).await?;
        Ok(ids)
    }

    /// Stores one article whose authors and sections already exist.
    pub async fn create_article(&self, article: &NewArticle) -> anyhow::Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id = insert_article(&mut tx, article).await?;
        self.commit_changes(tx, &[id], ChangeKind::Created).await?;
        Ok(id)
    }

    /// Replaces the related articles an editor pinned to `id`.
    pub async fn set_related_pins(&self, id: i64, pins: &[i64]) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM article_related_pins WHERE article_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for (position, pin) in pins.iter().enumerate() {
            anyhow::ensure!(*pin != id, "article {id} cannot be related to itself");
            sqlx::query(
                "INSERT INTO article_related_pins (article_id, related_id, position) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(*pin)
            .bind(position as i64)
            .execute(&mut *tx)
            .await
            .with_context(|| format!("pinning article {pin} to {id}"))?;
        }
        self.commit_changes(tx, &[id], ChangeKind::Updated).await?;
        Ok(())
    }

    /// Turns the "read also" block of one article on or off.
    pub async fn set_read_also(&self, id: i64, on: bool) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE articles SET read_also = $1 WHERE id = $2")
            .bind(on as i64)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.commit_changes(tx, &[id], ChangeKind::Updated).await
    }

    /// Publishes or unpublishes an article. Returns false for an unknown id.
    pub async fn set_status(&self, id: i64, status: Status) -> anyhow::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query("UPDATE articles SET status = $1 WHERE id = $2")
            .bind(status.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let kind = match status {
            Status::Published => ChangeKind::Published,
            Status::Draft => ChangeKind::Unpublished,
        };
        self.commit_listed(tx, rows, id, kind).await
    }

    /// Moves an article's publication time (rescheduling it, or dating it
    /// back). Returns false for an unknown id.
    pub async fn set_published_at(&self, id: i64, at: jiff::Timestamp) -> anyhow::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query("UPDATE articles SET published_at = $1 WHERE id = $2")
            .bind(at.as_second())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        self.commit_listed(tx, rows, id, ChangeKind::Updated).await
    }

    /// After an update of `rows` articles (0 or 1) that lists read: copies
    /// it into the junction tables and commits it with its change. False
    /// when there was no such article.
    async fn commit_listed(
        &self,
        mut tx: sqlx::Transaction<'_, sqlx::Any>,
        rows: u64,
        id: i64,
        kind: ChangeKind,
    ) -> anyhow::Result<bool> {
        if rows == 0 {
            return Ok(false);
        }
        sync_listings(&mut tx, id).await?;
        self.commit_changes(tx, &[id], kind).await?;
        Ok(true)
    }

    /// Logs `kind` for `ids`, commits, and reads the log back.
    async fn commit_changes(
        &self,
        mut tx: sqlx::Transaction<'_, sqlx::Any>,
        ids: &[i64],
        kind: ChangeKind,
    ) -> anyhow::Result<()> {
        let changes: Vec<_> = ids.iter().map(|&id| (id, kind)).collect();
        log_changes(&mut tx, self.backend, &changes).await?;
        tx.commit().await?;
        // The write is stored; should reading it back fail, the follower
        // picks it up on its next round.
        if let Err(e) = self.sync().await {
            tracing::warn!("reading the change log back: {e:#}");
        }
        Ok(())
    }
}

async fn insert_section(
    conn: &mut AnyConnection,
    section: &NewSection,
    position: i64,
) -> anyhow::Result<i64> {
    let id: i64 = sqlx::query("INSERT INTO sections (slug, position) VALUES ($1, $2) RETURNING id")
        .bind(&section.slug)
        .bind(position)
        .fetch_one(&mut *conn)
        .await
        .with_context(|| format!("cannot store section {:?}", section.slug))?
        .try_get("id")?;
    for (lang, name) in &section.names {
        sqlx::query("INSERT INTO section_names (section_id, lang, name) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(lang.code())
            .bind(name)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

async fn insert_author(conn: &mut AnyConnection, author: &NewAuthor) -> anyhow::Result<i64> {
    let id: i64 = sqlx::query("INSERT INTO authors (slug) VALUES ($1) RETURNING id")
        .bind(&author.slug)
        .fetch_one(&mut *conn)
        .await
        .with_context(|| format!("cannot store author {:?}", author.slug))?
        .try_get("id")?;
    for p in &author.profiles {
        sqlx::query(
            "INSERT INTO author_profiles (author_id, lang, name, role, bio) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(p.lang.code())
        .bind(&p.name)
        .bind(&p.role)
        .bind(&p.bio)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

async fn insert_article(conn: &mut AnyConnection, a: &NewArticle) -> anyhow::Result<i64> {
    a.validate().map_err(anyhow::Error::msg)?;
    let what = || format!("article {:?} ({})", a.slug, a.lang);
    let body = warraq_text::sanitize_body(&a.body_html);
    let cover = a.cover.as_ref();
    let id: i64 = sqlx::query(
        "INSERT INTO articles (lang, slug, headline, standfirst, body_html, cover_url, cover_alt, \
         cover_caption, status, published_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(a.lang.code())
    .bind(&a.slug)
    .bind(a.headline.trim())
    .bind(a.standfirst.trim())
    .bind(&body)
    .bind(cover.map(|c| c.url.clone()))
    .bind(cover.map(|c| c.alt.clone()))
    .bind(cover.map(|c| c.caption.clone()))
    .bind(a.status.as_str())
    .bind(a.published_at.as_second())
    .bind(a.updated_at.as_second())
    .fetch_one(&mut *conn)
    .await
    .with_context(|| format!("cannot store {}", what()))?
    .try_get("id")?;

    // Lists read the junction tables alone: they carry the publication
    // time while the article is published (see migration 0004).
    let listed_at = (a.status == Status::Published).then(|| a.published_at.as_second());
    for (position, slug) in a.author_slugs.iter().enumerate() {
        let author_id = id_of(conn, "authors", slug)
            .await?
            .with_context(|| format!("{}: unknown author {slug:?}", what()))?;
        sqlx::query(
            "INSERT INTO article_authors (article_id, author_id, position, lang, published_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(author_id)
        .bind(position as i64)
        .bind(a.lang.code())
        .bind(listed_at)
        .execute(&mut *conn)
        .await
        .with_context(|| format!("{}: author {slug:?} listed twice?", what()))?;
    }
    for (position, slug) in a.section_slugs.iter().enumerate() {
        let section_id = id_of(conn, "sections", slug)
            .await?
            .with_context(|| format!("{}: unknown section {slug:?}", what()))?;
        sqlx::query(
            "INSERT INTO article_sections (article_id, section_id, position, lang, published_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(section_id)
        .bind(position as i64)
        .bind(a.lang.code())
        .bind(listed_at)
        .execute(&mut *conn)
        .await
        .with_context(|| format!("{}: section {slug:?} listed twice?", what()))?;
    }
    let mut tag_ids = Vec::new();
    for name in &a.tag_names {
        let tag_id = upsert_tag(conn, a, name).await?;
        if tag_ids.contains(&tag_id) {
            continue;
        }
        sqlx::query("INSERT INTO article_tags (article_id, tag_id, position, lang, published_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(tag_id)
            .bind(tag_ids.len() as i64)
            .bind(a.lang.code())
            .bind(listed_at)
            .execute(&mut *conn)
            .await?;
        tag_ids.push(tag_id);
    }
    Ok(id)
}

async fn id_of(conn: &mut AnyConnection, table: &str, slug: &str) -> anyhow::Result<Option<i64>> {
    let row = sqlx::query(&format!("SELECT id FROM {table} WHERE slug = $1"))
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.try_get("id")).transpose()?)
}

async fn upsert_tag(conn: &mut AnyConnection, a: &NewArticle, name: &str) -> anyhow::Result<i64> {
    let slug = slugify(name);
    anyhow::ensure!(
        !slug.is_empty(),
        "article {:?}: tag {name:?} has no letters or digits",
        a.slug
    );
    sqlx::query("INSERT INTO tags (lang, slug, name) VALUES ($1, $2, $3) ON CONFLICT (lang, slug) DO NOTHING")
        .bind(a.lang.code())
        .bind(&slug)
        .bind(name.trim())
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query("SELECT id FROM tags WHERE lang = $1 AND slug = $2")
        .bind(a.lang.code())
        .bind(&slug)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get("id")?)
}

/// Copies an article's language and publication time (while it is
/// published) into the junction tables that section, tag and author lists
/// read.
async fn sync_listings(conn: &mut AnyConnection, id: i64) -> anyhow::Result<()> {
    for table in ["article_sections", "article_tags", "article_authors"] {
        sqlx::query(&format!(
            "UPDATE {table} SET \
             lang = (SELECT a.lang FROM articles a WHERE a.id = $1), \
             published_at = (SELECT a.published_at FROM articles a WHERE a.id = $1 AND a.status = 'published') \
             WHERE article_id = $1"
        ))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
