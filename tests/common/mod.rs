//! The integration-test harness: a real warraq server on 127.0.0.1:0 with a
//! fresh database — a SQLite file in a temporary directory, or a PostgreSQL
//! database created for the test when `WARRAQ_TEST_PG` holds a server URL.

#![allow(dead_code)]

pub mod staff;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use sqlx::Connection;
use tokio::sync::oneshot;
use warraq::config::Config;
use warraq::store::Store;
use warraq::web::{self, App};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs a test body once per backend: `sqlite` always, `postgres` when
/// `WARRAQ_TEST_PG` is set (and CI insists that it is).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { super::$name($crate::common::Backend::Sqlite).await; })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() {
                if $crate::common::postgres_url().is_some() {
                    super::$name($crate::common::Backend::Postgres).await;
                }
            })*
        }
    };
}

/// The PostgreSQL server to create test databases on. On CI it must be set,
/// so a missing variable cannot silently skip half the suite.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("WARRAQ_TEST_PG")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but WARRAQ_TEST_PG is not set: the PostgreSQL suite would be skipped");
    }
    url
}

/// Sends a view beacon as a browser does (`text/plain`, `{"id":N}`) to the
/// server at `base`; returns the status.
pub async fn post_hit(
    client: &reqwest::Client,
    base: &str,
    id: i64,
    user_agent: Option<&str>,
    extra_headers: &[(&str, &str)],
) -> u16 {
    let mut req = client
        .post(format!("{base}/hit"))
        .header("content-type", "text/plain;charset=UTF-8")
        .body(format!("{{\"id\":{id}}}"));
    if let Some(ua) = user_agent {
        req = req.header("user-agent", ua);
    }
    for (name, value) in extra_headers {
        req = req.header(*name, *value);
    }
    req.send().await.unwrap().status().as_u16()
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "warraq_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// A fresh, empty database for one test.
pub struct TestDb {
    pub url: String,
    dir: Option<PathBuf>,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        let name = unique_name();
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).unwrap();
                TestDb {
                    url: format!("sqlite://{}", dir.join("warraq.db").display()),
                    dir: Some(dir),
                    pg: None,
                }
            }
            Backend::Postgres => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).unwrap();
                let admin = postgres_url().expect("WARRAQ_TEST_PG");
                let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
                sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
                    .await
                    .unwrap();
                conn.close().await.unwrap();
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap();
                TestDb {
                    url: format!("{base}/{name}"),
                    dir: Some(dir),
                    pg: Some((admin, name)),
                }
            }
        }
    }

    /// The test's own search index directory.
    pub fn search_dir(&self) -> PathBuf {
        self.dir
            .as_ref()
            .expect("a test database has a directory")
            .join("search")
    }

    /// The test's own media directory.
    pub fn media_dir(&self) -> PathBuf {
        self.dir
            .as_ref()
            .expect("a test database has a directory")
            .join("media")
    }

    /// Removes the database. Called at the end of a test; a failing test
    /// leaves its database behind for inspection.
    pub async fn drop_db(self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some((admin, name)) = &self.pg {
            if let Ok(mut conn) = sqlx::PgConnection::connect(admin).await {
                let _ = sqlx::Executor::execute(
                    &mut conn,
                    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
                )
                .await;
            }
        }
    }
}

/// A running server and a client for it.
pub struct TestSite {
    pub base: String,
    pub store: Store,
    pub app: Arc<App>,
    pub client: reqwest::Client,
    pub db: TestDb,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

/// The config tests run with: small pages, so pagination shows on the demo.
pub fn test_config() -> Config {
    let mut config: Config = toml::from_str(
        r#"
        base_url = "https://news.example"
        page_size = 4
        # Tests flush view counts themselves, at the moment they choose.
        [stats]
        flush_interval_ms = 60000
        resync_seconds = 3600
        [whatsapp]
        link = "https://whatsapp.com/channel/EXAMPLE"
        text_ar = "لتلقّي أبرز قصص الورّاق على واتساب إضغط(ي) هنا!"
        "#,
    )
    .unwrap();
    config.site.ar.name = "الورّاق".into();
    config
}

impl TestSite {
    /// A server over the demo newsroom.
    pub async fn demo(backend: Backend) -> TestSite {
        Self::start(backend, test_config(), true).await
    }

