//! The newsroom's staff and what each role may do: the one place the
//! permission rules live, for the back office, the write API and the
//! command line alike.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::Serialize;

use super::{Lang, Status};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Users, settings, everything.
    Admin,
    /// Every article and page, sections, authors.
    Editor,
    /// Writes, publishes and schedules their own articles.
    Author,
    /// Writes their own drafts and submits them for review.
    Contributor,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Editor, Role::Author, Role::Contributor];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Author => "author",
            Role::Contributor => "contributor",
        }
    }

    /// Sees and edits everyone's articles, not only their own.
    pub fn edits_others(self) -> bool {
        matches!(self, Role::Admin | Role::Editor)
    }

    pub fn manages_users(self) -> bool {
        self == Role::Admin
    }

    pub fn reads_audit(self) -> bool {
        self == Role::Admin
    }

    /// Writes the site around the articles: static pages, sections, byline
    /// profiles, redirects.
    pub fn manages_site(self) -> bool {
        matches!(self, Role::Admin | Role::Editor)
    }

    /// May change an article at `stage` (its fields, or its stage) at all.
    /// A contributor's work is theirs only until it is published.
    pub fn may_edit(self, own: bool, stage: Stage) -> bool {
        match self {
            Role::Admin | Role::Editor => true,
            Role::Author => own,
            Role::Contributor => own && matches!(stage, Stage::Draft | Stage::Review),
        }
    }

    /// May move an article from `from` to `to`. Going public (published or
    /// scheduled) and coming off the site are for authors and up; keeping
    /// an article private is an editor's call.
    pub fn may_move(self, own: bool, from: Stage, to: Stage) -> bool {
        if !self.may_edit(own, from) {
            return false;
        }
        match to {
            Stage::Draft | Stage::Review | Stage::Trash => true,
            Stage::Scheduled | Stage::Published | Stage::Unpublished => self != Role::Contributor,
            Stage::Private => self.edits_others(),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!("unknown role {s:?}: expected admin, editor, author or contributor")
            })
    }
}

/// Where an article stands in the newsroom's day, as staff see it: the
/// stored [`Status`], with a published article whose time has not come
/// shown as scheduled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Draft,
    Review,
    Scheduled,
    Published,
    Unpublished,
    Private,
    Trash,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::Draft,
        Stage::Review,
        Stage::Scheduled,
        Stage::Published,
        Stage::Unpublished,
        Stage::Private,
        Stage::Trash,
    ];

    pub fn of(status: Status, published_at: Timestamp, now: Timestamp) -> Stage {
        match status {
            Status::Draft => Stage::Draft,
            Status::Review => Stage::Review,
            Status::Published if published_at > now => Stage::Scheduled,
            Status::Published => Stage::Published,
            Status::Private => Stage::Private,
            Status::Unpublished => Stage::Unpublished,
            Status::Trash => Stage::Trash,
        }
    }

    /// The status stored for this stage (scheduled is published, later).
    pub fn status(self) -> Status {
        match self {
            Stage::Draft => Status::Draft,
            Stage::Review => Status::Review,
            Stage::Scheduled | Stage::Published => Status::Published,
            Stage::Unpublished => Status::Unpublished,
            Stage::Private => Status::Private,
            Stage::Trash => Status::Trash,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Review => "review",
            Stage::Scheduled => "scheduled",
            Stage::Published => "published",
            Stage::Unpublished => "unpublished",
            Stage::Private => "private",
            Stage::Trash => "trash",
        }
    }
}

impl FromStr for Stage {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stage::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown status {s:?}: expected draft, review, scheduled, published, \
                     unpublished, private or trash"
                )
            })
    }
}

/// A back-office account.
#[derive(Clone, Debug, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The byline profile this person writes under.
    pub author_id: Option<i64>,
    /// The language of their back office.
    pub lang: Lang,
    pub disabled: bool,
    pub totp: bool,
    #[serde(skip)]
    pub created_at: Timestamp,
}

/// Who did something, for the audit log: a signed-in user, or the command
/// line of the machine (no user, address `local`).
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: Option<i64>,
    /// The e-mail of the user (kept as it was, should the account go).
    pub name: String,
    pub address: String,
}

impl Actor {
    pub fn of(user: &User, address: &str) -> Actor {
        Actor {
            user_id: Some(user.id),
            name: user.email.clone(),
            address: address.to_string(),
        }
    }

    pub fn command_line() -> Actor {
        let who = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
        Actor {
            user_id: None,
            name: format!("cli:{who}"),
            address: "local".into(),
        }
    }
}

