/**
 * Honest progress: while a capture is imported the badge shows the phase (reading, indexing,
 * analysing…) and says "complete" only once the detectors have finished; the overview says
 * "analysing…" until the findings are there.
 */
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { ROOT, startFlowcase, type FlowcaseServer } from './flowcase-server';
import { openApp, screenshot } from './app-page';

const DDOS = path.join(ROOT, 'test', 'fixtures', 'captures', 'syn-flood-ddos.pcap');

test.describe('phases', () => {
  let server: FlowcaseServer;
  // On an idle machine the detectors finish this capture in milliseconds: hold the analysing phase for
  // two seconds (the ingest's test pause seam) so the badge and the overview can be seen saying so.
  test.beforeAll(async () => { server = await startFlowcase(undefined, { FLOWCASE_TEST_PAUSE_AT: 'analysing', FLOWCASE_TEST_PAUSE_MS: '2000' }); });
  test.afterAll(async () => { await server?.stop(); });

  test('the badge walks through the phases and says complete only when findings are ready', async ({ page }, testInfo) => {
    // Every badge text, with whether findings were shown at that moment (a small capture is fast).
    await page.addInitScript(() => {
      const w = window as unknown as { __badges: Array<{ text: string; findings: number; analysing: boolean }> };
      w.__badges = [];
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="case-status"]');
        if (!el) return;
        const text = el.textContent ?? '';
        const last = w.__badges[w.__badges.length - 1];
        const analysing = document.querySelector('[data-testid="overview-analysing"]') !== null;
        const findings = document.querySelectorAll('[data-testid="finding-card"]').length;
        if (!last || last.text !== text || last.analysing !== analysing || last.findings !== findings) w.__badges.push({ text, findings, analysing });
      }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await openApp(page, server);
    await page.getByTestId('open-capture').click();
    const input = page.getByTestId('capture-path-input');
    await input.fill(DDOS);
    await input.press('Enter');
    await expect(page.getByTestId('case-status')).toHaveText('complete', { timeout: 60_000 });
    await expect(page.getByTestId('finding-card').first()).toBeVisible();
    await expect(page.getByTestId('overview-analysing')).toHaveCount(0);
    const seen = await page.evaluate(() => (window as unknown as { __badges: Array<{ text: string; findings: number; analysing: boolean }> }).__badges);
    const texts = seen.map((s) => s.text);
    expect(texts.some((t) => /^(reading|indexing|analysing…|starting)/.test(t)), texts.join(' → ')).toBe(true);
    expect(texts).toContain('analysing…');
    // "complete" never appears before the phases are over.
    const firstComplete = texts.indexOf('complete');
    expect(texts.slice(firstComplete).every((t) => t === 'complete'), texts.join(' → ')).toBe(true);
    // While analysing, the overview says so.
    expect(seen.some((s) => s.text === 'analysing…' && s.analysing), JSON.stringify(seen)).toBe(true);
    await screenshot(page, testInfo, 'phases-complete');
  });
});
