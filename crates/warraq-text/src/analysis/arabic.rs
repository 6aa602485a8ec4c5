//! Arabic stop words, word-level folding and light stemming.
//!
//! Everything here expects words that are already
//! [normalised](super::normalize): ة is ه, ى is ي, أ إ آ are ا, ؤ ئ are ء.

use std::borrow::Cow;
use std::sync::OnceLock;

/// Which Arabic stemmer [`analyze`](super::analyze) applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ArabicStemmer {
    /// warraq's light stemmer, [`stem_light`]: Larkey's light10 with ب and
    /// ل as single proclitics, repeated prefix removal, and a 3-letter
    /// minimum for suffix removal.
    #[default]
    Light,
    /// Larkey, Ballesteros & Connell's light10 exactly as published,
    /// [`stem_light10`], kept as a baseline for relevance measurements.
    Light10,
    /// No stemming: normalisation and stop words only.
    None,
}

impl ArabicStemmer {
    /// Stems one normalised word.
    pub fn stem(self, word: &str) -> &str {
        match self {
            ArabicStemmer::Light => stem_light(word),
            ArabicStemmer::Light10 => stem_light10(word),
            ArabicStemmer::None => word,
        }
    }
}

/// Article forms: ال with an optional conjunction or preposition before it
/// (لل is ل + ال, whose alef is not written).
const ARTICLES: [&str; 6] = ["وال", "فال", "بال", "كال", "لل", "ال"];

/// Single-letter proclitics removed by [`stem_light`]: the conjunction و and
/// the prepositions ب and ل.
const PROCLITICS: [&str; 3] = ["و", "ب", "ل"];

/// light10's suffixes in their published order. After normalisation ية is
/// يه and ة is ه, so those two entries of the published list are folded in.
const SUFFIXES: [&str; 8] = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"];

fn letters(s: &str) -> usize {
    s.chars().count()
}

/// Forms of the word الله that [`stem_light`] maps to `الله` instead of
/// stemming (`ال` + `له` would otherwise give `له`, "for him").
const ALLAH_FORMS: [&str; 8] = [
    "الله",
    "لله",
    "والله",
    "بالله",
    "فالله",
    "ولله",
    "فلله",
    "تالله",
];

/// warraq's Arabic light stemmer.
///
/// Prefixes, repeated up to three times (a conjunction, a preposition and
/// the article can all be attached: وبالكتاب), each round taking the first
/// rule that applies:
///
/// 1. the article forms وال فال بال كال لل ال, when at least **2** letters
///    remain (light10's guard: الاب → اب, but ال alone or الم stay);
/// 2. the single letters و ب ل, when at least **3** letters remain (light10
///    has this guard for و; we use the same for ب and ل, so بدمج → دمج,
///    لمصر → مصر, while بلد, ولد, لعب stay whole).
///
/// Repeating the rounds is what makes a word and its article form meet even
/// when the word itself starts with و/ب/ل: بيان → يان and البيان → بيان →
/// يان; وزير → زير and الوزير → وزير → زير. (light10 strips one article
/// only, so there الوزير → وزير but وزير → زير.)
///
/// Suffixes: ها ان ات ون ين يه ه ي, each tried once in that order, removed
/// when at least **3** letters remain (light10 keeps 2). Arabic stems are
/// overwhelmingly triliteral, and a 2-letter stem is almost always a
/// collision: with light10's guard مكان → مك, سكان → سك, عمان → عم, بنات →
/// بن, رأي → را. The price is that plurals and possessives of 2-letter
/// nouns are not conflated (فنون ↛ فن, يده ↛ يد).
///
/// The forms of الله (لله، والله، بالله…) all stem to الله.
///
/// ```
/// use warraq_text::analysis::arabic::stem_light;
/// assert_eq!(stem_light("والمعلمون"), "معلم");
/// assert_eq!(stem_light("بالكتاب"), "كتاب");
/// assert_eq!(stem_light("سياسيه"), "سياس");
/// ```
pub fn stem_light(word: &str) -> &str {
    if ALLAH_FORMS.contains(&word) {
        return "الله";
    }
    let mut w = word;
    let mut n = letters(w);
    let mut removed = 0;
    'rounds: while removed < 3 {
        for p in ARTICLES {
            let len = letters(p);
            if n >= len + 2 && w.starts_with(p) {
                w = &w[p.len()..];
                n -= len;
                removed += 1;
                continue 'rounds;
            }
        }
        for p in PROCLITICS {
            if n > 3 && w.starts_with(p) {
                w = &w[p.len()..];
                n -= 1;
                removed += 1;
                continue 'rounds;
            }
        }
        break;
    }
    strip_suffixes(w, n, 3)
}

