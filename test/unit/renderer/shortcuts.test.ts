import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionFor, SHORTCUTS } from '../../../renderer/src/lib/shortcuts.js';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) =>
  ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

test('Ctrl+1…8 and Alt+1…8 switch views, even while typing', () => {
  assert.deepEqual(actionFor(key('1', { ctrlKey: true }), false), { kind: 'view', view: 'overview' });
  assert.deepEqual(actionFor(key('6', { altKey: true }), true), { kind: 'view', view: 'findings' });
  assert.deepEqual(actionFor(key('8', { ctrlKey: true }), false), { kind: 'view', view: 'ladder' });
  assert.equal(actionFor(key('9', { ctrlKey: true }), false), null);
});

test('plain keys are shortcuts only outside text fields', () => {
  assert.deepEqual(actionFor(key('n'), false), { kind: 'finding', step: 1 });
  assert.deepEqual(actionFor(key('['), false), { kind: 'finding', step: -1 });
  assert.deepEqual(actionFor(key('?', { shiftKey: true }), false), { kind: 'help' });
  assert.deepEqual(actionFor(key('c'), false), { kind: 'follow' });
  assert.equal(actionFor(key('n'), true), null);
  assert.equal(actionFor(key('?'), true), null);
  assert.deepEqual(actionFor(key('f', { ctrlKey: true }), true), { kind: 'find' });
  assert.deepEqual(actionFor(key('X', { ctrlKey: true, shiftKey: true }), true), { kind: 'clear-scope' });
});

test('the help sheet lists every action kind', () => {
  const kinds = new Set(SHORTCUTS.map((s) => s.action.kind));
  for (const k of ['view', 'finding', 'follow', 'help', 'find', 'goto', 'open', 'clear-scope']) assert.ok(kinds.has(k as never), k);
});
