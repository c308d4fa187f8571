//! SASL for the client: the configuration and credentials shared by all
//! broker connections ([`SaslClient`]), the OAUTHBEARER token and its
//! refresh schedule, and one connection's exchange ([`Authentication`]):
//! SaslHandshake v1, then SaslAuthenticate rounds (KIP-152), driven by the
//! broker thread after ApiVersions and again before the session lifetime
//! the broker granted runs out (KIP-368). The mechanisms themselves are in
//! `crate::sasl`.

use crate::client::broker::handle::ErasedRequest;
use crate::client::queue::{Op, Queue};
use crate::config::Config;
use crate::error::ErrorCode;
use crate::protocol::messages::{
    SaslAuthenticateRequest, SaslAuthenticateResponse, SaslHandshakeRequest,
};
use crate::protocol::{decode_response, ApiKey};
use crate::sasl::oauthbearer::{self, Token};
use crate::sasl::oidc::OidcSettings;
use crate::sasl::scram::ScramClient;
use crate::sasl::{plain_message, Mechanism};
use bytes::Bytes;
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where the OAUTHBEARER token stands.
enum TokenState {
    /// None yet: connections wait for one (as librdkafka's do).
    Missing,
    /// The last refresh failed (`rd_kafka_oauthbearer_set_token_failure`);
    /// connections wait for a later refresh.
    Failed,
    Valid(Token),
}

struct OAuth {
    /// `sasl.oauthbearer.config`, handed to the refresh callback.
    config: Option<String>,
    /// With `enable.sasl.oauthbearer.unsecure.jwt` and no refresh callback
    /// the library makes its own tokens from `config`.
    unsecured_jwt: bool,
    /// With `sasl.oauthbearer.method=oidc` and no refresh callback the
    /// library fetches its tokens from the token endpoint (`client/oidc.rs`).
    oidc: Option<OidcSettings>,
    /// Set when the client is being destroyed: an OIDC fetch waiting to
    /// retry gives up rather than delaying rd_kafka_destroy.
    stopping: AtomicBool,
    token: Mutex<TokenState>,
    /// When to refresh next; `None` while a refresh the application was
    /// asked for is outstanding.
    refresh_at: Mutex<Option<Instant>>,
}

/// Client-wide SASL state, shared by the broker threads (which read the
/// credentials and token), the main thread (token refresh) and the
/// application (`rd_kafka_sasl_set_credentials`, `oauthbearer_set_token`).
pub struct SaslClient {
    pub mechanism: Mechanism,
    /// (username, password); replaced by `rd_kafka_sasl_set_credentials`,
    /// used from the next authentication on.
    credentials: Mutex<(String, String)>,
    oauth: Option<OAuth>,
    /// The SASL queue (`rd_kafka_queue_get_sasl`): token refresh requests
    /// go there with `enable_sasl_queue`, to the main queue otherwise.
    queue: Arc<Queue>,
    use_sasl_queue: bool,
}

impl SaslClient {
    /// The SASL settings of a client, `None` without SASL. Refuses what
    /// cannot work (GSSAPI, a bad unsecured-JWT configuration) with a
    /// message for `rd_kafka_new`'s errstr.
    pub fn from_config(c: &Config) -> Result<Option<SaslClient>, String> {
        let protocol = c.string("security.protocol").unwrap_or("plaintext");
        if !protocol.starts_with("sasl_") {
            return Ok(None);
        }
        let mechanism = Mechanism::parse(c.string("sasl.mechanisms").unwrap_or("GSSAPI"))?;
        let no_refresh_cb = c.pointer("oauthbearer_token_refresh_cb") == 0;
        // As librdkafka: an application's refresh callback wins over OIDC.
        let oidc = if mechanism == Mechanism::OAuthBearer
            && no_refresh_cb
            && c.string("sasl.oauthbearer.method") == Some("oidc")
        {
            Some(OidcSettings::from_config(c)?)
        } else {
            None
        };
        let oauth = (mechanism == Mechanism::OAuthBearer).then(|| OAuth {
            config: c.string("sasl.oauthbearer.config").map(str::to_string),
            unsecured_jwt: c.boolean("enable.sasl.oauthbearer.unsecure.jwt") && no_refresh_cb,
            oidc,
            stopping: AtomicBool::new(false),
            token: Mutex::new(TokenState::Missing),
            refresh_at: Mutex::new(Some(Instant::now())),
        });
        if let Some(o) = oauth.as_ref().filter(|o| o.unsecured_jwt) {
            // Checked now so a bad configuration fails rd_kafka_new.
            oauthbearer::unsecured_jwt(o.config.as_deref().unwrap_or(""))?;
        }
        // librdkafka's words for it.
        if matches!(
            mechanism,
            Mechanism::Plain | Mechanism::ScramSha256 | Mechanism::ScramSha512
        ) && (c.string("sasl.username").is_none() || c.string("sasl.password").is_none())
        {
            return Err("sasl.username and sasl.password must be set".to_string());
        }
        Ok(Some(SaslClient {
            mechanism,
            credentials: Mutex::new((
                c.string("sasl.username").unwrap_or("").to_string(),
                c.string("sasl.password").unwrap_or("").to_string(),
            )),
            oauth,
            queue: Queue::new(),
            use_sasl_queue: c.boolean("enable_sasl_queue"),
        }))
    }

