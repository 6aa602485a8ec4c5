//! The importer's one transaction: everything a run brings is stored
//! together with its change-log entries, or nothing is.
//!
//! Every item is keyed on (site, WordPress id) in `import_keys` with a
//! digest of what it was, so a second run over the same export — or a later
//! one — updates what changed, skips what did not and duplicates nothing.

use std::collections::HashMap;

use anyhow::Context;
use sqlx::Row;

use super::changes::{log_changes, ChangeKind};
use super::write::{put_author, put_section, write_article, Links};
use super::Store;
use crate::model::{Lang, NewArticle, NewAuthor, NewMedia, NewPage, NewSection, RedirectTarget};

/// What storing one item did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// What an imported item became.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Article,
    Page,
    Media,
}

/// An article body passed through [`warraq_text::sanitize_body`]: the
/// importer sanitises on its mapping thread, so the writer need not.
pub struct Sanitized(String);

impl Sanitized {
    pub fn new(html: &str) -> Sanitized {
        Sanitized(warraq_text::sanitize_body(html))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// One item to store. An article's `body_html` is ignored for the
/// sanitised body beside it.
pub enum Item<'a> {
    Article(&'a NewArticle, &'a Sanitized),
    Page(&'a NewPage),
    Media(&'a NewMedia),
}

impl Item<'_> {
    fn kind(&self) -> ItemKind {
        match self {
            Item::Article(..) => ItemKind::Article,
            Item::Page(_) => ItemKind::Page,
            Item::Media(_) => ItemKind::Media,
        }
    }
}

impl ItemKind {
    fn as_str(self) -> &'static str {
        match self {
            ItemKind::Article => "article",
            ItemKind::Page => "page",
            ItemKind::Media => "media",
        }
    }
}

pub struct Import {
    store: Store,
    tx: sqlx::Transaction<'static, sqlx::Any>,
    site: String,
    /// `wp_id → (kind, local id, digest)` of this site's earlier imports.
    keys: HashMap<i64, (String, i64, String)>,
    links: Links,
    changes: Vec<(i64, ChangeKind)>,
    next_position: i64,
    /// Every article's (language, slug) → id, to give free slugs without
    /// asking the database each time.
    slugs: HashMap<(Lang, String), i64>,
    /// Rows not yet written, sent in multi-row statements.
    pending_keys: Vec<(i64, ItemKind, i64, String)>,
    pending_redirects: HashMap<String, RedirectTarget>,
}

/// Rows per multi-row statement (and buffered before one is sent).
const BATCH: usize = 500;

impl Store {
    /// Starts an import of the WordPress site at `site` (its base URL).
    pub async fn begin_import(&self, site: &str) -> anyhow::Result<Import> {
        let mut tx = self.pool.begin().await?;
        let rows =
            sqlx::query("SELECT wp_id, kind, local_id, digest FROM import_keys WHERE site = $1")
                .bind(site)
                .fetch_all(&mut *tx)
                .await?;
        let mut keys = HashMap::with_capacity(rows.len());
        for row in rows {
            keys.insert(
                row.try_get::<i64, _>("wp_id")?,
                (
                    row.try_get("kind")?,
                    row.try_get("local_id")?,
                    row.try_get("digest")?,
                ),
            );
        }
        let next_position: i64 =
            sqlx::query("SELECT COALESCE(MAX(position), -1) + 1 AS n FROM sections")
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
        let mut slugs = HashMap::new();
        for row in sqlx::query("SELECT id, lang, slug FROM articles")
            .fetch_all(&mut *tx)
            .await?
        {
            let lang: Lang = super::parse_column(&row, "lang")?;
            slugs.insert((lang, row.try_get("slug")?), row.try_get("id")?);
        }
        Ok(Import {
            store: self.clone(),
            tx,
            site: site.to_string(),
            keys,
            links: Links::default(),
            changes: Vec::new(),
            next_position,
            slugs,
            pending_keys: Vec::new(),
            pending_redirects: HashMap::new(),
        })
    }
}

impl Import {
    /// Stores a section or updates the one with its slug. Parents first.
    pub async fn section(&mut self, section: &NewSection) -> anyhow::Result<i64> {
        let id = put_section(&mut self.tx, section, self.next_position).await?;
        self.next_position += 1;
        self.links.learn("sections", &section.slug, id);
        Ok(id)
    }

    pub async fn author(&mut self, author: &NewAuthor) -> anyhow::Result<i64> {
        let id = put_author(&mut self.tx, author).await?;
        self.links.learn("authors", &author.slug, id);
        Ok(id)
    }

