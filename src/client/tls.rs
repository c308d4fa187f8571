//! The TLS settings of a client (`security.protocol=ssl`/`sasl_ssl`): the
//! `ssl.*` properties turned into one rustls `ClientConfig` at
//! `rd_kafka_new()`, so every file, key and list is checked (and reported
//! with the property it came from) before the client exists. Connections
//! only take sessions from it ([`TlsContext::session`]); driving the bytes
//! is `connection.rs`'s job.
//!
//! Certificates, keys and CRLs are parsed with `rustls-pki-types` (PEM),
//! `pkcs8` (encrypted keys) and `p12-keystore` (PKCS#12): nothing here reads
//! ASN.1 itself.

use crate::client::legacy_pem_key;
use crate::config::{Config, SslBlob, SslBlobEncoding, SslBlobKind};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{CryptoProvider, SupportedKxGroup, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{
    CertificateDer, CertificateRevocationListDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName,
    UnixTime,
};
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore,
    SignatureScheme, SupportedCipherSuite,
};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// What `ssl.certificate.verify_cb` is asked about one certificate of the
/// broker's chain.
pub struct PeerCertificate<'a> {
    pub broker_name: &'a str,
    pub broker_id: i32,
    /// 0 for the broker's own certificate, counting up towards the root
    /// (OpenSSL's depth, which the callback's contract uses).
    pub depth: i32,
    pub der: &'a [u8],
}

