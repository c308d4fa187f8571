//! Record-set compression codecs, encoded the way Kafka brokers and the Java
//! client expect them.
//!
//! Decompression is always bounded by a caller-supplied maximum so that a
//! small "zip bomb" batch cannot exhaust memory, and no buffer is sized from
//! a length the compressed data states beyond what its bytes can possibly
//! produce: a 1 KB frame claiming 4 GB is refused before anything is
//! allocated for it.

use std::io::{Read, Write};
use std::str::FromStr;

use super::error::{DecodeError, EncodeError};

/// Codec as stored in the low 3 bits of a RecordBatch's attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Compression {
    #[default]
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}

/// Header of the xerial snappy-java stream framing that Kafka's Java client
/// writes: magic, then format version and minimum compatible version.
const XERIAL_MAGIC: [u8; 8] = [0x82, b'S', b'N', b'A', b'P', b'P', b'Y', 0];
const XERIAL_HEADER_LEN: usize = 16;
/// Uncompressed bytes per xerial block (snappy-java's default).
const XERIAL_BLOCK: usize = 32 * 1024;

/// The most output one byte of a snappy block can stand for: the densest
/// element, a 3-byte copy, writes at most 64 bytes. A block whose header
/// claims more than this multiple of its length is corrupt.
const SNAPPY_MAX_EXPANSION: usize = 22;
/// The same for zstd: the densest block, a 4-byte RLE block (3-byte header
/// and the byte), writes at most 128 KiB.
const ZSTD_MAX_EXPANSION: usize = 32 * 1024;
/// How far the size a zstd frame states is trusted for sizing the output
/// buffer up front, as a multiple of the compressed input. Record sets
/// compress far less than this; past it the buffer grows with the bytes
/// actually produced, so a false claim cannot make us allocate.
const PREALLOC_MAX_RATIO: usize = 32;

impl Compression {
    pub const fn code(self) -> i16 {
        self as i16
    }

    /// The codec of a RecordBatch's attributes field.
    pub fn from_attributes(attributes: i16) -> Result<Self, DecodeError> {
        match attributes & 0x07 {
            0 => Ok(Compression::None),
            1 => Ok(Compression::Gzip),
            2 => Ok(Compression::Snappy),
            3 => Ok(Compression::Lz4),
            4 => Ok(Compression::Zstd),
            _ => Err(DecodeError::Corrupt("unknown compression codec")),
        }
    }

    /// Parses librdkafka's `compression.codec` names.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "none" => Some(Compression::None),
            "gzip" => Some(Compression::Gzip),
            "snappy" => Some(Compression::Snappy),
            "lz4" => Some(Compression::Lz4),
            "zstd" => Some(Compression::Zstd),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Snappy => "snappy",
            Compression::Lz4 => "lz4",
            Compression::Zstd => "zstd",
        }
    }

    /// Compresses a record section. `level` follows librdkafka's
    /// `compression.level`: `None` or -1 selects the codec default; values
    /// outside a codec's range are clamped. Snappy and LZ4 (the pure-Rust
    /// encoder has a single level) ignore it.
    pub fn compress(self, data: &[u8], level: Option<i32>) -> Result<Vec<u8>, EncodeError> {
        let level = level.filter(|&l| l >= 0);
        let err = |e: std::io::Error| EncodeError::Compression(format!("{}: {e}", self.name()));
        match self {
            Compression::None => Ok(data.to_vec()),
            Compression::Gzip => {
                let level = level.map_or(6, |l| l.clamp(0, 9) as u32);
                let mut enc = flate2::write::GzEncoder::new(
                    Vec::with_capacity(data.len() / 2 + 64),
                    flate2::Compression::new(level),
                );
                enc.write_all(data).map_err(err)?;
                enc.finish().map_err(err)
            }
            Compression::Snappy => xerial_snappy_compress(data),
            Compression::Lz4 => {
                // Kafka's Java LZ4 reader only accepts independent blocks.
                let info = lz4_flex::frame::FrameInfo::new()
                    .block_size(lz4_flex::frame::BlockSize::Max64KB)
                    .block_mode(lz4_flex::frame::BlockMode::Independent);
                let mut enc = lz4_flex::frame::FrameEncoder::with_frame_info(
                    info,
                    Vec::with_capacity(data.len() / 2 + 64),
                );
                enc.write_all(data).map_err(err)?;
                enc.finish()
                    .map_err(|e| EncodeError::Compression(format!("lz4: {e}")))
            }
            Compression::Zstd => {
                let range = zstd::compression_level_range();
                // Level 0 asks the library for its default.
                let level = level.map_or(0, |l| l.clamp(*range.start(), *range.end()));
                zstd_compress(data, level).map_err(err)
            }
        }
    }

    /// Decompresses a record section, refusing output larger than `max_size`.
    /// Snappy input may be xerial-framed (Java clients) or raw (librdkafka).
    pub fn decompress(self, data: &[u8], max_size: usize) -> Result<Vec<u8>, DecodeError> {
        match self {
            Compression::None => {
                if data.len() > max_size {
                    return Err(too_large(max_size));
                }
                Ok(data.to_vec())
            }
            Compression::Gzip => {
                read_bounded(flate2::read::MultiGzDecoder::new(data), max_size, None)
            }
            Compression::Snappy => snappy_decompress(data, max_size),
            Compression::Lz4 => {
                read_bounded(lz4_flex::frame::FrameDecoder::new(data), max_size, None)
            }
            Compression::Zstd => {
                let claimed = zstd_claimed_size(data, max_size)?;
                let dec = zstd::stream::read::Decoder::with_buffer(data)
                    .map_err(|e| DecodeError::Compression(format!("zstd: {e}")))?;
                let size_hint =
                    claimed.map(|n| n.min(data.len().saturating_mul(PREALLOC_MAX_RATIO)));
                read_bounded(dec, max_size, size_hint)
            }
        }
    }
}

