/*
 * ICMPv6 (RFC 4443), with Neighbor Discovery (RFC 4861) and MLD (RFC 2710, RFC 3810) named.
 * Errors (types 1-4) quote the offending packet "as much as fits" (RFC 4443 §2.4): it is decoded
 * like the ICMP quote. out.src/dst/ipProto stay those of the outer packet.
 */
import type { DecodeContext } from './decode-context';
import { hwAddrText, ipv6Text } from './format-address';
import { decodeQuotedDatagram } from './icmp';
import { addField, addLayer } from './layer-tree';
import { PKT_MALFORMED, PKT_TRUNCATED, type IcmpSummary, type TreeNode } from './packet-summary';
import { hex, u16 } from './read-bytes';

const HEADER = 8;

const TYPE_DEST_UNREACHABLE = 1;
const TYPE_PACKET_TOO_BIG = 2;
const TYPE_TIME_EXCEEDED = 3;
const TYPE_PARAMETER_PROBLEM = 4;
const TYPE_ECHO_REQUEST = 128;
const TYPE_ECHO_REPLY = 129;
const TYPE_ROUTER_SOLICITATION = 133;
const TYPE_ROUTER_ADVERTISEMENT = 134;
const TYPE_NEIGHBOR_SOLICITATION = 135;
const TYPE_NEIGHBOR_ADVERTISEMENT = 136;
const OPT_SOURCE_LL = 1;
const OPT_TARGET_LL = 2;

const TYPE_NAMES = new Map<number, string>([
  [1, 'Destination Unreachable'], [2, 'Packet Too Big'], [3, 'Time Exceeded'], [4, 'Parameter Problem'],
  [128, 'Echo (ping) request'], [129, 'Echo (ping) reply'], [130, 'Multicast Listener Query'],
  [131, 'Multicast Listener Report'], [132, 'Multicast Listener Done'], [133, 'Router Solicitation'],
  [134, 'Router Advertisement'], [135, 'Neighbor Solicitation'], [136, 'Neighbor Advertisement'], [137, 'Redirect'],
  [138, 'Router Renumbering'], [139, 'Node Information Query'], [140, 'Node Information Reply'],
  [141, 'Inverse Neighbor Discovery Solicitation'], [142, 'Inverse Neighbor Discovery Advertisement'],
  [143, 'Multicast Listener Report Message v2'], [144, 'Home Agent Address Discovery Request'],
  [145, 'Home Agent Address Discovery Reply'], [146, 'Mobile Prefix Solicitation'], [147, 'Mobile Prefix Advertisement'],
  [151, 'Multicast Router Advertisement'], [152, 'Multicast Router Solicitation'], [153, 'Multicast Router Termination'],
  [155, 'RPL Control'], [160, 'Extended Echo Request'], [161, 'Extended Echo Reply'],
]);

const UNREACHABLE_CODES = ['No route to destination', 'Administratively prohibited', 'Beyond scope of source address',
  'Address unreachable', 'Port unreachable', 'Source address failed ingress/egress policy', 'Reject route to destination',
  'Error in Source Routing Header'];
const TIME_EXCEEDED_CODES = ['hop limit exceeded in transit', 'fragment reassembly time exceeded'];
const PARAMETER_CODES = ['Erroneous header field encountered', 'Unrecognized Next Header type encountered',
  'Unrecognized IPv6 option encountered', 'IPv6 First Fragment has incomplete IPv6 Header Chain'];