/// What the audit log records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    SignIn,
    SignInFailed,
    SignOut,
    SignOutEverywhere,
    Create,
    Update,
    Submit,
    Publish,
    Schedule,
    Unpublish,
    Delete,
    RoleChange,
    UserAdd,
    UserDisable,
    UserEnable,
    TotpEnable,
    TotpReset,
    TokenCreate,
    TokenRevoke,
    PasswordChange,
    SettingsChange,
    PageCreate,
    PageUpdate,
    SectionCreate,
    SectionUpdate,
    AuthorUpdate,
    RedirectAdd,
    RedirectRemove,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignOut => "sign_out",
            AuditAction::SignOutEverywhere => "sign_out_everywhere",
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Submit => "submit",
            AuditAction::Publish => "publish",
            AuditAction::Schedule => "schedule",
            AuditAction::Unpublish => "unpublish",
            AuditAction::Delete => "delete",
            AuditAction::RoleChange => "role_change",
            AuditAction::UserAdd => "user_add",
            AuditAction::UserDisable => "user_disable",
            AuditAction::UserEnable => "user_enable",
            AuditAction::TotpEnable => "totp_enable",
            AuditAction::TotpReset => "totp_reset",
            AuditAction::TokenCreate => "token_create",
            AuditAction::TokenRevoke => "token_revoke",
            AuditAction::PasswordChange => "password_change",
            AuditAction::SettingsChange => "settings_change",
            AuditAction::PageCreate => "page_create",
            AuditAction::PageUpdate => "page_update",
            AuditAction::SectionCreate => "section_create",
            AuditAction::SectionUpdate => "section_update",
            AuditAction::AuthorUpdate => "author_update",
            AuditAction::RedirectAdd => "redirect_add",
            AuditAction::RedirectRemove => "redirect_remove",
        }
    }

    /// What moving an article to `to` is called in the log.
    pub fn of_move(to: Stage) -> AuditAction {
        match to {
            Stage::Review => AuditAction::Submit,
            Stage::Published => AuditAction::Publish,
            Stage::Scheduled => AuditAction::Schedule,
            Stage::Unpublished | Stage::Private => AuditAction::Unpublish,
            Stage::Trash => AuditAction::Delete,
            Stage::Draft => AuditAction::Update,
        }
    }
}

/// One line of the audit log, as stored.
#[derive(Clone, Debug, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Timestamp,
    pub user_id: Option<i64>,
    pub actor: String,
    pub address: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// An e-mail address as accounts are keyed: trimmed and lower-cased, so
/// `Rania@X.org` and `rania@x.org ` are one person.
pub fn normalize_email(email: &str) -> Result<String, String> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && matches!(email.split_once('@'), Some((user, host)) if !user.is_empty() && host.contains('.') && !host.contains('@') && !host.starts_with('.') && !host.ends_with('.'));
    if valid {
        Ok(email)
    } else {
        Err(format!("{email:?} is not an e-mail address"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contributors_keep_to_their_own_unpublished_work() {
        let c = Role::Contributor;
        assert!(c.may_move(true, Stage::Draft, Stage::Review));
        assert!(c.may_move(true, Stage::Review, Stage::Draft));
        assert!(c.may_move(true, Stage::Draft, Stage::Trash));
        assert!(!c.may_move(true, Stage::Draft, Stage::Published));
        assert!(!c.may_move(true, Stage::Draft, Stage::Scheduled));
        assert!(!c.may_edit(true, Stage::Published));
        assert!(!c.may_edit(false, Stage::Draft));
    }

    #[test]
    fn authors_publish_their_own_only() {
        let a = Role::Author;
        assert!(a.may_move(true, Stage::Draft, Stage::Published));
        assert!(a.may_move(true, Stage::Draft, Stage::Scheduled));
        assert!(a.may_move(true, Stage::Published, Stage::Unpublished));
        assert!(!a.may_move(false, Stage::Review, Stage::Published));
        assert!(!a.may_move(true, Stage::Draft, Stage::Private));
    }

    #[test]
    fn editors_and_admins_move_everything() {
        for r in [Role::Editor, Role::Admin] {
            for from in Stage::ALL {
                for to in Stage::ALL {
                    assert!(r.may_move(false, from, to), "{r} {from:?} → {to:?}");
                }
            }
        }
        assert!(!Role::Editor.manages_users());
        assert!(Role::Admin.manages_users() && Role::Admin.reads_audit());
    }

    #[test]
    fn scheduled_is_published_later() {
        let now = Timestamp::from_second(1_000_000).unwrap();
        let later = Timestamp::from_second(1_000_100).unwrap();
        assert_eq!(Stage::of(Status::Published, later, now), Stage::Scheduled);
        assert_eq!(Stage::of(Status::Published, now, now), Stage::Published);
        assert_eq!(Stage::Scheduled.status(), Status::Published);
        for st in Stage::ALL {
            assert_eq!(st.as_str().parse::<Stage>().unwrap(), st);
        }
    }

    #[test]
    fn emails_are_keyed_lower_case() {
        assert_eq!(
            normalize_email(" Rania@Example.ORG ").unwrap(),
            "rania@example.org"
        );
        for bad in [
            "",
            "rania",
            "@x.org",
            "a@b",
            "a b@x.org",
            "a@x.org@y.org",
            "a@.org",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }
}
