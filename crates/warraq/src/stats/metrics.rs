//! Counters for `/metrics`, in Prometheus' text format.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::Rejection;

#[derive(Default)]
pub struct Metrics {
    pub accepted: AtomicU64,
    rejected: [AtomicU64; Rejection::ALL.len()],
    /// Hits accepted and not yet written to the database.
    pub buffered: AtomicU64,
    pub flush_errors: AtomicU64,
    flushes: AtomicU64,
    flush_micros: AtomicU64,
    last_flush_micros: AtomicU64,
}

impl Metrics {
    pub fn rejected(&self, reason: Rejection) -> &AtomicU64 {
        let i = Rejection::ALL
            .iter()
            .position(|r| *r == reason)
            .expect("listed");
        &self.rejected[i]
    }

    pub fn record_flush(&self, took: Duration) {
        let micros = took.as_micros() as u64;
        self.flushes.fetch_add(1, Ordering::Relaxed);
        self.flush_micros.fetch_add(micros, Ordering::Relaxed);
        self.last_flush_micros.store(micros, Ordering::Relaxed);
    }

    pub fn render(&self) -> String {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let mut out = String::new();
        let _ = writeln!(out, "# HELP warraq_hits_accepted_total View hits counted.");
        let _ = writeln!(out, "# TYPE warraq_hits_accepted_total counter");
        let _ = writeln!(out, "warraq_hits_accepted_total {}", get(&self.accepted));
        let _ = writeln!(
            out,
            "# HELP warraq_hits_rejected_total View hits not counted, by reason."
        );
        let _ = writeln!(out, "# TYPE warraq_hits_rejected_total counter");
        for reason in Rejection::ALL {
            let _ = writeln!(
                out,
                "warraq_hits_rejected_total{{reason=\"{}\"}} {}",
                reason.label(),
                get(self.rejected(reason))
            );
        }
        let _ = writeln!(
            out,
            "# HELP warraq_hits_buffered Hits accepted and not yet flushed."
        );
        let _ = writeln!(out, "# TYPE warraq_hits_buffered gauge");
        let _ = writeln!(out, "warraq_hits_buffered {}", get(&self.buffered));
        let _ = writeln!(
            out,
            "# HELP warraq_flush_duration_seconds Time spent writing hits."
        );
        let _ = writeln!(out, "# TYPE warraq_flush_duration_seconds summary");
        let _ = writeln!(
            out,
            "warraq_flush_duration_seconds_sum {:.6}",
            get(&self.flush_micros) as f64 / 1e6
        );
        let _ = writeln!(
            out,
            "warraq_flush_duration_seconds_count {}",
            get(&self.flushes)
        );
        let _ = writeln!(
            out,
            "# HELP warraq_flush_last_duration_seconds Duration of the last flush."
        );
        let _ = writeln!(out, "# TYPE warraq_flush_last_duration_seconds gauge");
        let _ = writeln!(
            out,
            "warraq_flush_last_duration_seconds {:.6}",
            get(&self.last_flush_micros) as f64 / 1e6
        );
        let _ = writeln!(
            out,
            "# HELP warraq_flush_errors_total Flushes that failed (hits kept for the next)."
        );
        let _ = writeln!(out, "# TYPE warraq_flush_errors_total counter");
        let _ = writeln!(out, "warraq_flush_errors_total {}", get(&self.flush_errors));
        out
    }
}
