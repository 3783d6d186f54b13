/**
 * Evidence as a query on a 1M-packet generated case (issue 13, "Done when"). The case is built once by
 * global-setup.ts (large-case.ts: the bench generator, 'small' profile, seed 7, then `flowcase index`);
 * FLOWCASE_E2E_SKIP_LARGE=1 skips it.
 *
 * - The EVIDENCE chip of the SYN-flood finding puts every evidence packet in the list (80,000 here),
 *   not the 5,000 cited for the report; the list, the timeline's scoped layer and the finding agree.
 * - The original bug: a time brush in the middle of the attack + a SYN filter + the finding
 *   gave "No packets match … in the evidence of finding #N" (the cited packets all came from the first
 *   instant of the attack). It now gives the right packets, counted independently from the finding's
 *   evidence queries.
 */
import { test, expect, type Page } from '@playwright/test';
import { callApi, startFlowcase, waitIndexed, type FlowcaseServer } from './flowcase-server';
import { applyFilter, openApp, packetCount, screenshot, showView } from './app-page';
import { LARGE_CASE, LARGE_PACKETS, largeSkipReason } from './large-case';

interface EvidenceQuery { role: string; filter: string; from: string; to: string; total: number; exact: boolean }
interface Finding { id: number; kind: string; evidenceTotal: number; evidencePacketIds: number[]; evidenceQueries: EvidenceQuery[] }

const SYN_ONLY = 'tcp.flags.syn == 1 && tcp.flags.ack == 0';
const skipReason = largeSkipReason();

async function openFinding(page: Page, id: number): Promise<void> {
  await showView(page, 'findings');
  await page.locator(`[data-testid="finding-card"][data-finding-id="${id}"]`).first().click();
  await expect(page.getByTestId('active-finding')).toHaveAttribute('data-finding-id', String(id));
}

const maxNs = (a: string, b: string) => (BigInt(a) > BigInt(b) ? a : b);
const minNs = (a: string, b: string) => (BigInt(a) < BigInt(b) ? a : b);

