#!/usr/bin/env python3
"""Turns the output of one or more benches/side_by_side/compare.sh runs into Markdown tables.

usage: benches/side_by_side/summarize.py LOG...   (or standard input)

For produce and consume: per workload and peer, the median messages per
client CPU-second of ferrokafka and of librdkafka 2.16 (the wheel's copy),
their ratio, and both peak RSS ranges. For latency, per library (including
a "ferrokafka-before" build when compare.sh ran one): delivery-report and
end-to-end p50/p99/p999, medians over runs with the runs' range.
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
RUN = re.compile(r"^(?P<peer>[\w-]+) (?P<lib>[\w.-]+) run=\d+ (?P<rest>.*)$")
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


# Latency rows: every library that ran, "before" first when present.
LATENCY_LIBS = ["ferrokafka-before", OURS, THEIRS]
LATENCY_FIELDS = ["dr_p50_us", "dr_p99_us", "dr_p999_us", "p50_us", "p99_us", "p999_us"]


def latency_cell(rs, key):
    """Median over runs in ms, with the runs' range when they differ."""
    values = sorted(int(r[key]) / 1000 for r in rs)
    med = statistics.median(values)
    if len(values) == 1 or values[0] == values[-1]:
        return f"{med:.1f}"
    return f"{med:.1f} ({values[0]:.1f}–{values[-1]:.1f})"


def latency_row(desc, peer, lib, rs, lost):
    note = f" ({lost} failed)" if lost else ""
    cells = " | ".join(latency_cell(rs, k) for k in LATENCY_FIELDS)
    return f"| {desc} | {peer} | {lib} | {cells} | {len(rs)}{note} |"


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
            for lib in LATENCY_LIBS:
                rs = runs.get((workload, peer, lib), [])
                lost = sum(r is None for r in rs)
                rs = [r for r in rs if r and "dr_p999_us" in r]
                if rs:
                    rows["latency"].append(latency_row(desc, peer, lib, rs, lost))
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
        print("| workload | peer | library | DR p50 ms | DR p99 ms | DR p999 ms "
              "| e2e p50 ms | e2e p99 ms | e2e p999 ms | runs |")
        print("|---|---|---|---:|---:|---:|---:|---:|---:|---|")
        print("\n".join(rows["latency"]))


if __name__ == "__main__":
    main()
