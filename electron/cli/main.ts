import { UsageError } from './cli-args';
import { indexCommand, INDEX_USAGE } from './index-command';
import { caseCommands } from './case-commands';
import { serveCommand } from '../serve/serve-command';
import { custodyCommands, CUSTODY_USAGE } from './custody-commands';

const USAGE = `Flowcase — offline forensic workbench for packet captures

Usage:
  ${INDEX_USAGE}
  flowcase info <case>
  flowcase packets <case> [--filter EXPR] [--limit N] [--json]
  flowcase flows <case> [--limit N] [--json]
  flowcase hosts <case> [--limit N] [--json]
  flowcase findings <case> [--json]
  flowcase report <case> [-o report.md|report.html]
  flowcase serve [capture|case] [--case out.flowcase] [--port N]
  ${CUSTODY_USAGE}

Exit status: 0 success; 1 indexed with read errors (damaged capture); 2 bad usage or unreadable input.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        process.stderr.write(USAGE + '\n');
        return 2;
      case 'help':
      case '-h':
      case '--help':
        process.stdout.write(USAGE + '\n');
        return 0;
      case '--version':
      case 'version':
        process.stdout.write(`flowcase ${require('../../../package.json').version}\n`);
        return 0;
      case 'index':
        return await indexCommand(rest);
      case 'serve':
        return await serveCommand(rest);
      default: {
        const run = caseCommands[command] ?? custodyCommands[command];
        if (!run) throw new UsageError(`unknown command "${command}"`);
        return await run(rest);
      }
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`flowcase: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err && typeof err === 'object' && 'name' in err && (err as Error).name === 'CliInputError') {
      process.stderr.write(`flowcase: ${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
}
