#!/usr/bin/env python3
"""bench/app_bench.py — the app through a pty (issue 7's numbers).

usage: app_bench.py PRECIS DB_1K DB_100K DB_SEED TEXT_FILE RUNS DB_SEED0

  * start to first full frame (the footer and status line written) at
    1,000 and 100,000 transcripts;
  * opening the 88 KB seed in the reader (Enter to its full frame);
  * bytes written for one line of scrolling and for one page in the
    reader, beside `less` on the same text at the same size (80x24, where
    the reader stacks its panes, and 160x48 side by side);
  * CPU used while idle for 10 s.
Medians of RUNS runs. Prints a Markdown table.
"""
import os, pty, select, signal, statistics, sys, time

PRECIS, DB1K, DB100K, DBSEED, TEXT, RUNS, DBSUM = sys.argv[1:8]
RUNS = int(RUNS)
ENV = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", TZ="UTC")
ENV.pop("NO_COLOR", None)
ENV.pop("TMUX", None)


def spawn(argv, rows, cols, env=ENV):
    pid, fd = pty.fork()
    if pid == 0:
        import fcntl, struct, termios
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.execvpe(argv[0], argv, env)
    import fcntl, struct, termios
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return pid, fd


def read_until(fd, marker, timeout=20.0):
    """Reads until marker shows; returns (bytes, seconds)."""
    buf = b""
    t0 = time.perf_counter()
    while marker not in buf:
        r, _, _ = select.select([fd], [], [], max(0.0, timeout - (time.perf_counter() - t0)))
        if not r:
            raise TimeoutError(marker)
        try:
            buf += os.read(fd, 65536)
        except OSError:
            break
    return buf, time.perf_counter() - t0


def drain(fd, quiet=0.25):
    """Reads until nothing comes for `quiet` seconds; returns the bytes."""
    buf = b""
    while True:
        r, _, _ = select.select([fd], [], [], quiet)
        if not r:
            return buf
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return buf
        if not chunk:
            return buf
        buf += chunk


def stop(pid, fd):
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        drain(fd, 0.1)
    except Exception:
        pass
    os.waitpid(pid, 0)
    os.close(fd)


BENCH_FILE = os.path.join(os.path.dirname(os.path.abspath(DBSEED)), "frames.txt")


def frames():
    """Frame times (µs) the app wrote to $PRECIS_BENCH_FILE, and empties it."""
    try:
        with open(BENCH_FILE) as f:
            v = [int(l.split()[1]) for l in f if l.startswith("frame ")]
    except FileNotFoundError:
        v = []
    open(BENCH_FILE, "w").close()
    return v


BENV = dict(ENV, PRECIS_BENCH_FILE=BENCH_FILE)


def first_frame(db):
    """(wall ms from exec, in-process ms from main to the first doupdate)"""
    times, inproc = [], []
    frames()
    for i in range(RUNS + 1):
        t0 = time.perf_counter()
        pid, fd = spawn([PRECIS, "--db", db], 50, 160, BENV)
        _, _ = read_until(fd, b"q quit")
        t1 = time.perf_counter()
        drain(fd, 0.05)
        stop(pid, fd)
        f = frames()
        if i == 0:
            continue   # the first open may upgrade the archive
        times.append(t1 - t0)
        if f:
            inproc.append(f[0] / 1000)
    return statistics.median(times) * 1000, statistics.median(inproc)


def exec_floor():
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        os.spawnv(os.P_WAIT, PRECIS, [PRECIS, "--version"]) if False else \
            __import__("subprocess").run([PRECIS, "--version"], stdout=__import__("subprocess").DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def open_seed():
    times, inproc = [], []
    for _ in range(RUNS):
        pid, fd = spawn([PRECIS, "--db", DBSEED], 50, 160, BENV)
        read_until(fd, b"q quit")
        drain(fd, 0.1)
        frames()
        t0 = time.perf_counter()
        os.write(fd, b"\r")
        read_until(fd, b"versions")   # the reader's footer
        times.append(time.perf_counter() - t0)
        drain(fd, 0.1)
        f = frames()
        if f:
            inproc.append(f[0] / 1000)
        stop(pid, fd)
    return statistics.median(times) * 1000, statistics.median(inproc)


def scroll_bytes(argv, rows, cols, ready, env=ENV, keys_open=None):
    line, page = [], []
    for _ in range(max(3, RUNS // 3)):
        pid, fd = spawn(argv, rows, cols, env)
        read_until(fd, ready)
        drain(fd, 0.3)
        if keys_open:
            os.write(fd, keys_open)
            drain(fd, 0.5)
        os.write(fd, b"j")
        line.append(len(drain(fd, 0.3)))
        os.write(fd, b" ")
        page.append(len(drain(fd, 0.3)))
        stop(pid, fd)
    return statistics.median(line), statistics.median(page)


def idle_cpu():
    pid, fd = spawn([PRECIS, "--db", DB1K], 50, 160)
    read_until(fd, b"q quit")
    drain(fd, 0.3)

    def cpu():
        with open(f"/proc/{pid}/stat") as f:
            parts = f.read().rsplit(")", 1)[1].split()
        return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")
    c0 = cpu()
    time.sleep(10)
    c1 = cpu()
    stop(pid, fd)
    return c1 - c0


class Rows(list):
    def append(self, r):
        super().append(r)
        print(f"| {r[0]} | {r[1]} | {r[2]} |", file=sys.stderr, flush=True)


rows = Rows()
rows.append(("`precis --version` (exec and loading its shared libraries: the floor)", f"{exec_floor():.1f} ms", ""))
for (db, n) in ((DB1K, "1,000"), (DB100K, "100,000")):
    w, i = first_frame(db)
    rows.append((f"start to first full frame, {n} transcripts: from exec / inside precis", f"{w:.1f} / {i:.1f} ms", "≤ 50 ms"))
w, i = open_seed()
rows.append(("open the 88 KB seed in the reader (Enter to full frame): through the pty / inside precis", f"{w:.1f} / {i:.1f} ms", "≤ 10 ms"))
lessenv = dict(ENV, LESS="", LESSHISTFILE="-")
for (r, c, what) in ((24, 80, "80×24 (stacked)"), (48, 160, "160×48 (side by side)")):
    pl, pp = scroll_bytes([PRECIS, "--db", DBSEED], r, c, b"Enter open", keys_open=b"\r")
    sl, sp = scroll_bytes([PRECIS, "--db", DBSUM], r, c, b"Enter open", keys_open=b"\r")
    ll, lp = scroll_bytes(["less", TEXT], r, c, "就没打开".encode(), env=lessenv)
    rows.append((f"bytes for one line of scrolling, {what}", f"{pl:.0f} (less: {ll:.0f}, ×{pl / max(ll, 1):.1f})", "≤ 2× less"))
    rows.append((f"bytes for one page, {what}", f"{pp:.0f} (less: {lp:.0f}, ×{pp / max(lp, 1):.1f})", ""))
    rows.append((f"the same with a summary beside it (seed 000): line / page, {what}", f"{sl:.0f} / {sp:.0f}", ""))
rows.append(("CPU while idle for 10 s", f"{idle_cpu():.2f} s", "0"))
print("| measure | median | target |")
print("|---|---:|---|")
for r in rows:
    print(f"| {r[0]} | {r[1]} | {r[2]} |")
