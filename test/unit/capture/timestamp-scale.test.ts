import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimestampScale } from '../../../electron/capture/timestamp-scale';

/** Reference conversion with BigInt throughout. */
function reference(tsresol: number, units: bigint, offset = 0): [number, number] {
  const binary = (tsresol & 0x80) !== 0;
  const exp = BigInt(tsresol & 0x7f);
  const d = binary ? 1n << exp : 10n ** exp;
  return [Number(units / d) + offset, Number(((units % d) * 1_000_000_000n) / d)];
}

function convert(tsresol: number, units: bigint, offset = 0): [number, number] {
  const out = { tsSec: -1, tsNsec: -1 };
  new TimestampScale(tsresol, offset).apply(out, Number(units >> 32n), Number(units & 0xffffffffn));
  return [out.tsSec, out.tsNsec];
}

test('microsecond and nanosecond units convert exactly', () => {
  assert.deepEqual(convert(6, 1340954905298858n), [1340954905, 298858000]);
  // 1767663089.500330493 s, the first frame of zeek pcapng-multi-interface (tshark frame.time_epoch).
  assert.deepEqual(convert(9, 1767663089500330493n), [1767663089, 500330493]);
  // Above 2^53 a double would lose the last digits; the limb division must not.
  assert.deepEqual(convert(9, 9007199254740993123n), [9007199254, 740993123]);
  assert.deepEqual(convert(9, 0xffffffffffffffffn), [18446744073, 709551615]);
});

test('binary resolutions (bit 7 of if_tsresol) convert exactly', () => {
  // 2^-8 s units: 1519128000 s + 50/256 s = .1953125 (gopacket test902, tshark 1519128000.195312500).
  assert.deepEqual(convert(0x88, 1519128000n * 256n + 50n), [1519128000, 195312500]);
  assert.deepEqual(convert(0x80 | 32, (5n << 32n) | 0x80000000n), [5, 500000000]);
  // 2^-20 units: 1/1048576 s = 953.674… ns, truncated.
  assert.deepEqual(convert(0x80 | 20, 1n), [0, 953]);
});

test('resolutions finer than nanoseconds fall back to exact BigInt arithmetic', () => {
  assert.deepEqual(convert(12, 1700000000123456789012n), [1700000000, 123456789]);
  assert.deepEqual(convert(0x80 | 40, (3n << 40n) + (1n << 39n)), [3, 500000000]);
});

test('if_tsoffset is added to the seconds', () => {
  assert.deepEqual(convert(6, 1500000n, 1_600_000_000), [1_600_000_001, 500000000]);
  assert.deepEqual(convert(6, 0n, -5), [-5, 0]);
});

test('random 64-bit values agree with the BigInt reference for every common resolution', () => {
  let seed = 12345;
  const rnd32 = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  const resolutions = [0, 1, 3, 6, 7, 9, 0x80, 0x81, 0x88, 0x8a, 0x94, 0x9e, 0xa0, 10, 15, 0xa8];
  for (const r of resolutions) {
    for (let i = 0; i < 300; i++) {
      const units = (BigInt(rnd32()) << 32n) | BigInt(rnd32());
      assert.deepEqual(convert(r, units), reference(r, units), `tsresol 0x${r.toString(16)} units ${units}`);
    }
  }
});

test('unitsPerSec reflects the resolution', () => {
  assert.equal(new TimestampScale(6).unitsPerSec, 1e6);
  assert.equal(new TimestampScale(9).unitsPerSec, 1e9);
  assert.equal(new TimestampScale(0x88).unitsPerSec, 256);
});
