//! The synthetic corpus as a WordPress export, for the import benchmark:
//! the articles of [`Generator`] written as WXR 1.2 items the way a
//! WordPress news site holds them — classic bodies without `<p>` and with
//! `[caption]` shortcodes, block-editor bodies, percent-encoded Arabic
//! slugs, categories, tags, Co-Authors Plus bylines, Yoast fields and one
//! attachment per five posts as featured image.

use std::io::{self, Write};

use jiff::Timestamp;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::Generator;
use crate::model::Lang;

const SITE: &str = "https://bench.example";
const AUTHORS: &[(&str, &str)] = &[
    ("rania", "رانيا الخطيب"),
    ("omar", "عمر حداد"),
    ("lina", "لينا منصور"),
    ("yusuf", "يوسف العلي"),
];
const SECTIONS: &[(&str, &str)] = &[
    ("politics", "سياسة"),
    ("economy", "اقتصاد"),
    ("society", "مجتمع"),
    ("culture", "ثقافة"),
    ("environment", "بيئة"),
];

/// Writes `n` posts (and their attachments) to `out`.
pub fn write_wxr(out: &mut impl Write, lang: Lang, n: usize, seed: u64) -> io::Result<()> {
    writeln!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>صحيفة المقياس</title>
<link>{SITE}</link>
<description>موقع تجريبي لقياس الاستيراد</description>
<language>{}</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{SITE}</wp:base_site_url>
<wp:base_blog_url>{SITE}</wp:base_blog_url>"#,
        lang.code()
    )?;
    for (i, (login, name)) in AUTHORS.iter().enumerate() {
        writeln!(
            out,
            "<wp:author><wp:author_id>{}</wp:author_id><wp:author_login><![CDATA[{login}]]></wp:author_login>\
             <wp:author_email><![CDATA[{login}@bench.example]]></wp:author_email>\
             <wp:author_display_name><![CDATA[{name}]]></wp:author_display_name></wp:author>",
            i + 1
        )?;
    }
    for (i, (slug, name)) in SECTIONS.iter().enumerate() {
        writeln!(
            out,
            "<wp:category><wp:term_id>{}</wp:term_id><wp:category_nicename><![CDATA[{slug}]]></wp:category_nicename>\
             <wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[{name}]]></wp:cat_name></wp:category>",
            i + 1
        )?;
    }
    let authors = AUTHORS.iter().map(|(l, _)| l.to_string()).collect();
    let sections = SECTIONS.iter().map(|(s, _)| s.to_string()).collect();
    let now = Timestamp::now();
    let articles = Generator::new(lang, seed, authors, sections, now).take(n);
    for (i, a) in articles.enumerate() {
        let id = 10 * (i as u64 + 1);
        let date = a.published_at.to_zoned(jiff::tz::TimeZone::UTC);
        let gmt = date.strftime("%Y-%m-%d %H:%M:%S");
        let path = date.strftime("%Y/%m/%d");
        let slug = format!("{}-{id}", a.slug);
        let encoded = utf8_percent_encode(&slug, NON_ALPHANUMERIC)
            .to_string()
            .replace("%2D", "-")
            .to_lowercase();
        let cover = i % 5 == 0;
        let image = format!("{SITE}/wp-content/uploads/2024/01/photo-{id}.jpg");
        let body = if i % 2 == 0 {
            classic_body(&a.body_html, cover.then_some((id + 1, &image)))
        } else {
            block_body(&a.body_html, cover.then_some((id + 1, &image)))
        };
        let mut terms = String::new();
        for s in &a.section_slugs {
            terms.push_str(&format!(
                "<category domain=\"category\" nicename=\"{s}\"><![CDATA[{s}]]></category>"
            ));
        }
        for t in &a.tag_names {
            terms.push_str(&format!(
                "<category domain=\"post_tag\" nicename=\"{}\"><![CDATA[{t}]]></category>",
                utf8_percent_encode(t, NON_ALPHANUMERIC)
            ));
        }
        for author in &a.author_slugs {
            terms.push_str(&format!(
                "<category domain=\"author\" nicename=\"cap-{author}\"><![CDATA[{author}]]></category>"
            ));
        }
        let mut meta = format!(
            "<wp:postmeta><wp:meta_key><![CDATA[_yoast_wpseo_metadesc]]></wp:meta_key>\
             <wp:meta_value><![CDATA[{}]]></wp:meta_value></wp:postmeta>",
            a.standfirst
        );
        if cover {
            meta.push_str(&format!(
                "<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>\
                 <wp:meta_value><![CDATA[{}]]></wp:meta_value></wp:postmeta>",
                id + 1
            ));
        }
        writeln!(
            out,
            "<item><title><![CDATA[{title}]]></title><link>{SITE}/{path}/{encoded}/</link>\
             <pubDate>{pub_date}</pubDate><dc:creator><![CDATA[{creator}]]></dc:creator>\
             <guid isPermaLink=\"false\">{SITE}/?p={id}</guid><description></description>\
             <content:encoded><![CDATA[{body}]]></content:encoded>\
             <excerpt:encoded><![CDATA[]]></excerpt:encoded>\
             <wp:post_id>{id}</wp:post_id><wp:post_date><![CDATA[{gmt}]]></wp:post_date>\
             <wp:post_date_gmt><![CDATA[{gmt}]]></wp:post_date_gmt>\
             <wp:post_name><![CDATA[{encoded}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status>\
             <wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>\
             <wp:post_type><![CDATA[post]]></wp:post_type><wp:post_password><![CDATA[]]></wp:post_password>\
             {terms}{meta}</item>",
            title = a.headline,
            pub_date = date.strftime("%a, %d %b %Y %H:%M:%S +0000"),
            creator = a.author_slugs[0],
        )?;
        if cover {
            writeln!(
                out,
                "<item><title><![CDATA[صورة {id}]]></title><link>{SITE}/?attachment_id={aid}</link>\
                 <pubDate>{pub_date}</pubDate><dc:creator><![CDATA[rania]]></dc:creator>\
                 <guid isPermaLink=\"false\">{image}</guid><description></description>\
                 <content:encoded><![CDATA[]]></content:encoded>\
                 <excerpt:encoded><![CDATA[تعليق الصورة {id}]]></excerpt:encoded>\
                 <wp:post_id>{aid}</wp:post_id><wp:post_date><![CDATA[{gmt}]]></wp:post_date>\
                 <wp:post_date_gmt><![CDATA[{gmt}]]></wp:post_date_gmt>\
                 <wp:post_name><![CDATA[photo-{id}]]></wp:post_name><wp:status><![CDATA[inherit]]></wp:status>\
                 <wp:post_parent>{id}</wp:post_parent><wp:post_type><![CDATA[attachment]]></wp:post_type>\
                 <wp:attachment_url><![CDATA[{image}]]></wp:attachment_url>\
                 <wp:postmeta><wp:meta_key><![CDATA[_wp_attached_file]]></wp:meta_key>\
                 <wp:meta_value><![CDATA[2024/01/photo-{id}.jpg]]></wp:meta_value></wp:postmeta>\
                 <wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key>\
                 <wp:meta_value><![CDATA[صورة من الميدان]]></wp:meta_value></wp:postmeta></item>",
                aid = id + 1,
                pub_date = date.strftime("%a, %d %b %Y %H:%M:%S +0000"),
            )?;
        }
    }
    writeln!(out, "</channel>\n</rss>")
}