/// The application's certificate check (`rd_kafka_conf_set_ssl_cert_verify_cb`),
/// run on the broker thread during the handshake as rdkafka.h documents.
/// It gets the OpenSSL-style error so far (0: valid) and may change it;
/// `Err` rejects the certificate with the application's reason.
pub type CertVerifyHook =
    Arc<dyn Fn(&PeerCertificate<'_>, &mut i32) -> Result<(), String> + Send + Sync>;

// OpenSSL's X509_V_ERR_* codes for the failures rustls reports, so a
// verify callback written for librdkafka sees the codes it knows.
const X509_V_ERR_UNSPECIFIED: i32 = 1;
const X509_V_ERR_UNABLE_TO_GET_CRL: i32 = 3;
const X509_V_ERR_CERT_SIGNATURE_FAILURE: i32 = 7;
const X509_V_ERR_CERT_NOT_YET_VALID: i32 = 9;
const X509_V_ERR_CERT_HAS_EXPIRED: i32 = 10;
const X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: i32 = 20;
const X509_V_ERR_CERT_REVOKED: i32 = 23;
const X509_V_ERR_INVALID_PURPOSE: i32 = 26;
const X509_V_ERR_HOSTNAME_MISMATCH: i32 = 62;

/// The TLS side of every broker connection of one client.
pub struct TlsContext {
    config: Arc<ClientConfig>,
    /// Set when the application checks certificates itself: each
    /// connection then gets a verifier that knows which broker it talks to.
    verify_hook: Option<CertVerifyHook>,
    verifier: Arc<BrokerCertVerifier>,
}

impl TlsContext {
    /// Builds the TLS configuration from the `ssl.*` properties; `None`
    /// when `security.protocol` does not use TLS. Errors name the property
    /// (and file) at fault.
    pub fn from_config(
        c: &Config,
        verify_hook: Option<CertVerifyHook>,
    ) -> Result<Option<TlsContext>, String> {
        let protocol = c.string("security.protocol").unwrap_or("plaintext");
        if !protocol.eq_ignore_ascii_case("ssl") && !protocol.eq_ignore_ascii_case("sasl_ssl") {
            return Ok(None);
        }
        reject_openssl_only(c)?;
        let provider = Arc::new(provider_from(c)?);
        let verifier = Arc::new(BrokerCertVerifier::from_config(c, &provider)?);
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(rustls::ALL_VERSIONS)
            .map_err(|e| format!("ssl.cipher.suites: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone());
        let config = match client_identity(c)? {
            Some((chain, key)) => builder.with_client_auth_cert(chain, key).map_err(|e| {
                format!(
                    "ssl.key.location: the private key does not fit the client certificate: {e}"
                )
            })?,
            None => builder.with_no_client_auth(),
        };
        Ok(Some(TlsContext {
            config: Arc::new(config),
            verify_hook,
            verifier,
        }))
    }

    /// A client session for one connection to `host` (the name the
    /// certificate must carry). `broker_name`/`broker_id` are what the
    /// verify callback is told.
    pub fn session(
        &self,
        host: &str,
        broker_name: &str,
        broker_id: i32,
    ) -> Result<ClientConnection, String> {
        let server_name = ServerName::try_from(host.to_string())
            .map_err(|e| format!("invalid TLS server name \"{host}\": {e}"))?;
        let config = match &self.verify_hook {
            None => self.config.clone(),
            Some(hook) => {
                let mut config = (*self.config).clone();
                let verifier = BrokerCertVerifier {
                    app_check: Some(AppCheck {
                        hook: hook.clone(),
                        broker_name: broker_name.to_string(),
                        broker_id,
                    }),
                    ..(*self.verifier).clone()
                };
                config
                    .dangerous()
                    .set_certificate_verifier(Arc::new(verifier));
                Arc::new(config)
            }
        };
        ClientConnection::new(config, server_name).map_err(|e| format!("TLS setup failed: {e}"))
    }
}

fn reject_openssl_only(c: &Config) -> Result<(), String> {
    for name in [
        "ssl.engine.location",
        "ssl.providers",
        "ssl_engine_callback_data",
    ] {
        if c.is_modified(name) {
            return Err(format!(
                "{name} is an OpenSSL setting; this library does TLS with rustls and has no OpenSSL engines or providers"
            ));
        }
    }
    if c.is_modified("ssl.engine.id") {
        return Err("ssl.engine.id is an OpenSSL setting; this library does TLS with rustls and has no OpenSSL engines".into());
    }
    if c.is_modified("ssl.ca.certificate.stores") {
        return Err("ssl.ca.certificate.stores names Windows certificate stores, which this library does not read: use ssl.ca.location".into());
    }
    Ok(())
}

/// Splits an OpenSSL-style list (`:`-separated; commas accepted too).
fn list_items(value: &str) -> impl Iterator<Item = &str> {
    value
        .split([':', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// ring's provider as rustls makes it.
pub fn ring_provider() -> CryptoProvider {
    // Deprecated only for lacking post-quantum key exchange, which needs
    // aws-lc-rs (cmake and nasm to build); ring needs just a C compiler.
    #[allow(deprecated)]
    rustls::crypto::ring::default_provider()
}

/// ring's provider narrowed by `ssl.cipher.suites` and `ssl.curves.list`.
fn provider_from(c: &Config) -> Result<CryptoProvider, String> {
    let mut provider = ring_provider();
    if let Some(list) = c.string("ssl.cipher.suites") {
        let mut chosen: Vec<SupportedCipherSuite> = Vec::new();
        for name in list_items(list) {
            let suite = cipher_suite_named(&provider.cipher_suites, name).ok_or_else(|| {
                let supported = supported_suite_names(&provider.cipher_suites);
                if is_cipher_string_syntax(name) {
                    format!(
                        "ssl.cipher.suites: \"{name}\" is OpenSSL cipher-string syntax (a keyword, \
                         alias or operator), which has no rustls equivalent: list cipher suite \
                         names instead (supported: {supported})"
                    )
                } else {
                    format!(
                        "ssl.cipher.suites: unsupported cipher suite \"{name}\" (supported: {supported})"
                    )
                }
            })?;
            if !chosen.contains(&suite) {
                chosen.push(suite);
            }
        }
        // OpenSSL's cipher list only governs TLS 1.2; TLS 1.3 keeps its
        // own suites unless some are named.
        if !chosen
            .iter()
            .any(|s| s.version() == &rustls::version::TLS13)
        {
            chosen.extend(
                provider
                    .cipher_suites
                    .iter()
                    .filter(|s| s.version() == &rustls::version::TLS13),
            );
        }
        provider.cipher_suites = chosen;
    }
    if let Some(list) = c.string("ssl.curves.list") {
        let mut chosen: Vec<&'static dyn SupportedKxGroup> = Vec::new();
        for name in list_items(list) {
            let group = kx_group_named(&provider.kx_groups, name).ok_or_else(|| {
                format!("ssl.curves.list: unsupported curve \"{name}\" (supported: X25519, P-256, P-384)")
            })?;
            chosen.push(group);
        }
        provider.kx_groups = chosen;
    }
    Ok(provider)
}

/// OpenSSL's names of the suites ring implements; IANA names work too.
const OPENSSL_SUITE_NAMES: &[(&str, &str)] = &[
    ("TLS_AES_128_GCM_SHA256", "TLS13_AES_128_GCM_SHA256"),
    ("TLS_AES_256_GCM_SHA384", "TLS13_AES_256_GCM_SHA384"),
    (
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS13_CHACHA20_POLY1305_SHA256",
    ),
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    ),
    (
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    ),
    (
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    ),
    (
        "ECDHE-RSA-AES128-GCM-SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    ),
    (
        "ECDHE-RSA-AES256-GCM-SHA384",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    ),
    (
        "ECDHE-RSA-CHACHA20-POLY1305",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    ),
];

/// Whether `entry` of an OpenSSL cipher string is one of its operators
/// (`!X`, `-X`, `+X`, `@STRENGTH`, `A+B`) or a keyword or alias (`HIGH`,
/// `aNULL`, `kRSA`, ...) rather than the name of a suite: suite names
/// have at least one '-' or '_' between words, keywords none.
fn is_cipher_string_syntax(entry: &str) -> bool {
    entry.starts_with(['!', '-', '+', '@']) || entry.contains('+') || !entry.contains(['-', '_'])
}

fn cipher_suite_named(suites: &[SupportedCipherSuite], name: &str) -> Option<SupportedCipherSuite> {
    let rustls_name = OPENSSL_SUITE_NAMES
        .iter()
        .find(|(openssl, _)| openssl.eq_ignore_ascii_case(name))
        .map_or(name, |(_, rustls)| rustls);
    suites.iter().copied().find(|s| {
        let own = s.suite().as_str().unwrap_or("");
        own.eq_ignore_ascii_case(rustls_name)
            // TLS 1.3 suites are TLS_* in IANA's registry, TLS13_* in rustls.
            || own.strip_prefix("TLS13_").is_some_and(|rest| {
                name.strip_prefix("TLS_").is_some_and(|n| n.eq_ignore_ascii_case(rest))
            })
    })
}

fn supported_suite_names(suites: &[SupportedCipherSuite]) -> String {
    OPENSSL_SUITE_NAMES
        .iter()
        .filter(|(_, rustls)| suites.iter().any(|s| s.suite().as_str() == Some(*rustls)))
        .map(|(openssl, _)| *openssl)
        .collect::<Vec<_>>()
        .join(":")
}

fn kx_group_named(
    groups: &[&'static dyn SupportedKxGroup],
    name: &str,
) -> Option<&'static dyn SupportedKxGroup> {
    use rustls::NamedGroup;
    let wanted = match name.to_ascii_lowercase().as_str() {
        "x25519" => NamedGroup::X25519,
        "p-256" | "prime256v1" | "secp256r1" => NamedGroup::secp256r1,
        "p-384" | "secp384r1" => NamedGroup::secp384r1,
        "p-521" | "secp521r1" => NamedGroup::secp521r1,
        _ => return None,
    };
    groups.iter().copied().find(|g| g.name() == wanted)
}

/// `ssl.sigalgs.list` entries (OpenSSL's `ALG+HASH` form or the TLS
/// names) as rustls signature schemes.
fn signature_schemes(list: &str) -> Result<Vec<SignatureScheme>, String> {
    let mut schemes = Vec::new();
    for name in list_items(list) {
        let scheme = match name.to_ascii_lowercase().as_str() {
            "rsa+sha256" | "rsa_pkcs1_sha256" => SignatureScheme::RSA_PKCS1_SHA256,
            "rsa+sha384" | "rsa_pkcs1_sha384" => SignatureScheme::RSA_PKCS1_SHA384,
            "rsa+sha512" | "rsa_pkcs1_sha512" => SignatureScheme::RSA_PKCS1_SHA512,
            "rsa-pss+sha256" | "rsa_pss_rsae_sha256" => SignatureScheme::RSA_PSS_SHA256,
            "rsa-pss+sha384" | "rsa_pss_rsae_sha384" => SignatureScheme::RSA_PSS_SHA384,
            "rsa-pss+sha512" | "rsa_pss_rsae_sha512" => SignatureScheme::RSA_PSS_SHA512,
            "ecdsa+sha256" | "ecdsa_secp256r1_sha256" => SignatureScheme::ECDSA_NISTP256_SHA256,
            "ecdsa+sha384" | "ecdsa_secp384r1_sha384" => SignatureScheme::ECDSA_NISTP384_SHA384,
            "ecdsa+sha512" | "ecdsa_secp521r1_sha512" => SignatureScheme::ECDSA_NISTP521_SHA512,
            "ed25519" => SignatureScheme::ED25519,
            _ => {
                return Err(format!(
                    "ssl.sigalgs.list: unsupported signature algorithm \"{name}\" (supported: RSA+SHA256, RSA+SHA384, RSA+SHA512, RSA-PSS+SHA256, RSA-PSS+SHA384, RSA-PSS+SHA512, ECDSA+SHA256, ECDSA+SHA384, ECDSA+SHA512, ed25519)"
                ))
            }
        };
        schemes.push(scheme);
    }
    Ok(schemes)
}

/// The application's check and which broker it is asked about.
#[derive(Clone)]
struct AppCheck {
    hook: CertVerifyHook,
    broker_name: String,
    broker_id: i32,
}

/// How a broker's certificate is checked: WebPKI against the configured
/// trust anchors (and CRLs) unless verification is off, the host name
/// unless `ssl.endpoint.identification.algorithm=none`, then the
/// application's callback; handshake signatures with the schemes of
/// `ssl.sigalgs.list`.
#[derive(Clone)]
struct BrokerCertVerifier {
    /// `None` with `enable.ssl.certificate.verification=false`.
    webpki: Option<Arc<WebPkiServerVerifier>>,
    check_host_name: bool,
    algorithms: WebPkiSupportedAlgorithms,
    schemes: Vec<SignatureScheme>,
    app_check: Option<AppCheck>,
}

impl fmt::Debug for BrokerCertVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BrokerCertVerifier")
            .field("verify_chain", &self.webpki.is_some())
            .field("check_host_name", &self.check_host_name)
            .field("schemes", &self.schemes)
            .finish()
    }
}

impl BrokerCertVerifier {
    fn from_config(c: &Config, provider: &Arc<CryptoProvider>) -> Result<Self, String> {
        let algorithms = provider.signature_verification_algorithms;
        let offered = algorithms.supported_schemes();
        let schemes = match c.string("ssl.sigalgs.list") {
            Some(list) => signature_schemes(list)?
                .into_iter()
                .filter(|s| offered.contains(s))
                .collect(),
            None => offered,
        };
        let webpki = if c.boolean("enable.ssl.certificate.verification") {
            let roots = trust_anchors(c)?;
            let mut builder =
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone());
            if let Some(path) = c.string("ssl.crl.location") {
                let crls = read_crls(path)?;
                builder = builder.with_crls(crls).only_check_end_entity_revocation();
            }
            Some(
                builder
                    .build()
                    .map_err(|e| format!("cannot set up certificate verification: {e}"))?,
            )
        } else {
            None
        };
        Ok(BrokerCertVerifier {
            webpki,
            check_host_name: c.string("ssl.endpoint.identification.algorithm") == Some("https"),
            algorithms,
            schemes,
            app_check: None,
        })
    }

    /// WebPKI's verdict as an OpenSSL-style code (0: valid), and rustls's
    /// error to fail with if nothing overrides it.
    fn webpki_verdict(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<(), (i32, rustls::Error)> {
        let Some(webpki) = &self.webpki else {
            return Ok(());
        };
        match webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Ok(_) => Ok(()),
            // The chain is checked before the name, so a name mismatch
            // means everything else was fine.
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.check_host_name => Ok(()),
            Err(e) => Err((openssl_code(&e), e)),
        }
    }
}

fn openssl_code(e: &rustls::Error) -> i32 {
    match e {
        rustls::Error::InvalidCertificate(ce) => match ce {
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                X509_V_ERR_CERT_HAS_EXPIRED
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                X509_V_ERR_CERT_NOT_YET_VALID
            }
            CertificateError::Revoked => X509_V_ERR_CERT_REVOKED,
            CertificateError::UnknownIssuer => X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
            CertificateError::UnknownRevocationStatus
            | CertificateError::ExpiredRevocationList
            | CertificateError::ExpiredRevocationListContext { .. } => X509_V_ERR_UNABLE_TO_GET_CRL,
            CertificateError::BadSignature => X509_V_ERR_CERT_SIGNATURE_FAILURE,
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                X509_V_ERR_HOSTNAME_MISMATCH
            }
            CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
                X509_V_ERR_INVALID_PURPOSE
            }
            _ => X509_V_ERR_UNSPECIFIED,
        },
        _ => X509_V_ERR_UNSPECIFIED,
    }
}

