#!/usr/bin/env python3
"""check_layers.py — proves the one-way layers of precis from its object files.

usage: check_layers.py [--unused] [--allow FILE] [--src SRC] ROOT OBJECT.o...

ROOT is the build directory the objects sit under (build/san/db/x.o is the
object of db/x.c). Rules, checked with nm(1) and the objects' own bytes:

  terminal  no object of db/, render/ or net/ references a curses or
            terminfo symbol (everything libncursesw and libtinfo define) or
            a terminal call of libc (ioctl, isatty, tcsetattr, ...), and
            none holds an escape sequence (ESC [ or ESC ]) in its data;
  upward    no object of db/ or render/ references a symbol of tui/;
            no object of db/ references a symbol of net/;
  cycles    no two files reach each other through the symbols they define
            and use (the file -> file call graph has no cycle);
  engines   the database libraries stay inside their engine: only
            db/sqlite/ includes sqlite3.h and only db/pg/ includes
            libpq-fe.h, directly or through any header of the project
            (the headers of each object's source are followed from the
            source tree, SRC: the current directory unless --src), and
            no object elsewhere references a symbol of either library
            (sqlite3_*, PQ*/lo_*/pg_*), so nothing above db/ — and
            nothing in db/ outside the engine — knows which engine it
            talks to.

Prints one line per violation and exits 1 when there is any, else prints a
summary and exits 0. --allow FILE names known violations, one a line (the
start of the line printed for it; '#' starts a comment): they are printed as
"known:" and do not fail the check, and an entry that no longer matches
anything fails it (delete the line). --unused also lists the global functions no other
object references (for a reader to judge: tests and the app may use them).
Standard library only; needs nm.
"""
import os
import struct
import subprocess
import sys

LOW = ("db", "render", "net")          # never draw, never write to a terminal
TERMINAL_LIBC = {
    "ioctl", "isatty", "ttyname", "ttyname_r", "tcgetattr", "tcsetattr",
    "tcgetwinsize", "tcsetwinsize", "cfmakeraw", "ctermid", "tcdrain", "tcflush",
}
# Used when the curses libraries cannot be found to list what they define.
CURSES_FALLBACK = {
    "initscr", "endwin", "newwin", "delwin", "newterm", "refresh", "wrefresh",
    "doupdate", "wnoutrefresh", "getch", "wgetch", "keypad", "cbreak", "raw",
    "noecho", "start_color", "init_pair", "use_default_colors", "addstr",
    "waddstr", "waddnstr", "mvaddstr", "mvwaddstr", "wadd_wch", "wmove",
    "clear", "wclear", "erase", "werase", "box", "wattr_on", "wattr_off",
    "setupterm", "tputs", "tgetent", "tgetstr", "tigetstr", "tparm", "putp",
    "vidattr", "stdscr", "curscr", "LINES", "COLS",
}


def layer(src):
    return src.split("/", 1)[0]


