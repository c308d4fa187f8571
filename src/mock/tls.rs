//! TLS for the mock cluster's listeners (`test.mock.ssl.certificate.location`
//! and `test.mock.ssl.key.location`, and `test.mock.ssl.ca.location` to
//! require client certificates): a rustls server session per connection,
//! shared by the connection's reader and writer threads.
//!
//! The session sits behind a mutex; socket reads happen outside it (the
//! reader blocks there), and every holder of the lock writes out the
//! records the session has made before letting go, so records from the
//! two threads never interleave on the socket.

use crate::client::tls::{read_pem_certificates, server_identity, ServerIdentity};
use parking_lot::Mutex;
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig, ServerConnection};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;

/// The server side of the mock's TLS, built once per cluster. With
/// `client_ca_path` (`test.mock.ssl.ca.location`) every client must present
/// a certificate chaining to a CA in that PEM file (mutual TLS).
pub fn server_config(
    cert_path: &str,
    key_path: &str,
    client_ca_path: Option<&str>,
) -> Result<Arc<ServerConfig>, String> {
    let ServerIdentity { chain, key } = server_identity(cert_path, key_path)?;
    // ring, as for clients (see client/tls.rs).
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .map_err(|e| format!("mock TLS: {e}"))?;
    let builder = match client_ca_path {
        None => builder.with_no_client_auth(),
        Some(path) => {
            let mut roots = RootCertStore::empty();
            for cert in read_pem_certificates("test.mock.ssl.ca.location", Path::new(path))? {
                roots.add(cert).map_err(|e| {
                    format!("test.mock.ssl.ca.location: {path}: unusable CA certificate: {e}")
                })?;
            }
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| format!("test.mock.ssl.ca.location: {path}: {e}"))?;
            builder.with_client_cert_verifier(verifier)
        }
    };
    let config = builder.with_single_cert(chain, key).map_err(|e| {
        format!("test.mock.ssl.key.location: the key does not fit the certificate: {e}")
    })?;
    Ok(Arc::new(config))
}

/// One connection's session and socket.
struct Session {
    tls: Mutex<ServerConnection>,
    socket: TcpStream,
}

impl Session {
    /// Sends what the session has queued (handshake messages, alerts,
    /// records). Called with the lock held.
    fn send_records(&self, tls: &mut ServerConnection) -> io::Result<()> {
        while tls.wants_write() {
            tls.write_tls(&mut NoSigpipe(&self.socket))?;
        }
        Ok(())
    }
}

/// The socket for rustls's writes without `writev(2)`: a TcpStream's
/// vectored write raises SIGPIPE when the client has gone, which kills a C
/// program hosting the mock; its plain write (`send` with MSG_NOSIGNAL)
/// returns EPIPE instead.
struct NoSigpipe<'a>(&'a TcpStream);

impl Write for NoSigpipe<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self.0).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The reading half: decrypted request bytes.
pub struct TlsReader {
    session: Arc<Session>,
    /// Raw bytes read from the socket that the session has not taken yet.
    pending: Vec<u8>,
}

/// The writing half: responses, encrypted.
pub struct TlsWriter {
    session: Arc<Session>,
}

/// Wraps an accepted socket in a TLS server session.
pub fn accept(config: &Arc<ServerConfig>, socket: TcpStream) -> io::Result<(TlsReader, TlsWriter)> {
    let tls = ServerConnection::new(config.clone()).map_err(io::Error::other)?;
    let session = Arc::new(Session {
        tls: Mutex::new(tls),
        socket,
    });
    Ok((
        TlsReader {
            session: session.clone(),
            pending: Vec::new(),
        },
        TlsWriter { session },
    ))
}

impl Read for TlsReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut raw = [0u8; 16 * 1024];
        loop {
            {
                let mut tls = self.session.tls.lock();
                match tls.reader().read(out) {
                    Ok(n) => return Ok(n),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(0),
                    Err(e) => return Err(e),
                }
                if !self.pending.is_empty() {
                    let taken = tls.read_tls(&mut &self.pending[..])?;
                    self.pending.drain(..taken);
                    let processed = tls.process_new_packets();
                    // The alert for a failed handshake goes out too.
                    self.session.send_records(&mut tls)?;
                    processed.map_err(io::Error::other)?;
                    continue;
                }
            }
            let n = (&self.session.socket).read(&mut raw)?;
            if n == 0 {
                return Ok(0);
            }
            self.pending.extend_from_slice(&raw[..n]);
        }
    }
}

impl Write for TlsWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut tls = self.session.tls.lock();
        let n = tls.writer().write(buf)?;
        self.session.send_records(&mut tls)?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        let mut tls = self.session.tls.lock();
        self.session.send_records(&mut tls)
    }
}
