//! The `warraq` command line.

mod staff_cli;

/// mimalloc rather than glibc's malloc: with glibc, building the search
/// index of 100,000 articles peaked at 219 MB of anonymous memory against
/// 117 MB for 20,000 (freed memory stays in per-thread arenas, which grow
/// with the work done); with mimalloc, 141 MB and 135 MB, and indexing
/// no slower (`bench/import/README.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use warraq::config::Config;
use warraq::model::Lang;
use warraq::render::{shortcode_warnings, whatsapp_digest, Views};
use warraq::search;
use warraq::stats::{MostReadQuery, SectionRef, Stats, Window};
use warraq::store::{redact, Store};
use warraq::web::{self, App};
use warraq_text::{analysis, shortcode};

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
    /// List every article whose body has unknown or malformed shortcodes.
    Lint(DatabaseArg),
    /// Show the database's plan for each main query, flagging any that
    /// scans a table or sorts a list (exits non-zero then).
    Explain(DatabaseArg),
    /// Rebuild the search index and every related-articles list from the database.
    Reindex(ReindexArgs),
    /// Import content from another system.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Generate a synthetic corpus into a database, for scale tests.
    #[cfg(feature = "gen")]
    Gen(GenArgs),
    /// Check the text pipeline from the shell: text on stdin, result on stdout.
    #[command(subcommand)]
    Text(TextCommand),
    /// Back-office accounts.
    #[command(subcommand)]
    User(staff_cli::UserCommand),
    /// API tokens (`Authorization: Bearer …`).
    #[command(subcommand)]
    Token(staff_cli::TokenCommand),
}

#[derive(Args)]
struct ReindexArgs {
    #[command(flatten)]
    database: DatabaseArg,
    #[arg(long, env = "WARRAQ_CONFIG")]
    config: Option<PathBuf>,
    /// Search index directory (overrides search.dir of the config).
    #[arg(long, env = "WARRAQ_SEARCH_DIR")]
    search_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import a WordPress site from its export files (WXR, `.xml` or
    /// `.xml.gz`; several files as WordPress splits large exports). Safe to
    /// run again: what changed is updated, nothing is duplicated.
    Wxr(WxrArgs),
}

#[derive(Args)]
struct WxrArgs {
    /// The export files, in order.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    database: DatabaseArg,
    #[arg(long, env = "WARRAQ_CONFIG")]
    config: Option<PathBuf>,
    /// Read and report; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// A copy of the site's wp-content/uploads: its files are copied into
    /// the media directory and bodies point at them.
    #[arg(long)]
    uploads: Option<PathBuf>,
    /// A TOML file of author roles by WordPress login:
    /// `[login] role = "…"`, with optional role_en, name_en and bio.
    #[arg(long)]
    authors: Option<PathBuf>,
    /// Also write the report as JSON to this file.
    #[arg(long)]
    report: Option<PathBuf>,
    /// The edition of items without a Polylang language when the export's
    /// channel names neither Arabic nor English (ar, en).
    #[arg(long, default_value = "ar")]
    lang: String,
    /// Search index directory (overrides search.dir of the config).
    #[arg(long, env = "WARRAQ_SEARCH_DIR")]
    search_dir: Option<PathBuf>,
}

#[cfg(feature = "gen")]
#[derive(Args)]
struct GenArgs {
    #[command(flatten)]
    database: DatabaseArg,
    /// How many articles.
    #[arg(long)]
    articles: usize,
    /// Their language (ar, en).
    #[arg(long, default_value = "ar")]
    lang: String,
    /// The same seed gives the same articles.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write them as a WordPress export (WXR) to this file instead of a
    /// database: the import benchmark's input.
    #[arg(long)]
    wxr: Option<PathBuf>,
}

#[derive(Subcommand)]
enum TextCommand {
    /// Print the shortcode parse tree of a body as JSON.
    Shortcodes {
        /// Only these names are shortcodes (comma-separated); by default
        /// every bracketed name is.
        #[arg(long, value_delimiter = ',')]
        registered: Option<Vec<String>>,
    },
    /// Print the clean text of HTML with shortcodes.
    Plain,
    /// Print the normalised text (Arabic letter forms, digits, marks).
    Normalize,
    /// Print the analysed search terms, one per line.
    Tokens {
        /// Stemming and stop words of this language (ar, en).
        #[arg(long, default_value = "ar")]
        lang: String,
    },
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
    /// Search index directory (overrides search.dir of the config).
    #[arg(long, env = "WARRAQ_SEARCH_DIR")]
    search_dir: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = match Cli::parse().command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(args) => migrate(args).await,
        Command::Stats(StatsCommand::Top(args)) => top(args).await,
        Command::Digest(args) => digest(args).await,
        Command::Lint(args) => lint(args).await,
        Command::Explain(args) => explain(args).await,
        Command::Reindex(args) => reindex(args).await,
        Command::Import(ImportCommand::Wxr(args)) => import_wxr(args).await,
        #[cfg(feature = "gen")]
        Command::Gen(args) => generate(args).await,
        Command::Text(command) => text(command),
        Command::User(command) => staff_cli::user(command).await,
        Command::Token(command) => staff_cli::token(command).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // The whole chain of causes, on one line: what failed and why.
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
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
    let stats = Stats::new(store.clone(), config.stats.clone()).await?;
    let views = Views::new(&config)?;
    let articles: Vec<_> = stats.top(&q).await?.into_iter().map(|(a, _)| a).collect();
    println!(
        "{}",
        whatsapp_digest(config.digest_greeting(lang), &articles, &views.urls)
    );

