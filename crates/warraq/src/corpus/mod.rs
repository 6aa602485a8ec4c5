//! A synthetic corpus for scale tests of search: news-like articles in
//! Arabic (or English), as many as asked, the same ones for the same seed.
//!
//! ```ignore
//! let articles = Generator::new(Lang::Ar, 42, authors, sections, Timestamp::now())
//!     .take(100_000);
//! ```
//!
//! The text is built from word lists and sentence templates written for
//! warraq (`ar_words.txt`, `ar_templates.txt`, `en_words.txt`,
//! `en_templates.txt`, compiled in). Each article has a topic (water,
//! energy, prices, elections, health…) whose words it draws from more often
//! than the general ones, a main city (real), and a cast of invented people
//! and organisations that recur through it: first mention with a role and a
//! full name, later ones by family name. Within every list, words are drawn
//! with a Zipf-like law (the first entries often, most rarely), so term
//! statistics look like a newsroom's. Arabic verbs and pronouns agree with
//! the gender of their subject, counted nouns take the form their number
//! asks for (3 أشخاص، 15 شخصاً، 300 شخص), و ب ل attach to the next word
//! (ل + ال → لل), and about one Arabic article in five writes its numbers
//! in Arabic-Indic digits (١٬٤٠٠، ٣٫٥٪).
//!
//! Article `i` depends only on the seed and `i`, not on the articles before
//! it. In a release build, 100,000 Arabic articles (about 50 million words)
//! take about two seconds.

mod wxr;

use std::ops::RangeInclusive;

use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::model::{Lang, NewArticle, Status};

pub use wxr::write_wxr;

const AR_WORDS: &str = include_str!("ar_words.txt");
const AR_TEMPLATES: &str = include_str!("ar_templates.txt");
const EN_WORDS: &str = include_str!("en_words.txt");
const EN_TEMPLATES: &str = include_str!("en_templates.txt");

/// Lengths in words (runs of non-space characters, HTML tags left out).
const HEADLINE_WORDS: RangeInclusive<usize> = 6..=14;
const STANDFIRST_WORDS: RangeInclusive<usize> = 15..=30;
const BODY_WORDS: RangeInclusive<usize> = 250..=700;
const PARAGRAPHS: RangeInclusive<usize> = 4..=10;
/// The body length aimed at; the last sentence may run past it, and the
/// top leaves room for that below [`BODY_WORDS`]' end.
const BODY_TARGET: RangeInclusive<usize> = 260..=650;

/// Articles are published over the five years (1,826 days) before `now`.
const SPAN_SECONDS: i64 = 1826 * 86_400;

/// Weight of the entry of rank `r` (from 0) in a list: `1 / (r + offset)`.
/// Words use [`WORDS`]; names of people, organisations, cities and the
/// newsroom's authors and sections a flatter law, [`NAMES`], so that no
/// single name is in a quarter of the articles.
const WORDS: f64 = 1.0;
const NAMES: f64 = 5.0;

/// An endless, deterministic stream of synthetic published articles.
///
/// Take as many as needed: `Generator::new(..).take(n)`.
pub struct Generator {
    lang: Lang,
    seed: u64,
    index: u64,
    lex: Lexicon,
    authors: Vec<String>,
    author_cdf: Vec<f64>,
    sections: Vec<String>,
    section_cdf: Vec<f64>,
    /// Per topic: indices into `sections` of the slugs the topic prefers.
    topic_sections: Vec<Vec<usize>>,
    now: Timestamp,
}

impl Generator {
    /// Deterministic for a seed. `authors` and `sections` are slugs that
    /// exist in the database.
    ///
    /// Every article has one or two of `authors` (the first ones more
    /// often) and one or two of `sections`, its main section matching its
    /// topic when the newsroom has such a slug (`politics`, `economy`,
    /// `society`, `culture`, `investigations`). It is published at a
    /// moment of the five years before `now`. Slugs are the first words of
    /// the headline and the article's number from 1: `أزمة-المياه-في-إربد-17`.
    ///
    /// # Panics
    ///
    /// If `authors` or `sections` is empty: an article needs both.
    pub fn new(
        lang: Lang,
        seed: u64,
        authors: Vec<String>,
        sections: Vec<String>,
        now: Timestamp,
    ) -> Self {
        assert!(
            !authors.is_empty(),
            "the generator needs at least one author slug"
        );
        assert!(
            !sections.is_empty(),
            "the generator needs at least one section slug"
        );
        let lex = match lang {
            Lang::Ar => Lexicon::parse(AR_WORDS, AR_TEMPLATES),
            Lang::En => Lexicon::parse(EN_WORDS, EN_TEMPLATES),
        };
        let topic_sections = lex
            .topics
            .iter()
            .map(|topic| {
                topic
                    .sections
                    .iter()
                    .filter_map(|want| sections.iter().position(|s| s == want))
                    .collect()
            })
            .collect();
        Self {
            lang,
            seed,
            index: 0,
            author_cdf: zipf_cdf(authors.len(), NAMES),
            section_cdf: zipf_cdf(sections.len(), NAMES),
            authors,
            sections,
            topic_sections,
            lex,
            now,
        }
    }
}

impl Iterator for Generator {
    type Item = NewArticle;

