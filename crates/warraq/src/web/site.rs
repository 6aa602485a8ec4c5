//! The public site: home, section, tag and author pages, and articles with
//! their clean-text and JSON views. Arabic at the root, English under `/en/`.

use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use minijinja::{context, Value};
use serde::Serialize;

use super::{AppState, Failure};
use crate::model::{Article, Lang};
use crate::render::{clean_text_view, Pager};
use crate::store::{ArticleFilter, ArticleQuery};

type PageResult = Result<Response, Failure>;

/// Articles in the "latest" block of the home page, after the lead story.
const HOME_LATEST: u32 = 6;
/// Articles in each section's row on the home page.
const HOME_ROW: u32 = 3;
/// Articles in the most-read widget.
const MOST_READ: usize = 5;

pub fn routes() -> Router<AppState> {
    let mut router = Router::new().route("/en", get(|| async { Redirect::permanent("/en/") }));
    for lang in Lang::ALL {
        let p = lang.prefix();
        router = router
            .route(&format!("{p}/"), get(move |s, q| home(s, lang, q)))
            .route(
                &format!("{p}/section/{{slug}}/"),
                get(move |s, a, q| listing(s, lang, Kind::Section, a, q)),
            )
            .route(
                &format!("{p}/tag/{{slug}}/"),
                get(move |s, a, q| listing(s, lang, Kind::Tag, a, q)),
            )
            .route(
                &format!("{p}/author/{{slug}}/"),
                get(move |s, a, q| listing(s, lang, Kind::Author, a, q)),
            )
            .route(&format!("{p}/feed.xml"), get(move |s| feed(s, lang, None)))
            .route(
                &format!("{p}/search"),
                get(move |s, q| search_page(s, lang, q)),
            )
            .route(
                &format!("{p}/section/{{slug}}/feed.xml"),
                get(move |s, Path(slug)| feed(s, lang, Some((Kind::Section, slug)))),
            )
            .route(
                &format!("{p}/author/{{slug}}/feed.xml"),
                get(move |s, Path(slug)| feed(s, lang, Some((Kind::Author, slug)))),
            )
            .route(
                &format!("{p}/{{y}}/{{m}}/{{d}}/{{slug}}/"),
                get(move |s, a| article(s, lang, a)),
            )
            .route(
                &format!("{p}/{{y}}/{{m}}/{{d}}/{{file}}"),
                get(move |s, a| article_file(s, lang, a)),
            );
    }
    router.fallback(super::pages::fallback)
}

#[derive(Serialize)]
struct NavLink {
    slug: String,
    name: String,
    url: String,
}

#[derive(Serialize)]
struct Alternate {
    lang: &'static str,
    href: String,
}

/// What every page's frame needs: language, direction, interface strings,
/// navigation, and the page's title, description and canonical URL.
pub async fn base_context(
    app: &AppState,
    lang: Lang,
    path: &str,
    title: &str,
    description: &str,
    current_section: Option<&str>,
) -> anyhow::Result<Value> {
    let urls = &app.views.urls;
    let site = app.config.site(lang);
    // A page without navigation beats no page: the error page for a failing
    // database is rendered through here too.
    let sections = app.newsroom.sections(lang).await.unwrap_or_else(|e| {
        tracing::warn!("navigation sections: {e:#}");
        Default::default()
    });
    let nav_sections: Vec<NavLink> = sections
        .iter()
        .map(|s| NavLink {
            url: urls.section(lang, &s.slug),
            slug: s.slug.clone(),
            name: s.name.clone(),
        })
        .collect();
    let other = match lang {
        Lang::Ar => Lang::En,
        Lang::En => Lang::Ar,
    };
    let full_title = if title.is_empty() || title == site.name {
        site.name.clone()
    } else {
        format!("{title} | {}", site.name)
    };
    Ok(context! {
        lang => lang.code(),
        dir => lang.dir(),
        t => app.theme.locale(lang).clone(),
        site => context! { name => site.name, description => site.description },
        home_url => urls.home(lang),
        search_url => format!("{}/search", lang.prefix()),
        feed_url => format!("{}feed.xml", urls.home(lang)),
        other_edition_url => urls.home(other),
        nav_sections,
        current_section,
        page => context! {
            title => full_title,
            description => if description.is_empty() { site.description.as_str() } else { description },
            canonical => urls.absolute(path),
        },
    })
}

