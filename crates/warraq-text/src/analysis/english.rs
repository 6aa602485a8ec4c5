//! English stop words, Latin diacritic folding and stemming.

use std::sync::OnceLock;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Which English stemmer [`analyze`](super::analyze) applies to Latin words.
///
/// Only words made of ASCII letters `a`–`z` are stemmed; a word with digits
/// or other letters (`mp3`, `ɛ`) is left as it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EnglishStemmer {
    /// The original Porter (1980) algorithm, [`stem_porter`].
    #[default]
    Porter,
    /// A plural-only "s-stemmer", [`stem_minimal`] (Lucene's
    /// `EnglishMinimalStemmer`): gentler, for comparison.
    Minimal,
    /// No stemming.
    None,
}

impl EnglishStemmer {
    /// Stems one lower-case word into `out` (cleared first).
    pub fn stem_into(self, word: &str, out: &mut String) {
        out.clear();
        let ascii = !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase());
        match self {
            EnglishStemmer::Porter if ascii => {
                let mut w = word.as_bytes().to_vec();
                porter(&mut w);
                out.push_str(std::str::from_utf8(&w).expect("ASCII stays ASCII"));
            }
            EnglishStemmer::Minimal if ascii => out.push_str(&stem_minimal(word)),
            _ => out.push_str(word),
        }
    }

    /// Stems one lower-case word.
    pub fn stem(self, word: &str) -> String {
        let mut out = String::new();
        self.stem_into(word, &mut out);
        out
    }
}

/// The English stop-word list (sorted), from `stop_en.txt`.
pub fn stop_words() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| super::parse_word_list(include_str!("stop_en.txt")))
}

/// Whether a lower-case word is an English stop word.
pub fn is_stop_word(word: &str) -> bool {
    stop_words().binary_search(&word).is_ok()
}

/// Removes diacritics from Latin letters, into `out` (cleared first):
/// `é` → `e`, `ğ` → `g`, `ñ` → `n`, and `ß` → `ss`, `æ` → `ae`, `œ` → `oe`,
/// `ø` → `o`, `ł` → `l`, `đ`/`ð` → `d`, `þ` → `th`, `ı` → `i`. So a search
/// for erdogan finds Erdoğan and cafe finds café.
pub fn fold_diacritics(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        return;
    }
    for c in word.chars() {
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            _ if c.is_ascii() => out.push(c),
            _ => decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            }),
        }
    }
}

/// Lucene's `EnglishMinimalStemmer`: removes a plural `s` only.
///
/// `-ies` → `-y` (but not `-aies`, `-eies`), `-es` after `i a o e` and any
/// `-s` not after `u` or `s` are removed; words under 3 letters stay.
///
/// ```
/// use warraq_text::analysis::english::stem_minimal;
/// assert_eq!(stem_minimal("policies"), "policy");
/// assert_eq!(stem_minimal("elections"), "election");
/// assert_eq!(stem_minimal("news"), "new"); // the price of simplicity
/// assert_eq!(stem_minimal("virus"), "virus");
/// ```
pub fn stem_minimal(word: &str) -> String {
    let b = word.as_bytes();
    let n = b.len();
    if n < 3 || b[n - 1] != b's' || !word.is_ascii() {
        return word.to_owned();
    }
    match b[n - 2] {
        b'u' | b's' => word.to_owned(),
        b'e' => {
            if n > 3 && b[n - 3] == b'i' && b[n - 4] != b'a' && b[n - 4] != b'e' {
                format!("{}y", &word[..n - 3])
            } else if matches!(b[n - 3], b'i' | b'a' | b'o' | b'e') {
                word.to_owned()
            } else {
                word[..n - 1].to_owned()
            }
        }
        _ => word[..n - 1].to_owned(),
    }
}

/// The original Porter stemmer (M. F. Porter, "An algorithm for suffix
/// stripping", 1980), with the reference implementation's one departure:
/// words of one or two letters are left alone.
///
/// ```
/// use warraq_text::analysis::english::stem_porter;
/// assert_eq!(stem_porter("elections"), "elect");
/// assert_eq!(stem_porter("running"), "run");
/// assert_eq!(stem_porter("relational"), "relat");
/// ```
pub fn stem_porter(word: &str) -> String {
    EnglishStemmer::Porter.stem(word)
}

fn porter(w: &mut Vec<u8>) {
    if w.len() <= 2 {
        return;
    }
    step1a(w);
    step1b(w);
    step1c(w);
    step2(w);
    step3(w);
    step4(w);
    step5(w);
}

/// Whether `w[i]` is a consonant in Porter's sense (`y` after a consonant is
/// a vowel).
fn cons(w: &[u8], i: usize) -> bool {
    match w[i] {
        b'a' | b'e' | b'i' | b'o' | b'u' => false,
        b'y' => i == 0 || !cons(w, i - 1),
        _ => true,
    }
}

