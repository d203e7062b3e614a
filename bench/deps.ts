// `npm run deps`: the import graph between the folders of src/, and a non-zero exit when two folders import each
// other (directly or round a loop). docs/ARCHITECTURE.md says which folder may import which.
//
// Why a script and not a graph library: dependency-cruiser 18 refuses Node 20 (it wants ^22), and madge 8 parses
// TypeScript through the typescript package's JavaScript API, which typescript 7 (this project's compiler) no longer
// ships. Every import in src/ is a static relative path with its extension, so reading them is a regular expression.
// `npm run deps -- --sizes` also prints file and top-level function sizes (the closing note's figures).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(process.argv.find((a) => !a.startsWith('-') && a !== process.argv[0] && a !== process.argv[1]) ?? 'src');
const showSizes = process.argv.includes('--sizes');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** A file's node in the folder graph: its first folder under src/, or the file itself when it sits in src/. */
function nodeOf(file: string): string {
  const parts = relative(root, file).split(sep);
  return parts.length === 1 ? parts[0] : `${parts[0]}/`;
}

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
const files = walk(root);
const edges = new Map<string, Set<string>>();
const why = new Map<string, string>();
for (const file of files) {
  const from = nodeOf(file);
  if (!edges.has(from)) edges.set(from, new Set());
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const target = resolve(dirname(file), m[1]);
    if (!target.startsWith(root + sep)) continue;
    const to = nodeOf(target);
    if (to === from) continue;
    edges.get(from)!.add(to);
    if (!why.has(`${from}>${to}`)) why.set(`${from}>${to}`, `${relative(root, file)} -> ${relative(root, target)}`);
  }
}

// Tarjan's strongly connected components: every component of more than one node is a loop between folders.
const index = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const loops: string[][] = [];
let counter = 0;
function connect(v: string): void {
  index.set(v, counter); low.set(v, counter); counter++;
  stack.push(v); onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!index.has(w)) { connect(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
    else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
  }
  if (low.get(v) === index.get(v)) {
    const component: string[] = [];
    let w: string;
    do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
    if (component.length > 1) loops.push(component.sort());
  }
}
for (const v of [...edges.keys()].sort()) if (!index.has(v)) connect(v);

const edgeCount = [...edges.values()].reduce((n, s) => n + s.size, 0);
console.log(`${files.length} files, ${edges.size} folders and root files, ${edgeCount} imports between them`);
for (const [from, tos] of [...edges].sort()) console.log(`  ${from.padEnd(16)} -> ${[...tos].sort().join(' ') || '(nothing)'}`);

if (showSizes) {
  const lines = files.map((f) => ({ f: relative(root, f), text: readFileSync(f, 'utf8') }));
  const total = lines.reduce((n, x) => n + x.text.split('\n').length, 0);
  const fileSizes = lines.map((x) => ({ f: x.f, n: x.text.split('\n').length })).sort((a, b) => b.n - a.n);
  const fns: Array<{ name: string; n: number }> = [];
  for (const x of lines) {
    const ls = x.text.split('\n');
    ls.forEach((l, i) => {
      const m = /^(?:export\s+)?(?:async\s+)?function\*?\s+(\w+)/.exec(l);
      if (!m) return;
      const end = ls.findIndex((e, j) => j > i && /^}/.test(e));
      if (end > i) fns.push({ name: `${x.f}:${m[1]}`, n: end - i + 1 });
    });
  }
  fns.sort((a, b) => b.n - a.n);
  console.log(`\n${total} lines; largest files:`);
  for (const s of fileSizes.slice(0, 8)) console.log(`  ${String(s.n).padStart(5)}  ${s.f}`);
  console.log(`${fns.length} top-level functions, ${fns.filter((f) => f.n > 60).length} over 60 lines; longest:`);
  for (const s of fns.slice(0, 8)) console.log(`  ${String(s.n).padStart(5)}  ${s.name}`);
}

if (loops.length === 0) {
  console.log('\nno import loop between folders');
} else {
  console.log(`\n${loops.length} import loop(s) between folders:`);
  for (const loop of loops) {
    console.log(`  ${loop.join(' <-> ')}`);
    for (const a of loop) for (const b of loop) { const w = why.get(`${a}>${b}`); if (w) console.log(`      ${w}`); }
  }
  process.exitCode = 1;
}
