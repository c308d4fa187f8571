//! A small timing harness for `cargo bench` on stable Rust, which has no
//! `#[bench]`; kept dependency-free on purpose.
//!
//! Each benchmark is a closure timed per call ("iteration"). The harness
//! warms it up while calibrating how many iterations fill a round, then
//! times [`ROUNDS`] rounds and reports the median and the minimum time per
//! iteration over the rounds, plus throughput derived from the median. The
//! median is the number to quote; the minimum shows how much of the spread
//! is noise from other processes sharing the machine.
//!
//! Modes: `cargo bench` passes `--bench`, which selects measuring. Without
//! it (as under `cargo test --all-targets`, which builds and runs benches as
//! tests), every benchmark runs exactly once as a smoke test. A plain
//! argument is a substring filter on benchmark names.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Timed rounds per benchmark; odd, so the median is one round's figure.
const ROUNDS: usize = 11;
/// Wall-clock time one round aims for.
const ROUND_TARGET: Duration = Duration::from_millis(100);
/// Minimum warm-up before the first timed round (caches, branch predictors,
/// allocator pools, CPU frequency).
const WARM_UP: Duration = Duration::from_millis(300);

/// What one iteration processes, to turn time into throughput.
#[derive(Clone, Copy)]
pub struct Work {
    items: u64,
    unit: &'static str,
    bytes: u64,
}

impl Work {
    /// `items` things called `unit` (e.g. 1000 "rec") per iteration.
    pub const fn items(items: u64, unit: &'static str) -> Work {
        Work {
            items,
            unit,
            bytes: 0,
        }
    }

    /// `bytes` bytes per iteration and nothing countable.
    pub const fn bytes(bytes: u64) -> Work {
        Work {
            items: 0,
            unit: "",
            bytes,
        }
    }

    /// Also report `bytes` bytes per iteration.
    pub const fn and_bytes(self, bytes: u64) -> Work {
        Work { bytes, ..self }
    }
}

pub struct Harness {
    filter: Option<String>,
    measure: bool,
    selected: usize,
}

impl Harness {
    pub fn from_args() -> Harness {
        let mut harness = Harness {
            filter: None,
            measure: false,
            selected: 0,
        };
        for arg in std::env::args().skip(1) {
            if arg == "--bench" {
                harness.measure = true;
            } else if !arg.starts_with('-') {
                harness.filter = Some(arg);
            }
        }
        if harness.measure {
            println!(
                "{:<34} {:>10} {:>10}   throughput (from the median)",
                "benchmark", "median", "min"
            );
        }
        harness
    }

    /// Whether `name` passes the filter (to skip expensive setup otherwise).
    pub fn selects(&self, name: &str) -> bool {
        self.filter.as_ref().map_or(true, |f| name.contains(f))
    }

    pub fn bench<T>(&mut self, name: &str, work: Work, routine: impl FnMut() -> T) {
        self.bench_with_reset(name, work, routine, || {});
    }

    /// Like [`Harness::bench`], with `reset` run untimed after every batch of
    /// iterations, for routines that accumulate state (queued messages).
    pub fn bench_with_reset<T>(
        &mut self,
        name: &str,
        work: Work,
        mut routine: impl FnMut() -> T,
        mut reset: impl FnMut(),
    ) {
        if !self.selects(name) {
            return;
        }
        self.selected += 1;
        if !self.measure {
            black_box(routine());
            reset();
            println!("{name} ... ok (ran once; `cargo bench` measures)");
            return;
        }
        let mut timed = |iterations: u64| {
            let start = Instant::now();
            for _ in 0..iterations {
                black_box(routine());
            }
            let elapsed = start.elapsed();
            reset();
            elapsed
        };
        // Warm up, doubling the batch until one batch takes a measurable
        // slice of a round; its per-iteration time sizes the rounds.
        let warm_up_start = Instant::now();
        let mut iterations = 1u64;
        let per_iteration_ns = loop {
            let elapsed = timed(iterations);
            if elapsed >= ROUND_TARGET / 10 && warm_up_start.elapsed() >= WARM_UP {
                break elapsed.as_nanos() / u128::from(iterations);
            }
            if elapsed < ROUND_TARGET / 10 {
                iterations *= 2;
            }
        };
        let per_round = (ROUND_TARGET.as_nanos() / per_iteration_ns.max(1)).max(1) as u64;
        let mut rounds: Vec<f64> = (0..ROUNDS)
            .map(|_| timed(per_round).as_nanos() as f64 / per_round as f64)
            .collect();
        rounds.sort_by(f64::total_cmp);
        let median = rounds[ROUNDS / 2];
        println!(
            "{name:<34} {:>10} {:>10}   {}",
            format_ns(median),
            format_ns(rounds[0]),
            throughput(work, median)
        );
    }

    /// Prints context for the numbers (e.g. compression ratios) when measuring.
    pub fn note(&self, text: &str) {
        if self.measure {
            println!("  ({text})");
        }
    }

    /// Reports a filter that matched nothing (likely a typo).
    pub fn finish(self) {
        if self.selected == 0 {
            eprintln!(
                "no benchmark matches the filter {:?}",
                self.filter.unwrap_or_default()
            );
            std::process::exit(1);
        }
    }
}

fn format_ns(ns: f64) -> String {
    if ns < 1e3 {
        format!("{ns:.1} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{:.2} ms", ns / 1e6)
    }
}

fn throughput(work: Work, ns_per_iteration: f64) -> String {
    let per_second = 1e9 / ns_per_iteration;
    let mut parts = Vec::new();
    if work.items > 0 {
        let rate = work.items as f64 * per_second;
        parts.push(if rate >= 1e6 {
            format!("{:.2} M {}/s", rate / 1e6, work.unit)
        } else {
            format!("{:.0} k {}/s", rate / 1e3, work.unit)
        });
    }
    if work.bytes > 0 {
        let mib = work.bytes as f64 * per_second / (1024.0 * 1024.0);
        parts.push(format!("{mib:.0} MiB/s"));
    }
    parts.join(", ")
}