/// Porter's measure m: the number of vowel-consonant sequences in `w`.
fn measure(w: &[u8]) -> usize {
    let n = w.len();
    let mut i = 0;
    while i < n && cons(w, i) {
        i += 1;
    }
    let mut m = 0;
    loop {
        while i < n && !cons(w, i) {
            i += 1;
        }
        if i == n {
            return m;
        }
        while i < n && cons(w, i) {
            i += 1;
        }
        m += 1;
    }
}

fn has_vowel(w: &[u8]) -> bool {
    (0..w.len()).any(|i| !cons(w, i))
}

/// `*d`: ends with a double consonant.
fn double_cons(w: &[u8]) -> bool {
    let n = w.len();
    n >= 2 && w[n - 1] == w[n - 2] && cons(w, n - 1)
}

/// `*o`: ends consonant-vowel-consonant, the last not `w`, `x` or `y`.
fn cvc(w: &[u8]) -> bool {
    let n = w.len();
    n >= 3
        && cons(w, n - 3)
        && !cons(w, n - 2)
        && cons(w, n - 1)
        && !matches!(w[n - 1], b'w' | b'x' | b'y')
}

fn replace(w: &mut Vec<u8>, suffix_len: usize, with: &[u8]) {
    w.truncate(w.len() - suffix_len);
    w.extend_from_slice(with);
}

/// Applies the rule of the first suffix in `rules` that `w` ends with, if its
/// stem's measure is above `min_m`; later rules are not tried either way.
fn rule_list(w: &mut Vec<u8>, rules: &[(&str, &str)], min_m: usize) {
    for (suffix, with) in rules {
        if w.ends_with(suffix.as_bytes()) {
            let stem = w.len() - suffix.len();
            if measure(&w[..stem]) > min_m {
                replace(w, suffix.len(), with.as_bytes());
            }
            return;
        }
    }
}

fn step1a(w: &mut Vec<u8>) {
    if w.ends_with(b"sses") || w.ends_with(b"ies") {
        w.truncate(w.len() - 2);
    } else if w.ends_with(b"ss") {
    } else if w.ends_with(b"s") {
        w.pop();
    }
}

fn step1b(w: &mut Vec<u8>) {
    if w.ends_with(b"eed") {
        if measure(&w[..w.len() - 3]) > 0 {
            w.pop();
        }
        return;
    }
    let removed = if w.ends_with(b"ed") && has_vowel(&w[..w.len() - 2]) {
        w.truncate(w.len() - 2);
        true
    } else if w.ends_with(b"ing") && has_vowel(&w[..w.len() - 3]) {
        w.truncate(w.len() - 3);
        true
    } else {
        false
    };
    if !removed {
        return;
    }
    if w.ends_with(b"at") || w.ends_with(b"bl") || w.ends_with(b"iz") {
        w.push(b'e');
    } else if double_cons(w) && !matches!(w[w.len() - 1], b'l' | b's' | b'z') {
        w.pop();
    } else if measure(w) == 1 && cvc(w) {
        w.push(b'e');
    }
}

fn step1c(w: &mut [u8]) {
    if w.ends_with(b"y") && has_vowel(&w[..w.len() - 1]) {
        let n = w.len();
        w[n - 1] = b'i';
    }
}

fn step2(w: &mut Vec<u8>) {
    rule_list(
        w,
        &[
            ("ational", "ate"),
            ("tional", "tion"),
            ("enci", "ence"),
            ("anci", "ance"),
            ("izer", "ize"),
            ("abli", "able"),
            ("alli", "al"),
            ("entli", "ent"),
            ("eli", "e"),
            ("ousli", "ous"),
            ("ization", "ize"),
            ("ation", "ate"),
            ("ator", "ate"),
            ("alism", "al"),
            ("iveness", "ive"),
            ("fulness", "ful"),
            ("ousness", "ous"),
            ("aliti", "al"),
            ("iviti", "ive"),
            ("biliti", "ble"),
        ],
        0,
    );
}

fn step3(w: &mut Vec<u8>) {
    rule_list(
        w,
        &[
            ("icate", "ic"),
            ("ative", ""),
            ("alize", "al"),
            ("iciti", "ic"),
            ("ical", "ic"),
            ("ful", ""),
            ("ness", ""),
        ],
        0,
    );
}

fn step4(w: &mut Vec<u8>) {
    const RULES: [&str; 19] = [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion",
        "ou", "ism", "ate", "iti", "ous", "ive", "ize",
    ];
    for suffix in RULES {
        if w.ends_with(suffix.as_bytes()) {
            let stem = w.len() - suffix.len();
            let ok = measure(&w[..stem]) > 1
                && (suffix != "ion" || (stem > 0 && matches!(w[stem - 1], b's' | b't')));
            if ok {
                w.truncate(stem);
            }
            return;
        }
    }
}

fn step5(w: &mut Vec<u8>) {
    if w.ends_with(b"e") {
        let stem = &w[..w.len() - 1];
        let m = measure(stem);
        if m > 1 || (m == 1 && !cvc(stem)) {
            w.pop();
        }
    }
    if w.ends_with(b"ll") && measure(w) > 1 {
        w.pop();
    }
}
