//! The change log: the database's record of which articles each write
//! touched, and this process's view of it.
//!
//! Writers append to the `changes` table in the same transaction as the
//! write ([`log_changes`]). Every process follows the table from its last
//! position ([`Store::sync`], run by [`Store::follow`] — woken by
//! PostgreSQL's NOTIFY, or by polling), so a write made by any process, the
//! importer or the command line reaches every cache and index. The position
//! is the last sequence number seen; it doubles as the content version that
//! caches compare against.
//!
//! An article scheduled for later becomes visible when its time comes
//! without anyone writing: the first follower to notice appends a
//! `published` change for it, so it is a change like any other, once, for
//! every process.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::time::Duration;

use sqlx::{AnyConnection, Row};

use super::{Backend, Store};

/// What a write did to an article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Created,
    Updated,
    Published,
    Unpublished,
    Deleted,
}

impl ChangeKind {
    fn parse(kind: &str) -> Option<ChangeKind> {
        [
            ChangeKind::Created,
            ChangeKind::Updated,
            ChangeKind::Published,
            ChangeKind::Unpublished,
            ChangeKind::Deleted,
        ]
        .into_iter()
        .find(|k| k.as_str() == kind)
    }

    fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Updated => "updated",
            ChangeKind::Published => "published",
            ChangeKind::Unpublished => "unpublished",
            ChangeKind::Deleted => "deleted",
        }
    }
}

/// The PostgreSQL channel writers notify on commit.
const CHANNEL: &str = "warraq_changes";
/// Serialises appends on PostgreSQL (any constant shared by all writers).
const APPEND_LOCK: i64 = 0x7761_7272_6171; // "warraq"
/// How often a follower looks for changes when nothing wakes it: SQLite's
/// only way to hear of other processes' writes, PostgreSQL's fallback.
const POLL_SQLITE: Duration = Duration::from_millis(100);
const POLL_POSTGRES: Duration = Duration::from_secs(1);
/// Batches of changes kept in memory for consumers that follow closely;
/// older positions are answered from the table.
const MEMORY_BATCHES: usize = 4096;
/// Rows read per query while catching up.
const READ_BATCH: i64 = 10_000;

/// This process's view of the log.
#[derive(Default)]
pub(super) struct Followed {
    /// `(position after the batch, articles in it)`, oldest first.
    batches: VecDeque<(u64, Vec<i64>)>,
    /// The position before the oldest batch kept.
    since: u64,
}

