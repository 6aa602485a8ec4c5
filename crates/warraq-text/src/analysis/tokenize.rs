//! Word tokenisation on Unicode word boundaries: see [`tokens`].

use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

use super::normalize::{Normalizer, Span};

/// One word of a text, as cut by [`tokens`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Token {
    /// The word, [normalised](super::normalize). For [`tokens`] this is the
    /// raw word; for [`analyze_tokens`](super::analyze_tokens) it is the
    /// analysed term (stop words removed, stemmed).
    pub text: String,
    /// Byte offset in the *original* text where the word starts.
    pub start: usize,
    /// Byte offset in the original text just past the word, so
    /// `&original[start..end]` is what to highlight.
    pub end: usize,
    /// Index of the word among all the words of the text (stop words
    /// included), for phrase queries: dropping a stop word leaves a gap.
    pub position: usize,
    /// What kind of word it is; decides which language rules apply.
    pub kind: TokenKind,
}

/// What a [`Token`] is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Arabic-script letters only (Arabic, Persian, Urdu letters).
    Arabic,
    /// Latin letters, possibly with ASCII digits (`covid19`, `mp3`, `2010s`).
    Latin,
    /// ASCII digits, possibly with a decimal point between digits: `2010`,
    /// `3.5`, `192.168.1.1`. Thousands separators are dropped (`1,000` →
    /// `1000`).
    Number,
    /// Any other script (Cyrillic, Greek, Hebrew, CJK, …), or a mix.
    Other,
}

/// A token borrowed from the tokenizer's buffers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TokenRef<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub position: usize,
    pub kind: TokenKind,
}

impl TokenRef<'_> {
    pub(crate) fn to_token(self) -> Token {
        Token {
            text: self.text.to_owned(),
            start: self.start,
            end: self.end,
            position: self.position,
            kind: self.kind,
        }
    }
}

/// Cuts a text into words, with byte offsets into the original text for
/// highlighting.
///
/// The text is first [normalised](super::normalize) (so the result is the
/// same for `text` and `normalize(text)`), then split on Unicode word
/// boundaries (UAX #29, which among other things gives each CJK ideograph its
/// own word), then each boundary segment is cut further so that a token
/// never holds punctuation, markup or white space:
///
/// - a token is a run of letters, digits and combining marks; a mark with no
///   letter before it is dropped;
/// - Arabic-script letters never share a token with digits or other scripts:
///   `بـ2010` → `ب`, `2010`; `الـiPhone` → `ال`, `iphone`. Latin letters do
///   keep their digits (`covid19`, `mp3`, `2010s`);
/// - numbers keep a decimal point between digits (`3.5`, `٣٫٥` → `3.5`) and
///   drop a thousands comma followed by exactly three digits (`1,000`,
///   `١٬٥٠٠` → `1000`, `1500`); `35%` → `35`; Arabic and ASCII commas,
///   semicolons, colons, slashes and hyphens all separate (`2010،2011`,
///   `10:30`, `2024-05-01`, `covid-19`, `my-article-slug`);
/// - single Latin letters joined by dots are an acronym: `U.S.` → `us`,
///   `e.g.` → `eg`; other dots separate (`example.com` → `example`, `com`);
/// - in Latin words an apostrophe before a final `s` is a possessive and is
///   dropped with the `s` (`Obama's` → `obama`); any other apostrophe inside a
///   word is removed (`don't` → `dont`, `O'Neill` → `oneill`).
///
/// ```
/// use warraq_text::analysis::tokens;
/// let text = "قال «الرئيس»: ٣٫٥% في 2010؟";
/// let words: Vec<_> = tokens(text).into_iter().map(|t| t.text).collect();
/// assert_eq!(words, ["قال", "الرءيس", "3.5", "في", "2010"]);
/// let t = &tokens(text)[1];
/// assert_eq!(&text[t.start..t.end], "الرئيس");
/// ```
///
/// # Panics
///
/// On a text of 4 GiB or more (offsets are kept as `u32`).
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    Tokenizer::default().run(text, |t| out.push(t.to_token()));
    out
}

/// Reusable buffers for tokenisation.
#[derive(Default, Debug)]
pub(crate) struct Tokenizer {
    normalizer: Normalizer,
    norm: String,
    spans: Vec<Span>,
    chars: Vec<char>,
    word: String,
}

