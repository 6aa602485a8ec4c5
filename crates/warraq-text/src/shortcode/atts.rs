//! Attribute lists: WordPress's `shortcode_parse_atts()`.
//!
//! WordPress matches the attribute text with one regular expression of six
//! alternatives, tried in order at every position that is not whitespace:
//!
//! 1. `name="value"`, 2. `name='value'`, 3. `name=value`,
//! 4. `"value"`, 5. `'value'`, 6. any run of non-whitespace.
//!
//! Each alternative must be followed by one whitespace byte or the end of the
//! text, and the last one always matches, so nothing is ever skipped: text
//! that fits no `name=value` form becomes a positional value. The regex has no
//! `u` flag, so "whitespace" is ASCII only (space, tab, LF, VT, FF, CR) and a
//! name is ASCII `[A-Za-z0-9_-]+`. Before matching, runs of U+00A0 and U+200B
//! are replaced by one space. Values go through PHP's `stripcslashes()`, and a
//! value with a `<` that is not closed by a later `>` is emptied.
//!
//! The scanner below does the same work without a regex. Each alternative is
//! deterministic (no backtracking can change its outcome), so one pass with a
//! little look-ahead is exact.

use std::collections::HashMap;

/// Attributes of one shortcode, split the way callers want them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes {
    /// `name=value` pairs in order of first appearance, names lower-cased.
    pub named: Vec<(String, String)>,
    /// Values without a name, in order.
    pub positional: Vec<String>,
}

/// ASCII whitespace as PCRE's `\s` sees it without the `u` flag.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `[\w-]` without the `u` flag.
pub(crate) fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Parses the text between a shortcode's name and its closing bracket.
///
/// This is `shortcode_parse_atts()` of WordPress 6.5 and later. Older
/// versions returned `ltrim($text)` as a string when nothing matched; that can
/// only happen when the text is all whitespace, and since 6.5 it returns an
/// empty array, which is what this does.
pub fn parse_attributes(text: &str) -> Attributes {
    let text = normalize_spaces(text);
    let b = text.as_bytes();
    let n = b.len();
    let mut array = PhpArray::default();
    let mut i = 0;
    while i < n {
        if is_space(b[i]) {
            i += 1;
            continue;
        }
        if let Some((name, value, end)) = named_at(b, i) {
            // WordPress 6.5+ tests `'' !== $m[1]`; before that `! empty()`
            // also dropped an attribute named "0". We follow the current one.
            array.set(
                &text[name.0..name.1].to_ascii_lowercase(),
                unescape(&b[value.0..value.1]),
            );
            i = end;
            continue;
        }
        if b[i] == b'"' || b[i] == b'\'' {
            if let Some(close) = find_byte(b, i + 1, b[i]) {
                if close + 1 == n || is_space(b[close + 1]) {
                    // `"([^"]*)"` with an empty value matches but adds nothing
                    // (the `strlen()` test), exactly as in WordPress.
                    if close > i + 1 {
                        array.push(unescape(&b[i + 1..close]));
                    }
                    i = (close + 2).min(n);
                    continue;
                }
            }
        }
        let start = i;
        while i < n && !is_space(b[i]) {
            i += 1;
        }
        array.push(unescape(&b[start..i]));
        i = (i + 1).min(n);
    }
    let mut attributes = array.into_attributes();
    for (_, value) in attributes.named.iter_mut() {
        reject_unclosed_html(value);
    }
    for value in attributes.positional.iter_mut() {
        reject_unclosed_html(value);
    }
    attributes
}

/// Alternatives 1–3 at `i`: returns the name range, the value range and the
/// end of the match (after the one whitespace byte the regex consumes).
#[allow(clippy::type_complexity)]
fn named_at(b: &[u8], i: usize) -> Option<((usize, usize), (usize, usize), usize)> {
    let n = b.len();
    let mut j = i;
    while j < n && is_name_byte(b[j]) {
        j += 1;
    }
    if j == i {
        return None;
    }
    let name = (i, j);
    let mut k = j;
    while k < n && is_space(b[k]) {
        k += 1;
    }
    if k >= n || b[k] != b'=' {
        return None;
    }
    k += 1;
    while k < n && is_space(b[k]) {
        k += 1;
    }
    if k >= n {
        return None;
    }
    let after = |end: usize| if end < n { end + 1 } else { end };
    match b[k] {
        quote @ (b'"' | b'\'') => {
            let close = find_byte(b, k + 1, quote)?;
            if close + 1 == n || is_space(b[close + 1]) {
                Some((name, (k + 1, close), after(close + 1)))
            } else {
                None
            }
        }
        _ => {
            let mut v = k;
            while v < n && !is_space(b[v]) && b[v] != b'"' && b[v] != b'\'' {
                v += 1;
            }
            if v == n || is_space(b[v]) {
                Some((name, (k, v), after(v)))
            } else {
                None
            }
        }
    }
}

fn find_byte(b: &[u8], from: usize, needle: u8) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&c| c == needle)
        .map(|p| p + from)
}