    store.close().await;
    Ok(())
}

async fn lint(args: DatabaseArg) -> anyhow::Result<()> {
    let store = open(&args.database).await?;
    let (mut after, mut articles, mut found) = (0, 0, 0);
    loop {
        let batch = store.bodies_after(after, 500).await?;
        let Some(last) = batch.last() else { break };
        after = last.0;
        for (id, lang, slug, body) in &batch {
            articles += 1;
            for warning in shortcode_warnings(body) {
                found += 1;
                println!("article {id} ({lang}) {slug}: {warning}");
            }
        }
    }
    eprintln!("{articles} articles checked, {found} shortcode problems");
    store.close().await;
    Ok(())
}

async fn explain(args: DatabaseArg) -> anyhow::Result<()> {
    let store = open(&args.database).await?;
    let plans = store.explain().await?;
    store.close().await;
    let degraded = plans.iter().filter(|p| p.degraded).count();
    for plan in &plans {
        let verdict = if plan.degraded {
            "SCANS OR SORTS"
        } else {
            "ok"
        };
        println!("{verdict:>14}  {}", plan.what);
        for line in &plan.lines {
            println!("                  {line}");
        }
    }
    anyhow::ensure!(
        degraded == 0,
        "{degraded} of {} main queries scan a table or sort a list",
        plans.len()
    );
    eprintln!("{} main queries, each on an index", plans.len());
    Ok(())
}

/// Standard input as text, or an error that says where it stops being UTF-8.
fn stdin_text() -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "standard input is not UTF-8: invalid byte at offset {}",
            e.utf8_error().valid_up_to()
        )
    })
}

fn text(command: TextCommand) -> anyhow::Result<()> {
    let input = stdin_text()?;
    match command {
        TextCommand::Shortcodes { registered } => {
            let nodes = match &registered {
                Some(names) => shortcode::parse(&input, &|n| names.iter().any(|r| r == n)),
                None => shortcode::parse(&input, &|_| true),
            };
            println!("{}", serde_json::to_string(&shortcode::Document { nodes })?);
        }
        TextCommand::Plain => println!("{}", warraq_text::clean_text(&input)),
        TextCommand::Normalize => print!("{}", analysis::normalize(&input)),
        TextCommand::Tokens { lang } => {
            let lang = analysis::Lang::from_code(&lang)
                .ok_or_else(|| anyhow::anyhow!("--lang {lang:?}: expected ar or en"))?;
            for term in analysis::analyze(&input, lang, &analysis::AnalyzerOptions::default()) {
                println!("{term}");
            }
        }
    }
    Ok(())
}

#[cfg(feature = "gen")]
async fn generate(args: GenArgs) -> anyhow::Result<()> {
    let lang: Lang = args.lang.parse().map_err(anyhow::Error::msg)?;
    if let Some(path) = &args.wxr {
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let mut out = std::io::BufWriter::new(file);
        warraq::corpus::write_wxr(&mut out, lang, args.articles, args.seed)?;
        std::io::Write::flush(&mut out)?;
        println!("wrote {} posts to {}", args.articles, path.display());
        return Ok(());
    }
    let store = open(&args.database.database).await?;
    let bar = progress_bar("generated")?;
    bar.set_length(args.articles as u64);
    let n = warraq::generate(&store, lang, args.articles, args.seed, |done| {
        bar.set_position(done as u64)
    })
    .await?;
    bar.finish();
    println!(
        "generated {n} articles into {} (run `warraq reindex` to index them)",
        redact(&args.database.database)
    );
    store.close().await;
    Ok(())
}

