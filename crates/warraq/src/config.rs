//! `warraq.toml`: what a newsroom sets once. Every field has a default, so
//! the binary runs with no config file at all; `warraq.example.toml` at the
//! root of the repository documents each one.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

use crate::model::Lang;

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Absolute URL of the public site, used in canonical links, Open Graph
    /// and structured data. No trailing slash.
    pub base_url: String,
    /// IANA time zone the newsroom dates its articles in.
    pub time_zone: String,
    /// Date pattern: `dd`, `mm`, `yyyy` and any separators.
    pub date_format: String,
    /// `western` (0-9) or `arabic-indic` (٠-٩) digits in displayed dates.
    pub digits: Digits,
    /// Articles per page on home, section, tag and author pages.
    pub page_size: u32,
    /// A directory that overrides the embedded theme, file by file.
    pub theme_dir: Option<PathBuf>,
    /// Seconds a rendered page is served from memory before it is rendered
    /// again, so that live parts (most read) stay fresh. Writes invalidate
    /// pages at once whatever this says.
    pub page_cache_seconds: u64,
    /// Megabytes of memory for rendered pages and API answers, all caches
    /// together (pages ¾, articles in the API's shape 3/16, most-read
    /// answers 1/16). Hot entries stay; what clients invent cannot grow it.
    pub page_cache_mb: u64,
    /// Where media files live, served under `/media/`; default: beside a
    /// SQLite file (`warraq.db.media/`), or `warraq-media/` for PostgreSQL.
    pub media_dir: Option<PathBuf>,
    pub site: SiteNames,
    pub whatsapp: WhatsApp,
    pub stats: StatsConfig,
    pub digest: DigestConfig,
    pub search: SearchConfig,
    pub related: RelatedConfig,
    pub admin: AdminConfig,
    pub media: MediaConfig,
}

/// The media library (see `src/media/`).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaConfig {
    /// The largest file an upload may be, in megabytes.
    pub max_upload_mb: u64,
    /// The most pixels (width × height, in millions) an image may have:
    /// what its header says is checked before anything is decoded, so a
    /// small file claiming a huge image is refused without the memory.
    pub max_megapixels: u64,
    /// The widths of the smaller copies made of every upload (those below
    /// the image's own width), in WebP and in the upload's format.
    pub widths: Vec<u32>,
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig {
            max_upload_mb: 20,
            max_megapixels: 50,
            widths: vec![320, 640, 1024, 1600],
        }
    }
}

impl MediaConfig {
    pub fn max_upload_bytes(&self) -> usize {
        (self.max_upload_mb as usize).saturating_mul(1024 * 1024)
    }
}

/// The back office (see `src/web/admin/`).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdminConfig {
    /// Admins and editors must set up a second factor (TOTP) before they
    /// can do anything else in the back office.
    pub require_second_factor: bool,
    /// A session ends after this many minutes without a request…
    pub session_idle_minutes: i64,
    /// …and after this many hours in any case.
    pub session_max_hours: i64,
    /// A preview link of an unpublished article works this long.
    pub preview_hours: i64,
}

impl Default for AdminConfig {
    fn default() -> Self {
        AdminConfig {
            require_second_factor: false,
            session_idle_minutes: 12 * 60,
            session_max_hours: 14 * 24,
            preview_hours: 48,
        }
    }
}

/// Full-text search (see `src/search/`).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Where the index lives; default: beside a SQLite file
    /// (`warraq.db.search/`), or `warraq-search/` for PostgreSQL.
    pub dir: Option<PathBuf>,
    /// Arabic stemming: light (default), light10, snowball or none. Changing
    /// it rebuilds the index at the next start.
    pub stemming: crate::search::Stemming,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            dir: None,
            stemming: crate::search::Stemming::Light,
        }
    }
}

/// "Read also" links inside bodies and related cards after them.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RelatedConfig {
    /// Related links inserted into the body (0 turns "read also" off).
    pub read_also_links: usize,
    /// Insert after this paragraph (1 = the first); 0 places the block
    /// after the paragraph closest to 60% of the body.
    pub after_paragraph: usize,
    /// Related cards after the body.
    pub cards: usize,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            read_also_links: 1,
            after_paragraph: 0,
            cards: 4,
        }
    }
}

/// First-party view counting (see `src/stats/`).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StatsConfig {
    /// Buffered hits are written to the database this often.
    pub flush_interval_ms: u64,
    /// A reader reloading the same article within this many minutes counts once.
    pub dedupe_minutes: u64,
    /// Distinct (reader, article) pairs expected within `dedupe_minutes` at
    /// peak; sizes the filters that remember recent readers (fixed memory).
    pub dedupe_capacity: u64,
    /// Probability that a real first view is taken for a reload when the
    /// filter is at capacity.
    pub dedupe_false_positive: f64,
    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// A file of user-agent patterns (one per line) replacing the built-in
    /// bot list, so it can be updated without recompiling.
    pub bots_file: Option<PathBuf>,
    /// Most-read lists are recomputed from the database this often, to
    /// include the views counted by other nodes.
    pub resync_seconds: u64,
}

impl Default for StatsConfig {
    fn default() -> Self {
        StatsConfig {
            flush_interval_ms: 1000,
            dedupe_minutes: 30,
            dedupe_capacity: 1_000_000,
            dedupe_false_positive: 0.001,
            trusted_proxies: Vec::new(),
            bots_file: None,
            resync_seconds: 60,
        }
    }
}

