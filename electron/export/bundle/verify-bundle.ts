/**
 * `flowcase verify <bundle folder|zip>`: is this bag exactly what Flowcase wrote?
 *   - BagIt (RFC 8493): bagit.txt, bag-info.txt with Payload-Oxum, every line of both manifests
 *     (file present, SHA-256 equal), no payload file missing from or extra to the manifest;
 *   - the custody log: every entry's hash chain, and the export.bundle entry's payload hash;
 *   - evidence.pcapng: readable, each packet mapped back to its source (capture SHA-256 + frame)
 *     and, where the bag carries that capture, byte-equal to that frame;
 *   - case.jsonld: parses, and every file's hash in it equals the file's.
 * Each problem is one line naming the file and what differs. A zip is unpacked to a temporary
 * folder first (entries that would leave it are refused).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { entryHash, GENESIS_HASH, type CustodyEntry } from '../../../db/custody';
import { readCapture } from '../../capture/read-capture';
import { SOURCE_COMMENT } from './evidence-pcapng';
import { manifestText, type PayloadFile } from './write-bundle';

export class BundleUnusableError extends Error { override name = 'BundleUnusableError'; }

export interface BundleCheck {
  ok: boolean;
  problems: string[];
  bag: string;
  payloadFiles: number;
  evidencePackets: number;
  /** Evidence packets compared byte for byte with an original capture in the bag. */
  comparedWithOriginals: number;
}

async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) { h.update(chunk as Buffer); size += (chunk as Buffer).length; }
  return { sha256: h.digest('hex'), size };
}

function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const ent of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...listFiles(root, r));
    else out.push(r);
  }
  return out;
}

function decodePath(p: string): string { return p.replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%25/g, '%'); }

/** Reads "<sha256>  <path>" lines; malformed lines are problems. */
function readManifest(root: string, name: string, problems: string[]): Map<string, string> {
  const entries = new Map<string, string>();
  const text = fs.readFileSync(path.join(root, name), 'utf8');
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    const m = /^([0-9a-fA-F]{64}) [ *]?(.+)$/.exec(line);
    if (!m) { problems.push(`${name}: line ${i + 1} is not "<sha256>  <path>"`); return; }
    const rel = decodePath(m[2]);
    if (rel.startsWith('/') || rel.split('/').includes('..')) { problems.push(`${name}: line ${i + 1} names a path outside the bag: ${JSON.stringify(rel)}`); return; }
    entries.set(rel, m[1].toLowerCase());
  });
  return entries;
}

async function checkManifest(root: string, name: string, problems: string[]): Promise<Map<string, string>> {
  const entries = readManifest(root, name, problems);
  for (const [rel, want] of entries) {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) { problems.push(`${rel}: missing (listed in ${name})`); continue; }
    const got = await hashFile(abs);
    if (got.sha256 !== want) problems.push(`${rel}: SHA-256 ${got.sha256} differs from ${name} (${want})`);
  }
  return entries;
}

function parseBagInfo(text: string): Map<string, string> {
  const info = new Map<string, string>();
  let last = '';
  for (const line of text.split('\n')) {
    if (/^\s/.test(line) && last) { info.set(last, `${info.get(last)} ${line.trim()}`); continue; }
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) { last = m[1].trim(); info.set(last, m[2].trim()); }
  }
  return info;
}

function checkCustody(root: string, payload: Map<string, string>, problems: string[]): void {
  const rel = 'data/custody/custody-log.jsonl';
  const file = path.join(root, rel);
  if (!fs.existsSync(file)) return;
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  let prev = GENESIS_HASH;
  let last: CustodyEntry | null = null;
  for (let i = 0; i < lines.length; i++) {
    let e: CustodyEntry;
    try { e = JSON.parse(lines[i]) as CustodyEntry; } catch { problems.push(`${rel}: line ${i + 1} is not JSON`); return; }
    if (e.seq !== i + 1) { problems.push(`${rel}: entry ${i + 1} has sequence number ${e.seq}`); return; }
    const want = entryHash(prev, e);
    if (e.hash !== want) { problems.push(`${rel}: entry ${e.seq} (${e.action}) is broken: its hash does not match its content and the previous entry`); return; }
    prev = e.hash;
    last = e;
  }
  if (!last || last.action !== 'export.bundle') { problems.push(`${rel}: the last entry is not this export (export.bundle)`); return; }
  const details = JSON.parse(last.details) as { payloadManifestSha256?: string };
  const covered: PayloadFile[] = [...payload.entries()]
    .filter(([p]) => p.startsWith('data/') && p !== rel && p !== 'data/case/case.jsonld')
    .map(([p, sha256]) => ({ rel: p, sha256, size: 0 }));
  const got = createHash('sha256').update(manifestText(covered)).digest('hex');
  if (details.payloadManifestSha256 !== got) problems.push(`${rel}: the export.bundle entry records payload hash ${details.payloadManifestSha256}, the bag's payload gives ${got}`);
}

