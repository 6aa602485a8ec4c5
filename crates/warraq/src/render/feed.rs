//! RSS 2.0 feeds for aggregators and readers: the newest articles of an
//! edition, a section or an author, with full rendered bodies.

use std::fmt::Write;

use super::theme::escape_html;
use super::Views;
use crate::model::Article;

/// The channel a feed describes.
pub struct Channel<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// Absolute URL of the page the feed follows.
    pub link: &'a str,
    /// Absolute URL of the feed itself.
    pub feed_url: &'a str,
    pub lang: &'a str,
}

/// `items` are articles with their rendered bodies, newest first.
pub fn rss(channel: &Channel<'_>, items: &[(Article, String)], views: &Views) -> String {
    let rfc2822 = |t: jiff::Timestamp| views.dates.rfc2822(t);
    let mut out =
        String::with_capacity(4096 + items.iter().map(|(_, b)| b.len() * 6 / 5).sum::<usize>());
    out.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    out.push_str("\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    let _ = writeln!(out, "<title>{}</title>", escape_html(channel.title));
    let _ = writeln!(out, "<link>{}</link>", escape_html(channel.link));
    let _ = writeln!(
        out,
        "<description>{}</description>",
        escape_html(channel.description)
    );
    let _ = writeln!(out, "<language>{}</language>", channel.lang);
    let _ = writeln!(
        out,
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        escape_html(channel.feed_url)
    );
    if let Some((newest, _)) = items.first() {
        let _ = writeln!(
            out,
            "<lastBuildDate>{}</lastBuildDate>",
            rfc2822(newest.updated_at.max(newest.published_at))
        );
    }
    for (a, body) in items {
        let url = views.urls.absolute(&views.urls.article(a));
        out.push_str("<item>\n");
        let _ = writeln!(out, "<title>{}</title>", escape_html(&a.headline));
        let _ = writeln!(out, "<link>{}</link>", escape_html(&url));
        let _ = writeln!(
            out,
            "<guid isPermaLink=\"true\">{}</guid>",
            escape_html(&url)
        );
        let _ = writeln!(out, "<pubDate>{}</pubDate>", rfc2822(a.published_at));
        for author in &a.authors {
            let _ = writeln!(
                out,
                "<dc:creator>{}</dc:creator>",
                escape_html(&author.name)
            );
        }
        for section in &a.sections {
            let _ = writeln!(out, "<category>{}</category>", escape_html(&section.name));
        }
        // Readers take a description as HTML once the XML is read: the
        // standfirst is text, so it is escaped as HTML and then as XML.
        let _ = writeln!(
            out,
            "<description>{}</description>",
            escape_html(&escape_html(&a.standfirst))
        );
        // The body as readers get it, escaped rather than in CDATA, so no
        // body can end the section early.
        let _ = writeln!(
            out,
            "<content:encoded>{}</content:encoded>",
            escape_html(body)
        );
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}
