//! Partitioners with librdkafka's names and results.
//!
//! Each keyed partitioner must pick exactly the partition librdkafka (and,
//! for murmur2, the Java client; for fnv1a, Sarama) picks for the same key,
//! because applications mixing clients rely on co-partitioning. The hash
//! functions are therefore bit-for-bit re-implementations, including their
//! quirks (murmur2's NULL key hashes like an empty key; fnv1a takes a wrapping
//! absolute value of a signed result).
//!
//! Where librdkafka distinguishes "no key" from "empty key" it does so by the
//! key pointer (`murmur2_random`, `fnv1a_random`) or by the key length
//! (`consistent_random`); `key: Option<&[u8]>` carries both facts.

use std::cell::Cell;

/// A partitioner selectable through the `partitioner` topic property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partitioner {
    /// Uniformly random partition.
    Random,
    /// CRC-32 of the key; NULL and empty keys all map to one partition.
    Consistent,
    /// CRC-32 of the key; NULL and empty keys are spread randomly.
    ConsistentRandom,
    /// Java-compatible murmur2 of the key; NULL keys hash like empty keys.
    Murmur2,
    /// Java-compatible murmur2 of the key; NULL keys are spread randomly
    /// (empty, non-NULL keys are still hashed).
    Murmur2Random,
    /// Sarama-compatible FNV-1a of the key; NULL keys hash like empty keys.
    Fnv1a,
    /// Sarama-compatible FNV-1a of the key; NULL keys are spread randomly.
    Fnv1aRandom,
}

impl Partitioner {
    /// Looks up a partitioner by its librdkafka configuration name
    /// (`random`, `consistent`, `consistent_random`, `murmur2`,
    /// `murmur2_random`, `fnv1a`, `fnv1a_random`).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "random" => Partitioner::Random,
            "consistent" => Partitioner::Consistent,
            "consistent_random" => Partitioner::ConsistentRandom,
            "murmur2" => Partitioner::Murmur2,
            "murmur2_random" => Partitioner::Murmur2Random,
            "fnv1a" => Partitioner::Fnv1a,
            "fnv1a_random" => Partitioner::Fnv1aRandom,
            _ => return None,
        })
    }

    /// The librdkafka configuration name of this partitioner.
    pub fn name(self) -> &'static str {
        match self {
            Partitioner::Random => "random",
            Partitioner::Consistent => "consistent",
            Partitioner::ConsistentRandom => "consistent_random",
            Partitioner::Murmur2 => "murmur2",
            Partitioner::Murmur2Random => "murmur2_random",
            Partitioner::Fnv1a => "fnv1a",
            Partitioner::Fnv1aRandom => "fnv1a_random",
        }
    }

    /// Whether this partitioner picks randomly for `key` (rather than as a
    /// pure function of it).
    pub fn is_random_for(self, key: Option<&[u8]>) -> bool {
        match self {
            Partitioner::Random => true,
            Partitioner::Consistent | Partitioner::Murmur2 | Partitioner::Fnv1a => false,
            Partitioner::ConsistentRandom => key.map_or(true, |k| k.is_empty()),
            Partitioner::Murmur2Random | Partitioner::Fnv1aRandom => key.is_none(),
        }
    }

    /// Picks a partition in `0..partition_cnt` for `key`.
    ///
    /// A non-positive `partition_cnt` has no valid answer; it yields
    /// `RD_KAFKA_PARTITION_UA` (-1) rather than dividing by zero, so callers
    /// treat it like "partition unknown yet".
    pub fn partition(self, key: Option<&[u8]>, partition_cnt: i32) -> i32 {
        if partition_cnt <= 0 {
            return PARTITION_UA;
        }
        if self.is_random_for(key) {
            return random_partition(partition_cnt);
        }
        let bytes = key.unwrap_or(&[]);
        let hash = match self {
            Partitioner::Consistent | Partitioner::ConsistentRandom => crc32(bytes),
            Partitioner::Murmur2 | Partitioner::Murmur2Random => murmur2(bytes) & 0x7fff_ffff,
            Partitioner::Fnv1a | Partitioner::Fnv1aRandom => fnv1a(bytes),
            // Already answered by is_random_for above.
            Partitioner::Random => return random_partition(partition_cnt),
        };
        // librdkafka reduces the unsigned hash modulo the (positive) count in
        // unsigned arithmetic; the result is below partition_cnt so fits i32.
        (hash % partition_cnt as u32) as i32
    }
}

