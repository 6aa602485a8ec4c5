//! Writing articles as a member of staff: one path for the back office's
//! forms and the write API, so that both check the same fields and the
//! same permissions ([`Role::may_move`]) and log the same audit entries.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::Newsroom;
use crate::model::{
    redirect_key, slugify, valid_slug, Actor, AuditAction, Lang, NewArticle, Stage, User,
};
use crate::render::shortcode_warnings;
use crate::store::{RevisionInfo, Save, SaveError, StaffArticle, StaffQuery};

/// The fields a save may carry; absent ones keep their stored value (or
/// their default, for a new article). Serialized as given (absent fields
/// left out) for the editor's autosaved copies.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standfirst: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authors: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// RFC 3339 (`2026-12-01T09:00:00Z`, `2026-12-01T12:00:00+03:00`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish_at: Option<String>,
    /// `null` removes the cover.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<CoverInput>)]
    pub cover: Option<Option<CoverInput>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// The other language's edition of the same story (`null`: none).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>)]
    pub translation_id: Option<Option<i64>>,
    /// Whether the "read also" block goes inside the body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_also: Option<bool>,
    /// Related articles pinned first under the article, in order (ids).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<Vec<i64>>,
    /// Why an editor sends the article back to its writer (with
    /// `"status": "draft"` from review); shown to the writer until it is
    /// published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The revision the change was made from: refused when older than the
    /// stored one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
}

#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverInput {
    pub url: String,
    #[serde(default)]
    pub alt: String,
    #[serde(default)]
    pub caption: String,
}

/// Tells a field given as `null` from a field left out.
pub(super) fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// One field that failed validation, and why.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    /// Stable, for programs and for the back office's own wording:
    /// `missing`, `too_long`, `unknown`, `invalid`, `taken`.
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug)]
pub enum EditError {
    NotFound,
    Forbidden(String),
    /// Saved by someone else since `revision` was read.
    Conflict {
        current: i64,
    },
    Invalid(Vec<FieldError>),
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for EditError {
    fn from(e: anyhow::Error) -> Self {
        EditError::Internal(e)
    }
}

/// An article as saved, with what the text pipeline had to say about it.
pub struct Saved {
    pub article: StaffArticle,
    pub warnings: Vec<String>,
}

const MAX_HEADLINE_CHARS: usize = 300;
const MAX_TAGS: usize = 50;
const MAX_PINS: usize = 10;
const MAX_NOTE_CHARS: usize = 2_000;

impl Newsroom {
    /// Article `id` if `user` may see it: public, their own, or anyone's for
    /// editors.
    pub async fn staff_article(&self, user: &User, id: i64) -> Result<StaffArticle, EditError> {
        let found = self.store.staff_article(id).await?;
        match found {
            Some(a) if may_see(user, &a) => Ok(a),
            _ => Err(EditError::NotFound),
        }
    }

    /// The articles `user` may see in a list of back-office articles: the
    /// newsroom's published ones, and of the rest their own (everyone's for
    /// editors).
    pub async fn staff_articles(
        &self,
        user: &User,
        mut q: StaffQuery,
    ) -> anyhow::Result<crate::store::Page<StaffArticle>> {
        let public = matches!(q.stage, Some(Stage::Published));
        if !user.role.edits_others() && !public {
            q.own = Some((user.id, user.author_id));
        }
        self.store.staff_articles(&q).await
    }

    /// Creates (`id` None) or changes an article on behalf of `user`.
    pub async fn save_article(
        &self,
        user: &User,
        by: &Actor,
        id: Option<i64>,
        input: ArticleInput,
    ) -> Result<Saved, EditError> {
        let existing = match id {
            Some(id) => Some(self.staff_article(user, id).await?),
            None => None,
        };
        let own = existing
            .as_ref()
            .is_none_or(|a| a.is_own(user.id, user.author_id));
        let from = existing.as_ref().map_or(Stage::Draft, StaffArticle::stage);
        if !user.role.may_edit(own, from) {
            return Err(EditError::Forbidden(format!(
                "the {} role may not change {} article that is {}",
                user.role,
                if own { "an" } else { "someone else's" },
                from.as_str()
            )));
        }
        let now = Timestamp::now();
        let mut errors = Vec::new();
        let mut a = match &existing {
            Some(s) => NewArticle::from(&s.article),
            None => self.blank_article(user, now).await?,
        };
        let mut fail = |field: &str, code: &'static str, message: String| {
            errors.push(FieldError {
                field: field.to_string(),
                code,
                message,
            })
        };

