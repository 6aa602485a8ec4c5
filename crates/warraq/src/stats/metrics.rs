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
        let seconds = |a: &AtomicU64| format!("{:.6}", get(a) as f64 / 1e6);
        let mut out = String::new();
        let mut family = |name: &str, kind: &str, help: &str, samples: &[(String, String)]| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for (suffix, value) in samples {
                let _ = writeln!(out, "{name}{suffix} {value}");
            }
        };
        family(
            "warraq_hits_accepted_total",
            "counter",
            "View hits counted.",
            &[(String::new(), get(&self.accepted).to_string())],
        );
        let rejected: Vec<(String, String)> = Rejection::ALL
            .iter()
            .map(|r| {
                (
                    format!("{{reason=\"{}\"}}", r.label()),
                    get(self.rejected(*r)).to_string(),
                )
            })
            .collect();
        family(
            "warraq_hits_rejected_total",
            "counter",
            "View hits not counted, by reason.",
            &rejected,
        );
        family(
            "warraq_hits_buffered",
            "gauge",
            "Hits accepted and not yet flushed.",
            &[(String::new(), get(&self.buffered).to_string())],
        );
        family(
            "warraq_flush_duration_seconds",
            "summary",
            "Time spent writing hits.",
            &[
                ("_sum".into(), seconds(&self.flush_micros)),
                ("_count".into(), get(&self.flushes).to_string()),
            ],
        );
        family(
            "warraq_flush_last_duration_seconds",
            "gauge",
            "Duration of the last flush.",
            &[(String::new(), seconds(&self.last_flush_micros))],
        );
        family(
            "warraq_flush_errors_total",
            "counter",
            "Flushes that failed (hits kept for the next).",
            &[(String::new(), get(&self.flush_errors).to_string())],
        );
        out
    }
}