    /// The SASL queue, if the configuration enabled it (`enable_sasl_queue`).
    pub fn sasl_queue(&self) -> Option<&Arc<Queue>> {
        self.use_sasl_queue.then_some(&self.queue)
    }

    /// The builtin OIDC refresh's settings, if it is the token source.
    pub fn oidc(&self) -> Option<&OidcSettings> {
        self.oauth.as_ref()?.oidc.as_ref()
    }

    /// Stops token refreshes (rd_kafka_destroy, before the threads that
    /// serve them are joined).
    pub fn stop_token_refresh(&self) {
        if let Some(o) = &self.oauth {
            o.stopping.store(true, Ordering::Release);
        }
    }

    pub fn token_refresh_stopped(&self) -> bool {
        self.oauth
            .as_ref()
            .map_or(true, |o| o.stopping.load(Ordering::Acquire))
    }

    pub fn set_credentials(&self, username: &str, password: &str) {
        *self.credentials.lock() = (username.to_string(), password.to_string());
    }

    /// Whether a connection can authenticate now (an OAUTHBEARER client
    /// waits for its first token).
    pub fn ready(&self) -> bool {
        self.oauth
            .as_ref()
            .map_or(true, |o| matches!(*o.token.lock(), TokenState::Valid(_)))
    }

    /// `rd_kafka_oauthbearer_set_token`: checks and stores the token and
    /// schedules its refresh. Returns whether connections were waiting.
    pub fn set_token(&self, token: Token) -> Result<(), (ErrorCode, String)> {
        let Some(o) = &self.oauth else {
            return Err((
                ErrorCode::RD_KAFKA_RESP_ERR__STATE,
                "SASL/OAUTHBEARER is not the configured authentication mechanism".to_string(),
            ));
        };
        let invalid = |msg: String| Err((ErrorCode::RD_KAFKA_RESP_ERR__INVALID_ARG, msg));
        if token.value.is_empty() || token.value.contains('\x01') {
            return invalid("invalid token value".to_string());
        }
        if token.principal.is_empty() {
            return invalid("a principal name is required".to_string());
        }
        if token.lifetime_ms <= oauthbearer::now_ms() {
            return invalid("must supply an unexpired token".to_string());
        }
        if let Err(e) = oauthbearer::check_extensions(&token.extensions) {
            return invalid(e);
        }
        *o.refresh_at.lock() = Some(Instant::now() + oauthbearer::refresh_after(token.lifetime_ms));
        *o.token.lock() = TokenState::Valid(token);
        Ok(())
    }

    /// `rd_kafka_oauthbearer_set_token_failure`: the refresh failed; tried
    /// again after 10 s, as librdkafka does.
    pub fn set_token_failure(&self) -> Result<(), ErrorCode> {
        let o = self
            .oauth
            .as_ref()
            .ok_or(ErrorCode::RD_KAFKA_RESP_ERR__STATE)?;
        let mut token = o.token.lock();
        if !matches!(*token, TokenState::Valid(_)) {
            *token = TokenState::Failed;
        }
        *o.refresh_at.lock() = Some(Instant::now() + Duration::from_secs(10));
        Ok(())
    }

