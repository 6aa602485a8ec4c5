//! The page cache: rendered responses kept in memory, bounded in bytes,
//! keyed by the request's path and the query parameters that choose what a
//! page shows (see [`cache_key`]), each stamped with the change-log
//! position it was rendered at. Any write, by any process, moves that
//! position, so a page is never served after what it shows has changed.

use std::io::Write;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderValue;
use flate2::{write::GzEncoder, Compression};

/// A response ready to send again, with its validators; the gzip variant is
/// made the first time a client asks for it.
pub struct CachedPage {
    pub version: u64,
    pub rendered: Instant,
    pub content_type: HeaderValue,
    pub body: Bytes,
    gzip: OnceLock<Option<Bytes>>,
    pub etag: String,
    pub last_modified: String,
}

impl CachedPage {
    pub fn new(version: u64, content_type: HeaderValue, body: Bytes) -> CachedPage {
        CachedPage {
            version,
            rendered: Instant::now(),
            content_type,
            etag: crate::render::etag(&body),
            gzip: OnceLock::new(),
            body,
            last_modified: jiff::Timestamp::now()
                .strftime("%a, %d %b %Y %H:%M:%S GMT")
                .to_string(),
        }
    }

    /// The body gzipped; `None` for bodies too small to be worth the
    /// client's work to inflate.
    pub fn gzip(&self) -> Option<&Bytes> {
        self.gzip
            .get_or_init(|| {
                (self.body.len() > 1024).then(|| {
                    let mut enc = GzEncoder::new(
                        Vec::with_capacity(self.body.len() / 3),
                        Compression::new(6),
                    );
                    enc.write_all(&self.body).expect("writing to memory");
                    Bytes::from(enc.finish().expect("writing to memory"))
                })
            })
            .as_ref()
    }
}

/// Weighs an entry by what it holds: the key, the body, and room for its
/// gzip variant.
#[derive(Clone)]
struct Bytesize;

impl quick_cache::Weighter<String, Arc<CachedPage>> for Bytesize {
    fn weight(&self, key: &String, page: &Arc<CachedPage>) -> u64 {
        (key.len() + page.body.len() + page.body.len() / 3 + 512) as u64
    }
}

pub struct PageCache {
    pages: quick_cache::sync::Cache<String, Arc<CachedPage>, Bytesize>,
    max_age: Duration,
}

impl PageCache {
    /// At most `max_bytes` of pages (hot ones kept, by quick_cache's
    /// CLOCK-Pro), each served for at most `max_age`.
    pub fn new(max_bytes: u64, max_age: Duration) -> PageCache {
        // A guess at how many entries fit, for the cache's tables: pages
        // are around 20 KB.
        let estimated = (max_bytes / 20_000).max(16) as usize;
        PageCache {
            pages: quick_cache::sync::Cache::with_weighter(estimated, max_bytes, Bytesize),
            max_age,
        }
    }

    /// The page for `key` if it was rendered from the current content, and
    /// recently enough for its live parts (most read) to be fresh.
    pub fn get(&self, key: &str, version: u64) -> Option<Arc<CachedPage>> {
        self.pages
            .get(key)
            .filter(|p| p.version == version && p.rendered.elapsed() < self.max_age)
    }

    pub fn insert(&self, key: String, page: Arc<CachedPage>) {
        self.pages.insert(key, page);
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held, by the weigher's count.
    pub fn weight(&self) -> u64 {
        self.pages.weight()
    }
}

/// Query parameters that choose what some page or answer shows. Any other
/// parameter (`utm_source`, `fbclid`, junk) is ignored by every handler,
/// so it is left out of the cache key and cannot fill the cache.
const ROUTING_PARAMS: &[&str] = &[
    "a", "author", "days", "from", "hours", "lang", "limit", "page", "q", "section", "sort", "to",
    "window",
];

/// The cache key of a request: its path, then the routing parameters it
/// carries, in a canonical order.
pub fn cache_key(path: &str, query: Option<&str>) -> String {
    let mut params: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or("");
            ROUTING_PARAMS.contains(&name)
        })
        .collect();
    if params.is_empty() {
        return path.to_string();
    }
    // Stable: repeated names keep their order, which handlers may read.
    params.sort_by_key(|pair| pair.split('=').next().unwrap_or(""));
    format!("{path}?{}", params.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(version: u64) -> Arc<CachedPage> {
        Arc::new(CachedPage::new(
            version,
            HeaderValue::from_static("text/html"),
            Bytes::from(vec![b'x'; 10_000]),
        ))
    }

    #[test]
    fn stale_versions_miss() {
        let cache = PageCache::new(1 << 20, Duration::from_secs(60));
        cache.insert("/".into(), page(1));
        assert!(cache.get("/", 1).is_some());
        assert!(cache.get("/", 2).is_none());
        let expired = PageCache::new(1 << 20, Duration::ZERO);
        expired.insert("/".into(), page(1));
        assert!(expired.get("/", 1).is_none());
    }

    #[test]
    fn bounded_in_bytes() {
        let cache = PageCache::new(200_000, Duration::from_secs(60));
        for i in 0..1000 {
            cache.insert(format!("/{i}"), page(1));
        }
        assert!(cache.weight() <= 200_000, "{} bytes", cache.weight());
        assert!(cache.len() < 1000 && !cache.is_empty());
    }

    #[test]
    fn keys_keep_only_routing_parameters_in_order() {
        assert_eq!(cache_key("/x/", None), "/x/");
        assert_eq!(cache_key("/x/", Some("utm_source=a&fbclid=b")), "/x/");
        assert_eq!(
            cache_key("/search", Some("sort=date&utm=1&q=%D9%85&page=2")),
            "/search?page=2&q=%D9%85&sort=date"
        );
        assert_eq!(
            cache_key("/search", Some("q=a&q=b")),
            cache_key("/search", Some("q=a&junk&q=b"))
        );
    }
}