def curses_symbols():
    """Every symbol libncursesw and libtinfo define (dynamic table)."""
    names = set()
    found = False
    for lib in ("libncursesw.so.6", "libtinfo.so.6"):
        try:
            path = subprocess.run(["cc", "-print-file-name=" + lib], capture_output=True,
                                  text=True).stdout.strip()
        except OSError:
            continue
        if not path or not os.path.isabs(path) or not os.path.exists(path):
            continue
        out = subprocess.run(["nm", "-D", "--defined-only", "-P", path],
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 2:
                names.add(parts[0].split("@")[0])
                found = True
    return names if found else set(CURSES_FALLBACK)


def read_symbols(objs):
    """{obj: (defined set, undefined set)} from nm -P (global symbols)."""
    syms = {o: (set(), set()) for o in objs}
    out = subprocess.run(["nm", "-A", "-P"] + objs, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("check_layers: nm failed: " + out.stderr.strip())
    for line in out.stdout.splitlines():
        head, _, rest = line.partition(": ")
        parts = rest.split()
        if head not in syms or len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        if kind == "U":
            syms[head][1].add(name)
        elif kind in "TDBRCWVG":
            syms[head][0].add(name)
    return syms


def escape_bytes(obj):
    """The escape sequences (ESC [ or ESC ]) in an object's data sections."""
    with open(obj, "rb") as f:
        elf = f.read()
    if elf[:4] != b"\x7fELF" or elf[4] != 2:
        return []
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    hits = []
    for i in range(shnum):
        base = shoff + i * shentsize
        _, stype, flags, _, off, size = struct.unpack_from("<IIQQQQ", elf, base)
        # SHT_PROGBITS, SHF_ALLOC and not SHF_EXECINSTR: .rodata*, .data*
        if stype != 1 or not flags & 0x2 or flags & 0x4:
            continue
        data = elf[off:off + size]
        for seq in (b"\x1b[", b"\x1b]"):
            at = data.find(seq)
            if at >= 0:
                snippet = data[at:at + 8].split(b"\0")[0]
                hits.append(repr(snippet)[2:-1])
    return hits


def cycles(graph):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def one_cycle(comp, graph):
    """A concrete cycle through the first file of a component."""
    start = comp[0]
    members = set(comp)
    prev = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph.get(v, ())):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if w in members and w not in prev:
                prev[w] = v
                queue.append(w)
    return comp + [start]


# Each database library's headers and symbols, and the one folder that may
# use them.
ENGINE_LIBS = (
    ("sqlite3.h", ("sqlite3_",), "db/sqlite/", "SQLite"),
    ("libpq-fe.h", ("PQ", "lo_", "pg_char_to_encoding", "pg_encoding_to_char",
                    "pg_valid_server_encoding"), "db/pg/", "libpq"),
)


def read_includes(path, cache):
    """The (quoted, system) includes of one file: two lists of names."""
    if path in cache:
        return cache[path]
    quoted, system = [], []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                t = line.strip()
                if not t.startswith("#"):
                    continue
                t = t[1:].strip()
                if not t.startswith("include"):
                    continue
                t = t[len("include"):].strip()
                if t.startswith('"') and '"' in t[1:]:
                    quoted.append(t[1:t.index('"', 1)])
                elif t.startswith("<") and ">" in t:
                    system.append(t[1:t.index(">")])
    except OSError:
        pass
    cache[path] = (quoted, system)
    return cache[path]


def library_includes(source, name, srcroot, cache):
    """The database-library headers source includes, directly or through
    the project's headers: {library header: (the file that includes it,
    relative to the tree when it is one of its headers)}."""
    found = {}
    seen = set()
    todo = [(source, name)]
    while todo:
        path, shown = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        quoted, system = read_includes(path, cache)
        for h in system:
            base = h.rsplit("/", 1)[-1]
            if any(base == lib[0] for lib in ENGINE_LIBS):
                found.setdefault(base, shown)
        for h in quoted:
            base = h.rsplit("/", 1)[-1]
            if any(base == lib[0] for lib in ENGINE_LIBS):
                found.setdefault(base, shown)
                continue
            # as the compiler looks: beside the file, then -I. (SRC)
            for cand in (os.path.join(os.path.dirname(path), h), os.path.join(srcroot, h)):
                if os.path.isfile(cand):
                    rel = os.path.relpath(cand, srcroot)
                    todo.append((cand, rel if not rel.startswith("..") else cand))
                    break
    return found


def engine_violations(objs, src, syms, srcroot):
    """The engines rule: library headers and symbols outside their folder."""
    bad = []
    cache = {}
    for o in objs:
        f = src[o]
        beside = o[:-2] + ".c"
        source = beside if os.path.isfile(beside) else os.path.join(srcroot, f)
        for hdr, via in sorted(library_includes(source, f, srcroot, cache).items()):
            for lib_h, _, home, _ in ENGINE_LIBS:
                if hdr == lib_h and not f.startswith(home):
                    how = "" if via == f else f" (through {via})"
                    bad.append(f"engine: {f} includes {hdr}{how}: only {home} may")
        for name in sorted(syms[o][1]):
            for _, prefixes, home, lib in ENGINE_LIBS:
                if name.startswith(prefixes) and not f.startswith(home):
                    bad.append(f"engine: {f} uses {name} of {lib}: only {home} may")
    return bad


def read_allow(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                out.append(line)
    return out


def main(argv):
    unused = "--unused" in argv
    argv = [a for a in argv if a != "--unused"]
    allow = []
    srcroot = "."
    while len(argv) >= 2 and argv[0] in ("--allow", "--src"):
        if argv[0] == "--allow":
            allow = read_allow(argv[1])
        else:
            srcroot = argv[1]
        argv = argv[2:]
    if len(argv) < 2:
        sys.exit(__doc__)
    root, objs = argv[0].rstrip("/") + "/", argv[1:]
    src = {}
    for o in objs:
        if not o.startswith(root) or not o.endswith(".o"):
            sys.exit(f"check_layers: {o} is not under {root}")
        src[o] = o[len(root):-2] + ".c"
    syms = read_symbols(objs)
    owner = {}
    for o in objs:
        for name in syms[o][0]:
            owner.setdefault(name, src[o])
    curses = curses_symbols()
    bad = []
    graph = {}
    uses = {}
    for o in objs:
        f, lay = src[o], layer(src[o])
        for name in sorted(syms[o][1]):
            if lay in LOW and (name in curses or name in TERMINAL_LIBC):
                bad.append(f"terminal: {f} uses {name}")
            g = owner.get(name)
            if g is None or g == f:
                continue
            graph.setdefault(f, set()).add(g)
            uses.setdefault((f, g), []).append(name)
            if lay in ("db", "render") and layer(g) == "tui":
                bad.append(f"upward: {f} uses {name} of {g}")
            if lay == "db" and layer(g) == "net":
                bad.append(f"upward: {f} uses {name} of {g}")
        if lay in LOW:
            for seq in escape_bytes(o):
                bad.append(f"terminal: {f} holds an escape sequence ({seq}...)")
    bad += engine_violations(objs, src, syms, srcroot)
    for comp in cycles(graph):
        path = one_cycle(comp, graph)
        steps = " -> ".join(
            f"{a} ({uses[(a, b)][0]})" for a, b in zip(path, path[1:]))
        bad.append(f"cycle: {' '.join(comp)}: {steps} -> {path[-1]}")
    known = [b for b in bad if any(b.startswith(a) for a in allow)]
    bad = [b for b in bad if b not in known]
    for a in allow:
        if not any(k.startswith(a) for k in known):
            bad.append(f"allow-list: '{a}' no longer happens: delete it from the allow-list")
    for line in known:
        print("known: " + line)
    for line in bad:
        print(line)
    if unused:
        used = set()
        for o in objs:
            used |= syms[o][1]
        for o in objs:
            for name in sorted(syms[o][0] - used):
                if name != "main":
                    print(f"unused: {src[o]} {name}")
    if bad:
        print(f"check-layers: {len(bad)} violation{'s' if len(bad) != 1 else ''}")
        return 1
    edges = sum(len(v) for v in graph.values())
    print(f"check-layers: {len(objs)} objects, {edges} file-to-file dependencies, "
          "layers one-way, no cycles, each database library only in its engine" + (f" but {len(known)} known" if known else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
