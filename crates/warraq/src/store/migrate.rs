//! Migrations, embedded in the binary: one directory per backend, every
//! `NNNN_name.sql` file in it applied in order by sqlx's migrator, which
//! records them in `_sqlx_migrations`. The directories are read whole at
//! compile time, so a new file cannot be left off a list.

use std::borrow::Cow;

use include_dir::{include_dir, Dir};
use sqlx::migrate::{Migrate, Migration, MigrationType, Migrator};

use super::{Backend, Store};

static SQLITE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/store/migrations/sqlite");
static POSTGRES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/store/migrations/postgres");

/// The migrations of one directory: `(version, description, sql)`, in order.
fn files(dir: &'static Dir<'static>) -> Vec<(i64, &'static str, &'static str)> {
    let mut out: Vec<_> = dir
        .files()
        .filter_map(|f| {
            let name = f.path().file_name()?.to_str()?.strip_suffix(".sql")?;
            let (version, description) = name.split_once('_')?;
            let sql = f.contents_utf8().expect("migrations are UTF-8");
            Some((version.parse().ok()?, description, sql))
        })
        .collect();
    out.sort_by_key(|m| m.0);
    out
}

fn migrator(backend: Backend) -> Migrator {
    let dir = match backend {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres => &POSTGRES,
    };
    let migrations = files(dir)
        .into_iter()
        .map(|(version, description, sql)| {
            Migration::new(
                version,
                Cow::Borrowed(description),
                MigrationType::Simple,
                Cow::Borrowed(sql),
                false,
            )
        })
        .collect::<Vec<_>>();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

impl Store {
    /// Applies the migrations not yet applied; returns `version description`
    /// of each one it applied, in order.
    pub async fn migrate(&self) -> anyhow::Result<Vec<String>> {
        let migrator = migrator(self.backend);
        let before = {
            let mut conn = self.pool.acquire().await?;
            conn.ensure_migrations_table().await?;
            conn.list_applied_migrations()
                .await?
                .into_iter()
                .map(|m| m.version)
                .collect::<Vec<_>>()
        };
        migrator.run(&self.pool).await?;
        Ok(migrator
            .iter()
            .filter(|m| !before.contains(&m.version))
            .map(|m| format!("{:04} {}", m.version, m.description))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migrations() {
        let names = |dir| {
            files(dir)
                .into_iter()
                .map(|(v, d, _)| (v, d))
                .collect::<Vec<_>>()
        };
        let sqlite = names(&SQLITE);
        assert!(sqlite.len() >= 4, "{sqlite:?}");
        assert_eq!(sqlite, names(&POSTGRES));
        for (i, (version, _)) in sqlite.iter().enumerate() {
            assert_eq!(*version, i as i64 + 1, "migrations are numbered 1, 2, 3, …");
        }
    }
}
