#!/usr/bin/env python3
"""ge_convert.py — a flowchart as JSON (the shape of ../shared/mermaid/*.truth.json:
nodes/edges/subgraphs) to Graph::Easy's text syntax, for bench/mermaid.sh.

Graph::Easy must draw the same graph the other renderers draw, so the conversion
is from the official Mermaid parser's ground truth (or from bench/gen_mermaid.py's
own JSON), never from a second Mermaid parser of ours.

  python3 bench/peers/ge_convert.py IN.truth.json > OUT.ge

Choices (all in the notes of docs/mermaid-peers.md):
- node names are n0, n1, ... with the display label as a `label:` attribute, so no
  Mermaid id can collide with Graph::Easy syntax; groups likewise g0, g1, ...
- labels are decoded the way precis shows them: <br>, <br/>, </br> -> line break,
  #quot;/#9829;-style entities (and the parser's placeholder form of them) decoded,
  Markdown-string backticks dropped;
- Graph::Easy cannot take '}' inside an attribute, so '}' becomes ')';
- an edge whose end is a subgraph goes to that subgraph's first member node
  (Graph::Easy's edge-to-group syntax reorganises the groups); counted in the
  "# remapped" comment line;
- nested subgraphs become nested groups (Graph::Easy lays each group out flat);
- a node entry whose id is a subgraph id (the official parser lists styled or
  pointed-at subgraphs among its vertices) is the group, not an extra node.
"""
import html
import json
import re
import sys

_ENTITY_PLACEHOLDER_NUM = re.compile("\ufb02\u00b0\u00b0(\\d+)\u00b6\u00df")
_ENTITY_PLACEHOLDER_NAME = re.compile("\ufb02\u00b0(\\w+)\u00b6\u00df")
_ENTITY_MERMAID = re.compile(r"#(\w+);")
_BR = re.compile(r"<\s*/?\s*br\s*/?\s*>", re.I)


def _named(name):
    """The character for an entity name or #decimal, or the text unchanged."""
    if name.isdigit():
        return chr(int(name))
    s = html.unescape("&%s;" % name)
    return s if s != "&%s;" % name else "#%s;" % name


def decode_label(s):
    """Returns the label as a reader sees it: line breaks as '\\n'."""
    if s is None:
        return ""
    s = _ENTITY_PLACEHOLDER_NUM.sub(lambda m: chr(int(m.group(1))), s)
    s = _ENTITY_PLACEHOLDER_NAME.sub(lambda m: _named(m.group(1)), s)
    s = _ENTITY_MERMAID.sub(lambda m: _named(m.group(1)), s)
    s = _BR.sub("\n", s)
    if len(s) >= 2 and s[0] == "`" and s[-1] == "`":
        s = s[1:-1]
    s = s.replace("&quot;", '"').replace("&amp;", "&")
    lines = [ln.strip() for ln in s.split("\n")]
    return "\n".join(lines).strip("\n")


def _esc(s):
    """Escapes a decoded label for a Graph::Easy attribute value."""
    out = []
    for ch in s:
        if ch == "\n":
            out.append("\\n")
        elif ch in "\\;|#[]":
            out.append("\\" + ch)
        elif ch == "}":
            out.append(")")
        elif ch == "\t":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out).strip() or " "


_ARROWS = {  # (truth stroke, truth type) -> Graph::Easy edge
    "normal": ("-->", "--", "<-->"),
    "thick": ("==>", "==", "<==>"),
    "dotted": ("..>", "..", "<..>"),
    "invisible": ("-->", "--", "<-->"),
}


def _arrow(edge):
    kind = edge.get("type", "arrow_point")
    row = _ARROWS.get(edge.get("stroke", "normal"), _ARROWS["normal"])
    if kind.startswith("double_"):
        return row[2]
    if kind == "arrow_open":
        return row[1]
    return row[0]


