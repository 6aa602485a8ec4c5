//! The `warraq` command line.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use warraq::config::Config;
use warraq::model::Lang;
use warraq::render::whatsapp_digest;
use warraq::stats::{MostReadQuery, SectionRef, Stats, Window};
use warraq::store::{redact, Store};
use warraq::web::{self, App};

#[derive(Parser)]
#[command(
    name = "warraq",
    version,
    about = "A news publishing engine for Arabic-first digital newsrooms."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the public site.
    Serve(ServeArgs),
    /// Apply database migrations and say which ones were applied.
    Migrate(DatabaseArg),
    /// View counts.
    #[command(subcommand)]
    Stats(StatsCommand),
    /// Print the top-stories message for WhatsApp.
    Digest(DigestArgs),
}

#[derive(Subcommand)]
enum StatsCommand {
    /// Print the most-read articles of a window.
    Top(TopArgs),
}

#[derive(Args)]
struct WindowArgs {
    /// 24h, 7d, 30d, all, or custom (with --days and --hours).
    #[arg(long, default_value = "24h")]
    window: String,
    #[arg(long)]
    days: Option<i64>,
    #[arg(long)]
    hours: Option<i64>,
    /// Only articles in this language (ar, en).
    #[arg(long)]
    lang: Option<String>,
    /// Only articles in this section (slug).
    #[arg(long)]
    section: Option<String>,
    #[arg(long, default_value_t = 10)]
    limit: usize,
}

#[derive(Args)]
struct TopArgs {
    #[command(flatten)]
    database: DatabaseArg,
    #[command(flatten)]
    window: WindowArgs,
}

#[derive(Args)]
struct DigestArgs {
    #[command(flatten)]
    database: DatabaseArg,
    /// Config file: the greeting, base URL and time zone of the links.
    #[arg(long, env = "WARRAQ_CONFIG")]
    config: Option<PathBuf>,
    #[command(flatten)]
    window: WindowArgs,
}

#[derive(Args)]
struct DatabaseArg {
    /// Database URL: sqlite://FILE (created if missing) or postgres://USER@HOST/DB.
    #[arg(long, env = "WARRAQ_DATABASE", default_value = "sqlite://warraq.db")]
    database: String,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "WARRAQ_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    database: DatabaseArg,
    /// Config file (see warraq.example.toml); defaults apply without one.
    #[arg(long, env = "WARRAQ_CONFIG")]
    config: Option<PathBuf>,
    /// Load the embedded demo newsroom first (only into an empty database).
    #[arg(long)]
    demo: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(args) => migrate(args).await,
        Command::Stats(StatsCommand::Top(args)) => top(args).await,
        Command::Digest(args) => digest(args).await,
    }
}

async fn open(database: &str) -> anyhow::Result<Store> {
    let store = Store::connect(database).await?;
    let applied = store
        .migrate()
        .await
        .with_context(|| format!("migrating {}", redact(database)))?;
    for m in &applied {
        eprintln!("applied migration {m}");
    }
    Ok(store)
}

async fn migrate(args: DatabaseArg) -> anyhow::Result<()> {
    let store = open(&args.database).await?;
    println!("{} is up to date", redact(&args.database));
    store.close().await;
    Ok(())
}

impl WindowArgs {
    fn query(&self) -> anyhow::Result<MostReadQuery> {
        let window =
            Window::parse(&self.window, self.days, self.hours).map_err(anyhow::Error::msg)?;
        let mut q = MostReadQuery::new(window, self.limit);
        q.lang = self
            .lang
            .as_deref()
            .map(str::parse::<Lang>)
            .transpose()
            .map_err(anyhow::Error::msg)?;
        q.sections = self
            .section
            .iter()
            .map(|s| SectionRef::Slug(s.clone()))
            .collect();
        Ok(q)
    }
}

async fn top(args: TopArgs) -> anyhow::Result<()> {
    let q = args.window.query()?;
    let store = open(&args.database.database).await?;
    let stats = Stats::new(store.clone(), Config::default().stats).await?;
    let top = stats.top(&q).await?;
    if top.is_empty() {
        println!("no views in the {} window", q.window.name());
    }
    for (rank, (article, views)) in top.iter().enumerate() {
        println!(
            "{:>3}. {:>9}  [{}] {}",
            rank + 1,
            views,
            article.lang,
            article.headline
        );
    }
    store.close().await;
    Ok(())
}

async fn digest(args: DigestArgs) -> anyhow::Result<()> {
    let mut q = args.window.query()?;
    let lang = *q.lang.get_or_insert(Lang::Ar);
    let config = Config::load(args.config.as_deref())?;
    let store = open(&args.database.database).await?;
    let app = App::new(store.clone(), config).await?;
    let articles: Vec<_> = app
        .stats
        .top(&q)
        .await?
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    println!(
        "{}",
        whatsapp_digest(app.config.digest_greeting(lang), &articles, &app.views.urls)
    );
    store.close().await;
    Ok(())
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let config = Config::load(args.config.as_deref())?;
    let store = open(&args.database.database).await?;
    if args.demo {
        let n = warraq::load_demo(&store, &config).await?;
        eprintln!("loaded the demo newsroom: {n} articles");
    }
    let app = Arc::new(App::new(store.clone(), config).await?);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    // Tests and scripts read this line to find a port chosen by the system.
    println!("listening on http://{}", listener.local_addr()?);
    web::serve(listener, app, shutdown_signal()).await?;
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
