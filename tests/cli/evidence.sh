#!/bin/sh
# Evidence from the command line: show --evidence [--json] (offsets into
# show --content --json), list --json's unsupported, list --sort
# unsupported, stored per version and recomputed for a new one, and an
# archive from before the evidence table.
. "$(dirname "$0")/../lib.sh"

DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
# The sample records (data/samples/, byte for byte the corpus seeds).
SEED0=$(ls "$T_REPO"/data/samples/000_*.txt)
SEED2=$(ls "$T_REPO"/data/samples/002_*.txt)

check "import both seeds" P import --quiet "$SEED0" "$SEED2"

# Stored when the version arrived: the list reads it.
js=$(P list --json)
check "list --json: unsupported is a count for the summary, null without one" python3 -c '
import json, sys
rows = {r["id"]: r for r in json.loads(sys.argv[1])}
assert isinstance(rows[1]["unsupported"], int) and rows[1]["unsupported"] >= 0, rows[1]
assert rows[2]["unsupported"] is None, rows[2]
' "$js"
method=$(P show 1 --evidence --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["method"])')
check_eq "evidence stored at import (one row, current method)" "1|$method" \
	"$(sqlite3 "$DB" 'SELECT count(*), min(method) FROM evidence')"

# show --evidence --json: lines, verdicts, passages as byte ranges of the
# text that show --content --json prints.
ev=$(P show 1 --evidence --json)
ct=$(P show 1 --content --json)
check "show --evidence --json: every claim with line, text, verdict, score, passages" python3 -c '
import json, sys
ev = json.loads(sys.argv[1]); ct = json.loads(sys.argv[2])
text = ct["text"].encode("utf-8")
assert ev["id"] == 1 and ev["claims"] == len(ev["lines"]) >= 40, ev["claims"]
assert ev["supported"] + ev["weak"] + ev["unsupported"] == ev["claims"]
kinds = set()
for l in ev["lines"]:
    assert l["line"] >= 1 and l["text"], l
    assert l["verdict"] in ("supported", "weak", "none"), l
    assert 0 <= l["score"] <= 1, l
    assert len(l["passages"]) <= 5
    kinds.add(l["kind"])
    for p in l["passages"]:
        assert p["start_s"] is None
        got = text[p["offset"]:p["offset"] + p["length"]].decode("utf-8")
        assert got == p["text"], (p["offset"], got[:40], p["text"][:40])
assert kinds == {"text", "node"}, kinds
hle = [l for l in ev["lines"] if "HLE" in l["text"]][0]
assert hle["verdict"] != "none" and "44%" in hle["passages"][0]["text"], hle
# line numbers are lines of the summary body
body = json.loads(sys.argv[3])["body"].split("\n")
assert "HLE" in body[hle["line"] - 1], body[hle["line"] - 1]
' "$ev" "$ct" "$(P show 1 --summary --json)"

txt=$(P show 1 --evidence --width 100)
check_contains "show --evidence prints the counts" "$txt" "claims:"
check_contains "show --evidence prints verdicts" "$txt" "supported"
check "show --evidence lines fit the width" python3 -c '
import sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
bad = [l for l in sys.argv[1].splitlines() if w(l) > 100]
assert not bad, bad[:3]
' "$txt"
check_status "show --evidence of a transcript without summary fails" 1 P show 2 --evidence
check_status "--evidence with --summary is a usage error" 2 P show 1 --evidence --summary

# Sort by unsupported: summarized first (known counts), unknown last.
first=$(P list --sort unsupported --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
check_eq "list --sort unsupported puts the summary with a count first" 1 "$first"
lst=$(P list --sort unsupported)
check_contains "the listing shows the count column" "$(printf '%s\n' "$lst" | head -1)" "summarized "

# A new version (the record file changed; same text, so the same record):
# evidence for it, computed once, the old version's kept.
cp "$SEED0" "$T_TMP/rec.txt"
python3 - "$T_TMP/rec.txt" <<'EOF'
import sys
p = sys.argv[1]
s = open(p, encoding='utf-8').read()
s = s.replace("**核心主旨 (Core Point)**",
              "*   马斯克宣布 XAI 将在 2027 年登陆纳斯达克，募资 800 亿美元。\n\n**核心主旨 (Core Point)**", 1)
open(p, 'w', encoding='utf-8').write(s)
EOF
check "import the changed copy" P import --quiet "$T_TMP/rec.txt"
check_contains "it is a second version of record 1" "$(P show 1 --versions)" "v2"
ev2=$(P show 1 --evidence --json)
check "the new version has its own evidence, with the invented line unsupported" python3 -c '
import json, sys
ev = json.loads(sys.argv[1])
inv = [l for l in ev["lines"] if "纳斯达克" in l["text"]]
assert len(inv) == 1 and inv[0]["verdict"] == "none", inv
' "$ev2"
check_eq "one evidence row per version" 2 "$(sqlite3 "$DB" 'SELECT count(*) FROM evidence')"

# The text changes (same record, its summary kept): the stored evidence
# is dropped with the old text and made again for the new one.
python3 - "$T_TMP/rec.txt" <<'EOF2'
import sys
p = sys.argv[1]
s = open(p, encoding='utf-8').read()
head, body = s.split("\nContent:\n", 1)
open(p, 'w', encoding='utf-8').write(head + "\nContent:\n" + "开场白 " * 200 + body)
EOF2
before=$(P show 1 --evidence --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["lines"][0]["passages"][0]["offset"])')
check "import the changed text" P import --quiet "$T_TMP/rec.txt"
after=$(P show 1 --evidence --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["lines"][0]["passages"][0]["offset"])')
check_eq "passages follow the new text (2,000 bytes later)" "$((before + 2000))" "$after"
check_eq "the old versions' rows were dropped with the old text" 1 "$(sqlite3 "$DB" 'SELECT count(*) FROM evidence')"

# An archive from before the evidence table: upgraded by a writable open,
# then the listing computes and stores what is missing.
sqlite3 "$DB" "DROP TRIGGER texts_evidence; DROP TABLE evidence; PRAGMA user_version=1;"
check_status "an old archive needs a writable open" 1 P list
check "a writable command upgrades it" P import --quiet "$SEED2"
check_eq "no evidence stored yet" 0 "$(sqlite3 "$DB" 'SELECT count(*) FROM evidence')"
js=$(P list --json)
check "the listing fills in the counts" python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
assert all(isinstance(r["unsupported"], int) for r in rows if r["summary_versions"]), rows
' "$js"
check_eq "and stores them (the current version's)" 1 "$(sqlite3 "$DB" 'SELECT count(*) FROM evidence')"

done_testing
