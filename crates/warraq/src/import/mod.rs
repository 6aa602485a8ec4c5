//! Importing a WordPress site from its WXR export.
//!
//! Two passes over the files, both streamed ([`wxr`]):
//! 1. **survey**: the whole file is read and checked — well-formed, a known
//!    WXR version, readable dates — and the small things items refer to
//!    are kept: authors, terms, attachments (for featured images and block
//!    image ids), the page tree, Polylang's translation sets. A file that
//!    fails here stops the run before anything is written.
//! 2. **store**: items are read again one at a time, turned into articles,
//!    pages and media records ([`body`], [`fields`]) and written in one
//!    transaction with their redirects and change-log entries.
//!
//! Keyed on (site, WordPress id): a second run updates what changed and
//! duplicates nothing.

mod body;
pub mod fields;
mod mapping;
mod media;
pub mod report;
pub mod wxr;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use jiff::tz::TimeZone;
use siphasher::sip128::{Hasher128, SipHasher13};

use crate::model::{
    redirect_key, slugify, AuthorProfile, Lang, NewAuthor, NewSection, RedirectTarget,
};
use crate::store::{Item as StoreItem, ItemKind, Outcome, Store};
use report::Report;
use wxr::{Entry, Item, Term, WpAuthor, WxrReader};

/// Bump when the mapping changes, so a re-import rewrites every item.
const MAPPING_VERSION: u32 = 1;

/// The section of items with no category (WordPress's own default).
const UNCATEGORIZED: &str = "uncategorized";

pub struct Options {
    /// Parse and report; write nothing.
    pub dry_run: bool,
    /// A copy of `wp-content/uploads`: files are copied into `media_dir`.
    pub uploads: Option<PathBuf>,
    pub media_dir: PathBuf,
    /// Roles (and English names) of authors, by WordPress login.
    pub authors: HashMap<String, AuthorExtra>,
    /// The edition of items Polylang does not place, when the channel's
    /// language is neither Arabic nor English.
    pub default_lang: Lang,
    pub time_zone: TimeZone,
}

/// What the `--authors` file adds to a WordPress user.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorExtra {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub role_en: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub bio: String,
}

/// Reads an `--authors` file: a TOML table per WordPress login.
pub fn read_authors_file(path: &Path) -> anyhow::Result<HashMap<String, AuthorExtra>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the authors file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("{}: not a valid authors file", path.display()))
}

/// How far the import is: for a progress bar.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub pass: u8,
    pub bytes: u64,
    pub total_bytes: u64,
    pub items: u64,
}

/// Opens an export, gunzipping `.gz`.
fn open(path: &Path) -> anyhow::Result<Box<dyn BufRead>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let reader = std::io::BufReader::with_capacity(256 * 1024, file);
    Ok(if path.extension().is_some_and(|e| e == "gz") {
        Box::new(std::io::BufReader::with_capacity(
            256 * 1024,
            flate2::bufread::MultiGzDecoder::new(reader),
        ))
    } else {
        Box::new(reader)
    })
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// An attachment, as items refer to it.
#[derive(Clone, Debug, Default)]
struct Attachment {
    url: String,
    title: String,
    alt: String,
    caption: String,
    /// `_wp_attached_file`: its path under `uploads/`.
    file: String,
}

/// What the first pass keeps.
#[derive(Default)]
struct Survey {
    site: String,
    channel_lang: Option<Lang>,
    site_name: String,
    authors: Vec<WpAuthor>,
    categories: Vec<Term>,
    tags: Vec<Term>,
    /// Category term id → slug (Yoast names the primary category by id).
    category_ids: HashMap<i64, String>,
    /// Polylang's translation sets: term slug → (language, wp id).
    translation_sets: HashMap<String, Vec<(String, i64)>>,
    attachments: HashMap<i64, Attachment>,
    /// Page id → (slug, parent id).
    pages: HashMap<i64, (String, i64)>,
    /// Co-Authors Plus bylines not among the `wp:author`s: slug → name.
    guest_authors: BTreeMap<String, String>,
    items: u64,
}

