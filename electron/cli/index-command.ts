import fs from 'node:fs';
import path from 'node:path';
import { runDetectors } from '../analysis/run-detectors';
import { indexCaptures } from '../ingest/index-captures';
import { prepareCaseTarget } from '../files/guarded-write';
import { refuseDuplicateCaptures } from '../ingest/duplicate-captures';
import { describeFailure } from './cli-failure';
import { openCase, type CaseDb } from '../../db/open-case';
import { parseArgs, UsageError } from './cli-args';
import { hasCustodyLog } from '../../db/custody';
import { analystWork } from '../../db/annotation-store';
import { CliInputError } from './case-commands';
import { formatNs, safeText } from './format';
import { printFindings } from './findings-printer';
import { ProgressPrinter } from './progress-printer';

export const INDEX_USAGE = 'flowcase index <capture>… [-o case.flowcase] [--append | --force [--discard-annotations]] [--allow-duplicate] [--no-detect]';

/**
 * `--force` replaces the case; when analysts have worked in it (annotations, custody entries beyond
 * the import) that needs the explicit --discard-annotations, or --append to keep it.
 */
function refuseToDiscardWork(out: string): void {
  let db;
  try { db = openCase(out, { readonly: true }); } catch { return; /* not a readable case of this schema: nothing of ours to lose */ }
  try {
    if (!hasCustodyLog(db)) return;
    const work = analystWork(db);
    if (work.annotations === 0 && work.custodyEntries === 0) return;
    throw new CliInputError(`${out} holds ${work.annotations} analyst annotation(s) and ${work.custodyEntries} custody entr${work.custodyEntries === 1 ? 'y' : 'ies'} beyond the import: --force would discard them. Use --append to add captures and keep them, or --force --discard-annotations to replace the case anyway.`);
  } finally {
    db.close();
  }
}

/**
 * Exit status: 0 everything read; 1 indexed, but a capture had read errors (damaged tail);
 * 2 bad usage or an input that could not be read at all.
 */
export async function indexCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: { output: ['-o', '--output'] }, flags: { append: ['--append'], force: ['--force'], noDetect: ['--no-detect'], allowDuplicate: ['--allow-duplicate'], discard: ['--discard-annotations'] } });
  if (args.positionals.length === 0) throw new UsageError('index needs at least one capture file');
  for (const p of args.positionals) {
    let st: fs.Stats;
    try { st = fs.statSync(p); } catch { throw new UsageError(`cannot read ${p}: no such file`); }
    if (!st.isFile()) throw new UsageError(`cannot read ${p}: not a regular file`);
  }
  if (args.options.append && args.options.force) throw new UsageError('give either --append or --force, not both');
  const out = String(args.options.output ?? path.basename(args.positionals[0]).replace(/(\.gz)?$/i, '').replace(/\.[^.]*$/, '') + '.flowcase');
  if (args.options.force && !args.options.discard && fs.existsSync(out)) refuseToDiscardWork(out);
  if (!args.options.allowDuplicate) await refuseDuplicatesBefore(out, !!args.options.append, args.positionals);
  // Every check happens before anything is removed or created: a capture is never the output.
  prepareCaseTarget(out, { force: !!args.options.force, append: !!args.options.append, protect: args.positionals });

  const progress = new ProgressPrinter();
  const controller = new AbortController();
  const onSigint = () => { process.stderr.write('\ncancelling: the case will be kept, marked incomplete\n'); controller.abort(); };
  process.once('SIGINT', onSigint);
  let result;
  try {
    result = await indexCaptures({ casePath: out, captures: args.positionals, onProgress: (p) => progress.update(p), signal: controller.signal, analyse: args.options.noDetect ? undefined : runDetectors, allowDuplicate: !!args.options.allowDuplicate });
  } catch (err) {
    // Disk full, I/O error, busy case: one line naming the case, and what the case now holds.
    const failure = describeFailure(err, out);
    if (!failure || !fs.existsSync(out)) throw err;
    progress.done();
    process.stderr.write(`flowcase: ${failure.message}\n`);
    process.stderr.write(`flowcase: ${out} is kept and says it is incomplete (\`flowcase info\` lists what is missing); free space, then run \`flowcase repair ${out}\` or index again with --force\n`);
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    progress.done();
  }

  const lines: string[] = [];
  lines.push(`Case ${out}: ${result.packets.toLocaleString('en-US')} packets from ${result.captures.length} capture(s) in ${result.seconds.toFixed(2)} s${result.cancelled ? ' (cancelled: incomplete)' : ''}`);
  for (const c of result.captures) {
    lines.push(`  ${safeText(c.name)}  ${c.format}  ${c.packets.toLocaleString('en-US')} packets  ${c.status}  sha256 ${c.sha256 || '-'}`);
    if (c.firstTsNs !== null) lines.push(`    ${formatNs(c.firstTsNs)} → ${formatNs(c.lastTsNs)}`);
    if (c.failure) lines.push(`    error: ${safeText(c.failure)}`);
    for (const e of c.errors) lines.push(`    ${e.fatal ? 'error' : 'warning'} at byte ${e.offset}: ${safeText(e.message)}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  if (!args.options.noDetect) process.stdout.write(printFindings(result.findings) + '\n');

  if (result.captures.some((c) => c.failure && c.packets === 0)) {
    for (const c of result.captures) if (c.failure && c.packets === 0) process.stderr.write(`flowcase: ${safeText(c.name)}: ${safeText(c.failure)}\n`);
    return 2;
  }
  if (result.captures.some((c) => c.errors.some((e) => e.fatal) || c.failure)) {
    for (const c of result.captures) for (const e of c.errors) if (e.fatal) process.stderr.write(`flowcase: ${safeText(c.name)}: byte ${e.offset}: ${safeText(e.message)}\n`);
    return 1;
  }
  return result.cancelled ? 1 : 0;
}

/** The duplicate check before the case is created or touched (indexCaptures checks again under its lock). */
async function refuseDuplicatesBefore(out: string, append: boolean, captures: string[]): Promise<void> {
  let db: CaseDb | null = null;
  if (append && fs.existsSync(out)) {
    try { db = openCase(out, { readonly: true }); } catch { db = null; /* checked when it is opened for writing */ }
  }
  try {
    await refuseDuplicateCaptures(db, captures);
  } finally {
    db?.close();
  }
}
