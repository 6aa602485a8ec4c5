//! Staff in tests: accounts and API tokens, a signed-in browser (session
//! cookie and CSRF token), and requests to the write API whose every
//! answer is checked to be JSON with the error shape of its status.

use serde_json::{json, Value};
use warraq::model::{slugify, Actor, Lang, Role, User};
use warraq::service::people::{self, Byline, UserInput};

use super::TestSite;

pub const PASSWORD: &str = "correct horse battery staple";
/// Far enough ahead that "scheduled" stays scheduled for the whole run.
pub const FUTURE: &str = "2099-01-01T09:00:00+03:00";
/// The same moment as the back office's datetime-local field takes it.
pub const FUTURE_LOCAL: &str = "2099-01-01T09:00";

pub async fn add_user_as(
    site: &TestSite,
    email: &str,
    name: &str,
    role: Role,
    byline: Byline,
) -> User {
    people::add_user(
        &site.store,
        UserInput {
            email,
            name,
            role,
            lang: Lang::Ar,
            password: PASSWORD,
            byline,
        },
        &Actor::command_line(),
    )
    .await
    .unwrap_or_else(|e| panic!("adding {email}: {e:?}"))
}

pub async fn add_user(site: &TestSite, email: &str, role: Role) -> User {
    add_user_as(site, email, email, role, Byline::None).await
}

/// A new account's API token: for tests that act only through the API.
pub async fn token_of_new(site: &TestSite, email: &str, role: Role) -> String {
    let user = add_user(site, email, role).await;
    token_for(site, &user).await
}

pub async fn token_for(site: &TestSite, user: &User) -> String {
    people::create_token(&site.store, user, "tests", &Actor::command_line())
        .await
        .unwrap()
}

/// The value of cookie `name` set by a response, if it sets it.
pub fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    let header = set_cookie_header(r, name)?;
    let value = &header[name.len() + 1..];
    Some(value.split(';').next().unwrap_or_default().to_string())
}

/// The whole `Set-Cookie` header for cookie `name`, attributes and all.
pub fn set_cookie_header(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The text after `start` up to the next `end`.
pub fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

/// The text content of every element whose start tag contains `marker`.
pub fn texts_of<'a>(html: &'a str, marker: &str) -> Vec<&'a str> {
    html.match_indices(marker)
        .filter_map(|(at, _)| between(&html[at..], ">", "<"))
        .collect()
}

/// The CSRF token of a page (its first `csrf` form field).
pub fn csrf_of(html: &str) -> String {
    between(html, r#"name="csrf" value=""#, "\"")
        .unwrap_or_else(|| panic!("no csrf field in {html:.300}"))
        .to_string()
}

/// A signed-in browser: its session cookie and the session's CSRF token.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl Session {
    pub fn header(&self) -> String {
        format!("warraq_session={}", self.cookie)
    }

    pub async fn get(&self, site: &TestSite, path: &str) -> reqwest::Response {
        site.client
            .get(site.url(path))
            .header("cookie", self.header())
            .send()
            .await
            .unwrap()
    }

    /// GETs a back-office page that must answer 200; returns its text.
    pub async fn page(&self, site: &TestSite, path: &str) -> String {
        let r = self.get(site, path).await;
        let status = r.status().as_u16();
        let body = r.text().await.unwrap();
        assert_eq!(status, 200, "GET {path}: {body:.300}");
        body
    }

    /// POSTs a form with this session's CSRF token, as the back office's
    /// pages do.
    pub async fn post<T: serde::Serialize + ?Sized>(
        &self,
        site: &TestSite,
        path: &str,
        fields: &T,
    ) -> reqwest::Response {
        let body = format!(
            "{}&csrf={}",
            serde_urlencoded::to_string(fields).unwrap(),
            self.csrf
        );
        raw_post(site, Some(&self.header()), path, body).await
    }

    /// Whether the session still lets its holder into the back office.
    pub async fn works(&self, site: &TestSite) -> bool {
        let r = self.get(site, "/admin/").await;
        match r.status().as_u16() {
            200 => true,
            303 => {
                assert_eq!(location(&r), "/admin/login");
                false
            }
            other => panic!("GET /admin/ with a session: {other}"),
        }
    }

    /// The second step of signing in: a one-time or recovery code.
    pub async fn second_step(&self, site: &TestSite, code: &str) -> reqwest::Response {
        self.post(site, "/admin/login/totp", &[("code", code)])
            .await
    }

    pub async fn revoke_token(&self, site: &TestSite, name: &str) -> reqwest::Response {
        self.post(site, "/admin/account/tokens/revoke", &[("name", name)])
            .await
    }

    /// A form sent to user `id`'s page: a change to their account.
    pub async fn change_user(
        &self,
        site: &TestSite,
        id: i64,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        self.post(site, &format!("/admin/users/{id}"), fields).await
    }
}

