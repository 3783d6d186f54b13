#!/usr/bin/env node
'use strict';
// The `flowcase` command: a thin launcher for the compiled CLI in dist/.
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'electron', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('flowcase: not built yet — run `npm run build` in ' + path.join(__dirname, '..') + '\n');
  process.exit(2);
}
require(entry).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write('flowcase: internal error: ' + (err && err.stack ? err.stack : String(err)) + '\n'); process.exitCode = 70; },
);