/// Light10 (Larkey, Ballesteros & Connell, "Light Stemming for Arabic
/// Information Retrieval", 2007), as published:
///
/// 1. remove و if at least 3 letters remain;
/// 2. remove one of ال وال بال كال فال لل if at least 2 letters remain;
/// 3. try each suffix of ها ان ات ون ين يه ية ه ة ي once, in that order,
///    removing it if at least 2 letters remain.
///
/// ```
/// use warraq_text::analysis::arabic::stem_light10;
/// assert_eq!(stem_light10("والمعلمون"), "معلم");
/// assert_eq!(stem_light10("مكان"), "مك");
/// ```
pub fn stem_light10(word: &str) -> &str {
    let mut w = word;
    let mut n = letters(w);
    if n > 3 && w.starts_with('و') {
        w = &w['و'.len_utf8()..];
        n -= 1;
    }
    for p in ["ال", "وال", "بال", "كال", "فال", "لل"] {
        let len = letters(p);
        if n >= len + 2 && w.starts_with(p) {
            w = &w[p.len()..];
            n -= len;
            break;
        }
    }
    strip_suffixes(w, n, 2)
}

fn strip_suffixes(mut w: &str, mut n: usize, keep: usize) -> &str {
    for s in SUFFIXES {
        let len = letters(s);
        if n >= len + keep && w.ends_with(s) {
            w = &w[..w.len() - s.len()];
            n -= len;
        }
    }
    w
}

/// Folds a word-final يء to ء (so شيء, شئ and شيئ all give شء; مبادئ and
/// مبادىء give مبادء; بريء and برئ give برء), when a letter precedes it.
///
/// After [`normalize`](super::normalize) ئ and ىء both end in ء or يء, so
/// this is the one remaining spelling variation of a final hamza on a seat.
pub fn fold_final_hamza(word: &str) -> Cow<'_, str> {
    const YEH_HAMZA: &str = "يء";
    match word.strip_suffix(YEH_HAMZA) {
        Some(head) if !head.is_empty() => Cow::Owned(format!("{head}ء")),
        _ => Cow::Borrowed(word),
    }
}

/// The Arabic stop-word list (normalised, sorted), from `stop_ar.txt`.
pub fn stop_words() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| super::parse_word_list(include_str!("stop_ar.txt")))
}

/// Conjunction forms that look like و/ف + stop word but are content words.
const NOT_CONJUNCTION: [&str; 2] = [
    "فهم", // understanding (ف + هم)
    "فلم", // film (ف + لم)
];

/// Whether a normalised word is an Arabic stop word: it is in
/// [`stop_words`], or it is و or ف followed by a listed word of at least two
/// letters (وفي، ومن، فقد، وهو، ولا), except فهم (understanding) and فلم
/// (film).
pub fn is_stop_word(word: &str) -> bool {
    let list = stop_words();
    if list.binary_search(&word).is_ok() {
        return true;
    }
    let rest = word.strip_prefix('و').or_else(|| word.strip_prefix('ف'));
    match rest {
        Some(rest) if rest.chars().nth(1).is_some() => {
            list.binary_search(&rest).is_ok() && !NOT_CONJUNCTION.contains(&word)
        }
        _ => false,
    }
}
