//! One TCP connection to a broker, driven by its broker thread, with TLS
//! on top when `security.protocol` asks for it.
//!
//! The socket is created and connected with socket2 and then used in
//! non-blocking mode under `poll(2)`: the one thread that owns a broker can
//! then wait for a response, for room to write, and for its wake-up pipe at
//! once, and a slow broker can never block it (or `rd_kafka_destroy()`).
//!
//! With TLS, a rustls session sits between the send stream / receive
//! buffer and the socket: [`Connection::flush`] encrypts and writes (the
//! handshake included), [`Connection::fill`] reads and decrypts, and
//! [`Connection::wants_write`] / [`Connection::has_buffered_input`] tell
//! the poll loop about records and plaintext that `poll(2)` cannot see.
//! The broker thread does not know whether TLS is in use.

use crate::protocol::error::DecodeError;
use crate::protocol::frame::try_split_frame;
use bytes::{Buf, Bytes, BytesMut};
use rustls::ClientConnection;
use socket2::{Domain, Protocol, SockAddr, Socket, Type};
use std::collections::VecDeque;
use std::io::{self, IoSlice, Read, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::os::fd::AsRawFd;

/// Reads are done in chunks of at least this much spare buffer capacity.
const READ_CHUNK: usize = 64 * 1024;

/// A send to a broker that has gone returns EPIPE instead of raising
/// SIGPIPE, whose default action would kill the application (librdkafka
/// sends with MSG_NOSIGNAL too).
const SEND_FLAGS: libc::c_int = libc::MSG_NOSIGNAL;

/// Most buffers handed to one `writev(2)`.
const MAX_IOVECS: usize = 64;

pub struct Connection {
    socket: Socket,
    /// The TLS session, when the connection uses TLS (boxed: it is large
    /// and most connections are plaintext).
    tls: Option<Box<ClientConnection>>,
    read_buf: BytesMut,
    send: SendStream,
    max_frame: usize,
    /// Whether the broker ever sent anything (for the reason of a failure).
    received_any: bool,
    pub peer: SocketAddr,
}

/// The bytes waiting to be sent, and how far the sending has got.
struct SendStream {
    /// Complete pieces of the send stream, sent before `write_buf`: shared
    /// buffers (produce record batches) queued without copying, and the
    /// encoded bytes that preceded them.
    out: VecDeque<Bytes>,
    write_buf: BytesMut,
    /// Bytes ever queued for sending / ever written to the socket (with
    /// TLS: ever handed to the TLS session).
    queued_total: u64,
    written_total: u64,
    /// Where each request not yet completely written ends in the send
    /// stream (a `queued_total` value), oldest first.
    unsent_ends: VecDeque<u64>,
}

impl SendStream {
    fn is_empty(&self) -> bool {
        self.out.is_empty() && self.write_buf.is_empty()
    }

    /// The next pieces to send, for one vectored write.
    fn gather<'a>(&'a self, iov: &mut [IoSlice<'a>; MAX_IOVECS]) -> usize {
        let mut n = 0;
        for b in self.out.iter().take(MAX_IOVECS) {
            iov[n] = IoSlice::new(b);
            n += 1;
        }
        if n < MAX_IOVECS && !self.write_buf.is_empty() {
            iov[n] = IoSlice::new(&self.write_buf);
            n += 1;
        }
        n
    }

    /// Drops the first `n` bytes, which were just written.
    fn consume(&mut self, mut n: usize) {
        self.written_total += n as u64;
        while self
            .unsent_ends
            .front()
            .is_some_and(|&end| end <= self.written_total)
        {
            self.unsent_ends.pop_front();
        }
        while n > 0 {
            match self.out.front_mut() {
                Some(front) if front.len() <= n => {
                    n -= front.len();
                    self.out.pop_front();
                }
                Some(front) => {
                    front.advance(n);
                    n = 0;
                }
                None => {
                    self.write_buf.advance(n);
                    n = 0;
                }
            }
        }
    }
}

/// A TLS failure (handshake, certificate, alert, corrupt record), carried
/// inside an `io::Error` so the broker thread can report it as `_SSL`.
#[derive(Debug)]
pub struct TlsFailure(pub String);

impl std::fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TlsFailure {}

/// Whether a connection error came from TLS rather than the transport.
pub fn is_tls_failure(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<TlsFailure>())
}