impl ServerCertVerifier for BrokerCertVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self.webpki_verdict(end_entity, intermediates, server_name, ocsp, now);
        let Some(app) = &self.app_check else {
            return verdict
                .map(|()| ServerCertVerified::assertion())
                .map_err(|(_, e)| e);
        };
        // As OpenSSL calls it: from the top of the chain the broker sent
        // down to its own certificate, which carries the verdict.
        let (mut code, mut error) = match verdict {
            Ok(()) => (0, None),
            Err((code, e)) => (code, Some(e)),
        };
        let chain: Vec<&CertificateDer<'_>> =
            std::iter::once(end_entity).chain(intermediates).collect();
        for depth in (0..chain.len()).rev() {
            let mut x509_error = if depth == 0 { code } else { 0 };
            let before = x509_error;
            let cert = PeerCertificate {
                broker_name: &app.broker_name,
                broker_id: app.broker_id,
                depth: depth as i32,
                der: chain[depth].as_ref(),
            };
            if let Err(reason) = (app.hook)(&cert, &mut x509_error) {
                return Err(rustls::Error::General(format!(
                    "certificate verify failed: ssl.certificate.verify_cb rejected the certificate at depth {depth}: {reason}"
                )));
            }
            if depth == 0 && x509_error == 0 && before != 0 {
                // The application vouched for the certificate.
                code = 0;
                error = None;
            }
        }
        match error {
            None if code == 0 => Ok(ServerCertVerified::assertion()),
            Some(e) => Err(e),
            None => Err(rustls::Error::General(format!(
                "certificate verify failed (X509 error {code})"
            ))),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.check_scheme(dss.scheme)?;
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.check_scheme(dss.scheme)?;
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.schemes.clone()
    }
}

