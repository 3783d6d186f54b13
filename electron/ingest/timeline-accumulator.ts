import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../decode/packet-summary';

export type TimelineDelta = Array<[bucket: number, dim: 'proto' | 'tcp', key: string, packets: number, bytes: number]>;

/** TCP flag class used by the timeline's "by flag" view. */
export function tcpFlagClass(ipProto: number, flags: number): string {
  if (ipProto !== 6) return 'non-tcp';
  if (flags & TCP_RST) return 'rst';
  if (flags & TCP_SYN) return flags & TCP_ACK ? 'synack' : 'syn';
  if (flags & TCP_FIN) return 'fin';
  return 'other';
}

/**
 * Per-second packet and byte counts by protocol and by TCP flag class. The worker sends the
 * counts touched since the last batch, so the stored timeline grows while indexing.
 */
export class TimelineAccumulator {
  private counts = new Map<string, [number, number]>();

  observe(tsSec: number, protocol: string, ipProto: number, tcpFlags: number, wireLen: number): void {
    this.add(`${tsSec}\u0000proto\u0000${protocol}`, wireLen);
    this.add(`${tsSec}\u0000tcp\u0000${tcpFlagClass(ipProto, tcpFlags)}`, wireLen);
  }

  private add(key: string, bytes: number): void {
    const c = this.counts.get(key);
    if (c) { c[0]++; c[1] += bytes; } else this.counts.set(key, [1, bytes]);
  }

  takeDelta(): TimelineDelta {
    const out: TimelineDelta = [];
    for (const [k, [p, b]] of this.counts) {
      const [bucket, dim, key] = k.split('\u0000');
      out.push([Number(bucket), dim as 'proto' | 'tcp', key, p, b]);
    }
    this.counts = new Map();
    return out;
  }
}
