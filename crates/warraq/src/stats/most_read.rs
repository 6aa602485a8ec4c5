//! Answering most-read questions from the ranked lists in memory.

use super::{counts::rank, now_secs, Live, Stats, Window};
use crate::model::{Article, Lang};
use crate::store::ArticleMeta;

/// A section named by id or slug, as the `[tptn_list]` attributes do both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SectionRef {
    Id(i64),
    Slug(String),
}

impl SectionRef {
    fn matches(&self, meta: &ArticleMeta) -> bool {
        match self {
            SectionRef::Id(id) => meta.section_ids.contains(id),
            SectionRef::Slug(slug) => meta.section_slugs.iter().any(|s| s == slug),
        }
    }
}

/// Which articles a most-read list holds.
#[derive(Clone, Debug)]
pub struct MostReadQuery {
    pub window: Window,
    pub lang: Option<Lang>,
    /// Only articles in one of these sections (none: any section).
    pub sections: Vec<SectionRef>,
    pub exclude_sections: Vec<SectionRef>,
    pub exclude_articles: Vec<i64>,
    /// Only articles published in the last this many days (0: any age).
    pub max_age_days: u32,
    pub offset: usize,
    pub limit: usize,
}

impl MostReadQuery {
    pub fn new(window: Window, limit: usize) -> MostReadQuery {
        MostReadQuery {
            window,
            lang: None,
            sections: Vec::new(),
            exclude_sections: Vec::new(),
            exclude_articles: Vec::new(),
            max_age_days: 0,
            offset: 0,
            limit,
        }
    }

    fn admits(&self, meta: &ArticleMeta, now: i64) -> bool {
        self.lang.is_none_or(|l| l == meta.lang)
            && (self.sections.is_empty() || self.sections.iter().any(|s| s.matches(meta)))
            && !self.exclude_sections.iter().any(|s| s.matches(meta))
            && !self.exclude_articles.contains(&meta.id)
            && (self.max_age_days == 0
                || now - meta.published_at <= self.max_age_days as i64 * 86_400)
    }
}

impl Stats {
    /// `(article id, views)`, most read first. Ready windows walk a ranked
    /// list kept in memory; custom ones are summed on demand.
    pub fn most_read(&self, q: &MostReadQuery) -> Vec<(i64, u64)> {
        let live = self.live.read().unwrap_or_else(|e| e.into_inner());
        let now = now_secs();
        let pick = |ranked: &[(i64, u64)]| -> Vec<(i64, u64)> {
            ranked
                .iter()
                .filter(|(id, _)| live.index.get(id).is_some_and(|m| q.admits(m, now)))
                .skip(q.offset)
                .take(q.limit)
                .copied()
                .collect()
        };
        match live.ranked.get(&q.window) {
            Some(ranked) => pick(ranked),
            None => pick(&custom(&live, q.window)),
        }
    }
}

impl Stats {
    /// The most-read articles themselves, with their views.
    pub async fn top(&self, q: &MostReadQuery) -> anyhow::Result<Vec<(Article, u64)>> {
        let ranked = self.most_read(q);
        let ids: Vec<i64> = ranked.iter().map(|r| r.0).collect();
        let mut articles = self.store.articles_by_ids(&ids).await?.into_iter();
        // articles_by_ids keeps the order and drops only articles that have
        // just been unpublished; pair each remaining one with its views.
        let mut out = Vec::with_capacity(ranked.len());
        let mut next = articles.next();
        for (id, views) in ranked {
            if let Some(a) = next.take_if(|a| a.id == id) {
                out.push((a, views));
                next = articles.next();
            }
        }
        Ok(out)
    }
}

fn custom(live: &Live, window: Window) -> Vec<(i64, u64)> {
    let sums = live.counts.window(window, live.now);
    rank(sums, |id| live.index.get(&id).map(|m| m.published_at))
}
