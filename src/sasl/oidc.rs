//! `sasl.oauthbearer.method=oidc` (KIP-768) without I/O: the OAuth 2.0
//! client-credentials request librdkafka sends to the token endpoint, and
//! the token it makes of the endpoint's answer. The HTTPS exchange itself
//! is `client/oidc.rs`.

use super::oauthbearer::{check_extensions, Token};
use crate::config::Config;
use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD as B64URL};
use base64::Engine;
use std::fmt;

/// The OIDC properties of a client.
#[derive(Clone)]
pub struct OidcSettings {
    pub client_id: String,
    /// Sensitive: never printed (see the `Debug` impl), only sent in the
    /// Authorization header.
    client_secret: String,
    pub scope: Option<String>,
    pub extensions: Vec<(String, String)>,
    pub token_endpoint_url: String,
}

impl fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcSettings")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("scope", &self.scope)
            .field("extensions", &self.extensions)
            .field("token_endpoint_url", &self.token_endpoint_url)
            .finish()
    }
}

impl OidcSettings {
    /// The settings of a client with `sasl.oauthbearer.method=oidc`;
    /// `Config::validate_for` already required the id, the secret and the
    /// endpoint. Bad extensions are refused here, for rd_kafka_new's errstr
    /// (librdkafka would drop them all silently at the first refresh).
    pub fn from_config(c: &Config) -> Result<OidcSettings, String> {
        let required = |name: &str| {
            c.string(name).map(str::to_string).ok_or_else(|| {
                format!("`{name}` is mandatory when `sasl.oauthbearer.method=oidc` is set")
            })
        };
        let extensions = match c.string("sasl.oauthbearer.extensions") {
            Some(list) => parse_extensions(list)?,
            None => Vec::new(),
        };
        Ok(OidcSettings {
            client_id: required("sasl.oauthbearer.client.id")?,
            client_secret: required("sasl.oauthbearer.client.secret")?,
            scope: c
                .string("sasl.oauthbearer.scope")
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            extensions,
            token_endpoint_url: required("sasl.oauthbearer.token.endpoint.url")?,
        })
    }

    /// The `Authorization` header: HTTP Basic with `client.id:client.secret`.
    pub fn authorization(&self) -> String {
        let credentials = format!("{}:{}", self.client_id, self.client_secret);
        format!("Basic {}", B64.encode(credentials))
    }

    /// The form body: the client-credentials grant and, if configured, the
    /// scope, which librdkafka sends as it is configured (not re-encoded).
    pub fn request_body(&self) -> String {
        match &self.scope {
            Some(scope) => format!("grant_type=client_credentials&scope={scope}"),
            None => "grant_type=client_credentials".to_string(),
        }
    }
}

/// `sasl.oauthbearer.extensions`: comma-separated `key=value` pairs, empty
/// items skipped, keys and values checked as the broker will.
fn parse_extensions(list: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for item in list.split(',').filter(|i| !i.is_empty()) {
        match item.split_once('=') {
            Some((key, value)) if !key.is_empty() => out.push((key.to_string(), value.to_string())),
            _ => {
                return Err(format!(
                    "sasl.oauthbearer.extensions: expected comma-separated key=value pairs, not \"{item}\""
                ))
            }
        }
    }
    check_extensions(&out).map_err(|e| format!("sasl.oauthbearer.extensions: {e}"))?;
    Ok(out)
}

/// The token in the body of the endpoint's answer (JSON).
pub fn token_from_body(body: &[u8], extensions: &[(String, String)]) -> Result<Token, String> {
    let json: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| "Failed to parse JSON response".to_string())?;
    token_from_response(&json, extensions)
}

/// The token in the endpoint's JSON answer: `access_token` is a JWT whose
/// payload gives the expiry (`exp`, seconds since the epoch) and the
/// principal (`sub`). The signature is the broker's to check.
pub fn token_from_response(
    response: &serde_json::Value,
    extensions: &[(String, String)],
) -> Result<Token, String> {
    let jwt = response
        .get("access_token")
        .ok_or("Expected JSON JWT response with \"access_token\" field")?
        .as_str()
        .ok_or("Expected JSON response as a value string")?;
    let claims = jwt_claims(jwt).map_err(|e| format!("Failed to decode JWT payload: {e}"))?;
    let exp = claims
        .get("exp")
        .ok_or("Expected JSON JWT response with \"exp\" field")?
        .as_f64()
        .filter(|exp| *exp > 0.0)
        .ok_or("Expected JSON JWT response with valid \"exp\" field")?;
    let sub = claims
        .get("sub")
        .ok_or("Expected JSON JWT response with \"sub\" field")?
        .as_str()
        .ok_or("Expected JSON JWT response with valid \"sub\" field")?;
    Ok(Token {
        value: jwt.to_string(),
        // Whole seconds, as librdkafka truncates.
        lifetime_ms: (exp as i64).saturating_mul(1000),
        principal: sub.to_string(),
        extensions: extensions.to_vec(),
    })
}

