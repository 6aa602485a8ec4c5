//! The page cache: rendered responses kept in memory, keyed by request path
//! and query, each remembering the store's content version it was rendered
//! from. Any write through the store bumps that version, so a page is never
//! served after what it shows has changed.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderValue;
use flate2::{write::GzEncoder, Compression};

/// A response ready to send again, with its validators and a gzip variant.
pub struct CachedPage {
    pub version: u64,
    pub rendered: Instant,
    pub content_type: HeaderValue,
    pub body: Bytes,
    pub gzip: Option<Bytes>,
    pub etag: String,
    pub last_modified: String,
}

impl CachedPage {
    pub fn new(version: u64, content_type: HeaderValue, body: Bytes) -> CachedPage {
        // Small bodies are not worth the client's work to inflate.
        let gzip = (body.len() > 1024).then(|| {
            let mut enc = GzEncoder::new(Vec::with_capacity(body.len() / 3), Compression::new(6));
            enc.write_all(&body).expect("writing to memory");
            Bytes::from(enc.finish().expect("writing to memory"))
        });
        CachedPage {
            version,
            rendered: Instant::now(),
            content_type,
            etag: super::theme::etag(&body),
            gzip,
            body,
            last_modified: jiff::Timestamp::now()
                .strftime("%a, %d %b %Y %H:%M:%S GMT")
                .to_string(),
        }
    }
}

pub struct PageCache {
    pages: RwLock<HashMap<String, Arc<CachedPage>>>,
    max_entries: usize,
    max_age: Duration,
}

impl PageCache {
    /// At most `max_entries` pages, each served for at most `max_age`.
    pub fn new(max_entries: usize, max_age: Duration) -> PageCache {
        PageCache {
            pages: RwLock::new(HashMap::new()),
            max_entries,
            max_age,
        }
    }

    /// The page for `key` if it was rendered from the current content, and
    /// recently enough for its live parts (most read) to be fresh.
    pub fn get(&self, key: &str, version: u64) -> Option<Arc<CachedPage>> {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        pages
            .get(key)
            .filter(|p| p.version == version && p.rendered.elapsed() < self.max_age)
            .cloned()
    }

    pub fn insert(&self, key: String, page: Arc<CachedPage>) {
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        if pages.len() >= self.max_entries && !pages.contains_key(&key) {
            // Bounded memory whatever URLs clients invent: drop stale pages
            // first, everything if that is not enough.
            let version = page.version;
            pages.retain(|_, p| p.version == version);
            if pages.len() >= self.max_entries {
                pages.clear();
            }
        }
        pages.insert(key, page);
    }

    pub fn len(&self) -> usize {
        self.pages.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(version: u64) -> Arc<CachedPage> {
        Arc::new(CachedPage::new(
            version,
            HeaderValue::from_static("text/html"),
            Bytes::from_static(b"<p>x</p>"),
        ))
    }

    #[test]
    fn stale_versions_miss() {
        let cache = PageCache::new(10, Duration::from_secs(60));
        cache.insert("/".into(), page(1));
        assert!(cache.get("/", 1).is_some());
        assert!(cache.get("/", 2).is_none());
        let expired = PageCache::new(10, Duration::ZERO);
        expired.insert("/".into(), page(1));
        assert!(expired.get("/", 1).is_none());
    }

    #[test]
    fn bounded() {
        let cache = PageCache::new(3, Duration::from_secs(60));
        for i in 0..10 {
            cache.insert(format!("/{i}"), page(1));
        }
        assert!(cache.len() <= 3);
        assert!(cache.get("/9", 1).is_some());
    }
}