impl BrokerCertVerifier {
    fn check_scheme(&self, scheme: SignatureScheme) -> Result<(), rustls::Error> {
        if self.schemes.contains(&scheme) {
            Ok(())
        } else {
            Err(rustls::PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme.into())
        }
    }
}

/// The CA certificates brokers are checked against: `ssl.ca.location`
/// (a file, a directory, or `probe`), `ssl.ca.pem` and CA certificates
/// given in memory; the system's store when none is configured.
fn trust_anchors(c: &Config) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    let mut configured = false;
    let location = c.string("ssl.ca.location");
    if let Some(location) = location.filter(|l| *l != "probe") {
        configured = true;
        let path = Path::new(location);
        let certs = if path.is_dir() {
            read_ca_directory(path)?
        } else {
            read_pem_certificates("ssl.ca.location", path)?
        };
        add_roots(&mut roots, certs, "ssl.ca.location", location)?;
    }
    if let Some(pem) = c.string("ssl.ca.pem") {
        configured = true;
        let certs = pem_certificates(pem.as_bytes()).map_err(|e| format!("ssl.ca.pem: {e}"))?;
        add_roots(&mut roots, certs, "ssl.ca.pem", "the PEM string")?;
    }
    let in_memory = c.ssl_blobs(SslBlobKind::Ca);
    for blob in in_memory {
        configured = true;
        let certs = blob_certificates(blob, c.string("ssl.key.password"))?;
        add_roots(&mut roots, certs, "ssl_ca", "rd_kafka_conf_set_ssl_cert()")?;
    }
    if !configured || location == Some("probe") {
        let added = add_system_roots(&mut roots);
        if added == 0 && roots.is_empty() {
            return Err(
                "ssl.ca.location: no CA certificates found in the system trust store; set ssl.ca.location or ssl.ca.pem".into(),
            );
        }
    }
    Ok(roots)
}

