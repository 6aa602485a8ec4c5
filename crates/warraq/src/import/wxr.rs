//! A streaming reader of WordPress's export format (WXR 1.0–1.2).
//!
//! It walks the file with quick-xml one event at a time and hands out one
//! entry — an author, a term, an item — as soon as its closing tag is read,
//! so memory stays flat whatever the size of the export. Elements are
//! matched on local names, so the `http://` and `https://wordpress.org/
//! export/1.x/` namespaces read alike; only `content:encoded` and
//! `excerpt:encoded`, which share a local name, are told apart by prefix.
//!
//! Every error names the line and column where the file went wrong.
//! Characters XML forbids (C0 controls, which some exports carry in titles)
//! are dropped with a warning at their place.

use std::fmt;
use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// The WXR versions WordPress has written.
const VERSIONS: &[&str] = &["1.0", "1.1", "1.2"];

/// A place in the file: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub line: u64,
    pub column: u64,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Why a file cannot be read, and where.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {at}: {message}")]
pub struct WxrError {
    pub file: String,
    pub at: Location,
    pub message: String,
}

/// A problem that does not stop the run.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Warning {
    pub at: Location,
    pub message: String,
}

/// What the channel says about the site.
#[derive(Clone, Debug, Default)]
pub struct Channel {
    pub title: String,
    pub link: String,
    pub language: String,
    pub version: String,
    pub base_site_url: String,
    pub base_blog_url: String,
}

#[derive(Clone, Debug, Default)]
pub struct WpAuthor {
    pub login: String,
    pub email: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
}

/// A category (`taxonomy` "category"), tag ("post_tag") or other term
/// (`wp:term`: Polylang's "language" and "post_translations", …).
#[derive(Clone, Debug, Default)]
pub struct Term {
    pub taxonomy: String,
    pub id: i64,
    pub slug: String,
    pub parent: String,
    pub name: String,
    pub description: String,
}

/// `<category domain="…" nicename="…">name</category>` of an item.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ItemTerm {
    pub domain: String,
    pub nicename: String,
    pub name: String,
}

#[derive(Clone, Debug, Default)]
pub struct Item {
    /// Where `<item>` opens.
    pub at: Location,
    pub title: String,
    pub link: String,
    pub pub_date: String,
    pub creator: String,
    pub guid: String,
    pub content: String,
    pub excerpt: String,
    pub post_id: i64,
    pub post_date: String,
    pub post_date_gmt: String,
    pub post_name: String,
    pub status: String,
    pub post_parent: i64,
    pub menu_order: i64,
    pub post_type: String,
    pub post_password: String,
    pub attachment_url: String,
    pub terms: Vec<ItemTerm>,
    pub meta: Vec<(String, String)>,
    pub comments: usize,
}

impl Item {
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn metas<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.meta
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Debug)]
pub enum Entry {
    Author(WpAuthor),
    Term(Term),
    Item(Box<Item>),
}

/// What one event of the file led to.
enum Step {
    More,
    Entry(Entry),
    End,
}

/// Counts lines and columns of what quick-xml has consumed, so that a
/// position can be named without keeping the file.
struct Counted<R> {
    inner: R,
    line: u64,
    column: u64,
    bytes: u64,
    /// Where the last `<` consumed is: the start of the markup quick-xml
    /// just read (it consumes a tag's `<` while ending the text before).
    markup: Location,
}

impl<R: BufRead> std::io::Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let consumed = &buf[..n.min(buf.len())];
            // Only the last `<` is ever asked for.
            match consumed.iter().rposition(|&b| b == b'<') {
                Some(lt) => {
                    let (line, column) = advance(self.line, self.column, &consumed[..lt]);
                    self.markup = Location { line, column };
                    (self.line, self.column) = advance(line, column, &consumed[lt..]);
                }
                None => (self.line, self.column) = advance(self.line, self.column, consumed),
            }
        }
        self.bytes += n as u64;
        self.inner.consume(n);
    }
}

/// Line and column after reading `bytes` from (`line`, `column`): columns
/// count characters, not the continuation bytes of UTF-8.
fn advance(line: u64, column: u64, bytes: &[u8]) -> (u64, u64) {
    let chars = |b: &[u8]| b.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64;
    match bytes.iter().rposition(|&b| b == b'\n') {
        Some(last) => {
            let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            (line + newlines, 1 + chars(&bytes[last + 1..]))
        }
        None => (line, column + chars(bytes)),
    }
}

