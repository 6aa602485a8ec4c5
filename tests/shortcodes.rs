//! WordPress shortcodes in served bodies, over HTTP on SQLite and
//! PostgreSQL: rendered when known, unwrapped when unknown, never shown as
//! brackets in the page, the `.txt` or `.json` views or the API.

mod common;

use common::{test_config, Backend, TestSite};
use warraq::model::{Lang, NewArticle, Status};

on_both_backends!(
    the_demo_archive_article_leaks_no_brackets,
    tptn_list_renders_linked_titles_with_dates,
    tptn_list_attributes,
    media_shortcodes,
    feeds_are_well_formed_and_leak_nothing,
);

const PHONE: &str =
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36";

fn article(slug: &str, body: &str) -> NewArticle {
    NewArticle {
        slug: slug.into(),
        lang: Lang::Ar,
        headline: format!("مقال {slug}"),
        standfirst: "ملخّص المقال.".into(),
        body_html: body.into(),
        author_slugs: vec!["layla-mansour".into()],
        section_slugs: vec!["culture".into()],
        tag_names: vec![],
        cover: None,
        status: Status::Published,
        published_at: jiff::Timestamp::now(),
        updated_at: jiff::Timestamp::now(),
        seo: Default::default(),
    }
}

/// The page's article body, between its markers.
fn body_of(html: &str) -> &str {
    &html[html.find(r#"<div class="body">"#).unwrap()..html.find("</article>").unwrap()]
}

fn assert_no_shortcode(text: &str, what: &str) {
    for leak in [
        "[vc_",
        "[/vc_",
        "[tptn",
        "[caption",
        "[/caption",
        "[embed",
        "[gallery",
        "[audio",
        "[video",
        "[crp",
    ] {
        assert!(!text.contains(leak), "{what} leaks {leak:?}: {text:.600}");
    }
}

async fn views_for(site: &TestSite, ids: &[(i64, usize)]) {
    for &(id, readers) in ids {
        for r in 0..readers {
            let ua = format!("{PHONE} reader/{r}");
            assert_eq!(
                common::post_hit(&site.client, &site.base, id, Some(&ua), &[]).await,
                204
            );
        }
    }
    site.app.stats.flush().await.unwrap();
}

async fn the_demo_archive_article_leaks_no_brackets(backend: Backend) {
    let mut config = test_config();
    config.page_cache_seconds = 0;
    let site = TestSite::start(backend, config, true).await;
    let list = site.json("/api/v1/articles?lang=ar&limit=100", 200).await;
    let demo = list["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["headline"].as_str().unwrap().contains("أرشيف مصوّر"))
        .expect("the demo's archive article")
        .clone();
    assert_no_shortcode(&list.to_string(), "the API list");
    let ids: Vec<i64> = list["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    views_for(&site, &[(ids[1], 3), (ids[2], 2)]).await;

    let url = demo["url"].as_str().unwrap();
    let html = site.text(url, 200).await;
    assert_no_shortcode(&html, "the page");
    let body = body_of(&html);
    // The page-builder wrapper is gone, its paragraph kept.
    assert!(body.contains("<p>بدأت الحكاية بصورة واحدة."), "{body:.400}");
    // The caption became a figure.
    assert!(
        body.contains(r#"<figure class="wp-caption alignnone"><img src="/static/demo/cinema.svg""#),
        "{body:.800}"
    );
    assert!(body.contains("<figcaption>واجهة “سينما الزهراء” كما أعاد رسمها"));
    // The most-read list of PAGE.md: five titles with dates, no heading.
    let list_html = &body[body
        .find(r#"<div class="tptn_posts">"#)
        .expect("tptn_list rendered")..];
    assert!(
        !list_html.starts_with(r#"<div class="tptn_posts"><h3>"#),
        "heading=\"0\""
    );
    assert_eq!(
        list_html.matches(r#"class="tptn_date""#).count(),
        2,
        "two articles have views"
    );

    let stem = url.trim_end_matches('/');
    let text = site.text(&format!("{stem}.txt"), 200).await;
    assert_no_shortcode(&text, ".txt");
    assert!(text.contains("بدأت الحكاية بصورة واحدة."));
    assert!(
        text.contains("واجهة “سينما الزهراء” كما أعاد رسمها"),
        "caption words are kept in clean text"
    );
    let json = site.json(&format!("{stem}.json"), 200).await;
    assert_no_shortcode(&json.to_string(), ".json");
    assert!(json["body_html"].as_str().unwrap().contains("<figcaption>"));
    site.stop().await;
}

async fn tptn_list_renders_linked_titles_with_dates(backend: Backend) {
    let mut config = test_config();
    config.page_cache_seconds = 0;
    let site = TestSite::start(backend, config, true).await;
    let id = site
        .store
        .create_article(&article(
            "قائمة-الأكثر-قراءة",
            r#"<p>قبل القائمة.</p>[tptn_list limit="3" show_date="1"]<p>بعدها.</p>"#,
        ))
        .await
        .unwrap();
    site.caught_up().await;
    let list = site.json("/api/v1/articles?lang=ar&limit=10", 200).await;
    let others: Vec<i64> = list["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .filter(|&i| i != id)
        .collect();
    views_for(
        &site,
        &[
            (others[0], 4),
            (others[1], 3),
            (others[2], 2),
            (others[3], 1),
        ],
    )
    .await;

    let json = site.json(&format!("/api/v1/articles/{id}"), 200).await;
    let body = json["body_html"].as_str().unwrap();
    let items: Vec<&str> = body.split("<li>").skip(1).collect();
    assert_eq!(items.len(), 3, "{body}");
    for (item, other) in items.iter().zip(&others) {
        let other = site.json(&format!("/api/v1/articles/{other}"), 200).await;
        assert!(
            item.contains(&format!(
                r#"<a href="{}" class="tptn_link">"#,
                other["url"].as_str().unwrap()
            )),
            "{item}"
        );
        let start: String = other["headline"]
            .as_str()
            .unwrap()
            .chars()
            .take(30)
            .collect();
        assert!(
            item.contains(&start),
            "title_length cuts at 60 characters by default: {item}"
        );
        let iso = other["published_at"].as_str().unwrap();
        let shown = format!("{}.{}.{}", &iso[8..10], &iso[5..7], &iso[0..4]);
        assert!(
            item.contains(&format!(r#"<time datetime="{iso}">{shown}</time>"#)),
            "{item}"
        );
    }
    assert!(
        body.contains("<h3>الأكثر قراءة</h3>"),
        "default heading from the locale"
    );
    site.stop().await;
}

async fn tptn_list_attributes(backend: Backend) {
    let mut config = test_config();
    config.page_cache_seconds = 0;
    let site = TestSite::start(backend, config, true).await;
    let list = site.json("/api/v1/articles?lang=ar&limit=10", 200).await;
    let arts = list["articles"].as_array().unwrap().clone();
    let ids: Vec<i64> = arts.iter().map(|a| a["id"].as_i64().unwrap()).collect();
    views_for(&site, &[(ids[0], 5), (ids[1], 4), (ids[2], 3)]).await;

    let render = |body: &'static str| {
        let site = &site;
        async move {
            let slug = format!(
                "attrs-{}",
                body.len()
                    + body.chars().filter(|c| *c == '=').count() * 1000
                    + body.find(']').unwrap_or(0)
            );
            let id = site
                .store
                .create_article(&article(&slug, body))
                .await
                .unwrap();
            site.caught_up().await;
            let json = site.json(&format!("/api/v1/articles/{id}"), 200).await;
            json["body_html"].as_str().unwrap().to_string()
        }
    };
    let headline0 = arts[0]["headline"].as_str().unwrap();
    let url = |i: usize| format!("href=\"{}\"", arts[i]["url"].as_str().unwrap());

    let b = render(r#"[tptn_list limit="2" offset="1" heading="0"]"#).await;
    assert_eq!(b.matches("<li>").count(), 2);
    assert!(
        !b.contains(&url(0)) && b.contains(&url(1)) && b.contains(&url(2)),
        "offset skips the first: {b}"
    );
    assert!(!b.contains("<h3>"));

    let b = render(r#"[tptn_list daily="1" daily_range="1" hour_range="0" limit="1"]"#).await;
    assert!(b.contains("<h3>الأكثر رواجاً</h3>"), "{b}");
    let b = render(r#"[tptn_list title="“الأكثر” قراءة" limit="1"]"#).await;
    assert!(b.contains("<h3>“الأكثر” قراءة</h3>"), "{b}");

    let b = render(r#"[tptn_list limit="1" title_length="5" show_author="1" show_excerpt="1" excerpt_length="2" disp_list_count="1" link_new_window="1" link_nofollow="1"]"#).await;
    let cut: String = headline0.chars().take(5).collect();
    assert!(
        b.contains(&format!(
            r#"<span class="tptn_title">{}…</span>"#,
            cut.trim_end()
        )),
        "{b}"
    );
    assert!(
        b.contains(r#"target="_blank""#) && b.contains("nofollow") && b.contains("noopener"),
        "{b}"
    );
    assert!(b.contains(r#"<span class="tptn_author">بقلم "#), "{b}");
    assert!(b.contains(r#"<span class="tptn_excerpt">"#) && b.contains("…</span>"));
    assert!(
        b.contains(r#"<span class="tptn_list_count">(5)</span>"#),
        "{b}"
    );

    let b = render(r#"[tptn_list limit="2" before_list="<ol class='top'><script>alert(1)</script>" after_list="</ol>" before_list_item="<li onclick='x()'>" after_list_item="</li>"]"#).await;
    assert!(b.contains("<ol>") || b.contains("<ol class"), "{b}");
    assert!(
        !b.contains("<script") && !b.contains("onclick"),
        "wrappers pass the sanitiser: {b}"
    );

    let b = render(
        r#"[tptn_list post_types="page" blank_output="custom_text" blank_output_text="لا شيء بعد"]"#,
    )
    .await;
    assert!(b.contains("<p>لا شيء بعد</p>"), "{b}");
    let b = render(r#"[tptn_list post_types="page"]"#).await;
    assert!(!b.contains("tptn_posts"), "blank by default: {b}");
    let exclude = format!(
        "[tptn_list exclude_post_ids=\"{}, x\" limit=\"10\"]",
        ids[0]
    );
    let id = site
        .store
        .create_article(&article("exclude", &exclude))
        .await
        .unwrap();
    site.caught_up().await;
    let b = site.json(&format!("/api/v1/articles/{id}"), 200).await["body_html"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !b.contains(&url(0)) && b.contains(&url(1)),
        "exclude_post_ids: {b}"
    );

    let b = render(r#"<p>قرأه [tptn_views] شخصاً.</p>"#).await;
    assert!(b.contains("<p>قرأه 0 شخصاً.</p>"), "{b}");
    let counted = format!("<p>[tptn_views post_id=\"{}\"]</p>", ids[0]);
    let id = site
        .store
        .create_article(&article("views-of-another", &counted))
        .await
        .unwrap();
    site.caught_up().await;
    let json = site.json(&format!("/api/v1/articles/{id}"), 200).await;
    assert!(
        json["body_html"]
            .as_str()
            .unwrap()
            .starts_with("<p>5</p>\n"),
        "{json}"
    );
    site.stop().await;
}

async fn media_shortcodes(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let body = concat!(
        "<p>فيديو:</p>[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]",
        "[embed]https://evil.example/page[/embed]",
        "<iframe src=\"https://www.youtube-nocookie.com/embed/raw\"></iframe>",
        "[audio mp3=\"/a.mp3\"][video mp4=\"/v.mp4\" poster=\"javascript:alert(1)\"]",
        "[gallery urls=\"/a.jpg,/b.jpg\"][crp limit=\"3\"]",
        "<p>“[sic]” و[1] تبقى نصاً.</p>"
    );
    let id = site
        .store
        .create_article(&article("وسائط", body))
        .await
        .unwrap();
    let json = site.json(&format!("/api/v1/articles/{id}"), 200).await;
    let b = json["body_html"].as_str().unwrap();
    assert_no_shortcode(b, "media body");
    assert!(
        b.contains(r#"<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ""#),
        "{b}"
    );
    assert_eq!(
        b.matches("<iframe").count(),
        1,
        "a raw iframe in the stored body does not survive: {b}"
    );
    assert!(b.contains(r#"<a href="https://evil.example/page""#));
    assert!(
        b.contains(r#"<audio controls="" preload="none"><source src="/a.mp3">"#),
        "{b}"
    );
    assert!(b.contains("<video") && !b.contains("javascript"), "{b}");
    assert_eq!(b.matches("<img").count(), 2);
    assert!(
        b.contains("“[sic]” و[1] تبقى نصاً."),
        "ordinary brackets are text"
    );
    site.stop().await;
}

/// Every element of a feed, checking it is well-formed XML; returns the
/// text of each `<title>` and `<content:encoded>` in order.
fn read_feed(xml: &str) -> (Vec<String>, Vec<String>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut titles, mut bodies, mut current) = (Vec::new(), Vec::new(), String::new());
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("feed is not XML at {}: {e}", reader.buffer_position()))
        {
            Event::Start(e) => current = String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
            Event::Text(t) => {
                let text = t.unescape().unwrap().into_owned();
                match current.as_str() {
                    "title" => titles.push(text),
                    "content:encoded" => bodies.push(text),
                    _ => {}
                }
            }
            Event::End(_) => current.clear(),
            Event::Eof => break,
            _ => {}
        }
    }
    (titles, bodies)
}

async fn feeds_are_well_formed_and_leak_nothing(backend: Backend) {
    let site = TestSite::demo(backend).await;
    for (path, lang) in [("/feed.xml", "ar"), ("/en/feed.xml", "en")] {
        let response = site.get(path).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "application/rss+xml; charset=utf-8"
        );
        let xml = response.text().await.unwrap();
        let (titles, bodies) = read_feed(&xml);
        let newest = site
            .json(&format!("/api/v1/articles?lang={lang}&limit=20"), 200)
            .await;
        let expected: Vec<&str> = newest["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["headline"].as_str().unwrap())
            .collect();
        assert_eq!(
            &titles[1..],
            &expected[..],
            "{path}: channel title, then the 20 newest"
        );
        assert_eq!(bodies.len(), expected.len());
        for body in &bodies {
            assert_no_shortcode(body, path);
        }
        assert_no_shortcode(&xml, path);
    }
    let ar = site.text("/feed.xml", 200).await;
    assert!(
        ar.contains("&lt;figcaption&gt;واجهة “سينما الزهراء”"),
        "the archive article's caption is in the feed"
    );
    let section = site.text("/section/culture/feed.xml", 200).await;
    let (titles, _) = read_feed(&section);
    assert!(titles[0].ends_with("ثقافة"));
    let author = site.text("/en/author/maya-khoury/feed.xml", 200).await;
    let (titles, _) = read_feed(&author);
    assert!(titles[0].ends_with("Maya Khoury") && titles.len() > 3);
    site.text("/section/nothing/feed.xml", 404).await;
    let home = site.text("/", 200).await;
    assert!(home.contains(
        r#"<link rel="alternate" type="application/rss+xml" title="الورّاق" href="/feed.xml">"#
    ));
    site.stop().await;
}
