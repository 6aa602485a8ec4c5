//! Back-office accounts: users, their second factor and recovery codes.
//! Hashes are made by [`crate::auth`]; this module only keeps them.

use anyhow::Context;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::log_audit;
use super::{now, parse_column, timestamp, Store};
use crate::model::{Actor, AuditAction, Lang, Role, User};

/// What signing in needs besides the user: the password hash and the
/// second factor.
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    pub totp_secret: Option<String>,
    pub totp_last_step: i64,
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub lang: Lang,
    pub password_hash: &'a str,
    pub author_id: Option<i64>,
}

const USER_COLUMNS: &str =
    "u.id, u.email, u.name, u.role, u.author_id, u.lang, u.disabled, u.created_at, \
     u.totp_secret, u.password_hash, u.totp_last_step";

fn user_of_row(row: &AnyRow) -> anyhow::Result<User> {
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role: parse_column(row, "role")?,
        author_id: row.try_get("author_id")?,
        lang: parse_column(row, "lang")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        totp: row.try_get::<Option<String>, _>("totp_secret")?.is_some(),
        created_at: timestamp(row.try_get("created_at")?)?,
    })
}

impl Store {
    /// Adds an account (`email` already normalised). Fails, naming the
    /// address, when it is taken.
    pub async fn add_user(&self, u: &NewUser<'_>, by: &Actor) -> anyhow::Result<i64> {
        // The write comes first: a SQLite transaction that reads and then
        // writes fails at once if another process wrote in between.
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO users (email, name, role, lang, password_hash, author_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (email) DO NOTHING RETURNING id",
        )
        .bind(u.email)
        .bind(u.name.trim())
        .bind(u.role.as_str())
        .bind(u.lang.code())
        .bind(u.password_hash)
        .bind(u.author_id)
        .bind(now())
        .fetch_optional(&mut *tx)
        .await
        .with_context(|| format!("cannot add user {:?}", u.email))?;
        let Some(row) = row else {
            anyhow::bail!("there is already a user with e-mail {:?}", u.email);
        };
        let id: i64 = row.try_get("id")?;
        log_audit(&mut tx, by, AuditAction::UserAdd, u.email, u.role.as_str()).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn credentials(&self, email: &str) -> anyhow::Result<Option<Credentials>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.email = $1"
        ))
        .bind(email)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Credentials {
                user: user_of_row(&row)?,
                password_hash: row.try_get("password_hash")?,
                totp_secret: row.try_get("totp_secret")?,
                totp_last_step: row.try_get("totp_last_step")?,
            })
        })
        .transpose()
    }

    pub async fn user(&self, id: i64) -> anyhow::Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_of_row).transpose()
    }

    pub async fn user_by_email(&self, email: &str) -> anyhow::Result<Option<User>> {
        Ok(self.credentials(email).await?.map(|c| c.user))
    }

    /// Every account, by e-mail.
    pub async fn users(&self) -> anyhow::Result<Vec<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.email"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_of_row).collect()
    }

    pub async fn set_role(&self, user: &User, role: Role, by: &Actor) -> anyhow::Result<()> {
        let detail = format!("{} → {}", user.role, role);
        self.update_user(
            user,
            "role = $1",
            role.as_str().to_string(),
            by,
            AuditAction::RoleChange,
            &detail,
        )
        .await
    }

    /// Disables or enables an account. A disabled account's sessions end
    /// at once, and its tokens stop working.
    pub async fn set_disabled(
        &self,
        user: &User,
        disabled: bool,
        by: &Actor,
    ) -> anyhow::Result<()> {
        let action = if disabled {
            AuditAction::UserDisable
        } else {
            AuditAction::UserEnable
        };
        self.update_user(user, "disabled = $1", disabled as i64, by, action, "")
            .await
    }

    /// A new password: every other session of the account ends (whoever
    /// knew the old one is out).
    pub async fn set_password(
        &self,
        user: &User,
        hash: &str,
        keep_session: Option<&str>,
        by: &Actor,
    ) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
            .bind(user.id)
            .bind(keep_session.unwrap_or(""))
            .execute(&mut *tx)
            .await?;
        log_audit(&mut tx, by, AuditAction::PasswordChange, &user.email, "").await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_user_lang(&self, user: &User, lang: Lang, by: &Actor) -> anyhow::Result<()> {
        let detail = format!("lang = {lang}");
        self.update_user(
            user,
            "lang = $1",
            lang.code().to_string(),
            by,
            AuditAction::SettingsChange,
            &detail,
        )
        .await
    }

    async fn update_user<T>(
        &self,
        user: &User,
        set: &str,
        value: T,
        by: &Actor,
        action: AuditAction,
        detail: &str,
    ) -> anyhow::Result<()>
    where
        T: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Send,
    {
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!("UPDATE users SET {set} WHERE id = $2"))
            .bind(value)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        if action == AuditAction::UserDisable {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
        }
        log_audit(&mut tx, by, action, &user.email, detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Turns the second factor on with `secret` and replaces the recovery
    /// codes (their digests); `None` turns it off and drops them.
    pub async fn set_totp(
        &self,
        user: &User,
        secret: Option<(&str, &[String])>,
        by: &Actor,
    ) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET totp_secret = $1, totp_last_step = 0 WHERE id = $2")
            .bind(secret.map(|(s, _)| s.to_string()))
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        for digest in secret.map(|(_, codes)| codes).unwrap_or_default() {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(user.id)
                .bind(digest)
                .execute(&mut *tx)
                .await?;
        }
        let action = match secret {
            Some(_) => AuditAction::TotpEnable,
            None => AuditAction::TotpReset,
        };
        log_audit(&mut tx, by, action, &user.email, "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks TOTP step `step` used by `user`; false when it, or a later
    /// one, was used already (a replayed code). Atomic, so two nodes
    /// cannot both accept one code.
    pub async fn use_totp_step(&self, user_id: i64, step: i64) -> anyhow::Result<bool> {
        let rows = sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
        )
        .bind(step)
        .bind(user_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(rows == 1)
    }

    /// Uses up the recovery code with digest `code_hash`; false when there
    /// is none unused.
    pub async fn use_recovery_code(&self, user_id: i64, code_hash: &str) -> anyhow::Result<bool> {
        let rows = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 \
             WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(now())
        .bind(user_id)
        .bind(code_hash)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(rows == 1)
    }

    pub async fn recovery_codes_left(&self, user_id: i64) -> anyhow::Result<i64> {
        Ok(sqlx::query(
            "SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?)
    }
}
