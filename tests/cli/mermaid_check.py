#!/usr/bin/env python3
"""mermaid_check.py — checks `precis mermaid --json` geometry (and the text
drawing) of one diagram against its ground truth.

usage: mermaid_check.py PRECIS FILE.mmd [TRUTH.json|""] [DIRECTION]
Prints one line per failure; the last line is "crossings N". Exit 1 on any
failure. Standard library only.
"""
import json
import subprocess
import sys
import unicodedata

ARROWS = set("▼▲►◄v^<>ox")


def cell_width(ch):
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if ch == "\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_cells(line):
    """A text row as a list of cells (wide chars take two; None = continuation)."""
    cells = []
    for ch in line:
        if ch == "\ufe0f" and cells:
            # emoji presentation: the base becomes two cells wide
            if cells and cells[-1] is not None and len(cells) >= 1:
                cells.append(None)
            continue
        w = cell_width(ch)
        if w == 0:
            if cells:
                continue
            w = 1
        cells.append(ch)
        if w == 2:
            cells.append(None)
    return cells


def label_size(text):
    lines = text.split("\n")
    return max(len(text_cells(l)) for l in lines), len(lines)


def norm(label):
    return (label or "").replace("<br/>", "\n").replace("<br>", "\n").replace("<br />", "\n")


DIRECTION = []


