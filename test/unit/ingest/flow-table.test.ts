import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowTable } from '../../../electron/ingest/flow-table';
import { newSummary, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type PacketSummary } from '../../../electron/decode/packet-summary';

function tcp(src: string, sport: number, dst: string, dport: number, flags: number, seq = 1000, payloadLen = 0): PacketSummary {
  const s = newSummary();
  Object.assign(s, { ipVersion: 4, src, dst, ipProto: 6, sport, dport, tcpFlags: flags, tcpSeq: seq, payloadLen, protocol: 'TCP' });
  return s;
}

function run(packets: PacketSummary[]) {
  const ids = new Map<string, number>();
  const id = (a: string) => { if (!ids.has(a)) ids.set(a, ids.size + 1); return ids.get(a)!; };
  const table = new FlowTable(1);
  const obs = packets.map((p, i) => ({ ...table.observe(p, p.src ? id(p.src) : -1, p.dst ? id(p.dst) : -1, 1_700_000_000 + i, 0, 60) }));
  return { obs, flows: table.closeAll() };
}

const C = '10.0.0.2', S = '192.0.2.1';

test('a complete handshake and teardown is SF with handshake timings', () => {
  const { obs, flows } = run([
    tcp(C, 40000, S, 443, TCP_SYN), tcp(S, 443, C, 40000, TCP_SYN | TCP_ACK, 5000), tcp(C, 40000, S, 443, TCP_ACK),
    tcp(C, 40000, S, 443, TCP_ACK, 1001, 100), tcp(S, 443, C, 40000, TCP_FIN | TCP_ACK), tcp(C, 40000, S, 443, TCP_FIN | TCP_ACK),
  ]);
  assert.equal(flows.length, 1);
  assert.ok(obs.every((o) => o.flowId === 1));
  const f = flows[0];
  assert.equal(f.connState, 'SF');
  assert.equal(f.history, 'ShADfF');
  assert.equal(f.origPkts, 4);
  assert.equal(f.respPkts, 2);
  assert.equal(f.synTsNs, 1_700_000_000n * 1_000_000_000n);
  assert.equal(f.ackTsNs, 1_700_000_002n * 1_000_000_000n);
});

test('half-open: SYN answered by SYN/ACK, never ACKed; retransmissions are flagged', () => {
  const { obs, flows } = run([
    tcp(C, 40001, S, 443, TCP_SYN, 77), tcp(S, 443, C, 40001, TCP_SYN | TCP_ACK, 900), tcp(S, 443, C, 40001, TCP_SYN | TCP_ACK, 900),
    tcp(C, 40001, S, 443, TCP_SYN, 77),
  ]);
  assert.deepEqual(obs.map((o) => o.retransmission), [false, false, true, true]);
  assert.equal(flows[0].connState, 'S1');
  assert.equal(flows[0].ackTsNs, null);
  assert.equal(flows[0].synCount, 2);
  assert.equal(flows[0].synAckCount, 2);
});

test('unanswered SYNs are S0, refused ones REJ', () => {
  const { flows } = run([tcp(C, 1, S, 80, TCP_SYN), tcp(C, 2, S, 81, TCP_SYN), tcp(S, 81, C, 2, TCP_RST | TCP_ACK)]);
  const byPort = new Map(flows.map((f) => [f.respPort, f]));
  assert.equal(byPort.get(80)!.connState, 'S0');
  assert.equal(byPort.get(81)!.connState, 'REJ');
  assert.equal(byPort.get(81)!.rstResp, 1);
});

test('a flow first seen at its SYN/ACK keeps the client as originator', () => {
  const { flows } = run([tcp(S, 443, C, 5555, TCP_SYN | TCP_ACK), tcp(C, 5555, S, 443, TCP_ACK)]);
  assert.equal(flows[0].origPort, 5555);
  assert.equal(flows[0].respPort, 443);
});

test('non-IP packets get no flow', () => {
  const s = newSummary();
  Object.assign(s, { protocol: 'ARP', src: 'aa:bb:cc:dd:ee:ff', dst: 'ff:ff:ff:ff:ff:ff' });
  const { obs } = run([s]);
  assert.equal(obs[0].flowId, -1);
});

