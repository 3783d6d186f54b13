/*
 * Attacker-supplied bytes (DNS names, HTTP headers, SNI) become display text here. The text is kept
 * as sent, except that anything that could fool a reader is made visible as \xNN: C0 controls, DEL,
 * C1 controls, and the Unicode bidirectional overrides (a "Trojan Source" style spoof in a column).
 */

const HEX = '0123456789abcdef';
const utf8 = new TextDecoder('utf-8', { fatal: true });

function escapeByte(b: number): string {
  return '\\x' + HEX[b >> 4] + HEX[b & 15];
}

/** Characters to escape after UTF-8 decoding: controls and bidi/formatting overrides. */
function isUnsafeCodePoint(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff;
}

/**
 * Node's native Latin-1 slice reads straight from any Uint8Array: the fastest way to turn bytes
 * already known to be printable ASCII into a flat string (per-character concatenation is ~7x
 * slower and leaves rope strings). Probed once, with a portable fallback.
 */
type SliceFn = (this: Uint8Array, start: number, end: number) => string;
const nativeLatin1Slice: SliceFn | null = probeLatin1Slice();

function probeLatin1Slice(): SliceFn | null {
  try {
    const fn = (globalThis as { Buffer?: { prototype: { latin1Slice?: SliceFn } } }).Buffer?.prototype.latin1Slice;
    if (typeof fn !== 'function') return null;
    return fn.call(new Uint8Array([0x6f, 0x6b, 0x21]), 0, 2) === 'ok' ? fn : null;
  } catch {
    return null;
  }
}

/** data[start..end) as a string; the caller has checked every byte is printable ASCII. */
export function asciiSlice(d: Uint8Array, start: number, end: number): string {
  if (nativeLatin1Slice !== null) return nativeLatin1Slice.call(d, start, end);
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(d[i]);
  return s;
}

/**
 * Display text for data[start..end), at most `maxChars` characters of input (a longer value ends in
 * '…'). Printable ASCII takes a fast path; other bytes are decoded as UTF-8, and if that fails every
 * non-ASCII byte is shown as \xNN so nothing is silently replaced.
 */
export function printableText(d: Uint8Array, start: number, end: number, maxChars: number): string {
  let stop = end;
  let cut = false;
  if (stop - start > maxChars) { stop = start + maxChars; cut = true; }
  let i = start;
  while (i < stop && d[i] >= 0x20 && d[i] < 0x7f) i++;
  let s = asciiSlice(d, start, i);
  if (i < stop) s += mixedText(d, i, stop);
  return cut ? s + '…' : s;
}

/** The slow path: controls become \xNN, non-ASCII runs are decoded as UTF-8. */
function mixedText(d: Uint8Array, start: number, stop: number): string {
  let s = '';
  for (let i = start; i < stop; i++) {
    const b = d[i];
    if (b >= 0x80) return s + nonAsciiText(d, i, stop);
    s += b < 0x20 || b === 0x7f ? escapeByte(b) : String.fromCharCode(b);
  }
  return s;
}

function nonAsciiText(d: Uint8Array, start: number, stop: number): string {
  let decoded: string | null = null;
  try {
    decoded = utf8.decode(d.subarray(start, stop));
  } catch {
    decoded = null; // invalid UTF-8: fall through to byte escapes
  }
  let s = '';
  if (decoded !== null) {
    for (const ch of decoded) {
      const c = ch.codePointAt(0) as number;
      if (!isUnsafeCodePoint(c)) s += ch;
      else if (c < 0x100) s += escapeByte(c);
      else s += '\\u' + c.toString(16).padStart(4, '0');
    }
    return s;
  }
  for (let i = start; i < stop; i++) {
    const b = d[i];
    s += b < 0x20 || b >= 0x7f ? escapeByte(b) : String.fromCharCode(b);
  }
  return s;
}

/**
 * One DNS label as presentation text. Controls are escaped as everywhere else, and a literal '.' or
 * '\\' inside a label is backslash-escaped (RFC 4343 §2.1) so it cannot pass for a label boundary.
 * mDNS labels may be UTF-8 (RFC 6762 §16), so non-ASCII takes the same path as other text.
 */
export function dnsLabelText(d: Uint8Array, start: number, end: number): string {
  let i = start;
  // Fast path: printable ASCII other than '.' and '\\'.
  while (i < end && d[i] >= 0x20 && d[i] < 0x7f && d[i] !== 0x2e && d[i] !== 0x5c) i++;
  let s = asciiSlice(d, start, i);
  for (; i < end; i++) {
    const b = d[i];
    if (b >= 0x80) return s + escapeDots(nonAsciiText(d, i, end));
    if (b < 0x20 || b === 0x7f) s += escapeByte(b);
    else if (b === 0x2e || b === 0x5c) s += '\\' + String.fromCharCode(b);
    else s += String.fromCharCode(b);
  }
  return s;
}

function escapeDots(text: string): string {
  let s = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    // A backslash here only starts an escape we produced (\xNN, \uNNNN); keep it.
    s += c === '.' ? '\\.' : c;
  }
  return s;
}
