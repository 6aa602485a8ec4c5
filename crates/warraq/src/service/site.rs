//! The site around the articles, as staff write it: static pages (a tree
//! of paths per edition), sections, byline profiles and the redirects
//! table. One path for the back office's forms and the write API, with
//! the same checks, permissions ([`crate::model::Role::manages_site`]) and
//! audit entries, and the same [`FieldError`]s as article saves.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;

use super::editing::present;
use super::{EditError, FieldError, Newsroom};
use crate::model::{
    redirect_key, slugify, valid_slug, Actor, AuditAction, AuthorProfile, Lang, NewPage,
    RedirectTarget, Status, User,
};
use crate::render::Urls;
use crate::store::{
    AuthorRow, PageMove, PageSave, RedirectRow, SectionRow, SiteSave, SlugTable, StaffPage,
};

/// The fields of a page save; absent ones keep their stored value (or
/// their default, for a new page).
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PageInput {
    /// `ar` or `en`; required for a new page.
    pub lang: Option<String>,
    pub title: Option<String>,
    /// The last segment of its path; made from the title when absent.
    pub slug: Option<String>,
    pub body_html: Option<String>,
    /// draft, review, published or private.
    pub status: Option<String>,
    /// The page it sits under, in the same edition (`null`: at the top).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    pub seo_title: Option<String>,
    pub meta_description: Option<String>,
    /// Its place among its siblings in menus.
    pub position: Option<i64>,
}

/// The fields of a section save.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionInput {
    /// Made from its first name when absent.
    pub slug: Option<String>,
    /// Its name per language (`{"ar": "سياسة", "en": "Politics"}`); an empty
    /// name removes that language's, which then shows the Arabic one.
    pub names: Option<BTreeMap<String, String>>,
    /// Its place in the navigation (smallest first).
    pub position: Option<i64>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
}

/// The fields of a byline profile save.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorInput {
    pub slug: Option<String>,
    /// An http(s) URL or a path on this site; empty removes the photo.
    pub photo_url: Option<String>,
    /// Its face per language; languages left out keep theirs.
    pub profiles: Option<BTreeMap<String, ProfileInput>>,
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    pub name: String,
    /// The role line of the byline ("Beirut correspondent").
    #[serde(default)]
    pub role: String,
    /// Plain text.
    #[serde(default)]
    pub bio: String,
}

/// A fixed redirect.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedirectInput {
    /// The old path on this site (`/old-page/`, `/2019/05/01/story/`).
    pub source: String,
    /// Where it leads now: a path on this site or an http(s) URL.
    pub location: String,
}

const MAX_TITLE_CHARS: usize = 300;
const MAX_NAME_CHARS: usize = 200;
const MAX_BIO_CHARS: usize = 5000;
/// How far a chain of redirects is followed looking for a loop.
const MAX_CHAIN: usize = 20;
const PAGE_STATUSES: [Status; 4] = [
    Status::Draft,
    Status::Review,
    Status::Published,
    Status::Private,
];
/// First path segments the site answers itself: a page there would never
/// be reached, a redirect from there never asked.
const RESERVED: &[&str] = &[
    "admin", "api", "static", "media", "section", "tag", "author", "search", "healthz", "hit",
    "metrics", "en",
];
const RESERVED_FILES: &[&str] = &["feed.xml", "hit.gif"];

/// Collects the fields that fail, in order.
#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: &str, code: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            code,
            message: message.into(),
        });
    }

    /// The language `code` names, or None with the error for `field`.
    fn lang(&mut self, field: &str, code: &str) -> Option<Lang> {
        code.parse().map_err(|e| self.add(field, "invalid", e)).ok()
    }

    fn check(self) -> Result<(), EditError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(EditError::Invalid(self.0))
        }
    }
}

fn may_manage(user: &User) -> Result<(), EditError> {
    if user.role.manages_site() {
        Ok(())
    } else {
        Err(EditError::Forbidden(format!(
            "the {} role may not change pages, sections, bylines or redirects",
            user.role
        )))
    }
}

/// The key a page's public URL is stored under in the redirects table.
pub fn page_key(lang: Lang, path: &str) -> String {
    redirect_key(&format!("{}/{path}/", lang.prefix()), None)
}

/// The path a page sits under (`about` for `about/team`).
pub fn parent_path(path: &str) -> Option<&str> {
    path.rsplit_once('/').map(|(parent, _)| parent)
}

fn last_segment(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, last)| last)
}