function icmp(src: string, dst: string, type: number, code = 0): PacketSummary {
  const s = newSummary();
  Object.assign(s, { ipVersion: 4, src, dst, ipProto: 1, protocol: 'ICMP',
    icmp: { version: 4, type, code, isError: type === 3, echoId: 1, echoSeq: 1 } });
  return s;
}

test('ICMP echo request and reply form one flow with the requester as originator, even when the reply comes first', () => {
  const { obs, flows } = run([icmp(S, C, 0), icmp(C, S, 8), icmp(S, C, 0), icmp(C, S, 3, 3)]);
  assert.equal(obs[0].flowId, obs[1].flowId);
  assert.notEqual(obs[3].flowId, obs[0].flowId, 'an ICMP error is a one-way flow of its own');
  const echo = flows.find((f) => f.id === obs[0].flowId)!;
  assert.deepEqual([echo.origPort, echo.respPort, echo.origPkts, echo.respPkts], [8, 0, 1, 2]);
  const err = flows.find((f) => f.id === obs[3].flowId)!;
  assert.deepEqual([err.origPort, err.respPort, err.origPkts], [3, 3, 1]);
});

test('a new SYN on a reused 4-tuple starts a new flow, as tshark tcp.stream does; a retransmitted SYN does not', () => {
  // Three attack attempts from the same source port, each with its own initial sequence number.
  const { obs, flows } = run([
    tcp(C, 40100, S, 443, TCP_SYN, 100), tcp(S, 443, C, 40100, TCP_SYN | TCP_ACK, 900), tcp(C, 40100, S, 443, TCP_SYN, 100),
    tcp(C, 40100, S, 443, TCP_SYN, 200), tcp(S, 443, C, 40100, TCP_SYN | TCP_ACK, 901),
    tcp(C, 40100, S, 443, TCP_SYN, 300),
  ]);
  assert.deepEqual(obs.map((o) => o.flowId), [1, 1, 1, 2, 2, 3]);
  assert.equal(obs[2].retransmission, true);
  assert.equal(flows.length, 3);
  assert.deepEqual(flows.map((f) => f.connState).sort(), ['S0', 'S1', 'S1']);
  assert.deepEqual(flows.map((f) => f.origPkts + f.respPkts).sort(), [1, 2, 3]);
});

test('a SYN after a reset or a full close opens a new flow', () => {
  const { obs } = run([
    tcp(C, 40200, S, 80, TCP_SYN, 10), tcp(S, 80, C, 40200, TCP_RST | TCP_ACK, 0),
    tcp(C, 40200, S, 80, TCP_SYN, 10),
    tcp(S, 80, C, 40200, TCP_SYN | TCP_ACK, 5), tcp(C, 40200, S, 80, TCP_ACK, 11),
    tcp(C, 40200, S, 80, TCP_FIN | TCP_ACK, 11), tcp(S, 80, C, 40200, TCP_FIN | TCP_ACK, 6),
    tcp(C, 40200, S, 80, TCP_SYN, 99),
  ]);
  assert.deepEqual(obs.map((o) => o.flowId), [1, 1, 2, 2, 2, 2, 2, 3]);
});

test('an ICMPv6 router advertisement to all-nodes has the router as originator, not the multicast group', () => {
  const s = newSummary();
  Object.assign(s, { ipVersion: 6, src: 'fe80::1', dst: 'ff02::1', ipProto: 58, sport: -1, dport: -1, protocol: 'ICMPv6', icmp: { version: 6, type: 134, code: 0 } });
  const ids = new Map<string, number>([['fe80::1', 1], ['ff02::1', 2]]);
  const table = new FlowTable(1);
  table.observe(s, ids.get(s.src)!, ids.get(s.dst)!, 1_700_000_000, 0, 60);
  const [f] = table.closeAll();
  assert.equal(f.origId, 1);
  assert.equal(f.respId, 2);
  assert.equal(f.origPkts, 1);
});