/// The read buffer's contents, as [`Connection::scan_frames`] finds them.
struct BufferedFrames {
    /// Bytes of complete frames (size prefixes included) at the front.
    complete: usize,
    /// Bytes still to be received for the incomplete frame after them (0
    /// when there is none, or its size prefix is not in yet or invalid).
    missing: usize,
}

/// Resolves `host:port` (blocking DNS; IPv4 preferred as librdkafka's default).
pub fn resolve(host: &str, port: u16) -> io::Result<SocketAddr> {
    let addrs: Vec<SocketAddr> = (host, port).to_socket_addrs()?.collect();
    addrs
        .iter()
        .find(|a| a.is_ipv4())
        .or_else(|| addrs.first())
        .copied()
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("{host}: no address")))
}

impl Connection {
    /// Starts a non-blocking connect; completion is signalled by POLLOUT,
    /// then checked with [`Connection::finish_connect`]. With `tls`, the
    /// handshake starts with the first [`Connection::flush`] after that.
    pub fn start(
        peer: SocketAddr,
        max_frame: usize,
        tls: Option<ClientConnection>,
    ) -> io::Result<Connection> {
        let socket = Socket::new(Domain::for_address(peer), Type::STREAM, Some(Protocol::TCP))?;
        socket.set_nonblocking(true)?;
        socket.set_nodelay(true)?;
        socket.set_keepalive(true)?;
        match socket.connect(&SockAddr::from(peer)) {
            Ok(()) => {}
            Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
        Ok(Connection {
            socket,
            tls: tls.map(Box::new),
            read_buf: BytesMut::with_capacity(READ_CHUNK),
            send: SendStream {
                out: VecDeque::new(),
                write_buf: BytesMut::new(),
                queued_total: 0,
                written_total: 0,
                unsent_ends: VecDeque::new(),
            },
            max_frame,
            received_any: false,
            peer,
        })
    }

    /// After POLLOUT on a connecting socket: `Ok(())` if the connect succeeded.
    pub fn finish_connect(&self) -> io::Result<()> {
        match self.socket.take_error()? {
            Some(e) => Err(e),
            None => self.socket.peer_addr().map(|_| ()),
        }
    }

    pub fn fd(&self) -> i32 {
        self.socket.as_raw_fd()
    }

    pub fn write_buffer(&mut self) -> &mut BytesMut {
        &mut self.send.write_buf
    }

    /// Inserts `chunks` into the send stream at their offsets in the send
    /// buffer (offsets ascending, as [`Message::encode_chunked`] lists them).
    ///
    /// [`Message::encode_chunked`]: crate::protocol::Message::encode_chunked
    pub fn insert_chunks(&mut self, chunks: Vec<(usize, Bytes)>) {
        let mut taken = 0;
        for (offset, bytes) in chunks {
            let head = self.send.write_buf.split_to(offset - taken).freeze();
            taken = offset;
            if !head.is_empty() {
                self.send.out.push_back(head);
            }
            if !bytes.is_empty() {
                self.send.out.push_back(bytes);
            }
        }
    }

    /// Records that a request of `len` bytes (size prefix and inserted
    /// chunks included) was just queued.
    pub fn end_request(&mut self, len: usize) {
        self.send.queued_total += len as u64;
        self.send.unsent_ends.push_back(self.send.queued_total);
    }

    /// Requests not yet completely handed to the socket.
    pub fn unsent_requests(&self) -> usize {
        self.send.unsent_ends.len()
    }

    /// Whether there is anything to write: requests, or TLS records
    /// (handshake messages included).
    pub fn wants_write(&self) -> bool {
        !self.send.is_empty() || self.tls.as_ref().is_some_and(|tls| tls.wants_write())
    }

    /// Whether a TLS handshake is still under way (the connection setup
    /// timeout applies to it).
    pub fn tls_handshaking(&self) -> bool {
        self.tls.as_ref().is_some_and(|tls| tls.is_handshaking())
    }

    /// Whether decrypted bytes wait inside the TLS session: `poll(2)`
    /// cannot see them, so the broker thread must read before sleeping.
    pub fn has_buffered_input(&mut self) -> bool {
        match self.tls.as_deref_mut() {
            None => false,
            // An error is also something to read: `fill` reports it.
            Some(tls) => tls
                .process_new_packets()
                .map_or(true, |state| state.plaintext_bytes_to_read() > 0),
        }
    }

    /// Writes as much of the send stream as the socket takes now, several
    /// buffers per `writev(2)`.
    pub fn flush(&mut self) -> io::Result<()> {
        if self.tls.is_some() {
            return self.flush_tls();
        }
        while !self.send.is_empty() {
            let written = {
                let mut iov: [IoSlice<'_>; MAX_IOVECS] = [IoSlice::new(&[]); MAX_IOVECS];
                let n = self.send.gather(&mut iov);
                self.socket.send_vectored_with_flags(&iov[..n], SEND_FLAGS)
            };
            match written {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => self.send.consume(n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The TLS flush: hands the send stream to the session as far as its
    /// buffer takes it, and writes the records it makes, until the socket
    /// is full or nothing is left.
    fn flush_tls(&mut self) -> io::Result<()> {
        let Some(tls) = self.tls.as_deref_mut() else {
            return Ok(());
        };
        loop {
            while !self.send.is_empty() {
                let accepted = {
                    let mut iov: [IoSlice<'_>; MAX_IOVECS] = [IoSlice::new(&[]); MAX_IOVECS];
                    let n = self.send.gather(&mut iov);
                    tls.writer().write_vectored(&iov[..n])?
                };
                if accepted == 0 {
                    // The session's buffer is full until records go out.
                    break;
                }
                self.send.consume(accepted);
            }
            if !tls.wants_write() {
                return Ok(());
            }
            match tls.write_tls(&mut SocketIo(&self.socket)) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads everything available now. Err on EOF or socket error.
    pub fn fill(&mut self) -> io::Result<()> {
        loop {
            // Room for the rest of the frame being received once its size
            // prefix is in: a large fetch response lands in one allocation
            // of about its size (as librdkafka reads it) instead of growing
            // 64 KiB at a time, each time copying what it has so far when
            // earlier frames still share the buffer.
            let spare = self.read_buf.capacity() - self.read_buf.len();
            let buffered = self.scan_frames();
            // Grow only when the frame being received does not fit, or
            // when no frame size is known and little room is left. A frame
            // whose rest fits in the spare room must be read in place:
            // growing would copy it, and a 100 MB fetch response short of
            // its last 8 KB was held twice.
            let grow_by = if buffered.missing > spare {
                buffered.missing
            } else if buffered.missing == 0 && spare < READ_CHUNK / 4 {
                READ_CHUNK
            } else {
                0
            };
            if grow_by > 0 {
                if buffered.complete > 0 {
                    // Growing now would copy the complete frames into the
                    // new buffer. The caller splits them off first; poll(2)
                    // reports the unread data again (and
                    // `has_buffered_input` what TLS holds).
                    return Ok(());
                }
                self.make_room(grow_by);
            }
            let spare = self.read_buf.spare_capacity_mut();
            // SAFETY: `read` only writes initialized bytes into the slice; we
            // expose exactly the `n` bytes it reports as written.
            let slice = unsafe {
                std::slice::from_raw_parts_mut(spare.as_mut_ptr() as *mut u8, spare.len())
            };
            let got = match self.tls.as_deref_mut() {
                None => (&self.socket).read(slice),
                Some(tls) => read_plaintext(tls, &self.socket, slice),
            };
            match got {
                Ok(0) => return Err(self.closed_by_broker("connection closed by broker")),
                Ok(n)
                    if self.tls.is_none() && !self.received_any && looks_like_tls(&slice[..n]) =>
                {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("broker answered with a TLS record {PLAINTEXT_TO_TLS_HINT}"),
                    ));
                }
                Ok(n) => {
                    self.received_any = true;
                    unsafe { self.read_buf.set_len(self.read_buf.len() + n) }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == io::ErrorKind::ConnectionReset => {
                    return Err(self.closed_by_broker(&e.to_string()))
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The broker closed or reset the connection: with a hint at the
    /// usual cause when that happened before it ever answered.
    fn closed_by_broker(&self, what: &str) -> io::Error {
        let reason = match &self.tls {
            // What a TLS client sees from a plaintext listener (or a TLS
            // one that refused the handshake without an alert).
            Some(tls) if tls.is_handshaking() => format!(
                "{what} during the SSL handshake (connecting to a PLAINTEXT broker listener?)"
            ),
            // A TLS listener drops a plaintext request.
            None if !self.received_any => {
                format!("{what} before answering {PLAINTEXT_TO_TLS_HINT}")
            }
            _ => what.to_string(),
        };
        io::Error::new(io::ErrorKind::ConnectionReset, reason)
    }

    /// Makes `additional` bytes of spare capacity: in place when the buffer
    /// is no longer shared with earlier frames and is large enough once
    /// their space is reclaimed, else in a new buffer of just the needed
    /// size. Not `BytesMut::reserve`: it doubles a buffer it owns alone, so
    /// a run of ~6 MB fetch responses left a 24 MB receive buffer behind.
    fn make_room(&mut self, additional: usize) {
        if self.read_buf.try_reclaim(additional) {
            return;
        }
        let mut fresh = BytesMut::with_capacity((self.read_buf.len() + additional).max(READ_CHUNK));
        fresh.extend_from_slice(&self.read_buf);
        self.read_buf = fresh;
    }

    /// What the read buffer holds: complete frames, then possibly the
    /// start of one whose remaining size is known.
    fn scan_frames(&self) -> BufferedFrames {
        let buf = &self.read_buf[..];
        let mut at = 0;
        let mut missing = 0;
        while let Some(prefix) = buf.get(at..at + 4) {
            let size = i32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]);
            // An invalid size is reported by `next_frame`.
            let Some(size) = usize::try_from(size).ok().filter(|&s| s <= self.max_frame) else {
                break;
            };
            let end = at + 4 + size;
            if end > buf.len() {
                missing = end - buf.len();
                break;
            }
            at = end;
        }
        BufferedFrames {
            complete: at,
            missing,
        }
    }

    /// The next complete response frame (without its size prefix), if any.
    pub fn next_frame(&mut self) -> Result<Option<Bytes>, DecodeError> {
        try_split_frame(&mut self.read_buf, self.max_frame)
    }
}

const PLAINTEXT_TO_TLS_HINT: &str =
    "(connecting to an SSL broker listener with security.protocol=plaintext?)";

/// Whether the first bytes a broker sent are a TLS record header (an alert
/// or handshake, TLS 1.0 to 1.3) rather than a response size: as a size
/// they would announce 350 MB or more.
fn looks_like_tls(first: &[u8]) -> bool {
    matches!(first, [0x15 | 0x16, 0x03, 0x00..=0x04, ..])
}

/// Decrypted bytes into `buf`: those the session holds, else after reading
/// and decrypting more records. `WouldBlock` once the socket has no more;
/// `Ok(0)` when the broker closed the connection.
fn read_plaintext(
    tls: &mut ClientConnection,
    socket: &Socket,
    buf: &mut [u8],
) -> io::Result<usize> {
    loop {
        match tls.reader().read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            // Closed without close_notify: to us, closed like any other.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(0),
            Err(e) => return Err(e),
        }
        let read = tls.read_tls(&mut SocketIo(socket))?;
        if let Err(e) = tls.process_new_packets() {
            // Tell the broker why (the alert rustls queued), best effort.
            let _ = tls.write_tls(&mut SocketIo(socket));
            let reason = crate::client::tls::describe_failure(&e);
            return Err(io::Error::other(TlsFailure(reason)));
        }
        if read == 0 && tls.is_handshaking() {
            return Ok(0);
        }
    }
}

/// The socket as `Read`/`Write` for rustls (which wants `&mut`).
struct SocketIo<'a>(&'a Socket);

impl Read for SocketIo<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self.0).read(buf)
    }
}

impl Write for SocketIo<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.send_with_flags(buf, SEND_FLAGS)
    }
    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.0.send_vectored_with_flags(bufs, SEND_FLAGS)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::TcpListener;
    use std::time::{Duration, Instant};

    fn connected_pair() -> (Connection, std::net::TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let conn = Connection::start(listener.local_addr().unwrap(), 1 << 20, None).unwrap();
        let (peer, _) = listener.accept().unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while conn.finish_connect().is_err() {
            assert!(Instant::now() < deadline, "connect did not finish");
            std::thread::sleep(Duration::from_millis(1));
        }
        (conn, peer)
    }

    fn queue_request(conn: &mut Connection, head: &[u8], chunk: Bytes) {
        let offset = conn.write_buffer().len() + head.len();
        conn.write_buffer().extend_from_slice(head);
        let len = head.len() + chunk.len();
        conn.insert_chunks(vec![(offset, chunk)]);
        conn.end_request(len);
    }

    #[test]
    fn a_request_counts_as_unsent_until_its_last_byte_is_written() {
        let (mut conn, mut peer) = connected_pair();
        // Far more than the socket buffers hold while the peer reads nothing.
        let big = Bytes::from(vec![7u8; 32 << 20]);
        queue_request(&mut conn, b"head", big);
        queue_request(&mut conn, b"small", Bytes::from_static(b"tail"));
        assert_eq!(conn.unsent_requests(), 2);
        conn.flush().unwrap();
        assert_eq!(
            conn.unsent_requests(),
            2,
            "the peer has not read anything yet"
        );

        let total = 4 + (32 << 20) + 5 + 4;
        let reader = std::thread::spawn(move || {
            let mut got = 0;
            let mut buf = vec![0u8; 1 << 16];
            while got < total {
                got += peer.read(&mut buf).unwrap();
            }
            got
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        while conn.unsent_requests() > 0 {
            assert!(Instant::now() < deadline, "send did not finish");
            conn.flush().unwrap();
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(!conn.wants_write());
        assert_eq!(reader.join().unwrap(), total);
    }

    /// Receives every frame of `sizes` (written by `peer` with its size
    /// prefix) and drops each one before the next arrives, as the fetcher
    /// does once the application has consumed a response's messages.
    fn receive_frames(conn: &mut Connection, peer: &mut std::net::TcpStream, sizes: &[usize]) {
        for &size in sizes {
            let mut frame = (size as i32).to_be_bytes().to_vec();
            frame.resize(4 + size, 1);
            let deadline = Instant::now() + Duration::from_secs(30);
            let mut written = 0;
            peer.set_nonblocking(true).unwrap();
            let got = loop {
                assert!(Instant::now() < deadline, "frame of {size} not received");
                match peer.write(&frame[written..]) {
                    Ok(n) => written += n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(e) => panic!("{e}"),
                }
                conn.fill().unwrap();
                if let Some(got) = conn.next_frame().unwrap() {
                    break got;
                }
                std::thread::sleep(Duration::from_millis(1));
            };
            assert_eq!(got.len(), size);
        }
    }

    #[test]
    fn the_rest_of_a_frame_that_fits_is_read_in_place() {
        let (mut conn, mut peer) = connected_pair();
        // 1 MB frame, all but its last 8,000 bytes received into a buffer
        // with 10,000 bytes to spare: less than the READ_CHUNK / 4 that
        // makes room when no frame size is known.
        let size = 1 << 20;
        let mut frame = (size as i32).to_be_bytes().to_vec();
        frame.resize(4 + size, 3);
        let (head, tail) = frame.split_at(frame.len() - 8000);
        let mut buf = BytesMut::with_capacity(head.len() + 10_000);
        buf.extend_from_slice(head);
        conn.read_buf = buf;
        let allocation =
            conn.read_buf.as_ptr() as usize..conn.read_buf.as_ptr() as usize + frame.len();
        peer.write_all(tail).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let got = loop {
            assert!(
                Instant::now() < deadline,
                "the frame's rest was not received"
            );
            conn.fill().unwrap();
            if let Some(got) = conn.next_frame().unwrap() {
                break got;
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        assert_eq!(got.len(), size);
        assert!(
            allocation.contains(&(got.as_ptr() as usize)),
            "the frame was copied into a new buffer"
        );
    }

    #[test]
    fn receive_buffer_stays_near_the_largest_frame_size() {
        let (mut conn, mut peer) = connected_pair();
        // Growing large responses, each consumed before the next: the
        // buffer must not double past them (it once ended at 24 MB for
        // 6 MB fetch responses).
        let sizes: Vec<usize> = (0..8).map(|i| (6 << 20) + i * (256 << 10)).collect();
        conn.max_frame = 64 << 20;
        receive_frames(&mut conn, &mut peer, &sizes);
        let limit = sizes.iter().max().unwrap() + 2 * READ_CHUNK;
        // `capacity()` only counts what lies past the consumed frames; an
        // empty buffer no longer shared can reclaim its whole allocation,
        // so failing to reclaim more than `limit` bounds that allocation.
        assert!(conn.read_buf.is_empty());
        assert!(
            !conn.read_buf.try_reclaim(limit + 1),
            "the receive buffer holds more than {limit} bytes"
        );
        assert!(conn.read_buf.try_reclaim(sizes[sizes.len() - 1]));
    }
}