/// The generator's `<p>` paragraphs as a classic WordPress body: blank
/// lines between paragraphs, a `[caption]` image after the first.
fn classic_body(html: &str, image: Option<(u64, &str)>) -> String {
    let paragraphs: Vec<&str> = paragraphs(html).collect();
    let mut out = String::with_capacity(html.len() + 200);
    for (i, p) in paragraphs.iter().enumerate() {
        out.push_str(p);
        out.push_str("\n\n");
        if let (0, Some((id, url))) = (i, image) {
            out.push_str(&format!(
                "[caption id=\"attachment_{id}\" align=\"alignnone\" width=\"800\"]<img class=\"size-full wp-image-{id}\" src=\"{url}\" alt=\"\" width=\"800\" height=\"533\" /> تعليق الصورة[/caption]\n\n"
            ));
        }
    }
    out
}

/// The same paragraphs as block-editor markup, with an image block.
fn block_body(html: &str, image: Option<(u64, &str)>) -> String {
    let mut out = String::with_capacity(html.len() * 2);
    for (i, p) in paragraphs(html).enumerate() {
        out.push_str(&format!(
            "<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->\n\n"
        ));
        if let (0, Some((id, url))) = (i, image) {
            out.push_str(&format!(
                "<!-- wp:image {{\"id\":{id},\"sizeSlug\":\"large\"}} -->\n<figure class=\"wp-block-image size-large\"><img src=\"{url}\" alt=\"\" class=\"wp-image-{id}\"/><figcaption>تعليق الصورة</figcaption></figure>\n<!-- /wp:image -->\n\n"
            ));
        }
    }
    out
}

/// The text of each `<p>…</p>` of the generator's bodies (other blocks —
/// subheadings, quotes — are kept as they are).
fn paragraphs(html: &str) -> impl Iterator<Item = &str> {
    html.split("\n")
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.strip_prefix("<p>")
                .and_then(|l| l.strip_suffix("</p>"))
                .unwrap_or(l)
        })
}
