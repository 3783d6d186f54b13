import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clampWidth, FLOW_COLUMNS, gridTemplate, HOST_COLUMNS, KEY_STEP, KEY_STEP_LARGE, MAX_COLUMN_WIDTH, minTableWidth, PACKET_COLUMNS,
  parseStoredWidths, widthForKey, widthOf, type ColumnSpec,
} from '../../../renderer/src/lib/column-widths.js';
import { joinRow, tabSafe } from '../../../renderer/src/lib/row-text.js';

const src = PACKET_COLUMNS.find((c) => c.id === 'src')!;

test('each table has exactly one filler column, unique ids, and defaults within their bounds', () => {
  for (const cols of [PACKET_COLUMNS, FLOW_COLUMNS, HOST_COLUMNS]) {
    assert.equal(cols.filter((c) => c.width === null).length, 1);
    assert.equal(new Set(cols.map((c) => c.id)).size, cols.length);
    for (const c of cols) if (c.width !== null) assert.ok(c.width >= c.min && c.width <= MAX_COLUMN_WIDTH, c.id);
  }
});

test('stored widths: junk, unknown columns, the filler and fixed columns are dropped; values are clamped', () => {
  assert.deepEqual(parseStoredWidths(null, PACKET_COLUMNS), {});
  assert.deepEqual(parseStoredWidths('not json', PACKET_COLUMNS), {});
  assert.deepEqual(parseStoredWidths('[1,2]', PACKET_COLUMNS), {});
  assert.deepEqual(parseStoredWidths('{"src": 300, "dst": "wide", "info": 500, "mark": 90, "bogus": 10, "no": 1, "time": 1e9}', PACKET_COLUMNS),
    { src: 300, no: 40, time: MAX_COLUMN_WIDTH });
});

test('widths and the grid template: stored beats default, the filler takes the rest', () => {
  const stored = { src: 260 };
  assert.equal(widthOf(src, stored), 260);
  assert.equal(widthOf(src, {}), src.width);
  assert.equal(gridTemplate(PACKET_COLUMNS, stored), `18px 74px 122px 260px ${src.width}px 78px 60px minmax(120px, 1fr)`);
  const total = PACKET_COLUMNS.reduce((n, c) => n + (c.id === 'src' ? 260 : (c.width ?? c.min)), 0);
  assert.equal(minTableWidth(PACKET_COLUMNS, stored), total);
});

test('keyboard: arrows step, Shift steps further, Home is the narrowest, Enter the default; other keys are not ours', () => {
  assert.equal(widthForKey(src, 170, 'ArrowRight', false), 170 + KEY_STEP);
  assert.equal(widthForKey(src, 170, 'ArrowLeft', true), 170 - KEY_STEP_LARGE);
  assert.equal(widthForKey(src, src.min + 2, 'ArrowLeft', false), src.min);
  assert.equal(widthForKey(src, 300, 'Home', false), src.min);
  assert.equal(widthForKey(src, 300, 'Enter', false), src.width);
  assert.equal(widthForKey(src, 300, 'a', false), null);
  assert.equal(widthForKey(src, 300, 'Tab', false), null);
});

test('clampWidth rounds and keeps within [min, max]; not a number gives the default', () => {
  const spec: ColumnSpec = { id: 'x', label: 'X', width: 100, min: 30 };
  assert.equal(clampWidth(spec, 99.6), 100);
  assert.equal(clampWidth(spec, -5), 30);
  assert.equal(clampWidth(spec, 1e6), MAX_COLUMN_WIDTH);
  assert.equal(clampWidth(spec, Number.NaN), 100);
});

test('a copied row keeps its columns: tabs and newlines inside a value become spaces', () => {
  assert.equal(tabSafe('GET /a\tb\r\nHost: x'), 'GET /a b Host: x');
  assert.equal(tabSafe('fd12::1'), 'fd12::1');
  assert.equal(joinRow(['1', 'a\tb', 'fd12::1']), '1\ta b\tfd12::1');
});

test('an empty table names the search or the chips that emptied it, with their values', async () => {
  const { scopeChipsText, tableEmptyText } = await import('../../../renderer/src/lib/table-empty.js');
  assert.equal(scopeChipsText({}), '');
  assert.equal(scopeChipsText({ filter: 'tcp', from: '1', findingId: 3 }), 'the FILTER chip (tcp), the TIME chip and the EVIDENCE chip (finding #3)');
  assert.match(tableEmptyText('conversations', '', {}, null), /No conversations in this case yet/);
  assert.equal(tableEmptyText('endpoints', ' 10.9 ', {}, null), 'No endpoints match “10.9”: clear the search box.');
  assert.equal(tableEmptyText('endpoints', '10.9', { filter: 'udp' }, null), 'No endpoints match “10.9” within the FILTER chip (udp): clear the search box or remove a chip.');
  const why = { message: '0 packets: no packet in the case matches the FILTER chip — change the filter or remove it.', culprits: ['filter' as const] };
  assert.equal(tableEmptyText('conversations', '', { filter: 'ip.addr == 198.18.0.1' }, why),
    'No conversations, as the scope holds 0 packets: no packet in the case matches the FILTER chip — change the filter or remove it. Scope: the FILTER chip (ip.addr == 198.18.0.1).');
  assert.match(tableEmptyText('endpoints', '', { findingId: 2 }, null), /^No endpoints in the scope: its packets \(the EVIDENCE chip \(finding #2\)\) belong to no IP or MAC endpoint/);
});
