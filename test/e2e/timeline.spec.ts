import { test, expect } from '@playwright/test';
import { SYNSCAN, callApi, epochTextToNs, startFlowcase, tsharkReference, waitIndexed, type FlowcaseServer } from './flowcase-server';
import { openApp, screenshot, showView } from './app-page';

test.describe('timeline', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(SYNSCAN);
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  test('draws bars over the capture\'s real time span', async ({ page }, testInfo) => {
    const rows = tsharkReference(SYNSCAN).rows;
    const firstNs = epochTextToNs(rows[0][1]);
    const lastNs = rows.map((r) => epochTextToNs(r[1])).reduce((a, b) => (b > a ? b : a));

    await openApp(page, server);
    await showView(page, 'timeline');
    const chart = page.getByTestId('timeline');
    await expect(chart).toBeVisible();
    await expect(page.getByTestId('timeline-bar').first()).toBeAttached();

    const startNs = BigInt((await chart.getAttribute('data-start-ns')) ?? 'NaN');
    const widthSec = Number(await chart.getAttribute('data-width-sec'));
    const widthNs = BigInt(Math.round(widthSec * 1e9));
    expect(widthNs > 0n).toBe(true);
    // The first bucket holds the first packet and the last drawn bucket holds the last one.
    expect(startNs <= firstNs && firstNs < startNs + widthNs, `start ${startNs} width ${widthNs} first ${firstNs}`).toBe(true);
    const indices = [...new Set(await page.getByTestId('timeline-bar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-i')))))].sort((a, b) => a - b);
    const lastI = BigInt(indices[indices.length - 1]);
    expect(startNs + lastI * widthNs <= lastNs && lastNs < startNs + (lastI + 1n) * widthNs, `last bar ${lastI} does not hold ${lastNs}`).toBe(true);
    // A 23 s capture over ≤ 400 buckets: sub-second bars, and many of them.
    expect(Number(lastNs - firstNs) / 1e9).toBeGreaterThan(20);
    expect(widthSec).toBeLessThan(1);
    expect(indices.length).toBeGreaterThan(10);
    expect(indices.length).toBeLessThanOrEqual(400);

    // The bars are exactly the service's non-empty buckets.
    const series = await callApi(server, 'timeline.get', { metric: 'packets', dim: 'proto' });
    expect(series.startNs).toBe(startNs.toString());
    expect(indices).toEqual(series.points.map((p: { i: number }) => p.i));

    // Axis labels, when drawn, sit at the ends of the real span (within one bucket).
    const axisStart = page.getByTestId('timeline-axis-start');
    if (await axisStart.count()) {
      const a = BigInt((await axisStart.getAttribute('data-ns')) ?? '0');
      const b = BigInt((await page.getByTestId('timeline-axis-end').getAttribute('data-ns')) ?? '0');
      expect(a <= firstNs + widthNs && a >= firstNs - widthNs, `axis start ${a}`).toBe(true);
      expect(b >= lastNs - widthNs && b <= lastNs + 2n * widthNs, `axis end ${b}`).toBe(true);
    }
    await screenshot(page, testInfo, 'timeline');
  });
});
