//! The newsroom's day over HTTP, on SQLite and PostgreSQL: the article
//! list's filters, review (send back with a note, approve), edit locks and
//! taking over, autosaved copies that never touch the article, a stale
//! save that shows what changed, the revision screens, preview links, and
//! scheduling that cannot be missed — with two servers on one database, a
//! server that was down at the time, and the alarm when nobody announces.

mod common;

use std::time::Duration;

use common::staff::*;
use common::{test_config, Backend, TestSite};
use serde_json::{json, Value};
use warraq::model::Role;
use warraq::service::people::Byline;

on_both_backends!(
    review_sends_back_with_a_note_and_approves,
    the_article_list_filters_searches_and_pages,
    locks_show_who_edits_and_taking_over_is_explicit,
    autosaves_never_touch_the_article,
    a_stale_save_shows_what_changed_meanwhile,
    revisions_are_shown_word_by_word_and_restored,
    preview_links_are_signed_and_expire,
    a_scheduled_article_goes_live_once_on_two_servers,
    an_article_due_while_no_server_ran_goes_live_at_start,
    an_overdue_article_raises_the_alarm,
    the_form_pins_related_articles_and_links_the_other_edition,
);

/// An editor and a contributor with bylines, signed in.
struct Newsroom {
    editor: Session,
    editor_token: String,
    writer: Session,
    writer_token: String,
}

async fn newsroom(site: &TestSite) -> Newsroom {
    let editor = add_user_as(
        site,
        "editor@example.org",
        "ليلى المحررة",
        Role::Editor,
        Byline::New,
    )
    .await;
    let writer = add_user_as(
        site,
        "writer@example.org",
        "سامر الكاتب",
        Role::Contributor,
        Byline::New,
    )
    .await;
    Newsroom {
        editor_token: token_for(site, &editor).await,
        writer_token: token_for(site, &writer).await,
        editor: sign_in(site, "editor@example.org").await,
        writer: sign_in(site, "writer@example.org").await,
    }
}

/// Polls `check` every 100 ms until it holds, for at most `secs` seconds.
async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while !check().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never happened: {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// RFC 3339, `secs` from now.
fn in_seconds(secs: i64) -> String {
    (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(secs)).to_string()
}

async fn sql_pool(site: &TestSite) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(&site.db.url).await.unwrap()
}

/// How many `published` changes the log holds for article `id`.
async fn published_changes(pool: &sqlx::AnyPool, id: i64) -> i64 {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM changes WHERE article_id = $1 AND kind = 'published'",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::Row::get(&row, "n")
}

