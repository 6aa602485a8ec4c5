//! What the newsroom's day keeps around articles besides the articles:
//! who has one open (edit locks), the copies the editor autosaves, the key
//! preview links are signed with, and scheduled articles nobody announced.

use sqlx::Row;

use super::{now, Store};

/// Who holds the lock on an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditLock {
    pub user_id: i64,
    pub name: String,
    pub taken_at: jiff::Timestamp,
    pub seen_at: jiff::Timestamp,
}

/// What asking for a lock came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Locking {
    /// The caller holds it (now, or still).
    Held,
    /// Someone else does, and reported within the lock's life.
    Taken(EditLock),
}

/// An autosaved copy: the write API's fields as JSON, and the revision of
/// the article it was made from.
#[derive(Clone, Debug)]
pub struct Autosave {
    pub revision: i64,
    pub content: String,
    pub saved_at: jiff::Timestamp,
}

impl Store {
    /// Takes or keeps the lock on `article` for `user`: free, stale (not
    /// seen for `life_secs`), or already theirs. With `take_over`, takes it
    /// from whoever holds it.
    pub async fn lock_article(
        &self,
        article: i64,
        user: i64,
        life_secs: i64,
        take_over: bool,
    ) -> anyhow::Result<Locking> {
        let now = now();
        let mut tx = self.pool.begin().await?;
        // Write first: the statement takes the row (or SQLite's write lock),
        // so two editors opening the article at once cannot both win.
        let claimed = sqlx::query(
            "INSERT INTO edit_locks (article_id, user_id, taken_at, seen_at) VALUES ($1, $2, $3, $3) \
             ON CONFLICT (article_id) DO UPDATE SET \
               taken_at = CASE WHEN edit_locks.user_id = excluded.user_id THEN edit_locks.taken_at ELSE excluded.taken_at END, \
               user_id = excluded.user_id, seen_at = excluded.seen_at \
             WHERE edit_locks.user_id = excluded.user_id OR edit_locks.seen_at < $4 OR $5 = 1",
        )
        .bind(article)
        .bind(user)
        .bind(now)
        .bind(now - life_secs)
        .bind(take_over as i64)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let outcome = if claimed > 0 {
            Locking::Held
        } else {
            Locking::Taken(
                lock_of(&mut tx, article)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("the lock on article {article} vanished"))?,
            )
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// Who holds the lock on `article`, if anyone reported within `life_secs`.
    pub async fn article_lock(
        &self,
        article: i64,
        life_secs: i64,
    ) -> anyhow::Result<Option<EditLock>> {
        let mut conn = self.pool.acquire().await?;
        let lock = lock_of(&mut conn, article).await?;
        Ok(lock.filter(|l| l.seen_at.as_second() >= now() - life_secs))
    }

    /// Lets go of `article` if `user` holds it.
    pub async fn unlock_article(&self, article: i64, user: i64) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM edit_locks WHERE article_id = $1 AND user_id = $2")
            .bind(article)
            .bind(user)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Keeps `content` as `user`'s autosaved copy of `article` (0: a new
    /// article), replacing the one before.
    pub async fn autosave(
        &self,
        user: i64,
        article: i64,
        revision: i64,
        content: &str,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO autosaves (user_id, article_id, revision, content, saved_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, article_id) DO UPDATE SET \
             revision = excluded.revision, content = excluded.content, saved_at = excluded.saved_at",
        )
        .bind(user)
        .bind(article)
        .bind(revision)
        .bind(content)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn autosaved(&self, user: i64, article: i64) -> anyhow::Result<Option<Autosave>> {
        let row = sqlx::query(
            "SELECT revision, content, saved_at FROM autosaves WHERE user_id = $1 AND article_id = $2",
        )
        .bind(user)
        .bind(article)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Autosave {
                revision: r.try_get("revision")?,
                content: r.try_get("content")?,
                saved_at: super::timestamp(r.try_get("saved_at")?)?,
            })
        })
        .transpose()
    }

    /// Drops `user`'s autosaved copy of `article`: it was saved, or thrown away.
    pub async fn drop_autosave(&self, user: i64, article: i64) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM autosaves WHERE user_id = $1 AND article_id = $2")
            .bind(user)
            .bind(article)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The shared secret called `name`, made from `fresh` by whichever
    /// process asks first; every node then reads the same one.
    pub async fn site_key(&self, name: &str, fresh: &str) -> anyhow::Result<String> {
        sqlx::query(
            "INSERT INTO site_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(fresh)
        .execute(&self.pool)
        .await?;
        Ok(sqlx::query("SELECT value FROM site_keys WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?
            .try_get("value")?)
    }

    /// Scheduled articles whose time passed more than `grace_secs` ago and
    /// that no process has announced as live yet (see [`super::changes`]):
    /// how many, and the time of the oldest. A scheduler that stopped.
    pub async fn overdue(&self, grace_secs: i64) -> anyhow::Result<(i64, Option<jiff::Timestamp>)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(a.published_at) AS oldest FROM articles a, change_clock c \
             WHERE c.id = 1 AND a.status = 'published' AND a.published_at > c.due_checked \
             AND a.published_at <= $1",
        )
        .bind(now() - grace_secs)
        .fetch_one(&self.pool)
        .await?;
        let oldest: Option<i64> = row.try_get("oldest")?;
        Ok((row.try_get("n")?, oldest.map(super::timestamp).transpose()?))
    }
}

async fn lock_of(conn: &mut sqlx::AnyConnection, article: i64) -> anyhow::Result<Option<EditLock>> {
    let row = sqlx::query(
        "SELECT l.user_id, u.name, l.taken_at, l.seen_at FROM edit_locks l \
         JOIN users u ON u.id = l.user_id WHERE l.article_id = $1",
    )
    .bind(article)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(EditLock {
            user_id: r.try_get("user_id")?,
            name: r.try_get("name")?,
            taken_at: super::timestamp(r.try_get("taken_at")?)?,
            seen_at: super::timestamp(r.try_get("seen_at")?)?,
        })
    })
    .transpose()
}
