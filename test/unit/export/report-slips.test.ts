/**
 * The draft report's factual slips, one test each: every sentence that states what the server or
 * the clients did is decided from the finding's data, never written unconditionally.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answeringText, synStepText } from '../../../electron/export/report-attack';
import { whenOccurredText } from '../../../electron/export/report-unreachable';
import { handshakeTimeText, reusedPortsText, synFloodText, type SynFloodFacts } from '../../../electron/analysis/syn-flood-text';
import type { CaseFacts, ReportFinding } from '../../../electron/export/report-data';
import type { ImpactSummary } from '../../../electron/analysis/syn-flood-impact';

const BASE = 1_710_234_000_000_000_000n;
const facts: CaseFacts = { caseName: 'c.flowcase', baseNs: BASE, packets: 1, firstNs: BASE, lastNs: BASE, captures: [] };

function finding(over: Partial<ReportFinding>): ReportFinding {
  return {
    id: 1, kind: 'syn-flood', title: 't', severity: 'high', confidence: 1, startTs: String(BASE), endTs: String(BASE + 60_000_000_000n),
    targets: [], sources: [], evidenceTotal: 0, metrics: {}, explanation: '', affected: [], recommendations: [], mitre: [],
    evidencePacketIds: [], flowIds: [], evidenceQueries: [], details: {}, roles: [], ...over,
  };
}

function impact(over: Partial<ImpactSummary>): ImpactSummary {
  return {
    baselineClients: 0, clients: [], impactedClients: 0, unanswered: 0, synRetransmissions: 0, resets: 0, http5xx: 0,
    http5xxStatuses: {}, slow: 0, baselineHandshakeMs: null, attackHandshakeMs: null, firstFailureNs: null, first5xxNs: null,
    recoveryNs: null, flowIds: [], ...over,
  };
}

function synFacts(over: Partial<SynFloodFacts>): SynFloodFacts {
  return {
    target: '192.0.2.1', port: 443, service: 'HTTPS', startNs: 0, endNs: 60e9, baseNs: BASE, scope: 'DoS', spoofLikely: false,
    sources: [{ addr: '203.0.113.9', count: 100 }], attackSyns: 100, attackSynRetrans: 0, distinctSrcPorts: 100, peakPerSec: 10,
    avgPerSec: 2, attackFlows: 100, halfOpen: 50, unanswered: 50, synAcks: 50, synAckRetrans: 0, answeredSyns: 50,
    stoppedAnswering: false, lastAnsweredNs: 59e9, afterLastAnswer: 0, synAckRateAtEnd: 50, endWindowSec: 10, reusedPortSyns: 0,
    neverCompleted: 1, onePacket: 0, spread: { sources: 1, wideNets: 1, narrowNets: 1 }, impact: impact({}), ...over,
  };
}

describe('report slips', () => {
  test('DNS: "first ICMP error" is the first error (t+3.906), not the first query (t+0.000)', () => {
    const f = finding({
      kind: 'unreachable-service', startTs: String(BASE), endTs: String(BASE + 31_000_000_000n),
      details: { firstRequestTsNs: String(BASE), firstErrorTsNs: String(BASE + 3_906_000_000n), lastErrorTsNs: String(BASE + 31_000_000_000n) },
    });
    const text = whenOccurredText(f, facts);
    assert.match(text, /first ICMP error at \S+ \S+ UTC \(t\+3\.906 s\)/);
    assert.doesNotMatch(text, /first ICMP error at [^,]*t\+0\.000/);
    assert.match(text, /sent earlier, at [^)]*t\+0\.000 s/);
  });

  test('handshake time: equal printed values say "unchanged", never "rose from 0.3 ms to 0.3 ms"', () => {
    const same = handshakeTimeText(0.31, 0.34);
    assert.match(same, /unchanged at 0\.3 ms/);
    assert.doesNotMatch(same, /rose|fell/);
    assert.match(handshakeTimeText(0.3, 412.5), /rose from 0\.3 ms before the attack to 412\.5 ms/);
    assert.match(handshakeTimeText(5, 1), /fell from 5 ms/);
    assert.equal(handshakeTimeText(null, 3), '');
    const text = synFloodText(synFacts({ impact: impact({ baselineClients: 3, impactedClients: 1, unanswered: 1,
      clients: [{ addr: '192.0.2.9', unanswered: 1, synRetransmissions: 3, resets: 0, http5xx: 0, slow: 0, firstNs: 1, lastNs: 2 }],
      baselineHandshakeMs: 0.3, attackHandshakeMs: 0.3 }) })).explanation;
    assert.doesNotMatch(text, /rose from 0\.3 ms to 0\.3 ms|rose from 0\.3 ms before the attack to 0\.3 ms/);
    assert.match(text, /unchanged/);
  });

  test('"stopped answering as its backlog filled" only when the data says so', () => {
    const kept = finding({ metrics: { synAcks: 2990 }, details: { answering: { stopped: false, lastAnsweredTsNs: String(BASE + 59_990_000_000n), afterLastAnswer: 0, synAckRateAtEnd: 49.8, endWindowSec: 10 } } });
    const keptText = answeringText(kept, facts);
    assert.doesNotMatch(keptText, /stopped/);
    assert.match(keptText, /kept answering to the end of the attack \(about 49\.8 SYN\/ACKs per second in its last 10 s\)/);
    const stopped = finding({ metrics: { synAcks: 900 }, details: { answering: { stopped: true, lastAnsweredTsNs: String(BASE + 15_000_000_000n), afterLastAnswer: 2700, synAckRateAtEnd: 0, endWindowSec: 10 } } });
    assert.match(answeringText(stopped, facts), /then stopped answering after .*?t\+15\.000 s\): the 2,700 attack SYNs that followed got no reply/);
    assert.match(answeringText(finding({ metrics: { synAcks: 0 } }), facts), /no SYN\/ACK/);
    // The detector's own prose agrees.
    assert.match(synFloodText(synFacts({})).explanation, /kept answering to the end of the attack: about 50 new SYN\/ACKs per second/);
  });

  test('"No legitimate client traffic" is not written beside counted clients', () => {
    const text = synFloodText(synFacts({ impact: impact({ baselineClients: 80, baselineHandshakeMs: 0.3, attackHandshakeMs: 0.3 }) })).explanation;
    assert.doesNotMatch(text, /No legitimate client traffic/);
    assert.match(text, /80 clients had completed handshakes with 192\.0\.2\.1 before the attack, and none of them saw a failed connection/);
    assert.match(synFloodText(synFacts({})).explanation, /No legitimate client traffic/);
  });

  test('"12,948 SYNs in 11,688 attempts; not one retransmitted" explains the reused ports', () => {
    const cell = synStepText({ syn: 12948, attempts: 11688 }, 0);
    assert.match(cell, /^12,948 SYNs in 11,688 connection attempts: 1,260 reused the source port of an earlier attempt/);
    assert.match(cell, /not retransmissions/);
    assert.equal(synStepText({ syn: 10, attempts: 10 }, 0), '10 SYNs in 10 connection attempts');
    assert.match(synStepText({ syn: 12, attempts: 10 }, 2), /: 2 retransmitted$/);
    assert.match(reusedPortsText(1260, 12948, 11688), /The 12,948 SYNs fall into 11,688 attempts because 1,260 of them reused the source port/);
    const text = synFloodText(synFacts({ attackSyns: 12948, attackFlows: 11688, reusedPortSyns: 1260 })).explanation;
    assert.match(text, /not one SYN was retransmitted[^.]*\. The 12,948 SYNs fall into 11,688 attempts because 1,260/);
  });
});
