import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
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
