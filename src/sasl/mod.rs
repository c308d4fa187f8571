//! SASL mechanisms as pure message transformations, shared by the client
//! (`client/sasl.rs`, which drives them over a broker connection) and the
//! mock cluster (`mock/sasl.rs`, which serves their other side). No I/O,
//! no threads: each side is a small state machine over byte strings.
//!
//! - PLAIN (RFC 4616): one message, `authzid NUL authcid NUL password`.
//! - SCRAM-SHA-256/512 (RFC 5802, RFC 7677): [`scram`].
//! - OAUTHBEARER (RFC 7628) with librdkafka's unsecured JWTs: [`oauthbearer`];
//!   the OIDC client-credentials request and its token: [`oidc`].

pub mod oauthbearer;
pub mod oidc;
pub mod scram;

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    Plain,
    ScramSha256,
    ScramSha512,
    OAuthBearer,
}

/// The names `sasl.mechanisms` accepts, for error messages.
pub const SUPPORTED_MECHANISMS: &str = "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER";

impl Mechanism {
    pub fn all() -> [Mechanism; 4] {
        [
            Mechanism::Plain,
            Mechanism::ScramSha256,
            Mechanism::ScramSha512,
            Mechanism::OAuthBearer,
        ]
    }

    /// The IANA name, as sent in SaslHandshake.
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::Plain => "PLAIN",
            Mechanism::ScramSha256 => "SCRAM-SHA-256",
            Mechanism::ScramSha512 => "SCRAM-SHA-512",
            Mechanism::OAuthBearer => "OAUTHBEARER",
        }
    }

    /// Parses a `sasl.mechanisms` value; the error names what works.
    pub fn parse(name: &str) -> Result<Mechanism, String> {
        let name = name.trim();
        if let Some(m) = Self::all()
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(name))
        {
            return Ok(m);
        }
        if name.eq_ignore_ascii_case("GSSAPI") {
            return Err(format!(
                "sasl.mechanisms=GSSAPI (Kerberos, librdkafka's default) is not supported by this \
                 library: set sasl.mechanisms to one of {SUPPORTED_MECHANISMS}"
            ));
        }
        Err(format!(
            "unsupported sasl.mechanisms \"{name}\": must be one of {SUPPORTED_MECHANISMS}"
        ))
    }

    pub fn scram_hash(self) -> Option<scram::Hash> {
        match self {
            Mechanism::ScramSha256 => Some(scram::Hash::Sha256),
            Mechanism::ScramSha512 => Some(scram::Hash::Sha512),
            _ => None,
        }
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// PLAIN's only message: no authorization identity, then the user and the
/// password, separated by NUL.
pub fn plain_message(username: &str, password: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(username.len() + password.len() + 2);
    out.push(0);
    out.extend_from_slice(username.as_bytes());
    out.push(0);
    out.extend_from_slice(password.as_bytes());
    out
}

/// The user and password of a PLAIN message (the server's side); `None`
/// if it is malformed.
pub fn parse_plain_message(message: &[u8]) -> Option<(String, String)> {
    let mut parts = message.split(|b| *b == 0);
    let _authzid = parts.next()?;
    let user = std::str::from_utf8(parts.next()?).ok()?;
    let password = std::str::from_utf8(parts.next()?).ok()?;
    if parts.next().is_some() || user.is_empty() {
        return None;
    }
    Some((user.to_string(), password.to_string()))
}

/// Random bytes from the operating system's CSPRNG, for SCRAM nonces and
/// salts. `None` only if the OS refuses (then authentication fails rather
/// than using a predictable nonce).
pub fn random_bytes<const N: usize>() -> Option<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::getrandom(&mut buf).ok()?;
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mechanism_names_parse_case_insensitively_and_gssapi_names_the_alternatives() {
        assert_eq!(
            Mechanism::parse("scram-sha-512"),
            Ok(Mechanism::ScramSha512)
        );
        assert_eq!(Mechanism::parse(" PLAIN "), Ok(Mechanism::Plain));
        let err = Mechanism::parse("GSSAPI").unwrap_err();
        assert!(
            err.contains("GSSAPI") && err.contains(SUPPORTED_MECHANISMS),
            "{err}"
        );
        assert!(Mechanism::parse("DIGEST-MD5").is_err());
    }

    #[test]
    fn plain_message_round_trips() {
        let m = plain_message("alice", "s3cret");
        assert_eq!(m, b"\0alice\0s3cret");
        assert_eq!(
            parse_plain_message(&m),
            Some(("alice".to_string(), "s3cret".to_string()))
        );
        assert_eq!(parse_plain_message(b"\0alice"), None);
        assert_eq!(parse_plain_message(b"\0\0pw"), None);
    }
}
