import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { ROOT, callApi, startFlowcase, waitIndexed, type FlowcaseServer } from './flowcase-server';
import { applyFilter, openApp, packetCount, screenshot } from './app-page';
import { runCli } from '../support/run-cli';

/**
 * Annotating from the keyboard: A on a selected packet, T then a digit to tag, and the annotation
 * seen after a reload in the list, the detail pane, the timeline and the Annotations view.
 */
const CAPTURE = path.join(ROOT, 'test', 'fixtures', 'captures', 'icmp-ping-normal.pcap');
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> \u202Eexe.txt & "quotes"';
/** As shown: the markup as text, the RTL override as a visible code point (stored as typed). */
const SHOWN = HOSTILE.replace('\u202E', '⟨U+202E⟩');

async function selectPacket(page: Page, id: number): Promise<void> {
  await page.getByTestId('nav-packets').click();
  const row = page.locator(`[data-testid="packet-row"][data-id="${id}"]`);
  await row.click();
  await expect(page.getByTestId('packet-detail')).toHaveAttribute('data-id', String(id));
}

test.describe('annotations', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(CAPTURE);
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  test('A annotates, T+1 tags malicious; both survive a reload and show everywhere, as text', async ({ page }, testInfo) => {
    page.on('dialog', (d) => void d.dismiss());
    await openApp(page, server);

    // A on packet 3: the box opens; the first annotation asks for the analyst name.
    await selectPacket(page, 3);
    await page.keyboard.press('a');
    const box = page.getByTestId('annotate-box');
    await expect(box).toBeVisible();
    const analyst = page.getByTestId('annotate-analyst');
    if (await analyst.isVisible()) await analyst.fill('E2E Analyst');
    await page.getByTestId('annotate-text').fill(HOSTILE);
    await page.getByTestId('annotate-tag-malicious').check();
    await page.getByTestId('annotate-save').click();
    await expect(box).toBeHidden();

    // T then 1 on packet 5: tagged malicious without a note.
    await selectPacket(page, 5);
    await page.getByTestId('packet-list').focus();
    await page.keyboard.press('t');
    await page.keyboard.press('1');
    await expect(page.locator('[data-testid="packet-row"][data-id="5"]')).toHaveAttribute('data-annotated', 'malicious');

    await page.reload();
    await expect(page.getByTestId('app')).toBeVisible();

    // Overview: the custody line.
    await expect(page.getByTestId('overview-custody')).toHaveAttribute('data-state', 'verified');
    await expect(page.getByTestId('overview-custody')).toContainText(/Custody: verified · \d+ entries/);

    // Packet list: marker and tint.
    await page.getByTestId('nav-packets').click();
    for (const id of [3, 5]) {
      const row = page.locator(`[data-testid="packet-row"][data-id="${id}"]`);
      await expect(row).toHaveAttribute('data-annotated', 'malicious');
      await expect(row.getByTestId('packet-marker')).toBeVisible();
    }
    await expect(page.locator('[data-testid="packet-row"][data-id="4"]')).not.toHaveAttribute('data-annotated', /./);

    // Detail: the note, exactly as typed, as text.
    await selectPacket(page, 3);
    const notes = page.getByTestId('packet-annotations');
    await expect(notes.getByTestId('annotation-text')).toHaveText(SHOWN);
    await screenshot(page, testInfo, 'annotated-packet');
    await expect(notes.getByTestId('annotation-tag')).toHaveText('malicious');
    await expect(notes).toContainText('by E2E Analyst');
    expect(await page.locator('img[onerror], [data-testid="packet-annotations"] script, [data-testid="packet-annotations"] img').count()).toBe(0);

    // Timeline: one marker per annotated packet.
    await page.getByTestId('nav-timeline').click();
    const marks = page.getByTestId('timeline-annotation-mark');
    await expect(marks).toHaveCount(2);
    expect((await marks.evaluateAll((els) => els.map((e) => e.getAttribute('data-packet')))).sort()).toEqual(['3', '5']);

    // The Annotations view: both, filterable; the hostile note as text.
    await page.getByTestId('nav-annotations').click();
    const view = page.getByTestId('annotations-view');
    await expect(view.getByTestId('annotation')).toHaveCount(2);
    await expect(view.getByTestId('annotation-text')).toHaveText([SHOWN]);
    const stored = await callApi<Array<{ text: string }>>(server, 'annotations.forPacket', { id: 3 }).then((r) => (r as unknown as { packet: Array<{ text: string }> }).packet[0].text);
    expect(stored).toBe(HOSTILE);
    await view.getByTestId('annotations-filter-text').fill('quotes');
    await expect(view.getByTestId('annotation')).toHaveCount(1);
    await view.getByTestId('annotations-filter-text').fill('');
    await view.getByTestId('annotations-filter-tag').selectOption('malicious');
    await expect(view.getByTestId('annotation')).toHaveCount(2);
    await screenshot(page, testInfo, 'annotations-view');

    // Jump from the Annotations view to the packet.
    await view.getByTestId('annotation-jump').first().click();
    await expect(page.getByTestId('packet-detail')).toHaveAttribute('data-id', '3');

    // The display filter.
    await applyFilter(page, 'annotation.tag == "malicious"');
    await expect.poll(() => packetCount(page)).toBe(2);
    await applyFilter(page, 'frame.comment contains "quotes"');
    await expect.poll(() => packetCount(page)).toBe(1);

    // No script from the note ran anywhere.
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const log = await callApi<Array<{ action: string }>>(server, 'annotations.list', {});
    expect(log).toHaveLength(2);
  });

  test('undo and redo the last change; another process annotating refreshes the app', async ({ page }, testInfo) => {
    await openApp(page, server);
    await page.getByTestId('nav-annotations').click();
    const view = page.getByTestId('annotations-view');
    await expect(view.getByTestId('annotation')).toHaveCount(2);
    // Delete one here, then undo the delete and redo it.
    await view.getByTestId('annotation-delete').first().click();
    await expect(view.getByTestId('annotation')).toHaveCount(1);
    await view.getByTestId('annotation-undo').click();
    await expect(view.getByTestId('annotation')).toHaveCount(2);
    await view.getByTestId('annotation-redo').click();
    await expect(view.getByTestId('annotation')).toHaveCount(1);
    await page.keyboard.press('Control+z');
    await expect(view.getByTestId('annotation')).toHaveCount(2);

    // Another process (the CLI) annotates the same case: the app shows it without a reload.
    const r = await runCli(['annotate', server.casePath, '--packet', '10', '--tag', 'evidence', '--note', 'from the CLI'], { env: { ...process.env, FLOWCASE_ANALYST: 'cli-user' } });
    expect(r.code, r.stderr).toBe(0);
    await expect(view.getByTestId('annotation')).toHaveCount(3, { timeout: 10_000 });
    await expect(view).toContainText('from the CLI');

    // A fuller case for the README's screenshot: a host, a time range, the case itself, an edit.
    const more: string[][] = [
      ['--host', '192.0.2.50', '--tag', 'suspicious', '--note', 'Answers every echo within 1 ms: a sensor or a reflector? Check with the network team.'],
      ['--range', '2024-03-12T09:00:10Z..2024-03-12T09:00:14Z', '--tag', 'todo', '--note', 'Gap in the pings here: correlate with the firewall log.'],
      ['--case', '--tag', 'evidence', '--include-in-report', '--note', 'Capture received from the SOC on 2024-03-12; hashes recorded at import (see flowcase log).'],
      ['--edit', '1', '--note', `${HOSTILE} (edited)`],
    ];
    for (const args of more) expect((await runCli(['annotate', server.casePath, ...args], { env: { ...process.env, FLOWCASE_ANALYST: 'cli-user' } })).code).toBe(0);
    await expect(view.getByTestId('annotation')).toHaveCount(6, { timeout: 10_000 });
    await screenshot(page, testInfo, 'annotations-view-full');

    // The annotated time range is a band on the timeline; the host's tag shows in Endpoints.
    await page.getByTestId('nav-timeline').click();
    await expect(page.getByTestId('timeline-annotation-band')).toHaveCount(1);
    await page.getByTestId('nav-endpoints').click();
    await expect(page.locator('[data-testid="host-row"][data-addr="192.0.2.50"]').getByTestId('tag-chips')).toHaveText('suspicious');
  });
});
