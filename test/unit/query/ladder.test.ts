import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyseFrames, type AnalysedCase } from '../analysis/analysis-case';
import {
  buildDnsPortUnreachable, buildSingleClientRetry, buildSynFlood, DNS_CLIENT, DNS_DEAD_SERVER, Rng, Scene, SYN_FLOOD_SERVER, TcpConn,
} from '../../support/make-fixtures';
import { handshakePair, ladderPage } from '../../../electron/query/ladder';
import { pagePackets } from '../../../electron/query/packet-query';
import type { CaseDb } from '../../../db/open-case';
import type { LadderPage } from '../../../electron/model/graph';

function flowId(db: CaseDb, where: string, ...params: unknown[]): number {
  const r = db.prepare(`SELECT f.id FROM flows f JOIN addrs o ON o.id = f.orig_id JOIN addrs r ON r.id = f.resp_id WHERE ${where} ORDER BY f.id LIMIT 1`).get(...params) as { id: number } | undefined;
  assert.ok(r, `no flow where ${where}`);
  return r.id;
}

const kinds = (page: LadderPage) => page.arrows.map((a) => a.marks.map((m) => m.kind).join('+'));

describe('ladder: a SYN never answered, retransmitted with back-off', () => {
  let c: AnalysedCase;
  before(async () => { c = await analyseFrames('retry.pcap', buildSingleClientRetry()); });
  after(() => c.close());

  it('marks every SYN unanswered and the retries with their back-off', async () => {
    const id = flowId(c.db, "r.addr = '198.51.100.10'");
    const page = await ladderPage(c.db, { flowId: id });
    assert.deepEqual(page.columns, ['192.0.2.77:51000', '198.51.100.10:443']);
    assert.equal(page.arrows.length, 5);
    assert.ok(page.arrows.every((a) => a.flags === 'SYN' && a.from === 0 && a.to === 1 && a.seq === 0));
    assert.ok(page.arrows.every((a) => a.marks.some((m) => m.kind === 'unanswered-syn')));
    const backoffs = page.arrows.flatMap((a) => a.marks.flatMap((m) => (m.kind === 'retransmission' ? [Math.round(m.backoffSec * 1000) / 1000] : [])));
    assert.deepEqual(backoffs, [1, 2, 4, 8]);
    assert.deepEqual(page.arrows.map((a) => a.gapBeforeSec === null ? null : Math.round(a.gapBeforeSec)), [null, null, 2, 4, 8],
      'silences over a second are drawn compressed with their length');
  });

  it('shows relative seq/ack on a completed handshake', async () => {
    const id = flowId(c.db, "r.addr = '198.51.100.11'");
    const page = await ladderPage(c.db, { flowId: id });
    const [syn, synAck, ack] = page.arrows;
    assert.deepEqual([syn.flags, syn.seq, syn.ack], ['SYN', 0, null]);
    assert.deepEqual([synAck.flags, synAck.seq, synAck.ack, synAck.from, synAck.to], ['SYN, ACK', 0, 1, 1, 0]);
    assert.deepEqual([ack.flags, ack.seq, ack.ack], ['ACK', 1, 1]);
    assert.deepEqual(kinds(page).slice(0, 3), ['', '', '']);
  });
});