impl FromStr for Compression {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Compression::from_name(s).ok_or_else(|| format!("unknown compression codec \"{s}\""))
    }
}

/// zstd with one compression context and output buffer per thread, kept
/// between batches: `zstd::bulk::compress` allocated a fresh context (its
/// tables are megabytes at the default level) and an output buffer of the
/// worst-case size for every batch, and handed that whole buffer on with a
/// few kilobytes used. The result is copied out at its exact size.
fn zstd_compress(data: &[u8], level: i32) -> std::io::Result<Vec<u8>> {
    use std::cell::RefCell;
    struct Scratch {
        level: i32,
        compressor: zstd::bulk::Compressor<'static>,
        out: Vec<u8>,
    }
    thread_local! {
        static SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
    }
    SCRATCH.with(|cell| {
        let mut cell = cell.borrow_mut();
        let scratch = match cell.as_mut() {
            Some(s) if s.level == level => s,
            _ => cell.insert(Scratch {
                level,
                compressor: zstd::bulk::Compressor::new(level)?,
                out: Vec::new(),
            }),
        };
        scratch.out.clear();
        scratch
            .out
            .reserve(zstd::zstd_safe::compress_bound(data.len()));
        scratch
            .compressor
            .compress_to_buffer(data, &mut scratch.out)?;
        let compressed = scratch.out.to_vec();
        // A very large batch does not pin its worst-case buffer forever.
        if scratch.out.capacity() > 4 << 20 {
            scratch.out = Vec::new();
        }
        Ok(compressed)
    })
}

/// The decompressed size the (first) zstd frame header states, if any,
/// refused when it is over `max_size` or more than `data` can hold.
fn zstd_claimed_size(data: &[u8], max_size: usize) -> Result<Option<usize>, DecodeError> {
    let Some(claimed) = zstd::zstd_safe::get_frame_content_size(data).ok().flatten() else {
        return Ok(None);
    };
    let claimed = usize::try_from(claimed).unwrap_or(usize::MAX);
    if claimed > max_size {
        return Err(too_large(max_size));
    }
    if claimed > data.len().saturating_mul(ZSTD_MAX_EXPANSION) {
        return Err(DecodeError::Compression(format!(
            "zstd: frame claims {claimed} bytes, more than its {} bytes can hold",
            data.len()
        )));
    }
    Ok(Some(claimed))
}

fn too_large(max: usize) -> DecodeError {
    DecodeError::Compression(format!(
        "decompressed size exceeds the limit of {max} bytes"
    ))
}