/// Whether the producer should skip the partitioner and use the topic's
/// sticky partition (`sticky.partitioning.linger.ms`) for this message, by
/// librdkafka's rule: stickiness needs a positive linger and a partitioner
/// that is not one of the purely deterministic `consistent`, `murmur2`,
/// `fnv1a` (`partitioner` is `None` for an application `partitioner_cb`,
/// which is eligible); it then applies to NULL keys, and also to empty keys
/// under `consistent_random`.
pub fn uses_sticky_partition(
    partitioner: Option<Partitioner>,
    sticky_linger_ms: i64,
    key: Option<&[u8]>,
) -> bool {
    let eligible = sticky_linger_ms > 0
        && !matches!(
            partitioner,
            Some(Partitioner::Consistent | Partitioner::Murmur2 | Partitioner::Fnv1a)
        );
    let keyless = match key {
        None => true,
        Some(k) => k.is_empty() && partitioner == Some(Partitioner::ConsistentRandom),
    };
    eligible && keyless
}

/// `RD_KAFKA_PARTITION_UA`: the "unassigned partition" marker.
const PARTITION_UA: i32 = -1;

/// IEEE CRC-32 (the zlib one), as librdkafka's `consistent` partitioner uses.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(data);
    crc.sum()
}

/// Murmur2 as in the Java client's `Utils.murmur2` (seed 0x9747b28c), returned
/// as the unsigned bit pattern of Java's `int` result.
pub fn murmur2(data: &[u8]) -> u32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;

    // Java computes the length as an int; keys beyond 4 GiB do not exist in
    // Kafka (message size is an i32), so truncation here is what Java does.
    let mut h = SEED ^ (data.len() as u32);
    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        let mut k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate().rev() {
            h ^= u32::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h
}

/// 32-bit FNV-1a computed in signed arithmetic and folded to its absolute
/// value, matching Sarama's `NewHashPartitioner` (and thus librdkafka).
/// `i32::MIN` has no positive counterpart and stays as is, as in C.
pub fn fnv1a(data: &[u8]) -> u32 {
    const PRIME: u32 = 0x0100_0193;
    const OFFSET: u32 = 0x811c_9dc5;
    let h = data
        .iter()
        .fold(OFFSET, |h, &b| (h ^ u32::from(b)).wrapping_mul(PRIME));
    (h as i32).wrapping_abs() as u32
}

thread_local! {
    static RNG_STATE: Cell<u64> = Cell::new(seed());
}

/// Seeds each thread differently so concurrent producers do not pick the
/// same sequence of partitions.
fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    // RandomState is randomly keyed per process (and per instance), which is
    // all the entropy partition spreading needs.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0),
    );
    // xorshift must never hold zero or it stays zero forever.
    hasher.finish() | 1
}

/// Next value of a thread-local xorshift64* generator (also the jitter of
/// reconnect backoffs).
pub(crate) fn next_random() -> u64 {
    RNG_STATE.with(|state| {
        let mut x = state.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        state.set(x);
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    })
}

