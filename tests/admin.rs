//! The back office and the write API over HTTP, on SQLite and PostgreSQL:
//! who may do what (through the API and through the forms), what the write
//! API answers, and the ways in an attacker would try — forged requests,
//! planted sessions, password guessing, stored scripts, SQL in filters,
//! old tokens, disabled accounts, one-time codes used twice — and the
//! audit log that records it all. The command line's accounts and tokens
//! at the end (SQLite only).

mod common;

use common::staff::*;
use common::{Backend, TestSite};
use serde_json::{json, Value};
use warraq::auth::Totp;
use warraq::model::{slugify, Actor, Lang, Role, User};
use warraq::render::encode_segment;
use warraq::service::people::Byline;

on_both_backends!(
    permissions_through_the_api,
    permissions_through_the_forms,
    write_api_answers,
    drafts_and_schedules_stay_private,
    csrf_is_required_with_a_session,
    csrf_refusals_say_why,
    sessions_are_new_at_sign_in,
    signing_in_over_a_live_session_replaces_it,
    sign_in_is_throttled,
    unknown_emails_look_like_wrong_passwords,
    stored_xss_comes_back_inert,
    sql_in_filters_is_just_text,
    revoked_tokens_and_disabled_users,
    second_factor,
    audit_log_records_who_did_what,
    moved_articles_and_linked_editions,
    revisions_and_restore,
);

// ---------------------------------------------------------------------
// Helpers: accounts, cookies, forms, the API.
// ---------------------------------------------------------------------

/// The ids of a JSON list of articles (or search hits).
fn ids_of(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect()
}

async fn user_by_email(site: &TestSite, email: &str) -> Option<User> {
    site.store.user_by_email(email).await.unwrap()
}

/// `fields` with `key`'s value replaced by `value` (moved to the end).
fn replace_field(fields: &mut Vec<(&'static str, String)>, key: &'static str, value: &str) {
    fields.retain(|(k, _)| *k != key);
    fields.push((key, value.to_string()));
}

// ---------------------------------------------------------------------
// 1. The permission matrix.
// ---------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Act {
    Create,
    CreatePublished,
    EditOwnDraft,
    EditOwnPublished,
    EditOthers,
    Submit,
    Publish,
    Schedule,
    Unpublish,
    UnpublishOthers,
    DeleteOwnDraft,
    DeleteOwnPublished,
    ManageUsers,
    ReadAudit,
}

const Y: bool = true;
const N: bool = false;

/// Who may do what, from the issue's roles — columns: admin, editor,
/// author, contributor. Admins and editors do everything to every
/// article; authors everything to their own; contributors write their
/// own drafts and submit them, and lose them once published. Only admins
/// manage users and read the audit log.
#[rustfmt::skip]
const MATRIX: &[(Act, [bool; 4])] = &[
    //                        admin editor author contributor
    (Act::Create,             [Y,   Y,     Y,     Y]),
    (Act::CreatePublished,    [Y,   Y,     Y,     N]),
    (Act::EditOwnDraft,       [Y,   Y,     Y,     Y]),
    (Act::EditOwnPublished,   [Y,   Y,     Y,     N]),
    (Act::EditOthers,         [Y,   Y,     N,     N]),
    (Act::Submit,             [Y,   Y,     Y,     Y]),
    (Act::Publish,            [Y,   Y,     Y,     N]),
    (Act::Schedule,           [Y,   Y,     Y,     N]),
    (Act::Unpublish,          [Y,   Y,     Y,     N]),
    (Act::UnpublishOthers,    [Y,   Y,     N,     N]),
    (Act::DeleteOwnDraft,     [Y,   Y,     Y,     Y]),
    (Act::DeleteOwnPublished, [Y,   Y,     Y,     N]),
    (Act::ManageUsers,        [Y,   N,     N,     N]),
    (Act::ReadAudit,          [Y,   N,     N,     N]),
];

/// The article an action works on.
enum Target {
    None,
    OwnDraft,
    OwnPublished,
    /// Someone else's, and public: their drafts the actor cannot even see
    /// (404, checked in `drafts_and_schedules_stay_private`).
    OthersPublished,
}

impl Act {
    fn target(self) -> Target {
        match self {
            Act::Create | Act::CreatePublished | Act::ManageUsers | Act::ReadAudit => Target::None,
            Act::EditOwnDraft
            | Act::Submit
            | Act::Publish
            | Act::Schedule
            | Act::DeleteOwnDraft => Target::OwnDraft,
            Act::EditOwnPublished | Act::Unpublish | Act::DeleteOwnPublished => {
                Target::OwnPublished
            }
            Act::EditOthers | Act::UnpublishOthers => Target::OthersPublished,
        }
    }

