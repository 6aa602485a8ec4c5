//! Static pages, media records and redirects: what a site has besides its
//! articles, and what an import brings of them.

use jiff::Timestamp;
use percent_encoding::percent_decode_str;
use serde::Serialize;

use super::{Lang, Status};

/// A page outside the news flow ("about us", "contact"), served at its
/// hierarchical path: `about/team` is `/about/team/` (under `/en/` in
/// English).
#[derive(Clone, Debug, Serialize)]
pub struct StaticPage {
    pub id: i64,
    pub lang: Lang,
    pub path: String,
    pub title: String,
    pub body_html: String,
    pub status: Status,
    pub seo_title: String,
    pub meta_description: String,
    pub published_at: Timestamp,
    pub updated_at: Timestamp,
}

impl StaticPage {
    pub fn visible(&self, now: Timestamp) -> bool {
        self.status == Status::Published && self.published_at <= now
    }
}

#[derive(Clone, Debug)]
pub struct NewPage {
    pub lang: Lang,
    pub path: String,
    pub title: String,
    pub body_html: String,
    pub status: Status,
    pub seo_title: String,
    pub meta_description: String,
    pub position: i64,
    pub published_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A media file: where it is served from and what it shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewMedia {
    pub url: String,
    /// Its path under the media directory, when warraq holds the file.
    pub file: Option<String>,
    pub title: String,
    pub alt: String,
    pub caption: String,
    pub created_at: i64,
}

/// Where an old URL leads now. Articles and pages are named by id, so a
/// later change of slug or date does not break the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedirectTarget {
    Article(i64),
    Page(i64),
    Location(String),
}

/// The query parameters of WordPress's own links to one item.
const ID_PARAMETERS: &[&str] = &["p", "page_id", "attachment_id"];

/// The key an old URL is stored and looked up under: its path
/// percent-decoded (so `/%d8%ae%d8%a8%d8%b1/` and `/خبر/` are one), without
/// a trailing slash; or `/?p=ID` (`page_id`, `attachment_id`) when the
/// query names a WordPress item — then the path does not matter.
pub fn redirect_key(path: &str, query: Option<&str>) -> String {
    if let Some(query) = query {
        for pair in query.split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if ID_PARAMETERS.contains(&name)
                && !value.is_empty()
                && value.bytes().all(|b| b.is_ascii_digit())
            {
                return format!("/?{name}={value}");
            }
        }
    }
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    // Exports carry links like `https://site//greek/…`: one slash is one.
    let mut collapsed = String::with_capacity(decoded.len());
    for c in decoded.chars() {
        if !(c == '/' && collapsed.ends_with('/')) {
            collapsed.push(c);
        }
    }
    let trimmed = collapsed.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_and_decoded_paths_share_a_key() {
        let key = redirect_key("/2024/03/05/%d8%ae%d8%a8%d8%b1/", None);
        assert_eq!(key, "/2024/03/05/خبر");
        assert_eq!(redirect_key("/2024/03/05/خبر", None), key);
        assert_eq!(redirect_key("/2024/03/05/%D8%AE%D8%A8%D8%B1", None), key);
    }

    #[test]
    fn wordpress_id_links() {
        assert_eq!(redirect_key("/", Some("p=12")), "/?p=12");
        assert_eq!(
            redirect_key("/index.php", Some("utm=x&page_id=7")),
            "/?page_id=7"
        );
        assert_eq!(redirect_key("/", Some("p=12x")), "/");
        assert_eq!(redirect_key("", None), "/");
        assert_eq!(redirect_key("//greek//x/", None), "/greek/x");
    }
}
