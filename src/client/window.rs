//! The rolling window behind every latency and size distribution in the
//! statistics (`int_latency`, `outbuf_latency`, `rtt`, `throttle` per
//! broker; `batchsize`, `batchcnt` per topic): librdkafka's "Window stats"
//! (STATISTICS.md), fed by the thread that sees each sample and emptied
//! each time a statistics document reads it, as librdkafka rolls its
//! windows over at every emit.
//!
//! Lock-free: recording is a few relaxed atomic operations, so the broker
//! thread can feed it per message. A log-linear histogram (16 linear
//! sub-buckets per power of two, so a percentile is within 1/16 of the
//! true value, as an HDR histogram with one significant digit) gives the
//! percentiles and the standard deviation, as librdkafka's do ("based on
//! histogram"). A sample recorded while a document reads the window may
//! land in either window: the statistics are approximate by design, as
//! librdkafka's note says.

use serde_json::{json, Value};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// Linear sub-buckets per power of two.
const SUB_BUCKETS: u64 = 16;
const SUB_BITS: u32 = 4;
/// Samples up to 2^36 - 1 (about 19 hours in microseconds) are histogrammed;
/// larger ones count in `outofrange` (and still in min/max/sum/cnt, as
/// librdkafka's windows count them).
const HIGHEST_BIT: u32 = 36;
const BUCKETS: usize = (SUB_BUCKETS + (HIGHEST_BIT - SUB_BITS) as u64 * SUB_BUCKETS) as usize;

pub struct Window {
    buckets: Box<[AtomicU64]>,
    cnt: AtomicU64,
    sum: AtomicI64,
    min: AtomicI64,
    max: AtomicI64,
    outofrange: AtomicU64,
}

impl Default for Window {
    fn default() -> Self {
        Window {
            buckets: (0..BUCKETS).map(|_| AtomicU64::new(0)).collect(),
            cnt: AtomicU64::new(0),
            sum: AtomicI64::new(0),
            min: AtomicI64::new(i64::MAX),
            max: AtomicI64::new(0),
            outofrange: AtomicU64::new(0),
        }
    }
}

/// The bucket of `v` (>= 0), or `None` above the histogram's range.
fn bucket_of(v: u64) -> Option<usize> {
    if v < SUB_BUCKETS {
        return Some(v as usize);
    }
    let exp = 63 - v.leading_zeros();
    if exp >= HIGHEST_BIT {
        return None;
    }
    let sub = (v >> (exp - SUB_BITS)) - SUB_BUCKETS;
    Some((SUB_BUCKETS + (exp - SUB_BITS) as u64 * SUB_BUCKETS + sub) as usize)
}

/// The smallest and largest values bucket `i` holds.
fn bucket_range(i: usize) -> (u64, u64) {
    let i = i as u64;
    if i < SUB_BUCKETS {
        return (i, i);
    }
    let shift = ((i - SUB_BUCKETS) / SUB_BUCKETS) as u32;
    let sub = (i - SUB_BUCKETS) % SUB_BUCKETS;
    let low = (SUB_BUCKETS + sub) << shift;
    (low, low + (1 << shift) - 1)
}

impl Window {
    pub fn record(&self, value: i64) {
        self.record_all(std::iter::once(value));
    }

    /// Records several samples with one update of the totals (a produce
    /// batch's messages).
    pub fn record_all(&self, values: impl IntoIterator<Item = i64>) {
        let (mut cnt, mut sum, mut min, mut max, mut outofrange) = (0u64, 0i64, i64::MAX, 0, 0);
        for v in values {
            let v = v.max(0);
            cnt += 1;
            sum = sum.saturating_add(v);
            min = min.min(v);
            max = max.max(v);
            match bucket_of(v as u64) {
                Some(b) => {
                    self.buckets[b].fetch_add(1, Ordering::Relaxed);
                }
                None => outofrange += 1,
            }
        }
        if cnt == 0 {
            return;
        }
        self.cnt.fetch_add(cnt, Ordering::Relaxed);
        self.sum.fetch_add(sum, Ordering::Relaxed);
        self.min.fetch_min(min, Ordering::Relaxed);
        self.max.fetch_max(max, Ordering::Relaxed);
        if outofrange > 0 {
            self.outofrange.fetch_add(outofrange, Ordering::Relaxed);
        }
    }

