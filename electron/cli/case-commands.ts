import fs from 'node:fs';
import { openCase, type CaseDb } from '../../db/open-case';
import { caseOverview } from '../query/overview';
import { iteratePackets, pagePackets } from '../query/packet-query';
import { iterateFlows, listFlows } from '../query/flows';
import { iterateHosts, listHosts } from '../query/hosts';
import { writeJsonLines } from './json-lines';
import { findingForExport, listFindings } from '../query/findings';
import { FilterError } from '../query/display-filter';
import { renderReportMarkdown } from '../export/report-markdown';
import { exportReport, formatFromPath, type VersionChoice } from '../export/report-export';
import { finaliseReport, openReport, ReportError } from '../export/report-document';
import { latestDocumentId } from '../../db/report-store';
import { intOption, parseArgs, UsageError } from './cli-args';
import { formatBytes, formatNs, safeText, table } from './format';
import { printFindings } from './findings-printer';
import { writeFileGuarded } from '../files/guarded-write';
import { runDetectors } from '../analysis/run-detectors';
import { analyseCase, repairCase } from '../ingest/case-repair';
import { findInterruption } from '../../db/ingest-runs';
import { clip } from './cli-failure';
import { CAPTURE_COLUMNS, captureIntegrity, type CaptureDbRow } from '../query/overview';

/** An input the CLI cannot use (missing case, not a case): exit status 2 with one clear line. */
export class CliInputError extends Error { override name = 'CliInputError'; }

export function withCase<T>(file: string | undefined, fn: (db: CaseDb) => T): T {
  if (!file) throw new UsageError('a case file is required');
  if (!fs.existsSync(file)) throw new CliInputError(`case file not found: ${file}`);
  let db: CaseDb;
  try { db = openCase(file, { readonly: true }); } catch (err) {
    throw new CliInputError(`cannot open ${file} as a Flowcase case: ${(err as Error).message}`);
  }
  try { return fn(db); } finally { db.close(); }
}

/** withCase for commands that stream: the case stays open until the last row is written. */
async function withCaseAsync<T>(file: string | undefined, fn: (db: CaseDb) => Promise<T>): Promise<T> {
  if (!file) throw new UsageError('a case file is required');
  if (!fs.existsSync(file)) throw new CliInputError(`case file not found: ${file}`);
  let db: CaseDb;
  try { db = openCase(file, { readonly: true }); } catch (err) {
    throw new CliInputError(`cannot open ${file} as a Flowcase case: ${(err as Error).message}`);
  }
  try { return await fn(db); } finally { db.close(); }
}

/**
 * One line saying what is wrong and where; the filter is echoed under it with a caret only when
 * it is short enough to read, and cut around the column otherwise (a filter can be 16 KiB).
 */
function printFilterError(err: FilterError, filter: string | undefined): number {
  const text = filter ?? '';
  process.stderr.write(`flowcase: invalid filter: ${clip(err.message, 200)}\n`);
  if (text.length <= 100 && !/[\r\n]/.test(text)) process.stderr.write(`  ${text}\n  ${' '.repeat(err.position)}^\n`);
  else process.stderr.write(`  near column ${err.position}: ${clip(text.slice(Math.max(0, err.position - 30), err.position + 30), 60)}\n`);
  return 2;
}

const json = (v: unknown) => process.stdout.write(JSON.stringify(v, null, 2) + '\n');

/** The list queries serve the UI a page (≤ 1000 rows) at a time; the CLI gathers as many pages as asked for. */
function gather<R>(limit: number, page: (q: { limit: number; offset: number }) => { rows: R[]; total: number }): { rows: R[]; total: number } {
  const rows: R[] = [];
  let total = 0;
  while (rows.length < limit) {
    const p = page({ limit: Math.min(1000, limit - rows.length), offset: rows.length });
    total = p.total;
    rows.push(...p.rows);
    if (p.rows.length === 0 || rows.length >= total) break;
  }
  return { rows, total };
}

