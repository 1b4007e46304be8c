#!/usr/bin/env python3
"""mermaid_crossings.py — edge crossings in precis's drawing against Graphviz dot,
per diagram (issue 18). Run by bench/mermaid.sh (`make bench`).

  python3 bench/mermaid_crossings.py [--md OUT.md] [--json OUT.json] DIR|FILE.mmd ...

For every FILE.mmd with the official parser's reading beside it (FILE.truth.json,
as in ../shared/mermaid; for a file without one, tests/mermaid-js/parse.mjs is run
to make it, when the npm package is installed):

- precis: `$PRECIS_BIN mermaid --json FILE` — "crossings" counts the canvas cells
  where two edges cross in the drawing itself (a line through a subgraph border is
  no crossing).
- dot: the same graph (nodes with their labels, edges with theirs, subgraphs as
  clusters, nested; rankdir from the direction; an edge to a subgraph goes to its
  first member with lhead/ltail) laid out by `dot -Tplain`; every edge's B-spline is
  flattened (24 points per cubic segment) and the crossings are the points where
  two edges' polylines cross, counted once per point (points closer than 0.02 in
  merged), leaving out points within 0.05 in of either edge's ends (edges that
  share a node meet there without crossing).

Prints a Markdown table (diagram, nodes/edges/subgraphs, precis, dot, difference)
and the totals. Standard library only.
"""
import json
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peers"))
from ge_convert import decode_label  # noqa: E402  (labels as precis shows them)

REPO = os.path.dirname(HERE)
PRECIS = os.environ.get("PRECIS_BIN") or os.path.join(REPO, "precis")
PARSE_MJS = os.path.join(REPO, "tests", "mermaid-js", "parse.mjs")


