#!/usr/bin/env python3
"""gen_mermaid.py — deterministic Mermaid flowcharts for `make bench`.

  python3 bench/gen_mermaid.py [OUTDIR] [N ...]      (defaults: bench/out 100 500)
  python3 bench/gen_mermaid.py --shapes OUTDIR       (the hostile maps of issue 12)

For each N writes OUTDIR/gen_N.mmd (Mermaid), OUTDIR/gen_N.truth.json (the same
graph in the shape of ../shared/mermaid/*.truth.json, which is what the checks
count against) and OUTDIR/gen_N.ge (Graph::Easy syntax, via bench/peers/ge_convert.py).

The graphs look like the concept maps LLMs write, scaled up: a layered DAG (most
edges go to the next layer, some skip a layer or two), about 6% back edges, labels
on about a fifth of the edges, about a third of the node labels in Chinese and some
on two lines, and a few subgraphs of 4-8 nodes from neighbouring layers. The random
generator is seeded with N, so the same N always gives the same files.

--shapes writes the maps that took seconds to minutes and gigabytes before
precis had layout budgets (issue 12), for bench/mermaid.sh and `make fuzz`:
fan50 (A1 & … & A50 --> B1 & … & B50, 591 bytes), fan300, edges2000 (2,000
random edges among 1,000 nodes), dense2000 (among 300), edges20000 (among
10,000), nest1000 and nest5000 (subgraphs inside each other), and gen_1450
(an LLM-shaped map of 2,007 edges, drawn within the budgets).
"""
import json
import os
import random
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers"))
import ge_convert  # noqa: E402

EN_WORDS = ["parser", "layout", "cache", "index", "query", "router", "worker", "queue",
            "store", "render", "config", "session", "auth", "metrics", "upload", "search",
            "billing", "export", "scheduler", "gateway", "policy", "stream", "sync", "audit"]
CN_WORDS = ["数据", "模型", "训练", "推理", "存储", "调度", "网络", "安全", "用户", "接口",
            "缓存", "日志", "监控", "配置", "任务", "服务", "算力", "电池", "芯片", "平台"]
EN_EDGE = ["calls", "reads", "writes", "feeds", "uses", "depends on", "notifies", "retries"]
CN_EDGE = ["提供数据", "调用", "依赖", "写入", "通知", "支持训练", "供电保障", "同步"]


def _node_label(rng, i):
    """A node label: English or Chinese words, sometimes on two lines."""
    if rng.random() < 0.35:
        words = rng.sample(CN_WORDS, rng.choice((1, 2, 2, 3)))
        text = "".join(words)
        if rng.random() < 0.3:
            text += "<br/>(" + rng.choice(CN_WORDS) + rng.choice(CN_WORDS) + ")"
    else:
        words = rng.sample(EN_WORDS, rng.choice((1, 2, 2, 3)))
        text = " ".join(words).capitalize()
        if rng.random() < 0.2:
            text += "<br/>" + rng.choice(EN_WORDS) + " v%d" % rng.randint(1, 9)
    return "%s %d" % (text, i) if "<br/>" not in text else text