describe('ladder: SYN flood handshakes', () => {
  let c: AnalysedCase;
  before(async () => {
    c = await analyseFrames('syn-flood.pcap', buildSynFlood({ rate: 40, attackSec: 20, answerSec: 5, clients: 6, tailSec: 10 }));
  });
  after(() => c.close());

  it('compares a completed client handshake with a half-open attack handshake', async () => {
    const flood = c.findings.find((f) => f.kind === 'syn-flood')!;
    const pair = handshakePair(c.db, flood.id);
    assert.ok(pair.completed && pair.attack);
    assert.match(pair.completed.client, /^192\.0\.2\.\d+$/);
    const good = await ladderPage(c.db, { flowId: pair.completed.flowId });
    assert.deepEqual(good.arrows.slice(0, 3).map((a) => a.flags), ['SYN', 'SYN, ACK', 'ACK']);
    const bad = await ladderPage(c.db, { flowId: pair.attack.flowId });
    assert.deepEqual(bad.arrows.map((a) => a.flags), ['SYN', 'SYN, ACK', 'SYN, ACK', 'SYN, ACK'], 'no ACK ever comes');
    assert.deepEqual(kinds(bad), ['', 'half-open', 'half-open+retransmission', 'half-open+retransmission']);
    const backoffs = bad.arrows.flatMap((a) => a.marks.flatMap((m) => (m.kind === 'retransmission' ? [Math.round(m.backoffSec)] : [])));
    assert.deepEqual(backoffs, [1, 2]);
  });

  it('pages a finding\'s evidence 200 arrows at a time, in packet order', async () => {
    const flood = c.findings.find((f) => f.kind === 'syn-flood')!;
    const first = await ladderPage(c.db, { findingId: flood.id });
    assert.equal(first.arrows.length, 200);
    assert.ok(first.hasMore);
    const second = await ladderPage(c.db, { findingId: flood.id, after: first.nextAfter! });
    assert.ok(second.arrows[0].packetId > first.arrows[199].packetId);
    const stored = c.db.prepare('SELECT count(*) AS n FROM finding_evidence WHERE finding_id = ?').get(flood.id) as { n: number };
    assert.equal(first.total, stored.n);
    assert.ok(first.columns.length <= 8 || first.columns.every((col) => !/:\d+$/.test(col)), 'many endpoints: one column per address');
  });

  it('a host pair ladder covers both directions', async () => {
    const page = await ladderPage(c.db, { a: '192.0.2.10', b: SYN_FLOOD_SERVER, limit: 1000 });
    const sql = c.db.prepare(`SELECT count(*) AS n FROM packets WHERE flow_id IN (SELECT id FROM flows WHERE
      orig_id = (SELECT id FROM addrs WHERE addr = '192.0.2.10') AND resp_id = (SELECT id FROM addrs WHERE addr = ?))`).get(SYN_FLOOD_SERVER) as { n: number };
    assert.equal(page.total, sql.n);
  });

  it('tcp.stream selects exactly the ladder\'s flow', async () => {
    const flood = c.findings.find((f) => f.kind === 'syn-flood')!;
    const pair = handshakePair(c.db, flood.id);
    const rows = pagePackets(c.db, { filter: `tcp.stream == ${pair.completed!.flowId}`, limit: 2000 }).rows;
    const ladder = await ladderPage(c.db, { flowId: pair.completed!.flowId });
    assert.deepEqual(rows.map((r) => r.id), ladder.arrows.map((a) => a.packetId));
    assert.equal(pagePackets(c.db, { filter: `udp.stream == ${pair.completed!.flowId}` }).rows.length, 0, 'a TCP flow is no UDP stream');
  });
});

describe('ladder: RST and ICMP errors', () => {
  it('marks a refused connection\'s RST', async () => {
    const sc = new Scene();
    const rng = new Rng(7);
    const conn = new TcpConn(sc, '10.0.0.5', 40000, '10.0.0.9', 8080, rng.int(1, 2 ** 31));
    conn.syn(1);
    conn.refuse(1.0004);
    const c = await analyseFrames('refused.pcap', sc.frames);
    try {
      const page = await ladderPage(c.db, { flowId: flowId(c.db, '1') });
      assert.deepEqual(page.arrows.map((a) => a.flags), ['SYN', 'RST, ACK']);
      assert.deepEqual(kinds(page), ['', 'rst']);
      assert.equal(page.arrows[1].ack, 1);
    } finally {
      c.close();
    }
  });

  it('draws the ICMP port unreachable between the quoted endpoints and names what it quotes', async () => {
    const c = await analyseFrames('dns.pcap', buildDnsPortUnreachable());
    try {
      const id = flowId(c.db, 'o.addr = ? AND r.addr = ? AND f.ip_proto = 17', DNS_CLIENT, DNS_DEAD_SERVER);
      const page = await ladderPage(c.db, { flowId: id });
      assert.equal(page.columns.length, 2, 'the error is drawn on the conversation\'s own columns');
      const err = page.arrows.find((a) => a.marks.some((m) => m.kind === 'icmp-error'))!;
      assert.ok(err, 'the ICMP error is on the ladder');
      assert.deepEqual([err.from, err.to], [1, 0]);
      const mark = err.marks[0];
      assert.ok(mark.kind === 'icmp-error' && mark.quoted.startsWith(`UDP ${DNS_CLIENT}:`) && mark.quoted.includes(`${DNS_DEAD_SERVER}:53`));
    } finally {
      c.close();
    }
  });
});
