import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatDuration, formatUtc, formatUtcTime, nsAddSec, nsDiffSec, nsFromPair, nsMax, nsMin, nsToEpochMs,
} from '../../../renderer/src/lib/ns-time.js';

test('nanosecond strings keep full precision beyond 2^53', () => {
  assert.equal(nsFromPair([1714564800, 123456789]), '1714564800123456789');
  assert.equal(nsAddSec('1714564800000000000', 0.000000001), '1714564800000000001');
  assert.equal(nsAddSec('1714564800000000000', -1.5), '1714564798500000000');
  assert.equal(nsDiffSec('1714564801000000500', '1714564800000000000'), 1.0000005);
  assert.equal(nsMin('10', '9'), '9');
  assert.equal(nsMax('10', '9'), '10');
  assert.equal(nsToEpochMs('1714564800123456789'), 1714564800123.4568);
});

test('UTC formatting cuts (never rounds) the fraction', () => {
  assert.equal(formatUtc('1714564800123456789'), '2024-05-01 12:00:00.123456 UTC');
  assert.equal(formatUtc('1714564800999999999', 3), '2024-05-01 12:00:00.999 UTC');
  assert.equal(formatUtc('1714564800000000000', 0, false), '2024-05-01 12:00:00');
  assert.equal(formatUtcTime('1714564800000250000', 6), '12:00:00.000250');
});

test('durations pick a readable unit', () => {
  assert.equal(formatDuration(0), '0 s');
  assert.equal(formatDuration(0.0000125), '12.5 µs');
  assert.equal(formatDuration(0.85), '850 ms');
  assert.equal(formatDuration(3.25), '3.25 s');
  assert.equal(formatDuration(245), '4 min 05 s');
  assert.equal(formatDuration(7380), '2 h 03 min');
  assert.equal(formatDuration(Number.NaN), '—');
});
