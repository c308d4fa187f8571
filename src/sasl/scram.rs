//! SCRAM (RFC 5802) with SHA-256 and SHA-512 (RFC 7677, Kafka's KIP-84):
//! the client's two messages and its check of the server's signature, and
//! the server's side for the mock cluster, both over the same key
//! derivations.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

/// Kafka's minimum iteration count (and what its tools use by default).
pub const MIN_ITERATIONS: u32 = 4096;

/// The most iterations the client derives a key with: Kafka's own maximum
/// (its tools refuse to store more). The broker picks the count, and the
/// key derivation runs on the broker thread, which nothing can interrupt:
/// u32::MAX iterations would hold it (and `rd_kafka_destroy`) for an hour.
pub(crate) const MAX_ITERATIONS: u32 = 16384;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha512,
}

impl Hash {
    fn h(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    fn hmac(self, key: &[u8], data: &[u8]) -> Vec<u8> {
        // HMAC takes keys of any length: `new_from_slice` cannot fail.
        match self {
            Hash::Sha256 => match Hmac::<Sha256>::new_from_slice(key) {
                Ok(mut m) => {
                    m.update(data);
                    m.finalize().into_bytes().to_vec()
                }
                Err(_) => Vec::new(),
            },
            Hash::Sha512 => match Hmac::<Sha512>::new_from_slice(key) {
                Ok(mut m) => {
                    m.update(data);
                    m.finalize().into_bytes().to_vec()
                }
                Err(_) => Vec::new(),
            },
        }
    }

    /// Hi() of RFC 5802: PBKDF2 with this hash's HMAC.
    fn salted_password(self, password: &str, salt: &[u8], iterations: u32) -> Vec<u8> {
        match self {
            Hash::Sha256 => {
                let mut out = [0u8; 32];
                pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, &mut out);
                out.to_vec()
            }
            Hash::Sha512 => {
                let mut out = [0u8; 64];
                pbkdf2::pbkdf2_hmac::<Sha512>(password.as_bytes(), salt, iterations, &mut out);
                out.to_vec()
            }
        }
    }
}

/// What a server stores for a user instead of the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCredential {
    pub salt: Vec<u8>,
    pub iterations: u32,
    pub stored_key: Vec<u8>,
    pub server_key: Vec<u8>,
}

impl StoredCredential {
    pub fn derive(hash: Hash, password: &str, salt: Vec<u8>, iterations: u32) -> Self {
        let salted = hash.salted_password(password, &salt, iterations);
        StoredCredential {
            stored_key: hash.h(&hash.hmac(&salted, b"Client Key")),
            server_key: hash.hmac(&salted, b"Server Key"),
            salt,
            iterations,
        }
    }
}

/// `saslname` of RFC 5802: ',' and '=' escaped.
fn escape_name(name: &str) -> String {
    name.replace('=', "=3D").replace(',', "=2C")
}

fn unescape_name(name: &str) -> Option<String> {
    // Any '=' other than these two escapes is malformed.
    let unescaped_only = !name.replace("=2C", "").replace("=3D", "").contains('=');
    unescaped_only.then(|| name.replace("=2C", ",").replace("=3D", "="))
}

/// The value of attribute `key` (`r`, `s`, `i`, ...) in a SCRAM message.
fn attribute(message: &str, key: char) -> Option<&str> {
    message.split(',').find_map(|part| {
        let mut chars = part.chars();
        (chars.next() == Some(key) && chars.next() == Some('=')).then(|| &part[2..])
    })
}

fn xor(a: &[u8], b: &[u8]) -> Vec<u8> {
    a.iter().zip(b).map(|(x, y)| x ^ y).collect()
}

/// The GS2 header of a client without channel binding, base64-encoded as
/// the `c=` attribute carries it.
const GS2_HEADER: &str = "n,,";

/// The client's side of one SCRAM exchange.
pub struct ScramClient {
    hash: Hash,
    password: String,
    nonce: String,
    client_first_bare: String,
    /// Set once the client-final message is built: what the server must
    /// prove it knows.
    expected_server_signature: Option<Vec<u8>>,
}

impl ScramClient {
    /// Starts an exchange with a fresh `nonce` (printable, without ',').
    pub fn new(hash: Hash, username: &str, password: &str, nonce: String) -> ScramClient {
        let client_first_bare = format!("n={},r={nonce}", escape_name(username));
        ScramClient {
            hash,
            password: password.to_string(),
            nonce,
            client_first_bare,
            expected_server_signature: None,
        }
    }

    /// A client with a nonce from the OS CSPRNG.
    pub fn with_random_nonce(hash: Hash, username: &str, password: &str) -> Option<ScramClient> {
        let nonce = B64.encode(super::random_bytes::<24>()?);
        Some(Self::new(hash, username, password, nonce))
    }

    pub fn client_first(&self) -> String {
        format!("{GS2_HEADER}{}", self.client_first_bare)
    }

