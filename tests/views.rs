//! First-party view counting over HTTP, on SQLite and PostgreSQL: the
//! beacon and the pixel, what is not counted, flushes, several nodes on one
//! database, a graceful stop, roll-ups, most-read lists and the digest.

mod common;

use common::{test_config, Backend, TestSite};
use serde_json::Value;
use warraq::stats::{hour_of, MostReadQuery, Stats, Window};

on_both_backends!(
    a_beacon_counts_once_per_reader,
    what_is_not_counted,
    bad_hits_get_clear_errors,
    nodes_sum_exactly_and_a_graceful_stop_loses_nothing,
    old_hours_roll_up_into_days,
    most_read_lists_filters_and_widget,
    digest_for_whatsapp,
);

const PHONE: &str = "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36";
const LAPTOP: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

async fn hit(site: &TestSite, id: i64, ua: Option<&str>, extra: &[(&str, &str)]) -> u16 {
    common::post_hit(&site.client, &site.base, id, ua, extra).await
}

async fn ids(site: &TestSite, lang: &str) -> Vec<i64> {
    let list = site
        .json(&format!("/api/v1/articles?lang={lang}&limit=100"), 200)
        .await;
    list["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect()
}

async fn views(site: &TestSite, id: i64) -> Value {
    site.json(&format!("/api/v1/articles/{id}/views"), 200)
        .await
}

fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .unwrap_or_else(|| panic!("no metric {name}"))
        .parse()
        .unwrap()
}

