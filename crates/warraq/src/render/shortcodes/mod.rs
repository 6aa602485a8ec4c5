//! Rendering a stored body for readers: its WordPress shortcodes expanded by
//! the renderers here, unknown ones unwrapped (never shown as brackets), and
//! the result passed through the rendered-body sanitiser.
//!
//! Rendering does no I/O. Most-read lists and view counts that a body's
//! shortcodes show are asked for first ([`body_needs`]), gathered by the
//! caller, and handed in as [`BodyData`].

mod media;
mod most_read;

use std::collections::HashMap;

use warraq_text::shortcode::{self, Node, Shortcode};
use warraq_text::{is_known_shortcode, sanitize_rendered};

use super::{Theme, Views};
use crate::model::Article;
use crate::stats::MostReadQuery;

/// What renderers may look at: the article, its site, and the data its
/// shortcodes asked for.
pub struct BodyContext<'a> {
    pub article: &'a Article,
    /// The stored body, with the "read also" block already in place.
    pub body: &'a str,
    /// Related articles, most related first: what `[crp]` lists.
    pub related: &'a [Article],
    pub views: &'a Views,
    pub theme: &'a Theme,
    pub digits: crate::config::Digits,
    pub data: &'a BodyData,
}

/// The attributes of a `[tptn_list]`: the key of the list it shows.
pub type ListKey = Vec<(String, String)>;

/// What a body's shortcodes need from view counting.
#[derive(Default)]
pub struct BodyNeeds {
    /// Most-read lists by the asking shortcode's attributes (`None`: the
    /// shortcode asks for nothing warraq has).
    pub lists: Vec<(ListKey, Option<MostReadQuery>)>,
    /// Articles whose view counts `[tptn_views]` prints.
    pub counts: Vec<i64>,
}

/// What was gathered for a body's [`BodyNeeds`].
#[derive(Default)]
pub struct BodyData {
    pub lists: HashMap<ListKey, Vec<(Article, u64)>>,
    /// Views by article: (last 24 hours, all time).
    pub counts: HashMap<i64, (u64, u64)>,
}

/// The most-read lists and counts `body` shows, for `article`.
pub fn body_needs(body: &str, article: &Article) -> BodyNeeds {
    let nodes = shortcode::parse_with_unknown(body, &is_known_shortcode);
    let mut needs = BodyNeeds::default();
    each_shortcode(&nodes, &mut |sc| match sc.name.as_str() {
        "tptn_list" if !needs.lists.iter().any(|(k, _)| *k == sc.attrs) => needs
            .lists
            .push((sc.attrs.clone(), most_read::query(&sc.attrs, article))),
        "tptn_views" => needs.counts.push(most_read::views_of(sc, article)),
        _ => {}
    });
    needs
}

/// The body of `ctx.article` as readers get it.
pub fn render_body(ctx: &BodyContext<'_>) -> String {
    let nodes = shortcode::parse_with_unknown(ctx.body, &is_known_shortcode);
    let html = shortcode::expand(&nodes, &mut |sc, content| render(sc, content, ctx));
    sanitize_rendered(&html)
}

fn render(sc: &Shortcode, content: Option<&str>, ctx: &BodyContext<'_>) -> String {
    match sc.name.as_str() {
        "caption" | "wp_caption" => media::caption(sc, content.unwrap_or_default()),
        "embed" => media::embed(sc, content.unwrap_or_default()),
        "audio" => media::audio(sc),
        "video" => media::video(sc),
        "gallery" => media::gallery(sc),
        "tptn_list" => most_read::list(
            sc,
            ctx.data
                .lists
                .get(&sc.attrs)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            ctx,
        ),
        "tptn_views" => most_read::views(sc, ctx),
        "crp" => related_posts(sc, ctx),
        _ => content.unwrap_or_default().to_string(),
    }
}

/// `[crp limit="N"]` (Contextual Related Posts): the related articles as a list.
fn related_posts(sc: &Shortcode, ctx: &BodyContext<'_>) -> String {
    let limit = sc
        .attr("limit")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(5)
        .min(20);
    if ctx.related.is_empty() || limit == 0 {
        return String::new();
    }
    let items: String = ctx
        .related
        .iter()
        .take(limit)
        .map(|a| {
            format!(
                "<li><a href=\"{}\">{}</a></li>",
                super::theme::escape_html(&ctx.views.urls.article(a)),
                super::theme::escape_html(&a.headline)
            )
        })
        .collect();
    let heading =
        super::theme::escape_html(&ctx.theme.text(ctx.article.lang, "related")).into_owned();
    format!("<div class=\"crp_related\"><h3>{heading}</h3><ul>{items}</ul></div>")
}

fn each_shortcode(nodes: &[Node], f: &mut dyn FnMut(&Shortcode)) {
    for node in nodes {
        if let Node::Shortcode(sc) = node {
            f(sc);
            if let Some(content) = &sc.content {
                each_shortcode(content, f);
            }
        }
    }
}

/// Problems with a body's shortcodes, one line each: what `warraq lint`
/// prints and what loading or saving a body warns about.
pub fn shortcode_warnings(body: &str) -> Vec<String> {
    shortcode::problems(body, &is_known_shortcode)
        .into_iter()
        .map(|p| {
            let what = match p.kind {
                shortcode::ProblemKind::UnknownShortcode => {
                    "unknown shortcode (its content is kept, its tags dropped)"
                }
                shortcode::ProblemKind::StrayClosingTag => {
                    "closing tag without an opening one (dropped)"
                }
                shortcode::ProblemKind::UnclosedTag => "tag without a closing ']'",
            };
            format!(
                "[{}] ×{}: {what}, first at byte {}",
                p.name, p.count, p.first_offset
            )
        })
        .collect()
}
