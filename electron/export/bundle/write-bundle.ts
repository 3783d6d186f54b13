/**
 * `flowcase bundle` and "Export evidence bundle…": the case as a BagIt bag (RFC 8493) that
 * another examiner can verify offline, as a folder or as a zip of one folder:
 *
 *   bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
 *   data/report/report.{md,html,pdf}   the finalised report (else the latest draft)
 *   data/evidence/evidence.pcapng      cited + annotated (+ --filter) packets, byte-exact, with comments
 *   data/evidence/original/…           the source captures (--include-captures)
 *   data/case/{findings,annotations,captures}.json  case.jsonld (CASE/UCO)
 *   data/custody/custody-log.jsonl     the case's custody log, this export's entry last
 *   data/figures/*.svg                 the report's figures: timeline.svg, host-graph.svg, handshake-finding-N.svg
 *
 * The bag is built under a temporary name beside the target and renamed into place; an existing
 * target is refused unless `force` (and then only a previous bag or zip is replaced). The custody
 * entry "export.bundle" records the SHA-256 of the payload manifest lines of every file written
 * before it (all payload files but custody-log.jsonl, which holds the entry, and case.jsonld,
 * which describes it); `verify` recomputes it.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import yazl from 'yazl';
import type { CaseDb } from '../../../db/open-case';
import { appendCustody, currentAnalyst, flowcaseVersion, readCustody } from '../../../db/custody';
import { allAnnotations } from '../../../db/annotation-store';
import { listFindings } from '../../query/findings';
import { readFinding, readFindingDetails } from '../../analysis/findings-store';
import { latestDocumentId, latestFinalisedVersionId } from '../../../db/report-store';
import { renderReportText, reportText } from '../report-export';
import { reportFigures } from '../figures/report-figures';
import { beginGuardedWrite } from '../../files/guarded-write';
import { BundleError, selectEvidence, writeEvidencePcapng } from './evidence-pcapng';
import { caseGraph, type JsonldAction, type JsonldFile } from './case-jsonld';

export { BundleError };

export interface BundleOptions {
  /** A folder to create, or a file ending in .zip. */
  out: string;
  includeCaptures?: boolean;
  filter?: string;
  force?: boolean;
  /** Bag-info Source-Organization (default: FLOWCASE_ORGANIZATION or "Flowcase user"). */
  organization?: string;
  now?: Date;
}

export interface BundleResult {
  path: string;
  zip: boolean;
  bagName: string;
  files: number;
  payloadBytes: number;
  evidencePackets: number;
  manifestSha256: string;
  tagmanifestSha256: string;
  custodySeq: number;
}

export interface PayloadFile { rel: string; sha256: string; size: number }

const sha256Of = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** `sha256sum -c` format, and RFC 8493 §2.1.3: CR, LF and % in a path are percent-encoded. */
export function manifestLine(f: PayloadFile): string {
  return `${f.sha256}  ${f.rel.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`;
}

export function manifestText(files: PayloadFile[]): string {
  return [...files].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0)).map(manifestLine).join('');
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function oneLine(s: string): string { return s.replace(/[\r\n]+/g, ' ').trim(); }

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_').slice(0, 120) || 'capture';
}

class BagWriter {
  readonly files: PayloadFile[] = [];
  constructor(readonly root: string) {}

  async write(rel: string, data: Buffer | string): Promise<PayloadFile> {
    const abs = path.join(this.root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, data, { flag: 'wx' });
    const f = { rel, sha256: sha256Of(data), size: Buffer.byteLength(data) };
    this.files.push(f);
    return f;
  }

