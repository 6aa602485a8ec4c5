//! WordPress import, end to end: the exports are imported by another
//! connection (as `warraq import` would be, by another process) into the
//! database a running server uses; then pages, redirects, search, most read
//! and feeds are checked over HTTP — on SQLite and PostgreSQL. The fixtures
//! of `tests/data/wxr/` are described in their README.

mod common;

use std::path::{Path, PathBuf};

use common::{post_hit, test_config, Backend, TestSite};
use warraq::import::report::Report;
use warraq::import::wxr::{Entry, WxrReader};
use warraq::import::{import_wxr, Options};
use warraq::model::Lang;
use warraq::store::Store;

on_both_backends!(
    the_theme_unit_test_imports_with_its_counts,
    block_markup_never_reaches_a_reader,
    a_bilingual_newsroom_moves_over,
    broken_exports_change_nothing,
);

fn shared(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/wxr")
        .join(name)
}

fn options(site: &TestSite) -> Options {
    Options {
        dry_run: false,
        uploads: None,
        media_dir: site.app.media_dir.clone(),
        authors: Default::default(),
        default_lang: Lang::Ar,
        time_zone: jiff::tz::TimeZone::get("Asia/Beirut").unwrap(),
    }
}

/// Imports through a store of its own, as another process would, and waits
/// until the server has followed the import.
async fn import(site: &TestSite, files: &[PathBuf], options: &Options) -> anyhow::Result<Report> {
    let store = Store::connect(&site.db.url).await.unwrap();
    let report = import_wxr(&store, files, options, |_| {}).await;
    store.close().await;
    site.caught_up().await;
    report
}

async fn empty_site(backend: Backend) -> TestSite {
    TestSite::start(backend, test_config(), false).await
}

/// Follows one redirect: the status of `path`, and of where it leads.
async fn resolve(site: &TestSite, path: &str) -> (u16, String, u16) {
    let response = site.get(path).await;
    let status = response.status().as_u16();
    if status != 301 {
        return (status, path.to_string(), status);
    }
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let then = site.get(&location).await.status().as_u16();
    (status, location, then)
}

fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    match rest.find('/') {
        Some(i) => rest[i..].to_string(),
        None => "/".into(),
    }
}

