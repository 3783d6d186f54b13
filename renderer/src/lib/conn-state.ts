/**
 * Zeek's conn_state codes in words, as Zeek's conn.log documentation gives them
 * (base/protocols/conn/main.zeek, `conn_state`).
 */
export const CONN_STATES: ReadonlyArray<readonly [code: string, meaning: string]> = [
  ['S0', 'Connection attempt seen, no reply.'],
  ['S1', 'Connection established, not terminated. Zeek counts SYN + SYN-ACK as established, so a half-open attempt (the final ACK never came) shows S1.'],
  ['SF', 'Normal establishment and termination.'],
  ['REJ', 'Connection attempt rejected (the responder answered the SYN with a reset).'],
  ['S2', 'Connection established and close attempt by the originator seen (but no reply from the responder).'],
  ['S3', 'Connection established and close attempt by the responder seen (but no reply from the originator).'],
  ['RSTO', 'Connection established, the originator aborted (sent a RST).'],
  ['RSTR', 'The responder sent a RST.'],
  ['RSTOS0', 'The originator sent a SYN followed by a RST; no SYN-ACK from the responder was seen.'],
  ['RSTRH', 'The responder sent a SYN-ACK followed by a RST; no SYN from the (purported) originator was seen.'],
  ['SH', 'The originator sent a SYN followed by a FIN; no SYN-ACK from the responder was seen (the connection was half open).'],
  ['SHR', 'The responder sent a SYN-ACK followed by a FIN; no SYN from the originator was seen.'],
  ['OTH', 'No SYN seen, just midstream traffic (for example a partial connection that was not later closed).'],
];

const BY_CODE = new Map(CONN_STATES);

/** The meaning of a state code, or a sentence saying it is not a TCP state (UDP/ICMP flows have none). */
export function connStateMeaning(code: string | null): string {
  if (!code) return 'No TCP state (not a TCP flow).';
  return BY_CODE.get(code) ?? `State ${code}.`;
}