def run(precis, path, args):
    p = subprocess.run([precis, "mermaid"] + DIRECTION + args + [path], capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def main():
    precis, path = sys.argv[1], sys.argv[2]
    truth = None
    if len(sys.argv) > 3 and sys.argv[3]:
        with open(sys.argv[3], encoding="utf-8") as f:
            truth = json.load(f)
    if len(sys.argv) > 4 and sys.argv[4]:
        DIRECTION[:] = ["--direction", sys.argv[4]]
    fails = []
    rc, out, err = run(precis, path, ["--json"])
    if rc != 0:
        print(f"FAIL exit {rc}: {err.strip()}")
        print("crossings 0")
        return 1
    lay = json.loads(out)
    W, H = lay["width"], lay["height"]
    nodes = {n["id"]: n for n in lay["nodes"]}
    subs = {s["id"]: s for s in lay["subgraphs"]}
    # Mermaid allows two subgraphs with one id; geometry checks skip those
    counts = {}
    for s in lay["subgraphs"]:
        counts[s["id"]] = counts.get(s["id"], 0) + 1
    dup = {k for k, v in counts.items() if v > 1}

    def box_of(ident):
        if ident in nodes:
            return nodes[ident]
        return subs.get(ident)

    def inside(b, x, y):
        return b["x"] <= x < b["x"] + b["w"] and b["y"] <= y < b["y"] + b["h"]

    def overlap(a, b):
        return not (a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"] or
                    a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"])

    def adjacent(b, x, y):
        return (not inside(b, x, y)) and (inside(b, x + 1, y) or inside(b, x - 1, y) or
                                          inside(b, x, y + 1) or inside(b, x, y - 1))

    # truth presence
    if truth:
        for n in truth["nodes"]:
            if n["id"] not in nodes and n["id"] not in subs:
                fails.append(f"node {n['id']} missing")
        for s in truth["subgraphs"]:
            if s["id"] not in subs:
                fails.append(f"subgraph {s['id']} missing")
            elif s["id"] in dup:
                if not any(sorted(x["members"]) == sorted(s["members"]) for x in lay["subgraphs"] if x["id"] == s["id"]):
                    fails.append(f"subgraph {s['id']} (duplicate id) members differ")
            elif sorted(m for m in subs[s["id"]]["members"] if m not in dup) != sorted(m for m in s["members"] if m not in dup):
                fails.append(f"subgraph {s['id']} members {subs[s['id']]['members']} != {s['members']}")
        have = {}
        for e in lay["edges"]:
            have.setdefault((e["from"], e["to"]), []).append(e)
        for e in truth["edges"]:
            lst = have.get((e["from"], e["to"]))
            if not lst:
                fails.append(f"edge {e['from']}->{e['to']} missing")
                continue
            want = norm(e["label"]).replace("\n", " ").replace(" ", "")
            hit = None
            for i, x in enumerate(lst):
                got = (x["label"] or "").replace("\n", "").replace(" ", "")
                if got == want:
                    hit = i
                    break
            if hit is None:
                fails.append(f"edge {e['from']}->{e['to']} label {e['label']!r} missing")
                lst.pop(0)
            else:
                lst.pop(hit)
    # boxes inside the canvas, no overlaps
    ids = list(nodes)
    for i, a in enumerate(ids):
        b = nodes[a]
        if b["x"] < 0 or b["y"] < 0 or b["x"] + b["w"] > W or b["y"] + b["h"] > H:
            fails.append(f"node {a} outside the canvas")
        for c in ids[i + 1:]:
            if overlap(b, nodes[c]):
                fails.append(f"nodes {a} and {c} overlap")
    # subgraphs contain exactly their members (recursively)
    parent = {}
    for s in lay["subgraphs"]:
        for m in s["members"]:
            parent.setdefault(m, s["id"])

    def under(ident, sid):
        while ident in parent:
            ident = parent[ident]
            if ident == sid:
                return True
        return False

    def shaky(ident):
        if ident in dup:
            return True
        while ident in parent:
            ident = parent[ident]
            if ident in dup:
                return True
        return ident in dup

    for s in lay["subgraphs"]:
        if shaky(s["id"]):
            continue
        for nid, nb in nodes.items():
            if shaky(nid):
                continue
            mem = under(nid, s["id"])
            if mem and not (s["x"] < nb["x"] and s["y"] < nb["y"] and
                            nb["x"] + nb["w"] < s["x"] + s["w"] and nb["y"] + nb["h"] < s["y"] + s["h"]):
                fails.append(f"member {nid} not inside subgraph {s['id']}")
            if not mem and overlap(s, nb):
                fails.append(f"non-member {nid} overlaps subgraph {s['id']}")
        for t in lay["subgraphs"]:
            if t is s or shaky(t["id"]):
                continue
            if under(t["id"], s["id"]):
                if not (s["x"] < t["x"] and t["x"] + t["w"] < s["x"] + s["w"] and
                        s["y"] < t["y"] and t["y"] + t["h"] < s["y"] + s["h"]):
                    fails.append(f"subgraph {t['id']} not inside {s['id']}")
            elif not under(s["id"], t["id"]) and overlap(s, t) and s["id"] < t["id"]:
                fails.append(f"subgraphs {s['id']} and {t['id']} overlap")

    def on_border(s, x, y):
        return inside(s, x, y) and (x in (s["x"], s["x"] + s["w"] - 1) or y in (s["y"], s["y"] + s["h"] - 1))

    # edges
    edge_cells = []
    for k, e in enumerate(lay["edges"]):
        cells = [tuple(c) for c in e["cells"]]
        edge_cells.append(set(cells))
        name = f"edge {k} {e['from']}->{e['to']}"
        if not cells:
            fails.append(f"{name} has no cells")
            continue
        for a, b in zip(cells, cells[1:]):
            if abs(a[0] - b[0]) + abs(a[1] - b[1]) != 1:
                fails.append(f"{name} not continuous at {a}->{b}")
                break
        for (x, y) in cells:
            if not (0 <= x < W and 0 <= y < H):
                fails.append(f"{name} cell {x},{y} outside the canvas")
                break
            for nid, nb in nodes.items():
                if inside(nb, x, y):
                    fails.append(f"{name} cell {x},{y} inside node {nid}")
                    break
        fb, tb = box_of(e["from"]), box_of(e["to"])
        # a subgraph end may attach to a member box inside the subgraph
        if fb and not adjacent(fb, *cells[0]) and not (e["from"] in subs and inside(fb, *cells[0])):
            fails.append(f"{name} does not start on its source box")
        if tb and not adjacent(tb, *cells[-1]) and not (e["to"] in subs and inside(tb, *cells[-1])):
            fails.append(f"{name} does not end on its target box")
    # labels
    lrects = []
    for k, e in enumerate(lay["edges"]):
        if not e["label"]:
            continue
        if e["label_x"] is None:
            fails.append(f"edge {k} label {e['label']!r} not placed")
            continue
        w, h = label_size(e["label"])
        r = {"x": e["label_x"], "y": e["label_y"], "w": w, "h": h}
        lrects.append((k, r))
        for nid, nb in nodes.items():
            if overlap(r, nb):
                fails.append(f"edge {k} label overlaps node {nid}")
        for j, cs in enumerate(edge_cells):
            if j != k and any(inside(r, x, y) for (x, y) in cs):
                fails.append(f"edge {k} label overlaps edge {j}")
        for s in lay["subgraphs"]:
            if any(on_border(s, x, y) for x in range(r["x"], r["x"] + w) for y in range(r["y"], r["y"] + h)):
                fails.append(f"edge {k} label on the border of subgraph {s['id']}")
    for i in range(len(lrects)):
        for j in range(i + 1, len(lrects)):
            if overlap(lrects[i][1], lrects[j][1]):
                fails.append(f"labels of edges {lrects[i][0]} and {lrects[j][0]} overlap")
    # text: every row exactly W cells, arrowheads where the graph has heads
    types = {}
    if truth:
        for e in truth["edges"]:
            types.setdefault((e["from"], e["to"]), []).append(e["type"])
    for mode in ("--unicode", "--ascii"):
        rc, out, err = run(precis, path, [mode])
        if rc != 0:
            fails.append(f"{mode} exit {rc}")
            continue
        rows = out.split("\n")
        if rows and rows[-1] == "":
            rows.pop()
        if len(rows) != H:
            fails.append(f"{mode}: {len(rows)} rows, want {H}")
        grid = []
        for i, row in enumerate(rows):
            cs = text_cells(row)
            if len(cs) != W:
                fails.append(f"{mode}: row {i} is {len(cs)} cells wide, want {W}")
            grid.append(cs)
        if mode == "--unicode" and truth:
            seen = {}
            for k, e in enumerate(lay["edges"]):
                key = (e["from"], e["to"])
                idx = seen.get(key, 0)
                seen[key] = idx + 1
                tl = types.get(key, [])
                t = tl[idx] if idx < len(tl) else "arrow_point"
                if t in ("arrow_open",) or not e["cells"]:
                    continue
                x, y = e["cells"][-1]
                if y < len(grid) and x < len(grid[y]):
                    ch = grid[y][x]
                    if ch not in ARROWS:
                        fails.append(f"edge {k} {key[0]}->{key[1]} ends with {ch!r}, not an arrowhead")
                # a two-headed edge (<-->, o--o, x--x) shows a head at its start too
                if t.startswith("double_"):
                    if len(e["cells"]) < 2:
                        fails.append(f"edge {k} {key[0]}<->{key[1]} has one cell for two heads")
                        continue
                    x, y = e["cells"][0]
                    ch = grid[y][x] if y < len(grid) and x < len(grid[y]) else ""
                    if ch not in ARROWS:
                        fails.append(f"edge {k} {key[0]}<->{key[1]} starts with {ch!r}, not a head")
    for f in fails:
        print("FAIL " + f)
    print(f"crossings {lay['crossings']}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