/// Whether `path` is somewhere under `ancestor`.
fn is_under(path: &str, ancestor: &str) -> bool {
    path.len() > ancestor.len() + 1
        && path.starts_with(ancestor)
        && path.as_bytes()[ancestor.len()] == b'/'
}

/// URLs a photo or redirect may lead to: http(s), or a path on this site
/// (not `//host`).
fn safe_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || (url.starts_with('/') && !url.starts_with("//"))
}

fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

impl Newsroom {
    /// Creates (`id` None) or changes a page. A page whose path changes
    /// takes the pages under it along, and every one of them that was
    /// public leaves a 301 at its old URL.
    pub async fn save_page(
        &self,
        user: &User,
        by: &Actor,
        id: Option<i64>,
        input: PageInput,
    ) -> Result<StaffPage, EditError> {
        may_manage(user)?;
        let existing = match id {
            Some(id) => Some(
                self.store
                    .staff_page(id)
                    .await?
                    .ok_or(EditError::NotFound)?,
            ),
            None => None,
        };
        let old = existing.as_ref().map(|p| &p.page);
        let now = Timestamp::now();
        let mut errors = Errors::default();

        let mut lang = old.map_or(Lang::Ar, |p| p.lang);
        match &input.lang {
            Some(l) => match l.parse() {
                Ok(l) => lang = l,
                Err(e) => errors.add("lang", "invalid", e),
            },
            None if old.is_none() => {
                errors.add("lang", "missing", "give the edition: \"ar\" or \"en\"")
            }
            None => {}
        }
        let title = match &input.title {
            Some(t) => t.trim().to_string(),
            None => old.map(|p| p.title.clone()).unwrap_or_default(),
        };
        if title.is_empty() {
            errors.add("title", "missing", "the title is empty");
        } else if too_long(&title, MAX_TITLE_CHARS) {
            errors.add(
                "title",
                "too_long",
                format!("the title is longer than {MAX_TITLE_CHARS} characters"),
            );
        }
        let slug = match input.slug.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => {
                if !valid_slug(s) {
                    errors.add(
                        "slug",
                        "invalid",
                        format!("{s:?} is not a slug: letters, digits and '-' only"),
                    );
                }
                s.to_string()
            }
            _ => match old {
                Some(p) => last_segment(&p.path).to_string(),
                None => slugify(&title),
            },
        };
        if slug.is_empty() && !title.is_empty() {
            errors.add(
                "slug",
                "missing",
                "the title has no letters or digits to make a slug of: give one",
            );
        }

        let parent = match input.parent_id {
            Some(None) => None,
            Some(Some(pid)) => match self.store.staff_page(pid).await? {
                None => {
                    errors.add("parent_id", "unknown", format!("no page {pid}"));
                    None
                }
                Some(p) if p.page.lang != lang => {
                    errors.add(
                        "parent_id",
                        "invalid",
                        format!("page {pid} is in the other edition"),
                    );
                    None
                }
                Some(p)
                    if Some(pid) == id
                        || old.is_some_and(|o| {
                            o.lang == p.page.lang && is_under(&p.page.path, &o.path)
                        }) =>
                {
                    errors.add(
                        "parent_id",
                        "invalid",
                        "a page cannot go under itself or a page under it",
                    );
                    None
                }
                Some(p) => Some(p.page.path),
            },
            None => {
                let kept = old.and_then(|o| parent_path(&o.path)).map(str::to_string);
                // The same parent in the other edition is another page:
                // moving a page across editions needs its new parent named.
                if let (Some(o), Some(path)) = (old, &kept) {
                    if o.lang != lang && self.store.page_id_at(lang, path).await?.is_none() {
                        errors.add(
                            "parent_id",
                            "missing",
                            format!("no page /{path}/ in the {lang} edition: give parent_id"),
                        );
                    }
                }
                kept
            }
        };
        if parent.is_none() && reserved(&slug) {
            errors.add(
                "slug",
                "invalid",
                format!("/{slug}/ is an address the site itself answers"),
            );
        }
        let path = match &parent {
            Some(p) => format!("{p}/{slug}"),
            None => slug.clone(),
        };
        let status = match input.status.as_deref() {
            None => old.map_or(Status::Draft, |p| p.status),
            Some(s) => match s.parse::<Status>() {
                Ok(st) if PAGE_STATUSES.contains(&st) => st,
                _ => {
                    errors.add(
                        "status",
                        "invalid",
                        format!("{s:?}: expected draft, review, published or private"),
                    );
                    Status::Draft
                }
            },
        };
        let seo_title = match &input.seo_title {
            Some(t) => t.trim().to_string(),
            None => old.map(|p| p.seo_title.clone()).unwrap_or_default(),
        };
        if too_long(&seo_title, MAX_TITLE_CHARS) {
            errors.add(
                "seo_title",
                "too_long",
                format!("longer than {MAX_TITLE_CHARS} characters"),
            );
        }
        let meta_description = match &input.meta_description {
            Some(t) => t.trim().to_string(),
            None => old.map(|p| p.meta_description.clone()).unwrap_or_default(),
        };

