//! The audit log: who did what, when, from where. Entries are written in
//! the transaction of what they record, so an action and its entry are
//! stored together or not at all; the database refuses to change or
//! remove one (see migration 0006).

use sqlx::{AnyConnection, Row};

use super::read::Page;
use super::{now, timestamp, Store};
use crate::model::{Actor, AuditAction, AuditEntry};

pub(super) async fn log_audit(
    conn: &mut AnyConnection,
    by: &Actor,
    action: AuditAction,
    target: &str,
    detail: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, actor, address, action, target, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now())
    .bind(by.user_id)
    .bind(&by.name)
    .bind(&by.address)
    .bind(action.as_str())
    .bind(target)
    .bind(detail)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Records something that changed nothing else (a sign-in, a sign-out).
    pub async fn audit(
        &self,
        by: &Actor,
        action: AuditAction,
        target: &str,
        detail: &str,
    ) -> anyhow::Result<()> {
        let mut conn = self.pool.acquire().await?;
        log_audit(&mut conn, by, action, target, detail).await
    }

    /// The log, newest first, one page of it.
    pub async fn audit_log(&self, page: u32, per_page: u32) -> anyhow::Result<Page<AuditEntry>> {
        let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM audit_log")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let per_page = per_page.max(1);
        let offset = (page.max(1) as u64 - 1) * per_page as u64;
        let rows = sqlx::query(&format!(
            "SELECT id, at, user_id, actor, address, action, target, detail FROM audit_log \
             ORDER BY id DESC LIMIT {per_page} OFFSET {offset}"
        ))
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: timestamp(r.try_get("at")?)?,
                    user_id: r.try_get("user_id")?,
                    actor: r.try_get("actor")?,
                    address: r.try_get("address")?,
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Page {
            items,
            page: page.max(1),
            per_page,
            total: total as u64,
        })
    }
}
