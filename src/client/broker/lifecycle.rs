//! A broker connection's lifecycle, on the broker thread: connect,
//! negotiate ApiVersions, authenticate (SASL, and KIP-368
//! re-authentication while up), mark the broker up; on any failure disconnect,
//! report it (identical repeats suppressed) and schedule the reconnect
//! with exponential backoff and jitter. The loop that drives it is in
//! `broker::thread`; these are methods of the same [`BrokerThread`].

use super::handle::BrokerState;
use super::thread::{BrokerThread, InFlightKind};
use crate::client::connection::{resolve, Connection};
use crate::client::counters::Counters;
use crate::client::log::{ctx, LOG_ERR, LOG_INFO};
use crate::client::repeated_errors::{with_suppressed_note, Verdict};
use crate::client::sasl::{Authentication, Step};
use crate::error::ErrorCode;
use crate::protocol::messages::api_versions::{ApiVersionsRequest, ApiVersionsResponse};
use crate::protocol::{decode_response, ApiKey};
use bytes::Bytes;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

impl BrokerThread {
    pub(super) fn connect(&mut self, now: Instant) {
        self.connect_started = now;
        // Every attempt counts, failed resolves included (librdkafka's
        // `connects`); the idle times start over with the connection.
        let stats = &self.handle.stats;
        Counters::add(&stats.connects, 1);
        stats.last_send_us.store(0, Ordering::Relaxed);
        stats.last_recv_us.store(0, Ordering::Relaxed);
        let addr = match resolve(&self.host, self.port) {
            Ok(addr) => addr,
            Err(e) => {
                let reason = format!("failed to resolve '{}:{}': {e}", self.host, self.port);
                return self.went_down(ErrorCode::RD_KAFKA_RESP_ERR__RESOLVE, &reason);
            }
        };
        let tls = match &self.client.tls {
            Some(tls) => match tls.session(&self.host, &self.handle.name, self.handle.id) {
                Ok(session) => Some(session),
                Err(e) => return self.went_down(ErrorCode::RD_KAFKA_RESP_ERR__SSL, &e),
            },
            None => None,
        };
        match Connection::start(addr, self.client.settings.receive_message_max_bytes, tls) {
            Ok(conn) => {
                self.debug(&format!("connecting to {addr}"));
                self.conn = Some(conn);
                self.connect_deadline = now + self.client.settings.connection_setup_timeout;
                self.set_state(BrokerState::Connecting);
            }
            Err(e) => {
                let reason = format!("connect to {addr} failed: {e}");
                self.went_down(ErrorCode::RD_KAFKA_RESP_ERR__TRANSPORT, &reason)
            }
        }
    }

    /// Called once the TCP connection is established.
    pub(super) fn on_connected(&mut self) {
        self.debug("connected");
        if !self.client.settings.api_version_request {
            self.set_fallback_versions();
            self.authenticate_or_mark_up();
            return;
        }
        self.set_state(BrokerState::ApiVersionQuery);
        self.send_api_versions(3);
    }

    fn send_api_versions(&mut self, version: i16) {
        let request = ApiVersionsRequest {
            client_software_name: "ferrokafka".to_string(),
            client_software_version: env!("CARGO_PKG_VERSION").to_string(),
        };
        let timeout = self.client.settings.api_version_request_timeout;
        self.write_request(&request, version, timeout, InFlightKind::ApiVersions);
    }

    pub(super) fn on_api_versions(&mut self, version: i16, frame: Bytes) {
        // The error code is the first body field in every version (the
        // response header is always v0). A broker that does not know our
        // version answers UNSUPPORTED_VERSION in whatever shape it likes
        // (Kafka: v0; librdkafka's mock: a malformed flexible body), so look
        // at the code before decoding the rest.
        let unsupported = ErrorCode::RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION.code() as i16;
        if version > 0 && frame.get(4..6) == Some(&unsupported.to_be_bytes()[..]) {
            self.debug(&format!(
                "ApiVersions v{version} not supported, falling back to v0"
            ));
            return self.send_api_versions(0);
        }
        let response = match decode_response::<ApiVersionsRequest>(version, &frame) {
            Ok((_, r)) => r,
            Err(e) => {
                // Logged like any undecodable response; without the
                // versions nothing else can be sent, so the connection goes.
                self.response_undecodable(ApiKey::ApiVersions, version, &e);
                return self.protocol_error(&format!("bad ApiVersions response: {e}"));
            }
        };
        if response.error_code != 0 {
            return self.protocol_error(&format!(
                "ApiVersions failed with error {}",
                response.error_code
            ));
        }
        self.store_versions(&response);
        self.authenticate_or_mark_up();
    }

