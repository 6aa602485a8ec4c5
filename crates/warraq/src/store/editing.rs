//! What the back office and the write API read and write: articles in any
//! status, with the owner and revision that permissions and conflict
//! checks need. The public reads in [`super::read`] never return these.

use sqlx::Row;

use super::audit::log_audit;
use super::changes::ChangeKind;
use super::read::{
    article_of_row, article_sql, author_of_row, author_profile_joins, Page, ARTICLE_COLUMNS,
    AUTHOR_COLUMNS,
};
use super::write::{put_author, write_article, Links};
use super::{now, Backend, Store};
use crate::model::{
    Actor, Article, AuditAction, Author, AuthorProfile, Lang, NewArticle, NewAuthor, Stage, Status,
};

/// An article as staff see it.
#[derive(Clone, Debug)]
pub struct StaffArticle {
    pub article: Article,
    /// The user who created it in warraq (none for imported articles).
    pub owner_id: Option<i64>,
    /// Grows by one with every save.
    pub revision: i64,
    /// Why an editor sent it back to its writer (empty: they did not).
    pub review_note: String,
}

impl StaffArticle {
    pub fn stage(&self) -> Stage {
        Stage::of(
            self.article.status,
            self.article.published_at,
            jiff::Timestamp::now(),
        )
    }

    /// Whether `user` counts as its writer: they created it, or their
    /// byline is on it.
    pub fn is_own(&self, user_id: i64, author_id: Option<i64>) -> bool {
        self.owner_id == Some(user_id)
            || author_id.is_some_and(|me| self.article.authors.iter().any(|a| a.id == me))
    }
}

/// Which articles a back-office list holds.
#[derive(Clone, Debug, Default)]
pub struct StaffQuery {
    pub stage: Option<Stage>,
    pub lang: Option<Lang>,
    /// Only those this user (id, byline) counts as writer of.
    pub own: Option<(i64, Option<i64>)>,
    /// In this section (slug).
    pub section: Option<String>,
    /// With this byline (slug).
    pub author: Option<String>,
    /// Whose headline or slug holds these words (case-insensitive).
    pub text: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

/// What a save carries besides the article.
#[derive(Clone, Copy, Default)]
pub struct Save<'a> {
    /// The user creating it (ignored when it has an owner).
    pub owner: Option<i64>,
    /// The revision the change was made from: refused when the stored one
    /// moved on.
    pub expected: Option<i64>,
    /// The redirect key of the article's old public URL, when this save
    /// moves it (a new slug or date): it then answers 301.
    pub moved_from: Option<&'a str>,
    /// The other edition of the story (`Some(None)`: none any more).
    pub translation: Option<Option<i64>>,
    /// The note an editor sent the article back with (`Some("")` clears it).
    pub review_note: Option<&'a str>,
    /// The "read also" switch, when the save sets it.
    pub read_also: Option<bool>,
    /// The related articles an editor pinned, in order, when the save sets them.
    pub pins: Option<&'a [i64]>,
    pub audit: &'a [(&'a Actor, AuditAction, String)],
}

/// Why a save was refused.
#[derive(Debug)]
pub enum SaveError {
    NotFound,
    /// Someone saved since: the stored revision.
    Stale(i64),
    Other(anyhow::Error),
}

impl From<anyhow::Error> for SaveError {
    fn from(e: anyhow::Error) -> Self {
        SaveError::Other(e)
    }
}

impl From<sqlx::Error> for SaveError {
    fn from(e: sqlx::Error) -> Self {
        SaveError::Other(e.into())
    }
}

const STAFF_COLUMNS: &str = "a.owner_id, a.revision, a.review_note";

fn staff_of_row(row: &sqlx::any::AnyRow) -> anyhow::Result<StaffArticle> {
    Ok(StaffArticle {
        article: article_of_row(row)?,
        owner_id: row.try_get("owner_id")?,
        revision: row.try_get("revision")?,
        review_note: row.try_get("review_note")?,
    })
}

