#!/usr/bin/env python3
"""How many sample files of six subtitle libraries precis reads as they do.

    python3 bench/subs_conformance.py PRECIS MIRRORS [--list] [--only LIB]

PRECIS is a precis binary; MIRRORS a directory holding git clones of the
libraries as OWNER+NAME/repo (the layout the team's fetch tool leaves:
mozilla+vtt.js, glut23+webvtt-py, gsantiago+subtitle.js,
asticode+go-astisub, cdown+srt, byroot+pysrt). Nothing of theirs is copied
into precis: the files are read from the clones.

For each sample file the text the library reads is taken from:
  vtt.js       its own expectations: the processed cue trees (*-proc.json,
               textContent of each cue) or, for cues without markup, the
               cue text of *.json; files it states nothing for are left out
  webvtt-py    webvtt-py itself (Debian python3-webvtt) reading the file;
               caption.text, its tags removed
  subtitle.js  its own expectations (fixtures/*.srt.json, *.vtt.json)
  go-astisub   its own expectations: the file its test writes after
               reading the sample (example-in.srt -> example-out.srt, …)
  srt          srt itself (Debian python3-srt) reading the file
  pysrt        pysrt itself (Debian python3-pysrt), the text without tags,
               in the encoding its tests give

A file matches when precis's text (precis import, show --content --raw)
equals the library's cue texts with all white space removed (joining
lines, cues and paragraphs is each reader's own business) and the
markup the library's reading leaves (HTML-like tags, {\\ass} overrides,
the entities of the subtitle formats) removed from the library's side.
A sample the library refuses counts as matching when precis refuses it
too or reads no text from it, and is listed apart otherwise (precis is
lenient on purpose: a missing WEBVTT line, a bad cue).
"""
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

DEB_PY = "/usr/bin/python3"   # Debian's Python, where python3-webvtt & co live


def git_files(repo, prefix):
    out = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", "HEAD", prefix],
                         capture_output=True, text=True).stdout
    return [l for l in out.splitlines() if l]


def git_bytes(repo, path):
    r = subprocess.run(["git", "-C", repo, "show", "HEAD:" + path], capture_output=True)
    return r.stdout if r.returncode == 0 else None


TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")


def strip_markup(s):
    return html.unescape(TAG.sub("", s))


def norm(s):
    """White space and invisible format marks (U+200E, U+200F, U+FEFF …)
    removed: where lines and cues join, and whether a reader keeps the
    marks, is each reader's business."""
    s = re.sub(r"\s+", "", s or "")
    return "".join(c for c in s if unicodedata.category(c) != "Cf")


# ---- what each library reads ------------------------------------------------

def node_text(n):
    """The text of a processed cue tree: its text nodes in order (timestamp
    nodes, which the DOM shim leaves without textContent, hold none)."""
    if not isinstance(n, dict):
        return ""
    kids = n.get("childNodes")
    if not kids:
        return n.get("data", "") if n.get("localName", "") == "" else ""
    return "".join(node_text(k) for k in kids)


def vttjs(root):
    repo = os.path.join(root, "mozilla+vtt.js", "repo")
    for f in git_files(repo, "tests"):
        if not f.endswith(".vtt"):
            continue
        base = f[:-4]
        proc = git_bytes(repo, base + "-proc.json")
        exp = None
        if proc is not None:
            try:
                tree = json.loads(proc)
            except ValueError:
                tree = None
            if tree is not None:   # null: vtt.js states no processed reading
                exp = "\n".join(node_text(n) for n in tree)
        if exp is None:
            j = git_bytes(repo, base + ".json")
            if j is None:
                continue
            try:
                cues = json.loads(j).get("cues", [])
            except ValueError:
                continue
            texts = [c.get("text", "") for c in cues]
            if any("<" in t or "&" in t for t in texts):
                continue   # markup whose reading vtt.js does not state here
            exp = "\n".join(texts)
        yield f, git_bytes(repo, f), exp