    /// The client-final message answering `server_first`, or why the
    /// server's message is unacceptable.
    pub fn client_final(&mut self, server_first: &[u8]) -> Result<String, String> {
        let server_first = std::str::from_utf8(server_first)
            .map_err(|_| "SCRAM server-first message is not UTF-8".to_string())?;
        if let Some(e) = attribute(server_first, 'e') {
            return Err(format!("SCRAM server error: {e}"));
        }
        let nonce =
            attribute(server_first, 'r').ok_or("SCRAM server-first message has no nonce")?;
        if !nonce.starts_with(&self.nonce) || nonce.len() == self.nonce.len() {
            return Err("SCRAM server nonce does not extend the client nonce".to_string());
        }
        let salt = attribute(server_first, 's')
            .and_then(|s| B64.decode(s).ok())
            .ok_or("SCRAM server-first message has no valid salt")?;
        let iterations: u32 = attribute(server_first, 'i')
            .and_then(|i| i.parse().ok())
            .ok_or("SCRAM server-first message has no valid iteration count")?;
        if iterations == 0 || iterations > MAX_ITERATIONS {
            return Err(format!(
                "SCRAM server asks for {iterations} iterations: must be 1 to {MAX_ITERATIONS}"
            ));
        }
        let hash = self.hash;
        let salted = hash.salted_password(&self.password, &salt, iterations);
        let client_key = hash.hmac(&salted, b"Client Key");
        let stored_key = hash.h(&client_key);
        let without_proof = format!("c={},r={nonce}", B64.encode(GS2_HEADER));
        let auth_message = format!("{},{server_first},{without_proof}", self.client_first_bare);
        let client_signature = hash.hmac(&stored_key, auth_message.as_bytes());
        let proof = xor(&client_key, &client_signature);
        let server_key = hash.hmac(&salted, b"Server Key");
        self.expected_server_signature = Some(hash.hmac(&server_key, auth_message.as_bytes()));
        Ok(format!("{without_proof},p={}", B64.encode(proof)))
    }

    /// Checks the server-final message: the server must prove it knows the
    /// credential, or the client was talking to an impostor.
    pub fn verify_server_final(&self, server_final: &[u8]) -> Result<(), String> {
        let server_final = std::str::from_utf8(server_final)
            .map_err(|_| "SCRAM server-final message is not UTF-8".to_string())?;
        if let Some(e) = attribute(server_final, 'e') {
            return Err(format!("SCRAM server error: {e}"));
        }
        let signature = attribute(server_final, 'v')
            .and_then(|v| B64.decode(v).ok())
            .ok_or("SCRAM server-final message has no valid signature")?;
        match &self.expected_server_signature {
            Some(expected) if *expected == signature => Ok(()),
            _ => Err(
                "SCRAM server signature does not match: the broker does not know this \
                      user's credential"
                    .to_string(),
            ),
        }
    }
}

/// The server's side of one SCRAM exchange, after the client-first message.
pub struct ScramServerExchange {
    hash: Hash,
    user: String,
    credential: Option<StoredCredential>,
    nonce: String,
    client_first_bare: String,
    server_first: String,
}