/// Where the leaf element being read is, and what it has said so far.
#[derive(Default)]
struct Leaf {
    text: String,
}

pub struct WxrReader<R: BufRead> {
    reader: Reader<Counted<R>>,
    file: String,
    buf: Vec<u8>,
    /// Local names of the open elements, outermost first, with the place
    /// each opened.
    open: Vec<(String, Location)>,
    channel: Channel,
    leaf: Leaf,
    item: Option<Box<Item>>,
    author: Option<WpAuthor>,
    term: Option<Term>,
    meta: Option<(String, String)>,
    category: Option<ItemTerm>,
    warnings: Vec<Warning>,
    seen_root: bool,
    /// Leave bodies out of items (they are still checked).
    skip_bodies: bool,
}

impl<R: BufRead> WxrReader<R> {
    pub fn new(input: R, file: &str) -> Self {
        let mut reader = Reader::from_reader(Counted {
            inner: input,
            line: 1,
            column: 1,
            bytes: 0,
            markup: Location { line: 1, column: 1 },
        });
        reader.config_mut().check_end_names = true;
        WxrReader {
            reader,
            file: file.to_string(),
            buf: Vec::with_capacity(64 * 1024),
            open: Vec::new(),
            channel: Channel::default(),
            leaf: Leaf::default(),
            item: None,
            author: None,
            term: None,
            meta: None,
            category: None,
            warnings: Vec::new(),
            seen_root: false,
            skip_bodies: false,
        }
    }

    /// A reader that leaves items' bodies empty, for a pass that only needs
    /// the rest (the file is checked whole all the same).
    pub fn without_bodies(mut self) -> Self {
        self.skip_bodies = true;
        self
    }

    /// The channel's fields read so far (all of them once the first entry
    /// has been returned: WordPress writes them first).
    pub fn channel(&self) -> &Channel {
        &self.channel
    }

    /// Bytes read so far: for a progress bar.
    pub fn bytes_read(&self) -> u64 {
        self.reader.get_ref().bytes
    }

    /// The warnings since the last call.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    /// Where the markup just read starts (its `<`).
    fn markup(&self) -> Location {
        self.reader.get_ref().markup
    }

    fn here(&self) -> Location {
        let counted = self.reader.get_ref();
        Location {
            line: counted.line,
            column: counted.column,
        }
    }

    fn error(&self, at: Location, message: impl Into<String>) -> WxrError {
        WxrError {
            file: self.file.clone(),
            at,
            message: message.into(),
        }
    }

    /// The next author, term or item; `None` at the end of a whole file.
    pub fn next_entry(&mut self) -> Result<Option<Entry>, WxrError> {
        // The event borrows the buffer, not the reader, so it is handled
        // without a copy (bodies are most of a file's bytes).
        let mut buf = std::mem::take(&mut self.buf);
        let result = loop {
            buf.clear();
            let start = self.here();
            let event = match self.reader.read_event_into(&mut buf) {
                Ok(event) => event,
                Err(e) => {
                    let at = self.here();
                    let inside = match self.open.last() {
                        Some((name, opened)) => format!(" (inside <{name}> opened at {opened})"),
                        None => String::new(),
                    };
                    break Err(self.error(at, format!("not well-formed XML: {e}{inside}")));
                }
            };
            match self.handle(event, start) {
                Ok(Step::More) => {}
                Ok(Step::Entry(entry)) => break Ok(Some(entry)),
                Ok(Step::End) => break Ok(None),
                Err(e) => break Err(e),
            }
        };
        self.buf = buf;
        result
    }

