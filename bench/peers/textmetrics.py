#!/usr/bin/env python3
"""textmetrics.py — measures a flowchart drawing as text, the same way for every
renderer (precis, beautiful-mermaid, Graph::Easy), for bench/mermaid.sh.

  python3 bench/peers/textmetrics.py DRAWING.txt [TRUTH.json]   -> JSON on stdout

Heuristics (documented in docs/mermaid-peers.md):
- cells: a character is 2 cells when unicodedata.east_asian_width is W or F, 0 when it
  is a combining mark / format character, else 1 (ambiguous-width characters such as
  '·' count 1, as in a non-CJK terminal locale);
- canvas: columns = widest row after trailing spaces are dropped (what you see),
  rows = lines up to the last non-blank one;
- boxes: a box is a '┌' (or '╭', '╱') whose top border (line glyphs, maybe with a
  title in it) runs right to a '┐' ('╮', '╲'), followed by rows whose
  cell in the left corner's column is a vertical line (or something crossing it) down
  to a bottom corner ('└', '╰', '╲').
  Boxes are looked for on the grid of characters (one character = one cell, what a
  renderer that ignores wide characters believes it drew) and on the grid of display
  cells. A box is misaligned when its left or right border lands on different display
  columns on different rows — what a wide character counted as one cell does. Node
  and subgraph boxes are both checked (a rectangle of edge lines can pass for a box);
- crossings: '┼' cells that are not on a detected box's border (an edge entering a
  subgraph box is not a crossing), plus ASCII '+' with '-' left and right and '|'
  above and below. A four-way junction of merged edges would also count;
- arrowheads: '▲▼◄►▶◀△▽▷◁▸◂▴▾' anywhere, and '<>v^∨∧' only with a line on the
  side the edge comes from. Expected = one per edge end that has an arrow head in the
  truth (arrow_point 1, double_arrow_point 2); edges dropped = expected - seen, never
  below 0. Two edges sharing one arrowhead count as one (they cannot be told apart);
- labels: each expected edge label must occur (as many times as edges carry it), with
  any run of spaces allowed to be drawn as spaces or line characters ('─', '-'); a
  label wider than 20 cells may be wrapped, so each of its words occurring is enough.
  Text that also occurs in a node label is found there too (never counted lost).
"""
import json
import re
import sys
import unicodedata

VERT = set("│┃║╎┆┊|:├┤┼╋╫╪┝┥┠┨╟╢╞╡")
HORIZ = set("─━═╌┄┈−-·┬┴┼╋╤╧╥╨┯┷")
ARROW_ANY = set("▲▼◄►▶◀△▽▷◁▸◂▴▾")
BOXCH = set(chr(c) for c in range(0x2500, 0x2580)) | set("−|-+=:.")


def char_width(ch):
    """Returns the display cells of one character (0, 1 or 2)."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def to_cells(line):
    """Returns the row as a list of cells: a wide character then None."""
    cells = []
    for ch in line:
        w = char_width(ch)
        if w == 0:
            continue
        cells.append(ch)
        if w == 2:
            cells.append(None)
    return cells


def _rows(text):
    lines = text.replace("\r", "").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


LEFT_OK = VERT | set("<>◄►▶◀─−")
TL, TR, BL, BR = set("┌╭╱"), set("┐╮╲"), set("└╰╲"), set("┘╯╱")  # square, round, diamond
CORNERS = TL | TR | BL | BR


def find_boxes(grid):
    """Returns boxes found in a grid as dicts (x1, y1, x2, y2, misaligned_rows):
    a top-left corner whose top border runs to a top-right corner, then rows whose
    cell in the corner's column is a vertical line (or an edge crossing it) down to
    a bottom-left corner."""
    boxes = []
    for y, row in enumerate(grid):
        for x, ch in enumerate(row):
            if ch not in TL:
                continue
            # the top border: line glyphs, maybe a title drawn into it
            x2, lines_seen = x + 1, 0
            while x2 < len(row) and row[x2] not in CORNERS:
                if row[x2] in HORIZ:
                    lines_seen += 1
                elif row[x2] == " " and (x2 + 1 >= len(row) or row[x2 + 1] == " "):
                    break
                x2 += 1
            if x2 >= len(row) or row[x2] not in TR or lines_seen < 2:
                continue
            bad, y2 = 0, None
            for yy in range(y + 1, min(len(grid), y + 2000)):
                r = grid[yy]
                left = r[x] if x < len(r) else " "
                right = r[x2] if x2 < len(r) else " "
                if left in BL:
                    if right not in BR:
                        bad += 1
                    y2 = yy
                    break
                if left is None or left not in LEFT_OK:
                    break
                if right is None or right not in LEFT_OK:
                    bad += 1
            if y2 is not None:
                boxes.append({"x1": x, "y1": y, "x2": x2, "y2": y2, "misaligned_rows": bad})
    return boxes


def _prefix_widths(line):
    """Returns p where p[i] is the display column of the line's i-th character."""
    p, col = [], 0
    for ch in line:
        p.append(col)
        col += char_width(ch)
    p.append(col)
    return p


