//! One WordPress item → what warraq stores of it, without touching the
//! database: bodies (blocks, wpautop, page builders, media, sanitising),
//! dates, headlines, standfirsts, SEO fields, sections and bylines, and the
//! old URLs it must answer. This is most of an import's CPU, so it runs on
//! its own thread while the writer stores the items before (see
//! [`super::import_wxr`]); what needs the database — free slugs, authors
//! made for unknown bylines — is left to the writer.

use std::sync::Arc;

use jiff::tz::TimeZone;

use super::body;
use super::fields::{self, Fate};
use super::media::Media;
use super::report::{NotPublic, Report};
use super::wxr::{Item, Location};
use super::{cap_slug, digest, section_slug, Survey};
use crate::model::{redirect_key, slugify, Lang, NewArticle, NewMedia, NewPage, Seo, Status};
use crate::store::Sanitized;

/// What the writer does with one item.
pub enum What {
    Skip(String),
    Media { record: NewMedia, keys: Vec<String> },
    Page { page: NewPage, keys: Vec<String> },
    Post(Box<Post>),
}

pub struct Post {
    /// `slug` is the one wanted; the writer makes it free. `author_slugs`
    /// is empty when the byline is `creator`, who may need creating.
    pub article: NewArticle,
    pub body: Sanitized,
    pub creator: String,
    pub creator_known: bool,
    pub thumbnail: Option<i64>,
    pub keys: Vec<String>,
}

pub struct Mapped {
    pub file: Arc<str>,
    pub wp_id: i64,
    /// Where the item is in its file.
    pub at: Location,
    pub digest: String,
    pub what: What,
    /// Warnings, unknown shortcodes and blocks, old upload URLs, the item
    /// if it is not public: merged into the run's report.
    pub report: Report,
}

pub struct Mapper {
    pub survey: Arc<Survey>,
    pub time_zone: TimeZone,
    /// The edition of items Polylang does not place.
    pub lang: Lang,
    pub media: Media,
}

impl Mapper {
    pub fn map(&mut self, item: &Item, file: &Arc<str>) -> anyhow::Result<Mapped> {
        let mut report = Report::default();
        if item.comments > 0 {
            *report.skipped.entry("comment".into()).or_default() += item.comments as u64;
        }
        let digest = digest(item, self.media.enabled());
        let mapped = |what, report| Mapped {
            file: file.clone(),
            wp_id: item.post_id,
            at: item.at,
            digest: digest.clone(),
            what,
            report,
        };
        let kind = item.post_type.as_str();
        if !matches!(kind, "post" | "page" | "attachment") {
            return Ok(mapped(What::Skip(kind.to_string()), report));
        }
        let Fate::Keep(status) = fields::fate(&item.status, &item.post_password) else {
            let why = if item.status == "trash" {
                "trash"
            } else {
                "other statuses"
            };
            return Ok(mapped(What::Skip(why.into()), report));
        };
        let what = match kind {
            "attachment" => self.attachment(item)?,
            _ => self.post(item, file, status, &mut report)?,
        };
        Ok(mapped(what, report))
    }

    fn attachment(&mut self, item: &Item) -> anyhow::Result<What> {
        let Some(found) = self.survey.attachments.get(&item.post_id) else {
            return Ok(What::Skip("attachment without a file".into()));
        };
        let (url, file) = match self.media.copy_attachment(&found.file)? {
            Some(local) => (format!("/media/{local}"), Some(local)),
            None => (found.url.clone(), None),
        };
        let mut keys = vec![format!("/?attachment_id={}", item.post_id)];
        if let Some((path, _)) = fields::path_and_query(&item.link) {
            let key = redirect_key(path, None);
            if key != "/" {
                keys.push(key);
            }
        }
        let record = NewMedia {
            url,
            file,
            title: found.title.clone(),
            alt: found.alt.clone(),
            caption: found.caption.clone(),
            created_at: self.time(item).map(|t| t.as_second()).unwrap_or(0),
        };
        Ok(What::Media { record, keys })
    }

    fn time(&self, item: &Item) -> Option<jiff::Timestamp> {
        fields::item_time(
            &item.post_date_gmt,
            &item.post_date,
            &item.pub_date,
            &self.time_zone,
        )
    }