async fn home(State(app): State<AppState>, lang: Lang, RawQuery(query): RawQuery) -> PageResult {
    if let Some(query) = &query {
        // WordPress's `/?p=ID` links of an imported site: the item's page,
        // or not found (a draft, or an item never imported).
        if crate::model::redirect_key("/", Some(query)).starts_with("/?") {
            return super::pages::redirect_for(&app, "/", Some(query))
                .await
                .ok_or(Failure::NotFound);
        }
        // One home page per language; query strings would only fill the cache.
        return Ok(Redirect::permanent(&app.views.urls.home(lang)).into_response());
    }
    let latest = app
        .store
        .list_cards(&ArticleQuery {
            lang: Some(lang),
            filter: ArticleFilter::All,
            page: 1,
            per_page: HOME_LATEST + 1,
        })
        .await?
        .items;
    // Each story appears once on the home page: section rows skip what the
    // lead and latest blocks, or an earlier row, already show.
    let mut shown: std::collections::HashSet<i64> = latest.iter().map(|a| a.id).collect();
    let mut rows = Vec::new();
    for section in app.newsroom.sections(lang).await?.iter() {
        let candidates = app
            .store
            .list_cards(&ArticleQuery {
                lang: Some(lang),
                filter: ArticleFilter::Section(section.id),
                page: 1,
                per_page: HOME_ROW + HOME_LATEST + 1,
            })
            .await?
            .items;
        let articles: Vec<Article> = candidates
            .into_iter()
            .filter(|a| shown.insert(a.id))
            .take(HOME_ROW as usize)
            .collect();
        if !articles.is_empty() {
            rows.push(context! {
                section => context! { name => section.name, url => app.views.urls.section(lang, &section.slug) },
                articles => app.views.articles(&articles),
            });
        }
    }
    let most_read = most_read_widget(&app, lang, None).await?;
    let views = app.views.articles(&latest);
    let mut views = views.into_iter();
    let lead = views.next();
    let path = app.views.urls.home(lang);
    let site = app.config.site(lang);
    let mut alternates = Vec::new();
    for l in Lang::ALL {
        alternates.push(Alternate {
            lang: l.code(),
            href: app.views.urls.absolute(&app.views.urls.home(l)),
        });
    }
    let base = base_context(&app, lang, &path, &site.name, &site.description, None).await?;
    let html = app.theme.render(
        "home.html",
        context! { lead, latest => views.collect::<Vec<_>>(), section_rows => rows, most_read, page => context! { alternates, ..base.get_attr("page").unwrap_or_default() }, ..base },
    )?;
    Ok(Html(html).into_response())
}

/// The most-read widget: the last 24 hours in this language, without the
/// article the reader is on.
async fn most_read_widget(
    app: &AppState,
    lang: Lang,
    current: Option<i64>,
) -> anyhow::Result<Vec<crate::render::ArticleView>> {
    let top = app.newsroom.most_read(lang, MOST_READ, current).await?;
    Ok(app.views.articles(&top))
}

#[derive(Clone, Copy)]
enum Kind {
    Section,
    Tag,
    Author,
}

/// What a section, tag or author page (or feed) lists, found by its slug.
struct Listed {
    filter: ArticleFilter,
    name: String,
    /// The page's path.
    path: String,
    author: Option<crate::model::Author>,
    /// The section's slug, for the navigation's current item.
    section: Option<String>,
}

