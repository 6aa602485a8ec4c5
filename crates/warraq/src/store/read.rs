//! Reads for the public site and the API. Only published articles whose
//! publication time has come are ever returned from here.
//!
//! Every query here is meant to walk one index; [`super::plans`] asks the
//! database for their plans (`cargo test`, and `warraq explain`).

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{bind_ids, now, parse_column, placeholders, timestamp, Backend, Store};
use crate::model::{Article, Author, Cover, Lang, Section, Seo, Status, Tag};

/// Which articles a list holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArticleFilter {
    All,
    Section(i64),
    Tag(i64),
    Author(i64),
}

#[derive(Clone, Copy, Debug)]
pub struct ArticleQuery {
    pub lang: Option<Lang>,
    pub filter: ArticleFilter,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}

impl<T> Page<T> {
    /// The same page holding `items` instead.
    fn with<U>(self, items: Vec<U>) -> Page<U> {
        Page {
            items,
            page: self.page,
            per_page: self.per_page,
            total: self.total,
        }
    }

    pub fn pages(&self) -> u32 {
        (self.total.div_ceil(self.per_page.max(1) as u64)).max(1) as u32
    }
}

pub(super) const ARTICLE_COLUMNS: &str = "a.id, a.lang, a.slug, a.headline, a.standfirst, a.body_html, \
     a.cover_url, a.cover_alt, a.cover_caption, a.status, a.published_at, a.updated_at, a.read_also, \
     a.seo_title, a.meta_description, a.canonical_url, a.noindex, a.translation_id, \
     a.cover_width, a.cover_height, a.cover_sizes";

/// The same without the body: what lists, cards and links show. Bodies
/// are most of an article's bytes.
pub(super) const CARD_COLUMNS: &str = "a.id, a.lang, a.slug, a.headline, a.standfirst, '' AS body_html, \
     a.cover_url, a.cover_alt, a.cover_caption, a.status, a.published_at, a.updated_at, a.read_also, \
     a.seo_title, a.meta_description, a.canonical_url, a.noindex, a.translation_id, \
     a.cover_width, a.cover_height, a.cover_sizes";

/// Published, and due: what every public read returns. Checked on the rows
/// a key lookup found rather than in its SQL, which would tempt SQLite's
/// planner to walk the status index instead of the key.
pub(super) fn visible(a: &Article, now: i64) -> bool {
    a.status == Status::Published && a.published_at.as_second() <= now
}

/// The table and key column a list reads, and the column of its
/// publication time. Section, tag and author lists read their junction
/// table alone (it carries language and publication time); the whole
/// edition reads `articles`.
pub(super) fn list_source(
    filter: ArticleFilter,
) -> (&'static str, &'static str, Option<(&'static str, i64)>) {
    match filter {
        ArticleFilter::All => ("articles x", "x.id", None),
        ArticleFilter::Section(id) => (
            "article_sections x",
            "x.article_id",
            Some(("x.section_id", id)),
        ),
        ArticleFilter::Tag(id) => ("article_tags x", "x.article_id", Some(("x.tag_id", id))),
        ArticleFilter::Author(id) => (
            "article_authors x",
            "x.article_id",
            Some(("x.author_id", id)),
        ),
    }
}

/// The SQL of a list: `SELECT {what} FROM … WHERE …`, with `$1` now, then
/// the filter's id and the language when present, in that order.
pub(super) fn list_sql(what: &str, lang: Option<Lang>, filter: ArticleFilter) -> String {
    let (table, _, key) = list_source(filter);
    let mut conditions = vec!["x.published_at <= $1".to_string()];
    let mut next = 2;
    if filter == ArticleFilter::All {
        conditions.push("x.status = 'published'".into());
    }
    if let Some((column, _)) = key {
        conditions.push(format!("{column} = ${next}"));
        next += 1;
    }
    if lang.is_some() {
        conditions.push(format!("x.lang = ${next}"));
    }
    format!(
        "SELECT {what} FROM {table} WHERE {}",
        conditions.join(" AND ")
    )
}

fn bind_list<'q>(
    sql: &'q str,
    now: i64,
    lang: Option<Lang>,
    filter: ArticleFilter,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let mut q = sqlx::query(sql).bind(now);
    if let Some((_, id)) = list_source(filter).2 {
        q = q.bind(id);
    }
    if let Some(lang) = lang {
        q = q.bind(lang.code());
    }
    q
}

