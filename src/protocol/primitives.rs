//! Kafka primitive types: a bounds-checked cursor for decoding and write
//! helpers on `BytesMut` for encoding.
//!
//! Every length read from the wire is checked against the bytes that remain
//! before anything is allocated, so a few hostile bytes can never make us
//! reserve gigabytes.

use bytes::{BufMut, Bytes, BytesMut};

use super::error::{DecodeError, EncodeError};

/// Upper bound on elements reserved up front for an array; larger arrays grow
/// as they are actually decoded.
const MAX_PREALLOC: usize = 256;

pub type Uuid = [u8; 16];

/// A cursor over the bytes of one message.
///
/// When built from `Bytes` with [`Reader::from_bytes`], byte fields are
/// returned as zero-copy slices of the original buffer.
#[derive(Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    backing: Option<&'a Bytes>,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, backing: None }
    }

    pub fn from_bytes(buf: &'a Bytes) -> Self {
        Reader {
            buf: &buf[..],
            backing: Some(buf),
        }
    }

    pub fn remaining(&self) -> usize {
        self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The unread bytes, without consuming them.
    pub fn peek_rest(&self) -> &'a [u8] {
        self.buf
    }

    #[inline]
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.buf.len() {
            return Err(DecodeError::Truncated);
        }
        let (head, tail) = self.buf.split_at(n);
        self.buf = tail;
        Ok(head)
    }

    #[inline]
    fn take_array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let s = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    /// Converts a sub-slice of this reader's input into `Bytes`, sharing the
    /// allocation when the reader was built from `Bytes`.
    #[inline]
    fn to_bytes(&self, s: &'a [u8]) -> Bytes {
        match self.backing {
            Some(b) if !s.is_empty() => b.slice_ref(s),
            _ => Bytes::copy_from_slice(s),
        }
    }

    #[inline]
    pub fn read_i8(&mut self) -> Result<i8, DecodeError> {
        Ok(i8::from_be_bytes(self.take_array()?))
    }
    pub fn read_bool(&mut self) -> Result<bool, DecodeError> {
        Ok(self.read_i8()? != 0)
    }
    pub fn read_i16(&mut self) -> Result<i16, DecodeError> {
        Ok(i16::from_be_bytes(self.take_array()?))
    }
    pub fn read_i32(&mut self) -> Result<i32, DecodeError> {
        Ok(i32::from_be_bytes(self.take_array()?))
    }
    pub fn read_i64(&mut self) -> Result<i64, DecodeError> {
        Ok(i64::from_be_bytes(self.take_array()?))
    }
    pub fn read_u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.take_array()?))
    }
    pub fn read_uuid(&mut self) -> Result<Uuid, DecodeError> {
        self.take_array()
    }

    #[inline]
    pub fn read_unsigned_varlong(&mut self) -> Result<u64, DecodeError> {
        // Fast path: most record fields (deltas, lengths) fit one byte.
        if let Some((&b, rest)) = self.buf.split_first() {
            if b < 0x80 {
                self.buf = rest;
                return Ok(u64::from(b));
            }
        }
        let mut value = 0u64;
        for i in 0..10 {
            let b = self.read_i8()? as u8;
            let bits = u64::from(b & 0x7f);
            // The 10th byte may only contribute the single top bit.
            if i == 9 && bits > 1 {
                return Err(DecodeError::Corrupt("varlong overflows 64 bits"));
            }
            value |= bits << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(DecodeError::Corrupt("varlong longer than 10 bytes"))
    }

    #[inline]
    pub fn read_unsigned_varint(&mut self) -> Result<u32, DecodeError> {
        if let Some((&b, rest)) = self.buf.split_first() {
            if b < 0x80 {
                self.buf = rest;
                return Ok(u32::from(b));
            }
        }
        let mut value = 0u32;
        for i in 0..5 {
            let b = self.read_i8()? as u8;
            let bits = u32::from(b & 0x7f);
            if i == 4 && bits > 0x0f {
                return Err(DecodeError::Corrupt("varint overflows 32 bits"));
            }
            value |= bits << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(DecodeError::Corrupt("varint longer than 5 bytes"))
    }

    /// Zigzag-encoded signed 32-bit varint.
    #[inline]
    pub fn read_varint(&mut self) -> Result<i32, DecodeError> {
        let n = self.read_unsigned_varint()?;
        Ok(((n >> 1) as i32) ^ -((n & 1) as i32))
    }

    /// Zigzag-encoded signed 64-bit varint.
    #[inline]
    pub fn read_varlong(&mut self) -> Result<i64, DecodeError> {
        let n = self.read_unsigned_varlong()?;
        Ok(((n >> 1) as i64) ^ -((n & 1) as i64))
    }

    /// Validates a length that may be -1 (null); other negative values and
    /// lengths beyond the input are errors.
    #[inline]
    fn checked_len(&self, len: i64) -> Result<Option<usize>, DecodeError> {
        if len == -1 {
            return Ok(None);
        }
        if len < 0 || len as u64 > self.buf.len() as u64 {
            return Err(DecodeError::InvalidLength(len));
        }
        Ok(Some(len as usize))
    }

    fn non_null(len: Option<usize>) -> Result<usize, DecodeError> {
        len.ok_or(DecodeError::InvalidLength(-1))
    }

    fn compact_len(&mut self) -> Result<Option<usize>, DecodeError> {
        let n = i64::from(self.read_unsigned_varint()?) - 1;
        self.checked_len(n)
    }

    fn utf8(&mut self, len: usize) -> Result<String, DecodeError> {
        let s = self.take(len)?;
        std::str::from_utf8(s)
            .map(str::to_owned)
            .map_err(|_| DecodeError::InvalidUtf8)
    }

    pub fn read_nullable_string(&mut self) -> Result<Option<String>, DecodeError> {
        let len = i64::from(self.read_i16()?);
        match self.checked_len(len)? {
            None => Ok(None),
            Some(n) => self.utf8(n).map(Some),
        }
    }
    pub fn read_string(&mut self) -> Result<String, DecodeError> {
        let len = i64::from(self.read_i16()?);
        let n = Self::non_null(self.checked_len(len)?)?;
        self.utf8(n)
    }
    pub fn read_compact_nullable_string(&mut self) -> Result<Option<String>, DecodeError> {
        match self.compact_len()? {
            None => Ok(None),
            Some(n) => self.utf8(n).map(Some),
        }
    }
    pub fn read_compact_string(&mut self) -> Result<String, DecodeError> {
        let n = Self::non_null(self.compact_len()?)?;
        self.utf8(n)
    }

    pub fn read_nullable_bytes(&mut self) -> Result<Option<Bytes>, DecodeError> {
        let len = i64::from(self.read_i32()?);
        match self.checked_len(len)? {
            None => Ok(None),
            Some(n) => {
                let s = self.take(n)?;
                Ok(Some(self.to_bytes(s)))
            }
        }
    }
    pub fn read_bytes(&mut self) -> Result<Bytes, DecodeError> {
        self.read_nullable_bytes()?
            .ok_or(DecodeError::InvalidLength(-1))
    }
    pub fn read_compact_nullable_bytes(&mut self) -> Result<Option<Bytes>, DecodeError> {
        match self.compact_len()? {
            None => Ok(None),
            Some(n) => {
                let s = self.take(n)?;
                Ok(Some(self.to_bytes(s)))
            }
        }
    }
    pub fn read_compact_bytes(&mut self) -> Result<Bytes, DecodeError> {
        self.read_compact_nullable_bytes()?
            .ok_or(DecodeError::InvalidLength(-1))
    }

    /// Splits the next `n` bytes off into their own reader (sharing the
    /// backing buffer), e.g. for a length-delimited record.
    #[inline]
    pub fn split(&mut self, n: usize) -> Result<Reader<'a>, DecodeError> {
        let buf = self.take(n)?;
        Ok(Reader {
            buf,
            backing: self.backing,
        })
    }

    /// Bytes with a zigzag varint length (-1 = null), as in records.
    #[inline]
    pub fn read_varint_nullable_bytes(&mut self) -> Result<Option<Bytes>, DecodeError> {
        let len = i64::from(self.read_varint()?);
        match self.checked_len(len)? {
            None => Ok(None),
            Some(n) => {
                let s = self.take(n)?;
                Ok(Some(self.to_bytes(s)))
            }
        }
    }

    /// Non-null string with a zigzag varint length, as in record headers.
    pub fn read_varint_string(&mut self) -> Result<String, DecodeError> {
        let len = i64::from(self.read_varint()?);
        let n = Self::non_null(self.checked_len(len)?)?;
        self.utf8(n)
    }

    /// Array length (INT32). Every element takes at least one byte, so a
    /// count beyond the remaining input is rejected here.
    pub fn read_nullable_array_len(&mut self) -> Result<Option<usize>, DecodeError> {
        let len = i64::from(self.read_i32()?);
        self.checked_len(len)
    }
    pub fn read_array_len(&mut self) -> Result<usize, DecodeError> {
        let len = self.read_nullable_array_len()?;
        Self::non_null(len)
    }
    pub fn read_compact_nullable_array_len(&mut self) -> Result<Option<usize>, DecodeError> {
        self.compact_len()
    }
    pub fn read_compact_array_len(&mut self) -> Result<usize, DecodeError> {
        let len = self.compact_len()?;
        Self::non_null(len)
    }

    /// Skips a tagged-field section (KIP-482). Unknown tags are ignored, which
    /// is what the protocol requires of readers.
    pub fn skip_tagged_fields(&mut self) -> Result<(), DecodeError> {
        let count = self.read_unsigned_varint()?;
        for _ in 0..count {
            let _tag = self.read_unsigned_varint()?;
            let size = self.read_unsigned_varint()? as usize;
            self.take(size)?;
        }
        Ok(())
    }

    // Version-aware forms: `flex` selects the compact (KIP-482) encoding.

    pub fn string_v(&mut self, flex: bool) -> Result<String, DecodeError> {
        if flex {
            self.read_compact_string()
        } else {
            self.read_string()
        }
    }
    pub fn nullable_string_v(&mut self, flex: bool) -> Result<Option<String>, DecodeError> {
        if flex {
            self.read_compact_nullable_string()
        } else {
            self.read_nullable_string()
        }
    }
    pub fn bytes_v(&mut self, flex: bool) -> Result<Bytes, DecodeError> {
        if flex {
            self.read_compact_bytes()
        } else {
            self.read_bytes()
        }
    }
    pub fn nullable_bytes_v(&mut self, flex: bool) -> Result<Option<Bytes>, DecodeError> {
        if flex {
            self.read_compact_nullable_bytes()
        } else {
            self.read_nullable_bytes()
        }
    }
    pub fn nullable_array_len_v(&mut self, flex: bool) -> Result<Option<usize>, DecodeError> {
        if flex {
            self.read_compact_nullable_array_len()
        } else {
            self.read_nullable_array_len()
        }
    }
    pub fn array_len_v(&mut self, flex: bool) -> Result<usize, DecodeError> {
        let len = self.nullable_array_len_v(flex)?;
        Self::non_null(len)
    }
    /// Reads a tagged-field section, handing each field's tag and a reader
    /// over exactly its bytes to `f`, which may ignore tags it does not
    /// know (the protocol requires readers to skip them).
    pub fn tagged_fields(
        &mut self,
        mut f: impl FnMut(u32, &mut Reader<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        let count = self.read_unsigned_varint()?;
        for _ in 0..count {
            let tag = self.read_unsigned_varint()?;
            let size = self.read_unsigned_varint()? as usize;
            let mut field = self.split(size)?;
            f(tag, &mut field)?;
        }
        Ok(())
    }

    /// Reads the tagged-field section if the version is flexible.
    pub fn tags_v(&mut self, flex: bool) -> Result<(), DecodeError> {
        if flex {
            self.skip_tagged_fields()
        } else {
            Ok(())
        }
    }

    /// Decodes `len` elements with `f`, reserving only a bounded amount up
    /// front.
    pub fn elements<T>(
        &mut self,
        len: usize,
        mut f: impl FnMut(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<Vec<T>, DecodeError> {
        let mut v = Vec::with_capacity(len.min(MAX_PREALLOC));
        for _ in 0..len {
            v.push(f(self)?);
        }
        Ok(v)
    }
    pub fn array_v<T>(
        &mut self,
        flex: bool,
        f: impl FnMut(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<Vec<T>, DecodeError> {
        let len = self.array_len_v(flex)?;
        self.elements(len, f)
    }
    pub fn nullable_array_v<T>(
        &mut self,
        flex: bool,
        f: impl FnMut(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<Option<Vec<T>>, DecodeError> {
        match self.nullable_array_len_v(flex)? {
            None => Ok(None),
            Some(len) => self.elements(len, f).map(Some),
        }
    }
    pub fn i32_array_v(&mut self, flex: bool) -> Result<Vec<i32>, DecodeError> {
        self.array_v(flex, Self::read_i32)
    }
    pub fn string_array_v(&mut self, flex: bool) -> Result<Vec<String>, DecodeError> {
        self.array_v(flex, |r| r.string_v(flex))
    }
}

fn len_i16(n: usize, what: &'static str) -> Result<i16, EncodeError> {
    i16::try_from(n).map_err(|_| EncodeError::TooLarge(what))
}
fn len_i32(n: usize, what: &'static str) -> Result<i32, EncodeError> {
    i32::try_from(n).map_err(|_| EncodeError::TooLarge(what))
}
/// Compact lengths are encoded as N+1 in an unsigned varint; the protocol
/// still limits them to the INT32 range.
fn compact_len(n: usize, what: &'static str) -> Result<u32, EncodeError> {
    len_i32(n, what)?;
    Ok(n as u32 + 1)
}

/// Number of bytes `put_unsigned_varint`/`put_varint` will use.
pub fn unsigned_varint_len(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}
pub fn varint_len(v: i32) -> usize {
    unsigned_varint_len(u64::from(((v << 1) ^ (v >> 31)) as u32))
}
pub fn varlong_len(v: i64) -> usize {
    unsigned_varint_len(((v << 1) ^ (v >> 63)) as u64)
}

/// Kafka encodings on top of `BytesMut`. Named so as not to clash with
/// `BufMut` (which already has e.g. `put_bytes`).
pub trait PutExt {
    fn put_unsigned_varlong(&mut self, v: u64);
    fn put_unsigned_varint(&mut self, v: u32);
    fn put_varint(&mut self, v: i32);
    fn put_varlong(&mut self, v: i64);
    fn put_bool(&mut self, v: bool);
    fn put_uuid(&mut self, v: &Uuid);
    fn put_string(&mut self, s: &str) -> Result<(), EncodeError>;
    fn put_nullable_string(&mut self, s: Option<&str>) -> Result<(), EncodeError>;
    fn put_compact_string(&mut self, s: &str) -> Result<(), EncodeError>;
    fn put_compact_nullable_string(&mut self, s: Option<&str>) -> Result<(), EncodeError>;
    fn put_kafka_bytes(&mut self, b: &[u8]) -> Result<(), EncodeError>;
    fn put_nullable_kafka_bytes(&mut self, b: Option<&[u8]>) -> Result<(), EncodeError>;
    fn put_compact_bytes(&mut self, b: &[u8]) -> Result<(), EncodeError>;
    fn put_compact_nullable_bytes(&mut self, b: Option<&[u8]>) -> Result<(), EncodeError>;
    fn put_empty_tagged_fields(&mut self);

    // Version-aware forms: `flex` selects the compact (KIP-482) encoding.
    fn put_string_v(&mut self, flex: bool, s: &str) -> Result<(), EncodeError>;
    fn put_nullable_string_v(&mut self, flex: bool, s: Option<&str>) -> Result<(), EncodeError>;
    fn put_bytes_v(&mut self, flex: bool, b: &[u8]) -> Result<(), EncodeError>;
    fn put_nullable_bytes_v(&mut self, flex: bool, b: Option<&[u8]>) -> Result<(), EncodeError>;
    fn put_array_len_v(&mut self, flex: bool, n: usize) -> Result<(), EncodeError>;
    fn put_nullable_array_len_v(&mut self, flex: bool, n: Option<usize>)
        -> Result<(), EncodeError>;
    /// Writes an empty tagged-field section if the version is flexible.
    fn put_tags_v(&mut self, flex: bool);
}

impl PutExt for BytesMut {
    fn put_unsigned_varlong(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.put_u8((v as u8) | 0x80);
            v >>= 7;
        }
        self.put_u8(v as u8);
    }
    fn put_unsigned_varint(&mut self, v: u32) {
        self.put_unsigned_varlong(u64::from(v));
    }
    fn put_varint(&mut self, v: i32) {
        self.put_unsigned_varint(((v << 1) ^ (v >> 31)) as u32);
    }
    fn put_varlong(&mut self, v: i64) {
        self.put_unsigned_varlong(((v << 1) ^ (v >> 63)) as u64);
    }
    fn put_bool(&mut self, v: bool) {
        self.put_u8(u8::from(v));
    }
    fn put_uuid(&mut self, v: &Uuid) {
        self.put_slice(v);
    }
    fn put_string(&mut self, s: &str) -> Result<(), EncodeError> {
        self.put_i16(len_i16(s.len(), "string")?);
        self.put_slice(s.as_bytes());
        Ok(())
    }
    fn put_nullable_string(&mut self, s: Option<&str>) -> Result<(), EncodeError> {
        match s {
            None => {
                self.put_i16(-1);
                Ok(())
            }
            Some(s) => self.put_string(s),
        }
    }
    fn put_compact_string(&mut self, s: &str) -> Result<(), EncodeError> {
        self.put_unsigned_varint(compact_len(s.len(), "string")?);
        self.put_slice(s.as_bytes());
        Ok(())
    }
    fn put_compact_nullable_string(&mut self, s: Option<&str>) -> Result<(), EncodeError> {
        match s {
            None => {
                self.put_u8(0);
                Ok(())
            }
            Some(s) => self.put_compact_string(s),
        }
    }
    fn put_kafka_bytes(&mut self, b: &[u8]) -> Result<(), EncodeError> {
        self.put_i32(len_i32(b.len(), "bytes")?);
        self.put_slice(b);
        Ok(())
    }
    fn put_nullable_kafka_bytes(&mut self, b: Option<&[u8]>) -> Result<(), EncodeError> {
        match b {
            None => {
                self.put_i32(-1);
                Ok(())
            }
            Some(b) => self.put_kafka_bytes(b),
        }
    }
    fn put_compact_bytes(&mut self, b: &[u8]) -> Result<(), EncodeError> {
        self.put_unsigned_varint(compact_len(b.len(), "bytes")?);
        self.put_slice(b);
        Ok(())
    }
    fn put_compact_nullable_bytes(&mut self, b: Option<&[u8]>) -> Result<(), EncodeError> {
        match b {
            None => {
                self.put_u8(0);
                Ok(())
            }
            Some(b) => self.put_compact_bytes(b),
        }
    }
    fn put_empty_tagged_fields(&mut self) {
        self.put_u8(0);
    }

    fn put_string_v(&mut self, flex: bool, s: &str) -> Result<(), EncodeError> {
        if flex {
            self.put_compact_string(s)
        } else {
            self.put_string(s)
        }
    }
    fn put_nullable_string_v(&mut self, flex: bool, s: Option<&str>) -> Result<(), EncodeError> {
        if flex {
            self.put_compact_nullable_string(s)
        } else {
            self.put_nullable_string(s)
        }
    }
    fn put_bytes_v(&mut self, flex: bool, b: &[u8]) -> Result<(), EncodeError> {
        if flex {
            self.put_compact_bytes(b)
        } else {
            self.put_kafka_bytes(b)
        }
    }
    fn put_nullable_bytes_v(&mut self, flex: bool, b: Option<&[u8]>) -> Result<(), EncodeError> {
        if flex {
            self.put_compact_nullable_bytes(b)
        } else {
            self.put_nullable_kafka_bytes(b)
        }
    }
    fn put_array_len_v(&mut self, flex: bool, n: usize) -> Result<(), EncodeError> {
        if flex {
            self.put_unsigned_varint(compact_len(n, "array")?);
        } else {
            self.put_i32(len_i32(n, "array")?);
        }
        Ok(())
    }
    fn put_nullable_array_len_v(
        &mut self,
        flex: bool,
        n: Option<usize>,
    ) -> Result<(), EncodeError> {
        match n {
            Some(n) => self.put_array_len_v(flex, n),
            None if flex => {
                self.put_u8(0);
                Ok(())
            }
            None => {
                self.put_i32(-1);
                Ok(())
            }
        }
    }
    fn put_tags_v(&mut self, flex: bool) {
        if flex {
            self.put_empty_tagged_fields();
        }
    }
}

/// Writes a tagged-field section (KIP-482) holding `fields`, each a tag
/// and its encoded value, in ascending tag order as the protocol requires.
pub fn put_tagged_fields(out: &mut BytesMut, fields: &[(u32, BytesMut)]) {
    out.put_unsigned_varint(fields.len() as u32);
    for (tag, value) in fields {
        out.put_unsigned_varint(*tag);
        out.put_unsigned_varint(value.len() as u32);
        out.put_slice(value);
    }
}

/// Writes an array: its length, then each element with `f`.
pub fn put_array<T>(
    out: &mut BytesMut,
    flex: bool,
    items: &[T],
    mut f: impl FnMut(&mut BytesMut, &T) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    out.put_array_len_v(flex, items.len())?;
    for item in items {
        f(out, item)?;
    }
    Ok(())
}

/// Writes a nullable array (`None` encodes as null).
pub fn put_nullable_array<T>(
    out: &mut BytesMut,
    flex: bool,
    items: Option<&[T]>,
    f: impl FnMut(&mut BytesMut, &T) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    match items {
        None => out.put_nullable_array_len_v(flex, None),
        Some(items) => put_array(out, flex, items, f),
    }
}

pub fn put_i32_array(out: &mut BytesMut, flex: bool, items: &[i32]) -> Result<(), EncodeError> {
    put_array(out, flex, items, |o, v| {
        o.put_i32(*v);
        Ok(())
    })
}

pub fn put_string_array(
    out: &mut BytesMut,
    flex: bool,
    items: &[String],
) -> Result<(), EncodeError> {
    put_array(out, flex, items, |o, s| o.put_string_v(flex, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_match_known_encodings() {
        // Values and encodings from the protobuf/Kafka zigzag definition.
        let cases: &[(i32, &[u8])] = &[
            (0, &[0x00]),
            (-1, &[0x01]),
            (1, &[0x02]),
            (-64, &[0x7f]),
            (64, &[0x80, 0x01]),
            (300, &[0xd8, 0x04]),
            (i32::MAX, &[0xfe, 0xff, 0xff, 0xff, 0x0f]),
            (i32::MIN, &[0xff, 0xff, 0xff, 0xff, 0x0f]),
        ];
        for &(v, enc) in cases {
            let mut b = BytesMut::new();
            b.put_varint(v);
            assert_eq!(&b[..], enc, "encoding {v}");
            assert_eq!(varint_len(v), enc.len());
            let mut r = Reader::new(enc);
            assert_eq!(r.read_varint().unwrap(), v);
            assert!(r.is_empty());
        }
        for v in [0i64, -1, 1, i64::MAX, i64::MIN, 1 << 40, -(1 << 40)] {
            let mut b = BytesMut::new();
            b.put_varlong(v);
            assert_eq!(varlong_len(v), b.len());
            assert_eq!(Reader::new(&b).read_varlong().unwrap(), v);
        }
    }

    #[test]
    fn overlong_varints_are_rejected() {
        let six = [0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        assert!(matches!(
            Reader::new(&six).read_unsigned_varint(),
            Err(DecodeError::Corrupt(_))
        ));
        let overflow = [0xff, 0xff, 0xff, 0xff, 0x1f];
        assert!(Reader::new(&overflow).read_unsigned_varint().is_err());
        let long = [0xffu8; 11];
        assert!(Reader::new(&long).read_varlong().is_err());
        assert_eq!(
            Reader::new(&[0x80]).read_unsigned_varint(),
            Err(DecodeError::Truncated)
        );
    }

    #[test]
    fn strings_and_bytes() {
        let mut b = BytesMut::new();
        b.put_string("héllo").unwrap();
        b.put_nullable_string(None).unwrap();
        b.put_compact_string("ab").unwrap();
        b.put_compact_nullable_string(None).unwrap();
        b.put_kafka_bytes(b"xyz").unwrap();
        b.put_nullable_kafka_bytes(None).unwrap();
        b.put_compact_bytes(b"").unwrap();
        b.put_compact_nullable_bytes(None).unwrap();
        assert_eq!(&b[..2], &[0, 6]);
        let frozen = b.freeze();
        let mut r = Reader::from_bytes(&frozen);
        assert_eq!(r.read_string().unwrap(), "héllo");
        assert_eq!(r.read_nullable_string().unwrap(), None);
        assert_eq!(r.read_compact_string().unwrap(), "ab");
        assert_eq!(r.read_compact_nullable_string().unwrap(), None);
        let xyz = r.read_bytes().unwrap();
        assert_eq!(&xyz[..], b"xyz");
        // Zero-copy: the slice points into the original buffer.
        assert!(frozen.as_ptr_range().contains(&xyz.as_ptr()));
        assert_eq!(r.read_nullable_bytes().unwrap(), None);
        assert_eq!(&r.read_compact_bytes().unwrap()[..], b"");
        assert_eq!(r.read_compact_nullable_bytes().unwrap(), None);
        assert!(r.is_empty());
    }

    #[test]
    fn null_where_not_allowed_and_bad_utf8() {
        assert_eq!(
            Reader::new(&[0xff, 0xff]).read_string(),
            Err(DecodeError::InvalidLength(-1))
        );
        assert_eq!(
            Reader::new(&[0x00]).read_compact_string(),
            Err(DecodeError::InvalidLength(-1))
        );
        assert_eq!(
            Reader::new(&[0xff, 0xfe]).read_nullable_string(),
            Err(DecodeError::InvalidLength(-2))
        );
        assert_eq!(
            Reader::new(&[0, 2, 0xc3, 0x28]).read_string(),
            Err(DecodeError::InvalidUtf8)
        );
    }

    #[test]
    fn string_too_long_to_encode() {
        let s = "a".repeat(40_000);
        let mut b = BytesMut::new();
        assert_eq!(b.put_string(&s), Err(EncodeError::TooLarge("string")));
        assert!(b.put_compact_string(&s).is_ok());
    }

    #[test]
    fn array_len_blowup_memory() {
        // i32::MAX elements announced, 4 bytes present: rejected before any
        // allocation.
        let data = [0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 1];
        assert_eq!(
            Reader::new(&data).read_array_len(),
            Err(DecodeError::InvalidLength(i64::from(i32::MAX)))
        );
        let compact = [0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2];
        assert!(matches!(
            Reader::new(&compact).read_compact_array_len(),
            Err(DecodeError::InvalidLength(_))
        ));
        assert!(Reader::new(&data).i32_array_v(false).is_err());
    }

    #[test]
    fn string_and_bytes_blowup_memory() {
        assert_eq!(
            Reader::new(&[0x7f, 0xff, b'a']).read_string(),
            Err(DecodeError::InvalidLength(32767))
        );
        assert_eq!(
            Reader::new(&[0x7f, 0xff, 0xff, 0xff, 1]).read_bytes(),
            Err(DecodeError::InvalidLength(i64::from(i32::MAX)))
        );
        assert!(Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f])
            .read_compact_bytes()
            .is_err());
    }

    #[test]
    fn tagged_fields_are_skipped() {
        // Two tags: tag 0 with 2 bytes, tag 5 with 0 bytes, then a trailing i8.
        let data = [2, 0, 2, 0xaa, 0xbb, 5, 0, 7];
        let mut r = Reader::new(&data);
        r.skip_tagged_fields().unwrap();
        assert_eq!(r.read_i8().unwrap(), 7);
        let bad = [1, 0, 9, 0];
        assert_eq!(
            Reader::new(&bad).skip_tagged_fields(),
            Err(DecodeError::Truncated)
        );
    }

    #[test]
    fn nullable_arrays() {
        let mut b = BytesMut::new();
        put_nullable_array::<i32>(&mut b, false, None, |_, _| Ok(())).unwrap();
        put_nullable_array::<i32>(&mut b, true, None, |_, _| Ok(())).unwrap();
        put_i32_array(&mut b, true, &[1, 2]).unwrap();
        assert_eq!(
            &b[..],
            &[0xff, 0xff, 0xff, 0xff, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2]
        );
        let mut r = Reader::new(&b);
        assert_eq!(r.nullable_array_v(false, Reader::read_i32).unwrap(), None);
        assert_eq!(r.nullable_array_v(true, Reader::read_i32).unwrap(), None);
        assert_eq!(r.i32_array_v(true).unwrap(), vec![1, 2]);
    }
}
