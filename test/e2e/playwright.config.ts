/**
 * Playwright e2e against browser mode (`flowcase serve`) in the system Chromium.
 * Prerequisite: `npm run build` (dist/ and dist/renderer/); global-setup.ts checks and says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const chromium = process.env.FLOWCASE_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: __dirname,
  testMatch: /.*\.spec\.ts$/,
  globalSetup: path.join(__dirname, 'global-setup.ts'),
  outputDir: path.join(__dirname, '..', '..', 'test-results', 'e2e-output'),
  timeout: 90_000,
  expect: { timeout: 20_000 },
  // Two shared cores: one worker keeps indexing + Chromium from starving each other.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: 'list',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      // `npx playwright install` cannot download browsers here: use the distribution's Chromium.
      ...(fs.existsSync(chromium) ? { executablePath: chromium } : {}),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