test.describe('1M-packet generated case', () => {
  test.skip(skipReason !== null, skipReason ?? '');
  // Opening a million-packet case and counting over it is slower than the small fixtures, more so on
  // two loaded cores.
  test.describe.configure({ timeout: 240_000 });
  let server: FlowcaseServer;
  let flood: Finding;

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    server = await startFlowcase(undefined, {}, LARGE_CASE);
    const overview = await waitIndexed(server, 120_000);
    expect(overview.packetCount).toBe(LARGE_PACKETS);
    const summary = overview.findings.find((f: { kind: string }) => f.kind === 'syn-flood');
    expect(summary, 'the generated case has a SYN-flood finding').toBeTruthy();
    flood = await callApi(server, 'findings.get', { id: summary.id });
  });
  test.afterAll(async () => { await server?.stop(); });

  test('the EVIDENCE chip shows every evidence packet; the list, the timeline scoped layer and the finding agree', async ({ page }, testInfo) => {
    // The finding cites a sample for the report; its evidence is far larger.
    expect(flood.evidencePacketIds.length).toBeLessThanOrEqual(5000);
    expect(flood.evidenceTotal).toBeGreaterThan(10 * flood.evidencePacketIds.length);
    expect(flood.evidenceQueries.length).toBeGreaterThan(0);
    expect(flood.evidenceQueries.every((q) => q.exact)).toBe(true);
    // Independently of the EVIDENCE chip: each role's own filter and window, counted by the server.
    let byQueries = 0;
    for (const q of flood.evidenceQueries) {
      const { count } = await callApi(server, 'packets.count', { filter: q.filter, from: q.from, to: q.to });
      expect(count, `role ${q.role}`).toBe(q.total);
      byQueries += count;
    }
    expect(byQueries).toBe(flood.evidenceTotal);
    expect((await callApi(server, 'packets.count', { findingId: flood.id })).count).toBe(flood.evidenceTotal);

    await openApp(page, server);
    await openFinding(page, flood.id);
    await expect(page.getByTestId('packet-count')).toHaveAttribute('data-count', String(flood.evidenceTotal), { timeout: 60_000 });
    await expect(page.getByTestId('scope-empty')).toHaveCount(0);
    // The list's footer says the same number.
    await showView(page, 'packets');
    await expect(page.getByTestId('packet-row').first()).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('packet-list-total')).toHaveAttribute('data-total', String(flood.evidenceTotal));
    await expect(page.getByTestId('packet-list-total')).toContainText(`${flood.evidenceTotal.toLocaleString('en-US')} packets`);
    // The timeline (zoomed to the finding's window) draws the scoped layer: every evidence packet.
    await showView(page, 'timeline');
    const scoped = page.getByTestId('timeline-scoped');
    await expect(scoped).toBeAttached({ timeout: 60_000 });
    await expect(scoped).toHaveAttribute('data-total', String(flood.evidenceTotal), { timeout: 60_000 });
    await expect(page.getByTestId('timeline-layers')).toContainText('in the scope');
    await screenshot(page, testInfo, 'large-evidence-timeline');
  });

  test('a time brush in the middle of the attack + a SYN filter + the finding give the right packets, not "No packets match"', async ({ page }, testInfo) => {
    await openApp(page, server);
    await openFinding(page, flood.id);
    await expect(page.getByTestId('packet-count')).toHaveAttribute('data-count', String(flood.evidenceTotal), { timeout: 60_000 });
    await showView(page, 'timeline');
    const chart = page.getByTestId('timeline');
    await expect(page.getByTestId('timeline-scoped')).toBeAttached({ timeout: 60_000 });
    // Brush 40 %–70 % of the finding's window: well after the first instant, where the cited sample lies.
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 6 });
    await page.mouse.up();
    await expect(page.getByTestId('chip-time')).toBeVisible();

    // The SYN filter typed now replaces no chip: TIME and EVIDENCE stay, and the count is what the
    // finding's evidence queries give for the same window and filter.
    const counted = page.waitForRequest((r) => r.url().includes('/api/packets.count') && (r.postDataJSON() as { filter?: string }).filter === SYN_ONLY, { timeout: 60_000 });
    await applyFilter(page, SYN_ONLY);
    const scope = (await counted).postDataJSON() as { filter: string; from: string; to: string; findingId: number };
    expect(scope.findingId).toBe(flood.id);
    expect(scope.from && scope.to, 'the TIME chip is part of the query').toBeTruthy();
    await expect(page.getByTestId('chip-filter')).toBeVisible();
    await expect(page.getByTestId('chip-time')).toBeVisible();
    await expect(page.getByTestId('active-finding')).toHaveAttribute('data-finding-id', String(flood.id));

    let expected = 0;
    for (const q of flood.evidenceQueries) {
      const from = maxNs(q.from, scope.from);
      const to = minNs(q.to, scope.to);
      if (BigInt(from) > BigInt(to)) continue;
      expected += (await callApi(server, 'packets.count', { filter: `(${q.filter}) && (${SYN_ONLY})`, from, to })).count;
    }
    expect(expected, 'the brushed window holds attack SYNs').toBeGreaterThan(1000);
    await expect(page.getByTestId('packet-count')).toHaveAttribute('data-count', String(expected), { timeout: 60_000 });
    expect(await packetCount(page)).toBe(expected);
    await expect(page.getByTestId('scope-empty')).toHaveCount(0);
    // None of them is one of the cited sample's (they all come from before the window): the list is
    // not the sample.
    await showView(page, 'packets');
    const firstRow = page.getByTestId('packet-row').first();
    await expect(firstRow).toBeVisible({ timeout: 60_000 });
    const cited = new Set(flood.evidencePacketIds);
    const shown = await page.getByTestId('packet-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.filter((id) => cited.has(id)).length, 'rows in the brushed window that are in the cited sample').toBe(0);
    await screenshot(page, testInfo, 'large-brush-syn-evidence');
  });
});