    fn post(
        &mut self,
        item: &Item,
        file: &str,
        status: Status,
        report: &mut Report,
    ) -> anyhow::Result<What> {
        let survey = self.survey.clone();
        let mut reasons = Vec::new();
        let mut warn = |reason: String| reasons.push(reason);
        let lang = item
            .terms
            .iter()
            .filter(|t| t.domain == "language")
            .find_map(|t| t.nicename.split(['-', '_']).next()?.parse().ok())
            .unwrap_or(self.lang);
        let (headline, stripped_title) = fields::headline_of(&item.title);
        if stripped_title {
            warn("invisible direction or zero-width characters removed from the title".into());
        }
        let body = body::body_of(&item.content, &|id| {
            survey
                .attachments
                .get(&id)
                .map(|a| warraq_text::blocks::MediaRef {
                    url: a.url.clone(),
                    alt: a.alt.clone(),
                    caption: a.caption.clone(),
                })
        });
        let mut local = Report::default();
        let body_html = self.media.rewrite(&body.html, &mut local)?;
        let body_html = Sanitized::new(&body_html);
        let plain = warraq_text::clean_text(body_html.as_str());
        let headline = if headline.is_empty() {
            warn("no title: the body's first words stand in".into());
            let first: String = fields::first_sentence(&plain).chars().take(80).collect();
            if first.is_empty() {
                format!("#{}", item.post_id)
            } else {
                first
            }
        } else {
            headline
        };
        let published_at = match self.time(item) {
            Some(t) => t,
            None => {
                warn("no date: dated now".into());
                jiff::Timestamp::now()
            }
        };
        let yoast_desc = item.meta("_yoast_wpseo_metadesc").unwrap_or("").trim();
        let excerpt = warraq_text::clean_text(&item.excerpt);
        let standfirst = if !excerpt.is_empty() {
            excerpt.clone()
        } else if !yoast_desc.is_empty() {
            yoast_desc.to_string()
        } else {
            let first = fields::first_sentence(&plain);
            if first.is_empty() {
                headline.clone()
            } else {
                if item.post_type == "post" {
                    warn("no excerpt: the standfirst is the body's first sentence".into());
                }
                first
            }
        };
        let seo = Seo {
            title: item
                .meta("_yoast_wpseo_title")
                .map(|t| fields::yoast_title(t, &headline, &survey.site_name, &excerpt))
                .unwrap_or_default(),
            description: yoast_desc.to_string(),
            canonical: item
                .meta("_yoast_wpseo_canonical")
                .unwrap_or("")
                .trim()
                .to_string(),
            noindex: item.meta("_yoast_wpseo_meta-robots-noindex") == Some("1"),
        };

        if item.post_type == "page" {
            let keys = old_keys(&survey, item, &format!("/?page_id={}", item.post_id));
            let page = NewPage {
                lang,
                path: survey.page_path(item.post_id),
                title: headline,
                body_html: body_html.into_string(),
                status,
                seo_title: seo.title,
                meta_description: seo.description,
                position: item.menu_order,
                published_at,
                updated_at: published_at,
            };
            report.absorb(local);
            for reason in reasons {
                report.warn(file, item.post_id, &item.title, item.at, reason);
            }
            return Ok(What::Page { page, keys });
        }

        if status != Status::Published {
            report.not_public.push(NotPublic {
                wp_id: item.post_id,
                title: headline.clone(),
                status: if item.post_password.is_empty() {
                    item.status.clone()
                } else {
                    "password-protected".into()
                },
            });
        }
        let (slug, stripped_slug) = fields::slug_of(&item.post_name);
        if stripped_slug {
            warn("invisible direction or zero-width characters removed from the slug".into());
        }
        let slug = [slug, slugify(&headline)]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| format!("wp-{}", item.post_id));
        let mut author_slugs = Vec::new();
        for term in item.terms.iter().filter(|t| t.domain == "author") {
            let slug = cap_slug(&term.nicename);
            if !slug.is_empty() && !author_slugs.contains(&slug) {
                author_slugs.push(slug);
            }
        }
        let creator = item.creator.clone();
        let creator_known = survey
            .authors
            .iter()
            .any(|a| slugify(&a.login) == slugify(&creator));
        let mut section_slugs: Vec<String> = item
            .terms
            .iter()
            .filter(|t| t.domain == "category")
            .map(|t| section_slug(&t.nicename))
            .filter(|s| !s.is_empty())
            .collect();
        if let Some(primary) = item
            .meta("_yoast_wpseo_primary_category")
            .and_then(|id| id.trim().parse::<i64>().ok())
            .and_then(|id| survey.category_ids.get(&id))
        {
            let primary = section_slug(primary);
            section_slugs.retain(|s| *s != primary);
            section_slugs.insert(0, primary);
        }
        let tag_names: Vec<String> = item
            .terms
            .iter()
            .filter(|t| t.domain == "post_tag")
            .map(|t| fields::headline_of(&t.name).0)
            .filter(|n| !slugify(n).is_empty())
            .collect();
        for (name, n) in body.unknown_shortcodes {
            *local.unknown_shortcodes.entry(name).or_default() += n;
        }
        for name in body.unknown_blocks {
            *local.unknown_blocks.entry(name).or_default() += 1;
        }
        report.absorb(local);
        for reason in reasons {
            report.warn(file, item.post_id, &item.title, item.at, reason);
        }
        let article = NewArticle {
            slug,
            lang,
            headline,
            standfirst,
            body_html: String::new(),
            author_slugs,
            section_slugs,
            tag_names,
            cover: None,
            status,
            published_at,
            updated_at: published_at,
            seo,
        };
        Ok(What::Post(Box::new(Post {
            article,
            body: body_html,
            creator,
            creator_known,
            thumbnail: item
                .meta("_thumbnail_id")
                .and_then(|m| m.trim().parse::<i64>().ok()),
            keys: old_keys(&survey, item, &format!("/?p={}", item.post_id)),
        })))
    }
}

/// The old URLs of a post or page, as redirect keys: `?p=ID` /
/// `?page_id=ID`, its link and guid when they are on the site, and the
/// links its old slugs had.
fn old_keys(survey: &Survey, item: &Item, id_link: &str) -> Vec<String> {
    let mut keys = vec![id_link.to_string()];
    let site_host = fields::host_of(&survey.site);
    let mut link_path = None;
    for url in [&item.link, &item.guid] {
        if fields::host_of(url).is_some() && fields::host_of(url) == site_host {
            if let Some((path, query)) = fields::path_and_query(url) {
                let key = redirect_key(path, query);
                if key != "/" {
                    keys.push(key);
                }
                if url == &item.link && query.is_none() {
                    link_path = Some(path.to_string());
                }
            }
        }
    }
    if let Some(path) = link_path {
        let trimmed = path.trim_end_matches('/');
        if let Some(slash) = trimmed.rfind('/') {
            for old in item.metas("_wp_old_slug") {
                keys.push(redirect_key(&format!("{}/{old}", &trimmed[..slash]), None));
            }
        }
    }
    keys.sort();
    keys.dedup();
    keys
}