async fn a_beacon_counts_once_per_reader(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let id = ids(&site, "ar").await[3];
    assert_eq!(hit(&site, id, Some(PHONE), &[]).await, 204);
    assert_eq!(
        hit(&site, id, Some(PHONE), &[]).await,
        204,
        "a reload answers the same"
    );
    assert_eq!(hit(&site, id, Some(LAPTOP), &[]).await, 204);
    // JSON from fetch() is accepted too.
    let r = site
        .client
        .post(site.url("/hit"))
        .header("user-agent", "Mozilla/5.0 (iPhone) Safari/605")
        .header("content-type", "application/json")
        .body(format!("{{\"id\": {id}}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    // The pixel, for readers without JavaScript: an image, no text.
    let pixel = site
        .client
        .get(site.url(&format!("/hit.gif?a={id}")))
        .header("user-agent", "Mozilla/5.0 (Windows NT 10.0) Edge/131")
        .send()
        .await
        .unwrap();
    assert_eq!(pixel.status(), 200);
    assert_eq!(pixel.headers()["content-type"], "image/gif");
    assert!(pixel.headers().get("set-cookie").is_none());
    assert!(pixel.bytes().await.unwrap().starts_with(b"GIF89a"));

    assert_eq!(
        views(&site, id).await["24h"],
        0,
        "nothing counted before the flush"
    );
    assert_eq!(site.app.stats.buffered(), 4);
    site.app.stats.flush().await.unwrap();
    let v = views(&site, id).await;
    assert_eq!(
        v,
        serde_json::json!({"24h": 4, "7d": 4, "30d": 4, "all": 4})
    );
    let metrics = site.text("/metrics", 200).await;
    assert_eq!(metric(&metrics, "warraq_hits_accepted_total"), 4);
    assert_eq!(
        metric(&metrics, "warraq_hits_rejected_total{reason=\"duplicate\"}"),
        1
    );
    assert_eq!(metric(&metrics, "warraq_hits_buffered"), 0);
    assert_eq!(metric(&metrics, "warraq_flush_duration_seconds_count"), 1);

    // The counts are in the database: a fresh process sees them.
    let fresh = Stats::new(site.store.clone(), Default::default())
        .await
        .unwrap();
    assert_eq!(fresh.article_views(id)[3].1, 4);
    site.stop().await;
}

async fn what_is_not_counted(backend: Backend) {
    let mut config = test_config();
    config.stats.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    let site = TestSite::start(backend, config, true).await;
    let id = ids(&site, "ar").await[0];
    assert_eq!(hit(&site, id, None, &[]).await, 204);
    assert_eq!(
        hit(
            &site,
            id,
            Some("Mozilla/5.0 (compatible; Googlebot/2.1)"),
            &[]
        )
        .await,
        204
    );
    assert_eq!(
        hit(
            &site,
            id,
            Some(PHONE),
            &[("sec-purpose", "prefetch;prerender")]
        )
        .await,
        204
    );
    assert_eq!(
        hit(&site, id, Some(PHONE), &[("cookie", "warraq_session=abc")]).await,
        204
    );
    site.app.stats.flush().await.unwrap();
    assert_eq!(views(&site, id).await["all"], 0);
    let metrics = site.text("/metrics", 200).await;
    for reason in ["no_user_agent", "bot", "prefetch", "newsroom_user"] {
        assert_eq!(
            metric(
                &metrics,
                &format!("warraq_hits_rejected_total{{reason=\"{reason}\"}}")
            ),
            1,
            "{reason}"
        );
    }
    // Behind a trusted proxy, readers are told apart by X-Forwarded-For.
    assert_eq!(
        hit(
            &site,
            id,
            Some(PHONE),
            &[("x-forwarded-for", "203.0.113.1")]
        )
        .await,
        204
    );
    assert_eq!(
        hit(
            &site,
            id,
            Some(PHONE),
            &[("x-forwarded-for", "203.0.113.2")]
        )
        .await,
        204
    );
    assert_eq!(
        hit(
            &site,
            id,
            Some(PHONE),
            &[("x-forwarded-for", "203.0.113.2")]
        )
        .await,
        204
    );
    site.app.stats.flush().await.unwrap();
    assert_eq!(views(&site, id).await["all"], 2);
    site.stop().await;

    // Without a trusted proxy the header is ignored: one reader.
    let site = TestSite::demo(backend).await;
    let id = ids(&site, "ar").await[0];
    for addr in ["203.0.113.1", "203.0.113.2"] {
        hit(&site, id, Some(PHONE), &[("x-forwarded-for", addr)]).await;
    }
    site.app.stats.flush().await.unwrap();
    assert_eq!(views(&site, id).await["all"], 1);
    site.stop().await;
}

async fn bad_hits_get_clear_errors(backend: Backend) {
    let site = TestSite::demo(backend).await;
    assert_eq!(
        hit(&site, 999_999, Some(PHONE), &[]).await,
        404,
        "unknown article"
    );
    let post = |ct: &'static str, body: String| {
        site.client
            .post(site.url("/hit"))
            .header("user-agent", PHONE)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let r = post("text/plain", "{\"id\":\"x\"}".into()).await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("{\"id\": N}"));
    assert_eq!(
        post("text/plain", "not json".into())
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        post("application/x-www-form-urlencoded", "id=1".into())
            .await
            .unwrap()
            .status(),
        415
    );
    assert_eq!(
        post(
            "text/plain",
            format!("{{\"id\":1,\"pad\":\"{}\"}}", "x".repeat(1000))
        )
        .await
        .unwrap()
        .status(),
        413
    );
    let pixel = site
        .client
        .get(site.url("/hit.gif?a=abc"))
        .header("user-agent", PHONE)
        .send()
        .await
        .unwrap();
    assert_eq!(pixel.status(), 400);
    let pixel = site
        .client
        .get(site.url("/hit.gif?a=999999"))
        .header("user-agent", PHONE)
        .send()
        .await
        .unwrap();
    assert_eq!(pixel.status(), 404);
    site.app.stats.flush().await.unwrap();
    let metrics = site.text("/metrics", 200).await;
    assert_eq!(metric(&metrics, "warraq_hits_accepted_total"), 0);
    assert_eq!(
        metric(
            &metrics,
            "warraq_hits_rejected_total{reason=\"bad_request\"}"
        ),
        5
    );
    assert_eq!(
        metric(
            &metrics,
            "warraq_hits_rejected_total{reason=\"unknown_article\"}"
        ),
        2
    );
    site.stop().await;
}

async fn nodes_sum_exactly_and_a_graceful_stop_loses_nothing(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let node = site.node(test_config()).await;
    let id = ids(&site, "en").await[0];
    for i in 0..30 {
        let ua = format!("{LAPTOP} reader/{i}");
        let target = if i % 3 == 0 { &node } else { &site };
        assert_eq!(hit(target, id, Some(&ua), &[]).await, 204);
    }
    site.app.stats.flush().await.unwrap();
    node.app.stats.flush().await.unwrap();
    site.app.stats.resync().await.unwrap();
    assert_eq!(views(&site, id).await["all"], 30, "20 + 10 from two nodes");
    // Hits still buffered when a node stops are flushed on the way out.
    for i in 0..7 {
        hit(&node, id, Some(&format!("{PHONE} late/{i}")), &[]).await;
    }
    assert_eq!(node.app.stats.buffered(), 7);
    node.stop().await;
    site.app.stats.resync().await.unwrap();
    assert_eq!(views(&site, id).await["all"], 37);
    site.stop().await;
}

async fn old_hours_roll_up_into_days(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let id = ids(&site, "ar").await[5];
    let now = hour_of(jiff::Timestamp::now().as_second());
    let old = now - 10 * 24;
    site.store
        .add_views(&[(id, old, 5), (id, old + 1, 6), (id, now, 1)])
        .await
        .unwrap();
    assert_eq!(site.store.roll_up_views(now - 7 * 24).await.unwrap(), 2);
    assert_eq!(
        site.store.roll_up_views(now - 7 * 24).await.unwrap(),
        0,
        "nothing twice"
    );
    site.app.stats.resync().await.unwrap();
    let v = views(&site, id).await;
    assert_eq!(v["24h"], 1);
    assert_eq!(v["7d"], 1);
    assert_eq!(v["30d"], 12, "rolled-up days still count in 30 days");
    assert_eq!(v["all"], 12);
    site.stop().await;
}

async fn most_read_lists_filters_and_widget(backend: Backend) {
    let mut config = test_config();
    config.page_cache_seconds = 0;
    let site = TestSite::start(backend, config, true).await;
    let ar = ids(&site, "ar").await;
    let en = ids(&site, "en").await;
    // Article ar[2] gets 3 readers, ar[0] 2, en[0] 5, ar[1] 2 (ties: newer first).
    for (id, readers) in [(ar[2], 3), (ar[0], 2), (en[0], 5), (ar[1], 2)] {
        for r in 0..readers {
            hit(&site, id, Some(&format!("{PHONE} r{r}")), &[]).await;
        }
    }
    site.app.stats.flush().await.unwrap();
    let list = site
        .json("/api/v1/most-read?window=24h&lang=ar&limit=10", 200)
        .await;
    let got: Vec<(i64, u64)> = list["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_i64().unwrap(), a["views"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![(ar[2], 3), (ar[0], 2), (ar[1], 2)],
        "ties go to the newer article"
    );
    assert!(
        list["articles"][0]["headline"].is_string(),
        "articles in the API's shape"
    );
    let all = site.json("/api/v1/most-read?window=all", 200).await;
    assert_eq!(all["articles"][0]["id"], en[0]);
    let limited = site.json("/api/v1/most-read?window=7d&limit=1", 200).await;
    assert_eq!(limited["articles"].as_array().unwrap().len(), 1);
    let custom = site
        .json(
            "/api/v1/most-read?window=custom&days=0&hours=2&lang=en",
            200,
        )
        .await;
    assert_eq!(custom["articles"][0]["id"], en[0]);
    let section = site
        .json(
            &format!(
                "/api/v1/most-read?window=30d&section={}",
                list["articles"][0]["sections"][0]["slug"].as_str().unwrap()
            ),
            200,
        )
        .await;
    assert!(section["articles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["id"] == ar[2]));
    let err = site.json("/api/v1/most-read?window=week", 400).await;
    assert!(err["error"]["message"].as_str().unwrap().contains("week"));
    site.json("/api/v1/most-read?window=custom", 400).await;
    site.json("/api/v1/articles/999999/views", 404).await;

    // In memory, the answer is the same as from the API.
    let mut q = MostReadQuery::new(Window::Day, 3);
    q.lang = Some(warraq::model::Lang::Ar);
    assert_eq!(site.app.stats.most_read(&q), got);

    // The widget on the home page and on article pages, in its language.
    let home = site.text("/", 200).await;
    let widget = &home[home
        .find("class=\"most-read\"")
        .expect("widget on the home page")..];
    assert!(widget.contains("الأكثر قراءة"));
    let first = list["articles"][0]["headline"].as_str().unwrap();
    assert!(widget.contains(first));
    let page = site
        .text(list["articles"][1]["url"].as_str().unwrap(), 200)
        .await;
    let widget = &page[page
        .find("class=\"most-read\"")
        .expect("widget on article pages")..];
    assert!(widget.contains(first));
    assert!(
        !widget.contains(list["articles"][1]["headline"].as_str().unwrap()),
        "not the article itself"
    );
    let en_home = site.text("/en/", 200).await;
    assert!(en_home.contains("Most read"));
    assert!(
        !en_home[en_home.find("class=\"most-read\"").unwrap()..].contains(first),
        "English widget lists English articles"
    );
    site.stop().await;
}

async fn digest_for_whatsapp(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let ar = ids(&site, "ar").await;
    for (n, id) in ar.iter().take(7).enumerate() {
        for r in 0..(7 - n) {
            hit(&site, *id, Some(&format!("{PHONE} d{r}")), &[]).await;
        }
    }
    site.app.stats.flush().await.unwrap();
    let text = site
        .text("/api/v1/digest?window=24h&limit=5&lang=ar", 200)
        .await;
    assert!(text.starts_with("صباح الخير!"), "{text}");
    assert!(text.chars().count() <= 4096);
    assert!(!text.contains('<') && !text.contains('>'), "no markup");
    let list = site
        .json("/api/v1/most-read?window=24h&lang=ar&limit=5", 200)
        .await;
    for (i, a) in list["articles"].as_array().unwrap().iter().enumerate() {
        let headline = a["headline"]
            .as_str()
            .unwrap()
            .replace(['*', '_', '~', '`'], "");
        assert!(
            text.contains(&format!("{}. *{}*\n", i + 1, headline)),
            "item {i}: {text}"
        );
        assert!(text.contains(&format!(
            "\nhttps://news.example{}",
            a["url"].as_str().unwrap()
        )));
    }
    assert!(!text.contains("6. *"), "five stories");
    site.stop().await;
}
