//! What the back office writes of the site around its articles: static
//! pages in any status, sections, byline profiles and redirects. The
//! public reads of pages and redirects are in [`super::pages`]; the rules
//! (who may, what is valid, where a moved page's children go) are the
//! service's (`service/site.rs`): these functions store what they are given,
//! each in one transaction with its audit entry.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::audit::log_audit;
use super::changes::ChangeKind;
use super::pages::{page_of_row, PAGE_COLUMNS};
use super::read::Page;
use super::{parse_column, Store};
use crate::model::{Actor, AuditAction, AuthorProfile, Lang, NewPage, RedirectTarget, StaticPage};

/// The change log names articles. An entry for this id, which no article
/// has, moves every process's content version without touching an
/// article: what a change to the navigation or to a byline needs, since
/// every cached page shows them.
pub const SITE_CHANGE: i64 = 0;

/// A page as staff see it, in any status.
#[derive(Clone, Debug)]
pub struct StaffPage {
    pub page: StaticPage,
    /// Its place among its siblings in menus.
    pub position: i64,
}

/// Where a save puts a page that is moved along with the one saved (a
/// child of a renamed parent).
#[derive(Clone, Debug)]
pub struct PageMove {
    pub id: i64,
    pub lang: Lang,
    pub path: String,
}

/// What a page save changes besides the page itself.
#[derive(Clone, Copy, Debug)]
pub struct PageSave<'a> {
    /// The pages under it, at their new places, shortest path first (so
    /// that no two rows ever hold one path at once).
    pub moved: &'a [PageMove],
    /// `(old URL's redirect key, page id)`: the 301s a move leaves.
    pub redirects: &'a [(String, i64)],
    /// The redirect keys of the URLs the pages now live at: a redirect
    /// from any of them would lead readers away from a live page.
    pub live_keys: &'a [String],
    pub audit: (&'a Actor, AuditAction, &'a str),
}

/// A section with its names in every language, as the back office edits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionRow {
    pub id: i64,
    pub slug: String,
    pub position: i64,
    pub parent_id: Option<i64>,
    pub names: Vec<(Lang, String)>,
}

/// A byline profile with its faces in every language.
#[derive(Clone, Debug)]
pub struct AuthorRow {
    pub id: i64,
    pub slug: String,
    pub photo_url: String,
    pub profiles: Vec<AuthorProfile>,
}

/// What a section or byline save changes besides the row.
#[derive(Clone, Copy, Debug)]
pub struct SiteSave<'a> {
    /// `(redirect key, location)`: the 301s from the old URL of a renamed
    /// section or author page.
    pub redirects: &'a [(String, String)],
    /// Whether what articles show of it changed (a name, a slug): their
    /// search entries and bylines are then logged as changed too.
    pub articles_changed: bool,
    pub audit: (&'a Actor, AuditAction, &'a str),
}

/// One row of the redirects table.
#[derive(Clone, Debug)]
pub struct RedirectRow {
    pub source: String,
    pub target: RedirectTarget,
}

