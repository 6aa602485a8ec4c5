//! Character-level normalisation for search: see [`normalize`].

use unicode_normalization::char::{
    canonical_combining_class, decompose_compatible, is_combining_mark,
};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;

/// Normalises text for search and comparison, keeping its spaces and
/// punctuation.
///
/// The result is what [`tokens`](super::tokens) cuts into words; two strings
/// that a reader would call "the same words written differently" normalise to
/// the same string. The function is idempotent:
/// `normalize(&normalize(x)) == normalize(x)`.
///
/// The rules, applied in this order:
///
/// 1. **Compatibility forms** of the Arabic presentation blocks
///    (U+FB50–U+FDFF, U+FE70–U+FEFE: the contextual letter shapes and
///    ligatures that PDF copy-paste produces, e.g. `ﻻ` → `لا`, `ﷲ` → `الله`),
///    the Latin ligatures U+FB00–U+FB06 (`ﬁ` → `fi`) and fullwidth ASCII
///    (U+FF01–U+FF5E) are replaced by their compatibility decomposition.
///    No other NFKC mapping is applied (`½`, `²`, `™` stay).
/// 2. **Unicode NFC**, so a decomposed sequence (alef + combining hamza
///    above U+0654) is treated exactly like the precomposed letter (أ).
///    ى or ی followed by U+0654 (ئ typed on its dotless seat, which NFC
///    does not compose) is read as ئ too.
/// 3. **Arabic letters** (Lucene's `ArabicNormalizer`, plus more):
///    - أ إ آ (U+0623 U+0625 U+0622), ٱ wasla (U+0671) and the rare
///      ٲ ٳ ٵ (U+0672 U+0673 U+0675) → ا;
///    - ى alef maqsura (U+0649) and Persian ی (U+06CC) → ي;
///    - ة teh marbuta (U+0629), ۀ (U+06C0) and ۃ (U+06C3) → ه;
///    - Persian keheh ک (U+06A9) → ك;
///    - **ؤ (U+0624) and ئ (U+0626)**, and the rare ٶ ٸ (U+0676 U+0678),
///      → ء (U+0621), see below.
/// 4. **Removed**: tatweel ـ (U+0640); harakat, tanween, shadda, sukun and
///    the other Arabic combining marks U+064B–U+065F (including the
///    combining madda/hamza U+0653–U+0655 when they have no letter to
///    compose with); superscript alef U+0670; the small honorific signs
///    U+0610–U+061A; the Quranic annotation marks U+06D6–U+06DC,
///    U+06DF–U+06E4, U+06E7–U+06E8, U+06EA–U+06ED and U+08D3–U+08FF (except
///    U+08E2, a format character); and the invisible format characters that
///    pasted Arabic text is full of: soft hyphen U+00AD, ZWNJ/ZWJ
///    U+200C–U+200D, LRM/RLM U+200E–U+200F, ALM U+061C, the bidi embeddings
///    and isolates U+202A–U+202E and U+2066–U+2069, U+2060–U+2064 and the
///    BOM U+FEFF. (U+200B ZERO WIDTH SPACE is kept: it separates words.)
/// 5. **Digits**: Arabic-Indic ٠–٩ (U+0660–U+0669) and Eastern
///    Arabic-Indic/Persian ۰–۹ (U+06F0–U+06F9) → ASCII `0`–`9`; the Arabic
///    decimal separator ٫ (U+066B) → `.`, thousands separator ٬ (U+066C)
///    → `,` and percent sign ٪ (U+066A) → `%`.
/// 6. **Lower case** for every cased script (Latin, Greek, Cyrillic, …),
///    using Unicode's simple per-character lower-case mapping.
///
/// Then NFC again if the removals left a sequence that composes.
///
/// ## Why ؤ and ئ become ء
///
/// Lucene leaves ؤ and ئ alone; many Arabic search systems map ؤ→و and
/// ئ→ي. We fold both *seats* to the bare hamza ء instead, because the
/// variation that actually occurs in news copy is the choice of seat, not
/// the omission of the hamza: Egyptian and Levantine/Gulf orthographies
/// write مسئول/مسؤول, شئون/شؤون, مسئولية/مسؤولية, رءوس/رؤوس for the same
/// words. Folding to ء makes each pair identical (مسءول, شءون, رءوس), while
/// ؤ→و / ئ→ي would still leave مسوول ≠ مسيول. It also keeps ؤ and ئ apart
/// from the plain letters, so real minimal pairs stay distinct: رؤية
/// (vision) ≠ روية (deliberation), لئن (if indeed) ≠ لين (soft). The cost is
/// recall for users who type a bare و/ي in place of the seated hamza, which
/// is rare because ؤ and ئ have their own keys on Arabic keyboards.
/// [`analyze`](super::analyze) additionally folds a word-final يء (which
/// is also what ىء and يئ become here) to ء, so شيء/شئ and مبادئ/مبادىء
/// meet; that rule is word-level and lives in the analyser, not here.
///
/// ```
/// use warraq_text::analysis::normalize;
/// assert_eq!(normalize("إِسْلَامٌ"), "اسلام");
/// assert_eq!(normalize("الطـــاقة"), "الطاقه");
/// assert_eq!(normalize("عام ٢٠١٠، “Hello”"), "عام 2010، “hello”");
/// assert_eq!(normalize("مسؤول / مسئول"), "مسءول / مسءول");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    Normalizer::default().run(text, &mut out, None);
    out
}