async fn listed(app: &AppState, lang: Lang, kind: Kind, slug: &str) -> Result<Listed, Failure> {
    let urls = &app.views.urls;
    Ok(match kind {
        Kind::Section => {
            let s = app
                .store
                .section(lang, slug)
                .await?
                .ok_or(Failure::NotFound)?;
            Listed {
                filter: ArticleFilter::Section(s.id),
                name: s.name,
                path: urls.section(lang, &s.slug),
                author: None,
                section: Some(s.slug),
            }
        }
        Kind::Tag => {
            let tag = app.store.tag(lang, slug).await?.ok_or(Failure::NotFound)?;
            Listed {
                filter: ArticleFilter::Tag(tag.id),
                name: tag.name,
                path: urls.tag(lang, &tag.slug),
                author: None,
                section: None,
            }
        }
        Kind::Author => {
            let a = app
                .store
                .author(lang, slug)
                .await?
                .ok_or(Failure::NotFound)?;
            Listed {
                filter: ArticleFilter::Author(a.id),
                name: a.name.clone(),
                path: urls.author(lang, &a.slug),
                author: Some(a),
                section: None,
            }
        }
    })
}

async fn listing(
    State(app): State<AppState>,
    lang: Lang,
    kind: Kind,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    let page = page_param(query.as_deref())?;
    let t = |key: &str| app.theme.text(lang, key);
    let Listed {
        filter,
        name,
        path,
        author,
        section,
    } = listed(&app, lang, kind, &slug).await?;
    let heading = match kind {
        Kind::Section => t("section_title").replace("{name}", &name),
        Kind::Tag => t("tag_title").replace("{name}", &name),
        Kind::Author => name,
    };
    let current_section = section;
    let list = app
        .store
        .list_cards(&ArticleQuery {
            lang: Some(lang),
            filter,
            page,
            per_page: app.config.page_size,
        })
        .await?;
    if page > list.pages() {
        return Err(Failure::NotFound);
    }
    let pager = Pager::new(&path, page, list.pages());
    let canonical_path = if page == 1 {
        path.clone()
    } else {
        format!("{path}?page={page}")
    };
    let title = if page == 1 {
        heading.clone()
    } else {
        format!(
            "{heading} — {}",
            t("page_n").replace("{n}", &page.to_string())
        )
    };
    let description = author.as_ref().map(|a| a.bio.clone()).unwrap_or_default();
    let author_photo = match &author {
        Some(a) => app.store.author_photo(a.id).await?,
        None => String::new(),
    };
    let base = base_context(
        &app,
        lang,
        &canonical_path,
        &title,
        &description,
        current_section.as_deref(),
    )
    .await?;
    let html = app.theme.render(
        "list.html",
        context! { heading, author, author_photo, articles => app.views.articles(&list.items), pager, ..base },
    )?;
    Ok(Html(html).into_response())
}

/// The search page's parameters, as text: junk in any of them narrows
/// nothing and breaks nothing.
#[derive(serde::Deserialize, Default)]
pub struct SearchParams {
    pub q: Option<String>,
    pub section: Option<String>,
    pub author: Option<String>,
    pub lang: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
    pub limit: Option<String>,
}

impl SearchParams {
    /// The query for the index; dates are days in the site's time zone.
    pub fn query(
        &self,
        app: &AppState,
        lang: Option<Lang>,
        per_page: usize,
    ) -> crate::search::SearchQuery {
        let text: String = self
            .q
            .as_deref()
            .unwrap_or("")
            .trim()
            .chars()
            .take(200)
            .collect();
        let day = |v: &Option<String>, end: bool| -> Option<i64> {
            let date: jiff::civil::Date = v.as_deref()?.trim().parse().ok()?;
            let time = if end {
                jiff::civil::time(23, 59, 59, 0)
            } else {
                jiff::civil::time(0, 0, 0, 0)
            };
            Some(
                date.to_datetime(time)
                    .to_zoned(app.views.dates.time_zone().clone())
                    .ok()?
                    .timestamp()
                    .as_second(),
            )
        };
        let nonempty = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        crate::search::SearchQuery {
            text,
            lang,
            section: nonempty(&self.section),
            author: nonempty(&self.author),
            from: day(&self.from, false),
            to: day(&self.to, true),
            by_date: self.sort.as_deref() == Some("date"),
            page: self
                .page
                .as_deref()
                .and_then(|p| p.parse().ok())
                .filter(|&p: &usize| (1..=1000).contains(&p))
                .unwrap_or(1),
            per_page,
        }
    }
}

