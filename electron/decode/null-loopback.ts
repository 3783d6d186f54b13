/*
 * BSD loopback link types. LINKTYPE_NULL (0): a 4-byte address family in the byte order of the host
 * that wrote the capture, which the reader cannot know, so both orders are tried. LINKTYPE_LOOP (108,
 * OpenBSD): the same field in network byte order.
 */
import { NEXT_ETHERTYPE, type DecodeContext } from './decode-context';
import { addField, addLayer } from './layer-tree';
import { PKT_TRUNCATED } from './packet-summary';
import { u32, u32le } from './read-bytes';

const AF_INET = 2;
/** AF_INET6 differs by OS: 24 NetBSD/OpenBSD/BSD/OS, 28 FreeBSD/DragonFly, 30 Darwin (tcpdump.org LINKTYPE_NULL). */
const AF_INET6_VALUES = [24, 28, 30];

export function decodeNullLoopback(ctx: DecodeContext): void {
  decode(ctx, false);
}

export function decodeOpenBsdLoop(ctx: DecodeContext): void {
  decode(ctx, true);
}

function decode(ctx: DecodeContext, networkOrder: boolean): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  out.protocol = 'Null';
  if (ctx.end - o < 4) {
    out.flags |= PKT_TRUNCATED;
    out.info = 'Loopback header truncated';
    if (ctx.tree !== null) addLayer(ctx.tree, 'Null/Loopback [truncated]', o, ctx.end - o);
    return;
  }
  // Families are small numbers: if the first two bytes are zero the value was written big-endian.
  const family = networkOrder || (d[o] === 0 && d[o + 1] === 0) ? u32(d, o) : u32le(d, o);
  ctx.offset = o + 4;
  let label: string;
  if (family === AF_INET) {
    label = 'IP (' + family + ')';
    ctx.next = NEXT_ETHERTYPE;
    ctx.nextKey = 0x0800;
  } else if (AF_INET6_VALUES.includes(family)) {
    label = 'IPv6 (' + family + ')';
    ctx.next = NEXT_ETHERTYPE;
    ctx.nextKey = 0x86dd;
  } else {
    label = 'Unknown (' + family + ')';
    out.info = 'Loopback address family ' + family + ' (not decoded)';
  }
  if (ctx.tree !== null) {
    const layer = addLayer(ctx.tree, 'Null/Loopback', o, 4);
    addField(layer, 'Family: ' + label, o, 4);
  }
}