    /// Main-thread timer: refreshes the OAUTHBEARER token when due (making
    /// an unsecured JWT itself, or asking the application, or the builtin
    /// OIDC fetch, through the SASL or main queue). Returns when to look
    /// again.
    pub fn tick(&self, events: &Queue, now: Instant) -> Option<Instant> {
        let o = self.oauth.as_ref()?;
        let due = {
            let mut refresh_at = o.refresh_at.lock();
            match *refresh_at {
                Some(at) if at <= now => {
                    *refresh_at = None;
                    true
                }
                Some(at) => return Some(at),
                None => false,
            }
        };
        if !due {
            return None;
        }
        if o.unsecured_jwt {
            match oauthbearer::unsecured_jwt(o.config.as_deref().unwrap_or("")) {
                Ok(token) => {
                    let _ = self.set_token(token);
                }
                Err(_) => {
                    let _ = self.set_token_failure();
                }
            }
        } else {
            // The OIDC fetch is queued like the application's callback, so
            // it runs on the thread that serves the SASL (or main) queue.
            let op = match o.oidc {
                Some(_) => Op::OidcTokenRefresh,
                None => Op::OAuthBearerTokenRefresh {
                    config: o.config.clone(),
                },
            };
            if self.use_sasl_queue {
                self.queue.push(op);
            } else {
                events.push(op);
            }
        }
        *o.refresh_at.lock()
    }

    fn token(&self) -> Option<Token> {
        match &*self.oauth.as_ref()?.token.lock() {
            TokenState::Valid(t) => Some(t.clone()),
            _ => None,
        }
    }
}

/// What the broker thread does next in an exchange.
pub enum Step {
    /// Send this request (SaslHandshake or SaslAuthenticate) and feed its
    /// response to [`Authentication::on_response`].
    Send(Box<dyn ErasedRequest>),
    /// Authenticated; re-authenticate within this time (KIP-368), if the
    /// broker limits the session.
    Done { reauthenticate_in: Option<Duration> },
    /// Authentication failed: the connection goes, reported as
    /// `_AUTHENTICATION` with this reason.
    Failed(String),
}

enum Stage {
    Handshake,
    /// The single PLAIN or OAUTHBEARER message is out.
    SingleMessage,
    /// SCRAM: client-first sent, waiting for server-first.
    ScramFirst(ScramClient),
    /// SCRAM: client-final sent, waiting for server-final.
    ScramFinal(ScramClient),
}

/// One SASL exchange on one connection.
pub struct Authentication {
    stage: Stage,
}

impl Authentication {
    /// Starts an exchange: the SaslHandshake naming our mechanism.
    pub fn start(sasl: &SaslClient) -> (Authentication, Step) {
        let request = SaslHandshakeRequest {
            mechanism: sasl.mechanism.name().to_string(),
        };
        (
            Authentication {
                stage: Stage::Handshake,
            },
            Step::Send(Box::new(request)),
        )
    }

    /// Feeds the response to the request of the last [`Step::Send`].
    pub fn on_response(
        &mut self,
        sasl: &SaslClient,
        api_key: ApiKey,
        version: i16,
        frame: &Bytes,
    ) -> Step {
        match std::mem::replace(&mut self.stage, Stage::Handshake) {
            Stage::Handshake if api_key == ApiKey::SaslHandshake => {
                match decode_response::<SaslHandshakeRequest>(version, frame) {
                    Ok((_, r)) if r.error_code == 0 => self.first_message(sasl),
                    Ok((_, r)) => {
                        let code = ErrorCode::from_code(i32::from(r.error_code));
                        let name =
                            code.map_or_else(|| r.error_code.to_string(), |c| c.name().to_string());
                        Step::Failed(format!(
                            "SASL handshake failed: {name} for mechanism {} (broker enables: {})",
                            sasl.mechanism,
                            r.mechanisms.join(", ")
                        ))
                    }
                    Err(e) => Step::Failed(format!("bad SaslHandshake response: {e}")),
                }
            }
            stage if api_key == ApiKey::SaslAuthenticate => {
                let response = match decode_response::<SaslAuthenticateRequest>(version, frame) {
                    Ok((_, r)) => r,
                    Err(e) => return Step::Failed(format!("bad SaslAuthenticate response: {e}")),
                };
                if response.error_code != 0 {
                    return Step::Failed(authentication_error(sasl.mechanism, &response));
                }
                self.next_message(stage, response)
            }
            _ => Step::Failed("unexpected SASL response".to_string()),
        }
    }

