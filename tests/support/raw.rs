//! Raw Kafka protocol over a socket, for tests that talk to our embedded
//! mock cluster (`ferrokafka::mock::MockCluster`) request by request.

use bytes::{Bytes, BytesMut};
use ferrokafka::protocol::{decode_response, encode_request, Request};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A connection to the cluster's first broker, reads bounded to 10 s.
pub fn connect(cluster: &ferrokafka::mock::MockCluster) -> TcpStream {
    let addr = cluster.bootstraps().split(',').next().expect("a broker");
    let s = TcpStream::connect(addr).expect("connect to mock broker");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    s
}

/// Sends `req` at `version` with correlation id `cid`.
pub fn send<R: Request>(s: &mut TcpStream, req: &R, version: i16, cid: i32) {
    let mut out = BytesMut::new();
    encode_request(req, version, cid, Some("raw"), &mut out).expect("encode");
    s.write_all(&out).expect("send");
}

/// One response frame (size prefix removed), `None` at end of stream.
pub fn read_frame(s: &mut TcpStream) -> Option<Bytes> {
    let mut size = [0u8; 4];
    s.read_exact(&mut size).ok()?;
    let mut body = vec![0u8; i32::from_be_bytes(size) as usize];
    s.read_exact(&mut body).ok()?;
    Some(Bytes::from(body))
}

/// The next response, decoded as `R`'s at `version`: (correlation id, body).
pub fn recv<R: Request>(s: &mut TcpStream, version: i16) -> (i32, R::Response) {
    let frame = read_frame(s).expect("a response");
    decode_response::<R>(version, &frame).expect("decodable response")
}

/// True when the broker closed the connection (EOF or reset, not a timeout).
pub fn closed(s: &mut TcpStream) -> bool {
    let mut buf = [0u8; 1];
    match s.read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}