    fn handle(&mut self, event: Event<'_>, start: Location) -> Result<Step, WxrError> {
        match event {
            Event::Start(e) => {
                let at = self.markup();
                self.open_element(&e, at)?;
            }
            Event::Empty(e) => {
                let at = self.markup();
                self.open_element(&e, at)?;
                if let Some(entry) = self.close_element(at)? {
                    return Ok(Step::Entry(entry));
                }
            }
            Event::End(_) => {
                if let Some(entry) = self.close_element(self.markup())? {
                    return Ok(Step::Entry(entry));
                }
            }
            Event::Text(t) => {
                let text = self.utf8(&t, start, 0)?;
                if self.open.is_empty() {
                    if !text.trim().is_empty() {
                        return Err(self.not_wxr(start));
                    }
                    return Ok(Step::More);
                }
                let text = quick_xml::escape::unescape(text)
                    .map_err(|e| self.error(start, format!("bad character reference: {e}")))?;
                self.push_text(&text, start, 0);
            }
            Event::CData(t) => {
                let start = self.markup();
                let text = self.utf8(&t, start, b"<![CDATA[".len())?;
                self.push_text(text, start, b"<![CDATA[".len());
            }
            Event::Eof => {
                if let Some((name, at)) = self.open.last() {
                    let here = self.here();
                    return Err(self.error(
                        here,
                        format!("the file ends inside <{name}> opened at {at}: truncated?"),
                    ));
                }
                if !self.seen_root {
                    return Err(self.not_wxr(start));
                }
                return Ok(Step::End);
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
        Ok(Step::More)
    }

    fn not_wxr(&self, at: Location) -> WxrError {
        self.error(
            at,
            "not a WordPress export: expected an <rss> document with a <channel>",
        )
    }

    /// `raw` as UTF-8, or an error at the first invalid byte (`skip` bytes
    /// of markup precede `raw` from `start`).
    fn utf8<'b>(&self, raw: &'b [u8], start: Location, skip: usize) -> Result<&'b str, WxrError> {
        match std::str::from_utf8(raw) {
            Ok(s) => Ok(s),
            Err(e) => {
                let (line, column) = advance(
                    start.line,
                    start.column + skip as u64,
                    &raw[..e.valid_up_to()],
                );
                Err(self.error(
                    Location { line, column },
                    format!(
                        "invalid UTF-8 (byte 0x{:02X}); the export must be UTF-8",
                        raw[e.valid_up_to()]
                    ),
                ))
            }
        }
    }

    /// Adds text to the open leaf, dropping what XML forbids.
    fn push_text(&mut self, text: &str, start: Location, skip: usize) {
        let outside = self.item.is_none()
            && self.author.is_none()
            && self.term.is_none()
            && self.open.len() > 3;
        let body = self.skip_bodies && self.open.last().is_some_and(|(n, _)| n == "content");
        if outside || body {
            return;
        }
        // Nearly always clean: a byte scan decides.
        let suspect = text
            .bytes()
            .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF);
        if !suspect || !text.chars().any(forbidden) {
            self.leaf.text.push_str(text);
            return;
        }
        let mut clean = String::with_capacity(text.len());
        let (mut line, mut column) = (start.line, start.column + skip as u64);
        for c in text.chars() {
            if forbidden(c) {
                self.warnings.push(Warning {
                    at: Location { line, column },
                    message: format!("dropped the control character U+{:04X}", c as u32),
                });
            } else {
                clean.push(c);
            }
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        self.leaf.text.push_str(&clean);
    }

    fn open_element(&mut self, e: &BytesStart, at: Location) -> Result<(), WxrError> {
        let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        let qname = e.name();
        let prefix = qname.prefix().map(|p| p.as_ref().to_vec());
        let name = match (local.as_str(), prefix.as_deref()) {
            ("encoded", Some(b"excerpt")) => "excerpt".to_string(),
            ("encoded", _) => "content".to_string(),
            _ => local,
        };
        if self.open.is_empty() {
            if name != "rss" {
                return Err(self.not_wxr(at));
            }
            self.seen_root = true;
        }
        let parent = self.open.last().map(|(n, _)| n.as_str()).unwrap_or("");
        match (parent, name.as_str()) {
            ("channel", "item") => {
                self.require_version(at)?;
                self.item = Some(Box::new(Item {
                    at,
                    ..Item::default()
                }));
            }
            ("channel", "author") => {
                self.require_version(at)?;
                self.author = Some(WpAuthor::default());
            }
            ("channel", "category") => {
                self.term = Some(Term {
                    taxonomy: "category".into(),
                    ..Term::default()
                })
            }
            ("channel", "tag") => {
                self.term = Some(Term {
                    taxonomy: "post_tag".into(),
                    ..Term::default()
                })
            }
            ("channel", "term") => self.term = Some(Term::default()),
            ("item", "postmeta") => self.meta = Some(Default::default()),
            ("item", "comment") => {
                if let Some(item) = &mut self.item {
                    item.comments += 1;
                }
            }
            ("item", "category") => {
                let mut term = ItemTerm::default();
                for attr in e.attributes().flatten() {
                    let value = attr
                        .unescape_value()
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    match attr.key.local_name().as_ref() {
                        b"domain" => term.domain = value,
                        b"nicename" => term.nicename = value,
                        _ => {}
                    }
                }
                self.category = Some(term);
            }
            _ => {}
        }
        self.leaf.text.clear();
        self.open.push((name, at));
        Ok(())
    }