    fn authenticate_or_mark_up(&mut self) {
        if self.client.sasl.is_some() {
            self.set_state(BrokerState::Authenticating);
            self.start_authentication();
        } else {
            self.mark_up();
        }
    }

    /// Starts a SASL exchange (`client/sasl.rs` decides every step); while
    /// up, this is a re-authentication and in-flight requests carry on.
    pub(super) fn start_authentication(&mut self) {
        let Some(sasl) = self.client.sasl.as_ref() else {
            return;
        };
        self.reauth_at = None;
        let (auth, step) = Authentication::start(sasl);
        self.auth = Some(auth);
        self.sasl_step(step);
    }

    pub(super) fn on_sasl_response(&mut self, api_key: ApiKey, version: i16, frame: Bytes) {
        let (Some(sasl), Some(auth)) = (self.client.sasl.as_ref(), self.auth.as_mut()) else {
            return;
        };
        let step = auth.on_response(sasl, api_key, version, &frame);
        self.sasl_step(step);
    }

    fn sasl_step(&mut self, step: Step) {
        match step {
            Step::Send(request) => {
                let (key, versions) = (request.api_key(), request.versions());
                let Some(version) = self.pick_version(key, versions) else {
                    return self.sasl_step(Step::Failed(format!(
                        "broker does not support {} v{}..v{} (KIP-152)",
                        key.name(),
                        versions.0,
                        versions.1
                    )));
                };
                let timeout = self.client.settings.socket_timeout;
                self.write_request(&*request, version, timeout, InFlightKind::Sasl);
            }
            Step::Done { reauthenticate_in } => {
                self.auth = None;
                // A lifetime past what an Instant can hold never expires.
                self.reauth_at = reauthenticate_in.and_then(|d| Instant::now().checked_add(d));
                if self.client.logger.debug_enabled(ctx::SECURITY) {
                    let line = format!("{}: SASL authentication succeeded", self.handle.name);
                    self.client.log_debug(ctx::SECURITY, "SASL", &line);
                }
                if self.state() == BrokerState::Authenticating {
                    self.mark_up();
                }
            }
            // A failed re-authentication (some brokers, Tansu among them,
            // grant a session lifetime yet refuse a second handshake on the
            // connection) ends the connection like a transport failure, so
            // in-flight requests are retried on the next one, whose own
            // authentication reports `_AUTHENTICATION` if it fails too.
            Step::Failed(reason) if self.state() == BrokerState::Up => self.disconnect(
                ErrorCode::RD_KAFKA_RESP_ERR__TRANSPORT,
                &format!("SASL re-authentication failed: {reason}"),
            ),
            Step::Failed(reason) => {
                self.disconnect(ErrorCode::RD_KAFKA_RESP_ERR__AUTHENTICATION, &reason)
            }
        }
    }

    fn store_versions(&mut self, response: &ApiVersionsResponse) {
        self.api_max.clear();
        self.api_min.clear();
        for key in &response.api_keys {
            let idx = key.api_key.max(0) as usize;
            if idx >= self.api_max.len() {
                self.api_max.resize(idx + 1, -1);
                self.api_min.resize(idx + 1, -1);
            }
            self.api_max[idx] = key.max_version;
            self.api_min[idx] = key.min_version;
        }
    }

    /// Without ApiVersions (api.version.request=false) assume every API at
    /// the lowest version we implement.
    fn set_fallback_versions(&mut self) {
        self.api_max = vec![-1; 0];
        self.api_min.clear();
    }

    fn mark_up(&mut self) {
        self.set_state(BrokerState::Up);
        // The backoff is not reset here: a broker that accepts the
        // connection and then fails it must not be retried at the initial
        // backoff every time (see `schedule_reconnect`).
        if self.down_since_up {
            self.client.log(
                LOG_INFO,
                "BROKER",
                &format!("{}: connection re-established", self.handle.name),
            );
        }
        self.down_since_up = false;
        self.client.on_broker_up(self.handle.id);
    }