#[derive(Serialize)]
struct HitView {
    article: crate::render::ArticleView,
    snippet: Value,
}

async fn search_page(
    State(app): State<AppState>,
    lang: Lang,
    axum::extract::Query(params): axum::extract::Query<SearchParams>,
) -> PageResult {
    let q = params.query(&app, Some(lang), 10);
    let mut hits: Option<Vec<HitView>> = None;
    let mut total = 0;
    let mut pages = 1;
    if !q.text.is_empty() {
        if let Some(results) = app.search.search(&q).await? {
            total = results.total;
            pages = total.div_ceil(q.per_page).max(1);
            let ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
            let articles = app.store.cards_by_ids(&ids).await?;
            let snippets: std::collections::HashMap<i64, String> = results
                .hits
                .into_iter()
                .map(|h| (h.id, h.snippet))
                .collect();
            hits = Some(
                articles
                    .iter()
                    .map(|a| HitView {
                        article: app.views.article(a),
                        snippet: Value::from_safe_string(
                            snippets.get(&a.id).cloned().unwrap_or_default(),
                        ),
                    })
                    .collect(),
            );
        }
    }
    let mut base_url = format!("{}/search?q={}", lang.prefix(), encode_query(&q.text));
    for (name, value) in [
        ("section", &params.section),
        ("from", &params.from),
        ("to", &params.to),
        ("sort", &params.sort),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            base_url.push_str(&format!("&{name}={}", encode_query(v)));
        }
    }
    let pager = Pager::new(&base_url, q.page as u32, pages as u32);
    let title = app.theme.text(lang, "search");
    let base = base_context(
        &app,
        lang,
        &format!("{}/search", lang.prefix()),
        &title,
        "",
        None,
    )
    .await?;
    let html = app.theme.render(
        "search.html",
        context! {
            q => q.text,
            section => params.section.unwrap_or_default(),
            from => params.from.unwrap_or_default(),
            to => params.to.unwrap_or_default(),
            sort => params.sort.unwrap_or_default(),
            hits,
            total,
            pager,
            ..base
        },
    )?;
    Ok(Html(html).into_response())
}