/// A form POST with whatever cookie and body a test chooses: for forged
/// requests.
pub async fn raw_post(
    site: &TestSite,
    cookie: Option<&str>,
    path: &str,
    body: String,
) -> reqwest::Response {
    let mut req = site
        .client
        .post(site.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.send().await.unwrap()
}

pub fn form<T: serde::Serialize + ?Sized>(fields: &T) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

/// GET /admin/login as a browser: the cookie holding the form's CSRF
/// token, and the token.
pub async fn login_form(site: &TestSite) -> (String, String) {
    let r = site.get("/admin/login").await;
    assert_eq!(r.status(), 200);
    let cookie = set_cookie(&r, "warraq_login").expect("the sign-in form sets its CSRF cookie");
    let csrf = csrf_of(&r.text().await.unwrap());
    assert_eq!(cookie, csrf, "the form's token is the cookie's");
    (cookie, csrf)
}

/// Fills in and sends the sign-in form, with `also` (say, an older
/// session cookie) among the browser's cookies.
pub async fn post_login(
    site: &TestSite,
    email: &str,
    password: &str,
    also: Option<&str>,
) -> reqwest::Response {
    let (cookie, csrf) = login_form(site).await;
    let mut cookies = format!("warraq_login={cookie}");
    if let Some(more) = also {
        cookies = format!("{cookies}; {more}");
    }
    let body = form(&[("email", email), ("password", password), ("csrf", &csrf)]);
    raw_post(site, Some(&cookies), "/admin/login", body).await
}

/// The session a sign-in response started, with its CSRF token read from
/// the page it leads to.
pub async fn session_of(site: &TestSite, r: &reqwest::Response) -> Session {
    let cookie = set_cookie(r, "warraq_session").expect("a session cookie");
    let mut session = Session {
        cookie,
        csrf: String::new(),
    };
    let next = location(r);
    let page = session.page(site, &next).await;
    session.csrf = csrf_of(&page);
    session
}

/// Signs in with the password (no second factor).
pub async fn sign_in(site: &TestSite, email: &str) -> Session {
    let r = post_login(site, email, PASSWORD, None).await;
    assert_eq!(r.status(), 303, "sign-in of {email}");
    assert_eq!(location(&r), "/admin/");
    session_of(site, &r).await
}

/// The stable code each error status carries.
pub fn code_of(status: u16) -> &'static str {
    match status {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        409 => "conflict",
        413 => "too_large",
        415 => "unsupported_media_type",
        422 => "invalid",
        429 => "too_many_requests",
        _ => "internal",
    }
}

/// An API request with a Bearer token (or none) and a JSON body (or none).
/// Every answer must be JSON, and every error `{"error": {"code",
/// "message"}}` with the code of its status.
pub async fn api(
    site: &TestSite,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut req = site.client.request(
        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
        site.url(path),
    );
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    json_answer(method, path, req.send().await.unwrap()).await
}

pub async fn json_answer(method: &str, path: &str, r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let content_type = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let text = r.text().await.unwrap();
    assert!(
        content_type.starts_with("application/json"),
        "{method} {path}: {status} with content-type {content_type:?}: {text:.300}"
    );
    let json: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{method} {path}: {status}, not JSON ({e}): {text:.300}"));
    if status >= 400 {
        assert_eq!(
            json["error"]["code"],
            code_of(status),
            "{method} {path}: {text:.300}"
        );
        assert!(json["error"]["message"].is_string(), "{method} {path}");
    }
    (status, json)
}

/// An article with everything publishing needs.
pub fn draft(headline: &str) -> Value {
    json!({
        "lang": "ar",
        "headline": headline,
        "standfirst": "ملخّص المقال في جملة واحدة.",
        "body_html": "<p>نص المقال.</p>",
        "sections": ["politics"],
        "authors": ["rana-haddad"],
        "tags": ["اختبار"],
    })
}

