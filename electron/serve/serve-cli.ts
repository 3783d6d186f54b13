/**
 * Stand-alone entry for browser mode (`node dist/electron/serve/serve-cli.js [args]`), used by
 * build/start.js and the e2e helper when bin/flowcase.js does not provide `serve`.
 */
import { serveCommand } from './serve-command';

serveCommand(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => { console.error(err instanceof Error ? err.message : err); process.exit(1); },
);