impl Tokenizer {
    pub(crate) fn run(&mut self, text: &str, mut f: impl FnMut(TokenRef<'_>)) {
        let Tokenizer {
            normalizer,
            norm,
            spans,
            chars,
            word,
        } = self;
        let identity = normalizer.run(text, norm, Some(spans));
        let mut cut = Cutter {
            spans: if identity { None } else { Some(spans) },
            first: 0,
            byte: 0,
            word,
            position: 0,
        };
        let mut char_index = 0;
        for (byte, segment) in norm.split_word_bound_indices() {
            let first = char_index;
            if !segment.chars().any(alphanumeric) {
                char_index += segment.chars().count();
                continue;
            }
            chars.clear();
            chars.extend(segment.chars());
            char_index += chars.len();
            cut.first = first;
            cut.byte = byte;
            cut.segment(chars, &mut f);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Arabic,
    Digit,
    Mark,
    Letter,
    Dot,
    Comma,
    Apostrophe,
    Other,
}

/// The Arabic block (U+0600–U+06FF), classified once: the general Unicode
/// lookups behind `class` and `char::is_alphanumeric` were the largest part
/// of analysing Arabic text (measured while indexing an imported archive).
struct ArabicBlock {
    class: [Class; 256],
    alphanumeric: [bool; 256],
}

fn arabic_block() -> &'static ArabicBlock {
    static BLOCK: std::sync::OnceLock<ArabicBlock> = std::sync::OnceLock::new();
    BLOCK.get_or_init(|| {
        let mut block = ArabicBlock {
            class: [Class::Other; 256],
            alphanumeric: [false; 256],
        };
        for (i, c) in ('\u{0600}'..='\u{06FF}').enumerate() {
            block.class[i] = general_class(c);
            block.alphanumeric[i] = c.is_alphanumeric();
        }
        block
    })
}

/// `char::is_alphanumeric`, from a table for Arabic.
fn alphanumeric(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        '\u{0600}'..='\u{06FF}' => arabic_block().alphanumeric[c as usize - 0x600],
        _ => c.is_alphanumeric(),
    }
}

fn class(c: char) -> Class {
    if c.is_ascii() {
        return match c {
            '0'..='9' => Class::Digit,
            'a'..='z' | 'A'..='Z' => Class::Letter,
            '.' => Class::Dot,
            ',' => Class::Comma,
            '\'' => Class::Apostrophe,
            _ => Class::Other,
        };
    }
    if ('\u{0600}'..='\u{06FF}').contains(&c) {
        return arabic_block().class[c as usize - 0x600];
    }
    general_class(c)
}

fn general_class(c: char) -> Class {
    if is_combining_mark(c) {
        Class::Mark
    } else if c.is_alphanumeric() {
        if is_arabic_script(c) {
            Class::Arabic
        } else {
            Class::Letter
        }
    } else if matches!(c, '\u{2018}' | '\u{2019}') {
        Class::Apostrophe
    } else {
        Class::Other
    }
}

fn is_arabic_script(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{0870}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}')
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c,
            '\u{00C0}'..='\u{024F}'
            | '\u{0250}'..='\u{02AF}'
            | '\u{1E00}'..='\u{1EFF}'
            | '\u{2C60}'..='\u{2C7F}'
            | '\u{A720}'..='\u{A7FF}'
            | '\u{AB30}'..='\u{AB6F}')
        || is_combining_mark(c)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Arabic,
    Number,
    Word,
}

struct Current {
    kind: Kind,
    /// Index (in the segment) of the first and last char that went in.
    first: usize,
    last: usize,
    latin: bool,
    /// A thousands separator was dropped: later groups need exactly three
    /// digits, which the comma check guarantees.
    thousands: bool,
    /// A decimal point went in: no thousands separator may follow.
    dot: bool,
}

/// Cuts UAX #29 segments of the normalised text into tokens.
struct Cutter<'a> {
    /// Per-char spans of the normalised text, or `None` when it is aligned
    /// byte-for-byte with the original (ASCII input).
    spans: Option<&'a [Span]>,
    /// Char index (in the normalised text) of the segment's first char.
    first: usize,
    /// Byte offset (in the normalised text) of the segment's first char.
    byte: usize,
    word: &'a mut String,
    position: usize,
}