async function checkEvidence(root: string, problems: string[]): Promise<{ packets: number; compared: number }> {
  const rel = 'data/evidence/evidence.pcapng';
  const file = path.join(root, rel);
  if (!fs.existsSync(file)) return { packets: 0, compared: 0 };
  // Packet hashes by source (capture SHA-256, frame), to compare with originals carried in the bag.
  const bySource = new Map<string, Map<number, string>>();
  let packets = 0;
  let unmapped = 0;
  try {
    const summary = await readCapture(file, {
      onRecord(rec) {
        packets++;
        const m = SOURCE_COMMENT.exec(rec.comments?.[0] ?? '');
        if (!m) { unmapped++; return; }
        const frames = bySource.get(m[1]) ?? bySource.set(m[1], new Map()).get(m[1])!;
        frames.set(Number(m[2]), createHash('sha256').update(rec.data).digest('hex'));
      },
    });
    for (const e of summary.errors) problems.push(`${rel}: ${e.fatal ? 'unreadable' : 'damaged'} at byte ${e.offset}: ${e.message}`);
  } catch (err) {
    problems.push(`${rel}: not a readable capture (${(err as Error).message})`);
    return { packets, compared: 0 };
  }
  if (unmapped) problems.push(`${rel}: ${unmapped} packets lack the flowcase-source comment mapping them to a capture and frame`);
  let compared = 0;
  const capturesFile = path.join(root, 'data/case/captures.json');
  if (!fs.existsSync(capturesFile)) return { packets, compared };
  let captures: Array<{ sha256: string; original: string | null; name: string }> = [];
  try { captures = JSON.parse(fs.readFileSync(capturesFile, 'utf8')) as typeof captures; } catch { return { packets, compared }; }
  for (const c of captures) {
    const frames = bySource.get(c.sha256);
    if (!c.original || !frames || !fs.existsSync(path.join(root, c.original))) continue;
    let frame = 0;
    const seen = new Set<number>();
    await readCapture(path.join(root, c.original), {
      onRecord(rec) {
        frame++;
        const want = frames.get(frame);
        if (want === undefined) return;
        seen.add(frame);
        compared++;
        if (createHash('sha256').update(rec.data).digest('hex') !== want) problems.push(`${rel}: the packet of ${c.name} frame ${frame} differs from that frame in ${c.original}`);
      },
    }).catch((err: Error) => problems.push(`${c.original}: not a readable capture (${err.message})`));
    for (const f of frames.keys()) if (!seen.has(f)) problems.push(`${rel}: ${c.name} frame ${f} is not in ${c.original}`);
  }
  return { packets, compared };
}

async function checkCaseJsonld(root: string, problems: string[]): Promise<void> {
  const rel = 'data/case/case.jsonld';
  const file = path.join(root, rel);
  if (!fs.existsSync(file)) return;
  let doc: { '@context'?: unknown; '@graph'?: Array<Record<string, unknown>> };
  try { doc = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof doc; } catch { problems.push(`${rel}: not valid JSON`); return; }
  if (!doc['@context'] || !Array.isArray(doc['@graph'])) { problems.push(`${rel}: not a JSON-LD graph (@context, @graph)`); return; }
  for (const node of doc['@graph']) {
    if (node['@type'] !== 'uco-observable:File') continue;
    const facets = (node['uco-core:hasFacet'] as Array<Record<string, unknown>> | undefined) ?? [];
    const filePath = facets.find((f) => f['@type'] === 'uco-observable:FileFacet')?.['uco-observable:filePath'] as string | undefined;
    if (!filePath || filePath === rel) continue;
    const hash = (facets.find((f) => f['@type'] === 'uco-observable:ContentDataFacet')?.['uco-observable:hash'] as Array<Record<string, { '@value'?: string }>> | undefined)?.[0]?.['uco-types:hashValue']?.['@value'];
    if (filePath.split('/').includes('..') || !fs.existsSync(path.join(root, filePath))) { problems.push(`${rel}: describes ${filePath}, which is not in the bag`); continue; }
    const got = await hashFile(path.join(root, filePath));
    if (got.sha256 !== hash) problems.push(`${rel}: the hash it gives for ${filePath} (${hash}) differs from the file's (${got.sha256})`);
  }
}

