import path from 'node:path';
import { test, expect } from '@playwright/test';
import { ROOT, SYNSCAN, SYN_FLOOD, callApi, startFlowcase, waitIndexed, type FlowcaseServer } from './flowcase-server';
import { openApp, packetCount, screenshot, showView } from './app-page';

test.describe('findings', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(SYN_FLOOD);
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  test('clicking a finding filters the list to its evidence', async ({ page }, testInfo) => {
    const findings = await callApi(server, 'findings.list');
    expect(findings.length, 'a SYN flood produces at least one finding').toBeGreaterThan(0);
    await openApp(page, server);
    await showView(page, 'findings');
    const card = page.getByTestId('finding-card').first();
    await expect(card).toBeVisible();
    const id = Number(await card.getAttribute('data-finding-id'));
    const finding = await callApi(server, 'findings.get', { id });
    await screenshot(page, testInfo, 'findings');
    await card.click();

    await expect(page.getByTestId('active-finding')).toHaveAttribute('data-finding-id', String(id));
    expect(await packetCount(page)).toBe(finding.evidenceTotal);
    const evidence = new Set<number>(finding.evidencePacketIds);
    const shown = await page.getByTestId('packet-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
    expect(shown.length).toBeGreaterThan(0);
    if (evidence.size === finding.evidenceTotal) for (const pid of shown) expect(evidence.has(pid), `packet ${pid} is evidence`).toBe(true);
    await screenshot(page, testInfo, 'finding-evidence');
  });
});

test.describe('packet detail', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(SYNSCAN);
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  test('selecting a packet shows its TCP flags and its bytes', async ({ page }, testInfo) => {
    await openApp(page, server);
    await showView(page, 'packets');
    const row = page.getByTestId('packet-row').first();
    await expect(row).toBeVisible();
    const id = Number(await row.getAttribute('data-id'));
    const detail = await callApi(server, 'packet.detail', { id });
    expect(detail.row.tcpFlags).toBe(0x02); // frame 1 of the scan is a bare SYN
    await row.click();

    await expect(page.getByTestId('packet-detail')).toHaveAttribute('data-id', String(id));
    await expect(page.getByTestId('detail-tree')).toContainText(/SYN/);
    const hex = page.getByTestId('hex-view');
    await expect(hex).toBeVisible();
    const firstBytes = (detail.bytesHex as string).slice(0, 16).match(/../g)!.join(' ');
    await expect.poll(async () => ((await hex.textContent()) ?? '').toLowerCase().replace(/\s+/g, ' ')).toContain(firstBytes);
    await expect(page.getByTestId('bytes-error')).toHaveCount(0);
    await screenshot(page, testInfo, 'packet-detail');
  });
});

test.describe('two quick finding clicks', () => {
  // Two generated incidents in one case: a vertical port scan and a DNS server answering with ICMP port unreachable.
  const captures = ['port-scan-vertical.pcap', 'dns-port-unreachable.pcap'].map((f) => path.join(ROOT, 'test', 'fixtures', 'captures', f));
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase();
    await callApi(server, 'capture.import', { paths: captures });
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  test('a slow reply for the first finding never replaces the second one', async ({ page }, testInfo) => {
    const findings: Array<{ id: number; title: string }> = await callApi(server, 'findings.list');
    expect(findings.length, 'the scan and the unreachable DNS server are two findings').toBeGreaterThanOrEqual(2);
    const [first, second] = findings;
    // The first finding's detail answers 3 s late (held in the browser before it reaches the server).
    let held = false;
    await page.route('**/api/findings.get', async (route) => {
      if (!held && route.request().postDataJSON()?.id === first.id) {
        held = true;
        await new Promise((r) => setTimeout(r, 3000));
      }
      await route.continue();
    });
    const firstReply = page.waitForResponse((r) => r.url().endsWith('/api/findings.get') && r.request().postDataJSON()?.id === first.id);

    await openApp(page, server);
    await showView(page, 'findings');
    await page.locator(`[data-testid="finding-card"][data-finding-id="${first.id}"]`).click();
    await showView(page, 'findings');
    await page.locator(`[data-testid="finding-card"][data-finding-id="${second.id}"]`).click();

    const panel = page.getByTestId('finding-detail');
    await expect(panel).toHaveAttribute('data-finding-id', String(second.id));
    await firstReply; // the stale reply has landed…
    await page.waitForTimeout(300);
    // …and the panel, the evidence chip and the list still belong to the second finding.
    await expect(panel).toHaveAttribute('data-finding-id', String(second.id));
    await expect(panel).toContainText(second.title);
    await expect(page.getByTestId('active-finding')).toHaveAttribute('data-finding-id', String(second.id));
    expect(held, 'the first reply was held').toBe(true);
    await screenshot(page, testInfo, 'finding-second-of-two');
  });
});
