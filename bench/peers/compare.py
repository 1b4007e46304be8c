#!/usr/bin/env python3
"""compare.py — precis against beautiful-mermaid and Graph::Easy on the same Mermaid
diagrams, in one run. Called by bench/mermaid.sh (which installs the npm package and
generates the graphs first); prints Markdown.

  python3 bench/peers/compare.py [--quick] [--no-corpus | --only-corpus] [--ge-long]
  --ge-long: when Graph::Easy gives up at its 5 s layout limit, run it once more with
             a 120 s limit to see what it would draw (adds up to two minutes)
  env: BUILD (build dir, default build), PRECIS_BIN (default ./precis),
       SHARED (default ../shared next to the repository), OUT (default bench/out)

Per diagram (the sample map, the corpus's 122-node diagram, gen_100, gen_500):
  precis:            $BUILD/bench/bench_mermaid FILE (its TSV: median/p95 µs, canvas,
                     crossings, edges in/drawn) and `$PRECIS_BIN mermaid FILE` for the drawing;
  beautiful-mermaid: bm_bench.mjs, in-process, many iterations;
  Graph::Easy:       ge_bench.pl, in-process, on the graph converted from the ground truth
                     (+ one plain `graph-easy` command for reference).
Every drawing is then measured the same way by textmetrics.py. Then every corpus
diagram is drawn once by each renderer to list crashes and misaligned boxes.
Results also go to OUT/mermaid_peers.json and OUT/mermaid_peers.md.
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import ge_convert  # noqa: E402
import textmetrics  # noqa: E402

QUICK = "--quick" in sys.argv
BUILD = os.environ.get("BUILD", "build")
PRECIS = os.environ.get("PRECIS_BIN") or os.path.join(REPO, "precis")
SHARED = os.environ.get("SHARED") or os.path.join(os.path.dirname(REPO), "shared")
MMDIR = os.path.join(SHARED, "mermaid")
OUT = os.environ.get("OUT") or os.path.join(REPO, "bench", "out")
BENCH_BIN = os.path.join(BUILD if os.path.isabs(BUILD) else os.path.join(REPO, BUILD),
                         "bench", "bench_mermaid")

# Time budgets (seconds). A peer that runs past its limit is reported as such.
BUDGET_MS = 1000 if QUICK else 3000
BM_LIMIT = 120          # one beautiful-mermaid process
BM_BIG_LIMIT = 60       # ... on gen_500 (on an idle machine it runs out of heap at ~35 s)
GE_LIMIT = 60           # one Graph::Easy process at its own 5 s layout limit
GE_LONG_TIMEOUT = 120   # --ge-long: Graph::Easy's layout limit for one extra run
CORPUS_LIMIT = 30       # one drawing of a corpus diagram (two need ~4 min to throw)


def run(cmd, limit, stdin=None):
    """Runs cmd; returns (exit status or 'timeout', stdout, stderr, seconds)."""
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=limit, cwd=REPO)
        return p.returncode, p.stdout.decode("utf-8", "replace"), \
            p.stderr.decode("utf-8", "replace"), time.monotonic() - t0
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        return "timeout", out, "", time.monotonic() - t0
    except OSError as e:
        return "error", "", str(e), time.monotonic() - t0


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return None


def died(status, err, secs):
    """Describes why a peer process produced no result."""
    if status == "timeout":
        return "no result after %d s" % secs
    if "heap out of memory" in err:
        return "out of memory (Node heap) after %.0f s" % secs
    tail = [ln for ln in err.strip().splitlines() if ln.strip()]
    return "exit %s: %s" % (status, tail[-1][:100] if tail else "?")


def fresh(*paths):
    """Removes drawings a previous run left, so a failed run leaves none."""
    for p in paths:
        if p and os.path.exists(p):
            os.remove(p)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def measure_file(path, truth):
    try:
        return textmetrics.measure(read(path), truth, ge_convert.decode_label)
    except OSError:
        return None


# ---------------------------------------------------------------- precis

def precis_bench(files):
    """Returns {basename: row} from the bench binary, or None when it is not built."""
    if not os.access(BENCH_BIN, os.X_OK):
        return None
    status, out, err, secs = run([BENCH_BIN] + files, 600)
    rows = {}
    keys = ["median_us", "p95_us", "canvas_width", "canvas_height", "crossings",
            "edges_in", "edges_drawn", "nodes_in", "nodes_drawn"]
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) < 10 or f[0].startswith("#") or f[0] == "name":
            continue
        try:
            vals = [float(x) for x in f[1:10]]
        except ValueError:
            continue
        row = dict(zip(keys, vals))
        rows[os.path.basename(f[0])] = row
        rows.setdefault("_order", []).append(row)
    if status != 0:
        rows["_error"] = died(status, err, secs)
    return rows


def precis_draw(mmd, out_path, ascii_path=None):
    """Draws with `precis mermaid`; returns None or the error text."""
    fresh(out_path, ascii_path)
    if not os.access(PRECIS, os.X_OK):
        return "precis: not built"
    status, out, err, secs = run([PRECIS, "mermaid", mmd], 60)
    if status != 0:
        return died(status, err, secs)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(out)
    if ascii_path:
        status, out, err, secs = run([PRECIS, "mermaid", "--ascii", mmd], 60)
        if status == 0:
            with open(ascii_path, "w", encoding="utf-8") as f:
                f.write(out)
    return None


# ---------------------------------------------------------------- peers

def bm_run(mmd, out_path, ascii_path=None, max_iter=200, budget_ms=BUDGET_MS, limit=BM_LIMIT):
    fresh(out_path, ascii_path)
    cmd = ["node", os.path.join(HERE, "bm_bench.mjs"), "--budget-ms", str(budget_ms),
           "--max-iter", str(max_iter), "--min-iter", "2", "--out", out_path]
    if ascii_path:
        cmd += ["--ascii-out", ascii_path]
    status, out, err, secs = run(cmd + [mmd], limit)
    r = last_json(out)
    if r is None:
        r = {"renderer": "beautiful-mermaid", "died": died(status, err, secs)}
    return r


def ge_run(ge, out_path, ascii_path=None, max_iter=200, budget_ms=BUDGET_MS, timeout=None,
           limit=GE_LIMIT):
    fresh(out_path, ascii_path)
    cmd = ["perl", os.path.join(HERE, "ge_bench.pl"), "--budget-ms", str(budget_ms),
           "--max-iter", str(max_iter), "--min-iter", "2", "--out", out_path]
    if ascii_path:
        cmd += ["--ascii-out", ascii_path]
    if timeout:
        cmd += ["--timeout", str(timeout)]
    status, out, err, secs = run(cmd + [ge], limit)
    r = last_json(out)
    if r is None:
        r = {"renderer": "graph-easy", "died": died(status, err, secs)}
    return r


def ge_cli(ge):
    """Wall time of one plain `graph-easy --as=boxart` command, in ms."""
    with open(ge, "rb") as f:
        status, out, err, secs = run(["graph-easy", "--as=boxart"], GE_LIMIT, stdin=f)
    return {"ms": secs * 1000, "status": status,
            "warning": next((ln.strip() for ln in err.splitlines() if ln.strip()), "")}


# ---------------------------------------------------------------- table

def fmt_ms(v):
    if v is None:
        return "—"
    return "%.3f" % v if v < 1 else ("%.1f" % v if v < 100 else "%.0f" % v)


def ratio(v, base):
    if v is None or not base:
        return "—"
    return "%.0f×" % (v / base) if v / base >= 10 else "%.1f×" % (v / base)


def table_rows(d):
    """Returns the Markdown rows for one diagram's results."""
    rows = []
    p = d["precis"]
    base = p.get("median_ms")
    for name, r in (("precis", p), ("beautiful-mermaid", d["bm"]), ("Graph::Easy", d["ge"])):
        m = r.get("metrics") or {}
        canvas = "%d×%d" % (m["cols"], m["rows"]) if m else "—"
        cross = str(m["crossings"]) if m else "—"
        drop = "%d/%d" % (m["edges_dropped"], m["edges_in"]) if m and "edges_dropped" in m else "—"
        lost = "%d/%d" % (m["labels_lost"], m["labels_expected"]) if m and "labels_lost" in m else "—"
        notes = []
        if name == "precis" and r.get("self"):
            s = r["self"]
            cross += " (own %d)" % s["crossings"]
            drop += " (own %d)" % (s["edges_in"] - s["edges_drawn"])
        if name == "Graph::Easy" and "edges_in" in r and "edges_placed" in r:
            drop += " (model %d)" % (r["edges_in"] - r["edges_placed"])
        if r.get("note"):
            notes.append(r["note"])
        if r.get("crash"):
            notes.append("crash: " + r["crash"][:70])
        if r.get("died"):
            notes.append(r["died"])
        if m:
            notes.append("misaligned %d/%d boxes" % (m["misaligned_boxes"], m["boxes"])
                         if m["misaligned_boxes"] else "aligned (%d boxes)" % m["boxes"])
        med = r.get("median_ms")
        rows.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            name, fmt_ms(med), fmt_ms(r.get("p95_ms")),
            "1×" if name == "precis" and med is not None else ratio(med, base),
            canvas, cross, drop, lost, "; ".join(notes) or "ok"))
    return rows


