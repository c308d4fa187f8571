#!/usr/bin/env python3
"""Turns the output of one or more bench/compare.sh runs into Markdown tables.

usage: bench/summarize.py LOG...   (or standard input)

For produce and consume: per workload and peer, the median messages per
client CPU-second of ferrokafka and of librdkafka 2.16 (the wheel's copy),
their ratio, and both peak RSS ranges. For latency: median p50 and p99.
A failed run counts as a failure, never as a number.
"""
import re
import statistics
import sys
from collections import defaultdict

WORKLOAD = re.compile(
    r"mode=(?P<mode>\w+) count=(?P<count>\d+) size=(?P<size>\d+) "
    r"repeats=\d+ (?:rate=(?P<rate>\d+) )?perf_args=(?P<args>.*)$"
)
RUN = re.compile(r"^(?P<peer>\w+) (?P<lib>[\w.-]+) run=\d+ (?P<rest>.*)$")
OURS, THEIRS = "ferrokafka", "librdkafka-wheel"


def parse(lines):
    runs = defaultdict(list)  # (workload, peer, lib) -> [fields or None]
    order = []
    workload = None
    for line in lines:
        line = line.strip()
        m = WORKLOAD.search(line)
        if m:
            args = m["args"].replace("-X ", "") if m["args"] != "none" else "defaults"
            desc = f"{int(m['count']):,} × {m['size']} B, {args}"
            if m["mode"] == "latency" and m["rate"]:
                desc += f", {int(m['rate']):,} msgs/s"
            workload = (m["mode"], desc)
            continue
        m = RUN.match(line)
        if not m or workload is None:
            continue
        rest = m["rest"]
        fields = None
        if rest.startswith("result") and "result failed" not in rest:
            fields = dict(kv.split("=", 1) for kv in rest.split()[1:] if "=" in kv)
        key = (workload, m["peer"], m["lib"])
        if key not in runs:
            order.append(key)
        runs[key].append(fields)
    return runs, order


def span(values):
    lo, hi = min(values), max(values)
    return f"{lo / 1024:.0f}" if round(lo / 1024) == round(hi / 1024) else f"{lo / 1024:.0f}–{hi / 1024:.0f}"


def main():
    files = sys.argv[1:]
    lines = [l for f in files for l in open(f)] if files else sys.stdin.readlines()
    runs, order = parse(lines)
    rows = {"throughput": [], "latency": []}
    seen = set()
    for workload, peer, _ in order:
        if (workload, peer) in seen:
            continue
        seen.add((workload, peer))
        ours, theirs = runs.get((workload, peer, OURS), []), runs.get((workload, peer, THEIRS), [])
        failed = sum(r is None for r in ours + theirs)
        ours, theirs = [r for r in ours if r], [r for r in theirs if r]
        if not ours or not theirs:
            continue
        mode, desc = workload
        note = f" ({failed} failed)" if failed else ""
        if mode == "latency":
            def med(rs, k):
                return statistics.median(int(r[k]) for r in rs) / 1000

            rows["latency"].append(
                f"| {desc} | {peer} | {med(ours, 'p50_us'):.1f} / {med(theirs, 'p50_us'):.1f} "
                f"| {med(ours, 'p99_us'):.1f} / {med(theirs, 'p99_us'):.1f} | {len(ours)}{note} |"
            )
            continue
        rate_o = statistics.median(float(r["msgs_per_cpu_s"]) for r in ours)
        rate_t = statistics.median(float(r["msgs_per_cpu_s"]) for r in theirs)
        msgs = sorted({int(r["msgs"]) for r in ours + theirs})
        rss_o = [int(r["peak_rss_kb"]) for r in ours]
        rss_t = [int(r["peak_rss_kb"]) for r in theirs]
        rows["throughput"].append(
            f"| {mode} {desc} | {peer} | {rate_o:,.0f} | {rate_t:,.0f} | {rate_o / rate_t:.2f}× "
            f"| {span(rss_o)} / {span(rss_t)} | {', '.join(f'{m:,}' for m in msgs)}{note} |"
        )
    if rows["throughput"]:
        print("| workload | peer | ferrokafka msgs/CPU-s | librdkafka 2.16 msgs/CPU-s | ratio "
              "| peak RSS MiB, ours / 2.16 | messages per run |")
        print("|---|---|---:|---:|---:|---|---|")
        print("\n".join(rows["throughput"]))
    if rows["latency"]:
        print()
        print("| workload | peer | p50 ms, ours / 2.16 | p99 ms, ours / 2.16 | runs |")
        print("|---|---|---|---|---|")
        print("\n".join(rows["latency"]))


if __name__ == "__main__":
    main()