/// `preg_replace("/[\x{00a0}\x{200b}]+/u", ' ', $text)`.
fn normalize_spaces(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['\u{a0}', '\u{200b}']) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars() {
        if c == '\u{a0}' || c == '\u{200b}' {
            if !in_run {
                out.push(' ');
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out.into()
}

/// PHP's `stripcslashes()`: C escapes (`\n`, `\t`, `\x41`, `\101`, …) are
/// decoded and any other escaped byte stands for itself. A trailing lone
/// backslash is kept. Bytes that do not form UTF-8 become U+FFFD.
fn unescape(b: &[u8]) -> String {
    if !b.contains(&b'\\') {
        return String::from_utf8_lossy(b).into_owned();
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 >= b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        i += 1;
        let simple = match b[i] {
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b'a' => Some(0x07),
            b't' => Some(b'\t'),
            b'v' => Some(0x0b),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'\\' => Some(b'\\'),
            _ => None,
        };
        if let Some(byte) = simple {
            out.push(byte);
            i += 1;
            continue;
        }
        if b[i] == b'x' && i + 1 < b.len() && b[i + 1].is_ascii_hexdigit() {
            let mut value = hex(b[i + 1]);
            i += 2;
            if i < b.len() && b[i].is_ascii_hexdigit() {
                value = value * 16 + hex(b[i]);
                i += 1;
            }
            out.push(value);
            continue;
        }
        let mut digits = 0;
        let mut value: u32 = 0;
        while i < b.len() && digits < 3 && (b'0'..=b'7').contains(&b[i]) {
            value = value * 8 + u32::from(b[i] - b'0');
            digits += 1;
            i += 1;
        }
        if digits > 0 {
            // PHP casts the value to `char`, so `\777` wraps.
            out.push((value & 0xff) as u8);
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn hex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    }
}

/// "Reject any unclosed HTML elements": a value with a `<` must match
/// `^[^<]*+(?:<[^>]*+>[^<]*+)*+$`, which fails exactly when some `<` comes
/// after the last `>`. Such a value becomes empty (the attribute stays).
fn reject_unclosed_html(value: &mut String) {
    if let Some(lt) = value.rfind('<') {
        if value.rfind('>').is_none_or(|gt| gt < lt) {
            value.clear();
        }
    }
}

/// The little of PHP's ordered arrays that `$atts[$name] = …` and
/// `$atts[] = …` need: a name that is a canonical decimal integer ("0", "12",
/// "-3") becomes an integer key and shares the sequence with positional
/// values; assigning an existing key keeps its place and replaces the value.
#[derive(Default)]
struct PhpArray {
    entries: Vec<(Key, String)>,
    index: HashMap<Key, usize>,
    next: Option<i64>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Int(i64),
    Str(String),
}

impl PhpArray {
    fn set(&mut self, name: &str, value: String) {
        let key = match php_integer_key(name) {
            Some(k) => {
                self.note_int(k);
                Key::Int(k)
            }
            None => Key::Str(name.to_string()),
        };
        self.insert(key, value);
    }

    fn push(&mut self, value: String) {
        let k = self.next.unwrap_or(0);
        if self.index.contains_key(&Key::Int(k)) {
            // Only when the last integer key was i64::MAX: PHP refuses too.
            return;
        }
        self.note_int(k);
        self.insert(Key::Int(k), value);
    }

    /// PHP 8.3+: the next free slot is one past the largest integer key.
    fn note_int(&mut self, k: i64) {
        if self.next.is_none_or(|next| k >= next) {
            self.next = Some(k.saturating_add(1));
        }
    }

    fn insert(&mut self, key: Key, value: String) {
        if let Some(&at) = self.index.get(&key) {
            self.entries[at].1 = value;
        } else {
            self.index.insert(key.clone(), self.entries.len());
            self.entries.push((key, value));
        }
    }

    fn into_attributes(self) -> Attributes {
        let mut out = Attributes::default();
        for (key, value) in self.entries {
            match key {
                Key::Int(_) => out.positional.push(value),
                Key::Str(name) => out.named.push((name, value)),
            }
        }
        out
    }
}

/// PHP turns an array key that is a canonical decimal integer into an int.
fn php_integer_key(name: &str) -> Option<i64> {
    let digits = name.strip_prefix('-').unwrap_or(name);
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && name != "-0";
    if canonical {
        name.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(text: &str) -> Vec<(String, String)> {
        parse_attributes(text).named
    }

    #[test]
    fn stripcslashes_like_php() {
        assert_eq!(unescape(br"a\nb"), "a\nb");
        assert_eq!(unescape(br"\x41\102\q\\"), "ABq\\");
        assert_eq!(unescape(br"trailing\"), "trailing\\");
        assert_eq!(unescape(br"\xZ"), "xZ");
        assert_eq!(unescape(br"\xd8\xa7"), "ا");
    }

    #[test]
    fn integer_names_share_positional_slots() {
        let a = parse_attributes(r#"a b 1="c""#);
        assert_eq!(a.positional, vec!["a", "c"]);
        assert!(a.named.is_empty());
        assert_eq!(named(r#"01="x""#), vec![("01".into(), "x".into())]);
    }

    #[test]
    fn duplicate_names_keep_first_place() {
        assert_eq!(
            named(r#"a="1" b="2" A="3""#),
            vec![("a".into(), "3".into()), ("b".into(), "2".into())]
        );
    }
}
