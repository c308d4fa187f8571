//! Framing: the 4-byte size prefix and the request/response headers.
//!
//! Request header v1 is used for non-flexible versions and v2 (v1 plus a
//! tagged-field section) for flexible ones. Response header v0 is just the
//! correlation id and v1 adds tagged fields, except that ApiVersions responses
//! always use v0 so that a client which does not yet know the broker's
//! versions can always read them.

use bytes::{BufMut, Bytes, BytesMut};

use super::primitives::{PutExt, Reader};
use super::{
    check_encode_version, is_flexible, ApiKey, DecodeError, EncodeError, Message, Request,
};

/// Request header as seen by a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHeader {
    pub api_key: i16,
    pub api_version: i16,
    pub correlation_id: i32,
    pub client_id: Option<String>,
}

fn request_header_is_flexible(api_key: i16, version: i16) -> bool {
    ApiKey::from_i16(api_key).is_some_and(|k| version >= k.first_flexible_version())
}

fn response_header_is_flexible(api_key: ApiKey, version: i16) -> bool {
    api_key != ApiKey::ApiVersions && version >= api_key.first_flexible_version()
}

/// Reserves the size prefix, runs `body`, then fills the prefix in; on error
/// `out` is restored to its previous length so no half frame is left behind.
/// `body` returns how many bytes of the frame it placed outside `out`
/// (chunks the sender inserts into the stream).
fn with_size_prefix(
    out: &mut BytesMut,
    body: impl FnOnce(&mut BytesMut) -> Result<usize, EncodeError>,
) -> Result<(), EncodeError> {
    let start = out.len();
    out.put_i32(0);
    let result = body(out).and_then(|outside| {
        i32::try_from(out.len() - start - 4 + outside).map_err(|_| EncodeError::TooLarge("frame"))
    });
    match result {
        Ok(size) => {
            out[start..start + 4].copy_from_slice(&size.to_be_bytes());
            Ok(())
        }
        Err(e) => {
            out.truncate(start);
            Err(e)
        }
    }
}

fn put_request_header<R: Request>(
    out: &mut BytesMut,
    version: i16,
    correlation_id: i32,
    client_id: Option<&str>,
) -> Result<(), EncodeError> {
    out.put_i16(R::API_KEY.as_i16());
    out.put_i16(version);
    out.put_i32(correlation_id);
    // The client id stays a classic nullable string even in header v2.
    out.put_nullable_string(client_id)?;
    out.put_tags_v(is_flexible::<R>(version));
    Ok(())
}

/// Appends a complete request frame (size, header, body) to `out`.
pub fn encode_request<R: Request>(
    req: &R,
    version: i16,
    correlation_id: i32,
    client_id: Option<&str>,
    out: &mut BytesMut,
) -> Result<(), EncodeError> {
    check_encode_version::<R>(version)?;
    with_size_prefix(out, |out| {
        put_request_header::<R>(out, version, correlation_id, client_id)?;
        req.encode(version, out)?;
        Ok(0)
    })
}

/// [`encode_request`] for a sender that writes `chunks` (see
/// [`Message::encode_chunked`]) into the stream at their offsets in `out`;
/// the size prefix counts them. On error neither `out` nor `chunks` grows.
pub fn encode_request_chunked<R: Request>(
    req: &R,
    version: i16,
    correlation_id: i32,
    client_id: Option<&str>,
    out: &mut BytesMut,
    chunks: &mut Vec<(usize, Bytes)>,
) -> Result<(), EncodeError> {
    check_encode_version::<R>(version)?;
    let first_chunk = chunks.len();
    let result = with_size_prefix(out, |out| {
        put_request_header::<R>(out, version, correlation_id, client_id)?;
        req.encode_chunked(version, out, chunks)?;
        Ok(chunks[first_chunk..].iter().map(|(_, b)| b.len()).sum())
    });
    if result.is_err() {
        chunks.truncate(first_chunk);
    }
    result
}

/// Reads a request header (server side). The reader is left at the body.
pub fn decode_request_header(r: &mut Reader<'_>) -> Result<RequestHeader, DecodeError> {
    let api_key = r.read_i16()?;
    let api_version = r.read_i16()?;
    let correlation_id = r.read_i32()?;
    let client_id = r.read_nullable_string()?;
    if request_header_is_flexible(api_key, api_version) {
        r.skip_tagged_fields()?;
    }
    Ok(RequestHeader {
        api_key,
        api_version,
        correlation_id,
        client_id,
    })
}