    fn next(&mut self) -> Option<NewArticle> {
        self.index += 1;
        let mut rng = Rng(mix(mix(self.seed) ^ self.index));

        let end = self.now.as_second();
        let start = end
            .saturating_sub(SPAN_SECONDS)
            .max(Timestamp::MIN.as_second());
        let second = end - 1 - rng.below((end - start).max(1) as u64) as i64;
        let published_at = Timestamp::from_second(second).unwrap_or(self.now);
        let updated_at = if rng.chance(0.6) {
            published_at
        } else {
            let later = rng.range(300, 3 * 86_400) as i64;
            Timestamp::from_second(second.saturating_add(later))
                .unwrap_or(published_at)
                .min(self.now)
                .max(published_at)
        };
        let year = u64::try_from(TimeZone::UTC.to_datetime(published_at).year()).unwrap_or(0);

        let mut art = Article::new(&self.lex, self.lang, rng, year);
        let headline = art.fitted(&self.lex.headline, HEADLINE_WORDS, false);
        let standfirst = art.fitted(&self.lex.standfirst, STANDFIRST_WORDS, true);
        // The body introduces its people again, whatever the headline did.
        for person in &mut art.people {
            person.named = false;
        }
        let body_html = art.body();
        let tag_names = art.tags();
        let (topic, mut rng) = (art.topic, art.rng);

        let first = pick_cdf(&self.author_cdf, &mut rng);
        let mut author_slugs = vec![self.authors[first].clone()];
        if self.authors.len() > 1 && rng.chance(0.3) {
            let second = distinct(first, self.authors.len(), &self.author_cdf, &mut rng);
            author_slugs.push(self.authors[second].clone());
        }
        let preferred = &self.topic_sections[topic];
        let main = if !preferred.is_empty() && rng.chance(0.85) {
            preferred[rng.index(preferred.len())]
        } else {
            pick_cdf(&self.section_cdf, &mut rng)
        };
        let mut section_slugs = vec![self.sections[main].clone()];
        if self.sections.len() > 1 && rng.chance(0.3) {
            let second = distinct(main, self.sections.len(), &self.section_cdf, &mut rng);
            section_slugs.push(self.sections[second].clone());
        }

        Some(NewArticle {
            slug: slug(&headline, self.index),
            lang: self.lang,
            headline,
            standfirst,
            body_html,
            author_slugs,
            section_slugs,
            tag_names,
            cover: None,
            status: Status::Published,
            published_at,
            updated_at,
            seo: Default::default(),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (usize::MAX, None)
    }
}

/// The first five words of the headline, letters and digits only, then
/// `-` and the article's number.
fn slug(headline: &str, index: u64) -> String {
    let mut slug = String::with_capacity(headline.len() / 2 + 8);
    let mut words = 0;
    for word in headline.split_whitespace() {
        let before = slug.len();
        if words > 0 {
            slug.push('-');
        }
        let start = slug.len();
        for c in word.chars() {
            if c.is_alphanumeric() && !is_arabic_mark(c) {
                slug.extend(c.to_lowercase());
            }
        }
        if slug.len() == start {
            slug.truncate(before);
            continue;
        }
        words += 1;
        if words == 5 {
            break;
        }
    }
    if !slug.is_empty() {
        slug.push('-');
    }
    push_digits(&mut slug, index, None, false);
    slug
}

/// Harakat, superscript alef and tatweel.
fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// Another index than `not` (when there is one), drawn from `cdf`.
fn distinct(not: usize, len: usize, cdf: &[f64], rng: &mut Rng) -> usize {
    for _ in 0..16 {
        let i = pick_cdf(cdf, rng);
        if i != not {
            return i;
        }
    }
    (not + 1) % len
}

// ---------------------------------------------------------------------------
// Randomness

/// splitmix64: tiny, fast and good enough for text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `0..len` (`len` > 0): an index.
    fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// splitmix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Cumulative Zipf-like weights of `len` ranks, ending at 1.
fn zipf_cdf(len: usize, offset: f64) -> Vec<f64> {
    let mut cdf = Vec::with_capacity(len);
    let mut sum = 0.0;
    for r in 0..len {
        sum += 1.0 / (r as f64 + offset);
        cdf.push(sum);
    }
    for c in &mut cdf {
        *c /= sum;
    }
    cdf
}

fn pick_cdf(cdf: &[f64], rng: &mut Rng) -> usize {
    let u = rng.unit();
    cdf.partition_point(|&c| c <= u).min(cdf.len() - 1)
}

// ---------------------------------------------------------------------------
// Word lists and templates

#[derive(Clone, Copy)]
struct Entry {
    /// One form, or the forms separated by `|`.
    text: &'static str,
    fem: bool,
}

impl Entry {
    /// Form `i` of the entry, or its last form when it has fewer.
    fn form(self, i: usize) -> &'static str {
        let mut last = self.text;
        for (n, form) in self.text.split('|').enumerate() {
            if n == i {
                return form;
            }
            last = form;
        }
        last
    }
}

/// A list drawn from with a Zipf-like law over its order.
#[derive(Default)]
struct List {
    entries: Vec<Entry>,
    cdf: Vec<f64>,
}

impl List {
    fn finish(&mut self, offset: f64) {
        self.cdf = zipf_cdf(self.entries.len(), offset);
    }

    fn pick(&self, rng: &mut Rng) -> Entry {
        self.entries[pick_cdf(&self.cdf, rng)]
    }
}

/// The lists a topic (or every article) draws from.
#[derive(Default)]
struct Pool {
    noun: List,
    def: List,
    people: List,
    /// Every institution: subjects.
    inst: List,
    /// Feminine (or ungendered) institutions: the `{I}` slot, which
    /// templates follow with feminine verbs.
    inst_fem: List,
    role: List,
    unit: List,
    tag: List,
}

impl Pool {
    fn lists(&mut self) -> [&mut List; 8] {
        [
            &mut self.noun,
            &mut self.def,
            &mut self.people,
            &mut self.inst,
            &mut self.inst_fem,
            &mut self.role,
            &mut self.unit,
            &mut self.tag,
        ]
    }
}

#[derive(Default)]
struct Topic {
    sections: Vec<&'static str>,
    pool: Pool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Noun,
    Def,
    People,
    Subject,
    Say,
    Report,
    Act,
    Pres,
    Person,
    Org,
    Inst,
    City,
    OtherCity,
    Quote,
    ShortQuote,
    Count,
    SameCount,
    Money,
    Percent,
    Year,
    FutureYear,
    Time,
}

impl Slot {
    fn from_char(c: char) -> Option<Slot> {
        Some(match c {
            'N' => Slot::Noun,
            'D' => Slot::Def,
            'U' => Slot::People,
            'S' => Slot::Subject,
            'K' => Slot::Say,
            'R' => Slot::Report,
            'V' => Slot::Act,
            'W' => Slot::Pres,
            'H' => Slot::Person,
            'O' => Slot::Org,
            'I' => Slot::Inst,
            'P' => Slot::City,
            'X' => Slot::OtherCity,
            'Q' => Slot::Quote,
            'q' => Slot::ShortQuote,
            'M' => Slot::Count,
            'm' => Slot::SameCount,
            '$' => Slot::Money,
            'C' => Slot::Percent,
            'Y' => Slot::Year,
            'Z' => Slot::FutureYear,
            'T' => Slot::Time,
            _ => return None,
        })
    }

