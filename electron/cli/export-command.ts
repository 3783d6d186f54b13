/** `flowcase export <case> [--filter EXPR] [--annotated] -o out.pcapng [--force]`. */
import { exportPcapng, ExportError } from '../export/pcapng-export';
import { FilterError } from '../query/display-filter';
import { parseArgs, UsageError } from './cli-args';
import { CliInputError } from './case-commands';
import { openWritableCase } from './custody-commands';
import { formatBytes, safeText } from './format';

export const EXPORT_USAGE = 'flowcase export <case> [--filter EXPR] [--annotated] -o out.pcapng [--force]';

async function exportCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { output: ['-o', '--output'], filter: ['--filter', '-Y'] }, flags: { annotated: ['--annotated'], force: ['--force'] } });
  const out = a.options.output;
  if (typeof out !== 'string' || !out) throw new UsageError('export needs -o out.pcapng');
  if (a.positionals.length > 1) throw new UsageError('export takes one case file');
  const casePath = a.positionals[0];
  const db = openWritableCase(casePath);
  const filter = typeof a.options.filter === 'string' ? a.options.filter : undefined;
  try {
    const r = await exportPcapng(db, { out, filter, annotated: !!a.options.annotated, force: !!a.options.force, casePath });
    process.stdout.write(`${r.packets.toLocaleString('en-US')} packet(s), ${r.commented} with comments, written to ${safeText(r.path)} (${formatBytes(r.bytes)}, sha256 ${r.sha256})\n`);
    if (r.packets === 0) process.stderr.write('flowcase: note: no packet matched; the file holds only the section header\n');
    return 0;
  } catch (err) {
    if (err instanceof FilterError) {
      process.stderr.write(`flowcase: invalid filter: ${err.message}\n  ${filter}\n  ${' '.repeat(err.position)}^\n`);
      return 2;
    }
    if (err instanceof ExportError) throw new CliInputError(err.message);
    throw err;
  } finally {
    db.close();
  }
}

export const exportCommands: Record<string, (argv: string[]) => Promise<number> | number> = { export: exportCommand };