    /// The window's summary in STATISTICS.md's shape, emptying the window
    /// for the next interval.
    pub fn roll(&self) -> Value {
        let counts: Vec<u64> = self
            .buckets
            .iter()
            .map(|b| b.swap(0, Ordering::Relaxed))
            .collect();
        let cnt = self.cnt.swap(0, Ordering::Relaxed);
        let sum = self.sum.swap(0, Ordering::Relaxed);
        let min = self.min.swap(i64::MAX, Ordering::Relaxed);
        let max = self.max.swap(0, Ordering::Relaxed);
        let outofrange = self.outofrange.swap(0, Ordering::Relaxed);
        // An empty window reads all zeros, as librdkafka's.
        let (min, avg) = match cnt {
            0 => (0, 0),
            _ => (min, sum / cnt as i64),
        };
        let in_range: u64 = counts.iter().sum();
        let percentile = |p: f64| -> i64 {
            if in_range == 0 {
                return 0;
            }
            let target = ((p / 100.0) * in_range as f64).ceil().max(1.0) as u64;
            let mut seen = 0;
            for (i, &c) in counts.iter().enumerate() {
                seen += c;
                if seen >= target {
                    return (bucket_range(i).1 as i64).clamp(min, max);
                }
            }
            max
        };
        let stddev = if in_range == 0 {
            0
        } else {
            let mean = counts
                .iter()
                .enumerate()
                .map(|(i, &c)| midpoint(i) * c as f64)
                .sum::<f64>()
                / in_range as f64;
            let variance = counts
                .iter()
                .enumerate()
                .map(|(i, &c)| (midpoint(i) - mean).powi(2) * c as f64)
                .sum::<f64>()
                / in_range as f64;
            variance.sqrt() as i64
        };
        json!({
            "min": min,
            "max": max,
            "avg": avg,
            "sum": sum,
            "stddev": stddev,
            "p50": percentile(50.0),
            "p75": percentile(75.0),
            "p90": percentile(90.0),
            "p95": percentile(95.0),
            "p99": percentile(99.0),
            "p99_99": percentile(99.99),
            "outofrange": outofrange,
            "hdrsize": std::mem::size_of::<Window>() + BUCKETS * std::mem::size_of::<AtomicU64>(),
            "cnt": cnt,
        })
    }
}

fn midpoint(i: usize) -> f64 {
    let (low, high) = bucket_range(i);
    (low as f64 + high as f64) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_cover_the_range_without_gaps() {
        let mut expected_low = 0;
        for i in 0..BUCKETS {
            let (low, high) = bucket_range(i);
            assert_eq!(low, expected_low, "bucket {i}");
            assert_eq!(bucket_of(low), Some(i));
            assert_eq!(bucket_of(high), Some(i));
            expected_low = high + 1;
        }
        assert_eq!(bucket_of(expected_low), None);
    }

    #[test]
    fn summary_of_known_samples() {
        let w = Window::default();
        w.record_all((1..=1000).map(|v| v * 10));
        w.record(1 << 40);
        let s = w.roll();
        assert_eq!(s["cnt"], 1001);
        assert_eq!(s["min"], 10);
        assert_eq!(s["max"], 1i64 << 40);
        assert_eq!(s["outofrange"], 1);
        let p50 = s["p50"].as_i64().unwrap();
        assert!((5000..=5000 + 5000 / 16 + 1).contains(&p50), "{p50}");
        let p99 = s["p99"].as_i64().unwrap();
        assert!((9900..=9900 + 9900 / 16 + 1).contains(&p99), "{p99}");
        let stddev = s["stddev"].as_i64().unwrap();
        assert!((2700..=3050).contains(&stddev), "{stddev}");
        // Rolled over: the next window starts empty.
        let empty = w.roll();
        assert_eq!(empty["cnt"], 0);
        assert_eq!(empty["min"], 0);
        assert_eq!(empty["p99_99"], 0);
    }
}