impl Store {
    /// A published article by its language and slug.
    pub async fn article_by_slug(&self, lang: Lang, slug: &str) -> anyhow::Result<Option<Article>> {
        let sql = article_sql(
            self.backend,
            ARTICLE_COLUMNS,
            "",
            "a.lang = $1 AND a.slug = $2",
            "",
            "",
        );
        let row = sqlx::query(&sql)
            .bind(lang.code())
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        self.one(row).await
    }

    /// A published article by id.
    pub async fn article_by_id(&self, id: i64) -> anyhow::Result<Option<Article>> {
        let sql = article_sql(self.backend, ARTICLE_COLUMNS, "", "a.id = $1", "", "");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        self.one(row).await
    }

    /// Published articles by id, in the order of `ids`; unknown or
    /// unpublished ids are left out.
    pub async fn articles_by_ids(&self, ids: &[i64]) -> anyhow::Result<Vec<Article>> {
        self.by_ids(ids, ARTICLE_COLUMNS).await
    }

    /// The same without their bodies (`body_html` is empty): for lists,
    /// cards, links and most read.
    pub async fn cards_by_ids(&self, ids: &[i64]) -> anyhow::Result<Vec<Article>> {
        self.by_ids(ids, CARD_COLUMNS).await
    }

    async fn by_ids(&self, ids: &[i64], columns: &str) -> anyhow::Result<Vec<Article>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = article_sql(
            self.backend,
            columns,
            "",
            &format!("a.id IN ({})", placeholders(1, ids.len())),
            "",
            "",
        );
        let rows = bind_ids(&sql, ids).fetch_all(&self.pool).await?;
        let now = now();
        let mut found = HashMap::with_capacity(rows.len());
        for row in &rows {
            let a = article_of_row(row)?;
            if visible(&a, now) {
                found.insert(a.id, a);
            }
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// Every stored body in id order, drafts included, `limit` at a time
    /// after `after_id`: (id, language, slug, body).
    pub async fn bodies_after(
        &self,
        after_id: i64,
        limit: u32,
    ) -> anyhow::Result<Vec<(i64, Lang, String, String)>> {
        let rows = sqlx::query(&format!(
            "SELECT id, lang, slug, body_html FROM articles WHERE id > $1 ORDER BY id LIMIT {limit}"
        ))
        .bind(after_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    parse_column(r, "lang")?,
                    r.try_get("slug")?,
                    r.try_get("body_html")?,
                ))
            })
            .collect()
    }

    /// Published article ids in id order, `limit` at a time after `after_id`.
    pub async fn published_ids_after(&self, after_id: i64, limit: u32) -> anyhow::Result<Vec<i64>> {
        let rows = sqlx::query(&format!(
            "SELECT id FROM articles WHERE id > $1 AND status = 'published' AND published_at <= $2 \
             ORDER BY id LIMIT {limit}"
        ))
        .bind(after_id)
        .bind(now())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    async fn one(&self, row: Option<AnyRow>) -> anyhow::Result<Option<Article>> {
        let Some(row) = row else { return Ok(None) };
        let a = article_of_row(&row)?;
        Ok(visible(&a, now()).then_some(a))
    }

    /// Published articles, newest first, one page of them. The page's ids
    /// come from one index walked in order; its total is counted once per
    /// content version.
    pub async fn list_articles(&self, q: &ArticleQuery) -> anyhow::Result<Page<Article>> {
        let page = self.list_ids(q).await?;
        let items = self.articles_by_ids(&page.items).await?;
        Ok(page.with(items))
    }

    /// The same page without bodies (see [`Store::cards_by_ids`]).
    pub async fn list_cards(&self, q: &ArticleQuery) -> anyhow::Result<Page<Article>> {
        let page = self.list_ids(q).await?;
        let items = self.cards_by_ids(&page.items).await?;
        Ok(page.with(items))
    }

    async fn list_ids(&self, q: &ArticleQuery) -> anyhow::Result<Page<i64>> {
        let now = now();
        let total = self.list_total(q.lang, q.filter, now).await?;
        let per_page = q.per_page.max(1);
        let offset = (q.page.max(1) as u64 - 1) * per_page as u64;
        let items = if offset >= total {
            Vec::new()
        } else {
            let (_, key, _) = list_source(q.filter);
            let sql = format!(
                "{} ORDER BY x.published_at DESC, {key} DESC LIMIT {per_page} OFFSET {offset}",
                list_sql(&format!("{key} AS id"), q.lang, q.filter)
            );
            bind_list(&sql, now, q.lang, q.filter)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.try_get("id"))
                .collect::<Result<Vec<i64>, _>>()?
        };
        Ok(Page {
            items,
            page: q.page.max(1),
            per_page,
            total,
        })
    }

    /// How many articles a list holds, counted once per content version
    /// (an article becoming due is a change too, see [`super::changes`]).
    async fn list_total(
        &self,
        lang: Option<Lang>,
        filter: ArticleFilter,
        now: i64,
    ) -> anyhow::Result<u64> {
        let version = self.version();
        {
            let totals = self.totals.lock().unwrap_or_else(|e| e.into_inner());
            if totals.0 == version {
                if let Some(&n) = totals.1.get(&(lang, filter)) {
                    return Ok(n);
                }
            }
        }
        let sql = list_sql("COUNT(*) AS n", lang, filter);
        let n = bind_list(&sql, now, lang, filter)
            .fetch_one(&self.pool)
            .await?
            .try_get::<i64, _>("n")? as u64;
        let mut totals = self.totals.lock().unwrap_or_else(|e| e.into_inner());
        if totals.0 != version || totals.1.len() > 10_000 {
            *totals = (version, HashMap::new());
        }
        totals.1.insert((lang, filter), n);
        Ok(n)
    }

    /// Sections in their editorial order, named in `lang`.
    pub async fn sections(&self, lang: Lang) -> anyhow::Result<Vec<Section>> {
        let rows = sqlx::query(&format!(
            "SELECT s.id, s.slug, {name} AS name FROM sections s ORDER BY s.position, s.id",
            name = localized_section_name("$1")
        ))
        .bind(lang.code())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(section_of_row).collect()
    }

    pub async fn section(&self, lang: Lang, slug: &str) -> anyhow::Result<Option<Section>> {
        let row = sqlx::query(&format!(
            "SELECT s.id, s.slug, {name} AS name FROM sections s WHERE s.slug = $2",
            name = localized_section_name("$1")
        ))
        .bind(lang.code())
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(section_of_row).transpose()
    }

    pub async fn tag(&self, lang: Lang, slug: &str) -> anyhow::Result<Option<Tag>> {
        let row = sqlx::query("SELECT id, slug, name FROM tags WHERE lang = $1 AND slug = $2")
            .bind(lang.code())
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(tag_of_row).transpose()
    }

    pub async fn author(&self, lang: Lang, slug: &str) -> anyhow::Result<Option<Author>> {
        let row = sqlx::query(&format!(
            "SELECT {cols} FROM authors au {profiles} WHERE au.slug = $2",
            cols = AUTHOR_COLUMNS,
            profiles = author_profile_joins("$1")
        ))
        .bind(lang.code())
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(author_of_row).transpose()
    }
}

