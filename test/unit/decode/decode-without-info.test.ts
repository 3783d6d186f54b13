import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { readCapture } from '../../../electron/capture/read-capture';
import { decodeFrame } from '../../../electron/decode/decode-frame';
import { newSummary } from '../../../electron/decode/packet-summary';
import { repoRoot, sharedCaptures } from '../../support/repo-paths';
import * as real from './real-packets';

/**
 * Ingest decodes without the Info text (wantInfo = false: TCP's, the hottest, is not built). Every
 * other field and flag must come out the same, for every frame of every capture at hand.
 */
async function compareCapture(file: string): Promise<{ frames: number; firstDifference: string | null }> {
  const withInfo = newSummary();
  const without = newSummary();
  let frames = 0;
  let firstDifference: string | null = null;
  // Compared inside the hook but asserted after: the reader turns a hook's exception into a read error.
  await readCapture(file, {
    onRecord: (rec) => {
      frames++;
      decodeFrame(rec.linkType, rec.data, withInfo, null, rec.origLen);
      decodeFrame(rec.linkType, rec.data, without, null, rec.origLen, null, false);
      if (firstDifference === null && !isDeepStrictEqual({ ...without, info: '' }, { ...withInfo, info: '' })) {
        firstDifference = `${path.basename(file)} frame ${frames}: ${JSON.stringify({ ...without, info: undefined })} against ${JSON.stringify({ ...withInfo, info: undefined })}`;
      }
    },
  });
  return { frames, firstDifference };
}

function capturesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((n) => /\.(pcap|pcapng|cap)(\.gz)?$/i.test(n)).sort().map((n) => path.join(dir, n));
}

test('decoding without the Info text gives the same fields and flags: the real packets of the decoder tests (TCP options, truncated, VLAN, IPv6...)', () => {
  let tcpWithOptions = 0;
  for (const [name, p] of Object.entries(real)) {
    if (typeof p !== 'object' || p === null || !('hex' in p)) continue;
    const withInfo = newSummary();
    const without = newSummary();
    decodeFrame(p.linkType, real.bytesOf(p), withInfo, null, p.origLen);
    decodeFrame(p.linkType, real.bytesOf(p), without, null, p.origLen, null, false);
    assert.deepEqual({ ...without, info: '' }, { ...withInfo, info: '' }, name);
    if (withInfo.tcpWsShift >= 0) tcpWithOptions++;
  }
  assert.ok(tcpWithOptions > 0, 'some packets carry a window-scale option (set while reading the options)');
});

test('decoding without the Info text gives the same fields and flags (fixtures, and ../shared captures when present)', async () => {
  const shared = sharedCaptures();
  const files = [
    ...capturesIn(path.join(repoRoot(), 'test', 'fixtures', 'captures')),
    ...(shared ? [...capturesIn(path.join(shared, 'real')), ...capturesIn(path.join(shared, 'malformed'))] : []),
  ];
  let frames = 0;
  for (const file of files) {
    const result = await compareCapture(file).catch(() => null); // a capture the reader refuses has nothing to compare
    if (result === null) continue;
    assert.equal(result.firstDifference, null);
    frames += result.frames;
  }
  assert.ok(frames > 5_000, `compared ${frames} frames`);
});