    fn first_message(&mut self, sasl: &SaslClient) -> Step {
        let (user, password) = sasl.credentials.lock().clone();
        let bytes = match sasl.mechanism {
            Mechanism::Plain => {
                self.stage = Stage::SingleMessage;
                plain_message(&user, &password)
            }
            Mechanism::ScramSha256 | Mechanism::ScramSha512 => {
                let Some(hash) = sasl.mechanism.scram_hash() else {
                    return Step::Failed("not a SCRAM mechanism".to_string());
                };
                let Some(scram) = ScramClient::with_random_nonce(hash, &user, &password) else {
                    return Step::Failed("no random bytes for the SCRAM nonce".to_string());
                };
                let first = scram.client_first().into_bytes();
                self.stage = Stage::ScramFirst(scram);
                first
            }
            Mechanism::OAuthBearer => {
                let Some(token) = sasl.token() else {
                    return Step::Failed("no SASL/OAUTHBEARER token available".to_string());
                };
                self.stage = Stage::SingleMessage;
                oauthbearer::client_message(&token)
            }
        };
        authenticate(bytes)
    }

    fn next_message(&mut self, stage: Stage, response: SaslAuthenticateResponse) -> Step {
        match stage {
            Stage::ScramFirst(mut scram) => match scram.client_final(&response.auth_bytes) {
                Ok(client_final) => {
                    self.stage = Stage::ScramFinal(scram);
                    authenticate(client_final.into_bytes())
                }
                Err(e) => Step::Failed(format!("SASL SCRAM authentication failed: {e}")),
            },
            Stage::ScramFinal(scram) => match scram.verify_server_final(&response.auth_bytes) {
                Ok(()) => done(&response),
                Err(e) => Step::Failed(format!("SASL SCRAM authentication failed: {e}")),
            },
            Stage::SingleMessage => done(&response),
            Stage::Handshake => Step::Failed("unexpected SaslAuthenticate response".to_string()),
        }
    }
}

fn authenticate(bytes: Vec<u8>) -> Step {
    Step::Send(Box::new(SaslAuthenticateRequest {
        auth_bytes: Bytes::from(bytes),
    }))
}

/// Re-authenticates at 90% of the session the broker granted, leaving
/// time for the exchange before the broker closes an expired session.
fn done(response: &SaslAuthenticateResponse) -> Step {
    // Any i64 the broker sends: in a Duration, ms to 90% cannot overflow.
    let lifetime = u64::try_from(response.session_lifetime_ms).unwrap_or(0);
    Step::Done {
        reauthenticate_in: (lifetime > 0).then(|| Duration::from_millis(lifetime) * 9 / 10),
    }
}

