#!/usr/bin/env node
// Build better-sqlite3 for Electron's ABI into build/native/electron/better_sqlite3.node.
//
// The copy in node_modules must stay built for Node (the CLI, browser mode and the tests use
// it), so the module is copied to a scratch folder and built there: first a prebuilt binary
// (prebuild-install), then from source with node-gyp against Electron's headers. Both need the
// network unless FLOWCASE_ELECTRON_HEADERS points at an unpacked Electron headers folder.
// Offline, this fails with a message saying so; the desktop app then cannot open cases, but
// everything else (CLI, browser mode, tests) is unaffected.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'build', 'native', 'electron');
const outFile = path.join(outDir, 'better_sqlite3.node');
const STEP_TIMEOUT_MS = 5 * 60 * 1000;

let scratch = '';

function fail(lines) {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  console.error(['rebuild-native-electron: could not build better-sqlite3 for Electron.', ...lines].join('\n  '));
  process.exit(1);
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

let electronVersion;
let sqliteDir;
try {
  electronVersion = readJson(require.resolve('electron/package.json', { paths: [root] })).version;
  sqliteDir = path.dirname(require.resolve('better-sqlite3/package.json', { paths: [root] }));
} catch (err) {
  fail([`electron and better-sqlite3 must be installed (npm install): ${err.message}`]);
}
const arch = process.env.npm_config_arch || process.arch;
scratch = path.join(os.tmpdir(), `flowcase-better-sqlite3-electron-${electronVersion}-${arch}`);

console.log(`rebuild-native-electron: better-sqlite3 for Electron ${electronVersion} (${process.platform}-${arch}) → ${path.relative(root, outFile)}`);
fs.rmSync(scratch, { recursive: true, force: true });
fs.cpSync(sqliteDir, scratch, { recursive: true, filter: (src) => !src.startsWith(path.join(sqliteDir, 'build')) });

function run(label, cmd, args) {
  console.log(`rebuild-native-electron: ${label}…`);
  const r = spawnSync(cmd, args, { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: STEP_TIMEOUT_MS });
  const output = `${r.stdout || ''}${r.stderr || ''}`.trim();
  if (r.status === 0) return { ok: true };
  const last = output.split('\n').filter(Boolean).slice(-3).join(' | ') || (r.error ? r.error.message : `exit ${r.status}`);
  return { ok: false, reason: `${label} failed: ${last}` };
}

const reasons = [];
const built = () => fs.existsSync(path.join(scratch, 'build', 'Release', 'better_sqlite3.node'));

if (!process.env.FLOWCASE_ELECTRON_HEADERS) {
  const prebuild = require.resolve('prebuild-install/bin.js', { paths: [root] });
  const r = run('downloading a prebuilt binary', process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--verbose']);
  if (!r.ok) reasons.push(r.reason);
}
if (!built()) {
  const gyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] });
  const headers = process.env.FLOWCASE_ELECTRON_HEADERS
    ? [`--nodedir=${path.resolve(process.env.FLOWCASE_ELECTRON_HEADERS)}`]
    : ['--dist-url=https://electronjs.org/headers'];
  const r = run('compiling with node-gyp', process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--runtime=electron', ...headers]);
  if (!r.ok) reasons.push(r.reason);
}
if (!built()) {
  fail([
    ...reasons,
    'Both routes need network access to download Electron headers or a prebuilt binary (offline machines cannot do this).',
    'Run this script on a machine with network access, or set FLOWCASE_ELECTRON_HEADERS to an unpacked',
    `node-v${electronVersion}-headers folder and re-run \`node build/rebuild-native-electron.js\`.`,
  ]);
}
fs.mkdirSync(outDir, { recursive: true });
fs.copyFileSync(path.join(scratch, 'build', 'Release', 'better_sqlite3.node'), outFile);
fs.rmSync(scratch, { recursive: true, force: true });
console.log(`rebuild-native-electron: wrote ${path.relative(root, outFile)}`);
