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

/// One cover of `demo/covers.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CoverFile {
    section: String,
    style: Style,
    colours: [[u8; 3]; 3],
    alt_ar: String,
    alt_en: String,
    caption_ar: String,
    caption_en: String,
}

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Style {
    Rings,
    Stripes,
    Blocks,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Covers {
    covers: Vec<CoverFile>,
}

/// The size the demo's covers are drawn at: big enough for every copy
/// but the widest, small enough to load in a moment.
const COVER_SIZE: (u32, u32) = (1600, 900);

/// A cover drawn and processed: its files (relative to the media
/// directory) and its record, as every load of the demo writes them.
struct DrawnCover {
    cover: CoverFile,
    files: crate::media::Files,
    record: crate::store::NewMedia,
}

/// The demo's covers, drawn and processed once per process (tests load
/// the demo many times) with `config`'s widths.
fn drawn_covers(config: &crate::config::MediaConfig) -> anyhow::Result<&'static [DrawnCover]> {
    static DRAWN: std::sync::OnceLock<Vec<DrawnCover>> = std::sync::OnceLock::new();
    // One drawing at a time: loads that start together (parallel tests)
    // wait for the first instead of all drawing at once and starving the
    // machine.
    static DRAWING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _drawing = DRAWING.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(done) = DRAWN.get() {
        return Ok(done);
    }
    let covers: Covers = toml::from_str(
        DEMO.get_file("covers.toml")
            .and_then(|f| f.contents_utf8())
            .context("demo/covers.toml is missing")?,
    )
    .context("in demo/covers.toml")?;
    let limits = crate::media::Limits::of(config);
    let prepare = |(i, cover): (usize, CoverFile)| -> anyhow::Result<DrawnCover> {
        let (w, h) = COVER_SIZE;
        let art = ::image::DynamicImage::ImageRgb8(draw(cover.style, cover.colours, w, h));
        let mut jpeg = Vec::new();
        art.write_with_encoder(::image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut jpeg, 90,
        ))?;
        // Through the same checks and conversions as any upload.
        let done = crate::media::process(&jpeg, &limits, &config.widths)?;
        let (width, height, format) = (
            done.original.width,
            done.original.height,
            done.original.format,
        );
        let name = format!("{}-{}.jpg", cover.section, i + 1);
        let files = crate::media::name_files(done, &name, "demo");
        let mut record =
            crate::media::record(width, height, format, &files, &name[..name.len() - 4]);
        record.alt = cover.alt_ar.clone();
        record.caption = cover.caption_ar.clone();
        Ok(DrawnCover {
            cover,
            files,
            record,
        })
    };
    // Two at a time: drawing and encoding is most of a demo's load.
    let mut all: Vec<(usize, CoverFile)> = covers.covers.into_iter().enumerate().collect();
    let second = all.split_off(all.len() / 2);
    let (a, b) = std::thread::scope(|scope| {
        let other = scope.spawn(|| {
            second
                .into_iter()
                .map(prepare)
                .collect::<anyhow::Result<Vec<_>>>()
        });
        let mine = all
            .into_iter()
            .map(prepare)
            .collect::<anyhow::Result<Vec<_>>>();
        (mine, other.join().expect("drawing a demo cover panicked"))
    });
    let mut drawn = a?;
    drawn.extend(b?);
    Ok(DRAWN.get_or_init(|| drawn))
}

/// An abstract picture `w`×`h`: a diagonal gradient from the first colour
/// to the second, and a pattern (`style`) in the third.
fn draw(style: Style, [from, to, ink]: [[u8; 3]; 3], w: u32, h: u32) -> ::image::RgbImage {
    let mix = |a: [u8; 3], b: [u8; 3], t: f32| -> ::image::Rgb<u8> {
        let t = t.clamp(0.0, 1.0);
        ::image::Rgb(std::array::from_fn(|i| {
            (f32::from(a[i]) + (f32::from(b[i]) - f32::from(a[i])) * t).round() as u8
        }))
    };
    let (fw, fh) = (w as f32, h as f32);
    let cell = fh / 6.0;
    ::image::RgbImage::from_fn(w, h, |x, y| {
        let (x, y) = (x as f32, y as f32);
        let ground = mix(from, to, (x / fw + y / fh) / 2.0);
        let on = match style {
            Style::Rings => {
                let d = ((x - 0.68 * fw).powi(2) + (y - 0.45 * fh).powi(2)).sqrt();
                d < 0.48 * fh && (d / (fh / 16.0)) as u32 % 2 == 0
            }
            Style::Stripes => {
                let d = ((x - 0.32 * fw).powi(2) + (y - 0.5 * fh).powi(2)).sqrt();
                d < 0.38 * fh && ((x + y) / (fh / 14.0)) as u32 % 2 == 0
            }
            Style::Blocks => {
                let (cx, cy) = ((x / cell) as u32, (y / cell) as u32);
                let inside = x % cell > cell * 0.12 && y % cell > cell * 0.12;
                if inside {
                    if (cx, cy) == (7, 2) {
                        return ::image::Rgb(ink);
                    }
                    // A fixed shade per square, from its position.
                    let shade = ((cx * 7 + cy * 13) % 10) as f32 / 10.0;
                    return mix(from, to, shade);
                }
                false
            }
        };
        if on {
            ::image::Rgb(ink)
        } else {
            ground
        }
    })
}

/// Gives most demo articles a cover of their main section, drawn for the
/// project: the pictures are written under `media_dir` and recorded in
/// the media library, like uploads.
pub async fn add_covers(
    store: &crate::store::Store,
    media_dir: &std::path::Path,
    config: &crate::config::MediaConfig,
    articles: &mut [NewArticle],
) -> anyhow::Result<()> {
    let config = config.clone();
    let drawn = tokio::task::spawn_blocking(move || drawn_covers(&config)).await??;
    for d in drawn {
        crate::media::write_files(media_dir, &d.files.files)
            .with_context(|| format!("writing the demo's covers under {}", media_dir.display()))?;
        store.insert_media(&d.record).await?;
    }
    for (i, a) in articles.iter_mut().enumerate() {
        if a.cover.is_some() || i % 3 == 2 {
            continue;
        }
        let Some(section) = a.section_slugs.first() else {
            continue;
        };
        let mut choices = drawn.iter().filter(|d| &d.cover.section == section);
        let Some(d) = choices
            .nth(i % 2)
            .or_else(|| drawn.iter().find(|d| &d.cover.section == section))
        else {
            continue;
        };
        let (alt, caption) = match a.lang {
            Lang::Ar => (&d.cover.alt_ar, &d.cover.caption_ar),
            Lang::En => (&d.cover.alt_en, &d.cover.caption_en),
        };
        a.cover = Some(Cover {
            url: d.record.url.clone(),
            alt: alt.clone(),
            caption: caption.clone(),
            width: Some(d.record.width),
            height: Some(d.record.height),
            sizes: d.record.sizes.clone(),
        });
    }
    Ok(())
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
            ..Cover::default()
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
