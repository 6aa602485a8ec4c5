//! The `user` and `token` commands: accounts and API tokens from the
//! shell, for the first admin of a new newsroom and for scripts. They
//! write to the database directly, so they work while the server runs.

use std::io::{BufRead, IsTerminal};

use clap::{Args, Subcommand};

use warraq::model::{normalize_email, Actor, Lang, Role, User};
use warraq::service::people::{self, Byline, UserInput};
use warraq::store::Store;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add an account. The password is asked on the terminal, or read from
    /// standard input with --password-stdin.
    Add(AddArgs),
    /// List the accounts.
    List(super::DatabaseArg),
    /// Change an account's role.
    SetRole {
        #[command(flatten)]
        database: super::DatabaseArg,
        #[arg(long)]
        email: String,
        /// admin, editor, author or contributor.
        #[arg(long)]
        role: String,
    },
    /// Disable an account: its sessions end and its tokens stop working.
    Disable(EmailArgs),
    /// Turn off an account's second factor (a lost phone); they set it up
    /// again at their next sign-in.
    ResetTotp(EmailArgs),
}

#[derive(Args)]
pub struct EmailArgs {
    #[command(flatten)]
    database: super::DatabaseArg,
    #[arg(long)]
    email: String,
}

#[derive(Args)]
pub struct AddArgs {
    #[command(flatten)]
    database: super::DatabaseArg,
    #[arg(long)]
    email: String,
    /// The name shown in the back office (and on a new byline).
    #[arg(long)]
    name: String,
    /// admin, editor, author or contributor.
    #[arg(long)]
    role: String,
    /// The language of their back office (ar, en).
    #[arg(long, default_value = "ar")]
    lang: String,
    /// Write under this existing byline (author slug); `new` makes one
    /// from the name.
    #[arg(long)]
    author: Option<String>,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Make an API token. It is printed once, alone on the last line.
    Create(TokenArgs),
    /// List a user's live tokens.
    List {
        #[command(flatten)]
        database: super::DatabaseArg,
        #[arg(long)]
        user: String,
    },
    /// Revoke a token by its name.
    Revoke(TokenArgs),
}

#[derive(Args)]
pub struct TokenArgs {
    #[command(flatten)]
    database: super::DatabaseArg,
    /// The user's e-mail.
    #[arg(long)]
    user: String,
    /// What the token is for ("newsletter script").
    #[arg(long)]
    name: String,
}

async fn user_of(store: &Store, email: &str) -> anyhow::Result<User> {
    let email = normalize_email(email).map_err(anyhow::Error::msg)?;
    store
        .user_by_email(&email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("there is no user with e-mail {email:?}"))
}

fn role(text: &str) -> anyhow::Result<Role> {
    text.parse().map_err(anyhow::Error::msg)
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = rpassword::prompt_password("password: ")?;
    let again = rpassword::prompt_password("again: ")?;
    anyhow::ensure!(first == again, "the two passwords differ");
    Ok(first)
}

pub async fn user(command: UserCommand) -> anyhow::Result<()> {
    let by = Actor::command_line();
    match command {
        UserCommand::Add(args) => {
            let store = super::open(&args.database.database).await?;
            let password = read_password(args.password_stdin)?;
            let byline = match args.author.as_deref() {
                None => Byline::None,
                Some("new") => Byline::New,
                Some(slug) => Byline::Existing(slug.to_string()),
            };
            let input = UserInput {
                email: &args.email,
                name: &args.name,
                role: role(&args.role)?,
                lang: args.lang.parse::<Lang>().map_err(anyhow::Error::msg)?,
                password: &password,
                byline,
            };
            let user = people::add_user(&store, input, &by)
                .await
                .map_err(|(field, m)| anyhow::anyhow!("--{field}: {m}"))?;
            println!("added {} ({}), id {}", user.email, user.role, user.id);
        }
        UserCommand::List(database) => {
            let store = super::open(&database.database).await?;
            println!(
                "{:<32} {:<12} {:<8} {:<6} name",
                "email", "role", "state", "2fa"
            );
            for u in store.users().await? {
                println!(
                    "{:<32} {:<12} {:<8} {:<6} {}",
                    u.email,
                    u.role.as_str(),
                    if u.disabled { "disabled" } else { "active" },
                    if u.totp { "totp" } else { "-" },
                    u.name
                );
            }
        }
        UserCommand::SetRole {
            database,
            email,
            role: new_role,
        } => {
            let store = super::open(&database.database).await?;
            let user = user_of(&store, &email).await?;
            let new_role = role(&new_role)?;
            anyhow::ensure!(
                new_role == Role::Admin || !people::is_last_admin(&store, &user).await?,
                "{} is the last admin: make another admin first",
                user.email
            );
            store.set_role(&user, new_role, &by).await?;
            println!("{}: {} → {new_role}", user.email, user.role);
        }
        UserCommand::Disable(args) => {
            let store = super::open(&args.database.database).await?;
            let user = user_of(&store, &args.email).await?;
            anyhow::ensure!(
                !people::is_last_admin(&store, &user).await?,
                "{} is the last admin: make another admin first",
                user.email
            );
            store.set_disabled(&user, true, &by).await?;
            println!("disabled {}", user.email);
        }
        UserCommand::ResetTotp(args) => {
            let store = super::open(&args.database.database).await?;
            let user = user_of(&store, &args.email).await?;
            store.set_totp(&user, None, &by).await?;
            println!("{}: second factor removed", user.email);
        }
    }
    Ok(())
}

pub async fn token(command: TokenCommand) -> anyhow::Result<()> {
    let by = Actor::command_line();
    match command {
        TokenCommand::Create(args) => {
            let store = super::open(&args.database.database).await?;
            let user = user_of(&store, &args.user).await?;
            let token = people::create_token(&store, &user, &args.name, &by).await?;
            println!(
                "token {:?} for {} (shown once; keep it secret):",
                args.name.trim(),
                user.email
            );
            println!("{token}");
        }
        TokenCommand::List { database, user } => {
            let store = super::open(&database.database).await?;
            let user = user_of(&store, &user).await?;
            for t in store.tokens(user.id).await? {
                let used = t
                    .last_used_at
                    .map_or_else(|| "never used".to_string(), |at| format!("last used {at}"));
                println!("{}\tcreated {}\t{used}", t.name, t.created_at);
            }
        }
        TokenCommand::Revoke(args) => {
            let store = super::open(&args.database.database).await?;
            let user = user_of(&store, &args.user).await?;
            anyhow::ensure!(
                store.revoke_token(&user, &args.name, &by).await?,
                "{} has no live token named {:?}",
                user.email,
                args.name
            );
            println!("revoked {:?} of {}", args.name, user.email);
        }
    }
    Ok(())
}
