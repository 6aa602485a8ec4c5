//! First-party, cookie-less view counting and most-read lists.
//!
//! hits → screen (bots, prefetch, staff) → dedupe (daily-salted reader key,
//! rotating Bloom filters) → in-memory buffer → one transaction per flush
//! interval → hourly buckets and totals in the store → ranked lists in
//! memory. Nothing touches the database on a page view; a graceful stop
//! flushes what is buffered, a crash loses at most one interval.

mod counts;
mod dedupe;
mod metrics;
mod most_read;
mod visitor;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

pub use counts::{hour_of, Hour, Window};
pub use metrics::Metrics;
pub use most_read::{MostReadQuery, SectionRef};
pub use visitor::{Hit, Rejection, SESSION_COOKIE};

use crate::config::StatsConfig;
use crate::store::{ArticleMeta, Store};
use counts::{rank, Counts};
use dedupe::Dedupe;
use visitor::{client_address, screen, Bots, Salt};

/// History kept in memory: enough for any window a newsroom asks for.
const MEMORY_DAYS: i64 = 400;
/// Hourly buckets older than this are rolled up into daily ones.
const HOURLY_DAYS: i64 = 7;
/// Windows whose ranked lists are kept ready.
const READY: [Window; 4] = [Window::Day, Window::Week, Window::Month, Window::All];

/// `index_version` before the first load.
const NOT_LOADED: u64 = u64::MAX;

struct Visitors {
    salt: Salt,
    dedupe: Dedupe,
}

/// Counts, the published articles they may belong to, and ranked lists.
struct Live {
    counts: Counts,
    index: HashMap<i64, ArticleMeta>,
    ranked: HashMap<Window, Vec<(i64, u64)>>,
    now: Hour,
}

pub struct Stats {
    store: Store,
    config: StatsConfig,
    bots: Bots,
    visitors: Mutex<Visitors>,
    pending: Mutex<HashMap<(i64, Hour), u64>>,
    live: RwLock<Live>,
    /// The change-log position the article index reflects.
    index_version: AtomicU64,
    refreshing: tokio::sync::Mutex<()>,
    /// Bumped whenever the ranked lists are recomputed.
    generation: AtomicU64,
    pub metrics: Metrics,
}

fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}

impl Stats {
    /// Loads the published articles and the view history from the store.
    pub async fn new(store: Store, config: StatsConfig) -> anyhow::Result<Stats> {
        let bots = Bots::load(config.bots_file.as_deref())?;
        let now = now_secs();
        let dedupe = Dedupe::new(
            config.dedupe_capacity,
            config.dedupe_false_positive,
            config.dedupe_minutes * 60,
            now as u64,
        );
        tracing::info!(
            "view counting: {} bot patterns, dedupe filters {} KiB",
            bots.patterns(),
            dedupe.bytes() / 1024
        );
        let stats = Stats {
            visitors: Mutex::new(Visitors {
                salt: Salt::new(now.div_euclid(86_400)),
                dedupe,
            }),
            pending: Mutex::new(HashMap::new()),
            live: RwLock::new(Live {
                counts: Counts::default(),
                index: HashMap::new(),
                ranked: HashMap::new(),
                now: hour_of(now),
            }),
            index_version: AtomicU64::new(NOT_LOADED),
            refreshing: tokio::sync::Mutex::new(()),
            generation: AtomicU64::new(0),
            metrics: Metrics::default(),
            store,
            config,
            bots,
        };
        stats.refresh_index().await?;
        stats.resync().await?;
        Ok(stats)
    }

    /// Counts one hit for `article` if it comes from a reader reading it for
    /// the first time in the dedupe period.
    pub fn hit(&self, hit: &Hit<'_>) -> Result<(), Rejection> {
        let outcome = self.screen_hit(hit);
        match outcome {
            Ok(()) => self.metrics.accepted.fetch_add(1, Ordering::Relaxed),
            Err(reason) => self
                .metrics
                .rejected(reason)
                .fetch_add(1, Ordering::Relaxed),
        };
        outcome
    }

    /// Records a hit that could not even be parsed.
    pub fn reject(&self, reason: Rejection) {
        self.metrics
            .rejected(reason)
            .fetch_add(1, Ordering::Relaxed);
    }

