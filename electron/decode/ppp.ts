/*
 * PPP (RFC 1661) as LINKTYPE_PPP (9) and in HDLC-like framing (RFC 1662, LINKTYPE_PPP_HDLC 50), and
 * PPPoE (RFC 2516): discovery (ethertype 0x8863) and session (0x8864). Network protocols inside
 * PPP continue through the ethertype table; control protocols (LCP, IPCP...) are named here.
 */
import { NEXT_ETHERTYPE, type DecodeContext } from './decode-context';
import { addField, addLayer } from './layer-tree';
import { PKT_MALFORMED, PKT_TRUNCATED } from './packet-summary';
import { hex, u16 } from './read-bytes';

/** PPP protocol numbers (IANA PPP DLL protocol numbers) carried on as an ethertype. */
const PPP_NETWORK = new Map<number, number>([
  [0x0021, 0x0800], // IPv4
  [0x0057, 0x86dd], // IPv6
  [0x0281, 0x8847], // MPLS unicast
  [0x0283, 0x8848], // MPLS multicast
]);

/** Control protocols, by the name Wireshark's Protocol column gives them. */
const PPP_CONTROL = new Map<number, string>([
  [0xc021, 'PPP LCP'], [0x8021, 'PPP IPCP'], [0x8057, 'PPP IPV6CP'], [0x80fd, 'PPP CCP'], [0xc023, 'PPP PAP'],
  [0xc223, 'PPP CHAP'], [0x8281, 'PPP MPLSCP'], [0xc025, 'PPP LQR'], [0x8207, 'PPP CDPCP'],
]);

/** LCP/NCP codes (RFC 1661 §5); IPCP and the other NCPs use codes 1-7. */
const CP_CODES = ['', 'Configuration Request', 'Configuration Ack', 'Configuration Nak', 'Configuration Reject',
  'Termination Request', 'Termination Ack', 'Code Reject', 'Protocol Reject', 'Echo Request', 'Echo Reply',
  'Discard Request', 'Identification', 'Time Remaining'];

/** LINKTYPE_PPP: the address/control bytes (0xff 0x03) may be present or compressed away (RFC 1661 §6.6). */
export function decodePpp(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  if (ctx.end - o >= 2 && d[o] === 0xff && d[o + 1] === 0x03) {
    if (ctx.tree !== null) {
      const layer = addLayer(ctx.tree, 'PPP in HDLC-like framing', o, 2);
      addField(layer, 'Address: 0xff', o, 1);
      addField(layer, 'Control: 0x03', o + 1, 1);
    }
    ctx.offset = o + 2;
  }
  decodePppProtocol(ctx);
}

/** LINKTYPE_PPP_HDLC: RFC 1662 framing, address 0xff and control 0x03 before the protocol. */
export function decodePppHdlc(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  if (ctx.end - o < 2) return truncated(ctx, 'PPP', 'PPP HDLC header truncated');
  if (ctx.tree !== null) {
    const layer = addLayer(ctx.tree, 'PPP in HDLC-like framing', o, 2);
    addField(layer, 'Address: ' + hex(d[o], 2), o, 1);
    addField(layer, 'Control: ' + hex(d[o + 1], 2), o + 1, 1);
  }
  ctx.offset = o + 2;
  decodePppProtocol(ctx);
}

/** The PPP protocol field (1 byte when its low bit is set: protocol-field compression) and what follows. */
function decodePppProtocol(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  out.protocol = 'PPP';
  if (ctx.end - o < 1) return truncated(ctx, 'PPP', 'PPP protocol field truncated');
  const short = (d[o] & 1) === 1;
  if (!short && ctx.end - o < 2) return truncated(ctx, 'PPP', 'PPP protocol field truncated');
  const proto = short ? d[o] : u16(d, o);
  const len = short ? 1 : 2;
  if (ctx.tree !== null) addField(addLayer(ctx.tree, 'Point-to-Point Protocol', o, len), 'Protocol: ' + hex(proto, 4), o, len);
  ctx.offset = o + len;
  const etherType = PPP_NETWORK.get(proto);
  if (etherType !== undefined) {
    ctx.next = NEXT_ETHERTYPE;
    ctx.nextKey = etherType;
    return;
  }
  const control = PPP_CONTROL.get(proto);
  if (control !== undefined) return decodeControlProtocol(ctx, control);
  out.info = 'PPP protocol ' + hex(proto, 4) + ' (not decoded)';
}

