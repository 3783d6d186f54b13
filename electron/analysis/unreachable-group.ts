/** ICMP destination-unreachable errors as the unreachable-service detector reads and groups them. */
import { EvidenceSet } from './finding';
import { IdSet } from './id-set';

/** One stored ICMP error (icmp_errors joined to its packet), in the detector's column names. */
export interface ErrRow {
  id: number; t: number; icmp_ver: number; type: number; code: number; reporter: string;
  orig_src: string | null; orig_dst: string | null; orig_proto: number | null; orig_sport: number | null; orig_dport: number | null;
  orig_flow_id: number | null; dns_qname: string | null;
}

/**
 * The errors about one service, in one direction (see unreachable-service.ts#sideOf), summed up as
 * they stream by in time order: a finding needs their counts, clients and quoted flows, not the rows.
 */
export class UnreachableGroup {
  count = 0;
  first = 0;
  last = 0;
  /** ICMP version of the first error. */
  icmpVer = 4;
  /** Some error came from an IPv6 reporter. */
  v6Reporter = false;
  readonly evidence = new EvidenceSet();
  readonly clients = new Map<string, { count: number; first: number; last: number }>();
  readonly codes = new Map<number, number>();
  readonly reporters = new Set<string>();
  /** Names quoted inside the errors (DNS queries). */
  readonly names = new Map<string, number>();
  /** The flows the quoted packets belong to. */
  readonly flowIds = new IdSet();

  constructor(readonly direction: 'request' | 'response', readonly service: string, readonly proto: number, readonly port: number) {}

  observe(e: ErrRow): void {
    if (this.count === 0) { this.first = e.t; this.icmpVer = e.icmp_ver; }
    this.last = e.t;
    this.count++;
    this.evidence.add('icmp-error', e.id);
    const client = (this.direction === 'request' ? e.orig_src : e.orig_dst) ?? '';
    const c = this.clients.get(client);
    if (c) { c.count++; c.last = e.t; } else this.clients.set(client, { count: 1, first: e.t, last: e.t });
    this.codes.set(e.code, (this.codes.get(e.code) ?? 0) + 1);
    this.reporters.add(e.reporter);
    if (e.reporter.includes(':')) this.v6Reporter = true;
    if (e.orig_flow_id !== null) this.flowIds.add(e.orig_flow_id);
    if (e.dns_qname) this.names.set(e.dns_qname, (this.names.get(e.dns_qname) ?? 0) + 1);
  }
}