def to_graph_easy(truth):
    """Returns Graph::Easy text for a truth-shaped dict, and the number of edges
    whose subgraph end was moved to a member node."""
    nodes = truth.get("nodes", [])
    subgraphs = truth.get("subgraphs", [])
    name = {}
    lines = ["# converted by bench/peers/ge_convert.py from %s" % truth.get("file", "?")]
    if truth.get("direction") in ("LR", "RL"):
        lines.append("graph { flow: %s; }" % ("east" if truth["direction"] == "LR" else "west"))
    elif truth.get("direction") == "BT":
        lines.append("graph { flow: north; }")
    sg_ids = {s["id"] for s in subgraphs}
    # the official parser also lists a subgraph's id as a vertex (when styled or
    # pointed at); it is drawn as the group, not as a node
    nodes = [n for n in nodes if n["id"] not in sg_ids]
    for i, n in enumerate(nodes):
        name[n["id"]] = "n%d" % i
        label = decode_label(n.get("label")) or n["id"]
        shape = ""
        if n.get("shape") in ("round", "stadium", "circle", "doublecircle", "ellipse"):
            shape = " shape: rounded;"
        lines.append("[ %s ] { label: %s;%s }" % (name[n["id"]], _esc(label), shape))

    # subgraph ids may repeat (two "subgraph Services" blocks): work by index; a
    # member naming a subgraph is the latest one of that id listed before its parent
    sg_index = {}
    for i, sg in enumerate(subgraphs):
        sg_index.setdefault(sg["id"], []).append(i)

    def child_index(m, parent_i):
        cands = sg_index.get(m, [])
        before = [j for j in cands if j < parent_i]
        return before[-1] if before else (cands[0] if cands else None)

    def first_member(i, seen=()):
        for m in subgraphs[i]["members"]:
            if m in name:
                return name[m]
        for m in subgraphs[i]["members"]:
            j = child_index(m, i)
            if j is not None and j not in seen and j != i:
                r = first_member(j, seen + (i,))
                if r:
                    return r
        return None

    remapped = 0
    edge_lines = []
    for e in truth.get("edges", []):
        ends = []
        for end in (e["from"], e["to"]):
            if end in name:
                ends.append(name[end])
            elif end in sg_index:
                ends.append(first_member(sg_index[end][-1]))
                remapped += 1
            else:  # an id only an edge mentions: the truth always lists it, but be safe
                name[end] = "n%d" % len(name)
                lines.append("[ %s ] { label: %s; }" % (name[end], _esc(end)))
                ends.append(name[end])
        if None in ends:
            continue
        label = decode_label(e.get("label"))
        attr = " { label: %s; }" % _esc(label) if label else ""
        edge_lines.append("[ %s ] %s%s [ %s ]" % (ends[0], _arrow(e), attr, ends[1]))

    # groups: children nest inside parents; only top-level ones start a statement
    parent = {}
    for i, sg in enumerate(subgraphs):
        for m in sg["members"]:
            j = child_index(m, i) if m not in name else None
            if j is not None and j != i and j not in parent:
                parent[j] = i

    def group_text(i):
        sg = subgraphs[i]
        parts = ["( g%d" % i]
        for m in sg["members"]:
            if m in name:
                parts.append("[ %s ]" % name[m])
            else:
                j = child_index(m, i)
                if j is not None and parent.get(j) == i:
                    parts.append(group_text(j))
        title = decode_label(sg.get("title")) or sg["id"]
        parts.append(") { label: %s; }" % _esc(title))
        return " ".join(parts)

    for i in range(len(subgraphs)):
        if i not in parent:
            lines.append(group_text(i))
    lines.extend(edge_lines)
    if remapped:
        lines.append("# remapped %d subgraph edge ends to a member node" % remapped)
    return "\n".join(lines) + "\n", remapped


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: ge_convert.py IN.truth.json > OUT.ge\n")
        return 2
    with open(argv[1], encoding="utf-8") as f:
        truth = json.load(f)
    text, _ = to_graph_easy(truth)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
