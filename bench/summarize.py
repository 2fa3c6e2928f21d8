#!/usr/bin/env python3
"""Compact table of a peer-benchmark CSV (../shared/bench report) for tfaot.

Usage: bench/summarize.py PEERS.csv [--peer tfaot]
Per (model, batch): tfaot's median time per call, its ratio to min(eigen, ort) and to the
fastest other peer (named), and its fraction of the roofline. Ratios are medians of the same
run (< 1 = tfaot faster). Prints markdown, preceded by the "ISA:" line of PEERS.isa.md (which
bench/peers.sh writes beside the report: the ISA each peer ran) where that file exists.
"""
import csv
import os
import sys
from collections import defaultdict


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    me = sys.argv[sys.argv.index("--peer") + 1] if "--peer" in sys.argv else "tfaot"
    isa = os.path.splitext(path)[0] + ".isa.md"
    if os.path.exists(isa):
        with open(isa) as f:
            line = next((l.strip() for l in f if l.startswith("ISA: ")), None)
        if line:
            print(line)
            print()
    cells = defaultdict(dict)  # (model, batch) -> peer -> row
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            cells[(row["model"], int(row["batch"]))][row["peer"]] = row
    print(f"| model | batch | {me} us/call | vs min(eigen, ort) | vs fastest other peer | of roofline |")
    print("|---|---:|---:|---:|---:|---:|")
    fastest_everywhere = True
    for (model, batch) in sorted(cells):
        peers = cells[(model, batch)]
        if me not in peers:
            continue
        t = float(peers[me]["median_us"])
        base = min(float(peers[p]["median_us"]) for p in ("eigen", "ort") if p in peers)
        others = {p: float(r["median_us"]) for p, r in peers.items() if not p.startswith("tfaot")}
        best = min(others, key=others.get)
        ratio = t / others[best]
        fastest_everywhere &= ratio <= 1.0
        frac = float(peers[me]["fraction_of_roofline"])
        print(f"| {model} | {batch} | {t:.3g} | {t / base:.2f} | {ratio:.2f} ({best}) | {frac:.0%} |")
    print()
    print(f"{me} fastest in every cell: {'yes' if fastest_everywhere else 'no'}")


if __name__ == "__main__":
    main()
