#!/usr/bin/env python3
"""mermaid_limits.py — the hostile maps of issue 12 through precis's Mermaid
pipeline: time and peak memory of each, and whether it was drawn or shown as
its outline (and why). Called by bench/mermaid.sh; prints Markdown.

  python3 bench/mermaid_limits.py [-x N]
  -x N: budgets N times the defaults (shows what the algorithms cost past them)
  env: BUILD (build dir, default build), PRECIS_BIN (default ./precis),
       OUT (default bench/out)

Each shape runs in its own bench_mermaid process (so peak_kb is its own):
parse + layout + draw + text, or parse + the outline when past a budget,
at least 25 iterations and about half a second (3 when slower).
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import gen_mermaid  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
BENCH = os.path.join(BUILD if os.path.isabs(BUILD) else os.path.join(REPO, BUILD), "bench", "bench_mermaid")
PRECIS = os.environ.get("PRECIS_BIN") or os.path.join(REPO, "precis")
OUT = os.environ.get("OUT") or os.path.join(REPO, "bench", "out")

TARGETS = {"fan50": "≤ 0.2 s", "edges2000": "≤ 1 s", "dense2000": "≤ 1 s",
           "nest1000": "≤ 0.2 s", "gen_1450": "≤ 1 s"}
WHAT = {"fan50": "A1 & … & A50 --> B1 & … & B50", "fan300": "300 × 300 fan-out",
        "edges2000": "2,000 random edges, 1,000 nodes", "dense2000": "2,000 random edges, 300 nodes",
        "edges20000": "20,000 random edges, 10,000 nodes", "nest1000": "1,000 nested subgraphs",
        "nest5000": "5,000 nested subgraphs", "gen_1450": "LLM-shaped map, 2,007 edges"}


def main(argv):
    scale = ["-x", argv[argv.index("-x") + 1]] if "-x" in argv else []
    if not os.access(BENCH, os.X_OK):
        print("mermaid limits: %s not built" % BENCH, file=sys.stderr)
        return 1
    paths = gen_mermaid.shapes(os.path.join(OUT, "shapes"))
    print("| map | bytes | nodes / edges | result | median ms | p95 ms | peak MB | target |")
    print("|---|---:|---:|---|---:|---:|---:|---|")
    status = 0
    for path in paths:
        name = os.path.basename(path)[:-4]
        p = subprocess.run([BENCH] + scale + [path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=900)
        f = p.stdout.strip().split("\t")
        if p.returncode != 0 or len(f) < 13:
            print("| %s | | | failed: %s | | | | |" % (name, p.stderr.strip()[:80]))
            status = 1
            continue
        med, p95, w, h = float(f[1]) / 1000, float(f[2]) / 1000, int(f[3]), int(f[4])
        edges, nodes, peak, outline = int(f[6]), int(f[8]), int(f[10]) / 1024, f[11] == "1"
        if outline and not scale:
            why = subprocess.run([PRECIS, "mermaid", path], stdout=subprocess.PIPE, text=True,
                                 timeout=120).stdout.split("\n", 1)[0]
            why = why.replace("too large to draw: ", "").replace("; its outline instead:", "")
            result = "outline (%s)" % why
        elif outline:
            result = "outline"
        else:
            result = "drawn, %d×%d" % (w, h)
        print("| %s (%s) | %d | %d / %d | %s | %.1f | %.1f | %.0f | %s |" % (
            name, WHAT.get(name, ""), os.path.getsize(path), nodes, edges, result, med, p95, peak,
            TARGETS.get(name, "")))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