/// Imports `files` into `store` (nothing written with `dry_run`).
pub async fn import_wxr(
    store: &Store,
    files: &[PathBuf],
    options: &Options,
    mut progress: impl FnMut(Progress),
) -> anyhow::Result<Report> {
    anyhow::ensure!(!files.is_empty(), "no export file given");
    let total_bytes: u64 = files.iter().map(|f| file_size(f)).sum();
    let mut report = Report {
        dry_run: options.dry_run,
        files: files.iter().map(|f| f.display().to_string()).collect(),
        ..Report::default()
    };

    // Pass 1: check everything, keep what items refer to.
    let mut survey = Survey::default();
    let mut done_bytes = 0;
    for path in files {
        let name = path.display().to_string();
        let mut reader = WxrReader::new(open(path)?, &name).without_bodies();
        while let Some(entry) = reader.next_entry()? {
            if let Entry::Item(item) = &entry {
                check_dates(item, &name, options)?;
                survey.items += 1;
                if survey.items % 500 == 0 {
                    progress(Progress {
                        pass: 1,
                        bytes: done_bytes + reader.bytes_read(),
                        total_bytes,
                        items: survey.items,
                    });
                }
            }
            survey.add(entry, reader.channel());
        }
        done_bytes += reader.bytes_read();
    }
    report.site = survey.site.clone();
    anyhow::ensure!(
        !survey.site.is_empty(),
        "{}: the channel names no site (<wp:base_blog_url> or <link>)",
        files[0].display()
    );

    // Pass 2: map items on a thread of their own (bodies are most of the
    // work) while this task stores the ones before, in one transaction.
    let survey = Arc::new(survey);
    let lang = survey.channel_lang.unwrap_or(options.default_lang);
    let mut run = Run::new(store, options, survey.clone(), report, lang).await?;
    run.people_and_places().await?;
    let mapper = mapping::Mapper {
        survey: survey.clone(),
        time_zone: options.time_zone.clone(),
        lang,
        media: media::Media::new(
            &survey.site,
            options.uploads.clone(),
            options.media_dir.clone(),
            options.dry_run,
        ),
    };
    let (sender, mut mapped) = tokio::sync::mpsc::channel(256);
    let files = files.to_vec();
    let mapping = tokio::task::spawn_blocking(move || map_all(mapper, &files, sender));
    let mut items = 0;
    while let Some(next) = mapped.recv().await {
        let (item, bytes) = next?;
        run.store(item).await?;
        items += 1;
        if items % 200 == 0 {
            progress(Progress {
                pass: 2,
                bytes,
                total_bytes,
                items,
            });
        }
    }
    run.report.media_files = mapping.await??;
    progress(Progress {
        pass: 2,
        bytes: total_bytes,
        total_bytes,
        items,
    });
    run.finish().await
}

/// The mapping thread: every item of `files`, mapped, with the bytes read
/// so far; returns how many media files it copied. Stops when the writer
/// hangs up (it failed).
fn map_all(
    mut mapper: mapping::Mapper,
    files: &[PathBuf],
    sender: tokio::sync::mpsc::Sender<anyhow::Result<(mapping::Mapped, u64)>>,
) -> anyhow::Result<u64> {
    let mut done_bytes = 0;
    for path in files {
        let name: Arc<str> = path.display().to_string().into();
        let mut reader = WxrReader::new(open(path)?, &name);
        loop {
            let entry = match reader.next_entry() {
                Ok(Some(entry)) => entry,
                Ok(None) => break,
                Err(e) => {
                    let _ = sender.blocking_send(Err(e.into()));
                    return Ok(mapper.media.copied());
                }
            };
            let warnings = reader.take_warnings();
            let Entry::Item(item) = entry else { continue };
            let result = mapper.map(&item, &name).map(|mut m| {
                for w in warnings {
                    m.report
                        .warn(&name, item.post_id, &item.title, w.at, w.message);
                }
                (m, done_bytes + reader.bytes_read())
            });
            let failed = result.is_err();
            if sender.blocking_send(result).is_err() || failed {
                return Ok(mapper.media.copied());
            }
        }
        done_bytes += reader.bytes_read();
    }
    Ok(mapper.media.copied())
}

/// A published item must have a date: the first pass stops on one that
/// has none readable, before anything is written.
fn check_dates(item: &Item, file: &str, options: &Options) -> anyhow::Result<()> {
    let published = matches!(item.status.as_str(), "publish" | "future");
    if published
        && fields::item_time(
            &item.post_date_gmt,
            &item.post_date,
            &item.pub_date,
            &options.time_zone,
        )
        .is_none()
    {
        anyhow::bail!(
            "{file}: {}: item {} ({:?}) has no readable date: wp:post_date_gmt {:?}, wp:post_date {:?}, pubDate {:?}",
            item.at,
            item.post_id,
            item.title,
            item.post_date_gmt,
            item.post_date,
            item.pub_date
        );
    }
    Ok(())
}

