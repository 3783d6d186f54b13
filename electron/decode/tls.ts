/*
 * TLS record layer (RFC 8446 §5.1, RFC 5246 §6.2) and the hello messages. A segment may hold
 * several records; each is named as Wireshark does ("Certificate, Server Hello Done"). The
 * ClientHello is decoded for SNI (RFC 6066 §3) and supported_versions (RFC 8446 §4.2.1).
 *
 * The protocol column follows Wireshark: the record-layer version, except a ServerHello that
 * selects a version via supported_versions. Without stream state, later TLS 1.3 records (which
 * carry 0x0303 on the wire) show as TLSv1.2; tls.version of the hellos is the reliable field.
 */
import type { PayloadDecoder } from './decode-context';
import { DecodeContext } from './decode-context';
import { addField, addLayer } from './layer-tree';
import { newSummary, PKT_MALFORMED, type TlsSummary, type TreeNode } from './packet-summary';
import { TLS_CIPHER_SUITES, TLS_EXTENSION_TYPES, TLS_SUPPORTED_GROUPS, TLS_VERSIONS } from './tls-names';
import { addCertificateTree } from './x509';
import { printableText } from './printable-text';
import { hex, u16, u24 } from './read-bytes';

const RECORD_HEADER = 5;
/** RFC 8446 §5.2: a ciphertext record is at most 2^14 + 256 bytes; allow TLS 1.2's 2^14 + 2048. */
const MAX_RECORD = 16384 + 2048;
const MAX_RECORDS = 32;
const MAX_HANDSHAKES_PER_RECORD = 16;
const MAX_SNI = 253;

const CT_CHANGE_CIPHER_SPEC = 20;
const CT_ALERT = 21;
const CT_HANDSHAKE = 22;
const CT_APPLICATION_DATA = 23;
const CT_HEARTBEAT = 24;

const HS_CLIENT_HELLO = 1;
const HS_SERVER_HELLO = 2;
const HS_CERTIFICATE = 11;
const EXT_SERVER_NAME = 0;
const EXT_SUPPORTED_VERSIONS = 43;

const HANDSHAKE_NAMES = new Map<number, [string, string]>([
  [0, ['Hello Request', 'hello_request']], [1, ['Client Hello', 'client_hello']], [2, ['Server Hello', 'server_hello']],
  [4, ['New Session Ticket', 'new_session_ticket']], [5, ['End of Early Data', 'end_of_early_data']],
  [8, ['Encrypted Extensions', 'encrypted_extensions']], [11, ['Certificate', 'certificate']],
  [12, ['Server Key Exchange', 'server_key_exchange']], [13, ['Certificate Request', 'certificate_request']],
  [14, ['Server Hello Done', 'server_hello_done']], [15, ['Certificate Verify', 'certificate_verify']],
  [16, ['Client Key Exchange', 'client_key_exchange']], [20, ['Finished', 'finished']],
  [21, ['Certificate URL', 'certificate_url']], [22, ['Certificate Status', 'certificate_status']],
  [24, ['Key Update', 'key_update']], [254, ['Message Hash', 'message_hash']],
]);

const ALERT_DESCRIPTIONS = new Map<number, string>([
  [0, 'Close Notify'], [10, 'Unexpected Message'], [20, 'Bad Record MAC'], [21, 'Decryption Failed'],
  [22, 'Record Overflow'], [30, 'Decompression Failure'], [40, 'Handshake Failure'], [41, 'No Certificate'],
  [42, 'Bad Certificate'], [43, 'Unsupported Certificate'], [44, 'Certificate Revoked'], [45, 'Certificate Expired'],
  [46, 'Certificate Unknown'], [47, 'Illegal Parameter'], [48, 'Unknown CA'], [49, 'Access Denied'],
  [50, 'Decode Error'], [51, 'Decrypt Error'], [60, 'Export Restriction'], [70, 'Protocol Version'],
  [71, 'Insufficient Security'], [80, 'Internal Error'], [86, 'Inappropriate Fallback'], [90, 'User Canceled'],
  [100, 'No Renegotiation'], [109, 'Missing Extension'], [110, 'Unsupported Extension'],
  [112, 'Unrecognized Name'], [113, 'Bad Certificate Status Response'], [115, 'Unknown PSK Identity'],
  [116, 'Certificate Required'], [120, 'No Application Protocol'],
]);