    fn require_version(&self, at: Location) -> Result<(), WxrError> {
        if self.channel.version.is_empty() {
            return Err(self.error(
                at,
                "no <wp:wxr_version> before the first entry: not a WordPress export",
            ));
        }
        Ok(())
    }

    fn close_element(&mut self, at: Location) -> Result<Option<Entry>, WxrError> {
        let Some((name, _)) = self.open.pop() else {
            return Ok(None);
        };
        let parent = self.open.last().map(|(n, _)| n.as_str()).unwrap_or("");
        let text = std::mem::take(&mut self.leaf.text);
        match parent {
            "channel" => match name.as_str() {
                "item" => return Ok(self.item.take().map(Entry::Item)),
                "author" => return Ok(self.author.take().map(Entry::Author)),
                "category" | "tag" | "term" => return Ok(self.term.take().map(Entry::Term)),
                "title" => self.channel.title = text,
                "link" => self.channel.link = text.trim().to_string(),
                "language" => self.channel.language = text.trim().to_string(),
                "base_site_url" => self.channel.base_site_url = text.trim().to_string(),
                "base_blog_url" => self.channel.base_blog_url = text.trim().to_string(),
                "wxr_version" => {
                    let version = text.trim();
                    if !VERSIONS.contains(&version) {
                        return Err(self.error(
                            at,
                            format!(
                                "WXR version {version:?} is not one this importer knows ({})",
                                VERSIONS.join(", ")
                            ),
                        ));
                    }
                    self.channel.version = version.to_string();
                }
                _ => {}
            },
            "item" => self.item_field(&name, text, at)?,
            "postmeta" => {
                if let Some(meta) = &mut self.meta {
                    match name.as_str() {
                        "meta_key" => meta.0 = text,
                        "meta_value" => meta.1 = text,
                        _ => {}
                    }
                }
            }
            "author" if self.author.is_some() => {
                let author = self.author.as_mut().expect("checked");
                let text = text.trim().to_string();
                match name.as_str() {
                    "author_login" => author.login = text,
                    "author_email" => author.email = text,
                    "author_display_name" => author.display_name = text,
                    "author_first_name" => author.first_name = text,
                    "author_last_name" => author.last_name = text,
                    _ => {}
                }
            }
            "category" | "tag" | "term" if self.term.is_some() => {
                let term = self.term.as_mut().expect("checked");
                match name.as_str() {
                    "term_id" => term.id = text.trim().parse().unwrap_or(0),
                    "category_nicename" | "tag_slug" | "term_slug" => {
                        term.slug = text.trim().to_string()
                    }
                    "category_parent" | "term_parent" => term.parent = text.trim().to_string(),
                    "cat_name" | "tag_name" | "term_name" => term.name = text.trim().to_string(),
                    "category_description" | "tag_description" | "term_description" => {
                        term.description = text
                    }
                    "term_taxonomy" => term.taxonomy = text.trim().to_string(),
                    _ => {}
                }
            }
            _ => {}
        }
        Ok(None)
    }