function info(argv: string[]): number {
  const a = parseArgs(argv, { flags: { json: ['--json'] } });
  return withCase(a.positionals[0], (db) => {
    const o = caseOverview(db, a.positionals[0]);
    if (a.options.json) { json(o); return 0; }
    const lines = [`Case ${safeText(o.casePath)} — ${o.interrupted ? `incomplete: interrupted while ${o.interrupted.phase}` : o.status}`];
    if (o.interrupted) {
      for (const c of o.interrupted.captures) lines.push(`  interrupted: ${safeText(c.name)} (${c.packets.toLocaleString('en-US')} packets written before the stop)`);
      for (const m of o.interrupted.missing) lines.push(`  missing: ${m}`);
      lines.push(`  run \`flowcase repair ${safeText(a.positionals[0]!)}\` to ${o.interrupted.phase === 'reading' ? 'remove the partial rows' : 'finish the missing work'}`);
    }
    for (const c of o.captures) {
      lines.push(`  ${safeText(c.name)}  ${c.format}${c.compressed ? '+gzip' : ''}  ${formatBytes(c.size)}  ${c.packetCount.toLocaleString('en-US')} packets  ${c.status}${c.phase && c.phase !== 'complete' && c.phase !== c.status ? ` (${c.phase})` : ''}  integrity: ${c.integrity}`);
      lines.push(`    sha256 ${c.sha256}`);
      if (c.integrityDetail) lines.push(`    ${safeText(c.integrityDetail)}`);
      for (const e of c.readErrors) lines.push(`    ${e.fatal ? 'error' : 'warning'} at byte ${e.offset}: ${safeText(e.message)}`);
    }
    const span = o.firstTs && o.lastTs ? Number(BigInt(o.lastTs) - BigInt(o.firstTs)) / 1e9 : 0;
    lines.push(`Time span: ${formatNs(o.firstTs)} → ${formatNs(o.lastTs)} (${span.toFixed(3)} s)`);
    lines.push(`Packets: ${o.packetCount.toLocaleString('en-US')}  Bytes: ${formatBytes(o.byteCount)}  Flows: ${o.flowCount}  Hosts: ${o.hostCount}`);
    lines.push('Top talkers:');
    lines.push(table(['Address', 'Packets', 'Bytes', 'Names'], o.topTalkers.map((t) => [t.addr, t.packets, formatBytes(t.bytes), t.names.join(', ')])).replace(/^/gm, '  '));
    lines.push(printFindings(o.findings));
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  });
}

/** Rows printed as a table when no --limit is given: a terminal, not a pipe, is the reader. */
const TABLE_DEFAULT_LIMIT = 50;

/**
 * `--json` writes JSON lines (one packet object per line), every matching packet unless --limit
 * says otherwise, streamed in constant memory. The table keeps a default limit for terminals.
 */
function packets(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { filter: ['--filter', '-Y'], limit: ['--limit', '-c'] }, flags: { json: ['--json'] } });
  const limit = a.options.limit === undefined ? undefined : intOption(a.options.limit, '--limit', TABLE_DEFAULT_LIMIT, 1);
  const filter = typeof a.options.filter === 'string' ? a.options.filter : undefined;
  return withCaseAsync(a.positionals[0], async (db) => {
    if (a.options.json) {
      let rows;
      try {
        rows = iteratePackets(db, { filter }, limit);
        const first = rows.next(); // compiles the filter before anything is written
        await writeJsonLines(first.done ? [] : prepend(first.value, rows));
      } catch (err) {
        if (err instanceof FilterError) return printFilterError(err, filter);
        throw err;
      }
      return 0;
    }
    const want = limit ?? TABLE_DEFAULT_LIMIT;
    const rows = [];
    let hasMore = false;
    try {
      let after = 0;
      while (rows.length < want) {
        const page = pagePackets(db, { filter, limit: Math.min(2000, want - rows.length), after });
        rows.push(...page.rows);
        hasMore = page.hasMore;
        if (!page.hasMore || page.rows.length === 0) break;
        after = page.rows[page.rows.length - 1].id;
      }
    } catch (err) {
      if (err instanceof FilterError) return printFilterError(err, filter);
      throw err;
    }
    if (rows.length === 0) { process.stdout.write(filter ? `No packets match ${filter}\n` : 'The case has no packets\n'); return 0; }
    process.stdout.write(table(['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info'],
      rows.map((r) => [r.id, r.rel.toFixed(6), r.src, r.dst, r.proto, r.length, r.info]), 40) + '\n');
    if (hasMore) process.stdout.write(`… more packets: raise --limit, narrow --filter, or use --json for every packet\n`);
    return 0;
  });
}

function* prepend<T>(first: T, rest: Iterator<T>): Generator<T> {
  yield first;
  for (let r = rest.next(); !r.done; r = rest.next()) yield r.value;
}

function* take<T>(rows: Iterable<T>, limit: number | undefined): Generator<T> {
  if (limit === undefined) { yield* rows; return; }
  let n = 0;
  for (const r of rows) { if (n++ >= limit) return; yield r; }
}