/// Adds the system's CA certificates (as OpenSSL finds them, including its
/// `SSL_CERT_FILE` and `SSL_CERT_DIR` overrides); returns how many.
pub fn add_system_roots(roots: &mut RootCertStore) -> usize {
    let found = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(found.certs).0
}

fn add_roots(
    roots: &mut RootCertStore,
    certs: Vec<CertificateDer<'static>>,
    property: &str,
    origin: &str,
) -> Result<(), String> {
    for cert in certs {
        roots
            .add(cert)
            .map_err(|e| format!("{property}: {origin}: unusable CA certificate: {e}"))?;
    }
    Ok(())
}

/// Every certificate in the files of a directory (OpenSSL's hashed
/// directories, or any folder of PEM files); files without certificates
/// are skipped, but the directory must yield at least one.
fn read_ca_directory(dir: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "ssl.ca.location: cannot read directory {}: {e}",
            dir.display()
        )
    })?;
    let mut certs = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        if let Ok(bytes) = std::fs::read(&path) {
            certs.extend(pem_certificates(&bytes).unwrap_or_default());
        }
    }
    if certs.is_empty() {
        return Err(format!(
            "ssl.ca.location: no PEM certificate found in directory {}",
            dir.display()
        ));
    }
    Ok(certs)
}

fn read_file(property: &str, path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{property}: cannot read {}: {e}", path.display()))
}

/// The certificates of the PEM file `path`; errors name `property`.
pub fn read_pem_certificates(
    property: &str,
    path: &Path,
) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = read_file(property, path)?;
    pem_certificates(&bytes).map_err(|e| format!("{property}: {}: {e}", path.display()))
}

/// The certificates of a PEM document; at least one.
fn pem_certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("invalid PEM: {e}"))?;
    if certs.is_empty() {
        return Err("no PEM certificate found".into());
    }
    Ok(certs)
}

fn read_crls(path: &str) -> Result<Vec<CertificateRevocationListDer<'static>>, String> {
    let bytes = read_file("ssl.crl.location", Path::new(path))?;
    let crls = CertificateRevocationListDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("ssl.crl.location: {path}: invalid PEM: {e}"))?;
    if crls.is_empty() {
        // A DER-encoded CRL file.
        if bytes.first() == Some(&0x30) {
            return Ok(vec![CertificateRevocationListDer::from(bytes)]);
        }
        return Err(format!("ssl.crl.location: {path}: no CRL found"));
    }
    Ok(crls)
}

type Identity = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>);

