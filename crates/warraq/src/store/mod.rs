//! The repository layer: one set of queries for SQLite and PostgreSQL.
//!
//! Queries go through sqlx's `Any` driver and are written in the SQL both
//! databases share (`$n` placeholders, `RETURNING`, `ON CONFLICT`). Only the
//! migrations differ, because the two spell identity columns differently.
//! Times are stored as Unix seconds so that both backends sort and compare
//! them the same way.

mod accounts;
mod audit;
mod changes;
mod editing;
mod import;
mod media;
mod migrate;
mod pages;
mod plans;
mod read;
mod related;
mod sessions;
mod site_admin;
mod views;
mod workflow;
mod write;

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

use crate::model::Lang;

pub use accounts::{Credentials, NewUser};
pub use changes::ChangeKind;
pub use editing::{RevisionInfo, Save, SaveError, StaffArticle, StaffQuery};
pub use import::{Import, Item, ItemKind, Outcome, Sanitized};
pub use media::{MediaItem, MediaText, NewMedia};
pub use plans::Plan;
pub use read::{ArticleFilter, ArticleQuery, Page};
pub use sessions::{Session, SessionLife, TokenInfo};
pub use site_admin::{
    AuthorRow, PageMove, PageSave, RedirectRow, SectionRow, SiteSave, SlugTable, StaffPage,
};
pub use views::{ArticleMeta, Buckets};
pub use workflow::{Autosave, EditLock, Locking};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn of_url(url: &str) -> anyhow::Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!("database URL {url:?} is neither sqlite://FILE nor postgres://…")
        }
    }
}

/// How many articles each list holds.
type Totals = HashMap<(Option<Lang>, ArticleFilter), u64>;

/// A connection pool to the newsroom's database, and this process's place
/// in its change log (see [`changes`]).
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The last change seen: what caches of rendered content compare
    /// against to know they are stale.
    version: Arc<AtomicU64>,
    version_tx: Arc<tokio::sync::watch::Sender<u64>>,
    followed: Arc<std::sync::Mutex<changes::Followed>>,
    syncing: Arc<tokio::sync::Mutex<()>>,
    /// List totals by (language, filter), valid for one version.
    totals: Arc<std::sync::Mutex<(u64, Totals)>>,
    url: String,
}

impl Store {
    /// Connects to `url`, creating a SQLite file that does not exist yet.
    /// Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let mut options = AnyPoolOptions::new();
        if backend == Backend::Sqlite {
            // SQLite allows one writer at a time: wait for it instead of
            // failing, and keep the write-ahead log so readers never block.
            options = options.max_connections(8).after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::query("PRAGMA busy_timeout = 5000")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("PRAGMA journal_mode = WAL")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("PRAGMA foreign_keys = ON")
                        .execute(&mut *conn)
                        .await?;
                    // No memory map (mmap_size): it made cold pages 25%
                    // faster at 100,000 articles (2,044 → 2,565/s), but
                    // each connection maps the file anew and resident
                    // memory then counted the archive eight times (5 GB).
                    Ok(())
                })
            });
        }
        let pool = options
            .connect(&url)
            .await
            .with_context(|| format!("cannot open database {}", redact(&url)))?;
        Ok(Store {
            pool,
            backend,
            version: Arc::new(AtomicU64::new(0)),
            version_tx: Arc::new(tokio::sync::watch::Sender::new(0)),
            followed: Default::default(),
            syncing: Default::default(),
            totals: Default::default(),
            url,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts following the change log at its end: for a process that
    /// loads everything it derives afresh. Call after [`Store::migrate`].
    pub async fn start_at_head(&self) -> anyhow::Result<u64> {
        let head = self.last_seq().await?;
        if head > self.version() {
            self.version.store(head, Ordering::Release);
            self.version_tx.send_replace(head);
        }
        Ok(self.version())
    }

    /// Where the search index lives by default: beside a SQLite file, or in
    /// `warraq-search/` in the working directory for PostgreSQL.
    pub fn default_search_dir(&self) -> std::path::PathBuf {
        self.beside("search")
    }

    /// Where media files live by default: `FILE.media/` beside a SQLite
    /// file, `warraq-media/` for PostgreSQL.
    pub fn default_media_dir(&self) -> std::path::PathBuf {
        self.beside("media")
    }

    fn beside(&self, what: &str) -> std::path::PathBuf {
        match self.backend {
            Backend::Sqlite => {
                let path = self
                    .url
                    .trim_start_matches("sqlite://")
                    .trim_start_matches("sqlite:");
                let path = path.split('?').next().unwrap_or(path);
                std::path::PathBuf::from(format!("{path}.{what}"))
            }
            Backend::Postgres => std::path::PathBuf::from(format!("warraq-{what}")),
        }
    }

    /// True when the newsroom holds nothing yet: no article, author or section.
    pub async fn is_empty(&self) -> anyhow::Result<bool> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM articles) + (SELECT COUNT(*) FROM authors) \
             + (SELECT COUNT(*) FROM sections) AS n",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<i64, _>("n")? == 0)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A database URL fit for a log line: no password.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}@{}", &url[..scheme + 3], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

fn parse_column<T: FromStr<Err = String>>(row: &AnyRow, column: &str) -> anyhow::Result<T> {
    let raw: String = row.try_get(column)?;
    T::from_str(&raw).map_err(|e| anyhow::anyhow!("column {column}: {e}"))
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

fn timestamp(seconds: i64) -> anyhow::Result<jiff::Timestamp> {
    jiff::Timestamp::from_second(seconds).context("timestamp out of range")
}

/// `sql` with each of `ids` bound in order.
fn bind_ids<'q>(
    sql: &'q str,
    ids: &'q [i64],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    ids.iter().fold(sqlx::query(sql), |q, id| q.bind(*id))
}

/// `$first, $first+1, …` for `n` values: the IN lists of batched lookups.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` matched literally by `LIKE … ESCAPE '\'`.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_are_literal() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(escape_like("/من-نحن"), "/من-نحن");
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u@h:5432/db"
        );
        assert_eq!(redact("sqlite://warraq.db"), "sqlite://warraq.db");
    }

    #[test]
    fn placeholder_lists() {
        assert_eq!(placeholders(2, 3), "$2, $3, $4");
    }
}
