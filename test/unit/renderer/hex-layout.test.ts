import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asciiChar, hexRows, inRange, parseHex } from '../../../renderer/src/lib/hex-layout.js';
import { ancestorKeys, childNodes, flattenTree, nodeAtPath, pathAtOffset, type RangeNode } from '../../../renderer/src/lib/layer-tree.js';

test('hex dump: 16 bytes a row, offsets, printable ASCII only', () => {
  const bytes = parseHex('45 00 00 3c' + '41'.repeat(14) + '0a ff');
  assert.equal(bytes.length, 20);
  const rows = hexRows(bytes);
  assert.equal(rows.length, 2);
  assert.equal(rows[0]!.label, '0000');
  assert.equal(rows[1]!.label, '0010');
  assert.deepEqual(rows[0]!.cells.slice(0, 4).map((c) => c.hex), ['45', '00', '00', '3c']);
  assert.equal(rows[1]!.cells.length, 4);
  assert.equal(rows[1]!.cells.map((c) => c.ascii).join(''), 'AA..');
  assert.equal(asciiChar(0x7f), '.');
  assert.equal(asciiChar(0x3c), '<');
});

test('hex parsing rejects odd lengths and non-hex', () => {
  assert.throws(() => parseHex('abc'), /odd/);
  assert.throws(() => parseHex('zz'), /non-hex/);
  assert.equal(parseHex('').length, 0);
});

test('offset labels widen for frames beyond 64 KiB', () => {
  const rows = hexRows(new Uint8Array(0x10010));
  assert.equal(rows[rows.length - 1]!.label, '10000');
  assert.equal(rows[0]!.label, '00000');
});

const tree: RangeNode[] = [
  { label: 'Frame 1', start: 0, length: 60 },
  { label: 'Ethernet II', start: 0, length: 14, children: [{ label: 'Destination', start: 0, length: 6 }, { label: 'Type', start: 12, length: 2 }] },
  {
    label: 'IPv4', start: 14, length: 20,
    children: [{ label: 'TTL', start: 22, length: 1 }, { label: 'Flags', start: 20, length: 2, children: [{ label: 'DF', start: 20, length: 1 }] }, 'junk'],
  },
];

test('a hex byte selects the most specific field, not the frame', () => {
  assert.deepEqual(pathAtOffset(tree, 22), [2, 0]);
  assert.deepEqual(pathAtOffset(tree, 20), [2, 1, 0]);
  assert.deepEqual(pathAtOffset(tree, 13), [1, 1]);
  assert.deepEqual(pathAtOffset(tree, 8), [1]);
  assert.deepEqual(pathAtOffset(tree, 50), [0]);
  assert.equal(pathAtOffset(tree, 60), null);
  assert.equal(nodeAtPath(tree, [2, 1, 0])!.label, 'DF');
  assert.deepEqual(ancestorKeys([2, 1, 0]), ['2', '2.1']);
});

test('tree flattening follows the expanded set and skips malformed children', () => {
  assert.equal(childNodes(tree[2]!).length, 2);
  assert.deepEqual(flattenTree(tree, new Set()).map((f) => f.key), ['0', '1', '2']);
  const open = flattenTree(tree, new Set(['2', '2.1']));
  assert.deepEqual(open.map((f) => `${f.depth}:${f.node.label}`), ['0:Frame 1', '0:Ethernet II', '0:IPv4', '1:TTL', '1:Flags', '2:DF']);
  assert.ok(inRange(21, { start: 20, length: 2 }));
  assert.ok(!inRange(22, { start: 20, length: 2 }));
  assert.ok(!inRange(0, { start: 0, length: 0 }));
});