/// Appends a complete response frame (size, header, body) to `out`.
pub fn encode_response<R: Request>(
    resp: &R::Response,
    version: i16,
    correlation_id: i32,
    out: &mut BytesMut,
) -> Result<(), EncodeError> {
    check_encode_version::<R>(version)?;
    with_size_prefix(out, |out| {
        out.put_i32(correlation_id);
        out.put_tags_v(response_header_is_flexible(R::API_KEY, version));
        resp.encode(version, out)?;
        Ok(0)
    })
}

/// Reads the response header of `api_key` at `version` and returns the
/// correlation id. The reader is left at the body.
pub fn decode_response_header_for(
    api_key: ApiKey,
    version: i16,
    r: &mut Reader<'_>,
) -> Result<i32, DecodeError> {
    let correlation_id = r.read_i32()?;
    if response_header_is_flexible(api_key, version) {
        r.skip_tagged_fields()?;
    }
    Ok(correlation_id)
}

pub fn decode_response_header<R: Request>(
    version: i16,
    r: &mut Reader<'_>,
) -> Result<i32, DecodeError> {
    decode_response_header_for(R::API_KEY, version, r)
}

/// Decodes a whole response frame (as returned by [`try_split_frame`]) into
/// its correlation id and body. Byte fields of the body share `frame`'s
/// allocation.
pub fn decode_response<R: Request>(
    version: i16,
    frame: &Bytes,
) -> Result<(i32, R::Response), DecodeError> {
    let mut r = Reader::from_bytes(frame);
    let correlation_id = decode_response_header::<R>(version, &mut r)?;
    let body = R::Response::decode(version, &mut r)?;
    Ok((correlation_id, body))
}

/// The correlation id of a response frame, so the client can find the
/// in-flight request (and hence the decoder) the frame belongs to.
pub fn peek_correlation_id(frame: &[u8]) -> Result<i32, DecodeError> {
    Reader::new(frame).read_i32()
}