    /// Slots that need the sentence's subject (its gender).
    fn agrees(self) -> bool {
        matches!(
            self,
            Slot::Subject | Slot::Say | Slot::Report | Slot::Act | Slot::Pres
        )
    }
}

enum Piece {
    Text(&'static str),
    /// Attached letters (و، ب، ل…) and the slot.
    Slot(&'static str, Slot),
    /// Masculine and feminine text, agreeing with the subject.
    Agree(&'static str, &'static str),
}

struct Template {
    pieces: Vec<Piece>,
    /// Whether the template has a subject to choose.
    subject: bool,
    /// Whether it quotes its subject, who must then be a person.
    quotes: bool,
}

impl Template {
    fn parse(line: &'static str) -> Template {
        let mut pieces = Vec::new();
        let mut rest = line;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                pieces.push(Piece::Text(&rest[..open]));
            }
            let close = open
                + rest[open..]
                    .find('}')
                    .unwrap_or_else(|| panic!("unclosed '{{' in template {line:?}"));
            let inner = &rest[open + 1..close];
            if let Some((m, f)) = inner.split_once('|') {
                pieces.push(Piece::Agree(m, f));
            } else {
                let class = inner
                    .chars()
                    .next_back()
                    .unwrap_or_else(|| panic!("empty slot in template {line:?}"));
                let slot = Slot::from_char(class)
                    .unwrap_or_else(|| panic!("unknown slot {inner:?} in template {line:?}"));
                pieces.push(Piece::Slot(&inner[..inner.len() - class.len_utf8()], slot));
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest));
        }
        let subject = pieces.iter().any(|p| match p {
            Piece::Slot(_, slot) => slot.agrees(),
            Piece::Agree(..) => true,
            Piece::Text(_) => false,
        });
        let quotes = pieces
            .iter()
            .any(|p| matches!(p, Piece::Slot(_, Slot::Quote | Slot::ShortQuote)));
        Template {
            pieces,
            subject,
            quotes,
        }
    }
}

/// One language's words and templates.
#[derive(Default)]
struct Lexicon {
    general: Pool,
    topics: Vec<Topic>,
    say: List,
    report: List,
    act: List,
    pres: List,
    city: List,
    first_m: List,
    first_f: List,
    family: List,
    org: List,
    time: List,
    currency: List,
    /// Thousand, million, billion.
    scale: Vec<Entry>,
    headline: Vec<Template>,
    standfirst: Vec<Template>,
    open: Vec<Template>,
    sentence: Vec<Template>,
    quote: Vec<Template>,
    short_quote: Vec<Template>,
}

/// Where the lines being read go.
enum Part {
    General,
    Common,
    Topic,
}

impl Lexicon {
    /// Reads the embedded files; a mistake in them is a bug, so it panics.
    fn parse(words: &'static str, templates: &'static str) -> Lexicon {
        let mut lex = Lexicon::default();
        let mut part = None;
        for line in lines(words) {
            if let Some(heading) = line.strip_prefix("= ") {
                part = Some(match heading.trim() {
                    "general" => Part::General,
                    "common" => Part::Common,
                    h if h.starts_with("topic ") => {
                        lex.topics.push(Topic::default());
                        Part::Topic
                    }
                    h => panic!("unknown word list heading {h:?}"),
                });
                continue;
            }
            let (key, value) = line
                .split_once(':')
                .unwrap_or_else(|| panic!("word list line without a key: {line:?}"));
            let entries = value.split(',').map(str::trim).filter(|e| !e.is_empty());
            let part = part
                .as_ref()
                .unwrap_or_else(|| panic!("word list line before a heading: {line:?}"));
            for text in entries {
                let (text, gender) = gendered(text);
                let entry = Entry {
                    text,
                    fem: gender == Some(true),
                };
                match part {
                    Part::Common => lex.add_common(key, entry),
                    Part::General => add_pool(&mut lex.general, key, entry, gender),
                    Part::Topic => {
                        let topic = lex.topics.last_mut().expect("a topic heading was read");
                        if key == "sections" {
                            topic.sections.push(text);
                        } else {
                            add_pool(&mut topic.pool, key, entry, gender);
                        }
                    }
                }
            }
        }
        for list in lex.general.lists() {
            assert!(!list.entries.is_empty(), "a general word list is empty");
            list.finish(WORDS);
        }
        for topic in &mut lex.topics {
            for list in topic.pool.lists() {
                list.finish(WORDS);
            }
        }
        for (list, offset) in [
            (&mut lex.say, WORDS),
            (&mut lex.report, WORDS),
            (&mut lex.act, WORDS),
            (&mut lex.pres, WORDS),
            (&mut lex.time, WORDS),
            (&mut lex.currency, WORDS),
            (&mut lex.city, NAMES),
            (&mut lex.first_m, NAMES),
            (&mut lex.first_f, NAMES),
            (&mut lex.family, NAMES),
            (&mut lex.org, NAMES),
        ] {
            assert!(!list.entries.is_empty(), "a common word list is empty");
            list.finish(offset);
        }
        assert!(
            lex.scale.len() == 3,
            "scale needs thousand, million, billion"
        );
        assert!(!lex.topics.is_empty(), "no topics");

        let mut kind = None;
        for line in lines(templates) {
            if let Some(heading) = line.strip_prefix('@') {
                kind = Some(match heading {
                    "headline" => &mut lex.headline,
                    "standfirst" => &mut lex.standfirst,
                    "open" => &mut lex.open,
                    "sentence" => &mut lex.sentence,
                    "quote" => &mut lex.quote,
                    "short-quote" => &mut lex.short_quote,
                    h => panic!("unknown template heading {h:?}"),
                });
                continue;
            }
            kind.as_mut()
                .unwrap_or_else(|| panic!("template before a heading: {line:?}"))
                .push(Template::parse(line));
        }
        assert!(
            lex.sentence.len() <= 256,
            "more sentence templates than bits"
        );
        for kind in [
            &lex.headline,
            &lex.standfirst,
            &lex.open,
            &lex.sentence,
            &lex.quote,
            &lex.short_quote,
        ] {
            assert!(!kind.is_empty(), "a template kind is empty");
        }
        lex
    }

    fn add_common(&mut self, key: &str, entry: Entry) {
        let list = match key {
            "say" => &mut self.say,
            "report" => &mut self.report,
            "act" => &mut self.act,
            "pres" => &mut self.pres,
            "city" => &mut self.city,
            "first" if entry.fem => &mut self.first_f,
            "first" => &mut self.first_m,
            "family" => &mut self.family,
            "org" => &mut self.org,
            "time" => &mut self.time,
            "currency" => &mut self.currency,
            "scale" => {
                self.scale.push(entry);
                return;
            }
            k => panic!("unknown common word list {k:?}"),
        };
        list.entries.push(entry);
    }
}

