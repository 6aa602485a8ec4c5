//! Keeping related articles ready before readers ask: computed by the index
//! when articles change, stored in the database, read as they are when a
//! page is rendered. A reader never waits for a more-like-this query.

use super::SearchIndex;

/// Related articles kept per article: enough for "read also", the cards
/// and `[crp]`.
pub const KEPT: usize = 12;
/// The closest of a changed article's related articles whose own lists are
/// recomputed too, so that a new story appears beside the older ones it is
/// like, not only they beside it.
const NEIGHBOURS: usize = 4;

impl SearchIndex {
    /// Recomputes and stores the related articles of `ids` (the published
    /// ones among them) and of their closest neighbours. Returns how many
    /// lists were stored.
    pub async fn refresh_related(&self, ids: &[i64]) -> anyhow::Result<usize> {
        let mut lists = self.compute_lists(ids).await?;
        let mut neighbours: Vec<i64> = lists
            .iter()
            .flat_map(|(_, related)| related.iter().take(NEIGHBOURS).copied())
            .filter(|id| !ids.contains(id))
            .collect();
        neighbours.sort_unstable();
        neighbours.dedup();
        lists.extend(self.compute_lists(&neighbours).await?);
        self.store.set_related(&lists).await?;
        Ok(lists.len())
    }

    /// Computes related articles for up to `batch` published articles that
    /// have none stored yet, newest first. Returns how many; 0 when every
    /// article has its list.
    pub async fn backfill_related(&self, batch: u32) -> anyhow::Result<usize> {
        let ids = self.store.without_related(batch).await?;
        let lists = self.compute_lists(&ids).await?;
        self.store.set_related(&lists).await?;
        Ok(lists.len())
    }

    /// Recomputes the related articles of every published article, in id
    /// order; `progress(done, total)`. What `warraq reindex` does after
    /// rebuilding the index.
    pub async fn relate_all(&self, mut progress: impl FnMut(u64, u64)) -> anyhow::Result<u64> {
        let total = self.store.published_meta().await?.len() as u64;
        let (mut after, mut done) = (0, 0);
        loop {
            let ids = self.store.published_ids_after(after, 500).await?;
            let Some(&last) = ids.last() else { break };
            after = last;
            // Off the server's path, so every core may work on it.
            let articles = self.store.cards_by_ids(&ids).await?;
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            let per_thread = articles.len().div_ceil(threads).max(1);
            let lists = std::thread::scope(|scope| {
                let workers: Vec<_> = articles
                    .chunks(per_thread)
                    .map(|part| {
                        scope.spawn(move || {
                            part.iter()
                                .map(|a| {
                                    let mut related = self.related(a)?;
                                    related.truncate(KEPT);
                                    Ok((a.id, related))
                                })
                                .collect::<anyhow::Result<Vec<_>>>()
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .map(|w| w.join().expect("a related-articles worker panicked"))
                    .collect::<anyhow::Result<Vec<_>>>()
            })?
            .concat();
            self.store.set_related(&lists).await?;
            done += lists.len() as u64;
            progress(done, total);
        }
        Ok(done)
    }

    async fn compute_lists(&self, ids: &[i64]) -> anyhow::Result<Vec<(i64, Vec<i64>)>> {
        let mut lists = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(100) {
            for a in self.store.cards_by_ids(chunk).await? {
                let mut related = self.related(&a)?;
                related.truncate(KEPT);
                lists.push((a.id, related));
                // Each query takes a few milliseconds of CPU: let requests
                // in between.
                tokio::task::yield_now().await;
            }
        }
        Ok(lists)
    }
}