/** Protocol column ('TLSv1.2') for a wire version; undefined when not SSL 3.0 .. TLS 1.3. */
function protocolName(version: number): string | undefined {
  if (isDraft13(version)) return 'TLSv1.3';
  switch (version) {
    case 0x0300: return 'SSLv3';
    case 0x0301: return 'TLSv1';
    case 0x0302: return 'TLSv1.1';
    case 0x0303: return 'TLSv1.2';
    case 0x0304: return 'TLSv1.3';
    default: return undefined;
  }
}

/** TlsSummary.version text ('TLS 1.3'). */
function versionText(version: number): string {
  if (isDraft13(version)) return 'TLS 1.3';
  switch (version) {
    case 0x0300: return 'SSL 3.0';
    case 0x0301: return 'TLS 1.0';
    case 0x0302: return 'TLS 1.1';
    case 0x0303: return 'TLS 1.2';
    case 0x0304: return 'TLS 1.3';
    default: return hex(version, 4);
  }
}

/** Pre-RFC TLS 1.3 drafts were numbered 0x7f00 + draft (still seen in old captures). */
function isDraft13(version: number): boolean {
  return (version >> 8) === 0x7f;
}

/** Orders versions with drafts just below TLS 1.3 proper. */
function versionRank(version: number): number {
  return isDraft13(version) ? 0x0303 * 256 + (version & 0xff) : version * 256;
}

/** RFC 8701: GREASE values look like 0x?a?a and must be ignored. */
function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
}

function plausibleRecord(d: Uint8Array, o: number, end: number): boolean {
  if (end - o < RECORD_HEADER) return false;
  const type = d[o];
  return type >= CT_CHANGE_CIPHER_SPEC && type <= CT_HEARTBEAT && d[o + 1] === 3 && d[o + 2] <= 4 &&
    u16(d, o + 3) <= MAX_RECORD;
}

/** For TLS ports: any plausible record. */
export const decodeTls: PayloadDecoder = (ctx) => {
  if (!plausibleRecord(ctx.data, ctx.offset, ctx.end)) return false;
  decodeRecords(ctx);
  return true;
};

/** For any other TCP port: only a handshake record (0x16 0x03 ..) is taken as TLS. */
export const decodeTlsHeuristic: PayloadDecoder = (ctx) => {
  const d = ctx.data;
  if (!plausibleRecord(d, ctx.offset, ctx.end) || d[ctx.offset] !== CT_HANDSHAKE) return false;
  decodeRecords(ctx);
  return true;
};

/** Hello details collected while walking the records. */
interface HelloFields {
  sni: string | undefined;
  /** Where the SNI host name sits in the frame, for the detail tree. */
  sniAt: number;
  sniLen: number;
  /** Version from supported_versions (highest offered, or the server's choice); 0 when absent. */
  supported: number;
  helloVersion: number;
  malformed: boolean;
}