/// A progress bar over articles, labelled with what is being done.
fn progress_bar(what: &str) -> anyhow::Result<indicatif::ProgressBar> {
    Ok(indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{elapsed_precise}} [{{bar:40}}] {{pos}}/{{len}} articles {what} ({{per_sec}})"
        ))?
        .progress_chars("=> "),
    ))
}

/// Runs `work` with a progress bar it reports `(done, total)` to; returns
/// what it counted and the seconds it took.
async fn with_progress<'a, F, Fut>(what: &str, work: F) -> anyhow::Result<(u64, f64)>
where
    F: FnOnce(Box<dyn FnMut(u64, u64) + 'a>) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<u64>>,
{
    let bar = progress_bar(what)?;
    let started = std::time::Instant::now();
    let shown = bar.clone();
    let n = work(Box::new(move |done, total| {
        shown.set_length(total);
        shown.set_position(done);
    }))
    .await?;
    bar.finish();
    Ok((n, started.elapsed().as_secs_f64()))
}

async fn reindex(args: ReindexArgs) -> anyhow::Result<()> {
    let config = Config::load(args.config.as_deref())?;
    let store = open(&args.database.database).await?;
    let dir = search::index_dir(
        args.search_dir.as_deref().or(config.search.dir.as_deref()),
        &store,
    );
    let index = search::SearchIndex::open(store.clone(), &dir, config.search.stemming).await?;
    let (n, secs) = with_progress("indexed", |p| index.reindex(p)).await?;
    println!(
        "indexed {n} articles in {secs:.1} s ({:.0} articles/s) into {}",
        n as f64 / secs.max(1e-9),
        dir.display()
    );
    // Related articles are read, never computed, when a page is served:
    // compute them all now rather than leave a large archive to the
    // server's background backfill.
    let (n, secs) = with_progress("related articles", |p| index.relate_all(p)).await?;
    println!(
        "related articles for {n} articles in {secs:.1} s ({:.0} articles/s)",
        n as f64 / secs.max(1e-9)
    );
    store.close().await;
    Ok(())
}

async fn import_wxr(args: WxrArgs) -> anyhow::Result<()> {
    let config = Config::load(args.config.as_deref())?;
    let store = open(&args.database.database).await?;
    let options = warraq::import::Options {
        dry_run: args.dry_run,
        uploads: args.uploads.clone(),
        media_dir: config
            .media_dir
            .clone()
            .unwrap_or_else(|| store.default_media_dir()),
        authors: match &args.authors {
            Some(path) => warraq::import::read_authors_file(path)?,
            None => Default::default(),
        },
        default_lang: args.lang.parse().map_err(anyhow::Error::msg)?,
        time_zone: jiff::tz::TimeZone::get(&config.time_zone)?,
    };
    if let Some(uploads) = &options.uploads {
        anyhow::ensure!(
            uploads.is_dir(),
            "--uploads {}: no such directory",
            uploads.display()
        );
    }
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {bytes}/{total_bytes} {msg} ({bytes_per_sec})",
        )?
        .progress_chars("=> "),
    );
    let started = std::time::Instant::now();
    let report = warraq::import::import_wxr(&store, &args.files, &options, |p| {
        bar.set_length(p.total_bytes);
        bar.set_position(p.bytes);
        let what = if p.pass == 1 { "checked" } else { "stored" };
        bar.set_message(format!("{} items {what}", p.items));
    })
    .await;
    bar.finish_and_clear();
    let report = report?;
    let secs = started.elapsed().as_secs_f64();
    print!("{}", report.summary());
    if let Some(path) = &args.report {
        std::fs::write(path, serde_json::to_vec_pretty(&report)?)
            .with_context(|| format!("writing the report {}", path.display()))?;
    }
    if args.dry_run {
        println!("dry run: nothing was written ({secs:.1} s)");
        store.close().await;
        return Ok(());
    }
    // The search index follows the change log: bring it up to date here,
    // unless a server holds it (it then indexes the import itself).
    let dir = search::index_dir(
        args.search_dir.as_deref().or(config.search.dir.as_deref()),
        &store,
    );
    let index = search::SearchIndex::open(store.clone(), &dir, config.search.stemming).await?;
    if index.writes() {
        index.catch_up().await?;
        println!(
            "imported in {secs:.1} s, search index up to date in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("imported in {secs:.1} s; the running server indexes it now");
    }
    store.close().await;
    Ok(())
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let mut config = Config::load(args.config.as_deref())?;
    if args.search_dir.is_some() {
        config.search.dir = args.search_dir.clone();
    }
    let store = open(&args.database.database).await?;
    if args.demo {
        let (n, warnings) = warraq::load_demo(&store, &config).await?;
        eprintln!("loaded the demo newsroom: {n} articles");
        for w in warnings {
            eprintln!("warning: {w}");
        }
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
