//! Arabic-first text analysis for search, related articles and anything else
//! that compares text.
//!
//! Three levels, each built on the one before:
//!
//! - [`normalize`]: character-level normalisation (NFC, Arabic letter
//!   variants, harakat and tatweel, digits, case). Keeps spaces and
//!   punctuation.
//! - [`tokens`]: the words of a text, normalised, with byte offsets into the
//!   original text for highlighting.
//! - [`analyze`] / [`analyze_tokens`]: the index terms: tokens without stop
//!   words, stemmed, plus a few word-level foldings.
//!
//! A query and a document go through the same [`analyze`], so a query typed
//! with or without hamza, harakat, tatweel, the article ال or an attached
//! و/ب/ل, with ة or ه, ى or ي, Arabic-Indic or Western digits, finds the same
//! articles as the plain form.
//!
//! All of it is pure (no IO), deterministic and allocation-conscious: no
//! regular expressions, one pass over the characters per level. For many
//! texts in a row, keep an [`Analyzer`] to reuse its buffers.
//!
//! ```
//! use warraq_text::analysis::{analyze, AnalyzerOptions, Lang};
//! let opts = AnalyzerOptions::default();
//! assert_eq!(
//!     analyze("وَالمُعَلِّمُونَ في المَدْرَسَةِ", Lang::Ar, &opts),
//!     analyze("معلم مدرسه", Lang::Ar, &opts),
//! );
//! assert_eq!(analyze("The elections of 2010", Lang::En, &opts), ["elect", "2010"]);
//! ```

pub mod arabic;
pub mod english;
mod normalize;
mod tokenize;

pub use arabic::ArabicStemmer;
pub use english::EnglishStemmer;
pub use normalize::normalize;
pub use tokenize::{tokens, Token, TokenKind};

use tokenize::{TokenRef, Tokenizer};

/// The language of a document or a query.
///
/// Analysis rules are chosen **per token, by script**, not by this value:
/// Arabic-script words get the Arabic stop words and stemmer, Latin words the
/// English ones, whatever the language of the article around them. That way
/// `Apple` in an Arabic article and in an English one give the same term, and
/// a query typed on the Arabic site finds both. Today `Ar` and `En` therefore
/// analyse any text identically; the parameter is there so that callers
/// record the language now and a later language that shares a script
/// (Persian or Urdu with Arabic, French with English) can change the rules
/// for its documents without an API change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Arabic (`ar`).
    Ar,
    /// English (`en`).
    En,
}

impl Lang {
    /// Parses a BCP 47 language tag, ignoring case and any region or script
    /// subtag: `ar`, `ar-EG`, `AR_sa` → `Ar`; `en`, `en-GB` → `En`; anything
    /// else → `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or(code);
        if primary.eq_ignore_ascii_case("ar") {
            Some(Lang::Ar)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The two-letter code: `ar` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }
}

/// What [`analyze`] does beyond normalisation and tokenisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AnalyzerOptions {
    /// Stemmer for Arabic-script words. Default: [`ArabicStemmer::Light`].
    pub arabic_stemmer: ArabicStemmer,
    /// Stemmer for Latin words. Default: [`EnglishStemmer::Porter`].
    pub english_stemmer: EnglishStemmer,
    /// Drop Arabic and English stop words. Default: `true`. Turn it off for
    /// exact-phrase fields.
    pub remove_stop_words: bool,
    /// Fold Latin diacritics (`Erdoğan` → `erdogan`, `café` → `cafe`) before
    /// stop words and stemming. Default: `true`.
    pub fold_latin_diacritics: bool,
}

impl Default for AnalyzerOptions {
    fn default() -> Self {
        AnalyzerOptions {
            arabic_stemmer: ArabicStemmer::Light,
            english_stemmer: EnglishStemmer::Porter,
            remove_stop_words: true,
            fold_latin_diacritics: true,
        }
    }
}

/// The index terms of a text: its [`tokens`], without stop words, stemmed.
///
/// Per token kind:
///
/// - **Arabic**: a word-final يء is folded to ء
///   ([`arabic::fold_final_hamza`]); stop words are dropped
///   ([`arabic::is_stop_word`]); the word is stemmed with
///   `opts.arabic_stemmer`.
/// - **Latin**: diacritics folded ([`english::fold_diacritics`]), English
///   stop words dropped, stemmed with `opts.english_stemmer`.
/// - **Number** and **other scripts**: kept as they are.
///
/// `analyze(&normalize(x), ..) == analyze(x, ..)` for every string.
pub fn analyze(text: &str, lang: Lang, opts: &AnalyzerOptions) -> Vec<String> {
    let mut out = Vec::new();
    Analyzer::new(*opts).for_each_term(text, lang, |t| out.push(t.text.to_owned()));
    out
}

