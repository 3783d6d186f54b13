/**
 * One visible scope: filter ∧ time ∧ evidence as chips. The evidence chip reaches every evidence
 * packet (beyond the cited sample), "filter on this conversation" after opening a finding gives the
 * conversation's evidence (it used to give 0 packets), an empty scope names the chip that emptied it,
 * and Conversations, Endpoints and the timeline follow the scope.
 */
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { ROOT, callApi, startFlowcase, waitIndexed, type FlowcaseServer } from './flowcase-server';
import { applyFilter, openApp, packetCount, screenshot, showView } from './app-page';

// Generated (no ../shared needed): a DDoS SYN flood whose evidence (≈11k packets) exceeds the 5,000 cited.
const DDOS = path.join(ROOT, 'test', 'fixtures', 'captures', 'syn-flood-ddos.pcap');

/** Waits until the packet count shows exactly `n`. */
async function countIs(page: Page, n: number): Promise<void> {
  await expect(page.getByTestId('packet-count')).toHaveAttribute('data-count', String(n));
}

async function openFinding(page: Page, id: number): Promise<void> {
  await showView(page, 'findings');
  await page.locator(`[data-testid="finding-card"][data-finding-id="${id}"]`).first().click();
  await expect(page.getByTestId('active-finding')).toHaveAttribute('data-finding-id', String(id));
}

