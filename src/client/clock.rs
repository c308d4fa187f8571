//! Wall-clock readings for message timestamps: one `clock_gettime` per
//! reading, and a per-thread derivation that spares a produce call its
//! second clock reading (see [`wall_ms_at`]).

use std::time::Instant;

/// Wall-clock milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    now_us() / 1000
}

/// Wall-clock milliseconds since the Unix epoch at monotonic time `now`
/// (a produce call's enqueue time), without a second clock reading: each
/// thread keeps a (monotonic, wall-clock) pair read together and re-read
/// every 100 ms. In between, the wall clock can only have been slewed (NTP
/// slews at most 0.05 ms in 100 ms) or stepped, which shows within 100 ms.
pub fn wall_ms_at(now: Instant) -> i64 {
    use std::cell::Cell;
    const REREAD: std::time::Duration = std::time::Duration::from_millis(100);
    thread_local! {
        static BASE: Cell<Option<(Instant, i64)>> = const { Cell::new(None) };
    }
    BASE.try_with(|base| {
        if let Some((mono, wall_us)) = base.get() {
            if let Some(since) = now.checked_duration_since(mono) {
                if since < REREAD {
                    let since_us =
                        since.as_secs() as i64 * 1_000_000 + i64::from(since.subsec_micros());
                    return (wall_us + since_us) / 1000;
                }
            }
        }
        let mono = Instant::now();
        let wall_us = now_us();
        base.set(Some((mono, wall_us)));
        wall_us / 1000
    })
    .unwrap_or_else(|_| now_ms())
}

/// Wall-clock microseconds since the Unix epoch.
fn now_us() -> i64 {
    clock_us(libc::CLOCK_REALTIME)
}

/// `CLOCK_MONOTONIC_COARSE` in milliseconds (clock-tick resolution, no TSC
/// read): plenty for `max.poll.interval.ms`, and cheap enough per poll.
pub fn coarse_monotonic_ms() -> i64 {
    clock_us(libc::CLOCK_MONOTONIC_COARSE) / 1000
}

/// Microseconds of clock `id`.
// time_t and c_long are not i64 everywhere.
#[allow(clippy::unnecessary_cast)]
fn clock_us(id: libc::clockid_t) -> i64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the timespec we pass; the realtime and
    // coarse monotonic clocks exist on every Linux we build for.
    unsafe { libc::clock_gettime(id, &mut ts) };
    ts.tv_sec as i64 * 1_000_000 + ts.tv_nsec as i64 / 1000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_wall_clock_tracks_the_real_one() {
        for _ in 0..50 {
            let before = now_ms();
            let derived = wall_ms_at(Instant::now());
            let after = now_ms();
            assert!(
                before - 1 <= derived && derived <= after + 1,
                "{before} {derived} {after}"
            );
            std::thread::sleep(std::time::Duration::from_millis(7));
        }
    }
}
