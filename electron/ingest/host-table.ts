import { nsOf } from './time-ns';

export interface HostRecord {
  addrId: number;
  ipVersion: number;
  macs: string[];
  pktsSent: number; bytesSent: number; pktsRecv: number; bytesRecv: number;
  firstTsNs: bigint; lastTsNs: bigint;
}

interface HostState {
  addrId: number; ipVersion: number; macs: string[];
  pktsSent: number; bytesSent: number; pktsRecv: number; bytesRecv: number;
  firstSec: number; firstNsec: number; lastSec: number; lastNsec: number;
}

/** Up to this many MACs are remembered per address: more than a few already says "spoofed or routed". */
const MAX_MACS = 8;

/** Per-IP traffic totals (NetworkMiner's "hosts"). One entry per address seen as source or destination. */
export class HostTable {
  private readonly hosts = new Map<number, HostState>();

  observe(srcId: number, dstId: number, ipVersion: number, srcMac: string, wireLen: number, tsSec: number, tsNsec: number): void {
    const s = this.get(srcId, ipVersion, tsSec, tsNsec);
    s.pktsSent++; s.bytesSent += wireLen;
    if (srcMac && s.macs.length < MAX_MACS && !s.macs.includes(srcMac)) s.macs.push(srcMac);
    const d = this.get(dstId, ipVersion, tsSec, tsNsec);
    d.pktsRecv++; d.bytesRecv += wireLen;
  }

  private get(id: number, ipVersion: number, tsSec: number, tsNsec: number): HostState {
    let h = this.hosts.get(id);
    if (h === undefined) {
      h = { addrId: id, ipVersion, macs: [], pktsSent: 0, bytesSent: 0, pktsRecv: 0, bytesRecv: 0, firstSec: tsSec, firstNsec: tsNsec, lastSec: tsSec, lastNsec: tsNsec };
      this.hosts.set(id, h);
      return h;
    }
    if (tsSec < h.firstSec || (tsSec === h.firstSec && tsNsec < h.firstNsec)) { h.firstSec = tsSec; h.firstNsec = tsNsec; }
    if (tsSec > h.lastSec || (tsSec === h.lastSec && tsNsec > h.lastNsec)) { h.lastSec = tsSec; h.lastNsec = tsNsec; }
    return h;
  }

  records(): HostRecord[] {
    const out: HostRecord[] = [];
    for (const h of this.hosts.values()) {
      out.push({
        addrId: h.addrId, ipVersion: h.ipVersion, macs: h.macs,
        pktsSent: h.pktsSent, bytesSent: h.bytesSent, pktsRecv: h.pktsRecv, bytesRecv: h.bytesRecv,
        firstTsNs: nsOf(h.firstSec, h.firstNsec), lastTsNs: nsOf(h.lastSec, h.lastNsec),
      });
    }
    return out;
  }
}
