/**
 * The host graph's pair aggregation against tshark's `-z conv,ip` on the real captures in
 * ../shared/captures/real: per IPv4 address pair, the graph's two directed edges together carry
 * the frames tshark counts for the conversation. Skips (saying why) without the captures or tshark.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyseCaptures } from '../unit/analysis/analysis-case';
import { hostGraph } from '../../electron/query/host-graph';
import { repoRoot } from '../support/repo-paths';

const CAPTURES = process.env.FLOWCASE_REAL_CAPTURES ?? path.resolve(repoRoot(), '..', 'shared', 'captures', 'real');
const FILES = [
  'chrissanders__synscan.pcapng',
  'chrissanders__tcp_handshake.pcapng',
  'chrissanders__tcp_refuseconnection.pcapng',
  'suricata__tcp-session-syn-flood-drop-precedence__input.pcap',
  'zeek__get.pcap',
  'zeek__icmp-destunreach-udp.pcap',
  'zeek__nmap-vsn.pcap',
  'arkime__dns-wiresharkrepo.pcap',
];

const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
const skip = !fs.existsSync(CAPTURES)
  ? `real captures not found at ${CAPTURES} (set FLOWCASE_REAL_CAPTURES)`
  : tshark.status !== 0 ? 'tshark is not installed' : false;

/** "a <-> b  ...  <-frames <-bytes ... ->frames ->bytes ... totalFrames totalBytes ..." → frames per unordered pair. */
export function parseConvIp(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+\d+\s+(?:bytes|kB|MB|GB)\s+(\d+)\s+\d+\s+(?:bytes|kB|MB|GB)\s+(\d+)\s/.exec(line);
    if (!m) continue;
    out.set([m[1], m[2]].sort().join(' '), Number(m[5]));
  }
  return out;
}

test('graph pairs agree with tshark -z conv,ip on real captures', { skip }, async (t) => {
  for (const file of FILES) {
    const full = path.join(CAPTURES, file);
    if (!fs.existsSync(full)) continue;
    await t.test(file, async () => {
      const out = spawnSync('tshark', ['-n', '-q', '-z', 'conv,ip', '-r', full], { encoding: 'utf8', maxBuffer: 64 << 20 });
      const expected = parseConvIp(out.stdout);
      assert.ok(expected.size > 0, 'tshark listed conversations');
      assert.equal(expected.size, out.stdout.split('\n').filter((l) => l.includes(' <-> ')).length, 'every conversation line parsed');
      const c = await analyseCaptures([full]);
      try {
        const g = hostGraph(c.db, { top: 2000 });
        const ours = new Map<string, number>();
        for (const e of g.edges) {
          if (!/^\d+\.\d+\.\d+\.\d+$/.test(e.src) || !/^\d+\.\d+\.\d+\.\d+$/.test(e.dst)) continue;
          const key = [e.src, e.dst].sort().join(' ');
          ours.set(key, (ours.get(key) ?? 0) + e.packets);
        }
        assert.deepEqual(Object.fromEntries([...ours].sort()), Object.fromEntries([...expected].sort()));
      } finally {
        c.close();
      }
    });
  }
});