def check_boxes(lines, cgrid, dgrid):
    """Returns (boxes, misaligned, border cells as (row, char index)).

    Boxes are looked for twice: on the grid of characters (one character, one cell:
    what a renderer that ignores wide characters believes it drew) and on the grid of
    display cells (what the terminal shows). A box of the first kind whose border
    columns land on different display columns on different rows is misaligned; a box
    that lines up in display cells is aligned."""
    pw = [_prefix_widths(ln) for ln in lines]
    found = {}
    border = set()
    for b in find_boxes(dgrid):
        if b["misaligned_rows"]:
            continue
        found[(b["y1"], b["x1"])] = False
        for y in range(b["y1"], b["y2"] + 1):
            for x in ((b["x1"], b["x2"]) if b["y1"] < y < b["y2"] else range(b["x1"], b["x2"] + 1)):
                border.add((y, "d", x))
    for b in find_boxes(cgrid):
        cols1 = {pw[y][b["x1"]] for y in range(b["y1"], b["y2"] + 1)}
        cols2 = {pw[y][min(b["x2"], len(pw[y]) - 1)] for y in range(b["y1"], b["y2"] + 1)}
        key = (b["y1"], pw[b["y1"]][b["x1"]])
        bad = len(cols1) > 1 or len(cols2) > 1
        if key in found and not found[key]:
            bad = False
        found[key] = bad
        for y in range(b["y1"], b["y2"] + 1):
            for x in ((b["x1"], b["x2"]) if b["y1"] < y < b["y2"] else range(b["x1"], b["x2"] + 1)):
                border.add((y, "c", x))
    return len(found), sum(1 for v in found.values() if v), border


def _is_line(ch, horizontal):
    if ch is None:
        return False
    if horizontal:
        return ch in HORIZ or ch in "┌┐└┘├┤=." or ch in "╴╶"
    return ch in VERT or ch in "┌┐└┘┬┴"


def _arrow_at(grid, y, x):
    """Returns True when the cell is an arrowhead (see the module comment)."""
    row = grid[y]
    ch = row[x]
    if ch is None:
        return False
    if ch in ARROW_ANY:
        return True
    if ch not in "<>v^∨∧":
        return False
    left = row[x - 1] if x > 0 else " "
    right = row[x + 1] if x + 1 < len(row) else " "
    up = grid[y - 1][x] if y > 0 and x < len(grid[y - 1]) else " "
    down = grid[y + 1][x] if y + 1 < len(grid) and x < len(grid[y + 1]) else " "
    return ((ch == ">" and _is_line(left, True)) or (ch == "<" and _is_line(right, True))
            or (ch in "v∨" and _is_line(up, False)) or (ch in "^∧" and _is_line(down, False)))


def count_arrowheads(lines, cgrid, dgrid):
    """Returns the number of arrowhead characters, each judged on the character
    grid or, failing that, on the display grid."""
    n = 0
    for y, line in enumerate(lines):
        pw = _prefix_widths(line)
        for i in range(len(line)):
            if _arrow_at(cgrid, y, i) or _arrow_at(dgrid, y, pw[i]):
                n += 1
    return n


def count_crossings(lines, cgrid, border):
    """Returns crossing characters that are not on a box border."""
    n = 0
    for y, line in enumerate(lines):
        pw = _prefix_widths(line)
        row = cgrid[y]
        for i, ch in enumerate(row):
            if (y, "c", i) in border or (y, "d", pw[i]) in border:
                continue
            if ch == "┼" or ch == "╋":
                n += 1
            elif ch == "+":
                left = row[i - 1] if i > 0 else " "
                right = row[i + 1] if i + 1 < len(row) else " "
                up = cgrid[y - 1][i] if y > 0 and i < len(cgrid[y - 1]) else " "
                down = cgrid[y + 1][i] if y + 1 < len(cgrid) and i < len(cgrid[y + 1]) else " "
                if left == "-" and right == "-" and up == "|" and down == "|":
                    n += 1
    return n


def _label_regex(label):
    parts = [re.escape(p) for p in label.split()]
    return re.compile(r"[\s─━\-]+".join(parts)) if parts else None


def measure(text, truth=None, decode=None):
    """Returns the metrics of a drawing as a dict (see the module comment)."""
    lines = _rows(text)
    dgrid = [to_cells(ln) for ln in lines]
    cgrid = [list(ln) for ln in lines]
    nboxes, misaligned, border = check_boxes(lines, cgrid, dgrid)
    m = {
        "cols": max((len(to_cells(ln.rstrip())) for ln in lines), default=0),
        "rows": len(lines),
        "boxes": nboxes,
        "misaligned_boxes": misaligned,
        "crossings": count_crossings(lines, cgrid, border),
        "arrowheads": count_arrowheads(lines, cgrid, dgrid),
    }
    if truth is not None:
        heads = 0
        for e in truth.get("edges", []):
            t = e.get("type", "arrow_point")
            if t == "double_arrow_point":
                heads += 2
            elif t == "arrow_point":
                heads += 1
        m["arrowheads_expected"] = heads
        m["edges_in"] = len(truth.get("edges", []))
        m["edges_dropped"] = max(0, heads - m["arrowheads"])
        want = {}
        for e in truth.get("edges", []):
            lab = e.get("label") or ""
            if decode:
                lab = decode(lab)
            lab = " ".join(lab.split())
            if lab:
                want[lab] = want.get(lab, 0) + 1
        joined = "\n".join(lines)
        lost = 0
        for lab, k in want.items():
            rx = _label_regex(lab)
            found = len(rx.findall(joined)) if rx else k
            words = lab.split()
            if found < k and len(words) > 1 and len(to_cells(lab)) > 20:
                # a long label may be wrapped onto several rows: every word must occur
                found = max(found, min(joined.count(w) for w in words))
            lost += max(0, k - found)
        m["labels_expected"] = sum(want.values())
        m["labels_lost"] = lost
    return m


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: textmetrics.py DRAWING.txt [TRUTH.json]\n")
        return 2
    with open(argv[1], encoding="utf-8", errors="replace") as f:
        text = f.read()
    truth = None
    if len(argv) == 3:
        with open(argv[2], encoding="utf-8") as f:
            truth = json.load(f)
    sys.dont_write_bytecode = True
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from ge_convert import decode_label
    json.dump(measure(text, truth, decode_label), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
