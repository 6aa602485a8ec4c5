//! From stored articles to what readers and machines get: HTML pages through
//! the theme's templates, the clean-text and JSON views, structured data.

mod date;
pub mod diff;
mod digest;
mod feed;
mod json;
mod read_also;
mod shortcodes;
pub(crate) mod theme;
mod urls;
mod view;

pub use date::DateFormat;
pub use digest::{whatsapp_digest, MAX_CHARS as DIGEST_MAX_CHARS};
pub use feed::{rss, Channel};
pub use json::{article_json, clean_text_view};
pub use read_also::{insert_after_paragraph, read_also_html};
pub use shortcodes::{
    body_needs, render_body, shortcode_warnings, BodyContext, BodyData, BodyNeeds,
};
pub use theme::{etag, StaticFile, Theme};
pub use urls::{encode_segment, Urls};
pub use view::{ArticleView, Pager, Views};
