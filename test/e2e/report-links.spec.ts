import { test, expect } from '@playwright/test';
import path from 'node:path';
import { ROOT, startFlowcase, waitIndexed, type FlowcaseServer } from './flowcase-server';
import fs from 'node:fs';
import { openApp, screenshot, showView } from './app-page';

/**
 * Packet numbers in the report lead back to the packet: a click on a cited number in the Report
 * view's preview selects that packet in the packet list (detail and bytes shown), and browser
 * mode follows a #packet=N route (what an exported report's link becomes), refusing another case's.
 */
const CAPTURE = path.join(ROOT, 'test', 'fixtures', 'captures', 'syn-flood-443.pcap');

test.describe('report packet links', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(CAPTURE);
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  async function expectSelected(page: import('@playwright/test').Page, id: number) {
    await expect(page.locator(`[data-testid="packet-row"][data-id="${id}"]`)).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('packet-detail')).toHaveAttribute('data-id', String(id));
    await expect(page.getByTestId('hex-view')).toBeVisible();
  }

  test('a cited packet number in the preview selects that packet', async ({ page }, testInfo) => {
    await openApp(page, server);
    await showView(page, 'report');
    await page.getByTestId('report-sections').getByRole('button', { name: 'What the logs show', exact: true }).click();
    const links = page.getByTestId('section-preview').getByTestId('packet-cite');
    await expect(links.first()).toBeVisible();
    expect(await links.count()).toBeGreaterThan(5);
    // Not the first row: a packet further down, so the list has to scroll to it.
    const link = links.nth(4);
    const id = Number(await link.getAttribute('data-packet'));
    expect(await link.innerText()).toBe(String(id));
    await screenshot(page, testInfo, 'report-packet-links');
    fs.copyFileSync(path.join(ROOT, 'test-results', 'screens', 'report-packet-links.png'), path.join(ROOT, 'docs', 'report-packet-links.png'));
    await link.click();
    await expect(page.getByTestId('nav-packets')).toHaveAttribute('aria-current', 'page');
    await expectSelected(page, id);
  });

  test('browser mode follows #packet=N, and refuses a link from another case', async ({ page }) => {
    await openApp(page, server);
    await page.evaluate(() => { location.hash = '#packet=1234'; });
    await expectSelected(page, 1234);
    expect(await page.evaluate(() => location.hash)).toBe('');
    await page.evaluate(() => { location.hash = `#packet=99&case=${'0'.repeat(32)}`; });
    await expect(page.getByTestId('error-banner')).toContainText('another case');
    await expect(page.getByTestId('packet-detail')).toHaveAttribute('data-id', '1234');
  });
});
