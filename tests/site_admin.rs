//! The site around the articles, over HTTP on SQLite and PostgreSQL:
//! static pages (a tree per edition, moved with their children and
//! redirected from where they were), sections, byline profiles and the
//! redirects manager, through the write API and the back office's forms —
//! who may, what is refused, and what readers see on the site at once.

mod common;

use common::staff::*;
use common::{Backend, TestSite};
use serde_json::{json, Value};
use warraq::model::Role;
use warraq::render::encode_segment;

on_both_backends!(
    pages_through_the_api,
    bad_pages_change_nothing,
    sections_rename_and_reorder_on_the_site,
    bylines_on_the_author_page,
    redirects_manager,
    back_office_forms,
);

/// POSTs `body` to the API with `token` (as `get_with` and `patch` do
/// their methods).
async fn post(site: &TestSite, path: &str, token: &str, body: &Value) -> (u16, Value) {
    api(site, "POST", path, Some(token), Some(body)).await
}

async fn delete(site: &TestSite, path: &str, token: &str) -> (u16, Value) {
    api(site, "DELETE", path, Some(token), None).await
}

/// The fields that failed in a 422.
fn failed_fields(answer: &Value) -> Vec<String> {
    answer["error"]["fields"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .map(|f| f["field"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The `key` of every item in the list `list[items]`.
fn each<'a>(list: &'a Value, items: &str, key: &str) -> Vec<&'a str> {
    list[items]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[key].as_str().unwrap())
        .collect()
}

/// The item of the list `list[items]` whose slug is `slug`.
fn with_slug<'a>(list: &'a Value, items: &str, slug: &str) -> &'a Value {
    list[items]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["slug"] == slug)
        .unwrap_or_else(|| panic!("no {slug} in {items}"))
}

/// `/a/b/` with each segment percent-encoded, as a browser sends it.
fn encoded(prefix: &str, path: &str) -> String {
    let segments: Vec<String> = path.split('/').map(encode_segment).collect();
    format!("{prefix}/{}/", segments.join("/"))
}

async fn status_of(site: &TestSite, path: &str) -> u16 {
    site.get(path).await.status().as_u16()
}

/// A response's status and where it sends the browser (empty: nowhere).
fn status_and_location(r: &reqwest::Response) -> (u16, String) {
    (r.status().as_u16(), location(r))
}

/// What GET `path` answers: its status and where it redirects.
async fn redirect_of(site: &TestSite, path: &str) -> (u16, String) {
    status_and_location(&site.get(path).await)
}

async fn create_page(site: &TestSite, token: &str, page: Value) -> Value {
    let (status, body) = post(site, "/api/v1/pages", token, &page).await;
    assert_eq!(status, 201, "{body}");
    body
}

