/*
 * MPLS label stack (RFC 3032 §2.1), ethertypes 0x8847/0x8848: 4-byte entries until the bottom-of-stack
 * bit. The payload type is not named in the stack: like Wireshark, the first nibble decides
 * (4: IPv4, 6: IPv6); a zero nibble is a pseudowire control word (RFC 4385) before an Ethernet frame.
 */
import { NEXT_ETHERTYPE, type DecodeContext } from './decode-context';
import { ETHERTYPE_TEB } from './gre';
import { addField, addLayer } from './layer-tree';
import { PKT_MALFORMED, PKT_TRUNCATED } from './packet-summary';
import { u32 } from './read-bytes';

/** More labels than a real stack holds; stops a crafted endless stack. */
const MAX_LABELS = 16;

export function decodeMpls(ctx: DecodeContext): void {
  const d = ctx.data;
  let o = ctx.offset;
  const out = ctx.out;
  out.protocol = 'MPLS';
  const labels: number[] = [];
  for (;;) {
    if (ctx.end - o < 4) {
      out.flags |= ctx.wireEnd > ctx.end ? PKT_TRUNCATED : PKT_MALFORMED;
      out.info = 'MPLS label stack truncated';
      return;
    }
    const entry = u32(d, o);
    const label = entry >>> 12;
    const bottom = (entry >>> 8) & 1;
    labels.push(label);
    if (ctx.tree !== null) {
      const layer = addLayer(ctx.tree, 'MultiProtocol Label Switching Header, Label: ' + label + ', Exp: ' + ((entry >>> 9) & 7) + ', S: ' + bottom + ', TTL: ' + (entry & 255), o, 4);
      addField(layer, 'MPLS Label: ' + label, o, 3);
      addField(layer, 'MPLS Bottom Of Label Stack: ' + bottom, o + 2, 1);
      addField(layer, 'MPLS TTL: ' + (entry & 255), o + 3, 1);
    }
    o += 4;
    if (bottom) break;
    if (labels.length >= MAX_LABELS) {
      out.flags |= PKT_MALFORMED;
      out.info = 'MPLS label stack longer than ' + MAX_LABELS + ' entries';
      return;
    }
  }
  ctx.offset = o;
  out.info = 'MPLS Label ' + labels.join(', ');
  if (o >= ctx.end) return;
  const nibble = d[o] >> 4;
  if (nibble === 4 || nibble === 6) {
    ctx.next = NEXT_ETHERTYPE;
    ctx.nextKey = nibble === 4 ? 0x0800 : 0x86dd;
  } else if (nibble === 0 && ctx.end - o >= 4 + 14) {
    if (ctx.tree !== null) addField(addLayer(ctx.tree, 'PW Ethernet Control Word', o, 4), 'Sequence Number: ' + (u32(d, o) & 0xffff), o, 4);
    ctx.offset = o + 4;
    ctx.next = NEXT_ETHERTYPE;
    ctx.nextKey = ETHERTYPE_TEB;
  }
}