export async function verifyBagFolder(root: string): Promise<BundleCheck> {
  if (!fs.existsSync(path.join(root, 'bagit.txt'))) throw new BundleUnusableError(`${root} is not a BagIt bag: bagit.txt is missing`);
  const problems: string[] = [];
  const bagit = fs.readFileSync(path.join(root, 'bagit.txt'), 'utf8');
  if (!/^BagIt-Version: \d+\.\d+\r?\nTag-File-Character-Encoding: UTF-8\r?\n?$/.test(bagit)) problems.push('bagit.txt: not "BagIt-Version: …" and "Tag-File-Character-Encoding: UTF-8"');
  for (const required of ['bag-info.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt']) {
    if (!fs.existsSync(path.join(root, required))) problems.push(`${required}: missing`);
  }
  const payload = fs.existsSync(path.join(root, 'manifest-sha256.txt')) ? await checkManifest(root, 'manifest-sha256.txt', problems) : new Map<string, string>();
  if (fs.existsSync(path.join(root, 'tagmanifest-sha256.txt'))) await checkManifest(root, 'tagmanifest-sha256.txt', problems);
  const onDisk = fs.existsSync(path.join(root, 'data')) ? listFiles(root, 'data') : [];
  for (const f of onDisk) if (!payload.has(f)) problems.push(`${f}: extra file, not in manifest-sha256.txt`);
  for (const f of listFiles(root).filter((f) => !f.startsWith('data/'))) {
    if (!['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt'].includes(f)) problems.push(`${f}: extra file outside data/`);
  }
  if (fs.existsSync(path.join(root, 'bag-info.txt'))) {
    const info = parseBagInfo(fs.readFileSync(path.join(root, 'bag-info.txt'), 'utf8'));
    for (const k of ['Source-Organization', 'Contact-Name', 'Bagging-Date', 'External-Identifier', 'Payload-Oxum']) if (!info.has(k)) problems.push(`bag-info.txt: ${k} is missing`);
    const oxum = /^(\d+)\.(\d+)$/.exec(info.get('Payload-Oxum') ?? '');
    if (oxum) {
      let bytes = 0;
      for (const f of onDisk) bytes += fs.statSync(path.join(root, f)).size;
      if (Number(oxum[1]) !== bytes || Number(oxum[2]) !== onDisk.length) {
        problems.push(`bag-info.txt: Payload-Oxum ${oxum[1]}.${oxum[2]} but the payload holds ${bytes} bytes in ${onDisk.length} files`);
      }
    } else if (info.has('Payload-Oxum')) problems.push('bag-info.txt: Payload-Oxum is not "<bytes>.<files>"');
  }
  checkCustody(root, payload, problems);
  const ev = await checkEvidence(root, problems);
  await checkCaseJsonld(root, problems);
  return { ok: problems.length === 0, problems, bag: root, payloadFiles: onDisk.length, evidencePackets: ev.packets, comparedWithOriginals: ev.compared };
}

const MAX_ENTRY_BYTES = 64 * 1024 ** 3;

/** Unpacks a bag zip into `dest`, refusing entries that would land outside it. */
export async function unzipBag(zipPath: string, dest: string): Promise<string> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err || !z ? reject(err ?? new Error('cannot open')) : resolve(z))));
  const tops = new Set<string>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (name.startsWith('/') || name.split('/').includes('..') || name.includes('\\') || entry.uncompressedSize > MAX_ENTRY_BYTES) {
          reject(new BundleUnusableError(`${path.basename(zipPath)}: entry ${JSON.stringify(name)} is not a path inside the bag`)); return;
        }
        tops.add(name.split('/')[0]);
        const out = path.join(dest, name);
        if (name.endsWith('/')) { fs.mkdirSync(out, { recursive: true }); zip.readEntry(); return; }
        fs.mkdirSync(path.dirname(out), { recursive: true });
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) { reject(err ?? new Error('unreadable entry')); return; }
          pipeline(stream, fs.createWriteStream(out, { flags: 'wx' })).then(() => zip.readEntry(), reject);
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  if (tops.size !== 1) throw new BundleUnusableError(`${path.basename(zipPath)}: a bag zip holds exactly one top-level folder, this one holds ${tops.size}`);
  return path.join(dest, [...tops][0]);
}

export function looksLikeBundle(target: string): boolean {
  try {
    const st = fs.statSync(target);
    if (st.isDirectory()) return true;
    const fd = fs.openSync(target, 'r');
    try { const b = Buffer.alloc(4); fs.readSync(fd, b, 0, 4, 0); return b.toString('latin1') === 'PK\x03\x04'; } finally { fs.closeSync(fd); }
  } catch { return false; }
}

export async function verifyBundle(target: string): Promise<BundleCheck> {
  let st: fs.Stats;
  try { st = fs.statSync(target); } catch { throw new BundleUnusableError(`${target}: not found`); }
  if (st.isDirectory()) return verifyBagFolder(target);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-verify-'));
  try {
    let root: string;
    try { root = await unzipBag(target, tmp); } catch (err) {
      if (err instanceof BundleUnusableError) throw err;
      throw new BundleUnusableError(`${target}: not a readable zip (${(err as Error).message})`);
    }
    const r = await verifyBagFolder(root);
    return { ...r, bag: target };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
