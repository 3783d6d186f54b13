/**
 * Zeek's conn_state vocabulary, derived from which handshake and teardown steps each side made.
 * The bits below are set by the flow table as packets arrive.
 */
export const O_SYN = 1;        // originator sent SYN (without ACK)
export const R_SYNACK = 2;     // responder sent SYN/ACK
export const O_ACK = 4;        // originator's ACK completed the handshake
export const O_FIN = 8;
export const R_FIN = 16;
export const O_RST = 32;
export const R_RST = 64;
export const O_DATA = 128;
export const R_DATA = 256;
export const R_ANY = 512;      // responder sent anything at all

export function connState(st: number): string {
  const oSyn = (st & O_SYN) !== 0;
  const rSynAck = (st & R_SYNACK) !== 0;
  if (oSyn && !rSynAck) {
    if (st & R_RST) return 'REJ';
    if (st & O_RST) return 'RSTOS0';
    if (st & O_FIN) return 'SH';
    return st & R_ANY ? 'OTH' : 'S0';
  }
  if (!oSyn && rSynAck) {
    if (st & R_RST) return 'RSTRH';
    if (st & R_FIN) return 'SHR';
    return 'OTH';
  }
  if (oSyn && rSynAck) {
    if (st & O_RST) return 'RSTO';
    if (st & R_RST) return 'RSTR';
    if ((st & O_FIN) && (st & R_FIN)) return 'SF';
    if (st & O_FIN) return 'S2';
    if (st & R_FIN) return 'S3';
    return 'S1';
  }
  return 'OTH';
}
