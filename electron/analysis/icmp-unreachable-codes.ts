/**
 * What an ICMP destination-unreachable code says, and which causes an analyst should check.
 * RFC 792 and RFC 1812 §5.2.7.1 (ICMPv4 type 3), RFC 4443 §3.1 (ICMPv6 type 1).
 */

export interface UnreachableMeaning {
  name: string;
  /** Who is saying it and what it implies. */
  meaning: string;
  causes: string[];
}

const V4: Record<number, UnreachableMeaning> = {
  0: { name: 'network unreachable', meaning: 'a router has no route to the destination network', causes: ['a routing problem or a withdrawn route between the client and the server', 'the destination network being down'] },
  1: { name: 'host unreachable', meaning: 'the last router could not deliver to the host (no ARP/ND answer)', causes: ['the server being powered off, disconnected or crashed', 'a wrong server address configured on the clients'] },
  2: { name: 'protocol unreachable', meaning: 'the host does not speak this IP protocol', causes: ['the protocol not being enabled on the host'] },
  3: { name: 'port unreachable', meaning: 'the host is up, but no program is listening on that port', causes: [] },
  9: { name: 'network administratively prohibited', meaning: 'a firewall forbids traffic to that network', causes: ['a firewall rule rejecting the traffic'] },
  10: { name: 'host administratively prohibited', meaning: 'a firewall forbids traffic to that host', causes: ['a firewall rule rejecting the traffic'] },
  13: { name: 'communication administratively prohibited', meaning: 'a firewall filters the traffic (RFC 1812)', causes: ['a firewall or ACL rejecting the traffic (iptables REJECT, router ACL)'] },
};

const V6: Record<number, UnreachableMeaning> = {
  0: V4[0],
  1: { name: 'communication administratively prohibited', meaning: 'a firewall filters the traffic', causes: ['a firewall or ACL rejecting the traffic'] },
  3: { name: 'address unreachable', meaning: 'the destination address could not be resolved on its link (no Neighbor Discovery answer)', causes: V4[1].causes },
  4: V4[3],
  5: { name: 'source address failed ingress/egress policy', meaning: 'a router filtered the packet by its source address', causes: ['source address filtering (BCP 38) on the path'] },
  6: { name: 'reject route to destination', meaning: 'a router has a reject route for the destination', causes: ['a deliberate reject route'] },
};

export function unreachableMeaning(icmpVer: number, code: number): UnreachableMeaning {
  return (icmpVer === 6 ? V6 : V4)[code] ?? { name: `unreachable (code ${code})`, meaning: 'the destination could not be reached', causes: [] };
}

/** ICMPv4 code 4 is "fragmentation needed": path-MTU discovery, not an unreachable service. */
export function isServiceUnreachable(icmpVer: number, type: number, code: number): boolean {
  return icmpVer === 6 ? type === 1 : type === 3 && code !== 4;
}