def truth_of(path):
    t = path[:-4] + ".truth.json"
    if os.path.exists(t):
        with open(t, encoding="utf-8") as f:
            d = json.load(f)
        return d if d.get("ok", True) and "nodes" in d else None
    if not os.path.exists(os.path.join(REPO, "tests", "mermaid-js", "node_modules", "mermaid")):
        return None
    r = subprocess.run(["node", PARSE_MJS, path], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    d = json.loads(r.stdout)[0]
    return d if d.get("ok") and d.get("nodes") is not None else None


def dot_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(t):
    """The truth graph as dot source; node names n0…, clusters cluster_g0…."""
    sg_ids = {s["id"] for s in t["subgraphs"]}
    names = {}
    for n in t["nodes"]:
        if n["id"] in sg_ids:
            continue
        names[n["id"]] = "n%d" % len(names)
    # a member may be named before it is a vertex
    for s in t["subgraphs"]:
        for m in s["members"]:
            if m not in sg_ids and m not in names:
                names[m] = "n%d" % len(names)
    labels = {n["id"]: decode_label(n.get("label") or n["id"]) for n in t["nodes"]}
    child = {s["id"]: [m for m in s["members"] if m in sg_ids] for s in t["subgraphs"]}
    parent = {}
    for s in t["subgraphs"]:
        for c in child[s["id"]]:
            parent.setdefault(c, s["id"])
    gname = {s["id"]: "cluster_g%d" % i for i, s in enumerate(t["subgraphs"])}
    first = {}

    def first_member(sid, seen=()):
        if sid in first:
            return first[sid]
        s = next(x for x in t["subgraphs"] if x["id"] == sid)
        for m in s["members"]:
            if m in names:
                first[sid] = names[m]
                return names[m]
        for m in s["members"]:
            if m in sg_ids and m not in seen:
                r = first_member(m, seen + (sid,))
                if r:
                    first[sid] = r
                    return r
        return None

    rank = {"TB": "TB", "TD": "TB", "BT": "BT", "LR": "LR", "RL": "RL"}.get(t.get("direction"), "TB")
    out = ["digraph G {", "  rankdir=%s; compound=true;" % rank,
           '  node [shape=box, fontname="monospace", fontsize=10];',
           '  edge [fontname="monospace", fontsize=10];']
    placed = set()

    def emit(sid, depth):
        s = next(x for x in t["subgraphs"] if x["id"] == sid)
        ind = "  " * depth
        out.append("%ssubgraph %s {" % (ind, gname[sid]))
        out.append("%s  label=%s;" % (ind, dot_quote(decode_label(s.get("title") or sid))))
        for c in child[sid]:
            if parent.get(c) == sid:
                emit(c, depth + 1)
        for m in s["members"]:
            if m in names and m not in placed:
                placed.add(m)
                out.append("%s  %s;" % (ind, names[m]))
        out.append("%s}" % ind)

    for s in t["subgraphs"]:
        if s["id"] not in parent:
            emit(s["id"], 1)
    for nid, nm in names.items():
        out.append("  %s [label=%s];" % (nm, dot_quote(labels.get(nid, nid))))
    for e in t["edges"]:
        attrs = []
        a, b = e["from"], e["to"]
        if a in sg_ids:
            attrs.append("ltail=%s" % gname[a])
            a = first_member(a)
        else:
            a = names.get(a)
        if b in sg_ids:
            attrs.append("lhead=%s" % gname[b])
            b = first_member(b)
        else:
            b = names.get(b)
        if not a or not b:
            continue
        lab = decode_label(e.get("label") or "")
        if lab:
            attrs.append("label=%s" % dot_quote(lab))
        if (e.get("stroke") or "") == "invisible":
            attrs.append("style=invis")
        out.append("  %s -> %s%s;" % (a, b, " [%s]" % ", ".join(attrs) if attrs else ""))
    out.append("}")
    return "\n".join(out) + "\n"


def bezier(pts, steps=24):
    poly = [pts[0]]
    for i in range(0, len(pts) - 3, 3):
        p0, p1, p2, p3 = pts[i:i + 4]
        for k in range(1, steps + 1):
            u = k / steps
            v = 1 - u
            poly.append((v * v * v * p0[0] + 3 * v * v * u * p1[0] + 3 * v * u * u * p2[0] + u * u * u * p3[0],
                         v * v * v * p0[1] + 3 * v * v * u * p1[1] + 3 * v * u * u * p2[1] + u * u * u * p3[1]))
    return poly


def seg_cross(a, b, c, d):
    """Intersection point of segments ab and cd (proper or touching), or None."""
    r = (b[0] - a[0], b[1] - a[1])
    s = (d[0] - c[0], d[1] - c[1])
    den = r[0] * s[1] - r[1] * s[0]
    if abs(den) < 1e-12:
        return None
    qp = (c[0] - a[0], c[1] - a[1])
    t = (qp[0] * s[1] - qp[1] * s[0]) / den
    u = (qp[0] * r[1] - qp[1] * r[0]) / den
    if 0 <= t <= 1 and 0 <= u <= 1:
        return (a[0] + t * r[0], a[1] + t * r[1])
    return None


def dist(p, q):
    return ((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2) ** 0.5


def dot_crossings(src):
    r = subprocess.run(["dot", "-Tplain"], input=src, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.strip()[:200])
    polys = []
    for line in r.stdout.splitlines():
        if not line.startswith("edge "):
            continue
        f = shlex.split(line)
        n = int(f[3])
        pts = [(float(f[4 + 2 * i]), float(f[5 + 2 * i])) for i in range(n)]
        if len(f) > 4 + 2 * n and f[-1] == "invis":
            continue
        if f[-2] == "invis":
            continue
        polys.append(bezier(pts))
    total = 0
    for i in range(len(polys)):
        pa = polys[i]
        boxa = (min(p[0] for p in pa), min(p[1] for p in pa), max(p[0] for p in pa), max(p[1] for p in pa))
        for j in range(i + 1, len(polys)):
            pb = polys[j]
            if (max(p[0] for p in pb) < boxa[0] or min(p[0] for p in pb) > boxa[2] or
                    max(p[1] for p in pb) < boxa[1] or min(p[1] for p in pb) > boxa[3]):
                continue
            ends = (pa[0], pa[-1], pb[0], pb[-1])
            found = []
            for k in range(len(pa) - 1):
                for m in range(len(pb) - 1):
                    x = seg_cross(pa[k], pa[k + 1], pb[m], pb[m + 1])
                    if not x or any(dist(x, e) < 0.05 for e in ends):
                        continue
                    if all(dist(x, y) > 0.02 for y in found):
                        found.append(x)
            total += len(found)
    return total


def precis_crossings(path):
    r = subprocess.run([PRECIS, "mermaid", "--json", path], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.strip()[:200])
    d = json.loads(r.stdout)
    return d.get("crossings", 0)


def main(argv):
    md_out = json_out = None
    files = []
    i = 0
    while i < len(argv):
        if argv[i] == "--md":
            md_out = argv[i + 1]
            i += 2
            continue
        if argv[i] == "--json":
            json_out = argv[i + 1]
            i += 2
            continue
        p = argv[i]
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".mmd"))
        else:
            files.append(p)
        i += 1
    rows = []
    for f in files:
        t = truth_of(f)
        if not t:
            continue
        name = os.path.basename(f)[:-4]
        try:
            pc = precis_crossings(f)
        except Exception as e:  # noqa: BLE001
            pc = "error: %s" % e
        try:
            dc = dot_crossings(to_dot(t))
        except Exception as e:  # noqa: BLE001
            dc = "error: %s" % e
        sg_ids = {s["id"] for s in t["subgraphs"]}
        rows.append({"diagram": name, "nodes": len([n for n in t["nodes"] if n["id"] not in sg_ids]),
                     "edges": len(t["edges"]), "subgraphs": len(t["subgraphs"]),
                     "precis": pc, "dot": dc})
    lines = ["| diagram | nodes / edges / subgraphs | precis | dot | precis − dot |",
             "|---|---:|---:|---:|---:|"]
    tp = td = worse = 0
    for r in rows:
        ok = isinstance(r["precis"], int) and isinstance(r["dot"], int)
        diff = r["precis"] - r["dot"] if ok else None
        if ok:
            tp += r["precis"]
            td += r["dot"]
            worse += diff > 0
        lines.append("| %s | %d / %d / %d | %s | %s | %s |" % (
            r["diagram"], r["nodes"], r["edges"], r["subgraphs"], r["precis"], r["dot"],
            ("**+%d**" % diff if diff > 0 else str(diff)) if ok else "—"))
    lines.append("| **all %d** | | **%d** | **%d** | %d diagrams with more than dot |" % (len(rows), tp, td, worse))
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if md_out:
        with open(md_out, "w", encoding="utf-8") as f:
            f.write(text)
    if json_out:
        with open(json_out, "w", encoding="utf-8") as f:
            json.dump(rows, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
