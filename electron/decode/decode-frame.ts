/*
 * Entry point: one captured frame in, a PacketSummary (and, for the detail view, a layer tree) out.
 * Each decoder names the next layer; this loop looks it up in the registry, so the layer stack of
 * a frame is visible in one place.
 */
import {
  DecodeContext, type TcpStreamContext, NEXT_ETHERTYPE, NEXT_IP_PROTO, NEXT_NONE, NEXT_TCP_PAYLOAD, NEXT_UDP_PAYLOAD,
} from './decode-context';
import { addLayer } from './layer-tree';
import { PKT_MALFORMED, resetSummary, type PacketSummary, type TreeNode } from './packet-summary';
import { etherTypeName, ipProtocolName, linkTypeProtocol } from './protocol-names';
import { hex } from './read-bytes';
import { decodeTcpPayload, decodeUdpPayload, etherTypeDecoders, ipProtocolDecoders, linkTypeDecoders } from './registry';

/** More layers than any sane frame has (QinQ + tunnels); stops a crafted chain of tags. */
const MAX_LAYERS = 16;

const EMPTY = new Uint8Array(0);

/** Reused for every frame: decoding is synchronous, and the context holds no result. */
const ctx = new DecodeContext();

/**
 * Decodes one frame of the given LINKTYPE_* into `out` (reset here first). Builds the layer tree
 * only when `tree` is non-null. Never throws: a fault inside a decoder marks the packet malformed.
 *
 * `wireLength` is the frame's original length (pcap orig_len) when known: it lets the decoders
 * tell a snaplen-cut frame (PKT_TRUNCATED) from a header claiming more bytes than were ever sent
 * (PKT_MALFORMED), and gives on-wire payload lengths. Omit it (or pass -1) when unknown.
 */
export function decodeFrame(linkType: number, data: Uint8Array, out: PacketSummary, tree: TreeNode[] | null, wireLength = -1,
  tcpStream: TcpStreamContext | null = null, wantInfo = true): void {
  resetSummary(out);
  out.linkType = linkType;
  try {
    decodeLayers(linkType, data, out, tree, wireLength, tree !== null ? tcpStream : null, wantInfo);
  } catch {
    // Last resort only: decoders check bounds and should never get here.
    out.flags |= PKT_MALFORMED;
    if (out.protocol === '') out.protocol = linkTypeProtocol(linkType);
    out.info = (out.info.length > 0 ? out.info + ' ' : '') + '[decoder error]';
  } finally {
    // Drop the references so the frame's buffer and the caller's objects can be collected.
    ctx.data = EMPTY;
    ctx.tree = null;
    ctx.tcpStream = null;
  }
}

function decodeLayers(linkType: number, data: Uint8Array, out: PacketSummary, tree: TreeNode[] | null, wireLength: number,
  tcpStream: TcpStreamContext | null, wantInfo: boolean): void {
  ctx.reset(data, out, tree, wireLength, tcpStream, wantInfo);
  const link = linkTypeDecoders.get(linkType);
  if (link === undefined) {
    out.protocol = linkTypeProtocol(linkType);
    out.info = 'Link type ' + linkType + ' (not decoded)';
    if (tree !== null) addLayer(tree, out.protocol + ' frame (' + data.length + ' bytes, not decoded)', 0, data.length);
    return;
  }
  link(ctx);
  for (let n = 0; n < MAX_LAYERS && ctx.next !== NEXT_NONE; n++) {
    const kind = ctx.next;
    const key = ctx.nextKey;
    ctx.next = NEXT_NONE;
    switch (kind) {
      case NEXT_ETHERTYPE: {
        const decoder = etherTypeDecoders.get(key);
        if (decoder !== undefined) decoder(ctx);
        else describeEtherType(key);
        break;
      }
      case NEXT_IP_PROTO: {
        const decoder = ipProtocolDecoders.get(key);
        if (decoder !== undefined) decoder(ctx);
        else describeIpProtocol(key);
        break;
      }
      case NEXT_TCP_PAYLOAD:
        if (!decodeTcpPayload(ctx)) addDataLayer();
        break;
      case NEXT_UDP_PAYLOAD:
        if (!decodeUdpPayload(ctx)) addDataLayer();
        break;
    }
  }
}

/** A payload no decoder claimed: named in Info and shown as raw data in the tree. */
function describeEtherType(type: number): void {
  const out = ctx.out;
  const name = etherTypeName(type);
  if (name !== undefined) out.protocol = name;
  out.info = 'Ethertype ' + hex(type, 4) + (name !== undefined ? ' (' + name + ', not decoded)' : ' (not decoded)');
  addDataLayer();
}

function describeIpProtocol(proto: number): void {
  const out = ctx.out;
  const name = ipProtocolName(proto);
  if (!ctx.ipFragment) {
    if (name !== undefined) out.protocol = name;
    out.info = 'IP protocol ' + proto + (name !== undefined ? ' (' + name + ', not decoded)' : ' (not decoded)');
  }
  addDataLayer();
}

function addDataLayer(): void {
  if (ctx.tree !== null && ctx.end > ctx.offset) addLayer(ctx.tree, 'Data (' + (ctx.end - ctx.offset) + ' bytes)', ctx.offset, ctx.end - ctx.offset);
}
