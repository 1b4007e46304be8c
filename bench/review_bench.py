#!/usr/bin/env python3
"""bench/review_bench.py — the review workflow through a pty (issue 16).

usage: review_bench.py --make-queue SEED OUTDIR
       review_bench.py PRECIS DB_QUEUE DB_BATCH RUNS

--make-queue writes the queue's record files: the 88 KB seed transcript
with a generated summary, and 50 copies of it (other titles and dates),
each with its own generated summary, two in ten with a concept map.

The bench then, on a fresh copy of the archive each run:
  * reviews the whole queue from the list: Enter opens the first to
    review, then `a` approves and opens the next, every tenth `x`, a
    reason and Enter flags and opens the next — the keys per reviewed
    transcript, and the archive checked afterwards;
  * times every key inside precis ($PRECIS_BENCH_FILE: from reading the
    key to the frame it causes on the terminal): the reader's a, x…Enter,
    J, K, A, R; the list's a, t, S, f, l (each key of a pattern), T;
  * at 3,000 transcripts (1,000 summarized): T tags the 1,000 to review,
    a then y approves them in one transaction.
Prints Markdown tables (p50 and p95 over all runs).
"""
import os, pty, re, select, shutil, signal, statistics, subprocess, sys, tempfile, time


# ---- the queue's files ---------------------------------------------------

def make_queue(seed, outdir):
    raw = open(seed, encoding="utf-8").read()
    text = raw.strip()
    # sentences of the seed, for summaries that read like ones of it
    parts = [p for p in re.split(r"[。？！，]", text) if 8 <= len(p) <= 60]
    for i in range(51):
        title = "审阅队列 %02d · review queue %d" % (i, i)
        lines = ["# 要点 %d" % i, "", "## Outline", ""]
        for k in range(12):
            lines.append("%d. %s。" % (k + 1, parts[(i * 37 + k * 11) % len(parts)]))
        lines += ["", "## Details", ""]
        for k in range(8):
            lines.append("- %s，%s。" % (parts[(i * 53 + k * 7) % len(parts)],
                                       parts[(i * 29 + k * 13 + 5) % len(parts)]))
        if i % 5 == 2:
            lines += ["", "<Mermaid_Diagram>", "graph TD",
                      "A[要点 %d] --> B[推理]" % i, "A --> C[数据]", "C --> D[模型]",
                      "</Mermaid_Diagram>"]
        summary = "\n".join(lines)
        body = text if i == 0 else text[(i * 997) % 4000:] + text[:(i * 997) % 4000]
        with open(os.path.join(outdir, "q%02d.txt" % i), "w", encoding="utf-8") as f:
            f.write("Title: %s\nTimestamp: 2026-01-%02dT%02d:00:00\nDuration: 56:04\n"
                    "Channel: bench\n\nDescription:\n%s\n\nContent:\n%s\n"
                    % (title, 1 + i % 28, i % 24, summary, body))


if len(sys.argv) == 4 and sys.argv[1] == "--make-queue":
    make_queue(sys.argv[2], sys.argv[3])
    sys.exit(0)

PRECIS, DBQ, DBB, RUNS = sys.argv[1:5]
RUNS = int(RUNS)
ENV = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", TZ="UTC")
for k in ("NO_COLOR", "TMUX", "EDITOR", "VISUAL"):
    ENV.pop(k, None)


# ---- driving the app -----------------------------------------------------