impl Store {
    /// Article `id` in whatever status.
    pub async fn staff_article(&self, id: i64) -> anyhow::Result<Option<StaffArticle>> {
        let sql = article_sql(
            self.backend,
            ARTICLE_COLUMNS,
            "",
            "a.id = $1",
            STAFF_COLUMNS,
            "",
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(staff_of_row).transpose()
    }

    /// A page of articles in any status, newest first.
    pub async fn staff_articles(&self, q: &StaffQuery) -> anyhow::Result<Page<StaffArticle>> {
        let (condition, binds) = staff_condition(q, now());
        let count = format!("SELECT COUNT(*) AS n FROM articles a WHERE {condition}");
        let total: i64 = bind_all(&count, &binds)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let sql = staff_list_sql(self.backend, &condition, q);
        let rows = bind_all(&sql, &binds).fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(staff_of_row)
            .collect::<anyhow::Result<_>>()?;
        Ok(Page {
            items,
            page: q.page.max(1),
            per_page: q.per_page.max(1),
            total: total as u64,
        })
    }

    pub async fn all_authors(&self, lang: Lang) -> anyhow::Result<Vec<Author>> {
        let rows = sqlx::query(&format!(
            "SELECT {AUTHOR_COLUMNS} FROM authors au {} ORDER BY name, au.id",
            author_profile_joins("$1")
        ))
        .bind(lang.code())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(author_of_row).collect()
    }

    /// Adds a byline profile `slug` (or `slug-2`… when taken) named `name`
    /// in `lang`; returns its id and slug.
    pub async fn add_author(
        &self,
        slug: &str,
        lang: Lang,
        name: &str,
    ) -> anyhow::Result<(i64, String)> {
        let mut candidate = slug.to_string();
        let mut n = 1;
        while sqlx::query("SELECT 1 AS x FROM authors WHERE slug = $1")
            .bind(&candidate)
            .fetch_optional(&self.pool)
            .await?
            .is_some()
        {
            n += 1;
            candidate = format!("{slug}-{n}");
        }
        let mut tx = self.pool.begin().await?;
        let author = NewAuthor {
            slug: candidate.clone(),
            profiles: vec![AuthorProfile {
                lang,
                name: name.trim().to_string(),
                role: String::new(),
                bio: String::new(),
            }],
        };
        let id = put_author(&mut tx, &author).await?;
        tx.commit().await?;
        Ok((id, candidate))
    }

    pub async fn author_slug(&self, id: i64) -> anyhow::Result<Option<String>> {
        let row = sqlx::query("SELECT slug FROM authors WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("slug")).transpose()?)
    }

    /// The id of the article of `lang` with `slug`, if any.
    pub async fn slug_owner(&self, lang: Lang, slug: &str) -> anyhow::Result<Option<i64>> {
        let row = sqlx::query("SELECT id FROM articles WHERE lang = $1 AND slug = $2")
            .bind(lang.code())
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    /// Creates (`id` None) or replaces article `id` with `a`, whose body
    /// the caller sanitised, in one transaction with what `save` adds: its
    /// owner, the conflict check, a redirect, the link to the other
    /// edition, the change and the audit entries. Returns the id and the
    /// new revision.
    pub async fn save_article(
        &self,
        id: Option<i64>,
        a: &NewArticle,
        body: &str,
        save: &Save<'_>,
    ) -> Result<(i64, i64), SaveError> {
        let Save {
            owner,
            expected,
            moved_from,
            translation,
            review_note,
            read_also,
            pins,
            audit,
        } = *save;
        let created = id.is_none();
        let mut tx = self.pool.begin().await?;
        let mut was_public = false;
        if let Some(id) = id {
            // Taking the row first (a write on PostgreSQL locks it, on
            // SQLite it takes the database's write lock) makes the
            // revision read below the one this save replaces.
            let rows = sqlx::query("UPDATE articles SET revision = revision WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if rows == 0 {
                return Err(SaveError::NotFound);
            }
            let row =
                sqlx::query("SELECT revision, status, published_at FROM articles WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            let stored: i64 = row.try_get("revision")?;
            if expected.is_some_and(|e| e != stored) {
                return Err(SaveError::Stale(stored));
            }
            was_public = row.try_get::<String, _>("status")? == Status::Published.as_str()
                && row.try_get::<i64, _>("published_at")? <= now();
        }
        let id = write_article(&mut tx, id, a, body, &mut Links::default()).await?;
        if owner.is_some() {
            sqlx::query("UPDATE articles SET owner_id = $1 WHERE id = $2 AND owner_id IS NULL")
                .bind(owner)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(source) = moved_from {
            sqlx::query(
                "INSERT INTO redirects (source, article_id) VALUES ($1, $2) \
                 ON CONFLICT (source) DO UPDATE SET article_id = excluded.article_id, \
                 page_id = NULL, location = NULL",
            )
            .bind(source)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(other) = translation {
            // Both editions point at each other; one that pointed here
            // before and no longer does is unlinked.
            sqlx::query("UPDATE articles SET translation_id = NULL WHERE translation_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE articles SET translation_id = $1 WHERE id = $2")
                .bind(other)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if let Some(other) = other {
                sqlx::query("UPDATE articles SET translation_id = $1 WHERE id = $2")
                    .bind(id)
                    .bind(other)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if let Some(note) = review_note {
            sqlx::query("UPDATE articles SET review_note = $1 WHERE id = $2")
                .bind(note)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(on) = read_also {
            sqlx::query("UPDATE articles SET read_also = $1 WHERE id = $2")
                .bind(on as i64)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(pins) = pins {
            sqlx::query("DELETE FROM article_related_pins WHERE article_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for (position, pin) in pins.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO article_related_pins (article_id, related_id, position) \
                     VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(*pin)
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
            }
        }
        let revision: i64 = sqlx::query("SELECT revision FROM articles WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("revision")?;
        let by = audit.first().map(|(by, _, _)| *by);
        sqlx::query(
            "INSERT INTO revisions (article_id, revision, at, user_id, actor, content) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(revision)
        .bind(now())
        .bind(by.and_then(|b| b.user_id))
        .bind(by.map_or("", |b| b.name.as_str()))
        .bind(snapshot(a, body).to_string())
        .execute(&mut *tx)
        .await?;
        for (by, action, detail) in audit {
            log_audit(&mut tx, by, *action, &format!("article {id}"), detail).await?;
        }
        let is_public = a.status == Status::Published && a.published_at.as_second() <= now();
        let kind = match (created, was_public, is_public) {
            (true, _, _) => ChangeKind::Created,
            (false, false, true) => ChangeKind::Published,
            (false, true, false) => ChangeKind::Unpublished,
            _ => ChangeKind::Updated,
        };
        self.commit_changes(tx, &[id], kind).await?;
        Ok((id, revision))
    }
}

/// An article as saved, in the write API's words (the keys of
/// `ArticleInput`): what a revision keeps.
fn snapshot(a: &NewArticle, body: &str) -> serde_json::Value {
    serde_json::json!({
        "lang": a.lang.code(),
        "headline": a.headline,
        "standfirst": a.standfirst,
        "body_html": body,
        "slug": a.slug,
        "sections": a.section_slugs,
        "authors": a.author_slugs,
        "tags": a.tag_names,
        "cover": a.cover.as_ref().map(|c| serde_json::json!({"url": c.url, "alt": c.alt, "caption": c.caption})),
        "status": a.status.as_str(),
        "publish_at": a.published_at.to_string(),
    })
}

/// One saved revision, as lists show it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RevisionInfo {
    pub revision: i64,
    pub at: jiff::Timestamp,
    pub user_id: Option<i64>,
    /// Who saved it, as the audit log names them (an e-mail address, or
    /// the command line's user).
    pub actor: String,
    /// Their display name, as the back office shows it.
    pub name: String,
    pub headline: String,
}

impl Store {
    /// The revisions of article `id`, newest first.
    pub async fn revisions(&self, id: i64) -> anyhow::Result<Vec<RevisionInfo>> {
        let rows = sqlx::query(
            "SELECT r.revision, r.at, r.user_id, r.actor, COALESCE(u.name, r.actor) AS name, \
             r.content FROM revisions r LEFT JOIN users u ON u.id = r.user_id \
             WHERE r.article_id = $1 ORDER BY r.revision DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let content: serde_json::Value =
                    serde_json::from_str(&r.try_get::<String, _>("content")?)?;
                Ok(RevisionInfo {
                    revision: r.try_get("revision")?,
                    at: super::timestamp(r.try_get("at")?)?,
                    user_id: r.try_get("user_id")?,
                    actor: r.try_get("actor")?,
                    name: r.try_get("name")?,
                    headline: content["headline"].as_str().unwrap_or_default().to_string(),
                })
            })
            .collect()
    }

    /// The related articles an editor pinned to `id`, in order.
    pub async fn related_pins(&self, id: i64) -> anyhow::Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT related_id FROM article_related_pins WHERE article_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get("related_id"))
            .collect::<Result<_, _>>()?)
    }

    /// What revision `n` of article `id` saved (JSON in the write API's
    /// words).
    pub async fn revision_content(&self, id: i64, n: i64) -> anyhow::Result<Option<String>> {
        let row =
            sqlx::query("SELECT content FROM revisions WHERE article_id = $1 AND revision = $2")
                .bind(id)
                .bind(n)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|r| r.try_get("content")).transpose()?)
    }
}

pub(super) enum Bind {
    Int(i64),
    Text(String),
}

/// The `WHERE` of a back-office list, and the values it binds in order.
pub(super) fn staff_condition(q: &StaffQuery, now: i64) -> (String, Vec<Bind>) {
    let mut conditions = Vec::new();
    let mut binds: Vec<Bind> = Vec::new();
    let param = |binds: &mut Vec<Bind>, b: Bind| {
        binds.push(b);
        format!("${}", binds.len())
    };
    match q.stage {
        Some(stage) => {
            let p = param(&mut binds, Bind::Text(stage.status().as_str().into()));
            conditions.push(format!("a.status = {p}"));
            match stage {
                Stage::Scheduled => {
                    let p = param(&mut binds, Bind::Int(now));
                    conditions.push(format!("a.published_at > {p}"));
                }
                Stage::Published => {
                    let p = param(&mut binds, Bind::Int(now));
                    conditions.push(format!("a.published_at <= {p}"));
                }
                _ => {}
            }
        }
        // Everything but the trash, unless asked for.
        None => conditions.push("a.status <> 'trash'".into()),
    }
    if let Some(lang) = q.lang {
        let p = param(&mut binds, Bind::Text(lang.code().into()));
        conditions.push(format!("a.lang = {p}"));
    }
    if let Some(section) = &q.section {
        let p = param(&mut binds, Bind::Text(section.clone()));
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM article_sections x JOIN sections s ON s.id = x.section_id \
             WHERE x.article_id = a.id AND s.slug = {p})"
        ));
    }
    if let Some(author) = &q.author {
        let p = param(&mut binds, Bind::Text(author.clone()));
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM article_authors x JOIN authors au ON au.id = x.author_id \
             WHERE x.article_id = a.id AND au.slug = {p})"
        ));
    }
    // Each word anywhere in the headline or slug. LIKE's own wildcards in
    // what was typed match themselves.
    for word in q.text.iter().flat_map(|t| t.split_whitespace()).take(8) {
        let escaped = super::escape_like(&word.to_lowercase());
        let p = param(&mut binds, Bind::Text(format!("%{escaped}%")));
        conditions.push(format!(
            "(LOWER(a.headline) LIKE {p} ESCAPE '\\' OR LOWER(a.slug) LIKE {p} ESCAPE '\\')"
        ));
    }
    if let Some((user, author)) = q.own {
        let u = param(&mut binds, Bind::Int(user));
        let a = param(&mut binds, Bind::Int(author.unwrap_or(-1)));
        conditions.push(format!(
            "(a.owner_id = {u} OR EXISTS (SELECT 1 FROM article_authors w \
             WHERE w.article_id = a.id AND w.author_id = {a}))"
        ));
    }
    (conditions.join(" AND "), binds)
}

/// One page of a back-office list under `condition`.
pub(super) fn staff_list_sql(backend: Backend, condition: &str, q: &StaffQuery) -> String {
    let per_page = q.per_page.max(1);
    let offset = (q.page.max(1) as u64 - 1) * per_page as u64;
    article_sql(
        backend,
        ARTICLE_COLUMNS,
        "",
        condition,
        STAFF_COLUMNS,
        &format!("ORDER BY a.published_at DESC, a.id DESC LIMIT {per_page} OFFSET {offset}"),
    )
}

fn bind_all<'q>(
    sql: &'q str,
    binds: &'q [Bind],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    binds.iter().fold(sqlx::query(sql), |q, b| match b {
        Bind::Int(i) => q.bind(*i),
        Bind::Text(t) => q.bind(t.as_str()),
    })
}
