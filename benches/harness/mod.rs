//! The benchmarks' runner: criterion does the measuring; this keeps the
//! benchmarks' own shape (one closure per benchmark, a unit of work per
//! iteration, an untimed reset for routines that accumulate state).
//!
//! Modes: `cargo bench` passes `--bench`, which selects measuring with
//! criterion (its statistics, its comparison with the previous run under
//! `target/criterion/`). Without it (as under `cargo test --all-targets`,
//! which builds and runs benches as tests, with libtest's arguments),
//! every benchmark runs exactly once as a smoke test. A plain argument is
//! a substring filter on benchmark names.

use criterion::{BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::time::Instant;

/// What one iteration processes, to turn time into throughput.
#[derive(Clone, Copy)]
pub struct Work {
    items: u64,
    bytes: u64,
}

impl Work {
    /// `items` things (the unit is in the benchmark's name) per iteration.
    pub const fn items(items: u64, _unit: &'static str) -> Work {
        Work { items, bytes: 0 }
    }

    /// `bytes` bytes per iteration and nothing countable.
    pub const fn bytes(bytes: u64) -> Work {
        Work { items: 0, bytes }
    }

    /// Also `bytes` bytes per iteration (criterion reports one throughput:
    /// items when there are any).
    pub const fn and_bytes(self, bytes: u64) -> Work {
        Work { bytes, ..self }
    }

    fn throughput(self) -> Throughput {
        if self.items > 0 {
            Throughput::Elements(self.items)
        } else {
            Throughput::Bytes(self.bytes)
        }
    }
}

pub struct Harness {
    /// `Some` when measuring (`--bench`).
    criterion: Option<Criterion>,
    filter: Option<String>,
    selected: usize,
}

impl Harness {
    pub fn from_args() -> Harness {
        let mut measure = false;
        let mut filter = None;
        for arg in std::env::args().skip(1) {
            if arg == "--bench" {
                measure = true;
            } else if !arg.starts_with('-') {
                filter = Some(arg);
            }
        }
        Harness {
            criterion: measure.then(Criterion::default),
            filter,
            selected: 0,
        }
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
        let Some(criterion) = self.criterion.as_mut() else {
            black_box(routine());
            reset();
            println!("{name} ... ok (ran once; `cargo bench` measures)");
            return;
        };
        let (group, function) = name.split_once('/').unwrap_or((name, "run"));
        let mut group = criterion.benchmark_group(group);
        group.throughput(work.throughput());
        group.bench_function(BenchmarkId::from_parameter(function), |b| {
            b.iter_custom(|iterations| {
                let start = Instant::now();
                for _ in 0..iterations {
                    black_box(routine());
                }
                let elapsed = start.elapsed();
                reset();
                elapsed
            })
        });
        group.finish();
    }

    /// Prints context for the numbers (e.g. compression ratios) when measuring.
    pub fn note(&self, text: &str) {
        if self.criterion.is_some() {
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
        if let Some(criterion) = self.criterion {
            criterion.final_summary();
        }
    }
}