/// Splits one complete frame (without its size prefix) off the front of
/// `buf`, or returns `None` if more bytes are needed. A frame announcing more
/// than `max` bytes is refused before anything is reserved for it.
pub fn try_split_frame(buf: &mut BytesMut, max: usize) -> Result<Option<Bytes>, DecodeError> {
    let Some(prefix) = buf.get(..4) else {
        return Ok(None);
    };
    let size = i32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]);
    let size = usize::try_from(size).map_err(|_| DecodeError::InvalidLength(i64::from(size)))?;
    if size > max {
        return Err(DecodeError::FrameTooLarge { size, max });
    }
    if buf.len() - 4 < size {
        return Ok(None);
    }
    let mut frame = buf.split_to(4 + size);
    let _ = frame.split_to(4);
    Ok(Some(frame.freeze()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::messages::{
        ApiVersionsRequest, ApiVersionsResponse, MetadataRequest, MetadataResponse,
    };

    #[test]
    fn request_header_v1_fixture() {
        let mut out = BytesMut::new();
        encode_request(&ApiVersionsRequest::default(), 0, 7, Some("c"), &mut out).unwrap();
        #[rustfmt::skip]
        let expected = [
            0, 0, 0, 11,  // size
            0, 18, 0, 0,  // ApiVersions v0
            0, 0, 0, 7,   // correlation id
            0, 1, b'c',   // client id
        ];
        assert_eq!(&out[..], &expected);
    }

    #[test]
    fn request_header_v2_fixture_and_server_side_decode() {
        let req = ApiVersionsRequest {
            client_software_name: "a".into(),
            client_software_version: "1".into(),
        };
        let mut out = BytesMut::new();
        encode_request(&req, 3, 9, None, &mut out).unwrap();
        #[rustfmt::skip]
        let expected = [
            0, 0, 0, 16,
            0, 18, 0, 3, 0, 0, 0, 9,
            0xff, 0xff,   // null client id stays a classic string
            0,            // header tags
            2, b'a', 2, b'1', 0,
        ];
        assert_eq!(&out[..], &expected);

        let frame = try_split_frame(&mut out, 100).unwrap().unwrap();
        let mut r = Reader::from_bytes(&frame);
        let h = decode_request_header(&mut r).unwrap();
        assert_eq!(
            h,
            RequestHeader {
                api_key: 18,
                api_version: 3,
                correlation_id: 9,
                client_id: None
            }
        );
        assert_eq!(ApiVersionsRequest::decode(3, &mut r).unwrap(), req);
    }

    #[test]
    fn api_versions_response_header_is_always_v0() {
        let mut out = BytesMut::new();
        encode_response::<ApiVersionsRequest>(&ApiVersionsResponse::default(), 3, 5, &mut out)
            .unwrap();
        // size, correlation id, then directly the body (error code first).
        assert_eq!(&out[..10], &[0, 0, 0, 12, 0, 0, 0, 5, 0, 0]);
        let frame = try_split_frame(&mut out, 100).unwrap().unwrap();
        let (cid, resp) = decode_response::<ApiVersionsRequest>(3, &frame).unwrap();
        assert_eq!(cid, 5);
        assert_eq!(resp, ApiVersionsResponse::default());
    }

    #[test]
    fn flexible_response_header_has_tags() {
        let mut out = BytesMut::new();
        encode_response::<MetadataRequest>(&MetadataResponse::default(), 9, 6, &mut out).unwrap();
        assert_eq!(&out[4..9], &[0, 0, 0, 6, 0]);
        let frame = try_split_frame(&mut out, 100).unwrap().unwrap();
        assert_eq!(peek_correlation_id(&frame), Ok(6));
        let (cid, resp) = decode_response::<MetadataRequest>(9, &frame).unwrap();
        assert_eq!((cid, resp), (6, MetadataResponse::default()));

        let mut out = BytesMut::new();
        encode_response::<MetadataRequest>(&MetadataResponse::default(), 8, 6, &mut out).unwrap();
        assert_eq!(&out[4..8], &[0, 0, 0, 6]);
        // size, correlation id, throttle, brokers, cluster id, controller,
        // topics, cluster authorized operations.
        assert_eq!(out.len(), 4 + 4 + 4 + 4 + 2 + 4 + 4 + 4);
    }

    #[test]
    fn failed_encode_leaves_buffer_untouched() {
        let mut out = BytesMut::from(&b"xy"[..]);
        let too_long = "x".repeat(40_000);
        let err = encode_request(
            &ApiVersionsRequest::default(),
            0,
            1,
            Some(&too_long),
            &mut out,
        );
        assert_eq!(err, Err(EncodeError::TooLarge("string")));
        assert_eq!(&out[..], b"xy");
        let err = encode_request(&ApiVersionsRequest::default(), 4, 1, None, &mut out);
        assert!(matches!(err, Err(EncodeError::UnsupportedVersion { .. })));
        assert_eq!(&out[..], b"xy");
    }

    #[test]
    fn split_frames_incrementally() {
        let mut buf = BytesMut::new();
        assert_eq!(try_split_frame(&mut buf, 10), Ok(None));
        buf.extend_from_slice(&[0, 0, 0]);
        assert_eq!(try_split_frame(&mut buf, 10), Ok(None));
        buf.extend_from_slice(&[3, b'a', b'b']);
        assert_eq!(try_split_frame(&mut buf, 10), Ok(None));
        buf.extend_from_slice(&[b'c', 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            try_split_frame(&mut buf, 10),
            Ok(Some(Bytes::from_static(b"abc")))
        );
        assert_eq!(try_split_frame(&mut buf, 10), Ok(Some(Bytes::new())));
        assert_eq!(&buf[..], &[0, 0]);
    }

    #[test]
    fn split_frame_rejects_oversize_and_negative() {
        let mut buf = BytesMut::from(&[0x7f, 0xff, 0xff, 0xff][..]);
        assert_eq!(
            try_split_frame(&mut buf, 1_000_000),
            Err(DecodeError::FrameTooLarge {
                size: i32::MAX as usize,
                max: 1_000_000
            })
        );
        let mut buf = BytesMut::from(&[0, 0, 0, 11, 0][..]);
        assert!(matches!(
            try_split_frame(&mut buf, 10),
            Err(DecodeError::FrameTooLarge { size: 11, max: 10 })
        ));
        let mut buf = BytesMut::from(&[0xff, 0xff, 0xff, 0xfe][..]);
        assert_eq!(
            try_split_frame(&mut buf, 10),
            Err(DecodeError::InvalidLength(-2))
        );
    }

    #[test]
    fn truncated_headers() {
        assert_eq!(peek_correlation_id(&[0, 0, 1]), Err(DecodeError::Truncated));
        let full = [0, 3, 0, 9, 0, 0, 0, 1, 0, 2, b'i', b'd', 0];
        for cut in 0..full.len() {
            assert!(decode_request_header(&mut Reader::new(&full[..cut])).is_err());
        }
        let h = decode_request_header(&mut Reader::new(&full)).unwrap();
        assert_eq!(h.client_id.as_deref(), Some("id"));
    }
}