    /// The article's status once the action is done.
    fn status_after(self) -> Option<&'static str> {
        match self {
            Act::Create | Act::EditOwnDraft => Some("draft"),
            Act::CreatePublished | Act::EditOwnPublished | Act::EditOthers | Act::Publish => {
                Some("published")
            }
            Act::Submit => Some("review"),
            Act::Schedule => Some("scheduled"),
            Act::Unpublish | Act::UnpublishOthers => Some("unpublished"),
            Act::DeleteOwnDraft | Act::DeleteOwnPublished => Some("trash"),
            Act::ManageUsers | Act::ReadAudit => None,
        }
    }

    fn edits_headline(self) -> bool {
        matches!(
            self,
            Act::EditOwnDraft | Act::EditOwnPublished | Act::EditOthers
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Channel {
    Api,
    Forms,
}

/// Who acts: a role's user, with a token and (for the forms) a session.
struct Member {
    role: Role,
    token: String,
    session: Option<Session>,
}

fn edited(headline: &str) -> String {
    format!("{headline} edited")
}

/// Does `act` as `who` through the API; returns the status.
async fn act_by_api(
    site: &TestSite,
    who: &Member,
    act: Act,
    id: Option<i64>,
    headline: &str,
) -> u16 {
    let token = Some(who.token.as_str());
    let path = article_path(id.unwrap_or_default());
    let patch = |body: Value| async move { api(site, "PATCH", &path, token, Some(&body)).await };
    let (status, _) = match act {
        Act::Create => {
            api(
                site,
                "POST",
                "/api/v1/articles",
                token,
                Some(&draft(headline)),
            )
            .await
        }
        Act::CreatePublished => {
            let mut body = draft(headline);
            body["status"] = json!("published");
            api(site, "POST", "/api/v1/articles", token, Some(&body)).await
        }
        Act::EditOwnDraft | Act::EditOwnPublished | Act::EditOthers => {
            patch(json!({ "headline": edited(headline) })).await
        }
        Act::Submit => patch(json!({ "status": "review" })).await,
        Act::Publish => patch(json!({ "status": "published" })).await,
        Act::Schedule => patch(json!({ "status": "scheduled", "publish_at": FUTURE })).await,
        Act::Unpublish | Act::UnpublishOthers => patch(json!({ "status": "unpublished" })).await,
        Act::DeleteOwnDraft | Act::DeleteOwnPublished => {
            api(site, "DELETE", &article_path(id.unwrap()), token, None).await
        }
        Act::ReadAudit => api(site, "GET", "/api/v1/audit", token, None).await,
        Act::ManageUsers => unreachable!("the API has no user management"),
    };
    status
}

/// Does `act` as `who` through the back-office forms; returns the status
/// and where a 303 leads.
async fn act_by_form(
    site: &TestSite,
    who: &Member,
    act: Act,
    id: Option<i64>,
    revision: Option<i64>,
    headline: &str,
) -> (u16, String) {
    let session = who.session.as_ref().unwrap();
    let path = format!("/admin/articles/{}", id.unwrap_or_default());
    let r = match act {
        Act::Create | Act::CreatePublished => {
            let button = if act == Act::Create {
                "save"
            } else {
                "publish"
            };
            let fields = article_form(headline, button, None);
            session.post(site, "/admin/articles", &fields).await
        }
        Act::EditOwnDraft | Act::EditOwnPublished | Act::EditOthers => {
            let fields = article_form(&edited(headline), "save", revision);
            session.post(site, &path, &fields).await
        }
        Act::Submit | Act::Publish | Act::Schedule | Act::Unpublish | Act::UnpublishOthers => {
            let button = match act {
                Act::Submit => "submit",
                Act::Publish => "publish",
                Act::Schedule => "schedule",
                _ => "unpublish",
            };
            session
                .post(site, &path, &article_form(headline, button, revision))
                .await
        }
        Act::DeleteOwnDraft | Act::DeleteOwnPublished => {
            session
                .post(site, &path, &article_form(headline, "delete", revision))
                .await
        }
        Act::ManageUsers => {
            let email = format!("new-{}@news.example", who.role);
            let fields = [
                ("email", email.as_str()),
                ("name", "مستخدم جديد"),
                ("role", "author"),
                ("password", PASSWORD),
                ("lang", "ar"),
                ("author", ""),
            ];
            session.post(site, "/admin/users", &fields).await
        }
        Act::ReadAudit => session.get(site, "/admin/audit").await,
    };
    (r.status().as_u16(), location(&r))
}

/// Runs the whole matrix through one channel; every mismatch is listed,
/// not only the first.
async fn permission_matrix(backend: Backend, channel: Channel) {
    let site = TestSite::demo(backend).await;
    // The editor who looks at each article before and after.
    let checker = token_of_new(&site, "checker@news.example", Role::Editor).await;
    let other = token_of_new(&site, "other@news.example", Role::Author).await;
    let mut wrong = Vec::new();
    for (column, role) in Role::ALL.into_iter().enumerate() {
        let email = format!("{role}@news.example");
        let user = add_user(&site, &email, role).await;
        let who = Member {
            role,
            token: token_for(&site, &user).await,
            session: match channel {
                Channel::Forms => Some(sign_in(&site, &email).await),
                Channel::Api => None,
            },
        };
        for &(act, allowed) in MATRIX {
            if channel == Channel::Api && act == Act::ManageUsers {
                continue;
            }
            let allowed = allowed[column];
            let headline = format!("{role} {act:?} {channel:?}");
            let id = match act.target() {
                Target::None => None,
                Target::OwnDraft => Some(create(&site, &who.token, &draft(&headline)).await),
                Target::OwnPublished | Target::OthersPublished => {
                    // One's own is published by the checking editor (a
                    // contributor could not); someone else's by its writer.
                    let (writer, publisher) = match act.target() {
                        Target::OwnPublished => (&who.token, &checker),
                        _ => (&other, &other),
                    };
                    let id = create(&site, writer, &draft(&headline)).await;
                    set_status(&site, publisher, id, "published").await;
                    Some(id)
                }
            };
            let before = match id {
                Some(id) => Some(state(&site, &checker, id).await),
                None => None,
            };
            let (status, to) = match channel {
                Channel::Api => (
                    act_by_api(&site, &who, act, id, &headline).await,
                    String::new(),
                ),
                Channel::Forms => {
                    let revision = before.as_ref().map(|b| b.revision);
                    act_by_form(&site, &who, act, id, revision, &headline).await
                }
            };
            let what = format!("{role} {act:?} via {channel:?}");
            let succeeded = (200..300).contains(&status) || status == 303;
            if allowed && !succeeded {
                wrong.push(format!("{what}: allowed, but got {status}"));
                continue;
            }
            if !allowed && status != 403 {
                wrong.push(format!("{what}: forbidden, but got {status} (→ {to})"));
            }
            // Whatever the answer, the article must be where the verdict
            // says: changed when allowed, untouched when refused.
            let after = match id {
                Some(id) => Some(state(&site, &checker, id).await),
                None => match act {
                    Act::Create | Act::CreatePublished => {
                        match article_by_headline(&site, &headline).await {
                            Some(id) => Some(state(&site, &checker, id).await),
                            None => None,
                        }
                    }
                    _ => None,
                },
            };
            match (&before, &after, allowed) {
                (Some(b), Some(a), false) if a != b => {
                    wrong.push(format!("{what}: refused, yet {b:?} became {a:?}"))
                }
                (_, Some(a), true) => {
                    if act.status_after() != Some(a.status.as_str()) {
                        wrong.push(format!(
                            "{what}: status {} instead of {:?}",
                            a.status,
                            act.status_after()
                        ));
                    }
                    if act.edits_headline() && a.headline != edited(&headline) {
                        wrong.push(format!("{what}: headline not saved: {a:?}"));
                    }
                    if let Some(b) = &before {
                        if a.revision <= b.revision {
                            wrong.push(format!("{what}: revision {} → {}", b.revision, a.revision));
                        }
                    }
                }
                (None, Some(a), false) => wrong.push(format!("{what}: refused, yet created {a:?}")),
                (None, None, true) if act.status_after().is_some() => {
                    wrong.push(format!("{what}: allowed, but no article was created"))
                }
                _ => {}
            }
            if act == Act::ManageUsers {
                let added = user_by_email(&site, &format!("new-{role}@news.example"))
                    .await
                    .is_some();
                if added != allowed {
                    wrong.push(format!("{what}: user added: {added}"));
                }
            }
            // A form that worked leads somewhere sensible.
            if channel == Channel::Forms && allowed && status == 303 {
                let expected = match act {
                    Act::DeleteOwnDraft | Act::DeleteOwnPublished => "/admin/?done=deleted",
                    Act::ManageUsers => "/admin/users?done=user_added",
                    _ => "/admin/articles/",
                };
                if !to.starts_with(expected) {
                    wrong.push(format!("{what}: 303 to {to}, not {expected}…"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "permission matrix:\n{}", wrong.join("\n"));
    site.stop().await;
}

async fn permissions_through_the_api(backend: Backend) {
    permission_matrix(backend, Channel::Api).await;
}

async fn permissions_through_the_forms(backend: Backend) {
    permission_matrix(backend, Channel::Forms).await;
}

// ---------------------------------------------------------------------
// 2. What the write API answers.
// ---------------------------------------------------------------------

async fn write_api_answers(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let token = token_of_new(&site, "author@news.example", Role::Author).await;
    let contributor = token_of_new(&site, "contributor@news.example", Role::Contributor).await;

    // 201 with the article, its status, revision and the text pipeline's
    // warnings; the slug comes from the Arabic headline, in Arabic.
    let headline = "الماء أولاً في إربد";
    let mut body = draft(headline);
    body["body_html"] = json!("<p>نص</p><p>[gallery_x id=1]</p>");
    let (status, a) = post_article(&site, &token, &body).await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(a["status"], "draft");
    assert_eq!(a["headline"], headline);
    let revision = a["revision"].as_i64().expect("a revision number");
    let warnings = a["warnings"].as_array().expect("warnings");
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("gallery_x")),
        "the unknown shortcode is named: {warnings:?}"
    );
    let id = a["id"].as_i64().unwrap();
    let stored = site.store.staff_article(id).await.unwrap().unwrap();
    assert_eq!(stored.article.slug, slugify(headline));
    assert!(
        stored.article.slug.starts_with("الماء"),
        "{}",
        stored.article.slug
    );
    let url = a["url"].as_str().unwrap();
    assert!(
        url.ends_with(&format!("/{}/", encode_segment(&stored.article.slug))),
        "{url}"
    );
    // No warnings, no shortcode problems: an empty list, not a missing one.
    let (_, plain) = post_article(&site, &token, &draft("نص عادي")).await;
    assert_eq!(plain["warnings"], json!([]));

    // Each save raises the revision; a save made from an older one is a
    // conflict, and changes nothing.
    let path = article_path(id);
    let changes = json!({ "standfirst": "ملخّص جديد.", "revision": revision });
    let (status, saved) = patch(&site, &path, &token, &changes).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["revision"].as_i64(), Some(revision + 1));
    assert_eq!(saved["standfirst"], "ملخّص جديد.");
    let changes = json!({ "headline": "عنوان من نسخة قديمة", "revision": revision });
    let (status, conflict) = patch(&site, &path, &token, &changes).await;
    assert_eq!(status, 409, "{conflict}");
    assert_eq!(conflict["error"]["code"], "conflict");
    assert_eq!(conflict["error"]["revision"].as_i64(), Some(revision + 1));
    let (_, now) = get_with(&site, &path, &token).await;
    assert_eq!(now["headline"], headline);
    assert_eq!(now["revision"].as_i64(), Some(revision + 1));

    // Every field that fails is named, all at once.
    let wrong_everywhere = json!({
        "lang": "ar",
        "headline": "   ",
        "sections": ["politics", "no-such-section"],
        "authors": ["nobody-at-all"],
        "publish_at": "next Tuesday",
        "status": "live",
        "cover": { "url": "javascript:alert(1)" },
    });
    let (status, invalid) = post_article(&site, &token, &wrong_everywhere).await;
    assert_eq!(status, 422, "{invalid}");
    let fields: Vec<&str> = invalid["error"]["fields"]
        .as_array()
        .expect("the failing fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for field in [
        "headline",
        "sections[1]",
        "authors[0]",
        "publish_at",
        "status",
        "cover.url",
    ] {
        assert!(fields.contains(&field), "{field} not named in {invalid}");
    }
    assert!(
        !fields.contains(&"sections[0]"),
        "politics exists: {invalid}"
    );
    let (status, _) = post_article(&site, &token, &json!({ "headline": "بلا لغة" })).await;
    assert_eq!(status, 422, "the edition is required");
    // Scheduling needs a time to come.
    let (status, invalid) = patch(&site, &path, &token, &json!({ "status": "scheduled" })).await;
    assert_eq!(status, 422);
    assert_eq!(invalid["error"]["fields"][0]["field"], "publish_at");

    // No credentials, or the wrong kind: 401 with a JSON error.
    for (method, p) in [
        ("POST", "/api/v1/articles"),
        ("PATCH", path.as_str()),
        ("DELETE", path.as_str()),
        ("GET", "/api/v1/audit"),
    ] {
        let (status, _) = api(&site, method, p, None, Some(&draft("بلا هوية"))).await;
        assert_eq!(status, 401, "{method} {p}");
    }
    for header in ["Basic YWRtaW46YWRtaW4=", "Bearer ", "Bearer wq_not-a-token"] {
        let r = post_articles_raw(
            &site,
            &[
                ("authorization", header),
                ("content-type", "application/json"),
            ],
            draft("توكن خاطئ").to_string(),
        )
        .await;
        let (status, _) = json_answer("POST", header, r).await;
        assert_eq!(status, 401, "{header}");
    }
    assert_eq!(article_by_headline(&site, "بلا هوية").await, None);

    // Malformed requests: 400; missing articles: 404; refused: 403.
    let bearer = format!("Bearer {token}");
    let r = post_articles_raw(
        &site,
        &[
            ("authorization", &bearer),
            ("content-type", "application/json"),
        ],
        "{\"lang\": \"ar\", ".to_string(),
    )
    .await;
    assert_eq!(json_answer("POST", "broken JSON", r).await.0, 400);
    let extra = json!({ "lang": "ar", "headline": "حقل زائد", "author_id": 1 });
    let (status, _) = post_article(&site, &token, &extra).await;
    assert_eq!(status, 400, "unknown fields are refused, not ignored");
    for p in ["/api/v1/articles/999999", "/api/v1/articles/abc"] {
        let (status, _) = patch(&site, p, &token, &json!({"headline": "x"})).await;
        assert_eq!(status, 404, "{p}");
    }
    let mine = create(&site, &contributor, &draft("مسودة المساهم")).await;
    let publish = json!({ "status": "published" });
    let (status, forbidden) = patch(&site, &article_path(mine), &contributor, &publish).await;
    assert_eq!(status, 403);
    assert_eq!(forbidden["error"]["code"], "forbidden");

    // DELETE moves to the trash: the answer says so.
    let (status, trashed) = api(&site, "DELETE", &path, Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(trashed["status"], "trash");
    site.stop().await;
}

async fn drafts_and_schedules_stay_private(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let mut tokens = Vec::new();
    for (email, role) in [
        ("one@news.example", Role::Contributor),
        ("two@news.example", Role::Contributor),
        ("author@news.example", Role::Author),
        ("editor@news.example", Role::Editor),
    ] {
        let user = add_user(&site, email, role).await;
        tokens.push(token_for(&site, &user).await);
    }
    let [one, two, author, editor] = <[String; 4]>::try_from(tokens).unwrap();
    let secret = "مسودة زعفرانية سرية";
    let (_, a) = post_article(&site, &one, &draft(secret)).await;
    let id = a["id"].as_i64().unwrap();
    let would_be_url = a["url"].as_str().unwrap().to_string();
    let path = article_path(id);

    // The draft: its writer and editors see it; nobody else, not even
    // that it exists.
    assert_eq!(api(&site, "GET", &path, None, None).await.0, 404);
    assert_eq!(api(&site, "GET", &path, Some(&two), None).await.0, 404);
    assert_eq!(api(&site, "GET", &path, Some(&author), None).await.0, 404);
    let (status, own) = get_with(&site, &path, &one).await;
    assert_eq!(status, 200);
    assert_eq!(own["status"], "draft");
    assert_eq!(api(&site, "GET", &path, Some(&editor), None).await.0, 200);
    // …and someone else's draft cannot be changed either: it is not there.
    let (status, _) = patch(&site, &path, &two, &json!({"headline": "x"})).await;
    assert_eq!(status, 404);
    assert_eq!(api(&site, "DELETE", &path, Some(&two), None).await.0, 404);

    // Lists by status need a token, and show each user only their own.
    let ids = |list: &Value| ids_of(&list["articles"]);
    let drafts = "/api/v1/articles?status=draft&limit=100";
    assert_eq!(api(&site, "GET", drafts, None, None).await.0, 401);
    let (status, list) = get_with(&site, drafts, &one).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&list), vec![id]);
    let (_, list) = get_with(&site, drafts, &two).await;
    assert!(ids(&list).is_empty(), "{list}");
    let (_, list) = get_with(&site, drafts, &editor).await;
    assert!(ids(&list).contains(&id));
    let bad = "/api/v1/articles?status=secret";
    assert_eq!(api(&site, "GET", bad, Some(&one), None).await.0, 400);

    // A scheduled article is not public before its time.
    let mut later = draft("مقال مجدول للمستقبل");
    later["status"] = json!("scheduled");
    later["publish_at"] = json!(FUTURE);
    let (status, scheduled) = post_article(&site, &author, &later).await;
    assert_eq!(status, 201, "{scheduled}");
    assert_eq!(scheduled["status"], "scheduled");
    let sid = scheduled["id"].as_i64().unwrap();
    let scheduled_url = scheduled["url"].as_str().unwrap().to_string();
    assert_eq!(
        api(&site, "GET", &article_path(sid), None, None).await.0,
        404
    );

    // Nowhere public: not the page it would have, not its related or
    // views, not lists, feeds, the home page or search.
    let control = "مقال منشور زعفراني";
    let mut published = draft(control);
    published["status"] = json!("published");
    let (_, p) = post_article(&site, &author, &published).await;
    let pid = p["id"].as_i64().unwrap();
    site.caught_up().await;
    for url in [&would_be_url, &scheduled_url] {
        assert_eq!(site.get(url).await.status(), 404, "{url}");
    }
    for sub in ["related", "views"] {
        for hidden in [id, sid] {
            let p = format!("/api/v1/articles/{hidden}/{sub}");
            assert_eq!(site.get(&p).await.status(), 404, "{p}");
        }
    }
    for page in [
        "/",
        "/feed.xml",
        "/api/v1/articles?limit=100",
        "/api/v1/articles?lang=ar&section=politics&limit=100",
        "/section/politics/",
        "/author/rana-haddad/",
    ] {
        let body = site.text(page, 200).await;
        assert!(
            body.contains(control),
            "{page}: the published control is listed"
        );
        assert!(!body.contains(secret), "{page}: the draft leaked");
        assert!(
            !body.contains("مقال مجدول"),
            "{page}: the scheduled one leaked"
        );
    }
    let q = encode_segment("زعفرانية");
    let search = site.json(&format!("/api/v1/search?q={q}"), 200).await;
    assert!(
        !ids_of(&search["hits"]).contains(&id),
        "the draft is not searchable: {search}"
    );
    let q = encode_segment("زعفراني");
    let search = site.json(&format!("/api/v1/search?q={q}"), 200).await;
    assert!(
        ids_of(&search["hits"]).contains(&pid),
        "the published control is found: {search}"
    );
    site.stop().await;
}

// ---------------------------------------------------------------------
// 3. Security.
// ---------------------------------------------------------------------

async fn csrf_is_required_with_a_session(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let editor = add_user(&site, "editor@news.example", Role::Editor).await;
    let token = token_for(&site, &editor).await;
    add_user(&site, "admin@news.example", Role::Admin).await;
    let me = sign_in(&site, "editor@news.example").await;
    let someone = sign_in(&site, "admin@news.example").await;
    let id = create(&site, &token, &draft("مقال محمي")).await;
    let before = state(&site, &token, id).await;

    // A forged form: no token, a wrong one, another session's, an empty one.
    let path = format!("/admin/articles/{id}");
    let fields = article_form("عنوان مزوّر", "publish", Some(before.revision));
    let forged = [
        form(&fields),
        format!("{}&csrf=wrong", form(&fields)),
        format!("{}&csrf={}", form(&fields), someone.csrf),
        format!("{}&csrf=", form(&fields)),
    ];
    for body in forged {
        let r = raw_post(&site, Some(&me.header()), &path, body.clone()).await;
        assert_eq!(
            r.status(),
            403,
            "{}",
            &body[body.len().saturating_sub(40)..]
        );
    }
    // The right token in the wrong place (the query string) is no token.
    let r = raw_post(
        &site,
        Some(&me.header()),
        &format!("{path}?csrf={}", me.csrf),
        form(&fields),
    )
    .await;
    assert_eq!(r.status(), 403);
    assert_eq!(state(&site, &token, id).await, before, "nothing changed");

    // The other state-changing forms are guarded alike.
    let new_user = [
        ("email", "forged@news.example"),
        ("name", "مزوّر"),
        ("role", "admin"),
        ("password", PASSWORD),
    ];
    let r = raw_post(
        &site,
        Some(&someone.header()),
        "/admin/users",
        form(&new_user),
    )
    .await;
    assert_eq!(r.status(), 403);
    assert!(user_by_email(&site, "forged@news.example").await.is_none());
    let r = raw_post(
        &site,
        Some(&someone.header()),
        &format!("/admin/users/{}", editor.id),
        form(&[("action", "role"), ("role", "contributor")]),
    )
    .await;
    assert_eq!(r.status(), 403);
    let still = site.store.user(editor.id).await.unwrap().unwrap();
    assert_eq!(still.role, Role::Editor);
    for p in [
        "/admin/logout",
        "/admin/logout-everywhere",
        "/admin/account/totp",
    ] {
        let r = raw_post(&site, Some(&me.header()), p, String::new()).await;
        assert_eq!(r.status(), 403, "{p}");
    }
    assert!(me.works(&site).await, "the forged sign-out did nothing");

    // JSON with a session: the token goes in X-CSRF-Token.
    let json = "application/json";
    let r = post_draft_in_session(&site, &me, None, json, "بلا رمز").await;
    assert_eq!(r.status(), 403);
    let r = post_draft_in_session(&site, &me, Some(&someone.csrf), json, "رمز غيري").await;
    assert_eq!(r.status(), 403);
    assert_eq!(article_by_headline(&site, "بلا رمز").await, None);
    assert_eq!(article_by_headline(&site, "رمز غيري").await, None);
    let r = post_draft_in_session(&site, &me, Some(&me.csrf), json, "برمز صحيح").await;
    assert_eq!(r.status(), 201, "with the session's token it works");
    // A cross-site form posing as JSON (text/plain) is refused too.
    let r = post_draft_in_session(&site, &me, None, "text/plain", "نص عادي مزوّر").await;
    assert_eq!(r.status(), 403);

    // The sign-in form: its token must match its cookie.
    let (cookie, csrf) = login_form(&site).await;
    let sign_in_body = |csrf: &str| {
        form(&[
            ("email", "editor@news.example"),
            ("password", PASSWORD),
            ("csrf", csrf),
        ])
    };
    let login_cookie = format!("warraq_login={cookie}");
    for (cookie, body) in [
        (None, sign_in_body(&csrf)),
        (Some(login_cookie.as_str()), sign_in_body("wrong")),
        (
            Some(login_cookie.as_str()),
            form(&[("email", "editor@news.example"), ("password", PASSWORD)]),
        ),
    ] {
        let r = raw_post(&site, cookie, "/admin/login", body).await;
        assert_eq!(r.status(), 403);
        assert!(set_cookie(&r, "warraq_session").is_none());
    }
    site.stop().await;
}

/// A refused forged request says why, as every other error does: JSON
/// with a stable code under /api/, the back office's page (with its
/// `csrf_failed` text) under /admin/.
async fn csrf_refusals_say_why(backend: Backend) {
    let site = TestSite::demo(backend).await;
    add_user(&site, "editor@news.example", Role::Editor).await;
    let me = sign_in(&site, "editor@news.example").await;
    let r = post_draft_in_session(&site, &me, None, "application/json", "بلا رمز").await;
    assert_eq!(r.status(), 403);
    let api_type = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    let api_body = r.text().await.unwrap();
    let r = raw_post(
        &site,
        Some(&me.header()),
        "/admin/articles",
        form(&article_form("بلا رمز", "save", None)),
    )
    .await;
    assert_eq!(r.status(), 403);
    let page = r.text().await.unwrap();
    let expected = site.app.admin_theme.text(Lang::Ar, "csrf_failed");
    let json_ok = api_type.is_some_and(|t| t.starts_with("application/json"))
        && serde_json::from_str::<Value>(&api_body)
            .is_ok_and(|e| e["error"]["code"] == "forbidden");
    assert!(
        json_ok && page.contains(&expected),
        "/api/: a JSON error ({json_ok}; got {api_body:?}); \
         /admin/: the csrf_failed page ({}; got {page:?})",
        page.contains(&expected)
    );
    site.stop().await;
}

async fn sessions_are_new_at_sign_in(backend: Backend) {
    let site = TestSite::demo(backend).await;
    add_user(&site, "rania@news.example", Role::Author).await;
    let r = post_login(&site, "Rania@News.example ", PASSWORD, None).await;
    assert_eq!(r.status(), 303, "e-mails are matched as typed by people");
    // The cookie is out of reach of scripts and of other sites, and only
    // travels over https (the test site's base_url is https).
    let header = set_cookie_header(&r, "warraq_session").unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(header.contains(attribute), "{attribute}: {header}");
    }
    assert_eq!(
        r.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    let first = session_of(&site, &r).await;

    // Two sign-ins, two sessions (two devices).
    let second = sign_in(&site, "rania@news.example").await;
    assert_ne!(first.cookie, second.cookie);
    assert_ne!(first.csrf, second.csrf);
    assert!(first.works(&site).await && second.works(&site).await);

    // A session id planted before sign-in is not the one after it.
    let r = post_login(
        &site,
        "rania@news.example",
        PASSWORD,
        Some("warraq_session=planted-by-attacker"),
    )
    .await;
    assert_eq!(r.status(), 303);
    let third = set_cookie(&r, "warraq_session").unwrap();
    assert_ne!(third, "planted-by-attacker");
    let planted = Session {
        cookie: "planted-by-attacker".into(),
        csrf: String::new(),
    };
    assert!(!planted.works(&site).await);

    // Signing out ends this session only; everywhere ends them all.
    let r = second.post(&site, "/admin/logout", &[("x", "")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/admin/login");
    assert!(!second.works(&site).await);
    assert!(first.works(&site).await);
    let fourth = sign_in(&site, "rania@news.example").await;
    let r = fourth
        .post(&site, "/admin/logout-everywhere", &[("x", "")])
        .await;
    assert_eq!(r.status(), 303);
    for s in [&first, &fourth] {
        assert!(!s.works(&site).await);
    }
    site.stop().await;
}

/// Signing in with the old session's cookie still in the browser (someone
/// else's, or one's own from before) must end that session and start a
/// new one.
async fn signing_in_over_a_live_session_replaces_it(backend: Backend) {
    let site = TestSite::demo(backend).await;
    add_user(&site, "rania@news.example", Role::Author).await;
    let old = sign_in(&site, "rania@news.example").await;
    let r = post_login(&site, "rania@news.example", PASSWORD, Some(&old.header())).await;
    assert_eq!(
        r.status(),
        303,
        "the sign-in form, sent with a live session cookie alongside"
    );
    let new = session_of(&site, &r).await;
    assert_ne!(new.cookie, old.cookie);
    assert!(!old.works(&site).await, "the old session ended");
    assert!(new.works(&site).await);
    site.stop().await;
}

async fn sign_in_is_throttled(backend: Backend) {
    let site = TestSite::demo(backend).await;
    add_user(&site, "rania@news.example", Role::Author).await;
    for attempt in 1..=5 {
        let r = post_login(&site, "rania@news.example", "not the password", None).await;
        assert_eq!(r.status(), 401, "attempt {attempt}");
        assert!(r.headers().get("retry-after").is_none());
    }
    // The sixth is not even heard, right password or not.
    let r = post_login(&site, "rania@news.example", PASSWORD, None).await;
    assert_eq!(r.status(), 429);
    let wait: i64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&wait), "Retry-After: {wait}");
    assert!(set_cookie(&r, "warraq_session").is_none());
    let page = r.text().await.unwrap();
    assert!(page.contains(&wait.to_string()), "the page says how long");
    // From the same address, another account is refused too: guessing
    // many accounts' passwords is no way round.
    add_user(&site, "karim@news.example", Role::Author).await;
    let r = post_login(&site, "karim@news.example", PASSWORD, None).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let r = post_login(&site, "nobody@news.example", PASSWORD, None).await;
    assert_eq!(r.status(), 429, "unknown e-mails are throttled alike");
    site.stop().await;
}

async fn unknown_emails_look_like_wrong_passwords(backend: Backend) {
    let site = TestSite::demo(backend).await;
    add_user(&site, "rania@news.example", Role::Author).await;
    add_user(&site, "admin@news.example", Role::Admin).await;
    // A disabled account answers like the others too.
    let karim = add_user(&site, "karim@news.example", Role::Author).await;
    site.store
        .set_disabled(&karim, true, &Actor::command_line())
        .await
        .unwrap();
    let mut pages = Vec::new();
    for (email, password) in [
        ("rania@news.example", "not the password"),
        ("nobody@news.example", "not the password"),
        ("karim@news.example", PASSWORD),
    ] {
        let r = post_login(&site, email, password, None).await;
        let status = r.status().as_u16();
        let sets_session = set_cookie(&r, "warraq_session").is_some();
        let sets_login = set_cookie(&r, "warraq_login").is_some();
        let retry = r.headers().contains_key("retry-after");
        let body = r.text().await.unwrap();
        // The page echoes what was typed, and has a fresh CSRF token.
        let csrf = csrf_of(&body);
        let body = body.replace(&csrf, "CSRF").replace(email, "EMAIL");
        pages.push((status, sets_session, sets_login, retry, body));
    }
    assert_eq!(pages[0].0, 401);
    assert!(!pages[0].1 && pages[0].2 && !pages[0].3);
    assert_eq!(pages[0], pages[1], "unknown e-mail ≠ wrong password");
    assert_eq!(pages[0], pages[2], "disabled account ≠ wrong password");
    site.stop().await;
}

// The stored-XSS payloads, one per field.
const XSS_HEADLINE: &str = r#"عنوان <script>alert("headline")</script>"#;
const XSS_STANDFIRST: &str = r#"ملخّص "><img src=x onerror=alert('standfirst')>"#;
const XSS_BODY: &str = r#"<p>قبل</p><script>alert('body')</script><img src=x onerror=alert('body')><a href="javascript:alert('body')">رابط</a><p onclick="alert('body')">بعد</p>"#;
const XSS_TAG: &str = r#"<b onmouseover=alert('tag')>وسم</b>"#;
const XSS_NAME: &str = "ليلى <script>alert(1)</script>";
const XSS_SLUG: &str = r#"x"><script>alert('slug')</script>"#;
const XSS_ALT: &str = r#"" onerror="alert('alt')"#;
const XSS_CAPTION: &str = "<script>alert('caption')</script>";

/// A start tag as a browser reads it: its name and attributes.
struct Tag {
    at: usize,
    name: String,
    attributes: Vec<(String, String)>,
}

/// Every start tag in `html` — what the browser would build elements
/// from. Escaped text (`&lt;script&gt;`) makes none.
fn start_tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let at = i + offset;
        i = at + 1;
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let mut j = i;
        while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'>' | b'/') {
            j += 1;
        }
        let name = html[i..j].to_ascii_lowercase();
        let mut attributes = Vec::new();
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let n0 = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            if j == n0 {
                j += 1;
                continue;
            }
            let attribute = html[n0..j].to_ascii_lowercase();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = String::new();
            if b.get(j) == Some(&b'=') {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let v0 = j + 1;
                        j = v0 + html[v0..].find(q as char).unwrap_or(html.len() - v0);
                        value = html[v0..j].to_string();
                        j += 1;
                    }
                    _ => {
                        let v0 = j;
                        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                            j += 1;
                        }
                        value = html[v0..j].to_string();
                    }
                }
            }
            attributes.push((attribute, value));
        }
        tags.push(Tag {
            at,
            name,
            attributes,
        });
        i = j.min(b.len());
    }
    tags
}

