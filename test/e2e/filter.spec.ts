import { test, expect } from '@playwright/test';
import { SYNSCAN, callApi, startFlowcase, tsharkReference, waitIndexed, type FlowcaseServer } from './flowcase-server';
import { applyFilter, openApp, packetCount, screenshot, showView } from './app-page';

const SYN_ONLY = 'tcp.flags.syn == 1 && tcp.flags.ack == 0';

test.describe('display filter', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(SYNSCAN);
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  test('a SYN-only filter gives exactly tshark\'s count', async ({ page }, testInfo) => {
    const expected = tsharkReference(SYNSCAN).filterCounts[SYN_ONLY];
    expect(expected).toBe(1994);
    await openApp(page, server);
    await showView(page, 'packets');
    await expect(page.getByTestId('packet-row').first()).toBeVisible();
    await applyFilter(page, SYN_ONLY);
    await expect(page.getByTestId('packet-count')).toHaveAttribute('data-count', String(expected));
    await expect(page.getByTestId('filter-error')).toHaveCount(0);
    await screenshot(page, testInfo, 'packets-filtered');
  });

  test('an invalid filter shows its error and position and changes nothing', async ({ page }, testInfo) => {
    await openApp(page, server);
    await showView(page, 'packets');
    await applyFilter(page, 'tcp.port == 443');
    const reference = tsharkReference(SYNSCAN).filterCounts['tcp.port == 443'];
    await expect(page.getByTestId('packet-count')).toHaveAttribute('data-count', String(reference));
    const firstIdBefore = await page.getByTestId('packet-row').first().getAttribute('data-id');
    const rowsBefore = await page.getByTestId('packet-row').count();

    const bad = 'tcp.port == 443 && ip.src ==';
    const check = await callApi(server, 'filter.check', { filter: bad });
    expect(check.ok).toBe(false);
    await applyFilter(page, bad);
    const error = page.getByTestId('filter-error');
    await expect(error).toBeVisible();
    await expect(error).toHaveAttribute('data-position', String(check.error.position));
    await expect(error).toContainText(String(check.error.position + 1)); // "… at column N"
    // Nothing changed: same count, same rows.
    expect(await packetCount(page)).toBe(reference);
    expect(await page.getByTestId('packet-row').count()).toBe(rowsBefore);
    expect(await page.getByTestId('packet-row').first().getAttribute('data-id')).toBe(firstIdBefore);
    await screenshot(page, testInfo, 'filter-error');
  });
});