fn encode_query(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Articles in a feed.
const FEED_ITEMS: u32 = 20;

/// RSS for an edition, or one of its sections or authors.
async fn feed(State(app): State<AppState>, lang: Lang, of: Option<(Kind, String)>) -> PageResult {
    let urls = &app.views.urls;
    let site = app.config.site(lang);
    let (filter, title, page) = match &of {
        None => (ArticleFilter::All, site.name.clone(), urls.home(lang)),
        Some((Kind::Tag, _)) => return Err(Failure::NotFound),
        Some((kind, slug)) => {
            let listed = listed(&app, lang, *kind, slug).await?;
            (
                listed.filter,
                format!("{} — {}", site.name, listed.name),
                listed.path,
            )
        }
    };
    let articles = app
        .store
        .list_articles(&ArticleQuery {
            lang: Some(lang),
            filter,
            page: 1,
            per_page: FEED_ITEMS,
        })
        .await?
        .items;
    let mut items = Vec::with_capacity(articles.len());
    for a in articles {
        let prepared = app.prepare(&a).await?;
        let body = app.body(&a, &prepared).await?;
        items.push((a, body));
    }
    let link = urls.absolute(&page);
    let xml = crate::render::rss(
        &crate::render::Channel {
            title: &title,
            description: &site.description,
            link: &link,
            feed_url: &format!("{link}feed.xml"),
            lang: lang.code(),
        },
        &items,
        &app.views,
    );
    Ok((
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

/// `?page=N`, N ≥ 1; anything else in the query is ignored.
fn page_param(query: Option<&str>) -> Result<u32, Failure> {
    let Some(query) = query else { return Ok(1) };
    for pair in query.split('&') {
        if let Some(value) = pair.strip_prefix("page=") {
            return match value.parse::<u32>() {
                Ok(n) if n >= 1 => Ok(n),
                _ => Err(Failure::NotFound),
            };
        }
    }
    Ok(1)
}

/// Finds the article at a dated path: the date must be the one its URL
/// was given on publication, written as the URL writes it.
async fn find_article(
    app: &AppState,
    lang: Lang,
    [y, m, d]: [&str; 3],
    slug: &str,
) -> Result<Article, Failure> {
    let article = app
        .store
        .article_by_slug(lang, slug)
        .await?
        .ok_or(Failure::NotFound)?;
    let date = app.views.dates.civil(article.published_at);
    let matches = y.parse() == Ok(date.year())
        && m.parse() == Ok(date.month())
        && d.parse() == Ok(date.day());
    if matches && y.len() == 4 && m.len() == 2 && d.len() == 2 {
        Ok(article)
    } else {
        Err(Failure::NotFound)
    }
}

async fn article(
    State(app): State<AppState>,
    lang: Lang,
    Path((y, m, d, slug)): Path<(String, String, String, String)>,
) -> PageResult {
    let a = find_article(&app, lang, [&y, &m, &d], &slug).await?;
    Ok(Html(article_page(&app, &a, false).await?).into_response())
}

/// An article's page. A `preview` of an article not yet public is the same
/// page, marked as a preview and kept out of search engines.
pub(super) async fn article_page(
    app: &AppState,
    a: &Article,
    preview: bool,
) -> Result<String, Failure> {
    let lang = a.lang;
    let view = app.views.article(a);
    let path = app.views.urls.article(a);
    let base = base_context(
        app,
        lang,
        &path,
        &a.headline,
        &a.standfirst,
        a.sections.first().map(|s| s.slug.as_str()),
    )
    .await?;
    let jsonld = news_article_jsonld(app, a);
    let whatsapp = app
        .config
        .whatsapp(lang)
        .map(|(text, link)| context! { text, link });
    let shared = a.cover.as_ref().map(|c| c.for_sharing());
    let image = shared.map(|(url, _)| app.views.urls.absolute(url));
    let image_size = shared.and_then(|(_, size)| size);
    let image_alt = a.cover.as_ref().map(|c| c.alt.as_str());
    let mut seo = seo_context(app, a, &base).await?;
    if preview {
        seo = context! { noindex => true, ..seo };
    }
    let most_read = most_read_widget(app, lang, Some(a.id)).await?;
    let prepared = app.prepare(a).await?;
    let related = app.views.articles(&prepared.cards);
    Ok(app.theme.render(
        "article.html",
        context! {
            article => view,
            body_html => Value::from_safe_string(app.body(a, &prepared).await?),
            related,
            jsonld,
            whatsapp,
            most_read,
            preview,
            page => context! {
                og_type => "article",
                image,
                image_width => image_size.map(|s| s.0),
                image_height => image_size.map(|s| s.1),
                image_alt,
                ..seo
            },
            ..base
        },
    )?)
}

/// What search engines are told of an article: its SEO title and
/// description when an editor (or Yoast, before the import) gave them, a
/// canonical URL elsewhere, noindex, and the other edition of the story.
async fn seo_context(app: &AppState, a: &Article, base: &Value) -> anyhow::Result<Value> {
    let page = base.get_attr("page").unwrap_or_default();
    let urls = &app.views.urls;
    let mut alternates = Vec::new();
    if let Some(other) = a.translation_id {
        if let Some(other) = app.store.cards_by_ids(&[other]).await?.first() {
            if other.lang != a.lang {
                for edition in [a, other] {
                    alternates.push(Alternate {
                        lang: edition.lang.code(),
                        href: urls.absolute(&urls.article(edition)),
                    });
                }
            }
        }
    }
    let title = (!a.seo.title.is_empty()).then_some(a.seo.title.as_str());
    let description = (!a.seo.description.is_empty()).then_some(a.seo.description.as_str());
    let canonical = (!a.seo.canonical.is_empty()).then_some(a.seo.canonical.as_str());
    Ok(context! {
        title => title.map(Value::from).unwrap_or_else(|| page.get_attr("title").unwrap_or_default()),
        description => description.map(Value::from).unwrap_or_else(|| page.get_attr("description").unwrap_or_default()),
        canonical => canonical.map(Value::from).unwrap_or_else(|| page.get_attr("canonical").unwrap_or_default()),
        noindex => a.seo.noindex,
        alternates,
        ..page
    })
}

async fn article_file(
    State(app): State<AppState>,
    lang: Lang,
    Path((y, m, d, file)): Path<(String, String, String, String)>,
) -> PageResult {
    if let Some(slug) = file.strip_suffix(".txt") {
        let a = find_article(&app, lang, [&y, &m, &d], slug).await?;
        let prepared = app.prepare(&a).await?;
        let text = clean_text_view(
            &a,
            &prepared.body,
            &app.views,
            &app.theme.text(lang, "by"),
            &app.theme.text(lang, "list_separator"),
        );
        return Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response());
    }
    if let Some(slug) = file.strip_suffix(".json") {
        let a = find_article(&app, lang, [&y, &m, &d], slug).await?;
        return Ok(Json(app.article_json(&a).await?).into_response());
    }
    // The canonical article URL ends with a slash.
    let a = find_article(&app, lang, [&y, &m, &d], &file).await?;
    Ok(Redirect::permanent(&app.views.urls.article(&a)).into_response())
}

/// schema.org `NewsArticle` for search engines and aggregators.
fn news_article_jsonld(app: &AppState, a: &Article) -> serde_json::Value {
    let urls = &app.views.urls;
    let dates = &app.views.dates;
    let canonical = urls.absolute(&urls.article(a));
    let site = app.config.site(a.lang);
    let mut ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.headline,
        "description": a.standfirst,
        "datePublished": dates.iso(a.published_at),
        "dateModified": dates.iso(a.updated_at),
        "inLanguage": a.lang.code(),
        "mainEntityOfPage": { "@type": "WebPage", "@id": canonical },
        "url": canonical,
        "author": a.authors.iter().map(|au| serde_json::json!({
            "@type": "Person",
            "name": au.name,
            "url": urls.absolute(&urls.author(a.lang, &au.slug)),
            "jobTitle": au.role,
        })).collect::<Vec<_>>(),
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": site.name,
            "url": urls.absolute(&urls.home(a.lang)),
        },
        "articleSection": a.sections.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
        "keywords": a.tags.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
    });
    if let Some(cover) = &a.cover {
        ld["image"] = serde_json::json!([urls.absolute(cover.for_sharing().0)]);
    }
    ld
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        assert_eq!(page_param(None).unwrap(), 1);
        assert_eq!(page_param(Some("page=3")).unwrap(), 3);
        assert_eq!(page_param(Some("utm_source=x&page=2")).unwrap(), 2);
        assert!(page_param(Some("page=0")).is_err());
        assert!(page_param(Some("page=abc")).is_err());
        assert!(page_param(Some("page=99999999999")).is_err());
    }
}
