//! Slugs: the Unicode words of a URL path segment.
//!
//! Arabic slugs stay Arabic in the database (`أزمة-المياه`) and are
//! percent-encoded only when written into a URL.

/// Turns a name (a tag, a headline) into a slug: letters and digits of any
/// script kept, everything else a single '-', Latin lower-cased. Arabic
/// diacritics and tatweel are dropped so that a vocalised and a plain
/// spelling of a tag share one page.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars() {
        if is_arabic_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// A stored slug: non-empty, letters, digits and single inner '-'.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .chars()
            .all(|c| c == '-' || (c.is_alphanumeric() && !c.is_uppercase()) || is_arabic_mark(c))
}

/// Harakat, superscript alef and tatweel: marks, not letters.
fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_names_keep_their_letters() {
        assert_eq!(slugify("الانتخابات البلدية"), "الانتخابات-البلدية");
        assert_eq!(slugify("“الماء أولاً”: عمّان"), "الماء-أولا-عمان");
        assert_eq!(slugify("Press Freedom 2024"), "press-freedom-2024");
        assert_eq!(slugify("الطاقـــة"), "الطاقة");
    }

    #[test]
    fn validity() {
        assert!(valid_slug("أزمة-المياه-2024"));
        assert!(valid_slug("water-rationing"));
        assert!(!valid_slug("Water"));
        assert!(!valid_slug("a--b"));
        assert!(!valid_slug("a/b"));
        assert!(!valid_slug(""));
    }
}
