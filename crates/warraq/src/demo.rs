//! The embedded demo newsroom (`crates/warraq/demo/`), loaded by
//! `warraq serve --demo` into an empty database.
//!
//! Publication dates are written as "days ago", so the demo always looks
//! current: spread over the last eighteen months from the day it is loaded.

use anyhow::Context;
use include_dir::{include_dir, Dir};
use jiff::civil::Time;
use jiff::{tz::TimeZone, Timestamp, ToSpan};
use serde::Deserialize;

use crate::model::{AuthorProfile, Cover, Lang, NewArticle, NewAuthor, NewSection, Status};

static DEMO: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/demo");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Newsroom {
    sections: Vec<SectionFile>,
    authors: Vec<AuthorFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionFile {
    slug: String,
    name_ar: String,
    name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorFile {
    slug: String,
    name_ar: String,
    name_en: String,
    role_ar: String,
    role_en: String,
    bio_ar: String,
    bio_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    slug: String,
    lang: String,
    headline: String,
    standfirst: String,
    authors: Vec<String>,
    sections: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    days_ago: i64,
    time: String,
    updated_days_ago: Option<i64>,
    cover_url: Option<String>,
    cover_alt: Option<String>,
    cover_caption: Option<String>,
}

/// The demo, ready to store.
pub struct Demo {
    pub sections: Vec<NewSection>,
    pub authors: Vec<NewAuthor>,
    pub articles: Vec<NewArticle>,
}

/// Reads the embedded demo, dating it relative to `now` in `tz`.
pub fn demo(now: Timestamp, tz: &TimeZone) -> anyhow::Result<Demo> {
    let newsroom: Newsroom = toml::from_str(
        DEMO.get_file("newsroom.toml")
            .and_then(|f| f.contents_utf8())
            .context("demo/newsroom.toml is missing")?,
    )
    .context("in demo/newsroom.toml")?;

    let sections = newsroom
        .sections
        .into_iter()
        .map(|s| NewSection {
            slug: s.slug,
            names: vec![(Lang::Ar, s.name_ar), (Lang::En, s.name_en)],
            parent: None,
        })
        .collect();
    let authors = newsroom
        .authors
        .into_iter()
        .map(|a| NewAuthor {
            slug: a.slug,
            profiles: vec![
                AuthorProfile {
                    lang: Lang::Ar,
                    name: a.name_ar,
                    role: a.role_ar,
                    bio: a.bio_ar,
                },
                AuthorProfile {
                    lang: Lang::En,
                    name: a.name_en,
                    role: a.role_en,
                    bio: a.bio_en,
                },
            ],
        })
        .collect();

    let dir = DEMO
        .get_dir("articles")
        .context("demo/articles is missing")?;
    let mut files: Vec<_> = dir.files().collect();
    files.sort_by_key(|f| f.path());
    let today = now.to_zoned(tz.clone()).date();
    let mut articles = Vec::with_capacity(files.len());
    for file in files {
        let name = file.path().display().to_string();
        let text = file
            .contents_utf8()
            .with_context(|| format!("demo/{name} is not UTF-8"))?;
        articles.push(article(text, today, tz).with_context(|| format!("in demo/{name}"))?);
    }
    Ok(Demo {
        sections,
        authors,
        articles,
    })
}

fn article(text: &str, today: jiff::civil::Date, tz: &TimeZone) -> anyhow::Result<NewArticle> {
    let rest = text
        .strip_prefix("+++\n")
        .context("does not start with a +++ line")?;
    let (front, body) = rest
        .split_once("\n+++\n")
        .context("front matter has no closing +++ line")?;
    let fm: FrontMatter = toml::from_str(front).context("front matter")?;
    let time: Time = fm
        .time
        .parse()
        .with_context(|| format!("time {:?} is not HH:MM", fm.time))?;
    let at = |days_ago: i64| -> anyhow::Result<Timestamp> {
        Ok(today
            .checked_sub(days_ago.days())?
            .to_datetime(time)
            .to_zoned(tz.clone())?
            .timestamp())
    };
    let published_at = at(fm.days_ago)?;
    let updated_at = match fm.updated_days_ago {
        Some(days) => at(days)?.max(published_at),
        None => published_at,
    };
    Ok(NewArticle {
        slug: fm.slug,
        lang: fm.lang.parse().map_err(anyhow::Error::msg)?,
        headline: fm.headline,
        standfirst: fm.standfirst,
        body_html: body_html(body),
        author_slugs: fm.authors,
        section_slugs: fm.sections,
        tag_names: fm.tags,
        cover: fm.cover_url.map(|url| Cover {
            url,
            alt: fm.cover_alt.unwrap_or_default(),
            caption: fm.cover_caption.unwrap_or_default(),
        }),
        status: Status::Published,
        published_at,
        updated_at,
        seo: Default::default(),
    })
}

/// The demo's plain-text body format → HTML: blank lines separate blocks,
/// `## ` starts a subheading, `> ` a quotation, and a block that starts with
/// `[` or `<` is kept as written — shortcodes and HTML as a WordPress
/// archive holds them (the store sanitises them like any other body).
fn body_html(body: &str) -> String {
    let mut html = String::with_capacity(body.len() + body.len() / 8);
    for block in body.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        if block.starts_with('[') || block.starts_with('<') {
            html.push_str(block);
            html.push('\n');
            continue;
        }
        let (tag, text) = if let Some(h) = block.strip_prefix("## ") {
            ("h2", h.to_string())
        } else if block.starts_with("> ") {
            let lines: Vec<&str> = block
                .lines()
                .map(|l| l.trim_start_matches('>').trim())
                .collect();
            ("blockquote", lines.join(" "))
        } else {
            ("p", block.split_whitespace().collect::<Vec<_>>().join(" "))
        };
        let text = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        if tag == "blockquote" {
            html.push_str(&format!("<blockquote><p>{text}</p></blockquote>\n"));
        } else {
            html.push_str(&format!("<{tag}>{text}</{tag}>\n"));
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_blocks() {
        let html = body_html("فقرة أولى\nتكمل هنا.\n\n## عنوان\n\n> “اقتباس”\n> يكمل\n\nأ < ب & ج\n\n[tptn_list limit=\"5\"]");
        assert_eq!(
            html,
            "<p>فقرة أولى تكمل هنا.</p>\n<h2>عنوان</h2>\n<blockquote><p>“اقتباس” يكمل</p></blockquote>\n<p>أ &lt; ب &amp; ج</p>\n[tptn_list limit=\"5\"]\n"
        );
    }

    #[test]
    fn the_embedded_demo_is_a_whole_newsroom() {
        let tz = TimeZone::get("Asia/Beirut").unwrap();
        let now = Timestamp::now();
        let demo = demo(now, &tz).unwrap();
        let ar = demo.articles.iter().filter(|a| a.lang == Lang::Ar).count();
        let en = demo.articles.iter().filter(|a| a.lang == Lang::En).count();
        assert!(ar >= 30 && en >= 10, "{ar} Arabic, {en} English articles");
        assert!(demo.sections.len() >= 5 && demo.authors.len() >= 6);
        let oldest = now - jiff::SignedDuration::from_hours(24 * 549);
        for a in &demo.articles {
            a.validate().unwrap();
            let words = warraq_text::clean_text(&a.body_html)
                .split_whitespace()
                .count();
            assert!((250..=1200).contains(&words), "{}: {words} words", a.slug);
            assert!(
                a.published_at <= now && a.published_at >= oldest,
                "{}",
                a.slug
            );
            for s in &a.author_slugs {
                assert!(
                    demo.authors.iter().any(|x| &x.slug == s),
                    "{}: author {s}",
                    a.slug
                );
            }
            for s in &a.section_slugs {
                assert!(
                    demo.sections.iter().any(|x| &x.slug == s),
                    "{}: section {s}",
                    a.slug
                );
            }
        }
    }
}