fn add_pool(pool: &mut Pool, key: &str, entry: Entry, gender: Option<bool>) {
    let list = match key {
        "noun" => &mut pool.noun,
        "def" => &mut pool.def,
        "people" => &mut pool.people,
        "inst" => {
            if gender != Some(false) {
                pool.inst_fem.entries.push(entry);
            }
            &mut pool.inst
        }
        "role" => &mut pool.role,
        "unit" => &mut pool.unit,
        "tag" => &mut pool.tag,
        k => panic!("unknown word list {k:?}"),
    };
    list.entries.push(entry);
}

/// "f text" / "m text" → (text, Some(feminine)); unmarked → (text, None).
fn gendered(text: &'static str) -> (&'static str, Option<bool>) {
    if let Some(t) = text.strip_prefix("f ") {
        (t, Some(true))
    } else if let Some(t) = text.strip_prefix("m ") {
        (t, Some(false))
    } else {
        (text, None)
    }
}

/// Non-empty lines that are not comments.
fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

// ---------------------------------------------------------------------------
// One article

struct Person {
    first: &'static str,
    family: &'static str,
    role: Entry,
    fem: bool,
    /// Named once already: later mentions use the family name.
    named: bool,
}

/// Who the current sentence is about.
enum Subject {
    Person(usize),
    Named(&'static str, bool),
}

/// The state of the article being written.
struct Article<'a> {
    lex: &'a Lexicon,
    lang: Lang,
    rng: Rng,
    indic: bool,
    topic: usize,
    topic2: usize,
    city: &'static str,
    currency: &'static str,
    /// Year of publication.
    year: u64,
    people: Vec<Person>,
    orgs: Vec<Entry>,
    subject: Subject,
    /// The noun of the last count, for `{m}`.
    unit: Option<Entry>,
    /// The last `{N}`, until a `{D}` follows it.
    noun: Option<&'static str>,
    /// Which body sentence templates have been used, a bit each.
    used: [u64; 4],
}

