//! The builtin OIDC token refresh (`sasl.oauthbearer.method=oidc`): the
//! HTTP(S) POST to `sasl.oauthbearer.token.endpoint.url`, as librdkafka
//! 2.0.2's libcurl request: a 20 s limit per attempt, up to 4 retries of
//! temporary HTTP failures, 5 s × attempt apart, a JSON answer required.
//!
//! It runs where librdkafka runs its OIDC refresh callback: wherever the
//! queue holding `Op::OidcTokenRefresh` is served (the application's poll,
//! or the SASL background thread, which `rd_kafka_new` starts for OIDC
//! when the SASL queue is enabled). The request and the token are built by
//! `crate::sasl::oidc`.

use crate::client::tls::{add_system_roots, ring_provider};
use crate::sasl::oauthbearer::Token;
use crate::sasl::oidc::{token_from_body, OidcSettings};
use rustls::{ClientConfig, RootCertStore};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
const RETRIES: u32 = 4;
const RETRY_BACKOFF: Duration = Duration::from_secs(5);
/// How often a backoff looks at whether the client is terminating.
const TERMINATION_CHECK: Duration = Duration::from_millis(100);

/// Fetches a token from the endpoint. `terminating` cuts the retry
/// backoff short when the client is being destroyed. The error is the
/// reason librdkafka would give (`HTTP 401`, a connection or TLS failure,
/// a malformed answer); it never contains the client secret.
pub fn fetch_token(
    settings: &OidcSettings,
    terminating: &dyn Fn() -> bool,
) -> Result<Token, String> {
    let agent = agent()?;
    let mut attempt = 0;
    let response = loop {
        let result = agent
            .post(&settings.token_endpoint_url)
            .set("Accept", "application/json")
            .set("Authorization", &settings.authorization())
            .set("Content-Type", "application/x-www-form-urlencoded")
            .send_string(&settings.request_body());
        match result {
            Ok(response) => break response,
            Err(ureq::Error::Status(code, _)) if attempt < RETRIES && is_temporary(code) => {}
            Err(ureq::Error::Status(code, _)) => return Err(format!("HTTP {code}")),
            Err(ureq::Error::Transport(e)) => return Err(transport_error(&e)),
        }
        attempt += 1;
        if !sleep_unless_terminating(RETRY_BACKOFF * attempt, terminating) {
            return Err("client is terminating".to_string());
        }
    };
    let content_type = response.header("Content-Type").unwrap_or("").to_string();
    if !content_type
        .to_ascii_lowercase()
        .starts_with("application/json")
    {
        let shown = if content_type.is_empty() {
            "(n/a)"
        } else {
            &content_type
        };
        return Err(format!("Response is not JSON encoded: {shown}"));
    }
    let body = response
        .into_string()
        .map_err(|e| format!("Failed to read the response: {e}"))?;
    token_from_body(body.as_bytes(), &settings.extensions)
}

/// An HTTP agent trusting the system's CA certificates, as libcurl does
/// for librdkafka 2.0.2 (which has no property for the endpoint's CA).
fn agent() -> Result<ureq::Agent, String> {
    let mut roots = RootCertStore::empty();
    if add_system_roots(&mut roots) == 0 {
        return Err("no CA certificates found in the system trust store \
                    (or SSL_CERT_FILE/SSL_CERT_DIR) to verify the token endpoint"
            .to_string());
    }
    let tls = ClientConfig::builder_with_provider(Arc::new(ring_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup failed: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(ureq::AgentBuilder::new()
        .tls_config(Arc::new(tls))
        .timeout(ATTEMPT_TIMEOUT)
        .build())
}

/// The HTTP statuses librdkafka retries.
fn is_temporary(code: u16) -> bool {
    matches!(code, 408 | 425 | 429 | 500 | 502 | 503 | 504)
}

/// A connection, TLS or protocol failure, named with its cause.
fn transport_error(e: &ureq::Transport) -> String {
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !reason.contains(&cause_text) {
            reason.push_str(&format!(": {cause_text}"));
        }
        source = cause.source();
    }
    reason
}

/// Sleeps `total`, unless the client starts terminating meanwhile;
/// returns whether the full time passed.
fn sleep_unless_terminating(total: Duration, terminating: &dyn Fn() -> bool) -> bool {
    let until = Instant::now() + total;
    loop {
        if terminating() {
            return false;
        }
        let now = Instant::now();
        if now >= until {
            return true;
        }
        std::thread::sleep(TERMINATION_CHECK.min(until - now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_librdkafkas_temporary_statuses_are_retried() {
        for code in [408, 425, 429, 500, 502, 503, 504] {
            assert!(is_temporary(code), "{code}");
        }
        for code in [400, 401, 403, 404, 501] {
            assert!(!is_temporary(code), "{code}");
        }
    }

    #[test]
    fn backoff_stops_when_the_client_terminates() {
        let start = Instant::now();
        assert!(!sleep_unless_terminating(Duration::from_secs(60), &|| true));
        assert!(start.elapsed() < Duration::from_secs(60));
        assert!(sleep_unless_terminating(Duration::ZERO, &|| false));
    }
}
