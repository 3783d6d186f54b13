/**
 * `flowcase export`: chosen packets of a case written to a new pcapng file, byte-exact from the
 * source captures, with their original timestamps (ns) and interfaces, and each packet's
 * annotations as opt_comment options. The export itself goes into the custody log with the
 * output's SHA-256.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CaseDb } from '../../db/open-case';
import { appendCustody, flowcaseVersion } from '../../db/custody';
import { FrameSource } from '../capture/frame-source';
import { compileFilter, registerFilterFunctions } from '../query/display-filter/index';
import { caseFirstTsNs } from '../../db/case-meta';
import { captureIntegrity, type CaptureDbRow } from '../query/overview';
import { exportCommentsFor, listPacketAnnotations } from '../query/annotations';
import { PcapngWriter } from './pcapng-writer';
import { beginGuardedWrite } from '../files/guarded-write';

export interface PcapngExportOptions {
  out: string;
  filter?: string;
  /** Only packets carrying an annotation of their own. */
  annotated?: boolean;
  /** Replace an existing file at `out` (never a capture or the case itself). */
  force?: boolean;
  casePath: string;
}

export interface PcapngExportResult {
  path: string;
  packets: number;
  commented: number;
  bytes: number;
  sha256: string;
}

/** An export that cannot be done as asked; the message names the file and what to do. */
export class ExportError extends Error { override name = 'ExportError'; }

const PAGE = 2000;

interface ExportRow { id: number; capture_id: number; if_index: number; ts: string; caplen: number; origlen: number; data_offset: number }

function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    const x = fs.statSync(a), y = fs.statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch { return false; }
}

/**
 * Refuse to write over the case, any of its captures, or (without force) any existing file: said
 * here in export terms; the guarded write checks the same again around its rename.
 */
function checkTarget(opts: PcapngExportOptions, protectedPaths: string[]): string {
  const out = path.resolve(opts.out);
  for (const p of protectedPaths) {
    if (sameFile(out, p)) throw new ExportError(`refusing to write ${out}: it is ${p === opts.casePath ? 'the case file' : 'a source capture of this case'}; choose another output file`);
  }
  if (fs.existsSync(out)) {
    if (fs.statSync(out).isDirectory()) throw new ExportError(`${out} is a folder; give a file name ending in .pcapng`);
    if (!opts.force) throw new ExportError(`${out} already exists: choose another name, or add --force to replace it`);
  }
  if (!fs.existsSync(path.dirname(out))) throw new ExportError(`the folder ${path.dirname(out)} does not exist`);
  return out;
}

function captureRows(db: CaseDb): Map<number, Pick<CaptureDbRow, 'id' | 'path' | 'name' | 'size' | 'mtime_ms' | 'sha256' | 'compressed' | 'link_types'>> {
  const rows = db.prepare('SELECT id, path, name, size, mtime_ms, sha256, compressed, link_types FROM captures').all() as Array<Pick<CaptureDbRow, 'id' | 'path' | 'name' | 'size' | 'mtime_ms' | 'sha256' | 'compressed' | 'link_types'>>;
  return new Map(rows.map((r) => [r.id, r]));
}