test.describe('scope chips', () => {
  let server: FlowcaseServer;
  let finding: { id: number; evidenceTotal: number; evidencePacketIds: number[]; evidenceQueries: Array<{ exact: boolean }> };
  let casePackets: number;

  test.beforeAll(async () => {
    server = await startFlowcase(DDOS);
    casePackets = (await waitIndexed(server)).packetCount;
    for (let i = 0; i < 100; i++) {
      const list = await callApi(server, 'findings.list');
      const flood = list.find((f: { kind: string }) => f.kind === 'syn-flood');
      if (flood) { finding = await callApi(server, 'findings.get', { id: flood.id }); break; }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(finding, 'the DDoS capture gives a SYN-flood finding').toBeTruthy();
  });
  test.afterAll(async () => { await server?.stop(); });

  test('the evidence chip shows every evidence packet, not the cited sample', async ({ page }, testInfo) => {
    expect(finding.evidenceTotal).toBeGreaterThan(finding.evidencePacketIds.length);
    expect(finding.evidenceQueries.every((q) => q.exact)).toBe(true);
    await openApp(page, server);
    await openFinding(page, finding.id);
    await countIs(page, finding.evidenceTotal);
    // The timeline draws the scoped layer over the whole-case bars, with a legend naming both.
    await expect(page.getByTestId('timeline-scoped')).toBeAttached();
    await expect(page.getByTestId('timeline-layers')).toContainText('in the scope');
    await expect(page.getByTestId('timeline-layers')).toContainText('whole case');
    expect(Number(await page.getByTestId('timeline-scoped').getAttribute('data-total'))).toBeGreaterThan(0);
    await expect(page.getByTestId('evidence-roles')).toBeVisible();
    await screenshot(page, testInfo, 'scope-evidence');
  });

  test('filter on a conversation after opening a finding gives its evidence packets and says the EVIDENCE chip stays', async ({ page }, testInfo) => {
    await openApp(page, server);
    await openFinding(page, finding.id);
    await showView(page, 'conversations');
    const scoped = await callApi(server, 'flows.list', { findingId: finding.id, limit: 1 });
    const total = page.getByTestId('conversations-total');
    await expect(total).toHaveAttribute('data-scoped', 'true');
    await expect(total).toHaveAttribute('data-total', String(scoped.total));
    const row = page.getByTestId('flow-row').first();
    await expect(row).toBeVisible();
    const filter = (await row.getByTestId('flow-filter').getAttribute('title'))!;
    await row.getByTestId('flow-filter').click();
    await expect(page.getByTestId('chip-filter')).toContainText(filter);
    await expect(page.getByTestId('active-finding')).toBeVisible();
    await expect(page.getByTestId('scope-note')).toContainText('EVIDENCE chip still applies');
    const expected = (await callApi(server, 'packets.count', { filter, findingId: finding.id })).count;
    expect(expected).toBeGreaterThan(0);
    await countIs(page, expected);
    await screenshot(page, testInfo, 'scope-conversation-in-evidence');
  });

  test('a filter that empties the scope names the chip; removing it gives the right packets; Clear all clears every chip', async ({ page }, testInfo) => {
    await openApp(page, server);
    await openFinding(page, finding.id);
    // HTTP requests are not evidence of the flood: the two chips together hold nothing.
    await applyFilter(page, 'http.request');
    await countIs(page, 0);
    const empty = page.getByTestId('scope-empty');
    await expect(empty).toContainText('EVIDENCE chip');
    await expect(empty).toContainText('FILTER chip');
    await screenshot(page, testInfo, 'scope-empty-named');
    await page.getByTestId('scope-empty-remove-evidence').click();
    await expect(page.getByTestId('active-finding')).toHaveCount(0);
    const requests = (await callApi(server, 'packets.count', { filter: 'http.request' })).count;
    expect(requests).toBeGreaterThan(0);
    await countIs(page, requests);

    await openFinding(page, finding.id);
    await page.getByTestId('filter-clear').click();
    await expect(page.getByTestId('active-finding')).toHaveCount(0);
    await expect(page.getByTestId('chip-filter')).toHaveCount(0);
    await countIs(page, casePackets);
  });

  test('conversations and endpoints follow a filter, page to the end and search', async ({ page }) => {
    const filter = 'tcp.flags.reset == 1';
    await openApp(page, server);
    await applyFilter(page, filter);
    await showView(page, 'conversations');
    const flows = await callApi(server, 'flows.list', { filter, limit: 1 });
    const all = await callApi(server, 'flows.list', { limit: 1 });
    expect(flows.total).toBeLessThan(all.total);
    await expect(page.getByTestId('conversations-total')).toHaveAttribute('data-total', String(flows.total));
    await showView(page, 'endpoints');
    const hosts = await callApi(server, 'hosts.list', { filter, limit: 1 });
    await expect(page.getByTestId('endpoints-total')).toHaveAttribute('data-total', String(hosts.total));
    const addr = (await page.getByTestId('host-row').first().getAttribute('data-addr'))!;
    await page.getByTestId('endpoints-search').fill(addr);
    const found = await callApi(server, 'hosts.list', { filter, search: addr, limit: 1 });
    expect(found.total).toBeGreaterThan(0);
    await expect(page.getByTestId('endpoints-total')).toHaveAttribute('data-total', String(found.total));
    for (const a of await page.getByTestId('host-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-addr') ?? ''))) expect(a).toContain(addr);
  });

  test('a time brush sets the TIME chip; a finding\'s zoom does not linger after it is closed', async ({ page }, testInfo) => {
    await openApp(page, server);
    await showView(page, 'timeline');
    const chart = page.getByTestId('timeline');
    await expect(page.getByTestId('timeline-bar').first()).toBeAttached();
    const wholeStart = await chart.getAttribute('data-start-ns');
    const wholeWidth = await chart.getAttribute('data-width-sec');
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.up();
    await expect(page.getByTestId('chip-time')).toBeVisible();
    const inRange = await packetCount(page);
    expect(inRange).toBeGreaterThan(0);
    expect(inRange).toBeLessThan(casePackets);
    await screenshot(page, testInfo, 'scope-time');
    await page.getByTestId('chip-time-remove').click();
    await expect(page.getByTestId('chip-time')).toHaveCount(0);
    await countIs(page, casePackets);

    await openFinding(page, finding.id);
    await showView(page, 'timeline');
    await expect(chart).not.toHaveAttribute('data-width-sec', wholeWidth!);
    await page.getByTestId('chip-evidence-remove').click();
    await expect(chart).toHaveAttribute('data-start-ns', wholeStart!);
    await expect(chart).toHaveAttribute('data-width-sec', wholeWidth!);
  });
});
