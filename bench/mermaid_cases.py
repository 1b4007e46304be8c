#!/usr/bin/env python3
"""mermaid_cases.py — whole-process time per diagram over mermaid-js's 900
flowchart spec cases (tests/fixtures/mermaid-spec/cases.json), issue 18's
"time per diagram". Run by bench/mermaid.sh (`make bench`).

  python3 bench/mermaid_cases.py [--runs N] PRECIS [PRECIS_BEFORE]

Each case is written to a file once; then `PRECIS mermaid FILE` (parse, layout,
drawing — what a user runs) is timed as a whole process, N times (default 3),
the binaries interleaved case by case so that load hits both alike. Prints the
median and 95th percentile of each binary's per-case times (the best of its N
runs for each case), and how many cases it drew (exit 0). Standard library only.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main(argv):
    runs = 3
    if len(argv) >= 2 and argv[0] == "--runs":
        runs = int(argv[1])
        argv = argv[2:]
    if not argv:
        print(__doc__)
        return 2
    bins = argv[:2]
    with open(os.path.join(REPO, "tests", "fixtures", "mermaid-spec", "cases.json"), encoding="utf-8") as f:
        cases = json.load(f)
    tmp = tempfile.mkdtemp(prefix="precis-cases-")
    paths = []
    for i, c in enumerate(cases):
        p = os.path.join(tmp, "%03d.mmd" % i)
        with open(p, "w", encoding="utf-8") as f:
            f.write(c["src"])
        paths.append(p)
    best = {b: [float("inf")] * len(paths) for b in bins}
    drawn = {b: 0 for b in bins}
    for r in range(runs):
        for i, p in enumerate(paths):
            for b in bins:
                t0 = time.perf_counter()
                st = subprocess.run([b, "mermaid", p], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
                dt = time.perf_counter() - t0
                best[b][i] = min(best[b][i], dt)
                if r == 0 and st == 0:
                    drawn[b] += 1
    for p in paths:
        os.unlink(p)
    os.rmdir(tmp)
    names = ["after", "before"]
    print("| binary | cases | drawn | median ms | p95 ms |")
    print("|---|---:|---:|---:|---:|")
    for k, b in enumerate(bins):
        v = sorted(best[b])
        print("| %s (%s) | %d | %d | %.2f | %.2f |" % (names[k] if len(bins) > 1 else "precis", b, len(v), drawn[b],
                                                     1000 * statistics.median(v), 1000 * v[int(0.95 * (len(v) - 1))]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