impl ScramServerExchange {
    /// Reads the client-first message; `lookup` finds the user's credential
    /// (an unknown user still gets a server-first message with a made-up
    /// salt, so the answer does not tell whether the user exists). Returns
    /// the exchange and the server-first message.
    pub fn start(
        hash: Hash,
        client_first: &[u8],
        lookup: impl FnOnce(&str) -> Option<StoredCredential>,
    ) -> Result<(ScramServerExchange, String), String> {
        let client_first = std::str::from_utf8(client_first)
            .map_err(|_| "client-first message is not UTF-8".to_string())?;
        let bare = client_first
            .strip_prefix(GS2_HEADER)
            .ok_or("client-first message must start with \"n,,\" (no channel binding)")?;
        let user = attribute(bare, 'n')
            .and_then(unescape_name)
            .ok_or("client-first message has no valid user name")?;
        let client_nonce = attribute(bare, 'r').ok_or("client-first message has no nonce")?;
        let server_nonce =
            B64.encode(super::random_bytes::<18>().ok_or("no random bytes for the nonce")?);
        let nonce = format!("{client_nonce}{server_nonce}");
        let credential = lookup(&user);
        let (salt, iterations) = match &credential {
            Some(c) => (c.salt.clone(), c.iterations),
            None => (hash.h(user.as_bytes()), MIN_ITERATIONS),
        };
        let server_first = format!("r={nonce},s={},i={iterations}", B64.encode(salt));
        Ok((
            ScramServerExchange {
                hash,
                user,
                credential,
                nonce,
                client_first_bare: bare.to_string(),
                server_first: server_first.clone(),
            },
            server_first,
        ))
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    /// Checks the client's proof; on success returns the server-final
    /// message carrying the server signature.
    pub fn finish(&self, client_final: &[u8]) -> Result<String, String> {
        let client_final = std::str::from_utf8(client_final)
            .map_err(|_| "client-final message is not UTF-8".to_string())?;
        let (without_proof, proof) = client_final
            .rsplit_once(",p=")
            .ok_or("client-final message has no proof")?;
        // librdkafka 2.0.2 sends its own nonce again in front of the
        // combined one (`r=CLIENTCLIENTSERVER`); the Kafka brokers it was
        // made against accept a nonce that ends with the combined one, so
        // the mock does too (the proof still covers the message as sent).
        if !attribute(without_proof, 'r').is_some_and(|n| n.ends_with(self.nonce.as_str())) {
            return Err("client-final message has the wrong nonce".to_string());
        }
        let proof = B64
            .decode(proof)
            .map_err(|_| "client proof is not base64".to_string())?;
        let credential = self.credential.as_ref().ok_or("unknown user")?;
        let auth_message = format!(
            "{},{},{without_proof}",
            self.client_first_bare, self.server_first
        );
        let hash = self.hash;
        let client_signature = hash.hmac(&credential.stored_key, auth_message.as_bytes());
        if proof.len() != client_signature.len()
            || hash.h(&xor(&proof, &client_signature)) != credential.stored_key
        {
            return Err("invalid credentials".to_string());
        }
        let server_signature = hash.hmac(&credential.server_key, auth_message.as_bytes());
        Ok(format!("v={}", B64.encode(server_signature)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7677 section 3's example exchange (SCRAM-SHA-256).
    #[test]
    fn rfc7677_example() {
        let mut client = ScramClient::new(
            Hash::Sha256,
            "user",
            "pencil",
            "rOprNGfwEbeRWgbNEkqO".to_string(),
        );
        assert_eq!(client.client_first(), "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        let server_first = b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,\
s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        assert_eq!(
            client.client_final(server_first).unwrap(),
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,\
p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        );
        client
            .verify_server_final(b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
            .unwrap();
        assert!(client
            .verify_server_final(b"v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
            .is_err());
    }

    fn exchange(hash: Hash, password: &str) -> Result<(), String> {
        let stored = StoredCredential::derive(hash, "pw,=", b"salty".to_vec(), 4096);
        let mut client = ScramClient::with_random_nonce(hash, "a=b,c", password).unwrap();
        let (server, server_first) =
            ScramServerExchange::start(hash, client.client_first().as_bytes(), |user| {
                (user == "a=b,c").then(|| stored.clone())
            })?;
        let client_final = client.client_final(server_first.as_bytes())?;
        let server_final = server.finish(client_final.as_bytes())?;
        client.verify_server_final(server_final.as_bytes())
    }

    #[test]
    fn client_and_server_agree_for_both_hashes_and_refuse_wrong_passwords() {
        for hash in [Hash::Sha256, Hash::Sha512] {
            exchange(hash, "pw,=").unwrap();
            assert_eq!(exchange(hash, "wrong").unwrap_err(), "invalid credentials");
        }
    }

    #[test]
    fn iteration_counts_beyond_kafkas_maximum_are_refused_before_deriving() {
        let mut client = ScramClient::new(Hash::Sha512, "u", "p", "abc".into());
        let err = client
            .client_final(b"r=abcdef,s=c2FsdA==,i=4294967295")
            .unwrap_err();
        assert!(err.contains("4294967295 iterations"), "{err}");
        assert!(client.client_final(b"r=abcdef,s=c2FsdA==,i=0").is_err());
        assert!(client.client_final(b"r=abcdef,s=c2FsdA==,i=16384").is_ok());
    }

    /// What kcat on Debian's librdkafka 2.0.2 sends: its nonce, then the
    /// combined nonce; its proof is over that message. A nonce that does not
    /// end with the combined one is still refused.
    #[test]
    fn the_server_accepts_librdkafka_2_0_2s_repeated_client_nonce() {
        let hash = Hash::Sha256;
        let stored = StoredCredential::derive(hash, "pw", b"salt".to_vec(), 4096);
        let (server, server_first) =
            ScramServerExchange::start(hash, b"n,,n=u,r=cnonce", |_| Some(stored.clone())).unwrap();
        let nonce = attribute(&server_first, 'r').unwrap().to_string();
        let client_final = |sent_nonce: &str| {
            let salted = hash.salted_password("pw", b"salt", 4096);
            let client_key = hash.hmac(&salted, b"Client Key");
            let without_proof = format!("c=biws,r={sent_nonce}");
            let auth = format!("n=u,r=cnonce,{server_first},{without_proof}");
            let signature = hash.hmac(&hash.h(&client_key), auth.as_bytes());
            format!(
                "{without_proof},p={}",
                B64.encode(xor(&client_key, &signature))
            )
        };
        server
            .finish(client_final(&format!("cnonce{nonce}")).as_bytes())
            .unwrap();
        server.finish(client_final(&nonce).as_bytes()).unwrap();
        assert!(server
            .finish(client_final(&format!("{nonce}x")).as_bytes())
            .is_err());
    }

    #[test]
    fn a_server_nonce_not_extending_ours_is_refused() {
        let mut client = ScramClient::new(Hash::Sha256, "u", "p", "abc".into());
        assert!(client.client_final(b"r=xyzdef,s=c2FsdA==,i=4096").is_err());
        assert!(client.client_final(b"r=abc,s=c2FsdA==,i=4096").is_err());
        assert!(client
            .client_final(b"e=unknown-user")
            .unwrap_err()
            .contains("unknown-user"));
    }
}
