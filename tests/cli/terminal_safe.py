#!/usr/bin/env python3
"""terminal_safe.py FILE... — exits 1 (naming the first offender) when a
file holds anything a terminal acts on or that hides text: a C0 control
other than newline (ESC included), DEL, invalid UTF-8, a C1 control
(U+0080-U+009F), a bidi control (U+061C, U+200E, U+200F, U+202A-U+202E,
U+2066-U+2069), U+2028, U+2029 or U+FEFF. Used on every output stream of
the hostile-input tests (tests/cli/hostile.sh), --json included."""
import sys

BAD = set(range(0x00, 0x20)) - {0x0A}
BAD |= {0x7F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0xFEFF}
BAD |= set(range(0x80, 0xA0)) | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def check(path):
    data = open(path, 'rb').read()
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        return f'{path}: invalid UTF-8 at byte {e.start}: {data[max(0, e.start - 20):e.start + 20]!r}'
    for i, ch in enumerate(text):
        if ord(ch) in BAD:
            return f'{path}: U+{ord(ch):04X} at character {i}: {text[max(0, i - 20):i + 20]!r}'
    return None


bad = [m for m in (check(p) for p in sys.argv[1:]) if m]
for m in bad:
    print(m)
sys.exit(1 if bad else 0)
