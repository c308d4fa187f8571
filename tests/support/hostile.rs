//! A hostile broker: a listener on 127.0.0.1 that hands every accepted
//! connection to a test's behaviour (answer with garbage, close at once,
//! answer some requests and then stop reading), for tests of how a client
//! survives a misbehaving peer. Also the few Kafka wire pieces such a
//! behaviour needs, written by hand so a test can break exactly one field.
//!
//! Every connection thread gets the server's stop flag and must return soon
//! after it is set (sockets get short read timeouts for that); dropping the
//! [`HostileBroker`] sets it and joins every thread.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a blocked read or accept waits before re-checking the stop flag.
const STOP_CHECK: Duration = Duration::from_millis(50);

/// What a connection thread is given: the accepted socket (blocking, with
/// a [`STOP_CHECK`] read timeout) and the flag that says the test is over.
pub struct HostileConn {
    pub stream: TcpStream,
    stop: Arc<AtomicBool>,
    /// This server's address, for Metadata answers that name it.
    pub addr: SocketAddr,
}

impl HostileConn {
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }

    /// Holds the connection open without reading until the test ends.
    pub fn stall(&self) {
        while !self.stopped() {
            std::thread::sleep(STOP_CHECK);
        }
    }

    /// Reads and discards whatever the client sends until it closes the
    /// connection or the test ends.
    pub fn drain_until_closed(&mut self) {
        let mut buf = [0u8; 4096];
        while !self.stopped() {
            match self.stream.read(&mut buf) {
                Ok(0) => return,
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::Interrupted
                    ) => {}
                Err(_) => return,
            }
        }
    }

    /// Reads one request frame; `None` once the client closed the
    /// connection or the test ended.
    pub fn read_request(&mut self) -> Option<KafkaRequest> {
        let mut size = [0u8; 4];
        self.read_exact(&mut size)?;
        let size = usize::try_from(i32::from_be_bytes(size)).ok()?;
        let mut frame = vec![0u8; size];
        self.read_exact(&mut frame)?;
        let field = |at: usize| {
            frame
                .get(at..at + 2)
                .map(|b| i16::from_be_bytes([b[0], b[1]]))
        };
        let (api_key, version) = (field(0)?, field(2)?);
        let correlation_id = i32::from_be_bytes(frame.get(4..8)?.try_into().ok()?);
        Some(KafkaRequest {
            api_key,
            version,
            correlation_id,
            frame,
        })
    }

    fn read_exact(&mut self, buf: &mut [u8]) -> Option<()> {
        let mut got = 0;
        while got < buf.len() {
            match self.stream.read(&mut buf[got..]) {
                Ok(0) => return None,
                Ok(n) => got += n,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    if self.stopped() {
                        return None;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        Some(())
    }

    /// Sends a response frame: size prefix, the v0 response header
    /// (correlation id) and `body`. Errors (the client left) are ignored:
    /// the next read notices.
    pub fn respond(&mut self, correlation_id: i32, body: &[u8]) {
        let mut frame = Vec::with_capacity(8 + body.len());
        frame.extend_from_slice(&((4 + body.len()) as i32).to_be_bytes());
        frame.extend_from_slice(&correlation_id.to_be_bytes());
        frame.extend_from_slice(body);
        let _ = self.stream.write_all(&frame);
    }

    /// Answers the requests every client starts with, if `request` is one:
    /// ApiVersions offering `apis` (see [`HostileConn::answer_api_versions`])
    /// and Metadata v0 naming this server as node 1, leader of the one
    /// partition of `topic`. Returns whether it answered.
    pub fn answer_handshake(
        &mut self,
        request: &KafkaRequest,
        apis: &[(i16, i16, i16)],
        topic: &str,
    ) -> bool {
        match request.api_key {
            api::API_VERSIONS => self.answer_api_versions(request, apis),
            api::METADATA => {
                let body = metadata_v0_body(self.addr, 1, topic, 1);
                self.respond(request.correlation_id, &body);
            }
            _ => return false,
        }
        true
    }

    /// Answers an ApiVersions request so that any client ends up speaking
    /// v0 of it, and learns `apis` (`(api_key, min, max)`): a newer request
    /// gets UNSUPPORTED_VERSION, after which clients retry with v0.
    pub fn answer_api_versions(&mut self, request: &KafkaRequest, apis: &[(i16, i16, i16)]) {
        const UNSUPPORTED_VERSION: i16 = 35;
        let mut body = Vec::new();
        if request.version > 0 {
            body.extend_from_slice(&UNSUPPORTED_VERSION.to_be_bytes());
            put_api_ranges(&mut body, &[(API_VERSIONS, 0, 0)]);
        } else {
            body.extend_from_slice(&0i16.to_be_bytes());
            put_api_ranges(&mut body, apis);
        }
        self.respond(request.correlation_id, &body);
    }
}

fn put_api_ranges(body: &mut Vec<u8>, apis: &[(i16, i16, i16)]) {
    body.extend_from_slice(&(apis.len() as i32).to_be_bytes());
    for &(key, min, max) in apis {
        for v in [key, min, max] {
            body.extend_from_slice(&v.to_be_bytes());
        }
    }
}

/// Kafka API keys a hostile behaviour answers or ignores.
pub mod api {
    pub const PRODUCE: i16 = 0;
    pub const FETCH: i16 = 1;
    pub const LIST_OFFSETS: i16 = 2;
    pub const METADATA: i16 = 3;
    pub const API_VERSIONS: i16 = 18;
}
use api::API_VERSIONS;

/// What a broker serving a consumer offers: Fetch v4 and ListOffsets v1.
/// Produce v3 is never used but offered: librdkafka fetches record batches
/// (v2) only from brokers that also take them.
pub const CONSUMER_APIS: [(i16, i16, i16); 5] = [
    (api::API_VERSIONS, 0, 0),
    (api::METADATA, 0, 0),
    (api::FETCH, 4, 4),
    (api::LIST_OFFSETS, 1, 1),
    (api::PRODUCE, 3, 3),
];

/// The Fetch request `request` is.
pub fn decode_fetch(request: &KafkaRequest) -> ferrokafka::protocol::messages::fetch::FetchRequest {
    use ferrokafka::protocol::{decode_request_header, Message, Reader};
    let mut reader = Reader::new(&request.frame);
    decode_request_header(&mut reader).expect("a Fetch request header");
    ferrokafka::protocol::messages::fetch::FetchRequest::decode(request.version, &mut reader)
        .expect("a Fetch request")
}

/// A request a hostile broker read: its header fields, and the whole
/// frame (header included) for behaviours that decode the body.
#[derive(Debug, Clone)]
pub struct KafkaRequest {
    pub api_key: i16,
    pub version: i16,
    pub correlation_id: i32,
    pub frame: Vec<u8>,
}

/// A Metadata v0 response body naming this server as broker `node_id` and
/// leader of every partition of `topic`.
pub fn metadata_v0_body(addr: SocketAddr, node_id: i32, topic: &str, partitions: i32) -> Vec<u8> {
    let mut body = Vec::new();
    let put_str = |body: &mut Vec<u8>, s: &str| {
        body.extend_from_slice(&(s.len() as i16).to_be_bytes());
        body.extend_from_slice(s.as_bytes());
    };
    body.extend_from_slice(&1i32.to_be_bytes());
    body.extend_from_slice(&node_id.to_be_bytes());
    put_str(&mut body, &addr.ip().to_string());
    body.extend_from_slice(&i32::from(addr.port()).to_be_bytes());
    body.extend_from_slice(&1i32.to_be_bytes());
    body.extend_from_slice(&0i16.to_be_bytes());
    put_str(&mut body, topic);
    body.extend_from_slice(&partitions.to_be_bytes());
    for p in 0..partitions {
        body.extend_from_slice(&0i16.to_be_bytes());
        body.extend_from_slice(&p.to_be_bytes());
        body.extend_from_slice(&node_id.to_be_bytes());
        // replicas and isr: just the leader
        for _ in 0..2 {
            body.extend_from_slice(&1i32.to_be_bytes());
            body.extend_from_slice(&node_id.to_be_bytes());
        }
    }
    body
}

pub struct HostileBroker {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    threads: Arc<Mutex<Vec<JoinHandle<()>>>>,
    acceptor: Option<JoinHandle<()>>,
}

impl HostileBroker {
    /// Listens on an ephemeral 127.0.0.1 port; `behaviour` runs on its own
    /// thread for every connection accepted.
    pub fn start<F>(behaviour: F) -> HostileBroker
    where
        F: Fn(HostileConn) + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("listener address");
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let threads = Arc::new(Mutex::new(Vec::new()));
        let behaviour = Arc::new(behaviour);
        let acceptor = {
            let (connections, stop, threads) = (connections.clone(), stop.clone(), threads.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Acquire) {
                    let stream = match listener.accept() {
                        Ok((stream, _)) => stream,
                        Err(_) => {
                            std::thread::sleep(Duration::from_millis(5));
                            continue;
                        }
                    };
                    connections.fetch_add(1, Ordering::AcqRel);
                    let _ = stream.set_nonblocking(false);
                    let _ = stream.set_read_timeout(Some(STOP_CHECK));
                    let _ = stream.set_nodelay(true);
                    let conn = HostileConn {
                        stream,
                        stop: stop.clone(),
                        addr,
                    };
                    let behaviour = behaviour.clone();
                    let thread = std::thread::spawn(move || behaviour(conn));
                    threads.lock().unwrap().push(thread);
                }
            })
        };
        HostileBroker {
            addr,
            connections,
            stop,
            threads,
            acceptor: Some(acceptor),
        }
    }

    pub fn bootstrap(&self) -> String {
        self.addr.to_string()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::Acquire)
    }
}

impl Drop for HostileBroker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        for thread in std::mem::take(&mut *self.threads.lock().unwrap()) {
            let _ = thread.join();
        }
    }
}
