//! warraq's text analysis as a tantivy tokenizer, so that the index, the
//! queries, the snippets and related articles all see the same terms: Arabic
//! normalised and lightly stemmed, Latin lower-cased and Porter-stemmed, stop
//! words dropped, offsets pointing into the original text for highlighting.

use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer};
use warraq_text::analysis::{Analyzer, AnalyzerOptions, ArabicStemmer, Lang};

/// The Arabic stemming choices the evaluation compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stemming {
    /// warraq's light stemmer (the default: see bench/search-eval).
    Light,
    /// Larkey's light10, for comparison.
    Light10,
    /// tantivy's Snowball Arabic stemmer after warraq's normalisation.
    Snowball,
    /// Normalisation only.
    None,
}

impl Stemming {
    pub const ALL: [Stemming; 4] = [
        Stemming::Light,
        Stemming::Light10,
        Stemming::Snowball,
        Stemming::None,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stemming::Light => "light",
            Stemming::Light10 => "light10",
            Stemming::Snowball => "snowball",
            Stemming::None => "none",
        }
    }

    /// The analyser registered as `warraq` in the index.
    pub fn analyzer(self) -> TextAnalyzer {
        let arabic_stemmer = match self {
            Stemming::Light => ArabicStemmer::Light,
            Stemming::Light10 => ArabicStemmer::Light10,
            Stemming::Snowball | Stemming::None => ArabicStemmer::None,
        };
        let tokenizer = WarraqTokenizer {
            opts: AnalyzerOptions {
                arabic_stemmer,
                ..AnalyzerOptions::default()
            },
            tokens: Vec::new(),
        };
        match self {
            Stemming::Snowball => TextAnalyzer::builder(tokenizer)
                .filter(Stemmer::new(Language::Arabic))
                .build(),
            _ => TextAnalyzer::from(tokenizer),
        }
    }
}

#[derive(Clone)]
struct WarraqTokenizer {
    opts: AnalyzerOptions,
    tokens: Vec<Token>,
}

impl Tokenizer for WarraqTokenizer {
    type TokenStream<'a> = Stream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Stream<'a> {
        self.tokens.clear();
        let tokens = &mut self.tokens;
        // The analyser picks rules by script, word by word, so one tokenizer
        // serves mixed Arabic/English text.
        Analyzer::new(self.opts).for_each_term(text, Lang::Ar, |t| {
            tokens.push(Token {
                offset_from: t.start,
                offset_to: t.end,
                position: t.position,
                text: t.text.to_string(),
                position_length: 1,
            })
        });
        Stream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

pub struct Stream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl TokenStream for Stream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(stemming: Stemming, text: &str) -> Vec<String> {
        let mut analyzer = stemming.analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn variants_meet_in_the_index() {
        for stemming in Stemming::ALL {
            assert_eq!(
                terms(stemming, "أزمة المياه ٢٠١٠"),
                terms(stemming, "ازمه الميـاه 2010"),
                "{stemming:?}"
            );
        }
        assert_eq!(
            terms(Stemming::Light, "وبالكتاب"),
            terms(Stemming::Light, "كتاب")
        );
    }

    #[test]
    fn offsets_point_into_the_original() {
        let text = "قال “الوزير” إنّ";
        let mut analyzer = Stemming::Light.analyzer();
        let mut stream = analyzer.token_stream(text);
        assert!(stream.advance() && stream.advance());
        let t = stream.token();
        assert_eq!(&text[t.offset_from..t.offset_to], "الوزير");
    }
}
