//! confluent-kafka (Python) peers: `tests/peers/produce.py` and `consume.py`.

use super::process::{run_with_timeout, Finished};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Extra time over a script's own timeout for interpreter start-up and
/// teardown before the process is killed.
const GRACE: Duration = Duration::from_secs(20);

/// One message as read by `consume.py`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumedMsg {
    pub partition: i32,
    pub offset: i64,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    /// (name, value) in wire order.
    pub headers: Vec<(String, Option<Vec<u8>>)>,
    /// (librdkafka timestamp type, milliseconds): 0 none, 1 create, 2 log-append.
    pub timestamp: (i32, i64),
}

/// Value of message `index` as produced by `produce.py --size size`.
pub fn expected_value(index: usize, size: usize) -> Vec<u8> {
    (0..size)
        .map(|j| ((index * 31 + j * 7) % 251) as u8)
        .collect()
}

/// Key of message `index` as produced by `produce.py --keys`.
pub fn expected_key(index: usize) -> Vec<u8> {
    format!("key-{index}").into_bytes()
}

/// Options for [`python_produce`]; `Default` is: no compression, no keys,
/// no headers, partitioner's choice.
#[derive(Clone, Debug, Default)]
pub struct ProduceOpts<'a> {
    pub compression: Option<&'a str>,
    pub keys: bool,
    pub headers: bool,
    pub partition: Option<i32>,
    /// Extra `KEY=VALUE` configuration (`--conf`).
    pub conf: &'a [&'a str],
}

/// Options for [`run_python_consume`].
#[derive(Clone, Debug, Default)]
pub struct ConsumeOpts<'a> {
    /// Subscribe with this group instead of assigning all partitions.
    pub group: Option<&'a str>,
    /// Extra `KEY=VALUE` configuration (`--conf`).
    pub conf: &'a [&'a str],
}

fn script(name: &str) -> String {
    super::paths::peers_dir()
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// The interpreter that runs the peers: `$PYTHON`, else `python3` (the one
/// `tests/setup-peers.sh` installs the peers for).
pub(super) fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string())
}

/// Produces `count` deterministic messages of `size` bytes with
/// confluent-kafka; returns how many were delivered. Panics (with the
/// script's output) unless all were delivered within `timeout`.
pub fn python_produce(
    bootstrap: &str,
    topic: &str,
    count: usize,
    size: usize,
    opts: &ProduceOpts,
    timeout: Duration,
) -> usize {
    let mut cmd = Command::new(python());
    cmd.arg(script("produce.py"))
        .args(["--bootstrap", bootstrap, "--topic", topic])
        .args(["--count", &count.to_string(), "--size", &size.to_string()])
        .args(["--timeout", &timeout.as_secs_f64().to_string()]);
    if let Some(c) = opts.compression {
        cmd.args(["--compression", c]);
    }
    if opts.keys {
        cmd.arg("--keys");
    }
    if opts.headers {
        cmd.arg("--headers");
    }
    if let Some(p) = opts.partition {
        cmd.args(["--partition", &p.to_string()]);
    }
    for c in opts.conf {
        cmd.args(["--conf", c]);
    }
    let done = run_with_timeout(&mut cmd, None, timeout + GRACE);
    let delivered = done
        .stdout_str()
        .lines()
        .find_map(|l| l.strip_prefix("DELIVERED ")?.trim().parse::<usize>().ok());
    assert!(
        done.success() && delivered == Some(count),
        "produce.py delivered {delivered:?} of {count}:\n{}",
        done.describe()
    );
    count
}

/// Reads exactly `count` messages from all partitions of `topic` (from the
/// beginning, no consumer group). Panics with the script's output if fewer
/// arrive within `timeout`.
pub fn python_consume(
    bootstrap: &str,
    topic: &str,
    count: usize,
    timeout: Duration,
) -> Vec<ConsumedMsg> {
    expect_all(
        run_python_consume(bootstrap, topic, count, timeout, &ConsumeOpts::default()),
        count,
    )
}

