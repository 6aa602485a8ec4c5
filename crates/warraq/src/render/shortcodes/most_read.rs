//! `[tptn_list]` and `[tptn_views]` from WordPress's Top 10 plugin, with its
//! attributes, meanings and defaults, answered from warraq's own counts.

use warraq_text::shortcode::Shortcode;

use super::BodyContext;
use crate::config::Digits;
use crate::model::Article;
use crate::render::theme::escape_html;
use crate::stats::{MostReadQuery, SectionRef, Window};

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn number(attrs: &[(String, String)], name: &str, default: i64) -> i64 {
    attr(attrs, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn flag(attrs: &[(String, String)], name: &str) -> bool {
    number(attrs, name, 0) != 0
}

fn list_of<T>(attrs: &[(String, String)], name: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    attr(attrs, name)
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .filter_map(parse)
        .collect()
}

/// The most-read question a `[tptn_list]` asks, in the article's language;
/// `None` when it asks for nothing warraq has (`post_types="page"`).
pub fn query(attrs: &[(String, String)], article: &Article) -> Option<MostReadQuery> {
    let types = list_of(attrs, "post_types", |t| Some(t.to_string()));
    if !types.is_empty() && !types.iter().any(|t| t == "post") {
        return None;
    }
    let window = if flag(attrs, "daily") {
        Window::custom(
            number(attrs, "daily_range", 1),
            number(attrs, "hour_range", 0),
        )
    } else {
        Window::All
    };
    let mut q = MostReadQuery::new(window, number(attrs, "limit", 10).clamp(0, 100) as usize);
    q.offset = number(attrs, "offset", 0).clamp(0, 10_000) as usize;
    q.lang = Some(article.lang);
    q.max_age_days = number(attrs, "how_old", 0).clamp(0, 100_000) as u32;
    q.exclude_articles = list_of(attrs, "exclude_post_ids", |v| v.parse().ok());
    q.sections = list_of(attrs, "include_cat_ids", |v| {
        v.parse().ok().map(SectionRef::Id)
    });
    q.exclude_sections = list_of(attrs, "exclude_cat_slugs", |v| {
        Some(SectionRef::Slug(v.to_string()))
    });
    q.exclude_sections
        .extend(list_of(attrs, "exclude_categories", |v| {
            v.parse().ok().map(SectionRef::Id)
        }));
    Some(q)
}

/// Cuts at `max` characters (never inside one) and adds an ellipsis.
fn cut_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text.to_string(),
    }
}

fn cut_words(text: &str, max: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= max {
        text.to_string()
    } else {
        format!("{}…", words[..max].join(" "))
    }
}

pub fn list(sc: &Shortcode, articles: &[(Article, u64)], ctx: &BodyContext<'_>) -> String {
    let a = sc.attrs.as_slice();
    let lang = ctx.article.lang;
    let text = |key: &str| ctx.theme.text(lang, key);
    if articles.is_empty() {
        return match attr(a, "blank_output") {
            Some("custom_text") => {
                let message = attr(a, "blank_output_text")
                    .map(str::to_string)
                    .unwrap_or_else(|| text("no_popular"));
                format!(
                    "<div class=\"tptn_posts\"><p>{}</p></div>",
                    escape_html(&message)
                )
            }
            _ => String::new(),
        };
    }
    let mut html = String::from("<div class=\"tptn_posts\">");
    if number(a, "heading", 1) != 0 {
        let title = if flag(a, "daily") {
            attr(a, "title_daily")
                .map(str::to_string)
                .unwrap_or_else(|| text("trending"))
        } else {
            attr(a, "title")
                .map(str::to_string)
                .unwrap_or_else(|| text("most_read"))
        };
        html.push_str(&format!("<h3>{}</h3>", escape_html(&title)));
    }
    let before_item = attr(a, "before_list_item").unwrap_or("<li>");
    let after_item = attr(a, "after_list_item").unwrap_or("</li>");
    html.push_str(attr(a, "before_list").unwrap_or("<ul>"));
    let title_length = number(a, "title_length", 60).clamp(1, 1000) as usize;
    let excerpt_length = number(a, "excerpt_length", 10).clamp(1, 500) as usize;
    let mut rel = Vec::new();
    let mut target = "";
    if flag(a, "link_new_window") {
        target = " target=\"_blank\"";
        rel.push("noopener");
    }
    if flag(a, "link_nofollow") {
        rel.push("nofollow");
    }
    let rel = if rel.is_empty() {
        String::new()
    } else {
        format!(" rel=\"{}\"", rel.join(" "))
    };
    let thumbs = attr(a, "post_thumb_op").unwrap_or("text_only");
    let (tw, th) = (
        number(a, "thumb_width", 250).clamp(1, 2000),
        number(a, "thumb_height", 250).clamp(1, 2000),
    );
    for (article, views) in articles {
        let view = ctx.views.article(article);
        let thumb = match (&article.cover, thumbs) {
            (Some(cover), "before" | "after" | "inline" | "thumbs_only") => format!(
                "<img class=\"tptn_thumb\" src=\"{}\" alt=\"{}\" width=\"{tw}\" height=\"{th}\">",
                escape_html(&cover.url),
                escape_html(&cover.alt)
            ),
            _ => String::new(),
        };
        let title = if thumbs == "thumbs_only" {
            String::new()
        } else {
            escape_html(&cut_chars(&article.headline, title_length)).into_owned()
        };
        let link = format!(
            "<a href=\"{}\"{target}{rel} class=\"tptn_link\">",
            escape_html(&view.url)
        );
        html.push_str(before_item);
        match thumbs {
            "after" => html.push_str(&format!(
                "{link}<span class=\"tptn_title\">{title}</span>{thumb}</a>"
            )),
            _ => html.push_str(&format!(
                "{link}{thumb}<span class=\"tptn_title\">{title}</span></a>"
            )),
        }
        if flag(a, "show_author") {
            let names: Vec<&str> = article.authors.iter().map(|au| au.name.as_str()).collect();
            html.push_str(&format!(
                " <span class=\"tptn_author\">{} {}</span>",
                escape_html(&text("by")),
                escape_html(&names.join(&text("list_separator")))
            ));
        }
        if flag(a, "show_date") {
            html.push_str(&format!(
                " <span class=\"tptn_date\"><time datetime=\"{}\">{}</time></span>",
                view.published_iso, view.date
            ));
        }
        if flag(a, "show_excerpt") {
            html.push_str(&format!(
                " <span class=\"tptn_excerpt\">{}</span>",
                escape_html(&cut_words(&article.standfirst, excerpt_length))
            ));
        }
        if flag(a, "disp_list_count") {
            html.push_str(&format!(
                " <span class=\"tptn_list_count\">({})</span>",
                format_number(*views, lang, ctx.digits)
            ));
        }
        html.push_str(after_item);
    }
    html.push_str(attr(a, "after_list").unwrap_or("</ul>"));
    html.push_str("</div>");
    html
}