function decodeRecords(ctx: DecodeContext): void {
  const d = ctx.data;
  const out = ctx.out;
  let p = ctx.offset;
  const end = ctx.end;
  let info = '';
  let first = '';
  let protocol = protocolName(u16(d, p + 1)) as string;
  let summaryVersion = 0;
  let afterCcs = false;
  const hello: HelloFields = { sni: undefined, sniAt: 0, sniLen: 0, supported: 0, helloVersion: 0, malformed: false };
  const layer = ctx.tree !== null ? addLayer(ctx.tree, 'Transport Layer Security', p, end - p) : null;

  for (let n = 0; n < MAX_RECORDS && plausibleRecord(d, p, end); n++) {
    const type = d[p];
    const recVersion = u16(d, p + 1);
    const recLen = u16(d, p + 3);
    const body = p + RECORD_HEADER;
    const recEnd = body + recLen;
    const bodyEnd = recEnd < end ? recEnd : end;
    let names = '';
    const recNode = layer !== null ? addRecordNode(layer, p, bodyEnd, recVersion, type, recLen) : null;
    if (type === CT_HANDSHAKE) {
      let h = body;
      for (let m = 0; m < MAX_HANDSHAKES_PER_RECORD && h < bodyEnd; m++) {
        const hsType = d[h];
        const known = HANDSHAKE_NAMES.get(hsType);
        if (afterCcs || known === undefined || h + 4 > bodyEnd) {
          // After ChangeCipherSpec the handshake (Finished) is encrypted; the type byte is noise.
          names = appendName(names, 'Encrypted Handshake Message');
          if (first === '') first = 'encrypted_handshake';
          break;
        }
        const hsLen = u24(d, h + 1);
        const msgEnd = h + 4 + hsLen;
        const visibleEnd = msgEnd < bodyEnd ? msgEnd : bodyEnd;
        let name = known[0];
        if (first === '') first = known[1];
        if (hsType === HS_CLIENT_HELLO) {
          readClientHello(d, h + 4, visibleEnd, msgEnd <= bodyEnd, hello);
          summaryVersion = hello.supported !== 0 ? hello.supported : hello.helloVersion;
          if (hello.sni !== undefined) name += ' (SNI=' + hello.sni + ')';
        } else if (hsType === HS_SERVER_HELLO) {
          readServerHello(d, h + 4, visibleEnd, msgEnd <= bodyEnd, hello);
          summaryVersion = hello.supported !== 0 ? hello.supported : hello.helloVersion;
          if (hello.supported !== 0) protocol = protocolName(hello.supported) ?? protocol;
        }
        names = appendName(names, name);
        if (recNode !== null) {
          const hs = addField(recNode, 'Handshake Protocol: ' + known[0], h, visibleEnd - h);
          addField(hs, 'Handshake Type: ' + known[0] + ' (' + hsType + ')', h, 1);
          addField(hs, 'Length: ' + hsLen, h + 1, 3);
          if (hsType === HS_CLIENT_HELLO || hsType === HS_SERVER_HELLO) addHelloTree(hs, d, h + 4, visibleEnd, hsType === HS_CLIENT_HELLO);
          else if (hsType === HS_CERTIFICATE && !afterCcs) addCertificatesTree(hs, d, h + 4, visibleEnd);
        }
        h = msgEnd;
      }
    } else if (type === CT_CHANGE_CIPHER_SPEC) {
      names = 'Change Cipher Spec';
      if (first === '') first = 'change_cipher_spec';
      afterCcs = true;
    } else if (type === CT_ALERT) {
      if (recLen === 2 && body + 2 <= end) {
        names = 'Alert (Level: ' + (d[body] === 2 ? 'Fatal' : d[body] === 1 ? 'Warning' : 'Unknown') +
          ', Description: ' + (ALERT_DESCRIPTIONS.get(d[body + 1]) ?? 'Unknown (' + d[body + 1] + ')') + ')';
      } else {
        names = 'Encrypted Alert';
      }
      if (first === '') first = 'alert';
    } else if (type === CT_APPLICATION_DATA) {
      names = 'Application Data';
      if (first === '') first = 'application_data';
    } else {
      names = 'Heartbeat';
      if (first === '') first = 'heartbeat';
    }
    if (summaryVersion === 0) summaryVersion = recVersion;
    info = info.length === 0 ? names : info + ', ' + names;
    if (recNode !== null) recNode.label = (protocolName(recVersion) ?? 'TLS') + ' Record Layer: ' + names;
    p = recEnd;
    if (p >= end) break;
  }

  if (hello.malformed) out.flags |= PKT_MALFORMED;
  const tls: TlsSummary = { handshake: first, version: versionText(summaryVersion) };
  if (hello.sni !== undefined) tls.sni = hello.sni;
  out.tls = tls;
  out.protocol = protocol;
  out.info = info;
}

function appendName(names: string, name: string): string {
  return names.length === 0 ? name : names + ', ' + name;
}

/**
 * ClientHello (RFC 8446 §4.1.2): legacy_version, random, session id, cipher suites, compression
 * methods, extensions. `complete` says the whole message is in this segment, so running out of
 * bytes inside it means the message is malformed rather than continued in the next segment.
 */
function readClientHello(d: Uint8Array, p: number, end: number, complete: boolean, hello: HelloFields): void {
  if (end - p < 35) { hello.malformed = complete; if (end - p >= 2) hello.helloVersion = u16(d, p); return; }
  hello.helloVersion = u16(d, p);
  p += 34;
  p += 1 + d[p]; // session id
  if (p + 2 > end) { hello.malformed = complete; return; }
  p += 2 + u16(d, p); // cipher suites
  if (p + 1 > end) { hello.malformed = complete; return; }
  p += 1 + d[p]; // compression methods
  if (p === end && complete) return; // no extensions at all (allowed before TLS 1.3)
  readExtensions(d, p, end, complete, hello, true);
}