/// The client's certificate chain and key, for brokers that require client
/// authentication: from a PKCS#12 keystore, files, PEM strings or memory.
fn client_identity(c: &Config) -> Result<Option<Identity>, String> {
    let password = c.string("ssl.key.password");
    let mut chain: Option<Vec<CertificateDer<'static>>> = None;
    let mut key: Option<PrivateKeyDer<'static>> = None;
    if let Some(path) = c.string("ssl.keystore.location") {
        let Some(keystore_password) = c.string("ssl.keystore.password") else {
            return Err(
                "`ssl.keystore.password` is mandatory when `ssl.keystore.location` is set".into(),
            );
        };
        let bytes = read_file("ssl.keystore.location", Path::new(path))?;
        let (certs, k) = pkcs12_identity(&bytes, keystore_password)
            .map_err(|e| format!("ssl.keystore.location: {path}: {e}"))?;
        chain = Some(certs);
        key = Some(k);
    }
    if let Some(path) = c.string("ssl.certificate.location") {
        chain = Some(read_pem_certificates(
            "ssl.certificate.location",
            Path::new(path),
        )?);
    }
    if let Some(pem) = c.string("ssl.certificate.pem") {
        chain = Some(
            pem_certificates(pem.as_bytes()).map_err(|e| format!("ssl.certificate.pem: {e}"))?,
        );
    }
    if let Some(path) = c.string("ssl.key.location") {
        let bytes = read_file("ssl.key.location", Path::new(path))?;
        key = Some(
            pem_private_key(&bytes, password)
                .map_err(|e| format!("ssl.key.location: {path}: {e}"))?,
        );
    }
    if let Some(pem) = c.string("ssl.key.pem") {
        key = Some(
            pem_private_key(pem.as_bytes(), password).map_err(|e| format!("ssl.key.pem: {e}"))?,
        );
    }
    for blob in c.ssl_blobs(SslBlobKind::Public) {
        chain = Some(blob_certificates(blob, password)?);
    }
    for blob in c.ssl_blobs(SslBlobKind::Private) {
        key = Some(blob_private_key(blob, password)?);
    }
    match (chain, key) {
        (Some(chain), Some(key)) => Ok(Some((chain, key))),
        (None, None) => Ok(None),
        (Some(_), None) => Err("ssl.certificate.location is set but no private key: set ssl.key.location (or ssl.key.pem)".into()),
        (None, Some(_)) => Err("ssl.key.location is set but no client certificate: set ssl.certificate.location (or ssl.certificate.pem)".into()),
    }
}

/// A server's certificate chain and key (the mock cluster's TLS).
pub struct ServerIdentity {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

/// Reads `test.mock.ssl.certificate.location` / `test.mock.ssl.key.location`.
pub fn server_identity(cert_path: &str, key_path: &str) -> Result<ServerIdentity, String> {
    let chain = read_pem_certificates("test.mock.ssl.certificate.location", Path::new(cert_path))?;
    let bytes = read_file("test.mock.ssl.key.location", Path::new(key_path))?;
    let key = pem_private_key(&bytes, None)
        .map_err(|e| format!("test.mock.ssl.key.location: {key_path}: {e}"))?;
    Ok(ServerIdentity { chain, key })
}

const ENCRYPTED_PKCS8_BEGIN: &str = "-----BEGIN ENCRYPTED PRIVATE KEY-----";

/// A private key from PEM: PKCS#8 (encrypted with `password` or not),
/// PKCS#1 RSA or SEC1 EC.
fn pem_private_key(pem: &[u8], password: Option<&str>) -> Result<PrivateKeyDer<'static>, String> {
    let text = String::from_utf8_lossy(pem);
    if let Some(start) = text.find(ENCRYPTED_PKCS8_BEGIN) {
        let (_label, der) = pkcs8::der::pem::decode_vec(text[start..].as_bytes())
            .map_err(|e| format!("invalid PEM: {e}"))?;
        return decrypt_pkcs8(&der, password);
    }
    if legacy_pem_key::is_legacy_encrypted(&text) {
        return legacy_pem_key::decrypt(&text, password);
    }
    match PrivateKeyDer::from_pem_slice(pem) {
        Ok(key) => Ok(key),
        Err(rustls::pki_types::pem::Error::NoItemsFound) => Err("no PEM private key found".into()),
        Err(e) => Err(format!("invalid PEM private key: {e}")),
    }
}

fn decrypt_pkcs8(der: &[u8], password: Option<&str>) -> Result<PrivateKeyDer<'static>, String> {
    let Some(password) = password else {
        return Err("the private key is encrypted: set ssl.key.password".into());
    };
    let info = pkcs8::EncryptedPrivateKeyInfo::try_from(der)
        .map_err(|e| format!("invalid encrypted PKCS#8 key: {e}"))?;
    let document = info.decrypt(password).map_err(|_| {
        "cannot decrypt the private key: wrong ssl.key.password or unsupported encryption"
            .to_string()
    })?;
    Ok(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        document.as_bytes().to_vec(),
    )))
}