/// Like [`analyze`], but each term keeps the byte offsets of its word in the
/// original text and its position among all the words (stop words leave a
/// gap), for highlighting and phrase queries.
pub fn analyze_tokens(text: &str, lang: Lang, opts: &AnalyzerOptions) -> Vec<Token> {
    let mut out = Vec::new();
    Analyzer::new(*opts).for_each_term(text, lang, |t| out.push(t.to_token()));
    out
}

/// An analysed term borrowed from an [`Analyzer`]'s buffers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term<'a> {
    /// The term.
    pub text: &'a str,
    /// Byte offset of its word in the original text.
    pub start: usize,
    /// Byte offset just past its word in the original text.
    pub end: usize,
    /// Position of its word among all the words of the text.
    pub position: usize,
    /// The kind of its word.
    pub kind: TokenKind,
}

impl Term<'_> {
    /// An owned copy, as a [`Token`] whose text is the term.
    pub fn to_token(&self) -> Token {
        Token {
            text: self.text.to_owned(),
            start: self.start,
            end: self.end,
            position: self.position,
            kind: self.kind,
        }
    }
}

/// Reusable analysis buffers: analysing many texts with one `Analyzer`
/// allocates only for the terms it hands out.
#[derive(Debug, Default)]
pub struct Analyzer {
    opts: AnalyzerOptions,
    tokenizer: Tokenizer,
    folded: String,
    stemmed: String,
}

impl Analyzer {
    /// An analyser with these options.
    pub fn new(opts: AnalyzerOptions) -> Self {
        Analyzer {
            opts,
            ..Analyzer::default()
        }
    }

    /// The options this analyser applies.
    pub fn options(&self) -> &AnalyzerOptions {
        &self.opts
    }

    /// Calls `f` with each term of `text`, in order; see [`analyze`].
    pub fn for_each_term(&mut self, text: &str, _lang: Lang, mut f: impl FnMut(&Term<'_>)) {
        let Analyzer {
            opts,
            tokenizer,
            folded,
            stemmed,
        } = self;
        tokenizer.run(text, |t: TokenRef<'_>| {
            if let Some(term) = term(opts, t.text, t.kind, folded, stemmed) {
                f(&Term {
                    text: term,
                    start: t.start,
                    end: t.end,
                    position: t.position,
                    kind: t.kind,
                });
            }
        });
    }

    /// The terms of `text`; see [`analyze`].
    pub fn analyze(&mut self, text: &str, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_term(text, lang, |t| out.push(t.text.to_owned()));
        out
    }
}

/// The term for one token, or `None` for a stop word.
fn term<'a>(
    opts: &AnalyzerOptions,
    word: &'a str,
    kind: TokenKind,
    folded: &'a mut String,
    stemmed: &'a mut String,
) -> Option<&'a str> {
    match kind {
        TokenKind::Arabic => {
            let word = match arabic::fold_final_hamza(word) {
                std::borrow::Cow::Borrowed(w) => w,
                std::borrow::Cow::Owned(w) => {
                    *folded = w;
                    folded.as_str()
                }
            };
            if opts.remove_stop_words && arabic::is_stop_word(word) {
                return None;
            }
            Some(opts.arabic_stemmer.stem(word))
        }
        TokenKind::Latin => {
            let word = if opts.fold_latin_diacritics {
                english::fold_diacritics(word, folded);
                folded.as_str()
            } else {
                word
            };
            if opts.remove_stop_words && english::is_stop_word(word) {
                return None;
            }
            opts.english_stemmer.stem_into(word, stemmed);
            Some(stemmed.as_str())
        }
        TokenKind::Number | TokenKind::Other => Some(word),
    }
}

/// Parses a word list: white-space separated words, `#` to end of line is a
/// comment. Sorted and deduplicated, for binary search.
fn parse_word_list(src: &'static str) -> Vec<&'static str> {
    let mut words: Vec<&'static str> = src
        .lines()
        .flat_map(|line| line.split('#').next().unwrap_or("").split_whitespace())
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}
