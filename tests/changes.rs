//! The database is the source of truth: writes by another process, a second
//! server on the same database, and articles coming due reach every cache,
//! the search index, view counting and the lists — on SQLite and
//! PostgreSQL. Tests wait on the change log's position, never on a sleep;
//! the time-outs only bound a wait that would otherwise hang.

mod common;

use std::time::Duration;

use common::{Backend, TestSite};
use warraq::model::{Lang, NewArticle, Status};
use warraq::store::{ChangeKind, Store};

on_both_backends!(
    another_process_writes,
    a_second_server_sees_the_first_ones_writes,
    a_scheduled_article_goes_live_at_its_time,
);

const READER: &str = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131 Mobile";
/// A write must be everywhere within a second; this only stops a broken
/// follower from hanging the suite.
const AT_MOST: Duration = Duration::from_secs(10);

fn article(slug: &str, headline: &str, at: jiff::Timestamp) -> NewArticle {
    NewArticle {
        slug: slug.into(),
        lang: Lang::Ar,
        headline: headline.into(),
        standfirst: "خبر كتبته عمليّة أخرى.".into(),
        body_html: "<p>الفقرة الأولى عن الزعفران في ريف حماة.</p><p>الفقرة الثانية.</p>".into(),
        author_slugs: vec!["karim-nasser".into()],
        section_slugs: vec!["economy".into()],
        tag_names: vec!["زراعة".into()],
        cover: None,
        status: Status::Published,
        published_at: at,
        updated_at: at,
        seo: Default::default(),
    }
}

/// Waits until `site` has followed the log to `position`.
async fn follows(site: &TestSite, position: u64) {
    tokio::time::timeout(AT_MOST, site.app.caught_up_to(position))
        .await
        .unwrap_or_else(|_| panic!("the server did not reach change {position}"));
}

async fn search_ids(site: &TestSite, q: &str) -> Vec<i64> {
    let q = percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC);
    site.json(&format!("/api/v1/search?q={q}"), 200).await["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect()
}

/// What a reader of `site` finds of article `id`: (in search for `word`,
/// first in the edition's list, its page answers 200, a view counts).
async fn everywhere(site: &TestSite, id: i64, word: &str) -> (bool, bool, bool, bool) {
    let found = search_ids(site, word).await.contains(&id);
    let listed = site.json("/api/v1/articles?lang=ar&limit=1", 200).await["articles"][0]["id"]
        .as_i64()
        == Some(id);
    let page = site.get(&format!("/api/v1/articles/{id}")).await.status() == 200;
    let counted = common::post_hit(&site.client, &site.base, id, Some(READER), &[]).await == 204;
    (found, listed, page, counted)
}

async fn another_process_writes(backend: Backend) {
    let site = TestSite::demo(backend).await;
    // Fill the caches first: what a busy site has in memory.
    assert!(search_ids(&site, "زعفران").await.is_empty());
    site.json("/api/v1/articles?lang=ar&limit=1", 200).await;

    // Another process: its own connections, nothing shared in memory.
    let other = Store::connect(&site.db.url).await.unwrap();
    let id = other
        .create_article(&article(
            "زعفران-حماة",
            "الزعفران يعود إلى حقول حماة",
            jiff::Timestamp::now(),
        ))
        .await
        .unwrap();
    follows(&site, other.last_seq().await.unwrap()).await;
    assert_eq!(
        everywhere(&site, id, "زعفران").await,
        (true, true, true, true)
    );

    // Unpublished elsewhere: gone from search, lists, pages and counting.
    other.set_status(id, Status::Draft).await.unwrap();
    follows(&site, other.last_seq().await.unwrap()).await;
    assert_eq!(
        everywhere(&site, id, "زعفران").await,
        (false, false, false, false)
    );
    other.close().await;
    site.stop().await;
}

async fn a_second_server_sees_the_first_ones_writes(backend: Backend) {
    let first = TestSite::demo(backend).await;
    let mut config = common::test_config();
    // Each node keeps its own search index.
    config.search.dir = Some(first.db.search_dir().with_extension("second"));
    let second = first.node(config).await;
    assert!(search_ids(&second, "زعفران").await.is_empty());

    let id = first
        .store
        .create_article(&article(
            "زعفران-ثان",
            "الزعفران في حقول حماة من جديد",
            jiff::Timestamp::now(),
        ))
        .await
        .unwrap();
    follows(&second, first.store.version()).await;
    assert_eq!(
        everywhere(&second, id, "زعفران").await,
        (true, true, true, true)
    );
    // A view counted on the second node is one view on the first.
    second.app.stats.flush().await.unwrap();
    first.app.stats.resync().await.unwrap();
    assert_eq!(
        first
            .json(&format!("/api/v1/articles/{id}/views"), 200)
            .await["all"],
        1
    );
    second.stop().await;
    first.stop().await;
}

async fn a_scheduled_article_goes_live_at_its_time(backend: Backend) {
    let site = TestSite::demo(backend).await;
    // Times are stored in whole seconds: due at the start of a second.
    let due = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second() + 2).unwrap();
    let id = site
        .store
        .create_article(&article("زعفران-مجدول", "زعفران مجدول للنشر", due))
        .await
        .unwrap();
    follows(&site, site.store.version()).await;
    assert_eq!(
        everywhere(&site, id, "مجدول").await,
        (false, false, false, false),
        "not before its time"
    );
    // When it comes due, a follower logs it as published.
    let published = loop {
        match site.store.last_change_of(id).await.unwrap() {
            Some((seq, ChangeKind::Published)) => break seq,
            Some((seq, _)) => follows(&site, seq + 1).await,
            None => unreachable!("its creation is logged"),
        }
    };
    assert!(jiff::Timestamp::now() >= due, "not logged before its time");
    follows(&site, published).await;
    assert_eq!(
        everywhere(&site, id, "مجدول").await,
        (true, true, true, true),
        "live at its time, without a restart"
    );
    site.stop().await;
}
