//! The mock cluster's SASL listener side: which mechanisms it enables, the
//! users it knows (a password for PLAIN, SCRAM credentials derived from it
//! for SCRAM-SHA-256/512), unsecured JWTs for OAUTHBEARER, and the session
//! lifetime it grants (KIP-368). Each connection keeps its own
//! [`ConnAuth`]; until it has authenticated, or once its session has
//! expired, any request other than ApiVersions and the SASL ones closes
//! the connection, as Kafka's SASL listeners do.

use super::handlers::{wire, Ctx};
use crate::error::ErrorCode;
use crate::protocol::messages::{
    SaslAuthenticateRequest, SaslAuthenticateResponse, SaslHandshakeRequest, SaslHandshakeResponse,
};
use crate::protocol::ApiKey;
use crate::sasl::scram::{ScramServerExchange, StoredCredential, MIN_ITERATIONS};
use crate::sasl::{oauthbearer, parse_plain_message, random_bytes, Mechanism};
use bytes::Bytes;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// What the application configures (`test.mock.sasl.*`, or
/// [`super::MockCluster::set_sasl`]).
#[derive(Clone, Default)]
pub struct SaslSettings {
    pub mechanisms: Vec<Mechanism>,
    /// (user, password) pairs for PLAIN and SCRAM.
    pub users: Vec<(String, String)>,
    /// The session lifetime granted (0 = unlimited).
    pub session_lifetime: Duration,
}

struct User {
    password: String,
    scram256: StoredCredential,
    scram512: StoredCredential,
}

/// The cluster's SASL state (under the cluster lock).
pub struct MockSasl {
    mechanisms: Vec<Mechanism>,
    users: HashMap<String, User>,
    session_lifetime: Duration,
    pub counts: SaslCounts,
}

/// What the mock's SASL listener saw, for tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SaslCounts {
    /// Successful authentications, re-authentications included.
    pub authentications: u64,
    /// Successful authentications on an already authenticated connection
    /// (KIP-368).
    pub reauthentications: u64,
    /// Failed SaslAuthenticate exchanges.
    pub failures: u64,
}

/// Names the users but never their passwords or keys.
impl std::fmt::Debug for MockSasl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockSasl")
            .field("mechanisms", &self.mechanisms)
            .field("users", &self.users.keys().collect::<Vec<_>>())
            .field("session_lifetime", &self.session_lifetime)
            .finish()
    }
}

impl MockSasl {
    pub fn new(settings: SaslSettings) -> Result<MockSasl, String> {
        let mut users = HashMap::new();
        for (name, password) in settings.users {
            let salt = random_bytes::<16>().ok_or("no random bytes for SCRAM salts")?;
            let derive =
                |hash| StoredCredential::derive(hash, &password, salt.to_vec(), MIN_ITERATIONS);
            let user = User {
                scram256: derive(crate::sasl::scram::Hash::Sha256),
                scram512: derive(crate::sasl::scram::Hash::Sha512),
                password,
            };
            users.insert(name, user);
        }
        Ok(MockSasl {
            mechanisms: settings.mechanisms,
            users,
            session_lifetime: settings.session_lifetime,
            counts: SaslCounts::default(),
        })
    }

    /// Parses `test.mock.sasl.users`: `user:password` pairs separated by
    /// commas (so neither may contain a comma, nor the user a colon).
    pub fn parse_users(list: &str) -> Result<Vec<(String, String)>, String> {
        list.split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|entry| {
                entry
                    .split_once(':')
                    .filter(|(u, _)| !u.is_empty())
                    .map(|(u, p)| (u.to_string(), p.to_string()))
                    .ok_or_else(|| {
                        "test.mock.sasl.users: expected user:password entries".to_string()
                    })
            })
            .collect()
    }
}

/// One connection's authentication state.
#[derive(Default)]
pub struct ConnAuth {
    /// Chosen by SaslHandshake, cleared when an exchange ends.
    mechanism: Option<Mechanism>,
    scram: Option<ScramServerExchange>,
    authenticated: bool,
    expires_at: Option<Instant>,
}

/// Whether `api` may run on this connection now: always without SASL;
/// with SASL only ApiVersions and the SASL APIs until authenticated and
/// after the session expired.
pub fn allowed(ctx: &Ctx, conn: &ConnAuth, api: ApiKey) -> bool {
    if matches!(
        api,
        ApiKey::ApiVersions | ApiKey::SaslHandshake | ApiKey::SaslAuthenticate
    ) {
        return true;
    }
    if ctx.shared.state.lock().sasl.is_none() {
        return true;
    }
    conn.authenticated && conn.expires_at.map_or(true, |at| Instant::now() < at)
}

