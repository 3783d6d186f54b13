/** ICMP destination-unreachable errors as the unreachable-service detector reads and groups them. */

/** One stored ICMP error (icmp_errors joined to its packet), in the detector's column names. */
export interface ErrRow {
  id: number; t: number; icmp_ver: number; type: number; code: number; reporter: string;
  orig_src: string | null; orig_dst: string | null; orig_proto: number | null; orig_sport: number | null; orig_dport: number | null;
  orig_flow_id: number | null; dns_qname: string | null;
}

/** The errors about one service, in one direction (see unreachable-service.ts#sideOf). */
export interface UnreachableGroup {
  direction: 'request' | 'response';
  service: string; proto: number; port: number;
  errors: ErrRow[];
}