async fn pages_through_the_api(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let editor = token_of_new(&site, "editor@example.org", Role::Editor).await;
    let admin = token_of_new(&site, "admin@example.org", Role::Admin).await;

    // An Arabic page: its slug made from its title, Arabic kept; its body
    // through the sanitiser (no script, no handler, its direction kept).
    let about = create_page(
        &site,
        &editor,
        json!({
            "lang": "ar",
            "title": "من نحن",
            "body_html": "<p dir=\"ltr\" onclick=\"steal()\">Who we are</p><script>alert(1)</script><p>غرفة أخبار مستقلة.</p>",
            "status": "published",
        }),
    )
    .await;
    assert_eq!(about["slug"], "من-نحن");
    assert_eq!(about["path"], "من-نحن");
    assert_eq!(about["parent_id"], Value::Null);
    let stored = about["body_html"].as_str().unwrap();
    assert!(
        !stored.contains("<script") && !stored.contains("onclick"),
        "{stored}"
    );
    assert!(stored.contains("dir=\"ltr\""), "{stored}");
    let about_id = about["id"].as_i64().unwrap();

    let team = create_page(
        &site,
        &editor,
        json!({
            "lang": "ar", "title": "فريق التحرير", "slug": "فريق",
            "body_html": "<p>المحرّرون والمراسلون.</p>", "status": "published",
            "parent_id": about_id,
        }),
    )
    .await;
    assert_eq!(team["path"], "من-نحن/فريق");
    assert_eq!(team["parent_id"], about_id);
    let team_id = team["id"].as_i64().unwrap();

    let page = site.text(&encoded("", "من-نحن/فريق"), 200).await;
    assert!(
        page.contains("فريق التحرير") && page.contains("المحرّرون"),
        "{page:.500}"
    );
    let page = site.text(&encoded("", "من-نحن"), 200).await;
    assert!(page.contains("Who we are") && !page.contains("alert(1)"));
    assert!(page.contains("dir=\"ltr\""));

    // English pages live under /en/, and only there.
    let en = create_page(
        &site,
        &editor,
        json!({"lang": "en", "title": "About us", "body_html": "<p>An independent newsroom.</p>", "status": "published"}),
    )
    .await;
    assert_eq!(en["url"], "/en/about-us/");
    assert!(site
        .text("/en/about-us/", 200)
        .await
        .contains("An independent newsroom."));
    assert_eq!(status_of(&site, "/about-us/").await, 404);

    // A draft is nobody's to read on the site; staff read it through the API.
    let draft = create_page(
        &site,
        &editor,
        json!({"lang": "ar", "title": "سياسة التصحيح"}),
    )
    .await;
    assert_eq!(draft["status"], "draft");
    assert_eq!(status_of(&site, &encoded("", "سياسة-التصحيح")).await, 404);
    let (status, read) = get_with(&site, &format!("/api/v1/pages/{}", draft["id"]), &editor).await;
    assert_eq!((status, &read["title"]), (200, &json!("سياسة التصحيح")));

    // A new slug for the parent moves its child; both old URLs answer 301
    // with the new ones, and the new ones are served at once.
    let (status, moved) = patch(
        &site,
        &format!("/api/v1/pages/{about_id}"),
        &editor,
        &json!({"slug": "عن-الوراق"}),
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["path"], "عن-الوراق");
    let (_, team) = get_with(&site, &format!("/api/v1/pages/{team_id}"), &editor).await;
    assert_eq!(team["path"], "عن-الوراق/فريق");
    for (old, new) in [("من-نحن", "عن-الوراق"), ("من-نحن/فريق", "عن-الوراق/فريق")]
    {
        let moved = redirect_of(&site, &encoded("", old)).await;
        assert_eq!(moved, (301, encoded("", new)), "{old}");
        site.text(&encoded("", new), 200).await;
    }
    let (_, list) = get_with(&site, "/api/v1/pages?lang=ar", &editor).await;
    let paths = each(&list, "pages", "path");
    assert!(paths.contains(&"عن-الوراق/فريق") && !paths.contains(&"من-نحن/فريق"));

    // Moving the child to the top leaves its parent where it is.
    let (status, top) = patch(
        &site,
        &format!("/api/v1/pages/{team_id}"),
        &editor,
        &json!({"parent_id": null}),
    )
    .await;
    assert_eq!((status, &top["path"]), (200, &json!("فريق")));
    assert_eq!(
        redirect_of(&site, &encoded("", "عن-الوراق/فريق")).await,
        (301, encoded("", "فريق"))
    );

    // Every write is in the audit log.
    let (_, log) = get_with(&site, "/api/v1/audit", &admin).await;
    let actions = each(&log, "entries", "action");
    assert_eq!(actions.iter().filter(|a| **a == "page_create").count(), 4);
    assert_eq!(actions.iter().filter(|a| **a == "page_update").count(), 2);
    site.stop().await;
}

