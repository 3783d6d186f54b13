/** `flowcase bundle` (write an evidence bag) and `flowcase verify <bundle>` (check one). */
import { parseArgs, UsageError } from './cli-args';
import { safeText } from './format';
import { CliInputError } from './case-commands';
import fs from 'node:fs';
import { openCase, type CaseDb } from '../../db/open-case';
import { BundleError, writeBundle } from '../export/bundle/write-bundle';
import { BundleUnusableError, verifyBundle } from '../export/bundle/verify-bundle';
import { FilterError } from '../query/display-filter';
import { ReportError } from '../export/report-document';

export const BUNDLE_USAGE = 'flowcase bundle <case> -o DIR|FILE.zip [--include-captures] [--filter EXPR] [--force] [--json]';

/** The bundle appends its custody entry, so the case opens writable. */
function openWritableCase(file: string | undefined): CaseDb {
  if (!file) throw new UsageError('a case file is required');
  if (!fs.existsSync(file)) throw new CliInputError(`case file not found: ${file}`);
  try { return openCase(file); } catch (err) {
    throw new CliInputError(`cannot open ${file} as a Flowcase case: ${(err as Error).message}`);
  }
}

export async function bundleCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, {
    values: { output: ['-o', '--output'], filter: ['--filter', '-Y'] },
    flags: { includeCaptures: ['--include-captures'], force: ['--force'], json: ['--json'] },
  });
  const out = typeof a.options.output === 'string' ? a.options.output : undefined;
  if (!out) throw new UsageError('bundle needs -o DIR or -o FILE.zip');
  const filter = typeof a.options.filter === 'string' ? a.options.filter : undefined;
  const db = openWritableCase(a.positionals[0]);
  const started = Date.now();
  try {
    const r = await writeBundle(db, { out, filter, includeCaptures: !!a.options.includeCaptures, force: !!a.options.force });
    if (a.options.json) { process.stdout.write(JSON.stringify({ ...r, ms: Date.now() - started }, null, 2) + '\n'); return 0; }
    process.stdout.write(`Evidence bundle written to ${safeText(r.path)}${r.zip ? ` (bag ${r.bagName})` : ''}: ${r.files} payload files, `
      + `${r.payloadBytes.toLocaleString('en-US')} bytes, ${r.evidencePackets.toLocaleString('en-US')} evidence packets\n`
      + `manifest-sha256.txt ${r.manifestSha256}\ncustody entry ${r.custodySeq} (export.bundle)\n`);
    return 0;
  } catch (err) {
    if (err instanceof FilterError) throw new CliInputError(`invalid filter: ${err.message}`);
    if (err instanceof BundleError || err instanceof ReportError) throw new CliInputError(err.message);
    throw err;
  } finally {
    db.close();
  }
}

/** Exit 0 intact, 1 tampered (one line per problem), 2 unusable input. */
export async function verifyBundleCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { flags: { json: ['--json'] } });
  const target = a.positionals[0];
  if (!target) throw new UsageError('a bundle folder or zip is required');
  let r;
  try { r = await verifyBundle(target); } catch (err) {
    if (err instanceof BundleUnusableError) throw new CliInputError(err.message);
    throw err;
  }
  if (a.options.json) { process.stdout.write(JSON.stringify(r, null, 2) + '\n'); return r.ok ? 0 : 1; }
  if (r.ok) {
    process.stdout.write(`OK: bag complete, both manifests match, custody chain intact, ${r.evidencePackets.toLocaleString('en-US')} evidence packets mapped`
      + `${r.comparedWithOriginals ? ` (${r.comparedWithOriginals.toLocaleString('en-US')} compared with the original captures)` : ''}, case.jsonld hashes match\n`);
    return 0;
  }
  for (const p of r.problems) process.stdout.write(`PROBLEM: ${safeText(p)}\n`);
  return 1;
}
