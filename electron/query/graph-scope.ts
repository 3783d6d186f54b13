/**
 * Which packet-list scopes the host graph can answer per flow instead of per packet.
 *
 * Every packet of a flow has the flow's two addresses (one as source, the other as destination),
 * its two ports, its IP version and transport, and its flow id. A filter that tests only those,
 * and tests source and destination alike (ip.addr, not ip.src), is therefore true for all of a
 * flow's packets or for none: the graph can then read each flow's totals, evaluating the filter
 * once per flow on a row that stands for the flow (PSEUDO_PACKET_SQL), instead of once per packet.
 * Anything else (flags, sizes, ICMP types that change within a flow, side tables, ip.src) goes
 * packet by packet. test/unit/query/graph-scope.test.ts checks both paths give the same graph.
 */
import { parseFilter, type Node } from './display-filter/parser';

/** Fields whose value is the same for every packet of a flow, whichever direction it travels. */
const FLOW_FIELDS = new Set([
  'frame', 'ip', 'ipv6', 'tcp', 'udp', 'icmp', 'icmpv6',
  'ip.addr', 'ipv6.addr', 'ip.proto', 'ipv6.nxt',
  'tcp.port', 'udp.port', 'tcp.stream', 'udp.stream',
]);

function flowInvariant(node: Node): boolean {
  switch (node.kind) {
    case 'and': case 'or': return node.items.every(flowInvariant);
    case 'not': return flowInvariant(node.item);
    case 'exists': case 'compare': case 'in': return FLOW_FIELDS.has(node.field.name.toLowerCase());
    case 'contains': case 'matches': case 'bitand': return false;
  }
}

/** Whether `filter` (already known to compile) holds for all or none of each flow's packets. */
export function filterIsPerFlow(filter: string | undefined): boolean {
  if (!filter?.trim()) return true;
  try {
    return flowInvariant(parseFilter(filter));
  } catch {
    return false; // the packet path reports the mistake
  }
}

/**
 * A flow seen as one of its packets (`p`, the alias display filters compile against), for the
 * fields in FLOW_FIELDS: originator as source, responder as destination, the IP version from the
 * address's length. Joined to `flows f` on `p.flow_id = f.id`.
 */
export const PSEUDO_PACKET_SQL = `SELECT id AS flow_id, orig_id AS src_id, resp_id AS dst_id, orig_port AS sport, resp_port AS dport, ip_proto,
  (SELECT CASE length(a.bin) WHEN 4 THEN 4 WHEN 16 THEN 6 ELSE 0 END FROM addrs a WHERE a.id = flows.orig_id) AS ip_ver
  FROM flows`;
