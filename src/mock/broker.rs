//! One mock broker's sockets: a listener thread that accepts connections
//! (and closes its listening socket while the broker is down), and per
//! connection a reader thread that runs requests through the handlers in
//! order plus a writer thread that sends each response once the broker's
//! round-trip time has passed since its request arrived.
//!
//! A throttled broker (`set_throttle`) answers as Kafka 2.0+ does
//! (KIP-219, `ThrottledChannel`): every response carries the throttle time
//! and is sent at once, then the connection is muted, nothing more read
//! from it, until that time has passed. Kafka mutes whatever the request's
//! version; only the client's reaction depends on it (a client that knows
//! KIP-219 waits by itself, an older one finds its next request unread).

use super::handlers::{self, Outcome};
use super::state::Shared;
use bytes::Bytes;
use crossbeam_channel::{Receiver, Sender};
use parking_lot::Mutex;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Larger frames are refused (the connection is closed) before reading them.
pub(crate) const MAX_FRAME: usize = 100 * 1024 * 1024;
/// Bytes reserved for a frame before any of it has arrived.
const FRAME_PREALLOC_MAX: usize = 64 * 1024;

/// How often idle threads look at the shutdown and up/down flags.
const TICK: Duration = Duration::from_millis(50);

/// How long `set_down`/`set_up` wait for the listener to follow.
const STATE_CHANGE_TIMEOUT: Duration = Duration::from_secs(2);

struct Conn {
    stream: TcpStream,
    thread: JoinHandle<()>,
}

/// A broker's identity and fault settings, shared with its threads.
pub struct BrokerShared {
    pub id: i32,
    pub port: u16,
    pub rack: Mutex<Option<String>>,
    up: AtomicBool,
    listening: AtomicBool,
    rtt_ms: AtomicU64,
    throttle_ms: AtomicU64,
    conns: Mutex<Vec<Conn>>,
    /// Set when the listener speaks TLS.
    tls: Option<Arc<rustls::ServerConfig>>,
}

impl BrokerShared {
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Acquire)
    }

    pub fn rtt(&self) -> Duration {
        Duration::from_millis(self.rtt_ms.load(Ordering::Relaxed))
    }

    pub fn set_rtt(&self, rtt: Duration) {
        let ms = u64::try_from(rtt.as_millis()).unwrap_or(u64::MAX);
        self.rtt_ms.store(ms, Ordering::Relaxed);
    }

    /// How long each response's connection stays muted, the
    /// `throttle_time_ms` its responses carry (zero: not throttled).
    pub fn throttle(&self) -> Duration {
        Duration::from_millis(self.throttle_ms.load(Ordering::Relaxed))
    }

    pub fn set_throttle(&self, throttle: Duration) {
        let ms = u64::try_from(throttle.as_millis()).unwrap_or(u64::MAX);
        self.throttle_ms.store(ms, Ordering::Relaxed);
    }

    /// Closes every connection; their threads notice and exit.
    fn close_connections(&self) {
        for c in self.conns.lock().iter() {
            let _ = c.stream.shutdown(Shutdown::Both);
        }
    }

    fn wait_listening(&self, want: bool) {
        let deadline = Instant::now() + STATE_CHANGE_TIMEOUT;
        while self.listening.load(Ordering::Acquire) != want && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Takes the broker down: no listener, no connections, until `set_up`.
    pub fn set_down(&self) {
        self.up.store(false, Ordering::Release);
        self.close_connections();
        self.wait_listening(false);
    }

    pub fn set_up(&self) {
        self.up.store(true, Ordering::Release);
        self.wait_listening(true);
    }
}

/// A bound broker whose threads have not started yet.
pub struct Bound {
    pub shared: Arc<BrokerShared>,
    listener: TcpListener,
}

/// Binds broker `id` to an ephemeral port on 127.0.0.1.
pub fn bind(id: i32, tls: Option<Arc<rustls::ServerConfig>>) -> io::Result<Bound> {
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    let port = listener.local_addr()?.port();
    Ok(Bound {
        shared: Arc::new(BrokerShared {
            id,
            port,
            rack: Mutex::new(None),
            up: AtomicBool::new(true),
            listening: AtomicBool::new(true),
            rtt_ms: AtomicU64::new(0),
            throttle_ms: AtomicU64::new(0),
            conns: Mutex::new(Vec::new()),
            tls,
        }),
        listener,
    })
}