impl Store {
    pub async fn staff_page(&self, id: i64) -> anyhow::Result<Option<StaffPage>> {
        let row = sqlx::query(&format!(
            "SELECT {PAGE_COLUMNS}, position FROM pages WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(staff_page_of_row).transpose()
    }

    /// Every page in any status, of one edition or both, each parent just
    /// before what is under it.
    pub async fn staff_pages(&self, lang: Option<Lang>) -> anyhow::Result<Vec<StaffPage>> {
        let rows = sqlx::query(&format!(
            "SELECT {PAGE_COLUMNS}, position FROM pages WHERE ($1 = '' OR lang = $1) \
             ORDER BY lang, path"
        ))
        .bind(lang.map(Lang::code).unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(staff_page_of_row).collect()
    }

    /// The page of `lang` at `path`, in whatever status.
    pub async fn page_id_at(&self, lang: Lang, path: &str) -> anyhow::Result<Option<i64>> {
        let row = sqlx::query("SELECT id FROM pages WHERE lang = $1 AND path = $2")
            .bind(lang.code())
            .bind(path)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    /// Creates (`id` None) or replaces page `id` with `page`, whose body is
    /// already sanitised, and moves the pages under it; returns its id.
    pub async fn save_page(
        &self,
        id: Option<i64>,
        page: &NewPage,
        save: PageSave<'_>,
    ) -> anyhow::Result<i64> {
        let mut tx = self.pool.begin().await?;
        let q = match id {
            None => sqlx::query(
                "INSERT INTO pages (lang, path, title, body_html, status, seo_title, \
                 meta_description, position, published_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            ),
            Some(_) => sqlx::query(
                "UPDATE pages SET lang = $1, path = $2, title = $3, body_html = $4, status = $5, \
                 seo_title = $6, meta_description = $7, position = $8, published_at = $9, \
                 updated_at = $10 WHERE id = $11 RETURNING id",
            ),
        }
        .bind(page.lang.code())
        .bind(&page.path)
        .bind(&page.title)
        .bind(&page.body_html)
        .bind(page.status.as_str())
        .bind(&page.seo_title)
        .bind(&page.meta_description)
        .bind(page.position)
        .bind(page.published_at.as_second())
        .bind(page.updated_at.as_second());
        let q = match id {
            Some(id) => q.bind(id),
            None => q,
        };
        let id: i64 = q.fetch_one(&mut *tx).await?.try_get("id")?;
        for m in save.moved {
            sqlx::query("UPDATE pages SET lang = $1, path = $2 WHERE id = $3")
                .bind(m.lang.code())
                .bind(&m.path)
                .bind(m.id)
                .execute(&mut *tx)
                .await?;
        }
        for key in save.live_keys {
            sqlx::query("DELETE FROM redirects WHERE source = $1")
                .bind(key)
                .execute(&mut *tx)
                .await?;
        }
        for (source, page_id) in save.redirects {
            sqlx::query(
                "INSERT INTO redirects (source, article_id, page_id, location) \
                 VALUES ($1, NULL, $2, NULL) ON CONFLICT (source) DO UPDATE SET \
                 article_id = NULL, page_id = excluded.page_id, location = NULL",
            )
            .bind(source)
            .bind(page_id)
            .execute(&mut *tx)
            .await?;
        }
        let (by, action, detail) = save.audit;
        log_audit(&mut tx, by, action, &format!("page {id}"), detail).await?;
        // Pages are served past the page cache (see web/pages.rs), so no
        // change needs logging for readers to see this one at once.
        tx.commit().await?;
        Ok(id)
    }

    /// Every section with its names, in the navigation's order.
    pub async fn section_rows(&self) -> anyhow::Result<Vec<SectionRow>> {
        let rows =
            sqlx::query("SELECT id, slug, position, parent_id FROM sections ORDER BY position, id")
                .fetch_all(&self.pool)
                .await?;
        let names = sqlx::query("SELECT section_id, lang, name FROM section_names ORDER BY lang")
            .fetch_all(&self.pool)
            .await?;
        let mut sections = rows
            .iter()
            .map(|r| {
                Ok(SectionRow {
                    id: r.try_get("id")?,
                    slug: r.try_get("slug")?,
                    position: r.try_get("position")?,
                    parent_id: r.try_get("parent_id")?,
                    names: Vec::new(),
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        for n in &names {
            let id: i64 = n.try_get("section_id")?;
            if let Some(s) = sections.iter_mut().find(|s| s.id == id) {
                s.names.push((parse_column(n, "lang")?, n.try_get("name")?));
            }
        }
        Ok(sections)
    }

    pub async fn section_row(&self, id: i64) -> anyhow::Result<Option<SectionRow>> {
        Ok(self.section_rows().await?.into_iter().find(|s| s.id == id))
    }

    /// Creates (`id` 0) or replaces a section and its names; returns its id.
    pub async fn save_section(&self, s: &SectionRow, save: SiteSave<'_>) -> anyhow::Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = if s.id == 0 {
            sqlx::query(
                "INSERT INTO sections (slug, position, parent_id) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(&s.slug)
            .bind(s.position)
            .bind(s.parent_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?
        } else {
            sqlx::query(
                "UPDATE sections SET slug = $1, position = $2, parent_id = $3 WHERE id = $4",
            )
            .bind(&s.slug)
            .bind(s.position)
            .bind(s.parent_id)
            .bind(s.id)
            .execute(&mut *tx)
            .await?;
            s.id
        };
        sqlx::query("DELETE FROM section_names WHERE section_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for (lang, name) in &s.names {
            sqlx::query("INSERT INTO section_names (section_id, lang, name) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(lang.code())
                .bind(name)
                .execute(&mut *tx)
                .await?;
        }
        let articles = if save.articles_changed {
            ids_of(
                &mut tx,
                "SELECT article_id FROM article_sections WHERE section_id = $1",
                id,
            )
            .await?
        } else {
            Vec::new()
        };
        self.finish_site_save(tx, &format!("section {id}"), save, articles)
            .await?;
        Ok(id)
    }

    /// Every byline profile, by slug.
    pub async fn author_rows(&self) -> anyhow::Result<Vec<AuthorRow>> {
        self.author_rows_where(None).await
    }

    pub async fn author_row(&self, id: i64) -> anyhow::Result<Option<AuthorRow>> {
        Ok(self.author_rows_where(Some(id)).await?.pop())
    }

    async fn author_rows_where(&self, id: Option<i64>) -> anyhow::Result<Vec<AuthorRow>> {
        let rows = sqlx::query(
            "SELECT id, slug, photo_url FROM authors WHERE ($1 = 0 OR id = $1) ORDER BY slug",
        )
        .bind(id.unwrap_or(0))
        .fetch_all(&self.pool)
        .await?;
        let profiles = sqlx::query(
            "SELECT author_id, lang, name, role, bio FROM author_profiles \
             WHERE ($1 = 0 OR author_id = $1) ORDER BY lang",
        )
        .bind(id.unwrap_or(0))
        .fetch_all(&self.pool)
        .await?;
        let mut authors = rows
            .iter()
            .map(|r| {
                Ok(AuthorRow {
                    id: r.try_get("id")?,
                    slug: r.try_get("slug")?,
                    photo_url: r.try_get("photo_url")?,
                    profiles: Vec::new(),
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        for p in &profiles {
            let id: i64 = p.try_get("author_id")?;
            if let Some(a) = authors.iter_mut().find(|a| a.id == id) {
                a.profiles.push(AuthorProfile {
                    lang: parse_column(p, "lang")?,
                    name: p.try_get("name")?,
                    role: p.try_get("role")?,
                    bio: p.try_get("bio")?,
                });
            }
        }
        Ok(authors)
    }

    /// The id of the section or author with `slug` (`table` is one of the
    /// two), if any.
    pub async fn slug_holder(&self, table: SlugTable, slug: &str) -> anyhow::Result<Option<i64>> {
        let sql = match table {
            SlugTable::Sections => "SELECT id FROM sections WHERE slug = $1",
            SlugTable::Authors => "SELECT id FROM authors WHERE slug = $1",
        };
        let row = sqlx::query(sql)
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    /// Replaces a byline profile: its slug, photo and every language's
    /// face as given.
    pub async fn save_author(&self, a: &AuthorRow, save: SiteSave<'_>) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE authors SET slug = $1, photo_url = $2 WHERE id = $3")
            .bind(&a.slug)
            .bind(&a.photo_url)
            .bind(a.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM author_profiles WHERE author_id = $1")
            .bind(a.id)
            .execute(&mut *tx)
            .await?;
        for p in &a.profiles {
            sqlx::query(
                "INSERT INTO author_profiles (author_id, lang, name, role, bio) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(a.id)
            .bind(p.lang.code())
            .bind(&p.name)
            .bind(&p.role)
            .bind(&p.bio)
            .execute(&mut *tx)
            .await?;
        }
        let articles = if save.articles_changed {
            ids_of(
                &mut tx,
                "SELECT article_id FROM article_authors WHERE author_id = $1",
                a.id,
            )
            .await?
        } else {
            Vec::new()
        };
        self.finish_site_save(tx, &format!("author {}", a.id), save, articles)
            .await
    }

    /// The photo of byline profile `id` (empty when it has none).
    pub async fn author_photo(&self, id: i64) -> anyhow::Result<String> {
        let row = sqlx::query("SELECT photo_url FROM authors WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .map(|r| r.try_get("photo_url"))
            .transpose()?
            .unwrap_or_default())
    }

    /// The redirects, one page of them, by source; `search` narrows them
    /// to those whose source or location contains it.
    pub async fn redirects_page(
        &self,
        search: &str,
        page: u32,
        per_page: u32,
    ) -> anyhow::Result<Page<RedirectRow>> {
        let pattern = format!("%{}%", super::escape_like(search));
        let condition = "($1 = '' OR source LIKE $2 ESCAPE '\\' \
                         OR COALESCE(location, '') LIKE $2 ESCAPE '\\')";
        let total: i64 = sqlx::query(&format!(
            "SELECT COUNT(*) AS n FROM redirects WHERE {condition}"
        ))
        .bind(search)
        .bind(&pattern)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        let per_page = per_page.max(1);
        let offset = (page.max(1) as u64 - 1) * per_page as u64;
        let rows = sqlx::query(&format!(
            "SELECT source, article_id, page_id, location FROM redirects WHERE {condition} \
             ORDER BY source LIMIT {per_page} OFFSET {offset}"
        ))
        .bind(search)
        .bind(&pattern)
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .iter()
            .filter_map(|r| redirect_of_row(r).transpose())
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Page {
            items,
            page: page.max(1),
            per_page,
            total: total as u64,
        })
    }

    /// Adds a redirect from the key `source` to `location`; false when
    /// `source` already has one (which is left as it is).
    pub async fn add_redirect(
        &self,
        source: &str,
        location: &str,
        by: &Actor,
    ) -> anyhow::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let added = sqlx::query(
            "INSERT INTO redirects (source, article_id, page_id, location) \
             VALUES ($1, NULL, NULL, $2) ON CONFLICT (source) DO NOTHING",
        )
        .bind(source)
        .bind(location)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if added {
            log_audit(&mut tx, by, AuditAction::RedirectAdd, source, location).await?;
        }
        // Redirects answer 301 and a missing one 404: neither is kept by
        // the page cache, so readers see the change without a log entry.
        tx.commit().await?;
        Ok(added)
    }

    /// Removes the redirect from the key `source`; false when there is none.
    pub async fn remove_redirect(&self, source: &str, by: &Actor) -> anyhow::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let removed = sqlx::query("DELETE FROM redirects WHERE source = $1")
            .bind(source)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if removed {
            log_audit(&mut tx, by, AuditAction::RedirectRemove, source, "").await?;
        }
        tx.commit().await?;
        Ok(removed)
    }

    /// The section/author save's redirects, audit entry and change-log
    /// entries (the site's, and the articles' when they changed), then
    /// the commit.
    async fn finish_site_save(
        &self,
        mut tx: sqlx::Transaction<'_, sqlx::Any>,
        target: &str,
        save: SiteSave<'_>,
        mut articles: Vec<i64>,
    ) -> anyhow::Result<()> {
        for (source, location) in save.redirects {
            sqlx::query(
                "INSERT INTO redirects (source, article_id, page_id, location) \
                 VALUES ($1, NULL, NULL, $2) ON CONFLICT (source) DO UPDATE SET \
                 article_id = NULL, page_id = NULL, location = excluded.location",
            )
            .bind(source)
            .bind(location)
            .execute(&mut *tx)
            .await?;
        }
        let (by, action, detail) = save.audit;
        log_audit(&mut tx, by, action, target, detail).await?;
        articles.insert(0, SITE_CHANGE);
        self.commit_changes(tx, &articles, ChangeKind::Updated)
            .await
    }
}

/// Which table [`Store::slug_holder`] looks in.
#[derive(Clone, Copy, Debug)]
pub enum SlugTable {
    Sections,
    Authors,
}

fn staff_page_of_row(row: &AnyRow) -> anyhow::Result<StaffPage> {
    Ok(StaffPage {
        page: page_of_row(row)?,
        position: row.try_get("position")?,
    })
}

fn redirect_of_row(row: &AnyRow) -> anyhow::Result<Option<RedirectRow>> {
    let article: Option<i64> = row.try_get("article_id")?;
    let page: Option<i64> = row.try_get("page_id")?;
    let location: Option<String> = row.try_get("location")?;
    let target = match (article, page, location) {
        (Some(id), _, _) => RedirectTarget::Article(id),
        (_, Some(id), _) => RedirectTarget::Page(id),
        (_, _, Some(l)) => RedirectTarget::Location(l),
        _ => return Ok(None),
    };
    Ok(Some(RedirectRow {
        source: row.try_get("source")?,
        target,
    }))
}

async fn ids_of(conn: &mut AnyConnection, sql: &str, id: i64) -> anyhow::Result<Vec<i64>> {
    sqlx::query(sql)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok(r.try_get("article_id")?))
        .collect()
}
