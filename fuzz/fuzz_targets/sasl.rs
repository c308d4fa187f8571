//! The SASL messages a peer controls, on both sides:
//!
//! - the client's exchange (`client::sasl::Authentication`) fed response
//!   frames a broker chose: SaslHandshake, then SaslAuthenticate rounds,
//!   for each mechanism;
//! - the SCRAM client's reading of server-first and server-final messages,
//!   with a fixed nonce so that inputs can extend it and reach the key
//!   derivation and the signature check;
//! - the mock broker's reading of a client's messages: PLAIN, SCRAM
//!   client-first and client-final, OAUTHBEARER's GS2 header and unsecured
//!   JWT;
//! - the OIDC token endpoint's answer (`sasl::oidc::token_from_body`): the
//!   JSON body, its `access_token` JWT and the payload's claims.
//!
//! Input: the first byte picks the side, the second the mechanism and
//! versions; the rest is that side's messages (see each function).
//! Run with `cargo +nightly fuzz run sasl` from the repository root.
#![no_main]

use bytes::Bytes;
use ferrokafka::client::sasl::{Authentication, SaslClient, Step};
use ferrokafka::config::Config;
use ferrokafka::protocol::ApiKey;
use ferrokafka::sasl::oauthbearer::{self, Token};
use ferrokafka::sasl::scram::{Hash, ScramClient, ScramServerExchange, StoredCredential};
use ferrokafka::sasl::{parse_plain_message, Mechanism};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// The client nonce of the SCRAM client side; a server-first message must
/// extend it.
const CLIENT_NONCE: &str = "fuzzclientnonce";

/// In a client-final message for the mock's side, this stands for the
/// nonce the server made (random, so an input could not guess it).
const SERVER_NONCE_MARK: &[u8] = b"@N";

fuzz_target!(|data: &[u8]| {
    let [side, choice, rest @ ..] = data else {
        return;
    };
    let mechanism = Mechanism::all()[usize::from(*choice) % 4];
    match side % 4 {
        0 => client_exchange(mechanism, choice / 4, rest),
        1 => scram_client(mechanism, rest),
        2 => mock_side(mechanism, rest),
        _ => {
            let _ = ferrokafka::sasl::oidc::token_from_body(rest, &[]);
        }
    }
});

/// Response frames (as the broker thread hands them over: correlation id,
/// then the body), each preceded by its length as two bytes, big-endian.
fn frames(mut data: &[u8]) -> impl Iterator<Item = Bytes> + '_ {
    std::iter::from_fn(move || {
        let [hi, lo, rest @ ..] = data else {
            return None;
        };
        let len = usize::from(u16::from_be_bytes([*hi, *lo])).min(rest.len());
        let (frame, after) = rest.split_at(len);
        data = after;
        Some(Bytes::copy_from_slice(frame))
    })
}

fn client_exchange(mechanism: Mechanism, versions: u8, data: &[u8]) {
    let mut config = Config::new();
    for (name, value) in [
        ("security.protocol", "sasl_plaintext"),
        ("sasl.mechanisms", mechanism.name()),
        ("sasl.username", "alice"),
        ("sasl.password", "secret"),
    ] {
        config.set(name, value).expect("a valid property");
    }
    let Ok(Some(sasl)) = SaslClient::from_config(&config) else {
        panic!("the SASL configuration is refused");
    };
    if mechanism == Mechanism::OAuthBearer {
        let token = Token {
            value: "header.payload.".to_string(),
            lifetime_ms: oauthbearer::now_ms() + 3_600_000,
            principal: "alice".to_string(),
            extensions: vec![("traceId".to_string(), "x".to_string())],
        };
        sasl.set_token(token).expect("a valid token");
    }
    let (mut auth, mut step) = Authentication::start(&sasl);
    for frame in frames(data).take(8) {
        let Step::Send(request) = step else {
            return;
        };
        let api_key = request.api_key();
        let version = match api_key {
            ApiKey::SaslHandshake => i16::from(versions & 1),
            _ => i16::from((versions >> 1) % 3),
        };
        step = auth.on_response(&sasl, api_key, version, &frame);
    }
}

/// Server-first, then (after a newline) server-final.
fn scram_client(mechanism: Mechanism, data: &[u8]) {
    let hash = mechanism.scram_hash().unwrap_or(Hash::Sha512);
    let mut client = ScramClient::new(hash, "alice", "secret", CLIENT_NONCE.to_string());
    let (server_first, server_final) = match data.iter().position(|b| *b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    if client.client_final(server_first).is_ok() {
        let _ = client.verify_server_final(server_final);
    }
}

/// The client's messages as the mock reads them: PLAIN's one message,
/// OAUTHBEARER's one message, or SCRAM's client-first and (after a
/// newline) client-final.
fn mock_side(mechanism: Mechanism, data: &[u8]) {
    match mechanism {
        Mechanism::Plain => {
            let _ = parse_plain_message(data);
        }
        Mechanism::OAuthBearer => {
            let _ = oauthbearer::verify_unsecured(data);
        }
        Mechanism::ScramSha256 | Mechanism::ScramSha512 => {
            let Some(hash) = mechanism.scram_hash() else {
                return;
            };
            let (client_first, client_final) = match data.iter().position(|b| *b == b'\n') {
                Some(at) => (&data[..at], &data[at + 1..]),
                None => (data, &[][..]),
            };
            let credential = stored_credential(hash);
            let Ok((exchange, server_first)) =
                ScramServerExchange::start(hash, client_first, |user| {
                    (user == "alice").then(|| credential.clone())
                })
            else {
                return;
            };
            let _ = exchange.user();
            let nonce = server_first
                .split(',')
                .find_map(|a| a.strip_prefix("r="))
                .unwrap_or("");
            let _ = exchange.finish(&replace(client_final, SERVER_NONCE_MARK, nonce.as_bytes()));
        }
    }
}

/// Alice's credential, derived once per hash (PBKDF2 would otherwise
/// dominate every run).
fn stored_credential(hash: Hash) -> StoredCredential {
    static CREDENTIALS: OnceLock<[StoredCredential; 2]> = OnceLock::new();
    let [sha256, sha512] = CREDENTIALS.get_or_init(|| {
        [Hash::Sha256, Hash::Sha512]
            .map(|h| StoredCredential::derive(h, "secret", b"salt".to_vec(), 4096))
    });
    match hash {
        Hash::Sha256 => sha256.clone(),
        Hash::Sha512 => sha512.clone(),
    }
}

fn replace(haystack: &[u8], mark: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while !rest.is_empty() {
        if rest.starts_with(mark) {
            out.extend_from_slice(with);
            rest = &rest[mark.len()..];
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    out
}