HEADER = ["| renderer | median ms | p95 ms | × precis | canvas cols×rows | crossings "
          "| edges dropped | edge labels lost | crashes / misaligned |",
          "|---|---:|---:|---:|---:|---:|---:|---:|---|"]


# ---------------------------------------------------------------- main

def diagram_list():
    out = []
    for name, stem in (("sample", "000_seed_grok4"), ("122n", "001_mermaidjs_code-flow-llm-122n")):
        mmd = os.path.join(MMDIR, stem + ".mmd")
        if os.path.exists(mmd):
            out.append((name, mmd, os.path.join(MMDIR, stem + ".truth.json")))
    for n in (100, 500):
        base = os.path.join(OUT, "gen_%d" % n)
        if os.path.exists(base + ".mmd"):
            out.append(("gen_%d" % n, base + ".mmd", base + ".truth.json"))
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    diagrams = [] if "--only-corpus" in sys.argv else diagram_list()
    results = {"precis_bench": BENCH_BIN, "diagrams": [], "corpus": []}
    bench = precis_bench([d[1] for d in diagrams])
    load = os.getloadavg()
    lines = ["load average before the run: %.2f %.2f %.2f on %d CPUs (timings of other "
             "processes running at the same time inflate every column alike)"
             % (load[0], load[1], load[2], os.cpu_count() or 0)]
    results["loadavg"] = load
    if bench is None:
        lines.append("precis: not built (%s missing) — peers only" % BENCH_BIN)
    elif "_error" in bench:
        lines.append("precis bench: %s" % bench["_error"])

    for name, mmd, truth_path in diagrams:
        truth = json.load(open(truth_path, encoding="utf-8"))
        prefix = os.path.join(OUT, name)
        sample = name == "sample"
        sg_ids = {sg["id"] for sg in truth.get("subgraphs", [])}
        d = {"name": name, "file": mmd,
             "nodes": sum(1 for n in truth["nodes"] if n["id"] not in sg_ids),
             "edges": truth["counts"]["edges"], "subgraphs": truth["counts"]["subgraphs"]}

        # precis
        p = {}
        b = bench or {}
        row = b.get(os.path.basename(mmd)) or b.get(os.path.splitext(os.path.basename(mmd))[0])
        if row is None and len(b.get("_order", [])) == len(diagrams):
            row = b["_order"][len(results["diagrams"])]
        if row:
            p["median_ms"] = row["median_us"] / 1000
            p["p95_ms"] = row["p95_us"] / 1000
            p["self"] = {k: int(v) for k, v in row.items() if k not in ("median_us", "p95_us")}
        elif bench is None:
            p["note"] = "precis: not built"
        else:
            p["note"] = "no bench line"
        err = precis_draw(mmd, prefix + ".precis.txt", prefix + ".precis.ascii.txt" if sample else None)
        if err:
            p["died" if err != "precis: not built" else "note"] = err
        else:
            p["metrics"] = measure_file(prefix + ".precis.txt", truth)
        d["precis"] = p

        # beautiful-mermaid
        big = d["nodes"] > 300
        bm = bm_run(mmd, prefix + ".bm.txt", prefix + ".bm.ascii.txt" if sample else None,
                    max_iter=0 if big else 200, limit=BM_BIG_LIMIT if big else BM_LIMIT)
        if bm.get("stripped"):
            bm["note"] = "throws on the YAML front matter; timed with it removed"
            bm["crash"] = None
        if bm.get("median_ms") is None and bm.get("first_ms") is not None and not bm.get("died"):
            bm["median_ms"] = bm["first_ms"]
            bm["note"] = (bm.get("note", "") + "; " if bm.get("note") else "") + "one run"
        if "died" not in bm and bm.get("first_ms") is not None:
            bm["metrics"] = measure_file(prefix + ".bm.txt", truth)
        d["bm"] = bm

        # Graph::Easy
        ge_path = prefix + ".ge"
        if name.startswith("gen_"):
            ge_path = os.path.splitext(mmd)[0] + ".ge"
        else:
            with open(ge_path, "w", encoding="utf-8") as f:
                f.write(ge_convert.to_graph_easy(truth)[0])
        ge = ge_run(ge_path, prefix + ".graph-easy.txt",
                    prefix + ".graph-easy.ascii.txt" if sample else None,
                    max_iter=0 if big else 200)
        if ge.get("median_ms") is None and ge.get("first_ms") is not None:
            ge["median_ms"] = ge["first_ms"]
            ge["note"] = "one run"
        if ge.get("crash") and "did not finish" in ge["crash"]:
            ge["crash"] = "layout gave up at its 5 s limit"
        if ge.get("crash") and "--ge-long" in sys.argv:
            long = ge_run(ge_path, prefix + ".graph-easy.txt", max_iter=0,
                          timeout=GE_LONG_TIMEOUT, limit=GE_LONG_TIMEOUT + 30)
            ge["given_time"] = long
            if long.get("first_ms") is not None:
                ge["note"] = "given %d s: %.1f s, placed %d/%d edges" % (
                    GE_LONG_TIMEOUT, long["first_ms"] / 1000, long["edges_placed"], long["edges_in"])
                for k in ("edges_in", "edges_placed"):
                    ge[k] = long[k]
                ge["metrics"] = measure_file(prefix + ".graph-easy.txt", truth)
        elif "died" not in ge and not ge.get("crash"):
            ge["metrics"] = measure_file(prefix + ".graph-easy.txt", truth)
        ge["cli"] = ge_cli(ge_path) if not big else None
        d["ge"] = ge
        results["diagrams"].append(d)

        lines.append("")
        lines.append("### %s — %s (%d nodes, %d edges, %d subgraphs)" % (
            name, os.path.basename(mmd), d["nodes"], d["edges"], d["subgraphs"]))
        lines.append("")
        lines += HEADER + table_rows(d)
        if ge.get("cli"):
            lines.append("")
            lines.append("plain `graph-easy --as=boxart` command: %.0f ms%s" % (
                ge["cli"]["ms"], " (%s)" % ge["cli"]["warning"][:90] if ge["cli"]["warning"] else ""))
        print("\n".join(lines), flush=True)
        lines = []

    if "--no-corpus" not in sys.argv:
        lines += corpus(results, diagrams)
        print("\n".join(lines), flush=True)

    with open(os.path.join(OUT, "mermaid_peers.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)
    return 0


def cell(r, m, truth):
    if r is None:
        return "—"
    if r.get("died"):
        return r["died"]
    if r.get("crash"):
        return "crash: " + r["crash"][:60]
    if r.get("note") and not m:
        return r["note"]
    out = []
    if m:
        if m["misaligned_boxes"]:
            out.append("misaligned %d/%d" % (m["misaligned_boxes"], m["boxes"]))
        if truth and m.get("edges_dropped"):
            out.append("−%d edges" % m["edges_dropped"])
    return ", ".join(out) or "ok"


def corpus(results, diagrams):
    """Draws every corpus diagram once with each renderer; returns Markdown lines."""
    files = sorted(f for f in os.listdir(MMDIR) if f.endswith(".mmd")) if os.path.isdir(MMDIR) else []
    lines = ["", "### every corpus diagram, drawn once (%d files)" % len(files), "",
             "| diagram | precis | beautiful-mermaid | Graph::Easy |", "|---|---|---|---|"]
    tmp = os.path.join(OUT, "corpus")
    os.makedirs(tmp, exist_ok=True)
    counts = {"precis": [0, 0], "bm": [0, 0], "ge": [0, 0]}
    for f in files:
        mmd = os.path.join(MMDIR, f)
        stem = f[:-4]
        tpath = os.path.join(MMDIR, stem + ".truth.json")
        truth = json.load(open(tpath, encoding="utf-8")) if os.path.exists(tpath) else None
        row = {"file": f, "truth": truth is not None}
        base = os.path.join(tmp, stem)

        # precis
        p = {}
        err = precis_draw(mmd, base + ".precis.txt")
        if err == "precis: not built":
            p["note"] = "not built"
        elif err:
            p["died"] = err
        pm = measure_file(base + ".precis.txt", truth) if not err else None
        # beautiful-mermaid
        bm = bm_run(mmd, base + ".bm.txt", max_iter=0, limit=CORPUS_LIMIT)
        bmm = measure_file(base + ".bm.txt", truth) if bm.get("first_ms") is not None else None
        if bm.get("stripped"):
            bm["crash_message"] = bm["crash"]
            bm["crash"] = "throws on the YAML front matter (draws without it)"
        # Graph::Easy: from the truth, else from precis's own parse when available
        ge, gem, src = None, None, None
        if truth is None and os.access(PRECIS, os.X_OK):
            status, out, e2, secs = run([PRECIS, "mermaid", "--json", mmd], 60)
            if status == 0:
                try:
                    src = json.loads(out)
                    src["file"] = f + " (as parsed by precis)"
                except ValueError:
                    src = None
        gsrc = truth or src
        if gsrc is not None:
            with open(base + ".ge", "w", encoding="utf-8") as g:
                g.write(ge_convert.to_graph_easy(gsrc)[0])
            ge = ge_run(base + ".ge", base + ".graph-easy.txt", max_iter=0, limit=CORPUS_LIMIT)
            if ge.get("crash") and "did not finish" in ge["crash"]:
                ge["crash"] = "layout gave up at its 5 s limit"
            if ge.get("first_ms") is not None:
                gem = measure_file(base + ".graph-easy.txt", truth)
        else:
            ge = {"note": "no ground truth to convert"}
        for key, r, m in (("precis", p, pm), ("bm", bm, bmm), ("ge", ge, gem)):
            if r and (r.get("crash") or r.get("died")):
                counts[key][0] += 1
            if m and m["misaligned_boxes"]:
                counts[key][1] += 1
        ge_cell = cell(ge, gem, truth)
        if truth is None and src is not None:
            ge_cell += " (graph from precis's parse)"
        if ge and "edges_placed" in ge and ge["edges_placed"] < ge["edges_in"]:
            ge_cell = ("" if ge_cell == "ok" else ge_cell + ", ") + \
                "layout placed %d/%d edges" % (ge["edges_placed"], ge["edges_in"])
        row.update({"precis": p, "precis_metrics": pm, "bm": bm, "bm_metrics": bmm,
                    "ge": ge, "ge_metrics": gem})
        results["corpus"].append(row)
        lines.append("| %s%s | %s | %s | %s |" % (stem, "" if truth else " (rejected)",
                                                 cell(p, pm, truth), cell(bm, bmm, truth), ge_cell))
    lines.append("")
    lines.append("crashes (threw / died / gave up): precis %d, beautiful-mermaid %d, Graph::Easy %d; "
                 "diagrams with misaligned boxes: precis %d, beautiful-mermaid %d, Graph::Easy %d "
                 "(of %d)" % (counts["precis"][0], counts["bm"][0], counts["ge"][0],
                              counts["precis"][1], counts["bm"][1], counts["ge"][1], len(files)))
    results["corpus_counts"] = counts
    return lines


if __name__ == "__main__":
    sys.exit(main())
