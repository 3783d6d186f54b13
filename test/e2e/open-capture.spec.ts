import { test, expect } from '@playwright/test';
import { SYNSCAN, startFlowcase, tsharkReference, type FlowcaseServer } from './flowcase-server';
import { openApp, screenshot } from './app-page';

test.describe('opening a capture', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => { server = await startFlowcase(); });
  test.afterAll(async () => { await server?.stop(); });

  test('shows indexing progress, then the overview with the capture\'s packets', async ({ page }, testInfo) => {
    // A small capture indexes in well under a second: record every appearance of the progress
    // panel (and every pushed event) from the start, so a short-lived panel is still seen.
    await page.addInitScript(() => {
      const w = window as unknown as { __progressSeen: string[] };
      w.__progressSeen = [];
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="progress"]');
        if (el) w.__progressSeen.push(el.getAttribute('data-phase') ?? '');
      }).observe(document, { subtree: true, childList: true, attributes: true });
    });
    const events: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => {
      try { events.push(JSON.parse(String(f.payload)).event); } catch { /* not JSON */ }
    }));

    await openApp(page, server);
    await page.getByTestId('open-capture').click();
    const input = page.getByTestId('capture-path-input');
    await input.fill(SYNSCAN);
    await input.press('Enter');

    await expect.poll(() => page.evaluate(() => (window as unknown as { __progressSeen: string[] }).__progressSeen.length), { message: 'progress panel appeared' }).toBeGreaterThan(0);
    await expect.poll(() => events.includes('ingest.progress'), { message: 'ingest.progress pushed over the WebSocket' }).toBe(true);
    await expect.poll(() => events.includes('ingest.done')).toBe(true);

    const expected = tsharkReference(SYNSCAN).rows.length;
    await expect(page.getByTestId('overview')).toBeVisible();
    await expect(page.getByTestId('overview-packets')).toHaveText(new RegExp(expected.toLocaleString('en-US').replace(',', '[,.\\s\u202f]?')));
    await expect(page.getByTestId('capture-row')).toHaveCount(1);
    await expect(page.getByTestId('capture-row')).toHaveAttribute('data-integrity', 'ok');
    await screenshot(page, testInfo, 'overview');
  });
});