/** `--json`: JSON lines, one flow per line, every flow unless --limit (largest first). */
function flows(argv: string[]): Promise<number> | number {
  const a = parseArgs(argv, { values: { limit: ['--limit'] }, flags: { json: ['--json'] } });
  const limit = a.options.limit === undefined ? undefined : intOption(a.options.limit, '--limit', 100, 1);
  if (a.options.json) return withCaseAsync(a.positionals[0], async (db) => { await writeJsonLines(take(iterateFlows(db), limit)); return 0; });
  return withCase(a.positionals[0], (db) => {
    const { rows, total } = gather(limit ?? 100, (q) => listFlows(db, { ...q, sort: 'bytes', dir: 'desc' }));
    process.stdout.write(table(['Id', 'Proto', 'Originator', 'Responder', 'State', 'Pkts →', 'Pkts ←', 'Bytes', 'Duration', 'Service', 'Community ID'],
      rows.map((f) => [f.id, f.proto, `${f.src}:${f.sport}`, `${f.dst}:${f.dport}`, f.connState ?? '-', f.origPkts, f.respPkts,
        formatBytes(f.origBytes + f.respBytes), `${f.durationSec.toFixed(3)} s`, f.service ?? '-', f.communityId])) + '\n');
    process.stdout.write(`${rows.length} of ${total} flows (largest first)\n`);
    return 0;
  });
}

/** `--json`: JSON lines, one host per line, every host unless --limit (most traffic first). */
function hosts(argv: string[]): Promise<number> | number {
  const a = parseArgs(argv, { values: { limit: ['--limit'] }, flags: { json: ['--json'] } });
  const limit = a.options.limit === undefined ? undefined : intOption(a.options.limit, '--limit', 100, 1);
  if (a.options.json) return withCaseAsync(a.positionals[0], async (db) => { await writeJsonLines(take(iterateHosts(db), limit)); return 0; });
  return withCase(a.positionals[0], (db) => {
    const { rows, total } = gather(limit ?? 100, (q) => listHosts(db, { ...q, sort: 'bytes', dir: 'desc' }));
    process.stdout.write(table(['Address', 'Names', 'MACs', 'Pkts sent', 'Bytes sent', 'Pkts recv', 'Bytes recv', 'First seen', 'Last seen'],
      rows.map((h) => [h.addr, h.names.join(', ') || '-', h.macs.join(', ') || '-', h.pktsSent, formatBytes(h.bytesSent), h.pktsRecv,
        formatBytes(h.bytesRecv), formatNs(h.firstTs), formatNs(h.lastTs)])) + '\n');
    process.stdout.write(`${rows.length} of ${total} hosts (most traffic first)\n`);
    return 0;
  });
}

/** `--json`: every finding whole (findingForExport), most severe first, as one JSON array. */
function findings(argv: string[]): number {
  const a = parseArgs(argv, { flags: { json: ['--json'] } });
  return withCase(a.positionals[0], (db) => {
    const list = listFindings(db);
    if (a.options.json) json(list.map((f) => findingForExport(db, f.id)));
    else process.stdout.write(printFindings(list) + '\n');
    return 0;
  });
}

/** The files a report must never be written over: the case and every capture it cites. */
export function evidencePaths(db: CaseDb, casePath: string): string[] {
  const captures = db.prepare('SELECT path FROM captures').pluck().all() as string[];
  return [casePath, ...captures];
}

/** The report's first lines say it too; stderr tells whoever runs the command at once. */
function warnAboutEvidence(db: CaseDb): void {
  const interrupted = findInterruption(db);
  if (interrupted) process.stderr.write(`flowcase: warning: the case is incomplete (interrupted while ${interrupted.phase}); the report says so at the top\n`);
  for (const row of db.prepare(`SELECT ${CAPTURE_COLUMNS} FROM captures ORDER BY id`).all() as CaptureDbRow[]) {
    const check = captureIntegrity(row);
    if (check.integrity === 'missing' || check.integrity === 'changed') {
      process.stderr.write(`flowcase: warning: capture ${safeText(row.name)} ${check.integrity === 'missing' ? 'is missing' : 'has changed since import'}; the report says so at the top\n`);
    }
  }
}

const REPORT_OPTIONS = {
  values: { output: ['-o', '--output'], version: ['--version'], paper: ['--paper'] },
  flags: { finalise: ['--finalise', '--finalize'], force: ['--force'] },
};

function reportVersion(v: string | boolean | undefined): VersionChoice {
  if (v === undefined) return 'latest';
  if (v === 'finalised' || v === 'finalized' || v === 'latest') return v === 'latest' ? 'latest' : 'finalised';
  if (typeof v === 'string' && /^\d{1,9}$/.test(v)) return Number(v);
  throw new UsageError(`--version takes a version number, "latest" or "finalised", got "${String(v)}"`);
}