async fn review_sends_back_with_a_note_and_approves(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let n = newsroom(&site).await;
    let mut article = draft("مقال يحتاج إلى مراجعة");
    article["authors"] = json!([]);
    let id = create(&site, &n.writer_token, &article).await;
    set_status(&site, &n.writer_token, id, "review").await;

    // A note goes only with sending back.
    let (code, e) = patch(
        &site,
        &article_path(id),
        &n.editor_token,
        &json!({ "note": "ملاحظة بلا إعادة" }),
    )
    .await;
    assert_eq!(code, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "note");

    // The editor sends it back through the form, with a note.
    let note = "أضِف مصدراً للرقم الوارد في الفقرة الثانية، وتحقّق من تهجئة «الأونروا».";
    let page = n.editor.page(&site, &format!("/admin/articles/{id}")).await;
    assert!(
        page.contains(r#"value="send_back""#),
        "an editor may send it back"
    );
    let revision = state(&site, &n.editor_token, id).await.revision;
    let mut fields = article_form("مقال يحتاج إلى مراجعة", "send_back", Some(revision));
    fields.retain(|(k, _)| *k != "authors");
    fields.push(("note", note.to_string()));
    let r = n
        .editor
        .post(&site, &format!("/admin/articles/{id}"), &fields)
        .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).ends_with("done=sent_back"), "{}", location(&r));
    let (_, a) = get_with(&site, &article_path(id), &n.writer_token).await;
    assert_eq!(a["status"], "draft");
    assert_eq!(a["note"], note);

    // The writer sees the note on the dashboard and in the form.
    let dashboard = n.writer.page(&site, "/admin/").await;
    assert!(
        dashboard.contains(note),
        "the note on the writer's dashboard"
    );
    let form = n.writer.page(&site, &format!("/admin/articles/{id}")).await;
    assert!(form.contains("review-note") && form.contains(note));
    assert!(
        !form.contains(r#"value="send_back""#),
        "a contributor sends nothing back"
    );

    // Submitted again and approved (published): the note is gone, the log kept it.
    set_status(&site, &n.writer_token, id, "review").await;
    let (code, a) = patch(
        &site,
        &article_path(id),
        &n.editor_token,
        &json!({ "status": "published", "authors": ["rana-haddad"] }),
    )
    .await;
    assert_eq!(code, 200, "{a}");
    assert_eq!(a["note"], "");
    let admin = add_user(&site, "admin@example.org", Role::Admin).await;
    let admin_token = token_for(&site, &admin).await;
    let (_, log) = get_with(&site, "/api/v1/audit", &admin_token).await;
    assert!(
        log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["detail"].as_str().unwrap_or_default().contains(note)),
        "the audit log keeps the note: {log}"
    );
    site.stop().await;
}

/// The article ids an article-list page shows, in order.
fn listed_ids(html: &str) -> Vec<i64> {
    html.match_indices(r#"class="row-id" dir="ltr">#"#)
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            rest[..rest.find('<').unwrap()].parse().unwrap()
        })
        .collect()
}