    /// Stores a tag of `lang` (WordPress exports declare every tag, used
    /// or not).
    pub async fn tag(&mut self, lang: Lang, name: &str) -> anyhow::Result<i64> {
        self.links.tag(&mut self.tx, lang, name).await
    }

    /// The local id an earlier run gave WordPress item `wp_id`, if any.
    pub fn known(&self, wp_id: i64, kind: ItemKind) -> Option<i64> {
        self.keys
            .get(&wp_id)
            .filter(|(k, _, _)| k == kind.as_str())
            .map(|(_, id, _)| *id)
    }

    /// `slug`, or `slug-2`, `slug-3`…: the first that no other article of
    /// the language holds.
    pub fn free_slug(&self, lang: Lang, slug: &str, own: Option<i64>) -> String {
        let mut candidate = slug.to_string();
        let mut n = 2;
        while let Some(holder) = self.slugs.get(&(lang, candidate.clone())) {
            if Some(*holder) == own {
                break;
            }
            candidate = format!("{slug}-{n}");
            n += 1;
        }
        candidate
    }

    /// Creates or updates what WordPress knew as `wp_id`, unless it is
    /// stored with this digest already; then records the key.
    pub async fn put(
        &mut self,
        wp_id: i64,
        digest: &str,
        item: Item<'_>,
    ) -> anyhow::Result<(i64, Outcome)> {
        let kind = item.kind();
        let earlier = self.known(wp_id, kind);
        if let (Some(id), Some((_, _, old))) = (earlier, self.keys.get(&wp_id)) {
            if old == digest {
                return Ok((id, Outcome::Unchanged));
            }
        }
        let id = match item {
            Item::Article(a, body) => {
                let id =
                    write_article(&mut self.tx, earlier, a, body.as_str(), &mut self.links).await?;
                if earlier.is_some() {
                    // An update may have moved its slug: free the old one.
                    self.slugs.retain(|_, holder| *holder != id);
                }
                self.slugs.insert((a.lang, a.slug.clone()), id);
                id
            }
            Item::Page(p) => write_page(&mut self.tx, earlier, p).await?,
            Item::Media(m) => write_media(&mut self.tx, earlier, m).await?,
        };
        self.pending_keys
            .push((wp_id, kind, id, digest.to_string()));
        if self.pending_keys.len() >= BATCH {
            self.flush_keys().await?;
        }
        self.keys
            .insert(wp_id, (kind.as_str().to_string(), id, digest.to_string()));
        let outcome = match earlier {
            Some(_) => Outcome::Updated,
            None => Outcome::Created,
        };
        if kind == ItemKind::Article {
            let change = match outcome {
                Outcome::Created => ChangeKind::Created,
                _ => ChangeKind::Updated,
            };
            self.changes.push((id, change));
        }
        Ok((id, outcome))
    }

    /// Points the old URL `source` (see [`crate::model::redirect_key`]) at
    /// `target`, replacing what it pointed at before.
    pub async fn redirect(&mut self, source: &str, target: &RedirectTarget) -> anyhow::Result<()> {
        self.pending_redirects
            .insert(source.to_string(), target.clone());
        if self.pending_redirects.len() >= BATCH {
            self.flush_redirects().await?;
        }
        Ok(())
    }