pub fn handshake(
    ctx: &Ctx,
    conn: &mut ConnAuth,
    req: SaslHandshakeRequest,
) -> Option<SaslHandshakeResponse> {
    let state = ctx.shared.state.lock();
    let enabled = state.sasl.as_ref().map_or(&[][..], |s| &s.mechanisms[..]);
    let chosen = Mechanism::parse(&req.mechanism)
        .ok()
        .filter(|m| enabled.contains(m));
    conn.mechanism = chosen;
    conn.scram = None;
    let code = match chosen {
        Some(_) => ErrorCode::RD_KAFKA_RESP_ERR_NO_ERROR,
        None => ErrorCode::RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM,
    };
    Some(SaslHandshakeResponse {
        error_code: ctx.err_or(code),
        mechanisms: enabled.iter().map(|m| m.name().to_string()).collect(),
    })
}

pub fn authenticate(
    ctx: &Ctx,
    conn: &mut ConnAuth,
    req: SaslAuthenticateRequest,
) -> Option<SaslAuthenticateResponse> {
    let mut state = ctx.shared.state.lock();
    let Some(sasl) = state.sasl.as_mut() else {
        return Some(failure(
            ErrorCode::RD_KAFKA_RESP_ERR_ILLEGAL_SASL_STATE,
            "SASL is not enabled",
        ));
    };
    let Some(mechanism) = conn.mechanism else {
        return Some(failure(
            ErrorCode::RD_KAFKA_RESP_ERR_ILLEGAL_SASL_STATE,
            "SaslAuthenticate before SaslHandshake",
        ));
    };
    if let Some(err) = ctx.injected {
        conn.mechanism = None;
        return Some(failure(err, "injected error"));
    }
    let lifetime_ms = sasl.session_lifetime.as_millis() as i64;
    let outcome: Result<(Bytes, i64), String> = match mechanism {
        Mechanism::Plain => match parse_plain_message(&req.auth_bytes) {
            Some((user, password))
                if sasl
                    .users
                    .get(&user)
                    .is_some_and(|u| u.password == password) =>
            {
                Ok((Bytes::new(), lifetime_ms))
            }
            _ => Err("Authentication failed: Invalid username or password".to_string()),
        },
        Mechanism::ScramSha256 | Mechanism::ScramSha512 => {
            let hash = mechanism.scram_hash()?;
            match conn.scram.take() {
                None => {
                    let started = ScramServerExchange::start(hash, &req.auth_bytes, |user| {
                        sasl.users.get(user).map(|u| match mechanism {
                            Mechanism::ScramSha256 => u.scram256.clone(),
                            _ => u.scram512.clone(),
                        })
                    });
                    return Some(match started {
                        Ok((exchange, server_first)) => {
                            conn.scram = Some(exchange);
                            SaslAuthenticateResponse {
                                auth_bytes: Bytes::from(server_first.into_bytes()),
                                ..Default::default()
                            }
                        }
                        Err(e) => {
                            conn.mechanism = None;
                            sasl.counts.failures += 1;
                            failure(ErrorCode::RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED, &e)
                        }
                    });
                }
                Some(exchange) => match exchange.finish(&req.auth_bytes) {
                    Ok(server_final) => Ok((Bytes::from(server_final.into_bytes()), lifetime_ms)),
                    Err(_) => Err(format!(
                        "Authentication failed during authentication due to invalid credentials \
                         with SASL mechanism {mechanism}"
                    )),
                },
            }
        }
        Mechanism::OAuthBearer => match oauthbearer::verify_unsecured(&req.auth_bytes) {
            Ok((_principal, expires_ms)) => {
                let token_left = expires_ms - oauthbearer::now_ms();
                let lifetime = if lifetime_ms > 0 {
                    lifetime_ms.min(token_left)
                } else {
                    token_left
                };
                Ok((Bytes::new(), lifetime))
            }
            Err(e) => Err(format!("Authentication failed: {e}")),
        },
    };
    conn.mechanism = None;
    Some(match outcome {
        Ok((auth_bytes, lifetime_ms)) => {
            sasl.counts.authentications += 1;
            if conn.authenticated {
                sasl.counts.reauthentications += 1;
            }
            conn.authenticated = true;
            conn.expires_at = u64::try_from(lifetime_ms)
                .ok()
                .filter(|ms| *ms > 0)
                .map(|ms| Instant::now() + Duration::from_millis(ms));
            SaslAuthenticateResponse {
                error_code: 0,
                error_message: None,
                auth_bytes,
                session_lifetime_ms: lifetime_ms.max(0),
            }
        }
        Err(message) => {
            sasl.counts.failures += 1;
            failure(
                ErrorCode::RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED,
                &message,
            )
        }
    })
}

fn failure(code: ErrorCode, message: &str) -> SaslAuthenticateResponse {
    SaslAuthenticateResponse {
        error_code: wire(code),
        error_message: Some(message.to_string()),
        auth_bytes: Bytes::new(),
        session_lifetime_ms: 0,
    }
}
