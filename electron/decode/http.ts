/*
 * HTTP/1.x (RFC 9112) start line plus the Host and User-Agent fields, from the bytes of this one
 * segment (no reassembly). At most MAX_SCAN bytes are looked at, so a huge header costs nothing.
 * SSDP (HTTP over UDP 1900) uses the same parser under its own name.
 */
import type { DecodeContext, PayloadDecoder } from './decode-context';
import { addField, addLayer } from './layer-tree';
import type { HttpSummary, TreeNode } from './packet-summary';
import { printableText } from './printable-text';

const MAX_SCAN = 4096;
const MAX_TEXT = 512;
const MAX_METHOD = 16;

/** RFC 9110 §9 methods plus the common WebDAV (RFC 4918) and SSDP/UPnP ones. */
const METHODS = new Set([
  'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT', 'MKACTIVITY', 'CHECKOUT', 'MERGE',
  'M-SEARCH', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE',
]);

const CHAR_SP = 0x20;
const CHAR_CR = 0x0d;
const CHAR_LF = 0x0a;
const CHAR_COLON = 0x3a;
/** "HTTP/1." */
const HTTP_VERSION_PREFIX = [0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e];

export const decodeHttp: PayloadDecoder = (ctx) => decode(ctx, 'HTTP');
export const decodeSsdp: PayloadDecoder = (ctx) => decode(ctx, 'SSDP');

/** Cheap test used before any string is built: an upper-case token then a space, or "HTTP/1.". */
function startsLikeHttp(d: Uint8Array, o: number, end: number): boolean {
  if (end - o < 8) return false;
  if (startsWithVersion(d, o, end)) return true;
  for (let i = o; i < end && i <= o + MAX_METHOD; i++) {
    const b = d[i];
    if (b === CHAR_SP) return i > o;
    if (!((b >= 0x41 && b <= 0x5a) || b === 0x2d)) return false;
  }
  return false;
}

function startsWithVersion(d: Uint8Array, o: number, end: number): boolean {
  if (end - o < HTTP_VERSION_PREFIX.length) return false;
  for (let i = 0; i < HTTP_VERSION_PREFIX.length; i++) if (d[o + i] !== HTTP_VERSION_PREFIX[i]) return false;
  return true;
}

function decode(ctx: DecodeContext, protocol: string): boolean {
  const d = ctx.data;
  const o = ctx.offset;
  const scanEnd = ctx.end - o > MAX_SCAN ? o + MAX_SCAN : ctx.end;
  if (!startsLikeHttp(d, o, scanEnd)) return false;

  const lineEnd = findLineEnd(d, o, scanEnd);
  const sp1 = indexOfByte(d, o, lineEnd, CHAR_SP);
  if (sp1 < 0) return false;
  let http: HttpSummary;
  let info: string;
  if (startsWithVersion(d, o, scanEnd)) {
    // status-line = HTTP-version SP status-code SP [ reason-phrase ]
    const code = parseStatus(d, sp1 + 1, lineEnd);
    if (code < 0) return false;
    const version = versionText(d, o, sp1);
    const reason = sp1 + 4 < lineEnd ? printableText(d, sp1 + 5, lineEnd, MAX_TEXT) : '';
    http = { kind: 'response', version, status: code, reason };
    info = version + ' ' + code + (reason.length > 0 ? ' ' + reason : '');
  } else {
    // request-line = method SP request-target SP HTTP-version
    const method = printableText(d, o, sp1, MAX_METHOD);
    if (!METHODS.has(method)) return false;
    const sp2 = lastIndexOfByte(d, sp1 + 1, lineEnd, CHAR_SP);
    const uriEnd = sp2 > sp1 ? sp2 : lineEnd;
    const uri = printableText(d, sp1 + 1, uriEnd, MAX_TEXT);
    const version = sp2 > sp1 ? versionText(d, sp2 + 1, lineEnd) : '';
    http = { kind: 'request', method, uri, version };
    info = method + ' ' + uri + (version.length > 0 ? ' ' + version : '');
  }
  const out = ctx.out;
  out.protocol = protocol;
  out.http = http;
  const layer = ctx.tree !== null ? addStartLineTree(ctx.tree, protocol, o, lineEnd, info) : null;
  readHeaderFields(d, nextLine(d, lineEnd, scanEnd), scanEnd, http, layer);
  out.info = info;
  return true;
}

