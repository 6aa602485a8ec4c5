//! Plain domain types. No IO here: the store reads and writes them, the
//! renderer and the API read them.

mod page;
mod slug;
mod staff;

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::Serialize;

pub use page::{redirect_key, NewMedia, NewPage, RedirectTarget, StaticPage};
pub use slug::{slugify, valid_slug};
pub use staff::{normalize_email, Actor, AuditAction, AuditEntry, Role, Stage, User};

/// The languages of a newsroom's editions. Arabic is first: it is served at
/// the root of the site, English under `/en/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ar,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ar, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            Lang::En => "ltr",
        }
    }

    /// The path prefix of this language's edition: `""` or `"/en"`.
    pub fn prefix(self) -> &'static str {
        match self {
            Lang::Ar => "",
            Lang::En => "/en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ar" => Ok(Lang::Ar),
            "en" => Ok(Lang::En),
            other => Err(format!(
                "unknown language {other:?}: expected \"ar\" or \"en\""
            )),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    /// Submitted, waiting for an editor.
    Review,
    /// Public once its publication time has come (scheduled until then).
    Published,
    /// Kept, never public (WordPress's private and password-protected posts).
    Private,
    /// Taken off the site after it was published.
    Unpublished,
    /// Deleted from the back office; kept until the trash is emptied.
    Trash,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Draft,
        Status::Review,
        Status::Published,
        Status::Private,
        Status::Unpublished,
        Status::Trash,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Published => "published",
            Status::Private => "private",
            Status::Unpublished => "unpublished",
            Status::Trash => "trash",
        }
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| format!("unknown status {s:?}"))
    }
}

/// What search engines are told about a page when it differs from what
/// readers see: a `<title>` other than the headline, a meta description
/// other than the standfirst, a canonical URL elsewhere, noindex. Empty
/// strings mean "as readers see it".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Seo {
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub noindex: bool,
}

/// An author as shown in one language: a byline entry, an author page.
#[derive(Clone, Debug, Serialize)]
pub struct Author {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub role: String,
    pub bio: String,
}

/// A section as shown in one language.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Tag {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Cover {
    pub url: String,
    pub alt: String,
    pub caption: String,
    /// Known when the cover came from the media library: what pages need
    /// to reserve its space (no layout shift) and offer smaller copies.
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub sizes: Vec<Rendition>,
}

impl Cover {
    /// The copy to give link previews and search engines: the widest in
    /// the image's own format up to 1600 pixels (every scraper reads
    /// JPEG and PNG; not all read WebP, and none needs more), else the
    /// image itself. Its URL, and its size when known.
    pub fn for_sharing(&self) -> (&str, Option<(u32, u32)>) {
        let own = self
            .sizes
            .iter()
            .filter(|s| s.mime != "image/webp" && s.width <= 1600)
            .max_by_key(|s| s.width);
        match (own, self.width, self.height) {
            (Some(s), Some(w), Some(h)) if w > 1600 => {
                let height = (u64::from(h) * u64::from(s.width) / u64::from(w.max(1))) as u32;
                (s.url.as_str(), Some((s.width, height.max(1))))
            }
            (_, Some(w), Some(h)) => (self.url.as_str(), Some((w, h))),
            _ => (self.url.as_str(), None),
        }
    }
}

/// A smaller copy of a media-library image: one entry of a `srcset`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Rendition {
    pub width: u32,
    pub url: String,
    /// Its MIME type (`image/webp`, `image/jpeg`…).
    #[serde(rename = "type")]
    pub mime: String,
}

/// A stored article with its authors, sections and tags, in order.
#[derive(Clone, Debug)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub lang: Lang,
    pub headline: String,
    pub standfirst: String,
    pub body_html: String,
    pub authors: Vec<Author>,
    pub sections: Vec<Section>,
    pub tags: Vec<Tag>,
    pub cover: Option<Cover>,
    pub status: Status,
    pub published_at: Timestamp,
    pub updated_at: Timestamp,
    /// Whether the "read also" block goes inside this article's body.
    pub read_also: bool,
    pub seo: Seo,
    /// The other language's edition of the same story.
    pub translation_id: Option<i64>,
}

/// What it takes to create an article: references by slug, so the demo
/// loader, an importer and the back office all speak the same language.
#[derive(Clone, Debug)]
pub struct NewArticle {
    pub slug: String,
    pub lang: Lang,
    pub headline: String,
    pub standfirst: String,
    pub body_html: String,
    pub author_slugs: Vec<String>,
    pub section_slugs: Vec<String>,
    pub tag_names: Vec<String>,
    pub cover: Option<Cover>,
    pub status: Status,
    pub published_at: Timestamp,
    pub updated_at: Timestamp,
    pub seo: Seo,
}

/// One language's face of an author.
#[derive(Clone, Debug)]
pub struct AuthorProfile {
    pub lang: Lang,
    pub name: String,
    pub role: String,
    pub bio: String,
}

#[derive(Clone, Debug)]
pub struct NewAuthor {
    pub slug: String,
    pub profiles: Vec<AuthorProfile>,
}

#[derive(Clone, Debug)]
pub struct NewSection {
    pub slug: String,
    pub names: Vec<(Lang, String)>,
    /// The slug of the section this one belongs under.
    pub parent: Option<String>,
}

/// Rejects what must never be stored, saying which field is wrong. A
/// draft may lack its standfirst, byline and section; a published article
/// may not.
impl NewArticle {
    pub fn validate(&self) -> Result<(), String> {
        if !valid_slug(&self.slug) {
            return Err(format!(
                "slug {:?} is not a valid slug (letters, digits and '-' only)",
                self.slug
            ));
        }
        if self.headline.trim().is_empty() {
            return Err(format!("headline of {:?} is empty", self.slug));
        }
        if self.status != Status::Published {
            return Ok(());
        }
        if self.standfirst.trim().is_empty() {
            return Err(format!("standfirst of {:?} is empty", self.slug));
        }
        if self.author_slugs.is_empty() {
            return Err(format!("article {:?} has no author", self.slug));
        }
        if self.section_slugs.is_empty() {
            return Err(format!("article {:?} has no section", self.slug));
        }
        Ok(())
    }
}

impl From<&Article> for NewArticle {
    /// The article as it would be written again: for saves that change
    /// some of its fields.
    fn from(a: &Article) -> NewArticle {
        NewArticle {
            slug: a.slug.clone(),
            lang: a.lang,
            headline: a.headline.clone(),
            standfirst: a.standfirst.clone(),
            body_html: a.body_html.clone(),
            author_slugs: a.authors.iter().map(|x| x.slug.clone()).collect(),
            section_slugs: a.sections.iter().map(|x| x.slug.clone()).collect(),
            tag_names: a.tags.iter().map(|x| x.name.clone()).collect(),
            cover: a.cover.clone(),
            status: a.status,
            published_at: a.published_at,
            updated_at: a.updated_at,
            seo: a.seo.clone(),
        }
    }
}