/** LCP, IPCP and the other control protocols share one packet format (RFC 1661 §5). */
function decodeControlProtocol(ctx: DecodeContext, name: string): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  out.protocol = name;
  if (ctx.end - o < 4) return truncated(ctx, name, name + ' header truncated');
  const code = d[o];
  const id = d[o + 1];
  const length = u16(d, o + 2);
  const isAuth = name === 'PPP PAP' || name === 'PPP CHAP';
  out.info = isAuth ? authCode(name, code) : (CP_CODES[code] || 'Unknown code ' + code);
  if (length < 4) out.flags |= PKT_MALFORMED;
  if (ctx.tree !== null) {
    const layer = addLayer(ctx.tree, name, o, Math.min(Math.max(length, 4), ctx.end - o));
    addField(layer, 'Code: ' + out.info + ' (' + code + ')', o, 1);
    addField(layer, 'Identifier: ' + id, o + 1, 1);
    addField(layer, 'Length: ' + length, o + 2, 2);
  }
}

function authCode(name: string, code: number): string {
  if (name === 'PPP PAP') return ['', 'Authenticate-Request', 'Authenticate-Ack', 'Authenticate-Nak'][code] || 'Unknown code ' + code;
  return ['', 'Challenge', 'Response', 'Success', 'Failure'][code] || 'Unknown code ' + code;
}

const PPPOE_HEADER = 6;

/** PPPoE discovery codes (RFC 2516 §5), as Wireshark's Info names them. */
const DISCOVERY = new Map<number, string>([
  [0x09, 'Active Discovery Initiation (PADI)'], [0x07, 'Active Discovery Offer (PADO)'],
  [0x19, 'Active Discovery Request (PADR)'], [0x65, 'Active Discovery Session-confirmation (PADS)'],
  [0xa7, 'Active Discovery Terminate (PADT)'],
]);

export function decodePppoeDiscovery(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  out.protocol = 'PPPoED';
  if (ctx.end - o < PPPOE_HEADER) return truncated(ctx, 'PPPoED', 'PPPoE discovery header truncated');
  const code = d[o + 1];
  const session = u16(d, o + 2);
  const length = u16(d, o + 4);
  out.info = DISCOVERY.get(code) ?? 'Unknown PPPoE discovery code ' + hex(code, 2);
  if (o + PPPOE_HEADER + length > ctx.wireEnd) out.flags |= PKT_MALFORMED;
  if (ctx.tree !== null) {
    const layer = addLayer(ctx.tree, 'PPP-over-Ethernet Discovery', o, Math.min(PPPOE_HEADER + length, ctx.end - o));
    pppoeFields(layer, d, o, code, session, length);
  }
}

export function decodePppoeSession(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  out.protocol = 'PPPoES';
  if (ctx.end - o < PPPOE_HEADER) return truncated(ctx, 'PPPoES', 'PPPoE session header truncated');
  const session = u16(d, o + 2);
  const length = u16(d, o + 4);
  if (ctx.tree !== null) pppoeFields(addLayer(ctx.tree, 'PPP-over-Ethernet Session', o, PPPOE_HEADER), d, o, d[o + 1], session, length);
  ctx.offset = o + PPPOE_HEADER;
  // The payload length bounds the PPP frame: Ethernet padding follows it.
  const end = ctx.offset + length;
  if (end < ctx.end) ctx.end = end;
  if (end < ctx.wireEnd) ctx.wireEnd = end;
  out.info = 'PPPoE session ' + hex(session, 4);
  decodePppProtocol(ctx);
}

function pppoeFields(layer: ReturnType<typeof addLayer>, d: Uint8Array, o: number, code: number, session: number, length: number): void {
  addField(layer, 'Version: ' + (d[o] >> 4) + ', Type: ' + (d[o] & 15), o, 1);
  addField(layer, 'Code: ' + hex(code, 2), o + 1, 1);
  addField(layer, 'Session ID: ' + hex(session, 4), o + 2, 2);
  addField(layer, 'Payload Length: ' + length, o + 4, 2);
}

function truncated(ctx: DecodeContext, protocol: string, info: string): void {
  ctx.out.protocol = protocol;
  ctx.out.flags |= ctx.wireEnd > ctx.end ? PKT_TRUNCATED : PKT_MALFORMED;
  ctx.out.info = info;
  if (ctx.tree !== null) addLayer(ctx.tree, info, ctx.offset, Math.max(0, ctx.end - ctx.offset));
}