async fn the_article_list_filters_searches_and_pages(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let n = newsroom(&site).await;
    let all = n.editor.page(&site, "/admin/articles").await;
    let first_page = listed_ids(&all);
    assert_eq!(first_page.len(), 30, "a page holds 30");
    assert!(all.contains(r#"rel="next""#));

    // Each filter narrows to what the API says matches.
    let politics = n
        .editor
        .page(&site, "/admin/articles?section=politics")
        .await;
    let ids = listed_ids(&politics);
    assert!(!ids.is_empty());
    for id in &ids {
        let (_, a) = get_with(&site, &article_path(id), &n.editor_token).await;
        assert!(
            a["sections"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["slug"] == "politics"),
            "article {id} is in politics"
        );
    }
    let english = n.editor.page(&site, "/admin/articles?lang=en").await;
    for id in listed_ids(&english) {
        let (_, a) = get_with(&site, &article_path(id), &n.editor_token).await;
        assert_eq!(a["lang"], "en");
    }

    // Search by words of a headline, Arabic and English.
    let id = create(
        &site,
        &n.editor_token,
        &draft("مناقصة الكهرباء القرنفلية في طرابلس"),
    )
    .await;
    let found = n
        .editor
        .page(&site, "/admin/articles?q=%D8%B7%D8%B1%D8%A7%D8%A8%D9%84%D8%B3+%D8%A7%D9%84%D9%83%D9%87%D8%B1%D8%A8%D8%A7%D8%A1")
        .await;
    assert_eq!(listed_ids(&found), [id], "طرابلس الكهرباء");
    let drafts = n
        .editor
        .page(
            &site,
            "/admin/articles?status=draft&q=%D8%A7%D9%84%D9%82%D8%B1%D9%86%D9%81%D9%84%D9%8A%D8%A9",
        )
        .await;
    assert_eq!(listed_ids(&drafts), [id]);
    let none = n.editor.page(&site, "/admin/articles?status=published&q=%D8%A7%D9%84%D9%82%D8%B1%D9%86%D9%81%D9%84%D9%8A%D8%A9").await;
    assert!(listed_ids(&none).is_empty());
    // LIKE's wildcards are letters like any other.
    let wild = n.editor.page(&site, "/admin/articles?q=%25").await;
    assert!(listed_ids(&wild).is_empty(), "%: no headline has one");

    // Paging keeps the filters; the second page follows the first.
    let all = n.editor.page(&site, "/admin/articles").await;
    let first_page = listed_ids(&all);
    let next = between(&all, r#"rel="next" href=""#, "\"")
        .unwrap()
        .replace("&amp;", "&");
    let second = listed_ids(&n.editor.page(&site, &next).await);
    assert!(!second.is_empty() && second.iter().all(|id| !first_page.contains(id)));
    let filtered = n
        .editor
        .page(&site, "/admin/articles?lang=ar&section=politics")
        .await;
    if let Some(link) = between(&filtered, r#"rel="next" href=""#, "\"") {
        assert!(
            link.contains("section=politics") && link.contains("lang=ar"),
            "{link}"
        );
    }

    // Junk in the query is no filter, not an error.
    for junk in [
        "status=nonsense",
        "page=abc",
        "page=-3",
        "lang=xx",
        "section=%27%3B--",
    ] {
        let page = n
            .editor
            .page(&site, &format!("/admin/articles?{junk}"))
            .await;
        assert!(
            page.contains("articles_found") || page.contains("عدد المقالات"),
            "{junk}"
        );
    }

    // A contributor lists the newsroom's published articles and their own, not others' drafts.
    let mine = n.writer.page(&site, "/admin/articles?status=draft").await;
    assert!(!listed_ids(&mine).contains(&id));
    site.stop().await;
}

async fn locks_show_who_edits_and_taking_over_is_explicit(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let n = newsroom(&site).await;
    add_user_as(
        &site,
        "second@example.org",
        "كريم المحرر الثاني",
        Role::Editor,
        Byline::None,
    )
    .await;
    let second = sign_in(&site, "second@example.org").await;
    let id = create(&site, &n.editor_token, &draft("مقال يحرّره اثنان")).await;
    let path = format!("/admin/articles/{id}");

    // The first editor opens it: theirs.
    let first = n.editor.page(&site, &path).await;
    assert!(!first.contains("lock-notice"));
    // The second sees who has it, and a take-over button.
    let seen = second.page(&site, &path).await;
    assert!(
        seen.contains("lock-notice") && seen.contains("ليلى المحررة"),
        "{seen:.2000}"
    );
    assert!(seen.contains("/take-over"));

    // Saving over the holder is refused, and changes nothing.
    let before = state(&site, &n.editor_token, id).await;
    let r = second
        .post(
            &site,
            &path,
            &article_form("عنوان الثاني", "save", Some(before.revision)),
        )
        .await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("ليلى المحررة"));
    assert_eq!(state(&site, &n.editor_token, id).await, before);

    // The holder's heartbeat keeps it.
    let beat = n
        .editor
        .post(&site, &format!("{path}/lock"), &[("x", "")])
        .await;
    assert_eq!(beat.status(), 200);
    assert_eq!(json_of(beat).await["held"], true);

    // Taking over is explicit; then the first editor's heartbeat says who took it.
    let r = second
        .post(&site, &format!("{path}/take-over"), &[("x", "")])
        .await;
    assert_eq!(r.status(), 303);
    let beat = json_of(
        n.editor
            .post(&site, &format!("{path}/lock"), &[("x", "")])
            .await,
    )
    .await;
    assert_eq!(beat["held"], false);
    assert_eq!(beat["by"], "كريم المحرر الثاني");
    assert!(beat["message"].as_str().unwrap().contains("كريم"));
    let r = n
        .editor
        .post(
            &site,
            &path,
            &article_form("عنوان الأول", "save", Some(before.revision)),
        )
        .await;
    assert_eq!(r.status(), 409, "the first editor no longer saves");
    let r = second
        .post(
            &site,
            &path,
            &article_form("عنوان الثاني", "save", Some(before.revision)),
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        state(&site, &n.editor_token, id).await.headline,
        "عنوان الثاني"
    );

    // Letting go frees it at once.
    let r = second
        .post(&site, &format!("{path}/release"), &[("x", "")])
        .await;
    assert_eq!(r.status(), 204);
    assert!(!n.editor.page(&site, &path).await.contains("lock-notice"));
    site.stop().await;
}

async fn autosaves_never_touch_the_article(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let n = newsroom(&site).await;
    let id = create(&site, &n.editor_token, &draft("العنوان المنشور")).await;
    set_status(&site, &n.editor_token, id, "published").await;
    let (_, public) = site
        .json(&article_path(id), 200)
        .await
        .as_object()
        .map(|o| (0, Value::Object(o.clone())))
        .unwrap();
    let url = public["url"].as_str().unwrap().to_string();
    let path = format!("/admin/articles/{id}");
    let before = state(&site, &n.editor_token, id).await;

    let r = n
        .editor
        .post(
            &site,
            &format!("{path}/autosave"),
            &article_form("عنوان لم يُحفظ بعد", "publish", Some(before.revision)),
        )
        .await;
    assert_eq!(r.status(), 200);
    let answer = json_of(r).await;
    assert!(answer["message"]
        .as_str()
        .unwrap()
        .contains(answer["saved_at"].as_str().unwrap()));

    // Not in the article, not on the site.
    assert_eq!(state(&site, &n.editor_token, id).await, before);
    site.caught_up().await;
    let page = site
        .text(url.trim_start_matches("https://news.example"), 200)
        .await;
    assert!(page.contains("العنوان المنشور") && !page.contains("عنوان لم يُحفظ بعد"));

    // The form offers it back, shows it when asked, and forgets it once saved.
    let form = n.editor.page(&site, &path).await;
    assert!(form.contains("autosave-notice"));
    let restored = n
        .editor
        .page(&site, &format!("{path}?autosave=restore"))
        .await;
    assert!(restored.contains(r#"value="عنوان لم يُحفظ بعد""#));
    assert!(
        !n.writer
            .page(&site, &path)
            .await
            .contains("autosave-notice"),
        "copies are their writer's own"
    );
    let r = n
        .editor
        .post(
            &site,
            &path,
            &article_form("عنوان لم يُحفظ بعد", "save", Some(before.revision)),
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(!n
        .editor
        .page(&site, &path)
        .await
        .contains("autosave-notice"));

    // A new article's copy, and throwing one away.
    let r = n
        .editor
        .post(
            &site,
            "/admin/articles/new/autosave",
            &article_form("مسودة جديدة لم تُحفظ", "save", None),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(n
        .editor
        .page(&site, "/admin/articles/new")
        .await
        .contains("autosave-notice"));
    let r = n
        .editor
        .post(&site, "/admin/articles/new/autosave/discard", &[("x", "")])
        .await;
    assert_eq!(r.status(), 303);
    assert!(!n
        .editor
        .page(&site, "/admin/articles/new")
        .await
        .contains("autosave-notice"));
    assert_eq!(
        article_by_headline(&site, "مسودة جديدة لم تُحفظ").await,
        None
    );

    // An autosave needs the session's CSRF token like any form.
    let r = raw_post(
        &site,
        Some(&n.editor.header()),
        &format!("{path}/autosave"),
        "headline=x".into(),
    )
    .await;
    assert_eq!(r.status(), 403);
    site.stop().await;
}

async fn a_stale_save_shows_what_changed_meanwhile(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let n = newsroom(&site).await;
    let id = create(
        &site,
        &n.editor_token,
        &draft("الحكومة تقرّ الموازنة مساء الأحد"),
    )
    .await;
    let opened = state(&site, &n.editor_token, id).await.revision;
    // Someone saves through the API meanwhile.
    let (code, _) = patch(
        &site,
        &article_path(id),
        &n.writer_token.clone(),
        &json!({ "headline": "x" }),
    )
    .await;
    assert_eq!(code, 404, "not the contributor's to see");
    let (code, a) = patch(
        &site,
        &article_path(id),
        &n.editor_token,
        &json!({ "headline": "الحكومة تقرّ الموازنة مساء الاثنين", "revision": opened }),
    )
    .await;
    assert_eq!(code, 200, "{a}");
    // The form saved from the revision it was opened at is refused, shows the change, keeps the text.
    let r = n
        .editor
        .post(
            &site,
            &format!("/admin/articles/{id}"),
            &article_form("عنواني أنا", "save", Some(opened)),
        )
        .await;
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(page.contains(r#"id="meanwhile""#));
    assert!(
        page.contains("<del>الأحد</del><ins>الاثنين</ins>"),
        "{page:.3000}"
    );
    assert!(
        page.contains(r#"value="عنواني أنا""#),
        "what the user wrote stays"
    );
    assert_eq!(
        state(&site, &n.editor_token, id).await.headline,
        "الحكومة تقرّ الموازنة مساء الاثنين"
    );
    // The API says 409 with the stored revision.
    let (code, e) = patch(
        &site,
        &article_path(id),
        &n.editor_token,
        &json!({ "headline": "y", "revision": opened }),
    )
    .await;
    assert_eq!(code, 409);
    assert_eq!(e["error"]["revision"], opened + 1);
    site.stop().await;
}

async fn revisions_are_shown_word_by_word_and_restored(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let n = newsroom(&site).await;
    let mut article = draft("وزارة الصحة تعلن خطة التطعيم");
    article["body_html"] = json!("<p dir=\"auto\">بدأت الحملة في المدارس.</p><p dir=\"auto\">The campaign starts in schools.</p>");
    let id = create(&site, &n.editor_token, &article).await;
    let (_, a) = patch(
        &site,
        &article_path(id),
        &n.editor_token,
        &json!({ "headline": "وزارة الصحة تؤجّل خطة التطعيم", "body_html": "<p dir=\"auto\">بدأت الحملة في الجامعات.</p><p dir=\"auto\">The campaign starts in universities.</p>" }),
    )
    .await;
    let latest = a["revision"].as_i64().unwrap();

    let list = n
        .editor
        .page(&site, &format!("/admin/articles/{id}/revisions"))
        .await;
    assert!(list.contains(&format!("/admin/articles/{id}/revisions/{latest}")));
    assert!(list.contains("ليلى المحررة"), "who saved it");
    let diff = n
        .editor
        .page(&site, &format!("/admin/articles/{id}/revisions/{latest}"))
        .await;
    assert!(
        diff.contains("<del>تعلن</del><ins>تؤجّل</ins>"),
        "{diff:.3000}"
    );
    assert!(diff.contains("<del>المدارس.</del><ins>الجامعات.</ins>"));
    assert!(diff.contains("<del>schools.</del><ins>universities.</ins>"));
    assert!(
        diff.contains(r#"dir="auto" lang="ar""#),
        "laid out in the article's direction"
    );

    // Restoring the first revision saves it as a new one.
    let first = latest - 1;
    let page = n
        .editor
        .page(&site, &format!("/admin/articles/{id}/revisions/{first}"))
        .await;
    assert!(page.contains("/restore"));
    let r = n
        .editor
        .post(
            &site,
            &format!("/admin/articles/{id}/revisions/{first}/restore"),
            &[("x", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let now = state(&site, &n.editor_token, id).await;
    assert_eq!(now.headline, "وزارة الصحة تعلن خطة التطعيم");
    assert_eq!(now.revision, latest + 1);
    // Others' revisions stay others'.
    let r = n
        .writer
        .get(&site, &format!("/admin/articles/{id}/revisions/{first}"))
        .await;
    assert_eq!(r.status(), 404);
    site.stop().await;
}

async fn preview_links_are_signed_and_expire(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let n = newsroom(&site).await;
    let id = create(&site, &n.editor_token, &draft("مقال لم يُنشر بعد")).await;
    let (code, link) = api(
        &site,
        "POST",
        &format!("/api/v1/articles/{id}/preview"),
        Some(&n.editor_token),
        None,
    )
    .await;
    assert_eq!(code, 201, "{link}");
    let url = link["url"].as_str().unwrap();
    assert!(url.starts_with("https://news.example/preview/"), "{url}");
    let expires: jiff::Timestamp = link["expires_at"].as_str().unwrap().parse().unwrap();
    let hours = (expires - jiff::Timestamp::now()).get_seconds() / 3600;
    assert!((47..=48).contains(&hours), "48 hours by default: {hours}");
    let path = url.trim_start_matches("https://news.example");

    // Anyone with the link sees the page as the site will show it; nobody indexes it or counts it.
    let r = site.get(path).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(r.headers()["x-robots-tag"]
        .to_str()
        .unwrap()
        .contains("noindex"));
    let page = r.text().await.unwrap();
    assert!(page.contains("<h1>مقال لم يُنشر بعد</h1>"));
    assert!(page.contains(r#"<meta name="robots" content="noindex">"#));
    assert!(page.contains("preview-banner") && !page.contains("/hit"));
    // The article itself stays off the site.
    assert_eq!(site.get(&article_path(id)).await.status(), 404);

    // Changed links are refused: another article, another time, another signature.
    let sig = between(path, "sig=", "&").unwrap_or_else(|| path.rsplit("sig=").next().unwrap());
    let other = create(&site, &n.editor_token, &draft("مقال آخر")).await;
    let later = expires.as_second() + 3600;
    for tampered in [
        path.replace(&format!("/preview/{id}?"), &format!("/preview/{other}?")),
        path.replace(
            &format!("expires={}", expires.as_second()),
            &format!("expires={later}"),
        ),
        path.replace(sig, &"0".repeat(sig.len())),
        format!("/preview/{id}"),
        format!("/preview/{id}?expires=abc&sig={sig}"),
    ] {
        let r = site.get(&tampered).await;
        assert_eq!(r.status(), 403, "{tampered}");
        assert!(r.text().await.unwrap().contains("غير صالح"));
    }
    // An expired link, signed right, says it expired.
    let key = site.store.site_key("preview", "unused").await.unwrap();
    let past = jiff::Timestamp::now().as_second() - 60;
    let old_sig = warraq::auth::sign(key.as_bytes(), &format!("preview:{id}:{past}"));
    let r = site
        .get(&format!("/preview/{id}?expires={past}&sig={old_sig}"))
        .await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("انتهت صلاحية"));

    // From the back office, a button opens a fresh link; a contributor has none for others' drafts.
    let r = n
        .editor
        .post(
            &site,
            &format!("/admin/articles/{id}/preview"),
            &[("x", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(site.get(&location(&r)).await.status(), 200);
    let (code, _) = api(
        &site,
        "POST",
        &format!("/api/v1/articles/{id}/preview"),
        Some(&n.writer_token),
        None,
    )
    .await;
    assert_eq!(code, 404);
    // In the trash, the link leads nowhere.
    let (code, _) = api(
        &site,
        "DELETE",
        &article_path(id),
        Some(&n.editor_token),
        None,
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(site.get(path).await.status(), 404);
    site.stop().await;
}

async fn a_scheduled_article_goes_live_once_on_two_servers(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let second = site.node(test_config()).await;
    let n = newsroom(&site).await;
    let mut article = draft("مقال مجدول لثانيتين");
    article["status"] = json!("scheduled");
    article["publish_at"] = json!(in_seconds(2));
    let id = create(&site, &n.editor_token, &article).await;
    assert_eq!(site.get(&article_path(id)).await.status(), 404, "not yet");
    let pool = sql_pool(&site).await;
    let before = published_changes(&pool, id).await;

    // Live on both, on its own: the API, and search (which only a follower fills).
    for (name, node) in [("first", &site), ("second", &second)] {
        eventually(
            15,
            &format!("the article is public on the {name} server"),
            || async { node.get(&article_path(id)).await.status() == 200 },
        )
        .await;
        eventually(
            15,
            &format!("the article is in search on the {name} server"),
            || async {
                let found = node
                    .json("/api/v1/search?q=%D9%85%D8%AC%D8%AF%D9%88%D9%84", 200)
                    .await;
                found.to_string().contains("مقال مجدول لثانيتين")
            },
        )
        .await;
    }
    // Announced once, whichever of the two servers got there first.
    let (_, a) = get_with(&site, &article_path(id), &n.editor_token).await;
    assert_eq!(a["status"], "published");
    site.caught_up().await;
    second.caught_up().await;
    assert_eq!(published_changes(&pool, id).await - before, 1);
    pool.close().await;
    second.stop().await;
    site.stop().await;
}

async fn an_article_due_while_no_server_ran_goes_live_at_start(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let n = newsroom(&site).await;
    let mut article = draft("مقال حان موعده والخادم متوقف");
    article["status"] = json!("scheduled");
    article["publish_at"] = json!(in_seconds(2));
    let id = create(&site, &n.editor_token, &article).await;
    let db = site.halt().await;
    tokio::time::sleep(Duration::from_millis(2500)).await;

    let site = TestSite::resume(db, test_config()).await;
    site.caught_up().await;
    eventually(15, "search has the article", || async {
        let found = site
            .json("/api/v1/search?q=%D9%85%D8%AA%D9%88%D9%82%D9%81", 200)
            .await;
        found.to_string().contains("مقال حان موعده")
    })
    .await;
    let pool = sql_pool(&site).await;
    assert_eq!(published_changes(&pool, id).await, 1);
    pool.close().await;
    site.stop().await;
}

async fn an_overdue_article_raises_the_alarm(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let n = newsroom(&site).await;
    let metrics = site.text("/metrics", 200).await;
    assert!(
        metrics.contains("warraq_scheduled_overdue 0\n"),
        "{metrics}"
    );
    assert!(!n
        .editor
        .page(&site, "/admin/")
        .await
        .contains(r#"id="overdue""#));

    let mut article = draft("مقال تأخّر نشره");
    article["status"] = json!("scheduled");
    article["publish_at"] = json!(in_seconds(3600));
    let id = create(&site, &n.editor_token, &article).await;

    // No process follows the schedule, and the article's time came two
    // minutes ago (as it would for a server stopped since).
    let db = site.halt().await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let two_minutes_ago = jiff::Timestamp::now().as_second() - 120;
    sqlx::query("UPDATE articles SET published_at = $1 WHERE id = $2")
        .bind(two_minutes_ago)
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE change_clock SET due_checked = $1 WHERE id = 1")
        .bind(two_minutes_ago - 1)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let site = TestSite::resume_frozen(db, test_config()).await;
    let metrics = site.text("/metrics", 200).await;
    assert!(
        metrics.contains("warraq_scheduled_overdue 1\n"),
        "{metrics}"
    );
    let late: i64 = between(&metrics, "\nwarraq_scheduled_overdue_seconds ", "\n")
        .unwrap()
        .parse()
        .unwrap();
    assert!(late >= 120, "{late}");
    let editor = sign_in(&site, "editor@example.org").await;
    let dashboard = editor.page(&site, "/admin/").await;
    assert!(dashboard.contains(r#"id="overdue""#), "{dashboard:.2000}");

    // A server that follows the schedule announces it, and the alarm ends.
    let site = TestSite::resume(site.halt().await, test_config()).await;
    site.caught_up().await;
    eventually(15, "the alarm ends", || async {
        site.text("/metrics", 200)
            .await
            .contains("warraq_scheduled_overdue 0\n")
    })
    .await;
    assert!(!editor
        .page(&site, "/admin/")
        .await
        .contains(r#"id="overdue""#));
    site.stop().await;
}

async fn the_form_pins_related_articles_and_links_the_other_edition(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let n = newsroom(&site).await;
    let id = create(&site, &n.editor_token, &draft("المقال الأصلي")).await;
    let pinned = create(&site, &n.editor_token, &draft("مقال مثبّت")).await;
    let mut english = draft("The same story in English");
    english["lang"] = json!("en");
    english["sections"] = json!([]);
    english["authors"] = json!([]);
    let other = create(&site, &n.editor_token, &english).await;
    let path = format!("/admin/articles/{id}");
    let form = |revision: i64, related: &str, translation: &str| {
        let mut fields = article_form("المقال الأصلي", "save", Some(revision));
        fields.push(("read_also_shown", "1".into()));
        fields.push(("related", related.into()));
        fields.push(("translation_id", translation.into()));
        fields
    };

    // Numbers typed in Arabic-Indic digits are numbers; "read also" unticked is off.
    let revision = state(&site, &n.editor_token, id).await.revision;
    let indic: String = pinned
        .to_string()
        .chars()
        .map(|c| char::from_u32(0x0660 + c.to_digit(10).unwrap()).unwrap())
        .collect();
    let r = n
        .editor
        .post(&site, &path, &form(revision, &indic, &other.to_string()))
        .await;
    assert_eq!(r.status(), 303);
    let (_, a) = get_with(&site, &article_path(id), &n.editor_token).await;
    assert_eq!(a["related"], json!([pinned]));
    assert_eq!(a["read_also"], false);
    assert_eq!(a["translation_id"], other);
    let (_, b) = get_with(&site, &article_path(other), &n.editor_token).await;
    assert_eq!(b["translation_id"], id, "linked both ways");
    let page = n.editor.page(&site, &path).await;
    assert!(page.contains(&format!(
        r#"name="translation_id" type="text" value="{other}""#
    )));

    // What is not a number, or not an article, is refused and changes nothing.
    let revision = state(&site, &n.editor_token, id).await.revision;
    for (related, translation) in [
        ("عشرة", ""),
        ("999999", ""),
        (&*id.to_string(), ""),
        ("", "x"),
    ] {
        let r = n
            .editor
            .post(&site, &path, &form(revision, related, translation))
            .await;
        assert_eq!(
            r.status(),
            422,
            "related {related:?}, translation {translation:?}"
        );
    }
    assert_eq!(state(&site, &n.editor_token, id).await.revision, revision);
    let (_, a) = get_with(&site, &article_path(id), &n.editor_token).await;
    assert_eq!(a["related"], json!([pinned]));

    // Emptied, the link is undone on both.
    let r = n.editor.post(&site, &path, &form(revision, "", "")).await;
    assert_eq!(r.status(), 303);
    let (_, b) = get_with(&site, &article_path(other), &n.editor_token).await;
    assert_eq!(b["translation_id"], Value::Null);

    // A post that leaves the bylines and sections out keeps them; the form,
    // which says it showed them, clears them when none is ticked.
    let revision = state(&site, &n.editor_token, id).await.revision;
    let mut partial = form(revision, "", "");
    partial.retain(|(k, _)| !matches!(*k, "sections" | "authors"));
    let r = n.editor.post(&site, &path, &partial).await;
    assert_eq!(r.status(), 303);
    let (_, a) = get_with(&site, &article_path(id), &n.editor_token).await;
    assert_eq!(a["sections"][0]["slug"], "politics");
    assert_eq!(a["authors"][0]["slug"], "rana-haddad");
    partial.push(("sections_shown", "1".into()));
    partial.retain(|(k, _)| *k != "revision");
    let r = n.editor.post(&site, &path, &partial).await;
    assert_eq!(r.status(), 303);
    let (_, a) = get_with(&site, &article_path(id), &n.editor_token).await;
    assert_eq!(a["sections"], json!([]), "a draft may have no section");
    site.stop().await;
}
