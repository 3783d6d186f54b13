/** Page-level helpers shared by the specs (all element lookups go through TESTIDS.md ids). */
import path from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { SCREENS, type FlowcaseServer } from './flowcase-server';

export async function openApp(page: Page, server: FlowcaseServer): Promise<void> {
  await page.goto(server.url);
  await expect(page.getByTestId('app')).toBeVisible();
}

export async function showView(page: Page, view: 'overview' | 'timeline' | 'packets' | 'conversations' | 'endpoints' | 'findings' | 'report'): Promise<void> {
  await page.getByTestId(`nav-${view}`).click();
}

/** Saved under test-results/screens/ and attached to the report. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = path.join(SCREENS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** The exact number in packet-count's data-count attribute once it is settled. */
export async function packetCount(page: Page): Promise<number> {
  const el = page.getByTestId('packet-count');
  await expect(el).toHaveAttribute('data-count', /^\d+$/);
  return Number(await el.getAttribute('data-count'));
}

export async function applyFilter(page: Page, filter: string): Promise<void> {
  const input = page.getByTestId('filter-input');
  await input.fill(filter);
  await input.press('Enter');
}