/// Starts the broker's listener thread. The thread holds the cluster only
/// weakly, so dropping the cluster is never blocked by its own threads.
pub fn start(bound: Bound, cluster: &Arc<Shared>) -> io::Result<JoinHandle<()>> {
    let weak = Arc::downgrade(cluster);
    let broker = bound.shared.clone();
    let listener = bound.listener;
    listener.set_nonblocking(true)?;
    std::thread::Builder::new()
        .name(format!("mock:broker{}", broker.id))
        .spawn(move || listen(weak, broker, listener))
}

fn listen(cluster: Weak<Shared>, broker: Arc<BrokerShared>, first: TcpListener) {
    let mut listener = Some(first);
    loop {
        let Some(shared) = cluster.upgrade() else {
            break;
        };
        if shared.is_shut_down() {
            break;
        }
        if !broker.is_up() {
            listener = None;
            broker.listening.store(false, Ordering::Release);
            drop(shared);
            std::thread::sleep(TICK);
            continue;
        }
        let l = match listener.take() {
            Some(l) => l,
            None => match rebind(broker.port) {
                Ok(l) => l,
                Err(_) => {
                    drop(shared);
                    std::thread::sleep(TICK);
                    continue;
                }
            },
        };
        broker.listening.store(true, Ordering::Release);
        if wait_readable(&l, TICK) {
            while let Ok((stream, _)) = l.accept() {
                if broker.is_up() {
                    spawn_connection(&shared, &broker, stream);
                }
            }
        }
        listener = Some(l);
        broker.conns.lock().retain(|c| !c.thread.is_finished());
    }
    drop(listener);
    broker.listening.store(false, Ordering::Release);
    broker.close_connections();
    let conns = std::mem::take(&mut *broker.conns.lock());
    for c in conns {
        let _ = c.thread.join();
    }
}

fn rebind(port: u16) -> io::Result<TcpListener> {
    let l = TcpListener::bind(("127.0.0.1", port))?;
    l.set_nonblocking(true)?;
    Ok(l)
}

/// Waits up to `timeout` for a connection to accept.
fn wait_readable(l: &TcpListener, timeout: Duration) -> bool {
    let mut pfd = libc::pollfd {
        fd: l.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
    // SAFETY: one valid pollfd for the duration of the call.
    unsafe { libc::poll(&mut pfd, 1, ms) > 0 }
}

fn spawn_connection(shared: &Arc<Shared>, broker: &Arc<BrokerShared>, stream: TcpStream) {
    let Ok(registry_copy) = stream.try_clone() else {
        return;
    };
    if stream.set_nonblocking(false).is_err() {
        return;
    }
    let _ = stream.set_nodelay(true);
    let shared = shared.clone();
    let b = broker.clone();
    let thread = std::thread::Builder::new()
        .name(format!("mock:conn{}", broker.id))
        .spawn(move || serve(shared, b, stream));
    if let Ok(thread) = thread {
        broker.conns.lock().push(Conn {
            stream: registry_copy,
            thread,
        });
    }
}

/// Reads one frame; `None` at end of stream, on errors, and for frames
/// announcing a negative or oversized length.
/// Reads one request frame. The buffer grows with the bytes that actually
/// arrive: a client stating a 100 MB frame in four bytes and sending nothing
/// more costs nothing.
fn read_frame<R: Read + ?Sized>(stream: &mut R) -> Option<Bytes> {
    let mut size = [0u8; 4];
    stream.read_exact(&mut size).ok()?;
    let size = usize::try_from(i32::from_be_bytes(size)).ok()?;
    if size > MAX_FRAME {
        return None;
    }
    let mut body = Vec::with_capacity(size.min(FRAME_PREALLOC_MAX));
    (&mut *stream)
        .take(size as u64)
        .read_to_end(&mut body)
        .ok()?;
    (body.len() == size).then(|| Bytes::from(body))
}

fn serve(shared: Arc<Shared>, broker: Arc<BrokerShared>, stream: TcpStream) {
    // The writer's own handle on the socket, to shut it when a write fails.
    let (Ok(write_half), Ok(closer), Ok(writer_closer)) =
        (stream.try_clone(), stream.try_clone(), stream.try_clone())
    else {
        return;
    };
    let client_host = stream
        .peer_addr()
        .map(|a| format!("/{}", a.ip()))
        .unwrap_or_default();
    let (mut reader, writer): (Box<dyn Read + Send>, Box<dyn Write + Send>) = match &broker.tls {
        None => (Box::new(stream), Box::new(write_half)),
        Some(config) => match super::tls::accept(config, stream) {
            Ok((r, w)) => (Box::new(r), Box::new(w)),
            Err(_) => return,
        },
    };
    let (tx, rx) = crossbeam_channel::unbounded();
    let writer_shared = shared.clone();
    let writer = std::thread::Builder::new()
        .name(format!("mock:write{}", broker.id))
        .spawn(move || write_responses(writer_shared, writer, writer_closer, rx));
    let Ok(writer) = writer else {
        return;
    };
    serve_requests(&shared, &broker, &mut reader, &client_host, &tx);
    drop(tx);
    let _ = writer.join();
    let _ = closer.shutdown(Shutdown::Both);
}

fn serve_requests(
    shared: &Shared,
    broker: &BrokerShared,
    stream: &mut dyn Read,
    client_host: &str,
    tx: &Sender<(Instant, Bytes, bool)>,
) {
    let mut auth = super::sasl::ConnAuth::default();
    while let Some(frame) = read_frame(stream) {
        let arrived = Instant::now();
        if shared.is_shut_down() || !broker.is_up() {
            return;
        }
        // Read once: the response says what the mute then enforces.
        let throttle = broker.throttle();
        // Handlers never panic by design; this is the last line of defence
        // so a bug closes one connection instead of killing the broker.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            handlers::handle(shared, broker, &mut auth, client_host, &frame, throttle)
        }));
        match outcome {
            Ok(Outcome::Respond { frame, delay, cut }) => {
                let due = arrived + broker.rtt() + delay;
                if tx.send((due, frame.freeze(), cut)).is_err() || cut {
                    // After a cut response nothing more is read: the
                    // writer closes the connection.
                    return;
                }
            }
            Ok(Outcome::Silent) => {}
            Ok(Outcome::Close) | Err(_) => return,
        }
        if !throttle.is_zero() && !stay_muted(shared, broker, Instant::now() + throttle) {
            return;
        }
    }
}