    fn screen_hit(&self, hit: &Hit<'_>) -> Result<(), Rejection> {
        let article = hit.article;
        let ua = screen(hit, &self.bots)?;
        let now = now_secs();
        {
            let live = self.live.read().unwrap_or_else(|e| e.into_inner());
            match live.index.get(&article) {
                Some(meta) if meta.published_at <= now => {}
                _ => return Err(Rejection::UnknownArticle),
            }
        }
        let address = client_address(hit, &self.config.trusted_proxies);
        {
            let mut v = self.visitors.lock().unwrap_or_else(|e| e.into_inner());
            v.salt.rotate(now.div_euclid(86_400));
            let key = v.salt.reader_article(address, ua, article);
            if !v.dedupe.first_time(key, now as u64) {
                return Err(Rejection::Duplicate);
            }
        }
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        *pending.entry((article, hour_of(now))).or_default() += 1;
        self.metrics.buffered.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Writes buffered hits in one transaction and adds them to the lists.
    /// On a database error the hits go back into the buffer.
    pub async fn flush(&self) -> anyhow::Result<usize> {
        let batch: HashMap<(i64, Hour), u64> = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            std::mem::take(&mut *pending)
        };
        if batch.is_empty() {
            // Nothing new; only the clock may have moved the windows on.
            if self.live.read().unwrap_or_else(|e| e.into_inner()).now != hour_of(now_secs()) {
                self.rerank();
            }
            return Ok(0);
        }
        let started = Instant::now();
        let increments: Vec<(i64, Hour, u64)> =
            batch.iter().map(|(&(a, h), &v)| (a, h, v)).collect();
        let hits: u64 = increments.iter().map(|i| i.2).sum();
        if let Err(e) = self.store.add_views(&increments).await {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            for (key, views) in batch {
                *pending.entry(key).or_default() += views;
            }
            self.metrics.flush_errors.fetch_add(1, Ordering::Relaxed);
            return Err(e.context("flushing view counts"));
        }
        self.metrics.buffered.fetch_sub(hits, Ordering::Relaxed);
        self.metrics.record_flush(started.elapsed());
        {
            let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
            for (article, hour, views) in increments {
                live.counts.add(article, hour, views);
            }
        }
        self.rerank();
        Ok(hits as usize)
    }

    /// Recomputes the ready windows' ranked lists.
    fn rerank(&self) {
        let now = hour_of(now_secs());
        let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
        live.now = now;
        let mut ranked = HashMap::new();
        for window in READY {
            let sums = live.counts.window(window, now);
            ranked.insert(
                window,
                rank(sums, |id| live.index.get(&id).map(|m| m.published_at)),
            );
        }
        live.ranked = ranked;
        self.generation.fetch_add(1, Ordering::Release);
    }

    /// Changes whenever most-read answers may have changed.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Brings the set of countable articles up to date with the change log:
    /// the articles changed since the last refresh are reloaded (published
    /// and due ones in, the rest out). Cheap when nothing changed.
    pub async fn refresh_index(&self) -> anyhow::Result<()> {
        let _one_at_a_time = self.refreshing.lock().await;
        let seen = self.index_version.load(Ordering::Acquire);
        let version = self.store.version();
        if seen == version {
            return Ok(());
        }
        if seen == NOT_LOADED {
            let metas = self.store.published_meta().await?;
            let index = metas.into_iter().map(|m| (m.id, m)).collect();
            self.live.write().unwrap_or_else(|e| e.into_inner()).index = index;
        } else {
            let changed = self.store.changes_between(seen, version).await?;
            let metas = self.store.published_meta_of(&changed).await?;
            let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
            for id in &changed {
                live.index.remove(id);
            }
            for m in metas {
                live.index.insert(m.id, m);
            }
        }
        self.index_version.store(version, Ordering::Release);
        self.rerank();
        Ok(())
    }

    /// Replaces the in-memory counts with the database's, which include the
    /// views counted by every node.
    pub async fn resync(&self) -> anyhow::Result<()> {
        let since = hour_of(now_secs()) - MEMORY_DAYS * 24;
        let (buckets, totals) = self.store.load_views(since).await?;
        let mut counts = Counts::default();
        for (article, hour, views) in buckets {
            counts.add_bucket(article, hour, views);
        }
        for (article, views) in totals {
            counts.set_total(article, views);
        }
        self.live.write().unwrap_or_else(|e| e.into_inner()).counts = counts;
        self.rerank();
        Ok(())
    }

    /// Runs flushes, index refreshes, resyncs and roll-ups until `stop`
    /// resolves, then flushes once more so a graceful stop loses nothing.
    pub async fn run(&self, stop: impl std::future::Future<Output = ()>) {
        let period = Duration::from_millis(self.config.flush_interval_ms);
        let mut flush = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        flush.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let resync_every = Duration::from_secs(self.config.resync_seconds.max(1));
        let mut last_resync = Instant::now();
        let mut last_roll_up: Option<Hour> = None;
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = &mut stop => break,
                _ = flush.tick() => {}
            }
            if let Err(e) = self.flush().await {
                tracing::error!("{e:#}");
            }
            let hour = hour_of(now_secs());
            if last_roll_up != Some(hour) {
                match self.store.roll_up_views(hour - HOURLY_DAYS * 24).await {
                    Ok(_) => last_roll_up = Some(hour),
                    Err(e) => tracing::warn!("rolling up view buckets: {e:#}"),
                }
            }
            if last_resync.elapsed() >= resync_every {
                last_resync = Instant::now();
                if let Err(e) = self.resync().await {
                    tracing::warn!("resyncing view counts: {e:#}");
                }
            }
        }
        match self.flush().await {
            Ok(n) => tracing::info!("flushed {n} buffered hits before stopping"),
            Err(e) => tracing::error!("final flush: {e:#}"),
        }
    }

    /// Views of one article: last 24 hours, 7 days, 30 days, all time.
    pub fn article_views(&self, article: i64) -> [(Window, u64); 4] {
        let live = self.live.read().unwrap_or_else(|e| e.into_inner());
        let now = hour_of(now_secs());
        READY.map(|w| (w, live.counts.article(article, w, now)))
    }

    /// Buffered hits not yet written.
    pub fn buffered(&self) -> u64 {
        self.metrics.buffered.load(Ordering::Relaxed)
    }
}
