"""Checks statistics documents against librdkafka's STATISTICS.md.

Reads stats_keys.py's JSON output on stdin. The documented fields are
taken from STATISTICS.md itself (its field tables, one per section), not
from a copy here, so a field the document lists and the library leaves
out fails. Every documented field must be present with its documented
type (string, int, int gauge, object, bool); window objects must carry
every field of "Window stats". Then the values must fit the run: the
messages produced and consumed, the requests sent, the offsets committed.

Prints "ok" last; exits non-zero with the problems found.

usage: stats_check.py STATISTICS.md[.gz] < stats_keys.out
"""
import gzip
import json
import sys

problems = []


def check(cond, what):
    if not cond:
        problems.append(what)


def sections(path):
    """{section title: [(field, type, description)]} from the tables."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    out, title = {}, None
    for line in lines:
        if line.startswith("## ") or line.startswith("# "):
            title = line.lstrip("#").strip()
            continue
        cells = [c.strip() for c in line.split("|")]
        if title is None or len(cells) < 4 or cells[0] in ("Field", "") or set(cells[0]) <= {"-"}:
            continue
        out.setdefault(title, []).append((cells[0], cells[1], cells[3]))
    return out


def type_ok(value, documented):
    if documented == "string":
        return isinstance(value, str)
    if documented in ("int", "int gauge"):
        return isinstance(value, int) and not isinstance(value, bool)
    if documented == "object":
        return isinstance(value, dict)
    if documented == "bool":
        return isinstance(value, bool)
    return False


def fields(obj, table, where, doc_sections, optional=()):
    for name, typ, desc in table:
        if name not in obj:
            check(name in optional, "%s: %s missing" % (where, name))
            continue
        check(type_ok(obj[name], typ), "%s.%s: %r is not %s" % (where, name, obj[name], typ))
        if "Window stats" in desc and isinstance(obj[name], dict):
            fields(obj[name], doc_sections["Window stats"], where + "." + name, doc_sections)


def structure(doc, doc_sections, kind):
    top = doc_sections["Top-level"]
    # cgrp only with a group, eos only for an idempotent producer (both
    # are in this run's documents of that kind).
    fields(doc, top, kind, doc_sections, optional=("cgrp", "eos"))
    for bname, b in doc["brokers"].items():
        fields(b, doc_sections["brokers"], "broker " + bname, doc_sections)
        for key, tp in b.get("toppars", {}).items():
            fields(tp, doc_sections["brokers.toppars"], "toppar " + key, doc_sections)
    for tname, t in doc["topics"].items():
        fields(t, doc_sections["topics"], "topic " + tname, doc_sections)
        for pid, p in t["partitions"].items():
            fields(p, doc_sections["partitions"], "partition %s/%s" % (tname, pid), doc_sections)
    for section in ("cgrp", "eos"):
        if section in doc:
            fields(doc[section], doc_sections[section], section, doc_sections)


def window_total(docs, pick):
    """A window's samples over every document (each rolls its window)."""
    return sum(pick(d)["cnt"] for d in docs if pick(d) is not None)


doc_sections = sections(sys.argv[1])
for needed in ("Top-level", "brokers", "Window stats", "brokers.toppars", "topics",
               "partitions", "cgrp", "eos"):
    check(len(doc_sections.get(needed, [])) > 0, "STATISTICS.md has no %s table" % needed)
run = json.loads(sys.stdin.read().splitlines()[-1])
count, lag_base, topic = run["count"], run["lag_base"], run["topic"]
pdocs, cdocs = run["producer_docs"], run["consumer_docs"]
p, c = pdocs[-1], cdocs[-1]
check("eos" in p, "producer: no eos section (idempotent producer)")
check("cgrp" in c, "consumer: no cgrp section (group consumer)")
structure(p, doc_sections, "producer")
structure(c, doc_sections, "consumer")

# Clocks move forward.
for docs, kind in ((pdocs, "producer"), (cdocs, "consumer")):
    check(all(a["ts"] < b["ts"] and a["age"] < b["age"] for a, b in zip(docs, docs[1:])),
          kind + ": ts/age not increasing")

# Producer: every message counted once, where it happened.
check(p["type"] == "producer", "producer type %r" % p["type"])
check(p["txmsgs"] == count, "producer txmsgs %d != %d" % (p["txmsgs"], count))
check(p["txmsg_bytes"] > 0, "producer txmsg_bytes 0")
check(p["msg_cnt"] == 0 and p["msg_size"] == 0, "producer queue not empty after flush")
parts = p["topics"][topic]["partitions"]
check(sum(x["txmsgs"] for x in parts.values()) == count, "partition txmsgs do not add up")
check(parts["0"]["txmsgs"] == count // 2 and parts["1"]["txmsgs"] == count // 2,
      "partitions 0/1 txmsgs %d/%d" % (parts["0"]["txmsgs"], parts["1"]["txmsgs"]))
