//! What an import did, item by item: the counts a newsroom checks and every
//! warning with the item it concerns and where it is in the file.

use std::collections::BTreeMap;

use serde::Serialize;

use super::wxr::Location;
use crate::store::Outcome;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Counts {
    pub fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Created => self.created += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }

    pub fn total(&self) -> u64 {
        self.created + self.updated + self.unchanged
    }
}

/// One item's problem.
#[derive(Clone, Debug, Serialize)]
pub struct ItemWarning {
    pub file: String,
    pub wp_id: i64,
    pub title: String,
    pub line: u64,
    pub column: u64,
    pub reason: String,
}

/// An item kept but not public, and why.
#[derive(Clone, Debug, Serialize)]
pub struct NotPublic {
    pub wp_id: i64,
    pub title: String,
    pub status: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub dry_run: bool,
    pub files: Vec<String>,
    pub site: String,
    pub articles: Counts,
    pub pages: Counts,
    pub media: Counts,
    pub sections: u64,
    pub tags: u64,
    pub authors: u64,
    /// Items not imported, by `wp:post_type` (or "trash"), and comments.
    pub skipped: BTreeMap<String, u64>,
    pub not_public: Vec<NotPublic>,
    pub redirects: u64,
    pub translations: u64,
    /// Unknown shortcodes and unknown blocks, by name, with their counts.
    pub unknown_shortcodes: BTreeMap<String, u64>,
    pub unknown_blocks: BTreeMap<String, u64>,
    /// Files copied into the media directory.
    pub media_files: u64,
    /// Old upload URLs left in bodies (no `--uploads`, or not in it).
    pub old_upload_urls: u64,
    pub old_upload_examples: Vec<String>,
    pub warnings: Vec<ItemWarning>,
}

/// Old upload URLs named in the report, beyond which only the count grows.
const UPLOAD_EXAMPLES: usize = 50;

impl Report {
    /// Adds what one item's mapping found (warnings, unknown names, old
    /// uploads, an item not public, skips) to the run's report.
    pub fn absorb(&mut self, part: Report) {
        self.warnings.extend(part.warnings);
        self.not_public.extend(part.not_public);
        for (name, n) in part.unknown_shortcodes {
            *self.unknown_shortcodes.entry(name).or_default() += n;
        }
        for (name, n) in part.unknown_blocks {
            *self.unknown_blocks.entry(name).or_default() += n;
        }
        for (what, n) in part.skipped {
            *self.skipped.entry(what).or_default() += n;
        }
        self.old_upload_urls += part.old_upload_urls;
        for url in part.old_upload_examples {
            if self.old_upload_examples.len() < UPLOAD_EXAMPLES
                && !self.old_upload_examples.contains(&url)
            {
                self.old_upload_examples.push(url);
            }
        }
    }

    pub fn skip(&mut self, what: &str) {
        *self.skipped.entry(what.to_string()).or_default() += 1;
    }

    pub fn warn(&mut self, file: &str, wp_id: i64, title: &str, at: Location, reason: String) {
        self.warnings.push(ItemWarning {
            file: file.to_string(),
            wp_id,
            title: title.to_string(),
            line: at.line,
            column: at.column,
            reason,
        });
    }

    pub fn old_upload(&mut self, url: &str) {
        self.old_upload_urls += 1;
        if self.old_upload_examples.len() < UPLOAD_EXAMPLES
            && !self.old_upload_examples.iter().any(|u| u == url)
        {
            self.old_upload_examples.push(url.to_string());
        }
    }

    /// The report for a terminal: counts, then warnings.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let verb = if self.dry_run {
            "would import"
        } else {
            "imported"
        };
        let counts = |c: &Counts| {
            format!(
                "{} new, {} updated, {} unchanged",
                c.created, c.updated, c.unchanged
            )
        };
        out.push_str(&format!("{verb} from {}:\n", self.site));
        out.push_str(&format!("  articles: {}\n", counts(&self.articles)));
        out.push_str(&format!("  pages:    {}\n", counts(&self.pages)));
        out.push_str(&format!("  media:    {}\n", counts(&self.media)));
        out.push_str(&format!(
            "  sections {}, tags {}, authors {}, translations linked {}, redirects {}\n",
            self.sections, self.tags, self.authors, self.translations, self.redirects
        ));
        if !self.skipped.is_empty() {
            let skipped: Vec<_> = self
                .skipped
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            out.push_str(&format!("  skipped: {}\n", skipped.join(", ")));
        }
        if !self.not_public.is_empty() {
            out.push_str(&format!("  not public ({}):\n", self.not_public.len()));
            for n in &self.not_public {
                out.push_str(&format!("    #{} {} — {}\n", n.wp_id, n.status, n.title));
            }
        }
        for (what, map) in [
            ("unknown shortcodes", &self.unknown_shortcodes),
            ("unknown blocks", &self.unknown_blocks),
        ] {
            if !map.is_empty() {
                let list: Vec<_> = map.iter().map(|(k, v)| format!("[{k}] ×{v}")).collect();
                out.push_str(&format!("  {what}: {}\n", list.join(", ")));
            }
        }
        if self.media_files > 0 {
            out.push_str(&format!("  media files copied: {}\n", self.media_files));
        }
        if self.old_upload_urls > 0 {
            out.push_str(&format!(
                "  old upload URLs left in bodies: {} (run with --uploads DIR to copy the files), e.g. {}\n",
                self.old_upload_urls,
                self.old_upload_examples.first().map(String::as_str).unwrap_or("")
            ));
        }
        if !self.warnings.is_empty() {
            out.push_str(&format!("  warnings ({}):\n", self.warnings.len()));
            for w in &self.warnings {
                out.push_str(&format!(
                    "    {}:{}:{} #{} {}: {}\n",
                    w.file, w.line, w.column, w.wp_id, w.title, w.reason
                ));
            }
        }
        out
    }
}