def run_deb(code, data, name):
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, name)
        with open(p, "wb") as fh:
            fh.write(data)
        r = subprocess.run([DEB_PY, "-c", code, p], capture_output=True, text=True)
        if r.returncode != 0:
            return None
        return r.stdout


WEBVTT_PY = r"""
import sys, webvtt
p = sys.argv[1]
if p.endswith('.srt'):
    v = webvtt.from_srt(p)
elif p.endswith('.sbv'):
    v = webvtt.from_sbv(p)
else:
    v = webvtt.read(p)
sys.stdout.write('\n'.join(c.text for c in v.captions))
"""


def webvttpy(root):
    repo = os.path.join(root, "glut23+webvtt-py", "repo")
    for f in git_files(repo, "tests/subtitles"):
        data = git_bytes(repo, f)
        yield f, data, run_deb(WEBVTT_PY, data, os.path.basename(f))


def subtitlejs(root):
    repo = os.path.join(root, "gsantiago+subtitle.js", "repo")
    for f in git_files(repo, "test/fixtures"):
        if not (f.endswith(".srt") or f.endswith(".vtt")):
            continue
        j = git_bytes(repo, f + ".json")
        if j is None:
            continue
        nodes = json.loads(j)
        exp = "\n".join(n["data"]["text"] for n in nodes if n.get("type") == "cue")
        yield f, git_bytes(repo, f), strip_markup(exp)


def simple_cues(text):
    """Cue text of a clean SRT/WebVTT file (what astisub wrote)."""
    out, cur, intext = [], [], False
    for line in text.replace("\r\n", "\n").split("\n"):
        if "-->" in line:
            intext, cur = True, []
            continue
        if not line.strip():
            if intext and cur:
                out.append("\n".join(cur))
            intext = False
            continue
        if intext:
            cur.append(line)
    if intext and cur:
        out.append("\n".join(cur))
    return "\n".join(out)


def astisub(root):
    repo = os.path.join(root, "asticode+go-astisub", "repo")
    pairs = {
        "testdata/example-in.srt": "testdata/example-out.srt",
        "testdata/missing-sequence-in.srt": "testdata/example-out.srt",
        "testdata/example-in-styled.srt": "testdata/example-out-styled.srt",
        "testdata/example-in-html-entities.srt": "testdata/example-out-html-entities.srt",
        "testdata/example-in.vtt": "testdata/example-out.vtt",
        "testdata/example-in-html-entities.vtt": "testdata/example-out-html-entities.vtt",
    }
    for f in git_files(repo, "testdata"):
        if not (f.endswith(".srt") or f.endswith(".vtt")) or "-out" in f:
            continue
        if f not in pairs:
            continue   # astisub's tests state no reading of it (or refuse it)
        exp = strip_markup(simple_cues(git_bytes(repo, pairs[f]).decode("utf-8")))
        yield f, git_bytes(repo, f), exp


SRT_PY = r"""
import sys, srt
data = open(sys.argv[1], 'rb').read()
for enc in ('utf-8-sig', 'utf-16'):
    try:
        text = data.decode(enc)
        break
    except UnicodeDecodeError:
        continue
else:
    text = data.decode('gb18030')
sys.stdout.write('\n'.join(s.content for s in srt.parse(text)))
"""


def srtlib(root):
    repo = os.path.join(root, "cdown+srt", "repo")
    for f in git_files(repo, "srt_tools/tests/files"):
        data = git_bytes(repo, f)
        out = run_deb(SRT_PY, data, os.path.basename(f))
        yield f, data, strip_markup(out) if out is not None else None