/// The JSON object in a JWT's payload (`header.payload.signature`,
/// base64url with or without padding).
fn jwt_claims(jwt: &str) -> Result<serde_json::Value, String> {
    let parts: Vec<&str> = jwt.split('.').collect();
    match parts.len() {
        0..=2 => return Err("The token is invalid with less than 2 delimiters".into()),
        3 => {}
        _ => return Err("The token is invalid with more than 2 delimiters".into()),
    }
    let payload = B64URL
        .decode(parts[1].trim_end_matches('='))
        .map_err(|_| "Failed to decode base64 payload".to_string())?;
    match serde_json::from_slice::<serde_json::Value>(&payload) {
        Ok(claims @ serde_json::Value::Object(_)) => Ok(claims),
        _ => Err("Failed to parse JSON JWT payload".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings(pairs: &[(&str, &str)]) -> Result<OidcSettings, String> {
        let mut c = Config::new();
        for (k, v) in [
            ("sasl.oauthbearer.client.id", "app"),
            ("sasl.oauthbearer.client.secret", "s3cr3t"),
            ("sasl.oauthbearer.token.endpoint.url", "https://idp/token"),
        ]
        .iter()
        .chain(pairs)
        {
            c.set(k, v).unwrap();
        }
        OidcSettings::from_config(&c)
    }

    fn jwt(claims: serde_json::Value) -> String {
        format!(
            "{}.{}.c2ln",
            B64URL.encode(br#"{"alg":"RS256","kid":"k1"}"#),
            B64URL.encode(claims.to_string())
        )
    }

    #[test]
    fn the_request_is_basic_auth_and_the_client_credentials_grant() {
        let s = settings(&[("sasl.oauthbearer.scope", "kafka.read kafka.write")]).unwrap();
        assert_eq!(
            s.authorization(),
            format!("Basic {}", B64.encode("app:s3cr3t"))
        );
        assert_eq!(
            s.request_body(),
            "grant_type=client_credentials&scope=kafka.read kafka.write"
        );
        assert_eq!(
            settings(&[]).unwrap().request_body(),
            "grant_type=client_credentials"
        );
        assert!(!format!("{s:?}").contains("s3cr3t"));
    }

    #[test]
    fn extensions_parse_and_bad_ones_are_refused_by_name() {
        let s = settings(&[(
            "sasl.oauthbearer.extensions",
            "traceId=1,,logicalCluster=lkc-1",
        )])
        .unwrap();
        assert_eq!(
            s.extensions,
            vec![
                ("traceId".to_string(), "1".to_string()),
                ("logicalCluster".to_string(), "lkc-1".to_string())
            ]
        );
        let err = settings(&[("sasl.oauthbearer.extensions", "novalue")]).unwrap_err();
        assert!(err.contains("\"novalue\""), "{err}");
        let err = settings(&[("sasl.oauthbearer.extensions", "auth=x")]).unwrap_err();
        assert!(err.contains("reserved"), "{err}");
    }

    #[test]
    fn a_response_becomes_a_token_with_exp_in_ms_and_sub_as_principal() {
        let ext = vec![("a".to_string(), "b".to_string())];
        let value = jwt(json!({"sub": "svc-1", "exp": 2000000000.75, "iat": 1}));
        let t = token_from_response(
            &json!({"access_token": value, "token_type": "bearer"}),
            &ext,
        )
        .unwrap();
        assert_eq!(t.value, value);
        assert_eq!(t.lifetime_ms, 2_000_000_000_000);
        assert_eq!(t.principal, "svc-1");
        assert_eq!(t.extensions, ext);
    }

    #[test]
    fn bad_responses_name_what_is_wrong() {
        let err = |v: serde_json::Value| token_from_response(&v, &[]).unwrap_err();
        assert!(err(json!({"token": "x"})).contains("\"access_token\" field"));
        assert!(err(json!({"access_token": 1})).contains("value string"));
        assert!(err(json!({"access_token": "a.b"})).contains("less than 2 delimiters"));
        assert!(err(json!({"access_token": "a.b.c.d"})).contains("more than 2 delimiters"));
        assert!(err(json!({"access_token": "a.!!.c"})).contains("base64"));
        let no_json = format!("a.{}.c", B64URL.encode("not json"));
        assert!(err(json!({ "access_token": no_json })).contains("parse JSON"));
        assert!(err(json!({"access_token": jwt(json!({"sub": "a"}))})).contains("\"exp\" field"));
        assert!(
            err(json!({"access_token": jwt(json!({"sub": "a", "exp": 0}))}))
                .contains("valid \"exp\"")
        );
        assert!(err(json!({"access_token": jwt(json!({"exp": 5}))})).contains("\"sub\" field"));
        assert!(
            err(json!({"access_token": jwt(json!({"exp": 5, "sub": 7}))}))
                .contains("valid \"sub\"")
        );
        assert_eq!(
            token_from_body(b"<html>", &[]).unwrap_err(),
            "Failed to parse JSON response"
        );
    }
}