impl<'a> Article<'a> {
    fn new(lex: &'a Lexicon, lang: Lang, mut rng: Rng, year: u64) -> Article<'a> {
        let topics = lex.topics.len() as u64;
        let topic = rng.below(topics) as usize;
        let topic2 = if topics > 1 {
            (topic + 1 + rng.below(topics - 1) as usize) % topics as usize
        } else {
            topic
        };
        let city = lex.city.pick(&mut rng).text;
        let currency = lex.currency.pick(&mut rng).text;
        let indic = lang == Lang::Ar && rng.chance(0.2);
        let mut art = Article {
            lex,
            lang,
            rng,
            indic,
            topic,
            topic2,
            city,
            currency,
            year,
            people: Vec::with_capacity(4),
            orgs: Vec::with_capacity(2),
            subject: Subject::Person(0),
            unit: None,
            noun: None,
            used: [0; 4],
        };
        for _ in 0..art.rng.range(2, 4) {
            let fem = art.rng.chance(0.5);
            let first = if fem { &lex.first_f } else { &lex.first_m };
            let first = first.pick(&mut art.rng).text;
            let mut family = lex.family.pick(&mut art.rng).text;
            for _ in 0..8 {
                if !art.people.iter().any(|p| p.family == family) {
                    break;
                }
                family = lex.family.pick(&mut art.rng).text;
            }
            let role = art.pool_pick(|p| &p.role);
            art.people.push(Person {
                first,
                family,
                role,
                fem,
                named: false,
            });
        }
        for _ in 0..art.rng.range(1, 2) {
            let org = lex.org.pick(&mut art.rng);
            if !art.orgs.iter().any(|o| o.text == org.text) {
                art.orgs.push(org);
            }
        }
        art
    }

    /// An entry of one of the pools' lists: the topic's half of the time,
    /// the second topic's sometimes, the general list's otherwise.
    fn pool_pick(&mut self, list: fn(&Pool) -> &List) -> Entry {
        let lex = self.lex;
        let topic = &lex.topics[self.topic].pool;
        let topic2 = &lex.topics[self.topic2].pool;
        let r = self.rng.unit();
        let pool = if r < 0.5 {
            topic
        } else if r < 0.65 {
            topic2
        } else {
            &lex.general
        };
        let chosen = list(pool);
        if chosen.entries.is_empty() {
            list(&lex.general).pick(&mut self.rng)
        } else {
            chosen.pick(&mut self.rng)
        }
    }

    /// One text of `kind` whose length is in `words`: drawn again until it
    /// fits, which almost always happens within a few draws.
    fn fitted(
        &mut self,
        kind: &[Template],
        words: RangeInclusive<usize>,
        sentence: bool,
    ) -> String {
        let mut out = String::with_capacity(320);
        for _ in 0..64 {
            out.clear();
            if words.contains(&self.sentence(kind, &mut out, false)) {
                return out;
            }
        }
        // Never seen in practice: pad with sentences, cut at the limit.
        let lex = self.lex;
        while out.split_whitespace().count() < *words.start() {
            out.push(' ');
            self.sentence(&lex.sentence, &mut out, false);
        }
        cut_words(&mut out, *words.end());
        let kept = out.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
        out.truncate(kept);
        if sentence {
            out.push('.');
        }
        out
    }

    /// Appends one text of `kind`; returns its number of words. When
    /// `fresh`, templates already used in the article are mostly avoided.
    fn sentence(&mut self, kind: &[Template], out: &mut String, fresh: bool) -> usize {
        let start = out.len();
        let mut i = self.rng.index(kind.len());
        if fresh {
            for _ in 0..4 {
                if self.used[i / 64] & (1 << (i % 64)) == 0 {
                    break;
                }
                i = self.rng.index(kind.len());
            }
            self.used[i / 64] |= 1 << (i % 64);
        }
        let template = &kind[i];
        self.render(template, out, true);
        if self.lang == Lang::En {
            capitalise(out, start);
        }
        out[start..].split_whitespace().count()
    }

    /// 4–10 paragraphs, 250–700 words.
    fn body(&mut self) -> String {
        let lex = self.lex;
        let target =
            self.rng
                .range(*BODY_TARGET.start() as u64, *BODY_TARGET.end() as u64) as usize;
        let fewest = target.div_ceil(120).max(*PARAGRAPHS.start());
        let most = (target / 35).min(*PARAGRAPHS.end()).max(fewest);
        let paragraphs = self.rng.range(fewest as u64, most as u64) as usize;
        let mut body = String::with_capacity(target * 12);
        let mut total = 0;
        for p in 0..paragraphs {
            let goal = target * (p + 1) / paragraphs;
            body.push_str("<p>");
            let mut sentences = 0;
            let mut misses = 0;
            loop {
                let start = body.len();
                if sentences > 0 {
                    body.push(' ');
                }
                let words = if total == 0 {
                    self.sentence(&lex.open, &mut body, false)
                } else {
                    self.sentence(&lex.sentence, &mut body, true)
                };
                if total + words > *BODY_WORDS.end() && misses < 32 {
                    body.truncate(start);
                    misses += 1;
                    if sentences == 0 {
                        continue;
                    }
                    break;
                }
                total += words;
                sentences += 1;
                if total >= goal {
                    break;
                }
            }
            body.push_str("</p>\n");
        }
        body
    }

    /// 2–4 distinct tags, the first from the topic.
    fn tags(&mut self) -> Vec<String> {
        let lex = self.lex;
        let count = self.rng.range(2, 4) as usize;
        let mut tags: Vec<String> = Vec::with_capacity(count);
        for _ in 0..64 {
            if tags.len() == count {
                break;
            }
            let r = self.rng.unit();
            let pool = if tags.is_empty() || r < 0.55 {
                &lex.topics[self.topic].pool
            } else if r < 0.75 {
                &lex.topics[self.topic2].pool
            } else {
                &lex.general
            };
            if pool.tag.entries.is_empty() {
                continue;
            }
            let tag = pool.tag.pick(&mut self.rng).text;
            if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_owned());
            }
        }
        tags
    }

    fn render(&mut self, template: &Template, out: &mut String, new_subject: bool) {
        if new_subject && template.subject {
            self.choose_subject(template.quotes);
        }
        for piece in &template.pieces {
            match *piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Agree(m, f) => out.push_str(if self.subject_fem() { f } else { m }),
                Piece::Slot(prefix, slot) => self.slot(prefix, slot, out),
            }
        }
    }

    /// A person of the cast about half of the time (always when `person`),
    /// else an institution or an organisation of the article.
    fn choose_subject(&mut self, person: bool) {
        let r = self.rng.unit();
        self.subject = if person || r < 0.45 || self.orgs.is_empty() && r >= 0.8 {
            Subject::Person(self.rng.index(self.people.len()))
        } else if r < 0.8 {
            let inst = self.pool_pick(|p| &p.inst);
            Subject::Named(inst.text, inst.fem)
        } else {
            let org = self.orgs[self.rng.index(self.orgs.len())];
            Subject::Named(org.text, org.fem)
        };
    }

    fn subject_fem(&self) -> bool {
        match self.subject {
            Subject::Person(i) => self.people[i].fem,
            Subject::Named(_, fem) => fem,
        }
    }

    fn slot(&mut self, prefix: &str, slot: Slot, out: &mut String) {
        let lex = self.lex;
        match slot {
            Slot::Noun => {
                let noun = self.pool_pick(|p| &p.noun).text;
                self.noun = Some(noun);
                attach(out, prefix, noun);
            }
            Slot::Def => {
                // Not the noun again: no "حرية حرية التعبير".
                let noun = self.noun.take();
                let mut def = self.pool_pick(|p| &p.def).text;
                for _ in 0..4 {
                    if !noun.is_some_and(|n| def.split_whitespace().any(|w| w == n)) {
                        break;
                    }
                    def = self.pool_pick(|p| &p.def).text;
                }
                attach(out, prefix, def);
            }
            Slot::People => attach(out, prefix, self.pool_pick(|p| &p.people).text),
            Slot::Inst => attach(out, prefix, self.pool_pick(|p| &p.inst_fem).text),
            Slot::Time => attach(out, prefix, lex.time.pick(&mut self.rng).text),
            Slot::Subject => match self.subject {
                Subject::Person(i) => self.mention(i, prefix, out),
                Subject::Named(text, _) => attach(out, prefix, text),
            },
            Slot::Say | Slot::Report | Slot::Act | Slot::Pres => {
                let list = match slot {
                    Slot::Say => &lex.say,
                    Slot::Report => &lex.report,
                    Slot::Act => &lex.act,
                    _ => &lex.pres,
                };
                let verb = list.pick(&mut self.rng);
                attach(out, prefix, verb.form(usize::from(self.subject_fem())));
            }
            Slot::Person => {
                let i = self.rng.index(self.people.len());
                self.mention(i, prefix, out);
            }
            Slot::Org => {
                let org = self.orgs[self.rng.index(self.orgs.len())];
                attach(out, prefix, org.text);
            }
            Slot::City => {
                let city = if self.rng.chance(0.75) {
                    self.city
                } else {
                    lex.city.pick(&mut self.rng).text
                };
                attach(out, prefix, city);
            }
            Slot::OtherCity => {
                let mut city = lex.city.pick(&mut self.rng).text;
                for _ in 0..8 {
                    if city != self.city {
                        break;
                    }
                    city = lex.city.pick(&mut self.rng).text;
                }
                attach(out, prefix, city);
            }
            Slot::Quote | Slot::ShortQuote => {
                let kind = if slot == Slot::Quote {
                    &lex.quote
                } else {
                    &lex.short_quote
                };
                out.push_str(prefix);
                out.push('“');
                let start = out.len();
                let template = &kind[self.rng.index(kind.len())];
                self.render(template, out, false);
                if self.lang == Lang::En {
                    capitalise(out, start);
                }
                out.push('”');
            }
            Slot::Count | Slot::SameCount => {
                let unit = match self.unit {
                    Some(unit) if slot == Slot::SameCount => unit,
                    _ => self.pool_pick(|p| &p.unit),
                };
                self.unit = Some(unit);
                let n = self.count_number();
                self.number_prefix(prefix, out);
                self.number(out, n, true);
                out.push(' ');
                let form = match self.lang {
                    Lang::Ar => arabic_count_form(n),
                    Lang::En => 1,
                };
                out.push_str(unit.form(form));
            }
            Slot::Money => self.money(prefix, out),
            Slot::Percent => self.percent(prefix, out),
            Slot::Year | Slot::FutureYear => {
                let year = if slot == Slot::Year {
                    self.year.saturating_sub(self.rng.below(13))
                } else {
                    self.year + self.rng.range(1, 6)
                };
                self.number_prefix(prefix, out);
                self.number(out, year, false);
            }
        }
    }

    /// A person of the cast: role and full name the first time, family
    /// name after.
    fn mention(&mut self, i: usize, prefix: &str, out: &mut String) {
        let person = &mut self.people[i];
        if person.named {
            attach(out, prefix, person.family);
        } else {
            person.named = true;
            attach(out, prefix, person.role.form(usize::from(person.fem)));
            out.push(' ');
            out.push_str(person.first);
            out.push(' ');
            out.push_str(person.family);
        }
    }

    /// A count of people or things: a few, tens, hundreds or thousands,
    /// large ones often round.
    fn count_number(&mut self) -> u64 {
        let rng = &mut self.rng;
        match rng.below(20) {
            0..=3 => rng.range(3, 10),
            4..=10 => rng.range(11, 99),
            11..=16 => {
                let n = rng.range(100, 9_999);
                let step = if n >= 1_000 { 100 } else { 10 };
                if rng.chance(0.6) {
                    n / step * step
                } else {
                    n
                }
            }
            _ => rng.range(100, 2_500) * 100,
        }
    }

    fn money(&mut self, prefix: &str, out: &mut String) {
        self.number_prefix(prefix, out);
        let kind = self.rng.below(10);
        // (scale: 0 thousand, 1 million, 2 billion; amount; in tenths)
        let (scale, amount, tenths) = match kind {
            0..=3 => (0, self.rng.range(3, 999), false),
            4..=8 if self.rng.chance(0.5) => (1, self.rng.range(3, 950), false),
            4..=8 => (1, self.rng.range(12, 99), true),
            _ if self.rng.chance(0.5) => (2, self.rng.range(3, 40), false),
            _ => (2, self.rng.range(11, 49), true),
        };
        match self.lang {
            Lang::Ar => {
                if tenths {
                    self.decimal(out, amount);
                } else {
                    self.number(out, amount, true);
                }
                // 3–10 take the plural; every other number the singular
                // (in a construct with the currency, without tanween).
                let plural = !tenths && matches!(amount % 100, 3..=10);
                out.push(' ');
                out.push_str(self.lex.scale[scale].form(usize::from(plural)));
            }
            Lang::En => {
                if scale == 0 {
                    let hundreds = self.rng.below(10);
                    self.number(out, amount * 1_000 + hundreds * 100, true);
                } else {
                    if tenths {
                        self.decimal(out, amount);
                    } else {
                        self.number(out, amount, true);
                    }
                    out.push(' ');
                    out.push_str(self.lex.scale[scale].text);
                }
            }
        }
        out.push(' ');
        out.push_str(self.currency);
    }

    fn percent(&mut self, prefix: &str, out: &mut String) {
        self.number_prefix(prefix, out);
        if self.rng.chance(0.7) {
            let n = self.rng.range(2, 85);
            self.number(out, n, false);
        } else {
            let n = self.rng.range(5, 300);
            self.decimal(out, n);
        }
        let sign = self.rng.chance(0.6);
        match self.lang {
            Lang::Ar if sign => out.push(if self.indic { '٪' } else { '%' }),
            Lang::Ar if self.rng.chance(0.7) => out.push_str(" في المئة"),
            Lang::Ar => out.push_str(" بالمئة"),
            Lang::En if sign || self.rng.chance(0.3) => out.push('%'),
            Lang::En => out.push_str(" per cent"),
        }
    }

    /// Letters attached to a number are joined with a tatweel: بـ30%.
    fn number_prefix(&self, prefix: &str, out: &mut String) {
        if !prefix.is_empty() {
            out.push_str(prefix);
            if self.lang == Lang::Ar {
                out.push('ـ');
            }
        }
    }

    fn number(&self, out: &mut String, n: u64, group: bool) {
        let separator = match (group, self.indic) {
            (false, _) => None,
            (true, false) => Some(','),
            (true, true) => Some('٬'),
        };
        push_digits(out, n, separator, self.indic);
    }

    /// `tenths` / 10 with one decimal unless it is 0: 3.5, ٣٫٥, 3.
    fn decimal(&self, out: &mut String, tenths: u64) {
        self.number(out, tenths / 10, true);
        let tenth = tenths % 10;
        if tenth > 0 {
            out.push(if self.indic { '٫' } else { '.' });
            push_digits(out, tenth, None, self.indic);
        }
    }
}