/// Waits out a throttled connection's mute; false when the broker went
/// down or the cluster shut down meanwhile.
fn stay_muted(shared: &Shared, broker: &BrokerShared, until: Instant) -> bool {
    loop {
        if shared.is_shut_down() || !broker.is_up() {
            return false;
        }
        let now = Instant::now();
        if now >= until {
            return true;
        }
        std::thread::sleep((until - now).min(TICK));
    }
}

fn write_responses(
    shared: Arc<Shared>,
    mut stream: Box<dyn Write + Send>,
    closer: TcpStream,
    rx: Receiver<(Instant, Bytes, bool)>,
) {
    for (due, frame, cut) in rx {
        loop {
            let now = Instant::now();
            if now >= due || shared.is_shut_down() {
                break;
            }
            std::thread::sleep((due - now).min(TICK));
        }
        let sent = if cut {
            &frame[..frame.len() / 2]
        } else {
            &frame[..]
        };
        if stream
            .write_all(sent)
            .and_then(|()| stream.flush())
            .is_err()
            || cut
        {
            let _ = closer.shutdown(Shutdown::Both);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stated_frame_size_is_not_allocated_before_its_bytes_arrive() {
        // 100 MB stated, 1 KB sent, then the client goes away.
        let mut sent = (MAX_FRAME as i32).to_be_bytes().to_vec();
        sent.extend_from_slice(&[0u8; 1024]);
        let (frame, largest) =
            crate::test_alloc::largest_allocation_in(|| read_frame(&mut &sent[..]));
        assert_eq!(frame, None);
        assert!(largest < 1 << 20, "allocated {largest} bytes");
    }

    #[test]
    fn complete_frames_are_read_one_after_another() {
        let mut sent = Vec::new();
        for body in [&b"first"[..], &[7u8; 100_000][..], b""] {
            sent.extend_from_slice(&(body.len() as i32).to_be_bytes());
            sent.extend_from_slice(body);
        }
        let mut stream = &sent[..];
        assert_eq!(read_frame(&mut stream).as_deref(), Some(&b"first"[..]));
        assert_eq!(
            read_frame(&mut stream).as_deref(),
            Some(&[7u8; 100_000][..])
        );
        assert_eq!(read_frame(&mut stream).as_deref(), Some(&b""[..]));
        assert_eq!(read_frame(&mut stream), None);
    }
}