/// The WhatsApp top-stories digest.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DigestConfig {
    pub greeting_ar: String,
    pub greeting_en: String,
}

impl Default for DigestConfig {
    fn default() -> Self {
        DigestConfig {
            greeting_ar: "صباح الخير! هذه أبرز قصص اليوم:".into(),
            greeting_en: "Good morning! Today's top stories:".into(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Digits {
    #[default]
    Western,
    ArabicIndic,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteNames {
    pub ar: SiteText,
    pub en: SiteText,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteText {
    pub name: String,
    pub description: String,
}

/// The subscribe-on-WhatsApp call to action. Rendered only for a language
/// that has both a link and a text.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WhatsApp {
    pub link: Option<String>,
    pub text_ar: Option<String>,
    pub text_en: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: "http://127.0.0.1:8080".into(),
            time_zone: "Asia/Beirut".into(),
            date_format: "dd.mm.yyyy".into(),
            digits: Digits::Western,
            page_size: 12,
            theme_dir: None,
            page_cache_seconds: 30,
            page_cache_mb: 64,
            media_dir: None,
            site: SiteNames {
                ar: SiteText {
                    name: "الورّاق".into(),
                    description: "صحافة مستقلة بالعربية".into(),
                },
                en: SiteText {
                    name: "Warraq".into(),
                    description: "Independent journalism from the Arab world".into(),
                },
            },
            whatsapp: WhatsApp::default(),
            stats: StatsConfig::default(),
            digest: DigestConfig::default(),
            search: SearchConfig::default(),
            related: RelatedConfig::default(),
            admin: AdminConfig::default(),
            media: MediaConfig::default(),
        }
    }
}

impl Config {
    /// Reads a config file; `None` gives the defaults.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        let config: Config =
            toml::from_str(&text).with_context(|| format!("in config file {}", path.display()))?;
        config
            .validate()
            .with_context(|| format!("in config file {}", path.display()))?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        jiff::tz::TimeZone::get(&self.time_zone)
            .with_context(|| format!("time_zone {:?} is not a known time zone", self.time_zone))?;
        if !self.date_format.contains("dd")
            || !self.date_format.contains("mm")
            || !self.date_format.contains("yyyy")
        {
            anyhow::bail!(
                "date_format {:?} must contain dd, mm and yyyy",
                self.date_format
            );
        }
        if self.page_size == 0 || self.page_size > 100 {
            anyhow::bail!(
                "page_size must be between 1 and 100, not {}",
                self.page_size
            );
        }
        let s = &self.stats;
        if !(100..=60_000).contains(&s.flush_interval_ms) {
            anyhow::bail!("stats.flush_interval_ms must be between 100 and 60000");
        }
        if s.dedupe_minutes == 0 || s.dedupe_capacity == 0 {
            anyhow::bail!("stats.dedupe_minutes and stats.dedupe_capacity must be positive");
        }
        if !(s.dedupe_false_positive > 0.0 && s.dedupe_false_positive < 0.5) {
            anyhow::bail!("stats.dedupe_false_positive must be between 0 and 0.5");
        }
        if self.related.read_also_links > 2 || self.related.cards > 12 {
            anyhow::bail!("related.read_also_links is at most 2 and related.cards at most 12");
        }
        let m = &self.media;
        if m.max_upload_mb == 0 || m.max_megapixels == 0 {
            anyhow::bail!("media.max_upload_mb and media.max_megapixels must be positive");
        }
        if m.widths.iter().any(|w| !(16..=12_000).contains(w)) {
            anyhow::bail!(
                "media.widths must be between 16 and 12000 pixels, not {:?}",
                m.widths
            );
        }
        if self.base_url.ends_with('/') {
            anyhow::bail!("base_url {:?} must not end with '/'", self.base_url);
        }
        Ok(())
    }

    pub fn site(&self, lang: Lang) -> &SiteText {
        match lang {
            Lang::Ar => &self.site.ar,
            Lang::En => &self.site.en,
        }
    }

    pub fn digest_greeting(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ar => &self.digest.greeting_ar,
            Lang::En => &self.digest.greeting_en,
        }
    }

    /// The WhatsApp call to action for `lang`: (text, link), when configured.
    pub fn whatsapp(&self, lang: Lang) -> Option<(&str, &str)> {
        let text = match lang {
            Lang::Ar => self.whatsapp.text_ar.as_deref(),
            Lang::En => self.whatsapp.text_en.as_deref(),
        }?;
        Some((text, self.whatsapp.link.as_deref()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_is_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../warraq.example.toml");
        let config = Config::load(Some(&path)).unwrap();
        assert_eq!(config.date_format, "dd.mm.yyyy");
        assert_eq!(config.site(Lang::Ar).name, "الورّاق");
        let (text, link) = config.whatsapp(Lang::Ar).unwrap();
        assert!(text.contains("إضغط(ي)") && link.starts_with("https://"));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_named() {
        let err = toml::from_str::<Config>("base_ur = \"x\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("base_ur"), "{err}");
        let config: Config = toml::from_str("date_format = \"yyyy\"").unwrap();
        assert!(config
            .validate()
            .unwrap_err()
            .to_string()
            .contains("date_format"));
    }

    #[test]
    fn whatsapp_needs_link_and_text() {
        let config: Config = toml::from_str("[whatsapp]\ntext_ar = \"x\"").unwrap();
        assert!(config.whatsapp(Lang::Ar).is_none());
    }
}