        // The pages under it move with it, shortest path first.
        let moving = old.filter(|o| o.lang != lang || o.path != path);
        let mut under: Vec<StaffPage> = match moving {
            Some(o) => self
                .store
                .staff_pages(Some(o.lang))
                .await?
                .into_iter()
                .filter(|p| is_under(&p.page.path, &o.path))
                .collect(),
            None => Vec::new(),
        };
        under.sort_by_key(|p| p.page.path.len());
        let moved: Vec<PageMove> = match moving {
            Some(o) => under
                .iter()
                .map(|p| PageMove {
                    id: p.page.id,
                    lang,
                    path: format!("{path}{}", &p.page.path[o.path.len()..]),
                })
                .collect(),
            None => Vec::new(),
        };
        if errors.0.is_empty() {
            let ours: Vec<i64> = id.into_iter().chain(moved.iter().map(|m| m.id)).collect();
            let places = std::iter::once((lang, path.as_str()))
                .chain(moved.iter().map(|m| (m.lang, m.path.as_str())));
            for (l, p) in places {
                if let Some(other) = self.store.page_id_at(l, p).await? {
                    if !ours.contains(&other) {
                        errors.add(
                            "slug",
                            "taken",
                            format!("page {other} is already at /{p}/ in the {l} edition"),
                        );
                        break;
                    }
                }
            }
        }
        errors.check()?;