impl Survey {
    fn add(&mut self, entry: Entry, channel: &wxr::Channel) {
        if self.site.is_empty() {
            let base = [
                &channel.base_blog_url,
                &channel.link,
                &channel.base_site_url,
            ]
            .into_iter()
            .find(|u| !u.is_empty());
            if let Some(base) = base {
                self.site = base.trim_end_matches('/').to_string();
                self.site_name = fields::headline_of(&channel.title).0;
                let lang = channel.language.split(['-', '_']).next().unwrap_or("");
                self.channel_lang = lang.parse().ok();
            }
        }
        match entry {
            Entry::Author(a) => self.authors.push(a),
            Entry::Term(t) => match t.taxonomy.as_str() {
                "category" => {
                    self.category_ids.insert(t.id, t.slug.clone());
                    self.categories.push(t);
                }
                "post_tag" => self.tags.push(t),
                "post_translations" => {
                    let set = translation_set(&t.description);
                    self.translation_sets.insert(t.slug, set);
                }
                _ => {}
            },
            Entry::Item(item) => {
                for term in &item.terms {
                    if term.domain == "author" {
                        let slug = cap_slug(&term.nicename);
                        if !self.authors.iter().any(|a| slugify(&a.login) == slug) {
                            self.guest_authors
                                .entry(slug)
                                .or_insert_with(|| term.name.clone());
                        }
                    }
                    if term.domain == "category"
                        && !self.category_ids.values().any(|s| *s == term.nicename)
                    {
                        // A category used but not declared: keep it.
                        self.categories.push(Term {
                            taxonomy: "category".into(),
                            slug: term.nicename.clone(),
                            name: term.name.clone(),
                            ..Term::default()
                        });
                        self.category_ids
                            .insert(-(self.categories.len() as i64), term.nicename.clone());
                    }
                }
                match item.post_type.as_str() {
                    "attachment" => {
                        self.attachments.insert(
                            item.post_id,
                            Attachment {
                                url: item.attachment_url.clone(),
                                title: fields::headline_of(&item.title).0,
                                alt: item
                                    .meta("_wp_attachment_image_alt")
                                    .unwrap_or("")
                                    .to_string(),
                                caption: warraq_text::clean_text(&item.excerpt),
                                file: item.meta("_wp_attached_file").unwrap_or("").to_string(),
                            },
                        );
                    }
                    "page" => {
                        let slug = fields::slug_of(&item.post_name).0;
                        let slug = if slug.is_empty() {
                            format!("page-{}", item.post_id)
                        } else {
                            slug
                        };
                        self.pages.insert(item.post_id, (slug, item.post_parent));
                    }
                    _ => {}
                }
            }
        }
    }

    /// `about/team` for a page under `about`.
    fn page_path(&self, id: i64) -> String {
        let mut segments = Vec::new();
        let mut at = id;
        while let Some((slug, parent)) = self.pages.get(&at) {
            if segments.len() > 32 || segments.contains(slug) {
                break; // a cycle in broken data
            }
            segments.push(slug.clone());
            at = *parent;
        }
        segments.reverse();
        segments.join("/")
    }
}

/// `cap-jane-doe` → `jane-doe`: Co-Authors Plus prefixes its term slugs.
fn cap_slug(nicename: &str) -> String {
    slugify(nicename.strip_prefix("cap-").unwrap_or(nicename))
}

/// Polylang stores a translation set as a serialized PHP array
/// `{"ar": 101, "en": 102}` in the term's description.
fn translation_set(description: &str) -> Vec<(String, i64)> {
    let Ok(warraq_text::php::Value::Array(pairs)) =
        warraq_text::php::unserialize(description.trim())
    else {
        return Vec::new();
    };
    pairs
        .iter()
        .filter_map(|(key, value)| match key {
            warraq_text::php::Key::Str(lang) => Some((lang.clone(), value.as_i64()?)),
            _ => None,
        })
        .collect()
}

/// The second pass's writer: one transaction (none in a dry run).
struct Run<'a> {
    options: &'a Options,
    survey: Arc<Survey>,
    report: Report,
    tx: Option<crate::store::Import>,
    /// Author slugs stored in this run.
    authors: HashSet<String>,
    /// Articles by WordPress id, for featured images and translations.
    articles: HashMap<i64, i64>,
    covers: Vec<(i64, i64)>,
    /// Section slugs, for the redirects of category URLs.
    sections: HashSet<String>,
    /// The default edition: the channel's language, else the option.
    lang: Lang,
    /// Slugs given in this run, per language: duplicates in the file are
    /// told apart even in a dry run.
    slugs: HashSet<(Lang, String)>,
}

