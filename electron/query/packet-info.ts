/**
 * The Info column, derived when a page is shown: the case keeps no Info text per packet (it was
 * most of the case file), so the packets' bytes are read back from the source capture and decoded
 * again, the same decode the ingest ran. A page of 200 rows is a few milliseconds. When the source
 * is missing or changed, the row keeps every indexed column and Info says that it needs the capture.
 * Gzip captures cannot be read at an offset cheaply, so their Info is stored at ingest (packet_info).
 */
import type { CaseDb } from '../../db/open-case';
import { FrameReader } from '../capture/frame-reader';
import { decodeFrame } from '../decode/decode-frame';
import { newSummary, type PacketSummary } from '../decode/packet-summary';
import { captureIntegrity } from './overview';

/** The columns of `packets` the Info of a row is derived from. */
export interface InfoSourceRow {
  id: number;
  capture_id: number;
  if_index: number;
  /** NULL when the frame was captured whole. */
  caplen: number | null;
  origlen: number;
  data_offset: number;
}

/** SQL selecting InfoSourceRow's columns from `packets AS p`. */
export const INFO_SOURCE_COLUMNS = 'p.capture_id AS capture_id, p.if_index AS if_index, p.caplen AS caplen, p.data_offset AS data_offset';

/** The text shown instead of Info when the bytes cannot be read; the rest of the row stays. */
export function infoNeedsCapture(name: string, why: string): string {
  return `[Info needs the capture: ${name} ${why}]`;
}

/** Ingest stores text without NUL: the packed batch used it as a separator. Derived Info matches that. */
export function cleanInfo(info: string): string {
  return info.includes('\u0000') ? info.replaceAll('\u0000', '.') : info;
}

interface CaptureSource {
  name: string;
  reader: FrameReader | null;
  compressed: boolean;
  /** Why the bytes cannot be read, as the row's Info says it. */
  problem: string | null;
  linkTypes: Map<number, number>;
  fallbackLinkType: number;
}

/** Derives Info for rows of one case; open for one page or one stream, then `close()`. */
export class PacketInfoReader {
  private readonly captures = new Map<number, CaptureSource>();
  private readonly summary = newSummary();
  private readonly stored;
  private readonly captureRow;
  private readonly interfaces;

  constructor(db: CaseDb) {
    this.stored = db.prepare('SELECT info FROM packet_info WHERE packet_id = ?').pluck();
    this.captureRow = db.prepare('SELECT path, name, size, mtime_ms, sha256, compressed, link_types FROM captures WHERE id = ?');
    this.interfaces = db.prepare('SELECT if_index, link_type FROM interfaces WHERE capture_id = ?');
  }

  infoOf(row: InfoSourceRow): string {
    const src = this.source(row.capture_id);
    if (src.compressed) return (this.stored.get(row.id) as string | undefined) ?? infoNeedsCapture(src.name, 'is compressed and its Info was not stored');
    if (src.reader === null) return infoNeedsCapture(src.name, src.problem ?? 'cannot be read');
    let bytes: Uint8Array;
    try {
      bytes = src.reader.read(row.data_offset, row.caplen ?? row.origlen);
    } catch {
      return infoNeedsCapture(src.name, 'no longer holds this packet (shortened or replaced)');
    }
    const linkType = src.linkTypes.get(row.if_index) ?? src.fallbackLinkType;
    decodeFrame(linkType, bytes, this.summary, null, row.origlen);
    return cleanInfo(this.summary.info);
  }

  /**
   * The decoded frame of a row (one summary object, reused: read it before the next call), or null
   * when its bytes cannot be read here (compressed, missing or changed capture). The ladder uses it
   * for TCP sequence numbers, which the case does not store either.
   */
  decode(row: InfoSourceRow): PacketSummary | null {
    const src = this.source(row.capture_id);
    if (src.compressed || src.reader === null) return null;
    try {
      const bytes = src.reader.read(row.data_offset, row.caplen ?? row.origlen);
      decodeFrame(src.linkTypes.get(row.if_index) ?? src.fallbackLinkType, bytes, this.summary, null, row.origlen);
      return this.summary;
    } catch {
      return null;
    }
  }

  /**
   * A row's frame bytes (a view valid until the next read: copy what you keep) and link type, or
   * null when they cannot be read here. The detail view reads a flow's neighbouring packets with it.
   */
  frame(row: InfoSourceRow): { bytes: Uint8Array; linkType: number } | null {
    const src = this.source(row.capture_id);
    if (src.compressed || src.reader === null) return null;
    try {
      return { bytes: src.reader.read(row.data_offset, row.caplen ?? row.origlen), linkType: src.linkTypes.get(row.if_index) ?? src.fallbackLinkType };
    } catch {
      return null;
    }
  }

  private source(captureId: number): CaptureSource {
    let src = this.captures.get(captureId);
    if (src) return src;
    const cap = this.captureRow.get(captureId) as { path: string; name: string; size: number; mtime_ms: number; sha256: string; compressed: number; link_types: string } | undefined;
    src = { name: cap?.name ?? `capture #${captureId}`, reader: null, compressed: cap?.compressed === 1, problem: null, linkTypes: new Map(), fallbackLinkType: 1 };
    if (!cap) src.problem = 'is not recorded in the case';
    else if (!src.compressed) {
      const check = captureIntegrity(cap);
      if (check.integrity !== 'ok') src.problem = check.integrity === 'missing' ? 'is missing (relocate it)' : 'has changed since it was indexed (relocate the original)';
      else {
        try { src.reader = new FrameReader(cap.path); } catch (err) { src.problem = `cannot be opened (${(err as Error).message})`; }
      }
      for (const i of this.interfaces.all(captureId) as Array<{ if_index: number; link_type: number }>) src.linkTypes.set(i.if_index, i.link_type);
      src.fallbackLinkType = firstLinkType(cap.link_types);
    }
    this.captures.set(captureId, src);
    return src;
  }

  close(): void {
    for (const src of this.captures.values()) src.reader?.close();
    this.captures.clear();
  }
}

function firstLinkType(json: string): number {
  try {
    const list: unknown = JSON.parse(json);
    if (Array.isArray(list) && typeof list[0] === 'number') return list[0];
  } catch { /* fall through */ }
  return 1; // Ethernet, as packet-detail assumes
}

/** Fills `info` on rows selected with INFO_SOURCE_COLUMNS, reading each capture once through a window. */
export function withInfo<R extends InfoSourceRow>(db: CaseDb, rows: R[]): Array<R & { info: string }> {
  const reader = new PacketInfoReader(db);
  try {
    return rows.map((r) => Object.assign(r, { info: reader.infoOf(r) }));
  } finally {
    reader.close();
  }
}
