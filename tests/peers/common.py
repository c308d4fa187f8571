"""Shared pieces of the confluent-kafka test peers.

Output lines are tab-separated so the Rust side needs no JSON parser;
binary fields are hex, and "-" stands for NULL (an empty field is an empty,
non-NULL value).
"""


def hexornull(data):
    return "-" if data is None else data.hex()


def expected_value(index, size):
    """Deterministic payload of message `index`; mirrored in
    tests/support/python.rs so consumers can verify every byte."""
    return bytes((index * 31 + j * 7) % 251 for j in range(size))


def expected_key(index):
    return b"key-%d" % index


def extra_conf(pairs):
    """--conf KEY=VALUE arguments as a configuration dict."""
    conf = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit("--conf expects KEY=VALUE, not %r" % pair)
        conf[key] = value
    return conf
