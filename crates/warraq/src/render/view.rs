//! What templates see: articles, authors, sections and tags with their URLs
//! and formatted dates, ready to print.

use serde::Serialize;

use super::{DateFormat, Urls};
use crate::model::{Article, Cover, Lang};

/// Builds views; one per site, shared by every request.
#[derive(Clone, Debug)]
pub struct Views {
    pub urls: Urls,
    pub dates: DateFormat,
}

#[derive(Serialize)]
pub struct Link {
    pub slug: String,
    pub name: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct AuthorLink {
    pub slug: String,
    pub name: String,
    pub role: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct ArticleView {
    pub id: i64,
    pub url: String,
    pub headline: String,
    pub standfirst: String,
    pub date: String,
    pub published_iso: String,
    /// Shown only when the article changed after the day it was published.
    pub updated_date: Option<String>,
    pub updated_iso: String,
    pub authors: Vec<AuthorLink>,
    /// The main section: the first one.
    pub section: Option<Link>,
    pub sections: Vec<Link>,
    pub tags: Vec<Link>,
    pub cover: Option<Cover>,
}

#[derive(Serialize)]
pub struct Pager {
    pub page: u32,
    pub pages: u32,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
}

impl Pager {
    /// Links to the neighbouring pages of `base` (a path with no query).
    pub fn new(base: &str, page: u32, pages: u32) -> Pager {
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = |p: u32| {
            if p == 1 {
                base.to_string()
            } else {
                format!("{base}{sep}page={p}")
            }
        };
        Pager {
            page,
            pages,
            prev_url: (page > 1).then(|| url(page - 1)),
            next_url: (page < pages).then(|| url(page + 1)),
        }
    }
}

impl Views {
    /// URLs and dates as the config sets them.
    pub fn new(config: &crate::config::Config) -> anyhow::Result<Views> {
        let tz = jiff::tz::TimeZone::get(&config.time_zone)?;
        let dates = DateFormat::new(&config.date_format, config.digits, tz);
        Ok(Views {
            urls: Urls {
                base_url: config.base_url.clone(),
                dates: dates.clone(),
            },
            dates,
        })
    }

    pub fn article(&self, a: &Article) -> ArticleView {
        let lang = a.lang;
        let sections: Vec<Link> = a
            .sections
            .iter()
            .map(|s| self.link(lang, &s.slug, &s.name, Urls::section))
            .collect();
        let updated_date = (self.dates.civil(a.updated_at) != self.dates.civil(a.published_at))
            .then(|| self.dates.format(a.updated_at));
        ArticleView {
            id: a.id,
            url: self.urls.article(a),
            headline: a.headline.clone(),
            standfirst: a.standfirst.clone(),
            date: self.dates.format(a.published_at),
            published_iso: self.dates.iso(a.published_at),
            updated_date,
            updated_iso: self.dates.iso(a.updated_at),
            authors: a
                .authors
                .iter()
                .map(|au| AuthorLink {
                    slug: au.slug.clone(),
                    name: au.name.clone(),
                    role: au.role.clone(),
                    url: self.urls.author(lang, &au.slug),
                })
                .collect(),
            section: sections.first().map(|s| Link {
                slug: s.slug.clone(),
                name: s.name.clone(),
                url: s.url.clone(),
            }),
            sections,
            tags: a
                .tags
                .iter()
                .map(|t| self.link(lang, &t.slug, &t.name, Urls::tag))
                .collect(),
            cover: a.cover.clone(),
        }
    }

    pub fn articles(&self, articles: &[Article]) -> Vec<ArticleView> {
        articles.iter().map(|a| self.article(a)).collect()
    }

    fn link(
        &self,
        lang: Lang,
        slug: &str,
        name: &str,
        url: fn(&Urls, Lang, &str) -> String,
    ) -> Link {
        Link {
            slug: slug.to_string(),
            name: name.to_string(),
            url: url(&self.urls, lang, slug),
        }
    }
}
