//! WordPress fields → warraq's: dates, slugs, titles, statuses, Yoast's SEO
//! fields. Pure functions, each with the WordPress convention it follows.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use percent_encoding::percent_decode_str;

use crate::model::{slugify, Status};

/// What becomes of an item by its `wp:status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    Keep(Status),
    /// Trash and WordPress's internal states: counted, not imported.
    Skip,
}

/// publish → published; future → published at its (future) date, i.e.
/// scheduled; draft and auto-draft → draft; pending → review; private and
/// password-protected → private; trash → skipped.
pub fn fate(status: &str, password: &str) -> Fate {
    let kept = match status {
        "publish" | "future" => Status::Published,
        "draft" | "auto-draft" => Status::Draft,
        "pending" => Status::Review,
        "private" => Status::Private,
        "inherit" => Status::Published,
        _ => return Fate::Skip,
    };
    if !password.is_empty() && kept == Status::Published {
        return Fate::Keep(Status::Private);
    }
    Fate::Keep(kept)
}

/// WordPress's "zero" date, written for drafts that were never dated.
const ZERO_DATE: &str = "0000-00-00 00:00:00";

/// The item's time: `wp:post_date_gmt`, else `wp:post_date` in the site's
/// time zone, else the RSS `pubDate`. `None` when none of them reads.
pub fn item_time(gmt: &str, local: &str, pub_date: &str, tz: &TimeZone) -> Option<Timestamp> {
    let civil = |s: &str| -> Option<DateTime> {
        if s.is_empty() || s == ZERO_DATE {
            return None;
        }
        DateTime::strptime("%Y-%m-%d %H:%M:%S", s).ok()
    };
    if let Some(t) = civil(gmt).and_then(|d| d.to_zoned(TimeZone::UTC).ok()) {
        return Some(t.timestamp());
    }
    if let Some(t) = civil(local).and_then(|d| d.to_zoned(tz.clone()).ok()) {
        return Some(t.timestamp());
    }
    let rfc2822 = jiff::fmt::rfc2822::DateTimeParser::new();
    rfc2822
        .parse_timestamp(pub_date.trim())
        .ok()
        // WordPress writes "Mon, 30 Nov -0001" for undated drafts.
        .filter(|t| t.as_second() > 0)
}

/// Bidirectional embeddings, overrides and isolates, marks and zero-width
/// characters: invisible, and able to make a URL or headline read as
/// something else.
pub fn is_invisible_control(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2060}' | '\u{FEFF}' | '\u{061C}'
    )
}

/// `text` without [`is_invisible_control`] characters, and whether any
/// were there.
pub fn strip_invisible(text: &str) -> (String, bool) {
    let clean: String = text.chars().filter(|c| !is_invisible_control(*c)).collect();
    let changed = clean.len() != text.len();
    (clean, changed)
}

/// A slug from `wp:post_name`: percent-decoded (WordPress stores Arabic and
/// Greek slugs encoded), invisible controls removed, then made a warraq
/// slug. Empty when nothing usable is left.
pub fn slug_of(post_name: &str) -> (String, bool) {
    let decoded = percent_decode_str(post_name).decode_utf8_lossy();
    let (visible, stripped) = strip_invisible(&decoded);
    (slugify(&visible), stripped)
}

/// A headline from a title that may hold entities and inline markup.
pub fn headline_of(title: &str) -> (String, bool) {
    let (visible, stripped) = strip_invisible(title);
    let text = warraq_text::clean_text(&visible);
    (
        text.split_whitespace().collect::<Vec<_>>().join(" "),
        stripped,
    )
}

/// The first sentence of clean text, at most about 300 characters.
pub fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?' | '؟' | '۔' | '\n')
                && text[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
        })
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(text.len());
    let sentence = text[..end].trim();
    if sentence.chars().count() <= 300 {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(300).collect();
    match cut.rfind(' ') {
        Some(space) => format!("{}…", &cut[..space]),
        None => format!("{cut}…"),
    }
}

