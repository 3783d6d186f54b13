import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../../support/make-fixtures';
import { pcapBytes } from '../../support/pcap-writer';

// dist/test/unit/analysis → repo root.
const DIR = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'captures');

test('the committed fixture captures are what make-fixtures generates, each under 2 MB', () => {
  for (const f of FIXTURES) {
    const file = path.join(DIR, f.file);
    assert.ok(fs.existsSync(file), `${f.file} missing: run node dist/test/support/make-fixtures.js`);
    const onDisk = fs.readFileSync(file);
    assert.ok(onDisk.length < 2 * 1024 * 1024, `${f.file} is ${onDisk.length} bytes`);
    assert.ok(pcapBytes(f.build()).equals(onDisk), `${f.file} is stale: run node dist/test/support/make-fixtures.js`);
  }
});