/** ServerHello (RFC 8446 §4.1.3): same shape with one cipher suite and one compression method. */
function readServerHello(d: Uint8Array, p: number, end: number, complete: boolean, hello: HelloFields): void {
  if (end - p < 35) { hello.malformed = complete; if (end - p >= 2) hello.helloVersion = u16(d, p); return; }
  hello.helloVersion = u16(d, p);
  p += 34;
  if (isDraft13(hello.helloVersion)) {
    // Drafts before 22 had no session id or compression method in the ServerHello.
    hello.supported = hello.helloVersion;
    p += 2;
  } else {
    p += 1 + d[p] + 2 + 1; // session id, cipher suite, compression method
  }
  if (p === end && complete) return;
  readExtensions(d, p, end, complete, hello, false);
}

function readExtensions(d: Uint8Array, p: number, end: number, complete: boolean, hello: HelloFields, isClient: boolean): void {
  if (p + 2 > end) { hello.malformed = complete; return; }
  const extEnd = p + 2 + u16(d, p);
  if (extEnd > end && complete) { hello.malformed = true; return; }
  const stop = extEnd < end ? extEnd : end;
  p += 2;
  while (p + 4 <= stop) {
    const type = u16(d, p);
    const len = u16(d, p + 2);
    const data = p + 4;
    const dataEnd = data + len;
    if (dataEnd > stop) { hello.malformed = complete; return; }
    if (type === EXT_SERVER_NAME && isClient) readServerName(d, data, dataEnd, hello);
    else if (type === EXT_SUPPORTED_VERSIONS) {
      if (isClient) readSupportedVersions(d, data, dataEnd, hello);
      else if (len === 2) hello.supported = u16(d, data);
    }
    p = dataEnd;
  }
}

/** RFC 6066 §3: ServerNameList of (type, length, name); the first host_name (0) is the SNI. */
function readServerName(d: Uint8Array, p: number, end: number, hello: HelloFields): void {
  if (p + 2 > end) { hello.malformed = true; return; }
  const listEnd = Math.min(p + 2 + u16(d, p), end);
  p += 2;
  while (p + 3 <= listEnd) {
    const type = d[p];
    const len = u16(d, p + 1);
    if (p + 3 + len > listEnd) { hello.malformed = true; return; }
    if (type === 0) {
      hello.sni = printableText(d, p + 3, p + 3 + len, MAX_SNI);
      hello.sniAt = p + 3;
      hello.sniLen = len;
      return;
    }
    p += 3 + len;
  }
}

function readSupportedVersions(d: Uint8Array, p: number, end: number, hello: HelloFields): void {
  if (p + 1 > end) { hello.malformed = true; return; }
  const listEnd = Math.min(p + 1 + d[p], end);
  let best = 0;
  for (let v = p + 1; v + 2 <= listEnd; v += 2) {
    const version = u16(d, v);
    if (isGrease(version) || (version > 0x0304 && !isDraft13(version))) continue;
    if (best === 0 || versionRank(version) > versionRank(best)) best = version;
  }
  hello.supported = best;
}

function addRecordNode(layer: TreeNode, p: number, bodyEnd: number, version: number, type: number, len: number): TreeNode {
  const node = addField(layer, 'Record Layer', p, bodyEnd - p);
  addField(node, 'Content Type: ' + (CONTENT_TYPE_NAMES.get(type) ?? 'Unknown') + ' (' + type + ')', p, 1);
  addField(node, 'Version: ' + versionText(version) + ' (' + hex(version, 4) + ')', p + 1, 2);
  addField(node, 'Length: ' + len, p + 3, 2);
  return node;
}

const CONTENT_TYPE_NAMES = new Map<number, string>([
  [CT_CHANGE_CIPHER_SPEC, 'Change Cipher Spec'], [CT_ALERT, 'Alert'], [CT_HANDSHAKE, 'Handshake'],
  [CT_APPLICATION_DATA, 'Application Data'], [CT_HEARTBEAT, 'Heartbeat'],
]);
/** A hello lists at most 2^15 suites; the tree shows this many, then a count of the rest. */
const MAX_TREE_LIST = 512;
const EXT_SUPPORTED_GROUPS = 10;
const EXT_ALPN = 16;
const MAX_ALPN = 64;