/// The reason librdkafka gives for a failed SaslAuthenticate: the
/// broker's own message, or the error's description.
fn authentication_error(mechanism: Mechanism, response: &SaslAuthenticateResponse) -> String {
    let code = ErrorCode::from_code(i32::from(response.error_code));
    let reason = response
        .error_message
        .clone()
        .filter(|m| !m.is_empty())
        .or_else(|| code.map(|c| c.description().to_string()))
        .unwrap_or_else(|| "no reason given".to_string());
    let name = code.map_or_else(|| response.error_code.to_string(), |c| c.name().to_string());
    format!("SASL authentication error: {reason} (mechanism {mechanism}, broker error {name})")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::messages::SaslHandshakeResponse;
    use crate::protocol::{decode_request_header, encode_response, Message, Reader, Request};
    use crate::sasl::scram::{Hash, ScramServerExchange, StoredCredential};
    use bytes::BytesMut;

    fn client(mechanism: &str, password: &str) -> SaslClient {
        let mut c = Config::new();
        for (k, v) in [
            ("security.protocol", "sasl_plaintext"),
            ("sasl.mechanisms", mechanism),
            ("sasl.username", "alice"),
            ("sasl.password", password),
        ] {
            c.set(k, v).unwrap();
        }
        SaslClient::from_config(&c).unwrap().unwrap()
    }

    /// A response frame as the broker thread hands it over (no size prefix).
    fn response<R: Request>(body: &R::Response, version: i16) -> Bytes {
        let mut out = BytesMut::new();
        encode_response::<R>(body, version, 1, &mut out).unwrap();
        out.freeze().slice(4..)
    }

    /// The SASL token of a SaslAuthenticate step.
    fn token(step: Step, version: i16) -> Bytes {
        let Step::Send(request) = step else {
            panic!("expected a request");
        };
        assert_eq!(request.api_key(), ApiKey::SaslAuthenticate);
        let (mut out, mut chunks) = (BytesMut::new(), Vec::new());
        request
            .encode_frame(version, 1, "c", &mut out, &mut chunks)
            .unwrap();
        let mut r = Reader::new(&out[4..]);
        decode_request_header(&mut r).unwrap();
        SaslAuthenticateRequest::decode(version, &mut r)
            .unwrap()
            .auth_bytes
    }

    fn handshake_ok(auth: &mut Authentication, sasl: &SaslClient) -> Step {
        let ok = SaslHandshakeResponse {
            error_code: 0,
            mechanisms: vec![sasl.mechanism.name().to_string()],
        };
        let frame = response::<SaslHandshakeRequest>(&ok, 1);
        auth.on_response(sasl, ApiKey::SaslHandshake, 1, &frame)
    }

    fn scram_exchange(password: &str) -> Step {
        let sasl = client("SCRAM-SHA-256", password);
        let stored = StoredCredential::derive(Hash::Sha256, "right", b"salt".to_vec(), 4096);
        let (mut auth, first) = Authentication::start(&sasl);
        assert!(matches!(first, Step::Send(_)));
        let client_first = token(handshake_ok(&mut auth, &sasl), 2);
        let (server, server_first) =
            ScramServerExchange::start(Hash::Sha256, &client_first, |_| Some(stored.clone()))
                .unwrap();
        let reply = SaslAuthenticateResponse {
            auth_bytes: Bytes::from(server_first.into_bytes()),
            ..Default::default()
        };
        let frame = response::<SaslAuthenticateRequest>(&reply, 2);
        let client_final = token(
            auth.on_response(&sasl, ApiKey::SaslAuthenticate, 2, &frame),
            2,
        );
        let reply = match server.finish(&client_final) {
            Ok(server_final) => SaslAuthenticateResponse {
                auth_bytes: Bytes::from(server_final.into_bytes()),
                session_lifetime_ms: 10_000,
                ..Default::default()
            },
            Err(_) => SaslAuthenticateResponse {
                error_code: 58,
                error_message: Some("Authentication failed: bad proof".into()),
                ..Default::default()
            },
        };
        let frame = response::<SaslAuthenticateRequest>(&reply, 2);
        auth.on_response(&sasl, ApiKey::SaslAuthenticate, 2, &frame)
    }

    #[test]
    fn scram_exchange_succeeds_and_schedules_reauthentication_at_90_percent() {
        match scram_exchange("right") {
            Step::Done { reauthenticate_in } => {
                assert_eq!(reauthenticate_in, Some(Duration::from_millis(9_000)))
            }
            _ => panic!("authentication did not succeed"),
        }
    }

    /// Found by the `sasl` fuzz target: a broker granting a session of
    /// i64::MAX ms overflowed the 90% computation.
    #[test]
    fn an_absurd_session_lifetime_does_not_overflow() {
        let response = SaslAuthenticateResponse {
            session_lifetime_ms: i64::MAX,
            ..Default::default()
        };
        match done(&response) {
            Step::Done {
                reauthenticate_in: Some(d),
            } => assert_eq!(d, Duration::from_millis(i64::MAX as u64) * 9 / 10),
            _ => panic!("no re-authentication scheduled"),
        }
    }

    #[test]
    fn a_refused_proof_fails_with_the_brokers_reason() {
        match scram_exchange("wrong") {
            Step::Failed(reason) => {
                assert!(
                    reason.contains("Authentication failed: bad proof"),
                    "{reason}"
                );
                assert!(reason.contains("SASL_AUTHENTICATION_FAILED"), "{reason}");
                assert!(!reason.contains("wrong"), "{reason}");
            }
            _ => panic!("a wrong password was accepted"),
        }
    }

    #[test]
    fn a_refused_handshake_names_the_code_and_the_brokers_mechanisms() {
        let sasl = client("PLAIN", "pw");
        let (mut auth, _) = Authentication::start(&sasl);
        let refused = SaslHandshakeResponse {
            error_code: 33,
            mechanisms: vec!["SCRAM-SHA-512".into()],
        };
        let frame = response::<SaslHandshakeRequest>(&refused, 1);
        match auth.on_response(&sasl, ApiKey::SaslHandshake, 1, &frame) {
            Step::Failed(reason) => assert_eq!(
                reason,
                "SASL handshake failed: UNSUPPORTED_SASL_MECHANISM for mechanism PLAIN \
                 (broker enables: SCRAM-SHA-512)"
            ),
            _ => panic!("a refused handshake went on"),
        }
    }
}
