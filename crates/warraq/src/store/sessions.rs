//! The ways in: back-office sessions, API tokens, and the memory of failed
//! sign-ins that throttles password guessing. All of it lives in the
//! database, so every node sees the same sessions and the same throttle.

use sqlx::Row;

use super::audit::log_audit;
use super::{now, timestamp, Store};
use crate::model::{Actor, AuditAction, User};

/// Failures allowed before sign-in attempts are refused for a while.
pub const FREE_FAILURES: i64 = 5;
/// The first wait after those; it doubles with each further failure, up
/// to [`MAX_WAIT_SECONDS`].
const FIRST_WAIT_SECONDS: i64 = 30;
const MAX_WAIT_SECONDS: i64 = 3600;

/// A live session, as found from its cookie.
#[derive(Clone)]
pub struct Session {
    pub id_hash: String,
    pub user: User,
    pub csrf: String,
    /// Passed the password, waiting for the second factor.
    pub pending: bool,
}

/// How long sessions live: since the last request, and at most in all.
#[derive(Clone, Copy)]
pub struct SessionLife {
    pub idle_seconds: i64,
    pub absolute_seconds: i64,
}

pub struct TokenInfo {
    pub name: String,
    pub created_at: jiff::Timestamp,
    pub last_used_at: Option<jiff::Timestamp>,
}

/// How long to wait after `failures` failed attempts; zero while they are
/// few.
pub fn wait_after(failures: i64) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES).min(16) as u32;
    (FIRST_WAIT_SECONDS << doublings).min(MAX_WAIT_SECONDS)
}