        let mut redirects = Vec::new();
        if let Some(o) = moving {
            let was_public = std::iter::once(o).chain(under.iter().map(|p| &p.page));
            for p in was_public.filter(|p| p.visible(now)) {
                redirects.push((page_key(p.lang, &p.path), p.id));
            }
        }
        let live_keys: Vec<String> = std::iter::once(page_key(lang, &path))
            .chain(moved.iter().map(|m| page_key(m.lang, &m.path)))
            .collect();
        let published_at = match old {
            Some(o) if o.status == Status::Published || status != Status::Published => {
                o.published_at
            }
            _ => now,
        };
        let body = input
            .body_html
            .as_deref()
            .map(warraq_text::sanitize_body)
            .or_else(|| old.map(|p| p.body_html.clone()))
            .unwrap_or_default();
        let page = NewPage {
            lang,
            path: path.clone(),
            title: title.clone(),
            body_html: body,
            status,
            seo_title,
            meta_description,
            position: input
                .position
                .or(existing.as_ref().map(|p| p.position))
                .unwrap_or(0),
            published_at,
            updated_at: now,
        };
        let (action, detail) = match moving {
            None if old.is_none() => (AuditAction::PageCreate, title),
            None => (AuditAction::PageUpdate, String::new()),
            Some(o) => (
                AuditAction::PageUpdate,
                format!("/{}/ → /{path}/ ({} under it)", o.path, moved.len()),
            ),
        };
        let save = PageSave {
            moved: &moved,
            redirects: &redirects,
            live_keys: &live_keys,
            audit: (by, action, &detail),
        };
        let id = self.store.save_page(id, &page, save).await?;
        self.store.staff_page(id).await?.ok_or(EditError::NotFound)
    }

    /// The page a page sits under, if it has one.
    pub async fn page_parent(&self, page: &StaffPage) -> anyhow::Result<Option<i64>> {
        match parent_path(&page.page.path) {
            Some(parent) => self.store.page_id_at(page.page.lang, parent).await,
            None => Ok(None),
        }
    }

    /// Creates (`id` None) or changes a section. A new slug leaves 301s
    /// from the section's old pages.
    pub async fn save_section(
        &self,
        user: &User,
        by: &Actor,
        id: Option<i64>,
        input: SectionInput,
    ) -> Result<SectionRow, EditError> {
        may_manage(user)?;
        let all = self.store.section_rows().await?;
        let existing = match id {
            Some(id) => Some(
                all.iter()
                    .find(|s| s.id == id)
                    .cloned()
                    .ok_or(EditError::NotFound)?,
            ),
            None => None,
        };
        let mut errors = Errors::default();
        let mut s = existing.clone().unwrap_or_else(|| SectionRow {
            id: 0,
            slug: String::new(),
            position: all.iter().map(|s| s.position).max().unwrap_or(0) + 1,
            parent_id: None,
            names: Vec::new(),
        });
        for (code, name) in input.names.iter().flatten() {
            let field = format!("names.{code}");
            let Some(lang) = errors.lang(&field, code) else {
                continue;
            };
            let name = name.trim();
            s.names.retain(|(l, _)| *l != lang);
            if too_long(name, MAX_NAME_CHARS) {
                errors.add(
                    &field,
                    "too_long",
                    format!("longer than {MAX_NAME_CHARS} characters"),
                );
            } else if !name.is_empty() {
                s.names.push((lang, name.to_string()));
            }
        }
        s.names.sort_by_key(|(l, _)| l.code());
        if s.names.is_empty() {
            errors.add(
                "names",
                "missing",
                "a section needs a name in at least one language",
            );
        }
        match input.slug.as_deref().map(str::trim) {
            Some(slug) if !slug.is_empty() => s.slug = slug.to_string(),
            _ if existing.is_none() => {
                s.slug = s.names.first().map(|(_, n)| slugify(n)).unwrap_or_default()
            }
            _ => {}
        }
        self.check_slug(&mut errors, SlugTable::Sections, &s.slug, id)
            .await?;
        if let Some(position) = input.position {
            s.position = position;
        }
        if let Some(parent) = input.parent_id {
            s.parent_id = parent;
        }
        if let Some(pid) = s.parent_id {
            // Up the chain of parents: it must end without meeting this one.
            let mut at = Some(pid);
            let mut steps = 0;
            while let Some(current) = at {
                if Some(current) == id || steps > all.len() {
                    errors.add(
                        "parent_id",
                        "invalid",
                        "a section cannot go under itself or a section under it",
                    );
                    break;
                }
                match all.iter().find(|x| x.id == current) {
                    Some(x) => at = x.parent_id,
                    None => {
                        errors.add("parent_id", "unknown", format!("no section {current}"));
                        break;
                    }
                }
                steps += 1;
            }
        }
        errors.check()?;

        let old_slug = existing.as_ref().map_or(s.slug.as_str(), |e| &e.slug);
        let redirects = slug_moves(Urls::section, &self.views.urls, old_slug, &s.slug);
        let articles_changed = existing
            .as_ref()
            .is_some_and(|e| e.slug != s.slug || e.names != s.names);
        let action = if existing.is_some() {
            AuditAction::SectionUpdate
        } else {
            AuditAction::SectionCreate
        };
        let save = SiteSave {
            redirects: &redirects,
            articles_changed,
            audit: (by, action, &s.slug),
        };
        let id = self.store.save_section(&s, save).await?;
        self.store.section_row(id).await?.ok_or(EditError::NotFound)
    }

    /// Changes a byline profile. A new slug leaves 301s from the author's
    /// old pages.
    pub async fn save_author(
        &self,
        user: &User,
        by: &Actor,
        id: i64,
        input: AuthorInput,
    ) -> Result<AuthorRow, EditError> {
        may_manage(user)?;
        let existing = self
            .store
            .author_row(id)
            .await?
            .ok_or(EditError::NotFound)?;
        let mut errors = Errors::default();
        let mut a = existing.clone();
        if let Some(slug) = input.slug.as_deref().map(str::trim) {
            a.slug = slug.to_string();
            self.check_slug(&mut errors, SlugTable::Authors, &a.slug, Some(id))
                .await?;
        }
        if let Some(url) = input.photo_url.as_deref().map(str::trim) {
            if !url.is_empty() && !safe_url(url) {
                errors.add(
                    "photo_url",
                    "invalid",
                    "the photo must be an http(s) URL or a path on this site",
                );
            }
            a.photo_url = url.to_string();
        }
        for (code, p) in input.profiles.iter().flatten() {
            let field = format!("profiles.{code}");
            let Some(lang) = errors.lang(&field, code) else {
                continue;
            };
            let (name, role, bio) = (p.name.trim(), p.role.trim(), p.bio.trim());
            if name.is_empty() {
                errors.add(&format!("{field}.name"), "missing", "the name is empty");
            }
            for (what, text, max) in [
                ("name", name, MAX_NAME_CHARS),
                ("role", role, MAX_NAME_CHARS),
                ("bio", bio, MAX_BIO_CHARS),
            ] {
                if too_long(text, max) {
                    errors.add(
                        &format!("{field}.{what}"),
                        "too_long",
                        format!("longer than {max} characters"),
                    );
                }
            }
            a.profiles.retain(|x| x.lang != lang);
            a.profiles.push(AuthorProfile {
                lang,
                name: name.to_string(),
                role: role.to_string(),
                bio: bio.to_string(),
            });
        }
        a.profiles.sort_by_key(|p| p.lang.code());
        errors.check()?;

        let redirects = slug_moves(Urls::author, &self.views.urls, &existing.slug, &a.slug);
        let byline = |r: &AuthorRow| -> Vec<(Lang, String, String)> {
            r.profiles
                .iter()
                .map(|p| (p.lang, p.name.clone(), p.role.clone()))
                .collect()
        };
        let save = SiteSave {
            redirects: &redirects,
            articles_changed: a.slug != existing.slug || byline(&a) != byline(&existing),
            audit: (by, AuditAction::AuthorUpdate, &a.slug),
        };
        self.store.save_author(&a, save).await?;
        self.store.author_row(id).await?.ok_or(EditError::NotFound)
    }

    /// Refuses a section or author slug that is malformed or another's.
    async fn check_slug(
        &self,
        errors: &mut Errors,
        table: SlugTable,
        slug: &str,
        id: Option<i64>,
    ) -> anyhow::Result<()> {
        if slug.is_empty() {
            errors.add("slug", "missing", "give a slug");
        } else if !valid_slug(slug) {
            errors.add(
                "slug",
                "invalid",
                format!("{slug:?} is not a slug: letters, digits and '-' only"),
            );
        } else if let Some(other) = self.store.slug_holder(table, slug).await? {
            if Some(other) != id {
                errors.add("slug", "taken", format!("{slug:?} is already {other}'s"));
            }
        }
        Ok(())
    }

    /// Adds a fixed redirect from an old path to a location. Refused: a
    /// source that is not a path, that is a live page or article, the back
    /// office or the API, or already redirected; a location that is not a
    /// path or URL, or that leads back to the source.
    pub async fn add_redirect(
        &self,
        user: &User,
        by: &Actor,
        input: RedirectInput,
    ) -> Result<RedirectRow, EditError> {
        may_manage(user)?;
        let mut errors = Errors::default();
        let source = input.source.trim();
        let location = input.location.trim();
        let key = source_key(source);
        match &key {
            None => errors.add(
                "source",
                "invalid",
                "the source must be a path on this site, starting with /",
            ),
            Some(key) if key == "/" => {
                errors.add("source", "invalid", "the home page cannot be redirected")
            }
            Some(key) => {
                if let Some(why) = self.source_in_use(key).await? {
                    errors.add("source", "taken", why);
                }
            }
        }
        if location.is_empty() || !safe_url(location) {
            errors.add(
                "location",
                "invalid",
                "the location must be a path on this site (starting with /) or an http(s) URL",
            );
        } else if let Some(key) = &key {
            if self.leads_back(location, key).await? {
                errors.add(
                    "location",
                    "invalid",
                    "this location leads back to the source: the redirect would loop",
                );
            }
        }
        errors.check()?;
        let key = key.unwrap_or_default();
        if !self.store.add_redirect(&key, location, by).await? {
            let mut errors = Errors::default();
            errors.add("source", "taken", "there is already a redirect from here");
            errors.check()?;
        }
        Ok(RedirectRow {
            source: key,
            target: RedirectTarget::Location(location.to_string()),
        })
    }

    /// Removes the redirect from `source` (as given or as stored);
    /// returns the source as it was stored.
    pub async fn remove_redirect(
        &self,
        user: &User,
        by: &Actor,
        source: &str,
    ) -> Result<String, EditError> {
        may_manage(user)?;
        let key = source_key(source.trim()).ok_or(EditError::NotFound)?;
        if self.store.remove_redirect(&key, by).await? {
            Ok(key)
        } else {
            Err(EditError::NotFound)
        }
    }

    /// Why a redirect from `key` could not be added, if it could not.
    async fn source_in_use(&self, key: &str) -> anyhow::Result<Option<String>> {
        let en = Lang::En.prefix();
        let lang = if key == en || key.starts_with(&format!("{en}/")) {
            Lang::En
        } else {
            Lang::Ar
        };
        let rest = key[lang.prefix().len()..].trim_start_matches('/');
        let segments: Vec<&str> = rest.split('/').collect();
        let live = if lang == Lang::Ar && reserved_root(segments[0]) {
            Some("the back office, the API and the site's own files cannot be redirected".into())
        } else if let Some(id) = self.store.page_id_at(lang, rest).await? {
            Some(format!("page {id} lives at this address"))
        } else {
            match segments[..] {
                [y, m, d, slug] if [y, m, d].iter().all(|s| digits(s)) => self
                    .store
                    .slug_owner(lang, slug)
                    .await?
                    .map(|id| format!("article {id} lives at this address")),
                ["section", slug] => self
                    .store
                    .section(lang, slug)
                    .await?
                    .map(|_| "a section lives at this address".to_string()),
                ["author", slug] => self
                    .store
                    .author(lang, slug)
                    .await?
                    .map(|_| "an author's page lives at this address".to_string()),
                _ => None,
            }
        };
        if live.is_some() {
            return Ok(live);
        }
        Ok(self
            .store
            .redirect(key)
            .await?
            .map(|_| "there is already a redirect from here: remove it first".to_string()))
    }

    /// Whether following `location` through the redirects already stored
    /// comes back to `key`.
    async fn leads_back(&self, location: &str, key: &str) -> anyhow::Result<bool> {
        let mut at = location.to_string();
        for _ in 0..MAX_CHAIN {
            // This site's own absolute URLs are paths on it.
            let local = at
                .strip_prefix(self.config.base_url.trim_end_matches('/'))
                .filter(|rest| rest.starts_with('/'))
                .unwrap_or(&at);
            let Some(next) = source_key(local) else {
                return Ok(false);
            };
            if next == key {
                return Ok(true);
            }
            match self.store.redirect(&next).await? {
                Some(RedirectTarget::Location(l)) => at = l,
                _ => return Ok(false),
            }
        }
        // A chain this long is a loop in all but name.
        Ok(true)
    }
}

