/**
 * `frame contains …`, `tcp contains …`, `udp contains …`: a byte search in each packet's bytes, which
 * the case does not store, so the SQL function reads them back from the source capture (through a
 * read-ahead window; packets come in id order, so that is one read per megabyte).
 *
 * Bounded: a search runs inside one SQLite statement, which holds the process while it runs, so
 * the searches of one synchronous run (the event loop has not turned) may take containsBudget.ms in
 * all; past that the statement is stopped with a FilterError that says how far it got and how to
 * narrow the scope. The compiler puts these tests after every other test of an `&&`, so a narrow
 * scope (`ip.addr == … && frame contains …`, a time range, a finding) reads only what it must.
 */
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { sha256FileSync } from '../../capture/file-hasher';
import { FrameReader } from '../../capture/frame-reader';
import { decodeFrame } from '../../decode/decode-frame';
import { newSummary, type TreeNode } from '../../decode/packet-summary';
import { FilterError } from './filter-error';

export const CONTAINS_FUNCTION = 'flowcase_contains';
/** Which bytes a search looks at: the whole frame, or the TCP/UDP layer (header and payload) as Wireshark's `tcp contains`. */
export const LAYER_FRAME = 0;
export const LAYER_TCP = 6;
export const LAYER_UDP = 17;

/** The longest a statement may search packet bytes before it is stopped (an object so tests can lower it). */
export const containsBudget = { ms: 2000 };
const CHECK_EVERY = 256;

interface Source { reader: FrameReader | null; problem: string; linkTypes: Map<number, number>; fallback: number }

/**
 * The captures and interfaces of each connection, read before its statements run: a function
 * called by SQLite cannot query the connection that is running it.
 */
const snapshots = new WeakMap<Database.Database, { captures: Map<number, CaptureRow>; linkTypes: Map<string, number> }>();

/** Reads the case's captures and interfaces for flowcase_contains; called before each filter's SQL runs. */
export function refreshContains(db: Database.Database): void {
  const captures = new Map<number, CaptureRow>();
  for (const c of db.prepare('SELECT id, path, name, size, mtime_ms, sha256, compressed, link_types FROM captures').all() as Array<CaptureRow & { id: number }>) captures.set(c.id, c);
  const linkTypes = new Map<string, number>();
  for (const i of db.prepare('SELECT capture_id, if_index, link_type FROM interfaces').all() as Array<{ capture_id: number; if_index: number; link_type: number }>) {
    linkTypes.set(i.capture_id + ':' + i.if_index, i.link_type);
  }
  snapshots.set(db, { captures, linkTypes });
}