/// The first key and its certificate chain in a PKCS#12 archive.
fn pkcs12_identity(bytes: &[u8], password: &str) -> Result<Identity, String> {
    let store = p12_keystore::KeyStore::from_pkcs12(bytes, password)
        .map_err(|e| format!("cannot read PKCS#12 (wrong password or corrupt file?): {e}"))?;
    let (_alias, entry) = store
        .private_key_chain()
        .ok_or("the PKCS#12 archive holds no private key")?;
    let chain: Vec<CertificateDer<'static>> = entry
        .chain()
        .iter()
        .map(|c| CertificateDer::from(c.as_der().to_vec()))
        .collect();
    if chain.is_empty() {
        return Err("the PKCS#12 archive holds no certificate for its key".into());
    }
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(entry.key().to_vec()));
    Ok((chain, key))
}

/// Certificates of a `rd_kafka_conf_set_ssl_cert()` buffer.
pub fn blob_certificates(
    blob: &SslBlob,
    password: Option<&str>,
) -> Result<Vec<CertificateDer<'static>>, String> {
    let what = blob.kind.property();
    match blob.encoding {
        SslBlobEncoding::Pem => pem_certificates(&blob.bytes).map_err(|e| format!("{what}: {e}")),
        SslBlobEncoding::Der => Ok(vec![CertificateDer::from(blob.bytes.clone())]),
        SslBlobEncoding::Pkcs12 => pkcs12_identity(&blob.bytes, password.unwrap_or(""))
            .map(|(chain, _)| chain)
            .map_err(|e| format!("{what}: {e}")),
    }
}

/// The private key of a `rd_kafka_conf_set_ssl_cert()` buffer.
pub fn blob_private_key(
    blob: &SslBlob,
    password: Option<&str>,
) -> Result<PrivateKeyDer<'static>, String> {
    let what = blob.kind.property();
    match blob.encoding {
        SslBlobEncoding::Pem => pem_private_key(&blob.bytes, password),
        SslBlobEncoding::Der => match PrivateKeyDer::try_from(blob.bytes.clone()) {
            Ok(key) => Ok(key),
            Err(_) if password.is_some() => decrypt_pkcs8(&blob.bytes, password),
            Err(e) => Err(format!("invalid DER private key: {e}")),
        },
        SslBlobEncoding::Pkcs12 => {
            pkcs12_identity(&blob.bytes, password.unwrap_or("")).map(|(_, key)| key)
        }
    }
    .map_err(|e| format!("{what}: {e}"))
}

/// Checks a `rd_kafka_conf_set_ssl_cert()` buffer when it is handed over,
/// as librdkafka does, so the application learns at once what is wrong.
pub fn check_blob(blob: &SslBlob, password: Option<&str>) -> Result<(), String> {
    match blob.kind {
        SslBlobKind::Private => blob_private_key(blob, password).map(drop),
        SslBlobKind::Public | SslBlobKind::Ca => blob_certificates(blob, password).map(drop),
    }
}

