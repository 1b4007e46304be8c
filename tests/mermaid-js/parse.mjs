// parse.mjs — what the official Mermaid parser (the npm package pinned in
// package.json) reads from flowchart sources. Used by precis's tests and
// benches; not part of precis.
//
// usage: node parse.mjs < sources.json     (a JSON array of strings)
//        node parse.mjs FILE.mmd…
// Prints a JSON array, one entry per source:
//   {ok, error, type, direction, nodes: [{id, label, shape}],
//    edges: [{from, to, label, type, stroke, length, id}],
//    subgraphs: [{id, title, members, dir}]}
// Mermaid's label sanitiser (DOMPurify) wants a DOM: jsdom provides one.
import fs from 'fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

async function read(src) {
  try {
    await mermaid.parse(src);
    const d = await mermaid.mermaidAPI.getDiagramFromText(src);
    const db = d.db;
    if (!db.getVertices) return { ok: true, type: d.type, error: 'not a flowchart' };
    return {
      ok: true,
      type: d.type,
      direction: db.getDirection ? db.getDirection() : null,
      nodes: [...db.getVertices().values()].map((v) => ({
        id: v.id, label: v.text ?? null, shape: v.type ?? null,
      })),
      edges: db.getEdges().map((e) => ({
        from: e.start, to: e.end, label: e.text ?? '', type: e.type ?? null,
        stroke: e.stroke ?? null, length: e.length ?? null, id: e.id ?? null,
      })),
      subgraphs: db.getSubGraphs().map((s) => ({
        id: s.id, title: s.title, members: s.nodes, dir: s.dir ?? null,
      })),
    };
  } catch (e) {
    return { ok: false, error: String(e && e.message ? e.message : e).split('\n').slice(0, 4).join('\n') };
  }
}

const args = process.argv.slice(2);
const sources = args.length ? args.map((f) => fs.readFileSync(f, 'utf8'))
  : JSON.parse(fs.readFileSync(0, 'utf8'));
const out = [];
for (const s of sources) {
  // every diagram gets a fresh database
  mermaid.mermaidAPI.reset?.();
  out.push(await read(s));
}
process.stdout.write(JSON.stringify(out) + '\n');
