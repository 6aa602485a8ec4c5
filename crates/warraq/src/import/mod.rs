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
mod media;
pub mod report;
pub mod wxr;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use anyhow::Context;
use jiff::tz::TimeZone;
use siphasher::sip128::{Hasher128, SipHasher13};

use crate::model::{
    redirect_key, slugify, AuthorProfile, Cover, Lang, NewArticle, NewAuthor, NewMedia, NewPage,
    NewSection, RedirectTarget, Status,
};
use crate::store::{Item as StoreItem, ItemKind, Store};
use fields::Fate;
use report::{NotPublic, Report};
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
        let mut reader = WxrReader::new(open(path)?, &name);
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

    // Pass 2: store.
    let mut run = Run::new(store, options, &survey, report, options.dry_run).await?;
    run.people_and_places().await?;
    let mut items = 0;
    let mut done_bytes = 0;
    for path in files {
        let name = path.display().to_string();
        let mut reader = WxrReader::new(open(path)?, &name);
        while let Some(entry) = reader.next_entry()? {
            let (id, title) = match &entry {
                Entry::Item(item) => (item.post_id, item.title.as_str()),
                _ => (0, ""),
            };
            for w in reader.take_warnings() {
                run.report.warn(&name, id, title, w.at, w.message);
            }
            let Entry::Item(item) = entry else { continue };
            run.item(&item, &name).await?;
            items += 1;
            if items % 200 == 0 {
                progress(Progress {
                    pass: 2,
                    bytes: done_bytes + reader.bytes_read(),
                    total_bytes,
                    items,
                });
            }
        }
        done_bytes += reader.bytes_read();
    }
    progress(Progress {
        pass: 2,
        bytes: total_bytes,
        total_bytes,
        items,
    });
    run.finish().await
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