        if let Some(lang) = &input.lang {
            match lang.parse::<Lang>() {
                Ok(l) => a.lang = l,
                Err(e) => fail("lang", "invalid", e),
            }
        } else if existing.is_none() {
            fail(
                "lang",
                "missing",
                "give the edition: \"ar\" or \"en\"".into(),
            );
        }
        if let Some(h) = &input.headline {
            a.headline = h.trim().to_string();
        }
        if a.headline.is_empty() {
            fail("headline", "missing", "the headline is empty".into());
        } else if a.headline.chars().count() > MAX_HEADLINE_CHARS {
            fail(
                "headline",
                "too_long",
                format!("the headline is longer than {MAX_HEADLINE_CHARS} characters"),
            );
        }
        if let Some(s) = &input.standfirst {
            a.standfirst = s.trim().to_string();
        }
        if let Some(body) = &input.body_html {
            a.body_html = body.clone();
        }
        if let Some(sections) = &input.sections {
            a.section_slugs.clear();
            for (i, slug) in sections.iter().enumerate() {
                match self.store.section(a.lang, slug).await? {
                    Some(_) => a.section_slugs.push(slug.clone()),
                    None => fail(
                        &format!("sections[{i}]"),
                        "unknown",
                        format!("no section {slug:?}"),
                    ),
                }
            }
        }
        if let Some(authors) = &input.authors {
            a.author_slugs.clear();
            for (i, slug) in authors.iter().enumerate() {
                match self.store.author(a.lang, slug).await? {
                    Some(_) => a.author_slugs.push(slug.clone()),
                    None => fail(
                        &format!("authors[{i}]"),
                        "unknown",
                        format!("no author {slug:?}"),
                    ),
                }
            }
        }
        if let Some(tags) = &input.tags {
            if tags.len() > MAX_TAGS {
                fail("tags", "too_long", format!("at most {MAX_TAGS} tags"));
            }
            a.tag_names.clear();
            for (i, name) in tags.iter().enumerate() {
                if slugify(name).is_empty() {
                    fail(
                        &format!("tags[{i}]"),
                        "invalid",
                        format!("tag {name:?} has no letters or digits"),
                    );
                } else if !a.tag_names.contains(&name.trim().to_string()) {
                    a.tag_names.push(name.trim().to_string());
                }
            }
        }
        if let Some(cover) = &input.cover {
            a.cover = match cover {
                None => None,
                Some(c) if c.url.trim().is_empty() => None,
                Some(c) if !safe_url(c.url.trim()) => {
                    fail(
                        "cover.url",
                        "invalid",
                        "the cover must be an http(s) URL or a path on this site".into(),
                    );
                    None
                }
                Some(c) => Some(self.cover_of(c).await?),
            };
        }
        let publish_at = match input.publish_at.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => match text.parse::<Timestamp>() {
                Ok(t) => Some(t),
                Err(_) => {
                    fail(
                        "publish_at",
                        "invalid",
                        format!("{text:?} is not a date and time like 2026-12-01T09:00:00+03:00"),
                    );
                    None
                }
            },
        };
        let mut to = match input.status.as_deref() {
            None => from,
            Some(s) => match s.parse::<Stage>() {
                Ok(st) => st,
                Err(e) => {
                    fail("status", "invalid", e);
                    from
                }
            },
        };
        // "Published" at a later time is scheduled; "scheduled" needs that time.
        if to == Stage::Published && publish_at.is_some_and(|t| t > now) {
            to = Stage::Scheduled;
        }
        if to == Stage::Scheduled && publish_at.is_none_or(|t| t <= now) {
            // Saving a scheduled article without a new time keeps its time.
            let kept = from == Stage::Scheduled && input.publish_at.is_none();
            if !kept {
                fail(
                    "publish_at",
                    "missing",
                    "scheduling needs a publish_at in the future".into(),
                );
            }
        }
        a.published_at = match (to, publish_at) {
            (_, Some(t)) => t,
            (Stage::Published, None) if from != Stage::Published => now,
            _ => a.published_at,
        };
        a.status = to.status();
        a.updated_at = now;
        match input.slug.as_deref().map(str::trim) {
            Some(slug) if !slug.is_empty() => {
                if valid_slug(slug) {
                    a.slug = slug.to_string();
                } else {
                    fail(
                        "slug",
                        "invalid",
                        format!("{slug:?} is not a slug: letters, digits and '-' only"),
                    );
                }
            }
            _ if existing.is_none() => a.slug = slugify(&a.headline),
            _ => {}
        }
        if !a.slug.is_empty() {
            match self.store.slug_owner(a.lang, &a.slug).await? {
                Some(other) if Some(other) != id => {
                    if input.slug.as_deref().is_some_and(|s| !s.trim().is_empty()) {
                        fail(
                            "slug",
                            "taken",
                            format!("article {other} already has the slug {:?}", a.slug),
                        );
                    } else {
                        a.slug = self.free_slug(a.lang, &a.slug).await?;
                    }
                }
                _ => {}
            }
        }
        let translation = match input.translation_id {
            Some(Some(other)) => match self.store.staff_article(other).await? {
                Some(o) if o.article.lang != a.lang && Some(other) != id => Some(Some(other)),
                Some(_) => {
                    fail(
                        "translation_id",
                        "invalid",
                        format!("article {other} is not in the other language"),
                    );
                    None
                }
                None => {
                    fail("translation_id", "unknown", format!("no article {other}"));
                    None
                }
            },
            other => other,
        };
        if matches!(to, Stage::Published | Stage::Scheduled) {
            if a.standfirst.is_empty() {
                fail(
                    "standfirst",
                    "missing",
                    "a published article needs a standfirst".into(),
                );
            }
            if a.section_slugs.is_empty() {
                fail(
                    "sections",
                    "missing",
                    "a published article needs a section".into(),
                );
            }
            if a.author_slugs.is_empty() {
                fail(
                    "authors",
                    "missing",
                    "a published article needs an author".into(),
                );
            }
            if a.cover.as_ref().is_some_and(|c| c.alt.is_empty()) {
                fail(
                    "cover.alt",
                    "missing",
                    "a published article's cover needs its alt text: what the image shows".into(),
                );
            }
        }
        let mut pins = Vec::new();
        if let Some(related) = &input.related {
            if related.len() > MAX_PINS {
                fail(
                    "related",
                    "too_long",
                    format!("at most {MAX_PINS} pinned articles"),
                );
            }
            for (i, &pin) in related.iter().enumerate() {
                if Some(pin) == id {
                    fail(
                        &format!("related[{i}]"),
                        "invalid",
                        "an article cannot be related to itself".into(),
                    );
                } else if self.store.staff_article(pin).await?.is_none() {
                    fail(
                        &format!("related[{i}]"),
                        "unknown",
                        format!("no article {pin}"),
                    );
                } else if !pins.contains(&pin) {
                    pins.push(pin);
                }
            }
        }
        let note = input.note.as_deref().map(str::trim).unwrap_or("");
        let sent_back = from == Stage::Review && to == Stage::Draft;
        if note.chars().count() > MAX_NOTE_CHARS {
            fail(
                "note",
                "too_long",
                format!("the note is longer than {MAX_NOTE_CHARS} characters"),
            );
        } else if !note.is_empty() && !sent_back {
            fail(
                "note",
                "invalid",
                "a note goes with sending an article in review back to draft".into(),
            );
        }
        if !errors.is_empty() {
            return Err(EditError::Invalid(errors));
        }
        if to != from && !user.role.may_move(own, from, to) {
            return Err(EditError::Forbidden(format!(
                "the {} role may not move {} article from {} to {}",
                user.role,
                if own { "their own" } else { "someone else's" },
                from.as_str(),
                to.as_str()
            )));
        }