async function report(argv: string[]): Promise<number> {
  const a = parseArgs(argv, REPORT_OPTIONS);
  const out = typeof a.options.output === 'string' ? a.options.output : undefined;
  const version = reportVersion(a.options.version);
  const paperOpt = typeof a.options.paper === 'string' ? a.options.paper.toUpperCase() : 'A4';
  if (paperOpt !== 'A4' && paperOpt !== 'LETTER') throw new UsageError(`--paper takes a4 or letter, got "${String(a.options.paper)}"`);
  // .html and .pdf pick their format; any other name gets Markdown, as it always has.
  const format = (out && formatFromPath(out)) || 'md';
  if (a.options.finalise) return finaliseCommand(a.positionals[0]);
  return withCaseAsync(a.positionals[0], async (db) => {
    let bytes: Buffer;
    try {
      bytes = latestDocumentId(db) === null && version === 'latest' && format === 'md'
        // No stored report yet: the Markdown draft as generated, with its DRAFT notice. HTML and
        // PDF go through the report export even then, so they carry the same figures.
        ? Buffer.from(renderReportMarkdown(db), 'utf8')
        : (await exportReport(db, { format, version, paper: paperOpt })).bytes;
    } catch (err) {
      if (err instanceof ReportError) throw new CliInputError(err.message);
      throw err;
    }
    warnAboutEvidence(db);
    if (!out) { process.stdout.write(bytes); return 0; }
    const written = writeFileGuarded(out, bytes, { kind: 'report', force: !!a.options.force, protect: evidencePaths(db, a.positionals[0]!) });
    process.stdout.write(`Report written to ${written}\n`);
    return 0;
  });
}

function finaliseCommand(file: string | undefined): number {
  if (!file) throw new UsageError('a case file is required');
  if (!fs.existsSync(file)) throw new CliInputError(`case file not found: ${file}`);
  const db = openCase(file);
  try {
    const state = openReport(db);
    const r = finaliseReport(db, state.documentId);
    process.stdout.write(`Report version ${r.number} finalised: SHA-256 ${r.sha256} (custody entry ${r.custody.seq})\n`);
    return 0;
  } catch (err) {
    if (err instanceof ReportError) { process.stderr.write(`flowcase: cannot finalise: ${err.message}\n`); return 1; }
    throw err;
  } finally {
    db.close();
  }
}


/** Open a case for writing (repair, analyse): a clear line when it is missing or not a case. */
function withWritableCase<T>(file: string | undefined, fn: (db: CaseDb) => Promise<T>): Promise<T> {
  if (!file) throw new UsageError('a case file is required');
  if (!fs.existsSync(file)) throw new CliInputError(`case file not found: ${file}`);
  let db: CaseDb;
  try { db = openCase(file); } catch (err) {
    throw new CliInputError(`cannot open ${file} as a Flowcase case: ${(err as Error).message}`);
  }
  return fn(db).finally(() => db.close());
}

async function repair(argv: string[]): Promise<number> {
  const a = parseArgs(argv, {});
  return withWritableCase(a.positionals[0], async (db) => {
    const outcome = await repairCase(db, runDetectors);
    const i = outcome.interrupted;
    if (!i) { process.stdout.write('Nothing to repair: the last indexing run finished.\n'); return 0; }
    const names = i.captures.map((c) => `${safeText(c.name)} (${c.packets.toLocaleString('en-US')} packets)`).join(', ');
    if (outcome.removed) {
      process.stdout.write(`Repaired: the run interrupted while reading was removed: ${names}. Import the capture again to index it.\n`);
    } else {
      process.stdout.write(`Repaired: the run interrupted while ${i.phase} was finished (${outcome.findings?.length ?? 0} finding(s)).\n`);
    }
    return 0;
  });
}

async function analyse(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { flags: { json: ['--json'] } });
  return withWritableCase(a.positionals[0], async (db) => {
    const interrupted = findInterruption(db);
    if (interrupted?.phase === 'reading') throw new CliInputError(`the case was interrupted while reading: run \`flowcase repair ${a.positionals[0]}\` first`);
    const list = await analyseCase(db, runDetectors);
    if (a.options.json) json(list); else process.stdout.write(printFindings(list) + '\n');
    return 0;
  });
}

export const caseCommands: Record<string, (argv: string[]) => Promise<number> | number> = { info, packets, flows, hosts, findings, report, repair, analyse };
