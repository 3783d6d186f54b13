import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../decode/packet-summary';

export type TimelineDelta = Array<[bucket: number, dim: 'proto' | 'tcp', key: string, packets: number, bytes: number]>;

/** TCP flag class used by the timeline's "by flag" view. */
function tcpFlagClass(ipProto: number, flags: number): string {
  if (ipProto !== 6) return 'non-tcp';
  if (flags & TCP_RST) return 'rst';
  if (flags & TCP_SYN) return flags & TCP_ACK ? 'synack' : 'syn';
  if (flags & TCP_FIN) return 'fin';
  return 'other';
}

type Counts = Map<string, [packets: number, bytes: number]>;

/**
 * Per-second packet and byte counts by protocol and by TCP flag class. The worker sends the
 * counts touched since the last batch, so the stored timeline grows while indexing.
 * Packets mostly arrive in time order, so the current second's maps are kept at hand and the
 * per-packet work is two small map lookups on short, interned strings.
 */
export class TimelineAccumulator {
  private buckets = new Map<number, { proto: Counts; tcp: Counts }>();
  private curSec = Number.NaN;
  private cur: { proto: Counts; tcp: Counts } | null = null;

  observe(tsSec: number, protocol: string, ipProto: number, tcpFlags: number, wireLen: number): void {
    if (tsSec !== this.curSec || this.cur === null) {
      this.curSec = tsSec;
      let b = this.buckets.get(tsSec);
      if (!b) { b = { proto: new Map(), tcp: new Map() }; this.buckets.set(tsSec, b); }
      this.cur = b;
    }
    add(this.cur.proto, protocol, wireLen);
    add(this.cur.tcp, tcpFlagClass(ipProto, tcpFlags), wireLen);
  }

  takeDelta(): TimelineDelta {
    const out: TimelineDelta = [];
    for (const [sec, b] of this.buckets) {
      for (const [key, [p, by]] of b.proto) out.push([sec, 'proto', key, p, by]);
      for (const [key, [p, by]] of b.tcp) out.push([sec, 'tcp', key, p, by]);
    }
    this.buckets = new Map();
    this.cur = null;
    return out;
  }
}

function add(m: Counts, key: string, bytes: number): void {
  const c = m.get(key);
  if (c) { c[0]++; c[1] += bytes; } else m.set(key, [1, bytes]);
}