impl<'a> Run<'a> {
    async fn new(
        store: &Store,
        options: &'a Options,
        survey: Arc<Survey>,
        report: Report,
        lang: Lang,
    ) -> anyhow::Result<Run<'a>> {
        let tx = if options.dry_run {
            None
        } else {
            Some(store.begin_import(&survey.site).await?)
        };
        Ok(Run {
            options,
            survey,
            report,
            tx,
            authors: HashSet::new(),
            articles: HashMap::new(),
            covers: Vec::new(),
            sections: HashSet::new(),
            lang,
            slugs: HashSet::new(),
        })
    }

    /// Authors, sections (parents first) and their redirects.
    async fn people_and_places(&mut self) -> anyhow::Result<()> {
        let survey = self.survey.clone();
        let mut people: Vec<(String, String, String)> = survey
            .authors
            .iter()
            .map(|a| {
                let name = [
                    a.display_name.clone(),
                    format!("{} {}", a.first_name, a.last_name)
                        .trim()
                        .to_string(),
                    a.login.clone(),
                ]
                .into_iter()
                .find(|n| !n.is_empty())
                .unwrap_or_default();
                (a.login.clone(), slugify(&a.login), name)
            })
            .collect();
        people.extend(
            survey
                .guest_authors
                .iter()
                .map(|(slug, name)| (slug.clone(), slug.clone(), name.clone())),
        );
        for (login, slug, name) in people {
            if slug.is_empty() || !self.authors.insert(slug.clone()) {
                continue;
            }
            self.put_author(&login, &slug, &name).await?;
            // WordPress's author archives: /author/{nicename}/ and its feed.
            let target = format!("{}/author/{}/", self.lang.prefix(), encode(&slug));
            self.redirect_to(&format!("/author/{login}"), &target)
                .await?;
            self.redirect_to(
                &format!("/author/{login}/feed"),
                &format!("{target}feed.xml"),
            )
            .await?;
        }

        // Parents before children, whatever order the file has them in.
        let by_slug: HashMap<&str, &Term> = survey
            .categories
            .iter()
            .map(|t| (t.slug.as_str(), t))
            .collect();
        let mut ordered: Vec<&Term> = Vec::new();
        let mut placed: HashSet<&str> = HashSet::new();
        fn place<'t>(
            t: &'t Term,
            by_slug: &HashMap<&str, &'t Term>,
            placed: &mut HashSet<&'t str>,
            ordered: &mut Vec<&'t Term>,
            depth: usize,
        ) {
            if placed.contains(t.slug.as_str()) || depth > 32 {
                return;
            }
            if let Some(parent) = by_slug.get(t.parent.as_str()) {
                place(parent, by_slug, placed, ordered, depth + 1);
            }
            placed.insert(&t.slug);
            ordered.push(t);
        }
        for t in &survey.categories {
            place(t, &by_slug, &mut placed, &mut ordered, 0);
        }
        for term in ordered {
            let slug = section_slug(&term.slug);
            if slug.is_empty() || !self.sections.insert(slug.clone()) {
                continue;
            }
            let name = fields::headline_of(&term.name).0;
            let name = if name.is_empty() { slug.clone() } else { name };
            let parent = Some(section_slug(&term.parent)).filter(|p| !p.is_empty());
            let section = NewSection {
                slug: slug.clone(),
                names: vec![(self.lang, name)],
                parent,
            };
            if let Some(tx) = &mut self.tx {
                tx.section(&section).await?;
            }
            self.report.sections += 1;
            let target = format!("{}/section/{}/", self.lang.prefix(), encode(&slug));
            let mut paths = vec![term.slug.clone(), category_path(&by_slug, term)];
            paths.dedup();
            for path in paths {
                self.redirect_to(&format!("/category/{path}"), &target)
                    .await?;
                self.redirect_to(
                    &format!("/category/{path}/feed"),
                    &format!("{target}feed.xml"),
                )
                .await?;
            }
        }
        for tag in &survey.tags {
            // Tags are stored under the slug of their name (see
            // store::write), not WordPress's.
            let name = fields::headline_of(&tag.name).0;
            let slug = slugify(&name);
            if slug.is_empty() {
                continue;
            }
            if let Some(tx) = &mut self.tx {
                tx.tag(self.lang, &name).await?;
            }
            self.report.tags += 1;
            let target = format!("{}/tag/{}/", self.lang.prefix(), encode(&slug));
            self.redirect_to(&format!("/tag/{}", tag.slug), &target)
                .await?;
            self.redirect_to(&format!("/tag/{}/feed", tag.slug), &target)
                .await?;
        }
        Ok(())
    }

    async fn put_author(&mut self, login: &str, slug: &str, name: &str) -> anyhow::Result<()> {
        let extra = self.options.authors.get(login).cloned().unwrap_or_default();
        let mut profiles = vec![AuthorProfile {
            lang: Lang::Ar,
            name: name.to_string(),
            role: extra.role.clone(),
            bio: extra.bio.clone(),
        }];
        profiles.push(AuthorProfile {
            lang: Lang::En,
            name: if extra.name_en.is_empty() {
                name.to_string()
            } else {
                extra.name_en.clone()
            },
            role: if extra.role_en.is_empty() {
                extra.role.clone()
            } else {
                extra.role_en.clone()
            },
            bio: String::new(),
        });
        if let Some(tx) = &mut self.tx {
            tx.author(&NewAuthor {
                slug: slug.to_string(),
                profiles,
            })
            .await?;
        }
        self.report.authors += 1;
        Ok(())
    }

    /// An author for a byline that names no one in the export, made once,
    /// named by the login (or the site, when even that is empty).
    async fn ensure_author(&mut self, login: &str) -> anyhow::Result<String> {
        let slug = slugify(login);
        let slug = if slug.is_empty() {
            "staff".to_string()
        } else {
            slug
        };
        if self.authors.insert(slug.clone()) {
            let name = if login.is_empty() {
                self.survey.site_name.clone()
            } else {
                login.to_string()
            };
            self.put_author(login, &slug, &name).await?;
        }
        Ok(slug)
    }

    async fn redirect_to(&mut self, source_path: &str, location: &str) -> anyhow::Result<()> {
        let key = redirect_key(source_path, None);
        self.redirect(&key, &RedirectTarget::Location(location.to_string()))
            .await
    }

    async fn redirect(&mut self, key: &str, target: &RedirectTarget) -> anyhow::Result<()> {
        self.report.redirects += 1;
        if let Some(tx) = &mut self.tx {
            tx.redirect(key, target).await?;
        }
        Ok(())
    }

    /// Stores one mapped item and the old URLs that lead to it.
    async fn store(&mut self, mapped: mapping::Mapped) -> anyhow::Result<()> {
        let mapping::Mapped {
            file,
            wp_id,
            at,
            digest,
            what,
            report,
        } = mapped;
        self.report.absorb(report);
        let (target, keys) = match what {
            mapping::What::Skip(why) => {
                self.report.skip(&why);
                return Ok(());
            }
            mapping::What::Media { record, keys } => {
                let (_, outcome) = self.put(wp_id, &digest, StoreItem::Media(&record)).await?;
                self.report.media.add(outcome);
                (RedirectTarget::Location(record.url.clone()), keys)
            }
            mapping::What::Page { page, keys } => {
                let (id, outcome) = self.put(wp_id, &digest, StoreItem::Page(&page)).await?;
                self.report.pages.add(outcome);
                if outcome == Outcome::Unchanged {
                    return Ok(());
                }
                (RedirectTarget::Page(id), keys)
            }
            mapping::What::Post(post) => {
                let Some((id, keys)) = self.post(*post, (&file, at), wp_id, &digest).await? else {
                    return Ok(());
                };
                (RedirectTarget::Article(id), keys)
            }
        };
        for key in keys {
            self.redirect(&key, &target).await?;
        }
        Ok(())
    }

    async fn put(
        &mut self,
        wp_id: i64,
        digest: &str,
        item: StoreItem<'_>,
    ) -> anyhow::Result<(i64, Outcome)> {
        match &mut self.tx {
            Some(tx) => tx.put(wp_id, digest, item).await,
            None => Ok((0, Outcome::Created)),
        }
    }

    /// Stores a post: its slug made free, its byline's author made when
    /// the export does not know them. The keys of its old URLs, unless it
    /// was unchanged.
    async fn post(
        &mut self,
        post: mapping::Post,
        (file, at): (&str, wxr::Location),
        wp_id: i64,
        digest: &str,
    ) -> anyhow::Result<Option<(i64, Vec<String>)>> {
        let mapping::Post {
            mut article,
            body,
            creator,
            creator_known,
            thumbnail,
            keys,
        } = post;
        let title = article.headline.clone();
        let wanted = article.slug.clone();
        let lang = article.lang;
        // Two items of this run with one slug: the later gets a suffix (in
        // a dry run too), as does one that another article holds already.
        let mut slug = wanted.clone();
        let mut n = 2;
        while self.slugs.contains(&(lang, slug.clone())) {
            slug = format!("{wanted}-{n}");
            n += 1;
        }
        if let Some(tx) = &self.tx {
            slug = tx.free_slug(lang, &slug, tx.known(wp_id, ItemKind::Article));
        }
        if slug != wanted {
            let reason = format!("slug {wanted:?} is taken: stored as {slug:?}");
            self.report.warn(file, wp_id, &title, at, reason);
        }
        self.slugs.insert((lang, slug.clone()));
        article.slug = slug;
        if article.author_slugs.is_empty() {
            if !creator_known {
                let reason =
                    format!("author {creator:?} is not among the export's authors: created");
                self.report.warn(file, wp_id, &title, at, reason);
            }
            article
                .author_slugs
                .push(self.ensure_author(&creator).await?);
        }
        if article.section_slugs.is_empty() {
            if self.sections.insert(UNCATEGORIZED.to_string()) {
                if let Some(tx) = &mut self.tx {
                    tx.section(&NewSection {
                        slug: UNCATEGORIZED.into(),
                        names: vec![(self.lang, UNCATEGORIZED.into())],
                        parent: None,
                    })
                    .await?;
                }
            }
            article.section_slugs.push(UNCATEGORIZED.into());
        }
        let (id, outcome) = self
            .put(wp_id, digest, StoreItem::Article(&article, &body))
            .await?;
        self.report.articles.add(outcome);
        self.articles.insert(wp_id, id);
        if let Some(media) = thumbnail {
            self.covers.push((id, media));
        }
        Ok((outcome != Outcome::Unchanged).then_some((id, keys)))
    }

    async fn finish(mut self) -> anyhow::Result<Report> {
        let survey = self.survey.clone();
        let Some(mut tx) = self.tx.take() else {
            return Ok(self.report);
        };
        for (article, wp_media) in std::mem::take(&mut self.covers) {
            if let Some(media) = tx.known(wp_media, ItemKind::Media) {
                tx.cover(article, media).await?;
            }
        }
        for set in survey.translation_sets.values() {
            let ids: Vec<i64> = set
                .iter()
                .filter_map(|(_, wp)| {
                    self.articles
                        .get(wp)
                        .copied()
                        .or_else(|| tx.known(*wp, ItemKind::Article))
                })
                .collect();
            if let [a, b] = ids[..] {
                tx.translations(a, b).await?;
                self.report.translations += 1;
            }
        }
        tx.commit().await?;
        Ok(self.report)
    }
}