async fn bad_pages_change_nothing(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let editor = token_of_new(&site, "editor@example.org", Role::Editor).await;
    let parent = create_page(
        &site,
        &editor,
        json!({"lang": "ar", "title": "من نحن", "status": "published"}),
    )
    .await;
    let parent_id = parent["id"].as_i64().unwrap();
    let child = create_page(
        &site,
        &editor,
        json!({"lang": "ar", "title": "فريق", "parent_id": parent_id, "status": "published"}),
    )
    .await;
    let child_id = child["id"].as_i64().unwrap();
    let english = create_page(&site, &editor, json!({"lang": "en", "title": "Contact"})).await;
    let parent_path = format!("/api/v1/pages/{parent_id}");

    let refusals = [
        // Under its own child, or itself: a cycle.
        (json!({"parent_id": child_id}), "parent_id"),
        (json!({"parent_id": parent_id}), "parent_id"),
        // A parent in the other edition, or none at all.
        (json!({"parent_id": english["id"]}), "parent_id"),
        (json!({"parent_id": 999_999}), "parent_id"),
        // Addresses the site answers itself, and malformed slugs.
        (json!({"slug": "admin"}), "slug"),
        (json!({"slug": "2024"}), "slug"),
        (json!({"slug": "a/b"}), "slug"),
        (json!({"title": ""}), "title"),
        (json!({"status": "trash"}), "status"),
        (json!({"lang": "fr"}), "lang"),
    ];
    for (change, field) in refusals {
        let (status, answer) = patch(&site, &parent_path, &editor, &change).await;
        assert_eq!(status, 422, "{change}: {answer}");
        assert!(
            failed_fields(&answer).contains(&field.to_string()),
            "{change}: {answer}"
        );
    }
    // A second page at the same place of the same edition.
    let (status, answer) = post(
        &site,
        "/api/v1/pages",
        &editor,
        &json!({"lang": "ar", "title": "فريق", "parent_id": parent_id}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(answer["error"]["fields"][0]["code"], "taken");
    // …but the same slug elsewhere is another page.
    create_page(&site, &editor, json!({"lang": "ar", "title": "فريق"})).await;

    // Unknown fields are refused, not ignored.
    let (status, answer) = patch(
        &site,
        &parent_path,
        &editor,
        &json!({"title": "جديد", "revision": 3}),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("revision"));

    // Contributors and authors may not write pages, nor read drafts.
    for (email, role) in [
        ("contributor@example.org", Role::Contributor),
        ("author@example.org", Role::Author),
    ] {
        let t = token_of_new(&site, email, role).await;
        let (status, _) = post(
            &site,
            "/api/v1/pages",
            &t,
            &json!({"lang": "ar", "title": "صفحتي"}),
        )
        .await;
        assert_eq!(status, 403, "{email}");
        let (status, _) = patch(&site, &parent_path, &t, &json!({"title": "صفحتي"})).await;
        assert_eq!(status, 403, "{email}");
        let (status, _) = get_with(&site, &parent_path, &t).await;
        assert_eq!(status, 403, "{email}");
    }

    // After all that, the page and its child are as they were.
    let (_, now) = get_with(&site, &parent_path, &editor).await;
    assert_eq!(
        (&now["title"], &now["path"]),
        (&json!("من نحن"), &json!("من-نحن"))
    );
    site.text(&encoded("", "من-نحن/فريق"), 200).await;
    site.stop().await;
}

/// The section links of a page's navigation, in order.
fn nav_names(html: &str) -> Vec<String> {
    let nav = between(html, "<nav class=\"sections\"", "</nav>").expect("the navigation");
    texts_of(nav, "/section/")
        .into_iter()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

async fn sections_rename_and_reorder_on_the_site(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let editor = token_of_new(&site, "editor@example.org", Role::Editor).await;
    let (status, list) = get_with(&site, "/api/v1/sections", &editor).await;
    assert_eq!(status, 200);
    let id_of = |slug: &str| with_slug(&list, "sections", slug)["id"].as_i64().unwrap();
    // The pages are in the cache before the change, as on a live site.
    let before = site.text("/", 200).await;
    assert!(
        nav_names(&before).contains(&"سياسة".to_string()),
        "{:?}",
        nav_names(&before)
    );
    site.text("/en/", 200).await;

    let politics = format!("/api/v1/sections/{}", id_of("politics"));
    let (status, renamed) = patch(
        &site,
        &politics,
        &editor,
        &json!({"names": {"ar": "الشأن السياسي"}}),
    )
    .await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(
        renamed["names"],
        json!({"ar": "الشأن السياسي", "en": "Politics"})
    );
    let opinion = format!("/api/v1/sections/{}", id_of("opinion"));
    let (status, _) = patch(&site, &opinion, &editor, &json!({"position": -1})).await;
    assert_eq!(status, 200);
    let (status, sports) = post(
        &site,
        "/api/v1/sections",
        &editor,
        &json!({"names": {"ar": "رياضة", "en": "Sports"}}),
    )
    .await;
    assert_eq!(status, 201, "{sports}");
    assert_eq!(sports["slug"], "رياضة");

    // Cached pages are rendered afresh once this node has followed the
    // change log past the writes.
    site.caught_up().await;
    let home = nav_names(&site.text("/", 200).await);
    assert_eq!(home.first().map(String::as_str), Some("رأي"), "{home:?}");
    assert!(home.contains(&"الشأن السياسي".to_string()) && !home.contains(&"سياسة".to_string()));
    assert_eq!(home.last().map(String::as_str), Some("رياضة"), "{home:?}");
    let english = nav_names(&site.text("/en/", 200).await);
    assert_eq!(english.first().map(String::as_str), Some("Opinion"));
    assert!(english.contains(&"Sports".to_string()) && english.contains(&"Politics".to_string()));
    assert!(site
        .text("/section/politics/", 200)
        .await
        .contains("الشأن السياسي"));

    // A new slug: the old section page answers 301, in both editions.
    let culture = format!("/api/v1/sections/{}", id_of("culture"));
    let (status, _) = patch(&site, &culture, &editor, &json!({"slug": "arts"})).await;
    assert_eq!(status, 200);
    for edition in ["", "/en"] {
        assert_eq!(
            redirect_of(&site, &format!("{edition}/section/culture/")).await,
            (301, format!("{edition}/section/arts/"))
        );
    }
    site.text("/section/arts/", 200).await;

    // Refused: a cycle, a taken slug, no name, unknown fields, and
    // anyone but editors and admins.
    let society = format!("/api/v1/sections/{}", id_of("society"));
    let (status, _) = patch(
        &site,
        &politics,
        &editor,
        &json!({"parent_id": id_of("society")}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, answer) = patch(
        &site,
        &society,
        &editor,
        &json!({"parent_id": id_of("politics")}),
    )
    .await;
    assert_eq!(
        (status, failed_fields(&answer)),
        (422, vec!["parent_id".to_string()])
    );
    let (status, answer) = patch(&site, &society, &editor, &json!({"slug": "economy"})).await;
    assert_eq!(
        (status, failed_fields(&answer)),
        (422, vec!["slug".to_string()])
    );
    let (status, _) = post(
        &site,
        "/api/v1/sections",
        &editor,
        &json!({"names": {"ar": " "}}),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = patch(&site, &society, &editor, &json!({"name": "x"})).await;
    assert_eq!(status, 400);
    let author = token_of_new(&site, "author@example.org", Role::Author).await;
    let (status, _) = patch(&site, &society, &author, &json!({"position": 0})).await;
    assert_eq!(status, 403);
    let (_, after) = get_with(&site, "/api/v1/sections", &editor).await;
    assert_eq!(
        with_slug(&after, "sections", "society")["parent_id"],
        Value::Null
    );
    site.stop().await;
}

async fn bylines_on_the_author_page(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let editor = token_of_new(&site, "editor@example.org", Role::Editor).await;
    let (_, list) = get_with(&site, "/api/v1/authors", &editor).await;
    let rana = with_slug(&list, "authors", "rana-haddad");
    let path = format!("/api/v1/authors/{}", rana["id"]);
    site.text("/author/rana-haddad/", 200).await;

    let (status, saved) = patch(&site, &path, &editor, &json!({
            "photo_url": "/media/bylines/rana.jpg",
            "profiles": {
                "ar": {"name": "رنا حدّاد", "role": "مراسلة بيروت", "bio": "تغطّي شؤون المدن والمياه منذ عشر سنوات."},
                "en": {"name": "Rana Haddad", "role": "Beirut correspondent", "bio": "Covers cities and water for a decade."},
            },
        }))
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["profiles"]["en"]["role"], "Beirut correspondent");

    site.caught_up().await;
    let ar = site.text("/author/rana-haddad/", 200).await;
    assert!(
        ar.contains("تغطّي شؤون المدن") && ar.contains("مراسلة بيروت"),
        "{ar:.2000}"
    );
    assert!(ar.contains("src=\"/media/bylines/rana.jpg\""));
    assert!(!ar.contains("Covers cities"));
    let en = site.text("/en/author/rana-haddad/", 200).await;
    assert!(en.contains("Covers cities and water") && en.contains("Beirut correspondent"));
    // The byline on her articles carries the new role line.
    let article = en
        .split("href=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.starts_with("/en/20"))
        .expect("an article on her page")
        .to_string();
    assert!(site
        .text(&article, 200)
        .await
        .contains("Beirut correspondent"));

    for bad in [
        json!({"photo_url": "javascript:alert(1)"}),
        json!({"profiles": {"ar": {"name": ""}}}),
        json!({"profiles": {"fr": {"name": "Rana"}}}),
        json!({"slug": "karim-nasser"}),
    ] {
        let (status, answer) = patch(&site, &path, &editor, &bad).await;
        assert_eq!(status, 422, "{bad}: {answer}");
    }
    let (status, _) = patch(&site, &path, &editor, &json!({"bio": "x"})).await;
    assert_eq!(status, 400);
    let contributor = token_of_new(&site, "contributor@example.org", Role::Contributor).await;
    let (status, _) = patch(&site, &path, &contributor, &json!({"photo_url": ""})).await;
    assert_eq!(status, 403);
    assert!(site
        .text("/author/rana-haddad/", 200)
        .await
        .contains("src=\"/media/bylines/rana.jpg\""));
    site.stop().await;
}

async fn redirects_manager(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let editor = token_of_new(&site, "editor@example.org", Role::Editor).await;
    let add = |source: &str, location: &str| json!({"source": source, "location": location});

    assert_eq!(status_of(&site, "/old-about/").await, 404);
    let (status, added) = post(
        &site,
        "/api/v1/redirects",
        &editor,
        &add("/old-about/", "/about-us/"),
    )
    .await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["source"], "/old-about");
    assert_eq!(
        redirect_of(&site, "/old-about/").await,
        (301, "/about-us/".to_string())
    );
    // Arabic sources, as browsers send them (encoded), lead on too.
    let (status, _) = post(
        &site,
        "/api/v1/redirects",
        &editor,
        &add("/قديم", "https://archive.example/old"),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(
        redirect_of(&site, &encoded("", "قديم")).await,
        (301, "https://archive.example/old".to_string())
    );

    // Refused, with the field named: not a path, the home page, the back
    // office and API, a live article or page or section, a source already
    // redirected, a location that is no URL, and loops.
    let (_, latest) = get_with(&site, "/api/v1/articles?lang=ar&limit=1", &editor).await;
    let article = latest["articles"][0]["url"]
        .as_str()
        .unwrap()
        .trim_start_matches("https://news.example")
        .to_string();
    create_page(
        &site,
        &editor,
        json!({"lang": "ar", "title": "اتصلوا بنا", "status": "published"}),
    )
    .await;
    post(&site, "/api/v1/redirects", &editor, &add("/a", "/b/")).await;
    let refusals = [
        (add("old", "/x/"), "source"),
        (add("//evil.example/x", "/x/"), "source"),
        (add("/", "/x/"), "source"),
        (add("/admin/users", "/x/"), "source"),
        (add("/api/v1/pages", "/x/"), "source"),
        (add(&article, "/x/"), "source"),
        (add(&encoded("", "اتصلوا-بنا"), "/x/"), "source"),
        (add("/section/politics/", "/x/"), "source"),
        (add("/old-about", "/x/"), "source"),
        (add("/new-old", "javascript:alert(1)"), "location"),
        (add("/new-old", "//evil.example/"), "location"),
        (add("/loop", "/loop/"), "location"),
        (add("/b", "/a/"), "location"),
        (add("/b", "https://news.example/a"), "location"),
    ];
    for (input, field) in refusals {
        let (status, answer) = post(&site, "/api/v1/redirects", &editor, &input).await;
        assert_eq!(status, 422, "{input}: {answer}");
        assert_eq!(failed_fields(&answer), vec![field.to_string()], "{input}");
    }
    let (status, _) = post(
        &site,
        "/api/v1/redirects",
        &editor,
        &json!({"source": "/x", "location": "/y/", "code": 302}),
    )
    .await;
    assert_eq!(status, 400);

    // The list: paged, searched.
    for n in 0..55 {
        let (status, _) = post(
            &site,
            "/api/v1/redirects",
            &editor,
            &add(&format!("/imported/{n:02}"), "/"),
        )
        .await;
        assert_eq!(status, 201);
    }
    let (_, first) = get_with(&site, "/api/v1/redirects", &editor).await;
    assert_eq!(first["total"], 58);
    assert_eq!(first["redirects"].as_array().unwrap().len(), 50);
    let (_, second) = get_with(&site, "/api/v1/redirects?page=2", &editor).await;
    assert_eq!(second["redirects"].as_array().unwrap().len(), 8);
    let (_, found) = get_with(&site, "/api/v1/redirects?q=imported/1", &editor).await;
    assert_eq!(found["total"], 10);
    let (_, found) = get_with(&site, "/api/v1/redirects?q=%25", &editor).await;
    assert_eq!(found["total"], 0, "a % is searched for as itself");

    // Removed: the old path is a plain 404 again.
    let (status, removed) = delete(&site, "/api/v1/redirects?source=/old-about/", &editor).await;
    assert_eq!((status, &removed["removed"]), (200, &json!("/old-about")));
    assert_eq!(status_of(&site, "/old-about/").await, 404);
    let (status, _) = delete(&site, "/api/v1/redirects?source=/old-about", &editor).await;
    assert_eq!(status, 404);

    let contributor = token_of_new(&site, "contributor@example.org", Role::Contributor).await;
    let (status, _) = post(&site, "/api/v1/redirects", &contributor, &add("/mine", "/")).await;
    assert_eq!(status, 403);
    let (status, _) = delete(&site, "/api/v1/redirects?source=/a", &contributor).await;
    assert_eq!(status, 403);
    let (status, _) = get_with(&site, "/api/v1/redirects", &contributor).await;
    assert_eq!(status, 403);
    assert_eq!(status_of(&site, "/a/").await, 301);
    site.stop().await;
}

// ---------------------------------------------------------------------
// The back office's forms, as a browser sends them.
// ---------------------------------------------------------------------

/// A form POST as a forger sends it: with `session`'s cookie, without
/// its CSRF token. Its status.
async fn forged(site: &TestSite, session: &Session, path: &str, fields: &[(&str, &str)]) -> u16 {
    raw_post(site, Some(&session.header()), path, form(fields))
        .await
        .status()
        .as_u16()
}

async fn back_office_forms(backend: Backend) {
    let site = TestSite::demo(backend).await;
    add_user(&site, "editor@example.org", Role::Editor).await;
    add_user(&site, "contributor@example.org", Role::Contributor).await;
    let editor = sign_in(&site, "editor@example.org").await;

    // The navigation leads to every screen, and each answers.
    let dashboard = editor.page(&site, "/admin/").await;
    for screen in [
        "/admin/pages",
        "/admin/sections",
        "/admin/authors",
        "/admin/redirects",
        "/admin/pages/new",
    ] {
        if screen != "/admin/pages/new" {
            assert!(
                dashboard.contains(&format!("href=\"{screen}\"")),
                "{screen}"
            );
        }
        let html = editor.page(&site, screen).await;
        assert!(
            html.contains("name=\"csrf\"") || screen == "/admin/authors",
            "{screen}"
        );
    }

    // A page through the form; without the CSRF token nothing is stored.
    let page = [
        ("lang", "ar"),
        ("title", "من نحن"),
        ("slug", ""),
        ("parent_id", ""),
        ("status", "published"),
        ("position", "1"),
        ("seo_title", ""),
        ("meta_description", ""),
        ("body_html", "<p>غرفة أخبار مستقلة.</p>"),
    ];
    assert_eq!(forged(&site, &editor, "/admin/pages", &page).await, 403);
    assert_eq!(status_of(&site, &encoded("", "من-نحن")).await, 404);
    let r = editor.post(&site, "/admin/pages", &page).await;
    assert_eq!(r.status(), 303);
    let edit = location(&r);
    assert!(
        edit.starts_with("/admin/pages/") && edit.ends_with("?done=page_created"),
        "{edit}"
    );
    assert!(site
        .text(&encoded("", "من-نحن"), 200)
        .await
        .contains("غرفة أخبار مستقلة."));
    let form = editor.page(&site, &edit).await;
    assert!(form.contains("أُنشئت الصفحة.") && form.contains("value=\"من-نحن\""));
    // A refused save shows the form again, with the reason in Arabic.
    let id = between(&edit, "/admin/pages/", "?").unwrap();
    let bad = [
        ("lang", "ar"),
        ("title", "من نحن"),
        ("slug", "admin"),
        ("parent_id", ""),
        ("status", "published"),
    ];
    let r = editor
        .post(&site, &format!("/admin/pages/{id}"), &bad)
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("عناوين الموقع المحجوزة"));

    // Sections: rename through the form, seen in the site's navigation.
    let sections = editor.page(&site, "/admin/sections").await;
    let politics = between(&sections, "action=\"/admin/sections/", "\"").unwrap();
    site.text("/", 200).await;
    let rename = [
        ("name_ar", "سياسة محلية"),
        ("name_en", "Politics"),
        ("slug", "politics"),
        ("position", "1"),
    ];
    let politics = format!("/admin/sections/{politics}");
    assert_eq!(forged(&site, &editor, &politics, &rename).await, 403);
    let r = editor.post(&site, &politics, &rename).await;
    assert_eq!(r.status(), 303);
    site.caught_up().await;
    assert!(nav_names(&site.text("/", 200).await).contains(&"سياسة محلية".to_string()));
    let r = editor
        .post(
            &site,
            "/admin/sections",
            &[
                ("name_ar", "رياضة"),
                ("name_en", ""),
                ("slug", ""),
                ("position", ""),
            ],
        )
        .await;
    assert_eq!(
        status_and_location(&r),
        (303, "/admin/sections?done=section_added".to_string())
    );
    site.caught_up().await;
    assert!(nav_names(&site.text("/en/", 200).await).contains(&"رياضة".to_string()));

    // A byline's bio through the form, on the author page.
    let authors = editor.page(&site, "/admin/authors").await;
    let author = format!(
        "/admin/authors/{}",
        between(&authors, "href=\"/admin/authors/", "\"").unwrap()
    );
    let form = editor.page(&site, &author).await;
    let slug = between(
        &form,
        r#"id="f-slug" name="slug" type="text" value=""#,
        "\"",
    )
    .unwrap();
    let bio = [
        ("slug", slug),
        ("photo_url", ""),
        ("name_ar", "اسم الكاتب"),
        ("role_ar", "محرّر الثقافة"),
        ("bio_ar", "يكتب عن الكتب والمسرح."),
        ("name_en", ""),
        ("role_en", ""),
        ("bio_en", ""),
    ];
    let r = editor.post(&site, &author, &bio).await;
    assert_eq!(r.status(), 303);
    site.caught_up().await;
    let page = site
        .text(&format!("/author/{}/", encode_segment(slug)), 200)
        .await;
    assert!(page.contains("يكتب عن الكتب والمسرح.") && page.contains("محرّر الثقافة"));

    // Redirects: added, answered, refused with a reason, removed.
    let add = [("source", "/old-about/"), ("location", "/about-us/")];
    assert_eq!(forged(&site, &editor, "/admin/redirects", &add).await, 403);
    assert_eq!(status_of(&site, "/old-about/").await, 404);
    let r = editor.post(&site, "/admin/redirects", &add).await;
    assert_eq!(r.status(), 303);
    assert_eq!(status_of(&site, "/old-about/").await, 301);
    let list = editor.page(&site, "/admin/redirects?q=old-about").await;
    assert!(list.contains("/old-about") && list.contains("/about-us/"));
    let r = editor
        .post(
            &site,
            "/admin/redirects",
            &[("source", "/admin/users"), ("location", "/")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("لا يمكن التحويل من هذا العنوان"));
    let remove = [("source", "/old-about")];
    let path = "/admin/redirects/remove";
    assert_eq!(forged(&site, &editor, path, &remove).await, 403);
    assert_eq!(status_of(&site, "/old-about/").await, 301);
    let r = editor.post(&site, path, &remove).await;
    assert_eq!(r.status(), 303);
    assert_eq!(status_of(&site, "/old-about/").await, 404);

    // A contributor sees none of it.
    let contributor = sign_in(&site, "contributor@example.org").await;
    for screen in [
        "/admin/pages",
        "/admin/sections",
        "/admin/authors",
        "/admin/redirects",
    ] {
        let status = contributor.get(&site, screen).await.status();
        assert_eq!(status, 403, "{screen}");
    }
    let dashboard = contributor.page(&site, "/admin/").await;
    assert!(!dashboard.contains("href=\"/admin/pages\""));
    site.stop().await;
}
