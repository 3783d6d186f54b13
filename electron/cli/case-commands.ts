import fs from 'node:fs';
import { openCase, type CaseDb } from '../../db/open-case';
import { caseOverview } from '../query/overview';
import { pagePackets } from '../query/packet-query';
import { listFlows } from '../query/flows';
import { listHosts } from '../query/hosts';
import { listFindings } from '../query/findings';
import { FilterError } from '../query/display-filter';
import { renderReportMarkdown } from '../export/report-markdown';
import { renderReportHtml } from '../export/report-html';
import { intOption, parseArgs, UsageError } from './cli-args';
import { formatBytes, formatNs, safeText, table } from './format';
import { printFindings } from './findings-printer';
import { writeFileGuarded } from '../files/guarded-write';

/** An input the CLI cannot use (missing case, not a case): exit status 2 with one clear line. */
export class CliInputError extends Error { override name = 'CliInputError'; }

function withCase<T>(file: string | undefined, fn: (db: CaseDb) => T): T {
  if (!file) throw new UsageError('a case file is required');
  if (!fs.existsSync(file)) throw new CliInputError(`case file not found: ${file}`);
  let db: CaseDb;
  try { db = openCase(file, { readonly: true }); } catch (err) {
    throw new CliInputError(`cannot open ${file} as a Flowcase case: ${(err as Error).message}`);
  }
  try { return fn(db); } finally { db.close(); }
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
    const lines = [`Case ${safeText(o.casePath)} — ${o.status}`];
    for (const c of o.captures) {
      lines.push(`  ${safeText(c.name)}  ${c.format}${c.compressed ? '+gzip' : ''}  ${formatBytes(c.size)}  ${c.packetCount.toLocaleString('en-US')} packets  ${c.status}  integrity: ${c.integrity}`);
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

function packets(argv: string[]): number {
  const a = parseArgs(argv, { values: { filter: ['--filter', '-Y'], limit: ['--limit', '-c'] }, flags: { json: ['--json'] } });
  const limit = intOption(a.options.limit, '--limit', 50, 1, 2000);
  const filter = typeof a.options.filter === 'string' ? a.options.filter : undefined;
  return withCase(a.positionals[0], (db) => {
    let page;
    try { page = pagePackets(db, { filter, limit }); } catch (err) {
      if (err instanceof FilterError) {
        process.stderr.write(`flowcase: invalid filter: ${err.message}\n  ${filter}\n  ${' '.repeat(err.position)}^\n`);
        return 2;
      }
      throw err;
    }
    if (a.options.json) { json(page.rows); return 0; }
    if (page.rows.length === 0) { process.stdout.write(filter ? `No packets match ${filter}\n` : 'The case has no packets\n'); return 0; }
    process.stdout.write(table(['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info'],
      page.rows.map((r) => [r.id, r.rel.toFixed(6), r.src, r.dst, r.proto, r.length, r.info]), 40) + '\n');
    if (page.hasMore) process.stdout.write(`… more packets: raise --limit (max 2000) or narrow --filter\n`);
    return 0;
  });
}

function flows(argv: string[]): number {
  const a = parseArgs(argv, { values: { limit: ['--limit'] }, flags: { json: ['--json'] } });
  const limit = intOption(a.options.limit, '--limit', 100, 1, 100000);
  return withCase(a.positionals[0], (db) => {
    const { rows, total } = gather(limit, (q) => listFlows(db, { ...q, sort: 'bytes', dir: 'desc' }));
    if (a.options.json) { json({ total, rows }); return 0; }
    process.stdout.write(table(['Id', 'Proto', 'Originator', 'Responder', 'State', 'Pkts →', 'Pkts ←', 'Bytes', 'Duration', 'Service', 'Community ID'],
      rows.map((f) => [f.id, f.proto, `${f.src}:${f.sport}`, `${f.dst}:${f.dport}`, f.connState ?? '-', f.origPkts, f.respPkts,
        formatBytes(f.origBytes + f.respBytes), `${f.durationSec.toFixed(3)} s`, f.service ?? '-', f.communityId])) + '\n');
    process.stdout.write(`${rows.length} of ${total} flows (largest first)\n`);
    return 0;
  });
}

function hosts(argv: string[]): number {
  const a = parseArgs(argv, { values: { limit: ['--limit'] }, flags: { json: ['--json'] } });
  const limit = intOption(a.options.limit, '--limit', 100, 1, 100000);
  return withCase(a.positionals[0], (db) => {
    const { rows, total } = gather(limit, (q) => listHosts(db, { ...q, sort: 'bytes', dir: 'desc' }));
    if (a.options.json) { json({ total, rows }); return 0; }
    process.stdout.write(table(['Address', 'Names', 'MACs', 'Pkts sent', 'Bytes sent', 'Pkts recv', 'Bytes recv', 'First seen', 'Last seen'],
      rows.map((h) => [h.addr, h.names.join(', ') || '-', h.macs.join(', ') || '-', h.pktsSent, formatBytes(h.bytesSent), h.pktsRecv,
        formatBytes(h.bytesRecv), formatNs(h.firstTs), formatNs(h.lastTs)])) + '\n');
    process.stdout.write(`${rows.length} of ${total} hosts (most traffic first)\n`);
    return 0;
  });
}

function findings(argv: string[]): number {
  const a = parseArgs(argv, { flags: { json: ['--json'] } });
  return withCase(a.positionals[0], (db) => {
    const list = listFindings(db);
    if (a.options.json) json(list); else process.stdout.write(printFindings(list) + '\n');
    return 0;
  });
}

/** The files a report must never be written over: the case and every capture it cites. */
function evidencePaths(db: CaseDb, casePath: string): string[] {
  const captures = db.prepare('SELECT path FROM captures').pluck().all() as string[];
  return [casePath, ...captures];
}

function report(argv: string[]): number {
  const a = parseArgs(argv, { values: { output: ['-o', '--output'] }, flags: { force: ['--force'] } });
  const out = typeof a.options.output === 'string' ? a.options.output : undefined;
  return withCase(a.positionals[0], (db) => {
    const html = !!out && /\.html?$/i.test(out);
    const text = html ? renderReportHtml(db) : renderReportMarkdown(db);
    if (out) {
      const written = writeFileGuarded(out, text, { kind: 'report', force: !!a.options.force, protect: evidencePaths(db, a.positionals[0]!) });
      process.stdout.write(`Draft incident report written to ${written}\n`);
    }
    else process.stdout.write(text);
    return 0;
  });
}

export const caseCommands: Record<string, (argv: string[]) => Promise<number> | number> = { info, packets, flows, hosts, findings, report };
