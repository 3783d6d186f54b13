/**
 * The link and tunnel decoders (PPP, PPP in HDLC framing, PPPoE, GRE with ERSPAN II and bridged
 * Ethernet, VXLAN, MPLS) against tshark: test/fixtures/links/*.pcap are generated
 * (scripts/make-link-fixtures.py), and <name>.tshark.json holds tshark's view of each frame, the
 * innermost addresses and ports as its columns show them, and its Protocol column. Where tshark is
 * installed the fixture is also checked against a fresh tshark run; without it that part skips.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readCapture } from '../../../electron/capture/read-capture';
import { decodeFrame } from '../../../electron/decode/decode-frame';
import { newSummary, PKT_MALFORMED, PKT_TRUNCATED } from '../../../electron/decode/packet-summary';
import { repoRoot } from '../../support/repo-paths';

interface TsharkRow { frame: number; protocol: string; src: string | null; dst: string | null; sport: number | null; dport: number | null; layers: string }

const DIR = path.join(repoRoot(), 'test/fixtures/links');
const CAPTURES = ['ppp.pcap', 'ppp-hdlc.pcap', 'pppoe.pcap', 'gre.pcap', 'vxlan.pcap', 'mpls.pcap'];
const HAS_TSHARK = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;

interface Decoded { protocol: string; src: string; dst: string; ipVersion: number; sport: number; dport: number; flags: number; info: string }

async function decodeAll(file: string): Promise<Decoded[]> {
  const out: Decoded[] = [];
  const s = newSummary();
  await readCapture(file, {
    onRecord: (rec) => {
      decodeFrame(rec.linkType, rec.data, s, null, rec.origLen);
      out.push({ protocol: s.protocol, src: s.src, dst: s.dst, ipVersion: s.ipVersion, sport: s.sport, dport: s.dport, flags: s.flags, info: s.info });
    },
  });
  return out;
}

for (const name of CAPTURES) {
  test(`${name}: innermost addresses, ports and protocol as tshark shows them`, async () => {
    const want = (JSON.parse(fs.readFileSync(path.join(DIR, name + '.tshark.json'), 'utf8')) as { rows: TsharkRow[] }).rows;
    const got = await decodeAll(path.join(DIR, name));
    assert.equal(got.length, want.length);
    for (const w of want) {
      const g = got[w.frame - 1];
      const where = `${name} frame ${w.frame} (${w.layers})`;
      assert.equal(g.flags & (PKT_MALFORMED | PKT_TRUNCATED), 0, `${where}: decoded cleanly, ${g.info}`);
      assert.equal(g.protocol, w.protocol, `${where}: protocol`);
      if (w.src !== null) {
        assert.equal(g.src, w.src, `${where}: source`);
        assert.equal(g.dst, w.dst, `${where}: destination`);
      } else {
        assert.equal(g.ipVersion, 0, `${where}: no IP layer`);
      }
      assert.equal(g.sport < 0 ? null : g.sport, w.protocol.startsWith('ICMP') ? g.sport < 0 ? null : g.sport : w.sport, `${where}: source port`);
      if (!w.protocol.startsWith('ICMP')) assert.equal(g.dport < 0 ? null : g.dport, w.dport, `${where}: destination port`);
    }
  });
}

test('the committed tshark views match a fresh tshark run', { skip: HAS_TSHARK ? false : 'tshark is not installed' }, () => {
  for (const name of CAPTURES) {
    const want = (JSON.parse(fs.readFileSync(path.join(DIR, name + '.tshark.json'), 'utf8')) as { rows: TsharkRow[] }).rows;
    const r = spawnSync('tshark', ['-n', '-r', path.join(DIR, name), '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', 'frame.protocols'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    assert.deepEqual(lines.map((c) => [Number(c[0]), c[1], c[2]]), want.map((w) => [w.frame, w.protocol, w.layers]), name);
  }
});