    /// The version to use for `key`: the highest both sides support.
    pub(super) fn pick_version(&self, key: ApiKey, ours: (i16, i16)) -> Option<i16> {
        let idx = key.as_i16() as usize;
        if self.api_max.is_empty() {
            return Some(ours.0);
        }
        let (min, max) = (*self.api_min.get(idx)?, *self.api_max.get(idx)?);
        if max < 0 {
            return None;
        }
        let version = ours.1.min(max);
        (version >= ours.0.max(min)).then_some(version)
    }

    /// A response that does not fit the stream (bad size prefix or
    /// correlation id): nothing after it can be trusted, so the connection
    /// goes, reported as a connection failure.
    pub(super) fn protocol_error(&mut self, msg: &str) {
        self.disconnect(ErrorCode::RD_KAFKA_RESP_ERR__BAD_MSG, msg);
    }

    pub(super) fn connection_failed(&mut self, reason: &str) {
        self.disconnect(ErrorCode::RD_KAFKA_RESP_ERR__TRANSPORT, reason);
    }

    /// Ends the connection (or the attempt at one) with `err`; nothing to
    /// do when there is none and the broker is already down (a second
    /// failure noticed in the same pass, an address change while down).
    pub(super) fn disconnect(&mut self, err: ErrorCode, reason: &str) {
        if self.conn.is_none() && self.state() == BrokerState::Down {
            return;
        }
        self.went_down(err, reason);
    }

    /// Every connection failure comes here, whether a connection ended or
    /// an attempt failed inside `connect()` before any socket was up
    /// (resolve error, connect refused at once): closes the socket, fails
    /// what was in flight and what waited to be sent (as librdkafka's
    /// `rd_kafka_broker_fail` does: a request for a broker that cannot be
    /// reached goes back to its sender, which may ask another broker,
    /// instead of waiting out `socket.timeout.ms` here), waits before the
    /// next attempt, reports the failure, and tells the main thread the
    /// first time.
    fn went_down(&mut self, err: ErrorCode, reason: &str) {
        let was_up = self.state() == BrokerState::Up;
        if was_up {
            Counters::add(&self.handle.stats.disconnects, 1);
        }
        self.close_socket();
        self.fail_in_flight(err);
        for q in std::mem::take(&mut self.queued) {
            (q.handler)(Err(err));
        }
        self.schedule_reconnect();
        self.report_connection_failure(err, reason);
        if !self.down_since_up {
            self.down_since_up = true;
            self.client.on_broker_down(self.handle.id, was_up);
        }
    }

    /// Logs a connection failure and raises it to `error_cb`, unless it is
    /// identical to the last one and within the suppression window (as
    /// librdkafka: a broker failing the same way on every reconnect is
    /// reported once, then every 30 s with a count).
    fn report_connection_failure(&mut self, err: ErrorCode, reason: &str) {
        match self.connection_errors.check(err, reason, Instant::now()) {
            Verdict::Suppress => {
                self.debug(&format!("{reason}: identical to last error, suppressed"))
            }
            Verdict::Report { suppressed } => {
                let msg =
                    with_suppressed_note(&format!("{}: {reason}", self.handle.name), suppressed);
                self.client.log(LOG_ERR, "FAIL", &msg);
                self.client.raise_error(err, msg);
            }
        }
    }

    pub(super) fn close_socket(&mut self) {
        self.conn = None;
        self.auth = None;
        self.reauth_at = None;
        self.set_state(BrokerState::Down);
    }

    /// Every kind of failure (refused, reset, garbage, timeout) comes here:
    /// the wait grows exponentially whatever ended the connection, with
    /// librdkafka's jitter (-25% to +50%) so many clients that lost the
    /// same broker do not reconnect in step.
    fn schedule_reconnect(&mut self) {
        let settings = &self.client.settings;
        let max = settings.reconnect_backoff_max;
        let now = Instant::now();
        // A connection that lasted longer than the longest backoff was a
        // real recovery: start over from the initial backoff.
        if now.saturating_duration_since(self.connect_started) > max {
            self.reconnect_backoff = settings.reconnect_backoff;
        }
        let wait = jittered(self.reconnect_backoff, max);
        self.debug(&format!("reconnecting in {} ms", wait.as_millis()));
        self.reconnect_at = now + wait;
        self.reconnect_backoff = (self.reconnect_backoff * 2).min(max);
    }
}

/// `backoff` with a random -25%..+50% jitter, capped at `max`.
fn jittered(backoff: Duration, max: Duration) -> Duration {
    let percent = 75 + (crate::partitioner::next_random() >> 32) % 76;
    (backoff * percent as u32 / 100).min(max)
}