    async fn flush_redirects(&mut self) -> anyhow::Result<()> {
        let rows: Vec<_> = self.pending_redirects.drain().collect();
        for chunk in rows.chunks(BATCH) {
            let values = (0..chunk.len())
                .map(|i| {
                    format!(
                        "(${}, ${}, ${}, ${})",
                        4 * i + 1,
                        4 * i + 2,
                        4 * i + 3,
                        4 * i + 4
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO redirects (source, article_id, page_id, location) VALUES {values} \
                 ON CONFLICT (source) DO UPDATE SET article_id = excluded.article_id, \
                 page_id = excluded.page_id, location = excluded.location"
            );
            let mut q = sqlx::query(&sql);
            for (source, target) in chunk {
                let (article, page, location) = match target {
                    RedirectTarget::Article(id) => (Some(*id), None, None),
                    RedirectTarget::Page(id) => (None, Some(*id), None),
                    RedirectTarget::Location(l) => (None, None, Some(l.clone())),
                };
                q = q
                    .bind(source.clone())
                    .bind(article)
                    .bind(page)
                    .bind(location);
            }
            q.execute(&mut *self.tx)
                .await
                .context("storing redirects")?;
        }
        Ok(())
    }

    async fn flush_keys(&mut self) -> anyhow::Result<()> {
        let rows = std::mem::take(&mut self.pending_keys);
        for chunk in rows.chunks(BATCH) {
            let values = (0..chunk.len())
                .map(|i| {
                    format!(
                        "($1, ${}, ${}, ${}, ${})",
                        4 * i + 2,
                        4 * i + 3,
                        4 * i + 4,
                        4 * i + 5
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO import_keys (site, wp_id, kind, local_id, digest) VALUES {values} \
                 ON CONFLICT (site, wp_id) DO UPDATE SET kind = excluded.kind, \
                 local_id = excluded.local_id, digest = excluded.digest"
            );
            let mut q = sqlx::query(&sql).bind(self.site.clone());
            for (wp_id, kind, id, digest) in chunk {
                q = q
                    .bind(*wp_id)
                    .bind(kind.as_str())
                    .bind(*id)
                    .bind(digest.clone());
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Links two articles as editions of one story, both ways.
    pub async fn translations(&mut self, a: i64, b: i64) -> anyhow::Result<()> {
        for (from, to) in [(a, b), (b, a)] {
            let rows = sqlx::query(
                "UPDATE articles SET translation_id = $1 WHERE id = $2 \
                 AND (translation_id IS NULL OR translation_id <> $1)",
            )
            .bind(to)
            .bind(from)
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
            if rows > 0 && !self.changes.iter().any(|(id, _)| *id == from) {
                self.changes.push((from, ChangeKind::Updated));
            }
        }
        Ok(())
    }

    /// Sets an article's cover to a media record (WordPress's featured
    /// image, known only once every attachment has been read).
    pub async fn cover(&mut self, article: i64, media: i64) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE articles SET cover_url = (SELECT url FROM media WHERE id = $1), \
             cover_alt = (SELECT alt FROM media WHERE id = $1), \
             cover_caption = (SELECT caption FROM media WHERE id = $1) WHERE id = $2",
        )
        .bind(media)
        .bind(article)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Stores everything, logs the changed articles, and reads the log back.
    pub async fn commit(mut self) -> anyhow::Result<usize> {
        self.flush_keys().await?;
        self.flush_redirects().await?;
        let n = self.changes.len();
        log_changes(&mut self.tx, self.store.backend, &self.changes).await?;
        self.tx.commit().await?;
        if let Err(e) = self.store.sync().await {
            tracing::warn!("reading the change log back: {e:#}");
        }
        Ok(n)
    }
}

async fn write_page(
    conn: &mut sqlx::AnyConnection,
    id: Option<i64>,
    p: &NewPage,
) -> anyhow::Result<i64> {
    let body = warraq_text::sanitize_body(&p.body_html);
    let sql = match id {
        None => {
            "INSERT INTO pages (lang, path, title, body_html, status, seo_title, meta_description, \
             position, published_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             RETURNING id"
        }
        Some(_) => {
            "UPDATE pages SET lang = $1, path = $2, title = $3, body_html = $4, status = $5, \
             seo_title = $6, meta_description = $7, position = $8, published_at = $9, \
             updated_at = $10 WHERE id = $11 RETURNING id"
        }
    };
    let q = sqlx::query(sql)
        .bind(p.lang.code())
        .bind(&p.path)
        .bind(p.title.trim())
        .bind(body)
        .bind(p.status.as_str())
        .bind(&p.seo_title)
        .bind(&p.meta_description)
        .bind(p.position)
        .bind(p.published_at.as_second())
        .bind(p.updated_at.as_second());
    let q = match id {
        Some(id) => q.bind(id),
        None => q,
    };
    Ok(q.fetch_one(&mut *conn)
        .await
        .with_context(|| format!("cannot store page /{}/ ({})", p.path, p.lang))?
        .try_get("id")?)
}

async fn write_media(
    conn: &mut sqlx::AnyConnection,
    id: Option<i64>,
    m: &NewMedia,
) -> anyhow::Result<i64> {
    let sql = match id {
        None => {
            "INSERT INTO media (url, file, title, alt, caption, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
        }
        Some(_) => {
            "UPDATE media SET url = $1, file = $2, title = $3, alt = $4, caption = $5, \
             created_at = $6 WHERE id = $7 RETURNING id"
        }
    };
    let q = sqlx::query(sql)
        .bind(&m.url)
        .bind(m.file.as_deref())
        .bind(&m.title)
        .bind(&m.alt)
        .bind(&m.caption)
        .bind(m.created_at);
    let q = match id {
        Some(id) => q.bind(id),
        None => q,
    };
    Ok(q.fetch_one(&mut *conn)
        .await
        .with_context(|| format!("cannot store media {}", m.url))?
        .try_get("id")?)
}
