//! Arabic search, related articles and "read also" over HTTP, on SQLite and
//! PostgreSQL.

mod common;

use common::{Backend, TestSite};
use serde_json::Value;
use warraq::model::{Lang, NewArticle, Status};

on_both_backends!(
    spelling_variants_find_the_same_articles,
    search_page_filters_snippets_and_junk,
    publish_and_unpublish_reach_the_index,
    related_articles_and_read_also,
);

async fn search(site: &TestSite, query: &str) -> Value {
    let q: String = url_encode(query);
    site.json(&format!("/api/v1/search?q={q}&limit=10"), 200)
        .await
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn ids(results: &Value) -> Vec<i64> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect()
}

async fn spelling_variants_find_the_same_articles(backend: Backend) {
    let site = TestSite::demo(backend).await;
    // (plain, variants…): each variant must find what the plain form finds.
    let cases: &[(&str, &[&str])] = &[
        (
            "أسعار الخبز",
            &["اسعار الخبز", "الأسعار والخبز", "أسعـــار الخُبز"],
        ),
        (
            "الانتخابات البلدية",
            &["الإنتخابات البلديه", "وبالانتخابات البلدية", "انتخابات بلدية"],
        ),
        ("المدرسة", &["المدرسه", "مدرسة", "للمدرسة"]),
        ("مستشفى", &["مستشفي", "المستشفى", "بالمستشفى"]),
        (
            "الطاقة الشمسية",
            &["الطاقه الشمسيه", "الطـاقة الشمسيّة", "والطاقة"],
        ),
        ("اللاجئين", &["اللاجئون", "لاجئين", "للاجئين"]),
        ("2024", &["٢٠٢٤"]),
        ("1200 صورة", &["١٢٠٠ صورة", "1200 صوره"]),
        ("إيجارات بيروت", &["ايجارات بيروت", "الإيجارات في بيروت"]),
        ("سينما", &["السينما", "ﺳﻴﻨﻤﺎ"]),
        ("کتاب", &["كتاب", "الكتاب"]),
    ];
    for (plain, variants) in cases {
        let expected = ids(&search(&site, plain).await);
        assert!(!expected.is_empty(), "{plain:?} finds nothing");
        for v in *variants {
            let got = ids(&search(&site, v).await);
            let top = &expected[..expected.len().min(3)];
            for id in top {
                assert!(
                    got.contains(id),
                    "{v:?} misses article {id} that {plain:?} finds: {got:?} vs {expected:?}"
                );
            }
        }
    }
    // English stems and mixed-script text.
    let en = ids(&site
        .json("/api/v1/search?q=housing+rents&lang=en", 200)
        .await);
    let en2 = ids(&site.json("/api/v1/search?q=rent+housed&lang=en", 200).await);
    assert!(
        !en.is_empty() && en.iter().take(2).all(|id| en2.contains(id)),
        "{en:?} {en2:?}"
    );
    site.stop().await;
}