/// A section slug from a category nicename (percent-decoded, cleaned).
fn section_slug(nicename: &str) -> String {
    fields::slug_of(nicename).0
}

/// `news/politics`: a category's path through its parents, as WordPress's
/// category archive URLs spell it.
fn category_path(by_slug: &HashMap<&str, &Term>, term: &Term) -> String {
    let mut segments = vec![term.slug.clone()];
    let mut at = term;
    while let Some(parent) = by_slug.get(at.parent.as_str()) {
        if segments.len() > 32 || segments.contains(&parent.slug) {
            break;
        }
        segments.push(parent.slug.clone());
        at = parent;
    }
    segments.reverse();
    segments.join("/")
}

fn encode(slug: &str) -> String {
    crate::render::encode_segment(slug)
}

/// A digest of everything the mapping reads of an item.
fn digest(item: &Item, with_uploads: bool) -> String {
    let mut h = SipHasher13::new();
    let texts = [
        &item.title,
        &item.link,
        &item.pub_date,
        &item.creator,
        &item.guid,
        &item.content,
        &item.excerpt,
        &item.post_date,
        &item.post_date_gmt,
        &item.post_name,
        &item.status,
        &item.post_type,
        &item.post_password,
        &item.attachment_url,
    ];
    std::hash::Hash::hash(
        &(
            MAPPING_VERSION,
            with_uploads,
            texts,
            item.post_parent,
            item.menu_order,
            &item.terms,
            &item.meta,
        ),
        &mut h,
    );
    let d = h.finish128();
    format!("{:016x}{:016x}", d.h1, d.h2)
}