/// Yoast's title template with the variables a news site uses expanded;
/// unknown `%%var%%` are dropped, as Yoast does when it has no value.
pub fn yoast_title(template: &str, title: &str, site: &str, excerpt: &str) -> String {
    let mut out = String::with_capacity(template.len() + title.len());
    let mut rest = template;
    while let Some(start) = rest.find("%%") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("%%") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        match &after[..end] {
            "title" => out.push_str(title),
            "sitename" => out.push_str(site),
            "sep" => out.push('-'),
            "excerpt" | "excerpt_only" => out.push_str(excerpt),
            _ => {}
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The path of a URL (`https://site/a/b/?x` → `/a/b/`), with the query.
pub fn path_and_query(url: &str) -> Option<(&str, Option<&str>)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("//"))?;
    let path = &rest[rest.find('/').unwrap_or(rest.len())..];
    let path = path.split('#').next().unwrap_or("");
    Some(match path.split_once('?') {
        Some((p, q)) => (if p.is_empty() { "/" } else { p }, Some(q)),
        None => (if path.is_empty() { "/" } else { path }, None),
    })
}

/// The host of a URL, lower-cased, without `www.`.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("//"))?;
    let host = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_fall_back_in_order() {
        let tz = TimeZone::get("Asia/Beirut").unwrap();
        let gmt = item_time("2024-03-05 09:30:00", "x", "", &tz).unwrap();
        assert_eq!(gmt.to_string(), "2024-03-05T09:30:00Z");
        let local = item_time(ZERO_DATE, "2024-03-05 11:30:00", "", &tz).unwrap();
        assert_eq!(local, gmt, "Beirut is UTC+2 in March");
        let rss = item_time("", "", "Tue, 05 Mar 2024 09:30:00 +0000", &tz).unwrap();
        assert_eq!(rss, gmt);
        assert_eq!(item_time("yesterday", "soon", "never", &tz), None);
        assert_eq!(
            item_time(
                ZERO_DATE,
                ZERO_DATE,
                "Mon, 30 Nov -0001 00:00:00 +0000",
                &tz
            ),
            None
        );
    }

    #[test]
    fn slugs_are_decoded_and_cleaned() {
        assert_eq!(
            slug_of("%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1-%d8%b9%d8%a7%d8%ac%d9%84%d8%a9").0,
            "أخبار-عاجلة"
        );
        assert_eq!(
            slug_of("%ce%b5%ce%bb%ce%bb%ce%b7%ce%bd%ce%b9%ce%ba%ce%ac").0,
            "ελληνικά"
        );
        let (slug, stripped) = slug_of("gaza\u{202E}txt.exe\u{200B}");
        assert_eq!(slug, "gazatxt-exe");
        assert!(stripped);
    }

    #[test]
    fn statuses() {
        assert_eq!(fate("publish", ""), Fate::Keep(Status::Published));
        assert_eq!(fate("publish", "secret"), Fate::Keep(Status::Private));
        assert_eq!(fate("pending", ""), Fate::Keep(Status::Review));
        assert_eq!(fate("trash", ""), Fate::Skip);
    }

    #[test]
    fn yoast_titles() {
        assert_eq!(
            yoast_title(
                "%%title%% %%sep%% %%sitename%% %%page%%",
                "خبر",
                "أخبار",
                ""
            ),
            "خبر - أخبار"
        );
    }

    #[test]
    fn first_sentences() {
        assert_eq!(
            first_sentence("قال الوزير إن الخطة جاهزة. وأضاف أن التنفيذ يبدأ غداً."),
            "قال الوزير إن الخطة جاهزة."
        );
        assert_eq!(first_sentence("v1.2 is out. Next"), "v1.2 is out.");
    }

    #[test]
    fn urls() {
        assert_eq!(
            path_and_query("https://akhbar.example/2024/03/x/?a=1"),
            Some(("/2024/03/x/", Some("a=1")))
        );
        assert_eq!(path_and_query("https://akhbar.example"), Some(("/", None)));
        assert_eq!(
            host_of("https://WWW.Akhbar.example/x").as_deref(),
            Some("akhbar.example")
        );
    }
}