/// Which form of an Arabic counted noun follows `n` (≥ 3), by its last two
/// digits: 0 the singular (100 شخص، 1,400 شخص), 1 the accusative singular
/// (15 شخصاً), 2 the plural (3 أشخاص، 103 أشخاص).
fn arabic_count_form(n: u64) -> usize {
    match n % 100 {
        3..=10 => 2,
        11..=99 => 1,
        _ => 0,
    }
}

/// Appends `word` with attached letters before it; ل before ال drops the
/// alef (للحكومة), and before الل the whole article (لليل).
fn attach(out: &mut String, prefix: &str, word: &str) {
    out.push_str(prefix);
    if prefix.ends_with('ل') {
        if let Some(rest) = word.strip_prefix("الل") {
            out.push('ل');
            out.push_str(rest);
            return;
        }
        if word.starts_with("ال") {
            out.push_str(&word['ا'.len_utf8()..]);
            return;
        }
    }
    out.push_str(word);
}

/// Decimal digits of `n`, Western or Arabic-Indic, with a separator
/// between groups of three when one is given.
fn push_digits(out: &mut String, n: u64, separator: Option<char>, indic: bool) {
    out.push_str(&warraq_text::digits::grouped(n, separator, indic));
}

/// Keeps the first `max` words of `text`.
fn cut_words(text: &mut String, max: usize) {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
            if words > max {
                text.truncate(i);
                return;
            }
        }
    }
}