/** "TLS 1.2 (0x0303)", drafts and GREASE named as Wireshark names them. */
function versionLabel(version: number): string {
  return (TLS_VERSIONS.get(version) ?? 'Unknown') + ' (' + hex(version, 4) + ')';
}

function cipherSuiteLabel(suite: number): string {
  return 'Cipher Suite: ' + (TLS_CIPHER_SUITES.get(suite) ?? 'Unknown') + ' (' + hex(suite, 4) + ')';
}

/**
 * The hello's fields in the detail tree (RFC 8446 §4.1.2, §4.1.3): version, random, session id,
 * cipher suites (ClientHello) or the chosen one (ServerHello), compression, then each extension
 * by name with what an analyst reads in it (server name, supported versions and groups, ALPN).
 * Tree only; every read is checked against `end`, so a cut hello shows what is there.
 */
function addHelloTree(hs: TreeNode, d: Uint8Array, p: number, end: number, isClient: boolean): void {
  if (p + 2 > end) return;
  const version = u16(d, p);
  addField(hs, 'Version: ' + versionLabel(version), p, 2);
  p += 2;
  if (p + 32 > end) return;
  addField(hs, 'Random: ' + hexBytes(d, p, p + 32), p, 32);
  p += 32;
  if (isDraft13(version) && !isClient) {
    // Drafts before 22 had no session id in the ServerHello.
    if (p + 2 <= end) addField(hs, cipherSuiteLabel(u16(d, p)), p, 2);
    addExtensionsTree(hs, d, p + 2, end, isClient);
    return;
  }
  if (p + 1 > end) return;
  const sidLen = d[p];
  addField(hs, 'Session ID Length: ' + sidLen, p, 1);
  if (sidLen > 0 && p + 1 + sidLen <= end) addField(hs, 'Session ID: ' + hexBytes(d, p + 1, p + 1 + sidLen), p + 1, sidLen);
  p += 1 + sidLen;
  if (isClient) {
    if (p + 2 > end) return;
    const len = u16(d, p);
    addField(hs, 'Cipher Suites Length: ' + len, p, 2);
    const listEnd = Math.min(p + 2 + len, end);
    const count = len >> 1;
    const list = addField(hs, 'Cipher Suites (' + count + ' suite' + (count === 1 ? '' : 's') + ')', p + 2, listEnd - p - 2);
    let shown = 0;
    for (let c = p + 2; c + 2 <= listEnd; c += 2) {
      if (shown++ === MAX_TREE_LIST) { addField(list, '[' + (count - MAX_TREE_LIST) + ' more cipher suites not shown]', c, listEnd - c); break; }
      addField(list, cipherSuiteLabel(u16(d, c)), c, 2);
    }
    p += 2 + len;
    if (p + 1 > end) return;
    const methods = d[p];
    addField(hs, 'Compression Methods Length: ' + methods, p, 1);
    p += 1 + methods;
  } else {
    if (p + 3 > end) return;
    addField(hs, cipherSuiteLabel(u16(d, p)), p, 2);
    addField(hs, 'Compression Method: ' + (d[p + 2] === 0 ? 'null' : 'Unknown') + ' (' + d[p + 2] + ')', p + 2, 1);
    p += 3;
  }
  addExtensionsTree(hs, d, p, end, isClient);
}

function addExtensionsTree(hs: TreeNode, d: Uint8Array, p: number, end: number, isClient: boolean): void {
  if (p + 2 > end) return;
  const total = u16(d, p);
  addField(hs, 'Extensions Length: ' + total, p, 2);
  const stop = Math.min(p + 2 + total, end);
  p += 2;
  for (let n = 0; n < MAX_TREE_LIST && p + 4 <= stop; n++) {
    const type = u16(d, p);
    const len = u16(d, p + 2);
    const data = p + 4;
    const dataEnd = Math.min(data + len, stop);
    const name = TLS_EXTENSION_TYPES.get(type) ?? 'Unknown type ' + type;
    const node = addField(hs, 'Extension: ' + name + ' (len=' + len + ')', p, dataEnd - p);
    addField(node, 'Type: ' + (TLS_EXTENSION_TYPES.get(type) ?? 'Unknown') + ' (' + type + ')', p, 2);
    addField(node, 'Length: ' + len, p + 2, 2);
    addExtensionData(node, d, type, data, dataEnd, isClient);
    p = data + len;
  }
}

