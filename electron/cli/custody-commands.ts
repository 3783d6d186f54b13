/** `flowcase log` and `flowcase verify`: the chain of custody from the terminal. */
import fs from 'node:fs';
import { openCase, type CaseDb } from '../../db/open-case';
import { appendCustody, readCustody, verifyCustodyChain } from '../../db/custody';
import { verifyCase } from '../query/case-verify';
import { parseArgs, UsageError } from './cli-args';
import { safeText } from './format';
import { CliInputError } from './case-commands';
import { verifyBundleCommand } from './bundle-commands';
import { looksLikeBundle } from '../export/bundle/verify-bundle';

export const CUSTODY_USAGE = `flowcase log <case> [--json]
  flowcase verify <case | bundle DIR | bundle.zip> [--json]`;

/** Open a case for writing (verify records its check in the log); exit 2 when it is not usable. */
export function openWritableCase(file: string | undefined): CaseDb {
  if (!file) throw new UsageError('a case file is required');
  if (!fs.existsSync(file)) throw new CliInputError(`case file not found: ${file}`);
  try { return openCase(file); } catch (err) {
    throw new CliInputError(`cannot open ${file} as a Flowcase case: ${(err as Error).message}`);
  }
}

export function openReadableCase(file: string | undefined): CaseDb {
  if (!file) throw new UsageError('a case file is required');
  if (!fs.existsSync(file)) throw new CliInputError(`case file not found: ${file}`);
  try { return openCase(file, { readonly: true }); } catch {
    // An older schema needs its one-time upgrade (which starts the custody log) first.
    return openWritableCase(file);
  }
}

function log(argv: string[]): number {
  const a = parseArgs(argv, { flags: { json: ['--json'] } });
  const db = openReadableCase(a.positionals[0]);
  try {
    const entries = readCustody(db);
    const chain = verifyCustodyChain(db);
    if (a.options.json) {
      const parsed = entries.map((e) => ({ ...e, details: JSON.parse(e.details) as unknown }));
      process.stdout.write(JSON.stringify({ entries: parsed, chain }, null, 2) + '\n');
      return chain.ok ? 0 : 1;
    }
    for (const e of entries) {
      process.stdout.write(`#${e.seq}  ${e.at}  ${safeText(e.analyst)}@${safeText(e.host)}  flowcase ${safeText(e.appVersion)}  ${safeText(e.action)}\n    ${safeText(e.details)}\n    sha256 ${e.hash}\n`);
    }
    if (chain.ok) process.stdout.write(`${chain.entries} entries; chain intact; head ${chain.head ?? '-'}\n`);
    else process.stdout.write(`${chain.entries} entries read; chain BROKEN at entry ${chain.brokenAt}: ${chain.problem}\n`);
    return chain.ok ? 0 : 1;
  } finally {
    db.close();
  }
}

/** Exit 0 all good, 1 a problem found (one line each), 2 unusable input. */
async function verify(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { flags: { json: ['--json'] } });
  // A folder or a zip is an evidence bundle (electron/cli/bundle-commands.ts); anything else a case.
  if (a.positionals[0] && looksLikeBundle(a.positionals[0])) return verifyBundleCommand(argv);
  const db = openWritableCase(a.positionals[0]);
  try {
    const result = await verifyCase(db);
    try {
      appendCustody(db, 'integrity.checked', { ok: result.ok, problems: result.problems.slice(0, 50), captures: result.captures.map((c) => ({ id: c.id, status: c.status })) });
    } catch (err) {
      process.stderr.write(`flowcase: note: could not record this check in the custody log (${(err as Error).message})\n`);
    }
    if (a.options.json) {
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      return result.ok ? 0 : 1;
    }
    if (result.ok) {
      process.stdout.write(`OK: custody chain intact (${result.chain.entries} entries, head ${result.chain.head}); ${result.captures.length} capture(s) match their import SHA-256; every annotation target exists\n`);
      return 0;
    }
    for (const p of result.problems) process.stdout.write(`PROBLEM: ${safeText(p)}\n`);
    return 1;
  } finally {
    db.close();
  }
}

export const custodyCommands: Record<string, (argv: string[]) => Promise<number> | number> = { log, verify };
