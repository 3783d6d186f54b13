import fs from 'node:fs';
import path from 'node:path';
import { buildLargeCase, runIncludesLargeSpec } from './large-case';

/**
 * Fail fast, with the fix, when the build the specs drive is missing; then build the 1M-packet case
 * for large-case.spec.ts when this run includes it (and FLOWCASE_E2E_SKIP_LARGE is not set).
 */
export default async function globalSetup(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const needed = [
    ['dist/electron/serve/serve-command.js', 'npm run build:node'],
    ['dist/renderer/index.html', 'npm run build:renderer'],
  ];
  const missing = needed.filter(([f]) => !fs.existsSync(path.join(root, f)));
  if (missing.length) {
    throw new Error(`e2e needs a build: ${missing.map(([f, fix]) => `${f} is missing (run ${fix})`).join('; ')}`);
  }
  fs.mkdirSync(path.join(root, 'test-results', 'screens'), { recursive: true });
  const skip = process.env.FLOWCASE_E2E_SKIP_LARGE;
  if ((!skip || skip === '0') && runIncludesLargeSpec()) await buildLargeCase((line) => console.log(line));
}
