//! Migrations, embedded in the binary: one directory per backend, applied by
//! sqlx's migrator, which records them in `_sqlx_migrations`.

use std::borrow::Cow;

use sqlx::migrate::{Migrate, Migration, MigrationType, Migrator};

use super::{Backend, Store};

/// One list per backend: (version, description, SQL), in order.
macro_rules! migrations {
    ($dir:literal: $(($version:literal, $name:literal, $file:literal)),* $(,)?) => {
        &[$(($version, $name, include_str!(concat!("migrations/", $dir, "/", $file)))),*]
    };
}

const SQLITE: &[(i64, &str, &str)] = migrations!("sqlite":
    (1, "newsroom", "0001_newsroom.sql"),
    (2, "views", "0002_views.sql"),
    (3, "related", "0003_related.sql"),
);

const POSTGRES: &[(i64, &str, &str)] = migrations!("postgres":
    (1, "newsroom", "0001_newsroom.sql"),
    (2, "views", "0002_views.sql"),
    (3, "related", "0003_related.sql"),
);

fn migrator(backend: Backend) -> Migrator {
    let files = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    let migrations = files
        .iter()
        .map(|&(version, description, sql)| {
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