        let body = warraq_text::sanitize_body(&a.body_html);
        let warnings = shortcode_warnings(&body);
        let mut audit = Vec::new();
        match &existing {
            None => audit.push((by, AuditAction::Create, a.headline.clone())),
            Some(_) => audit.push((by, AuditAction::Update, String::new())),
        }
        if to != from {
            let mut detail = format!("{} → {}", from.as_str(), to.as_str());
            if !note.is_empty() {
                detail = format!("{detail}: {note}");
            }
            audit.push((by, AuditAction::of_move(to), detail));
        }
        // The note stays with the writer until the article goes out.
        let review_note = if sent_back {
            Some(note)
        } else if matches!(to, Stage::Published | Stage::Scheduled) && to != from {
            Some("")
        } else {
            None
        };
        let owner = existing.is_none().then_some(user.id);
        let expected = input.revision;
        // A published article whose URL changes keeps its old one as a 301.
        let old_url = existing
            .as_ref()
            .filter(|s| s.stage() == Stage::Published)
            .map(|s| self.views.urls.article(&s.article));
        let moved_from = old_url.and_then(|old| {
            let mut moved = existing.as_ref()?.article.clone();
            moved.slug = a.slug.clone();
            moved.lang = a.lang;
            moved.published_at = a.published_at;
            (self.views.urls.article(&moved) != old).then(|| redirect_key(&old, None))
        });
        let save = Save {
            owner,
            expected,
            moved_from: moved_from.as_deref(),
            translation,
            review_note,
            read_also: input.read_also,
            pins: input.related.is_some().then_some(pins.as_slice()),
            audit: &audit,
        };
        let (id, _) = self
            .store
            .save_article(id, &a, &body, &save)
            .await
            .map_err(|e| match e {
                SaveError::NotFound => EditError::NotFound,
                SaveError::Stale(current) => EditError::Conflict { current },
                SaveError::Other(e) => EditError::Internal(e),
            })?;
        let article = self
            .store
            .staff_article(id)
            .await?
            .ok_or(EditError::NotFound)?;
        Ok(Saved { article, warnings })
    }

    /// The revisions of an article `user` may see, newest first.
    pub async fn revisions(&self, user: &User, id: i64) -> Result<Vec<RevisionInfo>, EditError> {
        self.staff_article(user, id).await?;
        Ok(self.store.revisions(id).await?)
    }

    /// Saves revision `n` of article `id` again as its newest: its fields,
    /// not its status or time (restoring an old draft does not unpublish).
    pub async fn restore_revision(
        &self,
        user: &User,
        by: &Actor,
        id: i64,
        n: i64,
    ) -> Result<Saved, EditError> {
        self.staff_article(user, id).await?;
        let content = self
            .store
            .revision_content(id, n)
            .await?
            .ok_or(EditError::NotFound)?;
        let mut input: ArticleInput =
            serde_json::from_str(&content).map_err(|e| EditError::Internal(e.into()))?;
        input.status = None;
        input.publish_at = None;
        self.save_article(user, by, Some(id), input).await
    }

    /// Moves an article to the trash (off the site if it was on it).
    pub async fn trash_article(
        &self,
        user: &User,
        by: &Actor,
        id: i64,
    ) -> Result<Saved, EditError> {
        let input = ArticleInput {
            status: Some(Stage::Trash.as_str().into()),
            ..Default::default()
        };
        self.save_article(user, by, Some(id), input).await
    }

    /// A new article's starting point: a draft in Arabic, under the
    /// user's byline when they have one.
    async fn blank_article(&self, user: &User, now: Timestamp) -> anyhow::Result<NewArticle> {
        let mut authors = Vec::new();
        if let Some(author) = user.author_id {
            if let Some(slug) = self.store.author_slug(author).await? {
                authors.push(slug);
            }
        }
        Ok(NewArticle {
            slug: String::new(),
            lang: Lang::Ar,
            headline: String::new(),
            standfirst: String::new(),
            body_html: String::new(),
            author_slugs: authors,
            section_slugs: Vec::new(),
            tag_names: Vec::new(),
            cover: None,
            status: Stage::Draft.status(),
            published_at: now,
            updated_at: now,
            seo: Default::default(),
        })
    }

    /// `slug`, or `slug-2`, `slug-3`… whichever no article of `lang` has.
    async fn free_slug(&self, lang: Lang, slug: &str) -> anyhow::Result<String> {
        for n in 2.. {
            let candidate = format!("{slug}-{n}");
            if self.store.slug_owner(lang, &candidate).await?.is_none() {
                return Ok(candidate);
            }
        }
        unreachable!("some number is free")
    }
}