/// Reads a decompressor to its end, refusing more than `max_size` bytes.
/// `size_hint` (a size the frame states; not trusted beyond `max_size`)
/// sizes the buffer up front. The result never carries spare capacity: the
/// fetched messages share this buffer for as long as any of them lives, and
/// growing by doubling leaves up to half of it unused.
fn read_bounded(
    reader: impl Read,
    max_size: usize,
    size_hint: Option<usize>,
) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(size_hint.map_or(0, |n| n.min(max_size).saturating_add(1)));
    // One byte past the limit tells an output of exactly `max_size` from a
    // larger one; saturating, since `usize::MAX + 1` wraps to "read nothing".
    let read_limit = u64::try_from(max_size)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    reader
        .take(read_limit)
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::Compression(e.to_string()))?;
    if out.len() > max_size {
        return Err(too_large(max_size));
    }
    if out.capacity() - out.len() > out.len() / 16 {
        out.shrink_to_fit();
    }
    Ok(out)
}

fn xerial_snappy_compress(data: &[u8]) -> Result<Vec<u8>, EncodeError> {
    let blocks = data.len().div_ceil(XERIAL_BLOCK);
    let mut out = Vec::with_capacity(
        XERIAL_HEADER_LEN
            + blocks * 4
            + snap::raw::max_compress_len(data.len().min(XERIAL_BLOCK)) * blocks,
    );
    out.extend_from_slice(&XERIAL_MAGIC);
    out.extend_from_slice(&1i32.to_be_bytes());
    out.extend_from_slice(&1i32.to_be_bytes());
    let mut enc = snap::raw::Encoder::new();
    let mut scratch = vec![0u8; snap::raw::max_compress_len(XERIAL_BLOCK)];
    for chunk in data.chunks(XERIAL_BLOCK) {
        let n = enc
            .compress(chunk, &mut scratch)
            .map_err(|e| EncodeError::Compression(format!("snappy: {e}")))?;
        out.extend_from_slice(&(n as u32).to_be_bytes());
        out.extend_from_slice(&scratch[..n]);
    }
    Ok(out)
}

fn snappy_err(e: snap::Error) -> DecodeError {
    DecodeError::Compression(format!("snappy: {e}"))
}

/// Appends the raw snappy block `block` to `out`, checking the announced
/// size against what the block can hold and the limit before reserving
/// anything.
fn snappy_block_into(block: &[u8], out: &mut Vec<u8>, max_size: usize) -> Result<(), DecodeError> {
    let len = snap::raw::decompress_len(block).map_err(snappy_err)?;
    if len > block.len().saturating_mul(SNAPPY_MAX_EXPANSION) {
        return Err(DecodeError::Compression(format!(
            "snappy: block claims {len} bytes, more than its {} bytes can hold",
            block.len()
        )));
    }
    if len > max_size - out.len() {
        return Err(too_large(max_size));
    }
    let start = out.len();
    out.resize(start + len, 0);
    let n = snap::raw::Decoder::new()
        .decompress(block, &mut out[start..])
        .map_err(snappy_err)?;
    out.truncate(start + n);
    Ok(())
}

