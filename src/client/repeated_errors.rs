//! Suppression of identical repeated errors, as librdkafka does for broker
//! connection failures: a broker that fails the same way on every
//! reconnect is reported once, then at most once per
//! [`SUPPRESSION_WINDOW`], that report saying how many identical errors
//! were left out meanwhile ("N identical error(s) suppressed"). A
//! different error is reported at once.

use crate::error::ErrorCode;
use std::time::{Duration, Instant};

/// How long identical errors stay suppressed after one was reported
/// (librdkafka's value).
pub const SUPPRESSION_WINDOW: Duration = Duration::from_secs(30);

/// What to do with an error just seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Report it; `suppressed` identical errors were left out before it.
    Report { suppressed: u32 },
    /// Identical to the last one reported, within the window: log it at
    /// debug level only.
    Suppress,
}

/// The last error reported by one source (a broker connection) and how
/// many identical ones followed it unreported.
#[derive(Default)]
pub struct RepeatedErrors {
    last: Option<LastError>,
}

struct LastError {
    code: ErrorCode,
    reason: String,
    reported_at: Instant,
    suppressed: u32,
}

impl RepeatedErrors {
    /// Decides about error `code` with text `reason`, seen at `now`.
    pub fn check(&mut self, code: ErrorCode, reason: &str, now: Instant) -> Verdict {
        if let Some(last) = self.last.as_mut() {
            if last.code == code && last.reason == reason {
                if now.saturating_duration_since(last.reported_at) < SUPPRESSION_WINDOW {
                    last.suppressed += 1;
                    return Verdict::Suppress;
                }
                let suppressed = std::mem::take(&mut last.suppressed);
                last.reported_at = now;
                return Verdict::Report { suppressed };
            }
        }
        self.last = Some(LastError {
            code,
            reason: reason.to_string(),
            reported_at: now,
            suppressed: 0,
        });
        Verdict::Report { suppressed: 0 }
    }
}

/// `text` with librdkafka's note on suppressed identical errors, if any.
pub fn with_suppressed_note(text: &str, suppressed: u32) -> String {
    if suppressed == 0 {
        text.to_string()
    } else {
        format!("{text} ({suppressed} identical error(s) suppressed)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ErrorCode as E;

    const TRANSPORT: E = E::RD_KAFKA_RESP_ERR__TRANSPORT;

    #[test]
    fn identical_errors_are_reported_once_per_window_with_a_count() {
        let mut errors = RepeatedErrors::default();
        let t0 = Instant::now();
        assert_eq!(
            errors.check(TRANSPORT, "refused", t0),
            Verdict::Report { suppressed: 0 }
        );
        for i in 1..=5 {
            let at = t0 + Duration::from_secs(i);
            assert_eq!(errors.check(TRANSPORT, "refused", at), Verdict::Suppress);
        }
        assert_eq!(
            errors.check(TRANSPORT, "refused", t0 + SUPPRESSION_WINDOW),
            Verdict::Report { suppressed: 5 }
        );
        // The window restarts at that report.
        assert_eq!(
            errors.check(
                TRANSPORT,
                "refused",
                t0 + SUPPRESSION_WINDOW + Duration::from_secs(1)
            ),
            Verdict::Suppress
        );
    }

    #[test]
    fn a_different_error_is_reported_at_once() {
        let mut errors = RepeatedErrors::default();
        let t0 = Instant::now();
        errors.check(TRANSPORT, "refused", t0);
        assert_eq!(
            errors.check(E::RD_KAFKA_RESP_ERR__BAD_MSG, "refused", t0),
            Verdict::Report { suppressed: 0 }
        );
        assert_eq!(
            errors.check(E::RD_KAFKA_RESP_ERR__BAD_MSG, "garbled", t0),
            Verdict::Report { suppressed: 0 }
        );
        assert_eq!(
            errors.check(E::RD_KAFKA_RESP_ERR__BAD_MSG, "garbled", t0),
            Verdict::Suppress
        );
    }

    #[test]
    fn the_note_names_the_count() {
        assert_eq!(with_suppressed_note("down", 0), "down");
        assert_eq!(
            with_suppressed_note("down", 3),
            "down (3 identical error(s) suppressed)"
        );
    }
}
