/**
 * data/evidence/evidence.pcapng: the cited, annotated and filter-selected packets, byte-exact
 * from the source captures, with their original timestamps and interfaces. Each packet carries
 * comments: first a machine-readable line mapping it back to its source capture (SHA-256) and
 * frame number, then one per finding that cites it and one per annotation on it.
 *
 * Constant memory: the selection lives in temporary SQLite tables, is read a page at a time in
 * frame order, and each source capture is streamed once by the same reader the ingest uses.
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { CaseDb } from '../../../db/open-case';
import { readCapture } from '../../capture/read-capture';
import type { CaptureRecord } from '../../capture/capture-record';
import { compileFilter, registerFilterFunctions } from '../../query/display-filter';
import { caseFirstTsNs } from '../../../db/case-meta';
import { roleLabel } from '../report-common';
import { PcapngWriter } from '../pcapng-writer';

export class BundleError extends Error { override name = 'BundleError'; }

/** The first comment of every evidence packet: `verify` reads it back. */
export const SOURCE_COMMENT = /^flowcase-source: capture-sha256=([0-9a-f]{64}) frame=(\d+) case-packet=(\d+)(?: capture=(.*))?$/;

export function sourceComment(sha256: string, frame: number, packetId: number, name: string): string {
  return `flowcase-source: capture-sha256=${sha256} frame=${frame} case-packet=${packetId} capture=${name.replace(/[\r\n]/g, ' ')}`;
}

export interface EvidenceResult { packets: number; bytes: number; sha256: string; byCapture: Array<{ captureId: number; packets: number }> }

const PAGE = 4096;
const FLUSH_BYTES = 1 << 20;

/** Fills temp.bundle_frames with the packets to export; returns how many. */
export function selectEvidence(db: CaseDb, filter?: string): number {
  db.exec(`DROP TABLE IF EXISTS temp.bundle_pick; DROP TABLE IF EXISTS temp.bundle_frames; DROP TABLE IF EXISTS temp.bundle_notes;
    CREATE TEMP TABLE bundle_pick (packet_id INTEGER PRIMARY KEY);
    CREATE TEMP TABLE bundle_frames (capture_id INTEGER NOT NULL, frame_no INTEGER NOT NULL, packet_id INTEGER NOT NULL,
      PRIMARY KEY (capture_id, frame_no)) WITHOUT ROWID;
    CREATE TEMP TABLE bundle_notes (packet_id INTEGER NOT NULL, ord INTEGER NOT NULL, role TEXT, text TEXT NOT NULL);`);
  db.exec('INSERT OR IGNORE INTO temp.bundle_pick SELECT packet_id FROM finding_evidence');
  db.exec('INSERT OR IGNORE INTO temp.bundle_pick SELECT packet_id FROM annotations WHERE packet_id IS NOT NULL AND deleted = 0');
  if (filter && filter.trim()) {
    registerFilterFunctions(db);
    const f = compileFilter(filter, { firstTsNs: caseFirstTsNs(db) });
    db.prepare(`INSERT OR IGNORE INTO temp.bundle_pick SELECT p.id FROM packets AS p WHERE ${f.sql}`).run(...(f.params as unknown[]));
  }
  db.exec(`INSERT INTO temp.bundle_frames SELECT p.capture_id, p.frame_no, p.id FROM temp.bundle_pick b JOIN packets p ON p.id = b.packet_id`);
  // Comments, built in SQL so nothing is held in memory: citations first (finding order), then annotations.
  db.exec(`INSERT INTO temp.bundle_notes (packet_id, ord, role, text)
    SELECT e.packet_id, e.finding_id, e.role, 'Cited by finding #' || e.finding_id || ' (' || f.title || ') as: '
    FROM finding_evidence e JOIN findings f ON f.id = e.finding_id`);
  db.exec(`INSERT INTO temp.bundle_notes (packet_id, ord, role, text)
    SELECT packet_id, 1000000000 + id, NULL, 'Annotation #' || id || coalesce(' by ' || nullif(author, ''), '') || ': ' || text
    FROM annotations WHERE packet_id IS NOT NULL AND deleted = 0`);
  db.exec('CREATE INDEX temp.bundle_notes_by_packet ON bundle_notes (packet_id, ord)');
  return db.prepare('SELECT count(*) FROM temp.bundle_frames').pluck().get() as number;
}

interface Want { frame_no: number; id: number; if_index: number; ts: string; caplen: number; origlen: number }

