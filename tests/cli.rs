//! The `warraq` binary itself: help on every command, migrate, and
//! `serve --demo` refusing to touch a newsroom that already has content.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

mod common;

use common::{Backend, TestDb};

fn warraq() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_warraq"));
    // Each test process gets its own search index, never the working
    // directory's; servers of one test share it (the first one writes).
    cmd.env(
        "WARRAQ_SEARCH_DIR",
        std::env::temp_dir().join(format!("warraq-cli-search-{}", std::process::id())),
    );
    cmd
}

#[test]
fn every_command_has_help() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["explain", "--help"],
        &["reindex", "--help"],
        &["gen", "--help"],
        &["lint", "--help"],
        &["digest", "--help"],
        &["stats", "top", "--help"],
        &["text", "tokens", "--help"],
    ] {
        let out = warraq().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Usage: warraq"), "{args:?}: {text}");
    }
}

on_both_backends!(
    migrate_then_demo_then_refuse,
    stats_top_and_digest_read_the_database,
    two_processes_sum_exactly_and_sigterm_loses_nothing,
    junk_query_strings_do_not_grow_memory,
);

/// `warraq explain` on a fresh database: every main query on an index.
#[test]
fn explain_lists_every_main_query_on_an_index() {
    let dir = std::env::temp_dir().join(format!("warraq-explain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("e.db").display());
    let out = warraq()
        .args(["explain", "--database", &db])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for query in [
        "article by slug",
        "related cards",
        "Section(1) list, Some(Ar)",
    ] {
        assert!(
            stdout.contains(&format!("ok  {query}")),
            "{query}: {stdout}"
        );
    }
    assert!(!stdout.contains("SCANS OR SORTS"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

async fn migrate_then_demo_then_refuse(backend: Backend) {
    let db = TestDb::new(backend).await;
    let out = warraq()
        .args(["migrate", "--database", &db.url])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("applied migration 0001 newsroom"),
        "{stderr}"
    );
    let again = warraq()
        .args(["migrate", "--database", &db.url])
        .output()
        .unwrap();
    assert!(again.status.success());
    assert!(
        !String::from_utf8_lossy(&again.stderr).contains("applied migration"),
        "nothing left to apply"
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("is up to date"));

    // First start with --demo loads it and serves; read the chosen port.
    let mut child = warraq()
        .args([
            "serve",
            "--demo",
            "--listen",
            "127.0.0.1:0",
            "--database",
            &db.url,
        ])
        .env_remove("WARRAQ_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("listening on http://127.0.0.1:"), "{line}");
    let base = line.trim().trim_start_matches("listening on ").to_string();
    let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
    child.kill().unwrap();
    child.wait().unwrap();

    // The demo's archive article wraps paragraphs in a page builder's
    // shortcodes: lint names them.
    let out = warraq()
        .args(["lint", "--database", &db.url])
        .output()
        .unwrap();
    assert!(out.status.success());
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("أرشيف-دور-السينما-المنسية: [vc_row] ×1: unknown shortcode"),
        "{report}"
    );
    assert!(
        !report.contains("[caption]") && !report.contains("[tptn_list]"),
        "known ones are fine: {report}"
    );

    // The second --demo must not touch what is there.
    let out = warraq()
        .args([
            "serve",
            "--demo",
            "--listen",
            "127.0.0.1:0",
            "--database",
            &db.url,
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("only into an empty database"), "{stderr}");
    db.drop_db().await;
}

#[test]
fn bad_config_says_where() {
    let dir = std::env::temp_dir().join(format!("warraq-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("warraq.toml");
    std::fs::write(&config, "time_zone = \"Mars/Olympus\"\n").unwrap();
    let out = warraq()
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(&config)
        .args([
            "--database",
            &format!("sqlite://{}", dir.join("x.db").display()),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warraq.toml") && stderr.contains("Mars/Olympus"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

async fn stats_top_and_digest_read_the_database(backend: Backend) {
    let db = TestDb::new(backend).await;
    let store = warraq::store::Store::connect(&db.url).await.unwrap();
    store.migrate().await.unwrap();
    warraq::load_demo(&store, &warraq::config::Config::default())
        .await
        .unwrap();
    let page = store
        .list_articles(&warraq::store::ArticleQuery {
            lang: Some(warraq::model::Lang::Ar),
            filter: warraq::store::ArticleFilter::All,
            page: 1,
            per_page: 2,
        })
        .await
        .unwrap();
    let (first, second) = (&page.items[0], &page.items[1]);
    let hour = warraq::stats::hour_of(jiff::Timestamp::now().as_second());
    store
        .add_views(&[(first.id, hour, 3), (second.id, hour - 2, 9)])
        .await
        .unwrap();
    store.close().await;

    let out = warraq()
        .args([
            "stats",
            "top",
            "--window",
            "24h",
            "--lang",
            "ar",
            "--database",
            &db.url,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].contains(&second.headline) && lines[0].contains(" 9 "),
        "{text}"
    );
    assert!(
        lines[1].contains(&first.headline) && lines[1].contains(" 3 "),
        "{text}"
    );

    let out = warraq()
        .args([
            "stats",
            "top",
            "--window",
            "fortnight",
            "--database",
            &db.url,
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("fortnight"));

    let out = warraq()
        .args([
            "digest",
            "--window",
            "24h",
            "--limit",
            "5",
            "--lang",
            "ar",
            "--database",
            &db.url,
        ])
        .env_remove("WARRAQ_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let digest = String::from_utf8(out.stdout).unwrap();
    assert!(
        digest.contains(&format!("1. *{}*", second.headline.replace('*', ""))),
        "{digest}"
    );
    assert!(
        digest.contains(&format!("2. *{}*", first.headline.replace('*', ""))),
        "{digest}"
    );
    db.drop_db().await;
}

fn with_stdin(args: &[&str], input: &[u8]) -> std::process::Output {
    use std::io::Write;
    let mut child = warraq()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn text_commands_from_the_shell() {
    let body = r#"[caption id="a1" width="300"]<img src="x.jpg"> صورة[/caption] “[sic]” [tptn_list limit=5]"#;
    let out = with_stdin(&["text", "shortcodes"], body.as_bytes());
    assert!(out.status.success());
    let tree: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(tree["nodes"][0]["name"], "caption");
    assert_eq!(
        tree["nodes"][0]["attrs"],
        serde_json::json!({"id": "a1", "width": "300"})
    );
    assert_eq!(
        tree["nodes"][0]["content"][0]["text"],
        "<img src=\"x.jpg\"> صورة"
    );
    assert!(
        tree["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["name"] == "sic"),
        "every name is registered by default, [sic] too: {tree}"
    );
    let out = with_stdin(
        &["text", "shortcodes", "--registered", "caption,tptn_list"],
        body.as_bytes(),
    );
    let tree: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        tree["nodes"][1],
        serde_json::json!({"type": "text", "text": " “[sic]” "})
    );
    assert_eq!(tree["nodes"][2]["attrs"]["limit"], "5");

    let out = with_stdin(
        &["text", "plain"],
        "<p>[vc_row]أول[/vc_row]</p><noscript>fbpx</noscript><p>ثانٍ &amp; “ثالث”</p>".as_bytes(),
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "أول\n\nثانٍ & “ثالث”\n"
    );

    let out = with_stdin(&["text", "normalize"], "أَحْمَد الطـــاقة ٢٠١٠".as_bytes());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "احمد الطاقه 2010");
    let out = with_stdin(&["text", "tokens"], "وبالكتاب ٢٠١٠".as_bytes());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "كتاب\n2010\n");

    let out = with_stdin(&["text", "plain"], b"ok \xff\xfe");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not UTF-8") && err.contains("offset 3"),
        "{err}"
    );
}

/// A running `warraq serve` process and the address it listens on.
struct Server {
    child: std::process::Child,
    base: String,
}

fn spawn_server(database: &str, demo: bool) -> Server {
    let mut cmd = warraq();
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--database", database])
        .env_remove("WARRAQ_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if demo {
        cmd.arg("--demo");
    }
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim().trim_start_matches("listening on ").to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{line}");
    Server { child, base }
}

impl Server {
    /// Resident memory of the server process, bytes.
    fn resident(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap();
        kb * 1024
    }

    /// SIGTERM, then wait: a graceful stop.
    fn terminate(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        assert!(
            self.child.wait().unwrap().success(),
            "warraq exits cleanly on SIGTERM"
        );
    }
}

async fn two_processes_sum_exactly_and_sigterm_loses_nothing(backend: Backend) {
    let db = TestDb::new(backend).await;
    let first = spawn_server(&db.url, true);
    let second = spawn_server(&db.url, false);
    let client = reqwest::Client::new();
    let list = client
        .get(format!("{}/api/v1/articles?limit=3", first.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let id = list["articles"][0]["id"].as_i64().unwrap();
    // 50 distinct readers, split over the two processes, and reloads.
    for reader in 0..50 {
        let server = if reader % 2 == 0 { &first } else { &second };
        let ua = format!("Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0 reader-{reader}");
        for _ in 0..2 {
            assert_eq!(
                common::post_hit(&client, &server.base, id, Some(&ua), &[]).await,
                204
            );
        }
    }
    // Buffered hits are written on the way out, whichever process holds them.
    first.terminate();
    second.terminate();
    let out = warraq()
        .args(["stats", "top", "--window", "all", "--database", &db.url])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let total: u64 = text
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .sum();
    assert_eq!(
        total, 50,
        "50 readers, each counted once, across two processes: {text}"
    );
    db.drop_db().await;
}

#[test]
fn gen_then_reindex() {
    let dir = std::env::temp_dir().join(format!("warraq-gen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("gen.db").display());
    let out = warraq()
        .args([
            "gen",
            "--articles",
            "120",
            "--lang",
            "ar",
            "--database",
            &db,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("generated 120 articles"));
    let out = warraq()
        .args(["reindex", "--database", &db])
        .env("WARRAQ_SEARCH_DIR", dir.join("search"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("indexed 120 articles"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// 10,000 requests whose query strings no handler reads (tracking
/// parameters, junk) to an article page and to the API: the server's
/// resident memory grows by less than 20 MB, as measured by its own
/// process, since none of them makes a cache entry.
async fn junk_query_strings_do_not_grow_memory(backend: Backend) {
    let db = TestDb::new(backend).await;
    let server = spawn_server(&db.url, true);
    let client = reqwest::Client::new();
    let get = |path: String| {
        let client = client.clone();
        let url = format!("{}{path}", server.base);
        async move {
            let response = client.get(&url).send().await.unwrap();
            assert_eq!(response.status(), 200, "{url}");
            response.bytes().await.unwrap();
        }
    };
    let list: serde_json::Value = serde_json::from_slice(
        &client
            .get(format!("{}/api/v1/articles?lang=ar&limit=1", server.base))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    let url = list["articles"][0]["url"].as_str().unwrap().to_string();
    let id = list["articles"][0]["id"].as_i64().unwrap();
    // Warm: the pages themselves are cached once, as they should be.
    for _ in 0..200 {
        get(format!("{url}?utm_source=warm")).await;
        get(format!("/api/v1/articles/{id}?fbclid=warm")).await;
    }
    let before = server.resident();
    for i in 0..5_000 {
        let junk = format!("utm_source=campaign{i}&fbclid={i:x}{i:x}&x{i}=y");
        get(format!("{url}?{junk}")).await;
        get(format!("/api/v1/articles/{id}?{junk}")).await;
    }
    let grown = server.resident().saturating_sub(before);
    assert!(
        grown < 20 << 20,
        "10,000 junk requests grew the server by {} MB",
        grown >> 20
    );
    server.terminate();
    db.drop_db().await;
}