/// The 301s a new slug leaves (`(redirect key, location)`): from the old
/// page made by `page` in every edition to the new one; none when the
/// slug is the same.
fn slug_moves(
    page: fn(&Urls, Lang, &str) -> String,
    urls: &Urls,
    old: &str,
    new: &str,
) -> Vec<(String, String)> {
    if old == new {
        return Vec::new();
    }
    Lang::ALL
        .iter()
        .map(|&l| (redirect_key(&page(urls, l, old), None), page(urls, l, new)))
        .collect()
}

/// The redirect key of a path with its query (`/old/?p=1`), or None when it
/// is not a path on this site.
fn source_key(source: &str) -> Option<String> {
    if !source.starts_with('/') || source.starts_with("//") {
        return None;
    }
    let (path, query) = match source.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (source, None),
    };
    Some(redirect_key(path, query))
}

/// A first segment the site keeps for itself, whatever the edition.
fn reserved_root(segment: &str) -> bool {
    RESERVED.contains(&segment) || RESERVED_FILES.contains(&segment)
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A top-level page slug the site could never serve: its own routes, or
/// digits, which read as a year of the archive.
fn reserved(slug: &str) -> bool {
    reserved_root(slug) || digits(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_paths() {
        assert!(is_under("about/team", "about"));
        assert!(!is_under("about", "about"));
        assert!(!is_under("aboutx/team", "about"));
        assert_eq!(parent_path("about/team/x"), Some("about/team"));
        assert_eq!(parent_path("about"), None);
        assert_eq!(last_segment("من-نحن/فريق"), "فريق");
    }

    #[test]
    fn page_keys_are_redirect_keys() {
        assert_eq!(page_key(Lang::Ar, "من-نحن/فريق"), "/من-نحن/فريق");
        assert_eq!(page_key(Lang::En, "about"), "/en/about");
    }

    #[test]
    fn sources_are_paths() {
        assert_eq!(source_key("/old-page/").as_deref(), Some("/old-page"));
        assert_eq!(source_key("/?p=12").as_deref(), Some("/?p=12"));
        assert_eq!(source_key("//evil.example/x"), None);
        assert_eq!(source_key("old"), None);
        assert!(reserved("admin") && reserved("2024") && !reserved("about"));
    }
}