fn snappy_decompress(data: &[u8], max_size: usize) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    if data.len() < XERIAL_HEADER_LEN || data[..8] != XERIAL_MAGIC {
        snappy_block_into(data, &mut out, max_size)?;
        return Ok(out);
    }
    let mut rest = &data[XERIAL_HEADER_LEN..];
    while !rest.is_empty() {
        let Some((len, tail)) = rest.split_first_chunk::<4>() else {
            return Err(DecodeError::Compression(
                "snappy: truncated xerial block header".into(),
            ));
        };
        let len = u32::from_be_bytes(*len) as usize;
        if len > tail.len() {
            return Err(DecodeError::Compression(
                "snappy: truncated xerial block".into(),
            ));
        }
        let (block, tail) = tail.split_at(len);
        snappy_block_into(block, &mut out, max_size)?;
        rest = tail;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Compression; 5] = [
        Compression::None,
        Compression::Gzip,
        Compression::Snappy,
        Compression::Lz4,
        Compression::Zstd,
    ];

    fn sample() -> Vec<u8> {
        // Larger than one xerial/lz4 block and compressible.
        (0..200_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect()
    }

    #[test]
    fn zstd_reuses_its_context_across_levels_and_sizes() {
        let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        for (data, level) in [
            (&b"small"[..], None),
            (&big[..], Some(19)),
            (&b"small again"[..], Some(1)),
            (&big[..], None),
        ] {
            let packed = Compression::Zstd.compress(data, level).unwrap();
            assert!(
                packed.capacity() <= packed.len() + 64,
                "no worst-case buffer kept"
            );
            let back = Compression::Zstd.decompress(&packed, data.len()).unwrap();
            assert_eq!(back, data);
        }
    }

    #[test]
    fn decompressed_buffers_carry_no_spare_capacity() {
        let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 7) as u8).collect();
        for codec in [Compression::Gzip, Compression::Lz4, Compression::Zstd] {
            let packed = codec.compress(&data, None).unwrap();
            let back = codec.decompress(&packed, 2 << 20).unwrap();
            assert_eq!(back, data, "{}", codec.name());
            assert!(
                back.capacity() - back.len() <= back.len() / 16,
                "{}: {} bytes held for {}",
                codec.name(),
                back.capacity(),
                back.len()
            );
        }
    }

    #[test]
    fn names_and_codes() {
        for (i, c) in ALL.iter().enumerate() {
            assert_eq!(c.code(), i as i16);
            assert_eq!(Compression::from_attributes(i as i16 | 0x10), Ok(*c));
            assert_eq!(Compression::from_name(c.name()), Some(*c));
            assert_eq!(c.name().parse::<Compression>(), Ok(*c));
        }
        assert!(Compression::from_attributes(5).is_err());
        assert!("inherit".parse::<Compression>().is_err());
    }

    #[test]
    fn round_trip_every_codec_and_level() {
        let data = sample();
        for c in ALL {
            for level in [None, Some(-1), Some(1), Some(100)] {
                let z = c.compress(&data, level).unwrap();
                if c != Compression::None {
                    assert!(z.len() < data.len() / 2, "{c:?} did not compress");
                }
                assert_eq!(c.decompress(&z, data.len()).unwrap(), data, "{c:?}");
            }
            let empty = c.compress(&[], None).unwrap();
            assert_eq!(c.decompress(&empty, 0).unwrap(), Vec::<u8>::new());
        }
    }

    #[test]
    fn decompression_is_bounded() {
        let data = sample();
        for c in ALL {
            let z = c.compress(&data, None).unwrap();
            assert!(
                matches!(
                    c.decompress(&z, data.len() - 1),
                    Err(DecodeError::Compression(_))
                ),
                "{c:?}"
            );
        }
    }

    /// The 128 MiB a fetched batch may decompress to (the record-batch
    /// decoder's default limit), and no limit at all.
    const LIMITS: [usize; 2] = [128 << 20, usize::MAX];
    const GIB_4: u64 = 4 << 30;

    /// `input` must be refused with a decode error, and no single
    /// allocation made while decoding it may reach `bound` bytes.
    fn assert_refused_without_allocating(codec: Compression, input: &[u8], bound: usize) {
        for max_size in LIMITS {
            let (result, largest) =
                crate::test_alloc::largest_allocation_in(|| codec.decompress(input, max_size));
            assert!(
                result.is_err(),
                "{}: {} bytes were accepted (limit {max_size})",
                codec.name(),
                input.len()
            );
            assert!(
                largest < bound,
                "{}: allocated {largest} bytes for {} bytes of input (limit {max_size})",
                codec.name(),
                input.len()
            );
        }
    }

    /// A zstd frame whose header states `claimed` bytes of content, then
    /// RLE blocks (4 bytes for 128 KiB each) up to about 1 KB.
    fn zstd_frame_claiming(claimed: u64) -> Vec<u8> {
        let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd];
        // Frame header descriptor: 8-byte content size, single segment.
        frame.push(0xe0);
        frame.extend_from_slice(&claimed.to_le_bytes());
        let blocks = (1024 - frame.len()) / 4;
        for i in 0..blocks {
            let last = u32::from(i + 1 == blocks);
            // Last-block bit, block type 1 (RLE), regenerated size 128 KiB.
            let header = last | (1 << 1) | ((128 * 1024) << 3);
            frame.extend_from_slice(&header.to_le_bytes()[..3]);
            frame.push(b'a');
        }
        frame
    }

    #[test]
    fn zstd_blowup_memory() {
        for claimed in [GIB_4, 100 << 20] {
            let frame = zstd_frame_claiming(claimed);
            assert!(frame.len() <= 1024);
            assert_refused_without_allocating(Compression::Zstd, &frame, 1 << 20);
        }
    }

    /// A raw snappy block stating `claimed` bytes, then about 1 KB of
    /// 64-byte copies.
    fn snappy_block_claiming(claimed: u32) -> Vec<u8> {
        let mut block = Vec::new();
        let mut n = claimed;
        while n >= 0x80 {
            block.push((n as u8) | 0x80);
            n >>= 7;
        }
        block.push(n as u8);
        // A one-byte literal, then copies of it (tag 2: 2-byte offset).
        block.extend_from_slice(&[0x00, b'a']);
        while block.len() + 3 <= 1024 {
            block.extend_from_slice(&[(63 << 2) | 2, 1, 0]);
        }
        block
    }

    #[test]
    fn snappy_blowup_memory() {
        for claimed in [u32::MAX, 100 << 20] {
            let raw = snappy_block_claiming(claimed);
            assert_refused_without_allocating(Compression::Snappy, &raw, 1 << 20);
            let mut xerial = b"\x82SNAPPY\0\0\0\0\x01\0\0\0\x01".to_vec();
            xerial.extend_from_slice(&(raw.len() as u32).to_be_bytes());
            xerial.extend_from_slice(&raw);
            assert_refused_without_allocating(Compression::Snappy, &xerial, 1 << 20);
        }
    }

    #[test]
    fn lz4_blowup_memory() {
        use lz4_flex::frame::{BlockMode, BlockSize, FrameEncoder, FrameInfo};
        // The largest blocks and linked mode make the decoder reserve the
        // most it ever does for its block buffers (2 x 4 MiB + 64 KiB); the
        // frame's stated content size must not be used for anything.
        let info = FrameInfo::new()
            .block_size(BlockSize::Max4MB)
            .block_mode(BlockMode::Linked)
            .content_size(Some(GIB_4));
        let mut enc = FrameEncoder::with_frame_info(info, Vec::new());
        enc.write_all(&[0u8; 200_000]).unwrap();
        enc.flush().unwrap();
        let mut frame = enc.get_ref().clone();
        frame.extend_from_slice(&[0, 0, 0, 0]);
        assert!(frame.len() <= 1024, "{}", frame.len());
        assert_refused_without_allocating(Compression::Lz4, &frame, 9 << 20);
    }

    #[test]
    fn gzip_blowup_memory() {
        // 1 MiB of zeros in about 1 KB, the trailer stating 4 GiB - 1.
        let mut member = Compression::Gzip.compress(&[0u8; 1 << 20], None).unwrap();
        assert!(member.len() <= 1100, "{}", member.len());
        let len = member.len();
        member[len - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_refused_without_allocating(Compression::Gzip, &member, 4 << 20);
    }

    #[test]
    fn snappy_uses_xerial_framing() {
        let data = sample();
        let z = Compression::Snappy.compress(&data, None).unwrap();
        assert_eq!(&z[..16], b"\x82SNAPPY\0\0\0\0\x01\0\0\0\x01");
        // The first block holds exactly 32 KiB of input.
        let len = u32::from_be_bytes([z[16], z[17], z[18], z[19]]) as usize;
        let block = &z[20..20 + len];
        assert_eq!(snap::raw::decompress_len(block).unwrap(), XERIAL_BLOCK);
    }

    #[test]
    fn raw_snappy_is_accepted() {
        let data = b"raw snappy as librdkafka sends it, raw snappy, raw snappy".to_vec();
        let raw = snap::raw::Encoder::new().compress_vec(&data).unwrap();
        assert_eq!(Compression::Snappy.decompress(&raw, 1000).unwrap(), data);
        assert!(Compression::Snappy.decompress(&raw, 10).is_err());
    }

    #[test]
    fn lz4_is_an_independent_block_frame() {
        let z = Compression::Lz4
            .compress(b"hello hello hello", None)
            .unwrap();
        assert_eq!(&z[..4], &[0x04, 0x22, 0x4d, 0x18]);
        // FLG: version 01, block independence set.
        assert_eq!(z[4] & 0xe0, 0x60);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let junk: Vec<u8> = (0..300u32).map(|i| (i * 37 % 256) as u8).collect();
        for c in ALL[1..].iter() {
            for cut in [0, 1, 5, 17, 100, 300] {
                let _ = c.decompress(&junk[..cut], 1 << 20);
            }
            let good = c.compress(&sample(), None).unwrap();
            for cut in (0..good.len()).step_by(97) {
                let _ = c.decompress(&good[..cut], 1 << 20);
            }
        }
        let mut bad_xerial = b"\x82SNAPPY\0\0\0\0\x01\0\0\0\x01".to_vec();
        bad_xerial.extend_from_slice(&[0, 0, 0, 50, 1]);
        assert!(Compression::Snappy.decompress(&bad_xerial, 100).is_err());
    }
}