/// The byte range of the source text that one normalised `char` came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: u32,
    pub end: u32,
}

/// Reusable buffers for normalisation.
#[derive(Default, Debug)]
pub(crate) struct Normalizer {
    cluster: Vec<char>,
    regroup: String,
    regroup_spans: Vec<Span>,
}

/// Whether `n` joins the cluster of the char before it (a combining mark).
fn joins_cluster(n: char) -> bool {
    match n {
        _ if n.is_ascii() => false,
        '\u{0600}'..='\u{06FF}' => arabic_block()[n as usize - 0x600].0,
        _ => is_combining_mark(n) || canonical_combining_class(n) != 0,
    }
}

/// Whether `c`, alone, is already NFC and no compatibility target: mapped
/// without decomposing.
fn maps_alone(c: char) -> bool {
    match c {
        '\u{0600}'..='\u{06FF}' => arabic_block()[c as usize - 0x600].1,
        _ => !is_compat_target(c) && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes,
    }
}

/// [`joins_cluster`] and [`maps_alone`] of the Arabic block, computed once:
/// the general Unicode lookups were a large part of analysing Arabic text.
fn arabic_block() -> &'static [(bool, bool); 256] {
    static BLOCK: std::sync::OnceLock<[(bool, bool); 256]> = std::sync::OnceLock::new();
    BLOCK.get_or_init(|| {
        let mut block = [(false, false); 256];
        for (i, c) in ('\u{0600}'..='\u{06FF}').enumerate() {
            block[i] = (
                is_combining_mark(c) || canonical_combining_class(c) != 0,
                !is_compat_target(c) && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes,
            );
        }
        block
    })
}

