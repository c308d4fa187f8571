//! Private keys in OpenSSL's legacy encrypted PEM form (`Proc-Type:
//! 4,ENCRYPTED` and `DEK-Info: CIPHER,IV` headers, as `openssl genrsa
//! -aes256` or `openssl rsa -aes128` write them), decrypted with
//! `ssl.key.password`. The key is derived as OpenSSL's `EVP_BytesToKey`
//! does for PEM (MD5, one round, the IV's first 8 bytes as salt); the
//! ciphers are RustCrypto's (`aes`, `des`, `cbc`, `md-5`).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, KeyIvInit};
use md5::{Digest, Md5};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs1KeyDer, PrivateSec1KeyDer};

/// Whether `pem` is a legacy encrypted PEM key.
pub fn is_legacy_encrypted(pem: &str) -> bool {
    pem.contains("Proc-Type: 4,ENCRYPTED")
}

/// Decrypts the legacy encrypted PEM key in `pem` with `password`.
pub fn decrypt(pem: &str, password: Option<&str>) -> Result<PrivateKeyDer<'static>, String> {
    let Some(password) = password else {
        return Err("the private key is encrypted: set ssl.key.password".into());
    };
    let (label, headers, body) = split_pem(pem)?;
    let dek_info = headers
        .iter()
        .find_map(|(name, value)| (*name == "DEK-Info").then_some(*value))
        .ok_or("encrypted PEM key without a DEK-Info header")?;
    let (cipher, iv_hex) = dek_info
        .split_once(',')
        .ok_or("malformed DEK-Info header: expected CIPHER,IV")?;
    let iv = hex(iv_hex.trim()).ok_or("malformed DEK-Info header: the IV is not hex")?;
    let ciphertext = B64
        .decode(body)
        .map_err(|e| format!("invalid PEM: the key is not base64: {e}"))?;
    let der = decrypt_with(cipher.trim(), password.as_bytes(), &iv, &ciphertext)?;
    // A wrong password fails the padding check 255 times in 256; the
    // DER SEQUENCE tag catches most of the rest before rustls sees it.
    if der.first() != Some(&0x30) {
        return Err(wrong_password());
    }
    match label {
        "RSA PRIVATE KEY" => Ok(PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(der))),
        "EC PRIVATE KEY" => Ok(PrivateKeyDer::Sec1(PrivateSec1KeyDer::from(der))),
        other => Err(format!(
            "encrypted PEM \"{other}\" is not a key type this library reads (RSA or EC)"
        )),
    }
}

fn wrong_password() -> String {
    "cannot decrypt the private key: wrong ssl.key.password".to_string()
}

/// The label, the `Name: value` headers and the base64 body of the first
/// PEM block in `pem`.
fn split_pem(pem: &str) -> Result<(&str, Vec<(&str, &str)>, String), String> {
    let begin = pem.find("-----BEGIN ").ok_or("no PEM private key found")?;
    let rest = &pem[begin + "-----BEGIN ".len()..];
    let (label, rest) = rest
        .split_once("-----")
        .ok_or("invalid PEM: unterminated BEGIN line")?;
    let end = rest.find("-----END ").ok_or("invalid PEM: no END line")?;
    let mut headers = Vec::new();
    let mut body = String::new();
    for line in rest[..end].lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.split_once(": ") {
            Some((name, value)) if body.is_empty() => headers.push((name, value)),
            _ => body.push_str(line),
        }
    }
    Ok((label, headers, body))
}

fn hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// OpenSSL's `EVP_BytesToKey(cipher, MD5, salt, password, 1)`:
/// D1 = MD5(password || salt), Dn = MD5(Dn-1 || password || salt), their
/// concatenation cut to the key length.
fn bytes_to_key(password: &[u8], salt: &[u8], key_len: usize) -> Vec<u8> {
    let mut key = Vec::with_capacity(key_len + 16);
    let mut previous: Vec<u8> = Vec::new();
    while key.len() < key_len {
        let mut md5 = Md5::new();
        md5.update(&previous);
        md5.update(password);
        md5.update(salt);
        previous = md5.finalize().to_vec();
        key.extend_from_slice(&previous);
    }
    key.truncate(key_len);
    key
}

fn decrypt_with(cipher: &str, password: &[u8], iv: &[u8], data: &[u8]) -> Result<Vec<u8>, String> {
    fn run<C: BlockDecryptMut + KeyIvInit>(
        password: &[u8],
        iv: &[u8],
        data: &[u8],
    ) -> Result<Vec<u8>, String> {
        let salt = iv
            .get(..8)
            .ok_or("malformed DEK-Info header: the IV is too short")?;
        let key = bytes_to_key(password, salt, C::key_size());
        let decryptor = C::new_from_slices(&key, iv)
            .map_err(|_| "malformed DEK-Info header: wrong IV length for the cipher")?;
        let mut buffer = data.to_vec();
        let plain = decryptor
            .decrypt_padded_mut::<Pkcs7>(&mut buffer)
            .map_err(|_| wrong_password())?;
        Ok(plain.to_vec())
    }
    match cipher.to_ascii_uppercase().as_str() {
        "AES-128-CBC" => run::<cbc::Decryptor<aes::Aes128>>(password, iv, data),
        "AES-192-CBC" => run::<cbc::Decryptor<aes::Aes192>>(password, iv, data),
        "AES-256-CBC" => run::<cbc::Decryptor<aes::Aes256>>(password, iv, data),
        "DES-EDE3-CBC" => run::<cbc::Decryptor<des::TdesEde3>>(password, iv, data),
        "DES-CBC" => run::<cbc::Decryptor<des::Des>>(password, iv, data),
        other => Err(format!(
            "encrypted PEM key with unsupported cipher \"{other}\" (supported: AES-128-CBC, \
             AES-192-CBC, AES-256-CBC, DES-EDE3-CBC, DES-CBC; or convert the key with \
             `openssl pkcs8 -topk8`)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OpenSSL's `EVP_BytesToKey` for password "password", salt 8 zero
    /// bytes: MD5("password" || salt) is its first 16 bytes.
    #[test]
    fn bytes_to_key_chains_md5_rounds() {
        let salt = [0u8; 8];
        let key = bytes_to_key(b"password", &salt, 32);
        let first = Md5::digest([&b"password"[..], &salt].concat()).to_vec();
        let second = Md5::digest([&first[..], b"password", &salt].concat()).to_vec();
        assert_eq!(key, [first, second].concat());
    }

    #[test]
    fn malformed_headers_and_unknown_ciphers_are_named() {
        let pem = |dek: &str| {
            format!(
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: {dek}\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"
            )
        };
        let e = decrypt(&pem("AES-128-CBC,zz"), Some("x")).unwrap_err();
        assert!(e.contains("not hex"), "{e}");
        let e = decrypt(
            &pem("CAMELLIA-128-CBC,00112233445566778899AABBCCDDEEFF"),
            Some("x"),
        )
        .unwrap_err();
        assert!(e.contains("CAMELLIA-128-CBC"), "{e}");
        let e = decrypt(&pem("AES-128-CBC,0011"), Some("x")).unwrap_err();
        assert!(e.contains("IV"), "{e}");
        let e = decrypt(&pem("AES-128-CBC,00112233445566778899AABBCCDDEEFF"), None).unwrap_err();
        assert!(e.contains("ssl.key.password"), "{e}");
    }
}
