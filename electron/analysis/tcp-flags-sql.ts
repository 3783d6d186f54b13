/** SQL tests on a packet's TCP flags, shared by the TCP detectors. */
import { TCP_ACK, TCP_SYN } from '../decode/packet-summary';

/** A bare SYN (SYN set, ACK clear): a connection attempt. `column`: the flags column (`p.tcp_flags` in a join). */
export function synOnly(column = 'tcp_flags'): string {
  return `(${column} & ${TCP_SYN | TCP_ACK}) = ${TCP_SYN}`;
}

/** SYN and ACK set: the answer to a SYN (step 2 of the handshake). */
export function synAck(column = 'tcp_flags'): string {
  return `(${column} & ${TCP_SYN | TCP_ACK}) = ${TCP_SYN | TCP_ACK}`;
}