PYSRT_PY = r"""
import codecs, sys, pysrt
data = open(sys.argv[1], 'rb').read()
enc = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
if not enc:   # pysrt's own rule: a BOM names the encoding
    for bom, e in ((codecs.BOM_UTF32_LE, 'utf-32'), (codecs.BOM_UTF32_BE, 'utf-32'),
                   (codecs.BOM_UTF8, 'utf-8-sig'), (codecs.BOM_UTF16_LE, 'utf-16'),
                   (codecs.BOM_UTF16_BE, 'utf-16')):
        if data.startswith(bom):
            enc = e
            break
subs = pysrt.SubRipFile.from_string(data.decode(enc or 'utf-8'))
sys.stdout.write('\n'.join(s.text for s in subs))   # tags go below, as text_without_tags does
"""


def pysrt_(root):
    repo = os.path.join(root, "byroot+pysrt", "repo")
    encs = {"windows-1252.srt": "windows-1252", "utf-8.srt": "utf-8", "no-indexes.srt": "utf-8",
            "capability_tester.srt": "utf-8", "invalid.srt": "utf-8", "empty.srt": "utf-8"}
    for f in git_files(repo, "tests/static"):
        if not f.endswith(".srt"):
            continue
        data = git_bytes(repo, f)
        name = os.path.basename(f)
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, name)
            with open(p, "wb") as fh:
                fh.write(data)
            r = subprocess.run([DEB_PY, "-c", PYSRT_PY, p, encs.get(name, "")],
                               capture_output=True, text=True)
        exp = r.stdout if r.returncode == 0 else None
        yield f, data, strip_markup(exp) if exp is not None else None


LIBS = [("vtt.js", vttjs), ("webvtt-py", webvttpy), ("subtitle.js", subtitlejs),
        ("go-astisub", astisub), ("srt", srtlib), ("pysrt", pysrt_)]


# ---- what precis reads -----------------------------------------------------

def precis_text(precis, data, name, tmp):
    p = os.path.join(tmp, name)
    with open(p, "wb") as fh:
        fh.write(data)
    db = os.path.join(tmp, "a.db")
    for x in (db, db + "-wal", db + "-shm"):
        if os.path.exists(x):
            os.unlink(x)
    r = subprocess.run([precis, "--db", db, "import", "--quiet", p], capture_output=True, text=True)
    os.unlink(p)
    if r.returncode != 0:
        return None, (r.stderr.strip().splitlines() or [""])[-1]
    r = subprocess.run([precis, "--db", db, "show", "1", "--content", "--raw"], capture_output=True)
    return r.stdout.decode("utf-8", "replace"), ""


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    precis, root = sys.argv[1], sys.argv[2]
    listing = "--list" in sys.argv
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    total = ok = 0
    refused_total = refused_ok = 0
    with tempfile.TemporaryDirectory() as tmp:
        for lib, gen in LIBS:
            if only and lib != only:
                continue
            n = good = rn = rgood = 0
            for f, data, exp in gen(root):
                if data is None:
                    continue
                name = os.path.basename(f)
                got, err = precis_text(precis, data, name, tmp)
                if exp is None:
                    rn += 1
                    same = got is None or not norm(got)
                    rgood += same
                    if listing and not same:
                        print("  lenient  %s %s" % (lib, f))
                    continue
                n += 1
                want = norm(exp)
                same = norm(got) == want if want else (got is None or not norm(got))
                good += same
                if listing and not same:
                    print("  DIFF     %s %s: %s" % (lib, f, err or ""))
                    if "--diff" in sys.argv:
                        print("     want: %r" % norm(exp)[:300])
                        print("     got:  %r" % norm(got)[:300])
            print("%-12s %3d of %3d read as the library reads them; %d of %d it refuses also refused"
                  % (lib, good, n, rgood, rn))
            total += n
            ok += good
            refused_total += rn
            refused_ok += rgood
    print("%-12s %3d of %3d (%.1f %%); refused by the library: %d of %d refused or empty in precis"
          % ("all", ok, total, 100.0 * ok / max(total, 1), refused_ok, refused_total))


if __name__ == "__main__":
    main()