impl Store {
    /// Stores a new session for `user` under the digest of its cookie,
    /// and forgets sessions that outlived `life` without being presented
    /// again, and failures older than a day.
    pub async fn create_session(
        &self,
        user_id: i64,
        id_hash: &str,
        csrf: &str,
        pending: bool,
        life: SessionLife,
    ) -> anyhow::Result<()> {
        let now = now();
        sqlx::query("DELETE FROM sessions WHERE seen_at < $1 OR created_at < $2")
            .bind(now - life.idle_seconds)
            .bind(now - life.absolute_seconds)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM login_failures WHERE last_at < $1")
            .bind(now - 24 * 3600)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf, pending, created_at, seen_at) \
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(csrf)
        .bind(pending as i64)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The session with cookie digest `id_hash`, if it is alive and its
    /// user enabled; an expired one is removed. Marks it seen (at most
    /// once a minute, so reading pages does not write on every request).
    pub async fn session(
        &self,
        id_hash: &str,
        life: SessionLife,
    ) -> anyhow::Result<Option<Session>> {
        let row = sqlx::query(
            "SELECT s.csrf, s.pending, s.created_at, s.seen_at, s.user_id FROM sessions s \
             WHERE s.id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let now = now();
        let created: i64 = row.try_get("created_at")?;
        let seen: i64 = row.try_get("seen_at")?;
        if now - seen > life.idle_seconds || now - created > life.absolute_seconds {
            self.end_session(id_hash).await?;
            return Ok(None);
        }
        let Some(user) = self.user(row.try_get("user_id")?).await? else {
            return Ok(None);
        };
        if user.disabled {
            return Ok(None);
        }
        if now - seen >= 60 {
            sqlx::query("UPDATE sessions SET seen_at = $1 WHERE id_hash = $2")
                .bind(now)
                .bind(id_hash)
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(Session {
            id_hash: id_hash.to_string(),
            user,
            csrf: row.try_get("csrf")?,
            pending: row.try_get::<i64, _>("pending")? != 0,
        }))
    }

    pub async fn end_session(&self, id_hash: &str) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Signs `user` out of every session, on every device.
    pub async fn end_sessions_of(&self, user: &User, by: &Actor) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        log_audit(&mut tx, by, AuditAction::SignOutEverywhere, &user.email, "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a token under its digest; fails when the user already has a
    /// live token of that name.
    pub async fn create_token(
        &self,
        user: &User,
        name: &str,
        token_hash: &str,
        by: &Actor,
    ) -> anyhow::Result<()> {
        // Written first, the live name's uniqueness checked by the index
        // (see `add_user` for why not a read first).
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, name) WHERE revoked_at IS NULL DO NOTHING",
        )
        .bind(user.id)
        .bind(name)
        .bind(token_hash)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        anyhow::ensure!(
            inserted == 1,
            "{} already has a token named {name:?}: revoke it first, or choose another name",
            user.email
        );
        log_audit(&mut tx, by, AuditAction::TokenCreate, &user.email, name).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The live tokens of a user, newest first.
    pub async fn tokens(&self, user_id: i64) -> anyhow::Result<Vec<TokenInfo>> {
        let rows = sqlx::query(
            "SELECT name, created_at, last_used_at FROM api_tokens \
             WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TokenInfo {
                    name: r.try_get("name")?,
                    created_at: timestamp(r.try_get("created_at")?)?,
                    last_used_at: r
                        .try_get::<Option<i64>, _>("last_used_at")?
                        .map(timestamp)
                        .transpose()?,
                })
            })
            .collect()
    }

    /// Revokes a user's live token `name`; false when there is none.
    pub async fn revoke_token(&self, user: &User, name: &str, by: &Actor) -> anyhow::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 \
             WHERE user_id = $2 AND name = $3 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(user.id)
        .bind(name)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if rows == 0 {
            return Ok(false);
        }
        log_audit(&mut tx, by, AuditAction::TokenRevoke, &user.email, name).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The enabled user whose live token has digest `token_hash`.
    pub async fn user_by_token(&self, token_hash: &str) -> anyhow::Result<Option<User>> {
        let row = sqlx::query(
            "SELECT id, user_id, last_used_at FROM api_tokens \
             WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user = self.user(row.try_get("user_id")?).await?;
        let Some(user) = user.filter(|u| !u.disabled) else {
            return Ok(None);
        };
        let now = now();
        let last: Option<i64> = row.try_get("last_used_at")?;
        if last.is_none_or(|t| now - t >= 60) {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(row.try_get::<i64, _>("id")?)
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(user))
    }

    /// Seconds to wait before another sign-in attempt under any of `keys`
    /// (`email:…`, `addr:…`) is heard; zero when it may go ahead.
    pub async fn sign_in_wait(&self, keys: &[String]) -> anyhow::Result<i64> {
        let now = now();
        let mut wait = 0;
        for key in keys {
            let row = sqlx::query("SELECT failures, last_at FROM login_failures WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
            if let Some(row) = row {
                let failures: i64 = row.try_get("failures")?;
                let last: i64 = row.try_get("last_at")?;
                wait = wait.max(last + wait_after(failures) - now);
            }
        }
        Ok(wait.max(0))
    }

    /// Counts a failed attempt under each of `keys`, and logs it.
    pub async fn sign_in_failed(&self, keys: &[String], by: &Actor) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        for key in keys {
            sqlx::query(
                "INSERT INTO login_failures (key, failures, last_at) VALUES ($1, 1, $2) \
                 ON CONFLICT (key) DO UPDATE SET failures = login_failures.failures + 1, \
                 last_at = excluded.last_at",
            )
            .bind(key)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        log_audit(&mut tx, by, AuditAction::SignInFailed, &by.name, "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets the failures under `keys` after a sign-in that worked.
    pub async fn sign_in_succeeded(&self, keys: &[String]) -> anyhow::Result<()> {
        for key in keys {
            sqlx::query("DELETE FROM login_failures WHERE key = $1")
                .bind(key)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_after_five_failures() {
        assert_eq!(wait_after(4), 0);
        assert_eq!(wait_after(5), 30);
        assert_eq!(wait_after(6), 60);
        assert_eq!(wait_after(7), 120);
        assert_eq!(wait_after(100), MAX_WAIT_SECONDS);
    }
}