check(parts["0"]["msgs"] == count // 2, "partition 0 msgs %d" % parts["0"]["msgs"])
check(sum(x["msgs_inflight"] for x in parts.values()) == 0, "messages in flight after flush")
check(parts["0"]["acked_msgid"] > 0, "idempotent partition 0 acked_msgid 0")
check(parts["0"]["next_ack_seq"] == count // 2, "partition 0 next_ack_seq %d" % parts["0"]["next_ack_seq"])
brokers = lambda d: d["brokers"].values()
check(sum(b["req"].get("Produce", 0) for b in brokers(p)) >= 1, "no Produce request counted")
check(sum(b["req"].get("InitProducerId", 0) for b in brokers(p)) >= 1, "no InitProducerId counted")
check(sum(b["tx"] for b in brokers(p)) == p["tx"], "broker tx do not add up to the total")
# Each message's queue latency is sampled once; each batch once.
int_latency = sum(window_total(pdocs, lambda d, n=n: d["brokers"].get(n, {}).get("int_latency"))
                  for n in p["brokers"])
check(int_latency == count, "int_latency samples %d != %d messages" % (int_latency, count))
batchcnt = window_total(pdocs, lambda d: d["topics"].get(topic, {}).get("batchcnt"))
batchmsgs = sum(d["topics"][topic]["batchcnt"]["sum"] for d in pdocs if topic in d["topics"])
check(batchcnt >= 2 and batchmsgs == count, "batchcnt %d batches, %d messages" % (batchcnt, batchmsgs))
rtt = sum(window_total(pdocs, lambda d, n=n: d["brokers"].get(n, {}).get("rtt")) for n in p["brokers"])
check(0 < rtt <= sum(b["rx"] for b in brokers(p)), "producer rtt samples %d" % rtt)
# Only throttled responses are throttle samples (librdkafka 2.0.2), and no
# peer here throttles: the window must stay empty.
throttled = sum(window_total(pdocs + cdocs, lambda d, n=n: d["brokers"].get(n, {}).get("throttle"))
                for n in set(p["brokers"]) | set(c["brokers"]))
check(throttled == 0, "throttle samples %d without throttling" % throttled)
up = [b for b in brokers(p) if b["state"] == "UP"]
check(len(up) >= 1 and all(b["connects"] >= 1 and b["txidle"] >= 0 for b in up),
      "up brokers without connects/txidle")
check(p["eos"]["idemp_state"] == "Assigned" and p["eos"]["producer_id"] >= 0
      and p["eos"]["epoch_cnt"] >= 1, "eos %r" % p["eos"])

# Consumer: messages, offsets and lag.
check(c["type"] == "consumer", "consumer type %r" % c["type"])
check(c["rxmsgs"] == count, "consumer rxmsgs %d != %d" % (c["rxmsgs"], count))
check(c["rxmsg_bytes"] > 0, "consumer rxmsg_bytes 0")
cparts = c["topics"][topic]["partitions"]
for pid in ("0", "1"):
    x = cparts[pid]
    check(x["hi_offset"] == count // 2, "partition %s hi_offset %d" % (pid, x["hi_offset"]))
    check(x["app_offset"] == count // 2 and x["stored_offset"] == count // 2,
          "partition %s app/stored %d/%d" % (pid, x["app_offset"], x["stored_offset"]))
    check(x["rxmsgs"] == count // 2 and x["desired"] and x["fetch_state"] == "active",
          "partition %s %r" % (pid, {k: x[k] for k in ("rxmsgs", "desired", "fetch_state")}))
    check(x["consumer_lag_stored"] == 0, "partition %s consumer_lag_stored %d" % (pid, x["consumer_lag_stored"]))
check(cparts["0"]["committed_offset"] == lag_base, "partition 0 committed %d" % cparts["0"]["committed_offset"])
check(cparts["0"]["consumer_lag"] == count // 2 - lag_base,
      "partition 0 consumer_lag %d != %d" % (cparts["0"]["consumer_lag"], count // 2 - lag_base))
check(cparts["1"]["consumer_lag"] == 0, "partition 1 consumer_lag %d" % cparts["1"]["consumer_lag"])
check(cparts["2"]["consumer_lag"] == -1, "empty partition 2 consumer_lag %d" % cparts["2"]["consumer_lag"])
check(cparts["-1"]["fetch_state"] == "none", "unassigned partition fetching")
g = c["cgrp"]
check(g["state"] == "up" and g["join_state"] == "steady" and g["rebalance_cnt"] >= 1
      and g["assignment_size"] == len([k for k in cparts if k != "-1"]), "cgrp %r" % g)
for api in ("Fetch", "JoinGroup", "SyncGroup", "OffsetCommit"):
    check(sum(b["req"].get(api, 0) for b in brokers(c)) >= 1, "no %s request counted" % api)
crtt = sum(window_total(cdocs, lambda d, n=n: d["brokers"].get(n, {}).get("rtt")) for n in c["brokers"])
check(crtt > 0, "consumer rtt samples 0")

for problem in problems:
    print("PROBLEM:", problem)
if problems:
    sys.exit(1)
print("ok")