/// The second pass: one transaction (none in a dry run).
struct Run<'a> {
    options: &'a Options,
    survey: &'a Survey,
    report: Report,
    tx: Option<crate::store::Import>,
    /// WordPress login (slugified) → author slug.
    authors: HashSet<String>,
    /// Articles by WordPress id, for featured images and translations.
    articles: HashMap<i64, i64>,
    covers: Vec<(i64, i64)>,
    media: media::Media,
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
        survey: &'a Survey,
        report: Report,
        dry_run: bool,
    ) -> anyhow::Result<Run<'a>> {
        let tx = if dry_run {
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
            media: media::Media::new(
                &survey.site,
                options.uploads.clone(),
                options.media_dir.clone(),
                dry_run,
            ),
            sections: HashSet::new(),
            lang: survey.channel_lang.unwrap_or(options.default_lang),
            slugs: HashSet::new(),
        })
    }

    /// Authors, sections (parents first) and their redirects.
    async fn people_and_places(&mut self) -> anyhow::Result<()> {
        let survey = self.survey;
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

    /// An author for a byline that names no known person: created once.
    async fn ensure_author(&mut self, login: &str, name: &str) -> anyhow::Result<String> {
        let slug = slugify(login);
        let slug = if slug.is_empty() {
            "staff".to_string()
        } else {
            slug
        };
        if self.authors.insert(slug.clone()) {
            let name = if name.is_empty() {
                if login.is_empty() {
                    self.survey.site_name.clone()
                } else {
                    login.to_string()
                }
            } else {
                name.to_string()
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

    fn lang_of(&self, item: &Item) -> Lang {
        item.terms
            .iter()
            .filter(|t| t.domain == "language")
            .find_map(|t| t.nicename.split(['-', '_']).next()?.parse().ok())
            .unwrap_or(self.lang)
    }

    async fn item(&mut self, item: &Item, file: &str) -> anyhow::Result<()> {
        self.report.skipped_comments(item.comments);
        let kind = item.post_type.as_str();
        if !matches!(kind, "post" | "page" | "attachment") {
            self.report.skip(kind);
            return Ok(());
        }
        let Fate::Keep(status) = fields::fate(&item.status, &item.post_password) else {
            self.report.skip(if item.status == "trash" {
                "trash"
            } else {
                "other statuses"
            });
            return Ok(());
        };
        match kind {
            "attachment" => self.attachment(item).await,
            _ => self.post(item, file, status).await,
        }
    }

    async fn attachment(&mut self, item: &Item) -> anyhow::Result<()> {
        let Some(found) = self.survey.attachments.get(&item.post_id) else {
            return Ok(());
        };
        let (url, file) = match self.media.copy_attachment(&found.file)? {
            Some(local) => (format!("/media/{local}"), Some(local)),
            None => (found.url.clone(), None),
        };
        let record = NewMedia {
            url: url.clone(),
            file,
            title: found.title.clone(),
            alt: found.alt.clone(),
            caption: found.caption.clone(),
            created_at: fields::item_time(
                &item.post_date_gmt,
                &item.post_date,
                &item.pub_date,
                &self.options.time_zone,
            )
            .map(|t| t.as_second())
            .unwrap_or(0),
        };
        let digest = digest(item, self.media.enabled());
        let outcome = match &mut self.tx {
            Some(tx) => {
                tx.put(item.post_id, &digest, StoreItem::Media(&record))
                    .await?
                    .1
            }
            None => crate::store::Outcome::Created,
        };
        self.report.media.add(outcome);
        self.redirect(
            &format!("/?attachment_id={}", item.post_id),
            &RedirectTarget::Location(url.clone()),
        )
        .await?;
        if let Some((path, _)) = fields::path_and_query(&item.link) {
            let key = redirect_key(path, None);
            if key != "/" {
                self.redirect(&key, &RedirectTarget::Location(url)).await?;
            }
        }
        Ok(())
    }

    async fn post(&mut self, item: &Item, file: &str, status: Status) -> anyhow::Result<()> {
        let lang = self.lang_of(item);
        let (headline, stripped_title) = fields::headline_of(&item.title);
        let warn = |report: &mut Report, reason: String| {
            report.warn(file, item.post_id, &item.title, item.at, reason)
        };
        if stripped_title {
            warn(
                &mut self.report,
                "invisible direction or zero-width characters removed from the title".into(),
            );
        }
        let attachments = &self.survey.attachments;
        let body = body::body_of(&item.content, &|id| {
            attachments.get(&id).map(|a| warraq_text::blocks::MediaRef {
                url: a.url.clone(),
                alt: a.alt.clone(),
                caption: a.caption.clone(),
            })
        });
        for (name, n) in &body.unknown_shortcodes {
            *self
                .report
                .unknown_shortcodes
                .entry(name.clone())
                .or_default() += n;
        }
        for name in &body.unknown_blocks {
            *self.report.unknown_blocks.entry(name.clone()).or_default() += 1;
        }
        let body_html = self.media.rewrite(&body.html, &mut self.report)?;
        let plain = warraq_text::clean_text(&body_html);
        let headline = if headline.is_empty() {
            warn(
                &mut self.report,
                "no title: the body's first words stand in".into(),
            );
            let first: String = fields::first_sentence(&plain).chars().take(80).collect();
            if first.is_empty() {
                format!("#{}", item.post_id)
            } else {
                first
            }
        } else {
            headline
        };
        let published_at = fields::item_time(
            &item.post_date_gmt,
            &item.post_date,
            &item.pub_date,
            &self.options.time_zone,
        );
        let published_at = match published_at {
            Some(t) => t,
            None => {
                warn(&mut self.report, "no date: dated now".into());
                jiff::Timestamp::now()
            }
        };
        if status != Status::Published {
            self.report.not_public.push(NotPublic {
                wp_id: item.post_id,
                title: headline.clone(),
                status: if item.post_password.is_empty() {
                    item.status.clone()
                } else {
                    "password-protected".into()
                },
            });
        }
        let yoast_desc = item.meta("_yoast_wpseo_metadesc").unwrap_or("").trim();
        let excerpt = warraq_text::clean_text(&item.excerpt);
        let standfirst = if !excerpt.is_empty() {
            excerpt.clone()
        } else if !yoast_desc.is_empty() {
            yoast_desc.to_string()
        } else {
            let first = fields::first_sentence(&plain);
            if first.is_empty() {
                headline.clone()
            } else {
                if item.post_type == "post" {
                    warn(
                        &mut self.report,
                        "no excerpt: the standfirst is the body's first sentence".into(),
                    );
                }
                first
            }
        };
        let seo = crate::model::Seo {
            title: item
                .meta("_yoast_wpseo_title")
                .map(|t| fields::yoast_title(t, &headline, &self.survey.site_name, &excerpt))
                .unwrap_or_default(),
            description: yoast_desc.to_string(),
            canonical: item
                .meta("_yoast_wpseo_canonical")
                .unwrap_or("")
                .trim()
                .to_string(),
            noindex: item.meta("_yoast_wpseo_meta-robots-noindex") == Some("1"),
        };
        let digest = digest(item, self.media.enabled());

        if item.post_type == "page" {
            let path = self.survey.page_path(item.post_id);
            let page = NewPage {
                lang,
                path: path.clone(),
                title: headline,
                body_html,
                status,
                seo_title: seo.title,
                meta_description: seo.description,
                position: item.menu_order,
                published_at,
                updated_at: published_at,
            };
            let (id, outcome) = match &mut self.tx {
                Some(tx) => {
                    tx.put(item.post_id, &digest, StoreItem::Page(&page))
                        .await?
                }
                None => (0, crate::store::Outcome::Created),
            };
            self.report.pages.add(outcome);
            if outcome != crate::store::Outcome::Unchanged {
                self.old_urls(
                    item,
                    RedirectTarget::Page(id),
                    &format!("/?page_id={}", item.post_id),
                )
                .await?;
            }
            return Ok(());
        }

        let (slug, stripped_slug) = fields::slug_of(&item.post_name);
        if stripped_slug {
            warn(
                &mut self.report,
                "invisible direction or zero-width characters removed from the slug".into(),
            );
        }
        let slug = [slug, slugify(&headline)]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| format!("wp-{}", item.post_id));
        let wanted = slug.clone();
        // Two items of this run with one slug: the later gets a suffix (in
        // a dry run too), as does one that another article holds already.
        let mut slug = slug;
        let mut n = 2;
        while self.slugs.contains(&(lang, slug.clone())) {
            slug = format!("{wanted}-{n}");
            n += 1;
        }
        let own = self
            .tx
            .as_ref()
            .and_then(|tx| tx.known(item.post_id, ItemKind::Article));
        if let Some(tx) = &self.tx {
            slug = tx.free_slug(lang, &slug, own);
        }
        if slug != wanted {
            warn(
                &mut self.report,
                format!("slug {wanted:?} is taken: stored as {slug:?}"),
            );
        }
        self.slugs.insert((lang, slug.clone()));

        let mut author_slugs = Vec::new();
        for term in item.terms.iter().filter(|t| t.domain == "author") {
            let slug = cap_slug(&term.nicename);
            if !slug.is_empty() && !author_slugs.contains(&slug) {
                author_slugs.push(slug);
            }
        }
        if author_slugs.is_empty() {
            let creator = item.creator.as_str();
            let known = self
                .survey
                .authors
                .iter()
                .any(|a| slugify(&a.login) == slugify(creator));
            if !known {
                warn(
                    &mut self.report,
                    format!("author {creator:?} is not among the export's authors: created"),
                );
            }
            author_slugs.push(self.ensure_author(creator, "").await?);
        }

        let mut section_slugs: Vec<String> = item
            .terms
            .iter()
            .filter(|t| t.domain == "category")
            .map(|t| section_slug(&t.nicename))
            .filter(|s| !s.is_empty())
            .collect();
        if let Some(primary) = item
            .meta("_yoast_wpseo_primary_category")
            .and_then(|id| id.trim().parse::<i64>().ok())
            .and_then(|id| self.survey.category_ids.get(&id))
        {
            let primary = section_slug(primary);
            section_slugs.retain(|s| *s != primary);
            section_slugs.insert(0, primary);
        }
        if section_slugs.is_empty() {
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
            section_slugs.push(UNCATEGORIZED.into());
        }
        let tag_names: Vec<String> = item
            .terms
            .iter()
            .filter(|t| t.domain == "post_tag")
            .map(|t| fields::headline_of(&t.name).0)
            .filter(|n| !slugify(n).is_empty())
            .collect();

        let article = NewArticle {
            slug,
            lang,
            headline,
            standfirst,
            body_html,
            author_slugs,
            section_slugs,
            tag_names,
            cover: None::<Cover>,
            status,
            published_at,
            updated_at: published_at,
            seo,
        };
        let (id, outcome) = match &mut self.tx {
            Some(tx) => {
                tx.put(item.post_id, &digest, StoreItem::Article(&article))
                    .await?
            }
            None => (0, crate::store::Outcome::Created),
        };
        self.report.articles.add(outcome);
        self.articles.insert(item.post_id, id);
        if let Some(media) = item
            .meta("_thumbnail_id")
            .and_then(|m| m.trim().parse::<i64>().ok())
        {
            self.covers.push((id, media));
        }
        if outcome != crate::store::Outcome::Unchanged {
            self.old_urls(
                item,
                RedirectTarget::Article(id),
                &format!("/?p={}", item.post_id),
            )
            .await?;
        }
        Ok(())
    }

    /// The old URLs of a post or page: its link, `?p=ID` / `?page_id=ID`,
    /// its guid when it is on the site, and its old slugs.
    async fn old_urls(
        &mut self,
        item: &Item,
        target: RedirectTarget,
        id_link: &str,
    ) -> anyhow::Result<()> {
        let mut keys = vec![id_link.to_string()];
        let site_host = fields::host_of(&self.survey.site);
        let mut link_path = None;
        for url in [&item.link, &item.guid] {
            if fields::host_of(url).is_some() && fields::host_of(url) == site_host {
                if let Some((path, query)) = fields::path_and_query(url) {
                    let key = redirect_key(path, query);
                    if key != "/" {
                        keys.push(key);
                    }
                    if url == &item.link && query.is_none() {
                        link_path = Some(path.to_string());
                    }
                }
            }
        }
        if let Some(path) = link_path {
            let trimmed = path.trim_end_matches('/');
            if let Some(slash) = trimmed.rfind('/') {
                for old in item.metas("_wp_old_slug") {
                    keys.push(redirect_key(
                        &format!("{}/{}", &trimmed[..slash], old),
                        None,
                    ));
                }
            }
        }
        keys.sort();
        keys.dedup();
        for key in keys {
            self.redirect(&key, &target).await?;
        }
        Ok(())
    }

    async fn finish(mut self) -> anyhow::Result<Report> {
        let survey = self.survey;
        let Some(mut tx) = self.tx.take() else {
            self.report.media_files = self.media.copied();
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
        self.report.media_files = self.media.copied();
        Ok(self.report)
    }
}

impl Report {
    fn skipped_comments(&mut self, n: usize) {
        if n > 0 {
            *self.skipped.entry("comment".into()).or_default() += n as u64;
        }
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