impl Cutter<'_> {
    fn segment(&mut self, chars: &[char], f: &mut impl FnMut(TokenRef<'_>)) {
        let at = |i: usize| chars.get(i).copied().map(class);
        let mut cur: Option<Current> = None;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match class(c) {
                Class::Arabic => {
                    if cur.as_ref().is_some_and(|t| t.kind != Kind::Arabic) {
                        self.flush(&mut cur, f);
                    }
                    self.push(&mut cur, Kind::Arabic, i, c);
                }
                Class::Digit => {
                    if cur.as_ref().is_some_and(|t| t.kind == Kind::Arabic) {
                        self.flush(&mut cur, f);
                    }
                    self.push(&mut cur, Kind::Number, i, c);
                }
                Class::Letter => {
                    if cur.as_ref().is_some_and(|t| t.kind == Kind::Arabic) {
                        self.flush(&mut cur, f);
                    }
                    if cur.is_none() {
                        if let Some(end) = acronym_end(chars, i) {
                            for j in (i..end).step_by(2) {
                                self.push(&mut cur, Kind::Word, j, chars[j]);
                            }
                            self.flush(&mut cur, f);
                            i = end;
                            continue;
                        }
                    }
                    if let Some(t) = cur.as_mut() {
                        t.kind = Kind::Word;
                    }
                    self.push(&mut cur, Kind::Word, i, c);
                }
                Class::Mark => {
                    // A mark attaches to the letter before it; numbers and
                    // tokens not yet started take none.
                    if let Some(t) = cur.as_mut().filter(|t| t.kind != Kind::Number) {
                        t.last = i;
                        t.latin &= is_latin(c);
                        self.word.push(c);
                    }
                }
                Class::Dot => {
                    let decimal = cur
                        .as_ref()
                        .is_some_and(|t| t.kind == Kind::Number && t.last + 1 == i)
                        && at(i + 1) == Some(Class::Digit);
                    if decimal {
                        if let Some(t) = cur.as_mut() {
                            t.dot = true;
                        }
                        self.word.push('.');
                    } else {
                        self.flush(&mut cur, f);
                    }
                }
                Class::Comma => {
                    let thousands = cur.as_ref().is_some_and(|t| {
                        t.kind == Kind::Number
                            && !t.dot
                            && t.last + 1 == i
                            && (t.thousands || self.word.len() <= 3)
                    }) && (1..=3).all(|k| at(i + k) == Some(Class::Digit))
                        && at(i + 4) != Some(Class::Digit);
                    if thousands {
                        if let Some(t) = cur.as_mut() {
                            t.thousands = true;
                        }
                    } else {
                        self.flush(&mut cur, f);
                    }
                }
                Class::Apostrophe => {
                    let in_word = cur.as_ref().is_some_and(|t| t.kind == Kind::Word);
                    if in_word && at(i + 1) == Some(Class::Letter) {
                        // An Arabic letter after the s does not continue the
                        // word (scripts never share a token), so it counts
                        // as the end, like in `acronym_end`.
                        let possessive = chars[i + 1] == 's'
                            && !matches!(
                                at(i + 2),
                                Some(Class::Letter | Class::Digit | Class::Mark)
                            );
                        if possessive {
                            self.flush(&mut cur, f);
                            i += 2;
                            continue;
                        }
                        // Joined: the apostrophe is simply left out.
                    } else {
                        self.flush(&mut cur, f);
                    }
                }
                Class::Other => self.flush(&mut cur, f),
            }
            i += 1;
        }
        self.flush(&mut cur, f);
    }

    fn push(&mut self, cur: &mut Option<Current>, kind: Kind, i: usize, c: char) {
        match cur {
            Some(t) => {
                t.last = i;
                t.latin &= is_latin(c);
            }
            None => {
                self.word.clear();
                *cur = Some(Current {
                    kind,
                    first: i,
                    last: i,
                    latin: is_latin(c),
                    thousands: false,
                    dot: false,
                });
            }
        }
        self.word.push(c);
    }

    fn flush(&mut self, cur: &mut Option<Current>, f: &mut impl FnMut(TokenRef<'_>)) {
        let Some(t) = cur.take() else { return };
        let (start, end) = match self.spans {
            Some(spans) => (
                spans[self.first + t.first].start as usize,
                spans[self.first + t.last].end as usize,
            ),
            // Identity: the text is ASCII, one byte per char.
            None => (self.byte + t.first, self.byte + t.last + 1),
        };
        let kind = match t.kind {
            Kind::Arabic => TokenKind::Arabic,
            Kind::Number => TokenKind::Number,
            Kind::Word if t.latin => TokenKind::Latin,
            Kind::Word => TokenKind::Other,
        };
        f(TokenRef {
            text: self.word,
            start,
            end,
            position: self.position,
            kind,
        });
        self.position += 1;
    }
}

/// If single non-Arabic letters separated by dots start at `i` (`u.s.`,
/// `e.g`), returns the index just past the last letter or its dot.
fn acronym_end(chars: &[char], i: usize) -> Option<usize> {
    let single_letter = |j: usize| {
        chars.get(j).is_some_and(|&c| class(c) == Class::Letter)
            && !chars
                .get(j + 1)
                .is_some_and(|&c| matches!(class(c), Class::Letter | Class::Digit | Class::Mark))
    };
    let mut j = i;
    let mut letters = 0;
    while single_letter(j) {
        letters += 1;
        j += 1;
        if chars.get(j) == Some(&'.') {
            j += 1;
        } else {
            break;
        }
    }
    (letters >= 2).then_some(j)
}
