import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainEmpty, stillAppliedText } from '../../../renderer/src/lib/scope-text.js';

test('a new filter says which other chips stay', () => {
  assert.equal(stillAppliedText('filter', ['filter']), null);
  assert.match(stillAppliedText('filter', ['filter', 'evidence'])!, /^The filter was replaced; the EVIDENCE chip still applies/);
  assert.match(stillAppliedText('filter', ['filter', 'time', 'evidence'])!, /the TIME chip and the EVIDENCE chip still apply/);
  assert.match(stillAppliedText('evidence', ['time', 'evidence'])!, /the TIME chip still applies/);
});

test('an empty scope names the chip that emptied it', () => {
  assert.deepEqual(explainEmpty(['filter', 'time'], { filter: 0, time: 12 }), {
    message: '0 packets: the TIME chip excludes them — remove it (12 packets without it).', culprits: ['time'],
  });
  const both = explainEmpty(['filter', 'evidence'], { filter: 11220, evidence: 31 });
  assert.deepEqual(both.culprits, ['filter', 'evidence']);
  assert.match(both.message, /the FILTER chip and the EVIDENCE chip each exclude them — remove one \(11,220 without FILTER, 31 without EVIDENCE\)/);
  assert.deepEqual(explainEmpty(['filter', 'time', 'evidence'], { filter: 0, time: 0, evidence: 0 }).culprits, []);
  assert.match(explainEmpty(['filter', 'time', 'evidence'], {}).message, /together exclude every packet/);
  assert.match(explainEmpty(['filter'], {}).message, /no packet in the case matches the FILTER chip/);
  assert.deepEqual(explainEmpty(['time'], {}).culprits, ['time']);
});