/// The article a `[tptn_views]` counts: `post_id`, else the one it is in.
pub fn views_of(sc: &Shortcode, article: &Article) -> i64 {
    attr(&sc.attrs, "post_id")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(article.id)
}

/// `[tptn_views daily="0" count="total|daily|overall" format_number="1" post_id=""]`.
pub fn views(sc: &Shortcode, ctx: &BodyContext<'_>) -> String {
    let a = sc.attrs.as_slice();
    let (day, total) = ctx
        .data
        .counts
        .get(&views_of(sc, ctx.article))
        .copied()
        .unwrap_or_default();
    let daily = flag(a, "daily") || attr(a, "count") == Some("daily");
    let n = if daily { day } else { total };
    if number(a, "format_number", 1) == 0 {
        n.to_string()
    } else {
        format_number(n, ctx.article.lang, ctx.digits)
    }
}

/// A count written for the page: thousands grouped (`12,345`; in Arabic with
/// the Arabic thousands separator when Arabic-Indic digits are chosen).
pub fn format_number(n: u64, lang: crate::model::Lang, digits: Digits) -> String {
    let arabic = digits == Digits::ArabicIndic && lang == crate::model::Lang::Ar;
    let separator = if arabic { '٬' } else { ',' };
    warraq_text::digits::grouped(n, Some(separator), arabic)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    #[test]
    fn numbers_for_the_page() {
        assert_eq!(format_number(0, Lang::Ar, Digits::Western), "0");
        assert_eq!(
            format_number(1234567, Lang::En, Digits::Western),
            "1,234,567"
        );
        assert_eq!(
            format_number(12345, Lang::Ar, Digits::ArabicIndic),
            "١٢٬٣٤٥"
        );
    }

    #[test]
    fn cuts_on_characters() {
        assert_eq!(cut_chars("“الماء أولاً”: سكان", 5), "“الما…");
        assert_eq!(cut_chars("قصير", 60), "قصير");
        assert_eq!(cut_words("واحد اثنان ثلاثة أربعة", 2), "واحد اثنان…");
    }

    fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn top10_attributes_become_a_query() {
        let article = Article {
            id: 1,
            slug: "x".into(),
            lang: Lang::Ar,
            headline: "عنوان".into(),
            standfirst: "ملخص".into(),
            body_html: String::new(),
            authors: vec![],
            sections: vec![],
            tags: vec![],
            cover: None,
            status: crate::model::Status::Published,
            published_at: jiff::Timestamp::now(),
            updated_at: jiff::Timestamp::now(),
            read_also: true,
            seo: Default::default(),
            translation_id: None,
        };
        let q = query(
            &attrs(&[
                ("limit", "5"),
                ("offset", "1"),
                ("daily", "1"),
                ("daily_range", "2"),
                ("hour_range", "3"),
                ("how_old", "30"),
                ("exclude_post_ids", "4, 5"),
                ("include_cat_ids", "7"),
                ("exclude_cat_slugs", "opinion"),
                ("exclude_categories", "9"),
            ]),
            &article,
        )
        .unwrap();
        assert_eq!(q.window, Window::Hours(51));
        assert_eq!((q.limit, q.offset, q.max_age_days), (5, 1, 30));
        assert_eq!(q.exclude_articles, vec![4, 5]);
        assert_eq!(q.sections, vec![SectionRef::Id(7)]);
        assert_eq!(
            q.exclude_sections,
            vec![SectionRef::Slug("opinion".into()), SectionRef::Id(9)]
        );
        assert_eq!(q.lang, Some(article.lang));
        let defaults = query(&[], &article).unwrap();
        assert_eq!(
            (defaults.window, defaults.limit, defaults.offset),
            (Window::All, 10, 0)
        );
        assert!(query(&attrs(&[("post_types", "page")]), &article).is_none());
        assert!(query(&attrs(&[("post_types", "post,page")]), &article).is_some());
    }
}
