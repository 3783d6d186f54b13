/*
 * Just enough DER (ITU-T X.690) to name an X.509 certificate (RFC 5280 §4.1) in the detail tree: its
 * serial number, issuer, validity and subject. Certificates come off the wire, so everything is
 * bounded: every length is checked against the enclosing element, long-form lengths are limited to
 * 3 bytes, names to MAX_RDNS attributes and values to MAX_VALUE characters of display text, and
 * anything that does not parse ends that part of the tree quietly. Nothing here throws.
 */
import { addField } from './layer-tree';
import type { TreeNode } from './packet-summary';
import { printableText } from './printable-text';
import { hex } from './read-bytes';

const MAX_RDNS = 32;
const MAX_VALUE = 256;
/** Wireshark cuts a tree label at 239 characters; the rdnSequence line is compared with it. */
const MAX_LABEL = 239;

const TAG_INTEGER = 0x02;
const TAG_OID = 0x06;
const TAG_UTC_TIME = 0x17;
const TAG_GENERALIZED_TIME = 0x18;
const TAG_UNIVERSAL = 0x1c;
const TAG_BMP = 0x1e;
const TAG_SEQUENCE = 0x30;
const TAG_SET = 0x31;
const TAG_VERSION = 0xa0;

/** Attribute types as Wireshark names them (RFC 5280 §4.1.2.4, X.520). */
const ATTRIBUTE_NAMES = new Map<string, string>([
  ['2.5.4.3', 'id-at-commonName'], ['2.5.4.4', 'id-at-surname'], ['2.5.4.5', 'id-at-serialNumber'],
  ['2.5.4.6', 'id-at-countryName'], ['2.5.4.7', 'id-at-localityName'], ['2.5.4.8', 'id-at-stateOrProvinceName'],
  ['2.5.4.9', 'id-at-streetAddress'], ['2.5.4.10', 'id-at-organizationName'], ['2.5.4.11', 'id-at-organizationalUnitName'],
  ['2.5.4.12', 'id-at-title'], ['2.5.4.17', 'id-at-postalCode'], ['2.5.4.42', 'id-at-givenName'],
  ['2.5.4.15', 'id-at-businessCategory'], ['2.5.4.97', 'id-at-organizationIdentifier'],
  ['1.2.840.113549.1.9.1', 'pkcs-9-at-emailAddress'], ['0.9.2342.19200300.100.1.25', 'id-domainComponent'],
  ['1.3.6.1.4.1.311.60.2.1.3', 'jurisdictionOfIncorporationCountryName'],
]);

interface Element { tag: number; start: number; body: number; end: number }

/** The DER element at `p` (tag, where its contents start and end), or null when it does not fit before `end`. */
function element(d: Uint8Array, p: number, end: number): Element | null {
  if (p + 2 > end) return null;
  const tag = d[p];
  if ((tag & 0x1f) === 0x1f) return null; // high tag numbers do not occur in these structures
  let len = d[p + 1];
  let body = p + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || body + n > end) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + d[body + i];
    body += n;
  }
  if (body + len > end) return null;
  return { tag, start: p, body, end: body + len };
}

/** The elements directly inside `parent`, at most `max`. */
function children(d: Uint8Array, parent: Element, max: number): Element[] {
  const out: Element[] = [];
  for (let p = parent.body; p < parent.end && out.length < max;) {
    const e = element(d, p, parent.end);
    if (e === null) break;
    out.push(e);
    p = e.end;
  }
  return out;
}

