//! Who sent a hit: not a bot, not a prefetch, not a newsroom user — and, for
//! deduplication, an anonymous reader key that changes every day.
//!
//! The key is a keyed hash of (client address, user agent) under a salt that
//! is drawn at random, lives in memory only and is replaced every day, so
//! no address is stored and yesterday's keys cannot be linked to today's.

use std::hash::{BuildHasher, Hasher};
use std::net::IpAddr;

use aho_corasick::AhoCorasick;

/// A view hit as the web layer hands it over: what the request said, as
/// plain values. Counting decides what they mean.
#[derive(Clone, Debug)]
pub struct Hit<'a> {
    pub article: i64,
    pub user_agent: Option<&'a str>,
    /// Values of the headers browsers use to announce a prefetch or a
    /// prerender (`Sec-Purpose`, `Purpose`, `X-Purpose`, `X-Moz`).
    pub purposes: Vec<&'a str>,
    /// Names of the cookies the request carries.
    pub cookies: Vec<&'a str>,
    /// The address the connection came from.
    pub peer: IpAddr,
    /// `X-Forwarded-For`, nearest proxy last, as sent.
    pub forwarded_for: Vec<IpAddr>,
}

/// Why a hit was not counted; also the label of the rejection counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rejection {
    NoUserAgent,
    Bot,
    Prefetch,
    NewsroomUser,
    UnknownArticle,
    BadRequest,
    Duplicate,
}

impl Rejection {
    pub const ALL: [Rejection; 7] = [
        Rejection::NoUserAgent,
        Rejection::Bot,
        Rejection::Prefetch,
        Rejection::NewsroomUser,
        Rejection::UnknownArticle,
        Rejection::BadRequest,
        Rejection::Duplicate,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Rejection::NoUserAgent => "no_user_agent",
            Rejection::Bot => "bot",
            Rejection::Prefetch => "prefetch",
            Rejection::NewsroomUser => "newsroom_user",
            Rejection::UnknownArticle => "unknown_article",
            Rejection::BadRequest => "bad_request",
            Rejection::Duplicate => "duplicate",
        }
    }
}

/// The cookie of a signed-in back-office session. Its holders are the
/// newsroom's own people, whose checks of their pages are not readership.
pub const SESSION_COOKIE: &str = "warraq_session";

const BUILT_IN_BOTS: &str = include_str!("../../data/bots.txt");

pub struct Bots {
    matcher: AhoCorasick,
    patterns: usize,
}

impl Bots {
    /// The built-in list, or the file given in the config.
    pub fn load(file: Option<&std::path::Path>) -> anyhow::Result<Bots> {
        let text = match file {
            Some(path) => std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read bots file {}: {e}", path.display()))?,
            None => BUILT_IN_BOTS.to_string(),
        };
        Bots::parse(&text)
    }

    fn parse(text: &str) -> anyhow::Result<Bots> {
        let patterns: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let matcher = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&patterns)?;
        Ok(Bots {
            matcher,
            patterns: patterns.len(),
        })
    }

    /// How many patterns the list holds.
    pub fn patterns(&self) -> usize {
        self.patterns
    }

    pub fn is_bot(&self, user_agent: &str) -> bool {
        self.matcher.is_match(user_agent)
    }
}

/// Checks who sent a hit; `Ok(user_agent)` when it may be a reader.
pub fn screen<'h>(hit: &Hit<'h>, bots: &Bots) -> Result<&'h str, Rejection> {
    let ua = hit
        .user_agent
        .map(str::trim)
        .filter(|ua| !ua.is_empty())
        .ok_or(Rejection::NoUserAgent)?;
    if bots.is_bot(ua) {
        return Err(Rejection::Bot);
    }
    let prefetch = hit.purposes.iter().any(|v| {
        let v = v.to_ascii_lowercase();
        v.contains("prefetch") || v.contains("prerender") || v.contains("preview")
    });
    if prefetch {
        return Err(Rejection::Prefetch);
    }
    if hit.cookies.contains(&SESSION_COOKIE) {
        return Err(Rejection::NewsroomUser);
    }
    Ok(ua)
}

/// The client's address: the peer, or — when the peer is a trusted proxy —
/// the nearest address in `X-Forwarded-For` that is not itself trusted.
pub fn client_address(hit: &Hit<'_>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&hit.peer) {
        return hit.peer;
    }
    hit.forwarded_for
        .iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .copied()
        .unwrap_or(hit.peer)
}