/** The two versions seen in practice come back as constants; anything else is sliced. */
function versionText(d: Uint8Array, start: number, end: number): string {
  if (end - start === 8 && startsWithVersion(d, start, end)) {
    if (d[start + 7] === 0x31) return 'HTTP/1.1';
    if (d[start + 7] === 0x30) return 'HTTP/1.0';
  }
  return printableText(d, start, end, MAX_TEXT);
}

/** Offset of the CR or LF that ends the line starting at `p`, or `end`. */
function findLineEnd(d: Uint8Array, p: number, end: number): number {
  for (let i = p; i < end; i++) if (d[i] === CHAR_CR || d[i] === CHAR_LF) return i;
  return end;
}

/** Start of the line after the terminator at `lineEnd` (CRLF, or a bare LF as RFC 9112 §2.2 allows). */
function nextLine(d: Uint8Array, lineEnd: number, end: number): number {
  let p = lineEnd;
  if (p < end && d[p] === CHAR_CR) p++;
  if (p < end && d[p] === CHAR_LF) p++;
  return p;
}

function indexOfByte(d: Uint8Array, from: number, to: number, b: number): number {
  for (let i = from; i < to; i++) if (d[i] === b) return i;
  return -1;
}

function lastIndexOfByte(d: Uint8Array, from: number, to: number, b: number): number {
  for (let i = to - 1; i >= from; i--) if (d[i] === b) return i;
  return -1;
}

/** Three digits at `p`, followed by a space or the end of the line; -1 otherwise. */
function parseStatus(d: Uint8Array, p: number, lineEnd: number): number {
  if (lineEnd - p < 3) return -1;
  let code = 0;
  for (let i = p; i < p + 3; i++) {
    const c = d[i] - 0x30;
    if (c < 0 || c > 9) return -1;
    code = code * 10 + c;
  }
  if (p + 3 < lineEnd && d[p + 3] !== CHAR_SP) return -1;
  return code;
}

/** Case-insensitive match of an ASCII lower-case field name followed by ':'. */
function fieldNameIs(d: Uint8Array, p: number, lineEnd: number, lowerName: string): boolean {
  const n = lowerName.length;
  if (lineEnd - p <= n || d[p + n] !== CHAR_COLON) return false;
  for (let i = 0; i < n; i++) {
    if ((d[p + i] | 0x20) !== lowerName.charCodeAt(i)) return false;
  }
  return true;
}

function fieldValue(d: Uint8Array, p: number, lineEnd: number): string {
  let s = p;
  let e = lineEnd;
  while (s < e && (d[s] === CHAR_SP || d[s] === 0x09)) s++;
  while (e > s && (d[e - 1] === CHAR_SP || d[e - 1] === 0x09)) e--;
  return printableText(d, s, e, MAX_TEXT);
}

function readHeaderFields(d: Uint8Array, p: number, end: number, http: HttpSummary, layer: TreeNode | null): void {
  while (p < end) {
    const lineEnd = findLineEnd(d, p, end);
    if (lineEnd === p) {
      // The empty line ends the header section (RFC 9112 §2.1); it belongs to the header bytes.
      p = nextLine(d, lineEnd, end);
      break;
    }
    if (fieldNameIs(d, p, lineEnd, 'host')) {
      if (http.host === undefined) http.host = fieldValue(d, p + 5, lineEnd);
    } else if (fieldNameIs(d, p, lineEnd, 'user-agent')) {
      if (http.userAgent === undefined) http.userAgent = fieldValue(d, p + 11, lineEnd);
    }
    if (layer !== null) addField(layer, printableText(d, p, lineEnd, MAX_TEXT), p, lineEnd - p);
    if (lineEnd >= end) break;
    p = nextLine(d, lineEnd, end);
  }
  if (layer !== null) layer.length = p - layer.start;
}

function addStartLineTree(tree: TreeNode[], protocol: string, o: number, lineEnd: number, info: string): TreeNode {
  const title = protocol === 'SSDP' ? 'Simple Service Discovery Protocol' : 'Hypertext Transfer Protocol';
  const layer = addLayer(tree, title, o, lineEnd - o);
  addField(layer, info, o, lineEnd - o);
  return layer;
}
