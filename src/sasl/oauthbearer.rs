//! OAUTHBEARER (RFC 7628, Kafka's KIP-255): the client's initial response
//! carrying a bearer token and extensions, librdkafka's unsecured JWT
//! builder (`enable.sasl.oauthbearer.unsecure.jwt` with
//! `sasl.oauthbearer.config`), and the server's check of such a token for
//! the mock cluster.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A token as the application (or the unsecured builder) hands it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub value: String,
    /// When the token expires, in ms since the epoch.
    pub lifetime_ms: i64,
    pub principal: String,
    pub extensions: Vec<(String, String)>,
}

/// The client's only message: GS2 header, `auth=Bearer <token>`, the
/// extensions, each followed by 0x01, and a final 0x01.
pub fn client_message(token: &Token) -> Vec<u8> {
    let mut out = format!("n,,\x01auth=Bearer {}\x01", token.value);
    for (k, v) in &token.extensions {
        out.push_str(&format!("{k}={v}\x01"));
    }
    out.push('\x01');
    out.into_bytes()
}

/// Checks extensions as librdkafka does (RFC 7628 section 3.1): keys are
/// letters only and not "auth", values printable ASCII, space, tab, CR, LF.
pub fn check_extensions(extensions: &[(String, String)]) -> Result<(), String> {
    for (k, v) in extensions {
        if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(format!(
                "invalid SASL/OAUTHBEARER extension key \"{k}\": letters only"
            ));
        }
        if k == "auth" {
            return Err("SASL/OAUTHBEARER extension key \"auth\" is reserved".to_string());
        }
        if !v
            .chars()
            .all(|c| matches!(c, '\x21'..='\x7e' | ' ' | '\t' | '\r' | '\n'))
        {
            return Err(format!(
                "invalid SASL/OAUTHBEARER extension value for \"{k}\""
            ));
        }
    }
    Ok(())
}

/// The wall clock in ms since the epoch, the unit of token lifetimes.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Builds an unsecured JWT (`"alg":"none"`) from `sasl.oauthbearer.config`
/// in librdkafka's syntax: space-separated `principal=NAME` (required),
/// `principalClaimName=`, `scope=a,b`, `scopeClaimName=`, `lifeSeconds=`
/// (default 3600) and `extension_KEY=VALUE`.
pub fn unsecured_jwt(config: &str) -> Result<Token, String> {
    let mut principal = None;
    let mut principal_claim = "sub".to_string();
    let mut scope_claim = "scope".to_string();
    let mut scopes: Vec<String> = Vec::new();
    let mut life_seconds: i64 = 3600;
    let mut extensions = Vec::new();
    for item in config.split_whitespace() {
        let (key, value) = item.split_once('=').ok_or_else(|| {
            format!("sasl.oauthbearer.config: expected key=value, not \"{item}\"")
        })?;
        match key {
            "principal" => principal = Some(value.to_string()),
            "principalClaimName" => principal_claim = value.to_string(),
            "scopeClaimName" => scope_claim = value.to_string(),
            "scope" => {
                scopes = value
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            }
            "lifeSeconds" => {
                life_seconds = value
                    .parse()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or("sasl.oauthbearer.config: lifeSeconds must be a positive integer")?
            }
            _ => match key.strip_prefix("extension_") {
                Some(ext) => extensions.push((ext.to_string(), value.to_string())),
                None => {
                    return Err(format!(
                        "sasl.oauthbearer.config: unrecognized key \"{key}\""
                    ))
                }
            },
        }
    }
    let principal = principal
        .filter(|p| !p.is_empty())
        .ok_or("sasl.oauthbearer.config: principal=NAME is required")?;
    check_extensions(&extensions)?;
    let now = now_ms();
    let mut claims = serde_json::Map::new();
    claims.insert(principal_claim, principal.clone().into());
    claims.insert("iat".into(), (now as f64 / 1000.0).into());
    claims.insert("exp".into(), (now / 1000 + life_seconds).into());
    if !scopes.is_empty() {
        claims.insert(scope_claim, scopes.into());
    }
    let header = B64URL.encode(br#"{"alg":"none"}"#);
    let payload = B64URL.encode(serde_json::Value::Object(claims).to_string());
    Ok(Token {
        value: format!("{header}.{payload}."),
        lifetime_ms: now + life_seconds * 1000,
        principal,
        extensions,
    })
}

/// When a token expiring at `lifetime_ms` should be refreshed: at 80% of
/// its remaining life, as librdkafka does.
pub fn refresh_after(lifetime_ms: i64) -> Duration {
    let remaining = (lifetime_ms - now_ms()).max(0) as u64;
    Duration::from_millis(remaining * 8 / 10)
}

/// The server's side: extracts the token from a client message and checks
/// it as an unsecured JWT (no signature, `sub` present, `exp` in the
/// future). Returns the principal and the token's expiry in ms since the
/// epoch.
pub fn verify_unsecured(message: &[u8]) -> Result<(String, i64), String> {
    let text = std::str::from_utf8(message).map_err(|_| "message is not UTF-8".to_string())?;
    let rest = text.strip_prefix("n,").ok_or("message has no GS2 header")?;
    let token = rest
        .split('\x01')
        .find_map(|kv| kv.strip_prefix("auth=Bearer "))
        .ok_or("message has no auth=Bearer token")?;
    let mut parts = token.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("token is not a JWT".to_string());
    };
    let claims: serde_json::Value = B64URL
        .decode(payload)
        .ok()
        .and_then(|p| serde_json::from_slice(&p).ok())
        .ok_or("token payload is not base64url JSON")?;
    let sub = claims["sub"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or("token has no sub claim")?;
    let exp_ms = claims["exp"].as_f64().ok_or("token has no exp claim")? * 1000.0;
    if (exp_ms as i64) <= now_ms() {
        return Err("token expired".to_string());
    }
    Ok((sub.to_string(), exp_ms as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsecured_jwt_carries_the_configured_claims_and_verifies() {
        let t =
            unsecured_jwt("principal=alice scope=read,write lifeSeconds=60 extension_traceId=x1")
                .unwrap();
        assert_eq!(t.principal, "alice");
        assert_eq!(
            t.extensions,
            vec![("traceId".to_string(), "x1".to_string())]
        );
        assert!(t.value.ends_with('.'));
        let msg = client_message(&t);
        assert!(msg.starts_with(b"n,,\x01auth=Bearer "));
        assert!(msg.ends_with(b"\x01traceId=x1\x01\x01"));
        let (sub, exp) = verify_unsecured(&msg).unwrap();
        assert_eq!(sub, "alice");
        assert!(exp > now_ms());
    }

    #[test]
    fn bad_configs_are_refused() {
        assert!(unsecured_jwt("scope=x").unwrap_err().contains("principal"));
        assert!(unsecured_jwt("principal=a lifeSeconds=-1").is_err());
        assert!(unsecured_jwt("principal=a bogus=1").is_err());
        assert!(unsecured_jwt("principal=a extension_auth=1").is_err());
    }

    #[test]
    fn the_server_refuses_what_is_not_an_unsecured_jwt() {
        assert!(verify_unsecured(b"n,,\x01auth=Bearer abc\x01\x01").is_err());
        let expired = format!(
            "n,,\x01auth=Bearer {}.{}.\x01\x01",
            B64URL.encode(br#"{"alg":"none"}"#),
            B64URL.encode(br#"{"sub":"a","exp":1}"#)
        );
        assert_eq!(
            verify_unsecured(expired.as_bytes()).unwrap_err(),
            "token expired"
        );
    }
}