export async function exportPcapng(db: CaseDb, opts: PcapngExportOptions): Promise<PcapngExportResult> {
  const protect = [opts.casePath, ...(db.prepare('SELECT path FROM captures').pluck().all() as string[])];
  const out = checkTarget(opts, protect);
  const conds: string[] = ['p.id > ?'];
  const params: Array<string | number | bigint | Buffer> = [];
  if (opts.filter && opts.filter.trim()) {
    const compiled = compileFilter(opts.filter, { firstTsNs: caseFirstTsNs(db), rowOrder: true });
    registerFilterFunctions(db);
    conds.push(`(${compiled.sql})`);
    params.push(...compiled.params);
  }
  if (opts.annotated) conds.push('p.id IN (SELECT packet_id FROM packet_annotation_notes)');
  const page = db.prepare(`SELECT p.id, p.capture_id, p.if_index, CAST(p.ts_ns AS TEXT) AS ts, coalesce(p.caplen, p.origlen) AS caplen, p.origlen, p.data_offset
    FROM packets AS p WHERE ${conds.join(' AND ')} ORDER BY p.id LIMIT ${PAGE}`);
  const captures = captureRows(db);
  const ifaceStmt = db.prepare('SELECT link_type, snaplen, name, description FROM interfaces WHERE capture_id = ? AND if_index = ?');

  const pending = beginGuardedWrite(out, { kind: 'export', force: opts.force, protect });
  const fd = fs.openSync(pending.tempPath, 'w');
  const hash = createHash('sha256');
  const writer = new PcapngWriter((chunk) => { hash.update(chunk); fs.writeSync(fd, chunk); });
  const sources = new Map<number, FrameSource>();
  const interfaceIds = new Map<string, number>();
  let commented = 0;
  try {
    // The custody head at export time: a copy outside the case that shows if entries are later cut off its end.
    const head = db.prepare('SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    writer.writeSectionHeader({
      application: `Flowcase ${flowcaseVersion()}`,
      comments: [`Exported by Flowcase from case ${path.basename(opts.casePath)}${opts.filter ? `, filter: ${opts.filter}` : ''}${opts.annotated ? ', annotated packets only' : ''}${head ? `; custody log head: entry ${head.seq}, sha256 ${head.hash}` : ''}`],
    });
    let after = 0;
    for (;;) {
      const rows = page.all(after, ...params) as ExportRow[];
      if (rows.length === 0) break;
      const notes = listPacketAnnotations(db, rows[0].id, rows[rows.length - 1].id);
      for (const row of rows) {
        const cap = captures.get(row.capture_id);
        if (!cap) throw new ExportError(`packet ${row.id}: its capture (#${row.capture_id}) is not recorded in the case`);
        let source = sources.get(cap.id);
        if (!source) {
          const check = captureIntegrity(cap);
          if (check.integrity !== 'ok') throw new ExportError(`cannot export packet bytes from ${cap.name}: ${check.detail ?? check.integrity}`);
          source = new FrameSource(cap.path, cap.compressed === 1);
          sources.set(cap.id, source);
        }
        const key = `${row.capture_id}:${row.if_index}`;
        let ifId = interfaceIds.get(key);
        if (ifId === undefined) {
          const iface = ifaceStmt.get(row.capture_id, row.if_index) as { link_type: number; snaplen: number; name: string | null; description: string | null } | undefined;
          ifId = writer.addInterface(iface
            ? { linkType: iface.link_type, snaplen: iface.snaplen, name: iface.name, description: iface.description }
            : { linkType: firstLinkType(cap.link_types), snaplen: 262144 });
          interfaceIds.set(key, ifId);
        }
        const data = await source.read(row.data_offset, row.caplen);
        const comments = exportCommentsFor(notes.get(row.id) ?? []);
        if (comments.length) commented++;
        writer.writePacket({ interfaceId: ifId, tsNs: BigInt(row.ts), data, origLen: row.origlen, comments });
      }
      after = rows[rows.length - 1].id;
    }
    fs.closeSync(fd);
    pending.commit(); // fsync, re-check, rename
  } catch (err) {
    try { fs.closeSync(fd); } catch { /* already closed */ }
    pending.abort();
    throw err;
  } finally {
    for (const source of sources.values()) await source.close();
  }
  const sha256 = hash.digest('hex');
  appendCustody(db, 'export.pcapng', { path: out, packets: writer.packets, commented, bytes: writer.bytes, sha256, filter: opts.filter ?? null, annotated: !!opts.annotated });
  return { path: out, packets: writer.packets, commented, bytes: writer.bytes, sha256 };
}

function firstLinkType(text: string): number {
  try {
    const v: unknown = JSON.parse(text);
    if (Array.isArray(v) && typeof v[0] === 'number') return v[0];
  } catch { /* fall through */ }
  return 1;
}