async fn the_theme_unit_test_imports_with_its_counts(backend: Backend) {
    let site = empty_site(backend).await;
    let file = shared("themeunittestdata.wordpress.xml");
    let report = import(&site, std::slice::from_ref(&file), &options(&site))
        .await
        .unwrap();
    assert_eq!(report.articles.created, 58, "{}", report.summary());
    assert_eq!(report.pages.created, 21);
    assert_eq!(report.media.created, 37);
    assert_eq!(report.sections, 68);
    assert_eq!(report.tags, 110);
    assert_eq!(report.skipped.get("nav_menu_item"), Some(&70));
    // The draft and the password-protected post are kept, not public; the
    // post scheduled for 2030 is stored published, and not due.
    let hidden: Vec<_> = report.not_public.iter().map(|n| n.wp_id).collect();
    assert_eq!(hidden, vec![1164, 1168]);
    let list = site.json("/api/v1/articles?lang=en&limit=100", 200).await;
    assert_eq!(list["total"], 55, "public posts");

    // Greek slugs are decoded, pages sit at their hierarchical paths.
    let pages = site.json("/api/v1/pages", 200).await;
    let paths: Vec<&str> = pages["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 21);
    assert!(paths.contains(&"greek/επίπεδο-2/επίπεδο-3"), "{paths:?}");
    assert!(paths.contains(&"level-1/level-2/level-3a"), "{paths:?}");
    site.text(
        "/en/greek/%CE%B5%CF%80%CE%AF%CF%80%CE%B5%CE%B4%CE%BF-2/",
        200,
    )
    .await;

    // Every public post's old link answers 200, or 301 to its page.
    let mut reader = WxrReader::new(
        std::io::BufReader::new(std::fs::File::open(&file).unwrap()),
        "theme",
    );
    let mut checked = 0;
    while let Some(entry) = reader.next_entry().unwrap() {
        let Entry::Item(item) = entry else { continue };
        let public =
            item.post_type == "post" && item.status == "publish" && item.post_password.is_empty();
        if !public {
            continue;
        }
        let (first, to, then) = resolve(&site, &path_of(&item.link)).await;
        assert!(
            first == 200 || (first == 301 && then == 200),
            "{} → {first} {to} {then}",
            item.link
        );
        let (first, _, then) = resolve(&site, &format!("/?p={}", item.post_id)).await;
        assert_eq!((first, then), (301, 200), "?p={}", item.post_id);
        checked += 1;
    }
    assert_eq!(checked, 55);
    // Category and tag archives of the old site.
    let (first, to, then) = resolve(&site, "/category/parent/child-1/").await;
    assert_eq!(
        (first, to.as_str(), then),
        (301, "/en/section/child-1/", 200)
    );
    let (first, _, then) = resolve(&site, "/tag/8bit/").await;
    assert_eq!((first, then), (301, 200));
    site.stop().await;
}

async fn block_markup_never_reaches_a_reader(backend: Backend) {
    let site = empty_site(backend).await;
    let report = import(&site, &[shared("64-block-test-data.xml")], &options(&site))
        .await
        .unwrap();
    assert!(report.articles.created >= 60, "{}", report.summary());
    let list = site.json("/api/v1/articles?lang=en&limit=100", 200).await;
    let articles = list["articles"].as_array().unwrap();
    assert!(!articles.is_empty());
    let mut captions = 0;
    for a in articles {
        let url = a["url"].as_str().unwrap();
        let stem = url.trim_end_matches('/');
        let id = a["id"].as_i64().unwrap();
        for path in [
            url.to_string(),
            format!("{stem}.txt"),
            format!("{stem}.json"),
            format!("/api/v1/articles/{id}"),
        ] {
            let body = site.text(&path, 200).await;
            assert!(!body.contains("<!-- wp:"), "{path}");
            assert!(!body.contains("<!-- /wp:"), "{path}");
            assert!(!body.contains("wp:paragraph"), "{path}");
        }
        captions += site.text(url, 200).await.matches("<figcaption").count();
    }
    assert!(captions > 10, "image captions kept: {captions}");
    let feed = site.text("/en/feed.xml", 200).await;
    assert!(!feed.contains("wp:paragraph") && !feed.contains("&lt;!-- wp:"));
    site.stop().await;
}

async fn a_bilingual_newsroom_moves_over(backend: Backend) {
    let site = empty_site(backend).await;
    let mut opts = options(&site);
    opts.uploads = Some(fixture("uploads"));
    let report = import(&site, &[fixture("newsroom.xml")], &opts)
        .await
        .unwrap();
    let summary = report.summary();
    assert_eq!(report.articles.created, 18, "{summary}");
    assert_eq!(
        (report.pages.created, report.media.created),
        (3, 2),
        "{summary}"
    );
    assert_eq!(report.translations, 1);
    assert_eq!(report.skipped.get("trash"), Some(&1));
    assert_eq!(report.skipped.get("revision"), Some(&1));
    assert_eq!(report.unknown_shortcodes.get("mystery_box"), Some(&2));
    assert_eq!(report.media_files, 3);
    assert!(report
        .warnings
        .iter()
        .any(|w| w.wp_id == 110 && w.reason.contains("ghost_writer")));
    assert!(report
        .warnings
        .iter()
        .any(|w| w.wp_id == 107 && w.reason.contains("invisible")));

    // 101: Yoast's title and description, the primary category first, its
    // English edition as an alternate.
    let (status, url101, _) = resolve(&site, "/?p=101").await;
    assert_eq!(status, 301);
    assert_eq!(url101, "/2024/03/05/gaza-port-first-ship/");
    let page = site.text(&url101, 200).await;
    assert!(
        page.contains("<title>ميناء غزّة يستقبل أول سفينة مساعدات منذ أشهر - أخبار</title>"),
        "{page:.2000}"
    );
    assert!(page.contains(
        "أول سفينة مساعدات ترسو في ميناء غزة منذ أشهر، وعلى متنها ٢٠٠ طن من الطحين والأدوية."
    ));
    assert!(page.contains(
        "hreflang=\"en\" href=\"https://news.example/en/2024/03/05/gaza-port-first-ship-en/\""
    ));
    let json = site
        .json("/2024/03/05/gaza-port-first-ship.json", 200)
        .await;
    let sections: Vec<&str> = json["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["slug"].as_str().unwrap())
        .collect();
    assert_eq!(sections, ["politics", "news"]);
    assert_eq!(json["published_at"], "2024-03-05T09:15:00+02:00");

    // 103: Co-Authors Plus bylines, deduplicated, in order.
    let (_, url103, _) = resolve(&site, "/?p=103").await;
    let json = site
        .json(&format!("{}.json", url103.trim_end_matches('/')), 200)
        .await;
    let authors: Vec<&str> = json["authors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["slug"].as_str().unwrap())
        .collect();
    assert_eq!(authors, ["omar", "layla"]);

    // 104: wpautop's paragraphs and line break, <pre> untouched, the
    // page-builder wrapper gone, images served from /media/.
    let (_, url104, _) = resolve(&site, "/?p=104").await;
    let json = site
        .json(&format!("{}.json", url104.trim_end_matches('/')), 200)
        .await;
    let body = json["body_html"].as_str().unwrap();
    assert!(body.contains("بسطته:<br>"), "{body}");
    assert!(
        body.contains("<pre>السردين    ١٥–٢٠ شيكل\n\nاللوكس     ٦٠ شيكل</pre>"),
        "{body}"
    );
    assert!(
        !body.contains("vc_row") && !body.contains("vc_column"),
        "{body}"
    );
    assert!(body.contains("/media/2024/03/gaza-port.jpg"), "{body}");
    assert!(!body.contains("akhbar.example/wp-content"), "{body}");
    let image = site.get("/media/2024/03/market-300x200.jpg").await;
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/jpeg");
    assert_eq!(site.get("/media/..%2F..%2Fetc/passwd").await.status(), 404);

    // 105 and 106 share a slug; 107 loses its invisible controls.
    assert_eq!(resolve(&site, "/?p=105").await.1, "/2024/03/08/%D8%A7%D9%86%D9%82%D8%B7%D8%A7%D8%B9-%D8%A7%D9%84%D9%83%D9%87%D8%B1%D8%A8%D8%A7%D8%A1/");
    assert!(resolve(&site, "/?p=106").await.1.ends_with("-2/"));
    let (_, url107, _) = resolve(&site, "/?p=107").await;
    let json = site
        .json(&format!("{}.json", url107.trim_end_matches('/')), 200)
        .await;
    assert_eq!(
        json["headline"],
        "عاجـــل: نتائج الانتخابات البلدية Saida 2024 في صيدا"
    );
    let slug = percent_encoding::percent_decode_str(&url107)
        .decode_utf8()
        .unwrap()
        .to_string();
    assert!(slug.ends_with("/نتائج-الانتخابات-البلدية-صيدا/"), "{slug}");

    // 108: `]]>` split across CDATA sections; 109: a long body, whole.
    let (_, url108, _) = resolve(&site, "/?p=108").await;
    let json = site
        .json(&format!("{}.json", url108.trim_end_matches('/')), 200)
        .await;
    assert_eq!(
        json["body_html"]
            .as_str()
            .unwrap()
            .matches("]]&gt;")
            .count(),
        2
    );
    let (_, url109, _) = resolve(&site, "/?p=109").await;
    let json = site
        .json(&format!("{}.json", url109.trim_end_matches('/')), 200)
        .await;
    assert!(json["body_html"]
        .as_str()
        .unwrap()
        .contains("— نهاية التقرير —"));

    // 110: a zero GMT date read in the site's zone; a missing author made.
    let (_, url110, _) = resolve(&site, "/?p=110").await;
    let json = site
        .json(&format!("{}.json", url110.trim_end_matches('/')), 200)
        .await;
    assert_eq!(json["published_at"], "2024-03-12T09:30:00+02:00");
    assert_eq!(json["authors"][0]["slug"], "ghost-writer");

    // Drafts, review, private, password-protected and scheduled: not public.
    for id in [111, 112, 113, 114, 115] {
        let (status, to, then) = resolve(&site, &format!("/?p={id}")).await;
        assert!(status == 404 || then == 404, "#{id}: {status} {to} {then}");
    }

    // 118's old slugs; 119's first sentence and featured image.
    let (_, url118, _) = resolve(&site, "/?p=118").await;
    for old in ["saida-water-plan", "saida-water-project-phase-1"] {
        let (status, to, _) = resolve(&site, &format!("/2024/03/19/{old}/")).await;
        assert_eq!((status, to.as_str()), (301, url118.as_str()));
    }
    let (_, url119, _) = resolve(&site, "/?p=119").await;
    assert_eq!(url119, "/en/2024/03/20/central-bank-holds-rates/");
    let json = site
        .json("/en/2024/03/20/central-bank-holds-rates.json", 200)
        .await;
    assert_eq!(
        json["standfirst"],
        "The central bank kept its benchmark interest rate unchanged on Wednesday, citing a fragile recovery in tourism and remittances."
    );
    assert!(site
        .text(&url119, 200)
        .await
        .contains("src=\"/media/2024/03/gaza-port.jpg\""));

    // Pages, and the archives of the old site.
    assert!(site
        .text("/about/team/", 200)
        .await
        .contains("فريق التحرير"));
    site.text("/en/contact/", 200).await;
    assert_eq!(resolve(&site, "/?page_id=302").await.1, "/about/team/");
    assert_eq!(
        resolve(&site, "/category/news/politics/").await.1,
        "/section/politics/"
    );
    assert_eq!(
        resolve(&site, "/tag/gaza/").await.1,
        "/tag/%D8%BA%D8%B2%D8%A9/"
    );
    assert_eq!(resolve(&site, "/author/omar/").await.1, "/author/omar/");

    // Search and most read know the imported articles.
    let q = percent_encoding::utf8_percent_encode("السردين", percent_encoding::NON_ALPHANUMERIC);
    let hits = site.json(&format!("/api/v1/search?q={q}"), 200).await;
    assert_eq!(hits["hits"][0]["url"], url104);
    let id104 = site
        .json(&format!("{}.json", url104.trim_end_matches('/')), 200)
        .await["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        post_hit(&site.client, &site.base, id104, None, &[]).await,
        204
    );

    // Again: nothing duplicated. Then a later export: one new, one edited.
    let again = import(&site, &[fixture("newsroom.xml")], &opts)
        .await
        .unwrap();
    assert_eq!(
        (
            again.articles.created,
            again.articles.updated,
            again.articles.unchanged
        ),
        (0, 0, 18)
    );
    let later = import(&site, &[fixture("newsroom-later.xml")], &opts)
        .await
        .unwrap();
    assert_eq!(
        (
            later.articles.created,
            later.articles.updated,
            later.articles.unchanged
        ),
        (1, 1, 1),
        "{}",
        later.summary()
    );
    assert!(site
        .text(&url101, 200)
        .await
        .contains("ويبدأ تفريغ حمولتها"));
    assert!(
        site.text(&url101, 200).await.contains("hreflang=\"en\""),
        "translation kept"
    );
    site.text(&url104, 200).await;
    site.stop().await;
}

/// Every row a run could touch, as text: equal before and after a failed run.
async fn dump(site: &TestSite) -> String {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&site.db.url).await.unwrap();
    let t = |c: &str| format!("COALESCE(CAST({c} AS TEXT), '-')");
    let mut out = String::new();
    for (table, columns, order) in [
        (
            "articles",
            "id slug headline body_html status published_at",
            "id",
        ),
        ("redirects", "source article_id page_id location", "source"),
        ("import_keys", "wp_id local_id digest", "wp_id"),
        ("changes", "seq article_id kind", "seq"),
        ("pages", "id path title body_html", "id"),
        ("media", "id url alt", "id"),
        ("sections", "id slug parent_id", "id"),
        ("authors", "id slug", "id"),
        ("tags", "id slug", "id"),
    ] {
        let row = columns
            .split(' ')
            .map(t)
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let sql = format!("SELECT {row} AS r FROM {table} ORDER BY {order}");
        for r in sqlx::query(&sql).fetch_all(&pool).await.unwrap() {
            out.push_str(&sqlx::Row::get::<String, _>(&r, "r"));
            out.push('\n');
        }
    }
    pool.close().await;
    out
}

async fn broken_exports_change_nothing(backend: Backend) {
    let site = empty_site(backend).await;
    import(&site, &[fixture("newsroom.xml")], &options(&site))
        .await
        .unwrap();
    let before = dump(&site).await;
    for (file, at) in [
        ("not-xml.xml", "line 1, column 1"),
        ("truncated.xml", "line 73, column 86"),
        ("invalid-utf8.xml", "line 40, column 31"),
        ("unknown-version.xml", "line 17, column 21"),
        ("bad-date.xml", "line 39, column 2"),
    ] {
        // A good file first: a run stops as a whole, whatever came before.
        let files = [
            fixture("newsroom-later.xml"),
            fixture(&format!("bad/{file}")),
        ];
        let error = import(&site, &files, &options(&site))
            .await
            .expect_err(file);
        let message = format!("{error:#}");
        assert!(message.contains(at), "{file}: {message}");
        assert!(message.contains(file), "{file}: {message}");
        assert_eq!(dump(&site).await, before, "{file} changed the database");
    }
    // Control characters are dropped with a warning at their place.
    let report = import(&site, &[fixture("bad/control-chars.xml")], &options(&site))
        .await
        .unwrap();
    let at: Vec<_> = report
        .warnings
        .iter()
        .filter(|w| w.reason.contains("control character"))
        .map(|w| (w.line, w.column))
        .collect();
    assert_eq!(at, [(40, 24), (40, 36)]);
    // A dry run reads everything and writes nothing.
    let before = dump(&site).await;
    let mut dry = options(&site);
    dry.dry_run = true;
    let report = import(&site, &[fixture("newsroom-later.xml")], &dry)
        .await
        .unwrap();
    assert_eq!(report.articles.total(), 3);
    assert_eq!(dump(&site).await, before);
    site.stop().await;
}

#[test]
fn the_command_line_imports_and_reports() {
    let dir = std::env::temp_dir().join(format!("warraq-import-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("w.db").display());
    let report = dir.join("report.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_warraq"))
        .args(["import", "wxr"])
        .arg(fixture("newsroom.xml"))
        .args(["--database", &db, "--report"])
        .arg(&report)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("articles: 18 new"), "{stdout}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(json["articles"]["created"], 18);
    assert_eq!(json["unknown_shortcodes"]["mystery_box"], 2);
    // A gzipped export, as large sites ship them: the same site, unchanged.
    let gz = dir.join("newsroom.xml.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    std::io::Write::write_all(
        &mut encoder,
        &std::fs::read(fixture("newsroom.xml")).unwrap(),
    )
    .unwrap();
    encoder.finish().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_warraq"))
        .args(["import", "wxr"])
        .arg(&gz)
        .args(["--database", &db])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("articles: 0 new, 0 updated, 18 unchanged"),
        "{stdout}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_warraq"))
        .args(["import", "wxr"])
        .arg(fixture("bad/truncated.xml"))
        .args(["--database", &db])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("truncated.xml: line 73, column 86"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
