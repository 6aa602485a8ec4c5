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
        let mut articles = self.store.cards_by_ids(&ids).await?.into_iter();
        // cards_by_ids keeps the order and drops only articles that have
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

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(id: i64, lang: Lang, days_old: i64, sections: &[(i64, &str)]) -> ArticleMeta {
        ArticleMeta {
            id,
            lang,
            published_at: 1_000_000_000 - days_old * 86_400,
            section_ids: sections.iter().map(|s| s.0).collect(),
            section_slugs: sections.iter().map(|s| s.1.to_string()).collect(),
        }
    }

    #[test]
    fn filters() {
        let now = 1_000_000_000;
        let politics = meta(1, Lang::Ar, 2, &[(10, "politics")]);
        let culture_en = meta(2, Lang::En, 40, &[(11, "culture")]);
        let mut q = MostReadQuery::new(Window::All, 10);
        assert!(q.admits(&politics, now) && q.admits(&culture_en, now));
        q.lang = Some(Lang::Ar);
        assert!(q.admits(&politics, now) && !q.admits(&culture_en, now));
        q.lang = None;
        q.max_age_days = 30;
        assert!(q.admits(&politics, now) && !q.admits(&culture_en, now));
        q.max_age_days = 0;
        q.sections = vec![SectionRef::Slug("culture".into())];
        assert!(!q.admits(&politics, now) && q.admits(&culture_en, now));
        q.sections.clear();
        q.exclude_sections = vec![SectionRef::Id(10)];
        assert!(!q.admits(&politics, now) && q.admits(&culture_en, now));
        q.exclude_sections.clear();
        q.exclude_articles = vec![2];
        assert!(q.admits(&politics, now) && !q.admits(&culture_en, now));
    }
}
