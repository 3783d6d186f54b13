#!/usr/bin/env node
// `npm start`: run the desktop app when an Electron binary is installed; otherwise say so in one
// line and fall back to browser mode (`flowcase serve`) with the same arguments.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);

function electronBinary() {
  try {
    // The electron package exports the binary's path, or throws when its download never happened.
    const p = require('electron');
    if (typeof p === 'string' && fs.existsSync(p)) return { path: p };
    return { missing: `not found at ${p}` };
  } catch (err) {
    return { missing: String(err && err.message ? err.message : err).split('\n')[0] };
  }
}

function run(cmd, cmdArgs) {
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  const forward = (sig) => () => child.kill(sig);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = electronBinary();
if (electron.path) {
  run(electron.path, [root, ...args]);
} else {
  console.log(`Electron binary not installed (${electron.missing}); install it with \`node node_modules/electron/install.js\` (needs network access) — starting browser mode instead.`);
  const bin = path.join(root, 'bin', 'flowcase.js');
  const fallback = path.join(root, 'dist', 'electron', 'serve', 'serve-cli.js');
  // bin/flowcase.js is the CLI; serve-cli.js is the same serve command on its own, for builds without the CLI.
  if (fs.existsSync(bin)) run(process.execPath, [bin, 'serve', ...args]);
  else run(process.execPath, [fallback, ...args]);
}
