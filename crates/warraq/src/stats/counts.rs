//! View counts in memory: per-article hourly buckets for the recent past and
//! all-time totals, from which the most-read windows are summed. Pure data:
//! the database fills it at start and on resync, flushes add to it.

use std::collections::{BTreeMap, HashMap};

/// Hours since the Unix epoch: the unit of a bucket.
pub type Hour = i64;

pub fn hour_of(unix_seconds: i64) -> Hour {
    unix_seconds.div_euclid(3600)
}

/// A time window of most-read lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Window {
    /// The current hour and the 23 before it.
    Day,
    Week,
    Month,
    All,
    /// The current hour and the `hours` before it (days × 24 + hours).
    Hours(i64),
}

impl Window {
    /// The window of a custom period of `days` days and `hours` hours back.
    pub fn custom(days: i64, hours: i64) -> Window {
        match (days.max(0) * 24 + hours.max(0)).max(1) {
            24 => Window::Day,
            168 => Window::Week,
            720 => Window::Month,
            h => Window::Hours(h),
        }
    }

    /// A window as the API and the command line name it: `24h`, `7d`,
    /// `30d`, `all`, or `custom` with `days` and `hours`.
    pub fn parse(name: &str, days: Option<i64>, hours: Option<i64>) -> Result<Window, String> {
        match name {
            "24h" => Ok(Window::Day),
            "7d" => Ok(Window::Week),
            "30d" => Ok(Window::Month),
            "all" => Ok(Window::All),
            "custom" => {
                let (d, h) = (days.unwrap_or(0), hours.unwrap_or(0));
                if d < 0 || h < 0 || d > 3650 || (d == 0 && h == 0) {
                    return Err(format!(
                        "a custom window needs days (0–3650) and hours, not {d} days {h} hours"
                    ));
                }
                Ok(Window::custom(d, h))
            }
            other => Err(format!(
                "window {other:?} is not one of 24h, 7d, 30d, all, custom"
            )),
        }
    }

    /// The name `parse` reads back (custom windows as `custom`).
    pub fn name(self) -> &'static str {
        match self {
            Window::Day => "24h",
            Window::Week => "7d",
            Window::Month => "30d",
            Window::All => "all",
            Window::Hours(_) => "custom",
        }
    }

    /// Length in hours; `None` for all time.
    pub fn hours(self) -> Option<i64> {
        match self {
            Window::Day => Some(24),
            Window::Week => Some(7 * 24),
            Window::Month => Some(30 * 24),
            Window::Hours(h) => Some(h),
            Window::All => None,
        }
    }

    /// The first hour inside the window ending at `now`.
    pub fn start(self, now: Hour) -> Option<Hour> {
        self.hours().map(|h| now - h + 1)
    }
}

#[derive(Default)]
pub struct Counts {
    hourly: BTreeMap<Hour, HashMap<i64, u64>>,
    totals: HashMap<i64, u64>,
}

impl Counts {
    pub fn add(&mut self, article: i64, hour: Hour, views: u64) {
        *self
            .hourly
            .entry(hour)
            .or_default()
            .entry(article)
            .or_default() += views;
        *self.totals.entry(article).or_default() += views;
    }

    /// Adds history loaded from the database: a bucket, without the total.
    pub fn add_bucket(&mut self, article: i64, hour: Hour, views: u64) {
        *self
            .hourly
            .entry(hour)
            .or_default()
            .entry(article)
            .or_default() += views;
    }

    pub fn set_total(&mut self, article: i64, views: u64) {
        self.totals.insert(article, views);
    }

    /// Views per article in `window` ending at hour `now`.
    pub fn window(&self, window: Window, now: Hour) -> HashMap<i64, u64> {
        let Some(start) = window.start(now) else {
            return self.totals.clone();
        };
        let mut sums: HashMap<i64, u64> = HashMap::new();
        for buckets in self.hourly.range(start..=now).map(|(_, b)| b) {
            for (article, views) in buckets {
                *sums.entry(*article).or_default() += views;
            }
        }
        sums
    }

    pub fn total(&self, article: i64) -> u64 {
        self.totals.get(&article).copied().unwrap_or(0)
    }

    /// Views of one article in `window` ending at `now`.
    pub fn article(&self, article: i64, window: Window, now: Hour) -> u64 {
        match window.start(now) {
            None => self.total(article),
            Some(start) => self
                .hourly
                .range(start..=now)
                .filter_map(|(_, b)| b.get(&article))
                .sum(),
        }
    }
}

/// Articles ranked by views, most first; ties go to the newer article.
pub fn rank(sums: HashMap<i64, u64>, published_at: impl Fn(i64) -> Option<i64>) -> Vec<(i64, u64)> {
    let mut ranked: Vec<(i64, u64, i64)> = sums
        .into_iter()
        .filter(|&(_, v)| v > 0)
        .filter_map(|(id, v)| published_at(id).map(|p| (id, v, p)))
        .collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(b.0.cmp(&a.0)));
    ranked.into_iter().map(|(id, v, _)| (id, v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_sum_the_right_hours() {
        let now = 1000;
        let mut c = Counts::default();
        c.add(1, now, 5); // this hour
        c.add(1, now - 23, 1); // still in the last 24 h
        c.add(1, now - 24, 10); // not in 24 h, in 7 d
        c.add(2, now - 7 * 24, 100); // just outside 7 d, inside 30 d
        c.add(3, now - 30 * 24, 1000); // outside 30 d
        assert_eq!(c.window(Window::Day, now).get(&1), Some(&6));
        assert_eq!(c.window(Window::Week, now).get(&1), Some(&16));
        assert_eq!(c.window(Window::Week, now).get(&2), None);
        assert_eq!(c.window(Window::Month, now).get(&2), Some(&100));
        assert_eq!(c.window(Window::Month, now).get(&3), None);
        assert_eq!(c.window(Window::All, now).get(&3), Some(&1000));
        assert_eq!(c.article(1, Window::custom(0, 2), now), 5);
        assert_eq!(c.article(1, Window::custom(1, 1), now), 16);
        assert_eq!(c.total(3), 1000);
    }

    #[test]
    fn ranking_breaks_ties_by_recency_and_skips_unknown() {
        let sums = HashMap::from([(1, 10), (2, 10), (3, 30), (4, 5), (5, 0)]);
        let published = |id: i64| (id != 4).then_some(id * 100);
        assert_eq!(rank(sums, published), vec![(3, 30), (2, 10), (1, 10)]);
    }

    #[test]
    fn window_names() {
        assert_eq!(Window::parse("7d", None, None), Ok(Window::Week));
        assert_eq!(
            Window::parse("custom", Some(2), Some(3)),
            Ok(Window::Hours(51))
        );
        assert!(Window::parse("custom", None, None)
            .unwrap_err()
            .contains("custom window"));
        assert!(Window::parse("week", None, None)
            .unwrap_err()
            .contains("\"week\""));
    }

    #[test]
    fn custom_windows_normalise() {
        assert_eq!(Window::custom(1, 0), Window::Day);
        assert_eq!(Window::custom(7, 0), Window::Week);
        assert_eq!(Window::custom(0, 0), Window::Hours(1));
        assert_eq!(Window::custom(2, 3), Window::Hours(51));
    }
}