/// `SELECT` of articles with `columns` (full or card) matching
/// `condition`, each row carrying its authors, sections and tags as JSON
/// arrays, in order, named in the article's own language: one statement
/// and one row per article, however many bylines and tags.
///
/// `join` and `extra` (columns) let a caller rank articles by something
/// else; `order` ends the statement.
pub(super) fn article_sql(
    backend: Backend,
    columns: &str,
    join: &str,
    condition: &str,
    extra: &str,
    order: &str,
) -> String {
    let authors = json_list(
        backend,
        "au.id, au.slug, COALESCE(p.name, f.name, au.slug), COALESCE(p.role, f.role, ''), \
         COALESCE(p.bio, f.bio, '')",
        &format!(
            "FROM article_authors x JOIN authors au ON au.id = x.author_id {} \
             WHERE x.article_id = a.id",
            author_profile_joins("a.lang")
        ),
    );
    let sections = json_list(
        backend,
        &format!("s.id, s.slug, {}", localized_section_name("a.lang")),
        "FROM article_sections x JOIN sections s ON s.id = x.section_id WHERE x.article_id = a.id",
    );
    let tags = json_list(
        backend,
        "t.id, t.slug, t.name",
        "FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = a.id",
    );
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(", {extra}")
    };
    format!(
        "SELECT {columns}, {authors} AS authors_json, {sections} AS sections_json, \
         {tags} AS tags_json{extra} FROM articles a {join} WHERE {condition} {order}"
    )
}

/// A JSON array (as text) of `[elements…]` for each row of `from`, in the
/// order of `x.position`: the same idea in each backend's words.
fn json_list(backend: Backend, elements: &str, from: &str) -> String {
    match backend {
        // json(j): the subquery loses the JSON subtype of json_array().
        Backend::Sqlite => format!(
            "(SELECT json_group_array(json(j)) FROM \
             (SELECT json_array({elements}) AS j {from} ORDER BY x.position))"
        ),
        Backend::Postgres => format!(
            "(SELECT COALESCE(CAST(json_agg(json_build_array({elements}) ORDER BY x.position) AS TEXT), '[]') \
             {from})"
        ),
    }
}