function oidText(d: Uint8Array, e: Element): string {
  if (e.end - e.body > 64 || e.end === e.body) return '';
  const arcs: number[] = [];
  let v = 0;
  for (let i = e.body; i < e.end; i++) {
    v = v * 128 + (d[i] & 0x7f);
    if ((d[i] & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

/** A directory string's text, escaped for display and bounded. */
function valueText(d: Uint8Array, e: Element): string {
  // UTF8String, PrintableString, IA5String and TeletexString are shown as their bytes' text.
  switch (e.tag) {
    case TAG_BMP: {
      let s = '';
      for (let i = e.body; i + 1 < e.end && s.length < MAX_VALUE; i += 2) s += String.fromCharCode(d[i] * 256 + d[i + 1]);
      const bytes = new TextEncoder().encode(s);
      return printableText(bytes, 0, bytes.length, MAX_VALUE);
    }
    case TAG_UNIVERSAL:
      return '[UniversalString, ' + (e.end - e.body) + ' bytes]';
    default:
      return printableText(d, e.body, e.end, MAX_VALUE);
  }
}

/** "id-at-commonName=shop.example.com" for each attribute of a Name, in encoding order. */
function nameAttributes(d: Uint8Array, name: Element): string[] {
  const out: string[] = [];
  for (const rdn of children(d, name, MAX_RDNS)) {
    if (rdn.tag !== TAG_SET) continue;
    for (const atv of children(d, rdn, 8)) {
      const [type, value] = children(d, atv, 2);
      if (atv.tag !== TAG_SEQUENCE || type === undefined || type.tag !== TAG_OID || value === undefined) continue;
      const oid = oidText(d, type);
      out.push((ATTRIBUTE_NAMES.get(oid) ?? oid) + '=' + valueText(d, value));
      if (out.length >= MAX_RDNS) return out;
    }
  }
  return out;
}

/** "issuer: rdnSequence (0)" with "rdnSequence: 3 items (id-at-commonName=…,…)", as Wireshark shows a Name. */
function addName(parent: TreeNode, label: string, d: Uint8Array, name: Element): void {
  const attributes = nameAttributes(d, name);
  const node = addField(parent, label + ': rdnSequence (0)', name.start, name.end - name.start);
  // Wireshark lists the most specific attribute (the last RDN, usually the CN) first.
  const text = 'rdnSequence: ' + attributes.length + ' item' + (attributes.length === 1 ? '' : 's') + ' (' + [...attributes].reverse().join(',') + ')';
  const list = addField(node, text.length > MAX_LABEL ? text.slice(0, MAX_LABEL) : text, name.start, name.end - name.start);
  for (const a of attributes) addField(list, a, name.start, name.end - name.start);
}

function timeText(d: Uint8Array, e: Element): string {
  const raw = printableText(d, e.body, e.end, 32);
  const m = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(raw);
  if (m === null) return raw;
  const year = m[1].length === 4 ? m[1] : (Number(m[1]) < 50 ? '20' : '19') + m[1]; // RFC 5280 §4.1.2.5.1
  return year + '-' + m[2] + '-' + m[3] + ' ' + m[4] + ':' + m[5] + ':' + (m[6] ?? '00') + ' (UTC)';
}

/**
 * One certificate's DER at d[start..end) as a tree node: "Certificate (398 bytes): id-at-commonName=…"
 * with the serial number, issuer, validity and subject under it.
 */
export function addCertificateTree(parent: TreeNode, d: Uint8Array, start: number, end: number): void {
  const cert = element(d, start, end);
  const tbs = cert !== null && cert.tag === TAG_SEQUENCE ? children(d, cert, 1)[0] : undefined;
  if (cert === null || tbs === undefined || tbs.tag !== TAG_SEQUENCE) {
    addField(parent, 'Certificate (' + (end - start) + ' bytes) [not a DER certificate, or cut short]', start, end - start);
    return;
  }
  const fields = children(d, tbs, 8);
  let i = 0;
  const version = fields[i]?.tag === TAG_VERSION ? fields[i++] : undefined;
  const serial = fields[i]?.tag === TAG_INTEGER ? fields[i++] : undefined;
  i++; // signature AlgorithmIdentifier
  const issuer = fields[i]?.tag === TAG_SEQUENCE ? fields[i] : undefined;
  const validity = fields[i + 1]?.tag === TAG_SEQUENCE ? fields[i + 1] : undefined;
  const subject = fields[i + 2]?.tag === TAG_SEQUENCE ? fields[i + 2] : undefined;
  const subjectText = subject !== undefined ? [...nameAttributes(d, subject)].reverse().join(',') : '';
  const title = 'Certificate (' + (cert.end - start) + ' bytes)' + (subjectText !== '' ? ': ' + subjectText : '');
  const node = addField(parent, title.length > MAX_LABEL ? title.slice(0, MAX_LABEL - 1) + '…' : title, start, cert.end - start);
  const signed = addField(node, 'signedCertificate', tbs.start, tbs.end - tbs.start);
  if (version !== undefined) {
    const v = children(d, version, 1)[0];
    if (v !== undefined && v.tag === TAG_INTEGER && v.end - v.body === 1) {
      addField(signed, 'version: ' + (['v1', 'v2', 'v3'][d[v.body]] ?? 'unknown') + ' (' + d[v.body] + ')', version.start, version.end - version.start);
    }
  }
  if (serial !== undefined && serial.end - serial.body <= 64) {
    let serialHex = '';
    for (let b = serial.body; b < serial.end; b++) serialHex += hex(d[b], 2).slice(2);
    addField(signed, 'serialNumber: 0x' + serialHex, serial.start, serial.end - serial.start);
  }
  if (issuer !== undefined) addName(signed, 'issuer', d, issuer);
  if (validity !== undefined) {
    const [notBefore, notAfter] = children(d, validity, 2);
    const isTime = (e: Element | undefined) => e !== undefined && (e.tag === TAG_UTC_TIME || e.tag === TAG_GENERALIZED_TIME);
    if (isTime(notBefore)) addField(signed, 'notBefore: ' + timeText(d, notBefore as Element), (notBefore as Element).start, (notBefore as Element).end - (notBefore as Element).start);
    if (isTime(notAfter)) addField(signed, 'notAfter: ' + timeText(d, notAfter as Element), (notAfter as Element).start, (notAfter as Element).end - (notAfter as Element).start);
  }
  if (subject !== undefined) addName(signed, 'subject', d, subject);
}
