//! Our partitioners must pick the same partitions as librdkafka's, through
//! both the Rust API and our exported C functions.

mod support;

use ferrokafka::partitioner::Partitioner;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use support::{build_c, peers_dir, run_with_timeout, Against};

/// Includes counts where librdkafka's unsigned modulo matters (large ones).
const COUNTS: [i32; 7] = [1, 3, 7, 64, 1000, 65537, i32::MAX];

/// NULL, empty, the published murmur2 vectors, and a few thousand
/// deterministic keys of lengths 0..=40 covering all tail lengths.
fn keys() -> Vec<Option<Vec<u8>>> {
    let mut keys: Vec<Option<Vec<u8>>> = vec![None, Some(Vec::new())];
    for s in [
        "21",
        "foobar",
        "a-little-bit-long-string",
        "a-little-bit-longer-string",
        "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
        "abc",
        "kafka",
        "giberish123456789",
        "1234",
        "234",
        "34",
        "4",
        "PreAmbleWillBeRemoved,ThePrePartThatIs",
    ] {
        keys.push(Some(s.as_bytes().to_vec()));
    }
    for i in 0..3000usize {
        let len = i % 41;
        keys.push(Some(
            (0..len)
                .map(|j| ((i * 131 + j * 17 + (i >> 3)) & 0xff) as u8)
                .collect(),
        ));
    }
    // High bytes everywhere: sign-extension bugs would show up here.
    keys.push(Some(vec![0xff; 37]));
    keys.push(Some(vec![0x80; 5]));
    keys
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The table the C program prints, computed with our Rust API.
fn rust_table(keys: &[Option<Vec<u8>>]) -> String {
    let mut out = String::new();
    for (n, key) in keys.iter().enumerate() {
        let key = key.as_deref();
        for cnt in COUNTS {
            let _ = write!(out, "{} {cnt}", n + 1);
            for p in [
                Partitioner::Murmur2,
                Partitioner::Consistent,
                Partitioner::Fnv1a,
                Partitioner::Murmur2Random,
                Partitioner::Fnv1aRandom,
                Partitioner::ConsistentRandom,
            ] {
                if p.is_random_for(key) {
                    out.push_str(" -");
                } else {
                    let _ = write!(out, " {}", p.partition(key, cnt));
                }
            }
            out.push('\n');
        }
    }
    out
}

fn c_table(against: Against, keys: &[Option<Vec<u8>>]) -> String {
    let src = peers_dir().join("partitioners.c");
    let exe = build_c("partitioners", &[Path::new(&src)], against, &[]);
    let input: String = keys
        .iter()
        .map(|k| k.as_deref().map_or_else(|| "-".to_string(), hex) + "\n")
        .collect();
    let mut cmd = Command::new(&exe);
    cmd.args(COUNTS.map(|c| c.to_string()));
    let done = run_with_timeout(&mut cmd, Some(input.as_bytes()), Duration::from_secs(120));
    assert!(
        done.success(),
        "{against:?} partitioners program failed:\n{}",
        done.describe()
    );
    done.stdout_str()
}

fn assert_same_table(what: &str, expected: &str, actual: &str) {
    for (n, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        assert_eq!(a, e, "{what}: first difference on output line {}", n + 1);
    }
    assert_eq!(
        actual.lines().count(),
        expected.lines().count(),
        "{what}: line counts differ"
    );
}

#[test]
fn rust_partitioners_match_librdkafka() {
    let keys = keys();
    let expected = c_table(Against::Librdkafka, &keys);
    assert_same_table("Rust API vs librdkafka", &expected, &rust_table(&keys));
}

/// Builds the same C program against ferrokafka. Until our header is
/// generated, `-I include` finds nothing and the compiler falls back to the
/// system header, whose prototypes are identical; the calls still go to our
/// library, which is what this checks.
#[test]
fn exported_c_partitioners_match_librdkafka() {
    let keys = keys();
    let expected = c_table(Against::Librdkafka, &keys);
    assert_same_table(
        "ferrokafka C ABI vs librdkafka",
        &expected,
        &c_table(Against::Ours, &keys),
    );
}

/// Java's default partitioner: `toPositive(murmur2(key)) % n`, using the
/// hash values from the Java client's own unit test.
#[test]
fn murmur2_partition_matches_java_default_partitioner() {
    let java: [(&[u8], i32); 6] = [
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
    for (key, hash) in java {
        let positive = (hash & 0x7fff_ffff) as i64;
        for cnt in COUNTS {
            assert_eq!(
                i64::from(Partitioner::Murmur2.partition(Some(key), cnt)),
                positive % i64::from(cnt),
                "key {:?} over {cnt} partitions",
                String::from_utf8_lossy(key)
            );
        }
    }
}