export async function writeEvidencePcapng(db: CaseDb, outPath: string, appName: string): Promise<EvidenceResult> {
  const out = await open(outPath, 'wx');
  const hash = createHash('sha256');
  let bytes = 0;
  let queue: Buffer[] = [];
  let queued = 0;
  const push = (b: Buffer) => { queue.push(b); queued += b.length; };
  const flush = async (fh: FileHandle) => {
    if (queued === 0) return;
    const chunk = Buffer.concat(queue, queued);
    queue = []; queued = 0;
    hash.update(chunk);
    bytes += chunk.length;
    await fh.write(chunk);
  };
  try {
    const writer = new PcapngWriter(push);
    writer.writeSectionHeader({ application: appName });
    const byCapture: EvidenceResult['byCapture'] = [];
    const ifIds = new Map<string, number>();
    const captures = db.prepare(`SELECT c.id, c.path, c.name, c.sha256 FROM captures c
      WHERE EXISTS (SELECT 1 FROM temp.bundle_frames f WHERE f.capture_id = c.id) ORDER BY c.id`).all() as Array<{ id: number; path: string; name: string; sha256: string }>;
    const page = db.prepare(`SELECT f.frame_no, p.id, p.if_index, CAST(p.ts_ns AS TEXT) AS ts, coalesce(p.caplen, p.origlen) AS caplen, p.origlen
      FROM temp.bundle_frames f JOIN packets p ON p.id = f.packet_id WHERE f.capture_id = ? AND f.frame_no > ? ORDER BY f.frame_no LIMIT ${PAGE}`);
    const notesOf = db.prepare('SELECT packet_id AS id, role, text FROM temp.bundle_notes WHERE packet_id BETWEEN ? AND ? ORDER BY packet_id, ord');
    const ifRow = db.prepare('SELECT link_type AS linkType, snaplen, name FROM interfaces WHERE capture_id = ? AND if_index = ?');
    let total = 0;
    for (const cap of captures) {
      let wants: Want[] = [];
      let at = 0;
      let notes = new Map<number, string[]>();
      let lastFrame = 0;
      const refill = () => {
        wants = page.all(cap.id, lastFrame) as Want[];
        at = 0;
        notes = new Map();
        if (wants.length === 0) return;
        const ids = wants.map((w) => w.id);
        for (const r of notesOf.all(Math.min(...ids), Math.max(...ids)) as Array<{ id: number; role: string | null; text: string }>) {
          (notes.get(r.id) ?? notes.set(r.id, []).get(r.id)!).push(r.role === null ? r.text : r.text + roleLabel(r.role));
        }
      };
      refill();
      let frame = 0;
      let written = 0;
      let mismatch: string | null = null;
      const interfaceId = (rec: CaptureRecord, w: Want): number => {
        const key = `${cap.id}:${w.if_index}`;
        let id = ifIds.get(key);
        if (id === undefined) {
          const row = ifRow.get(cap.id, w.if_index) as { linkType: number; snaplen: number; name: string | null } | undefined;
          id = writer.addInterface({
            linkType: row?.linkType ?? rec.linkType, snaplen: row?.snaplen ?? 262144, name: row?.name ?? null,
            description: `${cap.name} interface ${w.if_index} (capture SHA-256 ${cap.sha256})`,
          });
          ifIds.set(key, id);
        }
        return id;
      };
      try {
        await readCapture(cap.path, {
          onRecord(rec) {
            frame++;
            if (mismatch || at >= wants.length || wants[at].frame_no !== frame) return;
            const w = wants[at];
            const ts = BigInt(rec.tsSec) * 1_000_000_000n + BigInt(rec.tsNsec);
            if (rec.caplen !== w.caplen || String(ts) !== w.ts) {
              mismatch = `${cap.name}: frame ${frame} is not the packet indexed as No. ${w.id} (the capture changed since it was imported)`;
              return;
            }
            writer.writePacket({ interfaceId: interfaceId(rec, w), tsNs: ts, data: rec.data, origLen: w.origlen, comments: [sourceComment(cap.sha256, frame, w.id, cap.name), ...(notes.get(w.id) ?? [])] });
            written++;
            lastFrame = frame;
            if (++at >= wants.length) refill();
          },
          async onChunk() {
            if (queued >= FLUSH_BYTES) await flush(out);
            return mismatch === null;
          },
        });
      } catch (err) {
        throw new BundleError(`cannot read the source capture ${cap.path}: ${(err as Error).message}`);
      }
      if (mismatch) throw new BundleError(mismatch);
      if (at < wants.length) throw new BundleError(`${cap.name}: the capture ends before frame ${wants[at].frame_no} (packet No. ${wants[at].id}); restore the original capture`);
      byCapture.push({ captureId: cap.id, packets: written });
      total += written;
      await flush(out);
    }
    await flush(out);
    await out.sync();
    return { packets: total, bytes, sha256: hash.digest('hex'), byCapture };
  } finally {
    await out.close();
  }
}