    pub async fn start(backend: Backend, mut config: Config, demo: bool) -> TestSite {
        let db = TestDb::new(backend).await;
        config.search.dir.get_or_insert(db.search_dir());
        // PostgreSQL's default media directory is relative to the working
        // directory: a test keeps its files in its own directory instead.
        config.media_dir.get_or_insert(db.media_dir());
        let store = Store::connect(&db.url).await.unwrap();
        store.migrate().await.unwrap();
        if demo {
            warraq::load_demo(&store, &config).await.unwrap();
        }
        let app = Arc::new(App::new(store.clone(), config).await.unwrap());
        // Related articles are computed in the background; tests look at
        // pages only once every article has its list.
        app.backfilled().await.unwrap();
        Self::serve(app, db).await
    }

    /// Another node over the same database (and search index, which the
    /// first node holds: this one only reads it).
    pub async fn node(&self, mut config: Config) -> TestSite {
        config.search.dir.get_or_insert(self.db.search_dir());
        let store = Store::connect(&self.db.url).await.unwrap();
        let app = Arc::new(App::new(store, config).await.unwrap());
        let db = TestDb {
            url: self.db.url.clone(),
            dir: None,
            pg: None,
        };
        Self::serve(app, db).await
    }

    /// A server over the database another test site left (see
    /// [`TestSite::halt`]): a restart.
    pub async fn resume(db: TestDb, config: Config) -> TestSite {
        Self::serve_with(Self::app_over(&db, config).await, db, true).await
    }

    /// The same, answering requests but following nothing — no change log,
    /// no scheduler: what a newsroom has when the process that should
    /// announce scheduled articles is not running.
    pub async fn resume_frozen(db: TestDb, config: Config) -> TestSite {
        Self::serve_with(Self::app_over(&db, config).await, db, false).await
    }

    async fn app_over(db: &TestDb, mut config: Config) -> Arc<App> {
        config.search.dir.get_or_insert(db.search_dir());
        config.media_dir.get_or_insert(db.media_dir());
        let store = Store::connect(&db.url).await.unwrap();
        Arc::new(App::new(store, config).await.unwrap())
    }

    async fn serve(app: Arc<App>, db: TestDb) -> TestSite {
        Self::serve_with(app, db, true).await
    }

    async fn serve_with(app: Arc<App>, db: TestDb, follow: bool) -> TestSite {
        let store = app.store.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let server_app = app.clone();
        let server = tokio::spawn(async move {
            let stopped = async {
                let _ = stopped.await;
            };
            if follow {
                web::serve(listener, server_app, stopped).await.unwrap();
            } else {
                let router = web::router(server_app)
                    .into_make_service_with_connect_info::<std::net::SocketAddr>();
                axum::serve(listener, router)
                    .with_graceful_shutdown(stopped)
                    .await
                    .unwrap();
            }
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestSite {
            base,
            store,
            app,
            client,
            db,
            stop: Some(stop),
            server: Some(server),
        }
    }

    /// Waits until this server has followed the change log to where the
    /// database is now: every write made so far, by any process, is in its
    /// caches, search index, most-read index and related articles.
    pub async fn caught_up(&self) {
        let head = self.store.last_seq().await.unwrap();
        self.app.caught_up_to(head).await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// GETs `path`, asserts the status, returns the body.
    pub async fn text(&self, path: &str, status: u16) -> String {
        let response = self.get(path).await;
        let got = response.status().as_u16();
        let body = response.text().await.unwrap();
        assert_eq!(got, status, "GET {path}: {body:.500}");
        body
    }

    pub async fn json(&self, path: &str, status: u16) -> serde_json::Value {
        let body = self.text(path, status).await;
        serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {body:.300}"))
    }

    /// Stops the server and closes its store, keeping the database for
    /// [`TestSite::resume`].
    pub async fn halt(mut self) -> TestDb {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap();
        }
        self.store.close().await;
        std::mem::replace(
            &mut self.db,
            TestDb {
                url: String::new(),
                dir: None,
                pg: None,
            },
        )
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap();
        }
        self.store.close().await;
        self.db.drop_db().await;
    }
}