  /** Streams a file in with its hash computed on the way (constant memory). */
  async copy(rel: string, from: string): Promise<PayloadFile> {
    const abs = path.join(this.root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    const src = fs.createReadStream(from, { highWaterMark: 1 << 20 });
    src.on('data', (c) => { hash.update(c as Buffer); size += (c as Buffer).length; });
    await pipeline(src, fs.createWriteStream(abs, { flags: 'wx' }));
    const f = { rel, sha256: hash.digest('hex'), size };
    this.files.push(f);
    return f;
  }

  add(f: PayloadFile): void { this.files.push(f); }
}

function checkTarget(out: string, force: boolean): { abs: string; zip: boolean } {
  const abs = path.resolve(out);
  const zip = /\.zip$/i.test(abs);
  if (!fs.existsSync(path.dirname(abs))) throw new BundleError(`the folder ${path.dirname(abs)} does not exist`);
  if (fs.existsSync(abs) && !zip) {
    if (!force) throw new BundleError(`${abs} already exists; choose another name or pass --force to replace a previous bundle`);
    if (!fs.statSync(abs).isDirectory() || !fs.existsSync(path.join(abs, 'bagit.txt'))) {
      throw new BundleError(`${abs} exists and is not a BagIt bag; --force only replaces a previous bundle`);
    }
  }
  return { abs, zip };
}

export async function writeBundle(db: CaseDb, opts: BundleOptions): Promise<BundleResult> {
  const { abs, zip } = checkTarget(opts.out, !!opts.force);
  const protect = [db.name, ...(db.prepare('SELECT path FROM captures').pluck().all() as string[])];
  // Refuse a zip target early, through the guarded write path (never over a capture or a case).
  const pendingZip = zip ? beginGuardedWrite(abs, { kind: 'bundle', force: !!opts.force, protect }) : null;
  const now = opts.now ?? new Date();
  const caseStem = path.basename(db.name).replace(/\.[^.]+$/, '') || 'case';
  const bagName = zip ? `${safeName(caseStem)}-${stamp(now)}` : path.basename(abs);
  const work = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}-${randomBytes(4).toString('hex')}.partial-bag`);
  fs.mkdirSync(work);
  try {
    const bag = new BagWriter(work);
    const result = await fillBag(db, bag, opts, now, abs, bagName);
    if (zip) {
      await zipFolder(work, bagName, pendingZip!.tempPath);
      pendingZip!.commit();
      fs.rmSync(work, { recursive: true, force: true });
    } else {
      replaceFolder(work, abs);
    }
    return { ...result, path: abs, zip, bagName };
  } catch (err) {
    pendingZip?.abort();
    fs.rmSync(work, { recursive: true, force: true });
    throw err;
  }
}

/** Rename the finished bag into place; a previous bag (checked above) is moved aside first and removed after. */
function replaceFolder(work: string, abs: string): void {
  if (!fs.existsSync(abs)) { fs.renameSync(work, abs); return; }
  const aside = `${work}.old`;
  fs.renameSync(abs, aside);
  try { fs.renameSync(work, abs); } catch (err) { fs.renameSync(aside, abs); throw err; }
  fs.rmSync(aside, { recursive: true, force: true });
}

async function fillBag(db: CaseDb, bag: BagWriter, opts: BundleOptions, now: Date, target: string, bagName: string) {
  const appVersion = flowcaseVersion();
  const analyst = currentAnalyst(db);
  const captures = db.prepare(`SELECT id, name, path, size, sha256, format, packet_count AS packets, CAST(first_ts_ns AS TEXT) AS firstTsNs,
    CAST(last_ts_ns AS TEXT) AS lastTsNs FROM captures ORDER BY id`).all() as Array<{ id: number; name: string; path: string; size: number; sha256: string; format: string; packets: number; firstTsNs: string | null; lastTsNs: string | null }>;

  // The report: the finalised version when there is one.
  const docId = latestDocumentId(db);
  const version = docId !== null && latestFinalisedVersionId(db, docId) !== null ? 'finalised' as const : 'latest' as const;
  const reportFiles: PayloadFile[] = [];
  const text = reportText(db, version);
  const reportInfo = { version: text.version, sha256: text.sha256 };
  // The figures the report embeds, also as files (report.md refers to them).
  const figures = await reportFigures(db);
  for (const format of ['md', 'html', 'pdf'] as const) {
    reportFiles.push(await bag.write(`data/report/report.${format}`, await renderReportText(text, format, figures, { figureDir: '../figures/' })));
  }
  for (const f of figures) await bag.write(`data/figures/${f.file}`, f.svg);

  // Evidence packets, byte-exact from the sources.
  selectEvidence(db, opts.filter);
  fs.mkdirSync(path.join(bag.root, 'data/evidence'), { recursive: true });
  const ev = await writeEvidencePcapng(db, path.join(bag.root, 'data/evidence/evidence.pcapng'), `Flowcase ${appVersion} evidence bundle`);
  const evidenceFile: PayloadFile = { rel: 'data/evidence/evidence.pcapng', sha256: ev.sha256, size: ev.bytes };
  bag.add(evidenceFile);

  const originals: Array<{ captureId: number; file: PayloadFile }> = [];
  if (opts.includeCaptures) {
    for (const c of captures) {
      if (!fs.existsSync(c.path)) throw new BundleError(`source capture ${c.path} is missing: restore it or bundle without --include-captures`);
      const f = await bag.copy(`data/evidence/original/${c.id}-${safeName(c.name)}`, c.path);
      if (f.sha256 !== c.sha256) throw new BundleError(`${c.path} has changed since it was imported (SHA-256 ${f.sha256}, imported as ${c.sha256})`);
      originals.push({ captureId: c.id, file: f });
    }
  }

  // The case as data.
  const findings = listFindings(db).map((s) => ({ ...readFinding(db, s.id), details: readFindingDetails(db, s.id) }));
  await bag.write('data/case/findings.json', JSON.stringify(findings, null, 2) + '\n');
  const annotations = allAnnotations(db);
  await bag.write('data/case/annotations.json', JSON.stringify(annotations, null, 2) + '\n');
  await bag.write('data/case/captures.json', JSON.stringify(captures.map((c) => ({
    id: c.id, name: c.name, size: c.size, sha256: c.sha256, format: c.format, packets: c.packets, firstTsNs: c.firstTsNs, lastTsNs: c.lastTsNs,
    original: originals.find((o) => o.captureId === c.id)?.file.rel ?? null,
  })), null, 2) + '\n');

  // Custody: this export, with the hash of the payload written so far; then the log itself.
  const payloadManifestSha256 = sha256Of(manifestText(bag.files));
  const entry = appendCustody(db, 'export.bundle', {
    bag: bagName, target, payloadManifestSha256, files: bag.files.length, evidencePackets: ev.packets,
    evidenceSha256: ev.sha256, report: reportInfo, includeCaptures: !!opts.includeCaptures, filter: opts.filter ?? null,
  });
  const custody = readCustody(db).map((e) => JSON.stringify(e)).join('\n') + '\n';
  const custodyFile = await bag.write('data/custody/custody-log.jsonl', custody);

  // CASE/UCO description of all of it.
  const fileId = (rel: string) => `kb:file-${rel.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const captureNodes: JsonldFile[] = captures.map((c) => ({ id: `kb:capture-${c.id}-${c.sha256.slice(0, 16)}`, name: c.name, size: c.size, sha256: c.sha256 }));
  const fileNodes: JsonldFile[] = bag.files.map((f) => ({ id: fileId(f.rel), name: path.basename(f.rel), path: f.rel, size: f.size, sha256: f.sha256 }));
  const importActions: JsonldAction[] = readCustody(db).filter((e) => e.action === 'capture.imported').map((e) => {
    const d = JSON.parse(e.details) as { sha256?: string };
    const cap = captureNodes.find((c) => captures.find((x) => `kb:capture-${x.id}-${x.sha256.slice(0, 16)}` === c.id)?.sha256 === d.sha256);
    return { name: 'capture.imported', description: `custody entry ${e.seq}`, at: e.at, objects: cap ? [cap.id] : [], results: cap ? [cap.id] : [] };
  });
  const actions: JsonldAction[] = [
    ...importActions,
    { name: 'analysis', description: `${findings.length} findings from the Flowcase detectors`, at: now.toISOString(), objects: captureNodes.map((c) => c.id), results: [fileId('data/case/findings.json')] },
    { name: 'export.bundle', description: `custody entry ${entry.seq}, hash ${entry.hash}`, at: entry.at, objects: captureNodes.map((c) => c.id), results: fileNodes.map((f) => f.id) },
  ];
  const graph = caseGraph({
    caseName: path.basename(db.name), analyst, appVersion, captures: captureNodes, files: fileNodes, actions,
    annotations: annotations.map((a) => ({ id: a.id, text: a.text, tags: a.tags, author: a.author, at: a.createdAt,
      objects: a.target.kind === 'packet' ? [fileId('data/evidence/evidence.pcapng')] : captureNodes.map((c) => c.id) })),
  });
  await bag.write('data/case/case.jsonld', JSON.stringify(graph, null, 2) + '\n');

  // BagIt tag files (RFC 8493 §2.1.1, §2.2.2, §2.1.3, §2.2.1).
  const payloadBytes = bag.files.reduce((s, f) => s + f.size, 0);
  const manifest = manifestText(bag.files);
  fs.writeFileSync(path.join(bag.root, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  const info = [
    `Source-Organization: ${oneLine(opts.organization ?? process.env.FLOWCASE_ORGANIZATION ?? 'Flowcase user')}`,
    `Contact-Name: ${oneLine(analyst)}`,
    `Bagging-Date: ${now.toISOString().slice(0, 10)}`,
    `External-Identifier: ${oneLine(bagName)}`,
    `Payload-Oxum: ${payloadBytes}.${bag.files.length}`,
    `Bag-Software-Agent: Flowcase ${appVersion}`,
    `External-Description: Evidence bundle of the Flowcase case ${oneLine(path.basename(db.name))}; custody entry ${entry.seq} (${entry.hash})`,
  ].join('\n') + '\n';
  fs.writeFileSync(path.join(bag.root, 'bag-info.txt'), info);
  fs.writeFileSync(path.join(bag.root, 'manifest-sha256.txt'), manifest);
  const tags: PayloadFile[] = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt'].map((rel) => {
    const data = fs.readFileSync(path.join(bag.root, rel));
    return { rel, sha256: sha256Of(data), size: data.length };
  });
  const tagmanifest = manifestText(tags);
  fs.writeFileSync(path.join(bag.root, 'tagmanifest-sha256.txt'), tagmanifest);
  void custodyFile;
  return {
    files: bag.files.length, payloadBytes, evidencePackets: ev.packets, manifestSha256: sha256Of(manifest),
    tagmanifestSha256: sha256Of(tagmanifest), custodySeq: entry.seq,
  };
}

/** Streams the bag folder into a zip whose single top-level folder is the bag (yazl). */
async function zipFolder(dir: string, bagName: string, zipPath: string): Promise<void> {
  const zip = new yazl.ZipFile();
  const walk = (rel: string) => {
    for (const ent of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(r);
      else zip.addFile(path.join(dir, r), `${bagName}/${r}`, { compress: !/\.(pcapng|pcap|gz|pdf)$/i.test(r) });
    }
  };
  walk('');
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(zipPath, { flags: 'w' }));
}