    fn item_field(&mut self, name: &str, text: String, at: Location) -> Result<(), WxrError> {
        let number = |text: &str| -> Result<i64, WxrError> {
            let t = text.trim();
            if t.is_empty() {
                return Ok(0);
            }
            t.parse()
                .map_err(|_| self.error(at, format!("<{name}> is not a number: {t:?}")))
        };
        let parsed = match name {
            "post_id" | "post_parent" | "menu_order" => Some(number(&text)?),
            _ => None,
        };
        let meta = (name == "postmeta").then(|| self.meta.take()).flatten();
        let category = (name == "category").then(|| self.category.take()).flatten();
        let Some(item) = self.item.as_mut() else {
            return Ok(());
        };
        match name {
            "title" => item.title = text,
            "link" => item.link = text.trim().to_string(),
            "pubDate" => item.pub_date = text.trim().to_string(),
            "creator" => item.creator = text.trim().to_string(),
            "guid" => item.guid = text.trim().to_string(),
            "content" => item.content = text,
            "excerpt" => item.excerpt = text,
            "post_id" => item.post_id = parsed.unwrap_or(0),
            "post_parent" => item.post_parent = parsed.unwrap_or(0),
            "menu_order" => item.menu_order = parsed.unwrap_or(0),
            "post_date" => item.post_date = text.trim().to_string(),
            "post_date_gmt" => item.post_date_gmt = text.trim().to_string(),
            "post_name" => item.post_name = text.trim().to_string(),
            "status" => item.status = text.trim().to_string(),
            "post_type" => item.post_type = text.trim().to_string(),
            "post_password" => item.post_password = text,
            "attachment_url" => item.attachment_url = text.trim().to_string(),
            "postmeta" => item.meta.extend(meta),
            "category" => {
                if let Some(mut term) = category {
                    term.name = text.trim().to_string();
                    item.terms.push(term);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Characters XML 1.0 does not allow: C0 controls but tab, newline and
/// carriage return, and the non-characters U+FFFE and U+FFFF.
fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(xml: &str) -> Result<Vec<Entry>, WxrError> {
        let mut r = WxrReader::new(xml.as_bytes(), "t.xml");
        let mut out = Vec::new();
        while let Some(e) = r.next_entry()? {
            out.push(e);
        }
        Ok(out)
    }

    const HEAD: &str =
        "<?xml version=\"1.0\"?>\n<rss xmlns:wp=\"https://wordpress.org/export/1.2/\" \
        xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
        xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\">\n<channel>\n\
        <wp:wxr_version>1.2</wp:wxr_version>\n";

    #[test]
    fn reads_an_item_with_split_cdata() {
        let xml = format!(
            "{HEAD}<item><title>خبر</title><content:encoded><![CDATA[a ]]]]><![CDATA[> b]]></content:encoded>\
             <excerpt:encoded><![CDATA[ملخص]]></excerpt:encoded><wp:post_id>7</wp:post_id>\
             <category domain=\"post_tag\" nicename=\"x\"><![CDATA[X]]></category>\
             <wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value><![CDATA[v]]></wp:meta_value></wp:postmeta>\
             </item></channel></rss>"
        );
        let got = entries(&xml).unwrap();
        let Entry::Item(item) = &got[0] else { panic!() };
        assert_eq!(item.title, "خبر");
        assert_eq!(item.content, "a ]]> b");
        assert_eq!(item.excerpt, "ملخص");
        assert_eq!(item.post_id, 7);
        assert_eq!(item.terms[0].nicename, "x");
        assert_eq!(item.terms[0].name, "X");
        assert_eq!(item.meta("k"), Some("v"));
        assert_eq!(item.at, Location { line: 5, column: 1 });
    }

    #[test]
    fn truncation_names_the_open_element() {
        let xml = format!("{HEAD}<item><title>خبر</title><content:encoded>abc");
        let e = entries(&xml).unwrap_err();
        assert!(e.message.contains("ends inside"), "{e}");
        assert_eq!(e.at.line, 5);
    }

    #[test]
    fn unknown_versions_stop() {
        let xml = HEAD.replace("1.2</wp:wxr", "9.9</wp:wxr");
        let e = entries(&format!("{xml}</channel></rss>")).unwrap_err();
        assert!(e.message.contains("9.9"), "{e}");
        assert_eq!(e.at.line, 4);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let mut xml = format!("{HEAD}<item><title>ab").into_bytes();
        xml.extend_from_slice(&[0xFF, 0xFE]);
        xml.extend_from_slice(b"</title></item></channel></rss>");
        let mut r = WxrReader::new(&xml[..], "t.xml");
        let e = r.next_entry().unwrap_err();
        assert_eq!(
            e.at,
            Location {
                line: 5,
                column: 16
            },
            "{e}"
        );
    }

    #[test]
    fn control_characters_are_dropped_with_a_warning() {
        let xml = format!("{HEAD}<item><title>a\u{1}b</title></item></channel></rss>");
        let mut r = WxrReader::new(xml.as_bytes(), "t.xml");
        let Some(Entry::Item(item)) = r.next_entry().unwrap() else {
            panic!()
        };
        assert_eq!(item.title, "ab");
        let w = r.take_warnings();
        assert_eq!(
            w[0].at,
            Location {
                line: 5,
                column: 15
            }
        );
    }

    #[test]
    fn plain_text_is_not_an_export() {
        let e = entries("hello, this is not XML\n").unwrap_err();
        assert!(e.message.contains("not a WordPress export"), "{e}");
    }
}