/// A section's name in the language `lang_expr`, falling back to Arabic,
/// then to its slug, so a missing translation never hides a section.
fn localized_section_name(lang_expr: &str) -> String {
    format!(
        "COALESCE((SELECT n.name FROM section_names n WHERE n.section_id = s.id AND n.lang = {lang_expr}), \
         (SELECT n.name FROM section_names n WHERE n.section_id = s.id AND n.lang = 'ar'), s.slug)"
    )
}

pub(super) const AUTHOR_COLUMNS: &str =
    "au.id, au.slug, COALESCE(p.name, f.name, au.slug) AS name, \
     COALESCE(p.role, f.role, '') AS role, COALESCE(p.bio, f.bio, '') AS bio";

/// Joins an author's profile in `lang_expr` (p) and the Arabic one (f) as
/// its fallback.
pub(super) fn author_profile_joins(lang_expr: &str) -> String {
    format!(
        "LEFT JOIN author_profiles p ON p.author_id = au.id AND p.lang = {lang_expr} \
         LEFT JOIN author_profiles f ON f.author_id = au.id AND f.lang = 'ar'"
    )
}

/// A JSON array column of [`article_sql`], as the tuples it holds.
fn json_column<T: serde::de::DeserializeOwned>(
    row: &AnyRow,
    column: &str,
) -> anyhow::Result<Vec<T>> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("column {column}: {e}"))
}

pub(super) fn article_of_row(row: &AnyRow) -> anyhow::Result<Article> {
    let cover_url: Option<String> = row.try_get("cover_url")?;
    Ok(Article {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        lang: parse_column(row, "lang")?,
        headline: row.try_get("headline")?,
        standfirst: row.try_get("standfirst")?,
        body_html: row.try_get("body_html")?,
        authors: json_column(row, "authors_json")?
            .into_iter()
            .map(|(id, slug, name, role, bio)| Author {
                id,
                slug,
                name,
                role,
                bio,
            })
            .collect(),
        sections: json_column(row, "sections_json")?
            .into_iter()
            .map(|(id, slug, name)| Section { id, slug, name })
            .collect(),
        tags: json_column(row, "tags_json")?
            .into_iter()
            .map(|(id, slug, name)| Tag { id, slug, name })
            .collect(),
        cover: match cover_url {
            Some(url) => Some(Cover {
                url,
                alt: row
                    .try_get::<Option<String>, _>("cover_alt")?
                    .unwrap_or_default(),
                caption: row
                    .try_get::<Option<String>, _>("cover_caption")?
                    .unwrap_or_default(),
                width: dimension(row, "cover_width")?,
                height: dimension(row, "cover_height")?,
                sizes: serde_json::from_str(&row.try_get::<String, _>("cover_sizes")?)
                    .map_err(|e| anyhow::anyhow!("column cover_sizes: {e}"))?,
            }),
            None => None,
        },
        status: parse_column(row, "status")?,
        published_at: timestamp(row.try_get("published_at")?)?,
        updated_at: timestamp(row.try_get("updated_at")?)?,
        read_also: row.try_get::<i64, _>("read_also")? != 0,
        seo: Seo {
            title: row.try_get("seo_title")?,
            description: row.try_get("meta_description")?,
            canonical: row.try_get("canonical_url")?,
            noindex: row.try_get::<i64, _>("noindex")? != 0,
        },
        translation_id: row.try_get("translation_id")?,
    })
}

/// A width or height column: pixels, or none when unknown.
pub(super) fn dimension(row: &AnyRow, column: &str) -> anyhow::Result<Option<u32>> {
    let value: Option<i64> = row.try_get(column)?;
    value
        .map(|v| u32::try_from(v).map_err(|_| anyhow::anyhow!("column {column}: {v}")))
        .transpose()
}

pub(super) fn author_of_row(row: &AnyRow) -> anyhow::Result<Author> {
    Ok(Author {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        role: row.try_get("role")?,
        bio: row.try_get("bio")?,
    })
}

fn section_of_row(row: &AnyRow) -> anyhow::Result<Section> {
    Ok(Section {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
    })
}

fn tag_of_row(row: &AnyRow) -> anyhow::Result<Tag> {
    Ok(Tag {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
    })
}
