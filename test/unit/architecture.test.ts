import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { importCycles, readImports, stageViolations } from '../support/import-rules';
import { repoRoot } from '../support/repo-paths';

/** The layering the GUIDE asks for, checked on the source text so a stray import fails the build's tests. */

function sources(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); } else if (exts.some((x) => e.name.endsWith(x))) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const importsOf = (text: string) => [...text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/gm)]
  .map((m) => ({ typeOnly: !!m[2], spec: m[3] ?? m[4] ?? m[5] }));

test('only electron/main and electron/preload import electron', () => {
  const root = repoRoot();
  const offenders: string[] = [];
  for (const dir of ['electron', 'db']) {
    for (const file of sources(path.join(root, dir), ['.ts'])) {
      const rel = path.relative(root, file);
      if (rel.startsWith(path.join('electron', 'main')) || rel.startsWith(path.join('electron', 'preload'))) continue;
      for (const imp of importsOf(fs.readFileSync(file, 'utf8'))) {
        if (imp.spec === 'electron' && !imp.typeOnly) offenders.push(rel);
      }
    }
  }
  assert.deepEqual(offenders, [], 'these files import electron at runtime; move that code to electron/main or electron/preload');
});

test('the renderer imports only types from electron/, and nothing from node', () => {
  const root = repoRoot();
  const offenders: string[] = [];
  for (const file of sources(path.join(root, 'renderer', 'src'), ['.ts', '.svelte'])) {
    const rel = path.relative(root, file);
    for (const imp of importsOf(fs.readFileSync(file, 'utf8'))) {
      if (imp.spec.startsWith('node:') || ['fs', 'path', 'better-sqlite3', 'electron'].includes(imp.spec)) offenders.push(`${rel}: ${imp.spec}`);
      if (/(^|\/)electron\//.test(imp.spec) && !imp.typeOnly) offenders.push(`${rel}: value import of ${imp.spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('no packet or user text reaches the DOM as HTML', () => {
  const root = repoRoot();
  const offenders: string[] = [];
  for (const file of sources(path.join(root, 'renderer', 'src'), ['.ts', '.svelte'])) {
    const text = fs.readFileSync(file, 'utf8');
    if (/\{@html|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|\.html\(/.test(text)) offenders.push(path.relative(root, file));
  }
  assert.deepEqual(offenders, [], 'render attacker-controlled text with Svelte text interpolation only');
});

test('imports follow the stage order of ARCHITECTURE.md', () => {
  const root = repoRoot();
  assert.ok(fs.existsSync(path.join(root, 'ARCHITECTURE.md')), 'ARCHITECTURE.md states the stage order');
  assert.match(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), /\(ARCHITECTURE\.md\)/, 'README.md links ARCHITECTURE.md');
  const violations = stageViolations(readImports(root, ['electron', 'db']));
  assert.deepEqual(violations, [], `these imports run against the stage order; ARCHITECTURE.md says where the code belongs:\n${violations.join('\n')}`);
});

test('no import cycles between files (electron/, db/, renderer/src/)', () => {
  const root = repoRoot();
  const cycles = [...importCycles(readImports(root, ['electron', 'db'])), ...importCycles(readImports(root, ['renderer/src']))];
  assert.deepEqual(cycles, [], `break these cycles (move what both sides use to a file both import; see ARCHITECTURE.md):\n${cycles.join('\n')}`);
});

/** A tiny tree with known faults, so the checker is shown to catch them (a checker that finds nothing proves nothing). */
function fixtureTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-arch-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

test('the checker fails a wrong-way import, a reader importing ingest/, and a cycle, on a fixture tree', () => {
  const root = fixtureTree({
    'electron/capture/reader.ts': "import { compile } from '../query/compile';\nexport const read = compile;\n",
    'electron/query/compile.ts': "import type { Row } from '../model/row';\nimport { hash } from '../ingest/hasher';\nexport const compile = (r: Row) => hash(r);\n",
    'electron/ingest/hasher.ts': "import { decode } from '../decode/a.js';\nexport const hash = decode;\n",
    'electron/model/row.ts': 'export interface Row { id: number }\n',
    'electron/decode/a.ts': "import { b } from './b';\nexport const decode = (x: unknown) => b(x);\n",
    'electron/decode/b.ts': "import { decode } from './a';\nexport const b = (x: unknown) => decode(x);\n",
    'electron/decode/c.ts': "import { decode } from './a';\nexport const c = decode;\n",
  });
  try {
    const imports = readImports(root, ['electron']);
    assert.deepEqual(stageViolations(imports), [
      'electron/capture/reader.ts imports electron/query/compile.ts: electron/capture/ comes before electron/query/ in the stage order, so it may not import it (see ARCHITECTURE.md)',
      'electron/query/compile.ts imports electron/ingest/hasher.ts: electron/query/ reads the case through db/, not through ingest/ (see ARCHITECTURE.md)',
    ]);
    assert.deepEqual(importCycles(imports), ['electron/decode/a.ts → electron/decode/b.ts → electron/decode/a.ts']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the checker accepts a tree that follows the order', () => {
  const root = fixtureTree({
    'electron/query/compile.ts': "import type { Row } from '../model/row';\nimport { open } from '../../db/open';\nexport const compile = (r: Row) => open(r);\n",
    'electron/model/row.ts': 'export interface Row { id: number }\n',
    'db/open.ts': "import type { Row } from '../electron/model/row';\nexport const open = (r: Row) => r.id;\n",
  });
  try {
    const imports = readImports(root, ['electron', 'db']);
    assert.equal(imports.length, 3);
    assert.deepEqual(stageViolations(imports), []);
    assert.deepEqual(importCycles(imports), []);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