/// The back office's scripts: files of its own (no inline script), on the
/// article form only — the body editor, the form's autosave and lock, the
/// media picker.
const ADMIN_SCRIPT: &str = r#"<script src="/admin/static/"#;
const EDITOR_SCRIPT: &str = r#"<script src="/admin/static/editor.js?v="#;

/// The tags in `html` that could run script: a `<script>` other than the
/// public pages' own two (structured data, the view beacon) and the back
/// office's editor file, any `on…` handler, a `javascript:` URL, frames and
/// plugins.
fn live_tags(html: &str) -> Vec<String> {
    let own_script = |at: usize| {
        let rest = &html[at..];
        rest.starts_with(r#"<script type="application/ld+json">"#)
            || rest.starts_with("<script>(function(){var s=function(){navigator.sendBeacon")
            || rest.starts_with(ADMIN_SCRIPT)
    };
    start_tags(html)
        .into_iter()
        .filter(|t| {
            let script = t.name == "script" && !own_script(t.at);
            let handler = t.attributes.iter().any(|(n, _)| n.starts_with("on"));
            let js_url = t.attributes.iter().any(|(n, v)| {
                matches!(n.as_str(), "href" | "src" | "action" | "formaction")
                    && v.trim().to_ascii_lowercase().starts_with("javascript:")
            });
            let embeds = matches!(t.name.as_str(), "iframe" | "object" | "embed" | "base");
            script || handler || js_url || embeds
        })
        .map(|t| html[t.at..].chars().take(100).collect())
        .collect()
}

/// How many `<script` tags `html` has, and how many of them are the
/// editor's file.
/// How many scripts a page has, how many of them are the back office's
/// own files, and whether the body editor is one.
fn scripts_in(html: &str) -> (usize, usize, bool) {
    (
        html.to_lowercase().matches("<script").count(),
        html.matches(ADMIN_SCRIPT).count(),
        html.contains(EDITOR_SCRIPT),
    )
}

fn assert_inert(what: &str, html: &str) {
    let live = live_tags(html);
    assert!(live.is_empty(), "{what}: live markup {live:#?}");
}

/// Notes the live markup of one answer, to report every place at once.
fn note_live(found: &mut Vec<String>, what: &str, html: &str) {
    for tag in live_tags(html) {
        found.push(format!("{what}: {tag}"));
    }
}

/// The HTML an RSS item's `<description>` and `<content:encoded>` hold,
/// as a feed reader gets it: the XML's text, unescaped once.
fn feed_html(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    for element in ["description", "content:encoded"] {
        let open = format!("<{element}>");
        let close = format!("</{element}>");
        for (at, _) in xml.match_indices(&open) {
            let text = between(&xml[at..], &open, &close).unwrap();
            out.push(quick_xml::escape::unescape(text).unwrap().into_owned());
        }
    }
    out
}

async fn stored_xss_comes_back_inert(backend: Backend) {
    let site = TestSite::demo(backend).await;
    add_user(&site, "admin@news.example", Role::Admin).await;
    // A byline whose name is a script, and an article under it with a
    // script in every field.
    let writer = add_user_as(
        &site,
        "writer@news.example",
        XSS_NAME,
        Role::Author,
        Byline::New,
    )
    .await;
    let byline = site
        .store
        .author_slug(writer.author_id.expect("a new byline"))
        .await
        .unwrap()
        .unwrap();
    let token = token_for(&site, &writer).await;
    let article = json!({
        "lang": "ar",
        "headline": XSS_HEADLINE,
        "standfirst": XSS_STANDFIRST,
        "body_html": XSS_BODY,
        "sections": ["politics"],
        "authors": [byline],
        "tags": [XSS_TAG, "وسم عادي"],
        "cover": { "url": "/media/cover.jpg", "alt": XSS_ALT, "caption": XSS_CAPTION },
        "status": "published",
    });
    let (status, a) = post_article(&site, &token, &article).await;
    assert_eq!(status, 201, "{a}");
    let id = a["id"].as_i64().unwrap();
    // The JSON keeps the text as written (it is data, not markup); the
    // body passed the sanitiser.
    assert_eq!(a["headline"], XSS_HEADLINE);
    assert_eq!(a["authors"][0]["name"], XSS_NAME);
    assert_inert("the API's body_html", a["body_html"].as_str().unwrap());
    assert!(a["body_html"].as_str().unwrap().contains("قبل"));
    let public = site.json(&article_path(id), 200).await;
    assert_inert(
        "the public API's body_html",
        public["body_html"].as_str().unwrap(),
    );
    let stored = site.store.staff_article(id).await.unwrap().unwrap();
    assert_inert("the stored body", &stored.article.body_html);

    // A slug is letters, digits and dashes, or it is refused.
    let mut bad_slug = draft("مقال بمعرّف خبيث");
    bad_slug["slug"] = json!(XSS_SLUG);
    let (status, refused) = post_article(&site, &token, &bad_slug).await;
    assert_eq!(status, 422);
    assert_eq!(refused["error"]["fields"][0]["field"], "slug");

    // The public site: the article, its byline's and tag's pages, home,
    // search (with the payload in the query too), and the feeds.
    site.caught_up().await;
    let url = a["url"].as_str().unwrap().to_string();
    let page = site.text(&url, 200).await;
    assert!(
        page.contains("<h1>عنوان &lt;script&gt;alert(&quot;headline&quot;)&lt;/script&gt;</h1>")
            || page
                .contains("<h1>عنوان &lt;script&gt;alert(&#34;headline&#34;)&lt;/script&gt;</h1>"),
        "the headline is shown, as text"
    );
    let tag = a["tags"][0]["slug"].as_str().unwrap();
    let search = format!(
        "/search?q={}",
        encode_segment("<script>alert(1)</script> ليلى")
    );
    let pages = [
        url.clone(),
        format!("/author/{}/", encode_segment(&byline)),
        format!("/tag/{}/", encode_segment(tag)),
        "/".to_string(),
        "/section/politics/".to_string(),
        search,
    ];
    // Every live tag anywhere is listed, not only the first.
    let mut live = Vec::new();
    for p in &pages {
        let html = site.text(p, 200).await;
        note_live(&mut live, p, &html);
        // The payload reached the page — as text.
        assert!(
            html.contains("&lt;script&gt;alert("),
            "{p}: no payload shown"
        );
    }
    for feed in [
        "/feed.xml".to_string(),
        format!("/author/{}/feed.xml", encode_segment(&byline)),
        "/section/politics/feed.xml".to_string(),
    ] {
        let xml = site.text(&feed, 200).await;
        assert!(
            xml.contains("<dc:creator>ليلى &lt;script&gt;"),
            "{feed}: the byline, escaped"
        );
        note_live(&mut live, &feed, &xml);
        // What a feed reader renders: the item's HTML fields, which are
        // HTML escaped once for XML — so plain text in them (the
        // standfirst) must be escaped twice.
        for html in feed_html(&xml) {
            note_live(&mut live, &format!("{feed}, an item's HTML"), &html);
        }
    }

    // The back office: the writer's dashboard and form, an admin's users,
    // audit log and new-article form (which lists every byline).
    let writer_session = sign_in(&site, "writer@news.example").await;
    let admin_session = sign_in(&site, "admin@news.example").await;
    for (session, p) in [
        (&writer_session, "/admin/".to_string()),
        (&writer_session, format!("/admin/articles/{id}")),
        (&writer_session, "/admin/account".to_string()),
        (&admin_session, "/admin/users".to_string()),
        (&admin_session, "/admin/audit".to_string()),
        (&admin_session, "/admin/articles/new".to_string()),
        (&admin_session, format!("/admin/articles/{id}")),
    ] {
        let html = session.page(&site, &p).await;
        note_live(&mut live, &p, &html);
        assert!(
            html.contains("&lt;script&gt;alert("),
            "{p}: no payload shown"
        );
        let (scripts, own, editor) = scripts_in(&html);
        let form = p.starts_with("/admin/articles/");
        assert_eq!(
            scripts, own,
            "{p}: every script is a file of the back office's own"
        );
        assert_eq!(editor, form, "{p}: the editor on the article form only");
        assert!(
            form || scripts == 0,
            "{p}: scripts only on the article form"
        );
    }
    // The form sent back with errors shows what was typed, escaped.
    let mut fields = article_form(XSS_HEADLINE, "save", None);
    replace_field(&mut fields, "slug", XSS_SLUG);
    let r = writer_session.post(&site, "/admin/articles", &fields).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    note_live(&mut live, "the form with errors", &html);
    let (scripts, own, editor) = scripts_in(&html);
    assert!(
        scripts == own && editor,
        "the form with errors: only the back office's own script files"
    );
    assert!(live.is_empty(), "live markup:\n{}", live.join("\n"));
    site.stop().await;
}

async fn sql_in_filters_is_just_text(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let token = token_of_new(&site, "c@news.example", Role::Contributor).await;
    let other = token_of_new(&site, "other@news.example", Role::Contributor).await;
    let secret = "مسودة-سرية-7391";
    create(&site, &other, &draft(secret)).await;
    let admin = add_user(&site, "admin@news.example", Role::Admin).await;
    let admin_token = token_for(&site, &admin).await;
    let before = site.json("/api/v1/articles?limit=100", 200).await["total"].clone();

    let attacks = [
        ("/api/v1/articles?status=draft'%20OR%201=1--", None, 401),
        (
            "/api/v1/articles?status=draft'%20OR%201=1--",
            Some(&token),
            400,
        ),
        (
            "/api/v1/articles?status=draft%27%29%3B%20DROP%20TABLE%20articles%3B--",
            Some(&token),
            400,
        ),
        ("/api/v1/articles?lang=ar'--", None, 400),
        (
            "/api/v1/articles?status=draft&lang=ar'%20OR%20'1'='1",
            Some(&token),
            400,
        ),
        ("/api/v1/articles?section=x'%20OR%20'1'='1", None, 400),
        ("/api/v1/articles?section=politics'--&lang=ar", None, 400),
        ("/api/v1/articles?page=1%20OR%201=1", None, 400),
        (
            "/api/v1/articles?limit=1;DELETE%20FROM%20articles",
            None,
            400,
        ),
        (
            "/api/v1/audit?page=1'%20OR%20'1'='1",
            Some(&admin_token),
            400,
        ),
    ];
    for (path, token, expected) in attacks {
        let (status, body) = api(&site, "GET", path, token.map(String::as_str), None).await;
        assert_eq!(status, expected, "{path}: {body}");
        assert!(
            !body.to_string().contains(secret),
            "{path}: the draft leaked"
        );
    }
    // Filters that take any text: no error, and nothing that is not public.
    for path in [
        "/api/v1/search?q='%20OR%201=1--",
        "/api/v1/search?q=%22%3B%20DROP%20TABLE%20articles%3B--",
        "/api/v1/most-read?section=x'%20OR%20'1'='1",
        "/api/v1/digest?section=x'%20OR%20'1'='1",
        "/search?q='%20OR%20'1'='1",
        "/section/x'%20OR%20'1'='1/",
        "/tag/x'%20OR%201=1--/",
        "/author/x'%20OR%201=1--/",
    ] {
        let r = site.get(path).await;
        let status = r.status().as_u16();
        let body = r.text().await.unwrap();
        assert!(matches!(status, 200 | 400 | 404), "{path}: {status}");
        assert!(!body.contains(secret), "{path}: the draft leaked");
    }
    // In forms and sign-in too.
    let r = post_login(&site, "' OR 1=1--@news.example", "' OR '1'='1", None).await;
    assert_eq!(r.status(), 401);
    let session = sign_in(&site, "c@news.example").await;
    let mut fields = article_form("قسم خبيث", "save", None);
    replace_field(&mut fields, "sections", "politics' OR '1'='1");
    let r = session.post(&site, "/admin/articles", &fields).await;
    assert_eq!(r.status(), 422, "an unknown section");
    // And the tables are all still there.
    assert_eq!(
        site.json("/api/v1/articles?limit=100", 200).await["total"],
        before
    );
    let (_, mine) = get_with(&site, "/api/v1/articles?status=draft", &token).await;
    assert_eq!(mine["total"], 0, "{mine}");
    site.stop().await;
}

async fn revoked_tokens_and_disabled_users(backend: Backend) {
    let site = TestSite::demo(backend).await;
    add_user(&site, "admin@news.example", Role::Admin).await;
    let rania = add_user(&site, "rania@news.example", Role::Author).await;
    let cli_token = token_for(&site, &rania).await;
    let session = sign_in(&site, "rania@news.example").await;
    let works = |token: String| {
        let site = &site;
        async move {
            let (status, _) = get_with(site, "/api/v1/articles?status=draft", &token).await;
            status
        }
    };

    // A token made on the account page is shown once, and works…
    let r = session
        .post(&site, "/admin/account/tokens", &[("name", "سكربت النشرة")])
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let token = texts_of(&page, r#"id="new-token""#)[0].to_string();
    assert!(token.starts_with("wq_"), "{token}");
    assert_eq!(works(token.clone()).await, 200);
    assert!(
        !session.page(&site, "/admin/account").await.contains(&token),
        "shown once"
    );
    // …until it is revoked; the other token is untouched.
    let r = session.revoke_token(&site, "سكربت النشرة").await;
    assert_eq!(r.status(), 303);
    assert_eq!(works(token.clone()).await, 401);
    assert_eq!(works(cli_token.clone()).await, 200);
    let r = session.revoke_token(&site, "سكربت النشرة").await;
    assert_eq!(r.status(), 404, "revoked already");

    // A disabled user: tokens, session and password all stop working.
    let admin = sign_in(&site, "admin@news.example").await;
    let r = admin
        .change_user(&site, rania.id, &[("action", "disable")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(works(cli_token.clone()).await, 401);
    assert!(
        !session.works(&site).await,
        "the session sends to the sign-in form"
    );
    let csrf = Some(session.csrf.as_str());
    let r = post_draft_in_session(&site, &session, csrf, "application/json", "من حساب معطّل").await;
    assert_eq!(json_answer("POST", "disabled session", r).await.0, 401);
    let r = post_login(&site, "rania@news.example", PASSWORD, None).await;
    assert_eq!(r.status(), 401);
    // The last admin cannot be disabled (the newsroom would be locked out).
    let me = user_by_email(&site, "admin@news.example").await.unwrap();
    let r = admin
        .change_user(&site, me.id, &[("action", "disable")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(admin.works(&site).await);
    site.stop().await;
}

/// A six-digit code that is none of the codes around now.
fn wrong_code(totp: &Totp) -> String {
    let step = Totp::step_of(jiff::Timestamp::now().as_second());
    let near: Vec<String> = (step - 2..=step + 2)
        .map(|s| totp.code_at_step(s))
        .collect();
    (0..)
        .map(|n| format!("{:06}", 123_456 + n))
        .find(|c| !near.contains(c))
        .unwrap()
}

async fn second_factor(backend: Backend) {
    let site = TestSite::demo(backend).await;
    add_user(&site, "rania@news.example", Role::Editor).await;
    let session = sign_in(&site, "rania@news.example").await;

    // Set up through the account page: a secret, then a code from it.
    let r = session
        .post(&site, "/admin/account/totp", &[("x", "")])
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let secret: String = texts_of(&page, r#"id="totp-secret""#)[0]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let totp = Totp::from_base32(&secret).expect("a base32 secret");
    let r = session
        .post(
            &site,
            "/admin/account/totp/confirm",
            &[("code", wrong_code(&totp).as_str()), ("secret", &secret)],
        )
        .await;
    assert_eq!(r.status(), 422, "a wrong code turns nothing on");
    let step = Totp::step_of(jiff::Timestamp::now().as_second());
    let r = session
        .post(
            &site,
            "/admin/account/totp/confirm",
            &[
                ("code", totp.code_at_step(step).as_str()),
                ("secret", &secret),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let recovery: Vec<String> = texts_of(&page, r#"class="recovery-code""#)
        .into_iter()
        .map(str::to_string)
        .collect();
    assert_eq!(recovery.len(), 10, "{page:.300}");

    // The password alone now leads to the second step, and no further.
    let r = post_login(&site, "rania@news.example", PASSWORD, None).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/admin/login/totp");
    let pending = session_of(&site, &r).await;
    assert!(
        !pending.works(&site).await,
        "half signed in is not signed in"
    );
    let r = pending.get(&site, "/api/v1/articles?status=draft").await;
    let (status, _) = json_answer("GET", "pending session", r).await;
    assert_eq!(status, 401);
    let r = pending.second_step(&site, &wrong_code(&totp)).await;
    assert_eq!(r.status(), 401, "a wrong code");
    assert!(set_cookie(&r, "warraq_session").is_none());
    // The confirmation used this step's code; the next one is fresh.
    let step = Totp::step_of(jiff::Timestamp::now().as_second());
    let code = totp.code_at_step(step + 1);
    let r = pending.second_step(&site, &code).await;
    assert_eq!(r.status(), 303, "the right code");
    assert_eq!(location(&r), "/admin/");
    let signed = session_of(&site, &r).await;
    assert_ne!(
        signed.cookie, pending.cookie,
        "a new session id after the second step"
    );
    assert!(signed.works(&site).await);
    assert!(!pending.works(&site).await);

    // The same code a second time: refused.
    let r = post_login(&site, "rania@news.example", PASSWORD, None).await;
    let pending = session_of(&site, &r).await;
    let r = pending.second_step(&site, &code).await;
    assert_eq!(r.status(), 401, "a code works once");
    // A recovery code works, once (typed in capitals, without its dash).
    let typed = recovery[0].to_uppercase().replace('-', "");
    let r = pending.second_step(&site, &typed).await;
    assert_eq!(r.status(), 303, "a recovery code");
    let by_recovery = session_of(&site, &r).await;
    assert!(by_recovery.works(&site).await);
    let user = user_by_email(&site, "rania@news.example").await.unwrap();
    assert_eq!(site.store.recovery_codes_left(user.id).await.unwrap(), 9);
    let r = post_login(&site, "rania@news.example", PASSWORD, None).await;
    let pending = session_of(&site, &r).await;
    let r = pending.second_step(&site, &recovery[0]).await;
    assert_eq!(r.status(), 401, "a recovery code works once");
    let r = pending.second_step(&site, &recovery[1]).await;
    assert_eq!(r.status(), 303, "the next recovery code does");
    site.stop().await;
}

// ---------------------------------------------------------------------
// 4. The audit log.
// ---------------------------------------------------------------------

async fn audit_log_records_who_did_what(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let admin = add_user(&site, "admin@news.example", Role::Admin).await;
    let reader = token_for(&site, &admin).await;
    // A failed sign-in, then a good one.
    let r = post_login(&site, "admin@news.example", "not the password", None).await;
    assert_eq!(r.status(), 401);
    let me = sign_in(&site, "admin@news.example").await;
    // A user added, their role changed, then disabled.
    let fields = [
        ("email", "writer@news.example"),
        ("name", "كاتب"),
        ("role", "author"),
        ("password", PASSWORD),
        ("lang", "ar"),
        ("author", "new"),
    ];
    assert_eq!(me.post(&site, "/admin/users", &fields).await.status(), 303);
    let writer = user_by_email(&site, "writer@news.example").await.unwrap();
    assert!(writer.author_id.is_some(), "with a new byline");
    let r = me
        .change_user(&site, writer.id, &[("action", "role"), ("role", "editor")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        site.store.user(writer.id).await.unwrap().unwrap().role,
        Role::Editor
    );
    // A token made and used to publish and delete, then revoked.
    let r = me
        .post(&site, "/admin/account/tokens", &[("name", "audit-script")])
        .await;
    let token = texts_of(&r.text().await.unwrap(), r#"id="new-token""#)[0].to_string();
    let mut article = draft("مقال للسجل");
    article["status"] = json!("published");
    let id = create(&site, &token, &article).await;
    let (status, _) = api(&site, "DELETE", &article_path(id), Some(&token), None).await;
    assert_eq!(status, 200);
    let r = me.revoke_token(&site, "audit-script").await;
    assert_eq!(r.status(), 303);
    let r = me
        .change_user(&site, writer.id, &[("action", "disable")])
        .await;
    assert_eq!(r.status(), 303);

    let (status, log) = api(&site, "GET", "/api/v1/audit?limit=500", Some(&reader), None).await;
    assert_eq!(status, 200);
    let entries = log["entries"].as_array().unwrap();
    let find = |action: &str| -> &Value {
        entries
            .iter()
            .find(|e| e["action"] == action && e["address"] == "127.0.0.1")
            .unwrap_or_else(|| panic!("no {action} from 127.0.0.1 in {log:#}"))
    };
    for action in [
        "sign_in",
        "sign_in_failed",
        "publish",
        "delete",
        "role_change",
        "user_add",
        "user_disable",
        "token_create",
        "token_revoke",
    ] {
        let e = find(action);
        assert_eq!(e["actor"], "admin@news.example", "{action}: {e}");
        assert!(e["at"].is_string() || e["at"].is_number(), "{action}: when");
    }
    assert_eq!(find("role_change")["target"], "writer@news.example");
    assert!(
        find("role_change")["detail"]
            .as_str()
            .unwrap()
            .contains("editor"),
        "what changed"
    );
    assert_eq!(find("user_add")["target"], "writer@news.example");
    assert_eq!(find("token_create")["detail"], "audit-script");
    // The accounts made from the command line are logged too, as such.
    let cli = entries
        .iter()
        .find(|e| e["action"] == "user_add" && e["target"] == "admin@news.example")
        .expect("the first admin's creation");
    assert_eq!(cli["address"], "local");
    assert!(cli["actor"].as_str().unwrap().starts_with("cli:"));

    // The admin's page shows the same log.
    let page = me.page(&site, "/admin/audit").await;
    for text in ["writer@news.example", "audit-script", "127.0.0.1"] {
        assert!(page.contains(text), "/admin/audit: {text}");
    }
    site.stop().await;
}

// ---------------------------------------------------------------------
// 5. The command line (SQLite is enough: it shares the code above).
// ---------------------------------------------------------------------

/// Runs the `warraq` binary off the async threads (the test's server keeps
/// answering meanwhile).
async fn warraq(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let stdin = stdin.map(str::to_string);
    tokio::task::spawn_blocking(move || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_warraq"))
            .args(&args)
            .env(
                "WARRAQ_SEARCH_DIR",
                std::env::temp_dir().join(format!("warraq-admin-cli-{}", std::process::id())),
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
        drop(input);
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    })
    .await
    .unwrap()
}

/// Runs `warraq` with `command`, then `--database db`, then `flags`.
async fn warraq_on(
    db: &str,
    command: &[&str],
    flags: &[&str],
    stdin: Option<&str>,
) -> (bool, String, String) {
    let args: Vec<&str> = [command, &["--database", db], flags].concat();
    warraq(&args, stdin).await
}

#[tokio::test]
async fn command_line_users_and_tokens() {
    let site = TestSite::demo(Backend::Sqlite).await;
    let db = site.db.url.clone();
    for args in [
        &["user", "--help"][..],
        &["user", "add", "--help"],
        &["user", "list", "--help"],
        &["user", "set-role", "--help"],
        &["user", "disable", "--help"],
        &["user", "reset-totp", "--help"],
        &["token", "create", "--help"],
        &["token", "list", "--help"],
        &["token", "revoke", "--help"],
    ] {
        let (ok, out, _) = warraq(args, None).await;
        assert!(ok && out.contains("Usage: warraq"), "{args:?}: {out}");
    }

    let add = [
        "--email",
        "cli@news.example",
        "--name",
        "سلمى",
        "--role",
        "author",
        "--password-stdin",
    ];
    let password = format!("{PASSWORD}\n");
    let (ok, out, err) = warraq_on(&db, &["user", "add"], &add, Some(&password)).await;
    assert!(ok, "{out}{err}");
    // Added while the server runs, and usable at once.
    sign_in(&site, "cli@news.example").await;
    let (ok, _, err) = warraq_on(&db, &["user", "add"], &add, Some(&password)).await;
    assert!(
        !ok && err.contains("already"),
        "a second account with that e-mail: {err}"
    );
    let short = [
        "--email",
        "short@news.example",
        "--name",
        "x",
        "--role",
        "author",
        "--password-stdin",
    ];
    let (ok, _, err) = warraq_on(&db, &["user", "add"], &short, Some("short\n")).await;
    assert!(!ok && err.contains("password"), "{err}");
    let (ok, out, _) = warraq_on(&db, &["user", "list"], &[], None).await;
    assert!(
        ok && out.contains("cli@news.example") && out.contains("author"),
        "{out}"
    );

    let script = ["--user", "cli@news.example", "--name", "script"];
    let (ok, out, err) = warraq_on(&db, &["token", "create"], &script, None).await;
    assert!(ok, "{err}");
    let token = out.lines().last().unwrap().trim().to_string();
    assert!(
        token.starts_with("wq_") && !token.contains(' '),
        "alone on the last line: {out}"
    );
    let (status, a) = post_article(&site, &token, &draft("من سطر الأوامر")).await;
    assert_eq!(status, 201, "{a}");
    let (ok, out, _) = warraq_on(&db, &["token", "list"], &script[..2], None).await;
    assert!(
        ok && out.contains("script") && !out.contains(&token),
        "listed, never shown again: {out}"
    );
    let (ok, _, err) = warraq_on(&db, &["token", "revoke"], &script, None).await;
    assert!(ok, "{err}");
    let (status, _) = get_with(&site, "/api/v1/articles?status=draft", &token).await;
    assert_eq!(status, 401, "revoked");

    // Roles from the command line take effect at once too.
    let set_role = ["--email", "cli@news.example", "--role", "contributor"];
    let (ok, _, err) = warraq_on(&db, &["user", "set-role"], &set_role, None).await;
    assert!(ok, "{err}");
    let user = user_by_email(&site, "cli@news.example").await.unwrap();
    assert_eq!(user.role, Role::Contributor);
    let (ok, _, err) = warraq_on(&db, &["user", "disable"], &set_role[..2], None).await;
    assert!(ok, "{err}");
    let r = post_login(&site, "cli@news.example", PASSWORD, None).await;
    assert_eq!(r.status(), 401, "disabled");
    site.stop().await;
}

// ---------------------------------------------------------------------
// Old URLs and the other edition.
// ---------------------------------------------------------------------

/// A published article whose slug changes answers at its old URL with a
/// 301 to the new one; linking it to its English edition links both ways,
/// and both pages then name each other as `hreflang` alternates.
async fn moved_articles_and_linked_editions(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let token = token_of_new(&site, "editor@news.example", Role::Editor).await;
    let mut article = draft("مجلس البلدية يقرّ خطة المياه");
    article["status"] = json!("published");
    article["slug"] = json!("خطة-المياه");
    let (status, ar) = post_article(&site, &token, &article).await;
    assert_eq!(status, 201, "{ar}");
    let old_url = ar["url"].as_str().unwrap().to_string();
    let path = article_path(&ar["id"]);

    let (status, moved) = patch(&site, &path, &token, &json!({"slug": "خطة-المياه-الجديدة"})).await;
    assert_eq!(status, 200, "{moved}");
    let new_url = moved["url"].as_str().unwrap().to_string();
    assert_ne!(old_url, new_url);
    let old = site.get(&old_url).await;
    assert_eq!(old.status(), 301, "{old_url}");
    assert_eq!(old.headers()["location"], new_url.as_str());
    site.text(&new_url, 200).await;
    let mut english = draft("Council approves the water plan");
    english["lang"] = json!("en");
    english["status"] = json!("published");
    let (status, en) = post_article(&site, &token, &english).await;
    assert_eq!(status, 201, "{en}");
    let (status, linked) = patch(&site, &path, &token, &json!({"translation_id": en["id"]})).await;
    assert_eq!(status, 200, "{linked}");
    assert_eq!(linked["translation_id"], en["id"]);
    let (_, en_now) = get_with(&site, &article_path(&en["id"]), &token).await;
    assert_eq!(en_now["translation_id"], ar["id"], "linked both ways");
    site.caught_up().await;
    let en_url = en["url"].as_str().unwrap();
    let ar_page = site.text(&new_url, 200).await;
    assert!(
        ar_page.contains(r#"hreflang="en""#) && ar_page.contains(en_url),
        "Arabic page names the English one"
    );
    let en_page = site.text(en_url, 200).await;
    assert!(
        en_page.contains(r#"hreflang="ar""#),
        "English page names the Arabic one"
    );

    // Only the other language's article can be the other edition.
    let (status, same) = patch(&site, &path, &token, &json!({"translation_id": ar["id"]})).await;
    assert_eq!(status, 422, "{same}");
    assert_eq!(same["error"]["fields"][0]["field"], "translation_id");
    let (status, missing) = patch(&site, &path, &token, &json!({"translation_id": 999_999})).await;
    assert_eq!(status, 422, "{missing}");
    let (status, unlinked) = patch(&site, &path, &token, &json!({"translation_id": null})).await;
    assert_eq!(status, 200, "{unlinked}");
    let (_, en_now) = get_with(&site, &article_path(&en["id"]), &token).await;
    assert!(
        en_now["translation_id"].is_null(),
        "unlinked both ways: {en_now}"
    );
    site.stop().await;
}

/// Every save is a revision, listed newest first with who made it;
/// restoring one saves its fields again as the newest revision, leaving the
/// status alone; nobody who may not see the article sees its revisions.
async fn revisions_and_restore(backend: Backend) {
    let site = TestSite::demo(backend).await;
    let author = add_user(&site, "author@news.example", Role::Author).await;
    let token = token_for(&site, &author).await;
    let stranger = token_of_new(&site, "other@news.example", Role::Contributor).await;
    let mut article = draft("العنوان الأول للموازنة");
    article["status"] = json!("published");
    let (status, first) = post_article(&site, &token, &article).await;
    assert_eq!(status, 201, "{first}");
    let path = article_path(&first["id"]);
    patch(&site, &path, &token, &json!({"headline": "العنوان الثاني"})).await;
    let (_, third) = patch(
        &site,
        &path,
        &token,
        &json!({"headline": "العنوان الثالث", "body_html": "<p>نص جديد</p>"}),
    )
    .await;
    assert_eq!(third["revision"], 3);

    let (status, list) = get_with(&site, &format!("{path}/revisions"), &token).await;
    assert_eq!(status, 200, "{list}");
    let revisions = list["revisions"].as_array().unwrap();
    let seen: Vec<(i64, &str)> = revisions
        .iter()
        .map(|r| {
            (
                r["revision"].as_i64().unwrap(),
                r["headline"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (3, "العنوان الثالث"),
            (2, "العنوان الثاني"),
            (1, "العنوان الأول للموازنة")
        ]
    );
    assert!(revisions
        .iter()
        .all(|r| r["actor"] == author.email.as_str()));

    let (status, restored) = api(
        &site,
        "POST",
        &format!("{path}/revisions/1/restore"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(restored["headline"], "العنوان الأول للموازنة");
    assert_eq!(restored["body_html"], first["body_html"]);
    assert_eq!(restored["revision"], 4, "a restore is a save");
    assert_eq!(restored["status"], "published", "the status stays");

    let (status, _) = api(
        &site,
        "POST",
        &format!("{path}/revisions/99/restore"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 404);
    // Public articles are anyone's to read, not to restore.
    let (status, _) = api(
        &site,
        "POST",
        &format!("{path}/revisions/2/restore"),
        Some(&stranger),
        None,
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = api(&site, "GET", &format!("{path}/revisions"), None, None).await;
    assert_eq!(status, 401);
    site.stop().await;
}
