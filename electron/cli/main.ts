import { UsageError } from './cli-args';
import { describeFailure } from './cli-failure';
import { indexCommand, INDEX_USAGE } from './index-command';
import { caseCommands } from './case-commands';
import { serveCommand } from '../serve/serve-command';
import { custodyCommands, CUSTODY_USAGE } from './custody-commands';
import { bundleCommand, BUNDLE_USAGE } from './bundle-commands';
import { graphCommands, GRAPH_USAGE } from './graph-command';
import { annotationCommands, ANNOTATE_USAGE } from './annotation-commands';
import { exportCommands, EXPORT_USAGE } from './export-command';

const USAGE = `Flowcase — offline forensic workbench for packet captures

Usage:
  ${INDEX_USAGE}
  flowcase info <case>
  flowcase packets <case> [--filter EXPR] [--limit N] [--json]
  flowcase flows <case> [--limit N] [--json]
  flowcase hosts <case> [--limit N] [--json]
  flowcase findings <case> [--json]
  flowcase repair <case>          remove what an interrupted run left half-written, or finish its work
  flowcase analyse <case> [--json]  run the detectors again
  flowcase report <case> [-o FILE.md|.html|.pdf] [--version N|finalised] [--paper a4|letter] [--force]
  flowcase report <case> --finalise
  ${GRAPH_USAGE}
  flowcase serve [capture|case] [--case out.flowcase] [--port N]
  ${CUSTODY_USAGE}
  ${BUNDLE_USAGE}
  ${ANNOTATE_USAGE}
  ${EXPORT_USAGE}

Options for every command: --debug prints stack traces of internal errors.
Exit status: 0 success; 1 partial result (read errors in a capture, cancelled or interrupted: the
case says what is missing), or verify/log found a problem; 2 bad usage, unusable input or an output that cannot be written;
70 internal error (a bug: run again with --debug and report it).`;

export async function main(argvIn: string[]): Promise<number> {
  // --debug anywhere: print stack traces of internal errors (never needed for expected failures).
  const debug = argvIn.includes('--debug');
  const argv = argvIn.filter((a) => a !== '--debug');
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
        const run = caseCommands[command] ?? custodyCommands[command] ?? (command === 'bundle' ? bundleCommand : undefined) ?? graphCommands[command] ?? annotationCommands[command] ?? exportCommands[command];
        if (!run) throw new UsageError(`unknown command "${command}"`);
        return await run(rest);
      }
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`flowcase: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    const failure = describeFailure(err);
    if (failure) {
      process.stderr.write(`flowcase: ${failure.message}\n`);
      if (debug && err instanceof Error) process.stderr.write(`${err.stack}\n`);
      return failure.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`flowcase: internal error: ${message.split('\n')[0]}\n`);
    process.stderr.write(debug && err instanceof Error ? `${err.stack}\n` : 'Run the command again with --debug for the details, and report it.\n');
    return 70;
  }
}
