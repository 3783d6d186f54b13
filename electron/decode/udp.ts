/*
 * UDP (RFC 768). The length field bounds the payload handed to the application decoder.
 */
import { NEXT_UDP_PAYLOAD, type DecodeContext } from './decode-context';
import { addField, addLayer } from './layer-tree';
import { PKT_MALFORMED, PKT_TRUNCATED } from './packet-summary';
import { hex, u16 } from './read-bytes';

const HEADER = 8;

export function decodeUdp(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  const avail = ctx.end - o;
  if (!ctx.ipFragment && avail > 0) out.protocol = 'UDP';
  if (avail < HEADER) {
    out.flags |= ctx.wireEnd - o >= HEADER ? PKT_TRUNCATED : PKT_MALFORMED;
    if (avail >= 4) {
      out.sport = ctx.sport = u16(d, o);
      out.dport = ctx.dport = u16(d, o + 2);
    }
    if (!ctx.ipFragment) out.info = 'UDP header truncated (' + Math.max(avail, 0) + ' of 8 bytes)';
    if (ctx.tree !== null) addLayer(ctx.tree, 'User Datagram Protocol [truncated]', o, Math.max(avail, 0));
    return;
  }
  const sport = u16(d, o);
  const dport = u16(d, o + 2);
  const len = u16(d, o + 4);
  out.sport = ctx.sport = sport;
  out.dport = ctx.dport = dport;
  if (ctx.tree !== null) {
    const layer = addLayer(ctx.tree, 'User Datagram Protocol, Src Port: ' + sport + ', Dst Port: ' + dport, o, HEADER);
    addField(layer, 'Source Port: ' + sport, o, 2);
    addField(layer, 'Destination Port: ' + dport, o + 2, 2);
    addField(layer, 'Length: ' + len, o + 4, 2);
    addField(layer, 'Checksum: ' + hex(u16(d, o + 6), 4), o + 6, 2);
  }
  // The first fragment's UDP length covers the whole datagram, not this fragment.
  if (ctx.ipFragment) return;
  // RFC 2675 §4: in an IPv6 jumbogram the UDP length is 0 and the IP payload length counts.
  const jumbo = len === 0 && out.ipVersion === 6 && ctx.wireEnd - o > 65535;
  if (len < HEADER && !jumbo) {
    out.flags |= PKT_MALFORMED;
    out.info = sport + ' → ' + dport + ' Bogus UDP length (' + len + ', must be at least 8)';
    return;
  }
  let udpEnd = jumbo ? ctx.wireEnd : o + len;
  if (udpEnd > ctx.wireEnd) {
    // The length claims more than the IP payload holds.
    out.flags |= PKT_MALFORMED;
    out.info = sport + ' → ' + dport + ' Bad length value ' + len + ' > IP payload length ' + (ctx.wireEnd - o);
    udpEnd = ctx.wireEnd;
  } else {
    out.info = sport + ' → ' + dport + ' Len=' + (udpEnd - o - HEADER);
  }
  out.payloadLen = udpEnd - o - HEADER;
  ctx.wireEnd = udpEnd;
  if (udpEnd < ctx.end) ctx.end = udpEnd;
  if (ctx.end > o + HEADER) {
    ctx.offset = o + HEADER;
    ctx.next = NEXT_UDP_PAYLOAD;
  }
}
