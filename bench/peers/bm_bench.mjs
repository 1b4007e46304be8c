// bm_bench.mjs — times beautiful-mermaid's terminal renderer in-process on one
// Mermaid file: the module is loaded once and the same source rendered many times,
// so Node's start-up and module loading are not counted.
//
//   node bench/peers/bm_bench.mjs [--budget-ms 3000] [--max-iter 200] [--min-iter 3]
//        [--out DRAWING.txt] [--ascii-out DRAWING.ascii.txt] FILE.mmd
//
// --max-iter 0 renders once (first_ms) and times nothing.
// Prints one JSON line: iterations, median/p95 in ms of renderMermaidASCII(src,
// {colorMode: 'none'}) (Unicode box drawing, its default), the version, and
// "crash" (the exception text) when it threw.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { renderMermaidASCII } from 'beautiful-mermaid'

const opt = { budgetMs: 3000, maxIter: 200, minIter: 3, out: null, asciiOut: null }
const files = []
const argv = process.argv.slice(2)
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]
  if (a === '--budget-ms') opt.budgetMs = Number(argv[++i])
  else if (a === '--max-iter') opt.maxIter = Number(argv[++i])
  else if (a === '--min-iter') opt.minIter = Number(argv[++i])
  else if (a === '--out') opt.out = argv[++i]
  else if (a === '--ascii-out') opt.asciiOut = argv[++i]
  else files.push(a)
}
if (files.length !== 1) {
  process.stderr.write('usage: bm_bench.mjs [options] FILE.mmd\n')
  process.exit(2)
}

// The installed version, read from its package.json next to the module.
function version () {
  try {
    const require = createRequire(import.meta.url)
    const dir = require.resolve.paths('beautiful-mermaid')
      .map(p => p + '/beautiful-mermaid/package.json')
    for (const p of dir) {
      try { return JSON.parse(readFileSync(p, 'utf8')).version } catch {}
    }
  } catch {}
  return null
}

// Returns [median, p95] of an array of numbers.
function stats (t) {
  const s = [...t].sort((a, b) => a - b)
  if (!s.length) return [null, null]
  const med = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
  return [med, s[Math.min(s.length - 1, Math.ceil(0.95 * (s.length - 1)))]]
}

let src = readFileSync(files[0], 'utf8')
const r = { file: files[0], renderer: 'beautiful-mermaid', version: version() }
const render = (ascii) => renderMermaidASCII(src, { colorMode: 'none', useAscii: ascii })
const message = (e) => String(e && e.message ? e.message : e).split('\n')[0]

// Renders once; on an exception records it as the crash and, when the source
// starts with a YAML front-matter block (standard Mermaid, which it rejects),
// retries without it so there is still a time to compare ("stripped": true).
let out
let t0 = performance.now()
try {
  out = render(false)
} catch (e) {
  r.crash = message(e)
  const m = /^\s*---\r?\n[\s\S]*?\r?\n---\s*\r?\n/.exec(src)
  if (!m) {
    process.stdout.write(JSON.stringify(r) + '\n')
    process.exit(0)
  }
  src = src.slice(m[0].length)
  r.stripped = true
  t0 = performance.now()
  try {
    out = render(false)
  } catch (e2) {
    r.crash_stripped = message(e2)
    process.stdout.write(JSON.stringify(r) + '\n')
    process.exit(0)
  }
}
r.first_ms = performance.now() - t0
if (opt.out) writeFileSync(opt.out, out.endsWith('\n') ? out : out + '\n')
if (opt.asciiOut) {
  try {
    const a = render(true)
    writeFileSync(opt.asciiOut, a.endsWith('\n') ? a : a + '\n')
  } catch (e) {
    r.ascii_crash = message(e)
  }
}

const times = []
const start = performance.now()
while (times.length < opt.maxIter) {
  const t = performance.now()
  render(false)
  times.push(performance.now() - t)
  if (times.length >= opt.minIter && performance.now() - start >= opt.budgetMs) break
}
const [med, p95] = stats(times)
r.iters = times.length
r.median_ms = med
r.p95_ms = p95
process.stdout.write(JSON.stringify(r) + '\n')