/// Like [`python_consume`] but as a member of consumer group `group`.
pub fn python_consume_group(
    bootstrap: &str,
    topic: &str,
    count: usize,
    group: &str,
    timeout: Duration,
) -> Vec<ConsumedMsg> {
    let opts = ConsumeOpts {
        group: Some(group),
        ..Default::default()
    };
    expect_all(
        run_python_consume(bootstrap, topic, count, timeout, &opts),
        count,
    )
}

fn expect_all((msgs, done): (Vec<ConsumedMsg>, Finished), count: usize) -> Vec<ConsumedMsg> {
    assert!(
        done.success() && msgs.len() == count,
        "consume.py read {} of {count} messages:\n{}",
        msgs.len(),
        done.describe()
    );
    msgs
}

/// Runs `consume.py` and returns whatever it read plus how it ended, for
/// tests that expect fewer messages than asked for.
pub fn run_python_consume(
    bootstrap: &str,
    topic: &str,
    count: usize,
    timeout: Duration,
    opts: &ConsumeOpts,
) -> (Vec<ConsumedMsg>, Finished) {
    run_python_consume_with(bootstrap, topic, count, timeout, opts, &[])
}

/// [`run_python_consume`] with extra configuration properties
/// (`NAME=VALUE`), e.g. confluent-kafka's `ssl.*` settings.
pub fn run_python_consume_with(
    bootstrap: &str,
    topic: &str,
    count: usize,
    timeout: Duration,
    opts: &ConsumeOpts,
    conf: &[String],
) -> (Vec<ConsumedMsg>, Finished) {
    let mut cmd = consume_command(bootstrap, topic, count, timeout);
    add_consume_opts(&mut cmd, opts, conf);
    run_consume_command(&mut cmd, timeout)
}

/// [`run_python_consume`] that the test can follow and end early: the
/// position of every message read is appended to `progress` at once, and
/// the script stops (successfully) once the file `stop` exists.
pub fn run_python_consume_until(
    bootstrap: &str,
    topic: &str,
    count: usize,
    timeout: Duration,
    opts: &ConsumeOpts,
    progress: &Path,
    stop: &Path,
) -> (Vec<ConsumedMsg>, Finished) {
    let mut cmd = consume_command(bootstrap, topic, count, timeout);
    add_consume_opts(&mut cmd, opts, &[]);
    cmd.arg("--progress")
        .arg(progress)
        .arg("--stop-file")
        .arg(stop);
    run_consume_command(&mut cmd, timeout)
}

fn add_consume_opts(cmd: &mut Command, opts: &ConsumeOpts, conf: &[String]) {
    if let Some(g) = opts.group {
        cmd.args(["--group", g]);
    }
    for c in opts
        .conf
        .iter()
        .copied()
        .chain(conf.iter().map(String::as_str))
    {
        cmd.args(["--conf", c]);
    }
}

/// Reads every partition of `topic` (no consumer group) from the beginning
/// to the high watermark it has when the reader starts, duplicates
/// included: for checking a log whose exact length is not known. Panics
/// with the script's output unless it got there within `timeout`.
pub fn python_read_to_end(bootstrap: &str, topic: &str, timeout: Duration) -> Vec<ConsumedMsg> {
    let mut cmd = consume_command(bootstrap, topic, usize::MAX, timeout);
    cmd.arg("--to-end");
    let (msgs, done) = run_consume_command(&mut cmd, timeout);
    assert!(
        done.success(),
        "consume.py --to-end did not reach the end of {topic} ({} read):\n{}",
        msgs.len(),
        done.describe()
    );
    msgs
}

fn consume_command(bootstrap: &str, topic: &str, count: usize, timeout: Duration) -> Command {
    let mut cmd = Command::new(python());
    cmd.arg(script("consume.py"))
        .args(["--bootstrap", bootstrap, "--topic", topic])
        .args(["--count", &count.to_string()])
        .args(["--timeout", &timeout.as_secs_f64().to_string()]);
    cmd
}

