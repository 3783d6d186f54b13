import type { DnsSummary } from '../decode/packet-summary';
import { nsOf } from './time-ns';

export interface DnsTransaction {
  queryPacketId: number | null;
  responsePacketId: number | null;
  flowId: number | null;
  clientId: number; serverId: number;
  txid: number; qname: string; qtype: number;
  rcode: number | null;
  /** As stored in dns_tx_rows.answers (migration 0010): see compactAnswers. */
  answers: string;
  queryTsNs: bigint | null;
  responseTsNs: bigint | null;
  rttNs: bigint | null;
  status: 'answered' | 'unanswered' | 'response-only';
}

interface Pending {
  packetId: number; flowId: number; clientId: number; serverId: number;
  txid: number; qname: string; qtype: number; tsSec: number; tsNsec: number; t: number;
}

/** A query with no response after this long is reported unanswered (seconds). */
const DNS_TIMEOUT_S = 10;
/** Bound on queries awaiting an answer: a flood of queries must not grow memory without limit. */
const MAX_PENDING = 100_000;

/** Pairs DNS queries with responses by (client, client port, server, server port, id). */
export class DnsMatcher {
  private readonly pending = new Map<string, Pending>();
  private done: DnsTransaction[] = [];

  observe(d: DnsSummary, packetId: number, flowId: number, src: string, sport: number, dst: string, dport: number,
    srcId: number, dstId: number, tsSec: number, tsNsec: number): void {
    const t = tsSec + tsNsec / 1e9;
    if (!d.isResponse) {
      const key = `${src}|${sport}|${dst}|${dport}|${d.id}`;
      const prev = this.pending.get(key);
      if (prev) this.done.push(unanswered(prev)); // a retry with the same id: the earlier one went unanswered
      this.pending.set(key, { packetId, flowId, clientId: srcId, serverId: dstId, txid: d.id, qname: d.qname, qtype: d.qtype, tsSec, tsNsec, t });
      if (this.pending.size > MAX_PENDING) this.expire(Infinity, this.pending.size - MAX_PENDING);
      return;
    }
    const key = `${dst}|${dport}|${src}|${sport}|${d.id}`;
    const q = this.pending.get(key);
    if (q) {
      this.pending.delete(key);
      const qts = nsOf(q.tsSec, q.tsNsec), rts = nsOf(tsSec, tsNsec);
      const qname = q.qname || d.qname;
      this.done.push({
        queryPacketId: q.packetId, responsePacketId: packetId, flowId: q.flowId >= 0 ? q.flowId : null,
        clientId: q.clientId, serverId: q.serverId, txid: d.id, qname, qtype: q.qtype,
        rcode: d.rcode, answers: compactAnswers(d.answers, qname), queryTsNs: qts, responseTsNs: rts, rttNs: rts - qts, status: 'answered',
      });
    } else {
      this.done.push({
        queryPacketId: null, responsePacketId: packetId, flowId: flowId >= 0 ? flowId : null, clientId: dstId, serverId: srcId,
        txid: d.id, qname: d.qname, qtype: d.qtype, rcode: d.rcode, answers: compactAnswers(d.answers, d.qname), queryTsNs: null,
        responseTsNs: nsOf(tsSec, tsNsec), rttNs: null, status: 'response-only',
      });
    }
    if (this.pending.size > 0 && (this.done.length & 1023) === 0) this.expire(t - DNS_TIMEOUT_S, Infinity);
  }

  /** Report queries older than `before` (seconds) as unanswered, at most `max` of them. */
  private expire(before: number, max: number): void {
    let n = 0;
    for (const [key, q] of this.pending) {
      if (n >= max) break;
      if (q.t >= before) continue;
      this.pending.delete(key);
      this.done.push(unanswered(q));
      n++;
    }
  }

  take(): DnsTransaction[] {
    const out = this.done;
    this.done = [];
    return out;
  }

  finish(): DnsTransaction[] {
    this.expire(Infinity, Infinity);
    return this.take();
  }
}

function unanswered(q: Pending): DnsTransaction {
  return {
    queryPacketId: q.packetId, responsePacketId: null, flowId: q.flowId >= 0 ? q.flowId : null,
    clientId: q.clientId, serverId: q.serverId, txid: q.txid, qname: q.qname, qtype: q.qtype, rcode: null,
    answers: '[]', queryTsNs: nsOf(q.tsSec, q.tsNsec), responseTsNs: null, rttNs: null, status: 'unanswered',
  };
}

/**
 * A transaction's answers as dns_tx_rows stores them (migration 0010): [type, ttl, data] arrays, with
 * the owner name as a fourth element only when it is not the query name (nearly always it is). The
 * dns_transactions view puts the {name, type, ttl, data} objects back together.
 */
export function compactAnswers(answers: DnsSummary['answers'], qname: string): string {
  if (answers.length === 0) return '[]';
  return JSON.stringify(answers.map((a) => (a.name === qname ? [a.type, a.ttl, a.data] : [a.type, a.ttl, a.data, a.name])));
}
