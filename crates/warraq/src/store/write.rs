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
        progress: impl FnMut(),
    ) -> anyhow::Result<Vec<i64>> {
        let mut tx = self.pool.begin().await?;
        for (position, section) in sections.iter().enumerate() {
            put_section(&mut tx, section, position as i64).await?;
        }
        for author in authors {
            put_author(&mut tx, author).await?;
        }
        let ids = insert_articles(&mut tx, articles, progress).await?;
        self.commit_changes(tx, &ids, ChangeKind::Created).await?;
        Ok(ids)
    }

    /// Stores articles whose authors and sections exist, in one transaction.
    pub async fn create_articles(&self, articles: &[NewArticle]) -> anyhow::Result<Vec<i64>> {
        let mut tx = self.pool.begin().await?;
        let ids = insert_articles(&mut tx, articles, || {}).await?;
        self.commit_changes(tx, &ids, ChangeKind::Created).await?;
        Ok(ids)
    }

    /// Stores one article whose authors and sections already exist.
    pub async fn create_article(&self, article: &NewArticle) -> anyhow::Result<i64> {
        let mut tx = self.pool.begin().await?;
        let body = warraq_text::sanitize_body(&article.body_html);
        let id = write_article(&mut tx, None, article, &body, &mut Links::default()).await?;
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
            _ => ChangeKind::Unpublished,
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
    pub(super) async fn commit_changes(
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

/// Inserts new articles, sanitising their bodies; their ids in order.
async fn insert_articles(
    conn: &mut AnyConnection,
    articles: &[NewArticle],
    mut progress: impl FnMut(),
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(articles.len());
    let mut links = Links::default();
    for article in articles {
        let body = warraq_text::sanitize_body(&article.body_html);
        ids.push(write_article(conn, None, article, &body, &mut links).await?);
        progress();
    }
    Ok(ids)
}

/// Stores a section, or updates the one with its slug (names, parent);
/// an existing section keeps its place in the navigation.
pub(super) async fn put_section(
    conn: &mut AnyConnection,
    section: &NewSection,
    position: i64,
) -> anyhow::Result<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO sections (slug, position, parent_id) \
         VALUES ($1, $2, (SELECT p.id FROM sections p WHERE p.slug = $3)) \
         ON CONFLICT (slug) DO UPDATE SET parent_id = excluded.parent_id RETURNING id",
    )
    .bind(&section.slug)
    .bind(position)
    .bind(section.parent.as_deref())
    .fetch_one(&mut *conn)
    .await
    .with_context(|| format!("cannot store section {:?}", section.slug))?
    .try_get("id")?;
    for (lang, name) in &section.names {
        sqlx::query(
            "INSERT INTO section_names (section_id, lang, name) VALUES ($1, $2, $3) \
             ON CONFLICT (section_id, lang) DO UPDATE SET name = excluded.name",
        )
        .bind(id)
        .bind(lang.code())
        .bind(name)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// Stores an author, or updates the one with its slug: names always, role
/// and bio only when given (what an editor wrote in warraq stays).
pub(super) async fn put_author(
    conn: &mut AnyConnection,
    author: &NewAuthor,
) -> anyhow::Result<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO authors (slug) VALUES ($1) ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug \
         RETURNING id",
    )
    .bind(&author.slug)
    .fetch_one(&mut *conn)
    .await
    .with_context(|| format!("cannot store author {:?}", author.slug))?
    .try_get("id")?;
    for p in &author.profiles {
        sqlx::query(
            "INSERT INTO author_profiles (author_id, lang, name, role, bio) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (author_id, lang) DO UPDATE SET name = excluded.name, \
             role = CASE WHEN excluded.role = '' THEN author_profiles.role ELSE excluded.role END, \
             bio = CASE WHEN excluded.bio = '' THEN author_profiles.bio ELSE excluded.bio END",
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

/// Inserts `a` (`id` None) or replaces article `id` with it, together
/// with its authors, sections and tags in order; `body` is `a`'s body
/// sanitised (by the caller, so that an importer can do it on another
/// thread). `links` remembers the ids of slugs already looked up, for
/// writes of many articles.
pub(super) async fn write_article(
    conn: &mut AnyConnection,
    id: Option<i64>,
    a: &NewArticle,
    body: &str,
    links: &mut Links,
) -> anyhow::Result<i64> {
    a.validate().map_err(anyhow::Error::msg)?;
    let what = || format!("article {:?} ({})", a.slug, a.lang);
    let cover = a.cover.as_ref();
    let replacing = id.is_some();
    let sql = match id {
        None => {
            "INSERT INTO articles (lang, slug, headline, standfirst, body_html, cover_url, cover_alt, \
             cover_caption, status, published_at, updated_at, seo_title, meta_description, \
             canonical_url, noindex, cover_width, cover_height, cover_sizes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18) RETURNING id"
        }
        Some(_) => {
            "UPDATE articles SET lang = $1, slug = $2, headline = $3, standfirst = $4, body_html = $5, \
             cover_url = $6, cover_alt = $7, cover_caption = $8, status = $9, published_at = $10, \
             updated_at = $11, seo_title = $12, meta_description = $13, canonical_url = $14, \
             noindex = $15, cover_width = $16, cover_height = $17, cover_sizes = $18, \
             revision = revision + 1 WHERE id = $19 RETURNING id"
        }
    };
    let query = sqlx::query(sql)
        .bind(a.lang.code())
        .bind(&a.slug)
        .bind(a.headline.trim())
        .bind(a.standfirst.trim())
        .bind(body)
        .bind(cover.map(|c| c.url.clone()))
        .bind(cover.map(|c| c.alt.clone()))
        .bind(cover.map(|c| c.caption.clone()))
        .bind(a.status.as_str())
        .bind(a.published_at.as_second())
        .bind(a.updated_at.as_second())
        .bind(&a.seo.title)
        .bind(&a.seo.description)
        .bind(&a.seo.canonical)
        .bind(a.seo.noindex as i64)
        .bind(cover.and_then(|c| c.width).map(i64::from))
        .bind(cover.and_then(|c| c.height).map(i64::from))
        .bind(serde_json::to_string(
            &cover.map_or(&[][..], |c| &c.sizes[..]),
        )?);
    let query = match id {
        Some(id) => query.bind(id),
        None => query,
    };
    let id: i64 = query
        .fetch_one(&mut *conn)
        .await
        .with_context(|| format!("cannot store {}", what()))?
        .try_get("id")?;

    let mut authors = Vec::with_capacity(a.author_slugs.len());
    for slug in &a.author_slugs {
        let author = links
            .id(conn, "authors", slug)
            .await?
            .with_context(|| format!("{}: unknown author {slug:?}", what()))?;
        if !authors.contains(&author) {
            authors.push(author);
        }
    }
    let mut sections = Vec::with_capacity(a.section_slugs.len());
    for slug in &a.section_slugs {
        let section = links
            .id(conn, "sections", slug)
            .await?
            .with_context(|| format!("{}: unknown section {slug:?}", what()))?;
        if !sections.contains(&section) {
            sections.push(section);
        }
    }
    let mut tags = Vec::with_capacity(a.tag_names.len());
    for name in &a.tag_names {
        let tag = links.tag(conn, a.lang, name).await.with_context(what)?;
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    // Lists read the junction tables alone: they carry the publication
    // time while the article is published (see migration 0004).
    let listed_at = (a.status == Status::Published).then(|| a.published_at.as_second());
    for (table, column, ids) in [
        ("article_authors", "author_id", &authors),
        ("article_sections", "section_id", &sections),
        ("article_tags", "tag_id", &tags),
    ] {
        if replacing {
            sqlx::query(&format!("DELETE FROM {table} WHERE article_id = $1"))
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        if ids.is_empty() {
            continue;
        }
        let values = (0..ids.len())
            .map(|i| format!("($1, ${}, {i}, $2, $3)", i + 4))
            .collect::<Vec<_>>()
            .join(", ");
        let insert = format!(
            "INSERT INTO {table} (article_id, {column}, position, lang, published_at) VALUES {values}"
        );
        let q = sqlx::query(&insert)
            .bind(id)
            .bind(a.lang.code())
            .bind(listed_at);
        ids.iter()
            .fold(q, |q, x| q.bind(*x))
            .execute(&mut *conn)
            .await
            .with_context(|| format!("cannot store the {table} of {}", what()))?;
    }
    Ok(id)
}

/// Ids of authors, sections and tags by slug, looked up once per write.
#[derive(Default)]
pub(super) struct Links {
    known: std::collections::HashMap<(&'static str, String), i64>,
}

impl Links {
    async fn id(
        &mut self,
        conn: &mut AnyConnection,
        table: &'static str,
        slug: &str,
    ) -> anyhow::Result<Option<i64>> {
        if let Some(id) = self.known.get(&(table, slug.to_string())) {
            return Ok(Some(*id));
        }
        let row = sqlx::query(&format!("SELECT id FROM {table} WHERE slug = $1"))
            .bind(slug)
            .fetch_optional(&mut *conn)
            .await?;
        let id = row.map(|r| r.try_get("id")).transpose()?;
        if let Some(id) = id {
            self.known.insert((table, slug.to_string()), id);
        }
        Ok(id)
    }

    /// Remembers an id just written, so the next article finds it.
    pub(super) fn learn(&mut self, table: &'static str, slug: &str, id: i64) {
        self.known.insert((table, slug.to_string()), id);
    }

    /// The id of tag `name` in `lang`, created if new.
    pub(super) async fn tag(
        &mut self,
        conn: &mut AnyConnection,
        lang: crate::model::Lang,
        name: &str,
    ) -> anyhow::Result<i64> {
        let slug = slugify(name);
        anyhow::ensure!(!slug.is_empty(), "tag {name:?} has no letters or digits");
        let key = ("tags", format!("{lang}/{slug}"));
        if let Some(id) = self.known.get(&key) {
            return Ok(*id);
        }
        sqlx::query(
            "INSERT INTO tags (lang, slug, name) VALUES ($1, $2, $3) ON CONFLICT (lang, slug) DO NOTHING",
        )
        .bind(lang.code())
        .bind(&slug)
        .bind(name.trim())
        .execute(&mut *conn)
        .await?;
        let row = sqlx::query("SELECT id FROM tags WHERE lang = $1 AND slug = $2")
            .bind(lang.code())
            .bind(&slug)
            .fetch_one(&mut *conn)
            .await?;
        let id = row.try_get("id")?;
        self.known.insert(key, id);
        Ok(id)
    }
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