/// Appends `changes` to the log inside the transaction `conn` is in. On
/// PostgreSQL it takes a transaction-level lock first, so that sequence
/// numbers commit in order (a follower reading `seq > last` never skips a
/// row that commits late), and notifies followers, which hear of it at
/// commit.
pub(super) async fn log_changes(
    conn: &mut AnyConnection,
    backend: Backend,
    changes: &[(i64, ChangeKind)],
) -> anyhow::Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(APPEND_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    let now = jiff::Timestamp::now().as_second();
    // One multi-row insert per few hundred changes: an import of thousands
    // of articles logs them in a handful of statements.
    for chunk in changes.chunks(300) {
        let values = (0..chunk.len())
            .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO changes (article_id, kind, at) VALUES {values}");
        let mut q = sqlx::query(&sql);
        for (id, kind) in chunk {
            q = q.bind(*id).bind(kind.as_str()).bind(now);
        }
        q.execute(&mut *conn).await?;
    }
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(CHANNEL)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl Store {
    /// The last change this process has seen: the content version caches
    /// are stamped with. Moves whenever any process writes.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    /// A receiver that wakes whenever [`Store::version`] moves.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.version_tx.subscribe()
    }

    /// The newest position in the database's log, seen or not.
    pub async fn last_seq(&self) -> anyhow::Result<u64> {
        let row = sqlx::query("SELECT COALESCE(MAX(seq), 0) AS seq FROM changes")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>("seq")? as u64)
    }

    /// The latest change logged for `article`: its position and kind.
    pub async fn last_change_of(&self, article: i64) -> anyhow::Result<Option<(u64, ChangeKind)>> {
        let row = sqlx::query(
            "SELECT seq, kind FROM changes WHERE article_id = $1 ORDER BY seq DESC LIMIT 1",
        )
        .bind(article)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let kind: String = row.try_get("kind")?;
        let kind = ChangeKind::parse(&kind)
            .ok_or_else(|| anyhow::anyhow!("change log: unknown kind {kind:?}"))?;
        Ok(Some((row.try_get::<i64, _>("seq")? as u64, kind)))
    }

    /// The articles changed after position `after` up to `until`, each once,
    /// from memory when this process followed that stretch, else from the
    /// table.
    pub async fn changes_between(&self, after: u64, until: u64) -> anyhow::Result<Vec<i64>> {
        if after >= until {
            return Ok(Vec::new());
        }
        let from_memory = {
            let log = self.followed.lock().unwrap_or_else(|e| e.into_inner());
            (after >= log.since).then(|| {
                log.batches
                    .iter()
                    .filter(|(pos, _)| *pos > after && *pos <= until)
                    .flat_map(|(_, ids)| ids.iter().copied())
                    .collect::<Vec<_>>()
            })
        };
        let mut ids = match from_memory {
            Some(ids) => ids,
            None => sqlx::query("SELECT article_id FROM changes WHERE seq > $1 AND seq <= $2")
                .bind(after as i64)
                .bind(until as i64)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.try_get("article_id"))
                .collect::<Result<_, _>>()?,
        };
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Reads the changes made since this process last looked (by any
    /// process). Returns the new position. Writes through this store call
    /// it before they return, so this process reads its own writes at once.
    pub async fn sync(&self) -> anyhow::Result<u64> {
        let _one_at_a_time = self.syncing.lock().await;
        loop {
            let after = self.version();
            let rows = sqlx::query(
                "SELECT seq, article_id FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
            )
            .bind(after as i64)
            .bind(READ_BATCH)
            .fetch_all(&self.pool)
            .await?;
            let Some(last) = rows.last() else {
                return Ok(after);
            };
            let position = last.try_get::<i64, _>("seq")? as u64;
            let ids = rows
                .iter()
                .map(|r| r.try_get("article_id"))
                .collect::<Result<Vec<i64>, _>>()?;
            {
                let mut log = self.followed.lock().unwrap_or_else(|e| e.into_inner());
                log.batches.push_back((position, ids));
                if log.batches.len() > MEMORY_BATCHES {
                    if let Some((pos, _)) = log.batches.pop_front() {
                        log.since = pos;
                    }
                }
            }
            self.version.store(position, Ordering::Release);
            self.version_tx.send_replace(position);
            if (rows.len() as i64) < READ_BATCH {
                return Ok(position);
            }
        }
    }

    /// Appends a `published` change for every article whose scheduled time
    /// has passed since the last follower (of any process) looked. Cheap
    /// when none is due: one indexed probe.
    async fn log_due(&self) -> anyhow::Result<()> {
        let now = jiff::Timestamp::now().as_second();
        let due = sqlx::query(
            "SELECT 1 AS due FROM articles a, change_clock c WHERE c.id = 1 \
             AND a.status = 'published' AND a.published_at > c.due_checked \
             AND a.published_at <= $1 LIMIT 1",
        )
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        if due.is_none() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        // Write first, so that the transaction holds the write lock before
        // it reads the clock row: two followers cannot both log the same
        // articles, and SQLite never has to upgrade a read to a write
        // (which fails at once when another write came in between).
        sqlx::query("UPDATE change_clock SET due_checked = due_checked WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(APPEND_LOCK)
                .execute(&mut *tx)
                .await?;
        }
        let checked: i64 = sqlx::query("SELECT due_checked FROM change_clock WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?
            .try_get("due_checked")?;
        let ids = sqlx::query(
            "SELECT id FROM articles WHERE status = 'published' \
             AND published_at > $1 AND published_at <= $2 ORDER BY id",
        )
        .bind(checked)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<Vec<i64>, _>>()?;
        sqlx::query("UPDATE change_clock SET due_checked = $1 WHERE id = 1 AND due_checked < $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let changes: Vec<_> = ids.iter().map(|&id| (id, ChangeKind::Published)).collect();
        log_changes(&mut tx, self.backend, &changes).await?;
        tx.commit().await?;
        if !ids.is_empty() {
            tracing::info!("{} scheduled article(s) became due: {ids:?}", ids.len());
        }
        Ok(())
    }

    /// Follows the log until `stop` resolves: woken by NOTIFY on
    /// PostgreSQL (polling once a second as well, in case a notification
    /// is lost with a connection), by polling on SQLite.
    pub async fn follow(&self, stop: impl std::future::Future<Output = ()>) {
        tokio::pin!(stop);
        let mut listener = match self.backend {
            Backend::Postgres => self.listen().await,
            Backend::Sqlite => None,
        };
        let poll = match self.backend {
            Backend::Postgres => POLL_POSTGRES,
            Backend::Sqlite => POLL_SQLITE,
        };
        loop {
            let notified = async {
                match listener.as_mut() {
                    Some(l) => l.recv().await.map(|_| ()),
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = &mut stop => return,
                woken = notified => {
                    if let Err(e) = woken {
                        tracing::warn!("change notifications: {e}; polling until reconnected");
                        listener = self.listen().await;
                    }
                }
                _ = tokio::time::sleep(poll) => {}
            }
            let followed = async {
                self.log_due().await?;
                self.sync().await
            };
            if let Err(e) = followed.await {
                tracing::warn!("following the change log: {e:#}");
            }
        }
    }

    async fn listen(&self) -> Option<sqlx::postgres::PgListener> {
        let connected = async {
            let mut l = sqlx::postgres::PgListener::connect(&self.url).await?;
            l.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(l)
        };
        match connected.await {
            Ok(l) => Some(l),
            Err(e) => {
                tracing::warn!("cannot LISTEN for changes ({e}); polling");
                None
            }
        }
    }
}