impl Normalizer {
    /// Normalises `text` into `out` (cleared first). When `spans` is given it
    /// receives one [`Span`] per `char` of `out`, in order, unless the whole
    /// text is ASCII: then `spans` is left empty and the output is
    /// byte-for-byte aligned with the input (the caller can use identity
    /// offsets). Returns `true` in that identity case.
    pub(crate) fn run(
        &mut self,
        text: &str,
        out: &mut String,
        mut spans: Option<&mut Vec<Span>>,
    ) -> bool {
        out.clear();
        if let Some(s) = spans.as_deref_mut() {
            s.clear();
        }
        if text.is_ascii() {
            out.push_str(text);
            out.make_ascii_lowercase();
            return true;
        }
        assert!(
            spans.is_none() || u32::try_from(text.len()).is_ok(),
            "texts of 4 GiB or more cannot be tokenised"
        );

        let mut iter = text.char_indices().peekable();
        while let Some((start, c)) = iter.next() {
            // A cluster: one char and the combining marks that follow it.
            // NFC never composes across such clusters except in rare cases
            // (Hangul jamo, a removed format char between base and mark),
            // which the final check below repairs.
            let mut end = start + c.len_utf8();
            let mut single = true;
            while let Some(&(i, n)) = iter.peek() {
                if joins_cluster(n) {
                    if single {
                        self.cluster.clear();
                        push_compat(c, &mut self.cluster);
                        single = false;
                    }
                    push_compat(n, &mut self.cluster);
                    end = i + n.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            let span = Span {
                start: start as u32,
                end: end as u32,
            };
            let mut emit = |m: char| {
                out.push(m);
                if let Some(s) = spans.as_deref_mut() {
                    s.push(span);
                }
            };
            if single {
                if c.is_ascii() {
                    emit(c.to_ascii_lowercase());
                    continue;
                }
                if maps_alone(c) {
                    map_char(c, &mut emit);
                    continue;
                }
                self.cluster.clear();
                push_compat(c, &mut self.cluster);
            }
            // ى/ی + combining hamza above is ئ typed on its dotless seat;
            // NFC only composes ئ from ي + hamza, so make the seat ي.
            if matches!(self.cluster.first(), Some('\u{0649}' | '\u{06CC}'))
                && self.cluster.contains(&'\u{0654}')
            {
                self.cluster[0] = '\u{064A}';
            }
            for d in self.cluster.iter().copied().nfc() {
                map_char(d, &mut emit);
            }
        }

        let needs_nfc = match is_nfc_quick(out.chars()) {
            IsNormalized::Yes => false,
            IsNormalized::No => true,
            IsNormalized::Maybe => !out.chars().eq(out.chars().nfc()),
        };
        if needs_nfc {
            self.recompose(out, spans);
        }
        false
    }

    /// Applies NFC to `out` one grapheme cluster at a time, merging the spans
    /// of the chars that compose.
    fn recompose(&mut self, out: &mut String, spans: Option<&mut Vec<Span>>) {
        self.regroup.clear();
        self.regroup_spans.clear();
        let mut k = 0;
        for g in out.graphemes(true) {
            let n = g.chars().count();
            if let Some(s) = spans.as_deref() {
                let merged = s[k..k + n]
                    .iter()
                    .copied()
                    .reduce(|a, b| Span {
                        start: a.start.min(b.start),
                        end: a.end.max(b.end),
                    })
                    .expect("grapheme clusters are never empty");
                for d in g.chars().nfc() {
                    self.regroup.push(d);
                    self.regroup_spans.push(merged);
                }
            } else {
                self.regroup.extend(g.chars().nfc());
            }
            k += n;
        }
        std::mem::swap(out, &mut self.regroup);
        if let Some(s) = spans {
            std::mem::swap(s, &mut self.regroup_spans);
        }
    }
}

/// Characters replaced by their compatibility decomposition (rule 1).
fn is_compat_target(c: char) -> bool {
    matches!(c,
        '\u{FB00}'..='\u{FB06}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFE}'
        | '\u{FF01}'..='\u{FF5E}')
}

fn push_compat(c: char, buf: &mut Vec<char>) {
    if is_compat_target(c) {
        decompose_compatible(c, |d| buf.push(d));
    } else {
        buf.push(c);
    }
}

/// Rules 3 to 6 for one (NFC) character.
#[inline]
fn map_char(c: char, emit: &mut impl FnMut(char)) {
    match c {
        '\0'..='\x7f' => emit(c.to_ascii_lowercase()),
        // Alef with hamza above/below, madda, wasla, wavy/high hamza.
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' | '\u{0672}' | '\u{0673}'
        | '\u{0675}' => emit('\u{0627}'),
        // Hamza seats ؤ ئ ٶ ٸ → ء (see the doc comment of `normalize`).
        '\u{0624}' | '\u{0626}' | '\u{0676}' | '\u{0678}' => emit('\u{0621}'),
        // Alef maqsura, Farsi yeh → yeh.
        '\u{0649}' | '\u{06CC}' => emit('\u{064A}'),
        // Teh marbuta (and its Persian/Urdu forms) → heh.
        '\u{0629}' | '\u{06C0}' | '\u{06C3}' => emit('\u{0647}'),
        // Keheh → kaf.
        '\u{06A9}' => emit('\u{0643}'),
        '\u{0660}'..='\u{0669}' => emit(ascii_digit(c as u32 - 0x0660)),
        '\u{06F0}'..='\u{06F9}' => emit(ascii_digit(c as u32 - 0x06F0)),
        '\u{066B}' => emit('.'),
        '\u{066C}' => emit(','),
        '\u{066A}' => emit('%'),
        // Tatweel, harakat and other Arabic marks.
        '\u{0640}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{0610}'..='\u{061A}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E4}'
        | '\u{06E7}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        | '\u{08D3}'..='\u{08E1}'
        | '\u{08E3}'..='\u{08FF}' => {}
        // Invisible format characters.
        '\u{00AD}'
        | '\u{061C}'
        | '\u{200C}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}' => {}
        // The rest of the Arabic block has no case.
        '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' => emit(c),
        _ => c.to_lowercase().for_each(emit),
    }
}

fn ascii_digit(n: u32) -> char {
    char::from_digit(n, 10).expect("0..=9")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans_of(text: &str) -> (String, Vec<Span>) {
        let mut out = String::new();
        let mut spans = Vec::new();
        let identity = Normalizer::default().run(text, &mut out, Some(&mut spans));
        if identity {
            spans = (0..text.len() as u32)
                .map(|i| Span {
                    start: i,
                    end: i + 1,
                })
                .collect();
        }
        (out, spans)
    }

    #[test]
    fn spans_cover_clusters() {
        // ب + fatha: both chars come from bytes 0..4.
        let (out, spans) = spans_of("بَت");
        assert_eq!(out, "بت");
        assert_eq!(
            spans,
            [Span { start: 0, end: 4 }, Span { start: 4, end: 6 }]
        );
    }

    #[test]
    fn spans_one_per_output_char() {
        for text in ["ﷺ x", "İstanbul", "a\u{200E}\u{301}b", "ᄀ\u{1161}", "ABC"] {
            let (out, spans) = spans_of(text);
            assert_eq!(out.chars().count(), spans.len(), "{text:?}");
            assert_eq!(out, normalize(text));
        }
    }

    #[test]
    fn removed_format_char_between_base_and_mark_recomposes() {
        // a, LRM, combining acute: the LRM goes, then a + ́ composes to á.
        assert_eq!(normalize("a\u{200E}\u{301}"), "á");
        let (_, spans) = spans_of("a\u{200E}\u{301}");
        assert_eq!(spans, [Span { start: 0, end: 6 }]);
    }
}