/// Public articles are anyone's to see; the rest, their writers' and
/// editors'.
fn may_see(user: &User, a: &StaffArticle) -> bool {
    user.role.edits_others() || a.stage() == Stage::Published || a.is_own(user.id, user.author_id)
}

/// URLs a cover may have: http(s), or a path on this site (not `//host`).
fn safe_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || (url.starts_with('/') && !url.starts_with("//"))
}

impl Newsroom {
    /// An article in the API's shape as staff see it: what `GET` gives for
    /// a public one, with its body rendered, plus its status, revision and
    /// the text pipeline's warnings. Never cached: drafts must not reach
    /// the public caches.
    pub async fn staff_json(
        &self,
        a: &StaffArticle,
        warnings: &[String],
    ) -> anyhow::Result<serde_json::Value> {
        let prepared = self.place_read_also(&a.article, Vec::new());
        let body = self.body(&a.article, &prepared).await?;
        let mut json = crate::render::article_json(&a.article, &self.views, &body);
        json["status"] = serde_json::json!(a.stage().as_str());
        json["translation_id"] = serde_json::json!(a.article.translation_id);
        json["revision"] = serde_json::json!(a.revision);
        json["read_also"] = serde_json::json!(a.article.read_also);
        json["related"] = serde_json::json!(self.store.related_pins(a.article.id).await?);
        json["note"] = serde_json::json!(a.review_note);
        json["warnings"] = serde_json::json!(warnings);
        Ok(json)
    }
}