/** Installs flowcase_contains on `db` (once, from registerFilterFunctions). */
export function registerContains(db: Database.Database): void {
  const sources = new Map<number, Source>();
  const summary = newSummary();
  let burstStart = 0;
  let searched = 0;

  const source = (captureId: number): Source => {
    let src = sources.get(captureId);
    if (src !== undefined) return src;
    const snapshot = snapshots.get(db);
    src = openSource(snapshot?.captures.get(captureId), captureId);
    for (const [key, linkType] of snapshot?.linkTypes ?? []) {
      const [cap, ifIndex] = key.split(':').map(Number);
      if (cap === captureId) src.linkTypes.set(ifIndex, linkType);
    }
    sources.set(captureId, src);
    return src;
  };

  db.function(CONTAINS_FUNCTION, { deterministic: false, varargs: false },
    (layer: unknown, captureId: unknown, ifIndex: unknown, offset: unknown, caplen: unknown, origlen: unknown, needle: unknown, opPos: unknown) => {
      if (burstStart === 0) {
        burstStart = Date.now();
        searched = 0;
        // Runs once the statement has finished and the event loop turns: the next statement starts afresh,
        // and re-opens the captures (one may have been relocated in between).
        setImmediate(() => {
          burstStart = 0;
          for (const s of sources.values()) s.reader?.close();
          sources.clear();
        });
      }
      if (++searched % CHECK_EVERY === 0 && Date.now() - burstStart > containsBudget.ms) {
        throw new FilterError(`"contains" searched the bytes of ${searched.toLocaleString('en-US')} packets in ${(Date.now() - burstStart) / 1000} s and stopped: ` +
          'narrow the scope first (a time range, a finding, or terms such as ip.addr == … && frame contains …)', Number(opPos));
      }
      if (!Buffer.isBuffer(needle) || typeof captureId !== 'number' || typeof offset !== 'number' || typeof caplen !== 'number') return 0;
      const src = source(captureId);
      if (src.reader === null) throw new FilterError(`"contains" needs the packet bytes, but ${src.problem}`, Number(opPos));
      let bytes: Uint8Array;
      try {
        bytes = src.reader.read(offset, caplen);
      } catch {
        throw new FilterError(`"contains" needs the packet bytes, but the capture no longer holds them (shortened or replaced; relocate the original)`, Number(opPos));
      }
      const frame = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const at = frame.indexOf(needle);
      if (at < 0 || layer === LAYER_FRAME) return at < 0 ? 0 : 1;
      // The needle is in the frame; is it in the transport layer? Only now is the frame decoded.
      const tree: TreeNode[] = [];
      decodeFrame(src.linkTypes.get(Number(ifIndex)) ?? src.fallback, bytes, summary, tree, typeof origlen === 'number' ? origlen : -1);
      const title = layer === LAYER_TCP ? 'Transmission Control Protocol' : 'User Datagram Protocol';
      // The first such layer, also the one quoted inside an ICMP error (tshark's `udp` is there too).
      const l4 = firstLayer(tree, title, 0);
      if (l4 === null) return 0;
      // tshark decodes the datagram quoted in an ICMP Redirect only to its transport header.
      if (summary.icmp !== null && summary.icmp.version === 4 && summary.icmp.type === 5) {
        return frame.subarray(l4.start, l4.start + l4.length).indexOf(needle) >= 0 ? 1 : 0;
      }
      return frame.indexOf(needle, l4.start) >= 0 ? 1 : 0;
    });
}

function firstLayer(nodes: TreeNode[], title: string, depth: number): TreeNode | null {
  for (const n of nodes) {
    if (n.label.startsWith(title)) return n;
    if (depth < 2 && n.children !== undefined) {
      const inner = firstLayer(n.children, title, depth + 1);
      if (inner !== null) return inner;
    }
  }
  return null;
}

interface CaptureRow { path: string; name: string; size: number; mtime_ms: number; sha256: string; compressed: number; link_types: string }

/** Opens a capture for reading back, if it is the file that was indexed (size and time, else its hash). */
function openSource(cap: CaptureRow | undefined, captureId: number): Source {
  const src: Source = { reader: null, problem: '', linkTypes: new Map(), fallback: 1 };
  if (cap === undefined) { src.problem = `capture #${captureId} is not recorded in the case`; return src; }
  try {
    const list: unknown = JSON.parse(cap.link_types);
    if (Array.isArray(list) && typeof list[0] === 'number') src.fallback = list[0];
  } catch { /* Ethernet */ }
  if (cap.compressed === 1) { src.problem = `${cap.name} is compressed (decompress it and open that file to search packet bytes)`; return src; }
  let st: fs.Stats;
  try { st = fs.statSync(cap.path); } catch { src.problem = `${cap.name} is missing (relocate it)`; return src; }
  if (st.size !== cap.size) { src.problem = `${cap.name} has changed since it was indexed (relocate the original)`; return src; }
  if (Math.abs(Math.floor(st.mtimeMs) - cap.mtime_ms) > 1) {
    let digest = '';
    try { digest = sha256FileSync(cap.path); } catch { /* reported below */ }
    if (digest !== cap.sha256) { src.problem = `${cap.name} has changed since it was indexed (relocate the original)`; return src; }
  }
  try { src.reader = new FrameReader(cap.path); } catch (err) { src.problem = `${cap.name} cannot be opened (${(err as Error).message})`; }
  return src;
}

/**
 * The bytes a `contains` value stands for: a quoted string as UTF-8, or a byte string written as hex
 * pairs separated by ':', '-' or '.' (0a:0b:0c), as Wireshark reads them. Null when neither.
 */
export function containsBytes(text: string, quoted: boolean): Buffer | null {
  if (quoted) return Buffer.from(text, 'utf8');
  if (!/^[0-9A-Fa-f]{2}([:.-][0-9A-Fa-f]{2})*$/.test(text)) return null;
  return Buffer.from(text.replace(/[:.-]/g, ''), 'hex');
}
