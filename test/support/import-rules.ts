/**
 * The import checker behind test/unit/architecture.test.ts: reads the relative imports of a
 * source tree as text and reports (1) imports that run against the stage order written in
 * ARCHITECTURE.md and (2) import cycles between files. Pure functions over a folder, so a test can
 * run them on a tiny fixture tree as well as on the repository.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The stage order, lowest first: a folder imports only from folders earlier in this list (and its own). */
export const STAGES: readonly string[] = [
  'electron/model',
  'electron/files',
  'electron/capture',
  'electron/decode',
  'db',
  'electron/query/display-filter',
  'electron/ingest',
  'electron/analysis',
  'electron/query',
  'electron/export',
  'electron/ipc',
  'electron/session',
  'electron/serve',
  'electron/cli',
  'electron/main',
  'electron/preload',
];

/** Stages that read the case file: they go through db/, never through the writer's internals. */
export const READERS_NOT_INGEST: readonly string[] = ['electron/analysis', 'electron/query', 'electron/export', 'electron/ipc'];

/** Type-only imports that run upward on purpose, each with its reason (keep this list short). */
export const TYPE_ONLY_EXCEPTIONS: ReadonlyArray<{ from: string; to: string; why: string }> = [
  { from: 'electron/ipc/handlers.ts', to: 'electron/session/case-session.ts', why: 'the handler table is built around the open case (a type; the session builds the table)' },
  { from: 'electron/ipc/report-handlers.ts', to: 'electron/session/case-session.ts', why: 'part of the handler table (as handlers.ts)' },
];

export interface SourceImport { from: string; to: string; typeOnly: boolean }

const IMPORT_RE = /^\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+['"](\.[^'"]*)['"]|import\(\s*['"](\.[^'"]*)['"]\s*\)|require\(\s*['"](\.[^'"]*)['"]\s*\)/gm;

const SOURCE_ENDINGS = ['.ts', '.svelte'];

function listSources(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); } else if (SOURCE_ENDINGS.some((x) => e.name.endsWith(x)) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const d of dirs) walk(path.join(root, d));
  return out;
}

/** The file a relative specifier names: `x`, `x.js` → `x.ts` (and `x.svelte.js` → `x.svelte.ts`), `x/index.ts`, or `x.svelte`. */
function resolveSpecifier(fromFile: string, spec: string): string | null {
  const base = path.resolve(path.dirname(fromFile), spec.replace(/\.js$/, ''));
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Every relative import in the tree, as repository-relative paths with '/' separators. */
export function readImports(root: string, dirs: readonly string[]): SourceImport[] {
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
  const out: SourceImport[] = [];
  for (const file of listSources(root, dirs)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT_RE)) {
      const target = resolveSpecifier(file, m[2] ?? m[3] ?? m[4]);
      if (target) out.push({ from: rel(file), to: rel(target), typeOnly: Boolean(m[1]) });
    }
  }
  return out;
}

/** The stage a file belongs to: the longest STAGES entry that contains it. */
export function stageOf(file: string, stages: readonly string[] = STAGES): string | null {
  let best: string | null = null;
  for (const s of stages) if ((file === s || file.startsWith(`${s}/`)) && (!best || s.length > best.length)) best = s;
  return best;
}

/** Imports that run against the stage order, each as one line saying what to do. */
export function stageViolations(imports: readonly SourceImport[], stages: readonly string[] = STAGES): string[] {
  const out: string[] = [];
  for (const imp of imports) {
    const from = stageOf(imp.from, stages), to = stageOf(imp.to, stages);
    if (!from || !to || from === to) continue;
    if (imp.typeOnly && TYPE_ONLY_EXCEPTIONS.some((e) => e.from === imp.from && e.to === imp.to)) continue;
    if (stages.indexOf(to) > stages.indexOf(from)) {
      out.push(`${imp.from} imports ${imp.to}: ${from}/ comes before ${to}/ in the stage order, so it may not import it (see ARCHITECTURE.md)`);
    } else if (to === 'electron/ingest' && READERS_NOT_INGEST.includes(from)) {
      out.push(`${imp.from} imports ${imp.to}: ${from}/ reads the case through db/, not through ingest/ (see ARCHITECTURE.md)`);
    }
  }
  return out;
}

/** Cycles between files (type-only imports included), each as `a → b → … → a`. */
export function importCycles(imports: readonly SourceImport[]): string[] {
  const edges = new Map<string, Set<string>>();
  for (const imp of imports) {
    if (!edges.has(imp.from)) edges.set(imp.from, new Set());
    edges.get(imp.from)!.add(imp.to);
  }
  // Tarjan's strongly connected components: every component of two or more files is a cycle.
  let index = 0;
  const indexOf = new Map<string, number>(), low = new Map<string, number>(), onStack = new Set<string>(), stack: string[] = [];
  const cycles: string[] = [];
  const visit = (node: string) => {
    indexOf.set(node, index); low.set(node, index); index++;
    stack.push(node); onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!indexOf.has(next)) { visit(next); low.set(node, Math.min(low.get(node)!, low.get(next)!)); }
      else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indexOf.get(next)!));
    }
    if (low.get(node) === indexOf.get(node)) {
      const component: string[] = [];
      let member: string;
      do { member = stack.pop()!; onStack.delete(member); component.push(member); } while (member !== node);
      if (component.length > 1) cycles.push(describeCycle(component, edges));
    }
  };
  for (const node of [...edges.keys()].sort()) if (!indexOf.has(node)) visit(node);
  return cycles;
}

/** One concrete loop through a component, starting at its first file in sort order. */
function describeCycle(component: string[], edges: Map<string, Set<string>>): string {
  const members = new Set(component);
  const start = [...component].sort()[0];
  const pathTaken = [start];
  const seen = new Set([start]);
  let node = start;
  for (;;) {
    const nexts = [...(edges.get(node) ?? [])].filter((n) => members.has(n)).sort();
    const back = nexts.find((n) => n === start);
    const next = nexts.find((n) => !seen.has(n));
    if (back && (!next || pathTaken.length === component.length)) break;
    if (!next) break;
    pathTaken.push(next); seen.add(next); node = next;
  }
  return [...pathTaken, start].join(' → ') + (pathTaken.length < component.length ? ` (and ${component.length - pathTaken.length} more files in the same knot)` : '');
}
