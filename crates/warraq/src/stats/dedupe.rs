//! Remembering recent readers in fixed memory: two Bloom filters that take
//! turns. Each covers one dedupe period; a key is "seen" if either holds it,
//! so a reload is recognised for at least one period and at most two. At
//! every rotation the older filter is emptied and becomes the current one,
//! so a flood of distinct readers can fill the filters but never grow them.

/// A fixed-size Bloom filter over 64-bit keys (already hashed).
struct Bloom {
    bits: Vec<u64>,
    hashes: u32,
}

impl Bloom {
    fn new(bits: u64, hashes: u32) -> Bloom {
        Bloom {
            bits: vec![0; bits.div_ceil(64) as usize],
            hashes,
        }
    }

    /// The bit positions of `key`: double hashing (Kirsch–Mitzenmacher) from
    /// the two halves of a mixed 64-bit key.
    fn positions(&self, key: u64) -> impl Iterator<Item = usize> + '_ {
        let m = (self.bits.len() * 64) as u64;
        let mixed = mix(key);
        let h1 = mixed & 0xffff_ffff;
        let h2 = (mixed >> 32) | 1;
        (0..self.hashes as u64).map(move |i| (h1.wrapping_add(i.wrapping_mul(h2)) % m) as usize)
    }

    fn contains(&self, key: u64) -> bool {
        self.positions(key)
            .all(|p| self.bits[p / 64] & (1 << (p % 64)) != 0)
    }

    fn insert(&mut self, key: u64) {
        let positions: Vec<usize> = self.positions(key).collect();
        for p in positions {
            self.bits[p / 64] |= 1 << (p % 64);
        }
    }

    fn clear(&mut self) {
        self.bits.fill(0);
    }
}

/// SplitMix64's finaliser: spreads any key's bits over all 64.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub struct Dedupe {
    current: Bloom,
    previous: Bloom,
    period_secs: u64,
    period_started: u64,
}

impl Dedupe {
    /// Filters sized for `capacity` keys per period at false-positive rate
    /// `fp`: m = -n·ln p / (ln 2)², k = (m/n)·ln 2.
    pub fn new(capacity: u64, fp: f64, period_secs: u64, now_secs: u64) -> Dedupe {
        let ln2 = std::f64::consts::LN_2;
        let bits = ((-(capacity as f64) * fp.ln()) / (ln2 * ln2))
            .ceil()
            .max(64.0) as u64;
        let hashes = ((bits as f64 / capacity as f64) * ln2)
            .round()
            .clamp(1.0, 32.0) as u32;
        Dedupe {
            current: Bloom::new(bits, hashes),
            previous: Bloom::new(bits, hashes),
            period_secs: period_secs.max(1),
            period_started: now_secs,
        }
    }

    /// Memory held by both filters, in bytes.
    pub fn bytes(&self) -> usize {
        (self.current.bits.len() + self.previous.bits.len()) * 8
    }

    /// Records `key` at `now_secs`; true when it is new (to be counted),
    /// false when it was seen within the last one to two periods.
    pub fn first_time(&mut self, key: u64, now_secs: u64) -> bool {
        self.rotate(now_secs);
        if self.remembers(key) {
            return false;
        }
        self.current.insert(key);
        true
    }

    fn remembers(&self, key: u64) -> bool {
        self.current.contains(key) || self.previous.contains(key)
    }

    fn rotate(&mut self, now_secs: u64) {
        let elapsed = now_secs.saturating_sub(self.period_started);
        if elapsed < self.period_secs {
            return;
        }
        if elapsed >= 2 * self.period_secs {
            // Idle for two periods: nothing remembered is recent any more.
            self.previous.clear();
            self.current.clear();
        } else {
            std::mem::swap(&mut self.current, &mut self.previous);
            self.current.clear();
        }
        self.period_started = now_secs - elapsed % self.period_secs;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reload_within_the_period_is_not_counted() {
        let mut d = Dedupe::new(1000, 0.001, 1800, 0);
        assert!(d.first_time(42, 0));
        assert!(!d.first_time(42, 60));
        assert!(!d.first_time(42, 1799));
        // Still remembered in the previous filter just after a rotation…
        assert!(!d.first_time(42, 1800 + 60));
        // …and forgotten two periods after it was last seen.
        assert!(d.first_time(42, 2 * 1800 + 1800 + 1));
    }

    #[test]
    fn false_positive_rate_is_near_the_configured_one() {
        let n = 100_000;
        let mut d = Dedupe::new(n, 0.001, 1800, 0);
        for key in 0..n {
            d.first_time(key, 0);
        }
        let trials = 100_000;
        let false_positives = (n..n + trials).filter(|&k| d.remembers(k)).count();
        let rate = false_positives as f64 / trials as f64;
        assert!(
            rate < 0.002,
            "false-positive rate {rate} at capacity, configured 0.001"
        );
    }

    #[test]
    fn memory_is_fixed_whatever_the_flood() {
        let mut d = Dedupe::new(10_000, 0.001, 1800, 0);
        let before = d.bytes();
        for key in 0..1_000_000u64 {
            d.first_time(key, key / 100);
        }
        assert_eq!(d.bytes(), before);
        // 10,000 keys at 0.1%: about 18 KB per filter.
        assert!(before < 2 * 20_000, "{before} bytes");
    }
}