def generate(n):
    """Returns the truth-shaped dict of a generated graph of n nodes."""
    rng = random.Random(n)
    layers = max(3, int(round(n ** 0.5 * 1.2)))
    per = [0] * layers
    for _ in range(n):
        per[rng.randrange(layers)] += 1
    per = [max(1, p) for p in per]
    while sum(per) > n:
        per[per.index(max(per))] -= 1
    while sum(per) < n:
        per[rng.randrange(layers)] += 1

    nodes, layer_of, by_layer = [], [], []
    for li, count in enumerate(per):
        ids = []
        for _ in range(count):
            i = len(nodes)
            nid = "n%d" % i
            shape = rng.choices(["square", "round", "diamond", "stadium"], [80, 10, 6, 4])[0]
            nodes.append({"id": nid, "label": _node_label(rng, i), "shape": shape})
            layer_of.append(li)
            ids.append(i)
        by_layer.append(ids)

    edges, seen = [], set()

    def add(a, b):
        if a == b or (a, b) in seen:
            return
        seen.add((a, b))
        label = ""
        if rng.random() < 0.2:
            label = rng.choice(CN_EDGE if rng.random() < 0.5 else EN_EDGE)
        edges.append({"from": "n%d" % a, "to": "n%d" % b, "label": label,
                      "type": "arrow_point", "stroke": "normal", "length": 1})

    for li in range(1, layers):
        for b in by_layer[li]:
            # one or two parents, mostly from the previous layer
            for _ in range(rng.choice((1, 1, 1, 2))):
                src_layer = li - 1 if rng.random() < 0.8 else max(0, li - rng.choice((2, 3)))
                add(rng.choice(by_layer[src_layer]), b)
    # nodes of the first layer all get a child; a few more forward edges, some back edges
    for a in by_layer[0]:
        add(a, rng.choice(by_layer[1]))
    for _ in range(n // 10):
        a = rng.randrange(n)
        if layer_of[a] + 1 < layers:
            add(a, rng.choice(by_layer[min(layers - 1, layer_of[a] + rng.choice((1, 2)))]))
    for _ in range(max(2, n * 6 // 100)):
        a = rng.randrange(n)
        if layer_of[a] >= 2:
            add(a, rng.choice(by_layer[layer_of[a] - rng.choice((1, 2))]))

    subgraphs, used = [], set()
    for k in range(max(3, n // 60)):
        li = rng.randrange(layers - 1)
        pool = [i for i in by_layer[li] + by_layer[li + 1] if i not in used]
        if len(pool) < 4:
            continue
        members = rng.sample(pool, min(len(pool), rng.randint(4, 8)))
        used.update(members)
        title = (rng.choice(CN_WORDS) + rng.choice(CN_WORDS) + "层") if k % 2 == 0 \
            else ("%s layer" % rng.choice(EN_WORDS)).capitalize()
        subgraphs.append({"id": "sg%d" % k, "title": title,
                          "members": ["n%d" % i for i in sorted(members)]})

    return {"file": "gen_%d.mmd" % n, "ok": True, "direction": "TB",
            "counts": {"nodes": len(nodes), "edges": len(edges), "subgraphs": len(subgraphs)},
            "nodes": nodes, "edges": edges, "subgraphs": subgraphs}


def to_mermaid(t):
    """Returns Mermaid source for a truth-shaped dict."""
    out = ["%%%% generated by bench/gen_mermaid.py: %d nodes, %d edges, %d subgraphs"
           % (t["counts"]["nodes"], t["counts"]["edges"], t["counts"]["subgraphs"]),
           "flowchart TD"]
    brackets = {"square": ("[\"", "\"]"), "round": ("(\"", "\")"),
                "diamond": ("{\"", "\"}"), "stadium": ("([\"", "\"])")}
    decl = {}
    for nd in t["nodes"]:
        o, c = brackets[nd["shape"]]
        decl[nd["id"]] = "%s%s%s%s" % (nd["id"], o, nd["label"], c)
    in_sg = set()
    for s in t["subgraphs"]:
        out.append("    subgraph %s [\"%s\"]" % (s["id"], s["title"]))
        for m in s["members"]:
            out.append("        " + decl[m])
            in_sg.add(m)
        out.append("    end")
    for nd in t["nodes"]:
        if nd["id"] not in in_sg:
            out.append("    " + decl[nd["id"]])
    for e in t["edges"]:
        if e["label"]:
            out.append("    %s -->|%s| %s" % (e["from"], e["label"], e["to"]))
        else:
            out.append("    %s --> %s" % (e["from"], e["to"]))
    return "\n".join(out) + "\n"


def shapes(outdir):
    """Writes the hostile shapes of issue 12 into outdir; returns their paths."""
    def fan(k):
        return ("graph TD\n" + " & ".join("A%d" % i for i in range(1, k + 1)) + " --> "
                + " & ".join("B%d" % i for i in range(1, k + 1)) + "\n")

    def random_edges(n, e, seed):
        rng = random.Random(seed)
        return "graph TD\n" + "".join("  n%d --> n%d\n" % (rng.randrange(n), rng.randrange(n))
                                      for _ in range(e))

    def nest(d):
        return ("graph TD\n" + "".join("subgraph S%d\n" % i for i in range(d)) + "X --> Y\n"
                + "end\n" * d)

    files = {"fan50": fan(50), "fan300": fan(300), "edges2000": random_edges(1000, 2000, 1),
             "dense2000": random_edges(300, 2000, 3), "edges20000": random_edges(10000, 20000, 2),
             "nest1000": nest(1000), "nest5000": nest(5000), "gen_1450": to_mermaid(generate(1450))}
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for name, text in files.items():
        path = os.path.join(outdir, name + ".mmd")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        paths.append(path)
    return paths


def main(argv):
    if len(argv) > 2 and argv[1] == "--shapes":
        for p in shapes(argv[2]):
            print(p)
        return 0
    outdir = argv[1] if len(argv) > 1 else "bench/out"
    sizes = [int(a) for a in argv[2:]] or [100, 500]
    os.makedirs(outdir, exist_ok=True)
    for n in sizes:
        t = generate(n)
        base = os.path.join(outdir, "gen_%d" % n)
        with open(base + ".mmd", "w", encoding="utf-8") as f:
            f.write(to_mermaid(t))
        with open(base + ".truth.json", "w", encoding="utf-8") as f:
            json.dump(t, f, ensure_ascii=False, indent=1)
        with open(base + ".ge", "w", encoding="utf-8") as f:
            f.write(ge_convert.to_graph_easy(t)[0])
        print("%s.mmd: %d nodes, %d edges, %d subgraphs" % (
            base, t["counts"]["nodes"], t["counts"]["edges"], t["counts"]["subgraphs"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