export function decodeIcmpv6(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  const avail = ctx.end - o;
  if (!ctx.ipFragment && avail > 0) out.protocol = 'ICMPv6';
  if (avail < 4) {
    out.flags |= ctx.wireEnd - o >= 4 ? PKT_TRUNCATED : PKT_MALFORMED;
    if (!ctx.ipFragment) out.info = 'ICMPv6 header truncated';
    if (ctx.tree !== null) addLayer(ctx.tree, 'Internet Control Message Protocol v6 [truncated]', o, Math.max(avail, 0));
    return;
  }
  const type = d[o];
  const code = d[o + 1];
  const isError = type >= TYPE_DEST_UNREACHABLE && type <= TYPE_PARAMETER_PROBLEM;
  const icmp: IcmpSummary = { version: 6, type, code, isError, echoId: -1, echoSeq: -1 };
  out.icmp = icmp;
  let layer: TreeNode | null = null;
  if (ctx.tree !== null) {
    layer = addLayer(ctx.tree, 'Internet Control Message Protocol v6', o, avail);
    addField(layer, 'Type: ' + (TYPE_NAMES.get(type) ?? 'Unknown') + ' (' + type + ')', o, 1);
    addField(layer, codeLabel(type, code), o + 1, 1);
    addField(layer, 'Checksum: ' + hex(u16(d, o + 2), 4), o + 2, 2);
  }
  let info = typeText(type, code);
  if (avail < HEADER) {
    out.flags |= ctx.wireEnd - o >= HEADER ? PKT_TRUNCATED : PKT_MALFORMED;
    if (!ctx.ipFragment) out.info = info + ' [truncated]';
    return;
  }
  switch (type) {
    case TYPE_ECHO_REQUEST:
    case TYPE_ECHO_REPLY:
      icmp.echoId = u16(d, o + 4);
      icmp.echoSeq = u16(d, o + 6);
      info += ' id=' + hex(icmp.echoId, 4) + ', seq=' + icmp.echoSeq + ', hop limit=' + out.ttl;
      if (layer !== null) {
        addField(layer, 'Identifier: ' + hex(icmp.echoId, 4), o + 4, 2);
        addField(layer, 'Sequence: ' + icmp.echoSeq, o + 6, 2);
      }
      break;
    case TYPE_PACKET_TOO_BIG: {
      if (layer !== null) addField(layer, 'MTU: ' + ((u16(d, o + 4) * 65536) + u16(d, o + 6)), o + 4, 4);
      // RFC 4443 §3.2: it quotes the packet that was too big, like the other errors.
      const quoted = decodeQuotedDatagram(d, o + HEADER, ctx.end, ctx.tree, layer);
      if (quoted !== null) icmp.quoted = quoted;
      break;
    }
    case TYPE_ROUTER_SOLICITATION:
    case TYPE_ROUTER_ADVERTISEMENT: {
      const optStart = o + (type === TYPE_ROUTER_SOLICITATION ? 8 : 16);
      const ll = linkLayerOption(d, optStart, ctx.end, OPT_SOURCE_LL);
      if (ll !== '') info += ' from ' + ll;
      break;
    }
    case TYPE_NEIGHBOR_SOLICITATION:
    case TYPE_NEIGHBOR_ADVERTISEMENT: {
      if (o + 24 > ctx.end) {
        out.flags |= ctx.end < ctx.wireEnd ? PKT_TRUNCATED : PKT_MALFORMED;
        break;
      }
      const target = ipv6Text(d, o + 8);
      if (layer !== null) addField(layer, 'Target Address: ' + target, o + 8, 16);
      if (type === TYPE_NEIGHBOR_SOLICITATION) {
        info += ' for ' + target;
        const ll = linkLayerOption(d, o + 24, ctx.end, OPT_SOURCE_LL);
        if (ll !== '') info += ' from ' + ll;
      } else {
        // RFC 4861 §4.4: Router, Solicited, Override flags.
        const f = d[o + 4];
        const names: string[] = [];
        if (f & 0x80) names.push('rtr');
        if (f & 0x40) names.push('sol');
        if (f & 0x20) names.push('ovr');
        info += ' ' + target + (names.length > 0 ? ' (' + names.join(', ') + ')' : '');
        const ll = linkLayerOption(d, o + 24, ctx.end, OPT_TARGET_LL);
        if (ll !== '') info += ' is at ' + ll;
      }
      break;
    }
    default:
      if (isError) {
        const quoted = decodeQuotedDatagram(d, o + HEADER, ctx.end, ctx.tree, layer);
        if (quoted !== null) icmp.quoted = quoted;
      }
  }
  if (!ctx.ipFragment) out.info = info;
}

function typeText(type: number, code: number): string {
  const name = TYPE_NAMES.get(type) ?? 'Unknown ICMPv6 (type ' + type + ')';
  let detail: string | undefined;
  switch (type) {
    case TYPE_DEST_UNREACHABLE: detail = UNREACHABLE_CODES[code]; break;
    case TYPE_TIME_EXCEEDED: detail = TIME_EXCEEDED_CODES[code]; break;
    case TYPE_PARAMETER_PROBLEM: detail = PARAMETER_CODES[code]; break;
    default: return name;
  }
  return name + ' (' + (detail ?? 'Unknown code: ' + code) + ')';
}

/** Wireshark's tree names these codes (its Info too), some in lower case: "Code: 0 (no route to destination)". */
const TREE_CODE_NAMES = new Map<number, string[]>([
  [TYPE_DEST_UNREACHABLE, ['no route to destination', ...UNREACHABLE_CODES.slice(1)]],
  [TYPE_TIME_EXCEEDED, TIME_EXCEEDED_CODES],
  [TYPE_PARAMETER_PROBLEM, ['erroneous header field encountered', 'unrecognized Next Header type encountered',
    'unrecognized IPv6 option encountered', 'IPv6 First Fragment has incomplete IPv6 Header Chain']],
]);

function codeLabel(type: number, code: number): string {
  const names = TREE_CODE_NAMES.get(type);
  if (names === undefined) return 'Code: ' + code;
  return 'Code: ' + code + ' (' + (names[code] ?? 'Unknown') + ')';
}

/** The link-layer address in the first ND option of `wanted` type (RFC 4861 §4.6.1), or ''. */
function linkLayerOption(d: Uint8Array, p: number, end: number, wanted: number): string {
  for (let n = 0; n < 32 && p + 2 <= end; n++) {
    const type = d[p];
    const len = d[p + 1] * 8;
    if (len === 0 || p + len > end) return ''; // a zero length would never advance (§4.6)
    if (type === wanted && len >= 8) return hwAddrText(d, p + 2, len === 8 ? 6 : Math.min(len - 2, 16));
    p += len;
  }
  return '';
}