class App:
    """precis in a pty; key() sends one key and returns the µs inside
    precis from reading it to the frame it caused."""

    def __init__(self, db, rows=40, cols=120):
        self.dir = tempfile.mkdtemp(prefix="precis-rb-")
        self.frames = os.path.join(self.dir, "frames.txt")
        os.makedirs(os.path.join(self.dir, "cfg", "precis"))
        with open(os.path.join(self.dir, "cfg", "precis", "config"), "w") as f:
            f.write("[review]\nname = bench\n")
        env = dict(ENV, PRECIS_BENCH_FILE=self.frames, HOME=self.dir,
                   XDG_CONFIG_HOME=os.path.join(self.dir, "cfg"))
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            import fcntl, struct, termios
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execvpe(PRECIS, [PRECIS, "--db", db], env)
        import fcntl, struct, termios
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.screen = b""
        self.wait_out(b"q quit")
        self.drain(0.2)
        self.keys = 0

    def drain(self, quiet=0.02):
        while True:
            r, _, _ = select.select([self.fd], [], [], quiet)
            if not r:
                return
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.screen = (self.screen + chunk)[-200000:]

    def wait_out(self, marker, timeout=20):
        t0 = time.time()
        while marker not in self.screen:
            if time.time() - t0 > timeout:
                raise TimeoutError(marker)
            self.drain(0.05)

    def key(self, k, count=True):
        if count:
            self.keys += 1
        open(self.frames, "w").close()
        self.screen = b""
        os.write(self.fd, k)
        t0 = time.time()
        while True:
            self.drain(0.002)
            try:
                with open(self.frames) as f:
                    v = [l.split() for l in f if l.startswith("frame ")]
            except FileNotFoundError:
                v = []
            if v:
                self.cpu = int(v[0][3]) if len(v[0]) > 3 else -1
                return int(v[0][1])
            if time.time() - t0 > 10:
                raise TimeoutError("no frame after %r" % k)

    def stop(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        self.drain(0.1)
        os.waitpid(self.pid, 0)
        os.close(self.fd)
        shutil.rmtree(self.dir, ignore_errors=True)


def copy_db(src):
    d = tempfile.mkdtemp(prefix="precis-rbdb-")
    dst = os.path.join(d, "a.db")
    # a consistent copy: the archive's own backup through sqlite3's CLI is
    # not needed, nothing writes to it now; WAL checkpointed by import
    shutil.copy(src, dst)
    for sfx in ("-wal", "-shm"):
        if os.path.exists(src + sfx):
            shutil.copy(src + sfx, dst + sfx)
    return d, dst


def states(db):
    import json
    out = subprocess.run([PRECIS, "--db", db, "list", "--json"], capture_output=True,
                         text=True, env=ENV).stdout
    rows = json.loads(out)
    c = {}
    for r in rows:
        c[r["review"]] = c.get(r["review"], 0) + 1
    return c


times = {}
cpus = {}
app = None


def note(name, us):
    times.setdefault(name, []).append(us / 1000.0)
    cpus.setdefault(name, []).append(app.cpu / 1000.0)


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


# ---- the queue -----------------------------------------------------------

keys_per = []
checks = []
for run in range(RUNS):
    d, db = copy_db(DBQ)
    app = App(db)
    n_before = states(db)
    note("list Enter: open the first to review (88 KB)", app.key(b"\r"))
    # walking the queue without reviewing, there and back (not counted)
    for _ in range(10):
        note("reader J: next to review (88 KB)", app.key(b"J", count=False))
    for _ in range(10):
        note("reader K: previous to review (88 KB)", app.key(b"K", count=False))
    for _ in range(3):
        note("reader R: re-read the current version", app.key(b"R", count=False))
    reviewed = flagged = 0
    while True:
        if reviewed % 10 == 9:
            note("reader x: ask for a reason", app.key(b"x"))
            for ch in b"invented":
                app.key(bytes([ch]), count=False)   # the reason: text, not keys
            us = app.key(b"\r")
            note("reader x…Enter: flag, open the next (88 KB)", us)
            flagged += 1
        else:
            us = app.key(b"a")
            note("reader a: approve, open the next (88 KB)", us)
        reviewed += 1
        if b"nothing after it to review" in app.screen:
            break
        if reviewed > 100:
            raise RuntimeError("the queue did not end")
    keys_per.append((app.keys, reviewed))
    # other keys of the reader and the list, on the same archive
    for _ in range(5):
        note("reader A: approve and stay", app.key(b"A", count=False))
    app.key(b"q", count=False)
    for _ in range(10):
        note("list t: tag the row, move down", app.key(b"t"))
    app.key(b"U")
    for _ in range(5):
        note("list a: approve the row", app.key(b"a"))
        app.key(b"j")
    for _ in range(2):
        note("list S: reverse the sort", app.key(b"S"))
    for _ in range(7):
        note("list f: next filter", app.key(b"f"))
    app.key(b"l")
    for ch in b"review 1":
        note("list l: each key of a pattern (51 transcripts)", app.key(bytes([ch])))
    app.key(b"\x1b")
    app.stop()
    s = states(db)
    checks.append((s.get("approved", 0), s.get("flagged", 0), reviewed, flagged))
    shutil.rmtree(d, ignore_errors=True)

# ---- a batch of 1,000 ----------------------------------------------------

for run in range(RUNS):
    d, db = copy_db(DBB)
    app = App(db)
    for _ in range(3):
        app.key(b"f")                       # all → unsummarized → summarized → unreviewed
    note("list T: tag all 1,000 to review (3,000 transcripts)", app.key(b"T"))
    app.key(b"a")                           # asks
    note("list a, y: approve the 1,000 tagged (one transaction)", app.key(b"y"))
    app.key(b"U")
    app.key(b"l")
    for ch in [b"\xe7\xae\x97", b"\xe5\x8a\x9b", b" ", b"t", b"a", b"l", b"k"]:
        note("list l: each key of a pattern (3,000 transcripts)", app.key(ch))
    app.key(b"\x1b")
    app.stop()
    s = states(db)
    checks.append((s.get("approved", 0), -1, 1000, 0))
    shutil.rmtree(d, ignore_errors=True)

# ---- the tables ----------------------------------------------------------

k, n = keys_per[0]
print("Keys to review the queue (%d summaries over the 88 KB seed, one in ten flagged "
      "with a reason; the reason's letters not counted):" % n)
print()
print("| | keys | per reviewed transcript |")
print("|---|---:|---:|")
print("| precis, this branch (Enter, then `a` or `x`…Enter each) | %d | %.2f |" % (k, k / n))
approvals = n - n // 10
print("| precis before (`a` then `J` in the reader; `x`, Enter, `J`) | %d | %.2f |"
      % (1 + approvals * 2 + (n // 10) * 3, (1 + approvals * 2 + (n // 10) * 3) / n))
print("| mutt, pager with `resolve` set (`F` flags and shows the next; "
      "a reason needs a label or a save: `s`, folder, Enter) | %d | %.2f |" % (1 + n, (1 + n) / n))
print("| newsboat, article view (`n`: next unread, reading marks it read; "
      "a flag: `^E`, letter, Enter, then `n`) | %d | %.2f |"
      % (1 + approvals + (n // 10) * 4, (1 + approvals + (n // 10) * 4) / n))
print()
ok = all(c[0] >= c[2] - c[3] for c in checks[:RUNS])
print("Checked after each run: %s approved and %s flagged in the archive; "
      "the batch: %s approved."
      % ("/".join(str(c[0]) for c in checks[:RUNS]), "/".join(str(c[1]) for c in checks[:RUNS]),
         "/".join(str(c[0]) for c in checks[RUNS:])))
print()
print("Time per key inside precis, from reading the key to the frame on the terminal "
      "(wall), and the CPU time precis used meanwhile; %d runs:" % RUNS)
print()
print("| key | n | wall p50 ms | wall p95 ms | CPU p50 ms | CPU p95 ms | target |")
print("|---|---:|---:|---:|---:|---:|---|")
for name, v in times.items():
    target = "≤ 100 ms" if "1,000 tagged" in name else "p95 ≤ 16 ms"
    c = cpus[name]
    print("| %s | %d | %.2f | %.2f | %.2f | %.2f | %s |"
          % (name, len(v), pct(v, 50), pct(v, 95), pct(c, 50), pct(c, 95), target))
