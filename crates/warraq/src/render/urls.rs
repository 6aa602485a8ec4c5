//! Every public path of the site, in one place. Slugs are stored as Unicode
//! and percent-encoded here, when they become part of a URL.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use super::DateFormat;
use crate::model::{Article, Lang};

/// Characters that may not appear raw in a path segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

pub fn encode_segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

#[derive(Clone, Debug)]
pub struct Urls {
    pub base_url: String,
    pub dates: DateFormat,
}

impl Urls {
    pub fn home(&self, lang: Lang) -> String {
        format!("{}/", lang.prefix())
    }

    /// `/{yyyy}/{mm}/{dd}/{slug}/`, dated in the site's time zone.
    pub fn article(&self, a: &Article) -> String {
        format!("{}/", self.article_stem(a))
    }

    /// The article's path without its trailing slash: add `.txt` or `.json`.
    pub fn article_stem(&self, a: &Article) -> String {
        let d = self.dates.civil(a.published_at);
        format!(
            "{}/{:04}/{:02}/{:02}/{}",
            a.lang.prefix(),
            d.year(),
            d.month(),
            d.day(),
            encode_segment(&a.slug)
        )
    }

    pub fn section(&self, lang: Lang, slug: &str) -> String {
        format!("{}/section/{}/", lang.prefix(), encode_segment(slug))
    }

    pub fn tag(&self, lang: Lang, slug: &str) -> String {
        format!("{}/tag/{}/", lang.prefix(), encode_segment(slug))
    }

    pub fn author(&self, lang: Lang, slug: &str) -> String {
        format!("{}/author/{}/", lang.prefix(), encode_segment(slug))
    }

    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_segments_are_percent_encoded() {
        assert_eq!(
            encode_segment("أزمة-المياه"),
            "%D8%A3%D8%B2%D9%85%D8%A9-%D8%A7%D9%84%D9%85%D9%8A%D8%A7%D9%87"
        );
        assert_eq!(encode_segment("a/b?c"), "a%2Fb%3Fc");
        assert_eq!(encode_segment("water-2024"), "water-2024");
    }
}
