//! The plans the database chooses for the reads every page makes. A plan
//! that scans a table, or sorts a list instead of walking its index, is
//! what made cold pages slow at 100,000 articles: `cargo test` fails when
//! one comes back on SQLite, and `warraq explain` shows them on either
//! backend, against a real archive.

use sqlx::Row;

use super::editing::{staff_condition, staff_list_sql, Bind as StaffBind, StaffQuery};
use super::read::{
    article_sql, list_source, list_sql, ArticleFilter, ARTICLE_COLUMNS, CARD_COLUMNS,
};
use super::related::related_cards_sql;
use super::{Backend, Store};
use crate::model::{Lang, Stage};

fn staff_page() -> StaffQuery {
    StaffQuery {
        page: 1,
        per_page: 10,
        ..StaffQuery::default()
    }
}

/// A value bound to a query whose plan is asked for.
#[derive(Clone, Copy)]
enum Bind {
    Int(i64),
    Text(&'static str),
}

/// One main query: what it is for, its SQL, its values, and whether it may
/// sort (a handful of rows, such as an article's tags by position).
struct MainQuery {
    what: String,
    sql: String,
    binds: Vec<Bind>,
    may_sort: bool,
}

/// What a plan says about one query.
pub struct Plan {
    pub what: String,
    pub sql: String,
    pub lines: Vec<String>,
    /// A table walked whole, or a list sorted instead of read in order.
    pub degraded: bool,
}

fn main_queries(backend: Backend) -> Vec<MainQuery> {
    let q = |what: &str, sql: String, binds: Vec<Bind>, may_sort: bool| MainQuery {
        what: what.into(),
        sql,
        binds,
        may_sort,
    };
    let now = Bind::Int(jiff::Timestamp::now().as_second());
    // Each article's authors, sections and tags are few: sorting them by
    // position is fine, scanning for them is not.
    let mut queries = vec![
        q(
            "article by slug",
            article_sql(
                backend,
                ARTICLE_COLUMNS,
                "",
                "a.lang = $1 AND a.slug = $2",
                "",
                "",
            ),
            vec![Bind::Text("ar"), Bind::Text("slug")],
            true,
        ),
        q(
            "cards by ids",
            article_sql(backend, CARD_COLUMNS, "", "a.id IN ($1, $2, $3)", "", ""),
            vec![Bind::Int(1), Bind::Int(2), Bind::Int(3)],
            true,
        ),
        q(
            "related cards",
            related_cards_sql(backend, 2),
            vec![Bind::Int(1), Bind::Int(2), Bind::Int(5)],
            true,
        ),
        q(
            "changes since",
            "SELECT seq, article_id FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2".into(),
            vec![Bind::Int(1), Bind::Int(100)],
            false,
        ),
        q(
            "anything due",
            "SELECT 1 AS due FROM articles a, change_clock c WHERE c.id = 1 \
             AND a.status = 'published' AND a.published_at > c.due_checked \
             AND a.published_at <= $1 LIMIT 1"
                .into(),
            vec![now],
            false,
        ),
        q(
            "due articles",
            "SELECT id FROM articles WHERE status = 'published' AND published_at > $1 \
             AND published_at <= $2 ORDER BY id"
                .into(),
            vec![Bind::Int(0), now],
            true,
        ),
    ];
    // The back office's lists: a dashboard's drafts of one writer, the
    // newsroom's scheduled and published articles.
    for (what, query) in [
        (
            "my drafts",
            StaffQuery {
                stage: Some(Stage::Draft),
                own: Some((1, Some(1))),
                ..staff_page()
            },
        ),
        (
            "scheduled",
            StaffQuery {
                stage: Some(Stage::Scheduled),
                ..staff_page()
            },
        ),
        (
            "recently published",
            StaffQuery {
                stage: Some(Stage::Published),
                ..staff_page()
            },
        ),
    ] {
        let (condition, staff_binds) = staff_condition(&query, 1_800_000_000);
        let binds: Vec<Bind> = staff_binds
            .into_iter()
            .map(|b| match b {
                StaffBind::Int(i) => Bind::Int(i),
                StaffBind::Text(t) => Bind::Text(Box::leak(t.into_boxed_str())),
            })
            .collect();
        queries.push(q(
            &format!("back office: {what}"),
            staff_list_sql(backend, &condition, &query),
            binds.clone(),
            // Walks the status index; only each article's bylines, sections
            // and tags are sorted, as for every article read.
            true,
        ));
        queries.push(q(
            &format!("back office: {what}, total"),
            format!("SELECT COUNT(*) AS n FROM articles a WHERE {condition}"),
            binds,
            false,
        ));
    }
    for filter in [
        ArticleFilter::All,
        ArticleFilter::Section(1),
        ArticleFilter::Tag(1),
        ArticleFilter::Author(1),
    ] {
        for lang in [None, Some(Lang::Ar)] {
            let (_, key, with_id) = list_source(filter);
            let mut binds = vec![now];
            binds.extend(with_id.map(|_| Bind::Int(1)));
            binds.extend(lang.map(|l| Bind::Text(l.code())));
            queries.push(q(
                &format!("{filter:?} list, {lang:?}"),
                format!(
                    "{} ORDER BY x.published_at DESC, {key} DESC LIMIT 12 OFFSET 120",
                    list_sql(&format!("{key} AS id"), lang, filter)
                ),
                binds.clone(),
                false,
            ));
            queries.push(q(
                &format!("{filter:?} total, {lang:?}"),
                list_sql("COUNT(*) AS n", lang, filter),
                binds,
                false,
            ));
        }
    }
    queries
}

/// Tables and the aliases the queries give them: scanning one of these is
/// a fault, scanning a subquery's few rows (`SCAN (subquery-1)`) is not.
const TABLES: &[&str] = &[
    "a",
    "x",
    "s",
    "t",
    "n",
    "p",
    "f",
    "au",
    "articles",
    "changes",
    "article_related",
    "article_related_pins",
    "article_sections",
    "article_tags",
    "article_authors",
    "sections",
    "section_names",
    "authors",
    "author_profiles",
    "tags",
];

fn degraded(backend: Backend, lines: &[String], may_sort: bool) -> bool {
    match backend {
        Backend::Sqlite => {
            let scans = lines.iter().any(|d| {
                d.strip_prefix("SCAN ")
                    .and_then(|rest| rest.split_whitespace().next())
                    .is_some_and(|target| TABLES.contains(&target))
            });
            let sorts = lines.iter().any(|d| d.contains("TEMP B-TREE"));
            scans || (sorts && !may_sort)
        }
        // PostgreSQL picks sequential scans on small tables by design, so
        // only a large estimate counts as degraded there.
        Backend::Postgres => lines.iter().any(|l| {
            l.contains("Seq Scan on")
                && l.split("rows=")
                    .nth(1)
                    .and_then(|r| r.split_whitespace().next())
                    .and_then(|r| r.parse::<u64>().ok())
                    .is_some_and(|rows| rows > 10_000)
        }),
    }
}

impl Store {
    /// The plan of every main query on this database.
    pub async fn explain(&self) -> anyhow::Result<Vec<Plan>> {
        let mut plans = Vec::new();
        for MainQuery {
            what,
            sql,
            binds,
            may_sort,
        } in main_queries(self.backend)
        {
            let explain = match self.backend {
                Backend::Sqlite => format!("EXPLAIN QUERY PLAN {sql}"),
                Backend::Postgres => format!("EXPLAIN {sql}"),
            };
            let query = binds.iter().fold(sqlx::query(&explain), |q, b| match *b {
                Bind::Int(i) => q.bind(i),
                Bind::Text(t) => q.bind(t),
            });
            let rows = query
                .fetch_all(&self.pool)
                .await
                .map_err(|e| anyhow::anyhow!("{what}: {e}\n{sql}"))?;
            let column = match self.backend {
                Backend::Sqlite => "detail",
                Backend::Postgres => "QUERY PLAN",
            };
            let lines = rows
                .iter()
                .map(|r| r.try_get::<String, _>(column))
                .collect::<Result<Vec<_>, _>>()?;
            plans.push(Plan {
                degraded: degraded(self.backend, &lines, may_sort),
                what,
                sql,
                lines,
            });
        }
        Ok(plans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn main_queries_walk_indexes() {
        let dir = std::env::temp_dir().join(format!("warraq-plans-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::connect(&format!("sqlite://{}", dir.join("p.db").display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let plans = store.explain().await.unwrap();
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
        assert!(plans.len() > 20);
        let bad: Vec<String> = plans
            .iter()
            .filter(|p| p.degraded)
            .map(|p| format!("{}:\n  {}\n  {}", p.what, p.sql, p.lines.join("\n  ")))
            .collect();
        assert!(
            bad.is_empty(),
            "plans that scan or sort:\n{}",
            bad.join("\n")
        );
    }
}
