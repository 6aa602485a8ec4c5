//! Followers: everything this process derives from the database — the most
//! read index, the search index, related articles — brought up to the
//! change log's position whenever it moves, whichever process wrote.
//! (The page and JSON caches need no follower: they compare each entry's
//! position with the store's.)

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use super::Newsroom;

/// Related lists computed per backfill step, between which requests run.
const BACKFILL_BATCH: u32 = 32;

pub(super) struct Progress {
    /// The position every follower has reached.
    caught_up: tokio::sync::watch::Sender<u64>,
    /// The position related articles were refreshed up to.
    related_at: AtomicU64,
    /// Set once every published article has its related list.
    backfilled: AtomicBool,
    one_at_a_time: tokio::sync::Mutex<()>,
}

impl Progress {
    pub(super) fn new(position: u64) -> Progress {
        Progress {
            caught_up: tokio::sync::watch::Sender::new(position),
            related_at: AtomicU64::new(position),
            backfilled: AtomicBool::new(false),
            one_at_a_time: tokio::sync::Mutex::new(()),
        }
    }
}

impl Newsroom {
    /// Brings every follower up to the store's current position. Returns it.
    pub async fn catch_up(&self) -> anyhow::Result<u64> {
        let _guard = self.follow.one_at_a_time.lock().await;
        let position = self.store.version();
        self.stats.refresh_index().await?;
        self.search.catch_up().await?;
        let from = self.follow.related_at.load(Ordering::Acquire);
        if from < position {
            let changed = self.store.changes_between(from, position).await?;
            self.search.refresh_related(&changed).await?;
            self.follow.related_at.store(position, Ordering::Release);
        }
        self.follow.caught_up.send_replace(position);
        Ok(position)
    }

    /// Computes the related lists that are missing, a batch at a time;
    /// true once none is.
    pub async fn backfill_related(&self) -> anyhow::Result<bool> {
        if self.follow.backfilled.load(Ordering::Acquire) {
            return Ok(true);
        }
        let done = self.search.backfill_related(BACKFILL_BATCH).await? == 0;
        if done {
            self.follow.backfilled.store(true, Ordering::Release);
        }
        Ok(done)
    }

    /// Follows the change log and keeps every follower up with it until
    /// `stop` resolves; fills in missing related lists when idle.
    pub async fn run_followers(&self, stop: impl std::future::Future<Output = ()>) {
        let mut moved = self.store.subscribe();
        let consume = async {
            loop {
                let idle = !self.follow.backfilled.load(Ordering::Acquire);
                tokio::select! {
                    changed = moved.changed() => if changed.is_err() { return },
                    _ = tokio::time::sleep(Duration::from_millis(10)), if idle => {
                        if let Err(e) = self.backfill_related().await {
                            tracing::warn!("related articles: {e:#}");
                        }
                    }
                }
                if let Err(e) = self.catch_up().await {
                    tracing::warn!("following changes: {e:#}");
                }
            }
        };
        tokio::select! {
            _ = stop => {}
            _ = async { tokio::join!(self.store.follow(std::future::pending()), consume) } => {}
        }
    }

    /// Waits until every follower has reached change-log `position` (what
    /// tests wait on instead of sleeping).
    pub async fn caught_up_to(&self, position: u64) {
        let mut rx = self.follow.caught_up.subscribe();
        let _ = rx.wait_for(|&p| p >= position).await;
    }

    /// Waits until every published article has its related list.
    pub async fn backfilled(&self) -> anyhow::Result<()> {
        while !self.backfill_related().await? {}
        Ok(())
    }
}