/// The same article as the back-office form sends it: every field, each
/// time, as a browser does, and the button pressed.
pub fn article_form(
    headline: &str,
    action: &str,
    revision: Option<i64>,
) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("lang", "ar".to_string()),
        ("headline", headline.to_string()),
        ("standfirst", "ملخّص المقال في جملة واحدة.".to_string()),
        ("body_html", "<p>نص المقال.</p>".to_string()),
        ("slug", String::new()),
        ("sections", "politics".to_string()),
        ("authors", "rana-haddad".to_string()),
        ("tags", "اختبار".to_string()),
        (
            "publish_at",
            if action == "schedule" {
                FUTURE_LOCAL
            } else {
                ""
            }
            .to_string(),
        ),
        ("action", action.to_string()),
    ];
    if let Some(r) = revision {
        fields.push(("revision", r.to_string()));
    }
    fields
}

pub fn article_path(id: impl std::fmt::Display) -> String {
    format!("/api/v1/articles/{id}")
}

/// POSTs a new article to the API with `token`.
pub async fn post_article(site: &TestSite, token: &str, article: &Value) -> (u16, Value) {
    api(site, "POST", "/api/v1/articles", Some(token), Some(article)).await
}

/// PATCHes the article at `path` with `token`.
pub async fn patch(site: &TestSite, path: &str, token: &str, changes: &Value) -> (u16, Value) {
    api(site, "PATCH", path, Some(token), Some(changes)).await
}

/// GETs `path` from the API with `token`.
pub async fn get_with(site: &TestSite, path: &str, token: &str) -> (u16, Value) {
    api(site, "GET", path, Some(token), None).await
}

/// A POST to /api/v1/articles with exactly these headers and body, past
/// the checks of `api`: for wrong credentials, session cookies and broken
/// bodies.
pub async fn post_articles_raw(
    site: &TestSite,
    headers: &[(&str, &str)],
    body: String,
) -> reqwest::Response {
    let mut req = site.client.post(site.url("/api/v1/articles"));
    for &(name, value) in headers {
        req = req.header(name, value);
    }
    req.body(body).send().await.unwrap()
}

/// A draft POSTed to the API by a browser holding `session`'s cookie, as
/// `content_type`, with `csrf` in X-CSRF-Token (or none).
pub async fn post_draft_in_session(
    site: &TestSite,
    session: &Session,
    csrf: Option<&str>,
    content_type: &str,
    headline: &str,
) -> reqwest::Response {
    let cookie = session.header();
    let mut headers = vec![("cookie", cookie.as_str()), ("content-type", content_type)];
    if let Some(c) = csrf {
        headers.push(("x-csrf-token", c));
    }
    post_articles_raw(site, &headers, draft(headline).to_string()).await
}

/// Creates a draft through the API; returns its id.
pub async fn create(site: &TestSite, token: &str, article: &Value) -> i64 {
    let (status, a) = post_article(site, token, article).await;
    assert_eq!(status, 201, "{a}");
    a["id"].as_i64().unwrap()
}

pub async fn set_status(site: &TestSite, token: &str, id: i64, status: &str) {
    let (code, a) = patch(site, &article_path(id), token, &json!({ "status": status })).await;
    assert_eq!(code, 200, "{a}");
    assert_eq!(a["status"], status);
}

/// Where an article stands, as an editor sees it.
#[derive(Debug, PartialEq)]
pub struct State {
    pub status: String,
    pub revision: i64,
    pub headline: String,
}

pub async fn state(site: &TestSite, editor: &str, id: i64) -> State {
    let (code, a) = get_with(site, &article_path(id), editor).await;
    assert_eq!(code, 200, "{a}");
    State {
        status: a["status"].as_str().unwrap().to_string(),
        revision: a["revision"].as_i64().unwrap(),
        headline: a["headline"].as_str().unwrap().to_string(),
    }
}

/// The id of the Arabic article whose slug comes from `headline`.
pub async fn article_by_headline(site: &TestSite, headline: &str) -> Option<i64> {
    site.store
        .slug_owner(Lang::Ar, &slugify(headline))
        .await
        .unwrap()
}

/// A response's body as JSON.
pub async fn json_of(r: reqwest::Response) -> Value {
    let text = r.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:.300}"))
}