/// The daily salt: a random hashing key, never written anywhere.
pub struct Salt {
    key: std::hash::RandomState,
    day: i64,
}

impl Salt {
    pub fn new(day: i64) -> Salt {
        // std keys each RandomState's SipHash from the operating system's
        // random source: unknown outside this process, never persisted.
        Salt {
            key: std::hash::RandomState::new(),
            day,
        }
    }

    /// Replaces the key when `day` (days since the epoch) has moved on.
    pub fn rotate(&mut self, day: i64) {
        if day != self.day {
            *self = Salt::new(day);
        }
    }

    /// The key of one reader reading one article today.
    pub fn reader_article(&self, address: IpAddr, user_agent: &str, article: i64) -> u64 {
        let mut h = self.key.build_hasher();
        match address {
            IpAddr::V4(a) => h.write(&a.octets()),
            IpAddr::V6(a) => h.write(&a.octets()),
        }
        h.write(user_agent.as_bytes());
        h.write_i64(article);
        h.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIREFOX: &str = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0";

    fn hit(user_agent: Option<&str>) -> Hit<'_> {
        Hit {
            article: 1,
            user_agent,
            purposes: Vec::new(),
            cookies: Vec::new(),
            peer: "192.0.2.1".parse().unwrap(),
            forwarded_for: Vec::new(),
        }
    }

    #[test]
    fn readers_bots_prefetches_and_staff() {
        let bots = Bots::load(None).unwrap();
        assert!(bots.patterns() > 50);
        assert_eq!(screen(&hit(Some(FIREFOX)), &bots), Ok(FIREFOX));
        assert_eq!(screen(&hit(None), &bots), Err(Rejection::NoUserAgent));
        assert_eq!(screen(&hit(Some("  ")), &bots), Err(Rejection::NoUserAgent));
        for ua in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "facebookexternalhit/1.1",
            "curl/8.5.0",
            "python-requests/2.31",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36",
            "WhatsApp/2.23.20.0",
        ] {
            assert_eq!(screen(&hit(Some(ua)), &bots), Err(Rejection::Bot), "{ua}");
        }
        let prefetch = Hit {
            purposes: vec!["prefetch;prerender"],
            ..hit(Some(FIREFOX))
        };
        assert_eq!(screen(&prefetch, &bots), Err(Rejection::Prefetch));
        let staff = Hit {
            cookies: vec!["a", SESSION_COOKIE],
            ..hit(Some(FIREFOX))
        };
        assert_eq!(screen(&staff, &bots), Err(Rejection::NewsroomUser));
        let lookalike = Hit {
            cookies: vec!["warraq_sessionx"],
            ..hit(Some(FIREFOX))
        };
        assert_eq!(screen(&lookalike, &bots), Ok(FIREFOX));
    }

    #[test]
    fn a_bots_file_replaces_the_list() {
        let bots = Bots::parse("# comment\n\nMyMonitor\n").unwrap();
        assert_eq!(bots.patterns(), 1);
        assert!(bots.is_bot("mymonitor/1.0"));
        assert!(!bots.is_bot("curl/8"));
    }

    #[test]
    fn forwarded_for_only_from_trusted_proxies() {
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let inner: IpAddr = "10.0.0.2".parse().unwrap();
        let stranger: IpAddr = "198.51.100.1".parse().unwrap();
        let via = |peer| Hit {
            peer,
            forwarded_for: vec!["203.0.113.9".parse().unwrap(), inner],
            ..hit(Some(FIREFOX))
        };
        assert_eq!(client_address(&via(stranger), &[proxy]), stranger);
        assert_eq!(client_address(&via(proxy), &[proxy]), inner);
        assert_eq!(
            client_address(&via(proxy), &[proxy, inner]),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        let direct = Hit {
            peer: proxy,
            ..hit(Some(FIREFOX))
        };
        assert_eq!(client_address(&direct, &[proxy]), proxy);
    }

    #[test]
    fn salt_separates_days() {
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let mut salt = Salt::new(100);
        let today = salt.reader_article(ip, FIREFOX, 7);
        assert_eq!(today, salt.reader_article(ip, FIREFOX, 7));
        assert_ne!(today, salt.reader_article(ip, FIREFOX, 8));
        salt.rotate(100);
        assert_eq!(today, salt.reader_article(ip, FIREFOX, 7));
        salt.rotate(101);
        assert_ne!(today, salt.reader_article(ip, FIREFOX, 7));
    }
}
