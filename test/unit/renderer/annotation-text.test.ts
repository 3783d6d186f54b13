import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleText } from '../../../renderer/src/lib/annotation-text';
import { FIXED_TAG_ORDER, markColour, parseTagText, TAG_COLOURS } from '../../../renderer/src/lib/tags';
import { FIXED_TAGS } from '../../../electron/model/annotation';

test('notes show bidi overrides, zero-width and control characters as visible code points', () => {
  assert.equal(visibleText('invoice\u202Efdp.exe'), 'invoice⟨U+202E⟩fdp.exe');
  assert.equal(visibleText('a\u200Bb\u0007c\u001b[31m'), 'a⟨U+200B⟩b⟨U+0007⟩c⟨U+001B⟩[31m');
  assert.equal(visibleText('line one\n\tline two <b>x</b> é 日本'), 'line one\n\tline two <b>x</b> é 日本', 'ordinary text, newlines and tabs unchanged');
});

test('tag colours: T+digit order is the vocabulary order; the most serious tag marks a row', () => {
  assert.deepEqual(FIXED_TAG_ORDER, [...FIXED_TAGS]);
  assert.equal(markColour(['todo', 'malicious']), TAG_COLOURS.malicious);
  assert.equal(markColour(['my-tag']), '#5d6878');
  assert.deepEqual(parseTagText(' c2 server, beacon ,, c2 server'), ['c2 server', 'beacon']);
});
