//! Around the save: edit locks, autosaved copies, preview links and the
//! scheduler's alarm. Each checks what the user may see and do with the
//! same rules as the save ([`crate::model::Role`]).

use jiff::Timestamp;

use super::editing::{ArticleInput, EditError};
use super::Newsroom;
use crate::model::User;
use crate::store::{Autosave, EditLock, Locking, StaffArticle};

/// A lock lives this long after its holder's editor last reported; the
/// editor reports every third of it.
pub const LOCK_LIFE_SECS: i64 = 60;
/// A scheduled article this late is an alarm: the scheduler is not running.
pub const OVERDUE_AFTER_SECS: i64 = 60;

/// A preview link, and until when it works.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Preview {
    pub url: String,
    #[schema(value_type = String)]
    pub expires_at: Timestamp,
}

/// Why a preview link does not open.
#[derive(Debug, PartialEq, Eq)]
pub enum PreviewRefused {
    /// The signature is not ours: the link was changed.
    Tampered,
    Expired,
    /// The article is gone (deleted, or in the trash).
    Gone,
}

impl Newsroom {
    /// Takes (or keeps) the lock on article `id` for `user`; with
    /// `take_over`, from whoever holds it.
    pub async fn lock_article(
        &self,
        user: &User,
        id: i64,
        take_over: bool,
    ) -> Result<Locking, EditError> {
        self.staff_article(user, id).await?;
        Ok(self
            .store
            .lock_article(id, user.id, LOCK_LIFE_SECS, take_over)
            .await?)
    }

    /// Who other than `user` has article `id` open.
    pub async fn locked_by_other(&self, user: &User, id: i64) -> anyhow::Result<Option<EditLock>> {
        let lock = self.store.article_lock(id, LOCK_LIFE_SECS).await?;
        Ok(lock.filter(|l| l.user_id != user.id))
    }

    pub async fn unlock_article(&self, user: &User, id: i64) -> anyhow::Result<()> {
        self.store.unlock_article(id, user.id).await
    }

    /// Keeps `content` (the write API's fields) as `user`'s autosaved copy
    /// of article `id` (None: a new article). Checked as a save would be
    /// for its shape, never applied to the article.
    pub async fn autosave(
        &self,
        user: &User,
        id: Option<i64>,
        content: &serde_json::Value,
    ) -> Result<(), EditError> {
        let input: ArticleInput = serde_json::from_value(content.clone()).map_err(|e| {
            EditError::Invalid(vec![super::FieldError {
                field: String::new(),
                code: "invalid",
                message: format!("not an article's fields: {e}"),
            }])
        })?;
        let revision = match id {
            Some(id) => {
                let a = self.staff_article(user, id).await?;
                let own = a.is_own(user.id, user.author_id);
                if !user.role.may_edit(own, a.stage()) {
                    return Err(EditError::Forbidden(format!(
                        "the {} role may not change this article",
                        user.role
                    )));
                }
                a.revision
            }
            None => 0,
        };
        let from = input.revision.unwrap_or(revision);
        self.store
            .autosave(user.id, id.unwrap_or(0), from, &content.to_string())
            .await?;
        Ok(())
    }

    /// `user`'s autosaved copy of article `id` (None: a new one), when it
    /// holds work the stored article does not: newer than its last save.
    pub async fn autosaved(
        &self,
        user: &User,
        id: Option<i64>,
        stored: Option<&StaffArticle>,
    ) -> anyhow::Result<Option<Autosave>> {
        let copy = self.store.autosaved(user.id, id.unwrap_or(0)).await?;
        Ok(copy.filter(|c| stored.is_none_or(|s| c.saved_at >= s.article.updated_at)))
    }

    pub async fn drop_autosave(&self, user: &User, id: Option<i64>) -> anyhow::Result<()> {
        self.store.drop_autosave(user.id, id.unwrap_or(0)).await
    }

    /// A link that shows article `id` as the site will, to anyone who has
    /// it, until it expires.
    pub async fn preview_link(&self, user: &User, id: i64) -> Result<Preview, EditError> {
        self.staff_article(user, id).await?;
        let expires_at = Timestamp::now()
            + jiff::SignedDuration::from_hours(self.config.admin.preview_hours.max(1));
        let expires = expires_at.as_second();
        let sig = crate::auth::sign(&self.preview_key().await?, &preview_message(id, expires));
        Ok(Preview {
            url: self
                .views
                .urls
                .absolute(&format!("/preview/{id}?expires={expires}&sig={sig}")),
            expires_at: Timestamp::from_second(expires).map_err(anyhow::Error::from)?,
        })
    }

    /// The article a preview link shows, if its signature and time hold.
    pub async fn previewed(
        &self,
        id: i64,
        expires: i64,
        sig: &str,
    ) -> anyhow::Result<Result<StaffArticle, PreviewRefused>> {
        let key = self.preview_key().await?;
        if !crate::auth::signed(&key, &preview_message(id, expires), sig) {
            return Ok(Err(PreviewRefused::Tampered));
        }
        if expires < Timestamp::now().as_second() {
            return Ok(Err(PreviewRefused::Expired));
        }
        Ok(match self.store.staff_article(id).await? {
            Some(a) if a.stage() != crate::model::Stage::Trash => Ok(a),
            _ => Err(PreviewRefused::Gone),
        })
    }

    /// The key preview links are signed with, the same on every node.
    async fn preview_key(&self) -> anyhow::Result<Vec<u8>> {
        let key = self
            .store
            .site_key("preview", &crate::auth::random_token(32))
            .await?;
        Ok(key.into_bytes())
    }

    /// Scheduled articles more than a minute late: how many, and since when.
    pub async fn overdue(&self) -> anyhow::Result<(i64, Option<Timestamp>)> {
        self.store.overdue(OVERDUE_AFTER_SECS).await
    }
}

fn preview_message(id: i64, expires: i64) -> String {
    format!("preview:{id}:{expires}")
}
