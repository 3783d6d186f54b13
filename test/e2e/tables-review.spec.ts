/**
 * The three tables in daily use, on two generated incidents (SYN flood, DNS outage) and two real
 * captures (the shared corpus: a SYN flood and IPv6 HTTP), in both themes: every header label fits,
 * no cell is drawn into the next, and an empty scope says which chip emptied it. Screenshots go to
 * test-results/screens/review-*.png; with FLOWCASE_DOC_SCREENSHOTS=1 a few also to docs/ (DOC_NAMES).
 */
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { ROOT, SHARED_CAPTURES, SYN_FLOOD, startFlowcase, waitIndexed, type FlowcaseServer } from './flowcase-server';
import { applyFilter, openApp, screenshot, showView } from './app-page';
import { cellBoxes, cutHeaderLabels, expectNoOverlap } from './table-boxes';

const CAPTURES = path.join(ROOT, 'test', 'fixtures', 'captures');
const DOCS = process.env.FLOWCASE_DOC_SCREENSHOTS === '1' ? path.join(ROOT, 'docs') : null;
const V6_HTTP = path.join(SHARED_CAPTURES, 'arkime__v6-http.pcap');

/** The review screenshots that are also the README's and docs/' pictures of the tables. */
const DOC_NAMES: Record<string, string[]> = {
  'syn-flood-conversations-light': ['conversations', 'theme-light-conversations'],
  'syn-flood-conversations-dark': ['theme-dark-conversations'],
  'real-synflood-conversations-light': ['real-synflood-conversations'],
  'real-synflood-endpoints-light': ['real-synflood-endpoints'],
  'real-v6-http-packets-dark': ['tables-real-v6-packets-dark'],
};

const CASES = [
  { name: 'syn-flood', file: path.join(CAPTURES, 'syn-flood-443.pcap'), real: false },
  { name: 'dns-outage', file: path.join(CAPTURES, 'dns-port-unreachable.pcap'), real: false },
  { name: 'real-synflood', file: SYN_FLOOD, real: true },
  { name: 'real-v6-http', file: V6_HTTP, real: true },
] as const;

const VIEWS = [
  { view: 'packets', row: 'packet-row' },
  { view: 'conversations', row: 'flow-row' },
  { view: 'endpoints', row: 'host-row' },
] as const;

async function reviewView(page: Page, name: string, theme: string, v: (typeof VIEWS)[number], testInfo: import('@playwright/test').TestInfo): Promise<void> {
  await showView(page, v.view);
  await expect(page.getByTestId(v.row).first()).toBeVisible();
  expect(await page.locator('[data-col-label]').count(), 'the header labels are found').toBeGreaterThan(6);
  expect(await cutHeaderLabels(page), `${name}/${v.view}/${theme}: header labels cut`).toEqual([]);
  expectNoOverlap(await cellBoxes(page.getByTestId(v.row)), `${name}/${v.view}/${theme}`);
  await screenshot(page, testInfo, `review-${name}-${v.view}-${theme}`);
  for (const doc of DOC_NAMES[`${name}-${v.view}-${theme}`] ?? []) if (DOCS) await page.screenshot({ path: path.join(DOCS, `${doc}.png`) });
}

for (const c of CASES) {
  test.describe(`tables on ${c.name}`, () => {
    test.skip(c.real && !fs.existsSync(c.file), `${c.file} is not here (the shared capture corpus sits beside the repository)`);
    let server: FlowcaseServer;
    test.beforeAll(async () => {
      server = await startFlowcase(c.file);
      await waitIndexed(server);
    });
    test.afterAll(async () => { await server?.stop(); });

    for (const theme of ['light', 'dark'] as const) {
      test(`${theme}: labels fit, cells stay in their columns`, async ({ page }, testInfo) => {
        await page.emulateMedia({ colorScheme: theme });
        await openApp(page, server);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        for (const v of VIEWS) await reviewView(page, c.name, theme, v, testInfo);
      });
    }

    test('an empty scope in Conversations and Endpoints names the chip that emptied it', async ({ page }) => {
      await openApp(page, server);
      await showView(page, 'packets');
      await applyFilter(page, 'ip.addr == 198.18.255.254');
      await expect(page.getByTestId('packet-count')).toHaveAttribute('data-count', '0');
      for (const view of ['conversations', 'endpoints'] as const) {
        await showView(page, view);
        const empty = page.getByTestId(`${view}-empty`);
        await expect(empty).toBeVisible();
        await expect(empty).toContainText('FILTER');
        await expect(empty).toContainText('ip.addr == 198.18.255.254');
      }
    });
  });
}
