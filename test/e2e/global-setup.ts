import fs from 'node:fs';
import path from 'node:path';

/** Fail fast, with the fix, when the build the specs drive is missing. */
export default function globalSetup(): void {
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
}