/// How a TLS failure reads in the error event: rustls's reason plus, for
/// the common causes, the setting to look at.
pub fn describe_failure(e: &rustls::Error) -> String {
    let hint = match e {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            ": broker certificate could not be verified, verify that ssl.ca.location is correctly configured or root CA certificates are installed"
        }
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => ": the broker's certificate does not name the host connected to (see ssl.endpoint.identification.algorithm)",
        rustls::Error::AlertReceived(rustls::AlertDescription::CertificateRequired)
        | rustls::Error::AlertReceived(rustls::AlertDescription::HandshakeFailure) => {
            ": client authentication might be required (see ssl.key.location and ssl.certificate.location and consult the broker logs for more information)"
        }
        rustls::Error::InvalidMessage(_) => {
            ": the peer does not speak TLS (connecting to a PLAINTEXT broker listener?)"
        }
        _ => "",
    };
    let kind = if matches!(e, rustls::Error::InvalidCertificate(_)) {
        "certificate verify failed: "
    } else {
        ""
    };
    format!("SSL handshake failed: {kind}{e}{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Config {
        let mut c = Config::new();
        c.set("security.protocol", "ssl").unwrap();
        for (k, v) in pairs {
            c.set(k, v).unwrap();
        }
        c
    }

    fn error_of(c: &Config) -> String {
        match TlsContext::from_config(c, None) {
            Ok(_) => panic!("accepted"),
            Err(e) => e,
        }
    }

    #[test]
    fn plaintext_needs_no_tls() {
        assert!(TlsContext::from_config(&Config::new(), None)
            .unwrap()
            .is_none());
    }

    #[test]
    fn cipher_suites_map_openssl_and_iana_names_and_name_the_unknown_one() {
        let c = config(&[
            ("enable.ssl.certificate.verification", "false"),
            (
                "ssl.cipher.suites",
                "ECDHE-RSA-AES128-GCM-SHA256:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            ),
        ]);
        let provider = provider_from(&c).unwrap();
        // The two named TLS 1.2 suites plus TLS 1.3's own.
        assert_eq!(provider.cipher_suites.len(), 5);
        let c = config(&[(
            "ssl.cipher.suites",
            "ECDHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA",
        )]);
        let e = error_of(&c);
        assert!(
            e.contains("ssl.cipher.suites") && e.contains("\"DES-CBC3-SHA\""),
            "{e}"
        );
    }

    #[test]
    fn openssl_cipher_string_keywords_and_operators_are_refused_by_name() {
        for (list, entry) in [
            ("HIGH:!aNULL", "HIGH"),
            ("ECDHE-RSA-AES128-GCM-SHA256:!aNULL", "!aNULL"),
            ("ECDHE+AESGCM", "ECDHE+AESGCM"),
            ("DEFAULT:@SECLEVEL=2", "DEFAULT"),
        ] {
            let e = error_of(&config(&[("ssl.cipher.suites", list)]));
            assert!(
                e.contains(&format!("\"{entry}\" is OpenSSL cipher-string syntax"))
                    && e.contains("ECDHE-RSA-AES128-GCM-SHA256"),
                "{list}: {e}"
            );
        }
        let e = error_of(&config(&[("ssl.cipher.suites", "AES128-SHA")]));
        assert!(e.contains("unsupported cipher suite \"AES128-SHA\""), "{e}");
    }

    #[test]
    fn curves_and_sigalgs_name_the_unsupported_entry() {
        let c = config(&[("ssl.curves.list", "X25519:brainpoolP256r1")]);
        let e = error_of(&c);
        assert!(
            e.contains("ssl.curves.list") && e.contains("\"brainpoolP256r1\""),
            "{e}"
        );
        let c = config(&[("ssl.sigalgs.list", "RSA+SHA256:DSA+SHA256")]);
        let e = error_of(&c);
        assert!(
            e.contains("ssl.sigalgs.list") && e.contains("\"DSA+SHA256\""),
            "{e}"
        );
        assert_eq!(
            signature_schemes("ECDSA+SHA256:rsa_pss_rsae_sha256").unwrap(),
            vec![
                SignatureScheme::ECDSA_NISTP256_SHA256,
                SignatureScheme::RSA_PSS_SHA256
            ]
        );
    }

    #[test]
    fn openssl_only_settings_are_refused_with_a_reason() {
        for (name, value) in [
            ("ssl.providers", "default"),
            ("ssl.engine.location", "/x.so"),
            ("ssl.engine.id", "pkcs11"),
        ] {
            let e = error_of(&config(&[(name, value)]));
            assert!(e.contains(name) && e.contains("OpenSSL"), "{e}");
        }
    }

    #[test]
    fn missing_and_garbage_files_name_the_property_and_file() {
        let e = error_of(&config(&[("ssl.ca.location", "/nonexistent/ca.pem")]));
        assert!(
            e.starts_with("ssl.ca.location: cannot read /nonexistent/ca.pem"),
            "{e}"
        );
        let dir = std::env::temp_dir().join(format!("ferrokafka-tls-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let garbage = dir.join("garbage.pem");
        std::fs::write(&garbage, b"this is not PEM\n").unwrap();
        let g = garbage.to_str().unwrap();
        let e = error_of(&config(&[("ssl.ca.location", g)]));
        assert!(
            e.contains("ssl.ca.location") && e.contains("no PEM certificate"),
            "{e}"
        );
        let e = error_of(&config(&[
            ("enable.ssl.certificate.verification", "false"),
            ("ssl.certificate.location", g),
            ("ssl.key.location", g),
        ]));
        assert!(
            e.contains("ssl.certificate.location") && e.contains(g),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_key_without_a_certificate_is_refused() {
        let e = error_of(&config(&[
            ("enable.ssl.certificate.verification", "false"),
            (
                "ssl.key.pem",
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            ),
        ]));
        assert!(e.contains("no client certificate"), "{e}");
    }

    #[test]
    fn legacy_encrypted_pem_keys_with_a_bad_iv_are_refused_clearly() {
        let pem = b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        let e = pem_private_key(pem, Some("x")).unwrap_err();
        assert!(e.contains("IV"), "{e}");
    }
}