/// Upper-cases the first letter from `from` on, if it is a Latin one.
fn capitalise(out: &mut String, from: usize) {
    let first = out[from..]
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric());
    if let Some((i, c)) = first {
        if c.is_ascii_lowercase() {
            let i = from + i;
            let mut buf = [0u8; 4];
            out.replace_range(i..i + 1, c.to_ascii_uppercase().encode_utf8(&mut buf));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

    const SECTIONS: [&str; 6] = [
        "politics",
        "society",
        "economy",
        "culture",
        "investigations",
        "opinion",
    ];

    /// 2026-01-01T00:00:00Z.
    fn now() -> Timestamp {
        Timestamp::from_second(1_767_225_600).unwrap()
    }

    fn generator(lang: Lang, seed: u64) -> Generator {
        Generator::new(
            lang,
            seed,
            vec![
                "rana-haddad".into(),
                "karim-nasser".into(),
                "layla-mansour".into(),
            ],
            SECTIONS.map(String::from).to_vec(),
            now(),
        )
    }

    /// The body's text without its `<p>` tags.
    fn body_text(a: &NewArticle) -> String {
        a.body_html.replace("<p>", " ").replace("</p>", " ")
    }

    fn all_text(a: &NewArticle) -> String {
        format!("{}\n{}\n{}", a.headline, a.standfirst, body_text(a))
    }

    fn words(text: &str) -> usize {
        text.split_whitespace().count()
    }

    #[test]
    fn deterministic_for_a_seed() {
        for lang in Lang::ALL {
            let run = |seed| -> Vec<String> {
                generator(lang, seed)
                    .take(300)
                    .map(|a| format!("{a:?}"))
                    .collect()
            };
            let first = run(7);
            assert_eq!(first, run(7), "{lang}: same seed, same articles");
            let other = run(8);
            assert!(
                first.iter().zip(&other).all(|(a, b)| a != b),
                "{lang}: another seed, other articles"
            );
            // Article i depends only on the seed and i.
            let later: Vec<String> = generator(lang, 7)
                .skip(250)
                .take(50)
                .map(|a| format!("{a:?}"))
                .collect();
            assert_eq!(later, first[250..]);
        }
    }

    #[test]
    fn every_article_validates_and_has_the_asked_shape() {
        let five_years_ago = now().as_second() - SPAN_SECONDS;
        for lang in Lang::ALL {
            for a in generator(lang, 1).take(3_000) {
                a.validate().unwrap();
                assert_eq!(a.lang, lang);
                assert_eq!(a.status, Status::Published);
                assert!(a.cover.is_none());

                let slug = &a.slug;
                assert!(
                    HEADLINE_WORDS.contains(&words(&a.headline)),
                    "{slug}: headline {:?}",
                    a.headline
                );
                assert!(
                    STANDFIRST_WORDS.contains(&words(&a.standfirst)),
                    "{slug}: standfirst {:?}",
                    a.standfirst
                );
                let paragraphs = a.body_html.matches("<p>").count();
                assert!(
                    PARAGRAPHS.contains(&paragraphs),
                    "{slug}: {paragraphs} paragraphs"
                );
                assert_eq!(a.body_html.matches("</p>\n").count(), paragraphs);
                let body = body_text(&a);
                assert!(
                    BODY_WORDS.contains(&words(&body)),
                    "{slug}: {} words",
                    words(&body)
                );

                for text in [&a.headline, &a.standfirst, &body] {
                    assert!(
                        !text.contains(['<', '>', '&', '{', '}', '|']),
                        "{slug}: markup or template left in {text:?}"
                    );
                    for bad in ["  ", " ،", " .", " ,", "..", "“ ", " ”"] {
                        assert!(!text.trim().contains(bad), "{slug}: {bad:?} in {text:?}");
                    }
                }
                assert!(
                    !a.headline.ends_with('.'),
                    "{slug}: headline ends with a stop"
                );
                assert!(
                    a.standfirst.ends_with(['.', '؟', '?']),
                    "{slug}: {:?}",
                    a.standfirst
                );

                for (slugs, max, of) in [
                    (
                        &a.author_slugs,
                        2,
                        &["rana-haddad", "karim-nasser", "layla-mansour"][..],
                    ),
                    (&a.section_slugs, 2, &SECTIONS[..]),
                ] {
                    assert!((1..=max).contains(&slugs.len()), "{slug}: {slugs:?}");
                    assert!(
                        slugs.iter().all(|s| of.contains(&s.as_str())),
                        "{slug}: {slugs:?}"
                    );
                    assert_eq!(slugs.iter().collect::<HashSet<_>>().len(), slugs.len());
                }
                assert!(
                    (2..=4).contains(&a.tag_names.len()),
                    "{slug}: {:?}",
                    a.tag_names
                );
                assert_eq!(
                    a.tag_names.iter().collect::<HashSet<_>>().len(),
                    a.tag_names.len(),
                    "{slug}: {:?}",
                    a.tag_names
                );

                assert!(a.published_at < now(), "{slug}");
                assert!(a.published_at.as_second() >= five_years_ago, "{slug}");
                assert!(
                    a.published_at <= a.updated_at && a.updated_at <= now(),
                    "{slug}"
                );
            }
        }
    }

    #[test]
    fn slugs_are_unique() {
        let mut seen = HashSet::new();
        for a in generator(Lang::Ar, 3).take(10_000) {
            assert!(seen.insert(a.slug.clone()), "{} twice", a.slug);
        }
        let mut seen = HashSet::new();
        for a in generator(Lang::En, 3).take(2_000) {
            assert!(seen.insert(a.slug.clone()), "{} twice", a.slug);
        }
    }

    #[test]
    fn both_digit_forms_appear() {
        let (mut western, mut indic) = (0, 0);
        for a in generator(Lang::Ar, 5).take(500) {
            let text = all_text(&a);
            western += usize::from(text.contains(|c: char| c.is_ascii_digit()));
            indic += usize::from(text.contains(|c: char| ('٠'..='٩').contains(&c)));
        }
        assert!(western > 300, "{western} articles with Western digits");
        assert!(
            (40..=200).contains(&indic),
            "{indic} articles with Arabic-Indic digits"
        );
        let english: String = generator(Lang::En, 5)
            .take(100)
            .map(|a| all_text(&a))
            .collect();
        assert!(!english.contains(|c: char| ('٠'..='٩').contains(&c)));
    }

    #[test]
    fn arabic_morphology_appears() {
        let text: String = generator(Lang::Ar, 9)
            .take(200)
            .map(|a| all_text(&a))
            .collect();
        for c in [
            'أ', 'إ', 'آ', 'ؤ', 'ئ', 'ء', 'ى', 'ة', '،', '؛', '؟', '“', '”',
        ] {
            assert!(text.contains(c), "no {c} in 200 articles");
        }
        let words: HashSet<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        for (what, test) in [
            ("وال", (|w: &str| w.starts_with("وال")) as fn(&str) -> bool),
            ("بال", |w| w.starts_with("بال")),
            ("لل", |w| w.starts_with("لل")),
            ("-ات", |w| w.ends_with("ات")),
            ("-ون", |w| w.ends_with("ون")),
            ("-ين", |w| w.ends_with("ين")),
        ] {
            let n = words.iter().filter(|w| test(w)).count();
            assert!(n >= 20, "only {n} distinct words with {what}");
        }
    }

    #[test]
    fn word_frequencies_look_natural() {
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut total = 0;
        for a in generator(Lang::Ar, 11).take(2_000) {
            for w in body_text(&a).split(|c: char| !c.is_alphanumeric() && !is_arabic_mark(c)) {
                if !w.is_empty() {
                    total += 1;
                    *counts.entry(w.to_owned()).or_default() += 1;
                }
            }
        }
        let mut ranked: Vec<usize> = counts.into_values().collect();
        ranked.sort_unstable_by(|a, b| b.cmp(a));
        assert!(ranked.len() > 2_000, "{} distinct words", ranked.len());
        // A few words are common, most are rare …
        assert!(
            ranked[0] * 100 < total * 6,
            "the commonest word is too common"
        );
        let top: usize = ranked[..ranked.len() / 100].iter().sum();
        assert!(
            top * 100 > total * 20,
            "the top 1% of words make {top} of {total}"
        );
        let rare = ranked.iter().filter(|&&c| c * 100_000 < total * 5).count();
        assert!(
            rare * 2 > ranked.len(),
            "{rare} of {} words are rare",
            ranked.len()
        );
        // … and log(frequency) falls about linearly with log(rank).
        let points: Vec<(f64, f64)> = (10..1_000)
            .map(|r| (((r + 1) as f64).ln(), (ranked[r] as f64).ln()))
            .collect();
        let n = points.len() as f64;
        let (mx, my) = points
            .iter()
            .fold((0.0, 0.0), |(x, y), p| (x + p.0 / n, y + p.1 / n));
        let slope = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>()
            / points.iter().map(|p| (p.0 - mx).powi(2)).sum::<f64>();
        assert!((-1.8..=-0.7).contains(&slope), "log-log slope {slope}");
    }

    #[test]
    fn publication_dates_cover_five_years() {
        let mut per_year = [0usize; 5];
        for a in generator(Lang::Ar, 13).take(5_000) {
            let age = now().as_second() - a.published_at.as_second();
            per_year[(age / (SPAN_SECONDS / 5)).min(4) as usize] += 1;
        }
        for (year, n) in per_year.iter().enumerate() {
            assert!((850..=1150).contains(n), "{n} articles in year {year}");
        }
    }

    #[test]
    fn word_lists_are_complete() {
        for (lang, words, templates) in [
            (Lang::Ar, AR_WORDS, AR_TEMPLATES),
            (Lang::En, EN_WORDS, EN_TEMPLATES),
        ] {
            let lex = Lexicon::parse(words, templates);
            assert!(lex.topics.len() >= 12, "{lang}: topics");
            for topic in &lex.topics {
                let pool = &topic.pool;
                for list in [
                    &pool.noun,
                    &pool.def,
                    &pool.people,
                    &pool.inst,
                    &pool.inst_fem,
                    &pool.role,
                    &pool.unit,
                    &pool.tag,
                ] {
                    assert!(!list.entries.is_empty(), "{lang}: an empty topic list");
                }
                assert!(!topic.sections.is_empty());
            }
            let mut tags: Vec<&str> = lex.general.tag.entries.iter().map(|e| e.text).collect();
            for topic in &lex.topics {
                tags.extend(topic.pool.tag.entries.iter().map(|e| e.text));
            }
            let tags: HashSet<&str> = tags.into_iter().collect();
            assert!(
                (70..=100).contains(&tags.len()),
                "{lang}: {} tags",
                tags.len()
            );
            for template in lex.quote.iter().chain(&lex.short_quote) {
                assert!(
                    !template.subject && !template.quotes,
                    "{lang}: a quote in a quote"
                );
            }
        }
        // About 600 Arabic content words or more, not counting names.
        let mut vocabulary = HashSet::new();
        for line in lines(AR_WORDS) {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            if ["city", "first", "family", "org", "sections"].contains(&key) {
                continue;
            }
            for entry in value.split([',', '|']) {
                let (text, _) = gendered(entry.trim());
                vocabulary.extend(text.split_whitespace());
            }
        }
        assert!(vocabulary.len() >= 600, "{} Arabic words", vocabulary.len());
    }

    #[test]
    fn attached_letters() {
        let joined = |prefix, word| {
            let mut out = String::new();
            attach(&mut out, prefix, word);
            out
        };
        assert_eq!(joined("ل", "الحكومة"), "للحكومة");
        assert_eq!(joined("ل", "الليل"), "لليل");
        assert_eq!(joined("ل", "ارتفاع"), "لارتفاع");
        assert_eq!(joined("ب", "الحكومة"), "بالحكومة");
        assert_eq!(joined("و", "سامر"), "وسامر");
        assert_eq!(joined("", "المياه"), "المياه");
    }

    #[test]
    fn numbers() {
        let digits = |n, separator, indic| {
            let mut out = String::new();
            push_digits(&mut out, n, separator, indic);
            out
        };
        assert_eq!(digits(1400, Some(','), false), "1,400");
        assert_eq!(digits(250_000, Some(','), false), "250,000");
        assert_eq!(digits(1400, Some('٬'), true), "١٬٤٠٠");
        assert_eq!(digits(2021, None, true), "٢٠٢١");
        assert_eq!(digits(0, None, false), "0");
        // 3 أشخاص، 15 شخصاً، 100 شخص، 103 أشخاص، 1,400 شخص
        let forms: Vec<usize> = [3, 10, 11, 15, 99, 100, 101, 103, 1400, 2515]
            .map(arabic_count_form)
            .to_vec();
        assert_eq!(forms, [2, 2, 1, 1, 1, 0, 0, 2, 0, 1]);
    }

    #[test]
    fn slugs_come_from_headlines() {
        assert_eq!(
            slug("“لسنا أرقاماً”: أزمة المياه في عمّان", 7),
            "لسنا-أرقاما-أزمة-المياه-في-7"
        );
        assert_eq!(
            slug("Who pays for the cost of water?", 12),
            "who-pays-for-the-cost-12"
        );
        assert_eq!(slug("٣٠٪ من سكان إربد", 3), "٣٠-من-سكان-إربد-3");
    }
}