fn run_consume_command(cmd: &mut Command, timeout: Duration) -> (Vec<ConsumedMsg>, Finished) {
    let done = run_with_timeout(cmd, None, timeout + GRACE);
    let stdout = done.stdout_str();
    let mut msgs = Vec::new();
    for line in stdout.lines().filter(|l| l.starts_with("MSG\t")) {
        match parse_msg_line(line) {
            Some(msg) => msgs.push(msg),
            None => panic!("malformed consume.py line {line:?}:\n{}", done.describe()),
        }
    }
    (msgs, done)
}

fn parse_msg_line(line: &str) -> Option<ConsumedMsg> {
    let fields: Vec<&str> = line.split('\t').collect();
    let [_, partition, offset, key, value, ts_type, ts, headers] = fields.as_slice() else {
        return None;
    };
    let headers = if headers.is_empty() {
        Vec::new()
    } else {
        headers
            .split(',')
            .map(|pair| {
                let (name, value) = pair.split_once('=')?;
                let name = String::from_utf8(hex_or_null(name)??).ok()?;
                Some((name, hex_or_null(value)?))
            })
            .collect::<Option<Vec<_>>>()?
    };
    Some(ConsumedMsg {
        partition: partition.parse().ok()?,
        offset: offset.parse().ok()?,
        key: hex_or_null(key)?,
        value: hex_or_null(value)?,
        headers,
        timestamp: (ts_type.parse().ok()?, ts.parse().ok()?),
    })
}

/// "-" is NULL; otherwise lowercase or uppercase hex. `None` if malformed.
fn hex_or_null(field: &str) -> Option<Option<Vec<u8>>> {
    if field == "-" {
        return Some(None);
    }
    if field.len() % 2 != 0 {
        return None;
    }
    (0..field.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(field.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()
        .map(Some)
}

/// The command that runs the confluent-kafka peer script `name` (in
/// tests/peers/) with `args`, for a test that drives it (`Driven::spawn`).
pub fn python_peer_command(name: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(python());
    cmd.arg(script(name)).args(args);
    cmd
}

/// One record read back by `read_all.py`: its partition and offset, the
/// index of its `key-<index>` (-1 for another key), and whether its value
/// is the one `expected_value(index, size)` gives.
pub type ReadRecord = (i32, i64, i64, bool);

/// confluent-kafka's read of a whole topic, every partition from its low to
/// its high watermark (`tests/peers/read_all.py`), in offset order per
/// partition. Panics if the script fails or times out.
pub fn read_all_records(
    bootstrap: &str,
    topic: &str,
    value_size: usize,
    timeout: Duration,
) -> Vec<ReadRecord> {
    let done = run_python_peer(
        "read_all.py",
        &[
            "--bootstrap",
            bootstrap,
            "--topic",
            topic,
            "--size",
            &value_size.to_string(),
            "--timeout",
            &timeout.as_secs().to_string(),
        ],
        timeout + Duration::from_secs(30),
    );
    assert!(done.success(), "read_all.py failed:\n{}", done.describe());
    done.stdout_str()
        .lines()
        .filter_map(|l| l.strip_prefix("M\t"))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                f[0].parse().expect("partition"),
                f[1].parse().expect("offset"),
                f[2].parse().expect("index"),
                f[3] == "1",
            )
        })
        .collect()
}

/// Runs the confluent-kafka peer script `name` (in tests/peers/) with `args`,
/// killed after `timeout`, for scripts that check their own results and
/// report them on stdout.
pub fn run_python_peer(name: &str, args: &[&str], timeout: Duration) -> Finished {
    let mut cmd = python_peer_command(name, args);
    run_with_timeout(&mut cmd, None, timeout + GRACE)
}
