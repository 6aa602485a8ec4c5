//! Accounts and tokens as the command line and the back office make them:
//! one set of checks for both.

use crate::auth::{digest, hash_password, new_api_token};
use crate::model::{normalize_email, slugify, Actor, Lang, Role, User};
use crate::store::{NewUser, Store};

/// Which byline a new account writes under.
pub enum Byline {
    None,
    /// A new byline profile named like the user.
    New,
    /// An existing author, by slug.
    Existing(String),
}

pub struct UserInput<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub lang: Lang,
    pub password: &'a str,
    pub byline: Byline,
}

/// Adds an account; the error says which field is wrong. Hashing takes a
/// few tens of milliseconds of one core, off the async threads.
pub async fn add_user(
    store: &Store,
    u: UserInput<'_>,
    by: &Actor,
) -> Result<User, (String, String)> {
    let field = |f: &str, m: String| (f.to_string(), m);
    let email = normalize_email(u.email).map_err(|m| field("email", m))?;
    let name = u.name.trim();
    if name.is_empty() {
        return Err(field("name", "the name is empty".into()));
    }
    if store
        .user_by_email(&email)
        .await
        .map_err(|e| field("email", format!("{e:#}")))?
        .is_some()
    {
        return Err(field(
            "email",
            format!("there is already a user with e-mail {email:?}"),
        ));
    }
    let password = u.password.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| field("password", e.to_string()))?
        .map_err(|m| field("password", m))?;
    let internal = |e: anyhow::Error| field("", format!("{e:#}"));
    let author_id = match u.byline {
        Byline::None => None,
        Byline::New => {
            let slug = match slugify(name) {
                s if s.is_empty() => "author".to_string(),
                s => s,
            };
            Some(
                store
                    .add_author(&slug, u.lang, name)
                    .await
                    .map_err(internal)?
                    .0,
            )
        }
        Byline::Existing(slug) => Some(
            store
                .author(u.lang, &slug)
                .await
                .map_err(internal)?
                .ok_or_else(|| field("author", format!("no author {slug:?}")))?
                .id,
        ),
    };
    let new = NewUser {
        email: &email,
        name,
        role: u.role,
        lang: u.lang,
        password_hash: &hash,
        author_id,
    };
    let id = store.add_user(&new, by).await.map_err(internal)?;
    store
        .user(id)
        .await
        .map_err(internal)?
        .ok_or_else(|| field("", "the new user vanished".into()))
}

/// Makes a token named `name` for `user`; returns it, the only time it is
/// ever seen (the store keeps its digest).
pub async fn create_token(
    store: &Store,
    user: &User,
    name: &str,
    by: &Actor,
) -> anyhow::Result<String> {
    let name = name.trim();
    anyhow::ensure!(!name.is_empty(), "the token needs a name");
    anyhow::ensure!(
        name.chars().count() <= 100,
        "the token's name is longer than 100 characters"
    );
    let token = new_api_token();
    store.create_token(user, name, &digest(&token), by).await?;
    Ok(token)
}

/// Whether taking `role` away from `user` (or disabling them) would leave
/// the newsroom without an enabled admin.
pub async fn is_last_admin(store: &Store, user: &User) -> anyhow::Result<bool> {
    if user.role != Role::Admin || user.disabled {
        return Ok(false);
    }
    let admins = store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.role == Role::Admin && !u.disabled)
        .count();
    Ok(admins <= 1)
}
