import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listPage } from '../../../electron/query/list-page.js';

const columns = { bytes: 'orig_bytes + resp_bytes', first: 'first_ts_ns' } as const;

test('a sort key is taken only from the table\'s own column map', () => {
  assert.equal(listPage({ sort: 'first' }, columns, 'bytes').column, 'first_ts_ns');
  for (const sort of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'bytes; DROP TABLE flows']) {
    assert.equal(listPage({ sort }, columns, 'bytes').column, 'orig_bytes + resp_bytes', sort);
  }
});

test('limit and offset are clamped', () => {
  assert.deepEqual(listPage({ limit: 100000, offset: -5 }, columns, 'bytes'), { column: 'orig_bytes + resp_bytes', limit: 1000, offset: 0 });
  assert.equal(listPage({ limit: 0 }, columns, 'bytes').limit, 1);
});
