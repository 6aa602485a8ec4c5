//! The public site over HTTP, on SQLite and PostgreSQL: every route in both
//! languages, structured data, the clean views, pagination, errors, the page
//! cache and the sanitiser.

mod common;

use common::{Backend, TestSite};
use serde_json::Value;
use warraq::model::{Lang, NewArticle, Status};

on_both_backends!(
    home_pages_in_both_languages,
    every_article_page_and_its_views,
    section_tag_and_author_pages,
    pagination,
    not_found_pages,
    api_lists_and_errors,
    arabic_slugs_round_trip,
    hostile_bodies_are_sanitised,
    cache_revalidation_compression_and_invalidation,
    database_failures_get_error_pages,
    home_shows_each_story_once,
);

fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].replace("&amp;", "&"))
        .collect()
}

async fn all_articles(site: &TestSite, lang: &str) -> Vec<Value> {
    let list = site
        .json(&format!("/api/v1/articles?lang={lang}&limit=100"), 200)
        .await;
    list["articles"].as_array().unwrap().clone()
}

async fn home_pages_in_both_languages(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let ar = site.text("/", 200).await;
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(ar.contains("آخر الأخبار"), "Arabic interface strings");
    let newest = &all_articles(&site, "ar").await[0];
    assert!(
        ar.contains(newest["headline"].as_str().unwrap()),
        "lead story on the home page"
    );
    assert!(ar.contains(r#"href="/en/""#), "link to the English edition");

    let en = site.text("/en/", 200).await;
    assert!(en.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(en.contains(">Latest<"));
    let newest_en = &all_articles(&site, "en").await[0];
    assert!(en.contains(newest_en["headline"].as_str().unwrap()));
    assert!(
        !en.contains(newest["headline"].as_str().unwrap()),
        "no Arabic article on the English home"
    );

    let redirect = site.get("/en").await;
    assert_eq!(redirect.status(), 308);
    assert_eq!(redirect.headers()["location"], "/en/");
    assert_eq!(site.text("/healthz", 200).await, "ok\n");
    site.stop().await;
}

async fn every_article_page_and_its_views(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let css = site.text("/static/style.css", 200).await;
    // Files in the theme's subfolders are served too (the demo's pictures),
    // each with its type; so are the back office's.
    for (path, kind) in [
        ("/static/demo/cinema.svg", "image/svg+xml"),
        ("/admin/static/editor.js", "text/javascript; charset=utf-8"),
        (
            "/admin/static/editor.LICENSES.txt",
            "text/plain; charset=utf-8",
        ),
    ] {
        let response = site.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["content-type"], kind, "{path}");
    }
    for lang in ["ar", "en"] {
        for article in all_articles(&site, lang).await {
            let url = article["url"].as_str().unwrap();
            let html = site.text(url, 200).await;
            let headline = article["headline"].as_str().unwrap();
            let standfirst = article["standfirst"].as_str().unwrap();
            assert!(
                html.contains(&format!("<h1>{headline}</h1>")),
                "{url}: headline"
            );
            assert!(
                html.contains(&format!(
                    r#"<meta name="description" content="{standfirst}">"#
                )),
                "{url}: description"
            );
            assert!(
                html.contains(&format!(
                    r#"<link rel="canonical" href="https://news.example{url}">"#
                )),
                "{url}: canonical"
            );
            assert!(html.contains(r#"<meta property="og:type" content="article">"#));
            assert!(html.contains(&format!(
                r#"<meta property="og:title" content="{headline} | "#
            )));
            let dir = if lang == "ar" { "rtl" } else { "ltr" };
            assert!(
                html.contains(&format!(r#"<html lang="{lang}" dir="{dir}">"#)),
                "{url}"
            );
            for author in article["authors"].as_array().unwrap() {
                assert!(
                    html.contains(&format!(
                        r#"rel="author">{}</a>"#,
                        author["name"].as_str().unwrap()
                    )),
                    "{url}: byline"
                );
                assert!(
                    html.contains(author["role"].as_str().unwrap()),
                    "{url}: author role"
                );
            }
            // The date as the newsroom writes it: dd.mm.yyyy.
            let iso = article["published_at"].as_str().unwrap();
            let shown = format!("{}.{}.{}", &iso[8..10], &iso[5..7], &iso[0..4]);
            assert!(
                html.contains(&format!(r#"<time datetime="{iso}">{shown}</time>"#)),
                "{url}: date {shown}"
            );
            assert!(
                html.len() + css.len() < 60 * 1024,
                "{url}: HTML + CSS is {} bytes",
                html.len() + css.len()
            );
            // With no views yet, the most-read widget renders nothing at all.
            assert!(!html.contains("most-read"), "{url}: empty widget");
            // The WhatsApp call to action is configured for Arabic only.
            assert_eq!(
                html.contains("whatsapp.com/channel/EXAMPLE"),
                lang == "ar",
                "{url}: WhatsApp"
            );

            let ld = json_ld(&html);
            assert_eq!(ld["@type"], "NewsArticle");
            assert_eq!(ld["headline"], headline);
            assert_eq!(ld["description"], standfirst);
            assert_eq!(ld["datePublished"], article["published_at"]);
            assert_eq!(ld["dateModified"], article["updated_at"]);
            assert_eq!(ld["inLanguage"], lang);
            assert_eq!(
                ld["mainEntityOfPage"]["@id"],
                format!("https://news.example{url}")
            );
            assert_eq!(
                ld["publisher"]["name"],
                if lang == "ar" {
                    "الورّاق"
                } else {
                    "Warraq"
                }
            );
            let authors = ld["author"].as_array().unwrap();
            assert_eq!(authors.len(), article["authors"].as_array().unwrap().len());
            for (ld_author, author) in authors.iter().zip(article["authors"].as_array().unwrap()) {
                assert_eq!(ld_author["name"], author["name"]);
                assert_eq!(ld_author["jobTitle"], author["role"]);
                assert!(ld_author["url"]
                    .as_str()
                    .unwrap()
                    .starts_with("https://news.example/"));
            }
            assert_eq!(ld["articleSection"][0], article["sections"][0]["name"]);
            // An image exactly when there is a cover (most demo articles
            // have one), as an absolute URL.
            match article["cover"]["url"].as_str() {
                Some(cover) => {
                    let image = ld["image"][0].as_str().expect("a cover's image");
                    assert!(
                        image.starts_with("https://news.example/media/"),
                        "{url}: {image}"
                    );
                    assert!(cover.starts_with("/media/"), "{url}: {cover}");
                }
                None => assert!(ld.get("image").is_none(), "no image without a cover"),
            }

            let stem = url.trim_end_matches('/');
            let text = site.text(&format!("{stem}.txt"), 200).await;
            assert!(
                text.starts_with(&format!("{headline}\n\n{standfirst}\n\n")),
                "{stem}.txt"
            );
            assert!(text.contains(&shown));
            assert!(
                !text.contains('<') && !text.contains("&amp;") && !text.contains("&quot;"),
                "{stem}.txt has markup"
            );
            let first_paragraph = article["body_html"]
                .as_str()
                .unwrap()
                .split("</p>")
                .next()
                .unwrap()
                .trim_start_matches("<p>")
                .to_string();
            if !first_paragraph.contains('&') {
                assert!(
                    text.contains(&first_paragraph),
                    "{stem}.txt lacks the first paragraph"
                );
            }

            let json = site.json(&format!("{stem}.json"), 200).await;
            assert_eq!(json, article, "{stem}.json is the API's article");
            let by_id = site
                .json(&format!("/api/v1/articles/{}", article["id"]), 200)
                .await;
            assert_eq!(by_id, article);

            // A canonical URL without its trailing slash redirects to it.
            let r = site.get(stem).await;
            assert_eq!(r.status(), 308, "{stem}");
            assert_eq!(r.headers()["location"], url);
        }
    }
    site.stop().await;
}

fn json_ld(html: &str) -> Value {
    let start = html
        .find(r#"<script type="application/ld+json">"#)
        .expect("JSON-LD")
        + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("JSON-LD parses")
}

async fn section_tag_and_author_pages(backend: Backend) {
    let site = TestSite::demo(backend).await;
    for (prefix, lang) in [("", "ar"), ("/en", "en")] {
        let home = site.text(&format!("{prefix}/"), 200).await;
        let sections: Vec<String> = hrefs(&home)
            .into_iter()
            .filter(|h| h.starts_with(&format!("{prefix}/section/")))
            .collect();
        assert!(sections.len() >= 5, "{lang}: section navigation");
        for section in &sections {
            let page = site.text(section, 200).await;
            assert!(page.contains(&format!(r#"<html lang="{lang}""#)));
            assert!(
                page.contains(r#"aria-current="page""#),
                "{section}: current section marked"
            );
        }
        for article in all_articles(&site, lang).await {
            for tag in article["tags"].as_array().unwrap() {
                let slug = tag["slug"].as_str().unwrap();
                let path = format!("{prefix}/tag/{}/", warraq::render::encode_segment(slug));
                let page = site.text(&path, 200).await;
                assert!(page.contains(tag["name"].as_str().unwrap()), "{path}");
            }
            for author in article["authors"].as_array().unwrap() {
                let path = format!("{prefix}/author/{}/", author["slug"].as_str().unwrap());
                let page = site.text(&path, 200).await;
                assert!(
                    page.contains(&format!("<h1>{}</h1>", author["name"].as_str().unwrap())),
                    "{path}: name"
                );
                assert!(
                    page.contains(author["role"].as_str().unwrap()),
                    "{path}: role"
                );
                assert!(page.contains(r#"<p class="bio">"#), "{path}: bio");
            }
        }
    }
    // The same author in each language's own words.
    let ar = site.text("/author/karim-nasser/", 200).await;
    let en = site.text("/en/author/karim-nasser/", 200).await;
    assert!(ar.contains("كريم ناصر") && ar.contains("صحفي سوري"));
    assert!(en.contains("Karim Nasser") && en.contains("Syrian journalist"));
    site.stop().await;
}

async fn pagination(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let total = site
        .json("/api/v1/articles?lang=ar&section=politics&limit=1", 200)
        .await["total"]
        .as_u64()
        .unwrap();
    assert!(
        total > 4,
        "the demo's politics section needs more than one page of 4"
    );
    let pages = total.div_ceil(4);
    let mut seen = Vec::new();
    for page in 1..=pages {
        let path = if page == 1 {
            "/section/politics/".to_string()
        } else {
            format!("/section/politics/?page={page}")
        };
        let html = site.text(&path, 200).await;
        assert_eq!(html.contains(r#"rel="next""#), page < pages, "{path}");
        assert_eq!(html.contains(r#"rel="prev""#), page > 1, "{path}");
        let cards: Vec<String> = html
            .split(r#"<h2 class="card-title"><a href=""#)
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect();
        assert!(
            !cards.is_empty() && cards.len() <= 4,
            "{path}: {} cards",
            cards.len()
        );
        seen.extend(cards);
    }
    assert_eq!(
        seen.len() as u64,
        total,
        "every article once across the pages"
    );
    seen.dedup();
    assert_eq!(seen.len() as u64, total);
    site.text(&format!("/section/politics/?page={}", pages + 1), 404)
        .await;
    site.text("/section/politics/?page=0", 404).await;
    site.text("/section/politics/?page=%D9%A2", 404).await;
    let api = site
        .json("/api/v1/articles?lang=ar&limit=4&page=2", 200)
        .await;
    assert_eq!(api["page"], 2);
    assert_eq!(api["articles"].as_array().unwrap().len(), 4);
    site.stop().await;
}

async fn not_found_pages(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let ar = site.text("/no/such/page", 404).await;
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#) && ar.contains("الصفحة غير موجودة"));
    let en = site.text("/en/no-such-page", 404).await;
    assert!(en.contains(r#"<html lang="en" dir="ltr">"#) && en.contains("Page not found"));
    site.text("/section/nothing/", 404).await;
    site.text("/en/tag/nothing/", 404).await;
    site.text("/author/nobody/", 404).await;
    site.text("/2020/01/01/لا-يوجد/", 404).await;
    site.text("/2020/01/01/nothing.txt", 404).await;
    // An article exists only at its own date and in its own language.
    let article = &all_articles(&site, "ar").await[0];
    let url = article["url"].as_str().unwrap();
    let wrong_date = format!("/1999/01/01/{}", url.splitn(5, '/').last().unwrap());
    site.text(&wrong_date, 404).await;
    site.text(&format!("/en{url}"), 404).await;
    let api = site.json("/api/v1/articles/999999", 404).await;
    assert_eq!(api["error"]["message"], "not found");
    assert_eq!(api["error"]["code"], "not_found");
    site.stop().await;
}

async fn api_lists_and_errors(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let all = site.json("/api/v1/articles?limit=100", 200).await;
    let ar = site.json("/api/v1/articles?lang=ar&limit=100", 200).await;
    let en = site.json("/api/v1/articles?lang=en&limit=100", 200).await;
    assert!(ar["total"].as_u64().unwrap() >= 30 && en["total"].as_u64().unwrap() >= 10);
    assert_eq!(
        all["total"].as_u64(),
        Some(ar["total"].as_u64().unwrap() + en["total"].as_u64().unwrap())
    );
    let articles = ar["articles"].as_array().unwrap();
    let dates: Vec<&str> = articles
        .iter()
        .map(|a| a["published_at"].as_str().unwrap())
        .collect();
    let times: Vec<jiff::Timestamp> = dates.iter().map(|d| d.parse().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    for a in articles {
        for key in [
            "id",
            "url",
            "lang",
            "headline",
            "standfirst",
            "body_html",
            "authors",
            "sections",
            "tags",
            "published_at",
            "updated_at",
        ] {
            assert!(a.get(key).is_some(), "article has {key}");
        }
        assert_eq!(a["lang"], "ar");
    }
    let culture = site
        .json("/api/v1/articles?lang=en&section=culture", 200)
        .await;
    for a in culture["articles"].as_array().unwrap() {
        assert!(a["sections"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["slug"] == "culture"));
    }
    for (query, needle) in [
        ("lang=fr", "lang"),
        ("limit=0", "limit"),
        ("limit=1000", "limit"),
        ("page=-1", "page"),
        ("section=nothing", "section"),
    ] {
        let error = site.json(&format!("/api/v1/articles?{query}"), 400).await;
        assert!(
            error["error"]["message"].as_str().unwrap().contains(needle),
            "{query}: {error}"
        );
    }
    site.stop().await;
}

async fn arabic_slugs_round_trip(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let slug = "الماء-أولاً-في-إربد-٢٠٢٤";
    let id = site
        .store
        .create_article(&article(slug, "“الماء أولاً”: اختبار", "<p>نص</p>"))
        .await
        .unwrap();
    let stored = site.json(&format!("/api/v1/articles/{id}"), 200).await;
    let url = stored["url"].as_str().unwrap();
    assert!(url.is_ascii(), "URLs carry percent-encoded slugs: {url}");
    let encoded = warraq::render::encode_segment(slug);
    assert!(url.ends_with(&format!("/{encoded}/")), "{url}");
    // A client that sends the path in raw Unicode reaches the same page.
    let raw = format!("{}/", url.trim_end_matches('/').rsplit_once('/').unwrap().0);
    let html = site.text(&format!("{raw}{slug}/"), 200).await;
    assert!(html.contains("<h1>“الماء أولاً”: اختبار</h1>"));
    let again = site.store.article_by_id(id).await.unwrap().unwrap();
    assert_eq!(again.slug, slug, "stored as Unicode");
    site.stop().await;
}

fn article(slug: &str, headline: &str, body: &str) -> NewArticle {
    NewArticle {
        slug: slug.into(),
        lang: Lang::Ar,
        headline: headline.into(),
        standfirst: "ملخّص المقال في جملة واحدة.".into(),
        body_html: body.into(),
        author_slugs: vec!["rana-haddad".into()],
        section_slugs: vec!["politics".into()],
        tag_names: vec!["اختبار".into()],
        cover: None,
        status: Status::Published,
        published_at: jiff::Timestamp::now(),
        updated_at: jiff::Timestamp::now(),
        seo: Default::default(),
    }
}

/// Payloads from the usual XSS cheat sheets; none may reach a page alive.
const XSS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<body onload=alert(1)>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<details open ontoggle=alert(1)>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "\"><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<style>@import 'javascript:alert(1)';</style>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<img src=\"x\" onerror=\"alert(1)\"/>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<template><script>alert(1)</script></template>",
];

async fn hostile_bodies_are_sanitised(backend: Backend) {
    let site = TestSite::demo(backend).await;
    for (i, payload) in XSS.iter().enumerate() {
        let body = format!("<p>قبل</p>{payload}<p>بعد</p>");
        let id = site
            .store
            .create_article(&article(
                &format!("xss-{i}"),
                &format!("عنوان <script>alert({i})</script>"),
                &body,
            ))
            .await
            .unwrap();
        let json = site.json(&format!("/api/v1/articles/{id}"), 200).await;
        let url = json["url"].as_str().unwrap().to_string();
        let html = site.text(&url, 200).await;
        let body_html =
            &html[html.find(r#"<div class="body">"#).unwrap()..html.find("</article>").unwrap()];
        let lower = body_html.to_lowercase();
        for needle in [
            "<script",
            "javascript:",
            "onerror",
            "onload",
            "ontoggle",
            "onfocus",
            "<iframe",
            "<svg",
            "<object",
            "<embed",
            "<form",
            "<meta",
            "<base",
            "<style",
            "data:text",
        ] {
            assert!(
                !lower.contains(needle),
                "payload {payload:?} left {needle:?} in {body_html}"
            );
        }
        assert!(
            body_html.contains("قبل") && body_html.contains("بعد"),
            "text around the payload is kept"
        );
        assert!(
            html.contains(&format!(
                "<h1>عنوان &lt;script&gt;alert({i})&lt;/script&gt;</h1>"
            )),
            "headline escaped"
        );
        let stored = json["body_html"].as_str().unwrap().to_lowercase();
        assert!(
            !stored.contains("<script") && !stored.contains("javascript:"),
            "stored body sanitised: {stored}"
        );
    }
    site.stop().await;
}

async fn cache_revalidation_compression_and_invalidation(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let first = site.get("/").await;
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let last_modified = first.headers()["last-modified"]
        .to_str()
        .unwrap()
        .to_string();
    let body = first.text().await.unwrap();

    let again = site
        .client
        .get(site.url("/"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    let since = site
        .client
        .get(site.url("/"))
        .header("if-modified-since", &last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(since.status(), 304);

    let gzip = site
        .client
        .get(site.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert_eq!(gzip.headers()["vary"], "Accept-Encoding");
    let compressed = gzip.bytes().await.unwrap();
    let mut inflated = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&compressed[..]),
        &mut inflated,
    )
    .unwrap();
    assert_eq!(inflated, body, "gzip variant is the same page");
    assert!(compressed.len() * 3 < body.len(), "compression pays");

    // A new article shows at once: the write invalidates the cached home page.
    let headline = "خبر جديد يظهر فوراً على الصفحة الرئيسية";
    site.store
        .create_article(&article("خبر-جديد", headline, "<p>نص الخبر.</p>"))
        .await
        .unwrap();
    let fresh = site
        .client
        .get(site.url("/"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), 200, "old ETag no longer matches");
    assert!(fresh.text().await.unwrap().contains(headline));
    site.stop().await;
}

async fn database_failures_get_error_pages(backend: Backend) {
    let site = TestSite::demo(backend).await;
    site.text("/en/", 200).await;
    site.store.close().await;
    let en = site.text("/en/section/politics/", 500).await;
    assert!(
        en.contains(r#"<html lang="en" dir="ltr">"#) && en.contains("Something went wrong"),
        "{en}"
    );
    let ar = site.text("/section/politics/", 500).await;
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#) && ar.contains("حدث خطأ"));
    assert!(!ar.contains("pool"), "no internals in the page");
    let api = site.json("/api/v1/articles", 500).await;
    assert_eq!(api["error"]["code"], "internal");
    assert_eq!(api["error"]["message"], "internal error");
    site.text("/healthz", 503).await;
    // Pages rendered before the failure are still served from memory.
    site.text("/en/", 200).await;
    site.stop().await;
}

async fn home_shows_each_story_once(backend: Backend) {
    let site = TestSite::demo(backend).await;
    for home in ["/", "/en/"] {
        let html = site.text(home, 200).await;
        let mut links: Vec<&str> = html
            .split(r#"class="card-title"><a href=""#)
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        let n = links.len();
        assert!(n >= 10, "{home}: {n} cards");
        links.sort();
        links.dedup();
        assert_eq!(links.len(), n, "{home}: a story shown twice");
    }
    site.stop().await;
}