async fn search_page_filters_snippets_and_junk(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let all = search(&site, "المياه").await;
    assert!(all["total"].as_u64().unwrap() >= 3, "{all}");
    for hit in all["hits"].as_array().unwrap() {
        let snippet = hit["snippet"].as_str().unwrap();
        // Snippets are safe HTML: only <b> for matches.
        let tags: Vec<&str> = snippet
            .split('<')
            .skip(1)
            .map(|t| t.split('>').next().unwrap())
            .collect();
        assert!(tags.iter().all(|t| *t == "b" || *t == "/b"), "{snippet}");
        assert!(hit["url"].as_str().unwrap().starts_with('/'));
        assert!(hit["headline"].is_string() && hit["score"].is_number());
    }
    assert!(
        all["hits"][0]["snippet"].as_str().unwrap().contains("<b>"),
        "a match is highlighted"
    );
    let hostile = site.json("/api/v1/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E+%D8%A7%D9%84%D9%85%D9%8A%D8%A7%D9%87", 200).await;
    assert!(!hostile.to_string().contains("<script"), "{hostile}");

    // Filters: language, section, date, sort, pagination.
    let en = site.json("/api/v1/search?q=water&lang=en", 200).await;
    let en_ids = ids(&en);
    assert!(!en_ids.is_empty());
    let ar_only = site.json("/api/v1/search?q=water&lang=ar", 200).await;
    assert!(ids(&ar_only).iter().all(|id| !en_ids.contains(id)));
    let section = site
        .json(
            "/api/v1/search?q=%D8%A7%D9%84%D9%85%D9%8A%D8%A7%D9%87&section=culture",
            200,
        )
        .await;
    for id in ids(&section) {
        let a = site.json(&format!("/api/v1/articles/{id}"), 200).await;
        assert!(a["sections"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["slug"] == "culture"));
    }
    let page2 = site
        .json(
            "/api/v1/search?q=%D8%A7%D9%84%D9%85%D9%8A%D8%A7%D9%87&limit=2&page=2",
            200,
        )
        .await;
    assert_eq!(page2["page"], 2);
    assert_eq!(
        ids(&page2),
        ids(&all)[2..4].to_vec(),
        "page 2 continues page 1"
    );

    let html = site
        .text(
            "/search?q=%D8%A7%D9%84%D9%85%D9%8A%D8%A7%D9%87&sort=date",
            200,
        )
        .await;
    assert!(html.contains("<b>") && html.contains(r#"class="card hit""#));
    let dates: Vec<&str> = html
        .split(r#"<time datetime=""#)
        .skip(1)
        .map(|s| &s[..25])
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "sort=date gives newest first");
    let en_page = site.text("/en/search?q=water", 200).await;
    assert!(
        en_page.contains(r#"<html lang="en" dir="ltr">"#)
            && en_page.contains("Results for “water”")
    );

    // Empty and junk queries get a helpful page, never a 500.
    for junk in [
        "",
        "%20%20",
        "%D9%81%D9%8A+%D9%85%D9%86",
        "%21%21%21",
        "zzzzqqq",
        "%FF%FE",
        &"a".repeat(5000),
    ] {
        let page = site
            .text(
                &format!("/search?q={junk}&page=abc&from=yesterday&to=2024-99-99"),
                200,
            )
            .await;
        assert!(page.contains(r#"role="search""#), "{junk}");
        assert!(
            page.contains("اكتبوا كلمة") || page.contains("لم نجد مقالات"),
            "{junk}"
        );
    }
    let error = site.json("/api/v1/search?q=", 400).await;
    assert!(error["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("q:"));
    assert_eq!(error["error"]["code"], "bad_request");
    site.json("/api/v1/search?q=x&lang=fr", 400).await;
    site.stop().await;
}

fn article(slug: &str, headline: &str, body: &str, days_ago: i64) -> NewArticle {
    let at = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days_ago);
    NewArticle {
        slug: slug.into(),
        lang: Lang::Ar,
        headline: headline.into(),
        standfirst: "ملخّص قصير للمقال.".into(),
        body_html: body.into(),
        author_slugs: vec!["karim-nasser".into()],
        section_slugs: vec!["politics".into()],
        tag_names: vec!["الجماعات المسلحة".into()],
        cover: None,
        status: Status::Published,
        published_at: at,
        updated_at: at,
        seo: Default::default(),
    }
}

async fn publish_and_unpublish_reach_the_index(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let word = "زعفرانيّة";
    assert_eq!(search(&site, word).await["total"], 0);
    let id = site
        .store
        .create_article(&article(
            "زعفران",
            "مزارعو الزعفرانية يعودون",
            &format!("<p>في قرية {word} يعود المزارعون.</p>"),
            0,
        ))
        .await
        .unwrap();
    assert_eq!(
        ids(&search(&site, "الزعفرانيه").await),
        vec![id],
        "published: found at once"
    );
    site.store.set_status(id, Status::Draft).await.unwrap();
    assert_eq!(search(&site, word).await["total"], 0, "unpublished: gone");
    site.store.set_status(id, Status::Published).await.unwrap();
    assert_eq!(ids(&search(&site, word).await), vec![id]);
    // A rebuilt index holds the same.
    let n = site.app.search.reindex(|_, _| {}).await.unwrap();
    assert!(n >= 45);
    assert_eq!(ids(&search(&site, word).await), vec![id]);
    site.stop().await;
}

async fn related_articles_and_read_also(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let body = |extra: &str| {
        format!(
            "<p>تتنازع الفصائل المسلحة في ريف حماة على الحواجز والطرق.</p><p>العائدون إلى القرى يدفعون الإتاوات للفصائل المسلحة عند الحواجز.</p><p>{extra}</p><p>يقول الأهالي إن الحواجز تخنق الزراعة والتجارة.</p><p>ولا يعرف أحد متى تنتهي سيطرة الفصائل.</p>"
        )
    };
    let page = site
        .store
        .create_article(&article(
            "الفصائل-والحواجز",
            "الفصائل المسلحة والحواجز في ريف حماة",
            &body("الحواجز في كل مكان."),
            2,
        ))
        .await
        .unwrap();
    let old = site
        .store
        .create_article(&article(
            "حواجز-قديمة",
            "حواجز الفصائل المسلحة في ريف حماة",
            &body("منذ سنوات والحواجز قائمة."),
            700,
        ))
        .await
        .unwrap();
    let fresh = site
        .store
        .create_article(&article(
            "حواجز-جديدة",
            "حواجز الفصائل المسلحة في ريف حماة اليوم",
            &body("هذا الأسبوع زادت الحواجز."),
            1,
        ))
        .await
        .unwrap();
    let draft = site
        .store
        .create_article(&NewArticle {
            status: Status::Draft,
            ..article(
                "مسودة-الحواجز",
                "مسودة عن حواجز الفصائل المسلحة",
                &body("مسودة."),
                1,
            )
        })
        .await
        .unwrap();
    // Related lists are computed in the background as articles change.
    site.caught_up().await;

    let related = site
        .json(&format!("/api/v1/articles/{page}/related"), 200)
        .await;
    let got: Vec<i64> = related["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert!(!got.contains(&page), "never the article itself");
    assert!(!got.contains(&draft), "never an unpublished article");
    let (p_fresh, p_old) = (
        got.iter().position(|&i| i == fresh),
        got.iter().position(|&i| i == old),
    );
    assert!(p_fresh.is_some(), "{got:?}");
    assert!(
        p_old.is_none_or(|o| p_fresh.unwrap() < o),
        "a close recent piece beats a close old one: {got:?}"
    );
    assert!(
        related["articles"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["lang"] == "ar"),
        "same language"
    );

    // Editors' pins come first.
    let pinned = site
        .json("/api/v1/articles?lang=ar&section=culture&limit=1", 200)
        .await["articles"][0]["id"]
        .as_i64()
        .unwrap();
    site.store.set_related_pins(page, &[pinned]).await.unwrap();
    let related = site
        .json(&format!("/api/v1/articles/{page}/related"), 200)
        .await;
    assert_eq!(related["articles"][0]["id"], pinned);

    // Read also: a real link between paragraphs, near 60% of the body, in
    // the page, the .txt view and the API; related cards after the body.
    let json = site.json(&format!("/api/v1/articles/{page}"), 200).await;
    let url = json["url"].as_str().unwrap().to_string();
    let body_html = json["body_html"].as_str().unwrap();
    let aside = body_html
        .find(r#"<aside class="read-also"><p><strong>إقرأوا أيضاً:</strong> <a href=""#)
        .unwrap_or_else(|| panic!("read also in the body: {body_html}"));
    let at = aside as f64 / body_html.len() as f64;
    assert!(
        (0.3..0.85).contains(&at),
        "read also at {at:.2} of the body"
    );
    let html = site.text(&url, 200).await;
    assert!(html.contains(r#"<aside class="read-also">"#));
    let cards = &html[html
        .find(r#"<section class="related">"#)
        .expect("related cards")..];
    assert!(
        cards.contains("كريم ناصر - صحفي سوري |") || cards.contains(" - "),
        "author — role | date"
    );
    let n = cards.matches(r#"class="card related-card""#).count();
    assert!((1..=4).contains(&n), "{n} cards");
    let text = site
        .text(&format!("{}.txt", url.trim_end_matches('/')), 200)
        .await;
    assert!(text.contains("إقرأوا أيضاً:"), "read also in the clean text");
    // The per-article switch.
    site.store.set_read_also(page, false).await.unwrap();
    let json = site.json(&format!("/api/v1/articles/{page}"), 200).await;
    assert!(!json["body_html"].as_str().unwrap().contains("read-also"));
    site.stop().await;
}