/** The parts of an extension an analyst reads; others keep their name and length only. */
function addExtensionData(node: TreeNode, d: Uint8Array, type: number, p: number, end: number, isClient: boolean): void {
  switch (type) {
    case EXT_SERVER_NAME: {
      // RFC 6066 §3: list length, then (type, length, name) entries.
      for (let q = p + 2; q + 3 <= end;) {
        const len = u16(d, q + 1);
        if (q + 3 + len > end) break;
        if (d[q] === 0) addField(node, 'Server Name: ' + printableText(d, q + 3, q + 3 + len, MAX_SNI), q + 3, len);
        q += 3 + len;
      }
      break;
    }
    case EXT_SUPPORTED_VERSIONS:
      if (!isClient) {
        if (p + 2 <= end) addField(node, 'Supported Version: ' + versionLabel(u16(d, p)), p, 2);
      } else if (p + 1 <= end) {
        const listEnd = Math.min(p + 1 + d[p], end);
        for (let v = p + 1; v + 2 <= listEnd; v += 2) addField(node, 'Supported Version: ' + versionLabel(u16(d, v)), v, 2);
      }
      break;
    case EXT_SUPPORTED_GROUPS: {
      if (p + 2 > end) break;
      const listEnd = Math.min(p + 2 + u16(d, p), end);
      for (let g = p + 2; g + 2 <= listEnd; g += 2) {
        addField(node, 'Supported Group: ' + (TLS_SUPPORTED_GROUPS.get(u16(d, g)) ?? 'Unknown') + ' (' + hex(u16(d, g), 4) + ')', g, 2);
      }
      break;
    }
    case EXT_ALPN: {
      if (p + 2 > end) break;
      const listEnd = Math.min(p + 2 + u16(d, p), end);
      for (let a = p + 2; a + 1 <= listEnd;) {
        const len = d[a];
        if (a + 1 + len > listEnd) break;
        addField(node, 'ALPN Next Protocol: ' + printableText(d, a + 1, a + 1 + len, MAX_ALPN), a + 1, len);
        a += 1 + len;
      }
      break;
    }
  }
}

/** RFC 8446 §4.4.2 / RFC 5246 §7.4.2: a 3-byte list length, then (3-byte length, DER) per certificate. */
function addCertificatesTree(hs: TreeNode, d: Uint8Array, p: number, end: number): void {
  // TLS 1.3 puts a request context first; a TLS 1.2 list length never fits in one byte like that.
  if (p + 3 > end) return;
  const total = u24(d, p);
  addField(hs, 'Certificates Length: ' + total, p, 3);
  const listEnd = Math.min(p + 3 + total, end);
  const list = addField(hs, 'Certificates (' + total + ' bytes)', p + 3, listEnd - p - 3);
  let q = p + 3;
  for (let n = 0; n < 16 && q + 3 <= listEnd; n++) {
    const len = u24(d, q);
    addField(list, 'Certificate Length: ' + len, q, 3);
    const certEnd = Math.min(q + 3 + len, listEnd);
    addCertificateTree(list, d, q + 3, certEnd);
    q += 3 + len;
  }
}

function hexBytes(d: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += (d[i] < 16 ? '0' : '') + d[i].toString(16);
  return s;
}

/**
 * TLS records reassembled from several TCP segments (detail view): decoded into `tree` from their
 * own buffer, then every node's byte range is pinned to this segment's part of them
 * (`start`..`start + length`), since the hex view shows this frame's bytes only.
 */
export function addTlsTree(tree: TreeNode[], bytes: Uint8Array, start: number, length: number): void {
  const first = tree.length;
  const scratch = new DecodeContext();
  scratch.reset(bytes, newSummary(), tree, -1);
  if (plausibleRecord(bytes, 0, bytes.length)) decodeRecords(scratch);
  const pin = (nodes: TreeNode[]) => {
    for (const n of nodes) {
      n.start = start;
      n.length = length;
      if (n.children !== undefined) pin(n.children);
    }
  };
  pin(tree.slice(first));
}