/// A uniformly distributed partition in `0..partition_cnt` (which must be
/// positive). The modulo bias over 2^32 values is negligible for realistic
/// partition counts.
fn random_partition(partition_cnt: i32) -> i32 {
    ((next_random() >> 32) % partition_cnt as u64) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Partitioner; 7] = [
        Partitioner::Random,
        Partitioner::Consistent,
        Partitioner::ConsistentRandom,
        Partitioner::Murmur2,
        Partitioner::Murmur2Random,
        Partitioner::Fnv1a,
        Partitioner::Fnv1aRandom,
    ];

    #[test]
    fn names_round_trip() {
        for p in ALL {
            assert_eq!(Partitioner::from_name(p.name()), Some(p));
        }
        assert_eq!(Partitioner::from_name("Murmur2"), None);
        assert_eq!(Partitioner::from_name(""), None);
    }

    /// Values from the Java client's own murmur2 unit test.
    #[test]
    fn murmur2_matches_java_vectors() {
        let cases: [(&[u8], i32); 6] = [
            (b"21", -973932308),
            (b"foobar", -790332482),
            (b"a-little-bit-long-string", -985981536),
            (b"a-little-bit-longer-string", -1486304829),
            (
                b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58897971,
            ),
            (b"abc", 479470107),
        ];
        for (key, expected) in cases {
            assert_eq!(murmur2(key) as i32, expected, "key {key:?}");
        }
    }

    /// Values librdkafka's own murmur2 unit test expects, covering every
    /// tail length and the empty key.
    #[test]
    fn murmur2_matches_librdkafka_vectors() {
        let unaligned = b"PreAmbleWillBeRemoved,ThePrePartThatIs";
        let cases: [(&[u8], u32); 11] = [
            (b"kafka", 0xd067cf64),
            (b"giberish123456789", 0x8f552b0c),
            (b"1234", 0x9fc97b14),
            (b"234", 0xe7c009ca),
            (b"34", 0x873930da),
            (b"4", 0x5a4b5ca1),
            (unaligned, 0x78424f1c),
            (&unaligned[1..], 0x4a62b377),
            (&unaligned[2..], 0xe0e4e09e),
            (&unaligned[3..], 0x62b8b43f),
            (b"", 0x106e08d9),
        ];
        for (key, expected) in cases {
            assert_eq!(murmur2(key), expected, "key {key:?}");
        }
    }

    #[test]
    fn fnv1a_known_values() {
        // Empty input leaves the offset basis, which is negative as i32.
        assert_eq!(fnv1a(b""), (0x811c9dc5u32 as i32).wrapping_abs() as u32);
        // FNV-1a("a") = 0xe40c292c, negative as i32, hence folded.
        assert_eq!(fnv1a(b"a"), (0xe40c292cu32 as i32).wrapping_abs() as u32);
        assert!(fnv1a(b"kafka") <= i32::MAX as u32);
    }

    #[test]
    fn crc32_is_zlib_crc() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xcbf43926);
    }

    #[test]
    fn null_key_rules() {
        // Deterministic partitioners treat NULL like the empty key.
        for p in [
            Partitioner::Consistent,
            Partitioner::Murmur2,
            Partitioner::Fnv1a,
        ] {
            for cnt in [1, 3, 7, 64] {
                assert_eq!(p.partition(None, cnt), p.partition(Some(b""), cnt));
            }
        }
        // consistent_random randomises empty keys; the hash variants only NULL.
        assert!(Partitioner::ConsistentRandom.is_random_for(Some(b"")));
        assert!(Partitioner::ConsistentRandom.is_random_for(None));
        assert!(!Partitioner::Murmur2Random.is_random_for(Some(b"")));
        assert!(Partitioner::Murmur2Random.is_random_for(None));
        assert!(!Partitioner::Fnv1aRandom.is_random_for(Some(b"")));
        assert!(Partitioner::Fnv1aRandom.is_random_for(None));
        assert_eq!(
            Partitioner::Murmur2Random.partition(Some(b""), 64),
            Partitioner::Murmur2.partition(Some(b""), 64)
        );
    }

    #[test]
    fn sticky_rule_matches_librdkafka() {
        let cr = Some(Partitioner::ConsistentRandom);
        assert!(uses_sticky_partition(cr, 10, None));
        assert!(uses_sticky_partition(cr, 10, Some(b"")));
        assert!(!uses_sticky_partition(cr, 10, Some(b"k")));
        assert!(!uses_sticky_partition(cr, 0, None));
        // Even the random partitioner and custom callbacks stick for NULL keys.
        assert!(uses_sticky_partition(Some(Partitioner::Random), 10, None));
        assert!(uses_sticky_partition(None, 10, None));
        assert!(!uses_sticky_partition(None, 10, Some(b"")));
        assert!(uses_sticky_partition(
            Some(Partitioner::Murmur2Random),
            10,
            None
        ));
        assert!(!uses_sticky_partition(
            Some(Partitioner::Murmur2Random),
            10,
            Some(b"")
        ));
        for p in [
            Partitioner::Consistent,
            Partitioner::Murmur2,
            Partitioner::Fnv1a,
        ] {
            assert!(!uses_sticky_partition(Some(p), 10, None));
        }
    }

    #[test]
    fn random_stays_in_range_and_spreads() {
        let mut seen = [false; 7];
        for _ in 0..2000 {
            let p = Partitioner::Random.partition(Some(b"k"), 7);
            assert!((0..7).contains(&p));
            seen[p as usize] = true;
        }
        assert!(
            seen.iter().all(|&s| s),
            "2000 draws never hit some partition"
        );
    }

    #[test]
    fn every_partitioner_handles_bad_counts() {
        for p in ALL {
            assert_eq!(p.partition(Some(b"x"), 0), PARTITION_UA);
            assert_eq!(p.partition(None, -5), PARTITION_UA);
            assert_eq!(p.partition(Some(b"x"), 1), 0);
        }
    }
}
