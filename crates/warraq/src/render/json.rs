//! The machine views of an article: the public API's JSON shape (also served
//! at `….json`) and the clean text served at `….txt`.

use serde_json::{json, Value};

use super::Views;
use crate::model::Article;

/// `{"id","url","lang","headline","standfirst","body_html","authors",
/// "sections","tags","published_at","updated_at"}` with RFC 3339 times.
/// `body_html` is the body as readers get it (see [`super::render_body`]).
pub fn article_json(a: &Article, views: &Views, body_html: &str) -> Value {
    json!({
        "id": a.id,
        "url": views.urls.article(a),
        "lang": a.lang,
        "headline": a.headline,
        "standfirst": a.standfirst,
        "body_html": body_html,
        "authors": a.authors.iter().map(|au| json!({"slug": au.slug, "name": au.name, "role": au.role})).collect::<Vec<_>>(),
        "sections": a.sections.iter().map(|s| json!({"slug": s.slug, "name": s.name})).collect::<Vec<_>>(),
        "tags": a.tags.iter().map(|t| json!({"slug": t.slug, "name": t.name})).collect::<Vec<_>>(),
        "cover": a.cover,
        "published_at": views.dates.iso(a.published_at),
        "updated_at": views.dates.iso(a.updated_at),
    })
}

/// Headline, standfirst, byline, date, then the paragraphs of `body` (the
/// stored body with its "read also" block): what a scraper or an archivist
/// wants, and nothing else.
pub fn clean_text_view(
    a: &Article,
    body: &str,
    views: &Views,
    by: &str,
    separator: &str,
) -> String {
    let byline = a
        .authors
        .iter()
        .map(|au| {
            if au.role.is_empty() {
                au.name.clone()
            } else {
                format!("{} — {}", au.name, au.role)
            }
        })
        .collect::<Vec<_>>()
        .join(separator);
    format!(
        "{}\n\n{}\n\n{} {}\n{}\n\n{}\n",
        a.headline,
        a.standfirst,
        by,
        byline,
        views.dates.format(a.published_at),
        warraq_text::clean_text(body)
    )
}
