/*
 * Raw IP link types: LINKTYPE_RAW (101) picks IPv4 or IPv6 by the version nibble;
 * LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229) say which. No header of their own.
 */
import { NEXT_ETHERTYPE, type DecodeContext } from './decode-context';
import { addLayer } from './layer-tree';
import { PKT_MALFORMED, PKT_TRUNCATED } from './packet-summary';

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;

export function decodeRawIp(ctx: DecodeContext): void {
  const out = ctx.out;
  out.protocol = 'Raw IP';
  if (ctx.end - ctx.offset < 1) {
    out.flags |= PKT_TRUNCATED;
    out.info = 'Empty raw IP frame';
    return;
  }
  const version = ctx.data[ctx.offset] >> 4;
  if (version === 4) return next(ctx, ETHERTYPE_IPV4);
  if (version === 6) return next(ctx, ETHERTYPE_IPV6);
  out.flags |= PKT_MALFORMED;
  out.info = 'Raw IP frame with IP version ' + version + ' (not IPv4 or IPv6)';
  if (ctx.tree !== null) addLayer(ctx.tree, 'Raw packet data [IP version ' + version + ']', ctx.offset, ctx.end - ctx.offset);
}

export function decodeRawIpv4(ctx: DecodeContext): void {
  next(ctx, ETHERTYPE_IPV4);
}

export function decodeRawIpv6(ctx: DecodeContext): void {
  next(ctx, ETHERTYPE_IPV6);
}

function next(ctx: DecodeContext, etherType: number): void {
  ctx.next = NEXT_ETHERTYPE;
  ctx.nextKey = etherType;
}
