import { test, expect } from '@playwright/test';
import path from 'node:path';
import { ROOT, SYN_FLOOD, callApi, startFlowcase, waitIndexed, type FlowcaseServer } from './flowcase-server';
import { openApp, screenshot, showView } from './app-page';

test.describe('every view renders', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(SYN_FLOOD);
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  test('overview, timeline, packets, conversations, endpoints and findings', async ({ page }, testInfo) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const flows = await callApi(server, 'flows.list', { limit: 1000 });
    const hosts = await callApi(server, 'hosts.list', { limit: 1000 });
    await openApp(page, server);

    await showView(page, 'overview');
    await expect(page.getByTestId('overview')).toBeVisible();
    await expect(page.getByTestId('overview-packets')).toContainText('200');
    await screenshot(page, testInfo, 'view-overview');

    await showView(page, 'timeline');
    await expect(page.getByTestId('timeline-bar').first()).toBeAttached();
    await screenshot(page, testInfo, 'view-timeline');

    await showView(page, 'packets');
    await expect(page.getByTestId('packet-list')).toBeVisible();
    await expect(page.getByTestId('packet-count')).toHaveAttribute('data-count', '200');
    await screenshot(page, testInfo, 'view-packets');

    await showView(page, 'conversations');
    await expect(page.getByTestId('conversations')).toBeVisible();
    expect(flows.total).toBeGreaterThan(0);
    await expect(page.getByTestId('flow-row').first()).toBeVisible();
    await screenshot(page, testInfo, 'view-conversations');

    await showView(page, 'endpoints');
    await expect(page.getByTestId('endpoints')).toBeVisible();
    await expect(page.getByTestId('host-row')).toHaveCount(hosts.total);
    await screenshot(page, testInfo, 'view-endpoints');

    await showView(page, 'findings');
    await expect(page.getByTestId('finding-card').first()).toBeVisible();
    await screenshot(page, testInfo, 'view-findings');
    expect(errors).toEqual([]);
  });
});

test.describe('the top bar on narrower windows', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(path.join(ROOT, 'test', 'fixtures', 'captures', 'syn-flood-443.pcap'));
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  for (const width of [1600, 1280, 1024]) {
    test(`at ${width} px every view tab is in view, whole, beside the case name`, async ({ page }, testInfo) => {
      await page.setViewportSize({ width, height: 700 });
      await openApp(page, server);
      const tabs = page.locator('[data-testid^="nav-"]');
      await expect(tabs).toHaveCount(10);
      for (const tab of await tabs.all()) {
        const box = (await tab.boundingBox())!;
        expect(box.x, await tab.innerText()).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, await tab.innerText()).toBeLessThanOrEqual(width);
      }
      // Nothing hidden in a scrolled tab strip.
      expect(await page.locator('nav[aria-label="Views"]').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      // The case's short name is shown whole, not cut to an ellipsis.
      const name = page.locator('.topbar .case .name');
      await expect(name).toBeVisible();
      expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      await screenshot(page, testInfo, `topbar-${width}`);
    });
  }
});
